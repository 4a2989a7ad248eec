//! Binary subtype 9 vectors against the official binary-vector corpus
//! (mongodb/specifications `source/bson-binary-vector`), read at test time
//! from `../shared/vectors`: every valid case encodes to its canonical BSON
//! and decodes back to its dtype, padding and values; every invalid case is
//! refused when encoding its values and when decoding its bytes. Prints a
//! per-file table. Then property tests of encode -> decode.
#![cfg(all(feature = "alloc", feature = "std"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use serde_json::Value;
use webdyn_files::bson::spec::subtype;
use webdyn_files::bson::vector::{Dtype, VectorErrorKind};
use webdyn_files::bson::{
    Binary, Bson, Document, RawBinary, RawDocument, Vector, VectorError, VectorRepr, Writer,
};

/// Typed values built from a corpus case; `Err` says why the JSON values
/// cannot be given to the typed encoder at all (out of range, fractional).
enum Values {
    Int8(Vec<i8>),
    Float32(Vec<f32>),
    Bits(Vec<u8>),
}

impl Values {
    fn repr(&self) -> VectorRepr<'_> {
        match self {
            Values::Int8(v) => VectorRepr::Int8(v),
            Values::Float32(v) => VectorRepr::Float32(v),
            Values::Bits(v) => VectorRepr::PackedBit {
                bytes: v,
                padding: 0,
            },
        }
    }
}

fn json_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Object(o) => match o.get("$numberDouble")?.as_str()? {
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            "NaN" => Some(f64::NAN),
            s => s.parse().ok(),
        },
        _ => None,
    }
}

