//! Data records and the zero-copy [`Records`] iterator, plus the encoder
//! ([`RecordRepr::emit`]).

use super::Error;
use super::date::{DateKind, DateTime, DaylightSaving};
use super::dif::{self, Coding, Function};
use super::value::{Decimal, Text, Value};
use super::vif::{self, Kind, Quantity, Vif};

/// What sort of record a DIF introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RecordKind {
    /// An ordinary data record: DIB, VIB, data.
    Data,
    /// DIF 0x0F (`more_follows` false) or 0x1F (true): manufacturer data
    /// to the end of the payload; 0x1F adds that more records follow in the
    /// next telegram.
    ManufacturerData {
        /// DIF 0x1F.
        more_follows: bool,
    },
    /// DIF 0x7F: global readout request (all storage numbers, tariffs,
    /// subunits and functions).
    GlobalReadout,
}

/// One data record, borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Record<'a> {
    #[cfg_attr(feature = "serde", serde(skip))]
    raw: &'a [u8],
    #[cfg_attr(feature = "serde", serde(skip))]
    offset: usize,
    #[cfg_attr(feature = "serde", serde(skip))]
    dib_len: u8,
    /// Data record, manufacturer data or readout request.
    pub kind: RecordKind,
    /// The data field coding; `None` for the special functions.
    pub coding: Option<Coding>,
    /// Storage number (0 = current value; DIF bit 6 and DIFE bits).
    pub storage: u64,
    /// Tariff (DIFE bits 4–5).
    pub tariff: u32,
    /// Subunit / device (DIFE bit 6).
    pub subunit: u16,
    /// The function field.
    pub function: Function,
    /// The decoded VIB.
    pub vif: Vif<'a>,
    /// The value, scaled by the VIF exponent.
    pub value: Value<'a>,
}

impl<'a> Record<'a> {
    /// The whole record as sent (DIB, VIB and data).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Where the record starts in the payload.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The DIF and DIFEs as sent.
    pub fn dif_bytes(&self) -> &'a [u8] {
        self.raw.get(..usize::from(self.dib_len)).unwrap_or(&[])
    }

    /// The VIF, VIFEs and plain-text unit as sent (empty for the special
    /// functions).
    pub fn vif_bytes(&self) -> &'a [u8] {
        self.vif.bytes()
    }

    /// The data field as sent (for LVAR data, including the LVAR byte).
    pub fn data_bytes(&self) -> &'a [u8] {
        self.raw
            .get(usize::from(self.dib_len) + self.vif.bytes().len()..)
            .unwrap_or(&[])
    }

    /// What is measured.
    pub fn quantity(&self) -> Quantity {
        self.vif.quantity
    }

    /// The SI-style unit of [`Record::value`] (`"Wh"`, `"m3"`, `"°C"` …;
    /// empty when dimensionless).
    pub fn unit(&self) -> &'static str {
        self.vif.unit()
    }

    /// The typed form, for [`RecordRepr::emit`].
    pub fn repr(&self) -> RecordRepr<'a> {
        RecordRepr {
            kind: self.kind,
            coding: self.coding.unwrap_or(Coding::None),
            storage: self.storage,
            tariff: self.tariff,
            subunit: self.subunit,
            function: self.function,
            vib: self.vif.bytes(),
            value: self.value,
        }
    }
}

