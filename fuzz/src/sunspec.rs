//! Fuzz targets of webdyn-sunspec.

use crate::Target;
use webdyn_sunspec::image::ReadMask;
use webdyn_sunspec::json::{Count, GroupJson, ModelJson, PointJson, SfRef, SymbolJson};
use webdyn_sunspec::model::{MaskedPoint, Scaled};
use webdyn_sunspec::patch;
use webdyn_sunspec::point::{PointType, Value};
use webdyn_sunspec::scan::{Discovery, Models, SMA_UNIT_ID, UnitScan};
use webdyn_sunspec::write::{Access, WriteTarget};
use webdyn_sunspec::{RegisterImage, model};

/// The SunSpec targets.
pub const TARGETS: &[Target] = &[
    ("sunspec_image", image),
    ("sunspec_write", write),
    ("sunspec_patch", patch_and_decode),
];

/// Any bytes as a register image at each base address: walk the chain,
/// decode built-in models (plainly and through a mask of holes taken from
/// the first bytes), run the discovery machine and a two-unit scan.
pub fn image(data: &[u8]) {
    let even = data.get(..data.len() & !1).unwrap_or(&[]);
    // Up to two holes, from the first four bytes, inside the model area.
    let hole = |i: usize| {
        let start = 40000 + u32::from(*data.get(i).unwrap_or(&0));
        start..start + u32::from(*data.get(i + 1).unwrap_or(&0) % 8)
    };
    let holes = [hole(0), hole(2)];
    let mask = ReadMask::new(&holes);
    for base in [0u32, 40000, 50000] {
        let Ok(img) = RegisterImage::new(base, even) else {
            continue;
        };
        if let Ok(models) = Models::new(&img) {
            for h in models.flatten() {
                if let Some(def) = model::builtin(h.id) {
                    for p in def.decode_model(&img, &h) {
                        if let Some(s) = p.scaled {
                            let _ = s.to_string();
                        }
                        let _ = def.symbol_of(&p);
                        let _ = def.flags_of(&p).map(Iterator::count);
                    }
                    for p in def.decode_masked(&img, &h, mask) {
                        if let MaskedPoint::Read(p) = p {
                            let _ = p.scaled.map(|s| s.to_f64());
                        }
                    }
                }
            }
        }
        let mut d = Discovery::new();
        let mut steps = 0;
        while let Some(req) = d.next_request() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            match img.regs(req.addr, usize::from(req.count)) {
                Some(r) => {
                    if d.on_response(r).is_err() {
                        break;
                    }
                }
                None => {
                    d.on_failure();
                }
            }
        }
        // Unit 1 never answers; unit 126 serves the image.
        let mut scan = UnitScan::new(&[1, SMA_UNIT_ID]);
        let mut steps = 0;
        while let Some(req) = scan.next_request() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            let answer = (req.unit == SMA_UNIT_ID)
                .then(|| img.regs(req.addr, usize::from(req.count)))
                .flatten();
            match answer {
                Some(r) => {
                    if scan.on_response(r).is_err() {
                        break;
                    }
                }
                None => {
                    scan.on_failure();
                }
            }
        }
    }
}

const INT_TYPES: [PointType; 12] = [
    PointType::Int16,
    PointType::Uint16,
    PointType::Count,
    PointType::Acc16,
    PointType::Enum16,
    PointType::Int32,
    PointType::Uint32,
    PointType::Acc32,
    PointType::Int64,
    PointType::Uint64,
    PointType::Float32,
    PointType::Sunssf,
];

