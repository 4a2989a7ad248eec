//! WebdynEasy W M-Bus hub files from a server's point of view: write a
//! configuration for the hub's FTP inbox (validated, CRC'd, encrypted), then
//! read a data file the hub uploaded and hand each W M-Bus frame on.
//!
//! cargo run -p webdyn-examples --example easy_hub_files
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use webdyn_files::easy::config::{Config, FtpTrigger, Radio, RadioTrigger};
use webdyn_files::easy::data::{DataFile, Frame};
use webdyn_files::easy::value::{Binary, OneOrMany};
use webdyn_files::easy::{
    self, ConfigFile, CrcMode, DataView, FileKey, FileKind, FileName, Validate, key,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The key configured in the hub (`config.security.key`), as the manual
    // prints it.
    let file_key: FileKey = "RACq94N4BJyrE+5ONQ4oGw==".parse()?;

    // 1. A partial configuration: listen T1+C1 for 60 s every 30 minutes,
    //    upload data hourly and supervision + log at midnight.
    let cfg = ConfigFile {
        config: Config {
            radio: Some(Radio {
                mode: Some(OneOrMany::One(2)),
                duration: Some(OneOrMany::One(60)),
                ..Radio::default()
            }),
            schedule_radio: Some(vec![RadioTrigger {
                cron: "*/30 * * * *".into(),
                data: None,
            }]),
            schedule_ftp: Some(vec![
                FtpTrigger {
                    cron: "0 0 * * *".into(),
                    data: Some(7),
                },
                FtpTrigger {
                    cron: "0 * * * *".into(),
                    data: Some(1),
                },
            ]),
            ..Config::default()
        },
    };
    cfg.validate()?; // names the field at fault, e.g. "config.radio.duration[0]: ..."
    let bytes = easy::encode(&cfg, Some(&file_key))?;
    let name = FileName::new("123456", FileKind::ConfigInput).with_encrypted(true);
    println!(
        "/INBOX/123456/{name}: {} bytes, ready for the hub",
        bytes.len()
    );

    // 2. A data file as the hub uploads it (built here for the example).
    let uploaded = easy::encode(
        &DataFile::new(
            "WE_1234",
            "schedule",
            1_560_068_897,
            vec![Frame {
                t: 1_560_066_602,
                r: 199,
                f: Binary(vec![
                    0x0E, 0x44, 0x2D, 0x2C, 0x44, 0x33, 0x22, 0x11, 0x1B, 0x07, 0x7A, 0x2A, 0, 0, 0,
                ]),
            }],
        ),
        Some(&file_key),
    )?;
    let name = FileName::parse("123456-1560068897-data.bson.aes")?;
    assert!(name.encrypted && matches!(name.kind, FileKind::Data { .. }));

    // Decrypt into a buffer we own and walk the frames in place: no
    // allocation per frame, the CRC checked as the hub's crcMode 2 would.
    let mut buf = vec![0u8; uploaded.len()];
    let plain = key::decrypt_into(&file_key, &uploaded, &mut buf)?;
    let view = DataView::parse(plain, CrcMode::Always)?;
    println!(
        "{} from hub {:?}, {:?} frames",
        name,
        view.uid(),
        view.frame_count()
    );
    for frame in view.frames() {
        let frame = frame?;
        println!(
            "  T={} R={} (~{:?} dBm) F={:02x?}",
            frame.t,
            frame.r,
            frame.rssi_dbm_guess(),
            frame.f
        );
    }
    Ok(())
}
