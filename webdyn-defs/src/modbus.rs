//! The Modbus value codec: what a definition file's `Info1`/`Info2`/`Info3`
//! mean on the wire.
//!
//! * [`RegisterKind`] (`Info1`): coil, discrete input, holding or input
//!   register, and the function codes each implies.
//! * [`DataType`] (`Info3`): `U8`…`U64`, `I8`…`I64`, `F32`, `F64`, `String`,
//!   `Bits`, `IP`, `IPV6`, `MAC`, `RAW`, with the `_B`, `_W` and `_WB` swaps.
//! * [`Location`] (`Info2`): `AAAAA`, `AAAAA_S` (size in bytes),
//!   `AAAAA_O` (byte offset), `AAAAA_B[_N]` (bit field).
//! * [`VarSpec`] ties the three together and [`VarSpec::decode`] /
//!   [`VarSpec::encode`] convert between register bytes and [`Value`]s.
//! * [`scale`] applies a SunSpec scale factor, [`Coefficients`] the file's
//!   `CoefA·x + CoefB`.
//! * [`plan`] groups variables into read requests the way the gateway does.
//!
//! Register bytes are always given as they travel on the wire: each register
//! big-endian, registers in address order.
//!
//! Decisions where the manuals are silent (documented in the spec as
//! ambiguous): addresses are raw PDU register numbers (no 4xxxx offset);
//! `Bits` numbering is 1-based from the least significant bit of the register
//! ("`40008_1` = register 40008 at its 1st bit") and a bit field stays inside
//! one register; a coil or discrete input variable is one bit.

use core::fmt;

/// Largest number of registers one read request may carry (Modbus FC 3/4).
pub const MAX_REGISTERS: u16 = 125;
/// Largest number of bits one read request may carry (Modbus FC 1/2).
pub const MAX_BITS: u16 = 2000;

/// Why a variable cannot be described, decoded or encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CodecError {
    /// `Info1` is not 1, 2, 3 or 4.
    #[error(
        "Info1 must be 1 (coil), 2 (discrete input), 3 (holding register) or 4 (input register)"
    )]
    BadRegisterKind,
    /// `Info3` is not a known type.
    #[error(
        "unknown type (expected U8, I8, U16, I16, U32, I32, U64, I64, F32, F64, String, Bits, IP, IPV6, MAC or RAW)"
    )]
    UnknownType,
    /// A swap suffix on a type that does not allow it.
    #[error("this swap suffix is not allowed on this type")]
    SwapNotAllowed,
    /// `Info2` is not of the form the type needs.
    #[error("bad address: {0}")]
    BadAddress(AddressProblem),
    /// The register bytes given are fewer than the variable needs.
    #[error("need {needed} bytes of register data, got {got}")]
    ShortData {
        /// Bytes needed.
        needed: usize,
        /// Bytes given.
        got: usize,
    },
    /// The value does not fit the variable's type.
    #[error("value does not fit the variable's type")]
    ValueOutOfRange,
    /// The value's kind does not match the variable's type.
    #[error("value kind does not match the variable's type")]
    WrongValueKind,
    /// The variable is read-only (discrete input, input register).
    #[error("read-only variable: discrete inputs and input registers cannot be written")]
    ReadOnly,
}

/// What is wrong with an `Info2` address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AddressProblem {
    /// Not a decimal register number 0–65535.
    NotARegister,
    /// String/RAW without `_size`.
    MissingSize,
    /// Size 0, or the variable runs past register 65535.
    BadSize,
    /// U8/I8 byte offset not 0 or 1.
    BadByteOffset,
    /// Bits: first bit not 1–16, count 0, or field past bit 16.
    BadBits,
    /// A `_` suffix on a type that takes none.
    UnexpectedSuffix,
}

impl fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressProblem::NotARegister => "expected a register number 0-65535",
            AddressProblem::MissingSize => "String and RAW need ADDRESS_SIZE (size in bytes)",
            AddressProblem::BadSize => "size must be 1 or more and stay below register 65536",
            AddressProblem::BadByteOffset => "U8/I8 byte offset must be 0 (1st byte) or 1 (2nd byte)",
            AddressProblem::BadBits => {
                "Bits needs ADDRESS_FIRST[_COUNT] with first bit 1-16, count >= 1, first+count-1 <= 16"
            }
            AddressProblem::UnexpectedSuffix => "this type takes a plain register number",
        })
    }
}

