//! Serde forms of the application-layer types (feature "serde").
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_wmbus::app::{DateKind, DateTime, Decimal, Function, Records};

#[test]
fn record_serializes_with_its_decoded_fields() {
    // DIF 0x8C DIFE 0x10: 8-digit BCD, tariff 1; VIF 0x13: litres.
    let p = [0x8C, 0x10, 0x13, 0x78, 0x56, 0x34, 0x12];
    let r = Records::new(&p).next().unwrap().unwrap();
    let j = serde_json::to_value(r).unwrap();
    assert_eq!(j["tariff"], 1);
    assert_eq!(j["function"], "instantaneous");
    assert_eq!(j["vif"]["quantity"], "volume");
    assert_eq!(j["vif"]["unit"], "m3");
    assert_eq!(j["vif"]["exponent"], -3);
    assert_eq!(j["value"]["Number"]["mantissa"], 12345678);
}

#[test]
fn owned_types_round_trip() {
    let d = Decimal::new(-12345, -3);
    let back: Decimal = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    let f: Function = serde_json::from_str("\"maximum\"").unwrap();
    assert_eq!(f, Function::Maximum);
    let t = DateTime::decode(DateKind::F, &[0x19, 0x0F, 0x8A, 0x17]).unwrap();
    let back: DateTime = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back, t);
}
