//! The billing index: which energy index the meter is counting into right
//! now, and its value.
//!
//! A TIC frame carries every index of the contract (`HCHC` *and* `HCHP`,
//! `EASF01` *to* `EASF10`…); which one is running is told by other groups.
//! The rules, from the specification notes (tic.md §5, §6, §7):
//!
//! | mode | decided by | index |
//! |---|---|---|
//! | historic | `OPTARIF BASE` + `PTEC TH..` | `BASE` |
//! | historic | `OPTARIF HC..` + `PTEC HC..` / `HP..` | `HCHC` / `HCHP` |
//! | historic | `OPTARIF EJP.` + `PTEC HN..` / `PM..` | `EJPHN` / `EJPHPM` |
//! | historic | `OPTARIF BBRx` (Tempo) + `PTEC HCJB` `HPJB` `HCJW` `HPJW` `HCJR` `HPJR` | `BBRHCJB` `BBRHPJB` `BBRHCJW` `BBRHPJW` `BBRHCJR` `BBRHPJR` |
//! | standard, supplier | `NTARF` = `01`..`10` | `EASF01`..`EASF10` (period name: `LTARF`, padding trimmed) |
//! | standard, distributor | `STGE` bits 14–15, plus one = 1..4 | `EASD01`..`EASD04` |
//!
//! Anything else gives `None`, never a guess: an option and a period that
//! do not belong together (`OPTARIF HC..` with `PTEC TH..`), an unknown
//! OPTARIF or PTEC code, an `NTARF` outside `01..=10`, a missing group, or
//! an index value that is not exactly nine decimal digits. The distributor
//! index has no period name in the specification, and the supplier index is
//! taken from `NTARF` only (the STGE copy of it, bits 10–13, is not used to
//! fill in a missing `NTARF`).
//!
//! Everything here borrows: no allocation, `no_std`.

use crate::value::{Stge, TariffOption, TariffPeriod, TempoColor};

/// The tariff period a [`BillingIndex`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Period<'a> {
    /// Historic mode: the period PTEC announces.
    Ptec(TariffPeriod),
    /// Standard mode, supplier calendar: the `LTARF` text with its space
    /// padding trimmed (`"HP  BLEU"`), or None when the frame has no
    /// `LTARF`.
    Supplier(Option<&'a str>),
    /// Standard mode, distributor calendar: the specification gives no
    /// name for its periods.
    Distributor,
}

impl<'a> Period<'a> {
    /// The period's name: the PTEC code (`"HP.."`, `"HCJB"`), the trimmed
    /// LTARF text, or None.
    pub fn name(&self) -> Option<&'a str> {
        match *self {
            Period::Ptec(p) => Some(p.code()),
            Period::Supplier(name) => name,
            Period::Distributor => None,
        }
    }
}

/// The index the meter is counting into now.
///
/// Built from any source of label → value lookups ([`BillingIndex::current`]
/// and friends take a closure); [`MeterState::billing_index`],
/// [`Frame::billing_index`] and `OwnedFrame::billing_index` (with `alloc`)
/// wrap them.
///
/// ```
/// use webdyn_tic::{BillingIndex, Period, TariffPeriod};
/// // Historic "heures creuses" contract, during peak hours.
/// let frame = [("OPTARIF", "HC.."), ("HCHC", "036395657"), ("HCHP", "039661265"), ("PTEC", "HP..")];
/// let get = |l: &[u8]| frame.iter().find(|(k, _)| k.as_bytes() == l).map(|(_, v)| v.as_bytes());
/// let idx = BillingIndex::current(get).unwrap();
/// assert_eq!(idx.label, "HCHP");
/// assert_eq!(idx.wh, 39_661_265);
/// assert_eq!(idx.period, Period::Ptec(TariffPeriod::Peak));
/// assert_eq!(idx.period.name(), Some("HP.."));
/// ```
///
/// [`MeterState::billing_index`]: crate::MeterState::billing_index
/// [`Frame::billing_index`]: crate::Frame::billing_index
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BillingIndex<'a> {
    /// The index's label (`"HCHP"`, `"EASF02"`…).
    pub label: &'static str,
    /// Its value, in Wh.
    pub wh: u64,
    /// The tariff period it counts for.
    pub period: Period<'a>,
}

/// Supplier indexes, by NTARF - 1.
const EASF: [&str; 10] = [
    "EASF01", "EASF02", "EASF03", "EASF04", "EASF05", "EASF06", "EASF07", "EASF08", "EASF09",
    "EASF10",
];
/// Distributor indexes, by STGE bits 14–15.
const EASD: [&str; 4] = ["EASD01", "EASD02", "EASD03", "EASD04"];

impl<'a> BillingIndex<'a> {
    /// The running index of whichever mode the groups are in: historic
    /// when there is an `OPTARIF` group, else the standard supplier index
    /// ([`BillingIndex::supplier`]). `get` returns the data field of a
    /// label, or None when the frame has no such group.
    pub fn current(get: impl Fn(&[u8]) -> Option<&'a [u8]>) -> Option<Self> {
        if get(b"OPTARIF").is_some() {
            Self::historic(get)
        } else {
            Self::supplier(get)
        }
    }

