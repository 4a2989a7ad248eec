//! `webdyn sunspec`: SunSpec register images to JSON and back.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};
use webdyn_sunspec::image::ReadMask;
use webdyn_sunspec::json::ModelJson;
use webdyn_sunspec::model::{self, MaskedPoint, Scaled};
use webdyn_sunspec::patch;
use webdyn_sunspec::scan::{Models, find_marker};
use webdyn_sunspec::symbol::Flag;
use webdyn_sunspec::writer::ImageWriter;
use webdyn_sunspec::{PointType, RegisterImage, Value};

use crate::cli_error::CliError;
use crate::io::{print_json, read_input, to_hex};

/// Arguments of `webdyn sunspec`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Decode a register image (hex text or raw bytes, big-endian registers)
    /// into its models and points. In hex text a `----` word marks a
    /// register the device refused to return: the points it touches decode
    /// as `"readable": false`.
    Decode {
        /// The register address of the image's first register.
        #[arg(long, default_value_t = 40000)]
        base: u32,
        /// A directory of official SunSpec JSON models (model_ID.json) to
        /// decode models beyond the built-in ones (1, 101, 102, 103).
        #[arg(long)]
        models: Option<PathBuf>,
        /// The image file, or `-` for stdin.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// Build the Modbus write (function 16) that sets a point to an
    /// engineering value, scaled by the scale factor the image holds.
    Write {
        /// The register address of the image's first register.
        #[arg(long, default_value_t = 40000)]
        base: u32,
        /// A directory of official SunSpec JSON models (model_ID.json) for
        /// models beyond the built-in ones.
        #[arg(long)]
        models: Option<PathBuf>,
        /// The point as MODEL.POINT, e.g. `123.WMaxLimPct` (built-in models
        /// 1, 101, 102, 103, 123) or, with --models, `126.curve[2].V1`.
        #[arg(long)]
        point: String,
        /// The engineering value as a decimal number, e.g. `53.5`.
        #[arg(long, allow_hyphen_values = true)]
        value: String,
        /// The image file (a fresh read of the device), or `-` for stdin.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// Build a register image (hex on stdout) from JSON
    /// `{"models":[{"id":1,"points":{"Mn":"Webdyn",...}}]}`; the output of
    /// `decode` is accepted as it is.
    Encode {
        /// The JSON file, or `-` for stdin.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
}

/// Runs `webdyn sunspec`.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Command::Decode { base, models, file } => {
            let (bytes, holes) = image_with_holes(&read_input(&file)?)?;
            let holes = shift(&holes, base);
            let out = decode(base, &bytes, models.as_deref(), &holes)?;
            print_json(&out)
        }
        Command::Write {
            base,
            models,
            point,
            value,
            file,
        } => {
            let (bytes, holes) = image_with_holes(&read_input(&file)?)?;
            let holes = shift(&holes, base);
            print_json(&write(
                base,
                &bytes,
                &holes,
                models.as_deref(),
                &point,
                &value,
            )?)
        }
        Command::Encode { file } => {
            let input: Json = serde_json::from_slice(&read_input(&file)?)
                .map_err(|e| CliError::Invalid(format!("{}: {e}", file.display())))?;
            let hex = encode(&input)?;
            println!("{hex}");
            Ok(())
        }
    }
}

/// Hex text where a `----` word marks a register the device refused to
/// return (as register dumps of SMA inverters show them): the image bytes
/// (zeros in the holes) and the holes, as register indexes from the image
/// start. Anything else goes to [`image_bytes`].
fn image_with_holes(input: &[u8]) -> Result<(Vec<u8>, Vec<Range<u32>>), CliError> {
    let has_holes = input.contains(&b'-')
        && input
            .iter()
            .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace() || *b == b'-');
    if !has_holes {
        return Ok((image_bytes(input)?, Vec::new()));
    }
    let text = String::from_utf8_lossy(input);
    let mut bytes = Vec::new();
    let mut holes: Vec<Range<u32>> = Vec::new();
    for word in text.split_ascii_whitespace() {
        let reg = u32::try_from(bytes.len() / 2)
            .map_err(|_| CliError::Invalid("register image: too long".into()))?;
        if word.bytes().all(|b| b == b'-') {
            if word.len() % 4 != 0 || bytes.len() % 2 != 0 {
                return Err(CliError::Invalid(format!(
                    "register image: {word:?} at register {reg} is not a whole number of \"----\" registers"
                )));
            }
            let n = u32::try_from(word.len() / 4).unwrap_or(0);
            match holes.last_mut() {
                Some(last) if last.end == reg => last.end += n,
                _ => holes.push(reg..reg + n),
            }
            bytes.resize(bytes.len() + word.len() / 2, 0);
        } else {
            let chunk = crate::io::parse_hex(word)
                .map_err(|e| CliError::Invalid(format!("register image: register {reg}: {e}")))?;
            bytes.extend(chunk);
        }
    }
    Ok((bytes, holes))
}

