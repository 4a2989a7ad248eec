//! # webdyn-wmbus
//!
//! Wireless (EN 13757-4, OMS) and wired M-Bus telegrams: link, transport,
//! security and application layers, decoded and encoded.
//!
//! The core is `no_std` and allocates nothing.
//!
//! ```
//! // The manufacturer field 0x2C2D is the FLAG code of Kamstrup, "KAM".
//! assert_eq!(webdyn_wmbus::manufacturer_code(0x2C2D), *b"KAM");
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

pub mod app;

/// Turns the 16-bit manufacturer field into its three FLAG letters
/// (5 bits each, 'A' = 1).
pub fn manufacturer_code(m: u16) -> [u8; 3] {
    let letter = |shift: u16| b'@' + ((m >> shift) & 0x1F) as u8;
    [letter(10), letter(5), letter(0)]
}
