//! Script text to syntax tree, following the POSIX shell grammar as dash reads it.
//!
//! The parser works directly on characters (no separate token pass) because what a
//! character means depends on where it is: `}` ends a brace group only as a whole
//! word, `#` starts a comment only at the start of a word, and heredoc bodies start
//! after the next newline. `Parser::next_command` returns one complete command at a
//! time so the interpreter can run `echo a` before it meets a syntax error on the
//! next line, as dash does.

use std::cell::RefCell;
use std::rc::Rc;

/// Deepest nesting of compound commands and substitutions accepted, so hostile
/// input cannot exhaust the stack.
const MAX_DEPTH: u32 = 100;

/// A sequence of and-or lists separated by `;`, `&` or newlines.
#[derive(Clone, Debug, Default)]
pub struct List(pub Vec<AndOr>);

/// Pipelines joined by `&&` and `||`.
#[derive(Clone, Debug)]
pub struct AndOr {
    /// The first pipeline.
    pub first: Pipeline,
    /// The following pipelines, each with `true` for `&&` and `false` for `||`.
    pub rest: Vec<(bool, Pipeline)>,
}

/// Commands joined by `|`, optionally negated with `!`.
#[derive(Clone, Debug)]
pub struct Pipeline {
    /// Whether the status is inverted.
    pub bang: bool,
    /// The commands, left to right.
    pub cmds: Vec<Command>,
}

/// One command of a pipeline.
#[derive(Clone, Debug)]
pub enum Command {
    /// Assignments, words and redirections.
    Simple(Simple),
    /// A compound command with the redirections that follow it.
    Compound(Compound, Vec<Redir>),
    /// `name() compound-command`.
    Function(String, Rc<Command>),
}

/// `NAME=value... word... redirection...`.
#[derive(Clone, Debug)]
pub struct Simple {
    /// Variable assignments before the command name.
    pub assigns: Vec<(String, Word)>,
    /// The command name and arguments, unexpanded.
    pub words: Vec<Word>,
    /// Redirections in order.
    pub redirs: Vec<Redir>,
    /// The line the command starts on, for error messages.
    pub line: u32,
}

/// The compound commands.
#[derive(Clone, Debug)]
pub enum Compound {
    /// `{ list; }`.
    Brace(List),
    /// `( list )`.
    Subshell(List),
    /// `if c; then b; elif c; then b; else b; fi`.
    If(Vec<(List, List)>, Option<List>),
    /// `for name [in words]; do list; done` (`None` means `"$@"`).
    For(String, Option<Vec<Word>>, List),
    /// `while`/`until` (`true` for until) condition and body.
    While(bool, List, List),
    /// `case word in pattern|pattern) list;; esac`.
    Case(Word, Vec<(Vec<Word>, List)>),
}

/// A redirection: which descriptor, what operation, and its target.
#[derive(Clone, Debug)]
pub struct Redir {
    /// The descriptor number written before the operator, if any.
    pub fd: Option<u32>,
    /// The operator.
    pub op: RedirOp,
    /// The file name, descriptor number or heredoc delimiter.
    pub target: Word,
    /// A heredoc's body, filled when the parser reaches the next newline.
    pub body: Option<Rc<RefCell<Word>>>,
}

/// Redirection operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`.
    In,
    /// `>` and `>|`.
    Out,
    /// `>>`.
    Append,
    /// `<>`.
    ReadWrite,
    /// `<&`.
    DupIn,
    /// `>&`.
    DupOut,
    /// `&>` (bash): stdout and stderr to one file.
    Both,
    /// `<<` and `<<-` (the body is in `Redir::body`).
    HereDoc,
}

/// An unexpanded word: parts that keep how each piece was quoted.
#[derive(Clone, Debug, Default)]
pub struct Word(pub Vec<Part>);

/// One piece of a word.
#[derive(Clone, Debug)]
pub enum Part {
    /// Unquoted text: subject to globbing (and `~` at the start of the word).
    Lit(String),
    /// Text quoted by `'...'` or a backslash: taken literally.
    Quoted(String),
    /// `"..."`: expansions inside, no field splitting or globbing.
    Double(Vec<Part>),
    /// `$name`, `${name...}`.
    Param(Box<Param>),
    /// `$(...)` or backquotes.
    Command(Rc<List>),
    /// `$((...))`: the expression, itself expanded before evaluation.
    Arith(Vec<Part>),
}

