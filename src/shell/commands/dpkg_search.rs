//! `dpkg-query --search` (`dpkg -S`): which installed packages own a path, read
//! from the file lists dpkg keeps (`/var/lib/dpkg/info/<pkg>.list`). Debian
//! images ask it which packages provide the libraries `ldd` found, to keep them
//! when build dependencies are purged.

use super::super::exec::{Exec, Shell};
use super::super::pattern::Pattern;
use std::collections::BTreeMap;

/// Where dpkg keeps each package's file list.
const INFO: &str = "/var/lib/dpkg/info";

/// `dpkg-query --search PATTERN...`: `pkg1, pkg2: /path` for each owned path a
/// pattern matches. A pattern with no glob character and no leading `/` matches
/// as a substring (as dpkg does, `*PATTERN*`). Status 1 when a pattern matches
/// nothing (`dpkg-query: no path found matching pattern ...`).
pub fn search(sh: &mut Shell<'_>, patterns: &[String]) -> Exec {
    if patterns.is_empty() {
        sh.err("dpkg-query: error: --search needs at least one file name pattern argument\n\nUse --help for help about querying packages.\n")?;
        return Ok(2);
    }
    let lists = owned_paths(sh)?;
    let mut status = 0;
    let mut out = String::new();
    for raw in patterns {
        let glob = raw.contains(['*', '?', '[']);
        let text = if glob || raw.starts_with('/') {
            raw.trim_end_matches('/').to_string()
        } else {
            format!("*{raw}*")
        };
        let pattern = Pattern::parse(&text);
        let mut found = false;
        for (path, owners) in &lists {
            if pattern.matches(path) {
                found = true;
                out.push_str(&format!("{}: {path}\n", owners.join(", ")));
            }
        }
        if !found {
            sh.out(std::mem::take(&mut out))?;
            sh.err(format!(
                "dpkg-query: no path found matching pattern {raw}\n"
            ))?;
            status = 1;
        }
    }
    sh.out(out)?;
    Ok(status)
}

/// Every path some installed package lists, with its owners (`name` or
/// `name:arch` as the list file is named), in path order.
fn owned_paths(
    sh: &mut Shell<'_>,
) -> Result<BTreeMap<String, Vec<String>>, super::super::exec::Flow> {
    let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let entries = sh.fs.read_dir(INFO).unwrap_or_default();
    for (name, _) in entries {
        let Some(pkg) = name.strip_suffix(".list") else {
            continue;
        };
        let Ok(blob) = sh.fs.read_file(&format!("{INFO}/{name}")) else {
            continue;
        };
        sh.charge(blob.len() as usize)?;
        for line in String::from_utf8_lossy(&blob.bytes()).lines() {
            if line.is_empty() || line == "/." {
                continue;
            }
            paths
                .entry(line.to_string())
                .or_default()
                .push(pkg.to_string());
        }
    }
    Ok(paths)
}
