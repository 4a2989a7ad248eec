//! Preamble and sync-word search in raw radio captures (modes S, T, C).
//!
//! A software radio hands over demodulated chips, not frames: a frame
//! starts wherever an alternating `0101…` preamble ends in the sync word of
//! its mode, at any bit position. [`scan`] finds it in a caller buffer of
//! chips (packed most significant bit first, as in [`crate::phy`]) and
//! says which mode and frame format the sync word announces (EN 13757-4):
//!
//! | mode | after the preamble | then | format |
//! |---|---|---|---|
//! | T1 | `0000111101` (10 chips) | 3-out-of-6 data, 12 chips per byte | A |
//! | C1 | `0000111101` then `0101010011001101` (`0x54CD`) | NRZ data, 8 chips per byte | A |
//! | C1 | `0000111101` then `0101010000111101` (`0x543D`) | NRZ data | B |
//! | S1 | `000111011010010110` (18 chips, `0x07696`) | Manchester data, 16 chips per byte | A |
//!
//! T and C share their first sync word; what follows tells them apart
//! (a 3-out-of-6 stream cannot start with `010101`, no code word is `21`).
//! Some meters (Engelmann, reported to wmbusmeters as issue 953) send one
//! stray `0` chip between the preamble and that word: it is accepted and
//! reported ([`Sync::stray_zero`]).
//! [`Sync::decode_frame`] then reads the L field, works out the frame's
//! on-air length and line-decodes it into bytes that
//! [`crate::telegram::decode`] takes as they are (CRCs included).
//!
//! Sans-I/O: nothing is read or buffered here. [`Scan::NotFound`] and
//! [`Scan::NeedMore`] say which chips to keep when the caller refills its
//! buffer.
//!
//! ```
//! use webdyn_wmbus::phy::{self, Polarity};
//! use webdyn_wmbus::syncword::{scan, Mode, Scan};
//! use webdyn_wmbus::frame::Format;
//!
//! // A T1 capture: 12 chip bytes of preamble 0x55, the sync word ending
//! // `…01 0000111101` (0x543D with the preamble's tail: 0x55 0x54 0x3D
//! // covers 8 preamble chips, 0101 0100 0011 1101 the rest), then the
//! // 3-out-of-6 data of a frame whose L is 0x0E and 15 bytes follow.
//! let frame = [0x0E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x2A, 0x00, 0x00, 0x00];
//! let mut crcs = [0u8; 32];
//! let n = webdyn_wmbus::frame::add_crcs(&frame, Format::A, &mut crcs)?;
//! let mut chips = vec![0x55u8; 12];
//! chips.extend_from_slice(&[0x54, 0x3D]);
//! let mut coded = [0u8; 64];
//! let m = phy::encode_3of6(&crcs[..n], &mut coded)?;
//! chips.extend_from_slice(&coded[..m]);
//!
//! let Scan::Found(sync) = scan(&chips, 0, 38) else { panic!() };
//! assert_eq!((sync.mode, sync.format), (Mode::T, Format::A));
//! assert_eq!(sync.data_at, 14 * 8);
//! let mut out = [0u8; 64];
//! let len = sync.decode_frame(&chips, Polarity::default(), &mut out)?;
//! assert_eq!(&out[..len], &crcs[..n]);
//! # Ok::<(), webdyn_wmbus::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{self, Format};
use crate::phy::{CODE_3OF6, Polarity};

/// The radio mode a sync word belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Mode {
    /// S mode: Manchester, 2 chips per bit.
    S,
    /// T mode: 3-out-of-6, 12 chips per byte.
    T,
    /// C mode: NRZ, 1 chip per bit.
    C,
}

impl Mode {
    /// Chips per data byte.
    pub const fn chips_per_byte(self) -> usize {
        match self {
            Mode::S => 16,
            Mode::T => 12,
            Mode::C => 8,
        }
    }
}

/// The T and C sync word with the last 6 preamble chips: `010101 0000111101`.
pub const SYNC_TC: u16 = 0x543D;
/// The T and C sync word alone (10 chips, `0000111101`).
pub const SYNC_T: u16 = 0x03D;
/// The second C-mode word announcing format A.
pub const SYNC_C_A: u16 = 0x54CD;
/// The second C-mode word announcing format B.
pub const SYNC_C_B: u16 = 0x543D;
/// The S-mode sync word (18 chips).
pub const SYNC_S: u32 = 0x07696;

/// The S sync word with the last 6 preamble chips (24 chips).
const S_PATTERN: u32 = (0b01_0101 << 18) | SYNC_S;
/// Preamble chips included in [`SYNC_TC`] and `S_PATTERN`.
const TAIL: usize = 6;
/// The longest run of chips a hit needs after its preamble: a stray 0,
/// the T/C word and the second C word.
const LONGEST: usize = 1 + 10 + 16;

