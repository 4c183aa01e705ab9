//! BuildKit's shell lexer: `$VAR`, `${VAR:-word}` and friends, quotes and escapes.
//!
//! The builder expands instruction arguments with this at build time, against
//! the stage's variables; the parser uses it (in raw modes) to find heredocs.
//! It reproduces BuildKit's `shell/lex.go` including its quirks, because a
//! tutorial must show the same result Docker would: `ProcessWords` drops text
//! that came before a `${x:-y}` in the same word, empty quotes make no word,
//! and `${v//p/r}` expands `$0` in the replacement like Go's regexp does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use super::gotext::{is_digit, is_letter, is_space, quote};

/// Where the lexer looks variables up. Implemented for ordered pairs (the
/// last pair for a name wins, like a later `ENV`), and for maps.
pub trait Env {
    /// The value of `name`, or `None` when it is not set (set-but-empty is `Some("")`).
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl Env for [(String, String)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl Env for Vec<(String, String)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

impl Env for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Env for HashMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// An environment with no variables, as the parser uses to find heredocs.
pub struct NoEnv;

impl Env for NoEnv {
    fn lookup(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// A failed expansion, worded as BuildKit words it
/// (`failed to process "${x": syntax error: missing '}'`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    /// The whole message, ready to show.
    pub message: String,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

/// The result of one expansion with the variables it looked up, so a linter
/// or the builder can tell which build args a line used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded text (what `ProcessWord` returns).
    pub result: String,
    /// The variables looked up that were set.
    pub matched: BTreeSet<String>,
    /// The variables looked up that were not set.
    pub unmatched: BTreeSet<String>,
}

/// A configured lexer: the escape character and BuildKit's mode switches.
#[derive(Clone, Copy, Debug)]
pub struct Lexer {
    /// The escape character: `\` or, after `# escape=`, a backtick.
    pub escape: char,
    /// Keep quote characters in the output (heredoc detection).
    pub raw_quotes: bool,
    /// Keep escape characters in the output (heredoc detection).
    pub raw_escapes: bool,
    /// Leave references to unset variables as written (heredoc detection).
    pub skip_unset_env: bool,
    /// Treat quotes as ordinary characters (expanding heredoc bodies).
    pub skip_process_quotes: bool,
}

impl Lexer {
    /// A lexer with BuildKit's default modes and the given escape character.
    pub fn new(escape: char) -> Lexer {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
            skip_process_quotes: false,
        }
    }

    /// Expands `word` into one string (`ProcessWord`), as for WORKDIR or ENV values.
    pub fn process_word<E: Env + ?Sized>(
        &self,
        word: &str,
        env: &E,
    ) -> Result<String, ExpandError> {
        self.process_word_with_matches(word, env).map(|e| e.result)
    }

    /// Expands `word` and reports which variables it used (`ProcessWordWithMatches`).
    pub fn process_word_with_matches<E: Env + ?Sized>(
        &self,
        word: &str,
        env: &E,
    ) -> Result<Expansion, ExpandError> {
        let mut state = Scanner::new(*self, word, env, true);
        let (result, _) = state.process(word)?;
        Ok(Expansion {
            result,
            matched: state.matched,
            unmatched: state.unmatched,
        })
    }

    /// Expands `word` and splits it into words after expansion (`ProcessWords`),
    /// as for EXPOSE, VOLUME and shell-form word lists.
    pub fn process_words<E: Env + ?Sized>(
        &self,
        word: &str,
        env: &E,
    ) -> Result<Vec<String>, ExpandError> {
        let mut state = Scanner::new(*self, word, env, false);
        state.process(word).map(|(_, words)| words)
    }
}

/// One expansion in progress: BuildKit's `shellWord`.
struct Scanner<'a, E: Env + ?Sized> {
    lexer: Lexer,
    text: &'a str,
    pos: usize,
    env: &'a E,
    raw_escapes: bool,
    capture: bool,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    /// Shared by nested `process_stop_on` calls, as in BuildKit: a nested
    /// call clears it, which is where the lost-prefix quirk comes from.
    words_buffer: String,
}

/// The words being split by one `process_stop_on` call.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buffer: &mut String, ch: char) {
        if is_space(ch) && self.in_word {
            if !buffer.is_empty() {
                self.words.push(std::mem::take(buffer));
                self.in_word = false;
            }
        } else if !is_space(ch) {
            self.add_raw_char(buffer, ch);
        }
    }

    fn add_raw_char(&mut self, buffer: &mut String, ch: char) {
        buffer.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buffer: &mut String, text: &str) {
        for ch in text.chars() {
            self.add_char(buffer, ch);
        }
    }

    fn add_raw_string(&mut self, buffer: &mut String, text: &str) {
        buffer.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self, buffer: &mut String) -> Vec<String> {
        if !buffer.is_empty() {
            self.words.push(std::mem::take(buffer));
        }
        self.words
    }
}

