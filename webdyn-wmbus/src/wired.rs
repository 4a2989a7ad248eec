//! Wired M-Bus (EN 13757-2) frames: the single character `E5`, the short
//! frame `10 C A CS 16`, and the long / control frame
//! `68 L L 68 C A CI data… CS 16`.
//!
//! L counts C, A, CI and the data; CS is the sum of those bytes modulo 256.
//! A control frame is a long frame without data (L = 3). The user data after
//! CI is what the application layer reads (for CI 0x72 it starts with the
//! 12-byte [`crate::tpl::LongHeader`]).

use crate::error::{Error, ErrorKind, Result};

/// The single-character acknowledgement.
pub const ACK: u8 = 0xE5;
/// Start byte of a short frame.
pub const SHORT_START: u8 = 0x10;
/// Start byte of a long or control frame.
pub const LONG_START: u8 = 0x68;
/// Stop byte.
pub const STOP: u8 = 0x16;

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |s, b| s.wrapping_add(*b))
}

/// A view of a long (or control) frame with checked accessors.
#[derive(Debug, Clone)]
pub struct LongFrame<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> LongFrame<T> {
    /// Checks start bytes, both length bytes, the checksum and the stop byte.
    /// Bytes after the stop byte are ignored (see [`LongFrame::frame_len`]).
    pub fn new_checked(buffer: T) -> Result<Self> {
        let b = buffer.as_ref();
        let [s1, l1, l2, s2, ..] = b else {
            return Err(Error::truncated(b.len(), 4usize.saturating_sub(b.len())));
        };
        expect(*s1, LONG_START, 0)?;
        expect(*l2, *l1, 2)?;
        expect(*s2, LONG_START, 3)?;
        let l = usize::from(*l1);
        if l < 3 {
            return Err(Error::new(
                ErrorKind::Invalid("long frame length below 3 (C, A, CI)"),
                1,
            ));
        }
        let total = l + 6;
        if b.len() < total {
            return Err(Error::truncated(b.len(), total - b.len()));
        }
        let body = b.get(4..4 + l).unwrap_or(&[]);
        let stored = b.get(4 + l).copied().unwrap_or(0);
        let computed = checksum(body);
        if stored != computed {
            return Err(Error::new(ErrorKind::Checksum { stored, computed }, 4 + l));
        }
        expect(b.get(5 + l).copied().unwrap_or(0), STOP, 5 + l)?;
        Ok(LongFrame { buffer })
    }

    fn byte(&self, i: usize) -> u8 {
        self.buffer.as_ref().get(i).copied().unwrap_or(0)
    }
    /// The L field.
    pub fn l(&self) -> u8 {
        self.byte(1)
    }
    /// The C field.
    pub fn c(&self) -> u8 {
        self.byte(4)
    }
    /// The primary address.
    pub fn a(&self) -> u8 {
        self.byte(5)
    }
    /// The CI field.
    pub fn ci(&self) -> u8 {
        self.byte(6)
    }
    /// The user data after CI, before the checksum.
    pub fn data(&self) -> &[u8] {
        let l = usize::from(self.l());
        self.buffer.as_ref().get(7..4 + l).unwrap_or(&[])
    }
    /// CI followed by the user data (what a TPL parser takes).
    pub fn ci_and_data(&self) -> &[u8] {
        let l = usize::from(self.l());
        self.buffer.as_ref().get(6..4 + l).unwrap_or(&[])
    }
    /// Total bytes of the frame, start to stop byte.
    pub fn frame_len(&self) -> usize {
        usize::from(self.l()) + 6
    }
    /// True for a control frame (no data after CI).
    pub fn is_control(&self) -> bool {
        self.l() == 3
    }
}

fn expect(found: u8, expected: u8, offset: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::UnexpectedByte { expected, found },
            offset,
        ))
    }
}

/// The fields of a long frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongRepr<'a> {
    /// C field.
    pub c: u8,
    /// Primary address.
    pub a: u8,
    /// CI field.
    pub ci: u8,
    /// User data after CI (at most 252 bytes).
    pub data: &'a [u8],
}

