//! The build cache's rules, one test per rule of issue 6, through whole builds that
//! share a store and a cache as a session's builds do.
//!
//! BuildKit's rules come from its sources (cited per test); the classic builder's
//! from `../shared/docs/SEMANTICS.md` §8 (buildah 1.28 measured) and the
//! differential test in `cache_oracle.rs`. The reason strings' wording is also
//! unit-tested in `src/cache/tests.rs` (`every_reason_is_worded_for_people`).

use layerlab::builder::{build, BuildInput, BuildOptions, BuildOutcome, Personality, StepKind};
use layerlab::cache::BuildCache;
use layerlab::context::BuildContext;
use layerlab::store::Store;
use layerlab::vfs::blob::Blob;

const T0: i64 = 1_704_067_200;

/// A session: one store and one cache for successive builds.
pub struct Session {
    pub store: Store,
    pub cache: BuildCache,
}

impl Session {
    pub fn new() -> Session {
        Session {
            store: Store::new(),
            cache: BuildCache::new(),
        }
    }

    /// A build that must succeed.
    pub fn build(
        &mut self,
        dockerfile: &str,
        ctx: &BuildContext,
        options: &BuildOptions,
    ) -> BuildOutcome {
        let out = self.try_build(dockerfile, ctx, options);
        assert!(
            out.error.is_none(),
            "{:?}\n{}",
            out.error,
            out.log.join("\n")
        );
        out
    }

    /// A build that may fail.
    pub fn try_build(
        &mut self,
        dockerfile: &str,
        ctx: &BuildContext,
        options: &BuildOptions,
    ) -> BuildOutcome {
        let input = BuildInput {
            dockerfile,
            dockerfile_path: "Dockerfile",
            context: ctx,
        };
        build(&mut self.store, &mut self.cache, &input, options)
    }
}

/// `(instruction, verdict)` for every step that has one, in build order.
pub fn verdicts(out: &BuildOutcome) -> Vec<(String, String)> {
    out.steps
        .iter()
        .filter_map(|s| {
            s.cache
                .as_ref()
                .map(|v| (s.instruction.clone(), v.reason.clone()))
        })
        .collect()
}

/// The verdict of the step whose instruction is `instruction`.
fn reason(out: &BuildOutcome, instruction: &str) -> String {
    verdicts(out)
        .into_iter()
        .find(|(i, _)| i == instruction)
        .unwrap_or_else(|| panic!("no step {instruction}: {:?}", verdicts(out)))
        .1
}

/// Instructions of the layer steps that hit, in order.
fn hits(out: &BuildOutcome) -> Vec<String> {
    out.steps
        .iter()
        .filter(|s| s.kind == StepKind::Layer && s.cache.as_ref().is_some_and(|v| v.hit))
        .map(|s| s.instruction.clone())
        .collect()
}

fn file(ctx: &mut BuildContext, path: &str, text: &str, mode: u32, mtime: i64) {
    ctx.add_file(
        path,
        Blob::from_bytes(text.as_bytes().to_vec()),
        mode,
        mtime,
    )
    .unwrap();
}

fn opts() -> BuildOptions {
    BuildOptions::default()
}

fn legacy() -> BuildOptions {
    BuildOptions {
        personality: Personality::Legacy,
        ..BuildOptions::default()
    }
}

fn app_context() -> BuildContext {
    let mut ctx = BuildContext::new();
    file(&mut ctx, "requirements.txt", "flask\n", 0o644, T0);
    file(&mut ctx, "main.py", "print('hello')\n", 0o644, T0);
    file(&mut ctx, "src/a.txt", "a\n", 0o644, T0);
    ctx
}

const SEED: &str = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";

/// The seed document's example: after editing main.py, every step before
/// `COPY . .` is CACHED and `COPY . .` misses naming main.py.
#[test]
fn editing_main_py_rebuilds_from_copy_dot_only() {
    let mut s = Session::new();
    let mut ctx = app_context();
    let first = s.build(SEED, &ctx, &opts());
    assert!(verdicts(&first)
        .iter()
        .all(|(_, r)| r == "miss: first build"));
    file(&mut ctx, "main.py", "print('bye')\n", 0o644, T0 + 60);
    let out = s.build(SEED, &ctx, &opts());
    assert_eq!(
        hits(&out),
        [
            "WORKDIR /app",
            "COPY requirements.txt .",
            "RUN pip install -r requirements.txt"
        ]
    );
    let copy = reason(&out, "COPY . .");
    assert!(copy.starts_with("miss: main.py changed (sha256 "), "{copy}");
    let log = out.log.join("\n");
    assert_eq!(log.matches("CACHED").count(), 3, "{log}");
}

