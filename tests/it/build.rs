//! Builds that must come out the same everywhere.

use layerlab::builder::BuildOutcome;
use layerlab::builder::{build, BuildInput, BuildOptions};
use layerlab::cache::BuildCache;
use layerlab::context::BuildContext;
use layerlab::store::Store;

/// Builds `dockerfile` with default options in a fresh store and cache.
pub(crate) fn build_in(store: &mut Store, dockerfile: &str, ctx: &BuildContext) -> BuildOutcome {
    let input = BuildInput {
        dockerfile,
        dockerfile_path: "Dockerfile",
        context: ctx,
    };
    build(
        store,
        &mut BuildCache::new(),
        &input,
        &BuildOptions::default(),
    )
}

/// `tests/web.rs` builds the same input in WebAssembly and pins the same ID.
#[test]
fn a_scratch_build_has_a_pinned_image_id() {
    let (dockerfile, ctx) = include!("../data/pinned_build.rs");
    for _ in 0..2 {
        let mut store = Store::new();
        let out = build_in(&mut store, dockerfile, &ctx);
        assert!(out.error.is_none(), "{:?}", out.error);
        assert_eq!(
            out.image_id.unwrap().to_string(),
            "sha256:046c4f7c985222a2a793b0959cd2eb70e211e719c43e751d8d39080e94795635"
        );
    }
}

const SEED: &str = "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";

fn seed_context() -> layerlab::context::BuildContext {
    let mut ctx = layerlab::context::BuildContext::new();
    let file = |text: &str| layerlab::vfs::blob::Blob::from_bytes(text.as_bytes().to_vec());
    ctx.add_file("requirements.txt", file("flask\n"), 0o644, 1_704_067_200)
        .unwrap();
    ctx.add_file("main.py", file("print('hello')\n"), 0o644, 1_704_067_200)
        .unwrap();
    ctx
}

/// The seed document's example, verbatim: ubuntu has no pip, so the RUN fails as
/// sh does, and layerlab says what to do instead.
#[test]
fn the_seed_example_on_ubuntu_fails_like_docker() {
    let dockerfile = format!("FROM ubuntu:latest\n{SEED}");
    let ctx = seed_context();
    let out = build_in(&mut Store::new(), &dockerfile, &ctx);
    let error = out.error.expect("pip is not in ubuntu");
    assert_eq!(error.line, Some(4));
    assert!(error.message.starts_with(
        "process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 127\n/bin/sh: 1: pip: not found"
    ), "{}", error.message);
    assert!(
        error.message.contains("hint: this image has no `pip`"),
        "{}",
        error.message
    );
}

/// On python:3.12-slim the same steps build into the layers and history BuildKit makes.
#[test]
fn the_seed_example_on_python_builds_like_buildkit() {
    let dockerfile = format!("FROM python:3.12-slim\n{SEED}");
    let ctx = seed_context();
    let mut store = Store::new();
    let out = build_in(&mut store, &dockerfile, &ctx);
    assert!(out.error.is_none(), "{:?}", out.error);
    let image = &store.image(&out.image_id.unwrap()).unwrap().image;
    let ours: Vec<&str> = image
        .history
        .iter()
        .rev()
        .take(5)
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(
        ours,
        [
            "CMD [\"python\" \"main.py\"]",
            "COPY . . # buildkit",
            "RUN /bin/sh -c pip install -r requirements.txt # buildkit",
            "COPY requirements.txt . # buildkit",
            "WORKDIR /app",
        ]
    );
    assert!(image.history.last().unwrap().empty_layer);
    assert_eq!(image.config.cmd, ["python", "main.py"]);
    assert_eq!(image.config.working_dir, "/app");
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs.stat("/app/main.py").is_ok() && fs.stat("/app/requirements.txt").is_ok());
    assert!(fs
        .read_dir("/usr/local/lib/python3.12/site-packages")
        .unwrap()
        .iter()
        .any(|(name, _)| name.starts_with("flask")));
    // pip's placeholder modules read as text in the page's viewer.
    let module = fs
        .read_file("/usr/local/lib/python3.12/site-packages/flask/_impl.py")
        .unwrap();
    let text = String::from_utf8(module.bytes().into_owned()).expect("text");
    assert!(text.starts_with("# layerlab: simulated contents of flask/_impl.py (flask "));
}

/// The nginx tutorial: the installed configuration is real text, so appending to it,
/// `tail` and `sed` behave as on Debian and Ubuntu, and the viewer's file reads as text.
#[test]
fn the_nginx_tutorial_edits_real_configuration_text() {
    for base in ["debian:bookworm", "ubuntu:22.04"] {
        let dockerfile = format!(
            "FROM {base}\n\
             RUN apt-get update && apt-get install -y nginx\n\
             RUN echo \"daemon off;\" >> /etc/nginx/nginx.conf && tail -n 2 /etc/nginx/nginx.conf\n\
             RUN sed -i 's/listen 80 default_server/listen 8080 default_server/' /etc/nginx/sites-available/default\n"
        );
        let out = build_in(&mut Store::new(), &dockerfile, &BuildContext::new());
        assert!(out.error.is_none(), "{base}: {:?}", out.error);
        let tail = &out.steps[2];
        assert!(
            tail.output.ends_with("#}\ndaemon off;\n"),
            "{base}: {}",
            tail.output
        );
        let fs = &out.steps[3].fs;
        let site = fs.read_file("/etc/nginx/sites-enabled/default").unwrap();
        let site = String::from_utf8(site.bytes().into_owned()).unwrap();
        assert!(site.contains("\tlisten 8080 default_server;\n"), "{base}");
        assert!(!site.contains("listen 80 default_server"), "{base}");
        let mime = fs.read_file("/etc/nginx/mime.types").unwrap();
        assert!(std::str::from_utf8(&mime.bytes()).is_ok(), "{base}");
    }
}

/// The httpd image's README: the site copied into htdocs replaces "It works!", and
/// the usual edits of conf/httpd.conf (a sed from the WORKDIR, then a whole
/// replacement file) land where Apache reads them; `httpd -v` gives the banner.
#[test]
fn the_httpd_readme_serves_public_html_from_htdocs() {
    let dockerfile = "FROM httpd:2.4\n\
        COPY ./public-html/ /usr/local/apache2/htdocs/\n\
        RUN sed -i 's/#LoadModule rewrite_module/LoadModule rewrite_module/' conf/httpd.conf \
            && grep -n '^LoadModule rewrite_module' conf/httpd.conf | cut -d: -f2- && httpd -v\n\
        COPY ./my-httpd.conf /usr/local/apache2/conf/httpd.conf\n";
    let files = [
        ("public-html/index.html", "<h1>Hello from httpd</h1>\n"),
        ("public-html/css/site.css", "body { margin: 0 }\n"),
        (
            "my-httpd.conf",
            "ServerRoot \"/usr/local/apache2\"\nListen 8080\n",
        ),
    ];
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    assert_eq!(
        out.steps[2].output,
        "LoadModule rewrite_module modules/mod_rewrite.so\n\
         Server version: Apache/2.4.62 (Unix)\n\
         Server built:   Jul 17 2024 23:31:14\n"
    );
    let fs = &out.steps[3].fs;
    let read =
        |path: &str| String::from_utf8(fs.read_file(path).unwrap().bytes().into_owned()).unwrap();
    let htdocs = "/usr/local/apache2/htdocs";
    assert_eq!(
        read(&format!("{htdocs}/index.html")),
        "<h1>Hello from httpd</h1>\n"
    );
    assert!(fs.stat(&format!("{htdocs}/css/site.css")).is_ok());
    assert!(fs.stat(&format!("{htdocs}/public-html")).is_err());
    assert_eq!(
        read("/usr/local/apache2/conf/httpd.conf"),
        "ServerRoot \"/usr/local/apache2\"\nListen 8080\n"
    );
    assert!(read("/usr/local/apache2/conf/original/httpd.conf")
        .contains("\n#LoadModule rewrite_module modules/mod_rewrite.so\n"));
}

