//! Replay protection: the message counter of each meter must increase.
//!
//! A recorded telegram sent again decrypts and authenticates exactly like
//! the original, so cryptography alone does not stop a replay. OMS mode 7
//! puts a 32-bit message counter (MCR) in the AFL, covered by the MAC and
//! the key derivation; a receiver that remembers the last counter it
//! accepted from each meter rejects any telegram whose counter is not
//! higher. [`ReplayGuard`] does that with a fixed number of slots chosen by
//! the caller (a const generic): no heap, usable in `no_std`.
//!
//! Without an AFL, the TPL (or ELL) access number is the only sequence a
//! telegram carries: one byte, incremented per telegram, so it wraps every
//! 256 telegrams. It is compared in serial-number arithmetic (RFC 1982): a
//! number is newer when it is 1 to 127 steps ahead of the last accepted one.
//! That still catches the replay of a recent telegram, but it is weak: it is
//! not authenticated at all in plaintext telegrams (only bound into the
//! mode-5 IV), a recording older than 128 telegrams looks new again, and a
//! receiver that misses 128 or more telegrams in a row rejects the meter's
//! genuine ones until its number comes round (at most 128 telegrams). Use
//! it as a duplicate filter; rely on the MCR for security.
//!
//! Only record counters of telegrams whose integrity was checked:
//! otherwise a forged telegram with counter `0xFFFF_FFFF` locks the genuine
//! meter out. [`ReplayGuard::accept_telegram`] therefore refuses telegrams
//! that were neither MAC-verified nor decrypted; [`ReplayGuard::check`]
//! looks without recording (e.g. before spending time on decryption).
//!
//! **Eviction**: when every slot is taken, a meter not seen before takes
//! the slot of the meter whose last accepted telegram is the oldest (least
//! recently accepted). The evicted meter is forgotten: its next telegram
//! is accepted as the first one, so a replay of its old telegrams would be
//! accepted once too. Size the guard for every meter in range (the
//! [`Accepted::evicted`] report says when that was not enough).
//!
//! ```
//! use webdyn_wmbus::dll::Address;
//! use webdyn_wmbus::replay::{Counter, Meter, ReplayError, ReplayGuard};
//!
//! let meter = Meter {
//!     manufacturer: 0x1593, // "ELS"
//!     address: Address { id: 0x1234_5678, version: 1, device_type: 7 },
//! };
//! let mut guard = ReplayGuard::<16>::new();
//! assert!(guard.accept(meter, Counter::Mcr(0x25E89))?.first_seen);
//! guard.accept(meter, Counter::Mcr(0x25E8A))?;
//! // The same telegram again, or an older one: rejected.
//! let e = guard.accept(meter, Counter::Mcr(0x25E8A)).unwrap_err();
//! assert_eq!(
//!     e,
//!     ReplayError::Replayed { meter, last: 0x25E8A, received: 0x25E8A }
//! );
//! assert!(guard.accept(meter, Counter::Mcr(7)).is_err());
//! assert_eq!(guard.last_mcr(&meter), Some(0x25E8A));
//! # Ok::<(), ReplayError>(())
//! ```

use crate::dll;
use crate::telegram::{SecurityState, Telegram};

/// The identity of a meter: manufacturer and address, from the TPL long
/// header when present (the meter behind a radio module), else the DLL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Meter {
    /// Manufacturer code (M field), see [`crate::manufacturer_code`].
    pub manufacturer: u16,
    /// Identification, version and device type.
    pub address: dll::Address,
}

impl Meter {
    /// The meter a telegram comes from ([`Telegram::meter`]): the identity
    /// the mode-7 key derivation uses.
    pub fn of(t: &Telegram<'_>) -> Meter {
        let (manufacturer, address) = t.meter();
        Meter {
            manufacturer,
            address,
        }
    }
}

impl core::fmt::Display for Meter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let m = crate::manufacturer_code(self.manufacturer);
        let m = core::str::from_utf8(&m).unwrap_or("???");
        write!(
            f,
            "{m} {:08X} v{} type {:#04x}",
            self.address.id, self.address.version, self.address.device_type
        )
    }
}

/// The sequence number a telegram carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Counter {
    /// The AFL message counter (MCR): must strictly increase.
    Mcr(u32),
    /// The TPL or ELL access number: must be 1 to 127 steps ahead,
    /// modulo 256.
    AccessNumber(u8),
}

