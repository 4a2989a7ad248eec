//! The meter-state aggregator: last value per label across frames, and
//! which ones changed, for firmware that publishes only changes.

use crate::billing::BillingIndex;
use crate::group::Group;

/// What [`MeterState::update`] did with a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Change {
    /// First time this label is seen.
    New,
    /// The value or the horodate differs from the last one.
    Changed,
    /// Same value and horodate as before.
    Unchanged,
    /// Not stored: no free slot, or the label/value is longer than a slot.
    Dropped,
}

/// Longest label a fixed slot holds (`SMAXSN1-1` is 9; PME-PMI labels are
/// shorter than 12).
pub const MAX_LABEL: usize = 12;
/// Horodate length.
const HD: usize = 13;

#[derive(Debug, Clone, Copy)]
struct Slot<const V: usize> {
    label: [u8; MAX_LABEL],
    label_len: u8,
    horodate: [u8; HD],
    has_horodate: bool,
    value: [u8; V],
    value_len: u8,
    changed: bool,
}

impl<const V: usize> Slot<V> {
    const EMPTY: Self = Slot {
        label: [0; MAX_LABEL],
        label_len: 0,
        horodate: [0; HD],
        has_horodate: false,
        value: [0; V],
        value_len: 0,
        changed: false,
    };

    fn label(&self) -> &[u8] {
        self.label
            .get(..usize::from(self.label_len))
            .unwrap_or_default()
    }

    fn value(&self) -> &[u8] {
        self.value
            .get(..usize::from(self.value_len))
            .unwrap_or_default()
    }

    fn horodate(&self) -> Option<&[u8]> {
        self.has_horodate.then_some(&self.horodate[..])
    }

    fn set(&mut self, g: &Group<'_>) -> bool {
        let (Some(v), hd) = (self.value.get_mut(..g.data().len()), g.horodate()) else {
            return false;
        };
        v.copy_from_slice(g.data());
        self.value_len = g.data().len() as u8;
        match hd {
            Some(h) if h.len() == HD => {
                self.horodate.copy_from_slice(h);
                self.has_horodate = true;
            }
            Some(_) => return false,
            None => self.has_horodate = false,
        }
        true
    }
}

/// One stored label, as returned by [`MeterState::iter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Entry<'s> {
    /// The label.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_str"))]
    pub label: &'s [u8],
    /// The last horodate.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_opt_str"))]
    pub horodate: Option<&'s [u8]>,
    /// The last value.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_str"))]
    pub value: &'s [u8],
    /// Whether it changed since the last [`MeterState::clear_changes`].
    pub changed: bool,
}

#[cfg(feature = "serde")]
fn ser_str<S: serde::Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(core::str::from_utf8(v).unwrap_or_default())
}

#[cfg(feature = "serde")]
fn ser_opt_str<S: serde::Serializer>(v: &Option<&[u8]>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(core::str::from_utf8(v).unwrap_or_default()),
        None => s.serialize_none(),
    }
}

/// Fixed-capacity meter state: up to `L` labels with values of up to `V`
/// bytes (default 64 labels × 100 bytes, enough for a three-phase Linky
/// and its 98-byte day profiles). No allocation.
///
/// ```
/// use webdyn_tic::{Change, Decoder, Event, MeterState};
/// let mut state: MeterState = MeterState::new();
/// let mut dec: Decoder = Decoder::new();
/// let frames = b"\x02\nIINST 005 \\\r\nPTEC HP..  \r\x03\x02\nIINST 011 Y\r\nPTEC HP..  \r\x03";
/// let mut changes = Vec::new();
/// dec.feed(frames, |ev| {
///     if let Event::Group { group, .. } = ev {
///         changes.push(state.update(&group));
///     }
/// });
/// assert_eq!(changes, [Change::New, Change::New, Change::Changed, Change::Unchanged]);
/// assert_eq!(state.get(b"IINST").unwrap().value, b"011");
/// ```
#[derive(Debug, Clone)]
pub struct MeterState<const L: usize = 64, const V: usize = 100> {
    slots: [Slot<V>; L],
    len: usize,
}

impl<const L: usize, const V: usize> Default for MeterState<L, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const L: usize, const V: usize> MeterState<L, V> {
    /// An empty state.
    pub const fn new() -> Self {
        MeterState {
            slots: [Slot::EMPTY; L],
            len: 0,
        }
    }

    /// Records a group's value.
    pub fn update(&mut self, g: &Group<'_>) -> Change {
        let label = g.label();
        let used = self.slots.get_mut(..self.len).unwrap_or_default();
        if let Some(slot) = used.iter_mut().find(|s| s.label() == label) {
            if slot.value() == g.data() && slot.horodate() == g.horodate() {
                return Change::Unchanged;
            }
            if !slot.set(g) {
                return Change::Dropped;
            }
            slot.changed = true;
            return Change::Changed;
        }
        let Some(slot) = self.slots.get_mut(self.len) else {
            return Change::Dropped;
        };
        let Some(dst) = slot.label.get_mut(..label.len()) else {
            return Change::Dropped;
        };
        dst.copy_from_slice(label);
        slot.label_len = label.len() as u8;
        if !slot.set(g) {
            *slot = Slot::EMPTY;
            return Change::Dropped;
        }
        slot.changed = true;
        self.len += 1;
        Change::New
    }

