//! File naming rules: which file a name designates, and the pattern of
//! generated definition-file names.
//!
//! Names are free for the gateway (it opens whatever the daq `defFile` column
//! says), so these are recognisers, never requirements.

/// The kind of a SunPM file, guessed from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
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
    #[cfg_attr(feature = "serde", serde(rename = "def"))]
    Definition,
    /// A Modbus slave mapping file (a `.csv` whose first line is `ModbusSlave`).
    Slave,
    /// Not a SunPM file name.
    Unknown,
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.get(s.len() - suffix.len()..)
            .is_some_and(|t| t.eq_ignore_ascii_case(suffix))
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

impl FileKind {
    /// Guesses the kind from a file name (the directory part, if any, is
    /// ignored). A Modbus slave mapping file cannot be told from its name: see
    /// [`FileKind::detect`].
    pub fn from_file_name(name: &str) -> FileKind {
        let base = base_name(name);
        if ends_with_ci(base, "_config.ini") {
            FileKind::Config
        } else if ends_with_ci(base, "_var.ini") {
            FileKind::Var
        } else if ends_with_ci(base, "_daq.csv") {
            FileKind::Daq
        } else if ends_with_ci(base, "_scl.ini") {
            FileKind::Scl
        } else if ends_with_ci(base, "_licence.ini") {
            FileKind::Licence
        } else if ends_with_ci(base, ".csv") {
            FileKind::Definition
        } else {
            FileKind::Unknown
        }
    }

    /// Guesses the kind from the name and, for `.csv` files, the first line
    /// (`ModbusSlave` makes a slave mapping file).
    pub fn detect(name: &str, text: &str) -> FileKind {
        match FileKind::from_file_name(name) {
            FileKind::Definition => {
                let first = crate::text::strip_bom(text).1.lines().next().unwrap_or("");
                if first.trim().eq_ignore_ascii_case("ModbusSlave") {
                    FileKind::Slave
                } else {
                    FileKind::Definition
                }
            }
            k => k,
        }
    }

    /// The `--kind` name of the CLI.
    pub const fn name(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Var => "var",
            FileKind::Daq => "daq",
            FileKind::Scl => "scl",
            FileKind::Licence => "licence",
            FileKind::Definition => "def",
            FileKind::Slave => "slave",
            FileKind::Unknown => "unknown",
        }
    }

    /// Parses a `--kind` name.
    pub fn from_name(s: &str) -> Option<FileKind> {
        [
            FileKind::Config,
            FileKind::Var,
            FileKind::Daq,
            FileKind::Scl,
            FileKind::Licence,
            FileKind::Definition,
            FileKind::Slave,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
}

/// The TIC meter types that have a built-in definition file
/// (`<uid>_TIC_<meter>.csv`).
pub const TIC_METERS: [&str; 9] = [
    "CBEMM",
    "CBEMM-ICC",
    "CBETM",
    "CJE",
    "ICE2Q",
    "ICE4Q",
    "PME-PMI",
    "SAPHIR",
    "LINKY",
];

/// The parts of `<uid>_SunSpec_<Category>_<Manufacturer>_<Model>_<Options>_<Protocol>.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SunSpecName<'a> {
    /// The gateway UID.
    pub uid: &'a str,
    /// Category (`Inverter`/`inverter`).
    pub category: &'a str,
    /// SunSpec common model `Manufacturer`.
    pub manufacturer: &'a str,
    /// SunSpec common model `Model` (spaces replaced by `_`; may contain `_`).
    pub model: &'a str,
    /// SunSpec common model `Options`.
    pub options: &'a str,
    /// `modbusRTU` or `modbusTCP`.
    pub protocol: &'a str,
}

/// What a definition file's name says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DefName<'a> {
    /// `<uid>_IO.csv`.
    Io {
        /// The UID.
        uid: &'a str,
    },
    /// `<uid>_TIC_<meter>.csv`.
    Tic {
        /// The UID.
        uid: &'a str,
        /// One of [`TIC_METERS`].
        meter: &'a str,
    },
    /// The EN SunSpec auto-detection pattern.
    SunSpec(SunSpecName<'a>),
    /// A library file `W_<Manufacturer>_<Model>.csv`.
    Library {
        /// Manufacturer (no `_`).
        manufacturer: &'a str,
        /// Model (the rest).
        model: &'a str,
    },
    /// Any other name (free form, e.g. `custom.csv`).
    Other,
}

