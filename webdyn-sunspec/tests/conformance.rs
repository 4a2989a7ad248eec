//! Conformance against third-party SunSpec material read from
//! `../shared/vectors/sunspec` (never copied into this repository):
//! the official model definitions (sunspec/models JSON), the register maps
//! of pysunspec v1's tests (including a real Fronius dump), and the device
//! images of pysunspec2.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::Path;

use webdyn_sunspec::json::ModelJson;
use webdyn_sunspec::model::{self, Scaled};
use webdyn_sunspec::scan::Models;
use webdyn_sunspec::{PointType, RegisterImage, Value};

fn load_model(dir: &Path, id: u16) -> Option<ModelJson> {
    let text = std::fs::read_to_string(dir.join(format!("model_{id}.json"))).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

/// Every official model definition loads, and uses only known point types.
#[test]
fn every_official_model_definition_loads() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/sunspec-models/json") else {
        return;
    };
    let mut loaded = 0;
    for path in webdyn_testkit::files_with_suffix(&dir, ".json") {
        if path.file_name().unwrap() == "schema.json" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let m: ModelJson =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fn check(g: &webdyn_sunspec::json::GroupJson, file: &Path) {
            for p in &g.points {
                let ty = PointType::from_name(&p.ty)
                    .unwrap_or_else(|| panic!("{}: unknown type {}", file.display(), p.ty));
                if let Some(size) = ty.fixed_size() {
                    assert_eq!(size, p.size, "{}: {} size", file.display(), p.name);
                }
            }
            for s in &g.groups {
                check(s, file);
            }
        }
        check(&m.group, &path);
        loaded += 1;
    }
    println!("loaded {loaded} official model definitions");
    // 114 files in the pinned sunspec/models commit, minus the JSON schema.
    assert!(loaded >= 100, "only {loaded} models loaded");
}

/// The built-in tables (models 1, 101, 102, 103) agree point for point with
/// the official definitions: name, offset, type, size, scale factor, unit and
/// whether the point is mandatory.
#[test]
fn builtin_tables_match_official_definitions() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/sunspec-models/json") else {
        return;
    };
    for def in model::BUILTIN {
        let official = load_model(&dir, def.id).unwrap();
        assert_eq!(official.group.name, def.name, "model {}", def.id);
        assert_eq!(
            official.group.points.len(),
            def.points.len(),
            "model {}",
            def.id
        );
        let mut offset = 0u16;
        for (o, b) in official.group.points.iter().zip(def.points) {
            assert_eq!(o.name, b.name, "model {}", def.id);
            assert_eq!(offset, b.offset, "model {} point {}", def.id, b.name);
            assert_eq!(
                PointType::from_name(&o.ty),
                Some(b.ty),
                "model {} point {}",
                def.id,
                b.name
            );
            assert_eq!(o.size, b.size, "model {} point {}", def.id, b.name);
            let sf = match &o.sf {
                Some(webdyn_sunspec::json::SfRef::Point(s)) => Some(s.as_str()),
                _ => None,
            };
            assert_eq!(sf, b.sf, "model {} point {}", def.id, b.name);
            assert_eq!(
                o.units.as_deref(),
                b.units,
                "model {} point {}",
                def.id,
                b.name
            );
            assert_eq!(
                o.mandatory.as_deref() == Some("M"),
                b.mandatory,
                "model {} point {}",
                def.id,
                b.name
            );
            offset += o.size;
        }
        assert_eq!(offset, def.len + 2, "model {} length", def.id);
    }
}

/// One `<regs>` element of a pysunspec v1 register map.
fn push_regs(out: &mut Vec<u8>, attrs: &str, text: &str) {
    let attr = |name: &str| -> Option<String> {
        let key = format!("{name}=\"");
        let start = attrs.find(&key)? + key.len();
        let end = attrs[start..].find('"')? + start;
        Some(attrs[start..end].to_string())
    };
    let int = |t: &str| -> i128 {
        let t = t.trim();
        if let Some(h) = t.strip_prefix("0x") {
            i128::from_str_radix(h, 16).unwrap()
        } else {
            t.parse().unwrap()
        }
    };
    match attr("type").as_deref() {
        None => out.extend(webdyn_testkit::hex(text).unwrap()),
        Some("string") => {
            let regs: usize = attr("len").unwrap().parse().unwrap();
            let mut b = text.as_bytes().to_vec();
            b.resize(regs * 2, 0);
            out.extend(b);
        }
        Some("u16") | Some("s16") => out.extend(&(int(text) as u16).to_be_bytes()),
        Some("u32") | Some("s32") => out.extend(&(int(text) as u32).to_be_bytes()),
        Some("u64") | Some("s64") => out.extend(&(int(text) as u64).to_be_bytes()),
        Some("f32") => out.extend(&text.trim().parse::<f32>().unwrap().to_be_bytes()),
        Some(other) => panic!("unknown regs type {other}"),
    }
}

