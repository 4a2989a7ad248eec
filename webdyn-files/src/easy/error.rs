//! The errors of the hub-file envelope: what went wrong and where.

/// Why a hub file (or its encrypted form) could not be read or written.
///
/// Every variant says what was expected and, where it applies, the byte
/// offset in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file is shorter than the smallest hub file (a document holding
    /// only the `crc` element is 14 bytes).
    #[error(
        "file too short: {len} bytes, a hub file holds at least 14 (BSON length, crc element, terminator)"
    )]
    TooShort {
        /// The length of the file.
        len: usize,
    },
    /// The BSON length prefix disagrees with the file length.
    #[error("BSON length prefix at byte 0 says {declared} bytes but the file has {actual}")]
    LengthMismatch {
        /// The length the document declares.
        declared: u32,
        /// The length of the file.
        actual: usize,
    },
    /// The document does not end with the int32 `crc` element the hub
    /// requires as its last field.
    #[error(
        "no int32 \"crc\" element at the end of the document (expected its header at byte {offset})"
    )]
    NoCrcField {
        /// Where the element header was expected.
        offset: usize,
    },
    /// The stored CRC does not match the computed one.
    #[error(
        "CRC mismatch: the crc field at byte {offset} holds 0x{stored:08X}, the file's CRC-32 is 0x{computed:08X}"
    )]
    CrcMismatch {
        /// Offset of the four CRC bytes.
        offset: usize,
        /// The value stored in the file.
        stored: u32,
        /// The CRC-32 computed over the file with the field zeroed.
        computed: u32,
    },
    /// An encrypted file is not a whole, non-zero number of AES blocks.
    #[error("encrypted file is {len} bytes: not a non-zero multiple of the 16-byte AES block")]
    CipherLength {
        /// The length of the encrypted file.
        len: usize,
    },
    /// The PKCS#5 padding is wrong after decryption.
    #[error("bad PKCS#5 padding after AES decryption: wrong key, or not an encrypted hub file")]
    BadPadding,
    /// The decrypted bytes are not a BSON document of the right length.
    #[error(
        "decrypted data is not a hub file (BSON length prefix {declared}, {actual} bytes decrypted): wrong key, or corrupt file"
    )]
    NotDecryptedBson {
        /// The length prefix read from the decrypted bytes.
        declared: u32,
        /// The number of plaintext bytes.
        actual: usize,
    },
    /// The document is not well-formed BSON.
    #[error("BSON: {0}")]
    Bson(crate::bson::Error),
    /// The `crc` element is not the last field of the document.
    #[error(
        "the document's last field is {key:?} (at byte {offset}), the hub requires \"crc\" last"
    )]
    CrcNotLast {
        /// The key of the last element (truncated to 32 bytes).
        key: super::frames::ShortKey,
        /// Its offset.
        offset: usize,
    },
    /// A field of the data file is missing or of the wrong type.
    #[error("data file: {field} {problem} (at byte {offset})")]
    Field {
        /// Which field (`data`, `T`, `R`, `F`, ...).
        field: &'static str,
        /// What is wrong with it.
        problem: &'static str,
        /// Offset of the enclosing document or element.
        offset: usize,
    },
    /// A frame of a data file is missing a field or has one of the wrong type.
    #[error("data[{index}].{field}: {problem} (frame at byte {offset})")]
    Frame {
        /// Position of the frame in `data`.
        index: usize,
        /// `T`, `R` or `F`.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
        /// Offset of the frame document.
        offset: usize,
    },
    /// The caller's output buffer is too small.
    #[error("output buffer too small: {needed} bytes needed, {available} available")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
}

impl From<crate::bson::Error> for Error {
    fn from(e: crate::bson::Error) -> Self {
        Error::Bson(e)
    }
}
