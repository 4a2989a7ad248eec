//! Every JSON example of the WebdynEasy manual (as collected in
//! shared/spec/wmbus.md part A, copied verbatim with their errata) read as a
//! typed document, with the values the manual states.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use webdyn_files::easy::ack::{AckKind, AckResult};
use webdyn_files::easy::alarm::AlarmKind;
use webdyn_files::easy::command::CommandKind;
use webdyn_files::easy::config::{HubMode, ModemMode, check_cron};
use webdyn_files::easy::json::relax;
use webdyn_files::easy::value::{OneOrMany, Text};
use webdyn_files::easy::whitelist::MeterId;
use webdyn_files::easy::{
    AckFile, AlarmFile, CommandFile, ConfigFile, CrcMode, DataFile, FileKey, LogFile,
    SupervisionFile, Validate, WhitelistFile,
};

fn parse<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(json: &str) -> T {
    let v: T = serde_json::from_str(&relax(json)).unwrap_or_else(|e| panic!("{e}\n{json}"));
    // What we write reads back as the same document.
    let again: T = serde_json::from_value(serde_json::to_value(&v).unwrap()).unwrap();
    assert_eq!(again, v);
    v
}

fn one<T: Clone>(v: &Option<OneOrMany<T>>) -> Vec<T> {
    v.as_ref().unwrap().as_slice().to_vec()
}

const CFG_CRC_EXAMPLE: &str = r#"{
  "config": {
    "remote": {
      "ntp": ["ntp.google.com", ""]
    }
  },
  "crc": 0
}"#;

const CFG_AES: &str = r#"{
  "config":
  {
    "security":
    {
      "crcMode": 1,
      "encryption": true,
      "key": {"$type": "80", "$binary":
"RACq94N4BJyrE+5ONQ4oGw==" }
    }
  },
  "crc": 0
}"#;

const CFG_SYSTEM: &str = r#"{
  "config":
  {
    "mode": "run",
    "name": "WebdynEasy",
    "logLevel": 2
  },
  "crc": 0
}"#;

const CFG_LOCAL: &str = r#"{
  "config":
  {
    "mode": "run",
    "name": "WebdynEasy",
    "logLevel": 2
  },
  "crc": 0
}"#;

const CFG_RADIO: &str = r#"{
  "config":
  {
    "radio":
    {
      "mode": 2,
      "duration": 60,
      "manufFilter": { "$type": "00", "$binary":
"TDARpQ==" },
      "mediumFilter": { "$type": "00", "$binary": "BwE=" },
      " longHeader": true,
      " skipVersionField": false,
      " skipMediumField": false
    }
  },
  "crc": 0
}"#;

const CFG_MULTI: &str = r#"
{
  "config":
  {
    "radio":
    {
      "mode": [2,0],
      "duration": [120,180],
      "manufFilter": { "$type": "00","$binary":
"TDARpQ==" },
      "mediumFilter": { "$type": "00","$binary": "BwE=" },
    }
  },
  "crc": 0
}"#;

const CFG_MODEM: &str = r#"{
  "config":
  {
    "remote":
    {
      "modem":
      {
        "mode": "auto",
        "scanseq": [
          "LTEM",
          "2G",
          "NB-IoT"
        ],
        "band": [
          3,
          8,
          20
        ],
        "deregisterOnLocalAction": false,
        "cpin": 1234,
        "apn": null,
        "user": null,
        "pass": null,
        "timeout": 240,
        "randomDelay": 0
      }
    }
  },
  "crc": 0
}"#;

const CFG_FTP: &str = r#"{
  "config":
  {
    "remote":
    {
      "ftp":
      {
        "mode": 0,
        "addr": "ftp.webdyn.com:60",
        "user": "webdyn",
        "pass": "1234",
        "dir": "/site1234"
      }
    }
  },
  "crc": 0
}"#;

const CFG_NTP: &str = r#"{
  "config":
  {
    "remote":
    {
      "ntp": "pool.npt.org"
    }
  },
  "crc": 0
}"#;

const CFG_ALARMS: &str = r#"{
  "config":
  {
    "alarms" :
    {
      "oneAlarmPerDay" : true,
      "temperature" : null,
      "timeGap" : null,
      "battery" : 10
    }
  },
  "crc": 0
}"#;

const CFG_SCHED_RADIO: &str = r#"{
  "config":
  {
    "scheduleRadio": [
      { "cron" :"* /30 * * * * ", "data": 30},
      { "cron" : "15 23 * * * ", "data": 120}
    ]
  },
  "crc": 0
}"#;

