//! libmbus wired M-Bus frames: they parse through the wired link layer and
//! the TPL, and the header fields agree with libmbus' own XML rendering.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_testkit::{files_with_suffix, hex};
use webdyn_wmbus::frame::FormatHint;
use webdyn_wmbus::security::NoKeys;
use webdyn_wmbus::telegram::{Link, decode};
use webdyn_wmbus::tpl::{self, Content};
use webdyn_wmbus::wired::{Frame, LongFrame};
use webdyn_wmbus::{ErrorKind, manufacturer_code};

fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find("</")? + start;
    Some(xml[start..end].trim())
}

#[test]
fn test_frames_parse_and_match_libmbus() {
    let Some(dir) = webdyn_testkit::vectors("mbus/libmbus/test/test-frames") else {
        return;
    };
    let files = files_with_suffix(&dir, ".hex");
    assert!(files.len() > 50);
    let mut compared = 0;
    for f in &files {
        let bytes = hex(&std::fs::read_to_string(f).unwrap()).unwrap();
        let name = f.display();
        let (frame, n) = Frame::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(n, bytes.len(), "{name}");
        let Frame::Long(long) = frame else {
            panic!("{name}: not a long frame")
        };
        let mut buf = [0u8; 300];
        let t = decode(&bytes, FormatHint::Auto, &NoKeys, &mut buf)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(matches!(t.link, Link::Wired { c, a } if c == long.c() && a == long.a()));
        assert_eq!(t.ci, long.ci());
        let xml_path = f.with_extension("norm.xml");
        let Ok(xml) = std::fs::read_to_string(&xml_path) else {
            continue;
        };
        let Some(h) = t.long_header() else { continue };
        if let Some(id) = tag(&xml, "Id") {
            // libmbus prints BCD ids as decimal numbers (no leading zeros).
            let ours = webdyn_wmbus::dll::bcd_to_decimal(h.id)
                .map_or_else(|| format!("{:X}", h.id), |d| d.to_string());
            assert_eq!(ours, id, "{name}");
        }
        if let Some(m) = tag(&xml, "Manufacturer") {
            assert_eq!(
                std::str::from_utf8(&manufacturer_code(h.manufacturer)).unwrap(),
                m,
                "{name}"
            );
        }
        if let Some(v) = tag(&xml, "Version") {
            assert_eq!(h.version.to_string(), v, "{name}");
        }
        if let Some(a) = tag(&xml, "AccessNumber") {
            assert_eq!(h.access_number.to_string(), a, "{name}");
        }
        if let Some(s) = tag(&xml, "Status") {
            assert_eq!(format!("{:02X}", h.status), s, "{name}");
        }
        if let Some(s) = tag(&xml, "Signature") {
            assert_eq!(format!("{:04X}", h.config), s, "{name}");
        }
        assert_eq!(t.apl(), &long.data()[12..], "{name}");
        compared += 1;
    }
    assert!(compared > 40, "only {compared} frames compared");
}

#[test]
fn error_frames() {
    let Some(dir) = webdyn_testkit::vectors("mbus/libmbus/test/error-frames") else {
        return;
    };
    for f in files_with_suffix(&dir, ".hex") {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = hex(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let mut buf = [0u8; 300];
        let r = decode(&bytes, FormatHint::Auto, &NoKeys, &mut buf);
        // EN 13757-3 application error codes of a CI 0x70 report.
        let code = match stem.as_str() {
            "unspecified_error" => Some(0),
            "unimplemented_ci" => Some(1),
            "buffer_too_long" => Some(2),
            "too_many_records" => Some(3),
            "premature_end_of_record" => Some(4),
            "too_many_difes" => Some(5),
            "too_many_vifes" => Some(6),
            "application_busy" => Some(8),
            "too_many_readouts" => Some(9),
            _ => None,
        };
        match (stem.as_str(), code) {
            (_, Some(code)) => {
                let t = r.unwrap();
                assert_eq!(
                    tpl::classify(t.ci).map(|c| c.0),
                    Some(Content::ApplicationError),
                    "{stem}"
                );
                assert_eq!(t.apl(), &[code], "{stem}");
            }
            // A report without an error code.
            ("error", None) => {
                let t = r.unwrap();
                assert_eq!(
                    tpl::classify(t.ci).map(|c| c.0),
                    Some(Content::ApplicationError)
                );
                assert!(t.apl().is_empty());
            }
            // The long header does not fit in the frame: a link/transport error.
            ("too_short_header", None) => {
                let e = r.unwrap_err();
                assert!(matches!(e.kind, ErrorKind::Truncated { .. }), "{e}");
                assert_eq!(e.offset, 6 + 6);
            }
            // Record-level errors: the link and transport layers are fine.
            (_, None) => {
                let t = r.unwrap_or_else(|e| panic!("{stem}: {e}"));
                assert!(t.long_header().is_some(), "{stem}");
            }
        }
    }
}

#[test]
fn unsupported_frames() {
    let Some(dir) = webdyn_testkit::vectors("mbus/libmbus/test/unsupported-frames") else {
        return;
    };
    for f in files_with_suffix(&dir, ".hex") {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let Some(bytes) = hex(&std::fs::read_to_string(&f).unwrap()) else {
            // manual_frame1 starts with a lone "D": not hex at all.
            continue;
        };
        let r = LongFrame::new_checked(&bytes[..]);
        match stem.as_str() {
            "invalid_length" => assert!(r.is_err()),
            _ => {
                // Either a located error or a frame whose fields check out.
                if let Err(e) = r {
                    assert!(e.offset <= bytes.len(), "{stem}: {e}");
                }
            }
        }
    }
}
