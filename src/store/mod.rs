//! The content-addressed store: layers and images by digest, tags, and the
//! accounting `docker system df -v` shows.
//!
//! Three tables, as in Docker's own image store:
//!
//! - layer contents by diffID, each stored once however many images use it;
//! - layers by **chain ID** (a diff on top of a given parent), reference-counted
//!   by the images that use them: two images built `FROM` the same base share the
//!   base's chain layers, and a layer is freed when its last image goes;
//! - images by ID (sha256 of the config JSON, whose bytes are kept so imported
//!   images keep their real IDs), and tags naming them.
//!
//! Sizes are `Layer::size` (what `docker history` shows): an image's size is the
//! sum of its layers, its shared size the part in layers other images also use.

#[cfg(test)]
mod tests;

use crate::digest::Digest;
use crate::image::{chain_ids, Image};
use crate::layer::{Layer, LayerError};
use crate::union::Union;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Layers, images and tags (see the module docs).
#[derive(Clone, Default)]
pub struct Store {
    contents: BTreeMap<Digest, Arc<Layer>>,
    layers: BTreeMap<Digest, ChainLayer>,
    images: BTreeMap<Digest, StoredImage>,
    tags: BTreeMap<String, Digest>,
}

/// A layer in the chain-ID table.
#[derive(Clone, Debug)]
struct ChainLayer {
    diff_id: Digest,
    size: u64,
    refs: usize,
}

/// An image and the exact config bytes its ID is the digest of.
#[derive(Clone, Debug)]
pub struct StoredImage {
    /// The parsed config.
    pub image: Image,
    /// The config JSON as stored (the image ID is its sha256).
    pub config_json: String,
}

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// No image matches this reference (tag, ID or ID prefix).
    UnknownImage(String),
    /// An ID prefix matches several images.
    AmbiguousImage(String),
    /// The image names a layer whose contents are not in the store.
    MissingLayer(Digest),
    /// The config JSON cannot be read.
    BadConfig(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::UnknownImage(r) => write!(f, "no such image: {r}"),
            StoreError::AmbiguousImage(r) => write!(f, "image reference {r} is ambiguous"),
            StoreError::MissingLayer(d) => write!(f, "layer {d} is not in the store"),
            StoreError::BadConfig(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// One row of `docker system df -v`'s image table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUsage {
    /// Image ID.
    pub id: Digest,
    /// Tags naming it, sorted.
    pub tags: Vec<String>,
    /// Bytes of all its layers.
    pub size: u64,
    /// Bytes in layers other images also use.
    pub shared_size: u64,
    /// Bytes in layers only this image uses (what removing it frees).
    pub unique_size: u64,
    /// Number of layers.
    pub layers: usize,
}

/// The whole store's accounting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskUsage {
    /// Per image, by ID.
    pub images: Vec<ImageUsage>,
    /// Bytes of every distinct chain layer, counted once (what the disk holds).
    pub layers_size: u64,
    /// Sum of the images' sizes, shared layers counted once per image (what a
    /// naive sum of `docker images` sizes suggests).
    pub naive_size: u64,
}

