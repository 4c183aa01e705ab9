//! Word expansion in POSIX order: tilde, parameters, command substitution and
//! arithmetic, then field splitting on `IFS` and pathname expansion over the `Vfs`,
//! then quote removal.
//!
//! Expanded text is kept as characters with a "quoted" flag until the end, because
//! only unquoted results of expansions are split and only unquoted `*?[` glob.

use super::exec::{Flow, Shell};
use super::parse::{List, Param, ParamOp, Part, Word};
use super::pattern::Pattern;

/// Characters of one field, each with whether it was quoted.
type Field = Vec<(char, bool)>;

/// Collects fields while expanding one word.
struct Fields {
    done: Vec<Field>,
    cur: Field,
    started: bool,
    split: bool,
    ifs: String,
}

impl Fields {
    fn new(split: bool, ifs: &str) -> Fields {
        Fields {
            done: Vec::new(),
            cur: Vec::new(),
            started: false,
            split,
            ifs: ifs.to_string(),
        }
    }

    fn push(&mut self, text: &str, quoted: bool) {
        self.started = true;
        self.cur.extend(text.chars().map(|c| (c, quoted)));
    }

    /// Adds the result of an unquoted expansion, split on `IFS`.
    fn push_split(&mut self, text: &str) {
        if !self.split {
            self.push(text, false);
            return;
        }
        for c in text.chars() {
            if self.ifs.contains(c) {
                if c == ' ' || c == '\t' || c == '\n' {
                    if self.started {
                        self.finish();
                    }
                } else {
                    self.finish();
                }
            } else {
                self.started = true;
                self.cur.push((c, false));
            }
        }
    }

    fn finish(&mut self) {
        self.done.push(std::mem::take(&mut self.cur));
        self.started = false;
    }

    fn into_fields(mut self) -> Vec<Field> {
        if self.started {
            self.finish();
        }
        self.done
    }
}

