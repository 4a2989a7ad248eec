#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! `Config::repair_lf`: 0x0B / 0x0E / 0x0F in the place of LF (esphome
//! #17291, linkytic #67), on frames built from the specification's
//! examples (tic.md §3.1), in both modes.

use proptest::prelude::*;
use webdyn_tic::{Config, Decoder, Event, FrameWriter, Mode, Stats};

/// The short standard frame of tic.md §3.1.
const SPEC_STANDARD: &[u8] = b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\nDATE\tE240601120000\t\t.\r\nEAST\t000012345\t^\r\nSINSTS\t00450\tO\r\nSMAXSN\tE240601081503\t00980\t9\r\nSTGE\t003A0001\t:\r\x03";

/// A historic frame of tic.md §3.1 worked groups.
const SPEC_HISTORIC: &[u8] = b"\x02\nADCO 030422000048 .\r\nOPTARIF HC.. <\r\nHCHC 036395657 2\r\nHCHP 039661265 9\r\nPTEC HC.. S\r\nIINST 011 Y\r\nIMAX 031 C\r\nPAPP 02570 /\r\x03";

const REPAIR: Config = Config {
    mode: webdyn_tic::ModeSelect::Auto,
    strip_parity: false,
    groups_outside_frames: false,
    repair_lf: true,
};

/// Valid groups as (label, value), frame verdicts, and the counters.
fn decode(cfg: Config, chunks: &[&[u8]]) -> (Vec<(String, String)>, Vec<bool>, Stats) {
    let mut dec: Decoder = Decoder::with_config(cfg);
    let mut groups = Vec::new();
    let mut frames = Vec::new();
    for c in chunks {
        dec.feed(c, |ev| match ev {
            Event::Group { group, .. } => {
                groups.push((group.label_str().to_owned(), group.data_str().to_owned()))
            }
            Event::FrameEnd(end) => frames.push(end.is_valid()),
            _ => {}
        });
    }
    (groups, frames, dec.stats())
}

/// Replaces the LF of the `n`th group (0-based, counted in `frame`) by
/// `noise`, for each `(n, noise)`.
fn corrupt(frame: &[u8], edits: &[(usize, u8)]) -> Vec<u8> {
    let lfs: Vec<usize> = frame
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let mut v = frame.to_vec();
    for &(n, noise) in edits {
        v[lfs[n]] = noise;
    }
    v
}

fn labels(groups: &[(String, String)]) -> Vec<&str> {
    groups.iter().map(|(l, _)| l.as_str()).collect()
}

#[test]
fn historic_group_after_noisy_lf_is_kept() {
    // PTEC (group 4) behind 0x0F, as in the esphome #17291 trace `0D 0F`.
    let bytes = corrupt(SPEC_HISTORIC, &[(4, 0x0F)]);
    let (strict, verdicts, stats) = decode(Config::default(), &[&bytes]);
    assert!(!labels(&strict).contains(&"PTEC"), "dropped by default");
    assert_eq!(verdicts, [false]);
    assert_eq!((stats.format, stats.lf_repaired), (1, 0));

    let (repaired, verdicts, stats) = decode(REPAIR, &[&bytes]);
    assert_eq!(
        labels(&repaired),
        [
            "ADCO", "OPTARIF", "HCHC", "HCHP", "PTEC", "IINST", "IMAX", "PAPP"
        ]
    );
    assert_eq!(repaired[4], ("PTEC".into(), "HC..".into()));
    assert_eq!(verdicts, [true]);
    assert_eq!(stats.lf_repaired, 1);
    assert_eq!(stats.errors(), 0);
    assert_eq!(stats.groups_valid, 8);
    assert_eq!(stats.skipped, 0);
}

