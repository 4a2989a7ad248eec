//! # webdyn-files
//!
//! The files Webdyn gateways upload and read: a `no_std` BSON library and the
//! WebdynEasy W M-Bus hub files (BSON + CRC-32 + AES).
//!
//! The core is `no_std` and allocates nothing.
//!
//! ```
//! // zlib's CRC-32 of "123456789" is the standard check value.
//! assert_eq!(webdyn_files::crc32(b"123456789"), 0xCBF4_3926);
//! ```
// Unit tests get std (the harness needs it) for their own assertions; the
// library code they exercise is the same no_std, allocation-free core.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod bson;
pub mod easy;

pub use easy::crc32;
