//! The Modbus value codec against values worked out by hand from the spec's
//! swap table and IEEE-754.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_defs::modbus::{
    AddressProblem, CodecError, Coefficients, Location, RegisterKind, Span, Value, VarSpec, plan,
    scale,
};

fn spec(info1: &str, info2: &str, info3: &str) -> VarSpec {
    VarSpec::parse(info1, info2, info3).unwrap()
}

#[test]
fn swap_table_32_bits() {
    // FR table: 0xAABBCCDD -> _B 0xBBAADDCC, _W 0xCCDDAABB, _WB 0xDDCCBBAA.
    let wire = [0xAA, 0xBB, 0xCC, 0xDD];
    assert_eq!(
        spec("3", "0", "U32").decode(&wire).unwrap(),
        Value::Unsigned(0xAABB_CCDD)
    );
    assert_eq!(
        spec("3", "0", "U32_B").decode(&wire).unwrap(),
        Value::Unsigned(0xBBAA_DDCC)
    );
    assert_eq!(
        spec("3", "0", "U32_W").decode(&wire).unwrap(),
        Value::Unsigned(0xCCDD_AABB)
    );
    assert_eq!(
        spec("3", "0", "U32_WB").decode(&wire).unwrap(),
        Value::Unsigned(0xDDCC_BBAA)
    );
}

#[test]
fn swap_table_64_bits() {
    // FR table: 0xAABBCCDDEEFF1122 -> _B 0xBBAADDCCFFEE2211,
    // _W 0x1122EEFFCCDDAABB (all four words reversed), _WB 0x2211FFEEDDCCBBAA.
    let wire = [0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x11, 0x22];
    assert_eq!(
        spec("3", "0", "U64").decode(&wire).unwrap(),
        Value::Unsigned(0xAABB_CCDD_EEFF_1122)
    );
    assert_eq!(
        spec("3", "0", "U64_B").decode(&wire).unwrap(),
        Value::Unsigned(0xBBAA_DDCC_FFEE_2211)
    );
    assert_eq!(
        spec("3", "0", "U64_W").decode(&wire).unwrap(),
        Value::Unsigned(0x1122_EEFF_CCDD_AABB)
    );
    assert_eq!(
        spec("3", "0", "U64_WB").decode(&wire).unwrap(),
        Value::Unsigned(0x2211_FFEE_DDCC_BBAA)
    );
}

#[test]
fn sixteen_bits_and_bytes() {
    assert_eq!(
        spec("3", "0", "U16_B").decode(&[0xAA, 0xBB]).unwrap(),
        Value::Unsigned(0xBBAA)
    );
    // 0xFF38 = 65336 = -200 in two's complement.
    assert_eq!(
        spec("4", "0", "I16").decode(&[0xFF, 0x38]).unwrap(),
        Value::Signed(-200)
    );
    // 0xFFFFFF9C = -100.
    assert_eq!(
        spec("4", "0", "I32")
            .decode(&[0xFF, 0xFF, 0xFF, 0x9C])
            .unwrap(),
        Value::Signed(-100)
    );
    // 40000_1 is the 2nd byte of register 40000.
    assert_eq!(
        spec("3", "40000_1", "U8").decode(&[0x12, 0x34]).unwrap(),
        Value::Unsigned(0x34)
    );
    assert_eq!(
        spec("3", "40000", "U8").decode(&[0x12, 0x34]).unwrap(),
        Value::Unsigned(0x12)
    );
    assert_eq!(
        spec("3", "40000_0", "I8").decode(&[0xFE, 0x00]).unwrap(),
        Value::Signed(-2)
    );
}

