//! Typed values: numbers, tariff enums, STGE, RELAIS, day profiles and
//! meter addresses.

use crate::group::Group;
use crate::horodate::Horodate;
use crate::labels::{Kind, LabelInfo, lookup};

/// Why a value cannot be typed. Offsets count from the first byte of the
/// field (data or horodate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ValueError {
    /// The field does not have the length the specification fixes.
    #[error("length {found}, expected {expected}")]
    Length {
        /// The specified length.
        expected: usize,
        /// The received length.
        found: usize,
    },
    /// A decimal digit was expected.
    #[error("not a decimal digit at byte {at}")]
    NotDecimal {
        /// Offset in the field.
        at: usize,
    },
    /// A hexadecimal digit was expected.
    #[error("not a hex digit at byte {at}")]
    NotHex {
        /// Offset in the field.
        at: usize,
    },
    /// A value outside its range (a month 13, a RELAIS of 300…).
    #[error("value out of range at byte {at}")]
    OutOfRange {
        /// Offset in the field.
        at: usize,
    },
    /// The horodate's season letter is not one of `E e H h SP`.
    #[error("bad season letter at byte {at}")]
    Season {
        /// Offset in the horodate.
        at: usize,
    },
    /// A code the specification does not list (OPTARIF, PTEC, DEMAIN…).
    #[error("unknown code")]
    UnknownCode,
    /// The label carries a horodate but the group has none, or the
    /// reverse.
    #[error("horodate {}", if *expected { "missing" } else { "not expected" })]
    Horodate {
        /// Whether the label should carry one.
        expected: bool,
    },
}

/// `s` as an unsigned decimal number of 1 to 19 digits.
pub(crate) fn decimal(s: &[u8]) -> Result<u64, ValueError> {
    if s.is_empty() || s.len() > 19 {
        return Err(ValueError::Length {
            expected: 19.min(s.len().max(1)),
            found: s.len(),
        });
    }
    let mut v = 0u64;
    for (at, &b) in s.iter().enumerate() {
        if !b.is_ascii_digit() {
            return Err(ValueError::NotDecimal { at });
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Ok(v)
}

fn hex(s: &[u8]) -> Result<u32, ValueError> {
    if s.is_empty() || s.len() > 8 {
        return Err(ValueError::Length {
            expected: 8,
            found: s.len(),
        });
    }
    let mut v = 0u32;
    for (at, &b) in s.iter().enumerate() {
        let d = (b as char).to_digit(16).ok_or(ValueError::NotHex { at })?;
        v = v << 4 | d;
    }
    Ok(v)
}

/// A Tempo day colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum TempoColor {
    /// Bleu.
    Blue,
    /// Blanc.
    White,
    /// Rouge.
    Red,
}

impl TempoColor {
    fn from_code(c: u32) -> Option<TempoColor> {
        match c {
            1 => Some(TempoColor::Blue),
            2 => Some(TempoColor::White),
            3 => Some(TempoColor::Red),
            _ => None,
        }
    }

    fn from_letter(b: u8) -> Option<TempoColor> {
        match b {
            b'B' => Some(TempoColor::Blue),
            b'W' => Some(TempoColor::White),
            b'R' => Some(TempoColor::Red),
            _ => None,
        }
    }
}

/// OPTARIF: the tariff option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TariffOption {
    /// `BASE`.
    Base,
    /// `HC..`: heures creuses.
    OffPeak,
    /// `EJP.`: effacement jours de pointe.
    Ejp,
    /// `BBRx`: Tempo, with its program character `x` (real meters send
    /// `BBR(`).
    Tempo(u8),
}

impl TariffOption {
    /// Parses the 4-byte field.
    pub fn parse(s: &[u8]) -> Result<TariffOption, ValueError> {
        match s {
            b"BASE" => Ok(TariffOption::Base),
            b"HC.." => Ok(TariffOption::OffPeak),
            b"EJP." => Ok(TariffOption::Ejp),
            [b'B', b'B', b'R', x] => Ok(TariffOption::Tempo(*x)),
            _ => Err(ValueError::UnknownCode),
        }
    }
}

