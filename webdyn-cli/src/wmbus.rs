//! `webdyn wmbus decode | encode`: wireless (and wired) M-Bus telegrams.
//!
//! Decode prints one JSON line per telegram (contract in `shared/spec/cli.md`);
//! encode reads such lines back (plus `"key"` to encrypt) and prints hex.

use std::io::Write;
use std::path::PathBuf;

use serde_json::{Map, Value, json};
use webdyn_wmbus::app::{FormatCache, Records, Value as AppValue};
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::{Key, KeyMap};
use webdyn_wmbus::telegram::{Link, SecurityState, Telegram, decode};
use webdyn_wmbus::tpl::{self, Content, Header};
use webdyn_wmbus::{ErrorKind, afl, dll, ell, manufacturer_code, manufacturer_field};

use crate::cli_error::CliError;
use crate::io::{parse_hex, print_json_line, read_input, to_hex};

/// Arguments of `webdyn wmbus`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Decode telegrams (hex arguments, or a file of one hex telegram per line).
    Decode(DecodeArgs),
    /// Encode JSON telegrams (one object per line, as printed by decode) to hex.
    Encode(EncodeArgs),
}

#[derive(clap::Args)]
struct DecodeArgs {
    /// A key: `ID=HEX` for meter ID (8 hex digits as printed), or `HEX`
    /// for every meter. Repeatable.
    #[arg(long = "key", value_name = "ID=HEX|HEX")]
    keys: Vec<String>,
    /// A file of keys, one `ID=HEX` or `HEX` per line (`#` comments).
    #[arg(long = "key-file", value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Frame format: auto (detect), A, B (with CRCs) or none (CRCs removed).
    #[arg(long, default_value = "auto", value_parser = ["auto", "A", "B", "none", "a", "b"])]
    format: String,
    /// A file (or `-` for stdin) with one hex telegram per line.
    #[arg(long, value_name = "FILE", conflicts_with = "hex")]
    file: Option<PathBuf>,
    /// Telegrams in hex (spaces allowed inside one argument).
    #[arg(value_name = "HEX", required_unless_present = "file")]
    hex: Vec<String>,
}

#[derive(clap::Args)]
struct EncodeArgs {
    /// JSON lines input (`-` for stdin).
    #[arg(default_value = "-")]
    input: PathBuf,
}

/// Runs `webdyn wmbus`.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Sub::Decode(a) => run_decode(a),
        Sub::Encode(a) => run_encode(a),
    }
}

fn parse_key_spec(spec: &str, keys: &mut KeyMap, where_: &str) -> Result<(), CliError> {
    let spec = spec.trim();
    let bad = |m: String| CliError::Usage(format!("{where_}: {m}"));
    match spec.split_once('=') {
        Some((id, hex)) => {
            let id = id.trim();
            if id.is_empty() || id.len() > 8 {
                return Err(bad(format!("meter id {id:?} is not 1-8 hex digits")));
            }
            let id = u32::from_str_radix(id, 16)
                .map_err(|_| bad(format!("meter id {id:?} is not hex")))?;
            let key = Key::from_hex(hex.trim()).map_err(|e| bad(format!("key: {e}")))?;
            keys.insert(id, key);
        }
        None => {
            keys.default = Some(Key::from_hex(spec).map_err(|e| bad(format!("key: {e}")))?);
        }
    }
    Ok(())
}

fn key_map(a: &DecodeArgs) -> Result<KeyMap, CliError> {
    let mut keys = KeyMap::new();
    if let Some(f) = &a.key_file {
        let text = String::from_utf8(read_input(f)?)
            .map_err(|e| CliError::Usage(format!("{}: not UTF-8: {e}", f.display())))?;
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                parse_key_spec(line, &mut keys, &format!("{}:{}:1", f.display(), i + 1))?;
            }
        }
    }
    for k in &a.keys {
        parse_key_spec(k, &mut keys, "--key")?;
    }
    Ok(keys)
}

