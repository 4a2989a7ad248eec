//! Any SunSpec model, loaded at run time from the official JSON definitions
//! (`sunspec/models`, `json/model_<id>.json`), including nested and
//! repeating groups.
//!
//! Parse the file with any serde format crate (e.g. `serde_json`) into a
//! [`ModelJson`], then [`ModelJson::decode`] a model from a register image.
//! For scaled writes, ask [`ModelJson::write_target`] where a point is
//! written (the definition's `access` says which points are writable).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::RegisterImage;
use crate::model::Scaled;
use crate::point::{PointType, Value};
use crate::symbol::Flags;
use crate::write::{Access, WriteTarget};

/// A model definition file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelJson {
    /// The model id.
    pub id: u16,
    /// The top-level group.
    pub group: GroupJson,
}

/// A group of points, possibly repeated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupJson {
    /// The group name.
    pub name: String,
    /// Its points, in register order.
    #[serde(default)]
    pub points: Vec<PointJson>,
    /// Its sub-groups, after its points.
    #[serde(default)]
    pub groups: Vec<GroupJson>,
    /// How many times the group repeats: a number, or the name of a point
    /// holding the number. `0` means "as many as the model length allows".
    #[serde(default)]
    pub count: Option<Count>,
}

/// A group's repeat count.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Count {
    /// A fixed number of repeats.
    Fixed(u32),
    /// The name of the point that holds the number of repeats.
    Point(String),
}

/// A scale factor reference: a point name, or a fixed power of ten.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum SfRef {
    /// A fixed exponent.
    Fixed(i16),
    /// The name of a `sunssf` point in this group or an enclosing one.
    Point(String),
}

/// One point definition.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PointJson {
    /// The point name.
    pub name: String,
    /// The SunSpec type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// The size in registers.
    pub size: u16,
    /// The scale factor.
    #[serde(default)]
    pub sf: Option<SfRef>,
    /// The unit.
    #[serde(default)]
    pub units: Option<String>,
    /// `"M"` when mandatory.
    #[serde(default)]
    pub mandatory: Option<String>,
    /// The names of an enumeration's values or a bit field's bits (empty
    /// for every other point, and for those the definition names nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<SymbolJson>,
    /// `"RW"` when writable; absent or `"R"` when read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
}

/// One symbol of an enumeration or bit-field point: a name and the value
/// (or bit number) it names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SymbolJson {
    /// The symbol name (`"MPPT"`).
    pub name: String,
    /// The enumeration value or bit number.
    pub value: u64,
}

impl crate::symbol::Named for SymbolJson {
    fn name(&self) -> &str {
        &self.name
    }
    fn value(&self) -> Option<u64> {
        Some(self.value)
    }
}

/// A point decoded through a JSON definition.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct JsonPoint<'i> {
    /// The point's path: `name` at top level, `curve[2].V1` inside groups
    /// (repeat indexes count from 1, as SunSpec documents do).
    pub path: String,
    /// Its first register.
    pub addr: u32,
    /// The point type.
    pub ty: PointType,
    /// The decoded value before scaling.
    pub value: Value<'i>,
    /// The engineering value, when numeric, implemented and scalable.
    pub scaled: Option<Scaled>,
    /// The unit.
    pub units: Option<String>,
}

/// Why a JSON-described model could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonModelError {
    /// A point has a type name SunSpec does not define.
    #[error("point {path}: unknown type {ty:?}")]
    UnknownType {
        /// The point path.
        path: String,
        /// The type name.
        ty: String,
    },
    /// A point lies outside the image.
    #[error("point {path} at register {addr} is outside the image")]
    OutOfImage {
        /// The point path.
        path: String,
        /// Its register.
        addr: u32,
    },
    /// A repeat count names a point that does not exist or is not a number.
    #[error("group {group}: count point {count:?} has no usable value")]
    BadCount {
        /// The group path.
        group: String,
        /// The count point's name.
        count: String,
    },
    /// Groups nest deeper than any SunSpec model does.
    #[error("group {group}: nesting deeper than {MAX_DEPTH}")]
    TooDeep {
        /// The group path.
        group: String,
    },
}

/// The deepest group nesting accepted (official models use 3).
pub const MAX_DEPTH: usize = 8;

