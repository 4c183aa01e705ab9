//! `yarn`, the classic yarn (1.x) that the node images ship in `/opt/yarn-v*`:
//! `install` (also plain `yarn`) with `--frozen-lockfile`, `--pure-lockfile` and
//! `--production`, `add`, `global add`, `run` and the script shorthand (`yarn
//! build`), `cache clean` and `--version`, with yarn's own progress lines and
//! errors. It resolves and lays out packages as the simulated npm does (the same
//! registry and flat `node_modules`), writes `yarn.lock` in its v1 format and
//! `node_modules/.yarn-integrity`, and keeps every package unpacked in its cache
//! (`/usr/local/share/.cache/yarn/v6` for root): the cache that makes an image
//! twice as big unless the same RUN ends with `yarn cache clean`.

use super::super::exec::{Exec, Flow, Shell};
use super::super::NoticeKind;
use super::npm::{
    manifest_wants, parse_spec, pretty, quote, read_json, resolve, run_stage, save_named,
    script_stages, write_package, Pkg,
};
use super::{write_generated, write_text};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Flags that take the next word as their value.
const VALUE_FLAGS: &[&str] = &[
    "--network-timeout",
    "--cache-folder",
    "--mutex",
    "--modules-folder",
    "--registry",
    "--network-concurrency",
];

/// The yarn being run: the version in its `/opt/yarn-vX.Y.Z` directory, else the
/// version a package manager recorded (`apk add yarn`).
fn own_version(sh: &Shell<'_>) -> String {
    let program = sh.fs.canonicalize(&sh.program_path).unwrap_or_default();
    program
        .split('/')
        .find_map(|part| part.strip_prefix("yarn-v"))
        .map(str::to_string)
        .or_else(|| super::installed_version(sh, "yarn"))
        .unwrap_or_else(|| "1.22.22".to_string())
}

/// What `yarn` was asked: its command, the words after it as given (a script's
/// arguments), and its flags (before the command, and among the words after it
/// for yarn's own commands).
struct Request<'a> {
    command: Option<&'a str>,
    rest: Vec<&'a str>,
    flags: Vec<&'a str>,
    cache_folder: Option<&'a str>,
}

impl Request<'_> {
    /// The words after the command that are not flags (package names).
    fn operands(&self) -> Vec<&str> {
        self.rest
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect()
    }

    fn has(&self, flag: &str) -> bool {
        self.flags.contains(&flag) || self.rest.contains(&flag)
    }
}

fn parse(argv: &[String]) -> Request<'_> {
    let mut req = Request {
        command: None,
        rest: Vec::new(),
        flags: Vec::new(),
        cache_folder: None,
    };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        if VALUE_FLAGS.contains(&a) {
            if a == "--cache-folder" {
                req.cache_folder = argv.get(i).map(String::as_str);
            }
            i += 1;
        } else if req.command.is_none() && a.starts_with('-') {
            req.flags.push(a);
        } else if req.command.is_none() {
            req.command = Some(a);
        } else {
            req.rest.push(a);
        }
    }
    req
}

