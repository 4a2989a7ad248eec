//! Lossy UTF-8 decoding of owned documents (`Document::from_slice_with`
//! with `Utf8::Lossy`): invalid sequences become U+FFFD exactly as
//! `String::from_utf8_lossy` (the Unicode "maximal subpart" practice)
//! replaces them, every other check still fails the decode, and valid
//! documents decode as in strict mode.
#![cfg(feature = "alloc")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_files::bson::document::{DecodeOptions, Utf8};
use webdyn_files::bson::{Bson, Document, ErrorKind, Limits};

fn lossy() -> DecodeOptions {
    DecodeOptions::new().utf8(Utf8::Lossy)
}

/// Wraps element bytes (tag, key, value) into a framed document.
fn framed(elements: &[u8]) -> Vec<u8> {
    let len = (elements.len() + 5) as i32;
    let mut out = len.to_le_bytes().to_vec();
    out.extend_from_slice(elements);
    out.push(0);
    out
}

/// One element: tag, key C string, then the value bytes.
fn element(tag: u8, key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend_from_slice(key);
    out.push(0);
    out.extend_from_slice(value);
    out
}

/// A BSON string value: int32 length (with the terminator), bytes, 0x00.
fn string(text: &[u8]) -> Vec<u8> {
    let mut out = ((text.len() + 1) as i32).to_le_bytes().to_vec();
    out.extend_from_slice(text);
    out.push(0);
    out
}

/// `{"s": <text>}` as a BSON string.
fn string_doc(text: &[u8]) -> Vec<u8> {
    framed(&element(0x02, b"s", &string(text)))
}

// Invalid sequences, each with the replacement the Unicode standard's
// recommended practice (U+FFFD per maximal subpart, chapter 3.9) gives.
const CASES: &[(&str, &[u8], &str)] = &[
    ("start", b"\xFFabc", "\u{FFFD}abc"),
    ("middle", b"ab\xC3(cd", "ab\u{FFFD}(cd"),
    ("end", b"abc\xFE", "abc\u{FFFD}"),
    ("lone continuation", b"a\x80b", "a\u{FFFD}b"),
    // Overlong "/": C0 and C1 can never start a sequence, each byte is
    // replaced on its own.
    ("overlong 2-byte", b"\xC0\xAF", "\u{FFFD}\u{FFFD}"),
    // E0 must be followed by A0..BF: E0 alone is a maximal subpart.
    (
        "overlong 3-byte",
        b"\xE0\x80\xAF",
        "\u{FFFD}\u{FFFD}\u{FFFD}",
    ),
    (
        "overlong 4-byte",
        b"\xF0\x80\x80\xAF",
        "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
    ),
    // Surrogates U+D800 and U+DFFF encoded as UTF-8 (CESU): ED must be
    // followed by 80..9F.
    (
        "high surrogate",
        b"x\xED\xA0\x80y",
        "x\u{FFFD}\u{FFFD}\u{FFFD}y",
    ),
    ("low surrogate", b"\xED\xBF\xBF", "\u{FFFD}\u{FFFD}\u{FFFD}"),
    // Beyond U+10FFFF.
    (
        "above max",
        b"\xF4\x90\x80\x80",
        "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
    ),
    // A multi-byte character cut at the end of the string: one U+FFFD
    // for the whole truncated prefix.
    ("truncated 2 of 4", b"ok\xF0\x9F", "ok\u{FFFD}"),
    ("truncated 3 of 4", b"ok\xF0\x9F\x98", "ok\u{FFFD}"),
    ("truncated 2 of 3", b"\xE2\x82", "\u{FFFD}"),
    // Latin-1 "é" between valid UTF-8 "é".
    (
        "latin-1 among utf-8",
        b"\xC3\xA9\xE9\xC3\xA9",
        "\u{e9}\u{FFFD}\u{e9}",
    ),
];

