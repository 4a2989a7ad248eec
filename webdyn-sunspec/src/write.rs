//! Scaled writes: from an engineering value (53.5 % for `WMaxLimPct`) to the
//! raw register(s) a device expects, and the Modbus "write multiple
//! registers" request (function 16) that carries them.
//!
//! This is the client side of a set point; [`writer`](crate::writer) builds
//! whole images for servers and simulators.
//!
//! # Rounding
//!
//! A point with scale factor `sf` holds `raw = value × 10^-sf`, and `raw` is
//! an integer: the quotient is rounded **to the nearest integer, ties away
//! from zero** (53.45 with `sf = -1` gives 535, -53.45 gives -535).
//!
//! - A [`Scaled::Decimal`] value is converted exactly, in integer
//!   arithmetic: `Scaled::Decimal { mantissa: 5345, exponent: -2 }` with
//!   `sf = -1` is 534.5, written 535. Use [`Scaled::parse`] to get one from
//!   text without binary rounding.
//! - A [`Scaled::Float`] value is first multiplied (or divided) by the exact
//!   power of ten in `f64`, then rounded as above; a value whose decimal
//!   form ends in 5 but is not exactly representable in binary (1.005) may
//!   round either way. The decoded value is within half a unit of the last
//!   place (`0.5 × 10^sf`) of the requested one, up to that `f64` rounding.
//!
//! Floating-point points (`float32`, `float64`) have no scale factor and take
//! the value as it is.
//!
//! # Errors
//!
//! A write is refused, with the register it concerns, when the point is
//! read-only (access `R`), when its scale factor is not implemented, when the
//! point is not numeric, and when the raw value does not fit the point type
//! or would be that type's "not implemented" sentinel (0xFFFF in a `uint16`,
//! 0x8000 in an `int16`, …), which the device would read as "no value".
//!
//! ```
//! use webdyn_sunspec::{model, model::Scaled, write::WriteTarget};
//! // WMaxLimPct of a model 123 whose header is at 40100, WMaxLimPct_SF = -1.
//! let target = model::CONTROLS.write_target(40100, "WMaxLimPct").unwrap();
//! let req = target.request_with_sf(&Scaled::parse("53.5").unwrap(), Some(-1))?;
//! assert_eq!((req.addr(), req.registers()), (40105, &[535u16][..]));
//! let mut pdu = [0u8; 16];
//! let n = req.pdu(&mut pdu)?;
//! assert_eq!(&pdu[..n], &[0x10, 0x9C, 0xA9, 0x00, 0x01, 0x02, 0x02, 0x17]);
//! # Ok::<(), webdyn_sunspec::write::WriteError>(())
//! ```

use crate::model::Scaled;
use crate::point::{PointType, Value};
use crate::{Error, RegisterImage};

/// Whether a client may write a point, as the model definitions say
/// (`"access": "RW"`; absent means read-only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Access {
    /// Read-only (`"R"`, the default).
    R,
    /// Read-write (`"RW"`).
    RW,
}

impl Access {
    /// Parses the definitions' spelling, `"R"` or `"RW"`.
    pub fn from_name(name: &str) -> Option<Access> {
        match name {
            "R" => Some(Access::R),
            "RW" => Some(Access::RW),
            _ => None,
        }
    }
}

/// Why a write request could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum WriteError {
    /// The point is read-only.
    #[error("point at register {addr} is read-only (access R)")]
    NotWritable {
        /// The point's register.
        addr: u32,
    },
    /// The point's scale factor is "not implemented" (0x8000) or could not
    /// be read, so no raw value can be computed.
    #[error("point at register {addr}: its scale factor (register {sf_addr}) has no value")]
    NoScaleFactor {
        /// The point's register.
        addr: u32,
        /// The scale factor's register.
        sf_addr: u32,
    },
    /// The point is text, an address or padding.
    #[error("point at register {addr} is a {ty} point, not a number")]
    NotNumeric {
        /// The point's register.
        addr: u32,
        /// The point type's SunSpec name.
        ty: &'static str,
    },
    /// The value is NaN or infinite.
    #[error("point at register {addr}: the value is not a finite number")]
    NotFinite {
        /// The point's register.
        addr: u32,
    },
    /// The raw value is outside what the point type can hold, its
    /// "not implemented" sentinel excluded.
    #[error("point at register {addr}: raw value {raw} is outside the {ty} range {min}..={max}")]
    OutOfRange {
        /// The point's register.
        addr: u32,
        /// The point type's SunSpec name.
        ty: &'static str,
        /// The rounded raw value (saturated to the `i128` range).
        raw: i128,
        /// The smallest writable raw value.
        min: i128,
        /// The largest writable raw value.
        max: i128,
    },
    /// The register address is beyond 65535, so no Modbus PDU can carry it.
    #[error("register {addr} is beyond the Modbus address range 0..=65535")]
    AddressRange {
        /// The register.
        addr: u32,
    },
    /// The image or the output buffer is at fault.
    #[error(transparent)]
    Image(#[from] Error),
}

