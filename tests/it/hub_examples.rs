//! The "How to use this image" examples of the official images' Docker Hub pages
//! and READMEs, as tutorial readers paste them: each builds, logs and lays out its
//! files as the real image and tools do.

use crate::build::{assert_built, build_in, context_of, log_has};
use crate::support::started;
use layerlab::container::RunArgs;
use layerlab::store::Store;

/// alpine's page: `apk add --no-cache mysql-client` and `ENTRYPOINT ["mysql"]`:
/// mysql-client is Alpine's dummy package for mariadb-client, which has the
/// `mysql` the container starts.
#[test]
fn alpine_mysql_client_installs_the_mysql_the_entrypoint_runs() {
    let dockerfile =
        "FROM alpine:3.21\nRUN apk add --no-cache mysql-client\nENTRYPOINT [\"mysql\"]\n";
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&[]));
    assert_built(&out);
    log_has(
        &out,
        &[
            "#4 (1/7) Installing mariadb-common (11.4.4-r1)",
            "#4 (6/7) Installing mariadb-client (11.4.4-r1)",
            "#4 (7/7) Installing mysql-client (11.4.4-r1)",
        ],
    );
    assert!(!out.log.join("\n").contains("placeholder (simulated)"));
    let image = out.image_id.unwrap();
    let (c, run) = started(&store, &image, &RunArgs::default());
    assert_eq!(run.exit_code, 0, "{run:?}");
    assert!(c.fs().exists("/usr/bin/mariadb"));
}

/// distroless's Python example installs `libpython3-dev`, a name the curated
/// index lacks: its placeholder is said once in the log, as a notice.
#[test]
fn a_placeholder_package_is_said_once() {
    let dockerfile = "FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-suggests --no-install-recommends --yes python3-venv libpython3-dev\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    log_has(&out, &["#4 layerlab: libpython3-dev is not in the simulated package archive; installed a placeholder (simulated)"]);
    let log = out.log.join("\n");
    assert_eq!(
        log.matches("is not in the simulated package archive")
            .count(),
        1,
        "{log}"
    );
    assert!(!log.contains("layerlab: layerlab:"), "{log}");
}

/// The vertex lines of a build log: `#N [...] INSTRUCTION` (the header's
/// `[internal]` ones left out).
fn vertices(out: &layerlab::builder::BuildOutcome) -> Vec<String> {
    out.log
        .iter()
        .filter(|l| l.starts_with('#') && l.contains(" [") && !l.contains("[internal]"))
        .filter(|l| {
            l.split_once(' ')
                .is_some_and(|(_, rest)| rest.starts_with('['))
        })
        .cloned()
        .collect()
}

/// node's page: `npm ci --omit=dev`, `USER node`. BuildKit counts the FROM and
/// the RUN, COPY, ADD and WORKDIR steps only (`[1/5]`), and metadata steps take
/// no vertex number.
#[test]
fn node_example_is_counted_as_buildkit_counts_steps() {
    let package = r#"{"name":"docker_web_app","version":"1.0.0","main":"server.js","dependencies":{"express":"^4.18.2"}}"#;
    let files = [
        ("package.json", package),
        ("package-lock.json", "{}\n"),
        ("server.js", "const express = require('express');\n"),
    ];
    let dockerfile = "FROM node:22-alpine\nENV NODE_ENV=production\nWORKDIR /home/node/app\nCOPY --chown=node:node package*.json ./\nUSER node\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY --chown=node:node . .\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    assert_eq!(
        vertices(&out),
        [
            "#3 [1/5] FROM docker.io/library/node:22-alpine",
            "#4 [2/5] WORKDIR /home/node/app",
            "#5 [3/5] COPY --chown=node:node package*.json ./",
            "#6 [4/5] RUN npm ci --omit=dev && npm cache clean --force",
            "#7 [5/5] COPY --chown=node:node . .",
        ]
    );
    log_has(&out, &["#8 exporting to image"]);
}

