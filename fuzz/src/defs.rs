//! Fuzz targets of webdyn-defs: one per file kind, plus the Modbus codec.
//!
//! Each file target checks the lossless promise (parse -> encode gives the
//! input back, byte for byte) and that validation never panics.

use crate::Target;
use webdyn_defs::FileKind;
use webdyn_defs::any::AnyFile;
use webdyn_defs::modbus::{Span, VarSpec, plan};

/// The webdyn-defs targets.
pub const TARGETS: &[Target] = &[
    ("defs_config", config),
    ("defs_var", var),
    ("defs_daq", daq),
    ("defs_scl", scl),
    ("defs_licence", licence),
    ("defs_def", def),
    ("defs_slave", slave),
    ("defs_codec", codec),
];

fn file(kind: FileKind, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Some((f, _)) = AnyFile::parse(kind, &text) else {
        return;
    };
    assert_eq!(
        f.encode(),
        text,
        "{kind:?} does not re-encode byte for byte"
    );
    let available = |n: &str| n.len() % 2 == 0;
    for d in f.validate(Some(&available)) {
        assert!(d.line >= 1 && d.col >= 1, "position must be 1-based: {d}");
        let _ = d.to_string();
    }
    let _ = webdyn_defs::damage::scan(&text, true).count();
    if let Ok(fixed) = webdyn_defs::damage::repair(&text) {
        assert!(!fixed.contains('\r'), "a repaired file has LF endings only");
    }
}

/// `_config.ini`.
pub fn config(data: &[u8]) {
    file(FileKind::Config, data);
}

/// `_var.ini`.
pub fn var(data: &[u8]) {
    file(FileKind::Var, data);
}

/// `_daq.csv`.
pub fn daq(data: &[u8]) {
    file(FileKind::Daq, data);
}

/// `_scl.ini`.
pub fn scl(data: &[u8]) {
    file(FileKind::Scl, data);
}

/// `_licence.ini`.
pub fn licence(data: &[u8]) {
    file(FileKind::Licence, data);
}

/// Definition files; also runs every Modbus row through the codec.
pub fn def(data: &[u8]) {
    file(FileKind::Definition, data);
    let text = String::from_utf8_lossy(data);
    let (f, _) = webdyn_defs::def::DefinitionFile::parse(&text);
    let mut spans: Vec<Span> = Vec::new();
    for v in f.variables() {
        if let Ok(s) = v.modbus() {
            let _ = s.decode(&[0x5a; 300]);
            spans.push(s.span());
        }
        let _ = v.io();
        let _ = v.coefficients().apply(1.0);
    }
    let total: u32 = spans.iter().map(|s| u32::from(s.count)).sum();
    let covered: u32 = plan(&mut spans).map(|r| u32::from(r.span.count)).sum();
    assert!(
        covered <= total,
        "a plan never reads more than the variables cover"
    );
}

/// Modbus slave mapping files.
pub fn slave(data: &[u8]) {
    file(FileKind::Slave, data);
}

const TYPES: [&str; 22] = [
    "U8", "I8", "U16", "I16_B", "U32", "I32_W", "U32_WB", "F32_B", "U64_W", "I64_WB", "F64",
    "F64_W", "String", "Bits", "IP", "IPV6", "MAC", "RAW", "U16_B", "F32_W", "I64", "U32_B",
];

/// The codec: first byte picks Info1/Info3, the next bytes up to `;` are
/// Info2, the rest is register data. Decode, re-encode, decode again.
pub fn codec(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let info1 = ["1", "2", "3", "4"][usize::from(sel & 3)];
    let info3 = TYPES[usize::from(sel >> 2) % TYPES.len()];
    let split = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    let (info2, regs) = rest.split_at(split);
    let info2 = String::from_utf8_lossy(info2);
    let Ok(spec) = VarSpec::parse(info1, &info2, info3) else {
        return;
    };
    let regs = regs.get(1..).unwrap_or(&[]);
    let Ok(v) = spec.decode(regs) else { return };
    let mut buf = regs.get(..spec.wire_len()).unwrap_or(&[]).to_vec();
    if spec.encode(&v, &mut buf).is_ok() {
        let again = spec.decode(&buf).expect("re-encoded data decodes");
        match (v, again) {
            (webdyn_defs::modbus::Value::Float(a), webdyn_defs::modbus::Value::Float(b))
                if a.is_nan() =>
            {
                assert!(b.is_nan())
            }
            (a, b) => assert_eq!(a, b),
        }
    }
}
