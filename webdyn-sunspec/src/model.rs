//! Model definitions: which point sits at which offset, with its type,
//! scale factor and unit. Built-in definitions cover the models every
//! gateway reads first; any other model can be described at run time (see
//! `json` under the `serde` + `alloc` features) or by a `static` table of your own.

use crate::image::ReadMask;
use crate::point::{PointType, Value};
use crate::symbol::{self, Flags, Symbol};
use crate::write::{Access, WriteTarget};
use crate::{Error, RegisterImage};

/// One point of a model.
///
/// `offset` counts from the model's ID register, as the official SunSpec
/// JSON models do (ID is offset 0, L is offset 1, the first data point is 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointDef {
    /// The point name (`"W"`, `"WH"`, `"A_SF"`, …).
    pub name: &'static str,
    /// Registers from the model's ID register.
    pub offset: u16,
    /// The point type.
    pub ty: PointType,
    /// The size in registers.
    pub size: u16,
    /// The name of the scale-factor point in the same model, if any.
    pub sf: Option<&'static str>,
    /// The unit as SunSpec writes it (`"W"`, `"Wh"`, `"A"`, `"C"`, `"Pct"`…).
    pub units: Option<&'static str>,
    /// True when the standard makes the point mandatory.
    pub mandatory: bool,
}

/// A model definition: its id, name and points (fixed part only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelDef {
    /// The model id.
    pub id: u16,
    /// The SunSpec group name (`"common"`, `"inverter_three_phase"`…).
    pub name: &'static str,
    /// The model length L (registers after the ID/L header).
    pub len: u16,
    /// The points, in register order, starting with ID and L.
    pub points: &'static [PointDef],
}