/// `Info1`: which Modbus table a variable lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RegisterKind {
    /// 1: coil (read 0x01, write 0x05).
    Coil,
    /// 2: discrete input (read 0x02, read-only).
    DiscreteInput,
    /// 3: holding register (read 0x03, write 0x06 or 0x10).
    Holding,
    /// 4: input register (read 0x04, read-only).
    Input,
}

impl RegisterKind {
    /// Parses `Info1`.
    pub fn from_info1(s: &str) -> Result<Self, CodecError> {
        match s.trim() {
            "1" => Ok(RegisterKind::Coil),
            "2" => Ok(RegisterKind::DiscreteInput),
            "3" => Ok(RegisterKind::Holding),
            "4" => Ok(RegisterKind::Input),
            _ => Err(CodecError::BadRegisterKind),
        }
    }

    /// The `Info1` code.
    pub const fn info1(self) -> u8 {
        match self {
            RegisterKind::Coil => 1,
            RegisterKind::DiscreteInput => 2,
            RegisterKind::Holding => 3,
            RegisterKind::Input => 4,
        }
    }

    /// The read function code (0x02 for discrete inputs: the EN manual's
    /// 0x03 is an erratum).
    pub const fn read_function(self) -> u8 {
        match self {
            RegisterKind::Coil => 0x01,
            RegisterKind::DiscreteInput => 0x02,
            RegisterKind::Holding => 0x03,
            RegisterKind::Input => 0x04,
        }
    }

    /// The write function code for `registers` registers, `None` when
    /// read-only. `forced` is the definition header's forced write code 1:
    /// always 0x10, even for one register.
    pub const fn write_function(self, registers: u16, forced: bool) -> Option<u8> {
        match self {
            RegisterKind::Coil => Some(0x05),
            RegisterKind::Holding if registers == 1 && !forced => Some(0x06),
            RegisterKind::Holding => Some(0x10),
            RegisterKind::DiscreteInput | RegisterKind::Input => None,
        }
    }

    /// Whether the table holds single bits (coils, discrete inputs).
    pub const fn is_bit(self) -> bool {
        matches!(self, RegisterKind::Coil | RegisterKind::DiscreteInput)
    }
}

/// The base of an `Info3` type, without its swap suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BaseType {
    /// Unsigned byte, selected by the `_O` byte offset.
    U8,
    /// Signed byte.
    I8,
    /// Unsigned 16 bits.
    U16,
    /// Signed 16 bits.
    I16,
    /// Unsigned 32 bits.
    U32,
    /// Signed 32 bits.
    I32,
    /// Unsigned 64 bits.
    U64,
    /// Signed 64 bits.
    I64,
    /// IEEE-754 single.
    F32,
    /// IEEE-754 double.
    F64,
    /// Text of `_size` bytes.
    String,
    /// Bit field.
    Bits,
    /// IPv4 address, 2 registers.
    Ip,
    /// IPv6 address, 8 registers.
    Ipv6,
    /// EUI-48 MAC address, 3 registers.
    Mac,
    /// Raw bytes of `_size` bytes (firmware ≥ V5.1.5).
    Raw,
}

impl BaseType {
    /// The token as the manuals write it.
    pub const fn token(self) -> &'static str {
        match self {
            BaseType::U8 => "U8",
            BaseType::I8 => "I8",
            BaseType::U16 => "U16",
            BaseType::I16 => "I16",
            BaseType::U32 => "U32",
            BaseType::I32 => "I32",
            BaseType::U64 => "U64",
            BaseType::I64 => "I64",
            BaseType::F32 => "F32",
            BaseType::F64 => "F64",
            BaseType::String => "String",
            BaseType::Bits => "Bits",
            BaseType::Ip => "IP",
            BaseType::Ipv6 => "IPV6",
            BaseType::Mac => "MAC",
            BaseType::Raw => "RAW",
        }
    }

    const ALL: [BaseType; 16] = [
        BaseType::U8,
        BaseType::I8,
        BaseType::U16,
        BaseType::I16,
        BaseType::U32,
        BaseType::I32,
        BaseType::U64,
        BaseType::I64,
        BaseType::F32,
        BaseType::F64,
        BaseType::String,
        BaseType::Bits,
        BaseType::Ip,
        BaseType::Ipv6,
        BaseType::Mac,
        BaseType::Raw,
    ];

    /// Parses a base token, case-insensitively.
    pub fn from_token(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.token().eq_ignore_ascii_case(s))
    }

    /// Fixed size in bytes; `None` for String/RAW (sized by Info2) and Bits.
    pub const fn fixed_size(self) -> Option<u16> {
        match self {
            BaseType::U8 | BaseType::I8 => Some(1),
            BaseType::U16 | BaseType::I16 => Some(2),
            BaseType::U32 | BaseType::I32 | BaseType::F32 | BaseType::Ip => Some(4),
            BaseType::U64 | BaseType::I64 | BaseType::F64 => Some(8),
            BaseType::Ipv6 => Some(16),
            BaseType::Mac => Some(6),
            BaseType::String | BaseType::Raw | BaseType::Bits => None,
        }
    }

    /// Which swaps the FR manual's table allows on this type.
    pub const fn allows(self, swap: Swap) -> bool {
        match swap {
            Swap::None => true,
            Swap::B => matches!(
                self,
                BaseType::U16
                    | BaseType::I16
                    | BaseType::U32
                    | BaseType::I32
                    | BaseType::F32
                    | BaseType::U64
                    | BaseType::I64
                    | BaseType::F64
            ),
            Swap::W | Swap::Wb => matches!(
                self,
                BaseType::U32
                    | BaseType::I32
                    | BaseType::F32
                    | BaseType::U64
                    | BaseType::I64
                    | BaseType::F64
            ),
        }
    }
}

