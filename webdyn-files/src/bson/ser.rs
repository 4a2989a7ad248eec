//! A serde `Serializer` that writes BSON bytes directly into an [`Output`]
//! (a `Vec<u8>`, or a caller's `&mut [u8]` without `alloc`), with no
//! intermediate document.
//!
//! Mapping: `bool` → boolean; `i8`/`i16`/`i32`/`u8`/`u16` → int32;
//! `i64`/`u32` → int64; `u64` → int64 when it fits; floats → double;
//! `char`/`str` → string; bytes → binary subtype 0 (use
//! [`Binary`](super::Binary) or [`RawBinary`] for other subtypes); `None`
//! and `()` → null; sequences and tuples → array; maps and structs →
//! document; a unit variant → its name as a string; other variants →
//! `{ variant: value }`. The top-level value must be a struct or map.

use core::fmt::Display;

use serde::ser::{self, Impossible, Serialize};

use super::error::{Error, ErrorKind};
use super::raw::RawBinary;
use super::spec::ElementType;
use super::writer::{Output, SliceOutput, put_binary};

/// The newtype-variant name that marks a binary with an explicit subtype.
pub(crate) const BINARY_NAME: &str = "$__webdyn_bson_binary";
#[cfg(feature = "alloc")]
use super::serde_impls::RAW_BSON_NAME;
/// Without `alloc` no owned value uses the raw path; the name is never matched.
#[cfg(not(feature = "alloc"))]
const RAW_BSON_NAME: &str = "$__webdyn_bson_raw";

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        #[cfg(feature = "alloc")]
        {
            Error::new(
                ErrorKind::Custom(alloc::string::ToString::to_string(&msg)),
                0,
            )
        }
        #[cfg(not(feature = "alloc"))]
        {
            let _ = msg;
            Error::new(ErrorKind::Custom, 0)
        }
    }
}

/// Serialises `value` (a struct or map) as one BSON document.
#[cfg(feature = "alloc")]
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<alloc::vec::Vec<u8>, Error> {
    let mut out = alloc::vec::Vec::with_capacity(128);
    to_output(value, &mut out)?;
    Ok(out)
}

/// Serialises `value` into a caller buffer; returns the written document.
/// Fails with [`ErrorKind::BufferTooSmall`] when it does not fit.
pub fn to_slice<'b, T: Serialize + ?Sized>(
    value: &T,
    buf: &'b mut [u8],
) -> Result<&'b [u8], Error> {
    let mut out = SliceOutput::new(buf);
    to_output(value, &mut out)?;
    Ok(out.into_written())
}

/// Serialises `value` as one document appended to `out`.
pub fn to_output<O: Output, T: Serialize + ?Sized>(value: &T, out: &mut O) -> Result<(), Error> {
    value.serialize(ValueSerializer { out, tag: None })
}

#[inline]
fn put<O: Output>(out: &mut O, bytes: &[u8]) -> Result<(), Error> {
    if out.reserve(bytes.len()) {
        out.put(bytes);
        Ok(())
    } else {
        Err(super::writer::too_small(out, bytes.len()))
    }
}

fn put_cstr<O: Output>(out: &mut O, s: &str) -> Result<(), Error> {
    super::writer::check_cstr(s, "key", out.len())?;
    put(out, s.as_bytes())?;
    put(out, &[0])
}

/// Serialises one value. `tag` is where the element's type byte goes (its
/// key is already written), or `None` for the top-level document.
pub struct ValueSerializer<'o, O: Output> {
    out: &'o mut O,
    tag: Option<usize>,
}

impl<'o, O: Output> ValueSerializer<'o, O> {
    fn set(&mut self, ty: ElementType) -> Result<(), Error> {
        match self.tag {
            Some(at) => {
                self.out.patch(at, &[ty as u8]);
                Ok(())
            }
            None => Err(Error::new(
                ErrorKind::Unsupported("the top-level value must be a struct or a map"),
                self.out.len(),
            )),
        }
    }

    fn fixed(mut self, ty: ElementType, bytes: &[u8]) -> Result<(), Error> {
        self.set(ty)?;
        put(self.out, bytes)
    }

    fn string(mut self, s: &str) -> Result<(), Error> {
        self.set(ElementType::String)?;
        let len = i32::try_from(s.len() + 1)
            .map_err(|_| Error::new(ErrorKind::Length(s.len() as i64), self.out.len()))?;
        put(self.out, &len.to_le_bytes())?;
        put(self.out, s.as_bytes())?;
        put(self.out, &[0])
    }

