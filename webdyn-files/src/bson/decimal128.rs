//! IEEE 754-2008 decimal128 values (BID encoding, as BSON stores them) and
//! their exact text form, following the BSON Decimal128 specification.
//!
//! Conversion to and from text is exact: parsing fails (rather than round)
//! when a string has more significant digits than fit, and formatting
//! prints every stored digit and the exponent.
//!
//! Integer conversions are exact too: [`Decimal128::to_i64`] /
//! [`to_i128`](Decimal128::to_i128) (and the `TryFrom` impls) succeed only
//! for integral values in range, whatever the exponent (`1.20E+3` is 1200,
//! `1.5` is refused); [`Decimal128::from_i128`] refuses integers with more
//! than 34 significant digits. [`Decimal128::to_f64`] rounds once, to the
//! nearest `f64`.
//!
//! ```
//! use webdyn_files::bson::Decimal128;
//! let d: Decimal128 = "1.20E+3".parse()?;
//! assert_eq!(d.to_i64(), Some(1200));
//! assert_eq!("1.5".parse::<Decimal128>()?.to_i64(), None);
//! assert_eq!("0.1".parse::<Decimal128>()?.to_f64(), 0.1);
//! let big = Decimal128::from_i128(123 * 10i128.pow(35)).expect("3 significant digits");
//! assert_eq!(big.to_string(), "1.230000000000000000000000000000000E+37");
//! # Ok::<(), webdyn_files::bson::Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use super::error::{Error, ErrorKind};

const EXP_MIN: i64 = -6176;
const EXP_MAX: i64 = 6111;
const EXP_BIAS: i64 = 6176;
const MAX_DIGITS: usize = 34;
/// 10^34 - 1, the largest coefficient.
const MAX_COEFF: u128 = 9_999_999_999_999_999_999_999_999_999_999_999;

/// A 128-bit decimal floating point value, stored as its 16 BSON bytes.
// Aligned like a u64 pair so enums holding it keep their fields aligned.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(align(8))]
pub struct Decimal128 {
    bytes: [u8; 16],
}

/// What a [`Decimal128`] holds, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimal128Value {
    /// A finite number: `(-1)^negative * coefficient * 10^exponent`.
    Finite {
        /// Sign.
        negative: bool,
        /// Coefficient, at most 10^34 - 1.
        coefficient: u128,
        /// Exponent, -6176..=6111.
        exponent: i32,
    },
    /// Positive or negative infinity.
    Infinity {
        /// Sign.
        negative: bool,
    },
    /// Not a number (quiet or signalling).
    NaN {
        /// Sign bit (printed as plain `NaN`).
        negative: bool,
    },
}

impl Decimal128 {
    /// Wraps the 16 bytes as stored in BSON (little endian).
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self { bytes }
    }

    /// The 16 bytes as stored in BSON (little endian).
    pub const fn bytes(&self) -> [u8; 16] {
        self.bytes
    }

    fn halves(&self) -> (u64, u64) {
        let v = u128::from_le_bytes(self.bytes);
        ((v >> 64) as u64, v as u64)
    }

    /// Decodes sign, coefficient and exponent. Non-canonical coefficients
    /// (above 10^34 - 1) read as zero, as the specification requires.
    pub fn value(&self) -> Decimal128Value {
        let (high, low) = self.halves();
        let negative = high >> 63 == 1;
        let combination = (high >> 58) & 0x1F;
        if combination == 0x1F {
            return Decimal128Value::NaN { negative };
        }
        if combination == 0x1E {
            return Decimal128Value::Infinity { negative };
        }
        let (biased, coefficient) = if (high >> 61) & 0b11 == 0b11 {
            // "11" form: the implied coefficient exceeds 2^113 > 10^34.
            ((high >> 47) & 0x3FFF, 0)
        } else {
            let c = (u128::from(high & 0x1_FFFF_FFFF_FFFF) << 64) | u128::from(low);
            ((high >> 49) & 0x3FFF, if c > MAX_COEFF { 0 } else { c })
        };
        Decimal128Value::Finite {
            negative,
            coefficient,
            exponent: (biased as i64 - EXP_BIAS) as i32,
        }
    }

    /// Builds a finite value; `None` when the coefficient has more than 34
    /// digits or the exponent is outside -6176..=6111.
    pub fn from_parts(negative: bool, coefficient: u128, exponent: i32) -> Option<Self> {
        let e = i64::from(exponent);
        if coefficient > MAX_COEFF || !(EXP_MIN..=EXP_MAX).contains(&e) {
            return None;
        }
        let high = (u64::from(negative) << 63)
            | (((e + EXP_BIAS) as u64) << 49)
            | ((coefficient >> 64) as u64);
        let v = (u128::from(high) << 64) | (coefficient & u128::from(u64::MAX));
        Some(Self::from_bytes(v.to_le_bytes()))
    }

    /// Positive or negative infinity.
    pub const fn infinity(negative: bool) -> Self {
        let high: u64 = 0x7800_0000_0000_0000 | ((negative as u64) << 63);
        Self::from_bytes(((high as u128) << 64).to_le_bytes())
    }

    /// A quiet NaN.
    pub const fn nan(negative: bool) -> Self {
        let high: u64 = 0x7C00_0000_0000_0000 | ((negative as u64) << 63);
        Self::from_bytes(((high as u128) << 64).to_le_bytes())
    }

    /// Parses the text form (e.g. `"1.5E+3"`, `"-0.00"`, `"Infinity"`,
    /// `"NaN"`), exactly: values needing rounding are rejected.
    pub fn parse(s: &str) -> Result<Self, Error> {
        parse(s.as_bytes())
    }
}

