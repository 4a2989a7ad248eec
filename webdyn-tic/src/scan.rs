//! Byte scanning shared by the decoder and the frame view.
//!
//! Groups are short (about 20 bytes), so the scans work eight bytes at a
//! time on a `u64` and only fall back to single bytes at the tail.

/// Framing control bytes.
pub(crate) const STX: u8 = 0x02;
pub(crate) const ETX: u8 = 0x03;
pub(crate) const EOT: u8 = 0x04;
pub(crate) const LF: u8 = 0x0A;
pub(crate) const CR: u8 = 0x0D;
pub(crate) const HT: u8 = 0x09;
pub(crate) const SP: u8 = 0x20;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Index of the first byte below 0x20 other than HT: the end of a group's
/// printable run (normally its CR).
#[inline]
pub(crate) fn find_ctrl(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(Ok(arr)) = s.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let w = u64::from_le_bytes(arr);
        // Bit 7 of each byte that is < 0x20; exact for the lowest such byte,
        // which is the only one we look at.
        let m = w.wrapping_sub(LO * 0x20) & !w & HI;
        if m == 0 {
            i += 8;
            continue;
        }
        let at = i + (m.trailing_zeros() / 8) as usize;
        match s.get(at) {
            Some(&HT) => i = at + 1,
            Some(_) => return Some(at),
            None => return None,
        }
    }
    while let Some(&b) = s.get(i) {
        if b < 0x20 && b != HT {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// True for the bytes that may appear in a group body besides HT.
#[inline]
pub(crate) const fn is_printable(b: u8) -> bool {
    b >= 0x20 && b <= 0x7E
}

/// The sum of the bytes modulo 256 (enough for a 6-bit checksum, and it
/// vectorises).
#[inline]
pub(crate) fn sum(s: &[u8]) -> u8 {
    s.iter().fold(0u8, |a, &b| a.wrapping_add(b))
}

/// Index of the first byte in `set` (a handful of bytes).
#[inline]
pub(crate) fn find_any(s: &[u8], set: &[u8]) -> Option<usize> {
    s.iter().position(|b| set.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_ctrl_skips_ht_and_finds_cr() {
        assert_eq!(find_ctrl(b"VTIC\t02\tJ\r\n"), Some(9));
        assert_eq!(
            find_ctrl(b"ABCDEFGHIJKLMNOP\t\t\t\t\t\t\t\t\t\x0c"),
            Some(25)
        );
        assert_eq!(find_ctrl(b"ABC"), None);
        assert_eq!(find_ctrl(b"\x80\xff\x7f\x20 ABCDEF\x03"), Some(11));
        for n in 0..20 {
            let mut v = vec![b'A'; n];
            v.push(CR);
            assert_eq!(find_ctrl(&v), Some(n));
        }
    }
}
