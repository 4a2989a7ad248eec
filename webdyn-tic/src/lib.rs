//! # webdyn-tic
//!
//! Decoder and encoder for the Enedis *télé-information client* (TIC): the
//! serial output of French electricity meters, in historic and standard
//! (Linky) modes.
//!
//! The core is `no_std` and allocates nothing.
//!
//! ```
//! // The checksum of the historic group "ADCO 030422000048" is `.`.
//! assert_eq!(webdyn_tic::checksum(b"ADCO 030422000048"), b'.');
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

/// Computes a TIC group checksum: the low six bits of the byte sum, plus 0x20.
pub fn checksum(bytes: &[u8]) -> u8 {
    let sum = bytes
        .iter()
        .fold(0u32, |acc, &b| acc.wrapping_add(u32::from(b)));
    ((sum & 0x3F) as u8) + 0x20
}
