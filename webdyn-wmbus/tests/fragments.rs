//! AFL fragments: reported by the decoder, reassembled into a caller buffer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_wmbus::afl::{self, Fragment, Progress, Reassembly};
use webdyn_wmbus::app::{Decimal, Quantity, Records, Value};
use webdyn_wmbus::frame::{self, Format, FormatHint};
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::telegram::decode;
use webdyn_wmbus::{ErrorKind, tpl};

/// A format-A frame: DLL, an AFL with only its FCL (fragment `id`, more
/// fragments when `more`), then `payload`.
fn fragment_frame(id: u8, more: bool, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x07];
    f.extend_from_slice(&[afl::CI, 2, id, if more { 0x40 } else { 0 }]);
    f.extend_from_slice(payload);
    f[0] = (f.len() - 1) as u8;
    let mut air = vec![0u8; 300];
    let n = frame::add_crcs(&f, Format::A, &mut air).unwrap();
    air.truncate(n);
    air
}

#[test]
fn fragments_are_reported_and_reassembled() {
    // The message: TPL without header (CI 0x78), then two records:
    // 04 13: 32-bit volume in litres = 12.345 m3; 02 FD 17: error flags 0.
    let message = [
        0x78, 0x04, 0x13, 0x39, 0x30, 0x00, 0x00, 0x02, 0xFD, 0x17, 0x00, 0x00,
    ];
    let parts: [(u8, bool, &[u8]); 3] = [
        (1, true, &message[..4]),
        (2, true, &message[4..9]),
        (3, false, &message[9..]),
    ];
    let mut store = [0u8; 64];
    let mut r = Reassembly::new(&mut store);
    for (i, &(id, more, payload)) in parts.iter().enumerate() {
        let air = fragment_frame(id, more, payload);
        let mut buf = [0u8; 300];
        let t = decode(&air, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
        // Reported clearly: no TPL, the AFL's fragment id and more bit.
        assert!(t.tpl.is_none());
        assert_eq!(t.ci, afl::CI);
        let f = t.fragment().unwrap();
        assert_eq!(f, Fragment { id, more, payload });
        let progress = r.push(&f).unwrap();
        if i < 2 {
            assert!(
                matches!(progress, Progress::NeedMore { .. }),
                "{progress:?}"
            );
            assert_eq!(r.message(), None);
        } else {
            assert_eq!(
                progress,
                Progress::Complete {
                    fragments: 3,
                    len: message.len()
                }
            );
        }
    }
    let m = r.message().unwrap();
    assert_eq!(m, &message[..]);
    // The reassembled message reads like any TPL + records.
    let p = tpl::Packet::new_checked(m).unwrap();
    let recs: Vec<_> = Records::new(p.payload()).map(Result::unwrap).collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].quantity(), Quantity::Volume);
    assert_eq!(recs[0].value, Value::Number(Decimal::new(12345, -3)));
    assert_eq!(recs[1].quantity(), Quantity::ErrorFlags);
}

#[test]
fn an_unfragmented_afl_is_not_a_fragment_and_gaps_are_errors() {
    // Fragment id 0 and last: an ordinary AFL, decoded through to the TPL.
    let air = fragment_frame(0, false, &[0x78, 0x04, 0x13, 0x39, 0x30, 0x00, 0x00]);
    let mut buf = [0u8; 300];
    let t = decode(&air, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
    assert!(t.tpl.is_some());
    assert_eq!(t.fragment(), None);
    // A missing fragment is named.
    let mut store = [0u8; 64];
    let mut r = Reassembly::new(&mut store);
    let first = fragment_frame(1, true, &[0x78, 0x04]);
    let third = fragment_frame(3, false, &[0x13]);
    for (air, expect_ok) in [(&first, true), (&third, false)] {
        let t = decode(air, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
        let res = r.push(&t.fragment().unwrap());
        if expect_ok {
            res.unwrap();
        } else {
            let e = res.unwrap_err();
            assert_eq!(
                e.kind,
                ErrorKind::FragmentOutOfOrder {
                    expected: 2,
                    found: 3
                }
            );
            assert_eq!(e.offset, 2);
        }
    }
    assert_eq!(r.expected_id(), Some(2));
}
