//! MongoDB Extended JSON v2 (canonical and relaxed), both directions.
//!
//! * [`to_canonical`] / [`to_relaxed`] render a borrowed document as compact
//!   JSON text, straight from the bytes.
//! * [`from_json`] parses Extended JSON (canonical, relaxed, and the legacy
//!   forms the specification accepts: `$binary` with `$type`, `$regex` with
//!   `$options`, `$uuid`, `$date` as ISO-8601) into an owned [`Document`].
//!
//! The JSON parser is our own: it keeps object key order, number text
//! exactly (so 64-bit integers and doubles survive), and reports errors with
//! their byte offset.
//!
//! ```
//! use webdyn_files::bson::{extjson, RawDocument};
//! let doc = extjson::from_json(r#"{"a": {"$numberLong": "42"}, "d": {"$date": "1970-01-01T00:00:01Z"}}"#)?;
//! let bytes = doc.to_vec()?;
//! let raw = RawDocument::parse(&bytes)?;
//! assert_eq!(extjson::to_relaxed(&raw)?, r#"{"a":42,"d":{"$date":"1970-01-01T00:00:01Z"}}"#);
//! assert_eq!(
//!     extjson::to_canonical(&raw)?,
//!     r#"{"a":{"$numberLong":"42"},"d":{"$date":{"$numberLong":"1000"}}}"#
//! );
//! # Ok::<(), webdyn_files::bson::Error>(())
//! ```

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::decimal128::Decimal128;
use super::document::{Binary, Bson, DbPointer, Document, JavaScriptCodeWithScope, Regex};
use super::error::{Error, ErrorKind};
use super::raw::{DateTime, Limits, ObjectId, RawBson, RawDocument, Timestamp};

/// Canonical or relaxed output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Type-preserving: every number wrapped (`{"$numberInt": "1"}`).
    Canonical,
    /// Readable: finite numbers as JSON numbers, dates 1970–9999 as ISO-8601.
    Relaxed,
}

/// Canonical Extended JSON of a document.
pub fn to_canonical(doc: &RawDocument<'_>) -> Result<String, Error> {
    to_string(doc, Mode::Canonical)
}

/// Relaxed Extended JSON of a document.
pub fn to_relaxed(doc: &RawDocument<'_>) -> Result<String, Error> {
    to_string(doc, Mode::Relaxed)
}

/// Extended JSON of a document in `mode`.
pub fn to_string(doc: &RawDocument<'_>, mode: Mode) -> Result<String, Error> {
    let mut out = String::with_capacity(doc.as_bytes().len() * 2);
    write_doc(&mut out, *doc, mode, 1)?;
    Ok(out)
}

/// Parses an Extended JSON object into a document.
pub fn from_json(text: &str) -> Result<Document, Error> {
    let json = parse_json(text)?;
    match json.value {
        Json::Object(entries) => object_to_document(entries, json.offset),
        _ => Err(Error::new(
            ErrorKind::ExtJson("the top level must be an object"),
            json.offset,
        )),
    }
}

/// Parses an Extended JSON object straight to BSON bytes.
pub fn from_json_to_vec(text: &str) -> Result<Vec<u8>, Error> {
    from_json(text)?.to_vec()
}

// ---------------------------------------------------------------- output

fn write_escaped(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The shortest text that reads back as the same double, in the style of
/// the corpus (`1.0`, `-0.0`, `1.2345678921232E+18`).
pub(crate) fn double_text(v: f64, out: &mut String) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let start = out.len();
        let _ = write!(out, "{v:?}");
        if let Some(e) = out.get(start..).and_then(|s| s.find('e')) {
            let at = start + e;
            let exp_negative = out.get(at + 1..at + 2) == Some("-");
            out.replace_range(at..at + 1, if exp_negative { "E" } else { "E+" });
        }
    }
}

fn write_doc(
    out: &mut String,
    doc: RawDocument<'_>,
    mode: Mode,
    depth: usize,
) -> Result<(), Error> {
    if depth > Limits::DEFAULT.max_depth {
        return Err(Error::new(
            ErrorKind::TooDeep(Limits::DEFAULT.max_depth),
            doc.offset(),
        ));
    }
    out.push('{');
    for (i, item) in doc.iter().enumerate() {
        let (k, v) = item?;
        if i > 0 {
            out.push(',');
        }
        write_escaped(out, k.as_str());
        out.push(':');
        write_value(out, v, mode, depth)?;
    }
    out.push('}');
    Ok(())
}

