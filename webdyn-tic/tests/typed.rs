#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The typed layer on hand-made groups, one per label family, with values
//! from the specification's worked examples (tic.md §3–§7).

use webdyn_tic::*;

fn field(body: &'static [u8]) -> Field<'static> {
    let g = Group::parse(body, ModeSelect::Auto).unwrap();
    Field::decode(&g).unwrap()
}

fn std_group(label: &'static str, hd: Option<&'static str>, value: &'static str) -> Vec<u8> {
    let g = Group::new(
        Mode::Standard,
        label.as_bytes(),
        hd.map(str::as_bytes),
        value.as_bytes(),
    )
    .unwrap();
    let mut out = vec![0; g.encoded_len()];
    g.emit(&mut out).unwrap();
    out[1..out.len() - 1].to_vec()
}

fn typed(body: Vec<u8>) -> (Option<Horodate>, String) {
    let body: &'static [u8] = Box::leak(body.into_boxed_slice());
    let f = field(body);
    (f.horodate, format!("{:?}", f.value))
}

#[test]
fn historic_families() {
    assert_eq!(field(b"BBRHCJR 000025098 E").value, Value::Energy(25_098));
    assert_eq!(field(b"BBRHCJR 000025098 E").info.unwrap().unit, Unit::Wh);
    assert_eq!(field(b"IINST 005 \\").value, Value::Number(5));
    assert_eq!(field(b"PAPP 02570 /").value, Value::Number(2570));
    assert_eq!(field(b"PMAX 17040 2").value, Value::Number(17040));
    assert_eq!(
        field(b"OPTARIF BBR( S").value,
        Value::TariffOption(TariffOption::Tempo(b'('))
    );
    assert_eq!(
        field(b"OPTARIF HC.. <").value,
        Value::TariffOption(TariffOption::OffPeak)
    );
    assert_eq!(
        field(b"PTEC HPJB P").value,
        Value::TariffPeriod(TariffPeriod::TempoPeak(TempoColor::Blue))
    );
    assert_eq!(
        field(b"PTEC HP..  ").value,
        Value::TariffPeriod(TariffPeriod::Peak)
    );
    assert_eq!(
        field(b"DEMAIN BLEU V").value,
        Value::Tomorrow(Some(TempoColor::Blue))
    );
    assert_eq!(field(b"HHPHC A ,").value, Value::Schedule('A'));
    assert_eq!(field(b"PPOT 00 #").value, Value::Potentials(0));
    assert_eq!(field(b"MOTDETAT 000000 B").value, Value::Text("000000"));
    let Value::Address(a) = field(b"ADCO 030422000048 .").value else {
        panic!()
    };
    assert_eq!(
        (a.manufacturer, a.year, a.device_type, a.serial),
        (3, 4, 22, 48)
    );
    assert_eq!(a.manufacturer_name(), Some("Schlumberger/Actaris/Itron"));
}

#[test]
fn standard_families() {
    assert_eq!(field(b"VTIC\t02\tJ").value, Value::Number(2));
    let f = field(b"DATE\tH240107175810\t\tE");
    assert_eq!(f.value, Value::Empty);
    let h = f.horodate.unwrap();
    assert_eq!(
        (
            h.season,
            h.degraded,
            h.full_year(),
            h.month,
            h.day,
            h.hour,
            h.minute,
            h.second
        ),
        (Season::Winter, false, 2024, 1, 7, 17, 58, 10)
    );
    let (h, v) = typed(std_group("SMAXSN", Some("H240107024723"), "08611"));
    assert_eq!((h.unwrap().hour, v.as_str()), (2, "Number(8611)"));
    let (h, v) = typed(std_group("SMAXSN1-1", Some("H240106033725"), "09941"));
    assert_eq!((h.unwrap().day, v.as_str()), (6, "Number(9941)"));
    let (h, v) = typed(std_group("DPM2", Some(" 240108060000"), "00"));
    assert_eq!(
        (h.unwrap().season, v.as_str()),
        (Season::Unknown, "Number(0)")
    );
    let (_, v) = typed(std_group("EASF02", None, "026587270"));
    assert_eq!(v, "Energy(26587270)");
    let (_, v) = typed(std_group("ERQ1", None, "000001234"));
    assert_eq!(v, "Energy(1234)");
    let (_, v) = typed(std_group("NGTF", None, "     TEMPO      "));
    assert_eq!(v, "Text(\"     TEMPO      \")");
    let (_, v) = typed(std_group("MSG1", None, "PAS DE          MESSAGE         "));
    assert_eq!(v, "Text(\"PAS DE          MESSAGE         \")");
    let (_, v) = typed(std_group("RELAIS", None, "000"));
    assert_eq!(v, "Relays(Relais(0))");
    let (_, v) = typed(std_group("PREF", None, "12"));
    assert_eq!(v, "Number(12)");
    let f = field(b"STGE\t013AC401\tR");
    let Value::Status(s) = f.value else { panic!() };
    assert_eq!(s.0, 0x013A_C401);
    assert!(!s.clock_degraded() && s.tic_standard());
    assert_eq!(s.cpl_status(), CplStatus::NewLock);
    assert!(!s.cpl_synchronized());
    assert_eq!(&s.to_bytes(), b"013AC401");
    let f = field(b"PJOURF+1\t00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE\t.");
    let Value::DayProfile(p) = f.value else {
        panic!()
    };
    let e = p.entries();
    assert_eq!(e.len(), 3);
    assert_eq!((e[2].hour, e[2].minute, e[2].action), (22, 0, 0x4001));
    let Value::Address(a) = field(b"ADSC\t041662343035\t2").value else {
        panic!()
    };
    assert_eq!(a.device_type_name(), Some("Linky single-phase 90 A G1"));
}

#[test]
fn stge_worked_decodes() {
    // tic.md §7.
    let s = Stge::parse(b"003A0001").unwrap();
    assert!(s.dry_contact_open());
    assert_eq!(s.cut_off(), CutOff::Closed);
    assert_eq!(
        (s.supplier_tariff_index(), s.distributor_tariff_index()),
        (1, 1)
    );
    assert!(s.tic_standard());
    assert_eq!(s.euridis(), Euridis::EnabledSecure);
    assert_eq!(s.cpl_status(), CplStatus::NewLock);
    let s = Stge::parse(b"463A0800").unwrap();
    assert_eq!(s.supplier_tariff_index(), 3);
    assert_eq!(s.tempo_today(), Some(TempoColor::White));
    assert_eq!(s.tempo_tomorrow(), Some(TempoColor::Blue));
    assert_eq!(s.mobile_peak(), Some(1));
    assert_eq!(s.mobile_peak_notice(), None);
    // Every single bit lands in exactly its accessor.
    assert!(Stge(1 << 4).terminal_cover_open());
    assert!(Stge(1 << 6).overvoltage());
    assert!(Stge(1 << 7).reference_power_exceeded());
    assert!(Stge(1 << 8).producer());
    assert!(Stge(1 << 9).active_energy_negative());
    assert!(Stge(1 << 16).clock_degraded());
    assert!(Stge(1 << 23).cpl_synchronized());
    assert_eq!(Stge(4 << 1).cut_off(), CutOff::OpenOrder);
    assert_eq!(Stge(1 << 16).distributor_tariff_index(), 1);
    assert!(Stge::parse(b"013AC40G").is_err());
}

#[test]
fn relais_bits() {
    let r = Relais::parse(b"129").unwrap();
    assert!(r.relay(1) && r.relay(8) && !r.relay(2) && !r.relay(0) && !r.relay(9));
    assert_eq!(Relais::parse(b"256"), Err(ValueError::OutOfRange { at: 0 }));
}

#[test]
fn unknown_labels_pass_through() {
    // PME-PMI: unknown to both dictionaries, value with spaces kept.
    let f = field(b"MESURES1 HTA 5 G");
    assert!(f.info.is_none());
    assert_eq!(f.value, Value::Raw("HTA 5"));
}

#[test]
fn typed_errors() {
    // Built with the encoder so only the typed check fails.
    let g2 = Group::new(Mode::Historic, b"IINST", None, b"05").unwrap();
    assert_eq!(
        Field::decode(&g2),
        Err(ValueError::Length {
            expected: 3,
            found: 2
        })
    );
    let g = Group::new(Mode::Historic, b"PAPP", None, b"0q570").unwrap();
    assert_eq!(Field::decode(&g), Err(ValueError::NotDecimal { at: 1 }));
    let g = Group::new(Mode::Standard, b"SMAXSN", None, b"08611").unwrap();
    assert_eq!(
        Field::decode(&g),
        Err(ValueError::Horodate { expected: true })
    );
    let g = Group::new(Mode::Standard, b"DATE", Some(b"E241301120000"), b"").unwrap();
    assert_eq!(Field::decode(&g), Err(ValueError::OutOfRange { at: 3 }));
    let g = Group::new(Mode::Historic, b"PTEC", None, b"XX..").unwrap();
    assert_eq!(Field::decode(&g), Err(ValueError::UnknownCode));
}

#[test]
fn fixed_state_capacity_and_changes() {
    let mut st: MeterState<2, 8> = MeterState::new();
    let a = Group::new(Mode::Historic, b"IINST", None, b"005").unwrap();
    let b = Group::new(Mode::Historic, b"PAPP", None, b"00690").unwrap();
    let c = Group::new(Mode::Historic, b"IMAX", None, b"090").unwrap();
    let long = Group::new(Mode::Historic, b"ADCO", None, b"030422000048").unwrap();
    assert_eq!(st.update(&a), Change::New);
    assert_eq!(st.update(&long), Change::Dropped);
    assert_eq!(st.update(&b), Change::New);
    assert_eq!(st.update(&c), Change::Dropped);
    assert_eq!(st.len(), 2);
    st.clear_changes();
    assert_eq!(st.changed().count(), 0);
    let a2 = Group::new(Mode::Historic, b"IINST", None, b"006").unwrap();
    assert_eq!(st.update(&a2), Change::Changed);
    let ch: Vec<_> = st.changed().map(|e| e.value.to_vec()).collect();
    assert_eq!(ch, vec![b"006".to_vec()]);
    // A new horodate with the same value is a change.
    let mut st: MeterState = MeterState::new();
    let s1 = Group::new(Mode::Standard, b"SMAXSN", Some(b"H240107024723"), b"08611").unwrap();
    let s2 = Group::new(Mode::Standard, b"SMAXSN", Some(b"H240108024723"), b"08611").unwrap();
    assert_eq!(st.update(&s1), Change::New);
    assert_eq!(st.update(&s1), Change::Unchanged);
    assert_eq!(st.update(&s2), Change::Changed);
    assert_eq!(
        st.get(b"SMAXSN").unwrap().horodate,
        Some(&b"H240108024723"[..])
    );
}

#[test]
fn growable_state() {
    let mut m = MeterMap::new();
    let long = Group::new(Mode::Historic, b"SOMEVERYLONGLABEL", None, b"x").unwrap();
    assert_eq!(m.update(&long), Change::New);
    assert_eq!(m.update(&long), Change::Unchanged);
    let long2 = Group::new(Mode::Historic, b"SOMEVERYLONGLABEL", None, b"y").unwrap();
    assert_eq!(m.update(&long2), Change::Changed);
    assert_eq!(m.get("SOMEVERYLONGLABEL").unwrap().value, "y");
    m.clear_changes();
    assert_eq!(m.changed().count(), 0);
}

#[cfg(feature = "serde")]
#[test]
fn serde_json_shapes() {
    let f = field(b"PTEC HPJB P");
    let j = serde_json::to_value(f).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"label":"PTEC","horodate":null,"value":{"type":"tariff_period","value":{"TempoPeak":"blue"}}})
    );
    let g = Group::parse(b"DATE\tE240601120000\t\t.", ModeSelect::Auto).unwrap();
    assert_eq!(
        serde_json::to_value(g).unwrap(),
        serde_json::json!({"mode":"standard","label":"DATE","horodate":"E240601120000","value":"","checksum_ok":true})
    );
    let h: Horodate = serde_json::from_value(
        serde_json::to_value(Horodate::parse(b"h240101000000").unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(h.to_bytes(), *b"h240101000000");
}

#[cfg(feature = "serde")]
#[test]
fn serde_on_events_and_state() {
    let mut dec: Decoder = Decoder::new();
    let mut out = Vec::new();
    let mut st: MeterState = MeterState::new();
    dec.feed(b"\x02\nIINST 005 \\\r\x03", |ev| {
        if let Event::Group { group, .. } = ev {
            st.update(&group);
        }
        out.push(serde_json::to_value(ev).unwrap());
    });
    assert_eq!(
        out[0],
        serde_json::json!({"event":"frame_start","offset":0})
    );
    assert_eq!(out[1]["event"], "group");
    assert_eq!(out[1]["group"]["value"], "005");
    assert_eq!(out[2]["event"], "frame_end");
    assert_eq!(
        serde_json::to_value(&st).unwrap(),
        serde_json::json!([{"label":"IINST","horodate":null,"value":"005","changed":true}])
    );
}