#[test]
fn invalid_string_values_are_replaced_like_from_utf8_lossy() {
    for &(name, bytes, expected) in CASES {
        let b = string_doc(bytes);
        // The independent oracle agrees with the standard's table.
        assert_eq!(String::from_utf8_lossy(bytes), expected, "oracle, {name}");
        // Strict: an error at the first invalid byte (4 length + 1 tag +
        // 2 key + 4 string length = 11, then the valid prefix).
        let e = Document::from_slice(&b).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidUtf8, "{name}");
        let valid_up_to = std::str::from_utf8(bytes).unwrap_err().valid_up_to();
        assert_eq!(e.offset, 11 + valid_up_to, "{name}");
        let d = Document::from_slice_with(&b, &lossy()).unwrap();
        assert_eq!(d.get_str("s"), Some(expected), "{name}");
        assert_eq!(d.len(), 1);
    }
}

#[test]
fn strict_options_behave_like_from_slice() {
    let b = string_doc(b"\xFF");
    let e = Document::from_slice_with(&b, &DecodeOptions::new()).unwrap_err();
    assert_eq!(e, Document::from_slice(&b).unwrap_err());
    assert_eq!(DecodeOptions::default(), DecodeOptions::new());
    assert_eq!(DecodeOptions::new().utf8, Utf8::Strict);
}

#[test]
fn every_text_position_is_replaced() {
    // {"k\xFF": "a", "c": code "\xE9", "y": symbol "\xE9", "r": /\xE9/\xFFi,
    //  "p": dbpointer("\xE9", id), "w": code_w_scope("\xE9", {"\xE9": "\xE9"}),
    //  "d": {"e": "\xE9"}, "a": ["ok", "\xE9"]}
    let mut el = Vec::new();
    el.extend(element(0x02, b"k\xFF", &string(b"a")));
    el.extend(element(0x0D, b"c", &string(b"\xE9")));
    el.extend(element(0x0E, b"y", &string(b"\xE9")));
    el.extend(element(0x0B, b"r", b"\xE9\x00i\xFF\x00"));
    let mut ptr = string(b"\xE9");
    ptr.extend_from_slice(&[7; 12]);
    el.extend(element(0x0C, b"p", &ptr));
    let scope = framed(&element(0x02, b"\xE9", &string(b"\xE9")));
    let code = string(b"\xE9");
    let mut cws = ((4 + code.len() + scope.len()) as i32)
        .to_le_bytes()
        .to_vec();
    cws.extend(&code);
    cws.extend(&scope);
    el.extend(element(0x0F, b"w", &cws));
    el.extend(element(
        0x03,
        b"d",
        &framed(&element(0x02, b"e", &string(b"\xE9"))),
    ));
    let mut arr = element(0x02, b"0", &string(b"ok"));
    arr.extend(element(0x02, b"1", &string(b"\xE9")));
    el.extend(element(0x04, b"a", &framed(&arr)));
    let b = framed(&el);

    assert_eq!(
        Document::from_slice(&b).unwrap_err().kind,
        ErrorKind::InvalidUtf8
    );
    let d = Document::from_slice_with(&b, &lossy()).unwrap();
    let r = "\u{FFFD}";
    let keys: Vec<&str> = d.keys().collect();
    assert_eq!(keys, ["k\u{FFFD}", "c", "y", "r", "p", "w", "d", "a"]);
    assert_eq!(d.get_str("k\u{FFFD}"), Some("a"));
    assert_eq!(d.get("c"), Some(&Bson::JavaScriptCode(r.into())));
    assert_eq!(d.get("y"), Some(&Bson::Symbol(r.into())));
    match d.get("r") {
        // Options are sorted: U+FFFD sorts after "i".
        Some(Bson::RegularExpression(x)) => {
            assert_eq!(x.pattern, r);
            assert_eq!(x.options, "i\u{FFFD}");
        }
        other => panic!("regex expected, got {other:?}"),
    }
    match d.get("p") {
        Some(Bson::DbPointer(p)) => {
            assert_eq!(p.namespace, r);
            assert_eq!(p.id.0, [7; 12]);
        }
        other => panic!("dbpointer expected, got {other:?}"),
    }
    match d.get("w") {
        Some(Bson::JavaScriptCodeWithScope(c)) => {
            assert_eq!(c.code, r);
            assert_eq!(c.scope.get_str(r), Some(r));
        }
        other => panic!("code with scope expected, got {other:?}"),
    }
    assert_eq!(d.get_document("d").unwrap().get_str("e"), Some(r));
    assert_eq!(
        d.get_array("a").unwrap(),
        &[Bson::String("ok".into()), Bson::String(r.into())][..]
    );
    // The replaced document encodes (it is valid UTF-8 now) and decodes
    // strictly to itself.
    let again = d.to_vec().unwrap();
    assert_eq!(Document::from_slice(&again).unwrap(), d);
}

