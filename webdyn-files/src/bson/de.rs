//! A serde `Deserializer` reading straight from BSON bytes, borrowing
//! `&str` and `&[u8]` from the input wherever the target type allows.
//!
//! Elements are validated as they are read (lazily), nesting is limited to
//! [`Limits::DEFAULT`]`.max_depth`, and every error carries the byte offset
//! of the element it concerns (array elements included), from which
//! [`from_slice_with_path`] (or [`Error::key_path`]) names it by key path,
//! e.g. `frames.3.F`.
//!
//! Types without a serde counterpart are presented as: ObjectId and
//! Decimal128 → their bytes; datetime → `i64` milliseconds; timestamp →
//! `u64` (`time << 32 | increment`); regular expression → its pattern;
//! DBPointer → its namespace; code (with scope) and symbol → the code
//! string; undefined, min key and max key → unit.

use core::fmt;

use serde::de::value::{BorrowedBytesDeserializer, BorrowedStrDeserializer};
use serde::de::{self, Deserialize, DeserializeSeed, IntoDeserializer, Visitor};

use super::error::{Error, ErrorKind};
use super::raw::{Iter, Limits, RawBinary, RawBson, RawDocument};
use super::ser::BINARY_NAME;

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        <Error as serde::ser::Error>::custom(msg)
    }
}

/// Deserialises a `T` from one BSON document occupying exactly `bytes`.
///
/// ```
/// #[derive(serde::Deserialize, PartialEq, Debug)]
/// struct Frame<'a> { #[serde(rename = "T")] t: i32, name: &'a str }
/// let bytes = webdyn_files::bson::to_vec(&webdyn_files::doc! { "T": 7, "name": "m1" })?;
/// let f: Frame = webdyn_files::bson::from_slice(&bytes)?;
/// assert_eq!(f, Frame { t: 7, name: "m1" });
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
pub fn from_slice<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    let doc = RawDocument::new(bytes)?;
    from_raw_document(doc)
}

/// [`from_slice`], with an error that also names the element it concerns
/// by its key path (see [`PathError`](super::document::PathError)), in the
/// manner of `serde_path_to_error`. Deserialisation is the same; the path
/// is worked out from the input only when it fails.
///
/// ```
/// #[derive(serde::Deserialize, Debug)]
/// struct Frame { #[serde(rename = "F")] f: u8 }
/// #[derive(serde::Deserialize, Debug)]
/// struct Log { frames: Vec<Frame> }
/// let bytes = webdyn_files::bson::to_vec(&webdyn_files::doc! {
///     "frames": [{ "F": 1 }, { "F": 2 }, { "F": "x" }]
/// })?;
/// let e = webdyn_files::bson::de::from_slice_with_path::<Log>(&bytes).unwrap_err();
/// assert_eq!(e.path, "frames.2.F");
/// # Ok::<(), webdyn_files::bson::Error>(())
/// ```
#[cfg(feature = "alloc")]
pub fn from_slice_with_path<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
) -> Result<T, super::document::PathError> {
    from_slice(bytes).map_err(|e| super::document::PathError::new(e, bytes))
}

/// Deserialises a `T` from a borrowed document.
pub fn from_raw_document<'de, T: Deserialize<'de>>(doc: RawDocument<'de>) -> Result<T, Error> {
    T::deserialize(Deserializer {
        value: RawBson::Document(doc),
        depth: 1,
        offset: doc.offset(),
    })
}

/// Deserialises one borrowed BSON value.
pub struct Deserializer<'de> {
    value: RawBson<'de>,
    depth: usize,
    offset: usize,
}

impl<'de> Deserializer<'de> {
    /// A deserializer over one value.
    pub fn new(value: RawBson<'de>) -> Self {
        Self {
            value,
            depth: 1,
            offset: 0,
        }
    }

    fn deeper(&self, offset: usize) -> Result<usize, Error> {
        let d = self.depth + 1;
        if d > Limits::DEFAULT.max_depth {
            Err(Error::new(
                ErrorKind::TooDeep(Limits::DEFAULT.max_depth),
                offset,
            ))
        } else {
            Ok(d)
        }
    }

    fn at(&self, e: Error) -> Error {
        if e.offset == 0 {
            Error {
                offset: self.offset,
                ..e
            }
        } else {
            e
        }
    }
}

fn u64_ts(t: super::raw::Timestamp) -> u64 {
    (u64::from(t.time) << 32) | u64::from(t.increment)
}