/// A parameter expansion.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name: a variable, a digit string or one of `@*#?-$!0`.
    pub name: String,
    /// The operation.
    pub op: ParamOp,
}

/// What to do with a parameter's value.
#[derive(Clone, Debug)]
pub enum ParamOp {
    /// Its value.
    Plain,
    /// `${#name}`: its length.
    Length,
    /// `-`, `=`, `?`, `+` with or without `:` (`true` means with, so empty counts as unset).
    Default(bool, Word),
    /// `${name=word}`.
    Assign(bool, Word),
    /// `${name?word}`.
    Error(bool, Word),
    /// `${name+word}`.
    Alternative(bool, Word),
    /// `#` (false) or `##` (true): remove the shortest/longest matching prefix.
    TrimPrefix(bool, Word),
    /// `%` (false) or `%%` (true): remove the shortest/longest matching suffix.
    TrimSuffix(bool, Word),
}

/// A syntax error: the line and dash's message (`Syntax error: "fi" unexpected`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// The message without the `sh: LINE:` prefix.
    pub message: String,
}

type PResult<T> = Result<T, ParseError>;

/// Heredocs whose bodies start after the next newline.
struct Pending {
    delim: String,
    strip_tabs: bool,
    quoted: bool,
    body: Rc<RefCell<Word>>,
}

/// The parser over one script (see the module docs).
pub struct Parser {
    src: Vec<char>,
    pos: usize,
    line: u32,
    depth: u32,
    pending: Vec<Pending>,
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{",
    "}", "!", "in",
];

/// Words that end a list (the caller decides which one it expects).
const LIST_END: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}"];

impl Parser {
    /// A parser over `text`, starting at line 1.
    pub fn new(text: &str) -> Parser {
        Parser {
            src: text.chars().collect(),
            pos: 0,
            line: 1,
            depth: 0,
            pending: Vec::new(),
        }
    }

