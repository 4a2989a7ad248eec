//! `<uid>_daq.csv`: network interfaces, serial ports, the Modbus slave and
//! the device declarations.
//!
//! `;`-separated records; the first field names the record (`type`/`index`
//! header rows, `MODEM`, `LAN1`/`LAN2`, `tcpInterFrameMs`, `SERIAL1`–`3`,
//! `ModbusSlave`, then one device per line whose first field is a number,
//! `IO` or `TIC1`). Trailing empty fields and every spelling are kept.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::def::{DefinitionFile, Family};
use crate::diag::Diagnostic;
use crate::lossless::{self, Line, Record, line_no};
use crate::text::{self, field_col};

/// Baud rates the serial ports support.
pub const BAUD_RATES: [u32; 10] = [
    1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800,
];

/// The `MODEM` record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Modem {
    /// SIM PIN (digits or empty).
    pub pin: String,
    /// APN (must be set to use the modem).
    pub apn: String,
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
    /// `none`/`None`, `PAP`, `CHAP`, `Both`.
    pub authentication: String,
    /// SMS service centre (FR manual column; `None` when the column is absent).
    pub server: Option<String>,
    /// DNS override (FR manual column; `None` when absent).
    pub dns: Option<String>,
}

/// A `LAN1`/`LAN2` record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lan {
    /// 1 or 2.
    pub port: u8,
    /// IPv4 address.
    pub ip: String,
    /// Mask.
    pub mask: String,
    /// Gateway (optional).
    pub gateway: String,
    /// DNS 1 (optional).
    pub dns1: String,
    /// DNS 2 (optional).
    pub dns2: String,
}

/// A `SERIAL1`–`SERIAL3` record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Serial {
    /// 1, 2 or 3.
    pub port: u8,
    /// Baud rate (one of [`BAUD_RATES`]).
    pub baudrate: u32,
    /// 7 or 8.
    pub data_bits: u32,
    /// `N`, `O` or `E`.
    pub parity: String,
    /// 1 or 2.
    pub stop_bits: u32,
    /// 2 (half duplex) or 4 (full duplex).
    pub wires: u32,
    /// `modbusRTU` (`Modbus`), `smanet`, `PW1` or another proprietary token.
    pub protocol: String,
    /// Silence before the next frame, ms.
    pub interframe_ms: u32,
    /// TCP port of the Modbus TCP→RTU tunnel: `None` when the column is
    /// absent (EN layout), `Some("")` when empty.
    pub forwarded_port: Option<String>,
}

/// The `ModbusSlave` record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SlaveConfig {
    /// Whether the slave runs.
    pub enabled: bool,
    /// TCP port (502).
    pub port: u32,
    /// Mapping file in `/DEF`, or empty for the built-in registers only.
    pub mapping_file: String,
}

/// A device's `index` column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum DeviceIndex {
    /// `IO`: the gateway's own inputs and outputs.
    Io,
    /// `TIC1`: the TIC meter.
    Tic,
    /// A numbered device.
    Number(u32),
}

/// A device's `interface` column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Interface {
    /// Empty (IO, TIC).
    None,
    /// `SERIAL1`–`SERIAL3`.
    Serial(u8),
    /// `ip[:port]`: Modbus TCP (port 502 when absent).
    Tcp {
        /// The host as written.
        host: String,
        /// The port, if written.
        port: Option<u32>,
    },
}

/// A device declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Device {
    /// `index`.
    pub index: DeviceIndex,
    /// `interface`.
    pub interface: Interface,
    /// `name`, unique.
    pub name: String,
    /// `address`: Modbus unit id or SMA-Net bus address.
    pub address: Option<u32>,
    /// `acqPeriod(s)`.
    pub acq_period_s: Option<u32>,
    /// `timeout(ms)`.
    pub timeout_ms: Option<u32>,
    /// `serialNumber` (text: TIC serials keep leading zeros).
    pub serial_number: String,
    /// `parameters` (keep-alive, SMA inter-frame, TIC baud rate…).
    pub parameters: String,
    /// `tag` (≥ V5.1.0) or `category` (before).
    pub tag: String,
    /// `model`.
    pub model: String,
    /// `defFile`: the definition file in `/DEF`.
    pub def_file: String,
}

