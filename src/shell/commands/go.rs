//! The `go` command of the golang images: `go build` and `go install` write a
//! placeholder executable of a realistic size where Go would (and fill the build
//! cache, the layer bloat multi-stage builds leave behind), `go mod download` fills
//! the module cache from go.mod's requirements, and `version`, `env`, `mod init`
//! and `test` answer as Go 1.22/1.23 do. Nothing is compiled: the build reads the
//! package clauses and imports only, so a missing `package main` or an empty
//! package fails with Go's own message.

use super::super::exec::{Exec, Flow, Shell};
use super::super::NoticeKind;
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// Bytes of a Go 1.22 hello world (fmt only), stripped of nothing.
const HELLO_BYTES: u64 = 2_150_000;

/// Extra bytes a standard package brings into a binary, for the ones that weigh.
const STD_WEIGHT: &[(&str, u64)] = &[
    ("net/http", 5_300_000),
    ("net", 1_200_000),
    ("encoding/json", 450_000),
    ("crypto/tls", 2_100_000),
    ("database/sql", 350_000),
    ("html/template", 900_000),
    ("text/template", 600_000),
    ("regexp", 250_000),
    ("os/exec", 150_000),
    ("log/slog", 400_000),
];

/// What a third-party module adds to a binary that imports it (a typical router
/// or client library).
const MODULE_BYTES: u64 = 900_000;

/// `go SUBCOMMAND ...`.
pub fn go(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let Some(sub) = argv.get(1) else {
        sh.err(
            "Go is a tool for managing Go source code.\n\nUsage:\n\n\tgo <command> [arguments]\n",
        )?;
        return Ok(2);
    };
    let args = &argv[2..];
    match sub.as_str() {
        "version" => {
            let version = version(sh);
            let (os, arch) = target(sh);
            sh.out(format!("go version {version} {os}/{arch}\n"))?;
            Ok(0)
        }
        "env" => env(sh, args),
        "build" => build(sh, args, false),
        "install" => build(sh, args, true),
        "mod" => module_command(sh, args),
        "test" => test(sh, args),
        other => {
            let path = sh.program_path.clone();
            sh.notice(
                NoticeKind::NotSimulated,
                "go",
                format!("`go {other}` ({path}) is not modelled by layerlab; treated as success"),
            );
            Ok(0)
        }
    }
}

/// `go1.22.10` from `$GOROOT/VERSION`, else from `$GOLANG_VERSION`.
fn version(sh: &Shell<'_>) -> String {
    let file = format!("{}/VERSION", goroot(sh));
    if let Ok(blob) = sh.fs.read_file(&file) {
        if let Some(line) = String::from_utf8_lossy(&blob.bytes()).lines().next() {
            if line.starts_with("go") {
                return line.to_string();
            }
        }
    }
    format!("go{}", sh.var("GOLANG_VERSION").unwrap_or("1.23.4"))
}

/// GOROOT: the directory above the `bin/` the program was found in.
fn goroot(sh: &Shell<'_>) -> String {
    if let Some(root) = sh.var("GOROOT").filter(|r| !r.is_empty()) {
        return root.to_string();
    }
    let path = sh.program_path.trim_end_matches('/');
    match path.rsplit_once("/bin/") {
        Some((root, _)) if !root.is_empty() => root.to_string(),
        _ => "/usr/local/go".to_string(),
    }
}

/// GOOS and GOARCH of the build (linux/amd64 unless the environment says).
fn target(sh: &Shell<'_>) -> (String, String) {
    let get = |name: &str, default: &str| {
        sh.var(name)
            .filter(|v| !v.is_empty())
            .unwrap_or(default)
            .to_string()
    };
    (get("GOOS", "linux"), get("GOARCH", "amd64"))
}

fn gopath(sh: &Shell<'_>) -> String {
    sh.var("GOPATH")
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/go", sh.home()))
}

fn gocache(sh: &Shell<'_>) -> String {
    sh.var("GOCACHE")
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/.cache/go-build", sh.home()))
}

fn cgo_enabled(sh: &Shell<'_>) -> bool {
    sh.var("CGO_ENABLED").unwrap_or("1") != "0"
}