fn sorted_options(o: &str) -> String {
    let mut c: Vec<char> = o.chars().collect();
    c.sort_unstable();
    c.into_iter().collect()
}

fn write_value(out: &mut String, v: RawBson<'_>, mode: Mode, depth: usize) -> Result<(), Error> {
    let relaxed = mode == Mode::Relaxed;
    match v {
        RawBson::Double(x) => {
            if relaxed && x.is_finite() {
                double_text(x, out);
            } else {
                out.push_str("{\"$numberDouble\":\"");
                double_text(x, out);
                out.push_str("\"}");
            }
        }
        RawBson::String(s) => write_escaped(out, s.as_str()),
        RawBson::Document(d) => write_doc(out, d, mode, depth + 1)?,
        RawBson::Array(a) => {
            if depth + 1 > Limits::DEFAULT.max_depth {
                return Err(Error::new(
                    ErrorKind::TooDeep(Limits::DEFAULT.max_depth),
                    a.as_document().offset(),
                ));
            }
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item?, mode, depth + 1)?;
            }
            out.push(']');
        }
        RawBson::Binary(b) => {
            out.push_str("{\"$binary\":{\"base64\":\"");
            base64_encode(b.bytes, out);
            let _ = write!(out, "\",\"subType\":\"{:02x}\"}}}}", b.subtype);
        }
        RawBson::Undefined => out.push_str("{\"$undefined\":true}"),
        RawBson::ObjectId(o) => {
            let _ = write!(out, "{{\"$oid\":\"{o}\"}}");
        }
        RawBson::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
        RawBson::DateTime(d) => {
            if relaxed && (0..=MAX_ISO_MILLIS).contains(&d.0) {
                out.push_str("{\"$date\":\"");
                iso8601(d.0, out);
                out.push_str("\"}");
            } else {
                let _ = write!(out, "{{\"$date\":{{\"$numberLong\":\"{}\"}}}}", d.0);
            }
        }
        RawBson::Null => out.push_str("null"),
        RawBson::RegularExpression(r) => {
            out.push_str("{\"$regularExpression\":{\"pattern\":");
            write_escaped(out, r.pattern);
            out.push_str(",\"options\":");
            write_escaped(out, &sorted_options(r.options));
            out.push_str("}}");
        }
        RawBson::DbPointer(p) => {
            out.push_str("{\"$dbPointer\":{\"$ref\":");
            write_escaped(out, p.namespace);
            let _ = write!(out, ",\"$id\":{{\"$oid\":\"{}\"}}}}}}", p.id);
        }
        RawBson::JavaScriptCode(s) => {
            out.push_str("{\"$code\":");
            write_escaped(out, s.as_str());
            out.push('}');
        }
        RawBson::Symbol(s) => {
            out.push_str("{\"$symbol\":");
            write_escaped(out, s.as_str());
            out.push('}');
        }
        RawBson::JavaScriptCodeWithScope(c) => {
            out.push_str("{\"$code\":");
            write_escaped(out, c.code);
            out.push_str(",\"$scope\":");
            write_doc(out, c.scope, mode, depth + 1)?;
            out.push('}');
        }
        RawBson::Int32(i) => {
            if relaxed {
                let _ = write!(out, "{i}");
            } else {
                let _ = write!(out, "{{\"$numberInt\":\"{i}\"}}");
            }
        }
        RawBson::Timestamp(t) => {
            let _ = write!(
                out,
                "{{\"$timestamp\":{{\"t\":{},\"i\":{}}}}}",
                t.time, t.increment
            );
        }
        RawBson::Int64(i) => {
            if relaxed {
                let _ = write!(out, "{i}");
            } else {
                let _ = write!(out, "{{\"$numberLong\":\"{i}\"}}");
            }
        }
        RawBson::Decimal128(d) => {
            let _ = write!(out, "{{\"$numberDecimal\":\"{d}\"}}");
        }
        RawBson::MinKey => out.push_str("{\"$minKey\":1}"),
        RawBson::MaxKey => out.push_str("{\"$maxKey\":1}"),
    }
    Ok(())
}

