//! The in-memory filesystem every build step, layer and container works on.
//!
//! A `Vfs` is a persistent tree: directories and files are `Arc` nodes changed with
//! `Arc::make_mut`, so `clone()` is O(1) and a build step's filesystem shares every
//! untouched node with its parent's. That sharing is also how the layer diff tells
//! "touched" from "untouched" (the overlay driver lists a file rewritten with equal
//! bytes) and skips whole unchanged subtrees by pointer equality.
//!
//! - Directories carry an identity (`id`), so a directory removed and recreated is
//!   not the same directory even with equal metadata (opaque in overlay terms).
//! - Hard links: a name either owns its node (`Leaf`) or refers to an inode in a
//!   small shared table (`Linked`), so `chmod` through one name shows through the
//!   others.
//! - Contents are `Blob`s: shared, interned by digest, or generated on demand.
//! - Paths are resolved inside the root only: `..` at `/` stays at `/`, absolute
//!   symlink targets start again at this root, and more than 40 symlinks in one
//!   lookup is `ErrorKind::Loop`.
//! - Nothing here reads a clock: every mtime comes from the caller.

pub mod blob;
#[cfg(test)]
mod tests;

use blob::Blob;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

/// Symlinks followed in one lookup before giving up, as Linux's `MAXSYMLINKS`.
const MAX_SYMLINKS: u32 = 40;
/// Longest path accepted, as Linux's `PATH_MAX`.
const PATH_MAX: usize = 4096;
/// Longest name accepted, as Linux's `NAME_MAX`.
const NAME_MAX: usize = 255;

/// Owner, permissions and time of a node: what `ls -l` and a tar header show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Meta {
    /// Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000);
    /// never the file-type bits (the filesystem masks anything above 0o7777).
    pub mode: u32,
    /// Numeric owner.
    pub uid: u32,
    /// Numeric group.
    pub gid: u32,
    /// Modification time in seconds since the epoch, set by the caller.
    pub mtime: i64,
}

impl Meta {
    /// Metadata with `mode` (masked to 0o7777), owned by root, dated the epoch.
    pub const fn new(mode: u32) -> Meta {
        Meta {
            mode: mode & 0o7777,
            uid: 0,
            gid: 0,
            mtime: 0,
        }
    }

    /// The same metadata owned by `uid:gid`.
    pub const fn owned(self, uid: u32, gid: u32) -> Meta {
        Meta { uid, gid, ..self }
    }

    /// The same metadata dated `mtime`.
    pub const fn at(self, mtime: i64) -> Meta {
        Meta { mtime, ..self }
    }
}

/// What a node is. `Dir` only describes (children live in the tree); the other
/// kinds are also how a caller says what to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A directory.
    Dir,
    /// A regular file and its contents.
    File(Blob),
    /// A symbolic link and its target, stored as written.
    Symlink(String),
    /// A character device (shown after an import, never opened).
    CharDevice {
        /// Device major number.
        major: u32,
        /// Device minor number.
        minor: u32,
    },
    /// A block device (shown after an import, never opened).
    BlockDevice {
        /// Device major number.
        major: u32,
        /// Device minor number.
        minor: u32,
    },
    /// A named pipe.
    Fifo,
}

impl Kind {
    /// The one-letter type of the oracle's listings (`f d l c b p`).
    pub fn letter(&self) -> char {
        match self {
            Kind::Dir => 'd',
            Kind::File(_) => 'f',
            Kind::Symlink(_) => 'l',
            Kind::CharDevice { .. } => 'c',
            Kind::BlockDevice { .. } => 'b',
            Kind::Fifo => 'p',
        }
    }
}

/// What `stat`/`lstat` return: kind, metadata and hard-link facts of one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    /// File type and contents or target.
    pub kind: Kind,
    /// Mode, owner and mtime.
    pub meta: Meta,
    /// Number of names of this node (1 unless hard-linked; directories report 1).
    pub nlink: u32,
    /// The shared inode number of a hard-linked file, `None` for a node with one name.
    pub inode: Option<u64>,
}

impl Stat {
    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        self.kind == Kind::Dir
    }

    /// Bytes of a regular file, 0 for anything else (as the listings show).
    pub fn size(&self) -> u64 {
        match &self.kind {
            Kind::File(blob) => blob.len(),
            _ => 0,
        }
    }
}

/// The POSIX-like reason an operation failed; `Display` gives the `strerror` text
/// a shell prints (`rm: cannot remove 'x': No such file or directory`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// ENOENT.
    NotFound,
    /// ENOTDIR.
    NotADirectory,
    /// EISDIR.
    IsADirectory,
    /// ENOTEMPTY.
    NotEmpty,
    /// EEXIST.
    AlreadyExists,
    /// ELOOP: too many symlinks in one lookup.
    Loop,
    /// EINVAL: e.g. moving a directory into itself, or removing the root.
    InvalidArgument,
    /// EPERM: e.g. a hard link to a directory.
    NotPermitted,
    /// ENAMETOOLONG: a path over 4096 bytes or a name over 255, as Linux limits
    /// them (which also bounds how deep a tree from a hostile archive can be).
    NameTooLong,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::NotFound => "No such file or directory",
            ErrorKind::NotADirectory => "Not a directory",
            ErrorKind::IsADirectory => "Is a directory",
            ErrorKind::NotEmpty => "Directory not empty",
            ErrorKind::AlreadyExists => "File exists",
            ErrorKind::Loop => "Too many levels of symbolic links",
            ErrorKind::InvalidArgument => "Invalid argument",
            ErrorKind::NotPermitted => "Operation not permitted",
            ErrorKind::NameTooLong => "File name too long",
        })
    }
}

