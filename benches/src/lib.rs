//! Benchmarks of the webdyn-rs crates; the bench targets live in
//! `benches/benches/`, one per format, and BENCHMARKS.md reports them.
