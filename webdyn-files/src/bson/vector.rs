//! Binary subtype `0x09`: dense vectors of `int8`, `float32` or packed bits,
//! as MongoDB vector search stores them (BSON binary vector specification).
//!
//! The payload of a vector binary is two header bytes and the data:
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | dtype: `0x03` int8, `0x27` float32, `0x10` packed bit ([`dtype`]) |
//! | 1 | padding: how many low bits of the last byte are not part of the vector (packed bit only, 0..=7) |
//! | 2.. | the elements: one byte per int8, four little-endian bytes per float32, eight bits per byte (most significant first) for packed bits |
//!
//! [`Vector`] is a borrowed, checked view over such a payload (nothing is
//! copied; float32 elements are read byte-wise, so the payload needs no
//! alignment). [`VectorRepr`] holds typed values and writes the canonical
//! payload into a caller buffer ([`VectorRepr::emit`]) or, with `alloc`,
//! into a `Vec` ([`VectorRepr::to_vec`]). Both sides reject what the
//! specification's test corpus calls invalid: padding on int8 or float32,
//! padding above 7, padding on an empty vector, a float32 payload that is
//! not a whole number of elements. Packed-bit vectors whose ignored bits are
//! not zero are rejected too, in both directions: the specification
//! prefers that, and it keeps byte equality and vector equality the same.
//!
//! ```
//! use webdyn_files::bson::{RawDocument, Writer, spec::subtype};
//! use webdyn_files::bson::vector::{Vector, VectorRepr};
//!
//! let mut payload = [0u8; 10];
//! let n = VectorRepr::Float32(&[127.0, 7.0]).emit(&mut payload)?;
//! assert_eq!(&payload[..n], &[0x27, 0x00, 0x00, 0x00, 0xFE, 0x42, 0x00, 0x00, 0xE0, 0x40]);
//!
//! let mut buf = [0u8; 64];
//! let mut w = Writer::new(&mut buf);
//! w.start_document()?;
//! w.append_binary("vector", subtype::VECTOR, &payload[..n])?;
//! w.end_document()?;
//! let doc = RawDocument::parse(w.into_bytes()?)?;
//! let bin = doc.get_binary("vector")?.expect("present");
//! let Vector::Float32(v) = bin.vector()? else { panic!("float32 expected") };
//! assert!(v.iter().eq([127.0f32, 7.0]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use super::raw::RawBinary;
use super::spec::subtype;

/// The dtype bytes of the binary vector specification.
pub mod dtype {
    /// Signed 8-bit integers, one byte each.
    pub const INT8: u8 = 0x03;
    /// IEEE 754 binary32, four little-endian bytes each.
    pub const FLOAT32: u8 = 0x27;
    /// Single bits, eight per byte, most significant bit first.
    pub const PACKED_BIT: u8 = 0x10;
}

/// The element type of a vector, named after its dtype byte ([`dtype`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dtype {
    /// `0x03`: `i8` elements.
    Int8,
    /// `0x27`: `f32` elements.
    Float32,
    /// `0x10`: single-bit elements.
    PackedBit,
}

impl Dtype {
    /// The dtype of a header byte, `None` for a byte the specification does
    /// not define.
    pub const fn from_u8(byte: u8) -> Option<Self> {
        match byte {
            dtype::INT8 => Some(Self::Int8),
            dtype::FLOAT32 => Some(Self::Float32),
            dtype::PACKED_BIT => Some(Self::PackedBit),
            _ => None,
        }
    }

    /// The header byte.
    pub const fn to_u8(self) -> u8 {
        match self {
            Self::Int8 => dtype::INT8,
            Self::Float32 => dtype::FLOAT32,
            Self::PackedBit => dtype::PACKED_BIT,
        }
    }

