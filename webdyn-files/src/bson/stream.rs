//! Finding document boundaries in a byte stream (concatenated BSON
//! documents, as in `mongodump` files or a socket buffer) without copying.

use super::error::{Error, ErrorKind};
use super::raw::{Limits, RawDocument};

/// What [`next_document`] found at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next<'a> {
    /// A complete, framed document and the bytes after it.
    Document {
        /// The document (framing checked, elements not yet validated).
        doc: RawDocument<'a>,
        /// The rest of the input.
        rest: &'a [u8],
    },
    /// The buffer holds only the start of a document: at least `needed`
    /// bytes in total are required (4 while the length is unknown).
    Incomplete {
        /// Total bytes the buffer must hold to complete the document.
        needed: usize,
    },
}

/// Splits the first document off `input`. Errors when the length prefix is
/// impossible (below 5, above `limits.max_size`) or the terminator is
/// missing; `Incomplete` when more bytes are needed.
pub fn next_document<'a>(input: &'a [u8], limits: &Limits) -> Result<Next<'a>, Error> {
    let Some(prefix) = input.get(..4) else {
        return Ok(Next::Incomplete { needed: 4 });
    };
    let mut len = [0u8; 4];
    len.copy_from_slice(prefix);
    let len = i32::from_le_bytes(len);
    if len < 5 {
        return Err(Error::new(ErrorKind::DocumentLength(len.into()), 0));
    }
    let len = len as usize;
    if len > limits.max_size {
        return Err(Error::new(
            ErrorKind::TooLarge {
                size: len,
                limit: limits.max_size,
            },
            0,
        ));
    }
    let Some((doc, rest)) = input.split_at_checked(len) else {
        return Ok(Next::Incomplete { needed: len });
    };
    Ok(Next::Document {
        doc: RawDocument::nested(doc, 0)?,
        rest,
    })
}

/// Iterates over the documents of a complete buffer of concatenated
/// documents. Error offsets count from the start of the buffer; a truncated
/// last document is an error.
///
/// ```
/// use webdyn_files::bson::stream::documents;
/// let two = [5u8, 0, 0, 0, 0, 5, 0, 0, 0, 0];
/// assert_eq!(documents(&two).count(), 2);
/// ```
pub fn documents(input: &[u8]) -> Documents<'_> {
    Documents {
        input,
        pos: 0,
        limits: Limits::DEFAULT,
        done: false,
    }
}

/// The iterator returned by [`documents`].
#[derive(Debug, Clone)]
pub struct Documents<'a> {
    input: &'a [u8],
    pos: usize,
    limits: Limits,
    done: bool,
}

impl Documents<'_> {
    /// Uses other limits for the document size.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Byte offset of the next document.
    pub const fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for Documents<'a> {
    type Item = Result<RawDocument<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.input.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            self.done = true;
            return None;
        }
        match next_document(rest, &self.limits) {
            Ok(Next::Document { doc, .. }) => {
                let start = self.pos;
                self.pos += doc.as_bytes().len();
                Some(RawDocument::nested(doc.as_bytes(), start))
            }
            Ok(Next::Incomplete { .. }) => {
                self.done = true;
                Some(Err(Error::new(ErrorKind::Truncated, self.input.len())))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e.shifted(self.pos)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_and_complete() {
        let limits = Limits::DEFAULT;
        assert_eq!(
            next_document(&[5, 0], &limits).unwrap(),
            Next::Incomplete { needed: 4 }
        );
        assert_eq!(
            next_document(&[12, 0, 0, 0, 0], &limits).unwrap(),
            Next::Incomplete { needed: 12 }
        );
        let Next::Document { doc, rest } = next_document(&[5, 0, 0, 0, 0, 9], &limits).unwrap()
        else {
            panic!("expected a document")
        };
        assert!(doc.is_empty());
        assert_eq!(rest, &[9]);
        let errs: Vec<_> = documents(&[5, 0, 0, 0, 0, 5, 0, 0, 0, 1]).collect();
        assert_eq!(errs[1].clone().unwrap_err().offset, 9);
    }
}
