//! The fixed data structure (EN 13757-3 clause 5 / annex: CI 0x73, 0x77 on
//! wired M-Bus): 16 bytes after the CI.
//!
//! ```text
//! ID(4, BCD) ACC(1) STS(1) MEDIUM/UNIT(2) COUNTER1(4) COUNTER2(4)
//! ```
//!
//! Status bit 7 says the counters are binary (1) or BCD (0); bit 6 says
//! they are historic values (1, at a fixed date) or actual values (0).
//! The medium/unit field is data type E: unit 1 in bits 0–5 of the first
//! byte, unit 2 in bits 0–5 of the second, the medium in bits 6–7 of both
//! (first byte low bits).

use super::Error;
use super::value::{Decimal, Value};
use super::vif::Quantity;

/// A decoded fixed data structure.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FixedData<'a> {
    /// Identification number as sent (4 bytes, BCD, least significant first).
    pub id: [u8; 4],
    /// Access number.
    pub access_number: u8,
    /// Status byte.
    pub status: u8,
    /// Medium (4 bits; same codes as the device type 0x00–0x0F).
    pub medium: u8,
    /// The two counters.
    pub counters: [FixedCounter<'a>; 2],
}

/// One counter of the fixed data structure.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FixedCounter<'a> {
    /// The 6-bit unit code.
    pub unit_code: u8,
    /// What is counted.
    pub quantity: Quantity,
    /// SI-style unit (`Wh`, `J`, `W`, `J/h`, `m3`, `m3/h`, `°C`).
    pub unit: &'static str,
    /// True when the status byte says the counter is a historic value (or
    /// unit code 0x3E "same but historic").
    pub historic: bool,
    /// The value, scaled to `unit`.
    pub value: Value<'a>,
}

impl FixedData<'_> {
    /// The identification number as 8 decimal digits, when it is BCD.
    pub fn id_number(&self) -> Option<u32> {
        let mut v = 0u32;
        for &b in self.id.iter().rev() {
            let (h, l) = (b >> 4, b & 0x0F);
            if h > 9 || l > 9 {
                return None;
            }
            v = v * 100 + u32::from(h) * 10 + u32::from(l);
        }
        Some(v)
    }
}

/// Unit code of type E (fixed structure) to quantity, unit and exponent.
fn unit(code: u8) -> (Quantity, &'static str, i8) {
    use Quantity as Q;
    let c = code & 0x3F;
    let step = |base: u8| (c - base) as i8;
    match c {
        0x00 => (Q::OnTime, "h:m:s", 0),
        0x01 => (Q::Date, "D.M.Y", 0),
        0x02..=0x0A => (Q::Energy, "Wh", step(0x02)),
        0x0B..=0x13 => (Q::Energy, "J", step(0x0B) + 3),
        0x14..=0x1C => (Q::Power, "W", step(0x14)),
        0x1D..=0x25 => (Q::Power, "J/h", step(0x1D) + 3),
        0x26..=0x2E => (Q::Volume, "m3", step(0x26) - 6),
        0x2F..=0x37 => (Q::VolumeFlow, "m3/h", step(0x2F) - 6),
        0x38 => (Q::FlowTemperature, "°C", -3),
        0x39 => (Q::HcaUnits, "", 0),
        0x3F => (Q::Dimensionless, "", 0),
        _ => (Q::Unknown, "", 0),
    }
}

/// Parses the 16 bytes after a fixed-structure CI.
pub fn parse(data: &[u8]) -> Result<FixedData<'_>, Error> {
    let Some((&[i0, i1, i2, i3, acc, sts, u0, u1], counters)) = data.split_first_chunk::<8>()
    else {
        return Err(Error::FixedTooShort { len: data.len() });
    };
    let (Some(c1), Some(c2)) = (counters.get(0..4), counters.get(4..8)) else {
        return Err(Error::FixedTooShort { len: data.len() });
    };
    let binary = sts & 0x80 != 0;
    let historic = sts & 0x40 != 0;
    let counter = |code: u8, raw| {
        let (mut quantity, mut unit_str, mut exp) = unit(code);
        let mut hist = historic;
        if code & 0x3F == 0x3E {
            // "Same but historic": counter 2 with the unit of counter 1.
            (quantity, unit_str, exp) = unit(u0);
            hist = true;
        }
        let value = if binary {
            let mut a = [0u8; 4];
            a.copy_from_slice(raw);
            Value::Number(Decimal::new(i128::from(u32::from_le_bytes(a)), exp))
        } else {
            bcd32(raw).map_or(Value::InvalidBcd(raw), |m| {
                Value::Number(Decimal::new(m, exp))
            })
        };
        FixedCounter {
            unit_code: code & 0x3F,
            quantity,
            unit: unit_str,
            historic: hist,
            value,
        }
    };
    Ok(FixedData {
        id: [i0, i1, i2, i3],
        access_number: acc,
        status: sts,
        medium: (u0 >> 6) | ((u1 >> 6) << 2),
        counters: [counter(u0, c1), counter(u1, c2)],
    })
}

