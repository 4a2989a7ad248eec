//! Behaviour of the no_std core on hand-made register images.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_sunspec::model::{self, Scaled};
use webdyn_sunspec::scan::{Discovery, DiscoveryEvent, Models};
use webdyn_sunspec::writer::ImageWriter;
use webdyn_sunspec::{Error, PointType, RegisterImage, Value};

fn regs(words: &[u16]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

#[test]
fn scaled_values_print_exactly() {
    let d = |mantissa, exponent| Scaled::Decimal { mantissa, exponent }.to_string();
    assert_eq!(d(1234, 3), "1234000");
    assert_eq!(d(1234, -2), "12.34");
    assert_eq!(d(-5, -3), "-0.005");
    assert_eq!(d(7, 0), "7");
    assert_eq!(d(0, -1), "0.0");
}

#[test]
fn sentinels_are_not_implemented() {
    let ni = Value::NotImplemented;
    assert_eq!(PointType::Uint16.decode(&[0xFF, 0xFF]).unwrap(), ni);
    assert_eq!(PointType::Acc32.decode(&[0, 0, 0, 0]).unwrap(), ni);
    assert_eq!(PointType::Int32.decode(&[0x80, 0, 0, 0]).unwrap(), ni);
    assert_eq!(PointType::Float32.decode(&[0x7F, 0xC0, 0, 0]).unwrap(), ni);
    assert_eq!(PointType::String.decode(&[0, 0, 0, 0]).unwrap(), ni);
    // 0x7FFF is an ordinary int16.
    assert_eq!(
        PointType::Int16.decode(&[0x7F, 0xFF]).unwrap(),
        Value::Int(32767)
    );
    // 1.5f32 = 0x3FC00000
    assert_eq!(
        PointType::Float32.decode(&[0x3F, 0xC0, 0, 0]).unwrap(),
        Value::Float(1.5)
    );
    assert_eq!(
        PointType::Uint32.decode(&[0x00]).unwrap_err(),
        Error::ShortPoint { need: 2, have: 0 }
    );
}

#[test]
fn walk_reports_missing_end_model_and_overruns() {
    // SunS, model 1 with len 2, then the image simply ends (some SMA devices).
    let bytes = regs(&[0x5375, 0x6E53, 1, 2, 0xAAAA, 0xBBBB]);
    let img = RegisterImage::new(40000, &bytes[..]).unwrap();
    let mut walk = Models::new(&img).unwrap();
    let h = walk.next().unwrap().unwrap();
    assert_eq!((h.id, h.len, h.addr, h.next_addr()), (1, 2, 40002, 40006));
    assert!(walk.next().is_none());
    assert!(walk.missing_end_model());

    // A model claiming more registers than the image holds.
    let bytes = regs(&[0x5375, 0x6E53, 103, 50, 0]);
    let img = RegisterImage::new(40000, &bytes[..]).unwrap();
    let err = Models::new(&img).unwrap().next().unwrap().unwrap_err();
    assert_eq!(
        err,
        Error::ModelOverrun {
            id: 103,
            addr: 40002,
            len: 50,
            end: 40005
        }
    );

    // Marker at 50000 is found too; nothing at all is an error.
    let bytes = regs(&[0x5375, 0x6E53, 0xFFFF, 0]);
    let img = RegisterImage::new(50000, &bytes[..]).unwrap();
    assert_eq!(Models::new(&img).unwrap().count(), 0);
    let img = RegisterImage::new(40000, &bytes[2..]).unwrap();
    assert_eq!(Models::new(&img).unwrap_err(), Error::NoMarker);
    assert_eq!(
        RegisterImage::new(0, &bytes[..3]).unwrap_err(),
        Error::OddLength { len: 3 }
    );
}

/// A fake device answering reads from an image, failing outside it.
fn run_discovery(base: u32, words: &[u16]) -> Vec<DiscoveryEvent> {
    let bytes = regs(words);
    let img = RegisterImage::new(base, &bytes[..]).unwrap();
    let mut d = Discovery::new();
    let mut events = Vec::new();
    while let Some(req) = d.next_request() {
        let ev = match img.regs(req.addr, usize::from(req.count)) {
            Some(r) => d.on_response(r).unwrap(),
            None => d.on_failure(),
        };
        events.push(ev);
        assert!(events.len() < 100);
    }
    events
}

#[test]
fn discovery_walks_like_the_gateway_log() {
    // Model 1 (66) then model 101 (50): the Webdyn log prints the first data
    // register, 40004 and 40072 — header + 2.
    let mut words = vec![0x5375, 0x6E53, 1, 66];
    words.extend(std::iter::repeat_n(0, 66));
    words.extend([101, 50]);
    words.extend(std::iter::repeat_n(0, 50));
    words.extend([0xFFFF, 0]);
    let ev = run_discovery(40000, &words);
    let models: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            DiscoveryEvent::Model(h) => Some((h.id, h.len, h.addr + 2)),
            _ => None,
        })
        .collect();
    assert_eq!(models, vec![(1, 66, 40004), (101, 50, 40072)]);
    assert_eq!(
        *ev.last().unwrap(),
        DiscoveryEvent::Done {
            base: Some(40000),
            missing_end_model: false
        }
    );

    // Base 0, and no end model.
    let ev = run_discovery(0, &[0x5375, 0x6E53, 1, 0]);
    assert_eq!(ev[0], DiscoveryEvent::NotHere { base: 40000 });
    assert_eq!(ev[1], DiscoveryEvent::Marker { base: 0 });
    assert_eq!(
        *ev.last().unwrap(),
        DiscoveryEvent::Done {
            base: Some(0),
            missing_end_model: true
        }
    );

    // Not SunSpec at all.
    let ev = run_discovery(40000, &[1, 2, 3, 4]);
    assert_eq!(
        *ev.last().unwrap(),
        DiscoveryEvent::Done {
            base: None,
            missing_end_model: false
        }
    );
}

