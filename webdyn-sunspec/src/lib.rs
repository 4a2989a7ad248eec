//! # webdyn-sunspec
//!
//! SunSpec Modbus register maps.
//!
//! The core is `no_std` and allocates nothing.
//!
//! ```
//! assert!(webdyn_sunspec::is_sunspec_marker([0x5375, 0x6e53]));
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

/// True when two registers hold the SunSpec marker "SunS".
pub fn is_sunspec_marker(regs: [u16; 2]) -> bool {
    regs == [0x5375, 0x6E53]
}
