//! Dockerfile text to BuildKit's syntax tree, and BuildKit's `Dump` of it.
//!
//! This is BuildKit's `parser` package rewritten: directives, the escape
//! character, continuations (with comment and blank lines inside), heredocs,
//! JSON versus shell form, flags, and the per-instruction argument shapes.
//! The dump must equal BuildKit's byte for byte, so the odd corners stay odd:
//! continuation pieces are joined with no separator, flags are read byte by
//! byte, and unknown instructions parse here and fail only in `instruction`.

use std::borrow::Cow;

use super::diagnostic::{Diagnostic, LineIndex, Severity};
use super::expand::{Lexer, NoEnv};
use super::gotext::{is_space, quote, quote_into, to_lower, trim_space};

/// The longest line BuildKit's scanner accepts, in bytes without the newline.
pub const MAX_LINE_BYTES: usize = 65_535;

/// One node of BuildKit's tree. An instruction is a node whose `value` is the
/// keyword as written and whose `next` holds the arguments in order; ONBUILD's
/// single argument node has the parsed sub-instruction as its only child.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// The keyword (instruction nodes) or the argument text (argument nodes).
    pub value: String,
    /// The argument nodes (BuildKit's `Next` chain, flattened).
    pub next: Vec<Node>,
    /// Sub-instructions: only the argument node of ONBUILD has one.
    pub children: Vec<Node>,
    /// The `--flag=value` words after the keyword, quotes removed.
    pub flags: Vec<String>,
    /// Whether the arguments were written as a JSON array (exec form).
    pub json: bool,
    /// The logical line after joining continuations, as BuildKit keeps it.
    pub original: String,
    /// First physical line (1-based), comments and continuations included.
    pub start_line: usize,
    /// Last physical line, including heredoc bodies.
    pub end_line: usize,
    /// Column (1-based) of the keyword on `start_line`.
    pub column: usize,
    /// The heredocs of a RUN, COPY or ADD (or ONBUILD of one), in order.
    pub heredocs: Vec<Heredoc>,
}

/// A heredoc attached to an instruction: `<<EOF`, `<<-EOF`, `3<<'EOF'`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heredoc {
    /// The terminator word with quotes removed.
    pub name: String,
    /// The file descriptor before `<<` (0 if none).
    pub file_descriptor: u64,
    /// False when the name was quoted: the body is then used literally.
    pub expand: bool,
    /// `<<-`: leading tabs are removed from the body when it is used.
    pub chomp: bool,
    /// The body lines with their newlines, exactly as written.
    pub content: String,
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// `syntax`, `escape` or `check`, lower-cased.
    pub name: String,
    /// The value after `=`, trimmed.
    pub value: String,
    /// The line it was on (1-based).
    pub line: usize,
}

/// A parsed Dockerfile: BuildKit's root node plus what the parser learnt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// One node per instruction, in order.
    pub children: Vec<Node>,
    /// The escape character in force (`\` or a backtick).
    pub escape: char,
    /// The directives at the top of the file.
    pub directives: Vec<Directive>,
    /// Warnings (empty continuation lines), as diagnostics.
    pub warnings: Vec<Diagnostic>,
}

impl File {
    /// BuildKit's `Dump()` of the root plus a newline: exactly the `result`
    /// file of BuildKit's parser tests.
    pub fn dump(&self) -> String {
        let mut out = String::with_capacity(self.children.len() * 64);
        for child in &self.children {
            out.push('(');
            child.dump_into(&mut out);
            out.push_str(")\n");
        }
        trim_space_in_place(&mut out, 0);
        out.push('\n');
        out
    }
}