fn hint(s: &str) -> FormatHint {
    match s {
        "A" | "a" => FormatHint::Only(Format::A),
        "B" | "b" => FormatHint::Only(Format::B),
        "none" => FormatHint::Only(Format::None),
        _ => FormatHint::Auto,
    }
}

fn run_decode(a: DecodeArgs) -> Result<(), CliError> {
    let keys = key_map(&a)?;
    let hint = hint(&a.format);
    let mut telegrams: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(f) = &a.file {
        let text = String::from_utf8(read_input(f)?)
            .map_err(|e| CliError::Invalid(format!("{}: not UTF-8 text: {e}", f.display())))?;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let bytes = parse_hex(t)
                .map_err(|e| CliError::Invalid(format!("{}:{}:1: {e}", f.display(), i + 1)))?;
            telegrams.push((format!("{}:{}", f.display(), i + 1), bytes));
        }
    } else if a.hex.len() > 1 && a.hex.iter().all(|h| h.trim().len() <= 2) {
        // `decode 1E 44 A2 …` unquoted: one telegram given byte by byte.
        let joined = a.hex.concat();
        let bytes = parse_hex(&joined).map_err(|e| CliError::Usage(format!("arguments: {e}")))?;
        telegrams.push(("arguments".to_string(), bytes));
    } else {
        for (i, h) in a.hex.iter().enumerate() {
            let bytes =
                parse_hex(h).map_err(|e| CliError::Usage(format!("argument {}: {e}", i + 1)))?;
            telegrams.push((format!("argument {}", i + 1), bytes));
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut fatal = None;
    // Formats learned from the full frames of this run decode the compact
    // frames (CI 0x79/0x7B/0x73) that follow them.
    let mut formats = Formats::new();
    for (where_, bytes) in &telegrams {
        let (v, key_error) = decode_json_learning(bytes, hint, &keys, Some(&mut formats));
        print_json_line(&mut out, &v)?;
        if let (Some(e), None) = (key_error, &fatal) {
            fatal = Some(format!("{where_}: {e}"));
        }
    }
    out.flush()?;
    match fatal {
        Some(m) => Err(CliError::Invalid(m)),
        None => Ok(()),
    }
}

/// The compact-frame formats one `decode` run remembers (the newest 64).
pub type Formats = FormatCache<64>;

/// Decodes one telegram to the contract's JSON. The second value is set
/// when a key was wrong (the input as a whole is then invalid: exit 1).
pub fn decode_json(bytes: &[u8], hint: FormatHint, keys: &KeyMap) -> (Value, Option<String>) {
    decode_json_learning(bytes, hint, keys, None)
}

/// [`decode_json`] with a format cache: a full frame's format is learned,
/// a compact frame is decoded with a learned format (without a cache its
/// records stay empty, as before).
pub fn decode_json_learning(
    bytes: &[u8],
    hint: FormatHint,
    keys: &KeyMap,
    formats: Option<&mut Formats>,
) -> (Value, Option<String>) {
    let mut buf = vec![0u8; bytes.len().max(16)];
    match decode(bytes, hint, keys, &mut buf) {
        Ok(t) => (telegram_json(&t, formats), None),
        Err(e) => {
            let wrong_key = matches!(
                e.kind,
                ErrorKind::WrongKey | ErrorKind::MacMismatch | ErrorKind::EllPayloadCrc { .. }
            );
            // Report what can still be read: the headers without decrypting,
            // or the raw DLL fields.
            let mut buf2 = vec![0u8; bytes.len().max(16)];
            let mut v = match decode(bytes, hint, &webdyn_wmbus::security::NoKeys, &mut buf2) {
                Ok(t) => {
                    let mut v = telegram_json(&t, None);
                    set(&mut v, "records", json!([]));
                    v
                }
                Err(_) => raw_json(bytes, &e),
            };
            set(&mut v, "decrypted", json!(false));
            set(&mut v, "valid", json!(false));
            set(&mut v, "errors", json!([e.to_string()]));
            (v, wrong_key.then(|| e.to_string()))
        }
    }
}

/// Sets `k` in a JSON object (no-op on other values).
fn set(v: &mut Value, k: &str, x: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(k.into(), x);
    }
}