impl<'a> LongRepr<'a> {
    /// Reads the fields of a checked frame.
    pub fn parse(frame: &LongFrame<&'a [u8]>) -> LongRepr<'a> {
        let b: &'a [u8] = frame.buffer;
        let l = usize::from(frame.l());
        LongRepr {
            c: frame.c(),
            a: frame.a(),
            ci: frame.ci(),
            data: b.get(7..4 + l).unwrap_or(&[]),
        }
    }
    /// Bytes [`LongRepr::emit`] writes.
    pub fn buffer_len(&self) -> usize {
        self.data.len() + 9
    }
    /// Writes the frame with its lengths, checksum and stop byte.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        let l = u8::try_from(self.data.len() + 3)
            .map_err(|_| Error::new(ErrorKind::Invalid("long frame data over 252 bytes"), 0))?;
        let n = self.buffer_len();
        let Some(dst) = out.get_mut(..n) else {
            return Err(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0));
        };
        let (head, rest) = dst.split_at_mut(7);
        head.copy_from_slice(&[LONG_START, l, l, LONG_START, self.c, self.a, self.ci]);
        let (data, tail) = rest.split_at_mut(self.data.len());
        data.copy_from_slice(self.data);
        let cs = checksum(self.data)
            .wrapping_add(self.c)
            .wrapping_add(self.a)
            .wrapping_add(self.ci);
        tail.copy_from_slice(&[cs, STOP]);
        Ok(n)
    }
}

/// A short frame `10 C A CS 16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShortFrame {
    /// C field.
    pub c: u8,
    /// Primary address.
    pub a: u8,
}

impl ShortFrame {
    /// Parses the 5 bytes of a short frame.
    pub fn parse(b: &[u8]) -> Result<ShortFrame> {
        let [s, c, a, cs, stop, ..] = b else {
            return Err(Error::truncated(b.len(), 5usize.saturating_sub(b.len())));
        };
        expect(*s, SHORT_START, 0)?;
        let computed = c.wrapping_add(*a);
        if *cs != computed {
            return Err(Error::new(
                ErrorKind::Checksum {
                    stored: *cs,
                    computed,
                },
                3,
            ));
        }
        expect(*stop, STOP, 4)?;
        Ok(ShortFrame { c: *c, a: *a })
    }
    /// Writes the 5 bytes.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        crate::tpl::put(
            out,
            &[
                SHORT_START,
                self.c,
                self.a,
                self.c.wrapping_add(self.a),
                STOP,
            ],
        )
    }
}

/// Any wired M-Bus frame.
#[derive(Debug, Clone)]
pub enum Frame<'a> {
    /// The single character `E5`.
    Ack,
    /// A short frame.
    Short(ShortFrame),
    /// A long or control frame.
    Long(LongFrame<&'a [u8]>),
}

impl<'a> Frame<'a> {
    /// Parses the frame at the start of `b`; returns it and its length.
    pub fn parse(b: &'a [u8]) -> Result<(Frame<'a>, usize)> {
        match b.first() {
            None => Err(Error::truncated(0, 1)),
            Some(&ACK) => Ok((Frame::Ack, 1)),
            Some(&SHORT_START) => Ok((Frame::Short(ShortFrame::parse(b)?), 5)),
            Some(&LONG_START) => {
                let f = LongFrame::new_checked(b)?;
                let n = f.frame_len();
                Ok((Frame::Long(f), n))
            }
            Some(&found) => Err(Error::new(
                ErrorKind::UnexpectedByte {
                    expected: LONG_START,
                    found,
                },
                0,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_frame_roundtrip_and_checksum() {
        // RSP_UD from address 1, CI 0x72: checksum = sum(C..data) mod 256.
        let data = [
            0x78, 0x56, 0x34, 0x12, 0x24, 0x40, 0x01, 0x07, 0x55, 0x00, 0x00, 0x00,
        ];
        let repr = LongRepr {
            c: 0x08,
            a: 0x01,
            ci: 0x72,
            data: &data,
        };
        let mut out = [0u8; 32];
        let n = repr.emit(&mut out).unwrap();
        assert_eq!(n, 21);
        assert_eq!(out[..4], [0x68, 0x0F, 0x0F, 0x68]);
        let sum: u32 = 0x08 + 0x01 + 0x72 + data.iter().map(|&b| u32::from(b)).sum::<u32>();
        assert_eq!(out[19], (sum % 256) as u8);
        assert_eq!(out[20], 0x16);
        let f = LongFrame::new_checked(&out[..n]).unwrap();
        assert_eq!((f.c(), f.a(), f.ci()), (0x08, 0x01, 0x72));
        assert_eq!(f.data(), &data);
        assert_eq!(LongRepr::parse(&f), repr);
        out[10] ^= 1;
        let e = LongFrame::new_checked(&out[..n]).unwrap_err();
        assert_eq!(e.offset, 19);
    }

    #[test]
    fn short_and_ack() {
        // SND_NKE to address 0xFE: 10 40 FE 3E 16.
        let (f, n) = Frame::parse(&[0x10, 0x40, 0xFE, 0x3E, 0x16]).unwrap();
        assert_eq!(n, 5);
        assert!(matches!(f, Frame::Short(ShortFrame { c: 0x40, a: 0xFE })));
        assert!(matches!(Frame::parse(&[0xE5]).unwrap().0, Frame::Ack));
        assert!(ShortFrame::parse(&[0x10, 0x40, 0xFE, 0x3F, 0x16]).is_err());
    }
}
