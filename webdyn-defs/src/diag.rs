//! Diagnostics: what is wrong with a file, and where.

use alloc::string::String;
use core::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// The gateway reads the file, but something is suspicious (e.g. CRLF
    /// endings, an unknown key it will ignore).
    Warning,
    /// The gateway rejects the file or falls back to a default.
    Error,
}

/// One problem at a line and column (both 1-based; column in characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Diagnostic {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
}

impl Diagnostic {
    /// An error.
    pub fn error(line: u32, col: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning.
    pub fn warning(line: u32, col: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            line,
            col,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `LINE:COL: message`, or `LINE:COL: warning: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}:{}: {}", self.line, self.col, self.message),
            Severity::Warning => write!(f, "{}:{}: warning: {}", self.line, self.col, self.message),
        }
    }
}
