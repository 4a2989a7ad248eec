//! Fuzz targets of the BSON module of webdyn-files.

use crate::Target;
use webdyn_files::bson::{
    self, DateTime, Decimal128, Document, ObjectId, RawDocument, Timestamp, VecWriter, Writer,
    extjson,
};

/// The BSON targets.
pub const TARGETS: &[Target] = &[
    ("bson_validate", validate),
    ("bson_writer", writer),
    ("bson_extjson", extjson_parse),
];

/// Any bytes: the validating reader, the owned decoder and serde agree on
/// acceptance; accepted documents re-encode to a fixed point and their
/// canonical Extended JSON reads back to the same document.
pub fn validate(data: &[u8]) {
    let raw_ok = RawDocument::new(data).and_then(|d| d.validate().map(|()| d));
    let owned = Document::from_slice(data);
    let via_serde = bson::from_slice::<Document>(data);
    assert_eq!(raw_ok.is_ok(), owned.is_ok(), "reader and decoder disagree");
    assert_eq!(
        owned.is_ok(),
        via_serde.is_ok(),
        "decoder and serde disagree"
    );
    let (Ok(raw), Ok(doc)) = (raw_ok, owned) else {
        return;
    };
    for item in raw.iter() {
        assert!(item.is_ok(), "validated document failed to iterate");
    }
    let once = doc.to_vec().expect("encode");
    let twice = Document::from_slice(&once)
        .expect("re-decode")
        .to_vec()
        .expect("re-encode");
    assert_eq!(once, twice, "encode(decode(x)) is not a fixed point");
    let text =
        extjson::to_canonical(&RawDocument::parse(&once).expect("re-validate")).expect("json");
    let back = extjson::from_json_to_vec(&text).expect("canonical Extended JSON must parse");
    let text2 = extjson::to_canonical(&RawDocument::parse(&back).expect("valid")).expect("json");
    assert_eq!(text, text2, "canonical Extended JSON is not a fixed point");
    let _ = extjson::to_relaxed(&raw);
}

/// Bytes as a program for the writer: the same operations on a 512-byte
/// caller buffer and on a Vec must give the same bytes (unless the buffer
/// overflows, which must fail cleanly), and the result must validate.
pub fn writer(data: &[u8]) {
    let mut buf = [0u8; 512];
    let mut w = Writer::new(&mut buf);
    let mut v = VecWriter::new();
    let mut overflowed = false;
    let mut ops = data.iter().copied();
    let _ = w.start_document();
    let _ = v.start_document();
    let mut key_buf = [0u8; 4];
    while let Some(op) = ops.next() {
        let arg = ops.next().unwrap_or(0);
        let key = {
            let k = char::from(b'a' + arg % 26);
            &*k.encode_utf8(&mut key_buf)
        };
        let payload = data
            .get(..usize::from(arg) % data.len().max(1))
            .unwrap_or(&[]);
        let text = core::str::from_utf8(payload).unwrap_or("x");
        macro_rules! both {
            ($($call:tt)*) => {{
                let a = w.$($call)*;
                let b = v.$($call)*;
                match (&a, &b) {
                    (Err(e), Ok(())) if matches!(e.kind, bson::ErrorKind::BufferTooSmall { .. }) => {
                        overflowed = true;
                        break;
                    }
                    _ => assert_eq!(a.is_ok(), b.is_ok(), "slice and vec writers disagree: {a:?} {b:?}"),
                }
            }};
        }
        match op % 16 {
            0 => both!(append_i32(key, i32::from(arg))),
            1 => both!(append_i64(key, i64::from(arg) << 40)),
            2 => both!(append_f64(key, f64::from(arg) / 3.0)),
            3 => both!(append_str(key, text)),
            4 => both!(append_binary(key, arg, payload)),
            5 => both!(append_bool(key, arg & 1 == 1)),
            6 => both!(append_null(key)),
            7 => both!(start_subdocument(key)),
            8 => both!(start_array(key)),
            9 => both!(end_document()),
            10 => both!(end_array()),
            11 => both!(append_datetime(key, DateTime(i64::from(arg) * 1_000_003))),
            12 => both!(append_object_id(key, ObjectId([arg; 12]))),
            13 => both!(append_timestamp(
                key,
                Timestamp {
                    time: arg.into(),
                    increment: 1
                }
            )),
            14 => both!(append_decimal128(key, Decimal128::from(i64::from(arg)))),
            _ => both!(append_regex(key, text, "i")),
        }
    }
    if overflowed {
        return;
    }
    while v.depth() > 0 {
        let _ = if v.end_document().is_err() {
            v.end_array()
        } else {
            Ok(())
        };
        let _ = if w.end_document().is_err() {
            w.end_array()
        } else {
            Ok(())
        };
    }
    let (Ok(a), Ok(b)) = (w.into_bytes(), v.into_vec()) else {
        return;
    };
    assert_eq!(a, &b[..], "slice and vec writers wrote different bytes");
    for doc in bson::stream::documents(a) {
        doc.expect("framed")
            .validate()
            .expect("written documents validate");
    }
}

/// Any text as Extended JSON: accepted input encodes to valid BSON whose
/// canonical Extended JSON parses back to the same bytes.
pub fn extjson_parse(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = extjson::from_json(text) else {
        return;
    };
    let Ok(bytes) = doc.to_vec() else {
        return;
    };
    let raw = RawDocument::parse(&bytes).expect("encoded Extended JSON must validate");
    let canonical = extjson::to_canonical(&raw).expect("json");
    let again = extjson::from_json_to_vec(&canonical).expect("canonical output must parse");
    assert_eq!(
        again, bytes,
        "canonical Extended JSON round trip changed the bytes"
    );
}