/// distroless's Python example: a stage FROM another stage shows no FROM vertex
/// and does not count it; ten or more steps pad the index (`[ 1/10]`).
#[test]
fn a_stage_from_a_stage_has_no_from_vertex_and_wide_totals_pad() {
    let dockerfile = "FROM debian:12-slim AS build\nRUN apt-get update && apt-get install --no-install-suggests --no-install-recommends --yes python3-venv && python3 -m venv /venv\n\nFROM build AS build-venv\nCOPY requirements.txt /requirements.txt\nRUN /venv/bin/pip install --disable-pip-version-check -r /requirements.txt\n\nFROM gcr.io/distroless/python3-debian12\nCOPY --from=build-venv /venv /venv\nCOPY . /app\nWORKDIR /app\nWORKDIR /app\nWORKDIR /app\nWORKDIR /app\nWORKDIR /app\nWORKDIR /app\nWORKDIR /app\nENTRYPOINT [\"/venv/bin/python3\", \"app.py\"]\n";
    let files = [("requirements.txt", "six\n"), ("app.py", "print(1)\n")];
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    let vertices = vertices(&out);
    assert_eq!(
        vertices[..6],
        [
            "#3 [build 1/2] FROM docker.io/library/debian:12-slim",
            "#4 [build 2/2] RUN apt-get update && apt-get install --no-install-suggests --no-install-recommends --yes python3-venv && python3 -m venv /venv",
            "#5 [build-venv 1/2] COPY requirements.txt /requirements.txt",
            "#6 [build-venv 2/2] RUN /venv/bin/pip install --disable-pip-version-check -r /requirements.txt",
            "#7 [stage-2  1/10] FROM gcr.io/distroless/python3-debian12:latest",
            "#8 [stage-2  2/10] COPY --from=build-venv /venv /venv",
        ]
    );
    assert_eq!(vertices.last().unwrap(), "#16 [stage-2 10/10] WORKDIR /app");
}

/// buildpack-deps: a C project's Makefile that leans on make's built-ins
/// (`hello: hello.c`, no recipe) runs `cc`, which is gcc through the
/// alternatives links gcc's postinst makes.
#[test]
fn buildpack_deps_makes_a_c_program_with_makes_built_in_rules() {
    let files = [
        (
            "hello.c",
            "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n",
        ),
        ("Makefile", "CFLAGS ?= -O2\nhello: hello.c\n"),
    ];
    let dockerfile = "FROM buildpack-deps:bookworm\nWORKDIR /usr/src/hello\nCOPY . .\nRUN make && readlink -f \"$(command -v cc)\" \"$(command -v c++)\"\nCMD [\"./hello\"]\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "#6 cc -O2    hello.c   -o hello",
            "#6 /usr/bin/x86_64-linux-gnu-gcc-12\n#6 /usr/bin/x86_64-linux-gnu-g++-12",
        ],
    );
}

/// nginx's page, "Using environment variables in nginx configuration": templates
/// under /etc/nginx/templates become /etc/nginx/conf.d files when the container
/// starts, with the variables the environment defines replaced and nginx's own
/// (`$uri`) kept; the entrypoint logs each script as the image's does.
#[test]
fn nginx_renders_its_templates_with_the_defined_variables_only() {
    let template = "server {\n    listen       ${NGINX_PORT};\n    server_name  ${NGINX_HOST};\n    location / {\n        try_files $uri $uri/ =404;\n    }\n}\n";
    let files = [("templates/default.conf.template", template)];
    for base in ["nginx", "nginx:1.27-alpine"] {
        let dockerfile = format!("FROM {base}\nCOPY templates /etc/nginx/templates\nENV NGINX_HOST=foobar.com\nENV NGINX_PORT=8080\n");
        let mut store = Store::new();
        let out = build_in(&mut store, &dockerfile, &context_of(&files));
        assert_built(&out);
        let image = out.image_id.unwrap();
        let (c, run) = started(&store, &image, &RunArgs::default());
        assert!(
            run.stdout.contains(
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
                 20-envsubst-on-templates.sh: Running envsubst on /etc/nginx/templates/default.conf.template to /etc/nginx/conf.d/default.conf\n"
            ) && run.stdout.ends_with("/docker-entrypoint.sh: Configuration complete; ready for start up\n"),
            "{base}: {run:?}"
        );
        let conf = c.fs().read_file("/etc/nginx/conf.d/default.conf").unwrap();
        assert_eq!(
            String::from_utf8(conf.bytes().into_owned()).unwrap(),
            template
                .replace("${NGINX_PORT}", "8080")
                .replace("${NGINX_HOST}", "foobar.com"),
            "{base}"
        );
    }
}

