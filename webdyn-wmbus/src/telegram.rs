//! The full receive path: CRCs → DLL → \[ELL\] → \[AFL\] → TPL → decrypted
//! application data, in a caller buffer, without allocating.
//!
//! ```
//! use webdyn_wmbus::telegram::{decode, SecurityState};
//! use webdyn_wmbus::frame::FormatHint;
//! use webdyn_wmbus::security::Key;
//!
//! // Amber AMB8426-M manual example: mode 5, key 00 01 … 0F, CRCs stripped.
//! let frame = [
//!     0x1E, 0x44, 0xA2, 0x05, 0x78, 0x56, 0x34, 0x12, 0x00, 0x03, 0x7A, 0x35, 0x00, 0x10, 0x05,
//!     0x1E, 0x34, 0xC7, 0x7C, 0xFE, 0x6C, 0x59, 0xB1, 0x54, 0xB6, 0x63, 0x29, 0x7F, 0xE6, 0xC3, 0xF7,
//! ];
//! let key = Key::new(core::array::from_fn(|i| i as u8));
//! let mut buf = [0u8; 64];
//! let t = decode(&frame, FormatHint::Auto, &key, &mut buf).unwrap();
//! assert_eq!(t.security.state, SecurityState::Decrypted);
//! assert_eq!(&t.apl()[..4], &[0x2F, 0x2F, 0x00, 0x7C]);
//! ```

use crate::afl;
use crate::dll;
use crate::ell;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{self, Format, FormatHint, LField};
use crate::security::{self, Key, KeyProvider};
use crate::tpl::{self, Header};
use crate::wired;

/// The link layer a telegram came over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Link {
    /// Wireless M-Bus.
    Wireless {
        /// Frame format found.
        format: Format,
        /// How many DLL CRCs were checked (all matched).
        crcs_checked: u8,
        /// The L field as found.
        l_found: u8,
        /// What it meant.
        l_meaning: LField,
        /// The DLL fields.
        dll: dll::Repr,
    },
    /// Wired M-Bus long frame.
    Wired {
        /// C field.
        c: u8,
        /// Primary address.
        a: u8,
    },
}

/// What happened to the encryption of a telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SecurityState {
    /// Not encrypted.
    Plain,
    /// Decrypted and verified (2F 2F, and the MAC / ELL CRC when present).
    Decrypted,
    /// The header announces encryption but the data already starts with
    /// 2F 2F: stored decrypted (nothing was done to it).
    AlreadyDecrypted,
    /// Encrypted, and no key was available: the application data is ciphertext.
    NoKey,
    /// Encrypted with a security mode this crate does not implement
    /// (1–4, 6, 8–31): the application data is left as is.
    Unsupported,
}

/// The security report of a decoded telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Security {
    /// TPL security mode (configuration bits 8–12).
    pub mode: u8,
    /// Outcome for the TPL encryption.
    pub state: SecurityState,
    /// Bytes of application data covered by the TPL encryption.
    pub encrypted_len: usize,
    /// Plaintext bytes after the encrypted blocks (partial encryption).
    pub plaintext_tail: usize,
    /// The AFL MAC was computed and matched.
    pub mac_verified: bool,
    /// ELL security mode (0 none, 1 AES-CTR), when the ELL has a session number.
    pub ell_mode: Option<u8>,
    /// Outcome for the ELL encryption (`Plain` when there is none).
    pub ell_state: SecurityState,
}

/// A decoded telegram, borrowing the caller's buffer.
#[derive(Debug, Clone)]
pub struct Telegram<'b> {
    /// Link layer.
    pub link: Link,
    /// Extended link layer, if present.
    pub ell: Option<ell::Repr>,
    /// Authentication and fragmentation layer, if present.
    pub afl: Option<afl::Repr>,
    /// The CI of the transport layer (or of whatever follows the ELL/AFL).
    pub ci: u8,
    /// Transport layer, when the CI is a TPL CI.
    pub tpl: Option<tpl::Repr>,
    /// Encryption report.
    pub security: Security,
    /// The CRC-free frame (wireless) or CI + data (wired), decrypted where a
    /// key allowed it.
    pub frame: &'b [u8],
    /// Offset of the CI in `frame`.
    pub ci_offset: usize,
    /// Offset of the application data in `frame`.
    pub apl_offset: usize,
}

