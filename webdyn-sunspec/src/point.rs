//! Point types, their register encoding and their "not implemented" values.

use crate::Error;

/// The SunSpec point types.
///
/// Each type has a fixed size in registers (strings excepted) and a value that
/// means "not implemented" ([`PointType::decode`] turns it into
/// [`Value::NotImplemented`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum PointType {
    /// Signed 16-bit integer; 0x8000 is not implemented.
    Int16,
    /// Unsigned 16-bit integer; 0xFFFF is not implemented.
    Uint16,
    /// Unsigned 16-bit count; 0 is not implemented.
    Count,
    /// 16-bit accumulator; 0 is not implemented.
    Acc16,
    /// 16-bit enumeration; 0xFFFF is not implemented.
    Enum16,
    /// 16-bit bit field; 0xFFFF is not implemented.
    Bitfield16,
    /// Signed 32-bit integer; 0x80000000 is not implemented.
    Int32,
    /// Unsigned 32-bit integer; 0xFFFFFFFF is not implemented.
    Uint32,
    /// 32-bit accumulator; 0 is not implemented.
    Acc32,
    /// 32-bit enumeration; 0xFFFFFFFF is not implemented.
    Enum32,
    /// 32-bit bit field; 0xFFFFFFFF is not implemented.
    Bitfield32,
    /// Signed 64-bit integer; 0x8000000000000000 is not implemented.
    Int64,
    /// Unsigned 64-bit integer; all ones is not implemented.
    Uint64,
    /// 64-bit accumulator; 0 is not implemented.
    Acc64,
    /// 64-bit bit field; all ones is not implemented.
    Bitfield64,
    /// IEEE-754 single precision; NaN (0x7FC00000) is not implemented.
    Float32,
    /// IEEE-754 double precision; NaN is not implemented.
    Float64,
    /// A scale factor: a signed power of ten; 0x8000 is not implemented.
    Sunssf,
    /// Padding; 0x8000.
    Pad,
    /// An IPv4 address; 0 is not implemented.
    Ipaddr,
    /// An IPv6 address; all zeros is not implemented.
    Ipv6addr,
    /// An EUI-48 (MAC) address in four registers; all ones is not implemented.
    Eui48,
    /// Text, NUL-padded, two characters per register; all zeros is not implemented.
    String,
}

