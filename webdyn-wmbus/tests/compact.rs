//! Compact frames and the format cache: frames built here from the rule
//! (signature = CRC-16/EN-13757 of the DIF/VIF bytes, data CRC = the same
//! CRC of the full record bytes, both LSB first), with the CRC values
//! computed independently (a bitwise CRC-16, poly 0x3D65, xorout 0xFFFF,
//! written outside this crate), the errors, the eviction rule, and a
//! property test full -> compact -> decode.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_wmbus::app::compact::{MAX_FORMAT_LEN, encode_compact};
use webdyn_wmbus::app::{
    Coding, CompactError, Decimal, Format, FormatCache, Function, RecordKind, RecordRepr, Records,
    Value,
};

/// 04 13: volume in litres, 2345 l; 02 59: flow temperature in 0.01 °C,
/// 2150; with fillers in front and between, which the compact form drops.
const FULL: [u8; 13] = [
    0x2F, 0x2F, 0x04, 0x13, 0x29, 0x09, 0x00, 0x00, 0x2F, 0x02, 0x59, 0x66, 0x08,
];
/// crc16(04 13 02 59) = 0x9023, crc16(04 13 29 09 00 00 02 59 66 08) = 0xCC15.
const COMPACT: [u8; 10] = [0x23, 0x90, 0x15, 0xCC, 0x29, 0x09, 0x00, 0x00, 0x66, 0x08];

fn values(records: Records<'_>) -> Vec<(String, &'static str)> {
    records
        .map(|r| {
            let r = r.unwrap();
            (r.value.to_string(), r.unit())
        })
        .collect()
}

#[test]
fn signature_and_data_crc_follow_the_rule() {
    let f = Format::from_records(&FULL).unwrap();
    assert_eq!(f.as_bytes(), &[0x04, 0x13, 0x02, 0x59]);
    assert_eq!(f.signature(), 0x9023);
    let mut out = [0u8; 32];
    let n = encode_compact(&FULL, &mut out).unwrap();
    assert_eq!(&out[..n], &COMPACT);
}

#[test]
fn learned_format_decodes_compact_payload() {
    let mut cache = FormatCache::<2>::new();
    assert_eq!(cache.learn(&FULL).unwrap(), 0x9023);
    let mut buf = [0u8; 14];
    let records = cache.decode_compact(&COMPACT, &mut buf).unwrap();
    assert_eq!(
        values(records),
        [("2.345".to_string(), "m3"), ("21.50".to_string(), "°C")]
    );
    // The rebuilt records are the full frame's without fillers.
    assert_eq!(&buf[..10], &[4, 0x13, 0x29, 9, 0, 0, 2, 0x59, 0x66, 8]);
}

#[test]
fn lvar_plain_text_and_manufacturer_data() {
    // 0D FD 11 + LVAR 3 ASCII "CBA"; 02 7C 02 "Wk" (unit "kW") 1000;
    // 0F + manufacturer data 01 02 to the end.
    let full = [
        0x0D, 0xFD, 0x11, 0x03, 0x41, 0x42, 0x43, 0x02, 0x7C, 0x02, 0x57, 0x6B, 0xE8, 0x03, 0x0F,
        0x01, 0x02,
    ];
    let mut cache = FormatCache::<1>::new();
    assert_eq!(cache.learn(&full).unwrap(), 0x576F);
    let compact = [
        0x6F, 0x57, 0x81, 0x47, 0x03, 0x41, 0x42, 0x43, 0xE8, 0x03, 0x01, 0x02,
    ];
    let mut out = [0u8; 32];
    let n = encode_compact(&full, &mut out).unwrap();
    assert_eq!(&out[..n], &compact);
    let mut buf = [0u8; 32];
    let rs: Vec<_> = cache
        .decode_compact(&compact, &mut buf)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rs.len(), 3);
    assert_eq!(rs[0].value.to_string(), "CBA");
    assert_eq!(rs[1].value, Value::Number(Decimal::new(1000, 0)));
    assert_eq!(
        rs[2].kind,
        RecordKind::ManufacturerData {
            more_follows: false
        }
    );
    assert_eq!(rs[2].value, Value::Bytes(&[0x01, 0x02]));
}

