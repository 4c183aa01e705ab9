//! Text programs: echo, printf, cat, tee, wc, head, tail, sort, uniq, cut, tr, grep,
//! sed, yes, seq, envsubst, with their common flags and GNU's messages.

use super::super::exec::{Exec, Shell};
use super::super::posix_regex;
use super::{flags, read_inputs};

/// `echo`: `dash` is dash's builtin (escapes always, only `-n`); otherwise GNU/bash
/// (`-n`, `-e`, `-E`, escapes only with `-e`).
pub fn echo(sh: &mut Shell<'_>, argv: &[String], dash: bool) -> Exec {
    let mut args = &argv[1..];
    let mut newline = true;
    let mut escapes = dash;
    while let Some(first) = args.first() {
        let Some(f) = first.strip_prefix('-') else {
            break;
        };
        let valid = !f.is_empty()
            && f.chars()
                .all(|c| if dash { c == 'n' } else { "neE".contains(c) });
        if !valid {
            break;
        }
        for c in f.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        args = &args[1..];
    }
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            let (bytes, stop) = unescape(a, true);
            out.extend(bytes);
            if stop {
                return sh.out(out).map(|_| 0);
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    sh.out(out)?;
    Ok(0)
}

/// Interprets backslash escapes (`\n`, `\t`, `\0NNN`/`\NNN`, `\c` stops output).
/// `zero_octal` selects echo's `\0NNN` form over printf's `\NNN`.
fn unescape(s: &str, zero_octal: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'e' => out.push(27),
            b'\\' => out.push(b'\\'),
            b'c' => return (out, true),
            b'0'..=b'7' => {
                let mut v: u32 = if zero_octal && c == b'0' {
                    0
                } else {
                    u32::from(c - b'0')
                };
                let max = if zero_octal && c == b'0' { 3 } else { 2 };
                let mut n = 0;
                while n < max && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `printf FORMAT [ARG]...`: `%s %d %i %u %x %X %o %c %b %%` with flags, width and
/// precision; the format is reused while arguments remain.
pub fn printf(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let Some(format) = argv.get(1) else {
        sh.err("printf: usage: printf format [arg ...]\n")?;
        return Ok(2);
    };
    let args = &argv[2..];
    let mut used = 0;
    let mut out = Vec::new();
    let mut status = 0;
    loop {
        let start = used;
        let (stop, consumed) =
            format_once(format, &args[used.min(args.len())..], &mut out, &mut status);
        used += consumed;
        if stop || used >= args.len() || used == start {
            break;
        }
    }
    sh.out(out)?;
    if status != 0 {
        sh.err("printf: invalid number\n")?;
    }
    Ok(status)
}

fn format_once(
    format: &str,
    args: &[String],
    out: &mut Vec<u8>,
    status: &mut i32,
) -> (bool, usize) {
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    let mut k = 0;
    let mut next = || {
        let a = args.get(k).cloned();
        k += 1;
        a
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let mut j = i + 1;
            let mut s = String::from("\\");
            if j < chars.len() {
                s.push(chars[j]);
                j += 1;
                if chars[j - 1].is_digit(8) {
                    while j < chars.len() && j < i + 4 && chars[j].is_digit(8) {
                        s.push(chars[j]);
                        j += 1;
                    }
                }
            }
            let (bytes, stop) = unescape(&s, false);
            out.extend(bytes);
            if stop {
                return (true, k);
            }
            i = j;
            continue;
        }
        if c != '%' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            i += 1;
            continue;
        }
        i += 1;
        let mut spec = String::new();
        while i < chars.len() && "-+ #0123456789.".contains(chars[i]) {
            spec.push(chars[i]);
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.push(b'%');
            out.extend_from_slice(spec.as_bytes());
            break;
        };
        i += 1;
        let left = spec.contains('-');
        let zero = spec.contains('0') && !left && !spec.starts_with('.');
        let spec_nums = spec.trim_start_matches(['-', '+', ' ', '#', '0']);
        let (w, p) = match spec_nums.split_once('.') {
            Some((w, p)) => (w, Some(p.parse::<usize>().unwrap_or(0))),
            None => (spec_nums, None),
        };
        let width = w.parse::<usize>().unwrap_or(0).min(4096);
        let body: Vec<u8> = match conv {
            '%' => b"%".to_vec(),
            's' => {
                let mut s = next().unwrap_or_default();
                if let Some(p) = p {
                    s = s.chars().take(p).collect();
                }
                s.into_bytes()
            }
            'b' => {
                let (bytes, stop) = unescape(&next().unwrap_or_default(), true);
                if stop {
                    out.extend(bytes);
                    return (true, k);
                }
                bytes
            }
            'c' => next()
                .unwrap_or_default()
                .chars()
                .next()
                .map(|c| c.to_string().into_bytes())
                .unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let a = next().unwrap_or_default();
                let n = parse_int(&a).unwrap_or_else(|| {
                    *status = 1;
                    0
                });
                let s = match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ if spec.contains('+') && n >= 0 => format!("+{n}"),
                    _ => n.to_string(),
                };
                s.into_bytes()
            }
            other => format!("%{spec}{other}").into_bytes(),
        };
        let pad = width.saturating_sub(body.len());
        if left {
            out.extend(&body);
            out.extend(std::iter::repeat_n(b' ', pad));
        } else {
            let fill = if zero && conv != 's' { b'0' } else { b' ' };
            if fill == b'0' && body.first() == Some(&b'-') {
                out.push(b'-');
                out.extend(std::iter::repeat_n(b'0', pad));
                out.extend(&body[1..]);
            } else {
                out.extend(std::iter::repeat_n(fill, pad));
                out.extend(&body);
            }
        }
    }
    (false, k)
}

