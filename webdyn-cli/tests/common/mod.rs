//! Shared by the CLI integration tests: run the built `webdyn` binary.

// Each test binary compiles this module on its own and uses only some
// of it.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `webdyn ARGS` with `stdin` piped in; returns the process output.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webdyn"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading (usage errors): a broken pipe here
    // is expected, not a test failure.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

/// Runs `webdyn ARGS` with `stdin` piped in; returns the exit status,
/// stdout and stderr.
pub fn webdyn(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let out = run(args, stdin);
    (
        out.status.code().unwrap(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `webdyn ARGS` with `stdin`, requires success and parses stdout as
/// one JSON document.
pub fn ok_json(args: &[&str], stdin: &[u8]) -> serde_json::Value {
    let (code, out, err) = webdyn(args, stdin);
    assert_eq!(code, 0, "webdyn {args:?}: {err}");
    serde_json::from_slice(&out).unwrap()
}