/// A byte/word swap suffix of `Info3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Swap {
    /// Big-endian, registers in order.
    #[default]
    None,
    /// `_B`: bytes swapped inside each register (`0xAABBCCDD → 0xBBAADDCC`).
    B,
    /// `_W`: register order reversed (`0xAABBCCDD → 0xCCDDAABB`; on 64 bits
    /// all four registers reversed).
    W,
    /// `_WB`: both, i.e. all bytes reversed (`0xAABBCCDD → 0xDDCCBBAA`).
    Wb,
}

impl Swap {
    /// The suffix as written, without `_`.
    pub const fn suffix(self) -> &'static str {
        match self {
            Swap::None => "",
            Swap::B => "B",
            Swap::W => "W",
            Swap::Wb => "WB",
        }
    }

    /// Applies the swap in place to a value's wire bytes (it is its own
    /// inverse, so the same call encodes).
    pub fn apply(self, bytes: &mut [u8]) {
        if matches!(self, Swap::B | Swap::Wb) {
            for w in bytes.chunks_exact_mut(2) {
                w.swap(0, 1);
            }
        }
        if matches!(self, Swap::W | Swap::Wb) {
            let n = bytes.len() / 2;
            for i in 0..n / 2 {
                let j = n - 1 - i;
                for k in 0..2 {
                    bytes.swap(2 * i + k, 2 * j + k);
                }
            }
        }
    }
}

/// A full `Info3` type: base and swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DataType {
    /// The base type.
    pub base: BaseType,
    /// The swap suffix.
    pub swap: Swap,
}

impl DataType {
    /// Parses `Info3` (`U32_WB`, `F32`, `String`…), case-insensitively,
    /// rejecting swaps the type does not allow.
    pub fn parse(s: &str) -> Result<Self, CodecError> {
        let s = s.trim();
        let (base, swap) = match s.rsplit_once('_') {
            Some((b, sfx)) => {
                let swap = if sfx.eq_ignore_ascii_case("B") {
                    Swap::B
                } else if sfx.eq_ignore_ascii_case("W") {
                    Swap::W
                } else if sfx.eq_ignore_ascii_case("WB") {
                    Swap::Wb
                } else {
                    return Err(CodecError::UnknownType);
                };
                (b, swap)
            }
            None => (s, Swap::None),
        };
        let base = BaseType::from_token(base).ok_or(CodecError::UnknownType)?;
        if !base.allows(swap) {
            return Err(CodecError::SwapNotAllowed);
        }
        Ok(DataType { base, swap })
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base.token())?;
        if self.swap != Swap::None {
            write!(f, "_{}", self.swap.suffix())?;
        }
        Ok(())
    }
}

/// `Info2`: where a variable lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Location {
    /// `AAAAA`: the type's fixed size from this register.
    Register(u16),
    /// `AAAAA_S`: String/RAW of `size` bytes.
    Sized {
        /// First register.
        register: u16,
        /// Size in bytes.
        size: u16,
    },
    /// `AAAAA_O`: U8/I8, byte `offset` (0 = first/high byte) of the register.
    Byte {
        /// The register.
        register: u16,
        /// 0 or 1.
        offset: u8,
    },
    /// `AAAAA_B[_N]`: Bits, `count` bits from bit `first` (1 = LSB).
    Bits {
        /// The register.
        register: u16,
        /// 1-based first bit.
        first: u8,
        /// Number of bits (1 when omitted).
        count: u8,
    },
}

