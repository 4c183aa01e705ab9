use super::super::toml::{self, Value};
use super::{index_path, resolve_version};
use crate::shell::{run, Invocation, NoticeKind, RunOutcome, ShellContext};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

/// When the build runs, and an older time, as COPY keeps from a build context.
const NOW: i64 = 1_704_067_200;
const CONTEXT_MTIME: i64 = 1_600_000_000;

/// The top filesystem and environment of a catalog image.
fn image(name: &str) -> (Vfs, Vec<(String, String)>) {
    let image = crate::catalog::resolve(name).expect("catalog image");
    let fs = image.layers.last().expect("layers").fs_after.clone();
    let env = image
        .config
        .env
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (fs, env)
}

fn sh(fs: &mut Vfs, env: &[(String, String)], script: &str) -> RunOutcome {
    let ctx = ShellContext {
        env: env.to_vec(),
        workdir: "/app".to_string(),
        mtime: NOW,
        ..ShellContext::default()
    };
    run(fs, &Invocation::Script(script.to_string()), &ctx)
}

fn stderr(out: &RunOutcome) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A context file as COPY leaves it: the context's older mtime.
fn copy_in(fs: &mut Vfs, path: &str, text: &str) {
    let parent = path.rsplit_once('/').map_or("/", |(d, _)| d);
    fs.mkdir_all(parent, Meta::new(0o755)).unwrap();
    fs.write_file(
        path,
        Blob::from_bytes(text.as_bytes().to_vec()),
        Meta::new(0o644).at(CONTEXT_MTIME),
    )
    .unwrap();
}

const MANIFEST: &str = "[package]\nname = \"hello-api\"\nversion = \"0.2.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = { version = \"1.0\", features = [\"derive\"] }\ntokio = { version = \"1.41\", features = [\n    \"full\", # everything\n] }\nopenssl-sys = \"0.9.104\"\n\n[dev-dependencies]\ntempfile = \"3\"\n";

#[test]
fn the_toml_reader_reads_what_manifests_use_and_points_at_mistakes() {
    let doc = toml::parse(
        "# c\n[package]\nname = \"a\" # trailing\nversion.workspace = true\ndescription = \"\"\"\nmulti\nline\"\"\"\n\n[[bin]]\nname = 'x'\n[[bin]]\nname = \"y\\u0041\"\n[dependencies.serde]\nversion = \"1\"\n[target.'cfg(unix)'.dependencies]\nlibc = { version = \"0.2\", default-features = false }\nn = [1, 2,\n 3,]\n",
    )
    .unwrap();
    let find = |table: &[&str], key: &[&str]| {
        doc.entries
            .iter()
            .find(|e| e.table == table && e.key == key)
            .map(|e| e.value.clone())
    };
    assert_eq!(find(&["package"], &["name"]), Some(Value::Str("a".into())));
    assert_eq!(
        find(&["package"], &["version", "workspace"]),
        Some(Value::Bool(true))
    );
    assert_eq!(
        find(&["package"], &["description"]),
        Some(Value::Str("multi\nline".into()))
    );
    let bins: Vec<_> = doc
        .entries
        .iter()
        .filter(|e| e.table == ["bin"])
        .map(|e| (e.array_index, e.value.clone()))
        .collect();
    assert_eq!(
        bins,
        [
            (Some(0), Value::Str("x".into())),
            (Some(1), Value::Str("yA".into()))
        ]
    );
    assert_eq!(
        find(&["dependencies", "serde"], &["version"]),
        Some(Value::Str("1".into()))
    );
    let libc = find(&["target", "cfg(unix)", "dependencies"], &["libc"]).unwrap();
    assert_eq!(libc.get("version"), Some(&Value::Str("0.2".into())));
    assert_eq!(
        find(&["target", "cfg(unix)", "dependencies"], &["n"]),
        Some(Value::Array(vec![
            Value::Int(1),
            Value::Int(2),
            Value::Int(3)
        ]))
    );

    let err = toml::parse("[package]\nname = hello\n").unwrap_err();
    assert_eq!((err.line, err.column), (2, 8));
    assert_eq!(
        err.report(),
        "TOML parse error at line 2, column 8\n  |\n2 | name = hello\n  |        ^\ninvalid string\nexpected `\"`, `'`"
    );
    assert!(toml::parse("[a]\nx = 1\nx = 2\n").is_err());
    assert!(toml::parse("x = [1, 2\n").is_err());
    assert!(toml::parse("x = \"open\n").is_err());
}

