//! Definition files (`/DEF/*.csv`) and Modbus slave mapping files.
//!
//! Line 1 is the header `Protocol;Category;Manufacturer;Model[;ForcedWriteCode]`
//! (or the literal `ModbusSlave` for a slave mapping file); every other line
//! is a variable `Index;Info1;Info2;Info3;Info4;Name;Tag;CoefA;CoefB;Unit;Action`.
//! The meaning of `Info1`–`Info4` depends on the protocol: see
//! [`Variable::modbus`] and [`Variable::io`].

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::lossless::{self, Line, Record, line_no};
use crate::modbus::{AddressProblem, CodecError, Coefficients, VarSpec};
use crate::text::{self, field_col};

/// What the gateway does with a variable (`Action`). Codes, not a bitmask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Action {
    /// 0: disabled.
    Disabled,
    /// 1: parameter (read on demand by `getParameters`).
    Parameter,
    /// 2: min/max/mean, 3 columns in DATA files.
    MinMaxMean,
    /// 4: instant value.
    Instant,
    /// 6: instant value, also in `getData` snapshots (≥ V4.02).
    InstantSnapshot,
    /// 7: min/max/mean, also in `getData` snapshots (≥ V4.02).
    MinMaxMeanSnapshot,
    /// 8: alarm on change, immediate connection.
    Alarm,
    /// 9: alarm on change, sent at the next connection (≥ V4.02).
    AlarmDeferred,
}

impl Action {
    /// From the numeric code.
    pub fn from_code(c: u8) -> Option<Action> {
        Some(match c {
            0 => Action::Disabled,
            1 => Action::Parameter,
            2 => Action::MinMaxMean,
            4 => Action::Instant,
            6 => Action::InstantSnapshot,
            7 => Action::MinMaxMeanSnapshot,
            8 => Action::Alarm,
            9 => Action::AlarmDeferred,
            _ => return None,
        })
    }

    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Action::Disabled => 0,
            Action::Parameter => 1,
            Action::MinMaxMean => 2,
            Action::Instant => 4,
            Action::InstantSnapshot => 6,
            Action::MinMaxMeanSnapshot => 7,
            Action::Alarm => 8,
            Action::AlarmDeferred => 9,
        }
    }

    /// How many columns the variable takes in a DATA file.
    pub fn data_columns(self) -> usize {
        match self {
            Action::Disabled | Action::Parameter => 0,
            Action::MinMaxMean | Action::MinMaxMeanSnapshot => 3,
            _ => 1,
        }
    }
}

/// The definition header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DefHeader {
    /// `modbus`, `modbusRTU`, `modbusTCP`, `io`, `tic`, `SMANET`…
    pub protocol: String,
    /// Category shown in the web UI (`Inverter`, `Meter`…).
    pub category: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Forced write code (5th field, ≥ V4.02): 1 forces FC 0x10 even for one
    /// register. `None` when the field is absent.
    pub forced_write: Option<u8>,
}

/// The protocol family of a definition header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Family {
    /// `modbus`, `modbusRTU`, `modbusTCP`.
    Modbus,
    /// `io`.
    Io,
    /// `tic`.
    Tic,
    /// `smanet`.
    Sma,
    /// Anything else (proprietary protocols).
    Other,
}

impl DefHeader {
    /// The protocol family.
    pub fn family(&self) -> Family {
        let p = self.protocol.to_ascii_lowercase();
        match p.as_str() {
            "modbus" | "modbusrtu" | "modbustcp" => Family::Modbus,
            "io" => Family::Io,
            "tic" => Family::Tic,
            "smanet" | "sma" => Family::Sma,
            _ => Family::Other,
        }
    }
}

/// One variable row.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Variable {
    /// `Index`: unique identifier (usually a number).
    pub index: String,
    /// `Info1`.
    pub info1: String,
    /// `Info2`.
    pub info2: String,
    /// `Info3`.
    pub info3: String,
    /// `Info4` (SunSpec: the scale factor variable's name; slave: device).
    pub info4: String,
    /// `Name`, unique.
    pub name: String,
    /// `Tag`, unique when set.
    pub tag: String,
    /// `CoefA` (missing → 1).
    pub coef_a: Option<f64>,
    /// `CoefB` (missing → 0).
    pub coef_b: Option<f64>,
    /// `Unit`.
    pub unit: String,
    /// `Action` code as written (`None` when empty); see [`Action`].
    pub action: Option<u8>,
}