    /// Historic mode: the index OPTARIF and PTEC select (see the module
    /// table).
    ///
    /// ```
    /// use webdyn_tic::BillingIndex;
    /// let frame = [("OPTARIF", "BBR("), ("PTEC", "HPJR"), ("BBRHPJR", "000025098")];
    /// let get = |l: &[u8]| frame.iter().find(|(k, _)| k.as_bytes() == l).map(|(_, v)| v.as_bytes());
    /// let idx = BillingIndex::historic(get).unwrap();
    /// assert_eq!((idx.label, idx.wh), ("BBRHPJR", 25_098));
    /// ```
    pub fn historic(get: impl Fn(&[u8]) -> Option<&'a [u8]>) -> Option<Self> {
        let option = TariffOption::parse(get(b"OPTARIF")?).ok()?;
        let period = TariffPeriod::parse(get(b"PTEC")?).ok()?;
        let label = historic_label(option, period)?;
        Some(BillingIndex {
            label,
            wh: index_value(get(label.as_bytes())?)?,
            period: Period::Ptec(period),
        })
    }

    /// Standard mode, supplier calendar: `EASFnn` where `nn` is `NTARF`;
    /// the period name is `LTARF`, trimmed.
    ///
    /// ```
    /// use webdyn_tic::{BillingIndex, Period};
    /// let frame = [("LTARF", "    HP  BLEU    "), ("EASF02", "026587270"), ("NTARF", "02")];
    /// let get = |l: &[u8]| frame.iter().find(|(k, _)| k.as_bytes() == l).map(|(_, v)| v.as_bytes());
    /// let idx = BillingIndex::supplier(get).unwrap();
    /// assert_eq!((idx.label, idx.wh), ("EASF02", 26_587_270));
    /// assert_eq!(idx.period, Period::Supplier(Some("HP  BLEU")));
    /// ```
    pub fn supplier(get: impl Fn(&[u8]) -> Option<&'a [u8]>) -> Option<Self> {
        let n = match get(b"NTARF")? {
            &[a @ b'0'..=b'9', b @ b'0'..=b'9'] => usize::from((a - b'0') * 10 + (b - b'0')),
            _ => return None,
        };
        let label = *EASF.get(n.checked_sub(1)?)?;
        let name = get(b"LTARF")
            .and_then(|t| core::str::from_utf8(t).ok())
            .map(|t| t.trim_matches(' '));
        Some(BillingIndex {
            label,
            wh: index_value(get(label.as_bytes())?)?,
            period: Period::Supplier(name),
        })
    }

    /// Standard mode, distributor calendar: `EASD0n` where `n` is STGE
    /// bits 14–15 plus one.
    ///
    /// ```
    /// use webdyn_tic::{BillingIndex, Period};
    /// // STGE 013AC401: bits 14-15 = 3, distributor index 4.
    /// let frame = [("STGE", "013AC401"), ("EASD04", "002209410")];
    /// let get = |l: &[u8]| frame.iter().find(|(k, _)| k.as_bytes() == l).map(|(_, v)| v.as_bytes());
    /// let idx = BillingIndex::distributor(get).unwrap();
    /// assert_eq!((idx.label, idx.wh, idx.period), ("EASD04", 2_209_410, Period::Distributor));
    /// ```
    pub fn distributor(get: impl Fn(&[u8]) -> Option<&'a [u8]>) -> Option<Self> {
        let stge = Stge::parse(get(b"STGE")?).ok()?;
        let n = usize::from(stge.distributor_tariff_index());
        let label = *EASD.get(n.checked_sub(1)?)?;
        Some(BillingIndex {
            label,
            wh: index_value(get(label.as_bytes())?)?,
            period: Period::Distributor,
        })
    }
}

/// The historic index for an option and a period, when they belong
/// together.
fn historic_label(option: TariffOption, period: TariffPeriod) -> Option<&'static str> {
    use TariffOption as O;
    use TariffPeriod as P;
    use TempoColor as C;
    Some(match (option, period) {
        (O::Base, P::AllHours) => "BASE",
        (O::OffPeak, P::OffPeak) => "HCHC",
        (O::OffPeak, P::Peak) => "HCHP",
        (O::Ejp, P::Normal) => "EJPHN",
        (O::Ejp, P::MobilePeak) => "EJPHPM",
        (O::Tempo(_), P::TempoOffPeak(C::Blue)) => "BBRHCJB",
        (O::Tempo(_), P::TempoPeak(C::Blue)) => "BBRHPJB",
        (O::Tempo(_), P::TempoOffPeak(C::White)) => "BBRHCJW",
        (O::Tempo(_), P::TempoPeak(C::White)) => "BBRHPJW",
        (O::Tempo(_), P::TempoOffPeak(C::Red)) => "BBRHCJR",
        (O::Tempo(_), P::TempoPeak(C::Red)) => "BBRHPJR",
        _ => return None,
    })
}