/// A decoded point value, before any scale factor.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Value<'a> {
    /// The register(s) hold the type's "not implemented" value.
    NotImplemented,
    /// A signed integer (int16/32/64, sunssf).
    Int(i64),
    /// An unsigned integer (uint, count, acc, enum, bitfield).
    Uint(u64),
    /// A floating-point value.
    Float(f64),
    /// Text with its NUL padding removed (may not be UTF-8: kept as bytes).
    Text(&'a [u8]),
    /// Raw bytes for addresses (IPv4, IPv6, EUI-48) and padding.
    Bytes(&'a [u8]),
}

impl PointType {
    /// The SunSpec name of the type, as in the model definitions.
    pub fn name(self) -> &'static str {
        match self {
            PointType::Int16 => "int16",
            PointType::Uint16 => "uint16",
            PointType::Count => "count",
            PointType::Acc16 => "acc16",
            PointType::Enum16 => "enum16",
            PointType::Bitfield16 => "bitfield16",
            PointType::Int32 => "int32",
            PointType::Uint32 => "uint32",
            PointType::Acc32 => "acc32",
            PointType::Enum32 => "enum32",
            PointType::Bitfield32 => "bitfield32",
            PointType::Int64 => "int64",
            PointType::Uint64 => "uint64",
            PointType::Acc64 => "acc64",
            PointType::Bitfield64 => "bitfield64",
            PointType::Float32 => "float32",
            PointType::Float64 => "float64",
            PointType::Sunssf => "sunssf",
            PointType::Pad => "pad",
            PointType::Ipaddr => "ipaddr",
            PointType::Ipv6addr => "ipv6addr",
            PointType::Eui48 => "eui48",
            PointType::String => "string",
        }
    }

    /// Parses a SunSpec type name (`"uint16"`, `"sunssf"`, …).
    pub fn from_name(name: &str) -> Option<PointType> {
        const ALL: [PointType; 23] = [
            PointType::Int16,
            PointType::Uint16,
            PointType::Count,
            PointType::Acc16,
            PointType::Enum16,
            PointType::Bitfield16,
            PointType::Int32,
            PointType::Uint32,
            PointType::Acc32,
            PointType::Enum32,
            PointType::Bitfield32,
            PointType::Int64,
            PointType::Uint64,
            PointType::Acc64,
            PointType::Bitfield64,
            PointType::Float32,
            PointType::Float64,
            PointType::Sunssf,
            PointType::Pad,
            PointType::Ipaddr,
            PointType::Ipv6addr,
            PointType::Eui48,
            PointType::String,
        ];
        ALL.into_iter().find(|t| t.name() == name)
    }

    /// The size in registers, or `None` for strings (whose size the model gives).
    pub fn fixed_size(self) -> Option<u16> {
        Some(match self {
            PointType::Int16
            | PointType::Uint16
            | PointType::Count
            | PointType::Acc16
            | PointType::Enum16
            | PointType::Bitfield16
            | PointType::Sunssf
            | PointType::Pad => 1,
            PointType::Int32
            | PointType::Uint32
            | PointType::Acc32
            | PointType::Enum32
            | PointType::Bitfield32
            | PointType::Float32
            | PointType::Ipaddr => 2,
            PointType::Int64
            | PointType::Uint64
            | PointType::Acc64
            | PointType::Bitfield64
            | PointType::Float64
            | PointType::Eui48 => 4,
            PointType::Ipv6addr => 8,
            PointType::String => return None,
        })
    }

    /// Decodes a point from its register bytes (big-endian, as on the wire).
    ///
    /// `regs` must hold at least the type's size; strings use all of `regs`.
    ///
    /// ```
    /// use webdyn_sunspec::{PointType, Value};
    /// assert_eq!(PointType::Int16.decode(&[0xFF, 0xFE]).unwrap(), Value::Int(-2));
    /// assert_eq!(PointType::Int16.decode(&[0x80, 0x00]).unwrap(), Value::NotImplemented);
    /// assert_eq!(PointType::Acc32.decode(&[0, 1, 0, 2]).unwrap(), Value::Uint(65538));
    /// ```
    pub fn decode(self, regs: &[u8]) -> Result<Value<'_>, Error> {
        let need = usize::from(self.fixed_size().unwrap_or(0)) * 2;
        let bytes = if need == 0 {
            regs
        } else {
            regs.get(..need).ok_or(Error::ShortPoint {
                need: need / 2,
                have: regs.len() / 2,
            })?
        };
        let uint = || bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let ni = Value::NotImplemented;
        Ok(match self {
            PointType::Int16 | PointType::Sunssf => {
                let v = uint() as u16;
                if v == 0x8000 {
                    ni
                } else {
                    Value::Int(i64::from(v as i16))
                }
            }
            PointType::Int32 => {
                let v = uint() as u32;
                if v == 0x8000_0000 {
                    ni
                } else {
                    Value::Int(i64::from(v as i32))
                }
            }
            PointType::Int64 => {
                let v = uint();
                if v == 0x8000_0000_0000_0000 {
                    ni
                } else {
                    Value::Int(v as i64)
                }
            }
            PointType::Uint16 | PointType::Enum16 | PointType::Bitfield16 => {
                let v = uint();
                if v == 0xFFFF { ni } else { Value::Uint(v) }
            }
            PointType::Uint32 | PointType::Enum32 | PointType::Bitfield32 => {
                let v = uint();
                if v == 0xFFFF_FFFF { ni } else { Value::Uint(v) }
            }
            PointType::Uint64 | PointType::Bitfield64 => {
                let v = uint();
                if v == u64::MAX { ni } else { Value::Uint(v) }
            }
            PointType::Count | PointType::Acc16 | PointType::Acc32 | PointType::Acc64 => {
                let v = uint();
                if v == 0 { ni } else { Value::Uint(v) }
            }
            PointType::Float32 => {
                let v = f32::from_bits(uint() as u32);
                if v.is_nan() {
                    ni
                } else {
                    Value::Float(f64::from(v))
                }
            }
            PointType::Float64 => {
                let v = f64::from_bits(uint());
                if v.is_nan() { ni } else { Value::Float(v) }
            }
            PointType::Pad => Value::Bytes(bytes),
            PointType::Ipaddr | PointType::Ipv6addr => {
                if bytes.iter().all(|&b| b == 0) {
                    ni
                } else {
                    Value::Bytes(bytes)
                }
            }
            PointType::Eui48 => {
                // Four registers; the address is in the last six bytes.
                let mac = bytes.get(2..).unwrap_or(&[]);
                if mac.iter().all(|&b| b == 0xFF) {
                    ni
                } else {
                    Value::Bytes(mac)
                }
            }
            PointType::String => {
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                if end == 0 {
                    ni
                } else {
                    Value::Text(bytes.get(..end).unwrap_or(&[]))
                }
            }
        })
    }

    /// Encodes `value` into `out` (which must hold the type's size; strings
    /// are NUL-padded to `out.len()`).
    ///
    /// Encoding [`Value::NotImplemented`] writes the type's sentinel, so a
    /// decoded image re-encodes to the same registers.
    pub fn encode(self, value: &Value<'_>, out: &mut [u8]) -> Result<(), Error> {
        let size = usize::from(self.fixed_size().unwrap_or(0)) * 2;
        let size = if size == 0 { out.len() } else { size };
        let have = out.len();
        let out = out
            .get_mut(..size)
            .ok_or(Error::BufferTooSmall { need: size, have })?;
        let range = Error::ValueOutOfRange { ty: self.name() };
        let put = |out: &mut [u8], v: u64| {
            let n = out.len();
            for (i, b) in out.iter_mut().enumerate() {
                let shift = 8 * (n - 1 - i);
                *b = if shift >= 64 { 0 } else { (v >> shift) as u8 };
            }
        };
        match (self, value) {
            (_, Value::NotImplemented) => match self {
                PointType::Int16 | PointType::Sunssf | PointType::Pad => put(out, 0x8000),
                PointType::Int32 => put(out, 0x8000_0000),
                PointType::Int64 => put(out, 0x8000_0000_0000_0000),
                PointType::Float32 => put(out, 0x7FC0_0000),
                PointType::Float64 => put(out, 0x7FF8_0000_0000_0000),
                PointType::Uint16
                | PointType::Enum16
                | PointType::Bitfield16
                | PointType::Uint32
                | PointType::Enum32
                | PointType::Bitfield32
                | PointType::Uint64
                | PointType::Bitfield64
                | PointType::Eui48 => out.fill(0xFF),
                _ => out.fill(0),
            },
            (PointType::Int16 | PointType::Sunssf, Value::Int(v)) => {
                let v = i16::try_from(*v).map_err(|_| range)?;
                put(out, u64::from(v as u16));
            }
            (PointType::Int32, Value::Int(v)) => {
                let v = i32::try_from(*v).map_err(|_| range)?;
                put(out, u64::from(v as u32));
            }
            (PointType::Int64, Value::Int(v)) => put(out, *v as u64),
            (
                PointType::Uint16
                | PointType::Count
                | PointType::Acc16
                | PointType::Enum16
                | PointType::Bitfield16,
                Value::Uint(v),
            ) => put(out, u64::from(u16::try_from(*v).map_err(|_| range)?)),
            (
                PointType::Uint32 | PointType::Acc32 | PointType::Enum32 | PointType::Bitfield32,
                Value::Uint(v),
            ) => put(out, u64::from(u32::try_from(*v).map_err(|_| range)?)),
            (PointType::Uint64 | PointType::Acc64 | PointType::Bitfield64, Value::Uint(v)) => {
                put(out, *v)
            }
            (PointType::Float32, Value::Float(v)) => put(out, u64::from((*v as f32).to_bits())),
            (PointType::Float64, Value::Float(v)) => put(out, v.to_bits()),
            (PointType::String, Value::Text(t)) => {
                if t.len() > out.len() {
                    return Err(range);
                }
                out.fill(0);
                out.get_mut(..t.len()).ok_or(range)?.copy_from_slice(t);
            }
            (PointType::Eui48, Value::Bytes(b)) if b.len() == 6 => {
                out.fill(0);
                out.get_mut(2..).ok_or(range)?.copy_from_slice(b);
            }
            (PointType::Pad | PointType::Ipaddr | PointType::Ipv6addr, Value::Bytes(b))
                if b.len() == out.len() =>
            {
                out.copy_from_slice(b)
            }
            _ => return Err(range),
        }
        Ok(())
    }
}