/// How the gateway talks to a device (derived from its interface and the
/// serial port's protocol).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DeviceProtocol {
    /// The gateway's I/O.
    Io,
    /// The TIC meter.
    Tic,
    /// Modbus RTU on a serial port.
    ModbusRtu,
    /// Modbus TCP.
    ModbusTcp,
    /// SMA-Net on a serial port.
    SmaNet,
    /// A proprietary protocol token of the serial port (e.g. `PW1`).
    Proprietary(String),
}

/// One line of `_daq.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DaqLine {
    /// Blank line.
    Blank,
    /// A `type;…` or `index;…` header row (fields as written).
    Header(Vec<String>),
    /// `MODEM;…`.
    Modem(Modem),
    /// `LAN1;…`/`LAN2;…`.
    Lan(Lan),
    /// `tcpInterFrameMs;<ms>`.
    TcpInterFrame(u32),
    /// `SERIALn;…`.
    Serial(Serial),
    /// `ModbusSlave;…`.
    ModbusSlave(SlaveConfig),
    /// A device.
    Device(Device),
    /// A line that does not parse.
    Invalid,
}

type Err = (u32, String);

fn num(line: &str, i: usize, f: &str, name: &str) -> Result<u32, Err> {
    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            field_col(line, i),
            format!("{name} must be a number, found '{f}'"),
        ));
    }
    f.parse()
        .map_err(|_| (field_col(line, i), format!("{name} is too large: {f}")))
}

fn opt_num(line: &str, i: usize, f: &str, name: &str) -> Result<Option<u32>, Err> {
    if f.is_empty() {
        Ok(None)
    } else {
        num(line, i, f, name).map(Some)
    }
}

fn count(line: &str, f: &[&str], what: &str, allowed: &[usize]) -> Result<(), Err> {
    if allowed.contains(&f.len()) {
        return Ok(());
    }
    let expected = match allowed {
        [a] => format!("{a}"),
        [a, .., b] => format!("{a} to {b}"),
        [] => String::new(),
    };
    // Too many fields: point at the first extra one; too few: past the end.
    let max = allowed.iter().copied().max().unwrap_or(0);
    let col = if f.len() > max {
        field_col(line, max)
    } else {
        text::column(line, line.len())
    };
    Err((
        col,
        format!("{what} record needs {expected} fields, found {}", f.len()),
    ))
}

