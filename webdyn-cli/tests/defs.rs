//! `webdyn defs` end to end, through the built binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

mod common;
use common::webdyn;

/// A fresh directory holding the given files.
fn dir(test: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("webdyn-defs-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for (name, content) in files {
        std::fs::write(d.join(name), content).unwrap();
    }
    d
}

fn p(d: &std::path::Path, name: &str) -> String {
    d.join(name).to_string_lossy().into_owned()
}

const DAQ: &str = "type;ip;mask;gateway;dns1;dns2\nLAN1;192.93.121.37;255.255.255.0;192.93.121.1;192.93.121.8;\nindex;interface;name;address;acqPeriod(s);timeout(ms);serialNumber;parameters;tag;model;defFile\nIO;;Io;;36000;;;;WebdynSunPM;ioSunPM;WPM00C715_IO.csv\n1;192.93.121.23:502;inv;126;600;5000;;1;Inverter;Solar_Inverter;inv.csv\n";
const IO_DEF: &str = "io;Input/Output;Webdyn;ioSunPM\n1;2;1;1;;digital1;;;;;0\n";
const INV_DEF: &str =
    "modbus;Inverter;SMA;STP\n1;3;40083;I16;W_SF;W;;;;W;4\n2;3;40084;I16;;W_SF;;;;;1\n";

#[test]
fn check_valid_files_prints_nothing() {
    let d = dir(
        "valid",
        &[
            ("WPM00C715_daq.csv", DAQ.as_bytes()),
            ("WPM00C715_IO.csv", IO_DEF.as_bytes()),
            ("inv.csv", INV_DEF.as_bytes()),
        ],
    );
    let (code, out, err) = webdyn(
        &[
            "defs",
            "check",
            &p(&d, "WPM00C715_daq.csv"),
            &p(&d, "inv.csv"),
            &p(&d, "WPM00C715_IO.csv"),
        ],
        b"",
    );
    assert_eq!(
        (code, String::from_utf8(out).unwrap(), err.as_str()),
        (0, String::new(), "")
    );
}

#[test]
fn check_reports_file_line_col() {
    // No inv.csv next to the daq file; the FR IO line with 10 fields.
    let daq = DAQ.replace("IO;;Io;;36000;;;;", "IO;;Io;;36000;;;");
    let d = dir(
        "broken",
        &[
            ("WPM00C715_daq.csv", daq.as_bytes()),
            ("WPM00C715_IO.csv", IO_DEF.as_bytes()),
        ],
    );
    let f = p(&d, "WPM00C715_daq.csv");
    let (code, out, err) = webdyn(&["defs", "check", &f], b"");
    assert_eq!(code, 1, "{err}");
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        vec![
            format!("{f}:4:53: device record needs 11 fields, found 10"),
            format!("{f}:5:65: definition file 'inv.csv' not found"),
        ]
    );
}

#[test]
fn check_kind_from_name_and_stdin() {
    let d = dir(
        "kinds",
        &[(
            "X_var.ini",
            b"SCHEDULE_Params[0]=1|everyday|25:00:00|1440|1\n",
        )],
    );
    let f = p(&d, "X_var.ini");
    let (code, out, _) = webdyn(&["defs", "check", &f], b"");
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{f}:1:31: StartTime 25:00:00 is not a time of day (00:00:00-23:59:59)\n")
    );
    let (code, out, _) = webdyn(
        &["defs", "check", "--kind", "config", "-"],
        b"SERVER_Address=a\r\nFTP_Port=99999\r\n",
    );
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "-:1:17: warning: CRLF line endings (saved by a Windows editor or Excel); the gateway writes LF\n-:2:10: FTP_Port must be between 1 and 65535, found 99999\n"
    );
    let (code, out, _) = webdyn(
        &["defs", "check", "--errors-only", "--kind", "config", "-"],
        b"SERVER_Address=a\r\n",
    );
    assert_eq!((code, out.len()), (0, 0));
    // A name that says nothing: usage error.
    let (code, _, err) = webdyn(&["defs", "check", "-"], b"x");
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = webdyn(&["defs", "check", "--kind", "nope", "-"], b"x");
    assert_eq!(code, 2);
}