impl Location {
    /// The first register.
    pub const fn register(self) -> u16 {
        match self {
            Location::Register(r)
            | Location::Sized { register: r, .. }
            | Location::Byte { register: r, .. }
            | Location::Bits { register: r, .. } => r,
        }
    }
}

fn reg(s: &str) -> Result<u16, CodecError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodecError::BadAddress(AddressProblem::NotARegister));
    }
    s.parse()
        .map_err(|_| CodecError::BadAddress(AddressProblem::NotARegister))
}

fn small(s: &str, p: AddressProblem) -> Result<u16, CodecError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodecError::BadAddress(p));
    }
    s.parse().map_err(|_| CodecError::BadAddress(p))
}

/// A Modbus variable: `Info1`, `Info2` and `Info3` understood together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VarSpec {
    /// `Info1`.
    pub kind: RegisterKind,
    /// `Info2`.
    pub location: Location,
    /// `Info3`.
    pub ty: DataType,
}

impl VarSpec {
    /// Parses `Info1`, `Info2`, `Info3` of a Modbus definition row and checks
    /// that they agree.
    pub fn parse(info1: &str, info2: &str, info3: &str) -> Result<Self, CodecError> {
        let kind = RegisterKind::from_info1(info1)?;
        let ty = DataType::parse(info3)?;
        let location = Self::parse_location(info2.trim(), ty.base)?;
        let spec = VarSpec { kind, location, ty };
        let end = u32::from(location.register()) + u32::from(spec.register_count());
        if end > 0x1_0000 {
            return Err(CodecError::BadAddress(AddressProblem::BadSize));
        }
        Ok(spec)
    }

    fn parse_location(s: &str, base: BaseType) -> Result<Location, CodecError> {
        let mut parts = s.split('_');
        let register = reg(parts.next().unwrap_or(""))?;
        let a = parts.next();
        let b = parts.next();
        if parts.next().is_some() {
            return Err(CodecError::BadAddress(match base {
                BaseType::Bits => AddressProblem::BadBits,
                _ => AddressProblem::UnexpectedSuffix,
            }));
        }
        match base {
            BaseType::String | BaseType::Raw => {
                let (Some(size), None) = (a, b) else {
                    return Err(CodecError::BadAddress(AddressProblem::MissingSize));
                };
                let size = small(size, AddressProblem::BadSize)?;
                if size == 0 {
                    return Err(CodecError::BadAddress(AddressProblem::BadSize));
                }
                Ok(Location::Sized { register, size })
            }
            BaseType::U8 | BaseType::I8 => match (a, b) {
                (None, None) => Ok(Location::Byte {
                    register,
                    offset: 0,
                }),
                (Some(o), None) => {
                    let o = small(o, AddressProblem::BadByteOffset)?;
                    if o > 1 {
                        return Err(CodecError::BadAddress(AddressProblem::BadByteOffset));
                    }
                    Ok(Location::Byte {
                        register,
                        offset: if o == 1 { 1 } else { 0 },
                    })
                }
                _ => Err(CodecError::BadAddress(AddressProblem::BadByteOffset)),
            },
            BaseType::Bits => {
                let first = small(a.unwrap_or("1"), AddressProblem::BadBits)?;
                let count = match b {
                    Some(n) => small(n, AddressProblem::BadBits)?,
                    None => 1,
                };
                if !(1..=16).contains(&first) || count == 0 || first + count - 1 > 16 {
                    return Err(CodecError::BadAddress(AddressProblem::BadBits));
                }
                Ok(Location::Bits {
                    register,
                    first: u8::try_from(first).unwrap_or(1),
                    count: u8::try_from(count).unwrap_or(1),
                })
            }
            _ => match a {
                None => Ok(Location::Register(register)),
                Some(_) => Err(CodecError::BadAddress(AddressProblem::UnexpectedSuffix)),
            },
        }
    }

    /// The value's size in bytes (Bits: 2, the register holding them).
    pub const fn byte_size(&self) -> u16 {
        match self.location {
            Location::Sized { size, .. } => size,
            Location::Bits { .. } => 2,
            _ => match self.ty.base.fixed_size() {
                Some(n) => n,
                None => 2,
            },
        }
    }

    /// How many registers (or bits, for coils and discrete inputs) a read of
    /// this variable covers.
    pub const fn register_count(&self) -> u16 {
        if self.kind.is_bit() {
            return 1;
        }
        self.byte_size().div_ceil(2)
    }