type Step<T> = Result<T, String>;

impl<'a, E: Env + ?Sized> Scanner<'a, E> {
    fn new(lexer: Lexer, text: &'a str, env: &'a E, capture: bool) -> Scanner<'a, E> {
        // Go's text/scanner skips a byte-order mark at the very start.
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Scanner {
            lexer,
            text,
            pos,
            env,
            raw_escapes: lexer.raw_escapes,
            capture,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            words_buffer: String::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    fn process(&mut self, source: &str) -> Result<(String, Vec<String>), ExpandError> {
        let raw = self.raw_escapes;
        self.process_stop_on(None, raw)
            .map_err(|message| ExpandError {
                message: format!("failed to process {}: {message}", quote(source)),
            })
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Step<(String, Vec<String>)> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let outcome = self.stop_on(stop);
        self.raw_escapes = saved;
        outcome
    }

    fn stop_on(&mut self, stop: Option<char>) -> Step<(String, Vec<String>)> {
        let mut result = String::new();
        self.words_buffer.clear();
        let mut words = Words::default();
        let quotes = !self.lexer.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                let words = words.finish(&mut self.words_buffer);
                return Ok((result, words));
            }
            match ch {
                '$' => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                    words.add_string(&mut self.words_buffer, &value);
                }
                '\'' if quotes => {
                    let value = self.process_single_quote()?;
                    result.push_str(&value);
                    words.add_raw_string(&mut self.words_buffer, &value);
                }
                '"' if quotes => {
                    let value = self.process_double_quote()?;
                    result.push_str(&value);
                    words.add_raw_string(&mut self.words_buffer, &value);
                }
                '<' => {
                    let value = self.process_possible_heredoc();
                    result.push_str(&value);
                    words.add_raw_string(&mut self.words_buffer, &value);
                }
                _ => {
                    self.next();
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            words.add_raw_char(&mut self.words_buffer, ch);
                            result.push(ch);
                        }
                        match self.next() {
                            None => break,
                            Some(escaped) => {
                                words.add_raw_char(&mut self.words_buffer, escaped);
                                result.push(escaped);
                            }
                        }
                    } else {
                        words.add_char(&mut self.words_buffer, ch);
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        let words = words.finish(&mut self.words_buffer);
        Ok((result, words))
    }

    /// `<<` followed by blanks stays glued to the next word, so `<<  EOF` is one word.
    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = "<<".to_string();
        while let Some(ch @ (' ' | '\t')) = self.peek() {
            out.push(ch);
            self.next();
        }
        out
    }

    fn process_single_quote(&mut self) -> Step<String> {
        let mut result = String::new();
        let open = self.next();
        if self.lexer.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_string(),
                    )
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    fn process_double_quote(&mut self) -> Step<String> {
        let mut result = String::new();
        let open = self.next();
        if self.lexer.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .to_string(),
                    )
                }
                Some('"') => {
                    self.next();
                    if self.lexer.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(next)
                                if next == '"' || next == '$' || next == self.lexer.escape =>
                            {
                                ch = next;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn process_dollar(&mut self) -> Step<String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.get_env(&name) {
                Some(value) => value,
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".to_string()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_string()),
            Some(_) => {}
        }
        let name = self.process_name();
        // Go reads EOF as rune -1, which prints as U+FFFD in the messages.
        let mut ch = self.next().unwrap_or('\u{fffd}');
        let mut modifier = ch.to_string();
        let mut null_is_unset = false;
        match ch {
            '}' => Ok(match self.get_env(&name) {
                Some(value) => value,
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            ':' | '+' | '-' | '?' | '#' | '%' => {
                if ch == ':' {
                    null_is_unset = true;
                    ch = self.next().unwrap_or('\u{fffd}');
                    modifier.push(ch);
                }
                let raw = ch == '#' || ch == '%';
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({modifier}) in substitution"));
                }
                let word = self.nested('}', raw, "syntax error: missing '}'")?;
                let value = self.get_env(&name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}{modifier}{word}}}"));
                }
                let empty = value
                    .as_deref()
                    .is_none_or(|v| null_is_unset && v.is_empty());
                match ch {
                    '-' => Ok(if empty {
                        word
                    } else {
                        value.unwrap_or_default()
                    }),
                    '+' => Ok(if empty { String::new() } else { word }),
                    '?' => match value {
                        None => Err(format!(
                            "{name}: {}",
                            or_default(word, "is not allowed to be unset")
                        )),
                        Some(v) if null_is_unset && v.is_empty() => Err(format!(
                            "{name}: {}",
                            or_default(word, "is not allowed to be empty")
                        )),
                        Some(v) => Ok(v),
                    },
                    '%' | '#' => {
                        let value = value.unwrap_or_default();
                        let (pattern, greedy) = match word.strip_prefix(ch) {
                            Some(rest) => (rest.to_string(), true),
                            None => (word, false),
                        };
                        if ch == '%' {
                            trim_suffix(&pattern, &value, greedy)
                        } else {
                            trim_prefix(&pattern, &value, greedy)
                        }
                    }
                    _ => Err(format!("unsupported modifier ({modifier}) in substitution")),
                }
            }
            '/' => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let pattern = self.nested('/', true, "syntax error: missing '/' in ${}")?;
                let replacement = self.nested('}', true, "syntax error: missing '}'")?;
                let Some(value) = self.get_env(&name) else {
                    if self.lexer.skip_unset_env {
                        return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                    }
                    return replace(&pattern, "", &replacement, all);
                };
                replace(&pattern, &value, &replacement, all)
            }
            _ => Err(format!("unsupported modifier ({modifier}) in substitution")),
        }
    }

    /// A nested `processStopOn` whose failure at end of input becomes `at_eof`.
    fn nested(&mut self, stop: char, raw: bool, at_eof: &str) -> Step<String> {
        match self.process_stop_on(Some(stop), raw) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err(at_eof.to_string()),
            Err(message) => Err(message),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(d) = self.peek().filter(|c| is_digit(*c)) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !is_letter(ch) && !is_digit(ch) && ch != '_' {
                break;
            }
            name.push(ch);
            self.next();
        }
        name
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        let value = self.env.lookup(name).map(str::to_string);
        if self.capture {
            let set = if value.is_some() {
                &mut self.matched
            } else {
                &mut self.unmatched
            };
            set.insert(name.to_string());
        }
        value
    }
}

