#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The streaming decoder on hand-made frames: every quirk, every counter,
//! and chunking independence.

use proptest::prelude::*;
use webdyn_tic::{Config, Decoder, ErrorKind, Event, FrameStatus, ModeSelect, Stats};

/// The historic BASE frame of tic.md §3.1, byte for byte.
const SPEC_HISTORIC: &str = "02 0a 41 44 43 4f 20 30 33 30 34 32 32 30 30 30 30 34 38 20 2e 0d 0a 4f 50 54 41 52 49 46 20 42 41 53
45 20 30 0d 0a 49 53 4f 55 53 43 20 33 30 20 39 0d 0a 42 41 53 45 20 30 31 32 33 34 35 36 37 38 20 2f
0d 0a 50 54 45 43 20 54 48 2e 2e 20 24 0d 0a 49 49 4e 53 54 20 30 30 35 20 5c 0d 0a 49 4d 41 58 20 30
39 30 20 48 0d 0a 50 41 50 50 20 30 30 36 39 30 20 30 0d 0a 48 48 50 48 43 20 41 20 2c 0d 0a 4d 4f 54
44 45 54 41 54 20 30 30 30 30 30 30 20 42 0d 03";

/// The short standard frame of tic.md §3.1.
const SPEC_STANDARD: &[u8] = b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\nDATE\tE240601120000\t\t.\r\nEAST\t000012345\t^\r\nSINSTS\t00450\tO\r\nSMAXSN\tE240601081503\t00980\t9\r\nSTGE\t003A0001\t:\r\x03";

fn spec_historic() -> Vec<u8> {
    webdyn_testkit::hex(SPEC_HISTORIC).unwrap()
}

/// Events as comparable text.
fn show(ev: &Event<'_>) -> String {
    match ev {
        Event::FrameStart { offset } => format!("start@{offset}"),
        Event::Group {
            group,
            offset,
            in_frame,
        } => format!(
            "group@{offset}{} {:?} {:?} {:?} {:?}",
            if *in_frame { "" } else { "(outside)" },
            group.label_str(),
            group.horodate_str(),
            group.data_str(),
            group.mode()
        ),
        Event::Invalid { error, raw, group } => format!(
            "invalid {:?}@{} raw={:?} split={}",
            error.kind,
            error.offset,
            String::from_utf8_lossy(raw),
            group.is_some()
        ),
        Event::FrameEnd(fe) => format!(
            "end {:?} {}..{} g={} e={} valid={}",
            fe.status,
            fe.start,
            fe.end,
            fe.groups,
            fe.errors,
            fe.is_valid()
        ),
    }
}

fn run_cfg(cfg: Config, chunks: &[&[u8]]) -> (Vec<String>, Stats) {
    let mut dec: Decoder = Decoder::with_config(cfg);
    let mut out = Vec::new();
    for c in chunks {
        dec.feed(c, |ev| out.push(show(&ev)));
    }
    (out, dec.stats())
}

fn run(bytes: &[u8]) -> (Vec<String>, Stats) {
    run_cfg(Config::default(), &[bytes])
}

#[test]
fn decoder_state_is_small() {
    // The documented size: well under 256 bytes with the default buffer.
    assert_eq!(core::mem::size_of::<Decoder>(), 216);
    assert!(core::mem::size_of::<Decoder>() < 256);
    assert!(core::mem::size_of::<Decoder<112>>() < core::mem::size_of::<Decoder>());
}

#[test]
fn spec_historic_frame_is_valid() {
    let bytes = spec_historic();
    let (ev, stats) = run(&bytes);
    assert_eq!(ev.len(), 12);
    assert_eq!(ev[0], "start@0");
    assert_eq!(ev[1], "group@1 \"ADCO\" None \"030422000048\" Historic");
    assert_eq!(ev[5], "group@69 \"PTEC\" None \"TH..\" Historic");
    assert_eq!(ev[10], "group@132 \"MOTDETAT\" None \"000000\" Historic");
    assert_eq!(
        ev[11],
        format!("end Complete 0..{} g=10 e=0 valid=true", bytes.len() - 1)
    );
    assert_eq!(stats.frames_valid, 1);
    assert_eq!(stats.groups_valid, 10);
    assert_eq!(stats.errors(), 0);
    assert_eq!(stats.skipped, 0);
}

