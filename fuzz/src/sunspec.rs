//! Fuzz targets of webdyn-sunspec.

use crate::Target;

/// The SunSpec targets.
pub const TARGETS: &[Target] = &[];