/// Iterator over the records of an application payload (the bytes after
/// the TPL header, decrypted). Idle fillers (0x2F) are skipped. After an
/// error (which says at which byte) iteration ends.
///
/// ```
/// use webdyn_wmbus::app::{Records, Value, Decimal};
/// // 04 13 ...: 32-bit integer, volume in litres (10^-3 m3): 12.345 m3.
/// let payload = [0x2F, 0x04, 0x13, 0x39, 0x30, 0x00, 0x00];
/// let r = Records::new(&payload).next().unwrap().unwrap();
/// assert_eq!(r.unit(), "m3");
/// assert_eq!(r.value, Value::Number(Decimal::new(12345, -3)));
/// assert_eq!(r.value.to_string(), "12.345");
/// ```
#[derive(Debug, Clone)]
pub struct Records<'a> {
    data: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Records<'a> {
    /// Iterates over `payload`.
    pub fn new(payload: &'a [u8]) -> Self {
        Records {
            data: payload,
            pos: 0,
            done: false,
        }
    }

    /// The position of the next record in the payload.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The special-function DIFs (data field 0xF).
    #[cold]
    fn special(dif: u8, rest: &'a [u8], pos: usize) -> Result<Record<'a>, Error> {
        let special = |kind, raw: &'a [u8], value| Record {
            raw,
            offset: pos,
            dib_len: 1,
            kind,
            coding: None,
            storage: 0,
            tariff: 0,
            subunit: 0,
            function: Function::Instantaneous,
            vif: Vif::NONE,
            value,
        };
        match dif {
            0x0F | 0x1F => {
                let more_follows = dif == 0x1F;
                let data = rest.get(1..).unwrap_or(&[]);
                Ok(special(
                    RecordKind::ManufacturerData { more_follows },
                    rest,
                    Value::Bytes(data),
                ))
            }
            0x7F => {
                let mut r = special(
                    RecordKind::GlobalReadout,
                    rest.get(..1).unwrap_or(&[]),
                    Value::None,
                );
                r.vif.quantity = Quantity::Any;
                Ok(r)
            }
            _ => Err(Error::ReservedDif { offset: pos, dif }),
        }
    }

    /// Ends the iteration with `e`.
    #[cold]
    fn fail(&mut self, e: Error) -> Option<Result<Record<'a>, Error>> {
        self.done = true;
        Some(Err(e))
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, Error>;

    // Always inlined: in the caller's loop the record is then built where
    // the caller keeps it, instead of in a return slot and moved out (a
    // 128-byte copy, a `memcpy` call, per record).
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut pos = self.pos;
        while self.data.get(pos) == Some(&0x2F) {
            pos += 1;
        }
        self.pos = pos;
        let rest = self.data.get(pos..).unwrap_or(&[]);
        let Some(&dif) = rest.first() else {
            self.done = true;
            return None;
        };
        // Every step below ends in `fail` or in the one `Some(Ok(Record
        // {..}))` at the bottom: the record is built once, in the return
        // slot, instead of being moved through `Result`s (a ~128-byte copy
        // per step).
        if dif & 0x0F == 0x0F {
            let r = Self::special(dif, rest, pos);
            match &r {
                Ok(rec) => {
                    self.pos += rec.raw.len();
                    if matches!(rec.kind, RecordKind::ManufacturerData { .. }) {
                        self.done = true;
                    }
                }
                Err(_) => self.done = true,
            }
            return Some(r);
        }
        let dib = match dif::parse(rest, pos) {
            Ok(d) => d,
            Err(e) => return self.fail(e),
        };
        let after_dib = rest.get(dib.len..).unwrap_or(&[]);
        let mut vif = Vif::NONE;
        if let Err(e) = vif::parse_into(after_dib, pos + dib.len, &mut vif) {
            return self.fail(e);
        }
        let data_at = dib.len + vif.bytes().len();
        let after_vib = rest.get(data_at..).unwrap_or(&[]);
        // Dates return on their own path: merged with the numbers, the
        // date's byte fields and the mantissa would share one stack slot,
        // written narrow and read wide (a store-forwarding stall).
        if vif.kind == Kind::Date
            && dib.coding.is_int()
            && let Some(n) = dib.coding.len()
            && let Some(k) = DateKind::for_len(n)
            && let Some(d) = after_vib.get(..n)
            && let Some(dt) = DateTime::decode(k, d)
        {
            let raw = rest.get(..data_at + n).unwrap_or(rest);
            self.pos = pos + raw.len();
            return Some(Ok(Record {
                raw,
                offset: pos,
                dib_len: dib.len as u8,
                kind: RecordKind::Data,
                coding: Some(dib.coding),
                storage: dib.storage,
                tariff: dib.tariff,
                subunit: dib.subunit,
                function: dib.function,
                vif,
                value: Value::DateTime(dt),
            }));
        }
        let mut value = Value::None;
        let data_len = match decode_data(dib.coding, &vif, after_vib, pos + data_at, &mut value) {
            Ok(n) => n,
            Err(e) => return self.fail(e),
        };
        let raw = rest.get(..data_at + data_len).unwrap_or(rest);
        self.pos = pos + raw.len();
        Some(Ok(Record {
            raw,
            offset: pos,
            // At most 1 + MAX_DIFE bytes.
            dib_len: dib.len as u8,
            kind: RecordKind::Data,
            coding: Some(dib.coding),
            storage: dib.storage,
            tariff: dib.tariff,
            subunit: dib.subunit,
            function: dib.function,
            vif,
            value,
        }))
    }
}