#[test]
fn other_errors_still_fail_after_a_replaced_string() {
    // {"s": "\xE9", "b": bool 2}: the first element takes bytes 4..13
    // (tag, "s\0", length, 0xE9, 0x00), the boolean byte is at 13 + 3.
    let mut el = element(0x02, b"s", &string(b"\xE9"));
    el.extend(element(0x08, b"b", &[2]));
    let b = framed(&el);
    let e = Document::from_slice_with(&b, &lossy()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidBool(2));
    assert_eq!(e.offset, 16);

    // A string whose length runs past the document, after a bad one.
    let mut el = element(0x02, b"s", &string(b"\xE9"));
    el.extend(element(0x02, b"t", &100i32.to_le_bytes()));
    let b = framed(&el);
    let e = Document::from_slice_with(&b, &lossy()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Length(100));
    assert_eq!(e.offset, 16);

    // An unknown type tag 0x20 after a bad string.
    let mut el = element(0x02, b"s", &string(b"\xE9"));
    el.extend(element(0x20, b"u", &[]));
    let e = Document::from_slice_with(&framed(&el), &lossy()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownType(0x20));
    assert_eq!(e.offset, 13);

    // A key without terminator after a bad string: the document body ends
    // inside the key.
    let mut el = element(0x02, b"s", &string(b"\xE9"));
    el.extend([0x10, b'k', b'k']);
    let e = Document::from_slice_with(&framed(&el), &lossy()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnterminatedCString);
    assert_eq!(e.offset, 14);

    // A DBPointer whose ObjectId is cut short.
    let mut ptr = string(b"\xE9");
    ptr.extend_from_slice(&[1; 5]);
    let e = Document::from_slice_with(&framed(&element(0x0C, b"p", &ptr)), &lossy()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Truncated);
    assert_eq!(e.offset, 4 + 3 + 6);
}

#[test]
fn limits_apply_in_lossy_mode() {
    // Three levels: {"a": {"b": {"s": "\xE9"}}}.
    let inner = string_doc(b"\xE9");
    let mid = framed(&element(0x03, b"b", &inner));
    let b = framed(&element(0x03, b"a", &mid));
    let deep = lossy().limits(Limits {
        max_depth: 2,
        ..Limits::DEFAULT
    });
    let e = Document::from_slice_with(&b, &deep).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep(2));
    // The third document starts at 4 + 3 (outer) + 4 + 3 (middle).
    assert_eq!(e.offset, 14);
    let d = Document::from_slice_with(&b, &lossy()).unwrap();
    let s = d
        .get_document("a")
        .and_then(|a| a.get_document("b"))
        .and_then(|b| b.get_str("s"));
    assert_eq!(s, Some("\u{FFFD}"));
    let small = lossy().limits(Limits {
        max_size: 10,
        ..Limits::DEFAULT
    });
    let e = Document::from_slice_with(&b, &small).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::TooLarge { limit: 10, .. }));
}

