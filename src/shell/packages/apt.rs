//! `apt-get`, `apt`, `apt-mark` and `dpkg` over dpkg's real database:
//! `/var/lib/dpkg/status` (stanzas kept sorted, edited in place),
//! `/var/lib/dpkg/info/<pkg>.list`, `/var/lib/apt/extended_states`, the lists under
//! `/var/lib/apt/lists` and `.deb` files in `/var/cache/apt/archives`.
//!
//! Faithful behaviours Dockerfile authors trip over: without `apt-get update` the
//! lists are empty and every package is `Unable to locate`; without `-y` a install
//! that pulls extra packages aborts at the prompt; recommends are installed unless
//! `--no-install-recommends`; and images with Docker's `docker-clean` apt config
//! keep no `.deb` files.

use super::super::exec::{base_name, Exec, Shell};
use super::super::posix_regex;
use super::super::NoticeKind;
use super::index::{self, IndexEntry};
use super::placeholder;
use super::{install_files, kilobytes, os_release, seed, write_generated, write_text};
use std::collections::BTreeSet;

const STATUS: &str = "/var/lib/dpkg/status";
const LISTS: &str = "/var/lib/apt/lists";
const ARCHIVES: &str = "/var/cache/apt/archives";
const EXTENDED: &str = "/var/lib/apt/extended_states";

/// One stanza of dpkg's status file.
struct Stanza {
    name: String,
    text: String,
}

fn read_status(sh: &Shell<'_>) -> Vec<Stanza> {
    let text = sh
        .fs
        .read_file(STATUS)
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    text.split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .map(|s| Stanza {
            name: s
                .lines()
                .find_map(|l| l.strip_prefix("Package: "))
                .unwrap_or("")
                .trim()
                .to_string(),
            text: s.trim_matches('\n').to_string(),
        })
        .collect()
}

fn write_status(sh: &mut Shell<'_>, mut stanzas: Vec<Stanza>) {
    crate::sort::sort_by(&mut stanzas, |a, b| a.name.cmp(&b.name));
    let mut out = String::new();
    for s in &stanzas {
        out.push_str(&s.text);
        out.push_str("\n\n");
    }
    if let Ok(old) = sh.fs.read_file(STATUS) {
        let m = sh
            .fs
            .stat(STATUS)
            .map(|s| s.meta)
            .unwrap_or(crate::vfs::Meta::new(0o644));
        let _ = sh
            .fs
            .write_file("/var/lib/dpkg/status-old", old, m.at(sh.ctx.mtime));
    }
    write_text(sh, STATUS, &out);
}

fn installed(stanzas: &[Stanza]) -> BTreeSet<String> {
    stanzas
        .iter()
        .filter(|s| s.text.contains("Status: install ok installed"))
        .map(|s| s.name.clone())
        .collect()
}

/// Whether `apt-get update` has run (some `Packages` index is in the lists).
fn have_lists(sh: &Shell<'_>) -> bool {
    sh.fs
        .read_dir(LISTS)
        .map(|d| d.iter().any(|(n, _)| n.contains("_Packages")))
        .unwrap_or(false)
}

/// The info file stem: multi-arch libraries carry `:amd64`, as dpkg names them.
fn info_name(pkg: &str) -> String {
    if pkg.starts_with("lib") && !pkg.ends_with("-dev") {
        format!("{pkg}:amd64")
    } else {
        pkg.to_string()
    }
}

fn auto_installed(sh: &Shell<'_>) -> BTreeSet<String> {
    let text = sh
        .fs
        .read_file(EXTENDED)
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    text.split("\n\n")
        .filter(|s| s.contains("Auto-Installed: 1"))
        .filter_map(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Package: "))
                .map(|n| n.trim().to_string())
        })
        .collect()
}

fn write_auto(sh: &mut Shell<'_>, auto: &BTreeSet<String>) {
    let mut out = String::new();
    for name in auto {
        out.push_str(&format!(
            "Package: {name}\nArchitecture: amd64\nAuto-Installed: 1\n\n"
        ));
    }
    write_text(sh, EXTENDED, &out);
}

/// Options shared by the apt-get subcommands.
#[derive(Default)]
struct AptOpts {
    yes: bool,
    no_recommends: bool,
    quiet: bool,
    auto_remove: bool,
    /// `--update` (apt 3): refresh the package lists before installing.
    update: bool,
    /// `-s`/`--simulate`: print what would be done, change nothing.
    simulate: bool,
    packages: Vec<String>,
    command: Option<String>,
}

