//! Full wireless M-Bus decode (CRC check, DLL, TPL, AES decryption where
//! keyed, every record iterated) of a mixed set of plain and mode-5
//! telegrams: webdyn-wmbus vs m-bus-parser 0.5 with its `decryption`
//! feature, same bytes, same run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use webdyn_wmbus::app::Records;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::Key;
use webdyn_wmbus::telegram::{SecurityState, decode};
use webdyn_wmbus::{dll, tpl};

const KEY: [u8; 16] = [
    0x5A, 0x17, 0x42, 0x99, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x10, 0x32, 0x54, 0x76,
];

/// Deterministic telegrams: half plain, half mode 5 (all with the same
/// meter key), each format A with CRCs, 3-6 records of typical meters.
fn telegrams() -> Vec<(u32, Vec<u8>)> {
    let mut out = Vec::new();
    let key = Key::new(KEY);
    for i in 0u32..16 {
        let bcd = ((i / 10) << 4) | (i % 10);
        let id = 0x1000_0000 + bcd * 0x0101; // BCD ids
        let mut apl = vec![0x2F, 0x2F];
        // 0C 13: 8-digit BCD volume (litres); 04 6D: date-time F; 02 FD 17: error flags;
        // 44 13: storage-1 volume; 42 6C: storage-1 date G; 84 01 13 (tariff via DIFE) on odd ids.
        // BCD digits only (the 0C record is 8-digit BCD).
        let v = 0x0012_3400u32 + bcd;
        apl.extend_from_slice(&[0x0C, 0x13]);
        apl.extend_from_slice(&v.to_le_bytes());
        apl.extend_from_slice(&[0x04, 0x6D, 0x32, 0x37, 0x1F, 0x15]);
        apl.extend_from_slice(&[0x02, 0xFD, 0x17, 0x00, 0x00]);
        apl.extend_from_slice(&[0x44, 0x13]);
        apl.extend_from_slice(&(v - 100).to_le_bytes());
        apl.extend_from_slice(&[0x42, 0x6C, 0xFF, 0x2C]);
        if i % 2 == 1 {
            apl.extend_from_slice(&[0x84, 0x10, 0x13, 0x01, 0x02, 0x03, 0x04]);
        }
        let encrypted = i % 2 == 0;
        while encrypted && !apl.len().is_multiple_of(16) {
            apl.push(0x2F);
        }
        let blocks = (apl.len() / 16) as u8;
        let config = if encrypted {
            tpl::Config::encrypted(5, blocks, 0).0
        } else {
            0
        };
        let repr = TelegramRepr {
            dll: dll::Repr {
                control: 0x44,
                manufacturer: 0x4C30, // SAP
                address: dll::Address {
                    id,
                    version: 0x14,
                    device_type: 0x07,
                },
            },
            ell: None,
            afl: None,
            tpl: tpl::Repr {
                ci: 0x7A,
                header: tpl::Header::Short(tpl::ShortHeader {
                    access_number: i as u8,
                    status: 0,
                    config,
                }),
                config_ext: None,
            },
            apl: &apl,
        };
        let mut scratch = [0u8; 256];
        let mut air = [0u8; 300];
        let n = encode(&repr, Format::A, Some(&key), &mut scratch, &mut air).unwrap();
        out.push((id, air[..n].to_vec()));
    }
    out
}

fn ours(set: &[(u32, Vec<u8>)], keys: &[(u32, Key)]) -> usize {
    let mut buf = [0u8; 256];
    let mut n = 0;
    for (_, t) in set {
        let d = decode(t, FormatHint::Auto, keys, &mut buf).unwrap();
        debug_assert!(matches!(
            d.security.state,
            SecurityState::Plain | SecurityState::Decrypted
        ));
        for r in Records::new(d.apl()) {
            let r = r.unwrap();
            n += black_box(&r.value) as *const _ as usize & 1;
            n += 1;
        }
    }
    n
}

