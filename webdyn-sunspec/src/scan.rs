//! Finding the `SunS` marker and walking the chain of models.
//!
//! Two forms of the same walk: [`Models`] iterates a register image already
//! in memory (a dump, a capture, a full read), and [`Discovery`] is a sans-I/O
//! state machine that tells a Modbus client what to read next, so firmware
//! and async backends can discover a device with any Modbus stack.

use crate::{Error, RegisterImage};

/// The `SunS` marker, as two registers.
pub const MARKER: [u16; 2] = [0x5375, 0x6E53];
/// Where devices put the marker, in the order the reference client tries them.
pub const BASE_ADDRESSES: [u32; 3] = [40000, 0, 50000];
/// The id of the end model that closes the chain.
pub const END_MODEL_ID: u16 = 0xFFFF;

/// A model found in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModelHeader {
    /// The model id.
    pub id: u16,
    /// The model length L: registers after the 2-register header.
    pub len: u16,
    /// The register of the header (the ID register). The first data register
    /// is `addr + 2`, the address the Webdyn detection log prints.
    pub addr: u32,
}

impl ModelHeader {
    /// The address of the next model's header (saturating at `u32::MAX`: a
    /// device that keeps answering garbage headers must not overflow it).
    pub fn next_addr(&self) -> u32 {
        self.addr.saturating_add(2 + u32::from(self.len))
    }
}

/// Finds the marker in an image: the first of [`BASE_ADDRESSES`] the image
/// covers and that holds `SunS`.
pub fn find_marker<T: AsRef<[u8]>>(image: &RegisterImage<T>) -> Result<u32, Error> {
    BASE_ADDRESSES
        .iter()
        .copied()
        .find(|&b| image.reg(b) == Some(MARKER[0]) && image.reg(b + 1) == Some(MARKER[1]))
        .ok_or(Error::NoMarker)
}

/// Iterates the models of an image, from the marker to the end model.
///
/// Some devices (several SMA firmwares) omit the end model: when the image
/// ends exactly at a model boundary the walk stops there without error and
/// [`Models::missing_end_model`] says so.
///
/// ```
/// use webdyn_sunspec::{scan::Models, RegisterImage};
/// let regs: Vec<u16> = vec![0x5375, 0x6E53, 1, 2, 0, 0, 0xFFFF, 0];
/// let bytes: Vec<u8> = regs.iter().flat_map(|r| r.to_be_bytes()).collect();
/// let img = RegisterImage::new(40000, &bytes[..]).unwrap();
/// let models: Vec<_> = Models::new(&img).unwrap().collect::<Result<_, _>>().unwrap();
/// assert_eq!(models.len(), 1);
/// assert_eq!((models[0].id, models[0].len, models[0].addr), (1, 2, 40002));
/// ```
#[derive(Debug)]
pub struct Models<'i, T: AsRef<[u8]>> {
    image: &'i RegisterImage<T>,
    next: u32,
    done: bool,
    missing_end: bool,
}

impl<'i, T: AsRef<[u8]>> Models<'i, T> {
    /// Starts a walk at the marker found by [`find_marker`].
    pub fn new(image: &'i RegisterImage<T>) -> Result<Self, Error> {
        let base = find_marker(image)?;
        Ok(Self::at(image, base + 2))
    }

    /// Starts a walk at a given header address (no marker check).
    pub fn at(image: &'i RegisterImage<T>, header: u32) -> Self {
        Self {
            image,
            next: header,
            done: false,
            missing_end: false,
        }
    }

    /// True once the walk stopped at the end of the image without an end model.
    pub fn missing_end_model(&self) -> bool {
        self.missing_end
    }
}