/// `yarn [COMMAND] [ARGS]`.
pub fn yarn(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let req = parse(argv);
    let version = own_version(sh);
    if req.command.is_none() && (req.has("--version") || req.has("-v"))
        || req.command == Some("version")
    {
        sh.out(format!("{version}\n"))?;
        return Ok(0);
    }
    match req.command {
        None | Some("install") => install(sh, &req, &version, Install::Project),
        Some("add") => install(sh, &req, &version, Install::Add),
        Some("global") if req.operands().first() == Some(&"add") => {
            install(sh, &req, &version, Install::Global)
        }
        Some("cache") if req.operands().first() == Some(&"clean") => {
            // yarn removes its whole cache root and makes an empty `v6` again.
            let dir = cache_dir(sh, &req);
            let _ = sh
                .fs
                .remove_all(super::super::commands::files::parent_of(&dir).as_str());
            let m = super::meta(sh, 0o755);
            let _ = sh.fs.mkdir_all(&dir, m);
            sh.out(format!(
                "yarn cache v{version}\nsuccess Cleared cache.\nDone in 0.04s.\n"
            ))?;
            Ok(0)
        }
        Some("cache") if req.operands().first() == Some(&"dir") => {
            let dir = cache_dir(sh, &req);
            sh.out(format!("{dir}\n"))?;
            Ok(0)
        }
        Some("run") => {
            let script = req.rest.first().copied();
            let args = req.rest.get(1..).unwrap_or_default().to_vec();
            run(sh, &version, script, &args)
        }
        Some(
            other @ ("remove"
            | "upgrade"
            | "upgrade-interactive"
            | "audit"
            | "outdated"
            | "why"
            | "list"
            | "info"
            | "link"
            | "unlink"
            | "pack"
            | "publish"
            | "login"
            | "config"
            | "set"
            | "policies"
            | "workspaces"
            | "workspace"
            | "exec"
            | "dlx"
            | "create"
            | "import"
            | "licenses"
            | "check"
            | "autoclean"
            | "bin"
            | "init"),
        ) => {
            sh.notice(
                NoticeKind::NotSimulated,
                "yarn",
                format!(
                    "not simulated: `yarn {other}` is not modelled by layerlab; treated as success"
                ),
            );
            Ok(0)
        }
        // `yarn build`: a package.json script by its name.
        Some(script) => run(sh, &version, Some(script), &req.rest),
    }
}

/// Where yarn keeps its cache: `--cache-folder`, `YARN_CACHE_FOLDER`, else
/// `/usr/local/share/.cache/yarn` for root and `~/.cache/yarn` for others, each
/// with yarn 1's `v6` inside.
fn cache_dir(sh: &Shell<'_>, req: &Request<'_>) -> String {
    let base = match req
        .cache_folder
        .map(str::to_string)
        .or_else(|| sh.var("YARN_CACHE_FOLDER").map(str::to_string))
    {
        Some(dir) => sh.abs(&dir),
        None if sh.ctx.uid == 0 => "/usr/local/share/.cache/yarn".to_string(),
        None => format!("{}/.cache/yarn", sh.home()),
    };
    format!("{}/v6", base.trim_end_matches('/'))
}

/// Which install.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Install {
    /// `yarn` / `yarn install`: the project's package.json.
    Project,
    /// `yarn add NAME...`: into the project's package.json first.
    Add,
    /// `yarn global add NAME...`: into yarn's global folder, executables in
    /// /usr/local/bin.
    Global,
}

/// Reads `yarn.lock` (v1): each entry's patterns (`express@^4.18.2`) to the
/// version it records.
fn read_lock(text: &str) -> BTreeMap<String, String> {
    let mut entries = BTreeMap::new();
    let mut patterns: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            patterns = line
                .trim_end_matches(':')
                .split(", ")
                .map(|p| p.trim_matches('"').to_string())
                .collect();
        } else if let Some(v) = line.trim().strip_prefix("version ") {
            for p in &patterns {
                entries.insert(p.clone(), v.trim_matches('"').to_string());
            }
        }
    }
    entries
}

/// `yarn.lock` as yarn 1 writes it, one entry per resolved package, keyed by the
/// ranges that asked for it.
fn write_lock(pkgs: &[Pkg], asked: &BTreeMap<String, Vec<String>>) -> String {
    let mut text = String::from(
        "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n",
    );
    let mut sorted: Vec<&Pkg> = pkgs.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |p| p.name.clone());
    for p in sorted {
        let ranges = asked
            .get(&p.name)
            .cloned()
            .unwrap_or_else(|| vec![format!("^{}", p.version)]);
        let key: Vec<String> = ranges
            .iter()
            .map(|r| {
                let pattern = format!("{}@{r}", p.name);
                if pattern.contains([' ', '^', '~', '>', '<', '|']) {
                    format!("\"{pattern}\"")
                } else {
                    pattern
                }
            })
            .collect();
        let digest = crate::digest::Digest::of(format!("{}@{}", p.name, p.version).as_bytes());
        text.push_str(&format!(
            "\n{}:\n  version \"{}\"\n  resolved \"https://registry.yarnpkg.com/{2}/-/{2}-{1}.tgz#{3}\"\n  integrity sha512-{4}\n",
            key.join(", "),
            p.version,
            p.name,
            &digest.hex()[..40],
            digest.hex()
        ));
        if !p.deps.is_empty() {
            text.push_str("  dependencies:\n");
            for d in &p.deps {
                text.push_str(&format!("    {d} \"*\"\n"));
            }
        }
    }
    text
}