#[test]
fn official_corpus_utf8_cases_decode_lossily_and_the_rest_still_fail() {
    let Some(dir) = webdyn_testkit::vectors("bson/mongodb-specifications/source/bson-corpus/tests")
    else {
        return;
    };
    let (mut utf8, mut other) = (0, 0);
    for file in webdyn_testkit::files_with_suffix(&dir, ".json") {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in v
            .get("decodeErrors")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            let desc = case["description"].as_str().unwrap();
            let b = webdyn_testkit::hex(case["bson"].as_str().unwrap()).unwrap();
            let strict = Document::from_slice(&b).unwrap_err();
            // The corpus names its UTF-8 cases ("invalid UTF-8", "String
            // with bad UTF-8"); each holds a single Latin-1 "é" (0xE9).
            if desc.contains("UTF-8") {
                utf8 += 1;
                assert_eq!(strict.kind, ErrorKind::InvalidUtf8, "{file:?} {desc}");
                let d = Document::from_slice_with(&b, &lossy())
                    .unwrap_or_else(|e| panic!("{file:?} {desc}: {e}"));
                let text = match d.get("a") {
                    Some(Bson::String(s) | Bson::JavaScriptCode(s) | Bson::Symbol(s)) => s,
                    Some(Bson::DbPointer(p)) => &p.namespace,
                    other => panic!("{file:?} {desc}: {other:?}"),
                };
                assert_eq!(text, "\u{FFFD}", "{file:?} {desc}");
            } else {
                other += 1;
                let e = Document::from_slice_with(&b, &lossy()).unwrap_err();
                assert_eq!(e, strict, "{file:?} {desc}");
            }
        }
    }
    println!(
        "corpus decodeErrors: {utf8} UTF-8 cases decode lossily, {other} other cases still fail"
    );
    assert_eq!(utf8, 4, "string, code, symbol and dbpointer each have one");
    assert!(other > 50, "only {other} other decodeErrors cases found");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lossy_matches_from_utf8_lossy(text in proptest::collection::vec(any::<u8>(), 0..24),
                                     key in proptest::collection::vec(1u8..=255, 1..8)) {
        let b = framed(&element(0x02, &key, &string(&text)));
        let d = Document::from_slice_with(&b, &lossy()).unwrap();
        let k = String::from_utf8_lossy(&key);
        prop_assert_eq!(d.get_str(&k), Some(&*String::from_utf8_lossy(&text)));
        // Strict succeeds exactly when both are valid UTF-8, and then
        // agrees with the lossy decode.
        let valid = std::str::from_utf8(&text).is_ok() && std::str::from_utf8(&key).is_ok();
        match Document::from_slice(&b) {
            Ok(s) => { prop_assert!(valid); prop_assert_eq!(s, d); }
            Err(e) => { prop_assert!(!valid); prop_assert_eq!(e.kind, ErrorKind::InvalidUtf8); }
        }
    }

    #[test]
    fn valid_documents_round_trip_in_lossy_mode(
        items in proptest::collection::vec(("\\PC{1,6}", "\\PC{0,12}", any::<i64>()), 0..6)
    ) {
        let mut d = Document::new();
        for (k, s, i) in items {
            d.push_unchecked(k.clone(), s);
            d.push_unchecked(k, Bson::Array(vec![Bson::Int64(i)]));
        }
        let bytes = d.to_vec().unwrap();
        prop_assert_eq!(Document::from_slice_with(&bytes, &lossy()).unwrap(), d);
    }
}

// Key paths of errors: `Document::from_slice_with_path`,
// `de::from_slice_with_path` and `Error::key_path`.

mod paths {
    use super::*;
    use webdyn_files::bson::RawDocument;
    #[cfg(feature = "serde")]
    use webdyn_files::bson::document::PathError;
    use webdyn_files::bson::document::key_path;
    use webdyn_files::doc;