impl From<i64> for Decimal128 {
    fn from(v: i64) -> Self {
        let (neg, c) = (v < 0, u128::from(v.unsigned_abs()));
        Self::from_parts(neg, c, 0).unwrap_or(Self::nan(false))
    }
}

impl From<i32> for Decimal128 {
    fn from(v: i32) -> Self {
        Self::from(i64::from(v))
    }
}

impl FromStr for Decimal128 {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse(s.as_bytes())
    }
}

fn err(what: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::InvalidDecimal(what), at)
}

fn parse(s: &[u8]) -> Result<Decimal128, Error> {
    let (negative, start) = match s.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let rest = s.get(start..).unwrap_or_default();
    if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        return Ok(Decimal128::infinity(negative));
    }
    if rest.eq_ignore_ascii_case(b"nan") {
        return Ok(Decimal128::nan(negative));
    }
    let mut coefficient: u128 = 0;
    let mut sig_digits = 0usize; // significant digits kept in `coefficient`
    let mut dropped_zeros = 0i64; // zeros past 34 digits, exponent shifts up
    let mut pending_zeros = 0usize; // zeros seen after the last non-zero digit
    let mut any_digit = false;
    let mut frac_digits = 0i64;
    let mut seen_dot = false;
    let mut i = start;
    while let Some(&c) = s.get(i) {
        match c {
            b'0'..=b'9' => {
                any_digit = true;
                if seen_dot {
                    frac_digits += 1;
                }
                if c == b'0' {
                    if sig_digits > 0 {
                        pending_zeros += 1;
                    }
                } else {
                    // Flush the zeros held back before this non-zero digit.
                    if sig_digits + pending_zeros + 1 > MAX_DIGITS {
                        return Err(err("more than 34 significant digits (inexact)", i));
                    }
                    for _ in 0..pending_zeros {
                        coefficient *= 10;
                    }
                    sig_digits += pending_zeros + 1;
                    pending_zeros = 0;
                    coefficient = coefficient * 10 + u128::from(c - b'0');
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            b'e' | b'E' => break,
            _ => return Err(err("unexpected character", i)),
        }
        i += 1;
    }
    if !any_digit {
        return Err(err("no digits", i));
    }
    let mut exponent: i64 = 0;
    if s.get(i).is_some() {
        // Exponent: [+-]digits, nothing after.
        i += 1;
        let eneg = match s.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut any = false;
        while let Some(&c) = s.get(i) {
            if !c.is_ascii_digit() {
                return Err(err("unexpected character in exponent", i));
            }
            any = true;
            // Saturate: anything this large is out of range anyway.
            exponent = (exponent * 10 + i64::from(c - b'0')).min(1 << 40);
            i += 1;
        }
        if !any {
            return Err(err("exponent has no digits", i));
        }
        if eneg {
            exponent = -exponent;
        }
    }
    // Trailing zeros of the integer digits: keep them in the coefficient if
    // they fit, else move them to the exponent (exact either way).
    let room = MAX_DIGITS.saturating_sub(sig_digits);
    let keep = if sig_digits == 0 {
        0
    } else {
        pending_zeros.min(room)
    };
    for _ in 0..keep {
        coefficient *= 10;
    }
    dropped_zeros += (pending_zeros - keep) as i64;
    let mut digits = if sig_digits == 0 {
        0
    } else {
        sig_digits + keep
    };
    let mut exp = exponent - frac_digits + dropped_zeros;
    if coefficient == 0 {
        exp = exp.clamp(EXP_MIN, EXP_MAX);
    }
    while exp > EXP_MAX && digits < MAX_DIGITS {
        coefficient *= 10;
        digits += 1;
        exp -= 1;
    }
    while exp < EXP_MIN && coefficient.is_multiple_of(10) && coefficient != 0 {
        coefficient /= 10;
        exp += 1;
    }
    if exp > EXP_MAX {
        return Err(err("exponent too large (overflow)", s.len()));
    }
    if exp < EXP_MIN {
        return Err(err("exponent too small (inexact underflow)", s.len()));
    }
    Decimal128::from_parts(negative, coefficient, exp as i32)
        .ok_or(err("not representable", s.len()))
}

/// Why a [`Decimal128`] and an integer could not be converted exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConversionError {
    /// NaN or an infinity: no integer holds it.
    #[error("Decimal128 is NaN or infinite")]
    NotFinite,
    /// The value has a non-zero fractional part (e.g. `1.5`).
    #[error("Decimal128 is not an integer")]
    NotIntegral,
    /// An integer, but outside the target type's range.
    #[error("Decimal128 is out of the integer type's range")]
    OutOfRange,
    /// An integer with more than 34 significant digits, which Decimal128
    /// cannot hold exactly (trailing zeros move to the exponent first).
    #[error("integer has more than 34 significant digits")]
    Inexact,
}

