//! Round trips: random typed files -> encode -> parse is the identity, and
//! any text re-encodes byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use proptest::prelude::*;
use webdyn_defs::config::{ConfigFile, ConfigLine, ConfigValue, KEYS, KeyType};
use webdyn_defs::daq::{
    DaqFile, DaqLine, Device, DeviceIndex, Interface, Lan, Modem, Serial, SlaveConfig,
};
use webdyn_defs::def::{DefHeader, DefLine, DefinitionFile, Variable};
use webdyn_defs::lossless::Line;
use webdyn_defs::scl::{SclFile, SclLine};
use webdyn_defs::text::Eol;
use webdyn_defs::var::{Schedule, ScheduleType, Server, TimeOfDay, VarFile, VarLine};

fn records<R: Clone>(lines: &[Line<R>]) -> Vec<(R, Eol)> {
    lines.iter().map(|l| (l.record.clone(), l.eol)).collect()
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.()/-]{0,10}"
}

fn nonempty() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_.-]{0,9}"
}

fn config_entry() -> impl Strategy<Value = ConfigLine> {
    let known = (
        0..KEYS.len(),
        any::<i64>(),
        any::<bool>(),
        "[a-z ./:]{0,12}",
    )
        .prop_map(|(i, n, b, t)| {
            let k = &KEYS[i];
            let value = match k.ty {
                KeyType::Flag => ConfigValue::Flag(b),
                KeyType::Integer { .. } => ConfigValue::Integer(n),
                _ => ConfigValue::Text(t.trim().to_string()),
            };
            ConfigLine::Entry {
                key: k.name.to_string(),
                value,
            }
        });
    let unknown = ("X_[A-Za-z]{1,8}", "[a-z]{0,8}").prop_map(|(k, v)| ConfigLine::Entry {
        key: k,
        value: ConfigValue::Text(v),
    });
    prop_oneof![4 => known, 1 => unknown, 1 => Just(ConfigLine::Blank)]
}

fn eol() -> impl Strategy<Value = Eol> {
    prop_oneof![4 => Just(Eol::Lf), 1 => Just(Eol::CrLf)]
}

fn lines_of<R: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = R>,
    first: Option<R>,
) -> impl Strategy<Value = Vec<Line<R>>> {
    prop::collection::vec((s, eol()), 0..12).prop_map(move |v| {
        let mut out: Vec<Line<R>> = first
            .iter()
            .map(|r| Line {
                record: r.clone(),
                raw: String::new(),
                eol: Eol::Lf,
            })
            .collect();
        out.extend(v.into_iter().map(|(record, eol)| Line {
            record,
            raw: String::new(),
            eol,
        }));
        out
    })
}

fn schedule() -> impl Strategy<Value = VarLine> {
    (
        any::<bool>(),
        0u32..100,
        0u32..100,
        0usize..11,
        0u8..24,
        0u8..60,
        0u8..60,
        0u32..100_000,
        0u32..2000,
    )
        .prop_map(|(b, index, id, k, h, m, s, interval, count)| {
            let kinds = [
                ScheduleType::Everyday,
                ScheduleType::Monday,
                ScheduleType::Tuesday,
                ScheduleType::Wednesday,
                ScheduleType::Thursday,
                ScheduleType::Friday,
                ScheduleType::Saturday,
                ScheduleType::Sunday,
                ScheduleType::First,
                ScheduleType::Middle,
                ScheduleType::Last,
            ];
            VarLine::Schedule(Schedule {
                server: if b { Server::Main } else { Server::Backup },
                index,
                id,
                kind: kinds[k],
                start: TimeOfDay {
                    hour: h,
                    minute: m,
                    second: s,
                },
                interval,
                count,
            })
        })
}

fn scl_line() -> impl Strategy<Value = SclLine> {
    prop_oneof![
        (0u32..50, "[A-Za-z0-9 _-]{0,10}[a-z]\\.lua").prop_map(|(index, name)| SclLine::File {
            index,
            name: name.trim().to_string()
        }),
        (0u32..50, any::<bool>()).prop_map(|(index, enabled)| SclLine::Enable { index, enabled }),
        (0u32..50, "[{}\\\\\":a-z0-9,]{0,20}")
            .prop_map(|(index, args)| SclLine::Args { index, args }),
    ]
}

