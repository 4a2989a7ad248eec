//! # webdyn-tic
//!
//! Decoder and encoder for the Enedis *télé-information client* (TIC): the
//! serial output of French electricity meters, in **historic** mode
//! (Enedis-NOI-CPT_02E: Bleu, Linky left in historic mode, and the PME-PMI
//! group syntax) and **standard** mode (Enedis-NOI-CPT_54E: Linky).
//!
//! The core is `no_std`, allocates nothing, never panics on input, and is
//! fast: a streaming push decoder with a fixed group buffer, zero-copy when a
//! group lies inside the chunk being fed.
//!
//! ```
//! use webdyn_tic::{Decoder, Event, Field, Value};
//!
//! // A chunk from the serial port: the end of one frame, a whole frame,
//! // and a frame interrupted by EOT.
//! let serial = b"\r\x03\x02\nADSC\t041662343035\t2\r\nDATE\tE240601120000\t\t.\r\n\
//!                SINSTS\t00450\tO\r\x03\x02\nIINST 005 \\\r\x04";
//! let mut dec: Decoder = Decoder::new(); // 216 bytes of state
//! let mut power = None;
//! let mut verdicts = Vec::new();
//! dec.feed(serial, |ev| match ev {
//!     Event::Group { group, .. } => {
//!         if let Ok(Field { value: Value::Number(va), .. }) = Field::decode(&group) {
//!             if group.label() == b"SINSTS" {
//!                 power = Some(va); // volt-amperes
//!             }
//!         }
//!     }
//!     Event::FrameEnd(end) => verdicts.push((end.is_valid(), end.status)),
//!     _ => {}
//! });
//! assert_eq!(power, Some(450));
//! use webdyn_tic::FrameStatus::*;
//! assert_eq!(verdicts, [(true, Complete), (false, Interrupted)]);
//! assert_eq!(dec.stats().skipped, 2); // the tail of the frame before
//! ```
//!
//! ## Concepts (one module each)
//!
//! | item | what it is |
//! |---|---|
//! | [`checksum`], [`Group`] | one information group: split (`LF label SEP [horodate SEP] data SEP checksum CR`), checksum check, emission |
//! | [`Decoder`], [`Event`], [`Config`], [`Stats`] | the streaming push decoder: chunks of any size in; groups, frame starts and frame verdicts ([`FrameEnd`]) out; resynchronisation at LF/STX; running error counters |
//! | [`Frame`] | a borrowed view of a complete frame in memory, iterating its groups without copying |
//! | [`FrameWriter`], [`encode_group`] (and [`encode_frame`] with `alloc`) | the encoder: frames in either mode with exact checksums |
//! | [`lookup`], [`LabelInfo`], [`LABELS`] | the label dictionaries of both specifications: meaning, unit, length, horodate |
//! | [`Field`], [`Value`] and the value types | the typed layer: energy indices, currents, powers, [`TariffOption`], [`TariffPeriod`], Tempo colours, [`Horodate`] (season letter and degraded clock kept), [`Stge`] bitfield accessors, [`Relais`], [`DayProfile`] (PJOURF+1/PPOINTE), [`MeterAddress`] (ADCO/ADSC: maker, year, type). Unknown labels pass through as [`Value::Raw`] |
//! | [`MeterState`] (and `MeterMap` with `alloc`) | the last value per label across frames, and which changed |
//! | [`FrameKind`], [`FrameKindDetector`], [`OvercurrentAlert`] | what a frame is: standard, historic, or a three-phase historic short frame (`ADIR1..3` overcurrent alert), told apart from a normal frame by its labels |
//! | [`BillingIndex`], [`Period`] | which energy index is counting now (OPTARIF + PTEC in historic mode, NTARF / STGE in standard mode) and its value in Wh; from a [`MeterState`], a [`Frame`] or any label lookup |
//! | `OwnedGroup`, `OwnedFrame`, `FrameCollector` (`alloc`) | owned copies for queues, async code and JSON |
//! | `TicCodec` (`tokio`) | a `tokio_util::codec::Decoder` yielding frames |
//! | `Decoder::poll_serial`, `Decoder::read_from` (`embedded-hal`) | drive the decoder from an `embedded-hal-nb` serial port or an `embedded-io` reader |
//!
//! ## Features
//!
//! - `std` (default): implies `alloc`; `std::error::Error` on the errors.
//! - `alloc`: owned frames, [`encode_frame`], `MeterMap`.
//! - `serde`: `Serialize` on every public data type (and `Deserialize`
//!   where the type owns its data).
//! - `tokio`: `TicCodec`.
//! - `embedded-hal`: `Decoder::poll_serial` (embedded-hal-nb 1.0 serial
//!   `Read<u8>`) and `Decoder::read_from` (embedded-io 0.7 `Read`); no alloc.
//!
//! With `default-features = false` the crate is `no_std` and allocation-free
//! (checked by the workspace's no_std link probe and a counting-allocator
//! test).
//!
//! ## State size
//!
//! `Decoder<N>` holds one group buffer of `N` bytes (default
//! [`DEFAULT_GROUP_CAPACITY`] = 128; the longest Linky group, PJOURF+1, has a
//! 109-byte body) plus counters: **216 bytes** in all on 64-bit targets with
//! the default `N` (asserted in a test). No frame is ever buffered.
//!
//! ## Robustness
//!
//! Bytes outside frames are skipped and counted (or, with
//! [`Config::groups_outside_frames`], their groups reported); a missing
//! STX, noise where LF belongs (`0x0F`, `0x0B`…), a CR turned into another
//! control byte, a frame cut mid-group or by EOT, oversize groups and 8-bit
//! reads with the parity bit set ([`Config::strip_parity`]) are all
//! reported with a typed [`Error`] and its stream offset, counted in
//! [`Stats`], and the decoder resynchronises at the next LF or STX. With
//! [`Config::repair_lf`] (off by default) the LF-shaped noise bytes `0x0B`,
//! `0x0E` and `0x0F` are taken as LF instead, so the group behind them is
//! kept (it must still pass its checksum); each repair is counted in
//! [`Stats::lf_repaired`]. Every
//! quirk of the specification and the field is handled: a checksum equal
//! to SP or the separator position, DATE with an empty value, labels of 9+
//! characters (`SMAXSN1-1`), values with spaces (`PJOURF+1`, `MSG1`,
//! PME-PMI), a SP season letter.
//!
//! ## Where this crate differs from teleinfo-nom 0.3 (deliberately)
//!
//! - Every group is kept: an unknown label passes through with its raw
//!   value instead of ending the frame, and an unknown first label or a
//!   horodate with month 13 is an error value, not a panic.
//! - Labels are matched whole, so a three-phase historic frame is not cut
//!   after `IINST` (teleinfo-nom matches `IINST` before `IINST1`).
//! - Each group and each frame says whether it is valid, and why not, with
//!   byte offsets; corrupted groups are flagged individually while the rest
//!   of the frame is still delivered.
//! - No allocation per frame, no `String` conversion, no whole-frame
//!   buffer: the core runs on microcontrollers.
//! - Frames need STX/ETX by default, like teleinfo-nom, but groups outside
//!   frames can be reported, and EOT interruption is a first-class verdict.
//!
//! ## Conformance
//!
//! Tested against the real captures of teleinfo-nom (its raw three-phase
//! Linky stream: 474 valid groups, i.e. the 472 a line-by-line check
//! passes plus the two intact groups that follow a CR turned into 0x0C,
//! and 16 flagged, each at its own group: 12 checksum errors, a lost HT,
//! the two cut groups and the group cut by the end of the capture),
//! pyteleinfo (10 Tempo frames, exact values) and TIC2WebSocket (historic
//! and standard frames with exact values, and the copy with a corrupted
//! PCOUP), and against every worked checksum of the
//! specification notes.
// Unit tests get std (the harness needs it) for their own assertions; the
// library code they exercise is the same no_std, allocation-free core.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

