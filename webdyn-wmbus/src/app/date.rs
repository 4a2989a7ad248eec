//! Dates and times of EN 13757-3 Annex A: types F (date and time, CP32),
//! G (date, CP16), I (date and time with seconds, CP48) and J (time, CP24),
//! and the daylight-saving rules of type K ([`DaylightSaving`]).
//!
//! Bit layout (bit numbers counted from 0 in the first, least significant,
//! byte `b0`):
//!
//! | type | field | bits |
//! |---|---|---|
//! | G | day / month | b0 0–4 / b1 0–3 |
//! | G | year (7 bits) | b0 5–7 (low) and b1 4–7 (high) |
//! | F | minute, IV (time invalid) | b0 0–5, b0 7 |
//! | F | hour, hundred-year, SU (summer time) | b1 0–4, b1 5–6, b1 7 |
//! | F | day, month, year | as G in b2, b3 |
//! | I | second, SU (summer time), LY (leap year) | b0 0–5, b0 6, b0 7 |
//! | I | minute, DST-deviation sign (1 = +), IV | b1 0–5, b1 6, b1 7 |
//! | I | hour, day of week | b2 0–4, b2 5–7 |
//! | I | day, month, year | as G in b3, b4 |
//! | I | week, DST deviation (hours) | b5 0–5, b5 6–7 |
//! | J | second, minute, hour | b0 0–5, b1 0–5, b2 0–4 |
//! | K | hour DST begins, local offset to UTC bits 2–4 | b0 0–4, b0 5–7 |
//! | K | day DST begins, local offset bits 0–1, enabled | b1 0–4, b1 5–6, b1 7 |
//! | K | day DST ends, DST deviation (hours), sign (1 = +) | b2 0–4, b2 5–6, b2 7 |
//! | K | month DST begins, month DST ends | b3 0–3, b3 4–7 |
//!
//! "Every" values (EN 13757-3:2013 Annex A, for periodic dates such as due
//! dates): minute 63, second 63, hour 31, day **0**, month 15, year 127.
//! They are decoded as `None`. Day 31 is an ordinary day (some decoders
//! read it as "every day"; the standard's "every day" is 0).
//!
//! Years: the 7-bit year is 0–99 with an optional hundred-year field
//! (type F): `1900 + 100·hundred + year`; with hundred = 0 the common
//! practice (and the 2013 standard's compatibility note) maps 0–80 to
//! 2000–2080 and 81–99 to 1981–1999.

use core::fmt;

/// Which of the Annex A date/time types a value was coded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DateKind {
    /// Type F: date and time to the minute, 4 bytes.
    F,
    /// Type G: date, 2 bytes.
    G,
    /// Type I: date and time to the second, 6 bytes.
    I,
    /// Type J: time of day, 3 bytes.
    J,
}

impl DateKind {
    /// Size on the wire.
    pub const fn len(self) -> usize {
        match self {
            DateKind::F => 4,
            DateKind::G => 2,
            DateKind::I => 6,
            DateKind::J => 3,
        }
    }

    /// Never true; for symmetry with `len`.
    pub const fn is_empty(self) -> bool {
        false
    }

    /// The type that a data field of `len` bytes carries, for a VIF that
    /// announces a date or time.
    pub const fn for_len(len: usize) -> Option<DateKind> {
        match len {
            2 => Some(DateKind::G),
            3 => Some(DateKind::J),
            4 => Some(DateKind::F),
            6 => Some(DateKind::I),
            _ => None,
        }
    }
}

