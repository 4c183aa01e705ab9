//! `corepack enable` and the `pnpm` it provides: the node images ship corepack,
//! whose shims fetch the package manager a project names on first use (Next.js's
//! own Dockerfile runs `corepack enable pnpm && pnpm i --frozen-lockfile`).
//!
//! `pnpm install` (`i`, `add`) resolves with npm's registry and resolver but lays
//! packages out as pnpm does: each in `node_modules/.pnpm/NAME@VERSION/node_modules/NAME`,
//! the direct dependencies linked at the top of `node_modules`, the rest reachable
//! through `.pnpm/node_modules`, and every file hard-linked from the
//! content-addressed store (`~/.local/share/pnpm/store/v3`), so the store costs a
//! layer almost nothing. It reads and writes `pnpm-lock.yaml` (v9) and refuses a
//! missing or outdated one under `--frozen-lockfile` with pnpm's errors; `pnpm
//! run` and the script shorthand run package.json scripts.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::npm::{
    id_and_scripts, manifest_wants, parse_spec, pretty, read_json, resolve, run_stage, save_named,
    script_stages, write_package, Pkg,
};
use super::{write_generated, write_text};
use crate::vfs::Meta;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The pnpm corepack fetches when the project's `packageManager` names none.
const DEFAULT_PNPM: &str = "9.15.4";

/// The shims `corepack enable` links for each package manager.
const SHIMS: &[(&str, &[&str])] = &[("pnpm", &["pnpm", "pnpx"]), ("yarn", &["yarn", "yarnpkg"])];