/// Changing requirements.txt: the reason names the file with both digests'
/// first hex digits, and the install after it says which step missed first.
#[test]
fn a_changed_requirements_file_is_named_with_both_digests() {
    let mut s = Session::new();
    let mut ctx = app_context();
    let before = layerlab::digest::Digest::of(b"flask\n").hex();
    s.build(SEED, &ctx, &opts());
    file(&mut ctx, "requirements.txt", "flask\nrequests\n", 0o644, T0);
    let after = layerlab::digest::Digest::of(b"flask\nrequests\n").hex();
    let out = s.build(SEED, &ctx, &opts());
    assert_eq!(
        reason(&out, "COPY requirements.txt ."),
        format!(
            "miss: requirements.txt changed (sha256 {}.. -> {}..)",
            &before[..4],
            &after[..4]
        )
    );
    assert_eq!(
        reason(&out, "RUN pip install -r requirements.txt"),
        "miss: an earlier step missed (step 3)"
    );
    assert_eq!(hits(&out), ["WORKDIR /app"]);
}

/// RUN is keyed by its command: a different command misses and says what it was.
#[test]
fn run_is_keyed_by_its_command() {
    let mut s = Session::new();
    let ctx = BuildContext::new();
    s.build("FROM busybox\nRUN echo a\nRUN echo b\n", &ctx, &opts());
    let out = s.build("FROM busybox\nRUN echo a\nRUN echo c\n", &ctx, &opts());
    assert_eq!(reason(&out, "RUN echo a"), "hit");
    assert_eq!(
        reason(&out, "RUN echo c"),
        "miss: the instruction changed (was `RUN echo b`)"
    );
}

/// RUN is keyed by its environment: an ENV value change misses the RUN after it
/// and names the variable (BuildKit: ENV enters the exec's env, convert.go
/// `dispatchEnv` / `dispatchRun`).
#[test]
fn run_is_keyed_by_its_environment() {
    let mut s = Session::new();
    let ctx = BuildContext::new();
    s.build(
        "FROM busybox\nRUN echo a\nENV E=1\nRUN echo b\n",
        &ctx,
        &opts(),
    );
    let out = s.build(
        "FROM busybox\nRUN echo a\nENV E=2\nRUN echo b\n",
        &ctx,
        &opts(),
    );
    assert_eq!(reason(&out, "RUN echo a"), "hit");
    assert_eq!(
        reason(&out, "RUN echo b"),
        "miss: environment variable E changed"
    );
}

/// BuildKit: metadata that does not enter an operation (LABEL, EXPOSE, CMD...)
/// does not invalidate the steps after it, and `ENV A 1` → `ENV A=1` changes
/// nothing (SEMANTICS.md §10.5). The classic builder misses on both (§8).
#[test]
fn metadata_that_no_operation_reads_keeps_later_steps_cached() {
    let ctx = BuildContext::new();
    let a = "FROM busybox\nLABEL v=1\nEXPOSE 80\nENV A 1\nRUN echo a\n";
    let b = "FROM busybox\nLABEL v=2\nEXPOSE 81\nENV A=1\nRUN echo a\n";
    let mut s = Session::new();
    s.build(a, &ctx, &opts());
    let out = s.build(b, &ctx, &opts());
    assert_eq!(reason(&out, "RUN echo a"), "hit");
    assert_eq!(
        reason(&out, "LABEL v=2"),
        "miss: the instruction changed (was `LABEL v=1`)"
    );
    let mut s = Session::new();
    s.build(a, &ctx, &legacy());
    let out = s.build(b, &ctx, &legacy());
    assert_eq!(
        reason(&out, "RUN echo a"),
        "miss: an earlier step missed (step 2)"
    );
}

/// Build args: a RUN after the stage's `ARG V` misses when V changes, also a RUN
/// that does not mention `$V` (BuildKit adds every declared arg to the exec's env:
/// convert.go `dispatchRun`; docs "ARG variables ... can cause a cache miss"). A
/// `--build-arg` the stage does not declare changes nothing, and steps before the
/// ARG and COPY steps that do not expand it keep their hits.
#[test]
fn build_args_count_only_where_the_step_sees_them() {
    let mut s = Session::new();
    let mut ctx = BuildContext::new();
    file(&mut ctx, "f", "x\n", 0o644, T0);
    let df =
        "FROM busybox\nRUN echo before\nARG V=1\nCOPY f /f\nRUN echo uses $V\nRUN echo plain\n";
    s.build(df, &ctx, &opts());
    let with = |args: &[(&str, &str)]| BuildOptions {
        build_args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..BuildOptions::default()
    };
    let out = s.build(df, &ctx, &with(&[("OTHER", "9")]));
    assert!(
        verdicts(&out).iter().all(|(_, r)| r == "hit"),
        "{:?}",
        verdicts(&out)
    );
    let out = s.build(df, &ctx, &with(&[("V", "1")]));
    assert!(
        verdicts(&out).iter().all(|(_, r)| r == "hit"),
        "{:?}",
        verdicts(&out)
    );
    let out = s.build(df, &ctx, &with(&[("V", "2")]));
    assert_eq!(reason(&out, "RUN echo before"), "hit");
    assert_eq!(reason(&out, "COPY f /f"), "hit");
    assert_eq!(
        reason(&out, "RUN echo uses $V"),
        "miss: build arg V changed"
    );
    assert_eq!(
        reason(&out, "RUN echo plain"),
        "miss: an earlier step missed (step 5)"
    );
}

