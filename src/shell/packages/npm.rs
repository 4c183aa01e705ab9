//! `npm install`/`npm ci`/`npm install -g` from the working directory's
//! `package.json` (and `package-lock.json` when present) into `node_modules`, in
//! npm's real layout: one directory per package with its own `package.json`,
//! `.bin` links for executables, `node_modules/.package-lock.json`, the project's
//! lock file, and npm's cache under `~/.npm/_cacache`. The registry is huge, so
//! names outside a small curated index get generated contents, and a notice.

use super::super::commands::files::parent_of;
use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::{seed, write_generated, write_text};
use crate::vfs::Meta;
use serde_json::{json, Map, Value};

/// `name|version|installed KiB|dependencies|bins`.
const REGISTRY: &str = "\
accepts|1.3.8|20|mime-types,negotiator|
axios|1.6.7|2100|follow-redirects,form-data,proxy-from-env|
body-parser|1.20.2|60|bytes,content-type,debug,raw-body|
bytes|3.1.2|12||
content-type|1.0.5|10||
cors|2.8.5|20|object-assign,vary|
debug|2.6.9|40|ms|
dotenv|16.4.5|80||
express|4.18.2|220|accepts,body-parser,content-type,cookie,debug,finalhandler,send,serve-static|
cookie|0.5.0|20||
finalhandler|1.2.0|20|debug|
follow-redirects|1.15.5|60||
form-data|4.0.0|50|mime-types|
jest|29.7.0|40|jest-cli|jest
jest-cli|29.7.0|900||
lodash|4.17.21|1400||
mime-types|2.1.35|30|mime-db|
mime-db|1.52.0|220||
ms|2.0.0|8||
negotiator|0.6.3|30||
next|14.1.0|96000|react,react-dom|next
nodemon|3.0.3|900|debug|nodemon
object-assign|4.1.1|10||
pg|8.11.3|200||
pnpm|9.15.4|17000||pnpm,pnpx
proxy-from-env|1.1.0|10||
raw-body|2.5.2|20|bytes|
react|18.2.0|320|loose-envify|
react-dom|18.2.0|4400|loose-envify,react|
loose-envify|1.4.0|20||loose-envify
send|0.18.0|50|debug,ms|
serve-static|1.15.0|25|send|
react-scripts|5.0.1|2400|react,react-dom|react-scripts
typescript|5.3.3|22000||tsc,tsserver
vary|1.1.2|10||
vite|5.1.3|3200||vite
webpack|5.90.1|5000||webpack
";

/// A resolved package of the simulated registry.
pub(super) struct Pkg {
    pub name: String,
    pub version: String,
    /// Installed size in KiB.
    pub kib: u64,
    pub deps: Vec<String>,
    pub bins: Vec<String>,
    /// Not in the curated index: version, size and files come from the name.
    pub generated: bool,
}

/// A concrete version from a range (`^4.18.2` → `4.18.2`), if the range names one.
pub(super) fn version_of(range: &str) -> Option<String> {
    let v = range
        .trim()
        .trim_start_matches(['^', '~', '=', '>', '<', 'v', ' ']);
    let v = v.split([' ', '|']).next().unwrap_or(v);
    let ok = v.split('.').count() == 3
        && v.split('.')
            .all(|p| !p.is_empty() && p.chars().next().is_some_and(|c| c.is_ascii_digit()));
    ok.then(|| v.to_string())
}

fn registry(name: &str, version: Option<String>) -> Pkg {
    for line in REGISTRY.lines() {
        let f: Vec<&str> = line.split('|').collect();
        if f.len() == 5 && f[0] == name {
            let list = |s: &str| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            return Pkg {
                name: name.to_string(),
                version: version.unwrap_or_else(|| f[1].to_string()),
                kib: f[2].parse().unwrap_or(50),
                deps: list(f[3]),
                bins: list(f[4]),
                generated: false,
            };
        }
    }
    let s = seed(&["npm", name]);
    Pkg {
        name: name.to_string(),
        version: version
            .unwrap_or_else(|| format!("{}.{}.{}", 1 + s % 5, (s >> 8) % 30, (s >> 16) % 10)),
        kib: 10 + (s >> 24) % 800,
        deps: Vec::new(),
        bins: Vec::new(),
        generated: true,
    }
}

