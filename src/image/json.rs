//! Canonical JSON as Go's `encoding/json` writes it, so image IDs and manifest
//! digests match what Docker and BuildKit compute.
//!
//! Go escapes `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026` and U+2028/U+2029,
//! uses `\n`, `\r`, `\t`, `\"`, `\\` and `\u00XX` for other control characters, and
//! prints no spaces. Key order is decided by the caller (struct order or sorted map
//! keys), which is why this is a writer and not a serde serializer.

use std::fmt::Write as _;

/// Appends `s` as a JSON string literal with Go's escaping.
pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object under construction: `field` calls in the order they must appear.
pub(crate) struct Object {
    out: String,
    empty: bool,
}

impl Object {
    pub(crate) fn new() -> Object {
        Object {
            out: String::from("{"),
            empty: true,
        }
    }

    /// Adds `"key":` followed by an already encoded value.
    pub(crate) fn raw(&mut self, key: &str, value: &str) -> &mut Object {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        string(&mut self.out, key);
        self.out.push(':');
        self.out.push_str(value);
        self
    }

    /// Adds a string field.
    pub(crate) fn str(&mut self, key: &str, value: &str) -> &mut Object {
        let mut v = String::new();
        string(&mut v, value);
        self.raw(key, &v)
    }

    /// Adds a string field unless the value is empty (Go's `omitempty`).
    pub(crate) fn str_nonempty(&mut self, key: &str, value: &str) -> &mut Object {
        if value.is_empty() {
            self
        } else {
            self.str(key, value)
        }
    }

    /// Adds a list of strings unless it is empty (Go's `omitempty`).
    pub(crate) fn strings_nonempty(&mut self, key: &str, values: &[String]) -> &mut Object {
        if values.is_empty() {
            self
        } else {
            self.raw(key, &strings(values))
        }
    }

    pub(crate) fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

/// A JSON array of strings.
pub(crate) fn strings(values: &[String]) -> String {
    array(values.iter().map(|v| {
        let mut s = String::new();
        string(&mut s, v);
        s
    }))
}

/// A JSON array of already encoded values.
pub(crate) fn array(values: impl Iterator<Item = String>) -> String {
    let mut out = String::from("[");
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&v);
    }
    out.push(']');
    out
}