fn id_string(id: u32) -> String {
    format!("{id:08X}")
}

fn manufacturer_string(m: u16) -> String {
    String::from_utf8_lossy(&manufacturer_code(m)).into_owned()
}

/// Best-effort fields of a telegram that failed at the link layer.
fn raw_json(bytes: &[u8], e: &webdyn_wmbus::Error) -> Value {
    let mut v = json!({
        "format": Value::Null,
        "crc_ok": matches!(e.kind, ErrorKind::Crc { .. }).then_some(false),
        "c": Value::Null, "manufacturer": Value::Null, "id": Value::Null, "version": Value::Null,
        "device_type": Value::Null, "ci": Value::Null, "access_number": Value::Null, "status": Value::Null,
        "security_mode": 0, "decrypted": false, "records": [], "errors": [],
    });
    if let Ok(p) = dll::Packet::new_checked(bytes)
        && bytes.first() != Some(&0x68)
    {
        let d = dll::Repr::parse(&p);
        set(&mut v, "c", json!(d.control));
        set(
            &mut v,
            "manufacturer",
            json!(manufacturer_string(d.manufacturer)),
        );
        set(&mut v, "id", json!(id_string(d.address.id)));
        set(&mut v, "version", json!(d.address.version));
        set(&mut v, "device_type", json!(d.address.device_type));
    }
    v
}

fn state_name(s: SecurityState) -> &'static str {
    match s {
        SecurityState::Plain => "plain",
        SecurityState::Decrypted => "decrypted",
        SecurityState::AlreadyDecrypted => "already_decrypted",
        SecurityState::NoKey => "no_key",
        SecurityState::Unsupported => "unsupported",
    }
}