    /// The next complete command (up to a newline at top level), or `None` at the end.
    pub fn next_command(&mut self) -> PResult<Option<List>> {
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Ok(None),
                Some('\n') => self.newline()?,
                Some(';') if self.peek_at(1) != Some(';') => {
                    return Err(self.error("Syntax error: \";\" unexpected".into()))
                }
                _ => break,
            }
        }
        let mut list = List::default();
        loop {
            let and_or = self.and_or()?;
            list.0.push(and_or);
            self.skip_blanks();
            match self.peek() {
                Some(';') if self.peek_at(1) != Some(';') => self.pos += 1,
                Some('&') if self.peek_at(1) != Some('&') => self.pos += 1,
                Some('\n') => {
                    self.newline()?;
                    return Ok(Some(list));
                }
                None => return Ok(Some(list)),
                _ => return Err(self.unexpected()),
            }
            self.skip_blanks();
            match self.peek() {
                Some('\n') => {
                    self.newline()?;
                    return Ok(Some(list));
                }
                None => return Ok(Some(list)),
                _ => {}
            }
        }
    }

    /// Parses a whole script at once (command substitution bodies, `eval`).
    pub fn parse_all(text: &str) -> PResult<List> {
        let mut p = Parser::new(text);
        let mut list = List::default();
        while let Some(cmd) = p.next_command()? {
            list.0.extend(cmd.0);
        }
        Ok(list)
    }

    // ---- characters ----

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src.get(self.pos + n).copied()
    }

    fn error(&self, message: String) -> ParseError {
        ParseError {
            line: self.line,
            message,
        }
    }

    /// dash's message for whatever token stands at the current position.
    fn unexpected(&mut self) -> ParseError {
        let save = self.pos;
        let token = match self.peek() {
            None => return self.error("Syntax error: end of file unexpected".into()),
            Some('\n') => "newline".to_string(),
            Some(c) if "&|;".contains(c) => {
                let mut t = c.to_string();
                if self.peek_at(1) == Some(c) {
                    t.push(c);
                }
                format!("\"{t}\"")
            }
            Some(c) if "()<>".contains(c) => format!("\"{c}\""),
            Some(_) => match self.peek_reserved() {
                Some(w) => format!("\"{w}\""),
                None => "word".to_string(),
            },
        };
        self.pos = save;
        self.error(format!("Syntax error: {token} unexpected"))
    }

    fn expecting(&mut self, what: &str) -> ParseError {
        if self.peek().is_none() {
            return self.error(format!(
                "Syntax error: end of file unexpected (expecting \"{what}\")"
            ));
        }
        let e = self.unexpected();
        ParseError {
            message: format!("{} (expecting \"{what}\")", e.message),
            ..e
        }
    }

    /// Skips spaces, tabs, line continuations and a comment.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// Consumes a newline and reads the bodies of heredocs started on its line.
    fn newline(&mut self) -> PResult<()> {
        self.pos += 1;
        self.line += 1;
        let pending = std::mem::take(&mut self.pending);
        for doc in pending {
            self.heredoc_body(doc)?;
        }
        Ok(())
    }

    /// Skips blanks and newlines (`linebreak` in the grammar).
    fn linebreak(&mut self) -> PResult<()> {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.newline()?;
            } else {
                return Ok(());
            }
        }
    }

    fn heredoc_body(&mut self, doc: Pending) -> PResult<()> {
        let mut text = String::new();
        loop {
            if self.pos >= self.src.len() {
                break;
            }
            let start = self.pos;
            while !matches!(self.peek(), None | Some('\n')) {
                self.pos += 1;
            }
            let mut line: String = self.src[start..self.pos].iter().collect();
            if self.peek() == Some('\n') {
                self.pos += 1;
                self.line += 1;
            }
            if doc.strip_tabs {
                line = line.trim_start_matches('\t').to_string();
            }
            if line == doc.delim {
                break;
            }
            text.push_str(&line);
            text.push('\n');
        }
        let word = if doc.quoted {
            Word(vec![Part::Quoted(text)])
        } else {
            let mut sub = Parser::new(&text);
            sub.line = self.line;
            sub.depth = self.depth;
            Word(sub.parts(Mode::HereDoc)?)
        };
        *doc.body.borrow_mut() = word;
        Ok(())
    }

    // ---- grammar ----

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "Syntax error: nested more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(())
    }

    /// A list up to one of the words in `LIST_END`, `)` or `;;` (not consumed).
    fn list(&mut self) -> PResult<List> {
        self.enter()?;
        let mut list = List::default();
        loop {
            self.linebreak()?;
            if self.at_list_end() {
                break;
            }
            list.0.push(self.and_or()?);
            self.skip_blanks();
            match self.peek() {
                Some(';') if self.peek_at(1) != Some(';') => self.pos += 1,
                Some('&') if self.peek_at(1) != Some('&') => self.pos += 1,
                Some('\n') => self.newline()?,
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(list)
    }

    fn at_list_end(&mut self) -> bool {
        match self.peek() {
            None | Some(')') => true,
            Some(';') => self.peek_at(1) == Some(';'),
            _ => self
                .peek_reserved()
                .is_some_and(|w| LIST_END.contains(&w.as_str())),
        }
    }

    /// The reserved word at the current position, if the next word is one.
    fn peek_reserved(&mut self) -> Option<String> {
        let save = (self.pos, self.line);
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_word_end(c) {
                break;
            }
            self.pos += 1;
        }
        let text: String = self.src[start..self.pos].iter().collect();
        (self.pos, self.line) = save;
        RESERVED.contains(&text.as_str()).then_some(text)
    }

    /// Consumes the reserved word `w` or fails expecting it.
    fn expect_word(&mut self, w: &str) -> PResult<()> {
        self.linebreak()?;
        if self.peek_reserved().as_deref() == Some(w) {
            self.pos += w.chars().count();
            Ok(())
        } else {
            Err(self.expecting(w))
        }
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.skip_blanks();
            let and = match (self.peek(), self.peek_at(1)) {
                (Some('&'), Some('&')) => true,
                (Some('|'), Some('|')) => false,
                _ => break,
            };
            self.pos += 2;
            self.linebreak()?;
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        self.skip_blanks();
        let mut bang = false;
        if self.peek_reserved().as_deref() == Some("!") {
            self.pos += 1;
            bang = true;
        }
        let mut cmds = vec![self.command()?];
        loop {
            self.skip_blanks();
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += 1;
                self.linebreak()?;
                cmds.push(self.command()?);
            } else {
                break;
            }
        }
        Ok(Pipeline { bang, cmds })
    }

    fn command(&mut self) -> PResult<Command> {
        self.skip_blanks();
        let compound = match self.peek_reserved().as_deref() {
            Some("{") => {
                self.pos += 1;
                let body = self.list()?;
                self.expect_word("}")?;
                Some(Compound::Brace(body))
            }
            Some("if") => {
                self.pos += 2;
                Some(self.if_clause()?)
            }
            Some(w @ ("while" | "until")) => {
                let until = w == "until";
                self.pos += w.len();
                let cond = self.list()?;
                self.expect_word("do")?;
                let body = self.list()?;
                self.expect_word("done")?;
                Some(Compound::While(until, cond, body))
            }
            Some("for") => {
                self.pos += 3;
                Some(self.for_clause()?)
            }
            Some("case") => {
                self.pos += 4;
                Some(self.case_clause()?)
            }
            Some(w) if w != "in" => return Err(self.unexpected()),
            _ if self.peek() == Some('(') => {
                self.pos += 1;
                let body = self.list()?;
                self.skip_blanks();
                if self.peek() != Some(')') {
                    return Err(self.expecting(")"));
                }
                self.pos += 1;
                Some(Compound::Subshell(body))
            }
            _ => None,
        };
        match compound {
            Some(c) => {
                let redirs = self.trailing_redirs()?;
                Ok(Command::Compound(c, redirs))
            }
            None => self.simple(),
        }
    }

    fn trailing_redirs(&mut self) -> PResult<Vec<Redir>> {
        let mut redirs = Vec::new();
        loop {
            self.skip_blanks();
            match self.redir()? {
                Some(r) => redirs.push(r),
                None => return Ok(redirs),
            }
        }
    }

    fn if_clause(&mut self) -> PResult<Compound> {
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list()?;
            self.expect_word("then")?;
            let body = self.list()?;
            arms.push((cond, body));
            self.linebreak()?;
            match self.peek_reserved().as_deref() {
                Some("elif") => self.pos += 4,
                Some("else") => {
                    self.pos += 4;
                    otherwise = Some(self.list()?);
                    self.expect_word("fi")?;
                    break;
                }
                _ => {
                    self.expect_word("fi")?;
                    break;
                }
            }
        }
        Ok(Compound::If(arms, otherwise))
    }

    fn for_clause(&mut self) -> PResult<Compound> {
        self.skip_blanks();
        let name = match self.word()? {
            Some(w) => match w.literal() {
                Some(n) if is_name(&n) => n,
                _ => return Err(self.error("Syntax error: Bad for loop variable".into())),
            },
            None => return Err(self.unexpected()),
        };
        self.linebreak()?;
        let mut words = None;
        if self.peek_reserved().as_deref() == Some("in") {
            self.pos += 2;
            let mut list = Vec::new();
            loop {
                self.skip_blanks();
                match self.peek() {
                    Some(';') | Some('\n') => break,
                    _ => match self.word()? {
                        Some(w) => list.push(w),
                        None => return Err(self.unexpected()),
                    },
                }
            }
            words = Some(list);
        }
        self.skip_blanks();
        if self.peek() == Some(';') {
            self.pos += 1;
        }
        self.expect_word("do")?;
        let body = self.list()?;
        self.expect_word("done")?;
        Ok(Compound::For(name, words, body))
    }

    fn case_clause(&mut self) -> PResult<Compound> {
        self.skip_blanks();
        let subject = self.word()?.ok_or_else(|| self.unexpected())?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.linebreak()?;
            if self.peek_reserved().as_deref() == Some("esac") {
                self.pos += 4;
                break;
            }
            if self.peek().is_none() {
                return Err(self.expecting("esac"));
            }
            if self.peek() == Some('(') {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                self.skip_blanks();
                let w = self.word()?.ok_or_else(|| self.expecting(")"))?;
                patterns.push(w);
                self.skip_blanks();
                match self.peek() {
                    Some('|') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.expecting(")")),
                }
            }
            let body = self.list()?;
            arms.push((patterns, body));
            self.linebreak()?;
            if self.peek() == Some(';') && self.peek_at(1) == Some(';') {
                self.pos += 2;
            } else if self.peek_reserved().as_deref() != Some("esac") {
                return Err(self.expecting("esac"));
            }
        }
        Ok(Compound::Case(subject, arms))
    }

    fn simple(&mut self) -> PResult<Command> {
        let line = self.line;
        let mut cmd = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            self.skip_blanks();
            if let Some(r) = self.redir()? {
                cmd.redirs.push(r);
                continue;
            }
            match self.peek() {
                None | Some('\n' | ';' | '&' | '|' | ')') => break,
                Some('(') => {
                    // `name()`: a function definition.
                    if cmd.words.len() == 1 && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
                        let name = cmd.words[0].literal().filter(|n| is_name(n));
                        if let Some(name) = name {
                            self.pos += 1;
                            self.skip_blanks();
                            if self.peek() != Some(')') {
                                return Err(self.expecting(")"));
                            }
                            self.pos += 1;
                            self.linebreak()?;
                            self.enter()?;
                            let body = self.command()?;
                            self.depth -= 1;
                            if matches!(body, Command::Simple(_) | Command::Function(..)) {
                                return Err(self.unexpected());
                            }
                            return Ok(Command::Function(name, Rc::new(body)));
                        }
                    }
                    return Err(self.unexpected());
                }
                _ => {}
            }
            let Some(word) = self.word()? else { break };
            if cmd.words.is_empty() {
                if let Some((name, value)) = split_assignment(&word) {
                    cmd.assigns.push((name, value));
                    continue;
                }
            }
            cmd.words.push(word);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Command::Simple(cmd))
    }

    /// A redirection at the current position, if there is one.
    fn redir(&mut self) -> PResult<Option<Redir>> {
        let start = self.pos;
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            digits.push(c);
            self.pos += 1;
        }
        let (op, len) = match (self.peek(), self.peek_at(1), self.peek_at(2)) {
            (Some('<'), Some('<'), Some('-')) => (RedirOp::HereDoc, 3),
            (Some('<'), Some('<'), _) => (RedirOp::HereDoc, 2),
            (Some('<'), Some('&'), _) => (RedirOp::DupIn, 2),
            (Some('<'), Some('>'), _) => (RedirOp::ReadWrite, 2),
            (Some('<'), _, _) => (RedirOp::In, 1),
            (Some('>'), Some('>'), _) => (RedirOp::Append, 2),
            (Some('>'), Some('&'), _) => (RedirOp::DupOut, 2),
            (Some('>'), Some('|'), _) => (RedirOp::Out, 2),
            (Some('>'), _, _) => (RedirOp::Out, 1),
            (Some('&'), Some('>'), _) if digits.is_empty() => (RedirOp::Both, 2),
            _ => {
                self.pos = start;
                return Ok(None);
            }
        };
        let strip_tabs = op == RedirOp::HereDoc && len == 3;
        self.pos += len;
        let fd = if digits.is_empty() {
            None
        } else {
            Some(digits.parse::<u32>().unwrap_or(u32::MAX))
        };
        self.skip_blanks();
        let target = match self.word()? {
            Some(w) => w,
            None => return Err(self.unexpected()),
        };
        let mut body = None;
        if op == RedirOp::HereDoc {
            let quoted = target.0.iter().any(|p| !matches!(p, Part::Lit(_)));
            let cell = Rc::new(RefCell::new(Word::default()));
            self.pending.push(Pending {
                delim: target.unquoted_text(),
                strip_tabs,
                quoted,
                body: Rc::clone(&cell),
            });
            body = Some(cell);
        }
        Ok(Some(Redir {
            fd,
            op,
            target,
            body,
        }))
    }

    /// One word at the current position, or `None` if an operator or the end is there.
    fn word(&mut self) -> PResult<Option<Word>> {
        let parts = self.parts(Mode::Word)?;
        Ok(if parts.is_empty() {
            None
        } else {
            Some(Word(parts))
        })
    }

    /// Reads word parts until the end that `mode` defines.
    fn parts(&mut self, mode: Mode) -> PResult<Vec<Part>> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Vec<Part>, quoted: bool| {
            if !lit.is_empty() {
                let text = std::mem::take(lit);
                parts.push(if quoted {
                    Part::Quoted(text)
                } else {
                    Part::Lit(text)
                });
            }
        };
        // In double quotes and heredocs, plain text is literal (not globbed).
        let quoted_text = matches!(mode, Mode::Double | Mode::HereDoc);
        let mut paren_depth = 0u32;
        loop {
            let Some(c) = self.peek() else {
                match mode {
                    Mode::Double => {
                        return Err(self.error("Syntax error: Unterminated quoted string".into()))
                    }
                    Mode::Brace => return Err(self.error("Syntax error: Missing '}'".into())),
                    Mode::Arith => return Err(self.error("Syntax error: Missing '))'".into())),
                    Mode::Word | Mode::HereDoc => break,
                }
            };
            match mode {
                Mode::Word if is_word_end(c) => break,
                Mode::Double if c == '"' => {
                    self.pos += 1;
                    break;
                }
                Mode::Brace if c == '}' => {
                    self.pos += 1;
                    break;
                }
                Mode::Arith if c == ')' && paren_depth == 0 => {
                    if self.peek_at(1) == Some(')') {
                        self.pos += 2;
                        break;
                    }
                    return Err(self.error("Syntax error: Missing '))'".into()));
                }
                Mode::Arith if c == '(' => paren_depth += 1,
                Mode::Arith if c == ')' => paren_depth -= 1,
                _ => {}
            }
            match c {
                '\\' => {
                    let next = self.peek_at(1);
                    self.pos += 1;
                    match next {
                        Some('\n') => {
                            self.pos += 1;
                            self.line += 1;
                        }
                        None => lit.push('\\'),
                        Some(n) => {
                            let escapes = match mode {
                                Mode::Word | Mode::Brace => true,
                                Mode::Double => "$`\"\\".contains(n),
                                Mode::HereDoc | Mode::Arith => "$`\\".contains(n),
                            };
                            if escapes {
                                self.pos += 1;
                                flush(&mut lit, &mut parts, quoted_text);
                                parts.push(Part::Quoted(n.to_string()));
                            } else {
                                lit.push('\\');
                            }
                        }
                    }
                }
                '\'' if matches!(mode, Mode::Word | Mode::Brace) => {
                    flush(&mut lit, &mut parts, quoted_text);
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '\'') {
                        if self.peek() == Some('\n') {
                            self.line += 1;
                        }
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return Err(self.error("Syntax error: Unterminated quoted string".into()));
                    }
                    let text: String = self.src[start..self.pos].iter().collect();
                    self.pos += 1;
                    parts.push(Part::Quoted(text));
                }
                '"' if matches!(mode, Mode::Word | Mode::Brace) => {
                    flush(&mut lit, &mut parts, quoted_text);
                    self.pos += 1;
                    self.enter()?;
                    let inner = self.parts(Mode::Double)?;
                    self.depth -= 1;
                    parts.push(Part::Double(inner));
                }
                '$' => {
                    flush(&mut lit, &mut parts, quoted_text);
                    self.pos += 1;
                    match self.dollar()? {
                        Some(p) => parts.push(p),
                        None => lit.push('$'),
                    }
                }
                '`' => {
                    flush(&mut lit, &mut parts, quoted_text);
                    self.pos += 1;
                    parts.push(self.backquote()?);
                }
                '\n' => {
                    self.pos += 1;
                    self.line += 1;
                    lit.push('\n');
                }
                _ => {
                    self.pos += 1;
                    lit.push(c);
                }
            }
        }
        flush(&mut lit, &mut parts, quoted_text);
        Ok(parts)
    }

    /// What follows a `$` (already consumed); `None` when it is a literal dollar.
    fn dollar(&mut self) -> PResult<Option<Part>> {
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                self.enter()?;
                let expr = self.parts(Mode::Arith)?;
                self.depth -= 1;
                Ok(Some(Part::Arith(expr)))
            }
            Some('(') => {
                self.pos += 1;
                self.enter()?;
                let saved = std::mem::take(&mut self.pending);
                let list = self.list()?;
                self.linebreak()?;
                self.pending = saved;
                self.depth -= 1;
                if self.peek() != Some(')') {
                    return Err(self.expecting(")"));
                }
                self.pos += 1;
                Ok(Some(Part::Command(Rc::new(list))))
            }
            Some('{') => {
                self.pos += 1;
                self.enter()?;
                let p = self.braced_param()?;
                self.depth -= 1;
                Ok(Some(Part::Param(Box::new(p))))
            }
            Some(c) if "@*#?-$!0123456789".contains(c) => {
                self.pos += 1;
                Ok(Some(param(c.to_string(), ParamOp::Plain)))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self
                    .peek()
                    .filter(|c| *c == '_' || c.is_ascii_alphanumeric())
                {
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Some(param(name, ParamOp::Plain)))
            }
            _ => Ok(None),
        }
    }

    fn braced_param(&mut self) -> PResult<Param> {
        let bad = |p: &Parser| p.error("Bad substitution".into());
        let mut length = false;
        if self.peek() == Some('#') && !matches!(self.peek_at(1), Some('}') | None) {
            length = true;
            self.pos += 1;
        }
        let mut name = String::new();
        match self.peek() {
            Some(c) if "@*#?-$!".contains(c) => {
                name.push(c);
                self.pos += 1;
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                while let Some(c) = self
                    .peek()
                    .filter(|c| *c == '_' || c.is_ascii_alphanumeric())
                {
                    name.push(c);
                    self.pos += 1;
                }
            }
            _ => return Err(bad(self)),
        }
        if length {
            if self.peek() != Some('}') {
                return Err(bad(self));
            }
            self.pos += 1;
            return Ok(Param {
                name,
                op: ParamOp::Length,
            });
        }
        let colon = self.peek() == Some(':');
        if colon {
            self.pos += 1;
        }
        let c = self.peek().ok_or_else(|| bad(self))?;
        self.pos += 1;
        let op = match c {
            '}' if !colon => {
                return Ok(Param {
                    name,
                    op: ParamOp::Plain,
                })
            }
            '-' => ParamOp::Default(colon, Word(self.parts(Mode::Brace)?)),
            '=' => ParamOp::Assign(colon, Word(self.parts(Mode::Brace)?)),
            '?' => ParamOp::Error(colon, Word(self.parts(Mode::Brace)?)),
            '+' => ParamOp::Alternative(colon, Word(self.parts(Mode::Brace)?)),
            '#' if !colon => {
                let longest = self.peek() == Some('#');
                if longest {
                    self.pos += 1;
                }
                ParamOp::TrimPrefix(longest, Word(self.parts(Mode::Brace)?))
            }
            '%' if !colon => {
                let longest = self.peek() == Some('%');
                if longest {
                    self.pos += 1;
                }
                ParamOp::TrimSuffix(longest, Word(self.parts(Mode::Brace)?))
            }
            _ => return Err(bad(self)),
        };
        Ok(Param { name, op })
    }

    fn backquote(&mut self) -> PResult<Part> {
        let mut text = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(self.error("Syntax error: EOF in backquote substitution".into()))
                }
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.peek_at(1), Some('`' | '\\' | '$')) => {
                    text.push(self.peek_at(1).unwrap_or('\\'));
                    self.pos += 2;
                }
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        self.enter()?;
        let mut sub = Parser::new(&text);
        sub.depth = self.depth;
        let mut list = List::default();
        while let Some(cmd) = sub.next_command()? {
            list.0.extend(cmd.0);
        }
        self.depth -= 1;
        Ok(Part::Command(Rc::new(list)))
    }
}

