#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! `webdyn tic decode`'s added keys (`kind`, `index`, `distributor_index`,
//! `alert`) and the `--repair-lf` flag, on frames built from tic.md's
//! worked examples.

use std::process::Output;

use webdyn_tic::{FrameWriter, Mode};

mod common;
use common::run as webdyn;

fn lines(out: &Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::str::from_utf8(&out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// tic.md §3.1 worked historic groups, checksums as given there.
const HISTORIC_HC: &[u8] = b"\x02\nADCO 030422000048 .\r\nOPTARIF HC.. <\r\nISOUSC 30 9\r\nHCHC 036395657 2\r\nHCHP 039661265 9\r\nPTEC HC.. S\r\nIINST 011 Y\r\nIMAX 031 C\r\nPAPP 02570 /\r\nHHPHC A ,\r\nMOTDETAT 000000 B\r\x03";

fn frame(mode: Mode, groups: &[(&str, Option<&str>, &str)]) -> Vec<u8> {
    let mut buf = vec![0u8; 2048];
    let mut w = FrameWriter::new(&mut buf, mode).unwrap();
    for (l, h, v) in groups {
        w.group(l.as_bytes(), h.map(str::as_bytes), v.as_bytes())
            .unwrap();
    }
    let n = w.finish().unwrap();
    buf.truncate(n);
    buf
}

/// Part of the real Linky Tempo frame of tic.md §3.1.
fn tempo_standard() -> Vec<u8> {
    frame(
        Mode::Standard,
        &[
            ("ADSC", None, "041662343035"),
            ("LTARF", None, "    HP  BLEU    "),
            ("EASF01", None, "022235340"),
            ("EASF02", None, "026587270"),
            ("EASD04", None, "002209410"),
            ("STGE", None, "013AC401"),
            ("NTARF", None, "02"),
        ],
    )
}

#[test]
fn decode_adds_kind_and_billing_indexes() {
    let mut input = HISTORIC_HC.to_vec();
    input.extend(tempo_standard());
    let v = lines(&webdyn(&["tic", "decode"], &input));
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["kind"], "historic");
    assert_eq!(
        v[0]["index"],
        serde_json::json!({"label": "HCHC", "wh": 36_395_657, "period": "HC.."})
    );
    assert_eq!(v[0]["distributor_index"], serde_json::Value::Null);
    assert!(v[0].get("alert").is_none());
    assert_eq!(v[1]["kind"], "standard");
    assert_eq!(
        v[1]["index"],
        serde_json::json!({"label": "EASF02", "wh": 26_587_270, "period": "HP  BLEU"})
    );
    assert_eq!(
        v[1]["distributor_index"],
        serde_json::json!({"label": "EASD04", "wh": 2_209_410, "period": null})
    );
    // The contract's keys are all still there.
    for k in ["mode", "valid", "interrupted", "groups", "errors"] {
        assert!(v[1].get(k).is_some(), "{k}");
    }
    // decode | encode still reproduces the input byte for byte.
    let json = webdyn(&["tic", "decode"], &input).stdout;
    let back = webdyn(&["tic", "encode"], &json);
    assert!(back.status.success());
    assert_eq!(back.stdout, input);
}

#[test]
fn short_frame_is_reported_as_an_alert() {
    // tic.md §5: ADIR1..3, ADCO, IINST1..3; here phase 2 is over.
    let short = frame(
        Mode::Historic,
        &[
            ("ADIR2", None, "052"),
            ("ADCO", None, "030422000048"),
            ("IINST1", None, "001"),
            ("IINST2", None, "052"),
            ("IINST3", None, "001"),
        ],
    );
    let v = lines(&webdyn(&["tic", "decode"], &short));
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[0]["kind"], "short_alert");
    assert_eq!(
        v[0]["alert"],
        serde_json::json!({"adir": [null, 52, null], "iinst": [1, 52, 1]})
    );
    assert_eq!(v[0]["index"], serde_json::Value::Null);
}

#[test]
fn repair_lf_flag_keeps_the_group() {
    // The LF before PTEC arrives as 0x0F (esphome #17291).
    let at = HISTORIC_HC.windows(5).position(|w| w == b"\nPTEC").unwrap();
    let mut noisy = HISTORIC_HC.to_vec();
    noisy[at] = 0x0F;
    let strict = lines(&webdyn(&["tic", "decode"], &noisy));
    assert_eq!(strict[0]["valid"], false);
    assert_eq!(strict[0]["index"], serde_json::Value::Null, "PTEC lost");
    let repaired = lines(&webdyn(&["tic", "decode", "--repair-lf"], &noisy));
    assert_eq!(repaired[0]["valid"], true);
    assert_eq!(repaired[0]["index"]["label"], "HCHC");
    assert_eq!(repaired[0]["groups"].as_array().unwrap().len(), 11);

    let dir = std::env::temp_dir().join(format!("webdyn-tic3-lf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("noisy.tic");
    std::fs::write(&file, &noisy).unwrap();
    let out = webdyn(
        &["tic", "stats", "--repair-lf", file.to_str().unwrap()],
        b"",
    );
    let s = lines(&out);
    assert_eq!(s[0]["lf_repaired"], 1);
    assert_eq!(s[0]["errors"], 0);
    assert_eq!(s[0]["frames_valid"], 1);
    let out = webdyn(&["tic", "stats", file.to_str().unwrap()], b"");
    let s = lines(&out);
    assert_eq!(s[0]["lf_repaired"], 0);
    assert_eq!(s[0]["format"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