/// debian's page and docker-library's style: `set -eux` then apt-get. BuildKit's
/// log shows a terminal's interleaving: each `+` trace right before its output.
#[test]
fn debian_set_eux_traces_come_before_what_they_trace() {
    let dockerfile = "FROM debian:bookworm-slim\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y --no-install-recommends \\\n\t\tca-certificates \\\n\t\tcurl \\\n\t; \\\n\trm -rf /var/lib/apt/lists/*\nCMD [\"curl\", \"--version\"]\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    let log = out.log.join("\n");
    let at = |line: &str| {
        log.find(line)
            .unwrap_or_else(|| panic!("{line} is not in the log:\n{log}"))
    };
    assert!(
        at("#4 + apt-get update\n")
            < at("#4 Get:1 http://deb.debian.org/debian bookworm InRelease")
    );
    assert!(
        at("#4 Fetched ")
            < at("#4 + apt-get install -y --no-install-recommends ca-certificates curl\n")
    );
    assert!(
        at("#4 + apt-get install") < at("#4 The following NEW packages will be installed:"),
        "{log}"
    );
    assert!(at("#4 Setting up curl (") < at("#4 + rm -rf /var/lib/apt/lists/"));
    let fs = &out.steps.last().unwrap().fs;
    assert!(fs.exists("/usr/bin/curl"));
    assert!(fs.read_dir("/var/lib/apt/lists").unwrap().is_empty());
}

/// python's multi-stage recipe: `pip wheel` into /wheels on a slim builder, then
/// `pip install /wheels/*` in the final stage processes those files. A
/// manylinux wheel carried into an Alpine stage fails as pip fails there.
#[test]
fn python_wheels_built_in_one_stage_install_in_the_next() {
    let files = [
        ("requirements.txt", "flask==3.0.0\n"),
        ("app.py", "print('hi')\n"),
    ];
    let dockerfile = |last: &str| {
        format!("ARG PYTHON_VERSION=3.12\nFROM python:${{PYTHON_VERSION}}-slim AS builder\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n\nFROM python:${{PYTHON_VERSION}}-{last}\nWORKDIR /app\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache /wheels/* && rm -rf /wheels\nCOPY . .\nCMD [\"python\", \"app.py\"]\n")
    };
    let out = build_in(&mut Store::new(), &dockerfile("slim"), &context_of(&files));
    assert_built(&out);
    log_has(
        &out,
        &[
            "#6 Saved /wheels/flask-3.0.0-py3-none-any.whl",
            "#10 Processing /wheels/flask-3.0.0-py3-none-any.whl",
            "#10 Successfully installed ",
        ],
    );
    let builder = &out
        .steps
        .iter()
        .find(|s| s.instruction.starts_with("RUN pip wheel"))
        .unwrap()
        .fs;
    assert!(builder.read_dir("/wheels").unwrap().len() > 3);
    let last = &out.steps.last().unwrap().fs;
    assert!(last.exists("/usr/local/lib/python3.12/site-packages/flask-3.0.0.dist-info"));
    assert!(last.exists("/usr/local/lib/python3.12/site-packages/markupsafe"));
    assert!(!last.exists("/root/.cache/pip"));

    let out = build_in(
        &mut Store::new(),
        &dockerfile("alpine"),
        &context_of(&files),
    );
    let error = out
        .error
        .expect("a manylinux wheel does not install on musl");
    assert!(
        error.message.contains("-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl is not a supported wheel on this platform."),
        "{}",
        error.message
    );
}

