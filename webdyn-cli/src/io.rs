//! Input and output helpers shared by the subcommands.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use crate::cli_error::CliError;

/// Reads a whole input: a file path, or `-` for stdin.
#[allow(dead_code)] // used by the format subcommands as they land
pub fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut buf)?;
    } else {
        buf =
            std::fs::read(path).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
    }
    Ok(buf)
}

/// Parses a hex argument: upper or lower case, spaces allowed.
#[allow(dead_code)] // used by the format subcommands as they land
pub fn parse_hex(s: &str) -> Result<Vec<u8>, CliError> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(CliError::Usage(format!(
            "hex argument has an odd number of digits ({})",
            digits.len()
        )));
    }
    digits
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            let hi = hex_digit(pair.first().copied());
            let lo = hex_digit(pair.get(1).copied());
            match (hi, lo) {
                (Some(h), Some(l)) => Ok(h << 4 | l),
                _ => Err(CliError::Usage(format!(
                    "hex argument: not a hex digit at digit {}",
                    i * 2
                ))),
            }
        })
        .collect()
}

fn hex_digit(c: Option<u8>) -> Option<u8> {
    let c = c?;
    (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Lower-case hex of some bytes, for JSON output.
#[allow(dead_code)] // used by the format subcommands as they land
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Writes one JSON document: pretty on a terminal, compact when piped.
pub fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let pretty = stdout.is_terminal();
    let mut out = stdout.lock();
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(|e| CliError::Usage(format!("cannot serialise output: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// Writes one line of a JSON Lines stream (always compact).
#[allow(dead_code)] // used by the format subcommands as they land
pub fn print_json_line(out: &mut impl Write, value: &serde_json::Value) -> Result<(), CliError> {
    serde_json::to_writer(&mut *out, value)
        .map_err(|e| CliError::Usage(format!("cannot serialise output: {e}")))?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_accepts_case_and_spaces() {
        assert_eq!(parse_hex("0A ff 1b").unwrap(), vec![0x0A, 0xFF, 0x1B]);
        assert!(parse_hex("abc").is_err());
        assert!(parse_hex("gg").is_err());
        assert_eq!(to_hex(&[0x0A, 0xFF]), "0aff");
    }
}