/// An IO variable's `Info1`–`Info3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IoPoint {
    /// Analog input 1–4: `true` for 4–20 mA, `false` for 0–10 V.
    Analog {
        /// Input number.
        number: u8,
        /// 4–20 mA (Info3 = 1) or 0–10 V (Info3 = 2).
        current_loop: bool,
    },
    /// Digital input 1–3: `true` for an S0 pulse counter, `false` for ON/OFF.
    Digital {
        /// Input number.
        number: u8,
        /// S0 pulses (Info3 = 2) or dry contact (Info3 = 1).
        pulse: bool,
    },
    /// The relay output.
    Relay,
}

impl Variable {
    /// The Modbus meaning of `Info1`–`Info3`.
    pub fn modbus(&self) -> Result<VarSpec, CodecError> {
        VarSpec::parse(&self.info1, &self.info2, &self.info3)
    }

    /// `CoefA`, `CoefB` and `Unit` with their defaults.
    pub fn coefficients(&self) -> Coefficients<'_> {
        Coefficients {
            a: self.coef_a.unwrap_or(1.0),
            b: self.coef_b.unwrap_or(0.0),
            unit: &self.unit,
        }
    }

    /// The action, if the code is valid.
    pub fn action(&self) -> Option<Action> {
        self.action.and_then(Action::from_code)
    }

    /// The IO meaning of `Info1`–`Info3` (FR ranges: analog 1–4, digital
    /// 1–3, one relay). On error: the 0-based Info field and the message.
    pub fn io(&self) -> Result<IoPoint, (usize, String)> {
        let n = self.info2.parse::<u8>().map_err(|_| {
            (
                2,
                format!("Info2 must be the I/O number, found '{}'", self.info2),
            )
        })?;
        let mode = self.info3.as_str();
        match self.info1.as_str() {
            "1" => {
                if !(1..=4).contains(&n) {
                    return Err((2, format!("analog input number must be 1-4, found {n}")));
                }
                match mode {
                    "1" | "2" => Ok(IoPoint::Analog {
                        number: n,
                        current_loop: mode == "1",
                    }),
                    _ => Err((
                        3,
                        format!(
                            "Info3 of an analog input must be 1 (4-20 mA) or 2 (0-10 V), found '{mode}'"
                        ),
                    )),
                }
            }
            "2" => {
                if !(1..=3).contains(&n) {
                    return Err((2, format!("digital input number must be 1-3, found {n}")));
                }
                match mode {
                    "1" | "2" => Ok(IoPoint::Digital {
                        number: n,
                        pulse: mode == "2",
                    }),
                    _ => Err((
                        3,
                        format!(
                            "Info3 of a digital input must be 1 (ON/OFF) or 2 (S0 pulses), found '{mode}'"
                        ),
                    )),
                }
            }
            "3" => {
                if n != 1 {
                    return Err((2, format!("relay output number must be 1, found {n}")));
                }
                Ok(IoPoint::Relay)
            }
            other => Err((
                1,
                format!(
                    "Info1 must be 1 (analog input), 2 (digital input) or 3 (relay), found '{other}'"
                ),
            )),
        }
    }

    /// A slave mapping row's `Info2`: start register and size in bytes
    /// (default 2).
    pub fn slave_range(&self) -> Result<(u32, u32), String> {
        let (start, size) = match self.info2.split_once('_') {
            Some((a, b)) => (a, Some(b)),
            None => (self.info2.as_str(), None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(start) {
            return Err(format!(
                "Info2 must be START[_SIZE], found '{}'",
                self.info2
            ));
        }
        let start: u32 = start
            .parse()
            .map_err(|_| String::from("Info2 start is too large"))?;
        let size: u32 = match size {
            Some(s) if digits(s) => s
                .parse()
                .map_err(|_| String::from("Info2 size is too large"))?,
            Some(s) => return Err(format!("Info2 size must be a number of bytes, found '{s}'")),
            None => 2,
        };
        Ok((start, size))
    }
}

/// One line of a definition or slave mapping file.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DefLine {
    /// The definition header (line 1).
    Header(DefHeader),
    /// `ModbusSlave` (line 1 of a slave mapping file).
    SlaveHeader,
    /// A variable row.
    Variable(Variable),
    /// Blank line.
    Blank,
    /// A line that does not parse.
    Invalid,
}

