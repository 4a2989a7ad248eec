//! The patch list against the official model files (read from
//! `../shared/vectors`, never copied) and against hand-made definitions
//! that have the defects the sunspec/models issues describe.
#![cfg(all(feature = "alloc", feature = "serde"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::Path;

use serde_json::Value as Json;
use webdyn_sunspec::json::{Count, ModelJson, SfRef};
use webdyn_sunspec::{RegisterImage, Value, patch};

fn raw_model(dir: &Path, id: u16) -> Option<Json> {
    let text = std::fs::read_to_string(dir.join(format!("model_{id}.json"))).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

fn issues(applied: &[&patch::Patch]) -> Vec<u16> {
    applied.iter().map(|p| p.issue).collect()
}

fn point<'a>(model: &'a ModelJson, name: &str) -> &'a webdyn_sunspec::json::PointJson {
    model.group.points.iter().find(|p| p.name == name).unwrap()
}

/// The official model 64020 still lists ProbeTmp before MainTmp (#240):
/// the patch applies once, MainTmp is then read at register offset 7 and
/// ProbeTmp at 8, and every other point keeps its place.
#[test]
fn official_64020_gets_probe_and_main_swapped() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/sunspec-models/json") else {
        return;
    };
    let Some(raw) = raw_model(&dir, 64020) else {
        println!("skipped: model_64020.json absent");
        return;
    };
    let official: ModelJson = serde_json::from_value(raw).unwrap();
    let mut model = official.clone();
    assert_eq!(issues(&patch::apply(&mut model)), [240]);
    let names: Vec<&str> = model.group.points.iter().map(|p| p.name.as_str()).collect();
    // ID, L, Aux0Tmp..Aux4Tmp, then the two temperatures at offsets 7 and 8.
    assert_eq!(names[7], "MainTmp");
    assert_eq!(names[8], "ProbeTmp");
    assert_eq!(names.len(), official.group.points.len());
    for (i, (a, b)) in official
        .group
        .points
        .iter()
        .zip(&model.group.points)
        .enumerate()
    {
        if i != 7 && i != 8 {
            assert_eq!(a, b);
        }
    }
    assert!(patch::apply(&mut model).is_empty());

    // Decoding: a device reporting 25 °C main and 31 °C probe temperature in
    // the order the issue says (MainTmp first). Model length from the file.
    let len: u32 = model
        .group
        .points
        .iter()
        .map(|p| u32::from(p.size))
        .sum::<u32>()
        - 2;
    let mut regs = vec![0u8; (2 + len as usize) * 2];
    regs[..2].copy_from_slice(&64020u16.to_be_bytes());
    regs[2..4].copy_from_slice(&(len as u16).to_be_bytes());
    regs[14..16].copy_from_slice(&25i16.to_be_bytes());
    regs[16..18].copy_from_slice(&31i16.to_be_bytes());
    let image = RegisterImage::new(40002, &regs[..]).unwrap();
    let points = model.decode(&image, 40002, len as u16).unwrap();
    let get = |n: &str| points.iter().find(|p| p.path == n).unwrap().value;
    assert_eq!(get("MainTmp"), Value::Int(25));
    assert_eq!(get("ProbeTmp"), Value::Int(31));
    let points = official.decode(&image, 40002, len as u16).unwrap();
    let get = |n: &str| points.iter().find(|p| p.path == n).unwrap().value;
    assert_eq!(
        get("MainTmp"),
        Value::Int(31),
        "unpatched reads them swapped"
    );
}

/// The official model 803 at the pinned commit already counts its string
/// group with NStr and scales the module temperatures with ModTmp_SF:
/// neither #248 nor #256 applies. Broken the way the issues describe, it
/// is patched back to exactly the official definition.
#[test]
fn official_803_is_already_fixed_and_broken_copies_are_repaired() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/sunspec-models/json") else {
        return;
    };
    let Some(raw) = raw_model(&dir, 803) else {
        println!("skipped: model_803.json absent");
        return;
    };
    let official: ModelJson = serde_json::from_value(raw.clone()).unwrap();
    let mut model = official.clone();
    assert!(patch::apply(&mut model).is_empty());
    assert_eq!(model, official);

    // #248: the string group counted by something other than NStr.
    let mut broken = raw.clone();
    let groups = broken["group"]["groups"].as_array_mut().unwrap();
    let string = groups.iter_mut().find(|g| g["name"] == "string").unwrap();
    string["count"] = Json::from(1);
    let mut model: ModelJson = serde_json::from_value(broken).unwrap();
    assert_eq!(issues(&patch::apply(&mut model)), [248]);
    assert_eq!(model, official);
    assert_eq!(
        model.group.groups[0].count,
        Some(Count::Point("NStr".into()))
    );

    // #256: the module temperatures without scale factor and unit, at top
    // level and in the string group.
    let mut broken = raw.clone();
    let strip = |points: &mut Vec<Json>| {
        let mut n = 0;
        for p in points.iter_mut() {
            let name = p["name"].as_str().unwrap().to_string();
            if name.contains("ModTmp")
                && !name.ends_with("_SF")
                && !name.ends_with("Mod")
                && !name.ends_with("Str")
            {
                let obj = p.as_object_mut().unwrap();
                obj.remove("sf");
                obj.remove("units");
                n += 1;
            }
        }
        n
    };
    let top = strip(broken["group"]["points"].as_array_mut().unwrap());
    let groups = broken["group"]["groups"].as_array_mut().unwrap();
    let sub = strip(groups[0]["points"].as_array_mut().unwrap());
    assert_eq!((top, sub), (3, 3));
    let mut model: ModelJson = serde_json::from_value(broken).unwrap();
    assert_eq!(issues(&patch::apply(&mut model)), [256]);
    assert_eq!(model, official);
    assert_eq!(
        point(&model, "ModTmpAvg").sf,
        Some(SfRef::Point("ModTmp_SF".into()))
    );
}