fn values(dtype: Dtype, vector: &[Value]) -> Result<Values, String> {
    let int = |v: &Value| v.as_i64().ok_or_else(|| format!("{v} is not an integer"));
    Ok(match dtype {
        Dtype::Int8 => Values::Int8(
            vector
                .iter()
                .map(|v| i8::try_from(int(v)?).map_err(|e| format!("{v}: {e}")))
                .collect::<Result<_, _>>()?,
        ),
        Dtype::PackedBit => Values::Bits(
            vector
                .iter()
                .map(|v| u8::try_from(int(v)?).map_err(|e| format!("{v}: {e}")))
                .collect::<Result<_, _>>()?,
        ),
        Dtype::Float32 => Values::Float32(
            vector
                .iter()
                .map(|v| json_f64(v).map(|f| f as f32).ok_or(format!("{v}")))
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn dtype_of(case: &Value) -> Dtype {
    let hex = case["dtype_hex"].as_str().unwrap();
    let byte = u8::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap();
    Dtype::from_u8(byte).unwrap()
}

/// Encodes the case's values; the error says who refused them.
fn encode_case(case: &Value, key: &str) -> Result<Vec<u8>, String> {
    let dtype = dtype_of(case);
    let padding = case.get("padding").and_then(Value::as_i64).unwrap_or(0);
    let padding = u8::try_from(padding).map_err(|_| format!("padding {padding} is not a u8"))?;
    let vals = values(dtype, case["vector"].as_array().unwrap())?;
    let repr = vals
        .repr()
        .with_padding(padding)
        .map_err(|e| format!("with_padding: {e}"))?;
    assert_eq!(repr.dtype(), dtype);
    // Both encoders: into a caller buffer and into a Vec.
    let mut payload = vec![0u8; repr.encoded_len()];
    let n = repr.emit(&mut payload).map_err(|e| format!("emit: {e}"))?;
    assert_eq!(n, payload.len());
    assert_eq!(repr.to_vec().unwrap(), payload);
    let mut buf = vec![0u8; 64 + payload.len()];
    let mut w = Writer::new(&mut buf);
    w.start_document().unwrap();
    w.append_binary(key, subtype::VECTOR, &payload).unwrap();
    w.end_document().unwrap();
    Ok(w.into_bytes().unwrap().to_vec())
}

/// Decodes the case's canonical BSON through the raw reader and the owned
/// document; both must agree.
fn decode_case<'a>(bytes: &'a [u8], key: &str) -> Result<Vector<'a>, VectorError> {
    let doc = RawDocument::parse(bytes).expect("the corpus documents are valid BSON");
    let bin: RawBinary<'a> = doc.get_binary(key).unwrap().expect("test_key present");
    let raw = bin.vector();
    let owned = Document::from_slice(bytes).unwrap();
    let owned_bin = owned.get_binary(key).unwrap();
    assert_eq!(
        owned_bin
            .vector()
            .map(|v| (v.dtype(), v.padding(), v.data())),
        raw.map(|v| (v.dtype(), v.padding(), v.data())),
        "raw and owned disagree"
    );
    raw
}

fn check_decoded(v: &Vector<'_>, case: &Value) -> Result<(), String> {
    let dtype = dtype_of(case);
    let padding = case.get("padding").and_then(Value::as_u64).unwrap_or(0);
    if v.dtype() != dtype || u64::from(v.padding()) != padding {
        return Err(format!("decoded {} padding {}", v.dtype(), v.padding()));
    }
    let expected = case["vector"].as_array().unwrap();
    let ok = match (v, values(dtype, expected)?) {
        (Vector::Int8(v), Values::Int8(e)) => v.iter().eq(e) && v.len() == expected.len(),
        (Vector::Float32(v), Values::Float32(e)) => {
            v.len() == e.len() && v.iter().zip(e).all(|(a, b)| a.to_bits() == b.to_bits())
        }
        (Vector::PackedBit(v), Values::Bits(e)) => {
            v.as_bytes() == e && v.len() == e.len() * 8 - padding as usize
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("decoded {v:?}, expected {expected:?}"))
    }
}

fn hex(s: &str) -> Vec<u8> {
    webdyn_testkit::hex(s).expect("hex")
}

#[test]
fn binary_vector_corpus() {
    let Some(dir) =
        webdyn_testkit::vectors("bson/mongodb-specifications/source/bson-binary-vector/tests")
    else {
        return;
    };
    let files = webdyn_testkit::files_with_suffix(&dir, ".json");
    assert_eq!(files.len(), 3, "expected float32, int8, packed_bit");
    let mut failures = Vec::new();
    // (passed, total) for: valid cases, invalid values refused by the
    // encoder, invalid bytes refused by the decoder.
    let mut total = [(0usize, 0usize); 3];
    println!(
        "{:<16} {:>7} {:>15} {:>15}",
        "file", "valid", "invalid-encode", "invalid-decode"
    );
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let key = v["test_key"].as_str().unwrap();
        let mut t = [(0usize, 0usize); 3];
        for case in v["tests"].as_array().unwrap() {
            let desc = case["description"].as_str().unwrap();
            let bson = case.get("canonical_bson").and_then(Value::as_str).map(hex);
            if case["valid"].as_bool().unwrap() {
                t[0].1 += 1;
                let cb = bson.expect("valid cases carry canonical_bson");
                let result = encode_case(case, key)
                    .and_then(|ours| {
                        if ours == cb {
                            Ok(())
                        } else {
                            Err(format!("encoded {ours:02X?}"))
                        }
                    })
                    .and_then(|()| {
                        decode_case(&cb, key)
                            .map_err(|e| format!("decode: {e}"))
                            .and_then(|d| check_decoded(&d, case))
                    });
                match result {
                    Ok(()) => t[0].0 += 1,
                    Err(e) => failures.push(format!("{name} valid {desc:?}: {e}")),
                }
                continue;
            }
            if case.get("vector").is_some() {
                t[1].1 += 1;
                match encode_case(case, key) {
                    Err(why) => {
                        println!("  {name} {desc:?}: encode refused ({why})");
                        t[1].0 += 1;
                    }
                    Ok(b) => failures.push(format!("{name} invalid {desc:?} encoded to {b:02X?}")),
                }
            }
            if let Some(b) = bson {
                t[2].1 += 1;
                match decode_case(&b, key) {
                    Err(e) => {
                        println!("  {name} {desc:?}: decode refused ({e})");
                        t[2].0 += 1;
                    }
                    Ok(d) => failures.push(format!("{name} invalid {desc:?} decoded to {d:?}")),
                }
            }
        }
        let cell = |(ok, n): (usize, usize)| format!("{ok}/{n}");
        println!(
            "{:<16} {:>7} {:>15} {:>15}",
            name,
            cell(t[0]),
            cell(t[1]),
            cell(t[2])
        );
        for (acc, part) in total.iter_mut().zip(t) {
            acc.0 += part.0;
            acc.1 += part.1;
        }
    }
    let cell = |(ok, n): (usize, usize)| format!("{ok}/{n}");
    println!(
        "{:<16} {:>7} {:>15} {:>15}",
        "TOTAL",
        cell(total[0]),
        cell(total[1]),
        cell(total[2])
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus cases failed",
        failures.len()
    );
    assert_eq!(total.map(|(_, n)| n), [9, 11, 6], "corpus size changed");
}

/// The README's prose tests on non-zero ignored bits: this crate validates
/// them, so encoding and decoding `[255]` with padding 7 both fail, and the
/// one-bit vector `[0b1000_0000]` round-trips.
#[test]
fn ignored_bits_prose_tests() {
    let e = VectorRepr::PackedBit {
        bytes: &[0b1111_1111],
        padding: 7,
    }
    .to_vec()
    .unwrap_err();
    assert_eq!(
        e.kind,
        VectorErrorKind::IgnoredBitsSet {
            byte: 0xFF,
            padding: 7
        }
    );
    let b2 = RawBinary {
        subtype: subtype::VECTOR,
        bytes: &[0x10, 0x07, 0xFF],
    };
    assert!(b2.vector().is_err());
    let b1 = [0x10, 0x07, 0x80];
    let b3 = VectorRepr::PackedBit {
        bytes: &[0b1000_0000],
        padding: 7,
    }
    .to_vec()
    .unwrap();
    assert_eq!(b1.as_slice(), b3.as_slice());
    let v1 = Vector::parse(&b1).unwrap();
    assert_eq!(v1, Vector::parse(&b3).unwrap());
    let Vector::PackedBit(bits) = v1 else {
        panic!("packed bits expected")
    };
    assert_eq!(bits.len(), 1);
    assert!(bits.iter().eq([true]));
}

#[test]
fn owned_binary_from_vector() {
    let bin = Binary::from_vector(&VectorRepr::Int8(&[127, 7])).unwrap();
    let mut doc = Document::new();
    doc.insert("vector", Bson::Binary(bin));
    // The corpus's "Simple Vector INT8" document, built from its values.
    assert_eq!(
        doc.to_vec().unwrap(),
        [
            0x16, 0, 0, 0, 0x05, b'v', b'e', b'c', b't', b'o', b'r', 0, 0x04, 0, 0, 0, 0x09, 0x03,
            0x00, 0x7F, 0x07, 0x00
        ]
    );
    let refused = Binary::from_vector(&VectorRepr::PackedBit {
        bytes: &[],
        padding: 1,
    });
    assert_eq!(
        refused.unwrap_err().kind,
        VectorErrorKind::PaddingWithoutData(1)
    );
}

#[test]
fn other_subtypes_and_small_buffers_are_refused() {
    let generic = RawBinary {
        subtype: subtype::GENERIC,
        bytes: &[0x03, 0x00, 0x01],
    };
    assert_eq!(
        generic.vector().unwrap_err().kind,
        VectorErrorKind::NotAVector(0)
    );
    // 127.0f32 and 7.0f32 need 2 + 8 bytes; 9 is one short.
    let mut small = [0u8; 9];
    let e = VectorRepr::Float32(&[127.0, 7.0])
        .emit(&mut small)
        .unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (
            VectorErrorKind::BufferTooSmall {
                needed: 10,
                available: 9
            },
            9
        )
    );
    // Unaligned float32 data: the view reads bytes, not &[f32].
    let mut shifted = [0u8; 11];
    shifted[1..].copy_from_slice(&[0x27, 0x00, 0x00, 0x00, 0xFE, 0x42, 0x00, 0x00, 0xE0, 0x40]);
    let Vector::Float32(v) = Vector::parse(&shifted[1..]).unwrap() else {
        panic!("float32 expected")
    };
    assert_eq!(v.get(0), Some(127.0));
    assert_eq!(v.get(1), Some(7.0));
    assert_eq!(v.get(2), None);
    assert!(v.iter().rev().eq([7.0, 127.0]));
    // int8 bytes are two's complement: 0x80 is -128, 0xFF is -1.
    let Vector::Int8(v) = Vector::parse(&[0x03, 0x00, 0x80, 0xFF, 0x7F]).unwrap() else {
        panic!("int8 expected")
    };
    assert!(v.iter().eq([-128i8, -1, 127]));
}