/// COPY is keyed by content and by mode, not by mtime: touching a file with no
/// content change hits; a chmod misses and says so (BuildKit
/// cache/contenthash/tarsum.go `v1TarHeaderSelect` leaves mtime out, keeps mode).
#[test]
fn copy_counts_content_and_mode_but_not_mtime() {
    for options in [opts(), legacy()] {
        let mut s = Session::new();
        let mut ctx = BuildContext::new();
        file(&mut ctx, "app.sh", "echo hi\n", 0o644, T0);
        let df = "FROM busybox\nCOPY app.sh /app.sh\nRUN echo after\n";
        s.build(df, &ctx, &options);
        file(&mut ctx, "app.sh", "echo hi\n", 0o644, T0 + 3600);
        let out = s.build(df, &ctx, &options);
        assert_eq!(hits(&out), ["COPY app.sh /app.sh", "RUN echo after"]);
        file(&mut ctx, "app.sh", "echo hi\n", 0o755, T0 + 3600);
        let out = s.build(df, &ctx, &options);
        let copy = reason(&out, "COPY app.sh /app.sh");
        if options.personality == Personality::BuildKit {
            assert_eq!(copy, "miss: app.sh's mode changed (644 -> 755)");
        } else {
            assert!(copy.starts_with("miss: "), "{copy}");
        }
        assert_eq!(
            reason(&out, "RUN echo after"),
            "miss: an earlier step missed (step 2)"
        );
        file(&mut ctx, "app.sh", "echo bye\n", 0o755, T0 + 3600);
        let out = s.build(df, &ctx, &options);
        assert!(hits(&out).is_empty());
    }
}

/// `.dockerignore` counts only where it changes what a COPY selects: ignoring a
/// file that no COPY reads keeps the hit; ignoring a copied one misses and names it.
#[test]
fn dockerignore_changes_count_only_where_they_change_the_selection() {
    let mut s = Session::new();
    let mut ctx = BuildContext::new();
    file(&mut ctx, "src/a.txt", "a\n", 0o644, T0);
    file(&mut ctx, "src/b.log", "b\n", 0o644, T0);
    file(&mut ctx, "notes.md", "n\n", 0o644, T0);
    let df = "FROM busybox\nCOPY src/ /src/\nRUN echo done\n";
    s.build(df, &ctx, &opts());
    file(&mut ctx, ".dockerignore", "notes.md\n", 0o644, T0);
    let out = s.build(df, &ctx, &opts());
    assert_eq!(hits(&out), ["COPY src/ /src/", "RUN echo done"]);
    file(&mut ctx, ".dockerignore", "notes.md\n**/*.log\n", 0o644, T0);
    let out = s.build(df, &ctx, &opts());
    assert_eq!(
        reason(&out, "COPY src/ /src/"),
        "miss: src/b.log was removed from the copied files"
    );
}

/// `--no-cache` runs every step and says so.
#[test]
fn no_cache_runs_every_step() {
    let mut s = Session::new();
    let ctx = BuildContext::new();
    let df = "FROM busybox\nRUN echo a\nRUN echo b\n";
    s.build(df, &ctx, &opts());
    let out = s.build(
        df,
        &ctx,
        &BuildOptions {
            no_cache: true,
            ..BuildOptions::default()
        },
    );
    assert_eq!(
        verdicts(&out),
        [
            ("RUN echo a".to_string(), "miss: --no-cache".to_string()),
            ("RUN echo b".to_string(), "miss: --no-cache".to_string())
        ]
    );
}