impl ModelJson {
    /// Where the point at `path` of the model whose header is at `addr`
    /// (length `len`, as the device reported it) is written and how: its
    /// register, type, access (the definition's `access`) and the register of its scale
    /// factor, found as the decoder finds it (the same group instance first,
    /// then the nearest enclosing one).
    ///
    /// `Ok(None)` when the model has no such point, and for a point whose
    /// definition gives a fixed exponent instead of a scale-factor point
    /// (in the official models only read-only weather-station points do).
    pub fn write_target<T: AsRef<[u8]>>(
        &self,
        image: &RegisterImage<T>,
        addr: u32,
        len: u16,
        path: &str,
    ) -> Result<Option<WriteTarget>, JsonModelError> {
        let points = self.decode(image, addr, len)?;
        let Some((index, point)) = points.iter().enumerate().find(|(_, p)| p.path == path) else {
            return Ok(None);
        };
        let Some(def) = self.point_def(path) else {
            return Ok(None);
        };
        let access = match def.access.as_deref() {
            Some("RW") => Access::RW,
            _ => Access::R,
        };
        let sf_addr = match &def.sf {
            None => None,
            Some(SfRef::Fixed(_)) => return Ok(None),
            Some(SfRef::Point(name)) => {
                let prefix = path.rsplit_once('.').map_or("", |(p, _)| p);
                let leaf = |p: &&JsonPoint<'_>| p.path.rsplit('.').next() == Some(name.as_str());
                let local = points
                    .iter()
                    .filter(leaf)
                    .find(|p| p.path.rsplit_once('.').map_or("", |(pre, _)| pre) == prefix);
                let before = || points.get(..index)?.iter().rev().find(leaf);
                match local.or_else(before) {
                    Some(p) => Some(p.addr),
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(WriteTarget {
            addr: point.addr,
            ty: point.ty,
            size: def.size,
            access,
            sf_addr,
        }))
    }

    /// The symbols of the point at `path` (`St`, `curve[2].CrvType`:
    /// repeat indexes are ignored), or `None` when the definition has no
    /// such point; empty when it names nothing.
    pub fn symbols(&self, path: &str) -> Option<&[SymbolJson]> {
        self.point_def(path).map(|p| p.symbols.as_slice())
    }

    /// The symbol name of a decoded enumeration point (model 103 `St` = 4
    /// gives `"MPPT"`), or `None` when the point is not an enumeration, is
    /// not implemented or holds a value the definition does not name.
    pub fn symbol(&self, point: &JsonPoint<'_>) -> Option<&str> {
        if !matches!(point.ty, PointType::Enum16 | PointType::Enum32) {
            return None;
        }
        let Value::Uint(v) = point.value else {
            return None;
        };
        crate::symbol::enum_name(self.symbols(&point.path)?, v)
    }

    /// The set bits of a decoded bit-field point, named where the
    /// definition names them, or `None` when the point is not a bit field
    /// or is not implemented.
    pub fn flags(&self, point: &JsonPoint<'_>) -> Option<Flags<'_, SymbolJson>> {
        if !matches!(
            point.ty,
            PointType::Bitfield16 | PointType::Bitfield32 | PointType::Bitfield64
        ) {
            return None;
        }
        let Value::Uint(v) = point.value else {
            return None;
        };
        Some(crate::symbol::flags(self.symbols(&point.path)?, v))
    }

    /// The definition of the point at `path`, repeat indexes ignored.
    fn point_def(&self, path: &str) -> Option<&PointJson> {
        let mut group = &self.group;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            let name = part.split('[').next().unwrap_or(part);
            if parts.peek().is_none() {
                return group.points.iter().find(|p| p.name == name);
            }
            group = group.groups.iter().find(|g| g.name == name)?;
        }
        None
    }

    /// Decodes the model whose header (ID register) is at `addr`; `len` is
    /// the model length L the device reported, which bounds repeating groups
    /// with count 0.
    pub fn decode<'i, T: AsRef<[u8]>>(
        &self,
        image: &'i RegisterImage<T>,
        addr: u32,
        len: u16,
    ) -> Result<Vec<JsonPoint<'i>>, JsonModelError> {
        let mut out = Vec::new();
        let end = addr.saturating_add(2 + u32::from(len));
        let mut cursor = addr;
        let mut w = Walker {
            image,
            end,
            out: &mut out,
        };
        w.group(&self.group, "", &mut cursor, 0)?;
        Ok(out)
    }
}

struct Walker<'a, 'i, T: AsRef<[u8]>> {
    image: &'i RegisterImage<T>,
    end: u32,
    out: &'a mut Vec<JsonPoint<'i>>,
}

