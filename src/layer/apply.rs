//! Applying a layer onto a filesystem with OCI whiteout semantics.
//!
//! The rules of the OCI image spec (`layer.md`) and of moby's `UnpackLayer`:
//! opaque markers and whiteouts act on the layers below only, so they are applied
//! first, whatever their position in the tar (an entry of the same layer is never
//! hidden by them); then entries in tar order: a directory over a directory only
//! changes its attributes, anything else replaces what was there (a file over a
//! directory removes the whole directory). Missing parent directories are created
//! 0755 root-owned. A hard link names a file written earlier or present below.

use super::{EntryKind, Layer, LayerError};
use crate::vfs::{ErrorKind, Kind, Meta, Stat, Vfs, VfsError};

/// Told what applying a layer does, path by path; the union view uses it to track
/// origins, shadowed versions and deletions.
pub trait ApplyObserver {
    /// The layer wrote `path` (relative); `existed`: something was there before
    /// (it is shadowed now); `size`: bytes of the regular file written, else 0.
    fn written(&mut self, path: &str, existed: bool, size: u64);
    /// `path` (relative), which was `stat`, was removed. `top`: removed by a
    /// whiteout or an opaque marker itself; otherwise it was below a removed or
    /// replaced directory.
    fn removed(&mut self, path: &str, stat: &Stat, top: bool);
}

/// The observer of a plain apply: ignores everything.
struct Ignore;

impl ApplyObserver for Ignore {
    fn written(&mut self, _: &str, _: bool, _: u64) {}
    fn removed(&mut self, _: &str, _: &Stat, _: bool) {}
}

impl Layer {
    /// Applies the layer onto `fs` (see the module docs).
    pub fn apply_to(&self, fs: &mut Vfs) -> Result<(), LayerError> {
        self.apply(fs, &mut Ignore, false)
    }

    /// Applies the layer onto `fs`, telling `observer` every path written or removed
    /// (removed directories are reported with all their contents).
    pub fn apply_observed(
        &self,
        fs: &mut Vfs,
        observer: &mut dyn ApplyObserver,
    ) -> Result<(), LayerError> {
        self.apply(fs, observer, true)
    }

    fn apply(
        &self,
        fs: &mut Vfs,
        obs: &mut dyn ApplyObserver,
        detailed: bool,
    ) -> Result<(), LayerError> {
        let mut cx = Apply {
            fs,
            obs,
            detailed,
            checked_parent: None,
        };
        for entry in &self.entries {
            if entry.change == EntryKind::Opaque {
                let abs = vfs_path(&entry.path);
                if let Ok(stat) = cx.fs.lstat(abs) {
                    if stat.is_dir() {
                        let children =
                            cx.fs.read_dir(abs).map_err(|e| vfs_error(&entry.path, e))?;
                        for (name, _) in children {
                            cx.remove(&join(&entry.path, &name), true)?;
                        }
                    }
                }
            }
        }
        for entry in &self.entries {
            if entry.change == EntryKind::Whiteout && cx.fs.lstat(vfs_path(&entry.path)).is_ok() {
                cx.remove(&entry.path, true)?;
            }
        }
        for entry in &self.entries {
            let path = entry.path.as_str();
            if path.is_empty() {
                continue;
            }
            match &entry.change {
                EntryKind::Whiteout | EntryKind::Opaque => {}
                EntryKind::Node {
                    kind: Kind::Dir,
                    meta,
                } => {
                    cx.parents(path)?;
                    let abs = vfs_path(path);
                    match cx.fs.lstat(abs) {
                        Ok(stat) if stat.is_dir() => {
                            let meta = *meta;
                            cx.fs
                                .update_meta(abs, false, |m| *m = meta)
                                .map_err(|e| vfs_error(path, e))?;
                            cx.obs.written(path, true, 0);
                        }
                        existing => {
                            if existing.is_ok() {
                                cx.remove(path, false)?;
                            }
                            cx.fs.mkdir(abs, *meta).map_err(|e| vfs_error(path, e))?;
                            cx.obs.written(path, existing.is_ok(), 0);
                        }
                    }
                }
                EntryKind::Node { kind, meta } => {
                    cx.parents(path)?;
                    let size = if let Kind::File(blob) = kind {
                        blob.len()
                    } else {
                        0
                    };
                    // Most entries are new: try to create first, replace if taken.
                    let created = match cx.fs.create_direct(path, kind, *meta) {
                        Some(result) => result,
                        None => cx.fs.create(path, kind.clone(), *meta),
                    };
                    let existed = match created {
                        Ok(()) => false,
                        Err(e) if e.kind == ErrorKind::AlreadyExists => {
                            cx.remove(path, false)?;
                            cx.fs
                                .create(path, kind.clone(), *meta)
                                .map_err(|e| vfs_error(path, e))?;
                            true
                        }
                        Err(e) => return Err(vfs_error(path, e)),
                    };
                    cx.obs.written(path, existed, size);
                }
                EntryKind::Hardlink { target, .. } => {
                    cx.parents(path)?;
                    let (abs, target_abs) = (vfs_path(path), vfs_path(target));
                    let target_stat = cx.fs.lstat(target_abs).map_err(|_| {
                        LayerError::new(path, format!("hard link target '{target}' does not exist"))
                    })?;
                    if target_stat.is_dir() {
                        return Err(LayerError::new(
                            path,
                            format!("hard link target '{target}' is a directory"),
                        ));
                    }
                    if target == path {
                        continue;
                    }
                    let existing = cx.fs.lstat(abs).ok();
                    if let Some(stat) = &existing {
                        if stat.inode.is_some() && stat.inode == target_stat.inode {
                            cx.obs.written(path, true, 0);
                            continue;
                        }
                        cx.remove(path, false)?;
                    }
                    cx.fs
                        .hard_link(target_abs, abs)
                        .map_err(|e| vfs_error(path, e))?;
                    cx.obs.written(path, existing.is_some(), 0);
                }
            }
        }
        Ok(())
    }
}

