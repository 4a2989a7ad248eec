#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Real captures from ../shared/vectors/tic (read at test time, never
//! copied): clean frames are valid with their exact values, corrupted
//! groups are flagged where the damage is.

use std::path::Path;
use webdyn_tic::{
    Config, Decoder, ErrorKind, Event, Field, Frame, FrameCollector, ModeSelect, Value,
};

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[derive(Debug, Default)]
struct Tally {
    valid: Vec<(String, Option<String>, String)>,
    invalid: Vec<(ErrorKind, u64, String)>,
}

fn decode_outside(bytes: &[u8]) -> Tally {
    let cfg = Config {
        groups_outside_frames: true,
        ..Config::default()
    };
    let mut dec: Decoder = Decoder::with_config(cfg);
    let mut t = Tally::default();
    dec.feed(bytes, |ev| match ev {
        Event::Group { group, .. } => t.valid.push((
            group.label_str().into(),
            group.horodate_str().map(Into::into),
            group.data_str().into(),
        )),
        Event::Invalid { error, raw, .. } => t.invalid.push((
            error.kind,
            error.offset,
            String::from_utf8_lossy(raw).into_owned(),
        )),
        _ => {}
    });
    t
}

/// A naive, independent oracle: split each CR-terminated line on the
/// separator before the checksum, as a human would read the capture.
fn naive(bytes: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(bytes);
    // Whatever precedes the first LF is not a delimited group.
    text.split('\n')
        .skip(1)
        .filter_map(|line| line.trim_end_matches(['\x02', '\x03']).strip_suffix('\r'))
        .filter_map(|line| {
            let sep = if line.contains('\t') { '\t' } else { ' ' };
            let body = &line[..line.len().checked_sub(2)?];
            let (label, rest) = body.split_once(sep)?;
            // The data is after the horodate when there is one.
            let data = if sep == '\t' {
                rest.rsplit_once('\t').map_or(rest, |(_, d)| d)
            } else {
                rest
            };
            Some((label.to_string(), data.to_string()))
        })
        .collect()
}

#[test]
fn teleinfo_nom_single_messages_are_clean() {
    let Some(dir) = webdyn_testkit::vectors("tic/teleinfo-nom/assets") else {
        return;
    };
    // 16 historic groups (a Tempo CBEMM-ICC), 55 standard ones (a
    // three-phase Linky on Tempo).
    for (name, labels) in [("message.txt", 16), ("message_standard.txt", 55)] {
        let bytes = read(&dir, name);
        let t = decode_outside(&bytes);
        assert!(t.invalid.is_empty(), "{name}: {:?}", t.invalid);
        assert_eq!(t.valid.len(), labels, "{name}");
        let oracle = naive(&bytes);
        let ours: Vec<(String, String)> = t
            .valid
            .iter()
            .map(|(l, _, d)| (l.clone(), d.clone()))
            .collect();
        assert_eq!(ours, oracle, "{name}");
        // The frame view agrees.
        let frame = Frame::new(&bytes[..bytes.len() - 1]);
        assert_eq!(
            frame.groups(ModeSelect::Auto).filter(Result::is_ok).count(),
            labels
        );
        // And every known label types cleanly.
        for g in frame.groups(ModeSelect::Auto) {
            let g = g.unwrap();
            Field::decode(&g).unwrap_or_else(|e| panic!("{name} {}: {e}", g.label_str()));
        }
    }
}

#[test]
fn teleinfo_nom_standard_stream_flags_the_line_noise() {
    let Some(dir) = webdyn_testkit::vectors("tic/teleinfo-nom/assets") else {
        return;
    };
    let bytes = read(&dir, "stream_standard_raw.txt");
    let t = decode_outside(&bytes);
    // tic.md §3.1 counts 472 passing groups and 15 corruptions by splitting
    // the capture into CR-terminated lines. Two corruptions are a CR turned
    // into 0x0C (`EASD01…@\x0c`, `EASF06…@\x0c`): a line split glues the
    // next group onto the damaged one, while the decoder flags the cut
    // group and still reads the intact group after it, hence 474. The
    // capture also ends in a group cut by the end of the file ("P").
    assert_eq!(t.valid.len(), 474);
    assert_eq!(t.invalid.len(), 16, "{:#?}", t.invalid);
    let cut: Vec<&str> = t
        .invalid
        .iter()
        .filter(|(k, _, _)| *k == ErrorKind::Truncated { byte: 0x0c })
        .map(|(_, _, raw)| raw.as_str())
        .collect();
    assert_eq!(cut, ["EASD01\t021849107\t@", "EASF06\t000706363\t@"]);
    assert!(
        t.valid
            .iter()
            .any(|(l, _, d)| l == "EASD02" && d == "000000000")
    );
    let checksum_errors = t
        .invalid
        .iter()
        .filter(|(k, _, _)| matches!(k, ErrorKind::Checksum { .. }))
        .count();
    assert_eq!(checksum_errors, 12);
    assert_eq!(t.invalid.last().unwrap().2, "P");
    // The damage the spec names, each flagged at its own group:
    // `EAST  0021849106` (HT became SP): no label separator.
    let east = t
        .invalid
        .iter()
        .find(|(_, _, raw)| raw.starts_with("EAST  0021849106"))
        .unwrap();
    assert_eq!(east.0, ErrorKind::NoLabelSeparator);
    assert_eq!(&bytes[east.1 as usize..east.1 as usize + 4], b"EAST");
    // `CC@SN-1` (A became @) and `EASF09\t 00000000` ('0' became SP):
    // checksum mismatches, the offset on the checksum byte.
    for bad in ["CC@SN-1", "EASF09\t 00000000"] {
        let (k, off, raw) = t
            .invalid
            .iter()
            .find(|(_, _, raw)| raw.starts_with(bad))
            .unwrap();
        assert!(matches!(k, ErrorKind::Checksum { .. }), "{bad}: {k:?}");
        assert_eq!(bytes[*off as usize], *raw.as_bytes().last().unwrap());
        assert_eq!(bytes[*off as usize + 1], b'\r');
    }
    // Frames: the ones with a corrupted group are invalid, the others valid.
    let mut dec: Decoder = Decoder::new();
    let mut col = FrameCollector::new();
    let mut frames = Vec::new();
    dec.feed(&bytes, |ev| frames.extend(col.push(&ev)));
    assert!(!frames.is_empty());
    for f in &frames {
        assert_eq!(f.is_valid(), f.errors.is_empty());
        assert!(
            f.groups
                .iter()
                .all(|g| g.mode == webdyn_tic::Mode::Standard)
        );
    }
    assert!(frames.iter().any(|f| f.is_valid()));
    assert!(frames.iter().any(|f| !f.is_valid()));
}

