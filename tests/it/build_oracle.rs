//! The builder against the real one: every Dockerfile under `tests/data/oracle/`
//! is built by Debian's buildah through `../shared/oracle/build.sh` and by
//! `layerlab build` from the same busybase archive, then both images are listed
//! by the oracle's own scripts (umoci for ours, via `unpack.sh`).
//!
//! - `--builder legacy` must give the same entries in every layer (path, type,
//!   mode, owner, size, content hash; the oracle's `layers-compat` listing) and
//!   the same history (`created_by` up to buildah's COPY hash, `empty_layer`).
//! - The default builder must give the same merged filesystem, up to the
//!   differences `../shared/docs/SEMANTICS.md` documents (WORKDIR directories).
//!
//! It never skips: a missing tool fails with the command that installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::oracle_tools::{oracle, require_tools};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "layerlab-build-oracle-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The busybase archive the oracle builds on (made once, reproducible).
fn busybase() -> PathBuf {
    let out = run(
        Command::new("bash").arg(oracle("make-base.sh")),
        "make-base.sh",
    );
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("archive="))
        .expect("make-base.sh prints archive=");
    PathBuf::from(line)
}

/// Copies a case's context so buildah can read it with the owner's write bit back.
fn copy_case(case: &Path, to: &Path) {
    run(
        Command::new("cp")
            .arg("-r")
            .arg("--preserve=mode")
            .arg(case)
            .arg(to),
        "cp",
    );
    run(Command::new("chmod").arg("-R").arg("u+w").arg(to), "chmod");
}

fn listing(dir: &Path, file: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(file))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

fn layer_count(dir: &Path, sub: &str) -> usize {
    std::fs::read_dir(dir.join(sub))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// `created_by<TAB>layer?` per history entry, COPY/ADD hashes blanked.
fn history(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("history.json")).expect("history.json");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let created = h["created_by"].as_str().unwrap_or_default();
            let created = match created.find(":") {
                Some(i) if created.contains("#(nop) COPY ") || created.contains("#(nop) ADD ") => {
                    let kind_start = created[..i].rfind(' ').map_or(0, |s| s + 1);
                    let hash_end = created[i + 1..]
                        .find(' ')
                        .map_or(created.len(), |e| i + 1 + e);
                    format!("{}HASH{}", &created[..kind_start], &created[hash_end..])
                }
                _ => created.to_string(),
            };
            format!(
                "{created}\t{}",
                if h["layer_index"].is_null() {
                    "empty"
                } else {
                    "layer"
                }
            )
        })
        .collect()
}

