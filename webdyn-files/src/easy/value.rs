//! The value shapes hub documents share, with the lenient readers the
//! manual's own examples need and the strict forms the hub expects.
//!
//! * [`Binary`]: a BSON binary. Read from BSON bytes or from Extended JSON
//!   v1 (`{"$binary": "<base64>", "$type": "80"}`, the manual's notation) and
//!   v2 (`{"$binary": {"base64": .., "subType": ..}}`); any subtype is
//!   accepted (erratum E7). Written as subtype 0x00.
//! * [`OneOrMany`]: a value or an array of values (`radio.mode`,
//!   `radio.duration`, `scheduleRadio[].data`, `remote.ntp`, `cmd`).
//! * [`Text`]: text the manual sometimes writes as a number (`cpin`, `uid`,
//!   `timestamp`, errata E16, E20); always written as a string.
//! * [`nullable`]: `Option<Option<T>>` fields, where an absent key (keep
//!   the current setting) differs from `null` (disable / erase).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::base64;

/// A BSON binary value (its bytes; hub files use subtype 0x00 or 0x80).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Binary {
    fn from(v: Vec<u8>) -> Self {
        Binary(v)
    }
}

impl From<&[u8]> for Binary {
    fn from(v: &[u8]) -> Self {
        Binary(v.to_vec())
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            // Extended JSON v2, canonical.
            struct Inner<'a>(&'a [u8]);
            impl Serialize for Inner<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    let mut m = s.serialize_map(Some(2))?;
                    m.serialize_entry("base64", &base64::encode(self.0))?;
                    m.serialize_entry("subType", "00")?;
                    m.end()
                }
            }
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry("$binary", &Inner(&self.0))?;
            m.end()
        } else {
            s.serialize_bytes(&self.0)
        }
    }
}

/// `"$binary"`'s value: a v1 Base64 string or a v2 object.
enum BinaryField {
    Text(String),
    Object(Vec<u8>),
}

impl<'de> Deserialize<'de> for BinaryField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BinaryField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Base64 string or {\"base64\": .., \"subType\": ..}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BinaryField, E> {
                Ok(BinaryField::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BinaryField, A::Error> {
                let mut bytes = None;
                while let Some(k) = map.next_key::<String>()? {
                    if k == "base64" {
                        let t: String = map.next_value()?;
                        bytes = Some(base64::decode_concatenated(&t).map_err(de::Error::custom)?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                bytes
                    .map(BinaryField::Object)
                    .ok_or_else(|| de::Error::missing_field("base64"))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Binary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a BSON binary or Extended JSON {\"$binary\": ..}")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Binary, E> {
                Ok(Binary(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Binary, E> {
                Ok(Binary(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Binary, A::Error> {
                let mut v = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    v.push(b);
                }
                Ok(Binary(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Binary, A::Error> {
                let mut bytes = None;
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "$binary" => {
                            bytes = Some(match map.next_value::<BinaryField>()? {
                                BinaryField::Object(b) => b,
                                BinaryField::Text(t) => {
                                    base64::decode_concatenated(&t).map_err(de::Error::custom)?
                                }
                            });
                        }
                        // A serializer that renders binaries as
                        // {"bytes": .., "subtype": ..}.
                        "bytes" => bytes = Some(map.next_value::<Binary>()?.0),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                bytes
                    .map(Binary)
                    .ok_or_else(|| de::Error::missing_field("$binary"))
            }
        }
        d.deserialize_any(V)
    }
}

/// One value or an array of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// An array.
    Many(Vec<T>),
}

// Written by hand rather than `#[serde(untagged)]` so that an error inside
// the value (an unknown command name, a wrong type) is reported as such,
// not as "did not match any variant".
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        use serde::de::value::{BytesDeserializer, MapAccessDeserializer};

        struct V<T>(core::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or an array of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<T>()? {
                    v.push(x);
                }
                Ok(OneOrMany::Many(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                T::deserialize(BytesDeserializer::new(v)).map(OneOrMany::One)
            }
        }
        d.deserialize_any(V(core::marker::PhantomData))
    }
}

impl<T> OneOrMany<T> {
    /// The values as a slice (one element for [`OneOrMany::One`]).
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => core::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(v: T) -> Self {
        OneOrMany::One(v)
    }
}

/// Text the manual sometimes writes as a number; always written as a
/// string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(s.to_string())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Serde helpers for `Option<Option<T>>` fields: absent is `None`, `null`
/// is `Some(None)`. Use with `#[serde(default, with = "nullable",
/// skip_serializing_if = "Option::is_none")]`.
pub mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Reads a present key: `null` becomes `Some(None)`.
    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }

    /// Writes `Some(None)` as `null`.
    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(Some(x)) => x.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// Serde helpers for integers: written as BSON int32 when they fit, as the
/// hub does, and int64 otherwise; read from int32, int64 or a whole double
/// (the manual does not fix the width).
pub mod int {
    use core::fmt;

    use serde::Serializer;
    use serde::de::{self, Deserializer, Visitor};

    struct Int;

    impl<'de> Visitor<'de> for Int {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer (int32, int64 or a whole double)")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            if (-9.0e15..9.0e15).contains(&v) && (v as i64) as f64 == v {
                Ok(v as i64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
    }

    struct OptInt;

    impl<'de> Visitor<'de> for OptInt {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
            d.deserialize_any(Int).map(Some)
        }
    }

    /// Reads an integer from int32, int64 or a whole double.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(Int)
    }

    /// The same for an optional field (`null` reads as `None`).
    pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_option(OptInt)
    }

    /// Writes an `i64` as int32 when it fits.
    pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        match i32::try_from(*v) {
            Ok(small) => s.serialize_i32(small),
            Err(_) => s.serialize_i64(*v),
        }
    }

    /// The same for an optional field.
    pub fn option<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => serialize(v, s),
            None => s.serialize_none(),
        }
    }
}
