//! Log files (`/SUPERVISION/<uid>-<ts>-log.bson`, manual §5.8). The event
//! code list ("Appendix B") is missing from the manual (erratum E32): `C` is
//! kept as an opaque number.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::validate::{Checker, Validate, ValidationError};
use super::value::int;

/// A log file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFile {
    /// The hub identifier.
    pub uid: String,
    /// What triggered the upload.
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
    /// The events.
    #[serde(default)]
    pub log: Vec<LogEntry>,
}

/// One logged event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Event time, Unix seconds UTC.
    #[serde(
        rename = "T",
        alias = "t",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub t: i64,
    /// Event code (e.g. 3, 0x02000000).
    #[serde(
        rename = "C",
        alias = "c",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub c: i64,
    /// Text, usually `[MODULE][function():line]message`.
    #[serde(
        rename = "D",
        alias = "d",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub d: Option<String>,
}

impl Validate for LogFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        c.range(
            "TS",
            Some(self.ts),
            0,
            super::data::LAST_PLAUSIBLE_TS,
            " (Unix seconds)",
        );
        for (i, e) in self.log.iter().enumerate() {
            c.range(
                &alloc::format!("log[{i}].T"),
                Some(e.t),
                0,
                super::data::LAST_PLAUSIBLE_TS,
                " (Unix seconds)",
            );
        }
        c.errors
    }
}
