//! AES-128-CBC encryption of hub files (`*.bson.aes`, manual §4.2.1.2).
//!
//! When `config.security.encryption` is on, the hub encrypts every file with
//! AES-128-CBC under `config.security.key`, a fixed IV ([`FILE_IV`], the same
//! for every file) and PKCS#5 padding, and appends `.aes` to the name. The
//! whole BSON file, CRC included, is the plaintext.
//!
//! Decryption writes into a caller buffer, so it works without `alloc`.
//!
//! ```
//! use webdyn_files::easy::key::{self, FileKey};
//! // The manual's example key, as it appears in the configuration (Base64)
//! // and as printed in hex.
//! let k: FileKey = "RACq94N4BJyrE+5ONQ4oGw==".parse()?;
//! assert_eq!(k, "44:00:AA:F7:83:78:04:9C:AB:13:EE:4E:35:0E:28:1B".parse()?);
//!
//! let file = *b"\x0e\x00\x00\x00\x10crc\x00\x00\x00\x00\x00\x00";
//! let mut sealed = [0u8; 16];
//! let sealed = key::encrypt_into(&k, &file, &mut sealed)?;
//! let mut opened = [0u8; 16];
//! assert_eq!(key::decrypt_into(&k, sealed, &mut opened)?, &file);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use core::str::FromStr;

use aes::Aes128;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};

use super::Error;

/// The IV the hub uses for every file.
pub const FILE_IV: [u8; 16] = [
    0xC0, 0x50, 0x3E, 0xCD, 0xE3, 0xDB, 0x6B, 0x2E, 0x52, 0xF5, 0x9B, 0x95, 0xB6, 0xF1, 0x9B, 0x58,
];

/// The AES block size.
pub const BLOCK: usize = 16;

/// A hub file key: the 16 bytes of `config.security.key`.
///
/// Parsed from Base64 (as in the hub configuration) or hex (32 digits, with
/// or without `:`/space/`-` separators, as the manual prints it). Its `Debug`
/// output does not show the key.
#[derive(Clone, PartialEq, Eq)]
pub struct FileKey([u8; 16]);

impl FileKey {
    /// A key from its 16 bytes.
    pub const fn new(bytes: [u8; 16]) -> Self {
        FileKey(bytes)
    }

    /// The 16 key bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses 32 hex digits; `:`, `-` and whitespace between digits are
    /// ignored.
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        let mut out = [0u8; 16];
        let mut n = 0usize;
        let mut high: Option<u8> = None;
        for (at, c) in s.char_indices() {
            if c == ':' || c == '-' || c.is_whitespace() {
                continue;
            }
            let d = c.to_digit(16).ok_or(KeyError::HexDigit { at, ch: c })? as u8;
            match high.take() {
                None => high = Some(d),
                Some(h) => {
                    let slot = out.get_mut(n).ok_or(KeyError::Length { bytes: n + 1 })?;
                    *slot = (h << 4) | d;
                    n += 1;
                }
            }
        }
        if high.is_some() || n != 16 {
            return Err(KeyError::Length { bytes: n });
        }
        Ok(FileKey(out))
    }

    /// Parses Base64 (24 characters with padding).
    pub fn from_base64(s: &str) -> Result<Self, KeyError> {
        let mut out = [0u8; 17];
        let n = super::base64::decode_into(s, &mut out).map_err(|e| match e {
            super::base64::Base64Error::TooLong { .. } => KeyError::Length { bytes: 17 },
            other => KeyError::Base64(other),
        })?;
        match out.first_chunk::<16>() {
            Some(k) if n == 16 => Ok(FileKey(*k)),
            _ => Err(KeyError::Length { bytes: n }),
        }
    }

    /// Parses hex when the text is 32 hex digits (separators allowed), else
    /// Base64. The two never overlap: 32 hex digits read as Base64 would be
    /// 24 bytes.
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        let digits = s
            .chars()
            .filter(|c| !(*c == ':' || *c == '-' || c.is_whitespace()))
            .count();
        let all_hex = s
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '-' || c.is_whitespace());
        if digits == 32 && all_hex {
            Self::from_hex(s)
        } else {
            Self::from_base64(s)
        }
    }
}

impl FromStr for FileKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        FileKey::parse(s)
    }
}

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey(..)")
    }
}

impl From<[u8; 16]> for FileKey {
    fn from(b: [u8; 16]) -> Self {
        FileKey(b)
    }
}

