//! Standard Base64 (RFC 4648 §4), as the hub configuration writes AES keys
//! and as Extended JSON writes binaries. Small enough to keep the `no_std`
//! core free of another dependency.

#[cfg(feature = "alloc")]
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why a Base64 string could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Base64Error {
    /// A character outside the standard alphabet.
    #[error("invalid Base64 character {ch:?} at position {at}")]
    Character {
        /// Position in the input (whitespace counted).
        at: usize,
        /// The offending character.
        ch: char,
    },
    /// The number of Base64 digits leaves a dangling 6 bits.
    #[error("truncated Base64: {digits} digits is not a whole number of bytes")]
    Length {
        /// The number of digits read.
        digits: usize,
    },
    /// More bytes than the output can hold.
    #[error("Base64 decodes to more than {capacity} bytes")]
    TooLong {
        /// The output capacity.
        capacity: usize,
    },
}

fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes Base64 into `out`, returning the number of bytes written.
///
/// Whitespace (the manual's PDF line breaks) is skipped, `=` padding is
/// optional but ends the data, and the URL-safe `-`/`_` are accepted.
pub fn decode_into(input: &str, out: &mut [u8]) -> Result<usize, Base64Error> {
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut n = 0usize;
    let mut digits = 0usize;
    let mut padded = false;
    for (at, c) in input.bytes().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padded = true;
            continue;
        }
        let v = match value(c) {
            Some(v) if !padded => v,
            _ => {
                let ch = input
                    .get(at..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                return Err(Base64Error::Character { at, ch });
            }
        };
        digits += 1;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let slot = out.get_mut(n).ok_or(Base64Error::TooLong { capacity: n })?;
            *slot = (acc >> bits) as u8;
            n += 1;
        }
    }
    if digits % 4 == 1 {
        return Err(Base64Error::Length { digits });
    }
    Ok(n)
}

/// Decodes Base64 into a vector (see [`decode_into`] for what is accepted).
#[cfg(feature = "alloc")]
pub fn decode(input: &str) -> Result<alloc::vec::Vec<u8>, Base64Error> {
    let mut out = alloc::vec![0u8; input.len() / 4 * 3 + 3];
    let n = decode_into(input, &mut out)?;
    out.truncate(n);
    Ok(out)
}

/// Decodes Base64 that may be several padded strings glued together, as in
/// the manual's whitelist example (erratum E8: `"FIZEsRQABBE=MExBKpkgwAE="`).
#[cfg(feature = "alloc")]
pub fn decode_concatenated(input: &str) -> Result<alloc::vec::Vec<u8>, Base64Error> {
    let mut out = alloc::vec::Vec::new();
    let mut start = 0usize;
    let bytes = input.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'=') {
            let mut end = i;
            while bytes.get(end) == Some(&b'=') {
                end += 1;
            }
            let part = input.get(start..end).unwrap_or_default();
            out.extend_from_slice(&decode(part).map_err(|e| shift(e, start))?);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    let rest = input.get(start..).unwrap_or_default();
    out.extend_from_slice(&decode(rest).map_err(|e| shift(e, start))?);
    Ok(out)
}

#[cfg(feature = "alloc")]
fn shift(e: Base64Error, by: usize) -> Base64Error {
    match e {
        Base64Error::Character { at, ch } => Base64Error::Character { at: at + by, ch },
        other => other,
    }
}

/// Encodes bytes as padded standard Base64.
#[cfg(feature = "alloc")]
pub fn encode(bytes: &[u8]) -> alloc::string::String {
    let mut s = alloc::string::String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digit = |shift: u32| {
            char::from(
                ALPHABET
                    .get(((n >> shift) & 63) as usize)
                    .copied()
                    .unwrap_or(b'A'),
            )
        };
        s.push(digit(18));
        s.push(digit(12));
        s.push(if chunk.len() > 1 { digit(6) } else { '=' });
        s.push(if chunk.len() > 2 { digit(0) } else { '=' });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        // RFC 4648 §10 test vectors.
        let cases: [(&str, &str); 7] = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, b64) in cases {
            #[cfg(feature = "alloc")]
            assert_eq!(encode(plain.as_bytes()), b64);
            let mut buf = [0u8; 8];
            let n = decode_into(b64, &mut buf).unwrap();
            assert_eq!(&buf[..n], plain.as_bytes());
        }
    }

    #[test]
    fn rejects_garbage() {
        let mut buf = [0u8; 8];
        assert_eq!(
            decode_into("Zm9v!", &mut buf),
            Err(Base64Error::Character { at: 4, ch: '!' })
        );
        assert_eq!(
            decode_into("Zm9vY", &mut buf),
            Err(Base64Error::Length { digits: 5 })
        );
        assert!(matches!(
            decode_into("Zm9vYmFyYmF6", &mut buf[..4]),
            Err(Base64Error::TooLong { .. })
        ));
        // Data after padding is not accepted by the strict decoder.
        assert!(decode_into("Zg==Zg==", &mut buf).is_err());
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn glued_strings_of_the_whitelist_example() {
        // Manual §4.2.2.1, first entry: two 8-byte ids in one string.
        let v = decode_concatenated("FIZEsRQABBE=MExBKpkgwAE=").unwrap();
        assert_eq!(v.len(), 16);
        assert_eq!(&v[..2], &[0x14, 0x86]);
        assert_eq!(&v[8..10], &[0x30, 0x4C]);
    }
}
