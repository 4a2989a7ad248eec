//! Line codes for firmware on raw radios: T-mode 3-out-of-6 and S-mode
//! Manchester. Chips are packed most significant bit first.

use crate::error::{Error, ErrorKind, Result};

/// 3-out-of-6 code word of each nibble (EN 13757-4; every word has three 1s).
pub const CODE_3OF6: [u8; 16] = [
    22, 13, 14, 11, 28, 25, 26, 19, 44, 37, 38, 35, 52, 49, 50, 41,
];

fn nibble_of(code: u8) -> Option<u8> {
    CODE_3OF6
        .iter()
        .position(|&c| c == code)
        .and_then(|p| u8::try_from(p).ok())
}

/// Chip bytes needed for `n` data bytes in 3-out-of-6 (12 chips per byte).
pub const fn len_3of6(n: usize) -> usize {
    (n * 12).div_ceil(8)
}

struct BitWriter<'a> {
    out: &'a mut [u8],
    bit: usize,
}

impl BitWriter<'_> {
    fn push(&mut self, value: u16, bits: usize) {
        for i in (0..bits).rev() {
            let set = (value >> i) & 1 == 1;
            if let Some(b) = self.out.get_mut(self.bit / 8) {
                let mask = 0x80u8 >> (self.bit % 8);
                if set {
                    *b |= mask;
                } else {
                    *b &= !mask;
                }
            }
            self.bit += 1;
        }
    }
}

fn read_bits(chips: &[u8], start: usize, bits: usize) -> u16 {
    (start..start + bits).fold(0u16, |acc, i| {
        let bit = chips.get(i / 8).map_or(0, |b| (b >> (7 - i % 8)) & 1);
        (acc << 1) | u16::from(bit)
    })
}

/// Encodes `data` in 3-out-of-6, high nibble first; unused trailing chips are 0.
pub fn encode_3of6(data: &[u8], out: &mut [u8]) -> Result<usize> {
    let n = len_3of6(data.len());
    let dst = out
        .get_mut(..n)
        .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
    dst.fill(0);
    let mut w = BitWriter { out: dst, bit: 0 };
    for &b in data {
        let hi = CODE_3OF6.get(usize::from(b >> 4)).copied().unwrap_or(0);
        let lo = CODE_3OF6.get(usize::from(b & 0x0F)).copied().unwrap_or(0);
        w.push((u16::from(hi) << 6) | u16::from(lo), 12);
    }
    Ok(n)
}

/// Decodes every whole 12-chip group of `chips`; returns the bytes written.
/// An invalid code word is an error at the chip byte holding its first chip.
pub fn decode_3of6(chips: &[u8], out: &mut [u8]) -> Result<usize> {
    let n = chips.len() * 8 / 12;
    let dst = out
        .get_mut(..n)
        .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
    for (i, d) in dst.iter_mut().enumerate() {
        let mut byte = 0u8;
        for half in 0..2 {
            let start = i * 12 + half * 6;
            let code = (read_bits(chips, start, 6) & 0x3F) as u8;
            let nib = nibble_of(code).ok_or(Error::new(ErrorKind::BadSymbol(code), start / 8))?;
            byte = (byte << 4) | nib;
        }
        *d = byte;
    }
    Ok(n)
}

/// Which chip pair stands for a 1 bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Polarity {
    /// 1 = `10`, 0 = `01` (the convention of common wM-Bus transceivers).
    #[default]
    OneIsHighLow,
    /// 1 = `01`, 0 = `10` (IEEE 802.3).
    OneIsLowHigh,
}

/// Manchester-encodes `data` (2 chips per bit, so 2 chip bytes per byte).
pub fn encode_manchester(data: &[u8], polarity: Polarity, out: &mut [u8]) -> Result<usize> {
    let n = data.len() * 2;
    let dst = out
        .get_mut(..n)
        .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
    for (pair, &b) in dst.chunks_exact_mut(2).zip(data) {
        let mut word = 0u16;
        for i in (0..8).rev() {
            let one = (b >> i) & 1 == 1;
            let chips = match (one, polarity) {
                (true, Polarity::OneIsHighLow) | (false, Polarity::OneIsLowHigh) => 0b10,
                _ => 0b01,
            };
            word = (word << 2) | chips;
        }
        pair.copy_from_slice(&word.to_be_bytes());
    }
    Ok(n)
}

/// Manchester-decodes pairs of chip bytes; `00` or `11` is an error.
pub fn decode_manchester(chips: &[u8], polarity: Polarity, out: &mut [u8]) -> Result<usize> {
    let n = chips.len() / 2;
    let dst = out
        .get_mut(..n)
        .ok_or(Error::new(ErrorKind::BufferTooSmall { needed: n }, 0))?;
    for (i, (d, pair)) in dst.iter_mut().zip(chips.chunks_exact(2)).enumerate() {
        let word = match pair {
            [h, l] => u16::from_be_bytes([*h, *l]),
            _ => 0,
        };
        let mut byte = 0u8;
        for k in (0..8).rev() {
            let chips2 = ((word >> (2 * k)) & 0b11) as u8;
            let one = match (chips2, polarity) {
                (0b10, Polarity::OneIsHighLow) | (0b01, Polarity::OneIsLowHigh) => true,
                (0b01, Polarity::OneIsHighLow) | (0b10, Polarity::OneIsLowHigh) => false,
                _ => {
                    let at = 2 * i + usize::from(k < 4);
                    return Err(Error::new(ErrorKind::BadSymbol(chips2), at));
                }
            };
            byte = (byte << 1) | u8::from(one);
        }
        *d = byte;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_three_ones() {
        for c in CODE_3OF6 {
            assert_eq!(c.count_ones(), 3);
        }
    }

    #[test]
    fn three_of_six_known() {
        // 0x12: nibble 1 -> 001101, nibble 2 -> 001110 (spec B1 table).
        let mut out = [0u8; 2];
        assert_eq!(encode_3of6(&[0x12], &mut out).unwrap(), 2);
        assert_eq!(out, [0b0011_0100, 0b1110_0000]);
        // 0x4F: 011100 101001.
        let mut out = [0u8; 3];
        encode_3of6(&[0x4F, 0x00], &mut out).unwrap();
        assert_eq!(out[0], 0b0111_0010);
        assert_eq!(out[1] >> 4, 0b1001);
        let mut back = [0u8; 2];
        assert_eq!(decode_3of6(&out, &mut back).unwrap(), 2);
        assert_eq!(back, [0x4F, 0x00]);
        // 000000 is no code word.
        assert_eq!(
            decode_3of6(&[0, 0, 0], &mut back).unwrap_err().kind,
            ErrorKind::BadSymbol(0)
        );
    }

    #[test]
    fn manchester_known() {
        let mut out = [0u8; 2];
        encode_manchester(&[0xA5], Polarity::OneIsHighLow, &mut out).unwrap();
        assert_eq!(out, [0x99, 0x66]);
        encode_manchester(&[0xA5], Polarity::OneIsLowHigh, &mut out).unwrap();
        assert_eq!(out, [0x66, 0x99]);
        let mut back = [0u8; 1];
        decode_manchester(&[0x66, 0x99], Polarity::OneIsLowHigh, &mut back).unwrap();
        assert_eq!(back, [0xA5]);
        let e = decode_manchester(&[0x99, 0x67], Polarity::OneIsHighLow, &mut back).unwrap_err();
        assert_eq!(e, Error::new(ErrorKind::BadSymbol(0b11), 1));
    }
}
