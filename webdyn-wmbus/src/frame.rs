//! Frame formats A and B: per-block CRC-16/EN-13757, stripped into a caller
//! buffer on decode and added on encode.
//!
//! | | format A | format B |
//! |---|---|---|
//! | block 1 | L…type (10 bytes) + CRC | L…type (10 bytes), no CRC |
//! | block 2 | CI + 15 bytes + CRC | CI + up to 115 bytes + CRC over blocks 1 and 2 |
//! | next blocks | 16 bytes + CRC each | the rest + CRC (frames over 128 bytes) |
//! | L counts | bytes after L, without CRCs | bytes after L, with CRCs |
//!
//! A frame stored by the WebdynEasy hub has no CRCs, and by default its L was
//! rewritten to format-A meaning (`L = len − 1`); with
//! `BFormatLFieldAdaptation = false` a format-B frame keeps `L = len + 1`
//! (one CRC) or `len + 3` (two). [`strip`] recognises all of these from the
//! actual length and reports what it found; its output always has the
//! format-A L.

use crate::crc::{crc16, crc16_block, crc16_short};
use crate::error::{Error, ErrorKind, Result};

/// The frame format found (or wanted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Format {
    /// Format A with its CRCs.
    A,
    /// Format B with its CRCs.
    B,
    /// No CRCs (already stripped, as stored by the hub).
    None,
}

impl Format {
    /// `"A"`, `"B"` or `"none"`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::A => "A",
            Format::B => "B",
            Format::None => "none",
        }
    }
}

/// Which format to accept when stripping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FormatHint {
    /// Detect A, B or none from the length, L and the CRCs.
    #[default]
    Auto,
    /// Only one format.
    Only(Format),
}

/// What the L field of a CRC-free frame meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LField {
    /// Bytes after L without CRCs (format A, or B adapted by the hub).
    WithoutCrcs,
    /// Format-B meaning kept: bytes after L including the removed CRCs.
    FormatB,
}

/// What [`strip`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stripped {
    /// The format of the input.
    pub format: Format,
    /// Length of the CRC-free frame written to the output.
    pub len: usize,
    /// Number of CRCs checked (all of them matched).
    pub crcs_checked: u8,
    /// The L field as found in the input.
    pub l_found: u8,
    /// What that L meant.
    pub l_meaning: LField,
}

const A_BLOCK: usize = 16;
const B_FIRST: usize = 128;

/// On-air length of a format-A frame with this (format-A) L.
pub const fn format_a_len(l: usize) -> usize {
    let data = l.saturating_sub(9);
    1 + l + 2 * (1 + data.div_ceil(A_BLOCK))
}

/// On-air length of a format-B frame whose CRC-free length is `len`.
pub const fn format_b_len(len: usize) -> usize {
    if len + 2 <= B_FIRST { len + 2 } else { len + 4 }
}

fn be16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some([h, l]) => u16::from_be_bytes([*h, *l]),
        _ => 0,
    }
}

fn check(input: &[u8], start: usize, end: usize, block: u8) -> Result<()> {
    let data = input.get(start..end).unwrap_or(&[]);
    crc_verdict(be16(input, end), crc16(data), block, end)
}

/// A block's CRC verdict: an error located at the stored CRC (`at`) when
/// it differs from the computed one.
#[inline(always)]
fn crc_verdict(stored: u16, computed: u16, block: u8, at: usize) -> Result<()> {
    if stored == computed {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Crc {
                block,
                stored,
                computed,
            },
            at,
        ))
    }
}

fn out_slice(out: &mut [u8], len: usize) -> Result<&mut [u8]> {
    out.get_mut(..len)
        .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: len }, 0))
}

