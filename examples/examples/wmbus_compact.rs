//! A receiver loop for meters that send compact frames (CI 0x79): the
//! format of each full frame (CI 0x78) is learned into a heap-free
//! `FormatCache`, and the compact frames after it are decoded with it.
//!
//! ```text
//! cargo run -p webdyn-examples --example wmbus_compact
//! ```
//!
//! It builds the telegrams itself: a compact frame heard before any full
//! frame (its format is unknown), a full frame with a volume, a flow
//! temperature and a date, then two compact frames with new values (the
//! second damaged in transit, which its data CRC catches).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_wmbus::app::compact::encode_compact;
use webdyn_wmbus::app::{FormatCache, Records};
use webdyn_wmbus::frame::FormatHint;
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::telegram::decode;
use webdyn_wmbus::tpl::{self, Content};

/// A CRC-free telegram: L C M A CI, then the application payload.
fn telegram(ci: u8, apl: &[u8]) -> Vec<u8> {
    let m = webdyn_wmbus::manufacturer_field(*b"KAM")
        .unwrap()
        .to_le_bytes();
    let mut t = vec![0, 0x44, m[0], m[1], 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, ci];
    t.extend_from_slice(apl);
    t[0] = (t.len() - 1) as u8;
    t
}

/// The meter's records: 04 13 volume in litres, 02 59 flow temperature
/// in 0.01 °C, 42 6C date (storage 1).
fn records(litres: u32, centi_c: u16) -> Vec<u8> {
    let mut p = vec![0x04, 0x13];
    p.extend(litres.to_le_bytes());
    p.extend([0x02, 0x59]);
    p.extend(centi_c.to_le_bytes());
    p.extend([0x42, 0x6C, 0x3F, 0x3C]); // type G: 2025-12-31
    p
}

fn compact(full: &[u8]) -> Vec<u8> {
    let mut c = [0u8; 64];
    let n = encode_compact(full, &mut c).unwrap();
    c[..n].to_vec()
}

fn main() {
    let first = compact(&records(12_000, 1_850));
    let mut damaged = compact(&records(12_410, 1_920));
    damaged[6] ^= 0x10;
    let air = [
        telegram(0x79, &first),
        telegram(0x78, &records(12_345, 1_900)),
        telegram(0x79, &compact(&records(12_400, 1_910))),
        telegram(0x79, &damaged),
    ];

    // Up to eight formats of up to 64 bytes, inline: no heap.
    let mut cache = FormatCache::<8>::new();
    for (i, bytes) in air.iter().enumerate() {
        let mut buf = [0u8; 128];
        let t = decode(bytes, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
        print!("telegram {i}: CI {:#04x}: ", t.ci);
        let mut full = [0u8; 128];
        let rs = match tpl::classify(t.ci) {
            Some((Content::Application, _)) => {
                let sig = cache.learn(t.apl()).unwrap();
                println!("full frame, format {sig:#06x} learned");
                Records::new(t.apl())
            }
            Some((Content::Compact, _)) => match cache.decode_compact(t.apl(), &mut full) {
                Ok(rs) => {
                    println!("compact frame, decoded");
                    rs
                }
                Err(e) => {
                    println!("compact frame, not decoded: {e}");
                    continue;
                }
            },
            _ => continue,
        };
        for r in rs {
            let r = r.unwrap();
            println!(
                "    storage {} {:?}: {} {}",
                r.storage,
                r.quantity(),
                r.value,
                r.unit()
            );
        }
    }
}
