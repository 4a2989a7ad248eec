//! Compact frames (CI 0x79 / 0x7B / 0x73) and the format-signature cache
//! that decodes them.
//!
//! A meter that sends the same records over and over (Kamstrup Multical 21,
//! OmniPower, Multical 603 …) sends now and then a *full frame* (ordinary
//! DIF/VIF records) and otherwise *compact frames* that leave the DIF/VIF
//! headers out. A compact application payload is
//!
//! ```text
//! signature (2, LSB first) | data CRC (2, LSB first) | data of record 1 | data of record 2 | …
//! ```
//!
//! * the **format signature** is CRC-16/EN-13757 ([`crate::crc::crc16`]:
//!   poly 0x3D65, init 0, xorout 0xFFFF) over the *format*: the DIF, DIFEs,
//!   VIF, VIFEs (and plain-text unit) of every record of the full frame, in
//!   order, without the data and without 0x2F fillers;
//! * the **data CRC** is the same CRC over the full frame's record bytes,
//!   headers and data interleaved as the full frame would send them
//!   (again without fillers): it checks the data *and* the format it is
//!   read with.
//!
//! Both were determined from real telegrams, not assumed: the three
//! Kamstrup meters of wmbusmeters' simulations whose full frame is
//! followed by a compact one (ids 76348799, 44556677, 32666857) give
//! signatures A8ED, C412, 8C13 and data CRCs B66A, FF0D, FBCC exactly by
//! this rule (`tests/wmbusmeters_corpora.rs` checks them). The CRC over the data bytes
//! alone, or sent MSB first, matches none of them. Those compact frames
//! repeat their full frame's values; a Kamstrup flowIQ 2200 pair posted in
//! wmbusmeters issue #1581, whose compact values differ from the full
//! frame's, also checks out (signature 0xA9F3, data CRC 0x5973 over the
//! records rebuilt from the compact data), so the data CRC is computed
//! over the frame's own values, not copied from the full frame.
//!
//! Formats known in advance (a driver's table of a meter configuration's
//! DIF/VIF bytes, as wmbusmeters keeps them) are preloaded with
//! [`FormatCache::insert`]`(&`[`Format::from_bytes`]`(…)?)`, so compact
//! frames decode before any full frame was heard.
//!
//! [`FormatCache`] remembers formats learned from full frames
//! ([`FormatCache::learn`]) and decodes compact payloads with them
//! ([`FormatCache::decode_compact`]): it rebuilds the full record bytes in a
//! buffer the caller owns, checks the data CRC and hands back the ordinary
//! [`Records`] iterator over them. Nothing is allocated; the cache is a
//! fixed array of `N` formats of up to [`MAX_FORMAT_LEN`] bytes each.
//! [`encode_compact`] writes the compact form of a full payload.
//!
//! ```
//! use webdyn_wmbus::app::compact::{encode_compact, FormatCache};
//! use webdyn_wmbus::app::Records;
//!
//! // A full frame's records: 04 13 (volume, litres) = 2.345 m3,
//! // 02 59 (flow temperature, 0.01 °C) = 21.5 °C.
//! let full = [0x04, 0x13, 0x29, 0x09, 0x00, 0x00, 0x02, 0x59, 0x66, 0x08];
//! let mut cache = FormatCache::<4>::new();
//! let signature = cache.learn(&full)?;
//!
//! // What the meter sends next: signature, data CRC, the 6 data bytes.
//! let mut compact = [0u8; 16];
//! let n = encode_compact(&full, &mut compact)?;
//! assert_eq!(n, 4 + 6);
//! assert_eq!(u16::from_le_bytes([compact[0], compact[1]]), signature);
//!
//! let mut buf = [0u8; 32];
//! let mut records = cache.decode_compact(&compact[..n], &mut buf)?;
//! let volume = records.next().unwrap()?;
//! assert_eq!((volume.value.to_string().as_str(), volume.unit()), ("2.345", "m3"));
//! let flow = records.next().unwrap()?;
//! assert_eq!((flow.value.to_string().as_str(), flow.unit()), ("21.50", "°C"));
//! assert!(records.next().is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{Error, Records};
use crate::crc::crc16;

/// The longest format (DIF/VIF bytes of all records of one full frame) a
/// [`Format`] holds. Compact-frame meters send a handful of records with
/// 2–4 header bytes each (the Kamstrup formats are 12–19 bytes); a full
/// frame with a longer format cannot be learned
/// ([`CompactError::FormatTooLong`]).
pub const MAX_FORMAT_LEN: usize = 64;

