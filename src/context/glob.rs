//! Glob patterns over slash-separated paths, in the two dialects Docker uses.
//!
//! COPY/ADD sources use Go's `filepath.Match` (`*`, `?`, `[...]`, `\` escapes; no
//! `**`), and `.dockerignore` uses moby/patternmatcher, which adds `**` (any number
//! of directories, even none) and treats an unterminated `[` as an error. Both
//! compile to the same small token list and match by backtracking, so no regex
//! engine is needed in the wasm.

/// One compiled piece of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// A character that must appear as is.
    Literal(char),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `?`: one character other than `/`.
    One,
    /// `**` followed by more pattern: any run of whole directories, `(.*/)?`.
    AnyDirs,
    /// `**` at the end of a pattern: anything at all, `.*`.
    AnyTail,
    /// `[...]`: one character from (or, negated, not from) a set of ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// A compiled glob; `matches` answers for a whole path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    tokens: Vec<Token>,
    /// patternmatcher's "suffix match": a pattern that is `**` plus plain text
    /// matches any path ending in that text (`**foo` matches `barfoo`).
    suffix: Option<String>,
}

/// Why a pattern could not be compiled (Go's `filepath.ErrBadPattern`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadPattern(pub String);

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "syntax error in pattern: {}", self.0)
    }
}

impl Glob {
    /// Compiles a `filepath.Match` pattern (COPY and ADD sources).
    pub fn file_path(pattern: &str) -> Result<Glob, BadPattern> {
        compile(pattern, false)
    }

    /// Compiles a `.dockerignore` pattern (patternmatcher, with `**`).
    pub fn ignore(pattern: &str) -> Result<Glob, BadPattern> {
        let mut glob = compile(pattern, true)?;
        if let Some(rest) = pattern.strip_prefix("**") {
            if !rest.is_empty() && !rest.contains(['*', '?', '[', ']', '\\']) {
                glob.suffix = Some(rest.to_string());
            }
        }
        Ok(glob)
    }

    /// True if the pattern has any wildcard, so a COPY source must be expanded.
    pub fn has_wildcards(pattern: &str) -> bool {
        pattern.contains(['*', '?', '['])
    }

    /// True if the whole of `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        if let Some(suffix) = &self.suffix {
            return path.ends_with(suffix.as_str())
                || suffix.strip_prefix('/').is_some_and(|bare| path == bare);
        }
        let chars: Vec<char> = path.chars().collect();
        let mut memo = vec![None; (self.tokens.len() + 1) * (chars.len() + 1)];
        self.match_at(0, 0, &chars, &mut memo)
    }

    fn match_at(&self, t: usize, c: usize, path: &[char], memo: &mut [Option<bool>]) -> bool {
        let key = t * (path.len() + 1) + c;
        if let Some(known) = memo[key] {
            return known;
        }
        let result = match self.tokens.get(t) {
            None => c == path.len(),
            Some(Token::Literal(ch)) => {
                path.get(c) == Some(ch) && self.match_at(t + 1, c + 1, path, memo)
            }
            Some(Token::One) => {
                path.get(c).is_some_and(|ch| *ch != '/') && self.match_at(t + 1, c + 1, path, memo)
            }
            Some(Token::Class { negated, ranges }) => {
                path.get(c).is_some_and(|ch| {
                    *ch != '/' && ranges.iter().any(|(lo, hi)| lo <= ch && ch <= hi) != *negated
                }) && self.match_at(t + 1, c + 1, path, memo)
            }
            Some(Token::Star) => {
                let mut end = c;
                loop {
                    if self.match_at(t + 1, end, path, memo) {
                        break true;
                    }
                    if end == path.len() || path[end] == '/' {
                        break false;
                    }
                    end += 1;
                }
            }
            Some(Token::AnyTail) => true,
            Some(Token::AnyDirs) => {
                // Zero directories, or any prefix that ends just after a slash.
                self.match_at(t + 1, c, path, memo)
                    || (c..path.len())
                        .any(|i| path[i] == '/' && self.match_at(t + 1, i + 1, path, memo))
            }
        };
        memo[key] = Some(result);
        result
    }
}

fn compile(pattern: &str, double_star: bool) -> Result<Glob, BadPattern> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if double_star && chars.get(i + 1) == Some(&'*') => {
                i += 2;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i == chars.len() {
                    Token::AnyTail
                } else {
                    Token::AnyDirs
                });
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::One),
            '\\' => match chars.get(i + 1) {
                Some(next) => {
                    tokens.push(Token::Literal(*next));
                    i += 1;
                }
                // A trailing backslash: Go's filepath.Match rejects it; the ignore
                // dialect keeps it as a literal.
                None if double_star => tokens.push(Token::Literal('\\')),
                None => return Err(BadPattern(pattern.to_string())),
            },
            '[' => {
                let (token, next) =
                    class(&chars, i + 1).ok_or_else(|| BadPattern(pattern.to_string()))?;
                tokens.push(token);
                i = next;
                continue;
            }
            ']' if !double_star => return Err(BadPattern(pattern.to_string())),
            ch => tokens.push(Token::Literal(ch)),
        }
        i += 1;
    }
    Ok(Glob {
        tokens,
        suffix: None,
    })
}

/// Parses a character class starting after `[`; returns the token and the index
/// after the closing `]`.
fn class(chars: &[char], mut i: usize) -> Option<(Token, usize)> {
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let ch = *chars.get(i)?;
        if ch == ']' && !first {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        first = false;
        let lo = class_char(chars, &mut i)?;
        let hi = if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
            i += 1;
            class_char(chars, &mut i)?
        } else {
            lo
        };
        if lo > hi {
            return None;
        }
        ranges.push((lo, hi));
    }
}

fn class_char(chars: &[char], i: &mut usize) -> Option<char> {
    let mut ch = *chars.get(*i)?;
    if ch == '\\' {
        *i += 1;
        ch = *chars.get(*i)?;
    }
    *i += 1;
    Some(ch)
}
