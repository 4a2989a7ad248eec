//! With the "wmbus" feature, frames of a data file are decoded (and
//! decrypted) by webdyn-wmbus.
#![cfg(feature = "wmbus")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use webdyn_files::easy::data::{DataFile, Frame};
use webdyn_files::easy::value::Binary;
use webdyn_files::easy::{self, CrcMode, DataView};
use webdyn_wmbus::security::{Key, NoKeys};
use webdyn_wmbus::telegram::SecurityState;

/// The Amber AMB8426-M manual's security-mode-5 example telegram, CRCs
/// removed and L = length - 1, exactly as the hub stores it in `F`; key
/// 00 01 .. 0F; the decrypted data starts 2F 2F.
const AMBER_MODE5: [u8; 31] = [
    0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05, 0x1E,
    0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F, 0xE6, 0xC3, 0xF7,
];

#[test]
fn frames_decode_with_a_key_provider() {
    let d = DataFile::new(
        "WE_1234",
        "schedule",
        1_560_068_897,
        vec![Frame {
            t: 1_560_066_602,
            r: 199,
            f: Binary(AMBER_MODE5.to_vec()),
        }],
    );
    let file = easy::encode(&d, None).unwrap();
    let view = DataView::parse(&file, CrcMode::Always).unwrap();
    let frame = view.frames().next().unwrap().unwrap();

    let mut buf = [0u8; 64];
    let keys = [(0x1234_5678u32, Key::new(core::array::from_fn(|i| i as u8)))];
    let t = frame.decode(&keys[..], &mut buf).unwrap();
    assert_eq!(t.security.state, SecurityState::Decrypted);
    assert_eq!(t.security.mode, 5);
    assert_eq!(&t.apl()[..2], &[0x2F, 0x2F]);
    let (m, a) = t.meter();
    assert_eq!(m, 0x05A2);
    assert_eq!(a.id, 0x1234_5678);

    // Without the key the telegram is still read, marked as encrypted.
    let mut buf = [0u8; 64];
    let t = frame.decode(&NoKeys, &mut buf).unwrap();
    assert_eq!(t.security.state, SecurityState::NoKey);
}