/// CRC-16/EN-13757 with incremental updates, for [`encode_compact`].
const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_EN_13757);

/// Why a format could not be learned or a compact payload not decoded.
/// Offsets are byte offsets in the payload that was passed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum CompactError {
    /// The compact payload ends before its 4-byte head, or inside the data
    /// of a record.
    #[error("byte {offset}: compact payload needs {needed} bytes, only {available} left")]
    Truncated {
        /// Where the missing bytes should start.
        offset: usize,
        /// Bytes needed from there.
        needed: usize,
        /// Bytes left from there.
        available: usize,
    },
    /// No full frame with this format signature has been learned.
    #[error("byte 0: format signature 0x{signature:04X} unknown (no full frame with it learned)")]
    UnknownSignature {
        /// The signature the compact payload names.
        signature: u16,
    },
    /// The data CRC does not match the rebuilt records: data corrupted, or
    /// a different format with the same signature.
    #[error("byte 2: data CRC 0x{expected:04X} sent, 0x{computed:04X} over the rebuilt records")]
    DataCrc {
        /// The CRC in the compact payload.
        expected: u16,
        /// The CRC of the rebuilt full records.
        computed: u16,
    },
    /// Data bytes left after the last record of the format.
    #[error("byte {offset}: {len} data bytes left after the last record of the format")]
    TrailingData {
        /// Offset of the first byte left over.
        offset: usize,
        /// How many are left.
        len: usize,
    },
    /// A record of the full frame (learning), or rebuilt from format and
    /// data (decoding), is invalid; `error`'s offset counts from the start
    /// of that record.
    #[error("record {index}: {error}")]
    Record {
        /// Index of the record, from 0.
        index: usize,
        /// What is wrong with it.
        error: Error,
    },
    /// The format is longer than [`MAX_FORMAT_LEN`].
    #[error("format of {len} bytes is longer than the {MAX_FORMAT_LEN} a cache entry holds")]
    FormatTooLong {
        /// Format length in bytes (as far as it was counted).
        len: usize,
    },
    /// The format bytes do not split into record headers (a header cut
    /// off, a 0x2F filler, or a header the record decoder reads otherwise).
    #[error("byte {offset} of the format: not a complete record header")]
    FormatInvalid {
        /// Offset in the format.
        offset: usize,
    },
    /// The full payload has no records, so there is no format to learn.
    #[error("the full payload has no records")]
    NoRecords,
    /// The output buffer is too small.
    #[error("output buffer too small: {needed} bytes needed")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
}

/// The format of a full frame: the DIF/VIF header bytes of its records,
/// in order (at most [`MAX_FORMAT_LEN`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Format {
    len: u8,
    bytes: [u8; MAX_FORMAT_LEN],
}

impl core::fmt::Debug for Format {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Format({:02X?})", self.as_bytes())
    }
}

impl Format {
    const EMPTY: Format = Format {
        len: 0,
        bytes: [0; MAX_FORMAT_LEN],
    };

    /// The format of the records of a full application payload (fillers
    /// skipped). Every record must decode.
    pub fn from_records(payload: &[u8]) -> Result<Format, CompactError> {
        let mut f = Format::EMPTY;
        for (index, r) in Records::new(payload).enumerate() {
            let r = r.map_err(|error| CompactError::Record { index, error })?;
            f.push(r.dif_bytes())?;
            f.push(r.vif_bytes())?;
        }
        if f.len == 0 {
            return Err(CompactError::NoRecords);
        }
        Ok(f)
    }

    /// A format given as its bytes (as a format frame carries it), checked
    /// to split into complete record headers.
    pub fn from_bytes(format: &[u8]) -> Result<Format, CompactError> {
        if format.is_empty() {
            return Err(CompactError::NoRecords);
        }
        let mut f = Format::EMPTY;
        f.push(format)?;
        let mut at = 0;
        while let Some(rest) = format.get(at..).filter(|r| !r.is_empty()) {
            at += header_len(rest).ok_or(CompactError::FormatInvalid { offset: at })?;
        }
        Ok(f)
    }

    fn push(&mut self, b: &[u8]) -> Result<(), CompactError> {
        let at = usize::from(self.len);
        let end = at + b.len();
        let dst = self
            .bytes
            .get_mut(at..end)
            .ok_or(CompactError::FormatTooLong { len: end })?;
        dst.copy_from_slice(b);
        // `end` ≤ MAX_FORMAT_LEN < 256 here.
        self.len = u8::try_from(end).unwrap_or(u8::MAX);
        Ok(())
    }