fn install(sh: &mut Shell<'_>, req: &Request<'_>, version: &str, kind: Install) -> Exec {
    let has = |f: &str| req.has(f);
    let production = has("--production")
        || has("--prod")
        || has("--production=true")
        || sh.var("NODE_ENV") == Some("production");
    let frozen = has("--frozen-lockfile");
    let pure = has("--pure-lockfile");
    let cwd = sh.state.cwd.trim_end_matches('/').to_string();
    let (project, verb) = match kind {
        Install::Global => (
            if sh.ctx.uid == 0 {
                "/usr/local/share/.config/yarn/global".to_string()
            } else {
                format!("{}/.config/yarn/global", sh.home())
            },
            "global",
        ),
        Install::Add => (cwd, "add"),
        Install::Project => (cwd, "install"),
    };
    let pkg_path = format!("{project}/package.json");
    let lock_path = format!("{project}/yarn.lock");
    let mut manifest = if sh.fs.exists(&pkg_path) {
        match read_json(sh, &pkg_path) {
            Some(v) => v,
            None => {
                sh.out(format!("yarn {verb} v{version}\n"))?;
                sh.err(format!("error {pkg_path}: Unexpected token in JSON\n"))?;
                sh.out("info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.\n")?;
                return Ok(1);
            }
        }
    } else {
        json!({})
    };
    let lock_text = sh
        .fs
        .read_file(&lock_path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned());
    let lock = lock_text.as_deref().map(read_lock).unwrap_or_default();

    // `add`: the names go into package.json first (at the version resolved below).
    let explicit: Vec<(String, Option<String>)> = if kind == Install::Project {
        Vec::new()
    } else {
        let operands = req.operands();
        let names = if kind == Install::Global {
            operands.get(1..).unwrap_or_default().to_vec()
        } else {
            operands
        };
        names.iter().map(|spec| parse_spec(spec)).collect()
    };
    if kind != Install::Project && explicit.is_empty() {
        sh.out(format!("yarn {verb} v{version}\n"))?;
        sh.err("error Missing list of packages to add to your project.\n")?;
        sh.out("info Visit https://yarnpkg.com/en/docs/cli/add for documentation about this command.\n")?;
        return Ok(1);
    }
    let mut wanted = manifest_wants(&manifest, production, |name, range| {
        lock.get(&format!("{name}@{range}")).cloned()
    });
    wanted.extend(explicit.iter().cloned());

    sh.out(format!("yarn {verb} v{version}\n"))?;
    if lock_text.is_none() {
        sh.out("info No lockfile found.\n")?;
    }
    sh.out("[1/4] Resolving packages...\n")?;
    if frozen && lock_text.is_some() {
        // Every range the manifest names must have its entry in the lock file.
        let mut outdated = !explicit.is_empty();
        for section in ["dependencies", "devDependencies"] {
            if let Some(deps) = manifest.get(section).and_then(Value::as_object) {
                outdated |= deps.iter().any(|(name, range)| {
                    !lock.contains_key(&format!("{name}@{}", range.as_str().unwrap_or("")))
                });
            }
        }
        if outdated {
            sh.err("error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.\n")?;
            sh.out("info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.\n")?;
            return Ok(1);
        }
    }
    let pkgs = resolve(sh, &wanted)?;
    sh.out("[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\n")?;

    let modules = format!("{project}/node_modules");
    let cache = cache_dir(sh, req);
    for p in &pkgs {
        sh.step()?;
        if kind == Install::Global {
            write_package(
                sh,
                "yarn",
                &modules,
                p,
                (
                    "/usr/local/bin",
                    "../share/.config/yarn/global/node_modules/",
                ),
            );
        } else {
            let bin = format!("{modules}/.bin");
            write_package(sh, "yarn", &modules, p, (&bin, "../"));
        }
        let sha1 =
            &crate::digest::Digest::of(format!("{}@{}", p.name, p.version).as_bytes()).hex()[..40];
        let entry = format!(
            "{cache}/npm-{}-{}-{sha1}-integrity/node_modules/{}",
            p.name, p.version, p.name
        );
        write_generated(
            sh,
            &format!("{entry}/index.js"),
            p.kib * 1024,
            &["yarn-cache", &p.name, &p.version],
        );
        write_text(
            sh,
            &format!("{entry}/.yarn-metadata.json"),
            &format!(
                "{{\"manifest\":{{\"name\":\"{}\",\"version\":\"{}\"}},\"remote\":{{\"type\":\"tarball\",\"registry\":\"npm\"}}}}\n",
                p.name, p.version
            ),
        );
        write_generated(
            sh,
            &format!("{entry}/.yarn-tarball.tgz"),
            p.kib * 1024 / 3,
            &["yarn-tgz", &p.name, &p.version],
        );
    }

    // package.json of `add` and `global add`: each named package at `^VERSION`.
    if kind != Install::Project {
        let section = if has("--dev") || has("-D") {
            "devDependencies"
        } else {
            "dependencies"
        };
        save_named(&mut manifest, section, &explicit, &pkgs);
        write_text(sh, &pkg_path, &pretty(&manifest));
    }
    let mut asked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for section in ["dependencies", "devDependencies"] {
        if let Some(deps) = manifest.get(section).and_then(Value::as_object) {
            for (name, range) in deps {
                asked
                    .entry(name.clone())
                    .or_default()
                    .push(range.as_str().unwrap_or("*").to_string());
            }
        }
    }
    let integrity = json!({
        "systemParams": "linux-x64-115",
        "modulesFolders": ["node_modules"],
        "flags": if production { json!(["production"]) } else { json!([]) },
        "linkedModules": [],
        "topLevelPatterns": asked.iter().flat_map(|(n, rs)| rs.iter().map(move |r| format!("{n}@{r}"))).collect::<Vec<_>>(),
        "lockfileEntries": {},
        "files": [],
        "artifacts": {},
    });
    if !pkgs.is_empty() {
        write_text(
            sh,
            &format!("{modules}/.yarn-integrity"),
            &pretty(&integrity),
        );
    }
    let saves_lock = !frozen && !pure && (lock_text.is_none() || kind != Install::Project);
    if saves_lock {
        write_text(sh, &lock_path, &write_lock(&pkgs, &asked));
        sh.out("success Saved lockfile.\n")?;
    }
    match kind {
        Install::Add => {
            let direct: Vec<&Pkg> = explicit
                .iter()
                .filter_map(|(n, _)| pkgs.iter().find(|p| &p.name == n))
                .collect();
            let mut text = format!(
                "success Saved {} new dependenc{}.\ninfo Direct dependencies\n",
                pkgs.len(),
                if pkgs.len() == 1 { "y" } else { "ies" }
            );
            text.push_str(&tree(&direct));
            text.push_str("info All dependencies\n");
            text.push_str(&tree(&pkgs.iter().collect::<Vec<_>>()));
            sh.out(text)?;
        }
        Install::Global => {
            for (name, _) in &explicit {
                if let Some(p) = pkgs.iter().find(|p| &p.name == name) {
                    let mut text = format!(
                        "success Installed \"{}@{}\" with binaries:\n",
                        p.name, p.version
                    );
                    for b in &p.bins {
                        text.push_str(&format!("      - {b}\n"));
                    }
                    sh.out(text)?;
                }
            }
        }
        Install::Project => {}
    }
    sh.out(format!("Done in {:.2}s.\n", 0.4 + pkgs.len() as f64 * 0.07))?;
    sh.notice(
        NoticeKind::Simulated,
        "yarn",
        format!("simulated: yarn downloaded nothing; {} packages were written to {modules} and unpacked again into its cache {cache}, as placeholder files with realistic sizes", pkgs.len()),
    );
    let generated: Vec<String> = pkgs
        .iter()
        .filter(|p| p.generated)
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    if !generated.is_empty() {
        sh.notice(NoticeKind::Simulated, "yarn", format!("simulated: {} are not in layerlab's curated npm index, so their version, size and files were generated from the name", generated.join(", ")));
    }
    Ok(0)
}

