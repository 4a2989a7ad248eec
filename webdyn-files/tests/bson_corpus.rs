//! The official BSON corpus (mongodb/specifications `source/bson-corpus`),
//! read at test time from `../shared/vectors`: every valid case (canonical
//! BSON <-> canonical and relaxed Extended JSON, degenerate and converted
//! forms), every decodeErrors case (rejected by the validating reader and
//! by the owned decoder) and every parseErrors case (rejected by the
//! Extended JSON or Decimal128 parser). Prints a per-file table.
#![cfg(all(feature = "alloc", feature = "std"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use serde_json::Value;
use webdyn_files::bson::{Decimal128, Document, RawDocument, extjson};

/// Compares two Extended JSON texts structurally: key order matters,
/// whitespace and escaping do not, numbers compare by value and kind.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && json_eq(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Number(x), Value::Number(y)) => {
            (x.is_f64() == y.is_f64()) && (x == y || x.as_f64() == y.as_f64())
        }
        _ => a == b,
    }
}

fn parse_ordered(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("corpus JSON {text}: {e}"))
}

fn same_json(ours: &str, expected: &str) -> Result<(), String> {
    // serde_json here keeps insertion order only with preserve_order, so
    // compare key order separately through our own key sequence.
    let (a, b) = (parse_ordered(ours), parse_ordered(expected));
    if json_eq(&a, &b) && key_order(ours) == key_order(expected) {
        Ok(())
    } else {
        Err(format!("got {ours}, expected {expected}"))
    }
}

/// The sequence of object keys in document order (string scan).
fn key_order(text: &str) -> Vec<String> {
    let v: Value = parse_ordered(text);
    // Re-serialise through our parser: from_json is not used here so that a
    // bug in it cannot hide one in the writer; instead scan tokens.
    let _ = v;
    let mut keys = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            let s: String = serde_json::from_str(&text[start..=i]).unwrap();
            let mut j = i + 1;
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if bytes.get(j) == Some(&b':') {
                keys.push(s);
            }
        }
        i += 1;
    }
    keys
}

fn hex(s: &str) -> Vec<u8> {
    webdyn_testkit::hex(s).expect("hex")
}

#[derive(Default)]
struct Tally {
    valid: (usize, usize),
    decode: (usize, usize),
    parse: (usize, usize),
}