    /// The DIF/VIF bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The format signature: CRC-16/EN-13757 of [`Format::as_bytes`].
    pub fn signature(&self) -> u16 {
        crc16(self.as_bytes())
    }
}

/// The length of the record header (DIF, DIFEs, VIF, plain-text unit,
/// VIFEs) at the start of `f`; `None` if it is cut off or a filler.
fn header_len(f: &[u8]) -> Option<usize> {
    let dif = *f.first()?;
    if dif == 0x2F {
        return None;
    }
    // Special functions (manufacturer data, readout request) have no VIF.
    if dif & 0x0F == 0x0F {
        return Some(1);
    }
    let mut i = 1;
    let mut last = dif;
    while last & 0x80 != 0 {
        last = *f.get(i)?;
        i += 1;
    }
    let vif = *f.get(i)?;
    i += 1;
    // A plain-text unit (length, ASCII) follows the VIF, before any VIFE.
    if vif & 0x7F == 0x7C {
        i += 1 + usize::from(*f.get(i)?);
    }
    last = vif;
    while last & 0x80 != 0 {
        last = *f.get(i)?;
        i += 1;
    }
    (i <= f.len()).then_some(i)
}

/// Rebuilds the full records from `format` and compact `data` into `out`;
/// returns their length. `data_at` is where `data` starts in the compact
/// payload (for error offsets).
fn rebuild(
    format: &[u8],
    data: &[u8],
    data_at: usize,
    out: &mut [u8],
) -> Result<usize, CompactError> {
    let needed = format.len() + data.len();
    if out.len() < needed {
        return Err(CompactError::BufferTooSmall { needed });
    }
    let (mut f, mut d, mut p, mut index) = (0, 0, 0, 0);
    while let Some(rest) = format.get(f..).filter(|r| !r.is_empty()) {
        let bad = CompactError::FormatInvalid { offset: f };
        let h = header_len(rest).ok_or(bad)?;
        let header = rest.get(..h).ok_or(bad)?;
        let tail = data.get(d..).unwrap_or(&[]);
        // Header followed by all the data left: the record decoder then
        // finds this record's data length (fixed, LVAR or "to the end")
        // exactly as it would in the full frame.
        let room = out.get_mut(p..p + h + tail.len()).ok_or(bad)?;
        let (dst_h, dst_t) = room.split_at_mut(h);
        dst_h.copy_from_slice(header);
        dst_t.copy_from_slice(tail);
        let record = match Records::new(room).next() {
            Some(Ok(r)) => r,
            Some(Err(Error::TruncatedData {
                needed, available, ..
            })) => {
                return Err(CompactError::Truncated {
                    offset: data_at + d,
                    needed,
                    available,
                });
            }
            Some(Err(error)) => return Err(CompactError::Record { index, error }),
            None => return Err(bad),
        };
        if record.dif_bytes().len() + record.vif_bytes().len() != h {
            return Err(bad);
        }
        let len = record.raw().len().saturating_sub(h);
        p += h + len;
        d += len;
        f += h;
        index += 1;
    }
    if d < data.len() {
        return Err(CompactError::TrailingData {
            offset: data_at + d,
            len: data.len() - d,
        });
    }
    Ok(p)
}

/// Writes the compact form of the full application payload `payload`
/// (signature, data CRC, the records' data without their headers; fillers
/// dropped) into `out`; returns its length.
pub fn encode_compact(payload: &[u8], out: &mut [u8]) -> Result<usize, CompactError> {
    let format = Format::from_records(payload)?;
    let mut digest = CRC.digest();
    let mut n = 4;
    for r in Records::new(payload).flatten() {
        digest.update(r.raw());
        let d = r.data_bytes();
        let needed = n + d.len();
        out.get_mut(n..needed)
            .ok_or(CompactError::BufferTooSmall { needed })?
            .copy_from_slice(d);
        n = needed;
    }
    let [s0, s1] = format.signature().to_le_bytes();
    let [c0, c1] = digest.finalize().to_le_bytes();
    out.get_mut(..4)
        .ok_or(CompactError::BufferTooSmall { needed: n })?
        .copy_from_slice(&[s0, s1, c0, c1]);
    Ok(n)
}

#[derive(Clone, Copy)]
struct Slot {
    /// When it was learned (0: empty slot).
    learned: u64,
    signature: u16,
    format: Format,
}

