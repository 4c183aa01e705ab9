//! POSIX basic and extended regular expressions (for `grep` and `sed`) translated to
//! the `regex` crate's syntax, which matches in linear time so no input can hang a run.
//!
//! Backreferences inside a pattern (`\(a\)\1`) have no linear-time equivalent and are
//! reported as unsupported; they are rare in Dockerfiles.

use regex::bytes::{Regex, RegexBuilder};

/// Compiles a POSIX regex: `extended` for ERE (`grep -E`, `sed -E`), else BRE.
pub fn compile(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
    let translated = translate(pattern, extended)?;
    RegexBuilder::new(&translated)
        .unicode(false)
        .case_insensitive(icase)
        .size_limit(1 << 20)
        .nest_limit(100)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "regular expression too big".to_string(),
            _ => "Invalid regular expression".to_string(),
        })
}

fn translate(pattern: &str, extended: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Where a `*` is literal in a BRE: at the start and after `\(` or `^`.
    let mut at_start = true;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let start = at_start;
        at_start = false;
        match c {
            '\\' if i < chars.len() => {
                let n = chars[i];
                i += 1;
                match n {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => {
                        out.push(n);
                        at_start = n == '(' || n == '|';
                    }
                    '<' | '>' => out.push_str("\\b"),
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    d if d.is_ascii_digit() => {
                        return Err("back references are not supported".to_string())
                    }
                    other => push_literal(&mut out, other),
                }
            }
            '\\' => push_literal(&mut out, '\\'),
            '[' => {
                let (class, next) = bracket(&chars, i)?;
                out.push_str(&class);
                i = next;
            }
            '*' if start => out.push_str("\\*"),
            '^' => {
                out.push('^');
                at_start = true;
            }
            '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => push_literal(&mut out, c),
            '(' | '|' => {
                out.push(c);
                at_start = true;
            }
            '{' if extended && !valid_interval(&chars, i) => out.push_str("\\{"),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Whether `{` at `i - 1` starts a valid `{m}`, `{m,}` or `{m,n}` interval.
fn valid_interval(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..].iter().take_while(|c| **c != '}').collect();
    i + rest.len() < chars.len()
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == ',')
        && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn push_literal(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// A bracket expression starting after `[`: Rust syntax and the index after `]`.
fn bracket(chars: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("Unmatched [".to_string());
        };
        if c == ']' && !first {
            out.push(']');
            return Ok((out, i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                out.push_str(&format!("[:{}:]", &rest[..end]));
                i += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        match c {
            '-' if i > 0
                && chars.get(i + 1).is_some_and(|n| *n != ']')
                && !out.ends_with('[')
                && !out.ends_with('^') =>
            {
                out.push('-')
            }
            '\\' | '[' | ']' | '&' | '~' | '-' | '^' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
}
