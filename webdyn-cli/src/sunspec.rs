//! `webdyn sunspec`: SunSpec register images to JSON and back.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};
use webdyn_sunspec::json::ModelJson;
use webdyn_sunspec::model::{self, Scaled};
use webdyn_sunspec::scan::{Models, find_marker};
use webdyn_sunspec::writer::ImageWriter;
use webdyn_sunspec::{RegisterImage, Value};

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
    /// into its models and points.
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
        /// The point as MODEL.POINT, e.g. `123.WMaxLimPct` (built-in models
        /// 1, 101, 102, 103, 123).
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
            let bytes = image_bytes(&read_input(&file)?)?;
            let out = decode(base, &bytes, models.as_deref())?;
            print_json(&out)
        }
        Command::Write {
            base,
            point,
            value,
            file,
        } => {
            let bytes = image_bytes(&read_input(&file)?)?;
            print_json(&write(base, &bytes, &point, &value)?)
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

fn decode(base: u32, bytes: &[u8], models_dir: Option<&Path>) -> Result<Json, CliError> {
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
        if let Some(def) = model::builtin(h.id) {
            name = json!(def.name);
            for p in def.decode_model(&image, &h) {
                points.insert(
                    p.def.name.to_string(),
                    json!({
                        "value": value_json(&p.value),
                        "scaled": scaled_json(p.scaled),
                        "units": p.def.units,
                    }),
                );
            }
        } else if let Some(def) = models_dir.and_then(|d| load_model(d, h.id)) {
            name = json!(def.group.name);
            match def.decode(&image, h.addr, h.len) {
                Ok(list) => {
                    for p in list {
                        points.insert(
                            p.path,
                            json!({
                                "value": value_json(&p.value),
                                "scaled": scaled_json(p.scaled),
                                "units": p.units,
                            }),
                        );
                    }
                }
                Err(e) => errors.push(json!(format!("model {}: {e}", h.id))),
            }
        }
        let raw = image
            .regs(h.addr + 2, usize::from(h.len))
            .map(to_hex)
            .unwrap_or_default();
        models.push(json!({
            "id": h.id,
            "len": h.len,
            "addr": h.addr,
            "name": name,
            "points": points,
            "raw": raw,
        }));
    }
    Ok(json!({
        "base": base,
        "marker": marker,
        "missing_end_model": walk.missing_end_model(),
        "models": models,
        "errors": errors,
    }))
}

/// `sunspec write`: finds the model in the image, reads the point's scale
/// factor there and builds the request.
fn write(base: u32, bytes: &[u8], point: &str, value: &str) -> Result<Json, CliError> {
    let (id, name) = point
        .split_once('.')
        .and_then(|(m, p)| Some((m.parse::<u16>().ok()?, p)))
        .ok_or_else(|| CliError::Usage(format!("--point {point:?}: expected MODEL.POINT")))?;
    let def = model::builtin(id).ok_or_else(|| {
        CliError::Usage(format!(
            "--point {point:?}: model {id} is not built in (1, 101, 102, 103, 123)"
        ))
    })?;
    let amount = Scaled::parse(value)
        .ok_or_else(|| CliError::Usage(format!("--value {value:?}: not a decimal number")))?;
    let image = RegisterImage::new(base, bytes).map_err(|e| CliError::Invalid(e.to_string()))?;
    let header = Models::new(&image)
        .map_err(|e| CliError::Invalid(e.to_string()))?
        .filter_map(Result::ok)
        .find(|h| h.id == id)
        .ok_or_else(|| CliError::Invalid(format!("the image has no model {id}")))?;
    let target = def
        .write_target(header.addr, name)
        .ok_or_else(|| CliError::Invalid(format!("model {id} has no point {name:?}")))?;
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

fn load_model(dir: &Path, id: u16) -> Option<ModelJson> {
    let text = std::fs::read_to_string(dir.join(format!("model_{id}.json"))).ok()?;
    serde_json::from_str(&text).ok()
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
            "Hz": 5001, "Hz_SF": -2, "WH": 12345678, "WH_SF": 0, "TmpCab": 412, "Tmp_SF": -1, "St": 4}}
    ]});
    let hex = encode(&sample)?;
    let bytes = crate::io::parse_hex(&hex)?;
    let mut out = decode(40000, &bytes, None)?;
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
