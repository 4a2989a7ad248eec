//! The data information block: DIF and up to ten DIFEs.
//!
//! ```text
//! DIF : E S F F D D D D   E extension, S storage bit 0, FF function, DDDD data field
//! DIFE: E U T T S S S S   U subunit bit, TT tariff bits, SSSS storage bits
//! ```
//!
//! DIFE number k (1-based) contributes storage bits `1 + 4(k-1)…`, tariff
//! bits `2(k-1)…` and subunit bit `k-1`.

use super::Error;

/// The maximum number of DIFEs (EN 13757-3).
pub const MAX_DIFE: usize = 10;

/// The function field (DIF bits 4–5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Function {
    /// 00: instantaneous value.
    #[default]
    Instantaneous,
    /// 01: maximum value.
    Maximum,
    /// 10: minimum value.
    Minimum,
    /// 11: value during error state.
    Error,
}

impl Function {
    /// From the two function bits.
    pub const fn from_bits(b: u8) -> Function {
        match b & 0x03 {
            0 => Function::Instantaneous,
            1 => Function::Maximum,
            2 => Function::Minimum,
            _ => Function::Error,
        }
    }

    /// The two function bits.
    pub const fn bits(self) -> u8 {
        self as u8
    }

    /// The lower-case name used in JSON: `instantaneous`, `maximum`,
    /// `minimum`, `error`.
    pub const fn name(self) -> &'static str {
        match self {
            Function::Instantaneous => "instantaneous",
            Function::Maximum => "maximum",
            Function::Minimum => "minimum",
            Function::Error => "error",
        }
    }
}

/// The data field coding (DIF bits 0–3), except 0xF (special functions,
/// handled by the record iterator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Coding {
    /// 0x0: no data.
    None,
    /// 0x1: 8-bit integer.
    Int8,
    /// 0x2: 16-bit integer.
    Int16,
    /// 0x3: 24-bit integer.
    Int24,
    /// 0x4: 32-bit integer.
    Int32,
    /// 0x5: 32-bit IEEE 754 real.
    Real32,
    /// 0x6: 48-bit integer.
    Int48,
    /// 0x7: 64-bit integer.
    Int64,
    /// 0x8: selection for readout (no data).
    Selection,
    /// 0x9: 2-digit BCD.
    Bcd2,
    /// 0xA: 4-digit BCD.
    Bcd4,
    /// 0xB: 6-digit BCD.
    Bcd6,
    /// 0xC: 8-digit BCD.
    Bcd8,
    /// 0xD: variable length, first data byte is LVAR.
    Variable,
    /// 0xE: 12-digit BCD.
    Bcd12,
}

impl Coding {
    /// From the low nibble of a DIF; `None` for 0xF (special function).
    pub const fn from_nibble(n: u8) -> Option<Coding> {
        use Coding::*;
        Some(match n & 0x0F {
            0x0 => None,
            0x1 => Int8,
            0x2 => Int16,
            0x3 => Int24,
            0x4 => Int32,
            0x5 => Real32,
            0x6 => Int48,
            0x7 => Int64,
            0x8 => Selection,
            0x9 => Bcd2,
            0xA => Bcd4,
            0xB => Bcd6,
            0xC => Bcd8,
            0xD => Variable,
            0xE => Bcd12,
            _ => return Option::None,
        })
    }

    /// The low nibble of the DIF.
    pub const fn nibble(self) -> u8 {
        self as u8
    }

    /// Fixed data length in bytes; `None` for [`Coding::Variable`].
    #[allow(clippy::len_without_is_empty)]
    pub const fn len(self) -> Option<usize> {
        use Coding::*;
        Some(match self {
            None | Selection => 0,
            Int8 | Bcd2 => 1,
            Int16 | Bcd4 => 2,
            Int24 | Bcd6 => 3,
            Int32 | Real32 | Bcd8 => 4,
            Int48 | Bcd12 => 6,
            Int64 => 8,
            Variable => return Option::None,
        })
    }

    /// True for the BCD codings.
    pub const fn is_bcd(self) -> bool {
        matches!(
            self,
            Coding::Bcd2 | Coding::Bcd4 | Coding::Bcd6 | Coding::Bcd8 | Coding::Bcd12
        )
    }

    /// True for the binary integer codings.
    pub const fn is_int(self) -> bool {
        matches!(
            self,
            Coding::Int8
                | Coding::Int16
                | Coding::Int24
                | Coding::Int32
                | Coding::Int48
                | Coding::Int64
        )
    }
}