/// Context files from (path, text) pairs.
pub(crate) fn context_of(files: &[(&str, &str)]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for (path, text) in files {
        let blob = layerlab::vfs::blob::Blob::from_bytes(text.as_bytes().to_vec());
        ctx.add_file(path, blob, 0o644, 1_704_067_200).unwrap();
    }
    ctx
}

const GO_MOD: &str = "module example.com/hello\n\ngo 1.22\n";
const HELLO_GO: &str =
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello\")\n}\n";

/// The page's two-stage Go example: `go build -o` writes an executable (creating
/// its directory) that the second stage copies; the build cache stays behind in
/// the first stage only.
#[test]
fn a_two_stage_go_build_copies_the_binary_go_build_wrote() {
    let dockerfile = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod ./\nCOPY main.go ./\nRUN CGO_ENABLED=0 go build -o /out/hello . && go version\n\nFROM alpine:3.20\nCOPY --from=build /out/hello /usr/local/bin/hello\nENTRYPOINT [\"/usr/local/bin/hello\"]\n";
    let ctx = context_of(&[("go.mod", GO_MOD), ("main.go", HELLO_GO)]);
    let out = build_in(&mut Store::new(), dockerfile, &ctx);
    assert_built(&out);
    assert!(
        out.log
            .iter()
            .any(|l| l.ends_with("go version go1.22.10 linux/amd64")),
        "{}",
        out.log.join("\n")
    );
    let build_fs = &out
        .steps
        .iter()
        .find(|s| s.stage == 0 && s.instruction.starts_with("RUN"))
        .unwrap()
        .fs;
    let cache = build_fs.read_dir("/root/.cache/go-build").unwrap();
    assert!(cache.iter().any(|(name, _)| name == "README") && cache.len() > 3);
    let last = &out.steps.last().unwrap().fs;
    let hello = last.stat("/usr/local/bin/hello").unwrap();
    assert_eq!(hello.meta.mode, 0o755);
    let layerlab::vfs::Kind::File(blob) = hello.kind else {
        panic!("not a file")
    };
    assert!(blob.len() > 1_000_000);
    assert_eq!(&blob.head().unwrap()[..4], b"\x7fELF");
    assert!(last.stat("/root/.cache/go-build").is_err());
}

/// Go's own failures: no go.mod, no Go files, a library package builds nothing;
/// a cgo build of net/http links the C library of the image it was built on.
#[test]
fn go_build_fails_and_links_as_go_does() {
    let run = |dockerfile: &str, files: &[(&str, &str)]| {
        build_in(&mut Store::new(), dockerfile, &context_of(files))
    };
    let out = run(
        "FROM golang:1.23\nWORKDIR /src\nCOPY main.go .\nRUN go build .\n",
        &[("main.go", HELLO_GO)],
    );
    assert!(out.error.unwrap().message.contains("go: go.mod file not found in current directory or any parent directory; see 'go help modules'"));
    let out = run(
        "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod .\nRUN go build ./cmd/none\n",
        &[("go.mod", GO_MOD)],
    );
    assert!(out
        .error
        .unwrap()
        .message
        .contains("stat /src/cmd/none: directory not found"));
    let out = run(
        "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build ./... && ls /src && go test ./...\n",
        &[("go.mod", GO_MOD), ("lib/lib.go", "package lib\n"), ("lib/lib_test.go", "package lib\n")],
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    let log = out.log.join("\n");
    assert!(log.contains("ok  \texample.com/hello/lib\t"), "{log}");
    assert!(
        !log.contains("hello\n"),
        "a library build writes no executable: {log}"
    );
    let server = "package main\n\nimport (\n\t\"net/http\"\n)\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    let out = run(
        "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/server . && ldd /usr/local/bin/server | grep -c libc.so.6\n",
        &[("go.mod", "module example.com/server/v2\n\ngo 1.23\n\nrequire (\n\tgithub.com/gorilla/mux v1.8.1\n)\n"), ("main.go", server)],
    );
    assert!(out.error.is_none(), "{:?}\n{log}", out.error);
    let fs = &out.steps.last().unwrap().fs;
    let layerlab::vfs::Kind::File(blob) = fs.stat("/usr/local/bin/server").unwrap().kind else {
        panic!("no server")
    };
    assert!(blob.len() > 7_000_000, "net/http weighs: {}", blob.len());
    let out = run(
        "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod .\nRUN go mod download && ls /go/pkg/mod/github.com/gorilla\n",
        &[("go.mod", "module example.com/server\n\ngo 1.23\n\nrequire github.com/gorilla/mux v1.8.1\n")],
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    assert!(
        out.log.iter().any(|l| l.ends_with("mux@v1.8.1")),
        "{}",
        out.log.join("\n")
    );
}

/// Fails, with the error and the whole log, unless the build succeeded.
pub(crate) fn assert_built(out: &BuildOutcome) {
    assert!(
        out.error.is_none(),
        "{:?}\n{}",
        out.error,
        out.log.join("\n")
    );
}

/// Fails unless the build log holds each of `lines`.
pub(crate) fn log_has(out: &BuildOutcome, lines: &[&str]) {
    let log = out.log.join("\n");
    for line in lines {
        assert!(log.contains(line), "{line}: {log}");
    }
}

/// The classic front-end Dockerfile: `npm run build` runs the package.json script
/// (the bundler from node_modules/.bin) and nginx serves what it wrote.
#[test]
fn a_front_end_built_in_node_is_served_by_nginx() {
    let package = r#"{"name":"web","version":"1.0.0","scripts":{"prebuild":"echo checking","build":"vite build","postbuild":"echo built $npm_lifecycle_event"},"dependencies":{"react":"^18.2.0","react-dom":"^18.2.0"},"devDependencies":{"vite":"^5.0.0"}}"#;
    let dockerfile = "FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n";
    let files = [
        ("package.json", package),
        ("package-lock.json", "{}\n"),
        ("index.html", "<!doctype html>\n<html>\n<head>\n<title>Web</title>\n<script type=\"module\" src=\"/src/main.jsx\"></script>\n</head>\n<body><div id=\"root\"></div></body>\n</html>\n"),
        ("src/main.jsx", "import React from 'react'\nconsole.log(React)\n"),
    ];
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "> web@1.0.0 prebuild",
            "> vite build",
            "vite v5.1.3 building for production...",
            "built postbuild",
            "✓ built in",
        ],
    );
    assert!(out.advice.is_empty(), "{:?}", out.advice);
    let fs = &out.steps.last().unwrap().fs;
    let html = String::from_utf8(
        fs.read_file("/usr/share/nginx/html/index.html")
            .unwrap()
            .bytes()
            .to_vec(),
    )
    .unwrap();
    let bundle = html
        .split("src=\"/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(
        bundle.starts_with("assets/index-") && bundle.ends_with(".js"),
        "{html}"
    );
    assert!(!html.contains("/src/main.jsx"), "{html}");
    let js = fs
        .read_file(&format!("/usr/share/nginx/html/{bundle}"))
        .unwrap();
    assert!(js.len() > 130_000, "react-dom is bundled: {}", js.len());
    // The same input gives the same bundle name.
    let again = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_eq!(again.image_id, out.image_id);
}

/// npm's own answers: a missing script, the script list, arguments after `--`,
/// and create-react-app's build folder.
#[test]
fn npm_scripts_fail_and_list_as_npm_does() {
    let package = r#"{"name":"app","version":"2.0.0","scripts":{"build":"react-scripts build","greet":"echo hello"},"dependencies":{"react":"^18.2.0","react-scripts":"5.0.1"}}"#;
    let files = [
        ("package.json", package),
        ("src/index.js", "console.log(1)\n"),
    ];
    let run = |script: &str| {
        build_in(
            &mut Store::new(),
            &format!("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN {script}\n"),
            &context_of(&files),
        )
    };
    let out = run("npm run lint");
    let error = out.error.unwrap();
    assert!(
        error.message.contains("npm error Missing script: \"lint\""),
        "{}",
        error.message
    );
    let out = run("npm run && npm run greet -- 'to you' && npm run build && ls build/static/js");
    assert!(out.error.is_none(), "{:?}", out.error);
    log_has(
        &out,
        &[
            "Scripts available in app@2.0.0 via `npm run-script`:",
            "> echo hello 'to you'",
            "hello to you",
            "Compiled successfully.",
            "main.",
        ],
    );
}

