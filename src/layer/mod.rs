//! Layers: what one build step changed, as the OCI layer tar a real builder writes.
//!
//! A `Layer` is an ordered list of tar entries (`LayerEntry`): directories, files,
//! symlinks, hard links, devices, whiteouts and opaque markers, in the exact order
//! they go into the tar. It is made three ways:
//!
//! - `Layer::diff(parent, child, style)` compares two filesystems (`diff.rs`);
//! - `Layer::from_tar(bytes)` reads a real layer tar (`read.rs`), rejecting
//!   malformed whiteouts;
//! - `Layer::from_entries` for callers that already know the entries.
//!
//! and used two ways: `write_tar`/`tar`/`diff_id` serialise it deterministically
//! (`tar.rs`: byte-identical for the same filesystems, so digests are stable), and
//! `apply_to` replays it onto a filesystem with OCI whiteout semantics (`apply.rs`),
//! which is how imported images, the union view and the round-trip tests work.

mod apply;
mod diff;
mod read;
mod tar;
#[cfg(test)]
mod tests;

use crate::digest::Digest;
use crate::vfs::{listing_key, Kind, Meta};
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use apply::ApplyObserver;

/// How deletions and recreated directories are written, the one place where
/// Docker's builders disagree (`../shared/docs/SEMANTICS.md` §6 and §10.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffStyle {
    /// BuildKit (Docker's default builder): every removed name is its own
    /// `.wh.NAME`, also below a directory that was removed and recreated; never an
    /// opaque marker.
    BuildKit,
    /// The overlay driver (Docker's classic builder, buildah on overlay): a
    /// directory that replaced another one or a file wholesale gets a
    /// `.wh..wh..opq` marker and no whiteouts for its old children. One overlayfs
    /// effect is not modelled: its copy-up breaks a hard link to a lower file that
    /// is modified (SEMANTICS §6), whereas the `Vfs` keeps the link, so both names
    /// are written.
    Overlay,
}

/// One tar entry of a layer. `path` is relative to the root without a leading or
/// trailing `/` (`etc/passwd`); for a whiteout it is the path being deleted, for an
/// opaque marker the directory being made opaque (the tar names, `etc/.wh.passwd`
/// and `dir/.wh..wh..opq`, are derived when writing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerEntry {
    /// The path the entry is about (see the type docs).
    pub path: String,
    /// What the entry says about that path.
    pub change: EntryKind,
}

/// What a layer entry says about its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// The path is this node (directory, file, symlink, device or fifo).
    Node {
        /// File type and contents or target.
        kind: Kind,
        /// Mode, owner, mtime.
        meta: Meta,
    },
    /// The path is another name of the file `target` (a path written earlier in
    /// this layer, or present below it).
    Hardlink {
        /// The first name of the file, relative like `path`.
        target: String,
        /// The file's metadata (written in the header; unpackers ignore it).
        meta: Meta,
    },
    /// The path is deleted from the layers below (`.wh.NAME`).
    Whiteout,
    /// Everything the layers below had inside this directory is hidden
    /// (`.wh..wh..opq`).
    Opaque,
}

/// A layer: tar entries in tar order, with the diffID computed once on demand.
/// A layer read from a tar keeps that tar's bytes, so it is written back byte for
/// byte and keeps its real diffID (an imported image keeps its digests).
#[derive(Clone, Default)]
pub struct Layer {
    entries: Vec<LayerEntry>,
    diff_id: OnceLock<Digest>,
    original: Option<Arc<[u8]>>,
}

/// What a diff found, path by path, as `docker diff` reports it (one line per
/// added or changed path, deletions only at the top of a deleted subtree).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Relative path.
    pub path: String,
    /// Added, modified (and how) or deleted.
    pub kind: ChangeKind,
}

/// The kind of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// The path is new.
    Added,
    /// The path existed and was touched.
    Modified {
        /// A file became a directory, a symlink a file, and so on.
        type_changed: bool,
        /// Contents or link target differ.
        content_changed: bool,
        /// Mode, owner or mtime differ.
        metadata_changed: bool,
    },
    /// The path is gone.
    Deleted,
}

/// Counts of a diff's changes, as a build step summary shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    /// New paths.
    pub added: usize,
    /// Touched paths (every kind of modification).
    pub modified: usize,
    /// Deleted paths (tops of deleted subtrees).
    pub deleted: usize,
    /// Modifications that changed the type of the node.
    pub type_changed: usize,
    /// Modifications of mode, owner or mtime only (contents and type equal).
    pub metadata_only: usize,
}

/// A diff between two filesystems: the layer to write and the changes it carries.
#[derive(Clone)]
pub struct Diff {
    /// The layer (tar entries).
    pub layer: Layer,
    /// Every change, in tar order.
    pub changes: Vec<Change>,
}

/// A layer tar that cannot be read or applied: which entry and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerError {
    /// The entry's name as found in the tar (or the path being applied).
    pub entry: String,
    /// Lower-case reason, no trailing period.
    pub message: String,
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "layer entry '{}': {}", self.entry, self.message)
    }
}

