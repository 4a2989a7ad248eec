//! The lossless line store shared by every file kind.
//!
//! Each physical line keeps its original text and ending next to its typed
//! record. Encoding writes the original text whenever the record still equals
//! what that text parses to, and renders the record canonically otherwise:
//! an unchanged file comes back byte for byte (spacing, case, trailing empty
//! fields, blank lines), and an edited line is written the way the gateway
//! writes it.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::damage;
use crate::diag::Diagnostic;
use crate::text::{self, Eol};

/// One physical line: its typed record, original text and ending.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Line<R> {
    /// The typed content.
    pub record: R,
    /// The line as read (without its ending); empty for a line built in code.
    #[cfg_attr(feature = "serde", serde(default))]
    pub raw: String,
    /// The line ending.
    #[cfg_attr(feature = "serde", serde(default = "lf"))]
    pub eol: Eol,
}

#[cfg(feature = "serde")]
fn lf() -> Eol {
    Eol::Lf
}

impl<R: Record> Line<R> {
    /// A new line from a record, ending in LF.
    pub fn new(record: R) -> Self {
        Line {
            record,
            raw: String::new(),
            eol: Eol::Lf,
        }
    }

    /// The text this line encodes to (without its ending).
    pub fn text(&self, first: bool) -> Cow<'_, str> {
        if self.record.is_invalid() {
            return Cow::Borrowed(&self.raw);
        }
        // Fast path: the raw text is already the canonical rendering.
        let rendered = self.record.render();
        if rendered == self.raw {
            return Cow::Borrowed(&self.raw);
        }
        match R::parse(&self.raw, first) {
            Ok(r) if r == self.record => Cow::Borrowed(&self.raw),
            _ => Cow::Owned(rendered),
        }
    }
}

/// A typed line of some file kind.
pub trait Record: Sized + PartialEq {
    /// Parses one line; `first` is true for the file's first line. On error:
    /// the 1-based column and the message.
    fn parse(text: &str, first: bool) -> Result<Self, (u32, String)>;
    /// Renders the record the way the gateway writes it.
    fn render(&self) -> String;
    /// The record kept for a line that does not parse.
    fn invalid() -> Self;
    /// Whether this is the invalid record.
    fn is_invalid(&self) -> bool;
}

pub(crate) fn parse_lines<R: Record>(input: &str) -> (bool, Vec<Line<R>>, Vec<Diagnostic>) {
    let (bom, body) = text::strip_bom(input);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for l in text::lines(body) {
        let record = match R::parse(l.text, l.number == 1) {
            Ok(r) => r,
            Err((col, msg)) => {
                diags.push(Diagnostic::error(l.number, col, msg));
                R::invalid()
            }
        };
        out.push(Line {
            record,
            raw: l.text.to_string(),
            eol: l.eol,
        });
    }
    (bom, out, diags)
}

pub(crate) fn encode_lines<R: Record>(bom: bool, lines: &[Line<R>]) -> String {
    let mut s = String::new();
    if bom {
        s.push('\u{feff}');
    }
    for (i, l) in lines.iter().enumerate() {
        s.push_str(&l.text(i == 0));
        s.push_str(l.eol.as_str());
    }
    s
}

/// The structural diagnostics every kind shares: spreadsheet damage and lines
/// that do not parse. Returns them with each line's current text.
pub(crate) fn common_checks<'a, R: Record>(
    bom: bool,
    lines: &'a [Line<R>],
    csv: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Cow<'a, str>> {
    let texts: Vec<Cow<'a, str>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| l.text(i == 0))
        .collect();
    let mut whole = String::new();
    if bom {
        whole.push('\u{feff}');
    }
    for (t, l) in texts.iter().zip(lines) {
        whole.push_str(t);
        whole.push_str(l.eol.as_str());
    }
    for d in damage::scan(&whole, csv) {
        let msg = d.kind.to_string();
        diags.push(if d.kind.is_benign() {
            Diagnostic::warning(d.line, d.col, msg)
        } else {
            Diagnostic::error(d.line, d.col, msg)
        });
    }
    for (i, (t, l)) in texts.iter().zip(lines).enumerate() {
        if l.record.is_invalid()
            && let Err((col, msg)) = R::parse(t, i == 0)
        {
            diags.push(Diagnostic::error(line_no(i), col, msg));
        }
    }
    texts
}

/// 1-based line number of the `i`-th line.
pub(crate) fn line_no(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX - 1).saturating_add(1)
}

/// Sorts diagnostics by position (stable for equal positions).
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| (d.line, d.col));
}