const CFG_SCHED_RADIO_MULTI: &str = r#"{
  "config":
  {
    "scheduleRadio": [
      { "cron" :"**/30 * * * * ", "data": [30,60]},
      { "cron" : "15 23 * * * ", "data": 120}
    ]
  },
  "crc": 0
}"#;

const CFG_SCHED_FTP: &str = r#"{
  "config":
  {
    "scheduleFTP": [
      { "cron" : "0 0 * * * ", "data": 7},
      { "cron" : "0 * * * * ", "data": 1}
    ]
  },
  "crc": 0
}"#;

const CFG_MONITORING: &str = r#"{
  "config":
  {
    " monitoringPeriod ": 60
  },
  "crc": 0
}"#;

const WHITELIST: &str = r#"{
  "wlFilter":
  [
    { "id": { "$binary": "FIZEsRQABBE=MExBKpkgwAE=", "$type": "00" } },
    { "id": { "$binary": "FIY1whQABBE=MEw9KZkgwAE=", "$type": "00" } },
    { "id": { "$binary": "FIaachQADw8=MEzHKZkgwAE=", "$type": "00" } },
    { "id": { "$binary": "MEzOXeAgmAE=MEw9KpkgwAE=", "$type": "00" } },
    { "id": { "$binary": "MEw5KpkgwAE=MEzBKZkgwAE=", "$type": "00" } },
    { "id": { "$binary": "MEw/2CMhDAQ=MEw2KpkgwAE=", "$type": "00" } },
    { "id": { "$binary": "MEzBHKogzAE=kiYQAwARHgM=", "$type": "00" } },
  ],
  "crc": 0
}"#;

const WHITELIST_ERASE: &str = r#"{
  "wlFilter": null,
  "crc": 0
}"#;

const DATA: &str = r#"{
  "uid": "WE_1234",
  "source": "schedule",
  "TS": 1560068897,
  "frameCount": 2,
  "data": [
    {
      "T": 1560066602,
      "R": 199,
      "F":
      {
        "$type": "80",
        "$binary": "fAviGIskafDwA4E0UkO26w=="
      }
    },
    {
      "T": 15600645887,
      "R": 178,
      "F":
      {
        "$type": "80",
        "$binary": "+plAPliAwE0df2KBY1N7Iodr/
LAFS2CrXTrUsY3wy731VN113/9UmO\CiglwR"
      }
    }
  ],
  "crc": 0
}"#;

const ALARM: &str = r#"{
  "uid": "WE_1234",
  "source": "alarm",
  "TS": 1560068897,
  "frameCount": 2,
  "alarm": {
    "type": "temperature",
    "value": 45
  },
  "crc": 0
}"#;

const ACK: &str = r#"{
  "uid": "WE_1234",
  "source": "ftp",
  "TS": 1560068897,
  "ack": {
    "type": "cmd",
    "cid": "c_1234",
    "result": "ok",
    "data": "/f10/152233-cmd.bson"
  },
  "crc": 0
}"#;

const CMD_REQUEST: &str = r#"{
  "cmd": {
    "type": "request",
  },
  "crc": 0
}"#;

const CMD_REQUEST2: &str = r#"{
  "cmd": {
    "type": "request",
  },
  "crc": 0
}"#;

const CMD_FACTORY: &str = r#"{
  "cmd": {
    "type": "factory",
  },
  "crc": 0
}"#;

const CMD_DIAG: &str = r#"{
  "cmd": {
    "type": "diag",
    "uid": "123456"
  },
  "crc": 0
}"#;

const CMD_CONFIGGET: &str = r#"{
  "cmd": {
    "type": "configGet"
  },
  "crc": 0
}"#;

const CMD_WLERASE: &str = r#"{
  "cmd": {
    "type": "whiteListErase"
  },
  "crc": 0
}"#;

const CMD_OPINIT: &str = r#"{
  "cmd": {
    "type": "operatorInit"
  },
  "crc": 0
}"#;

const CMD_LOGGET: &str = r#"{
  "cmd": {
    "type": "logGet"
  },
  "crc": 0
}"#;

const CMD_LOGCLEAN: &str = r#"{
  "cmd": {
    "type": "logClean"
  },
  "crc": 0
}"#;

const CMD_SUPCLEAN: &str = r#"{
  "cmd": {
    "type": "supervisionClean"
  },
  "crc": 0
}"#;