#[test]
fn check_non_utf8() {
    let (code, out, _) = webdyn(
        &["defs", "check", "--kind", "def", "-"],
        b"modbus;A;B;C\n1;3;0;U16;;caf\xe9;;;;;4\n",
    );
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "-:2:15: not UTF-8 (byte offset 27); the gateway expects UTF-8\n"
    );
}

#[test]
fn json_round_trip_is_byte_for_byte_for_every_kind() {
    let cases: [(&str, &[u8]); 7] = [
        ("config", b"\xef\xbb\xbfSERVER_Address = a  \r\nX_Unknown=1\r\nBIN_Checksum=ec97aab9a0f112918ce24a494d2fe141  \n"),
        ("var", b"\nSCHEDULE_Params[0]=1|Monday|00:00:00|1440|1\n\nSCHEDULE2_Params[0]=1|everyday|00:00:00|86400|1"),
        ("daq", DAQ.as_bytes()),
        ("scl", b"SCRIPT_Args[0]={\\\"a\\\":\\\"1\\\"}\nSCRIPT_Enable[0]=1\nSCRIPT_File[0]=Test script 1.lua\n"),
        ("licence", b"opaque\r\nlicence"),
        ("def", b"modbus ; Inverter ; SMA ; STP ; 1\n1;3;40083;I16;;W;;1.0;;W;4;\n\n2;3;40084;I16;;W_SF;;;;;1\n"),
        ("slave", b"ModbusSlave\n1;;0;;INVERTER1;Temperature;;;;;1\n4;;13_24;;INVERTER2;;DisplaySerialNumber;;;;;1\n"),
    ];
    for (kind, input) in cases {
        let (code, json, err) = webdyn(&["defs", "to-json", "--kind", kind, "-"], input);
        assert_eq!(code, 0, "{kind}: {err}");
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["kind"], kind);
        let (code, back, err) = webdyn(&["defs", "from-json", "--kind", kind, "-"], &json);
        assert_eq!(code, 0, "{kind}: {err}");
        assert_eq!(back, input, "{kind}");
    }
}

#[test]
fn to_json_is_typed_and_editable() {
    let d = dir("typed", &[("WPM00C715_daq.csv", DAQ.as_bytes())]);
    let (code, json, err) = webdyn(&["defs", "to-json", &p(&d, "WPM00C715_daq.csv")], b"");
    assert_eq!(code, 0, "{err}");
    let mut v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["kind"], "daq");
    let dev = &v["lines"][4]["record"]["device"];
    assert_eq!(dev["address"], 126);
    assert_eq!(dev["interface"]["tcp"]["port"], 502);
    assert_eq!(v["lines"][1]["record"]["lan"]["ip"], "192.93.121.37");
    // Change the address: only that line is rewritten.
    v["lines"][4]["record"]["device"]["address"] = serde_json::json!(7);
    let (code, back, err) = webdyn(
        &["defs", "from-json", "--kind", "daq", "-"],
        v.to_string().as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(back).unwrap(),
        DAQ.replace(";inv;126;", ";inv;7;")
    );
    // A JSON of another kind is refused.
    let (code, _, err) = webdyn(&["defs", "from-json", "--kind", "var", "-"], &json);
    assert_eq!(code, 1);
    assert!(err.contains("kind \"daq\""), "{err}");
}

#[test]
fn demo_has_a_defs_section() {
    let (code, out, err) = webdyn(&["demo", "--only", "defs"], b"");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let vars = &v["defs"]["definition"]["variables"];
    // W = 12345 with W_SF = -1 -> 1234.5 W; 50 Hz from a word-swapped F32.
    assert_eq!(vars[2]["value"], 1234.5);
    assert_eq!(vars[4]["value"], 50.0);
    assert_eq!(vars[0]["raw"], "WD-0042");
    assert_eq!(v["defs"]["definition"]["read_plan"][0]["count"], 18);
    assert_eq!(v["defs"]["daq"]["devices"][2]["protocol"], "SmaNet");
}