fn parse_opts(argv: &[String]) -> AptOpts {
    let mut o = AptOpts::default();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        match a {
            "-y" | "--yes" | "--assume-yes" | "-yq" | "-qy" | "-qqy" | "-yqq" => {
                o.yes = true;
                o.quiet |= a.contains('q');
            }
            "--no-install-recommends" => o.no_recommends = true,
            "--auto-remove" | "--autoremove" => o.auto_remove = true,
            "--update" => o.update = true,
            "-s" | "--simulate" | "--just-print" | "--dry-run" | "--recon" | "--no-act" => {
                o.simulate = true
            }
            "-q" | "-qq" | "--quiet" => o.quiet = true,
            "-o" | "-t" | "-c" | "--target-release" | "--option" => i += 1,
            s if s.starts_with('-') => {}
            s if o.command.is_none() => o.command = Some(s.to_string()),
            s => o.packages.push(s.to_string()),
        }
    }
    o
}

/// `apt-get` (and `apt`): update, install, remove, purge, autoremove, clean,
/// upgrade.
pub fn apt_get(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = base_name(&argv[0]).to_string();
    if called == "apt" {
        sh.err(
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
        )?;
    }
    let o = parse_opts(argv);
    match o.command.as_deref() {
        Some("update") => update(sh, &called, o.quiet),
        Some("install" | "reinstall") => {
            if o.update {
                let status = update(sh, &called, o.quiet)?;
                if status != 0 {
                    return Ok(status);
                }
            }
            install(sh, &called, &o)
        }
        Some("remove" | "purge") => {
            let purge = o.command.as_deref() == Some("purge");
            remove(sh, &o.packages, purge, o.auto_remove)
        }
        Some("autoremove" | "autopurge") => remove(sh, &[], false, true),
        Some("clean" | "autoclean") => {
            clean(sh);
            Ok(0)
        }
        Some("dist-clean" | "distclean") => {
            // apt 3 (Debian 13): clean, and drop the package lists too.
            clean(sh);
            for (name, st) in sh.fs.read_dir(LISTS).unwrap_or_default() {
                if !st.is_dir() && name != "lock" {
                    let _ = sh.fs.remove_file(&format!("{LISTS}/{name}"));
                }
            }
            Ok(0)
        }
        Some("upgrade" | "dist-upgrade" | "full-upgrade") => {
            if !o.quiet {
                sh.out("Reading package lists...\nBuilding dependency tree...\nReading state information...\nCalculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n")?;
            }
            sh.notice(NoticeKind::Simulated, &called, "simulated: apt-get upgrade found nothing to upgrade; the simulated archive never changes");
            Ok(0)
        }
        Some(other) => {
            sh.err(format!("E: Invalid operation {other}\n"))?;
            Ok(100)
        }
        None => {
            sh.out("apt 2.6.1 (amd64)\nUsage: apt-get [options] command\n")?;
            Ok(0)
        }
    }
}

/// The list files `apt-get update` writes: (name, size) for the image's release.
fn list_files(sh: &Shell<'_>) -> Vec<(String, u64)> {
    let (id, codename, _) = os_release(sh);
    let codename = if codename.is_empty() {
        "bookworm".to_string()
    } else {
        codename
    };
    if id == "ubuntu" {
        let mut files = Vec::new();
        for (host, suite, main_kib, universe_kib) in [
            ("archive.ubuntu.com_ubuntu", codename.clone(), 1_810, 17_970),
            (
                "archive.ubuntu.com_ubuntu",
                format!("{codename}-updates"),
                1_260,
                1_520,
            ),
            (
                "archive.ubuntu.com_ubuntu",
                format!("{codename}-backports"),
                10,
                30,
            ),
            (
                "security.ubuntu.com_ubuntu",
                format!("{codename}-security"),
                900,
                1_010,
            ),
        ] {
            files.push((format!("{host}_dists_{suite}_InRelease"), 256 * 1024));
            files.push((
                format!("{host}_dists_{suite}_main_binary-amd64_Packages.lz4"),
                main_kib * 1024,
            ));
            files.push((
                format!("{host}_dists_{suite}_universe_binary-amd64_Packages.lz4"),
                universe_kib * 1024,
            ));
        }
        files
    } else {
        vec![
            (format!("deb.debian.org_debian_dists_{codename}_InRelease"), 151_490),
            (format!("deb.debian.org_debian_dists_{codename}_main_binary-amd64_Packages.lz4"), 8_788_454),
            (format!("deb.debian.org_debian_dists_{codename}-updates_InRelease"), 55_401),
            (format!("deb.debian.org_debian_dists_{codename}-updates_main_binary-amd64_Packages.lz4"), 12_962),
            (format!("deb.debian.org_debian-security_dists_{codename}-security_InRelease"), 48_018),
            (format!("deb.debian.org_debian-security_dists_{codename}-security_main_binary-amd64_Packages.lz4"), 262_114),
        ]
    }
}