/// The most common tutorial: Ubuntu's python3 and pip from apt, then pip install.
const UBUNTU_PIP_TUTORIAL: &str = "RUN apt-get update && apt-get install -y python3 python3-pip nginx\nRUN pip3 install flask==3.0.0 gunicorn\n";

/// On ubuntu:22.04 pip installs system-wide as root (Ubuntu 22.04 predates PEP 668).
#[test]
fn the_pip_tutorial_builds_on_ubuntu_jammy() {
    let dockerfile = format!("FROM ubuntu:22.04\n{UBUNTU_PIP_TUTORIAL}");
    let out = build_in(&mut Store::new(), &dockerfile, &BuildContext::new());
    assert!(out.error.is_none(), "{:?}", out.error);
    let log = out.log.join("\n");
    assert!(
        log.contains("Setting up python3.10 (3.10.12-1~22.04.4) ..."),
        "{log}"
    );
    assert!(
        log.contains("Setting up nginx (1.18.0-6ubuntu14.4) ..."),
        "{log}"
    );
    assert!(
        log.contains("WARNING: Running pip as the 'root' user"),
        "{log}"
    );
}

/// On ubuntu:24.04 the same pip step fails as PEP 668 says (Python 3.12).
#[test]
fn the_pip_tutorial_is_externally_managed_on_ubuntu_noble() {
    let dockerfile = format!("FROM ubuntu:24.04\n{UBUNTU_PIP_TUTORIAL}");
    let out = build_in(&mut Store::new(), &dockerfile, &BuildContext::new());
    let error = out.error.expect("PEP 668 stops pip on noble");
    assert_eq!(error.line, Some(3));
    assert!(
        error
            .message
            .contains("error: externally-managed-environment"),
        "{}",
        error.message
    );
    let log = out.log.join("\n");
    assert!(
        log.contains("Setting up python3.12 (3.12.3-1ubuntu0.5) ..."),
        "{log}"
    );
}

/// python:3.11-slim, a tag tutorials use as often as 3.12: its own interpreter
/// and site-packages, and each image's `python --version` is its real release.
#[test]
fn python_images_report_their_own_release() {
    for (tag, minor, version) in [
        ("3.11-slim", "3.11", "3.11.11"),
        ("3.12-slim", "3.12", "3.12.8"),
        ("3.13-alpine", "3.13", "3.13.1"),
    ] {
        let dockerfile = format!(
            "FROM python:{tag}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt && python --version && ls /usr/local/lib/python{minor}/site-packages | grep -c '^flask'\n"
        );
        let out = build_in(&mut Store::new(), &dockerfile, &seed_context());
        assert!(out.error.is_none(), "{tag}: {:?}", out.error);
        log_has(&out, &[&format!("Python {version}")]);
    }
}

/// tsc honours tsconfig's outDir and rootDir, webpack writes dist/main.js and
/// next build its .next folder; `tsc --version` answers without compiling.
#[test]
fn tsc_webpack_and_next_write_their_output_folders() {
    let package = r#"{"name":"ts","version":"1.0.0","scripts":{"build":"tsc && webpack && next build"},"dependencies":{"react":"^18.2.0"},"devDependencies":{"typescript":"5.3.3","webpack":"5.90.1","next":"14.1.0"}}"#;
    let files = [
        ("package.json", package),
        (
            "tsconfig.json",
            r#"{"compilerOptions":{"outDir":"./out","rootDir":"src"}}"#,
        ),
        ("src/app.ts", "export const x: number = 1;\n"),
        ("src/lib/util.ts", "export function f(): void {}\n"),
    ];
    let dockerfile = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install && npm run build && ./node_modules/.bin/tsc --version\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "Version 5.3.3",
            "webpack 5.90.1 compiled successfully",
            "▲ Next.js 14.1.0",
        ],
    );
    let fs = &out.steps.last().unwrap().fs;
    for path in [
        "/app/out/app.js",
        "/app/out/lib/util.js",
        "/app/dist/main.js",
        "/app/.next/BUILD_ID",
    ] {
        assert!(fs.stat(path).is_ok(), "{path} is missing");
    }
}

const CARGO_TOML: &str = "[package]\nname = \"myapp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\naxum = \"0.7.9\"\ntokio = { version = \"1.41.1\", features = [\"full\"] }\nserde = { version = \"1.0.215\", features = [\"derive\"] }\n";
const MAIN_RS: &str = "#[tokio::main]\nasync fn main() {\n    println!(\"listening\");\n}\n";

/// Bytes of regular files (hard links once) in a filesystem.
fn bytes_of(fs: &layerlab::vfs::Vfs) -> u64 {
    fs.walk("/")
        .unwrap()
        .iter()
        .filter(|e| e.link_to.is_none())
        .map(|e| e.stat.size())
        .sum()
}

/// The classic Rust tutorial: dependencies built once behind a dummy `main.rs`,
/// the sources copied and touched, a second build compiling only the package, and
/// the executable copied into a small Debian runtime image.
#[test]
fn a_two_stage_rust_build_caches_dependencies_and_ships_a_small_image() {
    let dockerfile = "FROM rust:1.83 AS builder\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nRUN mkdir src && echo \"fn main() {}\" > src/main.rs && cargo build --release --locked\nCOPY src ./src\nRUN touch src/main.rs && cargo build --release --locked\n\nFROM debian:bookworm-slim\nCOPY --from=builder /app/target/release/myapp /usr/local/bin/myapp\nCMD [\"myapp\"]\n";
    // The project's Cargo.lock, as `cargo generate-lockfile` here writes it.
    let lock = {
        let mut store = Store::new();
        let out = build_in(
            &mut store,
            "FROM rust:1.83-slim\nWORKDIR /app\nCOPY . .\nRUN cargo fetch\n",
            &context_of(&[("Cargo.toml", CARGO_TOML), ("src/main.rs", MAIN_RS)]),
        );
        assert!(out.error.is_none(), "{:?}", out.error);
        let blob = out
            .steps
            .last()
            .unwrap()
            .fs
            .read_file("/app/Cargo.lock")
            .unwrap();
        String::from_utf8(blob.bytes().into_owned()).unwrap()
    };
    let ctx = context_of(&[
        ("Cargo.toml", CARGO_TOML),
        ("Cargo.lock", &lock),
        ("src/main.rs", MAIN_RS),
    ]);
    let out = build_in(&mut Store::new(), dockerfile, &ctx);
    assert_built(&out);
    let runs: Vec<_> = out
        .steps
        .iter()
        .filter(|s| s.stage == 0 && s.instruction.starts_with("RUN"))
        .collect();
    assert_eq!(runs.len(), 2);
    let log = out.log.join("\n");
    for line in ["  Downloaded axum v0.7.9", "   Compiling tokio v1.41.1"] {
        assert_eq!(log.matches(line).count(), 1, "{line}: {log}");
    }
    for line in [
        "   Compiling myapp v0.1.0 (/app)",
        "    Finished `release` profile [optimized] target(s) in ",
    ] {
        assert_eq!(log.matches(line).count(), 2, "{line}: {log}");
    }
    let registry = |fs: &layerlab::vfs::Vfs| fs.walk("/usr/local/cargo/registry").unwrap();
    assert_eq!(registry(&runs[0].fs), registry(&runs[1].fs));
    assert!(runs[1].fs.exists(
        "/usr/local/cargo/registry/cache/index.crates.io-6f17d22bba15001f/serde-1.0.215.crate"
    ));
    let runtime = &out.steps.last().unwrap().fs;
    let layerlab::vfs::Kind::File(exe) = runtime.stat("/usr/local/bin/myapp").unwrap().kind else {
        panic!("no executable")
    };
    assert_eq!(&exe.head().unwrap()[..4], b"\x7fELF");
    assert!(exe.len() > 1_000_000);
    // The runtime image is Debian slim plus one executable; the builder carries
    // buildpack-deps, the toolchain, the registry and target/.
    let (small, big) = (bytes_of(runtime), bytes_of(&runs[1].fs));
    assert!(small < 100_000_000, "runtime {small}");
    assert!(big > 1_000_000_000 && big > 10 * small, "builder {big}");
    assert!(
        bytes_of(&runs[1].fs) - bytes_of(&out.steps.iter().find(|s| s.stage == 0).unwrap().fs)
            > 20_000_000
    );
}