    /// The stored entry for `label`.
    pub fn get(&self, label: &[u8]) -> Option<Entry<'_>> {
        self.iter().find(|e| e.label == label)
    }

    /// Every stored entry, in first-seen order.
    pub fn iter(&self) -> impl Iterator<Item = Entry<'_>> {
        self.slots
            .get(..self.len)
            .unwrap_or_default()
            .iter()
            .map(|s| Entry {
                label: s.label(),
                horodate: s.horodate(),
                value: s.value(),
                changed: s.changed,
            })
    }

    /// The entries that changed (or appeared) since the last
    /// [`MeterState::clear_changes`].
    pub fn changed(&self) -> impl Iterator<Item = Entry<'_>> {
        self.iter().filter(|e| e.changed)
    }

    /// Marks everything as published.
    pub fn clear_changes(&mut self) {
        for s in self.slots.iter_mut() {
            s.changed = false;
        }
    }

    /// Number of stored labels.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index the meter is counting into now, from the stored values
    /// (see [`BillingIndex::current`] for the rules).
    ///
    /// ```
    /// use webdyn_tic::{Decoder, Event, MeterState};
    /// let mut state: MeterState = MeterState::new();
    /// let mut dec: Decoder = Decoder::new();
    /// // tic.md §3.1: OPTARIF HC.., HCHC, HCHP, PTEC HC.. (checksums included).
    /// let frame = b"\x02\nOPTARIF HC.. <\r\nHCHC 036395657 2\r\nHCHP 039661265 9\r\nPTEC HC.. S\r\x03";
    /// dec.feed(frame, |ev| {
    ///     if let Event::Group { group, .. } = ev {
    ///         state.update(&group);
    ///     }
    /// });
    /// let idx = state.billing_index().unwrap();
    /// assert_eq!((idx.label, idx.wh), ("HCHC", 36_395_657));
    /// ```
    pub fn billing_index(&self) -> Option<BillingIndex<'_>> {
        BillingIndex::current(|l| self.get(l).map(|e| e.value))
    }

    /// The standard-mode distributor index counting now (see
    /// [`BillingIndex::distributor`]).
    pub fn distributor_index(&self) -> Option<BillingIndex<'_>> {
        BillingIndex::distributor(|l| self.get(l).map(|e| e.value))
    }
}

#[cfg(feature = "serde")]
impl<const L: usize, const V: usize> serde::Serialize for MeterState<L, V> {
    /// The stored entries, in first-seen order.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Growable meter state (with `alloc`): any number of labels and value
/// lengths. Same behaviour as [`MeterState`], never [`Change::Dropped`].
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MeterMap {
    entries: alloc::vec::Vec<crate::owned::OwnedGroup>,
    #[cfg_attr(feature = "serde", serde(skip))]
    changed: alloc::vec::Vec<bool>,
}

#[cfg(feature = "alloc")]
impl MeterMap {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a group's value.
    pub fn update(&mut self, g: &Group<'_>) -> Change {
        let pos = self
            .entries
            .iter()
            .position(|e| e.label.as_bytes() == g.label());
        match pos {
            Some(i) => {
                let (Some(e), Some(c)) = (self.entries.get_mut(i), self.changed.get_mut(i)) else {
                    return Change::Dropped;
                };
                if e.value.as_bytes() == g.data()
                    && e.horodate.as_deref().map(str::as_bytes) == g.horodate()
                {
                    return Change::Unchanged;
                }
                *e = crate::owned::OwnedGroup::from_group(g);
                *c = true;
                Change::Changed
            }
            None => {
                self.entries.push(crate::owned::OwnedGroup::from_group(g));
                self.changed.push(true);
                Change::New
            }
        }
    }

    /// The stored group for `label`.
    pub fn get(&self, label: &str) -> Option<&crate::owned::OwnedGroup> {
        self.entries.iter().find(|e| e.label == label)
    }

    /// Every stored group with its changed flag, in first-seen order.
    pub fn iter(&self) -> impl Iterator<Item = (&crate::owned::OwnedGroup, bool)> {
        self.entries.iter().zip(self.changed.iter().copied())
    }

    /// The groups that changed since the last [`MeterMap::clear_changes`].
    pub fn changed(&self) -> impl Iterator<Item = &crate::owned::OwnedGroup> {
        self.iter().filter(|(_, c)| *c).map(|(e, _)| e)
    }

    /// Marks everything as published.
    pub fn clear_changes(&mut self) {
        self.changed.iter_mut().for_each(|c| *c = false);
    }

    /// Number of stored labels.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index the meter is counting into now (see
    /// [`BillingIndex::current`]).
    pub fn billing_index(&self) -> Option<BillingIndex<'_>> {
        BillingIndex::current(|l| {
            self.entries
                .iter()
                .find(|e| e.label.as_bytes() == l)
                .map(|e| e.value.as_bytes())
        })
    }
}
