//! Fuzz targets of the WebdynEasy hub files (webdyn-files `easy`).

use webdyn_files::easy::data::DataFile;
use webdyn_files::easy::{self, CrcMode, DataView, FileKey, FileName, envelope, key};

use crate::Target;

/// The WebdynEasy targets.
pub const TARGETS: &[Target] = &[("easy_envelope", envelope_target), ("easy_data", data)];

/// The manual's example key: seeds encrypted with it reach the plaintext.
const KEY: [u8; 16] = [
    0x44, 0x00, 0xAA, 0xF7, 0x83, 0x78, 0x04, 0x9C, 0xAB, 0x13, 0xEE, 0x4E, 0x35, 0x0E, 0x28, 0x1B,
];

/// CRC trailer, crcMode semantics, stamping, decryption into a buffer, file
/// names: never a panic; stamping then verifying always agrees.
pub fn envelope_target(d: &[u8]) {
    for mode in [CrcMode::None, CrcMode::Partial, CrcMode::Always] {
        let _ = envelope::verify(d, mode);
    }
    if envelope::check(d).is_ok() {
        let mut copy = d.to_vec();
        let crc = envelope::stamp(&mut copy).expect("a located crc can be stamped");
        let c = envelope::verify(&copy, CrcMode::Always)
            .expect("a stamped file verifies")
            .expect("and has a crc");
        assert_eq!(c.stored, crc);
    }
    let k = FileKey::new(KEY);
    let mut buf = vec![0u8; d.len()];
    if let Ok(plain) = key::decrypt_into(&k, d, &mut buf) {
        // Decrypting what we encrypt gives it back.
        let sealed = key::encrypt(&k, plain);
        assert_eq!(sealed, d);
    }
    if let Ok(text) = std::str::from_utf8(d) {
        if let Ok(name) = FileName::parse(text) {
            assert_eq!(FileName::parse(&name.to_string()), Ok(name));
        }
        let _ = FileKey::parse(text);
        let _ = easy::json::relax(text);
    }
}

/// A data file, plain or encrypted: the in-place frame walk and the typed
/// reader agree, and a typed file re-encodes to itself.
pub fn data(d: &[u8]) {
    let k = FileKey::new(KEY);
    let plain = key::decrypt(&k, d).unwrap_or_else(|_| d.to_vec());
    let in_place: Option<Vec<(i64, i64, Vec<u8>)>> = DataView::parse(&plain, CrcMode::Partial)
        .ok()
        .and_then(|v| {
            let _ = (v.uid(), v.source(), v.ts(), v.frame_count());
            v.frames()
                .map(|f| f.ok().map(|f| (f.t, f.r, f.f.to_vec())))
                .collect()
        });
    if let Ok(typed) = easy::decode::<DataFile>(&plain, None, CrcMode::Partial) {
        let again = easy::encode(&typed, Some(&k)).expect("a decoded file encodes");
        let back: DataFile =
            easy::decode(&again, Some(&k), CrcMode::Always).expect("and decodes again");
        assert_eq!(back, typed);
        if let Some(frames) = in_place {
            let typed_frames: Vec<(i64, i64, Vec<u8>)> = typed
                .data
                .iter()
                .map(|f| (f.t, f.r, f.f.0.clone()))
                .collect();
            assert_eq!(frames, typed_frames);
        }
    }
    let _ = easy::decode::<easy::ConfigFile>(&plain, None, CrcMode::None);
    let _ = easy::decode::<easy::WhitelistFile>(&plain, None, CrcMode::None);
    let _ = easy::decode::<easy::CommandFile>(&plain, None, CrcMode::None);
    let _ = easy::decode::<easy::SupervisionFile>(&plain, None, CrcMode::None);
}
