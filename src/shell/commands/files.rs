//! File programs: mkdir, touch, rm, rmdir, cp, mv, ln, chmod, chown, chgrp, ls,
//! stat, readlink, realpath, du, mktemp, install, basename, dirname, with GNU's
//! flags and messages. New files get the run's user, umask and fixed mtime.

use super::super::exec::{base_name, Exec, Flow, Shell};
use super::super::users;
use super::{flags, Flags};
use crate::vfs::blob::Blob;
use crate::vfs::{ErrorKind, Kind, Meta, Stat};

/// `mkdir [-p] [-m MODE] DIR...`.
pub fn mkdir(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "m");
    let parents = f.has('p') || f.has_long("parents");
    let mode = match f.value('m').or(f.long_value("mode")) {
        Some(m) => match parse_mode(m, 0o777 & !sh.state.umask, true, sh.state.umask) {
            Some(v) => Some(v),
            None => {
                sh.err(format!("mkdir: invalid mode '{m}'\n"))?;
                return Ok(1);
            }
        },
        None => None,
    };
    let mut status = 0;
    for dir in &f.operands {
        let path = sh.abs(dir);
        let meta = match mode {
            Some(m) => Meta {
                mode: m,
                ..sh.dir_meta()
            },
            None => sh.dir_meta(),
        };
        let r = if parents {
            // Parents get the default mode; only the last directory gets -m.
            let parent = parent_of(&path);
            let default = sh.dir_meta();
            sh.fs
                .mkdir_all(&parent, default)
                .and_then(|_| match sh.fs.stat(&path) {
                    Ok(s) if s.is_dir() => Ok(()),
                    _ => sh.fs.mkdir(&path, meta),
                })
        } else {
            sh.fs.mkdir(&path, meta)
        };
        if let Err(e) = r {
            sh.err(format!(
                "mkdir: cannot create directory '{dir}': {}\n",
                e.kind
            ))?;
            status = 1;
        }
    }
    if f.operands.is_empty() {
        sh.err("mkdir: missing operand\n")?;
        return Ok(1);
    }
    Ok(status)
}

/// The directory part of an absolute path (`/` for top-level names).
pub fn parent_of(path: &str) -> String {
    let t = path.trim_end_matches('/');
    match t.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => t[..i].to_string(),
    }
}

/// `touch [-c] [-d @EPOCH] FILE...`.
pub fn touch(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "dtr");
    let mut when = sh.ctx.mtime;
    if let Some(d) = f.value('d').or(f.long_value("date")) {
        match d.strip_prefix('@').and_then(|n| n.parse::<i64>().ok()) {
            Some(t) => when = t,
            None => {
                sh.err(format!("touch: invalid date format '{d}'\n"))?;
                return Ok(1);
            }
        }
    }
    if let Some(stamp) = f.value('t') {
        match touch_stamp(stamp, sh.ctx.mtime) {
            Some(t) => when = t,
            None => {
                sh.err(format!("touch: invalid date format '{stamp}'\n"))?;
                return Ok(1);
            }
        }
    }
    if let Some(reference) = f.value('r').or(f.long_value("reference")) {
        match sh.fs.stat(&sh.abs(reference)) {
            Ok(st) => when = st.meta.mtime,
            Err(e) => {
                sh.err(format!(
                    "touch: failed to get attributes of '{reference}': {}\n",
                    e.kind
                ))?;
                return Ok(1);
            }
        }
    }
    // -h changes a symlink itself, never what it points to.
    let follow = !(f.has('h') || f.has_long("no-dereference"));
    let mut status = 0;
    for file in &f.operands {
        let path = sh.abs(file);
        let found = if follow {
            sh.fs.stat(&path)
        } else {
            sh.fs.lstat(&path)
        };
        let r = match found {
            Ok(_) => sh.fs.update_meta(&path, follow, |m| m.mtime = when),
            Err(e) if e.kind == ErrorKind::NotFound && f.has('c') => Ok(()),
            Err(e) if e.kind == ErrorKind::NotFound => {
                let meta = sh.file_meta().at(when);
                sh.fs.write_file(&path, Blob::empty(), meta)
            }
            Err(e) => Err(e),
        };
        if let Err(e) = r {
            sh.err(format!("touch: cannot touch '{file}': {}\n", e.kind))?;
            status = 1;
        }
    }
    Ok(status)
}

/// The time `touch -t [[CC]YY]MMDDhhmm[.ss]` names (UTC; no year means the year
/// of `now`, a two-digit year is 1969-2068, as POSIX says).
pub fn touch_stamp(stamp: &str, now: i64) -> Option<i64> {
    let (main, secs) = match stamp.split_once('.') {
        Some((m, s)) if s.len() == 2 => (m, s.parse::<i64>().ok()?),
        Some(_) => return None,
        None => (stamp, 0),
    };
    if !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let (year, rest) = match main.len() {
        8 => (super::system::civil(now).0, main),
        10 => {
            let yy = num(&main[..2])?;
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, &main[2..])
        }
        12 => (num(&main[..4])?, &main[4..]),
        _ => return None,
    };
    let (month, day, hour, minute) = (
        num(&rest[..2])?,
        num(&rest[2..4])?,
        num(&rest[4..6])?,
        num(&rest[6..8])?,
    );
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || secs > 60
    {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's days-from-civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + secs)
}

