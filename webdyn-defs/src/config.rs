//! `<uid>_config.ini`: the gateway's main configuration.
//!
//! Flat `KEY=value` lines (no sections, no comments). Every key of both
//! manuals is described in [`KEYS`] with its type, range and default; keys
//! are matched case-insensitively, unknown keys are kept (and reported as
//! warnings), and the file is written back byte for byte.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::lossless::{self, Line, Record, line_no};
use crate::text;

/// Which manual documents a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Manual {
    /// Both the EN (V2.05) and FR (V5.08) manuals.
    Both,
    /// Only the EN manual (dropped later).
    En,
    /// Only the FR manual (newer firmware).
    Fr,
}

/// The type of a configuration key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum KeyType {
    /// Free text (host names, logins, paths, file names).
    Text,
    /// `0` or `1`.
    Flag,
    /// A decimal integer in `min..=max`.
    Integer {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// One of these tokens (compared case-insensitively).
    Choice(&'static [&'static str]),
    /// 32 hex digits (MD5), or empty.
    Md5,
    /// A label of [`TIME_ZONES`] (`GMT` or `UTC` spelling), or empty.
    TimeZone,
}

/// One documented key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KeySpec {
    /// Canonical spelling (Appendix A).
    pub name: &'static str,
    /// Value type.
    pub ty: KeyType,
    /// Default the gateway applies when the key is missing or invalid (FR
    /// manual where the two differ).
    pub default: Option<&'static str>,
    /// The key must be present.
    pub mandatory: bool,
    /// Which manual documents it.
    pub manual: Manual,
    /// One-line description.
    pub doc: &'static str,
}

/// `SERVER_Type` / `SERVER2_Type` values (FR manual garbled spellings normalised
/// to `mqtts*`).
pub const SERVER_TYPES: &[&str] = &[
    "ftp",
    "sftp",
    "webdav",
    "mqtt",
    "mqtts",
    "mqtts_aws",
    "mqtts_azure",
    "mqtts_gcloud",
];