fn coef(line: &str, i: usize, f: &str, name: &str) -> Result<Option<f64>, (u32, String)> {
    if f.is_empty() {
        return Ok(None);
    }
    let ok = f
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    match f.parse::<f64>() {
        Ok(v) if ok && v.is_finite() => Ok(Some(v)),
        _ => {
            let hint = if f.contains(',') {
                " (decimal comma? the gateway expects '.')"
            } else {
                ""
            };
            Err((
                field_col(line, i),
                format!("{name} must be a number, found '{f}'{hint}"),
            ))
        }
    }
}

fn fmt_f64(v: f64) -> String {
    format!("{v}")
}

impl Record for DefLine {
    fn parse(line: &str, first: bool) -> Result<Self, (u32, String)> {
        if line.trim().is_empty() {
            return Ok(DefLine::Blank);
        }
        let f: Vec<&str> = text::fields(line).map(|x| x.text).collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let s = |i: usize| get(i).to_string();
        if first {
            if f.len() == 1 && get(0).eq_ignore_ascii_case("ModbusSlave") {
                return Ok(DefLine::SlaveHeader);
            }
            if f.len() != 4 && f.len() != 5 {
                return Err((
                    1,
                    format!(
                        "header must be Protocol;Category;Manufacturer;Model[;ForcedWriteCode] (4 or 5 fields), found {} fields",
                        f.len()
                    ),
                ));
            }
            let forced_write = match f.get(4) {
                None => None,
                Some(v) => Some(
                    v.parse::<u8>()
                        .ok()
                        .filter(|_| v.bytes().all(|b| b.is_ascii_digit()))
                        .ok_or_else(|| {
                            (
                                field_col(line, 4),
                                format!("forced write code must be 0 or 1, found '{v}'"),
                            )
                        })?,
                ),
            };
            return Ok(DefLine::Header(DefHeader {
                protocol: s(0),
                category: s(1),
                manufacturer: s(2),
                model: s(3),
                forced_write,
            }));
        }
        if f.len() != 11 {
            let col = if f.len() > 11 {
                field_col(line, 11)
            } else {
                text::column(line, line.len())
            };
            return Err((
                col,
                format!(
                    "variable row needs 11 fields (Index;Info1;Info2;Info3;Info4;Name;Tag;CoefA;CoefB;Unit;Action), found {}",
                    f.len()
                ),
            ));
        }
        let action = match get(10) {
            "" => None,
            a => Some(
                a.parse::<u8>()
                    .ok()
                    .filter(|_| a.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| {
                        (
                            field_col(line, 10),
                            format!("Action must be a number, found '{a}'"),
                        )
                    })?,
            ),
        };
        Ok(DefLine::Variable(Variable {
            index: s(0),
            info1: s(1),
            info2: s(2),
            info3: s(3),
            info4: s(4),
            name: s(5),
            tag: s(6),
            coef_a: coef(line, 7, get(7), "CoefA")?,
            coef_b: coef(line, 8, get(8), "CoefB")?,
            unit: s(9),
            action,
        }))
    }

    fn render(&self) -> String {
        match self {
            DefLine::Blank | DefLine::Invalid => String::new(),
            DefLine::SlaveHeader => String::from("ModbusSlave"),
            DefLine::Header(h) => {
                let mut s = format!(
                    "{};{};{};{}",
                    h.protocol, h.category, h.manufacturer, h.model
                );
                if let Some(f) = h.forced_write {
                    s.push_str(&format!(";{f}"));
                }
                s
            }
            DefLine::Variable(v) => format!(
                "{};{};{};{};{};{};{};{};{};{};{}",
                v.index,
                v.info1,
                v.info2,
                v.info3,
                v.info4,
                v.name,
                v.tag,
                v.coef_a.map(fmt_f64).unwrap_or_default(),
                v.coef_b.map(fmt_f64).unwrap_or_default(),
                v.unit,
                v.action.map(|a| a.to_string()).unwrap_or_default()
            ),
        }
    }

