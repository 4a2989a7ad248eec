//! Decimal128 <-> integer and Decimal128 -> f64 conversions: hand-picked
//! values (exponents, signed zeros, clamped exponents, the largest
//! coefficient, i64 / i128 limits, halfway cases of f64 rounding), then
//! every valid case of the BSON corpus's decimal128 files cross-checked
//! against a string-based oracle written here.
#![cfg(feature = "std")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_files::bson::decimal128::ConversionError;
use webdyn_files::bson::{Decimal128, RawDocument};

fn d(s: &str) -> Decimal128 {
    Decimal128::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn integers_exactly() {
    let cases: &[(&str, Option<i64>)] = &[
        ("1.20E+3", Some(1200)),
        ("1000E-3", Some(1)),
        ("1200E-3", None),
        ("1201E-3", None),
        ("1.5", None),
        ("-1.5", None),
        ("2.000", Some(2)),
        ("-0", Some(0)),
        ("-0.0", Some(0)),
        ("0E+6111", Some(0)),
        ("-0E-6176", Some(0)),
        ("1E+18", Some(1_000_000_000_000_000_000)),
        ("9223372036854775807", Some(i64::MAX)),
        ("9.223372036854775807E+18", Some(i64::MAX)),
        ("-9223372036854775808", Some(i64::MIN)),
        ("9223372036854775808", None),
        ("-9223372036854775809", None),
        ("1E+19", None),
        ("1E-6176", None),
        ("9.999999999999999999999999999999999E+6144", None),
        ("NaN", None),
        ("-Infinity", None),
    ];
    for &(s, want) in cases {
        assert_eq!(d(s).to_i64(), want, "{s}");
        if let Some(w) = want {
            assert_eq!(d(s).to_i128(), Some(i128::from(w)), "{s}");
        }
    }
    assert_eq!(i64::try_from(d("1.5")), Err(ConversionError::NotIntegral));
    assert_eq!(i64::try_from(d("1E+19")), Err(ConversionError::OutOfRange));
    assert_eq!(i64::try_from(d("-inf")), Err(ConversionError::NotFinite));
    assert_eq!(i128::try_from(d("NaN")), Err(ConversionError::NotFinite));
}

#[test]
fn i128_limits() {
    // i128::MAX = 170141183460469231731687303715884105727 (39 digits).
    assert_eq!(d("1E+19").to_i128(), Some(10_000_000_000_000_000_000));
    assert_eq!(
        d("1.701411834604692317316873037158841E+38").to_i128(),
        Some(170_141_183_460_469_231_731_687_303_715_884_100_000)
    );
    assert_eq!(
        d("-1.701411834604692317316873037158841E+38").to_i128(),
        Some(-170_141_183_460_469_231_731_687_303_715_884_100_000)
    );
    assert_eq!(
        i128::try_from(d("1.701411834604692317316873037158842E+38")),
        Err(ConversionError::OutOfRange)
    );
    // The largest coefficient: 34 nines.
    assert_eq!(
        d("9999999999999999999999999999999999").to_i128(),
        Some(9_999_999_999_999_999_999_999_999_999_999_999)
    );
    assert_eq!(
        d("12345678901234567890.00").to_i128(),
        Some(12_345_678_901_234_567_890)
    );
    assert_eq!(d("12345678901234567890.00").to_i64(), None);
    // "Clamped" from the corpus: 1E6112 is stored as 10 x 10^6111.
    assert_eq!(
        i128::try_from(d("1E6112")),
        Err(ConversionError::OutOfRange)
    );
    // A non-canonical coefficient (2^113 - 1 > 10^34 - 1) reads as zero.
    let mut bytes = [0xFFu8; 16];
    // High word 0x3041_FFFF_FFFF_FFFF: biased exponent 6176 (exponent 0)
    // << 49, then the coefficient's top 49 bits all ones.
    bytes[14] = 0x41;
    bytes[15] = 0x30;
    let non_canonical = Decimal128::from_bytes(bytes);
    assert_eq!(non_canonical.to_string(), "0");
    assert_eq!(non_canonical.to_i64(), Some(0));
}

#[test]
fn from_integers() {
    assert_eq!(Decimal128::from_i128(0).unwrap().to_string(), "0");
    assert_eq!(Decimal128::from_i128(-1200).unwrap().to_string(), "-1200");
    assert_eq!(
        Decimal128::from_i128(i128::from(i64::MIN))
            .unwrap()
            .to_string(),
        "-9223372036854775808"
    );
    assert_eq!(
        Decimal128::from(u64::MAX).to_string(),
        "18446744073709551615"
    );
    // 38 digits: only the zeros that do not fit move to the exponent
    // (IEEE 754's preferred exponent 0, or the closest one possible).
    assert_eq!(
        Decimal128::from_i128(10i128.pow(37)).unwrap().to_string(),
        "1.000000000000000000000000000000000E+37"
    );
    assert_eq!(
        Decimal128::from_i128(170_141_183_460_469_231_731_687_303_715_884_100_000)
            .unwrap()
            .to_string(),
        "1.701411834604692317316873037158841E+38"
    );
    // 34 digits fit with exponent 0, 35 significant digits do not fit.
    assert_eq!(
        Decimal128::from_i128(9_999_999_999_999_999_999_999_999_999_999_999)
            .unwrap()
            .to_string(),
        "9999999999999999999999999999999999"
    );
    assert_eq!(
        Decimal128::try_from(10_000_000_000_000_000_000_000_000_000_000_001i128),
        Err(ConversionError::Inexact)
    );
    assert_eq!(Decimal128::from_i128(i128::MAX), None);
    assert_eq!(Decimal128::from_i128(i128::MIN), None);
    // Round trip where both sides are exact.
    for v in [
        0i128,
        1,
        -1,
        7,
        i128::from(i64::MAX),
        i128::from(i64::MIN) - 1,
        -(10i128.pow(38)),
    ] {
        assert_eq!(Decimal128::try_from(v).unwrap().to_i128(), Some(v), "{v}");
    }
}

#[test]
fn nearest_f64() {
    assert_eq!(d("1.5").to_f64(), 1.5);
    assert_eq!(d("0.1").to_f64(), 0.1);
    assert_eq!(d("1.20E+3").to_f64(), 1200.0);
    // -0 keeps its sign, also with a clamped exponent.
    assert!(d("-0").to_f64().is_sign_negative() && d("-0").to_f64() == 0.0);
    assert!(d("-0E+6111").to_f64().is_sign_negative());
    assert!(d("0E-6176").to_f64().is_sign_positive());
    // 2^53 + 1 is halfway between two doubles: ties to even (2^53).
    assert_eq!(d("9007199254740993").to_f64(), 9_007_199_254_740_992.0);
    // 2^53 + 3 ties up to 2^53 + 4.
    assert_eq!(d("9007199254740995").to_f64(), 9_007_199_254_740_996.0);
    // Half the smallest subnormal is 2.47032822920623272088284396434110686...E-324:
    // just below rounds to 0, just above to the smallest subnormal.
    assert_eq!(d("2.470328229206232720882843964341106E-324").to_f64(), 0.0);
    assert_eq!(
        d("2.470328229206232720882843964341107E-324").to_f64(),
        f64::from_bits(1)
    );
    // f64::MAX = 1.7976931348623157E+308; halfway to 2^1024 is
    // 1.79769313486231580793728971405303415...E+308.
    assert_eq!(d("1.7976931348623157E+308").to_f64(), f64::MAX);
    assert_eq!(
        d("1.797693134862315807937289714053034E+308").to_f64(),
        f64::MAX
    );
    assert_eq!(
        d("1.797693134862315807937289714053035E+308").to_f64(),
        f64::INFINITY
    );
    assert_eq!(d("1.8E+308").to_f64(), f64::INFINITY);
    assert_eq!(
        d("-9.999999999999999999999999999999999E+6144").to_f64(),
        f64::NEG_INFINITY
    );
    assert_eq!(d("1E-6176").to_f64(), 0.0);
    assert_eq!(d("Infinity").to_f64(), f64::INFINITY);
    assert!(d("NaN").to_f64().is_nan());
    assert!(d("-NaN").to_f64().is_sign_negative());
}

/// Independent oracle: the integer a canonical Decimal128 string denotes,
/// by expanding its digits as text (no arithmetic shared with the crate).
fn oracle_i128(text: &str) -> Option<i128> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None; // NaN, Infinity
    }
    let (mantissa, exp) = match body.split_once('E') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap()),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits = format!("{int}{frac}");
    let mut exp = exp - frac.len() as i64;
    if digits.bytes().all(|b| b == b'0') {
        return Some(0);
    }
    while digits.ends_with('0') {
        digits.pop();
        exp += 1;
    }
    if exp < 0 || digits.len() as i64 + exp > 40 {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    let s = format!(
        "{}{digits}{}",
        if neg { "-" } else { "" },
        "0".repeat(exp as usize)
    );
    s.parse().ok()
}