    /// The specification's name (`INT8`, `FLOAT32`, `PACKED_BIT`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Int8 => "INT8",
            Self::Float32 => "FLOAT32",
            Self::PackedBit => "PACKED_BIT",
        }
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is wrong with a vector payload or with values to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VectorErrorKind {
    /// The binary's subtype is not `0x09`.
    #[error("binary subtype 0x{0:02x} is not a vector (0x09)")]
    NotAVector(u8),
    /// The payload is shorter than the two header bytes.
    #[error("vector payload of {0} bytes has no dtype and padding header")]
    MissingHeader(usize),
    /// The dtype byte is none of int8, float32, packed bit.
    #[error("unknown vector dtype 0x{0:02x}")]
    UnknownDtype(u8),
    /// Padding on an int8 or float32 vector, where every byte is data.
    #[error("padding {padding} on a vector of dtype {dtype} (only PACKED_BIT has padding)")]
    PaddingNotAllowed {
        /// The vector's dtype.
        dtype: Dtype,
        /// The padding found.
        padding: u8,
    },
    /// Padding above 7: a whole byte or more would be ignored.
    #[error("padding {0} exceeds 7 bits")]
    PaddingTooLarge(u8),
    /// Padding on an empty packed-bit vector: there is no last byte to pad.
    #[error("padding {0} on an empty PACKED_BIT vector")]
    PaddingWithoutData(u8),
    /// Float32 data whose length is not a multiple of 4.
    #[error("{0} float32 data bytes are not a whole number of 4-byte elements")]
    Float32Length(usize),
    /// Bits ignored by the padding are not zero in the last byte.
    #[error("last byte 0x{byte:02x} has non-zero bits in its {padding} ignored low bits")]
    IgnoredBitsSet {
        /// The last data byte.
        byte: u8,
        /// The padding in force.
        padding: u8,
    },
    /// The caller's buffer cannot hold the encoded payload.
    #[error("output buffer too small: {needed} bytes needed, {available} available")]
    BufferTooSmall {
        /// Bytes the payload needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

/// A vector error: what ([`VectorErrorKind`]) and the byte offset in the
/// payload (0 is the dtype byte, 1 the padding, 2 the first data byte).
///
/// When encoding, the offset is where the bad input would land in the
/// payload (1 for bad padding, the last byte for ignored bits); for
/// [`VectorErrorKind::BufferTooSmall`] it is the buffer's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at vector byte {offset}")]
pub struct VectorError {
    /// What went wrong.
    pub kind: VectorErrorKind,
    /// Where, from the start of the payload.
    pub offset: usize,
}

impl VectorError {
    const fn new(kind: VectorErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

/// Offset of the first data byte.
const HEADER: usize = 2;

/// Checks the padding of a packed-bit vector against its data bytes; shared
/// by the parser and the encoder so both accept exactly the same set.
fn check_packed(bytes: &[u8], padding: u8) -> Result<(), VectorError> {
    if padding > 7 {
        return Err(VectorError::new(
            VectorErrorKind::PaddingTooLarge(padding),
            1,
        ));
    }
    let Some(&last) = bytes.last() else {
        return if padding == 0 {
            Ok(())
        } else {
            Err(VectorError::new(
                VectorErrorKind::PaddingWithoutData(padding),
                1,
            ))
        };
    };
    // padding <= 7 here, so the shift cannot overflow a u8 mask.
    let ignored = (1u8 << padding).wrapping_sub(1);
    if last & ignored != 0 {
        return Err(VectorError::new(
            VectorErrorKind::IgnoredBitsSet {
                byte: last,
                padding,
            },
            HEADER + bytes.len() - 1,
        ));
    }
    Ok(())
}

/// A checked view over a vector payload (binary subtype `0x09`), borrowing
/// its data.
///
/// Equality compares dtype, padding and data bytes, as the specification's
/// comparison prose test does: float32 elements compare by bit pattern
/// (`0.0` and `-0.0` differ, identical NaNs are equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vector<'a> {
    /// `int8` elements.
    Int8(Int8Vector<'a>),
    /// `float32` elements.
    Float32(Float32Vector<'a>),
    /// Packed bits.
    PackedBit(PackedBitVector<'a>),
}

impl<'a> Vector<'a> {
    /// Checks a vector payload (the bytes of a subtype-`0x09` binary, header
    /// included). Fails on every case the specification calls invalid; see
    /// the [module documentation](self).
    pub fn parse(payload: &'a [u8]) -> Result<Self, VectorError> {
        let [dt, padding, data @ ..] = payload else {
            return Err(VectorError::new(
                VectorErrorKind::MissingHeader(payload.len()),
                payload.len(),
            ));
        };
        let (dt, padding) = (*dt, *padding);
        let dtype =
            Dtype::from_u8(dt).ok_or(VectorError::new(VectorErrorKind::UnknownDtype(dt), 0))?;
        if dtype != Dtype::PackedBit && padding != 0 {
            return Err(VectorError::new(
                VectorErrorKind::PaddingNotAllowed { dtype, padding },
                1,
            ));
        }
        Ok(match dtype {
            Dtype::Int8 => Self::Int8(Int8Vector { data }),
            Dtype::Float32 => {
                if data.len() % 4 != 0 {
                    // Point at the first byte of the incomplete element.
                    let whole = data.len() - data.len() % 4;
                    return Err(VectorError::new(
                        VectorErrorKind::Float32Length(data.len()),
                        HEADER + whole,
                    ));
                }
                Self::Float32(Float32Vector { data })
            }
            Dtype::PackedBit => {
                check_packed(data, padding)?;
                Self::PackedBit(PackedBitVector {
                    bytes: data,
                    padding,
                })
            }
        })
    }

    /// The element type.
    pub const fn dtype(&self) -> Dtype {
        match self {
            Self::Int8(_) => Dtype::Int8,
            Self::Float32(_) => Dtype::Float32,
            Self::PackedBit(_) => Dtype::PackedBit,
        }
    }

    /// The padding byte (always 0 except for packed bits).
    pub const fn padding(&self) -> u8 {
        match self {
            Self::PackedBit(p) => p.padding,
            _ => 0,
        }
    }

    /// The number of elements (bits for a packed-bit vector).
    pub const fn len(&self) -> usize {
        match self {
            Self::Int8(v) => v.len(),
            Self::Float32(v) => v.len(),
            Self::PackedBit(v) => v.len(),
        }
    }

    /// Whether the vector has no element.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The data bytes, after the two header bytes.
    pub const fn data(&self) -> &'a [u8] {
        match self {
            Self::Int8(v) => v.data,
            Self::Float32(v) => v.data,
            Self::PackedBit(v) => v.bytes,
        }
    }

    /// The payload length: the two header bytes plus the data.
    pub const fn encoded_len(&self) -> usize {
        HEADER + self.data().len()
    }

    /// Writes the payload (header and data) into `out`, returning its
    /// length. A parsed view is canonical already, so this is a copy.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, VectorError> {
        let (n, data) = header(out, self.encoded_len(), self.dtype(), self.padding())?;
        if let Some(dst) = data.get_mut(..self.data().len()) {
            dst.copy_from_slice(self.data());
        }
        Ok(n)
    }
}

/// Splits `out` for a payload of `needed` bytes and writes the header.
fn header(
    out: &mut [u8],
    needed: usize,
    dtype: Dtype,
    padding: u8,
) -> Result<(usize, &mut [u8]), VectorError> {
    let available = out.len();
    let Some([dt, pad, rest @ ..]) = out.get_mut(..needed) else {
        return Err(VectorError::new(
            VectorErrorKind::BufferTooSmall { needed, available },
            available,
        ));
    };
    *dt = dtype.to_u8();
    *pad = padding;
    Ok((needed, rest))
}

impl<'a> RawBinary<'a> {
    /// This binary as a [`Vector`]: fails with
    /// [`VectorErrorKind::NotAVector`] unless the subtype is `0x09`, then as
    /// [`Vector::parse`] does.
    pub fn vector(&self) -> Result<Vector<'a>, VectorError> {
        if self.subtype != subtype::VECTOR {
            return Err(VectorError::new(
                VectorErrorKind::NotAVector(self.subtype),
                0,
            ));
        }
        Vector::parse(self.bytes)
    }
}

#[cfg(feature = "alloc")]
impl super::document::Binary {
    /// This binary as a [`Vector`] borrowing its bytes; see
    /// [`RawBinary::vector`].
    pub fn vector(&self) -> Result<Vector<'_>, VectorError> {
        RawBinary {
            subtype: self.subtype,
            bytes: &self.bytes,
        }
        .vector()
    }

    /// A subtype-`0x09` binary holding the canonical payload of `repr`.
    pub fn from_vector(repr: &VectorRepr<'_>) -> Result<Self, VectorError> {
        Ok(Self {
            subtype: subtype::VECTOR,
            bytes: repr.to_vec()?,
        })
    }
}

/// The data of an `int8` vector: one byte per element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int8Vector<'a> {
    data: &'a [u8],
}

impl<'a> Int8Vector<'a> {
    /// The number of elements.
    pub const fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether there is no element.
    pub const fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The element at `index`.
    pub fn get(&self, index: usize) -> Option<i8> {
        self.data.get(index).map(|&b| b as i8)
    }

    /// The elements in order.
    pub fn iter(&self) -> Int8Iter<'a> {
        Int8Iter {
            inner: self.data.iter(),
        }
    }

    /// The data bytes (two's complement).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.data
    }
}

