//! Simulated package managers: `apt-get`/`apt`/`dpkg`, `apk`, `pip` and `npm`.
//!
//! Nothing is downloaded. Packages come from a curated index (`index`) or, for PyPI
//! and npm whose catalogues are huge, are generated deterministically from their
//! name; every install says so in a notice. What they write uses the real on-disk
//! formats (dpkg's `status` and `info/*.list`, apk's `installed` database, pip's
//! `dist-info`, npm's `node_modules` and lock file), so base images from the catalog
//! and these managers agree, and file sizes are realistic but cost nothing in
//! memory: contents are `Blob::generated` recipes.

pub mod apk;
pub mod apt;
pub mod contents;
pub mod cpython;
pub mod divert;
pub mod index;
pub mod npm;
pub mod pip;
pub mod placeholder;

use super::exec::Shell;
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// A seed for generated contents, stable across runs and platforms.
pub fn seed(parts: &[&str]) -> u64 {
    let d = crate::digest::Digest::of(parts.join("\0").as_bytes());
    u64::from_le_bytes([
        d.0[0], d.0[1], d.0[2], d.0[3], d.0[4], d.0[5], d.0[6], d.0[7],
    ])
}

/// Metadata of files a package manager installs: root-owned, dated now.
fn meta(sh: &Shell<'_>, mode: u32) -> Meta {
    Meta::new(mode).at(sh.ctx.mtime)
}

/// Creates `path`'s missing parents as root-owned 0755 directories, recording each
/// created one in `created` (dpkg lists directories too).
fn make_parents(sh: &mut Shell<'_>, path: &str, created: &mut Vec<String>) {
    let mut prefix = String::new();
    let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    for c in &comps[..comps.len().saturating_sub(1)] {
        prefix.push('/');
        prefix.push_str(c);
        if !sh.fs.exists(&prefix) {
            let m = meta(sh, 0o755);
            if sh.fs.mkdir(&prefix, m).is_ok() {
                created.push(prefix.clone());
            }
        } else if !created.contains(&prefix) {
            created.push(prefix.clone());
        }
    }
}

/// Installs a package's files: directories (written with a trailing `/`) and
/// symlinks as given, files whose text layerlab knows (`contents`) with that text,
/// the other regular files generated so that together they weigh `total` bytes
/// (executables under `bin/` get mode 0755).
/// Returns every path written, parents first.
pub fn install_files(
    sh: &mut Shell<'_>,
    name: &str,
    version: &str,
    files: &[&str],
    total: u64,
) -> Vec<String> {
    let mut written = Vec::new();
    let texts: Vec<(&str, String)> = files
        .iter()
        .filter_map(|f| contents::text(name, f).map(|t| (*f, t)))
        .collect();
    let total = total.saturating_sub(texts.iter().map(|(_, t)| t.len() as u64).sum());
    let regular: Vec<&&str> = files
        .iter()
        .filter(|f| !f.contains("->") && !f.ends_with('/'))
        .filter(|f| !texts.iter().any(|(p, _)| p == *f))
        .collect();
    let share = if regular.is_empty() {
        0
    } else {
        total / regular.len() as u64
    };
    let mut first = true;
    for file in files {
        if let Some(dir) = file.strip_suffix('/') {
            // A directory the package owns (`/var/log/nginx/`).
            make_parents(sh, &format!("{dir}/."), &mut written);
            if !written.iter().any(|w| w == dir) {
                written.push(dir.to_string());
            }
            continue;
        }
        let (path, target) = match file.split_once("->") {
            Some((p, t)) => (p, Some(t)),
            None => (*file, None),
        };
        make_parents(sh, path, &mut written);
        if sh.fs.lstat(path).is_ok_and(|s| !s.is_dir()) {
            let _ = sh.fs.remove_file(path);
        }
        match target {
            Some(t) => {
                let m = meta(sh, 0o777);
                let _ = sh.fs.symlink(t, path, m);
            }
            None => {
                let exec =
                    path.contains("/bin/") || path.contains("/sbin/") || path.contains("/libexec/");
                let m = meta(sh, if exec { 0o755 } else { 0o644 });
                if let Some((_, text)) = texts.iter().find(|(p, _)| *p == path) {
                    let _ = sh.fs.write_file(path, Blob::from_bytes(text.as_bytes()), m);
                    written.push(path.to_string());
                    continue;
                }
                // The first file takes the remainder, so the sizes add up exactly.
                let size = if first {
                    total - share * (regular.len() as u64 - 1)
                } else {
                    share
                };
                first = false;
                let blob = Blob::generated(size.max(1), seed(&[name, version, path]));
                let _ = sh.fs.write_file(path, blob, m);
            }
        }
        written.push(path.to_string());
    }
    written
}

/// `(ID, VERSION_CODENAME, VERSION_ID)` from `/etc/os-release` (empty when missing).
pub fn os_release(sh: &Shell<'_>) -> (String, String, String) {
    let text = sh
        .fs
        .read_file("/etc/os-release")
        .or_else(|_| sh.fs.read_file("/usr/lib/os-release"))
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_default()
    };
    (get("ID"), get("VERSION_CODENAME"), get("VERSION_ID"))
}

/// Writes a small text file, creating parents (root-owned, 0644).
pub fn write_text(sh: &mut Shell<'_>, path: &str, text: &str) {
    let mut ignored = Vec::new();
    make_parents(sh, path, &mut ignored);
    let m = meta(sh, 0o644);
    let _ = sh.fs.write_file(path, Blob::from_bytes(text.as_bytes()), m);
}

/// Writes a generated file of `size` bytes, creating parents (root-owned, 0644).
pub fn write_generated(sh: &mut Shell<'_>, path: &str, size: u64, seed_parts: &[&str]) {
    let mut ignored = Vec::new();
    make_parents(sh, path, &mut ignored);
    let m = meta(sh, 0o644);
    let _ = sh
        .fs
        .write_file(path, Blob::generated(size, seed(seed_parts)), m);
}

/// Sizes shown the way apt and pip print them (`1,234 kB`, `12.3 MB`).
pub fn kilobytes(bytes: u64) -> String {
    if bytes >= 10_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{} kB", bytes.div_ceil(1000))
    }
}