    /// Opens a document (or array) value; for the top level, just the doc.
    fn open(mut self, ty: ElementType) -> Result<Compound<'o, O>, Error> {
        // The top level may only be a document (set() rejects the rest).
        if self.tag.is_some() || ty != ElementType::Document {
            self.set(ty)?;
        }
        let start = self.out.len();
        put(self.out, &[0; 4])?;
        Ok(Compound {
            out: self.out,
            start,
            index: 0,
            outer: None,
            pending: None,
        })
    }

    /// Opens `{ variant: <ty> }`.
    fn open_variant(mut self, variant: &str, ty: ElementType) -> Result<Compound<'o, O>, Error> {
        if self.tag.is_some() {
            self.set(ElementType::Document)?;
        }
        let outer = self.out.len();
        put(self.out, &[0; 4])?;
        put(self.out, &[ty as u8])?;
        put_cstr(self.out, variant)?;
        let start = self.out.len();
        put(self.out, &[0; 4])?;
        Ok(Compound {
            out: self.out,
            start,
            index: 0,
            outer: Some(outer),
            pending: None,
        })
    }
}

/// Writes a `Display` value straight into the output.
fn write_display<O: Output, T: Display + ?Sized>(out: &mut O, value: &T) -> Result<(), Error> {
    struct W<'a, O: Output> {
        out: &'a mut O,
        err: Option<Error>,
    }
    impl<O: Output> core::fmt::Write for W<'_, O> {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            put(self.out, s.as_bytes()).map_err(|e| {
                self.err = Some(e);
                core::fmt::Error
            })
        }
    }
    let mut w = W { out, err: None };
    match core::fmt::write(&mut w, format_args!("{value}")) {
        Ok(()) => Ok(()),
        Err(_) => Err(w.err.unwrap_or(Error::new(
            ErrorKind::Unsupported("Display implementation failed"),
            0,
        ))),
    }
}

fn close<O: Output>(out: &mut O, start: usize) -> Result<(), Error> {
    put(out, &[0])?;
    let len = i32::try_from(out.len() - start)
        .map_err(|_| Error::new(ErrorKind::Length((out.len() - start) as i64), start))?;
    out.patch(start, &len.to_le_bytes());
    Ok(())
}

/// A document or array being serialised.
pub struct Compound<'o, O: Output> {
    out: &'o mut O,
    start: usize,
    index: usize,
    /// Start of the `{variant: ...}` wrapper, if any.
    outer: Option<usize>,
    /// Tag position of a map entry whose key was written.
    pending: Option<usize>,
}

impl<O: Output> Compound<'_, O> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let tag = self.out.len();
        put(self.out, &[0])?;
        put_cstr(self.out, key)?;
        value.serialize(ValueSerializer {
            out: &mut *self.out,
            tag: Some(tag),
        })
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let mut buf = super::writer::itoa_buf::Buf::new();
        let i = self.index;
        self.index += 1;
        let tag = self.out.len();
        put(self.out, &[0])?;
        put(self.out, buf.format_bytes(i))?;
        put(self.out, &[0])?;
        value.serialize(ValueSerializer {
            out: &mut *self.out,
            tag: Some(tag),
        })
    }

    fn finish(self) -> Result<(), Error> {
        close(self.out, self.start)?;
        if let Some(outer) = self.outer {
            close(self.out, outer)?;
        }
        Ok(())
    }
}

