//! Building a register image: what a SunSpec server (or a simulator) exposes.

use crate::Error;
use crate::model::ModelDef;
use crate::point::Value;
use crate::scan::{END_MODEL_ID, MARKER};

/// Writes `SunS`, models and the end model into a caller's buffer.
///
/// ```
/// use webdyn_sunspec::{model, writer::ImageWriter, point::Value, RegisterImage, scan::Models};
/// let mut buf = [0u8; 256];
/// let mut w = ImageWriter::new(&mut buf).unwrap();
/// w.model_with(&model::COMMON, &[("Mn", Value::Text(b"Webdyn")), ("SN", Value::Text(b"42"))]).unwrap();
/// let n = w.finish().unwrap();
/// let img = RegisterImage::new(40000, &buf[..n]).unwrap();
/// let first = Models::new(&img).unwrap().next().unwrap().unwrap();
/// assert_eq!((first.id, first.len), (1, 66));
/// ```
#[derive(Debug)]
pub struct ImageWriter<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl<'b> ImageWriter<'b> {
    /// Starts an image with the `SunS` marker.
    pub fn new(buf: &'b mut [u8]) -> Result<Self, Error> {
        let mut w = Self { buf, pos: 0 };
        w.put(MARKER[0])?;
        w.put(MARKER[1])?;
        Ok(w)
    }

    fn take(&mut self, bytes: usize) -> Result<&mut [u8], Error> {
        let have = self.buf.len();
        let end =
            self.pos
                .checked_add(bytes)
                .filter(|&e| e <= have)
                .ok_or(Error::BufferTooSmall {
                    need: self.pos.saturating_add(bytes),
                    have,
                })?;
        let start = self.pos;
        self.pos = end;
        self.buf
            .get_mut(start..end)
            .ok_or(Error::BufferTooSmall { need: end, have })
    }

    fn put(&mut self, reg: u16) -> Result<(), Error> {
        self.take(2)?.copy_from_slice(&reg.to_be_bytes());
        Ok(())
    }

    /// Appends a model header and returns its `len` registers (zeroed) for
    /// the caller to fill.
    pub fn model(&mut self, id: u16, len: u16) -> Result<&mut [u8], Error> {
        self.put(id)?;
        self.put(len)?;
        let body = self.take(usize::from(len) * 2)?;
        body.fill(0);
        Ok(body)
    }

    /// Appends a model from its definition: every point not listed in
    /// `values` is written as "not implemented", the listed ones encoded.
    pub fn model_with(
        &mut self,
        def: &ModelDef,
        values: &[(&str, Value<'_>)],
    ) -> Result<(), Error> {
        def.check()?;
        let body = self.model(def.id, def.len)?;
        for p in def.points.iter().filter(|p| p.offset >= 2) {
            let start = usize::from(p.offset - 2) * 2;
            let end = start + usize::from(p.size) * 2;
            let slot = body.get_mut(start..end).ok_or(Error::BadDefinition {
                id: def.id,
                offset: p.offset,
                len: def.len,
            })?;
            let value = values
                .iter()
                .find(|(n, _)| *n == p.name)
                .map(|(_, v)| *v)
                .unwrap_or(Value::NotImplemented);
            p.ty.encode(&value, slot)?;
        }
        Ok(())
    }

    /// Appends the end model and returns the number of bytes written.
    pub fn finish(mut self) -> Result<usize, Error> {
        self.put(END_MODEL_ID)?;
        self.put(0)?;
        Ok(self.pos)
    }
}
