//! Physical lines and fields: the borrowed tokenizers every file kind is built on.
//!
//! SunPM files are line oriented. [`Lines`] splits a text into lines and
//! remembers each line's ending so that a file can be rebuilt byte for byte;
//! [`Fields`] splits one CSV line on `;` (the gateway has no quoting or
//! escaping: a field simply cannot contain `;`); [`ini_entry`] splits one
//! `KEY[n]=value` line. Nothing here allocates.

use core::fmt;

/// How a line ended in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Eol {
    /// The last line of a file without a final newline.
    #[default]
    None,
    /// `\n`, what the gateway (Linux) writes.
    Lf,
    /// `\r\n`, what Windows editors and Excel write.
    CrLf,
}

impl Eol {
    /// The bytes of this line ending.
    pub const fn as_str(self) -> &'static str {
        match self {
            Eol::None => "",
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
        }
    }
}

/// One physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: u32,
    /// Byte offset of the line's first byte in the text.
    pub offset: usize,
    /// The line without its ending.
    pub text: &'a str,
    /// The line ending.
    pub eol: Eol,
}

/// Iterator over the [`Line`]s of a text. Concatenating every `text` and
/// `eol` gives the text back.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a str,
    offset: usize,
    number: u32,
}

/// Splits `text` into lines (`\n` or `\r\n` endings).
pub fn lines(text: &str) -> Lines<'_> {
    Lines {
        rest: text,
        offset: 0,
        number: 0,
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        self.number = self.number.saturating_add(1);
        let offset = self.offset;
        let (line, eol, consumed) = match self.rest.find('\n') {
            Some(i) => {
                let head = self.rest.get(..i).unwrap_or("");
                match head.strip_suffix('\r') {
                    Some(t) => (t, Eol::CrLf, i + 1),
                    None => (head, Eol::Lf, i + 1),
                }
            }
            None => (self.rest, Eol::None, self.rest.len()),
        };
        self.rest = self.rest.get(consumed..).unwrap_or("");
        self.offset += consumed;
        Some(Line {
            number: self.number,
            offset,
            text: line,
            eol,
        })
    }
}

/// Strips a UTF-8 byte order mark, telling whether there was one.
pub fn strip_bom(text: &str) -> (bool, &str) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

/// The 1-based column (in characters) of byte offset `byte` within `line`.
pub fn column(line: &str, byte: usize) -> u32 {
    let prefix = line.get(..byte).unwrap_or(line);
    u32::try_from(prefix.chars().count())
        .unwrap_or(u32::MAX)
        .saturating_add(1)
}

/// One `;`-separated field of a CSV line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Field<'a> {
    /// The field with surrounding spaces and tabs removed.
    pub text: &'a str,
    /// The field exactly as written.
    pub raw: &'a str,
    /// Byte offset of the raw field in its line.
    pub offset: usize,
    /// 1-based column of the raw field's first character.
    pub col: u32,
}

/// Iterator over the `;`-separated [`Field`]s of one line. A line with `n`
/// separators has `n + 1` fields (a trailing `;` means a trailing empty field);
/// an empty line has one empty field.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    line: &'a str,
    pos: Option<usize>,
    col: u32,
}

/// Splits one CSV line on `;`.
pub fn fields(line: &str) -> Fields<'_> {
    Fields {
        line,
        pos: Some(0),
        col: 1,
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        let start = self.pos?;
        let rest = self.line.get(start..).unwrap_or("");
        let (raw, next) = match rest.find(';') {
            Some(i) => (rest.get(..i).unwrap_or(""), Some(start + i + 1)),
            None => (rest, None),
        };
        let col = self.col;
        self.col = col
            .saturating_add(u32::try_from(raw.chars().count()).unwrap_or(u32::MAX))
            .saturating_add(1);
        self.pos = next;
        Some(Field {
            text: raw.trim_matches([' ', '\t']),
            raw,
            offset: start,
            col,
        })
    }
}

/// The number of `;`-separated fields of a line.
pub fn field_count(line: &str) -> usize {
    line.matches(';').count() + 1
}

/// The column of the `index`-th (0-based) field of a line, or the column just
/// past the end of the line if it has fewer fields.
pub fn field_col(line: &str, index: usize) -> u32 {
    fields(line)
        .nth(index)
        .map_or_else(|| column(line, line.len()), |f| f.col)
}

/// One `KEY=value` or `KEY[n]=value` line of an `.ini` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IniEntry<'a> {
    /// The key without its index, spaces trimmed.
    pub key: &'a str,
    /// The `[n]` index, if any.
    pub index: Option<u32>,
    /// The value: everything after the first `=`, spaces trimmed.
    pub value: &'a str,
    /// Column of the key's first character.
    pub key_col: u32,
    /// Column of the value's first character (just after `=` when empty).
    pub value_col: u32,
}

/// Why an `.ini` line is not a `KEY=value` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IniError {
    /// No `=` on a non-blank line.
    #[error("expected KEY=value, found no '='")]
    MissingEquals,
    /// Nothing before the `=`.
    #[error("empty key before '='")]
    EmptyKey,
    /// A `[` without a matching `]` at the end of the key.
    #[error("unterminated index: expected ']' after '['")]
    UnterminatedIndex,
    /// The text between `[` and `]` is not a decimal number.
    #[error("index is not a number")]
    BadIndex,
}

