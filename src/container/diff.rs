//! `docker diff` of a container: its writable layer read the way moby reads an
//! overlay upper directory (`pkg/archive`'s `changes`, used by `OverlayChanges`).
//!
//! The layer is walked in tar order, which is `filepath.Walk`'s order (depth
//! first, names byte-wise). A whiteout is `D`; a directory marked opaque is `D`
//! too (moby reports the opaque directory as deleted, then its new contents). Any
//! other entry is `C` when the path exists in the image below and `A` when it
//! does not, except that a directory copied up only because something inside it
//! changed (same mode, owner and mtime as below) is skipped. Then moby's one
//! extra rule: the parent of an added or deleted path is listed as `C` (once, and
//! never `/`), because adding or removing a name changes its directory even when
//! the directory's metadata did not change (moby pull request 13590). The rows
//! are sorted by path as plain strings, moby's `changesByPath`.

use crate::layer::{EntryKind, Layer};
use crate::union::ChangeLetter;
use crate::vfs::{Kind, Vfs};
use std::collections::HashSet;

/// One line of `docker diff`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffRow {
    /// `A`, `C` or `D`.
    pub kind: ChangeLetter,
    /// Absolute path (`/etc/passwd`).
    pub path: String,
}

impl std::fmt::Display for DiffRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind.letter(), self.path)
    }
}

/// The `docker diff` lines of `layer` over the filesystem `lower` (see the module docs).
pub fn docker_diff(layer: &Layer, lower: &Vfs) -> Vec<DiffRow> {
    let entries = layer.entries();
    let opaque: HashSet<&str> = entries
        .iter()
        .filter(|e| e.change == EntryKind::Opaque)
        .map(|e| e.path.as_str())
        .collect();
    let mut rows = Vec::new();
    let mut changed_dirs: HashSet<String> = HashSet::new();
    for entry in entries {
        let path = format!("/{}", entry.path);
        let (kind, is_dir) = match &entry.change {
            EntryKind::Opaque => continue,
            EntryKind::Whiteout => (ChangeLetter::Deleted, false),
            EntryKind::Node { kind, meta } => {
                let is_dir = matches!(kind, Kind::Dir);
                if is_dir && opaque.contains(entry.path.as_str()) {
                    (ChangeLetter::Deleted, true)
                } else {
                    match lower.lstat(&path) {
                        Ok(below) => {
                            let same_dir = is_dir
                                && below.is_dir()
                                && below.meta.mode == meta.mode
                                && below.meta.uid == meta.uid
                                && below.meta.gid == meta.gid
                                && below.meta.mtime == meta.mtime;
                            if same_dir {
                                continue;
                            }
                            (ChangeLetter::Changed, is_dir)
                        }
                        Err(_) => (ChangeLetter::Added, is_dir),
                    }
                }
            }
            EntryKind::Hardlink { .. } => match lower.lstat(&path) {
                Ok(_) => (ChangeLetter::Changed, false),
                Err(_) => (ChangeLetter::Added, false),
            },
        };
        if is_dir {
            changed_dirs.insert(path.clone());
        }
        if kind != ChangeLetter::Changed {
            let parent = match path.rfind('/') {
                Some(0) | None => "/".to_string(),
                Some(i) => path[..i].to_string(),
            };
            if parent != "/" && changed_dirs.insert(parent.clone()) {
                rows.push(DiffRow {
                    kind: ChangeLetter::Changed,
                    path: parent,
                });
            }
        }
        rows.push(DiffRow { kind, path });
    }
    crate::sort::sort_by(&mut rows, |a, b| a.path.cmp(&b.path));
    rows
}
