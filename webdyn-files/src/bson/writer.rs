//! The writer: builds BSON documents into a caller's buffer (`&mut [u8]`,
//! or a `Vec<u8>` with `alloc`), back-patching every length prefix when its
//! document closes.
//!
//! Each append is atomic: when the buffer cannot hold the whole element the
//! call fails with [`ErrorKind::BufferTooSmall`] and writes nothing, so the
//! caller may flush, grow or give up cleanly.

use super::decimal128::Decimal128;
use super::error::{Error, ErrorKind};
use super::raw::{
    DateTime, ObjectId, RawArray, RawBinary, RawBson, RawCodeWithScope, RawDocument, Timestamp,
};
use super::spec::{ElementType, subtype};

/// Where a writer puts its bytes.
pub trait Output {
    /// Bytes written so far.
    fn len(&self) -> usize;
    /// True when nothing was written.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Makes room for `additional` more bytes; false if impossible.
    fn reserve(&mut self, additional: usize) -> bool;
    /// Appends bytes (room was reserved before).
    fn put(&mut self, bytes: &[u8]);
    /// Overwrites already written bytes at `at`.
    fn patch(&mut self, at: usize, bytes: &[u8]);
    /// The bytes written so far.
    fn written(&self) -> &[u8];
}

/// A fixed caller buffer as [`Output`].
#[derive(Debug)]
pub struct SliceOutput<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> SliceOutput<'b> {
    /// Writes into `buf` from its start.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self { buf, len: 0 }
    }
    /// The written prefix of the buffer, with the buffer's lifetime.
    pub fn into_written(self) -> &'b [u8] {
        let len = self.len;
        let buf: &'b [u8] = self.buf;
        buf.get(..len).unwrap_or_default()
    }
}

impl Output for SliceOutput<'_> {
    #[inline(always)]
    fn len(&self) -> usize {
        self.len
    }
    #[inline(always)]
    fn reserve(&mut self, additional: usize) -> bool {
        self.len
            .checked_add(additional)
            .is_some_and(|n| n <= self.buf.len())
    }
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.buf.get_mut(self.len..self.len + bytes.len()) {
            dst.copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }
    #[inline(always)]
    fn patch(&mut self, at: usize, bytes: &[u8]) {
        if let Some(dst) = self.buf.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }
    fn written(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

#[cfg(feature = "alloc")]
impl Output for alloc::vec::Vec<u8> {
    #[inline(always)]
    fn len(&self) -> usize {
        alloc::vec::Vec::len(self)
    }
    #[inline(always)]
    fn reserve(&mut self, additional: usize) -> bool {
        alloc::vec::Vec::reserve(self, additional);
        true
    }
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        // Small pieces dominate: push bytes rather than call memmove.
        if bytes.len() <= 8 {
            for &b in bytes {
                self.push(b);
            }
        } else {
            self.extend_from_slice(bytes);
        }
    }
    fn patch(&mut self, at: usize, bytes: &[u8]) {
        if let Some(dst) = self.get_mut(at..at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }
    fn written(&self) -> &[u8] {
        self
    }
}

/// Deepest nesting a [`DocWriter`] tracks (it keeps its stack inline).
pub const MAX_WRITER_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    start: usize,
    /// Next array index, or `u32::MAX` for a document.
    next_index: u32,
}

const DOCUMENT: u32 = u32::MAX;

/// A BSON document writer over any [`Output`]; see [`Writer`] (caller
/// buffer) and, with `alloc`, [`VecWriter`].
///
/// Inside an array the `key` argument of the append methods is ignored: the
/// writer writes the element's index (`"0"`, `"1"`, ...). Pass `""`.
#[derive(Debug)]
pub struct DocWriter<O: Output> {
    out: O,
    stack: [Frame; MAX_WRITER_DEPTH],
    depth: usize,
}

