//! The borrowed, validating reader: [`RawDocument`] views over BSON bytes.
//!
//! Opening a document ([`RawDocument::new`]) checks only its framing (length
//! prefix and terminator); each element is checked as the iterator reaches it
//! (lazy), and [`RawDocument::validate`] checks everything in one pass,
//! recursing into embedded documents, arrays and code-with-scope scopes under
//! the depth limit of [`Limits`]. Nothing is copied or allocated: strings,
//! keys and binaries borrow from the input.

use core::fmt;

use super::decimal128::Decimal128;
use super::error::{Error, ErrorKind};
use super::spec::{ElementType, subtype};

/// Limits applied while reading untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of documents, arrays and scopes accepted by
    /// [`RawDocument::validate_with`] (the top-level document is depth 1).
    pub max_depth: usize,
    /// Largest top-level document accepted, in bytes.
    pub max_size: usize,
}

impl Limits {
    /// MongoDB's limits: 100 levels of nesting, 16 MiB documents.
    pub const DEFAULT: Limits = Limits {
        max_depth: 100,
        max_size: 16 * 1024 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A 12-byte MongoDB ObjectId.
// Aligned so that values holding it keep their fields aligned: byte-aligned
// arrays made enums pack fields at odd offsets (slow unaligned moves).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(align(4))]
pub struct ObjectId(pub [u8; 12]);

impl ObjectId {
    /// The 12 bytes.
    pub const fn bytes(&self) -> [u8; 12] {
        self.0
    }

    /// Parses 24 hex digits (either case).
    pub fn parse_hex(s: &str) -> Option<Self> {
        let digits = s.as_bytes();
        if digits.len() != 24 {
            return None;
        }
        let mut out = [0u8; 12];
        for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let [h, l] = pair else { return None };
            *o = (hex_val(*h)? << 4) | hex_val(*l)?;
        }
        Some(Self(out))
    }
}

pub(crate) fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for ObjectId {
    /// 24 lower-case hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// A BSON UTC datetime: signed milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DateTime(pub i64);

impl DateTime {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn millis(self) -> i64 {
        self.0
    }
}

/// A MongoDB internal timestamp. On the wire the increment comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub time: u32,
    /// Ordinal within the second.
    pub increment: u32,
}

/// A binary value borrowed from the input.
///
/// For the deprecated subtype `0x02` the inner length prefix is checked and
/// stripped: `bytes` is the payload only, as Extended JSON shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawBinary<'a> {
    /// The subtype byte (see [`spec::subtype`](super::spec::subtype)).
    pub subtype: u8,
    /// The payload.
    pub bytes: &'a [u8],
}

/// A regular expression borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawRegex<'a> {
    /// The pattern.
    pub pattern: &'a str,
    /// The option letters, as stored (canonical form sorts them).
    pub options: &'a str,
}

/// A DBPointer (deprecated) borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawDbPointer<'a> {
    /// The namespace (`db.collection`).
    pub namespace: &'a str,
    /// The referenced id.
    pub id: ObjectId,
}

/// JavaScript code with a scope document (deprecated), borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawCodeWithScope<'a> {
    /// The code.
    pub code: &'a str,
    /// The scope document.
    pub scope: RawDocument<'a>,
}

/// Text borrowed from a document: a key, or the contents of a string,
/// JavaScript code or symbol value.
///
/// The reader has already checked it is UTF-8 (ASCII a word at a time, other
/// text in full), but hands it out as bytes: safe Rust can only turn bytes
/// into a `&str` through one more validation call, so [`RawStr::as_str`]
/// makes that call only when asked. Comparing with a `&str`, the length and
/// the bytes need none, which is what walking a document mostly does.
///
/// ```
/// use webdyn_files::bson::{RawDocument, RawStr};
/// let bytes = b"\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00";
/// let doc = RawDocument::new(bytes)?;
/// let (key, value) = doc.iter().next().unwrap()?;
/// assert_eq!(key, "hello");
/// assert_eq!(key.as_str().len(), 5);
/// assert_eq!(value.as_raw_str(), Some(RawStr::from("world")));
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct RawStr<'a> {
    bytes: &'a [u8],
}

impl<'a> RawStr<'a> {
    /// Bytes the reader has checked as UTF-8.
    #[inline(always)]
    pub(crate) const fn checked(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }
    /// The text as `&str` (one UTF-8 validation call, or a table look-up
    /// for one-byte text and array indexes).
    #[inline]
    pub fn as_str(&self) -> &'a str {
        text(self.bytes)
    }
    /// The UTF-8 bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.bytes.len()
    }
    /// True for empty text.
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    /// Equality with `other` ignoring ASCII case (no `&str` made).
    pub fn eq_ignore_ascii_case(&self, other: &str) -> bool {
        self.bytes.eq_ignore_ascii_case(other.as_bytes())
    }
}

impl<'a> From<&'a str> for RawStr<'a> {
    fn from(s: &'a str) -> Self {
        Self {
            bytes: s.as_bytes(),
        }
    }
}

impl<'a> From<RawStr<'a>> for &'a str {
    fn from(s: RawStr<'a>) -> &'a str {
        s.as_str()
    }
}

impl AsRef<[u8]> for RawStr<'_> {
    fn as_ref(&self) -> &[u8] {
        self.bytes
    }
}

impl PartialEq<str> for RawStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.bytes == other.as_bytes()
    }
}

impl PartialEq<&str> for RawStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.bytes == other.as_bytes()
    }
}

impl PartialEq<RawStr<'_>> for str {
    fn eq(&self, other: &RawStr<'_>) -> bool {
        self.as_bytes() == other.bytes
    }
}

impl PartialEq<RawStr<'_>> for &str {
    fn eq(&self, other: &RawStr<'_>) -> bool {
        self.as_bytes() == other.bytes
    }
}

impl fmt::Debug for RawStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RawStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RawStr<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Checked UTF-8 bytes as `&str`: one-byte text and array indexes from the
/// static tables, short text through the byte loop, the rest through the
/// general validation (which cannot fail on checked bytes).
#[inline]
fn text(raw: &[u8]) -> &str {
    if let [c] = raw
        && let Some(s) = ONE_BYTE.get(usize::from(*c)).copied().flatten()
    {
        return s;
    }
    if let Some(s) = index_key(raw) {
        return s;
    }
    if let Some(s) = short_str(raw) {
        return s;
    }
    core::str::from_utf8(raw).unwrap_or_default()
}

