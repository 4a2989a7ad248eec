//! Typed documents <-> hub file bytes: the manual's byte-level example,
//! AES files, CRC failures, the in-place frame iterator, and encode ->
//! decode identities.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use serde::Serialize;
use webdyn_files::easy::command::{Command, CommandKind};
use webdyn_files::easy::config::{
    Alarms, Config, FtpTrigger, HubMode, ManufacturerFilter, MediumFilter, ModemConfig, ModemMode,
    Radio, RadioTrigger, Remote, Security,
};
use webdyn_files::easy::data::Frame;
use webdyn_files::easy::value::{Binary, OneOrMany, Text};
use webdyn_files::easy::whitelist::MeterId;
use webdyn_files::easy::{
    self, CommandFile, ConfigFile, CrcMode, DataFile, DataView, Error, FileKey, WhitelistFile,
    envelope,
};

const MANUAL_CRC_DUMP: &str = "50 00 00 00 03 43 6F 6E 66 69 67 00 3A 00 00 00
03 52 65 6D 6F 74 65 00 2D 00 00 00 04 4E 54 50
00 23 00 00 00 02 30 00 0F 00 00 00 6E 74 70 2E
67 6F 6F 67 6C 65 2E 63 6F 6D 00 02 31 00 01 00
00 00 00 00 00 00 10 43 52 43 00 A3 7B 0C 2A 00";

/// See tests/easy_envelope.rs for how this was computed (openssl CLI and
/// Python `cryptography`, independently of this crate).
const MANUAL_FILE_ENCRYPTED: &str = "415908cd4976b2f3d40c4c14230335130a23cdd9c0693dcbf87ac99062ff6014\
6e6c046035d112caaacdadb4143992ae2be47ab00cc4b3d7e86da30a33dc2825\
9eafdddd6fe838f77ce6fa278699e633273ed441dae7c148fc217c323595170f";

fn hex(s: &str) -> Vec<u8> {
    webdyn_testkit::hex(s).unwrap()
}

fn manual_key() -> FileKey {
    "RACq94N4BJyrE+5ONQ4oGw==".parse().unwrap()
}