/// `rm [-r] [-f] [-v] FILE...`.
pub fn rm(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let recursive = f.has('r') || f.has('R') || f.has_long("recursive");
    let force = f.has('f') || f.has_long("force");
    let verbose = f.has('v') || f.has_long("verbose");
    let mut status = 0;
    if f.operands.is_empty() && !force {
        sh.err("rm: missing operand\n")?;
        return Ok(1);
    }
    for file in &f.operands {
        sh.step()?;
        let path = sh.abs(file);
        if recursive && super::builtins::normalize(&path) == "/" && !f.has_long("no-preserve-root")
        {
            sh.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n")?;
            status = 1;
            continue;
        }
        let base = base_name(file);
        if base == "." || base == ".." {
            sh.err(format!(
                "rm: refusing to remove '.' or '..' directory: skipping '{file}'\n"
            ))?;
            status = 1;
            continue;
        }
        let mut removed = Vec::new();
        let r = match sh.fs.lstat(&path) {
            Err(e) => Err(e),
            Ok(st) if st.is_dir() && !recursive => {
                sh.err(format!("rm: cannot remove '{file}': Is a directory\n"))?;
                status = 1;
                continue;
            }
            Ok(st) if st.is_dir() => {
                if verbose {
                    removed = removal_order(sh, &path, file);
                }
                sh.fs.remove_all(&path)
            }
            Ok(_) => {
                removed.push(format!("removed '{file}'\n"));
                sh.fs.remove_file(&path)
            }
        };
        match r {
            Ok(()) if verbose => {
                for line in removed {
                    sh.out(line)?;
                }
            }
            Ok(()) => {}
            Err(e) if force && e.kind == ErrorKind::NotFound => {}
            Err(e) => {
                sh.err(format!("rm: cannot remove '{file}': {}\n", e.kind))?;
                status = 1;
            }
        }
    }
    Ok(status)
}

/// What `rm -rv` prints for the directory at `path` (typed as `shown`): each entry
/// as it goes, a directory's contents before the directory itself, the operand last.
fn removal_order(sh: &Shell<'_>, path: &str, shown: &str) -> Vec<String> {
    let top = path.trim_start_matches('/').trim_end_matches('/');
    let shown = if shown.len() > 1 {
        shown.trim_end_matches('/')
    } else {
        shown
    };
    let name = |rel: &str| {
        let below = rel.strip_prefix(top).unwrap_or(rel).trim_start_matches('/');
        format!("{shown}/{below}")
    };
    let mut lines = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for entry in sh.fs.walk(path).unwrap_or_default() {
        while open
            .last()
            .is_some_and(|dir| !entry.path.starts_with(&format!("{dir}/")))
        {
            if let Some(dir) = open.pop() {
                lines.push(format!("removed directory '{}'\n", name(&dir)));
            }
        }
        if entry.stat.is_dir() {
            open.push(entry.path);
        } else {
            lines.push(format!("removed '{}'\n", name(&entry.path)));
        }
    }
    while let Some(dir) = open.pop() {
        lines.push(format!("removed directory '{}'\n", name(&dir)));
    }
    lines.push(format!("removed directory '{shown}'\n"));
    lines
}

/// `rmdir [-p] DIR...`.
pub fn rmdir(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let mut status = 0;
    for dir in &f.operands {
        let mut path = sh.abs(dir);
        loop {
            if let Err(e) = sh.fs.remove_dir(&path) {
                sh.err(format!("rmdir: failed to remove '{dir}': {}\n", e.kind))?;
                status = 1;
                break;
            }
            if !f.has('p') {
                break;
            }
            path = parent_of(&path);
            if path == "/" || !dir.contains('/') {
                break;
            }
        }
    }
    Ok(status)
}

/// How cp treats metadata and links.
#[derive(Clone, Copy)]
struct CopyOpts {
    recursive: bool,
    preserve: bool,
    no_deref: bool,
    no_clobber: bool,
}

/// `cp [-r] [-a] [-p] [-f] [-n] [-L] [-P] SRC... DEST`.
pub fn cp(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "t");
    let archive = f.has('a') || f.has_long("archive");
    let recursive = archive || f.has('r') || f.has('R') || f.has_long("recursive");
    let opts = CopyOpts {
        recursive,
        preserve: archive || f.has('p') || f.has_long("preserve"),
        no_deref: (archive || f.has('P') || f.has('d') || recursive) && !f.has('L'),
        no_clobber: f.has('n'),
    };
    let Some((sources, dest)) = sources_and_dest(sh, "cp", &f)? else {
        return Ok(1);
    };
    let dest_abs = sh.abs(&dest);
    let dest_is_dir = sh.fs.stat(&dest_abs).is_ok_and(|s| s.is_dir());
    if sources.len() > 1 && !dest_is_dir {
        sh.err(format!("cp: target '{dest}' is not a directory\n"))?;
        return Ok(1);
    }
    let mut status = 0;
    for src in &sources {
        let src_abs = sh.abs(src);
        let target = if dest_is_dir {
            format!("{}/{}", dest_abs.trim_end_matches('/'), base_name(src))
        } else {
            dest_abs.clone()
        };
        // The top-level source is followed unless -P/-d/-a (or -r's default -P... for
        // operands GNU follows nothing under -r either).
        let st = if opts.no_deref && opts.recursive {
            sh.fs.lstat(&src_abs)
        } else {
            sh.fs.stat(&src_abs)
        };
        let st = match st {
            Ok(s) => s,
            Err(e) => {
                sh.err(format!("cp: cannot stat '{src}': {}\n", e.kind))?;
                status = 1;
                continue;
            }
        };
        if st.is_dir() && !opts.recursive {
            sh.err(format!(
                "cp: -r not specified; omitting directory '{src}'\n"
            ))?;
            status = 1;
            continue;
        }
        let (src_norm, target_norm) = (
            super::builtins::normalize(&src_abs),
            super::builtins::normalize(&target),
        );
        if st.is_dir()
            && (target_norm == src_norm
                || target_norm.starts_with(&format!("{}/", src_norm.trim_end_matches('/'))))
        {
            sh.err(format!(
                "cp: cannot copy a directory, '{src}', into itself, '{dest}'\n"
            ))?;
            status = 1;
            continue;
        }
        let snapshot = sh.fs.clone();
        if let Err(e) = copy_tree(sh, &snapshot, &src_abs, &st, &target, opts, 0) {
            sh.err(format!(
                "cp: cannot create regular file '{}': {}\n",
                dest, e.kind
            ))?;
            status = 1;
        }
    }
    Ok(status)
}