/// A failed filesystem operation: the path as the caller gave it and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VfsError {
    /// The path the caller passed (not the resolved one), ready to quote in a message.
    pub path: String,
    /// The POSIX-like reason.
    pub kind: ErrorKind,
}

impl VfsError {
    fn new(path: &str, kind: ErrorKind) -> VfsError {
        VfsError {
            path: path.to_string(),
            kind,
        }
    }
}

impl fmt::Display for VfsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl std::error::Error for VfsError {}

/// The result of a filesystem operation.
pub type Result<T> = std::result::Result<T, VfsError>;

/// One node met by `Vfs::walk`: its path relative to the root (`etc/passwd`), what
/// it is, and for the second and later names of a hard-linked file the first name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkEntry {
    /// Relative path without a leading `/` (the root itself is never an entry).
    pub path: String,
    /// The node's kind and metadata.
    pub stat: Stat,
    /// For a hard-linked file met before under another name: that first name.
    pub link_to: Option<String>,
}

/// The in-memory filesystem (see the module docs). Cloning is O(1).
#[derive(Clone)]
pub struct Vfs {
    root: Arc<Dir>,
    links: Arc<BTreeMap<u64, Linked>>,
    next_id: u64,
}

/// What a filesystem holds, as the build limits count it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Entries below the root (files, directories, links; every hard link's name).
    pub entries: usize,
    /// Bytes of regular files, each hard-linked file counted once.
    pub bytes: u64,
}

/// Counts of directory nodes already seen by `Vfs::usage`, by node identity. The
/// nodes are kept alive here, so an address is never reused for another node.
#[derive(Default)]
pub struct UsageMemo {
    dirs: HashMap<usize, (Arc<Dir>, Usage)>,
}

impl UsageMemo {
    /// The usage of `dir`'s contents, hard-linked files' bytes left out.
    fn dir(&mut self, dir: &Arc<Dir>) -> Usage {
        let key = Arc::as_ptr(dir) as usize;
        if let Some((_, usage)) = self.dirs.get(&key) {
            return *usage;
        }
        let mut usage = Usage::default();
        for entry in dir.children.values() {
            usage.entries += 1;
            match entry {
                Entry::Dir(sub) => {
                    let inner = self.dir(sub);
                    usage.entries += inner.entries;
                    usage.bytes += inner.bytes;
                }
                Entry::Leaf(leaf) => usage.bytes += leaf.file_size(),
                Entry::Linked(_) => {}
            }
        }
        self.dirs.insert(key, (Arc::clone(dir), usage));
        usage
    }
}

/// A directory node. `id` tells a recreated directory from the original one.
#[derive(Clone)]
pub(crate) struct Dir {
    pub(crate) id: u64,
    pub(crate) meta: Meta,
    pub(crate) children: BTreeMap<String, Entry>,
}

/// A non-directory node: file, symlink, device or fifo (`kind` is never `Dir`).
#[derive(Clone)]
pub(crate) struct Leaf {
    pub(crate) meta: Meta,
    pub(crate) kind: Kind,
}

impl Leaf {
    /// Bytes of a regular file, 0 for anything else.
    fn file_size(&self) -> u64 {
        match &self.kind {
            Kind::File(blob) => blob.len(),
            _ => 0,
        }
    }
}

/// An inode with several names.
#[derive(Clone)]
pub(crate) struct Linked {
    pub(crate) leaf: Arc<Leaf>,
    pub(crate) nlink: u32,
}

/// A name in a directory.
#[derive(Clone)]
pub(crate) enum Entry {
    Dir(Arc<Dir>),
    Leaf(Arc<Leaf>),
    Linked(u64),
}

/// A path after resolution: canonical components from the root, and whether the
/// last one exists (a missing last component is fine for creating it).
struct Resolved<'p> {
    comps: Vec<Cow<'p, str>>,
    exists: bool,
}

impl Default for Vfs {
    fn default() -> Vfs {
        Vfs::new()
    }
}

impl Vfs {
    /// An empty filesystem whose root is `0755 0:0`, dated the epoch.
    pub fn new() -> Vfs {
        Vfs::with_root(Meta::new(0o755))
    }

    /// An empty filesystem whose root has `meta`.
    pub fn with_root(meta: Meta) -> Vfs {
        Vfs {
            root: Arc::new(Dir {
                id: 0,
                meta,
                children: BTreeMap::new(),
            }),
            links: Arc::new(BTreeMap::new()),
            next_id: 1,
        }
    }

    /// Metadata and kind of `path`, following symlinks (`stat`).
    pub fn stat(&self, path: &str) -> Result<Stat> {
        let r = self.resolve(path, true)?;
        self.stat_resolved(path, &r)
    }

    /// Metadata and kind of `path` itself, a symlink not followed (`lstat`).
    pub fn lstat(&self, path: &str) -> Result<Stat> {
        let r = self.resolve(path, false)?;
        self.stat_resolved(path, &r)
    }