impl core::iter::FusedIterator for Records<'_> {}

/// The first `N` bytes of a fixed-length data field.
#[inline(always)]
fn field<const N: usize>(b: &[u8], offset: usize) -> Result<&[u8; N], Error> {
    b.first_chunk::<N>().ok_or(Error::TruncatedData {
        offset,
        needed: N,
        available: b.len(),
    })
}

/// `N ≤ 8` little-endian bytes, zero-extended.
#[inline(always)]
fn le_u64<const N: usize>(a: &[u8; N]) -> u64 {
    let mut w = [0u8; 8];
    // A copy of constant length: compiled to one or two loads, no loop.
    if let Some(d) = w.get_mut(..N) {
        d.copy_from_slice(a);
    }
    u64::from_le_bytes(w)
}

/// A fixed-length binary integer field (type B, or C/D for the unsigned
/// VIFs), or a date/time or daylight-saving field when the VIF says so.
#[inline(always)]
fn int_field<'a, const N: usize>(
    b: &'a [u8],
    vif: &Vif<'a>,
    offset: usize,
    out: &mut Value<'a>,
) -> Result<usize, Error> {
    let a = field::<N>(b, offset)?;
    let u = le_u64(a);
    let m = match vif.kind {
        Kind::Number => {
            // Sign-extend from 8·N bits.
            let shift = 64 - 8 * N as u32;
            i128::from(((u << shift) as i64) >> shift)
        }
        Kind::Unsigned => i128::from(u),
        kind => {
            let d: &'a [u8] = a;
            if kind == Kind::DaylightSaving
                && let Some(k) = DaylightSaving::decode(d)
            {
                *out = Value::DaylightSaving(k);
                return Ok(N);
            }
            if kind == Kind::Date
                && let Some(k) = DateKind::for_len(N)
                && let Some(dt) = DateTime::decode(k, d)
            {
                *out = Value::DateTime(dt);
                return Ok(N);
            }
            let shift = 64 - 8 * N as u32;
            i128::from(((u << shift) as i64) >> shift)
        }
    };
    *out = Value::Number(Decimal::new(m, vif.exponent));
    Ok(N)
}

/// A fixed-length BCD field of `N ≤ 6` bytes; 0xF in the most significant
/// nibble marks a negative number (EN 13757-3 Annex B).
#[inline(always)]
fn bcd_field<'a, const N: usize>(
    b: &'a [u8],
    exp: i8,
    offset: usize,
    out: &mut Value<'a>,
) -> Result<usize, Error> {
    let a = field::<N>(b, offset)?;
    let x = le_u64(a);
    let top = 8 * N as u32 - 4;
    let negative = (x >> top) & 0x0F == 0x0F;
    let digits = if negative { x & !(0x0F << top) } else { x };
    let v = match bcd_u64(digits) {
        Some(v) => i128::from(v),
        None => {
            *out = Value::InvalidBcd(a);
            return Ok(N);
        }
    };
    let m = if negative { -v } else { v };
    *out = Value::Number(Decimal::new(m, exp));
    Ok(N)
}

/// Sixteen packed BCD digits (least significant byte first, as read by
/// `u64::from_le_bytes`) to binary, eight lanes at a time; `None` when a
/// nibble is above 9.
#[inline(always)]
fn bcd_u64(x: u64) -> Option<u64> {
    const SIX: u64 = 0x6666_6666_6666_6666;
    // Adding 6 to every nibble carries out of exactly the nibbles above 9
    // (the lowest such nibble has no carry in, so there is at least one
    // true carry whenever a nibble is invalid). The carry into nibble k is
    // bit 4k of sum ^ x ^ SIX; the carry out of the top nibble is lost, so
    // that nibble is tested on its own.
    let carries = x.wrapping_add(SIX) ^ x ^ SIX;
    if carries & 0x1111_1111_1111_1110 != 0 || x >> 60 > 9 {
        return None;
    }
    let x = (x & 0x0F0F_0F0F_0F0F_0F0F) + ((x >> 4) & 0x0F0F_0F0F_0F0F_0F0F) * 10;
    let x = (x & 0x00FF_00FF_00FF_00FF) + ((x >> 8) & 0x00FF_00FF_00FF_00FF) * 100;
    let x = (x & 0x0000_FFFF_0000_FFFF) + ((x >> 16) & 0x0000_FFFF_0000_FFFF) * 10_000;
    Some((x & 0xFFFF_FFFF) + (x >> 32) * 100_000_000)
}

