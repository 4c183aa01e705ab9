//! Programs about the process and the machine: env, id, whoami, which, sleep, nproc,
//! uname, date, hostname, xargs, sudo. The machine is fixed so output is
//! deterministic: time is the run's `mtime`, the CPU count and kernel are constants.

use super::super::exec::{Exec, Shell};
use super::super::users;
use super::super::NoticeKind;
use super::flags;

/// CPUs `nproc` reports: the 2-core machine BuildKit runs on in our examples.
pub const SIMULATED_CPUS: u32 = 2;
/// The kernel release `uname -r` reports.
pub const KERNEL_RELEASE: &str = "6.1.0-layerlab";
/// Month abbreviations for dates.
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// `(year, month, day, hour, minute, second)` in UTC of a Unix time.
pub fn civil(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        ((secs % 3600) / 60) as u32,
        (secs % 60) as u32,
    )
}

/// Formats a Unix time with `date`'s `%` directives (UTC).
pub fn format_date(t: i64, fmt: &str) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    let wday = DAYS[t.div_euclid(86400).rem_euclid(7) as usize];
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('m') => out.push_str(&format!("{mo:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:>2}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('s') => out.push_str(&t.to_string()),
            Some('F') => out.push_str(&format!("{y}-{mo:02}-{d:02}")),
            Some('T') => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('a') => out.push_str(wday),
            Some('b') | Some('h') => out.push_str(MONTHS[(mo - 1) as usize]),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('N') => out.push_str("000000000"),
            Some('n') => out.push('\n'),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `date [-u] [+FORMAT]`: the run's fixed time (the core has no clock).
pub fn date(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(argv, "d", &[("date", 'd')]);
    let mut t = sh.ctx.mtime;
    if let Some(d) = f.value('d') {
        match d.strip_prefix('@').and_then(|n| n.parse::<i64>().ok()) {
            Some(v) => t = v,
            None => {
                sh.err(format!("date: invalid date '{d}'\n"))?;
                return Ok(1);
            }
        }
    }
    let fmt = f
        .operands
        .iter()
        .find_map(|o| o.strip_prefix('+'))
        .unwrap_or(
            if f.has('R') || f.has_long("rfc-2822") || f.has_long("rfc-email") {
                "%a, %d %b %Y %H:%M:%S +0000"
            } else {
                "%a %b %e %H:%M:%S %Z %Y"
            },
        );
    sh.out(format!("{}\n", format_date(t, fmt)))?;
    Ok(0)
}

/// `env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]`.
pub fn env(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut vars = sh.environment();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a == "-i" || a == "-" || a == "--ignore-environment" {
            vars.clear();
        } else if a == "-u" {
            i += 1;
            if let Some(n) = argv.get(i) {
                vars.retain(|(k, _)| k != n);
            }
        } else if let Some((k, v)) = a.split_once('=') {
            vars.retain(|(n, _)| n != k);
            vars.push((k.to_string(), v.to_string()));
        } else {
            break;
        }
        i += 1;
    }
    if i >= argv.len() {
        let mut out = String::new();
        for (k, v) in &vars {
            out.push_str(&format!("{k}={v}\n"));
        }
        sh.out(out)?;
        return Ok(0);
    }
    let saved = sh.state.vars.clone();
    sh.state.vars.retain(|v| !v.exported);
    for (k, v) in &vars {
        sh.export_var(k, Some(v))?;
    }
    let r = match sh.find_program(&argv[i]) {
        Some(path) => sh.run_program(&path, &argv[i..]),
        None => {
            sh.err(format!("env: '{}': No such file or directory\n", argv[i]))?;
            Ok(127)
        }
    };
    sh.state.vars = saved;
    r
}

/// `sudo [-u USER] [-E] [-H] COMMAND...`: runs the command (the build is root already).
pub fn sudo(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut i = 1;
    while i < argv.len() && argv[i].starts_with('-') {
        if argv[i] == "-u" || argv[i] == "-g" {
            i += 1;
        }
        i += 1;
    }
    let Some(cmd) = argv.get(i) else {
        sh.err("usage: sudo -h | -K | -k | -V\n")?;
        return Ok(1);
    };
    match sh.find_program(cmd) {
        Some(path) => sh.run_program(&path, &argv[i..]),
        None => {
            sh.err(format!("sudo: {cmd}: command not found\n"))?;
            Ok(1)
        }
    }
}

/// `id [-u|-g|-G] [-n] [USER]`.
pub fn id(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let (uid, gid) = match f.operands.first() {
        Some(u) => match users::passwd_entry(sh.fs, u) {
            Some(e) => (e.uid, e.gid),
            None => {
                sh.err(format!("id: '{u}': no such user\n"))?;
                return Ok(1);
            }
        },
        None => (sh.ctx.uid, sh.ctx.gid),
    };
    let uname = users::user_name(sh.fs, uid);
    let gname = users::group_name(sh.fs, gid);
    let mut extra: Vec<(u32, String)> = Vec::new();
    if let Some(name) = &uname {
        for g in users::groups(sh.fs) {
            if g.gid != gid && g.members.iter().any(|m| m == name) {
                extra.push((g.gid, g.name));
            }
        }
    }
    let show = |id: u32, name: &Option<String>| match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    };
    let text = if f.has('u') {
        if f.has('n') {
            uname.clone().unwrap_or(uid.to_string())
        } else {
            uid.to_string()
        }
    } else if f.has('g') {
        if f.has('n') {
            gname.clone().unwrap_or(gid.to_string())
        } else {
            gid.to_string()
        }
    } else if f.has('G') {
        let mut all = vec![if f.has('n') {
            gname.clone().unwrap_or(gid.to_string())
        } else {
            gid.to_string()
        }];
        all.extend(
            extra
                .iter()
                .map(|(i, n)| if f.has('n') { n.clone() } else { i.to_string() }),
        );
        all.join(" ")
    } else {
        let mut groups = vec![show(gid, &gname)];
        groups.extend(extra.iter().map(|(i, n)| format!("{i}({n})")));
        format!(
            "uid={} gid={} groups={}",
            show(uid, &uname),
            show(gid, &gname),
            groups.join(",")
        )
    };
    sh.out(format!("{text}\n"))?;
    Ok(0)
}