    /// Whether `path` names something (a dangling symlink counts).
    pub fn exists(&self, path: &str) -> bool {
        self.lstat(path).is_ok()
    }

    /// The absolute canonical path of `path`, every symlink resolved (`realpath`).
    pub fn canonicalize(&self, path: &str) -> Result<String> {
        let r = self.resolve(path, true)?;
        if !r.exists {
            return Err(VfsError::new(path, ErrorKind::NotFound));
        }
        Ok(format!("/{}", r.comps.join("/")))
    }

    /// The contents of the regular file at `path`, following symlinks.
    pub fn read_file(&self, path: &str) -> Result<Blob> {
        match self.stat(path)?.kind {
            Kind::File(blob) => Ok(blob),
            Kind::Dir => Err(VfsError::new(path, ErrorKind::IsADirectory)),
            _ => Err(VfsError::new(path, ErrorKind::InvalidArgument)),
        }
    }

    /// The target of the symlink at `path`, as stored (`readlink`).
    pub fn read_link(&self, path: &str) -> Result<String> {
        match self.lstat(path)?.kind {
            Kind::Symlink(target) => Ok(target),
            _ => Err(VfsError::new(path, ErrorKind::InvalidArgument)),
        }
    }

    /// The entries of the directory at `path` (following symlinks), sorted byte-wise.
    pub fn read_dir(&self, path: &str) -> Result<Vec<(String, Stat)>> {
        let r = self.resolve(path, true)?;
        if !r.exists {
            return Err(VfsError::new(path, ErrorKind::NotFound));
        }
        let dir = self
            .dir_at(&r.comps)
            .ok_or_else(|| VfsError::new(path, ErrorKind::NotADirectory))?;
        Ok(dir
            .children
            .iter()
            .map(|(name, entry)| (name.clone(), self.stat_entry(entry)))
            .collect())
    }

    /// Writes `content` to the file at `path`, following symlinks, like a shell's `>`:
    /// an existing file keeps its mode and owner (and its other hard-link names see
    /// the new contents) and gets `meta.mtime`; a missing one is created with `meta`.
    pub fn write_file(&mut self, path: &str, content: Blob, meta: Meta) -> Result<()> {
        let r = self.resolve(path, true)?;
        if !r.exists {
            return self.insert_leaf(
                path,
                &r.comps,
                Leaf {
                    meta: Meta {
                        mode: meta.mode & 0o7777,
                        ..meta
                    },
                    kind: Kind::File(content),
                },
            );
        }
        let leaf = self.leaf_mut(path, &r.comps)?;
        match leaf.kind {
            Kind::File(_) => {
                leaf.kind = Kind::File(content);
                leaf.meta.mtime = meta.mtime;
                Ok(())
            }
            _ => Err(VfsError::new(path, ErrorKind::InvalidArgument)),
        }
    }

    /// Creates a file, symlink, device or fifo at `path` (the last component is not
    /// followed). Fails with `AlreadyExists` if the name is taken. A symlink's mode
    /// is always 0777, as on Linux.
    pub fn create(&mut self, path: &str, kind: Kind, meta: Meta) -> Result<()> {
        if kind == Kind::Dir {
            return self.mkdir(path, meta);
        }
        let r = self.resolve(path, false)?;
        if r.exists {
            return Err(VfsError::new(path, ErrorKind::AlreadyExists));
        }
        let meta = match kind {
            Kind::Symlink(_) => Meta {
                mode: 0o777,
                ..meta
            },
            _ => Meta {
                mode: meta.mode & 0o7777,
                ..meta
            },
        };
        self.insert_leaf(path, &r.comps, Leaf { meta, kind })
    }

    /// Creates the symlink `path` pointing at `target` (`ln -s target path`).
    pub fn symlink(&mut self, target: &str, path: &str, meta: Meta) -> Result<()> {
        self.create(path, Kind::Symlink(target.to_string()), meta)
    }

    /// Creates the directory `path`; its parent must exist (`mkdir`).
    pub fn mkdir(&mut self, path: &str, meta: Meta) -> Result<()> {
        let r = self.resolve(path, false)?;
        if r.exists {
            return Err(VfsError::new(path, ErrorKind::AlreadyExists));
        }
        let Some((name, parent)) = r.comps.split_last() else {
            return Err(VfsError::new(path, ErrorKind::AlreadyExists));
        };
        let id = self.fresh_id();
        let dir = self.dir_mut(path, parent)?;
        dir.children.insert(
            name.as_ref().to_string(),
            Entry::Dir(Arc::new(Dir {
                id,
                meta: Meta {
                    mode: meta.mode & 0o7777,
                    ..meta
                },
                children: BTreeMap::new(),
            })),
        );
        Ok(())
    }

