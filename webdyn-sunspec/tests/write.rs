//! Scaled writes: engineering values to raw registers and Modbus requests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_sunspec::model::{self, Scaled};
use webdyn_sunspec::write::{Access, WriteError, WriteTarget};
use webdyn_sunspec::writer::ImageWriter;
use webdyn_sunspec::{Error, PointType, RegisterImage, Value};

fn dec(text: &str) -> Scaled {
    Scaled::parse(text).unwrap()
}

/// An image: SunS at 40000, model 123 at 40002 with the given scale factors.
fn controls_image(wmax_sf: i64, pf_sf: i64) -> Vec<u8> {
    let mut buf = vec![0u8; 128];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    w.model_with(
        &model::CONTROLS,
        &[
            ("WMaxLimPct_SF", Value::Int(wmax_sf)),
            ("OutPFSet_SF", Value::Int(pf_sf)),
        ],
    )
    .unwrap();
    let n = w.finish().unwrap();
    buf.truncate(n);
    buf
}

#[test]
fn wmaxlimpct_53_5_percent_with_the_image_scale_factor() {
    let bytes = controls_image(-1, -3);
    let img = RegisterImage::new(40000, &bytes[..]).unwrap();
    // Model 123 header at 40002: WMaxLimPct at offset 5 = 40007, its scale
    // factor at offset 23 = 40025.
    let t = model::CONTROLS.write_target(40002, "WMaxLimPct").unwrap();
    assert_eq!(t.addr, 40007);
    assert_eq!(t.sf_addr, Some(40025));
    let req = t.request(&img, &dec("53.5")).unwrap();
    assert_eq!(req.addr(), 40007);
    assert_eq!(req.registers(), &[535]);
    // Function 16, address 40007 = 0x9C47, one register, two bytes, 0x0217.
    let mut pdu = [0u8; 8];
    assert_eq!(req.pdu(&mut pdu).unwrap(), 8);
    assert_eq!(pdu, [0x10, 0x9C, 0x47, 0x00, 0x01, 0x02, 0x02, 0x17]);
    // The float path agrees.
    let req = t.request(&img, &Scaled::Float(53.5)).unwrap();
    assert_eq!(req.registers(), &[535]);

    // A power factor of -0.95 with OutPFSet_SF = -3: -950 = 0xFC4A.
    let pf = model::CONTROLS.write_target(40002, "OutPFSet").unwrap();
    let req = pf.request(&img, &dec("-0.95")).unwrap();
    assert_eq!((req.addr(), req.registers()), (40012, &[0xFC4A][..]));
}

#[test]
fn rounding_is_to_nearest_ties_away_from_zero() {
    let t = model::CONTROLS.write_target(40002, "OutPFSet").unwrap();
    let raw = |v: &str, sf| t.request_with_sf(&dec(v), Some(sf)).unwrap().registers()[0] as i16;
    assert_eq!(raw("0.125", -2), 13);
    assert_eq!(raw("-0.125", -2), -13);
    assert_eq!(raw("0.1249", -2), 12);
    assert_eq!(raw("-0.1251", -2), -13);
    assert_eq!(raw("1250", 2), 13);
    assert_eq!(raw("1249.99", 2), 12);
    assert_eq!(raw("12", 0), 12);
    assert_eq!(raw("1.2e1", 0), 12);
}

