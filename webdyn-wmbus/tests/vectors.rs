//! Third-party vectors through the link, transport and security layers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use serde_json::Value;
use webdyn_testkit::hex;
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::{Key, KeyMap, NoKeys};
use webdyn_wmbus::telegram::{Link, SecurityState, decode};
use webdyn_wmbus::{ErrorKind, manufacturer_code};

fn json(rel: &str) -> Option<Value> {
    let p = webdyn_testkit::vectors(rel)?;
    Some(serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap()
}

#[test]
fn oms_mode5_example_with_crcs_and_stripped() {
    let Some(v) = json("wmbus/misc/oms_mode5_example.json") else {
        return;
    };
    let v = &v[0];
    let key = Key::from_hex(s(v, "key")).unwrap();
    let plain = hex(s(v, "plaintext_hex")).unwrap();
    for (field, format, crcs) in [("hex", Format::A, 4), ("hex_crc_stripped", Format::None, 0)] {
        let input = hex(s(v, field)).unwrap();
        let mut buf = [0u8; 256];
        let t = decode(&input, FormatHint::Auto, &key, &mut buf).unwrap();
        let Link::Wireless {
            format: f,
            crcs_checked,
            dll,
            ..
        } = t.link
        else {
            panic!()
        };
        assert_eq!(f, format);
        assert_eq!(crcs_checked, crcs);
        assert_eq!(manufacturer_code(dll.manufacturer), *b"ELS");
        assert_eq!(dll.address.id, 0x1234_5678);
        assert_eq!(t.security.mode, 5);
        assert_eq!(t.security.state, SecurityState::Decrypted);
        assert_eq!(t.apl(), &plain[..]);
        // A wrong key is an error, not garbage.
        let wrong = Key::new([0x11; 16]);
        let e = decode(&input, FormatHint::Auto, &wrong, &mut buf).unwrap_err();
        assert_eq!(e.kind, ErrorKind::WrongKey);
        // Without a key: reported encrypted.
        let t = decode(&input, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
        assert_eq!(t.security.state, SecurityState::NoKey);
        assert_eq!(t.tpl.unwrap().header.short().unwrap().access_number, 0x2A);
    }
}

#[test]
fn mode7_vector_decrypts_and_mac_verifies() {
    let Some(v) = json("wmbus/wmbusmeters/_derived/shell_test_vectors.json") else {
        return;
    };
    let v = &v[0];
    let input = hex(s(v, "hex")).unwrap();
    let w = &v["worked_out"];
    let plain = hex(s(w, "plaintext_hex")).unwrap();
    let tail = hex(s(w, "unencrypted_tail_hex")).unwrap();
    let mut keys = KeyMap::new();
    keys.insert(0x4305_4304, Key::from_hex(s(v, "key")).unwrap());
    let mut buf = [0u8; 256];
    let t = decode(&input, FormatHint::Auto, &keys, &mut buf).unwrap();
    let Link::Wireless {
        format,
        crcs_checked,
        ..
    } = t.link
    else {
        panic!()
    };
    assert_eq!((format, crcs_checked), (Format::B, 2));
    assert_eq!(t.ell.unwrap().access_number, 0x0E);
    let afl = t.afl.unwrap();
    assert_eq!(afl.mcr, Some(0x0002_5E89));
    assert_eq!(
        afl.mac.unwrap().as_slice(),
        &hex(s(&w["afl"], "mac")).unwrap()[..]
    );
    let tpl = t.tpl.unwrap();
    assert_eq!(tpl.config().security_mode(), 7);
    assert_eq!(tpl.config().encrypted_blocks(), 9);
    assert_eq!(tpl.config_ext, Some(0x10));
    assert_eq!(t.security.state, SecurityState::Decrypted);
    assert!(t.security.mac_verified);
    assert_eq!(
        (t.security.encrypted_len, t.security.plaintext_tail),
        (144, 11)
    );
    assert_eq!(&t.apl()[..144], &plain[..]);
    assert_eq!(&t.apl()[144..], &tail[..]);
    // Wrong key: the MAC check fails first.
    let e = decode(&input, FormatHint::Auto, &Key::new([0; 16]), &mut buf).unwrap_err();
    assert_eq!(e.kind, ErrorKind::MacMismatch);
    // Either CRC of this two-block format-B frame, flipped, is located, even
    // with format detection on.
    for (at, crc_at) in [(126usize, 126), (127, 126), (193, 193), (194, 193)] {
        let mut bad = input.clone();
        bad[at] ^= 0x10;
        let e = decode(&bad, FormatHint::Auto, &keys, &mut buf).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Crc { .. }), "{at}: {e}");
        assert_eq!(e.offset, crc_at, "{at}");
    }
    // A flipped ciphertext byte (CRCs recomputed) fails the MAC as well.
    let mut stripped = [0u8; 256];
    let n = {
        let t = decode(&input, FormatHint::Auto, &NoKeys, &mut stripped).unwrap();
        t.frame.len()
    };
    stripped[60] ^= 0x80;
    let e = decode(
        &stripped[..n],
        FormatHint::Only(Format::None),
        &keys,
        &mut buf,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::MacMismatch);
}

