#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! `webdyn tic` run as a process: the JSON contract, exit codes, and
//! `decode | encode` reproducing valid input byte for byte.

use std::process::Output;

mod common;
use common::run as webdyn;

/// tic.md §3.1: the historic BASE frame and the short standard frame.
const HISTORIC: &[u8] = b"\x02\nADCO 030422000048 .\r\nOPTARIF BASE 0\r\nISOUSC 30 9\r\nBASE 012345678 /\r\nPTEC TH.. $\r\nIINST 005 \\\r\nIMAX 090 H\r\nPAPP 00690 0\r\nHHPHC A ,\r\nMOTDETAT 000000 B\r\x03";
const STANDARD: &[u8] = b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\nDATE\tE240601120000\t\t.\r\nEAST\t000012345\t^\r\nSINSTS\t00450\tO\r\nSMAXSN\tE240601081503\t00980\t9\r\nSTGE\t003A0001\t:\r\x03";

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn decode_prints_the_contract_and_encode_reproduces_it() {
    let input = [HISTORIC, STANDARD, HISTORIC].concat();
    let out = webdyn(&["tic", "decode", "-"], &input);
    assert!(out.status.success());
    let frames = lines(&out);
    assert_eq!(frames.len(), 3);
    let f = &frames[1];
    assert_eq!(f["mode"], "standard");
    assert_eq!(f["valid"], true);
    assert_eq!(f["interrupted"], false);
    assert_eq!(f["errors"], serde_json::json!([]));
    assert_eq!(
        f["groups"][2],
        serde_json::json!({"label":"DATE","value":"","horodate":"E240601120000","checksum_ok":true})
    );
    assert_eq!(frames[0]["mode"], "historic");
    assert_eq!(frames[0]["groups"][4]["value"], "TH..");
    assert_eq!(frames[0]["groups"].as_array().unwrap().len(), 10);
    let back = webdyn(&["tic", "encode", "-"], &out.stdout);
    assert!(back.status.success());
    assert_eq!(back.stdout, input);
}

#[test]
fn damaged_frames_are_reported_not_fatal() {
    let input = b"noise\x02\nIINST 006 \\\r\nPTEC HP..  \r\x04\x02\nIINST 005 \\\r\x03";
    let out = webdyn(&["tic", "decode"], input);
    assert!(out.status.success());
    let frames = lines(&out);
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0]["valid"], false);
    assert_eq!(frames[0]["interrupted"], true);
    assert_eq!(frames[0]["groups"][0]["checksum_ok"], false);
    assert_eq!(frames[0]["groups"][1]["checksum_ok"], true);
    let errs = frames[0]["errors"].as_array().unwrap();
    assert!(
        errs[0]
            .as_str()
            .unwrap()
            .contains("5 bytes outside any frame")
    );
    assert!(errs[1].as_str().unwrap().contains("checksum mismatch"));
    assert!(errs[1].as_str().unwrap().contains("at byte 17"));
    assert_eq!(frames[1]["valid"], true);
    // Forced standard mode rejects historic groups.
    let out = webdyn(&["tic", "decode", "--mode", "standard", "-"], HISTORIC);
    assert_eq!(lines(&out)[0]["valid"], false);
}

#[test]
fn exit_codes() {
    // No frame at all: the input as a whole is invalid.
    let out = webdyn(&["tic", "decode", "-"], b"hello");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    // Usage errors.
    assert_eq!(
        webdyn(&["tic", "decode", "--mode", "nope", "-"], b"")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        webdyn(&["tic", "decode", "/no/such/file"], b"")
            .status
            .code(),
        Some(2)
    );
    // Bad JSON and unencodable groups: exit 1 with line:column.
    let out = webdyn(
        &["tic", "encode"],
        b"{\"mode\":\"historic\",\"groups\":[}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1:"));
    let out = webdyn(
        &["tic", "encode"],
        b"\n{\"mode\":\"historic\",\"groups\":[{\"label\":\"A B\",\"value\":\"1\"}]}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
}

#[test]
fn encode_mode_flag_and_interrupted() {
    let json = b"{\"groups\":[{\"label\":\"IINST\",\"value\":\"005\",\"horodate\":null}],\"interrupted\":true}\n";
    let out = webdyn(&["tic", "encode", "--mode", "historic"], json);
    assert!(out.status.success());
    assert_eq!(out.stdout, b"\x02\nIINST 005 \\\r\x04");
}

#[test]
fn stats_counts_errors() {
    let dir = std::env::temp_dir().join(format!("webdyn-tic-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stream.bin");
    let input = [
        &b"xx"[..],
        HISTORIC,
        b"\x02\nIINST 006 \\\r\x0fX\r\nPTEC\x04",
        STANDARD,
    ]
    .concat();
    std::fs::write(&file, &input).unwrap();
    let out = webdyn(&["tic", "stats", file.to_str().unwrap()], b"");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["frames"], 3);
    assert_eq!(v["frames_valid"], 2);
    assert_eq!(v["frames_invalid"], 1);
    assert_eq!(v["checksum"], 1);
    // 0x0F where LF belongs, then PTEC cut by EOT.
    assert_eq!(v["format"], 2);
    assert_eq!(v["interrupted"], 1);
    assert_eq!(v["groups_valid"], 17);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn real_capture_decode_encode_is_byte_exact_for_valid_frames() {
    let Some(dir) = webdyn_testkit::vectors("tic/teleinfo-nom/assets") else {
        return;
    };
    let input = std::fs::read(dir.join("stream_standard_raw.txt")).unwrap();
    let out = webdyn(&["tic", "decode", "-"], &input);
    assert!(out.status.success());
    let frames = lines(&out);
    let mut checked = 0;
    for f in frames.iter().filter(|f| f["valid"] == true) {
        let line = format!("{f}\n");
        let enc = webdyn(&["tic", "encode"], line.as_bytes());
        let start = f["offset"].as_u64().unwrap() as usize;
        assert_eq!(enc.stdout, input[start..start + enc.stdout.len()]);
        checked += 1;
    }
    assert!(checked >= 2, "{checked}");
    assert!(frames.iter().any(|f| f["valid"] == false));
}
