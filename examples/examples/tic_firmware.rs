//! TIC on a microcontroller: the loop a firmware runs, without allocation.
//!
//! A fake UART delivers a Linky standard-mode stream in small, irregular
//! reads (as a DMA ring buffer would), with line noise in it. The decoder
//! checks every group, a fixed-capacity `MeterState` keeps the last value of
//! each label, and after each valid frame only the labels that changed are
//! "published". Nothing in the loop allocates: the same code builds with
//! `webdyn-tic = { default-features = false }` on a `no_std` target.
//!
//! cargo run -p webdyn-examples --example tic_firmware
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use webdyn_tic::{Decoder, Event, Field, FrameWriter, MeterState, Mode, Stge, Value};

/// A pretend UART: hands out the stream in reads of 1 to 23 bytes.
struct Uart {
    data: &'static [u8],
    pos: usize,
    n: usize,
}

impl Uart {
    fn read(&mut self, buf: &mut [u8]) -> usize {
        self.n = (self.n * 7 + 3) % 23 + 1;
        let n = self.n.min(buf.len()).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        n
    }
}

/// Three one-second Linky frames (built with the encoder so every checksum
/// is right), the second one damaged by line noise.
fn stream() -> &'static [u8] {
    let mut out = Vec::new();
    for (i, power) in [(0u32, "00450"), (1, "00470"), (2, "01930")] {
        let mut buf = [0u8; 512];
        let mut w = FrameWriter::new(&mut buf, Mode::Standard).unwrap();
        let date = format!("E2406011200{:02}", i);
        let east = format!("{:09}", 12_345 + i);
        w.group(b"ADSC", None, b"041662343035").unwrap();
        w.group(b"DATE", Some(date.as_bytes()), b"").unwrap();
        w.group(b"EAST", None, east.as_bytes()).unwrap();
        w.group(b"SINSTS", None, power.as_bytes()).unwrap();
        w.group(b"SMAXSN", Some(b"E240601081503"), b"00980")
            .unwrap();
        w.group(b"STGE", None, b"013AC401").unwrap();
        let n = w.finish().unwrap();
        let mut frame = buf[..n].to_vec();
        if i == 1 {
            // One bit flipped in transit: '4' (0x34) became '5' (0x35).
            let at = frame.windows(5).position(|w| w == b"00470").unwrap();
            frame[at + 2] = b'5';
        }
        out.extend(frame);
    }
    // The demo leaks its input once; a firmware reads a real UART.
    Box::leak(out.into_boxed_slice())
}

/// Label and value bytes are printable ASCII: viewing them as text is free.
fn text(b: &[u8]) -> &str {
    core::str::from_utf8(b).unwrap_or("?")
}

fn main() {
    let mut uart = Uart {
        data: stream(),
        pos: 0,
        n: 0,
    };
    // All state lives here: 216 bytes of decoder, and room for 32 labels of
    // up to 24 bytes each (a firmware sizes this for its meter).
    let mut decoder: Decoder = Decoder::new();
    let mut state: MeterState<32, 24> = MeterState::new();
    let mut dma = [0u8; 32];

    loop {
        let n = uart.read(&mut dma);
        if n == 0 {
            break;
        }
        decoder.feed(&dma[..n], |ev| match ev {
            Event::Group { group, .. } => {
                state.update(&group);
            }
            Event::Invalid { error, .. } => {
                println!("  dropped: {error}");
            }
            Event::FrameEnd(end) if end.is_valid() => {
                println!("frame at byte {}: publish changes", end.start);
                for e in state.changed() {
                    match e.horodate {
                        Some(h) => {
                            println!("  {} = {:?} at {}", text(e.label), text(e.value), text(h))
                        }
                        None => println!("  {} = {:?}", text(e.label), text(e.value)),
                    }
                }
                state.clear_changes();
            }
            Event::FrameEnd(end) => {
                println!(
                    "frame at byte {}: invalid ({} errors), not published",
                    end.start, end.errors
                );
                // The groups of this frame that passed their checksum
                // are real readings: they go out with the next valid frame.
            }
            Event::FrameStart { .. } => {}
        });
    }

    // Typed reading of the final state.
    if let Some(e) = state.get(b"STGE") {
        let stge = Stge::parse(e.value).unwrap();
        println!(
            "STGE: dry contact open={}, supplier index={}, Tempo today={:?}",
            stge.dry_contact_open(),
            stge.supplier_tariff_index(),
            stge.tempo_today()
        );
    }
    let g = webdyn_tic::Group::new(
        Mode::Standard,
        b"SINSTS",
        None,
        state.get(b"SINSTS").unwrap().value,
    )
    .unwrap();
    if let Ok(Field {
        value: Value::Number(va),
        ..
    }) = Field::decode(&g)
    {
        println!("apparent power: {va} VA");
    }
    let s = decoder.stats();
    println!(
        "counters: {} valid frames, {} invalid, {} checksum errors, {} format errors",
        s.frames_valid, s.frames_invalid, s.checksum, s.format
    );
}