mod billing;
#[cfg(feature = "tokio")]
mod codec;
mod decoder;
mod encode;
mod error;
mod frame;
mod group;
#[cfg(feature = "embedded-hal")]
mod hal;
mod horodate;
mod kind;
mod labels;
mod mode;
#[cfg(feature = "alloc")]
mod owned;
mod scan;
mod state;
mod value;

pub use billing::{BillingIndex, Period};
#[cfg(feature = "tokio")]
pub use codec::TicCodec;
pub use decoder::{Config, DEFAULT_GROUP_CAPACITY, Decoder, Event, FrameEnd, FrameStatus, Stats};
pub use encode::{FrameWriter, encode_group};
pub use error::{Counter, Error, ErrorKind};
pub use frame::{Frame, Groups};
pub use group::{Group, checksum};
pub use horodate::{Horodate, PmeDate, Season};
pub use kind::{FrameKind, FrameKindDetector, OvercurrentAlert};
pub use labels::{Kind, LABELS, LabelInfo, Unit, lookup};
pub use mode::{Mode, ModeSelect};
#[cfg(feature = "alloc")]
pub use owned::{FrameCollector, OwnedFrame, OwnedGroup, encode_frame};
#[cfg(feature = "alloc")]
pub use state::MeterMap;
pub use state::{Change, Entry, MAX_LABEL, MeterState};
pub use value::{
    CplStatus, CutOff, DayProfile, Euridis, Field, MeterAddress, ProfileEntry, Relais, Stge,
    TariffOption, TariffPeriod, TempoColor, Value, ValueError, parse_tomorrow,
};
