//! Any SunPM file kind behind one type, tagged by `"kind"` in serde.

use alloc::string::String;
use alloc::vec::Vec;

use crate::config::ConfigFile;
use crate::daq::DaqFile;
use crate::def::DefinitionFile;
use crate::diag::Diagnostic;
use crate::licence::LicenceFile;
use crate::naming::FileKind;
use crate::scl::SclFile;
use crate::var::VarFile;

/// A parsed file of any kind.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "lowercase"))]
pub enum AnyFile {
    /// `_config.ini`.
    Config(ConfigFile),
    /// `_var.ini`.
    Var(VarFile),
    /// `_daq.csv`.
    Daq(DaqFile),
    /// `_scl.ini`.
    Scl(SclFile),
    /// `_licence.ini`.
    Licence(LicenceFile),
    /// A definition file.
    Def(DefinitionFile),
    /// A Modbus slave mapping file.
    Slave(DefinitionFile),
}

impl AnyFile {
    /// Parses `text` as `kind` (`None` for [`FileKind::Unknown`]).
    pub fn parse(kind: FileKind, text: &str) -> Option<(AnyFile, Vec<Diagnostic>)> {
        Some(match kind {
            FileKind::Config => wrap(ConfigFile::parse(text), AnyFile::Config),
            FileKind::Var => wrap(VarFile::parse(text), AnyFile::Var),
            FileKind::Daq => wrap(DaqFile::parse(text), AnyFile::Daq),
            FileKind::Scl => wrap(SclFile::parse(text), AnyFile::Scl),
            FileKind::Licence => wrap(LicenceFile::parse(text), AnyFile::Licence),
            FileKind::Definition => wrap(DefinitionFile::parse(text), AnyFile::Def),
            FileKind::Slave => wrap(DefinitionFile::parse(text), AnyFile::Slave),
            FileKind::Unknown => return None,
        })
    }

    /// The kind.
    pub fn kind(&self) -> FileKind {
        match self {
            AnyFile::Config(_) => FileKind::Config,
            AnyFile::Var(_) => FileKind::Var,
            AnyFile::Daq(_) => FileKind::Daq,
            AnyFile::Scl(_) => FileKind::Scl,
            AnyFile::Licence(_) => FileKind::Licence,
            AnyFile::Def(_) => FileKind::Definition,
            AnyFile::Slave(_) => FileKind::Slave,
        }
    }

    /// Encodes the file.
    pub fn encode(&self) -> String {
        match self {
            AnyFile::Config(f) => f.encode(),
            AnyFile::Var(f) => f.encode(),
            AnyFile::Daq(f) => f.encode(),
            AnyFile::Scl(f) => f.encode(),
            AnyFile::Licence(f) => f.encode(),
            AnyFile::Def(f) | AnyFile::Slave(f) => f.encode(),
        }
    }

    /// Validates the file; `available` is used for a daq file's references.
    pub fn validate(&self, available: Option<&dyn Fn(&str) -> bool>) -> Vec<Diagnostic> {
        match self {
            AnyFile::Config(f) => f.validate(),
            AnyFile::Var(f) => f.validate(),
            AnyFile::Daq(f) => f.validate_with(available),
            AnyFile::Scl(f) => f.validate(),
            AnyFile::Licence(f) => f.validate(),
            AnyFile::Def(f) => f.validate_definition(),
            AnyFile::Slave(f) => f.validate_slave(),
        }
    }
}

fn wrap<T>((f, d): (T, Vec<Diagnostic>), k: fn(T) -> AnyFile) -> (AnyFile, Vec<Diagnostic>) {
    (k(f), d)
}
