//! `<uid>_licence.ini`: the licences of Webdyn `.luaw` scripts.
//!
//! The content is opaque and device-specific; changing it "blocks licence
//! management". It is therefore only ever carried, never re-encoded.

use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::Diagnostic;

/// A `<uid>_licence.ini` file, kept exactly as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LicenceFile {
    /// The whole file.
    pub text: String,
}

impl LicenceFile {
    /// Wraps a file (never fails).
    pub fn parse(input: &str) -> (Self, Vec<Diagnostic>) {
        (
            LicenceFile {
                text: String::from(input),
            },
            Vec::new(),
        )
    }

    /// The file, unchanged.
    pub fn encode(&self) -> String {
        self.text.clone()
    }

    /// Nothing can be checked in an opaque file: always empty.
    pub fn validate(&self) -> Vec<Diagnostic> {
        Vec::new()
    }
}
