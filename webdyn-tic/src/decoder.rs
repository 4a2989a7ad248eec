//! The streaming push decoder: bytes in, groups and frame verdicts out.
//!
//! The state is a fixed group buffer plus a few counters (see
//! [`Decoder`]): no frame is ever buffered whole. A group that lies entirely
//! inside the chunk being fed is handed out straight from that chunk
//! (zero-copy); only a group split across two chunks is copied into the
//! group buffer.

use crate::error::{Counter, Error, ErrorKind};
use crate::group::{Group, Scan, fast_group, scan_to_cr};
use crate::mode::ModeSelect;
use crate::scan::{self, CR, EOT, ETX, LF, STX};

/// The default group buffer size: the longest Linky group (`PJOURF+1`,
/// 111 bytes with LF and CR) fits with room to spare.
pub const DEFAULT_GROUP_CAPACITY: usize = 128;

/// Longest group body any decoder accepts, whatever its buffer size.
const N_MAX: usize = u16::MAX as usize - 1;

/// How a [`Decoder`] treats its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Config {
    /// Which modes to accept (default: detect per group).
    pub mode: ModeSelect,
    /// The input is 8-bit reads of the 7E1 line: check even parity on bit 7,
    /// count parity errors, and clear bit 7. Off by default (input already
    /// 7-bit; bytes with bit 7 set are then invalid inside a group).
    pub strip_parity: bool,
    /// Also report groups seen outside STX…ETX (a stream that starts in
    /// the middle of a frame, a receiver that lost STX). Off by default:
    /// bytes before the first STX are skipped and counted.
    pub groups_outside_frames: bool,
    /// Take `0x0B`, `0x0E` or `0x0F` where an LF belongs (after a CR, after
    /// STX, or while resynchronising after a damaged group) as that LF, so
    /// the group behind it is kept instead of dropped. Off by default.
    ///
    /// Some meter/optocoupler/UART chains deliver LF (`0x0A`) with bit 0
    /// and/or bit 2 flipped: `0D 0F` between groups in the Linky trace of
    /// esphome #17291, lines starting with `0x0E`/`0x0F`/`0x0B` in
    /// linkytic #67. tic.md (§9) attributes it to a UART or bit-timing
    /// fault rather than to the meter. The group itself must still pass
    /// its syntax and checksum checks, so only the separator is forgiven;
    /// each repair is counted in [`Stats::lf_repaired`]. A frame whose
    /// groups all pass stays valid. The byte's own parity error, if the
    /// UART reports one, is counted in [`Stats::parity`] but does not
    /// taint the group. Only the streaming decoder does this; the
    /// in-memory [`Frame`](crate::Frame) view stays strict.
    pub repair_lf: bool,
}

/// The corrupted LFs [`Config::repair_lf`] accepts: `0x0A` with bit 0
/// (`0x0B`), bit 2 (`0x0E`) or both (`0x0F`) flipped.
#[inline]
const fn is_noisy_lf(b: u8) -> bool {
    matches!(b, 0x0B | 0x0E | 0x0F)
}

/// Running counters, as firmware libraries such as LibTeleinfo keep them.
/// All wrap around on overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stats {
    /// Frames that ended with ETX, every group valid.
    pub frames_valid: u32,
    /// Frames that ended otherwise (errors, EOT, missing ETX).
    pub frames_invalid: u32,
    /// Groups with a valid syntax and checksum.
    pub groups_valid: u32,
    /// Groups with a wrong checksum.
    pub checksum: u32,
    /// Framing and syntax errors: cut groups, bad separators, invalid bytes,
    /// junk between groups, STX before ETX.
    pub format: u32,
    /// Frames interrupted by EOT.
    pub interrupted: u32,
    /// Groups longer than the group buffer.
    pub oversize: u32,
    /// Bytes received with a parity error (only with
    /// [`Config::strip_parity`] or [`Decoder::push_flagged`]).
    pub parity: u32,
    /// Bytes skipped outside any frame or group (before the first STX,
    /// between ETX and STX, after an error until the next LF).
    pub skipped: u32,
    /// Corrupted LFs (`0x0B`, `0x0E`, `0x0F`) taken as LF (only with
    /// [`Config::repair_lf`]). Not an error: not in [`Stats::errors`].
    pub lf_repaired: u32,
}

