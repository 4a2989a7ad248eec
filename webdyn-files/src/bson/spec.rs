//! The BSON 1.1 type tags and binary subtypes (<https://bsonspec.org/spec.html>).

/// The one-byte type tag that starts every BSON element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ElementType {
    /// `0x01`: 64-bit IEEE 754 binary floating point.
    Double = 0x01,
    /// `0x02`: UTF-8 string.
    String = 0x02,
    /// `0x03`: embedded document.
    Document = 0x03,
    /// `0x04`: array (a document whose keys are "0", "1", ...).
    Array = 0x04,
    /// `0x05`: binary data with a subtype.
    Binary = 0x05,
    /// `0x06`: undefined (deprecated).
    Undefined = 0x06,
    /// `0x07`: 12-byte ObjectId.
    ObjectId = 0x07,
    /// `0x08`: boolean.
    Boolean = 0x08,
    /// `0x09`: UTC datetime, milliseconds since the Unix epoch.
    DateTime = 0x09,
    /// `0x0A`: null.
    Null = 0x0A,
    /// `0x0B`: regular expression (pattern and options C strings).
    RegularExpression = 0x0B,
    /// `0x0C`: DBPointer (deprecated): namespace string and ObjectId.
    DbPointer = 0x0C,
    /// `0x0D`: JavaScript code.
    JavaScriptCode = 0x0D,
    /// `0x0E`: symbol (deprecated).
    Symbol = 0x0E,
    /// `0x0F`: JavaScript code with scope (deprecated).
    JavaScriptCodeWithScope = 0x0F,
    /// `0x10`: 32-bit signed integer.
    Int32 = 0x10,
    /// `0x11`: MongoDB internal timestamp (increment, seconds).
    Timestamp = 0x11,
    /// `0x12`: 64-bit signed integer.
    Int64 = 0x12,
    /// `0x13`: IEEE 754-2008 decimal128 (BID encoding).
    Decimal128 = 0x13,
    /// `0xFF`: min key.
    MinKey = 0xFF,
    /// `0x7F`: max key.
    MaxKey = 0x7F,
}

impl ElementType {
    /// The type of a tag byte, or `None` for a byte that is no BSON type
    /// (including the `0x00` document terminator).
    #[inline(always)]
    pub const fn from_u8(tag: u8) -> Option<Self> {
        Some(match tag {
            0x01 => Self::Double,
            0x02 => Self::String,
            0x03 => Self::Document,
            0x04 => Self::Array,
            0x05 => Self::Binary,
            0x06 => Self::Undefined,
            0x07 => Self::ObjectId,
            0x08 => Self::Boolean,
            0x09 => Self::DateTime,
            0x0A => Self::Null,
            0x0B => Self::RegularExpression,
            0x0C => Self::DbPointer,
            0x0D => Self::JavaScriptCode,
            0x0E => Self::Symbol,
            0x0F => Self::JavaScriptCodeWithScope,
            0x10 => Self::Int32,
            0x11 => Self::Timestamp,
            0x12 => Self::Int64,
            0x13 => Self::Decimal128,
            0xFF => Self::MinKey,
            0x7F => Self::MaxKey,
            _ => return None,
        })
    }

    /// A short human name, used in error messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Double => "double",
            Self::String => "string",
            Self::Document => "document",
            Self::Array => "array",
            Self::Binary => "binary",
            Self::Undefined => "undefined",
            Self::ObjectId => "ObjectId",
            Self::Boolean => "boolean",
            Self::DateTime => "datetime",
            Self::Null => "null",
            Self::RegularExpression => "regular expression",
            Self::DbPointer => "DBPointer",
            Self::JavaScriptCode => "JavaScript code",
            Self::Symbol => "symbol",
            Self::JavaScriptCodeWithScope => "JavaScript code with scope",
            Self::Int32 => "int32",
            Self::Timestamp => "timestamp",
            Self::Int64 => "int64",
            Self::Decimal128 => "decimal128",
            Self::MinKey => "min key",
            Self::MaxKey => "max key",
        }
    }
}

impl core::fmt::Display for ElementType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The binary subtypes defined by the BSON specification. Subtypes
/// `0x80..=0xFF` are user defined; every byte value is accepted on the wire.
pub mod subtype {
    /// Generic binary data.
    pub const GENERIC: u8 = 0x00;
    /// Function.
    pub const FUNCTION: u8 = 0x01;
    /// Old generic binary: the payload repeats its own length (deprecated).
    pub const BINARY_OLD: u8 = 0x02;
    /// Old UUID (deprecated, byte order driver specific).
    pub const UUID_OLD: u8 = 0x03;
    /// RFC 4122 UUID, 16 bytes.
    pub const UUID: u8 = 0x04;
    /// MD5 digest.
    pub const MD5: u8 = 0x05;
    /// Encrypted BSON value (client-side field level encryption).
    pub const ENCRYPTED: u8 = 0x06;
    /// Compressed BSON column.
    pub const COLUMN: u8 = 0x07;
    /// Sensitive data (to be redacted from logs).
    pub const SENSITIVE: u8 = 0x08;
    /// Dense vector (float32, int8 or packed bits).
    pub const VECTOR: u8 = 0x09;
    /// First user-defined subtype.
    pub const USER_DEFINED: u8 = 0x80;
}