#[test]
fn teleinfo_nom_legacy_stream_starts_mid_frame() {
    let Some(dir) = webdyn_testkit::vectors("tic/teleinfo-nom/assets") else {
        return;
    };
    let bytes = read(&dir, "stream_legacy_raw.txt");
    let t = decode_outside(&bytes);
    // tic.md §3.1: 38 of 39 groups pass, the last one is cut off.
    assert_eq!(t.valid.len(), 38);
    assert_eq!(t.invalid.len(), 1);
    assert_eq!(t.invalid[0].2, "HHPHC A");
    // The capture starts inside the BBRHCJR group (its LF is not in the
    // file), so the first group the decoder can delimit is BBRHPJR.
    assert_eq!(t.valid[0], ("BBRHPJR".into(), None, "000006010".into()));
    // Typed: the Tempo values read as such.
    let tempo = t.valid.iter().find(|(l, _, _)| l == "PTEC").unwrap();
    assert_eq!(tempo.2, "HPJB");
    // Without the outside-frames option, bytes before the first STX are
    // skipped and counted.
    let mut dec: Decoder = Decoder::new();
    let mut first = None;
    dec.feed(&bytes, |ev| {
        if let (None, Event::FrameStart { offset }) = (first, ev) {
            first = Some(offset);
        }
    });
    let stx = bytes.iter().position(|&b| b == 2).unwrap() as u64;
    assert_eq!(first, Some(stx));
    assert!(u64::from(dec.stats().skipped) >= stx);
}

#[test]
fn teleinfo_nom_complete_streams() {
    let Some(dir) = webdyn_testkit::vectors("tic/teleinfo-nom/assets") else {
        return;
    };
    for name in [
        "stream_legacy_complete.txt",
        "stream_legacy_incomplete.txt",
        "stream_standard_complete.txt",
    ] {
        let bytes = read(&dir, name);
        let t = decode_outside(&bytes);
        let mut oracle = naive(&bytes);
        if name == "stream_standard_complete.txt" {
            // Two real corruptions in this capture: EAST with its leading
            // '0' turned into SP, flagged by its checksum, and EASD01 whose
            // CR became 0x0C, flagged as cut.
            assert_eq!(t.invalid.len(), 2);
            assert_eq!(t.invalid[1].0, ErrorKind::Truncated { byte: 0x0c });
            assert_eq!(t.invalid[1].2, "EASD01\t021849107\t@");
            let (kind, _, raw) = &t.invalid[0];
            assert!(matches!(kind, ErrorKind::Checksum { .. }));
            assert!(raw.starts_with("EAST\t 21849107\t"));
            oracle.retain(|(l, d)| !(l == "EAST" && d == " 21849107"));
        } else {
            assert!(t.invalid.is_empty(), "{name}: {:?}", t.invalid);
        }
        let ours: Vec<(String, String)> = t
            .valid
            .iter()
            .map(|(l, _, d)| (l.clone(), d.clone()))
            .collect();
        assert_eq!(ours, oracle, "{name}");
    }
}

