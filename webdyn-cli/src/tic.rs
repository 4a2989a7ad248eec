//! `webdyn tic decode | encode | stats`: Enedis TIC frames.
//!
//! Decode prints one JSON line per frame (contract in `shared/spec/cli.md`),
//! with these keys added to the contract's: `offset`, `fields` (typed
//! values), `kind` (`historic`, `standard`, `short_alert` for a three-phase
//! ADIR overcurrent frame, `empty`), `index` and `distributor_index` (the
//! billing index counting now: `{"label","wh","period"}` or null), and
//! `alert` (`{"adir":[A|null;3],"iinst":[A|null;3]}`, short frames only);
//! encode reads those lines back and writes raw frames with exact checksums,
//! so `decode | encode` reproduces a valid stream byte for byte.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde_json::{Map, Value, json};
use webdyn_tic::{
    BillingIndex, Config, Decoder, Event, Field, FrameKindDetector, FrameStatus, FrameWriter,
    Group, Mode, ModeSelect, OvercurrentAlert, Stats,
};

use crate::cli_error::CliError;
use crate::io::{print_json, print_json_line, read_input};

/// Arguments of `webdyn tic`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Decode a raw TIC byte stream to one JSON line per frame.
    Decode(DecodeArgs),
    /// Encode JSON lines (as printed by decode) to raw TIC frames.
    Encode(EncodeArgs),
    /// Decode a stream and print the decoder's counters as JSON.
    Stats(StatsArgs),
}

#[derive(clap::Args)]
struct DecodeArgs {
    /// Mode: auto (per group), historic or standard.
    #[arg(long, default_value = "auto", value_parser = ["auto", "historic", "standard"])]
    mode: String,
    /// Take 0x0B, 0x0E or 0x0F where an LF belongs as that LF (noisy
    /// receivers), keeping the group behind it.
    #[arg(long)]
    repair_lf: bool,
    /// Input file, or `-` for stdin.
    #[arg(default_value = "-")]
    input: PathBuf,
}

#[derive(clap::Args)]
struct EncodeArgs {
    /// Mode of every frame; by default each line's `"mode"`.
    #[arg(long, value_parser = ["historic", "standard"])]
    mode: Option<String>,
    /// JSON lines input, or `-` for stdin.
    #[arg(default_value = "-")]
    input: PathBuf,
}

#[derive(clap::Args)]
struct StatsArgs {
    /// Mode: auto (per group), historic or standard.
    #[arg(long, default_value = "auto", value_parser = ["auto", "historic", "standard"])]
    mode: String,
    /// Take 0x0B, 0x0E or 0x0F where an LF belongs as that LF.
    #[arg(long)]
    repair_lf: bool,
    /// Input file, or `-` for stdin.
    input: PathBuf,
}

/// Runs `webdyn tic`.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Sub::Decode(a) => decode(a),
        Sub::Encode(a) => encode(a),
        Sub::Stats(a) => stats(a),
    }
}

fn config(mode: &str, repair_lf: bool) -> Config {
    let mode = match mode {
        "historic" => ModeSelect::Historic,
        "standard" => ModeSelect::Standard,
        _ => ModeSelect::Auto,
    };
    Config {
        mode,
        repair_lf,
        ..Config::default()
    }
}

/// Builds the JSON of each frame of a byte stream, in order, plus the
/// decoder's final counters.
fn frames_json(bytes: &[u8], cfg: Config) -> (Vec<Value>, Stats) {
    let mut dec: Decoder = Decoder::with_config(cfg);
    let fallback = match cfg.mode {
        ModeSelect::Standard => Mode::Standard,
        _ => Mode::Historic,
    };
    let mut out = Vec::new();
    let mut cur = FrameJson::default();
    // Stream offset just after the previous frame: every byte from there to
    // the next STX lies outside any frame.
    let mut after_last = 0u64;
    let mut handle = |ev: Event<'_>| match ev {
        Event::FrameStart { offset } => {
            cur = FrameJson::default();
            let skipped = offset.saturating_sub(after_last);
            if skipped > 0 {
                cur.errors.push(format!(
                    "{skipped} bytes outside any frame skipped before byte {offset}"
                ));
            }
        }
        Event::Group { group, .. } => cur.group(&group),
        Event::Invalid { error, group, .. } => {
            if let Some(g) = group {
                cur.group(&g);
            }
            cur.errors.push(error.to_string());
        }
        Event::FrameEnd(end) => {
            // An STX that cut a frame starts the next one: not outside.
            after_last = if end.status == FrameStatus::Unterminated {
                end.end
            } else {
                end.end + 1
            };
            out.push(std::mem::take(&mut cur).finish(end, fallback));
        }
    };
    dec.feed(bytes, &mut handle);
    dec.finish(&mut handle);
    let trailing = (bytes.len() as u64).saturating_sub(after_last);
    if trailing > 0 && out.is_empty() {
        // Nothing framed at all; the caller reports it.
    } else if trailing > 0 {
        eprintln!("webdyn: {trailing} bytes outside any frame skipped at the end of the input");
    }
    (out, dec.stats())
}

