//! Simulated release archives: what a downloaded Go, Node.js or source tarball holds
//! when the RUN shell extracts it.
//!
//! layerlab has no network, so `curl`/`wget` save a placeholder that names the URL
//! (`shell::commands::net`). Official images then unpack that download and use
//! what is inside (`/usr/local/go/bin/go`, a source tree with `./configure`). For
//! the downloads this table knows, `tar -x` unpacks a simulated tree instead of
//! nothing: written in the catalog's text format (`releases.txt`, reusing the
//! runtime trees of `runtimes.txt`), with simulated contents of plausible sizes,
//! small real text where a Dockerfile reads it, and scripts (`configure`,
//! `Makefile` recipes) that the shell runs. Every use is announced as simulated.
//!
//! A known download is a URL pattern with `{name}` holes (a hole never spans a `/`);
//! the words the holes matched, plus what derives from `{version}` (`{major}`,
//! `{minor}`, `{minor_digits}` such as `310`, `{minor_number}`, `{patch}`) and, for
//! Node.js, the `{npm}` the release bundles, are put into the section text before
//! it is expanded, so one description serves every version.

use super::manifest::{add_version_vars, fill, Catalog, Expander, Libc};
use super::CatalogError;
use crate::vfs::{Kind, Meta};
use std::collections::BTreeMap;

/// The release descriptions (sections in the catalog's format).
const RELEASES: &str = include_str!("releases.txt");
/// The runtime trees the images use too (`go-1.23`, `node-22`), for `+use`.
const RUNTIMES: &str = include_str!("runtimes.txt");

/// One download layerlab can stand in for.
struct Known {
    /// The URLs it is downloaded from (mirrors, compressions), with `{name}` holes.
    patterns: &'static [&'static str],
    /// What the archive is, for notices (`Go {version}`).
    title: &'static str,
    /// The section of `releases.txt` that lays out its tree.
    section: &'static str,
    /// The directory of the expanded tree that is the archive's top directory
    /// (holes filled like `top`).
    root: &'static str,
    /// The archive's top directory name (`go`, `node-v{version}-linux-{arch}`).
    top: &'static str,
}

/// The downloads with a simulated tree, most specific first.
const KNOWN: &[Known] = &[
    Known {
        patterns: &[
            "https://dl.google.com/go/go{version}.linux-{arch}.tar.gz",
        ],
        title: "Go {version} ({arch})",
        section: "release-go",
        root: "/usr/local/go",
        top: "go",
    },
    Known {
        patterns: &[
            "https://www.php.net/distributions/php-{version}.tar.xz",
            "https://www.php.net/distributions/php-{version}.tar.gz",
            // Release candidates come from their release manager's directory.
            "https://downloads.php.net/~{manager}/php-{version}.tar.xz",
        ],
        title: "PHP {version} source",
        section: "release-php",
        root: "/php",
        top: "php-{version}",
    },
    Known {
        patterns: &[
            "https://cache.ruby-lang.org/pub/ruby/{series}/ruby-{version}.tar.{compression}",
        ],
        title: "Ruby {version} (source)",
        section: "release-ruby",
        root: "/usr/src/ruby-{version}",
        top: "ruby-{version}",
    },
    // CPython 3.10 bundles older wheels (pip 23.0.1 and setuptools) and still has
    // distutils and lib2to3, so it comes before the general pattern.
    Known {
        patterns: &[
            "https://www.python.org/ftp/python/3.10.{patch}/Python-{version}.tar.xz",
        ],
        title: "CPython {version} source",
        section: "release-python-3.10",
        root: "/python",
        top: "Python-{version}",
    },
    Known {
        patterns: &[
            "https://www.python.org/ftp/python/{dir}/Python-{version}.tar.xz",
        ],
        title: "CPython {version} source",
        section: "release-python",
        root: "/python",
        top: "Python-{version}",
    },
    Known {
        patterns: &[
            "http://download.redis.io/releases/redis-{version}.tar.gz",
            "https://download.redis.io/releases/redis-{version}.tar.gz",
        ],
        title: "Redis {version} source",
        section: "release-redis",
        root: "/redis",
        top: "redis-{version}",
    },
    Known {
        patterns: &[
            "https://www.apache.org/dyn/closer.cgi?action=download&filename=httpd/httpd-{version}.tar.bz2",
            "https://dlcdn.apache.org/httpd/httpd-{version}.tar.bz2",
            "https://downloads.apache.org/httpd/httpd-{version}.tar.bz2",
            "https://archive.apache.org/dist/httpd/httpd-{version}.tar.bz2",
        ],
        title: "Apache httpd {version} source",
        section: "release-httpd",
        root: "/httpd",
        top: "httpd-{version}",
    },
    Known {
        patterns: &[
            "https://ftp.postgresql.org/pub/source/v{version}/postgresql-{version}.tar.bz2",
        ],
        title: "PostgreSQL {version} source",
        section: "release-postgresql",
        root: "/postgresql",
        top: "postgresql-{version}",
    },
    Known {
        patterns: &[
            "https://nodejs.org/dist/v{version}/node-v{version}-linux-{arch}.tar.{compression}",
        ],
        title: "Node.js {version} (linux-{arch})",
        section: "release-node",
        root: "/usr/local",
        top: "node-v{version}-linux-{arch}",
    },
    Known {
        patterns: &[
            "https://unofficial-builds.nodejs.org/download/release/v{version}/node-v{version}-linux-{arch}-musl.tar.{compression}",
        ],
        title: "Node.js {version} (linux-{arch}-musl, unofficial build)",
        section: "release-node",
        root: "/usr/local",
        top: "node-v{version}-linux-{arch}-musl",
    },
    Known {
        patterns: &[
            "https://yarnpkg.com/downloads/{version}/yarn-v{version}.tar.gz",
        ],
        title: "Yarn {version}",
        section: "release-yarn",
        root: "/opt/yarn",
        top: "yarn-v{version}",
    },
    Known {
        patterns: &[
            "https://github.com/golang/go/archive/{version}.tar.gz",
        ],
        title: "the Go source at commit {version}",
        section: "release-go-source",
        root: "/usr/local/go",
        top: "go-{version}",
    },
];