fn update(sh: &mut Shell<'_>, called: &str, quiet: bool) -> Exec {
    let files = list_files(sh);
    let mut out = String::new();
    let mut hit = 0;
    for (name, size) in &files {
        if name.ends_with("_InRelease") {
            hit += 1;
            let url = name
                .replacen('_', "/", 1)
                .replace("_dists_", " ")
                .replace('_', "/");
            out.push_str(&format!(
                "Get:{hit} http://{} InRelease [{}]\n",
                url.trim_end_matches("/InRelease"),
                kilobytes(*size)
            ));
        }
        write_generated(sh, &format!("{LISTS}/{name}"), *size, &["apt-lists", name]);
    }
    write_text(sh, &format!("{LISTS}/lock"), "");
    let pmeta = crate::vfs::Meta::new(0o700).owned(42, 0).at(sh.ctx.mtime);
    let _ = sh.fs.mkdir_all(&format!("{LISTS}/partial"), pmeta);
    let total: u64 = files.iter().map(|(_, s)| s).sum();
    out.push_str(&format!(
        "Fetched {} in 0s (0 B/s)\nReading package lists...\n",
        kilobytes(total)
    ));
    if !quiet {
        sh.out(out)?;
    }
    sh.notice(NoticeKind::Simulated, called, "simulated: apt-get update downloaded nothing; the package lists are placeholders with realistic sizes");
    Ok(0)
}

/// Resolves requested names to index entries with their dependencies, in install
/// order (dependencies first); `Err` holds the names apt cannot locate.
fn resolve<'a>(
    names: &[String],
    no_recommends: bool,
    index: &[IndexEntry<'a>],
) -> Result<Vec<IndexEntry<'a>>, Vec<String>> {
    let find = |n: &str| index.iter().find(|e| e.name == n).cloned();
    let missing: Vec<String> = names
        .iter()
        .filter(|n| find(n).is_none())
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut order: Vec<IndexEntry> = Vec::new();
    fn visit<'a>(
        n: &str,
        no_rec: bool,
        find: &dyn Fn(&str) -> Option<IndexEntry<'a>>,
        order: &mut Vec<IndexEntry<'a>>,
        seen: &mut BTreeSet<String>,
    ) {
        if !seen.insert(n.to_string()) {
            return;
        }
        let Some(e) = find(n) else { return };
        for d in &e.depends {
            visit(d, no_rec, find, order, seen);
        }
        if !no_rec {
            for r in &e.recommends {
                visit(r, no_rec, find, order, seen);
            }
        }
        order.push(e);
    }
    let mut seen = BTreeSet::new();
    for n in names {
        visit(n, no_recommends, &find, &mut order, &mut seen);
    }
    Ok(order)
}

/// `name=version` and `name:amd64` are accepted as just `name`.
fn plain_name(spec: &str) -> String {
    let s = spec.split('=').next().unwrap_or(spec);
    s.split(':').next().unwrap_or(s).to_string()
}