/// Remembers up to `N` formats by signature; heap-free (`N` ×
/// ~[`MAX_FORMAT_LEN`] bytes inline).
///
/// Eviction: learning a signature already held replaces its format and
/// makes it the newest; learning a new one when all `N` slots are taken
/// replaces the one learned longest ago (FIFO by learning time; decoding
/// does not refresh an entry, so [`FormatCache::decode_compact`] needs only
/// `&self`). With `N = 0` nothing is remembered.
#[derive(Clone)]
pub struct FormatCache<const N: usize> {
    slots: [Slot; N],
    clock: u64,
}

impl<const N: usize> Default for FormatCache<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> core::fmt::Debug for FormatCache<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<const N: usize> FormatCache<N> {
    /// An empty cache.
    pub const fn new() -> Self {
        FormatCache {
            slots: [Slot {
                learned: 0,
                signature: 0,
                format: Format::EMPTY,
            }; N],
            clock: 0,
        }
    }

    /// Learns the format of a full frame's application payload (the
    /// records after the TPL header, decrypted); returns its signature.
    pub fn learn(&mut self, payload: &[u8]) -> Result<u16, CompactError> {
        let f = Format::from_records(payload)?;
        Ok(self.insert(&f))
    }

    /// Remembers `format` (see the type's eviction rule); returns its
    /// signature.
    pub fn insert(&mut self, format: &Format) -> u16 {
        let signature = format.signature();
        self.clock += 1;
        let slot = match self
            .slots
            .iter()
            .position(|s| s.learned != 0 && s.signature == signature)
        {
            Some(i) => self.slots.get_mut(i),
            // Empty slots have `learned == 0`, so they go first.
            None => self.slots.iter_mut().min_by_key(|s| s.learned),
        };
        if let Some(slot) = slot {
            *slot = Slot {
                learned: self.clock,
                signature,
                format: *format,
            };
        }
        signature
    }

    /// The format learned for `signature`.
    pub fn get(&self, signature: u16) -> Option<&Format> {
        self.slots
            .iter()
            .find(|s| s.learned != 0 && s.signature == signature)
            .map(|s| &s.format)
    }

    /// The (signature, format) pairs held, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &Format)> {
        self.slots
            .iter()
            .filter(|s| s.learned != 0)
            .map(|s| (s.signature, &s.format))
    }

    /// How many formats are held.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// True when no format is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every format.
    pub fn clear(&mut self) {
        *self = Self::new();
    }

    /// Decodes a compact application payload (what follows the TPL header
    /// of CI 0x79/0x7B/0x73, decrypted): looks its signature up, rebuilds
    /// the full records into `out` (which needs the format length plus the
    /// data length, `apl.len() - 4`, bytes), checks the data CRC over them
    /// and iterates over them.
    pub fn decode_compact<'o>(
        &self,
        apl: &[u8],
        out: &'o mut [u8],
    ) -> Result<Records<'o>, CompactError> {
        let Some(([s0, s1, c0, c1], data)) = apl.split_first_chunk::<4>() else {
            return Err(CompactError::Truncated {
                offset: 0,
                needed: 4,
                available: apl.len(),
            });
        };
        let signature = u16::from_le_bytes([*s0, *s1]);
        let expected = u16::from_le_bytes([*c0, *c1]);
        let format = self
            .get(signature)
            .ok_or(CompactError::UnknownSignature { signature })?;
        let n = rebuild(format.as_bytes(), data, 4, out)?;
        let out: &'o [u8] = out;
        let full = out.get(..n).unwrap_or(&[]);
        let computed = crc16(full);
        if computed != expected {
            return Err(CompactError::DataCrc { expected, computed });
        }
        Ok(Records::new(full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lengths() {
        assert_eq!(header_len(&[0x04, 0x13]), Some(2));
        // DIFE chain, FD extension with a VIFE.
        assert_eq!(header_len(&[0x84, 0x40, 0xFD, 0x97, 0x1D]), Some(5));
        // Plain text "kW" then a VIFE.
        assert_eq!(header_len(&[0x02, 0xFC, 0x02, b'W', b'k', 0x74]), Some(6));
        assert_eq!(header_len(&[0x0F, 0x01, 0x02]), Some(1));
        assert_eq!(header_len(&[0x84, 0xC0]), None);
        assert_eq!(header_len(&[0x02, 0x7C, 0x05, b'a']), None);
        assert_eq!(header_len(&[0x2F]), None);
    }
}
