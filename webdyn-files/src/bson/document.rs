//! Owned BSON values: [`Document`] (an ordered list of key/value pairs) and
//! [`Bson`], decoded from or encoded to bytes, and built with the
//! [`doc!`](crate::doc) and [`bson_value!`](crate::bson_value) macros.
//!
//! Decoding is strict by default; [`DecodeOptions`] with [`Utf8::Lossy`]
//! replaces invalid UTF-8 with U+FFFD instead
//! ([`Document::from_slice_with`]). A decode error can be located by key
//! path as well as by byte offset: [`key_path`], [`PathError`],
//! [`Document::from_slice_with_path`].

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use super::decimal128::Decimal128;
use super::error::{Error, ErrorKind};
use super::raw::{DateTime, Limits, ObjectId, RawBson, RawDocument, Timestamp};
use super::spec::ElementType;
use super::writer::{Output, put_binary, put_string};

/// An owned binary value with its subtype.
///
/// With the `serde` feature it serialises as a BSON binary of its subtype
/// (other formats see a one-entry map `{"$binary": bytes}`), and
/// deserialises from a BSON binary of any subtype (or plain bytes, subtype 0).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary {
    /// The subtype (see [`subtype`](super::spec::subtype)).
    pub subtype: u8,
    /// The payload.
    pub bytes: Vec<u8>,
}

/// An owned regular expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Regex {
    /// The pattern.
    pub pattern: String,
    /// The options, sorted (the canonical form).
    pub options: String,
}

impl Regex {
    /// A regular expression; the option letters are sorted.
    pub fn new(pattern: impl Into<String>, options: &str) -> Self {
        let mut o: Vec<char> = options.chars().collect();
        o.sort_unstable();
        Self {
            pattern: pattern.into(),
            options: o.into_iter().collect(),
        }
    }
}

/// Owned JavaScript code with scope (deprecated BSON type).
#[derive(Debug, Clone, PartialEq)]
pub struct JavaScriptCodeWithScope {
    /// The code.
    pub code: String,
    /// The scope.
    pub scope: Document,
}

/// An owned DBPointer (deprecated BSON type).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DbPointer {
    /// The namespace.
    pub namespace: String,
    /// The id.
    pub id: ObjectId,
}

/// One owned BSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Bson {
    /// Double.
    Double(f64),
    /// String.
    String(String),
    /// Array.
    Array(Vec<Bson>),
    /// Embedded document.
    Document(Document),
    /// Boolean.
    Boolean(bool),
    /// Null.
    Null,
    /// Regular expression.
    RegularExpression(Regex),
    /// JavaScript code.
    JavaScriptCode(String),
    /// JavaScript code with scope.
    JavaScriptCodeWithScope(JavaScriptCodeWithScope),
    /// Int32.
    Int32(i32),
    /// Int64.
    Int64(i64),
    /// Timestamp.
    Timestamp(Timestamp),
    /// Binary.
    Binary(Binary),
    /// ObjectId.
    ObjectId(ObjectId),
    /// UTC datetime.
    DateTime(DateTime),
    /// Symbol.
    Symbol(String),
    /// Decimal128.
    Decimal128(Decimal128),
    /// Undefined.
    Undefined,
    /// Max key.
    MaxKey,
    /// Min key.
    MinKey,
    /// DBPointer.
    DbPointer(DbPointer),
}

/// An owned BSON document: key/value pairs in insertion order.
///
/// Lookups are linear, which is fastest for the small documents BSON
/// usually carries. Decoding keeps every element as stored (including
/// duplicate keys); [`insert`](Self::insert) replaces an existing key in
/// place.
///
/// ```
/// use webdyn_files::{doc, bson::Document};
/// let d = doc! { "T": 1, "name": "meter", "frames": [1, 2], "sub": { "x": 1.5 } };
/// let bytes = d.to_vec()?;
/// assert_eq!(Document::from_slice(&bytes)?, d);
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    entries: Vec<(Key, Bson)>,
}

/// A document key: up to 22 bytes inline (no allocation, the common case),
/// longer ones on the heap.
#[derive(Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; 22] },
    Heap(String),
}

impl Key {
    #[inline]
    fn new(s: &str) -> Self {
        let mut bytes = [0u8; 22];
        // One-byte keys ("T", "v", ...) are common: no copy call for them.
        if let ([b @ 1..=255], Some(first)) = (s.as_bytes(), bytes.first_mut()) {
            *first = *b;
            return Key::Inline { len: 1, bytes };
        }
        match bytes.get_mut(..s.len()) {
            // Inline keys never hold `0x00` (the encoder relies on it).
            Some(dst) if !s.as_bytes().contains(&0) => {
                dst.copy_from_slice(s.as_bytes());
                Key::Inline {
                    len: s.len() as u8,
                    bytes,
                }
            }
            _ => Key::Heap(s.to_owned()),
        }
    }

    #[inline]
    fn len(&self) -> usize {
        match self {
            Key::Inline { len, .. } => usize::from(*len),
            Key::Heap(s) => s.len(),
        }
    }

    /// A key whose bytes were checked as UTF-8 C string contents (no
    /// `0x00`).
    #[inline]
    fn from_checked(raw: &[u8]) -> Result<Self, Error> {
        let mut bytes = [0u8; 22];
        if let [b] = raw {
            if let Some(first) = bytes.first_mut() {
                *first = *b;
            }
            return Ok(Key::Inline { len: 1, bytes });
        }
        match bytes.get_mut(..raw.len()) {
            Some(dst) => {
                dst.copy_from_slice(raw);
                Ok(Key::Inline {
                    len: raw.len() as u8,
                    bytes,
                })
            }
            None => core::str::from_utf8(raw)
                .map(|s| Key::Heap(s.to_owned()))
                .map_err(|_| Error::new(ErrorKind::InvalidUtf8, 0)),
        }
    }

    fn from_string(s: String) -> Self {
        if s.len() <= 22 {
            Key::new(&s)
        } else {
            Key::Heap(s)
        }
    }