fn opt_num() -> impl Strategy<Value = Option<u32>> {
    prop::option::of(0u32..100_000)
}

fn device() -> impl Strategy<Value = DaqLine> {
    let index = prop_oneof![
        Just(DeviceIndex::Io),
        Just(DeviceIndex::Tic),
        (0u32..1000).prop_map(DeviceIndex::Number)
    ];
    let iface = prop_oneof![
        Just(Interface::None),
        (1u8..=3).prop_map(Interface::Serial),
        (
            "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
            prop::option::of(0u32..70000)
        )
            .prop_map(|(host, port)| Interface::Tcp { host, port }),
    ];
    (
        index,
        iface,
        word(),
        opt_num(),
        opt_num(),
        opt_num(),
        word(),
        word(),
        word(),
        word(),
        word(),
    )
        .prop_map(
            |(
                index,
                interface,
                name,
                address,
                acq,
                timeout,
                serial_number,
                parameters,
                tag,
                model,
                def_file,
            )| {
                DaqLine::Device(Device {
                    index,
                    interface,
                    name,
                    address,
                    acq_period_s: acq,
                    timeout_ms: timeout,
                    serial_number,
                    parameters,
                    tag,
                    model,
                    def_file,
                })
            },
        )
}

fn daq_line() -> impl Strategy<Value = DaqLine> {
    prop_oneof![
        device(),
        (
            word(),
            word(),
            word(),
            word(),
            word(),
            prop::option::of(word()),
            prop::option::of(word())
        )
            .prop_map(|(pin, apn, login, password, authentication, server, dns)| {
                // A 7th column without an 8th is written as such; dns needs server.
                let server = if dns.is_some() {
                    Some(server.unwrap_or_default())
                } else {
                    server
                };
                DaqLine::Modem(Modem {
                    pin,
                    apn,
                    login,
                    password,
                    authentication,
                    server,
                    dns,
                })
            }),
        (1u8..=2, word(), word(), word(), word(), word()).prop_map(
            |(port, ip, mask, gateway, dns1, dns2)| DaqLine::Lan(Lan {
                port,
                ip,
                mask,
                gateway,
                dns1,
                dns2
            })
        ),
        (
            1u8..=3,
            0u32..500_000,
            0u32..10,
            "[NOE]",
            0u32..4,
            0u32..5,
            nonempty(),
            0u32..1000,
            prop::option::of("[0-9]{0,5}")
        )
            .prop_map(
                |(
                    port,
                    baudrate,
                    data_bits,
                    parity,
                    stop_bits,
                    wires,
                    protocol,
                    interframe_ms,
                    forwarded_port,
                )| {
                    DaqLine::Serial(Serial {
                        port,
                        baudrate,
                        data_bits,
                        parity,
                        stop_bits,
                        wires,
                        protocol,
                        interframe_ms,
                        forwarded_port,
                    })
                }
            ),
        (any::<bool>(), 0u32..70000, word()).prop_map(|(enabled, port, mapping_file)| {
            DaqLine::ModbusSlave(SlaveConfig {
                enabled,
                port,
                mapping_file,
            })
        }),
        (0u32..1000).prop_map(DaqLine::TcpInterFrame),
        Just(DaqLine::Blank),
    ]
}

fn coef() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop_oneof![
        (-1.0e6f64..1.0e6),
        Just(0.1),
        Just(1.0),
        Just(-40.0)
    ])
}