impl ModelDef {
    /// The point named `name`.
    pub fn point(&self, name: &str) -> Option<&'static PointDef> {
        self.points.iter().find(|p| p.name == name)
    }

    /// Decodes every point of this model from `image`, whose model header
    /// (the ID register) is at `addr`, applying scale factors.
    ///
    /// ```
    /// use webdyn_sunspec::{model, RegisterImage};
    /// // Model 103 with A = 124 and A_SF = -1 (the rest not implemented).
    /// let mut regs = vec![0u8; 52 * 2];
    /// regs[..4].copy_from_slice(&[0, 103, 0, 50]);
    /// regs[4..6].copy_from_slice(&124u16.to_be_bytes());
    /// regs[12..14].copy_from_slice(&(-1i16).to_be_bytes());
    /// let img = RegisterImage::new(40002, &regs[..]).unwrap();
    /// let def = model::builtin(103).unwrap();
    /// let a = def.decode(&img, 40002).find(|p| p.def.name == "A").unwrap();
    /// assert_eq!(a.scaled.unwrap().to_string(), "12.4");
    /// ```
    pub fn decode<'i, T: AsRef<[u8]>>(
        &self,
        image: &'i RegisterImage<T>,
        addr: u32,
    ) -> impl Iterator<Item = DecodedPoint<'i>> + use<'i, T> {
        self.decode_limited(image, addr, u32::MAX)
    }

    /// Decodes the model a walk found, as [`decode`](Self::decode) does, but
    /// only the points that lie inside the length `header.len` the device
    /// reports: a shorter model (the 65-register common model of older
    /// devices, which has no `Pad`) must not borrow registers from the next
    /// model's header.
    ///
    /// ```
    /// use webdyn_sunspec::{model, scan::ModelHeader, RegisterImage};
    /// // Common model with L = 65, then the end model.
    /// let mut regs = vec![0u8; 71 * 2];
    /// regs[..4].copy_from_slice(&[0, 1, 0, 65]);
    /// regs[134..138].copy_from_slice(&[0xFF, 0xFF, 0, 0]);
    /// let img = RegisterImage::new(40002, &regs[..]).unwrap();
    /// let header = ModelHeader { id: 1, len: 65, addr: 40002 };
    /// let names: Vec<_> = model::COMMON.decode_model(&img, &header).map(|p| p.def.name).collect();
    /// assert_eq!(names.last(), Some(&"DA"));
    /// ```
    pub fn decode_model<'i, T: AsRef<[u8]>>(
        &self,
        image: &'i RegisterImage<T>,
        header: &crate::scan::ModelHeader,
    ) -> impl Iterator<Item = DecodedPoint<'i>> + use<'i, T> {
        let end = header.next_addr();
        self.decode_limited(image, header.addr, end)
    }

    /// Decodes the model a walk found, as [`decode_model`](Self::decode_model)
    /// does, with the registers the device refused to return listed in
    /// `mask`: a point that touches a hole comes out as
    /// [`MaskedPoint::NotReadable`], and a point whose scale factor is in a
    /// hole keeps its raw value but no engineering value.
    ///
    /// ```
    /// use webdyn_sunspec::{image::ReadMask, model::{self, MaskedPoint}, scan::ModelHeader};
    /// use webdyn_sunspec::{writer::ImageWriter, point::Value, RegisterImage};
    /// let mut buf = [0u8; 256];
    /// let mut w = ImageWriter::new(&mut buf)?;
    /// w.model_with(&model::INVERTER_THREE_PHASE, &[("W", Value::Int(250)), ("W_SF", Value::Int(1))])?;
    /// let n = w.finish()?;
    /// let img = RegisterImage::new(40000, &buf[..n])?;
    /// let header = ModelHeader { id: 103, len: 50, addr: 40002 };
    /// // The device refused W (40002 + 14) and the temperatures (40035..40040).
    /// let holes = [40016..40017, 40035..40040];
    /// let mut points = model::INVERTER_THREE_PHASE.decode_masked(&img, &header, ReadMask::new(&holes));
    /// let w = points.find(|p| p.def().name == "W").unwrap();
    /// assert!(matches!(w, MaskedPoint::NotReadable { addr: 40016, .. }));
    /// # Ok::<(), webdyn_sunspec::Error>(())
    /// ```
    pub fn decode_masked<'i, 'm, T: AsRef<[u8]>>(
        &self,
        image: &'i RegisterImage<T>,
        header: &crate::scan::ModelHeader,
        mask: ReadMask<'m>,
    ) -> impl Iterator<Item = MaskedPoint<'i>> + use<'i, 'm, T> {
        let def = *self;
        let base = header.addr;
        self.decode_model(image, header).map(move |mut p| {
            let addr = base.saturating_add(u32::from(p.def.offset));
            if !mask.all_readable(addr, u32::from(p.def.size)) {
                return MaskedPoint::NotReadable { def: p.def, addr };
            }
            let sf_hidden = p
                .def
                .sf
                .and_then(|name| def.point(name))
                .is_some_and(|sp| !mask.is_readable(base.saturating_add(u32::from(sp.offset))));
            if sf_hidden {
                p.scaled = None;
            }
            MaskedPoint::Read(p)
        })
    }

    fn decode_limited<'i, T: AsRef<[u8]>>(
        &self,
        image: &'i RegisterImage<T>,
        addr: u32,
        end: u32,
    ) -> impl Iterator<Item = DecodedPoint<'i>> + use<'i, T> {
        let def = *self;
        def.points.iter().filter_map(move |p| {
            let after = addr
                .checked_add(u32::from(p.offset))?
                .checked_add(u32::from(p.size))?;
            if after > end {
                return None;
            }
            let at = addr.checked_add(u32::from(p.offset))?;
            let raw = image.regs(at, usize::from(p.size))?;
            let value = p.ty.decode(raw).ok()?;
            let sf =
                p.sf.and_then(|name| def.point(name))
                    .and_then(|sp| {
                        let at = addr.checked_add(u32::from(sp.offset))?;
                        image.regs(at, 1)
                    })
                    .and_then(|raw| PointType::Sunssf.decode(raw).ok());
            let scaled = match (value, p.sf, sf) {
                (_, None, _) => Scaled::unscaled(&value),
                (v, Some(_), Some(Value::Int(e))) => Scaled::new(&v, e),
                // A scale factor that is itself "not implemented" leaves the
                // point without an engineering value rather than guessing 10^0.
                _ => None,
            };
            Some(DecodedPoint {
                def: p,
                raw,
                value,
                scaled,
            })
        })
    }

    /// Whether point `name` may be written, or `None` when the model has no
    /// such point. The built-in tables know the `RW` points of models 1
    /// (`DA`) and 123; every other point, and every point of a table of your
    /// own, is read-only here (build a [`WriteTarget`] directly for those).
    pub fn access(&self, name: &str) -> Option<Access> {
        let p = self.point(name)?;
        let rw = WRITABLE
            .iter()
            .any(|(id, names)| *id == self.id && names.contains(&p.name));
        Some(if rw { Access::RW } else { Access::R })
    }

    /// The symbols of point `name` (the names of an enumeration's values
    /// or of a bit field's bits), as the official definition lists them, or
    /// `None` when the point has none (`StVnd`, `Evt2` and the vendor event
    /// fields name nothing) or the model has no such point.
    ///
    /// ```
    /// use webdyn_sunspec::{model, symbol};
    /// let conn = model::CONTROLS.symbols("Conn").unwrap();
    /// assert_eq!(symbol::enum_name(conn, 0), Some("DISCONNECT"));
    /// ```
    pub fn symbols(&self, name: &str) -> Option<&'static [Symbol]> {
        let p = self.point(name)?;
        SYMBOLS
            .iter()
            .find(|(ids, point, _)| ids.contains(&self.id) && *point == p.name)
            .map(|(_, _, symbols)| *symbols)
    }

    /// The symbol name of a decoded enumeration point (`St` = 4 gives
    /// `"MPPT"`), or `None` when the point is not an enumeration with
    /// symbols, is not implemented, or holds a value the definition does not
    /// name.
    pub fn symbol_of(&self, point: &DecodedPoint<'_>) -> Option<&'static str> {
        if !matches!(point.def.ty, PointType::Enum16 | PointType::Enum32) {
            return None;
        }
        let Value::Uint(v) = point.value else {
            return None;
        };
        let symbols = self.symbols(point.def.name)?;
        symbols
            .iter()
            .find(|s| u64::from(s.value) == v)
            .map(|s| s.name)
    }

    /// The set bits of a decoded bit-field point, named where the definition
    /// names them ([`Flag::Unknown`](crate::symbol::Flag::Unknown) with the
    /// bit number otherwise), or `None` when the point is not a bit field or
    /// is not implemented. A bit field without symbols (`Evt2`) reports
    /// every set bit as unknown.
    pub fn flags_of(&self, point: &DecodedPoint<'_>) -> Option<Flags<'static, Symbol>> {
        if !matches!(
            point.def.ty,
            PointType::Bitfield16 | PointType::Bitfield32 | PointType::Bitfield64
        ) {
            return None;
        }
        let Value::Uint(v) = point.value else {
            return None;
        };
        Some(symbol::flags(
            self.symbols(point.def.name).unwrap_or(&[]),
            v,
        ))
    }

    /// Where point `name` of this model, whose header is at `addr`, is
    /// written and how: its register, type, access and scale-factor register.
    ///
    /// ```
    /// use webdyn_sunspec::{model, write::Access};
    /// let t = model::CONTROLS.write_target(40100, "WMaxLimPct").unwrap();
    /// assert_eq!((t.addr, t.access, t.sf_addr), (40105, Access::RW, Some(40123)));
    /// ```
    pub fn write_target(&self, addr: u32, name: &str) -> Option<WriteTarget> {
        let p = self.point(name)?;
        let sf_addr = match p.sf {
            Some(sf) => Some(addr.checked_add(u32::from(self.point(sf)?.offset))?),
            None => None,
        };
        Some(WriteTarget {
            addr: addr.checked_add(u32::from(p.offset))?,
            ty: p.ty,
            size: p.size,
            access: self.access(name)?,
            sf_addr,
        })
    }

    /// Checks that every point lies inside the model length.
    pub fn check(&self) -> Result<(), Error> {
        for p in self.points {
            if u32::from(p.offset) + u32::from(p.size) > u32::from(self.len) + 2 {
                return Err(Error::BadDefinition {
                    id: self.id,
                    offset: p.offset,
                    len: self.len,
                });
            }
        }
        Ok(())
    }
}

/// A point read from an image.
#[derive(Debug, Clone, Copy)]
pub struct DecodedPoint<'i> {
    /// Its definition.
    pub def: &'static PointDef,
    /// Its register bytes.
    pub raw: &'i [u8],
    /// The decoded value, before scaling.
    pub value: Value<'i>,
    /// The engineering value (value × 10^sf), when the point is numeric and
    /// implemented, and its scale factor (if it has one) is implemented too.
    pub scaled: Option<Scaled>,
}

