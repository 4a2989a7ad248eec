//! The format cache is heap-free: over the libmbus corpus payloads,
//! learning each full payload, writing its compact form and decoding that
//! back runs under a counting global allocator without one allocation,
//! and gives back the full payload's records byte for byte (59 of the
//! 74 payloads; the other 15 have formats longer than 64 bytes).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_testkit::CountingAllocator;
use webdyn_wmbus::app::compact::encode_compact;
use webdyn_wmbus::app::{CompactError, FormatCache, Records};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator::new();

#[test]
fn learn_encode_decode_allocate_nothing() {
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
    let ((learned, too_long, round_trips), allocations) = ALLOC.count(|| {
        let mut cache = FormatCache::<8>::new();
        let (mut learned, mut too_long, mut ok) = (0usize, 0usize, 0usize);
        for p in &payloads {
            match cache.learn(p) {
                Ok(_) => learned += 1,
                Err(CompactError::FormatTooLong { .. }) => {
                    too_long += 1;
                    continue;
                }
                Err(_) => continue,
            }
            let mut compact = [0u8; 300];
            let n = encode_compact(p, &mut compact).unwrap();
            let mut full = [0u8; 400];
            let rebuilt = cache.decode_compact(&compact[..n], &mut full).unwrap();
            if rebuilt
                .map(|r| r.unwrap().raw())
                .eq(Records::new(p).map(|r| r.unwrap().raw()))
            {
                ok += 1;
            }
        }
        (learned, too_long, ok)
    });
    println!(
        "libmbus payloads: {}, {learned} learned, {too_long} with a format over 64 bytes, {round_trips} round trips",
        payloads.len()
    );
    assert_eq!(allocations, 0, "{allocations} allocations");
    assert_eq!(round_trips, learned);
    // The corpus is pinned: 74 long-header payloads, 59 with a format of
    // at most 64 bytes; the 15 others have longer formats.
    assert_eq!((payloads.len(), learned, too_long), (74, 59, 15));
}
