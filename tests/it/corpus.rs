//! Real-world Dockerfiles build: every Dockerfile of `../shared/conformance/corpus/`
//! (official images and BuildKit's own) whose base images the catalog has must
//! build without error on the catalog's simulated bases.
//!
//! The corpus has no build contexts, so each COPY/ADD source the Dockerfile names
//! (after ARG and ENV expansion, as the builder does it) gets a small deterministic
//! placeholder: a `#!/bin/sh` script with mode 0755 for scripts and extensionless
//! programs, a text file for data files, a directory holding one file for sources
//! that name a directory. A file is skipped, with its reason printed, when a stage
//! it builds starts from an image the catalog lacks, or when it needs a feature
//! layerlab excludes (secret mounts).

use layerlab::builder::{build, default_platform, BuildInput, BuildOptions, BuildOutcome};
use layerlab::cache::BuildCache;
use layerlab::catalog;
use layerlab::context::BuildContext;
use layerlab::dockerfile::expand::Lexer;
use layerlab::dockerfile::instruction::{platform_args, ArgScope, Command, Dockerfile};
use layerlab::store::Store;
use layerlab::vfs::blob::Blob;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Files that do not build yet, each with why (a file-name fragment, then the
/// reason). The test fails when a file outside this list fails, and when a file
/// in it builds (so the list only ever shrinks).
///
/// BuildKit's own hack/ files below started to build when the catalog gained
/// golang:1.26; they were skipped before for that missing base.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "hack__dockerfiles__docs-dockerfile",
        "bind-mounts BuildKit's source tree (--mount=target=.) for go build -mod=vendor; the corpus has no sources, so go finds no go.mod",
    ),
    (
        "hack__dockerfiles__docs.Dockerfile",
        "bind-mounts BuildKit's source tree (--mount=target=.) for go build -mod=vendor; the corpus has no sources, so go finds no go.mod",
    ),
    (
        "hack__dockerfiles__archutil",
        "needs the cross toolchains of Debian's gcc-TRIPLE and binutils-TRIPLE packages (x86_64-linux-gnu-gcc and others), which layerlab's package index lacks",
    ),
    (
        "hack__dockerfiles__generated-files",
        "unzips files of a GitHub archive (googleapis); layerlab's simulated download is a placeholder archive without the repository's files",
    ),
];

/// Files that stop on purpose without a build argument: (file-name fragment, ARG).
const REQUIRED_BUILD_ARGS: &[(&str, &str)] = &[("docker-nginx__modules__", "ENABLED_MODULES")];

/// What the corpus test decided for one file.
enum Verdict {
    Built,
    Skipped(String),
    Failed(String),
}

/// The stage variables a COPY source expands against: ARG defaults (stage ARGs
/// see the global value when they redeclare it) and ENV values, in order.
fn stage_env(
    dockerfile: &Dockerfile,
    scope: &ArgScope,
    lexer: &Lexer,
) -> Vec<Vec<(String, String)>> {
    let mut per_stage = Vec::new();
    for stage in &dockerfile.stages {
        let mut vars: Vec<(String, String)> = Vec::new();
        let mut at_copy = Vec::new();
        for instruction in &stage.instructions {
            match &instruction.command {
                Command::Arg(definitions) => {
                    for d in definitions {
                        let global = scope
                            .from_env()
                            .iter()
                            .find(|(k, _)| *k == d.name)
                            .map(|(_, v)| v.clone());
                        let value = match &d.default {
                            Some(default) => lexer.process_word(default, &vars[..]).ok(),
                            None => None,
                        };
                        if let Some(v) = global.or(value) {
                            vars.retain(|(k, _)| *k != d.name);
                            vars.push((d.name.clone(), v));
                        }
                    }
                }
                Command::Env(pairs) => {
                    for pair in pairs {
                        let v = lexer
                            .process_word(&pair.value, &vars[..])
                            .unwrap_or_else(|_| pair.value.clone());
                        vars.retain(|(k, _)| *k != pair.key);
                        vars.push((pair.key.clone(), v));
                    }
                }
                _ => {}
            }
            at_copy.push(vars.clone());
        }
        per_stage.push(at_copy);
    }
    per_stage.into_iter().flatten().collect()
}