fn install(sh: &mut Shell<'_>, called: &str, o: &AptOpts) -> Exec {
    let mut out = String::from(
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
    );
    let (local, names): (Vec<&String>, Vec<&String>) = o
        .packages
        .iter()
        .partition(|p| p.ends_with(".deb") && p.contains('/'));
    if !local.is_empty() {
        sh.notice(
            NoticeKind::NotSimulated,
            called,
            "not simulated: installing local .deb files is not modelled; they were skipped",
        );
    }
    let (id, codename, version_id) = os_release(sh);
    let lists = have_lists(sh);
    // A name the release renamed (noble's `t64` libraries) selects its successor.
    let successor = |n: &str| {
        lists
            .then(|| index::apt_successor(&id, &codename, n))
            .flatten()
    };
    for p in names.iter().map(|p| plain_name(p)) {
        if let Some(new) = successor(&p) {
            out.push_str(&format!("Note, selecting '{new}' instead of '{p}'\n"));
        }
    }
    let rename = |n: String| successor(&n).map_or(n, str::to_string);
    let names: Vec<String> = names.iter().map(|p| rename(plain_name(p))).collect();
    let versions: Vec<(String, String)> = o
        .packages
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(n, v)| (rename(plain_name(n)), v.to_string()))
        .collect();
    let stanzas = read_status(sh);
    let have = installed(&stanzas);
    let mut index = if lists {
        index::apt(&id, &codename)
    } else {
        Vec::new()
    };
    // With package lists present, a valid name the index lacks is most likely in
    // the real archive: it gets a placeholder, unless it is installed already.
    if !index.is_empty() {
        for n in &names {
            if !have.contains(n)
                && placeholder::valid_name(n, false)
                && !index.iter().any(|e| e.name == n)
            {
                index.push(placeholder::entry(n, false));
            }
        }
    }
    let requested: Vec<String> = names
        .iter()
        .filter(|n| !have.contains(*n) || index.iter().any(|e| e.name == n.as_str()))
        .cloned()
        .collect();
    let order = match resolve(&requested, o.no_recommends, &index) {
        Ok(order) => order,
        Err(missing) => {
            sh.out(out)?;
            let mut err = String::new();
            for m in missing {
                err.push_str(&format!("E: Unable to locate package {m}\n"));
            }
            sh.err(err)?;
            return Ok(100);
        }
    };
    let mut new: Vec<IndexEntry> = order
        .into_iter()
        .filter(|e| !have.contains(e.name))
        .collect();
    // `name=version`: the archive is simulated and cannot hold every version (nor
    // the extra repositories a Dockerfile adds), so the indexed package's files
    // stand in for the version asked for, which dpkg then records; a notice says so.
    for e in new.iter_mut() {
        let Some((_, want)) = versions.iter().find(|(n, _)| n == e.name) else {
            continue;
        };
        if want != e.version {
            let stand_in = if e.placeholder {
                "a placeholder".to_string()
            } else {
                format!("the files of {} {}", e.name, e.version)
            };
            sh.notice(
                NoticeKind::Simulated,
                called,
                format!("simulated: {}={want} was requested; layerlab's package index does not have that version, so {stand_in} stand in for it and dpkg records version {want}", e.name),
            );
            e.version = want.as_str();
        }
    }
    for n in &names {
        if have.contains(n.as_str()) {
            let version = index
                .iter()
                .find(|e| e.name == n)
                .map(|e| e.version.to_string())
                .or_else(|| {
                    stanzas.iter().find(|s| &s.name == n).and_then(|s| {
                        s.text
                            .lines()
                            .find_map(|l| l.strip_prefix("Version: "))
                            .map(str::to_string)
                    })
                });
            if let Some(v) = version {
                out.push_str(&format!("{n} is already the newest version ({v}).\n"));
            }
        }
    }
    let extra: Vec<&str> = new
        .iter()
        .map(|e| e.name)
        .filter(|n| !names.iter().any(|m| m == n))
        .collect();
    let mut sorted: Vec<&str> = new.iter().map(|e| e.name).collect();
    crate::sort::sort(&mut sorted);
    if !extra.is_empty() {
        let mut ex = extra.clone();
        crate::sort::sort(&mut ex);
        out.push_str(&format!(
            "The following additional packages will be installed:\n  {}\n",
            ex.join(" ")
        ));
    }
    if !new.is_empty() {
        out.push_str(&format!(
            "The following NEW packages will be installed:\n  {}\n",
            sorted.join(" ")
        ));
    }
    let download: u64 = new.iter().map(|e| e.installed_kib * 1024 / 3).sum();
    let disk: u64 = new.iter().map(|e| e.installed_kib * 1024).sum();
    out.push_str(&format!(
        "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n",
        new.len()
    ));
    if new.is_empty() {
        sh.out(out)?;
        return Ok(0);
    }
    let ubuntu = id == "ubuntu";
    let suite = if codename.is_empty() {
        "bookworm"
    } else {
        codename.as_str()
    };
    if o.simulate {
        for word in ["Inst", "Conf"] {
            for e in &new {
                let origin = if ubuntu {
                    format!(
                        "Ubuntu:{version_id}/{suite}{} [amd64]",
                        ubuntu_pocket(e.version)
                    )
                } else {
                    format!("Debian:{version_id}/stable [amd64]")
                };
                out.push_str(&format!("{word} {} ({} {origin})\n", e.name, e.version));
            }
        }
        sh.out(out)?;
        return Ok(0);
    }
    out.push_str(&format!("Need to get {} of archives.\nAfter this operation, {} of additional disk space will be used.\n", kilobytes(download), kilobytes(disk)));
    if !extra.is_empty() && !o.yes {
        out.push_str("Do you want to continue? [Y/n] Abort.\n");
        sh.out(out)?;
        return Ok(1);
    }
    let mirror = if ubuntu {
        "http://archive.ubuntu.com/ubuntu"
    } else {
        "http://deb.debian.org/debian"
    };
    for (i, e) in new.iter().enumerate() {
        let pocket = if ubuntu { ubuntu_pocket(e.version) } else { "" };
        out.push_str(&format!(
            "Get:{} {mirror} {suite}{pocket}/main amd64 {} amd64 {} [{}]\n",
            i + 1,
            e.name,
            e.version,
            kilobytes(e.installed_kib * 1024 / 3)
        ));
    }
    out.push_str(&format!("Fetched {} in 0s (0 B/s)\n", kilobytes(download)));
    let maintainer = if ubuntu {
        "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"
    } else {
        "Debian Maintainers <debian-devel@lists.debian.org>"
    };
    let keep_debs = !sh.fs.exists("/etc/apt/apt.conf.d/docker-clean");
    let mut stanzas = stanzas;
    let mut auto = auto_installed(sh);
    let mut log = String::new();
    let stamp = super::super::commands::system::format_date(sh.ctx.mtime, "%Y-%m-%d %H:%M:%S");
    for e in &new {
        sh.step()?;
        let deb = format!("{}_{}_amd64.deb", e.name, e.version.replace(':', "%3a"));
        out.push_str(&format!("Selecting previously unselected package {}.\nPreparing to unpack .../{deb} ...\nUnpacking {} ({}) ...\n", e.name, e.name, e.version));
        let docs = vec![
            format!("/usr/share/doc/{}/copyright", e.name),
            format!("/usr/share/doc/{}/changelog.Debian.gz", e.name),
        ];
        let mut written = Vec::new();
        if e.placeholder {
            // The copyright file says what this is; the changelog carries the size.
            let text = placeholder::text(e.name);
            write_text(sh, &docs[0], &text);
            let rest = (e.installed_kib * 1024).saturating_sub(text.len() as u64);
            write_generated(sh, &docs[1], rest.max(1), &[e.name, e.version, &docs[1]]);
            written.extend(docs.iter().cloned());
        } else {
            let doc_size = 1_500 + seed(&[e.name, "doc"]) % 6_000;
            let total = (e.installed_kib * 1024).saturating_sub(2 * doc_size).max(1);
            written = install_files(sh, e.name, e.version, &e.files, total);
            for d in &docs {
                super::write_package_file(sh, e.name, e.version, d, doc_size);
                written.push(d.clone());
            }
        }
        let mut list = String::from("/.\n");
        let mut seen = BTreeSet::new();
        for p in written {
            let mut prefix = String::new();
            for c in p.split('/').filter(|c| !c.is_empty()) {
                prefix.push('/');
                prefix.push_str(c);
                if seen.insert(prefix.clone()) {
                    list.push_str(&prefix);
                    list.push('\n');
                }
            }
        }
        write_text(
            sh,
            &format!("/var/lib/dpkg/info/{}.list", info_name(e.name)),
            &list,
        );
        if keep_debs {
            write_generated(
                sh,
                &format!("{ARCHIVES}/{deb}"),
                e.installed_kib * 1024 / 3,
                &["deb", e.name, e.version],
            );
        }
        let depends = if e.depends.is_empty() {
            String::new()
        } else {
            format!("Depends: {}\n", e.depends.join(", "))
        };
        let recommends = if e.recommends.is_empty() {
            String::new()
        } else {
            format!("Recommends: {}\n", e.recommends.join(", "))
        };
        let marker = if e.placeholder {
            format!("X-Layerlab: {}\n", placeholder::MARKER)
        } else {
            String::new()
        };
        stanzas.retain(|s| s.name != e.name);
        stanzas.push(Stanza {
            name: e.name.to_string(),
            text: format!(
                "Package: {}\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: {}\nMaintainer: {maintainer}\nArchitecture: amd64\nVersion: {}\n{depends}{recommends}{marker}Description: {}\n This package was installed by layerlab's simulated apt; its files are placeholders.",
                e.name, e.installed_kib, e.version, e.description
            ),
        });
        if !names.iter().any(|n| n == e.name) {
            auto.insert(e.name.to_string());
        } else {
            auto.remove(e.name);
        }
        log.push_str(&format!(
            "{stamp} install {}:amd64 <none> {}\n{stamp} status installed {}:amd64 {}\n",
            e.name, e.version, e.name, e.version
        ));
    }
    for e in &new {
        out.push_str(&format!("Setting up {} ({}) ...\n", e.name, e.version));
    }
    write_status(sh, stanzas);
    write_auto(sh, &auto);
    append(sh, "/var/log/dpkg.log", &log);
    let history = format!(
        "\nStart-Date: {stamp}\nCommandline: apt-get install {}\nInstall: {}\nEnd-Date: {stamp}\n",
        o.packages.join(" "),
        new.iter()
            .map(|e| format!("{}:amd64 ({})", e.name, e.version))
            .collect::<Vec<_>>()
            .join(", ")
    );
    append(sh, "/var/log/apt/history.log", &history);
    append(
        sh,
        "/var/log/apt/term.log",
        &format!("\nLog started: {stamp}\n{out}Log ended: {stamp}\n"),
    );
    grow(
        sh,
        "/var/cache/debconf/templates.dat",
        4_096 * new.len() as u64,
        "debconf-templates",
    );
    grow(
        sh,
        "/var/cache/debconf/config.dat",
        512 * new.len() as u64,
        "debconf-config",
    );
    if !o.quiet {
        sh.out(out)?;
    }
    for e in new.iter().filter(|e| e.placeholder) {
        sh.notice(
            NoticeKind::NotSimulated,
            called,
            placeholder::warning(e.name),
        );
    }
    sh.notice(
        NoticeKind::Simulated,
        called,
        format!("simulated: {called} install downloaded nothing; {} packages were installed from layerlab's curated index as placeholder files with realistic sizes", new.iter().filter(|e| !e.placeholder).count()),
    );
    Ok(0)
}