/// Every energy index this module reads has nine digits (tic.md §5, §6).
fn index_value(data: &[u8]) -> Option<u64> {
    if data.len() != 9 {
        return None;
    }
    crate::value::decimal(data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(frame: &'a [(&'a str, &'a str)]) -> impl Fn(&[u8]) -> Option<&'a [u8]> {
        move |l| {
            frame
                .iter()
                .find(|(k, _)| k.as_bytes() == l)
                .map(|(_, v)| v.as_bytes())
        }
    }

    #[test]
    fn every_historic_pair_of_the_spec() {
        // tic.md §5: OPTARIF values, PTEC codes and index labels.
        let cases: &[(&str, &str, &str)] = &[
            ("BASE", "TH..", "BASE"),
            ("HC..", "HC..", "HCHC"),
            ("HC..", "HP..", "HCHP"),
            ("EJP.", "HN..", "EJPHN"),
            ("EJP.", "PM..", "EJPHPM"),
            ("BBR(", "HCJB", "BBRHCJB"),
            ("BBR(", "HPJB", "BBRHPJB"),
            ("BBR(", "HCJW", "BBRHCJW"),
            ("BBR(", "HPJW", "BBRHPJW"),
            ("BBR(", "HCJR", "BBRHCJR"),
            ("BBR(", "HPJR", "BBRHPJR"),
        ];
        for &(option, ptec, label) in cases {
            let frame = [
                ("OPTARIF", option),
                ("PTEC", ptec),
                (label, "000000042"),
                ("BASE", "000000001"),
            ];
            let idx = BillingIndex::current(lookup(&frame));
            let idx = idx.unwrap_or_else(|| panic!("{option} {ptec}"));
            assert_eq!(idx.label, label);
            assert_eq!(idx.period.name(), Some(ptec));
            assert_eq!(idx.wh, 42, "{label}");
        }
    }

    #[test]
    fn mismatched_or_unknown_codes_are_none() {
        for (option, ptec) in [
            ("HC..", "TH.."),
            ("BASE", "HP.."),
            ("EJP.", "HC.."),
            ("HC..", "HCJB"),
            ("BBR(", "HP.."),
            ("BBR(", "HCJX"),
            ("XXXX", "TH.."),
        ] {
            let frame = [
                ("OPTARIF", option),
                ("PTEC", ptec),
                ("BASE", "000000001"),
                ("HCHC", "000000001"),
                ("HCHP", "000000001"),
                ("BBRHCJB", "000000001"),
            ];
            assert_eq!(
                BillingIndex::current(lookup(&frame)),
                None,
                "{option} {ptec}"
            );
        }
        // Missing PTEC, or missing index group.
        assert_eq!(
            BillingIndex::current(lookup(&[("OPTARIF", "BASE"), ("BASE", "000000001")])),
            None
        );
        assert_eq!(
            BillingIndex::current(lookup(&[("OPTARIF", "HC.."), ("PTEC", "HC..")])),
            None
        );
    }

    #[test]
    fn index_values_must_be_nine_digits() {
        assert_eq!(index_value(b"012345678"), Some(12_345_678));
        assert_eq!(index_value(b"999999999"), Some(999_999_999));
        assert_eq!(index_value(b"01234567"), None);
        assert_eq!(index_value(b"0123456789"), None);
        // Bit 6 flipped: passes the checksum, not the character class.
        assert_eq!(index_value(b"0q2345678"), None);
    }

    #[test]
    fn ntarf_selects_easf() {
        for n in 1..=10u8 {
            let ntarf = format!("{n:02}");
            let label = format!("EASF{n:02}");
            let frame = [("NTARF", ntarf.as_str()), (label.as_str(), "000000777")];
            let idx = BillingIndex::current(lookup(&frame)).unwrap();
            assert_eq!(idx.label, label);
            assert_eq!(idx.wh, 777);
            assert_eq!(idx.period, Period::Supplier(None));
        }
        for bad in ["00", "11", "1", "0A", "001"] {
            let frame = [
                ("NTARF", bad),
                ("EASF01", "000000777"),
                ("EASF10", "000000777"),
            ];
            assert_eq!(BillingIndex::supplier(lookup(&frame)), None, "{bad}");
        }
    }

    #[test]
    fn stge_selects_easd() {
        // tic.md §7: 003A0001 -> distributor index 1; 013AC401 -> 4.
        let frame = [
            ("STGE", "003A0001"),
            ("EASD01", "000000011"),
            ("EASD04", "000000044"),
        ];
        let idx = BillingIndex::distributor(lookup(&frame)).unwrap();
        assert_eq!((idx.label, idx.wh), ("EASD01", 11));
        let frame = [("STGE", "013AC401"), ("EASD04", "000000044")];
        let idx = BillingIndex::distributor(lookup(&frame)).unwrap();
        assert_eq!((idx.label, idx.wh), ("EASD04", 44));
        // Bits 14-15 = 1 -> EASD02 (0x4000).
        let frame = [("STGE", "00004000"), ("EASD02", "000000022")];
        assert_eq!(
            BillingIndex::distributor(lookup(&frame)).map(|i| i.label),
            Some("EASD02")
        );
        assert_eq!(
            BillingIndex::distributor(lookup(&[("STGE", "0000400G")])),
            None
        );
    }
}
