//! The link, transport and security layers allocate nothing: decode (with
//! CRC strip and AES in modes 5 and 7) and encode run under a counting
//! global allocator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_testkit::CountingAllocator;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::security::Key;
use webdyn_wmbus::telegram::{SecurityState, decode};
use webdyn_wmbus::{afl, dll, ell, tpl};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator::new();

#[test]
fn decode_and_encode_allocate_nothing() {
    let keys = [
        (0x2299_2299u32, Key::new([0x77; 16])),
        (0x1234_5678, Key::new([0x11; 16])),
    ];
    let mut apl = [0x2Fu8; 32];
    apl[2..8].copy_from_slice(&[0x04, 0x13, 0x39, 0x30, 0x00, 0x00]);
    let ((), allocations) = ALLOC.count(|| {
        for (mode, id) in [(5u8, 0x1234_5678u32), (7, 0x2299_2299)] {
            let repr = TelegramRepr {
                dll: dll::Repr {
                    control: 0x44,
                    manufacturer: 0x145A,
                    address: dll::Address {
                        id,
                        version: 1,
                        device_type: 2,
                    },
                },
                ell: Some(ell::Repr {
                    cc: 0x20,
                    access_number: 3,
                    second_address: None,
                    session: None,
                }),
                afl: (mode == 7).then_some(afl::Repr {
                    fcl: 0x2C00,
                    mcl: Some(0x25),
                    ki: None,
                    mcr: Some(9),
                    ml: None,
                    mac: Some(afl::Mac {
                        bytes: [0; 16],
                        len: 8,
                    }),
                }),
                tpl: tpl::Repr {
                    ci: 0x7A,
                    header: tpl::Header::Short(tpl::ShortHeader {
                        access_number: 3,
                        status: 0,
                        config: tpl::Config::encrypted(mode, 2, 0).0,
                    }),
                    config_ext: (mode == 7).then_some(0x10),
                },
                apl: &apl,
            };
            let key = if mode == 5 { &keys[1].1 } else { &keys[0].1 };
            for format in [Format::A, Format::B, Format::None] {
                let (mut scratch, mut air, mut buf) = ([0u8; 256], [0u8; 300], [0u8; 300]);
                let n = encode(&repr, format, Some(key), &mut scratch, &mut air).unwrap();
                let t = decode(&air[..n], FormatHint::Auto, &keys[..], &mut buf).unwrap();
                assert_eq!(t.security.state, SecurityState::Decrypted);
                assert_eq!(t.apl(), &apl);
            }
        }
    });
    assert_eq!(allocations, 0);
}
