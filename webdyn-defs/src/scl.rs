//! `<uid>_scl.ini`: the Lua scripts.
//!
//! `SCRIPT_File[n]` (script file name with extension), and since firmware
//! V4.02 `SCRIPT_Enable[n]` (0/1) and `SCRIPT_Args[n]` (an opaque argument
//! string, usually escaped JSON, kept exactly as written).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::lossless::{self, Line, Record, line_no};
use crate::text;

/// One line of `_scl.ini`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SclLine {
    /// Blank line.
    Blank,
    /// `SCRIPT_File[n]=name.lua`.
    File {
        /// Index.
        index: u32,
        /// Script file name (`.lua`, `.luax`, `.luaw`).
        name: String,
    },
    /// `SCRIPT_Enable[n]=0|1`.
    Enable {
        /// Index.
        index: u32,
        /// Whether the script runs.
        enabled: bool,
    },
    /// `SCRIPT_Args[n]=…` (opaque).
    Args {
        /// Index.
        index: u32,
        /// The argument string as written.
        args: String,
    },
    /// Any other key (kept).
    Other {
        /// Key with index.
        key: String,
        /// Value.
        value: String,
    },
    /// A line that does not parse.
    Invalid,
}

impl Record for SclLine {
    fn parse(line: &str, _first: bool) -> Result<Self, (u32, String)> {
        let e = match text::ini_entry(line) {
            Ok(None) => return Ok(SclLine::Blank),
            Ok(Some(e)) => e,
            Err((c, err)) => return Err((c, err.to_string())),
        };
        let known = ["SCRIPT_File", "SCRIPT_Enable", "SCRIPT_Args"]
            .iter()
            .find(|k| k.eq_ignore_ascii_case(e.key));
        let (Some(k), Some(index)) = (known, e.index) else {
            if let Some(k) = known {
                return Err((e.key_col, format!("{k} needs an index: {k}[n]")));
            }
            let key = match e.index {
                Some(i) => format!("{}[{i}]", e.key),
                None => e.key.to_string(),
            };
            return Ok(SclLine::Other {
                key,
                value: e.value.to_string(),
            });
        };
        Ok(match *k {
            "SCRIPT_File" => SclLine::File {
                index,
                name: e.value.to_string(),
            },
            "SCRIPT_Enable" => match e.value {
                "0" | "1" => SclLine::Enable {
                    index,
                    enabled: e.value == "1",
                },
                v => {
                    return Err((
                        e.value_col,
                        format!("SCRIPT_Enable must be 0 or 1, found '{v}'"),
                    ));
                }
            },
            _ => SclLine::Args {
                index,
                args: e.value.to_string(),
            },
        })
    }

    fn render(&self) -> String {
        match self {
            SclLine::Blank | SclLine::Invalid => String::new(),
            SclLine::File { index, name } => format!("SCRIPT_File[{index}]={name}"),
            SclLine::Enable { index, enabled } => {
                format!("SCRIPT_Enable[{index}]={}", u8::from(*enabled))
            }
            SclLine::Args { index, args } => format!("SCRIPT_Args[{index}]={args}"),
            SclLine::Other { key, value } => format!("{key}={value}"),
        }
    }

    fn invalid() -> Self {
        SclLine::Invalid
    }

    fn is_invalid(&self) -> bool {
        matches!(self, SclLine::Invalid)
    }
}

/// A `<uid>_scl.ini` file.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SclFile {
    /// The file started with a UTF-8 BOM.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bom: bool,
    /// Every physical line.
    pub lines: Vec<Line<SclLine>>,
}

impl SclFile {
    /// Parses a file (never fails).
    pub fn parse(input: &str) -> (Self, Vec<Diagnostic>) {
        let (bom, lines, diags) = lossless::parse_lines(input);
        (SclFile { bom, lines }, diags)
    }

    /// Encodes the file.
    pub fn encode(&self) -> String {
        lossless::encode_lines(self.bom, &self.lines)
    }

    /// Checks: structure, unknown keys, duplicate keys, an `Enable`/`Args`
    /// without its `File`, script extensions.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let texts = lossless::common_checks(self.bom, &self.lines, false, &mut d);
        let mut seen: Vec<(u8, u32, u32)> = Vec::new();
        let files: Vec<u32> = self
            .lines
            .iter()
            .filter_map(|l| match l.record {
                SclLine::File { index, .. } => Some(index),
                _ => None,
            })
            .collect();
        for (i, (l, t)) in self.lines.iter().zip(&texts).enumerate() {
            let n = line_no(i);
            let Ok(Some(e)) = text::ini_entry(t) else {
                continue;
            };
            let (slot, index) = match &l.record {
                SclLine::File { index, name } => {
                    let lower = name.to_ascii_lowercase();
                    if !(lower.ends_with(".lua")
                        || lower.ends_with(".luax")
                        || lower.ends_with(".luaw"))
                    {
                        d.push(Diagnostic::error(
                            n,
                            e.value_col,
                            format!("script file '{name}' must end in .lua, .luax or .luaw"),
                        ));
                    }
                    (0u8, *index)
                }
                SclLine::Enable { index, .. } => (1, *index),
                SclLine::Args { index, .. } => (2, *index),
                SclLine::Other { key, .. } => {
                    d.push(Diagnostic::error(n, e.key_col, format!("unknown key {key} (expected SCRIPT_File[n], SCRIPT_Enable[n] or SCRIPT_Args[n])")));
                    continue;
                }
                _ => continue,
            };
            if let Some((_, _, first)) = seen.iter().find(|(s, x, _)| *s == slot && *x == index) {
                d.push(Diagnostic::error(n, e.key_col, format!("duplicate index {}[{index}] (first at line {first}): the gateway rejects the file", e.key)));
            } else {
                seen.push((slot, index, n));
            }
            if slot != 0 && !files.contains(&index) {
                d.push(Diagnostic::error(
                    n,
                    e.key_col,
                    format!("{}[{index}] has no SCRIPT_File[{index}]", e.key),
                ));
            }
        }
        lossless::sort(&mut d);
        d
    }
}
