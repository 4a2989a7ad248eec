#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Three-phase historic short frames (ADIR1..3 overcurrent alerts), built
//! from tic.md §5's description: `ADIR1, ADIR2, ADIR3, ADCO, IINST1,
//! IINST2, IINST3`, between the normal long frames of a CBETM.

use webdyn_tic::*;

/// A long CBETM frame from the worked three-phase groups of tic.md §3.1
/// (checksums as given there) in the order of §5.
const LONG: &[u8] = b"\x02\nADCO 030422000048 .\r\nOPTARIF BASE 0\r\nISOUSC 30 9\r\nBASE 012345678 /\r\nPTEC TH.. $\r\nIINST1 000 H\r\nIINST2 001 J\r\nIINST3 001 K\r\nIMAX1 033 6\r\nIMAX2 039 =\r\nIMAX3 030 5\r\nPMAX 17040 2\r\nPAPP 00470 ,\r\nHHPHC A ,\r\nMOTDETAT 000000 B\r\nPPOT 00 #\r\x03";

/// A short frame: phases 1 and 3 over their setting.
fn short(adir: [Option<&str>; 3], iinst: [&str; 3]) -> Vec<u8> {
    let mut buf = [0u8; 256];
    let mut w = FrameWriter::new(&mut buf, Mode::Historic).unwrap();
    for (l, v) in [b"ADIR1", b"ADIR2", b"ADIR3"].iter().zip(adir) {
        if let Some(v) = v {
            w.group(*l, None, v.as_bytes()).unwrap();
        }
    }
    w.group(b"ADCO", None, b"030422000048").unwrap();
    for (l, v) in [b"IINST1", b"IINST2", b"IINST3"].iter().zip(iinst) {
        w.group(*l, None, v.as_bytes()).unwrap();
    }
    let n = w.finish().unwrap();
    buf[..n].to_vec()
}

#[test]
fn short_frames_between_long_frames_are_valid_and_told_apart() {
    let alert = short([Some("045"), None, Some("061")], ["045", "012", "061"]);
    // The encoder's checksums for the short frame's groups.
    let text = std::str::from_utf8(&alert).unwrap();
    assert!(text.contains("\nADIR1 045 *\r"));
    assert!(text.contains("\nADIR3 061 *\r"));
    assert!(text.contains("\nIINST1 045 Q\r"));
    let mut stream = LONG.to_vec();
    stream.extend_from_slice(&alert);
    stream.extend_from_slice(&alert);
    stream.extend_from_slice(LONG);

    let mut dec: Decoder = Decoder::new();
    let mut det = FrameKindDetector::new();
    let mut kinds = Vec::new();
    let mut col = FrameCollector::new();
    let mut owned = Vec::new();
    dec.feed(&stream, |ev| {
        match &ev {
            Event::FrameStart { .. } => det.reset(),
            Event::Group { group, .. } => det.push(group),
            Event::FrameEnd(end) => kinds.push((det.kind(), end.is_valid(), end.groups)),
            Event::Invalid { .. } => {}
        }
        owned.extend(col.push(&ev));
    });
    use FrameKind::*;
    assert_eq!(
        kinds,
        [
            (Historic, true, 16),
            (ShortAlert, true, 6),
            (ShortAlert, true, 6),
            (Historic, true, 16)
        ]
    );
    // Short frames are not broken long frames: no error anywhere.
    let stats = dec.stats();
    assert_eq!((stats.frames_valid, stats.errors()), (4, 0));

    let a = owned[1].overcurrent_alert().unwrap();
    assert_eq!(a.adir, [Some(45), None, Some(61)]);
    assert_eq!(a.iinst, [Some(45), Some(12), Some(61)]);
    assert_eq!(a.phases().collect::<Vec<_>>(), [1, 3]);
    assert_eq!(owned[0].kind(), Historic);
    assert_eq!(owned[0].overcurrent_alert(), None);
    // The long frame still gives the billing index; the short one has none.
    assert_eq!(owned[0].billing_index().unwrap().label, "BASE");
    assert_eq!(owned[1].billing_index(), None);
}

#[test]
fn full_composition_and_typed_values() {
    let bytes = short(
        [Some("045"), Some("052"), Some("061")],
        ["045", "052", "061"],
    );
    let frame = Frame::new(&bytes);
    assert!(frame.is_valid(ModeSelect::Auto));
    assert_eq!(frame.kind(ModeSelect::Auto), FrameKind::ShortAlert);
    let labels: Vec<_> = frame
        .groups(ModeSelect::Auto)
        .map(|g| g.unwrap().label_str())
        .collect();
    assert_eq!(
        labels,
        [
            "ADIR1", "ADIR2", "ADIR3", "ADCO", "IINST1", "IINST2", "IINST3"
        ]
    );
    let alert = frame.overcurrent_alert(ModeSelect::Auto).unwrap();
    assert_eq!(alert.adir, [Some(45), Some(52), Some(61)]);
    // The typed layer knows ADIRn: amperes, three digits.
    let g = frame.groups(ModeSelect::Auto).next().unwrap().unwrap();
    let f = Field::decode(&g).unwrap();
    assert_eq!(f.value, Value::Number(45));
    assert_eq!(f.info.unwrap().unit, Unit::A);
}

#[test]
fn long_and_standard_frames_are_not_alerts() {
    let long = Frame::new(LONG);
    assert!(long.is_valid(ModeSelect::Auto));
    assert_eq!(long.kind(ModeSelect::Auto), FrameKind::Historic);
    assert_eq!(long.overcurrent_alert(ModeSelect::Auto), None);
    let std = Frame::new(b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\x03");
    assert_eq!(std.kind(ModeSelect::Auto), FrameKind::Standard);
    assert_eq!(
        Frame::new(b"\x02\x03").kind(ModeSelect::Auto),
        FrameKind::Empty
    );
    // A forced-standard view of a short frame sees no valid group.
    let bytes = short([Some("045"), None, None], ["045", "000", "000"]);
    assert_eq!(
        Frame::new(&bytes).kind(ModeSelect::Standard),
        FrameKind::Empty
    );
}

#[test]
fn interrupted_short_frame_keeps_its_kind() {
    // EOT after ADIR2: the frame is not valid, but what it was is known.
    let mut bytes = short([Some("045"), Some("052"), None], ["045", "052", "000"]);
    let cut = bytes.windows(4).position(|w| w == b"ADCO").unwrap() - 1;
    bytes.truncate(cut);
    bytes.push(0x04);
    let mut dec: Decoder = Decoder::new();
    let mut det = FrameKindDetector::new();
    let mut out = None;
    dec.feed(&bytes, |ev| match ev {
        Event::Group { group, .. } => det.push(&group),
        Event::FrameEnd(end) => out = Some((det.kind(), end.status, end.is_valid())),
        _ => {}
    });
    assert_eq!(
        out,
        Some((FrameKind::ShortAlert, FrameStatus::Interrupted, false))
    );
    assert!(det.has_alert());
}

#[test]
fn checksum_failure_does_not_make_an_alert() {
    // A long frame whose only odd group is a damaged ADIR1 (wrong checksum):
    // the detector is fed valid groups only, so the frame stays Historic.
    let mut bytes = LONG.to_vec();
    bytes.pop();
    bytes.extend_from_slice(b"\nADIR1 045 +\r\x03");
    let frame = Frame::new(&bytes);
    assert!(!frame.is_valid(ModeSelect::Auto));
    assert_eq!(frame.kind(ModeSelect::Auto), FrameKind::Historic);
}
