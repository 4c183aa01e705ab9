//! The union (overlay) view of a layer stack: what a container of an image sees,
//! and where every entry of it comes from.
//!
//! `Union::new(layers)` applies the layers in order onto an empty filesystem, with
//! OCI whiteout semantics (`layer::apply`), and records on the way, per path, every
//! layer that wrote it (the last is its origin, the earlier ones the versions it
//! shadows), every entry deleted and by which layer, and per layer the change list
//! `docker diff` would print (A for added, C for changed, D for deleted). Any prefix
//! of an image's stack is an intermediate image: `Union::new(&layers[..=n])`, or
//! `push` one layer at a time.
//!
//! Wasted space follows dive's efficiency idea (bytes of a path found in several
//! layers, or deleted, are waste) but counts the N-1 copies that do not survive,
//! not all N (dive issue #684): a file written twice wastes the first copy only; a
//! file written then deleted wastes its size once.

#[cfg(test)]
mod tests;

use crate::context::glob::{BadPattern, Glob};
use crate::layer::{ApplyObserver, Layer, LayerError};
use crate::vfs::blob::Blob;
use crate::vfs::{Stat, Vfs, VfsError};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// The merged view of a stack of layers, with per-path provenance.
#[derive(Clone, Default)]
pub struct Union {
    fs: Vfs,
    paths: PathMap,
    deletions: Vec<Deletion>,
    changes: Vec<Vec<LayerChange>>,
}

/// Every layer that wrote one path, bottom first, and whether it is still there.
/// The first version is held inline: most paths are written once, and one
/// allocation per path was a tenth of the union's build time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathHistory {
    first: Version,
    later: Vec<Version>,
    present: bool,
}

impl PathHistory {
    /// One per layer that wrote the path, bottom first.
    pub fn versions(&self) -> Vec<Version> {
        std::iter::once(self.first)
            .chain(self.later.iter().copied())
            .collect()
    }

    /// The last version written (the visible one when `is_present`).
    pub fn latest(&self) -> Version {
        *self.later.last().unwrap_or(&self.first)
    }

    /// How many layers wrote the path.
    pub fn count(&self) -> usize {
        1 + self.later.len()
    }

    /// Whether the path is in the merged view.
    pub fn is_present(&self) -> bool {
        self.present
    }

    fn total_size(&self) -> u64 {
        self.first.size + self.later.iter().map(|v| v.size).sum::<u64>()
    }
}

/// One layer's version of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    /// Index of the layer in the stack (0 = bottom).
    pub layer: usize,
    /// Bytes of the regular file written (0 for anything else).
    pub size: u64,
}

/// An entry deleted on the way up the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deletion {
    /// Relative path of the deleted entry.
    pub path: String,
    /// The layer whose whiteout, opaque marker or replacement deleted it.
    pub layer: usize,
    /// The layer that had written the deleted version.
    pub origin: Option<usize>,
    /// Bytes of the deleted regular file (0 for anything else).
    pub size: u64,
}

/// One line of `docker diff` for a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerChange {
    /// Relative path (shared with the union's path table).
    pub path: Arc<str>,
    /// `A`, `C` or `D`.
    pub kind: ChangeLetter,
}

/// The letter `docker diff` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeLetter {
    /// Added: nothing was at this path below.
    Added,
    /// Changed: the layer rewrote a path that existed below (parent directories of
    /// changes included, as `docker diff` shows them).
    Changed,
    /// Deleted by a whiteout or an opaque marker.
    Deleted,
}

impl ChangeLetter {
    /// `A`, `C` or `D`.
    pub fn letter(self) -> char {
        match self {
            ChangeLetter::Added => 'A',
            ChangeLetter::Changed => 'C',
            ChangeLetter::Deleted => 'D',
        }
    }
}

/// An entry of a directory listing of the merged view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnionEntry {
    /// The entry's name in the directory.
    pub name: String,
    /// Kind, metadata, size.
    pub stat: Stat,
    /// The layer the visible version comes from.
    pub origin: Option<usize>,
    /// Lower layers whose versions of this path it shadows (or that were deleted).
    pub shadowed: Vec<usize>,
}

/// A path of the merged view that a search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Absolute path (`/app/requirements.txt`).
    pub path: String,
    /// Kind, metadata, size.
    pub stat: Stat,
    /// The layer the visible version comes from.
    pub origin: Option<usize>,
}

/// What `find` returns: the first matches in walk order, and whether there were more.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// At most `limit` paths, depth first, names in byte order.
    pub found: Vec<Found>,
    /// More paths matched than `limit`.
    pub truncated: bool,
}