    /// Creates `path` and any missing parents with `meta` (`mkdir -p`); existing
    /// directories (or symlinks to them) are left as they are.
    pub fn mkdir_all(&mut self, path: &str, meta: Meta) -> Result<()> {
        let mut prefix = String::new();
        for comp in path.split('/').filter(|c| !c.is_empty()) {
            prefix.push('/');
            prefix.push_str(comp);
            match self.stat(&prefix) {
                Ok(stat) if stat.is_dir() => continue,
                Ok(_) => return Err(VfsError::new(path, ErrorKind::NotADirectory)),
                Err(e) if e.kind == ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(VfsError {
                        path: path.to_string(),
                        ..e
                    })
                }
            }
            // A dangling symlink in the way makes mkdir fail with EEXIST, as in Linux.
            self.mkdir(&prefix, meta).map_err(|e| VfsError {
                path: path.to_string(),
                ..e
            })?;
        }
        Ok(())
    }

    /// Gives the existing node `existing` the additional name `new` (`ln`); neither is
    /// followed if it is a symlink. Directories cannot be hard-linked.
    pub fn hard_link(&mut self, existing: &str, new: &str) -> Result<()> {
        let src = self.resolve(existing, false)?;
        if !src.exists {
            return Err(VfsError::new(existing, ErrorKind::NotFound));
        }
        let dst = self.resolve(new, false)?;
        if dst.exists {
            return Err(VfsError::new(new, ErrorKind::AlreadyExists));
        }
        let ino = match self.entry_at(&src.comps) {
            None => return Err(VfsError::new(existing, ErrorKind::NotFound)),
            Some(Entry::Dir(_)) => return Err(VfsError::new(existing, ErrorKind::NotPermitted)),
            Some(Entry::Linked(ino)) => *ino,
            Some(Entry::Leaf(leaf)) => {
                let leaf = leaf.clone();
                let ino = self.fresh_id();
                Arc::make_mut(&mut self.links).insert(ino, Linked { leaf, nlink: 1 });
                let (name, parent) = split(&src.comps, existing)?;
                self.dir_mut(existing, parent)?
                    .children
                    .insert(name.as_ref().to_string(), Entry::Linked(ino));
                ino
            }
        };
        let (name, parent) = split(&dst.comps, new)?;
        self.dir_mut(new, parent)?
            .children
            .insert(name.as_ref().to_string(), Entry::Linked(ino));
        if let Some(linked) = Arc::make_mut(&mut self.links).get_mut(&ino) {
            linked.nlink += 1;
        }
        Ok(())
    }

    /// Removes the non-directory `path` (`unlink`; a symlink itself is removed).
    pub fn remove_file(&mut self, path: &str) -> Result<()> {
        let r = self.resolve_existing(path, false)?;
        if matches!(self.entry_at(&r.comps), Some(Entry::Dir(_))) || r.comps.is_empty() {
            return Err(VfsError::new(path, ErrorKind::IsADirectory));
        }
        self.detach(path, &r.comps).map(|_| ())
    }

    /// Removes the empty directory `path` (`rmdir`).
    pub fn remove_dir(&mut self, path: &str) -> Result<()> {
        let r = self.resolve_existing(path, false)?;
        if r.comps.is_empty() {
            return Err(VfsError::new(path, ErrorKind::InvalidArgument));
        }
        match self.entry_at(&r.comps) {
            Some(Entry::Dir(dir)) if dir.children.is_empty() => {}
            Some(Entry::Dir(_)) => return Err(VfsError::new(path, ErrorKind::NotEmpty)),
            _ => return Err(VfsError::new(path, ErrorKind::NotADirectory)),
        }
        self.detach(path, &r.comps).map(|_| ())
    }

    /// Removes `path` and everything below it (`rm -rf` of one operand; a symlink is
    /// removed, not followed). Removing `/` empties the root instead.
    pub fn remove_all(&mut self, path: &str) -> Result<()> {
        let r = self.resolve_existing(path, false)?;
        if r.comps.is_empty() {
            let names: Vec<String> = self.root.children.keys().cloned().collect();
            for name in names {
                self.detach(path, &[name])?;
            }
            return Ok(());
        }
        self.detach(path, &r.comps).map(|_| ())
    }

    /// Puts `path` back exactly as it is in `before`, an earlier snapshot of this
    /// filesystem: the very nodes, so a diff against `before` sees nothing there
    /// (a copy would be a recreated directory); `path` goes if `before` lacks it.
    /// The parent directory must exist. Used to take a RUN's mounts away again.
    pub fn put_back(&mut self, before: &Vfs, path: &str) -> Result<()> {
        if self.lstat(path).is_ok() {
            self.remove_all(path)?;
        }
        let r = match before.resolve(path, false) {
            Ok(r) if r.exists => r,
            _ => return Ok(()),
        };
        let (name, parent) = split(&r.comps, path)?;
        let Some(entry) = before.entry_at(&r.comps).cloned() else {
            return Ok(());
        };
        let mut inodes = Vec::new();
        collect_inodes(&entry, &mut inodes);
        if !inodes.is_empty() {
            let links = Arc::make_mut(&mut self.links);
            for ino in inodes {
                match links.get_mut(&ino) {
                    Some(linked) => linked.nlink += 1,
                    None => {
                        if let Some(linked) = before.links.get(&ino) {
                            links.insert(
                                ino,
                                Linked {
                                    leaf: linked.leaf.clone(),
                                    nlink: 1,
                                },
                            );
                        }
                    }
                }
            }
        }
        self.next_id = self.next_id.max(before.next_id);
        self.dir_mut(path, parent)?
            .children
            .insert(name.to_string(), entry);
        Ok(())
    }

    /// Renames `from` to `to` with POSIX `rename` rules: a file replaces a file, a
    /// directory replaces an empty directory, never moves into itself.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<()> {
        let src = self.resolve_existing(from, false)?;
        let dst = self.resolve(to, false)?;
        if src.comps.is_empty() || dst.comps.is_empty() {
            return Err(VfsError::new(from, ErrorKind::InvalidArgument));
        }
        if src.comps == dst.comps {
            return Ok(());
        }
        let src_is_dir = matches!(self.entry_at(&src.comps), Some(Entry::Dir(_)));
        if src_is_dir && dst.comps.starts_with(&src.comps) {
            return Err(VfsError::new(from, ErrorKind::InvalidArgument));
        }
        if dst.exists {
            match (src_is_dir, self.entry_at(&dst.comps)) {
                (true, Some(Entry::Dir(d))) if !d.children.is_empty() => {
                    return Err(VfsError::new(to, ErrorKind::NotEmpty))
                }
                (true, Some(Entry::Dir(_))) | (false, Some(Entry::Leaf(_) | Entry::Linked(_))) => {}
                (true, _) => return Err(VfsError::new(to, ErrorKind::NotADirectory)),
                (false, _) => return Err(VfsError::new(to, ErrorKind::IsADirectory)),
            }
            // Same inode under both names: rename does nothing, as POSIX says.
            if let (Some(Entry::Linked(a)), Some(Entry::Linked(b))) =
                (self.entry_at(&src.comps), self.entry_at(&dst.comps))
            {
                if a == b {
                    return Ok(());
                }
            }
            self.detach(to, &dst.comps)?;
        }
        let (src_name, src_parent) = split(&src.comps, from)?;
        let entry = self
            .dir_mut(from, src_parent)?
            .children
            .remove(src_name.as_ref())
            .ok_or_else(|| VfsError::new(from, ErrorKind::NotFound))?;
        let (dst_name, dst_parent) = split(&dst.comps, to)?;
        self.dir_mut(to, dst_parent)?
            .children
            .insert(dst_name.as_ref().to_string(), entry);
        Ok(())
    }

    /// Changes the metadata of `path` through `change`, following a final symlink or
    /// not (`chmod`, `chown -h`, `touch -h`).
    pub fn update_meta(
        &mut self,
        path: &str,
        follow: bool,
        change: impl FnOnce(&mut Meta),
    ) -> Result<()> {
        let r = self.resolve_existing(path, follow)?;
        if matches!(self.entry_at(&r.comps), Some(Entry::Dir(_))) || r.comps.is_empty() {
            let dir = self.dir_mut(path, &r.comps)?;
            change(&mut dir.meta);
            dir.meta.mode &= 0o7777;
            return Ok(());
        }
        let leaf = self.leaf_mut(path, &r.comps)?;
        change(&mut leaf.meta);
        leaf.meta.mode &= 0o7777;
        if matches!(leaf.kind, Kind::Symlink(_)) {
            // A symlink's mode is always 0777 on Linux; only owner and time change.
            leaf.meta.mode = 0o777;
        }
        Ok(())
    }

    /// Sets the permission bits of `path`, following symlinks (`chmod`).
    pub fn chmod(&mut self, path: &str, mode: u32) -> Result<()> {
        self.update_meta(path, true, |m| m.mode = mode & 0o7777)
    }

    /// Sets the owner of `path`, following symlinks (`chown`).
    pub fn chown(&mut self, path: &str, uid: u32, gid: u32) -> Result<()> {
        self.update_meta(path, true, |m| {
            m.uid = uid;
            m.gid = gid;
        })
    }

    /// How many entries the tree holds below the root and how many bytes its
    /// files hold (each hard-linked file once): what the build limits count.
    /// `memo` remembers every directory node it has counted, so counting the
    /// next step's filesystem costs only the directories that step changed.
    pub fn usage(&self, memo: &mut UsageMemo) -> Usage {
        let mut usage = memo.dir(&self.root);
        usage.bytes += self.links.values().map(|l| l.leaf.file_size()).sum::<u64>();
        usage
    }

    /// Every node below `path` (following symlinks to reach it), depth first, each
    /// directory's entries in byte order, a directory before its contents. Paths are
    /// relative to the root. Hard-linked files after the first name carry `link_to`.
    pub fn walk(&self, path: &str) -> Result<Vec<WalkEntry>> {
        let r = self.resolve_existing(path, true)?;
        let mut out = Vec::new();
        let mut first_names = HashMap::new();
        match self.entry_at(&r.comps) {
            Some(Entry::Dir(dir)) => {
                self.walk_dir(dir, &r.comps.join("/"), &mut first_names, &mut out)
            }
            Some(entry) => out.push(WalkEntry {
                path: r.comps.join("/"),
                stat: self.stat_entry(entry),
                link_to: None,
            }),
            None => self.walk_dir(&self.root, "", &mut first_names, &mut out),
        }
        Ok(out)
    }

    /// The tree in the oracle's listing format (`PATH TYPE MODE UID:GID SIZE EXTRA`,
    /// `../shared/oracle/README.md`), as `umoci unpack` would show it: hard links
    /// appear as regular files. Lets tests diff layerlab with a real unpacker.
    pub fn listing(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .walk("/")
            .unwrap_or_default()
            .iter()
            .map(|e| listing_line(&e.path, &e.stat.kind, &e.stat.meta))
            .collect();
        crate::sort::sort_by(&mut lines, |a, b| listing_key(a).cmp(listing_key(b)));
        lines
    }

    // ---- internals shared with the layer diff ----

    pub(crate) fn root_dir(&self) -> &Arc<Dir> {
        &self.root
    }

    pub(crate) fn linked(&self, ino: u64) -> Option<&Linked> {
        self.links.get(&ino)
    }

    /// `create` for the common case of a plain path whose parents are all real
    /// directories: one walk down instead of a resolve and a second walk. `None`
    /// when the path needs full resolution (a symlink or `..` on the way, a missing
    /// parent, an overlong name); the caller then uses `create`.
    pub(crate) fn create_direct(
        &mut self,
        path: &str,
        kind: &Kind,
        meta: Meta,
    ) -> Option<Result<()>> {
        if path.len() > PATH_MAX || matches!(kind, Kind::Dir | Kind::Symlink(_)) {
            return None;
        }
        let mut comps = path.split('/').filter(|c| !c.is_empty());
        let name = comps.next_back()?;
        if name == "." || name == ".." || name.len() > NAME_MAX {
            return None;
        }
        // One walk down. A path that falls back may have made shared directories
        // on the way unique: same contents, so nothing observable changes.
        let mut dir = Arc::make_mut(&mut self.root);
        for comp in comps {
            dir = match dir.children.get_mut(comp) {
                Some(Entry::Dir(d)) => Arc::make_mut(d),
                _ => return None,
            };
        }
        match dir.children.entry(name.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => {
                Some(Err(VfsError::new(path, ErrorKind::AlreadyExists)))
            }
            std::collections::btree_map::Entry::Vacant(slot) => {
                let meta = Meta {
                    mode: meta.mode & 0o7777,
                    ..meta
                };
                slot.insert(Entry::Leaf(Arc::new(Leaf {
                    meta,
                    kind: kind.clone(),
                })));
                Some(Ok(()))
            }
        }
    }

    /// Whether the hard-link tables differ (an inode changed, appeared or went).
    pub(crate) fn links_differ(&self, other: &Vfs) -> bool {
        !Arc::ptr_eq(&self.links, &other.links)
            && (self.links.len() != other.links.len()
                || self
                    .links
                    .iter()
                    .zip(other.links.iter())
                    .any(|((a, x), (b, y))| {
                        a != b || x.nlink != y.nlink || !Arc::ptr_eq(&x.leaf, &y.leaf)
                    }))
    }

    /// The leaf behind an entry that is not a directory.
    pub(crate) fn leaf_of<'a>(&'a self, entry: &'a Entry) -> Option<&'a Arc<Leaf>> {
        match entry {
            Entry::Dir(_) => None,
            Entry::Leaf(leaf) => Some(leaf),
            Entry::Linked(ino) => self.links.get(ino).map(|l| &l.leaf),
        }
    }

    fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn stat_resolved(&self, path: &str, r: &Resolved<'_>) -> Result<Stat> {
        if !r.exists {
            return Err(VfsError::new(path, ErrorKind::NotFound));
        }
        match self.entry_at(&r.comps) {
            Some(entry) => Ok(self.stat_entry(entry)),
            None => Ok(Stat {
                kind: Kind::Dir,
                meta: self.root.meta,
                nlink: 1,
                inode: None,
            }),
        }
    }

    fn stat_entry(&self, entry: &Entry) -> Stat {
        match entry {
            Entry::Dir(dir) => Stat {
                kind: Kind::Dir,
                meta: dir.meta,
                nlink: 1,
                inode: None,
            },
            Entry::Leaf(leaf) => Stat {
                kind: leaf.kind.clone(),
                meta: leaf.meta,
                nlink: 1,
                inode: None,
            },
            Entry::Linked(ino) => match self.links.get(ino) {
                Some(l) => Stat {
                    kind: l.leaf.kind.clone(),
                    meta: l.leaf.meta,
                    nlink: l.nlink,
                    inode: Some(*ino),
                },
                None => Stat {
                    kind: Kind::File(Blob::empty()),
                    meta: Meta::new(0),
                    nlink: 0,
                    inode: Some(*ino),
                },
            },
        }
    }

    fn walk_dir(
        &self,
        dir: &Dir,
        prefix: &str,
        first_names: &mut HashMap<u64, String>,
        out: &mut Vec<WalkEntry>,
    ) {
        for (name, entry) in &dir.children {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let link_to = match entry {
                Entry::Linked(ino) => match first_names.get(ino) {
                    Some(first) => Some(first.clone()),
                    None => {
                        first_names.insert(*ino, path.clone());
                        None
                    }
                },
                _ => None,
            };
            out.push(WalkEntry {
                path: path.clone(),
                stat: self.stat_entry(entry),
                link_to,
            });
            if let Entry::Dir(sub) = entry {
                self.walk_dir(sub, &path, first_names, out);
            }
        }
    }

    /// The directory at canonical `comps` (the root for an empty slice).
    fn dir_at<S: AsRef<str>>(&self, comps: &[S]) -> Option<&Dir> {
        let mut dir: &Dir = &self.root;
        for c in comps {
            match dir.children.get(c.as_ref()) {
                Some(Entry::Dir(d)) => dir = d,
                _ => return None,
            }
        }
        Some(dir)
    }

    /// The entry at canonical `comps` (`None` for the root or a missing name).
    fn entry_at<S: AsRef<str>>(&self, comps: &[S]) -> Option<&Entry> {
        let (name, parent) = comps.split_last()?;
        self.dir_at(parent)?.children.get(name.as_ref())
    }

    /// The directory at `comps`, made unique for writing (copy on write).
    fn dir_mut<S: AsRef<str>>(&mut self, path: &str, comps: &[S]) -> Result<&mut Dir> {
        let mut dir = Arc::make_mut(&mut self.root);
        for c in comps {
            dir = match dir.children.get_mut(c.as_ref()) {
                Some(Entry::Dir(d)) => Arc::make_mut(d),
                Some(_) => return Err(VfsError::new(path, ErrorKind::NotADirectory)),
                None => return Err(VfsError::new(path, ErrorKind::NotFound)),
            };
        }
        Ok(dir)
    }

    /// The leaf at `comps`, made unique for writing; through the link table for a
    /// hard-linked file so every name sees the change.
    fn leaf_mut<S: AsRef<str>>(&mut self, path: &str, comps: &[S]) -> Result<&mut Leaf> {
        let (name, parent) = split(comps, path)?;
        let ino = match self.entry_at(comps) {
            Some(Entry::Linked(ino)) => Some(*ino),
            Some(Entry::Leaf(_)) => None,
            Some(Entry::Dir(_)) => return Err(VfsError::new(path, ErrorKind::IsADirectory)),
            None => return Err(VfsError::new(path, ErrorKind::NotFound)),
        };
        match ino {
            Some(ino) => match Arc::make_mut(&mut self.links).get_mut(&ino) {
                Some(linked) => Ok(Arc::make_mut(&mut linked.leaf)),
                None => Err(VfsError::new(path, ErrorKind::NotFound)),
            },
            None => match self.dir_mut(path, parent)?.children.get_mut(name.as_ref()) {
                Some(Entry::Leaf(leaf)) => Ok(Arc::make_mut(leaf)),
                _ => Err(VfsError::new(path, ErrorKind::NotFound)),
            },
        }
    }

    fn insert_leaf<S: AsRef<str>>(&mut self, path: &str, comps: &[S], leaf: Leaf) -> Result<()> {
        let (name, parent) = split(comps, path)?;
        let dir = self.dir_mut(path, parent)?;
        dir.children
            .insert(name.as_ref().to_string(), Entry::Leaf(Arc::new(leaf)));
        Ok(())
    }

    /// Takes the entry at `comps` out of the tree, dropping the link counts of any
    /// hard-linked files inside it.
    fn detach<S: AsRef<str>>(&mut self, path: &str, comps: &[S]) -> Result<Entry> {
        let (name, parent) = split(comps, path)?;
        let entry = self
            .dir_mut(path, parent)?
            .children
            .remove(name.as_ref())
            .ok_or_else(|| VfsError::new(path, ErrorKind::NotFound))?;
        let mut inodes = Vec::new();
        collect_inodes(&entry, &mut inodes);
        if !inodes.is_empty() {
            let links = Arc::make_mut(&mut self.links);
            for ino in inodes {
                if let Some(linked) = links.get_mut(&ino) {
                    linked.nlink = linked.nlink.saturating_sub(1);
                    if linked.nlink == 0 {
                        links.remove(&ino);
                    }
                }
            }
        }
        Ok(entry)
    }

    fn resolve_existing<'p>(&self, path: &'p str, follow: bool) -> Result<Resolved<'p>> {
        let r = self.resolve(path, follow)?;
        if !r.exists {
            return Err(VfsError::new(path, ErrorKind::NotFound));
        }
        Ok(r)
    }

    /// Resolves `path` inside the root (see the module docs). A trailing `/` means
    /// the last component must be a directory and is followed if it is a symlink.
    /// Relative paths are taken from the root (the filesystem has no working
    /// directory). Components come borrowed from `path`; only symlink targets are
    /// copied.
    fn resolve<'p>(&self, path: &'p str, follow_last: bool) -> Result<Resolved<'p>> {
        if path.is_empty() {
            return Err(VfsError::new(path, ErrorKind::NotFound));
        }
        if path.len() > PATH_MAX || path.split('/').any(|c| c.len() > NAME_MAX) {
            return Err(VfsError::new(path, ErrorKind::NameTooLong));
        }
        let must_be_dir = path.ends_with('/');
        let follow_last = follow_last || must_be_dir;
        // Components still to walk, the next one last.
        let mut todo: Vec<Cow<'p, str>> = components(path).rev().map(Cow::Borrowed).collect();
        let mut stack: Vec<Cow<'p, str>> = Vec::with_capacity(todo.len());
        let mut hops = 0u32;
        // The directory at `stack`, kept in step so each component is one lookup.
        let mut dir: &Dir = &self.root;
        while let Some(comp) = todo.pop() {
            if comp == ".." {
                stack.pop();
                dir = self
                    .dir_at(&stack)
                    .ok_or_else(|| VfsError::new(path, ErrorKind::NotADirectory))?;
                continue;
            }
            let is_last = todo.is_empty();
            let entry = match dir.children.get(comp.as_ref()) {
                None if is_last => {
                    stack.push(comp);
                    return Ok(Resolved {
                        comps: stack,
                        exists: false,
                    });
                }
                None => return Err(VfsError::new(path, ErrorKind::NotFound)),
                Some(Entry::Dir(sub)) => {
                    stack.push(comp);
                    dir = sub;
                    continue;
                }
                Some(entry) => entry,
            };
            let leaf = self
                .leaf_of(entry)
                .ok_or_else(|| VfsError::new(path, ErrorKind::NotFound))?;
            if let Kind::Symlink(target) = &leaf.kind {
                if !is_last || follow_last {
                    hops += 1;
                    if hops > MAX_SYMLINKS {
                        return Err(VfsError::new(path, ErrorKind::Loop));
                    }
                    if target.is_empty() {
                        return Err(VfsError::new(path, ErrorKind::NotFound));
                    }
                    if target.starts_with('/') {
                        stack.clear();
                        dir = &self.root;
                    }
                    todo.extend(components(target).rev().map(|c| Cow::Owned(c.to_string())));
                    continue;
                }
            }
            if is_last && !must_be_dir {
                stack.push(comp);
                return Ok(Resolved {
                    comps: stack,
                    exists: true,
                });
            }
            return Err(VfsError::new(path, ErrorKind::NotADirectory));
        }
        Ok(Resolved {
            comps: stack,
            exists: true,
        })
    }
}

