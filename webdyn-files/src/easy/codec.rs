//! One call from a typed document to the bytes the hub reads, and back.
//!
//! [`encode`]: serialise to BSON, add `crc` as the last field, stamp the
//! CRC-32, and encrypt when a key is given (for `*.aes` files).
//! [`decode`]: decrypt when a key is given, check the CRC per `crcMode` and
//! that `crc` is last, then deserialise.
//!
//! ```
//! use webdyn_files::easy::{self, CrcMode, FileKey};
//! use webdyn_files::easy::command::{Command, CommandFile, CommandKind};
//! use webdyn_files::easy::value::OneOrMany;
//!
//! let cmd = CommandFile { cmd: OneOrMany::One(Command::new(CommandKind::Request, "c1")) };
//! let key: FileKey = "RACq94N4BJyrE+5ONQ4oGw==".parse()?;
//! let sealed = easy::encode(&cmd, Some(&key))?;      // 123456-cmd.bson.aes
//! let back: CommandFile = easy::decode(&sealed, Some(&key), CrcMode::Always)?;
//! assert_eq!(back, cmd);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::borrow::Cow;
use alloc::vec::Vec;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::envelope::{self, CrcMode};
use super::key::{self, FileKey};
use super::{Error, frames};

/// Serialises `doc` into a hub file: BSON with `crc` last and stamped, then
/// AES-128-CBC encrypted when `key` is given.
///
/// A document that already ends with a `crc` field (any case) keeps it;
/// otherwise one is appended.
pub fn encode<T: Serialize + ?Sized>(doc: &T, key: Option<&FileKey>) -> Result<Vec<u8>, Error> {
    let mut bytes = crate::bson::to_vec(doc)?;
    if envelope::locate(&bytes).is_err() {
        envelope::append_crc(&mut bytes)?;
    }
    envelope::stamp(&mut bytes)?;
    Ok(match key {
        Some(k) => key::encrypt(k, &bytes),
        None => bytes,
    })
}

/// Decrypts `file` when `key` is given; returns the plain hub file.
pub fn decrypt<'f>(file: &'f [u8], key: Option<&FileKey>) -> Result<Cow<'f, [u8]>, Error> {
    Ok(match key {
        Some(k) => Cow::Owned(key::decrypt(k, file)?),
        None => Cow::Borrowed(file),
    })
}

/// Reads a hub file into a typed document: decrypts it when `key` is given,
/// checks its CRC per `mode` and that `crc` is the last field, and
/// deserialises it (unknown keys are ignored).
pub fn decode<T: DeserializeOwned>(
    file: &[u8],
    key: Option<&FileKey>,
    mode: CrcMode,
) -> Result<T, Error> {
    let plain = decrypt(file, key)?;
    frames::open(&plain, mode)?;
    Ok(crate::bson::from_slice(&plain)?)
}
