//! The catalog's images: which tags exist, and for each the steps of the official
//! image's build (layers, empty history entries, configuration), after the
//! Dockerfiles of docker-library (httpd, python, golang...), nodejs/docker-node and
//! nginxinc/docker-nginx.
//!
//! Layer counts follow those Dockerfiles (one layer per RUN/COPY/ADD, the parent
//! image's layers below). History strings are the real ones with long RUN scripts
//! shortened (`...`); the `ADD file:<hex>` digests of Ubuntu's layers are made up
//! (stable, but not the real ones). Dates are those of the image versions modelled.

mod java;

use super::manifest::{add_version_vars, Catalog, Expander, ManifestError};
use super::{BaseConfig, BaseHistory, BaseImage, BaseLayer, CatalogEntry};
use crate::digest::Digest;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The text the catalog is written in, included whole (a few hundred KB).
const SECTIONS: &[&str] = &[
    include_str!("debian.txt"),
    include_str!("ubuntu.txt"),
    include_str!("alpine.txt"),
    include_str!("python.txt"),
    include_str!("runtimes.txt"),
    include_str!("distroless.txt"),
    include_str!("java.txt"),
];
const DPKG: &[&str] = &[
    include_str!("dpkg-bookworm.txt"),
    include_str!("dpkg-extra.txt"),
];
const APK: &str = include_str!("apk.txt");

/// The comment BuildKit's Dockerfile frontend puts on every history entry.
const BUILDKIT: &str = "buildkit.dockerfile.v0";

/// One step of an image's build.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    created_by: String,
    comment: &'static str,
    created: i64,
    /// Sections that make the step's layer; `None` for a metadata-only step.
    sections: Option<Vec<&'static str>>,
}

/// How to make an image: its steps (the parent's first) and its configuration.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recipe {
    steps: Vec<Step>,
    config: BaseConfig,
    /// Mixed into simulated contents so images built separately differ.
    salt: String,
    /// The words of the `{name}` holes in its sections (`{version}`, `{npm}`...).
    vars: BTreeMap<String, String>,
    /// The config's and every history entry's `author` (Bazel's images have one).
    author: &'static str,
}

impl Recipe {
    fn layer(
        &mut self,
        created: i64,
        comment: &'static str,
        created_by: &str,
        sections: &[&'static str],
    ) {
        self.steps.push(Step {
            created_by: created_by.to_string(),
            comment,
            created,
            sections: Some(sections.to_vec()),
        });
    }

    /// A BuildKit RUN/COPY step that makes a layer.
    fn run(&mut self, created: i64, instruction: &str, sections: &[&'static str]) {
        self.layer(
            created,
            BUILDKIT,
            &format!("{instruction} # buildkit"),
            sections,
        );
    }

    /// A BuildKit metadata step (ENV, CMD, ...), with no layer.
    fn meta(&mut self, created: i64, created_by: &str) {
        self.steps.push(Step {
            created_by: created_by.to_string(),
            comment: BUILDKIT,
            created,
            sections: None,
        });
    }

    /// `ENV K=V`: the history entry and the config change (replacing an older K).
    fn env(&mut self, created: i64, key: &str, value: &str) {
        self.meta(created, &format!("ENV {key}={value}"));
        self.set_env(key, value);
    }

    /// `ENV K1=V1 K2=V2 ...`: one history entry, every variable set in order.
    fn envs(&mut self, created: i64, pairs: &[(&str, &str)]) {
        let words: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.meta(created, &format!("ENV {}", words.join(" ")));
        for (key, value) in pairs {
            self.set_env(key, value);
        }
    }

    /// Sets `key` in the config's environment, replacing an older value.
    fn set_env(&mut self, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        match self
            .config
            .env
            .iter_mut()
            .find(|e| e.split('=').next() == Some(key))
        {
            Some(e) => *e = entry,
            None => self.config.env.push(entry),
        }
    }

    fn cmd(&mut self, created: i64, argv: &[&str]) {
        self.meta(created, &format!("CMD {}", go_list(argv)));
        self.config.cmd = Some(argv.iter().map(|s| s.to_string()).collect());
    }

    fn entrypoint(&mut self, created: i64, argv: &[&str]) {
        self.meta(created, &format!("ENTRYPOINT {}", go_list(argv)));
        self.config.entrypoint = Some(argv.iter().map(|s| s.to_string()).collect());
        // As in Docker, a new ENTRYPOINT clears the inherited CMD.
        self.config.cmd = None;
    }

    fn label(&mut self, created: i64, key: &str, value: &str) {
        self.meta(created, &format!("LABEL {key}={value}"));
        self.config
            .labels
            .push((key.to_string(), value.to_string()));
    }
}

/// A Go-quoted argv list as BuildKit prints CMD and ENTRYPOINT (`["a" "b"]`).
fn go_list(argv: &[&str]) -> String {
    let quoted: Vec<String> = argv.iter().map(|a| format!("{a:?}")).collect();
    format!("[{}]", quoted.join(" "))
}

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Debian releases the catalog models.
#[derive(Clone, Copy)]
enum Debian {
    Bullseye,
    Bookworm,
    Trixie,
}

impl Debian {
    fn codename(self) -> &'static str {
        match self {
            Debian::Bullseye => "bullseye",
            Debian::Bookworm => "bookworm",
            Debian::Trixie => "trixie",
        }
    }

    /// The debuerreotype serial's epoch (bullseye 11.11 of 2024-08-31, bookworm
    /// 12.11 of 2025-05-20, trixie 13.1).
    fn epoch(self) -> i64 {
        match self {
            Debian::Bullseye => 1_725_062_400,
            Debian::Bookworm => 1_747_699_200,
            Debian::Trixie => 1_757_289_600,
        }
    }
}

fn debian(release: Debian, slim: bool) -> Recipe {
    let mut r = Recipe {
        salt: format!("debian-{}", release.codename()),
        ..Recipe::default()
    };
    let section = match (release, slim) {
        (Debian::Bullseye, false) => "debian-bullseye",
        (Debian::Bullseye, true) => "debian-bullseye-slim",
        (Debian::Bookworm, false) => "debian-bookworm",
        (Debian::Bookworm, true) => "debian-bookworm-slim",
        (Debian::Trixie, false) => "debian-trixie",
        (Debian::Trixie, true) => "debian-trixie-slim",
    };
    let e = release.epoch();
    let flag = if slim { "--slim " } else { "" };
    r.layer(
        e,
        "debuerreotype 0.15",
        &format!(
            "# debian.sh --arch 'amd64' {flag}out/ '{}' '@{e}'",
            release.codename()
        ),
        &[section],
    );
    r.steps.push(Step {
        created_by: "CMD [\"bash\"]".to_string(),
        comment: BUILDKIT,
        created: e,
        sections: None,
    });
    r.config.env = vec![format!("PATH={PATH}")];
    r.config.cmd = Some(vec!["bash".to_string()]);
    r
}

#[derive(Clone, Copy)]
enum Ubuntu {
    Jammy,
    Noble,
}

fn ubuntu(release: Ubuntu) -> Recipe {
    let (version, section, created, file) = match release {
        Ubuntu::Jammy => ("22.04", "ubuntu-jammy", 1_727_386_302, "ubuntu-jammy"),
        Ubuntu::Noble => ("24.04", "ubuntu-noble", 1_728_616_051, "ubuntu-noble"),
    };
    let mut r = Recipe {
        salt: file.to_string(),
        ..Recipe::default()
    };
    let nop = |text: &str| format!("/bin/sh -c #(nop)  {text}");
    for text in ["ARG RELEASE", "ARG LAUNCHPAD_BUILD_ARCH"] {
        r.steps.push(Step {
            created_by: nop(text),
            comment: "",
            created,
            sections: None,
        });
    }
    for (k, v) in [
        ("org.opencontainers.image.ref.name", "ubuntu"),
        ("org.opencontainers.image.version", version),
    ] {
        r.steps.push(Step {
            created_by: nop(&format!("LABEL {k}={v}")),
            comment: "",
            created,
            sections: None,
        });
        r.config.labels.push((k.to_string(), v.to_string()));
    }
    let fake = Digest::of(file.as_bytes()).hex();
    r.layer(
        created,
        "",
        &format!("/bin/sh -c #(nop) ADD file:{fake} in / "),
        &[section],
    );
    r.steps.push(Step {
        created_by: nop("CMD [\"/bin/bash\"]"),
        comment: "",
        created,
        sections: None,
    });
    r.config.env = vec![format!("PATH={PATH}")];
    r.config.cmd = Some(vec!["/bin/bash".to_string()]);
    r
}

#[derive(Clone, Copy)]
enum Alpine {
    V320,
    V321,
    V322,
    V323,
    V324,
}

fn alpine(release: Alpine) -> Recipe {
    let (full, section, created) = match release {
        Alpine::V320 => ("3.20.3", "alpine-3.20", 1_725_969_600),
        Alpine::V321 => ("3.21.2", "alpine-3.21", 1_736_338_050),
        Alpine::V322 => ("3.22.2", "alpine-3.22", 1_759_276_800),
        Alpine::V323 => ("3.23.0", "alpine-3.23", 1_764_547_200),
        Alpine::V324 => ("3.24.0", "alpine-3.24", 1_778_803_200),
    };
    let mut r = Recipe {
        salt: format!("alpine-{full}"),
        ..Recipe::default()
    };
    r.run(
        created,
        &format!("ADD alpine-minirootfs-{full}-x86_64.tar.gz /"),
        &[section],
    );
    r.cmd(created, &["/bin/sh"]);
    r.config.env = vec![format!("PATH={PATH}")];
    r
}

fn busybox(version: &str) -> Recipe {
    let created = 1_727_386_302;
    let mut r = Recipe {
        salt: format!("busybox-{version}"),
        ..Recipe::default()
    };
    r.run(created, "ADD busybox.tar.xz /", &["busybox"]);
    r.cmd(created, &["sh"]);
    r.config.env =
        vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()];
    r
}

/// Google's distroless images: what each repository adds on top of `static`.
#[derive(Clone, Copy, PartialEq)]
enum Distroless {
    /// CA certificates, tzdata, users; no C library.
    Static,
    /// `static` plus glibc.
    BaseNossl,
    /// `static` plus glibc and OpenSSL.
    Base,
    /// `base` plus the GCC runtime (libgcc, libstdc++, libgomp).
    Cc,
    /// `cc` plus Debian's Python 3.11, which is the entrypoint.
    Python3,
}

/// A distroless tag: `latest`, `nonroot`, `debug` or `debug-nonroot`.
#[derive(Clone, Copy)]
struct DistrolessTag {
    /// Adds busybox under `/busybox` and makes `/busybox/sh` the entrypoint.
    debug: bool,
    /// Runs as user 65532 in `/home/nonroot` instead of 0 in `/`.
    nonroot: bool,
}

// The four tags every distroless repository publishes.
const LATEST: DistrolessTag = DistrolessTag {
    debug: false,
    nonroot: false,
};
const NONROOT: DistrolessTag = DistrolessTag {
    debug: false,
    nonroot: true,
};
const DEBUG: DistrolessTag = DistrolessTag {
    debug: true,
    nonroot: false,
};
const DEBUG_NONROOT: DistrolessTag = DistrolessTag {
    debug: true,
    nonroot: true,
};

