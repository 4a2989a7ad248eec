//! Differential property tests against the `bson` crate (3.x): on random
//! documents both libraries must write the same bytes and read each
//! other's bytes to the same values, through the owned model, the raw
//! reader, serde and Extended JSON.
#![cfg(all(feature = "serde", feature = "std"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_files::bson::{
    self as ours, Binary, Bson, DateTime, Decimal128, Document, ObjectId, RawDocument, Regex,
    Timestamp, extjson,
};

fn leaf() -> impl Strategy<Value = Bson> {
    prop_oneof![
        // bson 3.1's canonical Extended JSON writes subnormal doubles as
        // plain JSON numbers (its `is_normal()` guard): keep them out of the
        // differential; our output wraps them like every other double.
        any::<f64>()
            .prop_filter("subnormal", |f| !f.is_subnormal())
            .prop_map(Bson::Double),
        "\\PC{0,12}".prop_map(Bson::String),
        any::<bool>().prop_map(Bson::Boolean),
        Just(Bson::Null),
        any::<i32>().prop_map(Bson::Int32),
        any::<i64>().prop_map(Bson::Int64),
        (
            prop_oneof![
                Just(0u8),
                Just(1),
                Just(2),
                Just(3),
                Just(4),
                Just(5),
                Just(0x80),
                any::<u8>()
            ],
            proptest::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(subtype, bytes)| Bson::Binary(Binary { subtype, bytes })),
        any::<[u8; 12]>().prop_map(|b| Bson::ObjectId(ObjectId(b))),
        // bson 3.1 renders dates from year 10000 on as a clamped
        // "9999-12-31T23:59:59.999999999Z" in relaxed mode, where the corpus
        // ("Y10K" case, which we pass) wants {"$numberLong"}: stay below.
        (i64::MIN..253_402_300_800_000i64).prop_map(|m| Bson::DateTime(DateTime(m))),
        (any::<u32>(), any::<u32>())
            .prop_map(|(time, increment)| Bson::Timestamp(Timestamp { time, increment })),
        decimal().prop_map(Bson::Decimal128),
        ("[a-z.*]{0,8}", "[imsux]{0,3}")
            .prop_map(|(p, o)| Bson::RegularExpression(Regex::new(p, &o))),
        "\\PC{0,12}".prop_map(Bson::JavaScriptCode),
        "\\PC{0,8}".prop_map(Bson::Symbol),
        Just(Bson::Undefined),
        Just(Bson::MinKey),
        Just(Bson::MaxKey),
    ]
}

/// Canonical decimals (any sign, coefficient and exponent, infinities).
/// Arbitrary bit patterns are covered by `decimal_text_is_stable`.
fn decimal() -> impl Strategy<Value = Decimal128> {
    prop_oneof![
        (any::<bool>(), any::<u128>(), -6176i32..=6111)
            .prop_map(|(n, c, e)| { Decimal128::from_parts(n, c % 10u128.pow(34), e).unwrap() }),
        any::<bool>().prop_map(Decimal128::infinity),
    ]
}

fn keyed<T: std::fmt::Debug + Clone>(items: Vec<T>) -> Vec<(String, T)> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("k{i}"), v))
        .collect()
}

