//! Configuration files (manual §4.2, §5.2, appendix §9.1): `<uid>-cfg.bson`
//! sent to the hub, `<uid>-<ts>-config.bson` uploaded by it.
//!
//! Every field is optional: the hub accepts partial files and only changes
//! what is present. Where `null` means something (disable, erase, "account
//! root"), the field is `Option<Option<T>>`: `None` = absent (keep),
//! `Some(None)` = `null`.
//!
//! Each field's documentation gives its type, range and default from the
//! manual; [`Validate`] checks them and names the field at fault.
//! [`Config::factory_defaults`] builds the documented defaults.
//!
//! Read leniently, per the manual's errata: key spellings `Config`/`Remote`/
//! `NTP` (E1), `scansq`/`use` (E15), keys with stray spaces (E12), `cpin` as
//! a number (E16), `ntp` as a string or an array (E18), `LTEM` for `LTE-M`
//! (E14).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::envelope::CrcMode;
use super::key::FileKey;
use super::validate::{Checker, Validate, ValidationError};
use super::value::{Binary, OneOrMany, Text, nullable};

/// A configuration file: `{"config": {...}, "crc": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConfigFile {
    /// The configuration.
    #[serde(alias = "Config", alias = "CONFIG")]
    pub config: Config,
}

/// The hub configuration (all of it, or any part).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Config {
    /// Application version (information only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Unix time of the last configuration (information only; typed
    /// "Text" by the manual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Text>,
    /// Hub identifier (information only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<Text>,
    /// Hub name (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Serial number (information only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sn: Option<Text>,
    /// Operating mode. Switching to `factorySettings` or `storage` remotely
    /// means RUN can only be restored locally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<HubMode>,
    /// 0 error, 1 warning, 2 info, 3 debug. Default 2.
    #[serde(
        rename = "logLevel",
        alias = "loglevel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub log_level: Option<i32>,
    /// W M-Bus reception.
    #[serde(alias = "Radio", default, skip_serializing_if = "Option::is_none")]
    pub radio: Option<Radio>,
    /// CRC checking and file encryption.
    #[serde(alias = "Security", default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,
    /// Local interfaces (magnet, BLE, tests).
    #[serde(alias = "Local", default, skip_serializing_if = "Option::is_none")]
    pub local: Option<Local>,
    /// Modem, FTP server and NTP.
    #[serde(alias = "Remote", default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<Remote>,
    /// Alarm thresholds.
    #[serde(alias = "Alarms", default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<Alarms>,
    /// Listening windows: up to 8 triggers; the first of simultaneous
    /// triggers wins.
    #[serde(
        rename = "scheduleRadio",
        alias = "scheduleradio",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schedule_radio: Option<Vec<RadioTrigger>>,
    /// Server connections: up to 8 triggers.
    #[serde(
        rename = "scheduleFTP",
        alias = "scheduleFtp",
        alias = "scheduleftp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub schedule_ftp: Option<Vec<FtpTrigger>>,
    /// Sampling period of temperature and battery, minutes: 15–1440;
    /// null or 0 disables. Default 60.
    #[serde(
        rename = "monitoringPeriod",
        alias = " monitoringPeriod ",
        alias = "monitoringperiod",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub monitoring_period: Option<Option<i32>>,
}

/// `mode`: the hub's operating mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HubMode {
    /// No configuration.
    #[serde(rename = "factorySettings", alias = "factorysettings")]
    FactorySettings,
    /// Configured but dormant.
    #[serde(rename = "storage")]
    Storage,
    /// Running.
    #[serde(rename = "run")]
    Run,
}