const BROKEN_803: &str = r#"{"id": 803, "group": {"name": "lithium_ion_bank", "points": [
    {"name": "ID", "type": "uint16", "size": 1},
    {"name": "L", "type": "uint16", "size": 1},
    {"name": "NStr", "type": "uint16", "size": 1},
    {"name": "ModTmpMax", "type": "int16", "size": 1},
    {"name": "ModTmpAvg", "type": "int16", "size": 1, "units": "K"},
    {"name": "ModTmp_SF", "type": "sunssf", "size": 1}
  ], "groups": [{"name": "string", "count": 0, "points": [
    {"name": "StrModTmpMax", "type": "int16", "size": 1},
    {"name": "StrSoC", "type": "uint16", "size": 1}
  ]}]}}"#;

/// A hand-made 803 with both defects: both patches apply, a unit the
/// definition does give is kept, and the module temperature then scales.
#[test]
fn hand_made_803_with_both_defects() {
    let mut model: ModelJson = serde_json::from_str(BROKEN_803).unwrap();
    assert_eq!(issues(&patch::apply(&mut model)), [248, 256]);
    assert_eq!(point(&model, "ModTmpMax").units.as_deref(), Some("C"));
    assert_eq!(point(&model, "ModTmpAvg").units.as_deref(), Some("K"));
    let string = &model.group.groups[0];
    assert_eq!(string.count, Some(Count::Point("NStr".into())));
    assert_eq!(string.points[0].sf, Some(SfRef::Point("ModTmp_SF".into())));
    assert_eq!(string.points[1].sf, None, "StrSoC is not a temperature");
    // NStr = 1 string, ModTmpMax = 253 with ModTmp_SF = -1: 25.3 °C; the
    // string's StrModTmpMax = 261: 26.1 °C.
    let regs: Vec<u8> = [803u16, 6, 1, 253, 0x8000, (-1i16) as u16, 261, 50]
        .iter()
        .flat_map(|r| r.to_be_bytes())
        .collect();
    let image = RegisterImage::new(40002, &regs[..]).unwrap();
    let points = model.decode(&image, 40002, 6).unwrap();
    let scaled = |n: &str| {
        points
            .iter()
            .find(|p| p.path == n)
            .unwrap()
            .scaled
            .map(|s| s.to_string())
    };
    assert_eq!(scaled("ModTmpMax").as_deref(), Some("25.3"));
    assert_eq!(scaled("string[1].StrModTmpMax").as_deref(), Some("26.1"));
    assert!(patch::apply(&mut model).is_empty());
}

/// Shapes the patches must leave alone: a model without ModTmp_SF (adding
/// a register would be a guess), without NStr, with the temperatures of
/// 64020 already in the other order or apart, and another model id.
#[test]
fn patches_leave_other_shapes_alone() {
    let text = BROKEN_803
        .replace(
            r#"{"name": "ModTmp_SF", "type": "sunssf", "size": 1}"#,
            r#"{"name": "X", "type": "uint16", "size": 1}"#,
        )
        .replace(r#""NStr""#, r#""NMod""#);
    let mut model: ModelJson = serde_json::from_str(&text).unwrap();
    let before = model.clone();
    assert!(patch::apply(&mut model).is_empty());
    assert_eq!(model, before);

    let same_shape_other_id = BROKEN_803.replace(r#""id": 803"#, r#""id": 802"#);
    let mut model: ModelJson = serde_json::from_str(&same_shape_other_id).unwrap();
    assert!(patch::apply(&mut model).is_empty());

    for order in [
        r#"{"name": "MainTmp", "type": "int16", "size": 1}, {"name": "ProbeTmp", "type": "int16", "size": 1}"#,
        r#"{"name": "ProbeTmp", "type": "int16", "size": 1}, {"name": "Aux", "type": "int16", "size": 1}, {"name": "MainTmp", "type": "int16", "size": 1}"#,
        r#"{"name": "ProbeTmp", "type": "int16", "size": 1}, {"name": "MainTmp", "type": "int32", "size": 2}"#,
        r#"{"name": "ProbeTmp", "type": "int16", "size": 1}, {"name": "MainTmp", "type": "int16", "size": 1}, {"name": "MainTmp", "type": "int16", "size": 1}"#,
    ] {
        let text = format!(r#"{{"id": 64020, "group": {{"name": "m", "points": [{order}]}}}}"#);
        let mut model: ModelJson = serde_json::from_str(&text).unwrap();
        assert!(patch::apply(&mut model).is_empty(), "{order}");
    }
}

/// Every patch names a distinct issue among the defects the landscape
/// lists, and #237 is documented as not patched.
#[test]
fn patch_table_is_documented() {
    let issues: Vec<u16> = patch::PATCHES.iter().map(|p| p.issue).collect();
    assert_eq!(issues, [240, 248, 256]);
    assert!(patch::NOT_PATCHED.iter().any(|(i, _)| *i == 237));
    for p in patch::PATCHES {
        assert!(p.title.contains(&p.model.to_string()), "{}", p.title);
        assert!(!p.fix.is_empty());
    }
}
