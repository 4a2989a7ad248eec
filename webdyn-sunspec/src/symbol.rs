//! Symbols: the names the model definitions give to the values of
//! `enum16`/`enum32` points and to the bits of `bitfield16`/`bitfield32`
//! points (model 103 `St` = 4 is `MPPT`; `Evt1` bit 0 is `GROUND_FAULT`).
//!
//! The built-in tables ([`ModelDef::symbols`](crate::model::ModelDef::symbols))
//! are `static` slices of [`Symbol`], so naming a value allocates nothing.
//! Definitions loaded from JSON keep theirs as owned strings
//! (`json::SymbolJson`); both go through [`enum_name`] and [`flags`].
//!
//! ```
//! use webdyn_sunspec::{model, symbol::{self, Flag}};
//! let st = model::INVERTER_THREE_PHASE.symbols("St").unwrap();
//! assert_eq!(symbol::enum_name(st, 4), Some("MPPT"));
//! let evt1 = model::INVERTER_THREE_PHASE.symbols("Evt1").unwrap();
//! // Bits 0 and 7 are named; bit 20 is not in the definition.
//! let set: Vec<_> = symbol::flags(evt1, (1 << 0) | (1 << 7) | (1 << 20)).collect();
//! assert_eq!(set, [Flag::Named("GROUND_FAULT"), Flag::Named("OVER_TEMP"), Flag::Unknown(20)]);
//! ```

/// One named value: an enumeration value, or a bit number of a bit field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbol {
    /// The symbol name as the definition writes it (`"MPPT"`).
    pub name: &'static str,
    /// The enumeration value, or the bit number (0 = least significant).
    pub value: u32,
}

/// Anything that names a value: a built-in [`Symbol`] or a symbol loaded
/// from JSON.
pub trait Named {
    /// The symbol name.
    fn name(&self) -> &str;
    /// The enumeration value or bit number; `None` when it does not fit a
    /// point (a definition is input too).
    fn value(&self) -> Option<u64>;
}

impl Named for Symbol {
    fn name(&self) -> &str {
        self.name
    }
    fn value(&self) -> Option<u64> {
        Some(u64::from(self.value))
    }
}

/// The name of enumeration value `value`, or `None` when the definition
/// does not name it (vendors use values the standard does not list).
pub fn enum_name<S: Named>(symbols: &[S], value: u64) -> Option<&str> {
    symbols
        .iter()
        .find(|s| s.value() == Some(value))
        .map(Named::name)
}

/// One set bit of a bit field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag<'s> {
    /// The definition names this bit.
    Named(&'s str),
    /// The bit is set but the definition does not name it (vendor or
    /// reserved bits): its number, 0 = least significant.
    Unknown(u8),
}

/// The set bits of `bits`, least significant first, each with its name
/// when the definition has one.
pub fn flags<S: Named>(symbols: &[S], bits: u64) -> Flags<'_, S> {
    Flags {
        symbols,
        bits,
        next: 0,
    }
}

/// The iterator [`flags`] returns.
#[derive(Debug, Clone)]
pub struct Flags<'s, S> {
    symbols: &'s [S],
    bits: u64,
    next: u32,
}

impl<'s, S: Named> Iterator for Flags<'s, S> {
    type Item = Flag<'s>;

    fn next(&mut self) -> Option<Flag<'s>> {
        while self.next < 64 {
            let bit = self.next;
            self.next += 1;
            if self.bits & (1u64 << bit) == 0 {
                continue;
            }
            let bit64 = u64::from(bit);
            return Some(
                match self.symbols.iter().find(|s| s.value() == Some(bit64)) {
                    Some(s) => Flag::Named(s.name()),
                    None => Flag::Unknown(bit as u8),
                },
            );
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLOURS: &[Symbol] = &[
        Symbol {
            name: "RED",
            value: 1,
        },
        Symbol {
            name: "TOP",
            value: 31,
        },
    ];

    #[test]
    fn unnamed_values_and_bits() {
        assert_eq!(enum_name(COLOURS, 1), Some("RED"));
        assert_eq!(enum_name(COLOURS, 0), None);
        assert!(flags(COLOURS, 0x8000_0003).eq([
            Flag::Unknown(0),
            Flag::Named("RED"),
            Flag::Named("TOP")
        ]));
        assert_eq!(flags(COLOURS, 0).count(), 0);
        assert_eq!(flags(COLOURS, u64::MAX).count(), 64);
    }
}