impl<'b> Telegram<'b> {
    /// The application data (records), after the TPL header; plaintext
    /// unless `security.state` is `NoKey` or `Unsupported`.
    pub fn apl(&self) -> &'b [u8] {
        self.frame.get(self.apl_offset..).unwrap_or(&[])
    }
    /// True when [`Telegram::apl`] is plaintext.
    pub fn is_readable(&self) -> bool {
        !matches!(
            self.security.state,
            SecurityState::NoKey | SecurityState::Unsupported
        ) && !matches!(
            self.security.ell_state,
            SecurityState::NoKey | SecurityState::Unsupported
        )
    }
    /// The AFL fragment this telegram carries, when its AFL fragments a
    /// message (fragment id other than 0, or more fragments to come): the
    /// id, the more-fragments bit and the bytes after the AFL. Such a
    /// telegram has no TPL of its own; feed its fragment to an
    /// [`afl::Reassembly`] to get the whole message.
    pub fn fragment(&self) -> Option<afl::Fragment<'b>> {
        let a = self.afl.as_ref()?;
        if self.tpl.is_some() {
            return None;
        }
        afl::Fragment::new(a, self.apl())
    }
    /// The DLL fields of a wireless telegram.
    pub fn dll(&self) -> Option<&dll::Repr> {
        match &self.link {
            Link::Wireless { dll, .. } => Some(dll),
            Link::Wired { .. } => None,
        }
    }
    /// The TPL long header, if present.
    pub fn long_header(&self) -> Option<tpl::LongHeader> {
        match self.tpl?.header {
            Header::Long(l) => Some(l),
            _ => None,
        }
    }
    /// The meter: manufacturer and address from the TPL long header when
    /// present (the meter behind a radio module or wired), else the DLL.
    pub fn meter(&self) -> (u16, dll::Address) {
        if let Some(l) = self.long_header() {
            return (
                l.manufacturer,
                dll::Address {
                    id: l.id,
                    version: l.version,
                    device_type: l.device_type,
                },
            );
        }
        self.dll().map_or((0, dll::Address::default()), |d| {
            (d.manufacturer, d.address)
        })
    }
}

fn looks_wired(input: &[u8]) -> bool {
    matches!(input, [0x68, l, l2, 0x68, ..] if l == l2 && input.len() == usize::from(*l) + 6)
}

