//! Fuzz targets of webdyn-tic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::Target;
use webdyn_tic::{
    Config, DayProfile, Decoder, Event, Field, Frame, Group, Horodate, MeterAddress, MeterMap,
    MeterState, ModeSelect, Stge,
};

/// The TIC targets.
pub const TARGETS: &[Target] = &[("tic_stream", stream), ("tic_typed", typed)];

fn events(cfg: Config, data: &[u8], chunk: usize) -> Vec<String> {
    let mut dec: Decoder = Decoder::with_config(cfg);
    let mut out = Vec::new();
    for c in data.chunks(chunk.max(1)) {
        dec.feed(c, |ev| out.push(format!("{ev:?}")));
    }
    dec.finish(|ev| out.push(format!("{ev:?}")));
    out
}

/// The streaming decoder with arbitrary chunking: the first two bytes pick
/// the configuration and a chunk size; the events must not depend on it.
pub fn stream(data: &[u8]) {
    let [sel, chunk, data @ ..] = data else {
        return;
    };
    let cfg = Config {
        mode: match sel % 3 {
            0 => ModeSelect::Auto,
            1 => ModeSelect::Historic,
            _ => ModeSelect::Standard,
        },
        strip_parity: sel & 0x04 != 0,
        groups_outside_frames: sel & 0x08 != 0,
        repair_lf: sel & 0x10 != 0,
    };
    let whole = events(cfg, data, data.len());
    let parts = events(cfg, data, usize::from(*chunk));
    assert_eq!(whole, parts, "chunking changed the events");
    let bytes_one = events(cfg, data, 1);
    assert_eq!(whole, bytes_one, "byte-at-a-time changed the events");
    // Repairing corrupted LFs changes nothing on input that has none.
    if cfg.repair_lf && !data.iter().any(|b| matches!(b & 0x7F, 0x0B | 0x0E | 0x0F)) {
        let strict = Config {
            repair_lf: false,
            ..cfg
        };
        assert_eq!(
            whole,
            events(strict, data, data.len()),
            "repair_lf on clean input"
        );
    }
    // Every valid group re-encodes to a group that parses back the same.
    let mut dec: Decoder = Decoder::with_config(cfg);
    dec.feed(data, |ev| {
        if let Event::Group { group, .. } = ev {
            let mut buf = vec![0u8; group.encoded_len()];
            let n = group.emit(&mut buf).unwrap();
            let again = Group::parse(&buf[1..n - 1], cfg.mode).unwrap();
            assert_eq!(again, group);
        }
    });
    // The borrowed view never panics either.
    for g in Frame::new(data).groups(cfg.mode) {
        let _ = g.map(|g| Field::decode(&g));
    }
}

/// The typed layer on arbitrary group bodies and fields.
pub fn typed(data: &[u8]) {
    let _ = Horodate::parse(data);
    let _ = Stge::parse(data);
    let _ = DayProfile::parse(data);
    let _ = MeterAddress::parse(data);
    let mut fixed: MeterState<8, 16> = MeterState::new();
    let mut map = MeterMap::new();
    for body in data.split(|&b| b == b'\n') {
        for sel in [ModeSelect::Auto, ModeSelect::Historic, ModeSelect::Standard] {
            if let Ok(g) = Group::split(body, sel) {
                let _ = Field::decode(&g);
                fixed.update(&g);
                map.update(&g);
                if let Some(h) = g.horodate()
                    && let Ok(h) = Horodate::parse(h)
                {
                    assert_eq!(Horodate::parse(&h.to_bytes()), Ok(h));
                }
            }
        }
    }
    let _ = (fixed.billing_index(), fixed.distributor_index());
    let _ = map.billing_index();
    assert!(fixed.len() <= 8);
}