impl Shell<'_> {
    /// Expands a word into fields (split and globbed): command arguments, `for` lists.
    pub fn expand_fields(&mut self, word: &Word) -> Result<Vec<String>, Flow> {
        let ifs = self.var("IFS").unwrap_or(" \t\n").to_string();
        let mut fields = Fields::new(true, &ifs);
        self.expand_word_into(word, &mut fields)?;
        let mut out = Vec::new();
        for field in fields.into_fields() {
            let has_glob = !self.state.opts.noglob
                && field
                    .iter()
                    .any(|(c, q)| !q && matches!(c, '*' | '?' | '['));
            if has_glob {
                let matches = self.glob(&field);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.iter().map(|(c, _)| *c).collect());
        }
        Ok(out)
    }

    /// Expands a word into one string (no splitting or globbing): assignments,
    /// redirection targets, `case` subjects, heredocs.
    pub fn expand_string(&mut self, word: &Word) -> Result<String, Flow> {
        let mut fields = Fields::new(false, " ");
        self.expand_word_into(word, &mut fields)?;
        let parts: Vec<String> = fields
            .into_fields()
            .into_iter()
            .map(|f| f.into_iter().map(|(c, _)| c).collect())
            .collect();
        Ok(parts.join(" "))
    }

    /// Expands a word into a pattern whose quoted characters are literal (`case`, `${x#p}`).
    pub fn expand_pattern(&mut self, word: &Word) -> Result<Pattern, Flow> {
        let mut fields = Fields::new(false, " ");
        self.expand_word_into(word, &mut fields)?;
        let mut chars = Vec::new();
        for (i, f) in fields.into_fields().into_iter().enumerate() {
            if i > 0 {
                chars.push((' ', true));
            }
            chars.extend(f);
        }
        Ok(Pattern::compile(&chars))
    }

    fn expand_word_into(&mut self, word: &Word, fields: &mut Fields) -> Result<(), Flow> {
        self.expand_word_unbudgeted(word, fields)?;
        let size: usize = fields.done.iter().map(|f| f.len() + 1).sum::<usize>() + fields.cur.len();
        self.count_expansion(size)
    }

    fn expand_word_unbudgeted(&mut self, word: &Word, fields: &mut Fields) -> Result<(), Flow> {
        let parts = &word.0;
        // Tilde expansion: `~` or `~user` at the start of an unquoted word.
        if let Some(Part::Lit(first)) = parts.first() {
            if let Some(rest) = first.strip_prefix('~') {
                let (user, tail) = match rest.find('/') {
                    Some(i) => (&rest[..i], &rest[i..]),
                    None if parts.len() == 1 => (rest, ""),
                    None => (rest, ""),
                };
                let home = if user.is_empty() {
                    Some(self.home())
                } else {
                    super::users::passwd_entry(self.fs, user).map(|e| e.home)
                };
                if let Some(home) = home {
                    fields.push(&home, true);
                    fields.push(tail, false);
                    return self.expand_parts(&parts[1..], false, fields);
                }
            }
        }
        self.expand_parts(parts, false, fields)
    }

    fn expand_parts(
        &mut self,
        parts: &[Part],
        quoted: bool,
        fields: &mut Fields,
    ) -> Result<(), Flow> {
        for part in parts {
            match part {
                Part::Lit(s) => fields.push(s, quoted),
                Part::Quoted(s) => fields.push(s, true),
                Part::Double(inner) => {
                    fields.started = true;
                    self.expand_parts(inner, true, fields)?;
                }
                Part::Param(p) => self.expand_param(p, quoted, fields)?,
                Part::Command(list) => {
                    let text = self.command_substitution(list)?;
                    push_value(fields, &text, quoted);
                }
                Part::Arith(expr) => {
                    let mut inner = Fields::new(false, " ");
                    self.expand_parts(expr, true, &mut inner)?;
                    let text: String = inner
                        .into_fields()
                        .into_iter()
                        .flatten()
                        .map(|(c, _)| c)
                        .collect();
                    let value = match arith(self, &text) {
                        Ok(v) => v,
                        Err(message) => {
                            self.shell_error(&format!(
                                "arithmetic expression: {message}: \"{text}\""
                            ))?;
                            return Err(Flow::Exit(2));
                        }
                    };
                    push_value(fields, &value.to_string(), quoted);
                }
            }
        }
        Ok(())
    }

    /// Runs `$(...)` in a subshell and returns its output without trailing newlines.
    fn command_substitution(&mut self, list: &List) -> Result<String, Flow> {
        self.step()?;
        let (status, out) = self.capture(None, |sh| sh.subshell(|sh| sh.exec_list(list)))?;
        self.subst_status_set(status);
        let mut text = String::from_utf8_lossy(&out).into_owned();
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    /// The value of a parameter without operators: `None` when unset.
    pub fn param_value(&self, name: &str) -> Option<String> {
        match name {
            "#" => Some(self.state.positional.len().to_string()),
            "?" => Some(self.state.status.to_string()),
            "$" => Some("1".to_string()),
            "!" => None,
            "0" => Some(self.state.arg0.clone()),
            "-" => {
                let o = self.state.opts;
                let mut s = String::new();
                for (on, c) in [
                    (o.errexit, 'e'),
                    (o.noglob, 'f'),
                    (o.nounset, 'u'),
                    (o.xtrace, 'x'),
                ] {
                    if on {
                        s.push(c);
                    }
                }
                Some(s)
            }
            "@" | "*" => Some(self.state.positional.join(" ")),
            n if n.chars().all(|c| c.is_ascii_digit()) => n
                .parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| self.state.positional.get(i).cloned()),
            n => self.var(n).map(str::to_string),
        }
    }

    fn expand_param(&mut self, p: &Param, quoted: bool, fields: &mut Fields) -> Result<(), Flow> {
        // "$@" makes one field per positional parameter.
        if (p.name == "@" || p.name == "*") && matches!(p.op, ParamOp::Plain) {
            let args = self.state.positional.clone();
            if p.name == "@" && quoted {
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        fields.finish();
                    }
                    fields.push(a, true);
                }
                if args.is_empty() && fields.cur.is_empty() {
                    fields.started = false;
                }
                return Ok(());
            }
            if quoted {
                let sep = fields
                    .ifs
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default();
                fields.push(&args.join(&sep), true);
                return Ok(());
            }
            for a in &args {
                fields.push_split(a);
                if fields.started {
                    fields.finish();
                }
            }
            return Ok(());
        }
        let value = self.param_value(&p.name);
        let is_set = |colon: bool| match &value {
            None => false,
            Some(v) => !(colon && v.is_empty()),
        };
        match &p.op {
            ParamOp::Plain
            | ParamOp::Length
            | ParamOp::TrimPrefix(..)
            | ParamOp::TrimSuffix(..) => {
                let v = match &value {
                    Some(v) => v.clone(),
                    None if self.state.opts.nounset && !matches!(p.name.as_str(), "@" | "*") => {
                        self.shell_error(&format!("{}: parameter not set", p.name))?;
                        return Err(Flow::Exit(2));
                    }
                    None => String::new(),
                };
                let v = match &p.op {
                    ParamOp::Length => v.chars().count().to_string(),
                    ParamOp::TrimPrefix(longest, w) => {
                        let pat = self.expand_pattern(w)?;
                        match pat.prefix_len(&v, *longest) {
                            Some(n) => v.chars().skip(n).collect(),
                            None => v,
                        }
                    }
                    ParamOp::TrimSuffix(longest, w) => {
                        let pat = self.expand_pattern(w)?;
                        match pat.suffix_len(&v, *longest) {
                            Some(n) => {
                                let keep = v.chars().count() - n;
                                v.chars().take(keep).collect()
                            }
                            None => v,
                        }
                    }
                    _ => v,
                };
                push_value(fields, &v, quoted);
            }
            ParamOp::Default(colon, w) => {
                if is_set(*colon) {
                    push_value(fields, value.as_deref().unwrap_or(""), quoted);
                } else {
                    fields.started |= quoted;
                    self.expand_parts(&w.0, quoted, fields)?;
                }
            }
            ParamOp::Alternative(colon, w) => {
                if is_set(*colon) {
                    fields.started |= quoted;
                    self.expand_parts(&w.0, quoted, fields)?;
                } else if quoted {
                    fields.started = true;
                }
            }
            ParamOp::Assign(colon, w) => {
                let v = if is_set(*colon) {
                    value.unwrap_or_default()
                } else {
                    let v = self.expand_string(w)?;
                    if !super::parse::is_name(&p.name) {
                        self.shell_error(&format!("{}: bad variable name", p.name))?;
                        return Err(Flow::Exit(2));
                    }
                    self.set_var(&p.name, &v)?;
                    v
                };
                push_value(fields, &v, quoted);
            }
            ParamOp::Error(colon, w) => {
                if is_set(*colon) {
                    push_value(fields, value.as_deref().unwrap_or(""), quoted);
                } else {
                    let mut message = self.expand_string(w)?;
                    if message.is_empty() {
                        message = if *colon {
                            "parameter not set or null".to_string()
                        } else {
                            "parameter not set".to_string()
                        };
                    }
                    self.shell_error(&format!("{}: {message}", p.name))?;
                    return Err(Flow::Exit(2));
                }
            }
        }
        Ok(())
    }

    /// Pathname expansion of one field (characters with their quoted flag) over
    /// the filesystem, sorted; empty if nothing matches.
    pub fn glob(&mut self, field: &[(char, bool)]) -> Vec<String> {
        let absolute = field.first().map(|(c, _)| *c) == Some('/');
        let mut comps: Vec<Vec<(char, bool)>> = vec![Vec::new()];
        for &(c, q) in field {
            if c == '/' {
                comps.push(Vec::new());
            } else if let Some(last) = comps.last_mut() {
                last.push((c, q));
            }
        }
        let trailing_slash = comps.last().is_some_and(Vec::is_empty) && comps.len() > 1;
        let comps: Vec<_> = comps.into_iter().filter(|c| !c.is_empty()).collect();
        let mut found: Vec<String> = vec![if absolute {
            "/".to_string()
        } else {
            String::new()
        }];
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let pattern = Pattern::compile(comp);
            let mut next = Vec::new();
            for prefix in &found {
                if pattern.is_literal() {
                    let name: String = comp.iter().map(|(c, _)| *c).collect();
                    let candidate = format!("{prefix}{name}");
                    if self.fs.lstat(&self.abs(&candidate)).is_ok() {
                        next.push(candidate);
                    }
                    continue;
                }
                let dir = if prefix.is_empty() {
                    self.state.cwd.clone()
                } else {
                    self.abs(prefix)
                };
                let Ok(entries) = self.fs.read_dir(&dir) else {
                    continue;
                };
                let dot_ok = comp.first().map(|(c, _)| *c) == Some('.');
                for (name, stat) in entries {
                    if name.starts_with('.') && !dot_ok {
                        continue;
                    }
                    if !last && !stat.is_dir() {
                        continue;
                    }
                    if pattern.matches(&name) {
                        next.push(format!("{prefix}{name}"));
                    }
                }
            }
            found = next
                .into_iter()
                .map(|p| if last { p } else { format!("{p}/") })
                .collect();
            if found.is_empty() {
                return found;
            }
        }
        if trailing_slash {
            found.retain(|p| self.fs.stat(&self.abs(p)).is_ok_and(|s| s.is_dir()));
            found.iter_mut().for_each(|p| p.push('/'));
        }
        crate::sort::sort(&mut found);
        found
    }

    fn subst_status_set(&mut self, status: i32) {
        self.state.status = status;
        self.set_subst_status(status);
    }
}

