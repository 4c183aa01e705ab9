//! `sed`: the subset Dockerfiles use: `s///` with `g`, `p`, `N`, `I` flags, `d`, `p`,
//! `q`, `a`/`i`/`c` text, `y`, `=`, line-number, `$` and `/regex/` addresses and
//! ranges, `!`, with `-n`, `-e`, `-f`, `-i[SUFFIX]`, `-E`/`-r`.

use super::super::exec::{Exec, Shell};
use super::super::posix_regex::{self, Regex};

#[derive(Clone)]
enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

#[derive(Clone)]
enum Cmd {
    Subst {
        re: Regex,
        repl: Vec<Repl>,
        global: bool,
        nth: usize,
        print: bool,
    },
    Delete,
    Print,
    Quit(bool),
    Append(String),
    Insert(String),
    Change(String),
    LineNumber,
    Translate(Vec<char>, Vec<char>),
}

#[derive(Clone)]
enum Repl {
    Text(Vec<u8>),
    Group(usize),
}

#[derive(Clone)]
struct Command {
    a1: Option<Addr>,
    a2: Option<Addr>,
    negate: bool,
    cmd: Cmd,
    active: bool,
}

/// Runs `sed`.
pub fn sed(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut quiet = false;
    let mut in_place: Option<String> = None;
    let mut extended = false;
    let mut scripts: Vec<String> = Vec::new();
    let mut files = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        match a.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-e" | "--expression" => {
                scripts.push(argv.get(i).cloned().unwrap_or_default());
                i += 1;
            }
            s if s == "--in-place" || s.starts_with("--in-place=") => {
                in_place = Some(
                    s.split_once('=')
                        .map(|(_, v)| v.to_string())
                        .unwrap_or_default(),
                )
            }
            "--posix" | "--separate" | "--unbuffered" | "--null-data" => {}
            // A cluster of short options, as GNU sed reads it: `-ri`, `-ne 'p'`,
            // `-i.bak`; `i` takes the rest as its suffix, `e` and `f` take the
            // rest or the next argument.
            s if s.starts_with('-') && !s.starts_with("--") && s.len() > 1 => {
                let letters: Vec<char> = s[1..].chars().collect();
                for (k, c) in letters.iter().enumerate() {
                    let rest: String = letters[k + 1..].iter().collect();
                    match c {
                        'n' => quiet = true,
                        'E' | 'r' => extended = true,
                        's' | 'u' | 'z' => {}
                        'i' => {
                            in_place = Some(rest);
                            break;
                        }
                        'e' | 'f' => {
                            let value = if rest.is_empty() {
                                i += 1;
                                argv.get(i - 1).cloned().unwrap_or_default()
                            } else {
                                rest
                            };
                            if *c == 'e' {
                                scripts.push(value);
                            } else {
                                match sh.fs.read_file(&sh.abs(&value)) {
                                    Ok(b) => scripts
                                        .push(String::from_utf8_lossy(&b.bytes()).into_owned()),
                                    Err(_) => {
                                        sh.err(format!(
                                            "sed: couldn't open file {value}: No such file or directory\n"
                                        ))?;
                                        return Ok(1);
                                    }
                                }
                            }
                            break;
                        }
                        other => {
                            sh.err(format!("sed: invalid option -- '{other}'\n"))?;
                            return Ok(1);
                        }
                    }
                }
            }
            _ => files.push(a.clone()),
        }
    }
    if scripts.is_empty() {
        if files.is_empty() {
            sh.err("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n")?;
            return Ok(1);
        }
        scripts.push(files.remove(0));
    }
    let mut program = Vec::new();
    for (n, s) in scripts.iter().enumerate() {
        match parse(s, extended) {
            Ok(cmds) => program.extend(cmds),
            Err((pos, msg)) => {
                sh.err(format!(
                    "sed: -e expression #{}, char {pos}: {msg}\n",
                    n + 1
                ))?;
                return Ok(1);
            }
        }
    }
    if let Some(suffix) = in_place {
        if files.is_empty() {
            sh.err("sed: no input files\n")?;
            return Ok(1);
        }
        let mut status = 0;
        for file in &files {
            let path = sh.abs(file);
            let data = match sh.fs.read_file(&path) {
                Ok(b) => b.bytes().into_owned(),
                Err(e) => {
                    sh.err(format!("sed: can't read {file}: {}\n", e.kind))?;
                    status = 2;
                    continue;
                }
            };
            sh.step()?;
            let mut prog = program.clone();
            let (out, _) = execute(&mut prog, &data, quiet);
            if !suffix.is_empty() {
                let backup = format!("{path}{suffix}");
                let _ = sh.write_file(&backup, data.clone());
            }
            if let Err(e) = sh.write_file(&path, out) {
                sh.err(format!("sed: couldn't edit {file}: {}\n", e.kind))?;
                status = 4;
            }
        }
        return Ok(status);
    }
    let (inputs, status) = super::read_inputs(sh, "sed", &files)?;
    let data = inputs.concat();
    let (out, _) = execute(&mut program, &data, quiet);
    sh.out(out)?;
    Ok(status)
}