impl Record for DaqLine {
    fn parse(line: &str, _first: bool) -> Result<Self, Err> {
        if line.trim().is_empty() {
            return Ok(DaqLine::Blank);
        }
        let f: Vec<&str> = text::fields(line).map(|x| x.text).collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let s = |i: usize| get(i).to_string();
        let head = get(0);
        let is = |k: &str| head.eq_ignore_ascii_case(k);
        if is("type") || is("index") {
            return Ok(DaqLine::Header(f.iter().map(|x| x.to_string()).collect()));
        }
        if is("MODEM") {
            count(line, &f, "MODEM", &[6, 7, 8])?;
            return Ok(DaqLine::Modem(Modem {
                pin: s(1),
                apn: s(2),
                login: s(3),
                password: s(4),
                authentication: s(5),
                server: f.get(6).map(|x| x.to_string()),
                dns: f.get(7).map(|x| x.to_string()),
            }));
        }
        if is("LAN1") || is("LAN2") {
            count(line, &f, "LAN", &[6])?;
            let port = if is("LAN1") { 1 } else { 2 };
            return Ok(DaqLine::Lan(Lan {
                port,
                ip: s(1),
                mask: s(2),
                gateway: s(3),
                dns1: s(4),
                dns2: s(5),
            }));
        }
        if is("tcpInterFrameMs") {
            count(line, &f, "tcpInterFrameMs", &[2])?;
            return Ok(DaqLine::TcpInterFrame(num(
                line,
                1,
                get(1),
                "tcpInterFrameMs",
            )?));
        }
        if is("SERIAL1") || is("SERIAL2") || is("SERIAL3") {
            count(line, &f, "SERIAL", &[8, 9])?;
            let port = head.get(6..).and_then(|d| d.parse().ok()).unwrap_or(1);
            return Ok(DaqLine::Serial(Serial {
                port,
                baudrate: num(line, 1, get(1), "baudrate")?,
                data_bits: num(line, 2, get(2), "data_bits")?,
                parity: s(3),
                stop_bits: num(line, 4, get(4), "stop_bits")?,
                wires: num(line, 5, get(5), "wires")?,
                protocol: s(6),
                interframe_ms: num(line, 7, get(7), "interframe(ms)")?,
                forwarded_port: f.get(8).map(|x| x.to_string()),
            }));
        }
        if is("ModbusSlave") {
            count(line, &f, "ModbusSlave", &[4])?;
            let enabled = match get(1) {
                "0" => false,
                "1" => true,
                v => {
                    return Err((
                        field_col(line, 1),
                        format!("ModbusSlave enabled must be 0 or 1, found '{v}'"),
                    ));
                }
            };
            return Ok(DaqLine::ModbusSlave(SlaveConfig {
                enabled,
                port: num(line, 2, get(2), "ModbusSlave port")?,
                mapping_file: s(3),
            }));
        }
        let index = if is("IO") {
            DeviceIndex::Io
        } else if is("TIC1") {
            DeviceIndex::Tic
        } else if !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit()) {
            DeviceIndex::Number(num(line, 0, head, "index")?)
        } else {
            return Err((
                field_col(line, 0),
                format!(
                    "unknown record '{head}' (expected type, index, MODEM, LAN1, LAN2, tcpInterFrameMs, SERIAL1-3, ModbusSlave, IO, TIC1 or a device number)"
                ),
            ));
        };
        count(line, &f, "device", &[11])?;
        let iface = get(1);
        let interface = if iface.is_empty() {
            Interface::None
        } else if let Some(n) = ["SERIAL1", "SERIAL2", "SERIAL3"]
            .iter()
            .position(|k| k.eq_ignore_ascii_case(iface))
        {
            Interface::Serial(u8::try_from(n + 1).unwrap_or(1))
        } else {
            match iface.rsplit_once(':') {
                Some((host, port)) => Interface::Tcp {
                    host: host.to_string(),
                    port: Some(
                        num(line, 1, port, "interface port")
                            .map_err(|(_, m)| (field_col(line, 1), m))?,
                    ),
                },
                None => Interface::Tcp {
                    host: iface.to_string(),
                    port: None,
                },
            }
        };
        Ok(DaqLine::Device(Device {
            index,
            interface,
            name: s(2),
            address: opt_num(line, 3, get(3), "address")?,
            acq_period_s: opt_num(line, 4, get(4), "acqPeriod(s)")?,
            timeout_ms: opt_num(line, 5, get(5), "timeout(ms)")?,
            serial_number: s(6),
            parameters: s(7),
            tag: s(8),
            model: s(9),
            def_file: s(10),
        }))
    }

    fn render(&self) -> String {
        let opt = |o: &Option<String>| o.as_ref().map(|s| format!(";{s}")).unwrap_or_default();
        let optn = |o: &Option<u32>| o.map(|n| n.to_string()).unwrap_or_default();
        match self {
            DaqLine::Blank | DaqLine::Invalid => String::new(),
            DaqLine::Header(f) => f.join(";"),
            DaqLine::Modem(m) => format!(
                "MODEM;{};{};{};{};{}{}{}",
                m.pin,
                m.apn,
                m.login,
                m.password,
                m.authentication,
                opt(&m.server),
                opt(&m.dns)
            ),
            DaqLine::Lan(l) => format!(
                "LAN{};{};{};{};{};{}",
                l.port, l.ip, l.mask, l.gateway, l.dns1, l.dns2
            ),
            DaqLine::TcpInterFrame(ms) => format!("tcpInterFrameMs;{ms}"),
            DaqLine::Serial(s) => format!(
                "SERIAL{};{};{};{};{};{};{};{}{}",
                s.port,
                s.baudrate,
                s.data_bits,
                s.parity,
                s.stop_bits,
                s.wires,
                s.protocol,
                s.interframe_ms,
                opt(&s.forwarded_port)
            ),
            DaqLine::ModbusSlave(m) => format!(
                "ModbusSlave;{};{};{}",
                u8::from(m.enabled),
                m.port,
                m.mapping_file
            ),
            DaqLine::Device(d) => {
                let index = match d.index {
                    DeviceIndex::Io => String::from("IO"),
                    DeviceIndex::Tic => String::from("TIC1"),
                    DeviceIndex::Number(n) => n.to_string(),
                };
                let iface = match &d.interface {
                    Interface::None => String::new(),
                    Interface::Serial(n) => format!("SERIAL{n}"),
                    Interface::Tcp {
                        host,
                        port: Some(p),
                    } => format!("{host}:{p}"),
                    Interface::Tcp { host, port: None } => host.clone(),
                };
                format!(
                    "{index};{iface};{};{};{};{};{};{};{};{};{}",
                    d.name,
                    optn(&d.address),
                    optn(&d.acq_period_s),
                    optn(&d.timeout_ms),
                    d.serial_number,
                    d.parameters,
                    d.tag,
                    d.model,
                    d.def_file
                )
            }
        }
    }

    fn invalid() -> Self {
        DaqLine::Invalid
    }

    fn is_invalid(&self) -> bool {
        matches!(self, DaqLine::Invalid)
    }
}

