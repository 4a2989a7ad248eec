//! Fuzz target of W M-Bus compact frames (webdyn-wmbus `app::compact`).

use crate::Target;
use webdyn_wmbus::app::compact::encode_compact;
use webdyn_wmbus::app::{FormatCache, Records};

/// The compact-frame targets.
pub const TARGETS: &[Target] = &[("wmbus_compact", compact)];

/// The first byte `n` splits the rest: `n` bytes of a full payload, then a
/// compact payload. A full payload that is learned must come back, record
/// for record, from its own compact form; the compact payload is decoded
/// with whatever was learned and must never panic (only fail typed).
pub fn compact(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (full, compact) = rest.split_at(usize::from(n).min(rest.len()));
    let mut cache = FormatCache::<2>::new();
    if cache.learn(full).is_ok() {
        let mut c = [0u8; 300];
        let len = encode_compact(full, &mut c).expect("compact form fits");
        let mut buf = [0u8; 600];
        let got: Vec<&[u8]> = cache
            .decode_compact(&c[..len], &mut buf)
            .expect("own compact form decodes")
            .map(|r| r.expect("rebuilt record decodes").raw())
            .collect();
        let want: Vec<&[u8]> = Records::new(full)
            .filter_map(Result::ok)
            .map(|r| r.raw())
            .collect();
        assert_eq!(got, want, "compact round trip");
    }
    let mut buf = [0u8; 2048];
    if let Ok(records) = cache.decode_compact(compact, &mut buf) {
        for r in records {
            let Ok(r) = r else { break };
            let _ = r.value.to_string();
        }
    }
}
