//! One information group (`LF label SEP [horodate SEP] data SEP checksum CR`):
//! splitting, checksum verification and emission.

use crate::error::{Error, ErrorKind};
use crate::mode::{Mode, ModeSelect};
use crate::scan::{self, CR, HT, LF, SP};

/// Computes a TIC checksum over `bytes`: the low six bits of their sum,
/// plus 0x20, so the result is in `0x20..=0x5F` (it may be a space).
///
/// Which bytes to pass depends on the mode: historic sums the label, the SP
/// and the data (not the SP before the checksum); standard sums everything
/// from the label through the HT just before the checksum.
///
/// ```
/// assert_eq!(webdyn_tic::checksum(b"IINST 005"), b'\\');
/// assert_eq!(webdyn_tic::checksum(b"PTEC HP.."), b' ');
/// assert_eq!(webdyn_tic::checksum(b"VTIC\t02\t"), b'J');
/// ```
#[inline]
pub fn checksum(bytes: &[u8]) -> u8 {
    (scan::sum(bytes) & 0x3F) + 0x20
}

/// One pass over a group body: the byte sum and where the bytes outside
/// 0x20..=0x7E are (HT separators, or damage).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scan {
    /// Sum of every byte of the body, modulo 256.
    pub(crate) sum: u8,
    /// Positions of the first four non-printable bytes (sorted). Kept
    /// small: this travels with every group.
    pub(crate) special: [u16; 4],
    /// How many non-printable bytes there are (saturating).
    pub(crate) count: u16,
}

impl Scan {
    /// Scans a whole body.
    #[inline]
    pub(crate) fn of(body: &[u8]) -> Scan {
        let mut s = Scan::new();
        for (i, &b) in body.iter().enumerate() {
            s.push(i, b);
        }
        s
    }

    #[inline]
    pub(crate) const fn new() -> Scan {
        Scan {
            sum: 0,
            special: [u16::MAX; 4],
            count: 0,
        }
    }

    #[inline(always)]
    pub(crate) fn push(&mut self, i: usize, b: u8) {
        if !scan::is_printable(b) {
            self.mark(i);
        }
        self.sum = self.sum.wrapping_add(b);
    }

    #[inline(always)]
    pub(crate) fn mark(&mut self, i: usize) {
        if let Some(slot) = self.special.get_mut(usize::from(self.count)) {
            *slot = i as u16;
        }
        self.count = self.count.saturating_add(1);
    }
}

/// Scans a chunk for a complete group body ending in CR, within `limit`
/// bytes: returns the body length and its [`Scan`], or None when another
/// control byte comes first or no CR is in reach.
#[inline]
pub(crate) fn scan_to_cr(rest: &[u8], limit: usize) -> Option<(usize, Scan)> {
    let limit = limit.min(usize::from(u16::MAX) - 2);
    let window = rest.get(..limit.saturating_add(1)).unwrap_or(rest);
    // Locals, not the struct, so the sum stays in a register.
    let mut sum = 0u8;
    let mut special = [u16::MAX; 4];
    let mut count = 0u16;
    for (i, &b) in window.iter().enumerate() {
        if b.wrapping_sub(0x20) > 0x5E {
            if b == CR {
                return Some((
                    i,
                    Scan {
                        sum,
                        special,
                        count,
                    },
                ));
            }
            if b < 0x20 && b != HT {
                return None;
            }
            if let Some(slot) = special.get_mut(usize::from(count)) {
                *slot = i as u16;
            }
            count = count.saturating_add(1);
        }
        sum = sum.wrapping_add(b);
    }
    None
}

