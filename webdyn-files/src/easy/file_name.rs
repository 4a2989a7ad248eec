//! Hub file names (manual §5.1.1.2, §5.1.1.3, §4.2.1.2, §4.2.2.1, §5.6).
//!
//! | kind | pattern | directory |
//! |---|---|---|
//! | configuration image | `<uid>-<ts>-config.bson` | `/CONFIG` |
//! | data | `<uid>-<ts>-data.bson` | `/DATA` |
//! | alarm | `<uid>-<ts>-alarm.bson` | `/ALARM` |
//! | acknowledgement | `<uid>-<ts>-ack.bson` | `/ALARM` |
//! | supervision | `<uid>-<ts>-supervision.bson` | `/SUPERVISION` |
//! | log | `<uid>-<ts>-log.bson` | `/SUPERVISION` |
//! | configuration input | `<uid>-cfg.bson` | `/INBOX/<uid>` |
//! | command | `<uid>-cmd.bson`, `<uid>-<num>-cmd.bson` | `/INBOX/<uid>` |
//! | radio whitelist | `<uid>-wFilter.bson` (also `wlFilter`, erratum E9) | `/INBOX/<uid>` |
//!
//! Any of them may end in `.aes` (encrypted) and, while an upload is in
//! progress, `.tmp` (the hub uploads `<name>.tmp` then renames it).
//!
//! `<uid>` is free text and may contain `-`, so names are split from the
//! right. A command name `a-7-cmd.bson` is read as uid `a`, number 7.
//!
//! ```
//! use webdyn_files::easy::file_name::{FileKind, FileName};
//! let n = FileName::parse("123456-1591083697-data.bson.aes")?;
//! assert_eq!(n.uid, "123456");
//! assert_eq!(n.kind, FileKind::Data { timestamp: 1591083697 });
//! assert!(n.encrypted);
//! assert_eq!(n.to_string(), "123456-1591083697-data.bson.aes");
//! # Ok::<(), webdyn_files::easy::file_name::FileNameError>(())
//! ```

use core::fmt;

/// What a hub file holds, with the number its name carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `<uid>-<ts>-config.bson`: the configuration the hub uploads after
    /// every change.
    Config {
        /// Unix seconds (UTC).
        timestamp: u64,
    },
    /// `<uid>-<ts>-data.bson`: received W M-Bus frames.
    Data {
        /// Unix seconds (UTC).
        timestamp: u64,
    },
    /// `<uid>-<ts>-alarm.bson`.
    Alarm {
        /// Unix seconds (UTC).
        timestamp: u64,
    },
    /// `<uid>-<ts>-ack.bson`: result of a configuration or command file.
    Ack {
        /// Unix seconds (UTC).
        timestamp: u64,
    },
    /// `<uid>-<ts>-supervision.bson`.
    Supervision {
        /// Unix seconds (UTC).
        timestamp: u64,
    },
    /// `<uid>-<ts>-log.bson`.
    Log {
        /// Unix seconds (UTC).
        timestamp: u64,
    },
    /// `<uid>-cfg.bson`: a configuration for the hub to apply.
    ConfigInput,
    /// `<uid>-cmd.bson` or `<uid>-<num>-cmd.bson`.
    Command {
        /// The optional sequence number.
        number: Option<u64>,
    },
    /// `<uid>-wFilter.bson`: the radio whitelist.
    Whitelist {
        /// How the name spells it.
        spelling: WhitelistSpelling,
    },
}

impl FileKind {
    /// The timestamp of a hub-produced file.
    pub const fn timestamp(&self) -> Option<u64> {
        match *self {
            FileKind::Config { timestamp }
            | FileKind::Data { timestamp }
            | FileKind::Alarm { timestamp }
            | FileKind::Ack { timestamp }
            | FileKind::Supervision { timestamp }
            | FileKind::Log { timestamp } => Some(timestamp),
            _ => None,
        }
    }

    /// The FTP directory (below the configured root) this kind lives in.
    pub const fn directory(&self) -> &'static str {
        match self {
            FileKind::Config { .. } => "/CONFIG",
            FileKind::Data { .. } => "/DATA",
            FileKind::Alarm { .. } | FileKind::Ack { .. } => "/ALARM",
            FileKind::Supervision { .. } | FileKind::Log { .. } => "/SUPERVISION",
            FileKind::ConfigInput | FileKind::Command { .. } | FileKind::Whitelist { .. } => {
                "/INBOX"
            }
        }
    }

    /// The suffix word of the name (`data`, `cfg`, `wFilter`, ...).
    pub const fn word(&self) -> &'static str {
        match self {
            FileKind::Config { .. } => "config",
            FileKind::Data { .. } => "data",
            FileKind::Alarm { .. } => "alarm",
            FileKind::Ack { .. } => "ack",
            FileKind::Supervision { .. } => "supervision",
            FileKind::Log { .. } => "log",
            FileKind::ConfigInput => "cfg",
            FileKind::Command { .. } => "cmd",
            FileKind::Whitelist { spelling } => spelling.word(),
        }
    }
}

/// The spellings of the whitelist file name the manual uses (erratum E9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WhitelistSpelling {
    /// `wFilter`: the manual's usual spelling and what encoders produce.
    #[default]
    WFilter,
    /// `wlFilter`: once in §4.2.2, matching the `wlFilter` key.
    WlFilter,
    /// `wIFilter`: in the document history.
    WIFilter,
}

impl WhitelistSpelling {
    const fn word(self) -> &'static str {
        match self {
            WhitelistSpelling::WFilter => "wFilter",
            WhitelistSpelling::WlFilter => "wlFilter",
            WhitelistSpelling::WIFilter => "wIFilter",
        }
    }
}

