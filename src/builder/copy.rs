//! COPY and ADD with Docker's rules.
//!
//! Two phases, because the cache must be asked before anything is copied:
//! `select` resolves the sources (context paths, Go `filepath.Match` wildcards,
//! another stage's files, heredocs, ADD's URLs) into a `Selection` whose
//! `fingerprint` is what the cache keys on (names, types, modes, sizes, contents;
//! never mtimes); `apply` writes the selection into the filesystem with the
//! destination rules (trailing slash, existing directory, several sources),
//! `--chown`, `--chmod`, `--parents`, and ADD's tar extraction.

use crate::context::glob::Glob;
use crate::context::path::clean;
use crate::context::{BuildContext, ContextKind};
use crate::digest::{Digest, Hasher};
use crate::dockerfile::instruction::SourceContent;
use crate::shell::users::{lookup_gid, passwd_entry};
use crate::shell::{Notice, NoticeKind};
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta, Vfs};
use std::io::Read;

/// Where COPY reads from.
pub enum CopySource<'a> {
    /// The build context (after `.dockerignore`).
    Context(&'a BuildContext),
    /// Another stage's or image's filesystem (`--from`).
    Fs(Vfs),
}

/// A COPY or ADD instruction's arguments, unexpanded.
pub struct CopyRequest {
    /// `COPY` or `ADD`.
    pub keyword: &'static str,
    /// Source paths or URLs.
    pub sources: Vec<String>,
    /// Heredoc sources.
    pub contents: Vec<SourceContent>,
    /// Destination.
    pub dest: String,
    /// `--from`.
    pub from: Option<String>,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `--parents`.
    pub parents: bool,
    /// `--exclude` patterns.
    pub excludes: Vec<String>,
}

/// How the selection is written.
pub struct Plan {
    /// `COPY` or `ADD`.
    pub keyword: &'static str,
    /// Destination after expansion.
    pub dest: String,
    /// The stage's working directory (relative destinations join it).
    pub workdir: String,
    /// `--chown` resolved to ids.
    pub owner: Option<(u32, u32)>,
    /// `--chmod` as written.
    pub chmod: Option<String>,
    /// `--parents`: keep each source's path under the destination.
    pub parents: bool,
    /// Time given to directories the copy creates.
    pub epoch: i64,
    /// True for `--from`: copied files keep their owners (context files are 0:0).
    pub keep_owners: bool,
}

/// What a copied item is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ItemKind {
    File(Blob),
    Dir,
    Symlink(String),
}

/// One file, directory or link to copy, relative to its root.
#[derive(Clone, Debug)]
struct Item {
    rel: String,
    kind: ItemKind,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
}

/// One matched source: a file, a link, a directory (whose contents are copied)
/// or an archive ADD extracts.
#[derive(Clone, Debug)]
struct Root {
    /// The source path (relative to the context or the other filesystem's root).
    path: String,
    /// The root item first (`rel` empty), then a directory's contents in order.
    items: Vec<Item>,
    /// ADD: a local tar archive, extracted instead of copied.
    archive: bool,
}

/// The resolved sources of one COPY/ADD.
pub struct Selection {
    roots: Vec<Root>,
    notices: Vec<Notice>,
}