/// A tokenizer error with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Located<E> {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is wrong.
    pub error: E,
}

impl<E: fmt::Display> fmt::Display for Located<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.error)
    }
}

/// Tokenizes one `.ini` line. `Ok(None)` for a blank line. On error, the
/// column is returned with the error.
pub fn ini_entry(line: &str) -> Result<Option<IniEntry<'_>>, (u32, IniError)> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let Some(eq) = line.find('=') else {
        let first = line.len() - line.trim_start().len();
        return Err((column(line, first), IniError::MissingEquals));
    };
    let key_part = line.get(..eq).unwrap_or("");
    let lead = key_part.len() - key_part.trim_start().len();
    let key_full = key_part.trim();
    if key_full.is_empty() {
        return Err((column(line, eq), IniError::EmptyKey));
    }
    let (key, index) = match key_full.find('[') {
        Some(open) => {
            let inner = key_full.get(open + 1..).unwrap_or("");
            let Some(num) = inner.strip_suffix(']') else {
                return Err((column(line, lead + open), IniError::UnterminatedIndex));
            };
            let n = num
                .parse::<u32>()
                .map_err(|_| (column(line, lead + open + 1), IniError::BadIndex))?;
            if !num.bytes().all(|b| b.is_ascii_digit()) {
                return Err((column(line, lead + open + 1), IniError::BadIndex));
            }
            (key_full.get(..open).unwrap_or("").trim_end(), Some(n))
        }
        None => (key_full, None),
    };
    let after = line.get(eq + 1..).unwrap_or("");
    let vlead = after.len() - after.trim_start_matches([' ', '\t']).len();
    Ok(Some(IniEntry {
        key,
        index,
        value: after.trim_matches([' ', '\t']),
        key_col: column(line, lead),
        value_col: column(line, eq + 1 + vlead),
    }))
}

/// Iterator over the entries of an `.ini` text: `(line, entry)` pairs, blank
/// lines skipped.
#[derive(Debug, Clone)]
pub struct IniEntries<'a> {
    lines: Lines<'a>,
}

/// Tokenizes a whole `.ini` text (a leading BOM is skipped).
pub fn ini_entries(text: &str) -> IniEntries<'_> {
    IniEntries {
        lines: lines(strip_bom(text).1),
    }
}

impl<'a> Iterator for IniEntries<'a> {
    type Item = Result<(Line<'a>, IniEntry<'a>), Located<IniError>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = self.lines.next()?;
            match ini_entry(line.text) {
                Ok(Some(e)) => return Some(Ok((line, e))),
                Ok(None) => continue,
                Err((col, error)) => {
                    return Some(Err(Located {
                        line: line.number,
                        col,
                        error,
                    }));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_endings() {
        let mut v = [None; 5];
        lines("a\r\nb\n\nc")
            .zip(v.iter_mut())
            .for_each(|(l, s)| *s = Some(l));
        let v = v.map(Option::unwrap_or_default);
        assert_eq!(lines("a\r\nb\n\nc").count(), 4);
        assert_eq!(v[0].text, "a");
        assert_eq!(v[0].eol, Eol::CrLf);
        assert_eq!(v[1].offset, 3);
        assert_eq!(v[2].text, "");
        assert_eq!(v[3].eol, Eol::None);
    }

    #[test]
    fn fields_and_columns() {
        let mut v = [None; 5];
        fields("LAN2;192.168.2.12; x ;;")
            .zip(v.iter_mut())
            .for_each(|(l, s)| *s = Some(l));
        let v = v.map(Option::unwrap_or_default);
        assert_eq!(fields("LAN2;192.168.2.12; x ;;").count(), 5);
        assert_eq!(v[1].col, 6);
        assert_eq!(v[2].text, "x");
        assert_eq!(v[3].col, 23);
        assert_eq!(field_col("a;bb;c", 2), 6);
        assert_eq!(field_col("a", 3), 2);
    }

    #[test]
    fn ini_lines() {
        let e = ini_entry("SCHEDULE_Params[3]=4|middle|01:00:00|600|2")
            .unwrap()
            .unwrap();
        assert_eq!(
            (e.key, e.index, e.value_col),
            ("SCHEDULE_Params", Some(3), 20)
        );
        assert_eq!(ini_entry("  ").unwrap(), None);
        assert_eq!(ini_entry("abc").unwrap_err(), (1, IniError::MissingEquals));
        assert_eq!(ini_entry("=1").unwrap_err(), (1, IniError::EmptyKey));
        assert_eq!(
            ini_entry("K[1=2").unwrap_err(),
            (2, IniError::UnterminatedIndex)
        );
        assert_eq!(ini_entry("K[x]=2").unwrap_err(), (3, IniError::BadIndex));
        let e = ini_entry("BIN_Checksum=ec97  ").unwrap().unwrap();
        assert_eq!(e.value, "ec97");
    }
}