impl<'i, T: AsRef<[u8]>> Walker<'_, 'i, T> {
    /// Walks one instance of `g` at `cursor`.
    fn group(
        &mut self,
        g: &GroupJson,
        prefix: &str,
        cursor: &mut u32,
        depth: usize,
    ) -> Result<(), JsonModelError> {
        if depth > MAX_DEPTH {
            return Err(JsonModelError::TooDeep {
                group: String::from(prefix),
            });
        }
        let first = self.out.len();
        for p in &g.points {
            let path = if prefix.is_empty() {
                p.name.clone()
            } else {
                format!("{prefix}.{}", p.name)
            };
            let ty = PointType::from_name(&p.ty).ok_or_else(|| JsonModelError::UnknownType {
                path: path.clone(),
                ty: p.ty.clone(),
            })?;
            let addr = *cursor;
            let raw =
                self.image
                    .regs(addr, usize::from(p.size))
                    .ok_or(JsonModelError::OutOfImage {
                        path: path.clone(),
                        addr,
                    })?;
            let value = ty.decode(raw).unwrap_or(Value::NotImplemented);
            *cursor += u32::from(p.size);
            self.out.push(JsonPoint {
                path,
                addr,
                ty,
                value,
                scaled: None,
                units: p.units.clone(),
            });
        }
        // Scale factors may live after the points they scale, so resolve
        // them once the whole group is read.
        for (i, p) in g.points.iter().enumerate() {
            let idx = first + i;
            let Some(point) = self.out.get(idx) else {
                continue;
            };
            let exponent = match &p.sf {
                None => Some(0),
                Some(SfRef::Fixed(e)) => Some(i64::from(*e)),
                Some(SfRef::Point(name)) => match self.lookup(name, first) {
                    Some(Value::Int(e)) => Some(e),
                    _ => None,
                },
            };
            let scaled = exponent.and_then(|e| Scaled::new(&point.value, e));
            if let Some(pt) = self.out.get_mut(idx) {
                pt.scaled = scaled;
            }
        }
        for sub in &g.groups {
            let sub_prefix = if prefix.is_empty() {
                sub.name.clone()
            } else {
                format!("{prefix}.{}", sub.name)
            };
            let repeats = match &sub.count {
                None | Some(Count::Fixed(1)) => None,
                Some(Count::Fixed(0)) => {
                    // As many instances as fit in the rest of the model.
                    let size = group_size(sub);
                    Some(
                        self.end
                            .saturating_sub(*cursor)
                            .checked_div(size)
                            .unwrap_or(0),
                    )
                }
                Some(Count::Fixed(n)) => Some(*n),
                Some(Count::Point(name)) => match self.lookup(name, first) {
                    Some(Value::Uint(n)) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
                    Some(Value::Int(n)) => Some(u32::try_from(n).unwrap_or(0)),
                    _ => {
                        return Err(JsonModelError::BadCount {
                            group: sub_prefix,
                            count: name.clone(),
                        });
                    }
                },
            };
            match repeats {
                None => self.group(sub, &sub_prefix, cursor, depth + 1)?,
                // A group without registers cannot advance the cursor:
                // repeating it (up to a count read from the device) would
                // spin without decoding anything.
                Some(_) if group_size(sub) == 0 => {}
                Some(n) => {
                    for k in 1..=n {
                        if *cursor >= self.end {
                            break;
                        }
                        let p = format!("{sub_prefix}[{k}]");
                        self.group(sub, &p, cursor, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Finds a point by name: first in the current group instance (from
    /// index `first` of `out`), then among every point read before it, the
    /// nearest first, which is the innermost enclosing scope.
    fn lookup(&self, name: &str, first: usize) -> Option<Value<'i>> {
        let matches = |pt: &&JsonPoint<'i>| pt.path.rsplit('.').next() == Some(name);
        let local = self.out.get(first..)?.iter().find(matches);
        let before = || self.out.get(..first)?.iter().rev().find(matches);
        local.or_else(before).map(|p| p.value)
    }
}

/// The registers one instance of `g` spans (saturating: definitions are
/// input too).
fn group_size(g: &GroupJson) -> u32 {
    let own = g
        .points
        .iter()
        .fold(0u32, |acc, p| acc.saturating_add(u32::from(p.size)));
    let subs = g.groups.iter().fold(0u32, |acc, s| {
        let one = group_size(s);
        acc.saturating_add(match s.count {
            Some(Count::Fixed(n)) if n > 1 => n.saturating_mul(one),
            _ => one,
        })
    });
    own.saturating_add(subs)
}