/// A parsed map: the image bytes and, for each `<regs>` that carries a
/// `<point .../>` comment, the register index, the point attributes and the
/// value written in the file.
struct Map {
    bytes: Vec<u8>,
    points: Vec<(usize, String, String)>,
}

fn parse_mbmap(text: &str) -> Map {
    let mut bytes = Vec::new();
    let mut points = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("<regs") {
        rest = &rest[i + 5..];
        let close = rest.find('>').unwrap();
        let attrs = rest[..close].to_string();
        let end = rest.find("</regs>").unwrap();
        let body = rest[close + 1..end].to_string();
        // An explicit offset places the element; skipped registers read 0.
        if let Some(off) = attr(&format!(" {attrs}"), "offset") {
            let off: usize = off.parse().unwrap();
            if off * 2 > bytes.len() {
                bytes.resize(off * 2, 0);
            }
            bytes.truncate(off * 2);
        }
        let at = bytes.len() / 2;
        push_regs(&mut bytes, &attrs, &body);
        rest = &rest[end + 7..];
        // A trailing comment on the same line documents the point.
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..line_end];
        if let Some(p) = line.find("<point ") {
            let q = line[p..].find("/>").map(|e| p + e).unwrap_or(line.len());
            // Some maps write raw hex and state the intended value after a
            // '#' in the comment: that stated value is the expectation.
            let stated = line[..p]
                .rfind('#')
                .map(|h| line[h + 1..p].trim().to_string());
            let expect = stated.unwrap_or_else(|| body.trim().to_string());
            points.push((at, line[p..q].to_string(), expect));
        }
    }
    Map { bytes, points }
}

fn attr(s: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = s.find(&key)? + key.len();
    let end = s[start..].find('"')? + start;
    Some(s[start..end].to_string())
}

/// The pysunspec v1 test maps: the model chain walks end to end, and every
/// documented point decodes, through its declared type, to the value the map
/// file wrote (or to "not implemented" where it wrote the type's sentinel).
#[test]
fn pysunspec_register_maps_decode_point_by_point() {
    let Some(dir) = webdyn_testkit::vectors("sunspec/pysunspec-v1/sunspec/core/test/devices")
    else {
        return;
    };
    let mut checked = 0;
    for path in webdyn_testkit::files_with_suffix(&dir, ".xml") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("processed") {
            continue; // one opaque hex blob of another map
        }
        let map = parse_mbmap(&std::fs::read_to_string(&path).unwrap());
        let image = RegisterImage::new(40000, &map.bytes[..]).unwrap();
        let mut headers = Vec::new();
        for h in Models::new(&image).unwrap() {
            match h {
                Ok(h) => headers.push(h),
                // device_1_c and _d are the same map cut short: the walk must
                // say that the last model overruns the image, not invent data.
                Err(e @ webdyn_sunspec::Error::ModelOverrun { .. }) => {
                    assert!(
                        name.ends_with("_c.xml") || name.ends_with("_d.xml"),
                        "{name}: {e}"
                    );
                }
                Err(e) => panic!("{name}: {e}"),
            }
        }
        assert!(!headers.is_empty(), "{name}");
        assert_eq!(headers[0].id, 1, "{name}: the common model comes first");
        for (reg, point, text) in &map.points {
            let ty_name = attr(point, "type").unwrap();
            let Some(ty) = PointType::from_name(&ty_name) else {
                continue;
            };
            let size = match ty.fixed_size() {
                Some(s) => usize::from(s),
                None => attr(point, "len").map(|l| l.parse().unwrap()).unwrap_or(1),
            };
            let Some(raw) = map.bytes.get(reg * 2..reg * 2 + size * 2) else {
                continue;
            };
            let value = ty.decode(raw).unwrap();
            let id = attr(point, "id").unwrap();
            match value {
                Value::NotImplemented => {
                    // The file must have written the type's sentinel.
                    let t = text.to_ascii_lowercase();
                    let sentinel = [
                        "0x8000",
                        "-32768",
                        "0xffff",
                        "65535",
                        "0",
                        "0xffffffff",
                        "4294967295",
                        "0x80000000",
                        "-2147483648",
                        "nan",
                        "0x8000000000000000",
                        "-9223372036854775808",
                        "0xffffffffffffffff",
                        "18446744073709551615",
                        "0x7fc00000",
                        "",
                    ];
                    assert!(
                        sentinel.contains(&t.as_str()),
                        "{name}: {id} decoded as not implemented from {text:?}"
                    );
                }
                Value::Int(v) => assert_eq!(v as i128, parse_num(text), "{name}: {id} {text:?}"),
                Value::Uint(v) => {
                    let expect = parse_num(text);
                    // The file writes some unsigned points through signed
                    // element types: compare modulo the point width.
                    let bits = 16 * size as u32;
                    let mask = if bits >= 128 {
                        -1i128
                    } else {
                        (1i128 << bits) - 1
                    };
                    assert_eq!(v as i128, expect & mask, "{name}: {id}");
                }
                Value::Float(v) => assert!(
                    (v - text.parse::<f64>().unwrap()).abs() < 1e-3,
                    "{name}: {id}"
                ),
                Value::Text(t) => assert_eq!(std::str::from_utf8(t).unwrap(), text, "{name}: {id}"),
                Value::Bytes(_) => {}
            }
            checked += 1;
        }
    }
    println!("checked {checked} documented points");
    assert!(checked > 300, "only {checked} points checked");
}

