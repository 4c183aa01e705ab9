//! The shell's own builtins: they exist whatever the image holds, as in dash.
//!
//! Special builtins (`export`, `set`, `exit`...) keep their variable assignments and
//! a redirection error ends the shell; regular builtins (`cd`, `echo`, `test`, `read`)
//! behave like programs found before `PATH` is searched.

use super::super::exec::{base_name, Exec, Flow, Shell, Var};
use super::super::parse::is_name;
use super::{test, text};

const SPECIAL: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "trap", "unset",
];

const REGULAR: &[&str] = &[
    "cd", "echo", "printf", "test", "[", "true", "false", "pwd", "read", "umask", "command",
    "type", "local", "wait", "source",
];

/// Whether `name` is a POSIX special builtin.
pub fn is_special(name: &str) -> bool {
    SPECIAL.contains(&name)
}

/// Whether `name` is a regular builtin.
pub fn is_builtin(name: &str) -> bool {
    REGULAR.contains(&name)
}

/// Runs the builtin `argv[0]`.
pub fn run(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let args = &argv[1..];
    // Programs such as /bin/pwd run the builtin of the same name.
    match base_name(&argv[0]) {
        ":" | "true" | "wait" => Ok(0),
        "false" => Ok(1),
        "." | "source" => dot(sh, args),
        "break" | "continue" => {
            let n = match args.first().map(|a| a.parse::<u32>()) {
                None => 1,
                Some(Ok(n)) if n > 0 => n,
                Some(_) => {
                    sh.shell_error(&format!("{}: Illegal number: {}", argv[0], args[0]))?;
                    return Err(Flow::Exit(2));
                }
            };
            Err(if argv[0] == "break" {
                Flow::Break(n)
            } else {
                Flow::Continue(n)
            })
        }
        "eval" => sh.run_script(&args.join(" ")),
        "exec" => {
            if args.is_empty() {
                return Ok(0);
            }
            let code = match sh.find_program(&args[0]) {
                Some(path) => sh.run_program(&path, args)?,
                None => {
                    sh.shell_error(&format!("exec: {}: not found", args[0]))?;
                    127
                }
            };
            Err(Flow::Exit(code))
        }
        "exit" | "return" => {
            let code = match args.first() {
                None => sh.state.status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) if n >= 0 => (n & 0xff) as i32,
                    _ => {
                        sh.shell_error(&format!("{}: Illegal number: {a}", argv[0]))?;
                        return Err(Flow::Exit(2));
                    }
                },
            };
            Err(if argv[0] == "exit" {
                Flow::Exit(code)
            } else {
                Flow::Return(code)
            })
        }
        "export" | "readonly" => export(sh, &argv[0], args),
        "local" => local(sh, args),
        "set" => set(sh, args),
        "shift" => {
            let n = match args.first().map(|a| a.parse::<usize>()) {
                None => 1,
                Some(Ok(n)) => n,
                Some(Err(_)) => {
                    sh.shell_error(&format!("shift: Illegal number: {}", args[0]))?;
                    return Err(Flow::Exit(2));
                }
            };
            if n > sh.state.positional.len() {
                sh.shell_error("shift: can't shift that many")?;
                return Err(Flow::Exit(2));
            }
            sh.state.positional.drain(..n);
            Ok(0)
        }
        "trap" => trap(sh, args),
        "unset" => {
            let functions = args.first().is_some_and(|a| a == "-f");
            for name in args.iter().filter(|a| !a.starts_with('-')) {
                if functions {
                    sh.state.functions.retain(|(n, _)| n != name);
                } else if sh.state.vars.iter().any(|v| v.name == *name && v.readonly) {
                    sh.shell_error(&format!("unset: {name}: is read only"))?;
                    return Ok(2);
                } else {
                    sh.unset_var(name);
                }
            }
            Ok(0)
        }
        "cd" => cd(sh, args),
        "echo" => {
            let dash = sh.state.dialect == super::super::exec::Dialect::Dash;
            text::echo(sh, argv, dash)
        }
        "printf" => text::printf(sh, argv),
        "test" | "[" => test::test(sh, argv),
        "pwd" => {
            let dir = if args.first().is_some_and(|a| a == "-P") {
                sh.fs
                    .canonicalize(&sh.state.cwd)
                    .unwrap_or_else(|_| sh.state.cwd.clone())
            } else {
                sh.state.cwd.clone()
            };
            sh.out(format!("{dir}\n"))?;
            Ok(0)
        }
        "read" => read(sh, args),
        "umask" => umask(sh, args),
        "command" => command(sh, args),
        "type" => {
            let mut status = 0;
            for name in args {
                match describe(sh, name) {
                    Some(what) => sh.out(format!("{name} is {what}\n"))?,
                    None => {
                        sh.out(format!("{name}: not found\n"))?;
                        status = 127;
                    }
                }
            }
            Ok(status)
        }
        other => sh.not_found(other),
    }
}