impl Stats {
    /// The sum of the error counters (checksum, format, interrupted,
    /// oversize, parity).
    pub fn errors(&self) -> u32 {
        self.checksum
            .wrapping_add(self.format)
            .wrapping_add(self.interrupted)
            .wrapping_add(self.oversize)
            .wrapping_add(self.parity)
    }

    fn tally(&mut self, c: Counter) {
        let slot = match c {
            Counter::Checksum => &mut self.checksum,
            Counter::Format => &mut self.format,
            Counter::Oversize => &mut self.oversize,
            // Parity is tallied per byte as it arrives.
            Counter::Parity => return,
        };
        *slot = slot.wrapping_add(1);
    }
}

/// How a frame ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum FrameStatus {
    /// ETX ended the frame.
    Complete,
    /// EOT interrupted the frame (the meter stops a frame, for example
    /// while its optical port is used, then starts a fresh one).
    Interrupted,
    /// The frame never ended: STX arrived before ETX, or the input ended
    /// ([`Decoder::finish`]).
    Unterminated,
}

/// The verdict on a frame, delivered with [`Event::FrameEnd`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FrameEnd {
    /// Stream offset of the frame's STX.
    pub start: u64,
    /// Stream offset of the byte that ended it (ETX, EOT, the next STX, or
    /// the end of input).
    pub end: u64,
    /// How it ended.
    pub status: FrameStatus,
    /// Valid groups in the frame.
    pub groups: u16,
    /// Errors in the frame (invalid groups, junk between groups).
    pub errors: u16,
}

impl FrameEnd {
    /// True when the frame is complete, has at least one group, and every
    /// group in it is valid.
    pub fn is_valid(&self) -> bool {
        self.status == FrameStatus::Complete && self.errors == 0 && self.groups > 0
    }
}

/// What the decoder reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "event", rename_all = "snake_case"))]
pub enum Event<'a> {
    /// STX: a frame begins.
    FrameStart {
        /// Stream offset of the STX.
        offset: u64,
    },
    /// A valid group (syntax and checksum checked).
    Group {
        /// The group, borrowed from the input or from the decoder.
        group: Group<'a>,
        /// Stream offset of its LF.
        offset: u64,
        /// False for a group outside STX…ETX (only with
        /// [`Config::groups_outside_frames`]).
        in_frame: bool,
    },
    /// Something is wrong: a damaged group, or junk between groups.
    Invalid {
        /// What and where (stream offset of the offending byte).
        error: Error,
        /// The raw bytes of the damaged group after its LF (empty for junk
        /// between groups; at most the buffer capacity for an oversize one).
        raw: &'a [u8],
        /// The split group when only its checksum is wrong, for diagnosis.
        group: Option<Group<'a>>,
    },
    /// The frame ended; the verdict says whether it is valid.
    FrameEnd(FrameEnd),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Outside a frame, waiting for STX.
    Hunt,
    /// Inside a frame, between groups: LF, ETX or EOT expected.
    Between,
    /// Inside a group, waiting for CR.
    InGroup,
    /// After an error, skipping to the next LF, STX, ETX or EOT.
    Skip,
}

/// What a single byte produced; turned into an [`Event`] by `materialize`.
#[derive(Clone, Copy)]
enum Out {
    FrameStart(u64),
    FrameEnd(FrameEnd),
    GroupReady,
    Invalid(Error, bool),
}

/// Per-frame and global accounting, split from the buffer so that a group
/// borrowed from the buffer can be checked while the counters change.
#[derive(Debug, Clone, Copy)]
struct Acc {
    stats: Stats,
    frame_start: u64,
    frame_groups: u16,
    frame_errors: u16,
    in_frame: bool,
    mode: ModeSelect,
}

impl Acc {
    fn error(&mut self, e: ErrorKind) {
        self.stats.tally(e.counter());
        self.frame_errors = self.frame_errors.saturating_add(1);
    }

