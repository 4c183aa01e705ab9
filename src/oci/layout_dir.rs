//! A whole store as an OCI image layout directory, the CLI's `--store DIR`:
//! `oci-layout`, `index.json` with one manifest per tag (both
//! `io.containerd.image.name` and `org.opencontainers.image.ref.name` set to the
//! full tag, so `skopeo inspect oci:DIR:app:1.0` and `umoci unpack --image
//! DIR:app:1.0` find it) plus one unnamed entry per untagged image, and
//! `blobs/sha256/` with every config, uncompressed layer and manifest.
//!
//! `save` and `load` are a pair over file lists; the directory IO is the
//! caller's. Saving then loading gives the same images, IDs, layers and tags.

use super::archive::{Budget, Files};
use super::export::{prepare, Blob};
use super::import::import_files;
use super::{ImportError, ImportLimits, IMAGE_NAME};
use crate::image::index_json;
use crate::oci::layout::REF_NAME;
use crate::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One file of the layout: its path and contents, written on demand so a
/// caller can skip blobs already on disk (blobs are content-addressed).
pub struct LayoutFile {
    /// Path relative to the layout directory (`blobs/sha256/<hex>`).
    pub path: String,
    /// Bytes it holds.
    pub size: u64,
    content: Blob,
}

impl LayoutFile {
    /// Writes the contents to `out`.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        self.content.write_to(out)
    }

    /// The contents as bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write_to(&mut out);
        out
    }

    /// Whether this is a content-addressed blob (same path, same bytes).
    pub fn is_blob(&self) -> bool {
        self.path.starts_with("blobs/")
    }
}

/// The layout files of every image in `store`.
pub fn save(store: &Store) -> Result<Vec<LayoutFile>, StoreError> {
    let mut blobs = BTreeMap::new();
    let mut index = Vec::new();
    for id in store.image_ids() {
        let prepared = prepare(store, &id, false)?;
        let tags: Vec<&String> = store
            .tags()
            .iter()
            .filter(|(_, t)| **t == id)
            .map(|(k, _)| k)
            .collect();
        if tags.is_empty() {
            index.push(prepared.manifest.clone());
        }
        for tag in tags {
            let mut d = prepared.manifest.clone();
            d.annotations.insert(IMAGE_NAME.to_string(), tag.clone());
            d.annotations.insert(REF_NAME.to_string(), tag.clone());
            index.push(d);
        }
        for (digest, blob) in prepared.blobs {
            blobs.entry(digest).or_insert(blob);
        }
    }
    crate::sort::sort_by(&mut index, |a, b| {
        a.annotations
            .get(IMAGE_NAME)
            .cmp(&b.annotations.get(IMAGE_NAME))
            .then(a.digest.cmp(&b.digest))
    });
    let text = |path: &str, bytes: Vec<u8>| LayoutFile {
        path: path.to_string(),
        size: bytes.len() as u64,
        content: Blob::Bytes(bytes),
    };
    let mut files = vec![
        text("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec()),
        text("index.json", index_json(&index).into_bytes()),
    ];
    files.extend(
        blobs
            .into_iter()
            .map(|(digest, (size, content))| LayoutFile {
                path: format!("blobs/sha256/{}", digest.hex()),
                size,
                content,
            }),
    );
    Ok(files)
}

/// A store from a layout's files (path relative to the directory → bytes); an
/// empty list (a new store) gives an empty store.
pub fn load(
    files: &BTreeMap<String, Vec<u8>>,
    limits: &ImportLimits,
) -> Result<Store, ImportError> {
    let mut store = Store::new();
    if files.is_empty() {
        return Ok(store);
    }
    let view: Files<'_> = files
        .iter()
        .filter(|(path, _)| path.as_str() != "manifest.json")
        .map(|(path, bytes)| (path.clone(), bytes.as_slice()))
        .collect();
    import_files(&mut store, &view, None, limits, &mut Budget::default())?;
    Ok(store)
}
