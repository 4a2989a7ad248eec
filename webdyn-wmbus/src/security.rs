//! Keys and the cryptography of security modes 5 and 7 and ELL mode 1.
//!
//! * Mode 5: AES-128-CBC, IV = M ‖ A ‖ ACC × 8, static key.
//! * Mode 7 (OMS): keys derived per message by KDF-A,
//!   `K = AES-CMAC(K_master, DC ‖ MCR ‖ ID ‖ 07 × 7)` with DC 0x00 for K_enc
//!   and 0x01 for K_mac; AES-128-CBC with a zero IV; AFL MAC by AES-CMAC.
//! * ELL mode 1: AES-128-CTR (see [`crate::ell::counter_block`]).
//!
//! Keys are zeroized when dropped; MACs are compared in constant time.

use aes::{Aes128Dec, Aes128Enc};
use cipher::{BlockDecrypt, BlockEncryptMut, KeyInit, KeyIvInit, StreamCipher};
use cmac::Mac as _;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, ErrorKind, Result};

/// An AES-128 key. Wiped from memory when dropped; its `Debug` output
/// hides the bytes and `==` compares in constant time.
#[derive(Clone)]
pub struct Key([u8; 16]);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }
}

impl Eq for Key {}

impl Key {
    /// A key from its 16 bytes.
    pub const fn new(bytes: [u8; 16]) -> Key {
        Key(bytes)
    }
    /// Parses 32 hex digits (either case).
    pub fn from_hex(s: &str) -> Result<Key> {
        let b = s.as_bytes();
        if b.len() != 32 {
            return Err(Error::new(
                ErrorKind::Invalid("a key is 32 hex digits"),
                b.len().min(32),
            ));
        }
        let mut k = [0u8; 16];
        for (i, (slot, pair)) in k.iter_mut().zip(b.chunks_exact(2)).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16);
            match pair {
                [h, l] => match (digit(*h), digit(*l)) {
                    (Some(h), Some(l)) => *slot = ((h << 4) | l) as u8,
                    _ => {
                        k.zeroize();
                        return Err(Error::new(
                            ErrorKind::Invalid("not a hex digit in key"),
                            2 * i,
                        ));
                    }
                },
                _ => {
                    return Err(Error::new(
                        ErrorKind::Invalid("a key is 32 hex digits"),
                        2 * i,
                    ));
                }
            }
        }
        Ok(Key(k))
    }
    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for Key {}

/// Where the decoder finds the key of a meter.
///
/// `manufacturer` and `id` identify the meter: those of the TPL long header
/// when there is one, else those of the link layer (the decoder asks for the
/// link-layer address as a second try).
pub trait KeyProvider {
    /// The key of meter `id` (the printed identification, see
    /// [`crate::dll::Address::id`]) of `manufacturer`, if known.
    fn key(&self, manufacturer: u16, id: u32) -> Option<&Key>;
}

/// No keys at all: encrypted telegrams are reported as such.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKeys;

impl KeyProvider for NoKeys {
    fn key(&self, _: u16, _: u32) -> Option<&Key> {
        None
    }
}

/// One key used for every meter.
impl KeyProvider for Key {
    fn key(&self, _: u16, _: u32) -> Option<&Key> {
        Some(self)
    }
}

/// A static table: `(id, key)` pairs, searched linearly (no_std, no alloc).
impl KeyProvider for [(u32, Key)] {
    fn key(&self, _: u16, id: u32) -> Option<&Key> {
        self.iter().find(|(i, _)| *i == id).map(|(_, k)| k)
    }
}

impl<const N: usize> KeyProvider for [(u32, Key); N] {
    fn key(&self, m: u16, id: u32) -> Option<&Key> {
        self.as_slice().key(m, id)
    }
}

impl<K: KeyProvider + ?Sized> KeyProvider for &K {
    fn key(&self, m: u16, id: u32) -> Option<&Key> {
        (**self).key(m, id)
    }
}

/// Keys by meter id, with an optional key for every other meter.
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, Default)]
pub struct KeyMap {
    /// Per-meter keys.
    pub by_id: alloc::collections::BTreeMap<u32, Key>,
    /// Key used for meters not in `by_id`.
    pub default: Option<Key>,
}

#[cfg(feature = "alloc")]
impl KeyMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds the key of meter `id`.
    pub fn insert(&mut self, id: u32, key: Key) {
        self.by_id.insert(id, key);
    }
}

#[cfg(feature = "alloc")]
impl KeyProvider for KeyMap {
    fn key(&self, _: u16, id: u32) -> Option<&Key> {
        self.by_id.get(&id).or(self.default.as_ref())
    }
}

/// AES-CMAC of the concatenation of `parts`.
pub fn cmac(key: &Key, parts: &[&[u8]]) -> [u8; 16] {
    let mut mac = <cmac::Cmac<Aes128Enc> as KeyInit>::new(key.as_bytes().into());
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// KDF-A direction constant: encryption key, meter to other.
pub const DC_ENC_FROM_METER: u8 = 0x00;
/// KDF-A direction constant: MAC key, meter to other.
pub const DC_MAC_FROM_METER: u8 = 0x01;

/// OMS KDF-A: `AES-CMAC(master, dc ‖ mcr ‖ id ‖ 07 × 7)`.
pub fn derive_key(master: &Key, dc: u8, mcr: u32, id: u32) -> Key {
    let mut input = [0x07u8; 16];
    input[0] = dc;
    input[1..5].copy_from_slice(&mcr.to_le_bytes());
    input[5..9].copy_from_slice(&id.to_le_bytes());
    Key(cmac(master, &[&input]))
}

/// The mode-5 IV: M ‖ A (on-air order) ‖ ACC × 8.
pub fn mode5_iv(m_and_a: &[u8; 8], access_number: u8) -> [u8; 16] {
    let mut iv = [access_number; 16];
    iv[..8].copy_from_slice(m_and_a);
    iv
}

fn whole_blocks(buf: &[u8]) -> Result<()> {
    if buf.len().is_multiple_of(16) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::BadCipherLength { len: buf.len() }, 0))
    }
}