/// The version of the npm being run: the `version` of the package.json of the npm
/// package its program lives in (`/usr/local/bin/npm` links to
/// `.../node_modules/npm/bin/npm-cli.js`), else the version of the `npm` package a
/// distribution's package manager recorded (`apk add npm`).
fn own_version(sh: &Shell<'_>) -> Option<String> {
    let program = sh.fs.canonicalize(&sh.program_path).ok();
    let mut dir = program.as_deref().map(parent_of).unwrap_or_default();
    while dir.len() > 1 {
        if let Some(manifest) = read_json(sh, &format!("{dir}/package.json")) {
            if manifest.get("name").and_then(Value::as_str) == Some("npm") {
                if let Some(v) = manifest.get("version").and_then(Value::as_str) {
                    return Some(v.to_string());
                }
            }
        }
        dir = parent_of(&dir);
    }
    super::installed_version(sh, "npm")
}

pub(super) fn read_json(sh: &Shell<'_>, path: &str) -> Option<Value> {
    let b = sh.fs.read_file(path).ok()?;
    serde_json::from_slice(&b.bytes()).ok()
}

pub(super) fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// `npm`: install/i/ci (local or `-g`), `run` and the script shorthands,
/// `cache clean`, `--version`.
pub fn npm(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    let command = args.iter().find(|a| !a.starts_with('-')).copied();
    if command.is_none() && args.iter().any(|a| *a == "-v" || *a == "--version") {
        match own_version(sh) {
            Some(version) => sh.out(format!("{version}\n"))?,
            None => sh.notice(
                NoticeKind::NotSimulated,
                "npm",
                "not simulated: this npm has no package.json or package record saying its version; treated as success",
            ),
        }
        return Ok(0);
    }
    match command {
        Some("install" | "i" | "add" | "ci") => install(sh, &args, command == Some("ci")),
        Some(
            name @ ("run" | "run-script" | "rum" | "urn" | "test" | "t" | "tst" | "start" | "stop"
            | "restart"),
        ) => {
            let rest: Vec<&str> = args
                .iter()
                .skip_while(|a| **a != name)
                .skip(1)
                .copied()
                .collect();
            let silent = args
                .iter()
                .any(|a| *a == "-s" || *a == "--silent" || *a == "--loglevel=silent");
            match name {
                "run" | "run-script" | "rum" | "urn" => {
                    let script = rest.iter().find(|a| !a.starts_with('-')).copied();
                    let after = script.map_or(rest.as_slice(), |s| {
                        let at = rest.iter().position(|a| *a == s).unwrap_or(0);
                        &rest[at + 1..]
                    });
                    run_script(sh, script, after, silent)
                }
                "test" | "t" | "tst" => run_script(sh, Some("test"), &rest, silent),
                other => run_script(sh, Some(other), &rest, silent),
            }
        }
        Some("cache") if args.contains(&"clean") => {
            let dir = format!("{}/.npm/_cacache", sh.home());
            let _ = sh.fs.remove_all(&dir);
            Ok(0)
        }
        Some(other) => {
            sh.notice(NoticeKind::NotSimulated, "npm", format!("not simulated: `npm {other}` runs project code or settings that layerlab does not model; treated as success"));
            Ok(0)
        }
        None => {
            sh.out("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\n")?;
            Ok(1)
        }
    }
}

/// `npm run SCRIPT [-- ARGS]` and its shorthands: the package.json script runs in
/// `sh -c` with `node_modules/.bin` first on PATH, between its `pre` and `post`
/// scripts, after npm's `> name@version script` banner; a missing script is npm's
/// error, and no script name lists them.
fn run_script(sh: &mut Shell<'_>, script: Option<&str>, args: &[&str], silent: bool) -> Exec {
    let cwd = sh.state.cwd.clone();
    let dir = cwd.trim_end_matches('/');
    let Some(pj) = read_json(sh, &format!("{dir}/package.json")) else {
        sh.err(format!("npm error code ENOENT\nnpm error syscall open\nnpm error path {dir}/package.json\nnpm error errno -2\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{dir}/package.json'\n"))?;
        return Ok(254);
    };
    let (id, scripts) = id_and_scripts(&pj);
    let Some(name) = script else {
        let mut text = format!("Scripts available in {id} via `npm run-script`:\n");
        for (key, value) in &scripts {
            text.push_str(&format!("  {key}\n    {}\n", value.as_str().unwrap_or("")));
        }
        sh.out(text)?;
        return Ok(0);
    };
    let command = match scripts.get(name).and_then(Value::as_str) {
        Some(c) => c.to_string(),
        // npm's defaults: `start` runs server.js when there is one.
        None if name == "start" && sh.fs.exists(&format!("{dir}/server.js")) => {
            "node server.js".to_string()
        }
        None => {
            sh.err(format!("npm error Missing script: \"{name}\"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run\n"))?;
            return Ok(1);
        }
    };
    let mut status = 0;
    for (stage, text) in script_stages(&scripts, name, command, args) {
        if !silent {
            sh.out(format!("\n> {id} {stage}\n> {text}\n\n"))?;
        }
        status = run_stage(sh, dir, &stage, &text)?;
        if status != 0 {
            sh.err(format!("npm error Lifecycle script `{name}` failed with error:\nnpm error code {status}\nnpm error path {dir}\nnpm error command failed\nnpm error command sh -c {text}\n"))?;
            return Ok(status);
        }
    }
    Ok(status)
}