#[test]
fn standard_groups_after_each_noise_byte_are_kept() {
    // 0x0E before VTIC, 0x0B before DATE (empty value), 0x0F before the
    // horodated SMAXSN.
    let bytes = corrupt(SPEC_STANDARD, &[(1, 0x0E), (2, 0x0B), (5, 0x0F)]);
    let (strict, _, stats) = decode(Config::default(), &[&bytes]);
    assert_eq!(labels(&strict), ["ADSC", "EAST", "SINSTS", "STGE"]);
    // VTIC and DATE are lost together: one error, skipped to EAST's LF.
    assert_eq!(stats.format, 2);

    let (repaired, verdicts, stats) = decode(REPAIR, &[&bytes]);
    assert_eq!(
        labels(&repaired),
        ["ADSC", "VTIC", "DATE", "EAST", "SINSTS", "SMAXSN", "STGE"]
    );
    assert_eq!(repaired[2].1, "");
    assert_eq!(repaired[5].1, "00980");
    assert_eq!(verdicts, [true]);
    assert_eq!((stats.lf_repaired, stats.errors()), (3, 0));
}

#[test]
fn noise_as_the_first_lf_after_stx() {
    let bytes = corrupt(SPEC_STANDARD, &[(0, 0x0F)]);
    let (groups, verdicts, stats) = decode(REPAIR, &[&bytes]);
    assert_eq!(groups[0], ("ADSC".into(), "041662343035".into()));
    assert_eq!(verdicts, [true]);
    assert_eq!(stats.lf_repaired, 1);
}

#[test]
fn repaired_group_must_still_pass_its_checksum() {
    // The repair forgives the separator only: a wrong checksum behind it
    // is still an error.
    let bytes = b"\x02\nIINST 011 Y\r\x0fIINST 012 Y\r\x03";
    let (groups, verdicts, stats) = decode(REPAIR, &[bytes]);
    assert_eq!(labels(&groups), ["IINST"]);
    assert_eq!(verdicts, [false]);
    assert_eq!((stats.lf_repaired, stats.checksum), (1, 1));
}

#[test]
fn other_control_bytes_are_not_repaired() {
    // 0x0C and 0x08 are not LF with bit 0 / bit 2 flipped.
    for noise in [0x0C, 0x08, 0x01, 0x1A] {
        let bytes = corrupt(SPEC_HISTORIC, &[(4, noise)]);
        let (groups, _, stats) = decode(REPAIR, &[&bytes]);
        assert!(!labels(&groups).contains(&"PTEC"), "{noise:#x}");
        assert_eq!((stats.lf_repaired, stats.format), (0, 1));
    }
}

#[test]
fn resynchronises_after_a_damaged_group() {
    // CR of IINST turned into 0x0C (the group is cut) and the next LF into
    // 0x0F: the decoder skips to the noisy LF and keeps PTEC.
    let bytes = b"\x02\nIINST 011 Y\x0c\x0fPTEC HP..  \r\nIMAX 031 C\r\x03";
    let (strict, _, _) = decode(Config::default(), &[bytes]);
    assert_eq!(labels(&strict), ["IMAX"]);
    let (groups, verdicts, stats) = decode(REPAIR, &[bytes]);
    assert_eq!(labels(&groups), ["PTEC", "IMAX"]);
    assert_eq!(groups[0].1, "HP..");
    assert_eq!(verdicts, [false], "the cut IINST group is an error");
    assert_eq!((stats.lf_repaired, stats.format), (1, 1));
}

#[test]
fn outside_frames_too_when_asked() {
    // A stream that starts mid-frame, its first full group behind 0x0E.
    let bytes = b"HP..  \r\x0eIINST 005 \\\r\x03\x02\nIMAX 090 H\r\x03";
    let cfg = Config {
        groups_outside_frames: true,
        ..REPAIR
    };
    let (groups, _, stats) = decode(cfg, &[bytes]);
    assert_eq!(labels(&groups), ["IINST", "IMAX"]);
    assert_eq!(stats.lf_repaired, 1);
    // Without groups_outside_frames the noise is skipped like the rest.
    let (groups, _, stats) = decode(REPAIR, &[bytes]);
    assert_eq!(labels(&groups), ["IMAX"]);
    assert_eq!((stats.lf_repaired, stats.skipped), (0, 21));
}

#[test]
fn split_across_chunks_and_byte_at_a_time() {
    let bytes = corrupt(SPEC_STANDARD, &[(3, 0x0F), (6, 0x0B)]);
    let whole = decode(REPAIR, &[&bytes]);
    assert_eq!(whole.2.lf_repaired, 2);
    let ones: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode(REPAIR, &ones), whole);
    for cut in 0..bytes.len() {
        let (a, b) = bytes.split_at(cut);
        assert_eq!(decode(REPAIR, &[a, b]), whole, "cut at {cut}");
    }
}

