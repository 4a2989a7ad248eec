//! Validation of typed documents against the ranges of the manual: every
//! problem names the field it is about.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// One value outside what the hub accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path of the field, e.g. `config.radio.duration[1]`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub problem: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl core::error::Error for ValidationError {}

/// A typed hub document that can be checked against the manual's rules.
pub trait Validate {
    /// Every problem found (empty when the document is valid).
    fn problems(&self) -> Vec<ValidationError>;

    /// The first problem, if any.
    fn validate(&self) -> Result<(), ValidationError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Collects problems while walking a document.
#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) errors: Vec<ValidationError>,
}

impl Checker {
    pub(crate) fn fail(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.errors.push(ValidationError {
            field: field.into(),
            problem: problem.into(),
        });
    }

    pub(crate) fn range(&mut self, field: &str, v: Option<i64>, lo: i64, hi: i64, unit: &str) {
        if let Some(v) = v
            && (v < lo || v > hi)
        {
            self.fail(field, alloc::format!("{v} is outside {lo}..={hi}{unit}"));
        }
    }

    /// A value where `0` (or null) disables and anything else is ranged.
    pub(crate) fn range_or_zero(
        &mut self,
        field: &str,
        v: Option<i64>,
        lo: i64,
        hi: i64,
        unit: &str,
    ) {
        if v != Some(0) {
            self.range(field, v, lo, hi, unit);
        }
    }

    pub(crate) fn max_len(&mut self, field: &str, v: Option<&str>, max: usize) {
        if let Some(v) = v {
            let n = v.chars().count();
            if n > max {
                self.fail(
                    field,
                    alloc::format!("{n} characters, at most {max} allowed"),
                );
            }
        }
    }
}