/// How `type` describes a name, `None` if it is not found.
fn describe(sh: &Shell<'_>, name: &str) -> Option<String> {
    if is_special(name) {
        Some("a special shell builtin".to_string())
    } else if sh.state.functions.iter().any(|(n, _)| n == name) {
        Some("a shell function".to_string())
    } else if is_builtin(name) {
        Some("a shell builtin".to_string())
    } else {
        sh.find_program(name)
    }
}

fn command(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    match args.first().map(String::as_str) {
        Some("-v") | Some("-V") => {
            let verbose = args[0] == "-V";
            let mut status = 0;
            for name in &args[1..] {
                let found = if !verbose
                    && (is_special(name)
                        || is_builtin(name)
                        || sh.state.functions.iter().any(|(n, _)| n == name))
                {
                    Some(name.clone())
                } else if verbose {
                    describe(sh, name).map(|d| format!("{name} is {d}"))
                } else {
                    sh.find_program(name)
                };
                match found {
                    Some(text) => sh.out(format!("{text}\n"))?,
                    None => {
                        if verbose {
                            sh.err(format!("{name}: not found\n"))?;
                        }
                        status = 127;
                    }
                }
            }
            Ok(if status != 0 && !verbose { 1 } else { status })
        }
        Some(_) => {
            if is_special(&args[0]) || is_builtin(&args[0]) {
                return run(sh, args);
            }
            match sh.find_program(&args[0]) {
                Some(path) => sh.run_program(&path, args),
                None => sh.not_found(&args[0]),
            }
        }
        None => Ok(0),
    }
}

fn dot(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let Some(file) = args.first() else {
        return Ok(0);
    };
    let path = if file.contains('/') {
        Some(sh.abs(file))
    } else {
        sh.find_program(file).or_else(|| Some(sh.abs(file)))
    };
    let text = match path.and_then(|p| sh.fs.read_file(&p).ok()) {
        Some(blob) => String::from_utf8_lossy(&blob.bytes()).into_owned(),
        None => {
            sh.shell_error(&format!(".: cannot open {file}: No such file"))?;
            return Err(Flow::Exit(2));
        }
    };
    match sh.run_script(&text) {
        Err(Flow::Return(c)) => Ok(c),
        other => other,
    }
}

fn export(sh: &mut Shell<'_>, which: &str, args: &[String]) -> Exec {
    let names: Vec<&String> = args.iter().filter(|a| *a != "-p").collect();
    if names.is_empty() {
        let vars: Vec<Var> = sh
            .state
            .vars
            .iter()
            .filter(|v| {
                if which == "export" {
                    v.exported
                } else {
                    v.readonly
                }
            })
            .cloned()
            .collect();
        for v in vars {
            sh.out(format!(
                "{which} {}='{}'\n",
                v.name,
                v.value.replace('\'', "'\\''")
            ))?;
        }
        return Ok(0);
    }
    for arg in names {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (arg.as_str(), None),
        };
        if !is_name(name) {
            sh.shell_error(&format!("{which}: {name}: bad variable name"))?;
            return Err(Flow::Exit(2));
        }
        if which == "export" {
            sh.export_var(name, value)?;
        } else {
            if let Some(v) = value {
                sh.set_var(name, v)?;
            } else if sh.var(name).is_none() {
                sh.set_var(name, "")?;
            }
            if let Some(v) = sh.state.vars.iter_mut().find(|v| v.name == name) {
                v.readonly = true;
            }
        }
    }
    Ok(0)
}

