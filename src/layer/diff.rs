//! The diff between a parent and a child filesystem, in either builder's style.
//!
//! Both filesystems are persistent trees that share untouched nodes, so a subtree
//! whose directory node is pointer-equal in both is skipped without a look inside,
//! and a file is "touched" when its node is not the parent's node (what an overlay
//! upper directory records: a file rewritten with equal bytes is listed again).
//! A directory is recreated when its identity differs. Entries come out in tar
//! order: depth first, names byte-wise, a directory before its contents, a
//! whiteout where the deleted name sorts, an opaque marker right after its
//! directory, and every changed entry preceded by its parent directories.

use super::{Change, ChangeKind, Diff, DiffStyle, EntryKind, Layer, LayerEntry};
use crate::vfs::{Dir, Entry, Kind, Leaf, Vfs};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

impl Layer {
    /// The layer that turns `parent` into `child`, written in `style`, with the
    /// list of changes. Applying the layer to `parent` gives a filesystem equal to
    /// `child` (same nodes, contents, metadata and hard-link groups).
    pub fn diff(parent: &Vfs, child: &Vfs, style: DiffStyle) -> Diff {
        let mut differ = Differ::new(parent, child, style, HashSet::new());
        differ.run();
        // A hard-linked file emitted under some of its names only (it sat below a
        // recreated directory) would lose its other names when the layer is
        // applied: emit every name of such files, in a second pass.
        let partial = differ.partially_emitted_inodes();
        if !partial.is_empty() {
            differ = Differ::new(parent, child, style, partial);
            differ.run();
        }
        Diff {
            layer: Layer::from_entries(differ.entries),
            changes: differ.changes,
        }
    }
}

struct Differ<'a> {
    parent: &'a Vfs,
    child: &'a Vfs,
    style: DiffStyle,
    entries: Vec<LayerEntry>,
    changes: Vec<Change>,
    /// First name written in this layer of each hard-linked inode.
    first_names: HashMap<u64, String>,
    /// Names written per hard-linked inode.
    written_names: HashMap<u64, u32>,
    /// Inodes that must be written under every name.
    must_emit: HashSet<u64>,
    /// Whether a hard-linked inode changed: its names may sit in directories that
    /// are pointer-equal (the change is in the link table), so no subtree may be
    /// skipped.
    links_changed: bool,
}

/// What makes a leaf "the same node": its allocation, and for hard-linked files
/// the inode and its link count (a new name re-emits every name).
#[derive(PartialEq, Eq)]
struct LeafIdentity {
    node: *const Leaf,
    inode: Option<(u64, u32)>,
}