/// Decodes one telegram: checks and strips CRCs (or accepts a wired long
/// frame), walks ELL, AFL and TPL, and decrypts with the key from `keys`.
///
/// `buf` must hold at least `input.len()` bytes. A wrong key is an error
/// ([`ErrorKind::WrongKey`], [`ErrorKind::MacMismatch`] or
/// [`ErrorKind::EllPayloadCrc`]); a missing key is not (see
/// [`SecurityState::NoKey`]). Error offsets count in the CRC-free frame
/// once the CRCs are checked.
pub fn decode<'b, K: KeyProvider + ?Sized>(
    input: &[u8],
    hint: FormatHint,
    keys: &K,
    buf: &'b mut [u8],
) -> Result<Telegram<'b>> {
    if hint == FormatHint::Auto && looks_wired(input) {
        let f = wired::LongFrame::new_checked(input)?;
        let body = f.ci_and_data();
        let dst = buf.get_mut(..body.len()).ok_or(Error::new(
            ErrorKind::BufferTooSmall { needed: body.len() },
            0,
        ))?;
        dst.copy_from_slice(body);
        let link = Link::Wired { c: f.c(), a: f.a() };
        return upper(link, dst, 0, keys).map_err(|e| e.shifted(6));
    }
    // Format A (the common case) is stripped inline and decoded on its own
    // path, so that what the strip found stays in registers instead of
    // being merged with the other formats' results through memory.
    if frame::is_format_a(input, hint) {
        let s = frame::strip_a(input, buf)?;
        return wireless(s, buf, keys);
    }
    let s = frame::strip(input, hint, buf)?;
    let ambiguous =
        hint == FormatHint::Auto && s.format == Format::None && s.l_meaning == LField::WithoutCrcs;
    match wireless(s, buf, keys) {
        Ok(t) => Ok(t),
        // `L = len − 1` is also a format-B frame. If its CRC does not match
        // either and the CRC-free reading failed on something its last two
        // bytes (the CRC, if it is format B) explain, that error alone would
        // mislead ("MAC mismatch" for a frame whose CRC is bad): say both.
        Err(e) if ambiguous && explained_by_trailing_crc(&e, input.len()) => {
            match frame::format_b_crc_mismatch(input) {
                Some((stored, computed)) => Err(Error::new(
                    ErrorKind::AmbiguousFormat {
                        stored,
                        computed,
                        without_crcs: e.kind.summary(),
                    },
                    e.offset,
                )),
                None => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// True when `e`, from reading a frame of `len` bytes as CRC-free, could
/// come from two trailing CRC bytes read as data: a check that covers the
/// end of the frame (AFL MAC, ELL payload CRC), or a failure in the last
/// two bytes.
fn explained_by_trailing_crc(e: &Error, len: usize) -> bool {
    matches!(
        e.kind,
        ErrorKind::MacMismatch | ErrorKind::EllPayloadCrc { .. }
    ) || e.offset + 2 >= len
}

/// The rest of [`decode`] for a wireless frame stripped into `buf`.
#[inline(always)]
fn wireless<'b, K: KeyProvider + ?Sized>(
    s: frame::Stripped,
    buf: &'b mut [u8],
    keys: &K,
) -> Result<Telegram<'b>> {
    let frame = buf.get_mut(..s.len).unwrap_or(&mut []);
    let p = dll::Packet::new_checked(&*frame)?;
    let d = dll::Repr::parse(&p);
    if p.ci().is_none() {
        return Err(Error::truncated(frame.len(), 1));
    }
    let link = Link::Wireless {
        format: s.format,
        crcs_checked: s.crcs_checked,
        l_found: s.l_found,
        l_meaning: s.l_meaning,
        dll: d,
    };
    upper(link, frame, dll::HEADER_LEN, keys)
}

#[inline]
fn lookup<'k, K: KeyProvider + ?Sized>(
    keys: &'k K,
    meter: Option<(u16, u32)>,
    dll: Option<&dll::Repr>,
) -> Option<&'k Key> {
    meter
        .and_then(|(m, id)| keys.key(m, id))
        .or_else(|| dll.and_then(|d| keys.key(d.manufacturer, d.address.id)))
}

