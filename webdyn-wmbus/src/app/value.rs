//! Record values: exact decimals, reversed-ASCII text, and the [`Value`]
//! enum a record carries.

use core::fmt;

use super::date::{DateTime, DaylightSaving};

/// An exact decimal number: `mantissa × 10^exponent`.
///
/// M-Bus integers and BCD numbers are exact; scaling them by a VIF exponent
/// in binary floating point would turn `0.001 m³` into `0.0010000000000000000208`.
/// Keeping the power of ten apart keeps the value exactly as the meter sent it.
///
/// Equality is structural: `Decimal::new(10, -1) != Decimal::new(1, 0)`;
/// compare [`Decimal::normalized`] forms for numeric equality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Decimal {
    /// The integer part as sent (after BCD or two's-complement decoding).
    pub mantissa: i128,
    /// The power of ten the mantissa is multiplied by.
    pub exponent: i8,
}

impl Decimal {
    /// `mantissa × 10^exponent`.
    pub const fn new(mantissa: i128, exponent: i8) -> Self {
        Decimal { mantissa, exponent }
    }

    /// The same number with trailing zeros moved into the exponent
    /// (zero becomes `0 × 10^0`).
    pub fn normalized(self) -> Self {
        if self.mantissa == 0 {
            return Decimal::new(0, 0);
        }
        let mut d = self;
        while d.mantissa % 10 == 0 && d.exponent < i8::MAX {
            d.mantissa /= 10;
            d.exponent += 1;
        }
        d
    }

    /// The mantissa rescaled to `exponent`, when that is exact and fits.
    pub fn mantissa_at(self, exponent: i8) -> Option<i128> {
        let diff = i32::from(self.exponent) - i32::from(exponent);
        if diff >= 0 {
            let mut m = self.mantissa;
            for _ in 0..diff {
                m = m.checked_mul(10)?;
            }
            Some(m)
        } else {
            let mut m = self.mantissa;
            for _ in 0..(-diff) {
                if m % 10 != 0 {
                    return None;
                }
                m /= 10;
            }
            Some(m)
        }
    }

