//! `find PATH... [EXPRESSION]`: `-name`, `-iname`, `-path`, `-type`, `-empty`,
//! `-user`, `-newer`, `-perm` (octal), `-executable`, `-maxdepth`, `-mindepth`,
//! `-delete`, `-print`, `-print0`, `-exec ... ;` and `-exec ... {} +`, with
//! `!`/`-not`, `-a`, `-o` and parentheses.

use super::super::exec::{Exec, Flow, Shell};
use super::super::pattern::Pattern;
use crate::vfs::{Kind, Stat};
use std::collections::BTreeMap;

enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Name(Pattern, bool),
    Path(Pattern),
    Type(char),
    Empty,
    User(u32),
    /// Modified after this time (`-newer FILE`).
    Newer(i64),
    /// `-perm MODE` (exactly), `-perm -MODE` (all of), `-perm /MODE` (any of).
    Perm(u32, char),
    Executable,
    True,
    Delete,
    Print(char),
    Exec(Vec<String>, bool),
}

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
    maxdepth: usize,
    mindepth: usize,
    has_action: bool,
    depth_first: bool,
    uid_of: &'a dyn Fn(&str) -> Option<u32>,
    /// The modification time of each `-newer` reference file (`None`: missing).
    mtimes: &'a BTreeMap<String, Option<i64>>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.not()?;
        loop {
            match self.peek() {
                Some("-a" | "-and") => self.pos += 1,
                Some(")" | "-o" | "-or") | None => return Ok(e),
                _ => {}
            }
            e = Expr::And(Box::new(e), Box::new(self.not()?));
        }
    }

    fn not(&mut self) -> Result<Expr, String> {
        if matches!(self.peek(), Some("!" | "-not")) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn value(&mut self, name: &str) -> Result<String, String> {
        let v = self
            .args
            .get(self.pos)
            .cloned()
            .ok_or_else(|| format!("missing argument to `{name}'"))?;
        self.pos += 1;
        Ok(v)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.peek().map(str::to_string) else {
            return Err("expected an expression".to_string());
        };
        self.pos += 1;
        Ok(match tok.as_str() {
            "(" => {
                let e = self.or()?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".to_string());
                }
                self.pos += 1;
                e
            }
            "-name" => Expr::Name(Pattern::parse(&self.value(&tok)?), false),
            "-iname" => Expr::Name(Pattern::parse(&self.value(&tok)?.to_lowercase()), true),
            "-path" | "-wholename" => Expr::Path(Pattern::parse(&self.value(&tok)?)),
            "-type" => {
                let t = self.value(&tok)?;
                match t.as_str() {
                    "f" | "d" | "l" | "c" | "b" | "p" => {
                        Expr::Type(t.chars().next().unwrap_or('f'))
                    }
                    _ => return Err(format!("Unknown argument to -type: {t}")),
                }
            }
            "-empty" => Expr::Empty,
            "-executable" => Expr::Executable,
            "-newer" => {
                let f = self.value(&tok)?;
                match self.mtimes.get(&f).copied().flatten() {
                    Some(t) => Expr::Newer(t),
                    None => return Err(format!("'{f}': No such file or directory")),
                }
            }
            "-perm" => {
                let v = self.value(&tok)?;
                let (how, digits) = match v.strip_prefix(['-', '/', '+']) {
                    Some(rest) => (v.chars().next().unwrap_or('='), rest),
                    None => ('=', v.as_str()),
                };
                let mode = u32::from_str_radix(digits, 8)
                    .ok()
                    .filter(|m| *m <= 0o7777)
                    .ok_or_else(|| format!("invalid mode `{v}'"))?;
                Expr::Perm(mode, how)
            }
            "-user" | "-uid" => {
                let u = self.value(&tok)?;
                Expr::User(
                    (self.uid_of)(&u)
                        .ok_or_else(|| format!("'{u}' is not the name of a known user"))?,
                )
            }
            "-maxdepth" | "-mindepth" => {
                let v = self.value(&tok)?;
                let n = v.parse().map_err(|_| {
                    format!("Expected a positive decimal integer argument to {tok}, but got '{v}'")
                })?;
                if tok == "-maxdepth" {
                    self.maxdepth = n;
                } else {
                    self.mindepth = n;
                }
                Expr::True
            }
            "-xdev" | "-mount" | "-follow" | "-noleaf" => Expr::True,
            "-depth" => {
                self.depth_first = true;
                Expr::True
            }
            "-true" => Expr::True,
            "-false" => Expr::Not(Box::new(Expr::True)),
            "-delete" => {
                self.has_action = true;
                self.depth_first = true;
                Expr::Delete
            }
            "-print" => {
                self.has_action = true;
                Expr::Print('\n')
            }
            "-print0" => {
                self.has_action = true;
                Expr::Print('\0')
            }
            "-exec" | "-execdir" => {
                self.has_action = true;
                let mut cmd = Vec::new();
                loop {
                    let Some(a) = self.peek().map(str::to_string) else {
                        return Err(format!("missing argument to `{tok}'"));
                    };
                    self.pos += 1;
                    if a == ";" {
                        return Ok(Expr::Exec(cmd, false));
                    }
                    if a == "+" && cmd.last().is_some_and(|l| l == "{}") {
                        cmd.pop();
                        return Ok(Expr::Exec(cmd, true));
                    }
                    cmd.push(a);
                }
            }
            other => return Err(format!("unknown predicate `{other}'")),
        })
    }
}

