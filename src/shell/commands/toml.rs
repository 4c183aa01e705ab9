//! A small, strict reader of the TOML that Cargo manifests and lock files use:
//! tables and arrays of tables, bare, quoted and dotted keys, basic and literal
//! strings (multi-line too), integers, booleans, arrays (over several lines, with
//! comments) and inline tables. Anything else (floats, dates) is kept as its text.
//! Mistakes are reported as the `toml` crate Cargo uses reports them: a line, a
//! column, and what was expected.

/// A TOML value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string of any of the four kinds.
    Str(String),
    /// An integer.
    Int(i64),
    /// `true` or `false`.
    Bool(bool),
    /// An array.
    Array(Vec<Value>),
    /// An inline table, keys in order (dotted keys kept as written, joined by `.`).
    Table(Vec<(String, Value)>),
    /// A float or a date, as written.
    Other(String),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in an inline table.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Table(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// One assignment of a document: the table it is in (`["dependencies"]`), whether
/// that table is an array-of-tables entry (and which one), the key parts and the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The header's key parts (`[target.'cfg(unix)'.dependencies]` → three parts).
    pub table: Vec<String>,
    /// For `[[bin]]` tables: the index of this entry among its header's entries.
    pub array_index: Option<usize>,
    /// The key's parts (`serde.workspace` → `["serde", "workspace"]`).
    pub key: Vec<String>,
    /// The value.
    pub value: Value,
}

/// A parsed document: its headers in order (so empty tables are known) and entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Every header met, with its array index for `[[...]]` headers.
    pub tables: Vec<(Vec<String>, Option<usize>)>,
    /// Every assignment in order.
    pub entries: Vec<Entry>,
}

/// Where and why a document is not TOML this reader accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TomlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What was wrong, in the `toml` crate's words.
    pub message: String,
    /// The text of the line, for the caret display.
    pub text: String,
}

