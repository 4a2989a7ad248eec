//! WebdynEasy hub files: frames extracted per second from a 1000-frame data
//! file, plain (`*.bson`) and encrypted (`*.bson.aes`).
//!
//! Ours: `webdyn_files::easy` — CRC-32 verified (crcMode 2), `crc` checked
//! last, AES-128-CBC decrypted into a reused caller buffer, frames walked in
//! place (`DataView::frames`). Peer, in the same run on the same bytes: the
//! `bson` crate 3.x raw reader (`RawDocument::from_bytes`, `get_array`,
//! per-frame `get_i32`/`get_binary`), with the same CRC-32 (`crc` crate)
//! and the RustCrypto `cbc`/`aes` decryption into a vector — what an
//! integrator writes today with the manual's advice ("use a BSON library").
//!
//! The file is generated here, deterministically: uid/source/TS/frameCount,
//! 1000 frames `{T int32, R int32, F binary 12–120 bytes}`, `crc` last.
//!
//! cargo bench -p webdyn-benches --bench easy -- --warm-up-time 1 --measurement-time 3
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, KeyIvInit};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use webdyn_files::bson::VecWriter;
use webdyn_files::easy::{self, CrcMode, DataView, FileKey, envelope, key};

const FRAMES: usize = 1000;
const KEY: [u8; 16] = [
    0x44, 0x00, 0xAA, 0xF7, 0x83, 0x78, 0x04, 0x9C, 0xAB, 0x13, 0xEE, 0x4E, 0x35, 0x0E, 0x28, 0x1B,
];

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

/// A data file as the hub uploads it, CRC stamped.
fn data_file() -> Vec<u8> {
    let mut rng = Lcg(0x5EED);
    let mut w = VecWriter::new();
    w.start_document().unwrap();
    w.append_str("uid", "WE_1234").unwrap();
    w.append_str("source", "schedule").unwrap();
    w.append_i32("TS", 1_560_068_897).unwrap();
    w.append_i32("frameCount", FRAMES as i32).unwrap();
    w.start_array("data").unwrap();
    for i in 0..FRAMES {
        let len = 12 + (rng.next() % 109) as usize;
        let mut f: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        f[0] = (len - 1) as u8;
        f[1] = 0x44;
        w.start_subdocument("").unwrap();
        w.append_i32("T", 1_560_060_000 + i as i32).unwrap();
        w.append_i32("R", 150 + (rng.next() % 60) as i32).unwrap();
        w.append_binary("F", 0, &f).unwrap();
        w.end_document().unwrap();
    }
    w.end_array().unwrap();
    w.append_i32("crc", 0).unwrap();
    w.end_document().unwrap();
    let mut file = w.into_vec().unwrap();
    envelope::stamp(&mut file).unwrap();
    file
}

fn ours(file: &[u8]) -> u64 {
    let view = DataView::parse(file, CrcMode::Always).unwrap();
    let mut acc = 0u64;
    for f in view.frames() {
        let f = f.unwrap();
        acc = acc
            .wrapping_add(f.t as u64 ^ f.r as u64)
            .wrapping_add(f.f.len() as u64);
    }
    acc
}

/// The `crc` crate with its default 1 KB table, as a user would write it.
const PEER_CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
/// The same with the slice-by-16 tables webdyn-files uses under `std`, to
/// separate the CRC from the BSON walk.
const PEER_CRC16: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISO_HDLC);

fn peer(file: &[u8]) -> u64 {
    peer_with(file, |parts| {
        let mut d = PEER_CRC.digest();
        parts.iter().for_each(|p| d.update(p));
        d.finalize()
    })
}

fn peer_fast_crc(file: &[u8]) -> u64 {
    peer_with(file, |parts| {
        let mut d = PEER_CRC16.digest();
        parts.iter().for_each(|p| d.update(p));
        d.finalize()
    })
}

fn peer_with(file: &[u8], crc: impl Fn(&[&[u8]]) -> u32) -> u64 {
    // The same check: CRC-32 over the file with the trailing crc value zeroed.
    let n = file.len();
    let stored = u32::from_le_bytes(file[n - 5..n - 1].try_into().unwrap());
    assert_eq!(crc(&[&file[..n - 5], &[0; 4], &file[n - 1..]]), stored);
    let doc = bson::RawDocument::from_bytes(file).unwrap();
    let mut acc = 0u64;
    for item in doc.get_array("data").unwrap() {
        let fr = item.unwrap().as_document().unwrap();
        let t = fr.get_i32("T").unwrap();
        let r = fr.get_i32("R").unwrap();
        let f = fr.get_binary("F").unwrap();
        acc = acc
            .wrapping_add(t as u64 ^ r as u64)
            .wrapping_add(f.bytes.len() as u64);
    }
    acc
}

fn bench(c: &mut Criterion) {
    let plain = data_file();
    let k = FileKey::new(KEY);
    let sealed = key::encrypt(&k, &plain);
    // Both readers see the same frames.
    assert_eq!(ours(&plain), peer(&plain));
    assert_eq!(ours(&plain), peer_fast_crc(&plain));
    let typed: easy::data::DataFile = easy::decode(&plain, None, CrcMode::Always).unwrap();
    assert_eq!(typed.data.len(), FRAMES);

    let mut g = c.benchmark_group("easy_data_file");
    g.throughput(Throughput::Elements(FRAMES as u64));
    g.bench_function("plain/webdyn-files", |b| b.iter(|| ours(black_box(&plain))));
    g.bench_function("plain/bson-crate", |b| b.iter(|| peer(black_box(&plain))));
    g.bench_function("plain/bson-crate+slice16-crc", |b| {
        b.iter(|| peer_fast_crc(black_box(&plain)))
    });
    let mut buf = vec![0u8; sealed.len()];
    g.bench_function("aes/webdyn-files", |b| {
        b.iter(|| {
            let p = key::decrypt_into(&k, black_box(&sealed), &mut buf).unwrap();
            ours(p)
        })
    });
    g.bench_function("aes/bson-crate+cbc", |b| {
        b.iter(|| {
            let dec = cbc::Decryptor::<aes::Aes128>::new(&KEY.into(), &key::FILE_IV.into());
            let p = dec
                .decrypt_padded_vec_mut::<Pkcs7>(black_box(&sealed))
                .unwrap();
            peer(&p)
        })
    });
    g.bench_function("typed/webdyn-files", |b| {
        b.iter(|| {
            let d: easy::data::DataFile =
                easy::decode(black_box(&plain), None, CrcMode::Always).unwrap();
            d.data.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
