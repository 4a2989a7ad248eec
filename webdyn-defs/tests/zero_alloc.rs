//! The no_std core allocates nothing: tokenizers, damage scan, codec, planner.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_defs::modbus::{Span, Value, VarSpec, plan};
use webdyn_defs::{damage, text};
use webdyn_testkit::CountingAllocator;

#[global_allocator]
static A: CountingAllocator = CountingAllocator::new();

#[test]
fn core_paths_do_not_allocate() {
    let daq = "\u{feff}type;ip;mask\r\nLAN1,192.168.1.12;\"x\"\r\nSCHEDULE_Params[3]=4|middle|01:00:00|600|2\n";
    let ((), n) = A.count(|| {
        let mut fields = 0;
        for l in text::lines(daq) {
            fields += text::fields(l.text).count();
            let _ = text::ini_entry(l.text);
        }
        assert_eq!(fields, 3 + 2 + 1);
        assert_eq!(text::ini_entries("A=1\nB[2]=x\n").count(), 2);
        assert_eq!(damage::scan(daq, true).count(), 3);
        let spec = VarSpec::parse("3", "40000", "F32_W").unwrap();
        assert_eq!(
            spec.decode(&[0x80, 0x00, 0x43, 0x66]).unwrap(),
            Value::Float(230.5)
        );
        let mut out = [0u8; 4];
        spec.encode(&Value::Float(230.5), &mut out).unwrap();
        let mut spans = [
            spec.span(),
            VarSpec::parse("3", "40002_8", "String").unwrap().span(),
            Span {
                start: 1,
                ..spec.span()
            },
        ];
        assert_eq!(plan(&mut spans).count(), 2);
    });
    assert_eq!(n, 0, "the core allocated {n} times");
}
