use super::*;
use crate::image::Image;
use crate::layer::{DiffStyle, Layer};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

/// A small busybox-like base, like the oracle's busybase: a shell and applets.
fn busybase(store: &mut Store) {
    let mut fs = Vfs::new();
    let dir = Meta::new(0o755).at(1_700_000_000);
    for d in ["/bin", "/etc", "/root", "/tmp"] {
        fs.mkdir(d, dir).unwrap();
    }
    fs.update_meta("/tmp", false, |m: &mut Meta| m.mode = 0o1777)
        .unwrap();
    fs.update_meta("/root", false, |m: &mut Meta| m.mode = 0o700)
        .unwrap();
    fs.write_file(
        "/bin/busybox",
        Blob::generated(1_000_000, 7),
        Meta::new(0o755).at(1_700_000_000),
    )
    .unwrap();
    for applet in [
        "sh", "cat", "chmod", "chown", "cp", "echo", "false", "ln", "ls", "mkdir", "mv", "rm",
        "sed", "test", "touch", "true", "grep", "sleep",
    ] {
        fs.symlink(
            "busybox",
            &format!("/bin/{applet}"),
            Meta::new(0o777).at(1_700_000_000),
        )
        .unwrap();
    }
    let file = Meta::new(0o644).at(1_700_000_000);
    fs.write_file(
        "/etc/passwd",
        Blob::from_bytes(
            b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"
                .to_vec(),
        ),
        file,
    )
    .unwrap();
    fs.write_file(
        "/etc/group",
        Blob::from_bytes(b"root:x:0:\nnobody:x:65534:\n".to_vec()),
        file,
    )
    .unwrap();
    fs.write_file(
        "/etc/somefile",
        Blob::from_bytes(b"somefile\n".to_vec()),
        file,
    )
    .unwrap();
    let layer = Layer::diff(&Vfs::new(), &fs, DiffStyle::BuildKit).layer;
    let diff_id = store.add_layer(layer);
    let mut image = Image::scratch();
    image.config.env = vec!["PATH=/bin".to_string()];
    image.config.cmd = vec!["/bin/sh".to_string()];
    image.diff_ids.push(diff_id);
    image.history.push(crate::image::History {
        created_by: "oracle busybase".to_string(),
        ..Default::default()
    });
    let id = store.add_image(image).unwrap();
    store.tag("localhost/busybase", &id).unwrap();
}

fn context(files: &[(&str, &str)]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for (path, text) in files {
        ctx.add_file(
            path,
            Blob::from_bytes(text.as_bytes().to_vec()),
            0o644,
            1_600_000_000,
        )
        .unwrap();
    }
    ctx
}

struct Session {
    store: Store,
    cache: BuildCache,
}

impl Session {
    fn new() -> Session {
        let mut store = Store::new();
        busybase(&mut store);
        Session {
            store,
            cache: BuildCache::new(),
        }
    }

    fn build(
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

fn ok(outcome: &BuildOutcome) {
    if let Some(error) = &outcome.error {
        panic!("build failed: {error}\n{}", outcome.log.join("\n"));
    }
}

fn verdicts(outcome: &BuildOutcome) -> Vec<String> {
    outcome
        .steps
        .iter()
        .map(|s| {
            s.cache
                .as_ref()
                .map_or("-".to_string(), |v| v.reason.clone())
        })
        .collect()
}

const SEED: &str = "FROM localhost/busybase\nWORKDIR /app\nCOPY requirements.txt .\nRUN cat requirements.txt > installed.txt\nCOPY . .\nCMD [\"sh\", \"main.sh\"]\n";

#[test]
fn buildkit_steps_layers_and_history() {
    let mut s = Session::new();
    let ctx = context(&[("requirements.txt", "flask\n"), ("main.sh", "echo hi\n")]);
    let out = s.build(SEED, &ctx, &BuildOptions::default());
    ok(&out);
    let kinds: Vec<StepKind> = out.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::From,
            StepKind::Layer,
            StepKind::Layer,
            StepKind::Layer,
            StepKind::Layer,
            StepKind::Metadata
        ]
    );
    let created: Vec<String> = out
        .steps
        .iter()
        .filter_map(|s| s.created_by.clone())
        .collect();
    assert_eq!(
        created,
        [
            "WORKDIR /app",
            "COPY requirements.txt . # buildkit",
            "RUN /bin/sh -c cat requirements.txt > installed.txt # buildkit",
            "COPY . . # buildkit",
            "CMD [\"sh\" \"main.sh\"]",
        ]
    );
    let image = s.store.image(&out.image_id.unwrap()).unwrap().image.clone();
    assert_eq!(
        image.diff_ids.len(),
        5,
        "base + WORKDIR + COPY + RUN + COPY"
    );
    assert_eq!(
        image.history.last().unwrap().comment,
        "buildkit.dockerfile.v0"
    );
    assert!(image.history.last().unwrap().empty_layer);
    assert_eq!(image.config.working_dir, "/app");
    let fs = &out.steps.last().unwrap().fs;
    assert_eq!(
        &*fs.read_file("/app/installed.txt").unwrap().bytes(),
        b"flask\n"
    );
    assert!(
        out.log
            .iter()
            .any(|l| l.contains("[3/5] COPY requirements.txt .")),
        "{:?}",
        out.log
    );
}