impl Node {
    /// BuildKit's `Node.Dump()`: `run ["--flag"] "arg" "arg"`.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        self.dump_into(&mut out);
        out
    }

    /// Appends the dump to `out` (one buffer for the whole file).
    fn dump_into(&self, out: &mut String) {
        let start = out.len();
        if self.value.is_ascii() {
            out.extend(
                self.value
                    .bytes()
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        } else {
            out.push_str(&to_lower(&self.value));
        }
        if !self.flags.is_empty() {
            out.push_str(" [");
            for (i, flag) in self.flags.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                quote_into(out, flag);
            }
            out.push(']');
        }
        for child in &self.children {
            out.push('(');
            child.dump_into(out);
            out.push_str(")\n");
        }
        for arg in &self.next {
            out.push(' ');
            if arg.children.is_empty() {
                quote_into(out, &arg.value);
            } else {
                arg.dump_into(out);
            }
        }
        trim_space_in_place(out, start);
    }

    /// The instruction keyword in lower case (`run`), as BuildKit dispatches
    /// on it, if it is one BuildKit knows.
    pub fn keyword(&self) -> Option<&'static str> {
        known_keyword(&self.value)
    }

    fn can_contain_heredoc(&self) -> bool {
        let mut node = self;
        if node.keyword() == Some("onbuild") {
            if let Some(sub) = node.next.first().and_then(|n| n.children.first()) {
                node = sub;
            }
        }
        matches!(node.keyword(), Some("run" | "copy" | "add")) && !node.json
    }
}

/// The instructions BuildKit dispatches on, lower case.
const KEYWORDS: [&str; 18] = [
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// The lower-case name of a known instruction keyword, compared as Go's
/// `strings.ToLower` would (so the Kelvin sign K counts as `k`).
pub fn known_keyword(word: &str) -> Option<&'static str> {
    if word.is_ascii() {
        return KEYWORDS
            .iter()
            .copied()
            .find(|k| k.eq_ignore_ascii_case(word));
    }
    let lower = to_lower(word);
    KEYWORDS.iter().copied().find(|k| *k == lower)
}

/// Removes Unicode white space at both ends of `out[start..]` (Go's `TrimSpace`).
fn trim_space_in_place(out: &mut String, start: usize) {
    let kept = out[start..].trim_end_matches(is_space).len();
    out.truncate(start + kept);
    let lead = out[start..].len() - out[start..].trim_start_matches(is_space).len();
    if lead > 0 {
        out.replace_range(start..start + lead, "");
    }
}

/// Parses Dockerfile bytes. Invalid UTF-8 is replaced by U+FFFD first (BuildKit
/// keeps the bytes; only dumps of such files differ).
pub fn parse_bytes(bytes: &[u8]) -> Result<File, Diagnostic> {
    parse(&String::from_utf8_lossy(bytes))
}

/// Parses Dockerfile text into BuildKit's tree. Fails where BuildKit's parser
/// fails (no instructions, bad directive, JSON array of non-strings, ENV/LABEL
/// shape, unterminated heredoc, a line over 64 KiB), with the line.
pub fn parse(text: &str) -> Result<File, Diagnostic> {
    let mut lines = Lines {
        text,
        pos: 0,
        too_long: false,
    };
    let mut directives = Directives {
        escape: '\\',
        done: false,
        found: Vec::new(),
    };
    let mut current_line = 0usize;
    let mut children = Vec::with_capacity(text.len() / 48 + 1);
    let mut warnings = Vec::new();
    let fail = |start: usize, end: usize, message: String| {
        Diagnostic::error_on_lines(text, start, end, message)
    };

    while let Some(mut raw) = lines.next() {
        if current_line == 0 {
            raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        }
        let first = process_line(&mut directives, raw, true, current_line + 1)
            .map_err(|m| fail(current_line + 1, current_line + 1, m))?;
        current_line += 1;
        let start_line = current_line;
        let column = raw.chars().take_while(|c| is_space(*c)).count() + 1;
        let (piece, mut finished) = trim_continuation(first, directives.escape);
        if finished && piece.is_empty() {
            continue;
        }
        let mut line = piece.to_string();
        let mut empty_continuation = false;
        while !finished {
            let Some(raw) = lines.next() else { break };
            let piece = process_line(&mut directives, raw, false, current_line + 1)
                .map_err(|m| fail(current_line + 1, current_line + 1, m))?;
            current_line += 1;
            if is_comment(raw) {
                continue;
            }
            if piece.trim_start_matches(is_space).is_empty() {
                empty_continuation = true;
                continue;
            }
            let (more, done) = trim_continuation(piece, directives.escape);
            line.push_str(more);
            finished = done;
        }
        if empty_continuation {
            warnings.push(LineIndex::new(text).diagnostic(
                start_line,
                current_line,
                Severity::Warning,
                format!("Empty continuation line found in: {line}"),
            ));
        }

        let mut child = node_from_line(line, directives.escape)
            .map_err(|m| fail(start_line, current_line, m))?;
        if child.can_contain_heredoc() && child.original.contains("<<") {
            let heredocs = heredocs_from_line(&child.original)
                .map_err(|m| fail(start_line, current_line, m))?;
            for mut heredoc in heredocs {
                let mut terminated = false;
                while let Some(raw) = lines.next() {
                    current_line += 1;
                    let mut candidate = raw.trim_end_matches(['\r', '\n']);
                    if heredoc.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == heredoc.name {
                        terminated = true;
                        break;
                    }
                    heredoc.content.push_str(raw);
                }
                if !terminated {
                    return Err(fail(
                        start_line,
                        current_line,
                        "unterminated heredoc".to_string(),
                    ));
                }
                child.heredocs.push(heredoc);
            }
        }
        child.start_line = start_line;
        child.end_line = current_line;
        child.column = column;
        children.push(child);
    }

    if children.is_empty() {
        return Err(fail(
            current_line,
            current_line,
            "file with no instructions".to_string(),
        ));
    }
    if lines.too_long {
        let message = format!("dockerfile line greater than max allowed size of {MAX_LINE_BYTES}");
        return Err(fail(current_line + 1, current_line + 1, message));
    }
    Ok(File {
        children,
        escape: directives.escape,
        directives: directives.found,
        warnings,
    })
}

