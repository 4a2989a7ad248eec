//! Raw captures built from EN 13757-4's preamble and sync words around the
//! Amber AMB8426-M manual's mode-5 telegram: found at any bit offset,
//! line-decoded, and decoded through the telegram path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_wmbus::frame::{self, Format, FormatHint};
use webdyn_wmbus::phy::{self, Polarity};
use webdyn_wmbus::security::Key;
use webdyn_wmbus::syncword::{Mode, Scan, Sync, scan};
use webdyn_wmbus::telegram::{SecurityState, decode};

/// The manual's example, CRCs stripped (L = 0x1E).
const FRAME: [u8; 31] = [
    0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05, 0x1E,
    0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F, 0xE6, 0xC3, 0xF7,
];

/// A chip stream being written bit by bit.
#[derive(Default)]
struct Chips {
    bits: Vec<u8>,
}

impl Chips {
    fn push(&mut self, value: u64, n: usize) -> &mut Self {
        for i in (0..n).rev() {
            self.bits.push(((value >> i) & 1) as u8);
        }
        self
    }
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        for &x in b {
            self.push(u64::from(x), 8);
        }
        self
    }
    /// `01` pairs.
    fn preamble(&mut self, pairs: usize) -> &mut Self {
        for _ in 0..pairs {
            self.push(0b01, 2);
        }
        self
    }
    fn len(&self) -> usize {
        self.bits.len()
    }
    fn packed(&self) -> Vec<u8> {
        self.bits
            .chunks(8)
            .map(|c| {
                c.iter()
                    .enumerate()
                    .fold(0u8, |a, (i, &b)| a | (b << (7 - i)))
            })
            .collect()
    }
}

/// The on-air frame in `format` (with its CRCs).
fn on_air(format: Format) -> Vec<u8> {
    let mut out = [0u8; 64];
    let n = frame::add_crcs(&FRAME, format, &mut out).unwrap();
    out[..n].to_vec()
}

/// A capture: `noise` zero chips, the mode's preamble and sync word, the
/// line-coded frame, and a few trailing chips. Returns the chips and the
/// chip index of the first data chip.
fn capture(mode: Mode, format: Format, noise: usize) -> (Vec<u8>, usize, Vec<u8>) {
    let air = on_air(format);
    let mut c = Chips::default();
    c.push(0, noise);
    match mode {
        // T1: n ≥ 19 pairs, sync 0000111101.
        Mode::T => {
            c.preamble(19).push(0x03D, 10);
            let at = c.len();
            let mut coded = vec![0u8; phy::len_3of6(air.len())];
            phy::encode_3of6(&air, &mut coded).unwrap();
            // Exactly 12 chips per byte (the encoder pads the last byte).
            let mut bits = Chips::default();
            bits.bytes(&coded);
            c.bits.extend_from_slice(&bits.bits[..air.len() * 12]);
            (c.push(0b1010, 4).packed(), at, air)
        }
        // C1: preamble, 0x543D (its 010101 counted in the preamble), then
        // 0x54CD for format A or 0x543D for format B.
        Mode::C => {
            c.preamble(16).push(0x03D, 10);
            c.push(if format == Format::A { 0x54CD } else { 0x543D }, 16);
            let at = c.len();
            (c.bytes(&air).push(0b0110, 4).packed(), at, air)
        }
        // S1: 0x07696 after the preamble (receivers do not need 279 pairs:
        // 40 here), Manchester data with 1 = 10.
        Mode::S => {
            c.preamble(40).push(0x07696, 18);
            let at = c.len();
            let mut coded = vec![0u8; air.len() * 2];
            phy::encode_manchester(&air, Polarity::OneIsHighLow, &mut coded).unwrap();
            (c.bytes(&coded).push(0b11, 2).packed(), at, air)
        }
    }
}

