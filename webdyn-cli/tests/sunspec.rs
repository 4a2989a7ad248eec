//! `webdyn sunspec` end to end, through the built binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
use common::{ok_json, webdyn};

#[test]
fn encode_then_decode_then_encode_is_stable() {
    let json = br#"{"models":[{"id":1,"points":{"Mn":"ACME","SN":"42"}},{"id":101,"points":{"W":-150,"W_SF":1}}]}"#;
    let (code, hex1, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let hex1 = String::from_utf8(hex1).unwrap();
    // SunS, then model 1 with length 66 (0x42), by the SunSpec layout.
    assert!(hex1.starts_with("53756e5300010042"), "{hex1}");
    let (code, decoded, err) = webdyn(&["sunspec", "decode", "-"], hex1.as_bytes());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&decoded).unwrap();
    assert_eq!(v["models"][0]["points"]["Mn"]["value"], "ACME");
    // W = -150 with W_SF = 1: -1500 W.
    assert_eq!(v["models"][1]["points"]["W"]["scaled"], "-1500");
    assert_eq!(v["models"][1]["points"]["W"]["units"], "W");
    let (code, hex2, err) = webdyn(&["sunspec", "encode", "-"], &decoded);
    assert_eq!(code, 0, "{err}");
    assert_eq!(String::from_utf8(hex2).unwrap(), hex1);
}

#[test]
fn bad_input_gives_exit_1_and_one_line() {
    let (code, _, err) = webdyn(&["sunspec", "decode", "-"], b"0001 0002");
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("SunS"), "{err}");
    // A raw model body that is not whole bytes: the input is invalid (1), and
    // the message names the model.
    let (code, _, err) = webdyn(
        &["sunspec", "encode", "-"],
        br#"{"models":[{"id":64001,"raw":"0001000"}]}"#,
    );
    assert_eq!(code, 1);
    assert!(err.contains("models[0].raw"), "{err}");
    let (code, _, _) = webdyn(&["sunspec", "decode", "/no/such/file"], b"");
    assert_eq!(code, 2);
    let (code, _, _) = webdyn(&["sunspec", "frobnicate"], b"");
    assert_eq!(code, 2);
}

#[test]
fn demo_includes_a_sunspec_inverter() {
    let v = ok_json(&["demo", "--only", "sunspec"], b"");
    // 1085 × 10^-2 A
    assert_eq!(v["sunspec"]["models"][1]["points"]["A"]["scaled"], "10.85");
    // St = 4 is "MPPT" in the SunSpec inverter models.
    assert_eq!(v["sunspec"]["models"][1]["points"]["St"]["symbol"], "MPPT");
    // Model 123 follows model 103: 40002 + 68 + 52 = 40122; WMaxLimPct at
    // 40127 holds 100.0 %, and the demo's write of 53.5 % is 535 there.
    assert_eq!(v["sunspec"]["models"][2]["addr"], 40122);
    assert_eq!(
        v["sunspec"]["models"][2]["points"]["WMaxLimPct"]["scaled"],
        "100.0"
    );
    assert_eq!(v["sunspec"]["write"]["addr"], 40127);
    assert_eq!(v["sunspec"]["write"]["registers"], serde_json::json!([535]));
}

#[test]
fn write_scales_a_set_point_with_the_image_scale_factor() {
    // SunS, common model, then model 123 at 40070 with WMaxLimPct_SF = -1.
    let json = br#"{"models":[{"id":1,"points":{"Mn":"ACME"}},{"id":123,"points":{"WMaxLimPct_SF":-1,"OutPFSet_SF":-3}}]}"#;
    let (code, hex, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let args = [
        "sunspec",
        "write",
        "--point",
        "123.WMaxLimPct",
        "--value",
        "53.5",
        "-",
    ];
    let (code, out, err) = webdyn(&args, &hex);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // 40070 + 5 = 40075 = 0x9C8B; 53.5 / 10^-1 = 535 = 0x0217.
    assert_eq!(v["addr"], 40075);
    assert_eq!(v["scale_factor"], -1);
    assert_eq!(v["registers"], serde_json::json!([535]));
    assert_eq!(v["pdu"], "109c8b0001020217");
    // A negative power factor: -0.95 at 10^-3 is -950 = 0xFC4A.
    let args = [
        "sunspec",
        "write",
        "--point",
        "123.OutPFSet",
        "--value",
        "-0.95",
        "-",
    ];
    let (code, out, err) = webdyn(&args, &hex);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["registers"], serde_json::json!([0xFC4A]));
    // Read-only and out-of-range values are refused (exit 1), bad syntax is
    // a usage error (exit 2).
    let (code, _, err) = webdyn(
        &["sunspec", "write", "--point", "1.Mn", "--value", "1", "-"],
        &hex,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("not a number") || err.contains("read-only"),
        "{err}"
    );
    let (code, _, err) = webdyn(
        &[
            "sunspec",
            "write",
            "--point",
            "123.WMaxLimPct",
            "--value",
            "7000",
            "-",
        ],
        &hex,
    );
    assert_eq!(code, 1);
    assert!(err.contains("70000") && err.contains("40075"), "{err}");
    let (code, _, _) = webdyn(
        &[
            "sunspec",
            "write",
            "--point",
            "WMaxLimPct",
            "--value",
            "1",
            "-",
        ],
        &hex,
    );
    assert_eq!(code, 2);
}