    /// How many bytes of wire data [`decode`](Self::decode) needs.
    pub const fn wire_len(&self) -> usize {
        if self.kind.is_bit() {
            1
        } else {
            self.register_count() as usize * 2
        }
    }

    /// The read function code.
    pub const fn read_function(&self) -> u8 {
        self.kind.read_function()
    }

    /// The write function code, or [`CodecError::ReadOnly`].
    pub fn write_function(&self, forced: bool) -> Result<u8, CodecError> {
        self.kind
            .write_function(self.register_count(), forced)
            .ok_or(CodecError::ReadOnly)
    }

    /// The span this variable occupies, for [`plan`].
    pub const fn span(&self) -> Span {
        Span {
            kind: self.kind,
            start: self.location.register(),
            count: self.register_count(),
        }
    }

    /// Decodes a variable from its wire bytes: `register_count()` registers,
    /// big-endian each (coils and discrete inputs: one byte, bit 0).
    pub fn decode<'a>(&self, data: &'a [u8]) -> Result<Value<'a>, CodecError> {
        let needed = self.wire_len();
        let data = data.get(..needed).ok_or(CodecError::ShortData {
            needed,
            got: data.len(),
        })?;
        if self.kind.is_bit() {
            return Ok(Value::Bool(data.first().is_some_and(|b| b & 1 == 1)));
        }
        let sw = self.ty.swap;
        Ok(match (self.ty.base, self.location) {
            (BaseType::U8 | BaseType::I8, Location::Byte { offset, .. }) => {
                let b = data.get(usize::from(offset)).copied().unwrap_or(0);
                if self.ty.base == BaseType::U8 {
                    Value::Unsigned(u64::from(b))
                } else {
                    Value::Signed(i64::from(b as i8))
                }
            }
            (BaseType::String, Location::Sized { size, .. }) => {
                Value::Text(data.get(..usize::from(size)).unwrap_or(data))
            }
            (BaseType::Raw, Location::Sized { size, .. }) => {
                Value::Raw(data.get(..usize::from(size)).unwrap_or(data))
            }
            (BaseType::Bits, Location::Bits { first, count, .. }) => {
                let w = u16::from_be_bytes([
                    data.first().copied().unwrap_or(0),
                    data.get(1).copied().unwrap_or(0),
                ]);
                let mask = if count >= 16 {
                    u16::MAX
                } else {
                    (1u16 << count) - 1
                };
                Value::Unsigned(u64::from((w >> (first - 1)) & mask))
            }
            (BaseType::U16, _) => {
                Value::Unsigned(u64::from(u16::from_be_bytes(swapped::<2>(data, sw))))
            }
            (BaseType::I16, _) => {
                Value::Signed(i64::from(i16::from_be_bytes(swapped::<2>(data, sw))))
            }
            (BaseType::U32, _) => {
                Value::Unsigned(u64::from(u32::from_be_bytes(swapped::<4>(data, sw))))
            }
            (BaseType::I32, _) => {
                Value::Signed(i64::from(i32::from_be_bytes(swapped::<4>(data, sw))))
            }
            (BaseType::U64, _) => Value::Unsigned(u64::from_be_bytes(swapped::<8>(data, sw))),
            (BaseType::I64, _) => Value::Signed(i64::from_be_bytes(swapped::<8>(data, sw))),
            (BaseType::F32, _) => {
                Value::Float(f64::from(f32::from_be_bytes(swapped::<4>(data, sw))))
            }
            (BaseType::F64, _) => Value::Float(f64::from_be_bytes(swapped::<8>(data, sw))),
            (BaseType::Ip, _) => Value::Ipv4(swapped::<4>(data, sw)),
            (BaseType::Ipv6, _) => Value::Ipv6(swapped::<16>(data, sw)),
            (BaseType::Mac, _) => Value::Mac(swapped::<6>(data, sw)),
            _ => return Err(CodecError::BadAddress(AddressProblem::UnexpectedSuffix)),
        })
    }

    /// Encodes a value for a write into `out`, which must hold
    /// [`wire_len`](Self::wire_len) bytes; returns the bytes written.
    ///
    /// `U8`/`I8` and `Bits` change only their own byte or bits: pass the
    /// register's current content in `out` (read-modify-write). Text and raw
    /// values shorter than the size are padded with NUL bytes.
    pub fn encode(&self, value: &Value<'_>, out: &mut [u8]) -> Result<usize, CodecError> {
        let needed = self.wire_len();
        let got = out.len();
        let out = out
            .get_mut(..needed)
            .ok_or(CodecError::ShortData { needed, got })?;
        if self.kind.is_bit() {
            let bit = match *value {
                Value::Bool(b) => b,
                Value::Unsigned(u) if u <= 1 => u == 1,
                _ => return Err(CodecError::WrongValueKind),
            };
            if let Some(b) = out.first_mut() {
                *b = u8::from(bit);
            }
            return Ok(needed);
        }
        let sw = self.ty.swap;
        let int = |v: &Value<'_>| -> Result<i128, CodecError> {
            match *v {
                Value::Unsigned(u) => Ok(i128::from(u)),
                Value::Signed(s) => Ok(i128::from(s)),
                Value::Bool(b) => Ok(i128::from(b)),
                _ => Err(CodecError::WrongValueKind),
            }
        };
        let range = |v: i128, lo: i128, hi: i128| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(CodecError::ValueOutOfRange)
            }
        };
        match (self.ty.base, self.location) {
            (BaseType::U8 | BaseType::I8, Location::Byte { offset, .. }) => {
                let v = int(value)?;
                let b = if self.ty.base == BaseType::U8 {
                    range(v, 0, 255)? as u8
                } else {
                    range(v, -128, 127)? as i8 as u8
                };
                if let Some(dst) = out.get_mut(usize::from(offset)) {
                    *dst = b;
                }
            }
            (BaseType::Bits, Location::Bits { first, count, .. }) => {
                let v = range(int(value)?, 0, (1i128 << count) - 1)? as u16;
                let w = u16::from_be_bytes([
                    out.first().copied().unwrap_or(0),
                    out.get(1).copied().unwrap_or(0),
                ]);
                let mask = if count >= 16 {
                    u16::MAX
                } else {
                    (1u16 << count) - 1
                };
                let w = (w & !(mask << (first - 1))) | (v << (first - 1));
                put(out, sw, &w.to_be_bytes());
            }
            (BaseType::String | BaseType::Raw, Location::Sized { .. }) => {
                let src = match *value {
                    Value::Text(t) | Value::Raw(t) => t,
                    _ => return Err(CodecError::WrongValueKind),
                };
                if src.len() > usize::from(self.byte_size()) {
                    return Err(CodecError::ValueOutOfRange);
                }
                out.fill(0);
                if let Some(dst) = out.get_mut(..src.len()) {
                    dst.copy_from_slice(src);
                }
            }
            (BaseType::U16, _) => put(
                out,
                sw,
                &(range(int(value)?, 0, u16::MAX.into())? as u16).to_be_bytes(),
            ),
            (BaseType::I16, _) => put(
                out,
                sw,
                &(range(int(value)?, i16::MIN.into(), i16::MAX.into())? as i16).to_be_bytes(),
            ),
            (BaseType::U32, _) => put(
                out,
                sw,
                &(range(int(value)?, 0, u32::MAX.into())? as u32).to_be_bytes(),
            ),
            (BaseType::I32, _) => put(
                out,
                sw,
                &(range(int(value)?, i32::MIN.into(), i32::MAX.into())? as i32).to_be_bytes(),
            ),
            (BaseType::U64, _) => put(
                out,
                sw,
                &(range(int(value)?, 0, u64::MAX.into())? as u64).to_be_bytes(),
            ),
            (BaseType::I64, _) => put(
                out,
                sw,
                &(range(int(value)?, i64::MIN.into(), i64::MAX.into())? as i64).to_be_bytes(),
            ),
            (BaseType::F32 | BaseType::F64, _) => {
                let f = match *value {
                    Value::Float(f) => f,
                    Value::Unsigned(u) => u as f64,
                    Value::Signed(s) => s as f64,
                    _ => return Err(CodecError::WrongValueKind),
                };
                if self.ty.base == BaseType::F32 {
                    if f.is_finite() && f.abs() > f64::from(f32::MAX) {
                        return Err(CodecError::ValueOutOfRange);
                    }
                    put(out, sw, &(f as f32).to_be_bytes());
                } else {
                    put(out, sw, &f.to_be_bytes());
                }
            }
            (BaseType::Ip, _) => match value {
                Value::Ipv4(a) => put(out, sw, a),
                _ => return Err(CodecError::WrongValueKind),
            },
            (BaseType::Ipv6, _) => match value {
                Value::Ipv6(a) => put(out, sw, a),
                _ => return Err(CodecError::WrongValueKind),
            },
            (BaseType::Mac, _) => match value {
                Value::Mac(a) => put(out, sw, a),
                _ => return Err(CodecError::WrongValueKind),
            },
            _ => return Err(CodecError::BadAddress(AddressProblem::UnexpectedSuffix)),
        }
        Ok(needed)
    }
}

