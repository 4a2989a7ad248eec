//! Property tests: `decode(encode(r)) == r` over random typed records, and
//! the iterator never panics and accounts for every byte of any input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_wmbus::app::vif::{self, Kind};
use webdyn_wmbus::app::{
    Coding, DateKind, DateTime, DaylightSaving, Decimal, Function, RecordKind, RecordRepr, Records,
    Text, Value,
};

/// A VIB: a primary, FB, FD, plain-text, "any" or manufacturer VIF, with
/// up to three combinable VIFEs, extension bits set as the standard wants.
fn vib() -> impl Strategy<Value = Vec<u8>> {
    // (bytes, index of the byte whose extension bit announces the first
    // combinable VIFE): the plain-text unit sits between VIF and VIFEs.
    let head = prop_oneof![
        (0x00u8..=0x7A).prop_map(|c| (vec![c], 0)),
        (0x00u8..=0x7F).prop_map(|c| (vec![0xFB, c], 1)),
        (0x00u8..=0x7F).prop_map(|c| (vec![0xFD, c], 1)),
        proptest::collection::vec(0x20u8..0x7F, 0..6).prop_map(|t| {
            let mut v = vec![0x7C, t.len() as u8];
            v.extend(t);
            (v, 0)
        }),
        Just((vec![0xFD, 0x72], 1)),
        Just((vec![0x7E], 0)),
        Just((vec![0x7F], 0)),
    ];
    let vifes = proptest::collection::vec(
        prop_oneof![0x00u8..=0x7B, Just(0x7D), Just(0x7E), Just(0x7F)],
        0..=3,
    );
    (head, vifes).prop_map(|((mut h, mut ext_at), vifes)| {
        for x in vifes {
            h[ext_at] |= 0x80;
            h.push(x);
            ext_at = h.len() - 1;
        }
        h
    })
}

fn coding() -> impl Strategy<Value = Coding> {
    (0u8..0x0F).prop_map(|n| Coding::from_nibble(n).unwrap())
}

fn date(kind: DateKind) -> impl Strategy<Value = DateTime> {
    (
        prop_oneof![Just(None), (1981u16..=2299).prop_map(Some)],
        prop_oneof![Just(None), (1u8..=12).prop_map(Some)],
        prop_oneof![Just(None), (1u8..=31).prop_map(Some)],
        prop_oneof![Just(None), (0u8..=23).prop_map(Some)],
        prop_oneof![Just(None), (0u8..=59).prop_map(Some)],
        prop_oneof![Just(None), (0u8..=59).prop_map(Some)],
        any::<(bool, bool, bool)>(),
        (0u8..=7, 0u8..=53, -3i8..=3),
    )
        .prop_map(move |(y, mo, d, h, mi, s, (iv, su, ly), (dow, wk, dev))| {
            let has_date = kind != DateKind::J;
            let has_time = kind != DateKind::G;
            let is_i = kind == DateKind::I;
            let is_f = kind == DateKind::F;
            DateTime {
                kind,
                // Types G and I carry no hundred-year bits.
                year: if !has_date {
                    None
                } else if is_f {
                    y
                } else {
                    y.filter(|y| (1981..=2080).contains(y))
                },
                month: if has_date { mo } else { None },
                day: if has_date { d } else { None },
                hour: if has_time { h } else { None },
                minute: if has_time { mi } else { None },
                second: if is_i || kind == DateKind::J { s } else { None },
                invalid: (is_i || is_f) && iv,
                summer_time: (is_i || is_f) && su,
                leap_year: is_i && ly,
                day_of_week: if is_i { dow } else { 0 },
                week: if is_i { wk } else { 0 },
                dst_deviation: if is_i { dev } else { 0 },
            }
        })
}

fn int_range(n: usize, unsigned: bool) -> (i128, i128) {
    let bits = 8 * n as u32;
    if unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

/// A value that fits `coding` under the VIB `vib`.
fn value_for(coding: Coding, vib: &[u8]) -> BoxedStrategy<Value<'static>> {
    let v = vif::parse(vib, 0).unwrap();
    let exp = v.exponent;
    let unsigned = v.kind == Kind::Unsigned;
    match coding {
        Coding::None | Coding::Selection => Just(Value::None).boxed(),
        Coding::Real32 => any::<f32>()
            .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
            .prop_map(move |f| Value::Real {
                value: f,
                exponent: exp,
            })
            .boxed(),
        c if c.is_int() => {
            let n = c.len().unwrap();
            if v.kind == Kind::Date
                && let Some(k) = DateKind::for_len(n)
            {
                return date(k).prop_map(Value::DateTime).boxed();
            }
            if v.kind == Kind::DaylightSaving && n == 4 {
                return (
                    0u8..=31,
                    0u8..=31,
                    0u8..=15,
                    0u8..=31,
                    0u8..=15,
                    any::<bool>(),
                    -3i8..=3,
                    0u8..=31,
                )
                    .prop_map(|(bh, bd, bm, ed, em, enabled, deviation, local_offset)| {
                        Value::DaylightSaving(DaylightSaving {
                            begin_hour: bh,
                            begin_day: bd,
                            begin_month: bm,
                            end_day: ed,
                            end_month: em,
                            enabled,
                            deviation,
                            local_offset,
                        })
                    })
                    .boxed();
            }
            let (lo, hi) = int_range(n, unsigned);
            (lo..=hi)
                .prop_map(move |m| Value::Number(Decimal::new(m, exp)))
                .boxed()
        }
        c if c.is_bcd() => {
            let digits = 2 * c.len().unwrap() as u32;
            let max = 10i128.pow(digits) - 1;
            let min = -(10i128.pow(digits - 1) - 1);
            (min..=max)
                .prop_map(move |m| Value::Number(Decimal::new(m, exp)))
                .boxed()
        }
        _ => prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..=40)
                .prop_map(|t| Value::Text(Text(Box::leak(t.into_boxed_slice())))),
            if unsigned {
                (0..=i128::MAX)
                    .prop_map(move |m| Value::Number(Decimal::new(m, exp)))
                    .boxed()
            } else {
                any::<i128>()
                    .prop_map(move |m| Value::Number(Decimal::new(m, exp)))
                    .boxed()
            },
        ]
        .boxed(),
    }
}

