//! The classic builder's cache against the real one: an edit script of 22
//! successive edits to a Dockerfile and its context (content edits, mode changes,
//! touches with no content change, `.dockerignore` edits, instruction edits,
//! reorderings, build-arg changes). After each edit the same input is built by
//! buildah 1.28 (`buildah bud --layers` through `../shared/oracle/buildah.sh`,
//! with a state directory of its own so its cache starts empty) and by
//! `layerlab build --builder legacy --store DIR --progress json` (the CLI, its
//! cache kept in DIR between builds), and the steps each reports as cached must be
//! the same. buildah's hit is the `--> Using cache` line after a `STEP N/M:`.
//!
//! It never skips: a missing tool fails with the command that installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::oracle_tools::{oracle, require_tools};

/// One edit: what it does to the work directory, and the build args to use.
struct Edit {
    what: &'static str,
    apply: fn(&Path),
    build_args: &'static [&'static str],
}

const DOCKERFILE: &str = "FROM localhost/busybase
ARG V=1
WORKDIR /app
COPY req.txt ./
RUN cat req.txt > /deps.txt
COPY . .
RUN echo built-$V > /out.txt
ENV MODE=dev
RUN ls /app > /listing.txt
CMD [\"/bin/sh\"]
";

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join("ctx").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn dockerfile(dir: &Path, text: &str) {
    std::fs::write(dir.join("Dockerfile"), text).unwrap();
}

fn edit_dockerfile(dir: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(text.contains(from), "the edit script expects `{from}`");
    dockerfile(dir, &text.replacen(from, to, 1));
}

fn chmod(dir: &Path, path: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.join("ctx").join(path),
        std::fs::Permissions::from_mode(mode),
    )
    .unwrap();
}

/// Sets a path's mtime an hour later without touching its content.
fn touch(dir: &Path, path: &str) {
    let file = std::fs::File::options()
        .read(true)
        .open(dir.join("ctx").join(path))
        .unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    file.set_times(std::fs::FileTimes::new().set_modified(later))
        .unwrap();
}

fn edits() -> Vec<Edit> {
    vec![
        Edit {
            what: "the first build",
            apply: |d| {
                dockerfile(d, DOCKERFILE);
                write(d, "req.txt", "flask\n");
                write(d, "main.txt", "print('hello')\n");
                write(d, "notes.md", "notes\n");
                write(d, "sub/x.txt", "x\n");
            },
            build_args: &[],
        },
        Edit {
            what: "nothing changes",
            apply: |_| {},
            build_args: &[],
        },
        Edit {
            what: "edit main.txt",
            apply: |d| write(d, "main.txt", "print('bye')\n"),
            build_args: &[],
        },
        Edit {
            what: "touch main.txt (mtime only)",
            apply: |d| touch(d, "main.txt"),
            build_args: &[],
        },
        Edit {
            what: "chmod 755 main.txt",
            apply: |d| chmod(d, "main.txt", 0o755),
            build_args: &[],
        },
        Edit {
            what: "edit req.txt",
            apply: |d| write(d, "req.txt", "flask\nrequests\n"),
            build_args: &[],
        },
        Edit {
            what: "add a .dockerignore that ignores itself and *.log",
            apply: |d| write(d, ".dockerignore", "*.log\n.dockerignore\n"),
            build_args: &[],
        },
        Edit {
            what: "add debug.log (ignored)",
            apply: |d| write(d, "debug.log", "noise\n"),
            build_args: &[],
        },
        Edit {
            what: "ignore notes.md too",
            apply: |d| write(d, ".dockerignore", "*.log\n.dockerignore\nnotes.md\n"),
            build_args: &[],
        },
        Edit {
            what: "touch the sub directory",
            apply: |d| touch(d, "sub"),
            build_args: &[],
        },
        Edit {
            what: "edit a RUN",
            apply: |d| edit_dockerfile(d, "echo built-$V", "echo built-$V!"),
            build_args: &[],
        },
        Edit {
            what: "revert the RUN edit",
            apply: |d| edit_dockerfile(d, "echo built-$V!", "echo built-$V"),
            build_args: &[],
        },
        Edit {
            what: "--build-arg V=2",
            apply: |_| {},
            build_args: &["V=2"],
        },
        Edit {
            what: "--build-arg V=1 (the default)",
            apply: |_| {},
            build_args: &["V=1"],
        },
        Edit {
            what: "an undeclared --build-arg",
            apply: |_| {},
            build_args: &["OTHER=1"],
        },
        Edit {
            what: "swap ENV and the last RUN",
            apply: |d| {
                edit_dockerfile(
                    d,
                    "ENV MODE=dev\nRUN ls /app > /listing.txt\n",
                    "RUN ls /app > /listing.txt\nENV MODE=dev\n",
                )
            },
            build_args: &[],
        },
        Edit {
            what: "ENV MODE=dev → ENV MODE dev",
            apply: |d| edit_dockerfile(d, "ENV MODE=dev", "ENV MODE dev"),
            build_args: &[],
        },
        Edit {
            what: "add a LABEL at the end",
            apply: |d| edit_dockerfile(d, "CMD [", "LABEL stage=test\nCMD ["),
            build_args: &[],
        },
        Edit {
            what: "chmod 700 the sub directory",
            apply: |d| chmod(d, "sub", 0o700),
            build_args: &[],
        },
        Edit {
            what: "edit sub/x.txt",
            apply: |d| write(d, "sub/x.txt", "y\n"),
            build_args: &[],
        },
        Edit {
            what: "delete notes.md (ignored)",
            apply: |d| std::fs::remove_file(d.join("ctx/notes.md")).unwrap(),
            build_args: &[],
        },
        Edit {
            what: "delete main.txt",
            apply: |d| std::fs::remove_file(d.join("ctx/main.txt")).unwrap(),
            build_args: &[],
        },
        Edit {
            what: "move the requirements COPY and RUN after COPY . .",
            apply: |d| {
                edit_dockerfile(
                    d,
                    "COPY req.txt ./\nRUN cat req.txt > /deps.txt\nCOPY . .\n",
                    "COPY . .\nCOPY req.txt ./\nRUN cat req.txt > /deps.txt\n",
                )
            },
            build_args: &[],
        },
    ]
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

/// buildah's verdicts: for each STEP after FROM, true if it used the cache.
fn buildah_cached(log: &str) -> Vec<(String, bool)> {
    let mut steps: Vec<(String, bool)> = Vec::new();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("STEP ") {
            let instruction = rest.split_once(": ").map_or(rest, |(_, i)| i);
            steps.push((instruction.to_string(), false));
        } else if line.starts_with("--> Using cache ") {
            if let Some(last) = steps.last_mut() {
                last.1 = true;
            }
        }
    }
    steps
        .into_iter()
        .filter(|(i, _)| !i.starts_with("FROM "))
        .collect()
}