impl VarSpec {
    /// Builds the Modbus write request PDU (function code and data, without
    /// unit id or CRC/MBAP) that sets this variable to `value`, into `out`;
    /// returns its length.
    ///
    /// * coil: FC 0x05, `addr`, `0xFF00` (on) or `0x0000` (off);
    /// * one holding register: FC 0x06, `addr`, value — unless `forced`
    ///   (definition header forced write code 1);
    /// * otherwise FC 0x10, `addr`, register count, byte count, data.
    ///
    /// `current` is the register content for read-modify-write types
    /// (`U8`/`I8`, `Bits`); pass zeros when unknown.
    pub fn write_pdu(
        &self,
        value: &Value<'_>,
        forced: bool,
        current: &[u8],
        out: &mut [u8],
    ) -> Result<usize, CodecError> {
        let fc = self.write_function(forced)?;
        // FC 0x10 carries at most 123 registers (246 data bytes).
        if self.register_count() > 123 {
            return Err(CodecError::ValueOutOfRange);
        }
        let addr = self.location.register().to_be_bytes();
        let n = self.wire_len();
        let mut data = [0u8; 256];
        let data = data.get_mut(..n).ok_or(CodecError::ValueOutOfRange)?;
        if let Some(c) = current.get(..n) {
            data.copy_from_slice(c);
        }
        self.encode(value, data)?;
        let header_len = match fc {
            0x05 | 0x06 => 3,
            _ => 6,
        };
        let total = match fc {
            0x05 => 5,
            0x06 => 3 + 2,
            _ => header_len + n,
        };
        let got = out.len();
        let out = out
            .get_mut(..total)
            .ok_or(CodecError::ShortData { needed: total, got })?;
        let regs = self.register_count();
        let mut w = Writer { out, pos: 0 };
        w.put(&[fc]);
        w.put(&addr);
        match fc {
            0x05 => w.put(if data.first().is_some_and(|b| b & 1 == 1) {
                &[0xFF, 0x00]
            } else {
                &[0x00, 0x00]
            }),
            0x06 => w.put(data),
            _ => {
                w.put(&regs.to_be_bytes());
                w.put(&[u8::try_from(n).unwrap_or(u8::MAX)]);
                w.put(data);
            }
        }
        Ok(total)
    }
}

