//! A software-radio receive loop for wireless M-Bus T1: raw chips in,
//! verified and replay-checked readings out.
//!
//! ```text
//! cargo run -p webdyn-examples --example wmbus_radio
//! ```
//!
//! It builds its own capture: three OMS mode-7 telegrams of one meter
//! (message counters 41, 42, then 42 again, a replay), each framed in
//! format A, 3-out-of-6 coded behind a T1 preamble and sync word, with
//! noise between them. The loop reads the capture in small chunks as a
//! radio driver would deliver it, finds each sync word
//! ([`syncword::scan`]), line-decodes the frame, decodes and verifies it
//! (AES-CBC, AFL CMAC) and lets a [`ReplayGuard`] reject the replay.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_wmbus::app::Records;
use webdyn_wmbus::encode::{TelegramRepr, encode};
use webdyn_wmbus::frame::{Format, FormatHint};
use webdyn_wmbus::phy::{self, Polarity};
use webdyn_wmbus::replay::{Meter, ReplayGuard};
use webdyn_wmbus::security::{Key, KeyMap};
use webdyn_wmbus::syncword::{self, Scan};
use webdyn_wmbus::telegram::decode;
use webdyn_wmbus::{afl, dll, tpl};

const METER_ID: u32 = 0x4433_2211;

/// A mode-7 telegram (AFL with message counter and 8-byte CMAC) holding a
/// volume of `liters` liters, framed in format A.
fn telegram(key: &Key, mcr: u32, liters: u32) -> Vec<u8> {
    let mut apl = vec![0x2F, 0x2F, 0x04, 0x13];
    apl.extend_from_slice(&liters.to_le_bytes());
    apl.resize(16, 0x2F);
    let a = afl::Repr {
        fcl: 0,
        mcl: Some(0x25),
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
            manufacturer: webdyn_wmbus::manufacturer_field(*b"KAM").unwrap(),
            address: dll::Address {
                id: METER_ID,
                version: 0x1B,
                device_type: 0x07,
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
                access_number: mcr as u8,
                status: 0,
                config: tpl::Config::encrypted(7, 1, 0).0,
            }),
            config_ext: Some(0x10),
        },
        apl: &apl,
    };
    let (mut scratch, mut air) = ([0u8; 256], [0u8; 300]);
    let n = encode(&repr, Format::A, Some(key), &mut scratch, &mut air).unwrap();
    air[..n].to_vec()
}

/// Chips, written bit by bit.
#[derive(Default)]
struct Capture {
    bits: Vec<bool>,
}

impl Capture {
    fn push(&mut self, value: u64, n: usize) {
        self.bits
            .extend((0..n).rev().map(|i| (value >> i) & 1 == 1));
    }
    /// T1: `01` x 19 or more, the sync word 0000111101, 12 chips per byte.
    fn t1_frame(&mut self, frame: &[u8]) {
        for _ in 0..24 {
            self.push(0b01, 2);
        }
        self.push(0x03D, 10);
        let mut coded = vec![0u8; phy::len_3of6(frame.len())];
        phy::encode_3of6(frame, &mut coded).unwrap();
        let bits = coded
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1 == 1));
        self.bits.extend(bits.take(frame.len() * 12));
    }
    fn packed(&self) -> Vec<u8> {
        self.bits
            .chunks(8)
            .map(|c| {
                c.iter()
                    .enumerate()
                    .fold(0u8, |a, (i, &b)| a | (u8::from(b) << (7 - i)))
            })
            .collect()
    }
}

fn main() {
    let key = Key::new(*b"example key 16 B");
    let mut keys = KeyMap::new();
    keys.insert(METER_ID, key.clone());

    let mut capture = Capture::default();
    let first = telegram(&key, 41, 123_456);
    for (i, frame) in [first.clone(), telegram(&key, 42, 123_470), first]
        .iter()
        .enumerate()
    {
        capture.push(0, 37 + 11 * i); // silence, at odd bit offsets
        capture.t1_frame(frame);
    }
    capture.push(0, 40);
    let chips = capture.packed();
    println!("capture: {} chips", chips.len() * 8);

    let mut guard = ReplayGuard::<32>::new();
    let mut buf: Vec<u8> = Vec::new();
    // Chip bytes dropped from the front of `buf`, to report positions in
    // the whole capture.
    let mut dropped = 0usize;
    for chunk in chips.chunks(16) {
        buf.extend_from_slice(chunk);
        loop {
            match syncword::scan(&buf, 0, 38) {
                Scan::Found(s) => {
                    let mut frame = [0u8; 300];
                    let n = match s.decode_frame(&buf, Polarity::default(), &mut frame) {
                        Ok(n) => n,
                        // The frame continues in the next chunk.
                        Err(e) if matches!(e.kind, webdyn_wmbus::ErrorKind::Truncated { .. }) => {
                            break;
                        }
                        Err(e) => {
                            println!("bad line code: {e}");
                            dropped += s.data_at / 8;
                            buf.drain(..s.data_at / 8);
                            continue;
                        }
                    };
                    let used = (s.data_at + n * s.mode.chips_per_byte()) / 8;
                    report(&frame[..n], &keys, &mut guard, s, dropped * 8);
                    dropped += used;
                    buf.drain(..used);
                }
                Scan::NeedMore { .. } => break,
                Scan::NotFound { keep_from } => {
                    dropped += keep_from / 8;
                    buf.drain(..keep_from / 8);
                    break;
                }
            }
        }
    }
}

fn report(
    frame: &[u8],
    keys: &KeyMap,
    guard: &mut ReplayGuard<32>,
    s: syncword::Sync,
    base: usize,
) {
    let mut out = [0u8; 300];
    let t = match decode(frame, FormatHint::Only(s.format), keys, &mut out) {
        Ok(t) => t,
        Err(e) => return println!("{:?} frame rejected: {e}", s.mode),
    };
    let meter = Meter::of(&t);
    let mcr = t.afl.and_then(|a| a.mcr).unwrap_or_default();
    match guard.accept_telegram(&t) {
        Ok(_) => {
            let volume = Records::new(t.apl())
                .flatten()
                .find_map(|r| r.value.as_f64().map(|v| format!("{v} {}", r.unit())));
            println!(
                "{:?}{:?} at chip {}: {meter}, counter {mcr}, MAC verified: {}, volume {}",
                s.mode,
                s.format,
                base + s.data_at,
                t.security.mac_verified,
                volume.unwrap_or_default()
            );
        }
        Err(e) => println!("{:?}{:?}: rejected: {e}", s.mode, s.format),
    }
}