    #[inline]
    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Key::Heap(s) => s.as_bytes(),
        }
    }

    #[inline]
    fn as_str(&self) -> &str {
        match self {
            // Built from a &str, so always valid UTF-8.
            Key::Inline { .. } => core::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Key::Heap(s) => s,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Heap(s) => s,
            k => k.as_str().to_owned(),
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Iterator over the `(key, value)` elements of a [`Document`].
#[derive(Debug, Clone)]
pub struct DocIter<'a> {
    inner: core::slice::Iter<'a, (Key, Bson)>,
}

impl<'a> Iterator for DocIter<'a> {
    type Item = (&'a str, &'a Bson);
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(k, v)| (k.as_str(), v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for DocIter<'_> {}

/// Owning iterator over the elements of a [`Document`].
#[derive(Debug)]
pub struct DocIntoIter {
    inner: alloc::vec::IntoIter<(Key, Bson)>,
}

impl Iterator for DocIntoIter {
    type Item = (String, Bson);
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(k, v)| (k.into_string(), v))
    }
}

impl Bson {
    /// The element type of this value.
    pub fn element_type(&self) -> ElementType {
        match self {
            Bson::Double(_) => ElementType::Double,
            Bson::String(_) => ElementType::String,
            Bson::Array(_) => ElementType::Array,
            Bson::Document(_) => ElementType::Document,
            Bson::Boolean(_) => ElementType::Boolean,
            Bson::Null => ElementType::Null,
            Bson::RegularExpression(_) => ElementType::RegularExpression,
            Bson::JavaScriptCode(_) => ElementType::JavaScriptCode,
            Bson::JavaScriptCodeWithScope(_) => ElementType::JavaScriptCodeWithScope,
            Bson::Int32(_) => ElementType::Int32,
            Bson::Int64(_) => ElementType::Int64,
            Bson::Timestamp(_) => ElementType::Timestamp,
            Bson::Binary(_) => ElementType::Binary,
            Bson::ObjectId(_) => ElementType::ObjectId,
            Bson::DateTime(_) => ElementType::DateTime,
            Bson::Symbol(_) => ElementType::Symbol,
            Bson::Decimal128(_) => ElementType::Decimal128,
            Bson::Undefined => ElementType::Undefined,
            Bson::MaxKey => ElementType::MaxKey,
            Bson::MinKey => ElementType::MinKey,
            Bson::DbPointer(_) => ElementType::DbPointer,
        }
    }

    /// Converts a borrowed value (validating nested documents).
    pub fn from_raw(v: RawBson<'_>) -> Result<Self, Error> {
        from_raw(v, 1, Limits::DEFAULT.max_depth)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        if let Bson::String(s) = self {
            Some(s)
        } else {
            None
        }
    }
    /// The int32, if this is one.
    pub fn as_i32(&self) -> Option<i32> {
        if let Bson::Int32(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The int64, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        if let Bson::Int64(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The double, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        if let Bson::Double(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        if let Bson::Boolean(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    /// The document, if this is one.
    pub fn as_document(&self) -> Option<&Document> {
        if let Bson::Document(v) = self {
            Some(v)
        } else {
            None
        }
    }
    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Bson]> {
        if let Bson::Array(v) = self {
            Some(v)
        } else {
            None
        }
    }
    /// The binary, if this is one.
    pub fn as_binary(&self) -> Option<&Binary> {
        if let Bson::Binary(v) = self {
            Some(v)
        } else {
            None
        }
    }
}

/// Converts a value whose own bytes were checked by the reader; embedded
/// documents and arrays are decoded (and checked) here.
#[inline(always)]
fn from_raw(v: RawBson<'_>, depth: usize, max: usize) -> Result<Bson, Error> {
    Ok(match v {
        RawBson::Double(x) => Bson::Double(x),
        RawBson::String(s) => Bson::String(s.as_str().to_owned()),
        RawBson::Document(d) => Bson::Document(doc_from_raw(d, depth + 1, max)?),
        RawBson::Array(a) => Bson::Array(array_from_raw(a.as_document(), depth + 1, max)?),
        RawBson::Binary(b) => Bson::Binary(Binary {
            subtype: b.subtype,
            bytes: b.bytes.to_vec(),
        }),
        RawBson::Undefined => Bson::Undefined,
        RawBson::ObjectId(o) => Bson::ObjectId(o),
        RawBson::Boolean(b) => Bson::Boolean(b),
        RawBson::DateTime(d) => Bson::DateTime(d),
        RawBson::Null => Bson::Null,
        RawBson::RegularExpression(r) => Bson::RegularExpression(Regex::new(r.pattern, r.options)),
        RawBson::DbPointer(p) => Bson::DbPointer(DbPointer {
            namespace: p.namespace.to_owned(),
            id: p.id,
        }),
        RawBson::JavaScriptCode(s) => Bson::JavaScriptCode(s.as_str().to_owned()),
        RawBson::Symbol(s) => Bson::Symbol(s.as_str().to_owned()),
        RawBson::JavaScriptCodeWithScope(c) => {
            Bson::JavaScriptCodeWithScope(JavaScriptCodeWithScope {
                code: c.code.to_owned(),
                scope: doc_from_raw(c.scope, depth + 1, max)?,
            })
        }
        RawBson::Int32(i) => Bson::Int32(i),
        RawBson::Timestamp(t) => Bson::Timestamp(t),
        RawBson::Int64(i) => Bson::Int64(i),
        RawBson::Decimal128(d) => Bson::Decimal128(d),
        RawBson::MinKey => Bson::MinKey,
        RawBson::MaxKey => Bson::MaxKey,
    })
}

/// Walks the elements of a framed document, as [`RawDocument::iter`]
/// would (same checks, same errors), handing each checked key (bytes) and
/// owned value to `f`. Keys are checked without building a `&str`.
#[inline(always)]
fn each_element<'a>(
    d: RawDocument<'a>,
    depth: usize,
    max: usize,
    mut f: impl FnMut(&'a [u8], Bson) -> Result<(), Error>,
) -> Result<(), Error> {
    use super::raw::{cstr_bytes, string_bytes, subdoc, value};
    let bytes = d.as_bytes();
    let base = d.offset();
    // Framed: at least 5 bytes, the last one 0x00 (the body excludes it).
    let end = bytes.len().saturating_sub(1);
    let body = bytes.get(..end).unwrap_or_default();
    let mut pos = 4;
    while let Some(&tag) = body.get(pos) {
        let Some(ty) = ElementType::from_u8(tag) else {
            return Err(Error::new(
                if tag == 0 {
                    // A terminator before the declared end: the length lies.
                    ErrorKind::DocumentLength(bytes.len() as i64)
                } else {
                    ErrorKind::UnknownType(tag)
                },
                if tag == 0 { base } else { base + pos },
            ));
        };
        let (key, p) = cstr_bytes(body, pos + 1, base)?;
        let (v, next) = match ty {
            ElementType::String => {
                // Copied first, then checked in place: the copy starts
                // aligned, which the UTF-8 check runs fastest on.
                let (text, start, stop) = string_bytes(body, p, base)?;
                let s = String::from_utf8(text.to_vec()).map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidUtf8,
                        base + start + e.utf8_error().valid_up_to(),
                    )
                })?;
                (Bson::String(s), stop)
            }
            ElementType::Document => {
                let (d, stop) = subdoc(body, p, base)?;
                (Bson::Document(doc_from_raw(d, depth + 1, max)?), stop)
            }
            ElementType::Array => {
                let (d, stop) = subdoc(body, p, base)?;
                (Bson::Array(array_from_raw(d, depth + 1, max)?), stop)
            }
            _ => {
                let (v, stop) = value(body, ty, p, base)?;
                (from_raw(v, depth, max)?, stop)
            }
        };
        f(key, v)?;
        pos = next;
    }
    Ok(())
}

/// What the owned decoder does with text that is not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Utf8 {
    /// Fail with [`ErrorKind::InvalidUtf8`] at the first invalid byte (the
    /// BSON specification's rule, and what [`Document::from_slice`] does).
    #[default]
    Strict,
    /// Replace each invalid sequence with U+FFFD, as
    /// [`String::from_utf8_lossy`] does, in string, JavaScript code and
    /// symbol values, keys, regular expression patterns and options,
    /// DBPointer namespaces and the code of code with scope. For data
    /// written by drivers that stored Latin-1 or cut strings mid-character;
    /// the replaced text no longer round-trips to the original bytes.
    Lossy,
}

/// Options of [`Document::from_slice_with`].
///
/// ```
/// use webdyn_files::bson::{Limits, document::{DecodeOptions, Utf8}};
/// let opts = DecodeOptions::new()
///     .utf8(Utf8::Lossy)
///     .limits(Limits { max_depth: 8, ..Limits::DEFAULT });
/// assert_eq!(opts.utf8, Utf8::Lossy);
/// assert_eq!(opts.limits.max_depth, 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// Invalid UTF-8: an error (the default) or replaced.
    pub utf8: Utf8,
    /// Nesting and size limits ([`Limits::DEFAULT`] unless set).
    pub limits: Limits,
}

impl DecodeOptions {
    /// Strict UTF-8 under [`Limits::DEFAULT`]: what
    /// [`Document::from_slice`] applies.
    pub const fn new() -> Self {
        Self {
            utf8: Utf8::Strict,
            limits: Limits::DEFAULT,
        }
    }

    /// The same options with `utf8` handling.
    #[must_use]
    pub const fn utf8(mut self, utf8: Utf8) -> Self {
        self.utf8 = utf8;
        self
    }

