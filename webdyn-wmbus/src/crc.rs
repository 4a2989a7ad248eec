//! CRC-16/EN-13757: poly 0x3D65, init 0, no reflection, xorout 0xFFFF.
//!
//! The DLL block CRCs are sent most significant byte first; the ELL payload
//! CRC least significant byte first.
//!
//! DLL blocks are 10 to 16 bytes long. Each is computed with one table
//! lookup per byte, all independent (slicing-by-16): byte `j` of an
//! `n`-byte block indexes the table of "byte followed by `n − 1 − j` zero
//! bytes", and the results are XORed, so there is no chain of dependent
//! lookups inside a block. The tests check it against the `crc` crate's
//! `CRC_16_EN_13757` catalogue entry.

const POLY: u16 = 0x3D65;

/// Bytes per step of [`crc16`]: one DLL block of format A.
const STEP: usize = 16;

/// `TABLES[k][b]`: the CRC register (from zero) after byte `b` followed by
/// `k` zero bytes.
// Evaluated at compile time only: an out-of-range index would fail the
// build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
const fn tables() -> [[u16; 256]; STEP] {
    let mut t = [[0u16; 256]; STEP];
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
    while k < STEP {
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

static TABLES: [[u16; 256]; STEP] = tables();

#[inline(always)]
fn lookup(t: &[u16; 256], b: u8) -> u16 {
    // A `u8` index into 256 entries: the check is compiled out.
    t.get(usize::from(b)).copied().unwrap_or(0)
}

/// The CRC register after the `N` ≤ [`STEP`] bytes of `block`, starting
/// from `crc`. Every byte is an independent lookup; the loop has a constant
/// trip count, so it is unrolled and each table choice is a constant.
#[inline(always)]
fn update<const N: usize>(crc: u16, block: &[u8; N]) -> u16 {
    let [h, l] = crc.to_be_bytes();
    // What is left of the starting register once `N` bytes went through.
    let mut x = match N {
        0 => crc,
        1 => crc << 8,
        _ => 0,
    };
    let mut j = 0;
    while j < N {
        let b = block.get(j).copied().unwrap_or(0);
        let b = match j {
            0 => b ^ h,
            1 => b ^ l,
            _ => b,
        };
        if let Some(t) = TABLES.get(N - 1 - j) {
            x ^= lookup(t, b);
        }
        j += 1;
    }
    x
}

/// CRC-16/EN-13757 of `data`.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    let mut chunks = data.chunks_exact(STEP);
    for c in &mut chunks {
        if let Ok(c) = <&[u8; STEP]>::try_from(c) {
            crc = update(crc, c);
        }
    }
    let mut eights = chunks.remainder().chunks_exact(8);
    for c in &mut eights {
        if let Ok(c) = <&[u8; 8]>::try_from(c) {
            crc = update(crc, c);
        }
    }
    for &b in eights.remainder() {
        crc = update(crc, &[b]);
    }
    !crc
}

/// CRC-16/EN-13757 of up to 16 bytes (the last DLL block of a frame),
/// unrolled for its length.
#[inline]
pub(crate) fn crc16_short(data: &[u8]) -> u16 {
    macro_rules! by_len {
        ($($n:literal)*) => {
            match data.len() {
                $( $n => match <&[u8; $n]>::try_from(data) {
                    Ok(a) => !update(0, a),
                    Err(_) => crc16(data),
                }, )*
                _ => crc16(data),
            }
        };
    }
    by_len!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

/// CRC-16/EN-13757 of a block of `N` bytes, unrolled when `N` ≤ 16 (the
/// DLL blocks: 10 bytes for the first, 16 for the others).
#[inline(always)]
pub(crate) fn crc16_block<const N: usize>(block: &[u8; N]) -> u16 {
    if N > STEP {
        return crc16(block);
    }
    !update(0, block)
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
        let mut long = [0u8; 300];
        for b in long.iter_mut() {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            *b = (x >> 24) as u8;
        }
        for len in [64, 65, 100, 127, 128, 200, 255, 256, 300] {
            assert_eq!(super::crc16(&long[..len]), reference.checksum(&long[..len]));
        }
    }

    #[test]
    fn fixed_blocks_agree() {
        let reference = crc::Crc::<u16>::new(&crc::CRC_16_EN_13757);
        let b: [u8; 16] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xA5);
        let ten: [u8; 10] = core::array::from_fn(|i| b[i]);
        let one = [b[3]];
        assert_eq!(super::crc16_block(&b), reference.checksum(&b));
        assert_eq!(super::crc16_block(&ten), reference.checksum(&ten));
        assert_eq!(super::crc16_block(&one), reference.checksum(&one));
        assert_eq!(super::crc16_block(&[]), reference.checksum(&[]));
        for n in 0..=20 {
            assert_eq!(
                super::crc16_short(&b[..n.min(16)]),
                reference.checksum(&b[..n.min(16)])
            );
        }
        let long = [0x5Au8; 40];
        assert_eq!(super::crc16_short(&long), reference.checksum(&long));
        assert_eq!(super::crc16_block(&long), reference.checksum(&long));
    }
}