    /// `bytes` with the first occurrence of `find` (searched from `from`)
    /// replaced by `with`; returns the offset.
    fn patch(bytes: &mut [u8], from: usize, find: &[u8], with: &[u8]) -> usize {
        let at = from
            + bytes[from..]
                .windows(find.len())
                .position(|w| w == find)
                .unwrap();
        bytes[at..at + with.len()].copy_from_slice(with);
        at
    }

    #[test]
    fn owned_decode_names_array_indexes_and_nested_keys() {
        let d = doc! {
            "T": 1,
            "frames": [ { "F": "ok" }, { "F": "ok" }, { "F": "ok" }, { "F": "ok", "G": true } ],
            "meta": { "site": { "name": "n" } }
        };
        let good = d.to_vec().unwrap();
        assert_eq!(
            Document::from_slice_with_path(&good, &DecodeOptions::new()).unwrap(),
            d
        );

        // Invalid UTF-8 in frames[3].F: the fourth "ok".
        let mut b = good.clone();
        let mut at = 0;
        for _ in 0..4 {
            at = patch(&mut b, at, b"ok", b"ok") + 1;
        }
        let bad = patch(&mut b, at - 1, b"ok", b"\xFFk");
        let e = Document::from_slice_with_path(&b, &DecodeOptions::new()).unwrap_err();
        assert_eq!(e.error.kind, ErrorKind::InvalidUtf8);
        assert_eq!(e.error.offset, bad);
        assert_eq!(e.path, "frames.3.F");
        assert_eq!(e.error.key_path(&b), "frames.3.F");
        assert_eq!(
            e.to_string(),
            format!("invalid UTF-8 at byte {bad} (in frames.3.F)")
        );
        // Lossy mode decodes it; the same bytes with a bad boolean next to
        // it still fail, with the boolean's path.
        let lossy_doc = Document::from_slice_with_path(&b, &lossy()).unwrap();
        assert_eq!(
            lossy_doc.get_array("frames").unwrap()[3]
                .as_document()
                .unwrap()
                .get_str("F"),
            Some("\u{FFFD}k")
        );
        let g = patch(&mut b, bad, b"G\x00\x01", b"G\x00\x05") + 2;
        let e = Document::from_slice_with_path(&b, &lossy()).unwrap_err();
        assert_eq!(
            e.error,
            webdyn_files::bson::Error::new(ErrorKind::InvalidBool(5), g)
        );
        assert_eq!(e.path, "frames.3.G");

        // Two levels of documents: a string length running past its
        // document in meta.site.name.
        let mut b = good.clone();
        let at = patch(
            &mut b,
            0,
            b"name\x00\x02\x00\x00\x00",
            b"name\x00\x40\x00\x00\x00",
        );
        let e = Document::from_slice_with_path(&b, &DecodeOptions::new()).unwrap_err();
        assert_eq!(e.error.kind, ErrorKind::Length(0x40));
        assert_eq!(e.error.offset, at + 5);
        assert_eq!(e.path, "meta.site.name");
    }

