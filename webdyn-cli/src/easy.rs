//! `webdyn easy`: WebdynEasy W M-Bus hub files (BSON + CRC-32, optionally
//! AES-128-CBC encrypted) to JSON and back, and the frames of data files.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use webdyn_files::bson::{RawBson, RawDocument, extjson};
use webdyn_files::easy::envelope::{self, CrcMode};
use webdyn_files::easy::{self, DataView, FileKey, FileName, Validate};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::{Key, KeyMap};

use crate::cli_error::CliError;
use crate::io::{print_json_line, read_input, to_hex};

/// Arguments of `webdyn easy`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Decode a hub file (`*.bson` or `*.bson.aes`) to JSON, with
    /// `"crc":{"stored","computed","ok"}` at the top level.
    Decode {
        /// The file key (`config.security.key`): Base64 or 32 hex digits.
        #[arg(long)]
        key: Option<String>,
        /// A meter key `ID=HEX` (or `HEX` for every meter) to add a decoded
        /// telegram beside each frame of a data file; repeatable.
        #[arg(long = "wmbus-key")]
        wmbus_keys: Vec<String>,
        /// crcMode deciding `ok`: 0 none, 1 partial (a stored 0 is not
        /// checked, the hub default), 2 always.
        #[arg(long, default_value_t = 1)]
        crc_mode: u8,
        /// The hub file, or `-` for stdin.
        file: PathBuf,
    },
    /// Encode JSON (as printed by `decode`, or the manual's examples) into a
    /// hub file with a correct CRC, encrypted when --key is given.
    Encode {
        /// Encrypt with this file key: Base64 or 32 hex digits.
        #[arg(long)]
        key: Option<String>,
        /// Refuse values the manual's ranges reject instead of warning.
        #[arg(long)]
        strict: bool,
        /// Write the file here instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The JSON file, or `-` for stdin.
        file: PathBuf,
    },
    /// Print each frame of a data file as a JSON line, decoded by the
    /// W M-Bus decoder (decrypted with --wmbus-key when encrypted).
    Frames {
        /// The file key for a `*.aes` data file.
        #[arg(long)]
        key: Option<String>,
        /// A meter key `ID=HEX` (or `HEX` for every meter); repeatable.
        #[arg(long = "wmbus-key")]
        wmbus_keys: Vec<String>,
        /// crcMode: 0 none, 1 partial (default), 2 always.
        #[arg(long, default_value_t = 1)]
        crc_mode: u8,
        /// The data file, or `-` for stdin.
        file: PathBuf,
    },
}

/// Runs `webdyn easy`.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Command::Decode {
            key,
            wmbus_keys,
            crc_mode,
            file,
        } => {
            let keys = (!wmbus_keys.is_empty())
                .then(|| meter_keys(&wmbus_keys))
                .transpose()?;
            let bytes = read_input(&file)?;
            let key = file_key(key.as_deref(), &file)?;
            let mode = crc_mode_arg(crc_mode)?;
            let (text, ok) = decode(&bytes, key.as_ref(), mode, keys.as_ref())
                .map_err(|e| CliError::Invalid(format!("{}: {e}", file.display())))?;
            println!("{text}");
            if ok {
                Ok(())
            } else {
                Err(CliError::Invalid(format!(
                    "{}: CRC mismatch (crcMode {crc_mode})",
                    file.display()
                )))
            }
        }
        Command::Encode {
            key,
            strict,
            output,
            file,
        } => {
            let key = key.as_deref().map(parse_key).transpose()?;
            let input = read_input(&file)?;
            let text = std::str::from_utf8(&input)
                .map_err(|e| CliError::Invalid(format!("{}: not UTF-8: {e}", file.display())))?;
            let (bytes, warnings) = encode(text, key.as_ref())
                .map_err(|e| CliError::Invalid(format!("{}: {e}", file.display())))?;
            for w in &warnings {
                if strict {
                    return Err(CliError::Invalid(format!("{}: {w}", file.display())));
                }
                eprintln!("webdyn: warning: {}: {w}", file.display());
            }
            match output {
                Some(path) => std::fs::write(&path, &bytes)
                    .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?,
                None => {
                    let stdout = std::io::stdout();
                    if stdout.is_terminal() {
                        return Err(CliError::Usage(
                            "the hub file is binary: redirect stdout or use --output".into(),
                        ));
                    }
                    let mut out = stdout.lock();
                    out.write_all(&bytes)?;
                    out.flush()?;
                }
            }
            Ok(())
        }
        Command::Frames {
            key,
            wmbus_keys,
            crc_mode,
            file,
        } => {
            let keys = meter_keys(&wmbus_keys)?;
            let bytes = read_input(&file)?;
            let key = file_key(key.as_deref(), &file)?;
            let mode = crc_mode_arg(crc_mode)?;
            let plain = easy::decrypt(&bytes, key.as_ref())
                .map_err(|e| CliError::Invalid(format!("{}: {e}", file.display())))?;
            let view = DataView::parse(&plain, mode)
                .map_err(|e| CliError::Invalid(format!("{}: {e}", file.display())))?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let mut fatal = None;
            for frame in view.frames() {
                let (line, key_error) = match frame {
                    Ok(f) => frame_json(&f, Some(&keys)),
                    Err(e) => (json!({"error": e.to_string()}), None),
                };
                print_json_line(&mut out, &line)?;
                if let (Some(e), None) = (key_error, &fatal) {
                    fatal = Some(e);
                }
            }
            out.flush()?;
            match fatal {
                Some(e) => Err(CliError::Invalid(format!("{}: {e}", file.display()))),
                None => Ok(()),
            }
        }
    }
}

