//! `git`, simulated for the way official images build from a pinned commit:
//! `git init DIR`, `git -C DIR fetch --depth 1 URL COMMIT:`, `git -C DIR checkout
//! FETCH_HEAD` and `git -C DIR log -1 --format=...` (golang's `tip` images).
//!
//! layerlab has no network: a fetch of a repository whose snapshot layerlab
//! simulates (GitHub's `archive/COMMIT.tar.gz` URL known to
//! `catalog::release`) records the commit in `.git/FETCH_HEAD`, and checking it out
//! writes that simulated tree into the work tree; `log` then reports the commit,
//! dated at the simulated release. Every such step says it is simulated. Other
//! repositories and subcommands stay "not simulated" successes, as before.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use crate::catalog::{release, Release, RELEASE_DATE};
use crate::vfs::{Kind, Meta};

/// Runs `git [-C DIR]... [-c NAME=VALUE]... COMMAND ARGS...`.
pub fn git(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut dir = ".".to_string();
    let mut i = 1;
    while i < argv.len() {
        match argv[i].as_str() {
            "-C" => {
                let Some(d) = argv.get(i + 1) else {
                    sh.err("error: switch `C' requires a value\n")?;
                    return Ok(129);
                };
                dir = if d.starts_with('/') || dir == "." {
                    d.clone()
                } else {
                    format!("{dir}/{d}")
                };
                i += 2;
            }
            "-c" => i += 2,
            "--version" => {
                sh.out("git version 2.39.5 (simulated by layerlab)\n")?;
                return Ok(0);
            }
            _ => break,
        }
    }
    let repo = sh.abs(&dir);
    let args = &argv[i.min(argv.len())..];
    let outcome = match args.first().map(String::as_str) {
        Some("init") => return init(sh, &repo, &args[1..]),
        Some("fetch") => fetch(sh, &repo, &args[1..])?,
        Some("checkout") => checkout(sh, &repo, &args[1..])?,
        Some("log") => log(sh, &repo, &args[1..])?,
        _ => None,
    };
    match outcome {
        Some(status) => Ok(status),
        None => {
            let what = args.first().map_or("git", String::as_str);
            sh.notice(
                NoticeKind::NotSimulated,
                "git",
                format!("not simulated: git {what} is only modelled for repositories layerlab simulates; it did nothing"),
            );
            Ok(0)
        }
    }
}

/// `git init [-q] [-b BRANCH] [DIR]`: the real empty repository layout (also what
/// `cargo new` makes).
pub fn init(sh: &mut Shell<'_>, repo: &str, args: &[String]) -> Exec {
    let mut quiet = false;
    let mut branch = "master".to_string();
    let mut target = None;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        k += 1;
        match a {
            "-q" | "--quiet" => quiet = true,
            "-b" | "--initial-branch" => {
                if let Some(b) = args.get(k) {
                    branch = b.clone();
                }
                k += 1;
            }
            s if s.starts_with("--initial-branch=") => {
                branch = s["--initial-branch=".len()..].to_string()
            }
            s if s.starts_with('-') => {}
            s => target = Some(s.to_string()),
        }
    }
    let top = match target {
        Some(t) if t.starts_with('/') => t,
        Some(t) => format!("{}/{t}", repo.trim_end_matches('/')),
        None => repo.to_string(),
    };
    let git_dir = format!("{}/.git", top.trim_end_matches('/'));
    let dmeta = sh.dir_meta();
    for d in [
        "branches",
        "hooks",
        "info",
        "objects/info",
        "objects/pack",
        "refs/heads",
        "refs/tags",
    ] {
        if let Err(e) = sh.fs.mkdir_all(&format!("{git_dir}/{d}"), dmeta) {
            sh.err(format!("fatal: cannot mkdir {top}: {}\n", e.kind))?;
            return Ok(128);
        }
    }
    let files = [
        ("HEAD", format!("ref: refs/heads/{branch}\n")),
        ("config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n".to_string()),
        ("description", "Unnamed repository; edit this file 'description' to name the repository.\n".to_string()),
        ("info/exclude", "# git ls-files --others --exclude-from=.git/info/exclude\n# Lines that start with '#' are comments.\n".to_string()),
    ];
    for (name, text) in files {
        if let Err(e) = sh.write_file(&format!("{git_dir}/{name}"), text) {
            sh.err(format!(
                "fatal: could not write {git_dir}/{name}: {}\n",
                e.kind
            ))?;
            return Ok(128);
        }
    }
    if !quiet {
        sh.out(format!("Initialized empty Git repository in {git_dir}/\n"))?;
    }
    Ok(0)
}