/// One member of a simulated archive, in archive order (a directory before its
/// contents).
#[derive(Clone, Debug)]
pub struct ReleaseEntry {
    /// The member name, relative (`go/bin/go`).
    pub path: String,
    /// Directory, file with its contents, or symlink with its target.
    pub kind: Kind,
    /// Mode, owner and date as the archive records them.
    pub meta: Meta,
}

/// The simulated contents of one known download.
#[derive(Clone, Debug)]
pub struct Release {
    /// What it stands for (`Go 1.26.7 (amd64)`).
    pub title: String,
    /// The members, a directory before its contents.
    pub entries: Vec<ReleaseEntry>,
}

/// The simulated archive that `url` would have downloaded, if layerlab knows the
/// download; `Err` only for a mistake in layerlab's own description. Its programs
/// name glibc's libraries (`release_for` unpacks it for musl).
pub fn release(url: &str) -> Option<Result<Release, CatalogError>> {
    release_for(url, Libc::Glibc)
}

/// `release` for a system whose C library is `libc`: a source tree is compiled
/// where it is unpacked, so the stand-ins of its compiled programs name the
/// libraries a build on that system links (`GLIBC|MUSL` needs in releases.txt).
pub fn release_for(url: &str, libc: Libc) -> Option<Result<Release, CatalogError>> {
    KNOWN.iter().find_map(|known| {
        let vars = known.patterns.iter().find_map(|p| match_pattern(p, url))?;
        Some(expand(known, &vars, libc))
    })
}

/// The words `url` gives the holes of `pattern`, or `None` when it does not match.
/// The same hole twice must match the same word.
fn match_pattern(pattern: &str, url: &str) -> Option<BTreeMap<String, String>> {
    let mut vars = BTreeMap::new();
    matches(pattern, url, &mut vars).then(|| {
        add_version_vars(&mut vars);
        vars
    })
}

fn matches(pattern: &str, text: &str, vars: &mut BTreeMap<String, String>) -> bool {
    let Some(open) = pattern.find('{') else {
        return pattern == text;
    };
    let Some(close) = pattern[open..].find('}').map(|c| open + c) else {
        return pattern == text;
    };
    let (literal, name, rest) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    let Some(after) = text.strip_prefix(literal) else {
        return false;
    };
    // Try the shortest word first, so `go{version}.linux` stops at the right dot.
    for end in 1..=after.len() {
        if !after.is_char_boundary(end) {
            continue;
        }
        let word = &after[..end];
        if word.contains('/') {
            break;
        }
        if vars.get(name).is_some_and(|w| w != word) {
            continue;
        }
        let fresh = !vars.contains_key(name);
        vars.insert(name.to_string(), word.to_string());
        if matches(rest, &after[end..], vars) {
            return true;
        }
        if fresh {
            vars.remove(name);
        }
    }
    false
}

fn expand(
    known: &Known,
    vars: &BTreeMap<String, String>,
    libc: Libc,
) -> Result<Release, CatalogError> {
    let mut vars = vars.clone();
    if known.section == "release-node" {
        let npm = super::images::bundled_npm(vars.get("version").map_or("", String::as_str));
        vars.insert("npm".to_string(), npm.to_string());
    }
    let vars = &vars;
    let releases = fill(RELEASES, vars);
    let catalog = Catalog::parse(&[RUNTIMES, &releases], &[], "");
    // runtimes.txt's sections have holes too (node's version header).
    let mut expander = Expander::new(&catalog).with_vars(vars.clone());
    expander.libc = libc;
    // Archives date their members at the release; the simulated clock starts on
    // 2024-01-01, so releases are dated a month before it (Dockerfiles check that
    // an unpacked tree is older than "now").
    expander
        .layer(&[known.section], RELEASE_DATE, known.patterns[0])
        .map_err(|e| CatalogError::Internal(e.to_string()))?;
    let tree = expander.vfs;
    let root = fill(known.root, vars);
    let walked = tree
        .walk(&root)
        .map_err(|e| CatalogError::Internal(format!("release {}: {e}", known.section)))?;
    let top = fill(known.top, vars);
    let root_meta = tree
        .stat(&root)
        .map(|s| s.meta)
        .unwrap_or(Meta::new(0o755).at(RELEASE_DATE));
    let prefix = format!("{}/", root.trim_matches('/'));
    let mut entries = vec![ReleaseEntry {
        path: top.clone(),
        kind: Kind::Dir,
        meta: root_meta,
    }];
    for entry in walked {
        let rel = entry.path.strip_prefix(&prefix).unwrap_or(&entry.path);
        entries.push(ReleaseEntry {
            path: format!("{top}/{rel}"),
            kind: entry.stat.kind,
            meta: entry.stat.meta,
        });
    }
    Ok(Release {
        title: fill(known.title, vars),
        entries,
    })
}

/// 2023-12-01T00:00:00Z, the date of every simulated release's members.
pub const RELEASE_DATE: i64 = 1_701_388_800;