/// Decodes the data field into `out` (left unchanged on error); returns
/// the bytes it took. Writing through `out` rather than returning
/// `(Value, usize)` saves a copy of the value per record.
#[inline(always)]
fn decode_data<'a>(
    coding: Coding,
    vif: &Vif<'a>,
    b: &'a [u8],
    offset: usize,
    out: &mut Value<'a>,
) -> Result<usize, Error> {
    let exp = vif.exponent;
    match coding {
        Coding::None | Coding::Selection => {
            *out = Value::None;
            Ok(0)
        }
        Coding::Int8 => int_field::<1>(b, vif, offset, out),
        Coding::Int16 => int_field::<2>(b, vif, offset, out),
        Coding::Int24 => int_field::<3>(b, vif, offset, out),
        Coding::Int32 => int_field::<4>(b, vif, offset, out),
        Coding::Int48 => int_field::<6>(b, vif, offset, out),
        Coding::Int64 => int_field::<8>(b, vif, offset, out),
        Coding::Bcd2 => bcd_field::<1>(b, exp, offset, out),
        Coding::Bcd4 => bcd_field::<2>(b, exp, offset, out),
        Coding::Bcd6 => bcd_field::<3>(b, exp, offset, out),
        Coding::Bcd8 => bcd_field::<4>(b, exp, offset, out),
        Coding::Bcd12 => bcd_field::<6>(b, exp, offset, out),
        Coding::Real32 => {
            let a = field::<4>(b, offset)?;
            *out = Value::Real {
                value: f32::from_le_bytes(*a),
                exponent: exp,
            };
            Ok(4)
        }
        Coding::Variable => {
            let (v, n) = variable_data(vif.exponent, vif.kind, b, offset)?;
            *out = v;
            Ok(n)
        }
    }
}

/// A variable-length (LVAR) data field.
///
/// Takes the VIF's exponent and kind by value: a `&Vif` argument to this
/// out-of-line function would make the caller keep its `Vif` in memory
/// (instead of registers) and copy it, field group by field group, at
/// each move of the record.
#[inline(never)]
fn variable_data(
    exp: i8,
    kind: Kind,
    b: &[u8],
    offset: usize,
) -> Result<(Value<'_>, usize), Error> {
    let Some(&lvar) = b.first() else {
        return Err(Error::TruncatedData {
            offset,
            needed: 1,
            available: 0,
        });
    };
    let (n, what) = lvar_len(lvar).ok_or(Error::ReservedLvar { offset, lvar })?;
    let d = b.get(1..1 + n).ok_or(Error::TruncatedData {
        offset: offset + 1,
        needed: n,
        available: b.len().saturating_sub(1),
    })?;
    let v = match what {
        Lvar::Text => Value::Text(Text(d)),
        Lvar::Bcd { negative } => match bcd(d) {
            Some(m) => Value::Number(Decimal::new(if negative { -m } else { m }, exp)),
            None => Value::InvalidBcd(d),
        },
        Lvar::Binary => int_value(d, kind, exp).unwrap_or(Value::Bytes(d)),
    };
    Ok((v, 1 + n))
}

#[derive(Clone, Copy)]
enum Lvar {
    Text,
    Bcd { negative: bool },
    Binary,
}