/// A writer into a caller's `&mut [u8]`.
///
/// ```
/// use webdyn_files::bson::{RawDocument, Writer};
/// let mut buf = [0u8; 64];
/// let mut w = Writer::new(&mut buf);
/// w.start_document()?;
/// w.append_str("hello", "world")?;
/// w.start_array("list")?;
/// w.append_i32("", 7)?;
/// w.end_array()?;
/// w.end_document()?;
/// let bytes = w.into_bytes()?;
/// let doc = RawDocument::parse(bytes)?;
/// assert_eq!(doc.get_str("hello")?, Some("world"));
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
pub type Writer<'b> = DocWriter<SliceOutput<'b>>;

/// A writer into a growing `Vec<u8>`.
#[cfg(feature = "alloc")]
pub type VecWriter = DocWriter<alloc::vec::Vec<u8>>;

impl<'b> DocWriter<SliceOutput<'b>> {
    /// A writer filling `buf` from its start.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self::with_output(SliceOutput::new(buf))
    }

    /// The complete document(s) written, borrowing the caller's buffer.
    /// Fails if a document is still open.
    pub fn into_bytes(self) -> Result<&'b [u8], Error> {
        self.check_closed()?;
        Ok(self.out.into_written())
    }
}

#[cfg(feature = "alloc")]
impl DocWriter<alloc::vec::Vec<u8>> {
    /// A writer into a new vector.
    pub fn new() -> Self {
        Self::with_output(alloc::vec::Vec::new())
    }

    /// The complete document(s) written. Fails if a document is still open.
    pub fn into_vec(self) -> Result<alloc::vec::Vec<u8>, Error> {
        self.check_closed()?;
        Ok(self.out)
    }
}

#[cfg(feature = "alloc")]
impl Default for DocWriter<alloc::vec::Vec<u8>> {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) fn too_small(out: &impl Output, needed: usize) -> Error {
    Error::new(ErrorKind::BufferTooSmall { needed }, out.len())
}

pub(crate) fn check_cstr(s: &str, what: &'static str, at: usize) -> Result<(), Error> {
    if s.as_bytes().contains(&0) {
        Err(Error::new(ErrorKind::InteriorNul(what), at))
    } else {
        Ok(())
    }
}

/// Writes `tag key\0` after reserving room for it and `value_len` bytes.
#[inline(always)]
pub(crate) fn header<O: Output>(
    out: &mut O,
    tag: ElementType,
    key: &str,
    value_len: usize,
) -> Result<(), Error> {
    check_cstr(key, "key", out.len())?;
    header_bytes(out, tag, key.as_bytes(), value_len)
}

/// [`header`] for a key known to hold no `0x00` (e.g. an array index).
#[inline(always)]
pub(crate) fn header_bytes<O: Output>(
    out: &mut O,
    tag: ElementType,
    key: &[u8],
    value_len: usize,
) -> Result<(), Error> {
    let needed = key.len() + 2 + value_len;
    if !out.reserve(needed) {
        return Err(too_small(out, needed));
    }
    out.put(&[tag as u8]);
    out.put(key);
    out.put(&[0]);
    Ok(())
}

#[inline(always)]
pub(crate) fn put_string<O: Output>(out: &mut O, s: &str) {
    put_text(out, s.as_bytes());
}

/// A string value's bytes: length (text and `0x00`), text, `0x00`.
#[inline(always)]
pub(crate) fn put_text<O: Output>(out: &mut O, text: &[u8]) {
    out.put(&((text.len() + 1) as i32).to_le_bytes());
    out.put(text);
    out.put(&[0]);
}

pub(crate) fn string_len(s: &str) -> Result<usize, Error> {
    if s.len() >= i32::MAX as usize {
        return Err(Error::new(ErrorKind::Length(s.len() as i64), 0));
    }
    Ok(s.len() + 5)
}