/// Where a run of word parts ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// At an unquoted blank or operator.
    Word,
    /// At the closing `"`.
    Double,
    /// At the closing `}` of `${...}`.
    Brace,
    /// At the closing `))` of `$((...))`.
    Arith,
    /// At the end of the heredoc text.
    HereDoc,
}

fn param(name: String, op: ParamOp) -> Part {
    Part::Param(Box::new(Param { name, op }))
}

fn is_word_end(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `NAME=value` at the start of a word: the name and the value's parts.
fn split_assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = word.0.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_name(name) {
        return None;
    }
    let mut value = Vec::new();
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        value.push(Part::Lit(rest.to_string()));
    }
    value.extend(word.0[1..].iter().cloned());
    Some((name.to_string(), Word(value)))
}

impl Word {
    /// The text of a word made only of unquoted literal text (reserved words, names).
    pub fn literal(&self) -> Option<String> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s.clone()),
            _ => None,
        }
    }

    /// The word with quotes removed and no expansion (heredoc delimiters).
    pub fn unquoted_text(&self) -> String {
        fn text(parts: &[Part], out: &mut String) {
            for p in parts {
                match p {
                    Part::Lit(s) | Part::Quoted(s) => out.push_str(s),
                    Part::Double(inner) => text(inner, out),
                    Part::Param(p) => {
                        out.push('$');
                        out.push_str(&p.name);
                    }
                    Part::Command(_) | Part::Arith(_) => {}
                }
            }
        }
        let mut out = String::new();
        text(&self.0, &mut out);
        out
    }
}