impl Counter {
    /// The counter of a telegram: its AFL MCR when present, else the access
    /// number of its TPL header, else of its ELL; `None` when it has none
    /// (a TPL without header and no ELL, or a wired frame without one).
    pub fn of(t: &Telegram<'_>) -> Option<Counter> {
        if let Some(mcr) = t.afl.as_ref().and_then(|a| a.mcr) {
            return Some(Counter::Mcr(mcr));
        }
        t.tpl
            .and_then(|tpl| tpl.header.short())
            .map(|s| s.access_number)
            .or(t.ell.map(|e| e.access_number))
            .map(Counter::AccessNumber)
    }
}

/// Access numbers this many steps ahead or fewer (and more than 0) count
/// as newer: half the 8-bit space, as RFC 1982 serial-number arithmetic.
pub const ACCESS_WINDOW: u8 = 127;

/// Why a telegram was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The MCR is not above the last one accepted from this meter.
    #[error(
        "replayed telegram: message counter {received:#010x} of meter {meter} is not above the last accepted {last:#010x}"
    )]
    Replayed {
        /// The meter.
        meter: Meter,
        /// The last MCR accepted from it.
        last: u32,
        /// The MCR received.
        received: u32,
    },
    /// The access number is not 1 to [`ACCESS_WINDOW`] steps ahead of the
    /// last one accepted from this meter (modulo 256).
    #[error(
        "replayed or stale telegram: access number {received} of meter {meter} is not 1 to 127 steps after the last accepted {last}"
    )]
    StaleAccessNumber {
        /// The meter.
        meter: Meter,
        /// The last access number accepted from it.
        last: u8,
        /// The access number received.
        received: u8,
    },
    /// [`ReplayGuard::accept_telegram`]: the telegram carries neither an
    /// MCR nor an access number.
    #[error("telegram from meter {0} carries no message counter or access number")]
    NoCounter(Meter),
    /// [`ReplayGuard::accept_telegram`]: the telegram's integrity was not
    /// checked (no verified MAC, not decrypted), so its counter could be
    /// forged and is not recorded.
    #[error(
        "telegram from meter {0} is not authenticated (no verified MAC, not decrypted): its counter is not trusted"
    )]
    Unauthenticated(Meter),
}

/// What [`ReplayGuard::accept`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accepted {
    /// No counter of this kind was known for the meter.
    pub first_seen: bool,
    /// The meter forgotten to make room for this one (see the
    /// [module](self) docs on eviction).
    pub evicted: Option<Meter>,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    meter: Meter,
    mcr: Option<u32>,
    access: Option<u8>,
    /// When it last accepted a telegram (the guard's clock).
    used: u64,
}

/// Remembers the last accepted counter of up to `N` meters; see the
/// [module](self) documentation.
#[derive(Debug, Clone)]
pub struct ReplayGuard<const N: usize> {
    slots: [Option<Slot>; N],
    /// Counts accepted telegrams: orders the slots for eviction.
    clock: u64,
}

impl<const N: usize> Default for ReplayGuard<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> ReplayGuard<N> {
    /// An empty guard.
    pub const fn new() -> Self {
        ReplayGuard {
            slots: [None; N],
            clock: 0,
        }
    }

    /// How many meters it remembers.
    pub fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// True when it remembers no meter.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many meters it can remember (`N`).
    pub const fn capacity(&self) -> usize {
        N
    }

    fn find(&self, meter: &Meter) -> Option<&Slot> {
        self.slots.iter().flatten().find(|s| s.meter == *meter)
    }

    /// The last MCR accepted from `meter`.
    pub fn last_mcr(&self, meter: &Meter) -> Option<u32> {
        self.find(meter).and_then(|s| s.mcr)
    }

    /// The last access number accepted from `meter`.
    pub fn last_access_number(&self, meter: &Meter) -> Option<u8> {
        self.find(meter).and_then(|s| s.access)
    }

    /// Whether `counter` would be accepted from `meter`, without recording
    /// it.
    pub fn check(&self, meter: Meter, counter: Counter) -> Result<(), ReplayError> {
        let Some(slot) = self.find(&meter) else {
            return Ok(());
        };
        match (counter, slot.mcr, slot.access) {
            (Counter::Mcr(received), Some(last), _) if received <= last => {
                Err(ReplayError::Replayed {
                    meter,
                    last,
                    received,
                })
            }
            (Counter::AccessNumber(received), _, Some(last))
                if !(1..=ACCESS_WINDOW).contains(&received.wrapping_sub(last)) =>
            {
                Err(ReplayError::StaleAccessNumber {
                    meter,
                    last,
                    received,
                })
            }
            _ => Ok(()),
        }
    }

