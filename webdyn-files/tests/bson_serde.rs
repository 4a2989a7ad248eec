//! serde and owned-document behaviour of `webdyn_files::bson`, checked
//! against the examples of bsonspec.org.
#![cfg(all(feature = "serde", feature = "alloc"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use serde::{Deserialize, Serialize};
use webdyn_files::bson::{
    self, Binary, Bson, Document, ErrorKind, RawBinary, RawBson, RawDocument, Writer,
};
use webdyn_files::doc;

/// bsonspec.org: {"BSON": ["awesome", 5.05, 1986]}
const AWESOME: &[u8] = b"\x31\x00\x00\x00\x04BSON\x00\x26\x00\x00\x00\x020\x00\x08\x00\x00\x00awesome\x00\x011\x00\x33\x33\x33\x33\x33\x33\x14\x40\x102\x00\xc2\x07\x00\x00\x00\x00";

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Item<'a> {
    S(&'a str),
    I(i32),
    F(f64),
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Awesome<'a> {
    #[serde(rename = "BSON", borrow)]
    bson: Vec<Item<'a>>,
}

#[test]
fn bsonspec_example_all_paths() {
    // serde
    let v = Awesome {
        bson: vec![Item::S("awesome"), Item::F(5.05), Item::I(1986)],
    };
    assert_eq!(bson::to_vec(&v).unwrap(), AWESOME);
    let back: Awesome = bson::from_slice(AWESOME).unwrap();
    assert_eq!(back, v);
    // owned document + macro
    let d = doc! { "BSON": ["awesome", 5.05, 1986] };
    assert_eq!(d.to_vec().unwrap(), AWESOME);
    assert_eq!(Document::from_slice(AWESOME).unwrap(), d);
    // writer into a caller buffer
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    w.start_document().unwrap();
    w.start_array("BSON").unwrap();
    w.append_str("", "awesome").unwrap();
    w.append_f64("", 5.05).unwrap();
    w.append_i32("", 1986).unwrap();
    w.end_array().unwrap();
    w.end_document().unwrap();
    assert_eq!(w.into_bytes().unwrap(), AWESOME);
    // no-alloc serde into a slice, and too small a slice
    let mut small = [0u8; 48];
    assert!(matches!(
        bson::to_slice(&v, &mut small).unwrap_err().kind,
        ErrorKind::BufferTooSmall { .. }
    ));
    let mut exact = [0u8; 49];
    assert_eq!(bson::to_slice(&v, &mut exact).unwrap(), AWESOME);
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Frame<'a> {
    #[serde(rename = "T")]
    t: i32,
    #[serde(rename = "R")]
    r: i32,
    #[serde(borrow)]
    raw: RawBinary<'a>,
    owned: Binary,
    #[serde(with = "serde_bytes_like")]
    plain: Vec<u8>,
    missing: Option<u32>,
    big: u64,
    kind: Kind,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Kind {
    Meter,
    Gateway { id: u16 },
}

mod serde_bytes_like {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(webdyn_files::bson::Binary::deserialize(d)?.bytes)
    }
}

#[test]
fn binaries_keep_subtypes_and_borrow() {
    let payload = [0x2C, 0x44, 0x01, 0x02];
    let f = Frame {
        t: 1_700_000_000,
        r: -71,
        raw: RawBinary {
            subtype: 0x80,
            bytes: &payload,
        },
        owned: Binary {
            subtype: 4,
            bytes: vec![7; 16],
        },
        plain: vec![1, 2, 3],
        missing: None,
        big: u64::from(u32::MAX) + 1,
        kind: Kind::Gateway { id: 9 },
    };
    let bytes = bson::to_vec(&f).unwrap();
    let raw = RawDocument::parse(&bytes).unwrap();
    assert_eq!(raw.get_i32("T").unwrap(), Some(1_700_000_000));
    assert_eq!(
        raw.get("raw").unwrap(),
        Some(RawBson::Binary(RawBinary {
            subtype: 0x80,
            bytes: &payload
        }))
    );
    assert_eq!(raw.get_binary("owned").unwrap().unwrap().subtype, 4);
    assert_eq!(raw.get_binary("plain").unwrap().unwrap().subtype, 0);
    assert_eq!(raw.get("missing").unwrap(), Some(RawBson::Null));
    assert_eq!(raw.get_i64("big").unwrap(), Some(4_294_967_296));
    let back: Frame = bson::from_slice(&bytes).unwrap();
    assert_eq!(back, f);
    // the borrowed binary points into the input
    assert!(bytes.as_ptr_range().contains(&back.raw.bytes.as_ptr()));
}

#[test]
fn deserialize_errors_have_offsets() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Need {
        a: i32,
        b: String,
    }
    // {"a": 1, "b": 2}: "b" has the wrong type; its element starts at byte 11
    let bytes = doc! { "a": 1, "b": 2 }.to_vec().unwrap();
    let e = bson::from_slice::<Need>(&bytes).unwrap_err();
    assert_eq!(e.offset, 11, "{e}");
    // truncated input
    let e = bson::from_slice::<Need>(&bytes[..bytes.len() - 1]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Truncated);
}

#[test]
fn document_insert_replaces_in_place() {
    let mut d = doc! { "a": 1, "b": 2 };
    assert_eq!(d.insert("a", "x"), Some(Bson::Int32(1)));
    assert_eq!(d.keys().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(d.remove("a"), Some(Bson::String("x".into())));
    assert_eq!(d.len(), 1);
}
