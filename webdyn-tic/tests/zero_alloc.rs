#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The decode loop allocates nothing: streaming decoder, frame view, typed
//! layer and fixed meter state, under a counting global allocator.

use webdyn_testkit::CountingAllocator;
use webdyn_tic::{Decoder, Event, Field, Frame, MeterState, ModeSelect};

#[global_allocator]
static A: CountingAllocator = CountingAllocator::new();

const STANDARD: &[u8] = b"\x02\nADSC\t041662343035\t2\r\nVTIC\t02\tJ\r\nDATE\tE240601120000\t\t.\r\nEAST\t000012345\t^\r\nSINSTS\t00450\tO\r\nSMAXSN\tE240601081503\t00980\t9\r\nSTGE\t003A0001\t:\r\nPJOURF+1\t00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE\t.\r\x03";
const HISTORIC: &[u8] = b"\x02\nADCO 030422000048 .\r\nPTEC HP..  \r\nIINST 006 \\\r\nIMAX 090 H\r\x04junk\x02\nIINST 005 \\\r\x03";

#[test]
fn decoding_allocates_nothing() {
    let mut stream = Vec::new();
    for _ in 0..50 {
        stream.extend_from_slice(STANDARD);
        stream.extend_from_slice(HISTORIC);
    }
    let mut dec: Decoder = Decoder::new();
    let mut state: MeterState = MeterState::new();
    let ((groups, typed, frames), allocs) = A.count(|| {
        let (mut groups, mut typed, mut frames) = (0usize, 0usize, 0usize);
        // Odd chunk sizes, so groups straddle chunks and go through the
        // group buffer too.
        for chunk in stream.chunks(37) {
            dec.feed(chunk, |ev| match ev {
                Event::Group { group, .. } => {
                    groups += 1;
                    typed += usize::from(Field::decode(&group).is_ok());
                    state.update(&group);
                }
                Event::FrameEnd(_) => frames += 1,
                _ => {}
            });
        }
        for g in Frame::new(STANDARD).groups(ModeSelect::Auto) {
            groups += usize::from(g.is_ok());
        }
        (groups, typed, frames)
    });
    assert_eq!(allocs, 0);
    assert_eq!(frames, 150);
    assert_eq!(groups, 50 * (8 + 4) + 8);
    assert_eq!(typed, 50 * (8 + 4));
    assert_eq!(dec.stats().checksum, 50);
}