fn upper<'b, K: KeyProvider + ?Sized>(
    link: Link,
    frame: &'b mut [u8],
    mut at: usize,
    keys: &K,
) -> Result<Telegram<'b>> {
    // The DLL fields are read where they are, in `link`, field by field (a
    // copy would reload them with wide loads over the caller's narrow
    // stores, a store-forwarding stall).
    let dll = match &link {
        Link::Wireless { dll, .. } => Some(dll),
        Link::Wired { .. } => None,
    };
    let mut sec = Security {
        mode: 0,
        state: SecurityState::Plain,
        encrypted_len: 0,
        plaintext_tail: 0,
        mac_verified: false,
        ell_mode: None,
        ell_state: SecurityState::Plain,
    };
    let mut ell_repr = None;
    let ci_of = |f: &[u8], at: usize| f.get(at).copied().ok_or(Error::truncated(at, 1));
    // ELL
    if ell::is_ell(ci_of(frame, at)?) {
        let rest = frame.get(at..).unwrap_or(&[]);
        let p = ell::Packet::new_checked(rest).map_err(|e| e.shifted(at))?;
        let r = p.repr();
        let crc_at = p.payload_crc_offset().map(|o| o + at);
        at += p.header_len();
        if let (Some(sn), Some(crc_at)) = (r.session, crc_at) {
            sec.ell_mode = Some(sn.security_mode());
            match sn.security_mode() {
                // Plain: the payload CRC is still there and still covers
                // the rest of the frame, so a damaged payload is caught.
                0 => ell_crc(frame, crc_at)?,
                1 => {
                    // Stored decrypted (as some tools do): the CRC already matches.
                    let plain_ok = ell_crc(frame, crc_at).is_ok();
                    let key = dll.and_then(|d| keys.key(d.manufacturer, d.address.id));
                    match key {
                        None if plain_ok => sec.ell_state = SecurityState::AlreadyDecrypted,
                        None => {
                            sec.ell_state = SecurityState::NoKey;
                            return Ok(finish(link, Some(r), frame, crc_at, sec));
                        }
                        Some(key) => {
                            let iv = ell::counter_block(
                                &dll.map_or([0; 8], dll::Repr::m_and_a),
                                r.cc,
                                sn,
                            );
                            let region = frame.get_mut(crc_at..).unwrap_or(&mut []);
                            security::ctr_apply(key, &iv, region);
                            match ell_crc(frame, crc_at) {
                                Ok(()) => sec.ell_state = SecurityState::Decrypted,
                                Err(e) => {
                                    // Put the bytes back: never hand out garbage.
                                    security::ctr_apply(
                                        key,
                                        &iv,
                                        frame.get_mut(crc_at..).unwrap_or(&mut []),
                                    );
                                    if plain_ok {
                                        sec.ell_state = SecurityState::AlreadyDecrypted;
                                    } else {
                                        return Err(e);
                                    }
                                }
                            }
                        }
                    }
                }
                m => return Err(Error::new(ErrorKind::UnsupportedEllSecurity(m), crc_at - 4)),
            }
            at = crc_at + 2;
        }
        ell_repr = Some(r);
    }
    // AFL
    let mut afl_repr = None;
    let mut afl_start = 0;
    if ci_of(frame, at)? == afl::CI {
        let (r, n) = afl::Repr::parse(frame.get(at..).unwrap_or(&[])).map_err(|e| e.shifted(at))?;
        if r.more_fragments() || r.fragment_id() != 0 {
            // Fragments cannot be decoded one by one: report the AFL only.
            afl_repr = Some(r);
            let ci = ci_of(frame, at)?;
            let t = Telegram {
                link,
                ell: ell_repr,
                afl: afl_repr,
                ci,
                tpl: None,
                security: sec,
                frame,
                ci_offset: at,
                apl_offset: at + n,
            };
            return Ok(t);
        }
        afl_start = at;
        at += n;
        afl_repr = Some(r);
    }
    // TPL
    let ci_offset = at;
    let ci = ci_of(frame, at)?;
    // Wired M-Bus gives 0x73 / 0x77 to the fixed data structure (EN 13757-3
    // annex), which has no TPL header.
    let wired_fixed = matches!(link, Link::Wired { .. }) && matches!(ci, 0x73 | 0x77);
    if wired_fixed || tpl::classify(ci).is_none() {
        let t = Telegram {
            link,
            ell: ell_repr,
            afl: afl_repr,
            ci,
            tpl: None,
            security: sec,
            frame,
            ci_offset,
            apl_offset: at + 1,
        };
        return Ok(t);
    }
    let p = tpl::Packet::new_checked(frame.get(at..).unwrap_or(&[])).map_err(|e| e.shifted(at))?;
    let hlen = p.header_len();
    let t = tpl::Repr::read(&p);
    let apl_offset = at + hlen;
    // The security outcome is kept in scalars and the `Security` built once
    // at the end (a struct updated field by field and then moved is copied
    // with wide loads over narrow stores: a store-forwarding stall).
    let (access_number, config, long) = match t.header {
        Header::None => (0, 0, None),
        Header::Short(s) => (s.access_number, s.config, None),
        Header::Long(l) => (l.access_number, l.config, Some(l)),
    };
    let cfg = tpl::Config(config);
    let mode = if matches!(t.header, Header::None) {
        0
    } else {
        cfg.security_mode()
    };
    let mut state = SecurityState::Plain;
    let mut encrypted_len = 0;
    let mut plaintext_tail = 0;
    let mut mac_verified = false;
    let avail = frame.len() - apl_offset.min(frame.len());
    match mode {
        0 => {}
        5 | 7 => {
            let n = usize::from(cfg.encrypted_blocks()) * 16;
            let enc = if n == 0 { avail - avail % 16 } else { n };
            if enc > avail {
                return Err(Error::new(
                    ErrorKind::BadLength {
                        declared: enc,
                        actual: avail,
                    },
                    at + hlen,
                ));
            }
            encrypted_len = enc;
            plaintext_tail = avail - enc;
            let already = frame.get(apl_offset..apl_offset + 2) == Some(&[0x2F, 0x2F]);
            let meter = match long {
                Some(l) => Some((l.manufacturer, l.id)),
                None => dll.map(|d| (d.manufacturer, d.address.id)),
            };
            let key = lookup(keys, meter, dll);
            match key {
                None => {
                    state = if already {
                        SecurityState::AlreadyDecrypted
                    } else {
                        SecurityState::NoKey
                    };
                }
                Some(key) => {
                    let outcome = if mode == 5 {
                        match mode5_m_and_a(long.as_ref(), dll) {
                            Ok(m_and_a) => {
                                let iv = security::mode5_iv(&m_and_a, access_number);
                                decrypt_mode5(key, &iv, frame, apl_offset, enc).map(|()| false)
                            }
                            Err(e) => Err(e),
                        }
                    } else {
                        decrypt_mode7(
                            afl_repr.as_ref(),
                            afl_start,
                            meter,
                            key,
                            frame,
                            ci_offset,
                            apl_offset,
                            enc,
                        )
                    };
                    match outcome {
                        Ok(mac) => {
                            state = SecurityState::Decrypted;
                            mac_verified = mac;
                        }
                        // A stored-decrypted telegram stays readable even with a key.
                        // The decrypt functions put the bytes back before failing.
                        Err(_) if already => state = SecurityState::AlreadyDecrypted,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        _ => state = SecurityState::Unsupported,
    }
    Ok(Telegram {
        link,
        ell: ell_repr,
        afl: afl_repr,
        ci,
        tpl: Some(t),
        security: Security {
            mode,
            state,
            encrypted_len,
            plaintext_tail,
            mac_verified,
            ell_mode: sec.ell_mode,
            ell_state: sec.ell_state,
        },
        frame,
        ci_offset,
        apl_offset,
    })
}

/// A telegram whose ELL could not be decrypted: what follows is opaque.
fn finish(
    link: Link,
    ell: Option<ell::Repr>,
    frame: &[u8],
    at: usize,
    security: Security,
) -> Telegram<'_> {
    Telegram {
        link,
        ell,
        afl: None,
        ci: 0,
        tpl: None,
        security,
        frame,
        ci_offset: at,
        apl_offset: at,
    }
}

/// Checks the little-endian ELL payload CRC at `at` over the bytes after it.
fn ell_crc(frame: &[u8], at: usize) -> Result<()> {
    let region = frame.get(at..).unwrap_or(&[]);
    let Some(([c0, c1], payload)) = region.split_first_chunk::<2>() else {
        return Err(Error::truncated(
            frame.len(),
            2usize.saturating_sub(region.len()),
        ));
    };
    let stored = u16::from_le_bytes([*c0, *c1]);
    let computed = crate::crc::crc16(payload);
    if stored == computed {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::EllPayloadCrc { stored, computed },
            at,
        ))
    }
}