/// `radio`: W M-Bus reception.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Radio {
    /// 0 = S1, 1 = T1, 2 = T1+C1 (default 2). An array selects
    /// multi-listening: one window per element, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<OneOrMany<i32>>,
    /// Rewrite the L-field of format-B frames to the format-A meaning.
    /// Default true.
    #[serde(
        rename = "BFormatLFieldAdaptation",
        alias = "bFormatLFieldAdaptation",
        alias = "bformatlfieldadaptation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub b_format_l_field_adaptation: Option<bool>,
    /// Listening window, seconds: 1–3600, default 60; one per mode with
    /// multi-listening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<OneOrMany<i32>>,
    /// Accepted manufacturers (≤ 8); none = all.
    #[serde(
        rename = "manufFilter",
        alias = "manuffilter",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub manuf_filter: Option<Option<ManufacturerFilter>>,
    /// Accepted device types (≤ 8); none = all.
    #[serde(
        rename = "mediumFilter",
        alias = "mediumfilter",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub medium_filter: Option<Option<MediumFilter>>,
    /// Identify CI 0x72 meters by their long TPL header. Default true.
    #[serde(
        rename = "longHeader",
        alias = " longHeader",
        alias = "longheader",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub long_header: Option<bool>,
    /// Ignore the version byte in whitelist matching. Default false.
    #[serde(
        rename = "skipVersionField",
        alias = " skipVersionField",
        alias = "skipversionfield",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_version_field: Option<bool>,
    /// Ignore the device-type byte in whitelist matching. Default false.
    #[serde(
        rename = "skipMediumField",
        alias = " skipMediumField",
        alias = "skipmediumfield",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_medium_field: Option<bool>,
}

/// `radio.manufFilter`: manufacturer codes, stored big-endian in a binary
/// (the manual's example `TDARpQ==` = 0x4C30 "SAP", 0x11A5 "DME" only reads
/// sensibly that way, erratum E11) — the reverse of the on-air order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ManufacturerFilter(pub Vec<u16>);

impl ManufacturerFilter {
    /// The three-letter codes (FLAG association letters).
    pub fn letters(&self) -> Vec<[u8; 3]> {
        self.0.iter().map(|&m| manufacturer_letters(m)).collect()
    }
}

/// The three letters of a manufacturer field (5 bits each, `A` = 1).
pub fn manufacturer_letters(m: u16) -> [u8; 3] {
    let l = |shift: u16| b'@' + ((m >> shift) & 0x1F) as u8;
    [l(10), l(5), l(0)]
}

impl Serialize for ManufacturerFilter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|m| m.to_be_bytes()).collect();
        Binary(bytes).serialize(s)
    }
}

impl<'de> Deserialize<'de> for ManufacturerFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b = Binary::deserialize(d)?;
        if b.0.len() % 2 != 0 {
            return Err(serde::de::Error::custom(format!(
                "manufFilter: {} bytes, codes are 2 bytes each",
                b.0.len()
            )));
        }
        Ok(ManufacturerFilter(
            b.0.chunks_exact(2)
                .map(|p| {
                    u16::from_be_bytes([
                        p.first().copied().unwrap_or(0),
                        p.get(1).copied().unwrap_or(0),
                    ])
                })
                .collect(),
        ))
    }
}

/// `radio.mediumFilter`: device-type bytes (the last A-field byte;
/// erratum E10).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MediumFilter(pub Vec<u8>);

impl Serialize for MediumFilter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Binary(self.0.clone()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for MediumFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(MediumFilter(Binary::deserialize(d)?.0))
    }
}

/// `security`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Security {
    /// 0 none, 1 partial (no check when the CRC is 0), 2 always. Default 1.
    #[serde(
        rename = "crcMode",
        alias = "crcmode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub crc_mode: Option<CrcMode>,
    /// Encrypt every file (AES-128-CBC). Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<bool>,
    /// The 16-byte AES key (Base64 binary in JSON). Default null.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub key: Option<Option<FileKey>>,
}

impl Serialize for FileKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Binary(self.as_bytes().to_vec()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for FileKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b = Binary::deserialize(d)?;
        let k: [u8; 16] = b.0.as_slice().try_into().map_err(|_| {
            serde::de::Error::custom(format!(
                "security.key: {} bytes, an AES-128 key is 16",
                b.0.len()
            ))
        })?;
        Ok(FileKey::new(k))
    }
}

