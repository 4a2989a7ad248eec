//! Symbols of enumeration and bit-field points: the built-in tables against
//! the official definitions (read from `../shared/vectors`, never copied),
//! and decoding through both the built-in tables and the JSON loader.
#![cfg(all(feature = "alloc", feature = "serde"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::Path;

use webdyn_sunspec::RegisterImage;
use webdyn_sunspec::json::ModelJson;
use webdyn_sunspec::model::{self, ModelDef};
use webdyn_sunspec::point::Value;
use webdyn_sunspec::scan::ModelHeader;
use webdyn_sunspec::symbol::{self, Flag};
use webdyn_sunspec::writer::ImageWriter;

fn load_model(dir: &Path, id: u16) -> ModelJson {
    let text = std::fs::read_to_string(dir.join(format!("model_{id}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every enumeration and bit-field point of the built-in models carries
/// exactly the symbols of the official definition (same names, same
/// values, same order), and points the definition names nothing for have
/// no table.
#[test]
fn builtin_symbols_match_official_definitions() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/sunspec-models/json") else {
        return;
    };
    let mut checked = 0;
    for def in model::BUILTIN.iter().copied().chain([&model::CONTROLS]) {
        let official = load_model(&dir, def.id);
        for p in &official.group.points {
            let ours = def.symbols(&p.name);
            if p.symbols.is_empty() {
                assert_eq!(ours, None, "model {} point {}", def.id, p.name);
                continue;
            }
            let ours = ours.unwrap_or_else(|| panic!("model {} point {}", def.id, p.name));
            let ours: Vec<(&str, u64)> =
                ours.iter().map(|s| (s.name, u64::from(s.value))).collect();
            let want: Vec<(&str, u64)> = p
                .symbols
                .iter()
                .map(|s| (s.name.as_str(), s.value))
                .collect();
            assert_eq!(ours, want, "model {} point {}", def.id, p.name);
            checked += 1;
        }
    }
    // St and Evt1 in 101/102/103, five enumerations in 123.
    assert_eq!(checked, 11);
}

/// The official model 103 names `St` = 4 `MPPT` and `Evt1` bit 7
/// `OVER_TEMP`; both the loader and the built-in table say so.
#[test]
fn official_model_103_symbols_decode() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/sunspec-models/json") else {
        return;
    };
    let official = load_model(&dir, 103);
    let (buf, n) = inverter_image(4, (1 << 7) | (1 << 30));
    let image = RegisterImage::new(40000, &buf[..n]).unwrap();
    let points = official.decode(&image, 40002, 50).unwrap();
    let st = points.iter().find(|p| p.path == "St").unwrap();
    assert_eq!(official.symbol(st), Some("MPPT"));
    let evt1 = points.iter().find(|p| p.path == "Evt1").unwrap();
    let flags: Vec<Flag<'_>> = official.flags(evt1).unwrap().collect();
    assert_eq!(flags, [Flag::Named("OVER_TEMP"), Flag::Unknown(30)]);
    // An enumeration is not a bit field and the other way round.
    assert!(official.flags(st).is_none());
    assert_eq!(official.symbol(evt1), None);
    // Evt2 has no symbols in the definition: nothing set, nothing reported.
    let evt2 = points.iter().find(|p| p.path == "Evt2").unwrap();
    assert_eq!(official.flags(evt2).unwrap().count(), 0);
}

/// Model 103 image with `St` and `Evt1` set, everything else not
/// implemented.
fn inverter_image(st: u64, evt1: u64) -> ([u8; 256], usize) {
    let mut buf = [0u8; 256];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    w.model_with(
        &model::INVERTER_THREE_PHASE,
        &[
            ("St", Value::Uint(st)),
            ("Evt1", Value::Uint(evt1)),
            ("Evt2", Value::Uint(0)),
        ],
    )
    .unwrap();
    let n = w.finish().unwrap();
    (buf, n)
}

fn decode_one<'i>(
    def: &ModelDef,
    image: &'i RegisterImage<&'i [u8]>,
    name: &str,
) -> webdyn_sunspec::model::DecodedPoint<'i> {
    let header = ModelHeader {
        id: def.id,
        len: def.len,
        addr: 40002,
    };
    def.decode_model(image, &header)
        .find(|p| p.def.name == name)
        .unwrap()
}