/// `(sources, dest)` from operands or `-t DIR`; prints a usage error if too few.
fn sources_and_dest(
    sh: &mut Shell<'_>,
    name: &str,
    f: &Flags,
) -> Result<Option<(Vec<String>, String)>, Flow> {
    if let Some(t) = f.value('t').or(f.long_value("target-directory")) {
        return Ok(Some((f.operands.clone(), t.to_string())));
    }
    match f.operands.len() {
        0 => {
            sh.err(format!("{name}: missing file operand\n"))?;
            Ok(None)
        }
        1 => {
            sh.err(format!(
                "{name}: missing destination file operand after '{}'\n",
                f.operands[0]
            ))?;
            Ok(None)
        }
        n => Ok(Some((
            f.operands[..n - 1].to_vec(),
            f.operands[n - 1].clone(),
        ))),
    }
}

fn copy_meta(sh: &Shell<'_>, src: &Meta, opts: CopyOpts, dir: bool) -> Meta {
    if opts.preserve {
        *src
    } else {
        let base = if dir { sh.dir_meta() } else { sh.file_meta() };
        Meta {
            mode: src.mode & 0o777 & !sh.state.umask,
            ..base
        }
    }
}

/// Copies `src` (read from `source`, the filesystem as it was before the copy, so a
/// copy into its own subtree cannot feed itself) to `dst`.
fn copy_tree(
    sh: &mut Shell<'_>,
    source: &crate::vfs::Vfs,
    src: &str,
    st: &Stat,
    dst: &str,
    opts: CopyOpts,
    depth: u32,
) -> crate::vfs::Result<()> {
    if depth > 64 {
        return Err(crate::vfs::VfsError {
            path: src.to_string(),
            kind: ErrorKind::Loop,
        });
    }
    match &st.kind {
        Kind::Dir => {
            let meta = copy_meta(sh, &st.meta, opts, true);
            match sh.fs.stat(dst) {
                Ok(s) if s.is_dir() => {
                    if opts.preserve {
                        sh.fs.update_meta(dst, true, |m| *m = meta)?;
                    }
                }
                _ => sh.fs.mkdir(dst, meta)?,
            }
            for (name, _) in source.read_dir(src)? {
                let child = format!("{}/{name}", src.trim_end_matches('/'));
                let cst = if opts.no_deref {
                    source.lstat(&child)?
                } else {
                    source.stat(&child)?
                };
                copy_tree(
                    sh,
                    source,
                    &child,
                    &cst,
                    &format!("{}/{name}", dst.trim_end_matches('/')),
                    opts,
                    depth + 1,
                )?;
            }
            Ok(())
        }
        Kind::Symlink(target) => {
            if sh.fs.lstat(dst).is_ok() {
                sh.fs.remove_file(dst)?;
            }
            let meta = if opts.preserve {
                st.meta
            } else {
                Meta::new(0o777)
                    .owned(sh.ctx.uid, sh.ctx.gid)
                    .at(sh.ctx.mtime)
            };
            sh.fs.symlink(target, dst, meta)
        }
        Kind::File(blob) => {
            if opts.no_clobber && sh.fs.lstat(dst).is_ok() {
                return Ok(());
            }
            let meta = copy_meta(sh, &st.meta, opts, false);
            if matches!(sh.fs.lstat(dst).map(|s| s.kind), Ok(Kind::Symlink(_))) && opts.no_deref {
                sh.fs.remove_file(dst)?;
            }
            let existed = sh.fs.stat(dst).is_ok();
            sh.fs.write_file(dst, blob.clone(), meta)?;
            if opts.preserve && existed {
                sh.fs.update_meta(dst, true, |m| *m = meta)?;
            }
            Ok(())
        }
        other => {
            if sh.fs.lstat(dst).is_ok() {
                sh.fs.remove_file(dst)?;
            }
            sh.fs
                .create(dst, other.clone(), copy_meta(sh, &st.meta, opts, false))
        }
    }
}