#[test]
fn unreadable_registers_in_a_dump_decode_as_not_readable() {
    // Common model at 40002, inverter 103 at 40070 (W_SF 0, A_SF -2).
    let json = br#"{"models":[{"id":1,"points":{"Mn":"SMA"}},{"id":103,"points":{"A":1085,"A_SF":-2,"W":7480,"W_SF":0}}]}"#;
    let (code, hex, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let hex = String::from_utf8(hex).unwrap();
    // One word per register, as dumps print them; the device refused W
    // (40070 + 14 = 40084) and A_SF (40070 + 6 = 40076).
    let words: Vec<String> = hex
        .trim()
        .as_bytes()
        .chunks(4)
        .enumerate()
        .map(|(i, w)| {
            if i == 84 || i == 76 {
                "----".to_string()
            } else {
                String::from_utf8(w.to_vec()).unwrap()
            }
        })
        .collect();
    let dump = words.join(" ");
    let v = ok_json(&["sunspec", "decode", "-"], dump.as_bytes());
    let inv = &v["models"][1]["points"];
    assert_eq!(inv["W"]["readable"], false);
    assert_eq!(inv["W"]["value"], serde_json::Value::Null);
    assert_eq!(inv["A_SF"]["readable"], false);
    // A itself was read, but without its scale factor it has no
    // engineering value.
    assert_eq!(inv["A"]["value"], 1085);
    assert_eq!(inv["A"]["scaled"], serde_json::Value::Null);
    assert_eq!(inv["W_SF"]["value"], 0);
    assert_eq!(
        v["unreadable"],
        serde_json::json!([[40076, 40077], [40084, 40085]])
    );
    assert_eq!(v["models"][0]["points"]["Mn"]["value"], "SMA");
    // A stray dash is not a register.
    let (code, _, err) = webdyn(&["sunspec", "decode", "-"], b"5375 6e53 --");
    assert_eq!(code, 1);
    assert!(err.contains("----"), "{err}");
}

#[test]
fn write_any_model_through_its_json_definition() {
    // A vendor model of our own: Lim (RW, scaled by Lim_SF), then a
    // read-only point.
    let dir = std::env::temp_dir().join(format!("webdyn-sunspec-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("model_64100.json"),
        r#"{"id": 64100, "group": {"name": "vendor_limit", "points": [
            {"name": "ID", "type": "uint16", "size": 1},
            {"name": "L", "type": "uint16", "size": 1},
            {"name": "Lim", "type": "uint16", "size": 1, "sf": "Lim_SF", "access": "RW"},
            {"name": "Lim_SF", "type": "sunssf", "size": 1},
            {"name": "Ro", "type": "uint16", "size": 1, "access": "R"}]}}"#,
    )
    .unwrap();
    let json =
        br#"{"models":[{"id":1,"points":{"Mn":"ACME"}},{"id":64100,"raw":"0000 fffe 0007"}]}"#;
    let (code, hex, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let models = dir.to_str().unwrap();
    let args = [
        "sunspec",
        "write",
        "--models",
        models,
        "--point",
        "64100.Lim",
        "--value",
        "12.345",
        "-",
    ];
    let v = ok_json(&args, &hex);
    // Model 64100 at 40070: Lim at 40072, Lim_SF = -2, 12.345 -> 1234.5 -> 1235.
    assert_eq!(v["addr"], 40072);
    assert_eq!(v["scale_factor"], -2);
    assert_eq!(v["registers"], serde_json::json!([1235]));
    let args = [
        "sunspec", "write", "--models", models, "--point", "64100.Ro", "--value", "1", "-",
    ];
    let (code, _, err) = webdyn(&args, &hex);
    assert_eq!(code, 1);
    assert!(err.contains("read-only") && err.contains("40074"), "{err}");
    // Without --models the model is unknown: a usage error.
    let args = [
        "sunspec",
        "write",
        "--point",
        "64100.Lim",
        "--value",
        "1",
        "-",
    ];
    let (code, _, err) = webdyn(&args, &hex);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn decode_names_enumerations_and_bit_fields() {
    // Model 103 with St = 4 and Evt1 = bits 2 and 7 plus vendor-ish bit 21;
    // Evt2 left "not implemented" (0xFFFFFFFF) by the encoder.
    let json = br#"{"models":[{"id":1,"points":{"Mn":"ACME"}},{"id":103,"points":{"St":4,"Evt1":2097284}},{"id":123,"points":{"Conn":1,"VArPct_Mod":3}}]}"#;
    let (code, hex, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = webdyn(&["sunspec", "decode", "-"], &hex);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let inv = &v["models"][1]["points"];
    // Symbol names from the SunSpec model 103 definition.
    assert_eq!(inv["St"]["value"], 4);
    assert_eq!(inv["St"]["symbol"], "MPPT");
    assert_eq!(
        inv["Evt1"]["flags"],
        serde_json::json!(["AC_DISCONNECT", "OVER_TEMP"])
    );
    assert_eq!(inv["Evt1"]["unknown_bits"], serde_json::json!([21]));
    assert_eq!(inv["Evt2"]["flags"], serde_json::Value::Null);
    // StVnd is an enumeration with no value and no names.
    assert_eq!(inv["StVnd"]["symbol"], serde_json::Value::Null);
    assert!(inv["StVnd"].as_object().unwrap().contains_key("symbol"));
    // Other points get no symbol keys.
    assert!(!inv["W"].as_object().unwrap().contains_key("symbol"));
    assert!(!inv["W"].as_object().unwrap().contains_key("flags"));
    let ctl = &v["models"][2]["points"];
    assert_eq!(ctl["Conn"]["symbol"], "CONNECT");
    assert_eq!(ctl["VArPct_Mod"]["symbol"], "VArAval");
    // The decoded JSON, with its new keys, still encodes to the same image.
    let (code, hex2, err) = webdyn(&["sunspec", "encode", "-"], &out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(hex2, hex);
}

#[test]
fn decode_with_json_models_names_symbols() {
    let dir = std::env::temp_dir().join(format!("webdyn-sunspec-symbols-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("model_64101.json"),
        r#"{"id": 64101, "group": {"name": "vendor_state", "points": [
            {"name": "ID", "type": "uint16", "size": 1},
            {"name": "L", "type": "uint16", "size": 1},
            {"name": "Mode", "type": "enum16", "size": 1,
             "symbols": [{"name": "IDLE", "value": 0}, {"name": "RUN", "value": 2}]},
            {"name": "Alm", "type": "bitfield16", "size": 1,
             "symbols": [{"name": "HOT", "value": 3}]}]}}"#,
    )
    .unwrap();
    // Mode = 2, Alm = bits 3 and 9.
    let json = br#"{"models":[{"id":1,"points":{"Mn":"ACME"}},{"id":64101,"raw":"0002 0208"}]}"#;
    let (code, hex, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let models = dir.to_str().unwrap();
    let v = ok_json(&["sunspec", "decode", "--models", models, "-"], &hex);
    let p = &v["models"][1]["points"];
    assert_eq!(p["Mode"]["symbol"], "RUN");
    assert_eq!(p["Alm"]["flags"], serde_json::json!(["HOT"]));
    assert_eq!(p["Alm"]["unknown_bits"], serde_json::json!([9]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn decode_with_json_models_applies_and_reports_patches() {
    // A copy of the shape sunspec/models#240 describes: ProbeTmp listed
    // before MainTmp in model 64020. The CLI reads MainTmp first.
    let dir = std::env::temp_dir().join(format!("webdyn-sunspec-patch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("model_64020.json"),
        r#"{"id": 64020, "group": {"name": "model_64020", "points": [
            {"name": "ID", "type": "uint16", "size": 1},
            {"name": "L", "type": "uint16", "size": 1},
            {"name": "ProbeTmp", "type": "int16", "size": 1, "units": "C"},
            {"name": "MainTmp", "type": "int16", "size": 1, "units": "C"}]}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("model_64021.json"),
        r#"{"id": 64021, "group": {"name": "plain", "points": [
            {"name": "ID", "type": "uint16", "size": 1},
            {"name": "L", "type": "uint16", "size": 1},
            {"name": "X", "type": "int16", "size": 1}]}}"#,
    )
    .unwrap();
    // 25 then 31 (0x0019, 0x001f); then model 64021 with X = 7.
    let json = br#"{"models":[{"id":1,"points":{"Mn":"ACME"}},{"id":64020,"raw":"0019 001f"},{"id":64021,"raw":"0007"}]}"#;
    let (code, hex, err) = webdyn(&["sunspec", "encode", "-"], json);
    assert_eq!(code, 0, "{err}");
    let models = dir.to_str().unwrap();
    let v = ok_json(&["sunspec", "decode", "--models", models, "-"], &hex);
    let m = &v["models"][1];
    assert_eq!(m["patches"], serde_json::json!([240]));
    assert_eq!(m["points"]["MainTmp"]["value"], 25);
    assert_eq!(m["points"]["ProbeTmp"]["value"], 31);
    assert_eq!(v["models"][2]["patches"], serde_json::json!([]));
    assert_eq!(v["models"][2]["points"]["X"]["value"], 7);
    // Built-in models are not read from JSON: no patches key.
    assert!(!v["models"][0].as_object().unwrap().contains_key("patches"));
    std::fs::remove_dir_all(&dir).unwrap();
}
