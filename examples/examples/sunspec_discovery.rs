//! Discover a SunSpec device with any Modbus client, then decode it.
//!
//! The `Discovery` machine never does I/O itself: it says which registers to
//! read, you read them with whatever Modbus stack you have (here a simulated
//! device), and hand back the answer. The same code runs in firmware (no_std)
//! and in an async backend.
//!
//! cargo run -p webdyn-examples --example sunspec_discovery

use webdyn_sunspec::model;
use webdyn_sunspec::point::Value;
use webdyn_sunspec::scan::{Discovery, DiscoveryEvent};
use webdyn_sunspec::writer::ImageWriter;
use webdyn_sunspec::{Error, RegisterImage};

/// A simulated inverter: its holding registers from 40000.
struct Device {
    regs: Vec<u8>,
}

impl Device {
    fn new() -> Result<Self, Error> {
        let mut regs = vec![0u8; 512];
        let mut w = ImageWriter::new(&mut regs)?;
        w.model_with(
            &model::COMMON,
            &[("Mn", Value::Text(b"Webdyn")), ("Md", Value::Text(b"Sim"))],
        )?;
        w.model_with(
            &model::INVERTER_SINGLE_PHASE,
            &[
                ("W", Value::Int(3150)),
                ("W_SF", Value::Int(0)),
                ("St", Value::Uint(4)),
            ],
        )?;
        let n = w.finish()?;
        regs.truncate(n);
        Ok(Self { regs })
    }

    /// Function code 3; `None` plays the part of an exception response.
    fn read_holding(&self, addr: u32, count: u16) -> Option<Vec<u8>> {
        let image = RegisterImage::new(40000, &self.regs[..]).ok()?;
        image.regs(addr, usize::from(count)).map(<[u8]>::to_vec)
    }
}

fn main() -> Result<(), Error> {
    let device = Device::new()?;
    let mut discovery = Discovery::new();
    let mut found = Vec::new();
    while let Some(req) = discovery.next_request() {
        let event = match device.read_holding(req.addr, req.count) {
            Some(regs) => discovery.on_response(&regs)?,
            None => discovery.on_failure(),
        };
        println!("read {} x{} -> {event:?}", req.addr, req.count);
        if let DiscoveryEvent::Model(h) = event {
            found.push(h);
        }
    }

    // Read each known model whole (one request per model, <= 125 registers
    // in real life) and decode it.
    for h in found {
        let Some(def) = model::builtin(h.id) else {
            continue;
        };
        let Some(regs) = device.read_holding(h.addr, h.len + 2) else {
            continue;
        };
        let image = RegisterImage::new(h.addr, &regs[..])?;
        for p in def.decode(&image, h.addr) {
            if let Some(v) = p.scaled {
                println!(
                    "{:>6} {:<8} = {v} {}",
                    h.id,
                    p.def.name,
                    p.def.units.unwrap_or("")
                );
            }
        }
    }
    Ok(())
}