fn local(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    if sh.state.locals.is_empty() {
        sh.shell_error("local: not in a function")?;
        return Ok(2);
    }
    for arg in args {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let old = sh.state.vars.iter().find(|v| v.name == name).cloned();
        if let Some(frame) = sh.state.locals.last_mut() {
            frame.push((name.clone(), old));
        }
        if let Some(v) = value {
            sh.set_var(&name, &v)?;
        }
    }
    Ok(0)
}

fn set(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    if args.is_empty() {
        let mut vars: Vec<Var> = sh.state.vars.clone();
        crate::sort::sort_by(&mut vars, |a, b| a.name.cmp(&b.name));
        for v in vars {
            sh.out(format!("{}='{}'\n", v.name, v.value.replace('\'', "'\\''")))?;
        }
        return Ok(0);
    }
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            sh.state.positional = args[i + 1..].to_vec();
            return Ok(0);
        }
        let (on, flags) = match (arg.strip_prefix('-'), arg.strip_prefix('+')) {
            (Some(f), _) if !f.is_empty() => (true, f),
            (_, Some(f)) if !f.is_empty() => (false, f),
            (Some(_), _) => {
                sh.state.positional = args[i + 1..].to_vec();
                return Ok(0);
            }
            _ => {
                sh.state.positional = args[i..].to_vec();
                return Ok(0);
            }
        };
        for flag in flags.chars() {
            if flag == 'o' {
                i += 1;
                let Some(name) = args.get(i) else {
                    let o = sh.state.opts;
                    for (n, v) in [
                        ("errexit", o.errexit),
                        ("noglob", o.noglob),
                        ("nounset", o.nounset),
                        ("xtrace", o.xtrace),
                        ("pipefail", o.pipefail),
                    ] {
                        sh.out(format!("{n:<16}{}\n", if v { "on" } else { "off" }))?;
                    }
                    return Ok(0);
                };
                let opt = match name.as_str() {
                    "errexit" => &mut sh.state.opts.errexit,
                    "xtrace" => &mut sh.state.opts.xtrace,
                    "nounset" => &mut sh.state.opts.nounset,
                    "pipefail" => &mut sh.state.opts.pipefail,
                    "noglob" => &mut sh.state.opts.noglob,
                    _ => {
                        sh.shell_error(&format!("set: Illegal option -o {name}"))?;
                        return Err(Flow::Exit(2));
                    }
                };
                *opt = on;
                continue;
            }
            let opt = match flag {
                'e' => &mut sh.state.opts.errexit,
                'x' => &mut sh.state.opts.xtrace,
                'u' => &mut sh.state.opts.nounset,
                'f' => &mut sh.state.opts.noglob,
                _ => {
                    sh.shell_error(&format!("set: Illegal option -{flag}"))?;
                    return Err(Flow::Exit(2));
                }
            };
            *opt = on;
        }
        i += 1;
    }
    Ok(0)
}

fn trap(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    // Signals never arrive in a deterministic run, so only EXIT traps matter.
    if args.len() < 2 {
        return Ok(0);
    }
    if args[1..].iter().any(|s| s == "EXIT" || s == "0") {
        sh.state.exit_trap = if args[0] == "-" || args[0].is_empty() {
            None
        } else {
            Some(args[0].clone())
        };
    }
    Ok(0)
}

fn cd(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let args: Vec<&String> = args.iter().filter(|a| *a != "-L" && *a != "-P").collect();
    let mut print = false;
    let target = match args.first().map(|s| s.as_str()) {
        None => sh.home(),
        Some("-") => {
            print = true;
            sh.var("OLDPWD").unwrap_or("").to_string()
        }
        Some(dir) => dir.to_string(),
    };
    let path = normalize(&sh.abs(&target));
    if !sh.fs.stat(&path).is_ok_and(|s| s.is_dir()) {
        sh.shell_error(&format!("cd: can't cd to {target}"))?;
        return Ok(2);
    }
    let old = std::mem::replace(&mut sh.state.cwd, path.clone());
    sh.set_var("OLDPWD", &old)?;
    sh.set_var("PWD", &path)?;
    if print {
        sh.out(format!("{path}\n"))?;
    }
    Ok(0)
}

/// `..` and `.` removed textually, as `cd` does for logical paths.
pub fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    format!("/{}", out.join("/"))
}

