//! Corrections for known defects of the official SunSpec JSON models
//! (github.com/sunspec/models issues), applied to a loaded [`ModelJson`].
//!
//! Every serious consumer of the official definitions patches them; this
//! table makes ours explicit. Each [`Patch`] names its issue, is applied
//! only when the definition still has the defect's shape (so a fixed
//! upstream file is left alone and applying twice changes nothing), and
//! [`apply`] reports which ones applied.
//!
//! | Issue | Model | Defect (issue title) | Correction, and when |
//! |---|---|---|---|
//! | #240 | 64020 | "Json swaps ProbeTmp and MainTmp" | When `ProbeTmp` directly precedes `MainTmp` in the top group (the JSON's order), each named once and of the same size, the two points trade places: `MainTmp` is read at the register `ProbeTmp` had. |
//! | #248 | 803 | "repeated string group count should be top level NStr" | When the `string` group's count is anything but the top-level point `NStr` (and `NStr` exists), the count becomes `NStr`. |
//! | #256 | 803 | "missing scaling factor and units for module temperatures" | When a module temperature (`ModTmpMax`/`Min`/`Avg`, `StrModTmpMax`/`Min`/`Avg`) has no scale factor and the model has the `ModTmp_SF` point, it gets `sf = ModTmp_SF`; a missing unit becomes `C`. |
//!
//! Not patched ([`NOT_PATCHED`]): #237 "Differences between JSON and SMDX
//! models" is a difference of representation (the JSON lists `ID` and `L`
//! as points, SMDX leaves them implicit), not a wrong definition: the
//! loader already reads `ID` and `L` as points, so there is nothing to
//! correct. #256 is also left alone for a definition that lacks the
//! `ModTmp_SF` point: adding a register would move every point after it,
//! and where it belongs is not something the issue title says.
//!
//! ```
//! use webdyn_sunspec::{json::ModelJson, patch};
//! let text = r#"{"id": 64020, "group": {"name": "model_64020", "points": [
//!     {"name": "ID", "type": "uint16", "size": 1},
//!     {"name": "L", "type": "uint16", "size": 1},
//!     {"name": "ProbeTmp", "type": "int16", "size": 1, "units": "C"},
//!     {"name": "MainTmp", "type": "int16", "size": 1, "units": "C"}]}}"#;
//! let mut model: ModelJson = serde_json::from_str(text).unwrap();
//! let applied = patch::apply(&mut model);
//! assert_eq!(applied.iter().map(|p| p.issue).collect::<Vec<_>>(), [240]);
//! assert_eq!(model.group.points[2].name, "MainTmp");
//! // Already corrected: nothing more to do.
//! assert!(patch::apply(&mut model).is_empty());
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use crate::json::{Count, GroupJson, ModelJson, SfRef};

/// One correction of an official model definition.
#[derive(Debug, Clone, Copy)]
pub struct Patch {
    /// The sunspec/models issue number.
    pub issue: u16,
    /// The model it corrects.
    pub model: u16,
    /// The issue title, as filed.
    pub title: &'static str,
    /// What the correction does.
    pub fix: &'static str,
    /// Applies the correction when the definition has the defect's shape;
    /// true when it changed something.
    apply: fn(&mut ModelJson) -> bool,
}

/// Every correction [`apply`] knows, in issue order.
pub static PATCHES: &[Patch] = &[
    Patch {
        issue: 240,
        model: 64020,
        title: "[Model 64020] Json swaps ProbeTmp and MainTmp",
        fix: "MainTmp and ProbeTmp trade places when ProbeTmp directly precedes MainTmp",
        apply: swap_probe_and_main_tmp,
    },
    Patch {
        issue: 248,
        model: 803,
        title: "model 803 repeated string group count should be top level NStr",
        fix: "the string group's count becomes the top-level point NStr",
        apply: string_count_is_nstr,
    },
    Patch {
        issue: 256,
        model: 803,
        title: "Model 803: missing scaling factor and units for module temperatures",
        fix: "module temperatures without a scale factor get ModTmp_SF, and unit C when they have none",
        apply: module_temperatures_scaled,
    },
];

/// Known defects deliberately left alone: (issue, why).
pub static NOT_PATCHED: &[(u16, &str)] = &[
    (
        237,
        "JSON lists ID and L as points where SMDX leaves them implicit: a difference of \
         representation the loader already handles, not a wrong definition",
    ),
    (
        256,
        "only patched when ModTmp_SF exists: adding the register would move every later point \
         to a place the issue does not give",
    ),
];

/// Applies every correction whose defect `model` still has, and returns
/// those that changed it (empty for a model without known defects, or one
/// already corrected).
pub fn apply(model: &mut ModelJson) -> Vec<&'static Patch> {
    PATCHES
        .iter()
        .filter(|p| p.model == model.id && (p.apply)(model))
        .collect()
}

fn swap_probe_and_main_tmp(model: &mut ModelJson) -> bool {
    let points = &mut model.group.points;
    // A definition naming either point twice is not the one the issue is
    // about (and swapping there would not be idempotent).
    let once = |name: &str| points.iter().filter(|p| p.name == name).count() == 1;
    if !(once("ProbeTmp") && once("MainTmp")) {
        return false;
    }
    let Some(i) = points.iter().position(|p| p.name == "ProbeTmp") else {
        return false;
    };
    let next_is_main = points.get(i + 1).is_some_and(|p| p.name == "MainTmp");
    // Swapping points of different sizes would move every later point.
    let same_size = points.get(i).map(|p| p.size) == points.get(i + 1).map(|p| p.size);
    if !(next_is_main && same_size) {
        return false;
    }
    points.swap(i, i + 1);
    true
}

fn string_count_is_nstr(model: &mut ModelJson) -> bool {
    if !model.group.points.iter().any(|p| p.name == "NStr") {
        return false;
    }
    let Some(string) = model.group.groups.iter_mut().find(|g| g.name == "string") else {
        return false;
    };
    if string.count == Some(Count::Point(String::from("NStr"))) {
        return false;
    }
    string.count = Some(Count::Point(String::from("NStr")));
    true
}

const MODULE_TEMPERATURES: [&str; 6] = [
    "ModTmpMax",
    "ModTmpMin",
    "ModTmpAvg",
    "StrModTmpMax",
    "StrModTmpMin",
    "StrModTmpAvg",
];

fn module_temperatures_scaled(model: &mut ModelJson) -> bool {
    if !model.group.points.iter().any(|p| p.name == "ModTmp_SF") {
        return false;
    }
    fn fix(g: &mut GroupJson) -> bool {
        let mut changed = false;
        for p in &mut g.points {
            if MODULE_TEMPERATURES.contains(&p.name.as_str()) && p.sf.is_none() {
                p.sf = Some(SfRef::Point(String::from("ModTmp_SF")));
                if p.units.is_none() {
                    p.units = Some(String::from("C"));
                }
                changed = true;
            }
        }
        for sub in &mut g.groups {
            changed |= fix(sub);
        }
        changed
    }
    fix(&mut model.group)
}
