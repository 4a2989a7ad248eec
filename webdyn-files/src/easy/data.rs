//! Data files (`/DATA/<uid>-<ts>-data.bson`, manual §5.3): the W M-Bus
//! frames the hub received, raw, without their link-layer CRCs.
//!
//! The manual's table spells the keys `ts` and `framecount`, its example
//! `TS` and `frameCount` (erratum E3): both are read, the example spelling is
//! written. Each frame is `{T, R, F}`: receive time, RSSI and the frame from
//! its L-field on, CRCs removed.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::validate::{Checker, Validate, ValidationError};
use super::value::{Binary, int};

/// A data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFile {
    /// The hub identifier.
    #[serde(alias = "UID")]
    pub uid: String,
    /// What triggered the upload (`schedule`, `magnet`, `usb`, ...).
    #[serde(default)]
    pub source: String,
    /// File creation time, Unix seconds UTC.
    #[serde(
        rename = "TS",
        alias = "ts",
        alias = "Ts",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub ts: i64,
    /// The number of frames, as the hub states it.
    #[serde(
        rename = "frameCount",
        alias = "framecount",
        alias = "FrameCount",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub frame_count: Option<i64>,
    /// The frames.
    #[serde(default, alias = "Data")]
    pub data: Vec<Frame>,
}

/// One received frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// Receive time, Unix seconds UTC.
    #[serde(
        rename = "T",
        alias = "t",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub t: i64,
    /// "Frame RSSI level", as the hub writes it (unit undocumented).
    #[serde(
        rename = "R",
        alias = "r",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub r: i64,
    /// The frame from its L-field on, link-layer CRCs removed.
    #[serde(rename = "F", alias = "f")]
    pub f: Binary,
}

impl Frame {
    /// `R` read as a two's-complement byte in dBm — a guess the manual does
    /// not confirm (199 would be -57 dBm, the modem RSSI of the supervision
    /// example). `None` when `R` is not a byte.
    pub fn rssi_dbm_guess(&self) -> Option<i8> {
        u8::try_from(self.r).ok().map(|b| b as i8)
    }
}

impl DataFile {
    /// A data file holding `frames`, with `frameCount` set.
    pub fn new(
        uid: impl Into<String>,
        source: impl Into<String>,
        ts: i64,
        frames: Vec<Frame>,
    ) -> Self {
        DataFile {
            uid: uid.into(),
            source: source.into(),
            ts,
            frame_count: i64::try_from(frames.len()).ok(),
            data: frames,
        }
    }
}

/// Timestamps past this (2100-01-01) are reported by validation: the
/// manual's example has an 11-digit `T` (erratum E4).
pub(crate) const LAST_PLAUSIBLE_TS: i64 = 4_102_444_800;

impl Validate for DataFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        c.range("TS", Some(self.ts), 0, LAST_PLAUSIBLE_TS, " (Unix seconds)");
        if let Some(n) = self.frame_count
            && usize::try_from(n).ok() != Some(self.data.len())
        {
            c.fail(
                "frameCount",
                alloc::format!("says {n} but data holds {} frames", self.data.len()),
            );
        }
        for (i, fr) in self.data.iter().enumerate() {
            c.range(
                &alloc::format!("data[{i}].T"),
                Some(fr.t),
                0,
                LAST_PLAUSIBLE_TS,
                " (Unix seconds)",
            );
            if fr.f.0.len() < 11 {
                c.fail(
                    alloc::format!("data[{i}].F"),
                    alloc::format!(
                        "{} bytes, shorter than a W M-Bus header (L C M A CI: 11)",
                        fr.f.0.len()
                    ),
                );
            }
        }
        c.errors
    }
}