/// Adds an expansion's result: literally when quoted, split otherwise.
fn push_value(fields: &mut Fields, text: &str, quoted: bool) {
    if quoted {
        fields.push(text, true);
    } else {
        fields.push_split(text);
    }
}

/// Evaluates a `$((...))` expression with variables from the shell.
pub fn arith(sh: &mut Shell<'_>, text: &str) -> Result<i64, String> {
    let tokens = arith_tokens(text)?;
    let mut p = Arith {
        sh,
        tokens,
        pos: 0,
        depth: 0,
    };
    if p.tokens.is_empty() {
        return Ok(0);
    }
    let v = p.assign(true)?;
    if p.pos < p.tokens.len() {
        return Err("expecting EOF".to_string());
    }
    Ok(v)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=",
    "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~", "?", ":", "=",
    "(", ")",
];

fn arith_tokens(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    'outer: while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Num(
                parse_number(&s).ok_or_else(|| "expecting primary".to_string())?,
            ));
            continue;
        }
        if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
            continue;
        }
        for op in OPS {
            let n = op.len();
            if i + n <= chars.len() && chars[i..i + n].iter().copied().eq(op.chars()) {
                out.push(Tok::Op(op));
                i += n;
                continue 'outer;
            }
        }
        return Err("expecting primary".to_string());
    }
    Ok(out)
}

