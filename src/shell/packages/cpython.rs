//! What a CPython interpreter does with its own standard library, for a Python
//! built from source into a prefix (the official images' `/usr/local`): its
//! version read from the installed tree, `-m ensurepip` installing the bundled pip,
//! and `-m compileall` writing the `__pycache__/*.pyc` files a real build leaves.
//!
//! layerlab runs no Python code: these are the few modules whose effect on the
//! filesystem builds depend on, each announced as simulated.

use super::super::commands::files::parent_of;
use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::pip::{project, python_env, write_package};
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta};

/// Interpreter options that take no argument (`python -E -s -m ...`).
const FLAGS: &[&str] = &[
    "-E", "-s", "-S", "-I", "-B", "-u", "-b", "-bb", "-q", "-O", "-OO", "-P", "-d", "-v",
];

/// The arguments after the interpreter's own options (`-E`, `-Wi`, `-X dev`), so
/// `python -E -m ensurepip` is read as `-m ensurepip`.
pub fn skip_options(argv: &[String]) -> &[String] {
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if FLAGS.contains(&a.as_str()) {
            i += 1;
        } else if a == "-W" || a == "-X" {
            i += 2;
        } else if (a.starts_with("-W") || a.starts_with("-X")) && a.len() > 2 {
            i += 1;
        } else {
            break;
        }
    }
    &argv[i.min(argv.len())..]
}

/// `#define PY_VERSION "3.15.0b3"` from a `patchlevel.h`.
fn py_version(sh: &Shell<'_>, path: &str) -> Option<String> {
    let text = sh.fs.read_file(path).ok()?;
    let text = String::from_utf8_lossy(&text.bytes()).into_owned();
    text.lines().find_map(|l| {
        let rest = l.strip_prefix("#define PY_VERSION")?;
        Some(rest.trim().trim_matches('"').to_string())
    })
}

/// The full version of the interpreter being run, from the tree it belongs to: the
/// installed `PREFIX/include/python3.X/patchlevel.h` next to `PREFIX/bin`, or the
/// source tree's `Include/patchlevel.h` for a `./python` in its build directory.
pub fn full_version(sh: &Shell<'_>, minor: &str) -> Option<String> {
    let bin = parent_of(&sh.program_path);
    let prefix = parent_of(&bin);
    [
        format!("{prefix}/include/python{minor}/patchlevel.h"),
        format!("{bin}/Include/patchlevel.h"),
    ]
    .iter()
    .find_map(|p| py_version(sh, p))
}

/// The standard library directory of the interpreter being run (`Lib` in a build
/// directory, `PREFIX/lib/python3.X` once installed).
fn stdlib(sh: &Shell<'_>, minor: &str) -> String {
    let bin = parent_of(&sh.program_path);
    let build_lib = format!("{bin}/Lib");
    if sh.fs.exists(&format!("{build_lib}/ensurepip")) {
        return build_lib;
    }
    format!("{}/lib/python{minor}", parent_of(&bin))
}

/// `python -m ensurepip [--upgrade] [--altinstall] [--default-pip] [--root DIR]`:
/// installs the wheels bundled in `ensurepip/_bundled` into site-packages, with
/// the scripts ensurepip asks pip for (`pip3` and `pip3.X`; only `pip3.X` with
/// `--altinstall`; `pip` too with `--default-pip`).
pub fn ensurepip(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let mut root = String::new();
    let (mut altinstall, mut default_pip) = (false, false);
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "--altinstall" => altinstall = true,
            "--default-pip" => default_pip = true,
            "--root" => {
                root = args.get(i + 1).cloned().unwrap_or_default();
                i += 1;
            }
            "--upgrade" | "-U" | "--user" | "-v" | "--verbose" => {}
            other => match other.strip_prefix("--root=") {
                Some(r) => root = r.to_string(),
                None => {
                    sh.err(format!("usage: python -m ensurepip [-h] [--version] [-v] [-U] [--user] [--root ROOT] [--altinstall] [--default-pip]\npython -m ensurepip: error: unrecognized arguments: {other}\n"))?;
                    return Ok(2);
                }
            },
        }
        i += 1;
    }
    let base = python_env(sh, false);
    let bundled = format!("{}/ensurepip/_bundled", stdlib(sh, &base.version));
    let wheels: Vec<(String, String)> = sh
        .fs
        .read_dir(&bundled)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, _)| {
            let stem = name.strip_suffix("-py3-none-any.whl")?;
            let (n, v) = stem.split_once('-')?;
            Some((n.to_string(), v.to_string()))
        })
        .collect();
    if wheels.is_empty() {
        sh.err(format!(
            "ensurepip: no bundled wheels in {bundled}: this Python has no ensurepip\n"
        ))?;
        return Ok(1);
    }
    let root = root.trim_end_matches('/').to_string();
    let mut env = base.clone();
    env.site = format!("{root}{}", base.site);
    env.bin = format!("{root}{}", base.bin);
    let v = base.version.clone();
    let mut out = String::from("Looking in links: /tmp/tmpensurepip\n");
    for (name, version) in &wheels {
        out.push_str(&format!(
            "Processing /tmp/tmpensurepip/{name}-{version}-py3-none-any.whl\n"
        ));
    }
    let names: Vec<&str> = wheels.iter().map(|(n, _)| n.as_str()).collect();
    out.push_str(&format!(
        "Installing collected packages: {}\n",
        names.join(", ")
    ));
    for (name, version) in &wheels {
        let mut p = project(name, Some(version));
        if name == "pip" {
            p.scripts = match (altinstall, default_pip) {
                (true, _) => vec![format!("pip{v}")],
                (false, true) => vec!["pip".into(), "pip3".into(), format!("pip{v}")],
                (false, false) => vec!["pip3".into(), format!("pip{v}")],
            };
        }
        write_package(sh, &env, &p, false);
    }
    let done: Vec<String> = wheels.iter().map(|(n, v)| format!("{n}-{v}")).collect();
    out.push_str(&format!("Successfully installed {}\n", done.join(" ")));
    sh.out(out)?;
    sh.notice(
        NoticeKind::Simulated,
        "ensurepip",
        format!(
            "simulated: installed the bundled {} into {} without running Python",
            done.join(", "),
            env.site
        ),
    );
    Ok(0)
}

