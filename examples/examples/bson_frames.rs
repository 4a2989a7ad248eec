//! BSON on a gateway and on a server.
//!
//! The gateway side uses only the `no_std` core: it builds documents of
//! received radio frames in a fixed stack buffer (no allocator), one after
//! the other. The server side splits the byte stream into documents without
//! copying, deserialises each into a struct that borrows the frame bytes
//! from the input, and prints the relaxed Extended JSON.
//!
//! cargo run -p webdyn-examples --example bson_frames
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use serde::Deserialize;
use webdyn_files::bson::{self, RawBinary, Writer, extjson, stream};

#[derive(Deserialize, Debug)]
struct Batch<'a> {
    hub: &'a str,
    #[serde(borrow)]
    frames: Vec<Frame<'a>>,
}

#[derive(Deserialize, Debug)]
struct Frame<'a> {
    #[serde(rename = "T")]
    time: i32,
    #[serde(rename = "R")]
    rssi: i32,
    #[serde(rename = "F", borrow)]
    bytes: RawBinary<'a>,
}

/// Gateway side: two batches written into one caller buffer.
fn gateway(buf: &mut [u8]) -> Result<&[u8], bson::Error> {
    let radio: [(i32, i32, &[u8]); 3] = [
        (
            1_700_000_000,
            -71,
            &[0x1E, 0x44, 0x2D, 0x2C, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07],
        ),
        (
            1_700_000_015,
            -64,
            &[0x0E, 0x44, 0xA5, 0x11, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1B],
        ),
        (
            1_700_000_030,
            -80,
            &[0x0B, 0x44, 0x93, 0x15, 0x22, 0x11, 0x00, 0x00, 0x01, 0x02],
        ),
    ];
    let mut w = Writer::new(buf);
    for batch in radio.chunks(2) {
        w.start_document()?;
        w.append_str("hub", "HUB-0001")?;
        w.start_array("frames")?;
        for (t, r, f) in batch {
            w.start_subdocument("")?;
            w.append_i32("T", *t)?;
            w.append_i32("R", *r)?;
            w.append_binary("F", 0, f)?;
            w.end_document()?;
        }
        w.end_array()?;
        w.end_document()?;
    }
    w.into_bytes()
}

fn main() {
    let mut buf = [0u8; 512];
    let wire = gateway(&mut buf).expect("fits in 512 bytes");
    println!("gateway wrote {} bytes", wire.len());

    for doc in stream::documents(wire) {
        let doc = doc.expect("framed document");
        doc.validate().expect("valid BSON");
        let batch: Batch = bson::from_raw_document(doc).expect("a batch");
        println!("{}: {} frames", batch.hub, batch.frames.len());
        for f in &batch.frames {
            println!(
                "  T={} R={} dBm, {} bytes, C-field 0x{:02X}",
                f.time,
                f.rssi,
                f.bytes.bytes.len(),
                f.bytes.bytes[1]
            );
        }
        println!("  {}", extjson::to_relaxed(&doc).unwrap());
    }

    // A full buffer fails cleanly instead of truncating a document.
    let mut tiny = [0u8; 40];
    let err = gateway(&mut tiny).unwrap_err();
    println!("40-byte buffer: {err}");
}
