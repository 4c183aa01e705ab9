//! `apk add|del|update|info` over apk's real database: `/lib/apk/db/installed`
//! (one stanza per package: `P:` name, `V:` version, `I:` installed size, `D:`
//! dependencies, `R:` files under their `F:` directories), `/etc/apk/world`, and
//! the index cache in `/var/cache/apk` that `--no-cache` avoids leaving in the layer.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::index::{self, IndexEntry};
use super::placeholder;
use super::{install_files, os_release, write_generated, write_text};
use std::collections::BTreeSet;

const INSTALLED: &str = "/lib/apk/db/installed";
const WORLD: &str = "/etc/apk/world";
const CACHE: &str = "/var/cache/apk";

struct Stanza {
    name: String,
    text: String,
}

fn read_db(sh: &Shell<'_>) -> Vec<Stanza> {
    let text = sh
        .fs
        .read_file(INSTALLED)
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    text.split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .map(|s| Stanza {
            name: s
                .lines()
                .find_map(|l| l.strip_prefix("P:"))
                .unwrap_or("")
                .to_string(),
            text: s.trim_matches('\n').to_string(),
        })
        .collect()
}

fn write_db(sh: &mut Shell<'_>, stanzas: &[Stanza]) {
    let mut out = String::new();
    for s in stanzas {
        out.push_str(&s.text);
        out.push_str("\n\n");
    }
    write_text(sh, INSTALLED, &out);
}

fn read_world(sh: &Shell<'_>) -> BTreeSet<String> {
    sh.fs
        .read_file(WORLD)
        .map(|b| {
            String::from_utf8_lossy(&b.bytes())
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn write_world(sh: &mut Shell<'_>, world: &BTreeSet<String>) {
    let mut text = world.iter().cloned().collect::<Vec<_>>().join("\n");
    text.push('\n');
    write_text(sh, WORLD, &text);
}

/// `v3.19` for the image's Alpine release (from `/etc/alpine-release` or os-release).
fn branch(sh: &Shell<'_>) -> String {
    let release = sh
        .fs
        .read_file("/etc/alpine-release")
        .map(|b| String::from_utf8_lossy(&b.bytes()).trim().to_string())
        .unwrap_or_else(|_| os_release(sh).2);
    let mut parts = release.split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) if !a.is_empty() => format!("v{a}.{b}"),
        _ => "v3.19".to_string(),
    }
}

/// Writes the APKINDEX cache (what `--no-cache` keeps out of the layer).
fn fetch_indexes(sh: &mut Shell<'_>, keep: bool) -> String {
    let b = branch(sh);
    let mut out = String::new();
    for (repo, size) in [("main", 484_000u64), ("community", 1_548_000)] {
        out.push_str(&format!(
            "fetch https://dl-cdn.alpinelinux.org/alpine/{b}/{repo}/x86_64/APKINDEX.tar.gz\n"
        ));
        if keep {
            let name = format!("APKINDEX.{:08x}.tar.gz", super::seed(&[&b, repo]) as u32);
            write_generated(
                sh,
                &format!("{CACHE}/{name}"),
                size,
                &["apkindex", &b, repo],
            );
        }
    }
    out
}

/// `apk`: add, del, update, info, `--print-arch`.
pub fn apk(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut no_cache = false;
    let mut update_first = false;
    let mut virtual_name: Option<String> = None;
    let mut command = None;
    let mut names = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        match a {
            "--no-cache" => no_cache = true,
            "-U" | "--update" | "--update-cache" => update_first = true,
            "-t" | "--virtual" => {
                virtual_name = argv.get(i).cloned();
                i += 1;
            }
            "--print-arch" => {
                sh.out("x86_64\n")?;
                return Ok(0);
            }
            "-X" | "--repository" | "-p" | "--root" => i += 1,
            s if s.starts_with("--virtual=") => {
                virtual_name = s.split_once('=').map(|(_, v)| v.to_string())
            }
            s if s.starts_with('-') => {}
            s if command.is_none() => command = Some(s.to_string()),
            s => names.push(s.to_string()),
        }
    }
    match command.as_deref() {
        Some("update") => {
            let mut out = fetch_indexes(sh, true);
            out.push_str(&format!("{} [https://dl-cdn.alpinelinux.org/alpine/{}/main]\nOK: 23456 distinct packages available\n", branch(sh), branch(sh)));
            sh.out(out)?;
            sh.notice(NoticeKind::Simulated, "apk", "simulated: apk update downloaded nothing; the index cache is a placeholder with a realistic size");
            Ok(0)
        }
        Some("add") => add(sh, &names, no_cache, update_first, virtual_name),
        Some("del") => del(sh, &names),
        Some("info") => {
            let db = read_db(sh);
            let out: String = db.iter().map(|s| format!("{}\n", s.name)).collect();
            sh.out(out)?;
            Ok(0)
        }
        Some("cache") if names.first().is_some_and(|n| n == "clean") => {
            for (name, st) in sh.fs.read_dir(CACHE).unwrap_or_default() {
                if !st.is_dir() && !name.starts_with("APKINDEX") {
                    let _ = sh.fs.remove_file(&format!("{CACHE}/{name}"));
                }
            }
            Ok(0)
        }
        Some(other) => {
            sh.notice(
                NoticeKind::NotSimulated,
                "apk",
                format!("not simulated: `apk {other}` is not modelled; treated as success"),
            );
            Ok(0)
        }
        None => {
            sh.out("apk-tools 2.14.0, compiled for x86_64.\n")?;
            Ok(0)
        }
    }
}