    /// The same options with `limits`.
    #[must_use]
    pub const fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// The lossy decoder: the strict one's walk with its checks in the same
/// order, except that text is taken as bytes and converted with
/// replacement. A separate copy, so that the strict decoder (the hot path)
/// stays as it is measured.
mod lossy {
    use alloc::borrow::Cow;
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::super::raw::{RawBson, RawDocument, string_bytes, subdoc, value};
    use super::{
        Binary, Bson, DbPointer, Document, ElementType, Error, ErrorKind, JavaScriptCodeWithScope,
        Key, ObjectId, Regex, capacity,
    };

    fn text(raw: &[u8]) -> String {
        String::from_utf8_lossy(raw).into_owned()
    }

    fn key(raw: &[u8]) -> Key {
        match String::from_utf8_lossy(raw) {
            Cow::Borrowed(s) => Key::new(s),
            Cow::Owned(s) => Key::from_string(s),
        }
    }

    /// The C string at `pos` (bytes up to `0x00`) and the position after
    /// it; the error is the strict reader's.
    fn cstr(body: &[u8], pos: usize, base: usize) -> Result<(&[u8], usize), Error> {
        let rest = body.get(pos..).unwrap_or_default();
        match rest.iter().position(|&b| b == 0) {
            Some(n) => Ok((rest.get(..n).unwrap_or_default(), pos + n + 1)),
            None => Err(Error::new(ErrorKind::UnterminatedCString, base + pos)),
        }
    }

    pub(super) fn doc(d: RawDocument<'_>, depth: usize, max: usize) -> Result<Document, Error> {
        if depth > max {
            return Err(Error::new(ErrorKind::TooDeep(max), d.offset()));
        }
        let mut entries = Vec::with_capacity(capacity(d));
        each_element(d, depth, max, |k, v| {
            entries.push((key(k), v));
            Ok(())
        })?;
        Ok(Document { entries })
    }

    fn array(d: RawDocument<'_>, depth: usize, max: usize) -> Result<Vec<Bson>, Error> {
        if depth > max {
            return Err(Error::new(ErrorKind::TooDeep(max), d.offset()));
        }
        let mut out = Vec::with_capacity(capacity(d));
        each_element(d, depth, max, |_, v| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    fn each_element<'a>(
        d: RawDocument<'a>,
        depth: usize,
        max: usize,
        mut f: impl FnMut(&'a [u8], Bson) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let bytes = d.as_bytes();
        let base = d.offset();
        let end = bytes.len().saturating_sub(1);
        let body = bytes.get(..end).unwrap_or_default();
        let mut pos = 4;
        while let Some(&tag) = body.get(pos) {
            let Some(ty) = ElementType::from_u8(tag) else {
                return Err(if tag == 0 {
                    Error::new(ErrorKind::DocumentLength(bytes.len() as i64), base)
                } else {
                    Error::new(ErrorKind::UnknownType(tag), base + pos)
                });
            };
            let (k, p) = cstr(body, pos + 1, base)?;
            let (v, next) = match ty {
                ElementType::String | ElementType::JavaScriptCode | ElementType::Symbol => {
                    let (raw, _, stop) = string_bytes(body, p, base)?;
                    let s = text(raw);
                    let v = match ty {
                        ElementType::String => Bson::String(s),
                        ElementType::JavaScriptCode => Bson::JavaScriptCode(s),
                        _ => Bson::Symbol(s),
                    };
                    (v, stop)
                }
                ElementType::Document => {
                    let (d, stop) = subdoc(body, p, base)?;
                    (Bson::Document(doc(d, depth + 1, max)?), stop)
                }
                ElementType::Array => {
                    let (d, stop) = subdoc(body, p, base)?;
                    (Bson::Array(array(d, depth + 1, max)?), stop)
                }
                ElementType::RegularExpression => {
                    let (pattern, n) = cstr(body, p, base)?;
                    let (options, n) = cstr(body, n, base)?;
                    (
                        Bson::RegularExpression(Regex::new(text(pattern), &text(options))),
                        n,
                    )
                }
                ElementType::DbPointer => {
                    let (namespace, _, n) = string_bytes(body, p, base)?;
                    let Some(id) = body.get(n..n + 12).and_then(|b| b.try_into().ok()) else {
                        return Err(Error::new(ErrorKind::Truncated, base + n));
                    };
                    let v = Bson::DbPointer(DbPointer {
                        namespace: text(namespace),
                        id: ObjectId(id),
                    });
                    (v, n + 12)
                }
                ElementType::JavaScriptCodeWithScope => code_with_scope(body, p, base, depth, max)?,
                _ => {
                    let (v, stop) = value(body, ty, p, base)?;
                    (scalar(v), stop)
                }
            };
            f(k, v)?;
            pos = next;
        }
        Ok(())
    }

    /// The values left after text, documents and arrays were handled.
    /// Not the strict decoder's `from_raw`: a second caller of the strict
    /// document decoder, even one never reached, changed its generated code
    /// (three more instructions per embedded document).
    fn scalar(v: RawBson<'_>) -> Bson {
        match v {
            RawBson::Double(x) => Bson::Double(x),
            RawBson::Binary(b) => Bson::Binary(Binary {
                subtype: b.subtype,
                bytes: b.bytes.to_vec(),
            }),
            RawBson::ObjectId(o) => Bson::ObjectId(o),
            RawBson::Boolean(b) => Bson::Boolean(b),
            RawBson::DateTime(d) => Bson::DateTime(d),
            RawBson::Int32(i) => Bson::Int32(i),
            RawBson::Timestamp(t) => Bson::Timestamp(t),
            RawBson::Int64(i) => Bson::Int64(i),
            RawBson::Decimal128(d) => Bson::Decimal128(d),
            RawBson::MinKey => Bson::MinKey,
            RawBson::MaxKey => Bson::MaxKey,
            RawBson::Undefined => Bson::Undefined,
            // Null, and the types `each_element` converts itself.
            _ => Bson::Null,
        }
    }

    /// Code with scope at `p`: the strict reader's framing checks, the
    /// code converted with replacement, the scope decoded lossily.
    fn code_with_scope(
        body: &[u8],
        p: usize,
        base: usize,
        depth: usize,
        max: usize,
    ) -> Result<(Bson, usize), Error> {
        let Some(total) = body
            .get(p..p + 4)
            .and_then(|b| b.try_into().ok())
            .map(i32::from_le_bytes)
        else {
            return Err(Error::new(ErrorKind::Truncated, base + p));
        };
        let bad = Error::new(ErrorKind::Length(total.into()), base + p);
        if total < 14 {
            return Err(bad);
        }
        let stop = p + total as usize;
        let Some(cws) = body.get(p..stop) else {
            return Err(bad);
        };
        let (code, _, n) = string_bytes(cws, 4, base + p)?;
        let scope_bytes = cws.get(n..).unwrap_or_default();
        let scope = RawDocument::nested(scope_bytes, base + p + n)?;
        let v = Bson::JavaScriptCodeWithScope(JavaScriptCodeWithScope {
            code: text(code),
            scope: doc(scope, depth + 1, max)?,
        });
        Ok((v, stop))
    }
}

/// An [`Error`] together with the key path of the element it concerns,
/// e.g. `frames.3.F` (array elements by index, nested keys joined by `.`;
/// empty for the top-level document itself).
///
/// Returned by [`Document::from_slice_with_path`] and, with `serde`, by
/// `de::from_slice_with_path`; any other decode error can be explained
/// the same way with [`Error::key_path`]. The path is built only once an
/// error has happened, from the input bytes and the error's offset: the
/// successful decode does no extra work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// What went wrong, and at which byte.
    pub error: Error,
    /// Where in the document: keys from the top-level document down to the
    /// element holding [`Error::offset`], joined by `.`.
    pub path: String,
}

impl PathError {
    /// `error`, explained by its key path in `input` (the bytes its offset
    /// counts from).
    pub fn new(error: Error, input: &[u8]) -> Self {
        Self {
            path: key_path(input, error.offset),
            error,
        }
    }
}

impl core::fmt::Display for PathError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} (in the top-level document)", self.error)
        } else {
            write!(f, "{} (in {})", self.error, self.path)
        }
    }
}

