//! Unreadable registers: points in holes decode as "not readable".
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use webdyn_sunspec::image::ReadMask;
use webdyn_sunspec::model::{self, MaskedPoint, Scaled};
use webdyn_sunspec::scan::ModelHeader;
use webdyn_sunspec::writer::ImageWriter;
use webdyn_sunspec::{RegisterImage, Value};

/// SunS at 40000, model 103 at 40002 (data from 40004), end model.
fn inverter() -> Vec<u8> {
    let mut buf = vec![0u8; 256];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    w.model_with(
        &model::INVERTER_THREE_PHASE,
        &[
            ("A", Value::Uint(1085)),
            ("A_SF", Value::Int(-2)),
            ("W", Value::Int(7480)),
            ("W_SF", Value::Int(0)),
            ("WH", Value::Uint(12_345_678)),
            ("WH_SF", Value::Int(0)),
            ("TmpCab", Value::Int(412)),
            ("Tmp_SF", Value::Int(-1)),
        ],
    )
    .unwrap();
    let n = w.finish().unwrap();
    buf.truncate(n);
    buf
}

const HEADER: ModelHeader = ModelHeader {
    id: 103,
    len: 50,
    addr: 40002,
};

#[test]
fn points_in_holes_are_not_readable() {
    let bytes = inverter();
    let img = RegisterImage::new(40000, &bytes[..]).unwrap();
    // Offsets from the header at 40002: A_SF 6 -> 40008, W 14 -> 40016,
    // WH 24..26 -> 40026..40028 (the hole covers its low word only),
    // TmpCab..Tmp_SF 33..38 -> 40035..40040.
    let holes = [40008..40009, 40016..40017, 40027..40028, 40035..40040];
    let pts: Vec<_> = model::INVERTER_THREE_PHASE
        .decode_masked(&img, &HEADER, ReadMask::new(&holes))
        .collect();
    let get = |n: &str| pts.iter().find(|p| p.def().name == n).unwrap();
    let hidden: Vec<_> = pts
        .iter()
        .filter_map(|p| match p {
            MaskedPoint::NotReadable { def, addr } => Some((def.name, *addr)),
            MaskedPoint::Read(_) => None,
        })
        .collect();
    assert_eq!(
        hidden,
        [
            ("A_SF", 40008),
            ("W", 40016),
            ("WH", 40026),
            ("TmpCab", 40035),
            ("TmpSnk", 40036),
            ("TmpTrns", 40037),
            ("TmpOt", 40038),
            ("Tmp_SF", 40039),
        ]
    );
    // A is read, but its scale factor is in a hole: no engineering value.
    let MaskedPoint::Read(a) = get("A") else {
        panic!()
    };
    assert_eq!((a.value, a.scaled), (Value::Uint(1085), None));
    // Points clear of the holes decode as without a mask.
    let MaskedPoint::Read(st) = get("St") else {
        panic!()
    };
    assert_eq!(st.value, Value::NotImplemented);
    let MaskedPoint::Read(wsf) = get("W_SF") else {
        panic!()
    };
    assert_eq!(
        wsf.scaled,
        Some(Scaled::Decimal {
            mantissa: 0,
            exponent: 0
        })
    );
    // Every point is reported once, read or not.
    assert_eq!(pts.len(), model::INVERTER_THREE_PHASE.points.len());
}

#[test]
fn no_mask_and_empty_ranges_change_nothing() {
    let bytes = inverter();
    let img = RegisterImage::new(40000, &bytes[..]).unwrap();
    // An empty range and a reversed one (start after end) hide nothing.
    #[allow(clippy::reversed_empty_ranges)]
    let empty = [40016..40016, 40020..40010];
    for mask in [ReadMask::NONE, ReadMask::new(&empty)] {
        let plain: Vec<_> = model::INVERTER_THREE_PHASE
            .decode_model(&img, &HEADER)
            .collect();
        let masked: Vec<_> = model::INVERTER_THREE_PHASE
            .decode_masked(&img, &HEADER, mask)
            .collect();
        assert_eq!(plain.len(), masked.len());
        for (p, m) in plain.iter().zip(&masked) {
            let MaskedPoint::Read(m) = m else {
                panic!("{} hidden", p.def.name)
            };
            assert_eq!((p.def, p.value, p.scaled), (m.def, m.value, m.scaled));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A point is not readable exactly when one of its registers is in a
    /// hole (checked against a plain set of unreadable registers).
    #[test]
    fn not_readable_iff_a_register_is_in_a_hole(
        holes in prop::collection::vec((40000u32..40060, 0u32..6), 0..5)
    ) {
        let bytes = inverter();
        let img = RegisterImage::new(40000, &bytes[..]).unwrap();
        let ranges: Vec<_> = holes.iter().map(|&(s, n)| s..s + n).collect();
        let set: BTreeSet<u32> = ranges.iter().flat_map(|r| r.clone()).collect();
        for p in model::INVERTER_THREE_PHASE.decode_masked(&img, &HEADER, ReadMask::new(&ranges)) {
            let d = p.def();
            let start = 40002 + u32::from(d.offset);
            let touched = (start..start + u32::from(d.size)).any(|r| set.contains(&r));
            prop_assert_eq!(matches!(p, MaskedPoint::NotReadable { .. }), touched, "{}", d.name);
        }
    }
}
