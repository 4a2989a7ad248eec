//! The replay guard and the sync-word search allocate nothing: a receive
//! loop over a raw T1 capture, with replay checks, runs under a counting
//! global allocator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_testkit::CountingAllocator;
use webdyn_wmbus::frame::{self, Format, FormatHint};
use webdyn_wmbus::phy::{self, Polarity};
use webdyn_wmbus::replay::{Counter, Meter, ReplayError, ReplayGuard};
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::syncword::{Mode, Scan, scan};
use webdyn_wmbus::telegram::decode;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator::new();

#[test]
fn sync_search_and_replay_guard_allocate_nothing() {
    // A plain telegram (ACC 0x2A) in format A, behind a T1 preamble
    // (0x55 x 5 = 40 chips, the last 6 in 0x54) and sync word, in a fixed
    // buffer; prepared before counting.
    let plain = [
        0x0E, 0x44, 0x93, 0x15, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, 0x7A, 0x2A, 0x00, 0x00, 0x00,
    ];
    let mut air = [0u8; 32];
    let n = frame::add_crcs(&plain, Format::A, &mut air).unwrap();
    let mut chips = [0u8; 64];
    chips[..5].fill(0x55);
    chips[5..7].copy_from_slice(&[0x54, 0x3D]);
    let m = phy::encode_3of6(&air[..n], &mut chips[7..]).unwrap();
    let chips = &chips[..7 + m];

    let (outcome, allocations) = ALLOC.count(|| {
        let mut guard = ReplayGuard::<4>::new();
        let mut results = [false; 2];
        for r in &mut results {
            let Scan::Found(s) = scan(chips, 0, 38) else {
                return None;
            };
            let mut frame_buf = [0u8; 64];
            let mut buf = [0u8; 64];
            let len = s
                .decode_frame(chips, Polarity::default(), &mut frame_buf)
                .ok()?;
            let t = decode(&frame_buf[..len], FormatHint::Auto, &NoKeys, &mut buf).ok()?;
            *r = guard.accept(Meter::of(&t), Counter::of(&t)?).is_ok();
            // The error path formats nothing and allocates nothing either.
            if let Err(ReplayError::StaleAccessNumber { last, .. }) =
                guard.check(Meter::of(&t), Counter::AccessNumber(0x2A))
            {
                assert_eq!(last, 0x2A);
            }
            assert_eq!(s.mode, Mode::T);
        }
        Some(results)
    });
    // The same telegram twice: accepted, then rejected as a replay.
    assert_eq!(outcome, Some([true, false]));
    assert_eq!(allocations, 0);
}
