//! Decode the data records of an M-Bus telegram and print them, then build
//! a record with the encoder.
//!
//! ```text
//! cargo run -p webdyn-examples --example mbus_records              # built-in heat-meter frame
//! cargo run -p webdyn-examples --example mbus_records -- 6808086808...16   # your wired or wireless frame (hex)
//! ```
//!
//! The built-in frame is a wired long frame (`68 L L 68 C A CI … CS 16`)
//! with a long TPL header and records written for this example from the
//! EN 13757-3 tables: energy, volume, temperatures, a due date, a tariff
//! register and a plain-text unit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use webdyn_wmbus::app::{Coding, Decimal, Function, RecordKind, RecordRepr, Records, Value};
use webdyn_wmbus::frame::FormatHint;
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::telegram;

fn sample_frame() -> Vec<u8> {
    let mut body = vec![
        0x08, 0x01, 0x72, // C = RSP_UD, A = 1, CI = variable data, long header
        0x78, 0x56, 0x34, 0x12, // identification 12345678
        0x2D, 0x2C, // manufacturer KAM
        0x01, 0x04, // version 1, medium heat (outlet)
        0x2A, 0x00, 0x00, 0x00, // access number 42, status, signature
    ];
    body.extend([
        0x0C, 0x06, 0x12, 0x34, 0x05, 0x00, // energy: 8-digit BCD, kWh -> 53412 kWh
        0x0C, 0x14, 0x45, 0x23, 0x01, 0x00, // volume: 8-digit BCD, 10 l -> 123.45 m3
        0x02, 0x5A, 0xD2, 0x02, // flow temperature: 16-bit, 0.1 °C -> 72.2 °C
        0x02, 0x5E, 0x9F, 0x01, // return temperature: 41.5 °C
        0x42, 0x6C, 0xFF, 0x2C, // storage 1, date type G: 2023-12-31
        0x4C, 0x06, 0x00, 0x00, 0x05, 0x00, // storage 1: energy at the due date, 50000 kWh
        0x84, 0x10, 0x06, 0x10, 0x27, 0x00, 0x00, // tariff 1: 32-bit energy, 10000 kWh
        0x02, 0xFC, 0x03, b'h', b'/', b'l', 0x74, 0x2C,
        0x01, // plain-text unit "l/h", ×10^-2: 3.00
        0x2F, 0x2F, // idle fillers
    ]);
    let cs = body.iter().fold(0u8, |s, b| s.wrapping_add(*b));
    let l = body.len() as u8;
    let mut f = vec![0x68, l, l, 0x68];
    f.extend(body);
    f.extend([cs, 0x16]);
    f
}

fn main() {
    let frame = match std::env::args().nth(1) {
        Some(hex) => {
            let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            digits
                .chunks(2)
                .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).expect("hex"))
                .collect()
        }
        None => sample_frame(),
    };
    let mut buf = vec![0u8; frame.len()];
    let t = match telegram::decode(&frame, FormatHint::Auto, &NoKeys, &mut buf) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("not a telegram: {e}");
            std::process::exit(1);
        }
    };
    let (m, a) = t.meter();
    let man = webdyn_wmbus::manufacturer_code(m);
    println!(
        "meter {} {:08X}, version {}, device type 0x{:02X}, CI 0x{:02X}",
        String::from_utf8_lossy(&man),
        a.id,
        a.version,
        a.device_type,
        t.ci
    );
    if !t.is_readable() {
        println!("encrypted, no key: records not readable");
        return;
    }
    println!(
        "offset storage  tariff  function       quantity                                    value unit"
    );
    for r in Records::new(t.apl()) {
        match r {
            Ok(r) => {
                let unit = match r.vif.plain_text() {
                    Some(text) => text.to_string(),
                    None => r.unit().to_string(),
                };
                println!(
                    "{:<6} {:<8} {:<7} {:<14} {:<26} {:>22} {}",
                    r.offset(),
                    r.storage,
                    r.tariff,
                    r.function.name(),
                    r.quantity().name(),
                    r.value.to_string(),
                    unit
                );
            }
            Err(e) => {
                println!("error: {e}");
                break;
            }
        }
    }

    // Encoding: an energy register of tariff 2, storage 3, in Wh (VIF 0x03),
    // as a 32-bit integer.
    let record = RecordRepr {
        kind: RecordKind::Data,
        coding: Coding::Int32,
        storage: 3,
        tariff: 2,
        subunit: 0,
        function: Function::Instantaneous,
        vib: &[0x03],
        value: Value::Number(Decimal::new(123_456, 0)),
    };
    let mut out = [0u8; 32];
    let n = record.emit(&mut out).unwrap();
    let hex: Vec<String> = out[..n].iter().map(|b| format!("{b:02X}")).collect();
    println!("encoded record: {}", hex.join(" "));
    let back = Records::new(&out[..n]).next().unwrap().unwrap();
    assert_eq!(back.repr(), record);
    println!(
        "decoded again: storage {} tariff {} = {} {}",
        back.storage,
        back.tariff,
        back.value,
        back.unit()
    );
}
