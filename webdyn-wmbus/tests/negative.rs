//! Bad input: located errors, never a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{self, Format, FormatHint};
use webdyn_wmbus::phy;
use webdyn_wmbus::security::{Key, NoKeys};
use webdyn_wmbus::telegram::decode;
use webdyn_wmbus::{ErrorKind, dll, tpl};

/// Amber example (spec B10), CRC-free, mode 5 with key 00..0F.
const AMBER: [u8; 31] = [
    0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05, 0x1E,
    0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F, 0xE6, 0xC3, 0xF7,
];

fn amber_key() -> Key {
    Key::new(core::array::from_fn(|i| i as u8))
}

#[test]
fn every_flipped_crc_byte_is_located() {
    for format in [Format::A, Format::B] {
        let mut air = [0u8; 64];
        let n = frame::add_crcs(&AMBER, format, &mut air).unwrap();
        // CRC positions: format A 10,11 / 28,29 / 35,36; format B the last two.
        let crc_at: &[usize] = if format == Format::A {
            &[10, 28, 35]
        } else {
            &[31]
        };
        for &at in crc_at {
            for byte in [at, at + 1] {
                let mut bad = air;
                bad[byte] ^= 0x40;
                let mut buf = [0u8; 64];
                let e = decode(&bad[..n], FormatHint::Only(format), &amber_key(), &mut buf)
                    .unwrap_err();
                assert!(
                    matches!(e.kind, ErrorKind::Crc { .. }),
                    "{format:?} {byte}: {e}"
                );
                assert_eq!(e.offset, at, "{format:?} {byte}");
            }
        }
        // A flipped data byte is caught by its block's CRC.
        let mut bad = air;
        bad[14] ^= 1;
        let mut buf = [0u8; 64];
        let e = decode(&bad[..n], FormatHint::Only(format), &amber_key(), &mut buf).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Crc { .. }));
    }
}

#[test]
fn truncation_at_every_length() {
    let mut air = [0u8; 64];
    let n = frame::add_crcs(&AMBER, Format::A, &mut air).unwrap();
    for cut in 0..n {
        let mut buf = [0u8; 64];
        let e = decode(
            &air[..cut],
            FormatHint::Only(Format::A),
            &amber_key(),
            &mut buf,
        )
        .unwrap_err();
        assert!(e.offset <= n, "cut {cut}: {e}");
        for hint in [FormatHint::Auto, FormatHint::Only(Format::None)] {
            match decode(&air[..cut], hint, &amber_key(), &mut buf) {
                Err(e) => assert!(e.offset <= n, "cut {cut}: {e}"),
                // Cut to L + 1 bytes, or to L - 1, the truncated frame is a valid
                // CRC-free frame as the hub stores them (L adapted, or a
                // format-B L left unadapted): the only other readings there are.
                Ok(t) => {
                    let l = usize::from(air[0]);
                    let webdyn_wmbus::telegram::Link::Wireless { l_meaning, .. } = t.link else {
                        panic!()
                    };
                    match l_meaning {
                        frame::LField::WithoutCrcs => assert_eq!(cut, l + 1),
                        frame::LField::FormatB => assert_eq!(cut, l - 1),
                    }
                }
            }
        }
    }
    // The CRC-free frame cut anywhere: the hub's L no longer matches.
    for cut in 0..AMBER.len() {
        let mut buf = [0u8; 64];
        let e = decode(
            &AMBER[..cut],
            FormatHint::Only(Format::None),
            &amber_key(),
            &mut buf,
        )
        .unwrap_err();
        assert!(e.offset <= AMBER.len(), "{e}");
    }
}

#[test]
fn bogus_lengths() {
    for l in 0..=255u8 {
        let mut f = AMBER;
        f[0] = l;
        let mut buf = [0u8; 64];
        let r = decode(&f, FormatHint::Auto, &amber_key(), &mut buf);
        match l {
            // Adapted L, or unadapted format-B L (len + 1).
            30 | 32 => assert!(r.is_ok(), "L={l}"),
            _ => {
                let e = r.unwrap_err();
                assert!(
                    matches!(
                        e.kind,
                        ErrorKind::BadLength { .. } | ErrorKind::Truncated { .. }
                    ),
                    "L={l}: {e}"
                );
                assert_eq!(e.offset, if l > 30 { 31 } else { 0 }, "L={l}");
            }
        }
    }
    // Encrypted block count larger than the data.
    let mut f = AMBER;
    f[13] = 0x30; // N = 3 blocks, only one present
    let mut buf = [0u8; 64];
    let e = decode(&f, FormatHint::Auto, &amber_key(), &mut buf).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::BadLength {
            declared: 48,
            actual: 16
        }
    );
    assert_eq!(e.offset, 15);
}

