//! Alarm files (`/ALARM/<uid>-<ts>-alarm.bson`, manual §5.4): one alarm per
//! file. The manual's example also carries a stray `frameCount` (erratum E6),
//! ignored like every unknown key.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::validate::{Checker, Validate, ValidationError};
use super::value::int;

/// An alarm file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmFile {
    /// The hub identifier.
    pub uid: String,
    /// What triggered the upload (`alarm`).
    #[serde(default)]
    pub source: String,
    /// File creation time, Unix seconds UTC.
    #[serde(
        rename = "TS",
        alias = "ts",
        alias = "Ts",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub ts: i64,
    /// The alarm.
    pub alarm: Alarm,
}

/// What crossed its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlarmKind {
    /// `alarms.temperature` (°C).
    Temperature,
    /// `alarms.battery` (%).
    Battery,
    /// `alarms.timeGap`: clock drift against NTP (s).
    Ntp,
}

/// The alarm of an alarm file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: AlarmKind,
    /// The value that triggered it.
    #[serde(serialize_with = "number")]
    pub value: f64,
}

/// Whole values are written as int32, as in the manual's example.
fn number<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if *v >= f64::from(i32::MIN) && *v <= f64::from(i32::MAX) && f64::from(*v as i32) == *v {
        s.serialize_i32(*v as i32)
    } else {
        s.serialize_f64(*v)
    }
}

impl Validate for AlarmFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        c.range(
            "TS",
            Some(self.ts),
            0,
            super::data::LAST_PLAUSIBLE_TS,
            " (Unix seconds)",
        );
        if !self.alarm.value.is_finite() {
            c.fail("alarm.value", "not a finite number");
        }
        c.errors
    }
}
