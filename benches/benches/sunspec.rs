//! SunSpec register images: walk the model chain and decode every point of
//! the built-in models with scale factors applied.
//!
//! cargo bench -p webdyn-benches --bench sunspec
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use webdyn_sunspec::RegisterImage;
use webdyn_sunspec::model;
use webdyn_sunspec::point::Value;
use webdyn_sunspec::scan::Models;
use webdyn_sunspec::writer::ImageWriter;

/// A device image: common model and a three-phase inverter, all mandatory
/// points set.
fn device_image() -> Vec<u8> {
    let mut buf = vec![0u8; 512];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    w.model_with(
        &model::COMMON,
        &[
            ("Mn", Value::Text(b"Webdyn")),
            ("Md", Value::Text(b"Bench")),
            ("SN", Value::Text(b"1")),
        ],
    )
    .unwrap();
    w.model_with(
        &model::INVERTER_THREE_PHASE,
        &[
            ("A", Value::Uint(1085)),
            ("AphA", Value::Uint(362)),
            ("AphB", Value::Uint(361)),
            ("AphC", Value::Uint(362)),
            ("A_SF", Value::Int(-2)),
            ("PhVphA", Value::Uint(2301)),
            ("PhVphB", Value::Uint(2298)),
            ("PhVphC", Value::Uint(2305)),
            ("V_SF", Value::Int(-1)),
            ("W", Value::Int(7480)),
            ("W_SF", Value::Int(0)),
            ("Hz", Value::Uint(5001)),
            ("Hz_SF", Value::Int(-2)),
            ("WH", Value::Uint(12_345_678)),
            ("WH_SF", Value::Int(0)),
            ("TmpCab", Value::Int(412)),
            ("Tmp_SF", Value::Int(-1)),
            ("St", Value::Uint(4)),
            ("Evt1", Value::Uint(0)),
            ("Evt2", Value::Uint(0)),
        ],
    )
    .unwrap();
    let n = w.finish().unwrap();
    buf.truncate(n);
    buf
}

fn decode_all(bytes: &[u8]) -> usize {
    let img = RegisterImage::new(40000, bytes).unwrap();
    let mut n = 0;
    for h in Models::new(&img).unwrap() {
        let h = h.unwrap();
        if let Some(def) = model::builtin(h.id) {
            n += def
                .decode(&img, h.addr)
                .filter(|p| p.scaled.is_some())
                .count();
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let image = device_image();
    let points: usize = model::COMMON.points.len() + model::INVERTER_THREE_PHASE.points.len();
    let mut g = c.benchmark_group("sunspec");
    g.throughput(Throughput::Elements(points as u64));
    g.bench_function("decode_device_image_points", |b| {
        b.iter(|| decode_all(black_box(&image)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
