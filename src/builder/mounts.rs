//! `RUN --mount`: what each mount shows at its target while the command runs,
//! what of it keys the step, and what outlives the step.
//!
//! A bind mount shows context or stage files: their contents key the step (edit
//! requirements.txt and the RUN misses) but never reach its layer. A cache mount
//! shows a directory the build cache keeps from one build to the next, outside
//! every layer and every key. A tmpfs is an empty directory; a secret is a file
//! that neither the key nor the layer records. Afterwards the target is put back
//! as it was and the mount points the step had to create are removed, as
//! BuildKit's stub cleaner does (`../shared/docs/SEMANTICS.md` §10.6).

use super::copy::{self, CopySource, Plan, Selection};
use crate::digest::Digest;
use crate::shell::{Notice, NoticeKind};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

/// The classic builder's refusal, in Docker's words.
pub(super) const NEEDS_BUILDKIT: &str = "the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled";

/// One mount, resolved at build time.
pub(super) enum Mount {
    /// Context or stage files at `target`.
    Bind {
        target: String,
        /// The source path as selected (relative; empty for the whole source).
        source: String,
        selection: Selection,
        plan: Plan,
        read_only: bool,
    },
    /// The build cache's directory `id`; `seed` fills a cache seen for the first
    /// time (`from=`/`source=`, else an empty directory with `meta`).
    Cache {
        target: String,
        id: String,
        contents: Option<Vfs>,
        meta: Meta,
    },
    /// An empty directory.
    Tmpfs { target: String },
    /// A secret's bytes as a file.
    Secret {
        target: String,
        data: Vec<u8>,
        meta: Meta,
    },
}

impl Mount {
    fn target(&self) -> &str {
        match self {
            Mount::Bind { target, .. }
            | Mount::Cache { target, .. }
            | Mount::Tmpfs { target }
            | Mount::Secret { target, .. } => target,
        }
    }

    /// What the step's cache key holds of this mount: a bind mount's contents, a
    /// cache's id, never a cache's contents or a secret's value (BuildKit does not
    /// rebuild when a secret changes).
    pub(super) fn key_part(&self) -> String {
        match self {
            Mount::Bind {
                target,
                selection,
                plan,
                read_only,
                ..
            } => format!(
                "bind {target} ro={read_only} {}",
                selection.fingerprint(plan).hex()
            ),
            Mount::Cache {
                target, id, meta, ..
            } => format!(
                "cache {target} id={id} {:o} {}:{}",
                meta.mode, meta.uid, meta.gid
            ),
            Mount::Tmpfs { target } => format!("tmpfs {target}"),
            Mount::Secret { target, meta, .. } => {
                format!("secret {target} {:o} {}:{}", meta.mode, meta.uid, meta.gid)
            }
        }
    }

