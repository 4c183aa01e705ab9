//! Go's string functions that BuildKit's output depends on.
//!
//! BuildKit is written in Go, so its dump and its word splitting follow Go's
//! `unicode.IsSpace`, `strings.TrimSpace`, `strings.ToLower` and `strconv.Quote`.
//! Rust's nearest equivalents differ at the edges (final sigma, U+0130, which
//! runes are printable), so the few we need are written out here once.

/// Whether `ch` is a space for Go's `unicode.IsSpace` (the Unicode White_Space
/// property, which is exactly what `char::is_whitespace` tests).
pub fn is_space(ch: char) -> bool {
    ch.is_whitespace()
}

/// Go's `strings.TrimSpace`: trims Unicode white space at both ends.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Go's `unicode.IsLetter` (general category L), approximated by Rust's
/// `is_alphabetic`, which also admits letter numbers and a few marks.
pub fn is_letter(ch: char) -> bool {
    ch.is_alphabetic()
}

/// Go's `unicode.IsDigit` (general category Nd), approximated by Rust's
/// `is_numeric` minus the common non-decimal number forms.
pub fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit() || (!ch.is_ascii() && ch.is_numeric() && !is_other_number(ch))
}

fn is_other_number(ch: char) -> bool {
    matches!(ch,
        '\u{00B2}'..='\u{00B3}' | '\u{00B9}' | '\u{00BC}'..='\u{00BE}'
        | '\u{2070}'..='\u{2079}' | '\u{2080}'..='\u{2089}' | '\u{2150}'..='\u{218B}'
        | '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}' | '\u{3007}' | '\u{3021}'..='\u{3029}'
        | '\u{3038}'..='\u{303A}' | '\u{3192}'..='\u{3195}' | '\u{3220}'..='\u{3229}'
        | '\u{3248}'..='\u{324F}' | '\u{3251}'..='\u{325F}' | '\u{3280}'..='\u{3289}'
        | '\u{32B1}'..='\u{32BF}' | '\u{16EE}'..='\u{16F0}')
}

/// Go's `strings.ToLower`, rune by rune (no final-sigma rule; U+0130 becomes `i`).
pub fn to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch == '\u{0130}' {
            out.push('i');
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Go's `strconv.Quote`: the string in double quotes with Go's escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s);
    out
}

/// `quote` appended to `out`, for dumps built in one buffer.
pub fn quote_into(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// U+0020. Without Unicode tables this treats every rune as printable except
/// controls, white space other than U+0020, format characters, private use,
/// noncharacters and the largest unassigned planes; exact for ASCII and Latin-1.
fn is_print(ch: char) -> bool {
    let c = ch as u32;
    if c < 0x80 {
        return (0x20..0x7F).contains(&c);
    }
    if c < 0xA1 || c == 0xAD {
        return false;
    }
    if ch.is_whitespace() || ch.is_control() {
        return false;
    }
    let format = matches!(c,
        0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private_or_unassigned = matches!(c,
        0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0x40000..=0xDFFFF | 0xE0080..=0xEFFFF);
    let noncharacter = (0xFDD0..=0xFDEF).contains(&c) || (c & 0xFFFE) == 0xFFFE;
    !(format || private_or_unassigned || noncharacter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_follows_go() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\u{0}\u{1b}\u{7f}"), r#""\x00\x1b\x7f""#);
        assert_eq!(quote("\u{a0}\u{2028}"), r#""\u00a0\u2028""#);
        assert_eq!(quote("♥ é 한"), "\"♥ é 한\"");
        assert_eq!(quote("\u{feff}\u{10ffff}"), r#""\ufeff\U0010ffff""#);
    }

    #[test]
    fn lower_is_rune_by_rune() {
        assert_eq!(to_lower("RUN"), "run");
        assert_eq!(to_lower("ΟΔΟΣ"), "οδοσ");
        assert_eq!(to_lower("\u{130}"), "i");
    }

    #[test]
    fn trim_space_uses_unicode_space() {
        assert_eq!(trim_space("\u{85} a \u{a0}"), "a");
    }
}
