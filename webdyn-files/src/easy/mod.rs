//! WebdynEasy W M-Bus hub files: BSON documents with a CRC-32 field,
//! optionally AES-128-CBC encrypted.