/// Data length and meaning of an LVAR byte (EN 13757-3 table 5); `None`
/// for the reserved values (0xCA–0xCF, 0xDA–0xDF, 0xF7–0xFF), whose data
/// length is undefined.
///
/// 0xC0–0xC9 / 0xD0–0xD9 announce `(LVAR − 0xC0) · 2` BCD digits, i.e.
/// `LVAR − 0xC0` bytes. The binary sizes grow 16, 20, 24, 28, 32 bytes for
/// 0xF0–0xF4 (`4 · (LVAR − 0xEC)`), then 48 and 64 bytes for 0xF5 and
/// 0xF6: the table gives those two in bytes, like the rest of the
/// sequence (6- and 8-byte numbers already have 0xE6 and 0xE8).
fn lvar_len(l: u8) -> Option<(usize, Lvar)> {
    let n = usize::from(l);
    Some(match l {
        0x00..=0xBF => (n, Lvar::Text),
        0xC0..=0xC9 => (n - 0xC0, Lvar::Bcd { negative: false }),
        0xD0..=0xD9 => (n - 0xD0, Lvar::Bcd { negative: true }),
        0xE0..=0xEF => (n - 0xE0, Lvar::Binary),
        0xF0..=0xF4 => (4 * (n - 0xEC), Lvar::Binary),
        0xF5 => (48, Lvar::Binary),
        0xF6 => (64, Lvar::Binary),
        _ => return None,
    })
}

/// Little-endian integer of up to 16 bytes: two's complement, or unsigned
/// for the identifier/flag VIFs.
fn int_value<'a>(d: &[u8], kind: Kind, exp: i8) -> Option<Value<'a>> {
    if d.len() > 16 {
        return None;
    }
    let mut u: u128 = 0;
    for (i, &x) in d.iter().enumerate() {
        u |= u128::from(x) << (8 * i);
    }
    let bits = 8 * d.len() as u32;
    let unsigned = kind == Kind::Unsigned;
    let m: i128 = if d.is_empty() {
        0
    } else if unsigned && bits < 128 {
        u as i128
    } else if bits == 128 {
        if unsigned && (u >> 127) != 0 {
            return None;
        }
        u as i128
    } else {
        // Sign-extend from `bits`.
        let shift = 128 - bits;
        ((u << shift) as i128) >> shift
    };
    Some(Value::Number(Decimal::new(m, exp)))
}

/// Unsigned BCD, least significant byte first; `None` on a non-decimal
/// nibble.
fn bcd(d: &[u8]) -> Option<i128> {
    let mut m: i128 = 0;
    for &x in d.iter().rev() {
        let (hi, lo) = (x >> 4, x & 0x0F);
        if hi > 9 || lo > 9 {
            return None;
        }
        m = m * 100 + i128::from(hi * 10 + lo);
    }
    Some(m)
}

/// BCD of a fixed-length field: a most significant nibble 0xF marks a
/// negative number (EN 13757-3 Annex B).
fn signed_bcd(d: &[u8]) -> Option<i128> {
    let (&top, lower) = d.split_last()?;
    if top >> 4 == 0x0F {
        let lo = top & 0x0F;
        if lo > 9 {
            return None;
        }
        let rest = bcd(lower)?;
        let mut scale: i128 = 1;
        for _ in lower {
            scale *= 100;
        }
        Some(-(i128::from(lo) * scale + rest))
    } else {
        bcd(d)
    }
}

/// A record in typed form, for encoding. `decode(emit(r)) == r` for every
/// `r` that [`RecordRepr::emit`] accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordRepr<'a> {
    /// Data record or special function.
    pub kind: RecordKind,
    /// The data field coding (ignored for the special functions).
    pub coding: Coding,
    /// Storage number (up to 41 bits).
    pub storage: u64,
    /// Tariff (up to 20 bits).
    pub tariff: u32,
    /// Subunit (up to 10 bits).
    pub subunit: u16,
    /// Function field.
    pub function: Function,
    /// The VIB as it goes on the wire (VIF, VIFEs, plain-text unit).
    pub vib: &'a [u8],
    /// The value, in the scale of the VIB (its exponent is matched exactly).
    pub value: Value<'a>,
}

