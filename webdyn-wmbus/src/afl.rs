//! Authentication and fragmentation layer (AFL, CI 0x90).
//!
//! `90 AFLL FCL(2, LE) [MCL] [KI(2)] [MCR(4, LE)] [ML(2)] [MAC]`; which
//! optional fields are present is said by FCL bits, the MAC length by the
//! MCL authentication type. The MAC is AES-CMAC over
//! `MCL ‖ MCR ‖ [ML] ‖ TPL…end`, truncated (checked in [`crate::security`]).
//!
//! A message too long for one telegram is sent in fragments, each with an
//! AFL carrying the fragment id and the more-fragments bit; the decoder
//! reports such a telegram's [`Fragment`]
//! ([`crate::telegram::Telegram::fragment`]) and [`Reassembly`] joins the
//! fragments into a caller buffer.
//!
//! The message counter must increase from one telegram of a meter to the
//! next; [`crate::replay::ReplayGuard`] remembers it per meter and rejects
//! replays.

use crate::error::{Error, ErrorKind, Result};

/// The AFL CI.
pub const CI: u8 = 0x90;

/// FCL bit: key information present.
pub const FCL_KI: u16 = 0x0200;
/// FCL bit: MAC present.
pub const FCL_MAC: u16 = 0x0400;
/// FCL bit: message counter present.
pub const FCL_MCR: u16 = 0x0800;
/// FCL bit: message length present.
pub const FCL_ML: u16 = 0x1000;
/// FCL bit: message control present.
pub const FCL_MCL: u16 = 0x2000;
/// FCL bit: more fragments follow.
pub const FCL_MORE: u16 = 0x4000;

/// MAC length for an MCL authentication type (bits 0–3), or `None` when
/// the type is reserved. Type 0 means no MAC.
pub const fn mac_len(at: u8) -> Option<usize> {
    Some(match at & 0x0F {
        0 => 0,
        3 => 2,
        4 => 4,
        5 => 8,
        6 => 12,
        7 => 16,
        8 => 12,
        _ => return None,
    })
}

/// A MAC of up to 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mac {
    /// The bytes; only the first `len` count.
    pub bytes: [u8; 16],
    /// Length (2, 4, 8, 12 or 16).
    pub len: u8,
}

impl Mac {
    /// The significant bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

/// The AFL fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Repr {
    /// Fragmentation control: bits 0–7 fragment id, 0x4000 more fragments
    /// (the presence bits are derived from the fields when emitting).
    pub fcl: u16,
    /// Message control (MCL): bits 0–3 authentication type.
    pub mcl: Option<u8>,
    /// Key information.
    pub ki: Option<u16>,
    /// Message counter (MCR).
    pub mcr: Option<u32>,
    /// Message length (ML).
    pub ml: Option<u16>,
    /// MAC (its length follows the MCL authentication type).
    pub mac: Option<Mac>,
}

impl Repr {
    /// Fragment id (FCL bits 0–7).
    pub const fn fragment_id(&self) -> u8 {
        (self.fcl & 0xFF) as u8
    }
    /// More fragments follow.
    pub const fn more_fragments(&self) -> bool {
        self.fcl & FCL_MORE != 0
    }
    /// Authentication type (MCL bits 0–3; 0 without MCL).
    pub fn auth_type(&self) -> u8 {
        self.mcl.map_or(0, |m| m & 0x0F)
    }
    /// FCL with the presence bits set from the fields.
    pub fn fcl_with_flags(&self) -> u16 {
        let mut f = self.fcl & !(FCL_KI | FCL_MAC | FCL_MCR | FCL_ML | FCL_MCL);
        for (present, bit) in [
            (self.ki.is_some(), FCL_KI),
            (self.mac.is_some(), FCL_MAC),
            (self.mcr.is_some(), FCL_MCR),
            (self.ml.is_some(), FCL_ML),
            (self.mcl.is_some(), FCL_MCL),
        ] {
            if present {
                f |= bit;
            }
        }
        f
    }
    /// Bytes written by [`Repr::emit`], CI included.
    pub fn buffer_len(&self) -> usize {
        4 + usize::from(self.mcl.is_some())
            + if self.ki.is_some() { 2 } else { 0 }
            + if self.mcr.is_some() { 4 } else { 0 }
            + if self.ml.is_some() { 2 } else { 0 }
            + self.mac.map_or(0, |m| usize::from(m.len))
    }
    /// Offset of the MAC from the CI, when present.
    pub fn mac_offset(&self) -> Option<usize> {
        self.mac.map(|m| self.buffer_len() - usize::from(m.len))
    }

