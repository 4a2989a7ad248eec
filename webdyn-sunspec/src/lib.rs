//! # webdyn-sunspec
//!
//! SunSpec Modbus register maps without a transport: find the `SunS` marker,
//! walk the model chain, decode typed points with their scale factors, and
//! build register images for servers and simulators. Bring any Modbus stack,
//! sync or async, or none at all for captured dumps.
//!
//! The core is `no_std` and allocates nothing: it works on borrowed
//! [`RegisterImage`]s (big-endian register bytes, as a Modbus response
//! carries them) and writes into caller buffers.
//!
//! ```
//! use webdyn_sunspec::{model, scan::Models, writer::ImageWriter, point::Value, RegisterImage};
//!
//! // Build an image: common model + a three-phase inverter producing 2.5 kW.
//! let mut buf = [0u8; 512];
//! let mut w = ImageWriter::new(&mut buf)?;
//! w.model_with(&model::COMMON, &[("Mn", Value::Text(b"Webdyn")), ("Md", Value::Text(b"Demo"))])?;
//! w.model_with(&model::INVERTER_THREE_PHASE, &[("W", Value::Int(250)), ("W_SF", Value::Int(1))])?;
//! let n = w.finish()?;
//!
//! // Read it back as a client would.
//! let image = RegisterImage::new(40000, &buf[..n])?;
//! for header in Models::new(&image)? {
//!     let header = header?;
//!     if let Some(def) = model::builtin(header.id) {
//!         for p in def.decode_model(&image, &header) {
//!             if p.def.name == "W" {
//!                 assert_eq!(p.scaled.unwrap().to_string(), "2500");
//!             }
//!         }
//!     }
//! }
//! # Ok::<(), webdyn_sunspec::Error>(())
//! ```
//!
//! ## Modules
//! - [`image`]: the borrowed register view.
//! - [`scan`]: marker search, the model-chain iterator, a sans-I/O discovery machine and a
//!   scan across Modbus unit ids (SMA answers on unit 126).
//! - [`point`]: the point types, their encodings and "not implemented" values.
//! - [`model`]: model definitions (built-in: 1, 101, 102, 103 and the controls model 123),
//!   decoding with scale factors.
//! - [`symbol`]: the names of enumeration values and bit-field bits (`St` = 4 is `MPPT`).
//! - [`write`](mod@write): scaled writes of set points (`WMaxLimPct` = 53.5 %): raw registers with
//!   documented rounding, access and range checks, and the Modbus write request.
//! - [`writer`]: building images into `&mut [u8]`.
//! - `json` (features `alloc` + `serde`): loading any model from the official SunSpec JSON
//!   definitions, including repeating groups, and scaled writes to any of their points.
//! - `patch` (features `alloc` + `serde`): corrections for known defects of the official
//!   JSON models (sunspec/models #240, #248, #256), applied only where the defect is present.
//!
//! ## Features
//! `std` (default, implies `alloc`), `alloc`, `serde`.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

mod error;
pub mod image;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod json;
pub mod model;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod patch;
pub mod point;
pub mod scan;
pub mod symbol;
pub mod write;
pub mod writer;

pub use error::Error;
pub use image::RegisterImage;
pub use point::{PointType, Value};

/// True when two registers hold the SunSpec marker `SunS`.
pub fn is_sunspec_marker(regs: [u16; 2]) -> bool {
    regs == scan::MARKER
}