/// A parsed hub file name; `Display` rebuilds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileName<'a> {
    /// The hub identifier.
    pub uid: &'a str,
    /// What the file holds.
    pub kind: FileKind,
    /// Ends in `.aes`: AES-128-CBC encrypted.
    pub encrypted: bool,
    /// Ends in `.tmp`: an upload in progress, to be ignored by watchers.
    pub temporary: bool,
}

/// Why a name is not a hub file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileNameError {
    /// Not ending in `.bson` (before `.aes` / `.tmp`).
    #[error("not a hub file name: {0:?} does not end in .bson, .bson.aes or .tmp")]
    NotBson(NameText),
    /// No known kind word before `.bson`.
    #[error(
        "not a hub file name: {0:?} ends in none of -config, -data, -alarm, -ack, -supervision, -log, -cfg, -cmd, -wFilter"
    )]
    UnknownKind(NameText),
    /// A hub-produced kind without its `-<timestamp>`.
    #[error(
        "hub file name {0:?}: expected <uid>-<timestamp>-<kind>.bson, the timestamp is missing or not decimal"
    )]
    Timestamp(NameText),
    /// An empty uid.
    #[error("hub file name {0:?}: the uid before the first '-' is empty")]
    EmptyUid(NameText),
}

/// The start of the offending name, kept without allocation.
#[derive(Clone, PartialEq, Eq)]
pub struct NameText {
    buf: [u8; 64],
    len: u8,
}

impl NameText {
    fn new(s: &str) -> Self {
        let mut end = s.len().min(64);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut buf = [0u8; 64];
        if let (Some(dst), Some(src)) = (buf.get_mut(..end), s.as_bytes().get(..end)) {
            dst.copy_from_slice(src);
        }
        NameText {
            buf,
            len: end as u8,
        }
    }

    /// The name (truncated to 64 bytes).
    pub fn as_str(&self) -> &str {
        self.buf
            .get(..usize::from(self.len))
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl fmt::Debug for NameText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

fn decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl<'a> FileName<'a> {
    /// A name of `kind` for hub `uid`, plain and final.
    pub const fn new(uid: &'a str, kind: FileKind) -> Self {
        FileName {
            uid,
            kind,
            encrypted: false,
            temporary: false,
        }
    }

    /// Parses a file name (not a path: give the last component).
    pub fn parse(name: &'a str) -> Result<Self, FileNameError> {
        let err_text = || NameText::new(name);
        let (rest, temporary) = match name.strip_suffix(".tmp") {
            Some(r) => (r, true),
            None => (name, false),
        };
        let (rest, encrypted) = match rest.strip_suffix(".aes") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let stem = rest
            .strip_suffix(".bson")
            .ok_or_else(|| FileNameError::NotBson(err_text()))?;
        let (head, word) = stem
            .rsplit_once('-')
            .ok_or_else(|| FileNameError::UnknownKind(err_text()))?;
        let stamped = |make: fn(u64) -> FileKind| -> Result<(&'a str, FileKind), FileNameError> {
            let (uid, ts) = head
                .rsplit_once('-')
                .ok_or_else(|| FileNameError::Timestamp(err_text()))?;
            let timestamp = decimal(ts).ok_or_else(|| FileNameError::Timestamp(err_text()))?;
            Ok((uid, make(timestamp)))
        };
        let (uid, kind) = match word {
            "config" => stamped(|timestamp| FileKind::Config { timestamp })?,
            "data" => stamped(|timestamp| FileKind::Data { timestamp })?,
            "alarm" => stamped(|timestamp| FileKind::Alarm { timestamp })?,
            "ack" => stamped(|timestamp| FileKind::Ack { timestamp })?,
            "supervision" => stamped(|timestamp| FileKind::Supervision { timestamp })?,
            "log" => stamped(|timestamp| FileKind::Log { timestamp })?,
            "cfg" => (head, FileKind::ConfigInput),
            "cmd" => match head.rsplit_once('-') {
                Some((uid, num)) if !uid.is_empty() && decimal(num).is_some() => (
                    uid,
                    FileKind::Command {
                        number: decimal(num),
                    },
                ),
                _ => (head, FileKind::Command { number: None }),
            },
            "wFilter" => (
                head,
                FileKind::Whitelist {
                    spelling: WhitelistSpelling::WFilter,
                },
            ),
            "wlFilter" => (
                head,
                FileKind::Whitelist {
                    spelling: WhitelistSpelling::WlFilter,
                },
            ),
            "wIFilter" => (
                head,
                FileKind::Whitelist {
                    spelling: WhitelistSpelling::WIFilter,
                },
            ),
            _ => return Err(FileNameError::UnknownKind(err_text())),
        };
        if uid.is_empty() {
            return Err(FileNameError::EmptyUid(err_text()));
        }
        Ok(FileName {
            uid,
            kind,
            encrypted,
            temporary,
        })
    }

    /// This name with `.aes` set or cleared.
    pub const fn with_encrypted(mut self, encrypted: bool) -> Self {
        self.encrypted = encrypted;
        self
    }

    /// This name with `.tmp` set or cleared.
    pub const fn with_temporary(mut self, temporary: bool) -> Self {
        self.temporary = temporary;
        self
    }
}

impl fmt::Display for FileName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uid)?;
        if let Some(ts) = self.kind.timestamp() {
            write!(f, "-{ts}")?;
        }
        if let FileKind::Command { number: Some(n) } = self.kind {
            write!(f, "-{n}")?;
        }
        write!(f, "-{}.bson", self.kind.word())?;
        if self.encrypted {
            f.write_str(".aes")?;
        }
        if self.temporary {
            f.write_str(".tmp")?;
        }
        Ok(())
    }
}
