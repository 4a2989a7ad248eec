//! Extended link layer (ELL, CI 0x8C–0x8F) and its AES-128-CTR encryption
//! (ELL security mode 1).
//!
//! | CI | bytes after CI |
//! |---|---|
//! | 0x8C | CC ACC |
//! | 0x8D | CC ACC SN(4) PayloadCRC(2) |
//! | 0x8E | CC ACC M2(2) A2(6) |
//! | 0x8F | CC ACC M2(2) A2(6) SN(4) PayloadCRC(2) |
//!
//! With ELL security mode 1 the payload CRC and everything after it are
//! encrypted; the payload CRC (little-endian) covers the decrypted bytes after
//! it and is what proves the key right.

use crate::dll::Address;
use crate::error::{Error, ErrorKind, Result};

/// Communication control bits (CC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CommControl(pub u8);

impl CommControl {
    /// 0x80: bidirectional.
    pub const BIDIRECTIONAL: u8 = 0x80;
    /// 0x40: response delay (fast).
    pub const RESPONSE_DELAY: u8 = 0x40;
    /// 0x20: synchronous.
    pub const SYNCHRONOUS: u8 = 0x20;
    /// 0x10: hop count (relayed).
    pub const HOP: u8 = 0x10;
    /// 0x08: priority.
    pub const PRIORITY: u8 = 0x08;
    /// 0x04: accessibility.
    pub const ACCESSIBILITY: u8 = 0x04;
    /// 0x02: repeated access.
    pub const REPEATED: u8 = 0x02;
    /// True when every bit of `mask` is set.
    pub const fn has(self, mask: u8) -> bool {
        self.0 & mask == mask
    }
}

/// The session number field (SN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SessionNumber(pub u32);

impl SessionNumber {
    /// Bits 0–3: session.
    pub const fn session(self) -> u8 {
        (self.0 & 0x0F) as u8
    }
    /// Bits 4–28: time.
    pub const fn time(self) -> u32 {
        (self.0 >> 4) & 0x01FF_FFFF
    }
    /// Bits 29–31: ELL security mode (0 none, 1 AES-128-CTR).
    pub const fn security_mode(self) -> u8 {
        (self.0 >> 29) as u8
    }
}

/// True for the ELL CIs.
pub const fn is_ell(ci: u8) -> bool {
    matches!(ci, 0x8C..=0x8F)
}

const fn layout(ci: u8) -> Option<(bool, bool)> {
    // (has M2/A2, has SN + payload CRC)
    match ci {
        0x8C => Some((false, false)),
        0x8D => Some((false, true)),
        0x8E => Some((true, false)),
        0x8F => Some((true, true)),
        _ => None,
    }
}

/// Bytes of an ELL with this CI, CI included.
pub const fn ell_len(ci: u8) -> Option<usize> {
    match layout(ci) {
        Some((addr, sn)) => Some(3 + if addr { 8 } else { 0 } + if sn { 6 } else { 0 }),
        None => None,
    }
}

/// A view of an ELL (CI first).
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Checks the CI and that the whole ELL is present.
    pub fn new_checked(buffer: T) -> Result<Self> {
        let b = buffer.as_ref();
        let Some(&ci) = b.first() else {
            return Err(Error::truncated(0, 1));
        };
        let Some(len) = ell_len(ci) else {
            return Err(Error::new(ErrorKind::UnknownCi(ci), 0));
        };
        if b.len() < len {
            return Err(Error::truncated(b.len(), len - b.len()));
        }
        Ok(Packet { buffer })
    }
    fn b(&self) -> &[u8] {
        self.buffer.as_ref()
    }
    /// The CI.
    pub fn ci(&self) -> u8 {
        self.b().first().copied().unwrap_or(0)
    }
    /// Length of the ELL, CI included (the payload CRC counts as part of the
    /// encrypted payload, not of this length).
    pub fn header_len(&self) -> usize {
        ell_len(self.ci()).unwrap_or(0) - if self.has_session() { 2 } else { 0 }
    }
    fn has_session(&self) -> bool {
        matches!(layout(self.ci()), Some((_, true)))
    }
    /// Parsed fields.
    pub fn repr(&self) -> Repr {
        let b = self.b();
        let g = |i: usize| b.get(i).copied().unwrap_or(0);
        let (addr, sn) = layout(self.ci()).unwrap_or((false, false));
        let mut at = 3;
        let second = if addr {
            let m = u16::from_le_bytes([g(3), g(4)]);
            let a = Address::parse(b.get(5..11).unwrap_or(&[])).unwrap_or_default();
            at = 11;
            Some((m, a))
        } else {
            None
        };
        let session =
            sn.then(|| SessionNumber(u32::from_le_bytes([g(at), g(at + 1), g(at + 2), g(at + 3)])));
        Repr {
            cc: g(1),
            access_number: g(2),
            second_address: second,
            session,
        }
    }
    /// Offset of the payload CRC (start of the ELL-encrypted region), if any.
    pub fn payload_crc_offset(&self) -> Option<usize> {
        self.has_session().then(|| self.header_len())
    }
}