const CMD_SUPGET: &str = r#"{
  "cmd": {
    "type": "supervisionGetClean",
    "cid": "123456"
  },
  "crc": 0
}"#;

const CMD_CERT: &str = r#"{
  "cmd": {
    "type": "certificate",
    "cid": "123456",
    "data": "cert.pem"
  },
  "crc": 0
}"#;

const CMD_CERTCLEAN: &str = r#"{
  "cmd": {
    "type": "certClean",
    "cid": "123456"
  },
  "crc": 0
}"#;

const SUPERVISION: &str = r#"{
  "uid": "WE_1234",
  "source": "schedule",
  "TS": 1598349735,
  "supervision": {
    "identity": {
      "uid": "WE_1234",,
      "name": "1234",
      "SN": "SN20200423_9876543210"
    },
    "version": {
      "hw": 11,
      "sw": "01.04",
      "swBle": "0.1",
      "swModem": "BG95M3LAR02A03_01.005.01.005"
    },
    "uptime": {
      "run": 85484,
      "radio": 69090,
      "modem": 5873,
      "lowPower": 336583
    },
    "measures": {
      "vAlim": 7100,
      "temperature": 15,
      "histogram": {
        "below -10°C": 0,
        "-10°C to 0°C": 0,
        "0°C to 10°C": 63,
        "10°C to 20°C": 73,
        "20°C to 30°C": 36,
        "30°C to 40°C": 0,
        "above 40°C": 0
      }
    },
    "modem": {
      "rssi": -57,
      "quality": {
        "rssi": -57,
        "rsrp": -79,
        "rsrq": -13,
        "sinr": 12
      },
      "nwinf": "\"eMTC\"", "20801\"", "LTE BAND 20\"", 6400",

        "imei": "864475041522664",
        "num": "",
        "operator": "Orange F Things Mobile",
        "mode": "LTEM"
    },
    "counters": {
        "wakeup": 2281,
        "magnetWakeup": 4,
        "bleWakeup": 0,
        "ftp": 137,
        "radio": 2094,
        "alarms": 0,
        "usb": 14,
        "wd": 0,
        "fault": 0
    },
    "dates": {
        "lastConfig": 1598364963,
        "lastUpdate": 0,
        "lastPowerOn": 0,
        "lastCnxOk": 1610968521,
        "lastCnxKo": 1610752526
    },
    "battery": {
        "remainTime": null,
        "capaPrcent": 95,
        "capamAh": 13362
    },
    "WmBus": {
        "CptRxPreamb": 18443,
        "CptRxSync": 11639,
        "CPtRxFrames": 5632,
        "CptRxFramesCrcKo": 221,
        "CptRxFramesDecodeKo": 5786,
        "CptRxFramesLenKo": 0,
        "CptRxOverrun": 0,
        "CptRxTimeOut": 0,
        "CptRecFrames": 253
    }
},
"crc": 0
}"#;

const LOG: &str = r#"{
  "uid": "WE_1234",
  "source": "\schedule",
  "TS": 1560068897,
  "log": [
    {
      "T": 1598348100,
      "C": 33554432,
      "D": "[APP][appModeInit():133]mode: run"
    },
    {
      "T": 1598348100,
      "C": 33554432,
      "D": "[APP][appRun():27]run application"
    },
    {
      "T": 1598348100,
      "C": 3,
      "D": "[RADIO][appRadioTask():57]radio task"
    },
    {
      "T": 1598348100,
      "C": 3,
      "D": "[FRAME][Frame_FastFilter_Init():57]white list
filter disable"
    },
    {
      "T": 1598348100,
      "C": 33554432,
      "D": "[RADIO][appRadioTask():98]Windowsduration: 30"
    },
    {
      "T": 1598348130,
      "C": 33554432,
      "D": "[FRAME][Frame_Process_Cmd():226]RX Frame
count:5"
    },
    {
      "T": 1598348134,
      "C": 3,
      "D": "[PERIODIC][periodicTask():49]periodic task"
    },
    {
      "T": 1598348134,
      "C": 33554432,
      "D": "[RADIO][appRadioNextAlarm():144]Next Alarm:
Tue Aug 25 09:40:00 2020\n data: 30"
    }
  ],
  "crc": 0
}"#;

const CMD_FIRMWARE_BOTH: &str = r#"{
  "cmd": [{
    "type": "firmware",
    "cid": "firmwareBLE",
    "data": "WebdynEasy_BLE_V1.0.bson"
  },
  {
    "type": "firmware",
    "cid": "firmwareAPP",
    "data": "WebdynEasy_V1.0.bson"
  }
],
  "crc": 0
}"#;

