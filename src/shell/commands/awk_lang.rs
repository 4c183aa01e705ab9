//! The awk language, for programs beyond `awk`'s print one-liners: official
//! images rewrite headers (`$1 == "#define" && ... { $3 = "..."; print; next }`),
//! filter libraries (`system("[ -e /usr/local/lib/" $1 " ]") == 0 { next }`) and
//! reshape `ldd` output (`gsub`, `index`, `printf`) with it.
//!
//! What it runs: `BEGIN`/`END` and pattern-action items (expression or `/regex/`
//! patterns), statements (`if`/`else`, `while`, `do`, `for`, `for (k in a)`,
//! `break`, `continue`, `next`, `exit`, `print`, `printf`, `delete`, blocks),
//! POSIX expressions (fields, `NF`/`NR`/`FNR`/`FS`/`OFS`/`ORS`/`RSTART`/`RLENGTH`,
//! `ENVIRON`, arrays, `in`, `~`, concatenation, `?:`, `++`/`--`, compound
//! assignment) and the builtins `length`, `substr`, `index`, `split`, `sub`,
//! `gsub`, `match`, `sprintf`, `tolower`, `toupper`, `int`, `system`. Programs
//! with what it lacks (user functions, `getline`, output redirection) are `None`
//! from `parse`, so `awk` reports them as not simulated.

use super::super::exec::{Exec, Flow, Shell};
use super::super::posix_regex;
use std::collections::BTreeMap;

/// A parsed awk program.
pub struct Program {
    begin: Vec<Stmt>,
    items: Vec<(Option<Expr>, Vec<Stmt>)>,
    end: Vec<Stmt>,
}

#[derive(Clone, Debug)]
enum Expr {
    Num(f64),
    Str(String),
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    In(Vec<Expr>, String),
    Assign(Box<Expr>, Option<char>, Box<Expr>),
    Incr(Box<Expr>, f64, bool),
    Binary(Box<Expr>, &'static str, Box<Expr>),
    Match(Box<Expr>, bool, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Group(Box<Expr>),
}

#[derive(Clone, Debug)]
enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>),
    Printf(Vec<Expr>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    Do(Vec<Stmt>, Expr),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Vec<Stmt>),
    ForIn(String, String, Vec<Stmt>),
    Delete(String, Option<Vec<Expr>>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
}

// ---- lexer ----

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    Func(String),
    Punct(&'static str),
    Newline,
}

const PUNCT: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", "!~", ">>",
    "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?",
    ":", "~", "$", "=",
];

const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "system",
];

fn lex(src: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if c == ' ' || c == '\t' || c == '\r' {
            i += 1;
            continue;
        }
        if c == '\n' {
            toks.push(Tok::Newline);
            i += 1;
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                let ch = *chars.get(i)?;
                i += 1;
                match ch {
                    '"' => break,
                    '\\' => {
                        let e = *chars.get(i)?;
                        i += 1;
                        match e {
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            'r' => s.push('\r'),
                            '\\' | '"' | '/' => s.push(e),
                            other => {
                                s.push('\\');
                                s.push(other);
                            }
                        }
                    }
                    _ => s.push(ch),
                }
            }
            toks.push(Tok::Str(s));
            continue;
        }
        if c == '/' && regex_allowed(toks.last()) {
            let mut s = String::new();
            i += 1;
            loop {
                let ch = *chars.get(i)?;
                i += 1;
                match ch {
                    '/' => break,
                    '\\' if chars.get(i) == Some(&'/') => {
                        s.push('/');
                        i += 1;
                    }
                    '\\' => {
                        s.push('\\');
                        s.push(*chars.get(i)?);
                        i += 1;
                    }
                    '\n' => return None,
                    _ => s.push(ch),
                }
            }
            toks.push(Tok::Regex(s));
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let save = i;
                i += 1;
                if i < chars.len() && (chars[i] == '+' || chars[i] == '-') {
                    i += 1;
                }
                if i < chars.len() && chars[i].is_ascii_digit() {
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                } else {
                    i = save;
                }
            }
            let text: String = chars[start..i].iter().collect();
            toks.push(Tok::Num(text.parse().ok()?));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'(') && !is_keyword(&word) {
                toks.push(Tok::Func(word));
            } else {
                toks.push(Tok::Name(word));
            }
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let p = PUNCT.iter().find(|p| rest.starts_with(**p))?;
        toks.push(Tok::Punct(p));
        i += p.chars().count();
    }
    Some(toks)
}

fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "if" | "else"
            | "while"
            | "for"
            | "do"
            | "in"
            | "next"
            | "exit"
            | "print"
            | "printf"
            | "delete"
            | "break"
            | "continue"
            | "BEGIN"
            | "END"
            | "function"
            | "getline"
            | "return"
    )
}

/// Whether a `/` here starts a regex (no operand before it) rather than dividing.
fn regex_allowed(prev: Option<&Tok>) -> bool {
    match prev {
        None | Some(Tok::Newline) => true,
        Some(Tok::Num(_) | Tok::Str(_) | Tok::Regex(_)) => false,
        Some(Tok::Name(n)) => is_keyword(n),
        Some(Tok::Func(_)) => false,
        Some(Tok::Punct(p)) => !matches!(*p, ")" | "]" | "$" | "++" | "--"),
    }
}

// ---- parser ----

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Inside `print`'s arguments, where `>` would be a redirection.
    no_gt: bool,
    /// Inside `for (`'s header, where `in` is the loop form.
    no_in: bool,
}

/// The most tokens a program may have. Expressions nest as deep as they are
/// long, and parsing and evaluating recurse over them, so this bounds the stack
/// (Dockerfile programs have a few hundred at most).
const MAX_TOKENS: usize = 1000;

