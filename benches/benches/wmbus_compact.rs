//! W M-Bus compact frames: decoding a compact payload with a learned format
//! (look up, rebuild the records, data CRC, record walk) against walking
//! the same records in their full frame, ours and m-bus-parser 0.5's (which
//! has no compact-frame support, so only the full form can be compared),
//! on the same bytes in the same run; plus the cost of learning a format.
//!
//! cargo bench -p webdyn-benches --bench wmbus_compact -- --warm-up-time 1 --measurement-time 3
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use m_bus_parser::user_data::DataRecords;
use webdyn_wmbus::app::compact::encode_compact;
use webdyn_wmbus::app::{FormatCache, Records};

const RECORDS: usize = 12;

/// A water-meter-like full payload (12 records, a 25-byte format): volumes
/// now and at the due date, flows, temperatures, a date, an FD error flag
/// field, built deterministically.
fn payload() -> Vec<u8> {
    let mut n: u32 = 4242;
    let mut next = || {
        n = n.wrapping_mul(1103515245).wrapping_add(12345);
        n >> 4
    };
    let mut p = Vec::new();
    p.extend([0x04, 0x13]);
    p.extend(next().to_le_bytes()); // volume, l
    p.extend([0x44, 0x13]);
    p.extend(next().to_le_bytes()); // volume at due date
    p.extend([0x42, 0x6C, 0x3F, 0x3C]); // due date 2025-12-31
    p.extend([0x02, 0x3B]);
    p.extend((next() as u16).to_le_bytes()); // flow, l/h
    p.extend([0x12, 0x3B]);
    p.extend((next() as u16).to_le_bytes()); // max flow
    p.extend([0x22, 0x3B]);
    p.extend((next() as u16).to_le_bytes()); // min flow
    p.extend([0x01, 0x5B, (next() % 40) as u8]); // flow temperature, °C
    p.extend([0x11, 0x5B, (next() % 40) as u8]);
    p.extend([0x21, 0x5B, (next() % 40) as u8]);
    p.extend([0x01, 0x67, (next() % 40) as u8]); // external temperature
    p.extend([0x02, 0xFD, 0x17]);
    p.extend((next() as u16).to_le_bytes()); // error flags
    p.extend([0x0C, 0x06]);
    p.extend([0x45, 0x23, 0x01, 0x00]); // energy, kWh, BCD
    p
}

fn bench(c: &mut Criterion) {
    let full = payload();
    let mut cache = FormatCache::<8>::new();
    cache.learn(&full).unwrap();
    let mut compact = [0u8; 128];
    let n = encode_compact(&full, &mut compact).unwrap();
    let compact = &compact[..n];

    // All three see the same 12 records, without error.
    let mut out = [0u8; 128];
    assert_eq!(
        cache
            .decode_compact(compact, &mut out)
            .unwrap()
            .filter(Result::is_ok)
            .count(),
        RECORDS
    );
    assert_eq!(Records::new(&full).filter(Result::is_ok).count(), RECORDS);
    assert_eq!(
        DataRecords::from(full.as_slice())
            .filter(Result::is_ok)
            .count(),
        RECORDS
    );

    let mut g = c.benchmark_group("wmbus_compact/decode");
    g.throughput(Throughput::Elements(RECORDS as u64));
    g.bench_function("webdyn compact", |b| {
        let mut out = [0u8; 128];
        b.iter(|| {
            for r in cache.decode_compact(black_box(compact), &mut out).unwrap() {
                black_box(r.unwrap());
            }
        })
    });
    g.bench_function("webdyn full", |b| {
        b.iter(|| {
            for r in Records::new(black_box(&full)) {
                black_box(r.unwrap());
            }
        })
    });
    g.bench_function("m-bus-parser full", |b| {
        b.iter(|| {
            for r in DataRecords::from(black_box(full.as_slice())) {
                black_box(r.unwrap());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("wmbus_compact/learn");
    g.throughput(Throughput::Elements(1));
    g.bench_function("webdyn", |b| {
        let mut cache = FormatCache::<8>::new();
        b.iter(|| black_box(cache.learn(black_box(&full)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