impl<'a> IntoIterator for Int8Vector<'a> {
    type Item = i8;
    type IntoIter = Int8Iter<'a>;
    fn into_iter(self) -> Int8Iter<'a> {
        self.iter()
    }
}

/// Iterator over the elements of an [`Int8Vector`].
#[derive(Debug, Clone)]
pub struct Int8Iter<'a> {
    inner: core::slice::Iter<'a, u8>,
}

impl Iterator for Int8Iter<'_> {
    type Item = i8;
    fn next(&mut self) -> Option<i8> {
        self.inner.next().map(|&b| b as i8)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for Int8Iter<'_> {
    fn next_back(&mut self) -> Option<i8> {
        self.inner.next_back().map(|&b| b as i8)
    }
}

impl ExactSizeIterator for Int8Iter<'_> {}
impl core::iter::FusedIterator for Int8Iter<'_> {}

/// The data of a `float32` vector: four little-endian bytes per element,
/// read without any alignment requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Float32Vector<'a> {
    data: &'a [u8],
}

/// Reads one element from a 4-byte chunk (callers only pass whole chunks).
fn f32_at(chunk: &[u8]) -> f32 {
    <[u8; 4]>::try_from(chunk).map_or(0.0, f32::from_le_bytes)
}

impl<'a> Float32Vector<'a> {
    /// The number of elements.
    pub const fn len(&self) -> usize {
        self.data.len() / 4
    }

