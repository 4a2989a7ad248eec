//! The no_std paths allocate nothing: decrypting a `.aes` data file into a
//! caller buffer and walking its frames.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use webdyn_files::easy::data::{DataFile, Frame};
use webdyn_files::easy::value::Binary;
use webdyn_files::easy::{self, CrcMode, DataView, FileKey, key};
use webdyn_testkit::CountingAllocator;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator::new();

#[test]
fn decrypt_and_frame_walk_allocate_nothing() {
    let frames = (0..50)
        .map(|i| Frame {
            t: 1_600_000_000 + i,
            r: 180,
            f: Binary(vec![
                0x0E, 0x44, 0x2D, 0x2C, 1, 2, 3, 4, 1, 7, 0x7A, i as u8, 0, 0, 0,
            ]),
        })
        .collect();
    let d = DataFile::new("WE_1", "schedule", 1_600_000_100, frames);
    let k = FileKey::new([7; 16]);
    let sealed = easy::encode(&d, Some(&k)).unwrap();
    let mut buf = vec![0u8; sealed.len()];
    let (sum, allocations) = ALLOC.count(|| {
        let plain = key::decrypt_into(&k, &sealed, &mut buf).unwrap();
        let view = DataView::parse(plain, CrcMode::Always).unwrap();
        view.frames().map(|f| f.unwrap().f.len()).sum::<usize>()
    });
    assert_eq!(sum, 50 * 15);
    assert_eq!(allocations, 0);
}