/// The decoder's fast path: a complete and valid group (syntax and
/// checksum) at the start of `rest`, the bytes after its LF. Returns the
/// group and its body length (the CR is at that index), or None for
/// anything else (a cut, damaged or oversize group, a wrong checksum), which
/// the caller then hands to the general path to be classified and reported.
///
/// It reads eight bytes at a time: each word's bytes are classified all at
/// once (control, HT, above 0x7E) with byte-lane arithmetic that cannot
/// carry from one byte into the next, and summed into four 16-bit lanes for
/// the checksum. A valid group has no byte above 0x7E and two or three HTs
/// at most, so only HT positions are kept and anything odd bails out.
#[inline(always)]
pub(crate) fn fast_group(
    rest: &[u8],
    select: ModeSelect,
    limit: usize,
) -> Option<(Group<'_>, usize)> {
    let limit = limit.min(usize::from(u16::MAX) - 2);
    let window = rest.get(..limit.saturating_add(1)).unwrap_or(rest);
    let mut lanes = 0u64;
    let mut hts = [0usize; 3];
    let mut nh = 0usize;
    let mut base = 0usize;
    let n = loop {
        let w = match window.get(base..base + 8) {
            Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
            // The window's last few bytes, padded with NULs: a NUL stops
            // the scan like any control byte, which means "no CR in reach".
            _ => {
                let tail = window.get(base..).unwrap_or_default();
                let mut last = [0u8; 8];
                last.get_mut(..tail.len())?.copy_from_slice(tail);
                u64::from_le_bytes(last)
            }
        };
        // Each test adds within the low seven bits of every byte (no carry
        // can cross a byte), then folds bit 7 back in: exact per byte.
        let low7 = w & LOW7;
        let below_space = !((low7 + 0x60 * LO) | w) & HI;
        let x = w ^ (u64::from(HT) * LO);
        let is_ht = !(((x & LOW7) + LOW7) | x) & HI;
        let above_tilde = ((low7 + LO) | w) & HI;
        let stop = below_space & !is_ht;
        let keep = if stop == 0 {
            u64::MAX
        } else {
            (1u64 << (stop.trailing_zeros() & !7)) - 1
        };
        if above_tilde & keep != 0 {
            return None;
        }
        let body = w & keep;
        lanes = (lanes + (body & EVEN) + ((body >> 8) & EVEN)) & EVEN;
        let mut marks = is_ht & keep;
        while marks != 0 {
            *hts.get_mut(nh)? = base + (marks.trailing_zeros() / 8) as usize;
            nh += 1;
            marks &= marks - 1;
        }
        if stop != 0 {
            let p = stop.trailing_zeros() / 8;
            if (w >> (p * 8)) as u8 != CR {
                return None;
            }
            break base + p as usize;
        }
        base += 8;
    };
    let body = window.get(..n)?;
    // Fold the four lanes (each below 256): the top lane of the product
    // is their sum.
    let sum = (lanes.wrapping_mul(0x0001_0001_0001_0001) >> 48) as u8;
    let (&cs, head) = body.split_last()?;
    let (&sep, fields) = head.split_last()?;
    let group = match (sep, nh) {
        (HT, 2 | 3) if select.accepts(Mode::Standard) => {
            let [h0, h1, h2] = hts;
            let last = if nh == 3 { h2 } else { h1 };
            if last != n - 2 || h0 == 0 {
                return None;
            }
            let expected = (sum.wrapping_sub(cs) & 0x3F) + 0x20;
            let (horodate, data) = if nh == 3 {
                (Some(fields.get(h0 + 1..h1)?), fields.get(h1 + 1..)?)
            } else {
                (None, fields.get(h0 + 1..)?)
            };
            Group {
                label: fields.get(..h0)?,
                horodate,
                data,
                meta: Meta::new(Mode::Standard, cs, expected),
            }
        }
        (SP, 0) if select.accepts(Mode::Historic) => {
            let expected = (sum.wrapping_sub(cs).wrapping_sub(sep) & 0x3F) + 0x20;
            let p = fields.iter().position(|&b| b == SP)?;
            if p == 0 {
                return None;
            }
            let (label, data) = fields.split_at(p);
            Group {
                label,
                horodate: None,
                data: data.get(1..).unwrap_or_default(),
                meta: Meta::new(Mode::Historic, cs, expected),
            }
        }
        _ => return None,
    };
    group.checksum_ok().then_some((group, n))
}