#[test]
fn requirements_resolve_to_the_lowest_version_and_index_paths_follow_cargo() {
    for (req, version) in [
        ("1.0", "1.0.0"),
        ("^0.12.3", "0.12.3"),
        ("=2.1.4", "2.1.4"),
        (">=1.2, <2", "1.2.0"),
        ("3", "3.0.0"),
        ("*", "0.1.0"),
    ] {
        assert_eq!(resolve_version(req), version, "{req}");
    }
    assert_eq!(index_path("a"), "1/a");
    assert_eq!(index_path("cc"), "2/cc");
    assert_eq!(index_path("syn"), "3/s/syn");
    assert_eq!(index_path("Serde"), "se/rd/serde");
}

#[test]
fn a_release_build_writes_the_executable_target_tree_registry_and_lock() {
    let (mut fs, env) = image("rust:1.83-slim");
    copy_in(&mut fs, "/app/Cargo.toml", MANIFEST);
    copy_in(&mut fs, "/app/src/main.rs", "fn main() {}\n");
    let out = sh(&mut fs, &env, "cargo build --release");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>()[..3],
        [
            "    Updating crates.io index",
            "     Locking 4 packages to latest compatible versions",
            "  Downloaded openssl-sys v0.9.104",
        ]
    );
    let err = stderr(&out);
    for line in [
        "   Compiling serde v1.0.0\n",
        "   Compiling hello-api v0.2.0 (/app)\n",
        "    Finished `release` profile [optimized] target(s) in ",
    ] {
        assert!(err.contains(line), "{line} in {err}");
    }
    assert!(!err.contains("tempfile"), "dev-dependencies are not built");
    let exe = fs.stat("/app/target/release/hello-api").unwrap();
    assert_eq!(exe.meta.mode, 0o755);
    assert!(exe.size() > 2_000_000, "{}", exe.size());
    assert_eq!(exe.nlink, 2, "a hard link of deps/hello_api-HASH");
    let head = fs.read_file("/app/target/release/hello-api").unwrap();
    let libs = super::super::elf::parse(head.head().unwrap())
        .unwrap()
        .needed;
    assert_eq!(libs, ["libgcc_s.so.1", "libc.so.6"]);
    for dir in ["deps", "build", ".fingerprint", "incremental", "examples"] {
        assert!(fs
            .stat(&format!("/app/target/release/{dir}"))
            .unwrap()
            .is_dir());
    }
    assert!(fs.exists("/app/target/CACHEDIR.TAG"));
    let deps = fs.read_dir("/app/target/release/deps").unwrap();
    assert!(deps
        .iter()
        .any(|(n, _)| n.starts_with("libtokio-") && n.ends_with(".rlib")));
    let build = fs.read_dir("/app/target/release/build").unwrap();
    assert!(build.iter().all(|(n, _)| n.starts_with("openssl-sys-")) && build.len() == 1);
    let reg = "/usr/local/cargo/registry";
    assert!(fs.exists(&format!(
        "{reg}/cache/index.crates.io-6f17d22bba15001f/tokio-1.41.0.crate"
    )));
    assert!(fs.exists(&format!(
        "{reg}/src/index.crates.io-6f17d22bba15001f/serde-1.0.0/src/lib.rs"
    )));
    assert!(fs.exists(&format!(
        "{reg}/index/index.crates.io-6f17d22bba15001f/.cache/se/rd/serde"
    )));
    let lock = String::from_utf8(
        fs.read_file("/app/Cargo.lock")
            .unwrap()
            .bytes()
            .into_owned(),
    )
    .unwrap();
    assert!(lock.starts_with("# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"hello-api\"\nversion = \"0.2.0\"\ndependencies = [\n \"openssl-sys\",\n \"serde\",\n \"tempfile\",\n \"tokio\",\n]\n"), "{lock}");
    assert!(lock.contains("[[package]]\nname = \"tempfile\"\nversion = \"3.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \""));
    assert!(out.notices.iter().any(|n| n.kind == NoticeKind::Simulated
        && n.message
            .contains("/app/target/release/hello-api is a placeholder executable")));
    // A lock that records the dependencies' own dependencies builds those too.
    let mut lock = lock;
    lock.push_str("\n[[package]]\nname = \"mio\"\nversion = \"1.0.2\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
    fs.write_file(
        "/app/Cargo.lock",
        Blob::from_bytes(lock.into_bytes()),
        Meta::new(0o644),
    )
    .unwrap();
    let out = sh(&mut fs, &env, "cargo build --release --locked");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("  Downloaded mio v1.0.2\n  Downloaded 1 crate ("),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("   Compiling mio v1.0.2\n"));
    // A debug build is bigger and keeps incremental state.
    let out = sh(&mut fs, &env, "cargo build");
    assert_eq!(out.exit_code, 0);
    assert!(!stderr(&out).contains("Downloaded"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Finished `dev` profile [unoptimized + debuginfo]"));
    let debug = fs.stat("/app/target/debug/hello-api").unwrap().size();
    assert!(debug > 4 * 2_000_000);
    assert!(!fs
        .read_dir("/app/target/debug/incremental")
        .unwrap()
        .is_empty());
    assert!(fs
        .read_dir("/app/target/release/incremental")
        .unwrap()
        .is_empty());
}

#[test]
fn the_dependency_caching_trick_rebuilds_only_the_package_after_touch() {
    let (mut fs, env) = image("rust:1.83-slim");
    copy_in(&mut fs, "/app/Cargo.toml", MANIFEST);
    let first = sh(
        &mut fs,
        &env,
        "mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release",
    );
    assert_eq!(first.exit_code, 0, "{}", stderr(&first));
    let registry = fs.walk("/usr/local/cargo/registry").unwrap();
    let dummy = fs.read_file("/app/target/release/hello-api").unwrap();
    // COPY src ./src: the real sources, with the context's older mtime.
    copy_in(&mut fs, "/app/src/main.rs", "fn main() { serve(); }\n");
    let stale = sh(&mut fs, &env, "cargo build --release");
    assert_eq!(stale.exit_code, 0);
    assert!(!stderr(&stale).contains("Compiling"), "{}", stderr(&stale));
    assert_eq!(
        fs.read_file("/app/target/release/hello-api").unwrap(),
        dummy
    );
    assert!(stale
        .notices
        .iter()
        .any(|n| n.message.contains("fresh") && n.message.contains("touch")));
    let second = sh(&mut fs, &env, "touch src/main.rs && cargo build --release");
    assert_eq!(second.exit_code, 0);
    let err = stderr(&second);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("Compiling"))
            .collect::<Vec<_>>(),
        ["   Compiling hello-api v0.2.0 (/app)"],
        "{err}"
    );
    assert!(!err.contains("Updating") && !err.contains("Downloaded"));
    assert_ne!(
        fs.read_file("/app/target/release/hello-api").unwrap(),
        dummy
    );
    assert_eq!(fs.walk("/usr/local/cargo/registry").unwrap(), registry);
}

