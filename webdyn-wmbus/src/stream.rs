//! Wired M-Bus frames from a byte stream (a serial M-Bus master): a
//! `tokio-util` codec (feature `tokio`) and a blocking reader over
//! `embedded-io` (feature `embedded-hal`).
//!
//! Bytes that cannot start a frame (line noise between frames) are skipped
//! and counted; a frame whose checksum, stop byte or repeated length is
//! wrong is yielded as an error and the stream goes on with the next byte.

use crate::error::Result;
#[cfg(feature = "embedded-hal")]
use crate::error::{Error, ErrorKind};
use crate::wired;

/// Where the frame at the start of a buffer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimit {
    /// A whole frame of this many bytes is present.
    Frame(usize),
    /// More bytes are needed.
    Incomplete,
    /// The first byte cannot start a frame.
    NoStart,
}

/// Delimits the frame that starts `buf` (not checked: see [`check_frame`]).
pub fn frame_len(buf: &[u8]) -> Delimit {
    let need = |n: usize| {
        if buf.len() >= n {
            Delimit::Frame(n)
        } else {
            Delimit::Incomplete
        }
    };
    match buf {
        [] => Delimit::Incomplete,
        [wired::ACK, ..] => Delimit::Frame(1),
        [wired::SHORT_START, ..] => need(5),
        [wired::LONG_START] => Delimit::Incomplete,
        [wired::LONG_START, l, ..] => need(usize::from(*l) + 6),
        _ => Delimit::NoStart,
    }
}

/// Checks a complete frame (as delimited by [`frame_len`]).
pub fn check_frame(frame: &[u8]) -> Result<()> {
    wired::Frame::parse(frame).map(|_| ())
}

#[cfg(feature = "tokio")]
mod codec {
    use super::{Delimit, check_frame, frame_len};
    use crate::error::Error;
    use bytes::{Buf, BytesMut};

    /// A `tokio_util::codec::Decoder` / `Encoder` for wired M-Bus frames.
    ///
    /// Each item is the frame's bytes, or the error that made it invalid.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use tokio_util::codec::Decoder;
    /// use webdyn_wmbus::stream::WiredCodec;
    ///
    /// let mut codec = WiredCodec::default();
    /// let mut buf = BytesMut::from(&[0xFF, 0xE5, 0x10, 0x40, 0xFE, 0x3E, 0x16][..]);
    /// assert_eq!(codec.decode(&mut buf).unwrap().unwrap().unwrap(), vec![0xE5]);
    /// assert_eq!(codec.decode(&mut buf).unwrap().unwrap().unwrap().len(), 5);
    /// assert_eq!(codec.skipped(), 1); // the leading 0xFF
    /// ```
    #[derive(Debug, Default, Clone)]
    pub struct WiredCodec {
        skipped: u64,
    }

    impl WiredCodec {
        /// Bytes skipped so far because they could not start a frame.
        pub fn skipped(&self) -> u64 {
            self.skipped
        }
    }

    impl tokio_util::codec::Decoder for WiredCodec {
        type Item = Result<Vec<u8>, Error>;
        type Error = std::io::Error;

        fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, std::io::Error> {
            loop {
                match frame_len(src) {
                    Delimit::NoStart => {
                        src.advance(1);
                        self.skipped += 1;
                    }
                    Delimit::Incomplete => return Ok(None),
                    Delimit::Frame(n) => {
                        let frame = src.split_to(n);
                        return Ok(Some(match check_frame(&frame) {
                            Ok(()) => Ok(frame.to_vec()),
                            Err(e) => Err(e),
                        }));
                    }
                }
            }
        }
    }

    impl tokio_util::codec::Encoder<&[u8]> for WiredCodec {
        type Error = std::io::Error;

        /// Writes a frame after checking it (use [`crate::wired::LongRepr::emit`]
        /// or [`crate::wired::ShortFrame::emit`] to build one).
        fn encode(&mut self, item: &[u8], dst: &mut BytesMut) -> Result<(), std::io::Error> {
            check_frame(item)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
            dst.extend_from_slice(item);
            Ok(())
        }
    }
}

#[cfg(feature = "tokio")]
pub use codec::WiredCodec;

/// Why [`read_frame`] stopped.
#[cfg(feature = "embedded-hal")]
#[derive(Debug)]
pub enum ReadError<E> {
    /// The reader failed.
    Io(E),
    /// The stream ended inside a frame.
    UnexpectedEof,
    /// A complete but invalid frame (its bytes were consumed).
    Frame(Error),
}