/// What removing an image did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// Tags that were removed with it.
    pub untagged: Vec<String>,
    /// Chain IDs of the layers freed (their last image went).
    pub deleted_layers: Vec<Digest>,
    /// Bytes freed.
    pub freed_bytes: u64,
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// Stores a layer's contents (once per diffID) and returns its diffID.
    pub fn add_layer(&mut self, layer: Layer) -> Digest {
        let diff_id = layer.diff_id();
        self.contents
            .entry(diff_id)
            .or_insert_with(|| Arc::new(layer));
        diff_id
    }

    /// The layer with this diffID.
    pub fn layer(&self, diff_id: &Digest) -> Option<&Arc<Layer>> {
        self.contents.get(diff_id)
    }

    /// Stores an image whose layers are already stored; returns its ID. Adding an
    /// image that is already there changes nothing.
    pub fn add_image(&mut self, image: Image) -> Result<Digest, StoreError> {
        let json = image.to_json();
        self.insert_image(image, json)
    }

    /// Stores an image from its config JSON as found in an archive, so its ID is
    /// the digest of those exact bytes.
    pub fn add_image_json(&mut self, config_json: &str) -> Result<Digest, StoreError> {
        let image =
            Image::from_json(config_json).map_err(|e| StoreError::BadConfig(e.to_string()))?;
        self.insert_image(image, config_json.to_string())
    }

    fn insert_image(&mut self, image: Image, config_json: String) -> Result<Digest, StoreError> {
        if let Some(missing) = image
            .diff_ids
            .iter()
            .find(|d| !self.contents.contains_key(d))
        {
            return Err(StoreError::MissingLayer(*missing));
        }
        let id = Digest::of(config_json.as_bytes());
        if self.images.contains_key(&id) {
            return Ok(id);
        }
        for (chain_id, diff_id) in chain_ids(&image.diff_ids).into_iter().zip(&image.diff_ids) {
            let size = self.contents.get(diff_id).map_or(0, |l| l.size());
            self.layers
                .entry(chain_id)
                .or_insert(ChainLayer {
                    diff_id: *diff_id,
                    size,
                    refs: 0,
                })
                .refs += 1;
        }
        self.images.insert(id, StoredImage { image, config_json });
        Ok(id)
    }

    /// The image with this ID.
    pub fn image(&self, id: &Digest) -> Option<&StoredImage> {
        self.images.get(id)
    }

    /// Every image ID, sorted.
    pub fn image_ids(&self) -> Vec<Digest> {
        self.images.keys().copied().collect()
    }

    /// Names image `id` `tag` (`name` means `name:latest`), moving the tag if it
    /// named another image.
    pub fn tag(&mut self, tag: &str, id: &Digest) -> Result<(), StoreError> {
        if !self.images.contains_key(id) {
            return Err(StoreError::UnknownImage(id.to_string()));
        }
        self.tags.insert(normalise_tag(tag), *id);
        Ok(())
    }

    /// Every tag with the image it names, sorted by tag.
    pub fn tags(&self) -> &BTreeMap<String, Digest> {
        &self.tags
    }

    /// The image a reference names: a tag, a full ID (`sha256:...` or bare hex), or
    /// a unique prefix of an ID's hex, as `docker` accepts them.
    pub fn resolve(&self, reference: &str) -> Result<Digest, StoreError> {
        if let Some(id) = self.tags.get(&normalise_tag(reference)) {
            return Ok(*id);
        }
        if let Some(id) = Digest::parse(reference).filter(|d| self.images.contains_key(d)) {
            return Ok(id);
        }
        let prefix = reference.strip_prefix("sha256:").unwrap_or(reference);
        if prefix.is_empty() || !prefix.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(StoreError::UnknownImage(reference.to_string()));
        }
        let mut matches = self.images.keys().filter(|id| id.hex().starts_with(prefix));
        match (matches.next(), matches.next()) {
            (Some(id), None) => Ok(*id),
            (Some(_), Some(_)) => Err(StoreError::AmbiguousImage(reference.to_string())),
            _ => Err(StoreError::UnknownImage(reference.to_string())),
        }
    }

    /// The layers of image `id`, bottom first.
    pub fn layers_of(&self, id: &Digest) -> Result<Vec<Arc<Layer>>, StoreError> {
        let stored = self
            .images
            .get(id)
            .ok_or_else(|| StoreError::UnknownImage(id.to_string()))?;
        stored
            .image
            .diff_ids
            .iter()
            .map(|d| {
                self.contents
                    .get(d)
                    .cloned()
                    .ok_or(StoreError::MissingLayer(*d))
            })
            .collect()
    }

    /// The union view of image `id`.
    pub fn union(&self, id: &Digest) -> Result<Union, UnionError> {
        let layers = self.layers_of(id).map_err(UnionError::Store)?;
        Union::new(layers.iter().map(|l| l.as_ref())).map_err(UnionError::Layer)
    }

    /// Bytes removing image `id` would free, without removing it.
    pub fn freed_by_removing(&self, id: &Digest) -> u64 {
        let Some(stored) = self.images.get(id) else {
            return 0;
        };
        chain_ids(&stored.image.diff_ids)
            .iter()
            .filter_map(|c| self.layers.get(c))
            .filter(|l| l.refs == 1)
            .map(|l| l.size)
            .sum()
    }

    /// Removes image `id` and its tags, freeing the layers no other image uses.
    pub fn remove_image(&mut self, id: &Digest) -> Result<Removal, StoreError> {
        let stored = self
            .images
            .remove(id)
            .ok_or_else(|| StoreError::UnknownImage(id.to_string()))?;
        let untagged: Vec<String> = self
            .tags
            .iter()
            .filter(|(_, v)| *v == id)
            .map(|(k, _)| k.clone())
            .collect();
        for tag in &untagged {
            self.tags.remove(tag);
        }
        let mut deleted_layers = Vec::new();
        let mut freed_bytes = 0;
        for chain_id in chain_ids(&stored.image.diff_ids) {
            let Some(layer) = self.layers.get_mut(&chain_id) else {
                continue;
            };
            layer.refs = layer.refs.saturating_sub(1);
            if layer.refs == 0 {
                freed_bytes += layer.size;
                let diff_id = layer.diff_id;
                self.layers.remove(&chain_id);
                deleted_layers.push(chain_id);
                if !self.layers.values().any(|l| l.diff_id == diff_id) {
                    self.contents.remove(&diff_id);
                }
            }
        }
        Ok(Removal {
            untagged,
            deleted_layers,
            freed_bytes,
        })
    }

    /// `docker system df -v`: per-image size, shared and unique bytes, and totals.
    pub fn disk_usage(&self) -> DiskUsage {
        let mut images = Vec::new();
        for (id, stored) in &self.images {
            let chain = chain_ids(&stored.image.diff_ids);
            let (mut size, mut shared) = (0, 0);
            for layer in chain.iter().filter_map(|c| self.layers.get(c)) {
                size += layer.size;
                if layer.refs > 1 {
                    shared += layer.size;
                }
            }
            let tags = self
                .tags
                .iter()
                .filter(|(_, v)| *v == id)
                .map(|(k, _)| k.clone())
                .collect();
            images.push(ImageUsage {
                id: *id,
                tags,
                size,
                shared_size: shared,
                unique_size: size - shared,
                layers: stored.image.diff_ids.len(),
            });
        }
        DiskUsage {
            layers_size: self.layers.values().map(|l| l.size).sum(),
            naive_size: images.iter().map(|i| i.size).sum(),
            images,
        }
    }
}

/// Why the union of a stored image could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnionError {
    /// The image or one of its layers is not in the store.
    Store(StoreError),
    /// A layer could not be applied.
    Layer(LayerError),
}

impl fmt::Display for UnionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnionError::Store(e) => e.fmt(f),
            UnionError::Layer(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for UnionError {}

/// `name` → `name:latest`; a tag or digest reference is kept as it is: the key
/// under which `tag` stores a name (importers report tags in this form).
pub fn normalise_tag(tag: &str) -> String {
    let last = tag.rsplit('/').next().unwrap_or(tag);
    if last.contains(':') || tag.contains('@') {
        tag.to_string()
    } else {
        format!("{tag}:latest")
    }
}