    /// Parses an AFL (CI first); returns it and its length.
    pub fn parse(b: &[u8]) -> Result<(Repr, usize)> {
        let [ci, afll, f0, f1, ..] = b else {
            return Err(Error::truncated(b.len(), 4usize.saturating_sub(b.len())));
        };
        if *ci != CI {
            return Err(Error::new(ErrorKind::UnknownCi(*ci), 0));
        }
        let total = 2 + usize::from(*afll);
        if b.len() < total {
            return Err(Error::truncated(b.len(), total - b.len()));
        }
        let fcl = u16::from_le_bytes([*f0, *f1]);
        let body = b.get(..total).unwrap_or(&[]);
        let mut at = 4;
        let mut take = |n: usize| -> Result<&[u8]> {
            let s = body.get(at..at + n).ok_or(Error::new(
                ErrorKind::BadLength {
                    declared: usize::from(*afll),
                    actual: at + n - 2,
                },
                1,
            ))?;
            at += n;
            Ok(s)
        };
        let mut r = Repr {
            fcl,
            ..Repr::default()
        };
        if fcl & FCL_MCL != 0 {
            r.mcl = take(1)?.first().copied();
        }
        if fcl & FCL_KI != 0
            && let [a, b] = take(2)?
        {
            r.ki = Some(u16::from_le_bytes([*a, *b]));
        }
        if fcl & FCL_MCR != 0
            && let [a, b, c, d] = take(4)?
        {
            r.mcr = Some(u32::from_le_bytes([*a, *b, *c, *d]));
        }
        if fcl & FCL_ML != 0
            && let [a, b] = take(2)?
        {
            r.ml = Some(u16::from_le_bytes([*a, *b]));
        }
        if fcl & FCL_MAC != 0 {
            let at_type = r.auth_type();
            let len = match mac_len(at_type) {
                Some(n) if n > 0 => n,
                _ => return Err(Error::new(ErrorKind::UnsupportedMacType(at_type), 4)),
            };
            let s = take(len)?;
            let mut mac = Mac {
                len: (len & 0xFF) as u8,
                ..Mac::default()
            };
            if let Some(d) = mac.bytes.get_mut(..len) {
                d.copy_from_slice(s);
            }
            r.mac = Some(mac);
        }
        if at != total {
            return Err(Error::new(
                ErrorKind::BadLength {
                    declared: usize::from(*afll),
                    actual: at - 2,
                },
                1,
            ));
        }
        Ok((r, total))
    }

    /// Writes the AFL, CI included; returns its length.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize> {
        let n = self.buffer_len();
        if let Some(m) = self.mac
            && (mac_len(self.auth_type()) != Some(usize::from(m.len)) || m.len == 0)
        {
            return Err(Error::new(
                ErrorKind::Invalid("AFL MAC length does not match the MCL authentication type"),
                0,
            ));
        }
        let dst = out
            .get_mut(..n)
            .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
        let mut buf = [0u8; 4 + 1 + 2 + 4 + 2 + 16];
        buf[0] = CI;
        buf[1] = ((n - 2) & 0xFF) as u8;
        buf[2..4].copy_from_slice(&self.fcl_with_flags().to_le_bytes());
        let mut at = 4;
        let mut put = |s: &[u8]| {
            if let Some(d) = buf.get_mut(at..at + s.len()) {
                d.copy_from_slice(s);
            }
            at += s.len();
        };
        if let Some(m) = self.mcl {
            put(&[m]);
        }
        if let Some(k) = self.ki {
            put(&k.to_le_bytes());
        }
        if let Some(c) = self.mcr {
            put(&c.to_le_bytes());
        }
        if let Some(l) = self.ml {
            put(&l.to_le_bytes());
        }
        if let Some(m) = self.mac {
            put(m.as_slice());
        }
        dst.copy_from_slice(buf.get(..n).unwrap_or(&[]));
        Ok(n)
    }
}

/// One fragment of a fragmented message: what follows the AFL of a
/// telegram whose AFL has a fragment id other than 0 or the
/// more-fragments bit (see [`crate::telegram::Telegram::fragment`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fragment<'a> {
    /// Fragment id (FCL bits 0–7).
    pub id: u8,
    /// More fragments follow (FCL bit 14).
    pub more: bool,
    /// The bytes after the AFL: a piece of the message (TPL CI first in
    /// the first fragment).
    pub payload: &'a [u8],
}

