//! Decode wireless M-Bus telegrams as a WebdynEasy hub stores them (or with
//! their CRCs, straight off a receiver), decrypting with per-meter keys.
//!
//! ```text
//! cargo run -p webdyn-examples --example wmbus_decode
//! cargo run -p webdyn-examples --example wmbus_decode -- <HEX> [ID=KEY ...]
//! ```
//!
//! Without arguments it builds two telegrams itself (a mode-5 one in frame
//! format A, and an OMS mode-7 one in format B with ELL and AFL), then
//! decodes them: link layer, security report, and every record.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_wmbus::app::Records;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::{Key, KeyMap};
use webdyn_wmbus::telegram::{Link, decode};
use webdyn_wmbus::{afl, dll, ell, manufacturer_code, tpl};

/// Pads with 0x2F fill bytes to whole 16-byte AES blocks.
fn padded(mut v: Vec<u8>) -> Vec<u8> {
    while !v.len().is_multiple_of(16) {
        v.push(0x2F);
    }
    v
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// Two self-made telegrams and the key table to read them.
fn samples() -> (Vec<Vec<u8>>, KeyMap) {
    let k5 = Key::new([0x11; 16]);
    let k7 = Key::new([0x77; 16]);
    // 0C 13: 8-digit BCD volume (litres); 02 FD 17: error flags.
    let apl5 = padded(hex("2F2F 0C13 78563412 02FD17 0000"));
    let mode5 = TelegramRepr {
        dll: dll::Repr {
            control: 0x44,
            manufacturer: 0x4C30, // SAP
            address: dll::Address {
                id: 0x1234_5678,
                version: 0x14,
                device_type: 0x07,
            },
        },
        ell: None,
        afl: None,
        tpl: tpl::Repr {
            ci: 0x7A,
            header: tpl::Header::Short(tpl::ShortHeader {
                access_number: 0x21,
                status: 0,
                config: tpl::Config::encrypted(5, (apl5.len() / 16) as u8, 0).0,
            }),
            config_ext: None,
        },
        apl: &apl5,
    };
    // 04 03: 32-bit energy (Wh); 04 FD 48: voltage (0.1 V).
    let apl7 = padded(hex("2F2F 0403 10270000 04FD48 A0080000"));
    let mode7 = TelegramRepr {
        dll: dll::Repr {
            control: 0x44,
            manufacturer: 0x145A, // EBZ
            address: dll::Address {
                id: 0x2299_2299,
                version: 2,
                device_type: 0x02,
            },
        },
        ell: Some(ell::Repr {
            cc: 0x20,
            access_number: 0x42,
            second_address: None,
            session: None,
        }),
        afl: Some(afl::Repr {
            fcl: 0,
            mcl: Some(0x25), // CMAC truncated to 8 bytes, counter present
            ki: None,
            mcr: Some(1234),
            ml: None,
            mac: Some(afl::Mac {
                bytes: [0; 16],
                len: 8,
            }), // computed by the encoder
        }),
        tpl: tpl::Repr {
            ci: 0x7A,
            header: tpl::Header::Short(tpl::ShortHeader {
                access_number: 0x42,
                status: 0,
                config: tpl::Config::encrypted(7, (apl7.len() / 16) as u8, 0).0,
            }),
            config_ext: Some(0x10), // KDF-A
        },
        apl: &apl7,
    };
    let mut out = Vec::new();
    for (repr, key, format) in [(mode5, &k5, Format::A), (mode7, &k7, Format::B)] {
        let (mut scratch, mut air) = ([0u8; 256], [0u8; 300]);
        let n = encode(&repr, format, Some(key), &mut scratch, &mut air).unwrap();
        out.push(air[..n].to_vec());
    }
    let mut keys = KeyMap::new();
    keys.insert(0x1234_5678, k5);
    keys.insert(0x2299_2299, k7);
    (out, keys)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (telegrams, keys) = if let Some(first) = args.first() {
        let mut keys = KeyMap::new();
        for spec in &args[1..] {
            let (id, k) = spec.split_once('=').expect("ID=KEY");
            keys.insert(
                u32::from_str_radix(id, 16).expect("hex id"),
                Key::from_hex(k).expect("32 hex digits"),
            );
        }
        (vec![hex(first)], keys)
    } else {
        samples()
    };
    for t in &telegrams {
        let mut buf = [0u8; 512];
        println!(
            "telegram {}",
            t.iter().map(|b| format!("{b:02X}")).collect::<String>()
        );
        match decode(t, FormatHint::Auto, &keys, &mut buf) {
            Err(e) => println!("  error: {e}"),
            Ok(d) => {
                if let Link::Wireless {
                    format,
                    crcs_checked,
                    dll,
                    ..
                } = d.link
                {
                    let m = manufacturer_code(dll.manufacturer);
                    println!(
                        "  format {} ({crcs_checked} CRCs ok), {} {:08X}, {}",
                        format.name(),
                        String::from_utf8_lossy(&m),
                        dll.address.id,
                        dll::device_type_name(dll.address.device_type).unwrap_or("?"),
                    );
                }
                println!(
                    "  security mode {}: {:?}, MAC verified: {}",
                    d.security.mode, d.security.state, d.security.mac_verified
                );
                if d.is_readable() {
                    for r in Records::new(d.apl()) {
                        match r {
                            Ok(r) => {
                                println!("    {:<14} {} {}", r.quantity().name(), r.value, r.unit())
                            }
                            Err(e) => println!("    records stop: {e}"),
                        }
                    }
                }
            }
        }
    }
}