#[test]
fn spec_standard_frame_is_valid() {
    let (ev, stats) = run(SPEC_STANDARD);
    assert_eq!(ev.len(), 9);
    assert_eq!(
        ev[3],
        "group@33 \"DATE\" Some(\"E240601120000\") \"\" Standard"
    );
    assert_eq!(
        ev[6],
        "group@90 \"SMAXSN\" Some(\"E240601081503\") \"00980\" Standard"
    );
    assert!(ev[8].ends_with("g=7 e=0 valid=true"));
    assert_eq!(stats.frames_valid, 1);
}

#[test]
fn forced_mode_rejects_the_other_mode() {
    let cfg = Config {
        mode: ModeSelect::Historic,
        ..Config::default()
    };
    let (ev, stats) = run_cfg(cfg, &[SPEC_STANDARD]);
    assert!(ev[1].starts_with("invalid WrongMode { found: Standard }@"));
    assert_eq!(stats.format, 7);
    assert_eq!(stats.frames_invalid, 1);
}

#[test]
fn checksum_counter_and_offset() {
    // IINST 006 with the checksum of 005: the error points at the checksum.
    let bytes = b"\x02\nIINST 006 \\\r\x03";
    let (ev, stats) = run(bytes);
    assert_eq!(
        ev[1],
        "invalid Checksum { expected: 93, found: 92 }@12 raw=\"IINST 006 \\\\\" split=true"
    );
    assert!(ev[2].ends_with("g=0 e=1 valid=false"));
    assert_eq!(stats.checksum, 1);
    assert_eq!(stats.frames_invalid, 1);
}

#[test]
fn bit6_change_passes_the_checksum() {
    // tic.md §3.2: 'q' and '1' differ by 0x40, invisible to the sum.
    let (_, stats) = run(b"\x02\nIINST 0q1 Y\r\x03");
    assert_eq!(stats.groups_valid, 1);
}

#[test]
fn eot_interrupts_and_keeps_checked_groups() {
    // linkytic #9 shape: ...\r EOT STX \n...
    let bytes = b"\x02\nIINST 005 \\\r\x04\x02\nPTEC HP..  \r\x03";
    let (ev, stats) = run(bytes);
    assert_eq!(ev[1], "group@1 \"IINST\" None \"005\" Historic");
    assert_eq!(ev[2], "end Interrupted 0..14 g=1 e=0 valid=false");
    assert_eq!(ev[3], "start@15");
    assert!(ev[5].ends_with("valid=true"));
    assert_eq!(stats.interrupted, 1);
    assert_eq!(stats.frames_valid, 1);
    assert_eq!(stats.frames_invalid, 1);
}

#[test]
fn noise_where_lf_belongs_resyncs() {
    // 0x0F instead of LF (esphome #17291): that group is lost, counted, and
    // the next LF resynchronises.
    let bytes = b"\x02\nIINST 005 \\\r\x0fPTEC HP..  \r\nIMAX 090 H\r\x03";
    let (ev, stats) = run(bytes);
    assert_eq!(
        ev[2],
        "invalid Unexpected { byte: 15 }@14 raw=\"\" split=false"
    );
    assert_eq!(ev[3], "group@27 \"IMAX\" None \"090\" Historic");
    assert!(ev[4].ends_with("g=2 e=1 valid=false"));
    assert_eq!(stats.format, 1);
    assert_eq!(stats.skipped, 12);
}

#[test]
fn cr_replaced_by_noise_cuts_the_group() {
    // CR became 0x0C: the group runs into the next one.
    let bytes = b"\x02\nIINST 005 \\\x0c\nPTEC HP..  \r\x03";
    let (ev, stats) = run(bytes);
    assert_eq!(
        ev[1],
        "invalid Truncated { byte: 12 }@13 raw=\"IINST 005 \\\\\" split=false"
    );
    assert_eq!(ev[2], "group@14 \"PTEC\" None \"HP..\" Historic");
    assert_eq!(stats.format, 1);
}