/// `local`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Local {
    /// Second magnet pass in RUN: 0 BLE + modem, 1 diagnosis, 2 request.
    /// Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magnet: Option<i32>,
    /// BLE PIN, 4 digits. Default "1234".
    #[serde(
        rename = "blePin",
        alias = "blepin",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ble_pin: Option<Text>,
    /// Phone numbers allowed to issue commands: ≤ 4, ≤ 16 digits each;
    /// null = all (erratum E25: no SMS channel is documented).
    #[serde(
        rename = "whiteList",
        alias = "whitelist",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub white_list: Option<Option<Vec<Text>>>,
    /// Installation test repetitions: 1–30. Default 1.
    #[serde(
        rename = "testCount",
        alias = "testcount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub test_count: Option<i32>,
    /// Test time-out, seconds: 60–3600, 0 disables. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
}

/// `remote`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Remote {
    /// The cellular modem.
    #[serde(alias = "Modem", default, skip_serializing_if = "Option::is_none")]
    pub modem: Option<ModemConfig>,
    /// The FTP server.
    #[serde(
        alias = "FTP",
        alias = "Ftp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ftp: Option<Ftp>,
    /// NTP server `host[:port]` (≤ 64, port default 123); also written as
    /// an array of strings (erratum E18). Default `pool.ntp.org`.
    #[serde(
        alias = "NTP",
        alias = "Ntp",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub ntp: Option<Option<OneOrMany<String>>>,
}

/// A radio access technology of the modem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModemMode {
    /// GSM.
    #[serde(rename = "2G", alias = "2g")]
    G2,
    /// LTE-M (also read as `LTEM`, erratum E14).
    #[serde(rename = "LTE-M", alias = "LTEM", alias = "lte-m", alias = "ltem")]
    LteM,
    /// NB-IoT.
    #[serde(rename = "NB-IoT", alias = "NBIoT", alias = "nb-iot", alias = "NB-IOT")]
    NbIot,
    /// Automatic: LTE-M first, then 2G.
    #[serde(rename = "auto", alias = "Auto", alias = "AUTO")]
    Auto,
}

/// `remote.modem`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModemConfig {
    /// Technology: `2G`, `LTE-M`, `NB-IoT` or `auto`. Default `auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ModemMode>,
    /// Scan order in `auto` mode.
    #[serde(alias = "scansq", default, skip_serializing_if = "Option::is_none")]
    pub scanseq: Option<Vec<ModemMode>>,
    /// NB-IoT bands: 1, 2, 3, 4, 5, 8, 12, 13, 18, 19, 20, 25, 28, 66, 85.
    /// Default: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Vec<i32>>,
    /// Deregister from the network on a local action. Default false.
    #[serde(
        rename = "deregisterOnLocalAction",
        alias = "deregisteronlocalaction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deregister_on_local_action: Option<bool>,
    /// SIM PIN, ≤ 8 characters; null = none (a number is read too, E16).
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub cpin: Option<Option<Text>>,
    /// APN, ≤ 32. Default null.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub apn: Option<Option<String>>,
    /// PPP login, ≤ 32. Default null.
    #[serde(
        alias = "use",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<Option<String>>,
    /// PPP password, ≤ 32. Default null.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub pass: Option<Option<String>>,
    /// Connection time-out, seconds: 60–1800. Default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// Random delay before connecting, minutes: 0–60. Default 0.
    #[serde(
        rename = "randomDelay",
        alias = "randomdelay",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub random_delay: Option<i32>,
}

/// `remote.ftp`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ftp {
    /// 0 FTP, 1 FTPS. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
    /// Server `host[:port]` (port 1–65535, default 21), ≤ 64.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub addr: Option<Option<String>>,
    /// Login, ≤ 32.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub user: Option<Option<String>>,
    /// Password, ≤ 32.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub pass: Option<Option<String>>,
    /// Root directory, ≤ 64; null = the account's root.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub dir: Option<Option<String>>,
}

/// `alarms`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Alarms {
    /// At most one alarm upload per day. Default true.
    #[serde(
        rename = "oneAlarmPerDay",
        alias = "onealarmperday",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub one_alarm_per_day: Option<bool>,
    /// Temperature threshold, °C: 10–50; null or 0 disables.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub temperature: Option<Option<i32>>,
    /// Clock drift against NTP, seconds: 2–3600; null or 0 disables.
    #[serde(
        rename = "timeGap",
        alias = "timegap",
        default,
        with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_gap: Option<Option<i32>>,
    /// Battery threshold, %: 10–99; null or 0 disables.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    pub battery: Option<Option<i32>>,
}