fn value() -> impl Strategy<Value = Bson> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Bson::Array),
            proptest::collection::vec(inner.clone(), 0..6)
                .prop_map(|v| Bson::Document(keyed(v).into_iter().collect())),
            ("\\PC{0,8}", proptest::collection::vec(inner, 0..3)).prop_map(|(code, v)| {
                Bson::JavaScriptCodeWithScope(ours::JavaScriptCodeWithScope {
                    code,
                    scope: keyed(v).into_iter().collect(),
                })
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = Document> {
    proptest::collection::vec(value(), 0..8).prop_map(|v| keyed(v).into_iter().collect())
}

fn to_theirs(v: &Bson) -> bson::Bson {
    match v {
        Bson::Double(x) => bson::Bson::Double(*x),
        Bson::String(s) => bson::Bson::String(s.clone()),
        Bson::Array(a) => bson::Bson::Array(a.iter().map(to_theirs).collect()),
        Bson::Document(d) => bson::Bson::Document(doc_to_theirs(d)),
        Bson::Boolean(b) => bson::Bson::Boolean(*b),
        Bson::Null => bson::Bson::Null,
        Bson::RegularExpression(r) => bson::Bson::RegularExpression(bson::Regex {
            pattern: r.pattern.clone().try_into().unwrap(),
            options: r.options.clone().try_into().unwrap(),
        }),
        Bson::JavaScriptCode(c) => bson::Bson::JavaScriptCode(c.clone()),
        Bson::JavaScriptCodeWithScope(c) => {
            bson::Bson::JavaScriptCodeWithScope(bson::JavaScriptCodeWithScope {
                code: c.code.clone(),
                scope: doc_to_theirs(&c.scope),
            })
        }
        Bson::Int32(i) => bson::Bson::Int32(*i),
        Bson::Int64(i) => bson::Bson::Int64(*i),
        Bson::Timestamp(t) => bson::Bson::Timestamp(bson::Timestamp {
            time: t.time,
            increment: t.increment,
        }),
        Bson::Binary(b) => {
            // Like ours, bson's `bytes` exclude subtype 0x02's inner length.
            let bytes = b.bytes.clone();
            bson::Bson::Binary(bson::Binary {
                subtype: b.subtype.into(),
                bytes,
            })
        }
        Bson::ObjectId(o) => bson::Bson::ObjectId(bson::oid::ObjectId::from_bytes(o.0)),
        Bson::DateTime(d) => bson::Bson::DateTime(bson::DateTime::from_millis(d.0)),
        Bson::Symbol(s) => bson::Bson::Symbol(s.clone()),
        Bson::Decimal128(d) => bson::Bson::Decimal128(bson::Decimal128::from_bytes(d.bytes())),
        Bson::Undefined => bson::Bson::Undefined,
        Bson::MaxKey => bson::Bson::MaxKey,
        Bson::MinKey => bson::Bson::MinKey,
        Bson::DbPointer(_) => unreachable!("not generated: bson's DbPointer cannot be built"),
    }
}

fn doc_to_theirs(d: &Document) -> bson::Document {
    let mut out = bson::Document::new();
    for (k, v) in d {
        out.insert(k, to_theirs(v));
    }
    out
}

fn json_eq(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.get(k).is_some_and(|w| {
                        // Both spell the same double, maybe differently
                        // (1E-7 vs 0.0000001): compare the values.
                        if k == "$numberDouble" {
                            let p = |v: &Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
                            match (p(v), p(w)) {
                                (Some(a), Some(b)) => a == b || (a.is_nan() && b.is_nan()),
                                _ => v == w,
                            }
                        } else if k == "$date" && v.is_string() && w.is_string() {
                            let (p, q) = (v.as_str().unwrap(), w.as_str().unwrap());
                            // ".610Z" and ".61Z" are the same instant.
                            let norm = |s: &str| {
                                let t = s.trim_end_matches('Z');
                                let t = if t.contains('.') {
                                    t.trim_end_matches('0').trim_end_matches('.')
                                } else {
                                    t
                                };
                                t.to_string()
                            };
                            norm(p) == norm(q)
                        } else {
                            json_eq(v, w)
                        }
                    })
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || match (x.as_f64(), y.as_f64()) {
                    // serde_json (without float_roundtrip) may read the
                    // shortest round-trip text a few ULP off: allow that (exact
                    // round trips are checked with our own parser below).
                    (Some(p), Some(q)) => {
                        p == q || (p.to_bits() as i64 - q.to_bits() as i64).abs() <= 4
                    }
                    _ => false,
                }
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn same_bytes_same_values(doc in document()) {
        let ours_bytes = doc.to_vec().unwrap();
        let theirs = doc_to_theirs(&doc);
        let theirs_bytes = theirs.to_vec().unwrap();
        prop_assert_eq!(&ours_bytes, &theirs_bytes);

        // both read each other's bytes
        let raw = RawDocument::parse(&theirs_bytes).unwrap();
        let back = Document::from_raw(raw).unwrap();
        prop_assert_eq!(back.to_vec().unwrap(), theirs_bytes.clone());
        let theirs_back = bson::Document::from_reader(&ours_bytes[..]).unwrap();
        prop_assert_eq!(theirs_back.to_vec().unwrap(), ours_bytes.clone());

        // the raw walks agree element by element (keys and types)
        let their_raw = bson::RawDocument::from_bytes(&theirs_bytes).unwrap();
        let mine: Vec<(String, u8)> = raw
            .iter()
            .map(|r| r.map(|(k, v)| (k.to_string(), v.element_type() as u8)))
            .collect::<Result<_, _>>()
            .unwrap();
        let theirs_walk: Vec<(String, u8)> = their_raw
            .iter()
            .map(|r| r.map(|(k, v)| (k.as_str().to_string(), v.element_type() as u8)))
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(mine, theirs_walk);

        // serde: our Serializer on our Document = bson's bytes; their serde
        // reading our serde output gives the same document
        prop_assert_eq!(ours::to_vec(&doc).unwrap(), theirs_bytes.clone());
        let via: Document = ours::from_slice(&theirs_bytes).unwrap();
        prop_assert_eq!(via.to_vec().unwrap(), theirs_bytes.clone());

        // Extended JSON, canonical and relaxed, as JSON values
        let c: serde_json::Value = serde_json::from_str(&extjson::to_canonical(&raw).unwrap()).unwrap();
        let tc = bson::Bson::Document(theirs.clone()).into_canonical_extjson();
        prop_assert!(json_eq(&c, &tc), "canonical\n ours   {}\n theirs {}", c, tc);
        let r: serde_json::Value = serde_json::from_str(&extjson::to_relaxed(&raw).unwrap()).unwrap();
        let tr = bson::Bson::Document(theirs).into_relaxed_extjson();
        prop_assert!(json_eq(&r, &tr), "relaxed\n ours   {}\n theirs {}", r, tr);

        // our canonical Extended JSON parses back to the same bytes (NaN
        // payloads are the only loss the format allows)
        let has_nan = extjson::to_canonical(&raw).unwrap().contains("NaN");
        if !has_nan {
            let again = extjson::from_json_to_vec(&extjson::to_canonical(&raw).unwrap()).unwrap();
            prop_assert_eq!(again, ours_bytes);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any 16 bytes print as text that parses back to a value printing the
    /// same text; canonical values round-trip to the same bytes.
    #[test]
    fn decimal_text_is_stable(bytes in any::<[u8; 16]>(), n in any::<bool>(), c in any::<u128>(), e in -6176i32..=6111) {
        let d = Decimal128::from_bytes(bytes);
        let text = d.to_string();
        let again: Decimal128 = text.parse().unwrap();
        prop_assert_eq!(again.to_string(), text.clone());
        // bson's Display agrees
        prop_assert_eq!(bson::Decimal128::from_bytes(bytes).to_string(), text);
        let canonical = Decimal128::from_parts(n, c % 10u128.pow(34), e).unwrap();
        let back: Decimal128 = canonical.to_string().parse().unwrap();
        prop_assert_eq!(back.bytes(), canonical.bytes());
    }
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
struct Record {
    id: i64,
    name: String,
    temperature: f64,
    flags: Vec<bool>,
    small: u8,
    medium: u16,
    unsigned: u32,
    maybe: Option<i32>,
    tags: std::collections::BTreeMap<String, i32>,
    nested: Inner,
    unit: Unit,
    tuple: (i32, String),
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
struct Inner {
    a: i32,
    b: Vec<String>,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
enum Unit {
    A,
    B(i32),
    C { x: i32 },
}

fn record() -> impl Strategy<Value = Record> {
    (
        (
            any::<i64>(),
            "\\PC{0,10}",
            any::<f64>().prop_filter("no NaN", |f| !f.is_nan()),
        ),
        (
            proptest::collection::vec(any::<bool>(), 0..4),
            any::<u8>(),
            any::<u16>(),
            any::<u32>(),
        ),
        (
            proptest::option::of(any::<i32>()),
            proptest::collection::btree_map("[a-z]{1,4}", any::<i32>(), 0..4),
            (any::<i32>(), proptest::collection::vec("[a-z]{0,4}", 0..3)),
            prop_oneof![
                Just(Unit::A),
                any::<i32>().prop_map(Unit::B),
                any::<i32>().prop_map(|x| Unit::C { x })
            ],
            (any::<i32>(), "[a-z]{0,4}"),
        ),
    )
        .prop_map(
            |(
                (id, name, temperature),
                (flags, small, medium, unsigned),
                (maybe, tags, (a, b), unit, tuple),
            )| Record {
                id,
                name,
                temperature,
                flags,
                small,
                medium,
                unsigned,
                maybe,
                tags,
                nested: Inner { a, b },
                unit,
                tuple,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn serde_structs_match_bson(r in record()) {
        let mine = ours::to_vec(&r).unwrap();
        let theirs = bson::serialize_to_vec(&r).unwrap();
        prop_assert_eq!(&mine, &theirs);
        let back: Record = ours::from_slice(&theirs).unwrap();
        prop_assert_eq!(&back, &r);
        let their_back: Record = bson::deserialize_from_slice(&mine).unwrap();
        prop_assert_eq!(their_back, r);
    }
}

/// The first error of a recursive walk through the lazy iterators: what
/// the owned decoder and `validate` must report too.
fn iter_walk(d: RawDocument<'_>, depth: usize) -> Result<(), webdyn_files::bson::Error> {
    use webdyn_files::bson::{ErrorKind, RawBson};
    if depth > 100 {
        return Err(webdyn_files::bson::Error::new(
            ErrorKind::TooDeep(100),
            d.offset(),
        ));
    }
    for item in d.iter() {
        match item?.1 {
            RawBson::Document(d) => iter_walk(d, depth + 1)?,
            RawBson::Array(a) => iter_walk(a.as_document(), depth + 1)?,
            RawBson::JavaScriptCodeWithScope(c) => iter_walk(c.scope, depth + 1)?,
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Damaged bytes: the owned decoder, `validate` and the lazy iterators
    /// fail alike (same kind, same offset) or all succeed.
    #[test]
    fn damaged_bytes_fail_alike(doc in document(), hits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let mut bytes = doc.to_vec().unwrap();
        for (at, b) in hits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let walked = RawDocument::new(&bytes).and_then(|d| iter_walk(d, 1));
        let validated = RawDocument::new(&bytes).and_then(|d| d.validate());
        let decoded = Document::from_slice(&bytes).map(|_| ());
        prop_assert_eq!(&walked, &validated);
        prop_assert_eq!(&walked, &decoded);
    }
}