#[test]
fn lf_inside_a_group_restarts() {
    let bytes = b"\x02\nIINST 00\nPTEC HP..  \r\x03";
    let (ev, _) = run(bytes);
    assert_eq!(
        ev[1],
        "invalid Truncated { byte: 10 }@10 raw=\"IINST 00\" split=false"
    );
    assert_eq!(ev[2], "group@10 \"PTEC\" None \"HP..\" Historic");
}

#[test]
fn frame_cut_mid_group_by_stx() {
    let bytes = b"\x02\nIINST 005 \\\r\nPTEC H\x02\nIMAX 090 H\r\x03";
    let (ev, stats) = run(bytes);
    assert_eq!(
        ev[2],
        "invalid Truncated { byte: 2 }@21 raw=\"PTEC H\" split=false"
    );
    assert_eq!(ev[3], "end Unterminated 0..21 g=1 e=2 valid=false");
    assert_eq!(ev[4], "start@21");
    assert!(ev[6].ends_with("valid=true"));
    assert_eq!(stats.format, 2);
}

#[test]
fn oversize_counter() {
    let mut bytes = b"\x02\nMSG1 ".to_vec();
    bytes.extend(std::iter::repeat_n(b'A', 200));
    bytes.extend_from_slice(b" X\r\nIMAX 090 H\r\x03");
    let (ev, stats) = run(&bytes);
    assert!(ev[1].starts_with("invalid Oversize { capacity: 128 }@130 "));
    assert_eq!(ev[2], "group@210 \"IMAX\" None \"090\" Historic");
    assert_eq!(stats.oversize, 1);
    // A smaller buffer rejects a group the default one takes.
    let mut small: Decoder<8> = Decoder::new();
    let mut n = 0;
    small.feed(b"\x02\nADCO 030422000048 .\r\x03", |ev| {
        n += usize::from(matches!(ev, Event::Invalid { .. }))
    });
    assert_eq!((n, small.stats().oversize), (1, 1));
}

#[test]
fn longest_linky_group_fits() {
    let g = b"\x02\nPJOURF+1\t00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE\t.\r\x03";
    assert_eq!(g.len() - 2, 111);
    let (_, stats) = run(g);
    assert_eq!(stats.frames_valid, 1);
}

#[test]
fn parity_stripping_and_counter() {
    // 8-bit reads of 7E1: set bit 7 on every byte with an odd number of ones.
    let seven = b"\x02\nIINST 005 \\\r\x03";
    let mut eight: Vec<u8> = seven
        .iter()
        .map(|&b| if b.count_ones() % 2 == 1 { b | 0x80 } else { b })
        .collect();
    let cfg = Config {
        strip_parity: true,
        ..Config::default()
    };
    let (ev, stats) = run_cfg(cfg, &[&eight]);
    assert_eq!(ev[1], "group@1 \"IINST\" None \"005\" Historic");
    assert_eq!((stats.parity, stats.frames_valid), (0, 1));
    // Flip bit 7 of the '5': one parity error, the group is rejected even
    // though its 7-bit content is intact.
    eight[9] ^= 0x80;
    let (ev, stats) = run_cfg(cfg, &[&eight]);
    assert_eq!(ev[1], "invalid Parity@2 raw=\"IINST 005 \\\\\" split=false");
    assert_eq!((stats.parity, stats.frames_invalid), (1, 1));
    // Without stripping, a byte with bit 7 set is an invalid byte.
    let (ev, stats) = run(b"\x02\nIINST 00\xb5 \\\r\x03");
    assert_eq!(
        ev[1],
        "invalid InvalidByte { byte: 181 }@10 raw=\"IINST 00\u{fffd} \\\\\" split=false"
    );
    assert_eq!(stats.format, 1);
}

