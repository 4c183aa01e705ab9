//! The catalog of simulated base images: what `FROM ubuntu:24.04` starts from when
//! no real image was loaded.
//!
//! Each image is a recipe (`images`) over compact text descriptions
//! (`manifest`, `src/catalog/*.txt`) expanded on demand into one `Vfs` per layer:
//! real directory trees, real package databases, real text where it is small and
//! simulated contents (size plus seed) where it is big. Nothing is downloaded and
//! nothing big is embedded, so the whole catalog costs a few hundred kilobytes of
//! text in the wasm. Every image says it is simulated (`CatalogEntry::simulated`).
//!
//! References resolve like Docker's: `ubuntu`, `ubuntu:latest` and
//! `docker.io/library/ubuntu:latest` are one image; a `@sha256:` digest is accepted
//! and ignored with a note, since a simulated image cannot match a real digest.

mod images;
mod manifest;
mod reference;
mod releases;
#[cfg(test)]
mod tests;

pub use manifest::{elf_head, Libc};
pub use releases::{release, release_for, Release, ReleaseEntry, RELEASE_DATE};

use crate::digest::Digest;
use crate::layer::{DiffStyle, Layer};
use crate::vfs::Vfs;
use std::fmt;

/// One name the catalog answers to, for listings and the page's image picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    /// `repository:tag` as a user would write it (`python:3.12-slim`).
    pub name: String,
    /// One line saying what the image is.
    pub description: String,
    /// Always true for catalog images: their big files are generated, not real.
    pub simulated: bool,
}

/// A base image expanded from the catalog, ready for the builder to stack on.
#[derive(Clone, Debug)]
pub struct BaseImage {
    /// The fully qualified reference (`docker.io/library/ubuntu:24.04`).
    pub canonical_name: String,
    /// What the image is, as the catalog's listing says it (for a patch-level tag
    /// such as `python:3.11.4-slim`: which model it is and with what version).
    pub description: String,
    /// Notes about how the reference was understood (e.g. an ignored digest).
    pub notes: Vec<String>,
    /// The layers, bottom first; `scratch` has none.
    pub layers: Vec<BaseLayer>,
    /// Every history entry in order, the layers' and the empty ones (ENV, CMD...).
    pub history: Vec<BaseHistory>,
    /// The runtime configuration the image carries.
    pub config: BaseConfig,
    /// `linux`.
    pub os: String,
    /// `amd64`.
    pub architecture: String,
    /// When the image was made, RFC 3339 (the last history entry's date).
    pub created: String,
    /// Who made it (`Bazel` for distroless; empty for Dockerfile-built images).
    pub author: String,
}

/// One layer: the whole filesystem after it, and how it was made.
#[derive(Clone, Debug)]
pub struct BaseLayer {
    /// The filesystem with this layer and all below applied (diff it against the
    /// previous layer's to get the layer's changes).
    pub fs_after: Vfs,
    /// The history `created_by` of the step that made it.
    pub created_by: String,
    /// The history comment (`buildkit.dockerfile.v0`, `debuerreotype 0.15`, empty).
    pub comment: String,
    /// RFC 3339 date of the step.
    pub created: String,
}

/// One history entry as `docker history` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseHistory {
    /// Who made the step (`Bazel` for distroless; usually empty).
    pub author: String,
    /// The command that made the step.
    pub created_by: String,
    /// The builder's comment, possibly empty.
    pub comment: String,
    /// RFC 3339 date.
    pub created: String,
    /// True for metadata-only steps, which have no layer.
    pub empty_layer: bool,
}

/// The image's runtime configuration (the OCI config's `config` object).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaseConfig {
    /// `KEY=value` strings in order.
    pub env: Vec<String>,
    /// Default command.
    pub cmd: Option<Vec<String>>,
    /// Entrypoint.
    pub entrypoint: Option<Vec<String>>,
    /// Working directory, empty for `/` by default.
    pub working_dir: String,
    /// User, empty for root.
    pub user: String,
    /// Exposed ports such as `80/tcp`, sorted.
    pub exposed_ports: Vec<String>,
    /// Volumes, sorted.
    pub volumes: Vec<String>,
    /// Labels as ordered pairs.
    pub labels: Vec<(String, String)>,
    /// The signal `docker stop` sends, if not SIGTERM.
    pub stop_signal: Option<String>,
    /// The SHELL for shell-form instructions, if set (none of the catalog's are).
    pub shell: Option<Vec<String>>,
}