#[test]
fn corpus_cross_check() {
    let Some(dir) = webdyn_testkit::vectors("bson/mongodb-specifications/source/bson-corpus/tests")
    else {
        return;
    };
    let mut checked = 0;
    let mut integral = 0;
    for file in webdyn_testkit::files_with_suffix(&dir, ".json") {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("decimal128-") {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in v
            .get("valid")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            let bytes = webdyn_testkit::hex(case["canonical_bson"].as_str().unwrap()).unwrap();
            let doc = RawDocument::parse(&bytes).unwrap();
            let dec = doc.get("d").unwrap().unwrap().as_decimal128().unwrap();
            let cej: serde_json::Value =
                serde_json::from_str(case["canonical_extjson"].as_str().unwrap()).unwrap();
            let text = cej["d"]["$numberDecimal"].as_str().unwrap();
            let want = oracle_i128(text);
            assert_eq!(dec.to_i128(), want, "{name} {text}");
            assert_eq!(
                dec.to_i64(),
                want.and_then(|w| i64::try_from(w).ok()),
                "{name} {text}"
            );
            if let Some(w) = want {
                integral += 1;
                // Back to Decimal128: numerically equal (same integer).
                assert_eq!(Decimal128::from_i128(w).and_then(|x| x.to_i128()), Some(w));
            }
            // f64: Rust's own parser on the canonical text (it reads
            // "Infinity", "NaN" and E-notation) is the reference.
            let f = dec.to_f64();
            let reference: f64 = text.parse().unwrap();
            assert!(
                f.to_bits() == reference.to_bits() || (f.is_nan() && reference.is_nan()),
                "{name} {text}: {f:e} vs {reference:e}"
            );
            checked += 1;
        }
    }
    println!("decimal128 corpus: {checked} values checked, {integral} integral in i128");
    assert!(checked > 200, "only {checked} decimal128 cases");
    assert!(integral > 20, "only {integral} integral cases");
}