const CMD_FIRMWARE_APP: &str = r#"{
  "cmd": {
    "type": "firmware",
    "data": "WebdynEasy_V1.0.bson"
  },
  "crc": 0
}"#;

const CMD_FIRMWARE_BLE: &str = r#"{
  "cmd": {
    "type": "firmware",
    "data": "WebdynEasy_BLE_V1.0.bson"
  },
  "crc": 0
}"#;

#[test]
fn config_examples() {
    let c = parse::<ConfigFile>(CFG_CRC_EXAMPLE).config;
    let ntp = c.remote.unwrap().ntp.unwrap().unwrap();
    assert_eq!(
        ntp,
        OneOrMany::Many(vec!["ntp.google.com".into(), String::new()])
    );

    let c = parse::<ConfigFile>(CFG_AES).config;
    let s = c.security.unwrap();
    assert_eq!(s.crc_mode, Some(CrcMode::Partial));
    assert_eq!(s.encryption, Some(true));
    assert_eq!(
        s.key,
        Some(Some(
            FileKey::from_hex("44:00:AA:F7:83:78:04:9C:AB:13:EE:4E:35:0E:28:1B").unwrap()
        ))
    );

    for text in [CFG_SYSTEM, CFG_LOCAL] {
        let c = parse::<ConfigFile>(text).config;
        assert_eq!(c.mode, Some(HubMode::Run));
        assert_eq!(c.name.as_deref(), Some("WebdynEasy"));
        assert_eq!(c.log_level, Some(2));
    }

    let r = parse::<ConfigFile>(CFG_RADIO).config.radio.unwrap();
    assert_eq!(one(&r.mode), vec![2]);
    assert_eq!(one(&r.duration), vec![60]);
    let m = r.manuf_filter.unwrap().unwrap();
    assert_eq!(m.0, vec![0x4C30, 0x11A5]);
    assert_eq!(m.letters(), vec![*b"SAP", *b"DME"]);
    assert_eq!(r.medium_filter.unwrap().unwrap().0, vec![0x07, 0x01]);
    // Keys written " longHeader" etc. (erratum E12).
    assert_eq!(r.long_header, Some(true));
    assert_eq!(r.skip_version_field, Some(false));
    assert_eq!(r.skip_medium_field, Some(false));

    let r = parse::<ConfigFile>(CFG_MULTI).config.radio.unwrap();
    assert_eq!(r.mode, Some(OneOrMany::Many(vec![2, 0])));
    assert_eq!(r.duration, Some(OneOrMany::Many(vec![120, 180])));

    let c = parse::<ConfigFile>(CFG_MODEM);
    assert!(c.problems().is_empty(), "{:?}", c.problems());
    let m = c.config.remote.unwrap().modem.unwrap();
    assert_eq!(m.mode, Some(ModemMode::Auto));
    assert_eq!(
        m.scanseq,
        Some(vec![ModemMode::LteM, ModemMode::G2, ModemMode::NbIot])
    );
    assert_eq!(m.band, Some(vec![3, 8, 20]));
    assert_eq!(m.deregister_on_local_action, Some(false));
    assert_eq!(m.cpin, Some(Some(Text::from("1234"))));
    assert_eq!(m.apn, Some(None));
    assert_eq!(m.user, Some(None));
    assert_eq!(m.pass, Some(None));
    assert_eq!(m.timeout, Some(240));
    assert_eq!(m.random_delay, Some(0));

    let f = parse::<ConfigFile>(CFG_FTP)
        .config
        .remote
        .unwrap()
        .ftp
        .unwrap();
    assert_eq!(f.mode, Some(0));
    assert_eq!(f.addr, Some(Some("ftp.webdyn.com:60".into())));
    assert_eq!(f.user, Some(Some("webdyn".into())));
    assert_eq!(f.pass, Some(Some("1234".into())));
    assert_eq!(f.dir, Some(Some("/site1234".into())));

    let ntp = parse::<ConfigFile>(CFG_NTP).config.remote.unwrap().ntp;
    assert_eq!(ntp, Some(Some(OneOrMany::One("pool.npt.org".into()))));

    let a = parse::<ConfigFile>(CFG_ALARMS).config.alarms.unwrap();
    assert_eq!(a.one_alarm_per_day, Some(true));
    assert_eq!(a.temperature, Some(None));
    assert_eq!(a.time_gap, Some(None));
    assert_eq!(a.battery, Some(Some(10)));

    let c = parse::<ConfigFile>(CFG_SCHED_RADIO);
    let s = c.config.schedule_radio.as_ref().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(one(&s[0].data), vec![30]);
    assert_eq!(s[1].cron.trim(), "15 23 * * *");
    assert_eq!(one(&s[1].data), vec![120]);
    // Erratum E23: "* /30 * * * * " has six fields; validation names it.
    let p = c.problems();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].field, "config.scheduleRadio[0].cron");

    let s = parse::<ConfigFile>(CFG_SCHED_RADIO_MULTI)
        .config
        .schedule_radio
        .unwrap();
    assert_eq!(s[0].data, Some(OneOrMany::Many(vec![30, 60])));
    assert_eq!(s[1].data, Some(OneOrMany::One(120)));

    let c = parse::<ConfigFile>(CFG_SCHED_FTP);
    assert!(c.problems().is_empty(), "{:?}", c.problems());
    let s = c.config.schedule_ftp.unwrap();
    assert_eq!((s[0].data, s[1].data), (Some(7), Some(1)));

    // " monitoringPeriod " with spaces (erratum E12).
    let c = parse::<ConfigFile>(CFG_MONITORING).config;
    assert_eq!(c.monitoring_period, Some(Some(60)));
}