#[test]
fn errors_say_what_and_where() {
    let mut cache = FormatCache::<2>::new();
    let mut buf = [0u8; 32];
    assert_eq!(
        cache.decode_compact(&COMPACT, &mut buf).unwrap_err(),
        CompactError::UnknownSignature { signature: 0x9023 }
    );
    cache.learn(&FULL).unwrap();
    assert_eq!(
        cache.decode_compact(&COMPACT[..3], &mut buf).unwrap_err(),
        CompactError::Truncated {
            offset: 0,
            needed: 4,
            available: 3
        }
    );
    // The second record's 2 data bytes start at byte 8; one is missing.
    assert_eq!(
        cache.decode_compact(&COMPACT[..9], &mut buf).unwrap_err(),
        CompactError::Truncated {
            offset: 8,
            needed: 2,
            available: 1
        }
    );
    let mut longer = COMPACT.to_vec();
    longer.push(0x55);
    assert_eq!(
        cache.decode_compact(&longer, &mut buf).unwrap_err(),
        CompactError::TrailingData { offset: 10, len: 1 }
    );
    let mut bad = COMPACT;
    bad[4] ^= 1;
    assert!(matches!(
        cache.decode_compact(&bad, &mut buf).unwrap_err(),
        CompactError::DataCrc { expected: 0xCC15, computed } if computed != 0xCC15
    ));
    assert_eq!(
        cache.decode_compact(&COMPACT, &mut buf[..9]).unwrap_err(),
        CompactError::BufferTooSmall { needed: 10 }
    );
    // Messages name the byte.
    let e = CompactError::DataCrc {
        expected: 0xCC15,
        computed: 0x1234,
    };
    assert!(e.to_string().starts_with("byte 2: "), "{e}");
}

#[test]
fn learning_rejects_what_it_cannot_hold() {
    let mut cache = FormatCache::<1>::new();
    assert_eq!(
        cache.learn(&[0x2F, 0x2F]).unwrap_err(),
        CompactError::NoRecords
    );
    // 33 records 01 13 xx: 66 format bytes > 64.
    let mut long = Vec::new();
    for i in 0..33u8 {
        long.extend([0x01, 0x13, i]);
    }
    assert!(matches!(
        cache.learn(&long).unwrap_err(),
        CompactError::FormatTooLong { len } if len > MAX_FORMAT_LEN
    ));
    // A record cut off: DIF 04 announces 4 data bytes, 2 follow.
    assert!(matches!(
        cache.learn(&[0x04, 0x13, 0x01, 0x02]).unwrap_err(),
        CompactError::Record { index: 0, .. }
    ));
    assert!(cache.is_empty());
    // Raw format bytes (a format frame's content) must split into headers.
    assert_eq!(
        Format::from_bytes(&[0x04, 0x13, 0x84]).unwrap_err(),
        CompactError::FormatInvalid { offset: 2 }
    );
    assert_eq!(
        Format::from_bytes(&[0x04, 0x13, 0x02, 0x59])
            .unwrap()
            .signature(),
        0x9023
    );
}

/// A format known in advance (a driver's table) decodes compact frames
/// before any full frame was heard.
#[test]
fn preloaded_format_decodes_without_a_full_frame() {
    let mut cache = FormatCache::<1>::new();
    let f = Format::from_bytes(&[0x04, 0x13, 0x02, 0x59]).unwrap();
    assert_eq!(cache.insert(&f), 0x9023);
    let mut buf = [0u8; 16];
    let records = cache.decode_compact(&COMPACT, &mut buf).unwrap();
    assert_eq!(
        values(records),
        [("2.345".to_string(), "m3"), ("21.50".to_string(), "°C")]
    );
}

#[test]
fn eviction_replaces_the_oldest_learned() {
    let a = [0x01, 0x13, 0x05];
    let b = [0x01, 0x14, 0x05];
    let c = [0x01, 0x15, 0x05];
    let sig = |p: &[u8]| Format::from_records(p).unwrap().signature();
    let mut cache = FormatCache::<2>::new();
    cache.learn(&a).unwrap();
    cache.learn(&b).unwrap();
    // Re-learning a makes it the newest; c then evicts b.
    cache.learn(&a).unwrap();
    assert_eq!(cache.len(), 2);
    cache.learn(&c).unwrap();
    assert!(cache.get(sig(&a)).is_some());
    assert!(cache.get(sig(&b)).is_none());
    assert!(cache.get(sig(&c)).is_some());
    let mut zero = FormatCache::<0>::new();
    zero.learn(&a).unwrap();
    assert!(zero.is_empty());
    cache.clear();
    assert!(cache.is_empty());
}

