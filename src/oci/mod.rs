//! Real image formats, out and in: how layerlab's images reach real tools and
//! how real images (`docker save`, `skopeo copy`, `buildah push`) come in.
//!
//! - `layout`: an image as OCI layout files (the model's writer, used by tests);
//! - `export`: any stored image as an oci-archive or a `docker save` tar,
//!   deterministic and streamed from the store's layers (`tarball` writes the
//!   outer tar, `gzip` the deterministic compression);
//! - `import`: both formats back into a store, original config bytes and layer
//!   tars kept so image IDs and diffIDs do not change; `archive` reads the outer
//!   tar safely under `ImportLimits`;
//! - `layout_dir`: a store as an OCI layout directory (the CLI's `--store DIR`);
//! - `inspect`: the dive-like report (layers, wasted bytes, efficiency);
//! - `docker_save`: the model's small reader of `docker save` archives, used by
//!   its conformance tests (`import` is the full importer).
//!
//! Nothing here does IO: archives arrive as bytes, exports go to a `Write`.

pub mod archive;
pub mod docker_save;
pub mod export;
pub mod gzip;
pub mod import;
pub mod inspect;
pub mod layout;
pub mod layout_dir;
pub mod tarball;
#[cfg(test)]
mod tests;

use std::fmt;

/// The annotation containerd (and Docker 25+'s `docker save`) names an image with,
/// a full reference such as `docker.io/library/alpine:3.19`.
pub const IMAGE_NAME: &str = "io.containerd.image.name";

/// Limits an import enforces, so a hostile or absurd archive is refused with a
/// clear message instead of exhausting memory (the page runs in a browser tab).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// Bytes of the archive itself.
    pub max_archive_bytes: u64,
    /// Bytes of all layers once decompressed, summed.
    pub max_unpacked_bytes: u64,
    /// Entries in the archive and in all its layers, summed.
    pub max_entries: u64,
    /// Bytes of one entry (a file in a layer, a blob in the archive).
    pub max_entry_bytes: u64,
    /// Bytes of one JSON document (index, manifest, config).
    pub max_json_bytes: u64,
}

impl Default for ImportLimits {
    /// 4 GiB archive and unpacked layers, a million entries, 2 GiB per entry,
    /// 16 MiB per JSON document: far above real images, far below harm.
    fn default() -> ImportLimits {
        ImportLimits {
            max_archive_bytes: 4 << 30,
            max_unpacked_bytes: 4 << 30,
            max_entries: 1_000_000,
            max_entry_bytes: 2 << 30,
            max_json_bytes: 16 << 20,
        }
    }
}

/// Why an archive could not be imported: the entry (archive member, or
/// `layer N: path` inside a layer) and what is wrong, lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The entry the problem is in (empty for the archive as a whole).
    pub entry: String,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl ImportError {
    /// An error about `entry`.
    pub fn new(entry: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError {
            entry: entry.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entry.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.entry, self.message)
        }
    }
}

impl std::error::Error for ImportError {}

/// Something odd an import accepted (a duplicate entry, a link leaving the
/// root), named so the user can look at it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The entry concerned.
    pub entry: String,
    /// What was odd and what the importer did about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.message)
    }
}
