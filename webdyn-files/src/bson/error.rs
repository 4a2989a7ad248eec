//! The error type of every BSON operation: what went wrong and at which byte.

use super::spec::ElementType;

/// What went wrong. Combined with a byte offset in [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ends inside an element or a length prefix.
    #[error("input ends inside a BSON value")]
    Truncated,
    /// A document's length prefix is below 5, disagrees with the input or
    /// does not match where its elements end.
    #[error("invalid document length {0}")]
    DocumentLength(i64),
    /// A document does not end with the `0x00` terminator where its length
    /// says it ends.
    #[error("document is not terminated by 0x00 where its length says it ends")]
    MissingTerminator,
    /// Bytes follow the top-level document.
    #[error("{0} bytes after the end of the document")]
    TrailingBytes(usize),
    /// A string, binary or code-with-scope length is negative, too short or
    /// runs past its container.
    #[error("invalid length {0}")]
    Length(i64),
    /// A string does not end with `0x00` where its length says it ends.
    #[error("string is not terminated by 0x00")]
    UnterminatedString,
    /// A key or regular expression C string has no `0x00` terminator.
    #[error("C string has no 0x00 terminator")]
    UnterminatedCString,
    /// A string, key or regular expression is not valid UTF-8.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// A byte that is no BSON type tag.
    #[error("unknown element type 0x{0:02x}")]
    UnknownType(u8),
    /// A boolean byte other than 0 or 1.
    #[error("invalid boolean byte 0x{0:02x}")]
    InvalidBool(u8),
    /// Binary subtype 0x02's inner length disagrees with the outer one.
    #[error("binary subtype 0x02 inner length {inner} does not match outer length {outer}")]
    OldBinaryLength {
        /// The inner length field.
        inner: i64,
        /// The outer length field.
        outer: i64,
    },
    /// Documents nest deeper than the configured limit.
    #[error("documents nest deeper than {0} levels")]
    TooDeep(usize),
    /// A document is larger than the configured limit.
    #[error("document of {size} bytes exceeds the {limit}-byte limit")]
    TooLarge {
        /// The declared size.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// A typed getter found a value of another type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The type asked for.
        expected: ElementType,
        /// The type present.
        found: ElementType,
    },
    /// The caller's output buffer cannot hold the next element.
    #[error("output buffer too small: {needed} more bytes needed")]
    BufferTooSmall {
        /// Bytes the failed write needed beyond the current length.
        needed: usize,
    },
    /// A key, regular expression pattern or option contains `0x00`.
    #[error("{0} contains a 0x00 byte")]
    InteriorNul(&'static str),
    /// The writer was used out of order (e.g. an element outside any
    /// document, or `end_array` closing a document).
    #[error("writer misuse: {0}")]
    WriterState(&'static str),
    /// A Decimal128 string that is not a number, or not representable exactly.
    #[error("invalid Decimal128 text: {0}")]
    InvalidDecimal(&'static str),
    /// Malformed JSON text.
    #[error("invalid JSON: {0}")]
    Json(&'static str),
    /// Well-formed JSON that is not valid Extended JSON (e.g. `{"$oid": 42}`).
    #[error("invalid Extended JSON: {0}")]
    ExtJson(&'static str),
    /// A value serde cannot map to BSON (or back).
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// A message from a `Serialize` / `Deserialize` implementation.
    #[cfg(feature = "alloc")]
    #[error("{0}")]
    Custom(alloc::string::String),
    /// A message from a `Serialize` / `Deserialize` implementation (dropped
    /// without `alloc`).
    #[cfg(not(feature = "alloc"))]
    #[error("serde error")]
    Custom,
}

/// A BSON error: its [`ErrorKind`] and the byte offset where it was found.
///
/// For binary input the offset counts from the start of the top-level
/// document; for JSON or Decimal128 text it counts bytes of the text; for
/// the writer it is the output length when the write failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where.
    pub offset: usize,
}

impl Error {
    /// An error of `kind` at `offset`.
    pub const fn new(kind: ErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }

    /// The key path (`frames.3.F`) of the element this error concerns in
    /// `input`, the bytes its offset counts from; empty for the top-level
    /// document itself. Meaningful for errors from binary input (decoding,
    /// validation, serde); see
    /// [`document::key_path`](super::document::key_path).
    ///
    /// ```
    /// use webdyn_files::bson::RawDocument;
    /// // {"a": {"b": <unknown type 0x42>}}
    /// let bytes = b"\x11\x00\x00\x00\x03a\x00\x09\x00\x00\x00\x42b\x00\x00\x00\x00";
    /// let e = RawDocument::parse(bytes).and_then(|d| d.validate()).unwrap_err();
    /// assert_eq!(e.key_path(bytes), "a.b");
    /// ```
    #[cfg(feature = "alloc")]
    pub fn key_path(&self, input: &[u8]) -> alloc::string::String {
        super::document::key_path(input, self.offset)
    }

    /// The same error moved `by` bytes further (nested parsing).
    #[must_use]
    pub(crate) fn shifted(mut self, by: usize) -> Self {
        self.offset = self.offset.saturating_add(by);
        self
    }
}