impl RecordRepr<'_> {
    /// Encodes the record into `out`; returns the length written.
    ///
    /// Fails with [`Error::BufferTooSmall`], [`Error::AddressTooLarge`]
    /// (storage/tariff/subunit beyond ten DIFEs) or [`Error::ValueDoesNotFit`]
    /// (value and coding or VIB do not agree, e.g. `12.5` with a VIB whose
    /// exponent is 0, or 300 in an 8-bit field).
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        let small = Error::BufferTooSmall;
        match self.kind {
            RecordKind::ManufacturerData { more_follows } => {
                let Value::Bytes(b) = self.value else {
                    return Err(Error::ValueDoesNotFit);
                };
                let n = 1 + b.len();
                let o = out.get_mut(..n).ok_or(small)?;
                if let Some((first, rest)) = o.split_first_mut() {
                    *first = if more_follows { 0x1F } else { 0x0F };
                    rest.copy_from_slice(b);
                }
                return Ok(n);
            }
            RecordKind::GlobalReadout => {
                *out.first_mut().ok_or(small)? = 0x7F;
                return Ok(1);
            }
            RecordKind::Data => {}
        }
        let vif = vif::parse(self.vib, 0).map_err(|_| Error::ValueDoesNotFit)?;
        if vif.bytes().len() != self.vib.len() {
            return Err(Error::ValueDoesNotFit);
        }
        let mut dib = [0u8; 1 + dif::MAX_DIFE];
        let dib_len = dif::emit(
            &mut dib,
            self.coding,
            self.function,
            self.storage,
            self.tariff,
            self.subunit,
        )
        .ok_or(Error::AddressTooLarge)?;
        let head = dib_len + self.vib.len();
        let (h, data) = out.split_at_mut_checked(head).ok_or(small)?;
        let (hd, hv) = h.split_at_mut(dib_len);
        hd.copy_from_slice(dib.get(..dib_len).unwrap_or(&[]));
        hv.copy_from_slice(self.vib);
        let n = encode_data(self.coding, &vif, &self.value, data)?;
        Ok(head + n)
    }
}

fn encode_data(
    coding: Coding,
    vif: &Vif<'_>,
    value: &Value<'_>,
    out: &mut [u8],
) -> Result<usize, Error> {
    let small = Error::BufferTooSmall;
    let bad = Error::ValueDoesNotFit;
    let unsigned = vif.kind == Kind::Unsigned;
    match (coding, value) {
        (Coding::None | Coding::Selection, Value::None) => Ok(0),
        (Coding::Real32, Value::Real { value, exponent }) if *exponent == vif.exponent => {
            out.get_mut(..4)
                .ok_or(small)?
                .copy_from_slice(&value.to_le_bytes());
            Ok(4)
        }
        (c, Value::DateTime(dt))
            if c.is_int() && vif.kind == Kind::Date && c.len() == Some(dt.kind.len()) =>
        {
            dt.encode(out).ok_or(if out.len() < dt.kind.len() {
                small
            } else {
                bad
            })
        }
        (Coding::Int32, Value::DaylightSaving(k)) if vif.kind == Kind::DaylightSaving => {
            let b = k.encode().ok_or(bad)?;
            out.get_mut(..4).ok_or(small)?.copy_from_slice(&b);
            Ok(4)
        }
        (c, Value::Number(d)) if c.is_int() => {
            if vif.kind == Kind::Date && DateKind::for_len(c.len().unwrap_or(0)).is_some() {
                return Err(bad);
            }
            if vif.kind == Kind::DaylightSaving && c == Coding::Int32 {
                return Err(bad);
            }
            let m = d.mantissa_at(vif.exponent).ok_or(bad)?;
            let n = c.len().unwrap_or(0);
            write_int(m, n, unsigned, out)
        }
        (c, Value::Number(d)) if c.is_bcd() => {
            let m = d.mantissa_at(vif.exponent).ok_or(bad)?;
            let n = c.len().unwrap_or(0);
            write_bcd(m, n, true, out)
        }
        (c, Value::InvalidBcd(b))
            if c.is_bcd() && c.len() == Some(b.len()) && signed_bcd(b).is_none() =>
        {
            out.get_mut(..b.len()).ok_or(small)?.copy_from_slice(b);
            Ok(b.len())
        }
        (c, Value::Bytes(b))
            if c.is_int() && c.len() == Some(b.len()) && int_value(b, vif.kind, 0).is_none() =>
        {
            out.get_mut(..b.len()).ok_or(small)?.copy_from_slice(b);
            Ok(b.len())
        }
        (Coding::Variable, v) => {
            let (lvar, body) = out.split_first_mut().ok_or(small)?;
            let (l, n) = match v {
                Value::Text(t) => {
                    let b = t.wire_bytes();
                    if b.len() > 0xBF {
                        return Err(bad);
                    }
                    body.get_mut(..b.len()).ok_or(small)?.copy_from_slice(b);
                    (b.len() as u8, b.len())
                }
                Value::Number(d) => {
                    let m = d.mantissa_at(vif.exponent).ok_or(bad)?;
                    // Binary LVAR: the fewest bytes that hold m.
                    let n = (1..=15)
                        .find(|&n| fits(m, n, unsigned))
                        .map_or(Ok((0xF0, 16)), |n| Ok::<_, Error>((0xE0 + n as u8, n)))?;
                    let w = write_int(m, n.1, unsigned, body)?;
                    (n.0, w)
                }
                Value::Bytes(b) if matches!(b.len(), 20 | 24 | 28 | 32 | 48 | 64) => {
                    body.get_mut(..b.len()).ok_or(small)?.copy_from_slice(b);
                    let l = match b.len() {
                        48 => 0xF5,
                        64 => 0xF6,
                        n => (0xEC + n / 4) as u8,
                    };
                    (l, b.len())
                }
                Value::InvalidBcd(b) if b.len() <= 9 && bcd(b).is_none() => {
                    body.get_mut(..b.len()).ok_or(small)?.copy_from_slice(b);
                    (0xC0 + b.len() as u8, b.len())
                }
                _ => return Err(bad),
            };
            *lvar = l;
            Ok(1 + n)
        }
        _ => Err(bad),
    }
}