fn found(chips: &[u8], min_preamble: usize) -> Sync {
    match scan(chips, 0, min_preamble) {
        Scan::Found(s) => s,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_mode_found_decoded_and_the_telegram_read() {
    let key = Key::new(core::array::from_fn(|i| i as u8));
    for (mode, format) in [
        (Mode::T, Format::A),
        (Mode::C, Format::A),
        (Mode::C, Format::B),
        (Mode::S, Format::A),
    ] {
        for noise in [0, 3, 13] {
            let (chips, data_at, air) = capture(mode, format, noise);
            let s = found(&chips, 32);
            assert_eq!((s.mode, s.format), (mode, format), "{mode:?} {noise}");
            assert_eq!(s.data_at, data_at, "{mode:?} {noise}");
            let mut out = [0u8; 128];
            let n = s
                .decode_frame(&chips, Polarity::OneIsHighLow, &mut out)
                .unwrap();
            assert_eq!(&out[..n], &air[..], "{mode:?} {format:?}");
            let mut buf = [0u8; 128];
            let t = decode(&out[..n], FormatHint::Only(format), &key, &mut buf).unwrap();
            assert_eq!(t.security.state, SecurityState::Decrypted);
            assert_eq!(&t.apl()[..2], &[0x2F, 0x2F]);
        }
    }
}

#[test]
fn preamble_length_is_measured_and_enforced() {
    let (chips, _, _) = capture(Mode::T, Format::A, 5);
    // 19 pairs = 38 chips; the zero noise before does not alternate.
    let s = found(&chips, 38);
    assert_eq!(s.preamble_chips, 38);
    assert_eq!(s.sync_at, 5 + 38);
    assert!(matches!(scan(&chips, 0, 39), Scan::NotFound { .. }));
    let (chips, _, _) = capture(Mode::S, Format::A, 0);
    assert_eq!(found(&chips, 80).preamble_chips, 80);
}

#[test]
fn a_stray_zero_before_the_sync_word_is_tolerated() {
    // Engelmann meters send one 0 chip between preamble and sync word.
    let air = on_air(Format::B);
    let mut c = Chips::default();
    c.push(0b00, 2)
        .preamble(16)
        .push(0, 1)
        .push(0x03D, 10)
        .push(0x543D, 16);
    let data_at = c.len();
    let chips = c.bytes(&air).packed();
    let s = found(&chips, 32);
    assert_eq!((s.mode, s.format), (Mode::C, Format::B));
    assert!(s.stray_zero);
    assert_eq!((s.preamble_chips, s.sync_at, s.data_at), (32, 35, data_at));
    let mut out = [0u8; 64];
    let n = s
        .decode_frame(&chips, Polarity::OneIsHighLow, &mut out)
        .unwrap();
    assert_eq!(&out[..n], &air[..]);
    // Without it, the flag is off.
    let (chips, _, _) = capture(Mode::C, Format::B, 0);
    assert!(!found(&chips, 32).stray_zero);
    // Two zeros are not a preamble: nothing found.
    let mut c = Chips::default();
    c.preamble(16).push(0, 2).push(0x03D, 10).push(0x543D, 16);
    let chips = c.bytes(&air).packed();
    assert!(!matches!(scan(&chips, 0, 32), Scan::Found(_)));
}

#[test]
fn a_capture_cut_short_says_what_is_missing() {
    let (chips, _, _) = capture(Mode::C, Format::A, 0);
    let s = found(&chips, 32);
    let mut out = [0u8; 128];
    // Cut inside the last CRC: the frame needs more chips.
    let cut = &chips[..chips.len() - 2];
    let e = s
        .decode_frame(cut, Polarity::OneIsHighLow, &mut out)
        .unwrap_err();
    assert!(
        matches!(e.kind, webdyn_wmbus::ErrorKind::Truncated { .. }),
        "{e}"
    );
    // Too small an output buffer.
    let e = s
        .decode_frame(&chips, Polarity::OneIsHighLow, &mut out[..10])
        .unwrap_err();
    assert_eq!(
        e.kind,
        webdyn_wmbus::ErrorKind::BufferTooSmall {
            needed: on_air(Format::A).len()
        }
    );
    // A T-mode stream with a broken code word: the chip byte is named.
    let (mut chips, data_at, _) = capture(Mode::T, Format::A, 0);
    let at = data_at + 12 * 3; // the fourth byte's high nibble
    for i in at..at + 6 {
        chips[i / 8] &= !(0x80 >> (i % 8)); // 000000, no code word
    }
    let s = found(&chips, 32);
    let e = s
        .decode_frame(&chips, Polarity::OneIsHighLow, &mut out)
        .unwrap_err();
    assert_eq!(e.kind, webdyn_wmbus::ErrorKind::BadSymbol(0));
    assert_eq!(e.offset, at / 8);
}

#[test]
fn streaming_refill_keeps_what_scan_asks_for() {
    // Feed a C capture in 5-byte chunks, keeping what NotFound / NeedMore
    // say to keep, as a receiver loop would.
    let (chips, _, air) = capture(Mode::C, Format::B, 11);
    let mut buf: Vec<u8> = Vec::new();
    let mut dropped = 0usize; // chip bytes dropped from the front
    let mut result = None;
    for chunk in chips.chunks(5) {
        buf.extend_from_slice(chunk);
        match scan(&buf, 0, 32) {
            Scan::Found(s) => {
                let mut out = [0u8; 128];
                match s.decode_frame(&buf, Polarity::OneIsHighLow, &mut out) {
                    Ok(n) => {
                        result = Some((out[..n].to_vec(), dropped * 8 + s.data_at));
                        break;
                    }
                    Err(e) => assert!(
                        matches!(e.kind, webdyn_wmbus::ErrorKind::Truncated { .. }),
                        "{e}"
                    ),
                }
            }
            Scan::NeedMore { sync_at } => {
                let keep = sync_at.saturating_sub(32) / 8;
                buf.drain(..keep);
                dropped += keep;
            }
            Scan::NotFound { keep_from } => {
                let keep = keep_from / 8;
                buf.drain(..keep);
                dropped += keep;
            }
        }
    }
    let (frame, data_at) = result.expect("frame found");
    assert_eq!(frame, air);
    assert_eq!(data_at, capture(Mode::C, Format::B, 11).1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any chips: no panic, and a hit is always inside the input.
    #[test]
    fn arbitrary_chips_never_panic(chips in proptest::collection::vec(any::<u8>(), 0..200), from in 0usize..2000) {
        match scan(&chips, from, 6) {
            Scan::Found(s) => {
                prop_assert!(s.data_at <= chips.len() * 8);
                prop_assert!(s.sync_at >= from.saturating_sub(6));
                let mut out = [0u8; 300];
                let _ = s.decode_frame(&chips, Polarity::OneIsLowHigh, &mut out);
            }
            Scan::NeedMore { sync_at } => prop_assert!(sync_at < chips.len() * 8),
            Scan::NotFound { keep_from } => prop_assert!(keep_from <= chips.len() * 8),
        }
    }

    /// A capture at any bit offset after any non-alternating noise of
    /// zeros is found where it was put.
    #[test]
    fn found_at_any_offset(noise in 0usize..64, pick in 0usize..4) {
        let (mode, format) = [(Mode::T, Format::A), (Mode::C, Format::A), (Mode::C, Format::B), (Mode::S, Format::A)][pick];
        let (chips, data_at, air) = capture(mode, format, noise);
        let s = found(&chips, 32);
        prop_assert_eq!(s.data_at, data_at);
        let mut out = [0u8; 128];
        let n = s.decode_frame(&chips, Polarity::OneIsHighLow, &mut out).unwrap();
        prop_assert_eq!(&out[..n], &air[..]);
    }
}
