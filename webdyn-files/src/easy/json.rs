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
/// raw line breaks inside strings turned into one space, backslashes that
/// start no JSON escape dropped, and `"$binary"` strings made of several
/// padded Base64 strings glued together (erratum E8) re-encoded as one.
pub fn relax(text: &str) -> String {
    unglue_binaries(&relax_syntax(text))
}

/// Re-encodes each `"$binary": "<b64>=<b64>"` string as one Base64 string.
fn unglue_binaries(text: &str) -> String {
    const KEY: &str = "\"$binary\"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let (head, tail) = rest.split_at(at + KEY.len());
        out.push_str(head);
        rest = tail;
        let after_colon = tail.trim_start().strip_prefix(':').map(str::trim_start);
        let Some(value) = after_colon.and_then(|v| v.strip_prefix('"')) else {
            continue;
        };
        let Some(end) = value.find('"') else { continue };
        let b64 = value.get(..end).unwrap_or_default();
        let glued = b64.trim_end_matches('=').contains('=');
        if let (true, Ok(bytes)) = (glued, super::base64::decode_concatenated(b64)) {
            let skipped = tail.len() - value.len();
            out.push_str(tail.get(..skipped).unwrap_or_default());
            out.push_str(&super::base64::encode(&bytes));
            rest = value.get(end..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

fn relax_syntax(text: &str) -> String {
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
        // Glued Base64 of the whitelist example becomes one string.
        assert_eq!(
            relax(r#"{"id": { "$binary": "FIZEsRQABBE=MExBKpkgwAE=", "$type": "00" }}"#),
            r#"{"id": { "$binary": "FIZEsRQABBEwTEEqmSDAAQ==", "$type": "00" }}"#
        );
        assert_eq!(relax(r#"{"$binary": "BwE="}"#), r#"{"$binary": "BwE="}"#);
        // Valid escapes and commas inside strings are untouched.
        assert_eq!(relax(r#"{"s": "a,}\"\n"}"#), r#"{"s": "a,}\"\n"}"#);
    }
}
