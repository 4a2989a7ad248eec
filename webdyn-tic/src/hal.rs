//! Driving the decoder from embedded serial traits, without allocation
//! (feature `embedded-hal`).

use crate::decoder::{Decoder, Event};

impl<const N: usize> Decoder<N> {
    /// Reads at most one byte from an `embedded-hal-nb` serial port and feeds
    /// it, calling `f` with any event it completes. Returns
    /// `Err(nb::Error::WouldBlock)` when no byte is waiting.
    ///
    /// A UART parity or framing error is counted as a parity error (the
    /// group being received is then reported invalid) and returned, so the
    /// caller can log it; polling can simply go on.
    ///
    /// ```
    /// # use embedded_hal_nb::{nb, serial};
    /// # struct Uart<'a>(&'a [u8]);
    /// # impl serial::ErrorType for Uart<'_> { type Error = serial::ErrorKind; }
    /// # impl serial::Read for Uart<'_> {
    /// #     fn read(&mut self) -> nb::Result<u8, serial::ErrorKind> {
    /// #         let (&b, rest) = self.0.split_first().ok_or(nb::Error::WouldBlock)?;
    /// #         self.0 = rest;
    /// #         Ok(b)
    /// #     }
    /// # }
    /// let mut uart = Uart(b"\x02\nIINST 005 \\\r\x03");
    /// let mut dec: webdyn_tic::Decoder = webdyn_tic::Decoder::new();
    /// let mut amps = None;
    /// while dec.poll_serial(&mut uart, |ev| {
    ///     if let webdyn_tic::Event::Group { group, .. } = ev {
    ///         amps = Some(group.data()[2]);
    ///     }
    /// }).is_ok() {}
    /// assert_eq!(amps, Some(b'5'));
    /// ```
    pub fn poll_serial<R>(
        &mut self,
        serial: &mut R,
        f: impl FnMut(Event<'_>),
    ) -> embedded_hal_nb::nb::Result<(), R::Error>
    where
        R: embedded_hal_nb::serial::Read<u8>,
    {
        use embedded_hal_nb::serial::{Error as _, ErrorKind};
        match serial.read() {
            Ok(b) => {
                self.push(b, f);
                Ok(())
            }
            Err(embedded_hal_nb::nb::Error::Other(e)) => {
                if matches!(e.kind(), ErrorKind::Parity | ErrorKind::FrameFormat) {
                    self.mark_parity_error();
                }
                Err(embedded_hal_nb::nb::Error::Other(e))
            }
            Err(e) => Err(e),
        }
    }

    /// Performs one `embedded-io` read into the caller's `buf` and feeds
    /// what arrived, calling `f` with every event. Returns the number of
    /// bytes read (0 at end of input).
    ///
    /// ```
    /// let mut port: &[u8] = b"\x02\nVTIC\t02\tJ\r\x03";
    /// let mut buf = [0u8; 8]; // any size works
    /// let mut dec: webdyn_tic::Decoder = webdyn_tic::Decoder::new();
    /// let mut valid = false;
    /// while dec.read_from(&mut port, &mut buf, |ev| {
    ///     if let webdyn_tic::Event::FrameEnd(end) = ev { valid = end.is_valid(); }
    /// })? > 0 {}
    /// assert!(valid);
    /// # Ok::<(), core::convert::Infallible>(())
    /// ```
    pub fn read_from<R>(
        &mut self,
        reader: &mut R,
        buf: &mut [u8],
        f: impl FnMut(Event<'_>),
    ) -> Result<usize, R::Error>
    where
        R: embedded_io::Read,
    {
        let n = reader.read(buf)?;
        self.feed(buf.get(..n).unwrap_or_default(), f);
        Ok(n)
    }
}
