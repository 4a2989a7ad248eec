//! # webdyn-defs
//!
//! Webdyn SunPM configuration files (`_config.ini`, `_var.ini`, `_daq.csv`,
//! `_scl.ini`, `_licence.ini`), definition files and Modbus slave mapping
//! files: typed, validated with `LINE:COL` messages and written back byte for
//! byte; plus the Modbus value codec the gateway applies to definition rows.
//!
//! ## Modules
//!
//! `no_std`, no allocation:
//! * [`text`]: borrowed line, `;`-field and `KEY[n]=value` tokenizers with
//!   line:column positions.
//! * [`damage`]: names the damage Excel does (`,` delimiters, quoted fields,
//!   BOM, CRLF); with `alloc`, [`damage::repair`] undoes it (csv-core).
//! * [`modbus`]: the value codec (`Info1`/`Info2`/`Info3` → decode/encode,
//!   swaps, scale factors, coefficients, function codes, read planning).
//! * [`naming`]: file kinds and definition file naming rules.
//!
//! With `alloc` (default through `std`):
//! * [`diag`]: [`Diagnostic`](diag::Diagnostic), a `LINE:COL: message`.
//! * [`config`], [`var`], [`scl`], [`licence`], [`daq`], [`def`]: one owned,
//!   typed, lossless struct per file kind, each with `parse`, `encode` and
//!   `validate`; cross-file checks in
//!   [`DaqFile::check_definitions`](daq::DaqFile::check_definitions) and
//!   [`DefinitionFile::check_slave_targets`](def::DefinitionFile::check_slave_targets).
//! * [`any`]: [`AnyFile`](any::AnyFile), any kind behind one `"kind"` tag.
//!
//! ## Features
//! `std` (default, implies `alloc`), `alloc`, `serde` (Serialize/Deserialize
//! on every type).
//!
//! ## Example
//!
//! ```
//! use webdyn_defs::modbus::{VarSpec, Value};
//! // Info1=3 (holding register), Info2=40000, Info3=F32_W (words swapped).
//! let spec = VarSpec::parse("3", "40000", "F32_W").unwrap();
//! assert_eq!(spec.register_count(), 2);
//! // 1.5f32 is 0x3FC00000; word-swapped on the wire: 0000 3FC0.
//! assert_eq!(spec.decode(&[0x00, 0x00, 0x3F, 0xC0]).unwrap(), Value::Float(1.5));
//! # #[cfg(feature = "alloc")] {
//! let text = "modbusTCP;modSIM;Webdyn;test_PC1\n1;3;2;U16;;Power;;0.1;;W;4\n";
//! let (file, _) = webdyn_defs::def::DefinitionFile::parse(text);
//! assert!(file.validate().is_empty());
//! assert_eq!(file.encode(), text);
//! # }
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod damage;
pub mod modbus;
pub mod naming;
pub mod text;

pub use naming::FileKind;

#[cfg(feature = "alloc")]
pub mod any;
#[cfg(feature = "alloc")]
pub mod config;
#[cfg(feature = "alloc")]
pub mod daq;
#[cfg(feature = "alloc")]
pub mod def;
#[cfg(feature = "alloc")]
pub mod diag;
#[cfg(feature = "alloc")]
pub mod licence;
#[cfg(feature = "alloc")]
pub mod lossless;
#[cfg(feature = "alloc")]
pub mod scl;
#[cfg(feature = "alloc")]
pub mod var;