/// The mode-5 IV source: the long header (M first) or the DLL.
#[inline]
fn mode5_m_and_a(long: Option<&tpl::LongHeader>, dll: Option<&dll::Repr>) -> Result<[u8; 8]> {
    match long {
        Some(l) => {
            let r = dll::Repr {
                control: 0,
                manufacturer: l.manufacturer,
                address: dll::Address {
                    id: l.id,
                    version: l.version,
                    device_type: l.device_type,
                },
            };
            Ok(r.m_and_a())
        }
        None => dll.map(dll::Repr::m_and_a).ok_or(Error::new(
            ErrorKind::Invalid("mode 5 without address: no DLL and no long header"),
            0,
        )),
    }
}

/// Mode 5: AES-CBC with the IV from M, A and the access number; the
/// plaintext must start with 2F 2F.
#[inline]
fn decrypt_mode5(key: &Key, iv: &[u8; 16], frame: &mut [u8], apl: usize, enc: usize) -> Result<()> {
    let region = frame.get_mut(apl..apl + enc).unwrap_or(&mut []);
    security::cbc_decrypt(key, iv, region).map_err(|e| e.shifted(apl))?;
    if region.get(..2) != Some(&[0x2F, 0x2F]) {
        // Leave the ciphertext as it was: never hand out garbage.
        security::cbc_encrypt(key, iv, region).map_err(|e| e.shifted(apl))?;
        return Err(Error::new(ErrorKind::WrongKey, apl));
    }
    Ok(())
}

