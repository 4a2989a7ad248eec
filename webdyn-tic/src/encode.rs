//! The encoder: frames in either mode, with exact checksums.

use crate::error::{Error, ErrorKind};
use crate::group::Group;
use crate::mode::Mode;
use crate::scan::{EOT, ETX, STX};

/// Writes one group (`LF … CR`) into `out` and returns its length.
///
/// ```
/// use webdyn_tic::{encode_group, Mode};
/// let mut out = [0u8; 32];
/// let n = encode_group(Mode::Standard, b"VTIC", None, b"02", &mut out)?;
/// assert_eq!(&out[..n], b"\nVTIC\t02\tJ\r");
/// # Ok::<(), webdyn_tic::Error>(())
/// ```
pub fn encode_group(
    mode: Mode,
    label: &[u8],
    horodate: Option<&[u8]>,
    data: &[u8],
    out: &mut [u8],
) -> Result<usize, Error> {
    Group::new(mode, label, horodate, data)?.emit(out)
}

/// Writes a frame into a caller buffer, group by group, without
/// allocating.
///
/// ```
/// use webdyn_tic::{FrameWriter, Mode};
/// let mut buf = [0u8; 64];
/// let mut w = FrameWriter::new(&mut buf, Mode::Historic)?;
/// w.group(b"ADCO", None, b"030422000048")?;
/// w.group(b"IINST", None, b"005")?;
/// let n = w.finish()?;
/// assert_eq!(&buf[..n], b"\x02\nADCO 030422000048 .\r\nIINST 005 \\\r\x03");
/// # Ok::<(), webdyn_tic::Error>(())
/// ```
#[derive(Debug)]
pub struct FrameWriter<'o> {
    out: &'o mut [u8],
    pos: usize,
    mode: Mode,
}

impl<'o> FrameWriter<'o> {
    /// Starts a frame (writes STX) in mode `mode`.
    pub fn new(out: &'o mut [u8], mode: Mode) -> Result<Self, Error> {
        let mut w = FrameWriter { out, pos: 0, mode };
        w.byte(STX)?;
        Ok(w)
    }

    fn byte(&mut self, b: u8) -> Result<(), Error> {
        match self.out.get_mut(self.pos) {
            Some(slot) => {
                *slot = b;
                self.pos += 1;
                Ok(())
            }
            None => Err(Error::new(
                ErrorKind::BufferTooSmall {
                    needed: self.pos + 1,
                },
                self.pos as u64,
            )),
        }
    }

    /// Appends a group; the horodate is for standard mode only.
    pub fn group(
        &mut self,
        label: &[u8],
        horodate: Option<&[u8]>,
        data: &[u8],
    ) -> Result<(), Error> {
        let g = Group::new(self.mode, label, horodate, data)?;
        self.push(&g)
    }

    /// Appends an already built group (its mode must match the writer's).
    pub fn push(&mut self, g: &Group<'_>) -> Result<(), Error> {
        if g.mode() != self.mode {
            return Err(Error::new(
                ErrorKind::WrongMode { found: g.mode() },
                self.pos as u64,
            ));
        }
        let rest = self.out.get_mut(self.pos..).unwrap_or_default();
        let n = g.emit(rest).map_err(|e| match e.kind {
            ErrorKind::BufferTooSmall { needed } => Error::new(
                ErrorKind::BufferTooSmall {
                    needed: needed + self.pos,
                },
                self.pos as u64,
            ),
            _ => e,
        })?;
        self.pos += n;
        Ok(())
    }

    /// Bytes written so far (STX included).
    pub fn written(&self) -> usize {
        self.pos
    }

    /// Ends the frame with ETX and returns its total length.
    pub fn finish(mut self) -> Result<usize, Error> {
        self.byte(ETX)?;
        Ok(self.pos)
    }

    /// Ends the frame with EOT (interrupted) and returns its total length.
    pub fn interrupt(mut self) -> Result<usize, Error> {
        self.byte(EOT)?;
        Ok(self.pos)
    }
}