/// A `scheduleRadio` trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RadioTrigger {
    /// `mm hh dd MM DD`.
    pub cron: String,
    /// Window length, seconds: 30–3600, one per mode with multi-listening;
    /// absent = `radio.duration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<OneOrMany<i32>>,
}

/// A `scheduleFTP` trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FtpTrigger {
    /// `mm hh dd MM DD`.
    pub cron: String,
    /// What to upload: bit 0 data, bit 1 supervision, bit 2 log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<i32>,
}

/// Checks a cron expression `mm hh dd MM DD` (manual §4.2.5.1): five
/// fields, each `*`, a value, a range `a-b`, a list `a,b,c` or an interval
/// `*/n` (or `a-b/n`). Surrounding spaces are allowed (the manual's examples
/// have them).
pub fn check_cron(expr: &str) -> Result<(), String> {
    const FIELDS: [(&str, u32, u32); 5] = [
        ("minute", 0, 59),
        ("hour", 0, 23),
        ("day of month", 1, 31),
        ("month", 1, 12),
        ("day of week", 0, 6),
    ];
    let parts: Vec<&str> = expr.split_whitespace().collect();
    if parts.len() != FIELDS.len() {
        return Err(format!(
            "{} fields, a cron has 5 (mm hh dd MM DD)",
            parts.len()
        ));
    }
    for (part, (what, lo, hi)) in parts.iter().zip(FIELDS) {
        for item in part.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((r, s)) => (r, Some(s)),
                None => (item, None),
            };
            let value = |t: &str| -> Result<u32, String> {
                let v: u32 = t.parse().map_err(|_| {
                    format!("{what} {item:?} is not a number, *, range, list or */n")
                })?;
                if v < lo || v > hi {
                    return Err(format!("{what} {v} is outside {lo}..={hi}"));
                }
                Ok(v)
            };
            if let Some(s) = step {
                let n: u32 = s
                    .parse()
                    .map_err(|_| format!("{what} step {s:?} is not a number"))?;
                if n == 0 {
                    return Err(format!("{what} step is 0"));
                }
            }
            if range == "*" {
                continue;
            }
            match range.split_once('-') {
                Some((a, b)) => {
                    if value(a)? > value(b)? {
                        return Err(format!("{what} range {range} is reversed"));
                    }
                }
                None => {
                    value(range)?;
                }
            }
        }
    }
    Ok(())
}

fn str_of(v: &Option<Option<String>>) -> Option<&str> {
    v.as_ref().and_then(|x| x.as_deref())
}

impl Config {
    /// The defaults the manual documents for every variable that has one.
    pub fn factory_defaults() -> Config {
        Config {
            log_level: Some(2),
            radio: Some(Radio {
                mode: Some(OneOrMany::One(2)),
                b_format_l_field_adaptation: Some(true),
                duration: Some(OneOrMany::One(60)),
                manuf_filter: Some(None),
                medium_filter: Some(None),
                long_header: Some(true),
                skip_version_field: Some(false),
                skip_medium_field: Some(false),
            }),
            security: Some(Security {
                crc_mode: Some(CrcMode::Partial),
                encryption: Some(false),
                key: Some(None),
            }),
            local: Some(Local {
                magnet: Some(0),
                ble_pin: Some(Text::from("1234")),
                white_list: Some(None),
                test_count: Some(1),
                timeout: Some(0),
            }),
            remote: Some(Remote {
                modem: Some(ModemConfig {
                    mode: Some(ModemMode::Auto),
                    deregister_on_local_action: Some(false),
                    cpin: Some(None),
                    apn: Some(None),
                    user: Some(None),
                    pass: Some(None),
                    timeout: Some(300),
                    random_delay: Some(0),
                    ..ModemConfig::default()
                }),
                ftp: Some(Ftp {
                    mode: Some(0),
                    addr: Some(None),
                    user: Some(None),
                    pass: Some(None),
                    dir: Some(None),
                }),
                ntp: Some(Some(OneOrMany::One(String::from("pool.ntp.org")))),
            }),
            alarms: Some(Alarms {
                one_alarm_per_day: Some(true),
                temperature: Some(None),
                time_gap: Some(None),
                battery: Some(None),
            }),
            monitoring_period: Some(Some(60)),
            ..Config::default()
        }
    }
}