/// A point decoded through a [`ReadMask`]: read, or in a hole the device
/// refused to return.
#[derive(Debug, Clone, Copy)]
pub enum MaskedPoint<'i> {
    /// The point's registers were all read.
    Read(DecodedPoint<'i>),
    /// At least one of the point's registers is unreadable.
    NotReadable {
        /// Its definition.
        def: &'static PointDef,
        /// Its first register.
        addr: u32,
    },
}

impl MaskedPoint<'_> {
    /// The point's definition, read or not.
    pub fn def(&self) -> &'static PointDef {
        match self {
            MaskedPoint::Read(p) => p.def,
            MaskedPoint::NotReadable { def, .. } => def,
        }
    }
}

/// An exact engineering value: `mantissa × 10^exponent`, or a float for
/// floating-point points. No binary rounding is introduced by scaling.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Scaled {
    /// An exact decimal.
    Decimal {
        /// The integer register value.
        mantissa: i128,
        /// The power of ten (the scale factor).
        exponent: i16,
    },
    /// A floating-point point value.
    Float(f64),
}

impl Scaled {
    fn unscaled(v: &Value<'_>) -> Option<Scaled> {
        Scaled::new(v, 0)
    }

    pub(crate) fn new(v: &Value<'_>, exponent: i64) -> Option<Scaled> {
        let exponent = i16::try_from(exponent).ok()?;
        match *v {
            Value::Int(i) => Some(Scaled::Decimal {
                mantissa: i128::from(i),
                exponent,
            }),
            Value::Uint(u) => Some(Scaled::Decimal {
                mantissa: i128::from(u),
                exponent,
            }),
            Value::Float(f) => Some(Scaled::Float(f * pow10(exponent))),
            _ => None,
        }
    }

