//! Validate SunPM configuration and definition files, the way an installer
//! would before uploading them: `cargo run -p webdyn-examples --example
//! defs_check -- FILE...` (without arguments, checks built-in samples,
//! one of them damaged by Excel).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_defs::FileKind;
use webdyn_defs::any::AnyFile;

const GOOD_DEF: &str = "modbus;Meter;Webdyn;DemoMeter\n1;3;0;U32_W;;E-Total;;0.001;;kWh;4\n2;3;2;I16;;Power;cmdPower;;;W;2\n";
const EXCEL_DAQ: &str =
    "\u{feff}type,ip,mask,gateway,dns1,dns2\r\nLAN1,192.168.1.12,255.255.255.0,,,\r\n";

fn check(name: &str, text: &str) -> usize {
    let kind = FileKind::detect(name, text);
    let Some((file, _)) = AnyFile::parse(kind, text) else {
        println!("{name}: not a SunPM file name");
        return 1;
    };
    let problems = file.validate(None);
    for d in &problems {
        println!("{name}:{d}");
    }
    if problems.is_empty() {
        println!("{name}: ok ({})", kind.name());
    }
    problems.len()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut problems = 0;
    if args.is_empty() {
        problems += check("WPM00BDE4_DemoMeter.csv", GOOD_DEF);
        problems += check("WPM00BDE4_daq.csv", EXCEL_DAQ);
    } else {
        for a in &args {
            let text = std::fs::read_to_string(a).expect("a UTF-8 file");
            problems += check(a, &text);
        }
    }
    println!("{problems} problem(s)");
}