/// Physical lines with their newline kept, stopping (like Go's `bufio.Scanner`)
/// at the first line too long for its 64 KiB buffer.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    too_long: bool,
}

impl<'a> Lines<'a> {
    fn next(&mut self) -> Option<&'a str> {
        if self.too_long || self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (content, len) = match rest.find('\n') {
            Some(at) => (at, at + 1),
            None => (rest.len(), rest.len()),
        };
        if content > MAX_LINE_BYTES {
            self.too_long = true;
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }
}

struct Directives {
    escape: char,
    done: bool,
    found: Vec<Directive>,
}

impl Directives {
    /// Offers a line to the directive parser while the file has had only directives.
    fn offer(&mut self, line: &str, number: usize) -> Result<(), String> {
        if self.done {
            return Ok(());
        }
        let Some((name, value)) = match_directive(line) else {
            self.done = true;
            return Ok(());
        };
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(());
        }
        if self.found.iter().any(|d| d.name == name) {
            return Err(format!("only one {name} parser directive can be used"));
        }
        if name == "escape" {
            self.escape = match value {
                "`" => '`',
                "\\" => '\\',
                _ => {
                    return Err(format!(
                        "invalid escape token '{value}' does not match ` or \\"
                    ))
                }
            };
        }
        self.found.push(Directive {
            name,
            value: value.to_string(),
            line: number,
        });
        Ok(())
    }
}

/// Go regexp `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (where `\s` is
/// `[\t\n\f\r ]`), written out by hand.
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let blank = |c: char| matches!(c, '\t' | '\n' | '\u{0C}' | '\r' | ' ');
    let rest = line.strip_prefix('#')?.trim_start_matches(blank);
    let name_len = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_alphabetic() || (*i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let (name, rest) = rest.split_at(name_len);
    let rest = rest.trim_start_matches(blank).strip_prefix('=')?;
    if rest.is_empty() || rest.contains('\n') {
        return None;
    }
    let value = rest.trim_start_matches(blank);
    if value.is_empty() {
        // Backtracking hands the last blank to `(.+?)`.
        let last = rest.chars().last()?;
        return Some((name, &rest[rest.len() - last.len_utf8()..]));
    }
    Some((name, value.trim_end_matches(blank)))
}

fn process_line<'a>(
    directives: &mut Directives,
    raw: &'a str,
    strip_left: bool,
    number: usize,
) -> Result<&'a str, String> {
    let mut token = raw.trim_end_matches(['\r', '\n']);
    if strip_left {
        token = token.trim_start_matches(is_space);
    }
    directives.offer(token, number)?;
    if is_comment(token) {
        return Ok("");
    }
    Ok(token)
}