    /// Checks `counter` as [`ReplayGuard::check`] does and, when it passes,
    /// records it as the last accepted from `meter`. A rejected counter
    /// changes nothing.
    pub fn accept(&mut self, meter: Meter, counter: Counter) -> Result<Accepted, ReplayError> {
        self.check(meter, counter)?;
        self.clock = self.clock.wrapping_add(1);
        let now = self.clock;
        let mut report = Accepted::default();
        let at = match self.position(&meter) {
            Some(i) => i,
            None => {
                let (i, evicted) = self.free_or_oldest();
                report.evicted = evicted;
                if let Some(s) = self.slots.get_mut(i) {
                    *s = Some(Slot {
                        meter,
                        mcr: None,
                        access: None,
                        used: now,
                    });
                }
                i
            }
        };
        // N = 0: nothing can be remembered, every counter is new.
        let Some(Some(slot)) = self.slots.get_mut(at) else {
            report.first_seen = true;
            return Ok(report);
        };
        slot.used = now;
        match counter {
            Counter::Mcr(c) => {
                report.first_seen = slot.mcr.is_none();
                slot.mcr = Some(c);
            }
            Counter::AccessNumber(c) => {
                report.first_seen = slot.access.is_none();
                slot.access = Some(c);
            }
        }
        Ok(report)
    }

    /// [`ReplayGuard::accept`] with the meter and counter of a decoded
    /// telegram ([`Meter::of`], [`Counter::of`]), for telegrams whose
    /// integrity was checked: a verified AFL MAC, or a TPL or ELL
    /// decryption that passed its check. Others are refused with
    /// [`ReplayError::Unauthenticated`] and not recorded (use
    /// [`ReplayGuard::accept`] to record them anyway).
    ///
    /// The MCR of a telegram with an AFL is only taken as authenticated
    /// with a verified MAC (the MCR is outside the encryption).
    pub fn accept_telegram(&mut self, t: &Telegram<'_>) -> Result<Accepted, ReplayError> {
        let meter = Meter::of(t);
        let counter = Counter::of(t).ok_or(ReplayError::NoCounter(meter))?;
        let decrypted = t.security.state == SecurityState::Decrypted
            || t.security.ell_state == SecurityState::Decrypted;
        let trusted = match counter {
            Counter::Mcr(_) => t.security.mac_verified,
            Counter::AccessNumber(_) => t.security.mac_verified || decrypted,
        };
        if !trusted {
            return Err(ReplayError::Unauthenticated(meter));
        }
        self.accept(meter, counter)
    }

    /// Forgets `meter`; true when it was remembered.
    pub fn forget(&mut self, meter: &Meter) -> bool {
        match self.position(meter).and_then(|i| self.slots.get_mut(i)) {
            Some(s) => {
                *s = None;
                true
            }
            None => false,
        }
    }