#[test]
fn wrong_key_and_unsupported_modes() {
    let mut buf = [0u8; 64];
    let e = decode(&AMBER, FormatHint::Auto, &Key::new([0xAA; 16]), &mut buf).unwrap_err();
    assert_eq!(e.kind, ErrorKind::WrongKey);
    assert_eq!(e.offset, 15);
    // The buffer was left holding the ciphertext, not garbage plaintext.
    assert_eq!(buf[15..31], AMBER[15..]);
    for mode in [8u8, 9, 10, 13] {
        let mut f = AMBER;
        f[14] = mode;
        let t = decode(&f, FormatHint::Auto, &amber_key(), &mut buf).unwrap();
        assert_eq!(t.security.mode, mode);
        assert_eq!(
            t.security.state,
            webdyn_wmbus::telegram::SecurityState::Unsupported
        );
        assert!(!t.is_readable());
    }
    // Partial encryption is reported: one block encrypted, 3 plaintext bytes after it.
    let apl = [
        0x2F, 0x2F, 0x01, 0x13, 0x2A, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F,
        0x2F, 0x01, 0xFD, 0x17,
    ];
    let repr = TelegramRepr {
        dll: dll::Repr {
            control: 0x44,
            manufacturer: 0x05A2,
            address: dll::Address {
                id: 0x1234_5678,
                version: 0,
                device_type: 3,
            },
        },
        ell: None,
        afl: None,
        tpl: tpl::Repr {
            ci: 0x7A,
            header: tpl::Header::Short(tpl::ShortHeader {
                access_number: 1,
                status: 0,
                config: tpl::Config::encrypted(5, 1, 0).0,
            }),
            config_ext: None,
        },
        apl: &apl,
    };
    let (mut scratch, mut air) = ([0u8; 256], [0u8; 300]);
    let n = encode(
        &repr,
        Format::None,
        Some(&amber_key()),
        &mut scratch,
        &mut air,
    )
    .unwrap();
    let t = decode(&air[..n], FormatHint::Auto, &amber_key(), &mut buf).unwrap();
    assert_eq!(
        (t.security.encrypted_len, t.security.plaintext_tail),
        (16, 3)
    );
    assert_eq!(t.apl(), &apl);
    let t = decode(&air[..n], FormatHint::Auto, &NoKeys, &mut buf).unwrap();
    assert_eq!(
        t.security.state,
        webdyn_wmbus::telegram::SecurityState::NoKey
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut buf = [0u8; 300];
        for hint in [FormatHint::Auto, FormatHint::Only(Format::A), FormatHint::Only(Format::B), FormatHint::Only(Format::None)] {
            if let Err(e) = decode(&data, hint, &amber_key(), &mut buf) {
                prop_assert!(e.offset <= data.len().max(1) + 1, "{:?}", e);
            }
        }
    }

    #[test]
    fn phy_roundtrips(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut chips = [0u8; 128];
        let mut back = [0u8; 128];
        let n = phy::encode_3of6(&data, &mut chips).unwrap();
        let m = phy::decode_3of6(&chips[..n], &mut back).unwrap();
        prop_assert_eq!(&back[..m], &data[..]);
        for p in [phy::Polarity::OneIsHighLow, phy::Polarity::OneIsLowHigh] {
            let n = phy::encode_manchester(&data, p, &mut chips).unwrap();
            let m = phy::decode_manchester(&chips[..n], p, &mut back).unwrap();
            prop_assert_eq!(&back[..m], &data[..]);
        }
    }
}