/// The manual's §5.1.1.4 document with its capitalised keys (erratum E1).
#[derive(Serialize)]
struct ManualDoc {
    #[serde(rename = "Config")]
    config: ManualConfig,
    #[serde(rename = "CRC")]
    crc: i32,
}
#[derive(Serialize)]
struct ManualConfig {
    #[serde(rename = "Remote")]
    remote: ManualRemote,
}
#[derive(Serialize)]
struct ManualRemote {
    #[serde(rename = "NTP")]
    ntp: [&'static str; 2],
}

#[test]
fn manual_document_rebuilt_is_80_bytes_with_crc_2a0c7ba3() {
    let doc = ManualDoc {
        config: ManualConfig {
            remote: ManualRemote {
                ntp: ["ntp.google.com", ""],
            },
        },
        crc: 0,
    };
    let file = easy::encode(&doc, None).unwrap();
    assert_eq!(file.len(), 80);
    assert_eq!(file, hex(MANUAL_CRC_DUMP));
    // Encrypted, it is the independently computed ciphertext.
    assert_eq!(
        easy::encode(&doc, Some(&manual_key())).unwrap(),
        hex(MANUAL_FILE_ENCRYPTED)
    );
}

#[test]
fn manual_document_decodes_as_a_typed_configuration() {
    // Keys Config/Remote/NTP/CRC are read like config/remote/ntp/crc.
    let c: ConfigFile = easy::decode(&hex(MANUAL_CRC_DUMP), None, CrcMode::Always).unwrap();
    let ntp = c.config.remote.unwrap().ntp.unwrap().unwrap();
    assert_eq!(
        ntp,
        OneOrMany::Many(vec!["ntp.google.com".into(), String::new()])
    );
    let c2: ConfigFile = easy::decode(
        &hex(MANUAL_FILE_ENCRYPTED),
        Some(&manual_key()),
        CrcMode::Always,
    )
    .unwrap();
    assert_eq!(c2.config.remote.unwrap().ntp, Some(Some(ntp)));
}

#[test]
fn typed_configuration_encodes_like_the_manual_with_lowercase_keys() {
    let c = ConfigFile {
        config: Config {
            remote: Some(Remote {
                ntp: Some(Some(OneOrMany::Many(vec![
                    "ntp.google.com".into(),
                    String::new(),
                ]))),
                ..Remote::default()
            }),
            ..Config::default()
        },
    };
    let file = easy::encode(&c, None).unwrap();
    let mut expected = hex(MANUAL_CRC_DUMP);
    for (at, lower) in [
        (5, b'c'),
        (17, b'r'),
        (29, b'n'),
        (30, b't'),
        (31, b'p'),
        (71, b'c'),
        (72, b'r'),
        (73, b'c'),
    ] {
        expected[at] = lower;
    }
    let mut zeroed = expected.clone();
    zeroed[75..79].fill(0);
    expected[75..79].copy_from_slice(&webdyn_files::crc32(&zeroed).to_le_bytes());
    assert_eq!(file, expected);
}

#[test]
fn crc_failures_and_wrong_keys() {
    let mut bad = hex(MANUAL_CRC_DUMP);
    bad[45] ^= 0x20;
    let e = easy::decode::<ConfigFile>(&bad, None, CrcMode::Always).unwrap_err();
    assert!(
        matches!(
            e,
            Error::CrcMismatch {
                stored: 0x2A0C_7BA3,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("0x2A0C7BA3"), "{e}");
    // crcMode 0 reads it anyway.
    assert!(easy::decode::<ConfigFile>(&bad, None, CrcMode::None).is_ok());

    let wrong = FileKey::new(*b"0123456789abcdef");
    let e = easy::decode::<ConfigFile>(&hex(MANUAL_FILE_ENCRYPTED), Some(&wrong), CrcMode::Partial)
        .unwrap_err();
    assert!(e.to_string().contains("wrong key"), "{e}");
    // A plain file given a key: 80 bytes is five blocks, so it "decrypts",
    // and the padding check rejects it.
    let e =
        easy::decode::<ConfigFile>(&hex(MANUAL_CRC_DUMP), Some(&manual_key()), CrcMode::Partial)
            .unwrap_err();
    assert!(
        matches!(e, Error::BadPadding | Error::NotDecryptedBson { .. }),
        "{e:?}"
    );
    let e = easy::decode::<ConfigFile>(
        &hex(MANUAL_CRC_DUMP)[..79],
        Some(&manual_key()),
        CrcMode::Partial,
    )
    .unwrap_err();
    assert_eq!(e, Error::CipherLength { len: 79 });
}

#[test]
fn crc_must_be_the_last_field() {
    // {"crc": 0, "a": "bcr", ...} crafted so the last ten bytes still look
    // like a crc element: a binary whose payload ends "\x10crc\0...".
    let mut payload = vec![1u8, 2, 3];
    payload.extend_from_slice(b"\x10crc\x00\x00\x00\x00\x00");
    let mut doc = Vec::new();
    doc.extend_from_slice(&[0; 4]);
    doc.push(0x05);
    doc.extend_from_slice(b"b\0");
    doc.extend_from_slice(&(payload.len() as i32).to_le_bytes());
    doc.push(0);
    doc.extend_from_slice(&payload);
    doc.push(0);
    let n = doc.len() as u32;
    doc[..4].copy_from_slice(&n.to_le_bytes());
    // The suffix looks right to the envelope...
    assert!(envelope::locate(&doc).is_ok());
    // ...but the document's last field is "b".
    let e = DataView::parse(&doc, CrcMode::Partial).unwrap_err();
    assert!(matches!(e, Error::CrcNotLast { .. }), "{e:?}");
}

fn sample_data(n: usize) -> DataFile {
    let frames = (0..n)
        .map(|i| Frame {
            t: 1_560_066_602 + i as i64,
            r: 199 - (i % 50) as i64,
            f: Binary(
                [
                    0x1E, 0x44, 0x2D, 0x2C, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, 0x7A, i as u8,
                ]
                .to_vec(),
            ),
        })
        .collect();
    DataFile::new("WE_1234", "schedule", 1_560_068_897, frames)
}

#[test]
fn data_file_frames_in_place_match_the_typed_file() {
    let d = sample_data(5);
    let file = easy::encode(&d, None).unwrap();
    let view = DataView::parse(&file, CrcMode::Always).unwrap();
    assert_eq!(view.uid(), Some("WE_1234"));
    assert_eq!(view.source(), Some("schedule"));
    assert_eq!(view.ts(), Some(1_560_068_897));
    assert_eq!(view.frame_count(), Some(5));
    let frames: Vec<_> = view.frames().map(Result::unwrap).collect();
    assert_eq!(frames.len(), 5);
    for (raw, typed) in frames.iter().zip(&d.data) {
        assert_eq!((raw.t, raw.r, raw.f), (typed.t, typed.r, &typed.f.0[..]));
        assert_eq!(raw.subtype, 0);
    }
    // Written with the example spelling, as int32.
    let doc = webdyn_files::bson::RawDocument::parse(&file).unwrap();
    assert_eq!(doc.get_i32("TS").unwrap(), Some(1_560_068_897));
    assert_eq!(doc.get_i32("frameCount").unwrap(), Some(5));
}

#[test]
fn data_view_reports_bad_frames_by_index() {
    #[derive(Serialize)]
    struct Odd {
        uid: &'static str,
        data: Vec<OddFrame>,
    }
    #[derive(Serialize)]
    struct OddFrame {
        #[serde(rename = "T")]
        t: i32,
        #[serde(rename = "R")]
        r: &'static str,
    }
    let file = easy::encode(
        &Odd {
            uid: "u",
            data: vec![OddFrame { t: 1, r: "x" }],
        },
        None,
    )
    .unwrap();
    let view = DataView::parse(&file, CrcMode::Always).unwrap();
    let e = view.frames().next().unwrap().unwrap_err();
    assert!(
        matches!(
            e,
            Error::Frame {
                index: 0,
                field: "R",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with("data[0].R: is not an integer"),
        "{e}"
    );
}

#[test]
fn data_view_allocates_nothing() {
    let file = easy::encode(&sample_data(20), None).unwrap();
    let sealed = easy::encode(&sample_data(20), Some(&manual_key())).unwrap();
    let mut buf = vec![0u8; sealed.len()];
    // Counted in the easy_alloc test binary; here just the behaviour.
    let plain = webdyn_files::easy::key::decrypt_into(&manual_key(), &sealed, &mut buf).unwrap();
    assert_eq!(plain, &file[..]);
    let n = DataView::parse(plain, CrcMode::Always)
        .unwrap()
        .frames()
        .count();
    assert_eq!(n, 20);
}

#[test]
fn whitelist_and_erase_round_trip_through_bson() {
    let ids: Vec<MeterId> = (0..2000u32)
        .map(|i| {
            let s = i.to_le_bytes();
            MeterId([0x30, 0x4C, s[0], s[1], s[2], s[3], 0xCC, 0x01])
        })
        .collect();
    let w = WhitelistFile::new(ids.clone());
    let file = easy::encode(&w, None).unwrap();
    let back: WhitelistFile = easy::decode(&file, None, CrcMode::Always).unwrap();
    assert_eq!(back, w);
    let erase = easy::encode(&WhitelistFile::erase(), None).unwrap();
    // {"wlFilter": null, "crc": ...}
    assert_eq!(erase.len(), 24);
    assert_eq!(&erase[..16], b"\x18\x00\x00\x00\x0awlFilter\x00\x10c");
    let back: WhitelistFile = easy::decode(&erase, None, CrcMode::Always).unwrap();
    assert_eq!(back.wl_filter, None);
}

// ---- property tests: encode -> decode is the identity ----

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(s).boxed()
}

fn nullable<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<Option<T>>> {
    proptest::option::of(proptest::option::of(s)).boxed()
}

fn one_or_many(s: impl Strategy<Value = i32> + Clone + 'static) -> BoxedStrategy<OneOrMany<i32>> {
    prop_oneof![
        s.clone().prop_map(OneOrMany::One),
        proptest::collection::vec(s, 0..4).prop_map(OneOrMany::Many)
    ]
    .boxed()
}

fn modem_mode() -> impl Strategy<Value = ModemMode> + Clone {
    prop_oneof![
        Just(ModemMode::G2),
        Just(ModemMode::LteM),
        Just(ModemMode::NbIot),
        Just(ModemMode::Auto)
    ]
}

fn config() -> impl Strategy<Value = Config> {
    let radio = (
        opt(one_or_many(0..3)),
        opt(any::<bool>()),
        opt(one_or_many(1..3601)),
        nullable(proptest::collection::vec(any::<u16>(), 0..8).prop_map(ManufacturerFilter)),
        nullable(proptest::collection::vec(any::<u8>(), 0..8).prop_map(MediumFilter)),
        opt(any::<bool>()),
    )
        .prop_map(|(mode, b, duration, manuf, medium, long)| Radio {
            mode,
            b_format_l_field_adaptation: b,
            duration,
            manuf_filter: manuf,
            medium_filter: medium,
            long_header: long,
            skip_version_field: None,
            skip_medium_field: Some(true),
        });
    let security = (
        opt(prop_oneof![
            Just(CrcMode::None),
            Just(CrcMode::Partial),
            Just(CrcMode::Always)
        ]),
        opt(any::<bool>()),
        nullable(any::<[u8; 16]>().prop_map(FileKey::new)),
    )
        .prop_map(|(crc_mode, encryption, key)| Security {
            crc_mode,
            encryption,
            key,
        });
    let modem = (
        opt(modem_mode()),
        opt(proptest::collection::vec(modem_mode(), 0..3)),
        nullable("[0-9]{4}".prop_map(Text)),
        nullable("[a-z.]{0,10}"),
        opt(60..1801),
    )
        .prop_map(|(mode, scanseq, cpin, apn, timeout)| ModemConfig {
            mode,
            scanseq,
            cpin,
            apn,
            timeout,
            ..ModemConfig::default()
        });
    let remote = (
        opt(modem),
        nullable(prop_oneof![
            "[a-z.]{1,12}".prop_map(OneOrMany::One),
            proptest::collection::vec("[a-z.]{0,12}", 0..3).prop_map(OneOrMany::Many)
        ]),
    )
        .prop_map(|(modem, ntp)| Remote {
            modem,
            ftp: None,
            ntp,
        });
    let alarms = (
        opt(any::<bool>()),
        nullable(10..51),
        nullable(2..3601),
        nullable(10..100),
    )
        .prop_map(
            |(one_alarm_per_day, temperature, time_gap, battery)| Alarms {
                one_alarm_per_day,
                temperature,
                time_gap,
                battery,
            },
        );
    let sched = (
        opt(proptest::collection::vec(
            ("[0-9*]{1,2} \\* \\* \\* \\*", opt(one_or_many(30..3601)))
                .prop_map(|(cron, data)| RadioTrigger { cron, data }),
            0..3,
        )),
        opt(proptest::collection::vec(
            ("0 [0-9] \\* \\* \\*", opt(0..8)).prop_map(|(cron, data)| FtpTrigger { cron, data }),
            0..3,
        )),
    );
    (
        opt(prop_oneof![
            Just(HubMode::Run),
            Just(HubMode::Storage),
            Just(HubMode::FactorySettings)
        ]),
        opt("[A-Za-z ]{0,12}"),
        opt(0..4),
        opt(radio),
        opt(security),
        opt(remote),
        opt(alarms),
        sched,
        nullable(15..1441),
    )
        .prop_map(
            |(
                mode,
                name,
                log_level,
                radio,
                security,
                remote,
                alarms,
                (schedule_radio, schedule_ftp),
                monitoring_period,
            )| Config {
                mode,
                name,
                log_level,
                radio,
                security,
                remote,
                alarms,
                schedule_radio,
                schedule_ftp,
                monitoring_period,
                ..Config::default()
            },
        )
}

fn data_file() -> impl Strategy<Value = DataFile> {
    (
        "[A-Z_0-9]{1,10}",
        "[a-z]{0,8}",
        0i64..5_000_000_000,
        proptest::collection::vec(
            (
                0i64..5_000_000_000,
                0i64..256,
                proptest::collection::vec(any::<u8>(), 0..40),
            )
                .prop_map(|(t, r, f)| Frame { t, r, f: Binary(f) }),
            0..12,
        ),
    )
        .prop_map(|(uid, source, ts, frames)| DataFile::new(uid, source, ts, frames))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn config_round_trips(c in config(), encrypt: bool) {
        let file = ConfigFile { config: c };
        let key = encrypt.then(manual_key);
        let bytes = easy::encode(&file, key.as_ref()).unwrap();
        let back: ConfigFile = easy::decode(&bytes, key.as_ref(), CrcMode::Always).unwrap();
        prop_assert_eq!(back, file);
    }

    #[test]
    fn data_round_trips(d in data_file(), encrypt: bool) {
        let key = encrypt.then(manual_key);
        let bytes = easy::encode(&d, key.as_ref()).unwrap();
        let back: DataFile = easy::decode(&bytes, key.as_ref(), CrcMode::Always).unwrap();
        prop_assert_eq!(&back, &d);
        let plain = easy::decrypt(&bytes, key.as_ref()).unwrap();
        let view = DataView::parse(&plain, CrcMode::Always).unwrap();
        let n = view.frames().zip(&d.data).filter(|(raw, typed)| {
            let raw = raw.as_ref().unwrap();
            raw.t == typed.t && raw.r == typed.r && raw.f == &typed.f.0[..]
        }).count();
        prop_assert_eq!(n, d.data.len());
    }

    #[test]
    fn commands_round_trip(kinds in proptest::collection::vec(0usize..13, 1..4), cid in "[a-z0-9_]{0,8}", data in opt("[A-Za-z0-9_.]{1,20}")) {
        let cmds: Vec<Command> = kinds.iter().map(|&k| Command { data: data.clone(), ..Command::new(CommandKind::ALL[k].clone(), cid.clone()) }).collect();
        let file = if cmds.len() == 1 { CommandFile { cmd: OneOrMany::One(cmds[0].clone()) } } else { CommandFile { cmd: OneOrMany::Many(cmds) } };
        let bytes = easy::encode(&file, None).unwrap();
        let back: CommandFile = easy::decode(&bytes, None, CrcMode::Always).unwrap();
        prop_assert_eq!(back, file);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = easy::decode::<DataFile>(&bytes, None, CrcMode::Partial);
        let _ = easy::decode::<ConfigFile>(&bytes, None, CrcMode::None);
        if let Ok(v) = DataView::parse(&bytes, CrcMode::None) {
            for f in v.frames() { let _ = f; }
        }
    }
}

#[test]
fn integers_of_any_bson_width_are_read() {
    // The manual fixes no integer width: int64 and whole doubles read too.
    #[derive(Serialize)]
    struct Wide {
        uid: &'static str,
        #[serde(rename = "TS")]
        ts: f64,
        data: Vec<WideFrame>,
    }
    #[derive(Serialize)]
    struct WideFrame {
        #[serde(rename = "T")]
        t: i64,
        #[serde(rename = "R")]
        r: f64,
        #[serde(rename = "F", with = "webdyn_files_bytes")]
        f: Vec<u8>,
    }
    mod webdyn_files_bytes {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }
    let file = easy::encode(
        &Wide {
            uid: "u",
            ts: 1_560_068_897.0,
            data: vec![WideFrame {
                t: 5_000_000_000,
                r: 199.0,
                f: vec![1, 2, 3],
            }],
        },
        None,
    )
    .unwrap();
    let d: DataFile = easy::decode(&file, None, CrcMode::Always).unwrap();
    assert_eq!(d.ts, 1_560_068_897);
    assert_eq!((d.data[0].t, d.data[0].r), (5_000_000_000, 199));
    let view = DataView::parse(&file, CrcMode::Always).unwrap();
    let f = view.frames().next().unwrap().unwrap();
    assert_eq!((f.t, f.r, f.f), (5_000_000_000, 199, &[1u8, 2, 3][..]));
    // A fractional value is not an integer.
    let bad = easy::encode(
        &Wide {
            uid: "u",
            ts: 1.5,
            data: vec![],
        },
        None,
    )
    .unwrap();
    let e = easy::decode::<DataFile>(&bad, None, CrcMode::Always).unwrap_err();
    assert!(e.to_string().contains("whole double"), "{e}");
}

mod more_round_trips {
    use super::*;
    use webdyn_files::easy::ack::{Ack, AckKind, AckResult};
    use webdyn_files::easy::alarm::{Alarm, AlarmKind};
    use webdyn_files::easy::log::LogEntry;
    use webdyn_files::easy::{AckFile, AlarmFile, LogFile};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn ack_alarm_log_whitelist_round_trip(
            uid in "[A-Z_0-9]{1,8}", ts in 0i64..5_000_000_000,
            cid in opt("[a-z0-9_]{0,8}"), data in opt("[ -~]{0,20}"), ok: bool, cmd: bool,
            kind in 0usize..3, value in -1000i32..1000,
            entries in proptest::collection::vec((0i64..5_000_000_000, any::<u32>(), opt("[ -~\n]{0,30}")), 0..6),
            ids in proptest::collection::vec(any::<[u8; 8]>(), 0..20),
            encrypt: bool,
        ) {
            let key = encrypt.then(manual_key);
            let k = key.as_ref();
            let ack = AckFile { uid: uid.clone(), source: "ftp".into(), ts, ack: Ack {
                kind: if cmd { AckKind::Cmd } else { AckKind::Config }, cid, result: if ok { AckResult::Ok } else { AckResult::Ko }, data } };
            prop_assert_eq!(easy::decode::<AckFile>(&easy::encode(&ack, k).unwrap(), k, CrcMode::Always).unwrap(), ack);
            let alarm = AlarmFile { uid: uid.clone(), source: "alarm".into(), ts, alarm: Alarm {
                kind: [AlarmKind::Temperature, AlarmKind::Battery, AlarmKind::Ntp][kind], value: f64::from(value) / 4.0 } };
            prop_assert_eq!(easy::decode::<AlarmFile>(&easy::encode(&alarm, k).unwrap(), k, CrcMode::Always).unwrap(), alarm);
            let log = LogFile { uid: uid.clone(), source: "schedule".into(), ts,
                log: entries.into_iter().map(|(t, c, d)| LogEntry { t, c: i64::from(c), d }).collect() };
            prop_assert_eq!(easy::decode::<LogFile>(&easy::encode(&log, k).unwrap(), k, CrcMode::Always).unwrap(), log);
            let wl = WhitelistFile::new(ids.into_iter().map(MeterId));
            prop_assert_eq!(easy::decode::<WhitelistFile>(&easy::encode(&wl, k).unwrap(), k, CrcMode::Always).unwrap(), wl);
        }
    }
}
