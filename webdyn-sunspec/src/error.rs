//! The error type of the crate.

/// Why a register image could not be read or written.
///
/// Register positions are absolute Modbus register addresses (PDU numbering,
/// e.g. 40000 for the `SunS` marker), so a message can be checked against a
/// device's documentation directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Error {
    /// The image holds an odd number of bytes, so it is not a list of 16-bit registers.
    #[error("register image has {len} bytes, not a whole number of 16-bit registers")]
    OddLength {
        /// The byte length of the image.
        len: usize,
    },
    /// No `SunS` marker at any base address the image covers.
    #[error("no SunSpec marker 'SunS' at register 40000, 0 or 50000")]
    NoMarker,
    /// A register the walk needs lies outside the image.
    #[error("register {addr} is outside the image ({base}..{end})")]
    OutOfImage {
        /// The register that was needed.
        addr: u32,
        /// The first register of the image.
        base: u32,
        /// One past the last register of the image.
        end: u32,
    },
    /// A model claims more registers than the image holds after its header.
    #[error("model {id} at register {addr} claims {len} registers but the image ends at {end}")]
    ModelOverrun {
        /// The model id.
        id: u16,
        /// The register of its header.
        addr: u32,
        /// The length it claims.
        len: u16,
        /// One past the last register of the image.
        end: u32,
    },
    /// A point is larger than the registers given to decode it.
    #[error("point needs {need} registers, {have} given")]
    ShortPoint {
        /// Registers the point type needs.
        need: usize,
        /// Registers available.
        have: usize,
    },
    /// The output buffer is too small for what is being written.
    #[error("output buffer too small: {need} bytes needed, {have} available")]
    BufferTooSmall {
        /// Bytes needed.
        need: usize,
        /// Bytes available.
        have: usize,
    },
    /// A value does not fit the point type it is written as.
    #[error("value does not fit a {ty} point")]
    ValueOutOfRange {
        /// The point type's SunSpec name.
        ty: &'static str,
    },
    /// A model definition is inconsistent (a point past the model's end).
    #[error("model {id}: point at offset {offset} does not fit the model length {len}")]
    BadDefinition {
        /// The model id.
        id: u16,
        /// The offending point offset.
        offset: u16,
        /// The model length.
        len: u16,
    },
}