/// The encoded size of a value (without tag and key).
pub(crate) fn value_len(v: &RawBson<'_>) -> usize {
    match v {
        RawBson::Double(_) | RawBson::DateTime(_) | RawBson::Int64(_) | RawBson::Timestamp(_) => 8,
        RawBson::String(s) | RawBson::JavaScriptCode(s) | RawBson::Symbol(s) => s.len() + 5,
        RawBson::Document(d) => d.as_bytes().len(),
        RawBson::Array(a) => a.as_bytes().len(),
        RawBson::Binary(b) => {
            5 + b.bytes.len()
                + if b.subtype == subtype::BINARY_OLD {
                    4
                } else {
                    0
                }
        }
        RawBson::Undefined | RawBson::Null | RawBson::MinKey | RawBson::MaxKey => 0,
        RawBson::ObjectId(_) => 12,
        RawBson::Boolean(_) => 1,
        RawBson::RegularExpression(r) => r.pattern.len() + r.options.len() + 2,
        RawBson::DbPointer(p) => p.namespace.len() + 5 + 12,
        RawBson::JavaScriptCodeWithScope(c) => 4 + c.code.len() + 5 + c.scope.as_bytes().len(),
        RawBson::Int32(_) => 4,
        RawBson::Decimal128(_) => 16,
    }
}

/// Writes a value's bytes (room reserved before).
pub(crate) fn put_value<O: Output>(out: &mut O, v: &RawBson<'_>) {
    match v {
        RawBson::Double(x) => out.put(&x.to_le_bytes()),
        RawBson::String(s) | RawBson::JavaScriptCode(s) | RawBson::Symbol(s) => {
            put_text(out, s.as_bytes())
        }
        RawBson::Document(d) => out.put(d.as_bytes()),
        RawBson::Array(a) => out.put(a.as_bytes()),
        RawBson::Binary(b) => put_binary(out, b.subtype, b.bytes),
        RawBson::Undefined | RawBson::Null | RawBson::MinKey | RawBson::MaxKey => {}
        RawBson::ObjectId(o) => out.put(&o.0),
        RawBson::Boolean(b) => out.put(&[u8::from(*b)]),
        RawBson::DateTime(d) => out.put(&d.0.to_le_bytes()),
        RawBson::RegularExpression(r) => {
            out.put(r.pattern.as_bytes());
            out.put(&[0]);
            out.put(r.options.as_bytes());
            out.put(&[0]);
        }
        RawBson::DbPointer(p) => {
            put_string(out, p.namespace);
            out.put(&p.id.0);
        }
        RawBson::JavaScriptCodeWithScope(c) => {
            let total = 4 + c.code.len() + 5 + c.scope.as_bytes().len();
            out.put(&(total as i32).to_le_bytes());
            put_string(out, c.code);
            out.put(c.scope.as_bytes());
        }
        RawBson::Int32(i) => out.put(&i.to_le_bytes()),
        RawBson::Timestamp(t) => {
            out.put(&t.increment.to_le_bytes());
            out.put(&t.time.to_le_bytes());
        }
        RawBson::Int64(i) => out.put(&i.to_le_bytes()),
        RawBson::Decimal128(d) => out.put(&d.bytes()),
    }
}

#[inline(always)]
pub(crate) fn put_binary<O: Output>(out: &mut O, st: u8, bytes: &[u8]) {
    if st == subtype::BINARY_OLD {
        out.put(&((bytes.len() + 4) as i32).to_le_bytes());
        out.put(&[st]);
        out.put(&(bytes.len() as i32).to_le_bytes());
    } else {
        out.put(&(bytes.len() as i32).to_le_bytes());
        out.put(&[st]);
    }
    out.put(bytes);
}

/// Checks what the wire format cannot hold (lengths past `i32::MAX`,
/// `0x00` inside C strings).
pub(crate) fn check_value(v: &RawBson<'_>, at: usize) -> Result<usize, Error> {
    let len = value_len(v);
    if len > i32::MAX as usize - 64 {
        return Err(Error::new(ErrorKind::Length(len as i64), at));
    }
    if let RawBson::RegularExpression(r) = v {
        check_cstr(r.pattern, "regular expression pattern", at)?;
        check_cstr(r.options, "regular expression options", at)?;
    }
    Ok(len)
}

