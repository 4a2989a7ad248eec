//! Errors: what went wrong and at which byte.

/// A decoding or encoding error, located at a byte offset.
///
/// The offset counts from the first byte of the input handed to the failing
/// function. For a full telegram decode ([`crate::telegram::decode`]) link
/// errors (lengths, CRCs) count in the telegram as given, CRCs included;
/// errors above the link layer count in the CRC-free frame (which is the
/// input itself for frames stored without CRCs), or from the `68` start
/// byte of a wired frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where: byte offset into the input.
    pub offset: usize,
}

impl Error {
    /// An error of `kind` at `offset`.
    pub const fn new(kind: ErrorKind, offset: usize) -> Self {
        Error { kind, offset }
    }

    /// The input ends at `offset` while `needed` more bytes were expected.
    pub const fn truncated(offset: usize, needed: usize) -> Self {
        Error::new(ErrorKind::Truncated { needed }, offset)
    }

    /// The same error, moved `by` bytes further (used when a layer's error is
    /// reported relative to the enclosing telegram).
    #[must_use]
    pub const fn shifted(self, by: usize) -> Self {
        Error::new(self.kind, self.offset + by)
    }
}

/// The kinds of [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is shorter than its fields require.
    #[error("truncated: {needed} more byte(s) needed")]
    Truncated {
        /// How many more bytes were needed.
        needed: usize,
    },
    /// A length field disagrees with the bytes present.
    #[error("length field says {declared} byte(s) but {actual} are present")]
    BadLength {
        /// What the length field announces.
        declared: usize,
        /// What the input holds.
        actual: usize,
    },
    /// A DLL block CRC (CRC-16/EN-13757) does not match its block.
    #[error("CRC mismatch in block {block}: stored {stored:#06x}, computed {computed:#06x}")]
    Crc {
        /// 1-based block number.
        block: u8,
        /// The CRC found in the frame.
        stored: u16,
        /// The CRC computed over the block.
        computed: u16,
    },
    /// The wired M-Bus checksum (sum of C..data, mod 256) does not match.
    #[error("checksum mismatch: stored {stored:#04x}, computed {computed:#04x}")]
    Checksum {
        /// The checksum found in the frame.
        stored: u8,
        /// The checksum computed.
        computed: u8,
    },
    /// A fixed byte (start, stop, repeated length) has the wrong value.
    #[error("expected {expected:#04x}, found {found:#04x}")]
    UnexpectedByte {
        /// The byte the format requires here.
        expected: u8,
        /// The byte found.
        found: u8,
    },
    /// The frame does not look like any wireless M-Bus frame format.
    #[error("not a wireless M-Bus frame in format A, B or without CRCs (length {len})")]
    UnknownFormat {
        /// Length of the input.
        len: usize,
    },
    /// A CI field this crate does not know.
    #[error("unknown CI field {0:#04x}")]
    UnknownCi(u8),
    /// A TPL security mode that is recognised but not implemented (8, 9,
    /// 10, 13, the deprecated DES modes, manufacturer-specific ones).
    #[error("TPL security mode {0} is not supported")]
    UnsupportedSecurityMode(u8),
    /// An ELL security mode other than 0 (none) and 1 (AES-128-CTR).
    #[error("ELL security mode {0} is not supported")]
    UnsupportedEllSecurity(u8),
    /// A MAC type (AFL MCL AT field) that is not AES-CMAC.
    #[error("AFL authentication type {0} is not supported")]
    UnsupportedMacType(u8),
    /// Decrypted data does not start with the 2F 2F check bytes: the key is wrong.
    #[error("decryption check failed (no 2F 2F after decrypting): wrong key")]
    WrongKey,
    /// The AFL MAC does not match: wrong key or tampered telegram.
    #[error("AFL MAC mismatch: wrong key or tampered telegram")]
    MacMismatch,
    /// The ELL payload CRC does not match after decryption: wrong key or corruption.
    #[error(
        "ELL payload CRC mismatch (stored {stored:#06x}, computed {computed:#06x}): wrong key or corrupt telegram"
    )]
    EllPayloadCrc {
        /// The CRC found (decrypted).
        stored: u16,
        /// The CRC computed over the decrypted payload.
        computed: u16,
    },
    /// Security mode 7 needs an AFL with a message counter.
    #[error("security mode 7 needs an AFL with a message counter")]
    MissingAfl,
    /// The encrypted region is not a whole number of 16-byte blocks.
    #[error("encrypted region of {len} byte(s) is not a multiple of 16")]
    BadCipherLength {
        /// Length of the region.
        len: usize,
    },
    /// The output buffer is too small.
    #[error("output buffer too small: {needed} byte(s) needed")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
    /// A value that cannot be encoded or is out of range.
    #[error("invalid value: {0}")]
    Invalid(&'static str),
    /// A PHY code word that is not a valid 3-out-of-6 or Manchester symbol.
    #[error("invalid line code symbol {0:#04x}")]
    BadSymbol(u8),
    /// An AFL fragment that does not continue the message being
    /// reassembled (a gap or a repeat).
    #[error("AFL fragment {found} out of order: fragment {expected} expected")]
    FragmentOutOfOrder {
        /// The id that continues the message.
        expected: u8,
        /// The id pushed.
        found: u8,
    },
    /// With [`crate::frame::FormatHint::Auto`], `L = length − 1` fits two
    /// readings and neither works: as a format-B frame its CRC does not
    /// match, and read as a frame stored without CRCs (as the WebdynEasy hub
    /// stores them) it fails to decode. The error's offset is where the
    /// CRC-free reading failed; decode again with a format hint to see one
    /// reading in full.
    #[error(
        "ambiguous frame (L = length - 1): as format B its CRC does not match (stored {stored:#06x}, computed {computed:#06x}); read without CRCs: {without_crcs}"
    )]
    AmbiguousFormat {
        /// The format-B CRC found (the first block that does not match).
        stored: u16,
        /// The format-B CRC computed.
        computed: u16,
        /// What went wrong when reading the frame as CRC-free (see
        /// [`ErrorKind::summary`]).
        without_crcs: &'static str,
    },
}