/// A decoded date/time. Fields a type does not carry are `None` and
/// ignored; fields that carry the "every" code are `None` too (see the
/// module docs), distinguishable with [`DateTime::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DateTime {
    /// The type it was coded as.
    pub kind: DateKind,
    /// Full year (e.g. 2024), `None` = every year (or type J).
    pub year: Option<u16>,
    /// Month 1–12, `None` = every month.
    pub month: Option<u8>,
    /// Day 1–31, `None` = every day.
    pub day: Option<u8>,
    /// Hour 0–23, `None` = every hour (or type G).
    pub hour: Option<u8>,
    /// Minute 0–59, `None` = every minute (or type G).
    pub minute: Option<u8>,
    /// Second 0–59, `None` = every second (or types F, G).
    pub second: Option<u8>,
    /// IV: the time is invalid (types F, I).
    pub invalid: bool,
    /// SU: summer (daylight saving) time (types F, I).
    pub summer_time: bool,
    /// LY: leap year (type I).
    pub leap_year: bool,
    /// Day of week 1 (Monday) – 7, 0 = not specified (type I).
    pub day_of_week: u8,
    /// Week of the year 1–53, 0 = not specified (type I).
    pub week: u8,
    /// Daylight-saving deviation in hours, -3…3 (type I).
    pub dst_deviation: i8,
}

const EVERY_SECOND: u8 = 63;
const EVERY_MINUTE: u8 = 63;
const EVERY_HOUR: u8 = 31;
const EVERY_DAY: u8 = 0;
const EVERY_MONTH: u8 = 15;
const EVERY_YEAR: u8 = 127;

fn or_every(v: u8, every: u8) -> Option<u8> {
    (v != every).then_some(v)
}

fn full_year(y: u8, hundred: u8) -> Option<u16> {
    if y == EVERY_YEAR {
        return None;
    }
    let y = u16::from(y);
    Some(if hundred != 0 {
        1900 + 100 * u16::from(hundred) + y
    } else if y <= 80 {
        2000 + y
    } else {
        1900 + y
    })
}

/// The 7-bit year and hundred-year field for a full year; `None` when the
/// year cannot be expressed (outside 1981–2299).
fn split_year(year: Option<u16>) -> Option<(u8, u8)> {
    let Some(year) = year else {
        return Some((EVERY_YEAR, 0));
    };
    if (1981..=2080).contains(&year) {
        return Some(((year % 100) as u8, 0));
    }
    if (1900..=2299).contains(&year) {
        let rel = year - 1900;
        return Some(((rel % 100) as u8, (rel / 100) as u8));
    }
    None
}

fn date_g(b0: u8, b1: u8, hundred: u8) -> (Option<u16>, Option<u8>, Option<u8>) {
    let year = ((b0 & 0xE0) >> 5) | ((b1 & 0xF0) >> 1);
    (
        full_year(year, hundred),
        or_every(b1 & 0x0F, EVERY_MONTH),
        or_every(b0 & 0x1F, EVERY_DAY),
    )
}

impl DateTime {
    #[inline]
    fn empty(kind: DateKind) -> Self {
        DateTime {
            kind,
            year: None,
            month: None,
            day: None,
            hour: None,
            minute: None,
            second: None,
            invalid: false,
            summer_time: false,
            leap_year: false,
            day_of_week: 0,
            week: 0,
            dst_deviation: 0,
        }
    }