#[test]
fn cron_grammar_of_the_manual() {
    for ok in [
        "5 * * * *",
        "0 * * * 1",
        "30 11-13 * * *",
        "5,12,47 * * * *",
        "0 */2 * * *",
        "0 0 * * * ",
    ] {
        assert_eq!(check_cron(ok), Ok(()), "{ok}");
    }
    for bad in [
        "* /30 * * * * ",
        "**/30 * * * * ",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 7",
        "5-1 * * * *",
    ] {
        assert!(check_cron(bad).is_err(), "{bad}");
    }
}

#[test]
fn whitelist_example_splits_glued_ids() {
    let w = parse::<WhitelistFile>(WHITELIST);
    let ids: Vec<MeterId> = w.wl_filter.as_ref().unwrap().iter().map(|e| e.id).collect();
    // Seven "$binary" strings of two 8-byte ids each (erratum E8).
    assert_eq!(ids.len(), 14);
    assert_eq!(ids[0].0, [0x14, 0x86, 0x44, 0xB1, 0x14, 0x00, 0x04, 0x11]);
    // "FIaachQADw8=": Apator (M 0x8614, bit 15 set), id 0014729A, v 0x0F, type 0x0F.
    assert_eq!(ids[4].manufacturer(), 0x8614);
    assert_eq!(ids[4].serial(), 0x0014_729A);
    assert_eq!((ids[4].version(), ids[4].device_type()), (0x0F, 0x0F));
    // "MEzBHKogzAE=": SAP (Diehl) IZAR 20AA1CC1, v 0xCC, type 0x01.
    assert_eq!(ids[12].0, [0x30, 0x4C, 0xC1, 0x1C, 0xAA, 0x20, 0xCC, 0x01]);
    assert_eq!(&ids[12].manufacturer_letters(), b"SAP");
    assert_eq!(ids[12].serial(), 0x20AA_1CC1);
    // "kiYQAwARHgM=": ITR (Itron) gas meter 11000310, v 0x1E.
    assert_eq!(&ids[13].manufacturer_letters(), b"ITR");
    assert_eq!(ids[13].serial(), 0x1100_0310);
    assert_eq!((ids[13].version(), ids[13].device_type()), (0x1E, 0x03));
    assert!(w.problems().is_empty());
    // The frame header a whitelisted meter sends carries the same 8 bytes.
    let frame = [
        0x19, 0x44, 0x30, 0x4C, 0xC1, 0x1C, 0xAA, 0x20, 0xCC, 0x01, 0xA2,
    ];
    assert_eq!(MeterId::from_frame(&frame), Some(ids[12]));

    let erase = parse::<WhitelistFile>(WHITELIST_ERASE);
    assert_eq!(erase, WhitelistFile::erase());
    assert_eq!(
        serde_json::to_value(&erase).unwrap(),
        serde_json::json!({"wlFilter": null})
    );
}