/// Resolves the sources of a COPY/ADD. With `empty_wildcards`, a wildcard that
/// matches nothing contributes nothing, as BuildKit's Dockerfile frontend copies
/// with `AllowEmptyWildcard` (`COPY package.json yarn.lock* ./` works without a
/// yarn.lock); otherwise it is the "not found" error.
pub fn select(
    source: &CopySource,
    sources: &[String],
    contents: &[SourceContent],
    excludes: &[String],
    keyword: &str,
    empty_wildcards: bool,
) -> Result<Selection, String> {
    let excludes: Vec<Glob> = excludes
        .iter()
        .map(|p| Glob::ignore(&clean(p.trim_start_matches('/'))).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let mut roots = Vec::new();
    let mut notices = Vec::new();
    for content in contents {
        roots.push(Root {
            path: content.path.clone(),
            items: vec![Item {
                rel: String::new(),
                kind: ItemKind::File(Blob::from_bytes(content.data.as_bytes().to_vec())),
                mode: 0o644,
                uid: 0,
                gid: 0,
                mtime: 0,
            }],
            archive: false,
        });
    }
    for raw in sources {
        if keyword == "ADD" && (raw.starts_with("http://") || raw.starts_with("https://")) {
            let name = raw
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("download")
                .to_string();
            let body = format!("layerlab simulated download of {raw}\nno network is used; this file stands in for the real one\n");
            notices.push(Notice {
                kind: NoticeKind::Simulated,
                program: "ADD".to_string(),
                message: format!("ADD {raw}: simulated download, the file is a placeholder"),
            });
            roots.push(Root {
                path: name,
                items: vec![Item {
                    rel: String::new(),
                    kind: ItemKind::File(Blob::from_bytes(body.into_bytes())),
                    mode: 0o600,
                    uid: 0,
                    gid: 0,
                    mtime: 0,
                }],
                archive: false,
            });
            continue;
        }
        if raw.starts_with("git@") || raw.ends_with(".git") {
            return Err(format!("{keyword} {raw}: git sources are not simulated by layerlab; copy the files into the context instead"));
        }
        let cleaned = clean(raw.trim_start_matches('/'));
        if cleaned == ".." || cleaned.starts_with("../") {
            return Err(format!(
                "forbidden path outside the build context: {raw} ()"
            ));
        }
        let cleaned = if cleaned == "." {
            String::new()
        } else {
            cleaned
        };
        let matched: Vec<String> = if Glob::has_wildcards(&cleaned) {
            let glob = Glob::file_path(&cleaned).map_err(|e| e.to_string())?;
            let found: Vec<String> = all_paths(source)
                .into_iter()
                .filter(|p| glob.matches(p))
                .collect();
            if found.is_empty() && !empty_wildcards {
                return Err(not_found(raw));
            }
            found
        } else {
            vec![cleaned]
        };
        for path in matched {
            let mut root = root_at(source, &path).ok_or_else(|| not_found(raw))?;
            if !excludes.is_empty() {
                root.items.retain(|item| {
                    item.rel.is_empty() || !excludes.iter().any(|g| g.matches(&item.rel))
                });
            }
            root.archive = keyword == "ADD"
                && matches!(source, CopySource::Context(_))
                && matches!(&root.items[0].kind, ItemKind::File(blob) if is_archive(&blob.bytes()));
            roots.push(root);
        }
    }
    Ok(Selection { roots, notices })
}

fn not_found(raw: &str) -> String {
    format!(
        "failed to compute cache key: failed to calculate checksum of ref: \"/{}\": not found",
        clean(raw.trim_start_matches('/')).trim_start_matches("./")
    )
}

/// Every path of the source, for wildcard matching.
fn all_paths(source: &CopySource) -> Vec<String> {
    match source {
        CopySource::Context(ctx) => ctx.entries().map(|(p, _)| p.to_string()).collect(),
        CopySource::Fs(fs) => fs
            .walk("/")
            .map(|w| w.into_iter().map(|e| e.path).collect())
            .unwrap_or_default(),
    }
}

/// The root at `path` ("" for the whole source) with everything below it.
fn root_at(source: &CopySource, path: &str) -> Option<Root> {
    let mut items = Vec::new();
    match source {
        CopySource::Context(ctx) => {
            let (kind, mode, mtime) = if path.is_empty() {
                (ItemKind::Dir, 0o755, 0)
            } else {
                let entry = ctx.get(path)?;
                (context_kind(&entry.kind), entry.mode, entry.mtime)
            };
            let is_dir = kind == ItemKind::Dir;
            items.push(Item {
                rel: String::new(),
                kind,
                mode,
                uid: 0,
                gid: 0,
                mtime,
            });
            if is_dir {
                for (p, entry) in ctx.entries_under(path) {
                    let rel = if path.is_empty() {
                        p.to_string()
                    } else {
                        p[path.len() + 1..].to_string()
                    };
                    items.push(Item {
                        rel,
                        kind: context_kind(&entry.kind),
                        mode: entry.mode,
                        uid: 0,
                        gid: 0,
                        mtime: entry.mtime,
                    });
                }
            }
        }
        CopySource::Fs(fs) => {
            let abs = format!("/{path}");
            // The named source follows a symlink, as COPY does; links inside a
            // copied directory stay links.
            let stat = fs.stat(&abs).ok()?;
            let kind = fs_kind(&stat.kind)?;
            let is_dir = kind == ItemKind::Dir;
            items.push(Item {
                rel: String::new(),
                kind,
                mode: stat.meta.mode,
                uid: stat.meta.uid,
                gid: stat.meta.gid,
                mtime: stat.meta.mtime,
            });
            if is_dir {
                let real = fs.canonicalize(&abs).ok()?;
                for entry in fs.walk(&real).ok()? {
                    let prefix = real.trim_start_matches('/');
                    let rel = if prefix.is_empty() {
                        entry.path.clone()
                    } else {
                        entry.path.get(prefix.len() + 1..)?.to_string()
                    };
                    if let Some(kind) = fs_kind(&entry.stat.kind) {
                        let m = entry.stat.meta;
                        items.push(Item {
                            rel,
                            kind,
                            mode: m.mode,
                            uid: m.uid,
                            gid: m.gid,
                            mtime: m.mtime,
                        });
                    }
                }
            }
        }
    }
    Some(Root {
        path: path.to_string(),
        items,
        archive: false,
    })
}

fn context_kind(kind: &ContextKind) -> ItemKind {
    match kind {
        ContextKind::File(blob) => ItemKind::File(blob.clone()),
        ContextKind::Dir => ItemKind::Dir,
        ContextKind::Symlink(target) => ItemKind::Symlink(target.clone()),
    }
}

fn fs_kind(kind: &Kind) -> Option<ItemKind> {
    match kind {
        Kind::File(blob) => Some(ItemKind::File(blob.clone())),
        Kind::Dir => Some(ItemKind::Dir),
        Kind::Symlink(target) => Some(ItemKind::Symlink(target.clone())),
        _ => None,
    }
}

/// A tar (`ustar` magic) or a gzip stream (whose contents ADD then checks).
fn is_archive(bytes: &[u8]) -> bool {
    if bytes.len() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
        let mut head = vec![0u8; 512];
        let mut decoder = flate2::read::GzDecoder::new(bytes);
        return decoder.read_exact(&mut head).is_ok() && head.get(257..262) == Some(b"ustar");
    }
    bytes.get(257..262) == Some(b"ustar")
}

