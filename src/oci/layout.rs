//! An image as an OCI image layout (`image-layout.md`): `oci-layout`,
//! `index.json` naming the manifest with `org.opencontainers.image.ref.name`, and
//! `blobs/sha256/<hex>` for the manifest, the config and every layer.
//!
//! The layout is a list of `(path, bytes)` in a fixed order, so the caller decides
//! where it goes (a directory in a test, a download in the browser); `archive`
//! packs it into a tar (an "oci-archive") with the same deterministic tar writer
//! as the layers. The same image always gives the same bytes.

use crate::digest::Digest;
use crate::image::{
    index_json, Descriptor, Manifest, MEDIA_TYPE_CONFIG, MEDIA_TYPE_LAYER, MEDIA_TYPE_LAYER_GZIP,
    MEDIA_TYPE_MANIFEST,
};
use crate::layer::{EntryKind, Layer, LayerEntry};
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta};
use std::collections::BTreeMap;

/// The annotation an OCI index uses to name an image.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// How layer blobs are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain tars (`...layer.v1.tar`): blob digest = diffID.
    None,
    /// gzip (`...layer.v1.tar+gzip`), what registries and buildah store.
    Gzip,
}

/// The files of an OCI layout holding one image: `config_json` (the exact config
/// bytes, so the image ID is kept), its `layers` bottom first, named `tag`.
pub fn layout(
    config_json: &str,
    layers: &[&Layer],
    tag: &str,
    compression: Compression,
) -> Vec<(String, Vec<u8>)> {
    let mut blobs: BTreeMap<Digest, Vec<u8>> = BTreeMap::new();
    let config = Descriptor::of(MEDIA_TYPE_CONFIG, config_json.as_bytes());
    blobs.insert(config.digest, config_json.as_bytes().to_vec());
    let mut layer_descriptors = Vec::new();
    for layer in layers {
        let (media_type, bytes) = match compression {
            Compression::None => (MEDIA_TYPE_LAYER, layer.tar()),
            Compression::Gzip => (MEDIA_TYPE_LAYER_GZIP, layer.tar_gzip()),
        };
        let descriptor = Descriptor::of(media_type, &bytes);
        blobs.insert(descriptor.digest, bytes);
        layer_descriptors.push(descriptor);
    }
    let manifest = Manifest {
        config,
        layers: layer_descriptors,
        annotations: BTreeMap::new(),
    };
    let manifest_json = manifest.to_json();
    let mut manifest_descriptor = Descriptor::of(MEDIA_TYPE_MANIFEST, manifest_json.as_bytes());
    manifest_descriptor
        .annotations
        .insert(REF_NAME.to_string(), tag.to_string());
    blobs.insert(manifest_descriptor.digest, manifest_json.into_bytes());

    let mut files = vec![
        (
            "oci-layout".to_string(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
        (
            "index.json".to_string(),
            index_json(&[manifest_descriptor]).into_bytes(),
        ),
    ];
    files.extend(
        blobs
            .into_iter()
            .map(|(digest, bytes)| (format!("blobs/sha256/{}", digest.hex()), bytes)),
    );
    files
}

/// The layout as one tar (an oci-archive, what `skopeo copy oci-archive:` reads):
/// directories 0755 and files 0644, root-owned, dated the epoch.
pub fn archive(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut entries = Vec::new();
    let mut dirs_done = std::collections::BTreeSet::new();
    for (path, bytes) in files {
        let mut prefix = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for dir in &parts[..parts.len().saturating_sub(1)] {
            prefix = if prefix.is_empty() {
                dir.to_string()
            } else {
                format!("{prefix}/{dir}")
            };
            if dirs_done.insert(prefix.clone()) {
                entries.push(LayerEntry {
                    path: prefix.clone(),
                    change: EntryKind::Node {
                        kind: Kind::Dir,
                        meta: Meta::new(0o755),
                    },
                });
            }
        }
        entries.push(LayerEntry {
            path: path.clone(),
            change: EntryKind::Node {
                kind: Kind::File(Blob::from_bytes(bytes.clone())),
                meta: Meta::new(0o644),
            },
        });
    }
    Layer::from_entries(entries).tar()
}
