//! Discovery across Modbus unit ids against simulated devices.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;

use webdyn_sunspec::Error;
use webdyn_sunspec::scan::{
    DiscoveryEvent, SMA_UNIT_ID, UnitEvent, UnitReadRequest, UnitReport, UnitScan,
};

/// A simulated Modbus device: registers from `base`; any read that leaves
/// them fails (exception "illegal data address").
struct Device {
    base: u32,
    regs: Vec<u16>,
}

impl Device {
    fn read(&self, addr: u32, count: u16) -> Option<Vec<u8>> {
        let start = usize::try_from(addr.checked_sub(self.base)?).ok()?;
        let words = self.regs.get(start..start + usize::from(count))?;
        Some(words.iter().flat_map(|w| w.to_be_bytes()).collect())
    }
}

/// SunS, model `id` of length `len` (zeros), … then the end model if asked.
fn chain(models: &[(u16, u16)], end_model: bool) -> Vec<u16> {
    let mut regs = vec![0x5375, 0x6E53];
    for &(id, len) in models {
        regs.extend([id, len]);
        regs.extend(std::iter::repeat_n(0, usize::from(len)));
    }
    if end_model {
        regs.extend([0xFFFF, 0]);
    }
    regs
}

/// Runs the scan to the end against `devices` (absent units time out);
/// returns every request, every progress event and the reports.
fn run(
    units: &[u8],
    devices: &BTreeMap<u8, Device>,
) -> (
    Vec<UnitReadRequest>,
    Vec<(u8, DiscoveryEvent)>,
    Vec<UnitReport>,
) {
    let mut scan = UnitScan::new(units);
    let (mut reqs, mut progress, mut reports) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(req) = scan.next_request() {
        assert!(reqs.len() < 1000, "scan does not end");
        reqs.push(req);
        let answer = devices
            .get(&req.unit)
            .and_then(|d| d.read(req.addr, req.count));
        let event = match answer {
            Some(bytes) => scan.on_response(&bytes).unwrap(),
            None => scan.on_failure(),
        };
        match event {
            UnitEvent::Progress { unit, event } => progress.push((unit, event)),
            UnitEvent::UnitDone(r) => reports.push(r),
        }
    }
    assert!(scan.is_finished());
    (reqs, progress, reports)
}

fn req(unit: u8, addr: u32) -> UnitReadRequest {
    UnitReadRequest {
        unit,
        addr,
        count: 2,
    }
}

#[test]
fn sma_answers_on_unit_126_only() {
    // Unit 1 is silent; unit 126 holds the common model (L 66) and a
    // three-phase inverter (L 50) and, like several SMA firmwares, no end
    // model: the read after the inverter fails.
    let mut devices = BTreeMap::new();
    devices.insert(
        SMA_UNIT_ID,
        Device {
            base: 40000,
            regs: chain(&[(1, 66), (103, 50)], false),
        },
    );
    let (reqs, progress, reports) = run(&[1, SMA_UNIT_ID], &devices);
    // Unit 1 at the three bases, then unit 126: marker, model 1 at 40002,
    // model 103 at 40002 + 2 + 66 = 40070, the missing end model at
    // 40070 + 2 + 50 = 40122.
    assert_eq!(
        reqs,
        [
            req(1, 40000),
            req(1, 0),
            req(1, 50000),
            req(126, 40000),
            req(126, 40002),
            req(126, 40070),
            req(126, 40122),
        ]
    );
    assert_eq!(
        reports,
        [
            UnitReport {
                unit: 1,
                base: None,
                models: 0,
                missing_end_model: false,
                failed_reads: 3,
                truncated: false,
            },
            UnitReport {
                unit: 126,
                base: Some(40000),
                models: 2,
                missing_end_model: true,
                failed_reads: 1,
                truncated: false,
            },
        ]
    );
    let headers: Vec<_> = progress
        .iter()
        .filter_map(|(u, e)| match e {
            DiscoveryEvent::Model(h) => Some((*u, h.id, h.addr)),
            _ => None,
        })
        .collect();
    assert_eq!(headers, [(126, 1, 40002), (126, 103, 40070)]);
}

#[test]
fn each_unit_restarts_at_40000_and_finds_its_own_base() {
    // Unit 2 answers 40000 with something that is not SunS, then holds the
    // marker at 0 with a complete chain; unit 3 has it at 50000.
    let mut devices = BTreeMap::new();
    let mut regs = chain(&[(1, 66)], true);
    regs.resize(40002, 0);
    devices.insert(2, Device { base: 0, regs });
    devices.insert(
        3,
        Device {
            base: 50000,
            regs: chain(&[(1, 65), (101, 50), (120, 26)], true),
        },
    );
    let (reqs, _, reports) = run(&[2, 3], &devices);
    assert_eq!(
        &reqs[..4],
        [req(2, 40000), req(2, 0), req(2, 2), req(2, 70)]
    );
    assert_eq!(reqs[4], req(3, 40000));
    assert_eq!((reports[0].base, reports[0].models), (Some(0), 1));
    assert!(!reports[0].missing_end_model);
    assert_eq!(reports[0].failed_reads, 0);
    assert_eq!((reports[1].base, reports[1].models), (Some(50000), 3));
    // 40000 and 0 failed on unit 3 before 50000 answered.
    assert_eq!(reports[1].failed_reads, 2);
}

#[test]
fn a_chain_leaving_the_address_space_is_cut() {
    // A device whose every header claims 65535 registers: the first one
    // already reaches past register 65535.
    let mut devices = BTreeMap::new();
    let mut regs = vec![0x5375, 0x6E53];
    regs.extend([7, 0xFFFF]);
    devices.insert(9, Device { base: 40000, regs });
    let (reqs, _, reports) = run(&[9], &devices);
    assert_eq!(reqs.len(), 2);
    assert!(reports[0].truncated);
    assert_eq!(reports[0].models, 0);
}

#[test]
fn short_responses_change_nothing_and_no_units_means_no_reads() {
    let mut scan = UnitScan::new(&[5]);
    let before = scan.next_request();
    assert_eq!(
        scan.on_response(&[0x53, 0x75]),
        Err(Error::ShortPoint { need: 2, have: 1 })
    );
    assert_eq!(scan.next_request(), before);
    let empty = UnitScan::new(&[]);
    assert_eq!(empty.next_request(), None);
    assert!(empty.is_finished());
}

#[test]
fn endless_garbage_headers_never_overflow() {
    use webdyn_sunspec::RegisterImage;
    use webdyn_sunspec::scan::{Discovery, Models};
    // A device that answers every read with a header of 65535 registers:
    // after 65536 of them the address would pass u32::MAX.
    let mut d = Discovery::new();
    d.on_response(&[0x53, 0x75, 0x6E, 0x53]).unwrap();
    let mut last = 0;
    for _ in 0..70_000 {
        let req = d.next_request().unwrap();
        assert!(req.addr >= last);
        last = req.addr;
        d.on_response(&[0, 7, 0xFF, 0xFF]).unwrap();
    }
    assert_eq!(last, u32::MAX);
    // A walk started at the last address reports, rather than overflows.
    let img = RegisterImage::new(40000, &[0u8; 4][..]).unwrap();
    let mut walk = Models::at(&img, u32::MAX);
    assert!(matches!(
        walk.next(),
        Some(Err(Error::OutOfImage { addr: u32::MAX, .. }))
    ));
}
