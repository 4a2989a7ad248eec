#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The optional I/O layers: the tokio codec and the embedded serial drivers.

const STREAM: &[u8] = b"junk\x02\nADCO 030422000048 .\r\nIINST 005 \\\r\x03\x02\nVTIC\t02\tJ\r\nSTGE\t003A0001\t:\r\x03\x02\nIINST 006 \\\r\x04\x02\nPTEC HP..  \r\nIMAX";

#[cfg(feature = "tokio")]
#[test]
fn tokio_codec_yields_frames_from_any_chunking() {
    use bytes::BytesMut;
    use tokio_util::codec::Decoder as _;
    use webdyn_tic::TicCodec;

    for chunk in [1usize, 3, 7, 64, STREAM.len()] {
        let mut codec = TicCodec::new();
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        for c in STREAM.chunks(chunk) {
            buf.extend_from_slice(c);
            while let Some(f) = codec.decode(&mut buf).unwrap() {
                frames.push(f);
            }
            // The codec never keeps bytes in the source buffer.
            assert!(buf.is_empty());
        }
        // At end of stream the open frame is flushed as unterminated.
        while let Some(f) = codec.decode_eof(&mut buf).unwrap() {
            frames.push(f);
        }
        assert_eq!(frames.len(), 4, "chunk {chunk}");
        assert!(frames[0].is_valid() && frames[1].is_valid());
        assert_eq!(frames[0].groups[1].value, "005");
        assert_eq!(frames[1].mode(), Some(webdyn_tic::Mode::Standard));
        assert!(frames[2].is_interrupted() && !frames[2].is_valid());
        assert!(!frames[2].groups[0].checksum_ok);
        assert_eq!(frames[3].end.status, webdyn_tic::FrameStatus::Unterminated);
        assert_eq!(frames[3].groups[0].label, "PTEC");
        assert_eq!(codec.stats().skipped, 4);
    }
}

#[cfg(feature = "embedded-hal")]
mod hal {
    use super::STREAM;
    use embedded_hal_nb::{nb, serial};
    use webdyn_tic::{Decoder, Event};

    /// A UART that delivers bytes one by one, reports a parity error
    /// instead of byte number `bad`, and WouldBlock every other poll.
    struct Uart {
        data: &'static [u8],
        pos: usize,
        bad: Option<usize>,
        tick: bool,
    }

    impl serial::ErrorType for Uart {
        type Error = serial::ErrorKind;
    }

    impl serial::Read for Uart {
        fn read(&mut self) -> nb::Result<u8, serial::ErrorKind> {
            self.tick = !self.tick;
            if self.tick {
                return Err(nb::Error::WouldBlock);
            }
            let &b = self.data.get(self.pos).ok_or(nb::Error::WouldBlock)?;
            self.pos += 1;
            if Some(self.pos - 1) == self.bad {
                return Err(nb::Error::Other(serial::ErrorKind::Parity));
            }
            Ok(b)
        }
    }

    fn drive(bad: Option<usize>) -> (Vec<String>, webdyn_tic::Stats) {
        let mut uart = Uart {
            data: STREAM,
            pos: 0,
            bad,
            tick: false,
        };
        let mut dec: Decoder = Decoder::new();
        let mut out = Vec::new();
        let mut idle = 0;
        while idle < 3 {
            match dec.poll_serial(&mut uart, |ev| {
                out.push(match ev {
                    Event::Group { group, .. } => format!("group {}", group.label_str()),
                    Event::Invalid { error, .. } => format!("invalid {:?}", error.kind),
                    Event::FrameEnd(e) => format!("end {}", e.is_valid()),
                    Event::FrameStart { .. } => "start".into(),
                })
            }) {
                Err(nb::Error::WouldBlock) if uart.pos >= STREAM.len() => idle += 1,
                _ => {}
            }
        }
        (out, dec.stats())
    }

    #[test]
    fn embedded_hal_serial_drives_the_decoder() {
        let (ev, stats) = drive(None);
        assert_eq!(&ev[..4], ["start", "group ADCO", "group IINST", "end true"]);
        assert_eq!(stats.frames_valid, 2);
        // A parity error on the second '0' of IINST 005 (byte 34) invalidates that
        // group only.
        let (ev, stats) = drive(Some(34));
        assert_eq!(
            &ev[..4],
            ["start", "group ADCO", "invalid Parity", "end false"]
        );
        assert_eq!((stats.parity, stats.frames_valid), (1, 1));
    }

    #[test]
    fn embedded_io_read_drives_the_decoder() {
        let mut port: &[u8] = STREAM;
        let mut buf = [0u8; 5];
        let mut dec: Decoder = Decoder::new();
        let mut groups = 0;
        while dec
            .read_from(&mut port, &mut buf, |ev| {
                groups += usize::from(matches!(ev, Event::Group { .. }))
            })
            .unwrap()
            > 0
        {}
        assert_eq!(groups, 5);
        assert_eq!(dec.stats().checksum, 1);
    }
}
