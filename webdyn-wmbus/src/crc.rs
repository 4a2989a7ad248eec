//! CRC-16/EN-13757: poly 0x3D65, init 0, no reflection, xorout 0xFFFF.
//!
//! The DLL block CRCs are sent most significant byte first; the ELL payload
//! CRC least significant byte first.

const EN_13757: crc::Crc<u16, crc::Table<16>> =
    crc::Crc::<u16, crc::Table<16>>::new(&crc::CRC_16_EN_13757);

/// CRC-16/EN-13757 of `data`.
pub fn crc16(data: &[u8]) -> u16 {
    EN_13757.checksum(data)
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        // Catalogue check value (spec B3): "123456789" -> 0xC2B7.
        assert_eq!(super::crc16(b"123456789"), 0xC2B7);
    }
}