struct Writer<'a> {
    out: &'a mut [u8],
    pos: usize,
}

impl Writer<'_> {
    fn put(&mut self, b: &[u8]) {
        if let Some(dst) = self.out.get_mut(self.pos..self.pos + b.len()) {
            dst.copy_from_slice(b);
        }
        self.pos += b.len();
    }
}

impl ReadRequest {
    /// The read request PDU: function code, start address, quantity.
    pub fn pdu(&self) -> [u8; 5] {
        let [a, b] = self.span.start.to_be_bytes();
        let [c, d] = self.span.count.to_be_bytes();
        [self.function, a, b, c, d]
    }
}

fn put(out: &mut [u8], swap: Swap, bytes: &[u8]) {
    if let Some(dst) = out.get_mut(..bytes.len()) {
        dst.copy_from_slice(bytes);
        swap.apply(dst);
    }
}

fn swapped<const N: usize>(data: &[u8], swap: Swap) -> [u8; N] {
    let mut a = arr::<N>(data);
    swap.apply(&mut a);
    a
}

fn arr<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    if let Some(src) = s.get(..N) {
        a.copy_from_slice(src);
    }
    a
}

/// A decoded variable value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Value<'a> {
    /// A coil or discrete input.
    Bool(bool),
    /// U8…U64 and Bits.
    Unsigned(u64),
    /// I8…I64.
    Signed(i64),
    /// F32 (widened) and F64.
    Float(f64),
    /// String bytes as stored (NUL padding included; see [`Value::text`]).
    Text(&'a [u8]),
    /// RAW bytes.
    Raw(&'a [u8]),
    /// IP.
    Ipv4([u8; 4]),
    /// IPV6.
    Ipv6([u8; 16]),
    /// MAC.
    Mac([u8; 6]),
}

impl Value<'_> {
    /// The numeric value, for scaling; `None` for text, raw and addresses.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
            Value::Unsigned(u) => Some(u as f64),
            Value::Signed(s) => Some(s as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// A String value without its trailing NUL and space padding, if UTF-8.
    pub fn text(&self) -> Option<&str> {
        match *self {
            Value::Text(t) => {
                let end = t
                    .iter()
                    .rposition(|&b| b != 0 && b != b' ')
                    .map_or(0, |i| i + 1);
                core::str::from_utf8(t.get(..end).unwrap_or(t)).ok()
            }
            _ => None,
        }
    }
}

/// Applies a SunSpec scale factor: `value × 10^sf`. `None` when `sf` is the
/// SunSpec "not implemented" marker `0x8000` or outside −10…10.
pub fn scale(value: f64, sf: i16) -> Option<f64> {
    if !(-10..=10).contains(&sf) {
        return None;
    }
    let mut p = 1.0f64;
    for _ in 0..sf.unsigned_abs() {
        p *= 10.0;
    }
    Some(if sf < 0 { value / p } else { value * p })
}

/// A definition row's `CoefA`, `CoefB` and `Unit`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Coefficients<'a> {
    /// Multiplier (missing → 1).
    pub a: f64,
    /// Offset (missing → 0).
    pub b: f64,
    /// Unit, informational.
    pub unit: &'a str,
}