impl Decimal128 {
    /// The exact integer value as a sign and a magnitude, for the integer
    /// conversions. Any zero (`-0`, `0E+6111`, `0E-6176`) is 0.
    fn integer_parts(&self) -> Result<(bool, u128), ConversionError> {
        let Decimal128Value::Finite {
            negative,
            mut coefficient,
            exponent,
        } = self.value()
        else {
            return Err(ConversionError::NotFinite);
        };
        if coefficient == 0 {
            return Ok((false, 0));
        }
        if exponent < 0 {
            // Each step drops one zero digit; a coefficient has at most 33
            // trailing zeros, so a fractional digit shows up quickly.
            for _ in exponent..0 {
                if !coefficient.is_multiple_of(10) {
                    return Err(ConversionError::NotIntegral);
                }
                coefficient /= 10;
            }
        } else {
            // 10^39 > u128::MAX, so overflow stops this within 39 steps.
            for _ in 0..exponent {
                coefficient = coefficient
                    .checked_mul(10)
                    .ok_or(ConversionError::OutOfRange)?;
            }
        }
        Ok((negative, coefficient))
    }

    /// The value as an `i128` when it is an integer in range, exactly:
    /// `1.20E+3` is 1200, `-0` is 0, `1.5`, NaN and infinities are `None`.
    pub fn to_i128(&self) -> Option<i128> {
        i128::try_from(*self).ok()
    }

    /// The value as an `i64` when it is an integer in range, exactly; see
    /// [`to_i128`](Self::to_i128).
    pub fn to_i64(&self) -> Option<i64> {
        i64::try_from(*self).ok()
    }

    /// An integer exactly: exponent 0 when it has at most 34 digits, else
    /// only as many trailing zeros as needed move to the exponent (IEEE
    /// 754's preferred exponent 0, or the closest possible: `10^37` is
    /// `1.000000000000000000000000000000000E+37`); `None` when more than 34
    /// significant digits remain (e.g. `i128::MAX`).
    pub fn from_i128(v: i128) -> Option<Self> {
        let negative = v < 0;
        let mut coefficient = v.unsigned_abs();
        let mut exponent = 0;
        while coefficient > MAX_COEFF {
            if !coefficient.is_multiple_of(10) {
                return None;
            }
            coefficient /= 10;
            exponent += 1;
        }
        Self::from_parts(negative, coefficient, exponent)
    }