/// On Alpine the host is musl: the executable is static, so it runs on a bare
/// Alpine (or scratch); `cargo install --path .` puts it in `$CARGO_HOME/bin`.
#[test]
fn an_alpine_rust_build_installs_a_static_executable() {
    let dockerfile = "FROM rust:1.83-alpine AS build\nRUN apk add --no-cache musl-dev\nWORKDIR /usr/src/myapp\nCOPY . .\nRUN cargo install --path .\n\nFROM alpine:3.21\nCOPY --from=build /usr/local/cargo/bin/myapp /usr/local/bin/myapp\nRUN scanelf --needed /usr/local/bin/myapp\nCMD [\"myapp\"]\n";
    let ctx = context_of(&[("Cargo.toml", CARGO_TOML), ("src/main.rs", MAIN_RS)]);
    let out = build_in(&mut Store::new(), dockerfile, &ctx);
    assert_built(&out);
    log_has(
        &out,
        &[
            "  Installing myapp v0.1.0 (/usr/src/myapp)",
            "  Installing /usr/local/cargo/bin/myapp",
            "   Installed package `myapp v0.1.0 (/usr/src/myapp)` (executable `myapp`)",
        ],
    );
    let fs = &out.steps.last().unwrap().fs;
    let layerlab::vfs::Kind::File(exe) = fs.stat("/usr/local/bin/myapp").unwrap().kind else {
        panic!("no executable")
    };
    let head = exe.head().unwrap();
    assert_eq!(&head[..4], b"\x7fELF");
    assert!(!String::from_utf8_lossy(head).contains("libc.musl"));
    let build = out.steps.iter().rfind(|s| s.stage == 0).unwrap();
    assert!(build.fs.exists("/usr/src/myapp/target/release/myapp"));
    assert!(bytes_of(fs) < 30_000_000);
}

/// Cargo's failures stop the build with its message: no Cargo.toml where it runs.
#[test]
fn cargo_build_without_a_manifest_fails_the_step() {
    let out = build_in(
        &mut Store::new(),
        "FROM rust:1.83-slim\nWORKDIR /app\nCOPY src ./src\nRUN cargo build --release\n",
        &context_of(&[("src/main.rs", MAIN_RS)]),
    );
    let error = out.error.expect("cargo fails");
    assert!(
        error
            .message
            .contains("error: could not find `Cargo.toml` in `/app` or any parent directory"),
        "{}",
        error.message
    );
    assert!(error.message.contains("101"), "{}", error.message);
}

/// The instructions a build ran, as its step list shows them.
pub(crate) fn step_list(out: &BuildOutcome) -> Vec<String> {
    out.steps.iter().map(|s| s.instruction.clone()).collect()
}