/// Checks the CRC of the `N`-byte format-A block at `start` (its CRC
/// follows it) and returns the block.
#[inline(always)]
fn block_a<const N: usize>(input: &[u8], start: usize, block: u8) -> Result<&[u8; N]> {
    let Some(data) = input.get(start..).and_then(<[u8]>::first_chunk::<N>) else {
        return Err(Error::truncated(input.len(), start + N + 2 - input.len()));
    };
    let end = start + N;
    crc_verdict(be16(input, end), crc16_block(data), block, end)?;
    Ok(data)
}

/// Copies `src` to `dst` (same length, at most 16 bytes) with two
/// overlapping moves instead of a `memcpy` call.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    if let (Some(d), Some(s)) = (dst.first_chunk_mut::<8>(), src.first_chunk::<8>()) {
        *d = *s;
        if let (Some(d), Some(s)) = (dst.last_chunk_mut::<8>(), src.last_chunk::<8>()) {
            *d = *s;
        }
    } else if let (Some(d), Some(s)) = (dst.first_chunk_mut::<4>(), src.first_chunk::<4>()) {
        *d = *s;
        if let (Some(d), Some(s)) = (dst.last_chunk_mut::<4>(), src.last_chunk::<4>()) {
            *d = *s;
        }
    } else {
        for (d, s) in dst.iter_mut().zip(src) {
            *d = *s;
        }
    }
}

/// Checks and strips format-A CRCs. Inlined into [`strip`] (and so into
/// the telegram decoder), so that its result stays in registers.
#[inline(always)]
pub(crate) fn strip_a(input: &[u8], out: &mut [u8]) -> Result<Stripped> {
    let l = usize::from(*input.first().ok_or(Error::truncated(0, 1))?);
    if l < 9 {
        return Err(Error::new(ErrorKind::Invalid("L below 9"), 0));
    }
    let total = format_a_len(l);
    if input.len() < total {
        return Err(Error::truncated(input.len(), total - input.len()));
    }
    if input.len() > total {
        return Err(Error::new(
            ErrorKind::BadLength {
                declared: total,
                actual: input.len(),
            },
            0,
        ));
    }
    let len = l + 1;
    let dst = out_slice(out, len)?;
    // The length matches the block layout, so every block below is there.
    // Block 1 (10 bytes) and the full 16-byte blocks have constant sizes:
    // their CRC is unrolled and their copy is one or two moves.
    let first = block_a::<10>(input, 0, 1)?;
    if let Some(d) = dst.first_chunk_mut::<10>() {
        *d = *first;
    }
    let mut w = 10;
    let mut r = 12;
    let mut block = 2u8;
    while len - w >= A_BLOCK {
        let data = block_a::<A_BLOCK>(input, r, block)?;
        if let Some(d) = dst
            .get_mut(w..)
            .and_then(<[u8]>::first_chunk_mut::<A_BLOCK>)
        {
            *d = *data;
        }
        w += A_BLOCK;
        r += A_BLOCK + 2;
        block = block.saturating_add(1);
    }
    if w < len {
        // The last block: 1 to 15 bytes.
        let n = len - w;
        let data = input.get(r..r + n).unwrap_or(&[]);
        crc_verdict(be16(input, r + n), crc16_short(data), block, r + n)?;
        copy_short(dst.get_mut(w..len).unwrap_or(&mut []), data);
        block = block.saturating_add(1);
    }
    let crcs = block - 1;
    Ok(Stripped {
        format: Format::A,
        len: l + 1,
        crcs_checked: crcs,
        l_found: (l & 0xFF) as u8,
        l_meaning: LField::WithoutCrcs,
    })
}