fn is_comment(raw: &str) -> bool {
    raw.trim_end_matches(['\r', '\n'])
        .trim_start_matches(is_space)
        .starts_with('#')
}

/// BuildKit's continuation regex `([^E])E[ \t]*$|^E[ \t]*$`: a line ending in the
/// escape character (not itself escaped) continues; the character is removed.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(stripped) = body.strip_suffix(escape) else {
        return (line, true);
    };
    if !stripped.is_empty() && stripped.ends_with(escape) {
        return (line, true);
    }
    (stripped, false)
}

/// `splitCommand` plus the dispatch table: one logical line to an instruction node.
fn node_from_line(line: String, escape: char) -> Result<Node, String> {
    let trimmed = trim_space(&line);
    let (keyword, rest) = match trimmed.find(is_ascii_blank) {
        Some(at) => (
            &trimmed[..at],
            Some(trimmed[at..].trim_start_matches(is_ascii_blank)),
        ),
        None => (trimmed, None),
    };
    let (args, flags) = match rest {
        Some(rest) => extract_builder_flags(rest, escape),
        None => (Cow::Borrowed(""), Vec::new()),
    };
    let args = trim_space(&args);
    let (next, json) = match known_keyword(keyword).unwrap_or("") {
        "add" | "copy" | "volume" => maybe_json_to_list(args)?,
        "arg" => (words_to_nodes(parse_words(args, escape)), false),
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(args)?,
        "env" => (name_value(args, "ENV", escape)?, false),
        "label" => (name_value(args, "LABEL", escape)?, false),
        "expose" | "from" => (whitespace_delimited(args), false),
        "healthcheck" => health_config(args)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => (string_node(args), false),
        "onbuild" => (sub_command(args, escape)?, false),
        _ => (vec![Node::default()], false),
    };
    let value = keyword.to_string();
    Ok(Node {
        value,
        next,
        flags,
        json,
        original: line,
        ..Node::default()
    })
}

/// BuildKit's `[\t\v\f\r ]` (the whitespace regex used to split keywords and FROM words).
fn is_ascii_blank(c: char) -> bool {
    matches!(c, '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ')
}

fn arg(value: impl Into<String>) -> Node {
    Node {
        value: value.into(),
        ..Node::default()
    }
}

fn words_to_nodes(words: Vec<&str>) -> Vec<Node> {
    words.into_iter().map(arg).collect()
}

/// Byte-wise flag extraction (`extractBuilderFlags`). Bytes are widened to
/// chars one by one, so a non-ASCII flag value comes out re-encoded as Latin-1,
/// as in BuildKit.
fn extract_builder_flags(line: &str, escape: char) -> (Cow<'_, str>, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = line.as_bytes();
    let rest_from = |pos: usize| match line.get(pos..) {
        Some(rest) => Cow::Borrowed(rest),
        None => String::from_utf8_lossy(&bytes[pos..]),
    };
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote_char = '\0';
    let mut blank_ok = false;
    let mut ch = '\0';
    let mut pos = 0;
    while pos <= bytes.len() {
        if pos != bytes.len() {
            ch = char::from(bytes[pos]);
        }
        if phase == Phase::Spaces {
            if pos == bytes.len() {
                break;
            }
            if is_space(ch) {
                pos += 1;
                continue;
            }
            if ch != '-' || pos + 1 == bytes.len() || bytes[pos + 1] != b'-' {
                return (rest_from(pos), words);
            }
            phase = Phase::Word;
        }
        if pos == bytes.len() {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (rest_from(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote_char = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == escape {
                if pos + 1 == bytes.len() {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = char::from(bytes[pos]);
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // Inside quotes.
        if ch == quote_char {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == escape {
            if pos + 1 == bytes.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = char::from(bytes[pos]);
        }
        word.push(ch);
        pos += 1;
    }
    (Cow::Borrowed(""), words)
}

/// `parseWords`: splits on white space, keeping quotes and escapes in the
/// words. Every word is a slice of `rest` (only a lone escape character at
/// the very end is dropped), so nothing is copied.
fn parse_words(rest: &str, escape: char) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut chars = rest.char_indices();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = 0;
    let mut end = rest.len();
    let mut quote_char = '\0';
    let mut blank_ok = false;
    while let Some((at, ch)) = chars.next() {
        if phase == Phase::Spaces {
            if is_space(ch) {
                continue;
            }
            phase = Phase::Word;
            start = at;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || at > start {
                    words.push(&rest[start..at]);
                }
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote_char = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape && chars.next().is_none() {
                // A lone escape character at the very end is dropped.
                end = at;
            }
            continue;
        }
        // Inside quotes.
        if ch == quote_char {
            phase = Phase::Word;
        }
        if ch == escape && quote_char != '\'' && chars.next().is_none() {
            phase = Phase::Word;
            end = at;
        }
    }
    if phase != Phase::Spaces && (blank_ok || end > start) {
        words.push(&rest[start..end]);
    }
    words
}

/// ENV and LABEL: `key value` (legacy) or `k=v k2=v2`, as `key value sep` triples.
fn name_value(rest: &str, keyword: &str, escape: char) -> Result<Vec<Node>, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let Some(at) = rest.find(is_ascii_blank) else {
            return Err(format!("{keyword} must have two arguments"));
        };
        let value = rest[at..].trim_start_matches(is_ascii_blank);
        return Ok(vec![arg(&rest[..at]), arg(value), arg("")]);
    }
    let mut nodes = Vec::with_capacity(words.len() * 3);
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                quote(word)
            ));
        };
        nodes.extend([arg(key), arg(value), arg("=")]);
    }
    Ok(nodes)
}