/// Docker's Compose getting-started Dockerfile (python:3.10-alpine, gcc and the
/// headers from apk, flask and redis from pip), with a last step that shows the
/// interpreter and `pip list`'s table.
#[test]
fn the_compose_getting_started_dockerfile_builds() {
    let dockerfile = "# syntax=docker/dockerfile:1\nFROM python:3.10-alpine\nWORKDIR /code\nENV FLASK_APP=app.py\nENV FLASK_RUN_HOST=0.0.0.0\nRUN apk add --no-cache gcc musl-dev linux-headers\nCOPY requirements.txt requirements.txt\nRUN pip install -r requirements.txt\nEXPOSE 5000\nCOPY . .\nRUN python --version && pip list\nCMD [\"flask\", \"run\", \"--debug\"]\n";
    let files = [
        ("requirements.txt", "flask\nredis\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ];
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    assert_eq!(
        step_list(&out),
        [
            "FROM python:3.10-alpine",
            "WORKDIR /code",
            "ENV FLASK_APP=app.py",
            "ENV FLASK_RUN_HOST=0.0.0.0",
            "RUN apk add --no-cache gcc musl-dev linux-headers",
            "COPY requirements.txt requirements.txt",
            "RUN pip install -r requirements.txt",
            "EXPOSE 5000",
            "COPY . .",
            "RUN python --version && pip list",
            "CMD [\"flask\", \"run\", \"--debug\"]",
        ]
    );
    // pip list's table: the widest name (itsdangerous) sets the first column.
    log_has(
        &out,
        &[
            "Python 3.10.16",
            "Package      Version\n",
            "------------ -------\n",
            "flask        3.0.2\n",
            "pip          23.0.1\n",
            "redis        5.0.1\n",
            "setuptools   65.5.1\n",
            "wheel        0.45.1\n",
        ],
    );
}

/// Docker's Python guide: the version comes from an ARG (3.11.4, a patch below the
/// modelled 3.11.11), `adduser` makes the service user, and pip runs with a cache
/// mount and the requirements bind-mounted.
#[test]
fn the_python_guide_dockerfile_builds_on_a_patch_level_tag() {
    let dockerfile = "# syntax=docker/dockerfile:1\n\nARG PYTHON_VERSION=3.11.4\nFROM python:${PYTHON_VERSION}-slim as base\n\nENV PYTHONDONTWRITEBYTECODE=1\nENV PYTHONUNBUFFERED=1\n\nWORKDIR /app\n\nARG UID=10001\nRUN adduser \\\n    --disabled-password \\\n    --gecos \"\" \\\n    --home \"/nonexistent\" \\\n    --shell \"/sbin/nologin\" \\\n    --no-create-home \\\n    --uid \"${UID}\" \\\n    appuser\n\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    --mount=type=bind,source=requirements.txt,target=requirements.txt \\\n    python -m pip install -r requirements.txt && python --version\n\nUSER appuser\n\nCOPY . .\n\nEXPOSE 8000\n\nCMD python3 -m uvicorn app:app --host=0.0.0.0 --port=8000\n";
    let files = [
        ("requirements.txt", "fastapi\nuvicorn\n"),
        ("app.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
    ];
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&files));
    assert_built(&out);
    let steps = step_list(&out);
    assert_eq!(steps[0], "FROM python:${PYTHON_VERSION}-slim as base");
    assert_eq!(steps.len(), 11, "{steps:?}");
    // bookworm's adduser 3.134 says what it does, in its own words.
    log_has(
        &out,
        &[
            "Python 3.11.4",
            "Adding user `appuser' ...",
            "Adding new group `appuser' (10001) ...",
            "Adding new user `appuser' (10001) with group `appuser (10001)' ...",
            "Not creating `/nonexistent'.",
        ],
    );
    let last = &out.steps.last().unwrap().fs;
    let passwd = last.read_file("/etc/passwd").unwrap().bytes().into_owned();
    let passwd = String::from_utf8(passwd).unwrap();
    assert!(
        passwd.contains("appuser:x:10001:10001::/nonexistent:/sbin/nologin\n"),
        "{passwd}"
    );
    assert!(!last.exists("/nonexistent"));
    // pip's layer has the packages, but neither the bind-mounted file nor the cache.
    let pip = &out.steps[6].fs;
    assert!(pip.exists("/usr/local/lib/python3.11/site-packages/fastapi"));
    assert!(!pip.exists("/app/requirements.txt"));
    assert!(pip.walk("/root/.cache").map_or(true, |e| e.is_empty()));
    let status = last
        .read_file("/var/lib/dpkg/status")
        .unwrap()
        .bytes()
        .into_owned();
    assert!(String::from_utf8(status)
        .unwrap()
        .contains("Package: adduser\n"));
    let image = &store.image(&out.image_id.unwrap()).unwrap().image;
    assert!(image
        .config
        .env
        .contains(&"PYTHON_VERSION=3.11.4".to_string()));
    assert_eq!(image.config.user, "appuser");
}

/// Docker's Go guide on each old Go minor it has used: `go mod download`, then a
/// static build that writes /docker-gs-ping.
#[test]
fn the_go_guide_dockerfile_builds_on_go_1_19_to_1_21() {
    let go_mod = "module github.com/docker/docker-gs-ping\n\ngo 1.19\n\nrequire github.com/labstack/echo/v4 v4.10.2\n";
    let go_sum = "github.com/labstack/echo/v4 v4.10.2 h1:n1jAhnq/elIFTHr1EYpiYtyKgx4RW9ccVgkqByZaN2o=\ngithub.com/labstack/echo/v4 v4.10.2/go.mod h1:OEyqf2//K1DFdE57vw2DRgWY0M7s65IVQO2FzvI4J5k=\n";
    let main_go = "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/labstack/echo/v4\"\n)\n\nfunc main() {\n\te := echo.New()\n\te.GET(\"/\", func(c echo.Context) error {\n\t\treturn c.HTML(http.StatusOK, \"Hello, Docker!\")\n\t})\n\te.Logger.Fatal(e.Start(\":8080\"))\n}\n";
    let files = [("go.mod", go_mod), ("go.sum", go_sum), ("main.go", main_go)];
    for (minor, version) in [
        ("1.19", "1.19.13"),
        ("1.20", "1.20.14"),
        ("1.21", "1.21.13"),
    ] {
        let dockerfile = format!("# syntax=docker/dockerfile:1\n\nFROM golang:{minor}\n\nWORKDIR /app\n\nCOPY go.mod go.sum ./\nRUN go mod download\n\nCOPY *.go ./\n\nRUN CGO_ENABLED=0 GOOS=linux go build -o /docker-gs-ping && go version\n\nEXPOSE 8080\n\nCMD [\"/docker-gs-ping\"]\n");
        let out = build_in(&mut Store::new(), &dockerfile, &context_of(&files));
        assert!(
            out.error.is_none(),
            "{minor}: {:?}\n{}",
            out.error,
            out.log.join("\n")
        );
        assert_eq!(
            step_list(&out),
            [
                format!("FROM golang:{minor}").as_str(),
                "WORKDIR /app",
                "COPY go.mod go.sum ./",
                "RUN go mod download",
                "COPY *.go ./",
                "RUN CGO_ENABLED=0 GOOS=linux go build -o /docker-gs-ping && go version",
                "EXPOSE 8080",
                "CMD [\"/docker-gs-ping\"]",
            ]
        );
        log_has(&out, &[&format!("go version go{version} linux/amd64")]);
        let last = &out.steps.last().unwrap().fs;
        let binary = last.stat("/docker-gs-ping").unwrap();
        assert_eq!(binary.meta.mode, 0o755, "{minor}");
        assert!(binary.size() > 1_000_000, "{minor}");
        assert!(last.exists("/go/pkg/mod/github.com/labstack/echo/v4@v4.10.2"));
    }
}

/// Docker's Node guide: `node:${NODE_VERSION}-alpine` with 18.0.0, a patch far
/// below the modelled 18.20.8, and `npm ci` with bind and cache mounts; node and
/// npm report the image's versions.
#[test]
fn the_node_guide_dockerfile_builds_on_a_patch_level_tag() {
    let package = r#"{"name":"docker-nodejs-sample","version":"1.0.0","main":"src/index.js","dependencies":{"express":"^4.18.2"}}"#;
    let lock = r#"{"name":"docker-nodejs-sample","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"docker-nodejs-sample","version":"1.0.0","dependencies":{"express":"^4.18.2"}},"node_modules/express":{"version":"4.18.2"}}}"#;
    let files = [
        ("package.json", package),
        ("package-lock.json", lock),
        ("src/index.js", "const express = require('express');\n"),
    ];
    let dockerfile = "# syntax=docker/dockerfile:1\n\nARG NODE_VERSION=18.0.0\n\nFROM node:${NODE_VERSION}-alpine\n\nENV NODE_ENV production\n\nWORKDIR /usr/src/app\n\nRUN --mount=type=bind,source=package.json,target=package.json \\\n    --mount=type=bind,source=package-lock.json,target=package-lock.json \\\n    --mount=type=cache,target=/root/.npm \\\n    npm ci --omit=dev && node --version && npm --version\n\nUSER node\n\nCOPY . .\n\nEXPOSE 3000\n\nCMD node src/index.js\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    assert_eq!(step_list(&out).len(), 8);
    assert_eq!(out.steps[0].instruction, "FROM node:${NODE_VERSION}-alpine");
    log_has(&out, &["v18.0.0", "10.8.2"]);
    let last = &out.steps.last().unwrap().fs;
    assert!(last.exists("/usr/src/app/node_modules/express/package.json"));
    assert!(last.exists("/usr/src/app/src/index.js"));
}

/// A bind mount shows its source at the target while the command runs and leaves
/// nothing behind; a file it covers comes back; other files of the context mount too.
#[test]
fn a_bind_mount_shows_context_files_for_one_command() {
    let dockerfile = "FROM alpine:3.21\nWORKDIR /app\nRUN echo old > note.txt\nRUN --mount=type=bind,source=note.txt,target=note.txt --mount=type=bind,source=conf,target=/etc/conf cat note.txt /etc/conf/app.ini\n";
    let files = [
        ("note.txt", "from the context\n"),
        ("conf/app.ini", "[app]\n"),
    ];
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(&out, &["from the context", "[app]"]);
    let last = &out.steps.last().unwrap().fs;
    let note = last
        .read_file("/app/note.txt")
        .unwrap()
        .bytes()
        .into_owned();
    assert_eq!(note, b"old\n");
    assert!(!last.exists("/etc/conf"));
}

/// Docker's Go guide (docker-gs-ping), its `Dockerfile.multistage` as written with
/// a current golang: the release stage is distroless, runs as nonroot and holds
/// the one static binary beside the distroless files, no shell, no Go.
#[test]
fn dockers_go_guide_ends_on_distroless_base_as_nonroot() {
    let dockerfile = "# syntax=docker/dockerfile:1\n\n\
# Build the application from source\n\
FROM golang:1.23 AS build-stage\n\n\
WORKDIR /app\n\n\
COPY go.mod go.sum ./\n\
RUN go mod download\n\n\
COPY *.go ./\n\n\
RUN CGO_ENABLED=0 GOOS=linux go build -o /docker-gs-ping\n\n\
# Run the tests in the container\n\
FROM build-stage AS run-test-stage\n\
RUN go test -v ./...\n\n\
# Deploy the application binary into a lean image\n\
FROM gcr.io/distroless/base-debian11 AS build-release-stage\n\n\
WORKDIR /\n\n\
COPY --from=build-stage /docker-gs-ping /docker-gs-ping\n\n\
EXPOSE 8080\n\n\
USER nonroot:nonroot\n\n\
ENTRYPOINT [\"/docker-gs-ping\"]\n";
    let main_go = "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\n\t\"github.com/labstack/echo/v4\"\n\t\"github.com/labstack/echo/v4/middleware\"\n)\n\nfunc main() {\n\te := echo.New()\n\te.Use(middleware.Logger())\n\te.GET(\"/\", func(c echo.Context) error {\n\t\treturn c.HTML(http.StatusOK, \"Hello, Docker! <3\")\n\t})\n\thttpPort := os.Getenv(\"PORT\")\n\tif httpPort == \"\" {\n\t\thttpPort = \"8080\"\n\t}\n\te.Logger.Fatal(e.Start(\":\" + httpPort))\n}\n";
    let files = [
        (
            "go.mod",
            "module github.com/docker/docker-gs-ping\n\ngo 1.19\n\nrequire github.com/labstack/echo/v4 v4.10.2\n",
        ),
        ("go.sum", "github.com/labstack/echo/v4 v4.10.2 h1:n1jAhnq/elIFTHr1EYpiYtyKgx4RW9ccVgkqByZaN2I=\n"),
        ("main.go", main_go),
    ];
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&files));
    assert_built(&out);
    // The gcr.io name is pulled as written, not as a Docker Hub library image.
    log_has(&out, &["FROM gcr.io/distroless/base-debian11:latest"]);
    assert!(!out.log.join("\n").contains("docker.io/library/gcr.io"));
    let image = &store.image(&out.image_id.unwrap()).unwrap().image;
    assert_eq!(image.config.user, "nonroot:nonroot");
    assert_eq!(image.config.entrypoint, ["/docker-gs-ping"]);
    assert!(image.config.exposed_ports.contains("8080/tcp"));
    assert_eq!(image.config.working_dir, "/");
    assert!(image
        .config
        .env
        .contains(&"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt".to_string()));
    let made: Vec<&str> = image
        .history
        .iter()
        .map(|h| h.created_by.as_str())
        .collect();
    assert_eq!(
        made,
        [
            "bazel build ...",
            "bazel build ...",
            "bazel build ...",
            "WORKDIR /",
            "COPY /docker-gs-ping /docker-gs-ping # buildkit",
            "EXPOSE [8080/tcp]",
            "USER nonroot:nonroot",
            "ENTRYPOINT [\"/docker-gs-ping\"]",
        ]
    );
    let fs = &out.steps.last().unwrap().fs;
    let binary = fs.stat("/docker-gs-ping").unwrap();
    assert_eq!(binary.meta.mode, 0o755);
    for gone in ["/bin/sh", "/usr/local/go", "/go", "/app", "/usr/bin/dpkg"] {
        assert!(fs.lstat(gone).is_err(), "{gone} is in the release image");
    }
    assert!(fs.stat("/var/lib/dpkg/status.d/libssl1.1").is_ok());
    // Small: the distroless files and the binary, against a golang image of ~800 MB.
    let bytes: u64 = fs
        .walk("/")
        .unwrap()
        .iter()
        .filter(|e| e.link_to.is_none())
        .map(|e| e.stat.size())
        .sum();
    assert!(
        (20_000_000..50_000_000).contains(&bytes),
        "{bytes} bytes in the release image"
    );
    // Its container runs the binary as nonroot; there is no shell to exec into.
    let mut c = layerlab::container::Container::create(
        &store,
        &out.image_id.unwrap(),
        &layerlab::container::RunArgs::default(),
        0,
        layerlab::container::ContainerOptions::default(),
    )
    .unwrap();
    assert_eq!(c.process().unwrap(), ["/docker-gs-ping"]);
    assert_eq!(c.start().unwrap().exit_code, 0);
    let shell = c.exec("ls /");
    assert_eq!(shell.exit_code, 127);
    assert!(
        shell.stderr.starts_with("unable to start container process: exec: \"/bin/sh\": stat /bin/sh: no such file or directory\nhint: this image has no shell"),
        "{}",
        shell.stderr
    );
}

