//! `cargo`, as the rust images run it: `build` and `install` read Cargo.toml (our
//! own strict TOML reader, `toml`) and write what Cargo leaves behind (placeholder
//! executables of a realistic size at `target/{debug,release}/NAME`, the `deps/`,
//! `build/`, `.fingerprint/` and `incremental/` trees, the registry under
//! `$CARGO_HOME` with each dependency's `.crate` and sources, `Cargo.lock`), so a
//! multi-stage Dockerfile copies a real path and shows where the bulk of a builder
//! stage goes. Nothing is compiled or downloaded: dependencies are the ones the
//! manifest names, at the lowest version each requirement allows, plus every
//! registry package a Cargo.lock already records (their own dependencies are not
//! resolved otherwise). Freshness follows Cargo's rule on mtimes, so the
//! dependency-caching trick (build a dummy `main.rs`, copy the sources, `touch`,
//! build again) rebuilds only the package, and forgetting the `touch` keeps the
//! stale binary as it does for real. Errors are Cargo's, with its status 101.

use super::super::exec::{Exec, Flow, Shell};
use super::super::packages::seed;
use super::super::NoticeKind;
use super::toml::{self, Value};
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// Cargo's exit status for an error.
const FAILED: i32 = 101;

/// Bytes of a release hello world (std linked in, debug info stripped, as Cargo's
/// release profile has done since 1.77) and of a debug one.
const HELLO: [u64; 2] = [430_000, 3_900_000];

/// What one direct dependency (with the crates it pulls in) adds to an executable,
/// release and debug.
const DEP_IN_EXE: [u64; 2] = [650_000, 2_600_000];

/// A dependency's compiled `.rlib` and `.rmeta` in `deps/`, release and debug.
const RLIB: [u64; 2] = [2_400_000, 6_500_000];
const RMETA: [u64; 2] = [700_000, 1_600_000];

#[cfg(test)]
mod tests;

/// `cargo [+TOOLCHAIN] [GLOBAL FLAGS] COMMAND ...`.
pub fn cargo(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut flags = Global::default();
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        match arg.as_str() {
            "-V" | "--version" => {
                let version = [argv[0].clone(), "--version".to_string()];
                return super::rustup::toolchain_program(sh, &version);
            }
            "-q" | "--quiet" => flags.quiet = true,
            "--locked" => flags.locked = Some("--locked"),
            "--frozen" => flags.locked = Some("--frozen"),
            "--offline" => flags.offline = true,
            "--color" | "-Z" | "--config" => i += 1,
            "-C" => {
                i += 1;
                if let Some(dir) = argv.get(i) {
                    flags.dir = Some(dir.clone());
                }
            }
            a if a.starts_with('+') || (a.starts_with('-') && a != "-") => {}
            _ => break,
        }
        i += 1;
    }
    let Some(sub) = argv.get(i) else {
        sh.err("Rust's package manager\n\nUsage: cargo [+toolchain] [OPTIONS] [COMMAND]\n       cargo [+toolchain] [OPTIONS] -Zscript <MANIFEST_RS> [ARGS]...\n")?;
        return Ok(0);
    };
    let args = &argv[i + 1..];
    match sub.as_str() {
        "version" => {
            let version = [argv[0].clone(), "--version".to_string()];
            super::rustup::toolchain_program(sh, &version)
        }
        "build" | "b" => build_command(sh, &flags, args, Mode::Build),
        "check" | "c" => build_command(sh, &flags, args, Mode::Check),
        "test" | "t" => build_command(sh, &flags, args, Mode::Test),
        "run" | "r" => build_command(sh, &flags, args, Mode::Run),
        "install" => install(sh, &flags, args),
        "fetch" => fetch(sh, &flags, args),
        "new" => new_package(sh, args, false),
        "init" => new_package(sh, args, true),
        "clippy" | "fmt" => rustup_tool(sh, &flags, sub, args),
        other => {
            let path = sh.program_path.clone();
            sh.notice(
                NoticeKind::NotSimulated,
                "cargo",
                format!("`cargo {other}` ({path}) is not modelled by layerlab; treated as success"),
            );
            Ok(0)
        }
    }
}

/// `cargo clippy` and `cargo fmt` run programs of their own rustup components,
/// which the rust images' minimal profile leaves out: without the component they
/// fail with the proxy's message. Clippy then checks the package as `cargo check`
/// does (its lints are not simulated); rustfmt formats nothing.
fn rustup_tool(sh: &mut Shell<'_>, flags: &Global, sub: &str, args: &[String]) -> Exec {
    let (component, program) = if sub == "clippy" {
        ("clippy", "cargo-clippy")
    } else {
        ("rustfmt", "cargo-fmt")
    };
    if let Some((false, toolchain)) = super::rustup::component_state(sh, component) {
        sh.err(format!(
            "error: '{program}' is not installed for the toolchain '{toolchain}'.\nTo install, run `rustup component add {component}`\n"
        ))?;
        return Ok(1);
    }
    if sub == "fmt" {
        sh.notice(
            NoticeKind::NotSimulated,
            "cargo",
            "`cargo fmt` formats nothing in layerlab (rustfmt is not simulated); treated as success",
        );
        return Ok(0);
    }
    sh.notice(
        NoticeKind::NotSimulated,
        "cargo",
        "clippy's lints are not simulated: `cargo clippy` checks the package as `cargo check` does and reports no warnings",
    );
    let own: Vec<String> = args.iter().take_while(|a| *a != "--").cloned().collect();
    build_command(sh, flags, &own, Mode::Check)
}

/// Flags every command accepts, before or after its name.
#[derive(Clone, Default)]
struct Global {
    quiet: bool,
    locked: Option<&'static str>,
    offline: bool,
    dir: Option<String>,
}

/// What a build-like command does after compiling.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Build,
    Check,
    Test,
    Run,
}

/// The flags of `build`/`check`/`test`/`run`/`install`.
#[derive(Default)]
struct BuildFlags {
    release: bool,
    bins: Vec<String>,
    packages: Vec<String>,
    workspace: bool,
    target: Option<String>,
    path: Option<String>,
    root: Option<String>,
    version: Option<String>,
    crates: Vec<String>,
    manifest_path: Option<String>,
}

/// Reads the flags after the command name into `BuildFlags` and `global`.
fn build_flags(args: &[String], global: &mut Global) -> BuildFlags {
    let mut f = BuildFlags::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        if arg == "--" {
            break;
        }
        let (name, inline) = super::long_flag(arg);
        let value = |i: &mut usize| super::flag_value(&inline, args, i);
        match name {
            "-r" | "--release" => f.release = true,
            "--profile" => f.release = value(&mut i).as_deref() == Some("release"),
            "--locked" => global.locked = Some("--locked"),
            "--frozen" => global.locked = Some("--frozen"),
            "--offline" => global.offline = true,
            "-q" | "--quiet" => global.quiet = true,
            "--workspace" | "--all" => f.workspace = true,
            "--bin" => f.bins.extend(value(&mut i)),
            "-p" | "--package" => f.packages.extend(value(&mut i)),
            "--target" => f.target = value(&mut i),
            "--path" => f.path = value(&mut i),
            "--root" => f.root = value(&mut i),
            "--version" | "--vers" => f.version = value(&mut i),
            "--manifest-path" => f.manifest_path = value(&mut i),
            "-j" | "--jobs" | "-F" | "--features" | "--target-dir" | "--color" | "--example"
            | "--test" | "--bench" | "--message-format" | "--config" | "-Z" | "--git"
            | "--branch" | "--tag" | "--rev" | "--registry" | "--index" => {
                value(&mut i);
            }
            a if a.starts_with('-') => {}
            a => f.crates.push(a.to_string()),
        }
    }
    f
}