    /// Parses a decimal number exactly: an optional sign, digits with an
    /// optional decimal point, and an optional exponent (`53.5`, `-0.95`,
    /// `12e3`, `1.5E-2`). `None` for anything else or more than 38 digits.
    ///
    /// ```
    /// use webdyn_sunspec::model::Scaled;
    /// assert_eq!(Scaled::parse("-53.50"), Some(Scaled::Decimal { mantissa: -5350, exponent: -2 }));
    /// assert_eq!(Scaled::parse("1.5e3"), Some(Scaled::Decimal { mantissa: 15, exponent: 2 }));
    /// assert_eq!(Scaled::parse("1.2.3"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Scaled> {
        let (negative, rest) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            rest => (false, rest),
        };
        let (number, exp) = match rest.iter().position(|&b| b == b'e' || b == b'E') {
            Some(i) => {
                let (n, e) = rest.split_at(i);
                let e = core::str::from_utf8(e.get(1..)?).ok()?;
                (n, e.parse::<i16>().ok()?)
            }
            None => (rest, 0),
        };
        let mut mantissa: i128 = 0;
        let mut digits = 0usize;
        let mut places: i16 = 0;
        let mut seen_point = false;
        for &b in number {
            match b {
                b'0'..=b'9' => {
                    mantissa = mantissa
                        .checked_mul(10)?
                        .checked_add(i128::from(b - b'0'))?;
                    digits += 1;
                    if seen_point {
                        places = places.checked_add(1)?;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => return None,
            }
        }
        if digits == 0 || digits > 38 {
            return None;
        }
        Some(Scaled::Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            exponent: exp.checked_sub(places)?,
        })
    }

    /// The value as an `f64` (for display or arithmetic; may round).
    pub fn to_f64(&self) -> f64 {
        match *self {
            Scaled::Decimal { mantissa, exponent } => mantissa as f64 * pow10(exponent),
            Scaled::Float(f) => f,
        }
    }
}