struct Case {
    name: String,
    dir: PathBuf,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oracle");
    let mut cases: Vec<Case> = std::fs::read_dir(&root)
        .expect("tests/data/oracle")
        .map(|e| e.unwrap().path())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().to_string(),
            dir,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Builds with layerlab, exports, and lists the export with the oracle's unpack.sh.
fn layerlab(case: &Path, base: &Path, builder: &str, work: &Path) -> PathBuf {
    let tar = work.join(format!("{builder}.tar"));
    run(
        Command::new(env!("CARGO_BIN_EXE_layerlab"))
            .args(["build", "--builder", builder, "--load"])
            .arg(format!("{}=localhost/busybase", base.display()))
            .arg("--export")
            .arg(&tar)
            .arg(case),
        &format!("layerlab build --builder {builder} {}", case.display()),
    );
    let out = work.join(format!("{builder}-unpacked"));
    run(
        Command::new("bash")
            .arg(oracle("unpack.sh"))
            .arg(&tar)
            .arg(&out),
        "unpack.sh",
    );
    out
}

/// Paths where the builders differ by design: BuildKit creates WORKDIR
/// directories at WORKDIR (buildah lazily or not at all, SEMANTICS.md §10.2), and
/// buildah creates VOLUME directories in the next RUN layer (§4) where BuildKit
/// only records them in the config (moby/buildkit dockerfile2llb/convert.go
/// `dispatchVolume` has no file operation). The targets and their parents.
fn workdir_paths(dockerfile: &str) -> Vec<String> {
    let mut current = String::from("/");
    let mut out = Vec::new();
    for line in dockerfile.lines() {
        if let Some(path) = line.strip_prefix("VOLUME ") {
            out.push(path.trim().trim_start_matches('/').to_string());
        }
        if let Some(path) = line.strip_prefix("WORKDIR ") {
            current = if path.starts_with('/') {
                path.to_string()
            } else {
                format!("{}/{path}", current.trim_end_matches('/'))
            };
            let rel = current.trim_start_matches('/');
            let mut acc = String::new();
            for part in rel.split('/') {
                acc = if acc.is_empty() {
                    part.to_string()
                } else {
                    format!("{acc}/{part}")
                };
                out.push(acc.clone());
            }
        }
        if line.starts_with("FROM ") {
            current = "/".to_string();
        }
    }
    out
}

/// Builds one case both ways; returns (legacy agrees, buildkit agrees, problems).
fn check_case(case: &Case, base: &Path) -> (bool, bool, Vec<String>) {
    let work = temp(&case.name);
    let ctx = work.join("ctx");
    copy_case(&case.dir, &ctx);
    let real = work.join("real");
    run(
        Command::new("bash")
            .arg(oracle("build.sh"))
            .arg(ctx.join("Dockerfile"))
            .arg(&ctx)
            .arg(&real)
            .env("ORACLE_NO_CACHE", "1"),
        &format!("oracle build of {}", case.name),
    );
    let mut failures = Vec::new();
    let ours = layerlab(&ctx, base, "legacy", &work);
    let mut problems = Vec::new();
    let (n_real, n_ours) = (
        layer_count(&real, "layers-compat"),
        layer_count(&ours, "layers"),
    );
    if n_real != n_ours {
        problems.push(format!("layer count: buildah {n_real}, layerlab {n_ours}"));
    }
    for i in 0..n_real.min(n_ours) {
        let (a, b) = (
            listing(&real, &format!("layers-compat/{i}.txt")),
            listing(&ours, &format!("layers/{i}.txt")),
        );
        if a != b {
            problems.push(format!("layer {i}:\n  buildah:  {a:?}\n  layerlab: {b:?}"));
        }
    }
    let (ha, hb) = (history(&real), history(&ours));
    if ha != hb {
        problems.push(format!("history:\n  buildah:  {ha:?}\n  layerlab: {hb:?}"));
    }
    let legacy_ok = problems.is_empty();
    if !legacy_ok {
        failures.push(format!("{} (legacy): {}", case.name, problems.join("\n")));
    }
    let ours = layerlab(&ctx, base, "buildkit", &work);
    let dockerfile = std::fs::read_to_string(ctx.join("Dockerfile")).unwrap();
    let allowed = workdir_paths(&dockerfile);
    let strip = |lines: Vec<String>| -> Vec<String> {
        lines
            .into_iter()
            .filter(|l| {
                !allowed
                    .iter()
                    .any(|p| l.split(' ').next() == Some(p.as_str()))
            })
            .collect()
    };
    let (a, b) = (
        strip(listing(&real, "rootfs.txt")),
        strip(listing(&ours, "rootfs.txt")),
    );
    let buildkit_ok = a == b;
    if !buildkit_ok {
        let only_real: Vec<&String> = a.iter().filter(|l| !b.contains(l)).collect();
        let only_ours: Vec<&String> = b.iter().filter(|l| !a.contains(l)).collect();
        failures.push(format!(
            "{} (buildkit rootfs): buildah only {only_real:?}; layerlab only {only_ours:?}",
            case.name
        ));
    }
    let _ = std::fs::remove_dir_all(&work);
    (legacy_ok, buildkit_ok, failures)
}

#[test]
fn layerlab_builds_what_buildah_builds() {
    require_tools();
    let base = busybase();
    let all = cases();
    assert!(
        all.len() >= 30,
        "the oracle corpus needs at least 30 Dockerfiles, found {}",
        all.len()
    );
    // buildah builds are serialised by the oracle's lock; unpacking and our own
    // builds overlap with them, so a few workers shorten the run.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(case) = all.get(i) else { break };
                let result = check_case(case, &base);
                results.lock().unwrap().push(result);
            });
        }
    });
    let results = results.into_inner().unwrap();
    let legacy_ok = results.iter().filter(|r| r.0).count();
    let buildkit_ok = results.iter().filter(|r| r.1).count();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.2).collect();
    println!(
        "oracle agreement, legacy builder (layers + history): {legacy_ok}/{}",
        all.len()
    );
    println!(
        "oracle agreement, buildkit builder (merged filesystem): {buildkit_ok}/{}",
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
