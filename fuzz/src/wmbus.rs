//! Fuzz targets of the webdyn-wmbus link, transport and security layers.

use crate::Target;
use webdyn_wmbus::frame::{self, Format, FormatHint};
use webdyn_wmbus::security::Key;
use webdyn_wmbus::telegram::decode;
use webdyn_wmbus::{afl, dll, ell, phy, tpl, wired};

/// The link/transport/security targets.
pub const TARGETS: &[Target] = &[
    ("wmbus_frame", frame_formats),
    ("wmbus_layers", layers),
    ("wmbus_wired", wired_frames),
    ("wmbus_decode", full_decode),
    ("wmbus_phy", line_codes),
];

const HINTS: [FormatHint; 4] = [
    FormatHint::Auto,
    FormatHint::Only(Format::A),
    FormatHint::Only(Format::B),
    FormatHint::Only(Format::None),
];

/// Strip CRCs under every hint; what strips as A or B must re-encode to the input.
pub fn frame_formats(data: &[u8]) {
    let mut out = [0u8; 512];
    let mut again = [0u8; 600];
    for hint in HINTS {
        if let Ok(s) = frame::strip(data, hint, &mut out) {
            assert!(s.len <= data.len());
            if matches!(s.format, Format::A | Format::B) {
                let n = frame::add_crcs(&out[..s.len], s.format, &mut again).expect("re-encode");
                assert_eq!(&again[..n], data);
            }
        }
    }
}

/// DLL, ELL, AFL and TPL views at every offset; parsed fields re-emit to the same bytes.
pub fn layers(data: &[u8]) {
    if let Ok(p) = dll::Packet::new_checked(data) {
        let r = dll::Repr::parse(&p);
        let mut out = [0u8; 10];
        if r.emit(usize::from(p.l()).saturating_sub(9), &mut out)
            .is_ok()
        {
            assert_eq!(&out[1..], &data[1..10]);
        }
    }
    for start in 0..data.len().min(32) {
        let rest = &data[start..];
        if let Ok(p) = ell::Packet::new_checked(rest) {
            let r = p.repr();
            let mut out = [0u8; 32];
            let n = r.emit(&mut out).expect("ELL emit");
            assert_eq!(&out[..n], &rest[..n]);
        }
        if let Ok((r, n)) = afl::Repr::parse(rest) {
            let mut out = [0u8; 64];
            let m = r.emit(&mut out).expect("AFL emit");
            assert_eq!(&out[..m], &rest[..n]);
        }
        if let Ok(p) = tpl::Packet::new_checked(rest) {
            let r = tpl::Repr::parse(&p).expect("TPL parse after check");
            let mut out = [0u8; 16];
            let n = r.emit(&mut out).expect("TPL emit");
            assert_eq!(&out[..n], &rest[..n]);
        }
    }
}

/// Wired frames: a checked long frame re-emits to the same bytes.
pub fn wired_frames(data: &[u8]) {
    if let Ok((wired::Frame::Long(f), n)) = wired::Frame::parse(data) {
        let r = wired::LongRepr::parse(&f);
        let mut out = [0u8; 300];
        let m = r.emit(&mut out).expect("wired emit");
        assert_eq!(&out[..m], &data[..n]);
    }
}

/// The whole receive path with a key table, under every hint.
pub fn full_decode(data: &[u8]) {
    let keys = [
        (0x1234_5678u32, Key::new([0x42; 16])),
        (0x4305_4304, Key::new([7; 16])),
    ];
    let mut buf = [0u8; 512];
    for hint in HINTS {
        if let Ok(t) = decode(data, hint, &keys[..], &mut buf) {
            assert!(t.apl_offset <= t.frame.len() || t.apl().is_empty());
            if t.is_readable() {
                for r in webdyn_wmbus::app::Records::new(t.apl()) {
                    if r.is_err() {
                        break;
                    }
                }
            }
        }
    }
}

/// 3-out-of-6 and Manchester decoders; decoded bytes re-encode to valid chips.
pub fn line_codes(data: &[u8]) {
    let mut out = [0u8; 1024];
    let mut chips = [0u8; 2048];
    if let Ok(n) = phy::decode_3of6(data, &mut out) {
        let m = phy::encode_3of6(&out[..n], &mut chips).expect("3of6 encode");
        let mut back = [0u8; 1024];
        assert_eq!(phy::decode_3of6(&chips[..m], &mut back), Ok(n));
        assert_eq!(&back[..n], &out[..n]);
    }
    for p in [phy::Polarity::OneIsHighLow, phy::Polarity::OneIsLowHigh] {
        if let Ok(n) = phy::decode_manchester(data, p, &mut out) {
            let m = phy::encode_manchester(&out[..n], p, &mut chips).expect("manchester encode");
            assert_eq!(&chips[..m], &data[..m]);
        }
    }
}
