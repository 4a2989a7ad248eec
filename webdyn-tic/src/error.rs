//! Errors: what went wrong, and where in the input.

/// What is wrong with a group, a frame or the byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ErrorKind {
    /// The checksum byte does not match the bytes it covers.
    #[error("checksum mismatch: expected {expected:?}, found {found:?}", expected = *expected as char, found = *found as char)]
    Checksum {
        /// The checksum computed over the received bytes.
        expected: u8,
        /// The checksum byte that was received.
        found: u8,
    },
    /// The group is too short to hold a label, a separator and a checksum.
    #[error("group too short ({len} bytes between LF and CR)")]
    TooShort {
        /// Bytes between LF and CR.
        len: usize,
    },
    /// The byte before the checksum is neither SP nor HT.
    #[error("no separator before the checksum (found byte 0x{byte:02x})")]
    NoSeparator {
        /// The byte found where the separator belongs.
        byte: u8,
    },
    /// No separator between the label and the data.
    #[error("no separator between label and data")]
    NoLabelSeparator,
    /// The label is empty.
    #[error("empty label")]
    EmptyLabel,
    /// A standard-mode group has more than three HT separators.
    #[error("too many fields in a standard group")]
    TooManyFields,
    /// A byte that may not appear inside a group (control byte, DEL or a
    /// byte with bit 7 set).
    #[error("invalid byte 0x{byte:02x} inside a group")]
    InvalidByte {
        /// The offending byte.
        byte: u8,
    },
    /// The group is of the other mode than the one the decoder was told to
    /// accept.
    #[error("group is in {found} mode, decoder accepts {expected} mode only", found = found.name(), expected = expected_name(*found))]
    WrongMode {
        /// The mode the group is in.
        found: crate::Mode,
    },
    /// The group was cut: a control byte (LF, STX, ETX, EOT, …) arrived
    /// before its CR.
    #[error("group cut by control byte 0x{byte:02x} before its CR")]
    Truncated {
        /// The control byte that cut the group.
        byte: u8,
    },
    /// The group is longer than the decoder's group buffer.
    #[error("group longer than {capacity} bytes")]
    Oversize {
        /// The capacity of the group buffer.
        capacity: usize,
    },
    /// A byte of the group arrived with a parity error (7E1 line).
    #[error("parity error inside the group")]
    Parity,
    /// A byte other than LF, ETX or EOT between two groups of a frame.
    #[error("unexpected byte 0x{byte:02x} between groups (LF expected)")]
    Unexpected {
        /// The byte found.
        byte: u8,
    },
    /// An output buffer is too small (encoder).
    #[error("output buffer too small ({needed} bytes needed)")]
    BufferTooSmall {
        /// Bytes needed to complete the operation.
        needed: usize,
    },
    /// A label or value cannot be encoded: it contains a separator, a
    /// control byte or a non-ASCII byte (encoder).
    #[error("byte 0x{byte:02x} cannot be encoded in a {field}")]
    Unencodable {
        /// Which field: "label", "horodate" or "value".
        field: &'static str,
        /// The offending byte.
        byte: u8,
    },
}

const fn expected_name(found: crate::Mode) -> &'static str {
    match found {
        crate::Mode::Historic => "standard",
        crate::Mode::Standard => "historic",
    }
}

impl ErrorKind {
    /// The error counter this kind is tallied under by the
    /// [`Decoder`](crate::Decoder).
    pub const fn counter(&self) -> Counter {
        match self {
            ErrorKind::Checksum { .. } => Counter::Checksum,
            ErrorKind::Oversize { .. } => Counter::Oversize,
            ErrorKind::Parity => Counter::Parity,
            _ => Counter::Format,
        }
    }
}

/// The error counters a [`Decoder`](crate::Decoder) keeps (see
/// [`Stats`](crate::Stats)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter {
    /// Checksum mismatches.
    Checksum,
    /// Framing and syntax errors.
    Format,
    /// Oversize groups.
    Oversize,
    /// Parity errors.
    Parity,
}

/// An error with the byte offset where it was found.
///
/// For the streaming [`Decoder`](crate::Decoder) the offset counts from the
/// first byte ever fed; for [`Group::parse`](crate::Group::parse) it counts
/// from the first byte of the group body (the byte after LF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[error("{kind} at byte {offset}")]
pub struct Error {
    /// What is wrong.
    pub kind: ErrorKind,
    /// Where: the offset of the offending byte.
    pub offset: u64,
}

impl Error {
    /// An error of kind `kind` at `offset`.
    pub const fn new(kind: ErrorKind, offset: u64) -> Self {
        Error { kind, offset }
    }

    /// The same error, `by` bytes further on (rebases a group-relative
    /// offset onto a stream offset).
    pub const fn shifted(self, by: u64) -> Self {
        Error {
            kind: self.kind,
            offset: self.offset.saturating_add(by),
        }
    }
}