struct Walk {
    batch: Vec<(Vec<String>, Vec<String>)>,
    status: i32,
}

fn eval(
    sh: &mut Shell<'_>,
    e: &Expr,
    shown: &str,
    abs: &str,
    st: &Stat,
    w: &mut Walk,
) -> Result<bool, Flow> {
    Ok(match e {
        Expr::And(a, b) => eval(sh, a, shown, abs, st, w)? && eval(sh, b, shown, abs, st, w)?,
        Expr::Or(a, b) => eval(sh, a, shown, abs, st, w)? || eval(sh, b, shown, abs, st, w)?,
        Expr::Not(a) => !eval(sh, a, shown, abs, st, w)?,
        Expr::Name(p, ci) => {
            let base = super::super::exec::base_name(shown);
            let base = if shown == "/" { "/" } else { base };
            if *ci {
                p.matches(&base.to_lowercase())
            } else {
                p.matches(base)
            }
        }
        Expr::Path(p) => p.matches(shown),
        Expr::Type(t) => st.kind.letter() == *t,
        Expr::Empty => match &st.kind {
            Kind::Dir => sh.fs.read_dir(abs).map(|d| d.is_empty()).unwrap_or(false),
            Kind::File(b) => b.is_empty(),
            _ => false,
        },
        Expr::User(u) => st.meta.uid == *u,
        Expr::Newer(t) => st.meta.mtime > *t,
        Expr::Perm(mode, how) => {
            let have = st.meta.mode & 0o7777;
            match how {
                '-' => have & mode == *mode,
                // `/0` (and the old `+0`) match every file.
                '/' | '+' => *mode == 0 || have & mode != 0,
                _ => have == *mode,
            }
        }
        // Root may search every directory, and run a file with any execute bit.
        Expr::Executable => st.is_dir() || st.meta.mode & 0o111 != 0,
        Expr::True => true,
        Expr::Delete => {
            let r = if st.is_dir() {
                sh.fs.remove_dir(abs)
            } else {
                sh.fs.remove_file(abs)
            };
            if let Err(e) = r {
                sh.err(format!("find: cannot delete '{shown}': {}\n", e.kind))?;
                w.status = 1;
                false
            } else {
                true
            }
        }
        Expr::Print(end) => {
            sh.out(format!("{shown}{end}"))?;
            true
        }
        Expr::Exec(cmd, plus) => {
            if *plus {
                match w.batch.iter_mut().find(|(c, _)| c == cmd) {
                    Some((_, files)) => files.push(shown.to_string()),
                    None => w.batch.push((cmd.clone(), vec![shown.to_string()])),
                }
                true
            } else {
                let argv: Vec<String> = cmd.iter().map(|a| a.replace("{}", shown)).collect();
                run(sh, &argv)? == 0
            }
        }
    })
}