fn pow10(e: i16) -> f64 {
    let mut r = 1.0f64;
    for _ in 0..e.unsigned_abs() {
        r *= 10.0;
    }
    if e < 0 { 1.0 / r } else { r }
}

impl core::fmt::Display for Scaled {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Scaled::Float(v) => write!(f, "{v}"),
            Scaled::Decimal { mantissa, exponent } => {
                if mantissa < 0 {
                    f.write_str("-")?;
                }
                let m = mantissa.unsigned_abs();
                if exponent >= 0 {
                    write!(f, "{m}")?;
                    for _ in 0..exponent {
                        f.write_str("0")?;
                    }
                    return Ok(());
                }
                let places = u32::from(exponent.unsigned_abs());
                let div = 10u128.checked_pow(places);
                match div {
                    Some(d) => {
                        let (int, frac) = (m / d, m % d);
                        write!(f, "{int}.{frac:0width$}", width = places as usize)
                    }
                    // More places than any u128 has digits: 0.000…m
                    None => {
                        f.write_str("0.")?;
                        let digits = {
                            let mut n = 1u32;
                            let mut x = m;
                            while x >= 10 {
                                x /= 10;
                                n += 1;
                            }
                            n
                        };
                        for _ in digits..places {
                            f.write_str("0")?;
                        }
                        write!(f, "{m}")
                    }
                }
            }
        }
    }
}

const fn p(
    name: &'static str,
    offset: u16,
    ty: PointType,
    size: u16,
    sf: Option<&'static str>,
    units: Option<&'static str>,
    mandatory: bool,
) -> PointDef {
    PointDef {
        name,
        offset,
        ty,
        size,
        sf,
        units,
        mandatory,
    }
}

use PointType as T;

/// Model 1, common: who made the device.
pub static COMMON: ModelDef = ModelDef {
    id: 1,
    name: "common",
    len: 66,
    points: &[
        p("ID", 0, T::Uint16, 1, None, None, true),
        p("L", 1, T::Uint16, 1, None, None, true),
        p("Mn", 2, T::String, 16, None, None, true),
        p("Md", 18, T::String, 16, None, None, true),
        p("Opt", 34, T::String, 8, None, None, false),
        p("Vr", 42, T::String, 8, None, None, false),
        p("SN", 50, T::String, 16, None, None, true),
        p("DA", 66, T::Uint16, 1, None, None, false),
        p("Pad", 67, T::Pad, 1, None, None, false),
    ],
};

