//! The CRC-32 trailer every hub file carries (manual §4.2.1.2, §5.1.1.4).
//!
//! A hub file is a BSON document whose **last** element is the int32 `crc`.
//! Its value is zlib's CRC-32 (CRC-32/ISO-HDLC) over the whole file, computed
//! with those four value bytes set to zero, and stored little-endian — which,
//! BSON int32 being little-endian, is simply the int32 value reinterpreted as
//! `u32`.
//!
//! Because the field is last, it always sits at the same place: the ten bytes
//! before the end are `10 'c' 'r' 'c' 00 <4 value bytes>` and then the
//! document's terminating `00`. This module only looks there; it is not a BSON
//! parser (the rest of the document is read by [`crate::bson`]). The key is
//! matched case-insensitively: the manual's own byte dump spells it `CRC`
//! (erratum E1).
//!
//! ```
//! use webdyn_files::easy::envelope::{self, CrcMode};
//! // The smallest hub file: `{"crc": 0}`.
//! let mut file = *b"\x0e\x00\x00\x00\x10crc\x00\x00\x00\x00\x00\x00";
//! // With the default crcMode (1), a zero CRC is not checked.
//! assert!(envelope::verify(&file, CrcMode::Partial).is_ok());
//! let crc = envelope::stamp(&mut file)?;
//! assert_eq!(envelope::verify(&file, CrcMode::Always)?.unwrap().stored, crc);
//! # Ok::<(), webdyn_files::easy::Error>(())
//! ```

use super::Error;

/// zlib's CRC-32 (CRC-32/ISO-HDLC: reflected polynomial 0x04C11DB7, initial
/// value and final xor 0xFFFFFFFF), the checksum of hub files.
pub fn crc32(bytes: &[u8]) -> u32 {
    CRC.checksum(bytes)
}

// Slice-by-16 (16 KB of tables) where there is room for it; the 1 KB table
// in no_std builds, where flash may be scarce.
#[cfg(feature = "std")]
type Tables = crc::Table<16>;
#[cfg(not(feature = "std"))]
type Tables = crc::Table<1>;

const CRC: crc::Crc<u32, Tables> = crc::Crc::<u32, Tables>::new(&crc::CRC_32_ISO_HDLC);

/// Length of the `crc` element plus the document terminator:
/// type byte, `crc\0`, four value bytes, final `00`.
const TRAILER: usize = 1 + 4 + 4 + 1;

/// The smallest hub file: length prefix and trailer.
pub const MIN_LEN: usize = 4 + TRAILER;

/// How strictly the CRC is checked: the hub's `config.security.crcMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u8", into = "u8"))]
pub enum CrcMode {
    /// `0`: the CRC is never checked.
    None,
    /// `1` (the hub's default): checked unless the stored CRC is 0, so a
    /// hand-written file may leave it at 0.
    #[default]
    Partial,
    /// `2`: always checked.
    Always,
}

impl CrcMode {
    /// The mode of a `crcMode` value (0, 1 or 2).
    pub const fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(CrcMode::None),
            1 => Some(CrcMode::Partial),
            2 => Some(CrcMode::Always),
            _ => None,
        }
    }

    /// The `crcMode` value of this mode.
    pub const fn as_u8(self) -> u8 {
        match self {
            CrcMode::None => 0,
            CrcMode::Partial => 1,
            CrcMode::Always => 2,
        }
    }

    /// Whether a file with this CRC check result is accepted in this mode.
    pub const fn accepts(self, check: &CrcCheck) -> bool {
        match self {
            CrcMode::None => true,
            CrcMode::Partial => check.stored == 0 || check.stored == check.computed,
            CrcMode::Always => check.stored == check.computed,
        }
    }
}

impl TryFrom<u8> for CrcMode {
    type Error = InvalidCrcMode;
    fn try_from(v: u8) -> Result<Self, InvalidCrcMode> {
        CrcMode::from_u8(v).ok_or(InvalidCrcMode(v))
    }
}

impl From<CrcMode> for u8 {
    fn from(m: CrcMode) -> u8 {
        m.as_u8()
    }
}

/// A `crcMode` value other than 0, 1 or 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("crcMode {0} is not 0 (none), 1 (partial) or 2 (always)")]
pub struct InvalidCrcMode(pub u8);

/// The stored and computed CRC of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CrcCheck {
    /// Offset of the four value bytes of the `crc` element.
    pub offset: usize,
    /// The value stored in the file (the int32 read as `u32`).
    pub stored: u32,
    /// The CRC-32 of the file with the four value bytes zeroed.
    pub computed: u32,
}