/// node's best practice `USER node`: a RUN sees HOME as runc sets it, from the
/// user's /etc/passwd entry (root's is /root), unless ENV sets it.
#[test]
fn run_sees_the_users_home_as_runc_sets_it() {
    let dockerfile = "FROM node:20-slim\nRUN echo \"root home=$HOME\"\nUSER node\nWORKDIR /home/node/app\nRUN echo \"node home=$HOME\"\nUSER 4242\nRUN echo \"unknown home=$HOME\"\nENV HOME=/data\nRUN echo \"set home=$HOME\"\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    log_has(
        &out,
        &[
            "#4 root home=/root\n",
            "#6 node home=/home/node\n",
            "#7 unknown home=/\n",
            "#8 set home=/data\n",
        ],
    );
}

/// The other locales recipe of debian/ubuntu tutorials: uncomment the locale in
/// /etc/locale.gen, `dpkg-reconfigure locales` generates it, `update-locale`
/// records the default; `locale` then warns of nothing.
#[test]
fn debian_locales_by_dpkg_reconfigure_and_update_locale() {
    let dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends locales \\\n && sed -i -e 's/# en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen \\\n && dpkg-reconfigure --frontend=noninteractive locales \\\n && update-locale LANG=en_US.UTF-8 \\\n && rm -rf /var/lib/apt/lists/*\nENV LANG=en_US.UTF-8\nRUN locale 2>&1 | head -n 1 && locale -a\n";
    let out = build_in(&mut Store::new(), dockerfile, &context_of(&[]));
    assert_built(&out);
    log_has(
        &out,
        &[
            "#4 Generating locales (this might take a while)...\n#4   en_US.UTF-8... done\n#4 Generation complete.",
            "#5 LANG=en_US.UTF-8\n#5 C\n#5 C.utf8\n#5 POSIX\n#5 en_US.utf8\n",
        ],
    );
    let fs = &out.steps.last().unwrap().fs;
    let default = fs
        .read_file("/etc/default/locale")
        .unwrap()
        .bytes()
        .into_owned();
    assert_eq!(default, b"LANG=en_US.UTF-8\n");
}

/// distroless's Rust example: `CMD ["./hello-world-distroless"]` from `/`. The
/// container starts the program (not modelled: said with its clean path).
#[test]
fn distroless_cc_starts_a_relative_cmd_and_names_its_clean_path() {
    let files = [
        ("Cargo.toml", "[package]\nname = \"hello-world-distroless\"\nversion = \"0.1.0\"\nedition = \"2018\"\n"),
        ("src/main.rs", "fn main() { println!(\"hi\"); }\n"),
    ];
    let dockerfile = "FROM rust:1.83 as build-env\nWORKDIR /app\nCOPY . /app\nRUN cargo build --release\n\nFROM gcr.io/distroless/cc-debian12\nCOPY --from=build-env /app/target/release/hello-world-distroless /\nCMD [\"./hello-world-distroless\"]\n";
    let mut store = Store::new();
    let out = build_in(&mut store, dockerfile, &context_of(&files));
    assert_built(&out);
    let image = out.image_id.unwrap();
    let (_, run) = started(&store, &image, &RunArgs::default());
    assert_eq!(run.exit_code, 0, "{run:?}");
    assert!(
        run.warnings.iter().any(|w| w
            == "`hello-world-distroless` exists in the image (/hello-world-distroless) but layerlab does not model it; treated as success"),
        "{run:?}"
    );
}