/// Whether a context source names a directory rather than a file.
fn is_directory(path: &str) -> bool {
    path.is_empty() || path == "." || path.ends_with('/') || path.ends_with("/.")
}

/// The placeholder for a context file: scripts and extensionless programs are
/// executable `#!/bin/sh` scripts that succeed, data files are a line of text.
fn placeholder(path: &str) -> (Vec<u8>, u32) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let script = name.ends_with(".sh")
        || name.ends_with(".envsh")
        || !name.contains('.')
        || name.contains("entrypoint");
    if script {
        let body = format!("#!/bin/sh\n# placeholder for {path} (layerlab corpus test)\nexit 0\n");
        (body.into_bytes(), 0o755)
    } else {
        (
            format!("placeholder for {path} (layerlab corpus test)\n").into_bytes(),
            0o644,
        )
    }
}

/// The stand-ins for a corpus file's context: for docker-library/php's files, the
/// helper scripts the repository ships (docker-php-source, docker-php-ext-*,
/// docker-php-entrypoint, apache2-foreground) as the catalog's php image of that
/// variant holds them (layerlab's own scripts: one copy, in
/// `src/catalog/runtimes.txt`), as name → (contents, mode).
fn stand_ins(name: &str) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut found = BTreeMap::new();
    if !name.starts_with("docker-library_php__") {
        return found;
    }
    let image = if name.contains("__apache__") {
        "php:8.3-apache"
    } else if name.contains("__fpm__") {
        "php:8.3-fpm"
    } else {
        "php:8.3-cli"
    };
    let base = catalog::resolve(image).expect("the catalog has the php images");
    let fs = &base.layers.last().expect("php has layers").fs_after;
    for (file, stat) in fs.read_dir("/usr/local/bin").expect("/usr/local/bin") {
        if file.starts_with("docker-php-") || file == "apache2-foreground" {
            let body = fs
                .read_file(&format!("/usr/local/bin/{file}"))
                .expect("a helper script")
                .bytes()
                .into_owned();
            found.insert(file, (body, stat.meta.mode & 0o7777));
        }
    }
    found
}