#[test]
fn rebuilds_reuse_the_cache_until_the_edited_file() {
    let mut s = Session::new();
    let ctx = context(&[("requirements.txt", "flask\n"), ("main.sh", "echo hi\n")]);
    ok(&s.build(SEED, &ctx, &BuildOptions::default()));
    let again = s.build(SEED, &ctx, &BuildOptions::default());
    ok(&again);
    assert_eq!(verdicts(&again), ["-", "hit", "hit", "hit", "hit", "hit"]);
    let edited = context(&[("requirements.txt", "flask\n"), ("main.sh", "echo bye\n")]);
    let third = s.build(SEED, &edited, &BuildOptions::default());
    ok(&third);
    let v = verdicts(&third);
    assert_eq!(&v[..4], ["-", "hit", "hit", "hit"]);
    assert!(
        v[4].starts_with("miss: main.sh changed (sha256 "),
        "{}",
        v[4]
    );
    assert_eq!(v[5], "miss: an earlier step missed (step 5)");
    let reqs = context(&[("requirements.txt", "django\n"), ("main.sh", "echo bye\n")]);
    let fourth = s.build(SEED, &reqs, &BuildOptions::default());
    assert!(
        verdicts(&fourth)[2].starts_with("miss: requirements.txt changed"),
        "{:?}",
        verdicts(&fourth)
    );
}

#[test]
fn same_input_same_digests() {
    let ctx = context(&[("requirements.txt", "flask\n"), ("main.sh", "echo hi\n")]);
    let a = Session::new().build(SEED, &ctx, &BuildOptions::default());
    let b = Session::new().build(SEED, &ctx, &BuildOptions::default());
    assert_eq!(a.image_id, b.image_id);
    assert!(a.image_id.is_some());
}

#[test]
fn legacy_history_follows_the_classic_builder() {
    let mut s = Session::new();
    let ctx = context(&[("f", "x\n")]);
    let dockerfile = "FROM localhost/busybase\nARG C=3\nENV A 1\nWORKDIR /w\nRUN echo   \"x\"    y > o\nCOPY f /f1\n";
    let options = BuildOptions {
        personality: Personality::Legacy,
        ..BuildOptions::default()
    };
    let out = s.build(dockerfile, &ctx, &options);
    ok(&out);
    let created: Vec<String> = out
        .steps
        .iter()
        .filter_map(|s| s.created_by.clone())
        .collect();
    assert_eq!(created[0], "/bin/sh -c #(nop) ARG C");
    assert_eq!(created[1], "/bin/sh -c #(nop) ENV A 1");
    assert_eq!(created[2], "/bin/sh -c #(nop) WORKDIR /w");
    assert_eq!(created[3], "|1 C=3 /bin/sh -c echo   \"x\"    y > o");
    assert!(
        created[4].starts_with("/bin/sh -c #(nop) COPY file:") && created[4].ends_with(" in /f1 "),
        "{}",
        created[4]
    );
    let kinds: Vec<StepKind> = out.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds[3],
        StepKind::Metadata,
        "WORKDIR makes no layer in the classic builder"
    );
    let image = s.store.image(&out.image_id.unwrap()).unwrap().image.clone();
    assert_eq!(image.history[1].comment, "FROM localhost/busybase:latest");
    assert!(image.history[2].comment.starts_with("FROM ") && image.history[2].comment.len() == 17);
    assert!(
        out.steps[4].fs.stat("/w").unwrap().is_dir(),
        "the RUN created the pending WORKDIR"
    );
}