impl Selection {
    /// What the cache keys on: the copy's options and every selected item's
    /// name, type, mode, size, contents and link target; owners only for
    /// `--from` (BuildKit zeroes a context file's owner); never mtimes.
    pub fn fingerprint(&self, plan: &Plan) -> Digest {
        let mut h = Hasher::new();
        let mut put = |s: &[u8]| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s);
        };
        put(plan.dest.as_bytes());
        put(format!("{:?}{:?}{}", plan.owner, plan.chmod, plan.parents).as_bytes());
        for root in &self.roots {
            put(root.path.as_bytes());
            for item in &root.items {
                put(item.rel.as_bytes());
                let owner = if plan.keep_owners {
                    format!("{}:{}", item.uid, item.gid)
                } else {
                    String::new()
                };
                let what = match &item.kind {
                    ItemKind::File(blob) => format!("f {} {}", blob.len(), blob.digest()),
                    ItemKind::Dir => "d".to_string(),
                    ItemKind::Symlink(target) => format!("l {target}"),
                };
                put(format!("{what} {:o} {owner}", item.mode).as_bytes());
            }
        }
        h.finish()
    }

    /// The copied files with their digests, to name what changed on a miss.
    pub fn inputs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for root in &self.roots {
            for item in &root.items {
                let path = join_rel(&root.path, &item.rel);
                let value = match &item.kind {
                    ItemKind::File(blob) => format!("{} mode {:o}", blob.digest(), item.mode),
                    ItemKind::Dir => format!("dir mode {:o}", item.mode),
                    ItemKind::Symlink(target) => format!("link {target}"),
                };
                out.push((
                    format!("file:{}", if path.is_empty() { "." } else { &path }),
                    value,
                ));
            }
        }
        out
    }

    /// buildah's word for the sources: `file`, `dir` or `multi`.
    pub fn legacy_kind(&self) -> &'static str {
        match self.roots.as_slice() {
            [root] if root.items.first().is_some_and(|i| i.kind == ItemKind::Dir) => "dir",
            [_] => "file",
            _ => "multi",
        }
    }
}

