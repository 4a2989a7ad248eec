//! Transport layer (TPL, EN 13757-7 / OMS): the CI field, the none / short /
//! long headers, the status byte and the configuration field.
//!
//! A TPL begins with its CI byte. The CI says which header follows:
//!
//! | header | bytes after CI | CI values |
//! |---|---|---|
//! | none | — | 0x69, 0x70, 0x78, 0x79 |
//! | short | ACC STS CFG(2) [CFG-ext] | 0x5A, 0x6A, 0x6E, 0x74, 0x7A, 0x7B, 0x7D, 0x7F, 0x8A |
//! | long | ID(4) M(2) Ver Type ACC STS CFG(2) [CFG-ext] | 0x5B, 0x6B, 0x6F, 0x72, 0x73, 0x75, 0x7C, 0x7E, 0x8B |
//!
//! The long header puts the identification **before** the manufacturer,
//! unlike the DLL. On wired M-Bus the two CFG bytes are the "signature" field.
//! The configuration field extension (one byte) is present in security mode 7.

use crate::error::{Error, ErrorKind, Result};

/// Which header a CI announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum HeaderKind {
    /// No TPL header: the application data follows the CI.
    None,
    /// Short header: access number, status, configuration.
    Short,
    /// Long header: identification, manufacturer, version, device type,
    /// then the short header's fields.
    Long,
}

impl HeaderKind {
    /// Size of the header after the CI, without the configuration extension.
    pub const fn len(self) -> usize {
        match self {
            HeaderKind::None => 0,
            HeaderKind::Short => SHORT_HEADER_LEN,
            HeaderKind::Long => LONG_HEADER_LEN,
        }
    }

    /// True for [`HeaderKind::None`].
    pub const fn is_empty(self) -> bool {
        matches!(self, HeaderKind::None)
    }
}

/// Size of the short header after the CI.
pub const SHORT_HEADER_LEN: usize = 4;
/// Size of the long header after the CI.
pub const LONG_HEADER_LEN: usize = 12;

/// What a TPL CI carries, with its header kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Content {
    /// EN 13757-3 application data (records), meter to other.
    Application,
    /// Compact application data (format signature and data CRC first).
    Compact,
    /// A format frame (the record headers of a compact frame).
    Format,
    /// An application error report.
    ApplicationError,
    /// An alarm.
    Alarm,
    /// DLMS/COSEM application data.
    Dlms,
    /// OBIS-based (SML) application data.
    Obis,
    /// No application layer at all (e.g. an acknowledgement).
    TplOnly,
    /// A command to the device (other to meter).
    Command,
}

/// The TPL meaning of a CI value, or `None` when the CI is not a TPL CI
/// (ELL, AFL, network layer, manufacturer specific, unknown).
#[inline]
pub const fn classify(ci: u8) -> Option<(Content, HeaderKind)> {
    use Content::*;
    use HeaderKind as H;
    Some(match ci {
        0x78 => (Application, H::None),
        0x7A => (Application, H::Short),
        0x72 => (Application, H::Long),
        0x79 => (Compact, H::None),
        0x7B => (Compact, H::Short),
        0x73 => (Compact, H::Long),
        0x69 => (Format, H::None),
        0x6A => (Format, H::Short),
        0x6B => (Format, H::Long),
        0x70 => (ApplicationError, H::None),
        0x6E => (ApplicationError, H::Short),
        0x6F => (ApplicationError, H::Long),
        0x74 => (Alarm, H::Short),
        0x75 => (Alarm, H::Long),
        0x7C => (Dlms, H::Long),
        0x7D => (Dlms, H::Short),
        0x7E => (Obis, H::Long),
        0x7F => (Obis, H::Short),
        0x8A => (TplOnly, H::Short),
        0x8B => (TplOnly, H::Long),
        0x5A => (Command, H::Short),
        0x5B => (Command, H::Long),
        _ => return None,
    })
}

/// The status byte (STS) of a short or long header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Status(pub u8);

impl Status {
    /// Bits 0–1: 0 no error, 1 application busy, 2 application error,
    /// 3 abnormal condition / alarm.
    pub const fn application(self) -> u8 {
        self.0 & 0x03
    }
    /// Bit 2: power low.
    pub const fn power_low(self) -> bool {
        self.0 & 0x04 != 0
    }
    /// Bit 3: permanent error.
    pub const fn permanent_error(self) -> bool {
        self.0 & 0x08 != 0
    }
    /// Bit 4: temporary error.
    pub const fn temporary_error(self) -> bool {
        self.0 & 0x10 != 0
    }
    /// Bits 5–7: manufacturer specific.
    pub const fn manufacturer_bits(self) -> u8 {
        self.0 >> 5
    }
}

/// The configuration field (CFG, 2 bytes little-endian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Config(pub u16);