impl<'a> Fragment<'a> {
    /// The fragment an AFL announces, with the bytes that follow the AFL;
    /// `None` when the AFL does not fragment (fragment id 0, last).
    pub fn new(afl: &Repr, payload: &'a [u8]) -> Option<Fragment<'a>> {
        (afl.more_fragments() || afl.fragment_id() != 0).then_some(Fragment {
            id: afl.fragment_id(),
            more: afl.more_fragments(),
            payload,
        })
    }
}

/// What [`Reassembly::push`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Progress {
    /// The fragment was stored; more are expected.
    NeedMore {
        /// Fragments stored so far.
        fragments: u8,
        /// Message bytes stored so far.
        len: usize,
    },
    /// That was the last fragment: [`Reassembly::message`] holds the
    /// whole message.
    Complete {
        /// Fragments in the message.
        fragments: u8,
        /// Length of the message.
        len: usize,
    },
}

/// Reassembles the fragments of one AFL-fragmented message into a caller
/// buffer, without allocating (no_std).
///
/// Fragments are pushed in the order they arrive. The first one pushed
/// starts the message, whatever its id; each next one must carry the next
/// id, and the one without the more-fragments bit ends it. A gap, a repeat
/// or a fragment after the last is an error that says which id was
/// expected; [`Reassembly::reset`] starts over. The message is the
/// fragments' payloads in order: the transport layer (CI first) and the
/// application data of the whole message. Decryption and MAC checks of a
/// fragmented message are left to the caller.
///
/// ```
/// use webdyn_wmbus::afl::{Fragment, Progress, Reassembly};
/// let mut buf = [0u8; 64];
/// let mut r = Reassembly::new(&mut buf);
/// let first = Fragment { id: 1, more: true, payload: &[0x78, 0x04, 0x13] };
/// let last = Fragment { id: 2, more: false, payload: &[0x39, 0x30, 0x00, 0x00] };
/// assert_eq!(r.push(&first)?, Progress::NeedMore { fragments: 1, len: 3 });
/// assert_eq!(r.push(&last)?, Progress::Complete { fragments: 2, len: 7 });
/// assert_eq!(r.message(), Some(&[0x78, 0x04, 0x13, 0x39, 0x30, 0x00, 0x00][..]));
/// # Ok::<(), webdyn_wmbus::Error>(())
/// ```
#[derive(Debug)]
pub struct Reassembly<'b> {
    buf: &'b mut [u8],
    len: usize,
    /// Id of the last fragment stored, and how many were stored.
    last: Option<(u8, u8)>,
    complete: bool,
}

impl<'b> Reassembly<'b> {
    /// An empty reassembly writing into `buf` (the whole message must fit).
    pub fn new(buf: &'b mut [u8]) -> Self {
        Reassembly {
            buf,
            len: 0,
            last: None,
            complete: false,
        }
    }

    /// Adds the next fragment. Errors leave the fragments stored so far
    /// untouched; their offset is the message length so far.
    pub fn push(&mut self, fragment: &Fragment<'_>) -> Result<Progress> {
        if self.complete {
            return Err(Error::new(
                ErrorKind::Invalid("AFL fragment after the last one: reset the reassembly first"),
                self.len,
            ));
        }
        let count = match self.last {
            None => 1,
            Some((id, count)) => {
                let expected = id.checked_add(1).ok_or(Error::new(
                    ErrorKind::Invalid("more than 255 AFL fragments"),
                    self.len,
                ))?;
                if fragment.id != expected {
                    return Err(Error::new(
                        ErrorKind::FragmentOutOfOrder {
                            expected,
                            found: fragment.id,
                        },
                        self.len,
                    ));
                }
                count.saturating_add(1)
            }
        };
        let end = self.len + fragment.payload.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(Error::new(
            ErrorKind::BufferTooSmall { needed: end },
            self.len,
        ))?;
        dst.copy_from_slice(fragment.payload);
        self.len = end;
        self.last = Some((fragment.id, count));
        self.complete = !fragment.more;
        Ok(if self.complete {
            Progress::Complete {
                fragments: count,
                len: end,
            }
        } else {
            Progress::NeedMore {
                fragments: count,
                len: end,
            }
        })
    }