/// PTEC: the current tariff period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TariffPeriod {
    /// `TH..`: toutes les heures (Base).
    AllHours,
    /// `HC..`: heures creuses.
    OffPeak,
    /// `HP..`: heures pleines.
    Peak,
    /// `HN..`: heures normales (EJP).
    Normal,
    /// `PM..`: pointe mobile (EJP).
    MobilePeak,
    /// `HCJx`: Tempo heures creuses, day colour x.
    TempoOffPeak(TempoColor),
    /// `HPJx`: Tempo heures pleines, day colour x.
    TempoPeak(TempoColor),
}

impl TariffPeriod {
    /// Parses the 4-byte field.
    pub fn parse(s: &[u8]) -> Result<TariffPeriod, ValueError> {
        match s {
            b"TH.." => Ok(TariffPeriod::AllHours),
            b"HC.." => Ok(TariffPeriod::OffPeak),
            b"HP.." => Ok(TariffPeriod::Peak),
            b"HN.." => Ok(TariffPeriod::Normal),
            b"PM.." => Ok(TariffPeriod::MobilePeak),
            [b'H', b'C', b'J', c] => TempoColor::from_letter(*c)
                .map(TariffPeriod::TempoOffPeak)
                .ok_or(ValueError::UnknownCode),
            [b'H', b'P', b'J', c] => TempoColor::from_letter(*c)
                .map(TariffPeriod::TempoPeak)
                .ok_or(ValueError::UnknownCode),
            _ => Err(ValueError::UnknownCode),
        }
    }

    /// The 4-byte PTEC code, as the meter sends it (`"HP.."`, `"HCJB"`).
    ///
    /// ```
    /// use webdyn_tic::TariffPeriod;
    /// assert_eq!(TariffPeriod::parse(b"HPJW")?.code(), "HPJW");
    /// assert_eq!(TariffPeriod::AllHours.code(), "TH..");
    /// # Ok::<(), webdyn_tic::ValueError>(())
    /// ```
    pub fn code(self) -> &'static str {
        use TempoColor::{Blue, Red, White};
        match self {
            TariffPeriod::AllHours => "TH..",
            TariffPeriod::OffPeak => "HC..",
            TariffPeriod::Peak => "HP..",
            TariffPeriod::Normal => "HN..",
            TariffPeriod::MobilePeak => "PM..",
            TariffPeriod::TempoOffPeak(Blue) => "HCJB",
            TariffPeriod::TempoOffPeak(White) => "HCJW",
            TariffPeriod::TempoOffPeak(Red) => "HCJR",
            TariffPeriod::TempoPeak(Blue) => "HPJB",
            TariffPeriod::TempoPeak(White) => "HPJW",
            TariffPeriod::TempoPeak(Red) => "HPJR",
        }
    }
}

/// DEMAIN: tomorrow's Tempo colour (`----` = not yet announced).
pub fn parse_tomorrow(s: &[u8]) -> Result<Option<TempoColor>, ValueError> {
    match s {
        b"----" => Ok(None),
        b"BLEU" => Ok(Some(TempoColor::Blue)),
        b"BLAN" => Ok(Some(TempoColor::White)),
        b"ROUG" => Ok(Some(TempoColor::Red)),
        _ => Err(ValueError::UnknownCode),
    }
}

/// State of the cut-off device (STGE bits 1–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CutOff {
    /// 0: fermé.
    Closed,
    /// 1: ouvert sur surpuissance.
    OpenOverpower,
    /// 2: ouvert sur surtension.
    OpenOvervoltage,
    /// 3: ouvert sur délestage.
    OpenLoadShedding,
    /// 4: ouvert sur ordre CPL ou Euridis.
    OpenOrder,
    /// 5: ouvert sur surchauffe avec I > I max de commutation.
    OpenOverheatHighCurrent,
    /// 6: ouvert sur surchauffe avec I < I max.
    OpenOverheatLowCurrent,
    /// 7: not defined by the specification.
    Reserved,
}

/// Euridis output state (STGE bits 19–20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Euridis {
    /// 0: désactivée.
    Disabled,
    /// 1: activée sans sécurité.
    Enabled,
    /// 3: activée avec sécurité.
    EnabledSecure,
    /// 2: not defined by the specification.
    Reserved,
}

