//! Fuzz target bodies, shared by the libFuzzer binaries in `fuzz_targets/`
//! and by the stable replay test in `tests/replay.rs`.
//!
//! Each format module exposes `TARGETS`: the name of a fuzz target (its
//! `fuzz_targets/<name>.rs` file and `corpus/<name>/` directory) and the
//! function that runs one input. A target must never panic on any input.

/// A fuzz target: its name and the function run on each input.
pub type Target = (&'static str, fn(&[u8]));

pub mod bson;
pub mod bson_vector;
pub mod defs;
pub mod easy;
pub mod sunspec;
pub mod tic;
pub mod wmbus;
pub mod wmbus_compact;
pub mod wmbus_radio;
pub mod wmbus_records;

/// Every registered target, across all formats.
pub fn targets() -> impl Iterator<Item = &'static Target> {
    sunspec::TARGETS
        .iter()
        .chain(bson::TARGETS.iter())
        .chain(bson_vector::TARGETS.iter())
        .chain(defs::TARGETS.iter())
        .chain(easy::TARGETS.iter())
        .chain(tic::TARGETS.iter())
        .chain(wmbus_records::TARGETS.iter())
        .chain(wmbus::TARGETS.iter())
        .chain(wmbus_radio::TARGETS.iter())
        .chain(wmbus_compact::TARGETS.iter())
}