#[test]
fn writer_reports_small_buffers() {
    let mut buf = [0u8; 10];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    let err = w.model_with(&model::COMMON, &[]).unwrap_err();
    assert!(matches!(err, Error::BufferTooSmall { have: 10, .. }));
}

#[test]
fn inverter_written_then_read_applies_scale_factors() {
    let mut buf = [0u8; 400];
    let mut w = ImageWriter::new(&mut buf).unwrap();
    w.model_with(
        &model::INVERTER_THREE_PHASE,
        &[
            ("WH", Value::Uint(123_456_789)),
            ("WH_SF", Value::Int(-1)),
            ("TmpCab", Value::Int(-55)),
            ("Tmp_SF", Value::Int(-1)),
            ("St", Value::Uint(4)),
        ],
    )
    .unwrap();
    let n = w.finish().unwrap();
    let img = RegisterImage::new(40000, &buf[..n]).unwrap();
    let h = Models::new(&img).unwrap().next().unwrap().unwrap();
    let def = model::builtin(h.id).unwrap();
    let get = |name: &str| {
        def.decode(&img, h.addr)
            .find(|p| p.def.name == name)
            .unwrap()
    };
    assert_eq!(get("WH").scaled.unwrap().to_string(), "12345678.9");
    assert_eq!(get("TmpCab").scaled.unwrap().to_string(), "-5.5");
    assert_eq!(get("St").value, Value::Uint(4));
    assert_eq!(model::inverter_state_name(4), Some("MPPT"));
    // Unwritten points are "not implemented", so have no engineering value.
    assert_eq!(get("W").value, Value::NotImplemented);
    assert!(get("W").scaled.is_none());
}

fn arb_value(ty: PointType) -> BoxedStrategy<Value<'static>> {
    match ty {
        PointType::Int16 | PointType::Sunssf => (-32767i64..=32767).prop_map(Value::Int).boxed(),
        PointType::Int32 => (-(i32::MAX as i64)..=i32::MAX as i64)
            .prop_map(Value::Int)
            .boxed(),
        PointType::Int64 => (i64::MIN + 1..=i64::MAX).prop_map(Value::Int).boxed(),
        PointType::Uint16 | PointType::Enum16 | PointType::Bitfield16 => {
            (0u64..0xFFFF).prop_map(Value::Uint).boxed()
        }
        PointType::Count | PointType::Acc16 => (1u64..=0xFFFF).prop_map(Value::Uint).boxed(),
        PointType::Uint32 | PointType::Enum32 | PointType::Bitfield32 => {
            (0u64..0xFFFF_FFFF).prop_map(Value::Uint).boxed()
        }
        PointType::Acc32 => (1u64..=0xFFFF_FFFF).prop_map(Value::Uint).boxed(),
        PointType::Uint64 | PointType::Bitfield64 => (0u64..u64::MAX).prop_map(Value::Uint).boxed(),
        PointType::Acc64 => (1u64..=u64::MAX).prop_map(Value::Uint).boxed(),
        PointType::Float32 => (-1e6f32..1e6)
            .prop_map(|f| Value::Float(f64::from(f)))
            .boxed(),
        PointType::Float64 => (-1e12f64..1e12).prop_map(Value::Float).boxed(),
        _ => Just(Value::NotImplemented).boxed(),
    }
}

