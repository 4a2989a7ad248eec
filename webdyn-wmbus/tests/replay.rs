//! Replay protection over real decode results: mode-7 telegrams built with
//! the encoder (AFL MCR under the MAC), a third-party mode-7 vector, and a
//! property test of the guard against a model.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::HashMap;

use proptest::prelude::*;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::replay::{ACCESS_WINDOW, Counter, Meter, ReplayError, ReplayGuard};
use webdyn_wmbus::security::{Key, KeyMap, NoKeys};
use webdyn_wmbus::telegram::decode;
use webdyn_wmbus::{afl, dll, tpl};

const KEY: [u8; 16] = [0x5A; 16];

/// A mode-7 telegram of meter `id` (OMS: AFL with MCR and an 8-byte
/// CMAC, TPL short header, 1 encrypted block), in format A.
fn mode7(id: u32, mcr: u32, acc: u8) -> Vec<u8> {
    let apl = [
        0x2F, 0x2F, 0x04, 0x13, 0x2A, 0x00, 0x00, 0x00, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F,
        0x2F,
    ];
    let a = afl::Repr {
        fcl: 0,
        mcl: Some(0x25), // MCR present, AT 5: CMAC truncated to 8 bytes
        ki: None,
        mcr: Some(mcr),
        ml: None,
        mac: Some(afl::Mac {
            bytes: [0; 16],
            len: 8,
        }),
    };
    let repr = TelegramRepr {
        dll: dll::Repr {
            control: 0x44,
            manufacturer: 0x1593,
            address: dll::Address {
                id,
                version: 1,
                device_type: 7,
            },
        },
        ell: None,
        afl: Some(afl::Repr {
            fcl: a.fcl_with_flags(),
            ..a
        }),
        tpl: tpl::Repr {
            ci: 0x7A,
            header: tpl::Header::Short(tpl::ShortHeader {
                access_number: acc,
                status: 0,
                config: tpl::Config::encrypted(7, 1, 0).0,
            }),
            config_ext: Some(0x10),
        },
        apl: &apl,
    };
    let (mut scratch, mut air) = ([0u8; 256], [0u8; 300]);
    let n = encode(
        &repr,
        Format::A,
        Some(&Key::new(KEY)),
        &mut scratch,
        &mut air,
    )
    .unwrap();
    air[..n].to_vec()
}

#[test]
fn replayed_mode7_telegram_is_rejected() {
    let key = Key::new(KEY);
    let mut guard = ReplayGuard::<8>::new();
    let mut buf = [0u8; 300];
    let first = mode7(0x1234_5678, 100, 1);
    let t = decode(&first, FormatHint::Auto, &key, &mut buf).unwrap();
    assert!(t.security.mac_verified);
    assert_eq!(Counter::of(&t), Some(Counter::Mcr(100)));
    let meter = Meter::of(&t);
    assert_eq!(meter.address.id, 0x1234_5678);
    assert!(guard.accept_telegram(&t).unwrap().first_seen);
    // The very same bytes again: authentic, and a replay.
    let t = decode(&first, FormatHint::Auto, &key, &mut buf).unwrap();
    assert!(t.security.mac_verified);
    assert_eq!(
        guard.accept_telegram(&t),
        Err(ReplayError::Replayed {
            meter,
            last: 100,
            received: 100
        })
    );
    // The next one (counter 101) passes, even with an access number that
    // went backwards: with an AFL, the MCR rules.
    let t = decode(
        &mode7(0x1234_5678, 101, 0),
        FormatHint::Auto,
        &key,
        &mut buf,
    )
    .unwrap();
    assert!(!guard.accept_telegram(&t).unwrap().first_seen);
    assert_eq!(guard.last_mcr(&meter), Some(101));
    // An older recording (counter 99) is rejected.
    let t = decode(&mode7(0x1234_5678, 99, 5), FormatHint::Auto, &key, &mut buf).unwrap();
    assert!(matches!(
        guard.accept_telegram(&t),
        Err(ReplayError::Replayed { last: 101, .. })
    ));
    // Another meter with a lower counter is its own sequence.
    let t = decode(&mode7(0x1111_1111, 3, 0), FormatHint::Auto, &key, &mut buf).unwrap();
    guard.accept_telegram(&t).unwrap();
    assert_eq!(guard.len(), 2);
}

#[test]
fn counters_of_unauthenticated_telegrams_are_not_recorded() {
    let mut guard = ReplayGuard::<8>::new();
    let mut buf = [0u8; 300];
    // No key: the MAC cannot be checked, so a forged MCR would be believed.
    let bytes = mode7(0x1234_5678, 0xFFFF_FFFF, 1);
    let t = decode(&bytes, FormatHint::Auto, &NoKeys, &mut buf).unwrap();
    assert!(!t.security.mac_verified);
    let meter = Meter::of(&t);
    assert_eq!(
        guard.accept_telegram(&t),
        Err(ReplayError::Unauthenticated(meter))
    );
    assert!(guard.is_empty());
    // A plain telegram with only an access number: not authenticated either.
    let plain = [
        0x0E, 0x44, 0x93, 0x15, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, 0x7A, 0x2A, 0x00, 0x00, 0x00,
    ];
    let t = decode(&plain, FormatHint::Only(Format::None), &NoKeys, &mut buf).unwrap();
    assert_eq!(Counter::of(&t), Some(Counter::AccessNumber(0x2A)));
    assert!(matches!(
        guard.accept_telegram(&t),
        Err(ReplayError::Unauthenticated(_))
    ));
    // The caller may still record it deliberately.
    guard
        .accept(Meter::of(&t), Counter::of(&t).unwrap())
        .unwrap();
    assert_eq!(guard.last_access_number(&Meter::of(&t)), Some(0x2A));
    // A TPL without header and no ELL carries no counter.
    let no_counter = [
        0x0C, 0x44, 0x93, 0x15, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, 0x78, 0x2F, 0x2F,
    ];
    let t = decode(
        &no_counter,
        FormatHint::Only(Format::None),
        &NoKeys,
        &mut buf,
    )
    .unwrap();
    assert_eq!(Counter::of(&t), None);
    assert!(matches!(
        guard.accept_telegram(&t),
        Err(ReplayError::NoCounter(_))
    ));
}

