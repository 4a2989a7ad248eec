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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// Why a spreadsheet-damaged file cannot be repaired.
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {message}")]
pub struct RepairError {
    /// 1-based line of the record.
    pub line: u32,
    /// What is wrong.
    pub message: &'static str,
}

/// Undoes spreadsheet damage in a `;` CSV file: drops the BOM, reads the
/// records with RFC 4180 quoting (`,` delimiters when the file has them,
/// else `;`) and writes them back the gateway's way: `;` delimiters, no
/// quotes, LF endings. Blank lines are dropped. A field that contains `;`
/// cannot be written for the gateway and is an error.
#[cfg(feature = "alloc")]
pub fn repair(text: &str) -> Result<alloc::string::String, RepairError> {
    use alloc::string::String;
    use alloc::vec;
    use csv_core::{ReadRecordResult, ReaderBuilder};

    let body = strip_bom(text).1.as_bytes();
    // The delimiter is the one the first record uses most outside quotes.
    let first = body
        .split(|&b| b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or(&[]);
    let (mut quoted, mut commas, mut semis) = (false, 0usize, 0usize);
    for &b in first {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            _ => {}
        }
    }
    let comma = commas > semis;
    let mut reader = ReaderBuilder::new()
        .delimiter(if comma { b',' } else { b';' })
        .build();
    let mut out = vec![0u8; body.len() + 1];
    let mut ends = vec![0usize; body.len() + 2];
    let mut fixed = String::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let line = u32::try_from(
            body.get(..pos)
                .unwrap_or(&[])
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
        )
        .unwrap_or(u32::MAX - 1)
            + 1;
        let input = body.get(pos..).unwrap_or(&[]);
        let (res, nin, nout, nend) = reader.read_record(input, &mut out, &mut ends);
        pos += nin;
        match res {
            // Never with an empty input (csv-core then ends the record);
            // guarded anyway so that the loop always terminates.
            ReadRecordResult::InputEmpty if input.is_empty() => return Ok(fixed),
            ReadRecordResult::InputEmpty => continue,
            ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                return Err(RepairError {
                    line,
                    message: "record too large",
                });
            }
            ReadRecordResult::End => return Ok(fixed),
            ReadRecordResult::Record => {
                let data = out.get(..nout).unwrap_or(&[]);
                let mut start = 0;
                for (i, &end) in ends.get(..nend).unwrap_or(&[]).iter().enumerate() {
                    let field = data.get(start..end).unwrap_or(&[]);
                    if field.contains(&b';') {
                        return Err(RepairError {
                            line,
                            message: "a field contains ';', which the gateway cannot read",
                        });
                    }
                    if field.iter().any(|&b| b == b'\n' || b == b'\r') {
                        return Err(RepairError {
                            line,
                            message: "a quoted field spans lines: the gateway reads one record per line",
                        });
                    }
                    let field = core::str::from_utf8(field).map_err(|_| RepairError {
                        line,
                        message: "a field is not UTF-8",
                    })?;
                    if i > 0 {
                        fixed.push(';');
                    }
                    fixed.push_str(field);
                    start = end;
                }
                fixed.push('\n');
            }
        }
    }
}
