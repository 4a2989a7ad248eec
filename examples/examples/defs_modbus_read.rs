//! From a definition file to engineering values: plan the Modbus reads the
//! way the gateway does, then decode each variable (swaps, SunSpec scale
//! factor named in Info4, CoefA/CoefB) from the register bytes.
//!
//! `cargo run -p webdyn-examples --example defs_modbus_read`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_defs::def::DefinitionFile;
use webdyn_defs::modbus::{Span, Value, plan, scale};

const DEF: &str = "modbusTCP;Inverter;Webdyn;Demo
1;3;40000;I16;W_SF;W;;;;W;4
2;3;40001;I16;;W_SF;;;;;1
3;3;40002;F32_W;;Hz;;;;Hz;4
4;3;40010_8;String;;Serial;;;;;1
5;4;30000;U16;;Temp;;0.1;-40;degC;4
";

fn main() {
    let (def, _) = DefinitionFile::parse(DEF);
    assert!(def.validate().is_empty());
    let vars: Vec<_> = def.variables().collect();

    let mut spans: Vec<Span> = vars.iter().map(|v| v.modbus().unwrap().span()).collect();
    for r in plan(&mut spans) {
        println!(
            "read FC {:#04x} start {} count {}",
            r.function, r.span.start, r.span.count
        );
    }

    // What the device answered, register by register (big-endian).
    let holding = |reg: u16| -> Vec<u8> {
        let mut image = [0u8; 2 * 20];
        image[0..2].copy_from_slice(&2305i16.to_be_bytes()); // W
        image[2..4].copy_from_slice(&(-1i16).to_be_bytes()); // W_SF
        image[4..8].copy_from_slice(&[0x00, 0x00, 0x42, 0x48]); // 50.0, words swapped
        image[20..28].copy_from_slice(b"SN-42\0\0\0");
        image[2 * usize::from(reg - 40000)..].to_vec()
    };
    let input = 650u16.to_be_bytes();

    for v in &vars {
        let spec = v.modbus().unwrap();
        let reg = spec.location.register();
        let data = if reg >= 40000 {
            holding(reg)
        } else {
            input.to_vec()
        };
        let value = spec.decode(&data).unwrap();
        if let Value::Text(_) = value {
            println!("{:<8} = {:?}", v.name, value.text().unwrap());
            continue;
        }
        let mut x = value.as_f64().unwrap();
        if !v.info4.is_empty() {
            let sf_var = vars.iter().find(|s| s.name == v.info4).unwrap();
            let sf_spec = sf_var.modbus().unwrap();
            let sf_data = holding(sf_spec.location.register());
            let sf = sf_spec.decode(&sf_data).unwrap();
            x = scale(x, sf.as_f64().unwrap() as i16).unwrap();
        }
        let c = v.coefficients();
        println!("{:<8} = {} {}", v.name, c.apply(x), c.unit);
    }
}