fn fits(m: i128, n: usize, unsigned: bool) -> bool {
    let bits = 8 * n as u32;
    if bits >= 128 {
        return !unsigned || m >= 0;
    }
    if unsigned {
        m >= 0 && (m >> bits) == 0
    } else {
        let lim = 1i128 << (bits - 1);
        (-lim..lim).contains(&m)
    }
}

fn write_int(m: i128, n: usize, unsigned: bool, out: &mut [u8]) -> Result<usize, Error> {
    if !fits(m, n, unsigned) {
        return Err(Error::ValueDoesNotFit);
    }
    let o = out.get_mut(..n).ok_or(Error::BufferTooSmall)?;
    let bytes = m.to_le_bytes();
    o.copy_from_slice(bytes.get(..n).ok_or(Error::ValueDoesNotFit)?);
    Ok(n)
}

/// BCD of `n` bytes; a negative number takes 0xF in the top nibble
/// (`signed`), leaving `2n - 1` digits.
fn write_bcd(m: i128, n: usize, signed: bool, out: &mut [u8]) -> Result<usize, Error> {
    let o = out.get_mut(..n).ok_or(Error::BufferTooSmall)?;
    let neg = m < 0;
    if neg && !signed {
        return Err(Error::ValueDoesNotFit);
    }
    let mut u = m.unsigned_abs();
    for (i, byte) in o.iter_mut().enumerate() {
        let lo = (u % 10) as u8;
        u /= 10;
        let hi = if neg && i + 1 == n {
            if u != 0 {
                return Err(Error::ValueDoesNotFit);
            }
            0x0F
        } else {
            let h = (u % 10) as u8;
            u /= 10;
            h
        };
        *byte = lo | (hi << 4);
    }
    if u != 0 {
        return Err(Error::ValueDoesNotFit);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    fn all(p: &[u8]) -> Vec<Result<Record<'_>, Error>> {
        Records::new(p).collect()
    }

    #[test]
    fn bcd_negative_and_invalid() {
        assert_eq!(signed_bcd(&[0x34, 0x12]), Some(1234));
        assert_eq!(signed_bcd(&[0x34, 0xF2]), Some(-234));
        assert_eq!(signed_bcd(&[0xFF, 0xFF]), None);
        assert_eq!(signed_bcd(&[0x3A, 0x12]), None);
    }

    #[test]
    fn lvar_lengths() {
        // EN 13757-3: C0h+n positive BCD of n bytes, E0h+n binary of n bytes,
        // F0h–F4h 4·(LVAR−ECh) bytes.
        assert!(matches!(
            lvar_len(0xC3),
            Some((3, Lvar::Bcd { negative: false }))
        ));
        assert!(matches!(
            lvar_len(0xD2),
            Some((2, Lvar::Bcd { negative: true }))
        ));
        assert!(matches!(lvar_len(0xE5), Some((5, Lvar::Binary))));
        assert!(matches!(lvar_len(0xF4), Some((32, Lvar::Binary))));
        assert!(matches!(lvar_len(0xF5), Some((48, Lvar::Binary))));
        assert!(matches!(lvar_len(0xF6), Some((64, Lvar::Binary))));
        assert!(lvar_len(0xF7).is_none());
        assert!(lvar_len(0xCA).is_none());
        assert!(lvar_len(0xDF).is_none());
    }

    #[test]
    fn special_functions() {
        // Filler, one record, manufacturer data to the end.
        let p = [0x2F, 0x01, 0xFD, 0x08, 0x05, 0x2F, 0x0F, 0x01, 0x02];
        let r = all(&p);
        assert_eq!(r.len(), 2);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.quantity(), Quantity::AccessNumber);
        assert_eq!(a.value, Value::Number(Decimal::new(5, 0)));
        let m = r[1].as_ref().unwrap();
        assert_eq!(
            m.kind,
            RecordKind::ManufacturerData {
                more_follows: false
            }
        );
        assert_eq!(m.value, Value::Bytes(&[0x01, 0x02]));
        assert_eq!(m.raw(), &[0x0F, 0x01, 0x02]);
    }

    #[test]
    fn readout_requests() {
        // A master's request: selection for readout of tariff 1 energy
        // (DIF 0x88 DIFE 0x10 VIF 0x06), any VIF (DIF 0x08 VIF 0x7E), then
        // the global readout 0x7F.
        let r = all(&[0x88, 0x10, 0x06, 0x08, 0x7E, 0x7F]);
        assert_eq!(r.len(), 3);
        let a = r[0].as_ref().unwrap();
        assert_eq!(
            (a.coding, a.tariff, a.value),
            (Some(Coding::Selection), 1, Value::None)
        );
        let b = r[1].as_ref().unwrap();
        assert_eq!(b.quantity(), Quantity::Any);
        let c = r[2].as_ref().unwrap();
        assert_eq!(c.kind, RecordKind::GlobalReadout);
        assert_eq!(c.raw(), &[0x7F]);
    }

    #[test]
    fn more_records_follow_and_special_dif_with_extension_bit() {
        let r = all(&[0x1F, 0xAA]);
        assert_eq!(
            r[0].as_ref().unwrap().kind,
            RecordKind::ManufacturerData { more_follows: true }
        );
        // 0x8F: special-function nibble with the extension bit is reserved.
        assert_eq!(
            all(&[0x8F, 0x00]),
            [Err(Error::ReservedDif {
                offset: 0,
                dif: 0x8F
            })]
        );
    }

    #[test]
    fn reserved_dif_and_truncation_report_offsets() {
        let r = all(&[0x01, 0x13, 0x05, 0x3F, 0x00]);
        assert_eq!(
            r[1],
            Err(Error::ReservedDif {
                offset: 3,
                dif: 0x3F
            })
        );
        let r = all(&[0x04, 0x13, 0x05]);
        assert_eq!(
            r[0],
            Err(Error::TruncatedData {
                offset: 2,
                needed: 4,
                available: 1
            })
        );
    }

    #[test]
    fn unknown_vif_continues() {
        // FD 7F is reserved in table 14 but the 8-bit length is known.
        let r = all(&[0x01, 0xFD, 0x7F, 0x05, 0x01, 0x13, 0x07]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].as_ref().unwrap().quantity(), Quantity::Unknown);
        assert_eq!(
            r[1].as_ref().unwrap().value,
            Value::Number(Decimal::new(7, -3))
        );
    }

    #[test]
    fn encode_round_trip() {
        let p = [0x8C, 0x10, 0x13, 0x78, 0x56, 0x34, 0xF2];
        let r = Records::new(&p).next().unwrap().unwrap();
        assert_eq!(r.tariff, 1);
        assert_eq!(r.value, Value::Number(Decimal::new(-2345678, -3)));
        let mut out = [0u8; 16];
        let n = r.repr().emit(&mut out).unwrap();
        assert_eq!(&out[..n], &p);
    }
}