/// The Ubuntu pocket a version comes from: a stable release update
/// (`1ubuntu1.20`, `0ubuntu0.22.04.1`, `3.2build2.1`, `~22.04`) is in `-updates`,
/// the release's own version in the release pocket.
fn ubuntu_pocket(version: &str) -> &'static str {
    let revised = |marker: &str| {
        version
            .rsplit_once(marker)
            .map(|(_, rest)| rest.trim_start_matches(|c: char| c.is_ascii_digit()))
            .is_some_and(|rest| rest.starts_with('.'))
    };
    let update = revised("ubuntu")
        || revised("build")
        || version.contains("~22.04")
        || version.contains("~24.04");
    if update {
        "-updates"
    } else {
        ""
    }
}

fn append(sh: &mut Shell<'_>, path: &str, text: &str) {
    let mut data = sh
        .fs
        .read_file(path)
        .map(|b| b.bytes().into_owned())
        .unwrap_or_default();
    data.extend_from_slice(text.as_bytes());
    write_text(sh, path, &String::from_utf8_lossy(&data));
}

/// Makes a generated cache file `extra` bytes larger (debconf's databases).
fn grow(sh: &mut Shell<'_>, path: &str, extra: u64, tag: &str) {
    let size = sh.fs.stat(path).map(|s| s.size()).unwrap_or(0) + extra;
    write_generated(sh, path, size, &[tag, &size.to_string()]);
}