fn join_rel(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

/// Resolves `--chown=user[:group]` against the destination's passwd and group
/// files; a bare number is used as is, and a bare user takes its primary group.
pub fn resolve_chown(fs: &Vfs, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, primary) = match user.parse::<u32>() {
        Ok(uid) => (uid, uid),
        Err(_) => {
            let entry = passwd_entry(fs, user)
                .ok_or_else(|| format!("unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}"))?;
            (entry.uid, entry.gid)
        }
    };
    let gid = match group {
        None => primary,
        Some(g) => lookup_gid(fs, g)
            .ok_or_else(|| format!("unable to convert uid/gid chown string to host mapping: can't find gid for group {g}: no such group: {g}"))?,
    };
    Ok((uid, gid))
}

fn parse_chmod(chmod: &str) -> Result<u32, String> {
    u32::from_str_radix(chmod, 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .ok_or_else(|| format!("invalid chmod parameter: '{chmod}'. it should be octal string and between 0 and 07777"))
}

/// Writes the selection into `fs`; returns the step's output and notices.
pub fn apply(
    fs: &mut Vfs,
    selection: &Selection,
    plan: &Plan,
) -> Result<(String, Vec<Notice>), String> {
    let chmod = plan.chmod.as_deref().map(parse_chmod).transpose()?;
    let dest_is_dir = plan.dest.ends_with('/') || plan.dest == "." || plan.dest.ends_with("/.");
    let base = if plan.dest.starts_with('/') {
        String::new()
    } else {
        plan.workdir.clone()
    };
    let dest = clean(&format!("{base}/{}", plan.dest));
    if selection.roots.len() > 1 && !dest_is_dir && !fs.stat(&dest).is_ok_and(|s| s.is_dir()) {
        return Err(format!("When using {} with more than one source file, the destination must be a directory and end with a /", plan.keyword));
    }
    let created = Meta::new(0o755)
        .owned(plan.owner.map_or(0, |o| o.0), plan.owner.map_or(0, |o| o.1))
        .at(plan.epoch);
    let writer = Writer { plan, chmod };
    for root in &selection.roots {
        let root_item = &root.items[0];
        let target_dir = if plan.parents {
            clean(&format!("{dest}/{}", parent_of(&root.path)))
        } else {
            dest.clone()
        };
        if root.archive {
            if let ItemKind::File(blob) = &root_item.kind {
                ensure_dir(fs, &target_dir, created)?;
                extract(fs, &blob.bytes(), &target_dir, plan)?;
            }
            continue;
        }
        match &root_item.kind {
            ItemKind::Dir => {
                let dir = if plan.parents && !root.path.is_empty() {
                    clean(&format!("{dest}/{}", root.path))
                } else {
                    dest.clone()
                };
                if !fs.stat(&dir).is_ok_and(|s| s.is_dir()) {
                    ensure_dir(fs, &parent_of_abs(&dir), created)?;
                    writer.write(fs, &dir, root_item)?;
                }
                for item in &root.items[1..] {
                    writer.write(fs, &format!("{dir}/{}", item.rel), item)?;
                }
            }
            _ => {
                let name = root.path.rsplit('/').next().unwrap_or(&root.path);
                let into_dir = dest_is_dir
                    || selection.roots.len() > 1
                    || plan.parents
                    || fs.stat(&target_dir).is_ok_and(|s| s.is_dir());
                let path = if into_dir {
                    format!("{}/{name}", target_dir.trim_end_matches('/'))
                } else {
                    dest.clone()
                };
                ensure_dir(fs, &parent_of_abs(&path), created)?;
                writer.write(fs, &path, root_item)?;
            }
        }
    }
    Ok((String::new(), selection.notices.clone()))
}

fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(p, _)| p)
}

fn parent_of_abs(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((p, _)) => p.to_string(),
    }
}

/// `mkdir -p` with the copy's owner, leaving existing directories alone.
fn ensure_dir(fs: &mut Vfs, dir: &str, meta: Meta) -> Result<(), String> {
    if dir == "/" || fs.stat(dir).is_ok_and(|s| s.is_dir()) {
        return Ok(());
    }
    fs.mkdir_all(dir, meta).map_err(|e| e.to_string())
}

struct Writer<'a> {
    plan: &'a Plan,
    chmod: Option<u32>,
}