fn execute(program: &mut [Command], data: &[u8], quiet: bool) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    let lines: Vec<&[u8]> = if data.is_empty() {
        Vec::new()
    } else {
        body.split(|b| *b == b'\n').collect()
    };
    let total = lines.len();
    for (idx, line) in lines.into_iter().enumerate() {
        let n = idx + 1;
        let last = n == total;
        let mut space = line.to_vec();
        let mut append: Vec<u8> = Vec::new();
        let mut deleted = false;
        let mut quit = None;
        for c in program.iter_mut() {
            if !selects(c, n, last, &space) {
                continue;
            }
            match &c.cmd {
                Cmd::Subst {
                    re,
                    repl,
                    global,
                    nth,
                    print,
                } => {
                    if let Some(new) = substitute(re, repl, *global, *nth, &space) {
                        space = new;
                        if *print {
                            out.extend_from_slice(&space);
                            out.push(b'\n');
                        }
                    }
                }
                Cmd::Delete => {
                    deleted = true;
                    break;
                }
                Cmd::Print => {
                    out.extend_from_slice(&space);
                    out.push(b'\n');
                }
                Cmd::Quit(print) => {
                    quit = Some(*print);
                    break;
                }
                Cmd::Append(t) => {
                    append.extend_from_slice(t.as_bytes());
                    append.push(b'\n');
                }
                Cmd::Insert(t) => {
                    out.extend_from_slice(t.as_bytes());
                    out.push(b'\n');
                }
                Cmd::Change(t) => {
                    out.extend_from_slice(t.as_bytes());
                    out.push(b'\n');
                    deleted = true;
                    break;
                }
                Cmd::LineNumber => out.extend(format!("{n}\n").into_bytes()),
                Cmd::Translate(from, to) => {
                    let text = String::from_utf8_lossy(&space).into_owned();
                    space = text
                        .chars()
                        .map(|ch| from.iter().position(|f| *f == ch).map_or(ch, |i| to[i]))
                        .collect::<String>()
                        .into_bytes();
                }
            }
        }
        let autoprint = !quiet && !deleted && quit != Some(false);
        if autoprint {
            out.extend_from_slice(&space);
            if !last || data.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
        out.extend(append);
        if quit.is_some() {
            return (out, true);
        }
    }
    (out, false)
}

fn addr_matches(a: &Addr, n: usize, last: bool, space: &[u8]) -> bool {
    match a {
        Addr::Line(l) => *l == n,
        Addr::Last => last,
        Addr::Re(re) => re.is_match(space),
    }
}

