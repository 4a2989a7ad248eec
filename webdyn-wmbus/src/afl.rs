//! Authentication and fragmentation layer (AFL, CI 0x90).
//!
//! `90 AFLL FCL(2, LE) [MCL] [KI(2)] [MCR(4, LE)] [ML(2)] [MAC]`; which
//! optional fields are present is said by FCL bits, the MAC length by the
//! MCL authentication type. The MAC is AES-CMAC over
//! `MCL ‖ MCR ‖ [ML] ‖ TPL…end`, truncated (checked in [`crate::security`]).

use crate::error::{Error, ErrorKind, Result};

/// The AFL CI.
pub const CI: u8 = 0x90;

/// FCL bit: key information present.
pub const FCL_KI: u16 = 0x0200;
/// FCL bit: MAC present.
pub const FCL_MAC: u16 = 0x0400;
/// FCL bit: message counter present.
pub const FCL_MCR: u16 = 0x0800;
/// FCL bit: message length present.
pub const FCL_ML: u16 = 0x1000;
/// FCL bit: message control present.
pub const FCL_MCL: u16 = 0x2000;
/// FCL bit: more fragments follow.
pub const FCL_MORE: u16 = 0x4000;

/// MAC length for an MCL authentication type (bits 0–3), or `None` when
/// the type is reserved. Type 0 means no MAC.
pub const fn mac_len(at: u8) -> Option<usize> {
    Some(match at & 0x0F {
        0 => 0,
        3 => 2,
        4 => 4,
        5 => 8,
        6 => 12,
        7 => 16,
        8 => 12,
        _ => return None,
    })
}

/// A MAC of up to 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mac {
    /// The bytes; only the first `len` count.
    pub bytes: [u8; 16],
    /// Length (2, 4, 8, 12 or 16).
    pub len: u8,
}

impl Mac {
    /// The significant bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

/// The AFL fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Repr {
    /// Fragmentation control: bits 0–7 fragment id, 0x4000 more fragments
    /// (the presence bits are derived from the fields when emitting).
    pub fcl: u16,
    /// Message control (MCL): bits 0–3 authentication type.
    pub mcl: Option<u8>,
    /// Key information.
    pub ki: Option<u16>,
    /// Message counter (MCR).
    pub mcr: Option<u32>,
    /// Message length (ML).
    pub ml: Option<u16>,
    /// MAC (its length follows the MCL authentication type).
    pub mac: Option<Mac>,
}

impl Repr {
    /// Fragment id (FCL bits 0–7).
    pub const fn fragment_id(&self) -> u8 {
        (self.fcl & 0xFF) as u8
    }
    /// More fragments follow.
    pub const fn more_fragments(&self) -> bool {
        self.fcl & FCL_MORE != 0
    }
    /// Authentication type (MCL bits 0–3; 0 without MCL).
    pub fn auth_type(&self) -> u8 {
        self.mcl.map_or(0, |m| m & 0x0F)
    }
    /// FCL with the presence bits set from the fields.
    pub fn fcl_with_flags(&self) -> u16 {
        let mut f = self.fcl & !(FCL_KI | FCL_MAC | FCL_MCR | FCL_ML | FCL_MCL);
        for (present, bit) in [
            (self.ki.is_some(), FCL_KI),
            (self.mac.is_some(), FCL_MAC),
            (self.mcr.is_some(), FCL_MCR),
            (self.ml.is_some(), FCL_ML),
            (self.mcl.is_some(), FCL_MCL),
        ] {
            if present {
                f |= bit;
            }
        }
        f
    }
    /// Bytes written by [`Repr::emit`], CI included.
    pub fn buffer_len(&self) -> usize {
        4 + usize::from(self.mcl.is_some())
            + if self.ki.is_some() { 2 } else { 0 }
            + if self.mcr.is_some() { 4 } else { 0 }
            + if self.ml.is_some() { 2 } else { 0 }
            + self.mac.map_or(0, |m| usize::from(m.len))
    }
    /// Offset of the MAC from the CI, when present.
    pub fn mac_offset(&self) -> Option<usize> {
        self.mac.map(|m| self.buffer_len() - usize::from(m.len))
    }

