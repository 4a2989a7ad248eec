//! The standard-mode horodate `SAAMMJJhhmmss`.

use crate::value::ValueError;

/// The season letter of a horodate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Season {
    /// `E`/`e`: summer time (CEST, UTC+2).
    Summer,
    /// `H`/`h`: winter time (CET, UTC+1).
    Winter,
    /// SP: no season information (seen on DPMx/FPMx).
    Unknown,
}

/// A horodate: local legal time with its season letter, kept exactly, since
/// the letter is what tells the repeated October hour apart.
///
/// ```
/// use webdyn_tic::{Horodate, Season};
/// let h = Horodate::parse(b"e240107175810")?;
/// assert_eq!((h.season, h.degraded), (Season::Summer, true));
/// assert_eq!((h.full_year(), h.month, h.day), (2024, 1, 7));
/// assert_eq!(&h.to_bytes(), b"e240107175810");
/// # Ok::<(), webdyn_tic::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Horodate {
    /// The season letter.
    pub season: Season,
    /// Lower-case letter: the meter clock is in degraded mode (not
    /// synchronised; STGE bit 16).
    pub degraded: bool,
    /// Year within the century, 0..=99.
    pub year: u8,
    /// Month, 1..=12.
    pub month: u8,
    /// Day, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=59.
    pub second: u8,
}

impl Horodate {
    /// Parses the 13-byte field. Offsets in errors count from its first byte.
    pub fn parse(raw: &[u8]) -> Result<Horodate, ValueError> {
        let [s, rest @ ..] = raw else {
            return Err(ValueError::Length {
                expected: 13,
                found: 0,
            });
        };
        if raw.len() != 13 {
            return Err(ValueError::Length {
                expected: 13,
                found: raw.len(),
            });
        }
        let (season, degraded) = match s {
            b'E' => (Season::Summer, false),
            b'e' => (Season::Summer, true),
            b'H' => (Season::Winter, false),
            b'h' => (Season::Winter, true),
            b' ' => (Season::Unknown, false),
            _ => return Err(ValueError::Season { at: 0 }),
        };
        let mut v = [0u8; 6];
        for (i, slot) in v.iter_mut().enumerate() {
            let at = 1 + 2 * i;
            let (Some(&a), Some(&b)) = (rest.get(2 * i), rest.get(2 * i + 1)) else {
                return Err(ValueError::NotDecimal { at });
            };
            if !a.is_ascii_digit() {
                return Err(ValueError::NotDecimal { at });
            }
            if !b.is_ascii_digit() {
                return Err(ValueError::NotDecimal { at: at + 1 });
            }
            *slot = (a - b'0') * 10 + (b - b'0');
        }
        let [year, month, day, hour, minute, second] = v;
        let check = |ok: bool, at: usize| {
            if ok {
                Ok(())
            } else {
                Err(ValueError::OutOfRange { at })
            }
        };
        check((1..=12).contains(&month), 3)?;
        check((1..=31).contains(&day), 5)?;
        check(hour <= 23, 7)?;
        check(minute <= 59, 9)?;
        check(second <= 59, 11)?;
        Ok(Horodate {
            season,
            degraded,
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The 13 bytes of the field.
    pub fn to_bytes(&self) -> [u8; 13] {
        let s = match (self.season, self.degraded) {
            (Season::Summer, false) => b'E',
            (Season::Summer, true) => b'e',
            (Season::Winter, false) => b'H',
            (Season::Winter, true) => b'h',
            (Season::Unknown, _) => b' ',
        };
        let mut out = [s; 13];
        let parts = [
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        ];
        for (pair, v) in out
            .get_mut(1..)
            .unwrap_or_default()
            .chunks_mut(2)
            .zip(parts)
        {
            if let [a, b] = pair {
                *a = b'0' + (v / 10) % 10;
                *b = b'0' + v % 10;
            }
        }
        out
    }

    /// The four-digit year (the meter only sends two digits; TIC began in
    /// the 1990s and Linky in 2010s, so 20YY).
    pub fn full_year(&self) -> u16 {
        2000 + u16::from(self.year)
    }

    /// The UTC offset the season letter announces, in hours (None for SP).
    pub fn utc_offset_hours(&self) -> Option<i8> {
        match self.season {
            Season::Summer => Some(2),
            Season::Winter => Some(1),
            Season::Unknown => None,
        }
    }
}

impl core::fmt::Display for Horodate {
    /// ISO 8601 with the offset the season letter gives (none for SP).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.full_year(),
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second
        )?;
        match self.utc_offset_hours() {
            Some(h) => write!(f, "+{h:02}:00"),
            None => Ok(()),
        }
    }
}

/// A PME-PMI date, `JJ/MM/AA HH:MM:SS` (17 bytes, local time, no season
/// letter), as found in the data of `DATE`, `DATEPA1..6`, `DebP`… groups.
///
/// ```
/// let d = webdyn_tic::PmeDate::parse(b"02/02/21 11:00:00")?;
/// assert_eq!((d.day, d.month, d.year, d.hour), (2, 2, 21, 11));
/// assert_eq!(&d.to_bytes(), b"02/02/21 11:00:00");
/// # Ok::<(), webdyn_tic::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PmeDate {
    /// Day, 1..=31.
    pub day: u8,
    /// Month, 1..=12.
    pub month: u8,
    /// Year within the century.
    pub year: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=59.
    pub second: u8,
}