impl core::error::Error for PathError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<PathError> for Error {
    fn from(e: PathError) -> Self {
        e.error
    }
}

/// The key path (`frames.3.F`) of the innermost element of the document in
/// `input` whose bytes contain `offset`; empty when `offset` lies in the
/// top-level document's own framing (or beyond it).
///
/// Only the framing is read (type tags, keys, length prefixes), leniently:
/// the input is usually broken, and the walk stops at the first element it
/// cannot measure, which is the one the error is in. Keys are shown with
/// invalid UTF-8 replaced by U+FFFD. Costs one pass over the elements
/// before `offset` at each level, and no allocation but the path.
///
/// ```
/// use webdyn_files::{doc, bson::{Document, document::key_path}};
/// let mut bytes = doc! { "frames": [{ "F": 1 }, { "F": true }] }.to_vec()?;
/// // Corrupt the second boolean (the byte before the three terminators).
/// let at = bytes.len() - 4;
/// bytes[at] = 7;
/// let e = Document::from_slice(&bytes).unwrap_err();
/// assert_eq!(e.offset, at);
/// assert_eq!(key_path(&bytes, e.offset), "frames.1.F");
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
pub fn key_path(input: &[u8], offset: usize) -> String {
    let mut path = String::new();
    // The document being walked: its bytes (from its length prefix on) and
    // their offset in `input`. A loop, not recursion: the depth is the
    // input's to choose.
    let mut doc = input;
    let mut base = 0usize;
    'docs: loop {
        let Some(len) = read_len(doc, 0) else {
            return path;
        };
        let end = len.min(doc.len());
        let Some(local) = offset.checked_sub(base) else {
            return path;
        };
        let mut pos = 4;
        while pos < end && local >= pos {
            let Some(&tag) = doc.get(pos) else {
                return path;
            };
            if tag == 0 {
                return path;
            }
            let body = doc.get(..end).unwrap_or_default();
            let key_start = pos + 1;
            let Some(key_len) = body
                .get(key_start..)
                .and_then(|r| r.iter().position(|&b| b == 0))
            else {
                // The key itself is unterminated: the error is in it.
                push_key(&mut path, body.get(key_start..).unwrap_or_default());
                return path;
            };
            let key = body.get(key_start..key_start + key_len).unwrap_or_default();
            let p = key_start + key_len + 1;
            let next = value_size(body, tag, p).and_then(|n| p.checked_add(n));
            if next.is_some_and(|n| local >= n) {
                pos = next.unwrap_or(end);
                continue;
            }
            push_key(&mut path, key);
            // Inside a nested document's bytes: carry on in there.
            let inner = match tag {
                0x03 | 0x04 if local >= p => Some(p),
                0x0F => read_len(body, p + 4)
                    .map(|code| p + 8 + code)
                    .filter(|&scope| local >= scope),
                _ => None,
            };
            match inner.and_then(|at| doc.get(at..)) {
                Some(rest) => {
                    base += inner.unwrap_or_default();
                    doc = rest;
                    continue 'docs;
                }
                None => return path,
            }
        }
        return path;
    }
}

/// A non-negative little-endian int32 at `at`, as a length.
fn read_len(bytes: &[u8], at: usize) -> Option<usize> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    usize::try_from(i32::from_le_bytes(b)).ok()
}

/// The size of the value of type `tag` at `p`, if its framing says.
fn value_size(body: &[u8], tag: u8, p: usize) -> Option<usize> {
    let cstr = |at: usize| body.get(at..)?.iter().position(|&b| b == 0);
    Some(match tag {
        0x01 | 0x09 | 0x11 | 0x12 => 8,
        0x02 | 0x0D | 0x0E => 4 + read_len(body, p)?,
        0x03 | 0x04 | 0x0F => read_len(body, p)?,
        0x05 => 5 + read_len(body, p)?,
        0x06 | 0x0A | 0x7F | 0xFF => 0,
        0x07 => 12,
        0x08 => 1,
        0x0B => {
            let pattern = cstr(p)? + 1;
            pattern + cstr(p + pattern)? + 1
        }
        0x0C => 4 + read_len(body, p)? + 12,
        0x10 => 4,
        0x13 => 16,
        _ => return None,
    })
}

fn push_key(path: &mut String, key: &[u8]) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(&String::from_utf8_lossy(key));
}

/// Room for the elements of `d`: counted when it may hold more than a few
/// (sparing the vector its doublings), else the first allocation's four.
#[inline]
fn capacity(d: RawDocument<'_>) -> usize {
    let len = d.as_bytes().len();
    if len > CAPACITY_THRESHOLD {
        super::raw::count_hint(d.as_bytes())
    } else {
        // At most one element per two body bytes.
        (len / 2).saturating_sub(2).min(4)
    }
}

const CAPACITY_THRESHOLD: usize = 256;

fn doc_from_raw(d: RawDocument<'_>, depth: usize, max: usize) -> Result<Document, Error> {
    if depth > max {
        return Err(Error::new(ErrorKind::TooDeep(max), d.offset()));
    }
    let mut entries = Vec::with_capacity(capacity(d));
    each_element(d, depth, max, |k, v| {
        entries.push((Key::from_checked(k)?, v));
        Ok(())
    })?;
    Ok(Document { entries })
}

fn array_from_raw(d: RawDocument<'_>, depth: usize, max: usize) -> Result<Vec<Bson>, Error> {
    if depth > max {
        return Err(Error::new(ErrorKind::TooDeep(max), d.offset()));
    }
    let mut out = Vec::with_capacity(capacity(d));
    each_element(d, depth, max, |_, v| {
        out.push(v);
        Ok(())
    })?;
    Ok(out)
}