/// GitHub's snapshot URL of `commit` in the repository at `url`, which layerlab
/// may know as a release.
fn snapshot_url(url: &str, commit: &str) -> Option<String> {
    let path = url.strip_prefix("https://github.com/")?;
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    Some(format!("https://github.com/{path}/archive/{commit}.tar.gz"))
}

/// The simulated tree of `commit` of `url`, when layerlab has one.
fn snapshot(url: &str, commit: &str) -> Option<Release> {
    let is_commit = commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit());
    if !is_commit {
        return None;
    }
    release(&snapshot_url(url, commit)?)?.ok()
}

/// The commit and URL recorded in `.git/FETCH_HEAD` by a simulated fetch.
fn fetched(sh: &Shell<'_>, repo: &str) -> Option<(String, String)> {
    let data = sh.fs.read_file(&format!("{repo}/.git/FETCH_HEAD")).ok()?;
    let text = String::from_utf8_lossy(&data.bytes()).into_owned();
    let line = text.lines().next()?;
    let (commit, rest) = line.split_once('\t')?;
    let url = rest.rsplit(' ').next()?.trim();
    Some((commit.to_string(), url.to_string()))
}

/// Whether `repo` is a work tree with a `.git` directory.
fn is_repo(sh: &Shell<'_>, repo: &str) -> bool {
    sh.fs
        .stat(&format!("{repo}/.git"))
        .is_ok_and(|s| s.is_dir())
}

/// `git fetch [--depth N] URL COMMIT[:]`; `None` when layerlab does not simulate it.
fn fetch(
    sh: &mut Shell<'_>,
    repo: &str,
    args: &[String],
) -> Result<Option<i32>, super::super::exec::Flow> {
    let mut operands = Vec::new();
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        k += 1;
        match a {
            "--depth" | "--filter" | "-j" | "--jobs" => k += 1,
            s if s.starts_with('-') => {}
            s => operands.push(s.to_string()),
        }
    }
    let (Some(url), Some(refspec)) = (operands.first(), operands.get(1)) else {
        return Ok(None);
    };
    let commit = refspec
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_start_matches('+');
    let Some(tree) = snapshot(url, commit) else {
        return Ok(None);
    };
    if !is_repo(sh, repo) {
        sh.err("fatal: not a git repository (or any of the parent directories): .git\n")?;
        return Ok(Some(128));
    }
    let record = format!("{commit}\t\tcommit '{commit}' of {url}\n");
    if let Err(e) = sh.write_file(&format!("{repo}/.git/FETCH_HEAD"), record) {
        sh.err(format!("error: cannot write FETCH_HEAD: {}\n", e.kind))?;
        return Ok(Some(1));
    }
    let _ = sh.write_file(&format!("{repo}/.git/shallow"), format!("{commit}\n"));
    sh.notice(
        NoticeKind::Simulated,
        "git",
        format!("simulated: git fetched nothing from {url} (layerlab has no network); commit {commit} stands for layerlab's simulated tree of {}", tree.title),
    );
    Ok(Some(0))
}

