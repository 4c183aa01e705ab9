//! Archives and checksums with real formats: `tar` (create, extract, list; gzip via
//! `flate2`), `gzip`/`gunzip`/`zcat`, `sha256sum`, `md5sum`.
//!
//! Simulated downloads (see `net`) are placeholders, not archives: extracting or
//! checking one succeeds with a notice instead of failing the build, since the real
//! file would have been a valid archive with the published checksum.

use super::super::exec::{base_name, Exec, Flow, Shell};
use super::super::NoticeKind;
use super::{flags, net};
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta};
use std::io::{Read, Write};

fn gunzip_bytes(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// What one compression costs against the shell budget beyond its input: setting
/// up the compressor's tables costs about as much as compressing 64 KiB.
const GZIP_SETUP_BYTES: usize = 64 << 10;

fn gzip_bytes(data: &[u8], name: Option<&str>, mtime: u32) -> Vec<u8> {
    let mut builder = flate2::GzBuilder::new().mtime(mtime);
    if let Some(n) = name {
        builder = builder.filename(n);
    }
    let mut enc = builder.write(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// `tar -c|-x|-t [-z] [-v] [-f FILE] [-C DIR] [--strip-components=N] [MEMBER]...`.
pub fn tar(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut args = normalize_tar_args(argv);
    // Old-style bundled flags: `tar xzf file`.
    if args.len() > 1 && !args[1].starts_with('-') {
        args[1] = format!("-{}", args[1]);
    }
    let f = flags(&args, "fCT");
    let file = f.value('f').or(f.long_value("file")).map(str::to_string);
    let dir = f
        .value('C')
        .or(f.long_value("directory"))
        .map(str::to_string)
        .unwrap_or_else(|| ".".to_string());
    let strip = f
        .long_value("strip-components")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let gzip = f.has('z') || f.has_long("gzip");
    let compressed = f.has('j') || f.has('J');
    if compressed && (f.has('c') || f.has_long("create")) {
        sh.notice(NoticeKind::NotSimulated, "tar", "not simulated: bzip2 and xz compression are not modelled; the archive was not processed");
        return Ok(0);
    }
    if f.has('c') || f.has_long("create") {
        return tar_create(sh, &f.operands, file.as_deref(), &dir, gzip, f.has('v'));
    }
    let list = f.has('t') || f.has_long("list");
    if !(f.has('x') || f.has_long("extract") || list) {
        sh.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n")?;
        return Ok(2);
    }
    let data = match file.as_deref() {
        None | Some("-") => sh.read_stdin(),
        Some(name) => {
            match sh.fs.read_file(&sh.abs(name)) {
                Ok(b) => b.bytes().into_owned(),
                Err(e) => {
                    sh.err(format!("tar: {name}: Cannot open: {}\ntar: Error is not recoverable: exiting now\n", e.kind))?;
                    return Ok(2);
                }
            }
        }
    };
    sh.charge(data.len())?;
    if net::is_placeholder(&data) {
        let url = net::placeholder_url(&data);
        let libc = target_libc(sh);
        return match url.and_then(|u| crate::catalog::release_for(u, libc)) {
            Some(Ok(release)) => {
                sh.charge_entries(release.entries.len())?;
                sh.notice(
                    NoticeKind::Simulated,
                    "tar",
                    format!(
                        "simulated: the archive is a simulated download; tar unpacked layerlab's simulated tree of {} ({} entries)",
                        release.title,
                        release.entries.len()
                    ),
                );
                let members = release_members(&release);
                tar_extract(sh, members, &dir, strip, &f.operands, list, f.has('v'))
            }
            Some(Err(e)) => {
                sh.err(format!("tar: {e}\n"))?;
                Ok(2)
            }
            None => {
                sh.notice(
                    NoticeKind::Simulated,
                    "tar",
                    "simulated: the archive is a simulated download, so extracting it produced no files",
                );
                Ok(0)
            }
        };
    }
    if compressed {
        sh.notice(NoticeKind::NotSimulated, "tar", "not simulated: bzip2 and xz compression are not modelled; the archive was not processed");
        return Ok(0);
    }
    let raw = if data.starts_with(&[0x1f, 0x8b]) {
        match gunzip_bytes(&data) {
            Some(d) => d,
            None => {
                sh.err("gzip: stdin: unexpected end of file\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n")?;
                return Ok(2);
            }
        }
    } else if gzip {
        sh.err("gzip: stdin: not in gzip format\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n")?;
        return Ok(2);
    } else {
        data
    };
    let members = tar_members(sh, &raw)?;
    tar_extract(sh, members, &dir, strip, &f.operands, list, f.has('v'))
}

/// GNU tar's long options rewritten to the short forms (`--file X` → `-f X`,
/// `--strip-components N` → `--strip-components=N`), so one parser handles both.
fn normalize_tar_args(argv: &[String]) -> Vec<String> {
    let mut out = vec![argv[0].clone()];
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        let short = match a {
            "--extract" | "--get" => Some("-x"),
            "--create" => Some("-c"),
            "--list" => Some("-t"),
            "--gzip" | "--gunzip" | "--ungzip" => Some("-z"),
            "--xz" => Some("-J"),
            "--bzip2" => Some("-j"),
            "--verbose" => Some("-v"),
            "--file" => Some("-f"),
            "--directory" => Some("-C"),
            _ => None,
        };
        match short {
            Some(s) => out.push(s.to_string()),
            None if matches!(
                a,
                "--strip-components" | "--exclude" | "--owner" | "--group" | "--mode"
            ) =>
            {
                out.push(format!("{a}={}", argv.get(i).cloned().unwrap_or_default()));
                i += 1;
            }
            None => out.push(a.to_string()),
        }
    }
    out
}

fn tar_create(
    sh: &mut Shell<'_>,
    members: &[String],
    file: Option<&str>,
    dir: &str,
    gzip: bool,
    verbose: bool,
) -> Exec {
    if members.is_empty() {
        sh.err("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n")?;
        return Ok(2);
    }
    let base = sh.abs(dir);
    let mut builder = tar::Builder::new(Vec::new());
    let mut status = 0;
    let mut listed = String::new();
    for m in members {
        let start = if m.starts_with('/') {
            m.clone()
        } else {
            format!("{}/{m}", base.trim_end_matches('/'))
        };
        let Ok(st) = sh.fs.lstat(&start) else {
            sh.err(format!(
                "tar: {m}: Cannot stat: No such file or directory\n"
            ))?;
            status = 2;
            continue;
        };
        let mut nodes = vec![(m.trim_start_matches('/').to_string(), st.clone())];
        if st.is_dir() {
            let canon = sh.fs.canonicalize(&start).unwrap_or(start.clone());
            let prefix = canon.trim_start_matches('/').to_string();
            let entries = sh.fs.walk(&start).unwrap_or_default();
            sh.charge_entries(entries.len())?;
            for e in entries {
                let rel = e
                    .path
                    .strip_prefix(&prefix)
                    .unwrap_or(&e.path)
                    .trim_start_matches('/')
                    .to_string();
                nodes.push((
                    format!("{}/{rel}", m.trim_start_matches('/').trim_end_matches('/')),
                    e.stat,
                ));
            }
        }
        for (name, st) in nodes {
            sh.step()?;
            let mut h = tar::Header::new_gnu();
            h.set_mode(st.meta.mode);
            h.set_uid(u64::from(st.meta.uid));
            h.set_gid(u64::from(st.meta.gid));
            h.set_mtime(st.meta.mtime.max(0) as u64);
            let mut name = name;
            let r = match &st.kind {
                Kind::Dir => {
                    if !name.ends_with('/') {
                        name.push('/');
                    }
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    builder.append_data(&mut h, &name, std::io::empty())
                }
                Kind::Symlink(t) => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    builder.append_link(&mut h, &name, t)
                }
                Kind::File(blob) => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(blob.len());
                    builder.append_data(&mut h, &name, blob.bytes().as_ref())
                }
                _ => continue,
            };
            if r.is_err() {
                sh.err(format!("tar: {name}: Cannot add to archive\n"))?;
                status = 2;
            }
            if verbose {
                listed.push_str(&format!("{name}\n"));
            }
        }
    }
    let bytes = builder.into_inner().unwrap_or_default();
    sh.charge(bytes.len() + if gzip { GZIP_SETUP_BYTES } else { 0 })?;
    let bytes = if gzip {
        gzip_bytes(&bytes, None, 0)
    } else {
        bytes
    };
    if verbose {
        // With -f - the listing goes to stderr, else to stdout.
        if file.is_none() || file == Some("-") {
            sh.err(listed)?;
        } else {
            sh.out(listed)?;
        }
    }
    match file {
        None | Some("-") => sh.out(bytes)?,
        Some(name) => {
            if let Err(e) = sh.write_file(name, bytes) {
                sh.err(format!("tar: {name}: Cannot open: {}\n", e.kind))?;
                return Ok(2);
            }
        }
    }
    Ok(status)
}