/// A project's `name@version` and its package.json scripts.
pub(super) fn id_and_scripts(pj: &Value) -> (String, Map<String, Value>) {
    let id = format!(
        "{}@{}",
        pj["name"].as_str().unwrap_or(""),
        pj["version"].as_str().unwrap_or("")
    );
    (id, pj["scripts"].as_object().cloned().unwrap_or_default())
}

/// The scripts `npm run NAME ARGS` runs, in order: `preNAME` and `postNAME` when
/// the manifest has them, around NAME's `command` with the arguments (`--`
/// dropped) quoted onto it; each as (stage, command text).
pub(super) fn script_stages(
    scripts: &Map<String, Value>,
    name: &str,
    command: String,
    args: &[&str],
) -> Vec<(String, String)> {
    let quoted: Vec<String> = args
        .iter()
        .filter(|a| **a != "--")
        .map(|a| quote(a))
        .collect();
    let script = |stage: &str| {
        scripts
            .get(stage)
            .and_then(Value::as_str)
            .map(|t| (stage.to_string(), t.to_string()))
    };
    let main = if quoted.is_empty() {
        command
    } else {
        format!("{command} {}", quoted.join(" "))
    };
    script(&format!("pre{name}"))
        .into_iter()
        .chain(std::iter::once((name.to_string(), main)))
        .chain(script(&format!("post{name}")))
        .collect()
}

/// Runs one package.json script of the project in `dir` as npm and yarn do: `sh
/// -c TEXT` with `node_modules/.bin` first on PATH and `npm_lifecycle_event` set.
pub(super) fn run_stage(
    sh: &mut Shell<'_>,
    dir: &str,
    stage: &str,
    text: &str,
) -> Result<i32, super::super::exec::Flow> {
    let path = format!(
        "{dir}/node_modules/.bin:{}",
        sh.var("PATH").unwrap_or("/usr/local/bin:/usr/bin:/bin")
    );
    sh.subshell(|sh| {
        sh.export_var("PATH", Some(&path))?;
        sh.export_var("npm_lifecycle_event", Some(stage))?;
        sh.run_process_script("sh", &[], text, Default::default())
    })
}