// Models 101, 102 and 103 (integer + scale factor inverters) share one
// layout; only which phase points are mandatory differs.
macro_rules! inverter_points {
    ($b_mandatory:expr, $c_mandatory:expr) => {
        &[
            p("ID", 0, T::Uint16, 1, None, None, true),
            p("L", 1, T::Uint16, 1, None, None, true),
            p("A", 2, T::Uint16, 1, Some("A_SF"), Some("A"), true),
            p("AphA", 3, T::Uint16, 1, Some("A_SF"), Some("A"), true),
            p(
                "AphB",
                4,
                T::Uint16,
                1,
                Some("A_SF"),
                Some("A"),
                $b_mandatory,
            ),
            p(
                "AphC",
                5,
                T::Uint16,
                1,
                Some("A_SF"),
                Some("A"),
                $c_mandatory,
            ),
            p("A_SF", 6, T::Sunssf, 1, None, None, true),
            p("PPVphAB", 7, T::Uint16, 1, Some("V_SF"), Some("V"), false),
            p("PPVphBC", 8, T::Uint16, 1, Some("V_SF"), Some("V"), false),
            p("PPVphCA", 9, T::Uint16, 1, Some("V_SF"), Some("V"), false),
            p("PhVphA", 10, T::Uint16, 1, Some("V_SF"), Some("V"), true),
            p(
                "PhVphB",
                11,
                T::Uint16,
                1,
                Some("V_SF"),
                Some("V"),
                $b_mandatory,
            ),
            p(
                "PhVphC",
                12,
                T::Uint16,
                1,
                Some("V_SF"),
                Some("V"),
                $c_mandatory,
            ),
            p("V_SF", 13, T::Sunssf, 1, None, None, true),
            p("W", 14, T::Int16, 1, Some("W_SF"), Some("W"), true),
            p("W_SF", 15, T::Sunssf, 1, None, None, true),
            p("Hz", 16, T::Uint16, 1, Some("Hz_SF"), Some("Hz"), true),
            p("Hz_SF", 17, T::Sunssf, 1, None, None, true),
            p("VA", 18, T::Int16, 1, Some("VA_SF"), Some("VA"), false),
            p("VA_SF", 19, T::Sunssf, 1, None, None, false),
            p("VAr", 20, T::Int16, 1, Some("VAr_SF"), Some("var"), false),
            p("VAr_SF", 21, T::Sunssf, 1, None, None, false),
            p("PF", 22, T::Int16, 1, Some("PF_SF"), Some("Pct"), false),
            p("PF_SF", 23, T::Sunssf, 1, None, None, false),
            p("WH", 24, T::Acc32, 2, Some("WH_SF"), Some("Wh"), true),
            p("WH_SF", 26, T::Sunssf, 1, None, None, true),
            p("DCA", 27, T::Uint16, 1, Some("DCA_SF"), Some("A"), false),
            p("DCA_SF", 28, T::Sunssf, 1, None, None, false),
            p("DCV", 29, T::Uint16, 1, Some("DCV_SF"), Some("V"), false),
            p("DCV_SF", 30, T::Sunssf, 1, None, None, false),
            p("DCW", 31, T::Int16, 1, Some("DCW_SF"), Some("W"), false),
            p("DCW_SF", 32, T::Sunssf, 1, None, None, false),
            p("TmpCab", 33, T::Int16, 1, Some("Tmp_SF"), Some("C"), true),
            p("TmpSnk", 34, T::Int16, 1, Some("Tmp_SF"), Some("C"), false),
            p("TmpTrns", 35, T::Int16, 1, Some("Tmp_SF"), Some("C"), false),
            p("TmpOt", 36, T::Int16, 1, Some("Tmp_SF"), Some("C"), false),
            p("Tmp_SF", 37, T::Sunssf, 1, None, None, true),
            p("St", 38, T::Enum16, 1, None, None, true),
            p("StVnd", 39, T::Enum16, 1, None, None, false),
            p("Evt1", 40, T::Bitfield32, 2, None, None, true),
            p("Evt2", 42, T::Bitfield32, 2, None, None, true),
            p("EvtVnd1", 44, T::Bitfield32, 2, None, None, false),
            p("EvtVnd2", 46, T::Bitfield32, 2, None, None, false),
            p("EvtVnd3", 48, T::Bitfield32, 2, None, None, false),
            p("EvtVnd4", 50, T::Bitfield32, 2, None, None, false),
        ]
    };
}