impl<T: AsRef<[u8]>> Iterator for Models<'_, T> {
    type Item = Result<ModelHeader, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.next == self.image.end() {
            self.done = true;
            self.missing_end = true;
            return None;
        }
        let (Some(id), Some(len)) = (
            self.image.reg(self.next),
            self.image.reg(self.next.saturating_add(1)),
        ) else {
            self.done = true;
            return Some(Err(Error::OutOfImage {
                addr: self.next.saturating_add(1),
                base: self.image.base(),
                end: self.image.end(),
            }));
        };
        if id == END_MODEL_ID {
            self.done = true;
            return None;
        }
        let header = ModelHeader {
            id,
            len,
            addr: self.next,
        };
        if header.next_addr() > self.image.end() {
            self.done = true;
            return Some(Err(Error::ModelOverrun {
                id,
                addr: self.next,
                len,
                end: self.image.end(),
            }));
        }
        self.next = header.next_addr();
        Some(Ok(header))
    }
}

/// A read the [`Discovery`] machine wants performed: `count` holding
/// registers from `addr` (function code 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadRequest {
    /// The first register.
    pub addr: u32,
    /// How many registers.
    pub count: u16,
}

/// What the [`Discovery`] machine learned from a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoveryEvent {
    /// Not at this base address; the next one will be tried.
    NotHere {
        /// The base address that was tried.
        base: u32,
    },
    /// The marker is at `base`.
    Marker {
        /// The base address of `SunS`.
        base: u32,
    },
    /// A model header.
    Model(ModelHeader),
    /// The walk is over.
    Done {
        /// The marker address, or `None` when the device is not SunSpec.
        base: Option<u32>,
        /// True when the chain ended without an end model (a read failed
        /// where the next header should have been).
        missing_end_model: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Marker(usize),
    Header { base: u32, addr: u32 },
    Finished,
}

/// A sans-I/O SunSpec discovery: ask [`next_request`](Self::next_request)
/// what to read, perform it with any Modbus client, and hand the registers to
/// [`on_response`](Self::on_response) (or report a Modbus exception or
/// timeout with [`on_failure`](Self::on_failure)).
///
/// ```
/// use webdyn_sunspec::scan::{Discovery, DiscoveryEvent};
/// let device: Vec<u16> = vec![0x5375, 0x6E53, 1, 66];
/// let mut d = Discovery::new();
/// let req = d.next_request().unwrap();
/// assert_eq!((req.addr, req.count), (40000, 2));
/// let regs: Vec<u8> = device[..2].iter().flat_map(|r| r.to_be_bytes()).collect();
/// assert_eq!(d.on_response(&regs).unwrap(), DiscoveryEvent::Marker { base: 40000 });
/// let req = d.next_request().unwrap();
/// assert_eq!((req.addr, req.count), (40002, 2));
/// ```
#[derive(Debug, Clone)]
pub struct Discovery {
    stage: Stage,
}

impl Default for Discovery {
    fn default() -> Self {
        Self::new()
    }
}

impl Discovery {
    /// A discovery trying 40000, then 0, then 50000.
    pub fn new() -> Self {
        Self {
            stage: Stage::Marker(0),
        }
    }

    /// The next read to perform, or `None` when discovery is over.
    pub fn next_request(&self) -> Option<ReadRequest> {
        match self.stage {
            Stage::Marker(i) => BASE_ADDRESSES
                .get(i)
                .map(|&addr| ReadRequest { addr, count: 2 }),
            Stage::Header { addr, .. } => Some(ReadRequest { addr, count: 2 }),
            Stage::Finished => None,
        }
    }

    /// Feeds the registers (big-endian bytes) read for the last request.
    pub fn on_response(&mut self, regs: &[u8]) -> Result<DiscoveryEvent, Error> {
        let word = |i: usize| -> Result<u16, Error> {
            match (regs.get(2 * i), regs.get(2 * i + 1)) {
                (Some(&h), Some(&l)) => Ok(u16::from_be_bytes([h, l])),
                _ => Err(Error::ShortPoint {
                    need: 2,
                    have: regs.len() / 2,
                }),
            }
        };
        match self.stage {
            Stage::Marker(i) => {
                let base = BASE_ADDRESSES.get(i).copied().unwrap_or(0);
                if [word(0)?, word(1)?] == MARKER {
                    self.stage = Stage::Header {
                        base,
                        addr: base + 2,
                    };
                    Ok(DiscoveryEvent::Marker { base })
                } else {
                    Ok(self.not_here(i, base))
                }
            }
            Stage::Header { base, addr } => {
                let (id, len) = (word(0)?, word(1)?);
                if id == END_MODEL_ID {
                    self.stage = Stage::Finished;
                    return Ok(DiscoveryEvent::Done {
                        base: Some(base),
                        missing_end_model: false,
                    });
                }
                let header = ModelHeader { id, len, addr };
                self.stage = Stage::Header {
                    base,
                    addr: header.next_addr(),
                };
                Ok(DiscoveryEvent::Model(header))
            }
            Stage::Finished => Ok(DiscoveryEvent::Done {
                base: None,
                missing_end_model: false,
            }),
        }
    }