    /// The nearest `f64` (for display or arithmetic; lossy).
    pub fn to_f64(self) -> f64 {
        let mut scale = 1.0f64;
        for _ in 0..self.exponent.unsigned_abs() {
            scale *= 10.0;
        }
        // One rounding step for the scale (exact up to 1e22) and one for
        // the product or quotient.
        if self.exponent >= 0 {
            self.mantissa as f64 * scale
        } else {
            self.mantissa as f64 / scale
        }
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal notation without exponent: `1234 × 10^-2` is `12.34`,
    /// `5 × 10^3` is `5000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.mantissa < 0;
        let mut digits = [0u8; 40];
        let mut n = self.mantissa.unsigned_abs();
        let mut len = 0usize;
        loop {
            if let Some(slot) = digits.get_mut(len) {
                *slot = b'0' + (n % 10) as u8;
            }
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        // digits[0..len] holds the digits least significant first.
        let digit = |i: usize| char::from(digits.get(i).copied().unwrap_or(b'0'));
        if neg {
            f.write_str("-")?;
        }
        if self.exponent >= 0 {
            for i in (0..len).rev() {
                write!(f, "{}", digit(i))?;
            }
            if self.mantissa != 0 {
                for _ in 0..self.exponent {
                    f.write_str("0")?;
                }
            }
        } else {
            let frac = usize::from(self.exponent.unsigned_abs());
            if len <= frac {
                f.write_str("0.")?;
                for _ in 0..(frac - len) {
                    f.write_str("0")?;
                }
                for i in (0..len).rev() {
                    write!(f, "{}", digit(i))?;
                }
            } else {
                for i in (frac..len).rev() {
                    write!(f, "{}", digit(i))?;
                }
                f.write_str(".")?;
                for i in (0..frac).rev() {
                    write!(f, "{}", digit(i))?;
                }
            }
        }
        Ok(())
    }
}

/// Text as M-Bus sends it: ASCII (Latin-1) with the **last character
/// first**. Borrowed from the telegram; [`Text::chars`] and `Display`
/// give it in reading order.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<'a>(pub &'a [u8]);

impl<'a> Text<'a> {
    /// The bytes as they are on the wire (reversed).
    pub fn wire_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The characters in reading order (Latin-1 decoded).
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a {
        self.0.iter().rev().map(|&b| char::from(b))
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in self.chars() {
            f.write_char(c)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text(\"{self}\")")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The value of a data record.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Value<'a> {
    /// No data: DIF data field 0x0 ("no data") or 0x8 ("selection for
    /// readout"), and the global readout request.
    None,
    /// An integer or BCD number, scaled by the VIF exponent.
    Number(Decimal),
    /// A 32-bit IEEE 754 real as sent, to be multiplied by `10^exponent`.
    Real {
        /// The real as sent.
        value: f32,
        /// The VIF power of ten.
        exponent: i8,
    },
    /// A date and/or time (types F, G, I, J).
    DateTime(DateTime),
    /// Daylight-saving rules (type K, VIF FD 72).
    DaylightSaving(DaylightSaving),
    /// A variable-length string (LVAR 0x00–0xBF), reversed on the wire.
    Text(Text<'a>),
    /// Bytes that are not a number: manufacturer data, binary numbers wider
    /// than 128 bits, data of an unknown VIF that is not numeric.
    Bytes(&'a [u8]),
    /// A BCD field with a non-decimal nibble (other than a leading 0xF
    /// sign): meters send `FF…` for "no value". The raw bytes are kept.
    InvalidBcd(&'a [u8]),
}

impl Value<'_> {
    /// The value as an `f64` when it is a number or a real (lossy).
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Number(d) => Some(d.to_f64()),
            // The exact value of the binary real (what wmbusmeters and
            // libmbus compute too); `Display` prints the shortest form.
            Value::Real { value, exponent } => {
                let v = f64::from(value);
                let scale = Decimal::new(1, exponent.saturating_abs()).to_f64();
                Some(if exponent >= 0 { v * scale } else { v / scale })
            }
            _ => None,
        }
    }

    /// The exact decimal when the value is a number.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match *self {
            Value::Number(d) => Some(d),
            _ => None,
        }
    }
}

impl fmt::Display for Value<'_> {
    /// Numbers in plain decimal, dates in ISO 8601, text in reading order,
    /// bytes in upper-case hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => Ok(()),
            Value::Number(d) => d.fmt(f),
            Value::Real { value, exponent } => {
                if *exponent == 0 {
                    write!(f, "{value}")
                } else {
                    write!(f, "{}", self.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::DateTime(d) => d.fmt(f),
            Value::DaylightSaving(d) => d.fmt(f),
            Value::Text(t) => t.fmt(f),
            Value::Bytes(b) | Value::InvalidBcd(b) => {
                for byte in *b {
                    write!(f, "{byte:02X}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn decimal_display() {
        assert_eq!(Decimal::new(1234, -2).to_string(), "12.34");
        assert_eq!(Decimal::new(-5, -3).to_string(), "-0.005");
        assert_eq!(Decimal::new(5, 3).to_string(), "5000");
        assert_eq!(Decimal::new(0, 3).to_string(), "0");
        assert_eq!(Decimal::new(0, -2).to_string(), "0.00");
        assert_eq!(
            Decimal::new(i128::MIN, 0).to_string(),
            i128::MIN.to_string()
        );
    }

    #[test]
    fn rescale() {
        assert_eq!(Decimal::new(12, 1).mantissa_at(-1), Some(1200));
        assert_eq!(Decimal::new(1200, -1).mantissa_at(1), Some(12));
        assert_eq!(Decimal::new(1201, -1).mantissa_at(1), None);
        assert_eq!(Decimal::new(1200, -3).normalized(), Decimal::new(12, -1));
    }

    #[test]
    fn reals_are_exact_and_display_short() {
        // EDC frame of the libmbus corpus: 85 00 5B 2B 4B AC 41.
        let v = Value::Real {
            value: f32::from_le_bytes([0x2B, 0x4B, 0xAC, 0x41]),
            exponent: 0,
        };
        assert_eq!(v.as_f64(), Some(21.53670310974121));
        assert_eq!(v.to_string(), "21.536703");
        let v = Value::Real {
            value: 12.5,
            exponent: -3,
        };
        assert_eq!(v.as_f64(), Some(0.0125));
    }

    #[test]
    fn text_reversed() {
        // "KAM" sent last character first.
        assert_eq!(Text(b"MAK").to_string(), "KAM");
    }
}