/// CPL (power-line carrier) status (STGE bits 21–22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CplStatus {
    /// 0: New/Unlock.
    NewUnlock,
    /// 1: New/Lock.
    NewLock,
    /// 2: Registered.
    Registered,
    /// 3: not defined by the specification.
    Reserved,
}

/// STGE, the 32-bit status register of a Linky (standard mode).
///
/// ```
/// use webdyn_tic::{Stge, TempoColor, Euridis};
/// let s = Stge::parse(b"013AC401")?; // tic.md §7, a Tempo meter
/// assert!(s.dry_contact_open());
/// assert_eq!(s.supplier_tariff_index(), 2);
/// assert_eq!(s.distributor_tariff_index(), 4);
/// assert_eq!(s.euridis(), Euridis::EnabledSecure);
/// assert_eq!(s.tempo_today(), Some(TempoColor::Blue));
/// assert_eq!(s.tempo_tomorrow(), None);
/// # Ok::<(), webdyn_tic::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stge(pub u32);

impl Stge {
    /// Parses the 8 hex digits.
    pub fn parse(s: &[u8]) -> Result<Stge, ValueError> {
        if s.len() != 8 {
            return Err(ValueError::Length {
                expected: 8,
                found: s.len(),
            });
        }
        hex(s).map(Stge)
    }

    /// The 8 upper-case hex digits.
    pub fn to_bytes(self) -> [u8; 8] {
        let mut out = [b'0'; 8];
        for (i, slot) in out.iter_mut().enumerate() {
            let nib = (self.0 >> (28 - 4 * i)) & 0xF;
            *slot = b"0123456789ABCDEF"
                .get(nib as usize)
                .copied()
                .unwrap_or(b'0');
        }
        out
    }

    fn bits(self, lo: u32, n: u32) -> u32 {
        (self.0 >> lo) & ((1 << n) - 1)
    }

    /// Bit 0: the dry contact is open.
    pub fn dry_contact_open(self) -> bool {
        self.bits(0, 1) == 1
    }

    /// Bits 1–3: the cut-off device (organe de coupure).
    pub fn cut_off(self) -> CutOff {
        match self.bits(1, 3) {
            0 => CutOff::Closed,
            1 => CutOff::OpenOverpower,
            2 => CutOff::OpenOvervoltage,
            3 => CutOff::OpenLoadShedding,
            4 => CutOff::OpenOrder,
            5 => CutOff::OpenOverheatHighCurrent,
            6 => CutOff::OpenOverheatLowCurrent,
            _ => CutOff::Reserved,
        }
    }

    /// Bit 4: the distributor terminal cover is open.
    pub fn terminal_cover_open(self) -> bool {
        self.bits(4, 1) == 1
    }

    /// Bit 6: overvoltage on a phase.
    pub fn overvoltage(self) -> bool {
        self.bits(6, 1) == 1
    }

    /// Bit 7: the reference power is being exceeded.
    pub fn reference_power_exceeded(self) -> bool {
        self.bits(7, 1) == 1
    }

    /// Bit 8: the meter is in producer mode.
    pub fn producer(self) -> bool {
        self.bits(8, 1) == 1
    }

    /// Bit 9: active energy flows in the negative direction.
    pub fn active_energy_negative(self) -> bool {
        self.bits(9, 1) == 1
    }

    /// Bits 10–13, plus one: the current supplier tariff index, 1..=16
    /// (the specification uses 1..=10).
    pub fn supplier_tariff_index(self) -> u8 {
        self.bits(10, 4) as u8 + 1
    }

    /// Bits 14–15, plus one: the current distributor tariff index, 1..=4.
    /// (tic2json masks three bits here, reaching bit 16: a bug we avoid.)
    pub fn distributor_tariff_index(self) -> u8 {
        self.bits(14, 2) as u8 + 1
    }

    /// Bit 16: the clock is in degraded mode.
    pub fn clock_degraded(self) -> bool {
        self.bits(16, 1) == 1
    }

    /// Bit 17: the TIC output is in standard mode (else historic).
    pub fn tic_standard(self) -> bool {
        self.bits(17, 1) == 1
    }