/// yarn's dependency list: `├─ name@version` lines, the last with `└─`.
fn tree(pkgs: &[&Pkg]) -> String {
    let mut sorted = pkgs.to_vec();
    crate::sort::sort_by_key(&mut sorted, |p| p.name.clone());
    let mut text = String::new();
    for (i, p) in sorted.iter().enumerate() {
        let branch = if i + 1 == sorted.len() {
            "└─"
        } else {
            "├─"
        };
        text.push_str(&format!("{branch} {}@{}\n", p.name, p.version));
    }
    text
}

/// `yarn run SCRIPT [ARGS]` and `yarn SCRIPT`: the script between its `pre` and
/// `post` scripts, each announced by `$ COMMAND`, and yarn's errors.
fn run(sh: &mut Shell<'_>, version: &str, script: Option<&str>, args: &[&str]) -> Exec {
    let dir = sh.state.cwd.trim_end_matches('/').to_string();
    let help =
        "info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.\n";
    sh.out(format!("yarn run v{version}\n"))?;
    let Some(pj) = read_json(sh, &format!("{dir}/package.json")) else {
        sh.err(format!(
            "error Couldn't find a package.json file in \"{}\"\n",
            if dir.is_empty() { "/" } else { &dir }
        ))?;
        sh.out(help)?;
        return Ok(1);
    };
    let scripts = pj["scripts"].as_object().cloned().unwrap_or_default();
    let Some(name) = script else {
        let mut text = String::from("info Project commands\n");
        for (key, value) in &scripts {
            text.push_str(&format!(
                "   - {key}\n      {}\n",
                value.as_str().unwrap_or("")
            ));
        }
        text.push_str("Done in 0.03s.\n");
        sh.out(text)?;
        return Ok(0);
    };
    let Some(command) = scripts
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        // A program in node_modules/.bin runs too (`yarn tsc`).
        let bin = format!("{dir}/node_modules/.bin/{name}");
        if sh.fs.exists(&bin) {
            let text = std::iter::once(quote(&bin))
                .chain(args.iter().map(|a| quote(a)))
                .collect::<Vec<_>>()
                .join(" ");
            sh.out(format!("$ {}\n", bin))?;
            let status = run_stage(sh, &dir, name, &text)?;
            return finish(sh, status, help);
        }
        sh.err(format!("error Command \"{name}\" not found.\n"))?;
        sh.out(help)?;
        return Ok(1);
    };
    for (stage, text) in script_stages(&scripts, name, command, args) {
        sh.out(format!("$ {text}\n"))?;
        let status = run_stage(sh, &dir, &stage, &text)?;
        if status != 0 {
            return finish(sh, status, help);
        }
    }
    finish(sh, 0, help)
}

/// yarn's last line of a run: `Done in …` or the failed command's status.
fn finish(sh: &mut Shell<'_>, status: i32, help: &str) -> Result<i32, Flow> {
    if status == 0 {
        sh.out("Done in 0.52s.\n")?;
    } else {
        sh.err(format!("error Command failed with exit code {status}.\n"))?;
        sh.out(help)?;
    }
    Ok(status)
}