/// A static Go binary on `static-debian12:nonroot`; a RUN there fails as BuildKit
/// fails when runc finds no /bin/sh, and debug's busybox shell needs SHELL.
#[test]
fn distroless_static_nonroot_runs_a_static_binary_and_has_no_shell_for_run() {
    let files = [("go.mod", GO_MOD), ("main.go", HELLO_GO)];
    let build = "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/hello .\n\n";
    let dockerfile = format!(
        "{build}FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/hello /hello\nENTRYPOINT [\"/hello\"]\n"
    );
    let mut store = Store::new();
    let out = build_in(&mut store, &dockerfile, &context_of(&files));
    assert!(out.error.is_none(), "{:?}", out.error);
    log_has(&out, &["FROM gcr.io/distroless/static-debian12:nonroot"]);
    let image = &store.image(&out.image_id.unwrap()).unwrap().image;
    assert_eq!(image.config.user, "65532");
    assert_eq!(image.config.working_dir, "/home/nonroot");
    assert_eq!(image.author, "Bazel");
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs.stat("/hello").is_ok());
    assert!(
        fs.stat("/lib/x86_64-linux-gnu").is_err(),
        "static has no libc"
    );
    let bytes: u64 = fs
        .walk("/")
        .unwrap()
        .iter()
        .filter(|e| e.link_to.is_none())
        .map(|e| e.stat.size())
        .sum();
    assert!(bytes < 8_000_000, "{bytes} bytes");

    let no_shell = format!(
        "{build}FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/hello /hello\nRUN chmod +x /hello\n"
    );
    let out = build_in(&mut Store::new(), &no_shell, &context_of(&files));
    let error = out.error.expect("no /bin/sh in distroless");
    assert_eq!(error.line, Some(8));
    assert!(
        error.message.starts_with(
            "process \"/bin/sh -c chmod +x /hello\" did not complete successfully: exit code: 1\n\
             runc run failed: unable to start container process: exec: \"/bin/sh\": stat /bin/sh: no such file or directory\n\
             hint: this image has no `/bin/sh`"
        ),
        "{}",
        error.message
    );

    // :debug has busybox's shell, but not at /bin/sh: RUN needs SHELL first.
    let debug = "FROM gcr.io/distroless/base-debian12:debug\nRUN echo hi\n";
    let error = build_in(&mut Store::new(), debug, &context_of(&[]))
        .error
        .expect("no /bin/sh in debug either");
    assert_eq!(error.line, Some(2));
    // USER nonroot is the image's own /etc/passwd entry.
    let debug = "FROM gcr.io/distroless/base-debian12:debug\nSHELL [\"/busybox/sh\", \"-c\"]\nUSER nonroot\nRUN echo hi > /tmp/greeting && id\n";
    let out = build_in(&mut Store::new(), debug, &context_of(&[]));
    assert_built(&out);
    log_has(&out, &["uid=65532(nonroot) gid=65532(nonroot)"]);
    let greeting = out.steps.last().unwrap().fs.stat("/tmp/greeting").unwrap();
    assert_eq!((greeting.meta.uid, greeting.meta.gid), (65532, 65532));
}

/// runc cannot start a program that is not in the image: BuildKit's exit code 1,
/// runc's line, and a hint that fits what is missing (the shell, SHELL's program,
/// or the program an exec-form RUN names).
#[test]
fn a_run_whose_program_is_missing_fails_as_runc_does() {
    let error = |dockerfile: &str| {
        build_in(&mut Store::new(), dockerfile, &context_of(&[]))
            .error
            .expect("fails")
            .message
    };
    let scratch = error("FROM scratch\nRUN echo hi\n");
    assert!(scratch.starts_with("process \"/bin/sh -c echo hi\" did not complete successfully: exit code: 1\nrunc run failed: unable to start container process: exec: \"/bin/sh\": stat /bin/sh: no such file or directory\nhint: this image has no `/bin/sh`"), "{scratch}");
    let bash = error("FROM alpine:3.21\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo hi\n");
    assert!(bash.contains("exec: \"/bin/bash\": stat /bin/bash: no such file or directory\nhint: SHELL names `/bin/bash`"), "{bash}");
    let exec = error("FROM gcr.io/distroless/static-debian12\nRUN [\"/app\", \"--migrate\"]\n");
    assert!(
        exec.starts_with(
            "process \"/app --migrate\" did not complete successfully: exit code: 1\n"
        ),
        "{exec}"
    );
    assert!(exec.ends_with("hint: this image has no `/app`: COPY it into the image first, or run it in a stage whose image has it"), "{exec}");
}