/// Parses `src`; `None` when it uses what this interpreter does not model.
pub fn parse(src: &str) -> Option<Program> {
    let toks = lex(src)?;
    if toks.len() > MAX_TOKENS {
        return None;
    }
    let mut p = Parser {
        toks,
        pos: 0,
        no_gt: false,
        no_in: false,
    };
    let mut prog = Program {
        begin: Vec::new(),
        items: Vec::new(),
        end: Vec::new(),
    };
    loop {
        p.skip_terminators();
        let Some(t) = p.peek().cloned() else { break };
        match t {
            Tok::Name(n) if n == "BEGIN" => {
                p.pos += 1;
                prog.begin.extend(p.block()?);
            }
            Tok::Name(n) if n == "END" => {
                p.pos += 1;
                prog.end.extend(p.block()?);
            }
            Tok::Name(n) if n == "function" => return None,
            Tok::Punct("{") => {
                let body = p.block()?;
                prog.items.push((None, body));
            }
            _ => {
                let pattern = p.expr()?;
                if p.peek() == Some(&Tok::Punct(",")) {
                    return None;
                }
                let body = if p.peek() == Some(&Tok::Punct("{")) {
                    p.block()?
                } else {
                    vec![Stmt::Print(Vec::new())]
                };
                prog.items.push((Some(pattern), body));
            }
        }
    }
    Some(prog)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn is(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }
    fn is_name(&self, n: &str) -> bool {
        matches!(self.peek(), Some(Tok::Name(w)) if w == n)
    }
    fn eat(&mut self, p: &str) -> bool {
        if self.is(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, p: &str) -> Option<()> {
        self.eat(p).then_some(())
    }
    fn skip_newlines(&mut self) {
        while self.peek() == Some(&Tok::Newline) {
            self.pos += 1;
        }
    }
    fn skip_terminators(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline | Tok::Punct(";"))) {
            self.pos += 1;
        }
    }

    fn block(&mut self) -> Option<Vec<Stmt>> {
        self.skip_newlines();
        self.expect("{")?;
        let mut out = Vec::new();
        loop {
            self.skip_terminators();
            if self.eat("}") {
                return Some(out);
            }
            out.push(self.stmt()?);
        }
    }

    /// A statement, or a block, as the body of `if`/`while`/`for`.
    fn body(&mut self) -> Option<Vec<Stmt>> {
        self.skip_newlines();
        if self.is("{") {
            return self.block();
        }
        if self.eat(";") {
            return Some(Vec::new());
        }
        Some(vec![self.stmt()?])
    }

    fn end_simple(&mut self) -> Option<()> {
        match self.peek() {
            Some(Tok::Newline) | Some(Tok::Punct(";")) => {
                self.pos += 1;
                Some(())
            }
            Some(Tok::Punct("}")) | None => Some(()),
            _ => None,
        }
    }

    fn stmt(&mut self) -> Option<Stmt> {
        if self.is("{") {
            let b = self.block()?;
            return Some(Stmt::If(Expr::Num(1.0), b, Vec::new()));
        }
        let word = match self.peek() {
            Some(Tok::Name(w)) if is_keyword(w) => w.clone(),
            _ => {
                let e = self.expr()?;
                self.end_simple()?;
                return Some(Stmt::Expr(e));
            }
        };
        self.pos += 1;
        let s = match word.as_str() {
            "if" => {
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                let then = self.body()?;
                let save = self.pos;
                self.skip_terminators();
                let otherwise = if self.is_name("else") {
                    self.pos += 1;
                    self.body()?
                } else {
                    self.pos = save;
                    Vec::new()
                };
                return Some(Stmt::If(c, then, otherwise));
            }
            "while" => {
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                return Some(Stmt::While(c, self.body()?));
            }
            "do" => {
                let b = self.body()?;
                self.skip_terminators();
                if !self.is_name("while") {
                    return None;
                }
                self.pos += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                Stmt::Do(b, c)
            }
            "for" => {
                self.expect("(")?;
                if let (Some(Tok::Name(k)), Some(Tok::Name(w)), Some(Tok::Name(a))) = (
                    self.toks.get(self.pos).cloned(),
                    self.toks.get(self.pos + 1).cloned(),
                    self.toks.get(self.pos + 2).cloned(),
                ) {
                    if w == "in" && self.toks.get(self.pos + 3) == Some(&Tok::Punct(")")) {
                        self.pos += 4;
                        return Some(Stmt::ForIn(k, a, self.body()?));
                    }
                }
                let init = if self.is(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(";")?;
                self.skip_newlines();
                let cond = if self.is(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(";")?;
                self.skip_newlines();
                let step = if self.is(")") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(")")?;
                return Some(Stmt::For(init, cond, step, self.body()?));
            }
            "print" | "printf" => {
                let saved = self.no_gt;
                self.no_gt = true;
                let mut args = Vec::new();
                let parens = self.is("(") && self.print_parens();
                if parens {
                    self.pos += 1;
                    self.no_gt = false;
                }
                if !matches!(
                    self.peek(),
                    None | Some(Tok::Newline | Tok::Punct(";" | "}" | ">" | "|"))
                ) {
                    args.push(self.expr()?);
                    while self.eat(",") {
                        self.skip_newlines();
                        args.push(self.expr()?);
                    }
                }
                if parens {
                    self.expect(")")?;
                }
                self.no_gt = saved;
                if self.is(">") || self.is(">>") || self.is("|") {
                    return None;
                }
                if word == "print" {
                    Stmt::Print(args)
                } else if args.is_empty() {
                    return None;
                } else {
                    Stmt::Printf(args)
                }
            }
            "delete" => {
                let Some(Tok::Name(a)) = self.peek().cloned() else {
                    return None;
                };
                self.pos += 1;
                if self.eat("[") {
                    let subs = self.subscripts()?;
                    Stmt::Delete(a, Some(subs))
                } else {
                    Stmt::Delete(a, None)
                }
            }
            "next" => Stmt::Next,
            "break" => Stmt::Break,
            "continue" => Stmt::Continue,
            "exit" => {
                if matches!(
                    self.peek(),
                    None | Some(Tok::Newline | Tok::Punct(";" | "}"))
                ) {
                    Stmt::Exit(None)
                } else {
                    Stmt::Exit(Some(self.expr()?))
                }
            }
            _ => return None,
        };
        self.end_simple()?;
        Some(s)
    }

    /// Whether `print (` opens a parenthesised argument list (its `)` ends the
    /// statement), rather than an expression that starts with a group.
    fn print_parens(&self) -> bool {
        let mut depth = 0;
        for (k, t) in self.toks[self.pos..].iter().enumerate() {
            match t {
                Tok::Punct("(") => depth += 1,
                Tok::Punct(")") => {
                    depth -= 1;
                    if depth == 0 {
                        return matches!(
                            self.toks.get(self.pos + k + 1),
                            None | Some(Tok::Newline | Tok::Punct(";" | "}" | ">" | "|"))
                        );
                    }
                }
                Tok::Newline if depth == 0 => return false,
                _ => {}
            }
        }
        false
    }

    fn subscripts(&mut self) -> Option<Vec<Expr>> {
        let mut subs = vec![self.expr()?];
        while self.eat(",") {
            subs.push(self.expr()?);
        }
        self.expect("]")?;
        Some(subs)
    }

    fn expr(&mut self) -> Option<Expr> {
        self.ternary()
    }

    fn ternary(&mut self) -> Option<Expr> {
        let c = self.or()?;
        if self.eat("?") {
            self.skip_newlines();
            let a = self.ternary()?;
            self.skip_newlines();
            self.expect(":")?;
            self.skip_newlines();
            let b = self.ternary()?;
            return Some(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        if let Some(Tok::Punct(op)) = self.peek().cloned() {
            let compound = match op {
                "=" => Some(None),
                "+=" => Some(Some('+')),
                "-=" => Some(Some('-')),
                "*=" => Some(Some('*')),
                "/=" => Some(Some('/')),
                "%=" => Some(Some('%')),
                "^=" => Some(Some('^')),
                _ => None,
            };
            if let Some(kind) = compound {
                if is_lvalue(&c) {
                    self.pos += 1;
                    self.skip_newlines();
                    let v = self.ternary()?;
                    return Some(Expr::Assign(Box::new(c), kind, Box::new(v)));
                }
            }
        }
        Some(c)
    }

    fn or(&mut self) -> Option<Expr> {
        let mut l = self.and()?;
        while self.eat("||") {
            self.skip_newlines();
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Some(l)
    }

    fn and(&mut self) -> Option<Expr> {
        let mut l = self.in_expr()?;
        while self.eat("&&") {
            self.skip_newlines();
            l = Expr::And(Box::new(l), Box::new(self.in_expr()?));
        }
        Some(l)
    }

    fn in_expr(&mut self) -> Option<Expr> {
        let mut l = self.matching()?;
        while !self.no_in && self.is_name("in") {
            self.pos += 1;
            let Some(Tok::Name(a)) = self.peek().cloned() else {
                return None;
            };
            self.pos += 1;
            let keys = match l {
                Expr::Group(inner) => vec![*inner],
                other => vec![other],
            };
            l = Expr::In(keys, a);
        }
        Some(l)
    }

    fn matching(&mut self) -> Option<Expr> {
        let mut l = self.comparison()?;
        loop {
            let negate = if self.eat("~") {
                false
            } else if self.eat("!~") {
                true
            } else {
                return Some(l);
            };
            l = Expr::Match(Box::new(l), negate, Box::new(self.comparison()?));
        }
    }

    fn comparison(&mut self) -> Option<Expr> {
        let l = self.concat()?;
        let op = match self.peek() {
            Some(Tok::Punct(p @ ("<" | "<=" | "!=" | "==" | ">=" | ">"))) => *p,
            _ => return Some(l),
        };
        if self.no_gt && op == ">" {
            return Some(l);
        }
        self.pos += 1;
        let r = self.concat()?;
        Some(Expr::Binary(Box::new(l), op, Box::new(r)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Regex(_) | Tok::Func(_)) => true,
            Some(Tok::Name(n)) => !is_keyword(n),
            Some(Tok::Punct(p)) => matches!(*p, "$" | "!" | "(" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn concat(&mut self) -> Option<Expr> {
        let mut l = self.additive()?;
        while self.starts_operand() && !self.is_name("in") {
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
        Some(l)
    }

    /// One left-associative level of binary operators: `next (op next)*`.
    fn binary_level(
        &mut self,
        ops: &[&'static str],
        next: fn(&mut Self) -> Option<Expr>,
    ) -> Option<Expr> {
        let mut l = next(self)?;
        while let Some(op) = ops.iter().copied().find(|op| self.eat(op)) {
            l = Expr::Binary(Box::new(l), op, Box::new(next(self)?));
        }
        Some(l)
    }

    fn additive(&mut self) -> Option<Expr> {
        self.binary_level(&["+", "-"], Self::multiplicative)
    }

    fn multiplicative(&mut self) -> Option<Expr> {
        self.binary_level(&["*", "/", "%"], Self::unary)
    }

    fn unary(&mut self) -> Option<Expr> {
        if self.eat("!") {
            return Some(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Some(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return Some(Expr::Plus(Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Option<Expr> {
        let base = self.postfix()?;
        if self.eat("^") {
            let exp = self.unary()?;
            return Some(Expr::Binary(Box::new(base), "^", Box::new(exp)));
        }
        Some(base)
    }

    fn postfix(&mut self) -> Option<Expr> {
        if self.eat("++") {
            let v = self.postfix()?;
            return is_lvalue(&v).then(|| Expr::Incr(Box::new(v), 1.0, true));
        }
        if self.eat("--") {
            let v = self.postfix()?;
            return is_lvalue(&v).then(|| Expr::Incr(Box::new(v), -1.0, true));
        }
        let e = self.primary()?;
        if is_lvalue(&e) {
            if self.eat("++") {
                return Some(Expr::Incr(Box::new(e), 1.0, false));
            }
            if self.eat("--") {
                return Some(Expr::Incr(Box::new(e), -1.0, false));
            }
        }
        Some(e)
    }

    fn primary(&mut self) -> Option<Expr> {
        let t = self.peek()?.clone();
        self.pos += 1;
        match t {
            Tok::Num(n) => Some(Expr::Num(n)),
            Tok::Str(s) => Some(Expr::Str(s)),
            Tok::Regex(r) => Some(Expr::Regex(r)),
            Tok::Punct("$") => {
                let e = if self.eat("++") || self.eat("--") {
                    return None;
                } else {
                    self.primary()?
                };
                Some(Expr::Field(Box::new(e)))
            }
            Tok::Punct("(") => {
                let (gt, inn) = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                let first = self.expr()?;
                let e = if self.eat(",") {
                    // `(a, b) in arr`
                    let mut keys = vec![first];
                    keys.push(self.expr()?);
                    while self.eat(",") {
                        keys.push(self.expr()?);
                    }
                    self.expect(")")?;
                    if !self.is_name("in") {
                        return None;
                    }
                    self.pos += 1;
                    let Some(Tok::Name(a)) = self.peek().cloned() else {
                        return None;
                    };
                    self.pos += 1;
                    Expr::In(keys, a)
                } else {
                    self.expect(")")?;
                    Expr::Group(Box::new(first))
                };
                self.no_gt = gt;
                self.no_in = inn;
                Some(e)
            }
            Tok::Func(name) => {
                if !BUILTINS.contains(&name.as_str()) {
                    return None;
                }
                self.expect("(")?;
                let (gt, inn) = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                let mut args = Vec::new();
                if !self.is(")") {
                    args.push(self.expr()?);
                    while self.eat(",") {
                        self.skip_newlines();
                        args.push(self.expr()?);
                    }
                }
                self.expect(")")?;
                self.no_gt = gt;
                self.no_in = inn;
                Some(Expr::Call(name, args))
            }
            Tok::Name(n) if n == "length" => Some(Expr::Call(n, Vec::new())),
            Tok::Name(n) if !is_keyword(&n) => {
                if self.eat("[") {
                    let (gt, inn) = (self.no_gt, self.no_in);
                    self.no_gt = false;
                    self.no_in = false;
                    let subs = self.subscripts()?;
                    self.no_gt = gt;
                    self.no_in = inn;
                    Some(Expr::Index(n, subs))
                } else {
                    Some(Expr::Var(n))
                }
            }
            _ => None,
        }
    }
}

fn is_lvalue(e: &Expr) -> bool {
    matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
}

// ---- values ----

/// An awk value: a number, a string, or a string from input that compares as a
/// number when it looks like one (a "strnum").
#[derive(Clone, Debug)]
enum Value {
    Num(f64),
    Str(String),
    StrNum(String),
    Uninit,
}

impl Value {
    fn num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => leading_number(s),
            Value::Uninit => 0.0,
        }
    }
    fn text(&self) -> String {
        match self {
            Value::Num(n) => fmt_num(*n),
            Value::Str(s) | Value::StrNum(s) => s.clone(),
            Value::Uninit => String::new(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => {
                if looks_numeric(s) {
                    leading_number(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
            Value::Uninit => false,
        }
    }
    fn numeric(&self) -> bool {
        match self {
            Value::Num(_) | Value::Uninit => true,
            Value::StrNum(s) => looks_numeric(s),
            Value::Str(_) => false,
        }
    }
}

fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.parse::<f64>().is_ok()
        && !t
            .chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
}

fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let mut best = 0.0;
    for (i, _) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        if i == 0 {
            continue;
        }
        if let Ok(v) = t[..i].parse::<f64>() {
            if !t[..i]
                .chars()
                .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
            {
                best = v;
                end = i;
            }
        }
    }
    if end == 0 {
        0.0
    } else {
        best
    }
}

/// A number as awk prints it: integers plainly, others with `%.6g`.
fn fmt_num(n: f64) -> String {
    if !n.is_finite() {
        return non_finite(n);
    }
    if n.fract() == 0.0 && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        format_g(n, 6)
    }
}

/// `inf`, `-inf` or `nan`, as awk prints them.
fn non_finite(n: f64) -> String {
    if n.is_nan() {
        "nan".into()
    } else if n < 0.0 {
        "-inf".into()
    } else {
        "inf".into()
    }
}

fn format_g(n: f64, precision: usize) -> String {
    if !n.is_finite() {
        return non_finite(n);
    }
    let p = precision.max(1);
    if n == 0.0 {
        return "0".to_string();
    }
    let exp = n.abs().log10().floor() as i32;
    if exp < -4 || exp >= p as i32 {
        let s = format!("{:.*e}", p - 1, n);
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.')
        } else {
            mant
        };
        let e: i32 = e.parse().unwrap_or(0);
        format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{n:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

// ---- interpreter ----

enum Stop {
    Next,
    Exit,
    Break,
    Continue,
    Flow(Flow),
    Error(String),
}

impl From<Flow> for Stop {
    fn from(f: Flow) -> Stop {
        Stop::Flow(f)
    }
}

struct Interp<'p> {
    prog: &'p Program,
    vars: BTreeMap<String, Value>,
    arrays: BTreeMap<String, BTreeMap<String, Value>>,
    fields: Vec<String>,
    record: String,
    out: String,
    exit_code: i32,
}

/// Runs `prog` over `inputs` (each a file's bytes, `FILENAME` first), with the
/// `-v` assignments and field separator given; returns awk's exit status.
pub fn run(
    sh: &mut Shell<'_>,
    prog: &Program,
    fs: Option<&str>,
    assigns: &[(String, String)],
    inputs: &[(String, Vec<u8>)],
) -> Exec {
    let mut it = Interp {
        prog,
        vars: BTreeMap::new(),
        arrays: BTreeMap::new(),
        fields: Vec::new(),
        record: String::new(),
        out: String::new(),
        exit_code: 0,
    };
    for (k, v) in [
        ("FS", fs.unwrap_or(" ")),
        ("OFS", " "),
        ("ORS", "\n"),
        ("SUBSEP", "\x1c"),
    ] {
        it.vars.insert(k.to_string(), Value::Str(v.to_string()));
    }
    it.vars.insert("NR".into(), Value::Num(0.0));
    let env: BTreeMap<String, Value> = sh
        .environment()
        .into_iter()
        .map(|(k, v)| (k, Value::StrNum(v)))
        .collect();
    it.arrays.insert("ENVIRON".into(), env);
    for (k, v) in assigns {
        it.vars.insert(k.clone(), Value::StrNum(unescape(v)));
    }
    let result = it.main(sh, inputs);
    let result = match result {
        Err(Stop::Exit) | Ok(()) => it.end(sh),
        other => other,
    };
    sh.out(std::mem::take(&mut it.out))?;
    match result {
        Ok(()) | Err(Stop::Exit | Stop::Next | Stop::Break | Stop::Continue) => Ok(it.exit_code),
        Err(Stop::Flow(f)) => Err(f),
        Err(Stop::Error(m)) => {
            sh.err(format!("awk: {m}\n"))?;
            Ok(2)
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\\\", "\\")
}

impl Interp<'_> {
    fn main(&mut self, sh: &mut Shell<'_>, inputs: &[(String, Vec<u8>)]) -> Result<(), Stop> {
        let prog = self.prog;
        self.exec_block(sh, &prog.begin)?;
        if prog.items.is_empty() && prog.end.is_empty() {
            return Ok(());
        }
        let mut nr = 0.0;
        for (name, data) in inputs {
            self.vars
                .insert("FILENAME".into(), Value::Str(name.clone()));
            let text = String::from_utf8_lossy(data).into_owned();
            let mut fnr = 0.0;
            for line in text.lines() {
                sh.step()?;
                nr += 1.0;
                fnr += 1.0;
                self.vars.insert("NR".into(), Value::Num(nr));
                self.vars.insert("FNR".into(), Value::Num(fnr));
                self.set_record(line.to_string());
                for (pattern, body) in &prog.items {
                    let selected = match pattern {
                        None => true,
                        Some(p) => self.cond(sh, p)?,
                    };
                    if !selected {
                        continue;
                    }
                    match self.exec_block(sh, body) {
                        Err(Stop::Next) => break,
                        other => other?,
                    }
                }
            }
        }
        Ok(())
    }

    fn end(&mut self, sh: &mut Shell<'_>) -> Result<(), Stop> {
        let prog = self.prog;
        self.exec_block(sh, &prog.end)
    }

    fn set_record(&mut self, line: String) {
        let fs = self.var("FS").text();
        self.fields = split(&line, &fs);
        self.record = line;
        self.vars
            .insert("NF".into(), Value::Num(self.fields.len() as f64));
    }

    fn rebuild(&mut self) {
        let ofs = self.var("OFS").text();
        self.record = self.fields.join(&ofs);
    }

    fn var(&self, name: &str) -> Value {
        self.vars.get(name).cloned().unwrap_or(Value::Uninit)
    }

    /// A pattern's truth: a bare regex matches the record.
    fn cond(&mut self, sh: &mut Shell<'_>, e: &Expr) -> Result<bool, Stop> {
        match e {
            Expr::Regex(r) => matches_re(r, &self.record),
            _ => Ok(self.eval(sh, e)?.truthy()),
        }
    }

    fn exec_block(&mut self, sh: &mut Shell<'_>, stmts: &[Stmt]) -> Result<(), Stop> {
        for s in stmts {
            self.exec(sh, s)?;
        }
        Ok(())
    }

    fn exec(&mut self, sh: &mut Shell<'_>, s: &Stmt) -> Result<(), Stop> {
        match s {
            Stmt::Expr(e) => {
                self.eval(sh, e)?;
            }
            Stmt::Print(args) => {
                let line = if args.is_empty() {
                    self.record.clone()
                } else {
                    let ofs = self.var("OFS").text();
                    let mut parts = Vec::new();
                    for a in args {
                        parts.push(self.eval(sh, a)?.text());
                    }
                    parts.join(&ofs)
                };
                let ors = self.var("ORS").text();
                sh.charge(line.len())?;
                self.out.push_str(&line);
                self.out.push_str(&ors);
            }
            Stmt::Printf(args) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(sh, a)?);
                }
                let text = sprintf(&vals[0].text(), &vals[1..]);
                sh.charge(text.len())?;
                self.out.push_str(&text);
            }
            Stmt::If(c, a, b) => {
                if self.eval(sh, c)?.truthy() {
                    self.exec_block(sh, a)?;
                } else {
                    self.exec_block(sh, b)?;
                }
            }
            Stmt::While(c, body) => {
                while self.eval(sh, c)?.truthy() {
                    sh.step()?;
                    match self.exec_block(sh, body) {
                        Err(Stop::Break) => break,
                        Err(Stop::Continue) => continue,
                        other => other?,
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                sh.step()?;
                match self.exec_block(sh, body) {
                    Err(Stop::Break) => break,
                    Err(Stop::Continue) => {}
                    other => other?,
                }
                if !self.eval(sh, c)?.truthy() {
                    break;
                }
            },
            Stmt::For(init, c, step, body) => {
                if let Some(i) = init {
                    self.eval(sh, i)?;
                }
                loop {
                    if let Some(c) = c {
                        if !self.eval(sh, c)?.truthy() {
                            break;
                        }
                    }
                    sh.step()?;
                    match self.exec_block(sh, body) {
                        Err(Stop::Break) => break,
                        Err(Stop::Continue) => {}
                        other => other?,
                    }
                    if let Some(s) = step {
                        self.eval(sh, s)?;
                    }
                }
            }
            Stmt::ForIn(k, a, body) => {
                let keys: Vec<String> = self
                    .arrays
                    .get(a)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                for key in keys {
                    sh.step()?;
                    self.vars.insert(k.clone(), Value::StrNum(key));
                    match self.exec_block(sh, body) {
                        Err(Stop::Break) => break,
                        Err(Stop::Continue) => {}
                        other => other?,
                    }
                }
            }
            Stmt::Delete(a, subs) => match subs {
                Some(subs) => {
                    let key = self.key(sh, subs)?;
                    if let Some(m) = self.arrays.get_mut(a) {
                        m.remove(&key);
                    }
                }
                None => {
                    self.arrays.remove(a);
                }
            },
            Stmt::Next => return Err(Stop::Next),
            Stmt::Break => return Err(Stop::Break),
            Stmt::Continue => return Err(Stop::Continue),
            Stmt::Exit(code) => {
                if let Some(c) = code {
                    self.exit_code = self.eval(sh, c)?.num() as i32;
                }
                return Err(Stop::Exit);
            }
        }
        Ok(())
    }

    fn key(&mut self, sh: &mut Shell<'_>, subs: &[Expr]) -> Result<String, Stop> {
        let sep = self.var("SUBSEP").text();
        let mut parts = Vec::new();
        for s in subs {
            parts.push(self.eval(sh, s)?.text());
        }
        Ok(parts.join(&sep))
    }

    fn field(&self, i: usize) -> Value {
        if i == 0 {
            Value::StrNum(self.record.clone())
        } else {
            self.fields
                .get(i - 1)
                .map_or(Value::Uninit, |f| Value::StrNum(f.clone()))
        }
    }

    fn field_index(&mut self, sh: &mut Shell<'_>, e: &Expr) -> Result<usize, Stop> {
        let n = self.eval(sh, e)?.num();
        if !(0.0..=100_000.0).contains(&n) {
            return Err(Stop::Error(format!(
                "trying to access out of range field {}",
                n as i64
            )));
        }
        Ok(n as usize)
    }

    fn get(&mut self, sh: &mut Shell<'_>, lv: &Expr) -> Result<Value, Stop> {
        match lv {
            Expr::Var(n) => Ok(self.var(n)),
            Expr::Field(e) => {
                let i = self.field_index(sh, e)?;
                Ok(self.field(i))
            }
            Expr::Index(a, subs) => {
                let k = self.key(sh, subs)?;
                Ok(self
                    .arrays
                    .entry(a.clone())
                    .or_default()
                    .entry(k)
                    .or_insert(Value::Uninit)
                    .clone())
            }
            _ => Err(Stop::Error("assignment to a non-variable".into())),
        }
    }

    fn set(&mut self, sh: &mut Shell<'_>, lv: &Expr, v: Value) -> Result<(), Stop> {
        match lv {
            Expr::Var(n) => {
                if n == "NF" {
                    let nf = v.num().max(0.0) as usize;
                    self.fields.resize(nf, String::new());
                    self.rebuild();
                }
                self.vars.insert(n.clone(), v);
            }
            Expr::Field(e) => {
                let i = self.field_index(sh, e)?;
                if i == 0 {
                    self.set_record(v.text());
                } else {
                    if self.fields.len() < i {
                        self.fields.resize(i, String::new());
                    }
                    self.fields[i - 1] = v.text();
                    self.vars
                        .insert("NF".into(), Value::Num(self.fields.len() as f64));
                    self.rebuild();
                }
            }
            Expr::Index(a, subs) => {
                let k = self.key(sh, subs)?;
                self.arrays.entry(a.clone()).or_default().insert(k, v);
            }
            _ => return Err(Stop::Error("assignment to a non-variable".into())),
        }
        Ok(())
    }

    fn eval(&mut self, sh: &mut Shell<'_>, e: &Expr) -> Result<Value, Stop> {
        Ok(match e {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Regex(r) => Value::Num(f64::from(u8::from(matches_re(r, &self.record)?))),
            Expr::Var(_) | Expr::Field(_) | Expr::Index(..) => self.get(sh, e)?,
            Expr::Group(inner) => self.eval(sh, inner)?,
            Expr::In(keys, a) => {
                let k = self.key(sh, keys)?;
                let has = self.arrays.get(a).is_some_and(|m| m.contains_key(&k));
                Value::Num(f64::from(u8::from(has)))
            }
            Expr::Assign(lv, op, rhs) => {
                let r = self.eval(sh, rhs)?;
                let v = match op {
                    None => match r {
                        Value::Uninit => Value::Uninit,
                        other => other,
                    },
                    Some(op) => {
                        let l = self.get(sh, lv)?.num();
                        Value::Num(arith(*op, l, r.num())?)
                    }
                };
                self.set(sh, lv, v.clone())?;
                v
            }
            Expr::Incr(lv, d, pre) => {
                let old = self.get(sh, lv)?.num();
                self.set(sh, lv, Value::Num(old + d))?;
                Value::Num(if *pre { old + d } else { old })
            }
            Expr::Binary(l, op, r) => {
                let a = self.eval(sh, l)?;
                let b = self.eval(sh, r)?;
                match *op {
                    "+" | "-" | "*" | "/" | "%" | "^" => {
                        let c = op.chars().next().unwrap_or('+');
                        Value::Num(arith(c, a.num(), b.num())?)
                    }
                    cmp => {
                        let ord = if a.numeric() && b.numeric() {
                            a.num()
                                .partial_cmp(&b.num())
                                .unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            a.text().cmp(&b.text())
                        };
                        let yes = match cmp {
                            "<" => ord.is_lt(),
                            "<=" => ord.is_le(),
                            ">" => ord.is_gt(),
                            ">=" => ord.is_ge(),
                            "==" => ord.is_eq(),
                            _ => ord.is_ne(),
                        };
                        Value::Num(f64::from(u8::from(yes)))
                    }
                }
            }
            Expr::Match(l, negate, r) => {
                let text = self.eval(sh, l)?.text();
                let re = self.regex_text(sh, r)?;
                Value::Num(f64::from(u8::from(matches_re(&re, &text)? != *negate)))
            }
            Expr::And(l, r) => {
                let v = self.eval(sh, l)?.truthy() && self.eval(sh, r)?.truthy();
                Value::Num(f64::from(u8::from(v)))
            }
            Expr::Or(l, r) => {
                let v = self.eval(sh, l)?.truthy() || self.eval(sh, r)?.truthy();
                Value::Num(f64::from(u8::from(v)))
            }
            Expr::Not(x) => Value::Num(f64::from(u8::from(!self.eval(sh, x)?.truthy()))),
            Expr::Neg(x) => Value::Num(-self.eval(sh, x)?.num()),
            Expr::Plus(x) => Value::Num(self.eval(sh, x)?.num()),
            Expr::Concat(l, r) => {
                let mut s = self.eval(sh, l)?.text();
                s.push_str(&self.eval(sh, r)?.text());
                sh.charge(s.len())?;
                Value::Str(s)
            }
            Expr::Cond(c, a, b) => {
                if self.eval(sh, c)?.truthy() {
                    self.eval(sh, a)?
                } else {
                    self.eval(sh, b)?
                }
            }
            Expr::Call(name, args) => self.call(sh, name, args)?,
        })
    }

    /// The regex an operand of `~`, `sub`, `split`... stands for: a literal's
    /// text, or any other value's string.
    fn regex_text(&mut self, sh: &mut Shell<'_>, e: &Expr) -> Result<String, Stop> {
        match e {
            Expr::Regex(r) => Ok(r.clone()),
            _ => Ok(self.eval(sh, e)?.text()),
        }
    }

    fn call(&mut self, sh: &mut Shell<'_>, name: &str, args: &[Expr]) -> Result<Value, Stop> {
        let arg = |i: usize| -> Result<&Expr, Stop> {
            args.get(i)
                .ok_or_else(|| Stop::Error(format!("{name}: not enough arguments")))
        };
        Ok(match name {
            "length" => match args.first() {
                None => Value::Num(self.record.chars().count() as f64),
                Some(Expr::Var(a)) if self.arrays.contains_key(a) => {
                    Value::Num(self.arrays[a].len() as f64)
                }
                Some(e) => Value::Num(self.eval(sh, e)?.text().chars().count() as f64),
            },
            "substr" => {
                let s: Vec<char> = self.eval(sh, arg(0)?)?.text().chars().collect();
                let m = self.eval(sh, arg(1)?)?.num().round();
                let n = match args.get(2) {
                    Some(e) => self.eval(sh, e)?.num().round(),
                    None => f64::INFINITY,
                };
                let start = m.max(1.0);
                let end = (m + n).min(s.len() as f64 + 1.0);
                if end <= start {
                    Value::Str(String::new())
                } else {
                    Value::Str(s[start as usize - 1..end as usize - 1].iter().collect())
                }
            }
            "index" => {
                let s = self.eval(sh, arg(0)?)?.text();
                let t = self.eval(sh, arg(1)?)?.text();
                Value::Num(s.find(&t).map_or(0, |b| s[..b].chars().count() + 1) as f64)
            }
            "split" => {
                let s = self.eval(sh, arg(0)?)?.text();
                let Expr::Var(a) = arg(1)? else {
                    return Err(Stop::Error(
                        "split: the second argument must be an array".into(),
                    ));
                };
                let sep = match args.get(2) {
                    Some(e) => self.regex_text(sh, e)?,
                    None => self.var("FS").text(),
                };
                let parts = split(&s, &sep);
                let m: BTreeMap<String, Value> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ((i + 1).to_string(), Value::StrNum(p.clone())))
                    .collect();
                let n = m.len();
                self.arrays.insert(a.clone(), m);
                Value::Num(n as f64)
            }
            "sub" | "gsub" => {
                let re = self.regex_text(sh, arg(0)?)?;
                let repl = self.eval(sh, arg(1)?)?.text();
                let target = args
                    .get(2)
                    .cloned()
                    .unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                if !is_lvalue(&target) {
                    return Err(Stop::Error(format!(
                        "{name}: the third argument is not a variable"
                    )));
                }
                let text = self.get(sh, &target)?.text();
                let (new, n) = substitute(&re, &repl, &text, name == "gsub")?;
                sh.charge(new.len())?;
                if n > 0 {
                    self.set(sh, &target, Value::Str(new))?;
                }
                Value::Num(n as f64)
            }
            "match" => {
                let s = self.eval(sh, arg(0)?)?.text();
                let re = self.regex_text(sh, arg(1)?)?;
                let compiled = compile(&re)?;
                let (start, len) = match compiled.find_at(s.as_bytes(), 0) {
                    Some((from, to)) => (
                        String::from_utf8_lossy(&s.as_bytes()[..from])
                            .chars()
                            .count()
                            + 1,
                        String::from_utf8_lossy(&s.as_bytes()[from..to])
                            .chars()
                            .count() as i64,
                    ),
                    None => (0, -1),
                };
                self.vars.insert("RSTART".into(), Value::Num(start as f64));
                self.vars.insert("RLENGTH".into(), Value::Num(len as f64));
                Value::Num(start as f64)
            }
            "sprintf" => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(sh, a)?);
                }
                let Some(fmt) = vals.first() else {
                    return Err(Stop::Error("sprintf: no format".into()));
                };
                Value::Str(sprintf(&fmt.text(), &vals[1..]))
            }
            "tolower" => Value::Str(self.eval(sh, arg(0)?)?.text().to_lowercase()),
            "toupper" => Value::Str(self.eval(sh, arg(0)?)?.text().to_uppercase()),
            "int" => Value::Num(self.eval(sh, arg(0)?)?.num().trunc()),
            "system" => {
                let cmd = self.eval(sh, arg(0)?)?.text();
                sh.out(std::mem::take(&mut self.out))?;
                let status = sh.subshell(|s| s.run_script(&cmd))?;
                Value::Num(f64::from(status))
            }
            _ => return Err(Stop::Error(format!("function {name} never defined"))),
        })
    }
}

fn arith(op: char, a: f64, b: f64) -> Result<f64, Stop> {
    Ok(match op {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' if b == 0.0 => return Err(Stop::Error("division by zero".into())),
        '/' => a / b,
        '%' if b == 0.0 => return Err(Stop::Error("division by zero in %".into())),
        '%' => a % b,
        _ => a.powf(b),
    })
}

fn compile(re: &str) -> Result<posix_regex::Regex, Stop> {
    posix_regex::compile(re, true, false)
        .map_err(|e| Stop::Error(format!("regular expression /{re}/: {e}")))
}

fn matches_re(re: &str, text: &str) -> Result<bool, Stop> {
    Ok(compile(re)?.is_match(text.as_bytes()))
}

/// Splits a record or `split`'s string by `fs`: a space means runs of blanks
/// (leading and trailing ignored), another single character splits literally,
/// anything longer is a regex.
fn split(s: &str, fs: &str) -> Vec<String> {
    if fs == " " {
        return s.split_whitespace().map(str::to_string).collect();
    }
    if s.is_empty() {
        return Vec::new();
    }
    if fs.chars().count() == 1 && fs != "\\" {
        return s.split(fs).map(str::to_string).collect();
    }
    match posix_regex::compile(fs, true, false) {
        Ok(re) => {
            let bytes = s.as_bytes();
            let mut parts = Vec::new();
            let mut last = 0;
            let mut at = 0;
            while let Some((from, to)) = re.find_at(bytes, at) {
                if to == from {
                    // An empty match splits nothing; look one byte further.
                    at = from + 1;
                    if at > bytes.len() {
                        break;
                    }
                    continue;
                }
                parts.push(String::from_utf8_lossy(&bytes[last..from]).into_owned());
                last = to;
                at = to;
            }
            parts.push(String::from_utf8_lossy(&bytes[last..]).into_owned());
            parts
        }
        Err(_) => s.split(fs).map(str::to_string).collect(),
    }
}

/// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal `&`.
fn substitute(re: &str, repl: &str, text: &str, global: bool) -> Result<(String, usize), Stop> {
    let compiled = compile(re)?;
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut last = 0;
    let mut count = 0;
    let mut at = 0;
    while at <= bytes.len() {
        let Some((start, end)) = compiled.find_at(bytes, at) else {
            break;
        };
        out.extend_from_slice(&bytes[last..start]);
        let mut chars = repl.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&'&') => {
                    chars.next();
                    out.push(b'&');
                }
                '&' => out.extend_from_slice(&bytes[start..end]),
                _ => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        count += 1;
        if end == start {
            if let Some(&b) = bytes.get(end) {
                out.push(b);
            }
            last = end + 1;
            at = end + 1;
        } else {
            last = end;
            at = end;
        }
        if !global {
            break;
        }
    }
    if last < bytes.len() {
        out.extend_from_slice(&bytes[last..]);
    }
    Ok((String::from_utf8_lossy(&out).into_owned(), count))
}

/// awk's `printf` formatting: `%c %d %i %o %x %X %u %e %f %g %s %%` with flags,
/// width and precision (`*` reads them from the arguments).
fn sprintf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = args.iter();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.get(i).filter(|f| "-+ #0".contains(**f)) {
            flags.push(f);
            i += 1;
        }
        let mut num = |i: &mut usize| -> Option<usize> {
            if chars.get(*i) == Some(&'*') {
                *i += 1;
                return Some(next.next().map_or(0.0, Value::num).max(0.0) as usize);
            }
            let start = *i;
            while chars.get(*i).is_some_and(|d| d.is_ascii_digit()) {
                *i += 1;
            }
            let s: String = chars[start..*i].iter().collect();
            s.parse().ok()
        };
        let width = num(&mut i);
        let precision = if chars.get(i) == Some(&'.') {
            i += 1;
            Some(num(&mut i).unwrap_or(0))
        } else {
            None
        };
        let Some(&conv) = chars.get(i) else {
            out.push('%');
            out.push_str(&flags);
            break;
        };
        i += 1;
        let v = next.next().cloned().unwrap_or(Value::Uninit);
        let body = match conv {
            'd' | 'i' | 'u' => {
                let n = v.num().trunc() as i64;
                let s = n.unsigned_abs().to_string();
                sign(n < 0, &flags) + &s
            }
            'o' => format!("{:o}", v.num().trunc() as i64),
            'x' => format!("{:x}", v.num().trunc() as i64),
            'X' => format!("{:X}", v.num().trunc() as i64),
            'c' => match v {
                Value::Num(n) => char::from_u32(n as u32)
                    .map(String::from)
                    .unwrap_or_default(),
                other => other
                    .text()
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default(),
            },
            'e' | 'E' => {
                let p = precision.unwrap_or(6);
                let n = v.num();
                let s = format!("{:.*e}", p, n.abs());
                let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                let e: i32 = e.parse().unwrap_or(0);
                let t = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                let t = if conv == 'E' { t.to_uppercase() } else { t };
                sign(n < 0.0, &flags) + &t
            }
            'f' | 'F' => {
                let n = v.num();
                sign(n < 0.0, &flags) + &format!("{:.*}", precision.unwrap_or(6), n.abs())
            }
            'g' | 'G' => {
                let n = v.num();
                sign(n < 0.0, &flags) + &format_g(n.abs(), precision.unwrap_or(6))
            }
            's' => {
                let s = v.text();
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            other => {
                out.push('%');
                out.push(other);
                continue;
            }
        };
        let w = width.unwrap_or(0);
        let len = body.chars().count();
        if len >= w {
            out.push_str(&body);
        } else if flags.contains('-') {
            out.push_str(&body);
            out.push_str(&" ".repeat(w - len));
        } else if flags.contains('0') && conv != 's' && conv != 'c' {
            let (sgn, digits) = match body.strip_prefix(['-', '+', ' ']) {
                Some(rest) => (&body[..1], rest),
                None => ("", body.as_str()),
            };
            out.push_str(sgn);
            out.push_str(&"0".repeat(w - len));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(w - len));
            out.push_str(&body);
        }
    }
    out
}

fn sign(negative: bool, flags: &str) -> String {
    if negative {
        "-".into()
    } else if flags.contains('+') {
        "+".into()
    } else if flags.contains(' ') {
        " ".into()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests;
