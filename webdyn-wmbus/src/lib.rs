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

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod afl;
pub mod app;
pub mod crc;
pub mod dll;
pub mod ell;
pub mod encode;
pub mod error;
pub mod frame;
pub mod manufacturer;
pub mod phy;
pub mod security;
pub mod telegram;
pub mod tpl;
pub mod wired;

pub use error::{Error, ErrorKind};
pub use manufacturer::{manufacturer_code, manufacturer_field};
