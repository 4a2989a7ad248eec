//! M-Bus application layer: records per second over a long payload (35
//! records), and full-telegram decode (wired long frame and wireless frame)
//! against m-bus-parser 0.5, on the same bytes in the same run.
//!
//! cargo bench -p webdyn-benches --bench wmbus_records -- --warm-up-time 1 --measurement-time 3
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use m_bus_parser::mbus_data::MbusData;
use m_bus_parser::user_data::DataRecords;
use m_bus_parser::{WiredFrame, WirelessFrame};
use webdyn_wmbus::app::Records;
use webdyn_wmbus::frame::FormatHint;
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::telegram;
use webdyn_wmbus::tpl::LongHeader;
use webdyn_wmbus::wired::LongFrame;

const RECORDS: usize = 35;

/// A heat-meter-like payload, built deterministically: BCD and binary
/// counters, temperatures, flows, dates, a real, FD voltages, DIFE
/// chains with tariffs and subunits, repeated over storage numbers.
fn payload() -> Vec<u8> {
    let mut p = Vec::new();
    let mut n: u32 = 12345;
    let mut next = || {
        n = n.wrapping_mul(1103515245).wrapping_add(12345);
        (n >> 8) & 0x0099_9999
    };
    let bcd = |v: u32| -> [u8; 4] {
        let mut b = [0u8; 4];
        let mut x = v % 100_000_000;
        for byte in &mut b {
            *byte = ((x % 10) as u8) | (((x / 10 % 10) as u8) << 4);
            x /= 100;
        }
        b
    };
    for k in 0..5u8 {
        // storage k via DIF bit 6 + one DIFE where needed
        let st = |dif: u8| -> Vec<u8> {
            if k == 0 {
                vec![dif]
            } else if k == 1 {
                vec![dif | 0x40]
            } else {
                vec![dif | 0x80, k >> 1]
            }
        };
        p.extend(st(0x0C));
        p.push(0x06); // energy kWh, 8-digit BCD
        p.extend(bcd(next()));
        p.extend(st(0x0C));
        p.push(0x13); // volume litres
        p.extend(bcd(next()));
        p.extend(st(0x04));
        p.push(0x2B); // power W, int32
        p.extend(next().to_le_bytes());
        p.extend(st(0x02));
        p.push(0x5A); // flow temperature 0.1 °C
        p.extend(((next() % 900) as u16).to_le_bytes());
        p.extend(st(0x02));
        p.push(0x5E); // return temperature
        p.extend(((next() % 900) as u16).to_le_bytes());
        p.extend(st(0x02));
        p.push(0x6C); // date G
        p.extend([0x1F | (5 << 5), 0x0C | (0x18 << 1)]);
        p.extend([0x84, 0x10 | k]); // tariff 1, storage bits
        p.push(0x03); // energy Wh
        p.extend(next().to_le_bytes());
    }
    assert!(
        p.len() <= 240,
        "a wired long frame holds at most 255 bytes after L"
    );
    p
}

fn wired_frame(payload: &[u8]) -> Vec<u8> {
    let mut body = vec![0x08, 0x01, 0x72];
    body.extend([
        0x78, 0x56, 0x34, 0x12, 0x2D, 0x2C, 0x01, 0x04, 0x2A, 0x00, 0x00, 0x00,
    ]);
    body.extend(payload);
    let l = u8::try_from(body.len()).expect("frame too long");
    let cs = body.iter().fold(0u8, |s, b| s.wrapping_add(*b));
    let mut f = vec![0x68, l, l, 0x68];
    f.extend(body);
    f.extend([cs, 0x16]);
    f
}

fn wireless_frame(payload: &[u8]) -> Vec<u8> {
    // L C M(2) ID(4) ver type CI=7A ACC STS CFG(2), no encryption, no CRCs.
    let mut f = vec![
        0x00, 0x44, 0x2D, 0x2C, 0x78, 0x56, 0x34, 0x12, 0x01, 0x04, 0x7A, 0x2A, 0x00, 0x00, 0x00,
    ];
    f.extend(payload);
    f[0] = u8::try_from(f.len() - 1).expect("frame too long");
    f
}

fn bench(c: &mut Criterion) {
    let p = payload();
    let wired = wired_frame(&p);
    let wireless = wireless_frame(&p);

    // Both decoders see all records of the payload, without error.
    assert_eq!(Records::new(&p).filter(Result::is_ok).count(), RECORDS);
    assert_eq!(
        DataRecords::from(p.as_slice())
            .filter(Result::is_ok)
            .count(),
        RECORDS
    );
    let mut buf = vec![0u8; wireless.len()];
    let t = telegram::decode(&wireless, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
    assert_eq!(Records::new(t.apl()).count(), RECORDS);
    let m = MbusData::<WirelessFrame>::try_from(wireless.as_slice()).unwrap();
    assert_eq!(m.data_records.unwrap().count(), RECORDS);
    let m = MbusData::<WiredFrame>::try_from(wired.as_slice()).unwrap();
    assert_eq!(m.data_records.unwrap().count(), RECORDS);

    let mut g = c.benchmark_group("wmbus_records/payload");
    g.throughput(Throughput::Elements(RECORDS as u64));
    g.bench_function("webdyn", |b| {
        b.iter(|| {
            for r in Records::new(black_box(&p)) {
                black_box(r.unwrap());
            }
        })
    });
    g.bench_function("m-bus-parser", |b| {
        b.iter(|| {
            for r in DataRecords::from(black_box(p.as_slice())) {
                black_box(r.unwrap());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("wmbus_records/wired_telegram");
    g.throughput(Throughput::Elements(1));
    g.bench_function("webdyn", |b| {
        b.iter(|| {
            let f = LongFrame::new_checked(black_box(wired.as_slice())).unwrap();
            let data = f.data();
            black_box(LongHeader::parse(data).unwrap());
            for r in Records::new(&data[12..]) {
                black_box(r.unwrap());
            }
        })
    });
    g.bench_function("m-bus-parser", |b| {
        b.iter(|| {
            let m = MbusData::<WiredFrame>::try_from(black_box(wired.as_slice())).unwrap();
            for r in m.data_records.unwrap() {
                black_box(r.unwrap());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("wmbus_records/wireless_telegram");
    g.throughput(Throughput::Elements(1));
    g.bench_function("webdyn", |b| {
        let mut buf = vec![0u8; wireless.len()];
        b.iter(|| {
            let t = telegram::decode(black_box(&wireless), FormatHint::Auto, &NoKeys, &mut buf)
                .unwrap();
            for r in Records::new(t.apl()) {
                black_box(r.unwrap());
            }
        })
    });
    g.bench_function("m-bus-parser", |b| {
        b.iter(|| {
            let m = MbusData::<WirelessFrame>::try_from(black_box(wireless.as_slice())).unwrap();
            for r in m.data_records.unwrap() {
                black_box(r.unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