/// The components of a path that matter for resolution (empty ones and `.` dropped).
fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// `(last, parent)` of a canonical path; the root has no parent to put a name in.
fn split<'a, S>(comps: &'a [S], path: &str) -> Result<(&'a S, &'a [S])> {
    comps
        .split_last()
        .ok_or_else(|| VfsError::new(path, ErrorKind::InvalidArgument))
}

fn collect_inodes(entry: &Entry, out: &mut Vec<u64>) {
    match entry {
        Entry::Linked(ino) => out.push(*ino),
        Entry::Dir(dir) => dir.children.values().for_each(|e| collect_inodes(e, out)),
        Entry::Leaf(_) => {}
    }
}

/// One line of the oracle's listing format for a node of a merged filesystem.
pub fn listing_line(path: &str, kind: &Kind, meta: &Meta) -> String {
    let (size, extra) = match kind {
        Kind::File(blob) => (blob.len(), blob.digest().hex()),
        Kind::Symlink(target) => (0, format!("->{target}")),
        _ => (0, "-".to_string()),
    };
    format!(
        "{path} {} {:04o} {}:{} {size} {extra}",
        kind.letter(),
        meta.mode & 0o7777,
        meta.uid,
        meta.gid
    )
}

/// The path field of a listing line, which the listings are sorted by.
pub fn listing_key(line: &str) -> &str {
    line.split(' ').next().unwrap_or(line)
}