/// Recognises a definition-file name.
pub fn parse_def_name(name: &str) -> DefName<'_> {
    let base = base_name(name);
    let Some(stem) = base
        .get(..base.len().saturating_sub(4))
        .filter(|_| ends_with_ci(base, ".csv"))
    else {
        return DefName::Other;
    };
    if let Some(rest) = stem.strip_prefix("W_")
        && let Some((manufacturer, model)) = rest.split_once('_')
        && !manufacturer.is_empty()
        && !model.is_empty()
    {
        return DefName::Library {
            manufacturer,
            model,
        };
    }
    let Some((uid, rest)) = stem.split_once('_') else {
        return DefName::Other;
    };
    if uid.is_empty() {
        return DefName::Other;
    }
    if rest == "IO" {
        return DefName::Io { uid };
    }
    if let Some(meter) = rest.strip_prefix("TIC_")
        && TIC_METERS.contains(&meter)
    {
        return DefName::Tic { uid, meter };
    }
    if let Some(rest) = rest.strip_prefix("SunSpec_") {
        let mut it = rest.splitn(3, '_');
        let (Some(category), Some(manufacturer), Some(tail)) = (it.next(), it.next(), it.next())
        else {
            return DefName::Other;
        };
        let Some((tail, protocol)) = tail.rsplit_once('_') else {
            return DefName::Other;
        };
        let Some((model, options)) = tail.rsplit_once('_') else {
            return DefName::Other;
        };
        if [category, manufacturer, model, protocol]
            .iter()
            .any(|s| s.is_empty())
        {
            return DefName::Other;
        }
        return DefName::SunSpec(SunSpecName {
            uid,
            category,
            manufacturer,
            model,
            options,
            protocol,
        });
    }
    DefName::Other
}

/// Builds a SunSpec auto-detection definition file name, replacing spaces
/// in each part with `_` as the gateway does.
#[cfg(feature = "alloc")]
pub fn sunspec_file_name(n: &SunSpecName<'_>) -> alloc::string::String {
    let parts = [
        n.uid,
        "SunSpec",
        n.category,
        n.manufacturer,
        n.model,
        n.options,
        n.protocol,
    ];
    let mut s = parts.join("_").replace(' ', "_");
    s.push_str(".csv");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_manuals() {
        assert_eq!(
            FileKind::from_file_name("WPM00BDE4_config.ini"),
            FileKind::Config
        );
        assert_eq!(
            FileKind::from_file_name("/CONFIG/WPM00BDE4_daq.csv"),
            FileKind::Daq
        );
        assert_eq!(
            FileKind::from_file_name("WPM0146B6_licence.ini"),
            FileKind::Licence
        );
        assert_eq!(FileKind::from_file_name("custom.csv"), FileKind::Definition);
        assert_eq!(
            FileKind::detect("map.csv", "ModbusSlave\n1;;0;;X;T;;;;;1\n"),
            FileKind::Slave
        );
        assert_eq!(
            parse_def_name("WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv"),
            DefName::SunSpec(SunSpecName {
                uid: "WPM00BDE4",
                category: "inverter",
                manufacturer: "SMA",
                model: "Solar_Inverter",
                options: "9301",
                protocol: "modbusTCP"
            })
        );
        assert_eq!(
            parse_def_name("WPM00C44F_IO.csv"),
            DefName::Io { uid: "WPM00C44F" }
        );
        assert_eq!(
            parse_def_name("WPM00C715_TIC_LINKY.csv"),
            DefName::Tic {
                uid: "WPM00C715",
                meter: "LINKY"
            }
        );
        assert_eq!(
            parse_def_name("W_ABB_TRIO_20.0-27.6_TL_OUTD.csv"),
            DefName::Library {
                manufacturer: "ABB",
                model: "TRIO_20.0-27.6_TL_OUTD"
            }
        );
        assert_eq!(
            parse_def_name("MODBUS_DELTA_M88H-COM1.20-Sunspec.csv"),
            DefName::Other
        );
        assert_eq!(parse_def_name("custom.csv"), DefName::Other);
    }
}
