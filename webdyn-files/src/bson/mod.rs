//! BSON: a `no_std` validating reader, a writer into caller buffers, and,
//! with `alloc`, owned documents, serde and Extended JSON.
//!
//! | module | needs | what |
//! |---|---|---|
//! | [`raw`] | core | [`RawDocument`] / [`RawBson`]: borrowed, validating reader |
//! | [`writer`] | core | [`Writer`] into `&mut [u8]` (and `VecWriter` with `alloc`) |
//! | [`stream`] | core | document boundaries in a byte stream, without copying |
//! | [`spec`] | core | type tags and binary subtypes |
//! | [`decimal128`] | core | [`Decimal128`], its exact text form and exact integer / nearest `f64` conversions |
//! | [`vector`] | core | binary subtype `0x09` vectors (int8, float32, packed bits): [`Vector`] view and [`VectorRepr`] encoder |
//! | `document` | `alloc` | owned `Document` / `Bson`, the `doc!` / `bson_value!` macros |
//! | `ser`, `de` | `serde` | serde straight to and from BSON bytes (`to_slice` and `from_slice` need no allocator) |
//! | `extjson` | `alloc` | MongoDB Extended JSON v2, canonical and relaxed, both directions |
//!
//! Reading untrusted bytes: [`RawDocument::new`] checks the framing only
//! (length prefix, terminator, [`Limits::max_size`]); elements are checked
//! as they are iterated, and [`RawDocument::validate`] checks everything in
//! one pass, including nesting depth ([`Limits::max_depth`]). Every
//! `decodeErrors` case of the official BSON corpus is rejected. Errors are
//! an [`ErrorKind`] plus the byte offset from the start of the input.
//! Keys and string values come out as [`RawStr`]: bytes already checked as
//! UTF-8, compared and measured as they are, made a `&str` by
//! [`RawStr::as_str`] only where one is needed (in safe Rust that takes one
//! more validation call, which a walk over the document would otherwise pay
//! for every key).
//!
//! Every BSON 1.1 type is supported, including the deprecated ones
//! (undefined, DBPointer, symbol, code with scope) and every binary subtype
//! (subtype `0x02`'s inner length is checked and stripped).
//!
//! ```
//! use webdyn_files::bson::{RawDocument, Writer};
//! let mut buf = [0u8; 64];
//! let mut w = Writer::new(&mut buf);
//! w.start_document()?;
//! w.append_i32("T", 1)?;
//! w.append_binary("F", 0, &[0x2C, 0x44])?;
//! w.end_document()?;
//! let doc = RawDocument::parse(w.into_bytes()?)?;
//! assert_eq!(doc.get_i32("T")?, Some(1));
//! assert_eq!(doc.get_binary("F")?.map(|b| b.bytes), Some(&[0x2C, 0x44][..]));
//! # Ok::<(), webdyn_files::bson::Error>(())
//! ```

#[cfg(feature = "serde")]
pub mod de;
pub mod decimal128;
#[cfg(feature = "alloc")]
pub mod document;
mod error;
#[cfg(feature = "alloc")]
pub mod extjson;
pub mod raw;
#[cfg(feature = "serde")]
pub mod ser;
#[cfg(all(feature = "serde", feature = "alloc"))]
mod serde_impls;
pub mod spec;
pub mod stream;
pub mod vector;
pub mod writer;

pub use decimal128::Decimal128;
pub use error::{Error, ErrorKind};
pub use raw::{
    ArrayIter, DateTime, Iter, Limits, ObjectId, RawArray, RawBinary, RawBson, RawCodeWithScope,
    RawDbPointer, RawDocument, RawRegex, RawStr, Timestamp,
};
pub use spec::ElementType;
pub use vector::{Vector, VectorError, VectorRepr};
#[cfg(feature = "alloc")]
pub use writer::VecWriter;
pub use writer::{DocWriter, Output, SliceOutput, Writer};

#[cfg(all(feature = "serde", feature = "alloc"))]
pub use de::from_slice_with_path;
#[cfg(feature = "serde")]
pub use de::{from_raw_document, from_slice};
#[cfg(feature = "alloc")]
pub use document::{
    Binary, Bson, DbPointer, DecodeOptions, DocIntoIter, DocIter, Document,
    JavaScriptCodeWithScope, PathError, Regex, Utf8, key_path,
};
#[cfg(all(feature = "serde", feature = "alloc"))]
pub use ser::to_vec;
#[cfg(feature = "serde")]
pub use ser::{to_output, to_slice};

#[doc(hidden)]
#[cfg(feature = "alloc")]
pub use alloc::vec::Vec as __Vec;