    #[test]
    fn framing_errors_name_the_container() {
        // {"a": [ {<length 3>} ]}: an embedded document's length below 5
        // is reported at its length prefix, which belongs to element a.0.
        let b = framed(&element(
            0x04,
            b"a",
            &framed(&element(0x03, b"0", &[3, 0, 0, 0, 0])),
        ));
        let e = Document::from_slice(&b).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DocumentLength(3));
        assert_eq!(e.offset, 4 + 3 + 4 + 3);
        assert_eq!(e.key_path(&b), "a.0");
        // The top-level length is the top-level document's: empty path.
        let mut b2 = b.clone();
        b2[0] = 200;
        let e = Document::from_slice_with_path(&b2, &DecodeOptions::new()).unwrap_err();
        assert_eq!(e.path, "");
        assert_eq!(
            e.to_string(),
            format!("{} (in the top-level document)", e.error)
        );
        // An unterminated key: the path ends in what there is of it.
        let mut el = element(0x10, b"x", &1i32.to_le_bytes());
        el.extend([0x10, b'y', b'z']);
        let b = framed(&element(0x03, b"d", &framed(&el)));
        let e = Document::from_slice(&b).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnterminatedCString);
        assert_eq!(e.key_path(&b), "d.yz");
        // The validating reader's errors explain themselves the same way.
        let e = RawDocument::parse(&b)
            .and_then(|d| d.validate())
            .unwrap_err();
        assert_eq!(e.key_path(&b), "d.yz");
    }

    #[test]
    fn code_with_scope_scopes_are_walked_into() {
        // {"w": code_w_scope("c", {"s": <bool 9>})}
        let scope = framed(&element(0x08, b"s", &[9]));
        let code = string(b"c");
        let mut cws = ((4 + code.len() + scope.len()) as i32)
            .to_le_bytes()
            .to_vec();
        cws.extend(&code);
        cws.extend(&scope);
        let b = framed(&element(0x0F, b"w", &cws));
        let e = Document::from_slice(&b).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidBool(9));
        assert_eq!(e.key_path(&b), "w.s");
    }

    #[test]
    fn key_path_never_panics_on_any_offset() {
        let b = doc! { "a": [1, { "b": "c" }], "d": 2.5 }.to_vec().unwrap();
        // Every offset resolves to a prefix of the element structure.
        let allowed = ["", "a", "a.0", "a.1", "a.1.b", "d"];
        for off in 0..b.len() + 3 {
            let p = key_path(&b, off);
            assert!(allowed.contains(&p.as_str()), "{off}: {p}");
        }
        // The element "a" starts at byte 4 (its tag): from there on, the
        // path is "a" until "a.0"'s tag.
        assert_eq!(key_path(&b, 3), "");
        assert_eq!(key_path(&b, 4), "a");
        for cut in 0..b.len() {
            for off in [0, cut / 2, cut] {
                let _ = key_path(&b[..cut], off);
            }
        }
    }

    #[cfg(feature = "serde")]
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Frame {
        #[serde(rename = "F")]
        f: u8,
    }
    #[cfg(feature = "serde")]
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Log {
        site: Site,
        frames: Vec<Frame>,
    }
    #[cfg(feature = "serde")]
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Site {
        name: String,
        id: i32,
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_errors_carry_key_paths() {
        use webdyn_files::bson::de::from_slice_with_path;
        let ok = doc! { "site": { "name": "x", "id": 1 }, "frames": [{ "F": 1 }, { "F": 2 }] };
        let log: Log = from_slice_with_path(&ok.to_vec().unwrap()).unwrap();
        assert_eq!(log.frames.len(), 2);

        // Wrong type in frames[1].F.
        let b = doc! { "site": { "name": "x", "id": 1 }, "frames": [{ "F": 1 }, { "F": "two" }] }
            .to_vec()
            .unwrap();
        let e: PathError = from_slice_with_path::<Log>(&b).unwrap_err();
        assert_eq!(e.path, "frames.1.F");
        // u8 out of range in frames[0].F.
        let b = doc! { "site": { "name": "x", "id": 1 }, "frames": [{ "F": 300 }] }
            .to_vec()
            .unwrap();
        assert_eq!(
            from_slice_with_path::<Log>(&b).unwrap_err().path,
            "frames.0.F"
        );
        // A missing field is reported on the document that lacks it.
        let b = doc! { "site": { "name": "x" }, "frames": [] }
            .to_vec()
            .unwrap();
        let e = from_slice_with_path::<Log>(&b).unwrap_err();
        assert!(e.error.to_string().contains("missing field `id`"), "{e}");
        assert_eq!(e.path, "site");
        // Invalid UTF-8 under serde (strict there): site.name.
        let mut b = doc! { "site": { "name": "xy", "id": 1 }, "frames": [] }
            .to_vec()
            .unwrap();
        let at = patch(&mut b, 0, b"xy", b"\xC3y");
        let e = from_slice_with_path::<Log>(&b).unwrap_err();
        assert_eq!(e.error.kind, ErrorKind::InvalidUtf8);
        assert_eq!(e.error.offset, at);
        assert_eq!(e.path, "site.name");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes (framed, so the walk gets past the length prefix):
    /// lossy decode and key paths never panic; lossy decode agrees with
    /// strict decode whenever strict succeeds, fails with the same error
    /// whenever strict fails on anything but UTF-8, and every path it
    /// reports names keys that exist in order.
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..64),
                                   off in 0usize..80) {
        let b = framed(&body);
        let strict = Document::from_slice(&b);
        let lossy_result = Document::from_slice_with(&b, &lossy());
        match (&strict, &lossy_result) {
            (Ok(s), Ok(l)) => prop_assert_eq!(s, l),
            (Ok(_), Err(e)) => prop_assert!(false, "lossy failed where strict did not: {e}"),
            (Err(e), r) if e.kind != ErrorKind::InvalidUtf8 => {
                prop_assert_eq!(r.as_ref().err(), Some(e));
            }
            (Err(_), _) => {}
        }
        if let Err(e) = strict {
            let _ = e.key_path(&b);
        }
        let _ = webdyn_files::bson::document::key_path(&b, off);
        let _ = webdyn_files::bson::document::key_path(&body, off);
    }
}