impl<O: Output> ser::SerializeSeq for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<O: Output> ser::SerializeTuple for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<O: Output> ser::SerializeTupleStruct for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<O: Output> ser::SerializeTupleVariant for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<O: Output> ser::SerializeMap for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let tag = self.out.len();
        put(self.out, &[0])?;
        key.serialize(KeySerializer {
            out: &mut *self.out,
        })?;
        self.pending = Some(tag);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let Some(tag) = self.pending.take() else {
            return Err(Error::new(
                ErrorKind::Unsupported("map value without a key"),
                self.out.len(),
            ));
        };
        value.serialize(ValueSerializer {
            out: &mut *self.out,
            tag: Some(tag),
        })
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<O: Output> ser::SerializeStruct for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<O: Output> ser::SerializeStructVariant for Compound<'_, O> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<'o, O: Output> ser::Serializer for ValueSerializer<'o, O> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'o, O>;
    type SerializeTuple = Compound<'o, O>;
    type SerializeTupleStruct = Compound<'o, O>;
    type SerializeTupleVariant = Compound<'o, O>;
    type SerializeMap = Compound<'o, O>;
    type SerializeStruct = Compound<'o, O>;
    type SerializeStructVariant = Compound<'o, O>;

    fn is_human_readable(&self) -> bool {
        false
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.fixed(ElementType::Boolean, &[u8::from(v)])
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i32(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i32(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.fixed(ElementType::Int32, &v.to_le_bytes())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.fixed(ElementType::Int64, &v.to_le_bytes())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_i32(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_i32(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        match i64::try_from(v) {
            Ok(v) => self.serialize_i64(v),
            Err(_) => Err(Error::new(
                ErrorKind::Unsupported("u64 above i64::MAX"),
                self.out.len(),
            )),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.fixed(ElementType::Double, &v.to_le_bytes())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut b = [0u8; 4];
        self.string(v.encode_utf8(&mut b))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn collect_str<T: Display + ?Sized>(mut self, value: &T) -> Result<(), Error> {
        self.set(ElementType::String)?;
        let start = self.out.len();
        put(self.out, &[0; 4])?;
        write_display(self.out, value)?;
        put(self.out, &[0])?;
        let len = i32::try_from(self.out.len() - start - 4)
            .map_err(|_| Error::new(ErrorKind::Length(0), start))?;
        self.out.patch(start, &len.to_le_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        write_binary(self, 0, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.fixed(ElementType::Null, &[])
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.fixed(ElementType::Null, &[])
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.fixed(ElementType::Null, &[])
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if name == BINARY_NAME {
            let subtype = u8::try_from(index).unwrap_or(0);
            return value.serialize(BinarySerializer {
                inner: self,
                subtype,
                verbatim: false,
            });
        }
        if name == RAW_BSON_NAME {
            let tag = u8::try_from(index).unwrap_or(0);
            return value.serialize(BinarySerializer {
                inner: self,
                subtype: tag,
                verbatim: true,
            });
        }
        let mut c = self.open(ElementType::Document)?;
        c.field(variant, value)?;
        c.finish()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'o, O>, Error> {
        self.open(ElementType::Array)
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'o, O>, Error> {
        self.open(ElementType::Array)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'o, O>, Error> {
        self.open(ElementType::Array)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'o, O>, Error> {
        self.open_variant(variant, ElementType::Array)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'o, O>, Error> {
        self.open(ElementType::Document)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'o, O>, Error> {
        self.open(ElementType::Document)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'o, O>, Error> {
        self.open_variant(variant, ElementType::Document)
    }
}

fn write_binary<O: Output>(
    mut s: ValueSerializer<'_, O>,
    subtype: u8,
    v: &[u8],
) -> Result<(), Error> {
    s.set(ElementType::Binary)?;
    let extra = if subtype == super::spec::subtype::BINARY_OLD {
        4
    } else {
        0
    };
    if v.len() > (i32::MAX as usize) - 8 {
        return Err(Error::new(ErrorKind::Length(v.len() as i64), s.out.len()));
    }
    let needed = 5 + extra + v.len();
    if !s.out.reserve(needed) {
        return Err(super::writer::too_small(s.out, needed));
    }
    put_binary(s.out, subtype, v);
    Ok(())
}

fn unsupported(what: &'static str) -> Error {
    Error::new(ErrorKind::Unsupported(what), 0)
}

/// Generates the methods of a serializer that accepts only some types.
macro_rules! reject {
    ($msg:expr; $($name:ident($($arg:ty),*))*) => {$(
        fn $name(self, $(_: $arg),*) -> Result<Self::Ok, Error> {
            Err(unsupported($msg))
        }
    )*};
}

macro_rules! reject_compound {
    ($msg:expr) => {
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, Error> {
            Err(unsupported($msg))
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Error> {
            Err(unsupported($msg))
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Error> {
            Err(unsupported($msg))
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
            Err(unsupported($msg))
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
            Err(unsupported($msg))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Error> {
            Err(unsupported($msg))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            Err(unsupported($msg))
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
            Err(unsupported($msg))
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Error> {
            Err(unsupported($msg))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            Err(unsupported($msg))
        }
    };
}

/// Writes a map key: strings, chars and integers are accepted.
struct KeySerializer<'o, O: Output> {
    out: &'o mut O,
}

impl<O: Output> KeySerializer<'_, O> {
    fn int(self, v: i128) -> Result<(), Error> {
        let mut buf = [0u8; 40];
        let mut n = buf.len();
        let neg = v < 0;
        let mut u = v.unsigned_abs();
        loop {
            n -= 1;
            if let Some(slot) = buf.get_mut(n) {
                *slot = b'0' + (u % 10) as u8;
            }
            u /= 10;
            if u == 0 || n == 0 {
                break;
            }
        }
        if neg && n > 0 {
            n -= 1;
            if let Some(slot) = buf.get_mut(n) {
                *slot = b'-';
            }
        }
        put(self.out, buf.get(n..).unwrap_or_default())?;
        put(self.out, &[0])
    }
}

const KEY_MSG: &str = "map keys must be strings, chars or integers";

impl<O: Output> ser::Serializer for KeySerializer<'_, O> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        put_cstr(self.out, v)
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        let start = self.out.len();
        write_display(self.out, value)?;
        if self
            .out
            .written()
            .get(start..)
            .unwrap_or_default()
            .contains(&0)
        {
            return Err(Error::new(ErrorKind::InteriorNul("key"), start));
        }
        put(self.out, &[0])
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut b = [0u8; 4];
        put_cstr(self.out, v.encode_utf8(&mut b))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        put_cstr(self.out, variant)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v.into())
    }
    reject! { KEY_MSG;
        serialize_bool(bool) serialize_f32(f32) serialize_f64(f64) serialize_bytes(&[u8])
        serialize_none() serialize_unit() serialize_unit_struct(&'static str)
    }
    reject_compound!(KEY_MSG);
}

/// Receives the payload of a [`Binary`](super::Binary) / [`RawBinary`], or
/// (`verbatim`) the wire bytes of a value whose type tag is `subtype`.
struct BinarySerializer<'o, O: Output> {
    inner: ValueSerializer<'o, O>,
    subtype: u8,
    verbatim: bool,
}

/// Writes a value's wire bytes after checking they are one valid value.
fn write_verbatim<O: Output>(
    mut s: ValueSerializer<'_, O>,
    tag: u8,
    v: &[u8],
) -> Result<(), Error> {
    let at = s.out.len();
    let ty = ElementType::from_u8(tag).ok_or(Error::new(ErrorKind::UnknownType(tag), at))?;
    let (value, used) = super::raw::read_value(v, ty).map_err(|e| e.shifted(at))?;
    // Nested documents were only framed: check them fully before copying.
    match value {
        super::raw::RawBson::Document(d) => d.validate(),
        super::raw::RawBson::Array(a) => a.as_document().validate(),
        super::raw::RawBson::JavaScriptCodeWithScope(c) => c.scope.validate(),
        _ => Ok(()),
    }
    .map_err(|e| e.shifted(at))?;
    if used != v.len() {
        return Err(Error::new(ErrorKind::TrailingBytes(v.len() - used), at));
    }
    s.set(ty)?;
    put(s.out, v)
}

const BIN_MSG: &str = "a binary payload must be bytes";

impl<O: Output> ser::Serializer for BinarySerializer<'_, O> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        if self.verbatim {
            write_verbatim(self.inner, self.subtype, v)
        } else {
            write_binary(self.inner, self.subtype, v)
        }
    }
    fn collect_str<T: Display + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(unsupported(BIN_MSG))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(unsupported(BIN_MSG))
    }
    reject! { BIN_MSG;
        serialize_bool(bool) serialize_f32(f32) serialize_f64(f64) serialize_str(&str)
        serialize_char(char) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32)
        serialize_i64(i64) serialize_u8(u8) serialize_u16(u16) serialize_u32(u32) serialize_u64(u64)
        serialize_none() serialize_unit() serialize_unit_struct(&'static str)
    }
    reject_compound!(BIN_MSG);
}

/// Serialises a byte slice with `serialize_bytes` (like `serde_bytes`).
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl Serialize for RawBinary<'_> {
    /// A BSON binary of this subtype (other formats: `{"$binary": bytes}`).
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_variant(
            BINARY_NAME,
            self.subtype.into(),
            "$binary",
            &Bytes(self.bytes),
        )
    }
}

#[cfg(feature = "alloc")]
impl Serialize for super::document::Binary {
    /// A BSON binary of this subtype (other formats: `{"$binary": bytes}`).
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_variant(
            BINARY_NAME,
            self.subtype.into(),
            "$binary",
            &Bytes(&self.bytes),
        )
    }
}