// ---------------------------------------------------------------- dates

/// 9999-12-31T23:59:59.999Z
const MAX_ISO_MILLIS: i64 = 253_402_300_799_999;

/// Days since 1970-01-01 to (year, month, day) — H. Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn iso8601(ms: i64, out: &mut String) {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    let _ = write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    if milli != 0 {
        let _ = write!(out, ".{milli:03}");
    }
    out.push('Z');
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM|±HHMM)` to milliseconds.
fn parse_iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: core::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        core::str::from_utf8(part).ok()?.parse().ok()
    };
    let lit = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(lit(4, b'-') && lit(7, b'-') && lit(10, b'T') && lit(13, b':') && lit(16, b':')) {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if lit(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        // Keep millisecond precision; extra digits are truncated.
        let digits = b.get(start..i)?;
        for k in 0..3 {
            millis = millis * 10 + digits.get(k).map_or(0, |c| i64::from(c - b'0'));
        }
    }
    let offset_min = match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = b.get(i + 1..)?;
            let (oh, om) = match rest.len() {
                5 if rest.get(2) == Some(&b':') => (num(i + 1..i + 3)?, num(i + 4..i + 6)?),
                4 => (num(i + 1..i + 3)?, num(i + 3..i + 5)?),
                _ => return None,
            };
            let m = oh * 60 + om;
            if sign == b'-' { -m } else { m }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs * 1000 + millis)
}

// ---------------------------------------------------------------- base64

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_char(i: u32) -> char {
    B64.get((i & 63) as usize).map_or('=', |&c| char::from(c))
}

/// Standard base64 with padding.
pub(crate) fn base64_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(b64_char(n >> 18));
        out.push(b64_char(n >> 12));
        out.push(if chunk.len() > 1 {
            b64_char(n >> 6)
        } else {
            '='
        });
        out.push(if chunk.len() > 2 { b64_char(n) } else { '=' });
    }
}

/// Standard base64, padding required when the length is not a multiple of 4.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for (ci, chunk) in s.chunks(4).enumerate() {
        let last = ci + 1 == s.len() / 4;
        let mut n = 0u32;
        let mut pad = 0;
        for &c in chunk {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if last => {
                    pad += 1;
                    0
                }
                _ => return None,
            };
            if pad > 0 && c != b'=' {
                return None;
            }
            n = (n << 6) | u32::from(v);
        }
        if pad > 2 {
            return None;
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(bytes.get(1..4 - pad).unwrap_or_default());
    }
    Some(out)
}

// ---------------------------------------------------------------- JSON

/// A parsed JSON value with its byte offset; numbers keep their text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    pub(crate) offset: usize,
    pub(crate) value: Json,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Spanned>),
    Object(Vec<(String, Spanned)>),
}

struct Parser<'t> {
    s: &'t [u8],
    pos: usize,
    depth: usize,
}

fn jerr(what: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::Json(what), at)
}

pub(crate) fn parse_json(text: &str) -> Result<Spanned, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(jerr("unexpected text after the JSON value", p.pos));
    }
    Ok(v)
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &'static [u8], v: Json) -> Result<Json, Error> {
        if self.s.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(jerr("invalid literal", self.pos))
        }
    }

    fn value(&mut self) -> Result<Spanned, Error> {
        self.ws();
        let offset = self.pos;
        let value = match self.s.get(self.pos) {
            None => return Err(jerr("unexpected end of input", self.pos)),
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                let mut entries = Vec::new();
                self.ws();
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        if self.s.get(self.pos) != Some(&b'"') {
                            return Err(jerr("expected a string key", self.pos));
                        }
                        let k = self.string()?;
                        self.ws();
                        if !self.eat(b':') {
                            return Err(jerr("expected ':'", self.pos));
                        }
                        let v = self.value()?;
                        entries.push((k, v));
                        self.ws();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(jerr("expected ',' or '}'", self.pos));
                        }
                    }
                }
                self.depth -= 1;
                Json::Object(entries)
            }
            Some(b'[') => {
                self.enter()?;
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(jerr("expected ',' or ']'", self.pos));
                        }
                    }
                }
                self.depth -= 1;
                Json::Array(items)
            }
            Some(b'"') => Json::String(self.string()?),
            Some(b't') => self.literal(b"true", Json::Bool(true))?,
            Some(b'f') => self.literal(b"false", Json::Bool(false))?,
            Some(b'n') => self.literal(b"null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => Json::Number(self.number()?),
            Some(_) => return Err(jerr("unexpected character", self.pos)),
        };
        Ok(Spanned { offset, value })
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > Limits::DEFAULT.max_depth {
            return Err(Error::new(
                ErrorKind::TooDeep(Limits::DEFAULT.max_depth),
                self.pos,
            ));
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<String, Error> {
        let start = self.pos;
        self.eat(b'-');
        match self.s.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(jerr("invalid number", self.pos)),
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(jerr("digits expected after '.'", self.pos));
        }
        if matches!(self.s.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(jerr("digits expected in exponent", self.pos));
            }
        }
        let text = self.s.get(start..self.pos).unwrap_or_default();
        Ok(String::from_utf8_lossy(text).into_owned())
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(d) = self.s.get(self.pos).and_then(|&c| super::raw::hex_val(c)) else {
                return Err(jerr("invalid \\u escape", self.pos));
            };
            v = (v << 4) | u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, Error> {
        let open = self.pos;
        self.pos += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(jerr("unterminated string", open));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let at = self.pos;
                    self.pos += 1;
                    let Some(&e) = self.s.get(self.pos) else {
                        return Err(jerr("unterminated string", open));
                    };
                    self.pos += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !(self.eat(b'\\') && self.eat(b'u')) {
                                    return Err(jerr("unpaired surrogate", at));
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(jerr("unpaired surrogate", at));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(jerr("unpaired surrogate", at))?
                        }
                        _ => return Err(jerr("invalid escape", at)),
                    };
                    let mut b = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
                c if c < 0x20 => return Err(jerr("control character in string", self.pos)),
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        // The input is a &str and escapes produce whole chars: valid UTF-8.
        String::from_utf8(out).map_err(|_| jerr("invalid UTF-8", open))
    }
}

// ---------------------------------------------------------------- JSON -> BSON

fn xerr(what: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::ExtJson(what), at)
}

fn object_to_document(entries: Vec<(String, Spanned)>, offset: usize) -> Result<Document, Error> {
    let mut d = Document::new();
    let mut list = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        if k.as_bytes().contains(&0) {
            return Err(xerr("key contains a 0x00 byte", offset));
        }
        list.push((k, to_bson(v)?));
    }
    // Keep duplicates as they are: push without replacing.
    d.extend_unchecked(list);
    Ok(d)
}

fn as_str(v: &Spanned) -> Option<&str> {
    if let Json::String(s) = &v.value {
        Some(s)
    } else {
        None
    }
}

fn want_str<'v>(v: &'v Spanned, what: &'static str) -> Result<&'v str, Error> {
    as_str(v).ok_or(xerr(what, v.offset))
}

/// Looks up `key` in an object's entries.
fn field<'e>(entries: &'e [(String, Spanned)], key: &str) -> Option<&'e Spanned> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn only_keys(
    entries: &[(String, Spanned)],
    keys: &[&str],
    what: &'static str,
    at: usize,
) -> Result<(), Error> {
    if entries.len() != keys.len() || keys.iter().any(|k| field(entries, k).is_none()) {
        return Err(xerr(what, at));
    }
    Ok(())
}

fn json_u32(v: &Spanned, what: &'static str) -> Result<u32, Error> {
    match &v.value {
        Json::Number(n) => n.parse().map_err(|_| xerr(what, v.offset)),
        _ => Err(xerr(what, v.offset)),
    }
}

fn parse_double(s: &str, at: usize) -> Result<f64, Error> {
    match s {
        "Infinity" => return Ok(f64::INFINITY),
        "-Infinity" => return Ok(f64::NEG_INFINITY),
        "NaN" => return Ok(f64::NAN),
        _ => {}
    }
    // Rust also accepts "inf", "nan", "+1": Extended JSON does not.
    let ok = !s.is_empty()
        && !s.starts_with('+')
        && s.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !ok {
        return Err(xerr("invalid $numberDouble", at));
    }
    s.parse().map_err(|_| xerr("invalid $numberDouble", at))
}

fn parse_uuid(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    let mut out = Vec::with_capacity(16);
    let mut hi: Option<u8> = None;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let v = super::raw::hex_val(c)?;
        match hi.take() {
            None => hi = Some(v),
            Some(h) => out.push((h << 4) | v),
        }
    }
    Some(out)
}

fn parse_subtype(s: &str, at: usize) -> Result<u8, Error> {
    if s.is_empty() || s.len() > 2 {
        return Err(xerr("subType must be one or two hex digits", at));
    }
    u8::from_str_radix(s, 16).map_err(|_| xerr("subType must be one or two hex digits", at))
}

fn to_bson(v: Spanned) -> Result<Bson, Error> {
    let at = v.offset;
    match v.value {
        Json::Null => Ok(Bson::Null),
        Json::Bool(b) => Ok(Bson::Boolean(b)),
        Json::String(s) => Ok(Bson::String(s)),
        Json::Number(n) => {
            let integer = !n.contains(['.', 'e', 'E']);
            if integer {
                if let Ok(i) = n.parse::<i32>() {
                    return Ok(Bson::Int32(i));
                }
                if let Ok(i) = n.parse::<i64>() {
                    return Ok(Bson::Int64(i));
                }
            }
            n.parse::<f64>()
                .map(Bson::Double)
                .map_err(|_| xerr("invalid number", at))
        }
        Json::Array(items) => Ok(Bson::Array(
            items.into_iter().map(to_bson).collect::<Result<_, _>>()?,
        )),
        Json::Object(entries) => object_to_bson(entries, at),
    }
}

fn object_to_bson(entries: Vec<(String, Spanned)>, at: usize) -> Result<Bson, Error> {
    let has = |k: &str| field(&entries, k).is_some();
    let one = |k: &str, what: &'static str| -> Result<&Spanned, Error> {
        only_keys(&entries, &[k], what, at)?;
        field(&entries, k).ok_or(xerr(what, at))
    };
    if has("$oid") {
        let s = want_str(
            one("$oid", "$oid takes no other keys")?,
            "$oid must be a string",
        )?;
        return ObjectId::parse_hex(s)
            .map(Bson::ObjectId)
            .ok_or(xerr("$oid must be 24 hex digits", at));
    }
    if has("$symbol") {
        let s = want_str(
            one("$symbol", "$symbol takes no other keys")?,
            "$symbol must be a string",
        )?;
        return Ok(Bson::Symbol(s.to_owned()));
    }
    if has("$numberInt") {
        let s = want_str(
            one("$numberInt", "$numberInt takes no other keys")?,
            "$numberInt must be a string",
        )?;
        return s
            .parse()
            .map(Bson::Int32)
            .map_err(|_| xerr("$numberInt is not a 32-bit integer", at));
    }
    if has("$numberLong") {
        let s = want_str(
            one("$numberLong", "$numberLong takes no other keys")?,
            "$numberLong must be a string",
        )?;
        return s
            .parse()
            .map(Bson::Int64)
            .map_err(|_| xerr("$numberLong is not a 64-bit integer", at));
    }
    if has("$numberDouble") {
        let s = want_str(
            one("$numberDouble", "$numberDouble takes no other keys")?,
            "$numberDouble must be a string",
        )?;
        return parse_double(s, at).map(Bson::Double);
    }
    if has("$numberDecimal") {
        let s = want_str(
            one("$numberDecimal", "$numberDecimal takes no other keys")?,
            "$numberDecimal must be a string",
        )?;
        return Decimal128::parse(s)
            .map(Bson::Decimal128)
            .map_err(|e| Error { offset: at, ..e });
    }
    if has("$binary") {
        let b = field(&entries, "$binary").ok_or(xerr("$binary", at))?;
        return match &b.value {
            Json::Object(inner) => {
                only_keys(&entries, &["$binary"], "$binary takes no other keys", at)?;
                only_keys(
                    inner,
                    &["base64", "subType"],
                    "$binary needs exactly base64 and subType",
                    b.offset,
                )?;
                let data = want_str(
                    field(inner, "base64").ok_or(xerr("base64", at))?,
                    "base64 must be a string",
                )?;
                let st = want_str(
                    field(inner, "subType").ok_or(xerr("subType", at))?,
                    "subType must be a string",
                )?;
                Ok(Bson::Binary(Binary {
                    subtype: parse_subtype(st, b.offset)?,
                    bytes: base64_decode(data).ok_or(xerr("invalid base64", b.offset))?,
                }))
            }
            Json::String(data) => {
                // Legacy form: {"$binary": "<base64>", "$type": "<hex>"}
                only_keys(
                    &entries,
                    &["$binary", "$type"],
                    "legacy $binary needs exactly $binary and $type",
                    at,
                )?;
                let st = want_str(
                    field(&entries, "$type").ok_or(xerr("$type", at))?,
                    "$type must be a string",
                )?;
                Ok(Bson::Binary(Binary {
                    subtype: parse_subtype(st, at)?,
                    bytes: base64_decode(data).ok_or(xerr("invalid base64", b.offset))?,
                }))
            }
            _ => Err(xerr("$binary must be an object", b.offset)),
        };
    }
    if has("$uuid") {
        let s = want_str(
            one("$uuid", "$uuid takes no other keys")?,
            "$uuid must be a string",
        )?;
        return parse_uuid(s)
            .map(|bytes| Bson::Binary(Binary { subtype: 4, bytes }))
            .ok_or(xerr("$uuid must be 8-4-4-4-12 hex digits", at));
    }
    if has("$code") {
        let code = want_str(
            field(&entries, "$code").ok_or(xerr("$code", at))?,
            "$code must be a string",
        )?;
        if has("$scope") {
            only_keys(
                &entries,
                &["$code", "$scope"],
                "$code with $scope takes no other keys",
                at,
            )?;
            let scope = field(&entries, "$scope").ok_or(xerr("$scope", at))?;
            let Json::Object(s) = scope.value.clone() else {
                return Err(xerr("$scope must be an object", scope.offset));
            };
            return Ok(Bson::JavaScriptCodeWithScope(JavaScriptCodeWithScope {
                code: code.to_owned(),
                scope: object_to_document(s, scope.offset)?,
            }));
        }
        only_keys(&entries, &["$code"], "$code takes no other keys", at)?;
        return Ok(Bson::JavaScriptCode(code.to_owned()));
    }
    if has("$timestamp") {
        let t = one("$timestamp", "$timestamp takes no other keys")?;
        let Json::Object(inner) = &t.value else {
            return Err(xerr("$timestamp must be an object", t.offset));
        };
        only_keys(
            inner,
            &["t", "i"],
            "$timestamp needs exactly t and i",
            t.offset,
        )?;
        return Ok(Bson::Timestamp(Timestamp {
            time: json_u32(
                field(inner, "t").ok_or(xerr("t", at))?,
                "t must be a 32-bit unsigned integer",
            )?,
            increment: json_u32(
                field(inner, "i").ok_or(xerr("i", at))?,
                "i must be a 32-bit unsigned integer",
            )?,
        }));
    }
    if has("$regularExpression") {
        let r = one(
            "$regularExpression",
            "$regularExpression takes no other keys",
        )?;
        let Json::Object(inner) = &r.value else {
            return Err(xerr("$regularExpression must be an object", r.offset));
        };
        only_keys(
            inner,
            &["pattern", "options"],
            "$regularExpression needs exactly pattern and options",
            r.offset,
        )?;
        let p = want_str(
            field(inner, "pattern").ok_or(xerr("pattern", at))?,
            "pattern must be a string",
        )?;
        let o = want_str(
            field(inner, "options").ok_or(xerr("options", at))?,
            "options must be a string",
        )?;
        if p.contains('\0') || o.contains('\0') {
            return Err(xerr("regular expression contains a 0x00 byte", r.offset));
        }
        return Ok(Bson::RegularExpression(Regex::new(p, o)));
    }
    if let Some(Spanned {
        value: Json::String(p),
        ..
    }) = field(&entries, "$regex")
    {
        // Legacy form; a non-string $regex is a query operator (a document).
        let o = match field(&entries, "$options") {
            Some(o) => want_str(o, "$options must be a string")?,
            None => "",
        };
        let expected: &[&str] = if has("$options") {
            &["$regex", "$options"]
        } else {
            &["$regex"]
        };
        only_keys(&entries, expected, "legacy $regex takes only $options", at)?;
        if p.contains('\0') || o.contains('\0') {
            return Err(xerr("regular expression contains a 0x00 byte", at));
        }
        return Ok(Bson::RegularExpression(Regex::new(p.clone(), o)));
    }
    if has("$dbPointer") {
        let p = one("$dbPointer", "$dbPointer takes no other keys")?;
        let Json::Object(inner) = p.value.clone() else {
            return Err(xerr("$dbPointer must be an object", p.offset));
        };
        only_keys(
            &inner,
            &["$ref", "$id"],
            "$dbPointer needs exactly $ref and $id",
            p.offset,
        )?;
        let ns = want_str(
            field(&inner, "$ref").ok_or(xerr("$ref", at))?,
            "$ref must be a string",
        )?
        .to_owned();
        let id = field(&inner, "$id").ok_or(xerr("$id", at))?.clone();
        let Bson::ObjectId(id) = to_bson(id)? else {
            return Err(xerr("$dbPointer $id must be an ObjectId", p.offset));
        };
        return Ok(Bson::DbPointer(DbPointer { namespace: ns, id }));
    }
    if has("$date") {
        let d = one("$date", "$date takes no other keys")?;
        return match &d.value {
            Json::String(s) => parse_iso8601(s)
                .map(|ms| Bson::DateTime(DateTime(ms)))
                .ok_or(xerr("$date string is not ISO-8601", d.offset)),
            Json::Object(inner) => {
                only_keys(
                    inner,
                    &["$numberLong"],
                    "$date object must be {\"$numberLong\": ...}",
                    d.offset,
                )?;
                let s = want_str(
                    field(inner, "$numberLong").ok_or(xerr("$numberLong", at))?,
                    "$numberLong must be a string",
                )?;
                s.parse()
                    .map(|ms| Bson::DateTime(DateTime(ms)))
                    .map_err(|_| xerr("$numberLong is not a 64-bit integer", d.offset))
            }
            _ => Err(xerr("$date must be a string or an object", d.offset)),
        };
    }
    for (key, value) in [("$minKey", Bson::MinKey), ("$maxKey", Bson::MaxKey)] {
        if has(key) {
            let v = one(key, "$minKey/$maxKey take no other keys")?;
            return match &v.value {
                Json::Number(n) if n == "1" => Ok(value),
                _ => Err(xerr("$minKey/$maxKey must be 1", v.offset)),
            };
        }
    }
    if has("$undefined") {
        let v = one("$undefined", "$undefined takes no other keys")?;
        return match v.value {
            Json::Bool(true) => Ok(Bson::Undefined),
            _ => Err(xerr("$undefined must be true", v.offset)),
        };
    }
    object_to_document(entries, at).map(Bson::Document)
}

impl Document {
    /// Appends entries without checking for duplicate keys (decoding keeps
    /// documents as they are).
    pub(crate) fn extend_unchecked(&mut self, items: Vec<(String, Bson)>) {
        for (k, v) in items {
            self.push_unchecked(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        // RFC 4648 section 10
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut s = String::new();
            base64_encode(plain.as_bytes(), &mut s);
            assert_eq!(s, enc);
            assert_eq!(base64_decode(enc).unwrap(), plain.as_bytes());
        }
        assert!(base64_decode("Zg=").is_none());
        assert!(base64_decode("Z===").is_none());
    }

    #[test]
    fn iso_dates() {
        let mut s = String::new();
        iso8601(1_356_351_330_501, &mut s);
        assert_eq!(s, "2012-12-24T12:15:30.501Z");
        assert_eq!(
            parse_iso8601("2012-12-24T12:15:30.501Z"),
            Some(1_356_351_330_501)
        );
        assert_eq!(
            parse_iso8601("2012-12-24T13:15:30.501+01:00"),
            Some(1_356_351_330_501)
        );
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso8601("1970-01-01 00:00:00Z"), None);
    }

    #[test]
    fn json_errors_have_offsets() {
        assert_eq!(parse_json("{\"a\": tru}").unwrap_err().offset, 6);
        assert_eq!(parse_json("[1,]").unwrap_err().offset, 3);
        assert!(parse_json("{\"a\":1} x").is_err());
    }
}