/// Reads one wired M-Bus frame into `buf` from a blocking `embedded-io`
/// reader (a UART), skipping bytes that cannot start a frame; returns its
/// length.
#[cfg(feature = "embedded-hal")]
pub fn read_frame<R: embedded_io::Read>(
    r: &mut R,
    buf: &mut [u8],
) -> core::result::Result<usize, ReadError<R::Error>> {
    let map = |e: embedded_io::ReadExactError<R::Error>| match e {
        embedded_io::ReadExactError::UnexpectedEof => ReadError::UnexpectedEof,
        embedded_io::ReadExactError::Other(e) => ReadError::Io(e),
    };
    let mut have = 0;
    loop {
        match frame_len(buf.get(..have).unwrap_or(&[])) {
            Delimit::Frame(n) => {
                let frame = buf.get(..n).unwrap_or(&[]);
                return check_frame(frame).map(|()| n).map_err(ReadError::Frame);
            }
            Delimit::NoStart => have = 0,
            Delimit::Incomplete => {}
        }
        // Read exactly what the frame still needs (one byte while unknown).
        let want = match buf.get(..have) {
            Some([wired::SHORT_START, ..]) => 5,
            Some([wired::LONG_START, l, ..]) => usize::from(*l) + 6,
            Some([wired::LONG_START]) => 2,
            _ => have + 1,
        };
        let needed = want.saturating_sub(have).max(1);
        let Some(dst) = buf.get_mut(have..have + needed) else {
            return Err(ReadError::Frame(Error::new(
                ErrorKind::BufferTooSmall {
                    needed: have + needed,
                },
                0,
            )));
        };
        r.read_exact(dst).map_err(map)?;
        have += needed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_len_of_each_kind() {
        assert_eq!(frame_len(&[0xE5]), Delimit::Frame(1));
        assert_eq!(frame_len(&[0x10, 0x40]), Delimit::Incomplete);
        assert_eq!(frame_len(&[0x68, 0x03, 0x03, 0x68]), Delimit::Incomplete);
        assert_eq!(
            frame_len(&[0x68, 0x03, 0x03, 0x68, 8, 1, 0x70, 0x79, 0x16]),
            Delimit::Frame(9)
        );
        assert_eq!(frame_len(&[0x00]), Delimit::NoStart);
    }

    #[cfg(feature = "embedded-hal")]
    #[test]
    fn reads_frames_from_a_uart() {
        // Noise, an ACK, then libmbus' "error" frame 68 03 03 68 08 01 70 79 16.
        let mut bytes: &[u8] = &[
            0x00, 0x42, 0xE5, 0x68, 0x03, 0x03, 0x68, 0x08, 0x01, 0x70, 0x79, 0x16,
        ];
        let mut buf = [0u8; 64];
        assert_eq!(read_frame(&mut bytes, &mut buf).unwrap(), 1);
        assert_eq!(buf[0], 0xE5);
        assert_eq!(read_frame(&mut bytes, &mut buf).unwrap(), 9);
        assert_eq!(
            buf[..9],
            [0x68, 0x03, 0x03, 0x68, 0x08, 0x01, 0x70, 0x79, 0x16]
        );
        assert!(matches!(
            read_frame(&mut bytes, &mut buf),
            Err(ReadError::UnexpectedEof)
        ));
        // A bad checksum is a frame error.
        let mut bad: &[u8] = &[0x68, 0x03, 0x03, 0x68, 0x08, 0x01, 0x70, 0x7A, 0x16];
        assert!(matches!(
            read_frame(&mut bad, &mut buf),
            Err(ReadError::Frame(_))
        ));
    }

    #[cfg(feature = "tokio")]
    #[test]
    fn codec_reports_bad_frames_and_goes_on() {
        use tokio_util::codec::{Decoder, Encoder};
        let mut c = WiredCodec::default();
        let mut src = bytes::BytesMut::from(
            &[
                0x68, 0x03, 0x03, 0x68, 0x08, 0x01, 0x70, 0x7A, 0x16, 0xE5, 0x68, 0x03,
            ][..],
        );
        assert!(c.decode(&mut src).unwrap().unwrap().is_err());
        assert_eq!(c.decode(&mut src).unwrap().unwrap().unwrap(), vec![0xE5]);
        assert!(c.decode(&mut src).unwrap().is_none());
        let mut out = bytes::BytesMut::new();
        c.encode(&[0x10, 0x40, 0xFE, 0x3E, 0x16][..], &mut out)
            .unwrap();
        assert!(
            c.encode(&[0x10, 0x40, 0xFE, 0x3F, 0x16][..], &mut out)
                .is_err()
        );
        assert_eq!(out.len(), 5);
    }
}