/// The installed packages apt's autoremove keeps, as its dependency cache marks
/// them: the manually installed `keep`, apt itself, every Essential or Protected
/// package, and all they depend on (`Depends`/`Pre-Depends` of dpkg's status, an alternative
/// or virtual name kept through every installed package satisfying it).
fn required(stanzas: &[Stanza], have: &BTreeSet<String>, keep: &[String]) -> BTreeSet<String> {
    let field = |s: &Stanza, name: &str| -> String {
        s.text
            .lines()
            .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(':')))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let bare = |word: &str| -> String {
        let w = word.trim();
        let w = w.split([' ', '(']).next().unwrap_or(w);
        w.split(':').next().unwrap_or(w).to_string()
    };
    let live: Vec<&Stanza> = stanzas.iter().filter(|s| have.contains(&s.name)).collect();
    // apt always keeps itself, Protected field or not.
    let mut queue: Vec<String> = keep.to_vec();
    queue.push("apt".to_string());
    for s in &live {
        if field(s, "Essential") == "yes" || field(s, "Protected") == "yes" {
            queue.push(s.name.clone());
        }
    }
    let mut kept = BTreeSet::new();
    while let Some(name) = queue.pop() {
        // A name is kept through each installed package called or providing it.
        for s in live
            .iter()
            .filter(|s| s.name == name || field(s, "Provides").split(',').any(|p| bare(p) == name))
        {
            if !kept.insert(s.name.clone()) {
                continue;
            }
            for dep in [field(s, "Depends"), field(s, "Pre-Depends")] {
                for alternative in dep.split([',', '|']).filter(|d| !d.trim().is_empty()) {
                    queue.push(bare(alternative));
                }
            }
        }
    }
    kept
}