    /// Bits 19–20: the Euridis output.
    pub fn euridis(self) -> Euridis {
        match self.bits(19, 2) {
            0 => Euridis::Disabled,
            1 => Euridis::Enabled,
            3 => Euridis::EnabledSecure,
            _ => Euridis::Reserved,
        }
    }

    /// Bits 21–22: the CPL status.
    pub fn cpl_status(self) -> CplStatus {
        match self.bits(21, 2) {
            0 => CplStatus::NewUnlock,
            1 => CplStatus::NewLock,
            2 => CplStatus::Registered,
            _ => CplStatus::Reserved,
        }
    }

    /// Bit 23: CPL synchronised.
    pub fn cpl_synchronized(self) -> bool {
        self.bits(23, 1) == 1
    }

    /// Bits 24–25: today's colour (historic Tempo contract), None when not
    /// announced.
    pub fn tempo_today(self) -> Option<TempoColor> {
        TempoColor::from_code(self.bits(24, 2))
    }

    /// Bits 26–27: tomorrow's colour, None when not announced.
    pub fn tempo_tomorrow(self) -> Option<TempoColor> {
        TempoColor::from_code(self.bits(26, 2))
    }

    /// Bits 28–29: mobile peak notice, 1..=3 for PM1..PM3, None for none.
    pub fn mobile_peak_notice(self) -> Option<u8> {
        Some(self.bits(28, 2) as u8).filter(|&v| v != 0)
    }

    /// Bits 30–31: mobile peak in progress, 1..=3 for PM1..PM3.
    pub fn mobile_peak(self) -> Option<u8> {
        Some(self.bits(30, 2) as u8).filter(|&v| v != 0)
    }
}

/// RELAIS: bit 0 is the physical dry contact, bits 1–7 the virtual relays
/// 2–8.
///
/// ```
/// let r = webdyn_tic::Relais::parse(b"005")?;
/// assert!(r.relay(1) && !r.relay(2) && r.relay(3));
/// # Ok::<(), webdyn_tic::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Relais(pub u8);

impl Relais {
    /// Parses the 3 decimal digits (000..=255).
    pub fn parse(s: &[u8]) -> Result<Relais, ValueError> {
        if s.len() != 3 {
            return Err(ValueError::Length {
                expected: 3,
                found: s.len(),
            });
        }
        let v = decimal(s)?;
        u8::try_from(v)
            .map(Relais)
            .map_err(|_| ValueError::OutOfRange { at: 0 })
    }

    /// Whether relay `n` (1..=8; 1 is the dry contact) is closed/on.
    pub fn relay(self, n: u8) -> bool {
        (1..=8).contains(&n) && self.0 >> (n - 1) & 1 == 1
    }
}

/// One switch point of a day profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProfileEntry {
    /// Start hour.
    pub hour: u8,
    /// Start minute.
    pub minute: u8,
    /// The 16-bit action word (its low nibble looks like the supplier tariff
    /// index on real Tempo meters; the other bits drive the contact and the
    /// virtual relays — not decoded further, as the bit layout is
    /// unconfirmed).
    pub action: u16,
}

/// PJOURF+1 / PPOINTE: up to 11 switch points `HHMMAAAA`, separated by SP,
/// the list ending at the first `NONUTILE`.
///
/// ```
/// let p = webdyn_tic::DayProfile::parse(b"00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE")?;
/// assert_eq!(p.entries().len(), 3);
/// assert_eq!((p.entries()[1].hour, p.entries()[1].action), (6, 0x4002));
/// # Ok::<(), webdyn_tic::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayProfile {
    entries: [ProfileEntry; 11],
    len: u8,
}

