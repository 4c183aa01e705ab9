//! `dpkg-buildflags` (package dpkg-dev): the compiler flags Debian builds with.
//!
//! Source builds in official images (`CFLAGS="$(dpkg-buildflags --get CFLAGS)"`)
//! read them, so the values are Debian 12's real defaults on amd64 (dpkg 1.21.22,
//! as `dpkg-buildflags --export=sh` prints them outside a package build):
//! `-ffile-prefix-map` names the working directory, as the `fixfilepath` feature
//! does. The environment adjusts a flag as dpkg documents it
//! (`DEB_CFLAGS_SET`, `_STRIP`, `_APPEND`, `_PREPEND`, and the `_MAINT_` forms).

use super::super::exec::{Exec, Shell};

/// Every flag dpkg 1.21 knows, sorted as `--list` and `--export` print them.
const FLAGS: &[&str] = &[
    "ASFLAGS",
    "CFLAGS",
    "CPPFLAGS",
    "CXXFLAGS",
    "DFLAGS",
    "FCFLAGS",
    "FFLAGS",
    "GCJFLAGS",
    "LDFLAGS",
    "OBJCFLAGS",
    "OBJCXXFLAGS",
];

/// The vendor default of `flag` when run in directory `cwd`.
fn default(flag: &str, cwd: &str) -> String {
    let base = format!("-g -O2 -ffile-prefix-map={cwd}=. -fstack-protector-strong");
    match flag {
        "CFLAGS" | "CXXFLAGS" | "OBJCFLAGS" | "OBJCXXFLAGS" => {
            format!("{base} -Wformat -Werror=format-security")
        }
        "FCFLAGS" | "FFLAGS" | "GCJFLAGS" => base,
        "CPPFLAGS" => "-Wdate-time -D_FORTIFY_SOURCE=2".to_string(),
        "LDFLAGS" => "-Wl,-z,relro".to_string(),
        "DFLAGS" => "-frelease".to_string(),
        _ => String::new(),
    }
}

/// `flag`'s value after the environment's SET, STRIP, APPEND and PREPEND (the
/// maintainer's `_MAINT_` forms first, then the user's, as dpkg applies them).
fn value(sh: &Shell<'_>, flag: &str) -> String {
    let mut v = default(flag, &sh.state.cwd);
    for kind in ["_MAINT", ""] {
        let get = |op: &str| {
            sh.var(&format!("DEB_{flag}{kind}_{op}"))
                .map(str::to_string)
        };
        if let Some(set) = get("SET") {
            v = set;
        }
        if let Some(strip) = get("STRIP") {
            let drop: Vec<&str> = strip.split_whitespace().collect();
            v = v
                .split_whitespace()
                .filter(|w| !drop.contains(w))
                .collect::<Vec<_>>()
                .join(" ");
        }
        if let Some(append) = get("APPEND") {
            v = join(&v, &append);
        }
        if let Some(prepend) = get("PREPEND") {
            v = join(&prepend, &v);
        }
    }
    v
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a} {b}"),
    }
}

/// `dpkg-buildflags [--get FLAG | --export=sh|make|cmdline|configure | --dump | --list]`.
pub fn dpkg_buildflags(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut args = argv[1..].iter();
    let mut action = "--dump".to_string();
    let mut get: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--get" | "--query-field" => {
                action = "--get".to_string();
                get = args.next().cloned();
            }
            "--export" => action = "--export=sh".to_string(),
            "--dump" | "--list" | "--status" => action = a.clone(),
            s if s.starts_with("--export=") => action = s.to_string(),
            s if s.starts_with("--get=") => {
                action = "--get".to_string();
                get = Some(s["--get=".len()..].to_string());
            }
            other => {
                sh.err(format!(
                    "dpkg-buildflags: error: unknown option '{other}'\n\nUse --help for program usage information.\n"
                ))?;
                return Ok(2);
            }
        }
    }
    let mut out = String::new();
    match action.as_str() {
        "--get" => {
            let Some(flag) = get else {
                sh.err("dpkg-buildflags: error: --get needs a parameter\n")?;
                return Ok(2);
            };
            if !FLAGS.contains(&flag.as_str()) {
                // dpkg exits 1 for a flag it does not know, printing nothing.
                return Ok(1);
            }
            out = format!("{}\n", value(sh, &flag));
        }
        "--list" => FLAGS.iter().for_each(|f| out.push_str(&format!("{f}\n"))),
        "--dump" | "--status" => {
            for f in FLAGS {
                out.push_str(&format!("{f}={}\n", value(sh, f)));
            }
        }
        // dpkg prints values unescaped for sh and the command line, and doubles
        // `$` for make.
        "--export=sh" => {
            for f in FLAGS {
                out.push_str(&format!("export {f}=\"{}\"\n", value(sh, f)));
            }
        }
        "--export=make" => {
            for f in FLAGS {
                let v = value(sh, f).replace('$', "$$");
                out.push_str(&format!("export {f} := {v}\n"));
            }
        }
        "--export=cmdline" | "--export=configure" => {
            for f in FLAGS {
                out.push_str(&format!("{f}=\"{}\" ", value(sh, f)));
            }
        }
        other => {
            sh.err(format!(
                "dpkg-buildflags: error: unknown output format '{}'\n",
                other.trim_start_matches("--export=")
            ))?;
            return Ok(2);
        }
    }
    sh.out(out)?;
    Ok(0)
}