impl Config {
    /// Builds the field of a mode 5 or mode 7 telegram with `blocks`
    /// encrypted 16-byte blocks (0–15) and the given flag bits (bits 0–3 and
    /// 13–15 kept, the others replaced).
    pub const fn encrypted(mode: u8, blocks: u8, flags: u16) -> Self {
        Config((flags & 0xE00F) | ((mode as u16 & 0x1F) << 8) | ((blocks as u16 & 0x0F) << 4))
    }
    /// Bits 8–12: the security mode (0 none, 5 AES-CBC with IV, 7 AES-CBC
    /// with derived keys, …).
    pub const fn security_mode(self) -> u8 {
        ((self.0 >> 8) & 0x1F) as u8
    }
    /// Bits 4–7 in modes 5 and 7: the number of encrypted 16-byte blocks.
    pub const fn encrypted_blocks(self) -> u8 {
        ((self.0 >> 4) & 0x0F) as u8
    }
    /// Bit 15: bidirectional communication.
    pub const fn bidirectional(self) -> bool {
        self.0 & 0x8000 != 0
    }
    /// Bit 14: accessibility.
    pub const fn accessibility(self) -> bool {
        self.0 & 0x4000 != 0
    }
    /// Bit 13: synchronous transmission.
    pub const fn synchronous(self) -> bool {
        self.0 & 0x2000 != 0
    }
    /// Bits 2–3 in mode 5: content of the message.
    pub const fn content(self) -> u8 {
        ((self.0 >> 2) & 0x03) as u8
    }
    /// Bit 1 in mode 5: repeated access.
    pub const fn repeated_access(self) -> bool {
        self.0 & 0x0002 != 0
    }
    /// Bit 0 in mode 5: hop counter.
    pub const fn hop_counter(self) -> bool {
        self.0 & 0x0001 != 0
    }
    /// True when a one-byte configuration extension follows (mode 7).
    pub const fn has_extension(self) -> bool {
        self.security_mode() == 7
    }
}

/// The configuration field extension of mode 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ConfigExt(pub u8);

impl ConfigExt {
    /// Bits 4–5: key derivation function (1 = OMS KDF-A).
    pub const fn kdf(self) -> u8 {
        (self.0 >> 4) & 0x03
    }
    /// Bits 0–3: key version / key id (OMS Vol. 2).
    pub const fn key_id(self) -> u8 {
        self.0 & 0x0F
    }
}

/// The short TPL header: access number, status, configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShortHeader {
    /// Access number (ACC), incremented per telegram.
    pub access_number: u8,
    /// Status byte (STS); see [`Status`].
    pub status: u8,
    /// Configuration field (CFG); see [`Config`]. On wired M-Bus: the
    /// signature field.
    pub config: u16,
}

impl ShortHeader {
    /// Parses the 4 bytes after the CI.
    #[inline]
    pub fn parse(bytes: &[u8]) -> Result<ShortHeader> {
        match bytes {
            [acc, sts, c0, c1, ..] => Ok(ShortHeader {
                access_number: *acc,
                status: *sts,
                config: u16::from_le_bytes([*c0, *c1]),
            }),
            _ => Err(Error::truncated(
                bytes.len(),
                SHORT_HEADER_LEN - bytes.len(),
            )),
        }
    }

    /// Writes the 4 bytes; returns 4.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        let [c0, c1] = self.config.to_le_bytes();
        put(out, &[self.access_number, self.status, c0, c1])
    }
}

/// The 12-byte long TPL header (CI 0x72 and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LongHeader {
    /// Identification number: the 4 little-endian bytes as a `u32`, so that
    /// its hexadecimal digits are the 8 digits a meter prints:
    /// `format!("{:08X}", id)` gives `"12345678"` for the bytes
    /// `78 56 34 12`. Normally BCD, but not always (see
    /// [`crate::dll::Address::id_decimal`]).
    pub id: u32,
    /// Manufacturer field (see [`crate::manufacturer_code`]).
    pub manufacturer: u16,
    /// Version / generation.
    pub version: u8,
    /// Device type (medium); see [`crate::dll::device_type_name`].
    pub device_type: u8,
    /// Access number (ACC).
    pub access_number: u8,
    /// Status byte (STS).
    pub status: u8,
    /// Configuration field; wired M-Bus: the signature field.
    pub config: u16,
}

impl LongHeader {
    /// Parses the 12 bytes after the CI (ID first, then M).
    #[inline]
    pub fn parse(bytes: &[u8]) -> Result<LongHeader> {
        match bytes {
            [i0, i1, i2, i3, m0, m1, ver, ty, acc, sts, c0, c1, ..] => Ok(LongHeader {
                id: u32::from_le_bytes([*i0, *i1, *i2, *i3]),
                manufacturer: u16::from_le_bytes([*m0, *m1]),
                version: *ver,
                device_type: *ty,
                access_number: *acc,
                status: *sts,
                config: u16::from_le_bytes([*c0, *c1]),
            }),
            _ => Err(Error::truncated(bytes.len(), LONG_HEADER_LEN - bytes.len())),
        }
    }