fn run(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    sh.step()?;
    let Some(first) = argv.first() else {
        return Ok(0);
    };
    match sh.find_program(first) {
        Some(path) => sh.run_program(&path, argv),
        None => {
            sh.err(format!("find: '{first}': No such file or directory\n"))?;
            Ok(1)
        }
    }
}

/// Runs `find`.
pub fn find(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let args = &argv[1..];
    let split = args
        .iter()
        .position(|a| a.starts_with('-') && a.len() > 1 || a == "(" || a == "!")
        .unwrap_or(args.len());
    let mut starts: Vec<String> = args[..split].to_vec();
    if starts.is_empty() {
        starts.push(".".to_string());
    }
    let mut mtimes = BTreeMap::new();
    for pair in args[split..].windows(2).filter(|w| w[0] == "-newer") {
        let t = sh.fs.lstat(&sh.abs(&pair[1])).ok().map(|s| s.meta.mtime);
        mtimes.insert(pair[1].clone(), t);
    }
    let fs_snapshot = sh.fs.clone();
    let uid_of = move |u: &str| super::super::users::lookup_uid(&fs_snapshot, u);
    let mut p = Parser {
        args: &args[split..],
        pos: 0,
        maxdepth: usize::MAX,
        mindepth: 0,
        has_action: false,
        depth_first: false,
        uid_of: &uid_of,
        mtimes: &mtimes,
    };
    let parsed = if p.args.is_empty() {
        Ok(Expr::True)
    } else {
        p.or()
    };
    let mut expr = match parsed {
        Ok(e) if p.pos == p.args.len() => e,
        Ok(_) => {
            sh.err(format!(
                "find: paths must precede expression: `{}'\n",
                p.args[p.pos]
            ))?;
            return Ok(1);
        }
        Err(msg) => {
            sh.err(format!("find: {msg}\n"))?;
            return Ok(1);
        }
    };
    if !p.has_action {
        expr = Expr::And(Box::new(expr), Box::new(Expr::Print('\n')));
    }
    let (maxdepth, mindepth, depth_first) = (p.maxdepth, p.mindepth, p.depth_first);
    let mut w = Walk {
        batch: Vec::new(),
        status: 0,
    };
    for start in &starts {
        let abs = sh.abs(start);
        let Ok(st) = sh.fs.stat(&abs) else {
            sh.err(format!("find: '{start}': No such file or directory\n"))?;
            w.status = 1;
            continue;
        };
        let mut nodes: Vec<(String, String, usize)> = vec![(start.clone(), abs.clone(), 0)];
        if st.is_dir() {
            let root_rel = sh.fs.canonicalize(&abs).unwrap_or(abs.clone());
            let root_rel = root_rel.trim_start_matches('/').to_string();
            let entries = sh.fs.walk(&abs).unwrap_or_default();
            sh.charge_entries(entries.len())?;
            for e in entries {
                let rel = if root_rel.is_empty() {
                    e.path.as_str()
                } else {
                    e.path
                        .strip_prefix(&root_rel)
                        .unwrap_or(&e.path)
                        .trim_start_matches('/')
                };
                let depth = rel.split('/').count();
                let shown = if start.ends_with('/') {
                    format!("{start}{rel}")
                } else {
                    format!("{start}/{rel}")
                };
                nodes.push((shown, format!("/{}", e.path), depth));
            }
        }
        if depth_first {
            // Children before their directory: reverse pre-order keeps that property.
            nodes.reverse();
        }
        for (shown, node_abs, depth) in nodes {
            if depth > maxdepth || depth < mindepth {
                continue;
            }
            sh.step()?;
            let Ok(st) = sh.fs.lstat(&node_abs) else {
                continue;
            };
            eval(sh, &expr, &shown, &node_abs, &st, &mut w)?;
        }
    }
    for (cmd, files) in std::mem::take(&mut w.batch) {
        let argv: Vec<String> = cmd.into_iter().chain(files).collect();
        if run(sh, &argv)? != 0 {
            w.status = 1;
        }
    }
    Ok(w.status)
}
