//! `webdyn bson`: BSON to MongoDB Extended JSON v2 and back.
//!
//! `to-json` prints one line of Extended JSON per document (a file of
//! concatenated documents, like a `mongodump` file, gives JSON Lines);
//! `from-json` reads one JSON object, or JSON Lines of objects, and writes
//! the BSON bytes to stdout. `from-json | to-json` is the identity on
//! canonical input.

use std::io::Write;
use std::path::{Path, PathBuf};

use webdyn_files::bson::document::{DecodeOptions, Utf8, key_path};
use webdyn_files::bson::{Document, Error, ErrorKind, RawDocument, Writer, extjson, stream};

use crate::cli_error::CliError;
use crate::io::read_input;

/// Arguments of `webdyn bson`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// BSON document(s) to Extended JSON v2, one line per document
    /// (canonical unless --relaxed).
    ToJson {
        /// Relaxed Extended JSON (plain numbers, ISO dates).
        #[arg(long)]
        relaxed: bool,
        /// Replace invalid UTF-8 in strings and keys with U+FFFD instead of
        /// failing (every other check still applies).
        #[arg(long)]
        lossy: bool,
        /// The BSON file, or `-` for stdin.
        file: PathBuf,
    },
    /// Extended JSON (one object, or one object per line) to BSON bytes on
    /// stdout.
    FromJson {
        /// The JSON file, or `-` for stdin.
        file: PathBuf,
    },
}

/// Runs `webdyn bson`.
pub fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        Command::ToJson {
            relaxed,
            lossy,
            file,
        } => {
            let bytes = read_input(&file)?;
            let mode = if relaxed {
                extjson::Mode::Relaxed
            } else {
                extjson::Mode::Canonical
            };
            let lines = to_json(&bytes, mode, lossy).map_err(|(e, path)| match path {
                Some(p) if !p.is_empty() => {
                    CliError::Invalid(format!("{}: {e} (in {p})", file.display()))
                }
                _ => invalid(&file, e),
            })?;
            let mut out = std::io::stdout().lock();
            for line in lines {
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
        Command::FromJson { file } => {
            let text = String::from_utf8(read_input(&file)?).map_err(|e| {
                CliError::Invalid(format!(
                    "{}: not UTF-8 at byte {}",
                    file.display(),
                    e.utf8_error().valid_up_to()
                ))
            })?;
            let bytes = from_json(&text).map_err(|(line_start, e)| {
                let (line, col) = line_col(&text, line_start + e.offset);
                CliError::Invalid(format!("{}:{line}:{col}: {}", file.display(), e.kind))
            })?;
            std::io::stdout().lock().write_all(&bytes)?;
            Ok(())
        }
    }
}

fn invalid(file: &Path, e: webdyn_files::bson::Error) -> CliError {
    CliError::Invalid(format!("{}: {e}", file.display()))
}

/// Every document of a buffer of concatenated documents, as Extended JSON.
/// An error comes with the key path of the element it is in, when it is
/// inside a document. With `lossy`, a document that fails only on UTF-8 is
/// decoded with U+FFFD replacements and re-encoded before conversion.
fn to_json(
    bytes: &[u8],
    mode: extjson::Mode,
    lossy: bool,
) -> Result<Vec<String>, (webdyn_files::bson::Error, Option<String>)> {
    let mut lines = Vec::new();
    for doc in stream::documents(bytes) {
        let doc = doc.map_err(|e| (e, None))?;
        // Offsets count from the start of the input; the path is looked up
        // in this document's own bytes.
        let start = doc.offset();
        let with_path = |e: webdyn_files::bson::Error| {
            let path = key_path(doc.as_bytes(), e.offset.saturating_sub(start));
            (e, Some(path))
        };
        let line = match doc.validate() {
            Err(e) if lossy && e.kind == ErrorKind::InvalidUtf8 => {
                let options = DecodeOptions::new().utf8(Utf8::Lossy);
                let owned = Document::from_slice_with(doc.as_bytes(), &options)
                    .map_err(|e| Error::new(e.kind, e.offset + start))
                    .map_err(with_path)?;
                let bytes = owned.to_vec().map_err(|e| (e, None))?;
                let raw = RawDocument::parse(&bytes).map_err(|e| (e, None))?;
                extjson::to_string(&raw, mode).map_err(|e| (e, None))?
            }
            Err(e) => return Err(with_path(e)),
            Ok(()) => extjson::to_string(&doc, mode).map_err(with_path)?,
        };
        lines.push(line);
    }
    if lines.is_empty() {
        return Err((Error::new(ErrorKind::Truncated, 0), None));
    }
    Ok(lines)
}

/// One JSON object, or JSON Lines of objects, to concatenated BSON. The
/// error carries the byte offset of the line it was found in.
fn from_json(text: &str) -> Result<Vec<u8>, (usize, webdyn_files::bson::Error)> {
    match extjson::from_json_to_vec(text) {
        Ok(b) => return Ok(b),
        // A first object followed by more text: JSON Lines. Any other error
        // is reported where the whole-text parse found it.
        Err(e) if e.kind != ErrorKind::Json("unexpected text after the JSON value") => {
            return Err((0, e));
        }
        Err(_) => {}
    }
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            out.extend(extjson::from_json_to_vec(line).map_err(|e| (start, e))?);
        }
        start += line.len();
    }
    Ok(out)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The `bson` section of `webdyn demo`: a WebdynEasy-like document built
/// with the no-alloc writer, read back and shown as relaxed Extended JSON.
pub fn demo() -> Result<serde_json::Value, CliError> {
    let mut buf = [0u8; 256];
    let mut w = Writer::new(&mut buf);
    let build = |w: &mut Writer<'_>| -> Result<(), webdyn_files::bson::Error> {
        w.start_document()?;
        w.append_str("hub", "demo-hub")?;
        w.append_datetime("created", webdyn_files::bson::DateTime(1_700_000_000_000))?;
        w.start_array("frames")?;
        for (t, r, frame) in [
            (
                1_700_000_000,
                -71,
                &[0x1E, 0x44, 0x2D, 0x2C, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07][..],
            ),
            (
                1_700_000_060,
                -69,
                &[0x0E, 0x44, 0xA5, 0x11, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1B][..],
            ),
        ] {
            w.start_subdocument("")?;
            w.append_i32("T", t)?;
            w.append_i32("R", r)?;
            w.append_binary("F", 0, frame)?;
            w.end_document()?;
        }
        w.end_array()?;
        w.append_decimal128("kWh", "1234.567".parse()?)?;
        w.end_document()
    };
    build(&mut w).map_err(|e| CliError::Invalid(format!("bson demo: {e}")))?;
    let bytes = w
        .into_bytes()
        .map_err(|e| CliError::Invalid(format!("bson demo: {e}")))?;
    let doc =
        RawDocument::parse(bytes).map_err(|e| CliError::Invalid(format!("bson demo: {e}")))?;
    let text =
        extjson::to_relaxed(&doc).map_err(|e| CliError::Invalid(format!("bson demo: {e}")))?;
    serde_json::from_str(&text).map_err(|e| CliError::Invalid(format!("bson demo: {e}")))
}