/// A printf integer argument: decimal, `0x`, leading-0 octal, or `'c` for a code point.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Some(c.chars().next().map_or(0, |c| c as i64));
    }
    let (neg, d) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if d.len() > 1 && d.starts_with('0') {
        i64::from_str_radix(&d[1..], 8).ok()?
    } else {
        d.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

/// `cat [-n] [FILE]...`.
pub fn cat(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let (inputs, status) = read_inputs(sh, "cat", &f.operands)?;
    let number = f.has('n');
    let mut line_no = 0;
    for data in inputs {
        if number {
            let mut out = Vec::new();
            for line in data.split_inclusive(|b| *b == b'\n') {
                line_no += 1;
                out.extend(format!("{line_no:>6}\t").into_bytes());
                out.extend_from_slice(line);
            }
            sh.out(out)?;
        } else {
            sh.out(data)?;
        }
    }
    Ok(status)
}

/// `tee [-a] [FILE]...`: stdin to stdout and to each file.
pub fn tee(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let data = sh.read_stdin();
    let mut status = 0;
    for file in &f.operands {
        let path = sh.abs(file);
        let mut content = Vec::new();
        if f.has('a') {
            if let Ok(b) = sh.fs.read_file(&path) {
                content.extend_from_slice(&b.bytes());
            }
        }
        content.extend_from_slice(&data);
        sh.charge(content.len())?;
        if let Err(e) = sh.write_file(&path, content) {
            sh.err(format!("tee: {file}: {}\n", e.kind))?;
            status = 1;
        }
    }
    sh.out(data)?;
    Ok(status)
}

/// `wc [-l] [-w] [-c] [FILE]...`.
pub fn wc(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let mut which: Vec<char> = ['l', 'w', 'c']
        .into_iter()
        .filter(|c| f.has(*c) || (*c == 'c' && f.has('m')))
        .collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let count = |d: &[u8]| -> Vec<usize> {
        which
            .iter()
            .map(|c| match c {
                'l' => d.iter().filter(|b| **b == b'\n').count(),
                'w' => d
                    .split(|b| b.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                    .count(),
                _ => d.len(),
            })
            .collect()
    };
    if f.operands.is_empty() {
        let data = sh.read_stdin();
        let counts = count(&data);
        let text = if counts.len() == 1 {
            format!("{}\n", counts[0])
        } else {
            let cells: Vec<String> = counts.iter().map(|n| format!("{n:>7}")).collect();
            format!("{}\n", cells.join(" "))
        };
        sh.out(text)?;
        return Ok(0);
    }
    let mut status = 0;
    let mut total = vec![0; which.len()];
    let mut rows = Vec::new();
    for file in &f.operands {
        match sh.fs.read_file(&sh.abs(file)) {
            Ok(b) => {
                let c = count(&b.bytes());
                for (t, n) in total.iter_mut().zip(&c) {
                    *t += n;
                }
                rows.push((c, file.clone()));
            }
            Err(e) => {
                sh.err(format!("wc: {file}: {}\n", e.kind))?;
                status = 1;
            }
        }
    }
    if rows.len() > 1 {
        rows.push((total, "total".to_string()));
    }
    let width = rows
        .iter()
        .flat_map(|(c, _)| c.iter())
        .map(|n| n.to_string().len())
        .max()
        .unwrap_or(1);
    for (c, name) in rows {
        let cells: Vec<String> = c.iter().map(|n| format!("{n:>width$}")).collect();
        sh.out(format!("{} {name}\n", cells.join(" ")))?;
    }
    Ok(status)
}

/// The count of `-n N`, `-N` or `-c N` for head and tail: (lines?, count, from-start).
fn head_tail_count(f: &super::Flags) -> Result<(bool, i64, bool), String> {
    let (lines, raw) = match (f.value('c'), f.value('n')) {
        (Some(c), _) => (false, c.to_string()),
        (None, Some(n)) => (true, n.to_string()),
        (None, None) => (true, f.number.clone().unwrap_or_else(|| "10".to_string())),
    };
    let from_start = raw.starts_with('+');
    let digits = raw.trim_start_matches(['+', '-']);
    let n: i64 = digits.parse().map_err(|_| {
        format!(
            "invalid number of {}: '{raw}'",
            if lines { "lines" } else { "bytes" }
        )
    })?;
    Ok((lines, if raw.starts_with('-') { -n } else { n }, from_start))
}

/// `head [-n N] [-c N] [FILE]...`.
pub fn head(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    head_or_tail(sh, argv, true)
}

/// `tail [-n [+]N] [-c N] [FILE]...`.
pub fn tail(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    head_or_tail(sh, argv, false)
}

fn head_or_tail(sh: &mut Shell<'_>, argv: &[String], head: bool) -> Exec {
    let name = if head { "head" } else { "tail" };
    let f = flags(argv, "nc");
    let (lines, n, from_start) = match head_tail_count(&f) {
        Ok(v) => v,
        Err(msg) => {
            sh.err(format!("{name}: {msg}\n"))?;
            return Ok(1);
        }
    };
    let (inputs, status) = read_inputs(sh, name, &f.operands)?;
    for data in inputs {
        let pieces: Vec<&[u8]> = if lines {
            data.split_inclusive(|b| *b == b'\n').collect()
        } else {
            data.chunks(1).collect()
        };
        let len = pieces.len() as i64;
        let (from, to) = match (head, from_start) {
            (true, _) if n >= 0 => (0, n.min(len)),
            (true, _) => (0, (len + n).max(0)),
            (false, true) => ((n - 1).clamp(0, len), len),
            (false, false) => ((len - n.abs()).max(0), len),
        };
        let out: Vec<u8> = pieces[from as usize..to as usize].concat();
        sh.out(out)?;
    }
    Ok(status)
}

/// `sort [-r] [-n] [-u] [FILE]...`.
pub fn sort(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "tko");
    let (inputs, status) = read_inputs(sh, "sort", &f.operands)?;
    let data = inputs.concat();
    let text = String::from_utf8_lossy(&data);
    let mut lines: Vec<&str> = text.lines().collect();
    if f.has('n') {
        let num = |s: &str| -> f64 {
            let t = s.trim_start();
            let end = t
                .char_indices()
                .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
                .map_or(t.len(), |(i, _)| i);
            t[..end].parse().unwrap_or(0.0)
        };
        crate::sort::sort_by(&mut lines, |a, b| num(a).total_cmp(&num(b)).then(a.cmp(b)));
    } else {
        crate::sort::sort(&mut lines);
    }
    if f.has('r') {
        lines.reverse();
    }
    if f.has('u') {
        lines.dedup();
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    match f.value('o') {
        Some(file) => {
            let file = file.to_string();
            if let Err(e) = sh.write_file(&file, out) {
                sh.err(format!("sort: cannot create {file}: {}\n", e.kind))?;
                return Ok(2);
            }
        }
        None => sh.out(out)?,
    }
    Ok(status)
}

/// `uniq [-c] [-d] [-u]`.
pub fn uniq(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let (inputs, status) = read_inputs(sh, "uniq", &f.operands[..f.operands.len().min(1)])?;
    let data = inputs.concat();
    let text = String::from_utf8_lossy(&data);
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for line in text.lines() {
        match groups.last_mut() {
            Some((l, n)) if *l == line => *n += 1,
            _ => groups.push((line, 1)),
        }
    }
    let mut out = String::new();
    for (line, n) in groups {
        if (f.has('d') && n < 2) || (f.has('u') && n > 1) {
            continue;
        }
        if f.has('c') {
            out.push_str(&format!("{n:>7} "));
        }
        out.push_str(line);
        out.push('\n');
    }
    sh.out(out)?;
    Ok(status)
}

/// Parses `1,3-5,7-` field lists for cut.
fn ranges(spec: &str) -> Option<Vec<(usize, usize)>> {
    spec.split(',')
        .map(|r| {
            let (a, b) = match r.split_once('-') {
                Some((a, b)) => (
                    if a.is_empty() { 1 } else { a.parse().ok()? },
                    if b.is_empty() {
                        usize::MAX
                    } else {
                        b.parse().ok()?
                    },
                ),
                None => {
                    let n = r.parse().ok()?;
                    (n, n)
                }
            };
            (a >= 1 && a <= b).then_some((a, b))
        })
        .collect()
}

/// `cut -d DELIM -f LIST` or `cut -c LIST`.
pub fn cut(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "dfcb");
    let (spec, by_char) = match (f.value('f'), f.value('c').or(f.value('b'))) {
        (Some(s), _) => (s.to_string(), false),
        (None, Some(s)) => (s.to_string(), true),
        _ => {
            sh.err("cut: you must specify a list of bytes, characters, or fields\n")?;
            return Ok(1);
        }
    };
    let Some(list) = ranges(&spec) else {
        sh.err(format!("cut: invalid field value '{spec}'\n"))?;
        return Ok(1);
    };
    let delim = f.value('d').unwrap_or("\t").chars().next().unwrap_or('\t');
    let (inputs, status) = read_inputs(sh, "cut", &f.operands)?;
    let data = inputs.concat();
    let text = String::from_utf8_lossy(&data);
    let mut out = String::new();
    let pick = |i: usize| list.iter().any(|(a, b)| *a <= i && i <= *b);
    for line in text.lines() {
        if by_char {
            out.extend(
                line.chars()
                    .enumerate()
                    .filter(|(i, _)| pick(i + 1))
                    .map(|(_, c)| c),
            );
        } else if !line.contains(delim) {
            if !f.has('s') {
                out.push_str(line);
            } else {
                continue;
            }
        } else {
            let fields: Vec<&str> = line
                .split(delim)
                .enumerate()
                .filter(|(i, _)| pick(i + 1))
                .map(|(_, s)| s)
                .collect();
            out.push_str(&fields.join(&delim.to_string()));
        }
        out.push('\n');
    }
    sh.out(out)?;
    Ok(status)
}

/// Expands a tr set: ranges `a-z`, classes `[:upper:]`, escapes.
fn tr_set(spec: &str) -> Vec<u8> {
    let (bytes, _) = unescape(spec, false);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let classes = [
        ("[:upper:]", (b'A'..=b'Z').collect::<Vec<u8>>()),
        ("[:lower:]", (b'a'..=b'z').collect()),
        ("[:digit:]", (b'0'..=b'9').collect()),
        ("[:alpha:]", (b'A'..=b'Z').chain(b'a'..=b'z').collect()),
        (
            "[:alnum:]",
            (b'0'..=b'9')
                .chain(b'A'..=b'Z')
                .chain(b'a'..=b'z')
                .collect(),
        ),
        ("[:space:]", b" \t\n\r\x0b\x0c".to_vec()),
        (
            "[:punct:]",
            (33u8..=126).filter(|b| b.is_ascii_punctuation()).collect(),
        ),
    ];
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < b.len() {
        for (name, set) in &classes {
            if b[i..].starts_with(name.as_bytes()) {
                out.extend(set);
                i += name.len();
                continue 'outer;
            }
        }
        if i + 2 < b.len() && b[i + 1] == b'-' && b[i] <= b[i + 2] {
            out.extend(b[i]..=b[i + 2]);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// `tr [-d] [-s] SET1 [SET2]`.
pub fn tr(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let data = sh.read_stdin();
    let Some(set1) = f.operands.first().map(|s| tr_set(s)) else {
        sh.err("tr: missing operand\n")?;
        return Ok(1);
    };
    let set2 = f.operands.get(1).map(|s| tr_set(s));
    let mut out: Vec<u8> = Vec::new();
    for &c in &data {
        if f.has('d') {
            if !set1.contains(&c) {
                out.push(c);
            }
            continue;
        }
        let mapped = match (&set2, set1.iter().position(|x| *x == c)) {
            (Some(s2), Some(i)) if !s2.is_empty() => s2[i.min(s2.len() - 1)],
            _ => c,
        };
        let squeeze_set = set2.as_ref().filter(|_| !f.has('d')).unwrap_or(&set1);
        if f.has('s') && out.last() == Some(&mapped) && squeeze_set.contains(&mapped) {
            continue;
        }
        out.push(mapped);
    }
    sh.out(out)?;
    Ok(0)
}

/// `grep [-qvicnlEFwxhro] [-e PATTERN] PATTERN [FILE]...`.
pub fn grep(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = super::super::exec::base_name(&argv[0]);
    let f = flags(argv, "efABCm");
    let mut operands = f.operands.clone();
    let number = |letter: char| -> Result<Option<usize>, String> {
        match f.value(letter) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                let what = if letter == 'm' {
                    "max count"
                } else {
                    "context length"
                };
                format!("grep: {v}: invalid {what} argument\n")
            }),
        }
    };
    let (after, before, max) = match (number('A'), number('B'), number('C'), number('m')) {
        (Ok(a), Ok(b), Ok(c), Ok(m)) => (a.or(c).unwrap_or(0), b.or(c).unwrap_or(0), m),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            sh.err(e)?;
            return Ok(2);
        }
    };
    let mut patterns: Vec<String> = f.values('e').iter().map(|s| s.to_string()).collect();
    if let Some(file) = f.value('f') {
        match sh.fs.read_file(&sh.abs(file)) {
            Ok(b) => patterns.extend(
                String::from_utf8_lossy(&b.bytes())
                    .lines()
                    .map(str::to_string),
            ),
            Err(e) => {
                sh.err(format!("grep: {file}: {}\n", e.kind))?;
                return Ok(2);
            }
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            sh.err("Usage: grep [OPTION]... PATTERNS [FILE]...\n")?;
            return Ok(2);
        }
        patterns.push(operands.remove(0));
    }
    let extended = f.has('E') || called == "egrep";
    let fixed = f.has('F') || called == "fgrep";
    let icase = f.has('i');
    let mut alternatives = Vec::new();
    for p in patterns.iter().flat_map(|p| p.split('\n')) {
        let mut node = if fixed {
            posix_regex::Node::literal(p.as_bytes(), icase)
        } else {
            match posix_regex::parse(p, extended, icase) {
                Ok(n) => n,
                Err(msg) => {
                    sh.err(format!("grep: {msg}\n"))?;
                    return Ok(2);
                }
            }
        };
        if f.has('w') {
            node = node.word();
        }
        if f.has('x') {
            node = node.whole();
        }
        alternatives.push(node);
    }
    let re = match posix_regex::Regex::new(&posix_regex::Node::Alt(alternatives)) {
        Ok(r) => r,
        Err(_) => {
            sh.err("grep: regular expression too big\n")?;
            return Ok(2);
        }
    };
    let mut files = operands.clone();
    if f.has('r') || f.has('R') {
        if files.is_empty() {
            files.push(".".to_string());
        }
        let mut expanded = Vec::new();
        for file in files {
            let base = sh.abs(&file);
            match sh.fs.walk(&base) {
                Ok(entries) if sh.fs.stat(&base).is_ok_and(|s| s.is_dir()) => {
                    sh.charge_entries(entries.len())?;
                    for e in entries {
                        if matches!(e.stat.kind, crate::vfs::Kind::File(_)) {
                            let rel = e
                                .path
                                .strip_prefix(base.trim_start_matches('/'))
                                .unwrap_or(&e.path);
                            expanded.push(format!("{}{rel}", file.trim_end_matches('/')));
                        }
                    }
                }
                _ => expanded.push(file),
            }
        }
        files = expanded;
    }
    let show_names = (files.len() > 1 || f.has('r') || f.has('R')) && !f.has('h');
    let mut any = false;
    let mut status_err = false;
    let mut sources: Vec<(String, Vec<u8>)> = Vec::new();
    if files.is_empty() {
        sources.push(("(standard input)".to_string(), sh.read_stdin()));
    }
    for file in &files {
        if file == "-" {
            sources.push(("(standard input)".to_string(), sh.read_stdin()));
            continue;
        }
        match sh.fs.read_file(&sh.abs(file)) {
            Ok(b) => sources.push((file.clone(), b.bytes().into_owned())),
            Err(e) => {
                if !f.has('s') {
                    sh.err(format!("grep: {file}: {}\n", e.kind))?;
                }
                status_err = true;
            }
        }
    }
    let mut out = Vec::new();
    // Context lines (-A/-B/-C) are marked `-` where matches have `:`, and `--`
    // separates groups that do not touch, across files too, as GNU grep prints them.
    let context =
        (after > 0 || before > 0) && !(f.has('q') || f.has('l') || f.has('c') || f.has('o'));
    let mut printed_group = false;
    for (name, data) in sources {
        let mut count = 0;
        let body = data.strip_suffix(b"\n").unwrap_or(&data);
        let lines: Vec<&[u8]> = if data.is_empty() {
            Vec::new()
        } else {
            body.split(|b| *b == b'\n').collect()
        };
        let mut last_shown: Option<usize> = None;
        let mut after_left = 0;
        for (n, line) in lines.iter().enumerate() {
            let hit = max.is_none_or(|m| count < m) && re.is_match(line) != f.has('v');
            if !hit {
                if context && after_left > 0 {
                    after_left -= 1;
                    context_line(&mut out, show_names.then_some(&name), f.has('n'), n, line);
                    last_shown = Some(n);
                }
                if max.is_some_and(|m| count >= m) && after_left == 0 {
                    break;
                }
                continue;
            }
            count += 1;
            any = true;
            if f.has('q') || f.has('l') || f.has('c') {
                continue;
            }
            if context {
                let first = n
                    .saturating_sub(before)
                    .max(last_shown.map_or(0, |l| l + 1));
                if printed_group && last_shown.is_none_or(|l| first > l + 1) {
                    out.extend_from_slice(b"--\n");
                }
                for (k, earlier) in lines.iter().enumerate().take(n).skip(first) {
                    context_line(
                        &mut out,
                        show_names.then_some(&name),
                        f.has('n'),
                        k,
                        earlier,
                    );
                }
                printed_group = true;
                last_shown = Some(n);
                after_left = after;
            }
            if show_names {
                out.extend_from_slice(name.as_bytes());
                out.push(b':');
            }
            if f.has('n') {
                out.extend(format!("{}:", n + 1).into_bytes());
            }
            if f.has('o') && !f.has('v') {
                for m in re.captures_iter(line) {
                    if let Some((s, e)) = m.get(0) {
                        out.extend_from_slice(&line[s..e]);
                        out.push(b'\n');
                    }
                }
            } else {
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        if f.has('q') && any {
            return Ok(0);
        }
        if f.has('c') {
            if show_names {
                out.extend(format!("{name}:").into_bytes());
            }
            out.extend(format!("{count}\n").into_bytes());
        }
        if f.has('l') && count > 0 {
            out.extend(format!("{name}\n").into_bytes());
        }
    }
    sh.out(out)?;
    Ok(if status_err && !(f.has('q') && any) {
        2
    } else if any {
        0
    } else {
        1
    })
}

/// One context line of `grep -A/-B/-C`: `name-` and `N-` where a match has `:`.
fn context_line(out: &mut Vec<u8>, name: Option<&String>, numbers: bool, n: usize, line: &[u8]) {
    if let Some(name) = name {
        out.extend_from_slice(name.as_bytes());
        out.push(b'-');
    }
    if numbers {
        out.extend(format!("{}-", n + 1).into_bytes());
    }
    out.extend_from_slice(line);
    out.push(b'\n');
}

/// `yes [STRING]`: into a pipe it stops when the 64 KiB pipe buffer is full (as if
/// the reader closed it); anywhere else it runs until the budget stops it.
pub fn yes(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let line = if argv.len() > 1 {
        argv[1..].join(" ")
    } else {
        "y".to_string()
    };
    let line = format!("{line}\n");
    let chunk = line.repeat((8192 / line.len()).max(1));
    let into_pipe = sh.stdout_is_pipe();
    let mut written = 0usize;
    loop {
        sh.step()?;
        sh.out(&chunk)?;
        written += chunk.len();
        if into_pipe && written >= 64 * 1024 {
            return Ok(141);
        }
    }
}

/// `seq [FIRST [INCREMENT]] LAST`.
pub fn seq(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let nums: Vec<Result<i64, &String>> = argv[1..]
        .iter()
        .map(|a| a.parse::<i64>().map_err(|_| a))
        .collect();
    let mut vals = Vec::new();
    for n in nums {
        match n {
            Ok(v) => vals.push(v),
            Err(a) => {
                sh.err(format!("seq: invalid floating point argument: '{a}'\n"))?;
                return Ok(1);
            }
        }
    }
    let (first, step, last) = match vals.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, s, l] => (*f, *s, *l),
        _ => {
            sh.err("seq: missing operand\n")?;
            return Ok(1);
        }
    };
    if step == 0 {
        sh.err("seq: invalid Zero increment value: '0'\n")?;
        return Ok(1);
    }
    let mut i = first;
    let mut out = String::new();
    while (step > 0 && i <= last) || (step < 0 && i >= last) {
        sh.step()?;
        out.push_str(&format!("{i}\n"));
        if out.len() > 64 * 1024 {
            sh.out(std::mem::take(&mut out))?;
        }
        i = match i.checked_add(step) {
            Some(v) => v,
            None => break,
        };
    }
    sh.out(out)?;
    Ok(0)
}