/// `go env [NAME...]`: the variables a Dockerfile asks for, in Go's format.
fn env(sh: &mut Shell<'_>, names: &[String]) -> Exec {
    let (os, arch) = target(sh);
    let gopath = gopath(sh);
    let vars = [
        (
            "CGO_ENABLED",
            if cgo_enabled(sh) { "1" } else { "0" }.to_string(),
        ),
        ("GOARCH", arch),
        ("GOBIN", sh.var("GOBIN").unwrap_or_default().to_string()),
        ("GOCACHE", gocache(sh)),
        ("GOFLAGS", sh.var("GOFLAGS").unwrap_or_default().to_string()),
        ("GOMODCACHE", format!("{gopath}/pkg/mod")),
        ("GOOS", os),
        ("GOPATH", gopath.clone()),
        (
            "GOPROXY",
            sh.var("GOPROXY")
                .unwrap_or("https://proxy.golang.org,direct")
                .to_string(),
        ),
        ("GOROOT", goroot(sh)),
        (
            "GOTOOLCHAIN",
            sh.var("GOTOOLCHAIN").unwrap_or("auto").to_string(),
        ),
        ("GOVERSION", version(sh)),
    ];
    let mut text = String::new();
    if names.iter().all(|n| n.starts_with('-')) {
        for (name, value) in &vars {
            text.push_str(&format!("{name}='{value}'\n"));
        }
    } else {
        for name in names.iter().filter(|n| !n.starts_with('-')) {
            let value = vars
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            text.push_str(&format!("{value}\n"));
        }
    }
    sh.out(text)?;
    Ok(0)
}

/// The main module: go.mod's directory and its `module` path and requirements.
struct Module {
    root: String,
    path: String,
    requires: Vec<(String, String)>,
}

