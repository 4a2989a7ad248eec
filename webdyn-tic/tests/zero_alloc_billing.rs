#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The billing index, the frame-kind detector and `Config::repair_lf`
//! allocate nothing (a binary of its own: the counting allocator is
//! global, so no other test may run beside it).

use webdyn_testkit::CountingAllocator;
use webdyn_tic::{Decoder, Event, Frame, MeterState, ModeSelect};

#[global_allocator]
static A: CountingAllocator = CountingAllocator::new();

/// The short standard frame of tic.md §3.1 (no NTARF in it).
const STANDARD: &[u8] = b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\nDATE\tE240601120000\t\t.\r\nEAST\t000012345\t^\r\nSINSTS\t00450\tO\r\nSMAXSN\tE240601081503\t00980\t9\r\nSTGE\t003A0001\t:\r\x03";

#[test]
fn billing_index_kind_and_lf_repair_allocate_nothing() {
    use webdyn_tic::{Config, FrameKind, FrameKindDetector};
    // tic.md §3.1 historic HC groups, the LF before PTEC received as 0x0F,
    // then an ADIR short frame.
    const NOISY_HC: &[u8] = b"\x02\nADCO 030422000048 .\r\nOPTARIF HC.. <\r\nHCHC 036395657 2\r\nHCHP 039661265 9\r\x0fPTEC HC.. S\r\x03\x02\nADIR1 045 *\r\nADCO 030422000048 .\r\nIINST1 045 Q\r\x03";
    let mut dec: Decoder = Decoder::with_config(Config {
        repair_lf: true,
        ..Config::default()
    });
    let mut state: MeterState = MeterState::new();
    let mut det = FrameKindDetector::new();
    let ((kinds, wh, std_label), allocs) = A.count(|| {
        let mut kinds = [FrameKind::Empty; 2];
        let mut n = 0;
        for chunk in NOISY_HC.chunks(11) {
            dec.feed(chunk, |ev| match ev {
                Event::FrameStart { .. } => det.reset(),
                Event::Group { group, .. } => {
                    state.update(&group);
                    det.push(&group);
                }
                Event::FrameEnd(_) => {
                    if let Some(k) = kinds.get_mut(n) {
                        *k = det.kind();
                    }
                    n += 1;
                }
                _ => {}
            });
        }
        let wh = state.billing_index().map(|i| i.wh);
        let std_label = Frame::new(STANDARD)
            .billing_index(ModeSelect::Auto)
            .map(|i| i.label);
        (kinds, wh, std_label)
    });
    assert_eq!(allocs, 0);
    assert_eq!(kinds, [FrameKind::Historic, FrameKind::ShortAlert]);
    assert_eq!(wh, Some(36_395_657));
    // The short standard frame has no NTARF: no supplier index.
    assert_eq!(std_label, None);
    assert_eq!(dec.stats().lf_repaired, 1);
}