const NB_IOT_BANDS: [i32; 15] = [1, 2, 3, 4, 5, 8, 12, 13, 18, 19, 20, 25, 28, 66, 85];

impl Validate for ConfigFile {
    fn problems(&self) -> Vec<ValidationError> {
        self.config.problems()
    }
}

impl Validate for Config {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        let r = |v: Option<i32>| v.map(i64::from);
        c.range("config.logLevel", r(self.log_level), 0, 3, "");
        if let Some(radio) = &self.radio {
            let modes = radio.mode.as_ref().map_or(&[][..], OneOrMany::as_slice);
            for (i, m) in modes.iter().enumerate() {
                c.range(
                    &format!("config.radio.mode[{i}]"),
                    Some(i64::from(*m)),
                    0,
                    2,
                    " (0 S1, 1 T1, 2 T1+C1)",
                );
            }
            let durations = radio.duration.as_ref().map_or(&[][..], OneOrMany::as_slice);
            for (i, d) in durations.iter().enumerate() {
                c.range(
                    &format!("config.radio.duration[{i}]"),
                    Some(i64::from(*d)),
                    1,
                    3600,
                    " s",
                );
            }
            if let (Some(OneOrMany::Many(m)), Some(OneOrMany::Many(d))) =
                (&radio.mode, &radio.duration)
                && m.len() != d.len()
            {
                c.fail(
                    "config.radio.duration",
                    format!(
                        "{} durations for {} modes: multi-listening needs one per mode",
                        d.len(),
                        m.len()
                    ),
                );
            }
            if let Some(Some(f)) = &radio.manuf_filter
                && f.0.len() > 8
            {
                c.fail(
                    "config.radio.manufFilter",
                    format!("{} codes, at most 8", f.0.len()),
                );
            }
            if let Some(Some(f)) = &radio.medium_filter
                && f.0.len() > 8
            {
                c.fail(
                    "config.radio.mediumFilter",
                    format!("{} codes, at most 8", f.0.len()),
                );
            }
        }
        if let Some(sec) = &self.security
            && sec.encryption == Some(true)
            && matches!(sec.key, Some(None))
        {
            c.fail("config.security.key", "null while encryption is on");
        }
        if let Some(l) = &self.local {
            c.range(
                "config.local.magnet",
                r(l.magnet),
                0,
                2,
                " (0 BLE+modem, 1 diag, 2 request)",
            );
            if let Some(pin) = &l.ble_pin
                && (pin.0.len() != 4 || !pin.0.bytes().all(|b| b.is_ascii_digit()))
            {
                c.fail(
                    "config.local.blePin",
                    format!("{:?} is not 4 digits", pin.0),
                );
            }
            if let Some(Some(list)) = &l.white_list {
                if list.len() > 4 {
                    c.fail(
                        "config.local.whiteList",
                        format!("{} numbers, at most 4", list.len()),
                    );
                }
                for (i, n) in list.iter().enumerate() {
                    let digits = n.0.trim_start_matches('+');
                    if digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        c.fail(
                            format!("config.local.whiteList[{i}]"),
                            format!("{:?} is not up to 16 digits", n.0),
                        );
                    }
                }
            }
            c.range("config.local.testCount", r(l.test_count), 1, 30, "");
            c.range_or_zero("config.local.timeout", r(l.timeout), 60, 3600, " s");
        }
        if let Some(remote) = &self.remote {
            if let Some(m) = &remote.modem {
                for (i, s) in m.scanseq.iter().flatten().enumerate() {
                    if *s == ModemMode::Auto {
                        c.fail(
                            format!("config.remote.modem.scanseq[{i}]"),
                            "auto is not a technology to scan",
                        );
                    }
                }
                for (i, b) in m.band.iter().flatten().enumerate() {
                    if !NB_IOT_BANDS.contains(b) {
                        c.fail(
                            format!("config.remote.modem.band[{i}]"),
                            format!("{b} is not an NB-IoT band of the BG95 ({NB_IOT_BANDS:?})"),
                        );
                    }
                }
                if let Some(Some(p)) = &m.cpin {
                    c.max_len("config.remote.modem.cpin", Some(&p.0), 8);
                }
                c.max_len("config.remote.modem.apn", str_of(&m.apn), 32);
                c.max_len("config.remote.modem.user", str_of(&m.user), 32);
                c.max_len("config.remote.modem.pass", str_of(&m.pass), 32);
                c.range("config.remote.modem.timeout", r(m.timeout), 60, 1800, " s");
                c.range(
                    "config.remote.modem.randomDelay",
                    r(m.random_delay),
                    0,
                    60,
                    " min",
                );
            }
            if let Some(f) = &remote.ftp {
                c.range(
                    "config.remote.ftp.mode",
                    r(f.mode),
                    0,
                    1,
                    " (0 FTP, 1 FTPS)",
                );
                c.max_len("config.remote.ftp.addr", str_of(&f.addr), 64);
                if let Some((_, port)) = str_of(&f.addr).and_then(|a| a.rsplit_once(':')) {
                    match port.parse::<u32>() {
                        Ok(p) if (1..=65535).contains(&p) => {}
                        _ => c.fail(
                            "config.remote.ftp.addr",
                            format!("port {port:?} is not 1..=65535"),
                        ),
                    }
                }
                c.max_len("config.remote.ftp.user", str_of(&f.user), 32);
                c.max_len("config.remote.ftp.pass", str_of(&f.pass), 32);
                c.max_len("config.remote.ftp.dir", str_of(&f.dir), 64);
            }
            if let Some(Some(ntp)) = &remote.ntp {
                for (i, n) in ntp.as_slice().iter().enumerate() {
                    c.max_len(&format!("config.remote.ntp[{i}]"), Some(n), 64);
                }
            }
        }
        if let Some(a) = &self.alarms {
            let flat = |v: &Option<Option<i32>>| v.flatten().map(i64::from);
            c.range_or_zero(
                "config.alarms.temperature",
                flat(&a.temperature),
                10,
                50,
                " °C",
            );
            c.range_or_zero("config.alarms.timeGap", flat(&a.time_gap), 2, 3600, " s");
            c.range_or_zero("config.alarms.battery", flat(&a.battery), 10, 99, " %");
        }
        if let Some(list) = &self.schedule_radio {
            if list.len() > 8 {
                c.fail(
                    "config.scheduleRadio",
                    format!("{} triggers, at most 8", list.len()),
                );
            }
            for (i, t) in list.iter().enumerate() {
                if let Err(e) = check_cron(&t.cron) {
                    c.fail(format!("config.scheduleRadio[{i}].cron"), e);
                }
                for (j, d) in t
                    .data
                    .as_ref()
                    .map_or(&[][..], OneOrMany::as_slice)
                    .iter()
                    .enumerate()
                {
                    c.range(
                        &format!("config.scheduleRadio[{i}].data[{j}]"),
                        Some(i64::from(*d)),
                        30,
                        3600,
                        " s",
                    );
                }
            }
        }
        if let Some(list) = &self.schedule_ftp {
            if list.len() > 8 {
                c.fail(
                    "config.scheduleFTP",
                    format!("{} triggers, at most 8", list.len()),
                );
            }
            for (i, t) in list.iter().enumerate() {
                if let Err(e) = check_cron(&t.cron) {
                    c.fail(format!("config.scheduleFTP[{i}].cron"), e);
                }
                c.range(
                    &format!("config.scheduleFTP[{i}].data"),
                    r(t.data),
                    0,
                    7,
                    " (bit 0 data, 1 supervision, 2 log)",
                );
            }
        }
        c.range_or_zero(
            "config.monitoringPeriod",
            self.monitoring_period.flatten().map(i64::from),
            15,
            1440,
            " min",
        );
        c.errors
    }
}