#[test]
fn data_example() {
    let d = parse::<DataFile>(DATA);
    assert_eq!(d.uid, "WE_1234");
    assert_eq!(d.source, "schedule");
    assert_eq!(d.ts, 1_560_068_897);
    assert_eq!(d.frame_count, Some(2));
    assert_eq!(d.data.len(), 2);
    assert_eq!((d.data[0].t, d.data[0].r), (1_560_066_602, 199));
    assert_eq!(
        d.data[0].f.0,
        [
            0x7C, 0x0B, 0xE2, 0x18, 0x8B, 0x24, 0x69, 0xF0, 0xF0, 0x03, 0x81, 0x34, 0x52, 0x43,
            0xB6, 0xEB
        ]
    );
    assert_eq!(d.data[0].rssi_dbm_guess(), Some(-57));
    assert_eq!(d.data[1].r, 178);
    // The second F is broken by a line break and a backslash (E5): relaxed,
    // 60 Base64 digits remain.
    assert_eq!(d.data[1].f.0.len(), 45);
    // Erratum E4: an 11-digit T is read, and validation points at it.
    assert_eq!(d.data[1].t, 15_600_645_887);
    let p = d.problems();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].field, "data[1].T");
    // The table spelling `ts`/`framecount` reads too (erratum E3); the
    // example spelling is written.
    let lower: DataFile = serde_json::from_str(
        r#"{"uid":"u","source":"usb","ts":5,"framecount":0,"data":[],"crc":0}"#,
    )
    .unwrap();
    assert_eq!((lower.ts, lower.frame_count), (5, Some(0)));
    let out = serde_json::to_value(&lower).unwrap();
    assert_eq!(
        out,
        serde_json::json!({"uid":"u","source":"usb","TS":5,"frameCount":0,"data":[]})
    );
}

#[test]
fn frames_are_written_as_extended_json_v2() {
    let d = parse::<DataFile>(DATA);
    let v = serde_json::to_value(&d.data[0]).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"T": 1_560_066_602, "R": 199, "F": {"$binary": {"base64": "fAviGIskafDwA4E0UkO26w==", "subType": "00"}}})
    );
}

#[test]
fn alarm_and_ack_examples() {
    let a = parse::<AlarmFile>(ALARM);
    assert_eq!(a.uid, "WE_1234");
    assert_eq!(a.source, "alarm");
    assert_eq!(a.ts, 1_560_068_897);
    assert_eq!(a.alarm.kind, AlarmKind::Temperature);
    assert_eq!(a.alarm.value, 45.0);

    let k = parse::<AckFile>(ACK);
    assert_eq!(k.source, "ftp");
    assert_eq!(k.ack.kind, AckKind::Cmd);
    assert_eq!(k.ack.cid.as_deref(), Some("c_1234"));
    assert_eq!(k.ack.result, AckResult::Ok);
    assert_eq!(k.ack.data.as_deref(), Some("/f10/152233-cmd.bson"));
}