fn repr() -> impl Strategy<Value = RecordRepr<'static>> {
    (
        vib(),
        coding(),
        0u8..4,
        0u64..(1 << 41),
        0u32..(1 << 20),
        0u16..(1 << 10),
    )
        .prop_flat_map(|(vib, coding, f, storage, tariff, subunit)| {
            let vib: &'static [u8] = Box::leak(vib.into_boxed_slice());
            value_for(coding, vib).prop_map(move |value| RecordRepr {
                kind: RecordKind::Data,
                coding,
                storage,
                tariff,
                subunit,
                function: Function::from_bits(f),
                vib,
                value,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_of_encode_is_identity(r in repr()) {
        let mut buf = [0u8; 512];
        let n = r.emit(&mut buf).unwrap();
        let mut it = Records::new(&buf[..n]);
        let d = it.next().unwrap().unwrap();
        prop_assert_eq!(d.repr(), r);
        prop_assert_eq!(d.raw().len(), n);
        prop_assert!(it.next().is_none());
    }

    #[test]
    fn any_bytes_never_panic_and_records_tile_the_input(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut pos = 0;
        for r in Records::new(&bytes) {
            let Ok(r) = r else { break };
            while bytes[pos] == 0x2F && r.offset() > pos {
                pos += 1;
            }
            prop_assert_eq!(r.offset(), pos);
            prop_assert_eq!(r.raw(), &bytes[pos..pos + r.raw().len()]);
            pos += r.raw().len();
            // A decoded record that re-encodes gives a fixed point: decoding
            // and encoding again yields the same bytes (bytes, not values,
            // are compared so that a NaN real counts as equal).
            let mut buf = [0u8; 512];
            if let Ok(n) = r.repr().emit(&mut buf) {
                let again = Records::new(&buf[..n]).next().unwrap().unwrap();
                let mut buf2 = [0u8; 512];
                let n2 = again.repr().emit(&mut buf2).unwrap();
                prop_assert_eq!(&buf[..n], &buf2[..n2]);
            }
        }
    }
}

#[test]
fn special_records_round_trip() {
    let data = [1u8, 2, 3];
    for more in [false, true] {
        let r = RecordRepr {
            kind: RecordKind::ManufacturerData { more_follows: more },
            coding: Coding::None,
            storage: 0,
            tariff: 0,
            subunit: 0,
            function: Function::Instantaneous,
            vib: &[],
            value: Value::Bytes(&data),
        };
        let mut buf = [0u8; 8];
        let n = r.emit(&mut buf).unwrap();
        assert_eq!(&buf[..n], &[if more { 0x1F } else { 0x0F }, 1, 2, 3]);
        assert_eq!(Records::new(&buf[..n]).next().unwrap().unwrap().repr(), r);
    }
}

#[test]
fn encoder_rejects_what_does_not_fit() {
    // 300 in an 8-bit field; 12.5 with a VIF whose exponent is 0 (kg·10^-3? no: 0x1B is 10^0 kg).
    let r = RecordRepr {
        kind: RecordKind::Data,
        coding: Coding::Int8,
        storage: 0,
        tariff: 0,
        subunit: 0,
        function: Function::Instantaneous,
        vib: &[0x1B],
        value: Value::Number(Decimal::new(300, 0)),
    };
    let mut buf = [0u8; 16];
    assert!(r.emit(&mut buf).is_err());
    let r = RecordRepr {
        value: Value::Number(Decimal::new(125, -1)),
        ..r
    };
    assert!(r.emit(&mut buf).is_err());
    // The same value at the right scale fits: 0x1B is 10^0 kg, 0x1A is 10^-1 kg.
    let r = RecordRepr { vib: &[0x1A], ..r };
    assert_eq!(r.emit(&mut buf).unwrap(), 3);
    assert_eq!(&buf[..3], &[0x01, 0x1A, 125]);
    // Storage 2^41 needs eleven DIFEs.
    let r = RecordRepr {
        storage: 1 << 41,
        ..r
    };
    assert!(r.emit(&mut buf).is_err());
}