    /// Whether there is no element.
    pub const fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The element at `index` (bit pattern preserved, NaN payloads included).
    pub fn get(&self, index: usize) -> Option<f32> {
        let start = index.checked_mul(4)?;
        self.data.get(start..start.checked_add(4)?).map(f32_at)
    }

    /// The elements in order.
    pub fn iter(&self) -> Float32Iter<'a> {
        Float32Iter {
            inner: self.data.chunks_exact(4),
        }
    }

    /// The data bytes (little endian).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.data
    }
}

impl<'a> IntoIterator for Float32Vector<'a> {
    type Item = f32;
    type IntoIter = Float32Iter<'a>;
    fn into_iter(self) -> Float32Iter<'a> {
        self.iter()
    }
}

/// Iterator over the elements of a [`Float32Vector`].
#[derive(Debug, Clone)]
pub struct Float32Iter<'a> {
    inner: core::slice::ChunksExact<'a, u8>,
}

impl Iterator for Float32Iter<'_> {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        self.inner.next().map(f32_at)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for Float32Iter<'_> {
    fn next_back(&mut self) -> Option<f32> {
        self.inner.next_back().map(f32_at)
    }
}

impl ExactSizeIterator for Float32Iter<'_> {}
impl core::iter::FusedIterator for Float32Iter<'_> {}