fn variable() -> impl Strategy<Value = DefLine> {
    (
        (nonempty(), word(), word(), word(), word()),
        (
            word(),
            word(),
            coef(),
            coef(),
            word(),
            prop::option::of(0u8..10),
        ),
    )
        .prop_map(
            |((index, info1, info2, info3, info4), (name, tag, coef_a, coef_b, unit, action))| {
                DefLine::Variable(Variable {
                    index,
                    info1,
                    info2,
                    info3,
                    info4,
                    name,
                    tag,
                    coef_a,
                    coef_b,
                    unit,
                    action,
                })
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn config_identity(lines in lines_of(config_entry(), None)) {
        let f = ConfigFile { bom: false, lines };
        let text = f.encode();
        let (g, _) = ConfigFile::parse(&text);
        prop_assert_eq!(records(&g.lines), records(&f.lines));
        prop_assert_eq!(g.encode(), text);
    }

    #[test]
    fn var_identity(lines in lines_of(schedule(), None)) {
        let f = VarFile { bom: false, lines };
        let text = f.encode();
        let (g, _) = VarFile::parse(&text);
        prop_assert_eq!(records(&g.lines), records(&f.lines));
    }

    #[test]
    fn scl_identity(lines in lines_of(scl_line(), None)) {
        let f = SclFile { bom: false, lines };
        let text = f.encode();
        let (g, _) = SclFile::parse(&text);
        prop_assert_eq!(records(&g.lines), records(&f.lines));
    }

    #[test]
    fn daq_identity(lines in lines_of(daq_line(), None), bom in any::<bool>()) {
        let f = DaqFile { bom, lines };
        let text = f.encode();
        let (g, _) = DaqFile::parse(&text);
        prop_assert_eq!(g.bom, bom);
        prop_assert_eq!(records(&g.lines), records(&f.lines));
    }

    #[test]
    fn definition_identity(
        header in (nonempty(), word(), word(), word(), prop::option::of(0u8..3)),
        lines in prop::collection::vec(variable(), 0..10),
    ) {
        let (protocol, category, manufacturer, model, forced_write) = header;
        let h = DefHeader { protocol, category, manufacturer, model, forced_write };
        let vars = lines.into_iter().map(|l| match l { DefLine::Variable(v) => v, _ => unreachable!() });
        let f = DefinitionFile::new(h, vars);
        let text = f.encode();
        let (g, _) = DefinitionFile::parse(&text);
        prop_assert_eq!(records(&g.lines), records(&f.lines));
    }

    #[test]
    fn any_text_reencodes_byte_for_byte(text in "[ -~\r\n\t;=|]{0,200}") {
        for kind in [
            webdyn_defs::FileKind::Config,
            webdyn_defs::FileKind::Var,
            webdyn_defs::FileKind::Daq,
            webdyn_defs::FileKind::Scl,
            webdyn_defs::FileKind::Definition,
            webdyn_defs::FileKind::Slave,
        ] {
            let (f, _) = webdyn_defs::any::AnyFile::parse(kind, &text).unwrap();
            prop_assert_eq!(f.encode(), text.as_str());
            let _ = f.validate(None);
        }
    }
}

#[test]
fn editing_one_value_rewrites_only_that_line() {
    let text = "SERVER_Address = a  \r\nFTP_Port=21\r\nX_Custom=keep me\r\n";
    let (mut f, _) = ConfigFile::parse(text);
    f.set("ftp_port", ConfigValue::Integer(2121));
    assert_eq!(
        f.encode(),
        "SERVER_Address = a  \r\nFTP_Port=2121\r\nX_Custom=keep me\r\n"
    );
    f.set("LOG_Level", ConfigValue::Integer(5));
    assert_eq!(
        f.encode(),
        "SERVER_Address = a  \r\nFTP_Port=2121\r\nX_Custom=keep me\r\nLOG_Level=5\n"
    );
    let text = "modbus;Inverter;X;Y\n1;3;0;U16;;P;;1.0;;W;4\n2;3;1;U16;;Q;;;;W;4";
    let (mut f, _) = DefinitionFile::parse(text);
    if let DefLine::Variable(v) = &mut f.lines[2].record {
        v.coef_a = Some(0.5);
    }
    // Line 2 keeps "1.0"; line 3 is rendered canonically; no final newline kept.
    assert_eq!(
        f.encode(),
        "modbus;Inverter;X;Y\n1;3;0;U16;;P;;1.0;;W;4\n2;3;1;U16;;Q;;0.5;;W;4"
    );
}