/// A distroless image as GoogleContainerTools/distroless builds it with Bazel
/// (`static/static.bzl`, `base/base.bzl`, `cc/cc.bzl`): one layer per group of
/// tars (the packages, the generated files, busybox for debug, each repository's
/// packages), all dated the Unix epoch with Bazel's `bazel build ...` history and
/// no metadata-only entries; the config sets PATH and SSL_CERT_FILE, the user and
/// working directory (`0` and `/`, or `65532` and `/home/nonroot`), and for debug
/// tags `/busybox` on PATH and the `/busybox/sh` entrypoint (python3's is Python).
fn distroless(kind: Distroless, release: Debian, tag: DistrolessTag) -> Recipe {
    let bookworm = matches!(release, Debian::Bookworm);
    let mut r = Recipe {
        salt: format!("distroless-{}", release.codename()),
        author: "Bazel",
        ..Recipe::default()
    };
    let mut layer = |sections: &[&'static str]| r.layer(0, "", "bazel build ...", sections);
    if bookworm {
        layer(&["distroless-static-packages"]);
        layer(&["distroless-12"]);
    } else {
        layer(&["distroless-bullseye"]);
        layer(&["distroless-11"]);
    }
    if tag.debug {
        layer(&["distroless-busybox"]);
    }
    match (kind, bookworm) {
        (Distroless::Static, _) => {}
        (Distroless::BaseNossl, _) => layer(&["distroless-base-nossl"]),
        (_, true) => layer(&["distroless-base-12"]),
        (_, false) => layer(&["distroless-base-11"]),
    }
    if matches!(kind, Distroless::Cc | Distroless::Python3) {
        layer(&["distroless-cc"]);
    }
    if kind == Distroless::Python3 {
        layer(&["distroless-python3"]);
    }
    let path = if tag.debug {
        format!("PATH={PATH}:/busybox")
    } else {
        format!("PATH={PATH}")
    };
    r.config.env = vec![
        path,
        "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt".to_string(),
    ];
    if kind == Distroless::Python3 {
        r.config.env.push("LANG=C.UTF-8".to_string());
        r.config.entrypoint = Some(vec!["/usr/bin/python3.11".to_string()]);
    } else if tag.debug {
        r.config.entrypoint = Some(vec!["/busybox/sh".to_string()]);
    }
    (r.config.user, r.config.working_dir) = if tag.nonroot {
        ("65532".to_string(), "/home/nonroot".to_string())
    } else {
        ("0".to_string(), "/".to_string())
    };
    r
}

/// buildpack-deps: Debian plus curl, then version control, then build tools.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Buildpack {
    Curl,
    Scm,
    Full,
}

fn buildpack(level: Buildpack) -> Recipe {
    buildpack_on(Debian::Bookworm, level)
}