fn shift(holes: &[Range<u32>], base: u32) -> Vec<Range<u32>> {
    holes
        .iter()
        .map(|r| base.saturating_add(r.start)..base.saturating_add(r.end))
        .collect()
}

/// Hex text (any white space) or raw bytes.
fn image_bytes(input: &[u8]) -> Result<Vec<u8>, CliError> {
    let is_text = input
        .iter()
        .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace());
    if is_text {
        let text = String::from_utf8_lossy(input);
        crate::io::parse_hex(&text).map_err(|e| CliError::Invalid(format!("register image: {e}")))
    } else {
        Ok(input.to_vec())
    }
}

fn value_json(v: &Value<'_>) -> Json {
    match *v {
        Value::NotImplemented => Json::Null,
        Value::Int(i) => json!(i),
        Value::Uint(u) => json!(u),
        Value::Float(f) => json!(f),
        Value::Text(t) => json!(String::from_utf8_lossy(t)),
        Value::Bytes(b) => json!(to_hex(b)),
    }
}

fn scaled_json(s: Option<Scaled>) -> Json {
    match s {
        None => Json::Null,
        // Exact decimals travel as strings so no float rounding creeps in.
        Some(s @ Scaled::Decimal { .. }) => json!(s.to_string()),
        Some(Scaled::Float(f)) => json!(f),
    }
}

fn decode(
    base: u32,
    bytes: &[u8],
    models_dir: Option<&Path>,
    holes: &[Range<u32>],
) -> Result<Json, CliError> {
    let mask = ReadMask::new(holes);
    let image = RegisterImage::new(base, bytes).map_err(|e| CliError::Invalid(e.to_string()))?;
    let marker = find_marker(&image).map_err(|e| CliError::Invalid(e.to_string()))?;
    let mut walk = Models::new(&image).map_err(|e| CliError::Invalid(e.to_string()))?;
    let mut models = Vec::new();
    let mut errors = Vec::new();
    for h in &mut walk {
        let h = match h {
            Ok(h) => h,
            Err(e) => {
                errors.push(json!(e.to_string()));
                break;
            }
        };
        let mut points = Map::new();
        let mut name = Json::Null;
        let mut patches = None;
        if let Some(def) = model::builtin(h.id) {
            name = json!(def.name);
            for p in def.decode_masked(&image, &h, mask) {
                let entry = match p {
                    MaskedPoint::Read(p) => {
                        let mut entry = json!({
                            "value": value_json(&p.value),
                            "scaled": scaled_json(p.scaled),
                            "units": p.def.units,
                        });
                        add_symbols(&mut entry, p.def.ty, def.symbol_of(&p), def.flags_of(&p));
                        entry
                    }
                    MaskedPoint::NotReadable { def, .. } => unreadable_json(def.units),
                };
                points.insert(p.def().name.to_string(), entry);
            }
        } else if let Some((def, applied)) = models_dir.and_then(|d| load_model(d, h.id)) {
            name = json!(def.group.name);
            patches = Some(applied);
            match def.decode(&image, h.addr, h.len) {
                Ok(list) => {
                    // Points come in register order: each one ends where the
                    // next begins (the last at the model's end).
                    let ends: Vec<u32> = list
                        .iter()
                        .skip(1)
                        .map(|p| p.addr)
                        .chain([h.next_addr()])
                        .collect();
                    for (p, end) in list.into_iter().zip(ends) {
                        let count = end.saturating_sub(p.addr);
                        let entry = if mask.all_readable(p.addr, count) {
                            let mut entry = json!({
                                "value": value_json(&p.value),
                                "scaled": scaled_json(p.scaled),
                                "units": p.units,
                            });
                            add_symbols(&mut entry, p.ty, def.symbol(&p), def.flags(&p));
                            entry
                        } else {
                            unreadable_json(p.units.as_deref())
                        };
                        points.insert(p.path, entry);
                    }
                }
                Err(e) => errors.push(json!(format!("model {}: {e}", h.id))),
            }
        }
        let raw = image
            .regs(h.addr + 2, usize::from(h.len))
            .map(to_hex)
            .unwrap_or_default();
        let mut entry = json!({
            "id": h.id,
            "len": h.len,
            "addr": h.addr,
            "name": name,
            "points": points,
            "raw": raw,
        });
        // Models read through a JSON definition say which corrections of
        // the official file applied (sunspec/models issue numbers).
        if let (Some(applied), Some(obj)) = (patches, entry.as_object_mut()) {
            obj.insert("patches".into(), json!(applied));
        }
        models.push(entry);
    }
    let mut out = Map::new();
    out.insert("base".into(), json!(base));
    out.insert("marker".into(), json!(marker));
    out.insert("missing_end_model".into(), json!(walk.missing_end_model()));
    out.insert("models".into(), Json::Array(models));
    out.insert("errors".into(), Json::Array(errors));
    if !holes.is_empty() {
        let list = holes.iter().map(|r| json!([r.start, r.end])).collect();
        out.insert("unreadable".into(), Json::Array(list));
    }
    Ok(Json::Object(out))
}