/// A document with every text-bearing type, for the corruption test.
fn rich_document() -> Vec<u8> {
    use webdyn_files::bson::{DbPointer, JavaScriptCodeWithScope, ObjectId, Regex};
    let mut d = webdyn_files::doc! {
        "s": "héllo wörld",
        "a": ["x", { "k": "v" }, 3],
        "n": { "deep": { "t": "☆" } },
    };
    d.insert("r", Regex::new("^é+$", "mi"));
    d.insert(
        "p",
        DbPointer {
            namespace: "db.é".into(),
            id: ObjectId([1; 12]),
        },
    );
    d.insert(
        "w",
        JavaScriptCodeWithScope {
            code: "f(é)".into(),
            scope: webdyn_files::doc! { "é": "ü" },
        },
    );
    d.insert("c", Bson::JavaScriptCode("g()".into()));
    d.insert("y", Bson::Symbol("sym".into()));
    d.to_vec().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// One or two corrupted bytes anywhere in a document holding every
    /// text-bearing type: the lossy decoder never panics, agrees with the
    /// strict one wherever that succeeds, and never fails on UTF-8.
    #[test]
    fn corrupted_documents_never_panic(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..3)) {
        let mut b = rich_document();
        for (i, v) in edits {
            let i = i % b.len();
            b[i] = v;
        }
        let strict = Document::from_slice(&b);
        let lossy_result = Document::from_slice_with(&b, &lossy());
        if let Ok(s) = &strict {
            prop_assert_eq!(Some(s), lossy_result.as_ref().ok());
        }
        if let Err(e) = &strict {
            let _ = e.key_path(&b);
        }
        if let Err(e) = &lossy_result {
            prop_assert_ne!(&e.kind, &ErrorKind::InvalidUtf8);
            let _ = e.key_path(&b);
        }
    }
}

#[test]
fn a_latin1_byte_in_each_text_field_decodes_lossily() {
    // Replace the first byte of each non-ASCII character in turn with
    // 0xFF: the strict decoder fails on UTF-8, the lossy one succeeds.
    let b = rich_document();
    let mut tried = 0;
    for i in 0..b.len() {
        if b[i] >= 0xC0 && b[i] != 0xFF {
            let mut bad = b.clone();
            bad[i] = 0xFF;
            let e = Document::from_slice(&bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidUtf8, "byte {i}");
            assert_eq!(e.offset, i);
            let d = Document::from_slice_with(&bad, &lossy()).unwrap();
            assert_eq!(d.len(), 8);
            tried += 1;
        }
    }
    // é in s, ö in s, é in r, é in p, é in the code, é and ü in the scope,
    // ☆ in n.deep.t.
    assert_eq!(tried, 8);
}