fn whitespace_delimited(rest: &str) -> Vec<Node> {
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split(is_ascii_blank)
        .filter(|w| !w.is_empty())
        .map(arg)
        .collect()
}

fn string_node(rest: &str) -> Vec<Node> {
    if rest.is_empty() {
        Vec::new()
    } else {
        vec![arg(rest)]
    }
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// The exec form: `Ok(Some)` for an array of strings, `Ok(None)` when the text
/// is not a JSON array at all (shell form), `Err` for an array of non-strings.
fn parse_json(rest: &str) -> Result<Option<Vec<Node>>, String> {
    let rest = rest.trim_start_matches(is_space);
    if !rest.starts_with('[') {
        return Ok(None);
    }
    let mut reader = serde_json::Deserializer::from_str(rest);
    let value: serde_json::Value = match serde::Deserialize::deserialize(&mut reader) {
        Ok(value) => value,
        Err(_) => return Ok(None),
    };
    if reader.end().is_err() {
        return Ok(None);
    }
    let serde_json::Value::Array(items) = value else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|item| match item {
            serde_json::Value::String(s) => Ok(arg(s)),
            _ => Err(NOT_STRING_ARRAY.to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn maybe_json(rest: &str) -> Result<(Vec<Node>, bool), String> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match parse_json(rest)? {
        Some(nodes) => (nodes, true),
        None => (vec![arg(rest)], false),
    })
}

fn maybe_json_to_list(rest: &str) -> Result<(Vec<Node>, bool), String> {
    Ok(match parse_json(rest)? {
        Some(nodes) => (nodes, true),
        None => (whitespace_delimited(rest), false),
    })
}

/// HEALTHCHECK: a type word (up to the first space byte), then like RUN.
fn health_config(rest: &str) -> Result<(Vec<Node>, bool), String> {
    let bytes = rest.as_bytes();
    let space = |b: &u8| is_space(char::from(*b));
    let sep = bytes.iter().position(space).unwrap_or(bytes.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let next = bytes[sep..]
        .iter()
        .position(|b| !space(b))
        .map_or(bytes.len(), |n| sep + n);
    let kind = String::from_utf8_lossy(&bytes[..sep]).into_owned();
    let command = String::from_utf8_lossy(&bytes[next..]).into_owned();
    let (mut nodes, json) = maybe_json(&command)?;
    nodes.insert(0, arg(kind));
    Ok((nodes, json))
}

/// ONBUILD: the rest is parsed as an instruction of its own.
fn sub_command(rest: &str, escape: char) -> Result<Vec<Node>, String> {
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let child = node_from_line(rest.to_string(), escape)?;
    Ok(vec![Node {
        children: vec![child],
        ..Node::default()
    }])
}

/// The heredocs named on an instruction line, in order.
fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    let lexer = Lexer {
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let words = lexer.process_words(line, &NoEnv).unwrap_or_default();
    let mut docs = Vec::new();
    for word in words {
        if let Some(doc) = parse_heredoc(&word)? {
            docs.push(doc);
        }
    }
    Ok(docs)
}

/// Recognises one heredoc word (`^(\d*)<<(-?)\s*([^<]*)$`); the name is lexed
/// twice, with and without raw quotes, to learn whether it was quoted.
pub fn parse_heredoc(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(rest) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(['\t', '\n', '\u{0C}', '\r', ' ']);
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let file_descriptor = if digits == 0 {
        0
    } else {
        word[..digits].parse().unwrap_or(u64::MAX)
    };
    let mut lexer = Lexer {
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let words = lexer.process_words(rest, &NoEnv).map_err(|e| e.message)?;
    if words.len() != 1 {
        return Ok(None);
    }
    lexer.raw_quotes = true;
    let raw = lexer.process_words(rest, &NoEnv).map_err(|e| e.message)?;
    if raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.chars().filter(|c| *c == '\'' || *c == '"').count();
    Ok(Some(Heredoc {
        expand: quotes(&words[0]) == quotes(&raw[0]),
        name: words.into_iter().next().unwrap_or_default(),
        file_descriptor,
        chomp,
        content: String::new(),
    }))
}

/// Removes leading tabs from every line of a `<<-` heredoc body.
pub fn chomp_heredoc_content(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(text: &str) -> String {
        parse(text).unwrap().dump()
    }

    #[test]
    fn shapes_match_buildkit() {
        assert_eq!(
            dump("COPY --chown=é a b"),
            "(copy [\"--chown=Ã©\"] \"a\" \"b\")\n"
        );
        assert_eq!(
            dump("RUN [\"a\", \"b\"] x"),
            "(run \"[\\\"a\\\", \\\"b\\\"] x\")\n"
        );
        assert_eq!(dump("ENV  k  v  w"), "(env \"k\" \"v  w\" \"\")\n");
        assert_eq!(dump("CMD --doit -- [ ]"), "(cmd [\"--doit\"])\n");
        assert_eq!(dump("FOO bar"), "(foo \"\")\n");
        assert_eq!(
            dump("ONBUILD RUN [\"echo\",\"x\"]"),
            "(onbuild (run \"echo\" \"x\"))\n"
        );
        assert_eq!(dump("RUN a \\\n    b"), "(run \"a     b\")\n");
        assert!(parse("LABEL x=\u{a0}y").is_err());
    }

    #[test]
    fn errors_name_their_line() {
        let err = parse("FROM a\nENV PATH\n").unwrap_err();
        assert_eq!(
            (err.line, err.message.as_str()),
            (2, "ENV must have two arguments")
        );
        assert_eq!(
            parse("# only\n").unwrap_err().message,
            "file with no instructions"
        );
        let err = parse("# escape=x\nFROM a").unwrap_err();
        assert_eq!(
            err.message,
            "invalid escape token 'x' does not match ` or \\"
        );
        let err = parse("# syntax=a\n# syntax=b\nFROM a").unwrap_err();
        assert_eq!(err.message, "only one syntax parser directive can be used");
        assert_eq!(
            parse("RUN <<EOF\nx\n").unwrap_err().message,
            "unterminated heredoc"
        );
    }

    #[test]
    fn long_lines_stop_the_scanner() {
        let text = format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE_BYTES));
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.message,
            "dockerfile line greater than max allowed size of 65535"
        );
        let ok = format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE_BYTES - 4));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn escape_directive_switches_continuation() {
        let file = parse("# escape=`\nRUN a `\n b\\").unwrap();
        assert_eq!(file.escape, '`');
        assert_eq!(file.dump(), "(run \"a  b\\\\\")\n");
    }

    #[test]
    fn empty_continuation_lines_warn() {
        let file = parse("RUN a \\\n\n b\n").unwrap();
        assert_eq!(file.warnings.len(), 1);
        assert_eq!(file.warnings[0].severity, Severity::Warning);
        assert_eq!(
            file.warnings[0].message,
            "Empty continuation line found in: RUN a  b"
        );
    }
}