fn telegram_json(t: &Telegram<'_>, formats: Option<&mut Formats>) -> Value {
    let mut errors: Vec<Value> = Vec::new();
    let mut o = Map::new();
    let (format, crc_ok, c) = match t.link {
        Link::Wireless {
            format,
            crcs_checked,
            dll,
            l_found,
            l_meaning,
            ..
        } => {
            o.insert("l_field".into(), json!(l_found));
            o.insert(
                "l_field_meaning".into(),
                json!(match l_meaning {
                    webdyn_wmbus::frame::LField::WithoutCrcs => "without_crcs",
                    webdyn_wmbus::frame::LField::FormatB => "format_b",
                }),
            );
            o.insert("crcs_checked".into(), json!(crcs_checked));
            (
                format.name(),
                (crcs_checked > 0).then_some(true),
                Some(dll.control),
            )
        }
        Link::Wired { c, a } => {
            o.insert("address".into(), json!(a));
            ("wired", Some(true), Some(c))
        }
    };
    let (m, addr) = match t.dll() {
        Some(d) => (d.manufacturer, d.address),
        None => t.meter(),
    };
    let short = t.tpl.and_then(|r| r.header.short());
    o.insert("format".into(), json!(format));
    o.insert("crc_ok".into(), json!(crc_ok));
    o.insert("c".into(), json!(c));
    if let Some(f) = c.and_then(|c| dll::Control(c).function()) {
        o.insert("function".into(), json!(f.name()));
    }
    o.insert("manufacturer".into(), json!(manufacturer_string(m)));
    o.insert("manufacturer_field".into(), json!(m));
    o.insert("id".into(), json!(id_string(addr.id)));
    o.insert("version".into(), json!(addr.version));
    o.insert("device_type".into(), json!(addr.device_type));
    if let Some(n) = dll::device_type_name(addr.device_type) {
        o.insert("device_type_name".into(), json!(n));
    }
    o.insert("ci".into(), json!(t.ci));
    o.insert(
        "access_number".into(),
        json!(short.map(|s| s.access_number)),
    );
    o.insert("status".into(), json!(short.map(|s| s.status)));
    o.insert("security_mode".into(), json!(t.security.mode));
    let decrypted = t.security.state == SecurityState::Decrypted
        || t.security.ell_state == SecurityState::Decrypted;
    o.insert("decrypted".into(), json!(decrypted));
    o.insert(
        "security".into(),
        json!({
            "state": state_name(t.security.state),
            "encrypted_len": t.security.encrypted_len,
            "plaintext_tail": t.security.plaintext_tail,
            "mac_verified": t.security.mac_verified,
            "ell_mode": t.security.ell_mode,
            "ell_state": state_name(t.security.ell_state),
        }),
    );
    if let Some(e) = &t.ell {
        let mut ej = json!({"ci": e.ci(), "cc": e.cc, "access_number": e.access_number});
        if let Some((m2, a2)) = e.second_address {
            set(&mut ej, "manufacturer", json!(manufacturer_string(m2)));
            set(&mut ej, "manufacturer_field", json!(m2));
            set(&mut ej, "id", json!(id_string(a2.id)));
            set(&mut ej, "version", json!(a2.version));
            set(&mut ej, "device_type", json!(a2.device_type));
        }
        if let Some(sn) = e.session {
            set(&mut ej, "session_number", json!(sn.0));
        }
        o.insert("ell".into(), ej);
    }
    if let Some(a) = &t.afl {
        o.insert(
            "afl".into(),
            json!({
                "fcl": a.fcl, "mcl": a.mcl, "ki": a.ki, "mcr": a.mcr, "ml": a.ml,
                "mac": a.mac.map(|m| to_hex(m.as_slice())),
            }),
        );
    }
    if let Some(r) = &t.tpl {
        let mut tj = json!({
            "header": match r.header { Header::None => "none", Header::Short(_) => "short", Header::Long(_) => "long" },
            "config": short.map(|s| s.config),
            "config_ext": r.config_ext,
            "encrypted_blocks": r.config().encrypted_blocks(),
        });
        if let Header::Long(l) = r.header {
            set(
                &mut tj,
                "manufacturer",
                json!(manufacturer_string(l.manufacturer)),
            );
            set(&mut tj, "manufacturer_field", json!(l.manufacturer));
            set(&mut tj, "id", json!(id_string(l.id)));
            set(&mut tj, "version", json!(l.version));
            set(&mut tj, "device_type", json!(l.device_type));
        }
        o.insert("tpl".into(), tj);
    }
    match t.security.state {
        SecurityState::NoKey => errors.push(json!("encrypted and no key given")),
        SecurityState::Unsupported => errors.push(json!(format!(
            "TPL security mode {} is not supported",
            t.security.mode
        ))),
        _ => {}
    }
    if let Some(f) = t.fragment() {
        // One piece of a longer message: show it; joining the pieces
        // (afl::Reassembly) spans several telegrams, which this command
        // decodes one at a time.
        o.insert(
            "fragment".into(),
            json!({"id": f.id, "more": f.more, "payload": to_hex(f.payload)}),
        );
        errors.push(json!(format!(
            "AFL fragment {}{}: the message is split over several telegrams and is not reassembled here",
            f.id,
            if f.more { ", more to come" } else { ", the last" }
        )));
    } else if t.tpl.is_none() && t.is_readable() {
        let wired_fixed = matches!(t.link, Link::Wired { .. }) && matches!(t.ci, 0x73 | 0x77);
        let manufacturer = (0xA0..=0xB7).contains(&t.ci);
        if !wired_fixed && !manufacturer {
            errors.push(json!(format!(
                "CI {:#04x} is not a transport layer this decoder reads",
                t.ci
            )));
        }
    }
    if t.security.ell_state == SecurityState::NoKey {
        errors.push(json!("ELL encrypted (AES-CTR) and no key given"));
    }
    let mut records = Vec::new();
    let app_data = match t.link {
        Link::Wired { .. } => t.tpl.is_some(),
        Link::Wireless { .. } => t
            .tpl
            .is_some_and(|r| matches!(tpl::classify(r.ci), Some((Content::Application, _)))),
    };
    // Plaintext when readable, else as received (so encode can rebuild it).
    o.insert("apl".into(), json!(to_hex(t.apl())));
    if t.is_readable() && app_data {
        if let Some(f) = formats {
            // Only a format whose records all decode is learned.
            let _ = f.learn(t.apl());
        }
        for r in Records::new(t.apl()) {
            match r {
                Ok(r) => records.push(record_json(&r)),
                Err(e) => {
                    errors.push(json!(format!("records: {e}")));
                    break;
                }
            }
        }
    } else if let (Some(f), true, Some(r)) = (formats, t.is_readable(), &t.tpl)
        && matches!(tpl::classify(r.ci), Some((Content::Compact, _)))
    {
        let apl = t.apl();
        let signature = apl
            .first_chunk::<2>()
            .map(|s| format!("{:04X}", u16::from_le_bytes(*s)));
        // Reported under "compact" only: `errors` and `valid` keep their
        // meaning (a compact frame without its format was never an error).
        let mut full = vec![0u8; apl.len() + webdyn_wmbus::app::compact::MAX_FORMAT_LEN];
        let error = match f.decode_compact(apl, &mut full) {
            Ok(rs) => {
                for r in rs {
                    match r {
                        Ok(r) => records.push(record_json(&r)),
                        Err(e) => {
                            errors.push(json!(format!("records: {e}")));
                            break;
                        }
                    }
                }
                None
            }
            Err(e) => Some(e.to_string()),
        };
        o.insert(
            "compact".into(),
            json!({ "signature": signature, "decoded": error.is_none(), "error": error }),
        );
    }
    o.insert("records".into(), Value::Array(records));
    o.insert("valid".into(), json!(errors.is_empty()));
    o.insert("errors".into(), Value::Array(errors));
    Value::Object(o)
}