/// Model 101, single-phase inverter (integer + scale factor).
pub static INVERTER_SINGLE_PHASE: ModelDef = ModelDef {
    id: 101,
    name: "inverter_single_phase",
    len: 50,
    points: inverter_points!(false, false),
};

/// Model 102, split-phase inverter (integer + scale factor).
pub static INVERTER_SPLIT_PHASE: ModelDef = ModelDef {
    id: 102,
    name: "inverter_split_phase",
    len: 50,
    points: inverter_points!(true, false),
};

/// Model 103, three-phase inverter (integer + scale factor).
pub static INVERTER_THREE_PHASE: ModelDef = ModelDef {
    id: 103,
    name: "inverter_three_phase",
    len: 50,
    points: inverter_points!(true, true),
};

/// Model 123, immediate controls: connect/disconnect, the active power
/// limit (`WMaxLimPct`), the power factor and reactive power set points.
/// Every point but ID, L and the scale factors is writable.
pub static CONTROLS: ModelDef = ModelDef {
    id: 123,
    name: "controls",
    len: 24,
    points: &[
        p("ID", 0, T::Uint16, 1, None, None, true),
        p("L", 1, T::Uint16, 1, None, None, true),
        p("Conn_WinTms", 2, T::Uint16, 1, None, Some("Secs"), false),
        p("Conn_RvrtTms", 3, T::Uint16, 1, None, Some("Secs"), false),
        p("Conn", 4, T::Enum16, 1, None, None, true),
        p(
            "WMaxLimPct",
            5,
            T::Uint16,
            1,
            Some("WMaxLimPct_SF"),
            Some("% WMax"),
            true,
        ),
        p(
            "WMaxLimPct_WinTms",
            6,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p(
            "WMaxLimPct_RvrtTms",
            7,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p(
            "WMaxLimPct_RmpTms",
            8,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p("WMaxLim_Ena", 9, T::Enum16, 1, None, None, true),
        p(
            "OutPFSet",
            10,
            T::Int16,
            1,
            Some("OutPFSet_SF"),
            Some("cos()"),
            true,
        ),
        p(
            "OutPFSet_WinTms",
            11,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p(
            "OutPFSet_RvrtTms",
            12,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p(
            "OutPFSet_RmpTms",
            13,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p("OutPFSet_Ena", 14, T::Enum16, 1, None, None, true),
        p(
            "VArWMaxPct",
            15,
            T::Int16,
            1,
            Some("VArPct_SF"),
            Some("% WMax"),
            false,
        ),
        p(
            "VArMaxPct",
            16,
            T::Int16,
            1,
            Some("VArPct_SF"),
            Some("% VArMax"),
            false,
        ),
        p(
            "VArAvalPct",
            17,
            T::Int16,
            1,
            Some("VArPct_SF"),
            Some("% VArAval"),
            false,
        ),
        p("VArPct_WinTms", 18, T::Uint16, 1, None, Some("Secs"), false),
        p(
            "VArPct_RvrtTms",
            19,
            T::Uint16,
            1,
            None,
            Some("Secs"),
            false,
        ),
        p("VArPct_RmpTms", 20, T::Uint16, 1, None, Some("Secs"), false),
        p("VArPct_Mod", 21, T::Enum16, 1, None, None, false),
        p("VArPct_Ena", 22, T::Enum16, 1, None, None, true),
        p("WMaxLimPct_SF", 23, T::Sunssf, 1, None, None, true),
        p("OutPFSet_SF", 24, T::Sunssf, 1, None, None, true),
        p("VArPct_SF", 25, T::Sunssf, 1, None, None, false),
    ],
};

/// The points the official definitions mark `"access": "RW"`, for the
/// built-in tables.
static WRITABLE: &[(u16, &[&str])] = &[
    (1, &["DA"]),
    (
        123,
        &[
            "Conn_WinTms",
            "Conn_RvrtTms",
            "Conn",
            "WMaxLimPct",
            "WMaxLimPct_WinTms",
            "WMaxLimPct_RvrtTms",
            "WMaxLimPct_RmpTms",
            "WMaxLim_Ena",
            "OutPFSet",
            "OutPFSet_WinTms",
            "OutPFSet_RvrtTms",
            "OutPFSet_RmpTms",
            "OutPFSet_Ena",
            "VArWMaxPct",
            "VArMaxPct",
            "VArAvalPct",
            "VArPct_WinTms",
            "VArPct_RvrtTms",
            "VArPct_RmpTms",
            "VArPct_Mod",
            "VArPct_Ena",
        ],
    ),
];

const fn s(name: &'static str, value: u32) -> Symbol {
    Symbol { name, value }
}

static INVERTER_STATES: &[Symbol] = &[
    s("OFF", 1),
    s("SLEEPING", 2),
    s("STARTING", 3),
    s("MPPT", 4),
    s("THROTTLED", 5),
    s("SHUTTING_DOWN", 6),
    s("FAULT", 7),
    s("STANDBY", 8),
];

static INVERTER_EVENTS: &[Symbol] = &[
    s("GROUND_FAULT", 0),
    s("DC_OVER_VOLT", 1),
    s("AC_DISCONNECT", 2),
    s("DC_DISCONNECT", 3),
    s("GRID_DISCONNECT", 4),
    s("CABINET_OPEN", 5),
    s("MANUAL_SHUTDOWN", 6),
    s("OVER_TEMP", 7),
    s("OVER_FREQUENCY", 8),
    s("UNDER_FREQUENCY", 9),
    s("AC_OVER_VOLT", 10),
    s("AC_UNDER_VOLT", 11),
    s("BLOWN_STRING_FUSE", 12),
    s("UNDER_TEMP", 13),
    s("MEMORY_LOSS", 14),
    s("HW_TEST_FAILURE", 15),
];

static ENABLED: &[Symbol] = &[s("DISABLED", 0), s("ENABLED", 1)];

/// The symbols of the built-in models' enumeration and bit-field points,
/// as the official JSON definitions list them: (model ids, point, symbols).
static SYMBOLS: &[(&[u16], &str, &[Symbol])] = &[
    (&[101, 102, 103], "St", INVERTER_STATES),
    (&[101, 102, 103], "Evt1", INVERTER_EVENTS),
    (&[123], "Conn", &[s("DISCONNECT", 0), s("CONNECT", 1)]),
    (&[123], "WMaxLim_Ena", ENABLED),
    (&[123], "OutPFSet_Ena", ENABLED),
    (
        &[123],
        "VArPct_Mod",
        &[s("NONE", 0), s("WMax", 1), s("VArMax", 2), s("VArAval", 3)],
    ),
    (&[123], "VArPct_Ena", ENABLED),
];

/// The built-in read-side definitions (the models a gateway reads first);
/// [`builtin`] also knows [`CONTROLS`].
pub static BUILTIN: [&ModelDef; 4] = [
    &COMMON,
    &INVERTER_SINGLE_PHASE,
    &INVERTER_SPLIT_PHASE,
    &INVERTER_THREE_PHASE,
];

/// The built-in definition of model `id` (1, 101, 102, 103 or 123), if
/// there is one.
pub fn builtin(id: u16) -> Option<&'static ModelDef> {
    BUILTIN
        .iter()
        .copied()
        .chain([&CONTROLS])
        .find(|m| m.id == id)
}

/// The operating state names of the inverter models' `St` point.
pub fn inverter_state_name(st: u64) -> Option<&'static str> {
    symbol::enum_name(INVERTER_STATES, st)
}