proptest! {
    /// encode -> decode is the identity for every numeric type and value,
    /// and for "not implemented".
    #[test]
    fn numeric_points_round_trip(
        (ty, v) in prop::sample::select(vec![
            PointType::Int16, PointType::Uint16, PointType::Count, PointType::Acc16,
            PointType::Enum16, PointType::Bitfield16, PointType::Int32, PointType::Uint32,
            PointType::Acc32, PointType::Enum32, PointType::Bitfield32, PointType::Int64,
            PointType::Uint64, PointType::Acc64, PointType::Bitfield64, PointType::Float32,
            PointType::Float64, PointType::Sunssf,
        ]).prop_flat_map(|t| (Just(t), prop_oneof![4 => arb_value(t), 1 => Just(Value::NotImplemented)]))
    ) {
        let mut buf = [0u8; 8];
        let size = usize::from(ty.fixed_size().unwrap()) * 2;
        ty.encode(&v, &mut buf[..size]).unwrap();
        prop_assert_eq!(ty.decode(&buf[..size]).unwrap(), v);
    }

    /// Strings round trip when they fit and contain no NUL.
    #[test]
    fn strings_round_trip(s in "[ -~]{1,32}") {
        let mut buf = [0u8; 32];
        PointType::String.encode(&Value::Text(s.as_bytes()), &mut buf).unwrap();
        prop_assert_eq!(PointType::String.decode(&buf).unwrap(), Value::Text(s.as_bytes()));
    }

    /// Any bytes: walking and decoding never panic.
    #[test]
    fn arbitrary_images_never_panic(words in prop::collection::vec(any::<u16>(), 0..300), marker in any::<bool>()) {
        let mut w = words;
        if marker && w.len() >= 2 { w[0] = 0x5375; w[1] = 0x6E53; }
        let bytes = regs(&w);
        let img = RegisterImage::new(40000, &bytes[..]).unwrap();
        if let Ok(models) = Models::new(&img) {
            for h in models.flatten() {
                if let Some(def) = model::builtin(h.id) {
                    for p in def.decode(&img, h.addr) { let _ = p.scaled.map(|s| s.to_string()); }
                }
            }
        }
    }
}

/// A definition whose repeating group spans no register must not make the
/// decoder spin through a count the device chose (here 65534 repeats), and a
/// huge fixed count must not overflow the size arithmetic (it panicked in
/// debug builds before).
#[cfg(all(feature = "alloc", feature = "serde"))]
#[test]
fn empty_or_huge_repeating_groups_are_harmless() {
    use webdyn_sunspec::json::ModelJson;
    let def: ModelJson = serde_json::from_str(
        r#"{"id": 64999, "group": {"name": "m", "points": [
            {"name": "ID", "type": "uint16", "size": 1},
            {"name": "L", "type": "uint16", "size": 1},
            {"name": "N", "type": "uint16", "size": 1}],
          "groups": [
            {"name": "empty", "count": "N", "points": []},
            {"name": "big", "count": 0, "points": [{"name": "V", "type": "uint16", "size": 1}],
             "groups": [{"name": "inner", "count": 4294967295,
                         "points": [{"name": "X", "type": "uint32", "size": 2}]}]}]}}"#,
    )
    .unwrap();
    let bytes = regs(&[64999, 3, 0xFFFE, 7, 8]);
    let img = RegisterImage::new(40002, &bytes[..]).unwrap();
    let points = def.decode(&img, 40002, 3).unwrap();
    let paths: Vec<_> = points.iter().map(|p| p.path.as_str()).collect();
    // N = 0xFFFE repeats of nothing decode to nothing, and `big` (one
    // register plus 2^32 - 1 two-register inner groups) is larger than the
    // two registers left, so no instance of it fits.
    assert_eq!(paths, ["ID", "L", "N"]);
}