    /// The remembered meters with their last MCR and access number, in
    /// slot order (e.g. to persist them across a restart and restore them
    /// with [`ReplayGuard::accept`]).
    pub fn iter(&self) -> impl Iterator<Item = (Meter, Option<u32>, Option<u8>)> + '_ {
        self.slots
            .iter()
            .flatten()
            .map(|s| (s.meter, s.mcr, s.access))
    }

    fn position(&self, meter: &Meter) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.meter == *meter))
    }

    /// A free slot, else the least recently used one with the meter it
    /// held. Index 0 when `N` is 0 (no slot at all).
    fn free_or_oldest(&self) -> (usize, Option<Meter>) {
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            return (i, None);
        }
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
            .min_by_key(|(_, s)| s.used)
            .map_or((0, None), |(i, s)| (i, Some(s.meter)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter(id: u32) -> Meter {
        Meter {
            manufacturer: 0x1593,
            address: dll::Address {
                id,
                version: 1,
                device_type: 7,
            },
        }
    }

    #[test]
    fn mcr_must_strictly_increase_per_meter() {
        let mut g = ReplayGuard::<4>::new();
        let (a, b) = (meter(1), meter(2));
        assert!(g.accept(a, Counter::Mcr(10)).unwrap().first_seen);
        // Another meter has its own counter.
        assert!(g.accept(b, Counter::Mcr(3)).unwrap().first_seen);
        assert!(!g.accept(a, Counter::Mcr(11)).unwrap().first_seen);
        // Gaps are fine (missed telegrams).
        g.accept(a, Counter::Mcr(1000)).unwrap();
        assert_eq!(
            g.accept(a, Counter::Mcr(1000)),
            Err(ReplayError::Replayed {
                meter: a,
                last: 1000,
                received: 1000
            })
        );
        assert!(g.accept(a, Counter::Mcr(999)).is_err());
        assert!(g.accept(a, Counter::Mcr(0)).is_err());
        assert_eq!(g.last_mcr(&a), Some(1000));
        assert_eq!(g.last_mcr(&b), Some(3));
        // Meters differ by every address field, not only the id.
        let mut other_version = a;
        other_version.address.version = 2;
        assert!(g.accept(other_version, Counter::Mcr(5)).unwrap().first_seen);
        assert_eq!(g.len(), 3);
    }

    #[test]
    fn access_number_wraps_with_a_127_step_window() {
        let mut g = ReplayGuard::<2>::new();
        let a = meter(1);
        g.accept(a, Counter::AccessNumber(250)).unwrap();
        // 250 → 255 → 0 → 4: wrapping forward is newer.
        g.accept(a, Counter::AccessNumber(255)).unwrap();
        g.accept(a, Counter::AccessNumber(0)).unwrap();
        g.accept(a, Counter::AccessNumber(4)).unwrap();
        // Equal, or behind (4 − 1, and 4 − 128 ≡ 132, 128 steps ahead).
        for stale in [4u8, 3, 200, 132] {
            assert_eq!(
                g.check(a, Counter::AccessNumber(stale)),
                Err(ReplayError::StaleAccessNumber {
                    meter: a,
                    last: 4,
                    received: stale
                }),
                "{stale}"
            );
        }
        // 127 steps ahead is the last newer one.
        g.check(a, Counter::AccessNumber(131)).unwrap();
        // MCR and access number are tracked apart.
        assert!(g.accept(a, Counter::Mcr(0)).unwrap().first_seen);
        assert_eq!(g.last_access_number(&a), Some(4));
    }

    #[test]
    fn a_rejected_counter_changes_nothing() {
        let mut g = ReplayGuard::<1>::new();
        let (a, b) = (meter(1), meter(2));
        g.accept(a, Counter::Mcr(5)).unwrap();
        assert!(g.accept(a, Counter::Mcr(4)).is_err());
        assert_eq!(g.last_mcr(&a), Some(5));
        g.accept(b, Counter::Mcr(1)).unwrap();
        assert_eq!(g.last_mcr(&a), None, "a was evicted");
    }

    #[test]
    fn full_guard_evicts_the_least_recently_accepted_meter() {
        let mut g = ReplayGuard::<3>::new();
        let (a, b, c, d) = (meter(1), meter(2), meter(3), meter(4));
        for m in [a, b, c] {
            assert_eq!(g.accept(m, Counter::Mcr(1)).unwrap().evicted, None);
        }
        // a is refreshed: b is now the oldest.
        g.accept(a, Counter::Mcr(2)).unwrap();
        // A rejected telegram does not refresh c.
        assert!(g.accept(c, Counter::Mcr(1)).is_err());
        let r = g.accept(d, Counter::Mcr(1)).unwrap();
        assert_eq!(r.evicted, Some(b));
        assert!(r.first_seen);
        assert_eq!(g.len(), 3);
        assert_eq!(g.last_mcr(&b), None);
        // b comes back: c is the oldest now.
        assert_eq!(g.accept(b, Counter::Mcr(1)).unwrap().evicted, Some(c));
        let mut kept = [0u32; 3];
        for (k, (m, _, _)) in kept.iter_mut().zip(g.iter()) {
            *k = m.address.id;
        }
        kept.sort_unstable();
        assert_eq!(kept, [1, 2, 4]);
        assert!(g.forget(&a));
        assert!(!g.forget(&a));
        assert_eq!(g.len(), 2);
        // The freed slot is used before anything is evicted.
        assert_eq!(g.accept(c, Counter::Mcr(9)).unwrap().evicted, None);
    }

    #[test]
    fn zero_capacity_accepts_everything() {
        let mut g = ReplayGuard::<0>::new();
        let a = meter(1);
        assert!(g.accept(a, Counter::Mcr(5)).unwrap().first_seen);
        assert!(g.accept(a, Counter::Mcr(5)).unwrap().first_seen);
        assert!(g.is_empty());
        assert_eq!(g.capacity(), 0);
    }

    #[test]
    fn errors_name_the_meter_and_both_counters() {
        let e = ReplayError::Replayed {
            meter: meter(0x1234_5678),
            last: 0x25E8A,
            received: 0x25E89,
        };
        #[cfg(feature = "alloc")]
        assert_eq!(
            alloc::format!("{e}"),
            "replayed telegram: message counter 0x00025e89 of meter ELS 12345678 v1 type 0x07 is not above the last accepted 0x00025e8a"
        );
        let _ = e;
    }
}