#[test]
fn builtin_enum_and_bitfield_decode() {
    let def = &model::INVERTER_THREE_PHASE;
    let (buf, n) = inverter_image(7, 0b1_0000_0000_0101);
    let image = RegisterImage::new(40000, &buf[..n]).unwrap();
    let st = decode_one(def, &image, "St");
    assert_eq!(def.symbol_of(&st), Some("FAULT"));
    let evt1 = decode_one(def, &image, "Evt1");
    let flags: Vec<_> = def.flags_of(&evt1).unwrap().collect();
    // Bits 0, 2 and 12 of the official table.
    assert_eq!(
        flags,
        [
            Flag::Named("GROUND_FAULT"),
            Flag::Named("AC_DISCONNECT"),
            Flag::Named("BLOWN_STRING_FUSE")
        ]
    );
    // A state the standard does not list has no name; a point that is not
    // an enumeration has none either.
    let (buf, n) = inverter_image(9, 0);
    let image = RegisterImage::new(40000, &buf[..n]).unwrap();
    assert_eq!(def.symbol_of(&decode_one(def, &image, "St")), None);
    assert_eq!(def.symbol_of(&decode_one(def, &image, "W")), None);
    assert!(def.flags_of(&decode_one(def, &image, "St")).is_none());
    // Evt2 has no symbol table: its set bits are reported as unknown.
    let mut buf = [0u8; 256];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    w.model_with(def, &[("Evt2", Value::Uint(1 << 31))])
        .unwrap();
    let n = w.finish().unwrap();
    let image = RegisterImage::new(40000, &buf[..n]).unwrap();
    let evt2 = decode_one(def, &image, "Evt2");
    assert!(def.flags_of(&evt2).unwrap().eq([Flag::Unknown(31)]));
}

#[test]
fn controls_enumerations() {
    let c = &model::CONTROLS;
    assert_eq!(
        symbol::enum_name(c.symbols("Conn").unwrap(), 1),
        Some("CONNECT")
    );
    assert_eq!(
        symbol::enum_name(c.symbols("VArPct_Mod").unwrap(), 2),
        Some("VArMax")
    );
    assert_eq!(
        symbol::enum_name(c.symbols("WMaxLim_Ena").unwrap(), 1),
        Some("ENABLED")
    );
    assert_eq!(c.symbols("WMaxLimPct"), None);
    assert_eq!(c.symbols("NoSuchPoint"), None);
    assert_eq!(model::COMMON.symbols("DA"), None);
    assert_eq!(model::inverter_state_name(8), Some("STANDBY"));
}

/// Symbols survive a hand-made definition, and a value that does not fit
/// any symbol stays unnamed.
#[test]
fn hand_made_definition_keeps_symbols() {
    let def: ModelJson = serde_json::from_str(
        r#"{"id": 64999, "group": {"name": "x", "points": [
            {"name": "ID", "type": "uint16", "size": 1},
            {"name": "L", "type": "uint16", "size": 1},
            {"name": "Mode", "type": "enum32", "size": 2,
             "symbols": [{"name": "IDLE", "value": 0}, {"name": "BIG", "value": 70000}]},
            {"name": "Alarm", "type": "bitfield16", "size": 1,
             "symbols": [{"name": "HOT", "value": 15}]}
        ]}}"#,
    )
    .unwrap();
    assert_eq!(def.symbols("Mode").unwrap().len(), 2);
    assert_eq!(def.symbols("Nope"), None);
    // ID 64999, L 3, Mode 70000 (0x0001_1170), Alarm 0x8001.
    let regs = [0xFD, 0xE7, 0, 3, 0x00, 0x01, 0x11, 0x70, 0x80, 0x01];
    let image = RegisterImage::new(40002, &regs[..]).unwrap();
    let points = def.decode(&image, 40002, 3).unwrap();
    assert_eq!(def.symbol(&points[2]), Some("BIG"));
    let flags: Vec<_> = def.flags(&points[3]).unwrap().collect();
    assert_eq!(flags, [Flag::Unknown(0), Flag::Named("HOT")]);
    // 0xFFFF is "not implemented" for a bitfield16: no flags at all.
    let regs = [0xFD, 0xE7, 0, 3, 0, 0, 0, 5, 0xFF, 0xFF];
    let image = RegisterImage::new(40002, &regs[..]).unwrap();
    let points = def.decode(&image, 40002, 3).unwrap();
    assert_eq!(def.symbol(&points[2]), None);
    assert!(def.flags(&points[3]).is_none());
}