/// A short format-B frame whose CRC is bad also reads as a CRC-free frame
/// (`L = len − 1`, as the hub stores frames). When that reading then fails
/// on a check its last two bytes explain (ELL payload CRC, AFL MAC), the
/// error says both readings instead of a misleading "wrong key".
#[test]
fn short_format_b_with_a_bad_crc_is_reported_as_ambiguous() {
    use webdyn_wmbus::{afl, ell};
    let key = amber_key();
    let apl = [0x2F, 0x2F, 0x04, 0x13, 0x39, 0x30, 0x00, 0x00];
    let dll = dll::Repr {
        control: 0x44,
        manufacturer: 0x05A2,
        address: dll::Address {
            id: 0x1234_5678,
            version: 0,
            device_type: 7,
        },
    };
    let plain_tpl = tpl::Repr {
        ci: 0x7A,
        header: tpl::Header::Short(tpl::ShortHeader {
            access_number: 1,
            status: 0,
            config: 0,
        }),
        config_ext: None,
    };
    // ELL II, ELL security mode 1: its payload CRC covers the frame to the end.
    let with_ell = TelegramRepr {
        dll,
        ell: Some(ell::Repr {
            cc: 0x20,
            access_number: 1,
            second_address: None,
            session: Some(ell::SessionNumber(0x2000_0012)),
        }),
        afl: None,
        tpl: plain_tpl,
        apl: &apl,
    };
    // Mode 7 with an AFL MAC: the MAC covers the frame to the end.
    let mut padded = [0x2Fu8; 16];
    padded[..apl.len()].copy_from_slice(&apl);
    let with_mac = TelegramRepr {
        dll,
        ell: None,
        afl: Some(afl::Repr {
            fcl: 0,
            mcl: Some(0x25),
            ki: None,
            mcr: Some(7),
            ml: None,
            mac: Some(afl::Mac {
                bytes: [0; 16],
                len: 8,
            }),
        }),
        tpl: tpl::Repr {
            ci: 0x7A,
            header: tpl::Header::Short(tpl::ShortHeader {
                access_number: 1,
                status: 0,
                config: tpl::Config::encrypted(7, 1, 0).0,
            }),
            config_ext: Some(0x10),
        },
        apl: &padded,
    };
    for (repr, without_crcs) in [
        (
            &with_ell,
            ErrorKind::EllPayloadCrc {
                stored: 0,
                computed: 0,
            },
        ),
        (&with_mac, ErrorKind::MacMismatch),
    ] {
        let mut scratch = [0u8; 256];
        let mut air = [0u8; 300];
        let n = encode(repr, Format::B, Some(&key), &mut scratch, &mut air).unwrap();
        let mut buf = [0u8; 300];
        // Intact, it is format B.
        let t = decode(&air[..n], FormatHint::Auto, &key, &mut buf).unwrap();
        assert!(matches!(
            t.link,
            webdyn_wmbus::telegram::Link::Wireless {
                format: Format::B,
                ..
            }
        ));
        let mut bad = air;
        bad[n - 1] ^= 0x5A;
        // Read as format B: the CRC, where it is.
        let e = decode(&bad[..n], FormatHint::Only(Format::B), &key, &mut buf).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Crc { block: 1, .. }), "{e}");
        assert_eq!(e.offset, n - 2);
        // Read as CRC-free: the end-to-end check fails.
        let e = decode(&bad[..n], FormatHint::Only(Format::None), &key, &mut buf).unwrap_err();
        assert_eq!(
            core::mem::discriminant(&e.kind),
            core::mem::discriminant(&without_crcs),
            "{e}"
        );
        let crc_free_offset = e.offset;
        // Auto-detected: both readings, not a misleading "wrong key".
        let e = decode(&bad[..n], FormatHint::Auto, &key, &mut buf).unwrap_err();
        let stored = u16::from_be_bytes([bad[n - 2], bad[n - 1]]);
        let computed = webdyn_wmbus::crc::crc16(&bad[..n - 2]);
        assert_eq!(
            e.kind,
            ErrorKind::AmbiguousFormat {
                stored,
                computed,
                without_crcs: without_crcs.summary(),
            },
            "{e}"
        );
        assert_eq!(e.offset, crc_free_offset);
        assert!(e.to_string().contains("ambiguous"), "{e}");
    }
    // A frame stored without CRCs whose key is wrong is still a wrong key:
    // the failure is not explained by its last two bytes.
    let mut buf = [0u8; 64];
    let e = decode(&AMBER, FormatHint::Auto, &Key::new([0xAA; 16]), &mut buf).unwrap_err();
    assert_eq!(e.kind, ErrorKind::WrongKey);
}

/// ELL security mode 0: the payload is plain, but its payload CRC is still
/// there and still covers the rest of the frame, so a damaged byte after it
/// is an error located at the CRC, never a silently wrong decode.
#[test]
fn plain_ell_payload_crc_is_checked() {
    use webdyn_wmbus::ell;
    let apl = [0x04, 0x13, 0x39, 0x30, 0x00, 0x00];
    let repr = TelegramRepr {
        dll: dll::Repr {
            control: 0x44,
            manufacturer: 0x05A2,
            address: dll::Address {
                id: 0x1234_5678,
                version: 0,
                device_type: 7,
            },
        },
        ell: Some(ell::Repr {
            cc: 0x20,
            access_number: 1,
            second_address: None,
            // Bits 29..31 (the ELL security mode) clear.
            session: Some(ell::SessionNumber(0x0000_0012)),
        }),
        afl: None,
        tpl: tpl::Repr {
            ci: 0x7A,
            header: tpl::Header::Short(tpl::ShortHeader {
                access_number: 1,
                status: 0,
                config: 0,
            }),
            config_ext: None,
        },
        apl: &apl,
    };
    let mut scratch = [0u8; 256];
    let mut out = [0u8; 300];
    let n = encode(&repr, Format::None, None, &mut scratch, &mut out).unwrap();
    let mut buf = [0u8; 300];
    let t = decode(&out[..n], FormatHint::Only(Format::None), &NoKeys, &mut buf).unwrap();
    assert_eq!(t.security.ell_mode, Some(0));
    // L C M(2) A(6), then CI 8D, CC, ACC, SN(4): the CRC is at 17..19.
    assert_eq!(out[10], 0x8D);
    for i in 17..n {
        let mut bad = out;
        bad[i] ^= 0x01;
        let e = decode(&bad[..n], FormatHint::Only(Format::None), &NoKeys, &mut buf).unwrap_err();
        assert!(
            matches!(e.kind, ErrorKind::EllPayloadCrc { .. }),
            "byte {i}: {e}"
        );
        assert_eq!(e.offset, 17, "byte {i}");
    }
}
