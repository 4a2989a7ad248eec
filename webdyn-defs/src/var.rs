//! `<uid>_var.ini`: the connection schedules.
//!
//! `SCHEDULE_Params[n]` (server 1) and `SCHEDULE2_Params[n]` (server 2), each
//! `Id|Type|StartTime|Interval|Count`. Each prefix has its own index
//! sequence; a duplicate index makes the gateway reject the file.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::diag::Diagnostic;
use crate::lossless::{self, Line, Record, line_no};
use crate::text;

/// When a schedule runs (`Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ScheduleType {
    /// Every day.
    Everyday,
    /// Mondays.
    Monday,
    /// Tuesdays.
    Tuesday,
    /// Wednesdays.
    Wednesday,
    /// Thursdays.
    Thursday,
    /// Fridays.
    Friday,
    /// Saturdays.
    Saturday,
    /// Sundays.
    Sunday,
    /// The 1st of the month.
    First,
    /// The 15th of the month.
    Middle,
    /// The last day of the month.
    Last,
}

const TYPES: [(ScheduleType, &str); 11] = [
    (ScheduleType::Everyday, "everyday"),
    (ScheduleType::Monday, "monday"),
    (ScheduleType::Tuesday, "tuesday"),
    (ScheduleType::Wednesday, "wednesday"),
    (ScheduleType::Thursday, "thursday"),
    (ScheduleType::Friday, "friday"),
    (ScheduleType::Saturday, "saturday"),
    (ScheduleType::Sunday, "sunday"),
    (ScheduleType::First, "first"),
    (ScheduleType::Middle, "middle"),
    (ScheduleType::Last, "last"),
];

impl ScheduleType {
    /// Parses a token, case-insensitively (the EN table capitalises days).
    pub fn parse(s: &str) -> Option<Self> {
        TYPES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(t, _)| *t)
    }

    /// The token as the gateway writes it (lowercase).
    pub fn as_str(self) -> &'static str {
        TYPES
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("everyday", |(_, n)| n)
    }
}

/// `HH:MM:SS` (kept as read, so out-of-range times can be reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimeOfDay {
    /// Hours.
    pub hour: u8,
    /// Minutes.
    pub minute: u8,
    /// Seconds.
    pub second: u8,
}

impl TimeOfDay {
    /// Parses `HH:MM:SS` (two digits each).
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 8 || b.get(2) != Some(&b':') || b.get(5) != Some(&b':') {
            return None;
        }
        let two = |i: usize| -> Option<u8> {
            let t = s.get(i..i + 2)?;
            if !t.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        Some(TimeOfDay {
            hour: two(0)?,
            minute: two(3)?,
            second: two(6)?,
        })
    }

    /// Whether it is a real time of day.
    pub fn is_valid(self) -> bool {
        self.hour < 24 && self.minute < 60 && self.second < 60
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// Which server a schedule connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Server {
    /// `SCHEDULE_Params`.
    Main,
    /// `SCHEDULE2_Params`.
    Backup,
}

impl Server {
    /// The key prefix.
    pub const fn key(self) -> &'static str {
        match self {
            Server::Main => "SCHEDULE_Params",
            Server::Backup => "SCHEDULE2_Params",
        }
    }
}

/// One schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Schedule {
    /// Server 1 or 2.
    pub server: Server,
    /// The `[n]` index.
    pub index: u32,
    /// `Id`: line identifier, unique.
    pub id: u32,
    /// `Type`.
    pub kind: ScheduleType,
    /// `StartTime`.
    pub start: TimeOfDay,
    /// `Interval` in minutes (default 1440).
    pub interval: u32,
    /// `Count`: connections per day (default 1).
    pub count: u32,
}

/// One line of `_var.ini`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VarLine {
    /// Blank line.
    Blank,
    /// A schedule.
    Schedule(Schedule),
    /// Any other key (kept).
    Other {
        /// Key as written, with its index.
        key: String,
        /// Value.
        value: String,
    },
    /// A line that does not parse (kept verbatim).
    Invalid,
}