fn or_default(word: String, default: &str) -> String {
    if word.is_empty() {
        default.to_string()
    } else {
        word
    }
}

/// One element of a shell pattern compiled the way BuildKit compiles it to a
/// Go regexp: `?` is `.`, `*` is `.*` (or `.*?`), and `.` never matches `\n`.
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Literal(char),
    Any,
    Star,
}

struct Pattern {
    tokens: Vec<Token>,
    greedy: bool,
}

fn compile(pattern: &str, greedy: bool) -> Step<Pattern> {
    let mut tokens = Vec::new();
    let mut chars = pattern
        .strip_prefix('\u{feff}')
        .unwrap_or(pattern)
        .chars()
        .peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Any),
            '\\' => {
                if matches!(chars.peek(), Some('}' | '/')) {
                    continue;
                }
                match chars.next() {
                    Some(c @ ('*' | '?' | '\\')) => tokens.push(Token::Literal(c)),
                    Some(c) => {
                        return Err(format!(
                            "invalid pattern ({pattern}) in substitution: invalid escape '\\{c}'"
                        ))
                    }
                    None => {
                        return Err(format!(
                            "invalid pattern ({pattern}) in substitution: invalid escape '\\%!c(int32=-1)'"
                        ))
                    }
                }
            }
            c => tokens.push(Token::Literal(c)),
        }
    }
    Ok(Pattern { tokens, greedy })
}

impl Pattern {
    /// For every start position, the end of the match Go's backtracking
    /// preference picks there (`None` if no match starts there). Computed
    /// token by token from the right in O(tokens x text), so no pattern can
    /// take exponential time or recurse deeply.
    fn ends(&self, text: &[char]) -> Vec<Option<usize>> {
        let n = text.len();
        let mut next: Vec<Option<usize>> = (0..=n).map(Some).collect();
        for token in self.tokens.iter().rev() {
            let mut row = vec![None; n + 1];
            match *token {
                Token::Literal(c) => {
                    for pos in 0..n {
                        if text[pos] == c {
                            row[pos] = next[pos + 1];
                        }
                    }
                }
                Token::Any => {
                    for pos in 0..n {
                        if text[pos] != '\n' {
                            row[pos] = next[pos + 1];
                        }
                    }
                }
                Token::Star => {
                    // The star may stop at any k in [pos, next newline]; greedy
                    // prefers the largest k that lets the rest match, lazy the smallest.
                    let mut candidate: Option<usize> = None;
                    for pos in (0..=n).rev() {
                        if pos < n && text[pos] == '\n' {
                            candidate = None;
                        }
                        if next[pos].is_some() && (!self.greedy || candidate.is_none()) {
                            candidate = Some(pos);
                        }
                        row[pos] = candidate.and_then(|k| next[k]);
                    }
                }
            }
            next = row;
        }
        next
    }
}