/// `mv [-f] [-n] SRC... DEST`.
pub fn mv(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "t");
    let Some((sources, dest)) = sources_and_dest(sh, "mv", &f)? else {
        return Ok(1);
    };
    let dest_abs = sh.abs(&dest);
    // -T: DEST is the new name itself, even when a directory of that name exists.
    let no_target_dir = f.has('T') || f.has_long("no-target-directory");
    let dest_is_dir = !no_target_dir && sh.fs.stat(&dest_abs).is_ok_and(|s| s.is_dir());
    if sources.len() > 1 && !dest_is_dir {
        sh.err(format!("mv: target '{dest}' is not a directory\n"))?;
        return Ok(1);
    }
    let mut status = 0;
    for src in &sources {
        let src_abs = sh.abs(src);
        let target = if dest_is_dir {
            format!("{}/{}", dest_abs.trim_end_matches('/'), base_name(src))
        } else {
            dest_abs.clone()
        };
        if f.has('n') && sh.fs.lstat(&target).is_ok() {
            continue;
        }
        if let Err(e) = sh.fs.lstat(&src_abs) {
            sh.err(format!("mv: cannot stat '{src}': {}\n", e.kind))?;
            status = 1;
            continue;
        }
        if let Err(e) = sh.fs.rename(&src_abs, &target) {
            let msg = match e.kind {
                ErrorKind::InvalidArgument => format!(
                    "mv: cannot move '{src}' to a subdirectory of itself, '{dest}/{}'\n",
                    base_name(src)
                ),
                k => format!("mv: cannot move '{src}' to '{dest}': {k}\n"),
            };
            sh.err(msg)?;
            status = 1;
        } else if f.has('v') || f.has_long("verbose") {
            let shown = if dest_is_dir {
                format!("{}/{}", dest.trim_end_matches('/'), base_name(src))
            } else {
                dest.clone()
            };
            sh.out(format!("renamed '{src}' -> '{shown}'\n"))?;
        }
    }
    Ok(status)
}

/// `ln [-s] [-f] [-n] TARGET... LINK`.
pub fn ln(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "t");
    let symbolic = f.has('s') || f.has_long("symbolic");
    let force = f.has('f') || f.has_long("force");
    let no_deref = f.has('n') || f.has('T') || f.has_long("no-dereference");
    let (targets, link) = match f.operands.len() {
        0 => {
            sh.err("ln: missing file operand\n")?;
            return Ok(1);
        }
        1 => (f.operands.clone(), ".".to_string()),
        n => (f.operands[..n - 1].to_vec(), f.operands[n - 1].clone()),
    };
    let link_abs = sh.abs(&link);
    let link_is_dir = if no_deref {
        sh.fs.lstat(&link_abs).is_ok_and(|s| s.is_dir())
    } else {
        sh.fs.stat(&link_abs).is_ok_and(|s| s.is_dir())
    };
    let mut status = 0;
    for target in &targets {
        let path = if link_is_dir {
            format!("{}/{}", link_abs.trim_end_matches('/'), base_name(target))
        } else {
            link_abs.clone()
        };
        if force && sh.fs.lstat(&path).is_ok_and(|s| !s.is_dir()) {
            let _ = sh.fs.remove_file(&path);
        }
        let shown = if link_is_dir {
            format!("{}/{}", link.trim_end_matches('/'), base_name(target))
        } else {
            link.clone()
        };
        let r = if symbolic {
            let meta = Meta::new(0o777)
                .owned(sh.ctx.uid, sh.ctx.gid)
                .at(sh.ctx.mtime);
            sh.fs.symlink(target, &path, meta)
        } else {
            let t = sh.abs(target);
            sh.fs.hard_link(&t, &path)
        };
        if let Err(e) = r {
            let what = if symbolic {
                "symbolic link"
            } else {
                "hard link"
            };
            let msg = match (symbolic, e.kind) {
                (false, ErrorKind::NotFound) if !sh.fs.exists(&sh.abs(target)) => {
                    format!("ln: failed to access '{target}': No such file or directory\n")
                }
                (_, k) => format!("ln: failed to create {what} '{shown}': {k}\n"),
            };
            sh.err(msg)?;
            status = 1;
        }
    }
    Ok(status)
}

/// Parses an octal or symbolic (`u+x,go-w,a=rX`) mode relative to `current`.
pub fn parse_mode(spec: &str, current: u32, is_dir: bool, umask: u32) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = current;
    for clause in spec.split(',') {
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0u32;
        while i < chars.len() && "ugoa".contains(chars[i]) {
            who |= match chars[i] {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                _ => 0o7777,
            };
            i += 1;
        }
        let masked = who == 0;
        if masked {
            who = 0o7777;
        }
        if i >= chars.len() {
            return None;
        }
        while i < chars.len() {
            let op = chars[i];
            if !"+-=".contains(op) {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            while i < chars.len() && !"+-=".contains(chars[i]) {
                bits |= match chars[i] {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' if is_dir || current & 0o111 != 0 => 0o111,
                    'X' => 0,
                    's' => 0o6000,
                    't' => 0o1000,
                    'u' => ((current >> 6) & 7) * 0o111,
                    'g' => ((current >> 3) & 7) * 0o111,
                    'o' => (current & 7) * 0o111,
                    _ => return None,
                };
                i += 1;
            }
            let mut effective = bits & who;
            if masked {
                effective &= !umask | 0o7000;
            }
            mode = match op {
                '+' => mode | effective,
                '-' => mode & !effective,
                _ => (mode & !(who & 0o7777 & if masked { 0o7777 } else { who })) | effective,
            };
        }
    }
    Some(mode & 0o7777)
}

/// Every path at and below `path` (for `-R`), the start first.
fn tree(sh: &Shell<'_>, path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    if sh.fs.lstat(path).is_ok_and(|s| s.is_dir()) {
        if let Ok(entries) = sh.fs.walk(path) {
            out.extend(entries.into_iter().map(|e| format!("/{}", e.path)));
        }
    }
    out
}