/// `corepack enable [NAME...]`: links the shims of pnpm and yarn (or of the named
/// ones) next to corepack itself; `corepack prepare`/`install` and
/// `corepack pnpm ...` are the same shims called by name.
pub fn corepack(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let words: Vec<&str> = argv[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match words.as_slice() {
        ["enable", names @ ..] => {
            let program = sh
                .fs
                .canonicalize(&sh.program_path)
                .unwrap_or_else(|_| sh.program_path.clone());
            let dist = super::super::commands::files::parent_of(&program);
            let bin = super::super::commands::files::parent_of(&sh.program_path);
            let relative = super::pip::relative(&bin, &dist);
            for (manager, shims) in SHIMS {
                if !names.is_empty() && !names.contains(manager) {
                    continue;
                }
                for shim in *shims {
                    let link = format!("{bin}/{shim}");
                    let _ = sh.fs.remove_file(&link);
                    let _ = sh.fs.symlink(
                        &format!("{relative}/{shim}.js"),
                        &link,
                        Meta::new(0o777).at(sh.ctx.mtime),
                    );
                }
            }
            Ok(0)
        }
        ["--version" | "-v"] | [] if argv.iter().any(|a| a == "--version" || a == "-v") => {
            let version = super::installed_version(sh, "corepack").unwrap_or_default();
            sh.out(format!("{version}\n"))?;
            Ok(0)
        }
        ["pnpm", ..] => {
            let rest: Vec<String> = argv[1..].to_vec();
            pnpm(sh, &rest)
        }
        _ => {
            let what = argv[1..].join(" ");
            sh.notice(
                NoticeKind::NotSimulated,
                "corepack",
                format!("not simulated: `corepack {what}` is not modelled by layerlab (`corepack enable` is); treated as success"),
            );
            Ok(0)
        }
    }
}

/// The pnpm version the project asks for (`"packageManager": "pnpm@8.15.4"`), else
/// corepack's default; corepack keeps each fetched version in its cache, and says
/// so the first time.
fn fetch_pnpm(sh: &mut Shell<'_>, project: &str) -> Result<String, super::super::exec::Flow> {
    let wanted = read_json(sh, &format!("{project}/package.json"))
        .and_then(|pj| pj["packageManager"].as_str().map(str::to_string))
        .and_then(|pm| {
            pm.strip_prefix("pnpm@")
                .map(|v| v.split('+').next().unwrap_or(v).to_string())
        })
        .unwrap_or_else(|| DEFAULT_PNPM.to_string());
    let home = sh
        .var("COREPACK_HOME")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/.cache/node/corepack", sh.home()));
    let dir = format!("{home}/v1/pnpm/{wanted}");
    if !sh.fs.exists(&dir) {
        sh.err(format!(
            "! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-{wanted}.tgz\n"
        ))?;
        write_text(
            sh,
            &format!("{dir}/package.json"),
            &pretty(
                &json!({"name": "pnpm", "version": wanted, "bin": {"pnpm": "bin/pnpm.cjs", "pnpx": "bin/pnpx.cjs"}}),
            ),
        );
        write_generated(
            sh,
            &format!("{dir}/dist/pnpm.cjs"),
            6_600_000,
            &["pnpm", &wanted],
        );
        write_generated(
            sh,
            &format!("{dir}/dist/worker.js"),
            1_400_000,
            &["pnpm-worker", &wanted],
        );
        write_text(
            sh,
            &format!("{dir}/.corepack"),
            "{\"locator\":{\"name\":\"pnpm\"}}\n",
        );
    }
    Ok(wanted)
}

/// `pnpm [COMMAND] [ARGS]`.
pub fn pnpm(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    let project = sh.state.cwd.trim_end_matches('/').to_string();
    let program = sh.fs.canonicalize(&sh.program_path).unwrap_or_default();
    let version = if program.contains("/corepack/") {
        fetch_pnpm(sh, &project)?
    } else {
        // `npm install -g pnpm`: the version of the package it runs from.
        super::installed_version(sh, "pnpm")
            .or_else(|| {
                read_json(sh, "/usr/local/lib/node_modules/pnpm/package.json")
                    .and_then(|pj| pj["version"].as_str().map(str::to_string))
            })
            .unwrap_or_else(|| DEFAULT_PNPM.to_string())
    };
    let command = args.iter().find(|a| !a.starts_with('-')).copied();
    if command.is_none() && args.iter().any(|a| *a == "--version" || *a == "-v") {
        sh.out(format!("{version}\n"))?;
        return Ok(0);
    }
    let after: Vec<&str> = match command {
        Some(c) => args
            .iter()
            .skip_while(|a| **a != c)
            .skip(1)
            .copied()
            .collect(),
        None => Vec::new(),
    };
    match command {
        None | Some("install" | "i") => install(sh, &project, &version, &args, &[]),
        Some("add") => {
            let names: Vec<&str> = after
                .iter()
                .copied()
                .filter(|a| !a.starts_with('-'))
                .collect();
            install(sh, &project, &version, &args, &names)
        }
        Some("run" | "run-script") => {
            let script = after.first().copied();
            run(sh, &project, script, after.get(1..).unwrap_or_default())
        }
        Some(
            other @ ("fetch" | "store" | "prune" | "remove" | "rm" | "update" | "up" | "exec"
            | "dlx" | "audit" | "outdated" | "list" | "ls" | "why" | "deploy" | "config"
            | "setup" | "env" | "link" | "pack" | "publish"),
        ) => {
            sh.notice(
                NoticeKind::NotSimulated,
                "pnpm",
                format!(
                    "not simulated: `pnpm {other}` is not modelled by layerlab; treated as success"
                ),
            );
            Ok(0)
        }
        Some(script) => run(sh, &project, Some(script), &after),
    }
}

/// The importer `.` of a `pnpm-lock.yaml`: each dependency's specifier and version.
fn read_lock(text: &str) -> BTreeMap<String, (String, String)> {
    let mut entries = BTreeMap::new();
    let mut in_root = false;
    let mut name: Option<String> = None;
    let mut specifier = String::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if indent == 0 && !trimmed.is_empty() {
            in_root = false;
        }
        if indent == 2 && trimmed.ends_with(':') {
            in_root = trimmed == ".:" || trimmed == "'.':";
            continue;
        }
        if !in_root {
            continue;
        }
        if indent == 6 && trimmed.ends_with(':') {
            name = Some(trimmed.trim_end_matches(':').trim_matches('\'').to_string());
        } else if indent == 8 {
            if let Some(v) = trimmed.strip_prefix("specifier:") {
                specifier = v.trim().trim_matches('\'').to_string();
            } else if let (Some(v), Some(n)) = (trimmed.strip_prefix("version:"), &name) {
                let v = v.trim().trim_matches('\'');
                let v = v.split('(').next().unwrap_or(v).to_string();
                entries.insert(n.clone(), (specifier.clone(), v));
            }
        }
    }
    entries
}