/// One member to extract, from a real tar or from a simulated release.
struct Member {
    path: String,
    kind: MemberKind,
    meta: Meta,
    size: u64,
}

enum MemberKind {
    Dir,
    File(Blob),
    Symlink(String),
    HardLink(String),
    /// Devices, fifos and the like: listed, never created.
    Other,
}

/// The members of tar bytes in order; an `Err` (the message tar prints) ends the
/// list where the archive stops making sense.
fn tar_members(sh: &mut Shell<'_>, raw: &[u8]) -> Result<Vec<Result<Member, String>>, Flow> {
    const NOT_TAR: &str = "tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n";
    let mut archive = tar::Archive::new(raw);
    let Ok(entries) = archive.entries() else {
        return Ok(vec![Err(NOT_TAR.to_string())]);
    };
    let mut out = Vec::new();
    for entry in entries {
        let Ok(mut entry) = entry else {
            out.push(Err(NOT_TAR.to_string()));
            break;
        };
        sh.step()?;
        let header = entry.header().clone();
        let Ok(path) = entry.path().map(|p| p.to_string_lossy().into_owned()) else {
            continue;
        };
        let link = || {
            header
                .link_name()
                .ok()
                .flatten()
                .map(|l| l.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let t = header.entry_type();
        let kind = if t.is_dir() {
            MemberKind::Dir
        } else if t.is_symlink() {
            MemberKind::Symlink(link())
        } else if t.is_hard_link() {
            MemberKind::HardLink(link())
        } else if t.is_file() || t == tar::EntryType::Continuous {
            let mut data = Vec::new();
            if entry.read_to_end(&mut data).is_err() {
                out.push(Err(format!("tar: {path}: Unexpected EOF in archive\n")));
                break;
            }
            MemberKind::File(Blob::from_bytes(data))
        } else if t.is_pax_global_extensions()
            || t.is_pax_local_extensions()
            || t.is_gnu_longname()
            || t.is_gnu_longlink()
        {
            continue;
        } else {
            MemberKind::Other
        };
        let meta = Meta::new(header.mode().unwrap_or(0o644))
            .owned(
                header.uid().unwrap_or(0) as u32,
                header.gid().unwrap_or(0) as u32,
            )
            .at(header.mtime().unwrap_or(0) as i64);
        out.push(Ok(Member {
            path,
            kind,
            meta,
            size: header.size().unwrap_or(0),
        }));
    }
    Ok(out)
}

/// The members of a simulated release, as its tar would list them.
fn release_members(release: &crate::catalog::Release) -> Vec<Result<Member, String>> {
    release
        .entries
        .iter()
        .map(|e| {
            let (kind, size, path) = match &e.kind {
                Kind::Dir => (MemberKind::Dir, 0, format!("{}/", e.path)),
                Kind::File(blob) => (MemberKind::File(blob.clone()), blob.len(), e.path.clone()),
                Kind::Symlink(t) => (MemberKind::Symlink(t.clone()), 0, e.path.clone()),
                _ => (MemberKind::Other, 0, e.path.clone()),
            };
            Ok(Member {
                path,
                kind,
                meta: e.meta,
                size,
            })
        })
        .collect()
}

/// Extracts (or lists, with `list`) `members` under `dir`, the way GNU tar does.
fn tar_extract(
    sh: &mut Shell<'_>,
    members: Vec<Result<Member, String>>,
    dir: &str,
    strip: usize,
    wanted: &[String],
    list: bool,
    verbose: bool,
) -> Exec {
    let base = sh.abs(dir);
    if !list && !sh.fs.stat(&base).is_ok_and(|s| s.is_dir()) {
        sh.err(format!("tar: {dir}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n"))?;
        return Ok(2);
    }
    let mut out = String::new();
    let mut status = 0;
    for member in members {
        let member = match member {
            Ok(m) => m,
            Err(message) => {
                sh.err(message)?;
                status = 2;
                break;
            }
        };
        sh.step()?;
        let path = member.path;
        if !wanted.is_empty()
            && !wanted.iter().any(|m| {
                path == *m
                    || path.trim_end_matches('/') == m.trim_end_matches('/')
                    || path.starts_with(&format!("{}/", m.trim_end_matches('/')))
            })
        {
            continue;
        }
        if list {
            if verbose {
                let (y, mo, d, h, mi, _) = super::system::civil(member.meta.mtime);
                let t = match member.kind {
                    MemberKind::Dir => 'd',
                    MemberKind::Symlink(_) => 'l',
                    _ => '-',
                };
                let st = crate::vfs::Stat {
                    kind: Kind::Dir,
                    meta: Meta::new(member.meta.mode),
                    nlink: 1,
                    inode: None,
                };
                let perms = &super::files::mode_string(&st)[1..];
                out.push_str(&format!(
                    "{t}{perms} {}/{} {:>8} {y}-{mo:02}-{d:02} {h:02}:{mi:02} {path}\n",
                    member.meta.uid, member.meta.gid, member.size
                ));
            } else {
                out.push_str(&path);
                out.push('\n');
            }
            continue;
        }
        // Never leave the target: drop leading `/` and `..` components, as GNU tar does.
        let comps: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != "." && *c != "..")
            .collect();
        if comps.len() <= strip {
            continue;
        }
        let rel = comps[strip..].join("/");
        let target = format!("{}/{rel}", base.trim_end_matches('/'));
        if verbose {
            out.push_str(&format!("{path}\n"));
        }
        let meta = member.meta;
        let parent = super::files::parent_of(&target);
        let dir_meta = sh.dir_meta();
        let _ = sh.fs.mkdir_all(&parent, dir_meta);
        let r = match member.kind {
            MemberKind::Dir => match sh.fs.stat(&target) {
                Ok(s) if s.is_dir() => sh.fs.update_meta(&target, true, |m| *m = meta),
                _ => sh.fs.mkdir(&target, meta),
            },
            MemberKind::Symlink(link) => {
                let _ = sh.fs.remove_file(&target);
                sh.fs.symlink(&link, &target, meta)
            }
            MemberKind::HardLink(link) => {
                let lcomps: Vec<&str> = link
                    .split('/')
                    .filter(|c| !c.is_empty() && *c != "." && *c != "..")
                    .collect();
                let src = format!(
                    "{}/{}",
                    base.trim_end_matches('/'),
                    lcomps.get(strip..).unwrap_or_default().join("/")
                );
                let _ = sh.fs.remove_file(&target);
                sh.fs.hard_link(&src, &target)
            }
            MemberKind::File(blob) => {
                if sh.fs.lstat(&target).is_ok_and(|s| !s.is_dir()) {
                    let _ = sh.fs.remove_file(&target);
                }
                sh.fs.write_file(&target, blob, meta)
            }
            MemberKind::Other => continue,
        };
        if let Err(e) = r {
            sh.err(format!("tar: {path}: Cannot open: {}\n", e.kind))?;
            status = 2;
        }
    }
    sh.out(out)?;
    Ok(status)
}

/// `gzip [-d] [-c] [-k] [-f] FILE...` (also `gunzip`, `zcat`).
pub fn gzip(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = base_name(&argv[0]).to_string();
    let f = flags(argv, "S");
    let decompress = f.has('d') || called == "gunzip" || called == "zcat";
    let to_stdout = f.has('c') || called == "zcat";
    let keep = f.has('k');
    let name = if decompress { "gzip" } else { called.as_str() };
    if f.operands.is_empty() || f.operands == ["-"] {
        let data = sh.read_stdin();
        sh.charge(data.len() + GZIP_SETUP_BYTES)?;
        let out = if decompress {
            if net::is_placeholder(&data) {
                sh.notice(NoticeKind::Simulated, name, "simulated: the input is a simulated download; decompressing it produced it unchanged");
                data
            } else {
                match gunzip_bytes(&data) {
                    Some(d) => d,
                    None => {
                        sh.err("gzip: stdin: not in gzip format\n")?;
                        return Ok(1);
                    }
                }
            }
        } else {
            gzip_bytes(&data, None, 0)
        };
        sh.out(out)?;
        return Ok(0);
    }
    let mut status = 0;
    for file in &f.operands {
        let path = sh.abs(file);
        let st = match sh.fs.stat(&path) {
            Ok(s) if !s.is_dir() => s,
            Ok(_) => {
                sh.err(format!("gzip: {file} is a directory -- ignored\n"))?;
                status = 2;
                continue;
            }
            Err(e) => {
                sh.err(format!("gzip: {file}: {}\n", e.kind))?;
                status = 1;
                continue;
            }
        };
        let data = sh
            .fs
            .read_file(&path)
            .map(|b| b.bytes().into_owned())
            .unwrap_or_default();
        sh.charge(data.len() + GZIP_SETUP_BYTES)?;
        let (out, target) = if decompress {
            let Some(stem) = file
                .strip_suffix(".gz")
                .or_else(|| file.strip_suffix(".tgz").map(|_| file.as_str()))
            else {
                sh.err(format!("gzip: {file}: unknown suffix -- ignored\n"))?;
                status = 2;
                continue;
            };
            let target = if file.ends_with(".tgz") {
                format!("{}.tar", &file[..file.len() - 4])
            } else {
                stem.to_string()
            };
            let out = if net::is_placeholder(&data) {
                sh.notice(NoticeKind::Simulated, name, "simulated: the input is a simulated download; decompressing it produced it unchanged");
                data
            } else {
                match gunzip_bytes(&data) {
                    Some(d) => d,
                    None => {
                        sh.err(format!("gzip: {file}: not in gzip format\n"))?;
                        status = 1;
                        continue;
                    }
                }
            };
            (out, target)
        } else {
            let stored = if f.has('n') {
                None
            } else {
                Some(base_name(file))
            };
            let mtime = if f.has('n') {
                0
            } else {
                st.meta.mtime.clamp(0, i64::from(u32::MAX)) as u32
            };
            (gzip_bytes(&data, stored, mtime), format!("{file}.gz"))
        };
        if to_stdout {
            sh.out(out)?;
            continue;
        }
        let target_abs = sh.abs(&target);
        if sh.fs.lstat(&target_abs).is_ok() && !f.has('f') {
            sh.err(format!("gzip: {target} already exists; not overwritten\n"))?;
            status = 2;
            continue;
        }
        let meta = Meta {
            mtime: st.meta.mtime,
            ..st.meta
        };
        let _ = sh.fs.remove_file(&target_abs);
        if let Err(e) = sh.fs.write_file(&target_abs, Blob::from_bytes(out), meta) {
            sh.err(format!("gzip: {target}: {}\n", e.kind))?;
            status = 1;
            continue;
        }
        if !keep {
            let _ = sh.fs.remove_file(&path);
        }
    }
    Ok(status)
}

fn hex_digest(algo: &str, blob: &[u8]) -> String {
    if algo == "md5" {
        use md5::Digest as _;
        let d = md5::Md5::digest(blob);
        d.iter().map(|b| format!("{b:02x}")).collect()
    } else {
        crate::digest::Digest::of(blob).hex()
    }
}

/// `sha256sum [-c] [FILE]...` and `md5sum`.
pub fn checksum(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = base_name(&argv[0]).to_string();
    let algo = if called.starts_with("md5") {
        "md5"
    } else {
        "sha256"
    };
    let f = flags(argv, "");
    if f.has('c') || f.has_long("check") {
        return check(
            sh,
            &called,
            algo,
            &f.operands,
            f.has_long("quiet") || f.has_long("status"),
        );
    }
    let mut files = f.operands.clone();
    if files.is_empty() {
        files.push("-".to_string());
    }
    let mut status = 0;
    let mut out = String::new();
    for file in &files {
        let hex = if file == "-" {
            let data = sh.read_stdin();
            sh.charge(data.len())?;
            hex_digest(algo, &data)
        } else {
            match sh.fs.read_file(&sh.abs(file)) {
                Ok(b) if algo == "sha256" => b.digest().hex(),
                Ok(b) => {
                    sh.charge(b.len() as usize)?;
                    hex_digest(algo, &b.bytes())
                }
                Err(e) => {
                    sh.err(format!("{called}: {file}: {}\n", e.kind))?;
                    status = 1;
                    continue;
                }
            }
        };
        out.push_str(&format!("{hex}  {file}\n"));
    }
    sh.out(out)?;
    Ok(status)
}

fn check(
    sh: &mut Shell<'_>,
    called: &str,
    algo: &str,
    lists: &[String],
    quiet: bool,
) -> Result<i32, Flow> {
    let (inputs, mut status) = super::read_inputs(sh, called, lists)?;
    let text = String::from_utf8_lossy(&inputs.concat()).into_owned();
    let mut failed = 0;
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((want, name)) = line.split_once(' ') else {
            continue;
        };
        let name = name.trim_start_matches([' ', '*']);
        let data = match sh.fs.read_file(&sh.abs(name)) {
            Ok(b) => b.bytes().into_owned(),
            Err(e) => {
                sh.err(format!("{called}: {name}: {}\n", e.kind))?;
                out.push_str(&format!("{name}: FAILED open or read\n"));
                status = 1;
                continue;
            }
        };
        // A placeholder whose listed checksum is layerlab's own (a simulated
        // checksum listing) is compared like any file; against a real release's
        // checksum it cannot match, so it is accepted with a notice.
        let ok = if hex_digest(algo, &data).eq_ignore_ascii_case(want) {
            true
        } else if net::is_placeholder(&data) {
            sh.notice(NoticeKind::Simulated, called, format!("simulated: {name} is a simulated download, so its checksum was accepted without comparison"));
            true
        } else {
            false
        };
        if !ok {
            failed += 1;
        }
        if !quiet || !ok {
            out.push_str(&format!("{name}: {}\n", if ok { "OK" } else { "FAILED" }));
        }
    }
    sh.out(out)?;
    if failed > 0 {
        let s = if failed == 1 { "" } else { "s" };
        sh.err(format!(
            "{called}: WARNING: {failed} computed checksum{s} did NOT match\n"
        ))?;
        status = 1;
    }
    Ok(status)
}

/// The C library of the system the RUN shell works in: musl when its dynamic
/// loader is there (Alpine), glibc otherwise. A simulated source tree unpacked
/// here is "compiled" here, so its programs name this system's libraries.
fn target_libc(sh: &Shell<'_>) -> crate::catalog::Libc {
    if sh.fs.exists("/lib/ld-musl-x86_64.so.1") {
        crate::catalog::Libc::Musl
    } else {
        crate::catalog::Libc::Glibc
    }
}