fn check_valid(case: &Value) -> Result<(), String> {
    let s = |k: &str| case.get(k).and_then(Value::as_str);
    let lossy = case.get("lossy").and_then(Value::as_bool).unwrap_or(false);
    let cb = hex(s("canonical_bson").unwrap());
    let cej = s("canonical_extjson").unwrap();
    let raw = RawDocument::new(&cb).map_err(|e| format!("open: {e}"))?;
    raw.validate().map_err(|e| format!("validate: {e}"))?;
    // native round trip
    let doc = Document::from_slice(&cb).map_err(|e| format!("decode: {e}"))?;
    if doc.to_vec().unwrap() != cb {
        return Err("bson -> Document -> bson differs".into());
    }
    same_json(
        &extjson::to_canonical(&raw).map_err(|e| e.to_string())?,
        cej,
    )
    .map_err(|e| format!("cB->cEJ {e}"))?;
    if !lossy {
        let back = extjson::from_json_to_vec(cej).map_err(|e| format!("cEJ parse: {e}"))?;
        if back != cb {
            return Err(format!("cEJ -> bson differs: {}", to_hex(&back)));
        }
    }
    if let Some(rej) = s("relaxed_extjson") {
        same_json(&extjson::to_relaxed(&raw).map_err(|e| e.to_string())?, rej)
            .map_err(|e| format!("cB->rEJ {e}"))?;
        let re = extjson::from_json_to_vec(rej).map_err(|e| format!("rEJ parse: {e}"))?;
        let rr = RawDocument::parse(&re).unwrap();
        same_json(&extjson::to_relaxed(&rr).unwrap(), rej).map_err(|e| format!("rEJ->rEJ {e}"))?;
    }
    if let Some(db) = s("degenerate_bson") {
        let db = hex(db);
        let r = RawDocument::parse(&db).map_err(|e| format!("dB: {e}"))?;
        same_json(&extjson::to_canonical(&r).unwrap(), cej).map_err(|e| format!("dB->cEJ {e}"))?;
        if !lossy && Document::from_slice(&db).unwrap().to_vec().unwrap() != cb {
            return Err("dB -> Document -> bson differs from cB".into());
        }
    }
    if let Some(dej) = s("degenerate_extjson") {
        let d = extjson::from_json_to_vec(dej).map_err(|e| format!("dEJ parse: {e}"))?;
        if !lossy && d != cb {
            return Err(format!("dEJ -> bson differs: {}", to_hex(&d)));
        }
        let r = RawDocument::parse(&d).unwrap();
        same_json(&extjson::to_canonical(&r).unwrap(), cej).map_err(|e| format!("dEJ->cEJ {e}"))?;
    }
    if let (Some(conv_b), Some(conv_ej)) = (s("converted_bson"), s("converted_extjson")) {
        let conv_b = hex(conv_b);
        let parsed =
            extjson::from_json_to_vec(conv_ej).map_err(|e| format!("convEJ parse: {e}"))?;
        if parsed != conv_b {
            return Err("converted_extjson -> bson differs from converted_bson".into());
        }
        let r = RawDocument::parse(&conv_b).unwrap();
        same_json(&extjson::to_canonical(&r).unwrap(), conv_ej)
            .map_err(|e| format!("convB->convEJ {e}"))?;
    }
    Ok(())
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

#[test]
fn bson_corpus() {
    let Some(dir) = webdyn_testkit::vectors("bson/mongodb-specifications/source/bson-corpus/tests")
    else {
        return;
    };
    let files = webdyn_testkit::files_with_suffix(&dir, ".json");
    assert!(
        files.len() >= 31,
        "expected the 31 corpus files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut total = Tally::default();
    println!(
        "{:<28} {:>11} {:>13} {:>12}",
        "file", "valid", "decodeErrors", "parseErrors"
    );
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let decimal = v.get("bson_type").and_then(Value::as_str) == Some("0x13");
        let mut t = Tally::default();
        for case in v
            .get("valid")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            t.valid.1 += 1;
            match check_valid(case) {
                Ok(()) => t.valid.0 += 1,
                Err(e) => failures.push(format!("{name} valid {:?}: {e}", case["description"])),
            }
        }
        for case in v
            .get("decodeErrors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            t.decode.1 += 1;
            let b = hex(case["bson"].as_str().unwrap());
            let raw_rejects = RawDocument::new(&b).and_then(|d| d.validate()).is_err();
            let owned_rejects = Document::from_slice(&b).is_err();
            if raw_rejects && owned_rejects {
                t.decode.0 += 1;
            } else {
                failures.push(format!(
                    "{name} decodeError accepted: {:?}",
                    case["description"]
                ));
            }
        }
        for case in v
            .get("parseErrors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            t.parse.1 += 1;
            let text = case["string"].as_str().unwrap();
            let rejected = if decimal {
                Decimal128::parse(text).is_err()
            } else {
                extjson::from_json(text).is_err()
            };
            if rejected {
                t.parse.0 += 1;
            } else {
                failures.push(format!(
                    "{name} parseError accepted: {:?} {text}",
                    case["description"]
                ));
            }
        }
        let cell = |(ok, n): (usize, usize)| {
            if n == 0 {
                "-".to_string()
            } else {
                format!("{ok}/{n}")
            }
        };
        println!(
            "{:<28} {:>11} {:>13} {:>12}",
            name,
            cell(t.valid),
            cell(t.decode),
            cell(t.parse)
        );
        for (acc, part) in [
            (&mut total.valid, t.valid),
            (&mut total.decode, t.decode),
            (&mut total.parse, t.parse),
        ] {
            acc.0 += part.0;
            acc.1 += part.1;
        }
    }
    let pct = |(ok, n): (usize, usize)| 100.0 * ok as f64 / n.max(1) as f64;
    println!(
        "{:<28} {:>11} {:>13} {:>12}",
        "TOTAL",
        format!("{}/{}", total.valid.0, total.valid.1),
        format!("{}/{}", total.decode.0, total.decode.1),
        format!("{}/{}", total.parse.0, total.parse.1)
    );
    println!(
        "conformance: valid {:.1} %, decodeErrors {:.1} %, parseErrors {:.1} %",
        pct(total.valid),
        pct(total.decode),
        pct(total.parse)
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus cases failed",
        failures.len()
    );
    assert_eq!(
        (total.valid.1, total.decode.1, total.parse.1),
        (728, 75, 180),
        "corpus size changed"
    );
}