fn add(
    sh: &mut Shell<'_>,
    names: &[String],
    no_cache: bool,
    update_first: bool,
    virtual_name: Option<String>,
) -> Exec {
    let mut index = index::alpine();
    let repositories = sh
        .fs
        .read_file("/etc/apk/repositories")
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    let names: Vec<String> = names
        .iter()
        .map(|n| {
            let n = n.split(['=', '<', '>', '~']).next().unwrap_or(n);
            // `name@tag` pins a repository that /etc/apk/repositories tags `@tag`;
            // an unknown tag leaves the whole spec, which then cannot be selected.
            match n.split_once('@') {
                Some((name, tag))
                    if repositories
                        .lines()
                        .any(|l| l.trim_start().starts_with(&format!("@{tag} "))) =>
                {
                    name.to_string()
                }
                _ => n.to_string(),
            }
        })
        .collect();
    let mut db = read_db(sh);
    let mut have: BTreeSet<String> = db.iter().map(|s| s.name.clone()).collect();
    // A `so:`, `cmd:` or `pc:` name is satisfied by an installed package that
    // provides it (its `p:` line), as apk resolves them.
    for s in &db {
        for provided in s.text.lines().filter_map(|l| l.strip_prefix("p:")) {
            for token in provided.split_whitespace() {
                have.insert(token.split('=').next().unwrap_or(token).to_string());
            }
        }
    }
    // A valid name the index lacks is most likely in the real repositories: it
    // gets a placeholder, unless it is installed already.
    for n in &names {
        if !have.contains(n)
            && placeholder::valid_name(n, true)
            && !index.iter().any(|e| e.name == n)
        {
            index.push(placeholder::entry(n, true));
        }
    }
    // A `so:` name nothing installed provides is satisfied by the package of the
    // index whose shared libraries include it, as apk picks a provider.
    let targets: Vec<String> = names
        .iter()
        .map(|n| match n.strip_prefix("so:") {
            Some(soname) if !have.contains(n) => index
                .iter()
                .find(|e| so_provides(&e.files).iter().any(|(s, _)| s == soname))
                .map_or_else(|| n.clone(), |e| e.name.to_string()),
            _ => n.clone(),
        })
        .collect();
    let missing: Vec<&String> = names
        .iter()
        .zip(&targets)
        .filter(|(n, t)| !have.contains(*n) && !index.iter().any(|e| e.name == t.as_str()))
        .map(|(n, _)| n)
        .collect();
    let mut out = String::new();
    let cache_present = sh
        .fs
        .read_dir(CACHE)
        .map(|d| d.iter().any(|(n, _)| n.starts_with("APKINDEX")))
        .unwrap_or(false);
    if no_cache || update_first || !cache_present {
        out.push_str(&fetch_indexes(sh, !no_cache));
    }
    if !missing.is_empty() {
        let mut err = String::from("ERROR: unable to select packages:\n");
        for m in &missing {
            err.push_str(&format!(
                "  {m} (no such package):\n    required by: world[{m}]\n"
            ));
        }
        sh.out(out)?;
        sh.err(err)?;
        return Ok(missing.len() as i32);
    }
    let mut order: Vec<IndexEntry> = Vec::new();
    let mut seen = BTreeSet::new();
    fn visit<'a>(
        n: &str,
        index: &[IndexEntry<'a>],
        order: &mut Vec<IndexEntry<'a>>,
        seen: &mut BTreeSet<String>,
    ) {
        if !seen.insert(n.to_string()) {
            return;
        }
        let Some(e) = index.iter().find(|e| e.name == n) else {
            return;
        };
        for d in &e.depends {
            visit(d, index, order, seen);
        }
        order.push(e.clone());
    }
    for n in &targets {
        visit(n, &index, &mut order, &mut seen);
    }
    let new: Vec<IndexEntry> = order
        .into_iter()
        .filter(|e| !have.contains(e.name))
        .collect();
    let total = new.len() + usize::from(virtual_name.is_some());
    let mut step = 0;
    for e in &new {
        sh.step()?;
        step += 1;
        out.push_str(&format!(
            "({step}/{total}) Installing {} ({})\n",
            e.name, e.version
        ));
        let written = if e.placeholder {
            let path = format!("/usr/share/{}/README.layerlab", e.name);
            write_text(sh, &path, &placeholder::text(e.name));
            vec![path]
        } else {
            install_files(sh, e.name, e.version, &e.files, e.installed_kib * 1024)
        };
        db.push(Stanza {
            name: e.name.to_string(),
            text: stanza(e, &written, sh.ctx.mtime),
        });
    }
    let mut world = read_world(sh);
    match &virtual_name {
        Some(v) => {
            step += 1;
            out.push_str(&format!(
                "({step}/{total}) Installing {v} (20000101.000000)\n"
            ));
            db.retain(|s| &s.name != v);
            db.push(Stanza {
                name: v.clone(),
                text: format!("C:Q1layerlabvirtual=\nP:{v}\nV:20000101.000000\nA:noarch\nS:0\nI:0\nT:virtual meta package\nU:\nL:\nt:{}\nD:{}", sh.ctx.mtime, names.join(" ")),
            });
            world.insert(v.clone());
        }
        None => world.extend(names.iter().cloned()),
    }
    write_db(sh, &db);
    write_world(sh, &world);
    let kib: u64 = db
        .iter()
        .filter_map(|s| {
            s.text
                .lines()
                .find_map(|l| l.strip_prefix("I:"))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .sum::<u64>()
        / 1024;
    out.push_str(&format!(
        "OK: {} MiB in {} packages\n",
        kib.div_ceil(1024),
        db.len()
    ));
    sh.out(out)?;
    for e in new.iter().filter(|e| e.placeholder) {
        sh.notice(
            NoticeKind::NotSimulated,
            "apk",
            placeholder::warning(e.name),
        );
    }
    sh.notice(
        NoticeKind::Simulated,
        "apk",
        format!("simulated: apk add downloaded nothing; {} packages were installed from layerlab's curated index as placeholder files with realistic sizes", new.iter().filter(|e| !e.placeholder).count()),
    );
    Ok(0)
}

/// The installed-database stanza of a package with the files it wrote.
fn stanza(e: &IndexEntry, written: &[String], mtime: i64) -> String {
    let mut text = format!(
        "C:Q1{}=\nP:{}\nV:{}\nA:x86_64\nS:{}\nI:{}\nT:{}\nU:https://alpinelinux.org\nL:MIT\no:{}\nm:Natanael Copa <ncopa@alpinelinux.org>\nt:{mtime}\nc:0000000000000000000000000000000000000000",
        &crate::digest::Digest::of(format!("{}-{}", e.name, e.version).as_bytes()).hex()[..27],
        e.name,
        e.version,
        e.installed_kib * 1024 / 3,
        e.installed_kib * 1024,
        e.description,
        e.name
    );
    if !e.depends.is_empty() {
        text.push_str(&format!("\nD:{}", e.depends.join(" ")));
    }
    let provides: Vec<String> = so_provides(&e.files)
        .iter()
        .map(|(soname, version)| format!("so:{soname}={version}"))
        .collect();
    if !provides.is_empty() {
        text.push_str(&format!("\np:{}", provides.join(" ")));
    }
    // Files grouped under their directories: `F:dir` then `R:name` lines.
    let mut current_dir = String::new();
    for p in written {
        let rel = p.trim_start_matches('/');
        if let Some((dir, file)) = rel.rsplit_once('/') {
            if e.placeholder
                || e.files
                    .iter()
                    .any(|f| f.split("->").next() == Some(p.as_str()))
            {
                if dir != current_dir {
                    text.push_str(&format!("\nF:{dir}"));
                    current_dir = dir.to_string();
                }
                text.push_str(&format!("\nR:{file}"));
            }
        }
    }
    text
}

/// The `so:` names a package's files provide, as abuild derives them: each shared
/// library in `/lib` or `/usr/lib` under its soname (a versioned symlink to the
/// real file, or the file itself when no link names it), with the version its
/// real file name carries (`libsqlite3.so.0` → `libsqlite3.so.0.8.6`: `0.8.6`).
fn so_provides(files: &[&str]) -> Vec<(String, String)> {
    let in_lib_dir = |path: &str| {
        path.rsplit_once('/')
            .is_some_and(|(dir, _)| dir == "/lib" || dir == "/usr/lib")
    };
    let version = |file: &str| {
        file.split_once(".so.")
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let mut found = Vec::new();
    let linked: Vec<&str> = files
        .iter()
        .filter_map(|f| f.split_once("->").map(|(_, target)| target))
        .collect();
    for f in files {
        let (path, target) = match f.split_once("->") {
            Some((p, t)) => (p, Some(t)),
            None => (*f, None),
        };
        let name = super::super::exec::base_name(path);
        if !in_lib_dir(path) || !name.contains(".so.") {
            continue;
        }
        match target {
            Some(t) if t.starts_with(&format!("{name}.")) => {
                found.push((name.to_string(), version(t)));
            }
            Some(_) => {}
            None if !linked.contains(&name) => found.push((name.to_string(), version(name))),
            None => {}
        }
    }
    found
}

fn del(sh: &mut Shell<'_>, names: &[String]) -> Exec {
    let mut db = read_db(sh);
    let mut world = read_world(sh);
    let mut remove: Vec<String> = Vec::new();
    for n in names {
        if !db.iter().any(|s| &s.name == n) {
            sh.err(format!("WARNING: {n}: not installed\n"))?;
            continue;
        }
        world.remove(n);
        remove.push(n.clone());
        // A virtual package takes its dependencies that nothing in world still needs.
        if let Some(s) = db.iter().find(|s| &s.name == n) {
            let deps: Vec<String> = s
                .text
                .lines()
                .find_map(|l| l.strip_prefix("D:"))
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for d in deps {
                if !world.contains(&d) && !remove.contains(&d) {
                    remove.push(d);
                }
            }
        }
    }
    let mut out = String::new();
    let total = remove.len();
    for (k, n) in remove.iter().enumerate() {
        let Some(pos) = db.iter().position(|s| &s.name == n) else {
            continue;
        };
        let s = db.remove(pos);
        out.push_str(&format!("({}/{total}) Purging {n}\n", k + 1));
        let mut dir = String::new();
        for line in s.text.lines() {
            if let Some(d) = line.strip_prefix("F:") {
                dir = d.to_string();
            } else if let Some(f) = line.strip_prefix("R:") {
                let _ = sh.fs.remove_file(&format!("/{dir}/{f}"));
            }
        }
        if s.text.contains(placeholder::MARKER) {
            // A placeholder owns its own directory; apk removes it once empty.
            let _ = sh.fs.remove_dir(&format!("/usr/share/{n}"));
        }
    }
    write_db(sh, &db);
    write_world(sh, &world);
    out.push_str(&format!("OK: {} packages\n", db.len()));
    sh.out(out)?;
    Ok(0)
}