fn record_json(r: &webdyn_wmbus::app::Record<'_>) -> Value {
    let value = match r.value {
        AppValue::None => Value::Null,
        AppValue::Number(d) => {
            let s = d.to_string();
            s.parse::<i64>()
                .map(Value::from)
                .or_else(|_| s.parse::<f64>().map(Value::from))
                .unwrap_or(Value::String(s))
        }
        AppValue::Real { .. } => r.value.as_f64().map_or(Value::Null, Value::from),
        _ => Value::String(r.value.to_string()),
    };
    json!({
        "dif": to_hex(r.dif_bytes()),
        "vif": to_hex(r.vif_bytes()),
        "storage": r.storage,
        "tariff": r.tariff,
        "subunit": r.subunit,
        "function": r.function.name(),
        "quantity": r.quantity().name(),
        "unit": r.unit(),
        "value": value,
        "raw": to_hex(r.raw()),
    })
}

fn run_encode(a: EncodeArgs) -> Result<(), CliError> {
    let input = read_input(&a.input)?;
    let text = String::from_utf8(input)
        .map_err(|e| CliError::Invalid(format!("{}: not UTF-8: {e}", a.input.display())))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |m: String| CliError::Invalid(format!("{}:{}:1: {m}", a.input.display(), i + 1));
        let v: Value = serde_json::from_str(line).map_err(|e| {
            CliError::Invalid(format!(
                "{}:{}:{}: {e}",
                a.input.display(),
                i + 1,
                e.column()
            ))
        })?;
        let hex = encode_json(&v).map_err(at)?;
        writeln!(out, "{hex}")?;
    }
    Ok(())
}

fn get_u64(v: &Value, k: &str) -> Result<Option<u64>, String> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_u64()
            .map(Some)
            .ok_or(format!("\"{k}\" must be a non-negative integer")),
    }
}

fn need<T: TryFrom<u64>>(v: &Value, k: &str) -> Result<T, String> {
    opt(v, k)?.ok_or(format!("\"{k}\" is missing"))
}

fn opt<T: TryFrom<u64>>(v: &Value, k: &str) -> Result<Option<T>, String> {
    get_u64(v, k)?
        .map(|x| T::try_from(x).map_err(|_| format!("\"{k}\" is out of range")))
        .transpose()
}