    /// Writes the 12 bytes; returns 12.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        let [i0, i1, i2, i3] = self.id.to_le_bytes();
        let [m0, m1] = self.manufacturer.to_le_bytes();
        let [c0, c1] = self.config.to_le_bytes();
        put(
            out,
            &[
                i0,
                i1,
                i2,
                i3,
                m0,
                m1,
                self.version,
                self.device_type,
                self.access_number,
                self.status,
                c0,
                c1,
            ],
        )
    }

    /// The access number, status and configuration as a short header.
    pub const fn short(&self) -> ShortHeader {
        ShortHeader {
            access_number: self.access_number,
            status: self.status,
            config: self.config,
        }
    }
}

/// The header after a TPL CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Header {
    /// No header.
    None,
    /// Short header.
    Short(ShortHeader),
    /// Long header.
    Long(LongHeader),
}

impl Header {
    /// The short-header fields, if any.
    pub const fn short(&self) -> Option<ShortHeader> {
        match self {
            Header::None => None,
            Header::Short(s) => Some(*s),
            Header::Long(l) => Some(l.short()),
        }
    }
    /// The kind of header.
    pub const fn kind(&self) -> HeaderKind {
        match self {
            Header::None => HeaderKind::None,
            Header::Short(_) => HeaderKind::Short,
            Header::Long(_) => HeaderKind::Long,
        }
    }
}

/// A view of a TPL (CI first) with checked accessors.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
    kind: HeaderKind,
    header_len: usize,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Checks that `buffer` starts with a TPL CI and holds its whole header.
    #[inline]
    pub fn new_checked(buffer: T) -> Result<Self> {
        let bytes = buffer.as_ref();
        let Some(&ci) = bytes.first() else {
            return Err(Error::truncated(0, 1));
        };
        let Some((_, kind)) = classify(ci) else {
            return Err(Error::new(ErrorKind::UnknownCi(ci), 0));
        };
        let mut header_len = 1 + kind.len();
        if bytes.len() < header_len {
            return Err(Error::truncated(bytes.len(), header_len - bytes.len()));
        }
        if kind != HeaderKind::None {
            let cfg = bytes
                .get(header_len - 2..header_len)
                .and_then(|c| <[u8; 2]>::try_from(c).ok())
                .map_or(0, u16::from_le_bytes);
            if Config(cfg).has_extension() {
                header_len += 1;
                if bytes.len() < header_len {
                    return Err(Error::truncated(bytes.len(), 1));
                }
            }
        }
        Ok(Packet {
            buffer,
            kind,
            header_len,
        })
    }

    /// The CI field.
    pub fn ci(&self) -> u8 {
        self.buffer.as_ref().first().copied().unwrap_or(0)
    }
    /// The header kind announced by the CI.
    pub fn header_kind(&self) -> HeaderKind {
        self.kind
    }
    /// Bytes of CI + header + configuration extension.
    pub fn header_len(&self) -> usize {
        self.header_len
    }
    /// The header bytes after the CI.
    pub fn header_bytes(&self) -> &[u8] {
        self.buffer.as_ref().get(1..self.header_len).unwrap_or(&[])
    }
    /// The configuration field extension byte, if present.
    pub fn config_ext(&self) -> Option<u8> {
        if self.header_len == 1 + self.kind.len() {
            None
        } else {
            self.buffer.as_ref().get(self.header_len - 1).copied()
        }
    }
    /// Everything after the header: application data, possibly encrypted.
    pub fn payload(&self) -> &[u8] {
        self.buffer.as_ref().get(self.header_len..).unwrap_or(&[])
    }
    /// Consumes the view, returning the buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }
}

/// A parsed TPL header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Repr {
    /// CI field.
    pub ci: u8,
    /// Header (its kind must match the CI).
    pub header: Header,
    /// Configuration field extension (present in security mode 7).
    pub config_ext: Option<u8>,
}

impl Repr {
    /// Parses the header of a checked packet.
    #[inline]
    pub fn parse<T: AsRef<[u8]>>(packet: &Packet<T>) -> Result<Repr> {
        let h = packet.header_bytes();
        let header = match packet.header_kind() {
            HeaderKind::None => Header::None,
            HeaderKind::Short => Header::Short(ShortHeader::parse(h).map_err(|e| e.shifted(1))?),
            HeaderKind::Long => Header::Long(LongHeader::parse(h).map_err(|e| e.shifted(1))?),
        };
        Ok(Repr {
            ci: packet.ci(),
            header,
            config_ext: packet.config_ext(),
        })
    }

