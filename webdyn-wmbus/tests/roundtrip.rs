//! decode(encode(x)) == x in every security mode and frame format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::{Key, NoKeys};
use webdyn_wmbus::telegram::{Link, SecurityState, decode};
use webdyn_wmbus::{ErrorKind, afl, dll, ell, tpl};

#[derive(Debug, Clone)]
struct Case {
    dll: dll::Repr,
    ell: Option<ell::Repr>,
    afl: Option<afl::Repr>,
    tpl: tpl::Repr,
    apl: Vec<u8>,
    format: Format,
    key: [u8; 16],
}

fn address() -> impl Strategy<Value = dll::Address> {
    (any::<u32>(), any::<u8>(), any::<u8>()).prop_map(|(id, version, device_type)| dll::Address {
        id,
        version,
        device_type,
    })
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::A), Just(Format::B), Just(Format::None)]
}

prop_compose! {
    fn case()(
        control in any::<u8>(),
        manufacturer in any::<u16>(),
        address in address(),
        ell_kind in 0u8..5,
        cc in any::<u8>(),
        ell_acc in any::<u8>(),
        sn in any::<u32>(),
        second in (any::<u16>(), address()),
        mode_pick in 0u8..3,
        long in any::<bool>(),
        long_hdr in (any::<u32>(), any::<u16>(), any::<u8>(), any::<u8>()),
        acc in any::<u8>(),
        status in any::<u8>(),
        flags in any::<u16>(),
        blocks in 1u8..5,
        partial in 0u8..2,
        tail in proptest::collection::vec(any::<u8>(), 0..12),
        body in proptest::collection::vec(any::<u8>(), 64),
        mcr in any::<u32>(),
        mac_at in prop_oneof![Just(3u8), Just(4), Just(5), Just(6), Just(7)],
        ext in any::<u8>(),
        format in format(),
        key in any::<[u8; 16]>(),
    ) -> Case {
        let mode = [0u8, 5, 7][usize::from(mode_pick)];
        // ELL: none, I, II (with session, modes 0/1), III, IV.
        let session = |m: u32| Some(ell::SessionNumber((sn & 0x1FFF_FFFF) | (m << 29)));
        let ell = match ell_kind {
            0 => None,
            1 => Some(ell::Repr { cc, access_number: ell_acc, second_address: None, session: None }),
            2 => Some(ell::Repr { cc, access_number: ell_acc, second_address: None, session: session(sn >> 31) }),
            3 => Some(ell::Repr { cc, access_number: ell_acc, second_address: Some(second), session: None }),
            _ => Some(ell::Repr { cc, access_number: ell_acc, second_address: Some(second), session: session(sn >> 31) }),
        };
        let config = if mode == 0 {
            flags & 0xE0FF
        } else {
            tpl::Config::encrypted(mode, blocks, flags).0
        };
        let short = tpl::ShortHeader { access_number: acc, status, config };
        let (ci, header) = if mode == 0 && !long && partial == 0 {
            (0x78, tpl::Header::None)
        } else if long {
            (0x72, tpl::Header::Long(tpl::LongHeader {
                id: long_hdr.0, manufacturer: long_hdr.1, version: long_hdr.2, device_type: long_hdr.3,
                access_number: acc, status, config,
            }))
        } else {
            (0x7A, tpl::Header::Short(short))
        };
        let mut apl = vec![0x2F, 0x2F];
        let enc = if mode == 0 { 30 } else { usize::from(blocks) * 16 };
        apl.extend_from_slice(&body[..enc - 2]);
        if partial == 1 || mode == 0 {
            apl.extend_from_slice(&tail);
        }
        let afl = (mode == 7).then(|| afl::Repr {
            fcl: 0,
            mcl: Some(0x20 | mac_at),
            ki: None,
            mcr: Some(mcr),
            ml: None,
            mac: Some(afl::Mac { bytes: [0; 16], len: afl::mac_len(mac_at).unwrap() as u8 }),
        }).map(|a| afl::Repr { fcl: a.fcl_with_flags(), ..a });
        Case {
            dll: dll::Repr { control, manufacturer, address },
            ell,
            afl,
            tpl: tpl::Repr { ci, header, config_ext: (mode == 7).then_some(ext) },
            apl,
            format,
            key,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decode_encode_is_identity(c in case()) {
        let key = Key::new(c.key);
        let repr = TelegramRepr { dll: c.dll, ell: c.ell, afl: c.afl, tpl: c.tpl, apl: &c.apl };
        let mut scratch = [0u8; 256];
        let mut air = [0u8; 300];
        let n = encode(&repr, c.format, Some(&key), &mut scratch, &mut air).unwrap();
        let hint = if c.format == Format::None { FormatHint::Only(Format::None) } else { FormatHint::Auto };
        let mut buf = [0u8; 300];
        let t = decode(&air[..n], hint, &key, &mut buf).unwrap();
        let Link::Wireless { format, dll, .. } = t.link else { panic!("wired") };
        prop_assert_eq!(format, c.format);
        prop_assert_eq!(dll, c.dll);
        prop_assert_eq!(t.ell, c.ell);
        prop_assert_eq!(t.tpl, Some(c.tpl));
        prop_assert_eq!(t.apl(), &c.apl[..]);
        let mode = c.tpl.config().security_mode();
        if c.tpl.header.short().is_some() && mode != 0 {
            prop_assert_eq!(t.security.state, SecurityState::Decrypted);
        }
        if mode == 7 {
            prop_assert!(t.security.mac_verified);
            let (mut got, want) = (t.afl.unwrap(), c.afl.unwrap());
            got.mac = want.mac;
            prop_assert_eq!(got, want);
        }
        let ell_mode = c.ell.and_then(|e| e.session).map(|s| s.security_mode());
        if ell_mode == Some(1) {
            prop_assert_eq!(t.security.ell_state, SecurityState::Decrypted);
        }
        // Without the key nothing is mis-decoded.
        let mut buf2 = [0u8; 300];
        let t2 = decode(&air[..n], hint, &NoKeys, &mut buf2).unwrap();
        if ell_mode == Some(1) {
            prop_assert_eq!(t2.security.ell_state, SecurityState::NoKey);
        } else if mode != 0 && c.tpl.header.short().is_some() {
            prop_assert!(matches!(t2.security.state, SecurityState::NoKey | SecurityState::AlreadyDecrypted));
        }
        // A wrong key is an error whenever something was encrypted.
        let mut wrong = c.key;
        wrong[0] ^= 1;
        let e = decode(&air[..n], hint, &Key::new(wrong), &mut buf2);
        if ell_mode == Some(1) || mode != 0 {
            let e = e.unwrap_err();
            prop_assert!(matches!(e.kind, ErrorKind::WrongKey | ErrorKind::MacMismatch | ErrorKind::EllPayloadCrc { .. }), "{:?}", e);
        }
    }

    #[test]
    fn truncation_never_panics_and_is_located(c in case(), cut in 0usize..300) {
        let key = Key::new(c.key);
        let repr = TelegramRepr { dll: c.dll, ell: c.ell, afl: c.afl, tpl: c.tpl, apl: &c.apl };
        let (mut scratch, mut air, mut buf) = ([0u8; 256], [0u8; 300], [0u8; 300]);
        let n = encode(&repr, c.format, Some(&key), &mut scratch, &mut air).unwrap();
        let cut = cut % n;
        for hint in [FormatHint::Auto, FormatHint::Only(Format::A), FormatHint::Only(Format::B), FormatHint::Only(Format::None)] {
            if let Err(e) = decode(&air[..cut], hint, &key, &mut buf) {
                prop_assert!(e.offset <= n, "{:?}", e);
            }
        }
    }
}