/// `git checkout [-q] FETCH_HEAD|COMMIT` of a simulated fetch: writes the tree.
fn checkout(
    sh: &mut Shell<'_>,
    repo: &str,
    args: &[String],
) -> Result<Option<i32>, super::super::exec::Flow> {
    let Some(target) = args.iter().find(|a| !a.starts_with('-')) else {
        return Ok(None);
    };
    let Some((commit, url)) = fetched(sh, repo) else {
        return Ok(None);
    };
    if target != "FETCH_HEAD" && target != &commit {
        return Ok(None);
    }
    let Some(tree) = snapshot(&url, &commit) else {
        return Ok(None);
    };
    sh.charge_entries(tree.entries.len())?;
    let (now, uid, gid) = (sh.ctx.mtime, sh.ctx.uid, sh.ctx.gid);
    for entry in &tree.entries {
        // Members are `TOP/PATH`; the top directory is the work tree itself.
        let Some((_, rel)) = entry.path.split_once('/') else {
            continue;
        };
        let path = format!("{}/{rel}", repo.trim_end_matches('/'));
        // git records only whether a file is executable; it dates files now.
        let exec = entry.meta.mode & 0o111 != 0;
        let meta = |mode| Meta::new(mode).owned(uid, gid).at(now);
        let r = match &entry.kind {
            Kind::Dir => sh.fs.mkdir_all(&path, meta(0o755)),
            Kind::File(blob) => {
                let mode = if exec { 0o755 } else { 0o644 };
                sh.fs.write_file(&path, blob.clone(), meta(mode))
            }
            Kind::Symlink(to) => {
                let _ = sh.fs.remove_file(&path);
                sh.fs.symlink(to, &path, meta(0o777))
            }
            _ => Ok(()),
        };
        if let Err(e) = r {
            sh.err(format!("error: unable to create file {rel}: {}\n", e.kind))?;
            return Ok(Some(1));
        }
    }
    // A checked-out commit is a detached HEAD.
    let _ = sh.write_file(&format!("{repo}/.git/HEAD"), format!("{commit}\n"));
    sh.notice(
        NoticeKind::Simulated,
        "git",
        format!(
            "simulated: git checked out layerlab's simulated tree of {} ({} entries)",
            tree.title,
            tree.entries.len()
        ),
    );
    Ok(Some(0))
}

/// `git log [-1|-n N] [--format=FMT] [HEAD]` of a simulated checkout.
fn log(
    sh: &mut Shell<'_>,
    repo: &str,
    args: &[String],
) -> Result<Option<i32>, super::super::exec::Flow> {
    let head = sh
        .fs
        .read_file(&format!("{repo}/.git/HEAD"))
        .map(|b| String::from_utf8_lossy(&b.bytes()).trim().to_string())
        .unwrap_or_default();
    let Some((commit, _)) = fetched(sh, repo).filter(|(c, _)| *c == head) else {
        return Ok(None);
    };
    let mut format = None;
    let mut k = 0;
    while k < args.len() {
        let a = args[k].as_str();
        k += 1;
        if let Some(f) = a
            .strip_prefix("--format=")
            .or_else(|| a.strip_prefix("--pretty="))
        {
            format = Some(f.to_string());
        } else if a == "--format" || a == "--pretty" {
            format = args.get(k).cloned();
            k += 1;
        }
    }
    let t = RELEASE_DATE;
    let date = super::system::format_date(t, "%a %b %e %H:%M:%S %Y +0000");
    let text = match format {
        Some(f) => {
            let (f, terminator) = match f.strip_prefix("format:") {
                Some(rest) => (rest.to_string(), ""),
                None => (f.strip_prefix("tformat:").unwrap_or(&f).to_string(), "\n"),
            };
            format!("{}{terminator}", placeholders(&f, &commit, t))
        }
        None => format!(
            "commit {commit}\nAuthor: layerlab <simulated@layerlab.invalid>\nDate:   {date}\n\n    simulated commit (layerlab has no copy of its history)\n"
        ),
    };
    sh.out(text)?;
    sh.notice(
        NoticeKind::Simulated,
        "git",
        format!("simulated: commit {commit} is layerlab's simulated snapshot, dated at its simulated release"),
    );
    Ok(Some(0))
}

/// `git log`'s `%` placeholders for the simulated commit.
fn placeholders(format: &str, commit: &str, t: i64) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut code = String::new();
        if let Some(&n) = chars.peek() {
            chars.next();
            code.push(n);
            if matches!(n, 'a' | 'c') {
                if let Some(&m) = chars.peek() {
                    chars.next();
                    code.push(m);
                }
            }
        }
        match code.as_str() {
            "H" => out.push_str(commit),
            "h" => out.push_str(&commit[..12.min(commit.len())]),
            "ct" | "at" => out.push_str(&t.to_string()),
            "cI" | "aI" => out.push_str(&super::system::format_date(t, "%Y-%m-%dT%H:%M:%S+00:00")),
            "cd" | "ad" => {
                out.push_str(&super::system::format_date(t, "%a %b %e %H:%M:%S %Y +0000"))
            }
            "an" | "cn" | "aN" | "cN" => out.push_str("layerlab"),
            "ae" | "ce" | "aE" | "cE" => out.push_str("simulated@layerlab.invalid"),
            "s" => out.push_str("simulated commit"),
            "n" => out.push('\n'),
            "%" => out.push('%'),
            other => {
                out.push('%');
                out.push_str(other);
            }
        }
    }
    out
}