// Byte-lane constants for `fast_group`.
const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const EVEN: u64 = 0x00FF_00FF_00FF_00FF;

/// A borrowed view of one group, without its LF and CR.
///
/// Obtained from [`Group::parse`] (checksum verified), [`Group::split`]
/// (syntax only; see [`Group::checksum_ok`]) or [`Group::new`] (for
/// encoding; the checksum is computed). Every field holds printable ASCII
/// (0x20..=0x7E) only, so the `*_str` accessors never fail.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Group<'a> {
    label: &'a [u8],
    horodate: Option<&'a [u8]>,
    data: &'a [u8],
    meta: Meta,
}

/// Mode, received and expected checksum packed in one word, written with
/// one store (separate byte fields cost a store-forwarding stall per group).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Meta(u32);

impl Meta {
    #[inline(always)]
    fn new(mode: Mode, checksum: u8, expected: u8) -> Meta {
        let m = match mode {
            Mode::Historic => 0,
            Mode::Standard => 1,
        };
        Meta(m | u32::from(checksum) << 8 | u32::from(expected) << 16)
    }
}

impl core::fmt::Debug for Group<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Group")
            .field("mode", &self.mode())
            .field("label", &self.label_str())
            .field("horodate", &self.horodate_str())
            .field("data", &self.data_str())
            .field("checksum", &char::from(self.checksum()))
            .field("expected", &char::from(self.expected_checksum()))
            .finish()
    }
}