/// Whether `name` matches the shell glob `pattern` (`*` and `?` only).
fn glob_matches(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob_matches(&pattern[1..], name)
                || (!name.is_empty() && glob_matches(pattern, &name[1..]))
        }
        (Some(b'?'), Some(_)) => glob_matches(&pattern[1..], &name[1..]),
        (Some(p), Some(n)) if p == n => glob_matches(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// A build context for the corpus file `name`: our stand-in for each context
/// source we wrote one for, a placeholder for every other source it names.
fn context_for(name: &str, dockerfile: &Dockerfile, scope: &ArgScope) -> BuildContext {
    let stand_ins = stand_ins(name);
    let mut ctx = BuildContext::new();
    let lexer = Lexer::new(dockerfile.escape);
    let envs = stage_env(dockerfile, scope, &lexer);
    let mut wanted = BTreeMap::new();
    let instructions = dockerfile.stages.iter().flat_map(|s| &s.instructions);
    for (instruction, env) in instructions.zip(&envs) {
        let sources = match &instruction.command {
            Command::Copy(copy) if copy.from.is_none() => &copy.sources,
            Command::Add(add) => &add.sources,
            _ => continue,
        };
        for source in sources {
            let source = lexer
                .process_word(source, &env[..])
                .unwrap_or_else(|_| source.clone());
            if source.contains("://") || source.starts_with("git@") {
                continue;
            }
            let plain = source.trim_start_matches("./");
            let matching: Vec<&String> = stand_ins
                .keys()
                .filter(|f| glob_matches(plain.as_bytes(), f.as_bytes()))
                .collect();
            if !matching.is_empty() {
                for file in matching {
                    let (body, mode) = &stand_ins[file];
                    ctx.add_file(file, Blob::from_bytes(body.clone()), *mode, 1_700_000_000)
                        .unwrap_or_else(|e| panic!("stand-in {file}: {e}"));
                }
                continue;
            }
            let path = source.replace(['*', '?'], "x").replace(['[', ']'], "");
            let path = path.trim_start_matches("./").trim_start_matches('/');
            if is_directory(path) {
                let dir = path.trim_end_matches('.').trim_end_matches('/');
                let file = if dir.is_empty() {
                    "README.placeholder".to_string()
                } else {
                    format!("{dir}/README.placeholder")
                };
                wanted.insert(file, ());
            } else {
                wanted.insert(path.to_string(), ());
            }
        }
    }
    for path in wanted.keys() {
        let (body, mode) = placeholder(path);
        ctx.add_file(path, Blob::from_bytes(body), mode, 1_700_000_000)
            .unwrap_or_else(|e| panic!("placeholder {path}: {e}"));
    }
    ctx
}

/// Why the file cannot build on layerlab at all, if it cannot: a base image the
/// catalog lacks (any stage, ARG defaults applied) or an excluded feature.
fn skip_reason(
    name: &str,
    dockerfile: &Dockerfile,
    scope: &ArgScope,
    text: &str,
) -> Option<String> {
    if text.contains("type=secret") {
        return Some("needs a secret mount".to_string());
    }
    if let Some((_, arg)) = REQUIRED_BUILD_ARGS.iter().find(|(f, _)| name.contains(f)) {
        return Some(format!(
            "needs --build-arg {arg} (the file exits on purpose without it)"
        ));
    }
    let lexer = Lexer::new(dockerfile.escape);
    let mut missing = Vec::new();
    for (index, stage) in dockerfile.stages.iter().enumerate() {
        let base = lexer
            .process_word(&stage.base, scope.from_env())
            .unwrap_or_else(|_| stage.base.clone());
        // Images named by `COPY --from=IMAGE` are bases too.
        // Images a COPY or a RUN's mount takes files from are bases too.
        let froms = stage.instructions.iter().flat_map(|i| match &i.command {
            Command::Copy(copy) => copy.from.iter().collect::<Vec<_>>(),
            Command::Run(run) => run.mounts.iter().filter_map(|m| m.from.as_ref()).collect(),
            _ => Vec::new(),
        });
        let copied = froms.map(|f| {
            lexer
                .process_word(f, scope.from_env())
                .unwrap_or_else(|_| f.clone())
        });
        for image in std::iter::once(base).chain(copied) {
            let earlier = layerlab::builder::find_stage(dockerfile, &image, index).is_some()
                || image.parse::<usize>().is_ok();
            if earlier || image == "scratch" || catalog::resolve(&image).is_ok() {
                continue;
            }
            if !missing.contains(&image) {
                missing.push(image);
            }
        }
    }
    (!missing.is_empty()).then(|| format!("missing base {}", missing.join(", ")))
}

/// Builds one corpus file in a fresh store: its outcome, or the verdict when it
/// cannot start (does not parse, or is skipped).
fn build_file(name: &str, text: &str) -> Result<BuildOutcome, Verdict> {
    let (parsed, _) = layerlab::dockerfile::parse(text);
    let Some(dockerfile) = parsed else {
        return Err(Verdict::Failed("does not parse".to_string()));
    };
    let platform = default_platform();
    let platform_args = platform_args(&platform, &platform);
    let scope = match ArgScope::new(&dockerfile.meta_args, &[], platform_args, dockerfile.escape) {
        Ok(scope) => scope,
        Err(e) => return Err(Verdict::Failed(format!("meta ARGs: {e}"))),
    };
    if let Some(reason) = skip_reason(name, &dockerfile, &scope, text) {
        return Err(Verdict::Skipped(reason));
    }
    let ctx = context_for(name, &dockerfile, &scope);
    let mut store = Store::new();
    let mut cache = BuildCache::new();
    let input = BuildInput {
        dockerfile: text,
        dockerfile_path: "Dockerfile",
        context: &ctx,
    };
    Ok(build(
        &mut store,
        &mut cache,
        &input,
        &BuildOptions::default(),
    ))
}

fn build_one(name: &str, text: &str) -> Verdict {
    let outcome = match build_file(name, text) {
        Ok(outcome) => outcome,
        Err(verdict) => return verdict,
    };
    match outcome.error {
        None => Verdict::Built,
        Some(e) => {
            let step = e
                .step
                .and_then(|i| outcome.steps.get(i.saturating_sub(1)))
                .map(|s| format!("after step {} ", s.instruction.lines().next().unwrap_or("")))
                .unwrap_or_default();
            let output = outcome
                .steps
                .last()
                .map(|s| {
                    s.output
                        .lines()
                        .rev()
                        .take(6)
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default();
            Verdict::Failed(format!("{step}{e} [last output: {output}]"))
        }
    }
}

#[test]
fn corpus_dockerfiles_build_on_catalog_bases() {
    let dir = corpus_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read the corpus directory")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 131, "the corpus has 131 Dockerfiles");
    let only = std::env::var("LAYERLAB_CORPUS_ONLY").ok();
    let (mut built, mut skipped, mut failed) = (0, Vec::new(), Vec::new());
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let started = Instant::now();
    for file in &files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read a corpus file");
        let t = Instant::now();
        let verdict = build_one(&name, &text);
        let secs = t.elapsed().as_secs_f64();
        match verdict {
            Verdict::Built => built += 1,
            Verdict::Skipped(reason) => {
                println!("skipped {name}: {reason}");
                *reasons.entry(reason.clone()).or_default() += 1;
                skipped.push(name.clone());
            }
            Verdict::Failed(why) => {
                println!("FAILED {name}: {why}");
                failed.push(format!("{name}: {why}"));
            }
        }
        if secs > 2.0 {
            println!("slow: {name} took {secs:.1} s");
        }
    }
    let reasons: Vec<String> = reasons.iter().map(|(r, n)| format!("{n}x {r}")).collect();
    for (fragment, why) in KNOWN_FAILURES {
        println!("known failure {fragment}: {why}");
    }
    println!(
        "corpus build: built {built}, failed {} (known: {}), skipped {} ({}) in {:.1} s",
        failed.len(),
        KNOWN_FAILURES.len(),
        skipped.len(),
        reasons.join("; "),
        started.elapsed().as_secs_f64()
    );
    let unexpected: Vec<&String> = failed
        .iter()
        .filter(|f| !KNOWN_FAILURES.iter().any(|(k, _)| f.contains(k)))
        .collect();
    let fixed: Vec<&str> = KNOWN_FAILURES
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| only.is_none() && !failed.iter().any(|f| f.contains(k)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} corpus Dockerfiles failed:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these known failures build now; remove them from KNOWN_FAILURES: {fixed:?}"
    );
}

/// The shared corpus directory (the test fails loudly when it is missing).
fn corpus_dir() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/corpus");
    assert!(
        dir.is_dir(),
        "the shared conformance data is missing at {}",
        dir.display()
    );
    dir
}