fn remove(sh: &mut Shell<'_>, names: &[String], purge: bool, auto_remove: bool) -> Exec {
    let mut stanzas = read_status(sh);
    let have = installed(&stanzas);
    let mut out = String::from(
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
    );
    let mut targets: Vec<String> = Vec::new();
    for n in names.iter().map(|n| plain_name(n)) {
        if have.contains(&n) {
            targets.push(n);
        } else {
            out.push_str(&format!("Package '{n}' is not installed, so not removed\n"));
        }
    }
    let mut auto = auto_installed(sh);
    if auto_remove {
        // Auto-installed packages that no remaining package of the index needs.
        let (id, codename, _) = os_release(sh);
        let index = index::apt(&id, &codename);
        let keep: Vec<String> = have
            .iter()
            .filter(|n| !targets.contains(n) && !auto.contains(*n))
            .cloned()
            .collect();
        let mut needed: BTreeSet<String> = match resolve(
            &keep
                .iter()
                .filter(|n| index.iter().any(|e| e.name == n.as_str()))
                .cloned()
                .collect::<Vec<_>>(),
            true,
            &index,
        ) {
            Ok(order) => order.iter().map(|e| e.name.to_string()).collect(),
            Err(_) => BTreeSet::new(),
        };
        needed.extend(required(&stanzas, &have, &keep));
        for a in &auto {
            if have.contains(a) && !needed.contains(a) && !targets.contains(a) {
                targets.push(a.clone());
            }
        }
    }
    if !targets.is_empty() {
        out.push_str(&format!(
            "The following packages will be REMOVED:\n  {}\n",
            targets.join(" ")
        ));
    }
    out.push_str(&format!(
        "0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.\n",
        targets.len()
    ));
    for t in &targets {
        sh.step()?;
        out.push_str(&format!("Removing {t} ...\n"));
        let list_path = format!("/var/lib/dpkg/info/{}.list", info_name(t));
        let listed = sh
            .fs
            .read_file(&list_path)
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
            .unwrap_or_default();
        let mut dirs = Vec::new();
        for p in listed.lines().filter(|p| *p != "/.") {
            match sh.fs.lstat(p) {
                Ok(s) if s.is_dir() => dirs.push(p.to_string()),
                // A listed directory that is a symlink to one (`/bin` on a merged-usr
                // system) is a directory to dpkg: it is never unlinked.
                Ok(_) if sh.fs.stat(p).is_ok_and(|t| t.is_dir()) => {}
                Ok(_) => {
                    let _ = sh.fs.remove_file(p);
                }
                Err(_) => {}
            }
        }
        for d in dirs.iter().rev() {
            // Only directories left empty go, as dpkg does.
            let _ = sh.fs.remove_dir(d);
        }
        let _ = sh.fs.remove_file(&list_path);
        auto.remove(t);
        if purge {
            stanzas.retain(|s| &s.name != t);
        } else {
            for s in stanzas.iter_mut().filter(|s| &s.name == t) {
                s.text = s.text.replace(
                    "Status: install ok installed",
                    "Status: deinstall ok config-files",
                );
            }
        }
    }
    write_status(sh, stanzas);
    write_auto(sh, &auto);
    sh.out(out)?;
    Ok(0)
}

fn clean(sh: &mut Shell<'_>) {
    for dir in [ARCHIVES, "/var/cache/apt/archives/partial"] {
        for (name, st) in sh.fs.read_dir(dir).unwrap_or_default() {
            if !st.is_dir() && name != "lock" {
                let _ = sh.fs.remove_file(&format!("{dir}/{name}"));
            }
        }
    }
    for bin in [
        "/var/cache/apt/pkgcache.bin",
        "/var/cache/apt/srcpkgcache.bin",
    ] {
        let _ = sh.fs.remove_file(bin);
    }
}

/// `apt-mark showmanual|showauto|auto|manual|hold PKG...`.
pub fn apt_mark(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let have = installed(&read_status(sh));
    let mut auto = auto_installed(sh);
    let args: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    match args.first().map(|s| s.as_str()) {
        Some("showmanual") => {
            let list: String = have
                .iter()
                .filter(|n| !auto.contains(*n))
                .map(|n| format!("{n}\n"))
                .collect();
            sh.out(list)?;
        }
        Some("showauto") => {
            let list: String = have
                .iter()
                .filter(|n| auto.contains(*n))
                .map(|n| format!("{n}\n"))
                .collect();
            sh.out(list)?;
        }
        Some(cmd @ ("auto" | "manual")) => {
            let mut out = String::new();
            for pattern in &args[1..] {
                // `name:arch` (as dpkg-query --search prints owners) names the
                // package of that architecture; there is one architecture here.
                let pattern = match pattern.rsplit_once(':') {
                    Some((name, arch))
                        if !name.is_empty()
                            && !arch.is_empty()
                            && arch.chars().all(|c| c.is_ascii_alphanumeric()) =>
                    {
                        name
                    }
                    _ => pattern.as_str(),
                };
                // apt-mark accepts regular expressions such as '.*'.
                let re = posix_regex::parse(pattern, true, false)
                    .and_then(|n| posix_regex::Regex::new(&n.whole()))
                    .ok();
                for n in &have {
                    if n == pattern || re.as_ref().is_some_and(|r| r.is_match(n.as_bytes())) {
                        if cmd == "auto" {
                            auto.insert(n.clone());
                            out.push_str(&format!("{n} set to automatically installed.\n"));
                        } else {
                            auto.remove(n);
                            out.push_str(&format!("{n} set to manually installed.\n"));
                        }
                    }
                }
            }
            write_auto(sh, &auto);
            sh.out(out)?;
        }
        Some("hold" | "unhold") => {}
        _ => {
            sh.err("E: No packages found\n")?;
            return Ok(100);
        }
    }
    Ok(0)
}