/// distroless's own Python example (examples/python3-requirements): a venv built
/// on debian:12-slim is copied onto `python3-debian12`, whose Python (Debian's
/// 3.11, as its status.d records) the venv's `python3` link reaches.
#[test]
fn distroless_python3_runs_a_venv_built_on_debian() {
    let dockerfile = "FROM debian:12-slim AS build\n\
RUN apt-get update && \\\n    apt-get install --no-install-suggests --no-install-recommends --yes python3-venv gcc libpython3-dev && \\\n    python3 -m venv /venv && \\\n    /venv/bin/pip install --upgrade pip setuptools wheel\n\n\
FROM build AS build-venv\n\
COPY requirements.txt /requirements.txt\n\
RUN /venv/bin/pip install --disable-pip-version-check -r /requirements.txt\n\n\
FROM gcr.io/distroless/python3-debian12\n\
COPY --from=build-venv /venv /venv\n\
COPY . /app\n\
WORKDIR /app\n\
ENTRYPOINT [\"/venv/bin/python3\", \"psutil_example.py\"]\n";
    let files = [
        ("requirements.txt", "psutil\n"),
        (
            "psutil_example.py",
            "import psutil\nprint(psutil.cpu_count())\n",
        ),
    ];
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&files));
    assert_built(&out);
    let id = out.image_id.unwrap();
    let image = &store.image(&id).unwrap().image;
    assert_eq!(
        image.config.entrypoint,
        ["/venv/bin/python3", "psutil_example.py"]
    );
    assert!(image.config.env.contains(&"LANG=C.UTF-8".to_string()));
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs
        .read_dir("/venv/lib/python3.11/site-packages")
        .unwrap()
        .iter()
        .any(|(name, _)| name == "psutil"));
    assert_eq!(
        fs.canonicalize("/venv/bin/python3").as_deref(),
        Ok("/usr/bin/python3.11")
    );
    assert!(fs.lstat("/bin/sh").is_err() && fs.lstat("/usr/bin/gcc").is_err());
    let args = layerlab::container::RunArgs {
        command: vec!["--version".to_string()],
        entrypoint: Some("/venv/bin/python3".to_string()),
    };
    let mut c = layerlab::container::Container::create(
        &store,
        &id,
        &args,
        0,
        layerlab::container::ContainerOptions::default(),
    )
    .unwrap();
    assert_eq!(c.start().unwrap().stdout, "Python 3.11.2\n");
}

/// The Alpine idiom `addgroup -S app && adduser -S app -G app` gives the ids
/// BusyBox gives in the real image (the lowest free system ids: uid 100, and gid
/// 101 because `users` has 100), the user listed in its group, a setgid home, and
/// /bin/false for a system account; `adduser -S` alone joins nogroup.
#[test]
fn alpine_system_accounts_get_busybox_s_ids() {
    let dockerfile =
        "FROM alpine:3.20\nRUN addgroup -S app && adduser -S app -G app && adduser -S -D -H svc\n";
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&[]));
    assert_built(&out);
    let fs = &out.steps.last().unwrap().fs;
    let text = |p: &str| String::from_utf8(fs.read_file(p).unwrap().bytes().into_owned()).unwrap();
    let passwd = text("/etc/passwd");
    assert!(
        passwd.contains("app:x:100:101:Linux User,,,:/home/app:/bin/false\n")
            && passwd.contains("svc:x:101:65533:Linux User,,,:/home/svc:/bin/false\n"),
        "{passwd}"
    );
    let group = text("/etc/group");
    assert!(
        group.contains("app:x:101:app\n") && group.contains("nogroup:x:65533:svc\n"),
        "{group}"
    );
    assert_eq!(fs.stat("/home/app").unwrap().meta.mode, 0o2755);
    assert!(!fs.exists("/home/svc"));
}

/// Docker's getting-started app: `yarn install --production` with the app's
/// yarn.lock installs the locked versions without the dev dependencies, saves no
/// new lock file, and leaves yarn's cache in the layer (the size lesson of
/// `yarn cache clean`).
#[test]
fn the_getting_started_app_installs_with_yarn() {
    let package = r#"{"name":"101-app","version":"1.0.0","main":"index.js","scripts":{"dev":"nodemon src/index.js"},"dependencies":{"express":"^4.18.2","uuid":"^9.0.0"},"devDependencies":{"jest":"^29.7.0","nodemon":"^3.0.3"}}"#;
    let lock = "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\nexpress@^4.18.2:\n  version \"4.18.2\"\n\njest@^29.7.0:\n  version \"29.7.0\"\n\nnodemon@^3.0.3:\n  version \"3.0.3\"\n\nuuid@^9.0.0:\n  version \"9.0.1\"\n";
    let dockerfile = "# syntax=docker/dockerfile:1\nFROM node:lts-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install --production\nCMD [\"node\", \"src/index.js\"]\nEXPOSE 3000\n";
    let files = [
        ("package.json", package),
        ("yarn.lock", lock),
        ("src/index.js", "console.log('ready')\n"),
    ];
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "yarn install v1.22.22",
            "[1/4] Resolving packages...",
            "[4/4] Building fresh packages...",
            "Done in",
        ],
    );
    assert!(!out.log.join("\n").contains("Saved lockfile"));
    let fs = &out.steps.last().unwrap().fs;
    let version = |name: &str| {
        let pj = fs
            .read_file(&format!("/app/node_modules/{name}/package.json"))
            .unwrap()
            .bytes()
            .into_owned();
        let pj: serde_json::Value = serde_json::from_slice(&pj).unwrap();
        pj["version"].as_str().unwrap().to_string()
    };
    assert_eq!(version("uuid"), "9.0.1");
    assert_eq!(version("express"), "4.18.2");
    assert!(!fs.exists("/app/node_modules/jest") && !fs.exists("/app/node_modules/nodemon"));
    assert!(fs.exists("/app/node_modules/.yarn-integrity"));
    let cached = fs.walk("/usr/local/share/.cache/yarn/v6").unwrap();
    assert!(cached
        .iter()
        .any(|e| e.path.contains("npm-express-4.18.2-")));
}

/// yarn's own answers: `--frozen-lockfile` refuses an outdated lock file, `add`
/// saves the package and the lock, scripts run with `$ COMMAND` (also as
/// `yarn NAME`), an unknown one is yarn's error, and `yarn cache clean` in the
/// same RUN keeps the cache out of the layer.
#[test]
fn yarn_answers_in_its_own_words() {
    let package = r#"{"name":"web","version":"1.0.0","scripts":{"greet":"echo hello","prebuild":"echo before","build":"tsc"},"dependencies":{"express":"^4.18.2"},"devDependencies":{"typescript":"^5.3.3"}}"#;
    let lock = "# yarn lockfile v1\n\n\nexpress@^4.18.2:\n  version \"4.18.2\"\n";
    let files = [("package.json", package), ("yarn.lock", lock)];
    let run = |script: &str| {
        build_in(
            &mut Store::new(),
            &format!("FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN {script}\n"),
            &context_of(&files),
        )
    };
    let out = run("yarn install --frozen-lockfile");
    let error = out.error.unwrap().message;
    assert!(
        error.contains(
            "error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`."
        ),
        "{error}"
    );
    let out = run("yarn add -D lodash@4.17.21 && yarn greet && yarn build && yarn cache clean && grep -c lodash yarn.lock package.json");
    assert_built(&out);
    log_has(
        &out,
        &[
            "yarn add v1.22.22",
            "success Saved lockfile.",
            "info Direct dependencies",
            "└─ lodash@4.17.21",
            "$ echo hello",
            "hello",
            "$ echo before",
            "$ tsc",
            "success Cleared cache.",
            "yarn.lock:2",
            "package.json:1",
        ],
    );
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs.exists("/app/node_modules/lodash/index.js"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs.read_file("/app/package.json").unwrap().bytes()).unwrap();
    assert_eq!(manifest["devDependencies"]["lodash"], "^4.17.21");
    assert_eq!(
        fs.read_dir("/usr/local/share/.cache/yarn/v6")
            .map(|e| e.len()),
        Ok(0)
    );
    let out = run("yarn lint");
    let error = out.error.unwrap().message;
    assert!(
        error.contains("error Command \"lint\" not found."),
        "{error}"
    );
}