fn parse_num(t: &str) -> i128 {
    let t = t.trim();
    match t.strip_prefix("0x") {
        Some(h) => i128::from_str_radix(h, 16).unwrap(),
        None => t.parse().unwrap(),
    }
}

/// The real Fronius dump: the chain holds the models the device documents,
/// every model decodes through its official definition (repeating curves
/// included), and hand-computed values come out exactly.
#[test]
fn fronius_dump_decodes_with_official_definitions() {
    let Some(dir) = webdyn_testkit::vectors("sunspec") else {
        return;
    };
    let map = parse_mbmap(
        &std::fs::read_to_string(
            dir.join("pysunspec-v1/sunspec/core/test/devices/mbmap_fronius.xml"),
        )
        .unwrap(),
    );
    let image = RegisterImage::new(40000, &map.bytes[..]).unwrap();
    let headers: Vec<_> = Models::new(&image)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let ids: Vec<u16> = headers.iter().map(|h| h.id).collect();
    assert_eq!(&ids[..8], &[1, 101, 120, 121, 122, 123, 126, 131]);

    let defs = dir.join("sunspec-models/json");
    for h in &headers {
        let Some(def) = load_model(&defs, h.id) else {
            continue;
        };
        let points = def
            .decode(&image, h.addr, h.len)
            .unwrap_or_else(|e| panic!("model {}: {e}", h.id));
        assert!(!points.is_empty());
        if h.id == 1 {
            let mn = points.iter().find(|p| p.path == "Mn").unwrap();
            assert_eq!(mn.value, Value::Text(b"Fronius"));
        }
        if h.id == 101 {
            // Registers after the header: 02 25 | 02 25 | FF FF | FF FF | FF FE
            // A = 0x0225 = 549 with A_SF = -2: 5.49 A; phase B not implemented.
            let get = |n: &str| points.iter().find(|p| p.path == n).unwrap();
            assert_eq!(get("A").scaled.unwrap().to_string(), "5.49");
            assert_eq!(get("AphB").value, Value::NotImplemented);
            // The built-in table gives the same answer as the JSON one.
            let b = model::builtin(101).unwrap();
            let a = b
                .decode(&image, h.addr)
                .find(|p| p.def.name == "A")
                .unwrap();
            assert_eq!(
                a.scaled,
                Some(Scaled::Decimal {
                    mantissa: 549,
                    exponent: -2
                })
            );
        }
        if h.id == 126 {
            // Volt-var curves repeat: every curve instance decodes.
            assert!(
                points.iter().any(|p| p.path.starts_with("curve[2].")),
                "model 126 curves"
            );
        }
    }
}
