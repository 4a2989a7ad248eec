//! TIC: decode a generated standard-mode stream (~2000 Linky frames, a mix of
//! three-phase and single-phase meters, ~1.7 MB) and a historic-mode stream
//! (~2000 frames), with checksum verification, against teleinfo-nom 0.3 fed
//! the same bytes in the same run.
//!
//! cargo bench -p webdyn-benches --bench tic -- --warm-up-time 1 --measurement-time 3
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use webdyn_tic::{Decoder, Event, FrameWriter, Mode};

/// A small deterministic generator (no dependency, same bytes every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, modulo: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % modulo
    }
}

fn num(v: u64, width: usize) -> String {
    format!("{v:0width$}")
}

/// A standard-mode stream: frames shaped like real Linky output, three-phase
/// every third frame, with indices, currents, powers and horodates moving.
fn standard_stream(frames: usize) -> Vec<u8> {
    let mut rng = Lcg(0x7E1C);
    let mut out = Vec::new();
    let mut buf = vec![0u8; 4096];
    let mut east = 21_849_106u64;
    for i in 0..frames {
        let three = i % 3 == 0;
        east += rng.next(40);
        let sec = i % 60;
        let hd = |h: u64, m: u64| format!("H2002{:02}{:02}{:02}{:02}", 14, h, m, sec);
        let mut g: Vec<(String, Option<String>, String)> = vec![
            ("ADSC".into(), None, "041776199277".into()),
            ("VTIC".into(), None, "02".into()),
            ("DATE".into(), Some(hd(23, 8)), String::new()),
            ("NGTF".into(), None, "     TEMPO      ".into()),
            ("LTARF".into(), None, "   HC  BLANC    ".into()),
            ("EAST".into(), None, num(east, 9)),
        ];
        for k in 1..=10 {
            let v = if k <= 6 { east / 7 * k } else { 0 };
            g.push((format!("EASF{k:02}"), None, num(v, 9)));
        }
        for k in 1..=4 {
            let v = if k == 1 { east } else { 0 };
            g.push((format!("EASD{k:02}"), None, num(v, 9)));
        }
        let phases = if three { 3 } else { 1 };
        for p in 1..=phases {
            g.push((format!("IRMS{p}"), None, num(rng.next(40), 3)));
        }
        for p in 1..=phases {
            g.push((format!("URMS{p}"), None, num(225 + rng.next(15), 3)));
        }
        g.push(("PREF".into(), None, "12".into()));
        g.push(("PCOUP".into(), None, "12".into()));
        g.push(("SINSTS".into(), None, num(rng.next(9000), 5)));
        if three {
            for p in 1..=3 {
                g.push((format!("SINSTS{p}"), None, num(rng.next(3000), 5)));
            }
        }
        g.push(("SMAXSN".into(), Some(hd(2, 47)), num(rng.next(12000), 5)));
        if three {
            for p in 1..=3 {
                g.push((
                    format!("SMAXSN{p}"),
                    Some(hd(3, 10)),
                    num(rng.next(4000), 5),
                ));
            }
        }
        g.push(("SMAXSN-1".into(), Some(hd(3, 37)), num(rng.next(12000), 5)));
        if three {
            for p in 1..=3 {
                g.push((
                    format!("SMAXSN{p}-1"),
                    Some(hd(4, 2)),
                    num(rng.next(4000), 5),
                ));
            }
        }
        g.push(("CCASN".into(), Some(hd(23, 0)), num(rng.next(9000), 5)));
        g.push(("CCASN-1".into(), Some(hd(22, 30)), num(rng.next(9000), 5)));
        for p in 1..=phases {
            g.push((
                format!("UMOY{p}"),
                Some(hd(23, 0)),
                num(225 + rng.next(15), 3),
            ));
        }
        g.push(("STGE".into(), None, "013AC401".into()));
        if three {
            g.push(("DPM1".into(), Some(" 200215060000".into()), "00".into()));
            g.push(("FPM1".into(), Some(" 200215220000".into()), "00".into()));
        }
        g.push((
            "MSG1".into(),
            None,
            "PAS DE          MESSAGE         ".into(),
        ));
        g.push(("PRM".into(), None, "07361794479930".into()));
        g.push(("RELAIS".into(), None, "001".into()));
        g.push(("NTARF".into(), None, "03".into()));
        g.push(("NJOURF".into(), None, "00".into()));
        g.push(("NJOURF+1".into(), None, "00".into()));
        if three {
            g.push((
                "PJOURF+1".into(),
                None,
                "00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE".into(),
            ));
        }
        let mut w = FrameWriter::new(&mut buf, Mode::Standard).unwrap();
        for (l, h, v) in &g {
            w.group(l.as_bytes(), h.as_deref().map(str::as_bytes), v.as_bytes())
                .unwrap();
        }
        let n = w.finish().unwrap();
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// A historic-mode stream: single-phase Tempo, HC and BASE meters in turn
/// (teleinfo-nom cannot parse three-phase historic frames: it matches IINST
/// before IINST1 and stops).
fn historic_stream(frames: usize) -> Vec<u8> {
    let mut rng = Lcg(0x02E);
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1024];
    let mut idx = 18_328_702u64;
    for i in 0..frames {
        idx += rng.next(5);
        let mut g: Vec<(&str, String)> = vec![("ADCO", "021861348497".into())];
        match i % 3 {
            0 => {
                g.push(("OPTARIF", "BBR(".into()));
                g.push(("ISOUSC", "30".into()));
                for l in [
                    "BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW", "BBRHCJR", "BBRHPJR",
                ] {
                    g.push((l, num(idx / 3 + rng.next(1000), 9)));
                }
                g.push(("PTEC", "HCJB".into()));
                g.push(("DEMAIN", "ROUG".into()));
            }
            1 => {
                g.push(("OPTARIF", "HC..".into()));
                g.push(("ISOUSC", "45".into()));
                g.push(("HCHC", num(idx, 9)));
                g.push(("HCHP", num(idx / 2, 9)));
                g.push(("PTEC", "HP..".into()));
            }
            _ => {
                g.push(("OPTARIF", "BASE".into()));
                g.push(("ISOUSC", "30".into()));
                g.push(("BASE", num(idx, 9)));
                g.push(("PTEC", "TH..".into()));
            }
        }
        g.push(("IINST", num(rng.next(60), 3)));
        g.push(("IMAX", "090".into()));
        g.push(("PAPP", num(rng.next(12000), 5)));
        g.push(("HHPHC", "A".into()));
        g.push(("MOTDETAT", "000000".into()));
        let mut w = FrameWriter::new(&mut buf, Mode::Historic).unwrap();
        for (l, v) in &g {
            w.group(l.as_bytes(), None, v.as_bytes()).unwrap();
        }
        let n = w.finish().unwrap();
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// Ours: every group split and its checksum verified; returns (frames
/// valid, groups valid).
fn ours(stream: &[u8]) -> (usize, usize) {
    let mut dec: Decoder = Decoder::new();
    let (mut frames, mut groups) = (0, 0);
    dec.feed(stream, |ev| match ev {
        Event::Group { group, .. } => {
            groups += 1;
            black_box(group.data());
        }
        Event::FrameEnd(end) => frames += usize::from(end.is_valid()),
        _ => {}
    });
    (frames, groups)
}

/// Ours as firmware would run it: 64-byte UART reads.
fn ours_chunked(stream: &[u8]) -> usize {
    let mut dec: Decoder = Decoder::new();
    let mut frames = 0;
    for chunk in stream.chunks(64) {
        dec.feed(chunk, |ev| {
            if let Event::FrameEnd(end) = ev {
                frames += usize::from(end.is_valid());
            }
        });
    }
    frames
}

/// teleinfo-nom: its public streaming API over the same bytes; returns the
/// number of frames it reports valid.
fn peer(stream: &[u8], frames: usize) -> usize {
    let mut src = std::io::Cursor::new(stream);
    let mut leftover = String::new();
    let mut valid = 0;
    for _ in 0..frames {
        let (rest, msg) = teleinfo_nom::get_message(&mut src, leftover).unwrap();
        leftover = rest;
        // Its `valid` flag is private: count the messages that carry the
        // meter address, the first group of every frame.
        let addr = msg
            .get_value("ADCO".into())
            .or_else(|| msg.get_value("ADSC".into()));
        valid += usize::from(addr.is_some());
    }
    valid
}

fn bench(c: &mut Criterion) {
    const FRAMES: usize = 2000;
    for (name, stream) in [
        ("standard", standard_stream(FRAMES)),
        ("historic", historic_stream(FRAMES)),
    ] {
        // Both decoders agree before anything is timed.
        assert_eq!(ours(&stream).0, FRAMES);
        assert_eq!(ours_chunked(&stream), FRAMES);
        assert_eq!(peer(&stream, FRAMES), FRAMES);
        eprintln!(
            "tic {name}: {FRAMES} frames, {} bytes, {} groups",
            stream.len(),
            ours(&stream).1
        );
        let mut g = c.benchmark_group(format!("tic_{name}"));
        g.throughput(Throughput::Bytes(stream.len() as u64));
        g.bench_function("webdyn-tic", |b| b.iter(|| ours(black_box(&stream))));
        g.bench_function("webdyn-tic 64-byte reads", |b| {
            b.iter(|| ours_chunked(black_box(&stream)))
        });
        g.bench_function("teleinfo-nom", |b| {
            b.iter(|| peer(black_box(&stream), FRAMES))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