fn manufacturer_of(v: &Value) -> Result<u16, String> {
    if let Some(m) = opt::<u16>(v, "manufacturer_field")? {
        return Ok(m);
    }
    let s = v
        .get("manufacturer")
        .and_then(Value::as_str)
        .ok_or("\"manufacturer\" is missing")?;
    let b: [u8; 3] = s
        .as_bytes()
        .try_into()
        .map_err(|_| format!("manufacturer {s:?} is not 3 letters"))?;
    manufacturer_field(b).ok_or(format!("manufacturer {s:?} is not 3 letters A-Z"))
}

fn id_of(v: &Value) -> Result<u32, String> {
    let s = v
        .get("id")
        .and_then(Value::as_str)
        .ok_or("\"id\" is missing (8 hex digits)")?;
    if s.is_empty() || s.len() > 8 {
        return Err(format!("id {s:?} is not 1-8 hex digits"));
    }
    u32::from_str_radix(s, 16).map_err(|_| format!("id {s:?} is not hex"))
}

fn hex_field(v: &Value, k: &str) -> Result<Option<Vec<u8>>, String> {
    match v.get(k).and_then(Value::as_str) {
        None => Ok(None),
        Some(s) => parse_hex(s).map(Some).map_err(|e| format!("\"{k}\": {e}")),
    }
}

/// Builds the hex telegram of one JSON object (the decode shape).
pub fn encode_json(v: &Value) -> Result<String, String> {
    let format = match v.get("format").and_then(Value::as_str).unwrap_or("A") {
        "A" | "a" => Format::A,
        "B" | "b" => Format::B,
        "none" => Format::None,
        "wired" => return encode_wired(v),
        f => return Err(format!("unknown format {f:?}")),
    };
    let d = dll::Repr {
        control: opt(v, "c")?.unwrap_or(0x44),
        manufacturer: manufacturer_of(v)?,
        address: dll::Address {
            id: id_of(v)?,
            version: need(v, "version")?,
            device_type: need(v, "device_type")?,
        },
    };
    let ell = match v.get("ell") {
        Some(e) if e.is_object() => Some(ell::Repr {
            cc: need(e, "cc")?,
            access_number: need(e, "access_number")?,
            second_address: if e.get("id").is_some() {
                Some((
                    manufacturer_of(e)?,
                    dll::Address {
                        id: id_of(e)?,
                        version: need(e, "version")?,
                        device_type: need(e, "device_type")?,
                    },
                ))
            } else {
                None
            },
            session: opt::<u32>(e, "session_number")?.map(ell::SessionNumber),
        }),
        _ => None,
    };
    let afl = match v.get("afl") {
        Some(a) if a.is_object() => {
            let mcl: Option<u8> = opt(a, "mcl")?;
            let mac = match hex_field(a, "mac")? {
                Some(m) => {
                    let mut bytes = [0u8; 16];
                    let n = m.len().min(16);
                    for (d, s) in bytes.iter_mut().zip(&m) {
                        *d = *s;
                    }
                    Some(afl::Mac {
                        bytes,
                        len: n as u8,
                    })
                }
                None => None,
            };
            Some(afl::Repr {
                fcl: opt(a, "fcl")?.unwrap_or(0),
                mcl,
                ki: opt(a, "ki")?,
                mcr: opt(a, "mcr")?,
                ml: opt(a, "ml")?,
                mac,
            })
        }
        _ => None,
    };
    let t = v.get("tpl").cloned().unwrap_or(json!({}));
    let mode: u8 = opt(v, "security_mode")?.unwrap_or(0);
    let mut apl = match hex_field(v, "apl")? {
        Some(a) => a,
        None => {
            let mut a = Vec::new();
            for r in v
                .get("records")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let raw = r
                    .get("raw")
                    .and_then(Value::as_str)
                    .ok_or("a record has no \"raw\" hex")?;
                a.extend(parse_hex(raw).map_err(|e| format!("record raw: {e}"))?);
            }
            a
        }
    };
    let key = match v.get("key").and_then(Value::as_str) {
        Some(k) => Some(Key::from_hex(k).map_err(|e| format!("key: {e}"))?),
        None => None,
    };
    let ci: u8 = opt(v, "ci")?.unwrap_or(0x7A);
    let default_cfg = if matches!(mode, 5 | 7) && key.is_some() {
        if apl.get(..2) != Some(&[0x2F, 0x2F]) {
            apl.splice(0..0, [0x2F, 0x2F]);
        }
        while !apl.len().is_multiple_of(16) {
            apl.push(0x2F);
        }
        let blocks = (apl.len() / 16).min(15) as u8;
        tpl::Config::encrypted(mode, blocks, 0).0
    } else {
        u16::from(mode) << 8
    };
    let config: u16 = opt(&t, "config")?.unwrap_or(default_cfg);
    let short = tpl::ShortHeader {
        access_number: opt(v, "access_number")?.unwrap_or(0),
        status: opt(v, "status")?.unwrap_or(0),
        config,
    };
    let header = match tpl::classify(ci) {
        Some((_, tpl::HeaderKind::None)) => Header::None,
        Some((_, tpl::HeaderKind::Short)) => Header::Short(short),
        Some((_, tpl::HeaderKind::Long)) => Header::Long(tpl::LongHeader {
            id: if t.get("id").is_some() {
                id_of(&t)?
            } else {
                d.address.id
            },
            manufacturer: if t.get("manufacturer").is_some()
                || t.get("manufacturer_field").is_some()
            {
                manufacturer_of(&t)?
            } else {
                d.manufacturer
            },
            version: opt(&t, "version")?.unwrap_or(d.address.version),
            device_type: opt(&t, "device_type")?.unwrap_or(d.address.device_type),
            access_number: short.access_number,
            status: short.status,
            config,
        }),
        None => {
            return Err(format!(
                "CI {ci:#04x} is not a transport-layer CI this encoder builds"
            ));
        }
    };
    let config_ext = if tpl::Config(config).has_extension() && header != Header::None {
        Some(opt(&t, "config_ext")?.unwrap_or(0x10))
    } else {
        None
    };
    let repr = TelegramRepr {
        dll: d,
        ell,
        afl,
        tpl: tpl::Repr {
            ci,
            header,
            config_ext,
        },
        apl: &apl,
    };
    let mut scratch = [0u8; 256];
    let mut out = [0u8; 300];
    let n =
        encode(&repr, format, key.as_ref(), &mut scratch, &mut out).map_err(|e| e.to_string())?;
    Ok(to_hex(out.get(..n).unwrap_or(&[])).to_uppercase())
}

