//! Data files read in place: each frame as borrowed bytes with its `T` and
//! `R`, without allocating (manual §5.3).
//!
//! [`DataView::parse`] checks the envelope (CRC per `crcMode`, `crc` as the
//! last field) and finds the `data` array; [`DataView::frames`] then walks it
//! lazily. Header keys are matched ignoring ASCII case (`TS`/`ts`,
//! `frameCount`/`framecount`, erratum E3); the array is `data` (or `Data`),
//! frame keys `T`, `R`, `F` (or lower case); integers may be int32, int64 or
//! whole doubles.
//!
//! `F` is the frame from its L-field on, link-layer CRCs removed: feed it to
//! a W M-Bus parser with "no CRC" framing. Do not slice by `F[0]`: with
//! `BFormatLFieldAdaptation = false` a format-B L-field counts CRC bytes that
//! are no longer there (manual §4.2.2.2); use `F`'s length.
//!
//! ```
//! use webdyn_files::easy::envelope::CrcMode;
//! use webdyn_files::easy::frames::DataView;
//! // {"uid":"u","TS":7,"data":[{"T":1,"R":199,"F":<binary 0B 44 ..>}],"crc":..}
//! let mut file = [0u8; 96];
//! let n = {
//!     use webdyn_files::bson::Writer;
//!     let mut w = Writer::new(&mut file);
//!     w.start_document()?;
//!     w.append_str("uid", "u")?;
//!     w.append_i32("TS", 7)?;
//!     w.start_array("data")?;
//!     w.start_subdocument("")?; // keys inside arrays are written as indices
//!     w.append_i32("T", 1)?;
//!     w.append_i32("R", 199)?;
//!     w.append_binary("F", 0, &[0x0A, 0x44, 0x2D, 0x2C, 1, 2, 3, 4, 1, 7, 0x7A])?;
//!     w.end_document()?;
//!     w.end_array()?;
//!     w.append_i32("crc", 0)?;
//!     w.end_document()?;
//!     w.into_bytes()?.len()
//! };
//! let file = &mut file[..n];
//! webdyn_files::easy::envelope::stamp(file)?;
//! let view = DataView::parse(file, CrcMode::Always)?;
//! assert_eq!(view.uid(), Some("u"));
//! assert_eq!(view.ts(), Some(7));
//! let frame = view.frames().next().unwrap()?;
//! assert_eq!((frame.t, frame.r, frame.f[1]), (1, 199, 0x44));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use super::Error;
use super::envelope::{self, CrcCheck, CrcMode};
use crate::bson::{ArrayIter, RawBson, RawDocument};

/// One frame of a data file, borrowed from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFrame<'a> {
    /// Position in `data`.
    pub index: usize,
    /// Receive time, Unix seconds UTC.
    pub t: i64,
    /// "Frame RSSI level", as the hub writes it.
    pub r: i64,
    /// The frame from its L-field on, link-layer CRCs removed.
    pub f: &'a [u8],
    /// The binary subtype of `F` (0x00 per the manual's table, 0x80 in its
    /// example).
    pub subtype: u8,
}

impl RawFrame<'_> {
    /// `R` read as a two's-complement byte in dBm — a guess (see
    /// [`crate::easy::data::Frame::rssi_dbm_guess`] with `alloc`).
    pub fn rssi_dbm_guess(&self) -> Option<i8> {
        u8::try_from(self.r).ok().map(|b| b as i8)
    }
}

/// A data file opened in place.
#[derive(Debug, Clone, Copy)]
pub struct DataView<'a> {
    doc: RawDocument<'a>,
    data: Option<crate::bson::RawArray<'a>>,
    crc: Option<CrcCheck>,
}

/// A key kept for an error message without allocating.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShortKey {
    buf: [u8; 32],
    len: u8,
}

impl ShortKey {
    pub(crate) fn new(s: &str) -> Self {
        let mut end = s.len().min(32);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut buf = [0u8; 32];
        if let (Some(d), Some(src)) = (buf.get_mut(..end), s.as_bytes().get(..end)) {
            d.copy_from_slice(src);
        }
        ShortKey {
            buf,
            len: end as u8,
        }
    }