/// A sync word found: where the frame starts and how it is coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Sync {
    /// The mode the sync word belongs to.
    pub mode: Mode,
    /// The frame format it announces.
    pub format: Format,
    /// Chip index of the first chip after the preamble (the sync word).
    pub sync_at: usize,
    /// Chip index of the first data chip (the L field).
    pub data_at: usize,
    /// Alternating preamble chips before the sync word (before the stray
    /// 0 when there is one).
    pub preamble_chips: usize,
    /// One 0 chip sat between the preamble and the T/C sync word.
    pub stray_zero: bool,
}

/// The result of a [`scan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scan {
    /// A sync word with enough preamble before it.
    Found(Sync),
    /// A T/C sync word starts at chip `sync_at`, but the chips after it
    /// end before they tell T from C: keep the chips from
    /// `sync_at` minus the preamble wanted, and scan again with more.
    NeedMore {
        /// Chip index of the sync word.
        sync_at: usize,
    },
    /// No sync word. One may still begin at chip `keep_from` or later
    /// (its preamble included): keep those chips when refilling.
    NotFound {
        /// First chip to keep.
        keep_from: usize,
    },
}

fn bit(chips: &[u8], i: usize) -> u8 {
    chips.get(i / 8).map_or(0, |b| (b >> (7 - i % 8)) & 1)
}

/// `n` ≤ 32 chips from chip `at`, MSB first; chips past the end read as 0.
fn bits(chips: &[u8], at: usize, n: usize) -> u32 {
    (at..at + n).fold(0, |acc, i| (acc << 1) | u32::from(bit(chips, i)))
}

/// Alternating chips ending at chip `end − 1` with a 1.
fn preamble_before(chips: &[u8], end: usize) -> usize {
    (0..end)
        .rev()
        .zip([1u8, 0].into_iter().cycle())
        .take_while(|&(i, want)| bit(chips, i) == want)
        .count()
}

/// Searches `chips` from chip index `from` for the first sync word of mode
/// S, T or C preceded by at least `min_preamble_chips` alternating chips
/// (EN 13757-4 sends at least 38 in T1 and C1, 558 in S1; receivers often
/// accept fewer; at least 6 are always required). The sync word starts at
/// `from` or later; its preamble may lie before.
pub fn scan(chips: &[u8], from: usize, min_preamble_chips: usize) -> Scan {
    let total = chips.len() * 8;
    let mut window = 0u32;
    // `end` is the chip index just after the last chip in `window`.
    for end in from + 1..=total {
        window = (window << 1) | u32::from(bit(chips, end - 1));
        let chips_in = end - from;
        if chips_in >= 24 && window & 0x00FF_FFFF == S_PATTERN {
            let sync_at = end - 18;
            let preamble = preamble_before(chips, sync_at);
            if preamble >= min_preamble_chips {
                return Scan::Found(Sync {
                    mode: Mode::S,
                    format: Format::A,
                    sync_at,
                    data_at: end,
                    preamble_chips: preamble,
                    stray_zero: false,
                });
            }
        }
        if chips_in >= 10 && window & 0x3FF == u32::from(SYNC_T) {
            let sync_at = end - 10;
            // The preamble ends in a 1 right before the word, or before
            // one stray 0.
            let stray_zero = sync_at > 0 && bit(chips, sync_at - 1) == 0;
            let preamble = preamble_before(chips, sync_at - usize::from(stray_zero));
            if preamble < min_preamble_chips.max(TAIL) {
                continue;
            }
            let after = total - end;
            let found = |mode, format, data_at| {
                Scan::Found(Sync {
                    mode,
                    format,
                    sync_at,
                    data_at,
                    preamble_chips: preamble,
                    stray_zero,
                })
            };
            // A 3-out-of-6 stream never starts with 010101.
            if after >= TAIL && bits(chips, end, TAIL) != 0b01_0101 {
                return found(Mode::T, Format::A, end);
            }
            if after < 16 {
                return Scan::NeedMore { sync_at };
            }
            match bits(chips, end, 16) as u16 {
                SYNC_C_A => return found(Mode::C, Format::A, end + 16),
                SYNC_C_B => return found(Mode::C, Format::B, end + 16),
                // 010101 then no C word: not a valid T stream either.
                _ => {}
            }
        }
    }
    let keep = LONGEST + min_preamble_chips.max(TAIL);
    Scan::NotFound {
        keep_from: total.saturating_sub(keep).max(from.min(total)),
    }
}

fn nibble_of(code: u32) -> Option<u8> {
    CODE_3OF6
        .iter()
        .position(|&c| u32::from(c) == code)
        .and_then(|p| u8::try_from(p).ok())
}

