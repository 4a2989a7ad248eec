//! The two TIC modes and how a decoder chooses between them.

/// The framing mode of a group: it decides the separator and the checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Mode {
    /// Historic mode (Enedis-NOI-CPT_02E, also PME-PMI): SP separates the
    /// fields and the checksum covers the label, the SP and the data, but not
    /// the SP before the checksum. 1200 baud.
    Historic,
    /// Standard mode (Enedis-NOI-CPT_54E, Linky): HT separates the fields,
    /// an optional horodate sits between label and data, and the checksum
    /// covers everything up to and including the HT before it. 9600 baud.
    Standard,
}

impl Mode {
    /// The field separator of this mode: SP (0x20) or HT (0x09).
    pub const fn separator(self) -> u8 {
        match self {
            Mode::Historic => b' ',
            Mode::Standard => b'\t',
        }
    }

    /// The mode whose separator is `byte`, if it is one.
    pub const fn from_separator(byte: u8) -> Option<Mode> {
        match byte {
            b' ' => Some(Mode::Historic),
            b'\t' => Some(Mode::Standard),
            _ => None,
        }
    }

    /// The lower-case name used in JSON and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Mode::Historic => "historic",
            Mode::Standard => "standard",
        }
    }
}

/// Which modes a decoder accepts.
///
/// `Auto` decides per group from the separator before the checksum, which is
/// the only byte that always tells the modes apart (data may contain SP in
/// both modes). A forced mode rejects groups of the other mode with
/// [`ErrorKind::WrongMode`](crate::ErrorKind::WrongMode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ModeSelect {
    /// Detect the mode of every group.
    #[default]
    Auto,
    /// Accept historic groups only.
    Historic,
    /// Accept standard groups only.
    Standard,
}

impl ModeSelect {
    /// True when a group of mode `mode` is acceptable.
    pub const fn accepts(self, mode: Mode) -> bool {
        matches!(
            (self, mode),
            (ModeSelect::Auto, _)
                | (ModeSelect::Historic, Mode::Historic)
                | (ModeSelect::Standard, Mode::Standard)
        )
    }
}

impl From<Mode> for ModeSelect {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Historic => ModeSelect::Historic,
            Mode::Standard => ModeSelect::Standard,
        }
    }
}