/// Mode 7 (AFL MAC, KDF-A keys, AES-CBC with a zero IV); `Ok(true)` when
/// the MAC was present and verified.
#[allow(clippy::too_many_arguments)]
fn decrypt_mode7(
    afl: Option<&afl::Repr>,
    afl_start: usize,
    meter: Option<(u16, u32)>,
    key: &Key,
    frame: &mut [u8],
    ci_offset: usize,
    apl: usize,
    enc: usize,
) -> Result<bool> {
    let Some((afl, mcr)) = afl.and_then(|a| a.mcr.map(|m| (a, m))) else {
        return Err(Error::new(ErrorKind::MissingAfl, ci_offset));
    };
    let id = meter.map_or(0, |m| m.1);
    let mut verified = false;
    if let Some(mac) = afl.mac {
        let kmac = security::derive_key(key, security::DC_MAC_FROM_METER, mcr, id);
        let computed = afl_mac(&kmac, afl, frame.get(ci_offset..).unwrap_or(&[]));
        if !security::mac_matches(mac.as_slice(), &computed) {
            return Err(Error::new(
                ErrorKind::MacMismatch,
                afl_start + afl.mac_offset().unwrap_or(0),
            ));
        }
        verified = true;
    }
    let kenc = security::derive_key(key, security::DC_ENC_FROM_METER, mcr, id);
    let region = frame.get_mut(apl..apl + enc).unwrap_or(&mut []);
    security::cbc_decrypt(&kenc, &[0; 16], region).map_err(|e| e.shifted(apl))?;
    if region.get(..2) != Some(&[0x2F, 0x2F]) {
        security::cbc_encrypt(&kenc, &[0; 16], region).map_err(|e| e.shifted(apl))?;
        return Err(Error::new(ErrorKind::WrongKey, apl));
    }
    Ok(verified)
}

/// AES-CMAC over MCL ‖ MCR ‖ \[ML\] ‖ TPL…end.
pub fn afl_mac(kmac: &Key, afl: &afl::Repr, tpl_to_end: &[u8]) -> [u8; 16] {
    let mcl = [afl.mcl.unwrap_or(0)];
    let mcr = afl.mcr.unwrap_or(0).to_le_bytes();
    let ml = afl.ml.map(u16::to_le_bytes);
    let ml = ml.as_ref().map_or(&[][..], |m| &m[..]);
    let mcl = if afl.mcl.is_some() { &mcl[..] } else { &[] };
    security::cmac(kmac, &[mcl, &mcr, ml, tpl_to_end])
}
