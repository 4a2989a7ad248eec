#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The billing-index helper on whole frames built from the specification's
//! examples (tic.md §3.1, §5–§7), through every entry point: the in-memory
//! frame view, the meter state fed by the streaming decoder, and (with
//! `alloc`) owned frames and the growable meter map.

use webdyn_tic::*;

/// The real Linky Tempo standard frame of tic.md §3.1 (the groups the
/// billing index reads, plus neighbours), re-encoded with exact checksums.
fn tempo_standard() -> Vec<u8> {
    let groups: &[(&str, Option<&str>, &str)] = &[
        ("ADSC", None, "041662343035"),
        ("VTIC", None, "02"),
        ("DATE", Some("H240107175810"), ""),
        ("NGTF", None, "     TEMPO      "),
        ("LTARF", None, "    HP  BLEU    "),
        ("EAST", None, "050019226"),
        ("EASF01", None, "022235340"),
        ("EASF02", None, "026587270"),
        ("EASF03", None, "000425696"),
        ("EASF04", None, "000494614"),
        ("EASF05", None, "000115045"),
        ("EASF06", None, "000161261"),
        ("EASF07", None, "000000000"),
        ("EASF08", None, "000000000"),
        ("EASF09", None, "000000000"),
        ("EASF10", None, "000000000"),
        ("EASD01", None, "020976738"),
        ("EASD02", None, "025033735"),
        ("EASD03", None, "001799343"),
        ("EASD04", None, "002209410"),
        ("STGE", None, "013AC401"),
        ("NTARF", None, "02"),
    ];
    let mut buf = vec![0u8; 1024];
    let mut w = FrameWriter::new(&mut buf, Mode::Standard).unwrap();
    for (l, h, v) in groups {
        w.group(l.as_bytes(), h.map(str::as_bytes), v.as_bytes())
            .unwrap();
    }
    let n = w.finish().unwrap();
    buf.truncate(n);
    buf
}

/// A historic HC frame made of the worked groups of tic.md §3.1, checksums
/// as the specification gives them.
const HISTORIC_HC: &[u8] = b"\x02\nADCO 030422000048 .\r\nOPTARIF HC.. <\r\nISOUSC 30 9\r\nHCHC 036395657 2\r\nHCHP 039661265 9\r\nPTEC HC.. S\r\nIINST 011 Y\r\nIMAX 031 C\r\nPAPP 02570 /\r\nHHPHC A ,\r\nMOTDETAT 000000 B\r\x03";

#[test]
fn historic_hc_frame_counts_into_hchc() {
    let frame = Frame::new(HISTORIC_HC);
    assert!(frame.is_valid(ModeSelect::Auto));
    let idx = frame.billing_index(ModeSelect::Auto).unwrap();
    assert_eq!(idx.label, "HCHC");
    assert_eq!(idx.wh, 36_395_657);
    assert_eq!(idx.period, Period::Ptec(TariffPeriod::OffPeak));
    assert_eq!(idx.period.name(), Some("HC.."));
    // No distributor index in historic mode.
    assert_eq!(frame.distributor_index(ModeSelect::Auto), None);
    // A standard-only view of a historic frame sees no group at all.
    assert_eq!(frame.billing_index(ModeSelect::Standard), None);
}

#[test]
fn historic_period_change_moves_the_index() {
    // PTEC HP.. (checksum ' ', tic.md §3.1): same frame, peak hours.
    let hp = String::from_utf8(HISTORIC_HC.to_vec())
        .unwrap()
        .replace("PTEC HC.. S", "PTEC HP..  ");
    let idx = Frame::new(hp.as_bytes())
        .billing_index(ModeSelect::Auto)
        .unwrap();
    assert_eq!((idx.label, idx.wh), ("HCHP", 39_661_265));
    assert_eq!(idx.period, Period::Ptec(TariffPeriod::Peak));
}

#[test]
fn historic_tempo_frame() {
    // tic.md §3.1 Tempo groups: OPTARIF BBR( 'S', PTEC HPJB 'P',
    // BBRHCJR 000025098 'E'; the HPJB index built with the encoder.
    let mut buf = [0u8; 256];
    let mut w = FrameWriter::new(&mut buf, Mode::Historic).unwrap();
    w.group(b"OPTARIF", None, b"BBR(").unwrap();
    w.group(b"BBRHCJB", None, b"000123456").unwrap();
    w.group(b"BBRHPJB", None, b"000654321").unwrap();
    w.group(b"BBRHCJR", None, b"000025098").unwrap();
    w.group(b"PTEC", None, b"HPJB").unwrap();
    let n = w.finish().unwrap();
    let bytes = &buf[..n];
    // The encoder's checksums are the specification's.
    let s = std::str::from_utf8(bytes).unwrap();
    assert!(s.contains("\nOPTARIF BBR( S\r"));
    assert!(s.contains("\nPTEC HPJB P\r"));
    assert!(s.contains("\nBBRHCJR 000025098 E\r"));
    let idx = Frame::new(bytes).billing_index(ModeSelect::Auto).unwrap();
    assert_eq!((idx.label, idx.wh), ("BBRHPJB", 654_321));
    assert_eq!(
        idx.period,
        Period::Ptec(TariffPeriod::TempoPeak(TempoColor::Blue))
    );
}