mod props {
    use super::oracle_i128;
    use proptest::prelude::*;
    use webdyn_files::bson::Decimal128;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn i64_roundtrip(v in any::<i64>()) {
            prop_assert_eq!(Decimal128::from(v).to_i64(), Some(v));
            prop_assert_eq!(Decimal128::from_i128(i128::from(v)).unwrap().to_i64(), Some(v));
        }

        #[test]
        fn i128_roundtrip_when_representable(v in any::<i128>()) {
            // Exactly representable iff at most 34 significant digits.
            let digits = v.unsigned_abs().to_string();
            let significant = digits.trim_end_matches('0').len();
            let d = Decimal128::from_i128(v);
            prop_assert_eq!(d.is_some(), significant <= 34);
            if let Some(d) = d {
                prop_assert_eq!(d.to_i128(), Some(v));
            }
        }

        /// Any finite value agrees with the text oracle, and to_f64 with
        /// Rust's parser of the displayed text.
        #[test]
        fn parts_agree_with_text(
            negative in any::<bool>(),
            coefficient in prop_oneof![0u128..1000, 0u128..=9_999_999_999_999_999_999_999_999_999_999_999],
            exponent in prop_oneof![-40i32..40, -6176i32..=6111],
        ) {
            let d = Decimal128::from_parts(negative, coefficient, exponent).unwrap();
            let text = d.to_string();
            prop_assert_eq!(d.to_i128(), oracle_i128(&text), "{}", text);
            let f: f64 = text.parse().unwrap();
            prop_assert_eq!(d.to_f64().to_bits(), f.to_bits(), "{}", text);
        }
    }
}