#[test]
fn floats_worked_by_hand() {
    // 1.5 = 1.1b x 2^0: exponent 127 = 0x7F, mantissa 0x400000 -> 0x3FC00000.
    assert_eq!(
        spec("3", "0", "F32").decode(&[0x3F, 0xC0, 0, 0]).unwrap(),
        Value::Float(1.5)
    );
    // -2.5 = -1.01b x 2^1: 0xC0200000.
    assert_eq!(
        spec("3", "0", "F32").decode(&[0xC0, 0x20, 0, 0]).unwrap(),
        Value::Float(-2.5)
    );
    // 230.5 = 1.80078125 x 2^7: exponent 134 = 0x86, mantissa 0x668000 -> 0x43668000;
    // word swapped on the wire: 8000 4366.
    assert_eq!(
        spec("3", "0", "F32_W")
            .decode(&[0x80, 0x00, 0x43, 0x66])
            .unwrap(),
        Value::Float(230.5)
    );
    // 2.0 as a double: 0x4000000000000000; _WB reverses every byte.
    assert_eq!(
        spec("3", "0", "F64_WB")
            .decode(&[0, 0, 0, 0, 0, 0, 0, 0x40])
            .unwrap(),
        Value::Float(2.0)
    );
    assert_eq!(
        spec("3", "0", "F64")
            .decode(&[0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
            .unwrap(),
        Value::Float(1.0)
    );
}

#[test]
fn text_addresses_bits_raw() {
    let s = spec("3", "40000_10", "String");
    assert_eq!(s.register_count(), 5);
    let v = s.decode(b"SMA\0\0\0\0\0\0\0").unwrap();
    assert_eq!(v.text(), Some("SMA"));
    assert_eq!(
        spec("3", "0", "IP").decode(&[192, 168, 1, 12]).unwrap(),
        Value::Ipv4([192, 168, 1, 12])
    );
    let mac = [0x00, 0x8D, 0x00, 0x00, 0xBD, 0xE4];
    assert_eq!(spec("3", "0", "MAC").decode(&mac).unwrap(), Value::Mac(mac));
    assert_eq!(spec("3", "0", "IPV6").register_count(), 8);
    // 40005_5_4: 4 bits from the 5th bit (1 = LSB): 0x00F0 -> 0xF.
    assert_eq!(
        spec("3", "40005_5_4", "Bits")
            .decode(&[0x00, 0xF0])
            .unwrap(),
        Value::Unsigned(15)
    );
    // 40008_1: one bit, the 1st.
    assert_eq!(
        spec("3", "40008_1", "Bits").decode(&[0x00, 0x01]).unwrap(),
        Value::Unsigned(1)
    );
    assert_eq!(
        spec("3", "40008_2", "Bits").decode(&[0x00, 0x01]).unwrap(),
        Value::Unsigned(0)
    );
    // RAW of 3 bytes reads 2 registers and keeps 3 bytes.
    let r = spec("3", "100_3", "RAW");
    assert_eq!(r.register_count(), 2);
    assert_eq!(r.decode(&[1, 2, 3, 4]).unwrap(), Value::Raw(&[1, 2, 3]));
    assert_eq!(
        spec("1", "7", "U16").decode(&[1]).unwrap(),
        Value::Bool(true)
    );
}

#[test]
fn info_errors() {
    assert_eq!(
        VarSpec::parse("5", "0", "U16"),
        Err(CodecError::BadRegisterKind)
    );
    assert_eq!(
        VarSpec::parse("3", "0", "S16"),
        Err(CodecError::UnknownType)
    );
    assert_eq!(
        VarSpec::parse("3", "0", "U16_W"),
        Err(CodecError::SwapNotAllowed)
    );
    assert_eq!(
        VarSpec::parse("3", "0", "String_B"),
        Err(CodecError::SwapNotAllowed)
    );
    assert_eq!(
        VarSpec::parse("3", "40000", "String"),
        Err(CodecError::BadAddress(AddressProblem::MissingSize))
    );
    assert_eq!(
        VarSpec::parse("3", "40000_2", "U8"),
        Err(CodecError::BadAddress(AddressProblem::BadByteOffset))
    );
    assert_eq!(
        VarSpec::parse("3", "40000_10_8", "Bits"),
        Err(CodecError::BadAddress(AddressProblem::BadBits))
    );
    assert_eq!(
        VarSpec::parse("3", "40000_1", "U32"),
        Err(CodecError::BadAddress(AddressProblem::UnexpectedSuffix))
    );
    assert_eq!(
        VarSpec::parse("3", "70000", "U16"),
        Err(CodecError::BadAddress(AddressProblem::NotARegister))
    );
    assert_eq!(
        VarSpec::parse("3", "65535", "U32"),
        Err(CodecError::BadAddress(AddressProblem::BadSize))
    );
    assert_eq!(
        spec("3", "0", "U32").decode(&[1, 2]),
        Err(CodecError::ShortData { needed: 4, got: 2 })
    );
    assert_eq!(
        spec("3", "40005_4_8", "Bits").location,
        Location::Bits {
            register: 40005,
            first: 4,
            count: 8
        }
    );
}

#[test]
fn scale_factor_and_coefficients() {
    // Spec examples: 1234 with sf 3 -> 1234000; with sf -2 -> 12.34.
    assert_eq!(scale(1234.0, 3), Some(1_234_000.0));
    assert_eq!(scale(1234.0, -2), Some(12.34));
    assert_eq!(scale(1.0, i16::MIN), None);
    let c = Coefficients {
        a: 0.1,
        b: -40.0,
        unit: "°C",
    };
    assert!((c.apply(650.0) - 25.0).abs() < 1e-9);
    assert!((c.invert(25.0).unwrap() - 650.0).abs() < 1e-9);
    assert_eq!(Coefficients::default().apply(7.0), 7.0);
}

#[test]
fn function_codes() {
    assert_eq!(spec("1", "0", "U16").read_function(), 0x01);
    assert_eq!(spec("2", "0", "U16").read_function(), 0x02);
    assert_eq!(spec("3", "0", "U16").read_function(), 0x03);
    assert_eq!(spec("4", "0", "U16").read_function(), 0x04);
    assert_eq!(spec("1", "0", "U16").write_function(false), Ok(0x05));
    assert_eq!(spec("3", "0", "U16").write_function(false), Ok(0x06));
    assert_eq!(spec("3", "0", "U16").write_function(true), Ok(0x10));
    assert_eq!(spec("3", "0", "U32").write_function(false), Ok(0x10));
    assert_eq!(
        spec("4", "0", "U16").write_function(false),
        Err(CodecError::ReadOnly)
    );
    assert_eq!(
        spec("2", "0", "U16").write_function(false),
        Err(CodecError::ReadOnly)
    );
}

#[test]
fn encode_by_hand() {
    let mut b = [0u8; 4];
    spec("3", "0", "F32_W")
        .encode(&Value::Float(230.5), &mut b)
        .unwrap();
    assert_eq!(b, [0x80, 0x00, 0x43, 0x66]);
    spec("3", "0", "I32_WB")
        .encode(&Value::Signed(-100), &mut b)
        .unwrap();
    assert_eq!(b, [0x9C, 0xFF, 0xFF, 0xFF]);
    let mut r = [0x12, 0x34];
    spec("3", "0_1", "U8")
        .encode(&Value::Unsigned(0xAB), &mut r)
        .unwrap();
    assert_eq!(r, [0x12, 0xAB]);
    let mut r = [0xFF, 0x0F];
    spec("3", "0_5_4", "Bits")
        .encode(&Value::Unsigned(0b1010), &mut r)
        .unwrap();
    assert_eq!(r, [0xFF, 0xAF]);
    let mut s = [0xEE; 6];
    spec("3", "0_5", "String")
        .encode(&Value::Text(b"abc"), &mut s)
        .unwrap();
    assert_eq!(s, *b"abc\0\0\0");
    let mut w = [0u8; 2];
    assert_eq!(
        spec("3", "0", "U16").encode(&Value::Unsigned(70000), &mut w),
        Err(CodecError::ValueOutOfRange)
    );
    assert_eq!(
        spec("3", "0", "I16").encode(&Value::Signed(-32769), &mut w),
        Err(CodecError::ValueOutOfRange)
    );
    assert_eq!(
        spec("3", "0", "U16").encode(&Value::Text(b"x"), &mut w),
        Err(CodecError::WrongValueKind)
    );
    assert_eq!(
        spec("3", "0", "U32").encode(&Value::Unsigned(1), &mut w),
        Err(CodecError::ShortData { needed: 4, got: 2 })
    );
}

fn h(start: u16, count: u16) -> Span {
    Span {
        kind: RegisterKind::Holding,
        start,
        count,
    }
}

#[test]
fn planner_groups_and_splits() {
    // Unsorted input; 40000 U32 + 40002 U16 + 40003 U32 touch -> one read of 5.
    // 40010 after a gap -> its own read. Input registers are another table.
    let mut spans = [
        h(40003, 2),
        h(40000, 2),
        Span {
            kind: RegisterKind::Input,
            start: 0,
            count: 1,
        },
        h(40010, 1),
        h(40002, 1),
    ];
    let reqs: Vec<(u8, u16, u16)> = plan(&mut spans)
        .map(|r| (r.function, r.span.start, r.span.count))
        .collect();
    assert_eq!(reqs, vec![(0x03, 40000, 5), (0x03, 40010, 1), (0x04, 0, 1)]);
}

#[test]
fn planner_respects_125_registers() {
    // 130 contiguous U16 -> 125 + 5.
    let mut spans: Vec<Span> = (0..130).map(|i| h(1000 + i, 1)).collect();
    let reqs: Vec<(u16, u16)> = plan(&mut spans)
        .map(|r| (r.span.start, r.span.count))
        .collect();
    assert_eq!(reqs, vec![(1000, 125), (1125, 5)]);
    // 62 U32 (124 regs) then a U32: the 63rd does not fit, it is not split.
    let mut spans: Vec<Span> = (0..63).map(|i| h(2 * i, 2)).collect();
    let reqs: Vec<(u16, u16)> = plan(&mut spans)
        .map(|r| (r.span.start, r.span.count))
        .collect();
    assert_eq!(reqs, vec![(0, 124), (124, 2)]);
    // One 300-byte RAW (150 registers) alone: two reads.
    let mut spans = [h(0, 150)];
    let reqs: Vec<(u16, u16)> = plan(&mut spans)
        .map(|r| (r.span.start, r.span.count))
        .collect();
    assert_eq!(reqs, vec![(0, 125), (125, 25)]);
    // Two U8 in the same register overlap: one read of 1.
    let mut spans = [spec("3", "5_1", "U8").span(), spec("3", "5_0", "U8").span()];
    assert_eq!(plan(&mut spans).count(), 1);
}

fn any_type() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "U16", "U16_B", "I16", "I16_B", "U32", "U32_B", "U32_W", "U32_WB", "I32", "I32_W",
        "I32_WB", "U64", "U64_W", "U64_B", "U64_WB", "I64", "I64_WB", "I64_W",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn integers_round_trip(ty in any_type(), v in any::<i64>()) {
        let s = spec("3", "100", ty);
        let bits = u32::from(s.byte_size()) * 8;
        let value = if ty.starts_with('U') {
            let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
            Value::Unsigned((v as u64) & mask)
        } else {
            let shift = 64 - bits;
            Value::Signed((v << shift) >> shift)
        };
        let mut buf = [0u8; 8];
        let n = s.encode(&value, &mut buf).unwrap();
        prop_assert_eq!(s.decode(&buf[..n]).unwrap(), value);
    }

    #[test]
    fn floats_round_trip(v in any::<f32>(), ty in prop::sample::select(vec!["F32", "F32_B", "F32_W", "F32_WB"])) {
        prop_assume!(v.is_finite());
        let s = spec("3", "0", ty);
        let mut buf = [0u8; 4];
        s.encode(&Value::Float(f64::from(v)), &mut buf).unwrap();
        prop_assert_eq!(s.decode(&buf).unwrap(), Value::Float(f64::from(v)));
    }

    #[test]
    fn decode_never_panics(info2 in "[0-9_]{0,12}", info3 in "[A-Za-z0-9_]{0,8}", data in prop::collection::vec(any::<u8>(), 0..20)) {
        if let Ok(s) = VarSpec::parse("3", &info2, &info3) {
            let _ = s.decode(&data);
        }
    }
}

#[test]
fn write_and_read_pdus() {
    let mut out = [0u8; 64];
    // One holding register: FC 0x06, address 40000 = 0x9C40, value 0x1234.
    let n = spec("3", "40000", "U16")
        .write_pdu(&Value::Unsigned(0x1234), false, &[], &mut out)
        .unwrap();
    assert_eq!(&out[..n], &[0x06, 0x9C, 0x40, 0x12, 0x34]);
    // Forced write code 1: FC 0x10 with count 1, byte count 2.
    let n = spec("3", "40000", "U16")
        .write_pdu(&Value::Unsigned(0x1234), true, &[], &mut out)
        .unwrap();
    assert_eq!(&out[..n], &[0x10, 0x9C, 0x40, 0x00, 0x01, 0x02, 0x12, 0x34]);
    // F32_W 230.5 at register 10: FC 0x10, 2 registers, 4 bytes, words swapped.
    let n = spec("3", "10", "F32_W")
        .write_pdu(&Value::Float(230.5), false, &[], &mut out)
        .unwrap();
    assert_eq!(
        &out[..n],
        &[0x10, 0x00, 0x0A, 0x00, 0x02, 0x04, 0x80, 0x00, 0x43, 0x66]
    );
    // Coil 7 on: FC 0x05, 0xFF00.
    let n = spec("1", "7", "U16")
        .write_pdu(&Value::Bool(true), false, &[], &mut out)
        .unwrap();
    assert_eq!(&out[..n], &[0x05, 0x00, 0x07, 0xFF, 0x00]);
    // U8 in the 2nd byte keeps the 1st byte of the current register.
    let n = spec("3", "3_1", "U8")
        .write_pdu(&Value::Unsigned(0xAB), false, &[0x12, 0x34], &mut out)
        .unwrap();
    assert_eq!(&out[..n], &[0x06, 0x00, 0x03, 0x12, 0xAB]);
    assert_eq!(
        spec("4", "3", "U16").write_pdu(&Value::Unsigned(1), false, &[], &mut out),
        Err(CodecError::ReadOnly)
    );
    let mut spans = [spec("4", "30000", "U32").span()];
    let r = plan(&mut spans).next().unwrap();
    // FC 0x04, 30000 = 0x7530, 2 registers.
    assert_eq!(r.pdu(), [0x04, 0x75, 0x30, 0x00, 0x02]);
}