#[test]
fn refusals_name_the_register() {
    // Model 103's W is measured, not set.
    let w = model::INVERTER_THREE_PHASE
        .write_target(40070, "W")
        .unwrap();
    assert_eq!(w.access, Access::R);
    assert_eq!(
        w.request_with_sf(&dec("100"), Some(0)),
        Err(WriteError::NotWritable { addr: 40084 })
    );
    let t = model::CONTROLS.write_target(40002, "WMaxLimPct").unwrap();
    // 655.35 % at sf -2 would be 65535, the uint16 "not implemented" value.
    assert_eq!(
        t.request_with_sf(&dec("655.35"), Some(-2)),
        Err(WriteError::OutOfRange {
            addr: 40007,
            ty: "uint16",
            raw: 65535,
            min: 0,
            max: 65534
        })
    );
    assert!(matches!(
        t.request_with_sf(&dec("-1"), Some(0)),
        Err(WriteError::OutOfRange { raw: -1, .. })
    ));
    assert_eq!(
        t.request_with_sf(&Scaled::Float(f64::NAN), Some(0)),
        Err(WriteError::NotFinite { addr: 40007 })
    );
    // The image's WMaxLimPct_SF is "not implemented".
    let bytes = controls_image(-32768, 0);
    let img = RegisterImage::new(40000, &bytes[..]).unwrap();
    assert_eq!(
        t.request(&img, &dec("50")),
        Err(WriteError::NoScaleFactor {
            addr: 40007,
            sf_addr: 40025
        })
    );
    assert_eq!(
        t.request_with_sf(&dec("50"), None),
        Err(WriteError::NoScaleFactor {
            addr: 40007,
            sf_addr: 40025
        })
    );
    // A text point cannot take a number, even when writable.
    let text = WriteTarget {
        addr: 40004,
        ty: PointType::String,
        size: 16,
        access: Access::RW,
        sf_addr: None,
    };
    assert_eq!(
        text.request_with_sf(&dec("1"), None),
        Err(WriteError::NotNumeric {
            addr: 40004,
            ty: "string"
        })
    );
    // A PDU carries 16-bit addresses only, and needs room.
    let far = WriteTarget {
        addr: 70000,
        ty: PointType::Uint32,
        size: 2,
        access: Access::RW,
        sf_addr: None,
    };
    let req = far.request_with_sf(&dec("70000"), None).unwrap();
    assert_eq!(req.registers(), &[0x0001, 0x1170]);
    assert_eq!(
        req.pdu(&mut [0u8; 16]),
        Err(WriteError::AddressRange { addr: 70000 })
    );
    let near = WriteTarget { addr: 7, ..far };
    let req = near.request_with_sf(&dec("70000"), None).unwrap();
    assert_eq!(
        req.pdu(&mut [0u8; 9]),
        Err(WriteError::Image(Error::BufferTooSmall {
            need: 10,
            have: 9
        }))
    );
    let mut pdu = [0u8; 10];
    assert_eq!(req.pdu(&mut pdu).unwrap(), 10);
    assert_eq!(pdu, [0x10, 0, 7, 0, 2, 4, 0x00, 0x01, 0x11, 0x70]);
}

#[test]
fn floats_are_written_unscaled() {
    let t = WriteTarget {
        addr: 100,
        ty: PointType::Float32,
        size: 2,
        access: Access::RW,
        sf_addr: None,
    };
    // 1.5f32 = 0x3FC00000
    let req = t.request_with_sf(&dec("1.5"), None).unwrap();
    assert_eq!(req.registers(), &[0x3FC0, 0x0000]);
    assert_eq!(
        t.request_with_sf(&Scaled::Float(1e39), None),
        Err(WriteError::NotFinite { addr: 100 })
    );
}

#[test]
fn decimal_text_parses_exactly() {
    let d = |m, e| {
        Some(Scaled::Decimal {
            mantissa: m,
            exponent: e,
        })
    };
    assert_eq!(Scaled::parse("53.5"), d(535, -1));
    assert_eq!(Scaled::parse("+0.95"), d(95, -2));
    assert_eq!(Scaled::parse(".5"), d(5, -1));
    assert_eq!(Scaled::parse("7."), d(7, 0));
    assert_eq!(Scaled::parse("2E-3"), d(2, -3));
    for bad in [
        "", "-", ".", "1e", "e3", "1,5", "0x10", "1.5.", "--1", "nan",
    ] {
        assert_eq!(Scaled::parse(bad), None, "{bad:?}");
    }
    // 39 digits do not fit the exact mantissa.
    assert_eq!(Scaled::parse(&"9".repeat(39)), None);
}

