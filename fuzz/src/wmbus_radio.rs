//! Fuzz targets of the webdyn-wmbus radio helpers: the sync-word search
//! over raw chips and the per-meter replay guard.

use std::collections::HashMap;

use crate::Target;
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::phy::Polarity;
use webdyn_wmbus::replay::{ACCESS_WINDOW, Counter, Meter, ReplayGuard};
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::syncword::{Mode, Scan, scan};
use webdyn_wmbus::telegram::decode;

/// The radio-helper targets.
pub const TARGETS: &[Target] = &[
    ("wmbus_syncword", sync_search),
    ("wmbus_replay", replay_guard),
];

/// Scans the chips for every sync word in turn; each hit lies inside the
/// input after the position searched from, and a decoded frame has the
/// length its L field and format announce and goes through the decoder.
pub fn sync_search(data: &[u8]) {
    let total = data.len() * 8;
    let mut from = 0;
    let mut out = [0u8; 300];
    let mut buf = [0u8; 300];
    while from < total {
        match scan(data, from, 6) {
            Scan::Found(s) => {
                assert!(s.sync_at >= from && s.data_at <= total && s.preamble_chips >= 6);
                assert!(s.mode == Mode::C || s.format == Format::A);
                for polarity in [Polarity::OneIsHighLow, Polarity::OneIsLowHigh] {
                    if let Ok(n) = s.decode_frame(data, polarity, &mut out) {
                        assert_eq!(n, s.frame_len(out[0]));
                        assert!(s.data_at + n * s.mode.chips_per_byte() <= total);
                        let _ = decode(&out[..n], FormatHint::Only(s.format), &NoKeys, &mut buf);
                    }
                }
                from = s.data_at;
            }
            Scan::NeedMore { sync_at } => {
                assert!(sync_at >= from && sync_at < total);
                break;
            }
            Scan::NotFound { keep_from } => {
                assert!(keep_from <= total);
                break;
            }
        }
    }
}

/// Each 3 bytes are one telegram: meter (0–7), counter kind and value. The
/// guard (8 slots: it never evicts here) must answer as a map of the last
/// accepted counters does.
pub fn replay_guard(data: &[u8]) {
    let mut guard = ReplayGuard::<8>::new();
    let mut mcr: HashMap<u8, u32> = HashMap::new();
    let mut acc: HashMap<u8, u8> = HashMap::new();
    for op in data.chunks_exact(3) {
        let id = op[0] & 7;
        let meter = Meter {
            manufacturer: 0x1593,
            address: webdyn_wmbus::dll::Address {
                id: u32::from(id),
                version: 1,
                device_type: 7,
            },
        };
        let (counter, expected) = if op[1] & 1 == 0 {
            let x = u32::from(op[2]) | (u32::from(op[1] >> 1) << 8);
            (Counter::Mcr(x), mcr.get(&id).is_none_or(|&l| x > l))
        } else {
            let x = op[2];
            let ok = acc
                .get(&id)
                .is_none_or(|&l| (1..=ACCESS_WINDOW).contains(&x.wrapping_sub(l)));
            (Counter::AccessNumber(x), ok)
        };
        let r = guard.accept(meter, counter);
        assert_eq!(r.is_ok(), expected, "{counter:?}");
        if let Ok(a) = r {
            assert!(a.evicted.is_none());
            match counter {
                Counter::Mcr(x) => mcr.insert(id, x),
                Counter::AccessNumber(x) => acc.insert(id, x).map(u32::from),
            };
        }
    }
    assert!(guard.len() <= 8);
}