/// `whoami`.
pub fn whoami(sh: &mut Shell<'_>, _argv: &[String]) -> Exec {
    match users::user_name(sh.fs, sh.ctx.uid) {
        Some(n) => {
            sh.out(format!("{n}\n"))?;
            Ok(0)
        }
        None => {
            sh.err(format!(
                "whoami: cannot find name for user ID {}\n",
                sh.ctx.uid
            ))?;
            Ok(1)
        }
    }
}

/// `which [-a] NAME...`: paths on `PATH`, status 1 if any is missing.
pub fn which(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let mut status = 0;
    for name in &f.operands {
        match sh.find_program(name) {
            Some(p) => sh.out(format!("{p}\n"))?,
            None => status = 1,
        }
    }
    Ok(status)
}

/// `sleep N[smhd]...`: returns at once; the notice says how long it would have taken.
pub fn sleep(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut total = 0.0f64;
    for a in &argv[1..] {
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => total += v * mult,
            _ => {
                sh.err(format!("sleep: invalid time interval '{a}'\n"))?;
                return Ok(1);
            }
        }
    }
    if argv.len() < 2 {
        sh.err("sleep: missing operand\n")?;
        return Ok(1);
    }
    sh.notice(
        NoticeKind::Simulated,
        "sleep",
        format!("simulated: sleep {total}s returned at once; the run's clock does not advance"),
    );
    Ok(0)
}

/// `nproc`.
pub fn nproc(sh: &mut Shell<'_>, _argv: &[String]) -> Exec {
    sh.out(format!("{SIMULATED_CPUS}\n"))?;
    Ok(0)
}