    /// Decodes `bytes` (exactly `kind.len()` bytes, least significant
    /// first). `None` when the length is wrong.
    #[inline]
    pub fn decode(kind: DateKind, bytes: &[u8]) -> Option<DateTime> {
        let mut d = DateTime::empty(kind);
        match (kind, bytes) {
            (DateKind::G, &[b0, b1]) => {
                (d.year, d.month, d.day) = date_g(b0, b1, 0);
            }
            (DateKind::F, &[b0, b1, b2, b3]) => {
                d.minute = or_every(b0 & 0x3F, EVERY_MINUTE);
                d.invalid = b0 & 0x80 != 0;
                d.hour = or_every(b1 & 0x1F, EVERY_HOUR);
                d.summer_time = b1 & 0x80 != 0;
                (d.year, d.month, d.day) = date_g(b2, b3, (b1 >> 5) & 0x03);
            }
            (DateKind::I, &[b0, b1, b2, b3, b4, b5]) => {
                d.second = or_every(b0 & 0x3F, EVERY_SECOND);
                d.summer_time = b0 & 0x40 != 0;
                d.leap_year = b0 & 0x80 != 0;
                d.minute = or_every(b1 & 0x3F, EVERY_MINUTE);
                d.invalid = b1 & 0x80 != 0;
                d.hour = or_every(b2 & 0x1F, EVERY_HOUR);
                d.day_of_week = b2 >> 5;
                (d.year, d.month, d.day) = date_g(b3, b4, 0);
                d.week = b5 & 0x3F;
                let dev = (b5 >> 6) as i8;
                d.dst_deviation = if b1 & 0x40 != 0 { dev } else { -dev };
            }
            (DateKind::J, &[b0, b1, b2]) => {
                d.second = or_every(b0 & 0x3F, EVERY_SECOND);
                d.minute = or_every(b1 & 0x3F, EVERY_MINUTE);
                d.hour = or_every(b2 & 0x1F, EVERY_HOUR);
            }
            _ => return None,
        }
        Some(d)
    }

    /// Encodes into `out` (at least `self.kind.len()` bytes); returns the
    /// length written, or `None` when a field is out of range or `out` is
    /// too short. Fields the kind does not carry are ignored.
    pub fn encode(&self, out: &mut [u8]) -> Option<usize> {
        fn field(v: Option<u8>, every: u8, max: u8) -> Option<u8> {
            match v {
                None => Some(every),
                Some(x) if x <= max && x != every => Some(x),
                Some(_) => None,
            }
        }
        let date = |hundred_ok: bool| -> Option<(u8, u8, u8)> {
            let (y, h) = split_year(self.year)?;
            if h != 0 && !hundred_ok {
                return None;
            }
            let day = field(self.day, EVERY_DAY, 31)?;
            let month = field(self.month, EVERY_MONTH, 15)?;
            Some((day | ((y & 0x07) << 5), month | ((y & 0x78) << 1), h))
        };
        let len = self.kind.len();
        let out = out.get_mut(..len)?;
        match self.kind {
            DateKind::G => {
                let (b0, b1, _) = date(false)?;
                out.copy_from_slice(&[b0, b1]);
            }
            DateKind::F => {
                let (b2, b3, h) = date(true)?;
                let b0 = field(self.minute, EVERY_MINUTE, 63)? | (u8::from(self.invalid) << 7);
                let b1 = field(self.hour, EVERY_HOUR, 31)?
                    | (h << 5)
                    | (u8::from(self.summer_time) << 7);
                out.copy_from_slice(&[b0, b1, b2, b3]);
            }
            DateKind::I => {
                let (b3, b4, _) = date(false)?;
                if self.day_of_week > 7 || self.week > 63 || !(-3..=3).contains(&self.dst_deviation)
                {
                    return None;
                }
                let b0 = field(self.second, EVERY_SECOND, 63)?
                    | (u8::from(self.summer_time) << 6)
                    | (u8::from(self.leap_year) << 7);
                // A zero deviation is written with the "+" sign.
                let b1 = field(self.minute, EVERY_MINUTE, 63)?
                    | (u8::from(self.dst_deviation >= 0) << 6)
                    | (u8::from(self.invalid) << 7);
                let b2 = field(self.hour, EVERY_HOUR, 31)? | (self.day_of_week << 5);
                let b5 = self.week | (self.dst_deviation.unsigned_abs() << 6);
                out.copy_from_slice(&[b0, b1, b2, b3, b4, b5]);
            }
            DateKind::J => {
                let b0 = field(self.second, EVERY_SECOND, 63)?;
                let b1 = field(self.minute, EVERY_MINUTE, 63)?;
                let b2 = field(self.hour, EVERY_HOUR, 31)?;
                out.copy_from_slice(&[b0, b1, b2]);
            }
        }
        Some(len)
    }
}

