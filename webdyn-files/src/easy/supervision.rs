//! Supervision files (`/SUPERVISION/<uid>-<ts>-supervision.bson`, manual
//! §5.7): identity, versions, uptimes, measures, modem, counters, dates,
//! battery and radio statistics.
//!
//! Every field is optional (the example omits `iccid`) and both the table's
//! and the example's key spellings are read (erratum E30: `rsi`/`rssi`,
//! `rsqi`/`rssi`, `nwinfo`/`nwinf`, `CPTrxFrames`/`CPtRxFrames`; E31: `°c`/`°C`
//! in the histogram). The example's spelling is written.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::validate::{Checker, Validate, ValidationError};
use super::value::int;

/// A supervision file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionFile {
    /// The hub identifier.
    pub uid: String,
    /// What triggered the upload.
    #[serde(default)]
    pub source: String,
    /// File creation time, Unix seconds UTC.
    #[serde(
        rename = "TS",
        alias = "ts",
        alias = "Ts",
        serialize_with = "int::serialize",
        deserialize_with = "int::deserialize"
    )]
    pub ts: i64,
    /// The report.
    pub supervision: Supervision,
}

/// The supervision report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Supervision {
    /// Who the hub is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Hardware and software versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Versions>,
    /// Cumulated times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime: Option<Uptime>,
    /// Supply and temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Measures>,
    /// The cellular modem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modem: Option<Modem>,
    /// Event counters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counters: Option<Counters>,
    /// Dates of notable events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Dates>,
    /// Battery estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery: Option<Battery>,
    /// Radio statistics (for Webdyn support).
    #[serde(
        rename = "WmBus",
        alias = "wmbus",
        alias = "wmBus",
        alias = "WMBus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub wmbus: Option<WmBusCounters>,
}

/// `identity`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Identity {
    /// Hub identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Hub name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Serial number.
    #[serde(
        rename = "SN",
        alias = "sn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sn: Option<String>,
}

/// `version`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Versions {
    /// Hardware version.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub hw: Option<i64>,
    /// Application software version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sw: Option<String>,
    /// BLE module version.
    #[serde(
        rename = "swBle",
        alias = "swble",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sw_ble: Option<String>,
    /// Modem firmware.
    #[serde(
        rename = "swModem",
        alias = "swmodem",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sw_modem: Option<String>,
}

/// `uptime`, seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Uptime {
    /// In RUN mode.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub run: Option<i64>,
    /// Radio listening.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub radio: Option<i64>,
    /// Modem on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub modem: Option<i64>,
    /// Standby.
    #[serde(
        rename = "lowPower",
        alias = "lowpower",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub low_power: Option<i64>,
}

/// `measures`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Measures {
    /// Supply voltage, mV.
    #[serde(
        rename = "vAlim",
        alias = "valim",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub v_alim: Option<i64>,
    /// Temperature, °C.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub temperature: Option<i64>,
    /// Temperature histogram (sample counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
}

/// `measures.histogram`: sample counts per temperature band.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Histogram {
    /// Below -10 °C.
    #[serde(
        rename = "below -10°C",
        alias = "below -10°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub below_minus_10: Option<i64>,
    /// -10 °C to 0 °C.
    #[serde(
        rename = "-10°C to 0°C",
        alias = "-10°c to 0°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub minus_10_to_0: Option<i64>,
    /// 0 °C to 10 °C.
    #[serde(
        rename = "0°C to 10°C",
        alias = "0°c to 10°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub from_0_to_10: Option<i64>,
    /// 10 °C to 20 °C.
    #[serde(
        rename = "10°C to 20°C",
        alias = "10°c to 20°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub from_10_to_20: Option<i64>,
    /// 20 °C to 30 °C.
    #[serde(
        rename = "20°C to 30°C",
        alias = "20°c to 30°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub from_20_to_30: Option<i64>,
    /// 30 °C to 40 °C.
    #[serde(
        rename = "30°C to 40°C",
        alias = "30°c to 40°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub from_30_to_40: Option<i64>,
    /// Above 40 °C.
    #[serde(
        rename = "above 40°C",
        alias = "above 40°c",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub above_40: Option<i64>,
}

