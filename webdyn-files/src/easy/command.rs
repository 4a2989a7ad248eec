//! Command files (`/INBOX/<uid>/<uid>[-<num>]-cmd.bson`, manual §5.6, §6):
//! one command or an array of them.
//!
//! `cid` is "mandatory" yet most of the manual's examples omit it
//! (erratum E26): it is read as empty when absent and always written.
//! `supervisionGetClean` (E28) is read as `supervisionGet`, `whitelisterase`
//! as `whiteListErase`; command names are otherwise matched ignoring case.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::validate::{Checker, Validate, ValidationError};
use super::value::OneOrMany;

/// A command file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandFile {
    /// The command(s), run in order; a failure stops the rest.
    #[serde(alias = "Cmd", alias = "CMD")]
    pub cmd: OneOrMany<Command>,
}

/// One command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// What to do.
    #[serde(rename = "type", alias = "Type")]
    pub kind: CommandKind,
    /// Optional hub id: the hub rejects the command when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Command identifier, echoed in the ACK.
    #[serde(default)]
    pub cid: String,
    /// The file name `firmware` and `certificate` take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

impl Command {
    /// A command without parameters.
    pub fn new(kind: CommandKind, cid: impl Into<String>) -> Self {
        Command {
            kind,
            uid: None,
            cid: cid.into(),
            data: None,
        }
    }
}

/// The commands of manual §5.6.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CommandKind {
    /// Connect now: upload data, configuration, supervision; read INBOX.
    Request,
    /// Back to factory settings.
    Factory,
    /// Software update; `data` = firmware file name.
    Firmware,
    /// Listen `radio.duration`, then connect.
    Diag,
    /// Copy the configuration (to the USB drive; no effect over FTP, E27).
    ConfigGet,
    /// Erase the radio whitelist.
    WhiteListErase,
    /// Reset the modem's operator selection.
    OperatorInit,
    /// Upload the log.
    LogGet,
    /// Erase the log.
    LogClean,
    /// Reset the supervision counters.
    SupervisionClean,
    /// Upload the supervision file.
    SupervisionGet,
    /// Add a certificate; `data` = certificate file name.
    Certificate,
    /// Delete all certificates.
    CertClean,
}

impl CommandKind {
    /// Every command, in the manual's order.
    pub const ALL: [CommandKind; 13] = [
        CommandKind::Request,
        CommandKind::Factory,
        CommandKind::Firmware,
        CommandKind::Diag,
        CommandKind::ConfigGet,
        CommandKind::WhiteListErase,
        CommandKind::OperatorInit,
        CommandKind::LogGet,
        CommandKind::LogClean,
        CommandKind::SupervisionClean,
        CommandKind::SupervisionGet,
        CommandKind::Certificate,
        CommandKind::CertClean,
    ];

    /// The name the hub expects in `type`.
    pub const fn name(&self) -> &'static str {
        match self {
            CommandKind::Request => "request",
            CommandKind::Factory => "factory",
            CommandKind::Firmware => "firmware",
            CommandKind::Diag => "diag",
            CommandKind::ConfigGet => "configGet",
            CommandKind::WhiteListErase => "whiteListErase",
            CommandKind::OperatorInit => "operatorInit",
            CommandKind::LogGet => "logGet",
            CommandKind::LogClean => "logClean",
            CommandKind::SupervisionClean => "supervisionClean",
            CommandKind::SupervisionGet => "supervisionGet",
            CommandKind::Certificate => "certificate",
            CommandKind::CertClean => "certClean",
        }
    }

    /// Whether the command needs a file name in `data`.
    pub const fn takes_file(&self) -> bool {
        matches!(self, CommandKind::Firmware | CommandKind::Certificate)
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `type` that is no command of the manual.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cmd.type: unknown command {0:?} (known: request, factory, firmware, diag, configGet, whiteListErase, operatorInit, logGet, logClean, supervisionClean, supervisionGet, certificate, certClean)"
)]
pub struct UnknownCommand(pub String);

impl core::str::FromStr for CommandKind {
    type Err = UnknownCommand;
    fn from_str(s: &str) -> Result<Self, UnknownCommand> {
        if s.eq_ignore_ascii_case("supervisionGetClean") {
            return Ok(CommandKind::SupervisionGet);
        }
        CommandKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownCommand(s.to_string()))
    }
}

impl TryFrom<String> for CommandKind {
    type Error = UnknownCommand;
    fn try_from(s: String) -> Result<Self, UnknownCommand> {
        s.parse()
    }
}

impl From<CommandKind> for String {
    fn from(k: CommandKind) -> String {
        k.name().to_string()
    }
}

impl Validate for CommandFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        let many = matches!(self.cmd, OneOrMany::Many(_));
        for (i, cmd) in self.cmd.as_slice().iter().enumerate() {
            let at = if many {
                alloc::format!("cmd[{i}]")
            } else {
                "cmd".to_string()
            };
            if cmd.kind.takes_file() && cmd.data.as_deref().is_none_or(str::is_empty) {
                c.fail(
                    alloc::format!("{at}.data"),
                    alloc::format!("{} needs a file name", cmd.kind),
                );
            }
        }
        c.errors
    }
}