/// `chmod [-R] MODE FILE...`.
pub fn chmod(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    // A symbolic mode like `-w` looks like a flag: take the first non-R/-f operand.
    let mut args: Vec<String> = argv[1..].to_vec();
    let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
    args.retain(|a| !matches!(a.as_str(), "-R" | "--recursive" | "-f" | "-v" | "--"));
    if args.len() < 2 {
        sh.err(format!(
            "chmod: missing operand{}\n",
            if args.is_empty() {
                String::new()
            } else {
                format!(" after '{}'", args[0])
            }
        ))?;
        return Ok(1);
    }
    let spec = args[0].clone();
    let mut status = 0;
    for file in &args[1..] {
        let start = sh.abs(file);
        if let Err(e) = sh.fs.stat(&start) {
            sh.err(format!("chmod: cannot access '{file}': {}\n", e.kind))?;
            status = 1;
            continue;
        }
        let paths = if recursive {
            tree(sh, &start)
        } else {
            vec![start]
        };
        for p in paths {
            sh.step()?;
            let Ok(st) = sh.fs.stat(&p) else { continue };
            if matches!(sh.fs.lstat(&p).map(|s| s.kind), Ok(Kind::Symlink(_))) && p != sh.abs(file)
            {
                continue;
            }
            match parse_mode(&spec, st.meta.mode, st.is_dir(), sh.state.umask) {
                Some(m) => {
                    let _ = sh.fs.chmod(&p, m);
                }
                None => {
                    sh.err(format!("chmod: invalid mode: '{spec}'\n"))?;
                    return Ok(1);
                }
            }
        }
    }
    Ok(status)
}

/// `chown [-R] [-h] USER[:GROUP] FILE...` (also `:GROUP`).
pub fn chown(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    chown_or_chgrp(sh, argv, false)
}

/// `chgrp [-R] GROUP FILE...`.
pub fn chgrp(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    chown_or_chgrp(sh, argv, true)
}

fn chown_or_chgrp(sh: &mut Shell<'_>, argv: &[String], group_only: bool) -> Exec {
    let name = if group_only { "chgrp" } else { "chown" };
    let f = flags(argv, "");
    if f.operands.len() < 2 {
        sh.err(format!("{name}: missing operand\n"))?;
        return Ok(1);
    }
    let spec = &f.operands[0];
    let (user, group) = if group_only {
        (None, Some(spec.as_str()))
    } else {
        match spec.split_once([':', '.']) {
            Some((u, g)) => (Some(u).filter(|u| !u.is_empty()), Some(g)),
            None => (Some(spec.as_str()), None),
        }
    };
    let uid = match user {
        Some(u) => match users::lookup_uid(sh.fs, u) {
            Some(id) => Some(id),
            None => {
                sh.err(format!("{name}: invalid user: '{spec}'\n"))?;
                return Ok(1);
            }
        },
        None => None,
    };
    let gid = match group {
        // `user:` means the user's login group.
        Some("") => user
            .and_then(|u| users::passwd_entry(sh.fs, u))
            .map(|e| e.gid),
        Some(g) => match users::lookup_gid(sh.fs, g) {
            Some(id) => Some(id),
            None => {
                let msg = if group_only {
                    format!("chgrp: invalid group: '{g}'\n")
                } else {
                    format!("chown: invalid group: '{spec}'\n")
                };
                sh.err(msg)?;
                return Ok(1);
            }
        },
        None => None,
    };
    let recursive = f.has('R') || f.has_long("recursive");
    let follow = !f.has('h');
    let mut status = 0;
    for file in &f.operands[1..] {
        let start = sh.abs(file);
        if let Err(e) = sh.fs.lstat(&start) {
            sh.err(format!("{name}: cannot access '{file}': {}\n", e.kind))?;
            status = 1;
            continue;
        }
        let paths = if recursive {
            tree(sh, &start)
        } else {
            vec![start.clone()]
        };
        for p in paths {
            sh.step()?;
            // Under -R symlinks themselves change; a named symlink is followed unless -h.
            let follow_this = follow && p == start;
            let _ = sh.fs.update_meta(&p, follow_this, |m| {
                if let Some(u) = uid {
                    m.uid = u;
                }
                if let Some(g) = gid {
                    m.gid = g;
                }
            });
        }
    }
    Ok(status)
}