/// Python bytes literal `b'...'` to bytes (the escapes the file uses).
fn py_bytes(lit: &str) -> Vec<u8> {
    let inner = lit.strip_prefix("b'").unwrap().strip_suffix('\'').unwrap();
    let mut out = Vec::new();
    let mut it = inner.bytes();
    while let Some(b) = it.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match it.next().unwrap() {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'x' => {
                let h = [it.next().unwrap(), it.next().unwrap()];
                out.push(u8::from_str_radix(std::str::from_utf8(&h).unwrap(), 16).unwrap());
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn pyteleinfo_frames_are_valid_with_their_values() {
    let Some(dir) = webdyn_testkit::vectors("tic/pyteleinfo") else {
        return;
    };
    let text = String::from_utf8(read(&dir, "captured_frames.txt")).unwrap();
    let frames: Vec<Vec<u8>> = text
        .lines()
        .filter(|l| l.starts_with("b'"))
        .map(py_bytes)
        .collect();
    assert_eq!(frames.len(), 10);
    for (i, f) in frames.iter().enumerate() {
        let frame = Frame::new(f);
        assert!(frame.is_valid(ModeSelect::Historic), "frame {}", i + 1);
        let groups: Vec<_> = frame
            .groups(ModeSelect::Historic)
            .map(Result::unwrap)
            .collect();
        assert_eq!(groups.len(), 16);
        assert_eq!(groups[0].data(), b"021861348497");
        assert_eq!(groups[9].data(), b"HCJB");
        assert_eq!(
            Field::decode(&groups[10]).unwrap().value,
            Value::Tomorrow(Some(webdyn_tic::TempoColor::Red))
        );
    }
    // Frame 1 and frame 10 as printed in the file.
    let g1: Vec<_> = Frame::new(&frames[0])
        .groups(ModeSelect::Auto)
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        Field::decode(&g1[3]).unwrap().value,
        Value::Energy(18_328_702)
    );
    assert_eq!(Field::decode(&g1[13]).unwrap().value, Value::Number(2830));
    let g10: Vec<_> = Frame::new(&frames[9])
        .groups(ModeSelect::Auto)
        .map(Result::unwrap)
        .collect();
    assert_eq!(g10[3].data(), b"018328721");
    assert_eq!(g10[13].data(), b"02840");
}

/// TIC2WebSocket copies lost their CRs: put one back before every LF and at
/// the end, which restores the LF…CR group shape.
fn restore_cr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' && i > 0 {
            out.push(b'\r');
        }
        out.push(b);
    }
    out.push(b'\r');
    out
}

#[test]
fn tic2websocket_frames() {
    let Some(dir) = webdyn_testkit::vectors("tic/TIC2WebSocket/src/test/resources") else {
        return;
    };
    // Historic: values as in the JSON details. (That JSON marks MOTDETAT
    // invalid for reasons of its own; `MOTDETAT 000000 B` is the checksum
    // the spec computes, tic.md §3.1, so it is valid here.)
    let h = restore_cr(&read(&dir, "codec/ticFrameHistoric.txt"));
    let json: serde_json::Value = serde_json::from_slice(&read(
        &dir,
        "tic/frame/codec/ticFrameHistoric_full_details.json",
    ))
    .unwrap();
    let groups: Vec<_> = Frame::new(&h)
        .groups(ModeSelect::Auto)
        .map(Result::unwrap)
        .collect();
    let expected = json["groupList"].as_array().unwrap();
    assert_eq!(groups.len(), expected.len());
    for (g, e) in groups.iter().zip(expected) {
        assert_eq!(g.label_str(), e["label"].as_str().unwrap());
        assert_eq!(g.data_str(), e["value"].as_str().unwrap());
    }
    // Standard: every group valid, values as in the summary (which writes
    // a horodate as `horodate<TAB>value`).
    let s = restore_cr(&read(&dir, "tic/frame/codec/ticFrameStandard.txt"));
    let json: serde_json::Value = serde_json::from_slice(&read(
        &dir,
        "tic/frame/codec/ticFrameStandard_summarized.json",
    ))
    .unwrap();
    let groups: Vec<_> = Frame::new(&s)
        .groups(ModeSelect::Standard)
        .map(Result::unwrap)
        .collect();
    let obj = json.as_object().unwrap();
    assert_eq!(groups.len(), obj.len());
    for g in &groups {
        let key = obj
            .keys()
            .find(|k| k.trim_start_matches('!') == g.label_str())
            .unwrap();
        let v = obj[key].as_str().unwrap();
        let shown = match g.horodate_str() {
            Some(h) => format!("{h}\t{}", g.data_str()),
            None => g.data_str().to_string(),
        };
        assert_eq!(shown, v, "{key}");
        Field::decode(g).unwrap_or_else(|e| panic!("{key}: {e}"));
    }
    // The corrupted copy: exactly PCOUP is flagged, with a checksum error.
    let bad = restore_cr(&read(
        &dir,
        "tic/frame/codec/ticFrameStandard_PCOUP_Invalid.txt",
    ));
    let results: Vec<_> = Frame::new(&bad).groups(ModeSelect::Standard).collect();
    let errs: Vec<_> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_err())
        .collect();
    assert_eq!(errs.len(), 1);
    let (_, err) = &errs[0];
    let e = err.as_ref().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Checksum { .. }));
    assert_eq!(
        &bad[e.offset as usize - 9..e.offset as usize],
        b"PCOUP\t02\t"
    );
}