impl PmeDate {
    /// Parses the 17 bytes. Offsets in errors count from the first byte.
    pub fn parse(raw: &[u8]) -> Result<PmeDate, ValueError> {
        if raw.len() != 17 {
            return Err(ValueError::Length {
                expected: 17,
                found: raw.len(),
            });
        }
        for (at, want) in [(2, b'/'), (5, b'/'), (8, b' '), (11, b':'), (14, b':')] {
            if raw.get(at) != Some(&want) {
                return Err(ValueError::OutOfRange { at });
            }
        }
        let two = |at: usize| -> Result<u8, ValueError> {
            match (raw.get(at), raw.get(at + 1)) {
                (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
                    Ok((a - b'0') * 10 + (b - b'0'))
                }
                (Some(a), _) if !a.is_ascii_digit() => Err(ValueError::NotDecimal { at }),
                _ => Err(ValueError::NotDecimal { at: at + 1 }),
            }
        };
        let d = PmeDate {
            day: two(0)?,
            month: two(3)?,
            year: two(6)?,
            hour: two(9)?,
            minute: two(12)?,
            second: two(15)?,
        };
        let checks = [
            ((1..=31).contains(&d.day), 0),
            ((1..=12).contains(&d.month), 3),
            (d.hour <= 23, 9),
            (d.minute <= 59, 12),
            (d.second <= 59, 15),
        ];
        for (ok, at) in checks {
            if !ok {
                return Err(ValueError::OutOfRange { at });
            }
        }
        Ok(d)
    }

    /// The 17 bytes of the field.
    pub fn to_bytes(&self) -> [u8; 17] {
        let mut out = *b"00/00/00 00:00:00";
        let parts = [
            (0, self.day),
            (3, self.month),
            (6, self.year),
            (9, self.hour),
            (12, self.minute),
            (15, self.second),
        ];
        for (at, v) in parts {
            if let Some([a, b]) = out
                .get_mut(at..at + 2)
                .and_then(|s| <&mut [u8; 2]>::try_from(s).ok())
            {
                *a = b'0' + (v / 10) % 10;
                *b = b'0' + v % 10;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        // tic.md §4: E090101120000 is 2009-01-01 12:00:00 marked summer.
        let h = Horodate::parse(b"E090101120000").unwrap();
        assert_eq!(
            (h.season, h.full_year(), h.month, h.day, h.hour),
            (Season::Summer, 2009, 1, 1, 12)
        );
        assert_eq!(h.to_string(), "2009-01-01T12:00:00+02:00");
        let h = Horodate::parse(b" 240108060000").unwrap();
        assert_eq!(h.season, Season::Unknown);
        assert_eq!(h.to_string(), "2024-01-08T06:00:00");
        assert_eq!(&h.to_bytes(), b" 240108060000");
        let h = Horodate::parse(b"H240107175810").unwrap();
        assert_eq!((h.minute, h.second, h.degraded), (58, 10, false));
    }

    #[test]
    fn pme_pmi_dates() {
        // tic.md §4: PME-PMI uses JJ/MM/AA HH:MM:SS with no DST flag.
        let d = PmeDate::parse(b"21/02/02 11:10:00").unwrap();
        assert_eq!((d.day, d.month, d.year, d.minute), (21, 2, 2, 10));
        assert_eq!(
            PmeDate::parse(b"21/13/02 11:10:00"),
            Err(ValueError::OutOfRange { at: 3 })
        );
        assert_eq!(
            PmeDate::parse(b"21-02/02 11:10:00"),
            Err(ValueError::OutOfRange { at: 2 })
        );
        assert_eq!(
            PmeDate::parse(b"21/02/0x 11:10:00"),
            Err(ValueError::NotDecimal { at: 7 })
        );
        assert!(PmeDate::parse(b"21/02/02").is_err());
    }

    #[test]
    fn rejects_bad_fields_without_panicking() {
        // teleinfo-nom panics on month 13.
        assert_eq!(
            Horodate::parse(b"E241301120000"),
            Err(ValueError::OutOfRange { at: 3 })
        );
        assert_eq!(
            Horodate::parse(b"X240101120000"),
            Err(ValueError::Season { at: 0 })
        );
        assert_eq!(
            Horodate::parse(b"E2401011200x0"),
            Err(ValueError::NotDecimal { at: 11 })
        );
        assert_eq!(
            Horodate::parse(b"E24"),
            Err(ValueError::Length {
                expected: 13,
                found: 3
            })
        );
        assert!(Horodate::parse(b"E240100120000").is_err());
        assert!(Horodate::parse(b"E240101240000").is_err());
    }
}