    fn finish_group<'s>(&mut self, body: &'s [u8], lf_at: u64, parity: bool) -> Event<'s> {
        if parity {
            return self.reject(body, Error::new(ErrorKind::Parity, lf_at + 1));
        }
        if body.len() >= usize::from(u16::MAX) {
            // Only with a group buffer of 64 KiB or more.
            return self.reject(
                body,
                Error::new(ErrorKind::Oversize { capacity: N_MAX }, lf_at + 1),
            );
        }
        self.finish_scanned(body, Scan::of(body), lf_at)
    }

    #[cold]
    fn reject<'s>(&mut self, body: &'s [u8], error: Error) -> Event<'s> {
        let group = Group::split(body, self.mode)
            .ok()
            .filter(|_| matches!(error.kind, ErrorKind::Checksum { .. }));
        self.error(error.kind);
        Event::Invalid {
            error,
            raw: body,
            group,
        }
    }

    #[inline]
    fn finish_scanned<'s>(&mut self, body: &'s [u8], sc: Scan, lf_at: u64) -> Event<'s> {
        match Group::assemble(body, sc, self.mode) {
            Ok(group) if group.checksum_ok() => {
                self.count_valid_group();
                Event::Group {
                    group,
                    offset: lf_at,
                    in_frame: self.in_frame,
                }
            }
            Ok(g) => self.reject(
                body,
                Error::new(
                    ErrorKind::Checksum {
                        expected: g.expected_checksum(),
                        found: g.checksum(),
                    },
                    lf_at + body.len() as u64,
                ),
            ),
            Err(e) => self.reject(body, e.shifted(lf_at + 1)),
        }
    }

    #[inline(always)]
    fn count_valid_group(&mut self) {
        self.stats.groups_valid = self.stats.groups_valid.wrapping_add(1);
        if self.in_frame {
            self.frame_groups = self.frame_groups.saturating_add(1);
        }
    }

    fn end_frame(&mut self, status: FrameStatus, at: u64) -> Out {
        self.in_frame = false;
        let fe = FrameEnd {
            start: self.frame_start,
            end: at,
            status,
            groups: self.frame_groups,
            errors: self.frame_errors,
        };
        let s = &mut self.stats;
        if fe.is_valid() {
            s.frames_valid = s.frames_valid.wrapping_add(1);
        } else {
            s.frames_invalid = s.frames_invalid.wrapping_add(1);
        }
        Out::FrameEnd(fe)
    }
}

/// The streaming TIC decoder.
///
/// `N` is the group buffer capacity: the longest group body (between LF
/// and CR) it can hold; longer groups are reported as
/// [`ErrorKind::Oversize`] and skipped. With the default `N` = 128 the
/// whole decoder is 216 bytes on a 64-bit target (tested), a little less on
/// 32-bit microcontrollers.
///
/// Feed it chunks of any size with [`Decoder::feed`] (callback),
/// [`Decoder::next`] (pull, csv-core style) or [`Decoder::push`] (one byte,
/// e.g. from a UART interrupt). Splitting the input differently never
/// changes the events, only where the group bytes are borrowed from.
///
/// ```
/// use webdyn_tic::{Decoder, Event};
/// let stream = b"\x02\nADCO 030422000048 .\r\nPTEC HP..  \r\x03";
/// let mut dec: Decoder = Decoder::new();
/// let mut labels = Vec::new();
/// let mut valid = false;
/// dec.feed(stream, |ev| match ev {
///     Event::Group { group, .. } => labels.push(group.label_str().to_owned()),
///     Event::FrameEnd(end) => valid = end.is_valid(),
///     _ => {}
/// });
/// assert_eq!(labels, ["ADCO", "PTEC"]);
/// assert!(valid);
/// ```
#[derive(Debug, Clone)]
pub struct Decoder<const N: usize = DEFAULT_GROUP_CAPACITY> {
    buf: [u8; N],
    len: usize,
    offset: u64,
    group_start: u64,
    acc: Acc,
    state: State,
    cfg: Config,
    group_parity: bool,
    hal_parity: bool,
}

impl<const N: usize> Default for Decoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Decoder<N> {
    /// A decoder with the default [`Config`] (auto mode, 7-bit input, groups
    /// inside frames only).
    pub const fn new() -> Self {
        Self::with_config(Config {
            mode: ModeSelect::Auto,
            strip_parity: false,
            groups_outside_frames: false,
            repair_lf: false,
        })
    }

    /// A decoder with the given configuration.
    pub const fn with_config(cfg: Config) -> Self {
        Decoder {
            buf: [0; N],
            len: 0,
            offset: 0,
            group_start: 0,
            acc: Acc {
                stats: Stats {
                    frames_valid: 0,
                    frames_invalid: 0,
                    groups_valid: 0,
                    checksum: 0,
                    format: 0,
                    interrupted: 0,
                    oversize: 0,
                    parity: 0,
                    skipped: 0,
                    lf_repaired: 0,
                },
                frame_start: 0,
                frame_groups: 0,
                frame_errors: 0,
                in_frame: false,
                mode: cfg.mode,
            },
            state: State::Hunt,
            cfg,
            group_parity: false,
            hal_parity: false,
        }
    }

