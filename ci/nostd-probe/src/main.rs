//! Links the `no_std` core of every webdyn library into a freestanding binary.
//! Each crate's core entry points are called on a small input so that their
//! code is really linked, not just their metadata.
#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

#[cfg(feature = "leak-alloc")]
extern crate alloc;
#[cfg(feature = "leak-alloc")]
#[unsafe(no_mangle)]
pub extern "C" fn leak_alloc() -> usize {
    // A core that allocates needs a global allocator this binary lacks.
    alloc::vec::Vec::<u8>::with_capacity(black_box(8)).capacity()
}

// The prebuilt `core` carries unwind tables that name this symbol. With
// panic = "abort" nothing ever unwinds, but the linker wants it to exist.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    loop {}
}

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut acc = 0usize;
    let mut tic: webdyn_tic::Decoder = webdyn_tic::Decoder::with_config(webdyn_tic::Config {
        repair_lf: true,
        ..webdyn_tic::Config::default()
    });
    let mut state: webdyn_tic::MeterState<8, 16> = webdyn_tic::MeterState::new();
    let mut kind = webdyn_tic::FrameKindDetector::new();
    tic.feed(
        black_box(b"\x02\nADCO 030422000048 .\r\x0fOPTARIF BASE 0\r\nBASE 012345678 /\r\nPTEC TH.. $\r\x03"),
        |ev| {
            if let webdyn_tic::Event::Group { group, .. } = ev {
                acc += usize::from(group.checksum());
                state.update(&group);
                kind.push(&group);
            }
        },
    );
    acc += state.billing_index().map_or(0, |i| i.wh as usize) + kind.kind() as usize;
    // webdyn-wmbus: CRC-free telegram, mode-5 decryption with a static key table.
    {
        let frame: &[u8] = black_box(&[
            0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10,
            0x05, 0x1E, 0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F,
            0xE6, 0xC3, 0xF7,
        ]);
        let keys = [(
            0x1234_5678u32,
            webdyn_wmbus::security::Key::new(black_box([7; 16])),
        )];
        let mut buf = [0u8; 64];
        let hint = webdyn_wmbus::frame::FormatHint::Auto;
        match webdyn_wmbus::telegram::decode(frame, hint, &keys[..], &mut buf) {
            Ok(t) => acc += t.apl().len(),
            Err(e) => acc += e.offset,
        }
    }
    // webdyn-wmbus app: walk the DIF/VIF records of an application payload.
    let apl: &[u8] = black_box(&[0x2F, 0x04, 0x13, 0x39, 0x30, 0, 0, 0x02, 0x6C, 0xFF, 0x2C]);
    for r in webdyn_wmbus::app::Records::new(apl).flatten() {
        acc += r.raw().len();
        if let Some(d) = r.value.as_decimal() {
            acc += d.mantissa as usize;
        }
    }
    // webdyn-wmbus app: learn that payload's format, decode a compact frame with it.
    {
        let mut cache = webdyn_wmbus::app::FormatCache::<2>::new();
        if cache.learn(apl).is_ok() {
            let compact: &[u8] = black_box(&[0x00, 0x00, 0x00, 0x00, 0x39, 0x30, 0, 0, 0xFF, 0x2C]);
            let mut full = [0u8; 32];
            match cache.decode_compact(compact, &mut full) {
                Ok(rs) => acc += rs.flatten().count(),
                Err(_) => acc += 1,
            }
        }
    }
    // webdyn-wmbus: per-meter replay guard and raw-capture sync-word search.
    {
        use webdyn_wmbus::replay::{Counter, Meter, ReplayGuard};
        let mut guard = ReplayGuard::<4>::new();
        for c in black_box([5u32, 6, 6]) {
            acc += usize::from(guard.accept(Meter::default(), Counter::Mcr(c)).is_ok());
        }
        let chips: &[u8] = black_box(&[0x55, 0x55, 0x54, 0x3D, 0x34, 0xE0]);
        if let webdyn_wmbus::syncword::Scan::Found(s) = webdyn_wmbus::syncword::scan(chips, 0, 16) {
            acc += s.data_at;
        }
    }
    // webdyn-sunspec: walk a model chain and decode a scaled point.
    {
        let regs: &[u8] = black_box(&[
            0x53, 0x75, 0x6E, 0x53, 0, 1, 0, 2, 0, 7, 0xFF, 0xFE, 0xFF, 0xFF, 0, 0,
        ]);
        if let Ok(img) = webdyn_sunspec::RegisterImage::new(40000, regs) {
            if let Ok(models) = webdyn_sunspec::scan::Models::new(&img) {
                acc += models.flatten().map(|h| usize::from(h.len)).sum::<usize>();
            }
            if let Some(def) = webdyn_sunspec::model::builtin(103) {
                acc += def.decode(&img, 40002).count();
                // Symbol names of enumerations and bit fields, from static tables.
                for p in def.decode(&img, 40002) {
                    acc += def.symbol_of(&p).map_or(0, str::len);
                    acc += def.flags_of(&p).map_or(0, Iterator::count);
                }
            }
        }
        // A scaled set point and its Modbus write request.
        let target = webdyn_sunspec::model::CONTROLS.write_target(40002, "WMaxLimPct");
        let value = webdyn_sunspec::model::Scaled::parse(black_box("53.5"));
        if let (Some(t), Some(v)) = (target, value) {
            if let Ok(req) = t.request_with_sf(&v, Some(-1)) {
                let mut pdu = [0u8; 16];
                acc += req.pdu(&mut pdu).unwrap_or(0);
            }
        }
        let mut scan = webdyn_sunspec::scan::UnitScan::new(black_box(&[1u8, 126]));
        acc += usize::from(scan.next_request().map_or(0, |r| r.unit));
        if let webdyn_sunspec::scan::UnitEvent::UnitDone(r) = scan.on_failure() {
            acc += usize::from(r.failed_reads);
        }
    }
    acc += webdyn_defs::FileKind::from_file_name(black_box("X_daq.csv")) as usize;
    acc += webdyn_defs::text::fields(black_box("LAN1;192.93.121.37;255.255.255.0")).count();
    if let Ok(spec) = webdyn_defs::modbus::VarSpec::parse("3", black_box("40000"), "F32_W") {
        if let Ok(v) = spec.decode(black_box(&[0x80, 0x00, 0x43, 0x66])) {
            acc += v.as_f64().unwrap_or(0.0) as usize;
        }
    }
    acc += webdyn_files::crc32(black_box(b"123456789")) as usize;
    // BSON: write a document into a stack buffer, validate it, walk it.
    {
        let mut buf = [0u8; 64];
        let mut w = webdyn_files::bson::Writer::new(&mut buf);
        let ok = w.start_document().is_ok()
            && w.append_i32("T", black_box(7)).is_ok()
            && w.append_binary("F", 0, black_box(&[1, 2, 3])).is_ok()
            && w.end_document().is_ok();
        if ok && let Ok(bytes) = w.into_bytes() {
            if let Ok(doc) = webdyn_files::bson::RawDocument::parse(black_box(bytes)) {
                acc += doc.iter().flatten().count();
                acc += doc.get_i32("T").ok().flatten().unwrap_or(0) as usize;
            }
        }
    }
    // BSON vectors and Decimal128 conversions: parse, iterate, emit, convert.
    {
        use webdyn_files::bson::{Decimal128, Vector, VectorRepr};
        let payload = black_box(&[0x27u8, 0x00, 0x00, 0x00, 0xFE, 0x42][..]);
        if let Ok(Vector::Float32(v)) = Vector::parse(payload) {
            acc += v.iter().map(|x| x as usize).sum::<usize>();
        }
        let mut out = [0u8; 8];
        acc += VectorRepr::Int8(black_box(&[1, -2]))
            .emit(&mut out)
            .unwrap_or(0);
        let d = Decimal128::from_parts(false, black_box(120), 1).unwrap_or(Decimal128::nan(false));
        acc += d.to_i64().unwrap_or(0) as usize + d.to_f64() as usize;
    }
    // WebdynEasy: decrypt a hub file into a caller buffer, check its CRC, walk its frames.
    let easy_key = webdyn_files::easy::FileKey::new(black_box([0x44; 16]));
    let mut easy_buf = [0u8; 32];
    let easy_in = black_box([0u8; 32]);
    if let Ok(plain) = webdyn_files::easy::key::decrypt_into(&easy_key, &easy_in, &mut easy_buf) {
        let mode = webdyn_files::easy::CrcMode::Always;
        if let Ok(view) = webdyn_files::easy::DataView::parse(plain, mode) {
            acc += view
                .frames()
                .filter_map(Result::ok)
                .map(|f| f.f.len())
                .sum::<usize>();
        }
    }
    black_box(acc);
    loop {}
}
