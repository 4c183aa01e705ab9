use super::*;
use crate::vfs::Kind;

fn image(name: &str) -> BaseImage {
    resolve(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn top(image: &BaseImage) -> &Vfs {
    &image.layers.last().expect("at least one layer").fs_after
}

fn text(vfs: &Vfs, path: &str) -> String {
    let blob = vfs.read_file(path).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(blob.bytes().into_owned()).expect("utf-8")
}

/// Bytes of regular files (hard links counted once), what `docker images` adds up.
fn total_size(vfs: &Vfs) -> u64 {
    vfs.walk("/")
        .expect("walk")
        .iter()
        .filter(|e| e.link_to.is_none())
        .map(|e| e.stat.size())
        .sum()
}

fn megabytes(image: &BaseImage) -> f64 {
    total_size(top(image)) as f64 / 1e6
}

fn assert_near(name: &str, real_mb: f64) {
    let got = megabytes(&image(name));
    assert!(
        (got - real_mb).abs() <= real_mb * 0.12,
        "{name}: {got:.1} MB, the real image has about {real_mb} MB"
    );
}

fn layer_count(name: &str) -> usize {
    let parsed = reference::parse(name).expect("reference");
    let recipe = images::lookup(&parsed.repository, &parsed.tag)
        .map(|f| f.recipe)
        .expect("in catalog");
    images::layer_count(&recipe)
}

#[test]
fn names_cover_the_required_images_and_are_all_simulated() {
    let all = names();
    let listed: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
    for name in [
        "scratch",
        "busybox:latest",
        "busybox:1.36",
        "alpine:3.20",
        "alpine:3.21",
        "alpine:latest",
        "debian:bookworm",
        "debian:bookworm-slim",
        "debian:12",
        "debian:12-slim",
        "debian:trixie",
        "debian:latest",
        "ubuntu:22.04",
        "ubuntu:jammy",
        "ubuntu:24.04",
        "ubuntu:noble",
        "ubuntu:latest",
        "python:3.12",
        "python:3.12-slim",
        "python:3.12-alpine",
        "python:3.13",
        "python:latest",
        "python:slim",
        "node:22",
        "node:20",
        "node:22-alpine",
        "node:22-slim",
        "node:lts",
        "node:latest",
        "golang:1.22",
        "golang:1.23",
        "golang:1.23-alpine",
        "golang:latest",
        "golang:1.19",
        "golang:1.20",
        "golang:1.21",
        "golang:1.21-alpine",
        "python:3.10",
        "python:3.10-slim",
        "python:3.10-alpine",
        "node:18",
        "node:18-slim",
        "node:18-alpine",
        "nginx:latest",
        "nginx:alpine",
        "httpd:2.4",
        "httpd:latest",
    ] {
        assert!(listed.contains(&name), "{name} missing from {listed:?}");
    }
    assert!(all.iter().all(|e| e.simulated && !e.description.is_empty()));
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
}

#[test]
fn every_tag_has_a_recipe() {
    for entry in names() {
        let parsed = reference::parse(&entry.name).expect("reference");
        assert!(
            images::lookup(&parsed.repository, &parsed.tag)
                .map(|f| f.recipe)
                .is_some(),
            "{}",
            entry.name
        );
    }
}

#[test]
fn layer_counts_follow_the_official_dockerfiles() {
    for (name, layers) in [
        ("scratch", 0),
        ("busybox:1.36", 1),
        ("alpine:3.21", 1),
        ("debian:bookworm", 1),
        ("debian:bookworm-slim", 1),
        ("ubuntu:24.04", 1),
        ("ubuntu:22.04", 1),
        ("buildpack-deps:bookworm-curl", 2),
        ("buildpack-deps:bookworm-scm", 3),
        ("buildpack-deps:bookworm", 4),
        // debian-slim's 1, then ca-certificates, the build, the symlinks.
        ("python:3.12-slim", 4),
        ("python:3.12-alpine", 4),
        ("python:3.12", 7),
        // buildpack-deps' 4, then the node user, node, yarn, the entrypoint.
        ("node:22", 8),
        ("node:22-slim", 5),
        ("node:22-alpine", 4),
        ("golang:1.23", 6),
        ("golang:1.23-alpine", 4),
        // 1.20's single stage makes as many layers as 1.21's COPY of the toolchain.
        ("golang:1.20", 6),
        ("golang:1.21-alpine", 4),
        ("python:3.10-alpine", 4),
        ("node:18-alpine", 4),
        ("nginx:latest", 7),
        ("nginx:alpine", 8),
        ("nginx:alpine-slim", 7),
        // debian-slim's 1, then the prefix, WORKDIR's empty layer, the libraries,
        // the build, httpd-foreground.
        ("httpd:2.4", 6),
        // alpine's 1, then the www-data user and the same five.
        ("httpd:2.4-alpine", 7),
    ] {
        assert_eq!(layer_count(name), layers, "{name}");
    }
}

#[test]
fn references_resolve_like_docker() {
    let canonical = |r: &str| reference::parse(r).map(|p| (p.canonical(), p.repository));
    let expect = Ok((
        "docker.io/library/ubuntu:latest".to_string(),
        "ubuntu".to_string(),
    ));
    assert_eq!(canonical("ubuntu"), expect);
    assert_eq!(canonical("ubuntu:latest"), expect);
    assert_eq!(canonical("docker.io/library/ubuntu:latest"), expect);
    assert_eq!(canonical("library/ubuntu"), expect);
    assert_eq!(canonical(" index.docker.io/library/ubuntu "), expect);
    assert_eq!(
        canonical("localhost:5000/ubuntu:1").map(|c| c.1),
        Ok("localhost:5000/ubuntu".to_string())
    );
    let digest = format!("alpine:3.21@sha256:{}", "ab".repeat(32));
    let parsed = reference::parse(&digest).expect("digest");
    assert_eq!(parsed.tag, "3.21");
    assert_eq!(parsed.notes.len(), 1);
    assert!(parsed.notes[0].starts_with("digest sha256:abab"));
}

#[test]
fn bad_references_are_explained() {
    let err = |r: &str| resolve(r).expect_err(r).to_string();
    assert_eq!(
        err("Ubuntu"),
        "invalid image reference \"Ubuntu\": repository name must be lowercase"
    );
    assert_eq!(
        err(""),
        "invalid image reference \"\": the reference is empty"
    );
    assert_eq!(
        err("alpine@sha256:123"),
        "invalid image reference \"alpine@sha256:123\": a digest must look like sha256:<64 hex digits>"
    );
    assert!(err("ubuntu:-x").starts_with("invalid image reference \"ubuntu:-x\": a tag is"));
}

#[test]
fn an_unknown_image_lists_the_catalog_and_says_how_to_load_a_real_one() {
    assert_eq!(
        resolve("foo:1").expect_err("not in catalog").to_string(),
        "image \"foo:1\" is not in layerlab's catalog of simulated base images \
         (it has: alpine, buildpack-deps, busybox, debian, eclipse-temurin, \
         gcr.io/distroless/base-debian11, \
         gcr.io/distroless/base-debian12, gcr.io/distroless/base-nossl-debian12, \
         gcr.io/distroless/cc-debian12, gcr.io/distroless/python3-debian12, \
         gcr.io/distroless/static-debian11, \
         gcr.io/distroless/static-debian12, golang, httpd, maven, nginx, node, php, python, rust, \
         scratch, ubuntu); \
         to build on a real image, export it with \"docker save foo:1 -o foo.tar\" and load it with \
         --load foo.tar (CLI) or drop the tar on the page"
    );
    // Tags are case-sensitive: LATEST is a valid tag the catalog does not have.
    let upper = resolve("ubuntu:LATEST").expect_err("tag case").to_string();
    assert!(upper.contains("tags of this repository: 22.04, 24.04, jammy, latest, noble, rolling"));
    assert!(resolve("ghcr.io/library/ubuntu").is_err());
    assert!(resolve("scratch:1").is_err());
}

#[test]
fn scratch_is_empty() {
    let scratch = image("scratch");
    assert!(scratch.layers.is_empty());
    assert!(scratch.history.is_empty());
    assert_eq!(scratch.config, BaseConfig::default());
    assert_eq!(scratch.canonical_name, "docker.io/library/scratch:latest");
}

#[test]
fn expansion_is_deterministic() {
    for name in ["debian:bookworm", "alpine:3.21", "busybox:1.36"] {
        let a = image(name);
        let b = image(name);
        assert_eq!(a.layers.len(), b.layers.len());
        for (x, y) in a.layers.iter().zip(&b.layers) {
            assert_eq!(x.fs_after.listing(), y.fs_after.listing(), "{name}");
        }
    }
}

#[test]
fn debian_has_dpkg_apt_and_dash() {
    let debian = image("debian:bookworm");
    assert_eq!(debian.canonical_name, "docker.io/library/debian:bookworm");
    assert_eq!(debian.layers.len(), 1);
    assert_eq!(
        debian.layers[0].created_by,
        "# debian.sh --arch 'amd64' out/ 'bookworm' '@1747699200'"
    );
    assert_eq!(debian.config.cmd, Some(vec!["bash".to_string()]));
    let fs = top(&debian);
    assert_eq!(fs.read_link("/bin").as_deref(), Ok("usr/bin"));
    assert_eq!(fs.read_link("/lib").as_deref(), Ok("usr/lib"));
    assert_eq!(fs.read_link("/sbin").as_deref(), Ok("usr/sbin"));
    assert_eq!(fs.canonicalize("/bin/sh").as_deref(), Ok("/usr/bin/dash"));
    assert!(fs.stat("/usr/bin/apt-get").expect("apt-get").meta.mode & 0o111 != 0);
    assert!(fs.stat("/bin/bash").is_ok());
    assert!(text(fs, "/etc/os-release").contains("VERSION_CODENAME=bookworm"));
    assert_eq!(fs.stat("/root").expect("root").meta.mode, 0o700);
    assert_eq!(fs.stat("/tmp").expect("tmp").meta.mode, 0o1777);
    let passwd = text(fs, "/etc/passwd");
    assert!(passwd.starts_with("root:x:0:0:root:/root:/bin/bash\n"));
    assert!(passwd.contains("\nnobody:x:65534:65534:"));
    assert!(text(fs, "/etc/group").contains("\nnogroup:x:65534:\n"));
    assert_eq!(fs.stat("/etc/shadow").expect("shadow").meta.gid, 42);
}

/// Splits a dpkg status file into stanzas of `(field, value)`.
fn stanzas(status: &str) -> Vec<Vec<(String, String)>> {
    status
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .map(|stanza| {
            stanza
                .lines()
                .filter(|l| !l.starts_with(' '))
                .map(|l| {
                    let (k, v) = l
                        .split_once(": ")
                        .unwrap_or_else(|| panic!("bad line {l:?}"));
                    (k.to_string(), v.to_string())
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_dpkg_database_is_in_dpkgs_format() {
    let debian = image("debian:bookworm");
    let fs = top(&debian);
    let status = text(fs, "/var/lib/dpkg/status");
    let packages = stanzas(&status);
    assert!(packages.len() >= 80, "{} packages", packages.len());
    for stanza in &packages {
        let field = |k: &str| stanza.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
        let name = field("Package").expect("Package");
        assert_eq!(field("Status"), Some("install ok installed"), "{name}");
        for required in [
            "Priority",
            "Section",
            "Installed-Size",
            "Maintainer",
            "Architecture",
            "Version",
            "Description",
        ] {
            assert!(field(required).is_some(), "{name} lacks {required}");
        }
        let list = if field("Multi-Arch") == Some("same") {
            format!("/var/lib/dpkg/info/{name}:amd64.list")
        } else {
            format!("/var/lib/dpkg/info/{name}.list")
        };
        let files = text(fs, &list);
        assert!(files.starts_with("/.\n"), "{list}");
        for path in files.lines() {
            assert!(fs.exists(path), "{path} of {name} listed but missing");
        }
    }
    let libc = packages
        .iter()
        .find(|s| s[0].1 == "libc6")
        .expect("libc6 installed");
    assert!(libc.contains(&("Version".to_string(), "2.36-9+deb12u14".to_string())));
    assert!(text(fs, "/var/lib/dpkg/info/dash.list").contains("\n/bin/dash\n"));
}

#[test]
fn slim_images_keep_only_copyright_files_of_the_docs() {
    let slim = image("debian:bookworm-slim");
    let fs = top(&slim);
    assert!(fs.exists("/usr/share/doc/bash/copyright"));
    assert!(!fs.exists("/usr/share/man/man1/bash.1.gz"));
    assert!(!fs.exists("/usr/share/locale/de/LC_MESSAGES/coreutils.mo"));
    let full = image("debian:bookworm");
    assert!(top(&full).exists("/usr/share/man/man1/bash.1.gz"));
    assert!(top(&full).exists("/usr/share/locale/de/LC_MESSAGES/coreutils.mo"));
    // The excluded files are not in dpkg's lists either.
    assert!(!text(fs, "/var/lib/dpkg/info/bash.list").contains("/usr/share/man/"));
}

#[test]
fn ubuntu_has_no_pip_so_the_seed_example_fails_with_127() {
    let ubuntu = image("ubuntu");
    assert_eq!(ubuntu.canonical_name, "docker.io/library/ubuntu:latest");
    let fs = top(&ubuntu);
    for dir in [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ] {
        assert!(!fs.exists(&format!("{dir}/pip")), "{dir}/pip");
        assert!(!fs.exists(&format!("{dir}/python3")), "{dir}/python3");
    }
    assert_eq!(fs.canonicalize("/bin/sh").as_deref(), Ok("/usr/bin/dash"));
    assert!(text(fs, "/etc/os-release").contains("VERSION_ID=\"24.04\""));
    assert!(text(fs, "/etc/passwd").contains("\nubuntu:x:1000:1000:"));
    assert!(ubuntu.layers[0]
        .created_by
        .starts_with("/bin/sh -c #(nop) ADD file:"));
    assert!(ubuntu.layers[0].created_by.ends_with(" in / "));
    assert_eq!(ubuntu.history.len(), 6);
    assert_eq!(
        ubuntu.config.labels[1],
        (
            "org.opencontainers.image.version".to_string(),
            "24.04".to_string()
        )
    );
    let jammy = image("ubuntu:jammy");
    assert!(text(top(&jammy), "/etc/os-release").contains("VERSION_ID=\"22.04\""));
    assert!(!text(top(&jammy), "/etc/passwd").contains("ubuntu:x:"));
}

#[test]
fn alpine_has_apk_and_busybox_applets() {
    let alpine = image("alpine:3.21");
    let fs = top(&alpine);
    assert!(fs.stat("/sbin/apk").is_ok());
    assert_eq!(fs.canonicalize("/bin/sh").as_deref(), Ok("/bin/busybox"));
    assert_eq!(fs.read_link("/bin/ls").as_deref(), Ok("/bin/busybox"));
    assert_eq!(fs.read_link("/usr/bin/wget").as_deref(), Ok("/bin/busybox"));
    assert!(text(fs, "/etc/alpine-release").starts_with("3.21"));
    let db = text(fs, "/lib/apk/db/installed");
    let records: Vec<&str> = db.split("\n\n").filter(|r| !r.trim().is_empty()).collect();
    assert!(records.len() >= 15, "{} packages", records.len());
    for record in &records {
        assert!(record.starts_with("C:Q1"), "{record}");
        for key in ["\nP:", "\nV:", "\nA:x86_64\n", "\nS:", "\nI:", "\nT:"] {
            assert!(record.contains(key), "{key} missing in {record}");
        }
    }
    assert!(db.contains("P:musl\nV:1.2.5-r9\n"));
    let commit = db
        .lines()
        .find_map(|l| l.strip_prefix("c:"))
        .expect("c: line");
    assert!(commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()));
    let top_level: Vec<String> = fs
        .read_dir("/")
        .expect("root")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        top_level.join(" "),
        "bin dev etc home lib media mnt opt proc root run sbin srv sys tmp usr var"
    );
    assert!(db.contains("F:bin\nR:busybox\na:0:0:755\n"));
    assert!(text(fs, "/etc/apk/world").contains("alpine-baselayout\n"));
    assert!(text(fs, "/etc/passwd").contains("\nnobody:x:65534:65534:"));
}

#[test]
fn busybox_applets_are_hard_links() {
    let busybox = image("busybox:1.36");
    let fs = top(&busybox);
    let sh = fs.lstat("/bin/sh").expect("sh");
    assert!(matches!(sh.kind, Kind::File(_)));
    assert!(sh.nlink > 300, "{} names", sh.nlink);
    assert_eq!(busybox.config.cmd, Some(vec!["sh".to_string()]));
}

#[test]
fn python_slim_has_the_interpreter_and_pip() {
    let python = image("python:3.12-slim");
    let fs = top(&python);
    for path in [
        "/usr/local/bin/python3",
        "/usr/local/bin/python3.12",
        "/usr/local/bin/pip",
        "/usr/local/bin/pip3",
        "/usr/local/bin/python",
        "/usr/local/lib/python3.12/site-packages/pip/__init__.py",
        "/usr/local/lib/python3.12/site-packages/pip-24.3.1.dist-info/METADATA",
    ] {
        assert!(fs.stat(path).is_ok(), "{path}");
    }
    assert_eq!(
        fs.canonicalize("/usr/local/bin/python").as_deref(),
        Ok("/usr/local/bin/python3.12")
    );
    let env = &python.config.env;
    assert_eq!(
        env[0],
        "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    );
    assert!(env.contains(&"PYTHON_VERSION=3.12.8".to_string()));
    assert!(env.contains(&"LANG=C.UTF-8".to_string()));
    assert!(env.iter().any(|e| e.starts_with("GPG_KEY=")));
    assert_eq!(python.config.cmd, Some(vec!["python3".to_string()]));
    for layer in &python.layers[1..] {
        assert!(layer.created_by.starts_with("RUN /bin/sh -c "));
        assert!(layer.created_by.ends_with(" # buildkit"));
        assert_eq!(layer.comment, "buildkit.dockerfile.v0");
    }
    assert!(python
        .history
        .iter()
        .any(|h| h.created_by == "CMD [\"python3\"]" && h.empty_layer));
    let status = text(fs, "/var/lib/dpkg/status");
    assert!(status.contains("Package: ca-certificates\n"));
    assert!(status.contains("Package: libsqlite3-0\n"));
}

#[test]
fn history_matches_the_layers() {
    for name in [
        "python:3.12-slim",
        "nginx:alpine",
        "node:22-alpine",
        "golang:1.23-alpine",
    ] {
        let image = image(name);
        let made: Vec<&str> = image
            .history
            .iter()
            .filter(|h| !h.empty_layer)
            .map(|h| h.created_by.as_str())
            .collect();
        let layers: Vec<&str> = image.layers.iter().map(|l| l.created_by.as_str()).collect();
        assert_eq!(made, layers, "{name}");
        assert_eq!(
            image.created,
            image.history.last().expect("history").created
        );
        assert_eq!(
            (image.os.as_str(), image.architecture.as_str()),
            ("linux", "amd64")
        );
    }
}

#[test]
fn appending_a_user_keeps_the_shadow_files_private() {
    let node = image("node:22-slim");
    let fs = top(&node);
    let shadow = fs.stat("/etc/shadow").expect("shadow");
    assert_eq!((shadow.meta.mode, shadow.meta.gid), (0o640, 42));
    assert!(text(fs, "/etc/shadow").ends_with("\nnode:!:20228:0:99999:7:::\n"));
    assert!(text(fs, "/etc/passwd").contains("\nnode:x:1000:1000::/home/node:/bin/bash\n"));
    assert_eq!(fs.stat("/home/node").expect("home").meta.uid, 1000);
    assert_eq!(
        fs.canonicalize("/usr/local/bin/nodejs").as_deref(),
        Ok("/usr/local/bin/node")
    );
}

#[test]
fn node_alpine_has_node_npm_and_the_entrypoint() {
    let node = image("node:22-alpine");
    let fs = top(&node);
    assert!(fs.stat("/usr/local/bin/node").is_ok());
    assert_eq!(
        fs.canonicalize("/usr/local/bin/npm").as_deref(),
        Ok("/usr/local/lib/node_modules/npm/bin/npm-cli.js")
    );
    assert!(fs.stat("/usr/local/bin/npx").is_ok());
    assert!(fs.stat("/usr/local/bin/yarn").is_ok());
    assert!(text(fs, "/usr/local/bin/docker-entrypoint.sh").starts_with("#!/bin/sh\n"));
    assert!(text(fs, "/etc/passwd").contains("\nnode:x:1000:1000:"));
    assert_eq!(
        node.config.entrypoint,
        Some(vec!["docker-entrypoint.sh".to_string()])
    );
    assert_eq!(node.config.cmd, Some(vec!["node".to_string()]));
    assert!(node
        .config
        .env
        .contains(&"NODE_VERSION=22.12.0".to_string()));
    assert!(node
        .config
        .env
        .contains(&"YARN_VERSION=1.22.22".to_string()));
}

#[test]
fn golang_alpine_has_the_toolchain_and_gopath() {
    let go = image("golang:1.23-alpine");
    let fs = top(&go);
    assert!(fs.stat("/usr/local/go/bin/go").is_ok());
    assert!(fs.stat("/usr/local/go/bin/gofmt").is_ok());
    assert_eq!(fs.stat("/go").expect("GOPATH").meta.mode, 0o1777);
    assert!(fs.stat("/go/src").is_ok());
    assert!(text(fs, "/usr/local/go/VERSION").starts_with("go1.23.4\n"));
    assert_eq!(go.config.working_dir, "/go");
    assert!(go.config.env.contains(&"GOPATH=/go".to_string()));
    assert!(go.config.env.contains(&"GOTOOLCHAIN=local".to_string()));
    assert!(go
        .config
        .env
        .contains(&"PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()));
}

#[test]
fn golang_1_26_and_1_27_come_on_trixie_bookworm_and_two_alpines() {
    // docker-library/golang's 1.26 and 1.27: trixie is the default Debian, the
    // newest Alpine (3.24) the default alpine, and 3.23 and bookworm remain.
    for (reference, version, os_file, os_text) in [
        ("golang:1.26", "1.26.7", "/etc/debian_version", "13."),
        (
            "golang:1.26-bookworm",
            "1.26.7",
            "/etc/debian_version",
            "12.",
        ),
        (
            "golang:1.26-alpine",
            "1.26.7",
            "/etc/alpine-release",
            "3.24.",
        ),
        (
            "golang:1.26.7-alpine3.23",
            "1.26.7",
            "/etc/alpine-release",
            "3.23.",
        ),
        ("golang:trixie", "1.27.0", "/etc/debian_version", "13."),
        (
            "golang:alpine3.23",
            "1.27.0",
            "/etc/alpine-release",
            "3.23.",
        ),
        (
            "golang:1.27-alpine3.24",
            "1.27.0",
            "/etc/alpine-release",
            "3.24.",
        ),
    ] {
        let go = image(reference);
        let fs = top(&go);
        assert!(
            text(fs, "/usr/local/go/VERSION").starts_with(&format!("go{version}\ntime ")),
            "{reference}"
        );
        assert!(text(fs, os_file).starts_with(os_text), "{reference}");
        assert!(go.config.env.contains(&format!("GOLANG_VERSION={version}")));
        assert!(go.config.env.contains(&"GOTOOLCHAIN=local".to_string()));
        assert_eq!(go.config.working_dir, "/go");
    }
    // Each is its own image: no two share the toolchain's layer (the one under
    // the GOPATH directories).
    let tops: std::collections::BTreeSet<_> = [
        "golang:1.26",
        "golang:1.26-bookworm",
        "golang:1.26-alpine",
        "golang:1.26-alpine3.23",
        "golang:1.27",
    ]
    .map(|r| diff_ids(&image(r)).iter().rev().nth(1).copied())
    .into_iter()
    .collect();
    assert_eq!(tops.len(), 5);
    // The first models keep their layers (their salts did not change).
    assert_eq!(
        diff_ids(&image("golang:latest")),
        diff_ids(&image("golang:1.23"))
    );
}

#[test]
fn nginx_stable_is_1_26_3_with_its_own_package_releases() {
    let debian = image("nginx:1.26.3");
    assert!(debian
        .config
        .env
        .contains(&"NGINX_VERSION=1.26.3".to_string()));
    assert!(debian
        .config
        .env
        .contains(&"DYNPKG_RELEASE=2~bookworm".to_string()));
    let status = text(top(&debian), "/var/lib/dpkg/status");
    for stamp in [
        "Package: nginx\nStatus: install ok installed\n",
        "Version: 1.26.3-1~bookworm\n",
        "Version: 1.26.3+0.8.9-1~bookworm\n",
        "Version: 1.26.3-2~bookworm\n",
    ] {
        assert!(status.contains(stamp), "{stamp}");
    }
    // The modules' exact dependency names the stable nginx too.
    assert!(!status.contains("1.27.4"), "{status}");
    let alpine = image("nginx:stable-alpine");
    let fs = top(&alpine);
    assert!(text(fs, "/etc/alpine-release").starts_with("3.20."));
    let installed = text(fs, "/lib/apk/db/installed");
    assert!(installed.contains("P:nginx\nV:1.26.3-r1\n"));
    assert!(installed.contains("P:nginx-module-xslt\nV:1.26.3-r2\n"));
    assert!(installed.contains("P:nginx-module-njs\nV:1.26.3.0.8.9-r1\n"));
    assert!(!installed.contains("nginx=1.27.4"), "{installed}");
    // The mainline images keep the lists' own versions.
    let mainline = text(top(&image("nginx:alpine")), "/lib/apk/db/installed");
    assert!(mainline.contains("P:nginx-module-xslt\nV:1.27.4-r1\n"));
}

#[test]
fn nginx_has_its_server_user_and_config() {
    for name in [
        "nginx:latest",
        "nginx:alpine",
        "nginx:stable",
        "nginx:stable-alpine-slim",
    ] {
        let nginx = image(name);
        let fs = top(&nginx);
        assert!(fs.stat("/usr/sbin/nginx").is_ok(), "{name}");
        assert!(text(fs, "/etc/nginx/nginx.conf").starts_with("user  nginx;\n"));
        assert!(text(fs, "/usr/share/nginx/html/index.html").contains("Welcome to nginx!"));
        assert!(text(fs, "/etc/passwd").contains("\nnginx:x:101:101:"));
        assert_eq!(
            fs.read_link("/var/log/nginx/access.log").as_deref(),
            Ok("/dev/stdout")
        );
        assert!(fs
            .stat("/docker-entrypoint.d/20-envsubst-on-templates.sh")
            .is_ok());
        assert_eq!(nginx.config.stop_signal.as_deref(), Some("SIGQUIT"));
        assert_eq!(nginx.config.exposed_ports, vec!["80/tcp".to_string()]);
        assert_eq!(
            nginx.config.entrypoint,
            Some(vec!["/docker-entrypoint.sh".to_string()])
        );
        assert_eq!(
            nginx.config.cmd,
            Some(vec![
                "nginx".to_string(),
                "-g".to_string(),
                "daemon off;".to_string()
            ])
        );
        let version = if name.contains("stable") {
            "1.26.3"
        } else {
            "1.27.4"
        };
        assert!(nginx
            .config
            .env
            .contains(&format!("NGINX_VERSION={version}")));
    }
}

/// httpd:2.4 and 2.4-alpine are docker-library's: the prefix Apache serves from,
/// the configuration after the image's own sed, the pristine one in conf/original,
/// the libraries its modules link, and the run-time settings of its Dockerfile.
#[test]
fn httpd_serves_from_its_prefix_with_the_image_s_configuration() {
    for (name, www_data) in [("httpd:2.4", 33), ("httpd:2.4-alpine", 82)] {
        httpd_image_is_docker_library_s(name, www_data);
    }
}

fn httpd_image_is_docker_library_s(name: &str, www_data: u32) {
    let httpd = image(name);
    let fs = top(&httpd);
    let prefix = "/usr/local/apache2";
    for path in [
        "bin/httpd",
        "bin/apachectl",
        "bin/envvars",
        "modules/mod_rewrite.so",
        "modules/mod_ssl.so",
        "conf/mime.types",
        "conf/extra/httpd-ssl.conf",
        "error/HTTP_NOT_FOUND.html.var",
        "icons/apache_pb.png",
        "cgi-bin/printenv",
        "include/ap_release.h",
        "build/config_vars.mk",
        "logs",
    ] {
        assert!(fs.stat(&format!("{prefix}/{path}")).is_ok(), "{path}");
    }
    assert!(fs.stat(&format!("{prefix}/src")).is_err());
    assert!(fs.stat(&format!("{prefix}/man")).is_err());
    assert_eq!(
        text(fs, &format!("{prefix}/htdocs/index.html")),
        "<html><body><h1>It works!</h1></body></html>\n"
    );
    let conf = text(fs, &format!("{prefix}/conf/httpd.conf"));
    for line in [
        "ServerRoot \"/usr/local/apache2\"",
        "Listen 80",
        "#LoadModule rewrite_module modules/mod_rewrite.so",
        "#ServerName www.example.com:80",
        "DocumentRoot \"/usr/local/apache2/htdocs\"",
        "User www-data",
        "Group www-data",
        "ErrorLog /proc/self/fd/2",
        "    CustomLog /proc/self/fd/1 common",
        "#Include conf/extra/httpd-ssl.conf",
    ] {
        assert!(conf.lines().any(|l| l == line), "{line}:\n{conf}");
    }
    // Neither the template's placeholders nor layerlab's holes are left.
    for left in [
        "@@",
        "@exp_",
        "@rel_",
        "{port}",
        "{user}",
        "{confrel}",
        "{htdocs}",
    ] {
        assert!(!conf.contains(left), "{left}");
    }
    let original = text(fs, &format!("{prefix}/conf/original/httpd.conf"));
    assert!(original.contains("\nUser daemon\n"));
    assert!(original.contains("\nErrorLog \"logs/error_log\"\n"));
    let ssl = text(fs, &format!("{prefix}/conf/extra/httpd-ssl.conf"));
    assert!(ssl.contains("\nTransferLog /proc/self/fd/1\n"), "{ssl}");
    assert!(ssl.contains("SSLCertificateFile \"/usr/local/apache2/conf/server.crt\""));
    assert!(text(fs, &format!("{prefix}/bin/apachectl"))
        .contains("HTTPD='/usr/local/apache2/bin/httpd'"));
    assert!(
        text(fs, "/usr/local/bin/httpd-foreground").ends_with("exec httpd -DFOREGROUND \"$@\"\n")
    );
    assert_eq!(
        fs.stat("/usr/local/bin/httpd-foreground")
            .unwrap()
            .meta
            .mode,
        0o755
    );
    let owner = fs.stat(prefix).unwrap().meta;
    assert_eq!((owner.uid, owner.gid), (www_data, www_data), "{name}");
    if www_data == 82 {
        let installed = text(fs, "/lib/apk/db/installed");
        for package in [
            "apr-util-ldap",
            "perl",
            "libcurl",
            "lua5.4-libs",
            "pcre",
            "libxml2",
        ] {
            assert!(installed.contains(&format!("\nP:{package}\n")), "{package}");
        }
        assert!(
            text(fs, "/etc/passwd").contains("\nwww-data:x:82:82:Linux User,,,:/home/www-data:")
        );
        assert!(fs.stat("/usr/lib/libapr-1.so.0").is_ok());
        return check_httpd_config(name, &httpd);
    }
    let status = text(fs, "/var/lib/dpkg/status");
    for package in [
        "libaprutil1-ldap",
        "libldap-common",
        "libcurl4",
        "liblua5.2-0",
        "libpcre3",
        "libxml2",
        "ca-certificates",
    ] {
        assert!(
            status.contains(&format!("Package: {package}\n")),
            "{package}"
        );
    }
    assert!(fs.stat("/usr/lib/x86_64-linux-gnu/libapr-1.so.0").is_ok());
    assert!(!status.contains("Package: gcc\n"));
    check_httpd_config(name, &httpd);
}

/// The configuration and history both httpd variants share.
fn check_httpd_config(name: &str, httpd: &BaseImage) {
    let prefix = "/usr/local/apache2";
    let config = &httpd.config;
    assert_eq!(config.working_dir, prefix, "{name}");
    assert_eq!(config.stop_signal.as_deref(), Some("SIGWINCH"));
    assert_eq!(config.exposed_ports, vec!["80/tcp".to_string()]);
    assert_eq!(config.cmd, Some(vec!["httpd-foreground".to_string()]));
    assert!(config.env.contains(&"HTTPD_VERSION=2.4.62".to_string()));
    assert!(config.env.contains(&"HTTPD_PATCHES=".to_string()));
    assert!(config.env.contains(&format!(
        "PATH={prefix}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    )));
    let workdir = httpd
        .history
        .iter()
        .find(|h| h.created_by == "WORKDIR /usr/local/apache2");
    assert!(workdir.is_some_and(|h| !h.empty_layer));
    assert_eq!(
        httpd.history.last().unwrap().created,
        "2024-07-17T23:31:14Z"
    );
}

#[test]
fn sizes_are_close_to_the_real_images() {
    // Uncompressed sizes as `docker images` shows them for the modelled versions.
    assert_near("alpine:3.21", 7.8);
    assert_near("busybox:1.36", 4.3);
    assert_near("debian:bookworm", 117.0);
    assert_near("debian:bookworm-slim", 74.8);
    assert_near("ubuntu:24.04", 78.1);
    assert_near("python:3.12-slim", 125.0);
    assert_near("python:3.12-alpine", 51.0);
    assert_near("node:22-alpine", 157.0);
    assert_near("golang:1.23-alpine", 250.0);
    assert_near("nginx:alpine", 48.0);
    assert_near("nginx:latest", 192.0);
    assert_near("httpd:2.4", 148.0);
}

#[test]
fn a_digest_is_accepted_and_noted() {
    let pinned = format!("busybox:1.36@sha256:{}", "0".repeat(64));
    let busybox = image(&pinned);
    assert_eq!(busybox.canonical_name, "docker.io/library/busybox:1.36");
    assert_eq!(busybox.notes.len(), 1);
    assert!(busybox.notes[0].contains("ignored"));
}

#[test]
fn newer_alpine_and_other_debian_releases_carry_their_release_data() {
    for (name, needle) in [
        ("alpine:3.22", "VERSION_ID=3.22.2"),
        ("alpine:3.23", "VERSION_ID=3.23.0"),
        ("alpine:3.24", "VERSION_ID=3.24.0"),
        ("debian:bullseye-slim", "VERSION_CODENAME=bullseye"),
        ("buildpack-deps:trixie", "VERSION_CODENAME=trixie"),
        ("buildpack-deps:bullseye", "VERSION_CODENAME=bullseye"),
    ] {
        let img = image(name);
        assert!(
            text(top(&img), "/usr/lib/os-release").contains(needle),
            "{name}"
        );
    }
    assert_eq!(
        text(top(&image("alpine:3.23")), "/etc/alpine-release"),
        "3.23.0\n"
    );
    assert!(text(top(&image("debian:bullseye")), "/var/lib/dpkg/status")
        .contains("Package: apt\nStatus: install ok installed"));
    assert!(top(&image("debian:bookworm-slim"))
        .stat("/etc/apt/preferences.d")
        .is_ok_and(|s| s.is_dir()));
}

#[test]
fn node_and_yarn_releases_have_their_real_layout() {
    let node = release("https://nodejs.org/dist/v26.1.0/node-v26.1.0-linux-arm64.tar.xz")
        .unwrap()
        .unwrap();
    let paths: Vec<&str> = node.entries.iter().map(|e| e.path.as_str()).collect();
    for want in [
        "node-v26.1.0-linux-arm64/bin/node",
        "node-v26.1.0-linux-arm64/bin/npm",
        "node-v26.1.0-linux-arm64/include/node/openssl/archs/linux-aarch64",
        "node-v26.1.0-linux-arm64/include/node/openssl/archs/linux-x86_64",
        "node-v26.1.0-linux-arm64/lib/node_modules/corepack/package.json",
        "node-v26.1.0-linux-arm64/share/man/man1/node.1",
    ] {
        assert!(paths.contains(&want), "{want} missing");
    }
    // Images link `nodejs` themselves; the archive has no such name.
    assert!(!paths.iter().any(|p| p.ends_with("bin/nodejs")));
    let musl = release("https://unofficial-builds.nodejs.org/download/release/v22.23.2/node-v22.23.2-linux-x64-musl.tar.xz")
        .unwrap()
        .unwrap();
    assert_eq!(musl.entries[0].path, "node-v22.23.2-linux-x64-musl");
    let yarn = release("https://yarnpkg.com/downloads/1.22.22/yarn-v1.22.22.tar.gz")
        .unwrap()
        .unwrap();
    assert!(yarn
        .entries
        .iter()
        .any(|e| e.path == "yarn-v1.22.22/bin/yarn"));
}

#[test]
fn cpython_releases_carry_their_own_bundled_wheels() {
    let old =
        crate::catalog::release("https://www.python.org/ftp/python/3.10.20/Python-3.10.20.tar.xz")
            .unwrap()
            .unwrap();
    assert_eq!(old.title, "CPython 3.10.20 source");
    let names: Vec<&str> = old.entries.iter().map(|e| e.path.as_str()).collect();
    assert!(names.contains(&"Python-3.10.20/configure"));
    assert!(
        names.contains(&"Python-3.10.20/Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl")
    );
    let new =
        crate::catalog::release("https://www.python.org/ftp/python/3.15.0/Python-3.15.0b3.tar.xz")
            .unwrap()
            .unwrap();
    assert!(new
        .entries
        .iter()
        .any(|e| e.path == "Python-3.15.0b3/Lib/ensurepip/_bundled/pip-25.3-py3-none-any.whl"));
    assert!(!new.entries.iter().any(|e| e.path.contains("setuptools")));
    // The signature next to the archive is not an archive.
    assert!(crate::catalog::release(
        "https://www.python.org/ftp/python/3.15.0/Python-3.15.0b3.tar.xz.asc"
    )
    .is_none());
}

#[test]
fn buildpack_deps_full_has_autoconf_for_source_builds() {
    for name in ["buildpack-deps:bookworm", "buildpack-deps:trixie"] {
        let img = image(name);
        let fs = top(&img);
        assert!(fs.stat("/usr/bin/autoconf").is_ok(), "{name}");
        assert!(text(fs, "/var/lib/dpkg/status").contains("Package: autoconf\n"));
    }
}

#[test]
fn php_downloads_are_known_source_releases() {
    for (url, top) in [
        (
            "https://www.php.net/distributions/php-8.2.33.tar.xz",
            "php-8.2.33",
        ),
        (
            "https://downloads.php.net/~mbeccati/php-8.6.0alpha3.tar.xz",
            "php-8.6.0alpha3",
        ),
    ] {
        let release = super::release(url).expect("known").expect("expands");
        let names: Vec<&str> = release.entries.iter().map(|e| e.path.as_str()).collect();
        for member in [
            "configure",
            "Makefile.in",
            "ext/sodium/config.m4",
            "sapi/fpm/www.conf.in",
            "php.ini-production",
            "scripts/phpize.in",
        ] {
            let path = format!("{top}/{member}");
            assert!(names.contains(&path.as_str()), "{url}: no {path}");
        }
        assert_eq!(names[0], top);
    }
    assert!(super::release("https://www.php.net/distributions/php-8.2.33.tar.xz.asc").is_none());
}

#[test]
fn simulated_programs_can_name_their_libraries_in_a_real_elf_head() {
    let pg = crate::catalog::release(
        "https://ftp.postgresql.org/pub/source/v18.1/postgresql-18.1.tar.bz2",
    )
    .unwrap()
    .unwrap();
    let program = pg
        .entries
        .iter()
        .find(|e| e.path.ends_with("/postgres") && matches!(e.kind, Kind::File(_)))
        .expect("the postgres stand-in");
    let Kind::File(blob) = &program.kind else {
        unreachable!()
    };
    // Plausible size, generated, yet its first bytes are a real ELF header.
    assert!(blob.len() > 9_000_000 && blob.is_generated());
    let info = crate::shell::commands::elf::parse(blob.head().unwrap()).unwrap();
    assert_eq!(
        info.needed,
        [
            "libssl.so.3",
            "libcrypto.so.3",
            "libz.so.1",
            "libc.musl-x86_64.so.1"
        ]
    );
    assert_eq!(&blob.bytes()[..4], b"\x7fELF");
}

#[test]
fn base_image_text_files_read_as_text_and_programs_stay_binary() {
    let debian = image("debian:bookworm");
    let fs = top(&debian);
    let bashrc = text(fs, "/etc/bash.bashrc");
    assert_eq!(bashrc.len(), 1994, "the real file's size");
    assert!(bashrc
        .starts_with("# layerlab: simulated contents of /etc/bash.bashrc (bash 5.2.15-2+b8)\n"));
    assert!(bashrc.ends_with('\n'));
    let copyright = text(fs, "/usr/share/doc/bash/copyright");
    assert!(copyright.contains("(bash 5.2.15-2+b8)"));
    let program = fs.read_file("/usr/bin/bash").unwrap();
    assert!(String::from_utf8(program.bytes().into_owned()).is_err());
}

/// The `DT_NEEDED` names of the stand-in at `suffix` in `release`.
fn needed_by(release: &crate::catalog::Release, suffix: &str) -> Vec<String> {
    let entry = release
        .entries
        .iter()
        .find(|e| e.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix}"));
    let Kind::File(blob) = &entry.kind else {
        panic!("{suffix} is not a file")
    };
    crate::shell::commands::elf::parse(blob.head().expect("an ELF head"))
        .expect("a valid ELF head")
        .needed
}

#[test]
fn cpython_stand_ins_link_the_libraries_of_the_system_they_are_unpacked_on() {
    use crate::catalog::{release_for, Libc};
    let url = "https://www.python.org/ftp/python/3.15.0/Python-3.15.0b3.tar.xz";
    let glibc = release_for(url, Libc::Glibc).unwrap().unwrap();
    let musl = release_for(url, Libc::Musl).unwrap().unwrap();
    assert_eq!(
        needed_by(&glibc, "/.layerlab/python"),
        ["libpython3.15.so.1.0", "libm.so.6", "libc.so.6"]
    );
    // musl keeps libm inside libc, and names libc after its loader.
    assert_eq!(
        needed_by(&musl, "/.layerlab/python"),
        ["libpython3.15.so.1.0", "libc.musl-x86_64.so.1"]
    );
    assert_eq!(
        needed_by(&glibc, "lib-dynload/_ssl.so"),
        ["libssl.so.3", "libcrypto.so.3", "libc.so.6"]
    );
    // Debian's libbz2 has its own soname; Alpine's is upstream's.
    assert_eq!(
        needed_by(&glibc, "lib-dynload/_bz2.so"),
        ["libbz2.so.1.0", "libc.so.6"]
    );
    assert_eq!(
        needed_by(&musl, "lib-dynload/_bz2.so"),
        ["libbz2.so.1", "libc.musl-x86_64.so.1"]
    );
    assert_eq!(
        needed_by(&musl, "lib-dynload/_curses.so"),
        ["libncursesw.so.6", "libc.musl-x86_64.so.1"]
    );
    // `release` is the glibc tree.
    let plain = crate::catalog::release(url).unwrap().unwrap();
    assert_eq!(
        needed_by(&plain, "lib-dynload/_sqlite3.so"),
        needed_by(&glibc, "lib-dynload/_sqlite3.so")
    );
}

#[test]
fn rust_images_hold_rustups_tree_in_one_layer_like_docker_rust() {
    for (name, layers, host, base) in [
        (
            "rust:1.83",
            5,
            "x86_64-unknown-linux-gnu",
            "buildpack-deps:bookworm",
        ),
        (
            "rust:slim",
            2,
            "x86_64-unknown-linux-gnu",
            "debian:bookworm-slim",
        ),
        (
            "rust:1.83-alpine",
            3,
            "x86_64-unknown-linux-musl",
            "alpine:3.21",
        ),
    ] {
        assert_eq!(layer_count(name), layers, "{name}");
        let rust = image(name);
        let fs = top(&rust);
        let toolchain = format!("/usr/local/rustup/toolchains/1.83.0-{host}");
        assert!(fs.stat(&format!("{toolchain}/bin/cargo")).is_ok(), "{name}");
        assert!(fs.stat(&format!("{toolchain}/bin/rustc")).is_ok(), "{name}");
        // The proxies are hard links to rustup, and everything is writable by all.
        assert_eq!(fs.stat("/usr/local/cargo/bin/cargo").unwrap().nlink, 14);
        assert_eq!(fs.stat("/usr/local/cargo/bin").unwrap().meta.mode, 0o777);
        assert_eq!(
            fs.stat("/usr/local/cargo/bin/rustup").unwrap().meta.mode,
            0o777
        );
        assert_eq!(
            fs.stat(&format!("{toolchain}/lib/rustlib/components"))
                .unwrap()
                .meta
                .mode,
            0o666
        );
        assert!(text(fs, "/usr/local/rustup/settings.toml")
            .contains(&format!("default_toolchain = \"1.83.0-{host}\"")));
        // The toolchain layer alone is several hundred MB; the base is below it.
        let below = &rust.layers[layers - 2].fs_after;
        let grown = total_size(fs) - total_size(below);
        assert!(grown > 400_000_000, "{name}: {grown}");
        for (ours, theirs) in rust.layers.iter().zip(&image(base).layers) {
            assert_eq!(
                ours.created_by, theirs.created_by,
                "{name} starts from {base}"
            );
        }
        for var in [
            "RUSTUP_HOME=/usr/local/rustup",
            "CARGO_HOME=/usr/local/cargo",
            "RUST_VERSION=1.83.0",
            "PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ] {
            assert!(rust.config.env.contains(&var.to_string()), "{name}: {var}");
        }
        assert!(rust.history.iter().any(|h| h
            .created_by
            .starts_with("ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=")));
    }
    let slim = image("rust:slim");
    assert!(top(&slim).stat("/usr/bin/gcc").is_ok());
    assert!(top(&slim).stat("/usr/include/alloca.h").is_ok());
    assert!(top(&image("rust:alpine")).stat("/usr/bin/gcc").is_ok());
}

/// The diffIDs of an image's layers, bottom first (its tars hashed).
fn diff_ids(image: &BaseImage) -> Vec<crate::digest::Digest> {
    let mut below = Vfs::new();
    image
        .layers
        .iter()
        .map(|layer| {
            let diff = Layer::diff(&below, &layer.fs_after, DiffStyle::BuildKit);
            below = layer.fs_after.clone();
            diff.layer.diff_id()
        })
        .collect()
}

#[test]
fn a_patch_tag_is_its_minors_model_with_that_version_everywhere() {
    let old = image("python:3.11.4-slim");
    let fs = top(&old);
    assert!(old
        .config
        .env
        .contains(&"PYTHON_VERSION=3.11.4".to_string()));
    assert!(old
        .history
        .iter()
        .any(|h| h.created_by == "ENV PYTHON_VERSION=3.11.4"));
    assert!(!old.history.iter().any(|h| h.created_by.contains("3.11.11")));
    let patchlevel = text(fs, "/usr/local/include/python3.11/patchlevel.h");
    assert!(patchlevel.contains("#define PY_MICRO_VERSION        4\n"));
    assert!(patchlevel.contains("\"3.11.4\""));
    assert!(
        old.description.contains("model of python:3.11-slim") && old.description.contains("3.11.4"),
        "{}",
        old.description
    );
    assert_eq!(old.canonical_name, "docker.io/library/python:3.11.4-slim");
    // The same tree, so the same layer count; salted with the version, so different
    // digests (catalog images never share layers); and the same digests every time.
    let modelled = image("python:3.11.11-slim");
    let (a, b) = (diff_ids(&old), diff_ids(&modelled));
    assert_eq!(a.len(), b.len());
    // The interpreter's layer (the symlinks' above it holds no contents to salt).
    assert_ne!(a[a.len() - 2], b[b.len() - 2]);
    assert_eq!(a, diff_ids(&image("python:3.11.4-slim")));

    let go = image("golang:1.21.0-alpine");
    assert!(text(top(&go), "/usr/local/go/VERSION").starts_with("go1.21.0\n"));
    assert!(go.config.env.contains(&"GOLANG_VERSION=1.21.0".to_string()));
    // Before 1.21 the first release of a minor is named without `.0`.
    let go120 = image("golang:1.20.0");
    assert_eq!(text(top(&go120), "/usr/local/go/VERSION"), "go1.20\n");
    let node = image("node:18.0.0-alpine");
    assert!(node.config.env.contains(&"NODE_VERSION=18.0.0".to_string()));
    let header = text(top(&node), "/usr/local/include/node/node_version.h");
    assert!(
        header.contains("#define NODE_MINOR_VERSION 0\n"),
        "{header}"
    );
}

#[test]
fn a_patch_above_the_model_or_a_malformed_one_is_not_in_the_catalog() {
    for (reference, limit) in [
        ("python:3.11.12-slim", "3.11.11"),
        ("python:3.11.04", "3.11.11"),
        ("python:3.11.4-nonesuch", "3.10.16"),
        ("python:3.9.1", "3.13.1"),
        ("python:3.11.4.1", "3.12.8"),
        ("golang:1.21.14", "1.21.13"),
        ("node:18.21.0-alpine", "18.20.8"),
        ("node:19.0.0", "22.12.0"),
    ] {
        let message = resolve(reference).expect_err(reference).to_string();
        assert!(message.contains("not in layerlab's catalog"), "{message}");
        assert!(message.contains("patch-level tags"), "{message}");
        assert!(message.contains(limit), "{reference}: {message}");
    }
    let message = resolve("alpine:3.21.9").expect_err("alpine").to_string();
    assert!(!message.contains("patch-level"), "{message}");
}

#[test]
fn new_minors_carry_their_real_versions_and_tools() {
    let site = |name: &str, minor: &str| {
        let image = image(name);
        let dir = format!("/usr/local/lib/python{minor}/site-packages");
        let mut names: Vec<String> = top(&image)
            .read_dir(&dir)
            .expect("site-packages")
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| n.ends_with(".dist-info"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        site("python:3.10-alpine", "3.10"),
        [
            "pip-23.0.1.dist-info",
            "setuptools-65.5.1.dist-info",
            "wheel-0.45.1.dist-info"
        ]
    );
    assert_eq!(
        site("python:3.11-slim", "3.11"),
        [
            "pip-24.0.dist-info",
            "setuptools-65.5.1.dist-info",
            "wheel-0.45.1.dist-info"
        ]
    );
    assert_eq!(site("python:3.12-slim", "3.12"), ["pip-24.3.1.dist-info"]);
    assert_eq!(site("python:3.13-slim", "3.13"), ["pip-24.3.1.dist-info"]);
    let py310 = image("python:3.10");
    assert!(py310
        .config
        .env
        .contains(&"PYTHON_VERSION=3.10.16".to_string()));
    assert!(py310
        .layers
        .iter()
        .any(|l| l.created_by.contains("'setuptools==65.5.1'")));

    for (name, npm) in [
        ("node:22-alpine", "10.9.0"),
        ("node:20-slim", "10.8.2"),
        ("node:18", "10.8.2"),
    ] {
        let node = image(name);
        let manifest = text(top(&node), "/usr/local/lib/node_modules/npm/package.json");
        assert!(
            manifest.contains(&format!("\"version\": \"{npm}\"")),
            "{name}: {manifest}"
        );
    }
    assert!(image("node:18-slim")
        .config
        .env
        .contains(&"NODE_VERSION=18.20.8".to_string()));

    let go119 = image("golang:1.19");
    let fs = top(&go119);
    assert_eq!(text(fs, "/usr/local/go/VERSION"), "go1.19.13\n");
    assert!(!fs.exists("/usr/local/go/go.env"));
    assert!(!go119
        .config
        .env
        .iter()
        .any(|e| e.starts_with("GOTOOLCHAIN=")));
    assert!(go119
        .config
        .env
        .contains(&"PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()));
    let go121 = image("golang:1.21-alpine");
    assert!(text(top(&go121), "/usr/local/go/VERSION").starts_with("go1.21.13\ntime "));
    assert!(text(top(&go121), "/etc/os-release").contains("VERSION_ID=3.20.3"));
    assert!(go121.config.env.contains(&"GOTOOLCHAIN=local".to_string()));
}

const DISTROLESS: [&str; 7] = [
    "gcr.io/distroless/static-debian12",
    "gcr.io/distroless/base-nossl-debian12",
    "gcr.io/distroless/base-debian12",
    "gcr.io/distroless/cc-debian12",
    "gcr.io/distroless/python3-debian12",
    "gcr.io/distroless/static-debian11",
    "gcr.io/distroless/base-debian11",
];

#[test]
fn distroless_tags_set_user_workdir_entrypoint_and_bazels_history() {
    for repo in DISTROLESS {
        for tag in ["latest", "nonroot", "debug", "debug-nonroot"] {
            let name = format!("{repo}:{tag}");
            let img = image(&name);
            // A gcr.io name stays a gcr.io name.
            assert_eq!(img.canonical_name, name);
            let nonroot = tag.ends_with("nonroot");
            let debug = tag.starts_with("debug");
            let (user, dir) = if nonroot {
                ("65532", "/home/nonroot")
            } else {
                ("0", "/")
            };
            assert_eq!(
                (img.config.user.as_str(), img.config.working_dir.as_str()),
                (user, dir),
                "{name}"
            );
            let path = if debug {
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox"
            } else {
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            };
            let python = repo.contains("python3");
            let mut env = vec![path, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"];
            if python {
                env.push("LANG=C.UTF-8");
            }
            assert_eq!(img.config.env, env);
            let entrypoint = match (python, debug) {
                (true, _) => Some(vec!["/usr/bin/python3.11".to_string()]),
                (false, true) => Some(vec!["/busybox/sh".to_string()]),
                (false, false) => None,
            };
            assert_eq!(img.config.entrypoint, entrypoint, "{name}");
            assert_eq!(img.config.cmd, None);
            // Bazel dates everything at the epoch and writes one entry per layer.
            assert_eq!(img.created, "1970-01-01T00:00:00Z");
            assert_eq!(img.author, "Bazel");
            assert_eq!(img.history.len(), img.layers.len());
            for h in &img.history {
                assert_eq!(
                    (h.created_by.as_str(), h.created.as_str(), h.author.as_str()),
                    ("bazel build ...", "1970-01-01T00:00:00Z", "Bazel")
                );
            }
        }
    }
    for (name, layers) in [
        ("gcr.io/distroless/static-debian12:latest", 2),
        ("gcr.io/distroless/static-debian12:nonroot", 2),
        ("gcr.io/distroless/static-debian12:debug", 3),
        ("gcr.io/distroless/base-nossl-debian12:latest", 3),
        ("gcr.io/distroless/base-debian12:latest", 3),
        ("gcr.io/distroless/base-debian11:debug-nonroot", 4),
        ("gcr.io/distroless/cc-debian12:latest", 4),
        ("gcr.io/distroless/cc-debian12:debug", 5),
        ("gcr.io/distroless/python3-debian12:latest", 5),
    ] {
        assert_eq!(layer_count(name), layers, "{name}");
    }
    // Only the four tags exist; the error lists them.
    let err = resolve("gcr.io/distroless/static-debian12:debug-root")
        .expect_err("no such tag")
        .to_string();
    assert!(
        err.contains("tags of this repository: debug, debug-nonroot, latest, nonroot"),
        "{err}"
    );
}

#[test]
fn distroless_has_no_shell_no_package_manager_and_a_nonroot_user() {
    for repo in DISTROLESS {
        let img = image(&format!("{repo}:nonroot"));
        let fs = top(&img);
        for gone in [
            "/bin/sh",
            "/bin",
            "/usr/bin/dpkg",
            "/usr/bin/apt-get",
            "/var/lib/dpkg/status",
            "/var/lib/dpkg/info",
        ] {
            assert!(fs.lstat(gone).is_err(), "{repo} has {gone}");
        }
        assert_eq!(
            text(fs, "/etc/passwd"),
            "root:x:0:0:root:/root:/sbin/nologin\n\
             nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n\
             nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
        );
        assert_eq!(
            text(fs, "/etc/group"),
            "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n"
        );
        let home = fs.stat("/home/nonroot").expect("home");
        assert_eq!(
            (home.meta.mode, home.meta.uid, home.meta.gid),
            (0o700, 65532, 65532)
        );
        assert_eq!(fs.stat("/tmp").expect("tmp").meta.mode, 0o1777);
        assert_eq!(fs.stat("/root").expect("root").meta.mode, 0o700);
        assert!(text(fs, "/etc/nsswitch.conf").contains("\npasswd:         compat\n"));
        assert!(fs.stat("/etc/ssl/certs/ca-certificates.crt").is_ok());
        assert!(fs.stat("/usr/share/doc/ca-certificates/copyright").is_ok());
        assert!(fs.stat("/etc/services").is_ok(), "netbase");
        assert!(fs.stat("/usr/share/zoneinfo/Europe").is_ok(), "tzdata");
        // /etc/os-release is base-files' link to the file distroless rewrites.
        let release = text(fs, "/etc/os-release");
        assert!(release
            .starts_with("PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\n"));
        let version = if repo.ends_with("11") {
            "VERSION=\"Debian GNU/Linux 11 (bullseye)\"\n"
        } else {
            "VERSION=\"Debian GNU/Linux 12 (bookworm)\"\n"
        };
        assert!(release.contains(version), "{repo}: {release}");
        // Each package is one control stanza in status.d/, no status file.
        let mut recorded: Vec<String> = fs
            .read_dir("/var/lib/dpkg/status.d")
            .expect("status.d")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        recorded.sort();
        let mut want = vec!["base-files", "media-types", "netbase", "tzdata"];
        if repo.contains("base-nossl") {
            want.push("libc6");
        } else if repo.contains("/base-debian12") {
            want.extend(["libc6", "libssl3"]);
        } else if repo.contains("/base-debian11") {
            want.extend(["libc6", "libssl1.1", "openssl"]);
        } else if repo.contains("/cc-") || repo.contains("/python3-") {
            want.extend([
                "gcc-12-base",
                "libc6",
                "libgcc-s1",
                "libgomp1",
                "libssl3",
                "libstdc++6",
            ]);
        }
        if repo.contains("/python3-") {
            want.extend([
                "libbz2-1.0",
                "libcom-err2",
                "libcrypt1",
                "libdb5.3",
                "libexpat1",
                "libffi8",
                "libgssapi-krb5-2",
                "libk5crypto3",
                "libkeyutils1",
                "libkrb5-3",
                "libkrb5support0",
                "liblzma5",
                "libncursesw6",
                "libnsl2",
                "libpython3.11-minimal",
                "libpython3.11-stdlib",
                "libreadline8",
                "libsqlite3-0",
                "libtinfo6",
                "libtirpc3",
                "libuuid1",
                "python3.11-minimal",
                "zlib1g",
            ]);
        }
        want.sort();
        assert_eq!(recorded, want, "{repo}");
    }
    let base = image("gcr.io/distroless/base-debian12");
    let fs = top(&base);
    assert!(text(fs, "/var/lib/dpkg/status.d/libc6").starts_with(
        "Package: libc6\nSource: glibc\nVersion: 2.36-9+deb12u14\nArchitecture: amd64\n"
    ));
    assert!(fs.stat("/lib/x86_64-linux-gnu/libc.so.6").is_ok());
    assert_eq!(
        fs.read_link("/lib64/ld-linux-x86-64.so.2")
            .map(|t| t.starts_with('/')),
        Ok(true)
    );
    assert!(fs.stat("/usr/lib/x86_64-linux-gnu/libssl.so.3").is_ok());
    // Debian 12's base has no openssl program; Debian 11's still had it.
    assert!(fs.stat("/usr/bin/openssl").is_err());
    let old = image("gcr.io/distroless/base-debian11");
    let fs = top(&old);
    assert!(fs.stat("/usr/bin/openssl").is_ok());
    assert!(fs.stat("/usr/lib/x86_64-linux-gnu/libssl.so.1.1").is_ok());
    assert!(text(fs, "/var/lib/dpkg/status.d/libc6").contains("\nVersion: 2.31-13+deb11u11\n"));
    assert!(top(&image("gcr.io/distroless/cc-debian12"))
        .stat("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")
        .is_ok());
    let python = image("gcr.io/distroless/python3-debian12");
    assert_eq!(
        top(&python).canonicalize("/usr/bin/python3").as_deref(),
        Ok("/usr/bin/python3.11")
    );
    assert!(top(&image("gcr.io/distroless/static-debian12"))
        .stat("/lib/x86_64-linux-gnu")
        .is_err());
}

#[test]
fn distroless_debug_tags_have_busybox_but_still_no_bin_sh() {
    let debug = image("gcr.io/distroless/static-debian12:debug");
    let fs = top(&debug);
    let busybox = fs.stat("/busybox/busybox").expect("busybox");
    assert_eq!(busybox.meta.mode, 0o755);
    for applet in ["sh", "ls", "cat", "wget"] {
        assert_eq!(
            fs.read_link(&format!("/busybox/{applet}")).as_deref(),
            Ok("/busybox/busybox"),
            "{applet}"
        );
    }
    assert!(fs.lstat("/bin/sh").is_err());
    // The debug tags share the other tags' package layers (one tar each in Bazel).
    let ids = |name: &str| {
        let img = image(name);
        let mut below = Vfs::new();
        img.layers
            .iter()
            .map(|layer| {
                let id = Layer::diff(&below, &layer.fs_after, DiffStyle::BuildKit)
                    .layer
                    .diff_id();
                below = layer.fs_after.clone();
                id
            })
            .collect::<Vec<_>>()
    };
    let plain = ids("gcr.io/distroless/base-debian12:latest");
    let debug = ids("gcr.io/distroless/base-debian12:debug-nonroot");
    assert_eq!(plain[..2], debug[..2]);
    assert_eq!(plain[2], debug[3], "libc6 and libssl3");
    assert_eq!(plain, ids("gcr.io/distroless/base-debian12:nonroot"));
}

#[test]
fn distroless_images_are_small() {
    // Published guides put static at about 2 MB and base at about 20 MB; the
    // static image is mostly tzdata, whose zones dpkg-bookworm.txt trims.
    let mb = |name: &str| megabytes(&image(name));
    let static_mb = mb("gcr.io/distroless/static-debian12");
    assert!((0.8..4.0).contains(&static_mb), "static: {static_mb:.1} MB");
    assert_near("gcr.io/distroless/base-debian12", 20.0);
    let (base, cc) = (
        mb("gcr.io/distroless/base-debian12"),
        mb("gcr.io/distroless/cc-debian12"),
    );
    let python = mb("gcr.io/distroless/python3-debian12");
    assert!(base < cc && cc < base + 5.0, "cc: {cc:.1} MB");
    assert!(
        cc + 15.0 < python && python < 70.0,
        "python3: {python:.1} MB"
    );
}

#[test]
fn php_images_follow_docker_library_s_dockerfiles() {
    // (tag, layers, entrypoint's CMD, working directory, ports, stop signal)
    for (name, layers, cmd, workdir, ports, stop) in [
        ("php:8.3-cli", 10, &["php", "-a"][..], "", &[][..], None),
        (
            "php:8.3-apache",
            15,
            &["apache2-foreground"][..],
            "/var/www/html",
            &["80/tcp"][..],
            Some("SIGWINCH"),
        ),
        (
            "php:8.3-fpm",
            12,
            &["php-fpm"][..],
            "/var/www/html",
            &["9000/tcp"][..],
            Some("SIGQUIT"),
        ),
    ] {
        let php = image(name);
        assert_eq!(php.layers.len(), layers, "{name}");
        let config = &php.config;
        assert_eq!(
            config.entrypoint.as_deref(),
            Some(&["docker-php-entrypoint".to_string()][..])
        );
        assert_eq!(
            config
                .cmd
                .as_ref()
                .map(|c| c.iter().map(String::as_str).collect::<Vec<_>>()),
            Some(cmd.to_vec()),
            "{name}"
        );
        assert_eq!(config.working_dir, workdir, "{name}");
        assert_eq!(config.exposed_ports, ports, "{name}");
        assert_eq!(config.stop_signal.as_deref(), stop, "{name}");
        for var in [
            "PHP_INI_DIR=/usr/local/etc/php",
            "PHP_VERSION=8.3.24",
            "PHP_LDFLAGS=-Wl,-O1 -pie",
            "PHP_SHA256=388ee5fd111097e97bae439bff46aec4ea27f816d3f0c2cb5490a41410d44251",
        ] {
            assert!(config.env.iter().any(|e| e == var), "{name}: {var}");
        }
        let fs = top(&php);
        for path in [
            "/usr/local/bin/php",
            "/usr/local/bin/phpize",
            "/usr/local/bin/pecl",
            "/usr/local/bin/docker-php-ext-install",
            "/usr/local/include/php/main/php.h",
            "/usr/local/include/php/ext/pdo/php_pdo.h",
            "/usr/local/lib/php/build/ext.mk",
            "/usr/local/lib/php/PEAR.php",
            "/usr/local/etc/php/php.ini-production",
            "/usr/local/php/man/man1/php.1",
            "/usr/lib/x86_64-linux-gnu/libonig.so.5",
            "/usr/bin/re2c",
        ] {
            assert!(fs.stat(path).is_ok(), "{name}: {path}");
        }
        // The source release stays as its download, unpacked again only to
        // build extensions.
        assert!(fs.stat("/usr/src/php").is_err(), "{name}");
        assert_eq!(
            text(fs, "/usr/local/etc/php/conf.d/docker-php-ext-opcache.ini"),
            "zend_extension=/usr/local/lib/php/extensions/no-debug-non-zts-20230831/opcache.so\n"
        );
        assert_eq!(
            text(fs, "/usr/local/etc/php/conf.d/docker-php-ext-sodium.ini"),
            "extension=sodium.so\n"
        );
        let version_h = text(fs, "/usr/local/include/php/main/php_version.h");
        assert!(
            version_h.contains("#define PHP_VERSION_ID 80324\n"),
            "{version_h}"
        );
        let entrypoint = text(fs, "/usr/local/bin/docker-php-entrypoint");
        assert!(
            entrypoint.contains(&format!("set -- {} \"$@\"", cmd[0])),
            "{entrypoint}"
        );
    }
}

#[test]
fn php_s_download_is_the_placeholder_curl_writes_for_the_known_release() {
    let fs_owner = image("php:8.3-cli");
    let fs = top(&fs_owner);
    let url = "https://www.php.net/distributions/php-8.3.24.tar.xz";
    assert_eq!(
        fs.read_file("/usr/src/php.tar.xz")
            .unwrap()
            .bytes()
            .as_ref(),
        crate::shell::commands::net::placeholder(url).as_slice()
    );
    assert!(super::release(url).is_some());
}

#[test]
fn php_apache_has_debian_s_apache_with_prefork_and_php() {
    let php = image("php:8.3-apache");
    let fs = top(&php);
    // Files written `text` in the package list hold the texts apt installs.
    for module in ["rewrite", "mpm_prefork"] {
        let path = format!("/etc/apache2/mods-available/{module}.load");
        assert_eq!(
            text(fs, &path),
            crate::shell::packages::contents::text("apache2", &path).unwrap()
        );
    }
    let envvars = text(fs, "/etc/apache2/envvars");
    assert!(envvars.contains("\n: ${APACHE_RUN_USER:=www-data}\nexport APACHE_RUN_USER\n"));
    assert!(!envvars.contains("export APACHE_RUN_USER=www-data"));
    assert!(fs.stat("/etc/apache2/mods-enabled/mpm_event.load").is_err());
    for link in [
        "/etc/apache2/mods-enabled/mpm_prefork.load",
        "/etc/apache2/mods-enabled/php.load",
        "/etc/apache2/conf-enabled/docker-php.conf",
    ] {
        assert!(fs.read_link(link).is_ok(), "{link}");
    }
    assert_eq!(
        fs.stat("/usr/lib/apache2/modules/libphp.so")
            .unwrap()
            .meta
            .mode
            & 0o777,
        0o644
    );
    assert_eq!(
        fs.read_link("/var/log/apache2/error.log").unwrap(),
        "/dev/stderr"
    );
    let html = fs.stat("/var/www/html").unwrap();
    assert_eq!((html.meta.mode & 0o7777, html.meta.uid), (0o1777, 33));
    assert!(fs.read_dir("/var/www/html").unwrap().is_empty());
    assert!(text(fs, "/var/lib/dpkg/status").contains("Package: apache2\n"));
}

#[test]
fn php_fpm_has_its_pool_listening_on_9000() {
    let php = image("php:8.3-fpm");
    let fs = top(&php);
    assert!(fs.stat("/usr/local/sbin/php-fpm").is_ok());
    let www = text(fs, "/usr/local/etc/php-fpm.d/www.conf");
    assert!(
        www.contains("\nuser = www-data\ngroup = www-data\n"),
        "{www}"
    );
    assert_eq!(www, text(fs, "/usr/local/etc/php-fpm.d/www.conf.default"));
    assert!(
        text(fs, "/usr/local/etc/php-fpm.conf").contains("include=/usr/local/etc/php-fpm.d/*.conf")
    );
    assert!(text(fs, "/usr/local/etc/php-fpm.d/zz-docker.conf").contains("listen = 9000\n"));
}
