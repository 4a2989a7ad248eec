//! `webdyn wmbus decode | encode` against the contract of shared/spec/cli.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn webdyn(args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_webdyn"));
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(s) = stdin {
        // The child may exit before reading (usage errors): ignore a broken pipe.
        let _ = child.stdin.take().unwrap().write_all(s.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn lines(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn vector(rel: &str) -> Option<Value> {
    let p = webdyn_testkit::vectors(rel)?;
    Some(serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
}

/// Amber AMB8426-M example (spec B10): mode 5, key 00 01 … 0F, CRC-free.
const AMBER: &str = "1E44A2057856341200037A35001005 1E34C77CFE6C59B154B663297FE6C3F7";
const AMBER_KEY: &str = "000102030405060708090A0B0C0D0E0F";

#[test]
fn decode_contract_keys() {
    let o = webdyn(&["wmbus", "decode", "--key", AMBER_KEY, AMBER], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = &lines(&o)[0];
    assert_eq!(v["format"], "none");
    assert_eq!(v["crc_ok"], Value::Null);
    assert_eq!(v["c"], 0x44);
    assert_eq!(v["manufacturer"], "AMB");
    assert_eq!(v["id"], "12345678");
    assert_eq!(v["version"], 0);
    assert_eq!(v["device_type"], 3);
    assert_eq!(v["ci"], 0x7A);
    assert_eq!(v["access_number"], 0x35);
    assert_eq!(v["status"], 0);
    assert_eq!(v["security_mode"], 5);
    assert_eq!(v["decrypted"], true);
    assert_eq!(v["errors"], serde_json::json!([]));
    assert!(v["records"].is_array());
    // Plaintext of the manual: 2F 2F 00 7C 08 "TSET CNE" (reversed text).
    assert_eq!(v["apl"], "2f2f007c085453455420434e452f2f2f");
    // The same key given for this meter id, or in a key file.
    let o = webdyn(
        &[
            "wmbus",
            "decode",
            "--key",
            &format!("12345678={AMBER_KEY}"),
            AMBER,
        ],
        None,
    );
    assert_eq!(lines(&o)[0]["decrypted"], true);
    let dir = std::env::temp_dir().join(format!("webdyn-wmbus-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kf = dir.join("keys.txt");
    std::fs::write(
        &kf,
        format!("# meter keys\n99999999=00000000000000000000000000000000\n12345678={AMBER_KEY}\n"),
    )
    .unwrap();
    let o = webdyn(
        &["wmbus", "decode", "--key-file", kf.to_str().unwrap(), AMBER],
        None,
    );
    assert_eq!(lines(&o)[0]["decrypted"], true);
    // The telegram given byte by byte, unquoted.
    let mut args = vec!["wmbus", "decode", "--key", AMBER_KEY];
    let bytes: Vec<String> = webdyn_testkit::hex(AMBER)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    args.extend(bytes.iter().map(String::as_str));
    let o = webdyn(&args, None);
    assert_eq!(lines(&o).len(), 1);
    assert_eq!(lines(&o)[0]["decrypted"], true);
    // No key: reported encrypted, still exit 0.
    let o = webdyn(&["wmbus", "decode", AMBER], None);
    assert!(o.status.success());
    assert_eq!(lines(&o)[0]["decrypted"], false);
    assert_eq!(lines(&o)[0]["records"], serde_json::json!([]));
}

#[test]
fn wrong_key_exits_1_bad_crc_is_reported() {
    let o = webdyn(
        &[
            "wmbus",
            "decode",
            "--key",
            "11111111111111111111111111111111",
            AMBER,
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("wrong key"), "{stderr}");
    let v = &lines(&o)[0];
    assert_eq!(v["decrypted"], false);
    assert!(v["errors"][0].as_str().unwrap().contains("at byte 15"));
    // Format A built by encode, then one CRC byte flipped: exit 0, crc_ok false.
    let json = r#"{"format":"A","c":68,"manufacturer":"AMB","id":"12345678","version":0,"device_type":3,"ci":122,"access_number":53,"status":0,"security_mode":0,"apl":"0413393000002F2F"}"#;
    let o = webdyn(&["wmbus", "encode", "-"], Some(json));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let hex = String::from_utf8(o.stdout).unwrap().trim().to_string();
    let mut bytes = webdyn_testkit::hex(&hex).unwrap();
    bytes[11] ^= 0x01;
    let bad: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let o = webdyn(&["wmbus", "decode", "--format", "A", &bad], None);
    assert_eq!(o.status.code(), Some(0));
    let v = &lines(&o)[0];
    assert_eq!(v["crc_ok"], false);
    assert!(v["errors"][0].as_str().unwrap().contains("CRC"));
    // Usage error: not hex.
    let o = webdyn(&["wmbus", "decode", "12G4"], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn encode_then_decode_and_back() {
    // Encrypt in mode 5 with the CLI's "key", decode with it, then
    // decode | encode without a key reproduces the telegram byte for byte.
    let json = format!(
        r#"{{"format":"B","c":68,"manufacturer":"AMB","id":"12345678","version":1,"device_type":7,"ci":122,"access_number":9,"status":0,"security_mode":5,"key":"{AMBER_KEY}","records":[{{"raw":"041339300000"}}]}}"#
    );
    let o = webdyn(&["wmbus", "encode"], Some(&json));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let hex = String::from_utf8(o.stdout).unwrap().trim().to_string();
    let o = webdyn(&["wmbus", "decode", "--key", AMBER_KEY, &hex], None);
    let v = &lines(&o)[0];
    assert_eq!(v["format"], "B");
    assert_eq!(v["crc_ok"], true);
    assert_eq!(v["decrypted"], true);
    // 04 13: 32-bit volume in litres, 0x3039 = 12345 l = 12.345 m3.
    assert_eq!(v["records"][0]["quantity"], "volume");
    assert_eq!(v["records"][0]["unit"], "m3");
    assert_eq!(v["records"][0]["value"], 12.345);
    assert_eq!(v["records"][0]["raw"], "041339300000");
    let o = webdyn(&["wmbus", "decode", &hex], None);
    let line = String::from_utf8(o.stdout).unwrap();
    let o = webdyn(&["wmbus", "encode", "-"], Some(&line));
    assert_eq!(String::from_utf8(o.stdout).unwrap().trim(), hex);
}

#[test]
fn wired_frame() {
    // RSP_UD, CI 0x72, id 12345678, manufacturer 0x4024 ("PAD"), one record 04 13.
    let frame = "68 15 15 68 08 01 72 78563412 2440 01 07 55 00 0000 04 13 39300000 E8 16";
    let bytes = webdyn_testkit::hex(frame).unwrap();
    let sum = bytes[4..bytes.len() - 2]
        .iter()
        .fold(0u8, |s, b| s.wrapping_add(*b));
    let mut bytes = bytes;
    let n = bytes.len();
    bytes[n - 2] = sum;
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let o = webdyn(&["wmbus", "decode", &hex], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = &lines(&o)[0];
    assert_eq!(v["format"], "wired");
    assert_eq!(v["id"], "12345678");
    assert_eq!(v["manufacturer"], "PAD");
    assert_eq!(v["access_number"], 0x55);
    assert_eq!(v["records"][0]["value"], 12.345);
}

#[test]
fn mode7_vector_and_oms_example() {
    if let Some(v) = vector("wmbus/wmbusmeters/_derived/shell_test_vectors.json") {
        let v = &v[0];
        let key = format!("43054304={}", v["key"].as_str().unwrap());
        let o = webdyn(
            &["wmbus", "decode", "--key", &key, v["hex"].as_str().unwrap()],
            None,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let d = &lines(&o)[0];
        assert_eq!(d["format"], "B");
        assert_eq!(d["security_mode"], 7);
        assert_eq!(d["decrypted"], true);
        assert_eq!(d["security"]["mac_verified"], true);
        // wmbusmeters expects total 9341 kWh and 1348.631 m3.
        let recs = d["records"].as_array().unwrap();
        assert!(
            recs.iter()
                .any(|r| r["quantity"] == "energy" && r["value"] == 9_341_000 && r["unit"] == "Wh")
        );
        assert!(
            recs.iter()
                .any(|r| r["quantity"] == "volume" && r["value"] == 1348.631)
        );
    }
    if let Some(v) = vector("wmbus/misc/oms_mode5_example.json") {
        let v = &v[0];
        let dir = std::env::temp_dir().join(format!("webdyn-wmbus-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("telegrams.hex");
        std::fs::write(
            &f,
            format!(
                "{}\n\n{}\n",
                v["hex"].as_str().unwrap(),
                v["hex_crc_stripped"].as_str().unwrap()
            ),
        )
        .unwrap();
        let o = webdyn(
            &[
                "wmbus",
                "decode",
                "--key",
                v["key"].as_str().unwrap(),
                "--file",
                f.to_str().unwrap(),
            ],
            None,
        );
        let out = lines(&o);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["format"], "A");
        assert_eq!(out[1]["format"], "none");
        for d in out {
            assert_eq!(d["records"][0]["value"], 28504.27);
            assert_eq!(d["records"][0]["unit"], "m3");
        }
    }
}

#[test]
fn demo_section() {
    let o = webdyn(&["demo", "--only", "wmbus"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = v["wmbus"].as_array().unwrap();
    assert_eq!(t[0]["security_mode"], 5);
    assert_eq!(t[1]["security_mode"], 7);
    assert_eq!(t[1]["security"]["mac_verified"], true);
    assert!(t.iter().all(|t| t["decrypted"] == true));
}

/// An AFL fragment (id 1, more to come) is shown with its id, its more bit
/// and its piece of the message, and flagged as not reassembled.
#[test]
fn decode_shows_an_afl_fragment() {
    // L C M A, then AFL: CI 90, AFL length 2, FCL = 0x4001 (LE: 01 40),
    // then the first piece of the message (TPL CI 78 and a record's start).
    let frame = "1144A2057856341200079002014078041339";
    let o = webdyn(&["wmbus", "decode", "--format", "none", frame], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = &lines(&o)[0];
    assert_eq!(v["fragment"]["id"], 1);
    assert_eq!(v["fragment"]["more"], true);
    assert_eq!(v["fragment"]["payload"], "78041339");
    let errors = v["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("AFL fragment 1, more to come")),
        "{errors:?}"
    );
}

/// One run learns the format of a full frame (CI 0x78) and decodes the
/// compact frame (CI 0x79) after it; a compact frame whose format was not
/// learned (first line) says so under "compact" (only keys are added).
#[test]
fn decode_learns_formats_for_compact_frames() {
    // L C, M = KAM (2D 2C), id 12345678, version 1, water (7), CI, APL.
    // Full: 04 13 = 2345 l, 02 59 = 21.50 °C, with 2F fillers.
    let full = "17442D2C785634120107 78 2F2F 041329090000 2F 02596608";
    // Compact: signature crc16(04 13 02 59) = 0x9023 and data CRC
    // crc16(04 13 29 09 00 00 02 59 66 08) = 0xCC15, both LSB first.
    let compact = "14442D2C78563412010779 2390 15CC 290900006608";
    let input = format!("{compact}\n{full}\n{compact}\n");
    let o = webdyn(
        &["wmbus", "decode", "--format", "none", "--file", "-"],
        Some(&input),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = lines(&o);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["ci"], 0x79);
    assert_eq!(v[0]["records"].as_array().unwrap().len(), 0);
    // Reported under "compact"; `errors` and `valid` are as before.
    assert_eq!(v[0]["compact"]["decoded"], false);
    let e = v[0]["compact"]["error"].as_str().unwrap();
    assert!(e.contains("0x9023 unknown"), "{e}");
    assert_eq!(v[0]["errors"].as_array().unwrap().len(), 0);
    assert_eq!(v[1]["records"].as_array().unwrap().len(), 2);
    assert_eq!(v[2]["compact"]["signature"], "9023");
    assert_eq!(v[2]["compact"]["decoded"], true);
    assert_eq!(v[2]["valid"], true, "{:?}", v[2]["errors"]);
    let r = v[2]["records"].as_array().unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(
        (r[0]["value"].as_f64(), &r[0]["unit"]),
        (Some(2.345), &Value::from("m3"))
    );
    assert_eq!(
        (r[1]["value"].as_f64(), &r[1]["unit"]),
        (Some(21.5), &Value::from("°C"))
    );
    assert_eq!(r, v[1]["records"].as_array().unwrap());
}

/// The compact-frame demo: the full frame's format is learned and the
/// compact frame after it decodes to its own (new) values.
#[test]
fn demo_compact_section() {
    let o = webdyn(&["demo", "--only", "wmbus_compact"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = v["wmbus_compact"].as_array().unwrap();
    assert_eq!(
        (t[0]["ci"].as_u64(), t[1]["ci"].as_u64()),
        (Some(0x78), Some(0x79))
    );
    assert_eq!(t[1]["valid"], true, "{:?}", t[1]["errors"]);
    let r = t[1]["records"].as_array().unwrap();
    // 0x309D = 12445 l, 0x0874 = 2164 x 0.01 °C.
    assert_eq!(r[0]["value"].as_f64(), Some(12.445));
    assert_eq!(r[1]["value"].as_f64(), Some(21.64));
    assert_eq!(t[0]["records"][0]["value"].as_f64(), Some(12.345));
}