/// A word as `sh` reads it back: single-quoted unless plain.
pub(super) fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn install(sh: &mut Shell<'_>, args: &[&str], ci: bool) -> Exec {
    let global = args.iter().any(|a| *a == "-g" || *a == "--global");
    let omit_dev = args.iter().any(|a| {
        *a == "--production"
            || *a == "--omit=dev"
            || *a == "--only=production"
            || *a == "--only=prod"
    }) || sh.var("NODE_ENV") == Some("production");
    let explicit: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .skip(1)
        .copied()
        .collect();
    let cwd = sh.state.cwd.clone();
    let modules = if global {
        "/usr/local/lib/node_modules".to_string()
    } else {
        format!("{}/node_modules", cwd.trim_end_matches('/'))
    };
    let pkg_path = format!("{}/package.json", cwd.trim_end_matches('/'));
    let lock_path = format!("{}/package-lock.json", cwd.trim_end_matches('/'));
    let mut manifest = if global {
        Value::Null
    } else {
        read_json(sh, &pkg_path).unwrap_or(Value::Null)
    };
    let lock = if global {
        None
    } else {
        read_json(sh, &lock_path)
    };
    if ci && lock.is_none() {
        sh.err("npm error code EUSAGE\nnpm error\nnpm error The `npm ci` command can only install with an existing package-lock.json or\nnpm error npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or\nnpm error later to generate a package-lock.json file, then try again.\n")?;
        return Ok(1);
    }
    if !global && sh.fs.exists(&pkg_path) && manifest.is_null() {
        sh.err(format!("npm error code EJSONPARSE\nnpm error path {pkg_path}\nnpm error JSON.parse Invalid package.json\n"))?;
        return Ok(1);
    }
    // What to install: explicit names, or the manifest's dependencies.
    let mut wanted: Vec<(String, Option<String>)> = Vec::new();
    for spec in &explicit {
        wanted.push(parse_spec(spec));
    }
    if explicit.is_empty() {
        wanted = manifest_wants(&manifest, omit_dev, |name, _| {
            lock.as_ref()
                .and_then(|l| l.get("packages"))
                .and_then(|p| p.get(format!("node_modules/{name}")))
                .and_then(|e| e.get("version"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    }
    if ci {
        let _ = sh.fs.remove_all(&modules);
    }
    let pkgs = resolve(sh, &wanted)?;
    let mut lock_packages = Map::new();
    lock_packages.insert(String::new(), json!({"name": manifest.get("name").cloned().unwrap_or(json!("app")), "version": manifest.get("version").cloned().unwrap_or(json!("1.0.0"))}));
    let mut generated = Vec::new();
    for p in &pkgs {
        sh.step()?;
        if global {
            write_package(
                sh,
                "npm",
                &modules,
                p,
                ("/usr/local/bin", "../lib/node_modules/"),
            );
        } else {
            let bin = format!("{modules}/.bin");
            write_package(sh, "npm", &modules, p, (&bin, "../"));
        }
        let integrity =
            crate::digest::Digest::of(format!("{}@{}", p.name, p.version).as_bytes()).hex();
        lock_packages.insert(
            format!("node_modules/{}", p.name),
            json!({"version": p.version, "resolved": format!("https://registry.npmjs.org/{0}/-/{0}-{1}.tgz", p.name, p.version), "integrity": format!("sha512-{integrity}")}),
        );
        let cache = format!(
            "{}/.npm/_cacache/content-v2/sha512/{}/{}/{}",
            sh.home(),
            &integrity[0..2],
            &integrity[2..4],
            &integrity[4..]
        );
        write_generated(
            sh,
            &cache,
            p.kib * 1024 / 3,
            &["npm-tgz", &p.name, &p.version],
        );
        if p.generated {
            generated.push(format!("{}@{}", p.name, p.version));
        }
    }
    if !global {
        let hidden = json!({"name": manifest.get("name").cloned().unwrap_or(json!("app")), "lockfileVersion": 3, "requires": true, "packages": Value::Object({
            let mut m = lock_packages.clone();
            m.remove("");
            m
        })});
        if !pkgs.is_empty() {
            write_text(
                sh,
                &format!("{modules}/.package-lock.json"),
                &pretty(&hidden),
            );
        }
        if !explicit.is_empty() {
            save_named(&mut manifest, "dependencies", &wanted, &pkgs);
            write_text(sh, &pkg_path, &pretty(&manifest));
        }
        if lock.is_none() && (manifest.is_object() || !explicit.is_empty()) {
            let full = json!({"name": manifest.get("name").cloned().unwrap_or(json!("app")), "version": manifest.get("version").cloned().unwrap_or(json!("1.0.0")), "lockfileVersion": 3, "requires": true, "packages": Value::Object(lock_packages)});
            write_text(sh, &lock_path, &pretty(&full));
        }
    }
    let log = format!(
        "{}/.npm/_logs/{}-debug-0.log",
        sh.home(),
        super::super::commands::system::format_date(sh.ctx.mtime, "%Y-%m-%dT%H_%M_%S_000Z")
    );
    write_text(
        sh,
        &log,
        &format!(
            "0 verbose cli {}\n1 info using npm@{}\n",
            args.join(" "),
            own_version(sh).unwrap_or_default()
        ),
    );
    let audited = pkgs.len() + usize::from(!global);
    let text = if pkgs.is_empty() {
        format!("\nup to date, audited {audited} packages in 1s\n\nfound 0 vulnerabilities\n")
    } else {
        format!("\nadded {} packages, and audited {audited} packages in 1s\n\nfound 0 vulnerabilities\n", pkgs.len())
    };
    sh.out(text)?;
    sh.notice(NoticeKind::Simulated, "npm", format!("simulated: npm downloaded nothing; {} packages were written to {modules} as placeholder files with realistic sizes", pkgs.len()));
    if !generated.is_empty() {
        sh.notice(NoticeKind::Simulated, "npm", format!("simulated: {} are not in layerlab's curated npm index, so their version, size and files were generated from the name", generated.join(", ")));
    }
    Ok(0)
}

/// A package named on the command line (`express`, `lodash@4.17.21`,
/// `@types/node@^20`): its name and the version its range names.
pub(super) fn parse_spec(spec: &str) -> (String, Option<String>) {
    match spec.rfind('@').filter(|i| *i > 0) {
        Some(i) => (spec[..i].to_string(), version_of(&spec[i + 1..])),
        None => (spec.to_string(), None),
    }
}

/// Records the packages named on the command line in `section` of the project's
/// manifest at `^VERSION` of what was installed, as `npm install NAME`, `yarn add`
/// and `pnpm add` do.
pub(super) fn save_named(
    manifest: &mut Value,
    section: &str,
    named: &[(String, Option<String>)],
    pkgs: &[Pkg],
) {
    if !manifest.is_object() {
        *manifest = json!({});
    }
    if let Some(obj) = manifest.as_object_mut() {
        let deps = obj.entry(section).or_insert_with(|| json!({}));
        if let Some(d) = deps.as_object_mut() {
            for (name, _) in named {
                if let Some(p) = pkgs.iter().find(|p| &p.name == name) {
                    d.insert(name.clone(), json!(format!("^{}", p.version)));
                }
            }
        }
    }
}

/// What a project's package.json asks for: `dependencies`, then (unless `omit_dev`)
/// `devDependencies`, each at the version its lock file records (`locked(name,
/// range)`), else the version its range names.
pub(super) fn manifest_wants(
    manifest: &Value,
    omit_dev: bool,
    locked: impl Fn(&str, &str) -> Option<String>,
) -> Vec<(String, Option<String>)> {
    let mut wanted = Vec::new();
    let mut sections = vec!["dependencies"];
    if !omit_dev {
        sections.push("devDependencies");
    }
    for section in sections {
        if let Some(Value::Object(deps)) = manifest.get(section) {
            for (name, range) in deps {
                let range = range.as_str().unwrap_or_default();
                wanted.push((
                    name.clone(),
                    locked(name, range).or_else(|| version_of(range)),
                ));
            }
        }
    }
    wanted
}

/// The whole tree `wanted` needs, flat as npm and yarn hoist it.
pub(super) fn resolve(
    sh: &mut Shell<'_>,
    wanted: &[(String, Option<String>)],
) -> Result<Vec<Pkg>, super::super::exec::Flow> {
    let mut pkgs: Vec<Pkg> = Vec::new();
    let mut queue: std::collections::VecDeque<(String, Option<String>)> =
        wanted.iter().cloned().collect();
    while let Some((name, version)) = queue.pop_front() {
        sh.step()?;
        if pkgs.iter().any(|p| p.name == name) {
            continue;
        }
        let p = registry(&name, version);
        queue.extend(p.deps.iter().map(|d| (d.clone(), None)));
        pkgs.push(p);
    }
    Ok(pkgs)
}

/// Writes package `p` into `modules` (its package.json, a placeholder `index.js`
/// of its installed size, a README naming `tool`) and links each of its
/// executables into `link_dir` as `LINK_PREFIX + name/bin/EXE.js`.
pub(super) fn write_package(
    sh: &mut Shell<'_>,
    tool: &str,
    modules: &str,
    p: &Pkg,
    (link_dir, link_prefix): (&str, &str),
) {
    let dir = format!("{modules}/{}", p.name);
    let pj = json!({"name": p.name, "version": p.version, "description": format!("{} (simulated by layerlab)", p.name), "main": "index.js", "license": "MIT"});
    write_text(sh, &format!("{dir}/package.json"), &pretty(&pj));
    super::write_package_file(
        sh,
        &p.name,
        &p.version,
        &format!("{dir}/index.js"),
        (p.kib * 1024).saturating_sub(2048).max(1),
    );
    write_text(
        sh,
        &format!("{dir}/README.md"),
        &format!(
            "# {}\n\nA placeholder written by layerlab's simulated {tool}.\n",
            p.name
        ),
    );
    for b in &p.bins {
        let target = format!("{dir}/bin/{b}.js");
        write_text(
            sh,
            &target,
            "#!/usr/bin/env node\nrequire('../index.js');\n",
        );
        let _ = sh.fs.chmod(&target, 0o755);
        let m = Meta::new(0o755).at(sh.ctx.mtime);
        let _ = sh.fs.mkdir_all(link_dir, m);
        let link = format!("{link_dir}/{b}");
        let _ = sh.fs.remove_file(&link);
        let _ = sh.fs.symlink(
            &format!("{link_prefix}{}/bin/{b}.js", p.name),
            &link,
            Meta::new(0o777).at(sh.ctx.mtime),
        );
    }
}