/// Names an enumeration's value (`"symbol"`, null when the definition does
/// not name it or the point is not implemented) and a bit field's set bits
/// (`"flags"`: the named ones, `"unknown_bits"`: the bit numbers the
/// definition does not name; both null when the point is not implemented).
/// Other points get none of these keys.
fn add_symbols<'s, S: webdyn_sunspec::symbol::Named + 's>(
    entry: &mut Json,
    ty: PointType,
    symbol: Option<&str>,
    flags: Option<webdyn_sunspec::symbol::Flags<'s, S>>,
) {
    let Some(obj) = entry.as_object_mut() else {
        return;
    };
    match ty {
        PointType::Enum16 | PointType::Enum32 => {
            obj.insert("symbol".into(), json!(symbol));
        }
        PointType::Bitfield16 | PointType::Bitfield32 | PointType::Bitfield64 => {
            // Not implemented: no bits at all, rather than "none set".
            let (mut named, mut unknown) = (Json::Null, Json::Null);
            if let Some(flags) = flags {
                let (mut n, mut u) = (Vec::new(), Vec::new());
                for f in flags {
                    match f {
                        Flag::Named(name) => n.push(json!(name)),
                        Flag::Unknown(bit) => u.push(json!(bit)),
                    }
                }
                (named, unknown) = (Json::Array(n), Json::Array(u));
            }
            obj.insert("flags".into(), named);
            obj.insert("unknown_bits".into(), unknown);
        }
        _ => {}
    }
}

/// A point the device refused to return: no value, and said so.
fn unreadable_json(units: Option<&str>) -> Json {
    json!({"value": null, "scaled": null, "units": units, "readable": false})
}