/// `dpkg --print-architecture | -l | -s PKG | -L PKG | --get-selections`.
pub fn dpkg(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let stanzas = read_status(sh);
    match argv.get(1).map(String::as_str) {
        Some("--print-architecture") => sh.out("amd64\n")?,
        Some("--print-foreign-architectures") => {}
        Some("-l" | "--list") => {
            let mut out = String::from("Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n||/ Name Version Architecture Description\n+++-====-=======-============-===========\n");
            for s in &stanzas {
                let field = |k: &str| {
                    s.text
                        .lines()
                        .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                        .unwrap_or("")
                        .to_string()
                };
                let state = if s.text.contains("install ok installed") {
                    "ii"
                } else {
                    "rc"
                };
                out.push_str(&format!(
                    "{state}  {} {} {} {}\n",
                    s.name,
                    field("Version"),
                    field("Architecture"),
                    field("Description")
                ));
            }
            sh.out(out)?;
        }
        Some("-s" | "--status") => {
            let mut status = 0;
            for n in &argv[2..] {
                match stanzas.iter().find(|s| &s.name == n) {
                    Some(s) => sh.out(format!("{}\n\n", s.text))?,
                    None => {
                        sh.err(format!("dpkg-query: package '{n}' is not installed and no information is available\n"))?;
                        status = 1;
                    }
                }
            }
            return Ok(status);
        }
        Some("-S" | "--search") => {
            return crate::shell::commands::dpkg_search::search(sh, &argv[2..]);
        }
        Some("-L" | "--listfiles") => {
            let mut status = 0;
            for n in &argv[2..] {
                match sh
                    .fs
                    .read_file(&format!("/var/lib/dpkg/info/{}.list", info_name(n)))
                    .or_else(|_| sh.fs.read_file(&format!("/var/lib/dpkg/info/{n}.list")))
                {
                    Ok(b) => sh.out(b.bytes())?,
                    Err(_) => {
                        sh.err(format!("dpkg-query: package '{n}' is not installed\n"))?;
                        status = 1;
                    }
                }
            }
            return Ok(status);
        }
        Some("--get-selections") => {
            let out: String = installed(&stanzas)
                .iter()
                .map(|n| format!("{n}\t\t\t\t\t\tinstall\n"))
                .collect();
            sh.out(out)?;
        }
        _ => {
            sh.notice(
                NoticeKind::NotSimulated,
                "dpkg",
                "not simulated: this dpkg operation is not modelled; treated as success",
            );
        }
    }
    Ok(0)
}

/// `dpkg-architecture [-q|--query VARIABLE]`: the amd64 build machine's values;
/// on a musl system (Alpine's dpkg-dev) the musl ones (`x86_64-linux-musl`).
pub fn dpkg_architecture(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let musl = sh.fs.exists("/lib/ld-musl-x86_64.so.1") || sh.fs.exists("/etc/alpine-release");
    let (arch, gnu) = if musl {
        ("musl-linux-amd64", "x86_64-linux-musl")
    } else {
        ("amd64", "x86_64-linux-gnu")
    };
    let vars: [(&str, &str); 8] = [
        ("DEB_BUILD_ARCH", arch),
        ("DEB_BUILD_ARCH_BITS", "64"),
        ("DEB_BUILD_GNU_CPU", "x86_64"),
        ("DEB_BUILD_GNU_TYPE", gnu),
        ("DEB_BUILD_MULTIARCH", gnu),
        ("DEB_HOST_ARCH", arch),
        ("DEB_HOST_GNU_TYPE", gnu),
        ("DEB_HOST_MULTIARCH", gnu),
    ];
    let query = argv
        .iter()
        .position(|a| a == "-q" || a == "--query")
        .and_then(|i| argv.get(i + 1))
        .or_else(|| {
            argv.iter()
                .find_map(|a| a.strip_prefix("-q").filter(|v| !v.is_empty()).map(|_| a))
        });
    let out = match query {
        Some(q) => {
            let q = q.strip_prefix("-q").unwrap_or(q);
            match vars.iter().find(|(k, _)| *k == q) {
                Some((_, v)) => format!("{v}\n"),
                None => {
                    sh.err(format!(
                        "dpkg-architecture: error: {q} is not a supported variable name\n"
                    ))?;
                    return Ok(2);
                }
            }
        }
        None => vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect(),
    };
    sh.out(out)?;
    Ok(0)
}
