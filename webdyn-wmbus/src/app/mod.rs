//! The M-Bus application layer (EN 13757-3): DIF/VIF data records.
