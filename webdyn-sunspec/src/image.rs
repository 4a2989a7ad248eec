//! A borrowed view over a block of holding registers.

use crate::Error;

/// A contiguous block of 16-bit holding registers, as big-endian bytes, that
/// starts at Modbus register `base`.
///
/// This is what a Modbus "read holding registers" response carries, or a
/// register dump of a device; nothing is copied.
///
/// ```
/// use webdyn_sunspec::RegisterImage;
/// let img = RegisterImage::new(40000, &[0x53, 0x75, 0x6E, 0x53][..]).unwrap();
/// assert_eq!(img.reg(40001), Some(0x6E53));
/// assert_eq!(img.reg(40002), None);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RegisterImage<T: AsRef<[u8]>> {
    base: u32,
    bytes: T,
}

impl<T: AsRef<[u8]>> RegisterImage<T> {
    /// Wraps `bytes` (two per register, big-endian) starting at register `base`.
    pub fn new(base: u32, bytes: T) -> Result<Self, Error> {
        let len = bytes.as_ref().len();
        if len % 2 != 0 {
            return Err(Error::OddLength { len });
        }
        Ok(Self { base, bytes })
    }

    /// The first register address.
    pub fn base(&self) -> u32 {
        self.base
    }

    /// One past the last register address.
    pub fn end(&self) -> u32 {
        let count = u32::try_from(self.bytes.as_ref().len() / 2).unwrap_or(u32::MAX);
        self.base.saturating_add(count)
    }

    /// The number of registers.
    pub fn len(&self) -> usize {
        self.bytes.as_ref().len() / 2
    }

    /// True when the image holds no register.
    pub fn is_empty(&self) -> bool {
        self.bytes.as_ref().is_empty()
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// The value of register `addr`, or `None` outside the image.
    pub fn reg(&self, addr: u32) -> Option<u16> {
        let b = self.regs(addr, 1)?;
        Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
    }

    /// The bytes of `count` registers from `addr`, or `None` when any of them
    /// lies outside the image.
    pub fn regs(&self, addr: u32, count: usize) -> Option<&[u8]> {
        let index = usize::try_from(addr.checked_sub(self.base)?).ok()?;
        let start = index.checked_mul(2)?;
        let end = start.checked_add(count.checked_mul(2)?)?;
        self.bytes.as_ref().get(start..end)
    }

    /// Like [`regs`](Self::regs) but with a located error: the first
    /// register of the range that lies outside the image.
    ///
    /// ```
    /// use webdyn_sunspec::{Error, RegisterImage};
    /// let img = RegisterImage::new(40000, &[0u8; 8][..]).unwrap();
    /// let err = img.regs_or_err(40002, 4).unwrap_err();
    /// assert_eq!(err, Error::OutOfImage { addr: 40004, base: 40000, end: 40004 });
    /// ```
    pub fn regs_or_err(&self, addr: u32, count: usize) -> Result<&[u8], Error> {
        self.regs(addr, count).ok_or(Error::OutOfImage {
            addr: if addr < self.base {
                addr
            } else {
                addr.max(self.end())
            },
            base: self.base,
            end: self.end(),
        })
    }
}

/// Registers a device refused to return, as half-open address ranges.
///
/// Some devices answer part of their map with a Modbus exception ("illegal
/// data address"): SMA inverters do so for ranges inside their SunSpec
/// models, and register dumps of them mark those registers `----`. A client
/// that read around the holes fills them with anything (zeros) in its
/// [`RegisterImage`] and lists them here, so decoding reports those points
/// as not readable instead of inventing values (see
/// [`ModelDef::decode_masked`](crate::model::ModelDef::decode_masked)).
///
/// ```
/// use webdyn_sunspec::image::ReadMask;
/// let holes = [40100..40110, 40200..40201];
/// let mask = ReadMask::new(&holes);
/// assert!(mask.is_readable(40099));
/// assert!(!mask.is_readable(40100));
/// assert!(!mask.all_readable(40098, 4)); // 40098..40102 reaches 40100
/// assert!(mask.all_readable(40110, 90));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadMask<'m> {
    ranges: &'m [core::ops::Range<u32>],
}

impl<'m> ReadMask<'m> {
    /// A mask with no hole: every register is readable.
    pub const NONE: ReadMask<'static> = ReadMask { ranges: &[] };

    /// A mask of the given unreadable ranges (any order, overlaps allowed).
    pub fn new(ranges: &'m [core::ops::Range<u32>]) -> Self {
        Self { ranges }
    }

    /// The unreadable ranges.
    pub fn ranges(&self) -> &'m [core::ops::Range<u32>] {
        self.ranges
    }

    /// True unless register `addr` is in a hole.
    pub fn is_readable(&self, addr: u32) -> bool {
        !self.ranges.iter().any(|r| r.contains(&addr))
    }

    /// True when none of the `count` registers from `addr` is in a hole.
    pub fn all_readable(&self, addr: u32, count: u32) -> bool {
        let end = addr.saturating_add(count);
        !self
            .ranges
            .iter()
            .any(|r| r.start < end && addr < r.end && r.start < r.end)
    }
}