#[test]
fn mode5_access_number_is_checked_once_decrypted() {
    // Amber AMB8426-M manual example: mode 5, key 00 01 … 0F, ACC 0x35.
    let frame = [
        0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05,
        0x1E, 0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F, 0xE6, 0xC3,
        0xF7,
    ];
    let key = Key::new(core::array::from_fn(|i| i as u8));
    let mut guard = ReplayGuard::<2>::new();
    let mut buf = [0u8; 64];
    let t = decode(&frame, FormatHint::Auto, &key, &mut buf).unwrap();
    assert_eq!(Counter::of(&t), Some(Counter::AccessNumber(0x35)));
    guard.accept_telegram(&t).unwrap();
    let t = decode(&frame, FormatHint::Auto, &key, &mut buf).unwrap();
    assert_eq!(
        guard.accept_telegram(&t),
        Err(ReplayError::StaleAccessNumber {
            meter: Meter::of(&t),
            last: 0x35,
            received: 0x35
        })
    );
}

#[test]
fn third_party_mode7_vector_then_its_replay() {
    let Some(p) = webdyn_testkit::vectors("wmbus/wmbusmeters/_derived/shell_test_vectors.json")
    else {
        return;
    };
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let v = &v[0];
    let input = webdyn_testkit::hex(v["hex"].as_str().unwrap()).unwrap();
    let mut keys = KeyMap::new();
    keys.insert(
        0x4305_4304,
        Key::from_hex(v["key"].as_str().unwrap()).unwrap(),
    );
    let mut guard = ReplayGuard::<4>::new();
    let mut buf = [0u8; 256];
    for attempt in 0..2 {
        let t = decode(&input, FormatHint::Auto, &keys, &mut buf).unwrap();
        let r = guard.accept_telegram(&t);
        if attempt == 0 {
            assert!(r.unwrap().first_seen);
        } else {
            assert!(matches!(
                r,
                Err(ReplayError::Replayed {
                    last: 0x0002_5E89,
                    received: 0x0002_5E89,
                    ..
                })
            ));
        }
    }
}

/// What the guard should answer, with unbounded memory (the guard is
/// sized for every meter here, so it never evicts).
#[derive(Default)]
struct Model {
    mcr: HashMap<u32, u32>,
    acc: HashMap<u32, u8>,
}

impl Model {
    fn accept(&mut self, id: u32, c: Counter) -> bool {
        match c {
            Counter::Mcr(x) => {
                let ok = self.mcr.get(&id).is_none_or(|&l| x > l);
                if ok {
                    self.mcr.insert(id, x);
                }
                ok
            }
            Counter::AccessNumber(x) => {
                let ok = self
                    .acc
                    .get(&id)
                    .is_none_or(|&l| (1..=ACCESS_WINDOW).contains(&x.wrapping_sub(l)));
                if ok {
                    self.acc.insert(id, x);
                }
                ok
            }
        }
    }
}

fn meter(id: u32) -> Meter {
    Meter {
        manufacturer: 0x1593,
        address: dll::Address {
            id,
            version: 1,
            device_type: 7,
        },
    }
}

fn counter() -> impl Strategy<Value = Counter> {
    prop_oneof![
        (0u32..40).prop_map(Counter::Mcr),
        any::<u8>().prop_map(Counter::AccessNumber),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Without eviction the guard agrees with the model on every telegram.
    #[test]
    fn guard_matches_model(ops in proptest::collection::vec((0u32..6, counter()), 1..80)) {
        let mut guard = ReplayGuard::<6>::new();
        let mut model = Model::default();
        for (id, c) in ops {
            let expected = model.accept(id, c);
            let got = guard.accept(meter(id), c);
            prop_assert_eq!(got.is_ok(), expected, "{} {:?}", id, c);
            if let Ok(a) = got {
                prop_assert_eq!(a.evicted, None);
            }
        }
        for (id, &l) in &model.mcr {
            prop_assert_eq!(guard.last_mcr(&meter(*id)), Some(l));
        }
    }

    /// With more meters than slots: never more than N remembered, an
    /// accepted MCR is never accepted again for a meter that stayed
    /// remembered, and eviction only happens when the guard is full.
    #[test]
    fn bounded_guard_never_accepts_a_remembered_counter_twice(
        ops in proptest::collection::vec((0u32..10, 0u32..30), 1..120)
    ) {
        let mut guard = ReplayGuard::<4>::new();
        for (id, x) in ops {
            let m = meter(id);
            let last = guard.last_mcr(&m);
            let before = guard.len();
            match guard.accept(m, Counter::Mcr(x)) {
                Ok(a) => {
                    prop_assert!(last.is_none_or(|l| x > l));
                    prop_assert_eq!(a.first_seen, last.is_none());
                    prop_assert_eq!(a.evicted.is_some(), last.is_none() && before == 4);
                    prop_assert_eq!(guard.last_mcr(&m), Some(x));
                }
                Err(_) => prop_assert!(last.is_some_and(|l| x <= l)),
            }
            prop_assert!(guard.len() <= 4);
        }
    }
}
