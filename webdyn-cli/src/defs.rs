//! `webdyn defs check | to-json | from-json`: SunPM configuration and
//! definition files (contract in `shared/spec/cli.md`).
//!
//! `check` prints one `FILE:LINE:COL: message` line per problem (warnings are
//! problems too, marked `warning:`; `--errors-only` hides them) and exits 1
//! when there is any. `to-json` / `from-json` carry the lossless typed form,
//! so an unchanged file round-trips byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use webdyn_defs::FileKind;
use webdyn_defs::any::AnyFile;
use webdyn_defs::def::{DefLine, DefinitionFile, Family};
use webdyn_defs::modbus::{self, Span};

use crate::cli_error::CliError;
use crate::io::{print_json, read_input};

const KINDS: [&str; 7] = ["config", "var", "daq", "scl", "licence", "def", "slave"];

/// Arguments of `webdyn defs`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Validate files; prints `FILE:LINE:COL: message` per problem, exit 1 if any.
    Check(CheckArgs),
    /// Parse a file to typed JSON (with "kind").
    ToJson(ToJsonArgs),
    /// Write a file back from its typed JSON.
    FromJson(FromJsonArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Kind of every file (default: guessed from each name).
    #[arg(long, value_parser = KINDS)]
    kind: Option<String>,
    /// Do not report warnings (CRLF, BOM, unknown keys, unusual values).
    #[arg(long)]
    errors_only: bool,
    /// Files to check (`-` for stdin, which needs --kind).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct ToJsonArgs {
    /// Kind of the file (default: guessed from its name).
    #[arg(long, value_parser = KINDS)]
    kind: Option<String>,
    /// The file, or `-` for stdin (which needs --kind).
    file: PathBuf,
}

#[derive(clap::Args)]
struct FromJsonArgs {
    /// Kind of the file to write.
    #[arg(long, value_parser = KINDS)]
    kind: String,
    /// The JSON, or `-` for stdin.
    file: PathBuf,
}

/// Runs `webdyn defs`.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Sub::Check(a) => check(a),
        Sub::ToJson(a) => to_json(a),
        Sub::FromJson(a) => from_json(a),
    }
}

fn kind_of(path: &Path, text: &str, forced: Option<&str>) -> Result<FileKind, CliError> {
    if let Some(k) = forced {
        return FileKind::from_name(k).ok_or_else(|| CliError::Usage(format!("unknown kind {k}")));
    }
    match FileKind::detect(&path.to_string_lossy(), text) {
        FileKind::Unknown => Err(CliError::Usage(format!(
            "{}: cannot tell the kind of file from its name; use --kind {}",
            path.display(),
            KINDS.join("|")
        ))),
        k => Ok(k),
    }
}

/// Decodes UTF-8, or says where it stops being UTF-8 (line:col).
fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, CliError> {
    String::from_utf8(bytes).map_err(|e| {
        let ok = e.utf8_error().valid_up_to();
        let head = String::from_utf8_lossy(e.as_bytes().get(..ok).unwrap_or_default());
        let line = head.matches('\n').count() + 1;
        let col = head.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        CliError::Invalid(format!(
            "{}:{line}:{col}: not UTF-8 (byte offset {ok}); the gateway expects UTF-8",
            path.display()
        ))
    })
}

fn base_name(p: &Path) -> Option<String> {
    p.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// Names a daq file may refer to: the other files given, and the files next
/// to it and in a sibling `DEF` directory.
fn available_names(files: &[PathBuf]) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = files.iter().filter_map(|p| base_name(p)).collect();
    for f in files {
        let dir = f
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for d in [dir.to_path_buf(), dir.join("DEF"), dir.join("../DEF")] {
            if let Ok(entries) = std::fs::read_dir(&d) {
                names.extend(
                    entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned()),
                );
            }
        }
    }
    names
}