#[test]
fn cargo_fails_in_its_own_words_with_status_101() {
    let (mut fs, env) = image("rust:1.83-slim");
    fs.mkdir_all("/app", Meta::new(0o755)).unwrap();
    let out = sh(&mut fs, &env, "cargo build --release");
    assert_eq!(out.exit_code, 101);
    assert_eq!(
        stderr(&out),
        "error: could not find `Cargo.toml` in `/app` or any parent directory\n"
    );
    copy_in(
        &mut fs,
        "/app/Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    );
    let out = sh(&mut fs, &env, "cargo build");
    assert_eq!(out.exit_code, 101);
    assert_eq!(stderr(&out), "error: failed to parse manifest at `/app/Cargo.toml`\n\nCaused by:\n  no targets specified in the manifest\n  either src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present\n");
    copy_in(
        &mut fs,
        "/app/Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[[bin]]\nname = \"server\"\n",
    );
    let out = sh(&mut fs, &env, "cargo build");
    assert_eq!(stderr(&out), "error: failed to parse manifest at `/app/Cargo.toml`\n\nCaused by:\n  can't find `server` bin at `src/bin/server.rs` or `src/bin/server/main.rs`. Please specify bin.path if you want to use a non-default path.\n");
    copy_in(&mut fs, "/app/src/bin/server.rs", "fn main() {}\n");
    let out = sh(&mut fs, &env, "cargo build --locked");
    assert_eq!(out.exit_code, 101);
    assert_eq!(stderr(&out), "error: the lock file /app/Cargo.lock needs to be updated but --locked was passed to prevent this\nIf you want to try to generate the lock file without accessing the network, remove the --locked flag and use --offline instead.\n");
    let out = sh(
        &mut fs,
        &env,
        "cargo build && cargo build --locked --bin server && cargo build --bin nope",
    );
    assert_eq!(out.exit_code, 101);
    assert!(fs.exists("/app/target/debug/server"));
    assert!(stderr(&out)
        .ends_with("error: no bin target named `nope`.\n\nAvailable bin targets:\n    server\n"));
    copy_in(&mut fs, "/app/Cargo.toml", "[package]\nname = x\n");
    let out = sh(&mut fs, &env, "cargo build");
    assert!(stderr(&out).starts_with("error: failed to parse manifest at `/app/Cargo.toml`\n\nCaused by:\n  TOML parse error at line 2, column 8\n"));
    copy_in(
        &mut fs,
        "/app/Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    let out = sh(&mut fs, &env, "cargo build");
    assert!(stderr(&out).contains("\nCaused by:\n  feature `edition2024` is required\n\n  The package requires the Cargo feature called `edition2024`, but that feature is not stabilized in this version of Cargo (1.83.0).\n"), "{}", stderr(&out));
    // An added dependency makes the lock outdated.
    copy_in(&mut fs, "/app/Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[[bin]]\nname = \"server\"\n[dependencies]\nanyhow = \"1\"\n");
    let out = sh(&mut fs, &env, "cargo build --frozen");
    assert!(stderr(&out).contains("needs to be updated but --frozen was passed"));
    let out = sh(&mut fs, &env, "cargo build --offline");
    assert!(stderr(&out).starts_with("error: no matching package named `anyhow` found\n"));
}

#[test]
fn alpine_builds_static_musl_executables_and_install_copies_them() {
    let (mut fs, env) = image("rust:1.83-alpine");
    copy_in(
        &mut fs,
        "/app/Cargo.toml",
        "[package]\nname = \"tool\"\nversion = \"1.0.0\"\nedition = \"2021\"\n",
    );
    copy_in(&mut fs, "/app/src/main.rs", "fn main() {}\n");
    let out = sh(
        &mut fs,
        &env,
        "cargo build --release --target x86_64-unknown-linux-musl && cargo install --path . --root /opt/tool",
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    let exe = fs
        .read_file("/app/target/x86_64-unknown-linux-musl/release/tool")
        .unwrap();
    let libs = super::super::elf::parse(exe.head().unwrap())
        .unwrap()
        .needed;
    assert!(libs.is_empty(), "{libs:?}");
    assert!(fs.stat("/opt/tool/bin/tool").unwrap().meta.mode & 0o111 != 0);
    assert!(
        stderr(&out).contains("   Installed package `tool v1.0.0 (/app)` (executable `tool`)\n")
    );
    assert!(
        String::from_utf8_lossy(&fs.read_file("/opt/tool/.crates.toml").unwrap().bytes())
            .contains("\"tool 1.0.0 (path+file:///app)\" = [\"tool\"]")
    );
    let out = sh(
        &mut fs,
        &env,
        "cargo install cargo-chef --locked && cargo --version",
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(fs.exists("/usr/local/cargo/bin/cargo-chef"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "cargo 1.83.0 (simulated by layerlab)\n"
    );
}

#[test]
fn new_and_init_lay_out_a_package_and_fetch_fills_the_registry() {
    let (mut fs, env) = image("rust:1.83-slim");
    fs.mkdir_all("/app", Meta::new(0o755)).unwrap();
    let out = sh(
        &mut fs,
        &env,
        "cargo new hello && cargo new --lib util --vcs none && cargo new hello",
    );
    assert_eq!(out.exit_code, 101);
    assert_eq!(
        stderr(&out),
        "    Creating binary (application) `hello` package\nnote: see more `Cargo.toml` keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html\n    Creating library `util` package\nnote: see more `Cargo.toml` keys and their definitions at https://doc.rust-lang.org/cargo/reference/manifest.html\nerror: destination `/app/hello` already exists\n\nUse `cargo init` to initialize the directory\n"
    );
    let text = |fs: &Vfs, p: &str| {
        String::from_utf8(fs.read_file(p).unwrap().bytes().into_owned()).unwrap()
    };
    assert_eq!(
        text(&fs, "/app/hello/Cargo.toml"),
        "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n"
    );
    assert_eq!(
        text(&fs, "/app/hello/src/main.rs"),
        "fn main() {\n    println!(\"Hello, world!\");\n}\n"
    );
    assert_eq!(text(&fs, "/app/hello/.gitignore"), "/target\n");
    assert!(fs.exists("/app/hello/.git/HEAD"));
    assert!(fs.exists("/app/util/src/lib.rs") && !fs.exists("/app/util/.git"));
    let out = sh(&mut fs, &env, "cd hello && cargo init");
    assert_eq!(
        stderr(&out),
        "error: `cargo init` cannot be run on existing Cargo packages\n"
    );
    copy_in(
        &mut fs,
        "/app/hello/Cargo.toml",
        "[package]\nname = \"hello\"\nversion = \"0.1.0\"\n[dependencies]\nrand = \"0.8.5\"\n",
    );
    let out = sh(
        &mut fs,
        &env,
        "cd hello && cargo fetch && cargo test && cargo run",
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(fs.exists(
        "/usr/local/cargo/registry/cache/index.crates.io-6f17d22bba15001f/rand-0.8.5.crate"
    ));
    assert!(
        stderr(&out).contains("     Running `target/debug/hello`\n"),
        "{}",
        stderr(&out)
    );
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::NotSimulated
            && n.message.contains("does not run the program")));
    assert!(out.notices.iter().any(|n| n
        .message
        .contains("cargo test compiled nothing and ran no tests")));
}

#[test]
fn a_workspace_builds_its_members_into_one_target_directory() {
    let (mut fs, env) = image("rust:1.83-slim");
    copy_in(&mut fs, "/app/Cargo.toml", "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\nanyhow = \"1.0.93\"\n");
    copy_in(&mut fs, "/app/crates/api/Cargo.toml", "[package]\nname = \"api\"\nversion = \"0.1.0\"\n[dependencies]\ncore-lib = { path = \"../core-lib\" }\nanyhow.workspace = true\n");
    copy_in(&mut fs, "/app/crates/api/src/main.rs", "fn main() {}\n");
    copy_in(
        &mut fs,
        "/app/crates/core-lib/Cargo.toml",
        "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\n",
    );
    copy_in(&mut fs, "/app/crates/core-lib/src/lib.rs", "\n");
    let out = sh(&mut fs, &env, "cargo build --release -p api");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("   Compiling anyhow v1.0.93\n"), "{err}");
    assert!(err.contains("   Compiling core-lib v0.1.0 (/app/crates/core-lib)\n"));
    assert!(fs.exists("/app/target/release/api"));
    assert!(fs.exists("/app/Cargo.lock") && !fs.exists("/app/crates/api/Cargo.lock"));
}

#[test]
fn a_musl_target_needs_rustup_target_add_first() {
    let (mut fs, env) = image("rust:1.83");
    copy_in(
        &mut fs,
        "/app/Cargo.toml",
        "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\n",
    );
    copy_in(&mut fs, "/app/src/main.rs", "fn main() {}\n");
    let build = "cargo build --release --target x86_64-unknown-linux-musl";
    let out = sh(&mut fs, &env, build);
    assert_eq!(out.exit_code, 101);
    assert!(stderr(&out).ends_with("   Compiling tiny v0.1.0 (/app)\nerror[E0463]: can't find crate for `std`\n  |\n  = note: the `x86_64-unknown-linux-musl` target may not be installed\n  = help: consider downloading the target with `rustup target add x86_64-unknown-linux-musl`\n\nFor more information about this error, try `rustc --explain E0463`.\nerror: could not compile `tiny` due to 1 previous error\n"), "{}", stderr(&out));
    let out = sh(
        &mut fs,
        &env,
        &format!("rustup target add x86_64-unknown-linux-musl && {build}"),
    );
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert!(stderr(&out).starts_with("info: downloading component 'rust-std' for 'x86_64-unknown-linux-musl'\ninfo: installing component 'rust-std' for 'x86_64-unknown-linux-musl'\n"));
    let toolchain = "/usr/local/rustup/toolchains/1.83.0-x86_64-unknown-linux-gnu/lib/rustlib";
    assert!(
        fs.read_dir(&format!("{toolchain}/x86_64-unknown-linux-musl/lib"))
            .unwrap()
            .len()
            > 3
    );
    assert!(String::from_utf8_lossy(
        &fs.read_file(&format!("{toolchain}/components"))
            .unwrap()
            .bytes()
    )
    .ends_with("rust-std-x86_64-unknown-linux-musl\n"));
    let exe = fs
        .read_file("/app/target/x86_64-unknown-linux-musl/release/tiny")
        .unwrap();
    assert!(super::super::elf::parse(exe.head().unwrap())
        .unwrap()
        .needed
        .is_empty());
}

/// The rust images install rustup's minimal profile, so `cargo clippy` and
/// `cargo fmt` fail with the proxy's message until `rustup component add` lays
/// their components out; clippy then checks the package, and a check writes no
/// executable.
#[test]
fn clippy_and_rustfmt_need_rustup_component_add() {
    let (mut fs, env) = image("rust:1.83-slim");
    copy_in(
        &mut fs,
        "/app/Cargo.toml",
        "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\n",
    );
    copy_in(&mut fs, "/app/src/main.rs", "fn main() {}\n");
    let toolchain = "1.83.0-x86_64-unknown-linux-gnu";
    for (command, program, component) in [
        ("cargo clippy -- -D warnings", "cargo-clippy", "clippy"),
        ("cargo fmt --check", "cargo-fmt", "rustfmt"),
    ] {
        let out = sh(&mut fs, &env, command);
        assert_eq!(out.exit_code, 1);
        assert_eq!(
            stderr(&out),
            format!("error: '{program}' is not installed for the toolchain '{toolchain}'.\nTo install, run `rustup component add {component}`\n")
        );
    }
    let out = sh(&mut fs, &env, "rustup component add clippy rustfmt && rustup component add rustfmt && cargo fmt --check && cargo clippy -- -D warnings");
    assert_eq!(out.exit_code, 0, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "info: downloading component 'clippy'\ninfo: installing component 'clippy'\n\
         info: downloading component 'rustfmt'\ninfo: installing component 'rustfmt'\n\
         info: component 'rustfmt' for target 'x86_64-unknown-linux-gnu' is up to date\n\
         \x20   Checking tiny v0.1.0 (/app)\n\
         \x20   Finished `dev` profile [unoptimized + debuginfo] target(s) in 1.20s\n"
    );
    let root = format!("/usr/local/rustup/toolchains/{toolchain}");
    assert!(
        fs.exists(&format!("{root}/bin/cargo-clippy")) && fs.exists(&format!("{root}/bin/rustfmt"))
    );
    assert!(!fs.exists("/app/target/debug/tiny"));
    let out = sh(&mut fs, &env, "rustup component add no-such-tool");
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        stderr(&out),
        format!("error: toolchain '{toolchain}' does not contain component 'no-such-tool' for target 'x86_64-unknown-linux-gnu'\n")
    );
}