/// buildpack-deps on a given Debian release (the same packages on each).
fn buildpack_on(release: Debian, level: Buildpack) -> Recipe {
    let mut r = debian(release, false);
    let created = 1_747_785_600;
    r.run(
        created,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\twget \t; \trm -rf /var/lib/apt/lists/*",
        &["buildpack-curl"],
    );
    if level >= Buildpack::Scm {
        r.run(
            created,
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \trm -rf /var/lib/apt/lists/*",
            &["buildpack-scm"],
        );
    }
    if level == Buildpack::Full {
        r.run(
            created,
            "RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t\tlibc6-dev \t\tlibcurl4-openssl-dev \t\tlibdb-dev \t\tlibevent-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tlibglib2.0-dev \t\tlibgmp-dev \t\tlibjpeg-dev \t\tlibkrb5-dev \t\tliblzma-dev \t\tlibmagickcore-dev \t\tlibmagickwand-dev \t\tlibmaxminddb-dev \t\tlibncurses5-dev \t\tlibncursesw5-dev \t\tlibpng-dev \t\tlibpq-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibtool \t\tlibwebp-dev \t\tlibxml2-dev \t\tlibxslt-dev \t\tlibyaml-dev \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \trm -rf /var/lib/apt/lists/*",
            &["buildpack-full"],
        );
    }
    r
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Full,
    Slim,
    Alpine,
}

/// A Python minor the catalog models, at its release in docker-library's build of
/// 2024-12-04 (the `ENV PYTHON_VERSION` of those images).
struct PythonMinor {
    minor: &'static str,
    version: &'static str,
    /// The pip that `ensurepip` bundles, which the image keeps.
    pip: &'static str,
    /// The sections of the interpreter's tree (python.txt).
    files: &'static [&'static str],
    /// 3.10 and 3.11 images also `pip3 install 'setuptools==65.5.1' wheel`; 3.12
    /// and later ship pip alone.
    build_tools: bool,
}

const PYTHONS: &[PythonMinor] = &[
    PythonMinor {
        minor: "3.13",
        version: "3.13.1",
        pip: "24.3.1",
        files: &["python-patchlevel", "python-files", "python-3.13"],
        build_tools: false,
    },
    PythonMinor {
        minor: "3.12",
        version: "3.12.8",
        pip: "24.3.1",
        files: &["python-patchlevel", "python-3.12-files"],
        build_tools: false,
    },
    PythonMinor {
        minor: "3.11",
        version: "3.11.11",
        pip: "24.0",
        files: &[
            "python-patchlevel",
            "python-files",
            "python-3.11",
            "python-build-tools",
        ],
        build_tools: true,
    },
    PythonMinor {
        minor: "3.10",
        version: "3.10.16",
        pip: "23.0.1",
        files: &[
            "python-patchlevel",
            "python-files",
            "python-3.10",
            "python-build-tools",
        ],
        build_tools: true,
    },
];

/// The holes a recipe's sections are filled with: `version` and what derives from
/// it (`manifest::add_version_vars`), plus `extra` words.
fn version_vars(version: &str, extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut vars: BTreeMap<String, String> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    vars.insert("version".to_string(), version.to_string());
    add_version_vars(&mut vars);
    vars
}

fn python(minor: &str, variant: Variant) -> Recipe {
    let py = PYTHONS
        .iter()
        .find(|p| p.minor == minor)
        .unwrap_or(&PYTHONS[1]);
    let (version, created) = (py.version, 1_733_270_400);
    let mut r = match variant {
        Variant::Full => buildpack(Buildpack::Full),
        Variant::Slim => debian(Debian::Bookworm, true),
        Variant::Alpine => alpine(Alpine::V321),
    };
    r.salt = format!("python-{version}-{}", variant_name(variant));
    r.vars = version_vars(version, &[("pip", py.pip)]);
    r.env(created, "PATH", &format!("/usr/local/bin:{PATH}"));
    r.env(created, "LANG", "C.UTF-8");
    let (deps_run, deps, build, runtime) = match variant {
        Variant::Alpine => (
            "RUN /bin/sh -c set -eux; \tapk add --no-cache \t\tca-certificates \t\ttzdata \t;",
            "python-alpine-deps",
            "RUN /bin/sh -c set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tbluez-dev \t\tbzip2-dev \t\tdpkg-dev dpkg \t\tgcc \t\tlibc-dev \t\tlibffi-dev \t\tmake \t\topenssl-dev \t\treadline-dev \t\tsqlite-dev \t\ttar \t\txz \t\tzlib-dev \t; \t\twget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; ... \tapk del --no-network .build-deps; \t\tpython3 --version; \tpip3 --version",
            "python-alpine-runtime",
        ),
        Variant::Full => (
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tlibbluetooth-dev \t\ttk-dev \t\tuuid-dev \t; \trm -rf /var/lib/apt/lists/*",
            "python-full-deps",
            "RUN /bin/sh -c set -eux; \t\twget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; \techo \"$PYTHON_SHA256 *python.tar.xz\" | sha256sum -c -; ... \tmake install; ... \t\tpython3 --version; \tpip3 --version",
            "python-no-runtime",
        ),
        Variant::Slim => (
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tnetbase \t\ttzdata \t; \trm -rf /var/lib/apt/lists/*",
            "python-slim-deps",
            "RUN /bin/sh -c set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tdpkg-dev \t\tgcc \t\tgnupg \t\tlibbluetooth-dev \t\tlibbz2-dev \t\tlibc6-dev \t\tlibdb-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tliblzma-dev \t\tlibncursesw5-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tmake \t\ttk-dev \t\tuuid-dev \t\twget \t\txz-utils \t\tzlib1g-dev \t; ... \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \trm -rf /var/lib/apt/lists/*; \t\tpython3 --version; \tpip3 --version",
            "python-slim-runtime",
        ),
    };
    r.run(created, deps_run, &[deps]);
    // The release managers' keys: Pablo Galindo Salgado signs 3.10 and 3.11,
    // Thomas Wouters 3.12 and 3.13.
    let gpg_key = if py.build_tools {
        "A035C8C19219BA821ECEA86B64E628F8D684696D"
    } else {
        "7169605F62C751356D054A26A821E680E5FA6305"
    };
    r.env(created, "GPG_KEY", gpg_key);
    r.env(created, "PYTHON_VERSION", version);
    let build = if py.build_tools {
        build.replace(
            "\tpip3 --version",
            "\tpip3 install \t\t--disable-pip-version-check \t\t--no-cache-dir \t\t--no-compile \t\t'setuptools==65.5.1' \t\twheel \t; \tpip3 --version",
        )
    } else {
        build.to_string()
    };
    let mut sections = vec![runtime];
    sections.extend_from_slice(py.files);
    r.run(created, &build, &sections);
    r.run(
        created,
        "RUN /bin/sh -c set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst=\"$(echo \"$src\" | tr -d 3)\"; \t\t[ -s \"/usr/local/bin/$src\" ]; \t\t[ ! -e \"/usr/local/bin/$dst\" ]; \t\tln -svT \"$src\" \"/usr/local/bin/$dst\"; \tdone",
        &["python-3.12-symlinks"],
    );
    r.cmd(created, &["python3"]);
    r
}

fn variant_name(v: Variant) -> &'static str {
    match v {
        Variant::Full => "bookworm",
        Variant::Slim => "slim-bookworm",
        Variant::Alpine => "alpine",
    }
}

/// A Node.js major the catalog models: its release, the npm that release bundles
/// (nodejs.org's release notes) and its tree in runtimes.txt.
struct NodeMajor {
    major: &'static str,
    version: &'static str,
    npm: &'static str,
    files: &'static str,
    created: i64,
}

const NODES: &[NodeMajor] = &[
    NodeMajor {
        major: "22",
        version: "22.12.0",
        npm: "10.9.0",
        files: "node-22",
        created: 1_733_255_400,
    },
    NodeMajor {
        major: "20",
        version: "20.18.1",
        npm: "10.8.2",
        files: "node-20",
        created: 1_732_665_600,
    },
    // 18's last release (end of life 2025-04-30), built 2025-03-27.
    NodeMajor {
        major: "18",
        version: "18.20.8",
        npm: "10.8.2",
        files: "node-18",
        created: 1_743_085_388,
    },
];

/// The npm a Node.js release bundles: that of the modelled release of its major,
/// else of the newest modelled one (releases.rs fills a download's `{npm}` with it).
pub(crate) fn bundled_npm(node_version: &str) -> &'static str {
    let major = node_version.split('.').next().unwrap_or_default();
    NODES
        .iter()
        .find(|n| n.major == major)
        .unwrap_or(&NODES[0])
        .npm
}

fn node(major: &str, variant: Variant) -> Recipe {
    let n = NODES.iter().find(|n| n.major == major).unwrap_or(&NODES[0]);
    let (version, files, created) = (n.version, n.files, n.created);
    let mut r = match variant {
        Variant::Full => buildpack(Buildpack::Full),
        Variant::Slim => debian(Debian::Bookworm, true),
        Variant::Alpine => alpine(Alpine::V321),
    };
    r.salt = format!("node-{version}-{}", variant_name(variant));
    r.vars = version_vars(version, &[("npm", n.npm)]);
    if variant == Variant::Alpine {
        r.env(created, "NODE_VERSION", version);
        r.run(
            created,
            "RUN /bin/sh -c addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node     && ARCH= OPENSSL_ARCH='linux*' && alpineArch=\"$(apk --print-arch)\" ... && apk add --no-cache         libstdc++     && ... && node --version   && npm --version",
            &["node-user-alpine", "node-alpine-libs", files],
        );
    } else {
        r.run(
            created,
            "RUN /bin/sh -c groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node",
            &["node-user-debian"],
        );
        r.env(created, "NODE_VERSION", version);
        r.run(
            created,
            "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\"   && case \"${dpkgArch##*-}\" in     amd64) ARCH='x64';;     ... esac   && ... && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\"   && ... && ln -s /usr/local/bin/node /usr/local/bin/nodejs   && node --version   && npm --version",
            &[files],
        );
    }
    r.env(created, "YARN_VERSION", "1.22.22");
    r.run(
        created,
        "RUN /bin/sh -c set -ex   && for key in     6A010C5166006599AA17F08146C2130DFD2497F5   ; do ... done   && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"   && ... && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && yarn --version",
        &["yarn"],
    );
    r.run(
        created,
        "COPY docker-entrypoint.sh /usr/local/bin/",
        &["node-entrypoint"],
    );
    r.entrypoint(created, &["docker-entrypoint.sh"]);
    r.cmd(created, &["node"]);
    r
}

/// A Go minor the catalog models, at its last release docker-library built (the
/// minors before 1.22 are past their support and frozen there; 1.26 and 1.27 at
/// the releases of the corpus's docker-library/golang commit).
struct GoMinor {
    minor: &'static str,
    version: &'static str,
    /// The `time` line of the release's `VERSION` file (Go 1.21 and later have one).
    time: Option<&'static str>,
    created: i64,
    /// The Alpine release of the last alpine variant, when the catalog has it.
    alpine: Option<Alpine>,
}

const GOS: &[GoMinor] = &[
    // The days of 1.27.0 and 1.26.7 are not in layerlab's sources: the first of
    // the month of the corpus's docker-library commit (August 2026) stands for them.
    GoMinor {
        minor: "1.27",
        version: "1.27.0",
        time: Some("2026-08-01T00:00:00Z"),
        created: 1_785_542_400,
        alpine: Some(Alpine::V324),
    },
    GoMinor {
        minor: "1.26",
        version: "1.26.7",
        time: Some("2026-08-01T00:00:00Z"),
        created: 1_785_542_400,
        alpine: Some(Alpine::V324),
    },
    GoMinor {
        minor: "1.23",
        version: "1.23.4",
        time: Some("2024-11-27T18:03:26Z"),
        created: 1_733_270_400,
        alpine: Some(Alpine::V321),
    },
    GoMinor {
        minor: "1.22",
        version: "1.22.10",
        time: Some("2024-11-26T23:39:28Z"),
        created: 1_733_270_400,
        alpine: Some(Alpine::V321),
    },
    // The release day stands for the build time, which layerlab does not know.
    GoMinor {
        minor: "1.21",
        version: "1.21.13",
        time: Some("2024-08-06T00:00:00Z"),
        created: 1_722_988_800,
        alpine: Some(Alpine::V320),
    },
    GoMinor {
        minor: "1.20",
        version: "1.20.14",
        time: None,
        created: 1_707_264_000,
        alpine: None,
    },
    GoMinor {
        minor: "1.19",
        version: "1.19.13",
        time: None,
        created: 1_694_044_800,
        alpine: None,
    },
];

/// What a golang image is built on.
#[derive(Clone, Copy)]
enum GoOn {
    /// buildpack-deps:RELEASE-scm.
    Debian(Debian),
    /// The minor's newest Alpine (`golang:X.Y-alpine`).
    Alpine,
    /// An older Alpine (`golang:X.Y-alpine3.23`).
    AlpineRelease(Alpine),
}

fn golang(minor: &str, on: GoOn) -> Recipe {
    let go = GOS.iter().find(|g| g.minor == minor).unwrap_or(&GOS[0]);
    let (version, created) = (go.version, go.created);
    let alpine_release = match on {
        GoOn::Debian(_) => None,
        GoOn::Alpine => Some(go.alpine.unwrap_or(Alpine::V321)),
        GoOn::AlpineRelease(release) => Some(release),
    };
    let mut r = if let Some(release) = alpine_release {
        let mut r = alpine(release);
        r.run(
            created,
            "RUN /bin/sh -c apk add --no-cache ca-certificates",
            &["go-alpine-deps"],
        );
        r
    } else {
        let release = match on {
            GoOn::Debian(release) => release,
            _ => Debian::Bookworm,
        };
        let mut r = buildpack_on(release, Buildpack::Scm);
        r.run(
            created,
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tg++ \t\tgcc \t\tlibc6-dev \t\tmake \t\tpkg-config \t; \trm -rf /var/lib/apt/lists/*",
            &["go-debian-deps"],
        );
        r
    };
    // The first models' salts stay as they were, so their digests do too.
    r.salt = match on {
        GoOn::Debian(release) => format!("golang-{version}-{}", release.codename()),
        GoOn::Alpine => format!("golang-{version}-alpine"),
        GoOn::AlpineRelease(_) => format!("golang-{version}-{}", r.salt),
    };
    let gopath_path = format!("/go/bin:/usr/local/go/bin:{PATH}");
    match go.time {
        // 1.21 and later: the toolchain is unpacked in a build stage and copied in.
        Some(time) => {
            r.vars = version_vars(version, &[("go_time", time)]);
            r.env(created, "GOLANG_VERSION", version);
            r.env(created, "GOTOOLCHAIN", "local");
            r.env(created, "GOPATH", "/go");
            r.env(created, "PATH", &gopath_path);
            r.run(created, "COPY /target/ /", &["go-1.23", "go-version"]);
        }
        // Before: a single stage that downloads and unpacks it in place.
        None => {
            r.vars = version_vars(version, &[]);
            r.env(created, "PATH", &format!("/usr/local/go/bin:{PATH}"));
            r.env(created, "GOLANG_VERSION", version);
            r.run(
                created,
                &format!("RUN /bin/sh -c set -eux; \tarch=\"$(dpkg --print-architecture)\"; arch=\"${{arch##*-}}\"; \turl=; \tcase \"$arch\" in \t\t'amd64') \t\t\turl='https://dl.google.com/go/go{version}.linux-amd64.tar.gz'; ... \tesac; ... \twget -O go.tgz \"$url\" --progress=dot:giga; \techo \"$sha256 *go.tgz\" | sha256sum -c -; ... \ttar -C /usr/local -xzf go.tgz; \trm go.tgz; ... \tgo version"),
                &["go-1.23", "go-version-legacy"],
            );
            r.env(created, "GOPATH", "/go");
            r.env(created, "PATH", &gopath_path);
        }
    }
    r.run(
        created,
        "RUN /bin/sh -c mkdir -p \"$GOPATH/src\" \"$GOPATH/bin\" && chmod -R 1777 \"$GOPATH\"",
        &["gopath"],
    );
    r.meta(created, "WORKDIR /go");
    r.config.working_dir = "/go".to_string();
    r
}

/// The rust images (rust-lang/docker-rust, 1.83.0): buildpack-deps, Debian slim
/// with gcc, or Alpine with gcc, then one `rustup-init --profile minimal` run.
fn rust(variant: Variant) -> Recipe {
    const VERSION: &str = "1.83.0";
    let (mut r, created) = match variant {
        Variant::Full => (buildpack(Buildpack::Full), 1_732_804_615),
        Variant::Slim => (debian(Debian::Bookworm, true), 1_732_804_615),
        Variant::Alpine => (alpine(Alpine::V321), 1_733_437_209),
    };
    r.salt = format!("rust-{VERSION}-{}", variant_name(variant));
    r.label(
        created,
        "org.opencontainers.image.source",
        "https://github.com/rust-lang/docker-rust",
    );
    if variant == Variant::Alpine {
        r.run(
            created,
            "RUN /bin/sh -c apk add --no-cache         ca-certificates         gcc",
            &["rust-alpine-deps"],
        );
    }
    let path = format!("/usr/local/cargo/bin:{PATH}");
    r.envs(
        created,
        &[
            ("RUSTUP_HOME", "/usr/local/rustup"),
            ("CARGO_HOME", "/usr/local/cargo"),
            ("PATH", &path),
            ("RUST_VERSION", VERSION),
        ],
    );
    let rustup = "url=\"https://static.rust-lang.org/rustup/archive/1.27.1/${rustArch}/rustup-init\";     wget \"$url\";     echo \"${rustupSha256} *rustup-init\" | sha256sum -c -;     chmod +x rustup-init;     ./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host ${rustArch};     rm rustup-init;     chmod -R a+w $RUSTUP_HOME $CARGO_HOME;     rustup --version;     cargo --version;     rustc --version;";
    let gnu = "dpkgArch=\"$(dpkg --print-architecture)\";     case \"${dpkgArch##*-}\" in         amd64) rustArch='x86_64-unknown-linux-gnu'; rustupSha256='6aeece6993e902708983b209d04c0d1dbb14ebb405ddb87def578d41f920f56d' ;;         ... esac;";
    let (run, sections): (String, &[&'static str]) = match variant {
        Variant::Full => (format!("set -eux;     {gnu}     {rustup}"), &["rustup-gnu"]),
        Variant::Slim => (
            format!("set -eux;     apt-get update;     apt-get install -y --no-install-recommends         ca-certificates         gcc         libc6-dev         wget         ;     {gnu}     {rustup}     apt-get remove -y --auto-remove         wget         ;     rm -rf /var/lib/apt/lists/*;"),
            &["rust-slim-deps", "rustup-gnu"],
        ),
        Variant::Alpine => (
            format!("set -eux;     apkArch=\"$(apk --print-arch)\";     case \"$apkArch\" in         x86_64) rustArch='x86_64-unknown-linux-musl'; rustupSha256='1455d1df3825c5f24ba06d9dd1c7052908272a2cae9aa749ea49d67acbe22b47' ;;         ... esac;     {rustup}"),
            &["rustup-musl"],
        ),
    };
    r.run(created, &format!("RUN /bin/sh -c {run}"), sections);
    r
}

/// The httpd images (docker-library/httpd 2.4.62, built 2024-07-17): Debian 12
/// slim or Alpine 3.20 with the www-data user, the prefix made and handed to it,
/// the run-time libraries, then one RUN that builds httpd from source and keeps
/// the libraries its programs link (apt-mark from ldd, or scanelf's so: names).
fn httpd(alpine_based: bool) -> Recipe {
    const VERSION: &str = "2.4.62";
    let created = 1_721_259_074;
    let (mut r, www) = if alpine_based {
        let mut r = alpine(Alpine::V320);
        r.run(
            created,
            "RUN /bin/sh -c set -x \t&& adduser -u 82 -D -S -G www-data www-data",
            &["httpd-alpine-user"],
        );
        (r, "82:82")
    } else {
        (debian(Debian::Bookworm, true), "33:33")
    };
    r.salt = format!(
        "httpd-{VERSION}-{}",
        if alpine_based { "alpine" } else { "bookworm" }
    );
    r.vars = version_vars(VERSION, &[("www", www)]);
    let prefix = "/usr/local/apache2";
    r.env(created, "HTTPD_PREFIX", prefix);
    r.env(created, "PATH", &format!("{prefix}/bin:{PATH}"));
    r.run(
        created,
        "RUN /bin/sh -c mkdir -p \"$HTTPD_PREFIX\" \t&& chown www-data:www-data \"$HTTPD_PREFIX\"",
        &["httpd-prefix-dir"],
    );
    // BuildKit's WORKDIR makes a layer even when the directory exists (an empty one).
    r.layer(created, BUILDKIT, &format!("WORKDIR {prefix}"), &[]);
    r.config.working_dir = prefix.to_string();
    let (deps_run, deps, build, libs) = if alpine_based {
        (
            "RUN /bin/sh -c set -eux; \tapk add --no-cache \t\tapr \t\tapr-util \t\tapr-util-ldap \t\tca-certificates \t\tperl \t;",
            "httpd-alpine-deps",
            "RUN /bin/sh -c set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tapr-dev \t\tapr-util-dev \t\tcoreutils \t\tdpkg-dev dpkg \t\tgcc \t\tgnupg \t\tlibc-dev \t\tpatch \t\tcurl-dev \t\tjansson-dev \t\tlibxml2-dev \t\tlua-dev \t\tmake \t\tnghttp2-dev \t\topenssl \t\topenssl-dev \t\tpcre-dev \t\ttar \t\tzlib-dev \t\tbrotli-dev \t; \t\tddist() { ... }; \t\tddist 'httpd.tar.bz2' \"httpd/httpd-$HTTPD_VERSION.tar.bz2\"; \techo \"$HTTPD_SHA256 *httpd.tar.bz2\" | sha256sum -c -; ... \tmkdir -p src; \ttar -xf httpd.tar.bz2 -C src --strip-components=1; \trm httpd.tar.bz2; \tcd src; ... \t./configure \t\t--build=\"$gnuArch\" \t\t--prefix=\"$HTTPD_PREFIX\" \t\t--enable-mods-shared=reallyall \t\t--enable-mpms-shared=all \t; \tmake -j \"$(nproc)\"; \tmake install; \t\tcd ..; \trm -r src man manual; \t\tsed -ri \t\t-e 's!^(\\s*CustomLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \t\t-e 's!^(\\s*ErrorLog)\\s+\\S+!\\1 /proc/self/fd/2!g' \t\t-e 's!^(\\s*TransferLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \t\t-e 's!^(\\s*User)\\s+daemon\\s*$!\\1 www-data!g' \t\t-e 's!^(\\s*Group)\\s+daemon\\s*$!\\1 www-data!g' \t\t\"$HTTPD_PREFIX/conf/httpd.conf\" \t\t\"$HTTPD_PREFIX/conf/extra/httpd-ssl.conf\" \t; ... \tdeps=\"$( \t\tscanelf --needed --nobanner --format '%n#p' --recursive /usr/local \t\t\t| tr ',' '\\n' \t\t\t| sort -u \t\t\t| awk 'system(\"[ -e /usr/local/lib/\" $1 \" ]\") == 0 { next } { print \"so:\" $1 }' \t)\"; \tapk add --no-network --virtual .httpd-so-deps $deps; \tapk del --no-network .build-deps; \t\thttpd -v",
            "httpd-alpine-libs",
        )
    } else {
        (
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tlibaprutil1-ldap \t\tlibldap-common \t; \trm -rf /var/lib/apt/lists/*",
            "httpd-debian-deps",
            "RUN /bin/sh -c set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tbzip2 \t\tdpkg-dev \t\tgcc \t\tgnupg \t\tlibapr1-dev \t\tlibaprutil1-dev \t\tlibbrotli-dev \t\tlibcurl4-openssl-dev \t\tlibjansson-dev \t\tliblua5.2-dev \t\tlibnghttp2-dev \t\tlibpcre3-dev \t\tlibssl-dev \t\tlibxml2-dev \t\tmake \t\tpatch \t\twget \t\tzlib1g-dev \t; \trm -r /var/lib/apt/lists/*; \t\tddist() { ... }; \t\tddist 'httpd.tar.bz2' \"httpd/httpd-$HTTPD_VERSION.tar.bz2\"; \techo \"$HTTPD_SHA256 *httpd.tar.bz2\" | sha256sum -c -; ... \tmkdir -p src; \ttar -xf httpd.tar.bz2 -C src --strip-components=1; \trm httpd.tar.bz2; \tcd src; ... \t./configure \t\t--build=\"$gnuArch\" \t\t--prefix=\"$HTTPD_PREFIX\" \t\t--enable-mods-shared=reallyall \t\t--enable-mpms-shared=all \t\t--enable-pie \t\tCFLAGS=\"-pipe $CFLAGS\" \t\tCPPFLAGS=\"$CPPFLAGS\" \t\tLDFLAGS=\"-Wl,--as-needed $LDFLAGS\" \t; \tmake -j \"$(nproc)\"; \tmake install; \t\tcd ..; \trm -r src man manual; \t\tsed -ri \t\t-e 's!^(\\s*CustomLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \t\t-e 's!^(\\s*ErrorLog)\\s+\\S+!\\1 /proc/self/fd/2!g' \t\t-e 's!^(\\s*TransferLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \t\t-e 's!^(\\s*User)\\s+daemon\\s*$!\\1 www-data!g' \t\t-e 's!^(\\s*Group)\\s+daemon\\s*$!\\1 www-data!g' \t\t\"$HTTPD_PREFIX/conf/httpd.conf\" \t\t\"$HTTPD_PREFIX/conf/extra/httpd-ssl.conf\" \t; ... \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \t\thttpd -v",
            "httpd-debian-libs",
        )
    };
    r.run(created, deps_run, &[deps]);
    r.env(created, "HTTPD_VERSION", VERSION);
    r.env(
        created,
        "HTTPD_SHA256",
        "674188e7bf44ced82da8db522da946849e22080d73d16c93f7f4df89e25729ec",
    );
    r.env(created, "HTTPD_PATCHES", "");
    r.run(created, build, &[libs, "httpd-prefix"]);
    r.meta(created, "STOPSIGNAL SIGWINCH");
    r.config.stop_signal = Some("SIGWINCH".to_string());
    r.run(
        created,
        "COPY httpd-foreground /usr/local/bin/",
        &["httpd-foreground"],
    );
    r.meta(created, "EXPOSE [80/tcp]");
    r.config.exposed_ports = vec!["80/tcp".to_string()];
    r.cmd(created, &["httpd-foreground"]);
    r
}

/// The php images' variants (docker-library/php's `cli`, `apache` and `fpm`).
#[derive(Clone, Copy, PartialEq)]
enum Php {
    Cli,
    Apache,
    Fpm,
}

/// The php images (docker-library/php 8.3.24 on Debian 12 slim, built
/// 2025-08-12): $PHPIZE_DEPS, $PHP_INI_DIR and /var/www/html, Debian's apache2 for
/// the apache variant, the release's download, then one RUN that builds PHP from
/// source (`catalog::release`'s simulated PHP, whose runtimes.txt php-* sections
/// these layers expand at their installed places), the helper scripts, and OPcache
/// and sodium enabled.
fn php(variant: Php) -> Recipe {
    const VERSION: &str = "8.3.24";
    const API: &str = "20230831";
    let created = 1_754_956_800;
    let mut r = debian(Debian::Bookworm, true);
    let name = match variant {
        Php::Cli => "cli",
        Php::Apache => "apache",
        Php::Fpm => "fpm",
    };
    r.salt = format!("php-{VERSION}-{name}-bookworm");
    let ini = "/usr/local/etc/php";
    let extdir = format!("/usr/local/lib/php/extensions/no-debug-non-zts-{API}");
    let mut options = String::new();
    for option in [
        "--build=x86_64-linux-gnu",
        "--with-config-file-path=/usr/local/etc/php",
        "--with-config-file-scan-dir=/usr/local/etc/php/conf.d",
        "--enable-option-checking=fatal",
        "--with-mhash",
        "--with-pic",
        "--enable-mbstring",
        "--enable-mysqlnd",
        "--with-password-argon2",
        "--with-sodium=shared",
        "--with-pdo-sqlite=/usr",
        "--with-sqlite3=/usr",
        "--with-curl",
        "--with-iconv",
        "--with-openssl",
        "--with-readline",
        "--with-zlib",
        "--disable-phpdbg",
        "--with-pear",
        "--with-libdir=lib/x86_64-linux-gnu",
    ]
    .iter()
    .chain(match variant {
        Php::Cli => &["--enable-embed"][..],
        Php::Apache => &["--disable-cgi", "--with-apxs2"][..],
        Php::Fpm => &[
            "--disable-cgi",
            "--enable-fpm",
            "--with-fpm-user=www-data",
            "--with-fpm-group=www-data",
        ][..],
    }) {
        options.push_str(&format!(" '{option}'"));
    }
    let (sapis, default_cmd) = match variant {
        Php::Cli => ("cli embed", "php"),
        Php::Apache => ("cli apache2handler", "apache2-foreground"),
        Php::Fpm => ("cli fpm", "php-fpm"),
    };
    let (major, rest) = VERSION.split_once('.').unwrap_or_default();
    let (minor, release) = rest.split_once('.').unwrap_or_default();
    let vernum = format!("{major}{minor:0>2}{release:0>2}");
    r.vars = version_vars(
        VERSION,
        &[
            ("php_prefix", "/usr/local"),
            ("php_version", VERSION),
            ("php_major", major),
            ("php_minor", minor),
            ("php_release", release),
            ("php_extra", ""),
            ("php_vernum", &vernum),
            ("php_api", API),
            ("php_extdir", &extdir),
            ("php_options", &options),
            ("php_sapis", sapis),
            ("php_inipath", ini),
            ("php_inidir", &format!("{ini}/conf.d")),
            ("php_build_system", "x86_64-linux-gnu"),
            ("php_zts", "/* #undef ZTS */"),
            ("php_sysconfdir", "/usr/local/etc"),
            ("php_fpm_user", "www-data"),
            ("php_fpm_group", "www-data"),
            ("php_default_cmd", default_cmd),
        ],
    );
    r.run(
        created,
        "RUN /bin/sh -c set -eux; \t{ \t\techo 'Package: php*'; \t\techo 'Pin: release *'; \t\techo 'Pin-Priority: -1'; \t} > /etc/apt/preferences.d/no-debian-php",
        &["php-no-debian-php"],
    );
    r.env(created, "PHPIZE_DEPS", PHPIZE_DEPS);
    r.run(
        created,
        "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\t$PHPIZE_DEPS \t\tca-certificates \t\tcurl \t\txz-utils \t; \trm -rf /var/lib/apt/lists/*",
        &["php-phpize-deps"],
    );
    r.env(created, "PHP_INI_DIR", ini);
    r.run(
        created,
        "RUN /bin/sh -c set -eux; \tmkdir -p \"$PHP_INI_DIR/conf.d\"; \t[ ! -d /var/www/html ]; \tmkdir -p /var/www/html; \tchown www-data:www-data /var/www/html; \tchmod 1777 /var/www/html",
        &["php-ini-dir"],
    );
    if variant == Php::Apache {
        r.env(created, "APACHE_CONFDIR", "/etc/apache2");
        r.env(created, "APACHE_ENVVARS", "/etc/apache2/envvars");
        r.run(
            created,
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends apache2; \trm -rf /var/lib/apt/lists/*; \t\tsed -ri 's/^export ([^=]+)=(.*)$/: ${\\1:=\\2}\\nexport \\1/' \"$APACHE_ENVVARS\"; \t\t. \"$APACHE_ENVVARS\"; \tfor dir in \t\t\"$APACHE_LOCK_DIR\" \t\t\"$APACHE_RUN_DIR\" \t\t\"$APACHE_LOG_DIR\" \t\t\"$APACHE_RUN_DIR/socks\" \t; do ... \tdone; \t\trm -rvf /var/www/html/*; \t\tln -sfT /dev/stderr \"$APACHE_LOG_DIR/error.log\"; ... \tchown -R --no-dereference \"$APACHE_RUN_USER:$APACHE_RUN_GROUP\" \"$APACHE_LOG_DIR\"",
            &["php-apache2"],
        );
        r.run(
            created,
            "RUN /bin/sh -c a2dismod mpm_event && a2enmod mpm_prefork",
            &["php-apache-prefork"],
        );
        r.run(
            created,
            "RUN /bin/sh -c { \t\techo '<FilesMatch \\.php$>'; \t\techo '\\tSetHandler application/x-httpd-php'; \t\techo '</FilesMatch>'; \t\techo; \t\techo 'DirectoryIndex disabled'; \t\techo 'DirectoryIndex index.php index.html'; \t\techo; \t\techo '<Directory /var/www/>'; \t\techo '\\tOptions -Indexes'; \t\techo '\\tAllowOverride All'; \t\techo '</Directory>'; \t} | tee \"$APACHE_CONFDIR/conf-available/docker-php.conf\" \t&& a2enconf docker-php",
            &["php-apache-conf"],
        );
    }
    let cflags =
        "-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64";
    r.env(created, "PHP_CFLAGS", cflags);
    r.env(created, "PHP_CPPFLAGS", cflags);
    r.env(created, "PHP_LDFLAGS", "-Wl,-O1 -pie");
    r.env(
        created,
        "GPG_KEYS",
        "1198C0117593497A5EC5C199286AF1F9897469DC C28D937575603EB4ABB725861C0779DC5C0A9DE4 AFD8691FDAEDF03BDF6E460563F15A9B715376CA",
    );
    r.env(created, "PHP_VERSION", VERSION);
    let url = format!("https://www.php.net/distributions/php-{VERSION}.tar.xz");
    r.envs(
        created,
        &[("PHP_URL", &url), ("PHP_ASC_URL", &format!("{url}.asc"))],
    );
    r.env(
        created,
        "PHP_SHA256",
        "388ee5fd111097e97bae439bff46aec4ea27f816d3f0c2cb5490a41410d44251",
    );
    r.run(
        created,
        "RUN /bin/sh -c set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends gnupg; \trm -rf /var/lib/apt/lists/*; \t\tmkdir -p /usr/src; \tcd /usr/src; \t\tcurl -fsSL -o php.tar.xz \"$PHP_URL\"; \t\tif [ -n \"$PHP_SHA256\" ]; then \t\techo \"$PHP_SHA256 *php.tar.xz\" | sha256sum -c -; \tfi; \t\tcurl -fsSL -o php.tar.xz.asc \"$PHP_ASC_URL\"; \texport GNUPGHOME=\"$(mktemp -d)\"; \tfor key in $GPG_KEYS; do \t\tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\"; \tdone; \tgpg --batch --verify php.tar.xz.asc php.tar.xz; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\"; \t\tapt-mark auto '.*' > /dev/null; \tapt-mark manual $savedAptMark > /dev/null; \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false",
        &["php-download"],
    );
    r.run(
        created,
        "COPY docker-php-source /usr/local/bin/",
        &["php-docker-php-source"],
    );
    let (dev, sapi_options, sapi) = match variant {
        Php::Cli => ("", "--enable-embed", "php-install-embed"),
        Php::Apache => ("apache2-dev \t\t", "--disable-cgi \t\t\t\t--with-apxs2", "php-install-apache"),
        Php::Fpm => (
            "",
            "--disable-cgi \t\t\t\t--enable-fpm \t\t--with-fpm-user=www-data \t\t--with-fpm-group=www-data",
            "php-install-fpm",
        ),
    };
    r.run(
        created,
        &format!("RUN /bin/sh -c set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\t{dev}libargon2-dev \t\tlibcurl4-openssl-dev \t\tlibonig-dev \t\tlibreadline-dev \t\tlibsodium-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibxml2-dev \t\tzlib1g-dev \t; \t\texport \t\tCFLAGS=\"$PHP_CFLAGS\" ... \t; \tdocker-php-source extract; \tcd /usr/src/php; ... \t./configure \t\t--build=\"$gnuArch\" \t\t--with-config-file-path=\"$PHP_INI_DIR\" ... \t\t{sapi_options} \t; \tmake -j \"$(nproc)\"; \tfind -type f -name '*.a' -delete; \tmake install; ... \tcp -v php.ini-* \"$PHP_INI_DIR/\"; \t\tcd /; \tdocker-php-source delete; ... \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \trm -rf /var/lib/apt/lists/*; \t\tpecl update-channels; \trm -rf /tmp/pear ~/.pearrc; \t\tphp --version"),
        &["php-runtime-libs", "php-install", sapi],
    );
    r.run(
        created,
        "COPY docker-php-ext-* docker-php-entrypoint /usr/local/bin/",
        &["php-docker-scripts"],
    );
    r.run(
        created,
        "RUN /bin/sh -c docker-php-ext-enable opcache",
        &["php-enable-opcache"],
    );
    r.run(
        created,
        "RUN /bin/sh -c docker-php-ext-enable sodium",
        &["php-enable-sodium"],
    );
    r.entrypoint(created, &["docker-php-entrypoint"]);
    match variant {
        Php::Cli => r.cmd(created, &["php", "-a"]),
        Php::Apache => {
            r.meta(created, "STOPSIGNAL SIGWINCH");
            r.config.stop_signal = Some("SIGWINCH".to_string());
            r.run(
                created,
                "COPY apache2-foreground /usr/local/bin/",
                &["php-apache2-foreground"],
            );
            r.layer(created, BUILDKIT, "WORKDIR /var/www/html", &[]);
            r.config.working_dir = "/var/www/html".to_string();
            r.meta(created, "EXPOSE [80/tcp]");
            r.config.exposed_ports = vec!["80/tcp".to_string()];
            r.cmd(created, &["apache2-foreground"]);
        }
        Php::Fpm => {
            r.layer(created, BUILDKIT, "WORKDIR /var/www/html", &[]);
            r.config.working_dir = "/var/www/html".to_string();
            r.run(
                created,
                "RUN /bin/sh -c set -eux; \tcd /usr/local/etc; \tif [ -d php-fpm.d ]; then \t\tsed 's!=NONE/!=!g' php-fpm.conf.default | tee php-fpm.conf > /dev/null; \t\tcp php-fpm.d/www.conf.default php-fpm.d/www.conf; \telse ... \tfi; \t{ \t\techo '[global]'; \t\techo 'error_log = /proc/self/fd/2'; ... \t} | tee php-fpm.d/docker.conf; \t{ \t\techo '[global]'; \t\techo 'daemonize = no'; \t\techo; \t\techo '[www]'; \t\techo 'listen = 9000'; \t} | tee php-fpm.d/zz-docker.conf; \tmkdir -p \"$PHP_INI_DIR/conf.d\"; \t{ ... \t} > \"$PHP_INI_DIR/conf.d/docker-fpm.ini\"",
                &["php-fpm-docker-conf"],
            );
            r.meta(created, "STOPSIGNAL SIGQUIT");
            r.config.stop_signal = Some("SIGQUIT".to_string());
            r.meta(created, "EXPOSE [9000/tcp]");
            r.config.exposed_ports = vec!["9000/tcp".to_string()];
            r.cmd(created, &["php-fpm"]);
        }
    }
    r
}

/// `$PHPIZE_DEPS` as the php images' config holds it: the Dockerfile's legacy
/// `ENV PHPIZE_DEPS \` form keeps each continuation line's leading tabs.
const PHPIZE_DEPS: &str =
    "autoconf \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\tlibc-dev \t\tmake \t\tpkg-config \t\tre2c";

/// nginx's variants: on Debian, on Alpine without njs (`alpine-slim`), on Alpine.
#[derive(Clone, Copy, PartialEq)]
enum Nginx {
    Debian,
    AlpineSlim,
    Alpine,
}

/// An nginx release line as nginxinc/docker-nginx builds it.
struct NginxLine {
    version: &'static str,
    /// The dynamic modules' package release (`DYNPKG_RELEASE`, before `~bookworm`).
    dynpkg: &'static str,
    alpine: Alpine,
}

/// Both lines were released on 2025-02-05; the mainline images' build time
/// stands for the stable ones', which layerlab does not know.
const NGINX_MAINLINE: NginxLine = NginxLine {
    version: "1.27.4",
    dynpkg: "1",
    alpine: Alpine::V321,
};
const NGINX_STABLE: NginxLine = NginxLine {
    version: "1.26.3",
    dynpkg: "2",
    alpine: Alpine::V320,
};

fn nginx(line: NginxLine, variant: Nginx) -> Recipe {
    let alpine_based = variant != Nginx::Debian;
    let created = 1_738_790_836;
    let mut r = if alpine_based {
        alpine(line.alpine)
    } else {
        debian(Debian::Bookworm, true)
    };
    r.salt = format!(
        "nginx-{}-{}",
        line.version,
        if alpine_based { "alpine" } else { "bookworm" }
    );
    // The package lists hold the mainline packages; the sections restamp them
    // with the line's versions (`+version`).
    let (release, dynpkg) = if alpine_based {
        ("1".to_string(), line.dynpkg.to_string())
    } else {
        (
            "1~bookworm".to_string(),
            format!("{}~bookworm", line.dynpkg),
        )
    };
    r.vars = [
        ("ngx_version", line.version.to_string()),
        ("ngx_release", release.clone()),
        ("ngx_dynpkg", dynpkg.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    r.label(
        created,
        "maintainer",
        "NGINX Docker Maintainers <docker-maint@nginx.com>",
    );
    r.env(created, "NGINX_VERSION", line.version);
    if !alpine_based {
        r.env(created, "NJS_VERSION", "0.8.9");
        r.env(created, "NJS_RELEASE", "1~bookworm");
    }
    r.env(created, "PKG_RELEASE", &release);
    r.env(created, "DYNPKG_RELEASE", &dynpkg);
    if alpine_based {
        r.run(
            created,
            "RUN /bin/sh -c set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     && apkArch=\"$(cat /etc/apk/arch)\"     && ... && apk add --no-cache tzdata     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d",
            &["nginx-alpine"],
        );
    } else {
        r.run(
            created,
            "RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     && ... && apt-get install --no-install-recommends --no-install-suggests -y                         $nginxPackages                         gettext-base                         curl     && apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d",
            &["nginx-debian"],
        );
    }
    r.run(
        created,
        "COPY docker-entrypoint.sh /",
        &["nginx-entrypoint"],
    );
    r.run(
        created,
        "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d",
        &["nginx-ipv6"],
    );
    r.run(
        created,
        "COPY 15-local-resolvers.envsh /docker-entrypoint.d",
        &["nginx-resolvers"],
    );
    r.run(
        created,
        "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d",
        &["nginx-templates"],
    );
    r.run(
        created,
        "COPY 30-tune-worker-processes.sh /docker-entrypoint.d",
        &["nginx-workers"],
    );
    r.entrypoint(created, &["/docker-entrypoint.sh"]);
    r.meta(created, "EXPOSE [80/tcp]");
    r.config.exposed_ports = vec!["80/tcp".to_string()];
    r.meta(created, "STOPSIGNAL SIGQUIT");
    r.config.stop_signal = Some("SIGQUIT".to_string());
    r.cmd(created, &["nginx", "-g", "daemon off;"]);
    if variant == Nginx::Alpine {
        // nginx:alpine is nginx:alpine-slim plus njs and its libraries.
        r.env(created, "NJS_VERSION", "0.8.9");
        r.env(created, "NJS_RELEASE", "1");
        r.run(
            created,
            "RUN /bin/sh -c set -x     && apkArch=\"$(cat /etc/apk/arch)\"     && nginxPackages=\"         nginx=${NGINX_VERSION}-r${PKG_RELEASE}         nginx-module-xslt=${NGINX_VERSION}-r${DYNPKG_RELEASE}         nginx-module-geoip=${NGINX_VERSION}-r${DYNPKG_RELEASE}         nginx-module-image-filter=${NGINX_VERSION}-r${DYNPKG_RELEASE}         nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}-r${NJS_RELEASE}     \"     && ... && apk add --no-cache curl ca-certificates",
            &["nginx-alpine-njs"],
        );
    }
    r
}

/// Tags that name one image, what it is, and how to make it.
type Tagged = (&'static [&'static str], &'static str, fn() -> Recipe);

/// Which patch-level tags a repository accepts besides its listed ones.
#[derive(Clone, Copy, PartialEq)]
enum Patches {
    /// None.
    No,
    /// `X.Y.Z[-variant]` is the model of `X.Y[-variant]` (python, golang).
    OfMinor,
    /// `X.Y.Z[-variant]` is the model of `X[-variant]` (node's majors).
    OfMajor,
}

/// One repository of the catalog: its tags and how to make each.
struct Repo {
    name: &'static str,
    images: &'static [Tagged],
    patches: Patches,
}

/// A distroless repository: its four tags (root or nonroot, with or without the
/// debug busybox) from one recipe, each described by what the tag adds.
macro_rules! distroless_repo {
    ($name:literal, $kind:expr, $debian:expr, $what:literal) => {
        Repo {
            name: $name,
            images: &[
                (&["latest"], concat!($what, ", as root"), || {
                    distroless($kind, $debian, LATEST)
                }),
                (&["nonroot"], concat!($what, ", as nonroot"), || {
                    distroless($kind, $debian, NONROOT)
                }),
                (
                    &["debug"],
                    concat!($what, "; busybox in /busybox, as root"),
                    || distroless($kind, $debian, DEBUG),
                ),
                (
                    &["debug-nonroot"],
                    concat!($what, "; busybox in /busybox, as nonroot"),
                    || distroless($kind, $debian, DEBUG_NONROOT),
                ),
            ],
            patches: Patches::No,
        }
    };
}

const REPOS: &[Repo] = &[
    Repo {
        name: "alpine",
        images: &[
            (
                &["3.21", "3.21.2", "3", "latest"],
                "Alpine Linux 3.21: musl, busybox and apk",
                || alpine(Alpine::V321),
            ),
            (
                &["3.20", "3.20.3"],
                "Alpine Linux 3.20: musl, busybox and apk",
                || alpine(Alpine::V320),
            ),
            (
                &["3.22", "3.22.2"],
                "Alpine Linux 3.22 (3.21's packages with 3.22's release data)",
                || alpine(Alpine::V322),
            ),
            (
                &["3.23", "3.23.0"],
                "Alpine Linux 3.23 (3.21's packages with 3.23's release data)",
                || alpine(Alpine::V323),
            ),
            (
                &["3.24", "3.24.0", "edge"],
                "Alpine Linux 3.24 (3.21's packages with 3.24's release data)",
                || alpine(Alpine::V324),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "buildpack-deps",
        images: &[
            (
                &["bookworm-curl", "12-curl", "curl"],
                "Debian 12 with curl, wget and gnupg",
                || buildpack(Buildpack::Curl),
            ),
            (
                &["bookworm-scm", "12-scm", "scm"],
                "Debian 12 with curl and git",
                || buildpack(Buildpack::Scm),
            ),
            (
                &["bookworm", "12", "latest"],
                "Debian 12 with compilers and -dev libraries",
                || buildpack(Buildpack::Full),
            ),
            (
                &["trixie-curl", "13-curl"],
                "Debian 13 with curl, wget and gnupg",
                || buildpack_on(Debian::Trixie, Buildpack::Curl),
            ),
            (
                &["trixie-scm", "13-scm"],
                "Debian 13 with curl and git",
                || buildpack_on(Debian::Trixie, Buildpack::Scm),
            ),
            (
                &["trixie", "13"],
                "Debian 13 with compilers and -dev libraries",
                || buildpack_on(Debian::Trixie, Buildpack::Full),
            ),
            (
                &["bullseye", "11"],
                "Debian 11 with compilers and -dev libraries",
                || buildpack_on(Debian::Bullseye, Buildpack::Full),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "busybox",
        images: &[
            (
                &["1.37", "1.37.0", "1", "latest", "glibc"],
                "BusyBox 1.37 (glibc): one binary, every applet a hard link",
                || busybox("1.37.0"),
            ),
            (
                &["1.36", "1.36.1"],
                "BusyBox 1.36 (glibc): one binary, every applet a hard link",
                || busybox("1.36.1"),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "debian",
        images: &[
            (
                &["bookworm", "12", "12.11", "latest"],
                "Debian 12 bookworm: dpkg, apt, bash",
                || debian(Debian::Bookworm, false),
            ),
            (
                &["bookworm-slim", "12-slim", "12.11-slim", "stable-slim"],
                "Debian 12 bookworm without docs, manuals or translations",
                || debian(Debian::Bookworm, true),
            ),
            (
                &["trixie", "13", "testing"],
                "Debian 13 trixie (bookworm's files with trixie's versions)",
                || debian(Debian::Trixie, false),
            ),
            (&["trixie-slim", "13-slim"], "Debian 13 trixie slim", || {
                debian(Debian::Trixie, true)
            }),
            (
                &["bullseye", "11", "11.11", "oldoldstable"],
                "Debian 11 bullseye (bookworm's files with bullseye's versions)",
                || debian(Debian::Bullseye, false),
            ),
            (
                &["bullseye-slim", "11-slim", "11.11-slim"],
                "Debian 11 bullseye slim",
                || debian(Debian::Bullseye, true),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "golang",
        images: &[
            (
                &["1.27", "1.27-trixie", "trixie"],
                "Go 1.27 on buildpack-deps:trixie-scm",
                || golang("1.27", GoOn::Debian(Debian::Trixie)),
            ),
            (
                &["1.27-bookworm"],
                "Go 1.27 on buildpack-deps:bookworm-scm",
                || golang("1.27", GoOn::Debian(Debian::Bookworm)),
            ),
            (
                &["1.27-alpine", "1.27-alpine3.24", "alpine3.24"],
                "Go 1.27 on Alpine 3.24",
                || golang("1.27", GoOn::Alpine),
            ),
            (
                &["1.27-alpine3.23", "alpine3.23"],
                "Go 1.27 on Alpine 3.23",
                || golang("1.27", GoOn::AlpineRelease(Alpine::V323)),
            ),
            (
                &["1.26", "1.26-trixie"],
                "Go 1.26 on buildpack-deps:trixie-scm",
                || golang("1.26", GoOn::Debian(Debian::Trixie)),
            ),
            (
                &["1.26-bookworm"],
                "Go 1.26 on buildpack-deps:bookworm-scm",
                || golang("1.26", GoOn::Debian(Debian::Bookworm)),
            ),
            (
                &["1.26-alpine", "1.26-alpine3.24"],
                "Go 1.26 on Alpine 3.24",
                || golang("1.26", GoOn::Alpine),
            ),
            (&["1.26-alpine3.23"], "Go 1.26 on Alpine 3.23", || {
                golang("1.26", GoOn::AlpineRelease(Alpine::V323))
            }),
            (
                &["1.23", "1.23.4", "1.23-bookworm", "1", "latest", "bookworm"],
                "Go 1.23 on buildpack-deps:bookworm-scm",
                || golang("1.23", GoOn::Debian(Debian::Bookworm)),
            ),
            (
                &["1.23-alpine", "1.23.4-alpine", "alpine", "1-alpine"],
                "Go 1.23 on Alpine 3.21",
                || golang("1.23", GoOn::Alpine),
            ),
            (
                &["1.22", "1.22.10", "1.22-bookworm"],
                "Go 1.22 on buildpack-deps:bookworm-scm",
                || golang("1.22", GoOn::Debian(Debian::Bookworm)),
            ),
            (
                &["1.22-alpine", "1.22.10-alpine"],
                "Go 1.22 on Alpine 3.21",
                || golang("1.22", GoOn::Alpine),
            ),
            (
                &["1.21", "1.21.13", "1.21-bookworm"],
                "Go 1.21 (its last release) on buildpack-deps:bookworm-scm",
                || golang("1.21", GoOn::Debian(Debian::Bookworm)),
            ),
            (
                &["1.21-alpine", "1.21.13-alpine", "1.21-alpine3.20"],
                "Go 1.21 (its last release) on Alpine 3.20",
                || golang("1.21", GoOn::Alpine),
            ),
            (
                &["1.20", "1.20.14", "1.20-bookworm"],
                "Go 1.20 (its last release) on buildpack-deps:bookworm-scm",
                || golang("1.20", GoOn::Debian(Debian::Bookworm)),
            ),
            (
                &["1.19", "1.19.13", "1.19-bookworm"],
                "Go 1.19 (its last release) on buildpack-deps:bookworm-scm",
                || golang("1.19", GoOn::Debian(Debian::Bookworm)),
            ),
        ],
        patches: Patches::OfMinor,
    },
    Repo {
        name: "httpd",
        images: &[
            (
                &[
                    "2.4",
                    "2.4.62",
                    "2",
                    "latest",
                    "2.4-bookworm",
                    "2.4.62-bookworm",
                    "2-bookworm",
                    "bookworm",
                ],
                "Apache httpd 2.4 on Debian 12 slim",
                || httpd(false),
            ),
            (
                &[
                    "2.4-alpine",
                    "2.4.62-alpine",
                    "2-alpine",
                    "alpine",
                    "2.4-alpine3.20",
                    "2.4.62-alpine3.20",
                    "alpine3.20",
                ],
                "Apache httpd 2.4 on Alpine 3.20",
                || httpd(true),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "php",
        images: &[
            (
                &[
                    "8.3-cli",
                    "8.3",
                    "8.3.24-cli",
                    "8.3.24",
                    "8.3-cli-bookworm",
                    "8.3-bookworm",
                    "8.3.24-cli-bookworm",
                    "8.3.24-bookworm",
                ],
                "PHP 8.3 CLI (built from source) on Debian 12 slim",
                || php(Php::Cli),
            ),
            (
                &[
                    "8.3-apache",
                    "8.3.24-apache",
                    "8.3-apache-bookworm",
                    "8.3.24-apache-bookworm",
                ],
                "PHP 8.3 with Debian's Apache 2.4 (mod_php, prefork) on Debian 12 slim",
                || php(Php::Apache),
            ),
            (
                &[
                    "8.3-fpm",
                    "8.3.24-fpm",
                    "8.3-fpm-bookworm",
                    "8.3.24-fpm-bookworm",
                ],
                "PHP 8.3 FPM (FastCGI on port 9000) on Debian 12 slim",
                || php(Php::Fpm),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "nginx",
        images: &[
            (
                &["latest", "1.27", "1.27.4", "mainline", "bookworm"],
                "nginx 1.27 on Debian 12 slim",
                || nginx(NGINX_MAINLINE, Nginx::Debian),
            ),
            (
                &["alpine", "1.27-alpine", "1.27.4-alpine", "mainline-alpine"],
                "nginx 1.27 on Alpine 3.21 with njs",
                || nginx(NGINX_MAINLINE, Nginx::Alpine),
            ),
            (
                &[
                    "alpine-slim",
                    "1.27-alpine-slim",
                    "1.27.4-alpine-slim",
                    "mainline-alpine-slim",
                ],
                "nginx 1.27 on Alpine 3.21 without njs",
                || nginx(NGINX_MAINLINE, Nginx::AlpineSlim),
            ),
            (
                &[
                    "stable",
                    "1.26",
                    "1.26.3",
                    "stable-bookworm",
                    "1.26-bookworm",
                    "1.26.3-bookworm",
                ],
                "nginx 1.26 (stable) on Debian 12 slim",
                || nginx(NGINX_STABLE, Nginx::Debian),
            ),
            (
                &[
                    "stable-alpine",
                    "1.26-alpine",
                    "1.26.3-alpine",
                    "stable-alpine3.20",
                    "1.26-alpine3.20",
                    "1.26.3-alpine3.20",
                ],
                "nginx 1.26 (stable) on Alpine 3.20 with njs",
                || nginx(NGINX_STABLE, Nginx::Alpine),
            ),
            (
                &[
                    "stable-alpine-slim",
                    "1.26-alpine-slim",
                    "1.26.3-alpine-slim",
                    "stable-alpine3.20-slim",
                    "1.26-alpine3.20-slim",
                    "1.26.3-alpine3.20-slim",
                ],
                "nginx 1.26 (stable) on Alpine 3.20 without njs",
                || nginx(NGINX_STABLE, Nginx::AlpineSlim),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "node",
        images: &[
            (
                &["22", "22.12.0", "22-bookworm", "lts", "latest", "jod"],
                "Node.js 22 LTS on buildpack-deps:bookworm",
                || node("22", Variant::Full),
            ),
            (
                &["22-slim", "22-bookworm-slim", "lts-slim", "slim"],
                "Node.js 22 LTS on Debian 12 slim",
                || node("22", Variant::Slim),
            ),
            (
                &["22-alpine", "22-alpine3.21", "lts-alpine", "alpine"],
                "Node.js 22 LTS on Alpine 3.21",
                || node("22", Variant::Alpine),
            ),
            (
                &["20", "20.18.1", "20-bookworm", "iron"],
                "Node.js 20 LTS on buildpack-deps:bookworm",
                || node("20", Variant::Full),
            ),
            (
                &["20-slim", "20-bookworm-slim"],
                "Node.js 20 LTS on Debian 12 slim",
                || node("20", Variant::Slim),
            ),
            (
                &["20-alpine", "20-alpine3.21"],
                "Node.js 20 LTS on Alpine 3.21",
                || node("20", Variant::Alpine),
            ),
            (
                &["18", "18.20.8", "18-bookworm", "hydrogen"],
                "Node.js 18 (its last release) on buildpack-deps:bookworm",
                || node("18", Variant::Full),
            ),
            (
                &["18-slim", "18-bookworm-slim", "18.20.8-slim"],
                "Node.js 18 (its last release) on Debian 12 slim",
                || node("18", Variant::Slim),
            ),
            (
                &["18-alpine", "18-alpine3.21", "18.20.8-alpine"],
                "Node.js 18 (its last release) on Alpine 3.21",
                || node("18", Variant::Alpine),
            ),
        ],
        patches: Patches::OfMajor,
    },
    Repo {
        name: "python",
        images: &[
            (
                &["3.12", "3.12.8", "3.12-bookworm", "3", "latest"],
                "Python 3.12 on buildpack-deps:bookworm",
                || python("3.12", Variant::Full),
            ),
            (
                &[
                    "3.12-slim",
                    "3.12-slim-bookworm",
                    "3.12.8-slim",
                    "3-slim",
                    "slim",
                ],
                "Python 3.12 on Debian 12 slim",
                || python("3.12", Variant::Slim),
            ),
            (
                &["3.12-alpine", "3.12-alpine3.21", "3.12.8-alpine", "alpine"],
                "Python 3.12 on Alpine 3.21",
                || python("3.12", Variant::Alpine),
            ),
            (
                &["3.13", "3.13.1", "3.13-bookworm"],
                "Python 3.13 on buildpack-deps:bookworm",
                || python("3.13", Variant::Full),
            ),
            (
                &["3.13-slim", "3.13-slim-bookworm"],
                "Python 3.13 on Debian 12 slim",
                || python("3.13", Variant::Slim),
            ),
            (
                &["3.13-alpine", "3.13-alpine3.21"],
                "Python 3.13 on Alpine 3.21",
                || python("3.13", Variant::Alpine),
            ),
            (
                &["3.11", "3.11.11", "3.11-bookworm"],
                "Python 3.11 on buildpack-deps:bookworm",
                || python("3.11", Variant::Full),
            ),
            (
                &["3.11-slim", "3.11-slim-bookworm", "3.11.11-slim"],
                "Python 3.11 on Debian 12 slim",
                || python("3.11", Variant::Slim),
            ),
            (
                &["3.11-alpine", "3.11-alpine3.21", "3.11.11-alpine"],
                "Python 3.11 on Alpine 3.21",
                || python("3.11", Variant::Alpine),
            ),
            (
                &["3.10", "3.10.16", "3.10-bookworm"],
                "Python 3.10 on buildpack-deps:bookworm",
                || python("3.10", Variant::Full),
            ),
            (
                &["3.10-slim", "3.10-slim-bookworm", "3.10.16-slim"],
                "Python 3.10 on Debian 12 slim",
                || python("3.10", Variant::Slim),
            ),
            (
                &["3.10-alpine", "3.10-alpine3.21", "3.10.16-alpine"],
                "Python 3.10 on Alpine 3.21",
                || python("3.10", Variant::Alpine),
            ),
        ],
        patches: Patches::OfMinor,
    },
    Repo {
        name: "rust",
        images: &[
            (
                &["1.83", "1.83.0", "1", "latest", "bookworm", "1.83-bookworm"],
                "Rust 1.83 (rustup, minimal profile) on buildpack-deps:bookworm",
                || rust(Variant::Full),
            ),
            (
                &[
                    "slim",
                    "1.83-slim",
                    "1.83.0-slim",
                    "slim-bookworm",
                    "1.83-slim-bookworm",
                ],
                "Rust 1.83 on Debian 12 slim with gcc",
                || rust(Variant::Slim),
            ),
            (
                &[
                    "alpine",
                    "1.83-alpine",
                    "1.83.0-alpine",
                    "alpine3.21",
                    "1.83-alpine3.21",
                ],
                "Rust 1.83 (musl host) on Alpine 3.21 with gcc",
                || rust(Variant::Alpine),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "ubuntu",
        images: &[
            (
                &["24.04", "noble", "latest", "rolling"],
                "Ubuntu 24.04 LTS noble, minimised",
                || ubuntu(Ubuntu::Noble),
            ),
            (
                &["22.04", "jammy"],
                "Ubuntu 22.04 LTS jammy, minimised",
                || ubuntu(Ubuntu::Jammy),
            ),
        ],
        patches: Patches::No,
    },
    distroless_repo!(
        "gcr.io/distroless/static-debian12",
        Distroless::Static,
        Debian::Bookworm,
        "Distroless static (Debian 12): no shell, no libc"
    ),
    distroless_repo!(
        "gcr.io/distroless/base-nossl-debian12",
        Distroless::BaseNossl,
        Debian::Bookworm,
        "Distroless base-nossl (Debian 12): glibc, no shell"
    ),
    distroless_repo!(
        "gcr.io/distroless/base-debian12",
        Distroless::Base,
        Debian::Bookworm,
        "Distroless base (Debian 12): glibc and OpenSSL, no shell"
    ),
    distroless_repo!(
        "gcr.io/distroless/cc-debian12",
        Distroless::Cc,
        Debian::Bookworm,
        "Distroless cc (Debian 12): glibc, OpenSSL and libstdc++, no shell"
    ),
    distroless_repo!(
        "gcr.io/distroless/python3-debian12",
        Distroless::Python3,
        Debian::Bookworm,
        "Distroless python3 (Debian 12): Python 3.11 on cc, no shell"
    ),
    distroless_repo!(
        "gcr.io/distroless/static-debian11",
        Distroless::Static,
        Debian::Bullseye,
        "Distroless static (Debian 11): no shell, no libc"
    ),
    distroless_repo!(
        "gcr.io/distroless/base-debian11",
        Distroless::Base,
        Debian::Bullseye,
        "Distroless base (Debian 11): glibc and OpenSSL, no shell"
    ),
    // The Java images (images/java.rs): Temurin 17 and 21, and maven on them.
    Repo {
        name: "eclipse-temurin",
        images: &[
            (
                &[
                    "17",
                    "17-jdk",
                    "17-noble",
                    "17-jdk-noble",
                    "17.0.13_11-jdk",
                    "17.0.13_11-jdk-noble",
                ],
                "Eclipse Temurin 17 JDK on Ubuntu 24.04",
                || java::temurin(&java::TEMURIN_17, true, Ubuntu::Noble),
            ),
            (
                &[
                    "17-jre",
                    "17-jre-noble",
                    "17.0.13_11-jre",
                    "17.0.13_11-jre-noble",
                ],
                "Eclipse Temurin 17 JRE on Ubuntu 24.04",
                || java::temurin(&java::TEMURIN_17, false, Ubuntu::Noble),
            ),
            (
                &["17-jammy", "17-jdk-jammy", "17.0.13_11-jdk-jammy"],
                "Eclipse Temurin 17 JDK on Ubuntu 22.04",
                || java::temurin(&java::TEMURIN_17, true, Ubuntu::Jammy),
            ),
            (
                &["17-jre-jammy", "17.0.13_11-jre-jammy"],
                "Eclipse Temurin 17 JRE on Ubuntu 22.04",
                || java::temurin(&java::TEMURIN_17, false, Ubuntu::Jammy),
            ),
            (
                &[
                    "21",
                    "21-jdk",
                    "21-noble",
                    "21-jdk-noble",
                    "21.0.5_11-jdk",
                    "21.0.5_11-jdk-noble",
                    "latest",
                ],
                "Eclipse Temurin 21 JDK on Ubuntu 24.04",
                || java::temurin(&java::TEMURIN_21, true, Ubuntu::Noble),
            ),
            (
                &[
                    "21-jre",
                    "21-jre-noble",
                    "21.0.5_11-jre",
                    "21.0.5_11-jre-noble",
                ],
                "Eclipse Temurin 21 JRE on Ubuntu 24.04",
                || java::temurin(&java::TEMURIN_21, false, Ubuntu::Noble),
            ),
            (
                &["21-jammy", "21-jdk-jammy", "21.0.5_11-jdk-jammy"],
                "Eclipse Temurin 21 JDK on Ubuntu 22.04",
                || java::temurin(&java::TEMURIN_21, true, Ubuntu::Jammy),
            ),
            (
                &["21-jre-jammy", "21.0.5_11-jre-jammy"],
                "Eclipse Temurin 21 JRE on Ubuntu 22.04",
                || java::temurin(&java::TEMURIN_21, false, Ubuntu::Jammy),
            ),
            (
                &["17-alpine", "17-jdk-alpine", "17.0.13_11-jdk-alpine"],
                "Eclipse Temurin 17 JDK (musl) on Alpine 3.20",
                || java::temurin_alpine(&java::TEMURIN_17, true),
            ),
            (
                &["17-jre-alpine", "17.0.13_11-jre-alpine"],
                "Eclipse Temurin 17 JRE (musl) on Alpine 3.20",
                || java::temurin_alpine(&java::TEMURIN_17, false),
            ),
            (
                &["21-alpine", "21-jdk-alpine", "21.0.5_11-jdk-alpine"],
                "Eclipse Temurin 21 JDK (musl) on Alpine 3.20",
                || java::temurin_alpine(&java::TEMURIN_21, true),
            ),
            (
                &["21-jre-alpine", "21.0.5_11-jre-alpine"],
                "Eclipse Temurin 21 JRE (musl) on Alpine 3.20",
                || java::temurin_alpine(&java::TEMURIN_21, false),
            ),
        ],
        patches: Patches::No,
    },
    Repo {
        name: "maven",
        images: &[
            (
                &[
                    "3.9-eclipse-temurin-17",
                    "3.9.9-eclipse-temurin-17",
                    "3-eclipse-temurin-17",
                ],
                "Apache Maven 3.9 on eclipse-temurin:17-jdk",
                || java::maven(&java::TEMURIN_17),
            ),
            (
                &[
                    "3.9-eclipse-temurin-21",
                    "3.9.9-eclipse-temurin-21",
                    "3-eclipse-temurin-21",
                    "3.9",
                    "3.9.9",
                    "3",
                    "latest",
                ],
                "Apache Maven 3.9 on eclipse-temurin:21-jdk",
                || java::maven(&java::TEMURIN_21),
            ),
        ],
        patches: Patches::No,
    },
];

/// `scratch`: the empty image (no layers, no config), as in Docker.
const SCRATCH: &str = "scratch";

/// Every catalog name with its description.
pub(crate) fn entries() -> Vec<CatalogEntry> {
    let mut out = vec![CatalogEntry {
        name: SCRATCH.to_string(),
        description: "the empty image: no layers, no files".to_string(),
        simulated: true,
    }];
    for repo in REPOS {
        for (tags, description, make) in repo.images {
            let description = with_layers(description, &make());
            for tag in *tags {
                out.push(CatalogEntry {
                    name: format!("{}:{tag}", repo.name),
                    description: description.clone(),
                    simulated: true,
                });
            }
        }
    }
    crate::sort::sort_by(&mut out, |a, b| a.name.cmp(&b.name));
    out
}

/// `description` with the recipe's layer count (`..., 4 layers`).
fn with_layers(description: &str, recipe: &Recipe) -> String {
    let layers = layer_count(recipe);
    let plural = if layers == 1 { "" } else { "s" };
    format!("{description}, {layers} layer{plural}")
}

/// The number of layers a recipe makes (its steps that are not metadata-only).
pub(crate) fn layer_count(recipe: &Recipe) -> usize {
    recipe.steps.iter().filter(|s| s.sections.is_some()).count()
}

/// The repositories, sorted, for error messages.
pub(crate) fn repositories() -> Vec<String> {
    let mut names: Vec<String> = REPOS.iter().map(|r| r.name.to_string()).collect();
    names.push(SCRATCH.to_string());
    crate::sort::sort(&mut names);
    names
}

/// The tags of `repository` (empty when the catalog lacks it).
pub(crate) fn tags_of(repository: &str) -> Vec<String> {
    let mut tags: Vec<String> = REPOS
        .iter()
        .filter(|r| r.name == repository)
        .flat_map(|r| r.images.iter())
        .flat_map(|(tags, _, _)| tags.iter().map(|t| t.to_string()))
        .collect();
    crate::sort::sort(&mut tags);
    tags
}

/// The highest patch-level versions `repository` accepts, one per model (`3.11.11`),
/// sorted; empty when it takes listed tags only.
pub(crate) fn patch_limits(repository: &str) -> Vec<String> {
    let Some(repo) = REPOS
        .iter()
        .find(|r| r.name == repository && r.patches != Patches::No)
    else {
        return Vec::new();
    };
    let mut limits: Vec<String> = repo
        .images
        .iter()
        .filter_map(|(_, _, make)| make().vars.get("version").cloned())
        .collect();
    crate::sort::sort_by(&mut limits, |a, b| numbers(a).cmp(&numbers(b)));
    limits.dedup();
    limits
}

/// A resolved catalog image: its recipe and what it is.
pub(crate) struct Found {
    pub(crate) recipe: Recipe,
    pub(crate) description: String,
}

/// The image `repository:tag` names: a listed tag, or a patch-level tag at or below
/// its model's release (`python:3.11.4-slim` is `3.11-slim`'s model at 3.11.4).
pub(crate) fn lookup(repository: &str, tag: &str) -> Option<Found> {
    if repository == SCRATCH {
        return (tag == "latest").then(|| Found {
            recipe: Recipe::default(),
            description: "the empty image: no layers, no files".to_string(),
        });
    }
    let repo = REPOS.iter().find(|r| r.name == repository)?;
    let listed = |tag: &str| {
        repo.images
            .iter()
            .find(|(tags, _, _)| tags.contains(&tag))
            .map(|(_, description, make)| (*description, make()))
    };
    if let Some((description, recipe)) = listed(tag) {
        let description = with_layers(description, &recipe);
        return Some(Found {
            recipe,
            description,
        });
    }
    let (model_tag, wanted) = patch_tag(repo.patches, tag)?;
    let (description, recipe) = listed(&model_tag)?;
    let modelled = recipe.vars.get("version")?.clone();
    let (w, m) = (numbers(&wanted), numbers(&modelled));
    let within = match repo.patches {
        Patches::OfMajor => w[0] == m[0] && w <= m,
        _ => w[..2] == m[..2] && w <= m,
    };
    if !within {
        return None;
    }
    // Go named the first release of a minor before 1.21 `go1.20`, not `go1.20.0`.
    let version = if repository == "golang" && w[2] == 0 && w[..2] < [1, 21][..] {
        format!("{}.{}", w[0], w[1])
    } else {
        wanted
    };
    let description = format!(
        "layerlab's model of {repository}:{model_tag} ({}) with its version set to {version}: \
         everything else is {modelled}'s",
        with_layers(description, &recipe)
    );
    Some(Found {
        recipe: retarget(recipe, &modelled, &version),
        description,
    })
}

/// The model tag and the version of a patch-level `tag` (`3.11.4-slim` gives
/// `3.11-slim` and `3.11.4`), or `None` when it is not one: three dot-separated
/// numbers without leading zeros, then nothing or `-variant`.
fn patch_tag(patches: Patches, tag: &str) -> Option<(String, String)> {
    let (version, rest) = match tag.find('-') {
        Some(i) => tag.split_at(i),
        None => (tag, ""),
    };
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = |p: &&str| {
        !p.is_empty()
            && p.len() <= 9
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    };
    if parts.len() != 3 || !parts.iter().all(numeric) {
        return None;
    }
    let model = match patches {
        Patches::No => return None,
        Patches::OfMinor => format!("{}.{}{rest}", parts[0], parts[1]),
        Patches::OfMajor => format!("{}{rest}", parts[0]),
    };
    Some((model, version.to_string()))
}

/// The numbers of a dotted version, three of them (missing ones are 0).
fn numbers(version: &str) -> Vec<u64> {
    let mut out: Vec<u64> = version.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    out.resize(3, 0);
    out
}

/// `recipe` with the model's `version` replaced by `version` wherever it shows:
/// history strings, the environment, the salt (so the layers' contents and digests
/// differ) and the section holes (`patchlevel.h`, Go's `VERSION`, node's header).
fn retarget(mut recipe: Recipe, modelled: &str, version: &str) -> Recipe {
    for step in &mut recipe.steps {
        step.created_by = replace_version(&step.created_by, modelled, version);
    }
    for entry in &mut recipe.config.env {
        *entry = replace_version(entry, modelled, version);
    }
    recipe.salt = replace_version(&recipe.salt, modelled, version);
    let mut vars: BTreeMap<String, String> = recipe
        .vars
        .into_iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "major" | "minor" | "minor_number" | "minor_digits" | "patch"
            )
        })
        .collect();
    vars.insert("version".to_string(), version.to_string());
    add_version_vars(&mut vars);
    recipe.vars = vars;
    recipe
}

/// `text` with each whole `from` version replaced by `to` (not inside a longer
/// version: replacing `3.13.1` leaves `3.13.10` alone).
fn replace_version(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().last().or_else(|| out.chars().last());
        let after = &rest[i + from.len()..];
        let digit_after = after.starts_with(|c: char| c.is_ascii_digit())
            || (after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()));
        let digit_before = before.is_some_and(|c| c.is_ascii_digit() || c == '.');
        out.push_str(&rest[..i]);
        out.push_str(if digit_after || digit_before {
            from
        } else {
            to
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Runs a recipe: expands every layer's sections on top of the previous layer.
pub(crate) fn expand(recipe: &Recipe) -> Result<BaseImage, ManifestError> {
    static CATALOG: OnceLock<Catalog<'static>> = OnceLock::new();
    let catalog = CATALOG.get_or_init(|| Catalog::parse(SECTIONS, DPKG, APK));
    let mut expander = Expander::new(catalog).with_vars(recipe.vars.clone());
    let mut layers = Vec::new();
    let mut history = Vec::new();
    for (i, step) in recipe.steps.iter().enumerate() {
        let created = rfc3339(step.created);
        if let Some(sections) = &step.sections {
            // Each layer gets its own salt so equal paths in different layers differ.
            expander.layer(sections, step.created, &format!("{}#{i}", recipe.salt))?;
            layers.push(BaseLayer {
                fs_after: expander.vfs.clone(),
                created_by: step.created_by.clone(),
                comment: step.comment.to_string(),
                created: created.clone(),
            });
        }
        history.push(BaseHistory {
            author: recipe.author.to_string(),
            created_by: step.created_by.clone(),
            comment: step.comment.to_string(),
            created,
            empty_layer: step.sections.is_none(),
        });
    }
    let created = recipe
        .steps
        .last()
        .map_or_else(|| rfc3339(0), |s| rfc3339(s.created));
    Ok(BaseImage {
        author: recipe.author.to_string(),
        canonical_name: String::new(),
        description: String::new(),
        notes: Vec::new(),
        layers,
        history,
        config: recipe.config.clone(),
        os: "linux".to_string(),
        architecture: "amd64".to_string(),
        created,
    })
}

/// `2024-12-04T00:00:00Z` for a Unix time (proleptic Gregorian, UTC).
fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}
