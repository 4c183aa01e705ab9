//! `RUN --mount`, as Docker's language guides use it: bind mounts key the step but
//! leave no file behind, cache mounts outlive builds outside every layer, secrets
//! reach only their step, and the classic builder refuses them all.

use crate::cache::Session;
use layerlab::builder::{BuildOptions, BuildOutcome, Personality};
use layerlab::context::BuildContext;
use layerlab::vfs::blob::Blob;

fn context(files: &[(&str, &str)]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for (path, text) in files {
        ctx.add_file(path, Blob::from_bytes(text.as_bytes().to_vec()), 0o644, 0)
            .unwrap();
    }
    ctx
}

/// One build with default options in a fresh session, which must succeed.
fn built(dockerfile: &str, ctx: &BuildContext) -> BuildOutcome {
    Session::new().build(dockerfile, ctx, &BuildOptions::default())
}

/// One build with default options in a fresh session, which must fail.
fn failure(
    dockerfile: &str,
    ctx: &BuildContext,
    options: &BuildOptions,
) -> layerlab::builder::BuildError {
    let out = Session::new().try_build(dockerfile, ctx, options);
    out.error.expect(dockerfile)
}

fn text(out: &BuildOutcome, step: usize, path: &str) -> String {
    let blob = out.steps[step]
        .fs
        .read_file(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    String::from_utf8(blob.bytes().to_vec()).unwrap()
}

/// Docker's Go guide, verbatim: go.mod and the sources are bind-mounted, the module
/// and build caches are cache mounts, and the final stage makes its user with
/// BusyBox's adduser and Debian's long options.
#[test]
fn the_go_guide_builds_with_bind_and_cache_mounts() {
    let dockerfile = r#"# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM golang:1.23-alpine AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
RUN --mount=type=cache,target=/go/pkg/mod/ \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
RUN --mount=type=cache,target=/go/pkg/mod/ \
    --mount=type=bind,target=. \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /bin/server .

FROM alpine:latest AS final
RUN --mount=type=cache,target=/var/cache/apk \
    apk --update add \
        ca-certificates \
        tzdata \
        && \
        update-ca-certificates
ARG UID=10001
RUN adduser \
    --disabled-password \
    --gecos "" \
    --home "/nonexistent" \
    --shell "/sbin/nologin" \
    --no-create-home \
    --uid "${UID}" \
    appuser
USER appuser
COPY --from=build /bin/server /bin/
EXPOSE 8080
ENTRYPOINT [ "/bin/server" ]
"#;
    let ctx = context(&[
        ("go.mod", "module example.com/server\n\ngo 1.23\n"),
        ("main.go", "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"),
    ]);
    let out = built(dockerfile, &ctx);
    let download = &out.steps[4];
    assert!(download.instruction.contains("go mod download"));
    // The bind-mounted go.mod and the cache mount's target are gone after the step.
    assert!(download.fs.lstat("/src/go.mod").is_err());
    assert!(download
        .fs
        .walk("/go/pkg/mod")
        .map_or(true, |e| e.is_empty()));
    let compile = &out.steps[5];
    assert!(compile.fs.stat("/bin/server").is_ok(), "{}", compile.output);
    assert!(compile.fs.read_dir("/src").unwrap().is_empty());
    let last = out.steps.last().unwrap();
    assert!(last.fs.stat("/bin/server").is_ok());
    let passwd = text(&out, out.steps.len() - 1, "/etc/passwd");
    assert!(
        passwd.contains("appuser:x:10001:10001::/nonexistent:/sbin/nologin"),
        "{passwd}"
    );
    assert!(last.fs.lstat("/nonexistent").is_err());
    // apk's cache went to the cache mount, not into the layer.
    let apk = &out.steps[7];
    assert!(apk.instruction.contains("apk --update add"));
    assert!(apk
        .fs
        .walk("/var/cache/apk")
        .map_or(true, |entries| entries.is_empty()));
}

/// A bind-mounted file keys the step like a COPY does: editing other files keeps
/// the RUN cached, editing the mounted one misses with that file as the reason.
#[test]
fn a_bind_mount_keys_the_step_with_its_contents() {
    let dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\nCOPY . .\n";
    let mut session = Session::new();
    let none = BuildOptions::default();
    let first = context(&[("requirements.txt", "flask\n"), ("main.py", "print(1)\n")]);
    let out = session.build(dockerfile, &first, &none);
    let run = &out.steps[2];
    assert!(
        run.output.contains("Successfully installed"),
        "{}",
        run.output
    );
    assert!(run.fs.lstat("/app/requirements.txt").is_err());
    assert!(run
        .fs
        .stat("/usr/local/lib/python3.12/site-packages/flask")
        .is_ok());

    let edited = context(&[("requirements.txt", "flask\n"), ("main.py", "print(2)\n")]);
    let out = session.build(dockerfile, &edited, &none);
    assert_eq!(out.steps[2].cache.as_ref().map(|v| v.hit), Some(true));
    assert_eq!(out.steps[3].cache.as_ref().map(|v| v.hit), Some(false));

    let more = context(&[
        ("requirements.txt", "flask\nrequests\n"),
        ("main.py", "print(2)\n"),
    ]);
    let out = session.build(dockerfile, &more, &none);
    let verdict = out.steps[2].cache.clone().unwrap();
    assert!(!verdict.hit);
    assert!(
        verdict
            .reason
            .starts_with("miss: the bind-mounted /app/requirements.txt changed (sha256 "),
        "{}",
        verdict.reason
    );
}

/// What a RUN leaves in a cache mount is there for the next build, even after the
/// step's own cache missed; it never reaches a layer or the step's key.
#[test]
fn a_cache_mount_outlives_the_build_but_not_in_a_layer() {
    let dockerfile = "FROM busybox\nARG N\nRUN --mount=type=cache,target=/cache,uid=1000 echo \"build $N\" >> /cache/log && cp /cache/log /seen && stat -c %u /cache > /owner\n";
    let mut session = Session::new();
    let ctx = context(&[]);
    let with = |n: &str| BuildOptions {
        build_args: vec![("N".to_string(), n.to_string())],
        ..BuildOptions::default()
    };
    let first = session.build(dockerfile, &ctx, &with("1"));
    assert_eq!(text(&first, 2, "/seen"), "build 1\n");
    assert_eq!(text(&first, 2, "/owner"), "1000\n");
    assert!(first.steps[2].fs.lstat("/cache").is_err());

    let second = session.build(dockerfile, &ctx, &with("2"));
    assert_eq!(text(&second, 2, "/seen"), "build 1\nbuild 2\n");

    // The same inputs again: the step is cached, so the cache mount is not touched.
    let third = session.build(dockerfile, &ctx, &with("2"));
    assert_eq!(third.steps[2].cache.as_ref().map(|v| v.hit), Some(true));
    let fourth = session.build(dockerfile, &ctx, &with("4"));
    assert_eq!(text(&fourth, 2, "/seen"), "build 1\nbuild 2\nbuild 4\n");

    // `docker builder prune` empties it.
    session.cache.clear();
    let fresh = session.build(dockerfile, &ctx, &with("5"));
    assert_eq!(text(&fresh, 2, "/seen"), "build 5\n");
}

/// A cache mount is a shared directory, not part of the step's result: what a
/// failing command wrote there is still there for the next build (BuildKit keeps
/// it too), which is how a half-finished download is not fetched twice.
#[test]
fn a_failed_command_keeps_what_it_wrote_into_a_cache_mount() {
    let failing = "FROM busybox\nRUN --mount=type=cache,id=dl,target=/cache echo partial > /cache/part && exit 3\n";
    let mut session = Session::new();
    let ctx = context(&[]);
    let failed = session.try_build(failing, &ctx, &BuildOptions::default());
    let error = failed.error.expect("the RUN fails");
    assert!(error.message.contains("exit code: 3"), "{}", error.message);

    let reading = "FROM busybox\nRUN --mount=type=cache,id=dl,target=/cache cp /cache/part /seen\n";
    let out = session.build(reading, &ctx, &BuildOptions::default());
    assert_eq!(text(&out, 1, "/seen"), "partial\n");
}

/// Mount values are expanded with the stage's ARGs, as BuildKit does at build time.
#[test]
fn mount_values_expand_build_args() {
    let dockerfile = "FROM busybox\nARG DIR=/opt/cache\nARG ID=one\nRUN --mount=type=cache,id=$ID,target=${DIR} touch $DIR/x && ls $DIR > /listing\n";
    let out = built(dockerfile, &context(&[]));
    assert_eq!(text(&out, 3, "/listing"), "x\n");
    assert!(out.steps[3].fs.lstat("/opt").is_err());
}

/// A read-only bind mount refuses writes (the real write fails with EROFS); `rw`
/// lets the command write there, and the writes are thrown away.
#[test]
fn bind_mounts_are_read_only_unless_rw() {
    let ctx = context(&[("data.txt", "one\n")]);
    let ro = "FROM busybox\nRUN --mount=type=bind,target=/src echo two >> /src/data.txt\n";
    let error = failure(ro, &ctx, &BuildOptions::default());
    assert_eq!(error.line, Some(2));
    assert!(
        error.message.contains("read-only bind mount at /src"),
        "{}",
        error.message
    );

    let rw = "FROM busybox\nRUN --mount=type=bind,target=/src,rw echo two >> /src/data.txt && cat /src/data.txt > /copy\n";
    let out = built(rw, &ctx);
    assert_eq!(text(&out, 1, "/copy"), "one\ntwo\n");
    assert!(out.steps[1].fs.lstat("/src").is_err());
}

/// `from=` binds another stage's files.
#[test]
fn a_bind_mount_reads_another_stage() {
    let dockerfile = "FROM busybox AS tools\nRUN echo made > /made\nFROM busybox\nRUN --mount=type=bind,from=tools,source=/made,target=/mnt/made cat /mnt/made > /got\n";
    let out = built(dockerfile, &context(&[]));
    let last = out.steps.last().unwrap();
    assert_eq!(text(&out, out.steps.len() - 1, "/got"), "made\n");
    assert!(last.fs.lstat("/mnt/made").is_err());
}

/// A secret is a file only its step sees; its value keys nothing, so changing it
/// keeps the step cached; a required one that was not given fails the build.
#[test]
fn secrets_reach_only_their_step() {
    let dockerfile = "FROM busybox\nRUN --mount=type=secret,id=token,required wc -c < /run/secrets/token > /length\nRUN --mount=type=secret,id=optional test ! -e /run/secrets/optional\n";
    let ctx = context(&[]);
    let error = failure(dockerfile, &ctx, &BuildOptions::default());
    assert_eq!(error.line, Some(2));
    assert!(
        error.message.starts_with("secret token not found"),
        "{}",
        error.message
    );

    let given = |value: &str| BuildOptions {
        secrets: vec![("token".to_string(), value.as_bytes().to_vec())],
        ..BuildOptions::default()
    };
    let mut session = Session::new();
    let out = session.build(dockerfile, &ctx, &given("s3cr3t"));
    assert_eq!(text(&out, 1, "/length"), "6\n");
    assert!(out.steps[1].fs.lstat("/run/secrets").is_err());
    assert!(out.steps[2]
        .notices
        .iter()
        .any(|n| n.message.contains("secret optional was not given")));
    let again = session.build(dockerfile, &ctx, &given("other!"));
    assert_eq!(again.steps[1].cache.as_ref().map(|v| v.hit), Some(true));

    // env= gives the secret as a variable of that command only, and no file.
    let as_env = "FROM busybox\nRUN --mount=type=secret,id=token,env=TOKEN echo ${#TOKEN} > /length && test ! -e /run/secrets/token\nRUN echo \"[$TOKEN]\" > /later\n";
    let out = Session::new().build(as_env, &ctx, &given("s3cr3t"));
    assert_eq!(text(&out, 1, "/length"), "6\n");
    assert_eq!(text(&out, 2, "/later"), "[]\n");
    assert!(out
        .steps
        .iter()
        .all(|s| !s.created_by.as_deref().unwrap_or("").contains("s3cr3t")));
    let wrong = "FROM busybox\nRUN --mount=type=cache,target=/c,env=X true\n";
    assert_eq!(
        failure(wrong, &ctx, &BuildOptions::default()).message,
        "dockerfile parse error on line 2: unexpected key 'env' for mount type 'cache'"
    );
}

/// The classic builder has no --mount.
#[test]
fn the_classic_builder_refuses_mounts() {
    let dockerfile = "FROM busybox\nRUN --mount=type=cache,target=/c true\n";
    let options = BuildOptions {
        personality: Personality::Legacy,
        ..BuildOptions::default()
    };
    let error = failure(dockerfile, &context(&[]), &options);
    assert_eq!(
        error.message,
        "the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"
    );
}

/// No SSH agent reaches a layerlab build: an optional ssh mount is skipped with a
/// notice, a required one fails with BuildKit's message; `/` is no mount target.
#[test]
fn ssh_mounts_and_bad_targets() {
    let ctx = context(&[]);
    let optional = "FROM busybox\nRUN --mount=type=ssh test -z \"$SSH_AUTH_SOCK\"\n";
    let out = built(optional, &ctx);
    assert!(out.steps[1]
        .notices
        .iter()
        .any(|n| n.message.contains("no SSH agent is forwarded")));
    for (dockerfile, message) in [
        (
            "FROM busybox\nRUN --mount=type=ssh,required true\n",
            "no SSH key \"default\" forwarded from the client",
        ),
        (
            "FROM busybox\nRUN --mount=type=tmpfs,target=/ true\n",
            "invalid mount target \"/\"",
        ),
        (
            "FROM busybox\nRUN --mount=type=bind,source=../x,target=/x true\n",
            "failed to compute cache key: failed to calculate checksum of ref: \"/x\": not found",
        ),
    ] {
        let error = failure(dockerfile, &ctx, &BuildOptions::default());
        assert_eq!((error.line, error.message.as_str()), (Some(2), message));
    }
}

/// A RUN that only mounts leaves an empty layer, even over directories the image
/// has: the targets come back as the very same nodes, as BuildKit's layer shows
/// nothing of its mounts.
#[test]
fn a_step_that_only_mounts_changes_nothing() {
    let dockerfile = "FROM debian:bookworm-slim\nWORKDIR /etc\nRUN --mount=type=bind,target=. --mount=type=cache,target=/var/lib/apt/lists --mount=type=tmpfs,target=/usr/share --mount=type=bind,source=a,target=/etc/hostname true\n";
    let out = built(dockerfile, &context(&[("a", "x\n")]));
    let run = &out.steps[2];
    assert_eq!(
        (run.changes.added, run.changes.modified, run.changes.deleted),
        (0, 0, 0)
    );
    assert_eq!(run.size, 0);
}

/// `layerlab build --store DIR` keeps cache mounts between runs, with the cache
/// directory's own owner, and a damaged save is an error that says what to delete.
#[test]
fn the_cli_store_keeps_cache_mounts_between_builds() {
    let dir = crate::support::work_dir("mounts-cli");
    std::fs::create_dir_all(dir.join("ctx")).unwrap();
    std::fs::write(
        dir.join("ctx/Dockerfile"),
        "FROM busybox\nARG N\nRUN --mount=type=cache,id=a/b,target=/cache,uid=1000 echo \"run $N\" >> /cache/log && mkdir -p /cache/d && cp /cache/log /seen && stat -c %u /cache > /owner\n",
    )
    .unwrap();
    let build = |n: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_layerlab"))
            .arg("build")
            .arg("--store")
            .arg(dir.join("store"))
            .args(["--build-arg", &format!("N={n}")])
            .args(["-t", "t", "--export"])
            .arg(dir.join("out.tar"))
            .arg(dir.join("ctx"))
            .output()
            .unwrap()
    };
    let seen = || {
        let bytes = std::fs::read(dir.join("out.tar")).unwrap();
        let mut store = layerlab::store::Store::new();
        let imported =
            layerlab::oci::import::import(&mut store, &bytes, None, &Default::default()).unwrap();
        let union = store.union(&imported.images[0].id).unwrap();
        let read =
            |p: &str| String::from_utf8(union.read_file(p).unwrap().bytes().to_vec()).unwrap();
        (read("/seen"), read("/owner"))
    };
    for n in ["1", "2"] {
        let out = build(n);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(seen(), ("run 1\nrun 2\n".to_string(), "1000\n".to_string()));

    // A build that leaves the cache as it was rewrites no tar, and a tar that no
    // cache names any more is removed.
    let saved = dir.join("store/layerlab-cache-mounts");
    let tars = || {
        let mut tars: Vec<(String, u64)> = std::fs::read_dir(&saved)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tar"))
            .map(|e| {
                use std::os::unix::fs::MetadataExt;
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().ino(),
                )
            })
            .collect();
        tars.sort();
        tars
    };
    let before = tars();
    assert_eq!(before.len(), 1);
    std::fs::write(saved.join("0000.tar"), "left from a cache that is gone").unwrap();
    std::fs::write(saved.join("0000.partial"), "left by an interrupted save").unwrap();
    let out = build("2");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tars(), before);
    assert!(!saved.join("0000.partial").exists());

    std::fs::write(dir.join("store/layerlab-cache-mounts/index.json"), "[{}]").unwrap();
    let out = build("3");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the saved cache mounts are damaged (an entry without an id); delete"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