/// `--no-cache-filter STAGE` runs that stage's steps only; the others keep their
/// hits. A miss in one stage invalidates only that stage's later steps.
#[test]
fn no_cache_filter_and_misses_stay_in_their_stage() {
    let mut s = Session::new();
    let mut ctx = BuildContext::new();
    file(&mut ctx, "a", "1\n", 0o644, T0);
    let df = "FROM busybox AS deps\nRUN echo deps > /deps\nFROM busybox AS app\nCOPY a /a\nRUN echo app\nCOPY --from=deps /deps /deps\n";
    s.build(df, &ctx, &opts());
    let out = s.build(
        df,
        &ctx,
        &BuildOptions {
            no_cache_filter: vec!["deps".to_string()],
            ..BuildOptions::default()
        },
    );
    assert_eq!(
        reason(&out, "RUN echo deps > /deps"),
        "miss: --no-cache-filter names this stage"
    );
    assert_eq!(reason(&out, "COPY a /a"), "hit");
    assert_eq!(reason(&out, "RUN echo app"), "hit");
    file(&mut ctx, "a", "2\n", 0o644, T0);
    let out = s.build(df, &ctx, &opts());
    assert_eq!(reason(&out, "RUN echo deps > /deps"), "hit");
    assert!(reason(&out, "COPY a /a").starts_with("miss: a changed"));
    assert_eq!(
        reason(&out, "RUN echo app"),
        "miss: an earlier step missed (step 2)"
    );
}

/// The base image changing misses the first step with that reason.
#[test]
fn a_new_base_image_is_the_reason() {
    let mut s = Session::new();
    let ctx = BuildContext::new();
    s.build("FROM busybox\nRUN echo a\n", &ctx, &opts());
    let out = s.build("FROM alpine\nRUN echo a\n", &ctx, &opts());
    assert_eq!(reason(&out, "RUN echo a"), "miss: the base image changed");
    let out = s.build("FROM alpine\nRUN echo a\nRUN echo new\n", &ctx, &opts());
    assert_eq!(reason(&out, "RUN echo new"), "miss: a new step");
}

/// The classic builder caches every instruction, keyed by the parent image and
/// the instruction's text: a metadata step is CACHED or BUILT like a RUN, and
/// COPY is keyed by its content hash (in `created_by`).
#[test]
fn legacy_caches_every_instruction_by_parent_and_text() {
    let mut s = Session::new();
    let mut ctx = BuildContext::new();
    file(&mut ctx, "f", "1\n", 0o644, T0);
    let df = "FROM busybox\nENV A=1\nCOPY f /f\nLABEL l=1\nRUN echo x\n";
    let first = s.build(df, &ctx, &legacy());
    assert!(verdicts(&first)
        .iter()
        .all(|(_, r)| r == "miss: first build"));
    let out = s.build(df, &ctx, &legacy());
    assert_eq!(verdicts(&out).len(), 4);
    assert!(verdicts(&out).iter().all(|(_, r)| r == "hit"));
    assert_eq!(out.log.iter().filter(|l| l.ends_with("CACHED")).count(), 4);
    let out = s.build(&df.replace("LABEL l=1", "LABEL l=2"), &ctx, &legacy());
    assert_eq!(reason(&out, "COPY f /f"), "hit");
    assert!(reason(&out, "LABEL l=2").starts_with("miss: the instruction changed"));
    assert_eq!(
        reason(&out, "RUN echo x"),
        "miss: an earlier step missed (step 4)"
    );
    file(&mut ctx, "f", "2\n", 0o644, T0);
    let out = s.build(df, &ctx, &legacy());
    assert_eq!(reason(&out, "ENV A=1"), "hit");
    assert!(reason(&out, "COPY f /f").starts_with("miss: "));
}

/// The CLI prints the advice after the plain progress, and takes
/// `--no-cache-filter a,b` as a list.
#[test]
fn the_cli_prints_advice_and_takes_a_no_cache_filter_list() {
    let dir = crate::support::work_dir("cache-cli");
    std::fs::create_dir_all(dir.join("ctx")).unwrap();
    std::fs::write(
        dir.join("ctx/Dockerfile"),
        "FROM busybox AS one\nCOPY . .\nRUN pip install -r requirements.txt || true\nFROM busybox AS two\nRUN echo two\nFROM busybox\nRUN echo three\n",
    )
    .unwrap();
    std::fs::write(dir.join("ctx/requirements.txt"), "flask\n").unwrap();
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_layerlab"))
            .arg("build")
            .arg("--store")
            .arg(dir.join("store"))
            .args(["--target", "one"])
            .args(extra)
            .arg(dir.join("ctx"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let plain = run(&[]);
    assert!(
        plain.lines().last().unwrap().starts_with(
            "advice: consider copying requirements.txt and running `pip install` before `COPY . .`"
        ),
        "{plain}"
    );
    let json = run(&["--progress", "json", "--no-cache-filter", "two,one"]);
    let reasons: Vec<String> = json
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["reason"].as_str().map(str::to_string))
        .collect();
    assert_eq!(reasons, ["miss: --no-cache-filter names this stage"; 2]);
    let _ = std::fs::remove_dir_all(&dir);
}