/// AES-128-CBC decryption in place (`buf` a multiple of 16 bytes).
///
/// The CBC chaining is done here around the block cipher: a
/// `cbc::Decryptor` would move the whole key schedule (704 bytes) into
/// itself, a `memcpy` per telegram.
pub fn cbc_decrypt(key: &Key, iv: &[u8; 16], buf: &mut [u8]) -> Result<()> {
    whole_blocks(buf)?;
    let cipher = Aes128Dec::new(key.as_bytes().into());
    let mut prev = *iv;
    for block in buf.chunks_exact_mut(16) {
        if let Ok(b) = <&mut [u8; 16]>::try_from(block) {
            let ct = *b;
            cipher.decrypt_block(b.into());
            *b = (u128::from_ne_bytes(*b) ^ u128::from_ne_bytes(prev)).to_ne_bytes();
            prev = ct;
        }
    }
    Ok(())
}

/// AES-128-CBC encryption in place (`buf` a multiple of 16 bytes).
pub fn cbc_encrypt(key: &Key, iv: &[u8; 16], buf: &mut [u8]) -> Result<()> {
    whole_blocks(buf)?;
    let mut enc = cbc::Encryptor::<Aes128Enc>::new(key.as_bytes().into(), iv.into());
    for block in buf.chunks_exact_mut(16) {
        enc.encrypt_block_mut(block.into());
    }
    Ok(())
}

/// AES-128-CTR keystream applied in place (encrypts and decrypts); the
/// whole 16-byte counter block counts as one big-endian integer.
pub fn ctr_apply(key: &Key, counter: &[u8; 16], buf: &mut [u8]) {
    let mut c = ctr::Ctr128BE::<Aes128Enc>::new(key.as_bytes().into(), counter.into());
    c.apply_keystream(buf);
}

/// Compares a received (truncated) MAC with a computed one in constant time.
pub fn mac_matches(received: &[u8], computed: &[u8; 16]) -> bool {
    match computed.get(..received.len()) {
        Some(c) if !received.is_empty() => bool::from(c.ct_eq(received)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex16(s: &str) -> [u8; 16] {
        *Key::from_hex(s).unwrap().as_bytes()
    }

    #[test]
    fn cmac_rfc4493() {
        let k = Key::from_hex("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        assert_eq!(cmac(&k, &[]), hex16("bb1d6929e95937287fa37d129b756746"));
        assert_eq!(
            cmac(&k, &[&hex16("6bc1bee22e409f96e93d7e117393172a")]),
            hex16("070a16b46b4d4144f79bdd9dd04a287c")
        );
    }

    #[test]
    fn amber_mode5_block() {
        // Spec B10 (Amber AMB8426-M manual): key 00..0F, IV from M/A/ACC.
        let key = Key::new(core::array::from_fn(|i| i as u8));
        let iv = mode5_iv(&[0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03], 0x35);
        assert_eq!(
            iv,
            hex16("a205785634120003353535353535353535"[..32].as_ref())
        );
        let mut ct = hex16("1e34c77cfe6c59b154b663297fe6c3f7");
        cbc_decrypt(&key, &iv, &mut ct).unwrap();
        assert_eq!(
            ct,
            hex16(
                "2f2f007c08545345542043 4e452f2f2f"
                    .replace(' ', "")
                    .as_str()
            )
        );
        cbc_encrypt(&key, &iv, &mut ct).unwrap();
        assert_eq!(ct, hex16("1e34c77cfe6c59b154b663297fe6c3f7"));
    }

    #[test]
    fn cbc_decrypt_agrees_with_the_cbc_crate() {
        use cipher::BlockDecryptMut;
        let key = Key::new(core::array::from_fn(|i| (i as u8).wrapping_mul(29) ^ 0x5C));
        let iv: [u8; 16] = core::array::from_fn(|i| (i as u8).wrapping_mul(7));
        let data: [u8; 160] = core::array::from_fn(|i| (i as u8).wrapping_mul(13) ^ 0xA7);
        for blocks in 0..=10 {
            let mut ours = data;
            let ours = &mut ours[..16 * blocks];
            cbc_decrypt(&key, &iv, ours).unwrap();
            let mut reference = data;
            let mut dec = cbc::Decryptor::<Aes128Dec>::new(key.as_bytes().into(), (&iv).into());
            for b in reference[..16 * blocks].chunks_exact_mut(16) {
                dec.decrypt_block_mut(b.into());
            }
            assert_eq!(ours, &reference[..16 * blocks]);
            cbc_encrypt(&key, &iv, ours).unwrap();
            assert_eq!(ours, &data[..16 * blocks]);
        }
        assert!(cbc_decrypt(&key, &iv, &mut [0u8; 15]).is_err());
    }

    #[test]
    fn key_hex_and_debug() {
        // The test harness has std even when the crate is built without it.
        extern crate std;
        use std::format;
        assert!(Key::from_hex("00").is_err());
        assert!(Key::from_hex("zz0102030405060708090a0b0c0d0e0f").is_err());
        assert_eq!(format!("{:?}", Key::new([7; 16])), "Key(..)");
        assert!(mac_matches(
            &[1, 2],
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
        ));
        assert!(!mac_matches(
            &[1, 3],
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
        ));
    }
}