/// `python -m compileall [-q] [-f] [-j N] [-d DIR] [-o LEVEL]... [-x REGEX] PATH...`:
/// a `__pycache__/NAME.cpython-3XX[.opt-N].pyc` beside every `.py` below each PATH
/// whose path the `-x` expression does not match (sizes derived from the source).
pub fn compileall(sh: &mut Shell<'_>, args: &[String], minor: &str) -> Exec {
    let (mut quiet, mut levels, mut exclude, mut paths) = (false, Vec::new(), None, Vec::new());
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-q" | "-qq" => quiet = true,
            "-f" | "-l" | "-b" | "-i" | "--hardlink-dupes" => {}
            "-j" | "-d" | "-s" | "-p" | "-r" | "-e" | "--invalidation-mode" => i += 1,
            "-o" => {
                levels.push(args.get(i + 1).cloned().unwrap_or_default());
                i += 1;
            }
            "-x" => {
                exclude = args.get(i + 1).cloned();
                i += 1;
            }
            other if other.starts_with("-j") || other.starts_with("-o") => {
                if let Some(l) = other.strip_prefix("-o") {
                    levels.push(l.to_string());
                }
            }
            other => paths.push(sh.abs(other)),
        }
        i += 1;
    }
    if levels.is_empty() {
        levels.push("0".to_string());
    }
    let exclude = match exclude
        .as_deref()
        .map(|x| super::super::posix_regex::compile(x, true, false))
    {
        Some(Err(e)) => {
            sh.err(format!("compileall: bad -x expression: {e}\n"))?;
            return Ok(2);
        }
        Some(Ok(re)) => Some(re),
        None => None,
    };
    let tag = format!("cpython-{}", minor.replace('.', ""));
    let meta = Meta::new(0o644)
        .owned(sh.ctx.uid, sh.ctx.gid)
        .at(sh.ctx.mtime);
    let dir_meta = Meta {
        mode: 0o755,
        ..meta
    };
    let mut out = String::new();
    let mut count = 0usize;
    for top in &paths {
        out.push_str(&format!("Listing '{top}'...\n"));
        let sources: Vec<(String, u64)> = sh
            .fs
            .walk(top)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| matches!(e.stat.kind, Kind::File(_)) && e.path.ends_with(".py"))
            .map(|e| {
                (
                    format!("/{}", e.path.trim_start_matches('/')),
                    e.stat.size(),
                )
            })
            .filter(|(p, _)| !exclude.as_ref().is_some_and(|re| re.is_match(p.as_bytes())))
            .collect();
        sh.charge_entries(sources.len() * levels.len())?;
        for (path, size) in sources {
            let dir = parent_of(&path);
            let file = path.rsplit('/').next().unwrap_or_default();
            let stem = file.strip_suffix(".py").unwrap_or(file);
            let cache = format!("{dir}/__pycache__");
            let _ = sh.fs.mkdir_all(&cache, dir_meta);
            for level in &levels {
                let (suffix, percent) = match level.as_str() {
                    "1" => (".opt-1".to_string(), 60),
                    "2" => (".opt-2".to_string(), 48),
                    _ => (String::new(), 60),
                };
                let pyc = format!("{cache}/{stem}.{tag}{suffix}.pyc");
                let blob = Blob::generated(
                    200 + size * percent / 100,
                    super::seed(&["pyc", &path, level]),
                );
                let _ = sh.fs.write_file(&pyc, blob, meta);
            }
            if !quiet {
                out.push_str(&format!("Compiling '{path}'...\n"));
            }
            count += 1;
        }
    }
    sh.out(out)?;
    sh.notice(
        NoticeKind::Simulated,
        "compileall",
        format!(
            "simulated: wrote the byte-code caches of {count} modules (sizes estimated from the sources) without compiling them"
        ),
    );
    Ok(0)
}
