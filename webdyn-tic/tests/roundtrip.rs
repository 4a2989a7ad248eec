#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Encoder golden vectors and the encode/decode identities.

use proptest::prelude::*;
use webdyn_tic::{
    Decoder, Event, FrameCollector, FrameWriter, Mode, ModeSelect, OwnedGroup, encode_frame,
};

const SPEC_HISTORIC: &str = "02 0a 41 44 43 4f 20 30 33 30 34 32 32 30 30 30 30 34 38 20 2e 0d 0a 4f 50 54 41 52 49 46 20 42 41 53
45 20 30 0d 0a 49 53 4f 55 53 43 20 33 30 20 39 0d 0a 42 41 53 45 20 30 31 32 33 34 35 36 37 38 20 2f
0d 0a 50 54 45 43 20 54 48 2e 2e 20 24 0d 0a 49 49 4e 53 54 20 30 30 35 20 5c 0d 0a 49 4d 41 58 20 30
39 30 20 48 0d 0a 50 41 50 50 20 30 30 36 39 30 20 30 0d 0a 48 48 50 48 43 20 41 20 2c 0d 0a 4d 4f 54
44 45 54 41 54 20 30 30 30 30 30 30 20 42 0d 03";

const SPEC_STANDARD: &[u8] = b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\nDATE\tE240601120000\t\t.\r\nEAST\t000012345\t^\r\nSINSTS\t00450\tO\r\nSMAXSN\tE240601081503\t00980\t9\r\nSTGE\t003A0001\t:\r\x03";

#[test]
fn encoder_reproduces_the_spec_historic_frame() {
    let mut buf = [0u8; 256];
    let mut w = FrameWriter::new(&mut buf, Mode::Historic).unwrap();
    for (l, v) in [
        ("ADCO", "030422000048"),
        ("OPTARIF", "BASE"),
        ("ISOUSC", "30"),
        ("BASE", "012345678"),
        ("PTEC", "TH.."),
        ("IINST", "005"),
        ("IMAX", "090"),
        ("PAPP", "00690"),
        ("HHPHC", "A"),
        ("MOTDETAT", "000000"),
    ] {
        w.group(l.as_bytes(), None, v.as_bytes()).unwrap();
    }
    let n = w.finish().unwrap();
    assert_eq!(&buf[..n], &webdyn_testkit::hex(SPEC_HISTORIC).unwrap()[..]);
}

#[test]
fn encoder_reproduces_the_spec_standard_frame() {
    let mut buf = [0u8; 256];
    let mut w = FrameWriter::new(&mut buf, Mode::Standard).unwrap();
    for (l, h, v) in [
        ("ADSC", None, "041662343035"),
        ("VTIC", None, "02"),
        ("DATE", Some("E240601120000"), ""),
        ("EAST", None, "000012345"),
        ("SINSTS", None, "00450"),
        ("SMAXSN", Some("E240601081503"), "00980"),
        ("STGE", None, "003A0001"),
    ] {
        w.group(l.as_bytes(), h.map(str::as_bytes), v.as_bytes())
            .unwrap();
    }
    let n = w.finish().unwrap();
    assert_eq!(&buf[..n], SPEC_STANDARD);
}

#[test]
fn writer_reports_a_small_buffer() {
    let mut buf = [0u8; 10];
    let mut w = FrameWriter::new(&mut buf, Mode::Historic).unwrap();
    let e = w.group(b"ADCO", None, b"030422000048").unwrap_err();
    assert_eq!(e.kind, webdyn_tic::ErrorKind::BufferTooSmall { needed: 22 });
}

fn decode_frames(bytes: &[u8]) -> Vec<webdyn_tic::OwnedFrame> {
    let mut dec: Decoder = Decoder::new();
    let mut col = FrameCollector::new();
    let mut frames = Vec::new();
    dec.feed(bytes, |ev| frames.extend(col.push(&ev)));
    frames
}

#[test]
fn decode_then_encode_is_identity_on_spec_frames() {
    for bytes in [
        webdyn_testkit::hex(SPEC_HISTORIC).unwrap(),
        SPEC_STANDARD.to_vec(),
    ] {
        let frames = decode_frames(&bytes);
        assert_eq!(frames.len(), 1);
        assert!(frames[0].is_valid());
        assert_eq!(frames[0].to_bytes().unwrap(), bytes);
    }
}

fn label(mode: Mode) -> impl Strategy<Value = String> {
    // Printable, no separator; includes 9+ character labels with - and +.
    let chars = if mode == Mode::Historic {
        "[!-~]{1,12}"
    } else {
        "[ -~]{1,12}"
    };
    prop_oneof![
        Just("SMAXSN1-1".to_string()),
        Just("PJOURF+1".to_string()),
        Just("EaP-1_s".to_string()),
        chars
    ]
}