impl Document {
    /// An empty document.
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Decodes and fully validates a document occupying exactly `bytes`.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_slice_with_limits(bytes, &Limits::DEFAULT)
    }

    /// [`from_slice`](Self::from_slice) under explicit limits.
    pub fn from_slice_with_limits(bytes: &[u8], limits: &Limits) -> Result<Self, Error> {
        let raw = RawDocument::new_with_limits(bytes, limits)?;
        doc_from_raw(raw, 1, limits.max_depth)
    }

    /// Converts a borrowed document, validating it on the way.
    pub fn from_raw(raw: RawDocument<'_>) -> Result<Self, Error> {
        doc_from_raw(raw, 1, Limits::DEFAULT.max_depth)
    }

    /// [`from_slice`](Self::from_slice) under [`DecodeOptions`]: limits,
    /// and whether invalid UTF-8 fails the decode ([`Utf8::Strict`], the
    /// default) or is replaced by U+FFFD ([`Utf8::Lossy`]).
    ///
    /// Lossy decoding first runs the strict decoder, so valid documents
    /// cost exactly what [`from_slice`](Self::from_slice) costs; only when
    /// that fails on UTF-8 is the document decoded again, replacing every
    /// invalid sequence the way [`String::from_utf8_lossy`] does. Every
    /// other check (framing, lengths, terminators, types, booleans,
    /// limits) still fails the decode, with the same error as the strict
    /// decoder.
    ///
    /// ```
    /// use webdyn_files::bson::{Document, ErrorKind, document::{DecodeOptions, Utf8}};
    /// // {"a": "\xE9"}: a Latin-1 byte where UTF-8 is required.
    /// let bytes = b"\x0e\x00\x00\x00\x02a\x00\x02\x00\x00\x00\xe9\x00\x00";
    /// assert_eq!(Document::from_slice(bytes).unwrap_err().kind, ErrorKind::InvalidUtf8);
    /// let opts = DecodeOptions::new().utf8(Utf8::Lossy);
    /// let doc = Document::from_slice_with(bytes, &opts)?;
    /// assert_eq!(doc.get_str("a"), Some("\u{FFFD}"));
    /// # Ok::<(), webdyn_files::bson::Error>(())
    /// ```
    pub fn from_slice_with(bytes: &[u8], options: &DecodeOptions) -> Result<Self, Error> {
        match Self::from_slice_with_limits(bytes, &options.limits) {
            Err(e) if e.kind == ErrorKind::InvalidUtf8 && options.utf8 == Utf8::Lossy => {
                let raw = RawDocument::new_with_limits(bytes, &options.limits)?;
                lossy::doc(raw, 1, options.limits.max_depth)
            }
            done => done,
        }
    }

    /// [`from_slice_with`](Self::from_slice_with), with an error that
    /// also names the element it concerns by its key path (see
    /// [`PathError`]). The decode itself is the same; the path is worked
    /// out only when it fails.
    ///
    /// ```
    /// use webdyn_files::bson::{Document, ErrorKind, document::DecodeOptions};
    /// // {"m": {"T": <bool 2>}}
    /// let bytes = b"\x11\x00\x00\x00\x03m\x00\x09\x00\x00\x00\x08T\x00\x02\x00\x00";
    /// let e = Document::from_slice_with_path(bytes, &DecodeOptions::new()).unwrap_err();
    /// assert_eq!(e.error.kind, ErrorKind::InvalidBool(2));
    /// assert_eq!(e.path, "m.T");
    /// assert_eq!(e.to_string(), "invalid boolean byte 0x02 at byte 14 (in m.T)");
    /// ```
    pub fn from_slice_with_path(bytes: &[u8], options: &DecodeOptions) -> Result<Self, PathError> {
        Self::from_slice_with(bytes, options).map_err(|e| PathError::new(e, bytes))
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets `key` to `value`: replaces the first element named `key` in
    /// place (returning its old value) or appends a new one.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Bson>) -> Option<Bson> {
        let key = key.into();
        let value = value.into();
        if let Some((_, v)) = self
            .entries
            .iter_mut()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
        {
            return Some(core::mem::replace(v, value));
        }
        self.entries.push((Key::from_string(key), value));
        None
    }

    /// Appends an element without looking for an existing `key`: faster,
    /// and keeps duplicate keys as decoded BSON may carry them.
    pub fn push_unchecked(&mut self, key: impl Into<String>, value: impl Into<Bson>) {
        self.entries
            .push((Key::from_string(key.into()), value.into()));
    }

    /// The value of the first element named `key`.
    pub fn get(&self, key: &str) -> Option<&Bson> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// The value of the first element named `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Bson> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// True when an element is named `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Removes the first element named `key`, keeping the others' order.
    pub fn remove(&mut self, key: &str) -> Option<Bson> {
        let i = self
            .entries
            .iter()
            .position(|(k, _)| k.as_bytes() == key.as_bytes())?;
        Some(self.entries.remove(i).1)
    }

    /// The elements in order.
    pub fn iter(&self) -> DocIter<'_> {
        DocIter {
            inner: self.entries.iter(),
        }
    }

    /// Keys as bytes: the encoder needs no UTF-8 re-check.
    fn raw_items(&self) -> impl Iterator<Item = (&[u8], &Bson)> {
        self.entries.iter().map(|(k, v)| (k.as_bytes(), v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// The string `key`, if present with that type.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Bson::as_str)
    }
    /// The int32 `key`, if present with that type.
    pub fn get_i32(&self, key: &str) -> Option<i32> {
        self.get(key).and_then(Bson::as_i32)
    }
    /// The int64 `key`, if present with that type.
    pub fn get_i64(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Bson::as_i64)
    }
    /// The double `key`, if present with that type.
    pub fn get_f64(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Bson::as_f64)
    }
    /// The document `key`, if present with that type.
    pub fn get_document(&self, key: &str) -> Option<&Document> {
        self.get(key).and_then(Bson::as_document)
    }
    /// The array `key`, if present with that type.
    pub fn get_array(&self, key: &str) -> Option<&[Bson]> {
        self.get(key).and_then(Bson::as_array)
    }
    /// The binary `key`, if present with that type.
    pub fn get_binary(&self, key: &str) -> Option<&Binary> {
        self.get(key).and_then(Bson::as_binary)
    }

    /// Encodes the document.
    pub fn to_vec(&self) -> Result<Vec<u8>, Error> {
        // Size first, then write into the exactly sized, zeroed buffer with
        // fixed-size stores (keys copied as whole inline arrays). Anything
        // the fast writer does not take (an error to report: a `0x00` in a
        // key, too deep, too long) goes through the generic writer, which
        // says what and where.
        if let Some(size) = fast::doc_size(self, 1).filter(|&n| n <= i32::MAX as usize) {
            let mut buf = alloc::vec![0u8; size];
            let mut w = fast::Buf {
                buf: &mut buf,
                pos: 0,
            };
            if w.doc(self, 1).is_some() && w.pos == size {
                return Ok(buf);
            }
        }
        let mut buf = Vec::with_capacity(256);
        self.write_to(&mut buf)?;
        Ok(buf)
    }

    /// The encoded size in bytes.
    pub fn encoded_len(&self) -> usize {
        doc_len(self.raw_items())
    }

    /// Encodes the document into any [`Output`] (e.g. a
    /// [`SliceOutput`](super::SliceOutput) over a caller buffer).
    pub fn write_to<O: Output>(&self, out: &mut O) -> Result<(), Error> {
        write_doc(out, self.raw_items(), 1)
    }
}

fn doc_len<'a>(items: impl Iterator<Item = (&'a [u8], &'a Bson)>) -> usize {
    5 + items
        .map(|(k, v)| k.len() + 2 + value_len(v))
        .sum::<usize>()
}

fn value_len(v: &Bson) -> usize {
    match v {
        Bson::Double(_) | Bson::Int64(_) | Bson::DateTime(_) | Bson::Timestamp(_) => 8,
        Bson::Int32(_) => 4,
        Bson::Boolean(_) => 1,
        Bson::Null | Bson::Undefined | Bson::MinKey | Bson::MaxKey => 0,
        Bson::String(s) | Bson::JavaScriptCode(s) | Bson::Symbol(s) => s.len() + 5,
        Bson::Document(d) => doc_len(d.raw_items()),
        Bson::Array(a) => {
            5 + index_keys_len(a.len()) + a.iter().map(|v| 2 + value_len(v)).sum::<usize>()
        }
        Bson::Binary(b) => {
            5 + b.bytes.len()
                + if b.subtype == super::spec::subtype::BINARY_OLD {
                    4
                } else {
                    0
                }
        }
        Bson::ObjectId(_) => 12,
        Bson::Decimal128(_) => 16,
        Bson::RegularExpression(r) => r.pattern.len() + r.options.len() + 2,
        Bson::DbPointer(p) => p.namespace.len() + 5 + 12,
        Bson::JavaScriptCodeWithScope(c) => 4 + c.code.len() + 5 + doc_len(c.scope.raw_items()),
    }
}

/// Total length of the decimal keys `"0"` .. `n - 1` of an `n`-element
/// array, counted per digit width instead of per key.
fn index_keys_len(n: usize) -> usize {
    let mut total = 0;
    let mut width = 1;
    let mut low = 0usize; // first index with `width` digits
    while low < n {
        let high = low.saturating_mul(10).max(10); // first with `width + 1`
        total += (n.min(high) - low) * width;
        low = high;
        width += 1;
    }
    total
}

/// The decimal key of the next array index, bumped in place (carry
/// propagation is almost always one digit) rather than formatted by
/// division for every element.
struct IndexKey {
    buf: [u8; 20],
    start: usize,
}

impl IndexKey {
    fn new() -> Self {
        // "0": the last byte alone.
        Self {
            buf: [b'0'; 20],
            start: 19,
        }
    }