    /// The inputs the cache panel compares to say why the step missed: each
    /// bind-mounted file.
    pub(super) fn inputs(&self) -> Vec<(String, String)> {
        match self {
            Mount::Bind {
                target,
                source,
                selection,
                ..
            } => selection
                .inputs()
                .into_iter()
                .map(|(name, value)| {
                    let path = name.strip_prefix("file:").unwrap_or(&name);
                    let path = if path == "." { "" } else { path };
                    let rel = path.strip_prefix(source.as_str()).unwrap_or(path);
                    let rel = rel.trim_start_matches('/');
                    let shown = if rel.is_empty() {
                        target.clone()
                    } else {
                        format!("{}/{rel}", target.trim_end_matches('/'))
                    };
                    (format!("mounted:{shown}"), value)
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The source path as `select` reads it: relative, empty for the whole source.
/// BuildKit joins it to `/` first, so `../x` is `x` and never leaves the source.
pub(super) fn source_path(path: Option<&str>) -> String {
    let rooted = crate::context::path::clean(&format!("/{}", path.unwrap_or("")));
    rooted.trim_start_matches('/').to_string()
}

/// Selects a bind mount's or a cache seed's files: `source` (default: the whole
/// source) of the context or of another filesystem.
pub(super) fn select(source: &CopySource, path: Option<&str>) -> Result<Selection, String> {
    let relative = source_path(path);
    let relative = if relative.is_empty() { "." } else { &relative };
    copy::select(source, &[relative.to_string()], &[], &[], "COPY")
}

/// How a selection is laid out at a mount's target.
pub(super) fn plan(target: &str, epoch: i64, keep_owners: bool) -> Plan {
    Plan {
        keyword: "COPY",
        dest: target.to_string(),
        workdir: "/".to_string(),
        owner: None,
        chmod: None,
        parents: false,
        epoch,
        keep_owners,
    }
}

/// What `attach` changed, to undo in `detach`.
pub(super) struct Attached {
    /// Per mount, in order: the filesystem before it, the mount points it created,
    /// and for a read-only bind mount the fingerprint of what it showed.
    undo: Vec<(Vfs, Vec<String>, Option<Digest>)>,
}

/// Shows every mount at its target, in order (a later mount may sit inside an
/// earlier one).
pub(super) fn attach(fs: &mut Vfs, mounts: &[Mount], epoch: i64) -> Result<Attached, String> {
    let mut undo = Vec::new();
    for mount in mounts {
        let target = mount.target();
        let created = missing_ancestors(fs, target);
        let before = fs.clone();
        let _ = fs.remove_all(target);
        let parent = parent_of(target);
        if !fs.stat(&parent).is_ok_and(|s| s.is_dir()) {
            fs.mkdir_all(&parent, Meta::new(0o755).at(epoch))
                .map_err(|e| format!("mount {target}: {e}"))?;
        }
        match mount {
            Mount::Bind {
                selection, plan, ..
            } => {
                copy::apply(fs, selection, plan).map_err(|e| format!("mount {target}: {e}"))?;
            }
            Mount::Cache { contents, meta, .. } => match contents {
                Some(cache) => {
                    let selection = select(&CopySource::Fs(cache.clone()), None)?;
                    copy::apply(fs, &selection, &plan(target, epoch, true))
                        .map_err(|e| format!("mount {target}: {e}"))?;
                }
                None => fs
                    .mkdir(target, *meta)
                    .map_err(|e| format!("mount {target}: {e}"))?,
            },
            Mount::Tmpfs { .. } => fs
                .mkdir(target, Meta::new(0o1777).at(epoch))
                .map_err(|e| format!("mount {target}: {e}"))?,
            Mount::Secret { data, meta, .. } => fs
                .write_file(target, Blob::from_bytes(data.clone()), *meta)
                .map_err(|e| format!("mount {target}: {e}"))?,
        }
        let shown = match mount {
            Mount::Bind {
                read_only: true, ..
            } => Some(fingerprint(fs, target)?),
            _ => None,
        };
        undo.push((before, created, shown));
    }
    Ok(Attached { undo })
}

/// What `detach` found: each cache mount's contents, kept whatever the command's
/// exit status (a cache mount is a shared directory, so BuildKit keeps what a
/// failing command wrote there), and a write into a read-only bind mount.
pub(super) struct Detached {
    /// `(cache id, contents)`, in mount order.
    pub caches: Vec<(String, Vfs)>,
    /// Why the step fails even if its command succeeded.
    pub refused: Option<String>,
}

/// Takes every mount away again, last first, and puts each target back as it was
/// before the step.
pub(super) fn detach(
    fs: &mut Vfs,
    mounts: &[Mount],
    attached: Attached,
) -> Result<Detached, String> {
    let mut kept = Vec::new();
    let mut written = None;
    for (mount, (before, created, shown)) in mounts.iter().zip(attached.undo).rev() {
        let target = mount.target();
        if let Mount::Cache { id, .. } = mount {
            kept.push((id.clone(), subtree(fs, target)?));
        }
        if let Some(shown) = shown {
            if fingerprint(fs, target).ok() != Some(shown) {
                written = Some(target.to_string());
            }
        }
        fs.put_back(&before, target)
            .map_err(|e| format!("mount {target}: {e}"))?;
        for dir in created.iter().rev() {
            if fs.read_dir(dir).is_ok_and(|entries| entries.is_empty()) {
                let _ = fs.remove_dir(dir);
            }
        }
    }
    kept.reverse();
    Ok(Detached {
        caches: kept,
        refused: written.map(|target| format!(
            "the command wrote into the read-only bind mount at {target}, which fails with \"Read-only file system\" in a real build; add rw to the mount to let it write there (what it writes is still thrown away after the step)"
        )),
    })
}

/// A mount that is skipped, with the reason shown next to the step.
pub(super) fn skipped(what: &str, message: String) -> Notice {
    Notice {
        kind: NoticeKind::Simulated,
        program: what.to_string(),
        message,
    }
}

/// What is at `path` now (names, types, modes, owners, contents).
fn fingerprint(fs: &Vfs, path: &str) -> Result<Digest, String> {
    let selection = select(&CopySource::Fs(fs.clone()), Some(path))?;
    Ok(selection.fingerprint(&plan(path, 0, true)))
}

/// The contents of directory `path` as a filesystem of its own (its root keeps the
/// directory's mode and owner), to keep a cache mount between builds.
fn subtree(fs: &Vfs, path: &str) -> Result<Vfs, String> {
    let stat = fs
        .stat(path)
        .map_err(|e| format!("cache mount {path}: {e}"))?;
    let mut out = Vfs::with_root(stat.meta);
    if stat.is_dir() {
        let selection = select(&CopySource::Fs(fs.clone()), Some(path))?;
        copy::apply(&mut out, &selection, &plan("/", stat.meta.mtime, true))?;
    }
    Ok(out)
}

/// The directories above `path` (and `path` itself) that do not exist yet,
/// shallowest first: the mount points BuildKit creates and removes again.
fn missing_ancestors(fs: &Vfs, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        current.push('/');
        current.push_str(part);
        if fs.lstat(&current).is_err() {
            out.push(current.clone());
        }
    }
    out
}

fn parent_of(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((parent, _)) => parent.to_string(),
    }
}
