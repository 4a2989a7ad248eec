//! WebdynEasy W M-Bus hub files: BSON documents with a CRC-32 field,
//! optionally AES-128-CBC encrypted.
//!
//! Every file the hub exchanges — configuration, whitelist, commands, data,
//! alarms, acknowledgements, supervision, logs — is one BSON document whose
//! last element is an int32 `crc` (zlib CRC-32 over the file with that field
//! zeroed). With `config.security.encryption` the whole file is AES-128-CBC
//! encrypted under the configured key and a fixed IV, and named `*.aes`.
//!
//! | module | concept | needs |
//! |---|---|---|
//! | [`envelope`] | the CRC-32 trailer: locate, verify per `crcMode`, stamp | core |
//! | [`key`] | file keys (Base64 / hex) and AES-128-CBC with the hub IV | core |
//! | [`file_name`] | parse and build every file name pattern | core |
//! | [`frames`] | data files read in place: frames as borrowed bytes with `T`, `R`; decoded by webdyn-wmbus with the `wmbus` feature | core |
//! | [`base64`] | the Base64 of keys and Extended JSON binaries | core |
//! | [`value`] | binaries, one-or-many, nullable fields: lenient readers | `alloc` + `serde` |
//! | [`config`] | configuration: every variable, range and default | `alloc` + `serde` |
//! | [`whitelist`] | the radio whitelist (≤ 2000 meter ids) | `alloc` + `serde` |
//! | [`command`] | command files | `alloc` + `serde` |
//! | [`data`] | data files: frames with `T`, `R`, `F` | `alloc` + `serde` |
//! | [`alarm`], [`ack`], [`supervision`], [`log`] | the other uploads | `alloc` + `serde` |
//! | [`json`] | repair the JSON errata of the manual's examples | `alloc` |
//! | [`encode`], [`decode`] | typed document <-> hub file bytes in one call | `alloc` + `serde` |
//! | [`validate`] | range checks naming the field | `alloc` + `serde` |
//!
//! The core (envelope, decryption into a caller buffer, file names, the
//! data-file frame iterator) is `no_std` and allocates nothing. With `alloc`
//! and `serde`, [`encode`] and [`decode`] turn a typed document into the
//! bytes the hub reads and back in one call; the `webdyn easy` command line
//! does the same for JSON.
//!
//! Readers are lenient where the manual's own examples are, writers produce
//! the documented form: `TS`/`ts` and `frameCount`/`framecount` (erratum E3),
//! `Config`/`CRC` capitalised keys (E1), keys with stray spaces (E12), any
//! binary subtype (E7), `cpin` as a number (E16), `ntp` as a string or an
//! array (E18), `supervisionGetClean` (E28), the supervision example's key
//! spellings (E30, E31), whitelist ids glued two by two (E8), integers of any
//! BSON width; [`json::relax`] repairs the examples' JSON syntax (E13).
//!
//! ```
//! use webdyn_files::easy::envelope::{self, CrcMode};
//! // The manual's §5.1.1.4 example, `{"Config":{"Remote":{"NTP":
//! // ["ntp.google.com",""]}},"CRC":…}`, whose CRC is 0x2A0C7BA3.
//! let file: [u8; 80] = [
//!     0x50, 0, 0, 0, 0x03, b'C', b'o', b'n', b'f', b'i', b'g', 0, 0x3A, 0, 0, 0,
//!     0x03, b'R', b'e', b'm', b'o', b't', b'e', 0, 0x2D, 0, 0, 0, 0x04, b'N', b'T', b'P',
//!     0, 0x23, 0, 0, 0, 0x02, b'0', 0, 0x0F, 0, 0, 0, b'n', b't', b'p', b'.',
//!     b'g', b'o', b'o', b'g', b'l', b'e', b'.', b'c', b'o', b'm', 0, 0x02, b'1', 0, 0x01, 0,
//!     0, 0, 0, 0, 0, 0, 0x10, b'C', b'R', b'C', 0, 0xA3, 0x7B, 0x0C, 0x2A, 0,
//! ];
//! let check = envelope::verify(&file, CrcMode::Always)?.unwrap();
//! assert_eq!(check.computed, 0x2A0C_7BA3);
//! # Ok::<(), webdyn_files::easy::Error>(())
//! ```

pub mod base64;
pub mod envelope;
mod error;
pub mod file_name;
pub mod frames;
#[cfg(feature = "alloc")]
pub mod json;
pub mod key;

#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod ack;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod alarm;
#[cfg(all(feature = "alloc", feature = "serde"))]
mod codec;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod command;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod config;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod data;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod log;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod supervision;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod validate;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod value;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod whitelist;

pub use envelope::{CrcCheck, CrcMode, crc32};
pub use error::Error;
pub use file_name::{FileKind, FileName};
pub use frames::{DataView, RawFrame};
pub use key::FileKey;

#[cfg(all(feature = "alloc", feature = "serde"))]
pub use codec::{decode, decrypt, encode};
#[cfg(all(feature = "alloc", feature = "serde"))]
pub use {
    ack::AckFile, alarm::AlarmFile, command::CommandFile, config::ConfigFile, data::DataFile,
    log::LogFile, supervision::SupervisionFile, validate::Validate, whitelist::WhitelistFile,
};
