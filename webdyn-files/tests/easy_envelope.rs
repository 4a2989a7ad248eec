//! The hub-file envelope: CRC-32 trailer, AES-128-CBC, file names.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_files::easy::envelope::{self, CrcMode};
use webdyn_files::easy::file_name::{FileKind, FileName, WhitelistSpelling};
use webdyn_files::easy::key::{self, FILE_IV, FileKey};
use webdyn_files::easy::{Error, crc32};

fn hex(s: &str) -> Vec<u8> {
    webdyn_testkit::hex(s).unwrap()
}

/// Manual §5.1.1.4, the "BSON with CRC" dump: 80 bytes, keys `Config`,
/// `Remote`, `NTP`, `CRC` (erratum E1), CRC 0x2A0C7BA3 stored little-endian.
const MANUAL_CRC_DUMP: &str = "50 00 00 00 03 43 6F 6E 66 69 67 00 3A 00 00 00
03 52 65 6D 6F 74 65 00 2D 00 00 00 04 4E 54 50
00 23 00 00 00 02 30 00 0F 00 00 00 6E 74 70 2E
67 6F 6F 67 6C 65 2E 63 6F 6D 00 02 31 00 01 00
00 00 00 00 00 00 10 43 52 43 00 A3 7B 0C 2A 00";

/// The same document before the CRC is written: the manual's first dump with
/// the `00` it lost restored (erratum E2) — its last line printed 15 bytes.
fn manual_zeroed() -> Vec<u8> {
    let mut v = hex(MANUAL_CRC_DUMP);
    v[75..79].copy_from_slice(&[0, 0, 0, 0]);
    v
}

#[test]
fn manual_example_is_80_bytes_with_crc_2a0c7ba3() {
    let file = hex(MANUAL_CRC_DUMP);
    assert_eq!(file.len(), 80);
    let c = envelope::check(&file).unwrap();
    assert_eq!(c.offset, 75);
    assert_eq!(c.stored, 0x2A0C_7BA3);
    assert_eq!(c.computed, 0x2A0C_7BA3);
    assert!(envelope::verify(&file, CrcMode::Always).is_ok());
    // The plain zlib CRC-32 of the zeroed file is the same number.
    assert_eq!(crc32(&manual_zeroed()), 0x2A0C_7BA3);
}

#[test]
fn stamping_the_zeroed_manual_document_gives_the_manual_bytes() {
    let mut file = manual_zeroed();
    assert_eq!(envelope::stamp(&mut file).unwrap(), 0x2A0C_7BA3);
    assert_eq!(file, hex(MANUAL_CRC_DUMP));
    assert_eq!(&file[75..79], &[0xA3, 0x7B, 0x0C, 0x2A]);
}

#[test]
fn crc_check_values() {
    // CRC-32/ISO-HDLC check value from the CRC catalogue.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(webdyn_files::crc32(b"123456789"), 0xCBF4_3926);
}

