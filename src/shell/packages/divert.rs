//! `dpkg-divert`: diversions make dpkg install a package's file under another
//! name, kept in `/var/lib/dpkg/diversions` (three lines each: the file, where it
//! is diverted to, and `:` for a local diversion or the owning package). Official
//! images divert a packaged file to edit a copy of it (postgres's
//! `postgresql.conf.sample`); `--rename` moves the file as dpkg does.

use super::super::exec::{Exec, Shell};
use super::write_text;

const DIVERSIONS: &str = "/var/lib/dpkg/diversions";

/// One diversion: the diverted file, its new name, and the package (`:` = local).
struct Diversion {
    from: String,
    to: String,
    by: String,
}

impl Diversion {
    /// How dpkg-divert describes it (`local diversion of A to B`).
    fn describe(&self) -> String {
        if self.by == ":" {
            format!("local diversion of {} to {}", self.from, self.to)
        } else {
            format!("diversion of {} to {} by {}", self.from, self.to, self.by)
        }
    }
}

fn read(sh: &Shell<'_>) -> Vec<Diversion> {
    let text = sh
        .fs
        .read_file(DIVERSIONS)
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(3)
        .filter(|c| c.len() == 3)
        .map(|c| Diversion {
            from: c[0].to_string(),
            to: c[1].to_string(),
            by: c[2].to_string(),
        })
        .collect()
}

fn write(sh: &mut Shell<'_>, all: &[Diversion]) {
    let text: String = all
        .iter()
        .map(|d| format!("{}\n{}\n{}\n", d.from, d.to, d.by))
        .collect();
    write_text(sh, DIVERSIONS, &text);
}

/// `dpkg-divert [--add|--remove|--list|--truename] [--local|--package P]
/// [--divert TO] [--rename] [--quiet] FILE`.
pub fn dpkg_divert(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let (mut action, mut divert_to, mut package) = ("--add", None, ":".to_string());
    let (mut rename, mut quiet) = (false, false);
    let mut files = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        match a {
            "--add" | "--remove" | "--list" | "--listpackage" | "--truename" => action = a,
            "--rename" => rename = true,
            "--no-rename" => rename = false,
            "--quiet" => quiet = true,
            "--local" => package = ":".to_string(),
            "--divert" | "--package" | "--admindir" | "--instdir" | "--root" => {
                let v = argv.get(i).cloned().unwrap_or_default();
                i += 1;
                match a {
                    "--divert" => divert_to = Some(v),
                    "--package" => package = v,
                    _ => {}
                }
            }
            s if s.starts_with("--divert=") => divert_to = Some(s["--divert=".len()..].to_string()),
            s if s.starts_with("--package=") => package = s["--package=".len()..].to_string(),
            s if s.starts_with('-') => {}
            s => files.push(s.to_string()),
        }
    }
    let mut all = read(sh);
    match action {
        "--list" => {
            let out: String = all
                .iter()
                .filter(|d| {
                    files.is_empty()
                        || files
                            .iter()
                            .any(|g| super::super::pattern::Pattern::parse(g).matches(&d.from))
                })
                .map(|d| format!("{}\n", d.describe()))
                .collect();
            sh.out(out)?;
            return Ok(0);
        }
        "--truename" | "--listpackage" => {
            let Some(file) = files.first() else {
                sh.err(format!(
                    "dpkg-divert: error: {action} needs a single argument\n"
                ))?;
                return Ok(2);
            };
            let found = all.iter().find(|d| &d.from == file);
            let out = match (action, found) {
                ("--truename", Some(d)) => format!("{}\n", d.to),
                ("--truename", None) => format!("{file}\n"),
                (_, Some(d)) if d.by == ":" => "LOCAL\n".to_string(),
                (_, Some(d)) => format!("{}\n", d.by),
                (_, None) => String::new(),
            };
            sh.out(out)?;
            return Ok(0);
        }
        _ => {}
    }
    let [file] = files.as_slice() else {
        sh.err(format!("dpkg-divert: error: {action} needs a single argument\n\nUse --help for program usage information.\n"))?;
        return Ok(2);
    };
    if !file.starts_with('/') {
        sh.err(format!(
            "dpkg-divert: error: filename \"{file}\" is not absolute\n"
        ))?;
        return Ok(2);
    }
    let say = |sh: &mut Shell<'_>, text: String| -> Result<(), super::super::exec::Flow> {
        if quiet {
            Ok(())
        } else {
            sh.out(text)
        }
    };
    if action == "--remove" {
        let Some(pos) = all.iter().position(|d| &d.from == file) else {
            say(
                sh,
                format!("No diversion 'any diversion of {file}', none removed.\n"),
            )?;
            return Ok(0);
        };
        let d = all.remove(pos);
        if rename && sh.fs.lstat(&d.to).is_ok() && !sh.fs.exists(&d.from) {
            let _ = sh.fs.rename(&d.to, &d.from);
        }
        say(sh, format!("Removing '{}'\n", d.describe()))?;
        write(sh, &all);
        return Ok(0);
    }
    let to = divert_to.unwrap_or_else(|| format!("{file}.distrib"));
    let wanted = Diversion {
        from: file.clone(),
        to,
        by: package,
    };
    if let Some(d) = all.iter().find(|d| d.from == wanted.from) {
        if d.to == wanted.to && d.by == wanted.by {
            say(sh, format!("Leaving '{}'\n", d.describe()))?;
            return Ok(0);
        }
        sh.err(format!(
            "dpkg-divert: error: '{}' clashes with '{}'\n",
            wanted.describe(),
            d.describe()
        ))?;
        return Ok(2);
    }
    if rename && sh.fs.lstat(&wanted.from).is_ok() {
        if sh.fs.lstat(&wanted.to).is_ok() {
            sh.err(format!(
                "dpkg-divert: error: rename involves overwriting '{}' with\n  different file '{}', not allowed\n",
                wanted.to, wanted.from
            ))?;
            return Ok(2);
        }
        if let Err(e) = sh.fs.rename(&wanted.from, &wanted.to) {
            sh.err(format!(
                "dpkg-divert: error: cannot rename '{}' to '{}': {}\n",
                wanted.from, wanted.to, e.kind
            ))?;
            return Ok(2);
        }
    }
    say(sh, format!("Adding '{}'\n", wanted.describe()))?;
    all.push(wanted);
    write(sh, &all);
    Ok(0)
}