/// Daylight-saving rules, EN 13757-3 data type K (4 bytes; VIF FD 72).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DaylightSaving {
    /// Hour (local time) at which summer time begins, 0–23 (31 = every).
    pub begin_hour: u8,
    /// Day of the month summer time begins, 1–31.
    pub begin_day: u8,
    /// Month summer time begins, 1–12.
    pub begin_month: u8,
    /// Day of the month summer time ends, 1–31.
    pub end_day: u8,
    /// Month summer time ends, 1–12.
    pub end_month: u8,
    /// Whether the daylight-saving switch is enabled.
    pub enabled: bool,
    /// The summer-time deviation in hours, -3…3.
    pub deviation: i8,
    /// The local time's offset to UTC in hours (5 bits: 0–23, 31 =
    /// not specified).
    pub local_offset: u8,
}

impl DaylightSaving {
    /// Decodes the 4 bytes (least significant first).
    pub fn decode(bytes: &[u8]) -> Option<DaylightSaving> {
        let &[b0, b1, b2, b3] = bytes else {
            return None;
        };
        let dev = ((b2 >> 5) & 0x03) as i8;
        Some(DaylightSaving {
            begin_hour: b0 & 0x1F,
            begin_day: b1 & 0x1F,
            begin_month: b3 & 0x0F,
            end_day: b2 & 0x1F,
            end_month: b3 >> 4,
            enabled: b1 & 0x80 != 0,
            deviation: if b2 & 0x80 != 0 { dev } else { -dev },
            local_offset: ((b0 >> 5) << 2) | ((b1 >> 5) & 0x03),
        })
    }

    /// Encodes into 4 bytes; `None` when a field is out of range.
    pub fn encode(&self) -> Option<[u8; 4]> {
        let ok = self.begin_hour <= 31
            && self.begin_day <= 31
            && self.end_day <= 31
            && self.begin_month <= 15
            && self.end_month <= 15
            && (-3..=3).contains(&self.deviation)
            && self.local_offset <= 31;
        ok.then(|| {
            [
                self.begin_hour | ((self.local_offset >> 2) << 5),
                self.begin_day | ((self.local_offset & 0x03) << 5) | (u8::from(self.enabled) << 7),
                self.end_day
                    | (self.deviation.unsigned_abs() << 5)
                    | (u8::from(self.deviation >= 0) << 7),
                self.begin_month | (self.end_month << 4),
            ]
        })
    }
}

impl fmt::Display for DaylightSaving {
    /// `--03-31T02/--10-27 +1h UTC+1` (ISO 8601 recurring month-day),
    /// `(disabled)` appended when the switch is off.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--{:02}-{:02}T{:02}/--{:02}-{:02} {:+}h UTC+{}",
            self.begin_month,
            self.begin_day,
            self.begin_hour,
            self.end_month,
            self.end_day,
            self.deviation,
            self.local_offset
        )?;
        if !self.enabled {
            f.write_str(" (disabled)")?;
        }
        Ok(())
    }
}

/// Writes a field, or `*` repeated `width` times for "every".
fn put(f: &mut fmt::Formatter<'_>, v: Option<impl Into<u16>>, width: usize) -> fmt::Result {
    match v {
        Some(v) => write!(f, "{:0width$}", v.into()),
        None => {
            for _ in 0..width {
                f.write_str("*")?;
            }
            Ok(())
        }
    }
}