#[test]
fn hal_parity_flag() {
    let mut dec: Decoder = Decoder::new();
    let mut evs = Vec::new();
    for (i, &b) in b"\x02\nIINST 005 \\\r\x03".iter().enumerate() {
        dec.push_flagged(b, i == 4, |ev| evs.push(show(&ev)));
    }
    assert!(evs[1].starts_with("invalid Parity"));
    assert_eq!(dec.stats().parity, 1);
}

#[test]
fn bytes_before_first_stx_are_skipped_or_reported() {
    // A stream that starts mid-frame (the teleinfo-nom legacy capture does).
    let bytes = b"HP..  \r\nIINST 005 \\\r\x03\x02\nIMAX 090 H\r\x03";
    let (ev, stats) = run(bytes);
    assert_eq!(ev[0], "start@21");
    assert_eq!(stats.skipped, 21);
    let cfg = Config {
        groups_outside_frames: true,
        ..Config::default()
    };
    let (ev, _) = run_cfg(cfg, &[bytes]);
    assert_eq!(ev[0], "group@7(outside) \"IINST\" None \"005\" Historic");
    assert_eq!(ev[1], "start@21");
}

#[test]
fn finish_reports_a_cut_frame() {
    let mut dec: Decoder = Decoder::new();
    let mut evs = Vec::new();
    dec.feed(b"\x02\nIINST 005 \\\r\nPTEC", |ev| evs.push(show(&ev)));
    dec.finish(|ev| evs.push(show(&ev)));
    assert_eq!(
        evs[2],
        "invalid Truncated { byte: 0 }@19 raw=\"PTEC\" split=false"
    );
    assert_eq!(evs[3], "end Unterminated 0..19 g=1 e=2 valid=false");
}

#[test]
fn empty_frame_is_not_valid() {
    let (ev, _) = run(b"\x02\x03");
    assert_eq!(ev[1], "end Complete 0..1 g=0 e=0 valid=false");
}

fn chunked(bytes: &[u8], cuts: &[usize]) -> Vec<String> {
    let mut dec: Decoder = Decoder::new();
    let mut out = Vec::new();
    let mut prev = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    for c in cuts.into_iter().chain([bytes.len()]) {
        dec.feed(&bytes[prev..c], |ev| out.push(show(&ev)));
        prev = c;
    }
    out
}

/// A stream with every kind of damage in it.
fn messy_stream() -> Vec<u8> {
    let mut s = b"junk\r\n".to_vec();
    s.extend(spec_historic());
    s.extend_from_slice(SPEC_STANDARD);
    s.extend_from_slice(b"\x02\nIINST 006 \\\r\x0fX\r\nPTEC H\x04\x02\nA\tB\tC\tD\tE\r\x03\x03\x02\nIMAX 090 H\x0c\n");
    s.extend(std::iter::repeat_n(b'Z', 300));
    s.extend_from_slice(b"\r\x03");
    s.extend_from_slice(SPEC_STANDARD);
    s
}

#[test]
fn byte_at_a_time_equals_whole() {
    let s = messy_stream();
    let whole = run(&s).0;
    let mut dec: Decoder = Decoder::new();
    let mut out = Vec::new();
    for &b in &s {
        dec.push(b, |ev| out.push(show(&ev)));
    }
    assert_eq!(out, whole);
    assert!(whole.len() > 30);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_chunking_equals_whole(cuts in proptest::collection::vec(any::<usize>(), 0..40)) {
        let s = messy_stream();
        prop_assert_eq!(chunked(&s, &cuts), run(&s).0);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_chunking_is_invisible(
        bytes in proptest::collection::vec(prop_oneof![
            Just(0x02u8), Just(0x03), Just(0x04), Just(0x0a), Just(0x0d), Just(0x09), Just(0x20),
            0x20u8..0x7f, any::<u8>()], 0..400),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
    ) {
        prop_assert_eq!(chunked(&bytes, &cuts), run(&bytes).0);
    }
}

#[test]
fn status_enum_is_exposed() {
    let (_, _) = run(b"");
    assert_ne!(FrameStatus::Complete, FrameStatus::Interrupted);
    let _ = ErrorKind::Parity;
}