    #[inline]
    fn get(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    #[inline]
    fn bump(&mut self) {
        for i in (0..self.buf.len()).rev() {
            let Some(d) = self.buf.get_mut(i) else { return };
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                self.start = self.start.min(i);
                return;
            }
        }
    }
}

const MAX_WRITE_DEPTH: usize = Limits::DEFAULT.max_depth;

/// The encoder behind [`Document::to_vec`]: an exact sizing pass, then
/// writes into the sized buffer. Every function answers `None` where the
/// generic writer would fail (it is then run to say why).
mod fast {
    use super::{Bson, Document, Key, MAX_WRITE_DEPTH};
    use crate::bson::spec::{ElementType, subtype};

    /// The encoded size; `None` past the depth limit. Sums wrap instead of
    /// checking: a size that cannot be right only makes the writer run out
    /// of room, and the generic writer then runs instead.
    pub(super) fn doc_size(d: &Document, depth: usize) -> Option<usize> {
        if depth > MAX_WRITE_DEPTH {
            return None;
        }
        let mut n = 5usize;
        for (k, v) in &d.entries {
            n = n
                .wrapping_add(k.len() + 2)
                .wrapping_add(value_size(v, depth)?);
        }
        Some(n)
    }

    fn array_size(a: &[Bson], depth: usize) -> Option<usize> {
        if depth > MAX_WRITE_DEPTH {
            return None;
        }
        let mut n = 5usize.wrapping_add(super::index_keys_len(a.len()));
        for v in a {
            n = n.wrapping_add(2).wrapping_add(value_size(v, depth)?);
        }
        Some(n)
    }

    #[inline(always)]
    fn value_size(v: &Bson, depth: usize) -> Option<usize> {
        Some(match v {
            Bson::Double(_) | Bson::Int64(_) | Bson::DateTime(_) | Bson::Timestamp(_) => 8,
            Bson::Int32(_) => 4,
            Bson::Boolean(_) => 1,
            Bson::Null | Bson::Undefined | Bson::MinKey | Bson::MaxKey => 0,
            Bson::String(s) | Bson::JavaScriptCode(s) | Bson::Symbol(s) => s.len().wrapping_add(5),
            Bson::Document(d) => doc_size(d, depth + 1)?,
            Bson::Array(a) => array_size(a, depth + 1)?,
            Bson::Binary(b) => b
                .bytes
                .len()
                .wrapping_add(if b.subtype == subtype::BINARY_OLD {
                    9
                } else {
                    5
                }),
            Bson::ObjectId(_) => 12,
            Bson::Decimal128(_) => 16,
            Bson::RegularExpression(r) => r
                .pattern
                .len()
                .wrapping_add(r.options.len())
                .wrapping_add(2),
            Bson::DbPointer(p) => p.namespace.len().wrapping_add(17),
            Bson::JavaScriptCodeWithScope(c) => c
                .code
                .len()
                .wrapping_add(9)
                .wrapping_add(doc_size(&c.scope, depth + 1)?),
        })
    }

    /// The output buffer and the write position. Bytes at and after `pos`
    /// are zero: copies that run past an element's end (whole inline key
    /// arrays) write only zero padding there.
    pub(super) struct Buf<'b> {
        pub(super) buf: &'b mut [u8],
        pub(super) pos: usize,
    }

    /// A decimal array index, left-aligned over zero padding: written as
    /// one fixed-size copy.
    pub(super) struct Index {
        pub(super) digits: [u8; 24],
        pub(super) len: usize,
    }

    impl Index {
        pub(super) fn new() -> Self {
            let mut digits = [0u8; 24];
            digits[0] = b'0';
            Self { digits, len: 1 }
        }

        #[inline]
        pub(super) fn bump(&mut self) {
            let digits = self.digits.get_mut(..self.len).unwrap_or_default();
            for d in digits.iter_mut().rev() {
                if *d == b'9' {
                    *d = b'0';
                } else {
                    *d += 1;
                    return;
                }
            }
            // 9...9 + 1: one more digit, "10...0".
            if let Some(first) = digits.first_mut() {
                *first = b'1';
            }
            if let Some(last) = self.digits.get_mut(self.len) {
                *last = b'0';
                self.len += 1;
            }
        }
    }

    impl Buf<'_> {
        #[inline(always)]
        fn put<const N: usize>(&mut self, bytes: [u8; N]) -> Option<()> {
            let end = self.pos + N;
            self.buf.get_mut(self.pos..end)?.copy_from_slice(&bytes);
            self.pos = end;
            Some(())
        }

        #[inline(always)]
        fn put_slice(&mut self, bytes: &[u8]) -> Option<()> {
            let end = self.pos + bytes.len();
            self.buf.get_mut(self.pos..end)?.copy_from_slice(bytes);
            self.pos = end;
            Some(())
        }

        /// `tag`, then `len` bytes of `padded` and `0x00`; `padded` is zero
        /// after `len`, so a whole-array copy writes the terminator too.
        #[inline(always)]
        fn head<const N: usize>(
            &mut self,
            tag: ElementType,
            padded: &[u8; N],
            len: usize,
        ) -> Option<()> {
            if let Some(dst) = self.buf.get_mut(self.pos..self.pos + 1 + N) {
                if let Some((t, rest)) = dst.split_first_mut() {
                    *t = tag as u8;
                    rest.copy_from_slice(padded);
                }
                // len < N: the copy wrote the terminator.
                if len < N {
                    self.pos += len + 2;
                    return Some(());
                }
            }
            self.put([tag as u8])?;
            self.put_slice(padded.get(..len)?)?;
            self.put([0])
        }

        #[inline(always)]
        fn key(&mut self, tag: ElementType, k: &Key) -> Option<()> {
            match k {
                Key::Inline { len, bytes } => self.head(tag, bytes, usize::from(*len)),
                Key::Heap(s) => {
                    if s.as_bytes().contains(&0) {
                        return None;
                    }
                    self.put([tag as u8])?;
                    self.put_slice(s.as_bytes())?;
                    self.put([0])
                }
            }
        }

        fn len_at(&mut self, start: usize) -> Option<()> {
            let len = i32::try_from(self.pos - start).ok()?;
            self.buf
                .get_mut(start..start + 4)?
                .copy_from_slice(&len.to_le_bytes());
            Some(())
        }

        pub(super) fn doc(&mut self, d: &Document, depth: usize) -> Option<()> {
            if depth > MAX_WRITE_DEPTH {
                return None;
            }
            let start = self.pos;
            self.put([0; 4])?;
            for (k, v) in &d.entries {
                self.key(v.element_type(), k)?;
                self.value(v, depth)?;
            }
            self.put([0])?;
            self.len_at(start)
        }

        fn array(&mut self, a: &[Bson], depth: usize) -> Option<()> {
            if depth > MAX_WRITE_DEPTH {
                return None;
            }
            let start = self.pos;
            self.put([0; 4])?;
            let mut index = Index::new();
            for v in a {
                self.head(v.element_type(), &index.digits, index.len)?;
                self.value(v, depth)?;
                index.bump();
            }
            self.put([0])?;
            self.len_at(start)
        }

        #[inline(always)]
        fn string(&mut self, s: &str) -> Option<()> {
            let len = i32::try_from(s.len() + 1).ok()?;
            self.put(len.to_le_bytes())?;
            self.put_slice(s.as_bytes())?;
            self.put([0])
        }

        fn cstr(&mut self, s: &str) -> Option<()> {
            if s.as_bytes().contains(&0) {
                return None;
            }
            self.put_slice(s.as_bytes())?;
            self.put([0])
        }

        /// The common values written in the caller's loop, the others
        /// (nested ones included) through a call.
        #[inline(always)]
        fn value(&mut self, v: &Bson, depth: usize) -> Option<()> {
            match v {
                Bson::Double(x) => self.put(x.to_le_bytes()),
                Bson::Int64(i) => self.put(i.to_le_bytes()),
                Bson::Int32(i) => self.put(i.to_le_bytes()),
                Bson::Boolean(b) => self.put([u8::from(*b)]),
                Bson::String(s) => self.string(s),
                Bson::Binary(b) if b.subtype != subtype::BINARY_OLD => {
                    self.put(i32::try_from(b.bytes.len()).ok()?.to_le_bytes())?;
                    self.put([b.subtype])?;
                    self.put_slice(&b.bytes)
                }
                _ => self.other(v, depth),
            }
        }

        #[inline(never)]
        fn other(&mut self, v: &Bson, depth: usize) -> Option<()> {
            match v {
                Bson::Double(x) => self.put(x.to_le_bytes()),
                Bson::Int64(i) => self.put(i.to_le_bytes()),
                Bson::Int32(i) => self.put(i.to_le_bytes()),
                Bson::DateTime(d) => self.put(d.0.to_le_bytes()),
                Bson::Boolean(b) => self.put([u8::from(*b)]),
                Bson::String(s) | Bson::JavaScriptCode(s) | Bson::Symbol(s) => self.string(s),
                Bson::Document(d) => self.doc(d, depth + 1),
                Bson::Array(a) => self.array(a, depth + 1),
                Bson::Binary(b) => {
                    let len = i32::try_from(b.bytes.len()).ok()?;
                    if b.subtype == subtype::BINARY_OLD {
                        self.put(len.checked_add(4)?.to_le_bytes())?;
                        self.put([b.subtype])?;
                        self.put(len.to_le_bytes())?;
                    } else {
                        self.put(len.to_le_bytes())?;
                        self.put([b.subtype])?;
                    }
                    self.put_slice(&b.bytes)
                }
                Bson::Null | Bson::Undefined | Bson::MinKey | Bson::MaxKey => Some(()),
                Bson::ObjectId(o) => self.put(o.0),
                Bson::Decimal128(d) => self.put(d.bytes()),
                Bson::Timestamp(t) => {
                    self.put(t.increment.to_le_bytes())?;
                    self.put(t.time.to_le_bytes())
                }
                Bson::RegularExpression(r) => {
                    self.cstr(&r.pattern)?;
                    self.cstr(&r.options)
                }
                Bson::DbPointer(p) => {
                    self.string(&p.namespace)?;
                    self.put(p.id.0)
                }
                Bson::JavaScriptCodeWithScope(c) => {
                    let start = self.pos;
                    self.put([0; 4])?;
                    self.string(&c.code)?;
                    self.doc(&c.scope, depth + 1)?;
                    self.len_at(start)
                }
            }
        }
    }
}

