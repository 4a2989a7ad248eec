//! CRC-16/EN-13757: poly 0x3D65, init 0, no reflection, xorout 0xFFFF.
//!
//! The DLL block CRCs are sent most significant byte first; the ELL payload
//! CRC least significant byte first.
//!
//! DLL blocks are 10 to 16 bytes long: a slicing-by-8 loop tuned for them
//! beats the `crc` crate's generic tables there. The tests check it against
//! the `crc` crate's `CRC_16_EN_13757` catalogue entry.

const POLY: u16 = 0x3D65;

/// `TABLES[k][b]`: the CRC register after byte `b` followed by `k` zero
/// bytes (slicing-by-8: eight independent lookups per 8 input bytes).
// Evaluated at compile time only: an out-of-range index would fail the
// build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
const fn tables() -> [[u16; 256]; 8] {
    let mut t = [[0u16; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = (i as u16) << 8;
        let mut k = 0;
        while k < 8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ POLY
            } else {
                c << 1
            };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = (prev << 8) ^ t[0][(prev >> 8) as usize];
            i += 1;
        }
        k += 1;
    }
    t
}

static TABLES: [[u16; 256]; 8] = tables();

#[inline(always)]
fn lookup(k: usize, b: u8) -> u16 {
    TABLES
        .get(k)
        .and_then(|t| t.get(usize::from(b)))
        .copied()
        .unwrap_or(0)
}

/// CRC-16/EN-13757 of `data`.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        if let [b0, b1, b2, b3, b4, b5, b6, b7] = c {
            let [h, l] = crc.to_be_bytes();
            crc = lookup(7, b0 ^ h)
                ^ lookup(6, b1 ^ l)
                ^ lookup(5, *b2)
                ^ lookup(4, *b3)
                ^ lookup(3, *b4)
                ^ lookup(2, *b5)
                ^ lookup(1, *b6)
                ^ lookup(0, *b7);
        }
    }
    for &b in chunks.remainder() {
        crc = (crc << 8) ^ lookup(0, (crc >> 8) as u8 ^ b);
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        // Catalogue check value (spec B3): "123456789" -> 0xC2B7.
        assert_eq!(super::crc16(b"123456789"), 0xC2B7);
    }

    #[test]
    fn agrees_with_the_crc_crate() {
        let reference = crc::Crc::<u16>::new(&crc::CRC_16_EN_13757);
        let mut data = [0u8; 64];
        let mut x = 0x1234_5678u32;
        for len in 0..64 {
            for b in data.iter_mut() {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                *b = (x >> 24) as u8;
            }
            assert_eq!(super::crc16(&data[..len]), reference.checksum(&data[..len]));
        }
    }
}