/// The final filesystem of the corpus file `name`, which must build.
fn built_image(name: &str) -> layerlab::vfs::Vfs {
    let text = std::fs::read_to_string(corpus_dir().join(name)).expect("read a corpus file");
    let outcome = match build_file(name, &text) {
        Ok(outcome) => outcome,
        Err(Verdict::Skipped(why) | Verdict::Failed(why)) => panic!("{name}: {why}"),
        Err(Verdict::Built) => unreachable!("build_file returns outcomes"),
    };
    assert!(outcome.error.is_none(), "{name}: {:?}", outcome.error);
    outcome.steps.last().expect("a built step").fs.clone()
}

fn read_text(fs: &layerlab::vfs::Vfs, path: &str) -> String {
    String::from_utf8_lossy(&fs.read_file(path).expect(path).bytes()).into_owned()
}

/// Checks that a Debian image built from source kept each `(package, library)`:
/// installed, marked manual (not Auto-Installed in apt's extended_states), with
/// the library file (a name in the multiarch directory) in the image; and that
/// the build dependencies `gone` left.
fn assert_debian_keeps(name: &str, kept: &[(&str, &str)], gone: &[&str]) {
    // Debian's multiarch library directory, where each kept library lives.
    let lib = |file: &str| format!("/usr/lib/x86_64-linux-gnu/{file}");
    let fs = built_image(name);
    let status = read_text(&fs, "/var/lib/dpkg/status");
    let stanzas: Vec<&str> = status.split("\n\n").collect();
    let installed = |package: &str| {
        stanzas.iter().any(|s| {
            s.starts_with(&format!("Package: {package}\n"))
                && s.contains("Status: install ok installed")
        })
    };
    let extended = fs
        .read_file("/var/lib/apt/extended_states")
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    for (package, library) in kept {
        assert!(installed(package), "{name}: {package} is not installed");
        let auto = extended.split("\n\n").any(|s| {
            s.starts_with(&format!("Package: {package}\n")) && s.contains("Auto-Installed: 1")
        });
        assert!(!auto, "{name}: {package} is not marked manual");
        let library = lib(library);
        assert!(
            fs.stat(&library).is_ok(),
            "{name}: {library} of {package} is missing"
        );
    }
    for package in gone {
        assert!(!installed(package), "{name}: {package} was not purged");
    }
}