fn selects(c: &mut Command, n: usize, last: bool, space: &[u8]) -> bool {
    let hit = match (&c.a1, &c.a2) {
        (None, _) => true,
        (Some(a), None) => addr_matches(a, n, last, space),
        (Some(a1), Some(a2)) => {
            if c.active {
                let end = match a2 {
                    Addr::Line(l) => n >= *l,
                    other => addr_matches(other, n, last, space),
                };
                if end {
                    c.active = false;
                }
                true
            } else if addr_matches(a1, n, last, space) {
                c.active = match a2 {
                    Addr::Line(l) => *l > n,
                    _ => true,
                };
                true
            } else {
                false
            }
        }
    };
    hit != c.negate
}

fn substitute(
    re: &Regex,
    repl: &[Repl],
    global: bool,
    nth: usize,
    space: &[u8],
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut last = 0;
    let mut count = 0;
    let mut changed = false;
    for caps in re.captures_iter(space) {
        let Some((start, end)) = caps.get(0) else {
            continue;
        };
        count += 1;
        if count < nth {
            continue;
        }
        out.extend_from_slice(&space[last..start]);
        for r in repl {
            match r {
                Repl::Text(t) => out.extend_from_slice(t),
                Repl::Group(g) => {
                    if let Some((s, e)) = caps.get(*g) {
                        out.extend_from_slice(&space[s..e]);
                    }
                }
            }
        }
        last = end;
        changed = true;
        if !global {
            break;
        }
    }
    if !changed {
        return None;
    }
    out.extend_from_slice(&space[last..]);
    Some(out)
}

type ParseResult<T> = Result<T, (usize, String)>;

fn parse(script: &str, extended: bool) -> ParseResult<Vec<Command>> {
    let c: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut cmds = Vec::new();
    loop {
        while i < c.len() && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= c.len() {
            return Ok(cmds);
        }
        if c[i] == '#' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let a1 = address(&c, &mut i, extended)?;
        let mut a2 = None;
        if a1.is_some() && c.get(i) == Some(&',') {
            i += 1;
            a2 = Some(address(&c, &mut i, extended)?.ok_or((i + 1, "unexpected `,'".to_string()))?);
        }
        while c.get(i) == Some(&' ') {
            i += 1;
        }
        let mut negate = false;
        if c.get(i) == Some(&'!') {
            negate = true;
            i += 1;
        }
        let Some(&name) = c.get(i) else {
            return Err((i, "missing command".to_string()));
        };
        i += 1;
        let cmd = match name {
            's' => subst(&c, &mut i, extended)?,
            'd' => Cmd::Delete,
            'p' => Cmd::Print,
            'q' => Cmd::Quit(true),
            'Q' => Cmd::Quit(false),
            '=' => Cmd::LineNumber,
            'a' | 'i' | 'c' => {
                if c.get(i) == Some(&'\\') {
                    i += 1;
                }
                while c.get(i).is_some_and(|ch| *ch == ' ' || *ch == '\n') {
                    i += 1;
                }
                let start = i;
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
                let text: String = c[start..i].iter().collect();
                match name {
                    'a' => Cmd::Append(text),
                    'i' => Cmd::Insert(text),
                    _ => Cmd::Change(text),
                }
            }
            'y' => {
                let delim = *c
                    .get(i)
                    .ok_or((i, "unterminated `y' command".to_string()))?;
                i += 1;
                let from = delimited(&c, &mut i, delim)
                    .ok_or((i, "unterminated `y' command".to_string()))?;
                let to = delimited(&c, &mut i, delim)
                    .ok_or((i, "unterminated `y' command".to_string()))?;
                let (from, to): (Vec<char>, Vec<char>) =
                    (from.chars().collect(), to.chars().collect());
                if from.len() != to.len() {
                    return Err((
                        i,
                        "strings for `y' command are different lengths".to_string(),
                    ));
                }
                Cmd::Translate(from, to)
            }
            other => return Err((i, format!("unknown command: `{other}'"))),
        };
        cmds.push(Command {
            a1,
            a2,
            negate,
            cmd,
            active: false,
        });
    }
}