/// The registers to write: `registers()` at `addr()`, as a Modbus "write
/// multiple registers" request sends them. A numeric point never spans more
/// than four registers, so the request lives on the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteRequest {
    addr: u32,
    regs: [u16; 4],
    count: u8,
}

impl WriteRequest {
    /// The first register to write.
    pub fn addr(&self) -> u32 {
        self.addr
    }

    /// The register values, in order.
    pub fn registers(&self) -> &[u16] {
        self.regs.get(..usize::from(self.count)).unwrap_or(&[])
    }

    /// Writes the Modbus PDU of function 16 (write multiple registers):
    /// function code, start address, quantity, byte count, then the
    /// registers big-endian. Returns its length. Prefix the unit id (RTU) or
    /// the MBAP header (TCP) as your transport wants.
    pub fn pdu(&self, out: &mut [u8]) -> Result<usize, WriteError> {
        let addr =
            u16::try_from(self.addr).map_err(|_| WriteError::AddressRange { addr: self.addr })?;
        let regs = self.registers();
        let n = 6 + regs.len() * 2;
        let have = out.len();
        let out = out
            .get_mut(..n)
            .ok_or(Error::BufferTooSmall { need: n, have })?;
        let (head, body) = out.split_at_mut(6);
        let [a_hi, a_lo] = addr.to_be_bytes();
        head.copy_from_slice(&[0x10, a_hi, a_lo, 0, self.count, self.count * 2]);
        for (chunk, r) in body.chunks_exact_mut(2).zip(regs) {
            chunk.copy_from_slice(&r.to_be_bytes());
        }
        Ok(n)
    }
}

/// Where a writable point lives and how it is encoded: enough to build a
/// [`WriteRequest`] without the model definition at hand.
///
/// [`ModelDef::write_target`](crate::model::ModelDef::write_target) makes one
/// from a built-in table; build one yourself for other models (the official
/// JSON definitions give `type`, `size`, `access` and `sf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteTarget {
    /// The point's first register.
    pub addr: u32,
    /// The point type.
    pub ty: PointType,
    /// Its size in registers.
    pub size: u16,
    /// Whether it may be written.
    pub access: Access,
    /// The register of its scale factor, if it has one.
    pub sf_addr: Option<u32>,
}

impl WriteTarget {
    /// Builds the request for `value`, reading the scale factor from
    /// `image` (a fresh read of the model: Fronius and others change scale
    /// factors at run time).
    pub fn request<T: AsRef<[u8]>>(
        &self,
        image: &RegisterImage<T>,
        value: &Scaled,
    ) -> Result<WriteRequest, WriteError> {
        let sf = match self.sf_addr {
            None => None,
            Some(sf_addr) => {
                let raw = image.regs_or_err(sf_addr, 1)?;
                match PointType::Sunssf.decode(raw)? {
                    Value::Int(e) => {
                        Some(i16::try_from(e).map_err(|_| WriteError::NoScaleFactor {
                            addr: self.addr,
                            sf_addr,
                        })?)
                    }
                    _ => {
                        return Err(WriteError::NoScaleFactor {
                            addr: self.addr,
                            sf_addr,
                        });
                    }
                }
            }
        };
        self.request_with_sf(value, sf)
    }

    /// Builds the request for `value` with a scale factor the caller already
    /// knows (`None` for a point without one).
    pub fn request_with_sf(
        &self,
        value: &Scaled,
        sf: Option<i16>,
    ) -> Result<WriteRequest, WriteError> {
        let addr = self.addr;
        if self.access != Access::RW {
            return Err(WriteError::NotWritable { addr });
        }
        if let (Some(sf_addr), None) = (self.sf_addr, sf) {
            return Err(WriteError::NoScaleFactor { addr, sf_addr });
        }
        let raw = raw_value(self.ty, value, sf.unwrap_or(0), addr)?;
        let size = self.ty.fixed_size().unwrap_or(self.size);
        let mut bytes = [0u8; 8];
        let slot = bytes
            .get_mut(..usize::from(size) * 2)
            .ok_or(WriteError::NotNumeric {
                addr,
                ty: self.ty.name(),
            })?;
        self.ty.encode(&raw, slot)?;
        let mut regs = [0u16; 4];
        for (r, b) in regs.iter_mut().zip(slot.chunks_exact(2)) {
            if let [hi, lo] = *b {
                *r = u16::from_be_bytes([hi, lo]);
            }
        }
        Ok(WriteRequest {
            addr,
            regs,
            count: u8::try_from(size).unwrap_or(0),
        })
    }
}