/// The data of a packed-bit vector: eight bits per byte, most significant
/// bit first, the last byte's `padding` low bits not part of the vector
/// (and zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedBitVector<'a> {
    bytes: &'a [u8],
    padding: u8,
}

impl<'a> PackedBitVector<'a> {
    /// The number of bits: eight per byte minus the padding.
    pub const fn len(&self) -> usize {
        // Parsing guarantees padding == 0 when there is no byte.
        (self.bytes.len() * 8).saturating_sub(self.padding as usize)
    }

    /// Whether there is no bit.
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The padding: low bits of the last byte that are not part of the
    /// vector (0..=7).
    pub const fn padding(&self) -> u8 {
        self.padding
    }

    /// The packed bytes, as stored (what drivers show as the vector's
    /// values, e.g. `[127, 8]`).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The bit at `index` (0 is the most significant bit of the first byte).
    pub fn get(&self, index: usize) -> Option<bool> {
        if index >= self.len() {
            return None;
        }
        let byte = self.bytes.get(index / 8)?;
        Some(byte >> (7 - index % 8) & 1 == 1)
    }

    /// The bits in order.
    pub fn iter(&self) -> BitIter<'a> {
        BitIter {
            bytes: self.bytes,
            front: 0,
            back: self.len(),
        }
    }
}

impl<'a> IntoIterator for PackedBitVector<'a> {
    type Item = bool;
    type IntoIter = BitIter<'a>;
    fn into_iter(self) -> BitIter<'a> {
        self.iter()
    }
}

/// Iterator over the bits of a [`PackedBitVector`].
#[derive(Debug, Clone)]
pub struct BitIter<'a> {
    bytes: &'a [u8],
    front: usize,
    back: usize,
}

impl BitIter<'_> {
    fn bit(&self, index: usize) -> Option<bool> {
        let byte = self.bytes.get(index / 8)?;
        Some(byte >> (7 - index % 8) & 1 == 1)
    }
}

impl Iterator for BitIter<'_> {
    type Item = bool;
    fn next(&mut self) -> Option<bool> {
        if self.front >= self.back {
            return None;
        }
        let b = self.bit(self.front);
        self.front += 1;
        b
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }
}

impl DoubleEndedIterator for BitIter<'_> {
    fn next_back(&mut self) -> Option<bool> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.bit(self.back)
    }
}

impl ExactSizeIterator for BitIter<'_> {}
impl core::iter::FusedIterator for BitIter<'_> {}

