//! The catalog's images: which tags exist, and for each the steps of the official
//! image's build (layers, empty history entries, configuration), after the
//! Dockerfiles of docker-library, nodejs/docker-node and nginxinc/docker-nginx.
//!
//! Layer counts follow those Dockerfiles (one layer per RUN/COPY/ADD, the parent
//! image's layers below). History strings are the real ones with long RUN scripts
//! shortened (`...`); the `ADD file:<hex>` digests of Ubuntu's layers are made up
//! (stable, but not the real ones). Dates are those of the image versions modelled.

use super::manifest::{Catalog, Expander, ManifestError};
use super::{BaseConfig, BaseHistory, BaseImage, BaseLayer, CatalogEntry};
use crate::digest::Digest;
use std::sync::OnceLock;

/// The text the catalog is written in, included whole (a few hundred KB).
const SECTIONS: &[&str] = &[
    include_str!("debian.txt"),
    include_str!("ubuntu.txt"),
    include_str!("alpine.txt"),
    include_str!("python.txt"),
    include_str!("runtimes.txt"),
    include_str!("distroless.txt"),
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

fn python(minor: &str, variant: Variant) -> Recipe {
    let (version, created) = match minor {
        "3.13" => ("3.13.1", 1_733_270_400),
        "3.11" => ("3.11.11", 1_733_270_400),
        _ => ("3.12.8", 1_733_270_400),
    };
    let mut r = match variant {
        Variant::Full => buildpack(Buildpack::Full),
        Variant::Slim => debian(Debian::Bookworm, true),
        Variant::Alpine => alpine(Alpine::V321),
    };
    r.salt = format!("python-{version}-{}", variant_name(variant));
    let files: &'static str = match minor {
        "3.13" => "python-3.13-files",
        "3.11" => "python-3.11-files",
        _ => "python-3.12-files",
    };
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
    let gpg_key = if minor == "3.11" {
        "A035C8C19219BA821ECEA86B64E628F8D684696D"
    } else {
        "7169605F62C751356D054A26A821E680E5FA6305"
    };
    r.env(created, "GPG_KEY", gpg_key);
    r.env(created, "PYTHON_VERSION", version);
    r.run(created, build, &[runtime, files]);
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

fn node(major: &str, variant: Variant) -> Recipe {
    let (version, files, created) = match major {
        "20" => ("20.18.1", "node-20", 1_732_665_600),
        _ => ("22.12.0", "node-22", 1_733_255_400),
    };
    let mut r = match variant {
        Variant::Full => buildpack(Buildpack::Full),
        Variant::Slim => debian(Debian::Bookworm, true),
        Variant::Alpine => alpine(Alpine::V321),
    };
    r.salt = format!("node-{version}-{}", variant_name(variant));
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

fn golang(minor: &str, alpine_based: bool) -> Recipe {
    let (version, created) = match minor {
        "1.22" => ("1.22.10", 1_733_270_400),
        _ => ("1.23.4", 1_733_270_400),
    };
    let mut r = if alpine_based {
        let mut r = alpine(Alpine::V321);
        r.run(
            created,
            "RUN /bin/sh -c apk add --no-cache ca-certificates",
            &["go-alpine-deps"],
        );
        r
    } else {
        let mut r = buildpack(Buildpack::Scm);
        r.run(
            created,
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tg++ \t\tgcc \t\tlibc6-dev \t\tmake \t\tpkg-config \t; \trm -rf /var/lib/apt/lists/*",
            &["go-debian-deps"],
        );
        r
    };
    r.salt = format!(
        "golang-{version}-{}",
        if alpine_based { "alpine" } else { "bookworm" }
    );
    r.env(created, "GOLANG_VERSION", version);
    r.env(created, "GOTOOLCHAIN", "local");
    r.env(created, "GOPATH", "/go");
    r.env(
        created,
        "PATH",
        &format!("/go/bin:/usr/local/go/bin:{PATH}"),
    );
    let files = if minor == "1.22" {
        "go-version-1.22"
    } else {
        "go-version-1.23"
    };
    r.run(created, "COPY /target/ /", &["go-1.23", files]);
    r.run(
        created,
        "RUN /bin/sh -c mkdir -p \"$GOPATH/src\" \"$GOPATH/bin\" && chmod -R 1777 \"$GOPATH\"",
        &["gopath"],
    );
    r.meta(created, "WORKDIR /go");
    r.config.working_dir = "/go".to_string();
    r
}

/// nginx's variants: on Debian, on Alpine without njs (`alpine-slim`), on Alpine.
#[derive(Clone, Copy, PartialEq)]
enum Nginx {
    Debian,
    AlpineSlim,
    Alpine,
}

fn nginx(variant: Nginx) -> Recipe {
    let alpine_based = variant != Nginx::Debian;
    let created = 1_738_790_836;
    let mut r = if alpine_based {
        alpine(Alpine::V321)
    } else {
        debian(Debian::Bookworm, true)
    };
    r.salt = format!(
        "nginx-1.27.4-{}",
        if alpine_based { "alpine" } else { "bookworm" }
    );
    r.label(
        created,
        "maintainer",
        "NGINX Docker Maintainers <docker-maint@nginx.com>",
    );
    r.env(created, "NGINX_VERSION", "1.27.4");
    if !alpine_based {
        r.env(created, "NJS_VERSION", "0.8.9");
        r.env(created, "NJS_RELEASE", "1~bookworm");
    }
    let release = if alpine_based { "1" } else { "1~bookworm" };
    r.env(created, "PKG_RELEASE", release);
    r.env(created, "DYNPKG_RELEASE", release);
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

/// One repository of the catalog: its tags and how to make each.
struct Repo {
    name: &'static str,
    images: &'static [Tagged],
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
    },
    Repo {
        name: "golang",
        images: &[
            (
                &["1.23", "1.23.4", "1.23-bookworm", "1", "latest", "bookworm"],
                "Go 1.23 on buildpack-deps:bookworm-scm",
                || golang("1.23", false),
            ),
            (
                &["1.23-alpine", "1.23.4-alpine", "alpine", "1-alpine"],
                "Go 1.23 on Alpine 3.21",
                || golang("1.23", true),
            ),
            (
                &["1.22", "1.22.10", "1.22-bookworm"],
                "Go 1.22 on buildpack-deps:bookworm-scm",
                || golang("1.22", false),
            ),
            (
                &["1.22-alpine", "1.22.10-alpine"],
                "Go 1.22 on Alpine 3.21",
                || golang("1.22", true),
            ),
        ],
    },
    Repo {
        name: "nginx",
        images: &[
            (
                &["latest", "1.27", "1.27.4", "mainline", "bookworm"],
                "nginx 1.27 on Debian 12 slim",
                || nginx(Nginx::Debian),
            ),
            (
                &["alpine", "1.27-alpine", "1.27.4-alpine", "mainline-alpine"],
                "nginx 1.27 on Alpine 3.21 with njs",
                || nginx(Nginx::Alpine),
            ),
            (
                &[
                    "alpine-slim",
                    "1.27-alpine-slim",
                    "1.27.4-alpine-slim",
                    "mainline-alpine-slim",
                ],
                "nginx 1.27 on Alpine 3.21 without njs",
                || nginx(Nginx::AlpineSlim),
            ),
        ],
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
        ],
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
        ],
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
    },
    Repo {
        name: "gcr.io/distroless/static-debian12",
        images: &[
            (&["latest"], "Distroless static (Debian 12): no shell, no libc, as root", || {
                distroless(Distroless::Static, Debian::Bookworm, LATEST)
            }),
            (&["nonroot"], "Distroless static (Debian 12): no shell, no libc, as nonroot", || {
                distroless(Distroless::Static, Debian::Bookworm, NONROOT)
            }),
            (&["debug"], "Distroless static (Debian 12): no shell, no libc; busybox in /busybox, as root", || {
                distroless(Distroless::Static, Debian::Bookworm, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless static (Debian 12): no shell, no libc; busybox in /busybox, as nonroot",
                || distroless(Distroless::Static, Debian::Bookworm, DEBUG_NONROOT),
            ),
        ],
    },
    Repo {
        name: "gcr.io/distroless/base-nossl-debian12",
        images: &[
            (&["latest"], "Distroless base-nossl (Debian 12): glibc, no shell, as root", || {
                distroless(Distroless::BaseNossl, Debian::Bookworm, LATEST)
            }),
            (&["nonroot"], "Distroless base-nossl (Debian 12): glibc, no shell, as nonroot", || {
                distroless(Distroless::BaseNossl, Debian::Bookworm, NONROOT)
            }),
            (&["debug"], "Distroless base-nossl (Debian 12): glibc, no shell; busybox in /busybox, as root", || {
                distroless(Distroless::BaseNossl, Debian::Bookworm, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless base-nossl (Debian 12): glibc, no shell; busybox in /busybox, as nonroot",
                || distroless(Distroless::BaseNossl, Debian::Bookworm, DEBUG_NONROOT),
            ),
        ],
    },
    Repo {
        name: "gcr.io/distroless/base-debian12",
        images: &[
            (&["latest"], "Distroless base (Debian 12): glibc and OpenSSL, no shell, as root", || {
                distroless(Distroless::Base, Debian::Bookworm, LATEST)
            }),
            (&["nonroot"], "Distroless base (Debian 12): glibc and OpenSSL, no shell, as nonroot", || {
                distroless(Distroless::Base, Debian::Bookworm, NONROOT)
            }),
            (&["debug"], "Distroless base (Debian 12): glibc and OpenSSL, no shell; busybox in /busybox, as root", || {
                distroless(Distroless::Base, Debian::Bookworm, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless base (Debian 12): glibc and OpenSSL, no shell; busybox in /busybox, as nonroot",
                || distroless(Distroless::Base, Debian::Bookworm, DEBUG_NONROOT),
            ),
        ],
    },
    Repo {
        name: "gcr.io/distroless/cc-debian12",
        images: &[
            (&["latest"], "Distroless cc (Debian 12): glibc, OpenSSL and libstdc++, no shell, as root", || {
                distroless(Distroless::Cc, Debian::Bookworm, LATEST)
            }),
            (&["nonroot"], "Distroless cc (Debian 12): glibc, OpenSSL and libstdc++, no shell, as nonroot", || {
                distroless(Distroless::Cc, Debian::Bookworm, NONROOT)
            }),
            (&["debug"], "Distroless cc (Debian 12): glibc, OpenSSL and libstdc++, no shell; busybox in /busybox, as root", || {
                distroless(Distroless::Cc, Debian::Bookworm, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless cc (Debian 12): glibc, OpenSSL and libstdc++, no shell; busybox in /busybox, as nonroot",
                || distroless(Distroless::Cc, Debian::Bookworm, DEBUG_NONROOT),
            ),
        ],
    },
    Repo {
        name: "gcr.io/distroless/python3-debian12",
        images: &[
            (&["latest"], "Distroless python3 (Debian 12): Python 3.11 on cc, no shell, as root", || {
                distroless(Distroless::Python3, Debian::Bookworm, LATEST)
            }),
            (&["nonroot"], "Distroless python3 (Debian 12): Python 3.11 on cc, no shell, as nonroot", || {
                distroless(Distroless::Python3, Debian::Bookworm, NONROOT)
            }),
            (&["debug"], "Distroless python3 (Debian 12): Python 3.11 on cc, no shell; busybox in /busybox, as root", || {
                distroless(Distroless::Python3, Debian::Bookworm, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless python3 (Debian 12): Python 3.11 on cc, no shell; busybox in /busybox, as nonroot",
                || distroless(Distroless::Python3, Debian::Bookworm, DEBUG_NONROOT),
            ),
        ],
    },
    Repo {
        name: "gcr.io/distroless/static-debian11",
        images: &[
            (&["latest"], "Distroless static (Debian 11): no shell, no libc, as root", || {
                distroless(Distroless::Static, Debian::Bullseye, LATEST)
            }),
            (&["nonroot"], "Distroless static (Debian 11): no shell, no libc, as nonroot", || {
                distroless(Distroless::Static, Debian::Bullseye, NONROOT)
            }),
            (&["debug"], "Distroless static (Debian 11): no shell, no libc; busybox in /busybox, as root", || {
                distroless(Distroless::Static, Debian::Bullseye, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless static (Debian 11): no shell, no libc; busybox in /busybox, as nonroot",
                || distroless(Distroless::Static, Debian::Bullseye, DEBUG_NONROOT),
            ),
        ],
    },
    Repo {
        name: "gcr.io/distroless/base-debian11",
        images: &[
            (&["latest"], "Distroless base (Debian 11): glibc and OpenSSL, no shell, as root", || {
                distroless(Distroless::Base, Debian::Bullseye, LATEST)
            }),
            (&["nonroot"], "Distroless base (Debian 11): glibc and OpenSSL, no shell, as nonroot", || {
                distroless(Distroless::Base, Debian::Bullseye, NONROOT)
            }),
            (&["debug"], "Distroless base (Debian 11): glibc and OpenSSL, no shell; busybox in /busybox, as root", || {
                distroless(Distroless::Base, Debian::Bullseye, DEBUG)
            }),
            (
                &["debug-nonroot"],
                "Distroless base (Debian 11): glibc and OpenSSL, no shell; busybox in /busybox, as nonroot",
                || distroless(Distroless::Base, Debian::Bullseye, DEBUG_NONROOT),
            ),
        ],
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
            let layers = layer_count(&make());
            let plural = if layers == 1 { "" } else { "s" };
            for tag in *tags {
                out.push(CatalogEntry {
                    name: format!("{}:{tag}", repo.name),
                    description: format!("{description}, {layers} layer{plural}"),
                    simulated: true,
                });
            }
        }
    }
    crate::sort::sort_by(&mut out, |a, b| a.name.cmp(&b.name));
    out
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

/// The recipe for `repository:tag`, if the catalog has it (tags are case-sensitive).
pub(crate) fn recipe(repository: &str, tag: &str) -> Option<Recipe> {
    if repository == SCRATCH {
        return (tag == "latest").then(Recipe::default);
    }
    let repo = REPOS.iter().find(|r| r.name == repository)?;
    let (_, _, make) = repo
        .images
        .iter()
        .find(|(tags, _, _)| tags.contains(&tag))?;
    Some(make())
}

/// Runs a recipe: expands every layer's sections on top of the previous layer.
pub(crate) fn expand(recipe: &Recipe) -> Result<BaseImage, ManifestError> {
    static CATALOG: OnceLock<Catalog<'static>> = OnceLock::new();
    let catalog = CATALOG.get_or_init(|| Catalog::parse(SECTIONS, DPKG, APK));
    let mut expander = Expander::new(catalog);
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