impl<'a> Group<'a> {
    /// Splits a group body (the bytes between LF and CR) and verifies its
    /// checksum. Error offsets count from the first byte of `body`.
    ///
    /// ```
    /// use webdyn_tic::{Group, ModeSelect, Mode};
    /// let g = Group::parse(b"DATE\tE240601120000\t\t.", ModeSelect::Auto)?;
    /// assert_eq!(g.mode(), Mode::Standard);
    /// assert_eq!(g.label(), b"DATE");
    /// assert_eq!(g.horodate(), Some(&b"E240601120000"[..]));
    /// assert_eq!(g.data(), b""); // DATE has an empty data field
    /// # Ok::<(), webdyn_tic::Error>(())
    /// ```
    #[inline]
    pub fn parse(body: &'a [u8], select: ModeSelect) -> Result<Group<'a>, Error> {
        let g = Self::split(body, select)?;
        if !g.checksum_ok() {
            return Err(Error::new(
                ErrorKind::Checksum {
                    expected: g.expected_checksum(),
                    found: g.checksum(),
                },
                body.len().saturating_sub(1) as u64,
            ));
        }
        Ok(g)
    }

    /// Splits a group body into its fields and computes the checksum it
    /// should carry, without rejecting a wrong checksum: for diagnosis, and
    /// for tools that must show a damaged group.
    #[inline]
    pub fn split(body: &'a [u8], select: ModeSelect) -> Result<Group<'a>, Error> {
        // Positions are kept in 16 bits; real groups are under 128 bytes.
        if body.len() >= usize::from(u16::MAX) {
            return Err(Error::new(
                ErrorKind::Oversize {
                    capacity: usize::from(u16::MAX) - 1,
                },
                0,
            ));
        }
        Self::assemble(body, Scan::of(body), select)
    }

    /// Splits `body` using a [`Scan`] of all its bytes.
    #[inline]
    pub(crate) fn assemble(
        body: &'a [u8],
        scan: Scan,
        select: ModeSelect,
    ) -> Result<Group<'a>, Error> {
        let n = body.len();
        let err = |kind, at: usize| Err(Error::new(kind, at as u64));
        let (Some(&sep), Some(&cs)) = (body.get(n.wrapping_sub(2)), body.get(n.wrapping_sub(1)))
        else {
            return err(ErrorKind::TooShort { len: n }, 0);
        };
        let Some(mode) = Mode::from_separator(sep) else {
            return err(ErrorKind::NoSeparator { byte: sep }, n - 2);
        };
        if !select.accepts(mode) {
            return err(ErrorKind::WrongMode { found: mode }, n - 2);
        }
        let fields = body.get(..n - 2).unwrap_or_default();
        // The checksum covers the label through the data (historic), or
        // through the HT before the checksum (standard).
        let (covered_len, sum) = match mode {
            Mode::Historic => (n - 2, scan.sum.wrapping_sub(cs).wrapping_sub(sep)),
            Mode::Standard => (n - 1, scan.sum.wrapping_sub(cs)),
        };
        let covered = body.get(..covered_len).unwrap_or_default();
        let expected = (sum & 0x3F) + 0x20;
        let special = scan.special.map(usize::from);
        // Control bytes and bytes above 0x7E inside the covered part.
        let count = special.iter().filter(|&&i| i < covered_len).count()
            + if usize::from(scan.count) > special.len() && special[3] < covered_len {
                1
            } else {
                0
            };
        match mode {
            Mode::Historic => {
                // Data may hold SP (PME-PMI), so the label ends at the first
                // SP and the data at the separator before the checksum.
                if count != 0 {
                    return Self::invalid_byte(fields, &[]);
                }
                let Some(p) = fields.iter().position(|&b| b == SP) else {
                    return err(ErrorKind::NoLabelSeparator, 0);
                };
                let (label, rest) = fields.split_at(p);
                if label.is_empty() {
                    return err(ErrorKind::EmptyLabel, 0);
                }
                Ok(Group {
                    label,
                    horodate: None,
                    data: rest.get(1..).unwrap_or_default(),
                    meta: Meta::new(mode, cs, expected),
                })
            }
            Mode::Standard => {
                // `special` holds the HTs (the last one, at n - 2, is the
                // separator before the checksum) unless a bad byte hides
                // among them.
                let [s0, s1, s2, _] = special;
                let (h0, h1, hts) = match count {
                    2 => (s0, usize::MAX, 2),
                    3 => (s0, s1, 3),
                    1 => return err(ErrorKind::NoLabelSeparator, 0),
                    _ => {
                        if let Some((i, &b)) = covered
                            .iter()
                            .enumerate()
                            .find(|&(_, &b)| !scan::is_printable(b) && b != HT)
                        {
                            return Err(Error::new(ErrorKind::InvalidByte { byte: b }, i as u64));
                        }
                        return err(ErrorKind::TooManyFields, s2);
                    }
                };
                let bad_at = if covered.get(h0) != Some(&HT) {
                    Some(h0)
                } else if hts == 3 && covered.get(h1) != Some(&HT) {
                    Some(h1)
                } else {
                    None
                };
                if let Some(at) = bad_at {
                    let byte = covered.get(at).copied().unwrap_or(0);
                    return err(ErrorKind::InvalidByte { byte }, at);
                }
                if h0 == 0 {
                    return err(ErrorKind::EmptyLabel, 0);
                }
                let label = fields.get(..h0).unwrap_or_default();
                let (horodate, data) = if hts == 3 {
                    (
                        fields.get(h0 + 1..h1),
                        fields.get(h1 + 1..).unwrap_or_default(),
                    )
                } else {
                    (None, fields.get(h0 + 1..).unwrap_or_default())
                };
                Ok(Group {
                    label,
                    horodate,
                    data,
                    meta: Meta::new(mode, cs, expected),
                })
            }
        }
    }

    #[cold]
    fn invalid_byte(s: &[u8], allowed: &[u8]) -> Result<Group<'a>, Error> {
        let (at, byte) = s
            .iter()
            .enumerate()
            .find(|&(_, &b)| !scan::is_printable(b) && !allowed.contains(&b))
            .map_or((0, 0), |(i, &b)| (i, b));
        Err(Error::new(ErrorKind::InvalidByte { byte }, at as u64))
    }