fn read(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let mut raw = false;
    let mut names = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-r" => raw = true,
            "-p" => i += 1,
            a => names.push(a.to_string()),
        }
        i += 1;
    }
    if names.is_empty() {
        if sh.state.dialect == super::super::exec::Dialect::Bash {
            names.push("REPLY".to_string());
        } else {
            sh.shell_error("read: arg count")?;
            return Ok(2);
        }
    }
    let line = sh.read_stdin_line();
    let at_end = line.is_none();
    let mut text = String::from_utf8_lossy(&line.unwrap_or_default()).into_owned();
    if !raw {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        text = out;
    }
    let ifs = sh.var("IFS").unwrap_or(" \t\n").to_string();
    let mut rest = text.trim_matches(|c| ifs.contains(c)).to_string();
    for (k, name) in names.iter().enumerate() {
        let value = if k + 1 == names.len() {
            std::mem::take(&mut rest)
        } else {
            match rest.find(|c| ifs.contains(c)) {
                Some(pos) => {
                    let v = rest[..pos].to_string();
                    rest = rest[pos..]
                        .trim_start_matches(|c| ifs.contains(c))
                        .to_string();
                    v
                }
                None => std::mem::take(&mut rest),
            }
        };
        if !is_name(name) {
            sh.shell_error(&format!("read: {name}: bad variable name"))?;
            return Ok(2);
        }
        sh.set_var(name, &value)?;
    }
    Ok(i32::from(at_end))
}

fn umask(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    match args.first() {
        None => {
            sh.out(format!("{:04o}\n", sh.state.umask))?;
            Ok(0)
        }
        Some(m) => match u32::from_str_radix(m, 8) {
            Ok(v) if v <= 0o777 => {
                sh.state.umask = v;
                Ok(0)
            }
            _ => {
                sh.shell_error(&format!("umask: Illegal number: {m}"))?;
                Ok(2)
            }
        },
    }
}

/// The shell program itself (`sh -c`, `bash script.sh`, `sh < file`).
pub fn sh_program(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut opts = super::super::exec::Options::default();
    let mut i = 1;
    let mut read_command = false;
    // Options as sh reads them: clustered letters (`-exc`), `-o NAME` (also inside
    // a cluster: `-exo pipefail`), `+` to turn off; `-c` takes the first operand.
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" || a == "-" {
            i += 1;
            break;
        }
        let (on, letters) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
            (Some(l), _) if !l.is_empty() => (true, l),
            (_, Some(l)) if !l.is_empty() => (false, l),
            _ => break,
        };
        i += 1;
        for f in letters.chars() {
            match f {
                'e' => opts.errexit = on,
                'x' => opts.xtrace = on,
                'u' => opts.nounset = on,
                'f' => opts.noglob = on,
                'c' => read_command = true,
                'o' => {
                    let name = argv.get(i).map(String::as_str).unwrap_or("");
                    i += 1;
                    match name {
                        "pipefail" => opts.pipefail = on,
                        "errexit" => opts.errexit = on,
                        "xtrace" => opts.xtrace = on,
                        "nounset" => opts.nounset = on,
                        "noglob" => opts.noglob = on,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    let command = if read_command {
        let c = argv.get(i).cloned();
        i += 1;
        c
    } else {
        None
    };
    let name = argv[0].clone();
    match command {
        Some(script) => {
            let arg0 = argv.get(i).cloned().unwrap_or(name);
            let args = argv.get(i + 1..).unwrap_or_default().to_vec();
            sh.run_process_script(&arg0, &args, &script, opts)
        }
        None => match argv.get(i) {
            Some(file) => {
                let path = sh.abs(file);
                match sh.fs.read_file(&path) {
                    Ok(blob) => {
                        let text = String::from_utf8_lossy(&blob.bytes()).into_owned();
                        sh.run_process_script(file, &argv[i + 1..], &text, opts)
                    }
                    Err(_) => {
                        sh.err(format!(
                            "{}: 0: cannot open {file}: No such file\n",
                            base_name(&name)
                        ))?;
                        Ok(2)
                    }
                }
            }
            None => {
                let text = String::from_utf8_lossy(&sh.read_stdin()).into_owned();
                sh.run_process_script(&name, &[], &text, opts)
            }
        },
    }
}
