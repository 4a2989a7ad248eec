//! A borrowed view of one complete frame held in memory.

use crate::billing::BillingIndex;
use crate::error::{Error, ErrorKind};
use crate::group::Group;
use crate::kind::{FrameKind, FrameKindDetector, OvercurrentAlert};
use crate::mode::ModeSelect;
use crate::scan::{self, CR, EOT, ETX, LF, STX};

/// A complete frame (`STX group… ETX`) already in memory, read without
/// copying, httparse style. The STX and ETX are optional: a buffer of bare
/// groups (one frame's `LF … CR` lines) is accepted too.
///
/// ```
/// use webdyn_tic::{Frame, ModeSelect};
/// let bytes = b"\x02\nADCO 030422000048 .\r\nIINST 005 \\\r\x03";
/// let frame = Frame::new(bytes);
/// let values: Vec<_> = frame
///     .groups(ModeSelect::Auto)
///     .map(|g| g.map(|g| g.data_str()))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(values, ["030422000048", "005"]);
/// assert!(frame.is_valid(ModeSelect::Auto));
/// # Ok::<(), webdyn_tic::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    bytes: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Wraps a buffer holding one frame.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Frame { bytes }
    }

    /// The underlying bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// True when the buffer starts with STX and ends with ETX.
    pub fn is_delimited(&self) -> bool {
        self.bytes.first() == Some(&STX) && self.bytes.last() == Some(&ETX)
    }

    /// Iterates the groups, each checked (syntax and checksum). Error
    /// offsets count from the start of the buffer. Damaged groups yield an
    /// error and iteration goes on with the next LF.
    pub fn groups(&self, select: ModeSelect) -> Groups<'a> {
        Groups {
            bytes: self.bytes,
            pos: 0,
            select,
        }
    }

    /// True when the frame is delimited, holds at least one group and every
    /// group is valid.
    pub fn is_valid(&self, select: ModeSelect) -> bool {
        let mut n = 0usize;
        for g in self.groups(select) {
            if g.is_err() {
                return false;
            }
            n += 1;
        }
        self.is_delimited() && n > 0
    }

    /// What the frame is, from its valid groups (see [`FrameKind`]).
    ///
    /// ```
    /// use webdyn_tic::{Frame, FrameKind, ModeSelect};
    /// let short = Frame::new(b"\x02\nADIR1 045 *\r\nADCO 030422000048 .\r\nIINST1 045 Q\r\x03");
    /// assert_eq!(short.kind(ModeSelect::Auto), FrameKind::ShortAlert);
    /// let long = Frame::new(b"\x02\nADCO 030422000048 .\r\nIINST1 045 Q\r\nPPOT 00 #\r\x03");
    /// assert_eq!(long.kind(ModeSelect::Auto), FrameKind::Historic);
    /// ```
    pub fn kind(&self, select: ModeSelect) -> FrameKind {
        let mut d = FrameKindDetector::new();
        self.groups(select)
            .filter_map(Result::ok)
            .for_each(|g| d.push(&g));
        d.kind()
    }

    /// The overcurrent alert when the frame is a short frame
    /// ([`FrameKind::ShortAlert`]), else None.
    pub fn overcurrent_alert(&self, select: ModeSelect) -> Option<OvercurrentAlert> {
        (self.kind(select) == FrameKind::ShortAlert)
            .then(|| OvercurrentAlert::from_lookup(|l| self.value_of(l, select)))
    }

    /// The data of the first valid group with this label.
    fn value_of(&self, label: &[u8], select: ModeSelect) -> Option<&'a [u8]> {
        self.groups(select)
            .filter_map(Result::ok)
            .find(|g| g.label() == label)
            .map(|g| g.data())
    }

    /// The index the meter is counting into, from this frame's valid
    /// groups (see [`BillingIndex::current`] for the rules).
    ///
    /// ```
    /// use webdyn_tic::{Frame, ModeSelect, Period};
    /// // tic.md §3.1: the historic BASE frame (shortened).
    /// let frame = Frame::new(b"\x02\nOPTARIF BASE 0\r\nBASE 012345678 /\r\nPTEC TH.. $\r\x03");
    /// let idx = frame.billing_index(ModeSelect::Auto).unwrap();
    /// assert_eq!((idx.label, idx.wh, idx.period.name()), ("BASE", 12_345_678, Some("TH..")));
    /// ```
    pub fn billing_index(&self, select: ModeSelect) -> Option<BillingIndex<'a>> {
        BillingIndex::current(|l| self.value_of(l, select))
    }

    /// The standard-mode distributor index (see
    /// [`BillingIndex::distributor`]).
    pub fn distributor_index(&self, select: ModeSelect) -> Option<BillingIndex<'a>> {
        BillingIndex::distributor(|l| self.value_of(l, select))
    }
}

/// Iterator over the groups of a [`Frame`].
#[derive(Debug, Clone)]
pub struct Groups<'a> {
    bytes: &'a [u8],
    pos: usize,
    select: ModeSelect,
}

impl<'a> Iterator for Groups<'a> {
    type Item = Result<Group<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let at = self.pos;
            let &b = self.bytes.get(at)?;
            match b {
                LF => break,
                STX | ETX | EOT => self.pos += 1,
                _ => {
                    let rest = self.bytes.get(at..).unwrap_or_default();
                    self.pos = at + rest.iter().position(|&c| c == LF).unwrap_or(rest.len());
                    return Some(Err(Error::new(
                        ErrorKind::Unexpected { byte: b },
                        at as u64,
                    )));
                }
            }
        }
        let start = self.pos + 1;
        let rest = self.bytes.get(start..).unwrap_or_default();
        match scan::find_ctrl(rest) {
            Some(k) if rest.get(k) == Some(&CR) => {
                self.pos = start + k + 1;
                let body = rest.get(..k).unwrap_or_default();
                Some(Group::parse(body, self.select).map_err(|e| e.shifted(start as u64)))
            }
            Some(k) => {
                self.pos = start + k;
                let byte = rest.get(k).copied().unwrap_or(0);
                Some(Err(Error::new(
                    ErrorKind::Truncated { byte },
                    (start + k) as u64,
                )))
            }
            None => {
                self.pos = self.bytes.len();
                Some(Err(Error::new(
                    ErrorKind::Truncated { byte: 0 },
                    self.bytes.len() as u64,
                )))
            }
        }
    }
}