/// `envsubst [-v] [SHELL-FORMAT]`, GNU gettext's: stdin with each `$NAME` and
/// `${NAME}` replaced by the environment's value (empty when unset). With
/// SHELL-FORMAT only the names it references are replaced, so the nginx image's
/// templates keep nginx's own `$host` and `$uri`; `-v` lists those names.
pub fn envsubst(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(argv, "", &[("variables", 'v')]);
    if f.operands.len() > 1 {
        sh.err("envsubst: too many arguments\n")?;
        return Ok(1);
    }
    let only: Option<Vec<&str>> = f.operands.first().map(|format| {
        let format = format.as_bytes();
        (0..format.len())
            .filter_map(|at| variable_reference(format, at).map(|(name, _)| name))
            .collect()
    });
    if f.has('v') {
        let Some(names) = only else {
            sh.err("envsubst: missing arguments\n")?;
            return Ok(1);
        };
        sh.out(names.iter().map(|n| format!("{n}\n")).collect::<String>())?;
        return Ok(0);
    }
    let env = sh.environment();
    let data = sh.read_stdin();
    let mut out = Vec::with_capacity(data.len());
    let mut at = 0;
    while at < data.len() {
        let found = variable_reference(&data, at)
            .filter(|(name, _)| only.as_ref().is_none_or(|names| names.contains(name)));
        match found {
            Some((name, end)) => {
                if let Some((_, value)) = env.iter().find(|(k, _)| k == name) {
                    out.extend_from_slice(value.as_bytes());
                }
                at = end;
            }
            None => {
                out.push(data[at]);
                at += 1;
            }
        }
    }
    sh.out(out)?;
    Ok(0)
}

/// The `$NAME` or `${NAME}` reference starting at `data[at]`: the name and the
/// index just past it (`${NAME` without its brace is no reference).
fn variable_reference(data: &[u8], at: usize) -> Option<(&str, usize)> {
    if data.get(at) != Some(&b'$') {
        return None;
    }
    let braced = data.get(at + 1) == Some(&b'{');
    let start = at + 1 + usize::from(braced);
    if !data
        .get(start)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    let len = data[start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    let name = std::str::from_utf8(&data[start..start + len]).ok()?;
    let end = start + len;
    if !braced {
        return Some((name, end));
    }
    (data.get(end) == Some(&b'}')).then_some((name, end + 1))
}
