//! The error every subcommand returns, and the exit status it maps to.

use std::fmt;

/// Why a command failed. The message is printed as one line on stderr.
#[derive(Debug)]
pub enum CliError {
    /// The input as a whole is invalid (bad file, wrong key, corrupt
    /// container): exit status 1.
    #[allow(dead_code)] // constructed by the format subcommands as they land
    Invalid(String),
    /// A usage or I/O error: exit status 2.
    Usage(String),
}

impl CliError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Invalid(_) => 1,
            CliError::Usage(_) => 2,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages are forced onto one line: scripts read stderr line by line.
        let msg = match self {
            CliError::Invalid(m) | CliError::Usage(m) => m,
        };
        f.write_str(&msg.replace(['\n', '\r'], " "))
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Usage(format!("I/O error: {e}"))
    }
}