    /// The nearest `f64` (round half to even, as Rust's own decimal parser
    /// rounds): exact decimal-to-binary rounding, not a product of floats,
    /// so `0.1` gives `0.1_f64` and results round once. Values beyond the
    /// `f64` range give an infinity, values below half the smallest
    /// subnormal a zero, both with the sign kept (`-0` gives `-0.0`). NaN
    /// gives a NaN with the stored sign.
    pub fn to_f64(&self) -> f64 {
        match self.value() {
            Decimal128Value::NaN { negative } => {
                if negative {
                    -f64::NAN
                } else {
                    f64::NAN
                }
            }
            Decimal128Value::Infinity { negative } => {
                if negative {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
            Decimal128Value::Finite {
                negative,
                coefficient,
                exponent,
            } => {
                // core's parser rounds correctly from any digit string, so
                // hand it the exact value as text on the stack.
                let mut text = StackText::default();
                let written = fmt::Write::write_fmt(
                    &mut text,
                    format_args!(
                        "{}{coefficient}e{exponent}",
                        if negative { "-" } else { "" }
                    ),
                );
                let parsed = written
                    .ok()
                    .and_then(|()| text.as_str())
                    .and_then(|t| t.parse::<f64>().ok());
                // Unreachable fallback: the text is always a valid float.
                parsed.unwrap_or(f64::NAN)
            }
        }
    }
}

/// A small text buffer: sign, 34 digits, `e` and a 5-digit exponent fit.
struct StackText {
    buf: [u8; 48],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        Self {
            buf: [0; 48],
            len: 0,
        }
    }
}

impl StackText {
    fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(self.buf.get(..self.len)?).ok()
    }
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.buf
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl TryFrom<Decimal128> for i128 {
    type Error = ConversionError;
    /// Exact: fails on NaN, infinities, fractions and out-of-range values.
    fn try_from(d: Decimal128) -> Result<i128, ConversionError> {
        let (negative, magnitude) = d.integer_parts()?;
        if negative {
            0i128
                .checked_sub_unsigned(magnitude)
                .ok_or(ConversionError::OutOfRange)
        } else {
            i128::try_from(magnitude).map_err(|_| ConversionError::OutOfRange)
        }
    }
}

impl TryFrom<Decimal128> for i64 {
    type Error = ConversionError;
    /// Exact: fails on NaN, infinities, fractions and out-of-range values.
    fn try_from(d: Decimal128) -> Result<i64, ConversionError> {
        i64::try_from(i128::try_from(d)?).map_err(|_| ConversionError::OutOfRange)
    }
}

impl TryFrom<i128> for Decimal128 {
    type Error = ConversionError;
    /// Exact; see [`Decimal128::from_i128`].
    fn try_from(v: i128) -> Result<Self, ConversionError> {
        Self::from_i128(v).ok_or(ConversionError::Inexact)
    }
}

impl From<u64> for Decimal128 {
    fn from(v: u64) -> Self {
        Self::from_parts(false, u128::from(v), 0).unwrap_or(Self::nan(false))
    }
}

impl From<u32> for Decimal128 {
    fn from(v: u32) -> Self {
        Self::from(u64::from(v))
    }
}

impl fmt::Display for Decimal128 {
    /// The canonical string of the BSON Decimal128 specification.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (negative, coefficient, exponent) = match self.value() {
            Decimal128Value::NaN { .. } => return f.write_str("NaN"),
            Decimal128Value::Infinity { negative } => {
                return f.write_str(if negative { "-Infinity" } else { "Infinity" });
            }
            Decimal128Value::Finite {
                negative,
                coefficient,
                exponent,
            } => (negative, coefficient, i64::from(exponent)),
        };
        if negative {
            f.write_str("-")?;
        }
        let mut buf = [0u8; 40];
        let mut n = 0;
        let mut c = coefficient;
        loop {
            if let Some(slot) = buf.get_mut(n) {
                *slot = b'0' + (c % 10) as u8;
            }
            n += 1;
            c /= 10;
            if c == 0 {
                break;
            }
        }
        let digits = buf.get_mut(..n).unwrap_or_default();
        digits.reverse();
        let digits: &[u8] = digits;
        let text = core::str::from_utf8(digits).map_err(|_| fmt::Error)?;
        let adjusted = exponent + n as i64 - 1;
        if exponent > 0 || adjusted < -6 {
            let (first, rest) = text.split_at(1);
            f.write_str(first)?;
            if !rest.is_empty() {
                write!(f, ".{rest}")?;
            }
            write!(f, "E{}{adjusted}", if adjusted >= 0 { "+" } else { "" })
        } else if exponent == 0 {
            f.write_str(text)
        } else {
            let frac = (-exponent) as usize;
            if n > frac {
                let (int, dec) = text.split_at(n - frac);
                write!(f, "{int}.{dec}")
            } else {
                f.write_str("0.")?;
                for _ in 0..frac - n {
                    f.write_str("0")?;
                }
                f.write_str(text)
            }
        }
    }
}

impl fmt::Debug for Decimal128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal128({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn spec_examples() {
        // Examples from the BSON Decimal128 specification's "to string" table.
        let cases = [
            ("0", "0"),
            ("-0", "-0"),
            ("1.23E+3", "1.23E+3"),
            ("0.001234", "0.001234"),
            ("123E-9", "1.23E-7"),
            ("-12.34", "-12.34"),
            ("inf", "Infinity"),
            ("-Infinity", "-Infinity"),
            ("nan", "NaN"),
        ];
        for (input, out) in cases {
            assert_eq!(
                Decimal128::parse(input).unwrap().to_string(),
                out,
                "{input}"
            );
        }
        // 1 is stored as coefficient 1, exponent 0: bytes 01.. 00 40 30
        let one = Decimal128::parse("1").unwrap().bytes();
        assert_eq!(one[0], 1);
        assert_eq!(&one[14..], &[0x40, 0x30]);
        assert!(Decimal128::parse("1e").is_err());
        assert!(Decimal128::parse("1E-6177").is_err());
    }
}
