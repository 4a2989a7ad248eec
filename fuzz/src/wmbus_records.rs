//! Fuzz target of the M-Bus application layer (webdyn-wmbus `app`).

use crate::Target;
use webdyn_wmbus::app::{self, Records};

/// The application-layer targets.
pub const TARGETS: &[Target] = &[("wmbus_records", records)];

/// Any bytes as an application payload: walk every record, render its
/// value, and check that a record which re-encodes is a fixed point
/// (decode, encode, decode, encode gives the same bytes). The first 16
/// bytes also go through the fixed-structure parser.
pub fn records(data: &[u8]) {
    let mut end = 0;
    for r in Records::new(data) {
        let Ok(r) = r else { break };
        assert!(r.offset() >= end, "records overlap");
        end = r.offset() + r.raw().len();
        assert!(end <= data.len());
        let _ = r.value.to_string();
        let _ = (r.quantity().name(), r.unit(), r.vif.extensions().count());
        let mut buf = [0u8; 600];
        if let Ok(n) = r.repr().emit(&mut buf) {
            let again = Records::new(&buf[..n]).next();
            let Some(Ok(again)) = again else {
                panic!("re-encoded record does not decode: {:02X?}", &buf[..n]);
            };
            let mut buf2 = [0u8; 600];
            let n2 = again.repr().emit(&mut buf2).expect("second encode");
            assert_eq!(&buf[..n], &buf2[..n2], "encode is not a fixed point");
        }
    }
    if let Ok(f) = app::fixed::parse(data) {
        let mut out = [0u8; 16];
        if app::fixed::emit(&f, &mut out).is_ok() {
            assert_eq!(app::fixed::parse(&out).ok(), Some(f));
        }
    }
}