#[derive(Default)]
struct FrameJson {
    mode: Option<Mode>,
    groups: Vec<Value>,
    fields: Vec<Value>,
    errors: Vec<String>,
    /// Label and value of each group with a right checksum, for the
    /// billing index and the alert.
    valid: Vec<(String, String)>,
    kind: FrameKindDetector,
}

/// `{"label","wh","period"}` of a billing index.
fn index_json(idx: Option<BillingIndex<'_>>) -> Value {
    idx.map_or(
        Value::Null,
        |i| json!({ "label": i.label, "wh": i.wh, "period": i.period.name() }),
    )
}

impl FrameJson {
    fn group(&mut self, g: &Group<'_>) {
        self.mode.get_or_insert(g.mode());
        self.groups.push(json!({
            "label": g.label_str(),
            "value": g.data_str(),
            "horodate": g.horodate_str(),
            "checksum_ok": g.checksum_ok(),
        }));
        if g.checksum_ok() {
            self.kind.push(g);
            self.valid
                .push((g.label_str().to_owned(), g.data_str().to_owned()));
        }
        if g.checksum_ok()
            && let Ok(f) = Field::decode(g)
            && let Ok(v) = serde_json::to_value(f)
        {
            self.fields.push(v);
        }
    }

    /// The keys worked out from the valid groups: `kind`, `index`,
    /// `distributor_index`, and `alert` for a short frame.
    fn derived(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let kind = self.kind.kind();
        m.insert("kind".into(), json!(kind.name()));
        let get = |l: &[u8]| self.value_of(l);
        m.insert("index".into(), index_json(BillingIndex::current(get)));
        m.insert(
            "distributor_index".into(),
            index_json(BillingIndex::distributor(get)),
        );
        if kind == webdyn_tic::FrameKind::ShortAlert {
            let a = OvercurrentAlert::from_lookup(get);
            m.insert("alert".into(), json!({ "adir": a.adir, "iinst": a.iinst }));
        }
        m
    }

    fn value_of(&self, label: &[u8]) -> Option<&[u8]> {
        self.valid
            .iter()
            .find(|(l, _)| l.as_bytes() == label)
            .map(|(_, v)| v.as_bytes())
    }

    fn finish(self, end: webdyn_tic::FrameEnd, fallback: Mode) -> Value {
        let extra = self.derived();
        let mut m = Map::new();
        m.insert("mode".into(), json!(self.mode.unwrap_or(fallback).name()));
        m.insert("valid".into(), json!(end.is_valid()));
        m.insert(
            "interrupted".into(),
            json!(end.status == FrameStatus::Interrupted),
        );
        m.insert("groups".into(), Value::Array(self.groups));
        let mut errors = self.errors;
        if end.status == FrameStatus::Unterminated {
            errors.push(format!("frame not terminated (cut at byte {})", end.end));
        }
        m.insert("errors".into(), json!(errors));
        m.insert("offset".into(), json!(end.start));
        m.insert("fields".into(), Value::Array(self.fields));
        m.extend(extra);
        Value::Object(m)
    }
}