fn reserve(out: &mut impl Output, n: usize) -> Result<(), Error> {
    if out.reserve(n) {
        Ok(())
    } else {
        Err(super::writer::too_small(out, n))
    }
}

fn write_doc<'a, O: Output>(
    out: &mut O,
    items: impl Iterator<Item = (&'a [u8], &'a Bson)>,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_WRITE_DEPTH {
        return Err(Error::new(ErrorKind::TooDeep(MAX_WRITE_DEPTH), out.len()));
    }
    let start = out.len();
    reserve(out, 4)?;
    out.put(&[0; 4]);
    for (k, v) in items {
        if k.contains(&0) {
            return Err(Error::new(ErrorKind::InteriorNul("key"), out.len()));
        }
        write_element(out, k, v, depth)?;
    }
    reserve(out, 1)?;
    out.put(&[0]);
    let len = i32::try_from(out.len() - start)
        .map_err(|_| Error::new(ErrorKind::Length((out.len() - start) as i64), start))?;
    out.patch(start, &len.to_le_bytes());
    Ok(())
}

fn write_array<O: Output>(out: &mut O, items: &[Bson], depth: usize) -> Result<(), Error> {
    if depth > MAX_WRITE_DEPTH {
        return Err(Error::new(ErrorKind::TooDeep(MAX_WRITE_DEPTH), out.len()));
    }
    let start = out.len();
    reserve(out, 4)?;
    out.put(&[0; 4]);
    let mut key = IndexKey::new();
    for v in items {
        write_element(out, key.get(), v, depth)?;
        key.bump();
    }
    reserve(out, 1)?;
    out.put(&[0]);
    let len = i32::try_from(out.len() - start)
        .map_err(|_| Error::new(ErrorKind::Length((out.len() - start) as i64), start))?;
    out.patch(start, &len.to_le_bytes());
    Ok(())
}

/// Writes one element; `key` was checked for `0x00` by the caller.
#[inline]
fn write_element<O: Output>(out: &mut O, key: &[u8], v: &Bson, depth: usize) -> Result<(), Error> {
    use super::writer::header_bytes as header;
    let tag = v.element_type();
    match v {
        Bson::Document(d) => {
            header(out, tag, key, 0)?;
            write_doc(out, d.raw_items(), depth + 1)
        }
        Bson::Array(a) => {
            header(out, tag, key, 0)?;
            write_array(out, a, depth + 1)
        }
        Bson::JavaScriptCodeWithScope(c) => {
            header(out, tag, key, 4 + c.code.len() + 5)?;
            let start = out.len();
            out.put(&[0; 4]);
            put_string(out, &c.code);
            write_doc(out, c.scope.raw_items(), depth + 1)?;
            let len = (out.len() - start) as i32;
            out.patch(start, &len.to_le_bytes());
            Ok(())
        }
        Bson::Double(x) => {
            header(out, tag, key, 8)?;
            out.put(&x.to_le_bytes());
            Ok(())
        }
        Bson::String(s) | Bson::JavaScriptCode(s) | Bson::Symbol(s) => {
            header(out, tag, key, s.len() + 5)?;
            put_string(out, s);
            Ok(())
        }
        Bson::Int32(i) => {
            header(out, tag, key, 4)?;
            out.put(&i.to_le_bytes());
            Ok(())
        }
        Bson::Int64(i) => {
            header(out, tag, key, 8)?;
            out.put(&i.to_le_bytes());
            Ok(())
        }
        Bson::Binary(b) => {
            let old = if b.subtype == super::spec::subtype::BINARY_OLD {
                4
            } else {
                0
            };
            header(out, tag, key, b.bytes.len() + 5 + old)?;
            put_binary(out, b.subtype, &b.bytes);
            Ok(())
        }
        Bson::Boolean(b) => {
            header(out, tag, key, 1)?;
            out.put(&[u8::from(*b)]);
            Ok(())
        }
        other => {
            let raw = match other {
                Bson::Null => RawBson::Null,
                Bson::Undefined => RawBson::Undefined,
                Bson::MinKey => RawBson::MinKey,
                Bson::MaxKey => RawBson::MaxKey,
                Bson::ObjectId(o) => RawBson::ObjectId(*o),
                Bson::DateTime(d) => RawBson::DateTime(*d),
                Bson::Timestamp(t) => RawBson::Timestamp(*t),
                Bson::Decimal128(d) => RawBson::Decimal128(*d),
                Bson::RegularExpression(r) => RawBson::RegularExpression(super::raw::RawRegex {
                    pattern: &r.pattern,
                    options: &r.options,
                }),
                Bson::DbPointer(p) => RawBson::DbPointer(super::raw::RawDbPointer {
                    namespace: &p.namespace,
                    id: p.id,
                }),
                _ => RawBson::Null,
            };
            let len = super::writer::check_value(&raw, out.len())?;
            header(out, tag, key, len)?;
            super::writer::put_value(out, &raw);
            Ok(())
        }
    }
}

impl<'a> IntoIterator for &'a Document {
    type Item = (&'a str, &'a Bson);
    type IntoIter = DocIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Document {
    type Item = (String, Bson);
    type IntoIter = DocIntoIter;
    fn into_iter(self) -> Self::IntoIter {
        DocIntoIter {
            inner: self.entries.into_iter(),
        }
    }
}

impl<K: Into<String>, V: Into<Bson>> FromIterator<(K, V)> for Document {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut d = Document::new();
        for (k, v) in iter {
            d.insert(k, v);
        }
        d
    }
}