/// Every key of both manuals' Appendix A and web-UI tables.
pub const KEYS: &[KeySpec] = &[
    KeySpec {
        name: "BIN_Checksum",
        ty: KeyType::Md5,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "MD5 of the firmware file named by BIN_FileName (both manuals swap the two descriptions).",
    },
    KeySpec {
        name: "BIN_FileName",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Firmware file name in the Bin directory, e.g. wgapp_5.0.2.41619.spm.",
    },
    KeySpec {
        name: "Concentrator_Identifier",
        ty: KeyType::Text,
        default: Some("WPMxxxxxx"),
        mandatory: false,
        manual: Manual::Both,
        doc: "The UID; empty gives the default WPM + last 6 hex digits of the MAC.",
    },
    KeySpec {
        name: "LOG_Level",
        ty: KeyType::Integer { min: 0, max: 255 },
        default: Some("3"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Debug level, values given by Webdyn support.",
    },
    KeySpec {
        name: "NTP_Server1",
        ty: KeyType::Text,
        default: Some("pool.ntp.org"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Main NTP server.",
    },
    KeySpec {
        name: "NTP_Server2",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Fallback NTP server.",
    },
    KeySpec {
        name: "NTP_TimeZone",
        ty: KeyType::TimeZone,
        default: Some("UTC"),
        mandatory: false,
        manual: Manual::Both,
        doc: "One label of the time-zone list (GMT or UTC spelling).",
    },
    KeySpec {
        name: "SERVER_Address",
        ty: KeyType::Text,
        default: None,
        mandatory: true,
        manual: Manual::Both,
        doc: "Server 1 host or IP (mandatory).",
    },
    KeySpec {
        name: "SERVER_Interface",
        ty: KeyType::Choice(&["ethernet", "modem", "sdcard"]),
        default: Some("ethernet"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server 1 link; sdcard is FR only.",
    },
    KeySpec {
        name: "SERVER_Type",
        ty: KeyType::Choice(SERVER_TYPES),
        default: Some("sftp"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server 1 protocol (EN default ftp, FR default sftp).",
    },
    KeySpec {
        name: "SERVER2_Address",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Server 2 host or IP.",
    },
    KeySpec {
        name: "SERVER2_Interface",
        ty: KeyType::Choice(&["ethernet", "modem"]),
        default: Some("modem"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server 2 link.",
    },
    KeySpec {
        name: "SERVER2_Type",
        ty: KeyType::Choice(SERVER_TYPES),
        default: Some("sftp"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server 2 protocol.",
    },
    KeySpec {
        name: "WEB_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Web UI password (EN default high).",
    },
    KeySpec {
        name: "SMS_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "SMS encryption key; empty means the factory password.",
    },
    KeySpec {
        name: "FTP_DirAlarm",
        ty: KeyType::Text,
        default: Some("/ALARM"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for ALARM files.",
    },
    KeySpec {
        name: "FTP_DirBin",
        ty: KeyType::Text,
        default: Some("/BIN"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for BIN files.",
    },
    KeySpec {
        name: "FTP_DirCert",
        ty: KeyType::Text,
        default: Some("/CERT"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for CERT files.",
    },
    KeySpec {
        name: "FTP_DirCmd",
        ty: KeyType::Text,
        default: Some("/CMD"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for CMD files.",
    },
    KeySpec {
        name: "FTP_DirConfig",
        ty: KeyType::Text,
        default: Some("/CONFIG"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for CONFIG files.",
    },
    KeySpec {
        name: "FTP_DirData",
        ty: KeyType::Text,
        default: Some("/DATA"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for DATA files.",
    },
    KeySpec {
        name: "FTP_DirDef",
        ty: KeyType::Text,
        default: Some("/DEF"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for DEF files.",
    },
    KeySpec {
        name: "FTP_DirLog",
        ty: KeyType::Text,
        default: Some("/LOG"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for LOG files.",
    },
    KeySpec {
        name: "FTP_DirScript",
        ty: KeyType::Text,
        default: Some("/SCRIPT"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for SCRIPT files.",
    },
    KeySpec {
        name: "FTP_DisconnectDelay",
        ty: KeyType::Integer {
            min: 0,
            max: 4294967295,
        },
        default: Some("0"),
        mandatory: false,
        manual: Manual::En,
        doc: "Seconds before disconnecting (EN only).",
    },
    KeySpec {
        name: "FTP_EuroDateFormat",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "0 = YY/MM/DD-HH:MM:SS, 1 = DD/MM/YY-HH:MM:SS.",
    },
    KeySpec {
        name: "FTP_HeaderOption",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Header line in DATA files.",
    },
    KeySpec {
        name: "FTP_EnableAdvancedData",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Number of complete reads column in DATA files.",
    },
    KeySpec {
        name: "FTP_Login",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Login (mandatory when the server is used).",
    },
    KeySpec {
        name: "FTP_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Password.",
    },
    KeySpec {
        name: "FTP_Port",
        ty: KeyType::Integer { min: 1, max: 65535 },
        default: Some("21"),
        mandatory: false,
        manual: Manual::Both,
        doc: "TCP port.",
    },
    KeySpec {
        name: "FTP_SynchroniseCertificates",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Synchronise the CERT directory.",
    },
    KeySpec {
        name: "FTP_TwoStepsSendingDisabled",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "0 = upload as .tmp then rename, 1 = direct.",
    },
    KeySpec {
        name: "FTP_UploadLog",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Upload system logs.",
    },
    KeySpec {
        name: "FTP_WebServicesEnable",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Call the web service after uploads.",
    },
    KeySpec {
        name: "FTP_WebServicesUrl",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Web service URL, http://address/page/.",
    },
    KeySpec {
        name: "FTP2_DirAlarm",
        ty: KeyType::Text,
        default: Some("/ALARM"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for ALARM files.",
    },
    KeySpec {
        name: "FTP2_DirBin",
        ty: KeyType::Text,
        default: Some("/BIN"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for BIN files.",
    },
    KeySpec {
        name: "FTP2_DirCert",
        ty: KeyType::Text,
        default: Some("/CERT"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for CERT files.",
    },
    KeySpec {
        name: "FTP2_DirCmd",
        ty: KeyType::Text,
        default: Some("/CMD"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for CMD files.",
    },
    KeySpec {
        name: "FTP2_DirConfig",
        ty: KeyType::Text,
        default: Some("/CONFIG"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for CONFIG files.",
    },
    KeySpec {
        name: "FTP2_DirData",
        ty: KeyType::Text,
        default: Some("/DATA"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for DATA files.",
    },
    KeySpec {
        name: "FTP2_DirDef",
        ty: KeyType::Text,
        default: Some("/DEF"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for DEF files.",
    },
    KeySpec {
        name: "FTP2_DirLog",
        ty: KeyType::Text,
        default: Some("/LOG"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for LOG files.",
    },
    KeySpec {
        name: "FTP2_DirScript",
        ty: KeyType::Text,
        default: Some("/SCRIPT"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Server directory for SCRIPT files.",
    },
    KeySpec {
        name: "FTP2_EuroDateFormat",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "0 = YY/MM/DD-HH:MM:SS, 1 = DD/MM/YY-HH:MM:SS.",
    },
    KeySpec {
        name: "FTP2_HeaderOption",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Header line in DATA files.",
    },
    KeySpec {
        name: "FTP2_EnableAdvancedData",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Number of complete reads column in DATA files.",
    },
    KeySpec {
        name: "FTP2_Login",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Login (mandatory when the server is used).",
    },
    KeySpec {
        name: "FTP2_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Both,
        doc: "Password.",
    },
    KeySpec {
        name: "FTP2_Port",
        ty: KeyType::Integer { min: 1, max: 65535 },
        default: Some("21"),
        mandatory: false,
        manual: Manual::Both,
        doc: "TCP port.",
    },
    KeySpec {
        name: "FTP2_SynchroniseCertificates",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Synchronise the CERT directory.",
    },
    KeySpec {
        name: "FTP2_TwoStepsSendingDisabled",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "0 = upload as .tmp then rename, 1 = direct.",
    },
    KeySpec {
        name: "FTP2_UploadLog",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Both,
        doc: "Upload system logs.",
    },
    KeySpec {
        name: "FTP2_WebServicesEnable",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Call the web service after uploads.",
    },
    KeySpec {
        name: "FTP2_WebServicesUrl",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Web service URL, http://address/page/.",
    },
    KeySpec {
        name: "HTTP_DirAlarm",
        ty: KeyType::Text,
        default: Some("/ALARM"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for ALARM files.",
    },
    KeySpec {
        name: "HTTP_DirBin",
        ty: KeyType::Text,
        default: Some("/BIN"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for BIN files.",
    },
    KeySpec {
        name: "HTTP_DirCert",
        ty: KeyType::Text,
        default: Some("/CERT"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for CERT files.",
    },
    KeySpec {
        name: "HTTP_DirCmd",
        ty: KeyType::Text,
        default: Some("/CMD"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for CMD files.",
    },
    KeySpec {
        name: "HTTP_DirConfig",
        ty: KeyType::Text,
        default: Some("/CONFIG"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for CONFIG files.",
    },
    KeySpec {
        name: "HTTP_DirData",
        ty: KeyType::Text,
        default: Some("/DATA"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for DATA files.",
    },
    KeySpec {
        name: "HTTP_DirDef",
        ty: KeyType::Text,
        default: Some("/DEF"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for DEF files.",
    },
    KeySpec {
        name: "HTTP_DirLog",
        ty: KeyType::Text,
        default: Some("/LOG"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for LOG files.",
    },
    KeySpec {
        name: "HTTP_DirScript",
        ty: KeyType::Text,
        default: Some("/SCRIPT"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for SCRIPT files.",
    },
    KeySpec {
        name: "HTTP_EuroDateFormat",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "0 = YY/MM/DD-HH:MM:SS, 1 = DD/MM/YY-HH:MM:SS.",
    },
    KeySpec {
        name: "HTTP_HeaderOption",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Header line in DATA files.",
    },
    KeySpec {
        name: "HTTP_EnableAdvancedData",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Number of complete reads column in DATA files.",
    },
    KeySpec {
        name: "HTTP_Login",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Login (mandatory when the server is used).",
    },
    KeySpec {
        name: "HTTP_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Password.",
    },
    KeySpec {
        name: "HTTP_Port",
        ty: KeyType::Integer { min: 1, max: 65535 },
        default: Some("443"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "TCP port.",
    },
    KeySpec {
        name: "HTTP_SynchroniseCertificates",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Synchronise the CERT directory.",
    },
    KeySpec {
        name: "HTTP_TwoStepsSendingDisabled",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "0 = upload as .tmp then rename, 1 = direct.",
    },
    KeySpec {
        name: "HTTP_UploadLog",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Upload system logs.",
    },
    KeySpec {
        name: "HTTP_WebServicesEnable",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Call the web service after uploads.",
    },
    KeySpec {
        name: "HTTP_WebServicesUrl",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Web service URL, http://address/page/.",
    },
    KeySpec {
        name: "HTTP2_DirAlarm",
        ty: KeyType::Text,
        default: Some("/ALARM"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for ALARM files.",
    },
    KeySpec {
        name: "HTTP2_DirBin",
        ty: KeyType::Text,
        default: Some("/BIN"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for BIN files.",
    },
    KeySpec {
        name: "HTTP2_DirCert",
        ty: KeyType::Text,
        default: Some("/CERT"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for CERT files.",
    },
    KeySpec {
        name: "HTTP2_DirCmd",
        ty: KeyType::Text,
        default: Some("/CMD"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for CMD files.",
    },
    KeySpec {
        name: "HTTP2_DirConfig",
        ty: KeyType::Text,
        default: Some("/CONFIG"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for CONFIG files.",
    },
    KeySpec {
        name: "HTTP2_DirData",
        ty: KeyType::Text,
        default: Some("/DATA"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for DATA files.",
    },
    KeySpec {
        name: "HTTP2_DirDef",
        ty: KeyType::Text,
        default: Some("/DEF"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for DEF files.",
    },
    KeySpec {
        name: "HTTP2_DirLog",
        ty: KeyType::Text,
        default: Some("/LOG"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for LOG files.",
    },
    KeySpec {
        name: "HTTP2_DirScript",
        ty: KeyType::Text,
        default: Some("/SCRIPT"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Server directory for SCRIPT files.",
    },
    KeySpec {
        name: "HTTP2_EuroDateFormat",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "0 = YY/MM/DD-HH:MM:SS, 1 = DD/MM/YY-HH:MM:SS.",
    },
    KeySpec {
        name: "HTTP2_HeaderOption",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Header line in DATA files.",
    },
    KeySpec {
        name: "HTTP2_EnableAdvancedData",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Number of complete reads column in DATA files.",
    },
    KeySpec {
        name: "HTTP2_Login",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Login (mandatory when the server is used).",
    },
    KeySpec {
        name: "HTTP2_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Password.",
    },
    KeySpec {
        name: "HTTP2_Port",
        ty: KeyType::Integer { min: 1, max: 65535 },
        default: Some("443"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "TCP port.",
    },
    KeySpec {
        name: "HTTP2_SynchroniseCertificates",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Synchronise the CERT directory.",
    },
    KeySpec {
        name: "HTTP2_TwoStepsSendingDisabled",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "0 = upload as .tmp then rename, 1 = direct.",
    },
    KeySpec {
        name: "HTTP2_UploadLog",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Upload system logs.",
    },
    KeySpec {
        name: "HTTP2_WebServicesEnable",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Call the web service after uploads.",
    },
    KeySpec {
        name: "HTTP2_WebServicesUrl",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Web service URL, http://address/page/.",
    },
    KeySpec {
        name: "MQTT2_AlarmTopic",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Alarm topic; empty = no alarms.",
    },
    KeySpec {
        name: "MQTT2_CaCertFile",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "CA certificate file.",
    },
    KeySpec {
        name: "MQTT2_CertFile",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Device certificate file.",
    },
    KeySpec {
        name: "MQTT2_ClientId",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Client id (mqtt, mqtts).",
    },
    KeySpec {
        name: "MQTT2_CloudDevice",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "gcloud deviceId / Azure device_id.",
    },
    KeySpec {
        name: "MQTT2_CloudProjectId",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "gcloud projectId / Azure IoT Hub name.",
    },
    KeySpec {
        name: "MQTT2_CloudRegion",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "gcloud region.",
    },
    KeySpec {
        name: "MQTT2_CloudRegistry",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "gcloud registry.",
    },
    KeySpec {
        name: "MQTT2_CloudSigningAlgo",
        ty: KeyType::Choice(&["RS256", "ES256"]),
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "gcloud signing algorithm.",
    },
    KeySpec {
        name: "MQTT2_ControlTopic",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Command topic.",
    },
    KeySpec {
        name: "MQTT2_EnableAdvancedData",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Number of complete reads in data.",
    },
    KeySpec {
        name: "MQTT2_EnableAlarmPost",
        ty: KeyType::Flag,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Azure alarm posting.",
    },
    KeySpec {
        name: "MQTT2_EnableInvokeMethod",
        ty: KeyType::Flag,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Azure invoke method.",
    },
    KeySpec {
        name: "MQTT2_Insecure",
        ty: KeyType::Flag,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "1 = do not verify the host name.",
    },
    KeySpec {
        name: "MQTT2_KeepAlive",
        ty: KeyType::Integer { min: 0, max: 65535 },
        default: Some("10"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Keep-alive seconds, 0 disables.",
    },
    KeySpec {
        name: "MQTT2_KeyFile",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Private key file.",
    },
    KeySpec {
        name: "MQTT2_Login",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Login (mqtt, mqtts).",
    },
    KeySpec {
        name: "MQTT2_Password",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Password (mqtt, mqtts).",
    },
    KeySpec {
        name: "MQTT2_Port",
        ty: KeyType::Integer { min: 1, max: 65535 },
        default: Some("8883"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Broker port.",
    },
    KeySpec {
        name: "MQTT2_QoS",
        ty: KeyType::Integer { min: 0, max: 2 },
        default: Some("1"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "QoS 0, 1 or 2.",
    },
    KeySpec {
        name: "MQTT2_ResultTopic",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Command result topic.",
    },
    KeySpec {
        name: "MQTT2_Timeout",
        ty: KeyType::Integer { min: 0, max: 65535 },
        default: Some("30"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Seconds, QoS 1/2 only.",
    },
    KeySpec {
        name: "MQTT2_TlsVersion",
        ty: KeyType::Choice(&["tlsv1.1", "tlsv1.2"]),
        default: Some("tlsv1.2"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "TLS version (mqtts).",
    },
    KeySpec {
        name: "MQTT2_Topic",
        ty: KeyType::Text,
        default: None,
        mandatory: false,
        manual: Manual::Fr,
        doc: "Data topic.",
    },
    KeySpec {
        name: "MQTT_EnableAdvancedData",
        ty: KeyType::Flag,
        default: Some("0"),
        mandatory: false,
        manual: Manual::Fr,
        doc: "Spelling used once by FR 4.2.1 for MQTT2_EnableAdvancedData.",
    },
];

/// The time-zone labels (EN Appendix B spelling; the FR manual writes `UTC`
/// instead of `GMT`, and `Los Angeles`): both are accepted.
pub const TIME_ZONES: &[&str] = &[
    "(GMT-11:00) Midway Island, Samoa",
    "(GMT-10:00) Honolulu",
    "(GMT-10:00) Tahiti",
    "(GMT-09:30) Marquesas",
    "(GMT-09:00) Anchorage",
    "(GMT-08:00) Pacific Time (US and Canada)",
    "(GMT-08:00) Los angeles",
    "(GMT-07:00) Denver",
    "(GMT-07:00) Chihuahua, La Paz, Mazatlan",
    "(GMT-06:00) Guadalajara, Mexico City, Monterrey",
    "(GMT-06:00) Chicago, Central America",
    "(GMT-05:00) Bogota, Lima, Quito",
    "(GMT-05:00) New York",
    "(GMT-04:00) Atlantic Time (Canada)",
    "(GMT-04:00) Caracas",
    "(GMT-04:00) Martinique",
    "(GMT-04:00) Guadeloupe",
    "(GMT-03:30) Newfoundland, St Johns",
    "(GMT-03:00) Antarctica",
    "(GMT-03:00) Sao Paulo",
    "(GMT-02:00) Brazil",
    "(GMT-01:00) Azores",
    "UTC",
    "(GMT+01:00) Europe: Brussels, Copenhagen, Madrid, Paris",
    "(GMT+01:00) Algiers",
    "(GMT+02:00) Athens, Bucharest, Istanbul",
    "(GMT+02:00) Cairo",
    "(GMT+03:00) Moscow, St. Petersburg, Volgograd",
    "(GMT+03:00) Kuwait, Riyadh",
    "(GMT+04:00) Abu Dhabi, Dubai, Muscat",
    "(GMT+04:00) Baku, Tbilisi, Yerevan",
    "(GMT+04:30) Kabul",
    "(GMT+05:00) Karachi",
    "(GMT+05:00) Tashkent",
    "(GMT+05:30) Kolkata",
    "(GMT+05:45) Katmandu",
    "(GMT+06:00) Astana, Dhaka",
    "(GMT+06:00) Almaty, Novosibirsk",
    "(GMT+06:30) Rangoon, Yangon",
    "(GMT+06:30) Cocos",
    "(GMT+07:00) Bangkok, Hanoi, Jakarta",
    "(GMT+08:00) Beijing, Chongqing, Hong Kong, Urumqi, Shanghai",
    "(GMT+08:00) Taipei",
    "(GMT+09:00) Osaka, Sapporo, Tokyo",
    "(GMT+09:00) Seoul",
    "(GMT+09:30) Darwin",
    "(GMT+10:00) Brisbane, Sydney",
    "(GMT+10:00) Guam, Port Moresby",
    "(GMT+10:30) Adelaide",
    "(GMT+11:00) Noumea",
    "(GMT+11:00) Magadan, Solomon Islands",
    "(GMT+13:00) Auckland, Wellington",
];

/// Whether `s` is a known time-zone label, in either manual's spelling.
pub fn is_time_zone(s: &str) -> bool {
    let s = s.trim();
    TIME_ZONES.iter().any(|tz| {
        tz.eq_ignore_ascii_case(s)
            || tz
                .strip_prefix("(GMT")
                .zip(s.strip_prefix("(UTC"))
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
    })
}

/// Looks a key up, case-insensitively.
pub fn key_spec(key: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|k| k.name.eq_ignore_ascii_case(key))
}

/// A typed configuration value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum ConfigValue {
    /// A `Flag` key holding `0` or `1`.
    Flag(bool),
    /// An `Integer` key holding a decimal integer.
    Integer(i64),
    /// Anything else (and flags or integers that do not parse, kept as read).
    Text(String),
}

impl ConfigValue {
    /// Types `raw` according to the key's specification.
    pub fn parse(key: &str, raw: &str) -> ConfigValue {
        match key_spec(key).map(|k| k.ty) {
            Some(KeyType::Flag) if raw == "0" || raw == "1" => ConfigValue::Flag(raw == "1"),
            Some(KeyType::Integer { .. }) => match parse_int(raw) {
                Some(i) => ConfigValue::Integer(i),
                None => ConfigValue::Text(raw.to_string()),
            },
            _ => ConfigValue::Text(raw.to_string()),
        }
    }

    /// The value as the gateway writes it.
    pub fn render(&self) -> String {
        match self {
            ConfigValue::Flag(b) => String::from(if *b { "1" } else { "0" }),
            ConfigValue::Integer(i) => i.to_string(),
            ConfigValue::Text(t) => t.clone(),
        }
    }
}

fn parse_int(raw: &str) -> Option<i64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// One line of `_config.ini`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ConfigLine {
    /// An empty (or all-space) line.
    Blank,
    /// `KEY=value`.
    Entry {
        /// The key as written.
        key: String,
        /// The typed value.
        value: ConfigValue,
    },
    /// A line that is not `KEY=value` (kept verbatim).
    Invalid,
}

impl Record for ConfigLine {
    fn parse(line: &str, _first: bool) -> Result<Self, (u32, String)> {
        match text::ini_entry(line) {
            Ok(None) => Ok(ConfigLine::Blank),
            Ok(Some(e)) => {
                let key = match e.index {
                    Some(i) => format!("{}[{}]", e.key, i),
                    None => e.key.to_string(),
                };
                let value = ConfigValue::parse(&key, e.value);
                Ok(ConfigLine::Entry { key, value })
            }
            Err((col, err)) => Err((col, err.to_string())),
        }
    }

    fn render(&self) -> String {
        match self {
            ConfigLine::Blank | ConfigLine::Invalid => String::new(),
            ConfigLine::Entry { key, value } => format!("{key}={}", value.render()),
        }
    }

    fn invalid() -> Self {
        ConfigLine::Invalid
    }

    fn is_invalid(&self) -> bool {
        matches!(self, ConfigLine::Invalid)
    }
}

/// A `<uid>_config.ini` file.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ConfigFile {
    /// The file started with a UTF-8 BOM.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bom: bool,
    /// Every physical line, in order.
    pub lines: Vec<Line<ConfigLine>>,
}

impl ConfigFile {
    /// Parses a file. Never fails: lines that do not parse are kept and
    /// reported in the returned diagnostics (and again by [`validate`](Self::validate)).
    pub fn parse(input: &str) -> (Self, Vec<Diagnostic>) {
        let (bom, lines, diags) = lossless::parse_lines(input);
        (ConfigFile { bom, lines }, diags)
    }

    /// Builds a file from `(key, value)` pairs, one LF-terminated line each.
    pub fn from_entries<'a>(entries: impl IntoIterator<Item = (&'a str, ConfigValue)>) -> Self {
        let lines = entries
            .into_iter()
            .map(|(k, v)| {
                Line::new(ConfigLine::Entry {
                    key: k.to_string(),
                    value: v,
                })
            })
            .collect();
        ConfigFile { bom: false, lines }
    }

    /// Encodes the file; unchanged lines come back byte for byte.
    pub fn encode(&self) -> String {
        lossless::encode_lines(self.bom, &self.lines)
    }

    /// The entries, in file order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &ConfigValue)> {
        self.lines.iter().filter_map(|l| match &l.record {
            ConfigLine::Entry { key, value } => Some((key.as_str(), value)),
            _ => None,
        })
    }

    /// The value of a key (case-insensitive; the last one if repeated).
    pub fn get(&self, key: &str) -> Option<&ConfigValue> {
        self.entries()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
            .last()
    }

    /// The value of a key as text, or its documented default.
    pub fn get_or_default(&self, key: &str) -> Option<String> {
        match self.get(key) {
            Some(v) => Some(v.render()),
            None => key_spec(key).and_then(|k| k.default).map(String::from),
        }
    }

    /// Sets a key: replaces the value of an existing entry (keeping its
    /// place), or appends a new line.
    pub fn set(&mut self, key: &str, value: ConfigValue) {
        for l in self.lines.iter_mut().rev() {
            if let ConfigLine::Entry { key: k, value: v } = &mut l.record
                && k.eq_ignore_ascii_case(key)
            {
                *v = value;
                return;
            }
        }
        if let Some(last) = self.lines.last_mut()
            && last.eol == text::Eol::None
        {
            last.eol = text::Eol::Lf;
        }
        self.lines.push(Line::new(ConfigLine::Entry {
            key: key.to_string(),
            value,
        }));
    }

    /// Checks the file: structure, spreadsheet damage, unknown and duplicate
    /// keys, value types and ranges, mandatory keys, the BIN pair.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let texts = lossless::common_checks(self.bom, &self.lines, false, &mut d);
        let mut seen: Vec<(String, u32)> = Vec::new();
        let mut bin: [Option<(u32, u32, bool)>; 2] = [None, None];
        for (i, (l, t)) in self.lines.iter().zip(&texts).enumerate() {
            let n = line_no(i);
            let ConfigLine::Entry { key, value } = &l.record else {
                continue;
            };
            let Ok(Some(e)) = text::ini_entry(t) else {
                continue;
            };
            let lower = key.to_ascii_lowercase();
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == lower) {
                d.push(Diagnostic::error(
                    n,
                    e.key_col,
                    format!("duplicate key {key} (first set at line {first})"),
                ));
            } else {
                seen.push((lower, n));
            }
            let Some(spec) = key_spec(key) else {
                d.push(Diagnostic::warning(
                    n,
                    e.key_col,
                    format!("unknown key {key} (kept, ignored by the gateway)"),
                ));
                continue;
            };
            let raw = value.render();
            if let Some(msg) = check_value(spec, &raw) {
                d.push(Diagnostic::error(n, e.value_col, msg));
            }
            if spec.name == "SERVER_Type"
                && ServerType::parse(&raw).is_some_and(ServerType::is_mqtt)
            {
                d.push(Diagnostic::warning(n, e.value_col, "MQTT is only allowed on server 2 (FR manual); server 1 reads the configuration"));
            }
            if spec.name == "BIN_Checksum" {
                bin[0] = Some((n, e.value_col, !raw.is_empty()));
            } else if spec.name == "BIN_FileName" {
                bin[1] = Some((n, e.value_col, !raw.is_empty()));
            }
        }
        match bin {
            [Some((n, c, true)), None | Some((_, _, false))] => {
                d.push(Diagnostic::error(
                    n,
                    c,
                    "BIN_Checksum is set but BIN_FileName is empty or missing",
                ));
            }
            [None | Some((_, _, false)), Some((n, c, true))] => {
                d.push(Diagnostic::error(
                    n,
                    c,
                    "BIN_FileName is set but BIN_Checksum is empty or missing",
                ));
            }
            _ => {}
        }
        for k in KEYS.iter().filter(|k| k.mandatory) {
            if !seen.iter().any(|(s, _)| s.eq_ignore_ascii_case(k.name)) {
                d.push(Diagnostic::error(
                    1,
                    1,
                    format!("missing mandatory key {}", k.name),
                ));
            }
        }
        lossless::sort(&mut d);
        d
    }
}

/// A server protocol (`SERVER_Type`, `SERVER2_Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ServerType {
    /// `ftp`.
    Ftp,
    /// `sftp` (FR manual default).
    Sftp,
    /// `webdav` (WebDAV over HTTPS).
    Webdav,
    /// `mqtt` (server 2 only).
    Mqtt,
    /// `mqtts`.
    Mqtts,
    /// `mqtts_aws`.
    MqttsAws,
    /// `mqtts_azure`.
    MqttsAzure,
    /// `mqtts_gcloud` (obsolete).
    MqttsGcloud,
}

impl ServerType {
    /// Parses a token (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        use ServerType::*;
        let all = [
            Ftp,
            Sftp,
            Webdav,
            Mqtt,
            Mqtts,
            MqttsAws,
            MqttsAzure,
            MqttsGcloud,
        ];
        all.into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The token.
    pub const fn as_str(self) -> &'static str {
        match self {
            ServerType::Ftp => "ftp",
            ServerType::Sftp => "sftp",
            ServerType::Webdav => "webdav",
            ServerType::Mqtt => "mqtt",
            ServerType::Mqtts => "mqtts",
            ServerType::MqttsAws => "mqtts_aws",
            ServerType::MqttsAzure => "mqtts_azure",
            ServerType::MqttsGcloud => "mqtts_gcloud",
        }
    }

    /// Whether this is one of the MQTT types.
    pub const fn is_mqtt(self) -> bool {
        !matches!(
            self,
            ServerType::Ftp | ServerType::Sftp | ServerType::Webdav
        )
    }
}

/// How a server is reached (`SERVER_Interface`, `SERVER2_Interface`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ServerInterface {
    /// `ethernet`.
    Ethernet,
    /// `modem`.
    Modem,
    /// `sdcard` (server 1 only, FR manual).
    SdCard,
}

impl ServerInterface {
    /// Parses a token (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ethernet" => Some(ServerInterface::Ethernet),
            "modem" => Some(ServerInterface::Modem),
            "sdcard" => Some(ServerInterface::SdCard),
            _ => None,
        }
    }
}

/// A typed view of the main keys, with the documented defaults applied
/// (FR manual where the manuals differ). Invalid values fall back to the
/// default, as the gateway does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Settings {
    /// `Concentrator_Identifier` (`None`: the default `WPM` + MAC tail).
    pub identifier: Option<String>,
    /// `SERVER_Address`.
    pub server_address: Option<String>,
    /// `SERVER_Type`.
    pub server_type: ServerType,
    /// `SERVER_Interface`.
    pub server_interface: ServerInterface,
    /// `SERVER2_Address`.
    pub server2_address: Option<String>,
    /// `SERVER2_Type`.
    pub server2_type: ServerType,
    /// `SERVER2_Interface`.
    pub server2_interface: ServerInterface,
    /// `LOG_Level`.
    pub log_level: i64,
    /// `NTP_Server1` (`pool.ntp.org` by default).
    pub ntp_server1: String,
    /// `NTP_TimeZone` (`UTC` by default).
    pub ntp_time_zone: String,
    /// `BIN_FileName` and `BIN_Checksum` when both are set.
    pub firmware_update: Option<(String, String)>,
}

impl ConfigFile {
    fn text(&self, key: &str) -> Option<String> {
        self.get(key)
            .map(ConfigValue::render)
            .filter(|s| !s.is_empty())
    }

    /// The typed view of the main keys.
    pub fn settings(&self) -> Settings {
        let ty = |k: &str| {
            self.text(k)
                .and_then(|v| ServerType::parse(&v))
                .unwrap_or(ServerType::Sftp)
        };
        let iface = |k: &str, d: ServerInterface| {
            self.text(k)
                .and_then(|v| ServerInterface::parse(&v))
                .unwrap_or(d)
        };
        Settings {
            identifier: self.text("Concentrator_Identifier"),
            server_address: self.text("SERVER_Address"),
            server_type: ty("SERVER_Type"),
            server_interface: iface("SERVER_Interface", ServerInterface::Ethernet),
            server2_address: self.text("SERVER2_Address"),
            server2_type: ty("SERVER2_Type"),
            server2_interface: iface("SERVER2_Interface", ServerInterface::Modem),
            log_level: match self.get("LOG_Level") {
                Some(ConfigValue::Integer(i)) => *i,
                _ => 3,
            },
            ntp_server1: self
                .text("NTP_Server1")
                .unwrap_or_else(|| String::from("pool.ntp.org")),
            ntp_time_zone: self
                .text("NTP_TimeZone")
                .unwrap_or_else(|| String::from("UTC")),
            firmware_update: self.text("BIN_FileName").zip(self.text("BIN_Checksum")),
        }
    }
}

/// Checks one value against its key's type; `None` when fine.
pub fn check_value(spec: &KeySpec, raw: &str) -> Option<String> {
    let name = spec.name;
    if spec.mandatory && raw.is_empty() {
        return Some(format!("{name} cannot be empty"));
    }
    match spec.ty {
        KeyType::Text => None,
        KeyType::Flag => {
            (raw != "0" && raw != "1").then(|| format!("{name} must be 0 or 1, found '{raw}'"))
        }
        KeyType::Integer { min, max } => match parse_int(raw) {
            Some(v) if (min..=max).contains(&v) => None,
            Some(v) => Some(format!("{name} must be between {min} and {max}, found {v}")),
            None => Some(format!("{name} must be an integer, found '{raw}'")),
        },
        KeyType::Choice(list) => (!list.iter().any(|c| c.eq_ignore_ascii_case(raw)))
            .then(|| format!("{name} must be one of {}, found '{raw}'", list.join(", "))),
        KeyType::Md5 => (!(raw.is_empty()
            || raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit())))
        .then(|| {
            format!(
                "{name} must be 32 hexadecimal digits (MD5), found '{raw}' ({} characters)",
                raw.chars().count()
            )
        }),
        KeyType::TimeZone => (!raw.is_empty() && !is_time_zone(raw))
            .then(|| format!("{name} '{raw}' is not in the manual's time-zone list")),
    }
}