/// Checks that an Alpine image built from source kept its libraries: each `so:`
/// name is asked for (by the `virtual` run-time package, in world, or by world
/// itself when the image adds the names directly), a package providing it is
/// installed and the library file is in the image.
fn assert_alpine_keeps(name: &str, virtual_name: Option<&str>, kept: &[(&str, &str)]) {
    let fs = built_image(name);
    let db = read_text(&fs, "/lib/apk/db/installed");
    let world = read_text(&fs, "/etc/apk/world");
    let asked: Vec<&str> = match virtual_name {
        Some(v) => {
            assert!(world.lines().any(|l| l == v), "{name}: {v} is not in world");
            db.split("\n\n")
                .find(|s| s.contains(&format!("P:{v}\n")))
                .unwrap_or_else(|| panic!("{name}: no {v} in the apk database"))
                .lines()
                .find_map(|l| l.strip_prefix("D:"))
                .unwrap_or("")
                .split_whitespace()
                .collect()
        }
        None => world.lines().collect(),
    };
    for (soname, library) in kept {
        let so = format!("so:{soname}");
        assert!(
            asked.contains(&so.as_str()),
            "{name}: nothing asks for {so}: {asked:?}"
        );
        let provided = db.split("\n\n").any(|s| {
            s.lines().filter_map(|l| l.strip_prefix("p:")).any(|p| {
                p.split_whitespace()
                    .any(|w| w.split('=').next() == Some(&so))
            })
        });
        assert!(provided, "{name}: nothing installed provides {so}");
        assert!(fs.stat(library).is_ok(), "{name}: {library} is missing");
    }
}

#[test]
fn python_slim_bookworm_keeps_its_runtime_libraries() {
    let kept = [
        ("libssl3", "libssl.so.3"),
        ("libsqlite3-0", "libsqlite3.so.0"),
        ("libffi8", "libffi.so.8"),
        ("zlib1g", "libz.so.1"),
        ("libbz2-1.0", "libbz2.so.1.0"),
        ("liblzma5", "liblzma.so.5"),
        ("libreadline8", "libreadline.so.8"),
        ("libncursesw6", "libncursesw.so.6"),
        ("libtinfo6", "libtinfo.so.6"),
        ("libuuid1", "libuuid.so.1"),
        ("libgdbm6", "libgdbm.so.6"),
        ("libdb5.3", "libdb-5.3.so"),
        ("libc6", "libc.so.6"),
    ];
    assert_debian_keeps(
        "docker-library_python__3.15-rc__slim-bookworm__Dockerfile.Dockerfile",
        &kept,
        &["libsqlite3-dev", "libssl-dev", "gcc", "make"],
    );
}