/// A `<uid>_daq.csv` file.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DaqFile {
    /// The file started with a UTF-8 BOM.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bom: bool,
    /// Every physical line.
    pub lines: Vec<Line<DaqLine>>,
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

impl DaqFile {
    /// Parses a file (never fails).
    pub fn parse(input: &str) -> (Self, Vec<Diagnostic>) {
        let (bom, lines, diags) = lossless::parse_lines(input);
        (DaqFile { bom, lines }, diags)
    }

    /// Encodes the file.
    pub fn encode(&self) -> String {
        lossless::encode_lines(self.bom, &self.lines)
    }

    /// The device declarations, in file order.
    pub fn devices(&self) -> impl Iterator<Item = &Device> {
        self.lines.iter().filter_map(|l| match &l.record {
            DaqLine::Device(d) => Some(d),
            _ => None,
        })
    }

    /// The serial port record `SERIALn`.
    pub fn serial(&self, port: u8) -> Option<&Serial> {
        self.lines.iter().find_map(|l| match &l.record {
            DaqLine::Serial(s) if s.port == port => Some(s),
            _ => None,
        })
    }

    /// The `ModbusSlave` record.
    pub fn modbus_slave(&self) -> Option<&SlaveConfig> {
        self.lines.iter().find_map(|l| match &l.record {
            DaqLine::ModbusSlave(s) => Some(s),
            _ => None,
        })
    }

    /// How the gateway talks to a device.
    pub fn protocol_of(&self, d: &Device) -> DeviceProtocol {
        match (&d.index, &d.interface) {
            (DeviceIndex::Io, _) => DeviceProtocol::Io,
            (DeviceIndex::Tic, _) => DeviceProtocol::Tic,
            (_, Interface::Tcp { .. }) => DeviceProtocol::ModbusTcp,
            (_, Interface::Serial(n)) => match self.serial(*n).map(|s| s.protocol.as_str()) {
                None => DeviceProtocol::ModbusRtu,
                Some(p)
                    if p.eq_ignore_ascii_case("modbusRTU") || p.eq_ignore_ascii_case("modbus") =>
                {
                    DeviceProtocol::ModbusRtu
                }
                Some(p) if p.eq_ignore_ascii_case("smanet") => DeviceProtocol::SmaNet,
                Some(p) => DeviceProtocol::Proprietary(p.to_string()),
            },
            (_, Interface::None) => DeviceProtocol::ModbusRtu,
        }
    }

    /// Checks everything but the definition files' existence.
    pub fn validate(&self) -> Vec<Diagnostic> {
        self.validate_with(None)
    }

