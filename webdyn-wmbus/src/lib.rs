//! # webdyn-wmbus
//!
//! Wireless (EN 13757-4, OMS) and wired (EN 13757-2) M-Bus telegrams: link,
//! transport, security and application layers, decoded and encoded. Built
//! for the raw frames the WebdynEasy W M-Bus hub stores (CRCs removed, L
//! possibly rewritten) as much as for frames straight off a receiver.
//!
//! The core is `no_std` and allocates nothing: every decoder works on
//! borrowed bytes and writes into a buffer the caller owns.
//!
//! ```
//! use webdyn_wmbus::frame::FormatHint;
//! use webdyn_wmbus::security::Key;
//! use webdyn_wmbus::telegram::{decode, SecurityState};
//! use webdyn_wmbus::{app::Records, manufacturer_code};
//!
//! // EN 13757-4 example of the Amber AMB8426-M manual: security mode 5,
//! // key 00 01 … 0F, CRCs already stripped (as the hub stores it).
//! let frame = [
//!     0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05,
//!     0x1E, 0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F, 0xE6, 0xC3, 0xF7,
//! ];
//! // A static (id, key) table: no allocation needed.
//! let keys = [(0x1234_5678, Key::new(core::array::from_fn(|i| i as u8)))];
//! let mut buf = [0u8; 64];
//! let t = decode(&frame, FormatHint::Auto, &keys[..], &mut buf)?;
//! let dll = t.dll().unwrap();
//! assert_eq!(manufacturer_code(dll.manufacturer), *b"AMB");
//! assert_eq!(format!("{:08X}", dll.address.id), "12345678");
//! assert_eq!(t.security.state, SecurityState::Decrypted);
//! assert_eq!(&t.apl()[..2], &[0x2F, 0x2F]); // verified plaintext
//! for record in Records::new(t.apl()) {
//!     let _ = record; // DIF/VIF records, see `app`
//! }
//! // A wrong key is an error, never garbage:
//! let wrong = [(0x1234_5678, Key::new([0xAA; 16]))];
//! assert!(decode(&frame, FormatHint::Auto, &wrong[..], &mut buf).is_err());
//! # Ok::<(), webdyn_wmbus::Error>(())
//! ```
//!
//! ## Modules, one per concept
//!
//! | module | what |
//! |---|---|
//! | [`frame`] | formats A and B: CRC check and strip, CRC add, A/B/stripped detection, the hub's rewritten L |
//! | [`crc`] | CRC-16/EN-13757 |
//! | [`dll`] | data link layer: L, C (named functions), M, A (id, version, device type names) |
//! | [`ell`] | extended link layer (CI 0x8C–0x8F), AES-128-CTR counter block |
//! | [`afl`] | authentication and fragmentation layer (CI 0x90): FCL, MCL, counter, MAC; reassembly of fragmented messages ([`afl::Reassembly`]) |
//! | [`tpl`] | transport layer: CI table, none/short/long headers ([`tpl::LongHeader`]), status, configuration field |
//! | [`security`] | [`security::Key`] (zeroized), [`security::KeyProvider`], AES-CBC/CTR, AES-CMAC, KDF-A |
//! | [`telegram`] | the whole receive path: [`telegram::decode`] |
//! | [`replay`] | replay protection: [`replay::ReplayGuard`], the last AFL message counter (or access number) accepted per meter, heap-free |
//! | [`encode`] | the transmit path: [`encode::encode`] (modes 5 and 7, AFL MAC, ELL CTR, A/B CRCs) |
//! | [`wired`] | wired M-Bus: `E5`, short frame, long/control frame |
//! | [`phy`] | T-mode 3-out-of-6 and S-mode Manchester line codes |
//! | [`syncword`] | preamble and sync-word search in raw chip captures (modes S, T, C; format A/B from the C sync word), frame line-decoding |
//! | [`stream`] | wired frames from a byte stream: `tokio-util` codec, `embedded-io` reader |
//! | [`app`] | application layer: DIF/VIF records; compact frames (CI 0x79/0x7B/0x73) decoded with the formats a heap-free [`app::FormatCache`] learned from full frames ([`app::compact`]) |
//! | [`error`] | [`Error`]: what went wrong, at which byte |
//!
//! Security: mode 5 (AES-128-CBC, IV from M, A, access number), mode 7 (OMS
//! KDF-A keys, zero IV, AFL AES-CMAC checked in constant time), ELL mode 1
//! (AES-128-CTR, checked by the payload CRC). Decryption is always verified;
//! modes 1–4, 6 and 8–31 are reported as unsupported, and telegrams stored
//! already decrypted (2F 2F while the header says encrypted) are recognised.
//!
//! ## Features
//!
//! * `std` (default): implies `alloc`; `std::error::Error` for the errors.
//! * `alloc`: [`security::KeyMap`], a key map by meter id.
//! * `serde`: `Serialize`/`Deserialize` on the `Repr` types.
//! * `tokio`: `stream::WiredCodec`, a `tokio-util` codec for wired M-Bus.
//! * `embedded-hal`: `stream::read_frame` over an `embedded-io` reader.
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
pub mod replay;
pub mod security;
pub mod stream;
pub mod syncword;
pub mod telegram;
pub mod tpl;
pub mod wired;

pub use error::{Error, ErrorKind};
pub use manufacturer::{manufacturer_code, manufacturer_field};