impl Sync {
    /// Decodes data byte `i` (0 = the L field) from `chips`.
    fn byte(&self, chips: &[u8], i: usize, polarity: Polarity) -> Result<u8> {
        let per = self.mode.chips_per_byte();
        let at = self.data_at + i * per;
        if at + per > chips.len() * 8 {
            return Err(Error::truncated(
                chips.len(),
                (at + per).div_ceil(8) - chips.len(),
            ));
        }
        let raw = bits(chips, at, per);
        match self.mode {
            Mode::C => Ok(raw as u8),
            Mode::T => {
                let hi = nibble_of(raw >> 6)
                    .ok_or(Error::new(ErrorKind::BadSymbol((raw >> 6) as u8), at / 8))?;
                let lo = nibble_of(raw & 0x3F).ok_or(Error::new(
                    ErrorKind::BadSymbol((raw & 0x3F) as u8),
                    (at + 6) / 8,
                ))?;
                Ok((hi << 4) | lo)
            }
            Mode::S => (0..8).try_fold(0u8, |acc, k| {
                let pair = (raw >> (14 - 2 * k)) & 0b11;
                let one = match (pair, polarity) {
                    (0b10, Polarity::OneIsHighLow) | (0b01, Polarity::OneIsLowHigh) => true,
                    (0b01, Polarity::OneIsHighLow) | (0b10, Polarity::OneIsLowHigh) => false,
                    _ => {
                        return Err(Error::new(
                            ErrorKind::BadSymbol(pair as u8),
                            (at + 2 * k) / 8,
                        ));
                    }
                };
                Ok((acc << 1) | u8::from(one))
            }),
        }
    }

    /// On-air bytes of a frame of this format whose L field is `l`, CRCs
    /// included (format B: L counts them; format A: one CRC per block).
    pub const fn frame_len(&self, l: u8) -> usize {
        match self.format {
            Format::B => l as usize + 1,
            _ => frame::format_a_len(l as usize),
        }
    }

    /// Line-decodes the frame after the sync word into `out` and returns
    /// its length: the L field first, then as many bytes as L announces
    /// for the format ([`Sync::frame_len`]). `polarity` only matters in
    /// S mode. Errors: [`ErrorKind::Truncated`] when `chips` ends before
    /// the frame (scan again with more chips), [`ErrorKind::BadSymbol`] at
    /// the chip byte of an invalid code word, and
    /// [`ErrorKind::BufferTooSmall`].
    pub fn decode_frame(&self, chips: &[u8], polarity: Polarity, out: &mut [u8]) -> Result<usize> {
        let l = self.byte(chips, 0, polarity)?;
        let n = self.frame_len(l);
        let dst = out
            .get_mut(..n)
            .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
        // The last byte first: a capture cut short fails before any work.
        self.byte(chips, n - 1, polarity)?;
        for (i, d) in dst.iter_mut().enumerate() {
            *d = self.byte(chips, i, polarity)?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_the_spec_words() {
        // 0x543D = 010101 + the 10-chip T sync 0x03D.
        assert_eq!(SYNC_TC & 0x3FF, 0x03D);
        assert_eq!(SYNC_TC >> 10, 0b01_0101);
        // 18-chip S sync 00 0111 0110 1001 0110.
        assert_eq!(SYNC_S, 0b00_0111_0110_1001_0110);
        // No 3-out-of-6 word is 010101 (21): T and C never collide.
        assert!(!CODE_3OF6.contains(&0b01_0101));
    }

    #[test]
    fn preamble_counts_alternating_chips() {
        // 0x55 0x55: 16 alternating chips ending in 1.
        assert_eq!(preamble_before(&[0x55, 0x55], 16), 16);
        // 0xF5: 1111 0101 → the run is 0101 plus the 1 before it.
        assert_eq!(preamble_before(&[0xF5], 8), 5);
        assert_eq!(preamble_before(&[0x54], 8), 0);
    }

    #[test]
    fn no_sync_in_silence_or_noise_of_ones() {
        assert_eq!(scan(&[0; 64], 0, 6), Scan::NotFound { keep_from: 479 });
        assert_eq!(scan(&[0xFF; 8], 0, 6), Scan::NotFound { keep_from: 31 });
        assert_eq!(scan(&[], 0, 6), Scan::NotFound { keep_from: 0 });
        // `from` past the end.
        assert_eq!(scan(&[0x55], 100, 6), Scan::NotFound { keep_from: 8 });
    }

    #[test]
    fn t_or_c_needs_the_chips_after_the_first_word() {
        // Preamble, 0x543D, then 010101 (could be C): more chips needed.
        let chips = [0x55, 0x55, 0x54, 0x3D, 0x54];
        assert_eq!(scan(&chips, 0, 16), Scan::NeedMore { sync_at: 22 });
        // Too little preamble: not reported at all.
        assert!(matches!(scan(&chips, 0, 40), Scan::NotFound { .. }));
    }
}