/// A decimal, `0x` hex or leading-`0` octal integer.
fn parse_number(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    if s.len() > 1 && s.starts_with('0') {
        return i64::from_str_radix(&s[1..], 8).ok();
    }
    s.parse().ok()
}

struct Arith<'s, 'a> {
    sh: &'s mut Shell<'a>,
    tokens: Vec<Tok>,
    pos: usize,
    depth: u32,
}

const BINARY: &[(&str, u8)] = &[
    ("||", 1),
    ("&&", 2),
    ("|", 3),
    ("^", 4),
    ("&", 5),
    ("==", 6),
    ("!=", 6),
    ("<", 7),
    ("<=", 7),
    (">", 7),
    (">=", 7),
    ("<<", 8),
    (">>", 8),
    ("+", 9),
    ("-", 9),
    ("*", 10),
    ("/", 10),
    ("%", 10),
];

impl Arith<'_, '_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn assign(&mut self, eval: bool) -> Result<i64, String> {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) =
            (self.tokens.get(self.pos), self.tokens.get(self.pos + 1))
        {
            if op.ends_with('=') && !matches!(*op, "==" | "!=" | "<=" | ">=") {
                let (name, op) = (name.clone(), *op);
                self.pos += 2;
                let rhs = self.assign(eval)?;
                let value = if op == "=" {
                    rhs
                } else {
                    let cur = self.var(&name)?;
                    binary(&op[..op.len() - 1], cur, rhs)?
                };
                if eval {
                    self.sh
                        .set_var(&name, &value.to_string())
                        .map_err(|_| format!("{name}: is read only"))?;
                }
                return Ok(value);
            }
        }
        self.ternary(eval)
    }

    fn ternary(&mut self, eval: bool) -> Result<i64, String> {
        let cond = self.binary(0, eval)?;
        if self.peek() == Some(&Tok::Op("?")) {
            self.pos += 1;
            let a = self.assign(eval && cond != 0)?;
            if self.peek() != Some(&Tok::Op(":")) {
                return Err("expecting ':'".to_string());
            }
            self.pos += 1;
            let b = self.assign(eval && cond == 0)?;
            return Ok(if cond != 0 { a } else { b });
        }
        Ok(cond)
    }

    fn binary(&mut self, min: u8, eval: bool) -> Result<i64, String> {
        let mut lhs = self.unary(eval)?;
        while let Some(Tok::Op(op)) = self.peek() {
            let op = *op;
            let Some(&(_, prec)) = BINARY.iter().find(|(o, _)| *o == op) else {
                break;
            };
            if prec <= min {
                break;
            }
            self.pos += 1;
            let short = match op {
                "&&" => lhs == 0,
                "||" => lhs != 0,
                _ => false,
            };
            let rhs = self.binary(prec, eval && !short)?;
            lhs = match op {
                "&&" => i64::from(lhs != 0 && rhs != 0),
                "||" => i64::from(lhs != 0 || rhs != 0),
                _ if !eval => 0,
                _ => binary(op, lhs, rhs)?,
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self, eval: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".to_string());
        }
        let r = match self.peek().cloned() {
            Some(Tok::Op("-")) => {
                self.pos += 1;
                self.unary(eval).map(i64::wrapping_neg)
            }
            Some(Tok::Op("+")) => {
                self.pos += 1;
                self.unary(eval)
            }
            Some(Tok::Op("!")) => {
                self.pos += 1;
                self.unary(eval).map(|v| i64::from(v == 0))
            }
            Some(Tok::Op("~")) => {
                self.pos += 1;
                self.unary(eval).map(|v| !v)
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let v = self.assign(eval)?;
                if self.peek() != Some(&Tok::Op(")")) {
                    return Err("expecting ')'".to_string());
                }
                self.pos += 1;
                Ok(v)
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                if eval {
                    self.var(&name)
                } else {
                    Ok(0)
                }
            }
            _ => Err("expecting primary".to_string()),
        };
        self.depth -= 1;
        r
    }

    fn var(&self, name: &str) -> Result<i64, String> {
        let v = self.sh.var(name).unwrap_or("").trim().to_string();
        if v.is_empty() {
            return Ok(0);
        }
        let (neg, digits) = match v.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, v.as_str()),
        };
        parse_number(digits)
            .map(|n| if neg { n.wrapping_neg() } else { n })
            .ok_or_else(|| format!("Illegal number: {v}"))
    }
}

fn binary(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".to_string()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        _ => return Err("expecting primary".to_string()),
    })
}