impl DayProfile {
    /// Parses the 98-byte field (11 blocks of 8 characters and 10 SP).
    pub fn parse(s: &[u8]) -> Result<DayProfile, ValueError> {
        if s.len() != 98 {
            return Err(ValueError::Length {
                expected: 98,
                found: s.len(),
            });
        }
        let mut p = DayProfile {
            entries: [ProfileEntry::default(); 11],
            len: 0,
        };
        let mut done = false;
        for (i, block) in s.chunks(9).enumerate() {
            let at = 9 * i;
            let (word, sep) = block.split_at(block.len().min(8));
            if !sep.is_empty() && sep != b" " {
                return Err(ValueError::OutOfRange { at: at + 8 });
            }
            if word == b"NONUTILE" {
                done = true;
                continue;
            }
            if done {
                return Err(ValueError::OutOfRange { at });
            }
            let hh = decimal(word.get(0..2).unwrap_or_default())
                .map_err(|_| ValueError::NotDecimal { at })?;
            let mm = decimal(word.get(2..4).unwrap_or_default())
                .map_err(|_| ValueError::NotDecimal { at: at + 2 })?;
            if hh > 23 || mm > 59 {
                return Err(ValueError::OutOfRange { at });
            }
            let action = hex(word.get(4..8).unwrap_or_default())
                .map_err(|_| ValueError::NotHex { at: at + 4 })?;
            if let Some(slot) = p.entries.get_mut(i) {
                *slot = ProfileEntry {
                    hour: hh as u8,
                    minute: mm as u8,
                    action: action as u16,
                };
            }
            p.len += 1;
        }
        Ok(p)
    }

    /// The switch points in use.
    pub fn entries(&self) -> &[ProfileEntry] {
        self.entries
            .get(..usize::from(self.len))
            .unwrap_or_default()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DayProfile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.entries().serialize(s)
    }
}

/// ADCO / ADSC: the 12-digit meter address `CC AA TT NNNNNN`.
///
/// ```
/// let a = webdyn_tic::MeterAddress::parse(b"041662343035")?;
/// assert_eq!((a.manufacturer, a.year, a.device_type, a.serial), (4, 16, 62, 343035));
/// assert_eq!(a.manufacturer_name(), Some("Landis+Gyr"));
/// assert_eq!(a.full_year(), 2016);
/// # Ok::<(), webdyn_tic::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterAddress {
    /// EURIDIS manufacturer code (`CC`).
    pub manufacturer: u8,
    /// Year of manufacture within the century (`AA`).
    pub year: u8,
    /// Device type code (`TT`).
    pub device_type: u8,
    /// Serial number (`NNNNNN`).
    pub serial: u32,
}

impl MeterAddress {
    /// Parses the 12 digits.
    pub fn parse(s: &[u8]) -> Result<MeterAddress, ValueError> {
        if s.len() != 12 {
            return Err(ValueError::Length {
                expected: 12,
                found: s.len(),
            });
        }
        let part = |a: usize, b: usize| {
            decimal(s.get(a..b).unwrap_or_default()).map_err(|e| match e {
                ValueError::NotDecimal { at } => ValueError::NotDecimal { at: a + at },
                e => e,
            })
        };
        Ok(MeterAddress {
            manufacturer: part(0, 2)? as u8,
            year: part(2, 4)? as u8,
            device_type: part(4, 6)? as u8,
            serial: part(6, 12)? as u32,
        })
    }

    /// The four-digit year of manufacture.
    pub fn full_year(&self) -> u16 {
        2000 + u16::from(self.year)
    }

    /// The manufacturer, for the codes the spec notes list.
    pub fn manufacturer_name(&self) -> Option<&'static str> {
        match self.manufacturer {
            1 => Some("Crouzet/Monetel"),
            2 => Some("Sagem/Sagemcom"),
            3 => Some("Schlumberger/Actaris/Itron"),
            4 => Some("Landis+Gyr"),
            _ => None,
        }
    }

    /// The Linky device type, for the codes the spec notes list.
    pub fn device_type_name(&self) -> Option<&'static str> {
        match self.device_type {
            61 => Some("Linky single-phase 60 A G3 (high power feed)"),
            62 => Some("Linky single-phase 90 A G1"),
            63 => Some("Linky three-phase 60 A G1"),
            64 => Some("Linky single-phase 60 A G3"),
            70 => Some("Linky single-phase 60 A G3, pilot series"),
            71 => Some("Linky three-phase 60 A G3, pilot series"),
            75 => Some("Linky single-phase 90 A G3"),
            76 => Some("Linky three-phase 60 A G3"),
            _ => None,
        }
    }
}