    /// Parses an AFL (CI first); returns it and its length.
    pub fn parse(b: &[u8]) -> Result<(Repr, usize)> {
        let [ci, afll, f0, f1, ..] = b else {
            return Err(Error::truncated(b.len(), 4usize.saturating_sub(b.len())));
        };
        if *ci != CI {
            return Err(Error::new(ErrorKind::UnknownCi(*ci), 0));
        }
        let total = 2 + usize::from(*afll);
        if b.len() < total {
            return Err(Error::truncated(b.len(), total - b.len()));
        }
        let fcl = u16::from_le_bytes([*f0, *f1]);
        let body = b.get(..total).unwrap_or(&[]);
        let mut at = 4;
        let mut take = |n: usize| -> Result<&[u8]> {
            let s = body.get(at..at + n).ok_or(Error::new(
                ErrorKind::BadLength {
                    declared: usize::from(*afll),
                    actual: at + n - 2,
                },
                1,
            ))?;
            at += n;
            Ok(s)
        };
        let mut r = Repr {
            fcl,
            ..Repr::default()
        };
        if fcl & FCL_MCL != 0 {
            r.mcl = take(1)?.first().copied();
        }
        if fcl & FCL_KI != 0
            && let [a, b] = take(2)?
        {
            r.ki = Some(u16::from_le_bytes([*a, *b]));
        }
        if fcl & FCL_MCR != 0
            && let [a, b, c, d] = take(4)?
        {
            r.mcr = Some(u32::from_le_bytes([*a, *b, *c, *d]));
        }
        if fcl & FCL_ML != 0
            && let [a, b] = take(2)?
        {
            r.ml = Some(u16::from_le_bytes([*a, *b]));
        }
        if fcl & FCL_MAC != 0 {
            let at_type = r.auth_type();
            let len = match mac_len(at_type) {
                Some(n) if n > 0 => n,
                _ => return Err(Error::new(ErrorKind::UnsupportedMacType(at_type), 4)),
            };
            let s = take(len)?;
            let mut mac = Mac {
                len: (len & 0xFF) as u8,
                ..Mac::default()
            };
            if let Some(d) = mac.bytes.get_mut(..len) {
                d.copy_from_slice(s);
            }
            r.mac = Some(mac);
        }
        if at != total {
            return Err(Error::new(
                ErrorKind::BadLength {
                    declared: usize::from(*afll),
                    actual: at - 2,
                },
                1,
            ));
        }
        Ok((r, total))
    }

    /// Writes the AFL, CI included; returns its length.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        let n = self.buffer_len();
        if let Some(m) = self.mac
            && (mac_len(self.auth_type()) != Some(usize::from(m.len)) || m.len == 0)
        {
            return Err(Error::new(
                ErrorKind::Invalid("AFL MAC length does not match the MCL authentication type"),
                0,
            ));
        }
        let dst = out
            .get_mut(..n)
            .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
        let mut buf = [0u8; 4 + 1 + 2 + 4 + 2 + 16];
        buf[0] = CI;
        buf[1] = ((n - 2) & 0xFF) as u8;
        buf[2..4].copy_from_slice(&self.fcl_with_flags().to_le_bytes());
        let mut at = 4;
        let mut put = |s: &[u8]| {
            if let Some(d) = buf.get_mut(at..at + s.len()) {
                d.copy_from_slice(s);
            }
            at += s.len();
        };
        if let Some(m) = self.mcl {
            put(&[m]);
        }
        if let Some(k) = self.ki {
            put(&k.to_le_bytes());
        }
        if let Some(c) = self.mcr {
            put(&c.to_le_bytes());
        }
        if let Some(l) = self.ml {
            put(&l.to_le_bytes());
        }
        if let Some(m) = self.mac {
            put(m.as_slice());
        }
        dst.copy_from_slice(buf.get(..n).unwrap_or(&[]));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example() {
        // Spec B6: 90 0F 002C 25 BC9E0000 BF48954821BC508D
        let b = [
            0x90, 0x0F, 0x00, 0x2C, 0x25, 0xBC, 0x9E, 0x00, 0x00, 0xBF, 0x48, 0x95, 0x48, 0x21,
            0xBC, 0x50, 0x8D, 0x72,
        ];
        let (r, n) = Repr::parse(&b).unwrap();
        assert_eq!(n, 17);
        assert_eq!(r.fcl, 0x2C00);
        assert_eq!(r.mcl, Some(0x25));
        assert_eq!(r.auth_type(), 5);
        assert_eq!(r.mcr, Some(0x9EBC));
        assert_eq!(r.mac.unwrap().as_slice(), &b[9..17]);
        assert_eq!((r.fragment_id(), r.more_fragments()), (0, false));
        let mut out = [0u8; 17];
        assert_eq!(r.emit(&mut out).unwrap(), 17);
        assert_eq!(out[..], b[..17]);
        // AFLL one short of its fields.
        let mut bad = b;
        bad[1] = 0x0E;
        assert!(Repr::parse(&bad).is_err());
    }
}
