//! The build context: the files `docker build` sends to the builder, in memory.
//!
//! The page hands in files as bytes and the CLI reads a directory; either way the
//! core sees one `BuildContext` and never touches a disk. `.dockerignore` (or the
//! Dockerfile-specific `<name>.dockerignore`) decides what the build can see, with
//! Docker's pattern rules (`ignore`), and COPY/ADD select sources from what is left
//! with Go's `filepath.Match` globs (`glob`).

pub mod glob;
pub mod ignore;
pub mod path;
#[cfg(test)]
mod tests;

use crate::vfs::blob::Blob;
use ignore::{IgnoreError, IgnoreRules};
use std::collections::BTreeMap;

/// What a context entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextKind {
    /// A regular file with its contents.
    File(Blob),
    /// A directory (its children are separate entries).
    Dir,
    /// A symbolic link, target as stored.
    Symlink(String),
}

/// One file, directory or symlink of the context, with the metadata COPY keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// Type and contents.
    pub kind: ContextKind,
    /// Permission bits (no type bits); COPY keeps them and the cache counts them.
    pub mode: u32,
    /// Modification time in seconds; COPY keeps it, the cache ignores it.
    pub mtime: i64,
}

/// A context path that cannot be accepted, named so the user can fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextError {
    /// The path as given.
    pub path: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for ContextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The files of a build context by relative path (`app/main.py`, no leading `/`),
/// with every parent directory present.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildContext {
    entries: BTreeMap<String, ContextEntry>,
}

/// Mode and time given to directories that exist only as parents of added files.
const IMPLIED_DIR_MODE: u32 = 0o755;

impl BuildContext {
    /// An empty context (`docker build -` with no files).
    pub fn new() -> BuildContext {
        BuildContext::default()
    }

    /// Adds or replaces a regular file; missing parents become 0755 directories.
    pub fn add_file(
        &mut self,
        path: &str,
        content: Blob,
        mode: u32,
        mtime: i64,
    ) -> Result<(), ContextError> {
        self.insert(path, ContextKind::File(content), mode, mtime)
    }

    /// Adds a directory (for empty ones; parents of files appear by themselves).
    pub fn add_dir(&mut self, path: &str, mode: u32, mtime: i64) -> Result<(), ContextError> {
        self.insert(path, ContextKind::Dir, mode, mtime)
    }

    /// Adds a symbolic link; its target is stored as written and never followed
    /// out of the context.
    pub fn add_symlink(
        &mut self,
        path: &str,
        target: &str,
        mtime: i64,
    ) -> Result<(), ContextError> {
        self.insert(path, ContextKind::Symlink(target.to_string()), 0o777, mtime)
    }

    fn insert(
        &mut self,
        path: &str,
        kind: ContextKind,
        mode: u32,
        mtime: i64,
    ) -> Result<(), ContextError> {
        let rel = normalize(path)?;
        for (slash, _) in rel.match_indices('/') {
            let parent = &rel[..slash];
            match self.entries.get(parent) {
                Some(ContextEntry {
                    kind: ContextKind::Dir,
                    ..
                }) => {}
                Some(_) => {
                    return Err(ContextError {
                        path: path.to_string(),
                        message: format!(
                        "'{parent}' is a file, so it cannot hold other files; rename one of them"
                    ),
                    })
                }
                None => {
                    self.entries.insert(
                        parent.to_string(),
                        ContextEntry {
                            kind: ContextKind::Dir,
                            mode: IMPLIED_DIR_MODE,
                            mtime,
                        },
                    );
                }
            }
        }
        if let (Some(existing), false) = (self.entries.get(&rel), matches!(kind, ContextKind::Dir))
        {
            if existing.kind == ContextKind::Dir && self.entries.keys().any(|k| is_inside(k, &rel))
            {
                return Err(ContextError {
                    path: path.to_string(),
                    message: "a folder with files already has this name; rename one of them"
                        .to_string(),
                });
            }
        }
        self.entries.insert(
            rel,
            ContextEntry {
                kind,
                mode: mode & 0o7777,
                mtime,
            },
        );
        Ok(())
    }

    /// The entry at a relative path.
    pub fn get(&self, path: &str) -> Option<&ContextEntry> {
        self.entries.get(path::clean(path).trim_start_matches('/'))
    }

    /// Every entry, sorted by path: the order COPY walks and the cache hashes.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &ContextEntry)> {
        self.entries
            .iter()
            .map(|(path, entry)| (path.as_str(), entry))
    }

    /// The entries strictly inside directory `dir` (`""` for the whole context).
    pub fn entries_under<'a>(
        &'a self,
        dir: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ContextEntry)> + 'a {
        self.entries()
            .filter(move |(path, _)| dir.is_empty() || is_inside(path, dir))
    }

    /// Number of entries (files, directories and symlinks).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the context holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ignore rules that apply to a build with `dockerfile` (a context path or
    /// a name): `<dockerfile>.dockerignore` if present, else `.dockerignore`, as
    /// BuildKit chooses.
    pub fn ignore_rules(&self, dockerfile: &str) -> Result<IgnoreRules, IgnoreError> {
        let specific = format!(
            "{}.dockerignore",
            path::clean(dockerfile).trim_start_matches('/')
        );
        for name in [specific.as_str(), ".dockerignore"] {
            if let Some(ContextEntry {
                kind: ContextKind::File(blob),
                ..
            }) = self.entries.get(name)
            {
                return IgnoreRules::parse(&String::from_utf8_lossy(&blob.bytes()));
            }
        }
        Ok(IgnoreRules::default())
    }

    /// The context the builder sees: every entry the rules do not exclude, plus
    /// the parent directories of re-included files.
    pub fn filtered(&self, rules: &IgnoreRules) -> BuildContext {
        if rules.is_empty() {
            return self.clone();
        }
        let mut kept = BTreeMap::new();
        for (path, entry) in &self.entries {
            if rules.excludes(path) {
                continue;
            }
            let mut end = 0;
            while let Some(slash) = path[end..].find('/') {
                end += slash;
                let parent = &path[..end];
                if let Some(dir) = self.entries.get(parent) {
                    kept.entry(parent.to_string())
                        .or_insert_with(|| dir.clone());
                }
                end += 1;
            }
            kept.insert(path.clone(), entry.clone());
        }
        BuildContext { entries: kept }
    }
}

/// True if `path` lies strictly inside directory `dir`.
fn is_inside(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// Turns a user-given path into a clean relative context path, refusing what
/// would leave the context.
fn normalize(path: &str) -> Result<String, ContextError> {
    let fail = |message: &str| ContextError {
        path: path.to_string(),
        message: message.to_string(),
    };
    if path.contains('\0') {
        return Err(fail("a file name cannot contain a NUL character"));
    }
    let cleaned = path::clean(path.trim_start_matches('/'));
    if cleaned == "." {
        return Err(fail("a context file needs a name"));
    }
    if cleaned == ".." || cleaned.starts_with("../") {
        return Err(fail(
            "the path leaves the build context; use a path inside it",
        ));
    }
    Ok(cleaned)
}