fn packed() -> impl Strategy<Value = (Vec<u8>, u8)> {
    (prop::collection::vec(any::<u8>(), 0..40), 0u8..8).prop_map(|(mut bytes, padding)| {
        let padding = if bytes.is_empty() { 0 } else { padding };
        if let Some(last) = bytes.last_mut() {
            *last &= !((1u8 << padding) - 1);
        }
        (bytes, padding)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn int8_roundtrip(v in prop::collection::vec(any::<i8>(), 0..64)) {
        let bytes = VectorRepr::Int8(&v).to_vec().unwrap();
        let Vector::Int8(d) = Vector::parse(&bytes).unwrap() else { panic!() };
        prop_assert!(d.iter().eq(v.iter().copied()));
        prop_assert_eq!(d.len(), v.len());
    }

    #[test]
    fn float32_roundtrip_keeps_bits(bits in prop::collection::vec(any::<u32>(), 0..64)) {
        let v: Vec<f32> = bits.iter().map(|&b| f32::from_bits(b)).collect();
        let bytes = VectorRepr::Float32(&v).to_vec().unwrap();
        let Vector::Float32(d) = Vector::parse(&bytes).unwrap() else { panic!() };
        prop_assert!(d.iter().map(f32::to_bits).eq(bits.iter().copied()));
    }

    #[test]
    fn packed_roundtrip((bytes, padding) in packed()) {
        let enc = VectorRepr::PackedBit { bytes: &bytes, padding }.to_vec().unwrap();
        let v = Vector::parse(&enc).unwrap();
        let Vector::PackedBit(d) = v else { panic!() };
        prop_assert_eq!(d.as_bytes(), bytes.as_slice());
        prop_assert_eq!(d.padding(), padding);
        prop_assert_eq!(d.iter().count(), bytes.len() * 8 - usize::from(padding));
        // Every bit read through the iterator matches the byte it came from.
        for (i, bit) in d.iter().enumerate() {
            prop_assert_eq!(bit, bytes[i / 8] & (0x80 >> (i % 8)) != 0);
        }
    }

    /// Any payload: parsing never panics; what parses re-emits to the same
    /// bytes (the accepted form is the canonical one); the typed encoder
    /// and the parser agree on packed-bit validity.
    #[test]
    fn any_payload(payload in prop::collection::vec(any::<u8>(), 0..24)) {
        if let Ok(v) = Vector::parse(&payload) {
            let mut out = vec![0u8; v.encoded_len()];
            prop_assert_eq!(v.emit(&mut out).unwrap(), payload.len());
            prop_assert_eq!(&out, &payload);
        }
        if let [0x10, padding, data @ ..] = payload.as_slice() {
            let repr = VectorRepr::PackedBit { bytes: data, padding: *padding };
            prop_assert_eq!(repr.to_vec().ok(), Vector::parse(&payload).ok().map(|_| payload.clone()));
        }
    }
}