    /// Builds a group to encode, computing its checksum.
    ///
    /// The label must be non-empty printable ASCII without the mode's
    /// separator (and without SP in historic mode); the horodate (standard
    /// mode only) and the data must be printable ASCII without HT. Data may
    /// hold spaces in both modes and may be empty.
    ///
    /// ```
    /// use webdyn_tic::{Group, Mode};
    /// let g = Group::new(Mode::Historic, b"PTEC", None, b"HP..")?;
    /// assert_eq!(g.checksum(), b' '); // a space checksum
    /// let mut out = [0u8; 16];
    /// let n = g.emit(&mut out)?;
    /// assert_eq!(&out[..n], b"\nPTEC HP..  \r");
    /// # Ok::<(), webdyn_tic::Error>(())
    /// ```
    pub fn new(
        mode: Mode,
        label: &'a [u8],
        horodate: Option<&'a [u8]>,
        data: &'a [u8],
    ) -> Result<Group<'a>, Error> {
        let bad = |field, byte, at: usize| {
            Err(Error::new(
                ErrorKind::Unencodable { field, byte },
                at as u64,
            ))
        };
        if label.is_empty() {
            return Err(Error::new(ErrorKind::EmptyLabel, 0));
        }
        for (i, &b) in label.iter().enumerate() {
            if !scan::is_printable(b) || (mode == Mode::Historic && b == SP) {
                return bad("label", b, i);
            }
        }
        if let Some(hd) = horodate {
            if mode == Mode::Historic {
                return bad("horodate", SP, 0);
            }
            if let Some((i, &b)) = hd
                .iter()
                .enumerate()
                .find(|(_, b)| !scan::is_printable(**b))
            {
                return bad("horodate", b, i);
            }
        }
        if let Some((i, &b)) = data
            .iter()
            .enumerate()
            .find(|(_, b)| !scan::is_printable(**b))
        {
            return bad("value", b, i);
        }
        let sep = mode.separator();
        let mut s = scan::sum(label)
            .wrapping_add(sep)
            .wrapping_add(scan::sum(data));
        if let Some(hd) = horodate {
            s = s.wrapping_add(scan::sum(hd)).wrapping_add(sep);
        }
        if mode == Mode::Standard {
            s = s.wrapping_add(sep);
        }
        let cs = (s & 0x3F) + 0x20;
        Ok(Group {
            label,
            horodate,
            data,
            meta: Meta::new(mode, cs, cs),
        })
    }

    /// The mode, from the separator before the checksum.
    #[inline]
    pub fn mode(&self) -> Mode {
        if self.meta.0 & 1 == 0 {
            Mode::Historic
        } else {
            Mode::Standard
        }
    }

    /// The label, e.g. `b"PAPP"`.
    #[inline]
    pub fn label(&self) -> &'a [u8] {
        self.label
    }

    /// The label as text.
    pub fn label_str(&self) -> &'a str {
        core::str::from_utf8(self.label).unwrap_or_default()
    }

    /// The horodate field (standard mode), raw; see
    /// [`Horodate::parse`](crate::Horodate::parse).
    #[inline]
    pub fn horodate(&self) -> Option<&'a [u8]> {
        self.horodate
    }

    /// The horodate field as text.
    pub fn horodate_str(&self) -> Option<&'a str> {
        self.horodate
            .map(|h| core::str::from_utf8(h).unwrap_or_default())
    }

    /// The data field exactly as sent (padding spaces kept; may be empty).
    #[inline]
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The data field as text.
    pub fn data_str(&self) -> &'a str {
        core::str::from_utf8(self.data).unwrap_or_default()
    }

    /// The checksum byte as received (or as computed, for a built group).
    #[inline]
    pub fn checksum(&self) -> u8 {
        (self.meta.0 >> 8) as u8
    }

    /// The checksum the covered bytes call for.
    #[inline]
    pub fn expected_checksum(&self) -> u8 {
        (self.meta.0 >> 16) as u8
    }

    /// True when the received checksum is right.
    #[inline]
    pub fn checksum_ok(&self) -> bool {
        self.checksum() == self.expected_checksum()
    }

    /// The length of the encoded group, LF and CR included.
    pub fn encoded_len(&self) -> usize {
        let hd = self.horodate.map_or(0, |h| h.len() + 1);
        1 + self.label.len() + 1 + hd + self.data.len() + 2 + 1
    }

    /// Writes the group (`LF … CR`) into `out`, with the correct checksum
    /// (not the received one), and returns the number of bytes written.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        let needed = self.encoded_len();
        let Some(out) = out.get_mut(..needed) else {
            return Err(Error::new(ErrorKind::BufferTooSmall { needed }, 0));
        };
        let sep = self.mode().separator();
        let mut w = Cursor { out, pos: 0 };
        w.put(&[LF]);
        w.put(self.label);
        w.put(&[sep]);
        if let Some(hd) = self.horodate {
            w.put(hd);
            w.put(&[sep]);
        }
        w.put(self.data);
        w.put(&[sep, self.expected_checksum(), CR]);
        Ok(w.pos)
    }
}