#[test]
fn errors_name_the_line_and_say_what_happened() {
    let mut s = Session::new();
    let ctx = context(&[("a", "1")]);
    let err = |s: &mut Session, df: &str| {
        s.build(df, &ctx, &BuildOptions::default())
            .error
            .expect("should fail")
    };
    let e = err(&mut s, "FROM localhost/busybase\nCOPY missing.txt /\n");
    assert_eq!(e.line, Some(2));
    assert_eq!(e.message, "failed to compute cache key: failed to calculate checksum of ref: \"/missing.txt\": not found");
    let e = err(&mut s, "FROM localhost/busybase\nCOPY ../secret /\n");
    assert_eq!(
        e.message,
        "forbidden path outside the build context: ../secret ()"
    );
    let e = err(
        &mut s,
        "FROM localhost/busybase\nRUN nosuchprogram --flag\n",
    );
    assert!(e.message.starts_with("process \"/bin/sh -c nosuchprogram --flag\" did not complete successfully: exit code: 127"), "{}", e.message);
    assert!(
        e.message
            .contains("hint: this image has no `nosuchprogram`"),
        "{}",
        e.message
    );
    let e = err(&mut s, "FROM localhost/busybase\nFOO bar\n");
    assert_eq!(
        (e.line, e.message.as_str()),
        (
            Some(2),
            "dockerfile parse error on line 2: unknown instruction: FOO"
        )
    );
    let e = err(&mut s, "FROM nosuch:1\n");
    assert!(e.message.contains("nosuch:1"), "{}", e.message);
    let e = err(
        &mut s,
        "FROM localhost/busybase\nRUN while true; do :; done\n",
    );
    assert!(e.message.contains("budget"), "{}", e.message);
    let tiny = BuildOptions {
        limits: Limits {
            max_files: 10,
            ..Limits::default()
        },
        ..BuildOptions::default()
    };
    let e = s
        .build("FROM localhost/busybase\nRUN touch /x\n", &ctx, &tiny)
        .error
        .unwrap();
    assert!(
        e.message.contains("more than layerlab's limit of 10"),
        "{}",
        e.message
    );
}

#[test]
fn unneeded_stages_are_skipped_and_copy_from_works() {
    let mut s = Session::new();
    let ctx = context(&[]);
    let dockerfile = "FROM localhost/busybase AS broken\nRUN exit 1\nFROM localhost/busybase AS build\nRUN mkdir /out && echo artifact > /out/app\nFROM localhost/busybase\nCOPY --from=build /out/app /app\n";
    let out = s.build(dockerfile, &ctx, &BuildOptions::default());
    ok(&out);
    assert_eq!(out.skipped_stages, ["broken"]);
    assert_eq!(
        &*out
            .steps
            .last()
            .unwrap()
            .fs
            .read_file("/app")
            .unwrap()
            .bytes(),
        b"artifact\n"
    );
    let target = BuildOptions {
        target: Some("broken".to_string()),
        ..BuildOptions::default()
    };
    assert!(s.build(dockerfile, &ctx, &target).error.is_some());
}

#[test]
fn copy_follows_docker_destination_rules() {
    let mut s = Session::new();
    let ctx = context(&[
        ("a.txt", "a"),
        ("b.txt", "b"),
        ("src/x/y.py", "y"),
        ("skip.md", "m"),
    ]);
    let dockerfile = "FROM localhost/busybase\nCOPY a.txt /renamed\nCOPY *.txt /texts/\nCOPY src/ /app/\nCOPY --chown=nobody a.txt /owned/deep/\n";
    let out = s.build(dockerfile, &ctx, &BuildOptions::default());
    ok(&out);
    let fs = &out.steps.last().unwrap().fs;
    assert_eq!(&*fs.read_file("/renamed").unwrap().bytes(), b"a");
    assert!(
        fs.stat("/texts/a.txt").is_ok()
            && fs.stat("/texts/b.txt").is_ok()
            && fs.stat("/texts/skip.md").is_err()
    );
    assert!(
        fs.stat("/app/x/y.py").is_ok(),
        "a directory's contents are copied"
    );
    let owned = fs.stat("/owned/deep/a.txt").unwrap().meta;
    assert_eq!((owned.uid, owned.gid), (65534, 65534));
    let deep = fs.stat("/owned/deep").unwrap().meta;
    assert_eq!(
        (deep.uid, deep.gid),
        (65534, 65534),
        "--chown also owns the directories COPY creates"
    );
    let e = s
        .build(
            "FROM localhost/busybase\nCOPY a.txt b.txt /notadir\n",
            &ctx,
            &BuildOptions::default(),
        )
        .error
        .unwrap();
    assert_eq!(e.message, "When using COPY with more than one source file, the destination must be a directory and end with a /");
}