impl std::error::Error for LayerError {}

impl LayerError {
    fn new(entry: &str, message: impl Into<String>) -> LayerError {
        LayerError {
            entry: entry.to_string(),
            message: message.into(),
        }
    }
}

impl Layer {
    /// A layer with exactly these entries, in this order (for importers and tests;
    /// `diff` is how builds make layers).
    pub fn from_entries(entries: Vec<LayerEntry>) -> Layer {
        Layer {
            entries,
            diff_id: OnceLock::new(),
            original: None,
        }
    }

    /// The tar this layer was read from, if it was read from one.
    pub fn original_tar(&self) -> Option<&[u8]> {
        self.original.as_deref()
    }

    /// The entries in tar order.
    pub fn entries(&self) -> &[LayerEntry] {
        &self.entries
    }

    /// Whether the layer has no entries (its tar is still 1024 zero bytes).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// This layer with its diffID given instead of hashed, for a layer whose tar is
    /// known to hash to `diff_id` (the catalog's table of base layers). Debug builds
    /// hash it anyway and check, so a stale table fails every debug test that uses it.
    pub fn with_known_diff_id(self, diff_id: Digest) -> Layer {
        debug_assert_eq!(self.diff_id(), diff_id, "a stale known diffID");
        let _ = self.diff_id.set(diff_id);
        self
    }

    /// The diffID: sha256 of the uncompressed tar, computed once.
    pub fn diff_id(&self) -> Digest {
        *self.diff_id.get_or_init(|| {
            let mut hasher = crate::digest::Hasher::new();
            // Writing into a hasher cannot fail.
            let _ = self.write_tar(&mut hasher);
            hasher.finish()
        })
    }

    /// The size `docker history` shows for this layer: what moby's graph drivers
    /// report as the layer's `DiffSize` (`pkg/directory.Size` over the layer's
    /// directory): the lstat size of every non-directory, so regular file bytes
    /// plus the length of each symlink target, each hard-linked file once (link
    /// entries add nothing), directories and whiteouts 0. Tar headers and padding
    /// are not counted.
    pub fn size(&self) -> u64 {
        self.entries
            .iter()
            .map(|e| match &e.change {
                EntryKind::Node {
                    kind: Kind::File(blob),
                    ..
                } => blob.len(),
                EntryKind::Node {
                    kind: Kind::Symlink(target),
                    ..
                } => target.len() as u64,
                _ => 0,
            })
            .sum()
    }

    /// The layer in the oracle's listing format (`PATH TYPE MODE UID:GID SIZE
    /// EXTRA`, sorted by path), as `../shared/oracle/list.py` prints a layer tar.
    pub fn listing(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .entries
            .iter()
            .map(|e| match &e.change {
                EntryKind::Node {
                    kind: Kind::Symlink(target),
                    meta,
                } => {
                    format!("{} l 0777 {}:{} 0 ->{target}", e.path, meta.uid, meta.gid)
                }
                EntryKind::Node { kind, meta } => crate::vfs::listing_line(&e.path, kind, meta),
                EntryKind::Hardlink { target, meta } => format!(
                    "{} h {:04o} {}:{} 0 ->{target}",
                    e.path,
                    meta.mode & 0o7777,
                    meta.uid,
                    meta.gid
                ),
                EntryKind::Whiteout => format!("{} W 0000 0:0 0 -", whiteout_name(&e.path)),
                EntryKind::Opaque => format!("{} O 0755 0:0 0 -", opaque_name(&e.path)),
            })
            .collect();
        crate::sort::sort_by(&mut lines, |a, b| listing_key(a).cmp(listing_key(b)));
        lines
    }
}

impl Diff {
    /// Counts of added, modified, deleted, type-changed and metadata-only paths.
    pub fn counts(&self) -> ChangeCounts {
        let mut c = ChangeCounts::default();
        for change in &self.changes {
            match change.kind {
                ChangeKind::Added => c.added += 1,
                ChangeKind::Deleted => c.deleted += 1,
                ChangeKind::Modified {
                    type_changed,
                    content_changed,
                    metadata_changed,
                } => {
                    c.modified += 1;
                    if type_changed {
                        c.type_changed += 1;
                    } else if metadata_changed && !content_changed {
                        c.metadata_only += 1;
                    }
                }
            }
        }
        c
    }
}

impl fmt::Debug for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.listing()).finish()
    }
}

/// Equal entries in equal order (so equal tars).
impl PartialEq for Layer {
    fn eq(&self, other: &Layer) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Layer {}

/// The tar name of the whiteout deleting `path` (`etc/passwd` → `etc/.wh.passwd`).
pub fn whiteout_name(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, base)) => format!("{dir}/.wh.{base}"),
        None => format!(".wh.{path}"),
    }
}

/// The tar name of the opaque marker of directory `path` (`""` is the root).
pub fn opaque_name(path: &str) -> String {
    if path.is_empty() {
        ".wh..wh..opq".to_string()
    } else {
        format!("{path}/.wh..wh..opq")
    }
}
