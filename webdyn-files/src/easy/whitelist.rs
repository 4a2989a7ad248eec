//! The radio whitelist file (`<uid>-wFilter.bson`, manual §4.2.2.1):
//! up to 2000 meter identities; only listed meters are recorded.
//!
//! Each id is the 8 bytes of the telegram that follow L and C, **in on-air
//! order**: M-field little-endian, the 4-byte ID little-endian (BCD digits
//! reversed), version, device type (verified against the manual's example
//! and public telegrams). Note that `radio.manufFilter` stores its codes the
//! other way round (big-endian).
//!
//! The manual's example glues two Base64 ids into each `$binary` (erratum
//! E8); the reader accepts any multiple of 8 bytes and splits it into ids.
//! `{"wlFilter": null}` erases the list.

use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::validate::{Checker, Validate, ValidationError};
use super::value::Binary;

/// The most identities a whitelist holds.
pub const MAX_ENTRIES: usize = 2000;

/// A whitelist file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhitelistFile {
    /// The identities; `None` (`null`) erases the list.
    #[serde(
        rename = "wlFilter",
        alias = "wlfilter",
        alias = "WlFilter",
        alias = "wFilter",
        deserialize_with = "entries"
    )]
    pub wl_filter: Option<Vec<WhitelistEntry>>,
}

/// One whitelist element: `{"id": <8-byte binary>}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct WhitelistEntry {
    /// The meter.
    pub id: MeterId,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(alias = "ID", alias = "Id")]
    id: Binary,
}

fn entries<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<WhitelistEntry>>, D::Error> {
    let Some(raw) = Option::<Vec<RawEntry>>::deserialize(d)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(raw.len().min(MAX_ENTRIES));
    for (i, e) in raw.iter().enumerate() {
        let n = e.id.0.len();
        if n == 0 || n % 8 != 0 {
            return Err(serde::de::Error::custom(alloc::format!(
                "wlFilter[{i}].id: {n} bytes, an id is 8 (M-field 2, A-field 6)"
            )));
        }
        for chunk in e.id.0.chunks_exact(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            out.push(WhitelistEntry { id: MeterId(b) });
        }
    }
    Ok(Some(out))
}

/// A meter identity: bytes 2..10 of its telegram (M, ID, version, type).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeterId(pub [u8; 8]);

impl MeterId {
    /// The identity of a telegram from its L-field on (`L C M M A A A A A A
    /// ...`), as it appears in a data file's `F`.
    pub fn from_frame(frame: &[u8]) -> Option<MeterId> {
        frame
            .get(2..10)
            .and_then(|b| b.try_into().ok())
            .map(MeterId)
    }

    /// The manufacturer field.
    pub fn manufacturer(&self) -> u16 {
        u16::from_le_bytes([self.0[0], self.0[1]])
    }

    /// The manufacturer's three letters.
    pub fn manufacturer_letters(&self) -> [u8; 3] {
        super::config::manufacturer_letters(self.manufacturer())
    }

    /// The 4-byte identification number as the meter prints it (the BCD
    /// digits, most significant first, e.g. `"20AA1CC1"`; IZAR ids are not
    /// BCD and show hex letters).
    pub fn serial(&self) -> u32 {
        u32::from_le_bytes([self.0[2], self.0[3], self.0[4], self.0[5]])
    }

    /// The version byte.
    pub fn version(&self) -> u8 {
        self.0[6]
    }

    /// The device type ("medium") byte.
    pub fn device_type(&self) -> u8 {
        self.0[7]
    }
}

impl fmt::Debug for MeterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.manufacturer_letters();
        write!(
            f,
            "MeterId({}{}{} {:08X} v{:02X} t{:02X})",
            char::from(l[0]),
            char::from(l[1]),
            char::from(l[2]),
            self.serial(),
            self.version(),
            self.device_type()
        )
    }
}

impl Serialize for MeterId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Binary(self.0.to_vec()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for MeterId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b = Binary::deserialize(d)?;
        let id: [u8; 8] = b.0.as_slice().try_into().map_err(|_| {
            serde::de::Error::custom(alloc::format!("meter id: {} bytes, an id is 8", b.0.len()))
        })?;
        Ok(MeterId(id))
    }
}

impl WhitelistFile {
    /// A whitelist of these meters.
    pub fn new(ids: impl IntoIterator<Item = MeterId>) -> Self {
        WhitelistFile {
            wl_filter: Some(ids.into_iter().map(|id| WhitelistEntry { id }).collect()),
        }
    }

    /// The file that erases the whitelist.
    pub fn erase() -> Self {
        WhitelistFile { wl_filter: None }
    }
}

impl Validate for WhitelistFile {
    fn problems(&self) -> Vec<ValidationError> {
        let mut c = Checker::default();
        if let Some(list) = &self.wl_filter
            && list.len() > MAX_ENTRIES
        {
            c.fail(
                "wlFilter",
                alloc::format!("{} ids, at most {MAX_ENTRIES}", list.len()),
            );
        }
        c.errors
    }
}
