//! # webdyn-tic
//!
//! Decoder and encoder for the Enedis *télé-information client* (TIC): the
//! serial output of French electricity meters, in historic and standard
//! (Linky) modes.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

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
mod labels;
mod mode;
#[cfg(feature = "alloc")]
mod owned;
mod scan;
mod state;
mod value;

#[cfg(feature = "tokio")]
pub use codec::TicCodec;
pub use decoder::{Config, DEFAULT_GROUP_CAPACITY, Decoder, Event, FrameEnd, FrameStatus, Stats};
pub use encode::{FrameWriter, encode_group};
pub use error::{Counter, Error, ErrorKind};
pub use frame::{Frame, Groups};
pub use group::{Group, checksum};
pub use horodate::{Horodate, Season};
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