struct Cursor<'o> {
    out: &'o mut [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.out.get_mut(self.pos..self.pos + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        self.pos += bytes.len();
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Group<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Group", 5)?;
        st.serialize_field("mode", &self.mode())?;
        st.serialize_field("label", self.label_str())?;
        st.serialize_field("horodate", &self.horodate_str())?;
        st.serialize_field("value", self.data_str())?;
        st.serialize_field("checksum_ok", &self.checksum_ok())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &[u8]) -> &[u8] {
        s.strip_prefix(b"\n").unwrap().strip_suffix(b"\r").unwrap()
    }

    #[test]
    fn spec_historic_checksums() {
        // tic.md §3.1, every value recomputed by the spec's author.
        for (text, cs) in [
            (&b"IINST 005"[..], b'\\'),
            (b"PTEC HP..", b' '),
            (b"ADCO 030422000048", b'.'),
            (b"OPTARIF HC..", b'<'),
            (b"ISOUSC 30", b'9'),
            (b"HCHC 036395657", b'2'),
            (b"HCHP 039661265", b'9'),
            (b"PTEC HC..", b'S'),
            (b"IINST 011", b'Y'),
            (b"IMAX 031", b'C'),
            (b"PAPP 02570", b'/'),
            (b"HHPHC A", b','),
            (b"MOTDETAT 000000", b'B'),
            (b"IINST1 000", b'H'),
            (b"IINST2 001", b'J'),
            (b"IINST3 001", b'K'),
            (b"IMAX1 033", b'6'),
            (b"IMAX2 039", b'='),
            (b"IMAX3 030", b'5'),
            (b"PMAX 17040", b'2'),
            (b"PAPP 00470", b','),
            (b"PPOT 00", b'#'),
            (b"OPTARIF BBR(", b'S'),
            (b"PTEC HPJB", b'P'),
            (b"DEMAIN BLEU", b'V'),
            (b"BBRHCJR 000025098", b'E'),
        ] {
            assert_eq!(checksum(text), cs, "{}", String::from_utf8_lossy(text));
            let mut b = text.to_vec();
            b.extend_from_slice(&[b' ', cs]);
            let g = Group::parse(&b, ModeSelect::Auto).unwrap();
            assert_eq!(g.mode(), Mode::Historic);
            let sp = text.iter().position(|&c| c == b' ').unwrap();
            assert_eq!(g.label(), &text[..sp]);
            assert_eq!(g.data(), &text[sp + 1..]);
        }
    }

    #[test]
    fn spec_standard_checksums() {
        for (text, cs) in [
            (&b"VTIC\t02\t"[..], b'J'),
            (b"DATE\tH240107175810\t\t", b'E'),
            (b"SMAXSN\tH240107024723\t08611\t", b'='),
            (b"SMAXSN3\tE210718001320\t03250\t", b' '),
            (b"STGE\t013AC401\t", b'R'),
            (b"MSG1\tPAS DE          MESSAGE         \t", b'<'),
            (b"PJOURF+1\t00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE\t", b'.'),
        ] {
            assert_eq!(checksum(text), cs, "{}", String::from_utf8_lossy(text));
            let mut b = text.to_vec();
            b.push(cs);
            let g = Group::parse(&b, ModeSelect::Standard).unwrap();
            assert_eq!(g.mode(), Mode::Standard);
        }
    }

    #[test]
    fn exact_bytes_of_spec_groups() {
        let g = Group::parse(
            body(&[
                0x0A, 0x49, 0x49, 0x4E, 0x53, 0x54, 0x20, 0x30, 0x30, 0x35, 0x20, 0x5C, 0x0D,
            ]),
            ModeSelect::Historic,
        )
        .unwrap();
        assert_eq!((g.label(), g.data()), (&b"IINST"[..], &b"005"[..]));
        let g = Group::parse(
            body(&[
                0x0A, 0x50, 0x54, 0x45, 0x43, 0x20, 0x48, 0x50, 0x2E, 0x2E, 0x20, 0x20, 0x0D,
            ]),
            ModeSelect::Historic,
        )
        .unwrap();
        assert_eq!(
            (g.label(), g.data(), g.checksum()),
            (&b"PTEC"[..], &b"HP.."[..], b' ')
        );
    }

    #[test]
    fn quirks() {
        // 9-character label with a dash; SP season letter; empty DATE value.
        let g = Group::parse(b"DPM2\t 240108060000\t00\t#", ModeSelect::Auto).unwrap();
        assert_eq!(g.horodate(), Some(&b" 240108060000"[..]));
        assert_eq!(g.data(), b"00");
        let g = Group::new(
            Mode::Standard,
            b"SMAXSN1-1",
            Some(b"H240106033725"),
            b"09941",
        )
        .unwrap();
        let mut out = [0u8; 64];
        let n = g.emit(&mut out).unwrap();
        let again = Group::parse(body(&out[..n]), ModeSelect::Auto).unwrap();
        assert_eq!(again, g);
        // Historic data with spaces (PME-PMI).
        let g = Group::new(Mode::Historic, b"MESURES1", None, b"HTA 5").unwrap();
        let n = g.emit(&mut out).unwrap();
        let again = Group::parse(body(&out[..n]), ModeSelect::Historic).unwrap();
        assert_eq!(
            (again.label(), again.data()),
            (&b"MESURES1"[..], &b"HTA 5"[..])
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = Group::parse(b"IINST 006 \\", ModeSelect::Auto).unwrap_err();
        assert_eq!(
            e,
            Error::new(
                ErrorKind::Checksum {
                    expected: b']',
                    found: b'\\'
                },
                10
            )
        );
        let e = Group::parse(b"IINST\x7f005 \\", ModeSelect::Auto).unwrap_err();
        assert_eq!(e, Error::new(ErrorKind::InvalidByte { byte: 0x7f }, 5));
        let e = Group::parse(b"VTIC\t02\tJ", ModeSelect::Historic).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::WrongMode {
                found: Mode::Standard
            }
        );
        let e = Group::parse(b"EAST  0021849106\t.", ModeSelect::Auto).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NoLabelSeparator);
        let e = Group::parse(b"A\tB\tC\tD\tx", ModeSelect::Auto).unwrap_err();
        assert_eq!(e, Error::new(ErrorKind::TooManyFields, 5));
        let e = Group::parse(b"X", ModeSelect::Auto).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooShort { len: 1 });
        let e = Group::parse(b"ABC0x", ModeSelect::Auto).unwrap_err();
        assert_eq!(e, Error::new(ErrorKind::NoSeparator { byte: b'0' }, 3));
        assert!(Group::new(Mode::Historic, b"A B", None, b"1").is_err());
        assert!(Group::new(Mode::Standard, b"A", None, b"1\t2").is_err());
        assert!(Group::new(Mode::Historic, b"A", Some(b"E"), b"1").is_err());
        assert!(Group::new(Mode::Standard, b"", None, b"1").is_err());
    }
}