    /// Checks the file; when `available` is given, device `defFile`s and the
    /// slave mapping file must be among those names.
    pub fn validate_with(&self, available: Option<&dyn Fn(&str) -> bool>) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let texts = lossless::common_checks(self.bom, &self.lines, true, &mut d);
        let mut singles: Vec<(String, u32)> = Vec::new();
        let mut indexes: BTreeMap<DeviceIndex, u32> = BTreeMap::new();
        let mut names: BTreeMap<String, u32> = BTreeMap::new();
        for (i, (l, t)) in self.lines.iter().zip(&texts).enumerate() {
            let n = line_no(i);
            let t: &str = t;
            let col = |k: usize| field_col(t, k);
            let mut single = |key: String, d: &mut Vec<Diagnostic>| {
                if let Some((_, first)) = singles.iter().find(|(k, _)| *k == key) {
                    d.push(Diagnostic::error(
                        n,
                        1,
                        format!("duplicate {key} record (first at line {first})"),
                    ));
                } else {
                    singles.push((key, n));
                }
            };
            match &l.record {
                DaqLine::Modem(m) => {
                    single(String::from("MODEM"), &mut d);
                    if !m.pin.is_empty() && !m.pin.bytes().all(|b| b.is_ascii_digit()) {
                        d.push(Diagnostic::error(
                            n,
                            col(1),
                            format!("PIN must be digits, found '{}'", m.pin),
                        ));
                    }
                    if !["none", "pap", "chap", "both"]
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(&m.authentication))
                    {
                        d.push(Diagnostic::error(
                            n,
                            col(5),
                            format!(
                                "authentication must be none, PAP, CHAP or Both, found '{}'",
                                m.authentication
                            ),
                        ));
                    }
                    if let Some(dns) = m.dns.as_deref().filter(|s| !s.is_empty() && !is_ipv4(s)) {
                        d.push(Diagnostic::error(
                            n,
                            col(7),
                            format!("dns must be an IPv4 address, found '{dns}'"),
                        ));
                    }
                }
                DaqLine::Lan(lan) => {
                    single(format!("LAN{}", lan.port), &mut d);
                    for (k, v, required) in [
                        (1, &lan.ip, true),
                        (2, &lan.mask, true),
                        (3, &lan.gateway, false),
                        (4, &lan.dns1, false),
                        (5, &lan.dns2, false),
                    ] {
                        let what = ["", "ip", "mask", "gateway", "dns1", "dns2"]
                            .get(k)
                            .copied()
                            .unwrap_or("");
                        if v.is_empty() {
                            if required {
                                d.push(Diagnostic::error(
                                    n,
                                    col(k),
                                    format!("{what} cannot be empty"),
                                ));
                            }
                        } else if !is_ipv4(v) {
                            d.push(Diagnostic::error(
                                n,
                                col(k),
                                format!("{what} must be an IPv4 address, found '{v}'"),
                            ));
                        }
                    }
                }
                DaqLine::TcpInterFrame(_) => single(String::from("tcpInterFrameMs"), &mut d),
                DaqLine::Serial(s) => {
                    single(format!("SERIAL{}", s.port), &mut d);
                    if !BAUD_RATES.contains(&s.baudrate) {
                        d.push(Diagnostic::error(
                            n,
                            col(1),
                            format!("baudrate {} is not supported (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800)", s.baudrate),
                        ));
                    }
                    if s.data_bits != 7 && s.data_bits != 8 {
                        d.push(Diagnostic::error(
                            n,
                            col(2),
                            format!("data_bits must be 7 or 8, found {}", s.data_bits),
                        ));
                    }
                    if !["N", "O", "E"]
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(&s.parity))
                    {
                        d.push(Diagnostic::error(
                            n,
                            col(3),
                            format!("parity must be N, O or E, found '{}'", s.parity),
                        ));
                    }
                    if s.stop_bits != 1 && s.stop_bits != 2 {
                        d.push(Diagnostic::error(
                            n,
                            col(4),
                            format!("stop_bits must be 1 or 2, found {}", s.stop_bits),
                        ));
                    }
                    if s.wires != 2 && s.wires != 4 {
                        d.push(Diagnostic::error(
                            n,
                            col(5),
                            format!("wires must be 2 or 4, found {}", s.wires),
                        ));
                    }
                    if s.protocol.is_empty() {
                        d.push(Diagnostic::error(
                            n,
                            col(6),
                            "protocol cannot be empty (modbusRTU, smanet, PW1...)",
                        ));
                    }
                    if let Some(p) = s.forwarded_port.as_deref().filter(|p| !p.is_empty())
                        && !p.parse::<u32>().is_ok_and(|v| (1..=65535).contains(&v))
                    {
                        d.push(Diagnostic::error(
                            n,
                            col(8),
                            format!("forwarded_port must be a TCP port 1-65535, found '{p}'"),
                        ));
                    }
                }
                DaqLine::ModbusSlave(m) => {
                    single(String::from("ModbusSlave"), &mut d);
                    if !(1..=65535).contains(&m.port) {
                        d.push(Diagnostic::error(
                            n,
                            col(2),
                            format!("ModbusSlave port must be 1-65535, found {}", m.port),
                        ));
                    }
                    if let Some(f) = available
                        && !m.mapping_file.is_empty()
                        && !f(&m.mapping_file)
                    {
                        d.push(Diagnostic::error(
                            n,
                            col(3),
                            format!("mapping file '{}' not found", m.mapping_file),
                        ));
                    }
                }
                DaqLine::Device(dev) => {
                    self.check_device(dev, n, t, available, &mut indexes, &mut names, &mut d)
                }
                _ => {}
            }
        }
        self.check_limits(&mut d);
        lossless::sort(&mut d);
        d
    }

    /// The manual's device limits: 247 Modbus RTU, 254 Modbus TCP, 100 SMA-Net.
    fn check_limits(&self, d: &mut Vec<Diagnostic>) {
        let mut counts = [0usize; 3];
        for (i, l) in self.lines.iter().enumerate() {
            let DaqLine::Device(dev) = &l.record else {
                continue;
            };
            let (slot, max, what) = match self.protocol_of(dev) {
                DeviceProtocol::ModbusRtu => (0, 247, "Modbus RTU"),
                DeviceProtocol::ModbusTcp => (1, 254, "Modbus TCP"),
                DeviceProtocol::SmaNet => (2, 100, "SMA-Net"),
                _ => continue,
            };
            let Some(c) = counts.get_mut(slot) else {
                continue;
            };
            *c += 1;
            if *c == max + 1 {
                d.push(Diagnostic::warning(
                    line_no(i),
                    1,
                    format!("more than {max} {what} devices: the gateway supports {max}"),
                ));
            }
        }
    }

    /// Checks each device against its definition file, when `lookup` finds
    /// it by name: the definition's protocol must fit how the device is
    /// reached, and a slave mapping file is not a device definition.
    pub fn check_definitions<'a>(
        &self,
        lookup: &dyn Fn(&str) -> Option<&'a DefinitionFile>,
    ) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let DaqLine::Device(dev) = &l.record else {
                continue;
            };
            let Some(def) = lookup(&dev.def_file) else {
                continue;
            };
            let t = l.text(i == 0);
            let col = field_col(&t, 10);
            let n = line_no(i);
            let Some(h) = def.header() else {
                if def.is_slave_mapping() {
                    d.push(Diagnostic::error(
                        n,
                        col,
                        format!(
                            "'{}' is a Modbus slave mapping file, not a device definition",
                            dev.def_file
                        ),
                    ));
                }
                continue;
            };
            let proto = self.protocol_of(dev);
            let (want, what) = match &proto {
                DeviceProtocol::Io => (Family::Io, "the I/O device"),
                DeviceProtocol::Tic => (Family::Tic, "a TIC device"),
                DeviceProtocol::ModbusRtu => (Family::Modbus, "a Modbus RTU device"),
                DeviceProtocol::ModbusTcp => (Family::Modbus, "a Modbus TCP device"),
                DeviceProtocol::SmaNet => (Family::Sma, "an SMA-Net device"),
                DeviceProtocol::Proprietary(_) => continue,
            };
            if h.family() != want {
                d.push(Diagnostic::error(
                    n,
                    col,
                    format!(
                        "definition file '{}' is for protocol '{}', but '{}' is {what}",
                        dev.def_file, h.protocol, dev.name
                    ),
                ));
            } else if (proto == DeviceProtocol::ModbusRtu
                && h.protocol.eq_ignore_ascii_case("modbusTCP"))
                || (proto == DeviceProtocol::ModbusTcp
                    && h.protocol.eq_ignore_ascii_case("modbusRTU"))
            {
                d.push(Diagnostic::warning(
                    n,
                    col,
                    format!(
                        "definition file '{}' says {}, but '{}' is {what}",
                        dev.def_file, h.protocol, dev.name
                    ),
                ));
            }
        }
        d
    }

    #[allow(clippy::too_many_arguments)]
    fn check_device(
        &self,
        dev: &Device,
        n: u32,
        t: &str,
        available: Option<&dyn Fn(&str) -> bool>,
        indexes: &mut BTreeMap<DeviceIndex, u32>,
        names: &mut BTreeMap<String, u32>,
        d: &mut Vec<Diagnostic>,
    ) {
        let col = |k: usize| field_col(t, k);
        if let Some(first) = indexes.get(&dev.index) {
            d.push(Diagnostic::error(
                n,
                col(0),
                format!("duplicate device index (first at line {first})"),
            ));
        } else {
            indexes.insert(dev.index.clone(), n);
        }
        if !dev.name.is_empty() {
            if let Some(first) = names.get(&dev.name) {
                d.push(Diagnostic::error(
                    n,
                    col(2),
                    format!(
                        "duplicate device name '{}' (first at line {first})",
                        dev.name
                    ),
                ));
            } else {
                names.insert(dev.name.clone(), n);
            }
        }
        match &dev.interface {
            Interface::Tcp { host, port } => {
                if !is_ipv4(host) {
                    d.push(Diagnostic::error(
                        n,
                        col(1),
                        format!(
                            "interface must be SERIAL1-3 or an IPv4 address[:port], found '{host}'"
                        ),
                    ));
                }
                if let Some(p) = port.filter(|p| !(1..=65535).contains(p)) {
                    d.push(Diagnostic::error(
                        n,
                        col(1),
                        format!("TCP port must be 1-65535, found {p}"),
                    ));
                }
            }
            Interface::Serial(p) if self.serial(*p).is_none() => {
                d.push(Diagnostic::warning(
                    n,
                    col(1),
                    format!("no SERIAL{p} record in this file"),
                ));
            }
            Interface::None if matches!(dev.index, DeviceIndex::Number(_)) => {
                d.push(Diagnostic::error(
                    n,
                    col(1),
                    "interface is empty (expected SERIAL1-3 or ip[:port])",
                ));
            }
            _ => {}
        }
        let proto = self.protocol_of(dev);
        if matches!(proto, DeviceProtocol::ModbusRtu | DeviceProtocol::ModbusTcp) {
            match dev.address {
                None => d.push(Diagnostic::error(n, col(3), "Modbus address is empty")),
                Some(a) if a > 255 => {
                    d.push(Diagnostic::error(
                        n,
                        col(3),
                        format!("Modbus address must be 0-255 (1-247 usual), found {a}"),
                    ));
                }
                Some(a) if !(1..=247).contains(&a) => {
                    d.push(Diagnostic::warning(
                        n,
                        col(3),
                        format!("Modbus address {a} is outside 1-247"),
                    ));
                }
                _ => {}
            }
        }
        if dev.def_file.is_empty() {
            d.push(Diagnostic::error(
                n,
                col(10),
                "defFile is empty: the device has no definition file",
            ));
        } else if let Some(f) = available
            && !f(&dev.def_file)
        {
            d.push(Diagnostic::error(
                n,
                col(10),
                format!("definition file '{}' not found", dev.def_file),
            ));
        }
    }
}