/// A scaled write: byte 0 picks the point type, byte 1 is the scale factor
/// (signed), byte 2 the access, the rest is the value as decimal text
/// (or, when not text, eight bytes of an `f64`). A request that is built
/// must decode back within half a unit of the last place.
pub fn write(data: &[u8]) {
    let [t, sf, access, rest @ ..] = data else {
        return;
    };
    let ty = INT_TYPES
        .get(usize::from(*t) % INT_TYPES.len())
        .copied()
        .unwrap_or(PointType::Int16);
    let sf = i16::from(*sf as i8);
    let target = WriteTarget {
        addr: 40000 + u32::from(*t),
        ty,
        size: ty.fixed_size().unwrap_or(1),
        access: if access & 1 == 1 {
            Access::RW
        } else {
            Access::R
        },
        sf_addr: Some(40000),
    };
    let value = match core::str::from_utf8(rest).ok().and_then(Scaled::parse) {
        Some(v) => v,
        None => match rest.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            Some(b) => Scaled::Float(f64::from_be_bytes(b)),
            None => return,
        },
    };
    let Ok(req) = target.request_with_sf(&value, Some(sf)) else {
        return;
    };
    let mut pdu = [0u8; 16];
    let _ = req.pdu(&mut pdu);
    let bytes: Vec<u8> = req
        .registers()
        .iter()
        .flat_map(|r| r.to_be_bytes())
        .collect();
    let Ok(back) = ty.decode(&bytes) else {
        return;
    };
    if let (Scaled::Decimal { mantissa, exponent }, Value::Int(_) | Value::Uint(_)) = (value, back)
    {
        let raw = match back {
            Value::Int(i) => i128::from(i),
            Value::Uint(u) => i128::from(u),
            _ => 0,
        };
        // |raw × 10^sf − m × 10^e| ≤ ½ × 10^sf, in integers at the smaller
        // exponent (bounded: both exponents are small here, or skip).
        let e = i32::from(exponent).min(i32::from(sf));
        let (Ok(ka), Ok(kb)) = (
            u32::try_from(i32::from(sf) - e),
            u32::try_from(i32::from(exponent) - e),
        ) else {
            return;
        };
        let (Some(pa), Some(pb)) = (10i128.checked_pow(ka), 10i128.checked_pow(kb)) else {
            return;
        };
        let (Some(a), Some(b)) = (raw.checked_mul(pa), mantissa.checked_mul(pb)) else {
            return;
        };
        let Some(diff) = a.checked_sub(b).and_then(|d| d.checked_mul(2)) else {
            return;
        };
        assert!(diff.abs() <= pa, "{value:?} sf {sf} wrote {raw}");
    }
}

/// Names the definitions below draw from: the ones the patches look for,
/// and a few others.
const NAMES: [&str; 12] = [
    "ProbeTmp",
    "MainTmp",
    "NStr",
    "ModTmp_SF",
    "ModTmpMax",
    "ModTmpAvg",
    "StrModTmpMin",
    "St",
    "Evt1",
    "X",
    "string",
    "StrNMod",
];

const JSON_TYPES: [&str; 8] = [
    "int16",
    "uint16",
    "enum16",
    "bitfield16",
    "bitfield32",
    "sunssf",
    "string",
    "nonsense",
];

fn json_point(b: &[u8]) -> PointJson {
    let [n, t, extra] = *b else {
        return json_point(&[0, 0, 0]);
    };
    let name = NAMES
        .get(usize::from(n) % NAMES.len())
        .copied()
        .unwrap_or("X");
    let ty = JSON_TYPES
        .get(usize::from(t) % JSON_TYPES.len())
        .copied()
        .unwrap_or("int16");
    let size = match ty {
        "bitfield32" => 2,
        "string" => u16::from(extra % 4),
        _ => 1,
    };
    PointJson {
        name: name.into(),
        ty: ty.into(),
        size,
        sf: (extra & 0x10 != 0).then(|| SfRef::Point("ModTmp_SF".into())),
        units: None,
        mandatory: None,
        access: None,
        symbols: (0..extra % 4)
            .map(|v| SymbolJson {
                name: format!("S{v}"),
                value: u64::from(v) * u64::from(extra >> 4),
            })
            .collect(),
    }
}

/// A model definition made from the bytes (byte 0: model id 803, 64020 or
/// another; byte 1: the sub-group's count; then three bytes per point, the
/// top group's first, up to 24), run through the patch list, then decoded
/// from an image made of the same bytes, every enumeration and bit field
/// named. Applying the patches again must change nothing.
pub fn patch_and_decode(data: &[u8]) {
    let [id, count, rest @ ..] = data else {
        return;
    };
    let id = [803u16, 64020, 64999]
        .get(usize::from(*id) % 3)
        .copied()
        .unwrap_or(803);
    let mut points: Vec<PointJson> = rest.chunks_exact(3).take(24).map(json_point).collect();
    let sub_points = points.split_off(points.len() / 2);
    let count = match count % 5 {
        0 => None,
        1 => Some(Count::Fixed(0)),
        2 => Some(Count::Point("NStr".into())),
        3 => Some(Count::Point("StrNMod".into())),
        _ => Some(Count::Fixed(u32::from(*count))),
    };
    let mut def = ModelJson {
        id,
        group: GroupJson {
            name: "m".into(),
            points,
            groups: vec![GroupJson {
                name: "string".into(),
                points: sub_points,
                groups: Vec::new(),
                count,
            }],
            count: None,
        },
    };
    patch::apply(&mut def);
    let once = def.clone();
    assert!(
        patch::apply(&mut def).is_empty(),
        "patches are not idempotent"
    );
    assert_eq!(def, once);
    let even = data.get(..data.len() & !1).unwrap_or(&[]);
    let Ok(img) = RegisterImage::new(40000, even) else {
        return;
    };
    let len = u16::try_from(even.len() / 2)
        .unwrap_or(u16::MAX)
        .saturating_sub(2);
    if let Ok(points) = def.decode(&img, 40000, len) {
        for p in &points {
            let _ = def.symbol(p);
            let _ = def.flags(p).map(Iterator::count);
        }
    }
}