impl CrcCheck {
    /// True when the stored value equals the computed one.
    pub const fn matches(&self) -> bool {
        self.stored == self.computed
    }
}

/// Checks the BSON length prefix and finds the value bytes of the trailing
/// `crc` element: returns their offset.
pub fn locate(file: &[u8]) -> Result<usize, Error> {
    let len = file.len();
    let Some((prefix, _)) = file.split_first_chunk::<4>() else {
        return Err(Error::TooShort { len });
    };
    let declared = u32::from_le_bytes(*prefix);
    if usize::try_from(declared).ok() != Some(len) {
        return Err(Error::LengthMismatch {
            declared,
            actual: len,
        });
    }
    let header_at = len.checked_sub(TRAILER).filter(|&o| o >= 4);
    let Some(header_at) = header_at else {
        return Err(Error::TooShort { len });
    };
    match file.get(header_at..) {
        Some([0x10, c, r, c2, 0, _, _, _, _, 0])
            if c.eq_ignore_ascii_case(&b'c')
                && r.eq_ignore_ascii_case(&b'r')
                && c2.eq_ignore_ascii_case(&b'c') =>
        {
            Ok(header_at + 5)
        }
        _ => Err(Error::NoCrcField { offset: header_at }),
    }
}

/// Reads the stored CRC and computes the real one, without judging them.
pub fn check(file: &[u8]) -> Result<CrcCheck, Error> {
    let offset = locate(file)?;
    let (head, rest) = file.split_at_checked(offset).ok_or(Error::NoCrcField {
        offset: offset.saturating_sub(5),
    })?;
    let Some((value, tail)) = rest.split_first_chunk::<4>() else {
        return Err(Error::NoCrcField {
            offset: offset.saturating_sub(5),
        });
    };
    let mut digest = CRC.digest();
    digest.update(head);
    digest.update(&[0; 4]);
    digest.update(tail);
    Ok(CrcCheck {
        offset,
        stored: u32::from_le_bytes(*value),
        computed: digest.finalize(),
    })
}

/// Verifies a file's CRC the way the hub does in `mode`.
///
/// Returns the check result, or `None` in [`CrcMode::None`] when the file has
/// no `crc` element (the hub does not look for one then). Errors on a
/// malformed envelope or, per `mode`, a mismatch.
pub fn verify(file: &[u8], mode: CrcMode) -> Result<Option<CrcCheck>, Error> {
    let result = match check(file) {
        Ok(c) => c,
        Err(Error::NoCrcField { .. }) if mode == CrcMode::None => return Ok(None),
        Err(e) => return Err(e),
    };
    if mode.accepts(&result) {
        Ok(Some(result))
    } else {
        Err(Error::CrcMismatch {
            offset: result.offset,
            stored: result.stored,
            computed: result.computed,
        })
    }
}

/// Computes the CRC of a file whose last element is `crc` and writes it in
/// place, ready for the hub. Returns the CRC.
pub fn stamp(file: &mut [u8]) -> Result<u32, Error> {
    let c = check(file)?;
    if let Some(slot) = file.get_mut(c.offset..c.offset + 4) {
        slot.copy_from_slice(&c.computed.to_le_bytes());
    }
    Ok(c.computed)
}

/// Appends an int32 `crc` element (value 0) as the last field of a BSON
/// document held in `doc`, fixing its length prefix. Call [`stamp`] next.
///
/// `doc` must be a whole BSON document (length prefix and final `00`).
#[cfg(feature = "alloc")]
pub fn append_crc(doc: &mut alloc::vec::Vec<u8>) -> Result<(), Error> {
    let len = doc.len();
    let declared = doc
        .first_chunk::<4>()
        .map(|p| u32::from_le_bytes(*p))
        .ok_or(Error::TooShort { len })?;
    if usize::try_from(declared).ok() != Some(len) || len < 5 {
        return Err(Error::LengthMismatch {
            declared,
            actual: len,
        });
    }
    if doc.last() != Some(&0) {
        return Err(Error::NoCrcField {
            offset: len.saturating_sub(1),
        });
    }
    doc.pop();
    doc.extend_from_slice(b"\x10crc\x00\x00\x00\x00\x00\x00");
    let new_len = u32::try_from(doc.len()).map_err(|_| Error::LengthMismatch {
        declared,
        actual: len,
    })?;
    if let Some(p) = doc.get_mut(..4) {
        p.copy_from_slice(&new_len.to_le_bytes());
    }
    Ok(())
}