/// Checks and strips format-B CRCs; rewrites L to format-A meaning.
fn strip_b(input: &[u8], out: &mut [u8]) -> Result<Stripped> {
    let l = usize::from(*input.first().ok_or(Error::truncated(0, 1))?);
    let total = l + 1;
    if l < 11 {
        return Err(Error::new(ErrorKind::Invalid("format B L below 11"), 0));
    }
    if input.len() < total {
        return Err(Error::truncated(input.len(), total - input.len()));
    }
    if input.len() > total {
        return Err(Error::new(
            ErrorKind::BadLength {
                declared: total,
                actual: input.len(),
            },
            0,
        ));
    }
    let (len, crcs) = if total <= B_FIRST {
        check(input, 0, total - 2, 1)?;
        (total - 2, 1)
    } else {
        if total < B_FIRST + 3 {
            return Err(Error::new(
                ErrorKind::Invalid("format B L of 128 or 129 cannot occur"),
                0,
            ));
        }
        check(input, 0, B_FIRST - 2, 1)?;
        check(input, B_FIRST, total - 2, 2)?;
        (total - 4, 2)
    };
    let dst = out_slice(out, len)?;
    let first = (B_FIRST - 2).min(len);
    if let (Some(d), Some(s)) = (dst.get_mut(..first), input.get(..first)) {
        d.copy_from_slice(s);
    }
    if len > first
        && let (Some(d), Some(s)) = (
            dst.get_mut(first..),
            input.get(B_FIRST..B_FIRST + len - first),
        )
    {
        d.copy_from_slice(s);
    }
    if let Some(l0) = dst.first_mut() {
        *l0 = ((len - 1) & 0xFF) as u8;
    }
    Ok(Stripped {
        format: Format::B,
        len,
        crcs_checked: crcs,
        l_found: (l & 0xFF) as u8,
        l_meaning: LField::FormatB,
    })
}

/// Copies a CRC-free frame, recognising the hub's adapted and unadapted L.
fn strip_none(input: &[u8], out: &mut [u8]) -> Result<Stripped> {
    let n = input.len();
    let l = usize::from(*input.first().ok_or(Error::truncated(0, 1))?);
    let meaning = if l + 1 == n {
        LField::WithoutCrcs
    } else if (n + 2 <= B_FIRST && l == n + 1) || (n + 2 > B_FIRST && l == n + 3) {
        LField::FormatB
    } else if l + 1 > n {
        return Err(Error::truncated(n, l + 1 - n));
    } else {
        return Err(Error::new(
            ErrorKind::BadLength {
                declared: l,
                actual: n - 1,
            },
            0,
        ));
    };
    if n < 11 {
        return Err(Error::truncated(n, 11 - n));
    }
    let dst = out_slice(out, n)?;
    dst.copy_from_slice(input);
    if let Some(l0) = dst.first_mut() {
        *l0 = ((n - 1) & 0xFF) as u8;
    }
    Ok(Stripped {
        format: Format::None,
        len: n,
        crcs_checked: 0,
        l_found: (l & 0xFF) as u8,
        l_meaning: meaning,
    })
}

/// For a frame that [`strip`] (auto-detecting) read as CRC-free because
/// `L = len − 1` while its format-B CRC did not match: the first
/// mismatching format-B CRC, `(stored, computed)`. `None` when `input` is
/// not such a frame (other L, or a format-B frame whose CRCs match).
pub(crate) fn format_b_crc_mismatch(input: &[u8]) -> Option<(u16, u16)> {
    let l = usize::from(*input.first()?);
    let total = l + 1;
    if l < 11 || input.len() != total || (total > B_FIRST && total < B_FIRST + 3) {
        return None;
    }
    let blocks: [(usize, usize); 2] = if total <= B_FIRST {
        [(0, total - 2), (0, 0)]
    } else {
        [(0, B_FIRST - 2), (B_FIRST, total - 2)]
    };
    blocks
        .into_iter()
        .filter(|&(start, end)| end > start)
        .find_map(|(start, end)| {
            let stored = be16(input, end);
            let computed = crc16(input.get(start..end).unwrap_or(&[]));
            (stored != computed).then_some((stored, computed))
        })
}

/// True when [`strip`] with `hint` takes `input` for format A (and so
/// does what [`strip_a`] does).
#[inline(always)]
pub(crate) fn is_format_a(input: &[u8], hint: FormatHint) -> bool {
    match hint {
        FormatHint::Only(Format::A) => true,
        FormatHint::Only(_) => false,
        FormatHint::Auto => auto_is_a(input),
    }
}

