//! The record iterator allocates nothing: every libmbus corpus payload is
//! decoded, values rendered into a stack buffer, and records re-encoded,
//! under a counting global allocator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use core::fmt::Write as _;

use webdyn_testkit::CountingAllocator;
use webdyn_wmbus::app::Records;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator::new();

/// A fixed-size `fmt::Write` sink on the stack.
struct Stack {
    buf: [u8; 256],
    len: usize,
}

impl core::fmt::Write for Stack {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(core::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[test]
fn decoding_allocates_nothing() {
    let Some(dir) = webdyn_testkit::vectors("mbus/libmbus/test/test-frames") else {
        return;
    };
    let payloads: Vec<Vec<u8>> = webdyn_testkit::files_with_suffix(&dir, ".hex")
        .iter()
        .filter_map(|p| webdyn_testkit::hex(&std::fs::read_to_string(p).unwrap()))
        // 68 L L 68 C A CI + 12-byte long header ... CS 16
        .filter(|b| b.len() > 21 && b[6] == 0x72)
        .map(|b| b[19..b.len() - 2].to_vec())
        .collect();
    assert!(payloads.len() > 50);
    let (records, allocations) = ALLOC.count(|| {
        let mut n = 0usize;
        for p in &payloads {
            for r in Records::new(p).flatten() {
                let mut s = Stack {
                    buf: [0; 256],
                    len: 0,
                };
                let _ = write!(s, "{} {}", r.value, r.unit());
                let mut out = [0u8; 300];
                let _ = r.repr().emit(&mut out);
                n += 1;
            }
        }
        n
    });
    assert!(records > 900, "{records} records");
    assert_eq!(
        allocations, 0,
        "{allocations} allocations while decoding {records} records"
    );
}