/// `pnpm-lock.yaml` (v9) for the manifest's dependencies and the resolved tree.
fn write_lock(manifest: &Value, pkgs: &[Pkg]) -> String {
    let mut text = String::from(
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n",
    );
    for section in ["dependencies", "devDependencies"] {
        let Some(deps) = manifest.get(section).and_then(Value::as_object) else {
            continue;
        };
        text.push_str(&format!("    {section}:\n"));
        for (name, range) in deps {
            let version = pkgs
                .iter()
                .find(|p| &p.name == name)
                .map_or("", |p| p.version.as_str());
            text.push_str(&format!(
                "      {name}:\n        specifier: {}\n        version: {version}\n",
                range.as_str().unwrap_or("*")
            ));
        }
    }
    let mut sorted: Vec<&Pkg> = pkgs.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |p| p.name.clone());
    text.push_str("\npackages:\n");
    for p in &sorted {
        let digest = crate::digest::Digest::of(format!("{}@{}", p.name, p.version).as_bytes());
        text.push_str(&format!(
            "\n  {}@{}:\n    resolution: {{integrity: sha512-{}}}\n",
            p.name,
            p.version,
            digest.hex()
        ));
    }
    text.push_str("\nsnapshots:\n");
    for p in &sorted {
        text.push_str(&format!("\n  {}@{}:", p.name, p.version));
        if p.deps.is_empty() {
            text.push_str(" {}\n");
        } else {
            text.push_str("\n    dependencies:\n");
            for d in &p.deps {
                let v = pkgs
                    .iter()
                    .find(|q| &q.name == d)
                    .map_or("", |q| q.version.as_str());
                text.push_str(&format!("      {d}: {v}\n"));
            }
        }
    }
    text
}

fn install(sh: &mut Shell<'_>, project: &str, version: &str, args: &[&str], add: &[&str]) -> Exec {
    let has = |f: &str| args.contains(&f);
    let production = has("--prod") || has("-P") || sh.var("NODE_ENV") == Some("production");
    let frozen = has("--frozen-lockfile")
        || (sh.var("CI").is_some_and(|v| !v.is_empty() && v != "false")
            && !has("--no-frozen-lockfile"));
    let pkg_path = format!("{project}/package.json");
    let lock_path = format!("{project}/pnpm-lock.yaml");
    let Some(mut manifest) = read_json(sh, &pkg_path) else {
        sh.err(format!(
            " ERR_PNPM_NO_PKG_MANIFEST  No package.json found in {project}\n"
        ))?;
        return Ok(1);
    };
    let lock_text = sh
        .fs
        .read_file(&lock_path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned());
    let lock = lock_text.as_deref().map(read_lock).unwrap_or_default();
    if frozen {
        let Some(_) = &lock_text else {
            sh.err(" ERR_PNPM_NO_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is absent\n\nNote that in CI environments this setting is true by default. If you still need to run install in such cases, use \"pnpm install --no-frozen-lockfile\"\n")?;
            return Ok(1);
        };
        let mut outdated = !add.is_empty();
        for section in ["dependencies", "devDependencies"] {
            if let Some(deps) = manifest.get(section).and_then(Value::as_object) {
                outdated |= deps.iter().any(|(name, range)| {
                    lock.get(name).map(|(spec, _)| spec.as_str()) != range.as_str()
                });
            }
        }
        if outdated {
            sh.err(" ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is not up to date with <ROOT>/package.json\n\nNote that in CI environments this setting is true by default. If you still need to run install in such cases, use \"pnpm install --no-frozen-lockfile\"\n")?;
            return Ok(1);
        }
    }
    let mut wanted = manifest_wants(&manifest, production, |name, range| {
        lock.get(name)
            .filter(|(spec, _)| spec == range)
            .map(|(_, v)| v.clone())
    });
    let added: Vec<(String, Option<String>)> = add.iter().map(|spec| parse_spec(spec)).collect();
    wanted.extend(added.iter().cloned());
    let pkgs = resolve(sh, &wanted)?;

    if !added.is_empty() {
        let section = if has("-D") || has("--save-dev") {
            "devDependencies"
        } else {
            "dependencies"
        };
        save_named(&mut manifest, section, &added, &pkgs);
        write_text(sh, &pkg_path, &pretty(&manifest));
    }

    let modules = format!("{project}/node_modules");
    let store = sh
        .var("PNPM_STORE_DIR")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/.local/share/pnpm/store/v3", sh.home()));
    let direct: Vec<String> = wanted.iter().map(|(n, _)| n.clone()).collect();
    for p in &pkgs {
        sh.step()?;
        let id = format!("{}@{}", p.name, p.version);
        let inner = format!("{modules}/.pnpm/{id}/node_modules");
        let is_direct = direct.contains(&p.name);
        let bins = if is_direct {
            format!("{modules}/.bin")
        } else {
            format!("{modules}/.pnpm/node_modules/.bin")
        };
        let prefix = if is_direct {
            format!("../.pnpm/{id}/node_modules/")
        } else {
            format!("../../{id}/node_modules/")
        };
        write_package(sh, "pnpm", &inner, p, (&bins, &prefix));
        // The store holds the same file: a hard link, as pnpm imports it.
        let hash = crate::digest::Digest::of(format!("{id}/index.js").as_bytes()).hex();
        let stored = format!("{store}/files/{}/{}", &hash[..2], &hash[2..]);
        let m = super::meta(sh, 0o755);
        let _ = sh.fs.mkdir_all(
            super::super::commands::files::parent_of(&stored).as_str(),
            m,
        );
        let _ = sh
            .fs
            .hard_link(&format!("{inner}/{}/index.js", p.name), &stored);
        let link_meta = Meta::new(0o777).at(sh.ctx.mtime);
        let _ = sh.fs.mkdir_all(&format!("{modules}/.pnpm/node_modules"), m);
        let _ = sh.fs.symlink(
            &format!("../{id}/node_modules/{}", p.name),
            &format!("{modules}/.pnpm/node_modules/{}", p.name),
            link_meta,
        );
        if is_direct {
            let _ = sh.fs.remove_all(&format!("{modules}/{}", p.name));
            let _ = sh.fs.symlink(
                &format!(".pnpm/{id}/node_modules/{}", p.name),
                &format!("{modules}/{}", p.name),
                link_meta,
            );
        }
        for d in &p.deps {
            if let Some(q) = pkgs.iter().find(|q| &q.name == d) {
                let _ = sh.fs.symlink(
                    &format!("../../{}@{}/node_modules/{}", q.name, q.version, q.name),
                    &format!("{inner}/{}", q.name),
                    link_meta,
                );
            }
        }
    }
    write_text(
        sh,
        &format!("{modules}/.modules.yaml"),
        &format!("layoutVersion: 5\nnodeLinker: isolated\npackageManager: pnpm@{version}\nstoreDir: {store}\nvirtualStoreDir: .pnpm\n"),
    );
    if lock_text.is_none() || !added.is_empty() {
        write_text(sh, &lock_path, &write_lock(&manifest, &pkgs));
    }

    let mut text = String::new();
    if lock_text.is_some() && added.is_empty() {
        text.push_str("Lockfile is up to date, resolution step is skipped\n");
    }
    let n = pkgs.len();
    text.push_str(&format!(
        "Packages: +{n}\n{}\nProgress: resolved {n}, reused 0, downloaded {n}, added {n}, done\n",
        "+".repeat(n.min(60))
    ));
    for section in ["dependencies", "devDependencies"] {
        if section == "devDependencies" && production {
            continue;
        }
        let Some(deps) = manifest.get(section).and_then(Value::as_object) else {
            continue;
        };
        text.push_str(&format!("\n{section}:\n"));
        for name in deps.keys() {
            if let Some(p) = pkgs.iter().find(|p| &p.name == name) {
                text.push_str(&format!("+ {} {}\n", p.name, p.version));
            }
        }
    }
    text.push_str(&format!("\nDone in {:.1}s\n", 0.6 + n as f64 * 0.05));
    sh.out(text)?;
    sh.notice(
        NoticeKind::Simulated,
        "pnpm",
        format!("simulated: pnpm downloaded nothing; {n} packages were laid out in {modules}/.pnpm as placeholder files with realistic sizes, each hard-linked from the store {store}"),
    );
    Ok(0)
}

