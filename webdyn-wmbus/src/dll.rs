//! Data link layer (EN 13757-4): L, C, M and A fields, CRCs already removed.
//!
//! ```text
//! offset 0  L   1  C   2..4 M (LE)   4..8 ID (LE)   8 version   9 device type   10 CI …
//! ```
//! L here has format-A meaning: the bytes after L, without CRCs
//! (see [`crate::frame`] for formats A/B and CRC handling).

use crate::error::{Error, ErrorKind, Result};

/// Size of the DLL header from L to the device type.
pub const HEADER_LEN: usize = 10;

/// A named C-field function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Function {
    /// 0x40: link reset (other → meter).
    SndNke,
    /// 0x53 / 0x73: send user data (other → meter).
    SndUd,
    /// 0x43: send user data 2 (other → meter).
    SndUd2,
    /// 0x44: spontaneous data, no reply (the normal meter telegram).
    SndNr,
    /// 0x46: installation request.
    SndIr,
    /// 0x47: access offered, no data.
    AccNr,
    /// 0x48: access demand.
    AccDmd,
    /// 0x5A / 0x7A: request class 1 data (alarm).
    ReqUd1,
    /// 0x5B / 0x7B: request class 2 data.
    ReqUd2,
    /// 0x00 (0x10/0x20/0x30): acknowledge.
    Ack,
    /// 0x01 (0x11/0x21/0x31): negative acknowledge.
    Nack,
    /// 0x06: confirm installation.
    CnfIr,
    /// 0x08 (0x18/0x28/0x38): response with user data.
    RspUd,
}

impl Function {
    /// The standard's name, e.g. `"SND_NR"`.
    pub const fn name(self) -> &'static str {
        match self {
            Function::SndNke => "SND_NKE",
            Function::SndUd => "SND_UD",
            Function::SndUd2 => "SND_UD2",
            Function::SndNr => "SND_NR",
            Function::SndIr => "SND_IR",
            Function::AccNr => "ACC_NR",
            Function::AccDmd => "ACC_DMD",
            Function::ReqUd1 => "REQ_UD1",
            Function::ReqUd2 => "REQ_UD2",
            Function::Ack => "ACK",
            Function::Nack => "NACK",
            Function::CnfIr => "CNF_IR",
            Function::RspUd => "RSP_UD",
        }
    }
}

/// The C field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Control(pub u8);

impl Control {
    /// Bit 6: sent by the primary (initiating) station.
    pub const fn primary(self) -> bool {
        self.0 & 0x40 != 0
    }
    /// The named function, or `None` for an unassigned value.
    pub const fn function(self) -> Option<Function> {
        Some(match self.0 {
            0x40 => Function::SndNke,
            0x53 | 0x73 => Function::SndUd,
            0x43 => Function::SndUd2,
            0x44 => Function::SndNr,
            0x46 => Function::SndIr,
            0x47 => Function::AccNr,
            0x48 => Function::AccDmd,
            0x5A | 0x7A => Function::ReqUd1,
            0x5B | 0x7B => Function::ReqUd2,
            0x00 | 0x10 | 0x20 | 0x30 => Function::Ack,
            0x01 | 0x11 | 0x21 | 0x31 => Function::Nack,
            0x06 => Function::CnfIr,
            0x08 | 0x18 | 0x28 | 0x38 => Function::RspUd,
            _ => return None,
        })
    }
}

/// The device type (medium) name, or `None` for reserved or manufacturer
/// specific values.
pub const fn device_type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0x00 => "other",
        0x01 => "oil",
        0x02 => "electricity",
        0x03 => "gas",
        0x04 => "heat (outlet)",
        0x05 => "steam",
        0x06 => "warm water (30-90 °C)",
        0x07 => "water",
        0x08 => "heat cost allocator",
        0x09 => "compressed air",
        0x0A => "cooling (outlet)",
        0x0B => "cooling (inlet)",
        0x0C => "heat (inlet)",
        0x0D => "heat/cooling",
        0x0E => "bus/system component",
        0x0F => "unknown",
        0x15 => "hot water (>= 90 °C)",
        0x16 => "cold water",
        0x17 => "hot/cold water",
        0x18 => "pressure",
        0x19 => "A/D converter",
        0x1A => "smoke detector",
        0x1B => "room sensor",
        0x1C => "gas detector",
        0x20 => "breaker",
        0x21 => "valve",
        0x25 => "customer unit/display",
        0x28 => "waste water",
        0x29 => "garbage",
        0x2A => "CO2",
        0x31 => "communication controller",
        0x32 => "unidirectional repeater",
        0x33 => "bidirectional repeater",
        0x36 => "radio converter (system side)",
        0x37 => "radio converter (meter side)",
        _ => return None,
    })
}

/// The A field: identification, version, device type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Address {
    /// The 4 little-endian identification bytes as a `u32`: its hexadecimal
    /// digits are what the meter prints (`{:08X}` of `0x12345678` is
    /// `"12345678"`). Not always BCD (Diehl IZAR ids like `20AA1CC1`).
    pub id: u32,
    /// Version / generation.
    pub version: u8,
    /// Device type; see [`device_type_name`].
    pub device_type: u8,
}