/// `sunspec write`: finds the model in the image, reads the point's scale
/// factor there and builds the request.
fn write(
    base: u32,
    bytes: &[u8],
    holes: &[Range<u32>],
    models_dir: Option<&Path>,
    point: &str,
    value: &str,
) -> Result<Json, CliError> {
    let (id, name) = point
        .split_once('.')
        .and_then(|(m, p)| Some((m.parse::<u16>().ok()?, p)))
        .ok_or_else(|| CliError::Usage(format!("--point {point:?}: expected MODEL.POINT")))?;
    let builtin = model::builtin(id);
    // Any other model from its official JSON definition (access included).
    let from_json = match (builtin, models_dir) {
        (Some(_), _) => None,
        (None, Some(dir)) => {
            let path = dir.join(format!("model_{id}.json"));
            let text = std::fs::read_to_string(&path)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            let parse_err =
                |e: serde_json::Error| CliError::Invalid(format!("{}: {e}", path.display()));
            let mut m: ModelJson = serde_json::from_str(&text).map_err(parse_err)?;
            // The same corrections as `decode`, so both agree on addresses.
            patch::apply(&mut m);
            Some(m)
        }
        (None, None) => {
            return Err(CliError::Usage(format!(
                "--point {point:?}: model {id} is not built in (1, 101, 102, 103, 123); \
                 give --models DIR"
            )));
        }
    };
    let amount = Scaled::parse(value)
        .ok_or_else(|| CliError::Usage(format!("--value {value:?}: not a decimal number")))?;
    let image = RegisterImage::new(base, bytes).map_err(|e| CliError::Invalid(e.to_string()))?;
    let header = Models::new(&image)
        .map_err(|e| CliError::Invalid(e.to_string()))?
        .filter_map(Result::ok)
        .find(|h| h.id == id)
        .ok_or_else(|| CliError::Invalid(format!("the image has no model {id}")))?;
    let target = match (builtin, &from_json) {
        (Some(def), _) => def.write_target(header.addr, name),
        (None, Some(m)) => m
            .write_target(&image, header.addr, header.len, name)
            .map_err(|e| CliError::Invalid(format!("model {id}: {e}")))?,
        (None, None) => None,
    }
    .ok_or_else(|| CliError::Invalid(format!("model {id} has no point {name:?}")))?;
    if let Some(sf) = target
        .sf_addr
        .filter(|&a| !ReadMask::new(holes).is_readable(a))
    {
        return Err(CliError::Invalid(format!(
            "{point}: its scale factor (register {sf}) is unreadable"
        )));
    }
    let req = target
        .request(&image, &amount)
        .map_err(|e| CliError::Invalid(format!("{point}: {e}")))?;
    let sf = target
        .sf_addr
        .and_then(|a| image.regs(a, 1))
        .and_then(|r| webdyn_sunspec::PointType::Sunssf.decode(r).ok());
    let mut pdu = [0u8; 16];
    let n = req
        .pdu(&mut pdu)
        .map_err(|e| CliError::Invalid(format!("{point}: {e}")))?;
    Ok(json!({
        "model": id,
        "model_addr": header.addr,
        "point": name,
        "value": value,
        "scale_factor": sf.map_or(Json::Null, |v| value_json(&v)),
        "addr": req.addr(),
        "registers": req.registers(),
        "pdu": to_hex(pdu.get(..n).unwrap_or(&[])),
    }))
}

/// Model `id` from its official JSON definition, with the known defects
/// corrected (see `webdyn_sunspec::patch`), and the issue numbers of the
/// corrections that applied.
fn load_model(dir: &Path, id: u16) -> Option<(ModelJson, Vec<u16>)> {
    let text = std::fs::read_to_string(dir.join(format!("model_{id}.json"))).ok()?;
    let mut model: ModelJson = serde_json::from_str(&text).ok()?;
    let applied = patch::apply(&mut model).iter().map(|p| p.issue).collect();
    Some((model, applied))
}