fn record() -> impl Strategy<Value = (Coding, u64, u32, u8, i64)> {
    (
        prop_oneof![
            Just(Coding::Int8),
            Just(Coding::Int16),
            Just(Coding::Int24),
            Just(Coding::Int32),
            Just(Coding::Int48),
            Just(Coding::Bcd2),
            Just(Coding::Bcd4),
            Just(Coding::Bcd8),
        ],
        0u64..40,
        0u32..4,
        // VIFs: energy Wh, volume l, power W, flow temperature, flow l/h.
        prop_oneof![Just(0x03u8), Just(0x13), Just(0x2B), Just(0x59), Just(0x3B)],
        0i64..100,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For any record set: full -> compact -> decode with the learned
    /// format gives back the same records.
    #[test]
    fn full_compact_decode_is_identity(recs in proptest::collection::vec(record(), 1..8)) {
        let mut full = Vec::new();
        for &(coding, storage, tariff, vif, m) in &recs {
            let vib = core::slice::from_ref(&vif);
            let exp = match vif { 0x03 | 0x2B => 0, 0x59 => -2, _ => -3 };
            let value = Value::Number(Decimal::new(m.into(), exp));
            let r = RecordRepr {
                kind: RecordKind::Data,
                coding,
                storage,
                tariff,
                subunit: 0,
                function: Function::Instantaneous,
                vib,
                value,
            };
            let mut b = [0u8; 64];
            let n = r.emit(&mut b).unwrap();
            full.extend_from_slice(&b[..n]);
        }
        let expected: Vec<_> = Records::new(&full).map(|r| r.unwrap().repr()).collect();
        let mut cache = FormatCache::<4>::new();
        let sig = cache.learn(&full).unwrap();
        let mut compact = vec![0u8; full.len() + 4];
        let n = encode_compact(&full, &mut compact).unwrap();
        prop_assert_eq!(u16::from_le_bytes([compact[0], compact[1]]), sig);
        let mut buf = vec![0u8; full.len()];
        let got: Vec<_> = cache
            .decode_compact(&compact[..n], &mut buf)
            .unwrap()
            .map(|r| r.unwrap().repr())
            .collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(&buf[..], &full[..]);
    }

    /// Any bytes as a compact payload: an error or records, never a panic.
    #[test]
    fn arbitrary_compact_payloads_never_panic(data in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut cache = FormatCache::<1>::new();
        cache.learn(&FULL).unwrap();
        let mut apl = vec![0x23, 0x90];
        apl.extend(data);
        let mut buf = [0u8; 64];
        if let Ok(rs) = cache.decode_compact(&apl, &mut buf) {
            for r in rs { let _ = r; }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any payload whose records all decode (plain text, LVAR, FB/FD
    /// codes, manufacturer data …): its compact form decodes, with the
    /// learned format, to the same record bytes.
    #[test]
    fn any_learnable_payload_round_trips(full in proptest::collection::vec(
        prop_oneof![any::<u8>(), Just(0x2Fu8), Just(0x7C), Just(0xFC), Just(0xFD), Just(0x0D), Just(0x0F)],
        1..48,
    )) {
        let mut cache = FormatCache::<1>::new();
        if cache.learn(&full).is_err() {
            return Ok(());
        }
        let mut compact = [0u8; 64];
        let n = encode_compact(&full, &mut compact).unwrap();
        let mut buf = [0u8; 128];
        let got: Vec<&[u8]> = cache
            .decode_compact(&compact[..n], &mut buf)
            .unwrap()
            .map(|r| r.unwrap().raw())
            .collect();
        let want: Vec<&[u8]> = Records::new(&full).map(|r| r.unwrap().raw()).collect();
        prop_assert_eq!(got, want);
    }
}