/// Auto-detection's format-A test: the length is exactly what format A
/// gives for this L (the only test [`strip`] makes before trying A).
#[inline(always)]
fn auto_is_a(input: &[u8]) -> bool {
    match input.first() {
        Some(&l) => l >= 9 && input.len() == format_a_len(usize::from(l)),
        None => false,
    }
}

/// Checks and removes the DLL CRCs of `input` (or copies a CRC-free frame),
/// writing the CRC-free frame with format-A L to `out`.
///
/// With [`FormatHint::Auto`]: a length matching format A's block layout is
/// format A; `L = len − 1` is format B when its CRC matches, otherwise a
/// CRC-free frame; `L = len + 1 / len + 3` is a CRC-free format-B frame whose
/// L was not adapted.
#[inline]
pub fn strip(input: &[u8], hint: FormatHint, out: &mut [u8]) -> Result<Stripped> {
    let Some(&l) = input.first() else {
        return Err(Error::truncated(0, 1));
    };
    let l = usize::from(l);
    match hint {
        FormatHint::Only(Format::A) => strip_a(input, out),
        FormatHint::Only(Format::B) => strip_b(input, out),
        FormatHint::Only(Format::None) => strip_none(input, out),
        FormatHint::Auto => {
            if auto_is_a(input) {
                strip_a(input, out)
            } else if l + 1 == input.len() {
                match strip_b(input, out) {
                    Ok(s) => Ok(s),
                    // Block 1 matched: this is format B with a bad second CRC.
                    Err(
                        e @ Error {
                            kind: ErrorKind::Crc { block: 2, .. },
                            ..
                        },
                    ) => Err(e),
                    // A long frame whose second CRC matches is format B too:
                    // its first CRC is what is wrong.
                    Err(
                        e @ Error {
                            kind: ErrorKind::Crc { block: 1, .. },
                            ..
                        },
                    ) if input.len() > B_FIRST + 2
                        && check(input, B_FIRST, input.len() - 2, 2).is_ok() =>
                    {
                        Err(e)
                    }
                    Err(_) => strip_none(input, out),
                }
            } else {
                strip_none(input, out)
            }
        }
    }
}

/// Adds format-A or format-B CRCs to a CRC-free frame (its L is rewritten
/// to the format's meaning); [`Format::None`] copies it with format-A L.
/// Returns the bytes written.
pub fn add_crcs(frame: &[u8], format: Format, out: &mut [u8]) -> Result<usize> {
    let n = frame.len();
    if n < 10 {
        return Err(Error::truncated(n, 10 - n));
    }
    let l_a = n - 1;
    match format {
        Format::None => {
            let dst = out_slice(out, n)?;
            dst.copy_from_slice(frame);
            set_l(dst, l_a)?;
            Ok(n)
        }
        Format::A => {
            let total = format_a_len(l_a);
            let dst = out_slice(out, total)?;
            let mut r = 0;
            let mut w = 0;
            let mut first = true;
            while r < n {
                let len = if first { 10 } else { A_BLOCK.min(n - r) };
                let src = frame.get(r..r + len).unwrap_or(&[]);
                if let Some(d) = dst.get_mut(w..w + len) {
                    d.copy_from_slice(src);
                }
                if first {
                    set_l(dst, l_a)?;
                }
                let crc = crc16(dst.get(w..w + len).unwrap_or(&[]));
                if let Some(d) = dst.get_mut(w + len..w + len + 2) {
                    d.copy_from_slice(&crc.to_be_bytes());
                }
                r += len;
                w += len + 2;
                first = false;
            }
            Ok(total)
        }
        Format::B => {
            let total = format_b_len(n);
            if total > 256 {
                return Err(Error::new(
                    ErrorKind::Invalid("format B frame over 256 bytes"),
                    0,
                ));
            }
            let dst = out_slice(out, total)?;
            if total <= B_FIRST {
                if let Some(d) = dst.get_mut(..n) {
                    d.copy_from_slice(frame);
                }
                set_l(dst, total - 1)?;
                let crc = crc16(dst.get(..n).unwrap_or(&[]));
                if let Some(d) = dst.get_mut(n..n + 2) {
                    d.copy_from_slice(&crc.to_be_bytes());
                }
            } else {
                let first = B_FIRST - 2;
                if let (Some(d), Some(s)) = (dst.get_mut(..first), frame.get(..first)) {
                    d.copy_from_slice(s);
                }
                set_l(dst, total - 1)?;
                let crc1 = crc16(dst.get(..first).unwrap_or(&[]));
                if let Some(d) = dst.get_mut(first..B_FIRST) {
                    d.copy_from_slice(&crc1.to_be_bytes());
                }
                let rest = frame.get(first..).unwrap_or(&[]);
                if let Some(d) = dst.get_mut(B_FIRST..B_FIRST + rest.len()) {
                    d.copy_from_slice(rest);
                }
                let crc2 = crc16(rest);
                if let Some(d) = dst.get_mut(total - 2..total) {
                    d.copy_from_slice(&crc2.to_be_bytes());
                }
            }
            Ok(total)
        }
    }
}