impl<'de> de::Deserializer<'de> for Deserializer<'de> {
    type Error = Error;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match self.value {
            RawBson::Double(v) => visitor.visit_f64(v),
            RawBson::String(s) | RawBson::JavaScriptCode(s) | RawBson::Symbol(s) => {
                visitor.visit_borrowed_str(s.as_str())
            }
            RawBson::Document(d) => {
                let depth = self.deeper(d.offset())?;
                visitor.visit_map(MapAccess {
                    iter: d.iter(),
                    value: None,
                    depth,
                })
            }
            RawBson::Array(a) => {
                let depth = self.deeper(a.as_document().offset())?;
                visitor.visit_seq(SeqAccess {
                    iter: a.as_document().iter(),
                    depth,
                })
            }
            RawBson::Binary(b) => visitor.visit_borrowed_bytes(b.bytes),
            RawBson::Undefined | RawBson::Null | RawBson::MinKey | RawBson::MaxKey => {
                visitor.visit_unit()
            }
            RawBson::ObjectId(o) => visitor.visit_bytes(&o.0),
            RawBson::Boolean(b) => visitor.visit_bool(b),
            RawBson::DateTime(d) => visitor.visit_i64(d.0),
            RawBson::RegularExpression(r) => visitor.visit_borrowed_str(r.pattern),
            RawBson::DbPointer(p) => visitor.visit_borrowed_str(p.namespace),
            RawBson::JavaScriptCodeWithScope(c) => visitor.visit_borrowed_str(c.code),
            RawBson::Int32(i) => visitor.visit_i32(i),
            RawBson::Timestamp(t) => visitor.visit_u64(u64_ts(t)),
            RawBson::Int64(i) => visitor.visit_i64(i),
            RawBson::Decimal128(d) => visitor.visit_bytes(&d.bytes()),
        };
        r.map_err(|e| self.at(e))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            RawBson::Null | RawBson::Undefined => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match (name, self.value) {
            (BINARY_NAME, RawBson::Binary(b)) => visitor.visit_seq(BinarySeq { bin: b, state: 0 }),
            #[cfg(feature = "alloc")]
            (super::serde_impls::RAW_BSON_NAME, v) => {
                if super::serde_impls::is_special(&v) {
                    let mut bytes = alloc::vec::Vec::new();
                    super::writer::put_value(&mut bytes, &v);
                    visitor
                        .visit_enum(RawEnum {
                            tag: v.element_type() as u8,
                            bytes: &bytes,
                        })
                        .map_err(|e| self.at(e))
                } else {
                    self.deserialize_any(visitor)
                }
            }
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            RawBson::String(s) => {
                visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(s.as_str()))
            }
            RawBson::Document(d) => {
                let mut it = d.iter();
                let (Some(first), None) = (it.next(), it.next()) else {
                    return Err(Error::new(
                        ErrorKind::Unsupported("an enum document must have exactly one key"),
                        d.offset(),
                    ));
                };
                let (variant, value) = first?;
                let depth = self.deeper(d.offset())?;
                visitor.visit_enum(EnumAccess {
                    variant: variant.as_str(),
                    value: Deserializer {
                        value,
                        depth,
                        offset: d.offset(),
                    },
                })
            }
            other => Err(Error::new(
                ErrorKind::WrongType {
                    expected: super::spec::ElementType::Document,
                    found: other.element_type(),
                },
                self.offset,
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct MapAccess<'de> {
    iter: Iter<'de>,
    value: Option<(RawBson<'de>, usize)>,
    depth: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let offset = self.iter.offset();
        match self.iter.next() {
            None => Ok(None),
            Some(item) => {
                let (k, v) = item?;
                self.value = Some((v, offset));
                seed.deserialize(BorrowedStrDeserializer::new(k.as_str()))
                    .map(Some)
            }
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((value, offset)) = self.value.take() else {
            return Err(Error::new(
                ErrorKind::Unsupported("value before key"),
                self.iter.offset(),
            ));
        };
        seed.deserialize(Deserializer {
            value,
            depth: self.depth,
            offset,
        })
        .map_err(|e| {
            if e.offset == 0 {
                Error { offset, ..e }
            } else {
                e
            }
        })
    }
}

/// The elements of an array. Walked as a document (keys skipped) so that
/// each element's offset is known: an error inside one points at it, which
/// gives it its index in a key path.
struct SeqAccess<'de> {
    iter: Iter<'de>,
    depth: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let offset = self.iter.offset();
        match self.iter.next() {
            None => Ok(None),
            Some(item) => {
                let (_, value) = item?;
                seed.deserialize(Deserializer {
                    value,
                    depth: self.depth,
                    offset,
                })
                .map(Some)
                .map_err(|e| {
                    if e.offset == 0 {
                        Error { offset, ..e }
                    } else {
                        e
                    }
                })
            }
        }
    }
}