/// Wasted space of an image, dive-style with N-1 counting (see the module docs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Waste {
    /// Bytes of every regular file in every layer.
    pub total_bytes: u64,
    /// Bytes in layers that are not visible in the merged view.
    pub wasted_bytes: u64,
    /// `(total - wasted) / total`, 1.0 for an image without file bytes.
    pub efficiency: f64,
    /// Paths that waste bytes, most first (ties by path).
    pub files: Vec<WastedFile>,
}

/// A path whose bytes appear in more than one layer, or were deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WastedFile {
    /// Relative path.
    pub path: String,
    /// How many layers wrote it.
    pub copies: usize,
    /// Bytes of all its versions.
    pub total_bytes: u64,
    /// Bytes of the versions that are not visible.
    pub wasted_bytes: u64,
}

impl Union {
    /// The merged view of `layers`, bottom first.
    pub fn new<'a>(layers: impl IntoIterator<Item = &'a Layer>) -> Result<Union, LayerError> {
        let mut union = Union::default();
        for layer in layers {
            union.push(layer)?;
        }
        Ok(union)
    }

    /// Puts one more layer on top. If the layer cannot be applied, the error names
    /// the entry and the union keeps what was applied up to it.
    pub fn push(&mut self, layer: &Layer) -> Result<(), LayerError> {
        self.paths.reserve(layer.entries().len());
        let mut recorder = Recorder {
            paths: &mut self.paths,
            deletions: &mut self.deletions,
            layer: self.changes.len(),
            changes: Vec::with_capacity(layer.entries().len()),
        };
        let result = layer.apply_observed(&mut self.fs, &mut recorder);
        let changes = recorder.changes;
        self.changes.push(changes);
        result
    }

    /// The merged filesystem.
    pub fn fs(&self) -> &Vfs {
        &self.fs
    }

    /// How many layers are stacked.
    pub fn layer_count(&self) -> usize {
        self.changes.len()
    }

    /// Every layer that wrote `path` (absolute or relative), and whether it is visible.
    pub fn history(&self, path: &str) -> Option<&PathHistory> {
        self.paths.get(relative(path))
    }

    /// The layer the visible version of `path` comes from.
    pub fn origin(&self, path: &str) -> Option<usize> {
        self.history(path)
            .filter(|h| h.present)
            .map(|h| h.latest().layer)
    }

    /// Every entry deleted on the way up, in the order the layers deleted them.
    pub fn deletions(&self) -> &[Deletion] {
        &self.deletions
    }

    /// The `docker diff` lines of layer `layer` (empty for an index out of range).
    pub fn changes(&self, layer: usize) -> &[LayerChange] {
        self.changes.get(layer).map_or(&[], Vec::as_slice)
    }

    /// The entries of directory `path` in the merged view, with their origins.
    pub fn list_dir(&self, path: &str) -> Result<Vec<UnionEntry>, VfsError> {
        let dir = self.fs.canonicalize(path)?;
        let dir = relative(&dir);
        Ok(self
            .fs
            .read_dir(path)?
            .into_iter()
            .map(|(name, stat)| {
                let full = if dir.is_empty() {
                    name.clone()
                } else {
                    format!("{dir}/{name}")
                };
                let (origin, shadowed) = match self.paths.get(full.as_str()) {
                    Some(h) => {
                        let versions = h.versions();
                        let shadowed = versions[..versions.len() - 1]
                            .iter()
                            .map(|v| v.layer)
                            .collect();
                        (Some(h.latest().layer), shadowed)
                    }
                    None => (None, Vec::new()),
                };
                UnionEntry {
                    name,
                    stat,
                    origin,
                    shadowed,
                }
            })
            .collect())
    }

    /// The entries deleted directly inside directory `path` on the way up the
    /// stack that are not in the merged view now (a name deleted and written again
    /// is visible, not deleted), the last deletion of each, sorted by path. This is
    /// what a file browser shows as whited-out entries of that directory.
    pub fn deleted_in(&self, path: &str) -> Vec<&Deletion> {
        let dir = relative(path).trim_end_matches('/');
        let mut latest: Vec<&Deletion> = Vec::new();
        for deletion in &self.deletions {
            let parent = deletion.path.rsplit_once('/').map_or("", |(p, _)| p);
            if parent != dir || self.history(&deletion.path).is_some_and(|h| h.present) {
                continue;
            }
            match latest.iter_mut().find(|d| d.path == deletion.path) {
                Some(slot) => *slot = deletion,
                None => latest.push(deletion),
            }
        }
        crate::sort::sort_by(&mut latest, |a, b| a.path.cmp(&b.path));
        latest
    }

    /// The paths of the merged view that `pattern` names, at most `limit`, in walk
    /// order. A pattern without wildcards matches as a substring of the absolute
    /// path (`requirements` finds `/app/requirements.txt`); one with `*`, `?` or
    /// `[...]` is a glob in `.dockerignore`'s dialect (`**` for any directories),
    /// matched against the base name when it has no `/` (`*.conf`) and against the
    /// whole path otherwise (`/etc/**/*.conf`). An empty pattern finds nothing.
    pub fn find(&self, pattern: &str, limit: usize) -> Result<Matches, BadPattern> {
        let mut matches = Matches::default();
        if pattern.is_empty() {
            return Ok(matches);
        }
        let glob = if Glob::has_wildcards(pattern) {
            Some(Glob::ignore(relative(pattern))?)
        } else {
            None
        };
        let whole_path = pattern.contains('/');
        for entry in self.fs.walk("/").unwrap_or_default() {
            let hit = match &glob {
                Some(glob) if whole_path => glob.matches(&entry.path),
                Some(glob) => glob.matches(entry.path.rsplit('/').next().unwrap_or("")),
                None => format!("/{}", entry.path).contains(pattern),
            };
            if !hit {
                continue;
            }
            if matches.found.len() == limit {
                matches.truncated = true;
                break;
            }
            matches.found.push(Found {
                origin: self.origin(&entry.path),
                path: format!("/{}", entry.path),
                stat: entry.stat,
            });
        }
        Ok(matches)
    }

    /// The contents of the file at `path` in the merged view.
    pub fn read_file(&self, path: &str) -> Result<Blob, VfsError> {
        self.fs.read_file(path)
    }

    /// Wasted bytes and efficiency of the stack (see the module docs).
    pub fn waste(&self) -> Waste {
        let mut total = 0u64;
        let mut wasted = 0u64;
        let mut files = Vec::new();
        for (path, h) in &self.paths {
            let all = h.total_size();
            let kept = if h.present { h.latest().size } else { 0 };
            total += all;
            let lost = all - kept.min(all);
            if lost > 0 {
                wasted += lost;
                files.push(WastedFile {
                    path: path.to_string(),
                    copies: h.count(),
                    total_bytes: all,
                    wasted_bytes: lost,
                });
            }
        }
        crate::sort::sort_by(&mut files, |a, b| {
            b.wasted_bytes
                .cmp(&a.wasted_bytes)
                .then_with(|| a.path.cmp(&b.path))
        });
        let efficiency = if total == 0 {
            1.0
        } else {
            (total - wasted) as f64 / total as f64
        };
        Waste {
            total_bytes: total,
            wasted_bytes: wasted,
            efficiency,
            files,
        }
    }
}

