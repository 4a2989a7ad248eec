//! A `tokio_util::codec::Decoder` yielding whole frames from a serial byte
//! stream (feature `tokio`).

use bytes::{Buf, BytesMut};

use crate::decoder::{Config, Decoder};
use crate::owned::{FrameCollector, OwnedFrame};

/// Turns a TIC byte stream (a serial port, a socket, a file) into
/// [`OwnedFrame`]s with `tokio_util::codec::FramedRead`. Every frame is
/// delivered, valid or not; check [`OwnedFrame::is_valid`].
///
/// ```
/// use tokio_util::codec::Decoder as _;
/// let mut codec = webdyn_tic::TicCodec::new();
/// let mut buf = bytes::BytesMut::from(&b"\x02\nIINST 005 \\\r\x03\x02\nIINST"[..]);
/// let frame = codec.decode(&mut buf)?.unwrap();
/// assert!(frame.is_valid());
/// assert_eq!(frame.groups[0].value, "005");
/// assert!(codec.decode(&mut buf)?.is_none()); // the second frame is not complete
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TicCodec {
    decoder: Decoder,
    collector: FrameCollector,
}

impl TicCodec {
    /// A codec with the default [`Config`].
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    /// A codec with the given configuration.
    pub fn with_config(cfg: Config) -> Self {
        TicCodec {
            decoder: Decoder::with_config(cfg),
            collector: FrameCollector::new(),
        }
    }

    /// The decoder's counters.
    pub fn stats(&self) -> crate::Stats {
        self.decoder.stats()
    }
}

impl tokio_util::codec::Decoder for TicCodec {
    type Item = OwnedFrame;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<OwnedFrame>, std::io::Error> {
        let mut consumed = 0;
        let mut frame = None;
        while frame.is_none() {
            let Some(rest) = src.get(consumed..).filter(|r| !r.is_empty()) else {
                break;
            };
            let (ev, n) = self.decoder.next(rest);
            consumed += n;
            if let Some(ev) = ev {
                frame = self.collector.push(&ev);
            }
        }
        // Every byte consumed lives on in the decoder state (at most one
        // group buffer), so the source buffer never grows with a frame.
        src.advance(consumed);
        Ok(frame)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<OwnedFrame>, std::io::Error> {
        if let Some(f) = self.decode(src)? {
            return Ok(Some(f));
        }
        let mut frame = None;
        let collector = &mut self.collector;
        self.decoder.finish(|ev| {
            if let Some(f) = collector.push(&ev) {
                frame = Some(f);
            }
        });
        Ok(frame)
    }
}