macro_rules! from_impls {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl From<$t> for Bson {
            fn from(v: $t) -> Self {
                Bson::$variant(v)
            }
        }
    )*};
}

from_impls! {
    f64 => Double,
    String => String,
    Document => Document,
    bool => Boolean,
    i32 => Int32,
    i64 => Int64,
    Regex => RegularExpression,
    JavaScriptCodeWithScope => JavaScriptCodeWithScope,
    Timestamp => Timestamp,
    Binary => Binary,
    ObjectId => ObjectId,
    DateTime => DateTime,
    Decimal128 => Decimal128,
    DbPointer => DbPointer,
}

impl From<&str> for Bson {
    fn from(v: &str) -> Self {
        Bson::String(v.to_owned())
    }
}

impl From<&String> for Bson {
    fn from(v: &String) -> Self {
        Bson::String(v.clone())
    }
}

impl From<f32> for Bson {
    fn from(v: f32) -> Self {
        Bson::Double(v.into())
    }
}

impl From<u8> for Bson {
    fn from(v: u8) -> Self {
        Bson::Int32(v.into())
    }
}

impl From<u16> for Bson {
    fn from(v: u16) -> Self {
        Bson::Int32(v.into())
    }
}

impl From<u32> for Bson {
    fn from(v: u32) -> Self {
        Bson::Int64(v.into())
    }
}

impl<T: Into<Bson>> From<Vec<T>> for Bson {
    fn from(v: Vec<T>) -> Self {
        Bson::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Bson>> From<Option<T>> for Bson {
    fn from(v: Option<T>) -> Self {
        v.map_or(Bson::Null, Into::into)
    }
}

impl From<&[u8]> for Bson {
    /// A generic (subtype 0) binary.
    fn from(v: &[u8]) -> Self {
        Bson::Binary(Binary {
            subtype: 0,
            bytes: v.to_vec(),
        })
    }
}

impl TryFrom<RawDocument<'_>> for Document {
    type Error = Error;
    fn try_from(raw: RawDocument<'_>) -> Result<Self, Error> {
        Document::from_raw(raw)
    }
}

/// Builds a [`Document`]: `doc! { "key": value, "sub": { ... }, "list": [ ... ] }`.
///
/// Values are any expression convertible into [`Bson`], `null`, or nested
/// `{ ... }` / `[ ... ]` literals.
#[macro_export]
macro_rules! doc {
    (@acc $d:ident) => {};
    (@acc $d:ident $key:tt : { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $d.insert($key, $crate::bson::Bson::Document($crate::doc! { $($inner)* }));
        $crate::doc!(@acc $d $($($rest)*)?);
    };
    (@acc $d:ident $key:tt : [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $d.insert($key, $crate::bson_value!([ $($inner)* ]));
        $crate::doc!(@acc $d $($($rest)*)?);
    };
    (@acc $d:ident $key:tt : null $(, $($rest:tt)*)?) => {
        $d.insert($key, $crate::bson::Bson::Null);
        $crate::doc!(@acc $d $($($rest)*)?);
    };
    (@acc $d:ident $key:tt : $value:expr $(, $($rest:tt)*)?) => {
        $d.insert($key, $crate::bson::Bson::from($value));
        $crate::doc!(@acc $d $($($rest)*)?);
    };
    ($($t:tt)*) => {{
        #[allow(unused_mut)]
        let mut d = $crate::bson::Document::new();
        $crate::doc!(@acc d $($t)*);
        d
    }};
}

/// Builds a [`Bson`] value: `bson_value!([1, "two", { "three": 3.0 }])`, `bson_value!(null)`,
/// `bson_value!({ "a": 1 })` or `bson_value!(expr)`.
#[macro_export]
macro_rules! bson_value {
    (@arr $v:ident) => {};
    (@arr $v:ident { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $v.push($crate::bson::Bson::Document($crate::doc! { $($inner)* }));
        $crate::bson_value!(@arr $v $($($rest)*)?);
    };
    (@arr $v:ident [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $v.push($crate::bson_value!([ $($inner)* ]));
        $crate::bson_value!(@arr $v $($($rest)*)?);
    };
    (@arr $v:ident null $(, $($rest:tt)*)?) => {
        $v.push($crate::bson::Bson::Null);
        $crate::bson_value!(@arr $v $($($rest)*)?);
    };
    (@arr $v:ident $value:expr $(, $($rest:tt)*)?) => {
        $v.push($crate::bson::Bson::from($value));
        $crate::bson_value!(@arr $v $($($rest)*)?);
    };
    (null) => { $crate::bson::Bson::Null };
    ([ $($t:tt)* ]) => {{
        #[allow(unused_mut)]
        let mut v = $crate::bson::__Vec::new();
        $crate::bson_value!(@arr v $($t)*);
        $crate::bson::Bson::Array(v)
    }};
    ({ $($t:tt)* }) => { $crate::bson::Bson::Document($crate::doc! { $($t)* }) };
    ($e:expr) => { $crate::bson::Bson::from($e) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_index_keys_count_up_in_decimal() {
        let mut key = IndexKey::new();
        let mut total = 0;
        for i in 0..12_345usize {
            assert_eq!(key.get(), alloc::format!("{i}").as_bytes());
            total += key.get().len();
            key.bump();
            // 0..=9 one digit, 10..=99 two, 100..=999 three, then four
            // and five digits.
            assert_eq!(index_keys_len(i + 1), total);
        }
        assert_eq!(index_keys_len(0), 0);
        assert_eq!(index_keys_len(1000), 10 + 90 * 2 + 900 * 3);
    }

    #[test]
    fn fast_encoder_index_keys_and_fallbacks() {
        let mut index = fast::Index::new();
        for i in 0..12_345usize {
            let len = index.len;
            assert_eq!(&index.digits[..len], alloc::format!("{i}").as_bytes());
            assert!(index.digits[len..].iter().all(|&b| b == 0));
            index.bump();
        }
        // Long arrays, 22-byte keys (no room for the terminator in the
        // inline copy), a key with 0x00 (reported by the generic writer).
        let long: Vec<Bson> = (0..1234).map(Bson::Int32).collect();
        let mut d = crate::doc! { "a": long.clone() };
        d.insert("k".repeat(22), "x");
        d.insert("k".repeat(23), 1.5);
        let bytes = d.to_vec().unwrap();
        let mut generic = Vec::new();
        d.write_to(&mut generic).unwrap();
        assert_eq!(bytes, generic);
        assert_eq!(Document::from_slice(&bytes).unwrap(), d);
        d.insert("bad\0key", 1);
        d.insert("\0", 1);
        let e = d.to_vec().unwrap_err();
        assert_eq!(e.kind, ErrorKind::InteriorNul("key"));
        assert_eq!(e, d.write_to(&mut Vec::new()).unwrap_err());
    }

    #[test]
    fn macro_builds_ordered_documents() {
        let d = crate::doc! { "b": 1, "a": "x", "n": null, "arr": [1, -2i64, { "z": true }], "s": { "k": 2.5 } };
        let keys: Vec<_> = d.keys().collect();
        assert_eq!(keys, ["b", "a", "n", "arr", "s"]);
        assert_eq!(
            d.get("arr"),
            Some(&Bson::Array(vec![
                Bson::Int32(1),
                Bson::Int64(-2),
                Bson::Document(crate::doc! { "z": true })
            ]))
        );
        // {"b": 1} encodes as in the BSON spec: 0c000000 10 6200 01000000 00
        let one = crate::doc! { "b": 1 };
        assert_eq!(
            one.to_vec().unwrap(),
            b"\x0c\x00\x00\x00\x10b\x00\x01\x00\x00\x00\x00"
        );
        let back = Document::from_slice(&d.to_vec().unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