#[test]
fn generated_tests_parse_through_link_and_transport() {
    let Some(v) = json("wmbus/wmbusmeters/_derived/generated_tests.json") else {
        return;
    };
    let list = v.as_array().unwrap();
    let (mut ok, mut already, mut decrypted) = (0, 0, 0);
    let mut failures = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let Some(input) = hex(s(t, "hex")) else {
            // The one entry the extraction marked as not hex.
            assert!(t.get("error").is_some(), "telegram {i} is not hex");
            continue;
        };
        let mut keys = KeyMap::new();
        // Keys of other lengths ("NOKEY" variants, 8-byte DES keys) stay unused.
        keys.default = t["key"].as_str().and_then(|k| Key::from_hex(k).ok());
        // A few entries hold two CRC-free telegrams back to back (a "static"
        // and a "dynamic" one): split them by their L fields.
        let first = usize::from(input[0]) + 1;
        let parts: Vec<&[u8]> = match input.get(first) {
            Some(&l2) if usize::from(l2) + 1 == input.len() - first => {
                vec![&input[..first], &input[first..]]
            }
            _ => vec![&input[..]],
        };
        for part in parts {
            let mut buf = [0u8; 512];
            match decode(part, FormatHint::Auto, &keys, &mut buf) {
                Ok(d) => {
                    ok += 1;
                    match d.security.state {
                        SecurityState::AlreadyDecrypted => already += 1,
                        SecurityState::Decrypted => decrypted += 1,
                        _ => {}
                    }
                    if part.len() == input.len()
                        && let Some(mode) = t["tpl_security_mode"].as_u64()
                    {
                        assert_eq!(
                            u64::from(d.security.mode),
                            mode,
                            "telegram {i} {}",
                            s(t, "name")
                        );
                    }
                }
                Err(e) => failures.push(format!("{i} {}: {e}", s(t, "name"))),
            }
        }
    }
    println!(
        "generated_tests: {ok}/{} parsed, {decrypted} decrypted, {already} already decrypted",
        list.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures: {failures:#?}",
        failures.len()
    );
}

#[test]
fn m_bus_parser_vectors() {
    let Some(v) = json("wmbus/m-bus-parser/tests/wmbusmeters/test_vectors.json") else {
        return;
    };
    for t in v.as_array().unwrap() {
        let input = hex(s(t, "input")).unwrap();
        let e = &t["expected"];
        let mut buf = [0u8; 512];
        let d = decode(&input, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
        let (m, a) = d.meter();
        assert_eq!(&manufacturer_code(m), s(e, "manufacturer").as_bytes());
        assert_eq!(
            u64::from(a.id_decimal().unwrap()),
            e["identification_number"].as_u64().unwrap()
        );
        assert_eq!(u64::from(a.version), e["version"].as_u64().unwrap());
        let acc = e["access_number"].as_u64().unwrap();
        match (d.tpl, d.ell) {
            (Some(tpl), _) => {
                let short = tpl.header.short().unwrap();
                assert_eq!(u64::from(short.access_number), acc);
                assert_eq!(u64::from(short.status), e["status"].as_u64().unwrap());
            }
            // ELL with AES-CTR and no key: only the ELL access number is readable.
            (None, Some(ell)) => {
                assert_eq!(d.security.ell_state, SecurityState::NoKey);
                assert_eq!(u64::from(ell.access_number), acc);
            }
            // Manufacturer-specific CI (0xA0-0xB7): no standard TPL to compare.
            (None, None) => assert!((0xA0..=0xB7).contains(&d.ci), "CI {:#04x}", d.ci),
        }
    }
}
