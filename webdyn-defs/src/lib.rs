//! # webdyn-defs
//!
//! Webdyn SunPM configuration files (`_config.ini`, `_var.ini`, `_daq.csv`,
//! `_scl.ini`, `_licence.ini`) and definition files: typed, validated and
//! written back byte for byte, plus the Modbus value codec.
//!
//! The core is `no_std` and allocates nothing.
//!
//! ```
//! use webdyn_defs::FileKind;
//! assert_eq!(FileKind::from_file_name("ABC123_daq.csv"), FileKind::Daq);
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

/// The kind of a SunPM file, guessed from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `<uid>_config.ini`
    Config,
    /// `<uid>_var.ini`
    Var,
    /// `<uid>_daq.csv`
    Daq,
    /// `<uid>_scl.ini`
    Scl,
    /// `<uid>_licence.ini`
    Licence,
    /// Any other `.csv`: a definition file.
    Definition,
    /// Not a SunPM file name.
    Unknown,
}

impl FileKind {
    /// Guesses the kind from a file name (the directory part, if any, is ignored).
    pub fn from_file_name(name: &str) -> FileKind {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let lower = |suffix: &str| {
            base.len() >= suffix.len()
                && base
                    .get(base.len() - suffix.len()..)
                    .is_some_and(|s| s.eq_ignore_ascii_case(suffix))
        };
        if lower("_config.ini") {
            FileKind::Config
        } else if lower("_var.ini") {
            FileKind::Var
        } else if lower("_daq.csv") {
            FileKind::Daq
        } else if lower("_scl.ini") {
            FileKind::Scl
        } else if lower("_licence.ini") {
            FileKind::Licence
        } else if lower(".csv") {
            FileKind::Definition
        } else {
            FileKind::Unknown
        }
    }
}