/// A dependency named in a manifest.
#[derive(Clone, Debug, PartialEq)]
struct Dep {
    name: String,
    requirement: String,
    /// A path dependency's directory, relative to its manifest.
    path: Option<String>,
    kind: DepKind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum DepKind {
    Normal,
    Dev,
    Build,
}

/// What layerlab reads of a Cargo.toml.
#[derive(Clone, Debug, Default)]
struct Manifest {
    /// The directory holding it.
    dir: String,
    name: Option<String>,
    version: String,
    edition: String,
    /// `[[bin]]` entries: name and optional path.
    bins: Vec<(String, Option<String>)>,
    lib: bool,
    deps: Vec<Dep>,
    /// `[workspace]` members, when it is a workspace root.
    members: Option<Vec<String>>,
    /// `[workspace.dependencies]`, for `dep.workspace = true`.
    workspace_deps: Vec<Dep>,
}

/// Why a manifest could not be read, in Cargo's words (`Caused by:` text).
fn manifest_error(path: &str, cause: &str) -> String {
    let cause = cause.replace('\n', "\n  ").replace("\n  \n", "\n\n");
    format!("error: failed to parse manifest at `{path}`\n\nCaused by:\n  {cause}\n")
}

fn dep_from(name: &str, value: &Value, kind: DepKind) -> Dep {
    let (requirement, path) = match value {
        Value::Str(v) => (v.clone(), None),
        Value::Table(_) => (
            value
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or("*")
                .to_string(),
            value
                .get("path")
                .and_then(Value::as_str)
                .map(str::to_string),
        ),
        _ => ("*".to_string(), None),
    };
    let name = value
        .get("package")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string();
    Dep {
        name,
        requirement,
        path,
        kind,
    }
}

/// A dependency written as a table of its own: name, kind and fields.
type TableDep = (String, DepKind, Vec<(String, Value)>);

/// Reads the manifest in `dir` (`dir/Cargo.toml`).
fn read_manifest(sh: &mut Shell<'_>, dir: &str) -> Result<Manifest, String> {
    let path = format!("{}/Cargo.toml", dir.trim_end_matches('/'));
    let text = match sh.fs.read_file(&path) {
        Ok(blob) => String::from_utf8_lossy(&blob.bytes()).into_owned(),
        Err(e) => {
            return Err(format!(
                "error: failed to read `{path}`\n\nCaused by:\n  {}\n",
                e.kind
            ))
        }
    };
    let doc = toml::parse(&text).map_err(|e| manifest_error(&path, &e.report()))?;
    let mut m = Manifest {
        dir: dir.to_string(),
        version: "0.0.0".to_string(),
        edition: "2015".to_string(),
        ..Manifest::default()
    };
    let mut package_seen = false;
    let mut workspace_version = None;
    // Dependencies written as tables of their own (`[dependencies.serde]`).
    let mut table_deps: Vec<TableDep> = Vec::new();
    for (table, index) in &doc.tables {
        let t: Vec<&str> = table.iter().map(String::as_str).collect();
        match t.as_slice() {
            ["package"] => package_seen = true,
            ["lib"] => m.lib = true,
            ["workspace"] => m.members = Some(Vec::new()),
            ["bin"] if index.is_some() => m.bins.push((String::new(), None)),
            _ => {}
        }
    }
    let mut bin_names: Vec<(usize, String, Option<String>)> = Vec::new();
    for e in &doc.entries {
        let t: Vec<&str> = e.table.iter().map(String::as_str).collect();
        let k: Vec<&str> = e.key.iter().map(String::as_str).collect();
        let kind_of = |section: &str| match section {
            "dependencies" => Some(DepKind::Normal),
            "dev-dependencies" | "dev_dependencies" => Some(DepKind::Dev),
            "build-dependencies" | "build_dependencies" => Some(DepKind::Build),
            _ => None,
        };
        match (t.as_slice(), k.as_slice()) {
            (["package"], ["name"]) => m.name = e.value.as_str().map(str::to_string),
            (["package"], ["version"]) => {
                if let Some(v) = e.value.as_str() {
                    m.version = v.to_string();
                }
            }
            (["package"], ["version", "workspace"]) => m.version = "{workspace}".to_string(),
            (["package"], ["edition"]) => {
                if let Some(v) = e.value.as_str() {
                    m.edition = v.to_string();
                }
            }
            (["workspace", "package"], ["version"]) => {
                workspace_version = e.value.as_str().map(str::to_string)
            }
            (["workspace"], ["members"]) => {
                if let Value::Array(items) = &e.value {
                    m.members = Some(
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                    );
                }
            }
            (["workspace", "dependencies"], [name]) => {
                m.workspace_deps
                    .push(dep_from(name, &e.value, DepKind::Normal));
            }
            (["bin"], [field]) => {
                let index = e.array_index.unwrap_or(0);
                let entry = match bin_names.iter_mut().find(|(i, _, _)| *i == index) {
                    Some(entry) => entry,
                    None => {
                        bin_names.push((index, String::new(), None));
                        bin_names.last_mut().expect("just pushed")
                    }
                };
                match *field {
                    "name" => entry.1 = e.value.as_str().unwrap_or("").to_string(),
                    "path" => entry.2 = e.value.as_str().map(str::to_string),
                    _ => {}
                }
            }
            ([section], [name]) if kind_of(section).is_some() => {
                let kind = kind_of(section).unwrap_or(DepKind::Normal);
                m.deps.push(dep_from(name, &e.value, kind));
            }
            ([section], [name, "workspace"]) if kind_of(section).is_some() => {
                let kind = kind_of(section).unwrap_or(DepKind::Normal);
                m.deps.push(Dep {
                    name: name.to_string(),
                    requirement: "{workspace}".to_string(),
                    path: None,
                    kind,
                });
            }
            (["target", _, section], [name]) if kind_of(section).is_some() => {
                let kind = kind_of(section).unwrap_or(DepKind::Normal);
                m.deps.push(dep_from(name, &e.value, kind));
            }
            ([section, name], [field]) if kind_of(section).is_some() => {
                let kind = kind_of(section).unwrap_or(DepKind::Normal);
                match table_deps.iter_mut().find(|(n, _, _)| n == name) {
                    Some((_, _, fields)) => fields.push((field.to_string(), e.value.clone())),
                    None => table_deps.push((
                        name.to_string(),
                        kind,
                        vec![(field.to_string(), e.value.clone())],
                    )),
                }
            }
            _ => {}
        }
    }
    for (name, kind, fields) in table_deps {
        m.deps.push(dep_from(&name, &Value::Table(fields), kind));
    }
    for (index, name, path) in bin_names {
        if let Some(slot) = m.bins.get_mut(index) {
            *slot = (name, path);
        }
    }
    if m.version == "{workspace}" {
        m.version = workspace_version.unwrap_or_else(|| "0.0.0".to_string());
    }
    if package_seen && m.name.is_none() {
        return Err(manifest_error(&path, "missing field `name`"));
    }
    if !package_seen && m.members.is_none() {
        return Err(manifest_error(
            &path,
            "manifest is missing either a `[package]` or a `[workspace]`",
        ));
    }
    // Edition 2024 is stable from Cargo 1.85; an older Cargo refuses the manifest.
    let version = toolchain_version(sh).unwrap_or_default();
    let minor = version
        .split('.')
        .nth(1)
        .and_then(|v| v.parse::<u32>().ok());
    if m.edition == "2024" && minor.is_some_and(|v| v < 85) {
        return Err(manifest_error(
            &path,
            &format!("feature `edition2024` is required\n\nThe package requires the Cargo feature called `edition2024`, but that feature is not stabilized in this version of Cargo ({version}).\nConsider trying a newer version of Cargo (this may require the nightly release).\nSee https://doc.rust-lang.org/nightly/cargo/reference/unstable.html#edition-2024 for more information about the status of this feature."),
        ));
    }
    if m.bins.iter().any(|(n, _)| n.is_empty()) {
        return Err(manifest_error(&path, "binary target bin.name is required"));
    }
    Ok(m)
}

/// A package to build: its manifest and the targets found in its directory.
struct Package {
    manifest: Manifest,
    name: String,
    /// Executables: name and source path relative to the package.
    bins: Vec<(String, String)>,
    lib: bool,
}

/// Finds the targets of a package as Cargo does (`src/main.rs`, `src/lib.rs`,
/// `src/bin/*.rs`, `[[bin]]` paths).
fn targets(sh: &Shell<'_>, m: &Manifest) -> Result<Package, String> {
    let name = m.name.clone().unwrap_or_default();
    let dir = m.dir.trim_end_matches('/');
    let exists = |rel: &str| {
        sh.fs
            .stat(&format!("{dir}/{rel}"))
            .is_ok_and(|s| !s.is_dir())
    };
    let mut bins: Vec<(String, String)> = Vec::new();
    for (bin, path) in &m.bins {
        let found = match path {
            Some(p) => Some(p.clone()),
            None if *bin == name && exists("src/main.rs") => Some("src/main.rs".to_string()),
            None => [
                format!("src/bin/{bin}.rs"),
                format!("src/bin/{bin}/main.rs"),
            ]
            .into_iter()
            .find(|p| exists(p)),
        };
        let Some(found) = found else {
            return Err(manifest_error(
                &format!("{dir}/Cargo.toml"),
                &format!("can't find `{bin}` bin at `src/bin/{bin}.rs` or `src/bin/{bin}/main.rs`. Please specify bin.path if you want to use a non-default path."),
            ));
        };
        if !exists(&found) {
            return Err(format!(
                "error: couldn't read `{dir}/{found}`: No such file or directory (os error 2)\n\nerror: could not compile `{name}` (bin \"{bin}\") due to 1 previous error\n"
            ));
        }
        bins.push((bin.clone(), found));
    }
    if exists("src/main.rs") && !bins.iter().any(|(_, p)| p == "src/main.rs") {
        bins.push((name.clone(), "src/main.rs".to_string()));
    }
    if let Ok(entries) = sh.fs.read_dir(&format!("{dir}/src/bin")) {
        for (file, stat) in entries {
            let auto = if stat.is_dir() {
                exists(&format!("src/bin/{file}/main.rs"))
                    .then(|| (file.clone(), format!("src/bin/{file}/main.rs")))
            } else {
                file.strip_suffix(".rs")
                    .map(|n| (n.to_string(), format!("src/bin/{file}")))
            };
            if let Some((bin, path)) = auto {
                if !bins.iter().any(|(b, p)| *b == bin || *p == path) {
                    bins.push((bin, path));
                }
            }
        }
    }
    let lib = m.lib || exists("src/lib.rs");
    if bins.is_empty() && !lib {
        return Err(manifest_error(
            &format!("{dir}/Cargo.toml"),
            "no targets specified in the manifest\neither src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present",
        ));
    }
    Ok(Package {
        manifest: m.clone(),
        name,
        bins,
        lib,
    })
}

/// The directory holding the nearest Cargo.toml from `start` upwards.
fn find_manifest_dir(sh: &Shell<'_>, start: &str) -> Option<String> {
    let mut dir = super::builtins::normalize(start);
    loop {
        if sh
            .fs
            .exists(&format!("{}/Cargo.toml", dir.trim_end_matches('/')))
        {
            return Some(dir);
        }
        if dir == "/" || dir.is_empty() {
            return None;
        }
        dir = match dir.rsplit_once('/') {
            Some(("", _)) | None => "/".to_string(),
            Some((parent, _)) => parent.to_string(),
        };
    }
}

/// The workspace a build runs in: its root (where `target/` and `Cargo.lock`
/// live) and the packages to build.
struct Workspace {
    root: String,
    members: Vec<Package>,
    selected: Vec<usize>,
    workspace_deps: Vec<Dep>,
}

/// Member directories of a workspace root (`crates/*` globs one level).
fn member_dirs(sh: &Shell<'_>, root: &Manifest) -> Vec<String> {
    let base = root.dir.trim_end_matches('/');
    let mut dirs = Vec::new();
    for member in root.members.iter().flatten() {
        if let Some(prefix) = member.strip_suffix("/*") {
            let parent = format!("{base}/{prefix}");
            let mut found: Vec<String> = sh
                .fs
                .read_dir(&parent)
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, s)| s.is_dir())
                .map(|(n, _)| format!("{parent}/{n}"))
                .filter(|d| sh.fs.exists(&format!("{d}/Cargo.toml")))
                .collect();
            crate::sort::sort(&mut found);
            dirs.extend(found);
        } else {
            dirs.push(format!("{base}/{}", member.trim_end_matches('/')));
        }
    }
    dirs
}

