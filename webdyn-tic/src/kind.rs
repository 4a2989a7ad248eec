//! Frame kinds: telling a three-phase historic *short frame* (an
//! overcurrent alert, `ADIRn`) from a normal frame.
//!
//! A three-phase Bleu meter (CBETM, or a three-phase Linky in historic
//! mode) interrupts its normal ("long") frames with short frames when a
//! phase draws more than its *intensité de réglage*. tic.md §5 gives their
//! composition: `ADIR1, ADIR2, ADIR3, ADCO, IINST1, IINST2, IINST3`
//! (openHAB `FrameCbetmShort`; 02E). They are ordinary frames for the
//! decoder (STX, valid groups, ETX), so they come out of it valid; what
//! sets them apart is their label set, which this module looks at.
//!
//! The rule used here: a historic frame is a short frame when it has at
//! least one `ADIRn` group and every group's label is one of those seven.
//! A frame with `ADIRn` *and* other labels is not described by tic.md; it
//! is reported as [`FrameKind::Historic`] (with
//! [`FrameKindDetector::has_alert`] true) rather than guessed at.

use crate::group::Group;
use crate::mode::Mode;

/// What a frame is, from its valid groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FrameKind {
    /// No valid group.
    Empty,
    /// A standard-mode (Linky) frame.
    Standard,
    /// A normal historic frame (the "long" frame of a three-phase meter,
    /// the only frame of a single-phase one, or PME-PMI).
    Historic,
    /// A three-phase historic short frame: an overcurrent alert (`ADIR1..3`
    /// with `ADCO` and `IINST1..3`). See [`OvercurrentAlert`].
    ShortAlert,
}

impl FrameKind {
    /// The kind's name as the CLI prints it: `"empty"`, `"standard"`,
    /// `"historic"`, `"short_alert"`.
    pub const fn name(self) -> &'static str {
        match self {
            FrameKind::Empty => "empty",
            FrameKind::Standard => "standard",
            FrameKind::Historic => "historic",
            FrameKind::ShortAlert => "short_alert",
        }
    }
}

/// Labels of a short frame (tic.md §5).
const SHORT: [&[u8]; 7] = [
    b"ADIR1", b"ADIR2", b"ADIR3", b"ADCO", b"IINST1", b"IINST2", b"IINST3",
];

/// Works out a frame's [`FrameKind`] group by group, alongside the
/// streaming decoder: [`FrameKindDetector::push`] each valid group,
/// [`FrameKindDetector::kind`] at the frame's end,
/// [`FrameKindDetector::reset`] at the next frame start. A few bytes of
/// state, no allocation.
///
/// ```
/// use webdyn_tic::{Decoder, Event, FrameKind, FrameKindDetector};
/// // A short frame (tic.md §5) then the start of a long one.
/// let stream = b"\x02\nADIR1 045 *\r\nADCO 030422000048 .\r\nIINST1 045 Q\r\x03\
///                \x02\nADCO 030422000048 .\r\nOPTARIF BASE 0\r\x03";
/// let mut dec: Decoder = Decoder::new();
/// let mut det = FrameKindDetector::new();
/// let mut kinds = Vec::new();
/// dec.feed(stream, |ev| match ev {
///     Event::FrameStart { .. } => det.reset(),
///     Event::Group { group, .. } => det.push(&group),
///     Event::FrameEnd(end) => kinds.push((det.kind(), end.is_valid())),
///     _ => {}
/// });
/// assert_eq!(kinds, [(FrameKind::ShortAlert, true), (FrameKind::Historic, true)]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrameKindDetector {
    historic: bool,
    standard: bool,
    /// Bit n-1: an ADIRn group was seen.
    adir: u8,
    /// A label outside the short-frame set was seen.
    other: bool,
}

impl FrameKindDetector {
    /// A detector for a new frame.
    pub const fn new() -> Self {
        FrameKindDetector {
            historic: false,
            standard: false,
            adir: 0,
            other: false,
        }
    }

    /// Forgets the frame seen so far.
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// Takes one (valid) group of the frame.
    pub fn push(&mut self, g: &Group<'_>) {
        self.see(g.mode(), g.label());
    }

    pub(crate) fn see(&mut self, mode: Mode, label: &[u8]) {
        match mode {
            Mode::Historic => self.historic = true,
            Mode::Standard => self.standard = true,
        }
        match label {
            b"ADIR1" => self.adir |= 1,
            b"ADIR2" => self.adir |= 2,
            b"ADIR3" => self.adir |= 4,
            l if SHORT.contains(&l) => {}
            _ => self.other = true,
        }
    }

    /// True when an `ADIRn` group was seen (in a short frame or not).
    pub fn has_alert(&self) -> bool {
        self.adir != 0
    }