fn crc_mode_arg(v: u8) -> Result<CrcMode, CliError> {
    CrcMode::from_u8(v).ok_or_else(|| {
        CliError::Usage(format!(
            "--crc-mode {v}: 0 (none), 1 (partial) or 2 (always)"
        ))
    })
}

fn parse_key(s: &str) -> Result<FileKey, CliError> {
    FileKey::parse(s).map_err(|e| CliError::Usage(format!("--key: {e}")))
}

/// The file key, and a clear message when an `.aes` file comes without one.
fn file_key(arg: Option<&str>, file: &Path) -> Result<Option<FileKey>, CliError> {
    let key = arg.map(parse_key).transpose()?;
    let encrypted = file
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".aes") || n.ends_with(".aes.tmp"));
    if encrypted && key.is_none() {
        return Err(CliError::Usage(format!(
            "{} is encrypted (.aes): give its key with --key BASE64|HEX",
            file.display()
        )));
    }
    Ok(key)
}

/// `ID=HEX` (meter id as printed, 8 hex digits) or `HEX` (every meter).
fn meter_keys(specs: &[String]) -> Result<KeyMap, CliError> {
    let mut keys = KeyMap::new();
    for spec in specs {
        let bad = |m: String| CliError::Usage(format!("--wmbus-key {spec:?}: {m}"));
        match spec.split_once('=') {
            Some((id, hex)) => {
                let id = id.trim();
                if id.is_empty() || id.len() > 8 {
                    return Err(bad(format!("meter id {id:?} is not 1-8 hex digits")));
                }
                let id = u32::from_str_radix(id, 16)
                    .map_err(|_| bad(format!("meter id {id:?} is not hex")))?;
                keys.insert(
                    id,
                    Key::from_hex(hex.trim()).map_err(|e| bad(e.to_string()))?,
                );
            }
            None => {
                keys.default = Some(Key::from_hex(spec.trim()).map_err(|e| bad(e.to_string()))?)
            }
        }
    }
    Ok(keys)
}

/// One frame as JSON; the second value is set when a meter key was wrong.
fn frame_json(f: &easy::RawFrame<'_>, keys: Option<&KeyMap>) -> (Value, Option<String>) {
    let mut v = json!({
        "index": f.index,
        "T": f.t,
        "R": f.r,
        "rssi_dbm_guess": f.rssi_dbm_guess(),
        "F": {"$binary": {"base64": easy::base64::encode(f.f), "subType": format!("{:02x}", f.subtype)}},
        "hex": to_hex(f.f),
    });
    let mut key_error = None;
    if let Some(keys) = keys {
        let (decoded, e) = crate::wmbus::decode_json(f.f, FormatHint::Only(Format::None), keys);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("decoded".into(), decoded);
        }
        key_error = e.map(|e| format!("data[{}]: {e}", f.index));
    }
    (v, key_error)
}

/// Renders one element (its raw bytes) as `"key":value` relaxed Extended
/// JSON, in the document's own key order.
fn element_json(element: &[u8]) -> Result<String, String> {
    let mut doc = Vec::with_capacity(element.len() + 5);
    let len = u32::try_from(element.len() + 5).map_err(|e| e.to_string())?;
    doc.extend_from_slice(&len.to_le_bytes());
    doc.extend_from_slice(element);
    doc.push(0);
    let raw = RawDocument::new(&doc).map_err(|e| e.to_string())?;
    let text = extjson::to_relaxed(&raw).map_err(|e| e.to_string())?;
    Ok(text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or_default()
        .to_string())
}