    fn invalid() -> Self {
        DefLine::Invalid
    }

    fn is_invalid(&self) -> bool {
        matches!(self, DefLine::Invalid)
    }
}

/// A definition file or a Modbus slave mapping file.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DefinitionFile {
    /// The file started with a UTF-8 BOM.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bom: bool,
    /// Every physical line; the first is the header.
    pub lines: Vec<Line<DefLine>>,
}

impl DefinitionFile {
    /// Parses a file (never fails).
    pub fn parse(input: &str) -> (Self, Vec<Diagnostic>) {
        let (bom, lines, diags) = lossless::parse_lines(input);
        (DefinitionFile { bom, lines }, diags)
    }

    /// Builds a definition file from a header and variables.
    pub fn new(header: DefHeader, variables: impl IntoIterator<Item = Variable>) -> Self {
        let mut lines = Vec::from([Line::new(DefLine::Header(header))]);
        lines.extend(
            variables
                .into_iter()
                .map(|v| Line::new(DefLine::Variable(v))),
        );
        DefinitionFile { bom: false, lines }
    }

    /// Encodes the file.
    pub fn encode(&self) -> String {
        lossless::encode_lines(self.bom, &self.lines)
    }

    /// The header, if line 1 is one.
    pub fn header(&self) -> Option<&DefHeader> {
        match self.lines.first().map(|l| &l.record) {
            Some(DefLine::Header(h)) => Some(h),
            _ => None,
        }
    }

    /// Whether line 1 is `ModbusSlave`.
    pub fn is_slave_mapping(&self) -> bool {
        matches!(
            self.lines.first().map(|l| &l.record),
            Some(DefLine::SlaveHeader)
        )
    }

