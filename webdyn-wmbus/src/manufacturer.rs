//! The manufacturer field (M): three letters packed in 15 bits (FLAG codes).

/// Turns the 16-bit manufacturer field into its three FLAG letters
/// (5 bits each, 'A' = 1).
///
/// Bit 15 is not part of the letters (Apator sends `0x8614`, "APT" with bit
/// 15 set) and is ignored here; keep the raw field for filters.
pub fn manufacturer_code(m: u16) -> [u8; 3] {
    let letter = |shift: u16| b'@' + ((m >> shift) & 0x1F) as u8;
    [letter(10), letter(5), letter(0)]
}

/// The field for three upper-case letters `A`–`Z`, or `None` for anything else.
pub fn manufacturer_field(code: [u8; 3]) -> Option<u16> {
    code.iter().try_fold(0u16, |acc, &c| {
        c.is_ascii_uppercase()
            .then(|| (acc << 5) | u16::from(c - b'@'))
    })
}

/// The letters as a `&str` view of `buf` (always ASCII: `@`–`_` range).
pub fn manufacturer_str(m: u16, buf: &mut [u8; 3]) -> &str {
    *buf = manufacturer_code(m);
    core::str::from_utf8(buf).unwrap_or("???")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes() {
        // Spec B5: SAP 0x4C30, DME 0x11A5, ITR 0x2692, APT 0x0614 (and | 0x8000).
        assert_eq!(manufacturer_code(0x4C30), *b"SAP");
        assert_eq!(manufacturer_code(0x11A5), *b"DME");
        assert_eq!(manufacturer_code(0x2692), *b"ITR");
        assert_eq!(manufacturer_code(0x8614), *b"APT");
        assert_eq!(manufacturer_field(*b"AAA"), Some(0x0421));
        assert_eq!(manufacturer_field(*b"ZZZ"), Some(0x6B5A));
        assert_eq!(manufacturer_field(*b"A1A"), None);
    }
}