impl TomlError {
    /// The report Cargo prints under `Caused by:` (indented by the caller).
    pub fn report(&self) -> String {
        let gutter = " ".repeat(self.line.to_string().len());
        format!(
            "TOML parse error at line {}, column {}\n{gutter} |\n{} | {}\n{gutter} | {}^\n{}",
            self.line,
            self.column,
            self.line,
            self.text,
            " ".repeat(self.column.saturating_sub(1)),
            self.message
        )
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    text: &'a str,
}

/// Parses `text`.
pub fn parse(text: &str) -> Result<Document, TomlError> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        text,
    };
    let mut doc = Document::default();
    let mut table: Vec<String> = Vec::new();
    let mut array_index = None;
    loop {
        p.skip_blank_lines();
        let Some(c) = p.peek() else { break };
        if c == '[' {
            p.pos += 1;
            let array = p.peek() == Some('[');
            if array {
                p.pos += 1;
            }
            p.skip_spaces();
            let key = p.key()?;
            p.skip_spaces();
            p.expect(']', "invalid table header\nexpected `.`, `]`")?;
            if array {
                p.expect(']', "invalid table header\nexpected `]]`")?;
                let count = doc
                    .tables
                    .iter()
                    .filter(|(k, i)| *k == key && i.is_some())
                    .count();
                array_index = Some(count);
            } else {
                if doc.tables.iter().any(|(k, i)| *k == key && i.is_none()) {
                    return Err(p.error("invalid table header\nduplicate key"));
                }
                array_index = None;
            }
            doc.tables.push((key.clone(), array_index));
            table = key;
        } else {
            let key = p.key()?;
            p.skip_spaces();
            p.expect('=', "expected `.`, `=`")?;
            p.skip_spaces();
            let value = p.value()?;
            if doc
                .entries
                .iter()
                .any(|e| e.table == table && e.array_index == array_index && e.key == key)
            {
                return Err(p.error("duplicate key"));
            }
            doc.entries.push(Entry {
                table: table.clone(),
                array_index,
                key,
                value,
            });
        }
        p.end_of_line()?;
    }
    Ok(doc)
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn error(&self, message: &str) -> TomlError {
        let before: String = self.chars[..self.pos.min(self.chars.len())]
            .iter()
            .collect();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        TomlError {
            line,
            column,
            message: message.to_string(),
            text: self.text.lines().nth(line - 1).unwrap_or("").to_string(),
        }
    }

    fn expect(&mut self, c: char, message: &str) -> Result<(), TomlError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn skip_comment(&mut self) {
        if self.peek() == Some('#') {
            while !matches!(self.peek(), None | Some('\n')) {
                self.pos += 1;
            }
        }
    }

    fn skip_blank_lines(&mut self) {
        loop {
            self.skip_spaces();
            self.skip_comment();
            match self.peek() {
                Some('\n') => self.pos += 1,
                Some('\r') if self.chars.get(self.pos + 1) == Some(&'\n') => self.pos += 2,
                _ => return,
            }
        }
    }

    /// Whitespace, newlines and comments inside an array.
    fn skip_array_space(&mut self) {
        loop {
            self.skip_spaces();
            self.skip_comment();
            match self.peek() {
                Some('\n' | '\r') => self.pos += 1,
                _ => return,
            }
        }
    }

    fn end_of_line(&mut self) -> Result<(), TomlError> {
        self.skip_spaces();
        self.skip_comment();
        match self.peek() {
            None | Some('\n') => Ok(()),
            Some('\r') if self.chars.get(self.pos + 1) == Some(&'\n') => Ok(()),
            _ => Err(self.error("expected newline, `#`")),
        }
    }

    /// A dotted key of bare and quoted parts.
    fn key(&mut self) -> Result<Vec<String>, TomlError> {
        let mut parts = Vec::new();
        loop {
            self.skip_spaces();
            let part = match self.peek() {
                Some('"') => self.basic_string()?,
                Some('\'') => self.literal_string()?,
                _ => {
                    let start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        self.pos += 1;
                    }
                    if start == self.pos {
                        return Err(self
                            .error("invalid key\nexpected letters, numbers, `-`, `_`, `\"`, `'`"));
                    }
                    self.chars[start..self.pos].iter().collect()
                }
            };
            parts.push(part);
            self.skip_spaces();
            if self.peek() == Some('.') {
                self.pos += 1;
            } else {
                return Ok(parts);
            }
        }
    }

    fn value(&mut self) -> Result<Value, TomlError> {
        match self.peek() {
            Some('"') if self.starts_with("\"\"\"") => self.multiline('"').map(Value::Str),
            Some('\'') if self.starts_with("'''") => self.multiline('\'').map(Value::Str),
            Some('"') => self.basic_string().map(Value::Str),
            Some('\'') => self.literal_string().map(Value::Str),
            Some('[') => self.array(),
            Some('{') => self.inline_table(),
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, '+' | '-') => {
                let start = self.pos;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '+' | '-')
                }) {
                    self.pos += 1;
                }
                let word: String = self.chars[start..self.pos].iter().collect();
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ if word.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') => {
                        Ok(word
                            .replace('_', "")
                            .parse::<i64>()
                            .map_or(Value::Other(word), Value::Int))
                    }
                    _ => {
                        self.pos = start;
                        Err(self.error("invalid string\nexpected `\"`, `'`"))
                    }
                }
            }
            _ => Err(self.error("invalid string\nexpected `\"`, `'`")),
        }
    }

    fn basic_string(&mut self) -> Result<String, TomlError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => return Err(self.error("invalid basic string")),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, TomlError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("invalid escape sequence"))?;
        self.pos += 1;
        Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '"' => '"',
            '\\' => '\\',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' | 'U' => {
                let len = if c == 'u' { 4 } else { 8 };
                let hex: String = self.chars[self.pos..(self.pos + len).min(self.chars.len())]
                    .iter()
                    .collect();
                self.pos += hex.len();
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.error("invalid unicode escape"))?
            }
            _ => {
                self.pos -= 1;
                return Err(self.error(
                    "invalid escape sequence\nexpected `b`, `f`, `n`, `r`, `t`, `u`, `U`, `\\`, `\"`",
                ));
            }
        })
    }

    fn literal_string(&mut self) -> Result<String, TomlError> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                None | Some('\n') => return Err(self.error("invalid literal string")),
                Some('\'') => {
                    let s = self.chars[start..self.pos].iter().collect();
                    self.pos += 1;
                    return Ok(s);
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn multiline(&mut self, quote: char) -> Result<String, TomlError> {
        self.pos += 3;
        if self.peek() == Some('\n') {
            self.pos += 1;
        }
        let close: String = std::iter::repeat_n(quote, 3).collect();
        let mut out = String::new();
        loop {
            if self.starts_with(&close) {
                self.pos += 3;
                return Ok(out);
            }
            match self.peek() {
                None => return Err(self.error("invalid multiline string")),
                Some('\\') if quote == '"' => {
                    self.pos += 1;
                    if matches!(self.peek(), Some('\n' | ' ' | '\t' | '\r')) {
                        while matches!(self.peek(), Some('\n' | ' ' | '\t' | '\r')) {
                            self.pos += 1;
                        }
                    } else {
                        out.push(self.escape()?);
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn array(&mut self) -> Result<Value, TomlError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_array_space();
            if self.peek() == Some(']') {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            items.push(self.value()?);
            self.skip_array_space();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {}
                _ => return Err(self.error("invalid array\nexpected `]`")),
            }
        }
    }

    fn inline_table(&mut self) -> Result<Value, TomlError> {
        self.pos += 1;
        let mut pairs = Vec::new();
        self.skip_spaces();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Value::Table(pairs));
        }
        loop {
            self.skip_spaces();
            let key = self.key()?.join(".");
            self.skip_spaces();
            self.expect('=', "expected `.`, `=`")?;
            self.skip_spaces();
            let value = self.value()?;
            pairs.push((key, value));
            self.skip_spaces();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') => {
                    self.pos += 1;
                    return Ok(Value::Table(pairs));
                }
                _ => return Err(self.error("invalid inline table\nexpected `}`")),
            }
        }
    }
}