    /// The kind of the frame seen so far. A frame mixing both modes (which
    /// no meter sends) is reported by its standard groups.
    pub fn kind(&self) -> FrameKind {
        if self.standard {
            FrameKind::Standard
        } else if !self.historic {
            FrameKind::Empty
        } else if self.adir != 0 && !self.other {
            FrameKind::ShortAlert
        } else {
            FrameKind::Historic
        }
    }
}

/// The content of a short frame: which phases are over their
/// *intensité de réglage*, and the phase currents, in A.
///
/// ```
/// use webdyn_tic::{Frame, ModeSelect, OvercurrentAlert};
/// let frame = Frame::new(b"\x02\nADIR1 045 *\r\nADCO 030422000048 .\r\nIINST1 045 Q\r\nIINST2 001 J\r\nIINST3 001 K\r\x03");
/// let alert = frame.overcurrent_alert(ModeSelect::Auto).unwrap();
/// assert_eq!(alert.adir, [Some(45), None, None]);
/// assert_eq!(alert.iinst, [Some(45), Some(1), Some(1)]);
/// assert_eq!(alert.phases().collect::<Vec<_>>(), [1]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OvercurrentAlert {
    /// `ADIR1..3`: the current of each phase in alert (None: no group for
    /// that phase, or not three digits).
    pub adir: [Option<u16>; 3],
    /// `IINST1..3`: the instantaneous current of each phase.
    pub iinst: [Option<u16>; 3],
}

impl OvercurrentAlert {
    /// Reads the `ADIRn` and `IINSTn` groups through `get` (label → data).
    /// Does not check that the frame is a short frame; the `Frame` and
    /// `OwnedFrame` helpers do.
    pub fn from_lookup<'a>(get: impl Fn(&[u8]) -> Option<&'a [u8]>) -> Self {
        let amps = |l: &[u8]| get(l).and_then(amps);
        OvercurrentAlert {
            adir: [amps(b"ADIR1"), amps(b"ADIR2"), amps(b"ADIR3")],
            iinst: [amps(b"IINST1"), amps(b"IINST2"), amps(b"IINST3")],
        }
    }

    /// The phases (1..=3) with an `ADIRn` value.
    pub fn phases(&self) -> impl Iterator<Item = u8> + '_ {
        (1u8..)
            .zip(self.adir.iter())
            .filter_map(|(n, a)| a.map(|_| n))
    }
}

/// A current field: three decimal digits (tic.md §5).
fn amps(data: &[u8]) -> Option<u16> {
    if data.len() != 3 {
        return None;
    }
    // Three digits: at most 999, always a u16.
    u16::try_from(crate::value::decimal(data).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(groups: &[(Mode, &str)]) -> FrameKind {
        let mut d = FrameKindDetector::new();
        for (m, l) in groups {
            d.see(*m, l.as_bytes());
        }
        d.kind()
    }

    #[test]
    fn label_sets() {
        use Mode::{Historic as H, Standard as S};
        assert_eq!(kind_of(&[]), FrameKind::Empty);
        // The full composition of tic.md §5.
        let short = [
            (H, "ADIR1"),
            (H, "ADIR2"),
            (H, "ADIR3"),
            (H, "ADCO"),
            (H, "IINST1"),
            (H, "IINST2"),
            (H, "IINST3"),
        ];
        assert_eq!(kind_of(&short), FrameKind::ShortAlert);
        // One phase only, or cut by EOT after ADIR2.
        assert_eq!(kind_of(&[(H, "ADIR3"), (H, "ADCO")]), FrameKind::ShortAlert);
        assert_eq!(kind_of(&short[..2]), FrameKind::ShortAlert);
        // A long three-phase frame has IINST1..3 too, but no ADIR.
        let long = [
            (H, "ADCO"),
            (H, "OPTARIF"),
            (H, "ISOUSC"),
            (H, "IINST1"),
            (H, "IINST2"),
            (H, "IINST3"),
            (H, "PPOT"),
        ];
        assert_eq!(kind_of(&long), FrameKind::Historic);
        // ADIR plus long-frame labels: not described, so not a short frame.
        let mut mixed = long.to_vec();
        mixed.push((H, "ADIR1"));
        assert_eq!(kind_of(&mixed), FrameKind::Historic);
        // IINST1..3 without ADIR: not an alert.
        assert_eq!(kind_of(&short[3..]), FrameKind::Historic);
        // Labels are case-sensitive (PME-PMI mixes cases).
        assert_eq!(kind_of(&[(H, "adir1")]), FrameKind::Historic);
        assert_eq!(kind_of(&[(S, "ADSC"), (S, "VTIC")]), FrameKind::Standard);
    }

    #[test]
    fn amps_are_three_digits() {
        assert_eq!(amps(b"045"), Some(45));
        assert_eq!(amps(b"999"), Some(999));
        assert_eq!(amps(b"45"), None);
        assert_eq!(amps(b"0q5"), None);
        assert_eq!(amps(b"0045"), None);
    }
}