#[test]
fn python_alpine_keeps_its_runtime_libraries() {
    assert_alpine_keeps(
        "docker-library_python__3.15-rc__alpine3.23__Dockerfile.Dockerfile",
        Some(".python-rundeps"),
        &[
            ("libssl.so.3", "/usr/lib/libssl.so.3"),
            ("libcrypto.so.3", "/usr/lib/libcrypto.so.3"),
            ("libsqlite3.so.0", "/usr/lib/libsqlite3.so.0"),
            ("libffi.so.8", "/usr/lib/libffi.so.8"),
            ("libz.so.1", "/usr/lib/libz.so.1"),
            ("libbz2.so.1", "/usr/lib/libbz2.so.1"),
            ("liblzma.so.5", "/usr/lib/liblzma.so.5"),
            ("libreadline.so.8", "/usr/lib/libreadline.so.8"),
            ("libncursesw.so.6", "/usr/lib/libncursesw.so.6"),
            ("libuuid.so.1", "/usr/lib/libuuid.so.1"),
            ("libgdbm.so.6", "/usr/lib/libgdbm.so.6"),
            ("libgdbm_compat.so.4", "/usr/lib/libgdbm_compat.so.4"),
            ("libc.musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"),
        ],
    );
}

#[test]
fn ruby_slim_bookworm_keeps_its_runtime_libraries() {
    let kept = [
        ("libssl3", "libssl.so.3"),
        ("libyaml-0-2", "libyaml-0.so.2"),
        ("libgmp10", "libgmp.so.10"),
        ("libffi8", "libffi.so.8"),
        ("zlib1g", "libz.so.1"),
        ("libcrypt1", "libcrypt.so.1"),
        ("libc6", "libc.so.6"),
    ];
    assert_debian_keeps(
        "docker-library_ruby__3.3__slim-bookworm__Dockerfile.Dockerfile",
        &kept,
        &["libyaml-dev", "libssl-dev", "ruby"],
    );
}

#[test]
fn ruby_alpine_keeps_its_runtime_libraries() {
    assert_alpine_keeps(
        "docker-library_ruby__3.3__alpine3.23__Dockerfile.Dockerfile",
        Some(".ruby-rundeps"),
        &[
            ("libssl.so.3", "/usr/lib/libssl.so.3"),
            ("libcrypto.so.3", "/usr/lib/libcrypto.so.3"),
            ("libyaml-0.so.2", "/usr/lib/libyaml-0.so.2"),
            ("libgmp.so.10", "/usr/lib/libgmp.so.10"),
            ("libffi.so.8", "/usr/lib/libffi.so.8"),
            ("libz.so.1", "/usr/lib/libz.so.1"),
            ("libc.musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"),
        ],
    );
}

#[test]
fn php_bookworm_keeps_its_runtime_libraries() {
    let kept = [
        ("libargon2-1", "libargon2.so.1"),
        ("libcurl4", "libcurl.so.4"),
        ("libonig5", "libonig.so.5"),
        ("libreadline8", "libreadline.so.8"),
        ("libsodium23", "libsodium.so.23"),
        ("libsqlite3-0", "libsqlite3.so.0"),
        ("libssl3", "libssl.so.3"),
        ("libxml2", "libxml2.so.2"),
        ("zlib1g", "libz.so.1"),
    ];
    assert_debian_keeps(
        "docker-library_php__8.2__bookworm__cli__Dockerfile.Dockerfile",
        &kept,
        &[
            "libargon2-dev",
            "libsodium-dev",
            "libxml2-dev",
            "libssl-dev",
        ],
    );
}

#[test]
fn php_alpine_keeps_its_runtime_libraries() {
    assert_alpine_keeps(
        "docker-library_php__8.2__alpine3.23__cli__Dockerfile.Dockerfile",
        None,
        &[
            ("libargon2.so.1", "/usr/lib/libargon2.so.1"),
            ("libcurl.so.4", "/usr/lib/libcurl.so.4"),
            ("libiconv.so.2", "/usr/lib/libiconv.so.2"),
            ("libonig.so.5", "/usr/lib/libonig.so.5"),
            ("libreadline.so.8", "/usr/lib/libreadline.so.8"),
            ("libsodium.so.26", "/usr/lib/libsodium.so.26"),
            ("libsqlite3.so.0", "/usr/lib/libsqlite3.so.0"),
            ("libssl.so.3", "/usr/lib/libssl.so.3"),
            ("libxml2.so.2", "/usr/lib/libxml2.so.2"),
            ("libz.so.1", "/usr/lib/libz.so.1"),
        ],
    );
}
