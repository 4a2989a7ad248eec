//! Runnable examples of the webdyn-rs crates. Run one with
//! `cargo run -p webdyn-examples --example NAME`; `ls examples/examples`
//! lists them.