/// `modem`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Modem {
    /// RSSI of the last connection, dBm (table `rsi`, example `rssi`).
    #[serde(
        alias = "rsi",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rssi: Option<i64>,
    /// Link quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
    /// Technology, operator, band, channel (table `nwinfo`, example `nwinf`).
    #[serde(alias = "nwinf", default, skip_serializing_if = "Option::is_none")]
    pub nwinfo: Option<String>,
    /// IMEI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imei: Option<String>,
    /// SIM ICCID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iccid: Option<String>,
    /// SIM phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num: Option<String>,
    /// Operator name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Technology in use (`2G`, `LTEM`, `auto`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// `modem.quality`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Quality {
    /// RSSI (table `rsqi`, example `rssi`).
    #[serde(
        alias = "rsqi",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rssi: Option<i64>,
    /// RSRP (LTE-M / NB-IoT).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rsrp: Option<i64>,
    /// RSRQ (LTE-M / NB-IoT).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rsrq: Option<i64>,
    /// SINR (LTE-M / NB-IoT).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub sinr: Option<i64>,
}

/// `counters`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    /// Wake-ups.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub wakeup: Option<i64>,
    /// Wake-ups by magnet.
    #[serde(
        rename = "magnetWakeup",
        alias = "magnetwakeup",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub magnet_wakeup: Option<i64>,
    /// Wake-ups by BLE.
    #[serde(
        rename = "bleWakeup",
        alias = "blewakeup",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub ble_wakeup: Option<i64>,
    /// FTP connections.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub ftp: Option<i64>,
    /// Radio windows.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub radio: Option<i64>,
    /// Alarms sent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub alarms: Option<i64>,
    /// USB sessions.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub usb: Option<i64>,
    /// Watchdog resets.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub wd: Option<i64>,
    /// Fatal errors.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub fault: Option<i64>,
}

/// `dates`, Unix seconds (0 = never).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dates {
    /// Last configuration change.
    #[serde(
        rename = "lastConfig",
        alias = "lastconfig",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub last_config: Option<i64>,
    /// Last firmware update.
    #[serde(
        rename = "lastUpdate",
        alias = "lastupdate",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub last_update: Option<i64>,
    /// Last power-on.
    #[serde(
        rename = "lastPowerOn",
        alias = "lastpoweron",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub last_power_on: Option<i64>,
    /// Last successful connection.
    #[serde(
        rename = "lastCnxOk",
        alias = "lastcnxok",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub last_cnx_ok: Option<i64>,
    /// Last failed connection.
    #[serde(
        rename = "lastCnxKo",
        alias = "lastcnxko",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub last_cnx_ko: Option<i64>,
}

/// `battery`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Battery {
    /// Remaining months; `null` until a month of use allows an estimate.
    #[serde(
        rename = "remainTime",
        alias = "remaintime",
        default,
        with = "super::value::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub remain_time: Option<Option<i64>>,
    /// Remaining capacity, %.
    #[serde(
        rename = "capaPrcent",
        alias = "capaprcent",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub capa_percent: Option<i64>,
    /// Remaining capacity, mAh.
    #[serde(
        rename = "capamAh",
        alias = "capamah",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub capa_mah: Option<i64>,
}

/// `WmBus`: radio statistics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[allow(missing_docs)] // the hub's counter names; the manual says "for Webdyn support"
pub struct WmBusCounters {
    /// Preambles detected.
    #[serde(
        rename = "CptRxPreamb",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_preamble: Option<i64>,
    /// Sync words detected.
    #[serde(
        rename = "CptRxSync",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_sync: Option<i64>,
    /// Frames received (table `CPTrxFrames`, example `CPtRxFrames`).
    #[serde(
        rename = "CPtRxFrames",
        alias = "CPTrxFrames",
        alias = "CptRxFrames",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_frames: Option<i64>,
    /// Frames with a bad CRC.
    #[serde(
        rename = "CptRxFramesCrcKo",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_frames_crc_ko: Option<i64>,
    /// Frames that failed to decode.
    #[serde(
        rename = "CptRxFramesDecodeKo",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_frames_decode_ko: Option<i64>,
    /// Frames with a bad length.
    #[serde(
        rename = "CptRxFramesLenKo",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_frames_len_ko: Option<i64>,
    /// Receiver overruns.
    #[serde(
        rename = "CptRxOverrun",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_overrun: Option<i64>,
    /// Receive time-outs.
    #[serde(
        rename = "CptRxTimeOut",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub rx_timeout: Option<i64>,
    /// Frames recorded.
    #[serde(
        rename = "CptRecFrames",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "int::option",
        deserialize_with = "int::deserialize_option"
    )]
    pub recorded_frames: Option<i64>,
}

impl Validate for SupervisionFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        c.range(
            "TS",
            Some(self.ts),
            0,
            super::data::LAST_PLAUSIBLE_TS,
            " (Unix seconds)",
        );
        if let Some(b) = &self.supervision.battery {
            c.range(
                "supervision.battery.capaPrcent",
                b.capa_percent,
                0,
                100,
                " %",
            );
        }
        c.errors
    }
}
