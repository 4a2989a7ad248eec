//! `Serialize` / `Deserialize` for the owned [`Bson`] and [`Document`].
//!
//! Through this crate's serializer and deserializer every BSON type
//! survives exactly (ObjectId, datetime, decimal128, ... are passed as their
//! wire bytes under a private name). Other formats see plain values, and
//! human-readable ones (JSON) see the canonical Extended JSON wrappers such
//! as `{"$oid": "..."}` for the types JSON lacks.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::document::{Binary, Bson, Document};
use super::raw::RawBson;
use super::ser::Bytes;
use super::spec::ElementType;

/// The private newtype name carrying `(tag, value bytes)` of one value.
pub(crate) const RAW_BSON_NAME: &str = "$__webdyn_bson_raw";

fn encoded(v: &Bson) -> Vec<u8> {
    // Encode as a one-element document and strip the header: reuses the
    // owned writer for every type.
    let mut d = Document::new();
    d.push_unchecked("", v.clone());
    let bytes = d.to_vec().unwrap_or_default();
    // 4 length + 1 tag + 1 empty key NUL ... value ... 1 terminator
    bytes
        .get(6..bytes.len().saturating_sub(1))
        .unwrap_or_default()
        .to_vec()
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for Bson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Bson::Double(v) => s.serialize_f64(*v),
            Bson::String(v) => s.serialize_str(v),
            Bson::Array(v) => v.serialize(s),
            Bson::Document(v) => v.serialize(s),
            Bson::Boolean(v) => s.serialize_bool(*v),
            Bson::Null => s.serialize_unit(),
            Bson::Int32(v) => s.serialize_i32(*v),
            Bson::Int64(v) => s.serialize_i64(*v),
            Bson::Binary(v) if !s.is_human_readable() => v.serialize(s),
            other if !s.is_human_readable() => s.serialize_newtype_variant(
                RAW_BSON_NAME,
                u32::from(other.element_type() as u8),
                "$bson",
                &Bytes(&encoded(other)),
            ),
            other => {
                // Canonical Extended JSON of the value, as a JSON map.
                let mut d = Document::new();
                d.push_unchecked("v", other.clone());
                let bytes = d.to_vec().map_err(serde::ser::Error::custom)?;
                let raw =
                    super::raw::RawDocument::new(&bytes).map_err(serde::ser::Error::custom)?;
                let text = super::extjson::to_canonical(&raw).map_err(serde::ser::Error::custom)?;
                let json = super::extjson::parse_json(&text).map_err(serde::ser::Error::custom)?;
                JsonRef(&json).serialize(s)
            }
        }
    }
}

/// Serialises our JSON tree (used for human-readable output).
struct JsonRef<'a>(&'a super::extjson::Spanned);

impl Serialize for JsonRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use super::extjson::Json;
        match &self.0.value {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    s.serialize_i64(i)
                } else if let Ok(u) = n.parse::<u64>() {
                    s.serialize_u64(u)
                } else {
                    s.serialize_f64(n.parse().unwrap_or(f64::NAN))
                }
            }
            Json::String(t) => s.serialize_str(t),
            Json::Array(items) => s.collect_seq(items.iter().map(JsonRef)),
            Json::Object(entries) => {
                // The top-level wrapper {"v": ...} is unwrapped by the caller
                // path below: serialise entries as they are.
                if let [(k, v)] = entries.as_slice()
                    && k == "v"
                    && self.0.offset == 0
                {
                    return JsonRef(v).serialize(s);
                }
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, &JsonRef(v))?;
                }
                m.end()
            }
        }
    }
}

struct BsonVisitor;

impl<'de> Visitor<'de> for BsonVisitor {
    type Value = Bson;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a BSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Bson, E> {
        Ok(Bson::Boolean(v))
    }
    fn visit_i32<E: de::Error>(self, v: i32) -> Result<Bson, E> {
        Ok(Bson::Int32(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bson, E> {
        Ok(i32::try_from(v).map_or(Bson::Int64(v), Bson::Int32))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bson, E> {
        match i64::try_from(v) {
            Ok(i) => self.visit_i64(i),
            Err(_) => Ok(Bson::Double(v as f64)),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bson, E> {
        Ok(Bson::Double(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Bson, E> {
        Ok(Bson::String(v.into()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Bson, E> {
        Ok(Bson::String(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Bson, E> {
        Ok(Bson::Binary(Binary {
            subtype: 0,
            bytes: v.to_vec(),
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Bson, E> {
        Ok(Bson::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Bson, E> {
        Ok(Bson::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Bson, D::Error> {
        Bson::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Bson, D::Error> {
        Bson::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bson, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<Bson>()? {
            out.push(v);
        }
        Ok(Bson::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Bson, A::Error> {
        DocVisitor.visit_map(map).map(Bson::Document)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Bson, A::Error> {
        use de::VariantAccess;
        let (tag, variant): (u8, _) = data.variant()?;
        let bytes: Binary = variant.newtype_variant()?;
        let ty = ElementType::from_u8(tag).ok_or_else(|| de::Error::custom("unknown BSON type"))?;
        let (raw, used) = super::raw::read_value(&bytes.bytes, ty).map_err(de::Error::custom)?;
        if used != bytes.bytes.len() {
            return Err(de::Error::custom("trailing bytes after a BSON value"));
        }
        Bson::from_raw(raw).map_err(de::Error::custom)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Document;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a BSON document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut d = Document::new();
        while let Some((k, v)) = map.next_entry::<String, Bson>()? {
            d.push_unchecked(k, v);
        }
        Ok(d)
    }
}

impl<'de> Deserialize<'de> for Bson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(RAW_BSON_NAME, BsonVisitor)
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(DocVisitor)
    }
}

/// True for the values the deserializer passes as raw `(tag, bytes)`.
pub(crate) fn is_special(v: &RawBson<'_>) -> bool {
    !matches!(
        v,
        RawBson::Double(_)
            | RawBson::String(_)
            | RawBson::Document(_)
            | RawBson::Array(_)
            | RawBson::Boolean(_)
            | RawBson::Null
            | RawBson::Int32(_)
            | RawBson::Int64(_)
    )
}