impl Writer<'_> {
    fn meta(&self, item: &Item) -> Meta {
        let (uid, gid) = match self.plan.owner {
            Some(owner) => owner,
            None if self.plan.keep_owners => (item.uid, item.gid),
            None => (0, 0),
        };
        let mode = match (&item.kind, self.chmod) {
            (ItemKind::Symlink(_), _) => 0o777,
            (_, Some(mode)) => mode,
            (_, None) => item.mode,
        };
        let mtime = if item.mtime == 0 && item.rel.is_empty() {
            self.plan.epoch
        } else {
            item.mtime
        };
        Meta::new(mode).owned(uid, gid).at(mtime)
    }

    fn write(&self, fs: &mut Vfs, path: &str, item: &Item) -> Result<(), String> {
        let meta = self.meta(item);
        let existing = fs.lstat(path).ok();
        match &item.kind {
            ItemKind::Dir => {
                if existing.as_ref().is_some_and(|s| s.is_dir()) {
                    return fs
                        .update_meta(path, false, |m: &mut Meta| *m = meta)
                        .map_err(|e| e.to_string());
                }
                if existing.is_some() {
                    fs.remove_all(path).map_err(|e| e.to_string())?;
                }
                fs.mkdir(path, meta).map_err(|e| e.to_string())
            }
            ItemKind::File(blob) => {
                if existing
                    .as_ref()
                    .is_some_and(|s| s.is_dir() || matches!(s.kind, Kind::Symlink(_)))
                {
                    fs.remove_all(path).map_err(|e| e.to_string())?;
                }
                fs.write_file(path, blob.clone(), meta)
                    .map_err(|e| e.to_string())
            }
            ItemKind::Symlink(target) => {
                if existing.is_some() {
                    fs.remove_all(path).map_err(|e| e.to_string())?;
                }
                fs.symlink(target, path, meta).map_err(|e| e.to_string())
            }
        }
    }
}

/// ADD's extraction of a local tar (plain or gzip) into `dir`.
fn extract(fs: &mut Vfs, bytes: &[u8], dir: &str, plan: &Plan) -> Result<(), String> {
    let data: Vec<u8> = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| format!("ADD: cannot decompress the archive: {e}"))?;
        out
    } else {
        bytes.to_vec()
    };
    let mut archive = tar::Archive::new(data.as_slice());
    let entries = archive
        .entries()
        .map_err(|e| format!("ADD: cannot read the archive: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("ADD: cannot read the archive: {e}"))?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).to_string();
        let rel = clean(name.trim_start_matches('/'));
        if rel == "." {
            continue;
        }
        if rel == ".." || rel.starts_with("../") {
            return Err(format!(
                "ADD: archive entry '{name}' points outside the destination"
            ));
        }
        let header = entry.header().clone();
        let mode = header.mode().unwrap_or(0o644) & 0o7777;
        let (uid, gid) = plan.owner.unwrap_or((
            header
                .uid()
                .ok()
                .and_then(|u| u32::try_from(u).ok())
                .unwrap_or(0),
            header
                .gid()
                .ok()
                .and_then(|g| u32::try_from(g).ok())
                .unwrap_or(0),
        ));
        let mtime = header
            .mtime()
            .ok()
            .and_then(|t| i64::try_from(t).ok())
            .unwrap_or(plan.epoch);
        let meta = Meta::new(mode).owned(uid, gid).at(mtime);
        let path = format!("{}/{rel}", dir.trim_end_matches('/'));
        ensure_dir(
            fs,
            &parent_of_abs(&path),
            Meta::new(0o755).owned(uid, gid).at(plan.epoch),
        )?;
        let kind = header.entry_type();
        let result = if kind.is_dir() {
            if fs.stat(&path).is_ok_and(|s| s.is_dir()) {
                fs.update_meta(&path, false, |m: &mut Meta| *m = meta)
            } else {
                fs.mkdir(&path, meta)
            }
        } else if kind.is_symlink() {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).to_string())
                .unwrap_or_default();
            let _ = fs.remove_all(&path);
            fs.symlink(&target, &path, meta)
        } else if kind.is_hard_link() {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).to_string())
                .unwrap_or_default();
            let target = format!(
                "{}/{}",
                dir.trim_end_matches('/'),
                clean(target.trim_start_matches('/'))
            );
            let _ = fs.remove_all(&path);
            fs.hard_link(&target, &path)
        } else if kind.is_file() {
            let mut content = Vec::new();
            entry
                .read_to_end(&mut content)
                .map_err(|e| format!("ADD: cannot read '{name}' from the archive: {e}"))?;
            fs.write_file(&path, Blob::from_bytes(content), meta)
        } else {
            continue;
        };
        result.map_err(|e| e.to_string())?;
    }
    Ok(())
}