fn uint(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Record for VarLine {
    fn parse(line: &str, _first: bool) -> Result<Self, (u32, String)> {
        let e = match text::ini_entry(line) {
            Ok(None) => return Ok(VarLine::Blank),
            Ok(Some(e)) => e,
            Err((c, err)) => return Err((c, err.to_string())),
        };
        let server = if e.key.eq_ignore_ascii_case("SCHEDULE_Params") {
            Server::Main
        } else if e.key.eq_ignore_ascii_case("SCHEDULE2_Params") {
            Server::Backup
        } else {
            let key = match e.index {
                Some(i) => format!("{}[{i}]", e.key),
                None => e.key.to_string(),
            };
            return Ok(VarLine::Other {
                key,
                value: e.value.to_string(),
            });
        };
        let Some(index) = e.index else {
            return Err((
                e.key_col,
                format!("{} needs an index: {}[n]", server.key(), server.key()),
            ));
        };
        let parts: Vec<&str> = e.value.split('|').collect();
        let mut cols = Vec::with_capacity(parts.len());
        let mut c = e.value_col;
        for p in &parts {
            cols.push(c);
            c += u32::try_from(p.chars().count()).unwrap_or(0) + 1;
        }
        let [id, kind, start, interval, count] = parts.as_slice() else {
            return Err((
                e.value_col,
                format!(
                    "expected Id|Type|StartTime|Interval|Count (5 fields), found {} fields",
                    parts.len()
                ),
            ));
        };
        let col = |i: usize| cols.get(i).copied().unwrap_or(e.value_col);
        let id = uint(id.trim())
            .ok_or_else(|| (col(0), format!("Id must be a number, found '{id}'")))?;
        let kind = ScheduleType::parse(kind.trim()).ok_or_else(|| {
            (
                col(1),
                format!(
                    "unknown schedule type '{kind}' (everyday, monday..sunday, first, middle, last)"
                ),
            )
        })?;
        let start = TimeOfDay::parse(start.trim()).ok_or_else(|| {
            (
                col(2),
                format!("StartTime must be HH:MM:SS, found '{start}'"),
            )
        })?;
        let interval = uint(interval.trim()).ok_or_else(|| {
            (
                col(3),
                format!("Interval must be a number of minutes, found '{interval}'"),
            )
        })?;
        let count = uint(count.trim())
            .ok_or_else(|| (col(4), format!("Count must be a number, found '{count}'")))?;
        Ok(VarLine::Schedule(Schedule {
            server,
            index,
            id,
            kind,
            start,
            interval,
            count,
        }))
    }

    fn render(&self) -> String {
        match self {
            VarLine::Blank | VarLine::Invalid => String::new(),
            VarLine::Other { key, value } => format!("{key}={value}"),
            VarLine::Schedule(s) => format!(
                "{}[{}]={}|{}|{}|{}|{}",
                s.server.key(),
                s.index,
                s.id,
                s.kind.as_str(),
                s.start,
                s.interval,
                s.count
            ),
        }
    }

    fn invalid() -> Self {
        VarLine::Invalid
    }

    fn is_invalid(&self) -> bool {
        matches!(self, VarLine::Invalid)
    }
}

/// A `<uid>_var.ini` file.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VarFile {
    /// The file started with a UTF-8 BOM.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bom: bool,
    /// Every physical line.
    pub lines: Vec<Line<VarLine>>,
}

impl VarFile {
    /// Parses a file (never fails; see [`ConfigFile::parse`](crate::config::ConfigFile::parse)).
    pub fn parse(input: &str) -> (Self, Vec<Diagnostic>) {
        let (bom, lines, diags) = lossless::parse_lines(input);
        (VarFile { bom, lines }, diags)
    }

    /// Builds a file from schedules.
    pub fn from_schedules(s: impl IntoIterator<Item = Schedule>) -> Self {
        VarFile {
            bom: false,
            lines: s
                .into_iter()
                .map(|s| Line::new(VarLine::Schedule(s)))
                .collect(),
        }
    }

    /// Encodes the file.
    pub fn encode(&self) -> String {
        lossless::encode_lines(self.bom, &self.lines)
    }

    /// The schedules, in file order.
    pub fn schedules(&self) -> impl Iterator<Item = &Schedule> {
        self.lines.iter().filter_map(|l| match &l.record {
            VarLine::Schedule(s) => Some(s),
            _ => None,
        })
    }

    /// Checks: structure, unknown keys, duplicate indexes and ids per server,
    /// times, intervals.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let texts = lossless::common_checks(self.bom, &self.lines, false, &mut d);
        let mut idx: Vec<(Server, u32, u32)> = Vec::new();
        let mut ids: Vec<(Server, u32, u32)> = Vec::new();
        for (i, (l, t)) in self.lines.iter().zip(&texts).enumerate() {
            let n = line_no(i);
            let Ok(Some(e)) = text::ini_entry(t) else {
                continue;
            };
            let s = match &l.record {
                VarLine::Schedule(s) => s,
                VarLine::Other { key, .. } => {
                    d.push(Diagnostic::error(
                        n,
                        e.key_col,
                        format!(
                            "unknown key {key} (expected SCHEDULE_Params[n] or SCHEDULE2_Params[n])"
                        ),
                    ));
                    continue;
                }
                _ => continue,
            };
            let cols: Vec<u32> = {
                let mut c = e.value_col;
                e.value
                    .split('|')
                    .map(|p| {
                        let r = c;
                        c += u32::try_from(p.chars().count()).unwrap_or(0) + 1;
                        r
                    })
                    .collect()
            };
            let col = |k: usize| cols.get(k).copied().unwrap_or(e.value_col);
            if let Some((_, _, first)) = idx
                .iter()
                .find(|(sv, x, _)| *sv == s.server && *x == s.index)
            {
                d.push(Diagnostic::error(
                    n,
                    e.key_col,
                    format!("duplicate index {}[{}] (first at line {first}): the gateway rejects the file", s.server.key(), s.index),
                ));
            } else {
                idx.push((s.server, s.index, n));
            }
            if let Some((_, _, first)) = ids.iter().find(|(sv, x, _)| *sv == s.server && *x == s.id)
            {
                d.push(Diagnostic::error(
                    n,
                    col(0),
                    format!("duplicate schedule Id {} (first at line {first})", s.id),
                ));
            } else {
                ids.push((s.server, s.id, n));
            }
            if !s.start.is_valid() {
                d.push(Diagnostic::error(
                    n,
                    col(2),
                    format!(
                        "StartTime {} is not a time of day (00:00:00-23:59:59)",
                        s.start
                    ),
                ));
            }
            if s.interval == 0 {
                d.push(Diagnostic::warning(
                    n,
                    col(3),
                    "Interval 0: the gateway changes it to 1 minute",
                ));
            } else if s.interval > 1440 {
                d.push(Diagnostic::warning(
                    n,
                    col(3),
                    format!(
                        "Interval {} is longer than a day (1440 minutes)",
                        s.interval
                    ),
                ));
            }
        }
        lossless::sort(&mut d);
        d
    }
}