/// `uname [-a|-s|-n|-r|-m|-o]`.
pub fn uname(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let host = sh.ctx.hostname.clone();
    let fields = [
        ('s', "Linux".to_string()),
        ('n', host),
        ('r', KERNEL_RELEASE.to_string()),
        ('v', "#1 SMP layerlab".to_string()),
        ('m', "x86_64".to_string()),
        ('o', "GNU/Linux".to_string()),
    ];
    let parts: Vec<String> = fields
        .iter()
        .filter(|(c, _)| f.has('a') || f.has(*c) || (*c == 's' && f.short.is_empty()))
        .map(|(_, v)| v.clone())
        .collect();
    sh.out(format!("{}\n", parts.join(" ")))?;
    Ok(0)
}

/// `hostname`.
pub fn hostname(sh: &mut Shell<'_>, _argv: &[String]) -> Exec {
    let host = sh.ctx.hostname.clone();
    sh.out(format!("{host}\n"))?;
    Ok(0)
}

/// `xargs [-0] [-n N] [-I REPL] [-r] [COMMAND [ARG]...]`: runs the command on stdin's items.
pub fn xargs(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut i = 1;
    let (mut per, mut repl, mut nul, mut no_run_empty) = (usize::MAX, None, false, false);
    let mut trace = false;
    while i < argv.len() && argv[i].starts_with('-') {
        match argv[i].as_str() {
            "-0" | "--null" => nul = true,
            "-r" | "--no-run-if-empty" => no_run_empty = true,
            "-t" | "--verbose" => trace = true,
            // Bundled flags without arguments (`-rt`, `-0r`).
            a if a.len() > 2
                && !a.starts_with("--")
                && a[1..].chars().all(|c| matches!(c, 'r' | 't' | '0')) =>
            {
                no_run_empty |= a.contains('r');
                trace |= a.contains('t');
                nul |= a.contains('0');
            }
            "-n" => {
                i += 1;
                per = argv
                    .get(i)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(usize::MAX)
                    .max(1);
            }
            "-I" => {
                i += 1;
                repl = argv.get(i).cloned();
            }
            a if a.starts_with("-n") => per = a[2..].parse().unwrap_or(usize::MAX).max(1),
            a if a.starts_with("-I") => repl = Some(a[2..].to_string()),
            _ => {}
        }
        i += 1;
    }
    let mut cmd: Vec<String> = argv.get(i..).unwrap_or_default().to_vec();
    if cmd.is_empty() {
        cmd.push("echo".to_string());
    }
    let input = String::from_utf8_lossy(&sh.read_stdin()).into_owned();
    let items: Vec<String> = if nul {
        input
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    } else if repl.is_some() {
        input
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    } else {
        split_items(&input)
    };
    if items.is_empty() && (no_run_empty || repl.is_some()) {
        return Ok(0);
    }
    let batches: Vec<Vec<String>> = if let Some(r) = &repl {
        items
            .iter()
            .map(|it| cmd.iter().map(|c| c.replace(r.as_str(), it)).collect())
            .collect()
    } else if items.is_empty() {
        vec![cmd.clone()]
    } else {
        items
            .chunks(per.min(items.len()).max(1))
            .map(|chunk| cmd.iter().cloned().chain(chunk.iter().cloned()).collect())
            .collect()
    };
    let mut status = 0;
    for batch in batches {
        sh.step()?;
        if trace {
            // `-t` prints each command line on stderr before running it.
            sh.err(format!("{}\n", batch.join(" ")))?;
        }
        let code = match sh.find_program(&batch[0]) {
            Some(path) => sh.run_program(&path, &batch)?,
            None => {
                sh.err(format!("xargs: {}: No such file or directory\n", batch[0]))?;
                return Ok(127);
            }
        };
        if code != 0 {
            status = 123;
        }
    }
    Ok(status)
}

/// Splits xargs input on blanks, honouring quotes and backslashes.
fn split_items(input: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut quote: Option<char> = None;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                has = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    has = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if has {
                    items.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            (None, c) => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has {
        items.push(cur);
    }
    items
}