/// The ELL fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Repr {
    /// Communication control (CC).
    pub cc: u8,
    /// Access number (ACC).
    pub access_number: u8,
    /// Second manufacturer and address (CI 0x8E / 0x8F).
    pub second_address: Option<(u16, Address)>,
    /// Session number (CI 0x8D / 0x8F); a payload CRC follows it.
    pub session: Option<SessionNumber>,
}

impl Repr {
    /// The CI these fields need.
    pub const fn ci(&self) -> u8 {
        match (self.second_address.is_some(), self.session.is_some()) {
            (false, false) => 0x8C,
            (false, true) => 0x8D,
            (true, false) => 0x8E,
            (true, true) => 0x8F,
        }
    }
    /// Bytes written by [`Repr::emit`] (without the payload CRC).
    pub const fn header_len(&self) -> usize {
        3 + if self.second_address.is_some() { 8 } else { 0 }
            + if self.session.is_some() { 4 } else { 0 }
    }
    /// Writes CI … SN (the payload CRC is written by the encoder, which
    /// computes it over the payload).
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        let n = self.header_len();
        let dst = out
            .get_mut(..n)
            .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
        let mut buf = [0u8; 15];
        buf[0] = self.ci();
        buf[1] = self.cc;
        buf[2] = self.access_number;
        let mut at = 3;
        if let Some((m, a)) = self.second_address {
            buf[3..5].copy_from_slice(&m.to_le_bytes());
            buf[5..11].copy_from_slice(&a.to_bytes());
            at = 11;
        }
        if let Some(sn) = self.session
            && let Some(d) = buf.get_mut(at..at + 4)
        {
            d.copy_from_slice(&sn.0.to_le_bytes());
        }
        dst.copy_from_slice(buf.get(..n).unwrap_or(&[]));
        Ok(n)
    }
}

/// The AES-CTR initial counter block: M ‖ A (DLL, on-air) ‖ CC without the
/// H and R bits ‖ SN ‖ FN = 0 ‖ BC = 0.
pub fn counter_block(m_and_a: &[u8; 8], cc: u8, sn: SessionNumber) -> [u8; 16] {
    let mut iv = [0u8; 16];
    let (ma, rest) = iv.split_at_mut(8);
    ma.copy_from_slice(m_and_a);
    let [c, s0, s1, s2, s3, ..] = rest else {
        return iv;
    };
    *c = cc & !(CommControl::HOP | CommControl::REPEATED);
    [*s0, *s1, *s2, *s3] = sn.0.to_le_bytes();
    iv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ell_i_of_spec_example() {
        // Spec B6: 8C 20 F6 -> CC 0x20 synchronous, ACC 0xF6.
        let p = Packet::new_checked(&[0x8C, 0x20, 0xF6, 0x90][..]).unwrap();
        let r = p.repr();
        assert_eq!(p.header_len(), 3);
        assert!(CommControl(r.cc).has(CommControl::SYNCHRONOUS));
        assert_eq!(r.access_number, 0xF6);
        let mut out = [0u8; 3];
        r.emit(&mut out).unwrap();
        assert_eq!(out, [0x8C, 0x20, 0xF6]);
    }

    #[test]
    fn counter_clears_hop_and_repeat() {
        let iv = counter_block(&[1, 2, 3, 4, 5, 6, 7, 8], 0x32, SessionNumber(0x2000_0001));
        assert_eq!(
            iv,
            [1, 2, 3, 4, 5, 6, 7, 8, 0x20, 0x01, 0, 0, 0x20, 0, 0, 0]
        );
        assert_eq!(SessionNumber(0x2000_0001).security_mode(), 1);
    }
}
