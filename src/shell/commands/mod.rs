//! The simulated programs, one file per family, keyed by the name they are called
//! as (so `/bin/ls -> busybox` runs `ls`, and `busybox ls` runs `ls` too).
//!
//! A program runs only when the shell found its file in the image; this table only
//! says how to simulate it. Names missing here run as "not simulated" successes.

pub mod accounts;
pub mod apache;
pub mod archive;
pub mod awk;
pub mod awk_lang;
pub mod buildflags;
pub mod builtins;
pub mod cargo;
pub mod documents;
pub mod dpkg_search;
pub mod elf;
pub mod files;
pub mod find;
pub mod frontend;
pub mod gcc;
pub mod git;
pub mod go;
pub mod gpg;
pub mod httpd;
pub mod java;
pub mod locale;
pub mod make;
pub mod maven;
pub mod mkcert;
pub mod net;
pub mod node;
pub mod pem;
pub mod php;
pub mod rustup;
pub mod sed;
pub mod system;
pub mod test;
pub mod text;
pub mod toml;
pub mod xml;
pub mod zip;

use super::exec::{Exec, Shell};
use super::packages;

/// A simulated program: argv in, status out, effects on the shell's filesystem.
pub type Program = fn(&mut Shell<'_>, &[String]) -> Exec;

/// The simulation of the program called `name`, if layerlab models it.
pub fn find(name: &str) -> Option<Program> {
    let p: Program = match name {
        "sh" | "bash" | "dash" | "ash" => builtins::sh_program,
        "busybox" => busybox,
        "echo" => |sh, argv| text::echo(sh, argv, false),
        "printf" => text::printf,
        "test" | "[" => test::test,
        "true" => |_, _| Ok(0),
        "false" => |_, _| Ok(1),
        "cat" => text::cat,
        "tee" => text::tee,
        "wc" => text::wc,
        "head" => text::head,
        "tail" => text::tail,
        "sort" => text::sort,
        "uniq" => text::uniq,
        "cut" => text::cut,
        "tr" => text::tr,
        "envsubst" => text::envsubst,
        "grep" | "egrep" | "fgrep" => text::grep,
        "sed" => sed::sed,
        "awk" | "gawk" | "mawk" => awk::awk,
        "yes" => text::yes,
        "seq" => text::seq,
        "mkdir" => files::mkdir,
        "touch" => files::touch,
        "rm" => files::rm,
        "rmdir" => files::rmdir,
        "cp" => files::cp,
        "mv" => files::mv,
        "ln" => files::ln,
        "chmod" => files::chmod,
        "chown" => files::chown,
        "chgrp" => files::chgrp,
        "ls" => files::ls,
        "stat" => files::stat,
        "readlink" => files::readlink,
        "realpath" => files::realpath,
        "du" => files::du,
        "mktemp" => files::mktemp,
        "install" => files::install,
        "basename" => files::basename,
        "dirname" => files::dirname,
        "find" => find::find,
        "tar" => archive::tar,
        "make" | "gmake" => make::make,
        "gzip" | "gunzip" | "zcat" => archive::gzip,
        "sha256sum" | "md5sum" => archive::checksum,
        "curl" => net::curl,
        "gpg" | "gpg1" | "gpg2" => gpg::gpg,
        "a2enmod" | "a2dismod" | "a2enconf" | "a2disconf" | "a2ensite" | "a2dissite" => {
            apache::a2enmod
        }
        "mkcert" => mkcert::mkcert,
        "wget" => net::wget,
        "gpgconf" => gpg::gpgconf,
        "git" => git::git,
        "go" => go::go,
        "gcc"
        | "cc"
        | "g++"
        | "c++"
        | "gcc-12"
        | "g++-12"
        | "gcc-13"
        | "g++-13"
        | "gcc-14"
        | "g++-14"
        | "x86_64-linux-gnu-gcc-12"
        | "x86_64-linux-gnu-g++-12" => gcc::gcc,
        "vite" | "react-scripts" | "webpack" | "tsc" | "next" => frontend::build_tool,
        "env" => system::env,
        "sudo" => system::sudo,
        "id" => system::id,
        "whoami" => system::whoami,
        "which" => system::which,
        "sleep" => system::sleep,
        "nproc" => system::nproc,
        "uname" => system::uname,
        "date" => system::date,
        "hostname" => system::hostname,
        "xargs" => system::xargs,
        "pwd" => |sh, argv| builtins::run(sh, argv),
        "useradd" => accounts::useradd,
        "groupadd" => accounts::groupadd,
        "usermod" => accounts::usermod,
        "adduser" => accounts::adduser,
        "addgroup" => accounts::addgroup,
        "apt-get" | "apt" => packages::apt::apt_get,
        "apt-mark" => packages::apt::apt_mark,
        "dpkg" | "dpkg-query" => packages::apt::dpkg,
        "dpkg-architecture" => packages::apt::dpkg_architecture,
        "dpkg-buildflags" => buildflags::dpkg_buildflags,
        "dpkg-divert" => packages::divert::dpkg_divert,
        "locale" => locale::locale,
        "locale-gen" => locale::locale_gen,
        "localedef" => locale::localedef,
        "dpkg-reconfigure" => locale::dpkg_reconfigure,
        "update-locale" => locale::update_locale,
        "apk" => packages::apk::apk,
        "npm" => packages::npm::npm,
        "yarn" | "yarnpkg" => packages::yarn::yarn,
        "pnpm" => packages::pnpm::pnpm,
        "corepack" => packages::pnpm::corepack,
        "node" | "nodejs" => node::node,
        "ldd" => elf::ldd,
        "php" => php::php,
        "httpd" => httpd::httpd,
        "rustc" => rustup::toolchain_program,
        "cargo" => cargo::cargo,
        "rustup-init" => rustup::rustup_init,
        "rustup" => rustup::rustup,
        "scanelf" => elf::scanelf,
        // The Java programs (eclipse-temurin and maven images).
        "java" => java::java,
        "javac" | "jshell" | "jar" => java::jdk_tool,
        "mvn" => maven::mvn,
        "mvnw" => maven::mvnw,
        _ if versioned(name, "pip") => packages::pip::pip,
        _ if versioned(name, "python") => packages::pip::python,
        _ => return None,
    };
    Some(p)
}

/// Whether `name` is `base` with an optional version (`pip3`, `python3.12`).
fn versioned(name: &str, base: &str) -> bool {
    name.strip_prefix(base)
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `busybox APPLET ARGS...` runs the applet; plain `busybox` lists nothing useful.
fn busybox(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    match argv.get(1) {
        Some(applet) => match find(applet) {
            Some(p) if applet != "busybox" => p(sh, &argv[1..]),
            _ => {
                sh.err(format!("{applet}: applet not found\n"))?;
                Ok(127)
            }
        },
        None => {
            sh.out("BusyBox v1.36.1 (layerlab simulation) multi-call binary.\n")?;
            Ok(0)
        }
    }
}

/// Parsed command-line flags, GNU style: options may follow operands, `--` ends them.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// Short flags in order, with their value for those that take one.
    pub short: Vec<(char, Option<String>)>,
    /// Long flags (`--name` or `--name=value`) in order.
    pub long: Vec<(String, Option<String>)>,
    /// Operands in order.
    pub operands: Vec<String>,
    /// A `-NUM` shorthand (`head -5`).
    pub number: Option<String>,
}

impl Flags {
    /// Whether short flag `c` was given.
    pub fn has(&self, c: char) -> bool {
        self.short.iter().any(|(f, _)| *f == c)
    }

    /// Whether long flag `name` was given.
    pub fn has_long(&self, name: &str) -> bool {
        self.long.iter().any(|(f, _)| f == name)
    }

    /// The last value of short flag `c`.
    pub fn value(&self, c: char) -> Option<&str> {
        self.short
            .iter()
            .rev()
            .find(|(f, _)| *f == c)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value of short flag `c`, in order.
    pub fn values(&self, c: char) -> Vec<&str> {
        self.short
            .iter()
            .filter(|(f, _)| *f == c)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// The value of long flag `name`.
    pub fn long_value(&self, name: &str) -> Option<&str> {
        self.long
            .iter()
            .rev()
            .find(|(f, _)| f == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Parses `argv[1..]` like `flags`, first reading each long option of `longs`
/// (`("gid", 'g')`) as its short letter, so `--gid node`, `--gid=node` and `-g node`
/// are one thing to the program.
pub fn flags_with_long(argv: &[String], with_value: &str, longs: &[(&str, char)]) -> Flags {
    let mut rewritten = Vec::with_capacity(argv.len());
    let mut rest = argv.iter();
    if let Some(name) = rest.next() {
        rewritten.push(name.clone());
    }
    for (i, a) in rest.by_ref().enumerate() {
        if a == "--" {
            rewritten.push(a.clone());
            rewritten.extend(argv[i + 2..].iter().cloned());
            break;
        }
        let Some(long) = a.strip_prefix("--") else {
            rewritten.push(a.clone());
            continue;
        };
        let (name, value) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (long, None),
        };
        match longs.iter().find(|(l, _)| *l == name) {
            Some((_, c)) => {
                rewritten.push(format!("-{c}"));
                if let Some(v) = value.filter(|_| with_value.contains(*c)) {
                    rewritten.push(v.to_string());
                }
            }
            None => rewritten.push(a.clone()),
        }
    }
    flags(&rewritten, with_value)
}

/// Parses `argv[1..]`; the characters in `with_value` take an argument.
/// One argument of a `--name=value` style command line: its name, and the value
/// written after `=` if any (`-x` and bare words have none).
pub fn long_flag(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
        _ => (arg, None),
    }
}

/// A flag's value: the inline one from `long_flag`, else the next argument
/// (`args[*next]`, which it then steps past).
pub fn flag_value(inline: &Option<String>, args: &[String], next: &mut usize) -> Option<String> {
    inline.clone().or_else(|| {
        *next += 1;
        args.get(*next - 1).cloned()
    })
}

pub fn flags(argv: &[String], with_value: &str) -> Flags {
    let mut f = Flags::default();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a == "--" {
            f.operands.extend(argv[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => f.long.push((n.to_string(), Some(v.to_string()))),
                None => f.long.push((long.to_string(), None)),
            }
            continue;
        }
        match a.strip_prefix('-') {
            Some(s) if !s.is_empty() => {
                if s.chars().all(|c| c.is_ascii_digit()) {
                    f.number = Some(s.to_string());
                    continue;
                }
                let chars: Vec<char> = s.chars().collect();
                for (k, c) in chars.iter().enumerate() {
                    if with_value.contains(*c) {
                        let rest: String = chars[k + 1..].iter().collect();
                        let value = if rest.is_empty() {
                            let v = argv.get(i).cloned();
                            i += 1;
                            v
                        } else {
                            Some(rest)
                        };
                        f.short.push((*c, value));
                        break;
                    }
                    f.short.push((*c, None));
                }
            }
            _ => f.operands.push(a.clone()),
        }
    }
    f
}

/// Reads each operand (`-` or none means stdin), printing `NAME: FILE: reason` for
/// failures; returns the contents read and 1 if any failed.
pub fn read_inputs(
    sh: &mut Shell<'_>,
    name: &str,
    files: &[String],
) -> Result<(Vec<Vec<u8>>, i32), super::exec::Flow> {
    if files.is_empty() {
        return Ok((vec![sh.read_stdin()], 0));
    }
    let mut out = Vec::new();
    let mut status = 0;
    for file in files {
        if file == "-" {
            out.push(sh.read_stdin());
            continue;
        }
        match sh.fs.read_file(&sh.abs(file)) {
            Ok(b) => {
                sh.charge(b.len() as usize)?;
                out.push(b.bytes().into_owned())
            }
            Err(e) => {
                sh.err(format!("{name}: {file}: {}\n", e.kind))?;
                status = 1;
            }
        }
    }
    Ok((out, status))
}