/// Next.js's own Dockerfile (with-docker), pnpm branch: the empty `yarn.lock*`
/// and `package-lock.json*` wildcards copy nothing, `corepack enable pnpm`
/// provides pnpm, which installs from the lock file into `.pnpm` with files
/// hard-linked from its store, `next build` writes the standalone server for
/// `output: 'standalone'`, and the runner's system user joins Alpine's nogroup.
#[test]
fn the_next_js_dockerfile_builds_with_pnpm() {
    let package = r#"{"name":"nextapp","version":"0.1.0","private":true,"scripts":{"build":"next build","start":"next start"},"dependencies":{"next":"14.1.0","react":"^18.2.0","react-dom":"^18.2.0"}}"#;
    let lock = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n      next:\n        specifier: 14.1.0\n        version: 14.1.0(react-dom@18.2.0(react@18.2.0))(react@18.2.0)\n      react:\n        specifier: ^18.2.0\n        version: 18.2.0\n      react-dom:\n        specifier: ^18.2.0\n        version: 18.2.0(react@18.2.0)\n";
    let dockerfile = "FROM node:18-alpine AS base\n\nFROM base AS deps\nRUN apk add --no-cache libc6-compat\nWORKDIR /app\nCOPY package.json yarn.lock* package-lock.json* pnpm-lock.yaml* ./\nRUN \\\n  if [ -f yarn.lock ]; then yarn --frozen-lockfile; \\\n  elif [ -f package-lock.json ]; then npm ci; \\\n  elif [ -f pnpm-lock.yaml ]; then corepack enable pnpm && pnpm i --frozen-lockfile; \\\n  else echo \"Lockfile not found.\" && exit 1; \\\n  fi\n\nFROM base AS builder\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nENV NEXT_TELEMETRY_DISABLED=1\nRUN \\\n  if [ -f yarn.lock ]; then yarn run build; \\\n  elif [ -f package-lock.json ]; then npm run build; \\\n  elif [ -f pnpm-lock.yaml ]; then corepack enable pnpm && pnpm run build; \\\n  else echo \"Lockfile not found.\" && exit 1; \\\n  fi\n\nFROM base AS runner\nWORKDIR /app\nENV NODE_ENV=production\nRUN addgroup --system --gid 1001 nodejs\nRUN adduser --system --uid 1001 nextjs\nCOPY --from=builder /app/public ./public\nRUN mkdir .next\nRUN chown nextjs:nodejs .next\nCOPY --from=builder --chown=nextjs:nodejs /app/.next/standalone ./\nCOPY --from=builder --chown=nextjs:nodejs /app/.next/static ./.next/static\nUSER nextjs\nEXPOSE 3000\nENV PORT=3000\nCMD [\"node\", \"server.js\"]\n";
    let files = [
        ("package.json", package),
        ("pnpm-lock.yaml", lock),
        (
            "next.config.js",
            "module.exports = {\n  output: 'standalone',\n}\n",
        ),
        (
            "app/page.js",
            "export default function Page() { return 'hi' }\n",
        ),
        ("public/robots.txt", "User-agent: *\n"),
    ];
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "! Corepack is about to download https://registry.npmjs.org/pnpm/-/pnpm-9.15.4.tgz",
            "Lockfile is up to date, resolution step is skipped",
            "+ next 14.1.0",
            "> nextapp@0.1.0 build /app",
            "▲ Next.js 14.1.0",
        ],
    );
    assert!(out.advice.is_empty(), "{:?}", out.advice);
    let deps = out
        .steps
        .iter()
        .find(|s| s.instruction.contains("pnpm i --frozen-lockfile"))
        .unwrap();
    let fs = &deps.fs;
    assert_eq!(
        fs.read_link("/app/node_modules/next").unwrap(),
        ".pnpm/next@14.1.0/node_modules/next"
    );
    let file = "/app/node_modules/.pnpm/react@18.2.0/node_modules/react/index.js";
    assert!(
        fs.lstat(file).unwrap().inode.is_some(),
        "hard-linked from the store"
    );
    assert!(!fs.exists("/app/node_modules/loose-envify"), "not hoisted");
    let last = &out.steps.last().unwrap().fs;
    let server = last.lstat("/app/server.js").unwrap();
    assert_eq!((server.meta.uid, server.meta.gid), (1001, 1001));
    assert!(last.exists("/app/node_modules/next") && last.exists("/app/public/robots.txt"));
    assert!(last.exists("/app/.next/BUILD_ID") && last.exists("/app/.next/static"));
    let passwd =
        String::from_utf8(last.read_file("/etc/passwd").unwrap().bytes().into_owned()).unwrap();
    assert!(passwd.contains("nextjs:x:1001:65533:"), "{passwd}");
}

/// pnpm's answers: a missing or outdated lock file under `--frozen-lockfile`,
/// a missing script, and `pnpm add` saving the package and the lock file.
#[test]
fn pnpm_answers_in_its_own_words() {
    let package = r#"{"name":"web","version":"1.0.0","scripts":{"greet":"echo hello"},"dependencies":{"express":"^4.18.2"}}"#;
    let run = |files: &[(&str, &str)], script: &str| {
        build_in(
            &mut Store::new(),
            &format!(
                "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN corepack enable && {script}\n"
            ),
            &context_of(files),
        )
    };
    let out = run(
        &[("package.json", package)],
        "pnpm install --frozen-lockfile",
    );
    let error = out.error.unwrap().message;
    assert!(
        error.contains("ERR_PNPM_NO_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml is absent"),
        "{error}"
    );
    let stale = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      express:\n        specifier: ^4.17.0\n        version: 4.17.0\n";
    let out = run(
        &[("package.json", package), ("pnpm-lock.yaml", stale)],
        "pnpm i --frozen-lockfile",
    );
    let error = out.error.unwrap().message;
    assert!(error.contains("ERR_PNPM_OUTDATED_LOCKFILE"), "{error}");
    let out = run(&[("package.json", package)], "pnpm add lodash@4.17.21 && pnpm greet && grep -c lodash package.json pnpm-lock.yaml && pnpm lint");
    let error = out.error.clone().unwrap().message;
    assert!(
        error.contains("ERR_PNPM_NO_SCRIPT  Missing script: lint"),
        "{error}"
    );
    log_has(
        &out,
        &[
            "+ express 4.18.2",
            "+ lodash 4.17.21",
            "> web@1.0.0 greet /app",
            "hello",
            "package.json:1",
        ],
    );
}

/// A C program built with make's built-in `$(CC)` on buildpack-deps and copied
/// into a slim image: gcc writes a placeholder executable that links what the
/// command line names (libm for `-lm`), so `ldd` in both images lists it; a
/// missing source fails as gcc does.
#[test]
fn a_c_program_compiles_and_links_what_it_names() {
    let files = [
        ("main.c", "#include <math.h>\n#include <stdio.h>\nint main(void) { printf(\"%f\\n\", sqrt(2)); return 0; }\n"),
        ("Makefile", "CFLAGS ?= -O2\nLDLIBS = -lm\nall: hello\nhello: main.c\n\t$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)\n"),
    ];
    let dockerfile = "FROM buildpack-deps:bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN make && gcc -c main.c && ls -l main.o hello | cut -c1-10\nFROM debian:bookworm-slim\nCOPY --from=build /src/hello /usr/local/bin/hello\nRUN ldd /usr/local/bin/hello\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "cc -O2 -o hello main.c -lm",
            "-rw-r--r--",
            "-rwxr-xr-x",
            "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6",
            "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6",
        ],
    );
    let out = build_in(
        &mut Store::new(),
        "FROM buildpack-deps:bookworm\nRUN gcc -o app app.c\n",
        &context_of(&files),
    );
    let error = out.error.unwrap().message;
    assert!(
        error.contains("gcc: error: app.c: No such file or directory\ngcc: fatal error: no input files\ncompilation terminated."),
        "{error}"
    );
}