impl ErrorKind {
    /// A short fixed description of the kind, without its values.
    pub const fn summary(&self) -> &'static str {
        match self {
            ErrorKind::Truncated { .. } => "truncated",
            ErrorKind::BadLength { .. } => "length field disagrees with the bytes present",
            ErrorKind::Crc { .. } => "CRC mismatch",
            ErrorKind::Checksum { .. } => "checksum mismatch",
            ErrorKind::UnexpectedByte { .. } => "unexpected byte",
            ErrorKind::UnknownFormat { .. } => "unknown frame format",
            ErrorKind::UnknownCi(_) => "unknown CI field",
            ErrorKind::UnsupportedSecurityMode(_) => "unsupported TPL security mode",
            ErrorKind::UnsupportedEllSecurity(_) => "unsupported ELL security mode",
            ErrorKind::UnsupportedMacType(_) => "unsupported AFL authentication type",
            ErrorKind::WrongKey => "decryption check failed: wrong key",
            ErrorKind::MacMismatch => "AFL MAC mismatch",
            ErrorKind::EllPayloadCrc { .. } => "ELL payload CRC mismatch",
            ErrorKind::MissingAfl => "security mode 7 without an AFL message counter",
            ErrorKind::BadCipherLength { .. } => "encrypted region not a multiple of 16",
            ErrorKind::BufferTooSmall { .. } => "output buffer too small",
            ErrorKind::Invalid(what) => what,
            ErrorKind::BadSymbol(_) => "invalid line code symbol",
            ErrorKind::AmbiguousFormat { .. } => "ambiguous frame format",
            ErrorKind::FragmentOutOfOrder { .. } => "AFL fragment out of order",
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