#[test]
fn crc_modes_follow_the_manual() {
    let good = hex(MANUAL_CRC_DUMP);
    let zero = manual_zeroed();
    let mut bad = good.clone();
    bad[75] ^= 0x01;
    let mut corrupt_body = good.clone();
    corrupt_body[44] = b'N'; // "ntp.google.com" -> "Ntp.google.com"

    // 0: never checked.
    for f in [&good, &zero, &bad, &corrupt_body] {
        assert!(envelope::verify(f, CrcMode::None).is_ok());
    }
    // 1: checked unless the stored CRC is 0.
    assert!(envelope::verify(&good, CrcMode::Partial).is_ok());
    assert!(envelope::verify(&zero, CrcMode::Partial).is_ok());
    assert!(envelope::verify(&bad, CrcMode::Partial).is_err());
    // 2: always.
    assert_eq!(
        envelope::verify(&zero, CrcMode::Always),
        Err(Error::CrcMismatch {
            offset: 75,
            stored: 0,
            computed: 0x2A0C_7BA3
        })
    );
    match envelope::verify(&corrupt_body, CrcMode::Always) {
        Err(Error::CrcMismatch {
            stored, computed, ..
        }) => {
            assert_eq!(stored, 0x2A0C_7BA3);
            assert_ne!(computed, 0x2A0C_7BA3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(CrcMode::default(), CrcMode::Partial);
    assert_eq!(CrcMode::from_u8(2), Some(CrcMode::Always));
    assert_eq!(CrcMode::from_u8(3), None);
}

#[test]
fn malformed_envelopes_are_typed_errors() {
    let good = hex(MANUAL_CRC_DUMP);
    assert_eq!(envelope::check(&[]), Err(Error::TooShort { len: 0 }));
    assert_eq!(
        envelope::check(&good[..79]),
        Err(Error::LengthMismatch {
            declared: 80,
            actual: 79
        })
    );
    // The manual's first dump, 79 bytes (erratum E2), is rejected likewise.
    let mut renamed = good.clone();
    renamed[71] = b'X'; // key "XRC"
    assert_eq!(
        envelope::check(&renamed),
        Err(Error::NoCrcField { offset: 70 })
    );
    let mut int64 = good.clone();
    int64[70] = 0x12;
    assert_eq!(
        envelope::check(&int64),
        Err(Error::NoCrcField { offset: 70 })
    );
    // Without the field, only mode 0 accepts the file.
    assert_eq!(envelope::verify(&renamed, CrcMode::None), Ok(None));
    assert!(envelope::verify(&renamed, CrcMode::Partial).is_err());
}

#[test]
fn append_crc_makes_a_hub_file() {
    // {"a": "b"} as BSON, then the crc element appended.
    let mut doc = hex("0E000000 02 6100 02000000 6200 00");
    envelope::append_crc(&mut doc).unwrap();
    assert_eq!(
        doc,
        hex("17000000 02 6100 02000000 6200 10 63726300 00000000 00")
    );
    let crc = envelope::stamp(&mut doc).unwrap();
    assert_eq!(
        crc,
        crc32(&hex(
            "17000000 02 6100 02000000 6200 10 63726300 00000000 00"
        ))
    );
    assert!(envelope::verify(&doc, CrcMode::Always).is_ok());
}

/// AES vector computed independently, twice, on 2026-11-21:
/// `openssl enc -aes-128-cbc -K 4400AAF78378049CAB13EE4E350E281B
///  -iv C0503ECDE3DB6B2E52F59B95B6F19B58 -in manual80.bin | xxd -p`
/// and Python `cryptography` 48 (`Cipher(AES(k), CBC(iv))` after
/// `padding.PKCS7(128)`), both giving these 96 bytes. Key: the manual's
/// example `RACq94N4BJyrE+5ONQ4oGw==`; plaintext: the 80-byte file above.
const MANUAL_FILE_ENCRYPTED: &str = "415908cd4976b2f3d40c4c14230335130a23cdd9c0693dcbf87ac99062ff6014\
6e6c046035d112caaacdadb4143992ae2be47ab00cc4b3d7e86da30a33dc2825\
9eafdddd6fe838f77ce6fa278699e633273ed441dae7c148fc217c323595170f";

fn manual_key() -> FileKey {
    FileKey::from_base64("RACq94N4BJyrE+5ONQ4oGw==").unwrap()
}

#[test]
fn manual_key_in_both_notations() {
    let k = manual_key();
    assert_eq!(
        k.as_bytes(),
        &[
            0x44, 0x00, 0xAA, 0xF7, 0x83, 0x78, 0x04, 0x9C, 0xAB, 0x13, 0xEE, 0x4E, 0x35, 0x0E,
            0x28, 0x1B
        ]
    );
    assert_eq!(
        FileKey::parse("44:00:AA:F7:83:78:04:9C:AB:13:EE:4E:35:0E:28:1B").unwrap(),
        k
    );
    assert_eq!(
        FileKey::parse("4400aaf78378049cab13ee4e350e281b").unwrap(),
        k
    );
    assert_eq!(FileKey::parse("RACq94N4BJyrE+5ONQ4oGw==").unwrap(), k);
    assert_eq!(format!("{k:?}"), "FileKey(..)");
    assert_eq!(FILE_IV[0], 0xC0);
    assert_eq!(FILE_IV[15], 0x58);
}

#[test]
fn bad_keys_are_explained() {
    assert!(FileKey::parse("RACq94N4BJyrE+5ONQ4o").is_err());
    let e = FileKey::parse("4400aaf78378049cab13ee4e350e281b00").unwrap_err();
    assert!(e.to_string().contains("16 bytes"), "{e}");
    assert!(FileKey::parse("RACq94N4BJyrE+5ONQ4oGw==!").is_err());
}

#[test]
fn aes_matches_the_independent_vector() {
    let plain = hex(MANUAL_CRC_DUMP);
    let expected = hex(MANUAL_FILE_ENCRYPTED);
    assert_eq!(key::encrypted_len(80), 96);
    let mut out = [0u8; 96];
    assert_eq!(
        key::encrypt_into(&manual_key(), &plain, &mut out).unwrap(),
        &expected[..]
    );
    assert_eq!(key::encrypt(&manual_key(), &plain), expected);
    let mut back = [0u8; 96];
    let opened = key::decrypt_into(&manual_key(), &expected, &mut back).unwrap();
    assert_eq!(opened, &plain[..]);
    assert_eq!(key::decrypt(&manual_key(), &expected).unwrap(), plain);
    // And the decrypted file carries the manual's CRC.
    assert_eq!(envelope::check(opened).unwrap().computed, 0x2A0C_7BA3);
}

#[test]
fn wrong_key_and_damage_are_clear_errors() {
    let sealed = hex(MANUAL_FILE_ENCRYPTED);
    let wrong = FileKey::new([0x11; 16]);
    let e = key::decrypt(&wrong, &sealed).unwrap_err();
    assert!(
        matches!(e, Error::BadPadding | Error::NotDecryptedBson { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("wrong key"), "{e}");
    assert_eq!(
        key::decrypt(&manual_key(), &sealed[..95]),
        Err(Error::CipherLength { len: 95 })
    );
    assert_eq!(
        key::decrypt(&manual_key(), &[]),
        Err(Error::CipherLength { len: 0 })
    );
    let mut small = [0u8; 32];
    assert_eq!(
        key::decrypt_into(&manual_key(), &sealed, &mut small),
        Err(Error::BufferTooSmall {
            needed: 96,
            available: 32
        })
    );
    // Flipping a bit of the last block ruins the padding.
    let mut damaged = sealed.clone();
    damaged[95] ^= 0x80;
    assert!(key::decrypt(&manual_key(), &damaged).is_err());
}

#[test]
fn every_file_name_pattern() {
    let cases: &[(&str, &str, FileKind)] = &[
        (
            "123456-1591083697-config.bson",
            "123456",
            FileKind::Config {
                timestamp: 1_591_083_697,
            },
        ),
        (
            "123456-1591083697-data.bson",
            "123456",
            FileKind::Data {
                timestamp: 1_591_083_697,
            },
        ),
        (
            "123456-1591083697-alarm.bson",
            "123456",
            FileKind::Alarm {
                timestamp: 1_591_083_697,
            },
        ),
        (
            "123456-1591083697-ack.bson",
            "123456",
            FileKind::Ack {
                timestamp: 1_591_083_697,
            },
        ),
        (
            "123456-1591083697-supervision.bson",
            "123456",
            FileKind::Supervision {
                timestamp: 1_591_083_697,
            },
        ),
        (
            "123456-1591083697-log.bson",
            "123456",
            FileKind::Log {
                timestamp: 1_591_083_697,
            },
        ),
        ("123456-cfg.bson", "123456", FileKind::ConfigInput),
        (
            "123456-cmd.bson",
            "123456",
            FileKind::Command { number: None },
        ),
        (
            "123456-1-cmd.bson",
            "123456",
            FileKind::Command { number: Some(1) },
        ),
        (
            "123456-2-cmd.bson",
            "123456",
            FileKind::Command { number: Some(2) },
        ),
        (
            "123456-wFilter.bson",
            "123456",
            FileKind::Whitelist {
                spelling: WhitelistSpelling::WFilter,
            },
        ),
        (
            "123456-wlFilter.bson",
            "123456",
            FileKind::Whitelist {
                spelling: WhitelistSpelling::WlFilter,
            },
        ),
        (
            "WE_1234-x-1560068897-data.bson",
            "WE_1234-x",
            FileKind::Data {
                timestamp: 1_560_068_897,
            },
        ),
    ];
    for (name, uid, kind) in cases {
        let n = FileName::parse(name).unwrap();
        assert_eq!(n.uid, *uid, "{name}");
        assert_eq!(n.kind, *kind, "{name}");
        assert!(!n.encrypted && !n.temporary);
        assert_eq!(n.to_string(), *name);
        let aes = format!("{name}.aes");
        let n = FileName::parse(&aes).unwrap();
        assert!(n.encrypted && !n.temporary);
        assert_eq!(n.to_string(), aes);
        let tmp = format!("{name}.aes.tmp");
        let n = FileName::parse(&tmp).unwrap();
        assert!(n.encrypted && n.temporary);
        assert_eq!(n.to_string(), tmp);
        let tmp = format!("{name}.tmp");
        assert!(FileName::parse(&tmp).unwrap().temporary);
    }
    // Manual §4.2.1.2: "123456-config.bson" -> "123456-config.bson.aes" is
    // the manual's own shorthand without a timestamp: rejected as such.
    assert!(FileName::parse("123456-config.bson.aes").is_err());
    assert_eq!(FileKind::Data { timestamp: 1 }.directory(), "/DATA");
    assert_eq!(FileKind::Ack { timestamp: 1 }.directory(), "/ALARM");
    assert_eq!(FileKind::Log { timestamp: 1 }.directory(), "/SUPERVISION");
}

#[test]
fn bad_file_names() {
    for bad in [
        "123456-data.json",
        "123456-1591083697-foo.bson",
        "123456-abc-data.bson",
        "-cfg.bson",
        "-1-data.bson",
        "data.bson",
        "",
    ] {
        let e = FileName::parse(bad).unwrap_err();
        assert!(!e.to_string().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn stamp_then_verify(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        // A binary element holding `body`, then crc.
        let mut doc = Vec::new();
        doc.extend_from_slice(&[0; 4]);
        doc.push(0x05);
        doc.extend_from_slice(b"b\0");
        doc.extend_from_slice(&(body.len() as u32).to_le_bytes());
        doc.push(0);
        doc.extend_from_slice(&body);
        doc.push(0);
        let len = doc.len() as u32;
        doc[..4].copy_from_slice(&len.to_le_bytes());
        envelope::append_crc(&mut doc).unwrap();
        let crc = envelope::stamp(&mut doc).unwrap();
        let c = envelope::verify(&doc, CrcMode::Always).unwrap().unwrap();
        prop_assert_eq!(c.stored, crc);
        let mut zeroed = doc.clone();
        let off = c.offset;
        zeroed[off..off + 4].copy_from_slice(&[0; 4]);
        prop_assert_eq!(crc32(&zeroed), crc);
    }

    #[test]
    fn aes_round_trip(k in any::<[u8; 16]>(), body in proptest::collection::vec(any::<u8>(), 0..100)) {
        let mut file = ((body.len() + 4) as u32).to_le_bytes().to_vec();
        file.extend_from_slice(&body);
        let key = FileKey::new(k);
        let sealed = key::encrypt(&key, &file);
        prop_assert_eq!(sealed.len(), key::encrypted_len(file.len()));
        prop_assert_eq!(key::decrypt(&key, &sealed).unwrap(), file);
    }

    #[test]
    fn file_names_round_trip(uid in "[A-Za-z0-9_]{1,12}(-[A-Za-z_]{1,4})?", ts in any::<u32>(),
                             n in proptest::option::of(0u64..1000), aes: bool, tmp: bool, which in 0usize..9) {
        let kind = match which {
            0 => FileKind::Config { timestamp: u64::from(ts) },
            1 => FileKind::Data { timestamp: u64::from(ts) },
            2 => FileKind::Alarm { timestamp: u64::from(ts) },
            3 => FileKind::Ack { timestamp: u64::from(ts) },
            4 => FileKind::Supervision { timestamp: u64::from(ts) },
            5 => FileKind::Log { timestamp: u64::from(ts) },
            6 => FileKind::ConfigInput,
            7 => FileKind::Command { number: n },
            _ => FileKind::Whitelist { spelling: WhitelistSpelling::WFilter },
        };
        let name = FileName::new(&uid, kind).with_encrypted(aes).with_temporary(tmp);
        let text = name.to_string();
        prop_assert_eq!(FileName::parse(&text).unwrap(), name);
    }

    #[test]
    fn keys_parse_in_both_notations(k in any::<[u8; 16]>()) {
        let hex: String = k.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":");
        let b64 = webdyn_files::easy::base64::encode(&k);
        prop_assert_eq!(FileKey::parse(&hex).unwrap(), FileKey::new(k));
        prop_assert_eq!(FileKey::parse(&b64).unwrap(), FileKey::new(k));
    }
}