/// go.mod in the working directory or the nearest parent, as Go finds it.
fn find_module(sh: &Shell<'_>) -> Option<Module> {
    let mut dir = super::builtins::normalize(&sh.abs("."));
    loop {
        let file = format!("{}/go.mod", dir.trim_end_matches('/'));
        if let Ok(blob) = sh.fs.read_file(&file) {
            return Some(parse_go_mod(&dir, &String::from_utf8_lossy(&blob.bytes())));
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

fn parse_go_mod(root: &str, text: &str) -> Module {
    let mut path = String::new();
    let mut requires = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_block {
            if line == ")" {
                in_block = false;
            } else if let [module, version, ..] = line.split_whitespace().collect::<Vec<_>>()[..] {
                requires.push((module.to_string(), version.to_string()));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("module ") {
            path = rest.trim().trim_matches('"').to_string();
        } else if line == "require (" {
            in_block = true;
        } else if let Some(rest) = line.strip_prefix("require ") {
            if let [module, version, ..] = rest.split_whitespace().collect::<Vec<_>>()[..] {
                requires.push((module.to_string(), version.to_string()));
            }
        }
    }
    Module {
        root: root.to_string(),
        path,
        requires,
    }
}

const NO_GO_MOD: &str =
    "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n";

/// A package of the main module: its directory, import path, name and imports.
struct Package {
    import_path: String,
    name: String,
    imports: Vec<String>,
    has_tests: bool,
}

/// Reads the package in `dir` (None when it has no non-test .go file).
fn read_package(sh: &Shell<'_>, module: &Module, dir: &str) -> Option<Package> {
    let entries = sh.fs.read_dir(dir).ok()?;
    let mut name = None;
    let mut imports = Vec::new();
    let mut has_tests = false;
    for (file, stat) in entries {
        if stat.is_dir() || !file.ends_with(".go") {
            continue;
        }
        if file.ends_with("_test.go") {
            has_tests = true;
            continue;
        }
        let Ok(blob) = sh
            .fs
            .read_file(&format!("{}/{file}", dir.trim_end_matches('/')))
        else {
            continue;
        };
        let text = String::from_utf8_lossy(&blob.bytes()).into_owned();
        let (clause, found) = package_and_imports(&text);
        if name.is_none() {
            name = clause;
        }
        imports.extend(found);
    }
    crate::sort::sort(&mut imports);
    imports.dedup();
    let rel = dir
        .strip_prefix(module.root.trim_end_matches('/'))
        .unwrap_or("")
        .trim_matches('/');
    Some(Package {
        import_path: if rel.is_empty() {
            module.path.clone()
        } else {
            format!("{}/{rel}", module.path)
        },
        name: name?,
        imports,
        has_tests,
    })
}

/// The package clause and the import paths of one Go source file.
fn package_and_imports(text: &str) -> (Option<String>, Vec<String>) {
    let mut name = None;
    let mut imports = Vec::new();
    let mut in_block = false;
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('"')?;
        let end = s[start + 1..].find('"')?;
        Some(s[start + 1..start + 1 + end].to_string())
    };
    for line in text.lines() {
        let line = line.trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if let Some(path) = quoted(line) {
                imports.push(path);
            }
        } else if let Some(rest) = line.strip_prefix("package ") {
            name = rest.split_whitespace().next().map(str::to_string);
        } else if line == "import (" {
            in_block = true;
        } else if let Some(rest) = line.strip_prefix("import ") {
            imports.extend(quoted(rest));
        } else if line.starts_with("func ") || line.starts_with("type ") {
            break;
        }
    }
    (name, imports)
}

/// The package directories named by `patterns` (`.`, `./cmd/app`, `./...`).
fn package_dirs(
    sh: &Shell<'_>,
    module: &Module,
    patterns: &[String],
) -> Result<Vec<String>, String> {
    let mut dirs = Vec::new();
    let patterns: Vec<String> = if patterns.is_empty() {
        vec![".".to_string()]
    } else {
        patterns.to_vec()
    };
    for pattern in &patterns {
        let local = pattern
            .strip_prefix(&module.path)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(|rest| format!(".{rest}"))
            .unwrap_or_else(|| pattern.clone());
        if let Some(base) = local.strip_suffix("/...") {
            let top = super::builtins::normalize(&sh.abs(base));
            dirs.push(top.clone());
            for entry in sh.fs.walk(&top).unwrap_or_default() {
                let name = entry.path.rsplit('/').next().unwrap_or("");
                if entry.stat.is_dir() && !name.starts_with(['.', '_']) && name != "testdata" {
                    dirs.push(format!("/{}", entry.path));
                }
            }
        } else if local.starts_with('.') || local.starts_with('/') {
            let dir = super::builtins::normalize(&sh.abs(&local));
            if !sh.fs.stat(&dir).is_ok_and(|s| s.is_dir()) {
                return Err(format!("stat {dir}: directory not found"));
            }
            dirs.push(dir);
        } else {
            return Err(format!(
                "package {pattern} is not in std ({}/src/{pattern})",
                goroot(sh)
            ));
        }
    }
    Ok(dirs)
}

/// The packages `patterns` name; with `./...` empty directories are skipped, a
/// named directory without Go files is Go's "no Go files" error (printed; None).
fn packages(
    sh: &mut Shell<'_>,
    module: &Module,
    patterns: &[String],
) -> Result<Option<Vec<Package>>, Flow> {
    let dirs = match package_dirs(sh, module, patterns) {
        Ok(dirs) => dirs,
        Err(message) => {
            sh.err(format!("{message}\n"))?;
            return Ok(None);
        }
    };
    let wildcard = patterns.iter().any(|p| p.ends_with("/..."));
    let mut out = Vec::new();
    for dir in dirs {
        match read_package(sh, module, &dir) {
            Some(p) => out.push(p),
            None if wildcard => {}
            None => {
                sh.err(format!("no Go files in {dir}\n"))?;
                return Ok(None);
            }
        }
    }
    Ok(Some(out))
}

/// The flags of `go build`/`install` that layerlab reads; the others are accepted.
struct BuildFlags {
    output: Option<String>,
    stripped: bool,
    verbose: bool,
    patterns: Vec<String>,
}

fn build_flags(args: &[String]) -> BuildFlags {
    let mut flags = BuildFlags {
        output: None,
        stripped: false,
        verbose: false,
        patterns: Vec::new(),
    };
    // Flags that take a value as the next word unless written `-flag=value`.
    const VALUED: &[&str] = &[
        "o",
        "ldflags",
        "gcflags",
        "asmflags",
        "tags",
        "mod",
        "p",
        "pkgdir",
        "buildmode",
        "compiler",
        "gccgoflags",
        "installsuffix",
        "modfile",
        "overlay",
        "pgo",
        "C",
        "covermode",
        "coverpkg",
        "exec",
    ];
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
            flags.patterns.push(arg.clone());
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        let value = if VALUED.contains(&name) && inline.is_none() {
            i += 1;
            args.get(i - 1).cloned()
        } else {
            inline
        };
        match name {
            "o" => flags.output = value,
            "ldflags" => {
                let v = value.unwrap_or_default();
                flags.stripped = v
                    .split_whitespace()
                    .any(|w| w.trim_matches(['"', '\'']) == "-s");
            }
            "v" => flags.verbose = true,
            _ => {}
        }
    }
    flags
}

/// The name Go gives a main package's executable: the import path's last element,
/// or the one before a major-version suffix (`example.com/tool/v2` → `tool`).
fn executable_name(import_path: &str) -> String {
    let mut parts = import_path.rsplit('/');
    let last = parts.next().unwrap_or("main");
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    match (is_major, parts.next()) {
        (true, Some(before)) => before.to_string(),
        _ => last.to_string(),
    }
}

/// `go build` and `go install`.
fn build(sh: &mut Shell<'_>, args: &[String], install: bool) -> Exec {
    let flags = build_flags(args);
    if install {
        if let Some(remote) = flags.patterns.iter().find(|p| p.contains('@')) {
            return install_remote(sh, remote);
        }
    }
    let Some(module) = find_module(sh) else {
        sh.err(NO_GO_MOD)?;
        return Ok(1);
    };
    let Some(pkgs) = packages(sh, &module, &flags.patterns)? else {
        return Ok(1);
    };
    let (os, arch) = target(sh);
    let mains: Vec<&Package> = pkgs.iter().filter(|p| p.name == "main").collect();
    if flags.verbose {
        let names: String = pkgs
            .iter()
            .map(|p| format!("{}\n", p.import_path))
            .collect();
        sh.err(names)?;
    }
    // Where each executable goes: go install into GOBIN; go build of one main
    // package into -o or the working directory; of several, only into an -o directory.
    let out_dir = flags.output.as_ref().and_then(|o| {
        let abs = sh.abs(o);
        (o.ends_with('/') || sh.fs.stat(&abs).is_ok_and(|s| s.is_dir())).then_some(abs)
    });
    let mut targets = Vec::new();
    for p in &mains {
        let name = executable_name(&p.import_path);
        let name = if os == "windows" {
            format!("{name}.exe")
        } else {
            name
        };
        let target = if install {
            let bin = gobin(sh);
            Some(format!("{}/{name}", bin.trim_end_matches('/')))
        } else if let Some(dir) = &out_dir {
            Some(format!("{}/{name}", dir.trim_end_matches('/')))
        } else if pkgs.len() == 1 {
            Some(match &flags.output {
                Some(o) => sh.abs(o),
                None => sh.abs(&name),
            })
        } else {
            None
        };
        targets.extend(target.map(|t| (t, *p)));
    }
    if !install && pkgs.len() > 1 && flags.output.is_some() && out_dir.is_none() {
        sh.err("go: -o multiple packages requires a directory\n")?;
        return Ok(1);
    }
    let version = version(sh);
    for (target, p) in &targets {
        let size = binary_size(p, &module, flags.stripped);
        let libs = dynamic_libs(sh, p);
        let head = crate::catalog::elf_head(&libs);
        let seed = super::super::packages::seed(&[&version, &os, &arch, &p.import_path, target]);
        let blob = Blob::generated_with_head(head, size, seed);
        if let Err(e) = write_executable(sh, target, blob) {
            sh.err(format!("go: copying {target}: open {target}: {}\n", e.kind))?;
            return Ok(1);
        }
    }
    fill_build_cache(sh, &pkgs)?;
    let what = match targets.as_slice() {
        [] => "nothing was written (no main package, or several without -o DIR)".to_string(),
        [(t, _)] => format!("{t} is a placeholder executable of a realistic size"),
        many => format!("{} placeholder executables were written", many.len()),
    };
    sh.notice(
        NoticeKind::Simulated,
        "go",
        format!(
            "simulated: go {} compiled nothing; {what}",
            if install { "install" } else { "build" }
        ),
    );
    Ok(0)
}

/// A stand-in binary's size from what it imports.
fn binary_size(p: &Package, module: &Module, stripped: bool) -> u64 {
    let mut size = HELLO_BYTES;
    for import in &p.imports {
        if let Some((_, extra)) = STD_WEIGHT.iter().find(|(name, _)| name == import) {
            size += extra;
        } else if import.contains('.') && !import.starts_with(&module.path) {
            size += MODULE_BYTES;
        }
    }
    if stripped {
        size = size * 7 / 10;
    }
    size
}

/// The C libraries a cgo build links: only with CGO_ENABLED=1 and a package that
/// uses cgo (`import "C"`) or the net and os/user packages, which then link libc.
fn dynamic_libs(sh: &Shell<'_>, p: &Package) -> Vec<&'static str> {
    let uses_libc = p
        .imports
        .iter()
        .any(|i| i == "C" || i == "net" || i == "net/http" || i == "os/user");
    if !cgo_enabled(sh) || !uses_libc {
        return Vec::new();
    }
    if sh.fs.exists("/lib/ld-musl-x86_64.so.1") {
        vec!["libc.musl-x86_64.so.1"]
    } else {
        vec!["libc.so.6"]
    }
}

/// Writes an executable (`0777` less the umask, like a new directory), creating
/// its directory as Go does for `-o` and GOBIN.
fn write_executable(sh: &mut Shell<'_>, target: &str, blob: Blob) -> crate::vfs::Result<()> {
    let parent = target
        .rsplit_once('/')
        .map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    let meta = sh.dir_meta();
    sh.fs.mkdir_all(parent, meta)?;
    sh.fs.write_file(target, blob, meta)
}

/// Where `go install` puts executables: GOBIN, else GOPATH/bin.
fn gobin(sh: &Shell<'_>) -> String {
    sh.var("GOBIN")
        .filter(|b| !b.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/bin", gopath(sh)))
}

/// The build cache Go leaves behind (the standard library compiled for this
/// target, then the packages): `GOCACHE`'s README, trim.txt and entries.
fn fill_build_cache(sh: &mut Shell<'_>, pkgs: &[Package]) -> Result<(), Flow> {
    let cache = gocache(sh);
    let dir_meta = sh.dir_meta();
    if sh.fs.mkdir_all(&cache, dir_meta).is_err() {
        return Ok(());
    }
    let file_meta = sh.file_meta();
    let readme = format!("{cache}/README");
    if !sh.fs.exists(&readme) {
        let _ = sh.fs.write_file(
            &readme,
            Blob::from_bytes(
                b"This directory holds cached build artifacts from the Go build system.\n\
                  Run \"go clean -cache\" if the directory is getting too large.\n\
                  Run \"go clean -fuzzcache\" to delete the fuzz cache.\n\
                  See go.dev to learn more about Go.\n"
                    .to_vec(),
            ),
            file_meta,
        );
        let _ = sh.fs.write_file(
            &format!("{cache}/trim.txt"),
            Blob::from_bytes(format!("{}\n", sh.file_meta().mtime).into_bytes()),
            file_meta,
        );
    }
    // Each package compiled adds an action entry (-a) and an output entry (-d); the
    // standard library packages a program pulls in are most of the bytes.
    let mut names: Vec<String> = vec!["runtime".into(), "fmt".into(), "os".into(), "sync".into()];
    for p in pkgs {
        names.push(p.import_path.clone());
        names.extend(p.imports.iter().cloned());
    }
    crate::sort::sort(&mut names);
    names.dedup();
    for name in &names {
        sh.step()?;
        let digest = crate::digest::Digest::of(format!("go-build {name}").as_bytes()).hex();
        let dir = format!("{cache}/{}", &digest[..2]);
        let _ = sh.fs.mkdir_all(&dir, dir_meta);
        let weight = match name.as_str() {
            // The runtime and the internal packages under it: most of the ~13 MB a
            // first hello-world build leaves in the cache.
            "runtime" => 9_000_000,
            "fmt" => 1_500_000,
            _ => STD_WEIGHT
                .iter()
                .find(|(n, _)| n == name)
                .map_or(380_000, |(_, w)| w / 2),
        };
        let seed = super::super::packages::seed(&["go-build", name]);
        let _ = sh.fs.write_file(
            &format!("{dir}/{digest}-d"),
            Blob::generated(weight, seed),
            file_meta,
        );
        let _ = sh.fs.write_file(
            &format!("{dir}/{digest}-a"),
            Blob::from_bytes(
                format!(
                    "v1 {digest} {digest} {weight:>20} {:>20}\n",
                    sh.file_meta().mtime
                )
                .into_bytes(),
            ),
            file_meta,
        );
    }
    Ok(())
}

/// `go install example.com/tool@v1.2.3`: the module is fetched into the module
/// cache and its executable written to GOBIN.
fn install_remote(sh: &mut Shell<'_>, spec: &str) -> Exec {
    let (path, version) = spec.split_once('@').unwrap_or((spec, "latest"));
    let path = path.trim_end_matches("/...");
    download_module(sh, path, version)?;
    let bin = gobin(sh);
    let target = format!("{}/{}", bin.trim_end_matches('/'), executable_name(path));
    let head = crate::catalog::elf_head(&[]);
    let seed = super::super::packages::seed(&["go-install", spec]);
    let blob = Blob::generated_with_head(head, HELLO_BYTES + 4 * MODULE_BYTES, seed);
    if let Err(e) = write_executable(sh, &target, blob) {
        sh.err(format!("go: copying {target}: {}\n", e.kind))?;
        return Ok(1);
    }
    sh.err(format!(
        "go: downloading {path} {}\n",
        shown_version(version)
    ))?;
    sh.notice(
        NoticeKind::Simulated,
        "go",
        format!("simulated: go install downloaded nothing; {target} is a placeholder executable"),
    );
    Ok(0)
}

/// `latest` has no real version here: layerlab says which one it stands for.
fn shown_version(version: &str) -> &str {
    if version == "latest" {
        "v1.0.0"
    } else {
        version
    }
}

/// One module in GOMODCACHE: the download cache's files and the extracted tree
/// (read-only, as Go leaves it), with a realistic size.
fn download_module(sh: &mut Shell<'_>, path: &str, version: &str) -> Result<(), Flow> {
    sh.step()?;
    let version = shown_version(version);
    let modcache = format!("{}/pkg/mod", gopath(sh));
    // The module cache escapes upper case as `!` + lower case.
    let escaped: String = path
        .chars()
        .flat_map(|c| {
            if c.is_ascii_uppercase() {
                vec!['!', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect();
    let dir_meta = sh.dir_meta();
    let file_meta = sh.file_meta();
    let read_only = Meta {
        mode: 0o444,
        ..file_meta
    };
    let download = format!("{modcache}/cache/download/{escaped}/@v");
    let tree = format!("{modcache}/{escaped}@{version}");
    let seed = super::super::packages::seed(&["go-mod", path, version]);
    let _ = sh.fs.mkdir_all(&download, dir_meta);
    let files = [
        (
            format!("{download}/{version}.info"),
            Blob::from_bytes(
                format!("{{\"Version\":\"{version}\",\"Time\":\"2024-01-01T00:00:00Z\"}}")
                    .into_bytes(),
            ),
        ),
        (
            format!("{download}/{version}.mod"),
            Blob::from_bytes(format!("module {path}\n\ngo 1.20\n").into_bytes()),
        ),
        (
            format!("{download}/{version}.zip"),
            Blob::generated(MODULE_BYTES / 3, seed),
        ),
        (
            format!("{download}/{version}.ziphash"),
            Blob::from_bytes(
                format!(
                    "h1:{}=",
                    &crate::digest::Digest::of(path.as_bytes()).hex()[..43]
                )
                .into_bytes(),
            ),
        ),
    ];
    for (file, blob) in files {
        let _ = sh.fs.write_file(&file, blob, file_meta);
    }
    let _ = sh.fs.mkdir_all(&tree, dir_meta);
    let name = executable_name(path);
    let _ = sh.fs.write_file(
        &format!("{tree}/go.mod"),
        Blob::from_bytes(format!("module {path}\n\ngo 1.20\n").into_bytes()),
        read_only,
    );
    let _ = sh.fs.write_file(
        &format!("{tree}/{name}.go"),
        Blob::generated(MODULE_BYTES, seed ^ 1),
        read_only,
    );
    Ok(())
}

/// `go mod download|init|tidy|verify`.
fn module_command(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let sub = args.first().map(String::as_str).unwrap_or("");
    if sub == "init" {
        return module_init(sh, args.get(1).map(String::as_str));
    }
    let Some(module) = find_module(sh) else {
        sh.err(NO_GO_MOD)?;
        return Ok(1);
    };
    match sub {
        "download" => {
            let verbose = args.iter().any(|a| a == "-x" || a == "-json");
            for (path, version) in &module.requires {
                download_module(sh, path, version)?;
                if verbose {
                    sh.err(format!(
                        "# get https://proxy.golang.org/{path}/@v/{version}.zip\n"
                    ))?;
                }
            }
            if !module.requires.is_empty() {
                sh.notice(
                    NoticeKind::Simulated,
                    "go",
                    format!(
                        "simulated: go mod download fetched nothing; {} modules were written to the module cache as placeholders of realistic size",
                        module.requires.len()
                    ),
                );
            }
            Ok(0)
        }
        "verify" => {
            sh.out("all modules verified\n")?;
            Ok(0)
        }
        "tidy" | "vendor" | "graph" | "why" | "edit" => {
            sh.notice(
                NoticeKind::NotSimulated,
                "go",
                format!("`go mod {sub}` is not modelled by layerlab; go.mod is unchanged"),
            );
            Ok(0)
        }
        _ => {
            sh.err(format!(
                "go mod {sub}: unknown command\nRun 'go help mod' for usage.\n"
            ))?;
            Ok(2)
        }
    }
}

/// `go mod init [PATH]`.
fn module_init(sh: &mut Shell<'_>, path: Option<&str>) -> Exec {
    let file = sh.abs("go.mod");
    if sh.fs.exists(&file) {
        sh.err(format!("go: {file} already exists\n"))?;
        return Ok(1);
    }
    let Some(path) = path else {
        sh.err("go: cannot determine module path for source directory (outside GOPATH, module path must be specified)\n\nExample usage:\n\t'go mod init example.com/m' to initialize a v0 or v1 module\n\t'go mod init example.com/m/v2' to initialize a v2 module\n\nRun 'go help mod init' for more information.\n")?;
        return Ok(1);
    };
    let version = version(sh);
    let language = version
        .trim_start_matches("go")
        .splitn(3, '.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".");
    if let Err(e) = sh.write_file(&file, format!("module {path}\n\ngo {language}\n")) {
        sh.err(format!("go: {file}: {}\n", e.kind))?;
        return Ok(1);
    }
    sh.err(format!("go: creating new go.mod: module {path}\n"))?;
    Ok(0)
}

/// `go test [PACKAGES]`: Go's summary line per package; nothing runs.
fn test(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let Some(module) = find_module(sh) else {
        sh.err(NO_GO_MOD)?;
        return Ok(1);
    };
    let patterns: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let Some(pkgs) = packages(sh, &module, &patterns)? else {
        return Ok(1);
    };
    let mut text = String::new();
    for p in &pkgs {
        if p.has_tests {
            text.push_str(&format!("ok  \t{}\t0.004s\n", p.import_path));
        } else {
            text.push_str(&format!("?   \t{}\t[no test files]\n", p.import_path));
        }
    }
    sh.out(text)?;
    fill_build_cache(sh, &pkgs)?;
    sh.notice(
        NoticeKind::Simulated,
        "go",
        "simulated: go test ran no tests; every package with test files is reported as passing",
    );
    Ok(0)
}