/// Typed values to encode as a vector payload (the writing side of
/// [`Vector`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VectorRepr<'v> {
    /// `int8` elements.
    Int8(&'v [i8]),
    /// `float32` elements, written little endian with their exact bit
    /// pattern.
    Float32(&'v [f32]),
    /// Packed bits: the bytes (most significant bit first) and how many low
    /// bits of the last byte are padding (0..=7, which must be zero).
    PackedBit {
        /// The packed bytes.
        bytes: &'v [u8],
        /// Ignored low bits of the last byte.
        padding: u8,
    },
}

impl VectorRepr<'_> {
    /// The element type.
    pub const fn dtype(&self) -> Dtype {
        match self {
            Self::Int8(_) => Dtype::Int8,
            Self::Float32(_) => Dtype::Float32,
            Self::PackedBit { .. } => Dtype::PackedBit,
        }
    }

    /// The same values with the padding given separately, as drivers take
    /// it (`from_vector(values, dtype, padding)`): sets it on a packed-bit
    /// vector and checks it there ([`check`](Self::check)); any padding
    /// other than 0 on int8 or float32 is refused with
    /// [`VectorErrorKind::PaddingNotAllowed`].
    pub fn with_padding(self, padding: u8) -> Result<Self, VectorError> {
        let repr = match self {
            Self::PackedBit { bytes, .. } => Self::PackedBit { bytes, padding },
            other if padding != 0 => {
                return Err(VectorError::new(
                    VectorErrorKind::PaddingNotAllowed {
                        dtype: other.dtype(),
                        padding,
                    },
                    1,
                ));
            }
            other => other,
        };
        repr.check()?;
        Ok(repr)
    }

    /// Checks the values as [`Vector::parse`] would check their encoding
    /// (padding range, padding on an empty vector, ignored bits).
    pub fn check(&self) -> Result<(), VectorError> {
        match self {
            Self::PackedBit { bytes, padding } => check_packed(bytes, *padding),
            _ => Ok(()),
        }
    }

    /// The payload length: two header bytes plus the data.
    pub const fn encoded_len(&self) -> usize {
        HEADER
            + match self {
                Self::Int8(v) => v.len(),
                Self::Float32(v) => v.len() * 4,
                Self::PackedBit { bytes, .. } => bytes.len(),
            }
    }

    /// Writes the canonical payload into `out` and returns its length; fails
    /// (writing nothing meaningful) on invalid values or a short buffer.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, VectorError> {
        self.check()?;
        let padding = match self {
            Self::PackedBit { padding, .. } => *padding,
            _ => 0,
        };
        let (n, data) = header(out, self.encoded_len(), self.dtype(), padding)?;
        match self {
            Self::Int8(v) => {
                for (d, x) in data.iter_mut().zip(v.iter()) {
                    *d = *x as u8;
                }
            }
            Self::Float32(v) => {
                for (d, x) in data.chunks_exact_mut(4).zip(v.iter()) {
                    d.copy_from_slice(&x.to_le_bytes());
                }
            }
            Self::PackedBit { bytes, .. } => {
                if let Some(d) = data.get_mut(..bytes.len()) {
                    d.copy_from_slice(bytes);
                }
            }
        }
        Ok(n)
    }

    /// The canonical payload in a new `Vec`.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, VectorError> {
        let mut out = alloc::vec![0u8; self.encoded_len()];
        self.emit(&mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_errors_point_at_their_byte() {
        // From the specification: padding is only for PACKED_BIT.
        let e = Vector::parse(&[0x03, 0x03, 0x7F, 0x07]).unwrap_err();
        assert_eq!(e.offset, 1);
        assert_eq!(
            e.kind,
            VectorErrorKind::PaddingNotAllowed {
                dtype: Dtype::Int8,
                padding: 3
            }
        );
        let e = Vector::parse(&[0x27, 0x00, 1, 2, 3, 4, 5]).unwrap_err();
        assert_eq!((e.kind, e.offset), (VectorErrorKind::Float32Length(5), 6));
        let e = Vector::parse(&[0x11, 0x00]).unwrap_err();
        assert_eq!((e.kind, e.offset), (VectorErrorKind::UnknownDtype(0x11), 0));
        let e = Vector::parse(&[0x10]).unwrap_err();
        assert_eq!((e.kind, e.offset), (VectorErrorKind::MissingHeader(1), 1));
        // The prose test's [255] with padding 7: seven ignored bits set.
        let e = Vector::parse(&[0x10, 0x07, 0xFF]).unwrap_err();
        assert_eq!(
            (e.kind, e.offset),
            (
                VectorErrorKind::IgnoredBitsSet {
                    byte: 0xFF,
                    padding: 7
                },
                2
            )
        );
    }

    #[test]
    fn packed_bits_are_msb_first() {
        // 0b1000_0000 with padding 7 is the one-bit vector [1].
        let Vector::PackedBit(v) = Vector::parse(&[0x10, 0x07, 0x80]).unwrap() else {
            panic!()
        };
        assert_eq!(v.len(), 1);
        assert_eq!(v.get(0), Some(true));
        assert_eq!(v.get(1), None);
        // 0x7F, 0x08 padding 3: 0111 1111 0000 1 -> 13 bits.
        let Vector::PackedBit(v) = Vector::parse(&[0x10, 0x03, 0x7F, 0x08]).unwrap() else {
            panic!()
        };
        assert_eq!(v.len(), 13);
        let bits: [bool; 13] = [
            false, true, true, true, true, true, true, true, false, false, false, false, true,
        ];
        assert!(v.iter().eq(bits));
        assert!(v.iter().rev().eq(bits.iter().rev().copied()));
    }
}