    /// The configuration.
    pub fn config(&self) -> Config {
        self.cfg
    }

    /// The running counters.
    pub fn stats(&self) -> Stats {
        self.acc.stats
    }

    /// The number of bytes consumed so far (the stream offset of the next
    /// byte).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// True while inside a frame (after STX, before its end).
    pub fn in_frame(&self) -> bool {
        self.acc.in_frame
    }

    /// Forgets any partial group or frame and waits for the next STX, for
    /// example after a line idle time-out. Counters and offset are kept.
    pub fn reset(&mut self) {
        self.state = State::Hunt;
        self.len = 0;
        self.acc.in_frame = false;
        self.group_parity = false;
    }

    /// Feeds a chunk and calls `f` with every event it completes.
    pub fn feed(&mut self, mut input: &[u8], mut f: impl FnMut(Event<'_>)) {
        while !input.is_empty() {
            if self.state == State::Between && !self.cfg.strip_parity && !self.hal_parity {
                let n = self.groups_in_place(input, &mut f);
                input = input.get(n..).unwrap_or_default();
                if input.is_empty() {
                    break;
                }
            }
            let (ev, n) = self.next(input);
            if let Some(ev) = ev {
                f(ev);
            }
            input = input.get(n..).unwrap_or_default();
        }
    }

    /// The common case, without the state machine: a run of complete,
    /// valid groups lying wholly in `input`, each handed to `f` straight
    /// from it. Stops at the first byte that is not the LF of such a group
    /// (ETX, a damaged group, a group cut by the end of the chunk) and
    /// returns the bytes consumed; [`Decoder::next`] takes it from there.
    #[inline(always)]
    fn groups_in_place(&mut self, input: &[u8], f: &mut impl FnMut(Event<'_>)) -> usize {
        let mut pos = 0;
        while let Some((&LF, rest)) = input.get(pos..).and_then(<[u8]>::split_first) {
            let Some((group, k)) = fast_group(rest, self.acc.mode, N) else {
                break;
            };
            let offset = self.offset + pos as u64;
            pos += k + 2;
            // Between groups of a frame: `in_frame` is true.
            self.acc.count_valid_group();
            f(Event::Group {
                group,
                offset,
                in_frame: self.acc.in_frame,
            });
        }
        self.offset += pos as u64;
        pos
    }

    /// Feeds one byte and calls `f` with any event it completes (at most
    /// two: a cut group and the frame end, or a frame end and a frame
    /// start).
    pub fn push(&mut self, byte: u8, f: impl FnMut(Event<'_>)) {
        self.feed(&[byte], f);
    }

    /// Like [`Decoder::push`] for a byte that the UART flagged with a
    /// parity (or framing) error: the byte is counted in
    /// [`Stats::parity`] and the group it belongs to is reported invalid.
    pub fn push_flagged(&mut self, byte: u8, parity_error: bool, f: impl FnMut(Event<'_>)) {
        self.hal_parity = parity_error;
        self.feed(&[byte], f);
        self.hal_parity = false;
    }

    /// Records a parity (or framing) error reported by the UART for a byte
    /// it could not deliver: counted in [`Stats::parity`], and the group
    /// being received, if any, will be reported invalid.
    pub fn mark_parity_error(&mut self) {
        self.acc.stats.parity = self.acc.stats.parity.wrapping_add(1);
        if self.state == State::InGroup {
            self.group_parity = true;
        }
    }

    /// Signals the end of the input: a partial group is reported cut and an
    /// open frame ends as [`FrameStatus::Unterminated`]. The decoder then
    /// waits for a new STX.
    pub fn finish(&mut self, mut f: impl FnMut(Event<'_>)) {
        let at = self.offset;
        if self.state == State::InGroup {
            let e = Error::new(ErrorKind::Truncated { byte: 0 }, at);
            self.acc.error(e.kind);
            f(Event::Invalid {
                error: e,
                raw: self.buf.get(..self.len).unwrap_or_default(),
                group: None,
            });
        }
        if self.acc.in_frame {
            self.acc.stats.format = self.acc.stats.format.wrapping_add(1);
            self.acc.frame_errors = self.acc.frame_errors.saturating_add(1);
            if let Out::FrameEnd(fe) = self.acc.end_frame(FrameStatus::Unterminated, at) {
                f(Event::FrameEnd(fe));
            }
        }
        self.state = State::Hunt;
        self.len = 0;
    }

    /// Consumes bytes from `input` up to and including the first one that
    /// completes an event, and returns that event with the number of bytes
    /// consumed. `(None, input.len())` means every byte was consumed and more
    /// input is needed. Call again with the rest of the input.
    ///
    /// ```
    /// use webdyn_tic::{Decoder, Event};
    /// let mut dec: Decoder = Decoder::new();
    /// let mut input: &[u8] = b"\x02\nVTIC\t02\tJ\r\x03";
    /// let mut events = 0;
    /// while !input.is_empty() {
    ///     let (ev, n) = dec.next(input);
    ///     input = &input[n..];
    ///     if let Some(Event::Group { group, .. }) = ev {
    ///         assert_eq!(group.data(), b"02");
    ///     }
    ///     events += usize::from(ev.is_some());
    /// }
    /// assert_eq!(events, 3); // FrameStart, Group, FrameEnd
    /// ```
    #[allow(clippy::should_implement_trait)] // not an Iterator: it takes input
    pub fn next<'s>(&'s mut self, input: &'s [u8]) -> (Option<Event<'s>>, usize) {
        let mut i = 0;
        let fast = !self.cfg.strip_parity && !self.hal_parity;
        while let Some(&b0) = input.get(i) {
            if fast {
                let rest = input.get(i..).unwrap_or_default();
                match self.state {
                    State::Between if b0 == LF => {
                        // Zero-copy: the whole group is in this chunk.
                        let body = rest.get(1..).unwrap_or_default();
                        if let Some((k, sc)) = scan_to_cr(body, N)
                            && let Some(body) = body.get(..k)
                        {
                            let lf_at = self.offset + i as u64;
                            let consumed = i + k + 2;
                            self.offset += consumed as u64;
                            let ev = self.acc.finish_scanned(body, sc, lf_at);
                            return (Some(ev), consumed);
                        }
                    }
                    State::InGroup => {
                        let room = N.saturating_sub(self.len);
                        let window = rest.get(..room).unwrap_or(rest);
                        let run = scan::find_ctrl(window).unwrap_or(window.len());
                        if run > 0 {
                            if let (Some(dst), Some(src)) =
                                (self.buf.get_mut(self.len..self.len + run), rest.get(..run))
                            {
                                dst.copy_from_slice(src);
                            }
                            self.len += run;
                            i += run;
                            continue;
                        }
                    }
                    State::Hunt | State::Skip => {
                        let k = if self.state == State::Skip {
                            if self.cfg.repair_lf {
                                scan::find_any(rest, &[LF, STX, ETX, EOT, 0x0B, 0x0E, 0x0F])
                            } else {
                                scan::find_any(rest, &[LF, STX, ETX, EOT])
                            }
                        } else if self.cfg.groups_outside_frames {
                            if self.cfg.repair_lf {
                                scan::find_any(rest, &[STX, LF, 0x0B, 0x0E, 0x0F])
                            } else {
                                scan::find_any(rest, &[STX, LF])
                            }
                        } else {
                            rest.iter().position(|&b| b == STX)
                        }
                        .unwrap_or(rest.len());
                        if k > 0 {
                            self.acc.stats.skipped = self.acc.stats.skipped.wrapping_add(k as u32);
                            i += k;
                            continue;
                        }
                    }
                    _ => {}
                }
            }
            let (b, perr) = if self.cfg.strip_parity {
                (b0 & 0x7F, b0.count_ones() % 2 == 1 || self.hal_parity)
            } else {
                (b0, self.hal_parity)
            };
            let at = self.offset + i as u64;
            let (out, consumed) = self.step(b, perr, at);
            if consumed {
                i += 1;
            }
            if let Some(out) = out {
                self.offset += i as u64;
                return (Some(self.materialize(out)), i);
            }
        }
        self.offset += i as u64;
        (None, i)
    }

    fn materialize(&mut self, out: Out) -> Event<'_> {
        match out {
            Out::FrameStart(offset) => Event::FrameStart { offset },
            Out::FrameEnd(fe) => Event::FrameEnd(fe),
            Out::GroupReady => {
                let body = self.buf.get(..self.len).unwrap_or_default();
                self.acc
                    .finish_group(body, self.group_start, self.group_parity)
            }
            Out::Invalid(error, with_raw) => Event::Invalid {
                error,
                raw: if with_raw {
                    self.buf.get(..self.len).unwrap_or_default()
                } else {
                    &[]
                },
                group: None,
            },
        }
    }

    fn start_group(&mut self, at: u64) {
        self.state = State::InGroup;
        self.len = 0;
        self.group_start = at;
        self.group_parity = false;
    }

    /// A group whose LF arrived corrupted ([`Config::repair_lf`]).
    fn repaired_group(&mut self, at: u64) {
        self.acc.stats.lf_repaired = self.acc.stats.lf_repaired.wrapping_add(1);
        self.start_group(at);
    }

    fn after_group(&self) -> State {
        if self.acc.in_frame {
            State::Between
        } else {
            State::Hunt
        }
    }

    /// One byte through the state machine. Returns what it produced and
    /// whether the byte was consumed (a byte that both ends something and
    /// starts something else is seen twice).
    fn step(&mut self, b: u8, parity_error: bool, at: u64) -> (Option<Out>, bool) {
        if parity_error {
            self.acc.stats.parity = self.acc.stats.parity.wrapping_add(1);
            if self.state == State::InGroup {
                self.group_parity = true;
            }
        }
        match self.state {
            State::Hunt => match b {
                STX => {
                    self.acc.in_frame = true;
                    self.acc.frame_start = at;
                    self.acc.frame_groups = 0;
                    self.acc.frame_errors = 0;
                    self.state = State::Between;
                    (Some(Out::FrameStart(at)), true)
                }
                LF if self.cfg.groups_outside_frames => {
                    self.start_group(at);
                    (None, true)
                }
                b if self.cfg.groups_outside_frames && self.cfg.repair_lf && is_noisy_lf(b) => {
                    self.repaired_group(at);
                    (None, true)
                }
                _ => {
                    self.acc.stats.skipped = self.acc.stats.skipped.wrapping_add(1);
                    (None, true)
                }
            },
            State::Between => match b {
                LF => {
                    self.start_group(at);
                    (None, true)
                }
                ETX => {
                    self.state = State::Hunt;
                    (Some(self.acc.end_frame(FrameStatus::Complete, at)), true)
                }
                EOT => {
                    self.state = State::Hunt;
                    self.acc.stats.interrupted = self.acc.stats.interrupted.wrapping_add(1);
                    (Some(self.acc.end_frame(FrameStatus::Interrupted, at)), true)
                }
                STX => {
                    // A new frame before this one's ETX: close it, then let
                    // Hunt see the STX again.
                    self.acc.error(ErrorKind::Unexpected { byte: STX });
                    self.state = State::Hunt;
                    (
                        Some(self.acc.end_frame(FrameStatus::Unterminated, at)),
                        false,
                    )
                }
                b if self.cfg.repair_lf && is_noisy_lf(b) => {
                    self.repaired_group(at);
                    (None, true)
                }
                _ => {
                    let e = Error::new(ErrorKind::Unexpected { byte: b }, at);
                    self.acc.error(e.kind);
                    self.state = State::Skip;
                    (Some(Out::Invalid(e, false)), true)
                }
            },
            State::Skip => match b {
                LF | STX | ETX | EOT => {
                    self.state = self.after_group();
                    (None, false)
                }
                b if self.cfg.repair_lf && is_noisy_lf(b) => {
                    self.state = self.after_group();
                    (None, false)
                }
                _ => {
                    self.acc.stats.skipped = self.acc.stats.skipped.wrapping_add(1);
                    (None, true)
                }
            },
            State::InGroup => {
                if b == CR {
                    self.state = self.after_group();
                    return (Some(Out::GroupReady), true);
                }
                if b < 0x20 && b != scan::HT {
                    let e = Error::new(ErrorKind::Truncated { byte: b }, at);
                    self.acc.error(e.kind);
                    return if matches!(b, LF | STX | ETX | EOT) {
                        self.state = self.after_group();
                        (Some(Out::Invalid(e, true)), false)
                    } else {
                        self.state = State::Skip;
                        (Some(Out::Invalid(e, true)), true)
                    };
                }
                match self.buf.get_mut(self.len) {
                    Some(slot) => {
                        *slot = b;
                        self.len += 1;
                        (None, true)
                    }
                    None => {
                        let e = Error::new(ErrorKind::Oversize { capacity: N }, at);
                        self.acc.error(e.kind);
                        self.state = State::Skip;
                        (Some(Out::Invalid(e, true)), true)
                    }
                }
            }
        }
    }
}