    /// [`Repr::parse`] without the `Result`: a checked packet always holds
    /// its whole header, so the header cannot be short here. Built field by
    /// field in place, so that the telegram decoder keeps it in registers.
    #[inline(always)]
    pub(crate) fn read<T: AsRef<[u8]>>(packet: &Packet<T>) -> Repr {
        let h = packet.header_bytes();
        let header = match (packet.header_kind(), h) {
            (HeaderKind::Short, [acc, sts, c0, c1, ..]) => Header::Short(ShortHeader {
                access_number: *acc,
                status: *sts,
                config: u16::from_le_bytes([*c0, *c1]),
            }),
            (HeaderKind::Long, [i0, i1, i2, i3, m0, m1, ver, ty, acc, sts, c0, c1, ..]) => {
                Header::Long(LongHeader {
                    id: u32::from_le_bytes([*i0, *i1, *i2, *i3]),
                    manufacturer: u16::from_le_bytes([*m0, *m1]),
                    version: *ver,
                    device_type: *ty,
                    access_number: *acc,
                    status: *sts,
                    config: u16::from_le_bytes([*c0, *c1]),
                })
            }
            _ => Header::None,
        };
        Repr {
            ci: packet.ci(),
            header,
            config_ext: packet.config_ext(),
        }
    }

    /// Bytes [`Repr::emit`] writes.
    pub fn buffer_len(&self) -> usize {
        1 + self.header.kind().len() + usize::from(self.config_ext.is_some())
    }

    /// The configuration field (zero without a header).
    pub fn config(&self) -> Config {
        Config(self.header.short().map_or(0, |s| s.config))
    }

    /// Writes CI, header and extension; returns the bytes written.
    ///
    /// Fails when the CI does not announce this header kind, or when the
    /// extension is present exactly when the configuration says mode 7 is not.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        match classify(self.ci) {
            Some((_, k)) if k == self.header.kind() => {}
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::Invalid("TPL header kind does not match its CI"),
                    0,
                ));
            }
            None => return Err(Error::new(ErrorKind::UnknownCi(self.ci), 0)),
        }
        if self.config().has_extension() != self.config_ext.is_some() {
            return Err(Error::new(
                ErrorKind::Invalid("configuration extension present iff security mode 7"),
                0,
            ));
        }
        let need = self.buffer_len();
        let Some(dst) = out.get_mut(..need) else {
            return Err(Error::new(ErrorKind::BufferTooSmall { needed: need }, 0));
        };
        let (ci, rest) = dst.split_at_mut(1);
        ci.copy_from_slice(&[self.ci]);
        let n = match &self.header {
            Header::None => 0,
            Header::Short(s) => s.emit(rest)?,
            Header::Long(l) => l.emit(rest)?,
        };
        if let (Some(ext), Some(slot)) = (self.config_ext, rest.get_mut(n)) {
            *slot = ext;
        }
        Ok(need)
    }
}

/// Copies `src` to the front of `out`, or reports the size needed.
pub(crate) fn put(out: &mut [u8], src: &[u8]) -> Result<usize> {
    match out.get_mut(..src.len()) {
        Some(dst) => {
            dst.copy_from_slice(src);
            Ok(src.len())
        }
        None => Err(Error::new(
            ErrorKind::BufferTooSmall { needed: src.len() },
            0,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_header_is_id_first() {
        // EBZ example of the spec (B6): 72 99229922 5A14 01 02 F6 00 3007 10.
        let b = [
            0x72, 0x99, 0x22, 0x99, 0x22, 0x5A, 0x14, 0x01, 0x02, 0xF6, 0x00, 0x30, 0x07, 0x10,
            0x2F,
        ];
        let p = Packet::new_checked(&b[..]).unwrap();
        let r = Repr::parse(&p).unwrap();
        let Header::Long(l) = r.header else { panic!() };
        assert_eq!(l.id, 0x2299_2299);
        assert_eq!(l.manufacturer, 0x145A);
        assert_eq!(crate::manufacturer_code(l.manufacturer), *b"EBZ");
        assert_eq!((l.version, l.device_type, l.access_number), (1, 2, 0xF6));
        assert_eq!(r.config().security_mode(), 7);
        assert_eq!(r.config().encrypted_blocks(), 3);
        assert_eq!(r.config_ext, Some(0x10));
        assert_eq!(ConfigExt(0x10).kdf(), 1);
        assert_eq!(p.payload(), &[0x2F]);
        let mut out = [0u8; 14];
        assert_eq!(r.emit(&mut out).unwrap(), 14);
        assert_eq!(out[..], b[..14]);
    }

    #[test]
    fn truncated_short_header_is_located() {
        let e = Packet::new_checked(&[0x7A, 0x01][..]).unwrap_err();
        assert_eq!(e, Error::truncated(2, 3));
    }
}