impl fmt::Display for DateTime {
    /// ISO 8601 local time: `2024-03-31` (G), `2024-03-31T23:59:00` (F),
    /// `2024-03-31T23:59:58` (I), `23:59:58` (J). An "every" field prints
    /// as `*`s (ISO 8601 has no wildcard). No time zone: M-Bus time is local.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = |f: &mut fmt::Formatter<'_>| -> fmt::Result {
            put(f, self.year, 4)?;
            f.write_str("-")?;
            put(f, self.month, 2)?;
            f.write_str("-")?;
            put(f, self.day, 2)
        };
        let time = |f: &mut fmt::Formatter<'_>, sec: Option<u8>| -> fmt::Result {
            put(f, self.hour, 2)?;
            f.write_str(":")?;
            put(f, self.minute, 2)?;
            f.write_str(":")?;
            put(f, sec, 2)
        };
        match self.kind {
            DateKind::G => date(f),
            DateKind::F => {
                date(f)?;
                f.write_str("T")?;
                time(f, Some(0))
            }
            DateKind::I => {
                date(f)?;
                f.write_str("T")?;
                time(f, self.second)
            }
            DateKind::J => time(f, self.second),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn type_f_from_libmbus_edc_frame() {
        // 04 6D 19 0F 8A 17: EN 13757-3 type F, 2012-07-10 15:25.
        let d = DateTime::decode(DateKind::F, &[0x19, 0x0F, 0x8A, 0x17]).unwrap();
        assert_eq!(d.to_string(), "2012-07-10T15:25:00");
        assert!(!d.invalid && !d.summer_time);
    }

    #[test]
    fn day_31_is_a_day_and_0_is_every_day() {
        // Type G 31.12.2023: b0 = 31 | (23 & 7) << 5, b1 = 12 | (23 & 0x78) << 1.
        let d = DateTime::decode(DateKind::G, &[0x1F | (7 << 5), 0x0C | (0x10 << 1)]).unwrap();
        assert_eq!(d.to_string(), "2023-12-31");
        let e = DateTime::decode(DateKind::G, &[0xE0, 0xFF]).unwrap();
        assert_eq!((e.year, e.month, e.day), (None, None, None));
    }

    #[test]
    fn type_f_flags_and_hundred_year() {
        // IV set, SU set, hundred-year 1 with year 5 -> 2005.
        let d =
            DateTime::decode(DateKind::F, &[0x80 | 30, 0x80 | 0x20 | 12, 1 | (5 << 5), 6]).unwrap();
        assert!(d.invalid && d.summer_time);
        assert_eq!(d.year, Some(2005));
        assert_eq!(d.to_string(), "2005-06-01T12:30:00");
    }

    #[test]
    fn type_k_daylight_saving() {
        // Central Europe: begins 31 March 02:00, ends 27 October, +1 h,
        // UTC+1, enabled. local offset 1 = 0b00001: high bits 000, low 01.
        let b = [
            2,
            31 | (0b01 << 5) | 0x80,
            27 | (1 << 5) | 0x80,
            3 | (10 << 4),
        ];
        let k = DaylightSaving::decode(&b).unwrap();
        assert_eq!((k.begin_month, k.begin_day, k.begin_hour), (3, 31, 2));
        assert_eq!((k.end_month, k.end_day), (10, 27));
        assert_eq!((k.deviation, k.local_offset, k.enabled), (1, 1, true));
        assert_eq!(k.to_string(), "--03-31T02/--10-27 +1h UTC+1");
        assert_eq!(k.encode(), Some(b));
    }

    #[test]
    fn type_i_and_j() {
        // 2020-02-29 13:14:15, Saturday (6), week 9, leap year.
        let y = 20u8;
        // Leap year is b0 bit 7; b1 bit 6 is the deviation sign (+ for 0).
        let b = [
            15 | 0x80,
            14 | 0x40,
            13 | (6 << 5),
            29 | ((y & 7) << 5),
            2 | ((y & 0x78) << 1),
            9,
        ];
        let d = DateTime::decode(DateKind::I, &b).unwrap();
        assert_eq!(d.to_string(), "2020-02-29T13:14:15");
        assert!(d.leap_year);
        assert_eq!((d.day_of_week, d.week), (6, 9));
        let mut out = [0u8; 6];
        assert_eq!(d.encode(&mut out), Some(6));
        assert_eq!(out, b);
        let t = DateTime::decode(DateKind::J, &[59, 58, 23]).unwrap();
        assert_eq!(t.to_string(), "23:58:59");
    }
}
