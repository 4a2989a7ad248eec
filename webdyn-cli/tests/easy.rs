//! `webdyn easy`: the contract of shared/spec/cli.md, run as a process.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn webdyn(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webdyn"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        // The child may exit before reading (usage errors): ignore a broken pipe.
        let _ = child.stdin.take().unwrap().write_all(input);
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    webdyn_testkit::hex(s).unwrap()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("webdyn-easy-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Manual §5.1.1.4 with the capitalised keys of its byte dump (erratum E1).
const MANUAL_JSON: &str = r#"{"Config": {"Remote": {"NTP": ["ntp.google.com", ""]}}, "CRC": 0}"#;
const MANUAL_CRC_DUMP: &str = "50 00 00 00 03 43 6F 6E 66 69 67 00 3A 00 00 00
03 52 65 6D 6F 74 65 00 2D 00 00 00 04 4E 54 50
00 23 00 00 00 02 30 00 0F 00 00 00 6E 74 70 2E
67 6F 6F 67 6C 65 2E 63 6F 6D 00 02 31 00 01 00
00 00 00 00 00 00 10 43 52 43 00 A3 7B 0C 2A 00";
/// openssl enc -aes-128-cbc -K 4400AAF78378049CAB13EE4E350E281B
/// -iv C0503ECDE3DB6B2E52F59B95B6F19B58 over the 80 bytes above.
const MANUAL_ENCRYPTED: &str = "415908cd4976b2f3d40c4c14230335130a23cdd9c0693dcbf87ac99062ff6014\
6e6c046035d112caaacdadb4143992ae2be47ab00cc4b3d7e86da30a33dc2825\
9eafdddd6fe838f77ce6fa278699e633273ed441dae7c148fc217c323595170f";

#[test]
fn encode_builds_the_manuals_80_byte_file() {
    let json = tmp("manual.json", MANUAL_JSON.as_bytes());
    let out = webdyn(&["easy", "encode", s(&json)], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, hex(MANUAL_CRC_DUMP));

    let out = webdyn(
        &["easy", "encode", "--key", "RACq94N4BJyrE+5ONQ4oGw==", "-"],
        Some(MANUAL_JSON.as_bytes()),
    );
    assert!(out.status.success());
    assert_eq!(out.stdout, hex(MANUAL_ENCRYPTED));
}

#[test]
fn decode_adds_the_crc_object() {
    let f = tmp("123456-1591083697-config.bson", &hex(MANUAL_CRC_DUMP));
    let out = webdyn(&["easy", "decode", s(&f)], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["crc"],
        serde_json::json!({"stored": 0x2A0C_7BA3u32, "computed": 0x2A0C_7BA3u32, "ok": true})
    );
    assert_eq!(
        v["Config"]["Remote"]["NTP"],
        serde_json::json!(["ntp.google.com", ""])
    );

    let aes = tmp("123456-1591083697-config.bson.aes", &hex(MANUAL_ENCRYPTED));
    for key in [
        "RACq94N4BJyrE+5ONQ4oGw==",
        "44:00:AA:F7:83:78:04:9C:AB:13:EE:4E:35:0E:28:1B",
    ] {
        let out = webdyn(&["easy", "decode", "--key", key, s(&aes)], None);
        assert!(out.status.success());
        let w: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(w, v);
    }
}

#[test]
fn decode_then_encode_is_the_identity() {
    let json = r#"{"uid":"WE_1234","source":"ftp","TS":1560068897,"ack":{"type":"cmd","cid":"c_1234","result":"ok","data":"/f10/152233-cmd.bson"},"crc":0}"#;
    let first = webdyn(&["easy", "encode", "-"], Some(json.as_bytes()));
    assert!(first.status.success());
    let f = tmp("WE_1234-1560068897-ack.bson", &first.stdout);
    let decoded = webdyn(&["easy", "decode", s(&f)], None);
    assert!(decoded.status.success());
    let again = webdyn(&["easy", "encode", "-"], Some(&decoded.stdout));
    assert!(again.status.success());
    assert_eq!(again.stdout, first.stdout);
}

#[test]
fn the_manuals_broken_json_examples_encode() {
    // Trailing comma (erratum E13), Extended JSON v1 binaries.
    let json = r#"{ "config": { "radio": { "mode": [2,0], "duration": [120,180],
        "manufFilter": { "$type": "00","$binary":
"TDARpQ==" }, "mediumFilter": { "$type": "00","$binary": "BwE=" }, } }, "crc": 0 }"#;
    let out = webdyn(&["easy", "encode", "-"], Some(json.as_bytes()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = tmp("123456-cfg.bson", &out.stdout);
    let v: Value =
        serde_json::from_slice(&webdyn(&["easy", "decode", "--crc-mode", "2", s(&f)], None).stdout)
            .unwrap();
    assert_eq!(
        v["config"]["radio"]["manufFilter"]["$binary"]["base64"],
        "TDARpQ=="
    );
    assert_eq!(
        v["config"]["radio"]["manufFilter"]["$binary"]["subType"],
        "00"
    );
    assert_eq!(v["crc"]["ok"], true);
}

#[test]
fn errors_and_exit_codes() {
    let aes = tmp("x-1-data.bson.aes", &hex(MANUAL_ENCRYPTED));
    // .aes without a key: usage.
    let out = webdyn(&["easy", "decode", s(&aes)], None);
    assert_eq!(out.status.code(), Some(2));
    // Wrong key: the input is invalid, one line on stderr.
    let out = webdyn(
        &[
            "easy",
            "decode",
            "--key",
            "00112233445566778899aabbccddeeff",
            s(&aes),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrong key"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
    // A key that is not 16 bytes: usage.
    let out = webdyn(&["easy", "decode", "--key", "RACq94N4", s(&aes)], None);
    assert_eq!(out.status.code(), Some(2));
    // A damaged CRC: JSON still printed with ok false, exit 1.
    let mut bad = hex(MANUAL_CRC_DUMP);
    bad[44] = b'N';
    let f = tmp("bad-cfg.bson", &bad);
    let out = webdyn(&["easy", "decode", s(&f)], None);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["crc"]["ok"], false);
    assert_eq!(v["crc"]["stored"], 0x2A0C_7BA3u32);
    // crcMode 0 accepts it.
    assert!(
        webdyn(&["easy", "decode", "--crc-mode", "0", s(&f)], None)
            .status
            .success()
    );
    // Not BSON at all.
    let f = tmp("junk.bson", b"hello world, not bson");
    assert_eq!(
        webdyn(&["easy", "decode", s(&f)], None).status.code(),
        Some(1)
    );
    // --strict refuses out-of-range values and names the field.
    let json = r#"{"config":{"radio":{"duration":0}},"crc":0}"#;
    let out = webdyn(&["easy", "encode", "--strict", "-"], Some(json.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("config.radio.duration[0]"));
    let out = webdyn(&["easy", "encode", "-"], Some(json.as_bytes()));
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
    // A typed file whose values cannot be what the hub reads.
    let out = webdyn(
        &["easy", "encode", "-"],
        Some(br#"{"cmd":{"type":"reboot"},"crc":0}"#),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reboot"));
}

/// The Amber AMB8426-M manual's mode-5 telegram (meter 12345678, key
/// 00..0F) as the hub stores it (no CRCs).
const AMBER: &str = "1E44A2057856341200037A350010051E34C77CFE6C59B154B663297FE6C3F7";

fn data_json() -> String {
    let f = hex(AMBER);
    let b64 = webdyn_files::easy::base64::encode(&f);
    format!(
        r#"{{"uid":"WE_1234","source":"schedule","TS":1560068897,"frameCount":1,
            "data":[{{"T":1560066602,"R":199,"F":{{"$type":"80","$binary":"{b64}"}}}}],"crc":0}}"#
    )
}

#[test]
fn frames_are_decoded_with_meter_keys() {
    let enc = webdyn(
        &["easy", "encode", "--key", "RACq94N4BJyrE+5ONQ4oGw==", "-"],
        Some(data_json().as_bytes()),
    );
    assert!(
        enc.status.success(),
        "{}",
        String::from_utf8_lossy(&enc.stderr)
    );
    let f = tmp("WE_1234-1560068897-data.bson.aes", &enc.stdout);
    let out = webdyn(
        &[
            "easy",
            "frames",
            "--key",
            "RACq94N4BJyrE+5ONQ4oGw==",
            "--wmbus-key",
            "12345678=000102030405060708090A0B0C0D0E0F",
            s(&f),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["T"], 1_560_066_602);
    assert_eq!(lines[0]["R"], 199);
    assert_eq!(lines[0]["rssi_dbm_guess"], -57);
    assert_eq!(lines[0]["hex"], AMBER.to_lowercase());
    let d = &lines[0]["decoded"];
    assert_eq!(d["manufacturer"], "AMB");
    assert_eq!(d["id"], "12345678");
    assert_eq!(d["security_mode"], 5);
    assert_eq!(d["decrypted"], true);

    // Without the meter key: still one line per frame, not decrypted.
    let out = webdyn(
        &["easy", "frames", "--key", "RACq94N4BJyrE+5ONQ4oGw==", s(&f)],
        None,
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(v["decoded"]["decrypted"], false);

    // decode --wmbus-key puts "decoded" beside the frame.
    let out = webdyn(
        &[
            "easy",
            "decode",
            "--key",
            "RACq94N4BJyrE+5ONQ4oGw==",
            "--wmbus-key",
            "000102030405060708090A0B0C0D0E0F",
            s(&f),
        ],
        None,
    );
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["data"][0]["decoded"]["decrypted"], true);
    // The subtype is shown as stored: this file was encoded from the
    // manual's notation `"$type": "80"` (erratum E7).
    assert_eq!(v["data"][0]["F"]["$binary"]["subType"], "80");
    assert_eq!(v["frameCount"], 1);
}

#[test]
fn demo_section() {
    let out = webdyn(&["demo", "--only", "easy"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["easy"]["manual_config_example"]["crc"], "0x2A0C7BA3");
    assert_eq!(v["easy"]["manual_config_example"]["bytes"], 80);
    let data = &v["easy"]["data_file"]["document"]["data"];
    assert_eq!(data[0]["decoded"]["decrypted"], true);
    assert_eq!(data[1]["decoded"]["records"][0]["value"], 2.341);
}

#[test]
fn the_manuals_whitelist_example_encodes_as_8_byte_ids() {
    // Manual §4.2.2.1, two of its lines: each "$binary" glues two ids
    // (erratum E8), and a trailing comma (E13).
    let json = r#"{
  "wlFilter":
  [
    { "id": { "$binary": "FIZEsRQABBE=MExBKpkgwAE=", "$type": "00" } },
    { "id": { "$binary": "MEzBHKogzAE=kiYQAwARHgM=", "$type": "00" } },
  ],
  "crc": 0
}"#;
    let out = webdyn(&["easy", "encode", "-"], Some(json.as_bytes()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = tmp("123456-wFilter.bson", &out.stdout);
    let v: Value =
        serde_json::from_slice(&webdyn(&["easy", "decode", "--crc-mode", "2", s(&f)], None).stdout)
            .unwrap();
    let ids: Vec<&str> = v["wlFilter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"]["$binary"]["base64"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "FIZEsRQABBE=",
            "MExBKpkgwAE=",
            "MEzBHKogzAE=",
            "kiYQAwARHgM="
        ]
    );
}