/// One BSON value borrowed from the input: every type of BSON 1.1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawBson<'a> {
    /// `0x01` double.
    Double(f64),
    /// `0x02` UTF-8 string (may contain `\0`).
    String(RawStr<'a>),
    /// `0x03` embedded document.
    Document(RawDocument<'a>),
    /// `0x04` array.
    Array(RawArray<'a>),
    /// `0x05` binary.
    Binary(RawBinary<'a>),
    /// `0x06` undefined (deprecated).
    Undefined,
    /// `0x07` ObjectId.
    ObjectId(ObjectId),
    /// `0x08` boolean.
    Boolean(bool),
    /// `0x09` UTC datetime.
    DateTime(DateTime),
    /// `0x0A` null.
    Null,
    /// `0x0B` regular expression.
    RegularExpression(RawRegex<'a>),
    /// `0x0C` DBPointer (deprecated).
    DbPointer(RawDbPointer<'a>),
    /// `0x0D` JavaScript code.
    JavaScriptCode(RawStr<'a>),
    /// `0x0E` symbol (deprecated).
    Symbol(RawStr<'a>),
    /// `0x0F` JavaScript code with scope (deprecated).
    JavaScriptCodeWithScope(RawCodeWithScope<'a>),
    /// `0x10` int32.
    Int32(i32),
    /// `0x11` timestamp.
    Timestamp(Timestamp),
    /// `0x12` int64.
    Int64(i64),
    /// `0x13` decimal128.
    Decimal128(Decimal128),
    /// `0xFF` min key.
    MinKey,
    /// `0x7F` max key.
    MaxKey,
}

impl<'a> RawBson<'a> {
    /// The element type of this value.
    pub const fn element_type(&self) -> ElementType {
        match self {
            Self::Double(_) => ElementType::Double,
            Self::String(_) => ElementType::String,
            Self::Document(_) => ElementType::Document,
            Self::Array(_) => ElementType::Array,
            Self::Binary(_) => ElementType::Binary,
            Self::Undefined => ElementType::Undefined,
            Self::ObjectId(_) => ElementType::ObjectId,
            Self::Boolean(_) => ElementType::Boolean,
            Self::DateTime(_) => ElementType::DateTime,
            Self::Null => ElementType::Null,
            Self::RegularExpression(_) => ElementType::RegularExpression,
            Self::DbPointer(_) => ElementType::DbPointer,
            Self::JavaScriptCode(_) => ElementType::JavaScriptCode,
            Self::Symbol(_) => ElementType::Symbol,
            Self::JavaScriptCodeWithScope(_) => ElementType::JavaScriptCodeWithScope,
            Self::Int32(_) => ElementType::Int32,
            Self::Timestamp(_) => ElementType::Timestamp,
            Self::Int64(_) => ElementType::Int64,
            Self::Decimal128(_) => ElementType::Decimal128,
            Self::MinKey => ElementType::MinKey,
            Self::MaxKey => ElementType::MaxKey,
        }
    }

    /// The double, if this is one.
    pub const fn as_f64(&self) -> Option<f64> {
        if let Self::Double(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&'a str> {
        if let Self::String(v) = self {
            Some(v.as_str())
        } else {
            None
        }
    }
    /// The string, if this is one, as checked bytes (no `&str` made).
    pub const fn as_raw_str(&self) -> Option<RawStr<'a>> {
        if let Self::String(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The embedded document, if this is one.
    pub const fn as_document(&self) -> Option<RawDocument<'a>> {
        if let Self::Document(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The array, if this is one.
    pub const fn as_array(&self) -> Option<RawArray<'a>> {
        if let Self::Array(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The binary, if this is one.
    pub const fn as_binary(&self) -> Option<RawBinary<'a>> {
        if let Self::Binary(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The boolean, if this is one.
    pub const fn as_bool(&self) -> Option<bool> {
        if let Self::Boolean(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The int32, if this is one.
    pub const fn as_i32(&self) -> Option<i32> {
        if let Self::Int32(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The int64, if this is one.
    pub const fn as_i64(&self) -> Option<i64> {
        if let Self::Int64(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The ObjectId, if this is one.
    pub const fn as_object_id(&self) -> Option<ObjectId> {
        if let Self::ObjectId(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The datetime, if this is one.
    pub const fn as_datetime(&self) -> Option<DateTime> {
        if let Self::DateTime(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The timestamp, if this is one.
    pub const fn as_timestamp(&self) -> Option<Timestamp> {
        if let Self::Timestamp(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The decimal128, if this is one.
    pub const fn as_decimal128(&self) -> Option<Decimal128> {
        if let Self::Decimal128(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// True for null.
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

/// A borrowed BSON document: a length-prefixed, `0x00`-terminated byte
/// slice whose framing has been checked.
///
/// ```
/// use webdyn_files::bson::{RawDocument, RawBson};
/// // {"hello": "world"} from bsonspec.org
/// let bytes = b"\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00";
/// let doc = RawDocument::new(bytes)?;
/// doc.validate()?;
/// assert_eq!(doc.get("hello")?, Some(RawBson::String("world".into())));
/// assert_eq!(doc.get_str("hello")?, Some("world"));
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RawDocument<'a> {
    bytes: &'a [u8],
    /// Offset of `bytes` within the top-level input, for error messages.
    base: usize,
}

impl fmt::Debug for RawDocument<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for item in self.iter() {
            match item {
                Ok((k, v)) => m.entry(&k, &v),
                Err(e) => m.entry(&"<error>", &e),
            };
        }
        m.finish()
    }
}

#[inline(always)]
fn read_i32(bytes: &[u8], pos: usize) -> Option<i32> {
    // `get(pos..)` then `first_chunk`: one length test once the caller
    // has shown `pos` in bounds (no overflow test on `pos + 4`).
    let b = bytes.get(pos..)?.first_chunk::<4>()?;
    Some(i32::from_le_bytes(*b))
}

/// Checks the framing of a document occupying all of `bytes`.
fn frame(bytes: &[u8], base: usize) -> Result<(), Error> {
    let Some(len) = read_i32(bytes, 0) else {
        return Err(Error::new(ErrorKind::Truncated, base));
    };
    if len < 5 {
        return Err(Error::new(ErrorKind::DocumentLength(len.into()), base));
    }
    let len = len as usize;
    match bytes.len() {
        n if n < len => Err(Error::new(ErrorKind::Truncated, base + n)),
        n if n > len => Err(Error::new(ErrorKind::TrailingBytes(n - len), base + len)),
        _ => match bytes.last() {
            Some(0) => Ok(()),
            _ => Err(Error::new(ErrorKind::MissingTerminator, base + len - 1)),
        },
    }
}

impl<'a> RawDocument<'a> {
    /// Opens a document that occupies exactly `bytes`, checking its framing
    /// (length prefix, terminator) and the default size limit
    /// ([`Limits::DEFAULT`]). Elements are checked lazily as they are read;
    /// call [`validate`](Self::validate) to check everything at once.
    pub fn new(bytes: &'a [u8]) -> Result<Self, Error> {
        Self::new_with_limits(bytes, &Limits::DEFAULT)
    }

    /// [`new`](Self::new) with explicit limits.
    pub fn new_with_limits(bytes: &'a [u8], limits: &Limits) -> Result<Self, Error> {
        if bytes.len() > limits.max_size {
            return Err(Error::new(
                ErrorKind::TooLarge {
                    size: bytes.len(),
                    limit: limits.max_size,
                },
                0,
            ));
        }
        frame(bytes, 0)?;
        Ok(Self { bytes, base: 0 })
    }

    /// Opens and fully validates a document in one call.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let doc = Self::new(bytes)?;
        doc.validate()?;
        Ok(doc)
    }

    pub(crate) fn nested(bytes: &'a [u8], base: usize) -> Result<Self, Error> {
        frame(bytes, base)?;
        Ok(Self { bytes, base })
    }

    /// The empty document `{}`.
    pub const EMPTY: RawDocument<'static> = RawDocument {
        bytes: &[5, 0, 0, 0, 0],
        base: 0,
    };

    /// The document's bytes, length prefix and terminator included.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The document's offset within the top-level input.
    pub const fn offset(&self) -> usize {
        self.base
    }

    /// True for `{}`.
    pub const fn is_empty(&self) -> bool {
        self.bytes.len() == 5
    }

    /// Iterates over the elements in order. An element that fails to parse
    /// yields one `Err` and ends the iteration.
    pub fn iter(&self) -> Iter<'a> {
        Iter {
            bytes: self.bytes,
            pos: 4,
            base: self.base,
        }
    }

    /// The first element named `key` (elements before it are checked).
    pub fn get(&self, key: &str) -> Result<Option<RawBson<'a>>, Error> {
        for item in self.iter() {
            let (k, v) = item?;
            if k == key {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    fn typed<T>(
        &self,
        key: &str,
        expected: ElementType,
        pick: impl FnOnce(RawBson<'a>) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        let Some(v) = self.get(key)? else {
            return Ok(None);
        };
        let found = v.element_type();
        pick(v).map(Some).ok_or(Error::new(
            ErrorKind::WrongType { expected, found },
            self.base,
        ))
    }

    /// The string `key`; an error if it has another type.
    pub fn get_str(&self, key: &str) -> Result<Option<&'a str>, Error> {
        self.typed(key, ElementType::String, |v| v.as_str())
    }
    /// The int32 `key`; an error if it has another type.
    pub fn get_i32(&self, key: &str) -> Result<Option<i32>, Error> {
        self.typed(key, ElementType::Int32, |v| v.as_i32())
    }
    /// The int64 `key`; an error if it has another type.
    pub fn get_i64(&self, key: &str) -> Result<Option<i64>, Error> {
        self.typed(key, ElementType::Int64, |v| v.as_i64())
    }
    /// The double `key`; an error if it has another type.
    pub fn get_f64(&self, key: &str) -> Result<Option<f64>, Error> {
        self.typed(key, ElementType::Double, |v| v.as_f64())
    }
    /// The boolean `key`; an error if it has another type.
    pub fn get_bool(&self, key: &str) -> Result<Option<bool>, Error> {
        self.typed(key, ElementType::Boolean, |v| v.as_bool())
    }
    /// The binary `key`; an error if it has another type.
    pub fn get_binary(&self, key: &str) -> Result<Option<RawBinary<'a>>, Error> {
        self.typed(key, ElementType::Binary, |v| v.as_binary())
    }
    /// The embedded document `key`; an error if it has another type.
    pub fn get_document(&self, key: &str) -> Result<Option<RawDocument<'a>>, Error> {
        self.typed(key, ElementType::Document, |v| v.as_document())
    }
    /// The array `key`; an error if it has another type.
    pub fn get_array(&self, key: &str) -> Result<Option<RawArray<'a>>, Error> {
        self.typed(key, ElementType::Array, |v| v.as_array())
    }
    /// The ObjectId `key`; an error if it has another type.
    pub fn get_object_id(&self, key: &str) -> Result<Option<ObjectId>, Error> {
        self.typed(key, ElementType::ObjectId, |v| v.as_object_id())
    }
    /// The datetime `key`; an error if it has another type.
    pub fn get_datetime(&self, key: &str) -> Result<Option<DateTime>, Error> {
        self.typed(key, ElementType::DateTime, |v| v.as_datetime())
    }

    /// Checks every element, recursively, under [`Limits::DEFAULT`]. After
    /// success no iteration over this document or its children can fail.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_with(&Limits::DEFAULT)
    }

    /// Checks every element, recursively, under `limits`.
    pub fn validate_with(&self, limits: &Limits) -> Result<(), Error> {
        if self.bytes.len() > limits.max_size {
            return Err(Error::new(
                ErrorKind::TooLarge {
                    size: self.bytes.len(),
                    limit: limits.max_size,
                },
                self.base,
            ));
        }
        walk(*self, 1, limits.max_depth)
    }
}

fn walk(doc: RawDocument<'_>, depth: usize, max_depth: usize) -> Result<(), Error> {
    if depth > max_depth {
        return Err(Error::new(ErrorKind::TooDeep(max_depth), doc.base));
    }
    // The same checks as `Iter`, in a loop the element parser inlines into.
    let end = doc.bytes.len() - 1;
    let body = doc.bytes.get(..end).unwrap_or_default();
    let mut pos = 4;
    while let Some(&tag) = body.get(pos) {
        if tag == 0 {
            return Err(Error::new(
                ErrorKind::DocumentLength(doc.bytes.len() as i64),
                doc.base,
            ));
        }
        let Some(ty) = ElementType::from_u8(tag) else {
            return Err(Error::new(ErrorKind::UnknownType(tag), doc.base + pos));
        };
        // Keys and strings are checked, never turned into `&str`: no UTF-8
        // validation call for ASCII text.
        let (_, p) = cstr_bytes(body, pos + 1, doc.base)?;
        pos = match ty {
            ElementType::String | ElementType::JavaScriptCode | ElementType::Symbol => {
                let (text, start, stop) = string_bytes(body, p, doc.base)?;
                check_utf8(text, doc.base + start)?;
                stop
            }
            ElementType::Document | ElementType::Array => {
                let (d, next) = subdoc(body, p, doc.base)?;
                walk(d, depth + 1, max_depth)?;
                next
            }
            _ => {
                let (v, next) = value(body, ty, p, doc.base)?;
                if let RawBson::JavaScriptCodeWithScope(c) = v {
                    walk(c.scope, depth + 1, max_depth)?;
                }
                next
            }
        };
    }
    Ok(())
}

impl<'a> IntoIterator for RawDocument<'a> {
    type Item = Result<(RawStr<'a>, RawBson<'a>), Error>;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// A borrowed BSON array: a document whose keys are ignored on reading.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RawArray<'a> {
    doc: RawDocument<'a>,
}

impl fmt::Debug for RawArray<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = f.debug_list();
        for item in self.iter() {
            match item {
                Ok(v) => l.entry(&v),
                Err(e) => l.entry(&e),
            };
        }
        l.finish()
    }
}

impl<'a> RawArray<'a> {
    /// Views a document as an array (its keys are ignored).
    pub const fn from_document(doc: RawDocument<'a>) -> Self {
        Self { doc }
    }
    /// The underlying document (keys `"0"`, `"1"`, ... in canonical BSON).
    pub const fn as_document(&self) -> RawDocument<'a> {
        self.doc
    }
    /// The array's bytes, length prefix and terminator included.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.doc.bytes
    }
    /// True for `[]`.
    pub const fn is_empty(&self) -> bool {
        self.doc.is_empty()
    }
    /// Iterates over the values in order.
    pub fn iter(&self) -> ArrayIter<'a> {
        ArrayIter {
            inner: self.doc.iter(),
        }
    }
    /// The value at `index` (by position, whatever the stored keys say).
    pub fn get(&self, index: usize) -> Result<Option<RawBson<'a>>, Error> {
        self.iter().nth(index).transpose()
    }
}

impl<'a> IntoIterator for RawArray<'a> {
    type Item = Result<RawBson<'a>, Error>;
    type IntoIter = ArrayIter<'a>;
    fn into_iter(self) -> ArrayIter<'a> {
        self.iter()
    }
}

/// Iterator over the values of a [`RawArray`].
#[derive(Debug, Clone)]
pub struct ArrayIter<'a> {
    inner: Iter<'a>,
}

impl<'a> Iterator for ArrayIter<'a> {
    type Item = Result<RawBson<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|r| r.map(|(_, v)| v))
    }
}

/// Iterator over the `(key, value)` elements of a [`RawDocument`].
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl Iter<'_> {
    /// Byte offset (from the start of the top-level input) of the next
    /// element.
    pub const fn offset(&self) -> usize {
        self.base + self.pos
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = Result<(RawStr<'a>, RawBson<'a>), Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // The body excludes the terminator (framing checked it is there):
        // no value may use it, and reaching it ends the iteration. An error
        // moves `pos` there too, which fuses the iterator.
        let body = self
            .bytes
            .get(..self.bytes.len().wrapping_sub(1))
            .unwrap_or_default();
        let pos = self.pos;
        let tag = *body.get(pos)?;
        if tag == 0 {
            // A terminator before the declared end: the length lies.
            self.pos = body.len();
            return Some(Err(Error::new(
                ErrorKind::DocumentLength(self.bytes.len() as i64),
                self.base,
            )));
        }
        match element(body, tag, pos, self.base) {
            Ok((k, v, next)) => {
                self.pos = next;
                Some(Ok((k, v)))
            }
            Err(e) => {
                self.pos = body.len();
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Iter<'_> {}

/// Every ASCII character once, in order: one-byte keys (array indexes
/// `"0"`..`"9"`, short field names) are sliced from here, which needs no
/// UTF-8 validation call.
const ASCII: &str = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x20\x21\x22\x23\x24\x25\x26\x27\x28\x29\x2A\x2B\x2C\x2D\x2E\x2F\x30\x31\x32\x33\x34\x35\x36\x37\x38\x39\x3A\x3B\x3C\x3D\x3E\x3F\x40\x41\x42\x43\x44\x45\x46\x47\x48\x49\x4A\x4B\x4C\x4D\x4E\x4F\x50\x51\x52\x53\x54\x55\x56\x57\x58\x59\x5A\x5B\x5C\x5D\x5E\x5F\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6A\x6B\x6C\x6D\x6E\x6F\x70\x71\x72\x73\x74\x75\x76\x77\x78\x79\x7A\x7B\x7C\x7D\x7E\x7F";

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Length of the C string at the start of `rest` (up to its `0x00`) and
/// whether it is all ASCII: eight bytes per step (SWAR), `None` without a
/// terminator.
#[inline(always)]
fn nul_scan(rest: &[u8]) -> Option<(usize, bool)> {
    let mut high = 0u64;
    let mut words = rest.chunks_exact(8);
    let mut i = 0;
    for w in words.by_ref() {
        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
        // The lowest flagged byte is the first 0x00 (borrows only flag
        // bytes above a real zero).
        let zero = w.wrapping_sub(LOW) & !w & HIGH;
        if zero != 0 {
            // The bytes up to the terminator (its own top bit is clear):
            // every bit up to the lowest flag.
            let upto = zero ^ zero.wrapping_sub(1);
            let n = i + (zero.trailing_zeros() / 8) as usize;
            return Some((n, (high | (w & upto)) & HIGH == 0));
        }
        high |= w;
        i += 8;
    }
    let n = words.remainder().iter().position(|&b| b == 0)?;
    let tail = words.remainder().get(..n).unwrap_or_default();
    Some((i + n, high & HIGH == 0 && tail.is_ascii()))
}

/// How many elements the document `doc` (framed) seems to hold: a quick
/// skip over its elements by their keys and lengths, checking nothing, to
/// size the owned decoder's vectors. Stops at anything unusual.
#[cfg(feature = "alloc")]
pub(crate) fn count_hint(doc: &[u8]) -> usize {
    let end = doc.len().saturating_sub(1);
    let mut pos = 4;
    let mut n = 0;
    while pos < end {
        let next = || -> Option<usize> {
            let tag = *doc.get(pos)?;
            let (k, _) = nul_scan(doc.get(pos + 1..)?)?;
            let p = pos + k + 2;
            let len = || usize::try_from(read_i32(doc, p)?).ok();
            let size = match tag {
                0x01 | 0x09 | 0x11 | 0x12 => 8,
                0x10 => 4,
                0x08 => 1,
                0x06 | 0x0A | 0x7F | 0xFF => 0,
                0x07 => 12,
                0x13 => 16,
                0x02 | 0x0D | 0x0E => 4 + len()?,
                0x03 | 0x04 | 0x0F => len()?,
                0x05 => 5 + len()?,
                _ => return None,
            };
            p.checked_add(size)
        };
        let Some(next) = next() else { break };
        n += 1;
        pos = next;
    }
    n
}

/// The C string at `pos` checked as UTF-8: its bytes without the `0x00`,
/// and the position after it.
#[inline(always)]
pub(crate) fn cstr_bytes(body: &[u8], pos: usize, base: usize) -> Result<(&[u8], usize), Error> {
    let rest = body.get(pos..).unwrap_or_default();
    // One-byte ASCII keys (array indexes, short names): no scan.
    if let [c @ 1..=0x7F, 0, ..] = rest {
        return Ok((core::slice::from_ref(c), pos + 2));
    }
    // The length is re-checked against `rest` (a branch, never taken),
    // which shows the optimiser the key ends inside the body.
    let Some(((n, ascii), raw)) = nul_scan(rest).and_then(|(n, a)| Some(((n, a), rest.get(..n)?)))
    else {
        return Err(Error::new(ErrorKind::UnterminatedCString, base + pos));
    };
    if !ascii {
        core::str::from_utf8(raw)
            .map_err(|e| Error::new(ErrorKind::InvalidUtf8, base + pos + e.valid_up_to()))?;
    }
    Ok((raw, pos + n + 1))
}

/// Every one-byte key (1 to 127) as its own `&str`, sliced from [`ASCII`]
/// at compile time: a lookup, no boundary check at run time.
// Evaluated at compile time: an index out of bounds would fail the build,
// it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
const ONE_BYTE: [Option<&str>; 128] = {
    let mut out = [None; 128];
    let mut c = 1;
    while c < 128 {
        let (_, rest) = ASCII.split_at(c);
        let (one, _) = rest.split_at(1);
        out[c] = Some(one);
        c += 1;
    }
    out
};

/// The decimal numbers 0 to 999 written one after the other.
// Evaluated at compile time: an index out of bounds would fail the build,
// it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
const INDEX_BYTES: [u8; 2890] = {
    let mut out = [0u8; 2890];
    let mut n = 0;
    let mut at = 0;
    while n < 1000 {
        if n >= 100 {
            out[at] = b'0' + (n / 100) as u8;
            at += 1;
        }
        if n >= 10 {
            out[at] = b'0' + (n / 10 % 10) as u8;
            at += 1;
        }
        out[at] = b'0' + (n % 10) as u8;
        at += 1;
        n += 1;
    }
    out
};

/// [`INDEX_BYTES`] as text: array index keys `"10"` to `"999"` are sliced
/// from here, which needs no UTF-8 validation call.
const INDEXES: &str = match core::str::from_utf8(&INDEX_BYTES) {
    Ok(s) => s,
    Err(_) => "",
};

#[inline(always)]
fn digit(b: u8) -> Option<usize> {
    b.is_ascii_digit()
        .then_some(usize::from(b.wrapping_sub(b'0')))
}

/// The C string at `pos` as `&str` (regular expression parts): checked
/// by [`cstr_bytes`], then made text by [`text`].
#[inline(always)]
fn cstr(body: &[u8], pos: usize, base: usize) -> Result<(&str, usize), Error> {
    let (raw, next) = cstr_bytes(body, pos, base)?;
    Ok((text(raw), next))
}

/// Short valid text as `&str` through the byte loop of [`Utf8Chunks`],
/// which costs less than the general validation's set-up for a few bytes.
///
/// [`Utf8Chunks`]: core::str::Utf8Chunks
#[inline(always)]
fn short_str(raw: &[u8]) -> Option<&str> {
    if raw.len() > 12 {
        return None;
    }
    let chunk = raw.utf8_chunks().next()?;
    (chunk.valid().len() == raw.len()).then_some(chunk.valid())
}

/// Array index keys `"10"` to `"999"`, sliced from [`INDEXES`].
#[inline(always)]
fn index_key(raw: &[u8]) -> Option<&'static str> {
    let at = match raw {
        [a @ b'1'..=b'9', b] => 10 + (usize::from(a - b'1') * 10 + digit(*b)?) * 2,
        [a @ b'1'..=b'9', b, c] => {
            190 + (usize::from(a - b'1') * 100 + digit(*b)? * 10 + digit(*c)?) * 3
        }
        _ => return None,
    };
    INDEXES.get(at..at + raw.len())
}

/// The string at `pos` as `&str` (DBPointer namespaces, code with
/// scope): checked by [`checked_string`], then made text.
#[inline(always)]
fn string(body: &[u8], pos: usize, base: usize) -> Result<(&str, usize), Error> {
    let (s, next) = checked_string(body, pos, base)?;
    Ok((s.as_str(), next))
}

/// The string at `pos`, framing and UTF-8 checked, as [`RawStr`].
#[inline(always)]
fn checked_string(body: &[u8], pos: usize, base: usize) -> Result<(RawStr<'_>, usize), Error> {
    let (text, start, stop) = string_bytes(body, pos, base)?;
    check_utf8(text, base + start)?;
    Ok((RawStr::checked(text), stop))
}

/// The framing of the string at `pos` (length, terminator), not its
/// UTF-8: the text's bytes, where they start and the position after the
/// string.
#[inline(always)]
pub(crate) fn string_bytes(
    body: &[u8],
    pos: usize,
    base: usize,
) -> Result<(&[u8], usize, usize), Error> {
    let Some(len) = read_i32(body, pos) else {
        return Err(Error::new(ErrorKind::Truncated, base + pos));
    };
    let bad = || Error::new(ErrorKind::Length(len.into()), base + pos);
    if len < 1 {
        return Err(bad());
    }
    let start = pos + 4;
    let stop = start + len as usize;
    let Some(with_nul) = body.get(start..stop) else {
        return Err(bad());
    };
    let Some((&0, text)) = with_nul.split_last() else {
        return Err(Error::new(ErrorKind::UnterminatedString, base + stop - 1));
    };
    Ok((text, start, stop))
}

/// Checks `text` (at offset `at`) as UTF-8: ASCII a word at a time, the
/// full validation only for other text.
#[inline(always)]
fn check_utf8(text: &[u8], at: usize) -> Result<(), Error> {
    if text.is_ascii() {
        return Ok(());
    }
    core::str::from_utf8(text)
        .map(|_| ())
        .map_err(|e| Error::new(ErrorKind::InvalidUtf8, at + e.valid_up_to()))
}

#[inline(always)]
fn fixed<const N: usize>(body: &[u8], pos: usize, base: usize) -> Result<([u8; N], usize), Error> {
    body.get(pos..pos + N)
        .and_then(|s| s.try_into().ok())
        .map(|a| (a, pos + N))
        .ok_or(Error::new(ErrorKind::Truncated, base + pos))
}

#[inline(always)]
pub(crate) fn subdoc<'a>(
    body: &'a [u8],
    pos: usize,
    base: usize,
) -> Result<(RawDocument<'a>, usize), Error> {
    let Some(len) = read_i32(body, pos) else {
        return Err(Error::new(ErrorKind::Truncated, base + pos));
    };
    if len < 5 {
        return Err(Error::new(
            ErrorKind::DocumentLength(len.into()),
            base + pos,
        ));
    }
    // `read_i32` showed `pos` in bounds: one length test.
    let Some(bytes) = body.get(pos..).and_then(|r| r.get(..len as usize)) else {
        return Err(Error::new(
            ErrorKind::DocumentLength(len.into()),
            base + pos,
        ));
    };
    let stop = pos + bytes.len();
    // Sliced to its declared length (at least 5): only the terminator is
    // left to check of its framing.
    match bytes.last() {
        Some(0) => Ok((
            RawDocument {
                bytes,
                base: base + pos,
            },
            stop,
        )),
        _ => Err(Error::new(ErrorKind::MissingTerminator, base + stop - 1)),
    }
}

/// Parses the element whose tag is at `pos`; returns key, value and the
/// position after it. `body` is the document without its terminator.
#[inline(always)]
fn element<'a>(
    body: &'a [u8],
    tag: u8,
    pos: usize,
    base: usize,
) -> Result<(RawStr<'a>, RawBson<'a>, usize), Error> {
    // The tag is checked by the value's dispatch, after the key: a bad key
    // of an unknown type still reports the type, which comes first.
    let (key, p) = match cstr_bytes(body, pos + 1, base) {
        Ok(k) => k,
        Err(e) if ElementType::from_u8(tag).is_some() => return Err(e),
        Err(_) => return Err(Error::new(ErrorKind::UnknownType(tag), base + pos)),
    };
    let (value, next) = value_of(body, tag, p, base, pos)?;
    Ok((RawStr::checked(key), value, next))
}

/// The value of type `ty` at `p`, and the position after it.
#[inline(always)]
pub(crate) fn value<'a>(
    body: &'a [u8],
    ty: ElementType,
    p: usize,
    base: usize,
) -> Result<(RawBson<'a>, usize), Error> {
    value_of(body, ty as u8, p, base, p)
}

/// The value of tag `tag` at `p`, and the position after it; an unknown
/// tag is an error at `tag_at`. One dispatch on the raw byte (no
/// conversion to [`ElementType`] first): the element loops' hot path.
#[inline(always)]
fn value_of<'a>(
    body: &'a [u8],
    tag: u8,
    p: usize,
    base: usize,
    tag_at: usize,
) -> Result<(RawBson<'a>, usize), Error> {
    const DOUBLE: u8 = ElementType::Double as u8;
    const STRING: u8 = ElementType::String as u8;
    const JS_CODE: u8 = ElementType::JavaScriptCode as u8;
    const SYMBOL: u8 = ElementType::Symbol as u8;
    const DOCUMENT: u8 = ElementType::Document as u8;
    const ARRAY: u8 = ElementType::Array as u8;
    const BINARY: u8 = ElementType::Binary as u8;
    const UNDEFINED: u8 = ElementType::Undefined as u8;
    const NULL: u8 = ElementType::Null as u8;
    const MIN_KEY: u8 = ElementType::MinKey as u8;
    const MAX_KEY: u8 = ElementType::MaxKey as u8;
    const OBJECT_ID: u8 = ElementType::ObjectId as u8;
    const BOOLEAN: u8 = ElementType::Boolean as u8;
    const DATE_TIME: u8 = ElementType::DateTime as u8;
    const INT64: u8 = ElementType::Int64 as u8;
    const INT32: u8 = ElementType::Int32 as u8;
    const TIMESTAMP: u8 = ElementType::Timestamp as u8;
    const DECIMAL128: u8 = ElementType::Decimal128 as u8;
    const REGEX: u8 = ElementType::RegularExpression as u8;
    const DB_POINTER: u8 = ElementType::DbPointer as u8;
    const CODE_W_S: u8 = ElementType::JavaScriptCodeWithScope as u8;
    Ok(match tag {
        DOUBLE => {
            let (b, n) = fixed::<8>(body, p, base)?;
            (RawBson::Double(f64::from_le_bytes(b)), n)
        }
        STRING => {
            let (s, n) = checked_string(body, p, base)?;
            (RawBson::String(s), n)
        }
        JS_CODE => {
            let (s, n) = checked_string(body, p, base)?;
            (RawBson::JavaScriptCode(s), n)
        }
        SYMBOL => {
            let (s, n) = checked_string(body, p, base)?;
            (RawBson::Symbol(s), n)
        }
        DOCUMENT => {
            let (d, n) = subdoc(body, p, base)?;
            (RawBson::Document(d), n)
        }
        ARRAY => {
            let (d, n) = subdoc(body, p, base)?;
            (RawBson::Array(RawArray { doc: d }), n)
        }
        BINARY => {
            let Some(len) = read_i32(body, p) else {
                return Err(Error::new(ErrorKind::Truncated, base + p));
            };
            let bad = Error::new(ErrorKind::Length(len.into()), base + p);
            if len < 0 {
                return Err(bad);
            }
            let start = p + 5;
            let stop = start + len as usize;
            let (Some(&st), Some(data)) = (body.get(p + 4), body.get(start..stop)) else {
                return Err(bad);
            };
            let bytes = if st == subtype::BINARY_OLD {
                let inner = read_i32(data, 0);
                match inner {
                    Some(i) if i64::from(i) == i64::from(len) - 4 => {
                        data.get(4..).unwrap_or_default()
                    }
                    _ => {
                        return Err(Error::new(
                            ErrorKind::OldBinaryLength {
                                inner: inner.map_or(-1, i64::from),
                                outer: len.into(),
                            },
                            base + start,
                        ));
                    }
                }
            } else {
                data
            };
            (RawBson::Binary(RawBinary { subtype: st, bytes }), stop)
        }
        UNDEFINED => (RawBson::Undefined, p),
        NULL => (RawBson::Null, p),
        MIN_KEY => (RawBson::MinKey, p),
        MAX_KEY => (RawBson::MaxKey, p),
        OBJECT_ID => {
            let (b, n) = fixed::<12>(body, p, base)?;
            (RawBson::ObjectId(ObjectId(b)), n)
        }
        BOOLEAN => {
            let ([b], n) = fixed::<1>(body, p, base)?;
            match b {
                0 => (RawBson::Boolean(false), n),
                1 => (RawBson::Boolean(true), n),
                _ => return Err(Error::new(ErrorKind::InvalidBool(b), base + p)),
            }
        }
        DATE_TIME => {
            let (b, n) = fixed::<8>(body, p, base)?;
            (RawBson::DateTime(DateTime(i64::from_le_bytes(b))), n)
        }
        INT64 => {
            let (b, n) = fixed::<8>(body, p, base)?;
            (RawBson::Int64(i64::from_le_bytes(b)), n)
        }
        INT32 => {
            let (b, n) = fixed::<4>(body, p, base)?;
            (RawBson::Int32(i32::from_le_bytes(b)), n)
        }
        TIMESTAMP => {
            let (b, n) = fixed::<8>(body, p, base)?;
            let [i0, i1, i2, i3, t0, t1, t2, t3] = b;
            let ts = Timestamp {
                increment: u32::from_le_bytes([i0, i1, i2, i3]),
                time: u32::from_le_bytes([t0, t1, t2, t3]),
            };
            (RawBson::Timestamp(ts), n)
        }
        DECIMAL128 => {
            let (b, n) = fixed::<16>(body, p, base)?;
            (RawBson::Decimal128(Decimal128::from_bytes(b)), n)
        }
        REGEX => {
            let (pattern, n) = cstr(body, p, base)?;
            let (options, n) = cstr(body, n, base)?;
            (RawBson::RegularExpression(RawRegex { pattern, options }), n)
        }
        DB_POINTER => {
            let (namespace, n) = string(body, p, base)?;
            let (b, n) = fixed::<12>(body, n, base)?;
            (
                RawBson::DbPointer(RawDbPointer {
                    namespace,
                    id: ObjectId(b),
                }),
                n,
            )
        }
        CODE_W_S => {
            let Some(total) = read_i32(body, p) else {
                return Err(Error::new(ErrorKind::Truncated, base + p));
            };
            let bad = Error::new(ErrorKind::Length(total.into()), base + p);
            // int32 total + string (4 + at least 1) + scope (at least 5)
            if total < 14 {
                return Err(bad);
            }
            let stop = p + total as usize;
            let Some(cws) = body.get(p..stop) else {
                return Err(bad);
            };
            let (code, n) = string(cws, 4, base + p)?;
            let scope_bytes = cws.get(n..).unwrap_or_default();
            let scope = RawDocument::nested(scope_bytes, base + p + n)?;
            (
                RawBson::JavaScriptCodeWithScope(RawCodeWithScope { code, scope }),
                stop,
            )
        }
        _ => return Err(Error::new(ErrorKind::UnknownType(tag), base + tag_at)),
    })
}

/// Reads the value of type `ty` at the start of `bytes` (no key), as a
/// document element body would hold it. Used by the stream and serde layers.
#[cfg(feature = "serde")]
pub(crate) fn read_value(bytes: &[u8], ty: ElementType) -> Result<(RawBson<'_>, usize), Error> {
    value(bytes, ty, 0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys and strings come out as checked bytes; `as_str` gives the same
    /// text whatever path makes it (table, byte loop, full validation), and
    /// invalid UTF-8 is still an error at its byte.
    #[test]
    #[cfg(feature = "alloc")]
    fn raw_str_keys_and_strings() {
        let long = "a key longer than twelve bytes, with é";
        let mut w = super::super::VecWriter::new();
        w.start_document().unwrap();
        for key in ["k", "42", "name", long] {
            w.append_str(key, key).unwrap();
        }
        w.end_document().unwrap();
        let bytes = w.into_vec().unwrap();
        let doc = RawDocument::parse(&bytes).unwrap();
        let mut seen = 0;
        for item in doc.iter() {
            let (k, v) = item.unwrap();
            let text = v.as_raw_str().unwrap();
            assert_eq!(k, text);
            assert_eq!(k.as_str(), text.as_str());
            assert_eq!(k.len(), k.as_str().len());
            assert_eq!(format!("{k}"), k.as_str());
            assert_eq!(format!("{k:?}"), format!("{:?}", k.as_str()));
            seen += 1;
        }
        assert_eq!(seen, 4);
        let (k, _) = doc.iter().nth(3).unwrap().unwrap();
        assert_eq!(k, long);
        assert!(k != "a key");
        let (k, _) = doc.iter().nth(2).unwrap().unwrap();
        assert!(k.eq_ignore_ascii_case("NAME"));
        assert!(!k.eq_ignore_ascii_case("names"));
        // {"a": "\xC3("} : an invalid two-byte sequence in the string.
        let bad = b"\x0f\x00\x00\x00\x02a\x00\x03\x00\x00\x00\xc3(\x00\x00";
        let e = RawDocument::new(bad)
            .unwrap()
            .iter()
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidUtf8);
        assert_eq!(e.offset, 11);
        // The same bytes in a key.
        let bad = b"\x0c\x00\x00\x00\x0a\xc3(\x00\x00\x00\x00\x00";
        let e = RawDocument::new(&bad[..12])
            .unwrap()
            .iter()
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidUtf8);
        assert_eq!(e.offset, 5);
    }

    #[test]
    fn hello_world_from_bsonspec() {
        let bytes = b"\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00";
        let doc = RawDocument::parse(bytes).unwrap();
        let items: Vec<_> = doc.iter().map(|r| r.unwrap()).collect();
        assert_eq!(items, [("hello".into(), RawBson::String("world".into()))]);
    }

    #[test]
    fn framing_errors_carry_offsets() {
        assert_eq!(
            RawDocument::new(&[5, 0, 0, 0, 1]).unwrap_err(),
            Error::new(ErrorKind::MissingTerminator, 4)
        );
        assert_eq!(
            RawDocument::new(&[6, 0, 0, 0, 0]).unwrap_err(),
            Error::new(ErrorKind::Truncated, 5)
        );
        // {"a": true} with the boolean byte 2 at offset 7
        let e = RawDocument::parse(&[9, 0, 0, 0, 8, b'a', 0, 2, 0]).unwrap_err();
        assert_eq!(e, Error::new(ErrorKind::InvalidBool(2), 7));
    }

    #[test]
    fn iteration_errors_are_located_and_fuse() {
        // {"a": 1i32} then a 0x00 one byte early: the length lies.
        let early = [13u8, 0, 0, 0, 0x10, b'a', 0, 1, 0, 0, 0, 0, 0];
        let doc = RawDocument::new(&early).unwrap();
        let mut it = doc.iter();
        assert_eq!(it.next(), Some(Ok(("a".into(), RawBson::Int32(1)))));
        assert_eq!(
            it.next(),
            Some(Err(Error::new(ErrorKind::DocumentLength(13), 0)))
        );
        assert_eq!(it.next(), None, "fused after an error");
        assert_eq!(it.next(), None);

        // An unknown tag 0x14 at offset 4 is reported as such, whether its
        // key is well formed or runs to the end unterminated.
        for bytes in [
            &[12u8, 0, 0, 0, 0x14, b'k', 0, 1, 2, 3, 4, 0][..],
            &[8u8, 0, 0, 0, 0x14, b'k', b'e', 0][..],
        ] {
            let doc = RawDocument::new(bytes).unwrap();
            let mut it = doc.iter();
            assert_eq!(
                it.next(),
                Some(Err(Error::new(ErrorKind::UnknownType(0x14), 4))),
                "{bytes:?}"
            );
            assert_eq!(it.next(), None);
            assert_eq!(
                doc.validate().unwrap_err(),
                Error::new(ErrorKind::UnknownType(0x14), 4)
            );
        }

        // A known tag with an unterminated key: the key is the error.
        let doc = RawDocument::new(&[8u8, 0, 0, 0, 0x10, b'k', b'e', 0]).unwrap();
        assert_eq!(
            doc.iter().next(),
            Some(Err(Error::new(ErrorKind::UnterminatedCString, 5)))
        );
        // A value cut by the terminator: {"k": int32} with two bytes left.
        let doc = RawDocument::new(&[10u8, 0, 0, 0, 0x10, b'k', 0, 1, 2, 0]).unwrap();
        assert_eq!(
            doc.iter().next(),
            Some(Err(Error::new(ErrorKind::Truncated, 7)))
        );
    }

    #[test]
    fn index_keys_come_from_the_table() {
        for n in 10..1000 {
            let key = format!("{n}");
            assert_eq!(index_key(key.as_bytes()), Some(key.as_str()));
        }
        assert_eq!(ONE_BYTE[0], None);
        for c in 1..128u8 {
            assert_eq!(
                ONE_BYTE[usize::from(c)],
                Some(char::from(c).to_string().as_str())
            );
        }
        for other in ["1", "01", "001", "1a", "a1", "9999", "", "1\u{e9}"] {
            assert_eq!(index_key(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn nul_scan_matches_a_byte_loop() {
        let alphabet = [0u8, 1, b'a', 0x7f, 0x80, 0xc3, 0xa9, 0xff];
        let mut seed = 1u32;
        for len in 0..40 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        alphabet[(seed >> 16) as usize % alphabet.len()]
                    })
                    .collect();
                let expected = bytes
                    .iter()
                    .position(|&b| b == 0)
                    .map(|n| (n, bytes[..n].is_ascii()));
                assert_eq!(nul_scan(&bytes), expected, "{bytes:?}");
            }
        }
    }

    #[test]
    fn depth_limit() {
        // {"a": {"a": {}}}: depth 3
        let inner = [5u8, 0, 0, 0, 0];
        let mut mid = vec![0u8; 4];
        mid.extend_from_slice(&[3, b'a', 0]);
        mid.extend_from_slice(&inner);
        mid.push(0);
        let l = mid.len() as u8;
        mid[0] = l;
        let mut top = vec![0u8; 4];
        top.extend_from_slice(&[3, b'a', 0]);
        top.extend_from_slice(&mid);
        top.push(0);
        let l = top.len() as u8;
        top[0] = l;
        let doc = RawDocument::new(&top).unwrap();
        doc.validate().unwrap();
        let limits = Limits {
            max_depth: 2,
            ..Limits::DEFAULT
        };
        assert_eq!(
            doc.validate_with(&limits).unwrap_err().kind,
            ErrorKind::TooDeep(2)
        );
    }
}