impl Address {
    /// Parses the 6 bytes ID(4, LE) version type.
    pub fn parse(b: &[u8]) -> Result<Address> {
        match b {
            [i0, i1, i2, i3, v, t, ..] => Ok(Address {
                id: u32::from_le_bytes([*i0, *i1, *i2, *i3]),
                version: *v,
                device_type: *t,
            }),
            _ => Err(Error::truncated(b.len(), 6 - b.len())),
        }
    }
    /// The 6 on-air bytes.
    pub fn to_bytes(&self) -> [u8; 6] {
        let [a, b, c, d] = self.id.to_le_bytes();
        [a, b, c, d, self.version, self.device_type]
    }
    /// The identification as a decimal number when every digit is BCD.
    pub fn id_decimal(&self) -> Option<u32> {
        bcd_to_decimal(self.id)
    }
}

/// A BCD-coded `u32` (hex digits 0–9 only) as its decimal value.
pub fn bcd_to_decimal(v: u32) -> Option<u32> {
    (0..8).rev().try_fold(0u32, |acc, i| {
        let d = (v >> (i * 4)) & 0xF;
        (d <= 9).then_some(acc * 10 + d)
    })
}

/// A view of a DLL frame (CRC-free) with checked accessors.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Checks that the 10 header bytes are present. The L field is not
    /// checked against the length: see [`crate::frame`].
    #[inline]
    pub fn new_checked(buffer: T) -> Result<Self> {
        let n = buffer.as_ref().len();
        if n < HEADER_LEN {
            return Err(Error::truncated(n, HEADER_LEN - n));
        }
        Ok(Packet { buffer })
    }
    fn byte(&self, i: usize) -> u8 {
        self.buffer.as_ref().get(i).copied().unwrap_or(0)
    }
    /// The L field as stored.
    pub fn l(&self) -> u8 {
        self.byte(0)
    }
    /// The C field.
    pub fn control(&self) -> Control {
        Control(self.byte(1))
    }
    /// The raw manufacturer field (little-endian on air).
    pub fn manufacturer(&self) -> u16 {
        u16::from_le_bytes([self.byte(2), self.byte(3)])
    }
    /// The A field.
    #[inline]
    pub fn address(&self) -> Address {
        Address {
            id: u32::from_le_bytes([self.byte(4), self.byte(5), self.byte(6), self.byte(7)]),
            version: self.byte(8),
            device_type: self.byte(9),
        }
    }
    /// The on-air M ‖ A bytes (the 8 bytes used by IVs and counters).
    pub fn m_and_a(&self) -> [u8; 8] {
        let mut out = [0u8; 8];
        if let Some(src) = self.buffer.as_ref().get(2..10) {
            out.copy_from_slice(src);
        }
        out
    }
    /// The CI field, if the frame has one.
    pub fn ci(&self) -> Option<u8> {
        self.buffer.as_ref().get(HEADER_LEN).copied()
    }
    /// Everything from the CI on.
    pub fn payload(&self) -> &[u8] {
        self.buffer.as_ref().get(HEADER_LEN..).unwrap_or(&[])
    }
}

/// The DLL header fields (L is derived from the payload length when emitting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Repr {
    /// C field.
    pub control: u8,
    /// Raw manufacturer field (bit 15 kept).
    pub manufacturer: u16,
    /// A field.
    pub address: Address,
}

impl Repr {
    /// Reads the fields of a checked packet.
    #[inline]
    pub fn parse<T: AsRef<[u8]>>(p: &Packet<T>) -> Repr {
        Repr {
            control: p.control().0,
            manufacturer: p.manufacturer(),
            address: p.address(),
        }
    }
    /// The on-air M ‖ A bytes.
    pub fn m_and_a(&self) -> [u8; 8] {
        let [m0, m1] = self.manufacturer.to_le_bytes();
        let [a, b, c, d, v, t] = self.address.to_bytes();
        [m0, m1, a, b, c, d, v, t]
    }
    /// Writes the 10 header bytes with L (format-A meaning) for a frame
    /// whose part after the header is `payload_len` bytes.
    pub fn emit(&self, payload_len: usize, out: &mut [u8]) -> Result<usize> {
        let l = u8::try_from(payload_len + 9)
            .map_err(|_| Error::new(ErrorKind::Invalid("frame longer than 255 bytes"), 0))?;
        let [m0, m1, a, b, c, d, v, t] = self.m_and_a();
        crate::tpl::put(out, &[l, self.control, m0, m1, a, b, c, d, v, t])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amber_example_header() {
        // Spec B10: 1E 44 A2 05 78 56 34 12 00 03 7A …
        let b = [
            0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A,
        ];
        let p = Packet::new_checked(&b[..]).unwrap();
        assert_eq!(p.control().function(), Some(Function::SndNr));
        assert_eq!(p.control().function().unwrap().name(), "SND_NR");
        assert_eq!(crate::manufacturer_code(p.manufacturer()), *b"AMB");
        assert_eq!(p.address().id, 0x1234_5678);
        assert_eq!(p.address().id_decimal(), Some(12_345_678));
        assert_eq!(device_type_name(p.address().device_type), Some("gas"));
        assert_eq!(p.ci(), Some(0x7A));
        let mut out = [0u8; 10];
        Repr::parse(&p).emit(0x1E - 9, &mut out).unwrap();
        assert_eq!(out[..], b[..10]);
        assert_eq!(bcd_to_decimal(0x20AA_1CC1), None);
    }
}