/// Why a key argument is not an AES-128 key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a hex digit.
    #[error("key: {ch:?} at position {at} is not a hex digit")]
    HexDigit {
        /// Position in the text.
        at: usize,
        /// The character.
        ch: char,
    },
    /// Not Base64.
    #[error("key: {0}")]
    Base64(super::base64::Base64Error),
    /// Not 16 bytes.
    #[error("key: an AES-128 key is 16 bytes, this one is {bytes}{}", if *bytes > 16 { " or more" } else { "" })]
    Length {
        /// The number of bytes decoded.
        bytes: usize,
    },
}

/// The length of the encrypted form of a `plain_len`-byte file: PKCS#5
/// always adds 1 to 16 bytes.
pub const fn encrypted_len(plain_len: usize) -> usize {
    (plain_len / BLOCK + 1) * BLOCK
}

fn cipher_len_ok(len: usize) -> Result<(), Error> {
    if len == 0 || !len.is_multiple_of(BLOCK) {
        Err(Error::CipherLength { len })
    } else {
        Ok(())
    }
}

/// Checks that decrypted bytes look like a BSON document: the length prefix
/// equals the length. A wrong key passes PKCS#5 by chance about once in 256;
/// this catches it.
fn plausible(plain: &[u8]) -> Result<(), Error> {
    let declared = plain
        .first_chunk::<4>()
        .map_or(0, |p| u32::from_le_bytes(*p));
    if usize::try_from(declared).ok() == Some(plain.len()) {
        Ok(())
    } else {
        Err(Error::NotDecryptedBson {
            declared,
            actual: plain.len(),
        })
    }
}

/// Decrypts an encrypted hub file in place; returns the plaintext (a prefix
/// of `buf`).
///
/// Fails on a length that is not whole blocks, on bad padding, or when the
/// plaintext is not a BSON document of its own length — all the signs of a
/// wrong key.
pub fn decrypt_in_place<'b>(key: &FileKey, buf: &'b mut [u8]) -> Result<&'b [u8], Error> {
    cipher_len_ok(buf.len())?;
    let dec = cbc::Decryptor::<Aes128>::new(&key.0.into(), &FILE_IV.into());
    let plain = dec
        .decrypt_padded_mut::<Pkcs7>(buf)
        .map_err(|_| Error::BadPadding)?;
    plausible(plain)?;
    Ok(plain)
}

/// Decrypts an encrypted hub file into `out` (at least as long as the
/// ciphertext); returns the plaintext.
pub fn decrypt_into<'o>(
    key: &FileKey,
    ciphertext: &[u8],
    out: &'o mut [u8],
) -> Result<&'o [u8], Error> {
    cipher_len_ok(ciphertext.len())?;
    let available = out.len();
    let out = out
        .get_mut(..ciphertext.len())
        .ok_or(Error::BufferTooSmall {
            needed: ciphertext.len(),
            available,
        })?;
    out.copy_from_slice(ciphertext);
    decrypt_in_place(key, out)
}

/// Encrypts a hub file into `out` (at least [`encrypted_len`] bytes); returns
/// the ciphertext.
pub fn encrypt_into<'o>(
    key: &FileKey,
    plaintext: &[u8],
    out: &'o mut [u8],
) -> Result<&'o [u8], Error> {
    let needed = encrypted_len(plaintext.len());
    let available = out.len();
    let out = out
        .get_mut(..needed)
        .ok_or(Error::BufferTooSmall { needed, available })?;
    let (head, _) = out
        .split_at_mut_checked(plaintext.len())
        .ok_or(Error::BufferTooSmall { needed, available })?;
    head.copy_from_slice(plaintext);
    let enc = cbc::Encryptor::<Aes128>::new(&key.0.into(), &FILE_IV.into());
    let sealed = enc
        .encrypt_padded_mut::<Pkcs7>(out, plaintext.len())
        .map_err(|_| Error::BufferTooSmall { needed, available })?;
    Ok(sealed)
}

/// Decrypts an encrypted hub file into a new vector.
#[cfg(feature = "alloc")]
pub fn decrypt(key: &FileKey, ciphertext: &[u8]) -> Result<alloc::vec::Vec<u8>, Error> {
    let mut buf = ciphertext.to_vec();
    let n = decrypt_in_place(key, &mut buf)?.len();
    buf.truncate(n);
    Ok(buf)
}

/// Encrypts a hub file into a new vector.
#[cfg(feature = "alloc")]
pub fn encrypt(key: &FileKey, plaintext: &[u8]) -> alloc::vec::Vec<u8> {
    let mut buf = alloc::vec![0u8; encrypted_len(plaintext.len())];
    match encrypt_into(key, plaintext, &mut buf) {
        Ok(sealed) => sealed.to_vec(),
        // The buffer is exactly `encrypted_len`: this cannot fail.
        Err(_) => alloc::vec::Vec::new(),
    }
}
