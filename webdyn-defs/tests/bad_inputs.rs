//! A table of bad inputs, each with the exact `LINE:COL: message` list the
//! validator must print. Columns were counted by hand (1-based characters).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_defs::FileKind;
use webdyn_defs::any::AnyFile;

fn check(kind: FileKind, text: &str) -> Vec<String> {
    let (file, _) = AnyFile::parse(kind, text).unwrap();
    let available = |n: &str| n == "a.csv";
    file.validate(Some(&available))
        .iter()
        .map(ToString::to_string)
        .collect()
}

const SA: &str = "SERVER_Address=a\n";
const SER: &str = "SERIAL1;9600;8;N;1;2;modbusRTU;0;\n";
const DEF: &str = "modbus;Inverter;X;Y\n";

#[test]
fn bad_inputs_table() {
    use FileKind::*;
    let owned = |a: &str, b: &str| format!("{a}{b}");
    let cases: Vec<(FileKind, String, Vec<&str>)> = vec![
        // --- _config.ini
        (Config, owned(SA, "FTP_Port=abc\n"), vec!["2:10: FTP_Port must be an integer, found 'abc'"]),
        (Config, owned(SA, "FTP_Port=70000\n"), vec!["2:10: FTP_Port must be between 1 and 65535, found 70000"]),
        (Config, owned(SA, "FTP_UploadLog=2\n"), vec!["2:15: FTP_UploadLog must be 0 or 1, found '2'"]),
        (
            Config,
            owned(SA, "SERVER_Type=ftps\n"),
            vec!["2:13: SERVER_Type must be one of ftp, sftp, webdav, mqtt, mqtts, mqtts_aws, mqtts_azure, mqtts_gcloud, found 'ftps'"],
        ),
        (Config, owned(SA, "SERVER_Address=b\n"), vec!["2:1: duplicate key SERVER_Address (first set at line 1)"]),
        (Config, owned(SA, "server_address=b\n"), vec!["2:1: duplicate key server_address (first set at line 1)"]),
        (Config, owned(SA, "FOO=1\n"), vec!["2:1: warning: unknown key FOO (kept, ignored by the gateway)"]),
        (Config, "FTP_Login=x\n".into(), vec!["1:1: missing mandatory key SERVER_Address"]),
        (
            Config,
            owned(SA, "BIN_FileName=wgapp_5.0.2.41619.spm\n"),
            vec!["2:14: BIN_FileName is set but BIN_Checksum is empty or missing"],
        ),
        (
            // The SMS example's 33-character checksum (a manual typo).
            Config,
            owned(SA, "BIN_Checksum=70a0eeeeae295a7e16d3811b66bee9b66\nBIN_FileName=w.spm\n"),
            vec!["2:14: BIN_Checksum must be 32 hexadecimal digits (MD5), found '70a0eeeeae295a7e16d3811b66bee9b66' (33 characters)"],
        ),
        (Config, owned(SA, "not a key\n"), vec!["2:1: expected KEY=value, found no '='"]),
        (Config, owned(SA, "=1\n"), vec!["2:1: empty key before '='"]),
        (Config, owned(SA, "MQTT2_QoS=3\n"), vec!["2:11: MQTT2_QoS must be between 0 and 2, found 3"]),
        (
            Config,
            owned(SA, "NTP_TimeZone=Europe/Paris\n"),
            vec!["2:14: NTP_TimeZone 'Europe/Paris' is not in the manual's time-zone list"],
        ),
        (
            Config,
            "SERVER_Address=a\r\nLOG_Level=3\r\n".into(),
            vec!["1:17: warning: CRLF line endings (saved by a Windows editor or Excel); the gateway writes LF"],
        ),
        (
            Config,
            "\u{feff}SERVER_Address=a\n".into(),
            vec!["1:1: warning: file starts with a UTF-8 byte order mark (saved by a Windows editor or Excel)"],
        ),
        (Config, owned(SA, "K[x]=1\n"), vec!["2:3: index is not a number"]),
        (Config, owned(SA, "SERVER2_Type=mqttps\n"), vec!["2:14: SERVER2_Type must be one of ftp, sftp, webdav, mqtt, mqtts, mqtts_aws, mqtts_azure, mqtts_gcloud, found 'mqttps'"]),
        // --- _var.ini
        (
            Var,
            "SCHEDULE_Params[0]=1|everyday|00:00:00|1440|1\nSCHEDULE_Params[0]=2|monday|00:00:00|1440|1\n".into(),
            vec!["2:1: duplicate index SCHEDULE_Params[0] (first at line 1): the gateway rejects the file"],
        ),
        (
            Var,
            "SCHEDULE_Params[0]=1|weekly|00:00:00|1440|1\n".into(),
            vec!["1:22: unknown schedule type 'weekly' (everyday, monday..sunday, first, middle, last)"],
        ),
        (
            Var,
            "SCHEDULE_Params[0]=1|everyday|25:00:00|1440|1\n".into(),
            vec!["1:31: StartTime 25:00:00 is not a time of day (00:00:00-23:59:59)"],
        ),
        (Var, "SCHEDULE_Params[0]=1|everyday|0:00|1440|1\n".into(), vec!["1:31: StartTime must be HH:MM:SS, found '0:00'"]),
        (
            Var,
            "SCHEDULE_Params[0]=1|everyday|00:00:00|1440\n".into(),
            vec!["1:20: expected Id|Type|StartTime|Interval|Count (5 fields), found 4 fields"],
        ),
        (Var, "SCHEDULE_Params=1|everyday|00:00:00|1440|1\n".into(), vec!["1:1: SCHEDULE_Params needs an index: SCHEDULE_Params[n]"]),
        (
            Var,
            "SCHEDULE_Params[0]=1|everyday|00:00:00|0|1\n".into(),
            vec!["1:40: warning: Interval 0: the gateway changes it to 1 minute"],
        ),
        (
            Var,
            "SCHEDULE_Params[0]=1|everyday|00:00:00|1440|1\nSCHEDULE_Params[1]=1|monday|00:00:00|1440|1\n".into(),
            vec!["2:20: duplicate schedule Id 1 (first at line 1)"],
        ),
        (
            Var,
            "SCHEDULE3_Params[0]=x\n".into(),
            vec!["1:1: unknown key SCHEDULE3_Params[0] (expected SCHEDULE_Params[n] or SCHEDULE2_Params[n])"],
        ),
        (Var, "SCHEDULE_Params[0]=1|everyday|00:00:00|1440|x\n".into(), vec!["1:45: Count must be a number, found 'x'"]),
        // --- _scl.ini
        (
            Scl,
            "SCRIPT_File[0]=a.lua\nSCRIPT_File[0]=b.lua\n".into(),
            vec!["2:1: duplicate index SCRIPT_File[0] (first at line 1): the gateway rejects the file"],
        ),
        (Scl, "SCRIPT_File[0]=a.py\n".into(), vec!["1:16: script file 'a.py' must end in .lua, .luax or .luaw"]),
        (Scl, "SCRIPT_File[0]=a.lua\nSCRIPT_Enable[0]=yes\n".into(), vec!["2:18: SCRIPT_Enable must be 0 or 1, found 'yes'"]),
        (Scl, "SCRIPT_Enable[1]=1\n".into(), vec!["1:1: SCRIPT_Enable[1] has no SCRIPT_File[1]"]),
        // --- _daq.csv
        (Daq, "SERIAL1;9600;8;X;1;2;modbusRTU;0;\n".into(), vec!["1:16: parity must be N, O or E, found 'X'"]),
        (
            Daq,
            "SERIAL1;9601;8;N;1;2;modbusRTU;0;\n".into(),
            vec!["1:9: baudrate 9601 is not supported (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800)"],
        ),
        (
            Daq,
            "SERIAL1;9600;9;N;3;3;modbusRTU;0;\n".into(),
            vec!["1:14: data_bits must be 7 or 8, found 9", "1:18: stop_bits must be 1 or 2, found 3", "1:20: wires must be 2 or 4, found 3"],
        ),
        (Daq, "SERIAL1;fast;8;N;1;2;modbusRTU;0;\n".into(), vec!["1:9: baudrate must be a number, found 'fast'"]),
        (Daq, "LAN1;192.168.1.300;255.255.255.0;;;\n".into(), vec!["1:6: ip must be an IPv4 address, found '192.168.1.300'"]),
        (Daq, "LAN1;192.168.1.2;255.255.255.0;;\n".into(), vec!["1:33: LAN record needs 6 fields, found 5"]),
        (
            Daq,
            owned(SER, "1;SERIAL1;inv;1;600;1000;;;;;a.csv\n1;SERIAL1;inv;2;600;1000;;;;;a.csv\n"),
            vec!["3:1: duplicate device index (first at line 2)", "3:11: duplicate device name 'inv' (first at line 2)"],
        ),
        (
            Daq,
            "1;10.0.0.5:502;inv;300;600;1000;;1;;;a.csv\n".into(),
            vec!["1:20: Modbus address must be 0-255 (1-247 usual), found 300"],
        ),
        (Daq, "1;10.0.0.5:502;inv;250;600;1000;;1;;;a.csv\n".into(), vec!["1:20: warning: Modbus address 250 is outside 1-247"]),
        (Daq, "1;10.0.0.5;inv;1;600;1000;;1;;;b.csv\n".into(), vec!["1:32: definition file 'b.csv' not found"]),
        (
            // The FR manual's IO line: one ';' missing.
            Daq,
            "IO;;Io;;36000;;;WebdynSunPM;ioSunPM;WPM00C715_IO.csv\n".into(),
            vec!["1:53: device record needs 11 fields, found 10"],
        ),
        (
            // The FR manual's Ethernet line: `ip;port` instead of `ip:port`.
            Daq,
            "1;192.93.121.23;502;ethernet_192.93.121.23_502_126;126;600;5000;;1;Inverter;Solar_Inverter;WPM00BDE4_SunSpec_inverter_SMA_Solar_Inverter_9301_ModbusTCP.csv\n".into(),
            vec!["1:92: device record needs 11 fields, found 12"],
        ),
        (
            Daq,
            "FOO;1\n".into(),
            vec!["1:1: unknown record 'FOO' (expected type, index, MODEM, LAN1, LAN2, tcpInterFrameMs, SERIAL1-3, ModbusSlave, IO, TIC1 or a device number)"],
        ),
        (
            Daq,
            "type,ip,mask\n".into(),
            vec![
                "1:1: unknown record 'type,ip,mask' (expected type, index, MODEM, LAN1, LAN2, tcpInterFrameMs, SERIAL1-3, ModbusSlave, IO, TIC1 or a device number)",
                "1:5: ',' used as delimiter instead of ';' (file saved by Excel?)",
            ],
        ),
        (
            Daq,
            "MODEM;\"1234\";apn;;;none\n".into(),
            vec![
                "1:7: quoted field: the gateway does not understand CSV quoting (file saved by Excel?)",
                "1:7: PIN must be digits, found '\"1234\"'",
            ],
        ),
        (Daq, "MODEM;;apn;;;MSCHAP\n".into(), vec!["1:14: authentication must be none, PAP, CHAP or Both, found 'MSCHAP'"]),
        (Daq, "ModbusSlave;2;502;\n".into(), vec!["1:13: ModbusSlave enabled must be 0 or 1, found '2'"]),
        (Daq, owned(SER, SER), vec!["2:1: duplicate SERIAL1 record (first at line 1)"]),
        (
            Daq,
            "1;ethernet1;inv;1;600;1000;;1;;;a.csv\n".into(),
            vec!["1:3: interface must be SERIAL1-3 or an IPv4 address[:port], found 'ethernet1'"],
        ),
        (
            Daq,
            "SERIAL1;9600;8;N;1;2;modbusRTU;0;99999\n".into(),
            vec!["1:34: forwarded_port must be a TCP port 1-65535, found '99999'"],
        ),
        (Daq, "1;SERIAL2;inv;1;600;1000;;;;;a.csv\n".into(), vec!["1:3: warning: no SERIAL2 record in this file"]),
        // --- definition files
        (Definition, owned(DEF, "1;3;0;U16;;P;;;;W;4\n2;3;1;U16;;P;;;;W;4\n"), vec!["3:12: duplicate Name 'P' (first at line 2)"]),
        (Definition, owned(DEF, "1;3;0;U16;;P;;;;W;4\n1;3;1;U16;;Q;;;;W;4\n"), vec!["3:1: duplicate Index '1' (first at line 2)"]),
        (Definition, owned(DEF, "1;3;0;U16;;P;t;;;W;4\n2;3;1;U16;;Q;t;;;W;4\n"), vec!["3:14: duplicate Tag 't' (first at line 2)"]),
        (Definition, owned(DEF, "1;3;0;U16;;P;;;;W;3\n"), vec!["2:19: unknown Action code 3 (expected 0, 1, 2, 4, 6, 7, 8 or 9)"]),
        (Definition, owned(DEF, "1;3;0;U16;;P;;;;W;\n"), vec!["2:19: Action is empty (expected 0, 1, 2, 4, 6, 7, 8 or 9)"]),
        (
            Definition,
            owned(DEF, "1;5;0;U16;;P;;;;W;4\n"),
            vec!["2:3: Info1 must be 1 (coil), 2 (discrete input), 3 (holding register) or 4 (input register), found '5'"],
        ),
        (
            Definition,
            owned(DEF, "1;3;0;S16;;P;;;;W;4\n"),
            vec!["2:7: unknown type (expected U8, I8, U16, I16, U32, I32, U64, I64, F32, F64, String, Bits, IP, IPV6, MAC or RAW), found 'S16'"],
        ),
        (
            Definition,
            owned(DEF, "1;3;0;U16_W;;P;;;;W;4\n"),
            vec!["2:7: swap suffix not allowed on 'U16_W' (U8, I8, String, Bits, IP, IPV6, MAC and RAW take none; U16/I16 only _B)"],
        ),
        (
            Definition,
            owned(DEF, "1;3;40000;String;;P;;;;;1\n"),
            vec!["2:5: bad address: String and RAW need ADDRESS_SIZE (size in bytes): '40000' for type String"],
        ),
        (
            Definition,
            owned(DEF, "1;3;40000_2;U8;;P;;;;;1\n"),
            vec!["2:5: bad address: U8/I8 byte offset must be 0 (1st byte) or 1 (2nd byte): '40000_2'"],
        ),
        (
            Definition,
            owned(DEF, "1;3;0;U16;;P;;0,1;;W;4\n"),
            vec!["2:15: CoefA must be a number, found '0,1' (decimal comma? the gateway expects '.')"],
        ),
        (
            Definition,
            owned(DEF, "1;3;0;U16;;P;;;;W\n"),
            vec!["2:18: variable row needs 11 fields (Index;Info1;Info2;Info3;Info4;Name;Tag;CoefA;CoefB;Unit;Action), found 10"],
        ),
        (
            Definition,
            owned(DEF, "1;3;0;U16;W_SF;W;;;;W;4\n"),
            vec!["2:11: Info4 names scale factor variable 'W_SF', which is not in this file"],
        ),
        (
            Definition,
            "io;Input/Output;Webdyn;ioSunPM\n1;2;4;1;;digital4;;;;;4\n".into(),
            vec!["2:5: digital input number must be 1-3, found 4"],
        ),
        (
            Definition,
            "modbus;Inverter;X\n".into(),
            vec!["1:1: header must be Protocol;Category;Manufacturer;Model[;ForcedWriteCode] (4 or 5 fields), found 3 fields"],
        ),
        (Definition, "modbus;Inverter;X;Y;2\n".into(), vec!["1:21: forced write code must be 0 or 1, found 2"]),
        (Definition, "".into(), vec!["1:1: empty file: expected the header Protocol;Category;Manufacturer;Model"]),
        // --- Modbus slave mapping files
        (Slave, "ModbusSlave\n1;;0_4;;INV;P;;;;;1\n2;;1;;INV;Q;;;;;1\n".into(), vec!["3:4: registers 1-1 overlap the row at line 2"]),
        (Slave, "ModbusSlave\n1;;0_3;;INV;P;;;;;1\n".into(), vec!["2:4: size must be a positive multiple of 2 bytes, found 3"]),
        (Slave, "ModbusSlave\n1;;0;;INV;P;t;;;;1\n".into(), vec!["2:13: Name and Tag are mutually exclusive: set only one"]),
        (
            Slave,
            "ModbusSlave\n1;;0;;INV;P;;;;;2\n".into(),
            vec!["2:17: slave Action must be 0 (disabled), 1 (read) or 4 (read/write), found 2"],
        ),
        (Slave, "ModbusSlave\n1;;32767_4;;INV;P;;;;;1\n".into(), vec!["2:4: registers 32767-32768 leave the user space 0-32767"]),
        (Slave, "ModbusSlave\n1;;0;;;P;;;;;1\n".into(), vec!["2:7: Info4 must name a device (daq name) or a Lua script"]),
        (Slave, "modbus;A;B;C\n".into(), vec!["1:1: line 1 of a Modbus slave mapping file must be ModbusSlave"]),
    ];
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (kind, input, expected) in &cases {
        let got = check(*kind, input);
        if got != *expected {
            failures.push(format!(
                "{kind:?} {input:?}\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
