//! BSON: webdyn-files' `bson` module against the `bson` crate (3.x), same
//! run, same bytes.
//!
//! Inputs, generated deterministically here:
//! * `easy`: a WebdynEasy-like data document, 1000 frames `{T, R, F}` with
//!   int32 `T`/`R` and a 20–120-byte binary `F`;
//! * `mixed`: a ~100 KB document of strings, doubles, int64, nested
//!   documents and arrays.
//!
//! Measured per input: validation plus a full walk of every element
//! (borrowed readers), owned decode (`Document`), and encode of an owned
//! `Document`.
//!
//! cargo bench -p webdyn-benches --bench bson -- --warm-up-time 1 --measurement-time 3
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use webdyn_files::bson::{Document, RawBson, RawDocument, VecWriter};

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn easy_doc() -> Vec<u8> {
    let mut rng = Lcg(7);
    let mut w = VecWriter::new();
    w.start_document().unwrap();
    w.append_str("hub", "WEBDYN-EASY-0001").unwrap();
    w.append_i32("version", 2).unwrap();
    w.start_array("frames").unwrap();
    for i in 0..1000 {
        let len = 20 + (rng.next() % 101) as usize;
        let frame: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        w.start_subdocument("").unwrap();
        w.append_i32("T", 1_700_000_000 + i).unwrap();
        w.append_i32("R", -40 - (rng.next() % 60) as i32).unwrap();
        w.append_binary("F", 0, &frame).unwrap();
        w.end_document().unwrap();
    }
    w.end_array().unwrap();
    w.append_i64("crc", 0x1234_5678).unwrap();
    w.end_document().unwrap();
    w.into_vec().unwrap()
}

fn mixed_doc() -> Vec<u8> {
    let mut rng = Lcg(42);
    let mut w = VecWriter::new();
    w.start_document().unwrap();
    let mut i = 0;
    while w.written().len() < 100_000 {
        let key = format!("field{i}");
        match i % 6 {
            0 => {
                let n = 5 + rng.next() % 40;
                let s: String = (0..n)
                    .map(|_| char::from(b'a' + (rng.next() % 26) as u8))
                    .collect();
                w.append_str(&key, &s).unwrap();
            }
            1 => w.append_f64(&key, rng.next() as f64 / 7.0).unwrap(),
            2 => w.append_i64(&key, rng.next() as i64 * 1_000_003).unwrap(),
            3 => {
                w.start_subdocument(&key).unwrap();
                w.append_str("name", "sensor").unwrap();
                w.append_f64("value", rng.next() as f64 / 3.0).unwrap();
                w.append_bool("ok", rng.next().is_multiple_of(2)).unwrap();
                w.start_subdocument("meta").unwrap();
                w.append_i32("unit", (rng.next() % 100) as i32).unwrap();
                w.append_str("label", "kWh").unwrap();
                w.end_document().unwrap();
                w.end_document().unwrap();
            }
            4 => {
                w.start_array(&key).unwrap();
                for _ in 0..8 {
                    w.append_f64("", rng.next() as f64).unwrap();
                }
                w.end_array().unwrap();
            }
            _ => {
                w.start_array(&key).unwrap();
                for _ in 0..4 {
                    w.start_subdocument("").unwrap();
                    w.append_i32("k", (rng.next() % 1000) as i32).unwrap();
                    w.append_str("v", "abcdefgh").unwrap();
                    w.end_document().unwrap();
                }
                w.end_array().unwrap();
            }
        }
        i += 1;
    }
    w.end_document().unwrap();
    w.into_vec().unwrap()
}

/// Visits every element, reading every scalar: a full walk.
fn walk_ours(doc: RawDocument<'_>) -> u64 {
    let mut acc = 0u64;
    for item in doc.iter() {
        let (k, v) = item.unwrap();
        acc = acc.wrapping_add(k.len() as u64);
        acc = acc.wrapping_add(match v {
            RawBson::Document(d) => walk_ours(d),
            RawBson::Array(a) => walk_ours(a.as_document()),
            RawBson::Int32(i) => i as u64,
            RawBson::Int64(i) => i as u64,
            RawBson::Double(f) => f.to_bits(),
            RawBson::String(s) => s.len() as u64,
            RawBson::Binary(b) => b.bytes.len() as u64 + u64::from(b.subtype),
            RawBson::Boolean(b) => u64::from(b),
            _ => 1,
        });
    }
    acc
}

fn walk_theirs(doc: &bson::RawDocument) -> u64 {
    let mut acc = 0u64;
    for item in doc.iter() {
        let (k, v) = item.unwrap();
        acc = acc
            .wrapping_add(k.len() as u64)
            .wrapping_add(value_theirs(v));
    }
    acc
}

fn value_theirs(v: bson::RawBsonRef<'_>) -> u64 {
    match v {
        bson::RawBsonRef::Document(d) => walk_theirs(d),
        bson::RawBsonRef::Array(a) => {
            // Array keys count in our walk too: iterate elements with keys.
            let mut acc = 0u64;
            for item in a.iter_elements() {
                let e = item.unwrap();
                acc = acc
                    .wrapping_add(e.key().len() as u64)
                    .wrapping_add(value_theirs(e.value().unwrap()));
            }
            acc
        }
        bson::RawBsonRef::Int32(i) => i as u64,
        bson::RawBsonRef::Int64(i) => i as u64,
        bson::RawBsonRef::Double(f) => f.to_bits(),
        bson::RawBsonRef::String(s) => s.len() as u64,
        bson::RawBsonRef::Binary(b) => b.bytes.len() as u64 + u64::from(u8::from(b.subtype)),
        bson::RawBsonRef::Boolean(b) => u64::from(b),
        _ => 1,
    }
}

fn bench(c: &mut Criterion) {
    for (name, bytes) in [("easy", easy_doc()), ("mixed", mixed_doc())] {
        // Same input, same answers, before timing anything.
        let ours = RawDocument::parse(&bytes).unwrap();
        let theirs = bson::RawDocument::from_bytes(&bytes).unwrap();
        assert_eq!(walk_ours(ours), walk_theirs(theirs));
        let our_doc = Document::from_slice(&bytes).unwrap();
        let their_doc = bson::Document::from_reader(&bytes[..]).unwrap();
        assert_eq!(our_doc.to_vec().unwrap(), bytes);
        assert_eq!(their_doc.to_vec().unwrap(), bytes);

        let mut g = c.benchmark_group(format!("bson_{name}"));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("walk/webdyn", |b| {
            b.iter(|| walk_ours(RawDocument::new(black_box(&bytes)).unwrap()))
        });
        g.bench_function("walk/bson", |b| {
            b.iter(|| walk_theirs(bson::RawDocument::from_bytes(black_box(&bytes)).unwrap()))
        });
        g.bench_function("validate/webdyn", |b| {
            b.iter(|| {
                RawDocument::new(black_box(&bytes))
                    .unwrap()
                    .validate()
                    .unwrap()
            })
        });
        g.bench_function("decode/webdyn", |b| {
            b.iter(|| Document::from_slice(black_box(&bytes)).unwrap())
        });
        g.bench_function("decode/bson", |b| {
            b.iter(|| bson::Document::from_reader(black_box(&bytes[..])).unwrap())
        });
        g.bench_function("encode/webdyn", |b| {
            b.iter(|| black_box(&our_doc).to_vec().unwrap())
        });
        g.bench_function("encode/bson", |b| {
            b.iter(|| black_box(&their_doc).to_vec().unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