    /// The whole message, once its last fragment was pushed.
    pub fn message(&self) -> Option<&[u8]> {
        if self.complete {
            self.buf.get(..self.len)
        } else {
            None
        }
    }

    /// The fragment id the next push must carry (`None` before the first).
    pub fn expected_id(&self) -> Option<u8> {
        match self.last {
            Some((id, _)) if !self.complete => id.checked_add(1),
            _ => None,
        }
    }

    /// Forgets every fragment (after an error, or to reuse the buffer).
    pub fn reset(&mut self) {
        self.len = 0;
        self.last = None;
        self.complete = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example() {
        // Spec B6: 90 0F 002C 25 BC9E0000 BF48954821BC508D
        let b = [
            0x90, 0x0F, 0x00, 0x2C, 0x25, 0xBC, 0x9E, 0x00, 0x00, 0xBF, 0x48, 0x95, 0x48, 0x21,
            0xBC, 0x50, 0x8D, 0x72,
        ];
        let (r, n) = Repr::parse(&b).unwrap();
        assert_eq!(n, 17);
        assert_eq!(r.fcl, 0x2C00);
        assert_eq!(r.mcl, Some(0x25));
        assert_eq!(r.auth_type(), 5);
        assert_eq!(r.mcr, Some(0x9EBC));
        assert_eq!(r.mac.unwrap().as_slice(), &b[9..17]);
        assert_eq!((r.fragment_id(), r.more_fragments()), (0, false));
        let mut out = [0u8; 17];
        assert_eq!(r.emit(&mut out).unwrap(), 17);
        assert_eq!(out[..], b[..17]);
        // AFLL one short of its fields.
        let mut bad = b;
        bad[1] = 0x0E;
        assert!(Repr::parse(&bad).is_err());
    }

    fn frag(id: u8, more: bool, payload: &[u8]) -> Fragment<'_> {
        Fragment { id, more, payload }
    }

    #[test]
    fn fragment_of_an_afl() {
        let mut r = Repr::default();
        assert_eq!(Fragment::new(&r, &[1]), None);
        r.fcl = FCL_MORE | 1;
        assert_eq!(Fragment::new(&r, &[1]), Some(frag(1, true, &[1])));
        r.fcl = 3;
        assert_eq!(Fragment::new(&r, &[]), Some(frag(3, false, &[])));
    }

    #[test]
    fn reassembly_in_order_and_errors() {
        let mut buf = [0u8; 8];
        let mut r = Reassembly::new(&mut buf);
        assert_eq!(r.expected_id(), None);
        assert_eq!(
            r.push(&frag(4, true, &[1, 2])).unwrap(),
            Progress::NeedMore {
                fragments: 1,
                len: 2
            }
        );
        assert_eq!(r.expected_id(), Some(5));
        assert_eq!(r.message(), None);
        // A gap and a repeat are located errors; nothing is stored.
        let e = r.push(&frag(6, true, &[9])).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::FragmentOutOfOrder {
                expected: 5,
                found: 6
            }
        );
        assert_eq!(e.offset, 2);
        let e = r.push(&frag(4, true, &[9])).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::FragmentOutOfOrder {
                expected: 5,
                found: 4
            }
        );
        assert_eq!(
            r.push(&frag(5, true, &[3, 4, 5])).unwrap(),
            Progress::NeedMore {
                fragments: 2,
                len: 5
            }
        );
        // Too big for the buffer.
        let e = r.push(&frag(6, false, &[6, 7, 8, 9])).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BufferTooSmall { needed: 9 });
        assert_eq!(
            r.push(&frag(6, false, &[6, 7, 8])).unwrap(),
            Progress::Complete {
                fragments: 3,
                len: 8
            }
        );
        assert_eq!(r.message(), Some(&[1, 2, 3, 4, 5, 6, 7, 8][..]));
        assert_eq!(r.expected_id(), None);
        // After the last fragment: an error until reset.
        assert!(r.push(&frag(7, false, &[1])).is_err());
        r.reset();
        assert_eq!(r.message(), None);
        assert_eq!(
            r.push(&frag(0, false, &[7])).unwrap(),
            Progress::Complete {
                fragments: 1,
                len: 1
            }
        );
        // Id 255 cannot be followed.
        r.reset();
        r.push(&frag(255, true, &[1])).unwrap();
        assert!(r.push(&frag(0, false, &[2])).is_err());
    }
}