/// layerlab's verdicts from `--progress json`: every step with a verdict.
fn layerlab_cached(json: &str) -> Vec<(String, bool)> {
    json.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            Some((
                v["instruction"].as_str()?.to_string(),
                v["cached"].as_bool()?,
            ))
        })
        .collect()
}

fn work_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlab-cache-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ctx")).unwrap();
    dir
}

#[test]
fn legacy_cache_agrees_with_buildah_over_an_edit_script() {
    require_tools();
    let dir = work_dir();
    let state = dir.join("oracle-state");
    let base = run(
        Command::new("bash")
            .arg(oracle("make-base.sh"))
            .env("ORACLE_WORK", &state),
        "make-base.sh",
    );
    let archive = base
        .lines()
        .find_map(|l| l.strip_prefix("archive="))
        .expect("make-base.sh prints archive=")
        .to_string();
    let script = edits();
    assert!(script.len() > 20, "the script needs at least 20 edits");
    let mut agreed = 0;
    let mut problems = Vec::new();
    for (i, edit) in script.iter().enumerate() {
        (edit.apply)(&dir);
        let mut buildah = Command::new("bash");
        buildah
            .arg(oracle("buildah.sh"))
            .args(["bud", "--isolation", "chroot", "--layers", "--pull=never"])
            .args(["--force-rm", "-t", "localhost/cache-oracle", "-f"])
            .arg(dir.join("Dockerfile"))
            .env("ORACLE_WORK", &state);
        let mut ours = Command::new(env!("CARGO_BIN_EXE_layerlab"));
        ours.args(["build", "--builder", "legacy", "--progress", "json"])
            .arg("--store")
            .arg(dir.join("store"))
            .arg("--load")
            .arg(format!("{archive}=localhost/busybase"))
            .arg("-f")
            .arg(dir.join("Dockerfile"));
        for arg in edit.build_args {
            buildah.args(["--build-arg", arg]);
            ours.args(["--build-arg", arg]);
        }
        buildah.arg(dir.join("ctx"));
        ours.arg(dir.join("ctx"));
        let real = buildah_cached(&run(
            &mut buildah,
            &format!("buildah after `{}`", edit.what),
        ));
        let sim = layerlab_cached(&run(&mut ours, &format!("layerlab after `{}`", edit.what)));
        let real_flags: Vec<bool> = real.iter().map(|s| s.1).collect();
        let sim_flags: Vec<bool> = sim.iter().map(|s| s.1).collect();
        let pattern = |flags: &[bool]| -> String {
            flags.iter().map(|&c| if c { 'C' } else { 'B' }).collect()
        };
        println!(
            "edit {i:2} {:<52} buildah {:<11} layerlab {}",
            edit.what,
            pattern(&real_flags),
            pattern(&sim_flags)
        );
        if real_flags == sim_flags && real.len() == sim.len() {
            agreed += 1;
        } else {
            problems.push(format!(
                "edit {i} ({}):\n  buildah:  {real:?}\n  layerlab: {sim:?}",
                edit.what
            ));
        }
    }
    println!("cache agreement: {agreed}/{} edits", script.len());
    let _ = Command::new("bash")
        .arg(oracle("buildah.sh"))
        .args(["rmi", "--all", "--force"])
        .env("ORACLE_WORK", &state)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