impl<O: Output> DocWriter<O> {
    /// A writer over any output.
    pub fn with_output(out: O) -> Self {
        Self {
            out,
            stack: [Frame::default(); MAX_WRITER_DEPTH],
            depth: 0,
        }
    }

    /// Bytes written so far (open documents have placeholder lengths).
    pub fn written(&self) -> &[u8] {
        self.out.written()
    }

    /// How many documents and arrays are open.
    pub const fn depth(&self) -> usize {
        self.depth
    }

    /// The output, whatever state the documents are in.
    pub fn into_output(self) -> O {
        self.out
    }

    fn check_closed(&self) -> Result<(), Error> {
        if self.depth == 0 {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::WriterState("a document is still open"),
                self.out.len(),
            ))
        }
    }

    fn push(&mut self, start: usize, next_index: u32) -> Result<(), Error> {
        let Some(slot) = self.stack.get_mut(self.depth) else {
            return Err(Error::new(
                ErrorKind::TooDeep(MAX_WRITER_DEPTH),
                self.out.len(),
            ));
        };
        *slot = Frame { start, next_index };
        self.depth += 1;
        Ok(())
    }

    /// Starts a top-level document. Several may be written one after the
    /// other (a BSON stream).
    pub fn start_document(&mut self) -> Result<(), Error> {
        if self.depth != 0 {
            return Err(Error::new(
                ErrorKind::WriterState("start_document inside a document (use start_subdocument)"),
                self.out.len(),
            ));
        }
        if !self.out.reserve(4) {
            return Err(too_small(&self.out, 4));
        }
        let start = self.out.len();
        self.out.put(&[0; 4]);
        self.push(start, DOCUMENT)
    }

    /// Writes `tag key\0`, resolving array indices; reserves `value_len`.
    #[inline]
    fn element(&mut self, tag: ElementType, key: &str, value_len: usize) -> Result<(), Error> {
        let Some(top) = self
            .depth
            .checked_sub(1)
            .and_then(|d| self.stack.get_mut(d))
        else {
            return Err(Error::new(
                ErrorKind::WriterState("no open document"),
                self.out.len(),
            ));
        };
        if top.next_index == DOCUMENT {
            header(&mut self.out, tag, key, value_len)
        } else {
            let mut buf = itoa_buf::Buf::new();
            let i = top.next_index;
            header_bytes(&mut self.out, tag, buf.format_bytes(i as usize), value_len)?;
            top.next_index = i + 1;
            Ok(())
        }
    }

    fn open(&mut self, key: &str, ty: ElementType, next_index: u32) -> Result<(), Error> {
        if self.depth >= MAX_WRITER_DEPTH {
            return Err(Error::new(
                ErrorKind::TooDeep(MAX_WRITER_DEPTH),
                self.out.len(),
            ));
        }
        self.element(ty, key, 4)?;
        let start = self.out.len();
        self.out.put(&[0; 4]);
        self.push(start, next_index)
    }

    /// Starts an embedded document under `key`.
    pub fn start_subdocument(&mut self, key: &str) -> Result<(), Error> {
        self.open(key, ElementType::Document, DOCUMENT)
    }

    /// Starts an array under `key`; its elements get keys `"0"`, `"1"`, ...
    pub fn start_array(&mut self, key: &str) -> Result<(), Error> {
        self.open(key, ElementType::Array, 0)
    }

    fn close(&mut self, array: bool) -> Result<(), Error> {
        let Some(top) = self
            .depth
            .checked_sub(1)
            .and_then(|d| self.stack.get(d))
            .copied()
        else {
            return Err(Error::new(
                ErrorKind::WriterState("nothing to close"),
                self.out.len(),
            ));
        };
        if (top.next_index != DOCUMENT) != array {
            return Err(Error::new(
                ErrorKind::WriterState(if array {
                    "end_array closes a document"
                } else {
                    "end_document closes an array"
                }),
                self.out.len(),
            ));
        }
        if !self.out.reserve(1) {
            return Err(too_small(&self.out, 1));
        }
        self.out.put(&[0]);
        let len = self.out.len() - top.start;
        let Ok(len) = i32::try_from(len) else {
            return Err(Error::new(
                ErrorKind::TooLarge {
                    size: len,
                    limit: i32::MAX as usize,
                },
                top.start,
            ));
        };
        self.out.patch(top.start, &len.to_le_bytes());
        self.depth -= 1;
        Ok(())
    }

    /// Closes the innermost document (embedded or top-level), writing its
    /// length.
    pub fn end_document(&mut self) -> Result<(), Error> {
        self.close(false)
    }

    /// Closes the innermost array, writing its length.
    pub fn end_array(&mut self) -> Result<(), Error> {
        self.close(true)
    }

    /// Appends any value (documents and arrays are copied as they are).
    pub fn append(&mut self, key: &str, value: RawBson<'_>) -> Result<(), Error> {
        let len = check_value(&value, self.out.len())?;
        self.element(value.element_type(), key, len)?;
        put_value(&mut self.out, &value);
        Ok(())
    }

    /// Appends a double.
    pub fn append_f64(&mut self, key: &str, v: f64) -> Result<(), Error> {
        self.element(ElementType::Double, key, 8)?;
        self.out.put(&v.to_le_bytes());
        Ok(())
    }

    /// Appends a string.
    pub fn append_str(&mut self, key: &str, v: &str) -> Result<(), Error> {
        let len = string_len(v)?;
        self.element(ElementType::String, key, len)?;
        put_string(&mut self.out, v);
        Ok(())
    }

    /// Appends a binary of `subtype` (see [`spec::subtype`](super::spec::subtype)).
    pub fn append_binary(&mut self, key: &str, subtype: u8, bytes: &[u8]) -> Result<(), Error> {
        self.append(key, RawBson::Binary(RawBinary { subtype, bytes }))
    }

    /// Appends an int32.
    pub fn append_i32(&mut self, key: &str, v: i32) -> Result<(), Error> {
        self.element(ElementType::Int32, key, 4)?;
        self.out.put(&v.to_le_bytes());
        Ok(())
    }

    /// Appends an int64.
    pub fn append_i64(&mut self, key: &str, v: i64) -> Result<(), Error> {
        self.element(ElementType::Int64, key, 8)?;
        self.out.put(&v.to_le_bytes());
        Ok(())
    }

    /// Appends a boolean.
    pub fn append_bool(&mut self, key: &str, v: bool) -> Result<(), Error> {
        self.append(key, RawBson::Boolean(v))
    }

    /// Appends null.
    pub fn append_null(&mut self, key: &str) -> Result<(), Error> {
        self.append(key, RawBson::Null)
    }

    /// Appends undefined (deprecated type).
    pub fn append_undefined(&mut self, key: &str) -> Result<(), Error> {
        self.append(key, RawBson::Undefined)
    }

    /// Appends an ObjectId.
    pub fn append_object_id(&mut self, key: &str, v: ObjectId) -> Result<(), Error> {
        self.append(key, RawBson::ObjectId(v))
    }

    /// Appends a UTC datetime.
    pub fn append_datetime(&mut self, key: &str, v: DateTime) -> Result<(), Error> {
        self.append(key, RawBson::DateTime(v))
    }

    /// Appends a regular expression (options are written as given).
    pub fn append_regex(&mut self, key: &str, pattern: &str, options: &str) -> Result<(), Error> {
        self.append(
            key,
            RawBson::RegularExpression(super::raw::RawRegex { pattern, options }),
        )
    }

    /// Appends a DBPointer (deprecated type).
    pub fn append_db_pointer(
        &mut self,
        key: &str,
        namespace: &str,
        id: ObjectId,
    ) -> Result<(), Error> {
        self.append(
            key,
            RawBson::DbPointer(super::raw::RawDbPointer { namespace, id }),
        )
    }

    /// Appends JavaScript code.
    pub fn append_javascript(&mut self, key: &str, code: &str) -> Result<(), Error> {
        self.append(key, RawBson::JavaScriptCode(code.into()))
    }

    /// Appends a symbol (deprecated type).
    pub fn append_symbol(&mut self, key: &str, v: &str) -> Result<(), Error> {
        self.append(key, RawBson::Symbol(v.into()))
    }

    /// Appends JavaScript code with a scope document (deprecated type).
    pub fn append_code_with_scope(
        &mut self,
        key: &str,
        code: &str,
        scope: RawDocument<'_>,
    ) -> Result<(), Error> {
        self.append(
            key,
            RawBson::JavaScriptCodeWithScope(RawCodeWithScope { code, scope }),
        )
    }

    /// Appends a timestamp.
    pub fn append_timestamp(&mut self, key: &str, v: Timestamp) -> Result<(), Error> {
        self.append(key, RawBson::Timestamp(v))
    }

    /// Appends a decimal128.
    pub fn append_decimal128(&mut self, key: &str, v: Decimal128) -> Result<(), Error> {
        self.append(key, RawBson::Decimal128(v))
    }

    /// Appends min key.
    pub fn append_min_key(&mut self, key: &str) -> Result<(), Error> {
        self.append(key, RawBson::MinKey)
    }

    /// Appends max key.
    pub fn append_max_key(&mut self, key: &str) -> Result<(), Error> {
        self.append(key, RawBson::MaxKey)
    }

    /// Appends a copy of an existing document.
    pub fn append_document(&mut self, key: &str, doc: RawDocument<'_>) -> Result<(), Error> {
        self.append(key, RawBson::Document(doc))
    }

    /// Appends a copy of an existing array.
    pub fn append_array(&mut self, key: &str, array: RawArray<'_>) -> Result<(), Error> {
        self.append(key, RawBson::Array(array))
    }
}