impl<'a> Differ<'a> {
    fn new(
        parent: &'a Vfs,
        child: &'a Vfs,
        style: DiffStyle,
        must_emit: HashSet<u64>,
    ) -> Differ<'a> {
        Differ {
            parent,
            child,
            style,
            entries: Vec::new(),
            changes: Vec::new(),
            first_names: HashMap::new(),
            written_names: HashMap::new(),
            must_emit,
            links_changed: parent.links_differ(child),
        }
    }

    fn run(&mut self) {
        let (p, c) = (self.parent.root_dir(), self.child.root_dir());
        if self.links_changed || !Arc::ptr_eq(p, c) {
            self.children(Some(p), c, "", false, false);
        }
    }

    fn partially_emitted_inodes(&self) -> HashSet<u64> {
        self.written_names
            .iter()
            .filter(|(ino, written)| {
                self.child
                    .linked(**ino)
                    .is_some_and(|l| l.nlink > **written)
            })
            .map(|(ino, _)| *ino)
            .collect()
    }

    /// Diffs the children of a directory. `force`: every child of `c` is written
    /// (its directory was recreated or is new). `opaque`: an opaque marker above
    /// already hides the lower entries, so no whiteouts are needed.
    fn children(&mut self, p: Option<&Dir>, c: &Dir, prefix: &str, force: bool, opaque: bool) {
        let empty = BTreeMap::new();
        let p_children = p.map_or(&empty, |d| &d.children);
        let mut pi = p_children.iter().peekable();
        let mut ci = c.children.iter().peekable();
        loop {
            let order = match (pi.peek(), ci.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((pn, _)), Some((cn, _))) => pn.cmp(cn),
            };
            let (name, pe, ce) = match order {
                Ordering::Less => match pi.next() {
                    Some((n, e)) => (n, Some(e), None),
                    None => break,
                },
                Ordering::Greater => match ci.next() {
                    Some((n, e)) => (n, None, Some(e)),
                    None => break,
                },
                Ordering::Equal => match (pi.next(), ci.next()) {
                    (Some((n, pe)), Some((_, ce))) => (n, Some(pe), Some(ce)),
                    _ => break,
                },
            };
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            match (pe, ce) {
                (Some(_), None) => {
                    self.change(&path, ChangeKind::Deleted);
                    if !opaque {
                        self.entries.push(LayerEntry {
                            path,
                            change: EntryKind::Whiteout,
                        });
                    }
                }
                (None, Some(ce)) => self.added(ce, path, opaque),
                (Some(pe), Some(ce)) => self.both(pe, ce, path, force, opaque),
                (None, None) => {}
            }
        }
    }

    /// A path that is new in the child: it and everything below it.
    fn added(&mut self, ce: &Entry, path: String, opaque: bool) {
        self.change(&path, ChangeKind::Added);
        match ce {
            Entry::Dir(cd) => {
                self.dir_entry(cd, path.clone());
                self.children(None, cd, &path, true, opaque);
            }
            _ => self.leaf_entry(ce, path),
        }
    }

    fn both(&mut self, pe: &Entry, ce: &Entry, path: String, force: bool, opaque: bool) {
        match (pe, ce) {
            (Entry::Dir(pd), Entry::Dir(cd)) => {
                if !force && !self.links_changed && Arc::ptr_eq(pd, cd) {
                    return;
                }
                let recreated = pd.id != cd.id;
                let meta_changed = pd.meta != cd.meta;
                if recreated || meta_changed {
                    self.change(
                        &path,
                        ChangeKind::Modified {
                            type_changed: false,
                            content_changed: false,
                            metadata_changed: meta_changed,
                        },
                    );
                }
                let mark = self.entries.len();
                let written = force || recreated || meta_changed;
                if written {
                    self.dir_entry(cd, path.clone());
                }
                let mut child_opaque = opaque;
                if recreated && self.style == DiffStyle::Overlay && !opaque {
                    self.entries.push(LayerEntry {
                        path: path.clone(),
                        change: EntryKind::Opaque,
                    });
                    child_opaque = true;
                }
                self.children(Some(pd), cd, &path, force || recreated, child_opaque);
                if !written && self.entries.len() > mark {
                    // A directory that only contains changes comes with its current
                    // metadata, before them.
                    let entry = LayerEntry {
                        path,
                        change: EntryKind::Node {
                            kind: Kind::Dir,
                            meta: cd.meta,
                        },
                    };
                    self.entries.insert(mark, entry);
                }
            }
            (Entry::Dir(_), _) => {
                self.change(&path, type_change());
                self.leaf_entry(ce, path);
            }
            (_, Entry::Dir(cd)) => {
                self.change(&path, type_change());
                self.dir_entry(cd, path.clone());
                let mut child_opaque = opaque;
                if self.style == DiffStyle::Overlay && !opaque {
                    self.entries.push(LayerEntry {
                        path: path.clone(),
                        change: EntryKind::Opaque,
                    });
                    child_opaque = true;
                }
                self.children(None, cd, &path, true, child_opaque);
            }
            _ => {
                let (pid, cid) = (
                    self.identity(self.parent, pe),
                    self.identity(self.child, ce),
                );
                let must = match ce {
                    Entry::Linked(ino) => self.must_emit.contains(ino),
                    _ => false,
                };
                if pid == cid && !force && !must {
                    return;
                }
                if pid != cid {
                    let (pl, cl) = (self.parent.leaf_of(pe), self.child.leaf_of(ce));
                    if let (Some(pl), Some(cl)) = (pl, cl) {
                        let type_changed = pl.kind.letter() != cl.kind.letter();
                        self.change(
                            &path,
                            ChangeKind::Modified {
                                type_changed,
                                content_changed: !type_changed && pl.kind != cl.kind,
                                metadata_changed: pl.meta != cl.meta,
                            },
                        );
                    }
                }
                self.leaf_entry(ce, path);
            }
        }
    }

    fn identity(&self, fs: &Vfs, entry: &Entry) -> Option<LeafIdentity> {
        let leaf = fs.leaf_of(entry)?;
        let inode = match entry {
            Entry::Linked(ino) => fs.linked(*ino).map(|l| (*ino, l.nlink)),
            _ => None,
        };
        Some(LeafIdentity {
            node: Arc::as_ptr(leaf),
            inode,
        })
    }

    fn change(&mut self, path: &str, kind: ChangeKind) {
        self.changes.push(Change {
            path: path.to_string(),
            kind,
        });
    }

    fn dir_entry(&mut self, dir: &Dir, path: String) {
        self.entries.push(LayerEntry {
            path,
            change: EntryKind::Node {
                kind: Kind::Dir,
                meta: dir.meta,
            },
        });
    }

    fn leaf_entry(&mut self, entry: &Entry, path: String) {
        let Some(leaf) = self.child.leaf_of(entry) else {
            return;
        };
        if let Entry::Linked(ino) = entry {
            *self.written_names.entry(*ino).or_insert(0) += 1;
            if let Some(first) = self.first_names.get(ino) {
                let change = EntryKind::Hardlink {
                    target: first.clone(),
                    meta: leaf.meta,
                };
                self.entries.push(LayerEntry { path, change });
                return;
            }
            self.first_names.insert(*ino, path.clone());
        }
        let change = EntryKind::Node {
            kind: leaf.kind.clone(),
            meta: leaf.meta,
        };
        self.entries.push(LayerEntry { path, change });
    }
}

fn type_change() -> ChangeKind {
    ChangeKind::Modified {
        type_changed: true,
        content_changed: false,
        metadata_changed: false,
    }
}
