//! `dpkg-query --search` (`-S`, also `dpkg -S`): which installed packages own a
//! path. Official images feed it the libraries their freshly built programs link
//! to, so that `apt-mark manual` keeps those packages when the build tools are
//! purged. It reads the same `/var/lib/dpkg/info/PKG.list` files that apt-get
//! writes; every other dpkg operation goes to `packages::apt::dpkg`.

use super::super::exec::{Exec, Shell};
use super::super::packages;
use super::super::pattern::Pattern;
use std::collections::BTreeMap;

/// Where dpkg keeps each package's file list.
const INFO: &str = "/var/lib/dpkg/info";

/// `dpkg-query -S PATTERN...` / `dpkg -S PATTERN...`, else the other dpkg operations.
pub fn dpkg_query(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    if !matches!(argv.get(1).map(String::as_str), Some("-S" | "--search")) {
        return packages::apt::dpkg(sh, argv);
    }
    let patterns = &argv[2..];
    if patterns.is_empty() {
        sh.err("dpkg-query: error: --search needs at least one file name pattern argument\n\nUse --help for help about querying packages.\n")?;
        return Ok(2);
    }
    let owners = owners(sh);
    let mut out = String::new();
    let mut status = 0;
    for pattern in patterns {
        let found = search(&owners, pattern);
        if found.is_empty() {
            sh.err(format!(
                "dpkg-query: no path found matching pattern {pattern}\n"
            ))?;
            status = 1;
        }
        for (path, packages) in found {
            out.push_str(&format!("{}: {path}\n", packages.join(", ")));
        }
    }
    sh.out(out)?;
    Ok(status)
}

/// Every listed path with the packages that own it, from the `.list` files.
fn owners(sh: &Shell<'_>) -> BTreeMap<String, Vec<String>> {
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Ok(entries) = sh.fs.read_dir(INFO) else {
        return owners;
    };
    for (name, _) in entries {
        let Some(package) = name.strip_suffix(".list") else {
            continue;
        };
        let Ok(blob) = sh.fs.read_file(&format!("{INFO}/{name}")) else {
            continue;
        };
        for path in String::from_utf8_lossy(&blob.bytes()).lines() {
            if path.starts_with('/') && path != "/." {
                owners
                    .entry(path.to_string())
                    .or_default()
                    .push(package.to_string());
            }
        }
    }
    owners
}

/// The paths matching one pattern as dpkg reads it: a glob (where `*` crosses
/// `/`) when it has one, an exact path when it is absolute, else a substring.
fn search<'o>(
    owners: &'o BTreeMap<String, Vec<String>>,
    pattern: &str,
) -> Vec<(&'o str, &'o [String])> {
    let glob = Pattern::parse(pattern);
    let matches = |path: &str| {
        if !glob.is_literal() {
            glob.matches(path)
        } else if pattern.starts_with('/') {
            path == pattern.trim_end_matches('/')
        } else {
            path.contains(pattern)
        }
    };
    owners
        .iter()
        .filter(|(path, _)| matches(path))
        .map(|(path, packages)| (path.as_str(), packages.as_slice()))
        .collect()
}