/// The `ls -l` type and permission string (`drwxr-xr-x`).
pub fn mode_string(st: &Stat) -> String {
    let t = match st.kind {
        Kind::Dir => 'd',
        Kind::Symlink(_) => 'l',
        Kind::CharDevice { .. } => 'c',
        Kind::BlockDevice { .. } => 'b',
        Kind::Fifo => 'p',
        Kind::File(_) => '-',
    };
    let m = st.meta.mode;
    let mut s = String::from(t);
    for (shift, special, sc) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (m >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let x = bits & 1 != 0;
        s.push(match (m & special != 0, x) {
            (true, true) => sc,
            (true, false) => sc.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// Size as `ls -l` and `stat` show it: bytes for files, 4096 for directories.
fn shown_size(st: &Stat) -> u64 {
    match &st.kind {
        Kind::Dir => 4096,
        Kind::Symlink(t) => t.len() as u64,
        _ => st.size(),
    }
}

/// 1 KiB blocks used, as du and `ls` totals count them (4 KiB allocation units).
fn blocks(st: &Stat) -> u64 {
    match st.kind {
        Kind::Dir => 4,
        Kind::File(_) => st.size().div_ceil(4096) * 4,
        _ => 0,
    }
}

/// `ls [-l] [-a] [-A] [-1] [-d] [-R] [-h] [FILE]...`.
pub fn ls(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let long = f.has('l') || f.has('n');
    let all = f.has('a');
    let almost = f.has('A');
    let mut operands = f.operands.clone();
    if operands.is_empty() {
        operands.push(".".to_string());
    }
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for op in &operands {
        let path = sh.abs(op);
        match sh.fs.stat(&path).or_else(|_| sh.fs.lstat(&path)) {
            Ok(st) if st.is_dir() && !f.has('d') => dirs.push(op.clone()),
            Ok(_) => files.push(op.clone()),
            Err(e) => {
                sh.err(format!("ls: cannot access '{op}': {}\n", e.kind))?;
                status = 2;
            }
        }
    }
    crate::sort::sort(&mut files);
    crate::sort::sort(&mut dirs);
    let mut out = String::new();
    for file in &files {
        let Ok(st) = sh.fs.lstat(&sh.abs(file)) else {
            continue;
        };
        out.push_str(&ls_line(sh, file, &st, long, f.has('n'), f.has('h')));
    }
    let many = files.len() + dirs.len() > 1;
    for (k, dir) in dirs.iter().enumerate() {
        if many {
            if k > 0 || !files.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{dir}:\n"));
        }
        let path = sh.abs(dir);
        let mut entries: Vec<(String, Stat)> = Vec::new();
        if all {
            for dot in [".", ".."] {
                if let Ok(st) = sh.fs.stat(&format!("{path}/{dot}")) {
                    entries.push((dot.to_string(), st));
                }
            }
        }
        for (name, _) in sh.fs.read_dir(&path).unwrap_or_default() {
            if name.starts_with('.') && !all && !almost {
                continue;
            }
            if let Ok(st) = sh
                .fs
                .lstat(&format!("{}/{name}", path.trim_end_matches('/')))
            {
                entries.push((name, st));
            }
        }
        if long {
            let total: u64 = entries.iter().map(|(_, s)| blocks(s)).sum();
            out.push_str(&format!("total {total}\n"));
        }
        for (name, st) in &entries {
            out.push_str(&ls_line(sh, name, st, long, f.has('n'), f.has('h')));
        }
    }
    sh.out(out)?;
    Ok(status)
}

fn ls_line(
    sh: &Shell<'_>,
    name: &str,
    st: &Stat,
    long: bool,
    numeric: bool,
    human: bool,
) -> String {
    if !long {
        return format!("{name}\n");
    }
    let user = if numeric {
        None
    } else {
        users::user_name(sh.fs, st.meta.uid)
    }
    .unwrap_or_else(|| st.meta.uid.to_string());
    let group = if numeric {
        None
    } else {
        users::group_name(sh.fs, st.meta.gid)
    }
    .unwrap_or_else(|| st.meta.gid.to_string());
    let size = if human {
        human_size(shown_size(st))
    } else {
        shown_size(st).to_string()
    };
    let target = match &st.kind {
        Kind::Symlink(t) => format!(" -> {t}"),
        _ => String::new(),
    };
    let (y, mo, d, h, mi, _) = super::system::civil(st.meta.mtime);
    let month = super::system::MONTHS[(mo - 1) as usize];
    let when = if (sh.ctx.mtime - st.meta.mtime).abs() < 180 * 86400 {
        format!("{month} {d:>2} {h:02}:{mi:02}")
    } else {
        format!("{month} {d:>2}  {y}")
    };
    format!(
        "{} {} {user} {group} {size} {when} {name}{target}\n",
        mode_string(st),
        st.nlink.max(if st.is_dir() { 2 } else { 1 })
    )
}

/// `1.5K`, `12M` as `ls -h` and `du -h` print sizes.
pub fn human_size(n: u64) -> String {
    let units = ["", "K", "M", "G", "T"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        n.to_string()
    } else if v < 10.0 {
        format!("{:.1}{}", (v * 10.0).ceil() / 10.0, units[u])
    } else {
        format!("{}{}", v.ceil() as u64, units[u])
    }
}

/// `stat [-c FORMAT] FILE...`.
pub fn stat(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "c");
    let mut status = 0;
    for file in &f.operands {
        let path = sh.abs(file);
        let st = match if f.has('L') {
            sh.fs.stat(&path)
        } else {
            sh.fs.lstat(&path)
        } {
            Ok(s) => s,
            Err(e) => {
                sh.err(format!("stat: cannot statx '{file}': {}\n", e.kind))?;
                status = 1;
                continue;
            }
        };
        let kind = match st.kind {
            Kind::Dir => "directory",
            Kind::File(_) if st.size() == 0 => "regular empty file",
            Kind::File(_) => "regular file",
            Kind::Symlink(_) => "symbolic link",
            Kind::CharDevice { .. } => "character special file",
            Kind::BlockDevice { .. } => "block special file",
            Kind::Fifo => "fifo",
        };
        let user = users::user_name(sh.fs, st.meta.uid).unwrap_or_else(|| "UNKNOWN".into());
        let group = users::group_name(sh.fs, st.meta.gid).unwrap_or_else(|| "UNKNOWN".into());
        let line = match f.value('c').or(f.long_value("format")) {
            Some(fmt) => {
                let mut s = String::new();
                let mut chars = fmt.chars();
                while let Some(c) = chars.next() {
                    if c != '%' {
                        s.push(c);
                        continue;
                    }
                    match chars.next() {
                        Some('n') => s.push_str(file),
                        Some('s') => s.push_str(&shown_size(&st).to_string()),
                        Some('a') => s.push_str(&format!("{:o}", st.meta.mode)),
                        Some('A') => s.push_str(&mode_string(&st)),
                        Some('u') => s.push_str(&st.meta.uid.to_string()),
                        Some('g') => s.push_str(&st.meta.gid.to_string()),
                        Some('U') => s.push_str(&user),
                        Some('G') => s.push_str(&group),
                        Some('F') => s.push_str(kind),
                        Some('Y') => s.push_str(&st.meta.mtime.to_string()),
                        Some('h') => s.push_str(&st.nlink.to_string()),
                        Some('%') => s.push('%'),
                        Some(o) => {
                            s.push('%');
                            s.push(o);
                        }
                        None => s.push('%'),
                    }
                }
                format!("{s}\n")
            }
            None => format!(
                "  File: {file}\n  Size: {:<15} Blocks: {:<10} IO Block: 4096   {kind}\nAccess: ({:04o}/{})  Uid: ({:>5}/{user:>8})   Gid: ({:>5}/{group:>8})\nModify: {}\n",
                shown_size(&st),
                blocks(&st) * 2,
                st.meta.mode,
                mode_string(&st),
                st.meta.uid,
                st.meta.gid,
                super::system::format_date(st.meta.mtime, "%Y-%m-%d %H:%M:%S.000000000 +0000"),
            ),
        };
        sh.out(line)?;
    }
    Ok(status)
}

/// `readlink [-f|-e|-m] FILE`.
pub fn readlink(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let canonical = f.has('f') || f.has('e') || f.has('m');
    let mut status = 0;
    for file in &f.operands {
        let path = sh.abs(file);
        let r = if canonical {
            canonical_path(sh, &path, f.has('e'))
        } else {
            sh.fs.read_link(&path).ok()
        };
        match r {
            Some(t) => sh.out(format!("{t}\n"))?,
            None => status = 1,
        }
    }
    Ok(status)
}

/// The canonical path; with `must_exist` false only the parent must exist (`-f`).
fn canonical_path(sh: &Shell<'_>, path: &str, must_exist: bool) -> Option<String> {
    match sh.fs.canonicalize(path) {
        Ok(p) => Some(p),
        Err(_) if !must_exist => {
            let parent = sh.fs.canonicalize(&parent_of(path)).ok()?;
            Some(format!(
                "{}/{}",
                parent.trim_end_matches('/'),
                base_name(path)
            ))
        }
        Err(_) => None,
    }
}

/// `realpath [-e|-m] FILE...`.
pub fn realpath(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    let mut status = 0;
    for file in &f.operands {
        let path = sh.abs(file);
        match canonical_path(sh, &path, f.has('e')) {
            Some(p) => sh.out(format!("{p}\n"))?,
            None => {
                sh.err(format!("realpath: {file}: No such file or directory\n"))?;
                status = 1;
            }
        }
    }
    Ok(status)
}

/// `du [-s] [-h] [-c] [FILE]...`: 1 KiB blocks (4 KiB allocation units).
pub fn du(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "d");
    let mut operands = f.operands.clone();
    if operands.is_empty() {
        operands.push(".".to_string());
    }
    let fmt = |n: u64| {
        if f.has('h') {
            human_size(n * 1024)
        } else {
            n.to_string()
        }
    };
    let mut status = 0;
    let mut grand = 0;
    let mut out = String::new();
    for op in &operands {
        let path = sh.abs(op);
        let Ok(st) = sh.fs.lstat(&path) else {
            sh.err(format!(
                "du: cannot access '{op}': No such file or directory\n"
            ))?;
            status = 1;
            continue;
        };
        let mut total = blocks(&st);
        let mut dirs: Vec<(String, u64)> = Vec::new();
        if st.is_dir() {
            let entries = sh.fs.walk(&path).unwrap_or_default();
            sh.charge_entries(entries.len())?;
            let root = path.trim_start_matches('/');
            // Every entry's blocks added to each directory above it, in one pass.
            let mut sizes: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
            for e in &entries {
                let b = blocks(&e.stat);
                total += b;
                let mut p = e.path.as_str();
                while let Some((parent, _)) = p.rsplit_once('/') {
                    if parent.len() <= root.len() {
                        break;
                    }
                    *sizes.entry(parent).or_default() += b;
                    p = parent;
                }
            }
            if !f.has('s') {
                // Each directory's own total, deepest first, as du prints them.
                for e in entries.iter().rev().filter(|e| e.stat.is_dir()) {
                    let size = 4 + sizes.get(e.path.as_str()).copied().unwrap_or(0);
                    let rel = e.path.strip_prefix(root).unwrap_or(&e.path);
                    dirs.push((format!("{}{rel}", op.trim_end_matches('/')), size));
                }
            }
        }
        for (d, size) in dirs {
            out.push_str(&format!("{}\t{d}\n", fmt(size)));
        }
        out.push_str(&format!("{}\t{op}\n", fmt(total)));
        grand += total;
    }
    if f.has('c') {
        out.push_str(&format!("{}\ttotal\n", fmt(grand)));
    }
    sh.out(out)?;
    Ok(status)
}

/// `mktemp [-d] [-p DIR] [-t] [TEMPLATE]`: names are deterministic within a run.
pub fn mktemp(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "p");
    let template = f
        .operands
        .first()
        .cloned()
        .unwrap_or_else(|| "tmp.XXXXXXXXXX".to_string());
    let xs = template.len() - template.trim_end_matches('X').len();
    if xs < 3 {
        sh.err(format!("mktemp: too few X's in template '{template}'\n"))?;
        return Ok(1);
    }
    let dir = f.value('p').map(str::to_string).or_else(|| {
        (f.operands.is_empty() || f.has('t'))
            .then(|| sh.var("TMPDIR").unwrap_or("/tmp").to_string())
    });
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    loop {
        let serial = sh.next_serial();
        let digest = crate::digest::Digest::of(format!("{template}/{serial}").as_bytes());
        let suffix: String = digest
            .0
            .iter()
            .take(xs)
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
            .collect();
        let name = format!("{}{suffix}", &template[..template.len() - xs]);
        let shown = match &dir {
            Some(d) => format!("{}/{name}", d.trim_end_matches('/')),
            None => name,
        };
        let path = sh.abs(&shown);
        if sh.fs.lstat(&path).is_ok() {
            continue;
        }
        let meta = Meta::new(if f.has('d') { 0o700 } else { 0o600 })
            .owned(sh.ctx.uid, sh.ctx.gid)
            .at(sh.ctx.mtime);
        let r = if f.has('d') {
            sh.fs.mkdir(&path, meta)
        } else {
            sh.fs.write_file(&path, Blob::empty(), meta)
        };
        if let Err(e) = r {
            sh.err(format!(
                "mktemp: failed to create {} via template '{shown}': {}\n",
                if f.has('d') { "directory" } else { "file" },
                e.kind
            ))?;
            return Ok(1);
        }
        sh.out(format!("{shown}\n"))?;
        return Ok(0);
    }
}

/// GNU install's long options as its short letters.
const INSTALL_LONG: &[(&str, char)] = &[
    ("directory", 'd'),
    ("owner", 'o'),
    ("group", 'g'),
    ("mode", 'm'),
    ("verbose", 'v'),
    ("target-directory", 't'),
    ("no-target-directory", 'T'),
    ("compare", 'C'),
    ("preserve-timestamps", 'p'),
    ("strip", 's'),
];

/// `install [-d] [-m MODE] [-o USER] [-g GROUP] SRC... DEST` (long options too).
pub fn install(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(argv, "mogt", INSTALL_LONG);
    let mode = match f.value('m') {
        Some(m) => match parse_mode(m, 0o755, false, 0) {
            Some(v) => v,
            None => {
                sh.err(format!("install: invalid mode '{m}'\n"))?;
                return Ok(1);
            }
        },
        None => 0o755,
    };
    let uid = f
        .value('o')
        .and_then(|u| users::lookup_uid(sh.fs, u))
        .unwrap_or(sh.ctx.uid);
    let gid = f
        .value('g')
        .and_then(|g| users::lookup_gid(sh.fs, g))
        .unwrap_or(sh.ctx.gid);
    let meta = Meta::new(mode).owned(uid, gid).at(sh.ctx.mtime);
    if f.has('d') {
        for d in &f.operands {
            let path = sh.abs(d);
            let parents = sh.dir_meta();
            let _ = sh.fs.mkdir_all(&parent_of(&path), parents);
            let r = match sh.fs.stat(&path) {
                Ok(s) if s.is_dir() => sh.fs.update_meta(&path, true, |m| *m = meta),
                _ => sh.fs.mkdir(&path, meta),
            };
            if let Err(e) = r {
                sh.err(format!(
                    "install: cannot create directory '{d}': {}\n",
                    e.kind
                ))?;
                return Ok(1);
            }
        }
        return Ok(0);
    }
    let Some((sources, dest)) = sources_and_dest(sh, "install", &f)? else {
        return Ok(1);
    };
    let dest_abs = sh.abs(&dest);
    let into_dir = sh.fs.stat(&dest_abs).is_ok_and(|s| s.is_dir());
    for src in &sources {
        let blob = match sh.fs.read_file(&sh.abs(src)) {
            Ok(b) => b,
            Err(e) => {
                sh.err(format!("install: cannot stat '{src}': {}\n", e.kind))?;
                return Ok(1);
            }
        };
        let target = if into_dir {
            format!("{}/{}", dest_abs.trim_end_matches('/'), base_name(src))
        } else {
            dest_abs.clone()
        };
        let _ = sh.fs.remove_file(&target);
        if let Err(e) = sh.fs.write_file(&target, blob, meta) {
            sh.err(format!(
                "install: cannot create regular file '{dest}': {}\n",
                e.kind
            ))?;
            return Ok(1);
        }
    }
    Ok(0)
}

/// `basename NAME [SUFFIX]` and `basename -a NAME...`.
pub fn basename(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "s");
    let Some(name) = f.operands.first() else {
        sh.err("basename: missing operand\n")?;
        return Ok(1);
    };
    let names: Vec<&String> = if f.has('a') || f.has('s') {
        f.operands.iter().collect()
    } else {
        vec![name]
    };
    let suffix = f.value('s').map(str::to_string).or_else(|| {
        if f.has('a') {
            None
        } else {
            f.operands.get(1).cloned()
        }
    });
    let mut out = String::new();
    for n in names {
        let mut b = if n.chars().all(|c| c == '/') && !n.is_empty() {
            "/".to_string()
        } else {
            base_name(n).to_string()
        };
        if let Some(s) = &suffix {
            if b.len() > s.len() && b.ends_with(s.as_str()) {
                b.truncate(b.len() - s.len());
            }
        }
        out.push_str(&b);
        out.push('\n');
    }
    sh.out(out)?;
    Ok(0)
}

/// `dirname NAME...`.
pub fn dirname(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = flags(argv, "");
    if f.operands.is_empty() {
        sh.err("dirname: missing operand\n")?;
        return Ok(1);
    }
    let mut out = String::new();
    for n in &f.operands {
        let t = n.trim_end_matches('/');
        let d = match t.rfind('/') {
            None if n.starts_with('/') => "/",
            None => ".",
            Some(0) => "/",
            Some(i) => t[..i].trim_end_matches('/'),
        };
        out.push_str(if d.is_empty() { "/" } else { d });
        out.push('\n');
    }
    sh.out(out)?;
    Ok(0)
}