impl Default for Coefficients<'_> {
    fn default() -> Self {
        Coefficients {
            a: 1.0,
            b: 0.0,
            unit: "",
        }
    }
}

impl Coefficients<'_> {
    /// `a·x + b`.
    pub fn apply(&self, x: f64) -> f64 {
        self.a * x + self.b
    }

    /// The raw value to write so that the device shows `y`: `(y − b) / a`.
    /// `None` when `a` is 0.
    pub fn invert(&self, y: f64) -> Option<f64> {
        if self.a == 0.0 {
            None
        } else {
            Some((y - self.b) / self.a)
        }
    }
}

/// A contiguous run of registers (or bits) of one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    /// The table.
    pub kind: RegisterKind,
    /// First register.
    pub start: u16,
    /// Number of registers (bits for coils and discrete inputs).
    pub count: u16,
}

impl Span {
    fn end(&self) -> u32 {
        u32::from(self.start) + u32::from(self.count)
    }
}

/// One read request of a [`plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReadRequest {
    /// Function code (0x01–0x04).
    pub function: u8,
    /// The registers read.
    pub span: Span,
}

/// Iterator over the read requests of a plan; see [`plan`].
#[derive(Debug)]
pub struct Plan<'a> {
    spans: &'a [Span],
    pos: usize,
    /// A variable longer than one request, being read in pieces.
    carry: Option<Span>,
}

/// Plans the reads of a set of variables the way the gateway does: sorts
/// `spans` by table and address, then groups variables whose registers touch
/// or overlap into one request of at most [`MAX_REGISTERS`] registers
/// ([`MAX_BITS`] for coils and discrete inputs). A gap always starts a new
/// request, and a request never splits a variable unless that variable alone
/// is longer than the limit.
pub fn plan(spans: &mut [Span]) -> Plan<'_> {
    spans.sort_unstable();
    Plan {
        spans,
        pos: 0,
        carry: None,
    }
}

fn limit(kind: RegisterKind) -> u32 {
    u32::from(if kind.is_bit() {
        MAX_BITS
    } else {
        MAX_REGISTERS
    })
}

fn request(kind: RegisterKind, start: u32, end: u32) -> ReadRequest {
    ReadRequest {
        function: kind.read_function(),
        span: Span {
            kind,
            start: u16::try_from(start).unwrap_or(u16::MAX),
            count: u16::try_from(end - start).unwrap_or(u16::MAX),
        },
    }
}

impl Iterator for Plan<'_> {
    type Item = ReadRequest;

    fn next(&mut self) -> Option<ReadRequest> {
        let first = match self.carry.take() {
            Some(c) => c,
            None => loop {
                let s = *self.spans.get(self.pos)?;
                self.pos += 1;
                if s.count > 0 {
                    break s;
                }
            },
        };
        let max = limit(first.kind);
        let start = u32::from(first.start);
        if first.end() - start > max {
            let rest = Span {
                kind: first.kind,
                start: u16::try_from(start + max).unwrap_or(u16::MAX),
                count: u16::try_from(first.end() - start - max).unwrap_or(0),
            };
            self.carry = Some(rest);
            return Some(request(first.kind, start, start + max));
        }
        let mut end = first.end();
        while let Some(s) = self.spans.get(self.pos) {
            if s.kind != first.kind || u32::from(s.start) > end {
                break;
            }
            let new_end = end.max(s.end());
            if new_end - start > max {
                break;
            }
            end = new_end;
            self.pos += 1;
        }
        Some(request(first.kind, start, end))
    }
}