#[test]
fn command_examples() {
    let cases = [
        (CMD_REQUEST, CommandKind::Request),
        (CMD_REQUEST2, CommandKind::Request),
        (CMD_FACTORY, CommandKind::Factory),
        (CMD_DIAG, CommandKind::Diag),
        (CMD_CONFIGGET, CommandKind::ConfigGet),
        (CMD_WLERASE, CommandKind::WhiteListErase),
        (CMD_OPINIT, CommandKind::OperatorInit),
        (CMD_LOGGET, CommandKind::LogGet),
        (CMD_LOGCLEAN, CommandKind::LogClean),
        (CMD_SUPCLEAN, CommandKind::SupervisionClean),
        // "supervisionGetClean" (erratum E28).
        (CMD_SUPGET, CommandKind::SupervisionGet),
        (CMD_CERT, CommandKind::Certificate),
        (CMD_CERTCLEAN, CommandKind::CertClean),
        (CMD_FIRMWARE_APP, CommandKind::Firmware),
        (CMD_FIRMWARE_BLE, CommandKind::Firmware),
    ];
    for (text, kind) in cases {
        let f = parse::<CommandFile>(text);
        let OneOrMany::One(c) = &f.cmd else {
            panic!("{text}")
        };
        assert_eq!(c.kind, kind);
        assert!(f.problems().is_empty(), "{:?}", f.problems());
    }
    let f = parse::<CommandFile>(CMD_DIAG);
    let c = &f.cmd.as_slice()[0];
    assert_eq!(c.uid.as_deref(), Some("123456"));
    assert_eq!(c.cid, "");
    let f = parse::<CommandFile>(CMD_CERT);
    let c = &f.cmd.as_slice()[0];
    assert_eq!(
        (c.cid.as_str(), c.data.as_deref()),
        ("123456", Some("cert.pem"))
    );
    let f = parse::<CommandFile>(CMD_FIRMWARE_APP);
    assert_eq!(
        f.cmd.as_slice()[0].data.as_deref(),
        Some("WebdynEasy_V1.0.bson")
    );

    let both = parse::<CommandFile>(CMD_FIRMWARE_BOTH);
    let OneOrMany::Many(list) = &both.cmd else {
        panic!()
    };
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].cid, "firmwareBLE");
    assert_eq!(list[0].data.as_deref(), Some("WebdynEasy_BLE_V1.0.bson"));
    assert_eq!(list[1].cid, "firmwareAPP");

    // The writer uses the hub's names and always emits cid (E26).
    let v = serde_json::to_value(parse::<CommandFile>(CMD_SUPGET)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"cmd": {"type": "supervisionGet", "cid": "123456"}})
    );
    // A firmware command without a file name is reported.
    let bad: CommandFile =
        serde_json::from_str(r#"{"cmd":{"type":"firmware","cid":"x"}}"#).unwrap();
    assert_eq!(bad.problems()[0].field, "cmd.data");
    let unknown = serde_json::from_str::<CommandFile>(r#"{"cmd":{"type":"reboot"}}"#).unwrap_err();
    assert!(unknown.to_string().contains("reboot"), "{unknown}");
}

#[test]
fn supervision_example() {
    // The example's "nwinf" line is not JSON (erratum E30); it is replaced by
    // the string it evidently meant, the Quectel AT+QNWINFO answer.
    let text = SUPERVISION.replace(
        r#""nwinf": "\"eMTC\"", "20801\"", "LTE BAND 20\"", 6400","#,
        r#""nwinf": "\"eMTC\",\"20801\",\"LTE BAND 20\",6400","#,
    );
    assert_ne!(text, SUPERVISION);
    let s = parse::<SupervisionFile>(&text);
    assert_eq!(s.ts, 1_598_349_735);
    let v = &s.supervision;
    let id = v.identity.as_ref().unwrap();
    assert_eq!(id.uid.as_deref(), Some("WE_1234"));
    assert_eq!(id.name.as_deref(), Some("1234"));
    assert_eq!(id.sn.as_deref(), Some("SN20200423_9876543210"));
    let ver = v.version.as_ref().unwrap();
    assert_eq!(ver.hw, Some(11));
    assert_eq!(ver.sw.as_deref(), Some("01.04"));
    assert_eq!(ver.sw_ble.as_deref(), Some("0.1"));
    assert_eq!(
        ver.sw_modem.as_deref(),
        Some("BG95M3LAR02A03_01.005.01.005")
    );
    let up = v.uptime.as_ref().unwrap();
    assert_eq!(
        (up.run, up.radio, up.modem, up.low_power),
        (Some(85484), Some(69090), Some(5873), Some(336_583))
    );
    let m = v.measures.as_ref().unwrap();
    assert_eq!((m.v_alim, m.temperature), (Some(7100), Some(15)));
    let h = m.histogram.as_ref().unwrap();
    assert_eq!(
        [
            h.below_minus_10,
            h.minus_10_to_0,
            h.from_0_to_10,
            h.from_10_to_20,
            h.from_20_to_30,
            h.from_30_to_40,
            h.above_40
        ],
        [
            Some(0),
            Some(0),
            Some(63),
            Some(73),
            Some(36),
            Some(0),
            Some(0)
        ]
    );
    let md = v.modem.as_ref().unwrap();
    assert_eq!(md.rssi, Some(-57));
    let q = md.quality.as_ref().unwrap();
    assert_eq!(
        (q.rssi, q.rsrp, q.rsrq, q.sinr),
        (Some(-57), Some(-79), Some(-13), Some(12))
    );
    assert_eq!(
        md.nwinfo.as_deref(),
        Some(r#""eMTC","20801","LTE BAND 20",6400"#)
    );
    assert_eq!(md.imei.as_deref(), Some("864475041522664"));
    assert_eq!(md.num.as_deref(), Some(""));
    assert_eq!(md.operator.as_deref(), Some("Orange F Things Mobile"));
    assert_eq!(md.mode.as_deref(), Some("LTEM"));
    assert_eq!(md.iccid, None);
    let c = v.counters.as_ref().unwrap();
    assert_eq!(
        [
            c.wakeup,
            c.magnet_wakeup,
            c.ble_wakeup,
            c.ftp,
            c.radio,
            c.alarms,
            c.usb,
            c.wd,
            c.fault
        ],
        [
            Some(2281),
            Some(4),
            Some(0),
            Some(137),
            Some(2094),
            Some(0),
            Some(14),
            Some(0),
            Some(0)
        ]
    );
    let d = v.dates.as_ref().unwrap();
    assert_eq!(d.last_config, Some(1_598_364_963));
    assert_eq!(d.last_update, Some(0));
    assert_eq!(d.last_cnx_ok, Some(1_610_968_521));
    assert_eq!(d.last_cnx_ko, Some(1_610_752_526));
    let b = v.battery.as_ref().unwrap();
    assert_eq!(b.remain_time, Some(None));
    assert_eq!((b.capa_percent, b.capa_mah), (Some(95), Some(13362)));
    let w = v.wmbus.as_ref().unwrap();
    assert_eq!(w.rx_preamble, Some(18443));
    assert_eq!(w.rx_sync, Some(11639));
    assert_eq!(w.rx_frames, Some(5632));
    assert_eq!(w.rx_frames_crc_ko, Some(221));
    assert_eq!(w.rx_frames_decode_ko, Some(5786));
    assert_eq!(w.recorded_frames, Some(253));
    // The table's spellings read into the same fields (E30, E31).
    let table: SupervisionFile = serde_json::from_str(
        r#"{"uid":"u","TS":1,"supervision":{"modem":{"rsi":-60,"quality":{"rsqi":-61},"nwinfo":"x"},
            "measures":{"histogram":{"above 40°c":3}},"WmBus":{"CPTrxFrames":9}}}"#,
    )
    .unwrap();
    let md = table.supervision.modem.unwrap();
    assert_eq!(
        (md.rssi, md.quality.unwrap().rssi, md.nwinfo.as_deref()),
        (Some(-60), Some(-61), Some("x"))
    );
    assert_eq!(
        table
            .supervision
            .measures
            .unwrap()
            .histogram
            .unwrap()
            .above_40,
        Some(3)
    );
    assert_eq!(table.supervision.wmbus.unwrap().rx_frames, Some(9));
}