    /// Reports that the last read failed (exception response or timeout).
    pub fn on_failure(&mut self) -> DiscoveryEvent {
        match self.stage {
            Stage::Marker(i) => {
                let base = BASE_ADDRESSES.get(i).copied().unwrap_or(0);
                self.not_here(i, base)
            }
            Stage::Header { base, .. } => {
                // A failed read where a header should be: the device ended
                // its chain without an end model.
                self.stage = Stage::Finished;
                DiscoveryEvent::Done {
                    base: Some(base),
                    missing_end_model: true,
                }
            }
            Stage::Finished => DiscoveryEvent::Done {
                base: None,
                missing_end_model: false,
            },
        }
    }

    fn not_here(&mut self, i: usize, base: u32) -> DiscoveryEvent {
        if i + 1 < BASE_ADDRESSES.len() {
            self.stage = Stage::Marker(i + 1);
            DiscoveryEvent::NotHere { base }
        } else {
            self.stage = Stage::Finished;
            DiscoveryEvent::Done {
                base: None,
                missing_end_model: false,
            }
        }
    }
}

/// The unit id SMA inverters answer SunSpec on (their own unit id + 123 with
/// the default unit 3): a scan of unit 1 alone finds "no SunSpec" on them.
pub const SMA_UNIT_ID: u8 = 126;

/// A read the [`UnitScan`] wants performed: `count` holding registers from
/// `addr` on Modbus unit `unit` (function code 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitReadRequest {
    /// The Modbus unit (slave) id to address.
    pub unit: u8,
    /// The first register.
    pub addr: u32,
    /// How many registers.
    pub count: u16,
}

/// What the scan found on one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitReport {
    /// The unit id.
    pub unit: u8,
    /// The marker address, or `None` when the unit is not SunSpec (or did
    /// not answer).
    pub base: Option<u32>,
    /// How many models its chain holds.
    pub models: u16,
    /// True when the chain ended on a failed read instead of an end model.
    pub missing_end_model: bool,
    /// Reads that failed (exception responses or timeouts), the one that
    /// ended a chain without end model included.
    pub failed_reads: u16,
    /// True when a model header claimed registers past 65535, the end of
    /// the Modbus address space: the walk stopped there, without that model.
    pub truncated: bool,
}

impl UnitReport {
    fn new(unit: u8) -> Self {
        Self {
            unit,
            base: None,
            models: 0,
            missing_end_model: false,
            failed_reads: 0,
            truncated: false,
        }
    }
}

/// What the [`UnitScan`] learned from a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitEvent {
    /// A step of the discovery on `unit` (marker, model header, base tried).
    Progress {
        /// The unit being scanned.
        unit: u8,
        /// What its [`Discovery`] reported. The closing `Done` is not
        /// repeated here: it becomes [`UnitEvent::UnitDone`].
        event: DiscoveryEvent,
    },
    /// The scan of one unit is over; the next unit (if any) starts with
    /// the next request.
    UnitDone(UnitReport),
}