/// Reads the workspace around the working directory; prints Cargo's error and
/// returns `None` when it cannot.
fn load_workspace(
    sh: &mut Shell<'_>,
    start: &str,
    flags: &BuildFlags,
) -> Result<Option<Workspace>, Flow> {
    let Some(dir) = find_manifest_dir(sh, start) else {
        sh.err(format!(
            "error: could not find `Cargo.toml` in `{}` or any parent directory\n",
            super::builtins::normalize(start)
        ))?;
        return Ok(None);
    };
    let here = match read_manifest(sh, &dir) {
        Ok(m) => m,
        Err(e) => {
            sh.err(e)?;
            return Ok(None);
        }
    };
    // A member's workspace root is the nearest parent manifest with [workspace].
    let mut root = here.clone();
    if here.members.is_none() {
        let mut parent = dir.rsplit_once('/').map(|(p, _)| p.to_string());
        while let Some(p) = parent.filter(|p| !p.is_empty()) {
            if let Some(found) = find_manifest_dir(sh, &p) {
                if let Ok(m) = read_manifest(sh, &found) {
                    if m.members.is_some() && member_dirs(sh, &m).contains(&dir) {
                        root = m;
                        break;
                    }
                }
                parent = found.rsplit_once('/').map(|(p, _)| p.to_string());
            } else {
                break;
            }
        }
    }
    let mut manifests = Vec::new();
    if root.name.is_some() {
        manifests.push(root.clone());
    }
    for member in member_dirs(sh, &root) {
        if member == root.dir {
            continue;
        }
        match read_manifest(sh, &member) {
            Ok(m) => manifests.push(m),
            Err(e) => {
                sh.err(e.replace(
                    "error: failed to read",
                    &format!(
                        "error: failed to load manifest for workspace member `{member}`\nreferenced by workspace at `{}/Cargo.toml`\n\nCaused by:\n  failed to read",
                        root.dir
                    ),
                ))?;
                return Ok(None);
            }
        }
    }
    let mut members = Vec::new();
    for m in &manifests {
        match targets(sh, m) {
            Ok(p) => members.push(p),
            Err(e) => {
                sh.err(e)?;
                return Ok(None);
            }
        }
    }
    let selected: Vec<usize> = if !flags.packages.is_empty() {
        let mut chosen = Vec::new();
        for wanted in &flags.packages {
            match members.iter().position(|p| p.name == *wanted) {
                Some(i) => chosen.push(i),
                None => {
                    sh.err(format!(
                        "error: package(s) `{wanted}` not found in workspace `{}`\n",
                        root.dir
                    ))?;
                    return Ok(None);
                }
            }
        }
        chosen
    } else if flags.workspace || root.name.is_none() {
        (0..members.len()).collect()
    } else {
        members
            .iter()
            .position(|p| p.manifest.dir == here.dir)
            .into_iter()
            .collect()
    };
    Ok(Some(Workspace {
        root: root.dir.clone(),
        workspace_deps: root.workspace_deps.clone(),
        members,
        selected,
    }))
}