/// The leftmost match at or after `from`, as `(start, end)` char indexes.
fn find(ends: &[Option<usize>], from: usize) -> Option<(usize, usize)> {
    (from..ends.len()).find_map(|start| ends[start].map(|end| (start, end)))
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Step<String> {
    let compiled = compile(pattern, greedy)?;
    let text: Vec<char> = value.chars().collect();
    Ok(match compiled.ends(&text)[0] {
        Some(end) => text[end..].iter().collect(),
        None => value.to_string(),
    })
}

/// Suffix removal runs prefix removal on the reversed text and pattern, as BuildKit does.
fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Step<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut reversed = vec!['\0'; chars.len()];
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let out = last - i;
        if chars[i] == '\\' && i != last {
            reversed[out - 1] = '\\';
            reversed[out] = chars[i + 1];
            i += 2;
        } else {
            reversed[out] = chars[i];
            i += 1;
        }
    }
    let reversed_pattern: String = reversed.into_iter().collect();
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reversed_pattern, &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// `${v/p/r}` and `${v//p/r}`: the first form inserts `r` literally, the
/// second uses Go's `ReplaceAllString`, which expands `$0` and `$$` in `r`.
fn replace(pattern: &str, value: &str, replacement: &str, all: bool) -> Step<String> {
    let compiled = compile(pattern, true)?;
    let text: Vec<char> = value.chars().collect();
    let ends = compiled.ends(&text);
    if !all {
        return Ok(match find(&ends, 0) {
            Some((start, end)) => {
                let mut out: String = text[..start].iter().collect();
                out.push_str(replacement);
                out.extend(&text[end..]);
                out
            }
            None => value.to_string(),
        });
    }
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= text.len() {
        let Some((start, end)) = find(&ends, search) else {
            break;
        };
        out.extend(&text[last_end..start]);
        if end > last_end || start == 0 {
            expand_template(&mut out, replacement, &text[start..end]);
        }
        last_end = end;
        search = if search + 1 > end { search + 1 } else { end };
    }
    out.extend(&text[last_end.min(text.len())..]);
    Ok(out)
}

/// Go's `Regexp.Expand` for a pattern without groups: `$0`/`${0}` is the match,
/// `$$` is `$`, other names are empty, a malformed `$` stays literal.
fn expand_template(out: &mut String, template: &str, matched: &[char]) {
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let (braced, body) = match rest.strip_prefix('{') {
            Some(body) => (true, body),
            None => (false, rest),
        };
        let name_len: usize = body
            .chars()
            .take_while(|c| is_letter(*c) || is_digit(*c) || *c == '_')
            .map(char::len_utf8)
            .sum();
        if name_len == 0 || (braced && !body[name_len..].starts_with('}')) {
            out.push('$');
            continue;
        }
        let name = &body[..name_len];
        rest = &body[name_len + usize::from(braced)..];
        if name == "0" {
            out.extend(matched);
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<(String, String)> {
        vec![("A".into(), "abcabc".into()), ("E".into(), String::new())]
    }

    fn word(input: &str) -> Result<String, ExpandError> {
        Lexer::new('\\').process_word(input, &env())
    }

    #[test]
    fn modifiers() {
        assert_eq!(word("${A#*b}").unwrap(), "cabc");
        assert_eq!(word("${A##*b}").unwrap(), "c");
        assert_eq!(word("${A%b*}").unwrap(), "abca");
        assert_eq!(word("${A%%b*}").unwrap(), "a");
        assert_eq!(word("${A/b/X}").unwrap(), "aXcabc");
        assert_eq!(word("${A//b/X}").unwrap(), "aXcaXc");
        assert_eq!(word("${A//b/<$0>}").unwrap(), "a<>ca<>c");
        assert_eq!(
            replace("b", "abcabc", "<$0$$>", true).unwrap(),
            "a<b$>ca<b$>c"
        );
        assert_eq!(replace("b", "abcabc", "<$0>", false).unwrap(), "a<$0>cabc");
        assert_eq!(word("${E:-d}").unwrap(), "d");
        assert_eq!(word("${E-d}").unwrap(), "");
        assert!(word("${E:?}")
            .unwrap_err()
            .message
            .contains("E: is not allowed to be empty"));
        assert!(word("${A:#x}").is_err());
    }

    #[test]
    fn words_keep_the_lost_prefix_quirk() {
        let lexer = Lexer::new('\\');
        assert_eq!(
            lexer.process_words("hello${X:-abc}", &NoEnv).unwrap(),
            ["abc"]
        );
        assert_eq!(lexer.process_words("a \"\" b", &NoEnv).unwrap(), ["a", "b"]);
    }

    #[test]
    fn pathological_patterns_do_not_blow_up() {
        let long = "a".repeat(300);
        let env = vec![("V".to_string(), long.clone())];
        let out = Lexer::new('\\')
            .process_word("${V//*a*a*a*a*b/x}", &env)
            .unwrap();
        assert_eq!(out, long);
    }
}