/// An ASCII tree for test snapshots: one node per line with type, mode, owner, size,
/// the first 12 hex digits of the contents or the link target, the mtime when not 0,
/// and `=N` marking the names of hard-link group N (numbered in walk order).
impl fmt::Display for Vfs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.root.meta;
        writeln!(
            f,
            "/ {:04o} {}:{}{}",
            m.mode,
            m.uid,
            m.gid,
            mtime_suffix(m.mtime)
        )?;
        let mut groups = HashMap::new();
        self.fmt_dir(f, &self.root, "", &mut groups)
    }
}

impl fmt::Debug for Vfs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Vfs {
    fn fmt_dir(
        &self,
        f: &mut fmt::Formatter<'_>,
        dir: &Dir,
        indent: &str,
        groups: &mut HashMap<u64, usize>,
    ) -> fmt::Result {
        let count = dir.children.len();
        for (i, (name, entry)) in dir.children.iter().enumerate() {
            let last = i + 1 == count;
            let stat = self.stat_entry(entry);
            let m = stat.meta;
            let detail = match &stat.kind {
                Kind::Dir => String::new(),
                Kind::File(blob) => format!(" {} {}", blob.len(), &blob.digest().hex()[..12]),
                Kind::Symlink(target) => format!(" -> {target}"),
                Kind::CharDevice { major, minor } | Kind::BlockDevice { major, minor } => {
                    format!(" {major},{minor}")
                }
                Kind::Fifo => String::new(),
            };
            let group = match stat.inode {
                Some(ino) if stat.nlink > 1 => {
                    let next = groups.len() + 1;
                    format!(" ={}", groups.entry(ino).or_insert(next))
                }
                _ => String::new(),
            };
            let slash = if stat.is_dir() { "/" } else { "" };
            writeln!(
                f,
                "{indent}{}{name}{slash} {} {:04o} {}:{}{detail}{}{group}",
                if last { "└── " } else { "├── " },
                stat.kind.letter(),
                m.mode,
                m.uid,
                m.gid,
                mtime_suffix(m.mtime),
            )?;
            if let Entry::Dir(sub) = entry {
                let deeper = format!("{indent}{}", if last { "    " } else { "│   " });
                self.fmt_dir(f, sub, &deeper, groups)?;
            }
        }
        Ok(())
    }
}

fn mtime_suffix(mtime: i64) -> String {
    if mtime == 0 {
        String::new()
    } else {
        format!(" @{mtime}")
    }
}
