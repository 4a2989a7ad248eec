//! `webdyn bson` end to end, through the built binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;
use common::webdyn;

/// bsonspec.org: {"hello": "world"}
const HELLO: &[u8] = b"\x16\x00\x00\x00\x02hello\x00\x06\x00\x00\x00world\x00\x00";

#[test]
fn to_json_canonical_and_relaxed() {
    // {"n": 1} as int32 then int64 (bsonspec element layout)
    let mut doc =
        b"\x17\x00\x00\x00\x10i\x00\x01\x00\x00\x00\x12l\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"
            .to_vec();
    let (code, out, err) = webdyn(&["bson", "to-json", "-"], &doc);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"i\":{\"$numberInt\":\"1\"},\"l\":{\"$numberLong\":\"2\"}}\n"
    );
    let (code, out, _) = webdyn(&["bson", "to-json", "--relaxed", "-"], &doc);
    assert_eq!(code, 0);
    assert_eq!(String::from_utf8(out).unwrap(), "{\"i\":1,\"l\":2}\n");
    // two concatenated documents: JSON Lines
    doc.extend_from_slice(HELLO);
    let (code, out, _) = webdyn(&["bson", "to-json", "--relaxed", "-"], &doc);
    assert_eq!(code, 0);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"i\":1,\"l\":2}\n{\"hello\":\"world\"}\n"
    );
}

#[test]
fn from_json_then_to_json_is_identity_on_canonical_input() {
    let canonical = r#"{"_id":{"$oid":"57e193d7a9cc81b4027498b5"},"s":"x","d":{"$numberDouble":"-1.5"},"b":{"$binary":{"base64":"AQID","subType":"80"}},"t":{"$timestamp":{"t":42,"i":1}},"dt":{"$date":{"$numberLong":"1356351330501"}},"dec":{"$numberDecimal":"1.23E+3"},"a":[{"$numberInt":"1"},null,true],"sub":{"k":{"$minKey":1}}}"#;
    let (code, bytes, err) = webdyn(&["bson", "from-json", "-"], canonical.as_bytes());
    assert_eq!(code, 0, "{err}");
    let (code, back, err) = webdyn(&["bson", "to-json", "-"], &bytes);
    assert_eq!(code, 0, "{err}");
    assert_eq!(String::from_utf8(back).unwrap().trim_end(), canonical);
    // and the bytes are the hello-world example for the spec's document
    let (code, bytes, _) = webdyn(&["bson", "from-json", "-"], br#"{"hello": "world"}"#);
    assert_eq!(code, 0);
    assert_eq!(bytes, HELLO);
}

#[test]
fn errors_say_where() {
    // truncated document: exit 1 and a byte offset
    let (code, out, err) = webdyn(&["bson", "to-json", "-"], &HELLO[..HELLO.len() - 1]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("byte"), "{err}");
    assert_eq!(err.lines().count(), 1);
    // a bad boolean byte at offset 7
    let (code, _, err) = webdyn(
        &["bson", "to-json", "-"],
        b"\x09\x00\x00\x00\x08a\x00\x02\x00",
    );
    assert_eq!(code, 1);
    assert!(err.contains("at byte 7"), "{err}");
    // bad Extended JSON: line and column
    let (code, _, err) = webdyn(
        &["bson", "from-json", "-"],
        b"{\n  \"a\": {\"$oid\": 42}\n}",
    );
    assert_eq!(code, 1);
    // the offending value, "42", starts at line 2, column 17
    assert!(err.contains(":2:17:"), "{err}");
    // missing file: usage/I-O error
    let (code, _, _) = webdyn(&["bson", "to-json", "/nonexistent/x.bson"], b"");
    assert_eq!(code, 2);
}

#[test]
fn demo_section() {
    let (code, out, err) = webdyn(&["demo", "--only", "bson"], b"");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["bson"]["frames"][0]["R"], -71);
    assert_eq!(
        v["bson"]["frames"][1]["F"]["$binary"]["base64"],
        "DkSlEQEAAAABGw=="
    );
    assert_eq!(v["bson"]["kWh"]["$numberDecimal"], "1234.567");
}

#[test]
fn from_json_accepts_json_lines() {
    let lines = b"{\"hello\": \"world\"}\n{\"hello\": \"world\"}\n";
    let (code, bytes, err) = webdyn(&["bson", "from-json", "-"], lines);
    assert_eq!(code, 0, "{err}");
    assert_eq!(bytes, [HELLO, HELLO].concat());
    // an error on the second line is reported there
    let (code, _, err) = webdyn(
        &["bson", "from-json", "-"],
        b"{\"a\": 1}\n{\"b\": {\"$numberInt\": \"x\"}}\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains(":2:7:"), "{err}");
}

#[test]
fn to_json_lossy_replaces_invalid_utf8_and_errors_name_the_key() {
    // {"m": {"s": "a\xE9b"}}: a Latin-1 byte where UTF-8 is required, at
    // byte 4 + 3 (m) + 4 + 3 (s) + 4 (length) + 1 = 19.
    let doc =
        b"\x18\x00\x00\x00\x03m\x00\x10\x00\x00\x00\x02s\x00\x04\x00\x00\x00a\xE9b\x00\x00\x00";
    let (code, out, err) = webdyn(&["bson", "to-json", "-"], doc);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("invalid UTF-8 at byte 19"), "{err}");
    assert!(err.contains("(in m.s)"), "{err}");
    let (code, out, err) = webdyn(&["bson", "to-json", "--lossy", "-"], doc);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["m"]["s"], "a\u{FFFD}b");
    // Valid documents are untouched by --lossy, in a stream with a lossy one.
    let both = [doc.as_slice(), HELLO].concat();
    let (code, out, err) = webdyn(&["bson", "to-json", "--lossy", "--relaxed", "-"], &both);
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1], "{\"hello\":\"world\"}");
    // --lossy does not excuse other errors: a boolean byte 2 after the bad
    // string, at byte 4 + 9 + 3 = 16, in the second document of a stream.
    let bad = b"\x12\x00\x00\x00\x02s\x00\x02\x00\x00\x00\xE9\x00\x08b\x00\x02\x00";
    let stream = [HELLO, bad.as_slice()].concat();
    let (code, _, err) = webdyn(&["bson", "to-json", "--lossy", "-"], &stream);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("at byte {}", HELLO.len() + 16)),
        "{err}"
    );
    assert!(err.contains("(in b)"), "{err}");
}