#[test]
fn args_and_env_expand_with_buildkit_scoping() {
    let mut s = Session::new();
    let ctx = context(&[]);
    let dockerfile = "ARG DIR=/opt\nFROM localhost/busybase\nARG DIR\nARG V=1\nENV HOME_DIR=$DIR/v$V\nRUN mkdir -p $HOME_DIR\n";
    let options = BuildOptions {
        build_args: vec![("V".to_string(), "2".to_string())],
        ..BuildOptions::default()
    };
    let out = s.build(dockerfile, &ctx, &options);
    ok(&out);
    assert!(out
        .steps
        .last()
        .unwrap()
        .fs
        .stat("/opt/v2")
        .unwrap()
        .is_dir());
    let run = out.steps.last().unwrap().created_by.clone().unwrap();
    assert_eq!(
        run,
        "RUN |2 DIR=/opt V=2 /bin/sh -c mkdir -p $HOME_DIR # buildkit"
    );
    let again = s.build(dockerfile, &ctx, &BuildOptions::default());
    assert_eq!(
        verdicts(&again).last().unwrap(),
        "miss: build arg V changed"
    );
}

/// BuildKit copies with `AllowEmptyWildcard`: a wildcard that matches nothing
/// adds nothing (`COPY package.json yarn.lock* ./` without a yarn.lock), even
/// when it is the only source; the classic builder still wants a match.
#[test]
fn a_wildcard_that_matches_nothing_is_no_error_in_buildkit() {
    let mut s = Session::new();
    let ctx = context(&[("package.json", "{}\n")]);
    let df = "FROM localhost/busybase\nCOPY package.json yarn.lock* /app/\nCOPY *.lock /none/\n";
    let out = s.build(df, &ctx, &BuildOptions::default());
    assert!(out.error.is_none(), "{:?}", out.error);
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs.exists("/app/package.json") && !fs.exists("/app/yarn.lock"));
    assert!(!fs.exists("/none"));
    let legacy = BuildOptions {
        personality: Personality::Legacy,
        ..BuildOptions::default()
    };
    let e = s
        .build(df, &ctx, &legacy)
        .error
        .expect("the classic builder fails");
    assert_eq!(e.line, Some(2));
    assert!(
        e.message.contains("\"/yarn.lock*\": not found"),
        "{}",
        e.message
    );
}

/// The log lines that name a vertex (`#N [..] NAME`), without their numbers.
fn vertex_lines(outcome: &BuildOutcome) -> Vec<String> {
    outcome
        .log
        .iter()
        .filter_map(|line| line.split_once(" [").map(|(_, rest)| format!("[{rest}")))
        .filter(|line| !line.starts_with("[internal]"))
        .collect()
}

#[test]
fn vertex_names_show_the_step_with_its_variables_expanded() {
    // BuildKit's processCmdEnv: COPY and WORKDIR expand like their arguments
    // (quotes removed), RUN keeps quotes and unset variables for its shell, the
    // keyword is upper-cased and a lone heredoc adds its first line.
    let mut s = Session::new();
    let df = "FROM localhost/busybase\nARG APP=demo\nENV DIR=/srv/app\nworkdir $DIR\nCOPY \"a\" ${DIR}/\nRUN echo \"$APP in $DIR\" '$APP' $UNSET\nRUN <<EOF\necho one\necho two\nEOF\n";
    let out = s.build(df, &context(&[("a", "1")]), &BuildOptions::default());
    ok(&out);
    assert_eq!(
        vertex_lines(&out),
        [
            "[1/5] FROM localhost/busybase:latest",
            "[2/5] WORKDIR /srv/app",
            "[3/5] COPY a /srv/app/",
            "[4/5] RUN echo \"demo in /srv/app\" '$APP' $UNSET",
            "[5/5] RUN <<EOF (echo one...)",
        ]
    );
    // The classic builder prints its steps as written.
    let legacy = BuildOptions {
        personality: Personality::Legacy,
        ..BuildOptions::default()
    };
    let out = s.build(df, &context(&[("a", "1")]), &legacy);
    ok(&out);
    assert!(
        out.log.iter().any(|l| l.ends_with("] workdir $DIR")),
        "{:#?}",
        out.log
    );
}