fn address(c: &[char], i: &mut usize, extended: bool) -> ParseResult<Option<Addr>> {
    match c.get(*i) {
        Some(d) if d.is_ascii_digit() => {
            let start = *i;
            while c.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            let s: String = c[start..*i].iter().collect();
            Ok(Some(Addr::Line(
                s.parse()
                    .map_err(|_| (*i, "invalid line number".to_string()))?,
            )))
        }
        Some('$') => {
            *i += 1;
            Ok(Some(Addr::Last))
        }
        Some('/') | Some('\\') => {
            let delim = if c[*i] == '\\' {
                *i += 1;
                *c.get(*i).ok_or((*i, "unexpected end".to_string()))?
            } else {
                '/'
            };
            *i += 1;
            let re =
                delimited(c, i, delim).ok_or((*i, "unterminated address regex".to_string()))?;
            let icase = c.get(*i) == Some(&'I');
            if icase {
                *i += 1;
            }
            let re = posix_regex::compile(&re, extended, icase).map_err(|m| (*i, m))?;
            Ok(Some(Addr::Re(re)))
        }
        _ => Ok(None),
    }
}

/// Text up to an unescaped `delim` (consumed); `\delim` becomes `delim`.
fn delimited(c: &[char], i: &mut usize, delim: char) -> Option<String> {
    let mut s = String::new();
    while *i < c.len() {
        let ch = c[*i];
        *i += 1;
        if ch == '\\' && *i < c.len() {
            let n = c[*i];
            *i += 1;
            if n == delim {
                s.push(n);
            } else if n == 'n' {
                s.push_str("\\n");
            } else {
                s.push('\\');
                s.push(n);
            }
        } else if ch == delim {
            return Some(s);
        } else {
            s.push(ch);
        }
    }
    None
}

fn subst(c: &[char], i: &mut usize, extended: bool) -> ParseResult<Cmd> {
    let delim = *c
        .get(*i)
        .ok_or((*i, "unterminated `s' command".to_string()))?;
    *i += 1;
    let pattern = delimited(c, i, delim).ok_or((*i, "unterminated `s' command".to_string()))?;
    let replacement = delimited(c, i, delim).ok_or((*i, "unterminated `s' command".to_string()))?;
    let (mut global, mut nth, mut print, mut icase) = (false, 1, false, false);
    while let Some(&f) = c.get(*i) {
        match f {
            'g' => global = true,
            'p' => print = true,
            'I' | 'i' => icase = true,
            d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1).max(1) as usize,
            _ => break,
        }
        *i += 1;
    }
    let re = posix_regex::compile(&pattern, extended, icase).map_err(|m| (*i, m))?;
    let mut repl = Vec::new();
    let mut text = Vec::new();
    let r: Vec<char> = replacement.chars().collect();
    let mut k = 0;
    while k < r.len() {
        let ch = r[k];
        k += 1;
        match ch {
            '&' => {
                repl.push(Repl::Text(std::mem::take(&mut text)));
                repl.push(Repl::Group(0));
            }
            '\\' if k < r.len() => {
                let n = r[k];
                k += 1;
                match n {
                    d if d.is_ascii_digit() => {
                        repl.push(Repl::Text(std::mem::take(&mut text)));
                        repl.push(Repl::Group(d.to_digit(10).unwrap_or(0) as usize));
                    }
                    'n' => text.push(b'\n'),
                    't' => text.push(b'\t'),
                    other => {
                        let mut buf = [0u8; 4];
                        text.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
                    }
                }
            }
            other => {
                let mut buf = [0u8; 4];
                text.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    repl.push(Repl::Text(text));
    Ok(Cmd::Subst {
        re,
        repl,
        global,
        nth,
        print,
    })
}
