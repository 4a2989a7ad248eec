//! Detection of the damage a spreadsheet does to a gateway file.
//!
//! Installers open `_daq.csv` and definition files in Excel, which may save
//! them with `,` delimiters, quote fields, add a UTF-8 byte order mark and
//! write CRLF line endings. The gateway wants `;`, no quoting, and (being
//! Linux) writes LF. [`scan`] names each kind of damage where it first occurs.

use crate::text::{Line, Lines, column, lines, strip_bom};

/// One kind of spreadsheet damage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DamageKind {
    /// The file starts with a UTF-8 byte order mark.
    #[error("file starts with a UTF-8 byte order mark (saved by a Windows editor or Excel)")]
    Bom,
    /// Lines end with CR LF.
    #[error("CRLF line endings (saved by a Windows editor or Excel); the gateway writes LF")]
    CrLf,
    /// A CSV line uses `,` where `;` is expected.
    #[error("',' used as delimiter instead of ';' (file saved by Excel?)")]
    CommaDelimiter,
    /// A CSV field is wrapped in double quotes.
    #[error("quoted field: the gateway does not understand CSV quoting (file saved by Excel?)")]
    QuotedField,
}

impl DamageKind {
    /// Whether the gateway still reads the file correctly despite this damage.
    pub const fn is_benign(self) -> bool {
        matches!(self, DamageKind::Bom | DamageKind::CrLf)
    }
}

/// A damage and where it first occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Damage {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What it is.
    pub kind: DamageKind,
}

/// Iterator over the damage found in a text; see [`scan`].
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    bom: bool,
    csv: bool,
    lines: Lines<'a>,
    crlf_seen: bool,
    comma_seen: bool,
    queue: [Option<Damage>; 3],
}

/// Scans a text for spreadsheet damage. `csv` enables the delimiter and
/// quoting checks (for `.csv` files). The BOM, CRLF and `,` delimiters are
/// reported where they first occur; every line with a quoted field is reported.
pub fn scan(text: &str, csv: bool) -> Scan<'_> {
    let (bom, rest) = strip_bom(text);
    Scan {
        bom,
        csv,
        lines: lines(rest),
        crlf_seen: false,
        comma_seen: false,
        queue: [None; 3],
    }
}

fn quoted(line: &Line<'_>) -> Option<u32> {
    crate::text::fields(line.text)
        .find(|f| f.text.starts_with('"'))
        .map(|f| f.col + u32::try_from(f.raw.len() - f.raw.trim_start().len()).unwrap_or(0))
}

impl Iterator for Scan<'_> {
    type Item = Damage;

    fn next(&mut self) -> Option<Damage> {
        if self.bom {
            self.bom = false;
            return Some(Damage {
                line: 1,
                col: 1,
                kind: DamageKind::Bom,
            });
        }
        loop {
            if let Some(d) = self.queue.iter_mut().find_map(Option::take) {
                return Some(d);
            }
            let line = self.lines.next()?;
            let mut slot = self.queue.iter_mut();
            if line.eol == crate::text::Eol::CrLf && !self.crlf_seen {
                self.crlf_seen = true;
                let col = column(line.text, line.text.len());
                if let Some(s) = slot.next() {
                    *s = Some(Damage {
                        line: line.number,
                        col,
                        kind: DamageKind::CrLf,
                    });
                }
            }
            if !self.csv {
                continue;
            }
            if !self.comma_seen
                && !line.text.contains(';')
                && let Some(i) = line.text.find(',')
            {
                self.comma_seen = true;
                let col = column(line.text, i);
                if let Some(s) = slot.next() {
                    *s = Some(Damage {
                        line: line.number,
                        col,
                        kind: DamageKind::CommaDelimiter,
                    });
                }
            }
            if let Some(col) = quoted(&line)
                && let Some(s) = slot.next()
            {
                *s = Some(Damage {
                    line: line.number,
                    col,
                    kind: DamageKind::QuotedField,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_saved_file() {
        let text = "\u{feff}type,ip,mask\r\nLAN1,1.2.3.4,255.0.0.0\r\nx;\"a;b\";c\r\n";
        let mut v = [None; 5];
        scan(text, true)
            .zip(v.iter_mut())
            .for_each(|(l, s)| *s = Some(l));
        let v = v.map(|d| {
            d.unwrap_or(Damage {
                line: 0,
                col: 0,
                kind: DamageKind::Bom,
            })
        });
        assert_eq!(scan(text, true).count(), 4);
        assert_eq!(
            v[0],
            Damage {
                line: 1,
                col: 1,
                kind: DamageKind::Bom
            }
        );
        assert_eq!(
            v[1],
            Damage {
                line: 1,
                col: 13,
                kind: DamageKind::CrLf
            }
        );
        assert_eq!(
            v[2],
            Damage {
                line: 1,
                col: 5,
                kind: DamageKind::CommaDelimiter
            }
        );
        assert_eq!(
            v[3],
            Damage {
                line: 3,
                col: 3,
                kind: DamageKind::QuotedField
            }
        );
        assert_eq!(scan("a;b\nc;d\n", true).count(), 0);
    }
}