/// Formats array indices without allocating.
pub(crate) mod itoa_buf {
    /// A buffer for one decimal `usize`.
    pub(crate) struct Buf([u8; 20]);
    impl Buf {
        pub(crate) fn new() -> Self {
            Self([0; 20])
        }
        /// The ASCII digits of `v`.
        #[inline]
        pub(crate) fn format_bytes(&mut self, mut v: usize) -> &[u8] {
            let mut n = self.0.len();
            loop {
                n -= 1;
                if let Some(slot) = self.0.get_mut(n) {
                    *slot = b'0' + (v % 10) as u8;
                }
                v /= 10;
                if v == 0 || n == 0 {
                    break;
                }
            }
            self.0.get(n..).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_world_matches_bsonspec() {
        let mut buf = [0u8; 32];
        let mut w = Writer::new(&mut buf);
        w.start_document().unwrap();
        w.append_str("hello", "world").unwrap();
        w.end_document().unwrap();
        assert_eq!(
            w.into_bytes().unwrap(),
            b"\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00"
        );
    }

    #[test]
    fn buffer_too_small_writes_nothing() {
        let mut buf = [0u8; 12];
        let mut w = Writer::new(&mut buf);
        w.start_document().unwrap();
        let before = w.written().len();
        let e = w.append_str("hello", "world").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BufferTooSmall { needed: 17 });
        assert_eq!(w.written().len(), before);
        w.append_i32("a", 1).unwrap();
        w.end_document().unwrap();
        assert_eq!(
            w.into_bytes().unwrap(),
            b"\x0c\x00\x00\x00\x10a\x00\x01\x00\x00\x00\x00"
        );
    }

    #[test]
    fn misuse_is_reported() {
        let mut buf = [0u8; 32];
        let mut w = Writer::new(&mut buf);
        assert!(w.append_i32("a", 1).is_err());
        w.start_document().unwrap();
        w.start_array("x").unwrap();
        assert!(w.end_document().is_err());
        assert!(w.append_i32("k\0", 1).is_ok(), "array keys are generated");
        w.end_array().unwrap();
        assert_eq!(
            w.append_i32("k\0", 1).unwrap_err().kind,
            ErrorKind::InteriorNul("key")
        );
        assert!(w.into_bytes().is_err());
    }
}