#[test]
fn log_example() {
    let l = parse::<LogFile>(LOG);
    // "\schedule" (a stray backslash) relaxed to "schedule".
    assert_eq!(l.source, "schedule");
    assert_eq!(l.log.len(), 8);
    assert_eq!(l.log[0].t, 1_598_348_100);
    assert_eq!(l.log[0].c, 0x0200_0000);
    assert_eq!(
        l.log[0].d.as_deref(),
        Some("[APP][appModeInit():133]mode: run")
    );
    assert_eq!(l.log[2].c, 3);
    assert_eq!(
        l.log[3].d.as_deref(),
        Some("[FRAME][Frame_FastFilter_Init():57]white list filter disable")
    );
    assert_eq!(l.log[7].t, 1_598_348_134);
    assert!(l.log[7].d.as_deref().unwrap().ends_with("2020\n data: 30"));
    assert!(l.problems().is_empty());
}

#[test]
fn validation_names_the_field() {
    let c: ConfigFile = serde_json::from_str(
        r#"{"config":{"logLevel":4,"radio":{"mode":[2,3],"duration":[60]},"local":{"blePin":"12a4","testCount":31,"timeout":30},
            "remote":{"modem":{"timeout":30,"band":[7],"apn":"0123456789012345678901234567890123"},"ftp":{"addr":"h:70000"}},
            "alarms":{"temperature":60,"battery":0},"monitoringPeriod":10,"scheduleFTP":[{"cron":"0 0 * * *","data":8}]}}"#,
    )
    .unwrap();
    let fields: Vec<String> = c.problems().into_iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            "config.logLevel",
            "config.radio.mode[1]",
            "config.radio.duration",
            "config.local.blePin",
            "config.local.testCount",
            "config.local.timeout",
            "config.remote.modem.band[0]",
            "config.remote.modem.apn",
            "config.remote.modem.timeout",
            "config.remote.ftp.addr",
            "config.alarms.temperature",
            "config.scheduleFTP[0].data",
            "config.monitoringPeriod",
        ]
    );
    let e = c.validate().unwrap_err();
    assert_eq!(e.to_string(), "config.logLevel: 4 is outside 0..=3");
    // The documented defaults are valid.
    assert!(
        webdyn_files::easy::config::Config::factory_defaults()
            .problems()
            .is_empty()
    );
}