/// The writable raw range of an integer type: its full range minus the
/// "not implemented" sentinel.
fn int_range(ty: PointType) -> Option<(i128, i128)> {
    Some(match ty {
        PointType::Int16 | PointType::Sunssf => (-0x7FFF, 0x7FFF),
        PointType::Int32 => (-0x7FFF_FFFF, 0x7FFF_FFFF),
        PointType::Int64 => (-i128::from(i64::MAX), i128::from(i64::MAX)),
        PointType::Uint16 | PointType::Enum16 | PointType::Bitfield16 => (0, 0xFFFE),
        PointType::Uint32 | PointType::Enum32 | PointType::Bitfield32 => (0, 0xFFFF_FFFE),
        PointType::Uint64 | PointType::Bitfield64 => (0, i128::from(u64::MAX) - 1),
        PointType::Count | PointType::Acc16 => (1, 0xFFFF),
        PointType::Acc32 => (1, 0xFFFF_FFFF),
        PointType::Acc64 => (1, i128::from(u64::MAX)),
        _ => return None,
    })
}

fn raw_value(
    ty: PointType,
    value: &Scaled,
    sf: i16,
    addr: u32,
) -> Result<Value<'static>, WriteError> {
    match ty {
        PointType::Float32 | PointType::Float64 => {
            let v = value.to_f64();
            let fits = match ty {
                PointType::Float32 => v.abs() <= f64::from(f32::MAX),
                _ => true,
            };
            if !v.is_finite() || !fits {
                return Err(WriteError::NotFinite { addr });
            }
            return Ok(Value::Float(v));
        }
        _ => {}
    }
    let (min, max) = int_range(ty).ok_or(WriteError::NotNumeric {
        addr,
        ty: ty.name(),
    })?;
    let raw = match *value {
        Scaled::Decimal { mantissa, exponent } => {
            rescale(mantissa, i32::from(exponent) - i32::from(sf))
        }
        Scaled::Float(f) => {
            if !f.is_finite() {
                return Err(WriteError::NotFinite { addr });
            }
            let q = if sf <= 0 {
                f * pow10(sf.unsigned_abs())
            } else {
                f / pow10(sf.unsigned_abs())
            };
            round_half_away(q)
        }
    };
    if raw < min || raw > max {
        return Err(WriteError::OutOfRange {
            addr,
            ty: ty.name(),
            raw,
            min,
            max,
        });
    }
    Ok(if min < 0 {
        Value::Int(i64::try_from(raw).unwrap_or(0))
    } else {
        Value::Uint(u64::try_from(raw).unwrap_or(0))
    })
}

/// `mantissa × 10^shift`, rounded half away from zero, saturating.
fn rescale(mantissa: i128, shift: i32) -> i128 {
    if shift >= 0 {
        let mut r = mantissa;
        for _ in 0..shift {
            r = r.saturating_mul(10);
            if r == i128::MAX || r == i128::MIN {
                break;
            }
        }
        return r;
    }
    let places = shift.unsigned_abs();
    let Some(div) = 10i128.checked_pow(places) else {
        // More places than an i128 has digits: the value rounds to zero.
        return 0;
    };
    let (q, r) = (mantissa / div, mantissa % div);
    // |r| >= div/2 rounds away from zero; compare without overflow.
    if r.unsigned_abs() >= div.unsigned_abs() - r.unsigned_abs() {
        q + mantissa.signum()
    } else {
        q
    }
}

fn pow10(e: u16) -> f64 {
    let mut r = 1.0f64;
    for _ in 0..e {
        r *= 10.0;
    }
    r
}

/// Rounds to the nearest integer, ties away from zero, saturating to the
/// `i128` range (`f64::round` is not in `core`).
fn round_half_away(x: f64) -> i128 {
    // 2^100 is far beyond any 64-bit point and well inside i128.
    const LIMIT: f64 = 1.267_650_600_228_229_4e30;
    if x >= LIMIT {
        return i128::MAX;
    }
    if x <= -LIMIT {
        return i128::MIN;
    }
    let t = x as i128; // truncates toward zero
    // Exact: subtracting the integer part of a double loses nothing.
    let frac = x - t as f64;
    if frac >= 0.5 {
        t + 1
    } else if frac <= -0.5 {
        t - 1
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_round_away_from_zero() {
        assert_eq!(round_half_away(2.5), 3);
        assert_eq!(round_half_away(-2.5), -3);
        assert_eq!(round_half_away(2.4999), 2);
        assert_eq!(round_half_away(-0.4), 0);
        assert_eq!(rescale(5345, -1), 535);
        assert_eq!(rescale(-5345, -1), -535);
        assert_eq!(rescale(5344, -1), 534);
        assert_eq!(rescale(12, 3), 12000);
        assert_eq!(rescale(7, -60), 0);
    }
}