fn encode_wired(v: &Value) -> Result<String, String> {
    let apl = hex_field(v, "apl")?.unwrap_or_default();
    let ci: u8 = opt(v, "ci")?.unwrap_or(0x72);
    let mut data = Vec::new();
    if ci == 0x72 {
        let t = v.get("tpl").cloned().unwrap_or(json!({}));
        let h = tpl::LongHeader {
            id: id_of(v)?,
            manufacturer: manufacturer_of(v)?,
            version: need(v, "version")?,
            device_type: need(v, "device_type")?,
            access_number: opt(v, "access_number")?.unwrap_or(0),
            status: opt(v, "status")?.unwrap_or(0),
            config: opt(&t, "config")?.unwrap_or(0),
        };
        let mut b = [0u8; 12];
        h.emit(&mut b).map_err(|e| e.to_string())?;
        data.extend_from_slice(&b);
    }
    data.extend_from_slice(&apl);
    let r = webdyn_wmbus::wired::LongRepr {
        c: opt(v, "c")?.unwrap_or(0x08),
        a: opt(v, "address")?.unwrap_or(0),
        ci,
        data: &data,
    };
    let mut out = vec![0u8; r.buffer_len()];
    let n = r.emit(&mut out).map_err(|e| e.to_string())?;
    Ok(to_hex(out.get(..n).unwrap_or(&[])).to_uppercase())
}