fn int_target(ty: PointType) -> WriteTarget {
    WriteTarget {
        addr: 40000,
        ty,
        size: ty.fixed_size().unwrap(),
        access: Access::RW,
        sf_addr: Some(40001),
    }
}

fn decode_back(t: &WriteTarget, regs: &[u16], sf: i16) -> f64 {
    let bytes: Vec<u8> = regs.iter().flat_map(|r| r.to_be_bytes()).collect();
    let v = t.ty.decode(&bytes).unwrap();
    let scaled = match v {
        Value::Int(i) => Scaled::Decimal {
            mantissa: i128::from(i),
            exponent: sf,
        },
        Value::Uint(u) => Scaled::Decimal {
            mantissa: i128::from(u),
            exponent: sf,
        },
        other => panic!("decoded {other:?}"),
    };
    scaled.to_f64()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// scaled -> raw -> scaled lands within half a unit of the last place.
    #[test]
    fn float_round_trip_within_half_an_lsb(
        ty in prop::sample::select(vec![
            PointType::Int16, PointType::Uint16, PointType::Int32, PointType::Uint32,
        ]),
        sf in -4i16..=4,
        frac in 0.0f64..1.0,
        off in -0.49f64..0.49,
    ) {
        let (lo, hi): (f64, f64) = match ty {
            PointType::Int16 => (-32767.0, 32767.0),
            PointType::Uint16 => (0.0, 65534.0),
            PointType::Int32 => (-2147483647.0, 2147483647.0),
            _ => (0.0, 4294967294.0),
        };
        let raw = (lo + (hi - lo) * frac).trunc();
        let lsb = 10f64.powi(i32::from(sf));
        let value = (raw + off) * lsb;
        let t = int_target(ty);
        let req = t.request_with_sf(&Scaled::Float(value), Some(sf)).unwrap();
        let back = decode_back(&t, req.registers(), sf);
        prop_assert!((back - value).abs() <= 0.5 * lsb * (1.0 + 1e-9), "{value} -> {back}");
    }

    /// Exact decimals: the raw value is the decimal rescaled and rounded,
    /// so it differs from the request by at most half a unit, exactly.
    #[test]
    fn decimal_round_trip_within_half_an_lsb(
        mantissa in -3_000_000i128..3_000_000,
        exponent in -6i16..=0,
        sf in -3i16..=1,
    ) {
        let t = int_target(PointType::Int64);
        let req = t
            .request_with_sf(&Scaled::Decimal { mantissa, exponent }, Some(sf))
            .unwrap();
        let raw = i128::from(
            req.registers()
                .iter()
                .fold(0u64, |acc, &r| (acc << 16) | u64::from(r)) as i64,
        );
        // Compare raw × 10^sf with mantissa × 10^exponent in integers at the
        // smaller exponent: |diff| <= half of 10^sf.
        let e = exponent.min(sf);
        let a = raw * 10i128.pow((sf - e) as u32);
        let b = mantissa * 10i128.pow((exponent - e) as u32);
        let half = 10i128.pow((sf - e) as u32);
        prop_assert!(2 * (a - b).abs() <= half, "{mantissa}e{exponent} sf {sf} -> {raw}");
        // Ties go away from zero.
        if 2 * (a - b).abs() == half {
            prop_assert!(a.abs() > b.abs());
        }
    }
}

#[test]
fn a_scale_factor_outside_the_image_is_located() {
    // Only SunS and the first 10 registers of model 123: WMaxLimPct_SF at
    // 40025 was not read.
    let bytes = controls_image(-1, 0);
    let img = RegisterImage::new(40000, &bytes[..24]).unwrap();
    let t = model::CONTROLS.write_target(40002, "WMaxLimPct").unwrap();
    assert_eq!(
        t.request(&img, &dec("50")),
        Err(WriteError::Image(Error::OutOfImage {
            addr: 40025,
            base: 40000,
            end: 40012
        }))
    );
}