fn set_l(dst: &mut [u8], l: usize) -> Result<()> {
    let l = u8::try_from(l)
        .map_err(|_| Error::new(ErrorKind::Invalid("frame too long for its L field"), 0))?;
    if let Some(b) = dst.first_mut() {
        *b = l;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Amber example of the spec (B10), CRC-free, L = 0x1E.
    const PLAIN: [u8; 31] = [
        0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05,
        0x2F, 0x2F, 0x00, 0x7C, 0x08, 0x54, 0x53, 0x45, 0x54, 0x20, 0x43, 0x4E, 0x45, 0x2F, 0x2F,
        0x2F,
    ];

    #[test]
    fn a_layout() {
        // L = 30: 10 + 16 + 5 bytes -> 3 CRCs, 37 bytes on air.
        assert_eq!(format_a_len(30), 37);
        let mut air = [0u8; 64];
        let n = add_crcs(&PLAIN, Format::A, &mut air).unwrap();
        assert_eq!(n, 37);
        assert_eq!(u16::from_be_bytes([air[10], air[11]]), crc16(&PLAIN[..10]));
        assert_eq!(
            u16::from_be_bytes([air[28], air[29]]),
            crc16(&PLAIN[10..26])
        );
        let mut out = [0u8; 64];
        let s = strip(&air[..n], FormatHint::Auto, &mut out).unwrap();
        assert_eq!((s.format, s.len, s.crcs_checked), (Format::A, 31, 3));
        assert_eq!(out[..31], PLAIN);
    }

    #[test]
    fn b_layout_and_hub_l() {
        let mut air = [0u8; 64];
        let n = add_crcs(&PLAIN, Format::B, &mut air).unwrap();
        assert_eq!(n, 33);
        assert_eq!(air[0], 32);
        let mut out = [0u8; 64];
        let s = strip(&air[..n], FormatHint::Auto, &mut out).unwrap();
        assert_eq!(
            (s.format, s.len, s.crcs_checked, s.l_found),
            (Format::B, 31, 1, 32)
        );
        assert_eq!(out[..31], PLAIN);
        // Hub without L adaptation: CRCs gone, L = len + 1.
        let mut unadapted = PLAIN;
        unadapted[0] = 32;
        let s = strip(&unadapted, FormatHint::Auto, &mut out).unwrap();
        assert_eq!((s.format, s.l_meaning), (Format::None, LField::FormatB));
        assert_eq!(out[..31], PLAIN);
        // A flipped CRC byte is located.
        air[n - 1] ^= 0x01;
        let e = strip(&air[..n], FormatHint::Only(Format::B), &mut out).unwrap_err();
        assert_eq!(e.offset, n - 2);
    }
}