fn check(a: CheckArgs) -> Result<(), CliError> {
    let available = available_names(&a.files);
    let lookup = |n: &str| available.contains(n);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut problems = 0usize;
    let mut parsed: Vec<(&PathBuf, AnyFile)> = Vec::new();
    for path in &a.files {
        let text = match utf8(path, read_input(path)?) {
            Ok(t) => t,
            Err(CliError::Invalid(m)) => {
                writeln!(out, "{m}")?;
                problems += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let kind = kind_of(path, &text, a.kind.as_deref())?;
        if let Some((file, _)) = AnyFile::parse(kind, &text) {
            parsed.push((path, file));
        }
    }
    // Files given together are checked against each other: a daq file's
    // devices against their definition files, a slave mapping against the
    // daq file's device names.
    let defs: BTreeMap<String, &DefinitionFile> = parsed
        .iter()
        .filter_map(|(p, f)| match f {
            AnyFile::Def(d) | AnyFile::Slave(d) => Some((base_name(p)?, d)),
            _ => None,
        })
        .collect();
    let devices: Option<BTreeSet<&str>> = parsed
        .iter()
        .filter_map(|(_, f)| match f {
            AnyFile::Daq(d) => Some(d.devices().map(|x| x.name.as_str())),
            _ => None,
        })
        .reduce(|_, b| b)
        .map(Iterator::collect);
    for (path, file) in &parsed {
        let mut diags = file.validate(Some(&lookup));
        match file {
            AnyFile::Daq(d) => diags.extend(d.check_definitions(&|n| defs.get(n).copied())),
            AnyFile::Slave(s) => {
                if let Some(names) = &devices {
                    diags.extend(s.check_slave_targets(&|n| names.contains(n)));
                }
            }
            _ => {}
        }
        diags.sort_by_key(|d| (d.line, d.col));
        for d in diags {
            if a.errors_only && !d.is_error() {
                continue;
            }
            writeln!(out, "{}:{d}", path.display())?;
            problems += 1;
        }
    }
    out.flush()?;
    if problems > 0 {
        return Err(CliError::Invalid(format!("{problems} problem(s) found")));
    }
    Ok(())
}

fn to_json(a: ToJsonArgs) -> Result<(), CliError> {
    let text = utf8(&a.file, read_input(&a.file)?)?;
    let kind = kind_of(&a.file, &text, a.kind.as_deref())?;
    let Some((file, _)) = AnyFile::parse(kind, &text) else {
        return Err(CliError::Usage("unknown kind".into()));
    };
    let mut v = serde_json::to_value(&file)
        .map_err(|e| CliError::Usage(format!("cannot serialise: {e}")))?;
    if let Some(obj) = v.as_object_mut() {
        let diags: Vec<String> = file
            .validate(None)
            .iter()
            .map(ToString::to_string)
            .collect();
        obj.insert("diagnostics".into(), json!(diags));
    }
    if let AnyFile::Def(def) = &file {
        annotate_modbus(def, &mut v);
    }
    print_json(&v)
}

/// Adds a read-only `"modbus"` object (what Info1-Info3 mean on the wire)
/// beside each variable of a Modbus definition; `from-json` ignores it.
fn annotate_modbus(def: &DefinitionFile, v: &mut Value) {
    if def.header().map(|h| h.family()) != Some(Family::Modbus) {
        return;
    }
    let forced = def.header().and_then(|h| h.forced_write) == Some(1);
    let Some(lines) = v.get_mut("lines").and_then(Value::as_array_mut) else {
        return;
    };
    for (line, l) in lines.iter_mut().zip(&def.lines) {
        let DefLine::Variable(var) = &l.record else {
            continue;
        };
        let Ok(spec) = var.modbus() else { continue };
        if let Some(obj) = line
            .pointer_mut("/record/variable")
            .and_then(Value::as_object_mut)
        {
            obj.insert(
                "modbus".into(),
                json!({
                    "table": spec.kind,
                    "register": spec.location.register(),
                    "registers": spec.register_count(),
                    "type": spec.ty.to_string(),
                    "bytes": spec.byte_size(),
                    "read_function": spec.read_function(),
                    "write_function": spec.write_function(forced).ok(),
                }),
            );
        }
    }
}

fn from_json(a: FromJsonArgs) -> Result<(), CliError> {
    let bytes = read_input(&a.file)?;
    let mut v: Value = serde_json::from_slice(&bytes).map_err(|e| {
        CliError::Invalid(format!(
            "{}:{}:{}: {e}",
            a.file.display(),
            e.line(),
            e.column()
        ))
    })?;
    let obj = v.as_object_mut().ok_or_else(|| {
        CliError::Invalid(format!("{}: expected a JSON object", a.file.display()))
    })?;
    match obj.get("kind").and_then(Value::as_str) {
        Some(k) if k != a.kind => {
            return Err(CliError::Invalid(format!(
                "{}: the JSON is of kind {k:?}, not {:?}",
                a.file.display(),
                a.kind
            )));
        }
        Some(_) => {}
        None => {
            obj.insert("kind".into(), Value::String(a.kind.clone()));
        }
    }
    obj.remove("diagnostics");
    let file: AnyFile = serde_json::from_value(v).map_err(|e| {
        CliError::Invalid(format!("{}: not a {} file: {e}", a.file.display(), a.kind))
    })?;
    let mut out = std::io::stdout().lock();
    out.write_all(file.encode().as_bytes())?;
    out.flush()?;
    Ok(())
}

/// A built-in energy meter definition (written for this demo from the
/// manual's field descriptions): several types, swaps, a SunSpec-style scale
/// factor in Info4, coefficients.
const DEMO_DEF: &str = "modbusTCP;Meter;Webdyn;DemoMeter;0
1;3;0_16;String;;Serial Number;;;;;1
2;3;8;U16;;Status;;;;;8
3;3;9;I16;W_SF;W;cmdW;;;W;4
4;3;10;I16;;W_SF;;;;;1
5;3;11;F32_W;;Frequency;;;;Hz;2
6;3;13;U32_WB;;E-Total;;0.001;;kWh;4
7;4;100;I16;;Temperature;;0.1;-40;degC;4
8;3;15_5_4;Bits;;Alarm bits;;;;;9
9;3;16;IP;;Gateway IP;;;;;1
";

/// A built-in daq file (composite of the manual's record examples).
const DEMO_DAQ: &str = "type;pin;apn;login;password;authentication;server;dns
MODEM;;m2minternet;;;none;;
type;ip;mask;gateway;dns1;dns2
LAN1;192.168.1.12;255.255.255.0;192.168.1.1;192.168.1.1;
tcpInterFrameMs;0
type;baudrate;data_bits;parity;stop_bits;wires;protocol;interframe(ms);forwarded_port
SERIAL1;19200;8;N;1;2;modbusRTU;0;
SERIAL2;1200;8;N;1;4;SMANET;0;
index;interface;name;address;acqPeriod(s);timeout(ms);serialNumber;parameters;tag;model;defFile
IO;;Io;;600;;;;WebdynSunPM;ioSunPM;WPM00BDE4_IO.csv
1;192.168.1.50:502;meter_1;1;600;1000;;1;Meter;DemoMeter;WPM00BDE4_DemoMeter.csv
2;SERIAL2;sma_1;52224;600;;2000388220;;Inverter;WR21TL09;WPM00BDE4_SMA_WR21TL09.csv
";

/// Register image of the demo meter (holding registers 0..=17, big-endian).
fn demo_registers() -> Vec<u8> {
    let mut regs = vec![0u8; 2 * 18];
    let mut put = |reg: usize, bytes: &[u8]| {
        if let Some(dst) = regs.get_mut(2 * reg..2 * reg + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    };
    put(0, b"WD-0042\0");
    put(8, &1u16.to_be_bytes());
    put(9, &12345i16.to_be_bytes());
    put(10, &(-1i16).to_be_bytes());
    // 50.0 Hz = 0x42480000, words swapped.
    put(11, &[0x00, 0x00, 0x42, 0x48]);
    // 1234567 Wh = 0x0012D687, all bytes reversed.
    put(13, &[0x87, 0xD6, 0x12, 0x00]);
    put(15, &0x00A0u16.to_be_bytes());
    put(16, &[192, 168, 1, 1]);
    regs
}

fn value_json(v: &modbus::Value<'_>) -> Value {
    match v {
        modbus::Value::Bool(b) => json!(b),
        modbus::Value::Unsigned(u) => json!(u),
        modbus::Value::Signed(s) => json!(s),
        modbus::Value::Float(f) => json!(f),
        modbus::Value::Text(_) => json!(v.text()),
        modbus::Value::Raw(r) => json!(crate::io::to_hex(r)),
        modbus::Value::Ipv4(a) => json!(std::net::Ipv4Addr::from(*a).to_string()),
        modbus::Value::Ipv6(a) => json!(std::net::Ipv6Addr::from(*a).to_string()),
        modbus::Value::Mac(m) => json!(crate::io::to_hex(m)),
    }
}

fn demo_definition(def: &DefinitionFile) -> Result<Value, CliError> {
    let regs = demo_registers();
    let input = [0x01u8, 0xF4]; // input register 100: 500 -> 0.1*500-40 = 10 degC
    let vars: Vec<_> = def.variables().collect();
    let mut rows = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for v in &vars {
        let spec = v
            .modbus()
            .map_err(|e| CliError::Invalid(format!("demo definition: {e}")))?;
        spans.push(spec.span());
        let start = 2 * usize::from(spec.location.register());
        let data = if spec.kind == modbus::RegisterKind::Input {
            &input[..]
        } else {
            regs.get(start..).unwrap_or_default()
        };
        let raw = spec
            .decode(data)
            .map_err(|e| CliError::Invalid(format!("demo decode: {e}")))?;
        let mut value = raw.as_f64();
        if let (Some(x), false) = (value, v.info4.is_empty()) {
            let sf = vars
                .iter()
                .find(|s| s.name == v.info4)
                .and_then(|s| s.modbus().ok())
                .and_then(|s| {
                    s.decode(regs.get(2 * usize::from(s.location.register())..)?)
                        .ok()
                })
                .and_then(|s| s.as_f64());
            value = sf.and_then(|sf| modbus::scale(x, sf as i16));
        }
        let engineering = value.map(|x| v.coefficients().apply(x));
        rows.push(json!({
            "index": v.index, "name": v.name, "type": v.info3, "register": spec.location.register(),
            "registers": spec.register_count(), "raw": value_json(&raw),
            "value": engineering, "unit": v.unit, "action": v.action,
        }));
    }
    let plan: Vec<Value> = modbus::plan(&mut spans)
        .map(|r| json!({"function": r.function, "start": r.span.start, "count": r.span.count}))
        .collect();
    let header = def.lines.first().map(|l| &l.record);
    let header = match header {
        Some(DefLine::Header(h)) => json!({"protocol": h.protocol, "category": h.category,
            "manufacturer": h.manufacturer, "model": h.model, "forced_write": h.forced_write,
            "modbus": h.family() == Family::Modbus}),
        _ => Value::Null,
    };
    Ok(json!({"header": header, "variables": rows, "read_plan": plan}))
}

/// The `defs` section of `webdyn demo`.
pub fn demo() -> Result<Value, CliError> {
    let (def, _) = DefinitionFile::parse(DEMO_DEF);
    let def_diags: Vec<String> = def.validate().iter().map(ToString::to_string).collect();
    let (daq, _) = webdyn_defs::daq::DaqFile::parse(DEMO_DAQ);
    let present = |n: &str| n == "WPM00BDE4_DemoMeter.csv" || n == "WPM00BDE4_IO.csv";
    let daq_diags: Vec<String> = daq
        .validate_with(Some(&present))
        .iter()
        .map(ToString::to_string)
        .collect();
    let devices: Vec<Value> = daq
        .devices()
        .map(|d| json!({"device": d, "protocol": format!("{:?}", daq.protocol_of(d))}))
        .collect();
    Ok(json!({
        "definition": demo_definition(&def)?,
        "definition_diagnostics": def_diags,
        "daq": {"devices": devices, "diagnostics": daq_diags},
    }))
}