/// Clean frames in either mode: random labels and values through the
/// encoder, several frames back to back.
fn clean_stream() -> impl Strategy<Value = Vec<u8>> {
    let group = (
        "[A-Z][A-Z0-9+-]{0,8}",
        proptest::option::of("[EeHh ][0-9]{12}"),
        "[ -~]{0,20}",
    );
    let frame = (any::<bool>(), proptest::collection::vec(group, 1..8));
    proptest::collection::vec(frame, 1..4).prop_map(|frames| {
        let mut out = Vec::new();
        for (standard, groups) in frames {
            let mode = if standard {
                Mode::Standard
            } else {
                Mode::Historic
            };
            let mut buf = vec![0u8; 4096];
            let mut w = FrameWriter::new(&mut buf, mode).unwrap();
            for (l, h, v) in &groups {
                // Historic values cannot end with a space in the encoder's
                // round trip; horodates are standard-only.
                let v = if standard {
                    v.replace('\t', " ")
                } else {
                    v.trim_end().to_owned()
                };
                let h = h.as_deref().filter(|_| standard);
                w.group(l.as_bytes(), h.map(str::as_bytes), v.as_bytes())
                    .unwrap();
            }
            let n = w.finish().unwrap();
            out.extend_from_slice(&buf[..n]);
        }
        out
    })
}

fn events(cfg: Config, bytes: &[u8], chunk: usize) -> Vec<String> {
    let mut dec: Decoder = Decoder::with_config(cfg);
    let mut out = Vec::new();
    for c in bytes.chunks(chunk.max(1)) {
        dec.feed(c, |ev| out.push(format!("{ev:?}")));
    }
    dec.finish(|ev| out.push(format!("{ev:?}")));
    out.push(format!("{:?}", dec.stats()));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// On input without 0x0B/0x0E/0x0F (bit 7 aside), the option changes nothing: same
    /// events, same offsets, same counters, whatever the chunking and the
    /// other options.
    #[test]
    fn option_is_invisible_on_clean_input(
        clean in clean_stream(),
        junk in proptest::collection::vec(
            prop_oneof![Just(0x02u8), Just(0x03), Just(0x04), Just(0x0a), Just(0x0d),
                        Just(0x09), 0x20u8..0x7f, any::<u8>()], 0..120),
        chunk in 1usize..64,
        outside in any::<bool>(),
        parity in any::<bool>(),
    ) {
        let mut bytes = clean;
        // Clean even once bit 7 is stripped (strip_parity).
        bytes.extend(junk.into_iter().filter(|b| !matches!(b & 0x7F, 0x0B | 0x0E | 0x0F)));
        let strict = Config { groups_outside_frames: outside, strip_parity: parity, ..Config::default() };
        let lenient = Config { repair_lf: true, ..strict };
        let a = events(strict, &bytes, chunk);
        prop_assert_eq!(&a, &events(lenient, &bytes, chunk));
        prop_assert_eq!(&a, &events(lenient, &bytes, bytes.len()));
    }

    /// Corrupting any LF of a clean stream with one of the three bytes
    /// loses nothing with the option on, and each repair is counted.
    #[test]
    fn every_corrupted_lf_is_recovered(
        clean in clean_stream(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..3), 1..6),
    ) {
        let expected = decode(Config::default(), &[&clean]);
        let lfs: Vec<usize> = clean.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect();
        let mut bytes = clean.clone();
        let mut hit = std::collections::BTreeSet::new();
        for (ix, which) in picks {
            let at = lfs[ix.index(lfs.len())];
            bytes[at] = [0x0B, 0x0E, 0x0F][which];
            hit.insert(at);
        }
        let (groups, verdicts, stats) = decode(REPAIR, &[&bytes]);
        prop_assert_eq!(&groups, &expected.0);
        prop_assert_eq!(&verdicts, &expected.1);
        prop_assert_eq!(stats.lf_repaired as usize, hit.len());
        prop_assert_eq!(Stats { lf_repaired: 0, ..stats }, expected.2);
    }
}