/// A sans-I/O scan of several Modbus unit ids, one [`Discovery`] after the
/// other: the same loop as `Discovery` (ask [`next_request`](Self::next_request),
/// read, feed [`on_response`](Self::on_response) or
/// [`on_failure`](Self::on_failure)), with the unit to address in every
/// request and a [`UnitReport`] per unit.
///
/// ```
/// use webdyn_sunspec::scan::{UnitEvent, UnitScan, SMA_UNIT_ID};
/// // Unit 1 does not answer; unit 126 holds SunS, one model, the end model.
/// let sma: Vec<u16> = vec![0x5375, 0x6E53, 1, 66];
/// let mut scan = UnitScan::new(&[1, SMA_UNIT_ID]);
/// let mut reports = Vec::new();
/// while let Some(req) = scan.next_request() {
///     let event = if req.unit == SMA_UNIT_ID {
///         let at = (req.addr - 40000) as usize;
///         let regs: Vec<u16> = match at {
///             0 => sma[..2].to_vec(),
///             2 => sma[2..4].to_vec(),
///             70 => vec![0xFFFF, 0],
///             _ => { scan.on_failure(); continue; }
///         };
///         let bytes: Vec<u8> = regs.iter().flat_map(|r| r.to_be_bytes()).collect();
///         scan.on_response(&bytes).unwrap()
///     } else {
///         scan.on_failure()
///     };
///     if let UnitEvent::UnitDone(r) = event {
///         reports.push(r);
///     }
/// }
/// assert_eq!(reports[0].base, None);
/// assert_eq!((reports[1].unit, reports[1].base, reports[1].models), (126, Some(40000), 1));
/// ```
#[derive(Debug, Clone)]
pub struct UnitScan<'u> {
    units: &'u [u8],
    index: usize,
    discovery: Discovery,
    report: UnitReport,
}

/// One past the last Modbus register address.
const ADDRESS_SPACE_END: u32 = 0x1_0000;

impl<'u> UnitScan<'u> {
    /// A scan of `units`, in order (duplicates are scanned twice).
    pub fn new(units: &'u [u8]) -> Self {
        Self {
            units,
            index: 0,
            discovery: Discovery::new(),
            report: UnitReport::new(units.first().copied().unwrap_or(0)),
        }
    }

    /// The next read to perform, or `None` when every unit is scanned.
    pub fn next_request(&self) -> Option<UnitReadRequest> {
        let unit = *self.units.get(self.index)?;
        let read = self.discovery.next_request()?;
        Some(UnitReadRequest {
            unit,
            addr: read.addr,
            count: read.count,
        })
    }

    /// Feeds the registers (big-endian bytes) read for the last request. A
    /// response too short for the request is an error and changes nothing.
    pub fn on_response(&mut self, regs: &[u8]) -> Result<UnitEvent, Error> {
        let event = self.discovery.on_response(regs)?;
        Ok(self.step(event))
    }

    /// Reports that the last read failed (exception response or timeout).
    pub fn on_failure(&mut self) -> UnitEvent {
        self.report.failed_reads = self.report.failed_reads.saturating_add(1);
        let event = self.discovery.on_failure();
        self.step(event)
    }

    /// True once every unit is scanned.
    pub fn is_finished(&self) -> bool {
        self.index >= self.units.len()
    }

    fn step(&mut self, event: DiscoveryEvent) -> UnitEvent {
        let unit = self.report.unit;
        match event {
            DiscoveryEvent::Marker { base } => self.report.base = Some(base),
            DiscoveryEvent::Model(h) => {
                // A chain that leaves the address space can never end: a
                // device answering garbage must not keep the scan going. The
                // header that would leave it is neither counted nor passed on.
                if h.next_addr() > ADDRESS_SPACE_END {
                    self.report.truncated = true;
                    return UnitEvent::UnitDone(self.finish_unit());
                }
                self.report.models = self.report.models.saturating_add(1);
            }
            DiscoveryEvent::Done {
                base,
                missing_end_model,
            } => {
                self.report.base = base;
                self.report.missing_end_model = missing_end_model;
                return UnitEvent::UnitDone(self.finish_unit());
            }
            DiscoveryEvent::NotHere { .. } => {}
        }
        UnitEvent::Progress { unit, event }
    }

    fn finish_unit(&mut self) -> UnitReport {
        let report = self.report;
        self.index += 1;
        self.discovery = Discovery::new();
        self.report = UnitReport::new(self.units.get(self.index).copied().unwrap_or(0));
        report
    }
}