struct EnumAccess<'de> {
    variant: &'de str,
    value: Deserializer<'de>,
}

impl<'de> de::EnumAccess<'de> for EnumAccess<'de> {
    type Error = Error;
    type Variant = Deserializer<'de>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let v = seed.deserialize(BorrowedStrDeserializer::<Error>::new(self.variant))?;
        Ok((v, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Deserializer<'de> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// Presents a value as the enum variant `tag(bytes)`.
#[cfg(feature = "alloc")]
struct RawEnum<'b> {
    tag: u8,
    bytes: &'b [u8],
}

#[cfg(feature = "alloc")]
impl<'de> de::EnumAccess<'de> for RawEnum<'_> {
    type Error = Error;
    type Variant = Self;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let v = seed.deserialize(IntoDeserializer::<Error>::into_deserializer(self.tag))?;
        Ok((v, self))
    }
}

#[cfg(feature = "alloc")]
impl<'de> de::VariantAccess<'de> for RawEnum<'_> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        Err(Error::new(ErrorKind::Unsupported("raw BSON value"), 0))
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(serde::de::value::BytesDeserializer::<Error>::new(
            self.bytes,
        ))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Error> {
        Err(Error::new(ErrorKind::Unsupported("raw BSON value"), 0))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        Err(Error::new(ErrorKind::Unsupported("raw BSON value"), 0))
    }
}

/// Presents a binary as the sequence `(subtype, bytes)`.
struct BinarySeq<'de> {
    bin: RawBinary<'de>,
    state: u8,
}

impl<'de> de::SeqAccess<'de> for BinarySeq<'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.state += 1;
        match self.state {
            1 => seed
                .deserialize(IntoDeserializer::<Error>::into_deserializer(
                    self.bin.subtype,
                ))
                .map(Some),
            2 => seed
                .deserialize(BorrowedBytesDeserializer::<Error>::new(self.bin.bytes))
                .map(Some),
            _ => Ok(None),
        }
    }
}

struct RawBinaryVisitor<'a>(core::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for RawBinaryVisitor<'a> {
    type Value = RawBinary<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a BSON binary borrowed from the input")
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
        Ok(RawBinary {
            subtype: 0,
            bytes: v,
        })
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let subtype: u8 = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let bytes: &'de [u8] = seq
            .next_element::<BorrowedBytes<'de>>()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?
            .0;
        Ok(RawBinary { subtype, bytes })
    }
}

struct BorrowedBytes<'de>(&'de [u8]);

impl<'de> Deserialize<'de> for BorrowedBytes<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BorrowedBytes<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("borrowed bytes")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
                Ok(BorrowedBytes(v))
            }
        }
        d.deserialize_bytes(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawBinary<'a> {
    /// From a BSON binary (any subtype, borrowed) or borrowed bytes (subtype 0).
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(BINARY_NAME, RawBinaryVisitor(core::marker::PhantomData))
    }
}

#[cfg(feature = "alloc")]
mod owned {
    use super::*;
    use crate::bson::document::Binary;
    use alloc::vec::Vec;

    struct BinaryVisitor;

    struct ByteVec(Vec<u8>);

    impl<'de> Deserialize<'de> for ByteVec {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = ByteVec;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                    Ok(ByteVec(v.to_vec()))
                }
                fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
                    Ok(ByteVec(v))
                }
                fn visit_seq<A: de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some(b) = seq.next_element::<u8>()? {
                        out.push(b);
                    }
                    Ok(ByteVec(out))
                }
            }
            d.deserialize_byte_buf(V)
        }
    }

    impl<'de> Visitor<'de> for BinaryVisitor {
        type Value = Binary;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a BSON binary")
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Binary, E> {
            Ok(Binary {
                subtype: 0,
                bytes: v.to_vec(),
            })
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Binary, E> {
            Ok(Binary {
                subtype: 0,
                bytes: v,
            })
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Binary, A::Error> {
            let subtype: u8 = seq
                .next_element()?
                .ok_or_else(|| de::Error::invalid_length(0, &self))?;
            let bytes = seq
                .next_element::<ByteVec>()?
                .ok_or_else(|| de::Error::invalid_length(1, &self))?
                .0;
            Ok(Binary { subtype, bytes })
        }
        fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Binary, D::Error> {
            Ok(Binary {
                subtype: 0,
                bytes: ByteVec::deserialize(d)?.0,
            })
        }
    }

    impl<'de> Deserialize<'de> for Binary {
        /// From a BSON binary of any subtype, or plain bytes (subtype 0).
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_newtype_struct(BINARY_NAME, BinaryVisitor)
        }
    }
}