/// Why a reference could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogError {
    /// The reference is not valid syntax (empty, bad characters, upper case...).
    InvalidReference {
        /// The reference as given.
        reference: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A valid reference the catalog does not have.
    NotInCatalog {
        /// The reference as given.
        reference: String,
        /// The repositories the catalog has.
        repositories: Vec<String>,
        /// Tags of the same repository, when it exists with other tags.
        tags: Vec<String>,
        /// The highest patch-level version each model of the repository accepts
        /// (`3.11.11`: `3.11.4-slim` resolves, `3.11.12-slim` does not).
        patch_limits: Vec<String>,
    },
    /// A bug in the catalog's own description (never the user's fault).
    Internal(String),
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::InvalidReference { reference, reason } => {
                write!(f, "invalid image reference \"{reference}\": {reason}")
            }
            CatalogError::NotInCatalog {
                reference,
                repositories,
                tags,
                patch_limits,
            } => {
                write!(
                    f,
                    "image \"{reference}\" is not in layerlab's catalog of simulated base images (it has: {})",
                    repositories.join(", ")
                )?;
                if !tags.is_empty() {
                    write!(f, "; tags of this repository: {}", tags.join(", "))?;
                }
                if !patch_limits.is_empty() {
                    write!(
                        f,
                        "; patch-level tags (X.Y.Z, X.Y.Z-variant) are accepted up to {} (the modelled releases)",
                        patch_limits.join(", ")
                    )?;
                }
                write!(
                    f,
                    "; to build on a real image, export it with \"docker save {reference} -o {file}.tar\" and load it with --load {file}.tar (CLI) or drop the tar on the page",
                    file = reference::file_stem(reference)
                )
            }
            CatalogError::Internal(message) => write!(f, "internal catalog error: {message}"),
        }
    }
}

impl std::error::Error for CatalogError {}

/// Every name the catalog answers to (one per tag), sorted, with a description.
pub fn names() -> Vec<CatalogEntry> {
    images::entries()
}

/// Expands the image `reference` names (`ubuntu`, `python:3.12-slim`,
/// `docker.io/library/alpine:3.21@sha256:...`) into its layers and configuration.
pub fn resolve(reference: &str) -> Result<BaseImage, CatalogError> {
    let parsed = reference::parse(reference)?;
    let Some(found) = images::lookup(&parsed.repository, &parsed.tag) else {
        return Err(CatalogError::NotInCatalog {
            reference: reference.trim().to_string(),
            repositories: images::repositories(),
            tags: images::tags_of(&parsed.repository),
            patch_limits: images::patch_limits(&parsed.repository),
        });
    };
    let mut image =
        images::expand(&found.recipe).map_err(|e| CatalogError::Internal(e.to_string()))?;
    image.canonical_name = parsed.canonical();
    image.description = found.description;
    image.notes = parsed.notes;
    Ok(image)
}

/// What `layer_ids.txt` holds: each catalog image's layer diffIDs, bottom first, as
/// `NAME... sha256:... sha256:...` lines (every name of one image on its line) under
/// a header saying how to remake it.
const LAYER_IDS: &str = include_str!("layer_ids.txt");

/// The diffIDs of the layers of the catalog image `canonical_name`, bottom first,
/// from `layer_ids.txt`: hashing the tars of a base image's layers is most of a first
/// build's time (over 100 MB for `python:3.12-slim`), and the answer never changes
/// while the catalog text does not. `None` for a name the table lacks (a patch-level
/// tag); a test checks the table against the hashed tars.
pub fn known_diff_ids(canonical_name: &str) -> Option<Vec<Digest>> {
    LAYER_IDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let mut words = line.split(' ').peekable();
            let mut named = false;
            while let Some(name) = words.next_if(|w| !w.starts_with("sha256:")) {
                named |= name == canonical_name;
            }
            named.then(|| words.map(Digest::parse).collect())
        })
        .flatten()
}

/// The diffIDs of each catalog image's layers, bottom first: every catalog name
/// expanded and its layers' tars hashed, the slow way. This is `layer_ids.txt`'s
/// content (`cargo run --release --example catalog_layer_ids` prints it); names
/// with the same layers share a line, which keeps the table (and the wasm) small.
pub fn layer_ids_table() -> String {
    let mut out = String::from(
        "# The diffIDs of each catalog image's layers, bottom first (see known_diff_ids).\n\
         # Remake after changing the catalog: cargo run --release --example catalog_layer_ids > src/catalog/layer_ids.txt\n",
    );
    let mut lines: Vec<(Vec<String>, String)> = Vec::new();
    for entry in names() {
        let Ok(image) = resolve(&entry.name) else {
            continue;
        };
        let mut ids = String::new();
        let mut below = Vfs::new();
        for layer in &image.layers {
            let diff = Layer::diff(&below, &layer.fs_after, DiffStyle::BuildKit);
            ids.push(' ');
            ids.push_str(&diff.layer.diff_id().to_string());
            below = layer.fs_after.clone();
        }
        match lines.iter_mut().find(|(_, other)| *other == ids) {
            Some((names, _)) => names.push(image.canonical_name),
            None => lines.push((vec![image.canonical_name], ids)),
        }
    }
    for (names, ids) in lines {
        out.push_str(&names.join(" "));
        out.push_str(&ids);
        out.push('\n');
    }
    out
}