/// A parsed DIB (DIF + DIFEs), for codings other than the special
/// functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dib {
    pub len: usize,
    pub coding: Coding,
    pub function: Function,
    pub storage: u64,
    pub tariff: u32,
    pub subunit: u16,
}

/// Parses the DIB at the start of `b` (whose first byte is a DIF with a
/// data nibble other than 0xF); `offset` is `b`'s position in the payload.
#[inline(always)]
pub(crate) fn parse(b: &[u8], offset: usize) -> Result<Dib, Error> {
    let Some((&dif, rest)) = b.split_first() else {
        return Err(Error::TruncatedDib { offset });
    };
    let coding = Coding::from_nibble(dif).ok_or(Error::ReservedDif { offset, dif })?;
    let mut dib = Dib {
        len: 1,
        coding,
        function: Function::from_bits(dif >> 4),
        storage: u64::from((dif >> 6) & 1),
        tariff: 0,
        subunit: 0,
    };
    let mut ext = dif & 0x80 != 0;
    let mut k = 0usize;
    let mut it = rest.iter();
    while ext {
        if k == MAX_DIFE {
            return Err(Error::TooManyDifes {
                offset: offset + dib.len,
            });
        }
        let Some(&dife) = it.next() else {
            return Err(Error::TruncatedDib {
                offset: offset + dib.len,
            });
        };
        dib.storage |= u64::from(dife & 0x0F) << (1 + 4 * k);
        dib.tariff |= u32::from((dife >> 4) & 0x03) << (2 * k);
        dib.subunit |= u16::from((dife >> 6) & 0x01) << k;
        ext = dife & 0x80 != 0;
        dib.len += 1;
        k += 1;
    }
    Ok(dib)
}

/// Writes the DIF and the fewest DIFEs that carry `storage`, `tariff`
/// and `subunit`; returns the length, or `None` when `out` is too small
/// or the numbers need more than ten DIFEs.
pub(crate) fn emit(
    out: &mut [u8],
    coding: Coding,
    function: Function,
    storage: u64,
    tariff: u32,
    subunit: u16,
) -> Option<usize> {
    let mut storage_rest = storage >> 1;
    let mut tariff_rest = tariff;
    let mut subunit_rest = subunit;
    let mut len = 0usize;
    let first = coding.nibble() | (function.bits() << 4) | (((storage & 1) as u8) << 6);
    // Index of the byte whose extension bit must be set when another
    // DIFE follows.
    let mut prev: usize;
    *out.get_mut(len)? = first;
    prev = len;
    len += 1;
    let mut count = 0usize;
    while storage_rest != 0 || tariff_rest != 0 || subunit_rest != 0 {
        if count == MAX_DIFE {
            return None;
        }
        let dife = (storage_rest & 0x0F) as u8
            | (((tariff_rest & 0x03) as u8) << 4)
            | (((subunit_rest & 0x01) as u8) << 6);
        *out.get_mut(prev)? |= 0x80;
        *out.get_mut(len)? = dife;
        prev = len;
        len += 1;
        count += 1;
        storage_rest >>= 4;
        tariff_rest >>= 2;
        subunit_rest >>= 1;
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difes_accumulate() {
        // DIF 0xC4: ext, storage bit 1, function 0, 32-bit int.
        // DIFE 0x93: ext, tariff 1, storage nibble 3. DIFE 0x41: subunit 1, storage 1.
        let d = parse(&[0xC4, 0x93, 0x41], 0).unwrap();
        assert_eq!(d.len, 3);
        assert_eq!(d.coding, Coding::Int32);
        assert_eq!(d.storage, 1 | (3 << 1) | (1 << 5));
        assert_eq!(d.tariff, 1);
        assert_eq!(d.subunit, 2);
    }

    #[test]
    fn eleven_difes_is_an_error() {
        let mut b = [0x80u8; 12];
        b[0] = 0x84;
        assert_eq!(parse(&b, 5), Err(Error::TooManyDifes { offset: 16 }));
        assert_eq!(
            parse(&[0x84, 0x80], 0),
            Err(Error::TruncatedDib { offset: 2 })
        );
    }

    #[test]
    fn emit_minimal() {
        let mut out = [0u8; 12];
        let n = emit(&mut out, Coding::Int32, Function::Maximum, 0x41, 2, 1).unwrap();
        let d = parse(&out[..n], 0).unwrap();
        assert_eq!(
            (d.storage, d.tariff, d.subunit, d.function),
            (0x41, 2, 1, Function::Maximum)
        );
        assert_eq!(n, 3);
    }
}