    /// The key (at most 32 bytes of it).
    pub fn as_str(&self) -> &str {
        self.buf
            .get(..usize::from(self.len))
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl fmt::Debug for ShortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Reads an integer field written as int32, int64 or a whole double.
pub(crate) fn integer(v: &RawBson<'_>) -> Option<i64> {
    match *v {
        RawBson::Int32(i) => Some(i64::from(i)),
        RawBson::Int64(i) => Some(i),
        RawBson::Double(d) if (-9.0e15..9.0e15).contains(&d) && (d as i64) as f64 == d => {
            Some(d as i64)
        }
        _ => None,
    }
}

/// Checks the envelope of a hub file and opens its document: CRC per
/// `mode`, then `crc` must be the last field. Returns the document and the
/// CRC check (`None` in mode 0 without a `crc` field).
pub fn open(file: &[u8], mode: CrcMode) -> Result<(RawDocument<'_>, Option<CrcCheck>), Error> {
    let crc = envelope::verify(file, mode)?;
    let doc = RawDocument::new(file)?;
    if crc.is_some() {
        let mut last = None;
        let mut it = doc.iter();
        loop {
            let at = it.offset();
            match it.next() {
                Some(item) => last = Some((item?.0, at)),
                None => break,
            }
        }
        if let Some((key, offset)) = last
            && !key.eq_ignore_ascii_case("crc")
        {
            return Err(Error::CrcNotLast {
                key: ShortKey::new(key.as_str()),
                offset,
            });
        }
    }
    Ok((doc, crc))
}

impl<'a> DataView<'a> {
    /// Opens a (decrypted) data file, checking its CRC per `mode`.
    pub fn parse(file: &'a [u8], mode: CrcMode) -> Result<Self, Error> {
        let (doc, crc) = open(file, mode)?;
        let mut data = None;
        for item in doc.iter() {
            let (k, v) = item?;
            // The same spellings as the typed reader ([`crate::easy::data`]),
            // so both always see the same frames.
            if k == "data" || k == "Data" {
                data = match v {
                    RawBson::Array(a) => Some(a),
                    RawBson::Null => None,
                    _ => {
                        return Err(Error::Field {
                            field: "data",
                            problem: "is not an array",
                            offset: doc.offset(),
                        });
                    }
                };
                break;
            }
        }
        Ok(DataView { doc, data, crc })
    }

    /// The top-level document.
    pub fn document(&self) -> RawDocument<'a> {
        self.doc
    }

    /// The CRC check made when opening (`None` in mode 0 without `crc`).
    pub fn crc(&self) -> Option<CrcCheck> {
        self.crc
    }

    fn field(&self, name: &str) -> Option<RawBson<'a>> {
        self.doc
            .iter()
            .map_while(Result::ok)
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// `uid`, when it is a string.
    pub fn uid(&self) -> Option<&'a str> {
        match self.field("uid")? {
            RawBson::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// `source`, when it is a string.
    pub fn source(&self) -> Option<&'a str> {
        match self.field("source")? {
            RawBson::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// `TS` (or `ts`): file creation time.
    pub fn ts(&self) -> Option<i64> {
        integer(&self.field("ts")?)
    }

    /// `frameCount` (or `framecount`) as stated by the hub.
    pub fn frame_count(&self) -> Option<i64> {
        integer(&self.field("framecount")?)
    }

    /// The frames, in file order.
    pub fn frames(&self) -> Frames<'a> {
        Frames {
            inner: self.data.map(|a| a.iter()),
            index: 0,
        }
    }
}

/// Iterator over the frames of a [`DataView`]. A malformed frame yields one
/// `Err` naming the frame and field; iteration then continues with the next
/// frame (a malformed BSON array ends it).
#[derive(Debug, Clone)]
pub struct Frames<'a> {
    inner: Option<ArrayIter<'a>>,
    index: usize,
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<RawFrame<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.as_mut()?.next()?;
        let index = self.index;
        self.index += 1;
        let value = match item {
            Ok(v) => v,
            Err(e) => {
                self.inner = None;
                return Some(Err(e.into()));
            }
        };
        let RawBson::Document(doc) = value else {
            return Some(Err(Error::Frame {
                index,
                field: "{}",
                problem: "is not a document",
                offset: 0,
            }));
        };
        Some(frame(index, doc))
    }
}

fn frame<'a>(index: usize, doc: RawDocument<'a>) -> Result<RawFrame<'a>, Error> {
    let (mut t, mut r, mut f) = (None, None, None);
    let offset = doc.offset();
    let bad = |field, problem| Error::Frame {
        index,
        field,
        problem,
        offset,
    };
    for item in doc.iter() {
        let (k, v) = item?;
        match k.as_bytes() {
            b"T" | b"t" => t = Some(integer(&v).ok_or(bad("T", "is not an integer"))?),
            b"R" | b"r" => r = Some(integer(&v).ok_or(bad("R", "is not an integer"))?),
            b"F" | b"f" => match v {
                RawBson::Binary(b) => f = Some((b.bytes, b.subtype)),
                _ => return Err(bad("F", "is not a binary")),
            },
            _ => {}
        }
    }
    let t = t.ok_or(bad("T", "is missing"))?;
    let r = r.ok_or(bad("R", "is missing"))?;
    let (f, subtype) = f.ok_or(bad("F", "is missing"))?;
    Ok(RawFrame {
        index,
        t,
        r,
        f,
        subtype,
    })
}

#[cfg(feature = "wmbus")]
impl RawFrame<'_> {
    /// Decodes `F` with webdyn-wmbus as a CRC-free frame (as the hub stores
    /// it), decrypting with the key `keys` gives for the meter. `buf` must
    /// hold at least `F`'s length.
    ///
    /// Both L-field meanings are accepted: adapted by the hub (the default,
    /// `F[0] == F.len() - 1`) and format B kept (`BFormatLFieldAdaptation =
    /// false`).
    pub fn decode<'b, K: webdyn_wmbus::security::KeyProvider + ?Sized>(
        &self,
        keys: &K,
        buf: &'b mut [u8],
    ) -> Result<webdyn_wmbus::telegram::Telegram<'b>, webdyn_wmbus::Error> {
        decode_frame(self.f, keys, buf)
    }
}

/// Decodes a hub-stored frame (`F`: from the L-field on, CRCs removed) with
/// webdyn-wmbus; see [`RawFrame::decode`].
#[cfg(feature = "wmbus")]
pub fn decode_frame<'b, K: webdyn_wmbus::security::KeyProvider + ?Sized>(
    f: &[u8],
    keys: &K,
    buf: &'b mut [u8],
) -> Result<webdyn_wmbus::telegram::Telegram<'b>, webdyn_wmbus::Error> {
    use webdyn_wmbus::frame::{Format, FormatHint};
    webdyn_wmbus::telegram::decode(f, FormatHint::Only(Format::None), keys, buf)
}