/// The `wmbus` section of `webdyn demo`: a mode-5 telegram (the Amber
/// AMB8426-M manual's example layout, spec B10) and an OMS mode-7 telegram
/// with ELL and AFL, both built here with demo keys and decoded back.
pub fn demo() -> Result<Value, CliError> {
    let key5 = "000102030405060708090A0B0C0D0E0F";
    let key7 = "4F4D532D44454D4F2D4B45592D303031";
    // 2F 2F, then 0C 13: 8-digit BCD volume in litres, 04 6D: date-time type F.
    // 0C 13: 8-digit BCD volume in litres; 02 FD 17: error flags; 42 6C: date
    // type G at storage 1.
    let records = "2F2F0C137856341202FD170000426CFF2C";
    let t5 = json!({
        "format": "A", "c": 0x44, "manufacturer": "AMB", "id": "12345678", "version": 1,
        "device_type": 7, "ci": 0x7A, "access_number": 0x35, "status": 0, "security_mode": 5,
        "apl": records, "key": key5,
    });
    let t7 = json!({
        "format": "B", "c": 0x44, "manufacturer": "EBZ", "id": "22992299", "version": 2,
        "device_type": 0x37, "ci": 0x72, "access_number": 0xF6, "status": 0, "security_mode": 7,
        "ell": {"cc": 0x20, "access_number": 0xF6},
        "afl": {"fcl": 0, "mcl": 0x25, "mcr": 40636, "mac": "0000000000000000"},
        "tpl": {"id": "22992299", "manufacturer": "EBZ", "version": 1, "device_type": 2, "config_ext": 0x10},
        "apl": "2F2F0E0350010000000004FD48A0080000",
        "key": key7,
    });
    let mut out = Vec::new();
    for (t, key) in [(t5, key5), (t7, key7)] {
        let hex = encode_json(&t).map_err(|e| CliError::Invalid(format!("demo: {e}")))?;
        let bytes = parse_hex(&hex)?;
        let mut keys = KeyMap::new();
        keys.default = Some(Key::from_hex(key).map_err(|e| CliError::Invalid(e.to_string()))?);
        let (mut v, err) = decode_json(&bytes, FormatHint::Auto, &keys);
        if let Some(e) = err {
            return Err(CliError::Invalid(format!("demo: {e}")));
        }
        set(&mut v, "hex", json!(hex));
        out.push(v);
    }
    Ok(Value::Array(out))
}

/// Built-in sample for `webdyn demo`: a full frame (CI 0x78) teaches its
/// format, then a compact frame (CI 0x79) with new values is decoded with
/// it. The compact payload is written here from the rule (signature and
/// data CRC = CRC-16/EN-13757 of the DIF/VIF bytes and of the rebuilt
/// records), not taken from a meter.
pub fn compact_demo() -> Result<Value, CliError> {
    // 04 13: volume in litres; 02 59: flow temperature in 0.01 °C.
    let full = [0x04, 0x13, 0x39, 0x30, 0x00, 0x00, 0x02, 0x59, 0x6A, 0x08];
    let next = [0x04, 0x13, 0x9D, 0x30, 0x00, 0x00, 0x02, 0x59, 0x74, 0x08];
    let mut compact = [0u8; 16];
    let n = webdyn_wmbus::app::compact::encode_compact(&next, &mut compact)
        .map_err(|e| CliError::Invalid(format!("demo: {e}")))?;
    let m = manufacturer_field(*b"KAM").unwrap_or(0).to_le_bytes();
    let telegram = |ci: u8, apl: &[u8]| {
        // L counts the bytes after itself: C M A CI (10) and the payload.
        let l = u8::try_from(10 + apl.len()).unwrap_or(0);
        let mut t = vec![l, 0x44, m[0], m[1], 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, ci];
        t.extend_from_slice(apl);
        t
    };
    let mut formats = Formats::new();
    let mut out = Vec::new();
    for t in [
        telegram(0x78, &full),
        telegram(0x79, compact.get(..n).unwrap_or(&[])),
    ] {
        let (mut v, _) = decode_json_learning(
            &t,
            FormatHint::Only(Format::None),
            &KeyMap::new(),
            Some(&mut formats),
        );
        set(&mut v, "hex", json!(to_hex(&t)));
        out.push(v);
    }
    Ok(Value::Array(out))
}
