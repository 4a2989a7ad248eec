//! The transmit path: a telegram built from layer `Repr`s, encrypted in
//! security mode 5 or 7 (with the AFL MAC computed), optionally ELL
//! AES-CTR encrypted, and framed in format A, B or without CRCs.
//!
//! ```
//! use webdyn_wmbus::encode::{encode, TelegramRepr};
//! use webdyn_wmbus::frame::{Format, FormatHint};
//! use webdyn_wmbus::telegram::{decode, SecurityState};
//! use webdyn_wmbus::{dll, tpl, security::Key};
//!
//! let key = Key::new([0x42; 16]);
//! let apl = [0x2F, 0x2F, 0x04, 0x13, 0x2A, 0x00, 0x00, 0x00, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F, 0x2F];
//! let repr = TelegramRepr {
//!     dll: dll::Repr { control: 0x44, manufacturer: 0x05A2, address: dll::Address { id: 0x12345678, version: 1, device_type: 7 } },
//!     ell: None,
//!     afl: None,
//!     tpl: tpl::Repr {
//!         ci: 0x7A,
//!         header: tpl::Header::Short(tpl::ShortHeader { access_number: 9, status: 0, config: tpl::Config::encrypted(5, 1, 0).0 }),
//!         config_ext: None,
//!     },
//!     apl: &apl,
//! };
//! let (mut scratch, mut air, mut back) = ([0u8; 256], [0u8; 300], [0u8; 300]);
//! let n = encode(&repr, Format::A, Some(&key), &mut scratch, &mut air).unwrap();
//! let t = decode(&air[..n], FormatHint::Auto, &key, &mut back).unwrap();
//! assert_eq!(t.security.state, SecurityState::Decrypted);
//! assert_eq!(t.apl(), &apl);
//! ```

use crate::afl;
use crate::dll;
use crate::ell;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{self, Format};
use crate::security::{self, Key};
use crate::telegram::afl_mac;
use crate::tpl::{self, Header};

/// Everything needed to build a telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TelegramRepr<'a> {
    /// Link layer.
    pub dll: dll::Repr,
    /// Optional extended link layer (with a session number, a payload CRC
    /// is computed; ELL security mode 1 encrypts with AES-CTR).
    pub ell: Option<ell::Repr>,
    /// Optional AFL (mode 7 needs one with a message counter; a MAC field,
    /// when present, is computed).
    pub afl: Option<afl::Repr>,
    /// Transport layer; its configuration field chooses the security mode
    /// and the number of encrypted blocks.
    pub tpl: tpl::Repr,
    /// Application data in plaintext (starting with 2F 2F when encrypted).
    pub apl: &'a [u8],
}

fn slot(buf: &mut [u8], at: usize, len: usize) -> Result<&mut [u8]> {
    buf.get_mut(at..at + len).ok_or(Error::new(
        ErrorKind::BufferTooSmall { needed: at + len },
        at,
    ))
}

/// Builds the telegram into `out` (with CRCs for formats A and B); `scratch`
/// holds the CRC-free frame meanwhile (256 bytes always suffice). With
/// `key` = `None` encrypted modes are written as given (the application
/// data is then taken to be ciphertext already).
pub fn encode(
    repr: &TelegramRepr<'_>,
    format: Format,
    key: Option<&Key>,
    scratch: &mut [u8],
    out: &mut [u8],
) -> Result<usize> {
    let mut at = dll::HEADER_LEN;
    let mut ell_crc_at = None;
    if let Some(e) = &repr.ell {
        at += e.emit(scratch.get_mut(at..).unwrap_or(&mut []))?;
        if e.session.is_some() {
            ell_crc_at = Some(at);
            slot(scratch, at, 2)?.fill(0);
            at += 2;
        }
    }
    let afl_at = at;
    if let Some(a) = &repr.afl {
        at += a.emit(scratch.get_mut(at..).unwrap_or(&mut []))?;
    }
    let ci_at = at;
    at += repr.tpl.emit(scratch.get_mut(at..).unwrap_or(&mut []))?;
    let apl_at = at;
    slot(scratch, at, repr.apl.len())?.copy_from_slice(repr.apl);
    at += repr.apl.len();
    let len = at;
    repr.dll.emit(len - dll::HEADER_LEN, scratch)?;

    let cfg = repr.tpl.config();
    let mode = if repr.tpl.header.short().is_some() {
        cfg.security_mode()
    } else {
        0
    };
    if let (Some(key), 5 | 7) = (key, mode) {
        let n = usize::from(cfg.encrypted_blocks()) * 16;
        let enc = if n == 0 {
            repr.apl.len() - repr.apl.len() % 16
        } else {
            n
        };
        if enc > repr.apl.len() {
            return Err(Error::new(
                ErrorKind::BadLength {
                    declared: enc,
                    actual: repr.apl.len(),
                },
                apl_at,
            ));
        }
        if repr.apl.get(..2) != Some(&[0x2F, 0x2F]) {
            return Err(Error::new(
                ErrorKind::Invalid("encrypted application data must start with 2F 2F"),
                apl_at,
            ));
        }
        let meter_id = match repr.tpl.header {
            Header::Long(l) => l.id,
            _ => repr.dll.address.id,
        };
        if mode == 5 {
            let m_and_a = match repr.tpl.header {
                Header::Long(l) => dll::Repr {
                    control: 0,
                    manufacturer: l.manufacturer,
                    address: dll::Address {
                        id: l.id,
                        version: l.version,
                        device_type: l.device_type,
                    },
                }
                .m_and_a(),
                _ => repr.dll.m_and_a(),
            };
            let acc = repr.tpl.header.short().map_or(0, |s| s.access_number);
            let iv = security::mode5_iv(&m_and_a, acc);
            security::cbc_encrypt(key, &iv, slot(scratch, apl_at, enc)?)?;
        } else {
            let Some((a, mcr)) = repr.afl.as_ref().and_then(|a| a.mcr.map(|m| (a, m))) else {
                return Err(Error::new(ErrorKind::MissingAfl, ci_at));
            };
            let kenc = security::derive_key(key, security::DC_ENC_FROM_METER, mcr, meter_id);
            security::cbc_encrypt(&kenc, &[0; 16], slot(scratch, apl_at, enc)?)?;
            if let (Some(mac), Some(off)) = (a.mac, a.mac_offset()) {
                let kmac = security::derive_key(key, security::DC_MAC_FROM_METER, mcr, meter_id);
                let m = afl_mac(&kmac, a, scratch.get(ci_at..len).unwrap_or(&[]));
                let n = usize::from(mac.len);
                slot(scratch, afl_at + off, n)?.copy_from_slice(m.get(..n).unwrap_or(&[]));
            }
        }
    }
    if let (Some(crc_at), Some(e)) = (ell_crc_at, &repr.ell) {
        let crc = crate::crc::crc16(scratch.get(crc_at + 2..len).unwrap_or(&[]));
        slot(scratch, crc_at, 2)?.copy_from_slice(&crc.to_le_bytes());
        let sn = e.session.unwrap_or_default();
        match (sn.security_mode(), key) {
            (0, _) | (1, None) => {}
            (1, Some(key)) => {
                let iv = ell::counter_block(&repr.dll.m_and_a(), e.cc, sn);
                security::ctr_apply(key, &iv, slot(scratch, crc_at, len - crc_at)?);
            }
            (m, _) => return Err(Error::new(ErrorKind::UnsupportedEllSecurity(m), crc_at - 4)),
        }
    }
    frame::add_crcs(scratch.get(..len).unwrap_or(&[]), format, out)
}