fn bcd32(d: &[u8]) -> Option<i128> {
    let mut m = 0i128;
    for &b in d.iter().rev() {
        let (h, l) = (b >> 4, b & 0x0F);
        if h > 9 || l > 9 {
            return None;
        }
        m = m * 100 + i128::from(h * 10 + l);
    }
    Some(m)
}

/// Encodes a fixed data structure into `out` (16 bytes); the counters'
/// values must be numbers at the exponent of their unit code.
pub fn emit(f: &FixedData<'_>, out: &mut [u8]) -> Result<usize, Error> {
    let o = out.get_mut(..16).ok_or(Error::BufferTooSmall)?;
    let [c1, c2] = &f.counters;
    let binary = f.status & 0x80 != 0;
    let u0 = c1.unit_code | ((f.medium & 0x03) << 6);
    let u1 = c2.unit_code | (((f.medium >> 2) & 0x03) << 6);
    let mut head = [0u8; 8];
    head[..4].copy_from_slice(&f.id);
    head[4] = f.access_number;
    head[5] = f.status;
    head[6] = u0;
    head[7] = u1;
    let (h, rest) = o.split_at_mut(8);
    h.copy_from_slice(&head);
    for (c, slot) in [c1, c2].into_iter().zip(rest.chunks_mut(4)) {
        let exp = if c.unit_code == 0x3E {
            unit(u0).2
        } else {
            unit(c.unit_code).2
        };
        match c.value {
            Value::Number(d) => {
                let m = d.mantissa_at(exp).ok_or(Error::ValueDoesNotFit)?;
                if binary {
                    let v = u32::try_from(m).map_err(|_| Error::ValueDoesNotFit)?;
                    slot.copy_from_slice(&v.to_le_bytes());
                } else {
                    if !(0..100_000_000).contains(&m) {
                        return Err(Error::ValueDoesNotFit);
                    }
                    let mut u = m as u32;
                    for b in slot.iter_mut() {
                        *b = (u % 10) as u8 | (((u / 10) % 10) as u8) << 4;
                        u /= 100;
                    }
                }
            }
            Value::InvalidBcd(b) if !binary && b.len() == 4 => slot.copy_from_slice(b),
            _ => return Err(Error::ValueDoesNotFit),
        }
    }
    Ok(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_bcd_counters() {
        // ID 12345678, ACC 0x55, STS 0 (BCD, actual), unit1 0x2B (100 l =
        // 10^-1 m3), unit2 0x05 (kWh), medium water 7 = 0b0111:
        // low bits 11 in byte 6, high bits 01 in byte 7.
        let d = [
            0x78,
            0x56,
            0x34,
            0x12,
            0x55,
            0x00,
            0x2B | 0xC0,
            0x05 | 0x40,
            0x21,
            0x43,
            0x00,
            0x00,
            0x99,
            0x00,
            0x00,
            0x00,
        ];
        let f = parse(&d).unwrap();
        assert_eq!(f.id_number(), Some(12345678));
        assert_eq!(f.medium, 7);
        assert_eq!(f.counters[0].unit, "m3");
        assert_eq!(f.counters[0].value, Value::Number(Decimal::new(4321, -1)));
        assert_eq!(f.counters[1].unit, "Wh");
        assert_eq!(f.counters[1].value, Value::Number(Decimal::new(99, 3)));
        let mut out = [0u8; 16];
        assert_eq!(emit(&f, &mut out), Ok(16));
        assert_eq!(out, d);
        assert_eq!(parse(&d[..10]), Err(Error::FixedTooShort { len: 10 }));
    }
}