fn group(mode: Mode) -> impl Strategy<Value = OwnedGroup> {
    let horodate = if mode == Mode::Standard {
        prop_oneof![
            Just(None),
            "[ EeHh][0-9]{12}".prop_map(Some),
            "[ -~]{0,14}".prop_map(Some),
        ]
        .boxed()
    } else {
        Just(None).boxed()
    };
    // Values: empty, with spaces (PJOURF+1, MSG1, PME-PMI), any printable.
    let value = prop_oneof![Just(String::new()), "[ -~]{0,98}", "[0-9 ]{0,20}"];
    (label(mode), horodate, value).prop_map(move |(label, horodate, value)| OwnedGroup {
        mode,
        label,
        horodate,
        value,
        checksum_ok: true,
    })
}

fn frames() -> impl Strategy<Value = Vec<(Vec<OwnedGroup>, bool)>> {
    let frame = prop_oneof![Just(Mode::Historic), Just(Mode::Standard)]
        .prop_flat_map(|m| (proptest::collection::vec(group(m), 1..12), any::<bool>()));
    proptest::collection::vec(frame, 1..5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// decode(encode(x)) == x, for every quirk: SP checksums, empty values,
    /// SP season letters, spaces in data, long labels.
    #[test]
    fn decode_of_encode_is_identity(frames in frames()) {
        let mut stream = Vec::new();
        for (groups, interrupted) in &frames {
            stream.extend(encode_frame(groups, *interrupted).unwrap());
        }
        let decoded = decode_frames(&stream);
        prop_assert_eq!(decoded.len(), frames.len());
        for (d, (groups, interrupted)) in decoded.iter().zip(&frames) {
            prop_assert_eq!(&d.groups, groups);
            prop_assert!(d.errors.is_empty());
            prop_assert_eq!(d.is_interrupted(), *interrupted);
            prop_assert_eq!(d.is_valid(), !*interrupted);
            // encode(decode(bytes)) == bytes
        }
        let mut again = Vec::new();
        for d in &decoded {
            again.extend(d.to_bytes().unwrap());
        }
        prop_assert_eq!(again, stream);
    }

    /// Random chunking of a valid stream gives the same events as one feed,
    /// and the borrowed frame view agrees with the stream decoder.
    #[test]
    fn chunking_and_frame_view_agree(frames in frames(), cuts in proptest::collection::vec(any::<usize>(), 0..20)) {
        let mut stream = Vec::new();
        let mut bounds = Vec::new();
        for (groups, _) in &frames {
            let f = encode_frame(groups, false).unwrap();
            bounds.push((stream.len(), stream.len() + f.len()));
            stream.extend(f);
        }
        let show = |ev: &Event<'_>| format!("{ev:?}");
        let mut whole = Vec::new();
        let mut dec: Decoder = Decoder::new();
        dec.feed(&stream, |ev| whole.push(show(&ev)));
        let mut parts = Vec::new();
        let mut dec: Decoder = Decoder::new();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
        cuts.sort_unstable();
        let mut prev = 0;
        for c in cuts.into_iter().chain([stream.len()]) {
            dec.feed(&stream[prev..c], |ev| parts.push(show(&ev)));
            prev = c;
        }
        prop_assert_eq!(&parts, &whole);
        for ((a, b), (groups, _)) in bounds.iter().zip(&frames) {
            let view = webdyn_tic::Frame::new(&stream[*a..*b]);
            prop_assert!(view.is_valid(ModeSelect::Auto));
            let got: Vec<OwnedGroup> = view.groups(ModeSelect::Auto).map(|g| OwnedGroup::from_group(&g.unwrap())).collect();
            prop_assert_eq!(&got, groups);
        }
    }

    /// The decoder's in-place fast path (a whole group inside the chunk) and
    /// its byte-at-a-time state machine report exactly the same events, on
    /// valid streams and on streams with bytes overwritten by separators,
    /// control bytes, bytes above 0x7E or other printable bytes (which break
    /// checksums), in every mode selection.
    #[test]
    fn fast_path_equals_byte_path(
        frames in frames(),
        damage in proptest::collection::vec((any::<usize>(), prop_oneof![
            Just(0x09u8), Just(0x0d), Just(0x0a), Just(0x20), Just(0x02), Just(0x03),
            Just(0x7f), Just(0xc3), 0x20u8..0x7f,
        ]), 0..4),
        select in prop_oneof![Just(ModeSelect::Auto), Just(ModeSelect::Standard), Just(ModeSelect::Historic)],
    ) {
        let mut stream = Vec::new();
        for (groups, interrupted) in &frames {
            stream.extend(encode_frame(groups, *interrupted).unwrap());
        }
        for (at, byte) in damage {
            let i = at % stream.len();
            stream[i] = byte;
        }
        let cfg = webdyn_tic::Config { mode: select, ..Default::default() };
        let mut whole = Vec::new();
        let mut dec: Decoder = Decoder::with_config(cfg);
        dec.feed(&stream, |ev| whole.push(format!("{ev:?}")));
        dec.finish(|ev| whole.push(format!("{ev:?}")));
        let whole_stats = dec.stats();
        let mut bytewise = Vec::new();
        let mut dec: Decoder = Decoder::with_config(cfg);
        for &b in &stream {
            dec.push(b, |ev| bytewise.push(format!("{ev:?}")));
        }
        dec.finish(|ev| bytewise.push(format!("{ev:?}")));
        prop_assert_eq!(&whole, &bytewise);
        prop_assert_eq!(whole_stats, dec.stats());
    }
}