fn decode(a: DecodeArgs) -> Result<(), CliError> {
    let bytes = read_input(&a.input)?;
    let (frames, _) = frames_json(&bytes, config(&a.mode, a.repair_lf));
    if frames.is_empty() && !bytes.is_empty() {
        return Err(CliError::Invalid(format!(
            "no TIC frame (STX) found in {} bytes",
            bytes.len()
        )));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in &frames {
        print_json_line(&mut out, f)?;
    }
    out.flush()?;
    Ok(())
}

fn stats(a: StatsArgs) -> Result<(), CliError> {
    let bytes = read_input(&a.input)?;
    let (frames, st) = frames_json(&bytes, config(&a.mode, a.repair_lf));
    let mut v = serde_json::to_value(st)
        .map_err(|e| CliError::Usage(format!("cannot serialise output: {e}")))?;
    if let Value::Object(m) = &mut v {
        m.insert("frames".into(), json!(frames.len()));
        m.insert("bytes".into(), json!(bytes.len()));
        m.insert("errors".into(), json!(st.errors()));
    }
    print_json(&v)
}

fn encode(a: EncodeArgs) -> Result<(), CliError> {
    let bytes = read_input(&a.input)?;
    let forced = a.mode.as_deref().map(|m| {
        if m == "standard" {
            Mode::Standard
        } else {
            Mode::Historic
        }
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (i, line) in bytes.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let frame = encode_line(&line, forced)
            .map_err(|e| CliError::Invalid(format!("line {}{e}", i + 1)))?;
        out.write_all(&frame)?;
    }
    out.flush()?;
    Ok(())
}

/// Encodes one JSON frame; errors are `column: message` (appended to the
/// line number by the caller).
fn encode_line(line: &str, forced: Option<Mode>) -> Result<Vec<u8>, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!(":{}: {e}", e.column()))?;
    let mode = match (forced, v.get("mode").and_then(Value::as_str)) {
        (Some(m), _) => m,
        (None, Some("historic")) => Mode::Historic,
        (None, Some("standard")) => Mode::Standard,
        (None, other) => {
            return Err(format!(
                ": \"mode\" must be \"historic\" or \"standard\", got {other:?}"
            ));
        }
    };
    let groups = v
        .get("groups")
        .and_then(Value::as_array)
        .ok_or_else(|| ": missing \"groups\" array".to_string())?;
    let interrupted = v
        .get("interrupted")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let size: usize = 2 + groups
        .iter()
        .map(|g| {
            let len = |k| g.get(k).and_then(Value::as_str).map_or(0, str::len);
            len("label") + len("value") + len("horodate") + 6
        })
        .sum::<usize>();
    let mut buf = vec![0u8; size];
    let mut w = FrameWriter::new(&mut buf, mode).map_err(|e| format!(": {e}"))?;
    for (n, g) in groups.iter().enumerate() {
        let label = g
            .get("label")
            .and_then(Value::as_str)
            .ok_or_else(|| format!(": group {n}: missing \"label\""))?;
        let value = g
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| format!(": group {n}: missing \"value\""))?;
        let horodate = g.get("horodate").and_then(Value::as_str);
        w.group(
            label.as_bytes(),
            horodate.map(str::as_bytes),
            value.as_bytes(),
        )
        .map_err(|e| format!(": group {n} ({label}): {e}"))?;
    }
    let n = if interrupted {
        w.interrupt()
    } else {
        w.finish()
    }
    .map_err(|e| format!(": {e}"))?;
    buf.truncate(n);
    Ok(buf)
}

/// The `tic` section of `webdyn demo`: two frames built here from the
/// specification's worked examples (a historic BASE meter and a short Linky
/// standard frame with its billing indexes), encoded, then decoded.
pub fn demo() -> Result<Value, CliError> {
    let mut stream = Vec::new();
    let historic: &[(&str, &str)] = &[
        ("ADCO", "030422000048"),
        ("OPTARIF", "BASE"),
        ("ISOUSC", "30"),
        ("BASE", "012345678"),
        ("PTEC", "TH.."),
        ("IINST", "005"),
        ("IMAX", "090"),
        ("PAPP", "00690"),
        ("HHPHC", "A"),
        ("MOTDETAT", "000000"),
    ];
    let standard: &[(&str, Option<&str>, &str)] = &[
        ("ADSC", None, "041662343035"),
        ("VTIC", None, "02"),
        ("DATE", Some("E240601120000"), ""),
        ("EAST", None, "000012345"),
        // A single-index contract: supplier and distributor index 1 hold
        // the whole total; NTARF 01 and STGE bits 10-15 = 0 agree.
        ("EASF01", None, "000012345"),
        ("EASD01", None, "000012345"),
        ("SINSTS", None, "00450"),
        ("SMAXSN", Some("E240601081503"), "00980"),
        ("STGE", None, "003A0001"),
        ("NTARF", None, "01"),
    ];
    let bad = |e: webdyn_tic::Error| CliError::Invalid(format!("demo: {e}"));
    let mut buf = [0u8; 512];
    let mut w = FrameWriter::new(&mut buf, Mode::Historic).map_err(bad)?;
    for (l, v) in historic {
        w.group(l.as_bytes(), None, v.as_bytes()).map_err(bad)?;
    }
    let n = w.finish().map_err(bad)?;
    stream.extend_from_slice(buf.get(..n).unwrap_or_default());
    let mut w = FrameWriter::new(&mut buf, Mode::Standard).map_err(bad)?;
    for (l, h, v) in standard {
        w.group(l.as_bytes(), h.map(str::as_bytes), v.as_bytes())
            .map_err(bad)?;
    }
    let n = w.finish().map_err(bad)?;
    stream.extend_from_slice(buf.get(..n).unwrap_or_default());
    let (frames, st) = frames_json(&stream, Config::default());
    Ok(json!({ "frames": frames, "stats": serde_json::to_value(st).unwrap_or(Value::Null) }))
}