#[test]
fn a_failed_step_ends_the_log_as_buildkit_does() {
    let mut s = Session::new();
    let df = "FROM localhost/busybase\nWORKDIR /app\nCOPY a .\nRUN echo compiling && \\\n    echo broken >&2 && exit 3\nCMD [\"sh\"]\n";
    let out = s.build(df, &context(&[("a", "1")]), &BuildOptions::default());
    let error = out.error.as_ref().expect("the RUN fails");
    let at = out
        .log
        .iter()
        .position(|l| l.ends_with("[4/4] RUN echo compiling &&     echo broken >&2 && exit 3"))
        .unwrap_or_else(|| panic!("{:#?}", out.log));
    let v = out.log[at]
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    let first = error.message.lines().next().unwrap_or_default();
    let mut expected: Vec<String> = vec![
        format!("{v} compiling"),
        format!("{v} broken"),
        format!("{v} ERROR: {first}"),
        "------".to_string(),
        " > [4/4] RUN echo compiling &&     echo broken >&2 && exit 3:".to_string(),
        "compiling".to_string(),
        "broken".to_string(),
        "------".to_string(),
    ];
    expected.extend(
        [
            "Dockerfile:4",
            "--------------------",
            "   3 |     COPY a .",
            "   4 | >>> RUN echo compiling && \\",
            "   5 | >>>     echo broken >&2 && exit 3",
            "   6 |     CMD [\"sh\"]",
            "--------------------",
        ]
        .map(String::from),
    );
    expected.push(format!("ERROR: failed to solve: {}", error.message));
    assert_eq!(out.log[at + 1..], expected[..]);
    assert_eq!(
        first,
        "process \"/bin/sh -c echo compiling &&     echo broken >&2 && exit 3\" did not complete successfully: exit code: 3"
    );

    // A missing COPY source fails its vertex with the checksum error.
    let out = s.build(
        "FROM localhost/busybase\nCOPY missing.txt /\n",
        &context(&[("a", "1")]),
        &BuildOptions::default(),
    );
    let tail: Vec<&str> = out
        .log
        .iter()
        .rev()
        .take(12)
        .rev()
        .map(String::as_str)
        .collect();
    assert!(tail[0].ends_with(" [2/2] COPY missing.txt /"), "{tail:#?}");
    assert!(
        tail[1]
            .ends_with(" ERROR: failed to calculate checksum of ref: \"/missing.txt\": not found"),
        "{tail:#?}"
    );
    assert_eq!(
        tail[2..5],
        ["------", " > [2/2] COPY missing.txt /:", "------"]
    );
    assert_eq!(tail[5], "Dockerfile:2");

    // The classic builder has no such summary.
    let legacy = BuildOptions {
        personality: Personality::Legacy,
        ..BuildOptions::default()
    };
    let out = s.build(df, &context(&[("a", "1")]), &legacy);
    assert!(out.error.is_some());
    assert!(
        !out.log
            .iter()
            .any(|l| l == "------" || l.starts_with("Dockerfile:")),
        "{:#?}",
        out.log
    );
}

#[test]
fn a_parse_error_shows_the_line_then_what_is_wrong() {
    let mut s = Session::new();
    let df = "FROM localhost/busybase\nRUN true\nFOO bar\n";
    let out = s.build(df, &context(&[]), &BuildOptions::default());
    let error = out.error.as_ref().expect("FOO is no instruction");
    assert_eq!(error.line, Some(3));
    assert_eq!(
        out.log,
        [
            "Dockerfile:3",
            "--------------------",
            "   1 |     FROM localhost/busybase",
            "   2 |     RUN true",
            "   3 | >>> FOO bar",
            "   4 |     ",
            "--------------------",
            &format!("ERROR: failed to solve: {}", error.message),
        ]
    );
    assert!(error
        .message
        .starts_with("dockerfile parse error on line 3: "));
}