/// Records what applying one layer does into the union's bookkeeping.
struct Recorder<'a> {
    paths: &'a mut PathMap,
    deletions: &'a mut Vec<Deletion>,
    layer: usize,
    changes: Vec<LayerChange>,
}

impl ApplyObserver for Recorder<'_> {
    fn written(&mut self, path: &str, existed: bool, size: u64) {
        let version = Version {
            layer: self.layer,
            size,
        };
        let key = match self.paths.get_mut(path) {
            Some(h) => {
                h.later.push(version);
                h.present = true;
                self.paths.get_key_value(path).map(|(k, _)| k.clone())
            }
            None => None,
        };
        let key = key.unwrap_or_else(|| {
            let key: Arc<str> = Arc::from(path);
            self.paths.insert(
                key.clone(),
                PathHistory {
                    first: version,
                    later: Vec::new(),
                    present: true,
                },
            );
            key
        });
        let kind = if existed {
            ChangeLetter::Changed
        } else {
            ChangeLetter::Added
        };
        self.changes.push(LayerChange { path: key, kind });
    }

    fn removed(&mut self, path: &str, stat: &Stat, top: bool) {
        let origin = match self.paths.get_mut(path) {
            Some(h) => {
                h.present = false;
                Some(h.latest().layer)
            }
            None => None,
        };
        self.deletions.push(Deletion {
            path: path.to_string(),
            layer: self.layer,
            origin,
            size: stat.size(),
        });
        if top {
            self.changes.push(LayerChange {
                path: Arc::from(path),
                kind: ChangeLetter::Deleted,
            });
        }
    }
}

/// Paths to their histories. Keys are shared with the change lists; the hasher is
/// a simple multiplicative one because SipHash dominated the union's build time.
type PathMap = HashMap<Arc<str>, PathHistory, BuildHasherDefault<PathHasher>>;

/// FxHash-style hashing (rotate, xor, multiply) of 8-byte words.
#[derive(Default)]
struct PathHasher(u64);

impl Hasher for PathHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn relative(path: &str) -> &str {
    path.trim_start_matches('/')
}