#[test]
fn from_json_generates_a_file_from_typed_records_only() {
    // A backend writes the typed form without any layout: canonical output.
    let json = br#"{"kind":"def","lines":[
        {"record":{"header":{"protocol":"modbus","category":"Meter","manufacturer":"Acme","model":"M1","forced_write":1}}},
        {"record":{"variable":{"index":"1","info1":"3","info2":"40000","info3":"U32_W","info4":"","name":"E-Total","tag":"","coef_a":0.001,"coef_b":null,"unit":"kWh","action":4}}}
    ]}"#;
    let (code, out, err) = webdyn(&["defs", "from-json", "--kind", "def", "-"], json);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "modbus;Meter;Acme;M1;1\n1;3;40000;U32_W;;E-Total;;0.001;;kWh;4\n"
    );
    let json = br#"{"lines":[{"record":{"schedule":{"server":"backup","index":0,"id":1,"kind":"sunday","start":{"hour":21,"minute":0,"second":0},"interval":1440,"count":1}}}]}"#;
    let (code, out, err) = webdyn(&["defs", "from-json", "--kind", "var", "-"], json);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "SCHEDULE2_Params[0]=1|sunday|21:00:00|1440|1\n"
    );
    let (code, _, err) = webdyn(
        &["defs", "from-json", "--kind", "var", "-"],
        b"{\"lines\":[{\"record\":{\"nope\":1}}]}",
    );
    assert_eq!(code, 1, "{err}");
}

#[test]
fn check_cross_checks_files_given_together() {
    // inv.csv is an IO definition while the device is Modbus TCP; the slave
    // mapping points at a device and at a name that is no device.
    let slave = "ModbusSlave\n1;;0;;inv;W;;;;;1\n2;;1;;regulation;X;;;;;4\n";
    let d = dir(
        "cross",
        &[
            ("WPM00C715_daq.csv", DAQ.as_bytes()),
            ("WPM00C715_IO.csv", IO_DEF.as_bytes()),
            ("inv.csv", IO_DEF.as_bytes()),
            ("map.csv", slave.as_bytes()),
        ],
    );
    let (daq, io, inv, map) = (
        p(&d, "WPM00C715_daq.csv"),
        p(&d, "WPM00C715_IO.csv"),
        p(&d, "inv.csv"),
        p(&d, "map.csv"),
    );
    let (code, out, err) = webdyn(&["defs", "check", &daq, &io, &inv, &map], b"");
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        String::from_utf8(out).unwrap().lines().collect::<Vec<_>>(),
        vec![
            format!(
                "{daq}:5:65: definition file 'inv.csv' is for protocol 'io', but 'inv' is a Modbus TCP device"
            ),
            format!(
                "{map}:3:7: warning: Info4 'regulation' is not a device name of the daq file (a Lua script?)"
            ),
        ]
    );
}

#[test]
fn to_json_explains_modbus_rows() {
    let def =
        b"modbus;Inverter;SMA;STP;1\n1;3;40083;I16;;W;;;;W;4\n2;4;30000_10;String;;SN;;;;;1\n";
    let (code, json, err) = webdyn(&["defs", "to-json", "--kind", "def", "-"], def);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let m = &v["lines"][1]["record"]["variable"]["modbus"];
    // Forced write code 1: FC 0x10 (16) even for one holding register.
    assert_eq!(
        (m["read_function"].as_u64(), m["write_function"].as_u64()),
        (Some(3), Some(16))
    );
    let m = &v["lines"][2]["record"]["variable"]["modbus"];
    // 10 bytes = 5 input registers, read-only.
    assert_eq!(
        (m["registers"].as_u64(), m["read_function"].as_u64()),
        (Some(5), Some(4))
    );
    assert!(m["write_function"].is_null());
    // The annotation does not disturb the round trip.
    let (code, back, _) = webdyn(&["defs", "from-json", "--kind", "def", "-"], &json);
    assert_eq!((code, back.as_slice()), (0, &def[..]));
}
