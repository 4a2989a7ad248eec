//! A forgiving pre-pass for hand-written JSON renderings of hub files.
//!
//! The manual's JSON examples are not all valid JSON (errata E5, E8, E13,
//! E30): trailing commas (`"type": "request",}`), doubled commas
//! (`"WE_1234",,`), PDF line breaks inside strings, and stray backslashes
//! (`"\schedule"`, `...UmO\CiglwR`). [`relax`] repairs exactly those so an
//! integrator can paste an example; everything else is left for the JSON
//! parser to judge. It is meant for tooling, never for what the hub writes.

use alloc::string::String;

/// Returns `text` with trailing and doubled commas removed outside strings,
/// raw line breaks inside strings turned into one space, and backslashes
/// that start no JSON escape dropped.
pub fn relax(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                // A backslash that starts no JSON escape is dropped, keeping
                // the character after it.
                '\\' => {
                    if let Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u') = chars.peek()
                    {
                        out.push(c);
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                    }
                }
                '\r' | '\n' => {
                    // One space for a wrapped line, however it was broken.
                    while matches!(chars.peek(), Some('\r' | '\n')) {
                        chars.next();
                    }
                    out.push(' ');
                }
                _ => out.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            ',' => {
                // Drop the comma when the next significant character closes
                // a container or is another comma.
                let mut look = chars.clone();
                let next = loop {
                    match look.next() {
                        Some(w) if w.is_whitespace() => continue,
                        other => break other,
                    }
                };
                if !matches!(next, Some('}' | ']' | ',')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::relax;

    #[test]
    fn repairs_the_manuals_errata() {
        assert_eq!(
            relax(r#"{"cmd": {"type": "request",}, "crc": 0}"#),
            r#"{"cmd": {"type": "request"}, "crc": 0}"#
        );
        assert_eq!(
            relax(r#"{"a": [1, 2,], "b": "x",,"c": 1}"#),
            r#"{"a": [1, 2], "b": "x","c": 1}"#
        );
        assert_eq!(
            relax("{\"D\": \"white list\nfilter\"}"),
            "{\"D\": \"white list filter\"}"
        );
        assert_eq!(relax(r#"{"s": "\schedule"}"#), r#"{"s": "schedule"}"#);
        // Valid escapes and commas inside strings are untouched.
        assert_eq!(relax(r#"{"s": "a,}\"\n"}"#), r#"{"s": "a,}\"\n"}"#);
    }
}