/// The version a requirement resolves to here: the lowest it allows (`1.0` →
/// `1.0.0`, `^0.12.3` → `0.12.3`, `*` → `0.1.0`).
fn resolve_version(requirement: &str) -> String {
    let first = requirement.split(',').next().unwrap_or("").trim();
    let bare = first.trim_start_matches(['^', '~', '=', '>', '<', ' ']);
    let parts: Vec<&str> = bare
        .split('.')
        .take_while(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        .collect();
    match parts.len() {
        0 => "0.1.0".to_string(),
        1 => format!("{}.0.0", parts[0]),
        2 => format!("{}.{}.0", parts[0], parts[1]),
        _ => parts[..3].join("."),
    }
}

/// A crate from the registry, resolved.
#[derive(Clone, Debug, PartialEq)]
struct Crate {
    name: String,
    version: String,
}

/// The registry crates the selected packages need (`dev` includes dev-dependencies),
/// sorted and deduplicated; path dependencies are workspace packages, not crates.
fn registry_crates(ws: &Workspace, selected: &[usize], dev: bool, lock: &[Crate]) -> Vec<Crate> {
    let mut out: Vec<Crate> = Vec::new();
    for &i in selected {
        for dep in &ws.members[i].manifest.deps {
            if dep.path.is_some() || (dep.kind == DepKind::Dev && !dev) {
                continue;
            }
            let dep = if dep.requirement == "{workspace}" {
                ws.workspace_deps
                    .iter()
                    .find(|d| d.name == dep.name)
                    .cloned()
                    .unwrap_or_else(|| dep.clone())
            } else {
                dep.clone()
            };
            if dep.path.is_some() || ws.members.iter().any(|p| p.name == dep.name) {
                continue;
            }
            let version = lock
                .iter()
                .find(|c| c.name == dep.name)
                .map_or_else(|| resolve_version(&dep.requirement), |c| c.version.clone());
            out.push(Crate {
                name: dep.name.clone(),
                version,
            });
        }
    }
    crate::sort::sort_by(&mut out, |a, b| a.name.cmp(&b.name));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// The packages (name, version) a Cargo.lock records, and the names of those
/// that come from a registry.
fn read_lock(text: &str) -> Option<(Vec<Crate>, Vec<String>)> {
    let doc = toml::parse(text).ok()?;
    let mut out: Vec<Crate> = Vec::new();
    let mut registry = Vec::new();
    for e in doc.entries.iter().filter(|e| e.table == ["package"]) {
        let index = e.array_index.unwrap_or(0);
        if out.len() <= index {
            out.resize(
                index + 1,
                Crate {
                    name: String::new(),
                    version: String::new(),
                },
            );
        }
        match (e.key.first().map(String::as_str), e.value.as_str()) {
            (Some("name"), Some(v)) => out[index].name = v.to_string(),
            (Some("version"), Some(v)) => out[index].version = v.to_string(),
            (Some("source"), Some(v)) if v.starts_with("registry+") => registry.push(index),
            _ => {}
        }
    }
    let registry = registry.into_iter().map(|i| out[i].name.clone()).collect();
    Some((out, registry))
}

/// The Cargo.lock of a workspace (version 4, as Cargo 1.83 writes it).
fn lock_text(ws: &Workspace, crates: &[Crate]) -> String {
    let mut entries: Vec<(String, String)> = Vec::new();
    for p in &ws.members {
        let mut deps: Vec<String> = p
            .manifest
            .deps
            .iter()
            .map(|d| format!(" \"{}\",\n", d.name))
            .collect();
        crate::sort::sort(&mut deps);
        deps.dedup();
        let mut text = format!(
            "[[package]]\nname = \"{}\"\nversion = \"{}\"\n",
            p.name, p.manifest.version
        );
        if !deps.is_empty() {
            text.push_str(&format!("dependencies = [\n{}]\n", deps.concat()));
        }
        entries.push((p.name.clone(), text));
    }
    for c in crates {
        let checksum =
            crate::digest::Digest::of(format!("{}-{}.crate", c.name, c.version).as_bytes()).hex();
        entries.push((
            c.name.clone(),
            format!(
                "[[package]]\nname = \"{}\"\nversion = \"{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{checksum}\"\n",
                c.name, c.version
            ),
        ));
    }
    crate::sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
    let body: Vec<String> = entries.into_iter().map(|(_, t)| t).collect();
    format!(
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n{}",
        body.join("\n")
    )
}

/// Makes sure `Cargo.lock` covers the workspace: writes it when absent or
/// outdated, or fails as Cargo does under `--locked`/`--frozen`. Returns the
/// registry crates to use, or `None` after printing an error.
fn ensure_lock(
    sh: &mut Shell<'_>,
    ws: &Workspace,
    global: &Global,
    dev: bool,
) -> Result<Option<Vec<Crate>>, Flow> {
    let path = format!("{}/Cargo.lock", ws.root.trim_end_matches('/'));
    let existing = sh
        .fs
        .read_file(&path)
        .ok()
        .and_then(|b| read_lock(&String::from_utf8_lossy(&b.bytes())));
    let (locked, from_registry) = existing.clone().unwrap_or_default();
    // The lock covers every dependency of every member, dev ones included.
    let everything: Vec<usize> = (0..ws.members.len()).collect();
    let wanted = registry_crates(ws, &everything, true, &locked);
    // What a lock records beyond the manifests: the dependencies' own dependencies.
    let transitive: Vec<Crate> = locked
        .iter()
        .filter(|c| from_registry.contains(&c.name) && !wanted.iter().any(|w| w.name == c.name))
        .cloned()
        .collect();
    let missing: Vec<&Crate> = wanted
        .iter()
        .filter(|c| !locked.iter().any(|l| l.name == c.name))
        .collect();
    let members_missing = ws
        .members
        .iter()
        .any(|p| !locked.iter().any(|l| l.name == p.name));
    let up_to_date = existing.is_some() && missing.is_empty() && !members_missing;
    if !up_to_date {
        if let Some(flag) = global.locked {
            sh.err(format!(
                "error: the lock file {path} needs to be updated but {flag} was passed to prevent this\nIf you want to try to generate the lock file without accessing the network, remove the {flag} flag and use --offline instead.\n"
            ))?;
            return Ok(None);
        }
        if global.offline {
            if let Some(c) = missing.iter().find(|c| !in_registry(sh, c)) {
                let by = &ws.members[ws.selected.first().copied().unwrap_or(0)];
                sh.err(format!(
                    "error: no matching package named `{}` found\nlocation searched: registry `crates-io`\nrequired by package `{} v{} ({})`\nAs a reminder, you're using offline mode (--offline) which can sometimes cause surprising resolution failures, if this error is too confusing you may wish to retry without the offline flag.\n",
                    c.name, by.name, by.manifest.version, by.manifest.dir
                ))?;
                return Ok(None);
            }
        } else if !wanted.is_empty() {
            sh.err("    Updating crates.io index\n")?;
        }
        let total = wanted.len();
        if existing.is_none() && total > 0 {
            sh.err(format!(
                "     Locking {total} package{} to latest compatible versions\n",
                if total == 1 { "" } else { "s" }
            ))?;
        } else {
            for c in &missing {
                sh.err(format!("      Adding {} v{}\n", c.name, c.version))?;
            }
        }
        let all = [wanted.clone(), transitive.clone()].concat();
        if let Err(e) = sh.write_file(&path, lock_text(ws, &all)) {
            sh.err(format!(
                "error: failed to write {path}\n\nCaused by:\n  {}\n",
                e.kind
            ))?;
            return Ok(None);
        }
    }
    let mut crates = registry_crates(ws, &ws.selected, dev, &wanted);
    crates.extend(transitive);
    crate::sort::sort_by(&mut crates, |a, b| a.name.cmp(&b.name));
    Ok(Some(crates))
}

/// `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home(sh: &Shell<'_>) -> String {
    sh.var("CARGO_HOME")
        .filter(|v| !v.is_empty())
        .map_or_else(|| format!("{}/.cargo", sh.home()), str::to_string)
}

/// The toolchain's release (`1.83.0`), from `$RUST_VERSION` or the rustup default.
fn toolchain_version(sh: &Shell<'_>) -> Option<String> {
    if let Some(v) = sh.var("RUST_VERSION").filter(|v| !v.is_empty()) {
        return Some(v.to_string());
    }
    let home = sh
        .var("RUSTUP_HOME")
        .map_or_else(|| format!("{}/.rustup", sh.home()), str::to_string);
    let text = sh.fs.read_file(&format!("{home}/settings.toml")).ok()?;
    let text = String::from_utf8_lossy(&text.bytes()).into_owned();
    text.lines().find_map(|l| {
        let v = l.strip_prefix("default_toolchain = \"")?;
        let first = v.split('-').next()?;
        first.contains('.').then(|| first.to_string())
    })
}

/// The crates.io directory name under `registry/`: Cargo 1.85 changed the hash in it.
fn registry_dir(sh: &Shell<'_>) -> &'static str {
    let minor =
        toolchain_version(sh).and_then(|v| v.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()));
    if minor.is_some_and(|m| m >= 85) {
        "index.crates.io-1949cf8c6b5b557f"
    } else {
        "index.crates.io-6f17d22bba15001f"
    }
}

/// Whether a crate's `.crate` is already in the registry cache.
fn in_registry(sh: &Shell<'_>, c: &Crate) -> bool {
    sh.fs.exists(&format!(
        "{}/registry/cache/{}/{}-{}.crate",
        cargo_home(sh),
        registry_dir(sh),
        c.name,
        c.version
    ))
}

/// The `.crate` size of a crate (40 to 440 KB, stable per name).
fn crate_size(c: &Crate) -> u64 {
    40_000 + seed(&["crate-size", &c.name]) % 400_000
}

/// The index path Cargo caches a crate's entry under (`se/rd/serde`, `3/s/syn`).
fn index_path(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.len() {
        1 => format!("1/{lower}"),
        2 => format!("2/{lower}"),
        3 => format!("3/{}/{lower}", &lower[..1]),
        _ => format!("{}/{}/{lower}", &lower[..2], &lower[2..4]),
    }
}

/// Puts the crates missing from `$CARGO_HOME/registry` there (index entry, `.crate`,
/// unpacked sources) and prints Cargo's download lines; returns how many were new.
fn download(sh: &mut Shell<'_>, crates: &[Crate], global: &Global) -> Result<usize, Flow> {
    let home = cargo_home(sh);
    let reg = registry_dir(sh);
    let dir_meta = sh.dir_meta();
    let file_meta = sh.file_meta();
    let mut new = 0;
    let mut bytes = 0;
    for c in crates {
        if in_registry(sh, c) {
            continue;
        }
        sh.step()?;
        if global.offline {
            continue;
        }
        let size = crate_size(c);
        let index = format!("{home}/registry/index/{reg}");
        let cache = format!("{home}/registry/cache/{reg}");
        let src = format!("{home}/registry/src/{reg}/{}-{}", c.name, c.version);
        let entry = format!("{index}/.cache/{}", index_path(&c.name));
        for dir in [
            entry
                .rsplit_once('/')
                .map_or(index.clone(), |(d, _)| d.to_string()),
            cache.clone(),
            format!("{src}/src"),
        ] {
            let _ = sh.fs.mkdir_all(&dir, dir_meta);
        }
        let config = format!("{index}/config.json");
        if !sh.fs.exists(&config) {
            let _ = sh.fs.write_file(
                &config,
                Blob::from_bytes(
                    b"{\"dl\":\"https://static.crates.io/crates\",\"api\":\"https://crates.io\"}"
                        .to_vec(),
                ),
                file_meta,
            );
        }
        let s = seed(&["crate", &c.name, &c.version]);
        let files = [
            (entry, Blob::generated(2_000 + size / 50, s ^ 1)),
            (
                format!("{cache}/{}-{}.crate", c.name, c.version),
                Blob::generated(size, s),
            ),
            (
                format!("{src}/Cargo.toml"),
                Blob::from_bytes(format!(
                    "# simulated by layerlab: crates.io's normalized manifest of {0} {1}\n[package]\nname = \"{0}\"\nversion = \"{1}\"\n",
                    c.name, c.version
                )),
            ),
            (
                format!("{src}/src/lib.rs"),
                Blob::generated_text(
                    &format!("// {} {}: stand-in for the crate's sources (layerlab)\n", c.name, c.version),
                    "// ...",
                    size * 3,
                ),
            ),
            (format!("{src}/.cargo-ok"), Blob::from_bytes(b"{\"v\":1}".to_vec())),
        ];
        for (path, blob) in files {
            let _ = sh.fs.write_file(&path, blob, file_meta);
        }
        bytes += size;
        new += 1;
        if !global.quiet {
            sh.err(format!("  Downloaded {} v{}\n", c.name, c.version))?;
        }
    }
    if new > 0 && !global.quiet {
        sh.err(format!(
            "  Downloaded {new} crate{} ({:.1} KB) in {:.2}s\n",
            if new == 1 { "" } else { "s" },
            bytes as f64 / 1000.0,
            0.1 + new as f64 * 0.05
        ))?;
    }
    Ok(new)
}

/// The host triple: the rustup default's, else the image's C library's.
fn host_triple(sh: &Shell<'_>) -> String {
    if sh.fs.exists("/lib/ld-musl-x86_64.so.1") {
        "x86_64-unknown-linux-musl".to_string()
    } else {
        "x86_64-unknown-linux-gnu".to_string()
    }
}

/// A 16-hex-digit hash in Cargo's file names (`serde-3a1f...`).
fn unit_hash(parts: &[&str]) -> String {
    format!("{:016x}", seed(parts))
}

/// The newest mtime of a package's sources (`src/`, `build.rs`, `Cargo.toml`) and
/// a digest of their contents.
fn sources_state(sh: &mut Shell<'_>, dir: &str) -> Result<(i64, String), Flow> {
    let mut newest = i64::MIN;
    let mut digest = String::new();
    for file in ["Cargo.toml", "build.rs"] {
        if let Ok(st) = sh.fs.stat(&format!("{dir}/{file}")) {
            newest = newest.max(st.meta.mtime);
        }
    }
    let src = format!("{dir}/src");
    for entry in sh.fs.walk(&src).unwrap_or_default() {
        sh.step()?;
        newest = newest.max(entry.stat.meta.mtime);
        if let crate::vfs::Kind::File(blob) = &entry.stat.kind {
            digest.push_str(&entry.path);
            digest.push_str(&blob.digest().hex()[..16]);
        }
    }
    Ok((newest, crate::digest::Digest::of(digest.as_bytes()).hex()))
}

/// One compilation unit's place: `target/[TRIPLE/]PROFILE`.
struct Out {
    dir: String,
    release: bool,
    musl: bool,
}

impl Out {
    fn index(&self) -> usize {
        usize::from(!self.release)
    }
}

/// Writes `path` with `blob`, creating its directory.
fn put(sh: &mut Shell<'_>, path: &str, blob: Blob, meta: Meta) {
    if let Some((parent, _)) = path.rsplit_once('/') {
        let dir_meta = sh.dir_meta();
        let _ = sh.fs.mkdir_all(parent, dir_meta);
    }
    let _ = sh.fs.write_file(path, blob, meta);
}

/// Compiles a registry crate unless its fingerprint says it is fresh; returns
/// whether it compiled.
fn compile_crate(sh: &mut Shell<'_>, out: &Out, c: &Crate, quiet: bool) -> Result<bool, Flow> {
    let hash = unit_hash(&[&c.name, &c.version, &out.dir]);
    let fingerprint = format!("{}/.fingerprint/{}-{hash}", out.dir, c.name);
    if sh.fs.exists(&fingerprint) {
        return Ok(false);
    }
    sh.step()?;
    if !quiet {
        sh.err(format!("   Compiling {} v{}\n", c.name, c.version))?;
    }
    let meta = sh.file_meta();
    let crate_name = c.name.replace('-', "_");
    let s = seed(&["rlib", &c.name, &c.version, &out.dir]);
    let i = out.index();
    put(
        sh,
        &format!("{}/deps/lib{crate_name}-{hash}.rlib", out.dir),
        Blob::generated(RLIB[i], s),
        meta,
    );
    put(
        sh,
        &format!("{}/deps/lib{crate_name}-{hash}.rmeta", out.dir),
        Blob::generated(RMETA[i], s ^ 1),
        meta,
    );
    put(
        sh,
        &format!("{}/deps/{crate_name}-{hash}.d", out.dir),
        Blob::from_bytes(format!(
            "{}/deps/lib{crate_name}-{hash}.rlib: src/lib.rs\n",
            out.dir
        )),
        meta,
    );
    put(
        sh,
        &format!("{fingerprint}/lib-{crate_name}"),
        Blob::from_bytes(hash.clone()),
        meta,
    );
    put(
        sh,
        &format!("{fingerprint}/lib-{crate_name}.json"),
        Blob::from_bytes(format!("{{\"rustc\":0,\"features\":\"[]\",\"target\":0,\"profile\":{},\"path\":0,\"deps\":[],\"local\":[],\"rustflags\":[],\"config\":0,\"compile_kind\":0}}", i)),
        meta,
    );
    put(
        sh,
        &format!("{fingerprint}/invoked.timestamp"),
        Blob::from_bytes(b"This file has an mtime of when this was started.".to_vec()),
        meta,
    );
    // `-sys` crates wrap C libraries: their build script and its output stay in build/.
    if c.name.ends_with("-sys") {
        let build = format!("{}/build/{}-{hash}", out.dir, c.name);
        put(
            sh,
            &format!("{build}/build-script-build"),
            Blob::generated(900_000, s ^ 2),
            sh.dir_meta(),
        );
        put(
            sh,
            &format!("{build}/out/lib{crate_name}.a"),
            Blob::generated(RLIB[i], s ^ 3),
            meta,
        );
    }
    Ok(true)
}

/// What building a workspace package did.
struct Built {
    compiled: bool,
    executables: Vec<String>,
}

/// Compiles a workspace package (its library and executables) when its sources are
/// newer than its last build, Cargo's mtime rule.
fn compile_package(
    sh: &mut Shell<'_>,
    out: &Out,
    p: &Package,
    deps: usize,
    wanted_bins: Option<&[String]>,
    mode: Mode,
    quiet: bool,
) -> Result<Built, Flow> {
    let dir = p.manifest.dir.trim_end_matches('/').to_string();
    let hash = unit_hash(&[&p.name, &p.manifest.version, &dir, &out.dir]);
    let crate_name = p.name.replace('-', "_");
    let fingerprint = format!("{}/.fingerprint/{}-{hash}", out.dir, p.name);
    let marker = format!("{fingerprint}/invoked.timestamp");
    let (newest, digest) = sources_state(sh, &dir)?;
    let last = sh.fs.stat(&marker).ok().map(|s| s.meta.mtime);
    let bins: Vec<&(String, String)> = p
        .bins
        .iter()
        .filter(|(b, _)| wanted_bins.is_some_and(|w| w.is_empty() || w.contains(b)))
        .collect();
    let exe_path = |b: &str| format!("{}/{b}", out.dir);
    let fresh = last.is_some_and(|t| newest < t)
        && (mode == Mode::Check || bins.iter().all(|(b, _)| sh.fs.exists(&exe_path(b))));
    let executables: Vec<String> = bins.iter().map(|(b, _)| exe_path(b)).collect();
    if fresh {
        let recorded = sh
            .fs
            .read_file(&format!("{fingerprint}/bin-{crate_name}"))
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
            .unwrap_or_default();
        if recorded != digest[..16] {
            sh.notice(
                NoticeKind::Simulated,
                "cargo",
                format!("cargo considers `{}` fresh: its sources are older than its last build in {} (COPY keeps the build context's mtimes), so the executable is still the one built from the earlier sources; `touch` a source file to rebuild", p.name, out.dir),
            );
        }
        return Ok(Built {
            compiled: false,
            executables,
        });
    }
    sh.step()?;
    if !quiet {
        let verb = if mode == Mode::Check {
            "Checking"
        } else {
            "Compiling"
        };
        sh.err(format!(
            "{verb:>12} {} v{} ({dir})\n",
            p.name, p.manifest.version
        ))?;
    }
    let meta = sh.file_meta();
    let exec_meta = sh.dir_meta();
    let i = out.index();
    let s = seed(&["bin", &p.name, &digest, &out.dir]);
    if p.lib {
        put(
            sh,
            &format!("{}/deps/lib{crate_name}-{hash}.rmeta", out.dir),
            Blob::generated(RMETA[i] / 4, s ^ 4),
            meta,
        );
        if mode != Mode::Check {
            let rlib = format!("{}/deps/lib{crate_name}-{hash}.rlib", out.dir);
            put(sh, &rlib, Blob::generated(RLIB[i] / 4, s ^ 5), meta);
            let _ = sh
                .fs
                .remove_file(&format!("{}/lib{crate_name}.rlib", out.dir));
            let _ = sh
                .fs
                .hard_link(&rlib, &format!("{}/lib{crate_name}.rlib", out.dir));
        }
    }
    if mode != Mode::Check {
        let libs: &[&str] = if out.musl {
            &[]
        } else {
            &["libgcc_s.so.1", "libc.so.6"]
        };
        for (bin, source) in &bins {
            let size = HELLO[i] + DEP_IN_EXE[i] * deps as u64;
            let head = crate::catalog::elf_head(libs);
            let blob = Blob::generated_with_head(head, size, s ^ seed(&[bin]));
            let dep_file = format!("{}/deps/{}-{hash}", out.dir, bin.replace('-', "_"));
            put(sh, &dep_file, blob, exec_meta);
            let exe = exe_path(bin);
            let _ = sh.fs.remove_file(&exe);
            let _ = sh.fs.hard_link(&dep_file, &exe);
            put(
                sh,
                &format!("{exe}.d"),
                Blob::from_bytes(format!("{exe}: {dir}/{source}\n")),
                meta,
            );
        }
    }
    if !out.release && mode != Mode::Check {
        // Incremental compilation state: a dependency graph and a query cache.
        let inc = format!(
            "{}/incremental/{crate_name}-{hash}/s-{}",
            out.dir,
            &digest[..20]
        );
        let size = HELLO[1] + DEP_IN_EXE[1] * deps as u64;
        put(
            sh,
            &format!("{inc}/dep-graph.bin"),
            Blob::generated(size / 3, s ^ 6),
            meta,
        );
        put(
            sh,
            &format!("{inc}/query-cache.bin"),
            Blob::generated(size / 2, s ^ 7),
            meta,
        );
        put(
            sh,
            &format!("{inc}/work-products.bin"),
            Blob::generated(size / 20, s ^ 8),
            meta,
        );
    }
    put(
        sh,
        &format!("{fingerprint}/bin-{crate_name}"),
        Blob::from_bytes(digest[..16].to_string()),
        meta,
    );
    put(
        sh,
        &marker,
        Blob::from_bytes(b"This file has an mtime of when this was started.".to_vec()),
        meta,
    );
    Ok(Built {
        compiled: true,
        executables,
    })
}

/// The target directory's own files: `CACHEDIR.TAG`, `.rustc_info.json` and the
/// profile's empty directories.
fn prepare_target(sh: &mut Shell<'_>, target: &str, out: &Out) {
    let meta = sh.file_meta();
    let dir_meta = sh.dir_meta();
    let tag = format!("{target}/CACHEDIR.TAG");
    if !sh.fs.exists(&tag) {
        put(
            sh,
            &tag,
            Blob::from_bytes(b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cargo.\n# For information about cache directory tags see https://bford.info/cachedir/\n".to_vec()),
            meta,
        );
        put(
            sh,
            &format!("{target}/.rustc_info.json"),
            Blob::from_bytes(b"{\"rustc_fingerprint\":0,\"outputs\":{},\"successes\":{}}".to_vec()),
            meta,
        );
    }
    for sub in ["build", "deps", "examples", "incremental", ".fingerprint"] {
        let _ = sh.fs.mkdir_all(&format!("{}/{sub}", out.dir), dir_meta);
    }
    put(
        sh,
        &format!("{}/.cargo-lock", out.dir),
        Blob::from_bytes(Vec::new()),
        meta,
    );
}

/// `build`, `check`, `test` and `run`.
fn build_command(sh: &mut Shell<'_>, global: &Global, args: &[String], mode: Mode) -> Exec {
    let mut global = global.clone();
    let flags = build_flags(args, &mut global);
    let start = match (&flags.manifest_path, &global.dir) {
        (Some(m), _) => sh.abs(m.trim_end_matches("Cargo.toml").trim_end_matches('/')),
        (None, Some(d)) => sh.abs(d),
        (None, None) => sh.abs("."),
    };
    let release = flags.release;
    let Some(outcome) = build_workspace(sh, &global, &flags, &start, mode, release)? else {
        return Ok(FAILED);
    };
    let profile = match (mode, release) {
        (Mode::Test, false) => "`test` profile [unoptimized + debuginfo]",
        (_, false) => "`dev` profile [unoptimized + debuginfo]",
        (_, true) => "`release` profile [optimized]",
    };
    if !global.quiet {
        sh.err(format!(
            "    Finished {profile} target(s) in {:.2}s\n",
            0.3 + outcome.compiled as f64 * 0.9
        ))?;
    }
    let what = match outcome.executables.as_slice() {
        [] => "no executable was written".to_string(),
        [one] => format!("{one} is a placeholder executable of a realistic size"),
        many => format!("{} placeholder executables were written", many.len()),
    };
    match mode {
        Mode::Test => sh.notice(
            NoticeKind::Simulated,
            "cargo",
            "simulated: cargo test compiled nothing and ran no tests; they are reported as passing",
        ),
        Mode::Run => {
            if let Some(exe) = outcome.executables.first() {
                let here = super::builtins::normalize(&start);
                let rel = exe
                    .strip_prefix(&format!("{}/", here.trim_end_matches('/')))
                    .unwrap_or(exe);
                if !global.quiet {
                    sh.err(format!("     Running `{rel}`\n"))?;
                }
            }
            sh.notice(
                NoticeKind::NotSimulated,
                "cargo",
                format!("cargo run built the package ({what}) but layerlab does not run the program; treated as success"),
            );
        }
        Mode::Check => sh.notice(
            NoticeKind::Simulated,
            "cargo",
            "simulated: cargo check compiled nothing and reports no errors; like a real check it wrote no executable",
        ),
        Mode::Build => sh.notice(
            NoticeKind::Simulated,
            "cargo",
            format!("simulated: cargo build compiled nothing; {what}"),
        ),
    }
    Ok(0)
}

/// What a workspace build produced.
struct Outcome {
    compiled: usize,
    executables: Vec<String>,
    /// The packages built, for `install`: (name, version, dir, executables).
    packages: Vec<(String, String, String, Vec<String>)>,
}

/// Loads the workspace at `start`, settles the lock, fills the registry and
/// compiles; `None` after Cargo's error was printed.
fn build_workspace(
    sh: &mut Shell<'_>,
    global: &Global,
    flags: &BuildFlags,
    start: &str,
    mode: Mode,
    release: bool,
) -> Result<Option<Outcome>, Flow> {
    let Some(ws) = load_workspace(sh, start, flags)? else {
        return Ok(None);
    };
    for wanted in &flags.bins {
        if !ws
            .selected
            .iter()
            .any(|&i| ws.members[i].bins.iter().any(|(b, _)| b == wanted))
        {
            let mut names: Vec<String> = ws
                .selected
                .iter()
                .flat_map(|&i| ws.members[i].bins.iter().map(|(b, _)| format!("    {b}\n")))
                .collect();
            crate::sort::sort(&mut names);
            sh.err(format!(
                "error: no bin target named `{wanted}`.\n\nAvailable bin targets:\n{}",
                names.concat()
            ))?;
            return Ok(None);
        }
    }
    let Some(crates) = ensure_lock(sh, &ws, global, mode == Mode::Test)? else {
        return Ok(None);
    };
    if global.offline {
        if let Some(c) = crates.iter().find(|c| !in_registry(sh, c)) {
            sh.err(format!(
                "error: failed to download `{} v{}`\n\nCaused by:\n  attempting to make an HTTP request, but --offline was specified\n",
                c.name, c.version
            ))?;
            return Ok(None);
        }
    }
    download(sh, &crates, global)?;
    let host = host_triple(sh);
    let profile_dir = if release { "release" } else { "debug" };
    let target = format!("{}/target", ws.root.trim_end_matches('/'));
    let triple = flags.target.clone();
    let out = Out {
        dir: match &triple {
            Some(t) => format!("{target}/{t}/{profile_dir}"),
            None => format!("{target}/{profile_dir}"),
        },
        release,
        musl: triple.as_deref().unwrap_or(&host).contains("musl"),
    };
    if let Some(t) = triple.as_deref().filter(|t| *t != host) {
        if super::rustup::has_target(sh, t) == Some(false) {
            let first = crates.first().map_or_else(
                || {
                    let p = &ws.members[ws.selected.first().copied().unwrap_or(0)];
                    format!("{} v{} ({})", p.name, p.manifest.version, p.manifest.dir)
                },
                |c| format!("{} v{}", c.name, c.version),
            );
            let name = first.split(' ').next().unwrap_or("").to_string();
            sh.err(format!(
                "   Compiling {first}\nerror[E0463]: can't find crate for `std`\n  |\n  = note: the `{t}` target may not be installed\n  = help: consider downloading the target with `rustup target add {t}`\n\nFor more information about this error, try `rustc --explain E0463`.\nerror: could not compile `{name}` due to 1 previous error\n"
            ))?;
            return Ok(None);
        }
    }
    prepare_target(sh, &target, &out);
    let mut compiled = 0;
    for c in &crates {
        if compile_crate(sh, &out, c, global.quiet)? {
            compiled += 1;
        }
    }
    let mut outcome = Outcome {
        compiled: 0,
        executables: Vec::new(),
        packages: Vec::new(),
    };
    // Path dependencies first, then the selected packages.
    let mut order: Vec<usize> = (0..ws.members.len())
        .filter(|i| !ws.selected.contains(i))
        .filter(|&i| {
            ws.selected.iter().any(|&s| {
                ws.members[s]
                    .manifest
                    .deps
                    .iter()
                    .any(|d| d.name == ws.members[i].name)
            })
        })
        .collect();
    order.extend(ws.selected.iter().copied());
    for i in order {
        let p = &ws.members[i];
        let selected = ws.selected.contains(&i);
        let deps = p
            .manifest
            .deps
            .iter()
            .filter(|d| d.kind != DepKind::Dev)
            .count();
        // A path dependency builds its library only.
        let bins = selected.then_some(flags.bins.as_slice());
        let built = compile_package(sh, &out, p, deps, bins, mode, global.quiet)?;
        compiled += usize::from(built.compiled);
        if selected {
            outcome
                .executables
                .extend(built.executables.iter().cloned());
            outcome.packages.push((
                p.name.clone(),
                p.manifest.version.clone(),
                p.manifest.dir.clone(),
                built.executables,
            ));
        }
    }
    outcome.compiled = compiled;
    Ok(Some(outcome))
}

/// `cargo fetch`: the lock settled and every dependency in the registry.
fn fetch(sh: &mut Shell<'_>, global: &Global, args: &[String]) -> Exec {
    let mut global = global.clone();
    let flags = build_flags(args, &mut global);
    let start = sh.abs(global.dir.as_deref().unwrap_or("."));
    let Some(ws) = load_workspace(sh, &start, &flags)? else {
        return Ok(FAILED);
    };
    let everything: Vec<usize> = (0..ws.members.len()).collect();
    let ws = Workspace {
        selected: everything,
        ..ws
    };
    let Some(crates) = ensure_lock(sh, &ws, &global, true)? else {
        return Ok(FAILED);
    };
    let new = download(sh, &crates, &global)?;
    if new > 0 {
        sh.notice(
            NoticeKind::Simulated,
            "cargo",
            format!("simulated: cargo fetch downloaded nothing; {new} crates were written to the registry as placeholders of realistic size"),
        );
    }
    Ok(0)
}

/// Where `cargo install` puts executables: `--root`/bin, `$CARGO_INSTALL_ROOT`/bin,
/// else `$CARGO_HOME/bin`.
fn install_root(sh: &Shell<'_>, flags: &BuildFlags) -> String {
    let root = flags
        .root
        .as_ref()
        .map(|r| sh.abs(r))
        .or_else(|| {
            sh.var("CARGO_INSTALL_ROOT")
                .filter(|v| !v.is_empty())
                .map(|v| sh.abs(v))
        })
        .unwrap_or_else(|| sh.abs(&cargo_home(sh)));
    root.trim_end_matches('/').to_string()
}

/// Records installed packages in the root's `.crates.toml` and `.crates2.json`.
fn record_install(sh: &mut Shell<'_>, root: &str, id: &str, bins: &[String]) {
    let list: Vec<String> = bins.iter().map(|b| format!("\"{b}\"")).collect();
    let _ = sh.write_file(
        &format!("{root}/.crates.toml"),
        format!("[v1]\n\"{id}\" = [{}]\n", list.join(", ")),
    );
    let _ = sh.write_file(
        &format!("{root}/.crates2.json"),
        format!(
            "{{\"installs\":{{\"{id}\":{{\"version_req\":null,\"bins\":[{}],\"features\":[],\"all_features\":false,\"no_default_features\":false,\"profile\":\"release\",\"target\":\"x86_64-unknown-linux-gnu\",\"rustc\":\"\"}}}}}}",
            list.join(",")
        ),
    );
}

/// `cargo install --path DIR` (a release build copied to the root's bin) and
/// `cargo install NAME` (from the registry).
fn install(sh: &mut Shell<'_>, global: &Global, args: &[String]) -> Exec {
    let mut global = global.clone();
    let flags = build_flags(args, &mut global);
    let root = install_root(sh, &flags);
    let bin_dir = format!("{root}/bin");
    let dir_meta = sh.dir_meta();
    let Some(path) = flags.path.clone() else {
        return install_remote(sh, &global, &flags, &root);
    };
    let dir = super::builtins::normalize(&sh.abs(&path));
    if !sh
        .fs
        .exists(&format!("{}/Cargo.toml", dir.trim_end_matches('/')))
    {
        sh.err(format!("error: `{dir}` does not contain a Cargo.toml file. --path must point to a directory containing a Cargo.toml file.\n"))?;
        return Ok(FAILED);
    }
    if let Ok(m) = read_manifest(sh, &dir) {
        if !global.quiet {
            sh.err(format!(
                "  Installing {} v{} ({dir})\n",
                m.name.unwrap_or_default(),
                m.version
            ))?;
        }
    }
    let Some(outcome) = build_workspace(sh, &global, &flags, &dir, Mode::Build, true)? else {
        return Ok(FAILED);
    };
    if !global.quiet {
        sh.err(format!(
            "    Finished `release` profile [optimized] target(s) in {:.2}s\n",
            0.3 + outcome.compiled as f64 * 0.9
        ))?;
    }
    let _ = sh.fs.mkdir_all(&bin_dir, dir_meta);
    for (name, version, pkg_dir, exes) in &outcome.packages {
        let mut names = Vec::new();
        for exe in exes {
            let file = exe.rsplit('/').next().unwrap_or(exe).to_string();
            let dest = format!("{bin_dir}/{file}");
            let Ok(blob) = sh.fs.read_file(exe) else {
                continue;
            };
            let existed = sh.fs.exists(&dest);
            if let Err(e) = sh.fs.write_file(&dest, blob, dir_meta) {
                sh.err(format!("error: failed to install `{dest}`: {}\n", e.kind))?;
                return Ok(FAILED);
            }
            if !global.quiet {
                let verb = if existed { "Replacing" } else { "Installing" };
                sh.err(format!("{verb:>12} {dest}\n"))?;
            }
            names.push(file);
        }
        if names.is_empty() {
            sh.err(format!("error: there is nothing to install in `{name} v{version} ({pkg_dir})`, because it has no binaries\n`cargo install` is only for installing programs, and can't be used with libraries.\nTo use a library crate, add it as a dependency to a Cargo project with `cargo add`.\n"))?;
            return Ok(FAILED);
        }
        let id = format!("{name} {version} (path+file://{pkg_dir})");
        record_install(sh, &root, &id, &names);
        if !global.quiet {
            let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            sh.err(format!(
                "   Installed package `{name} v{version} ({pkg_dir})` (executable{} {})\n",
                if names.len() == 1 { "" } else { "s" },
                list.join(", ")
            ))?;
        }
    }
    sh.notice(
        NoticeKind::Simulated,
        "cargo",
        format!("simulated: cargo install compiled nothing; {bin_dir} holds placeholder executables of a realistic size"),
    );
    Ok(0)
}

/// `cargo install NAME[@VERSION] [--version V]`: the crate is put in the registry
/// and its executable (named after the crate) in the root's bin.
fn install_remote(sh: &mut Shell<'_>, global: &Global, flags: &BuildFlags, root: &str) -> Exec {
    if flags.crates.is_empty() {
        sh.err("error: Using `cargo install` to install the binaries from the package in current working directory is no longer supported, use `cargo install --path .` instead. Use `cargo build` if you want to simply build the package.\n")?;
        return Ok(FAILED);
    }
    let bin_dir = format!("{root}/bin");
    let dir_meta = sh.dir_meta();
    let _ = sh.fs.mkdir_all(&bin_dir, dir_meta);
    let musl = host_triple(sh).contains("musl");
    if !global.quiet && !global.offline {
        sh.err("    Updating crates.io index\n")?;
    }
    for spec in &flags.crates {
        let (name, version) = match spec.split_once('@') {
            Some((n, v)) => (n.to_string(), resolve_version(v)),
            None => (
                spec.clone(),
                flags
                    .version
                    .as_deref()
                    .map_or_else(|| "1.0.0".to_string(), resolve_version),
            ),
        };
        let c = Crate {
            name: name.clone(),
            version: version.clone(),
        };
        download(sh, std::slice::from_ref(&c), global)?;
        if !global.quiet {
            sh.err(format!("  Installing {name} v{version}\n   Compiling {name} v{version}\n    Finished `release` profile [optimized] target(s) in 1.20s\n"))?;
        }
        let libs: &[&str] = if musl {
            &[]
        } else {
            &["libgcc_s.so.1", "libc.so.6"]
        };
        let head = crate::catalog::elf_head(libs);
        let blob = Blob::generated_with_head(
            head,
            HELLO[0] + 6 * DEP_IN_EXE[0],
            seed(&["cargo-install", &name, &version]),
        );
        let dest = format!("{bin_dir}/{name}");
        if let Err(e) = sh.fs.write_file(&dest, blob, dir_meta) {
            sh.err(format!("error: failed to install `{dest}`: {}\n", e.kind))?;
            return Ok(FAILED);
        }
        record_install(
            sh,
            root,
            &format!("{name} {version} (registry+https://github.com/rust-lang/crates.io-index)"),
            std::slice::from_ref(&name),
        );
        if !global.quiet {
            sh.err(format!("  Installing {dest}\n   Installed package `{name} v{version}` (executable `{name}`)\n"))?;
        }
    }
    sh.notice(
        NoticeKind::Simulated,
        "cargo",
        format!("simulated: cargo install downloaded and compiled nothing; {bin_dir} holds placeholder executables named after the crates (a crate's real executable names and latest version are not known here)"),
    );
    Ok(0)
}

/// Whether `dir` or a parent is in a git repository.
fn in_git_repo(sh: &Shell<'_>, dir: &str) -> bool {
    let mut d = dir.trim_end_matches('/').to_string();
    loop {
        if sh.fs.exists(&format!("{d}/.git")) {
            return true;
        }
        match d.rsplit_once('/') {
            Some((parent, _)) => d = parent.to_string(),
            None => return false,
        }
        if d.is_empty() {
            return sh.fs.exists("/.git");
        }
    }
}

/// `cargo new PATH` and `cargo init [PATH]`: Cargo.toml, `src/main.rs` (or
/// `src/lib.rs` with `--lib`), `.gitignore` and a git repository.
fn new_package(sh: &mut Shell<'_>, args: &[String], init: bool) -> Exec {
    let mut lib = false;
    let mut vcs = true;
    let mut name = None;
    let mut edition = None;
    let mut path = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        let (flag, inline) = super::long_flag(arg);
        let value = |i: &mut usize| super::flag_value(&inline, args, i);
        match flag {
            "--lib" => lib = true,
            "--bin" => lib = false,
            "--vcs" => vcs = value(&mut i).as_deref() != Some("none"),
            "--name" => name = value(&mut i),
            "--edition" => edition = value(&mut i),
            "--registry" | "--color" | "--config" | "-Z" => {
                value(&mut i);
            }
            a if a.starts_with('-') => {}
            a => path = Some(a.to_string()),
        }
    }
    let dir = match (&path, init) {
        (Some(p), _) => sh.abs(p),
        (None, true) => sh.abs("."),
        (None, false) => {
            sh.err("error: the following required arguments were not provided:\n  <PATH>\n\nUsage: cargo new <PATH>\n\nFor more information, try '--help'.\n")?;
            return Ok(1);
        }
    };
    let dir = super::builtins::normalize(&dir);
    let shown = path.clone().unwrap_or_else(|| dir.clone());
    if !init && sh.fs.exists(&dir) {
        sh.err(format!("error: destination `{dir}` already exists\n\nUse `cargo init` to initialize the directory\n"))?;
        return Ok(FAILED);
    }
    if init && sh.fs.exists(&format!("{dir}/Cargo.toml")) {
        sh.err("error: `cargo init` cannot be run on existing Cargo packages\n")?;
        return Ok(FAILED);
    }
    let name = name.unwrap_or_else(|| dir.rsplit('/').next().unwrap_or("app").to_string());
    let edition = edition.unwrap_or_else(|| {
        let minor = toolchain_version(sh)
            .and_then(|v| v.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()));
        if minor.is_some_and(|m| m >= 85) {
            "2024"
        } else {
            "2021"
        }
        .to_string()
    });
    let kind = if lib {
        "library"
    } else {
        "binary (application)"
    };
    if init {
        sh.err(format!("    Creating {kind} package\n"))?;
    } else {
        sh.err(format!("    Creating {kind} `{name}` package\n"))?;
    }
    let dir_meta = sh.dir_meta();
    if let Err(e) = sh.fs.mkdir_all(&format!("{dir}/src"), dir_meta) {
        sh.err(format!(
            "error: failed to create package `{name}` at `{shown}`\n\nCaused by:\n  {}\n",
            e.kind
        ))?;
        return Ok(FAILED);
    }
    let (file, text) = if lib {
        ("src/lib.rs", "pub fn add(left: u64, right: u64) -> u64 {\n    left + right\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn it_works() {\n        let result = add(2, 2);\n        assert_eq!(result, 4);\n    }\n}\n")
    } else {
        (
            "src/main.rs",
            "fn main() {\n    println!(\"Hello, world!\");\n}\n",
        )
    };
    let mut files = vec![(
        "Cargo.toml".to_string(),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{edition}\"\n\n[dependencies]\n"),
    )];
    if !sh.fs.exists(&format!("{dir}/src/main.rs")) && !sh.fs.exists(&format!("{dir}/src/lib.rs")) {
        files.push((file.to_string(), text.to_string()));
    }
    let git = vcs && !in_git_repo(sh, &dir);
    if git {
        files.push((".gitignore".to_string(), "/target\n".to_string()));
    }
    for (rel, text) in files {
        if let Err(e) = sh.write_file(&format!("{dir}/{rel}"), text) {
            sh.err(format!(
                "error: failed to write `{dir}/{rel}`: {}\n",
                e.kind
            ))?;
            return Ok(FAILED);
        }
    }
    if git {
        let status = super::git::init(sh, &dir, &["-q".to_string()])?;
        if status != 0 {
            return Ok(FAILED);
        }
    }
    sh.err("note: see more `Cargo.toml` keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html\n")?;
    Ok(0)
}