struct Apply<'a> {
    fs: &'a mut Vfs,
    obs: &'a mut dyn ApplyObserver,
    detailed: bool,
    /// The last parent directory found to exist: entries come grouped by directory,
    /// so most entries skip the check. Cleared whenever something is removed.
    checked_parent: Option<String>,
}

impl Apply<'_> {
    /// Removes `path` and reports it (itself only if `report_self`) and everything
    /// below it as removed.
    fn remove(&mut self, path: &str, report_self: bool) -> Result<(), LayerError> {
        self.checked_parent = None;
        let abs = vfs_path(path);
        if self.detailed {
            let stat = self.fs.lstat(abs).map_err(|e| vfs_error(path, e))?;
            if report_self {
                self.obs.removed(path, &stat, true);
            }
            if stat.is_dir() {
                for below in self.fs.walk(abs).map_err(|e| vfs_error(path, e))? {
                    self.obs.removed(&below.path, &below.stat, false);
                }
            }
        }
        self.fs.remove_all(abs).map_err(|e| vfs_error(path, e))
    }

    /// Makes sure the parent directories of `path` exist, creating missing ones
    /// 0755 root-owned (an imported tar may omit them).
    fn parents(&mut self, path: &str) -> Result<(), LayerError> {
        let Some((parent, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        if self.checked_parent.as_deref() == Some(parent) {
            return Ok(());
        }
        match self.fs.stat(parent) {
            Ok(stat) if stat.is_dir() => {
                self.checked_parent = Some(parent.to_string());
                return Ok(());
            }
            Ok(_) => {
                return Err(LayerError::new(
                    path,
                    format!("parent '{parent}' is not a directory"),
                ))
            }
            Err(_) => {}
        }
        let mut prefix = String::new();
        for comp in parent.split('/') {
            prefix = join(&prefix, comp);
            let abs = prefix.as_str();
            match self.fs.stat(abs) {
                Ok(stat) if stat.is_dir() => {}
                Ok(_) => {
                    return Err(LayerError::new(
                        path,
                        format!("parent '{prefix}' is not a directory"),
                    ))
                }
                Err(_) => {
                    self.fs
                        .mkdir(abs, Meta::new(0o755))
                        .map_err(|e| vfs_error(path, e))?;
                    self.obs.written(&prefix, false, 0);
                }
            }
        }
        Ok(())
    }
}

/// The path as the filesystem takes it: relative paths start at the root, and the
/// root itself is `/`.
fn vfs_path(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn vfs_error(path: &str, e: VfsError) -> LayerError {
    LayerError::new(path, e.kind.to_string().to_lowercase())
}