/// A typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "type", content = "value", rename_all = "snake_case")
)]
pub enum Value<'a> {
    /// An energy index, in the label's unit (Wh, VArh, daL).
    Energy(u64),
    /// A decimal quantity in the label's unit (A, V, VA, kVA, W, min) or a
    /// plain number (VTIC, NTARF, DPMx…).
    Number(u64),
    /// Text, exactly as sent (padding kept).
    Text(&'a str),
    /// No value (DATE).
    Empty,
    /// ADCO / ADSC.
    Address(MeterAddress),
    /// OPTARIF.
    TariffOption(TariffOption),
    /// PTEC.
    TariffPeriod(TariffPeriod),
    /// DEMAIN: None = not announced (`----`).
    Tomorrow(Option<TempoColor>),
    /// HHPHC letter.
    Schedule(char),
    /// PPOT, raw bits (`00` = all phases present).
    Potentials(u8),
    /// STGE.
    Status(Stge),
    /// RELAIS.
    Relays(Relais),
    /// PJOURF+1 / PPOINTE.
    DayProfile(DayProfile),
    /// A label not in either dictionary: its raw data, untouched.
    Raw(&'a str),
}

/// A group with its meaning and typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Field<'a> {
    /// The label.
    pub label: &'a str,
    /// The dictionary entry (None for unknown labels).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub info: Option<&'static LabelInfo>,
    /// The parsed horodate, if the group has one.
    pub horodate: Option<Horodate>,
    /// The typed value.
    pub value: Value<'a>,
}

impl<'a> Field<'a> {
    /// Types a group. Unknown labels pass through as [`Value::Raw`] (their
    /// horodate, if any, is parsed when it is well-formed).
    ///
    /// ```
    /// use webdyn_tic::{Field, Group, ModeSelect, Value, Unit};
    /// let g = Group::parse(b"PAPP 02570 /", ModeSelect::Auto)?;
    /// let f = Field::decode(&g).unwrap();
    /// assert_eq!(f.value, Value::Number(2570));
    /// assert_eq!(f.info.unwrap().unit, Unit::VA);
    /// # Ok::<(), webdyn_tic::Error>(())
    /// ```
    pub fn decode(g: &Group<'a>) -> Result<Field<'a>, ValueError> {
        let label = g.label_str();
        let data = g.data();
        let Some(info) = lookup(g.label()) else {
            return Ok(Field {
                label,
                info: None,
                horodate: g.horodate().and_then(|h| Horodate::parse(h).ok()),
                value: Value::Raw(g.data_str()),
            });
        };
        let horodate = match (info.horodate, g.horodate()) {
            (true, Some(h)) => Some(Horodate::parse(h)?),
            (false, None) => None,
            (expected, _) => return Err(ValueError::Horodate { expected }),
        };
        if let Some(n) = info.len
            && data.len() != usize::from(n)
        {
            return Err(ValueError::Length {
                expected: usize::from(n),
                found: data.len(),
            });
        }
        let value = match info.kind {
            Kind::Energy => Value::Energy(decimal(data)?),
            Kind::Decimal => Value::Number(decimal(data)?),
            Kind::Text => Value::Text(g.data_str()),
            Kind::Empty => Value::Empty,
            Kind::Address => Value::Address(MeterAddress::parse(data)?),
            Kind::TariffOption => Value::TariffOption(TariffOption::parse(data)?),
            Kind::TariffPeriod => Value::TariffPeriod(TariffPeriod::parse(data)?),
            Kind::Tomorrow => Value::Tomorrow(parse_tomorrow(data)?),
            Kind::Schedule => match data {
                [c] if c.is_ascii_uppercase() => Value::Schedule(char::from(*c)),
                _ => return Err(ValueError::UnknownCode),
            },
            Kind::Hex => Value::Potentials(hex(data)? as u8),
            Kind::Status => Value::Status(Stge::parse(data)?),
            Kind::Relays => Value::Relays(Relais::parse(data)?),
            Kind::DayProfile => Value::DayProfile(DayProfile::parse(data)?),
        };
        Ok(Field {
            label,
            info: Some(info),
            horodate,
            value,
        })
    }
}
