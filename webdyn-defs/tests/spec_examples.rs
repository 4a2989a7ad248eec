//! Every example of `shared/spec/sunpm-config.md` (as real files: one record
//! per line, PDF wrapping joined), including the broken ones, with the
//! behaviour the spec recommends. Every example also round-trips byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_defs::FileKind;
use webdyn_defs::any::AnyFile;
use webdyn_defs::daq::{DaqFile, DaqLine, DeviceIndex, DeviceProtocol, Interface};
use webdyn_defs::def::{Action, DefinitionFile};
use webdyn_defs::modbus::{Value, scale};
use webdyn_defs::naming::{DefName, parse_def_name};
use webdyn_defs::scl::{SclFile, SclLine};
use webdyn_defs::var::{ScheduleType, Server, TimeOfDay, VarFile};

fn diags(kind: FileKind, text: &str, available: Option<&dyn Fn(&str) -> bool>) -> Vec<String> {
    let (file, _) = AnyFile::parse(kind, text).unwrap();
    assert_eq!(file.encode(), text, "{kind:?} does not round-trip");
    file.validate(available)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn config_minimal_en_and_fr() {
    let en = "SERVER_Address=ftp.example.com\nSERVER_TYPE=ftp\nSERVER_Interface=ethernet\nFTP_Login=user\nFTP_Password=secret\n";
    assert_eq!(diags(FileKind::Config, en, None), Vec::<String>::new());
    let fr = "SERVER_Address=dav.example.com\nSERVER_TYPE=webdav\nSERVER_Interface=modem\nHTTP_Login=user\nHTTP_Password=secret\n";
    assert_eq!(diags(FileKind::Config, fr, None), Vec::<String>::new());
}

#[test]
fn config_firmware_update_lines() {
    // EN: a blank line between the two; FR: two trailing spaces (kept on output).
    let en = "SERVER_Address=a\nBIN_Checksum=26d00b3496803378cdc8820649cf9535\n\nBIN_FileName=wgapp_3.2.11.34874.spm\n";
    assert_eq!(diags(FileKind::Config, en, None), Vec::<String>::new());
    let fr = "SERVER_Address=a\nBIN_Checksum=ec97aab9a0f112918ce24a494d2fe141  \nBIN_FileName=wgapp_5.0.2.41619.spm\n";
    assert_eq!(diags(FileKind::Config, fr, None), Vec::<String>::new());
    let (f, _) = webdyn_defs::config::ConfigFile::parse(fr);
    assert_eq!(
        f.get("bin_checksum").unwrap().render(),
        "ec97aab9a0f112918ce24a494d2fe141"
    );
    // Defaults from the appendix for missing keys.
    assert_eq!(f.get_or_default("FTP_Port").as_deref(), Some("21"));
    assert_eq!(f.get_or_default("MQTT2_Port").as_deref(), Some("8883"));
    assert_eq!(
        f.get_or_default("NTP_Server1").as_deref(),
        Some("pool.ntp.org")
    );
}

#[test]
fn config_time_zones_both_spellings() {
    for tz in [
        "(GMT+01:00) Europe: Brussels, Copenhagen, Madrid, Paris",
        "(UTC+01:00) Europe: Brussels, Copenhagen, Madrid, Paris",
        "(GMT-08:00) Los angeles",
        "(UTC-08:00) Los Angeles",
        "UTC",
    ] {
        let text = format!("SERVER_Address=a\nNTP_TimeZone={tz}\n");
        assert_eq!(
            diags(FileKind::Config, &text, None),
            Vec::<String>::new(),
            "{tz}"
        );
    }
}

const VAR_EN: &str = "SCHEDULE_Params[0]=1|everyday|00:00:00|1440|1\n\nSCHEDULE_Params[1]=2|monday|00:00:00|1440|1\n\nSCHEDULE_Params[2]=3|first|00:00:00|1440|1\n\nSCHEDULE_Params[3]=4|middle|01:00:00|600|2\n\nSCHEDULE_Params[4]=5|last|02:02:00|120|12\n\nSCHEDULE2_Params[0]=1|everyday|00:00:00|1440|1\n\nSCHEDULE2_Params[1]=2|everyday|00:00:00|1440|1\n\nSCHEDULE2_Params[2]=3|everyday|00:00:00|86400|1\n";

const VAR_FR: &str = "\nSCHEDULE_Params[0]=1|everyday|00:00:00|1440|1\nSCHEDULE_Params[1]=2|monday|00:00:00|1440|1\nSCHEDULE_Params[2]=3|first|00:00:00|1440|1\nSCHEDULE_Params[3]=4|middle|01:00:00|600|2\nSCHEDULE_Params[4]=5|last|02:02:00|120|12\nSCHEDULE2_Params[0]=1|everyday|00:00:00|1440|1\nSCHEDULE2_Params[1]=2|wednesday|12:00:00|1440|1\nSCHEDULE2_Params[2]=3|sunday|21:00:00|1440|1\n\n";

#[test]
fn var_examples() {
    // The EN interval 86400 (minutes) is a strange value: flagged, not rejected.
    assert_eq!(
        diags(FileKind::Var, VAR_EN, None),
        vec!["15:41: warning: Interval 86400 is longer than a day (1440 minutes)"]
    );
    assert_eq!(diags(FileKind::Var, VAR_FR, None), Vec::<String>::new());
    let (f, _) = VarFile::parse(VAR_FR);
    let s: Vec<_> = f.schedules().collect();
    assert_eq!(s.len(), 8);
    assert_eq!(s[3].kind, ScheduleType::Middle);
    assert_eq!(
        s[3].start,
        TimeOfDay {
            hour: 1,
            minute: 0,
            second: 0
        }
    );
    assert_eq!((s[3].interval, s[3].count), (600, 2));
    assert_eq!((s[4].interval, s[4].count), (120, 12));
    assert_eq!(s[6].server, Server::Backup);
    assert_eq!(s[6].kind, ScheduleType::Wednesday);
    // Each prefix has its own index sequence: [0] under both is no duplicate.
    assert_eq!(s[5].index, 0);
}

#[test]
fn var_capitalised_day_names_are_read() {
    let text = "SCHEDULE_Params[0]=1|Monday|00:00:00|1440|1\n";
    assert_eq!(diags(FileKind::Var, text, None), Vec::<String>::new());
    let (f, _) = VarFile::parse(text);
    assert_eq!(f.schedules().next().unwrap().kind, ScheduleType::Monday);
}

const COMPOSITE: &str = "type;pin;apn;login;password;authentication;server;dns
MODEM;;m2minternet;;;none;;
type;ip;mask;gateway;dns1;dns2
LAN1;192.93.121.37;255.255.255.0;192.93.121.1;192.93.121.8;
LAN2;192.168.2.12;255.255.255.0;;;
tcpInterFrameMs;0
type;baudrate;data_bits;parity;stop_bits;wires;protocol;interframe(ms);forwarded_port
SERIAL1;9600;8;N;1;2;modbusRTU;0;
SERIAL2;19200;8;N;1;2;modbusRTU;0;
SERIAL3;9600;8;N;1;2;modbusRTU;0;
ModbusSlave;1;502;WPM0116AB_ModbusSlave.csv
index;interface;name;address;acqPeriod(s);timeout(ms);serialNumber;parameters;tag;model;defFile
IO;;Io;;36000;;;;WebdynSunPM;ioSunPM;WPM00C715_IO.csv
1;192.93.121.23:502;ethernet_192.93.121.23_502_126;126;600;5000;;1;Inverter;Solar_Inverter;WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv
";

fn composite_defs(n: &str) -> bool {
    [
        "WPM0116AB_ModbusSlave.csv",
        "WPM00C715_IO.csv",
        "WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv",
    ]
    .contains(&n)
}

#[test]
fn daq_composite_file() {
    assert_eq!(
        diags(FileKind::Daq, COMPOSITE, Some(&composite_defs)),
        Vec::<String>::new()
    );
    let (f, _) = DaqFile::parse(COMPOSITE);
    let lan1 = f.lines.iter().find_map(|l| match &l.record {
        DaqLine::Lan(l) if l.port == 1 => Some(l.clone()),
        _ => None,
    });
    let lan1 = lan1.unwrap();
    assert_eq!(
        (lan1.ip.as_str(), lan1.dns2.as_str()),
        ("192.93.121.37", "")
    );
    assert_eq!(f.serial(1).unwrap().baudrate, 9600);
    assert_eq!(f.serial(1).unwrap().forwarded_port.as_deref(), Some(""));
    let slave = f.modbus_slave().unwrap();
    assert!(slave.enabled);
    assert_eq!(slave.port, 502);
    let devices: Vec<_> = f.devices().collect();
    assert_eq!(devices[0].index, DeviceIndex::Io);
    assert_eq!(devices[0].acq_period_s, Some(36000));
    assert_eq!(
        devices[1].interface,
        Interface::Tcp {
            host: "192.93.121.23".into(),
            port: Some(502)
        }
    );
    assert_eq!(devices[1].address, Some(126));
    assert_eq!(f.protocol_of(devices[1]), DeviceProtocol::ModbusTcp);
    // A missing definition file is reported at the defFile column.
    let only_io = |n: &str| n == "WPM00C715_IO.csv" || n == "WPM0116AB_ModbusSlave.csv";
    assert_eq!(
        diags(FileKind::Daq, COMPOSITE, Some(&only_io)),
        vec![
            "14:92: definition file 'WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv' not found"
        ]
    );
}

const DAQ_EN: &str = "type;pin;apn;login;password;authentification
MODEM;;m2minternet;;;None
type;baudrate;data_bits;parity;stop_bits;wires;protocol;interframe(ms)
SERIAL1;9600;8;N;1;2;Modbus;0
SERIAL2;1200;8;N;1;4;SMANET;0
SERIAL3;19200;8;N;1;2;PW1;0
index;interface;name;address;acqPeriod(s);timeout(ms);serialNumber;parameters;category;model;defFile
IO;;Io;;36000;;;;WebdynSunPM;ioSunPM;WPM00C715_IO.csv
TIC1;;;;600;;041676011381;9600;Meter;;WPM00C715_TIC_LINKY.csv
0;SERIAL1;serial1_52224;0;600;0;2000388220;1;Inverter;WR21TL09;WPM00C715_SMA_Inverter_SMA_WR21TL09.csv
1;192.93.121.23:502;ethernet_192.93.121.23_502_126;126;600;5000;;1;Inverter;Solar_Inverter;WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv
";

#[test]
fn daq_en_examples() {
    // The EN SMA row sits on SERIAL1, which the EN serial example declares
    // as Modbus: its address 0 is then outside 1-247 (the text says 52224).
    assert_eq!(
        diags(FileKind::Daq, DAQ_EN, None),
        vec!["10:25: warning: Modbus address 0 is outside 1-247"]
    );
    let (f, _) = DaqFile::parse(DAQ_EN);
    let devices: Vec<_> = f.devices().collect();
    assert_eq!(devices[1].index, DeviceIndex::Tic);
    // The TIC serial keeps its leading zero.
    assert_eq!(devices[1].serial_number, "041676011381");
    assert_eq!(f.protocol_of(devices[1]), DeviceProtocol::Tic);
    assert_eq!(f.serial(1).unwrap().forwarded_port, None);
    // On SERIAL2 (SMANET) the same row is an SMA-Net device; 52224 is fine.
    let moved = DAQ_EN.replace(
        "0;SERIAL1;serial1_52224;0;",
        "0;SERIAL2;serial1_52224;52224;",
    );
    assert_eq!(diags(FileKind::Daq, &moved, None), Vec::<String>::new());
    let (f, _) = DaqFile::parse(&moved);
    assert_eq!(
        f.protocol_of(f.devices().nth(2).unwrap()),
        DeviceProtocol::SmaNet
    );
    let pw1 = moved.replace("0;SERIAL2;serial1_52224", "0;SERIAL3;serial1_52224");
    let (f, _) = DaqFile::parse(&pw1);
    assert_eq!(
        f.protocol_of(f.devices().nth(2).unwrap()),
        DeviceProtocol::Proprietary("PW1".into())
    );
}

#[test]
fn daq_fr_broken_device_example() {
    let fr = "index;interface;name;address;acqPeriod(s);timeout(ms);serialNumber;parameters;tag;model;defFile
IO;;Io;;36000;;;WebdynSunPM;ioSunPM;WPM00C715_IO.csv
0;SERIAL1;serial1_52224;0;600;0;2000388220;1;Inverter;WR21TL09;WPM00C715_SMA_Inverter_SMA_WR21TL09.csv
1;192.93.121.23;502;ethernet_192.93.121.23_502_126;126;600;5000;;1;Inverter;Solar_Inverter;WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_ModbusTCP.csv
";
    // 11 fields required: the IO line has 10, the Ethernet line 12.
    assert_eq!(
        diags(FileKind::Daq, fr, None),
        vec![
            "2:53: device record needs 11 fields, found 10",
            "3:3: warning: no SERIAL1 record in this file",
            "3:25: warning: Modbus address 0 is outside 1-247",
            "4:92: device record needs 11 fields, found 12",
        ]
    );
}

#[test]
fn daq_fr_modbus_slave_excerpt_with_wmp_typo() {
    // Two trailing spaces on every line in the seed; the mapping file name has
    // the `WMP` typo, so it does not match the real `WPM…` file.
    let text =
        "SERIAL3;9600;8;N;1;2;modbusRTU;0;  \n\nModbusSlave;1;502;WMP0116AB_ModbusSlave.csv  \n";
    let available = |n: &str| n == "WPM0116AB_ModbusSlave.csv";
    assert_eq!(
        diags(FileKind::Daq, text, Some(&available)),
        vec!["3:19: mapping file 'WMP0116AB_ModbusSlave.csv' not found"]
    );
}

#[test]
fn daq_lan_and_interframe() {
    let text = "type;ip;mask;gateway;dns1;dns2\nLAN1;192.93.121.37;255.255.255.0;192.93.121.1;192.93.121.8;\nLAN2;192.168.2.12;255.255.255.0;;;\ntcpInterFrameMs;0\n";
    assert_eq!(diags(FileKind::Daq, text, None), Vec::<String>::new());
}

const SCL_FR: &str = r#"SCRIPT_Args[0]={\"solarRatedPowerKW\":\"110\",\"gridRegulationType\":\"consumption\",\"gridRegulationTargetKW\":\"50\",\"gridEffectiveRegulationPercent\":\"20\",\"regulationSpeedS\":5,\"phaseControl\":\"sum\",\"errorAction\":\"none\"}
SCRIPT_Enable[0]=0
SCRIPT_File[0]=ActivePowerRegulation-V1_03.luaw
SCRIPT_Args[1]=
SCRIPT_Enable[1]=0
SCRIPT_File[1]=AfficheurSiebert_V3_00.lua
SCRIPT_Args[2]=
SCRIPT_Enable[2]=0
SCRIPT_File[2]=ControlPower.lua
SCRIPT_Args[3]={\"solarRatedPowerKW\":\"230\",\"maxSolarPowerPercent\":\"80\",\"dg\":{\"dgEnabled\":true},{\"dgRatedPowerkW\":\"30\"}}
SCRIPT_Enable[3]=0
SCRIPT_File[3]=GenSet-V1_04.luaw
SCRIPT_Args[4]=
SCRIPT_Enable[4]=0
SCRIPT_File[4]=RD244-V2_24.luaw
SCRIPT_Args[5]=\"\"
SCRIPT_Enable[5]=1
SCRIPT_File[5]=RelayControl_V1_01.lua
"#;

#[test]
fn scl_examples() {
    let en = "SCRIPT_File[0]=Test script 1.lua\n\nSCRIPT_File[1]=Test script 2.lua\n";
    assert_eq!(diags(FileKind::Scl, en, None), Vec::<String>::new());
    assert_eq!(diags(FileKind::Scl, SCL_FR, None), Vec::<String>::new());
    let (f, _) = SclFile::parse(SCL_FR);
    // Args are opaque: the broken JSON of Args[3] and the escaped quotes stay.
    assert!(f.lines.iter().any(|l| l.record
        == SclLine::Args {
            index: 5,
            args: r#"\"\""#.into()
        }));
    assert!(f.lines.iter().any(|l| l.record
        == SclLine::Enable {
            index: 5,
            enabled: true
        }));
    let (f, _) = SclFile::parse(en);
    assert_eq!(
        f.lines[0].record,
        SclLine::File {
            index: 0,
            name: "Test script 1.lua".into()
        }
    );
}

#[test]
fn licence_is_opaque() {
    let text = "opaque licence text\r\nwith=anything;at all\n";
    assert_eq!(diags(FileKind::Licence, text, None), Vec::<String>::new());
}

#[test]
fn definition_test_pc1() {
    // EN 3.2.1.2.1 spreadsheet view, completed: index 1 and 2, holding registers 2 and 3.
    let text = "modbusTCP;modSIM;Webdyn;test_PC1\n1;3;2;U16;;Register 2;;;;;4\n2;3;3;U16;;Register 3;;;;;4\n";
    assert_eq!(
        diags(FileKind::Definition, text, None),
        Vec::<String>::new()
    );
    let (f, _) = DefinitionFile::parse(text);
    let h = f.header().unwrap();
    assert_eq!(
        (h.protocol.as_str(), h.model.as_str(), h.forced_write),
        ("modbusTCP", "test_PC1", None)
    );
    let v: Vec<_> = f.variables().collect();
    assert_eq!(v[1].modbus().unwrap().span().start, 3);
}

#[test]
fn definition_header_spaces_and_forced_write() {
    // The manual's notation has spaces around ';': read trimmed, kept on output.
    let text =
        "modbus ; Inverter ; GoodWe ; GW10K ; 1\n1 ; 3 ; 40000 ; U16 ; ; Power ; ; ; ; W ; 4\n";
    assert_eq!(
        diags(FileKind::Definition, text, None),
        Vec::<String>::new()
    );
    let (f, _) = DefinitionFile::parse(text);
    assert_eq!(f.header().unwrap().forced_write, Some(1));
    assert_eq!(f.header().unwrap().manufacturer, "GoodWe");
    let spec = f.variables().next().unwrap().modbus().unwrap();
    // Forced write code 1: FC 0x10 even for one register.
    assert_eq!(spec.write_function(true), Ok(0x10));
}

#[test]
fn every_action_code() {
    let mut text = String::from("modbus;Meter;X;Y\n");
    for (i, a) in [0u8, 1, 2, 4, 6, 7, 8, 9].iter().enumerate() {
        text.push_str(&format!("{i};3;{i};U16;;v{i};;;;;{a}\n"));
    }
    assert_eq!(
        diags(FileKind::Definition, &text, None),
        Vec::<String>::new()
    );
    let (f, _) = DefinitionFile::parse(&text);
    let actions: Vec<Action> = f.variables().map(|v| v.action().unwrap()).collect();
    assert_eq!(actions[6], Action::Alarm);
    assert_eq!(actions[7], Action::AlarmDeferred);
    assert_eq!(
        actions.iter().map(|a| a.data_columns()).sum::<usize>(),
        3 + 1 + 1 + 3 + 1 + 1
    );
}

#[test]
fn sunspec_scale_factor_via_info4() {
    // SunSpec-generated rows: Info4 names the SF variable; value = W x 10^SF.
    let text = "modbusTCP;Inverter;SMA;Solar_Inverter\n1;3;40083;I16;W_SF;W;cmdW;;;W;4\n2;3;40084;I16;;W_SF;;;;;1\n";
    assert_eq!(
        diags(FileKind::Definition, text, None),
        Vec::<String>::new()
    );
    let (f, _) = DefinitionFile::parse(text);
    let vars: Vec<_> = f.variables().collect();
    let wb = 1234u16.to_be_bytes();
    let w = vars[0].modbus().unwrap().decode(&wb).unwrap();
    let sf_var = vars.iter().find(|v| v.name == vars[0].info4).unwrap();
    let sb = (-2i16).to_be_bytes();
    let sf = sf_var.modbus().unwrap().decode(&sb).unwrap();
    let Value::Signed(sf) = sf else { panic!() };
    assert_eq!(scale(w.as_f64().unwrap(), sf as i16), Some(12.34));
}

#[test]
fn io_definition() {
    let text = "io;Input/Output;Webdyn;ioSunPM\n1;2;1;1;;digital1;;;;;0\n2;2;3;2;;digital3;;;;;4\n3;1;4;1;;analog4;;0.5;-2;mA;2\n4;3;1;;;output;;;;;0\n";
    assert_eq!(
        diags(FileKind::Definition, text, None),
        Vec::<String>::new()
    );
    let (f, _) = DefinitionFile::parse(text);
    let v: Vec<_> = f.variables().collect();
    assert!((v[2].coefficients().apply(10.0) - 3.0).abs() < 1e-12);
}

#[test]
fn modbus_slave_fr_example() {
    // Row 4 has 12 fields (one extra ';'): the spec flags it.
    let text = "ModbusSlave\n1;;0;;INVERTER1;Temperature;;;;;1\n\n2;;1_4;;INVERTER1;E-Total;;;;;1\n3;;3_20;;INVERTER2;Firmware Version;;;;;1\n4;;13_24;;INVERTER2;;DisplaySerialNumber;;;;;1\n5;;25_8;;regulation;ValueRegulation;;;;;4\n";
    assert_eq!(
        FileKind::detect("WPM0116AB_ModbusSlave.csv", text),
        FileKind::Slave
    );
    assert_eq!(
        diags(FileKind::Slave, text, None),
        vec![
            "6:46: variable row needs 11 fields (Index;Info1;Info2;Info3;Info4;Name;Tag;CoefA;CoefB;Unit;Action), found 12"
        ]
    );
    let fixed = text.replace("DisplaySerialNumber;;;;;1", "DisplaySerialNumber;;;;1");
    assert_eq!(diags(FileKind::Slave, &fixed, None), Vec::<String>::new());
}

#[test]
fn naming_examples() {
    assert_eq!(FileKind::from_file_name("WPM00BDE4_var.ini"), FileKind::Var);
    assert_eq!(FileKind::from_file_name("WPM00BDE4_scl.ini"), FileKind::Scl);
    assert_eq!(FileKind::from_file_name("custom.csv"), FileKind::Definition);
    assert_eq!(
        parse_def_name("MODBUS_DELTA_M88H-COM1.20-Sunspec.csv"),
        DefName::Other
    );
    assert_eq!(
        parse_def_name("WPM0146B6_ABB_M2M_Meter.csv"),
        DefName::Other
    );
    let DefName::SunSpec(n) =
        parse_def_name("WPM00C44F_SunSpec_inverter_SMA_Solar_Inverter_9301_ModbusTCP.csv")
    else {
        panic!()
    };
    assert_eq!(n.protocol, "ModbusTCP");
    let mut built = n;
    built.model = "Solar Inverter";
    assert_eq!(
        webdyn_defs::naming::sunspec_file_name(&built),
        "WPM00C44F_SunSpec_inverter_SMA_Solar_Inverter_9301_ModbusTCP.csv"
    );
}

#[test]
fn excel_damaged_definition_file() {
    let text = "\u{feff}modbus,Inverter,X,Y\r\n1,3,0,U16,,P,,,,W,4\r\n";
    let got = diags(FileKind::Definition, text, None);
    assert!(got.iter().any(|g| g == "1:1: warning: file starts with a UTF-8 byte order mark (saved by a Windows editor or Excel)"), "{got:?}");
    assert!(
        got.iter()
            .any(|g| g == "1:7: ',' used as delimiter instead of ';' (file saved by Excel?)"),
        "{got:?}"
    );
    assert!(got.iter().any(|g| g == "1:20: warning: CRLF line endings (saved by a Windows editor or Excel); the gateway writes LF"), "{got:?}");
}

#[test]
fn config_settings_typed_view_and_defaults() {
    use webdyn_defs::config::{ConfigFile, ServerInterface, ServerType};
    // Prose spelling SERVER_TYPE, lowercase/capitalised enum values.
    let text = "SERVER_Address=ftp.example.com\nSERVER_TYPE=FTP\nSERVER_Interface=Ethernet\nSERVER2_Type=mqtts_azure\nBIN_Checksum=26d00b3496803378cdc8820649cf9535\nBIN_FileName=wgapp_3.2.11.34874.spm\n";
    assert_eq!(diags(FileKind::Config, text, None), Vec::<String>::new());
    let s = ConfigFile::parse(text).0.settings();
    assert_eq!(s.server_type, ServerType::Ftp);
    assert_eq!(s.server_interface, ServerInterface::Ethernet);
    assert_eq!(s.server2_type, ServerType::MqttsAzure);
    // Appendix A defaults: SERVER2_Interface modem, LOG_Level 3, NTP pool.ntp.org, UTC.
    assert_eq!(s.server2_interface, ServerInterface::Modem);
    assert_eq!(
        (
            s.log_level,
            s.ntp_server1.as_str(),
            s.ntp_time_zone.as_str()
        ),
        (3, "pool.ntp.org", "UTC")
    );
    assert_eq!(
        s.firmware_update,
        Some((
            "wgapp_3.2.11.34874.spm".to_string(),
            "26d00b3496803378cdc8820649cf9535".to_string()
        ))
    );
    // FR: MQTT is not allowed on server 1.
    assert_eq!(
        diags(
            FileKind::Config,
            "SERVER_Address=a\nSERVER_Type=mqtt\n",
            None
        ),
        vec![
            "2:13: warning: MQTT is only allowed on server 2 (FR manual); server 1 reads the configuration"
        ]
    );
}

#[test]
fn daq_devices_against_their_definitions() {
    let (daq, _) = DaqFile::parse(DAQ_EN);
    let (io, _) =
        DefinitionFile::parse("io;Input/Output;Webdyn;ioSunPM\n1;2;1;1;;digital1;;;;;0\n");
    let (rtu, _) = DefinitionFile::parse("modbusRTU;Inverter;SMA;STP\n1;3;0;U16;;W;;;;W;4\n");
    let (slave, _) = DefinitionFile::parse("ModbusSlave\n1;;0;;Io;digital1;;;;;1\n");
    let lookup = |n: &str| match n {
        "WPM00C715_IO.csv" => Some(&io),
        // The TCP device's file says modbusRTU: a warning (>= V5.1 writes `modbus`).
        "WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv" => Some(&rtu),
        // The TIC row points at an IO file: an error.
        "WPM00C715_TIC_LINKY.csv" => Some(&io),
        "WPM00C715_SMA_Inverter_SMA_WR21TL09.csv" => Some(&slave),
        _ => None,
    };
    let got: Vec<String> = daq
        .check_definitions(&lookup)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        vec![
            "9:39: definition file 'WPM00C715_TIC_LINKY.csv' is for protocol 'io', but '' is a TIC device",
            "10:64: 'WPM00C715_SMA_Inverter_SMA_WR21TL09.csv' is a Modbus slave mapping file, not a device definition",
            "11:92: warning: definition file 'WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_modbusTCP.csv' says modbusRTU, but 'ethernet_192.93.121.23_502_126' is a Modbus TCP device",
        ]
    );
}

#[test]
fn daq_device_limits() {
    // 255 Modbus TCP devices: the 255th is past the manual's 254.
    let mut text = String::new();
    for i in 0..255 {
        text.push_str(&format!(
            "{i};10.0.{}.{}:502;d{i};1;600;1000;;1;;;a.csv\n",
            i / 200,
            i % 200 + 1
        ));
    }
    assert_eq!(
        diags(FileKind::Daq, &text, None),
        vec!["255:1: warning: more than 254 Modbus TCP devices: the gateway supports 254"]
    );
}

#[test]
fn repair_excel_damage() {
    use webdyn_defs::damage::{RepairError, repair};
    // What Excel writes for the LAN example saved as "CSV (comma)".
    let excel = "\u{feff}type,ip,mask,gateway,dns1,dns2\r\nLAN1,192.93.121.37,255.255.255.0,192.93.121.1,192.93.121.8,\r\n";
    let fixed = repair(excel).unwrap();
    assert_eq!(
        fixed,
        "type;ip;mask;gateway;dns1;dns2\nLAN1;192.93.121.37;255.255.255.0;192.93.121.1;192.93.121.8;\n"
    );
    assert_eq!(diags(FileKind::Daq, &fixed, None), Vec::<String>::new());
    // Quoted fields in a ';' file lose their quotes; "" is a literal quote.
    assert_eq!(
        repair("1;3;0;U16;;\"Power\";;;;W;4\n").unwrap(),
        "1;3;0;U16;;Power;;;;W;4\n"
    );
    assert_eq!(
        repair("a,\"x;y\"\n"),
        Err(RepairError {
            line: 1,
            message: "a field contains ';', which the gateway cannot read"
        })
    );
    assert_eq!(
        repair("a,b\nc,\"x\r\ny\"\n"),
        Err(RepairError {
            line: 2,
            message: "a quoted field spans lines: the gateway reads one record per line"
        })
    );
}