/// Decodes a hub file to JSON text (keys in file order). The flag is false
/// when the CRC fails per `mode`.
pub fn decode(
    bytes: &[u8],
    key: Option<&FileKey>,
    mode: CrcMode,
    meter_keys: Option<&KeyMap>,
) -> Result<(String, bool), String> {
    let plain = easy::decrypt(bytes, key).map_err(|e| e.to_string())?;
    let check = envelope::check(&plain).map_err(|e| e.to_string())?;
    // crc last, document well-formed (mode None: judged below).
    webdyn_files::easy::frames::open(&plain, CrcMode::None).map_err(|e| e.to_string())?;
    let doc = RawDocument::parse(&plain).map_err(|e| format!("BSON: {e}"))?;
    let mut parts = Vec::new();
    let mut it = doc.iter();
    loop {
        let start = it.offset();
        let Some(item) = it.next() else { break };
        let (k, v) = item.map_err(|e| format!("BSON: {e}"))?;
        let end = it.offset().min(plain.len() - 1);
        if k.eq_ignore_ascii_case("crc") && end == plain.len() - 1 {
            continue;
        }
        match (v, meter_keys) {
            (RawBson::Array(frames), Some(keys)) if k.eq_ignore_ascii_case("data") => {
                let mut items = Vec::new();
                for (i, fr) in frames.iter().enumerate() {
                    let fr = fr.map_err(|e| format!("BSON: {e}"))?;
                    let one = match fr {
                        RawBson::Document(d) => {
                            extjson::to_relaxed(&d).map_err(|e| format!("BSON: {e}"))?
                        }
                        _ => {
                            let e = element_json(&single(&fr, i)?)?;
                            e.split_once(':').map_or("", |(_, v)| v).to_string()
                        }
                    };
                    let decoded = match fr {
                        RawBson::Document(d) => d.iter().flatten().find_map(|(k, v)| match v {
                            RawBson::Binary(b) if k.eq_ignore_ascii_case("f") => Some(b.bytes),
                            _ => None,
                        }),
                        _ => None,
                    };
                    match (decoded, one.strip_suffix('}')) {
                        (Some(f), Some(head)) => {
                            let (d, _) =
                                crate::wmbus::decode_json(f, FormatHint::Only(Format::None), keys);
                            items.push(format!("{head},\"decoded\":{d}}}"));
                        }
                        _ => items.push(one),
                    }
                }
                parts.push(format!("{}:[{}]", Value::from(k.as_str()), items.join(",")));
            }
            _ => {
                let raw = plain.get(start..end).ok_or("element out of range")?;
                parts.push(element_json(raw)?);
            }
        }
    }
    parts.push(format!(
        "\"crc\":{{\"stored\":{},\"computed\":{},\"ok\":{}}}",
        check.stored,
        check.computed,
        mode.accepts(&check)
    ));
    Ok((format!("{{{}}}", parts.join(",")), mode.accepts(&check)))
}

/// The raw bytes of one array value as an element keyed by its index.
fn single(v: &RawBson<'_>, i: usize) -> Result<Vec<u8>, String> {
    let mut buf = vec![0u8; 64 + v_len(v)];
    let mut w = webdyn_files::bson::Writer::new(&mut buf);
    w.start_document().map_err(|e| e.to_string())?;
    w.append(&i.to_string(), *v).map_err(|e| e.to_string())?;
    w.end_document().map_err(|e| e.to_string())?;
    let doc = w.into_bytes().map_err(|e| e.to_string())?;
    Ok(doc.get(4..doc.len() - 1).unwrap_or_default().to_vec())
}

fn v_len(v: &RawBson<'_>) -> usize {
    match v {
        RawBson::Document(d) => d.as_bytes().len(),
        RawBson::Array(a) => a.as_bytes().len(),
        RawBson::String(s) => s.len(),
        RawBson::Binary(b) => b.bytes.len(),
        _ => 64,
    }
}

/// The typed document a JSON object is, by its top-level keys.
fn check_typed(bytes: &[u8], doc: &RawDocument<'_>) -> Result<Vec<String>, String> {
    let has = |k: &str| {
        doc.iter()
            .flatten()
            .any(|(key, _)| key.eq_ignore_ascii_case(k))
    };
    fn problems<T: serde::de::DeserializeOwned + Validate>(
        bytes: &[u8],
        what: &str,
    ) -> Result<Vec<String>, String> {
        let t: T = easy::decode(bytes, None, CrcMode::Always)
            .map_err(|e| format!("not a valid {what}: {e}"))?;
        Ok(t.problems().iter().map(ToString::to_string).collect())
    }
    if has("config") {
        problems::<easy::ConfigFile>(bytes, "configuration file")
    } else if has("cmd") {
        problems::<easy::CommandFile>(bytes, "command file")
    } else if has("wlFilter") {
        problems::<easy::WhitelistFile>(bytes, "whitelist file")
    } else if has("supervision") {
        problems::<easy::SupervisionFile>(bytes, "supervision file")
    } else if has("alarm") {
        problems::<easy::AlarmFile>(bytes, "alarm file")
    } else if has("ack") {
        problems::<easy::AckFile>(bytes, "acknowledgement file")
    } else if has("log") {
        problems::<easy::LogFile>(bytes, "log file")
    } else if has("data") {
        problems::<easy::DataFile>(bytes, "data file")
    } else {
        Ok(Vec::new())
    }
}