fn encode(input: &Json) -> Result<String, CliError> {
    let bad = |m: String| CliError::Invalid(m);
    let models = input
        .get("models")
        .and_then(Json::as_array)
        .ok_or_else(|| bad("encode: expected {\"models\": [...]}".into()))?;
    // Size the image from the models given: SunS, each header and body, end model.
    let body_bytes = |m: &Json| -> usize {
        let id = m
            .get("id")
            .and_then(Json::as_u64)
            .and_then(|v| u16::try_from(v).ok());
        match id.and_then(model::builtin) {
            Some(def) => 2 * usize::from(def.len),
            None => m
                .get("raw")
                .and_then(Json::as_str)
                .map_or(0, |r| r.bytes().filter(u8::is_ascii_hexdigit).count() / 2),
        }
    };
    let size = 4 + models.iter().map(|m| 4 + body_bytes(m)).sum::<usize>() + 4;
    let mut buf = vec![0u8; size];
    let mut w = ImageWriter::new(&mut buf).map_err(|e| bad(e.to_string()))?;
    for (i, m) in models.iter().enumerate() {
        let id = m
            .get("id")
            .and_then(Json::as_u64)
            .and_then(|v| u16::try_from(v).ok())
            .ok_or_else(|| bad(format!("models[{i}]: missing or bad \"id\"")))?;
        let points = m.get("points").and_then(Json::as_object);
        if let Some(def) = model::builtin(id) {
            // Strings must outlive the value list: collect them first.
            let mut texts: Vec<(String, String)> = Vec::new();
            let mut nums: Vec<(String, Value<'static>)> = Vec::new();
            for (name, v) in points.into_iter().flatten() {
                let v = v.get("value").unwrap_or(v);
                let Some(p) = def.point(name) else {
                    return Err(bad(format!(
                        "models[{i}]: model {id} has no point {name:?}"
                    )));
                };
                // The header and padding are the writer's business.
                if p.name == "ID" || p.name == "L" || p.ty == webdyn_sunspec::PointType::Pad {
                    continue;
                }
                match v {
                    Json::Null => {}
                    Json::String(s) => texts.push((name.clone(), s.clone())),
                    Json::Number(n) => {
                        let val = if let Some(u) = n.as_u64() {
                            if matches!(
                                p.ty,
                                webdyn_sunspec::PointType::Int16
                                    | webdyn_sunspec::PointType::Int32
                                    | webdyn_sunspec::PointType::Int64
                                    | webdyn_sunspec::PointType::Sunssf
                            ) {
                                Value::Int(i64::try_from(u).map_err(|_| {
                                    bad(format!("models[{i}].{name}: out of range"))
                                })?)
                            } else {
                                Value::Uint(u)
                            }
                        } else if let Some(s) = n.as_i64() {
                            Value::Int(s)
                        } else {
                            Value::Float(n.as_f64().unwrap_or(0.0))
                        };
                        nums.push((name.clone(), val));
                    }
                    other => {
                        return Err(bad(format!(
                            "models[{i}].{name}: unsupported value {other}"
                        )));
                    }
                }
            }
            let mut values: Vec<(&str, Value<'_>)> =
                nums.iter().map(|(n, v)| (n.as_str(), *v)).collect();
            values.extend(
                texts
                    .iter()
                    .map(|(n, s)| (n.as_str(), Value::Text(s.as_bytes()))),
            );
            w.model_with(def, &values)
                .map_err(|e| bad(format!("models[{i}]: {e}")))?;
        } else {
            // Unknown model: its registers as raw hex.
            let raw = m.get("raw").and_then(Json::as_str).ok_or_else(|| {
                bad(format!(
                    "models[{i}]: model {id} is not built in; give \"raw\" hex"
                ))
            })?;
            let bytes =
                crate::io::parse_hex(raw).map_err(|e| bad(format!("models[{i}].raw: {e}")))?;
            let len = u16::try_from(bytes.len() / 2)
                .map_err(|_| bad(format!("models[{i}]: too long")))?;
            let body = w.model(id, len).map_err(|e| bad(e.to_string()))?;
            body.copy_from_slice(bytes.get(..body.len()).unwrap_or(&[]));
        }
    }
    let n = w.finish().map_err(|e| bad(e.to_string()))?;
    Ok(to_hex(buf.get(..n).unwrap_or(&[])))
}

/// The `sunspec` section of `webdyn demo`: a simulated three-phase inverter.
pub fn demo() -> Result<Json, CliError> {
    let sample = json!({"models": [
        {"id": 1, "points": {"Mn": "Webdyn", "Md": "Demo inverter", "SN": "WD-0001", "DA": 1}},
        {"id": 103, "points": {"A": 1085, "AphA": 362, "AphB": 361, "AphC": 362, "A_SF": -2,
            "PhVphA": 2301, "PhVphB": 2298, "PhVphC": 2305, "V_SF": -1, "W": 7480, "W_SF": 0,
            "Hz": 5001, "Hz_SF": -2, "WH": 12345678, "WH_SF": 0, "TmpCab": 412, "Tmp_SF": -1, "St": 4}},
        {"id": 123, "points": {"WMaxLimPct": 1000, "WMaxLimPct_SF": -1, "WMaxLim_Ena": 0,
            "OutPFSet_SF": -3}}
    ]});
    let hex = encode(&sample)?;
    let bytes = crate::io::parse_hex(&hex)?;
    let mut out = decode(40000, &bytes, None, &[])?;
    // And the request that limits the inverter to 53.5 % of WMax.
    let limit = write(40000, &bytes, &[], None, "123.WMaxLimPct", "53.5")?;
    if let Some(obj) = out.as_object_mut() {
        obj.insert("write".into(), limit);
    }
    // Keep the demo short: drop the raw register dumps.
    if let Some(models) = out.get_mut("models").and_then(Json::as_array_mut) {
        for m in models {
            if let Some(obj) = m.as_object_mut() {
                obj.remove("raw");
            }
        }
    }
    Ok(out)
}