/// `pnpm run SCRIPT [ARGS]` and `pnpm SCRIPT`: the script (between its `pre` and
/// `post` scripts) after pnpm's `> name@version STAGE DIR` banner; pnpm's errors.
fn run(sh: &mut Shell<'_>, project: &str, script: Option<&str>, args: &[&str]) -> Exec {
    let Some(pj) = read_json(sh, &format!("{project}/package.json")) else {
        sh.err(format!(" ERR_PNPM_NO_IMPORTER_MANIFEST_FOUND  No package.json (or package.yaml, or package.json5) was found in \"{project}\".\n"))?;
        return Ok(1);
    };
    let (id, scripts) = id_and_scripts(&pj);
    let Some(name) = script else {
        let mut text = String::from("Lifecycle scripts:\n");
        for (key, value) in &scripts {
            text.push_str(&format!("  {key}\n    {}\n", value.as_str().unwrap_or("")));
        }
        sh.out(text)?;
        return Ok(0);
    };
    let Some(command) = scripts
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        sh.err(format!(
            " ERR_PNPM_NO_SCRIPT  Missing script: {name}\n\nCommand \"{name}\" not found.\n"
        ))?;
        return Ok(1);
    };
    for (stage, text) in script_stages(&scripts, name, command, args) {
        sh.out(format!("\n> {id} {stage} {project}\n> {text}\n\n"))?;
        let status = run_stage(sh, project, &stage, &text)?;
        if status != 0 {
            sh.err(format!(
                " ELIFECYCLE  Command failed with exit code {status}.\n"
            ))?;
            return Ok(status);
        }
    }
    Ok(0)
}
