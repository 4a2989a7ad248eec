//! Acknowledgement files (`/ALARM/<uid>-<ts>-ack.bson`, manual §5.5): the
//! result of a configuration or command file.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::validate::{Checker, Validate, ValidationError};
use super::value::int;

/// An acknowledgement file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckFile {
    /// The hub identifier.
    pub uid: String,
    /// Where the acknowledged file came from (`ftp`, `usb`).
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
    /// The acknowledgement.
    pub ack: Ack,
}

/// What was acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AckKind {
    /// A command file.
    Cmd,
    /// A configuration file.
    Config,
}

/// Success or failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AckResult {
    /// Applied.
    Ok,
    /// Rejected (bad CRC, bad value, unknown command, ...).
    Ko,
}

/// The acknowledgement of an ACK file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// Command or configuration.
    #[serde(rename = "type")]
    pub kind: AckKind,
    /// The command identifier echoed from the command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
    /// `ok` or `ko`.
    pub result: AckResult,
    /// Associated data: a file name, a firmware name, ... (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

impl Validate for AckFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        c.range(
            "TS",
            Some(self.ts),
            0,
            super::data::LAST_PLAUSIBLE_TS,
            " (Unix seconds)",
        );
        c.errors
    }
}
