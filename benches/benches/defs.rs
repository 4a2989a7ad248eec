//! SunPM definition files and the Modbus value codec (no peer crate exists:
//! absolute numbers only).
//!
//! * parse + validate a generated 5000-variable Modbus definition file;
//! * parse + validate a generated 250-device `_daq.csv` (with the
//!   definition-file existence check);
//! * decode 1 million Modbus variables through the codec (mixed types and
//!   swaps, scale factor and coefficients applied).
//!
//! cargo bench -p webdyn-benches --bench defs -- --warm-up-time 1 --measurement-time 3
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use webdyn_defs::daq::DaqFile;
use webdyn_defs::def::DefinitionFile;
use webdyn_defs::modbus::{Coefficients, VarSpec, scale};

const TYPES: [(&str, u16); 12] = [
    ("U16", 1),
    ("I16", 1),
    ("U32", 2),
    ("I32_W", 2),
    ("F32_WB", 2),
    ("U64_W", 4),
    ("F64", 4),
    ("U16_B", 1),
    ("String", 8),
    ("Bits", 1),
    ("IP", 2),
    ("U8", 1),
];

fn definition(n: usize) -> String {
    let mut s = String::from("modbusTCP;Inverter;Webdyn;Bench;0\n");
    let mut reg = 0u32;
    for i in 0..n {
        let (ty, regs) = TYPES[i % TYPES.len()];
        let info2 = match ty {
            "String" => format!("{reg}_16"),
            "Bits" => format!("{reg}_3_4"),
            "U8" => format!("{reg}_1"),
            _ => reg.to_string(),
        };
        let coef = if i % 3 == 0 { "0.1" } else { "" };
        writeln!(
            s,
            "{i};3;{info2};{ty};;var_{i};tag_{i};{coef};;W;{}",
            [1, 2, 4, 8][i % 4]
        )
        .unwrap();
        reg = (reg + u32::from(regs) + u32::from(i % 7 == 0)) % 60000;
    }
    s
}

fn daq(n: usize) -> String {
    let mut s = String::from(
        "type;pin;apn;login;password;authentication;server;dns\nMODEM;;m2minternet;;;none;;\n\
         type;ip;mask;gateway;dns1;dns2\nLAN1;192.168.1.12;255.255.255.0;192.168.1.1;192.168.1.1;\ntcpInterFrameMs;0\n\
         type;baudrate;data_bits;parity;stop_bits;wires;protocol;interframe(ms);forwarded_port\n\
         SERIAL1;19200;8;N;1;2;modbusRTU;0;\nSERIAL2;9600;8;E;1;2;modbusRTU;0;\nSERIAL3;1200;8;N;1;4;SMANET;0;\n\
         index;interface;name;address;acqPeriod(s);timeout(ms);serialNumber;parameters;tag;model;defFile\n\
         IO;;Io;;600;;;;WebdynSunPM;ioSunPM;WPM00BDE4_IO.csv\n",
    );
    for i in 0..n {
        let iface = match i % 3 {
            0 => format!("192.168.1.{}:502", 20 + i % 200),
            1 => String::from("SERIAL1"),
            _ => String::from("SERIAL2"),
        };
        writeln!(
            s,
            "{i};{iface};device_{i};{};600;1000;SN{i:06};1;Inverter;Model{};WPM00BDE4_Model{}.csv",
            1 + i % 247,
            i % 20,
            i % 20
        )
        .unwrap();
    }
    s
}

fn bench(c: &mut Criterion) {
    let def = definition(5000);
    let mut g = c.benchmark_group("defs");
    g.throughput(Throughput::Bytes(def.len() as u64));
    g.bench_function("definition_5000_parse_validate", |b| {
        b.iter(|| {
            let (f, _) = DefinitionFile::parse(black_box(&def));
            let d = f.validate();
            assert!(d.is_empty(), "{:?}", d.first());
            d.len()
        })
    });
    g.bench_function("definition_5000_parse_only", |b| {
        b.iter(|| DefinitionFile::parse(black_box(&def)).0.lines.len())
    });
    g.bench_function("definition_5000_encode", |b| {
        let (f, _) = DefinitionFile::parse(&def);
        b.iter(|| black_box(&f).encode().len())
    });
    let daq = daq(250);
    let available = |n: &str| n.starts_with("WPM00BDE4_");
    g.throughput(Throughput::Bytes(daq.len() as u64));
    g.bench_function("daq_250_parse_validate", |b| {
        b.iter(|| {
            let (f, _) = DaqFile::parse(black_box(&daq));
            let d = f.validate_with(Some(&available));
            assert!(d.is_empty(), "{:?}", d.first());
            d.len()
        })
    });

    // 1000 variables over a register image, decoded 1000 times = 1 million.
    let (f, _) = DefinitionFile::parse(&definition(1000));
    let vars: Vec<(VarSpec, Coefficients<'_>)> = f
        .variables()
        .map(|v| (v.modbus().unwrap(), v.coefficients()))
        .collect();
    let image: Vec<u8> = (0..2 * 65536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let slices: Vec<&[u8]> = vars
        .iter()
        .map(|(s, _)| &image[2 * usize::from(s.location.register())..])
        .collect();
    g.throughput(Throughput::Elements(1_000_000));
    g.bench_function("codec_decode_1m_variables", |b| {
        b.iter(|| {
            let mut acc = 0.0f64;
            for _ in 0..1000 {
                for ((spec, coef), data) in vars.iter().zip(&slices) {
                    let v = spec.decode(black_box(data)).unwrap();
                    if let Some(x) = v.as_f64().and_then(|x| scale(x, -1)) {
                        acc += coef.apply(x);
                    }
                }
            }
            acc
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