#[test]
fn standard_tempo_frame_supplier_and_distributor() {
    let bytes = tempo_standard();
    let frame = Frame::new(&bytes);
    assert!(frame.is_valid(ModeSelect::Auto));
    // NTARF 02 -> EASF02; LTARF "    HP  BLEU    " (tic.md §3.1). Domoticz's
    // Tempo mapping (tic.md §6) agrees: EASF02 = HPJB.
    let idx = frame.billing_index(ModeSelect::Auto).unwrap();
    assert_eq!(idx.label, "EASF02");
    assert_eq!(idx.wh, 26_587_270);
    assert_eq!(idx.period, Period::Supplier(Some("HP  BLEU")));
    // STGE 013AC401: distributor index 4 (tic.md §7).
    let d = frame.distributor_index(ModeSelect::Auto).unwrap();
    assert_eq!(
        (d.label, d.wh, d.period),
        ("EASD04", 2_209_410, Period::Distributor)
    );
    assert_eq!(d.period.name(), None);
}

#[test]
fn meter_state_follows_the_stream() {
    let mut state: MeterState = MeterState::new();
    let mut dec: Decoder = Decoder::new();
    let bytes = tempo_standard();
    // Byte at a time: the state is fed from the decoder's own buffer.
    for &b in &bytes {
        dec.push(b, |ev| {
            if let Event::Group { group, .. } = ev {
                state.update(&group);
            }
        });
    }
    let idx = state.billing_index().unwrap();
    assert_eq!((idx.label, idx.wh), ("EASF02", 26_587_270));
    assert_eq!(state.distributor_index().unwrap().label, "EASD04");
    // Next frame: NTARF 01 (HC BLEU): the index moves to EASF01.
    let mut buf = [0u8; 128];
    let mut w = FrameWriter::new(&mut buf, Mode::Standard).unwrap();
    w.group(b"LTARF", None, b"    HC  BLEU    ").unwrap();
    w.group(b"NTARF", None, b"01").unwrap();
    let n = w.finish().unwrap();
    dec.feed(&buf[..n], |ev| {
        if let Event::Group { group, .. } = ev {
            state.update(&group);
        }
    });
    let idx = state.billing_index().unwrap();
    assert_eq!((idx.label, idx.wh), ("EASF01", 22_235_340));
    assert_eq!(idx.period.name(), Some("HC  BLEU"));
}

#[cfg(feature = "alloc")]
#[test]
fn owned_frames_and_meter_map() {
    let mut col = FrameCollector::new();
    let mut dec: Decoder = Decoder::new();
    let mut frames = Vec::new();
    let mut map = MeterMap::new();
    let mut input = tempo_standard();
    input.extend_from_slice(HISTORIC_HC);
    dec.feed(&input, |ev| {
        if let Event::Group { group, .. } = &ev {
            map.update(group);
        }
        frames.extend(col.push(&ev));
    });
    assert_eq!(frames.len(), 2);
    let std_idx = frames[0].billing_index().unwrap();
    assert_eq!((std_idx.label, std_idx.wh), ("EASF02", 26_587_270));
    assert_eq!(frames[0].distributor_index().unwrap().wh, 2_209_410);
    assert_eq!(frames[1].billing_index().unwrap().label, "HCHC");
    // The map holds both meters' labels: OPTARIF present -> historic rules.
    assert_eq!(map.billing_index().unwrap().label, "HCHC");
}

#[test]
fn corrupted_index_is_not_reported() {
    // 'v' (0x76) for '6' (0x36) keeps the checksum (bit 6, tic.md §3.2)
    // but is no index.
    let bad = String::from_utf8(HISTORIC_HC.to_vec())
        .unwrap()
        .replace("HCHC 036395657", "HCHC 036395v57");
    let frame = Frame::new(bad.as_bytes());
    assert!(
        frame.is_valid(ModeSelect::Auto),
        "the checksum cannot see it"
    );
    assert_eq!(frame.billing_index(ModeSelect::Auto), None);
}