    /// The variable rows.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.lines.iter().filter_map(|l| match &l.record {
            DefLine::Variable(v) => Some(v),
            _ => None,
        })
    }

    /// Validates as a definition file or, if line 1 is `ModbusSlave`, as a
    /// slave mapping file.
    pub fn validate(&self) -> Vec<Diagnostic> {
        if self.is_slave_mapping() {
            self.validate_slave()
        } else {
            self.validate_definition()
        }
    }

    /// Checks a definition file: header, field counts, duplicate indexes,
    /// names and tags, action codes, and the protocol's Info fields
    /// (Modbus type/size/address consistency, IO ranges, TIC labels).
    pub fn validate_definition(&self) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let texts = lossless::common_checks(self.bom, &self.lines, true, &mut d);
        let family = match self.lines.first().map(|l| &l.record) {
            None => {
                d.push(Diagnostic::error(
                    1,
                    1,
                    "empty file: expected the header Protocol;Category;Manufacturer;Model",
                ));
                return d;
            }
            Some(DefLine::Header(h)) => {
                let t = texts.first().map(|t| t.as_ref()).unwrap_or("");
                if h.family() == Family::Other {
                    d.push(Diagnostic::warning(
                        1,
                        1,
                        format!(
                            "protocol '{}' is not modbus, modbusRTU, modbusTCP, io, tic or smanet",
                            h.protocol
                        ),
                    ));
                }
                for (k, (v, what)) in [
                    (&h.category, "Category"),
                    (&h.manufacturer, "Manufacturer"),
                    (&h.model, "Model"),
                ]
                .into_iter()
                .enumerate()
                {
                    if v.is_empty() {
                        d.push(Diagnostic::warning(
                            1,
                            field_col(t, k + 1),
                            format!("{what} is empty: the web UI finds files by it"),
                        ));
                    }
                }
                if let Some(f) = h.forced_write.filter(|f| *f > 1) {
                    d.push(Diagnostic::error(
                        1,
                        field_col(t, 4),
                        format!("forced write code must be 0 or 1, found {f}"),
                    ));
                }
                h.family()
            }
            Some(DefLine::SlaveHeader) => {
                d.push(Diagnostic::error(
                    1,
                    1,
                    "this is a Modbus slave mapping file, not a definition file",
                ));
                return d;
            }
            Some(DefLine::Invalid) => Family::Other,
            Some(_) => {
                d.push(Diagnostic::error(
                    1,
                    1,
                    "line 1 must be the header Protocol;Category;Manufacturer;Model",
                ));
                Family::Other
            }
        };
        let names: BTreeSet<&str> = self.variables().map(|v| v.name.as_str()).collect();
        let mut seen: [BTreeMap<&str, u32>; 3] =
            [BTreeMap::new(), BTreeMap::new(), BTreeMap::new()];
        for (i, (l, t)) in self.lines.iter().zip(&texts).enumerate().skip(1) {
            let n = line_no(i);
            let t: &str = t;
            let col = |k: usize| field_col(t, k);
            let v = match &l.record {
                DefLine::Variable(v) => v,
                DefLine::Header(_) | DefLine::SlaveHeader => {
                    d.push(Diagnostic::error(
                        n,
                        1,
                        "a header is only allowed on line 1",
                    ));
                    continue;
                }
                _ => continue,
            };
            if v.index.is_empty() {
                d.push(Diagnostic::error(n, 1, "Index is empty"));
            }
            if v.name.is_empty() {
                d.push(Diagnostic::error(n, col(5), "Name is empty"));
            }
            for (slot, (value, k, what)) in [
                (&v.index, 0, "Index"),
                (&v.name, 5, "Name"),
                (&v.tag, 6, "Tag"),
            ]
            .into_iter()
            .enumerate()
            {
                if value.is_empty() {
                    continue;
                }
                let Some(list) = seen.get_mut(slot) else {
                    continue;
                };
                if let Some(first) = list.get(value.as_str()) {
                    d.push(Diagnostic::error(
                        n,
                        col(k),
                        format!("duplicate {what} '{value}' (first at line {first})"),
                    ));
                } else {
                    list.insert(value.as_str(), n);
                }
            }
            match v.action {
                None => d.push(Diagnostic::error(
                    n,
                    col(10),
                    "Action is empty (expected 0, 1, 2, 4, 6, 7, 8 or 9)",
                )),
                Some(a) if Action::from_code(a).is_none() => d.push(Diagnostic::error(
                    n,
                    col(10),
                    format!("unknown Action code {a} (expected 0, 1, 2, 4, 6, 7, 8 or 9)"),
                )),
                _ => {}
            }
            match family {
                Family::Modbus => {
                    if let Err(e) = v.modbus() {
                        let k = match e {
                            CodecError::BadRegisterKind => 1,
                            CodecError::BadAddress(_) => 2,
                            _ => 3,
                        };
                        let msg = match e {
                            CodecError::BadRegisterKind => format!("{e}, found '{}'", v.info1),
                            CodecError::UnknownType => format!("{e}, found '{}'", v.info3),
                            CodecError::SwapNotAllowed => format!(
                                "swap suffix not allowed on '{}' (U8, I8, String, Bits, IP, IPV6, MAC and RAW take none; U16/I16 only _B)",
                                v.info3
                            ),
                            CodecError::BadAddress(AddressProblem::BadSize)
                            | CodecError::BadAddress(AddressProblem::MissingSize)
                            | CodecError::BadAddress(AddressProblem::UnexpectedSuffix) => {
                                format!("{e}: '{}' for type {}", v.info2, v.info3)
                            }
                            _ => format!("{e}: '{}'", v.info2),
                        };
                        d.push(Diagnostic::error(n, col(k), msg));
                    }
                    if !v.info4.is_empty() && !names.contains(&v.info4.as_str()) {
                        d.push(Diagnostic::error(
                            n,
                            col(4),
                            format!(
                                "Info4 names scale factor variable '{}', which is not in this file",
                                v.info4
                            ),
                        ));
                    }
                }
                Family::Io => {
                    if let Err((k, msg)) = v.io() {
                        d.push(Diagnostic::error(n, col(k), msg));
                    }
                }
                Family::Tic => {
                    if v.info1.is_empty() {
                        d.push(Diagnostic::error(n, col(1), "Info1 must be the TIC label"));
                    } else if !v.info1.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
                        d.push(Diagnostic::error(
                            n,
                            col(1),
                            format!(
                                "TIC label '{}' must be printable ASCII without spaces",
                                v.info1
                            ),
                        ));
                    }
                }
                Family::Sma => {
                    if v.info1.parse::<u32>().is_err() {
                        d.push(Diagnostic::error(
                            n,
                            col(1),
                            format!(
                                "Info1 must be the SMA-Net channel number, found '{}'",
                                v.info1
                            ),
                        ));
                    }
                }
                Family::Other => {}
            }
        }
        lossless::sort(&mut d);
        d
    }

    /// Checks a slave mapping file's `Info4` targets against the device names
    /// of the daq file (a name that is not a device may be a Lua script:
    /// reported as a warning).
    pub fn check_slave_targets(&self, is_device: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        for (i, l) in self.lines.iter().enumerate().skip(1) {
            let DefLine::Variable(v) = &l.record else {
                continue;
            };
            if !v.info4.is_empty() && !is_device(&v.info4) {
                let t = l.text(false);
                d.push(Diagnostic::warning(
                    line_no(i),
                    field_col(&t, 4),
                    format!(
                        "Info4 '{}' is not a device name of the daq file (a Lua script?)",
                        v.info4
                    ),
                ));
            }
        }
        d
    }

    /// Checks a Modbus slave mapping file: header, ranges (0–32767, sizes
    /// multiples of 2), overlaps, Name xor Tag, Info4 set, actions 0/1/4.
    pub fn validate_slave(&self) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let texts = lossless::common_checks(self.bom, &self.lines, true, &mut d);
        if !self.is_slave_mapping() {
            d.push(Diagnostic::error(
                1,
                1,
                "line 1 of a Modbus slave mapping file must be ModbusSlave",
            ));
        }
        let mut ranges: Vec<(u32, u32, u32)> = Vec::new();
        let mut indexes: BTreeMap<&str, u32> = BTreeMap::new();
        for (i, (l, t)) in self.lines.iter().zip(&texts).enumerate().skip(1) {
            let n = line_no(i);
            let t: &str = t;
            let col = |k: usize| field_col(t, k);
            let DefLine::Variable(v) = &l.record else {
                continue;
            };
            if let Some(first) = indexes.get(v.index.as_str()) {
                d.push(Diagnostic::error(
                    n,
                    1,
                    format!("duplicate Index '{}' (first at line {first})", v.index),
                ));
            } else {
                indexes.insert(&v.index, n);
            }
            match v.slave_range() {
                Err(msg) => d.push(Diagnostic::error(n, col(2), msg)),
                Ok((start, size)) => {
                    let regs = size / 2;
                    if size == 0 || size % 2 != 0 {
                        d.push(Diagnostic::error(
                            n,
                            col(2),
                            format!("size must be a positive multiple of 2 bytes, found {size}"),
                        ));
                    } else if start + regs > 32768 {
                        d.push(Diagnostic::error(
                            n,
                            col(2),
                            format!(
                                "registers {start}-{} leave the user space 0-32767",
                                start + regs - 1
                            ),
                        ));
                    } else {
                        let end = start + regs;
                        if let Some((_, _, first)) =
                            ranges.iter().find(|(s, e, _)| start < *e && *s < end)
                        {
                            d.push(Diagnostic::error(
                                n,
                                col(2),
                                format!(
                                    "registers {start}-{} overlap the row at line {first}",
                                    end - 1
                                ),
                            ));
                        }
                        ranges.push((start, end, n));
                    }
                }
            }
            if v.info4.is_empty() {
                d.push(Diagnostic::error(
                    n,
                    col(4),
                    "Info4 must name a device (daq name) or a Lua script",
                ));
            }
            match (v.name.is_empty(), v.tag.is_empty()) {
                (false, false) => d.push(Diagnostic::error(
                    n,
                    col(6),
                    "Name and Tag are mutually exclusive: set only one",
                )),
                (true, true) => d.push(Diagnostic::error(
                    n,
                    col(5),
                    "set the target variable's Name or its Tag",
                )),
                _ => {}
            }
            if let Some(a) = v.action.filter(|a| ![0, 1, 4].contains(a)) {
                d.push(Diagnostic::error(
                    n,
                    col(10),
                    format!(
                        "slave Action must be 0 (disabled), 1 (read) or 4 (read/write), found {a}"
                    ),
                ));
            }
        }
        lossless::sort(&mut d);
        d
    }
}
