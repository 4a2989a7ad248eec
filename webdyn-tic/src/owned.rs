//! Owned frames and groups (with `alloc`): for queues, async streams and
//! JSON.

use alloc::string::String;
use alloc::vec::Vec;

use crate::billing::BillingIndex;
use crate::decoder::{Event, FrameEnd, FrameStatus};
use crate::error::Error;
use crate::group::Group;
use crate::kind::{FrameKind, FrameKindDetector, OvercurrentAlert};
use crate::mode::Mode;

/// An owned copy of a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OwnedGroup {
    /// The mode it was received (or is to be sent) in.
    pub mode: Mode,
    /// The label.
    pub label: String,
    /// The horodate field, raw (standard mode).
    pub horodate: Option<String>,
    /// The data field exactly as sent.
    pub value: String,
    /// Whether its checksum was right (true for groups built to encode).
    pub checksum_ok: bool,
}

impl OwnedGroup {
    /// Copies a borrowed group.
    pub fn from_group(g: &Group<'_>) -> Self {
        OwnedGroup {
            mode: g.mode(),
            label: g.label_str().into(),
            horodate: g.horodate_str().map(Into::into),
            value: g.data_str().into(),
            checksum_ok: g.checksum_ok(),
        }
    }

    /// A borrowed view, to encode or decode its value
    /// (`Group::new` checks the fields).
    pub fn as_group(&self) -> Result<Group<'_>, Error> {
        Group::new(
            self.mode,
            self.label.as_bytes(),
            self.horodate.as_deref().map(str::as_bytes),
            self.value.as_bytes(),
        )
    }
}

/// An owned frame: its groups (including those whose checksum failed), the
/// errors seen in it, and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OwnedFrame {
    /// The groups in order. Groups too damaged to split are only in
    /// `errors`.
    pub groups: Vec<OwnedGroup>,
    /// Every error in the frame, in order, with stream offsets.
    pub errors: Vec<Error>,
    /// How the frame ended.
    pub end: FrameEnd,
}

impl OwnedFrame {
    /// The verdict: complete, non-empty, no error.
    pub fn is_valid(&self) -> bool {
        self.end.is_valid()
    }

    /// True when EOT interrupted the frame.
    pub fn is_interrupted(&self) -> bool {
        self.end.status == FrameStatus::Interrupted
    }

    /// The mode of the first group, if any.
    pub fn mode(&self) -> Option<Mode> {
        self.groups.first().map(|g| g.mode)
    }

    /// The value of the first group with this label and a right checksum.
    fn value_of(&self, label: &[u8]) -> Option<&[u8]> {
        self.groups
            .iter()
            .find(|g| g.checksum_ok && g.label.as_bytes() == label)
            .map(|g| g.value.as_bytes())
    }

    /// What the frame is, from its groups with a right checksum (see
    /// [`FrameKind`]).
    pub fn kind(&self) -> FrameKind {
        let mut d = FrameKindDetector::new();
        for g in self.groups.iter().filter(|g| g.checksum_ok) {
            d.see(g.mode, g.label.as_bytes());
        }
        d.kind()
    }

    /// The overcurrent alert when the frame is a short frame
    /// ([`FrameKind::ShortAlert`]), else None.
    pub fn overcurrent_alert(&self) -> Option<OvercurrentAlert> {
        (self.kind() == FrameKind::ShortAlert)
            .then(|| OvercurrentAlert::from_lookup(|l| self.value_of(l)))
    }

    /// The index the meter is counting into, from this frame's groups with
    /// a right checksum (see [`BillingIndex::current`]).
    pub fn billing_index(&self) -> Option<BillingIndex<'_>> {
        BillingIndex::current(|l| self.value_of(l))
    }

    /// The standard-mode distributor index (see
    /// [`BillingIndex::distributor`]).
    pub fn distributor_index(&self) -> Option<BillingIndex<'_>> {
        BillingIndex::distributor(|l| self.value_of(l))
    }

    /// Encodes the frame (STX, groups with recomputed checksums, then ETX, or
    /// EOT when it was interrupted).
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        encode_frame(
            self.groups.iter(),
            self.end.status == FrameStatus::Interrupted,
        )
    }
}

/// Encodes groups into a frame (`STX … ETX`, or `… EOT` when
/// `interrupted`).
///
/// ```
/// use webdyn_tic::{encode_frame, Mode, OwnedGroup};
/// let g = OwnedGroup { mode: Mode::Standard, label: "DATE".into(),
///     horodate: Some("E240601120000".into()), value: String::new(), checksum_ok: true };
/// assert_eq!(encode_frame([&g], false)?, b"\x02\nDATE\tE240601120000\t\t.\r\x03");
/// # Ok::<(), webdyn_tic::Error>(())
/// ```
pub fn encode_frame<'g>(
    groups: impl IntoIterator<Item = &'g OwnedGroup>,
    interrupted: bool,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    out.push(crate::scan::STX);
    for g in groups {
        let g = g.as_group()?;
        let start = out.len();
        out.resize(start + g.encoded_len(), 0);
        g.emit(out.get_mut(start..).unwrap_or_default())?;
    }
    out.push(if interrupted {
        crate::scan::EOT
    } else {
        crate::scan::ETX
    });
    Ok(out)
}

/// Collects decoder events into [`OwnedFrame`]s.
///
/// ```
/// use webdyn_tic::{Decoder, FrameCollector};
/// let mut dec: Decoder = Decoder::new();
/// let mut col = FrameCollector::new();
/// let mut frames = Vec::new();
/// dec.feed(b"\x02\nVTIC\t02\tJ\r\x03", |ev| frames.extend(col.push(&ev)));
/// assert_eq!(frames.len(), 1);
/// assert!(frames[0].is_valid());
/// ```
#[derive(Debug, Clone, Default)]
pub struct FrameCollector {
    groups: Vec<OwnedGroup>,
    errors: Vec<Error>,
    open: bool,
    /// Cap on the groups kept per frame: a stream that never sends ETX
    /// cannot grow a frame without bound.
    max_groups: usize,
}

impl FrameCollector {
    /// A collector keeping at most 1024 groups per frame.
    pub fn new() -> Self {
        FrameCollector {
            max_groups: 1024,
            ..Default::default()
        }
    }

    /// Takes one event; returns a frame when it ends. Groups outside frames
    /// are ignored.
    pub fn push(&mut self, ev: &Event<'_>) -> Option<OwnedFrame> {
        match ev {
            Event::FrameStart { .. } => {
                self.groups.clear();
                self.errors.clear();
                self.open = true;
            }
            Event::Group {
                group,
                in_frame: true,
                ..
            } if self.open && self.groups.len() < self.max_groups => {
                self.groups.push(OwnedGroup::from_group(group));
            }
            Event::Invalid { error, group, .. } if self.open => {
                if self.errors.len() < self.max_groups {
                    self.errors.push(*error);
                }
                if let Some(g) = group
                    && self.groups.len() < self.max_groups
                {
                    self.groups.push(OwnedGroup::from_group(g));
                }
            }
            Event::FrameEnd(end) if self.open => {
                self.open = false;
                return Some(OwnedFrame {
                    groups: core::mem::take(&mut self.groups),
                    errors: core::mem::take(&mut self.errors),
                    end: *end,
                });
            }
            _ => {}
        }
        None
    }
}