fn peer(set: &[(u32, Vec<u8>)], records: bool) -> usize {
    use m_bus_parser::decryption::StaticKeyProvider;
    use m_bus_parser::mbus_data::MbusData;
    use m_bus_parser::user_data::{DataRecords, UserDataBlock};
    use m_bus_parser::{FormatAFrame, WirelessFrame};
    let mut n = 0;
    let mut stripped = [0u8; 256];
    let mut plain = [0u8; 256];
    for (_, t) in set {
        let f = FormatAFrame::new(t).unwrap();
        let len = f.len();
        for (d, b) in stripped.iter_mut().zip(f.bytes()) {
            *d = b;
        }
        let parsed = MbusData::<WirelessFrame>::try_from(&stripped[..len]).unwrap();
        let m = &parsed.frame.manufacturer_id;
        let encrypted = matches!(&parsed.user_data, Some(UserDataBlock::VariableDataStructureWithShortTplHeader { short_tpl_header, .. }) if short_tpl_header.is_encrypted());
        if encrypted {
            let mut provider = StaticKeyProvider::<1>::new();
            provider
                .add_key(
                    m.manufacturer_code.to_id(),
                    m.identification_number.number,
                    KEY,
                )
                .unwrap();
            let ud = parsed.user_data.as_ref().unwrap();
            let len = ud
                .decrypt_variable_data_with_context(
                    &provider,
                    m.manufacturer_code,
                    m.identification_number.number,
                    m.version,
                    m.device_type,
                    &mut plain,
                )
                .unwrap();
            if !records {
                n += len;
                continue;
            }
            for r in DataRecords::new(&plain[..len], None) {
                let r = r.unwrap_or_else(|e| panic!("{e:?} in {:02X?}", &plain[..len]));
                n += black_box(&r) as *const _ as usize & 1;
                n += 1;
            }
        } else if !records {
            n += usize::from(parsed.data_records.is_some());
        } else if let Some(records) = parsed.data_records {
            for r in records {
                let r = r.unwrap_or_else(|e| panic!("{e:?} in {t:02X?}"));
                n += black_box(&r) as *const _ as usize & 1;
                n += 1;
            }
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let set = telegrams();
    let keys: Vec<(u32, Key)> = set.iter().map(|(id, _)| (*id, Key::new(KEY))).collect();
    // Both decoders see every record of every telegram.
    let (a, b) = (ours(&set, &keys), peer(&set, true));
    assert!(a > 0 && b > 0);
    let mut g = c.benchmark_group("wmbus_full_decode");
    g.throughput(Throughput::Elements(set.len() as u64));
    g.bench_function("webdyn-wmbus", |bch| {
        bch.iter(|| ours(black_box(&set), &keys))
    });
    g.bench_function("m-bus-parser", |bch| {
        bch.iter(|| peer(black_box(&set), true))
    });
    g.finish();
    // Where the time goes: link/transport/security only, then records only.
    let mut g = c.benchmark_group("wmbus_parts");
    g.throughput(Throughput::Elements(set.len() as u64));
    g.bench_function("webdyn-wmbus decode without records", |bch| {
        bch.iter(|| {
            let mut buf = [0u8; 256];
            let mut n = 0;
            for (_, t) in black_box(&set) {
                n += decode(t, FormatHint::Auto, &keys[..], &mut buf)
                    .unwrap()
                    .apl()
                    .len();
            }
            n
        })
    });
    g.bench_function("m-bus-parser decode without records", |bch| {
        bch.iter(|| peer(black_box(&set), false))
    });
    let plains: Vec<Vec<u8>> = set
        .iter()
        .map(|(_, t)| {
            let mut buf = [0u8; 256];
            decode(t, FormatHint::Auto, &keys[..], &mut buf)
                .unwrap()
                .apl()
                .to_vec()
        })
        .collect();
    g.bench_function("webdyn-wmbus records only", |bch| {
        bch.iter(|| {
            let mut n = 0;
            for p in black_box(&plains) {
                n += Records::new(p).count();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