/// Encodes JSON text into a hub file; returns it and the validation
/// warnings.
pub fn encode(text: &str, key: Option<&FileKey>) -> Result<(Vec<u8>, Vec<String>), String> {
    let relaxed = easy::json::relax(text);
    let mut doc = extjson::from_json(&relaxed).map_err(|e| format!("JSON: {e}"))?;
    // Whatever the input says about the CRC (a number, or decode's
    // {"stored",..} object) is replaced by a fresh one, last.
    let crc_keys: Vec<String> = doc
        .keys()
        .filter(|k| k.eq_ignore_ascii_case("crc"))
        .map(str::to_string)
        .collect();
    let mut crc_name = "crc".to_string();
    for k in crc_keys {
        if let Some(v) = doc.remove(&k)
            && !matches!(v, webdyn_files::bson::Bson::Document(_))
        {
            crc_name = k;
        }
    }
    doc.insert(crc_name, 0i32);
    let mut bytes = doc.to_vec().map_err(|e| format!("BSON: {e}"))?;
    envelope::stamp(&mut bytes).map_err(|e| e.to_string())?;
    let raw = RawDocument::parse(&bytes).map_err(|e| format!("BSON: {e}"))?;
    let warnings = check_typed(&bytes, &raw)?;
    // Whitelist ids are 8 bytes each: ids glued together in the JSON (the
    // manual's own example, erratum E8) are written as separate entries.
    let is_whitelist = raw
        .iter()
        .flatten()
        .any(|(k, _)| k.eq_ignore_ascii_case("wlFilter"));
    let bytes = if is_whitelist {
        let w: easy::WhitelistFile =
            easy::decode(&bytes, None, CrcMode::Always).map_err(|e| e.to_string())?;
        easy::encode(&w, None).map_err(|e| e.to_string())?
    } else {
        bytes
    };
    let out = match key {
        Some(k) => easy::key::encrypt(k, &bytes),
        None => bytes,
    };
    Ok((out, warnings))
}

/// The demo: a data file the hub would upload, encrypted, opened with the
/// manual's example key, its frames decoded; and the manual's configuration
/// example rebuilt with its CRC.
pub fn demo() -> Result<Value, CliError> {
    let inv = |e: String| CliError::Invalid(format!("easy demo: {e}"));
    // The Amber AMB8426-M manual's mode-5 telegram (meter 12345678, key
    // 00..0F), CRCs removed as the hub stores it, and an unencrypted
    // telegram built here (a water meter, TPL without encryption).
    let amber = "1e44a205785634120003 7a35001005 1e34c77cfe6c59b154b663297fe6c3f7";
    let plain_frame = "1444 2d2c 44332211 1b 07 7a 2a 00 0000 0c13 41230000";
    let json = format!(
        r#"{{"uid":"WE_1234","source":"schedule","TS":1560068897,"frameCount":2,"data":[
            {{"T":1560066602,"R":199,"F":{{"$binary":"{}","$type":"00"}}}},
            {{"T":1560066610,"R":178,"F":{{"$binary":"{}","$type":"00"}}}}],"crc":0}}"#,
        easy::base64::encode(&crate::io::parse_hex(amber)?),
        easy::base64::encode(&crate::io::parse_hex(plain_frame)?),
    );
    let key = FileKey::parse("RACq94N4BJyrE+5ONQ4oGw==").map_err(|e| inv(e.to_string()))?;
    let (sealed, _) = encode(&json, Some(&key)).map_err(inv)?;
    let name = FileName::new(
        "123456",
        easy::FileKind::Data {
            timestamp: 1_560_068_897,
        },
    )
    .with_encrypted(true);
    let keys = meter_keys(&["12345678=000102030405060708090A0B0C0D0E0F".to_string()])?;
    let (text, _) = decode(&sealed, Some(&key), CrcMode::Always, Some(&keys)).map_err(inv)?;
    let data: Value = serde_json::from_str(&text).map_err(|e| inv(e.to_string()))?;

    let (config, _) = encode(
        r#"{"Config":{"Remote":{"NTP":["ntp.google.com",""]}},"CRC":0}"#,
        None,
    )
    .map_err(inv)?;
    Ok(json!({
        "data_file": {
            "name": name.to_string(),
            "encrypted_bytes": sealed.len(),
            "document": data,
        },
        "manual_config_example": {
            "bytes": config.len(),
            "hex": to_hex(&config),
            "crc": format!("0x{:08X}", envelope::check(&config).map_err(|e| inv(e.to_string()))?.computed),
        },
    }))
}
