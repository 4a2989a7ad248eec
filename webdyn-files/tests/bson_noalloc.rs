//! The `no_std` core allocates nothing: opening, validating, walking,
//! looking up, splitting a stream and writing into a caller buffer make zero
//! heap allocations (counted with the testkit's allocator).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_files::bson::{RawBson, RawDocument, Writer, stream};
use webdyn_testkit::CountingAllocator;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator::new();

#[test]
fn core_paths_do_not_allocate() {
    let mut buf = [0u8; 4096];
    let ((), n) = ALLOC.count(|| {
        let mut w = Writer::new(&mut buf);
        w.start_document().unwrap();
        w.append_str("hub", "WEBDYN").unwrap();
        w.start_array("frames").unwrap();
        for i in 0..20 {
            w.start_subdocument("").unwrap();
            w.append_i32("T", 1_700_000_000 + i).unwrap();
            w.append_i32("R", -70).unwrap();
            w.append_binary("F", 0, &[0x1E, 0x44, 0x2D, 0x2C]).unwrap();
            w.end_document().unwrap();
        }
        w.end_array().unwrap();
        w.end_document().unwrap();
        let bytes = w.into_bytes().unwrap();

        let doc = RawDocument::parse(bytes).unwrap();
        assert_eq!(doc.get_str("hub").unwrap(), Some("WEBDYN"));
        let frames = doc.get_array("frames").unwrap().unwrap();
        let mut total = 0;
        for f in frames.iter() {
            let RawBson::Document(f) = f.unwrap() else {
                panic!("frame is a document")
            };
            total += f.get_binary("F").unwrap().unwrap().bytes.len();
            assert_eq!(f.get_i32("R").unwrap(), Some(-70));
        }
        assert_eq!(total, 80);
        assert_eq!(stream::documents(bytes).count(), 1);
        let e = "1.5E+3".parse::<webdyn_files::bson::Decimal128>().unwrap();
        assert_eq!(e.bytes()[0], 15);
    });
    assert_eq!(n, 0, "the core allocated {n} times");
}
