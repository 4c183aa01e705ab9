//! Any stored image (tagged or an intermediate step) as an archive real tools
//! load: an oci-archive (`skopeo copy oci-archive:`, `podman load`) or the
//! `docker save` format (`docker load`).
//!
//! Both are written to a `Write` as they go: layer tars stream from the store's
//! layers (an imported layer writes back its original bytes), the outer tar's
//! headers are fixed (`tarball`), blobs are sorted by digest and JSON is written
//! in a fixed key order, so the same image always gives the same bytes. With
//! `gzip`, each layer is compressed once into memory (deterministically, see
//! `gzip`) because its digest must be known before the manifest is written.
//!
//! The docker format is what Docker 25+ writes: an OCI layout (`oci-layout`,
//! `index.json`, `blobs/sha256/...`) plus `manifest.json` (`Config`, `RepoTags`,
//! `Layers`, paths into `blobs/`) and `repositories`, which older `docker load`
//! reads. Index entries carry `io.containerd.image.name` (the full tag) and
//! `org.opencontainers.image.ref.name` (the tag part), as Docker writes them.

use super::tarball::{Counter, TarWriter};
use super::{gzip, IMAGE_NAME};
use crate::digest::Digest;
use crate::image::{
    index_json, Descriptor, Manifest, MEDIA_TYPE_CONFIG, MEDIA_TYPE_LAYER, MEDIA_TYPE_LAYER_GZIP,
    MEDIA_TYPE_MANIFEST,
};
use crate::layer::Layer;
use crate::oci::layout::REF_NAME;
use crate::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

/// Which archive to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An OCI image layout in a tar.
    Oci,
    /// `docker save`'s format (an OCI layout plus `manifest.json`).
    Docker,
}

/// How to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// The archive format.
    pub format: Format,
    /// gzip the layers (`...tar+gzip`); otherwise blob digest = diffID.
    pub gzip: bool,
}

/// Why an export failed.
#[derive(Debug)]
pub enum ExportError {
    /// The image or one of its layers is not in the store.
    Store(StoreError),
    /// The output could not be written.
    Io(io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Store(e) => e.fmt(f),
            ExportError::Io(e) => write!(f, "cannot write the archive: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> ExportError {
        ExportError::Io(e)
    }
}

/// A blob to write: bytes at hand or a layer streamed on demand.
pub(crate) enum Blob {
    Bytes(Vec<u8>),
    Layer(Arc<Layer>),
}

impl Blob {
    pub(crate) fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Blob::Bytes(b) => out.write_all(b),
            Blob::Layer(l) => l.write_tar(out),
        }
    }
}

/// The bytes of a layer's uncompressed tar, counted without keeping them.
pub(crate) fn tar_size(layer: &Layer) -> u64 {
    let mut counter = Counter {
        inner: io::sink(),
        count: 0,
    };
    // A sink never fails.
    let _ = layer.write_tar(&mut counter);
    counter.count
}

/// One image's blobs and manifest, ready to be written.
pub(crate) struct Prepared {
    /// Blobs by digest (config, layers, manifest).
    pub blobs: BTreeMap<Digest, (u64, Blob)>,
    /// The manifest's descriptor (no annotations).
    pub manifest: Descriptor,
    /// Image ID (config digest).
    pub config: Digest,
    /// Layer blob digests, bottom first.
    pub layers: Vec<Digest>,
}

/// Collects the blobs of image `id` and writes its manifest.
pub(crate) fn prepare(
    store: &Store,
    id: &Digest,
    gzip_layers: bool,
) -> Result<Prepared, StoreError> {
    let stored = store
        .image(id)
        .ok_or_else(|| StoreError::UnknownImage(id.to_string()))?;
    let mut blobs = BTreeMap::new();
    let config_bytes = stored.config_json.as_bytes().to_vec();
    let config = Descriptor::of(MEDIA_TYPE_CONFIG, &config_bytes);
    blobs.insert(config.digest, (config.size, Blob::Bytes(config_bytes)));
    let mut descriptors = Vec::new();
    for layer in store.layers_of(id)? {
        let (digest, size, media_type, blob) = if gzip_layers {
            let bytes = gzip::compress(|w| layer.write_tar(w));
            (
                Digest::of(&bytes),
                bytes.len() as u64,
                MEDIA_TYPE_LAYER_GZIP,
                Blob::Bytes(bytes),
            )
        } else {
            (
                layer.diff_id(),
                tar_size(&layer),
                MEDIA_TYPE_LAYER,
                Blob::Layer(layer),
            )
        };
        descriptors.push(Descriptor {
            media_type: media_type.to_string(),
            digest,
            size,
            annotations: BTreeMap::new(),
        });
        blobs.entry(digest).or_insert((size, blob));
    }
    let layers = descriptors.iter().map(|d| d.digest).collect();
    let manifest_json = Manifest {
        config: config.clone(),
        layers: descriptors,
        annotations: BTreeMap::new(),
    }
    .to_json()
    .into_bytes();
    let manifest = Descriptor::of(MEDIA_TYPE_MANIFEST, &manifest_json);
    blobs.insert(manifest.digest, (manifest.size, Blob::Bytes(manifest_json)));
    Ok(Prepared {
        blobs,
        manifest,
        config: config.digest,
        layers,
    })
}

/// The tags of image `id` that `reference` asks for: the tag itself when it is
/// one, none when the image is named by ID (as `docker save ID` does).
fn tags_for(store: &Store, reference: &str, id: &Digest) -> Vec<String> {
    store
        .tags()
        .iter()
        .filter(|(tag, tid)| {
            *tid == id && (tag.as_str() == reference || *tag == &format!("{reference}:latest"))
        })
        .map(|(tag, _)| tag.clone())
        .collect()
}

/// The tag part of a reference (`registry:5000/app:1.2` → `1.2`).
fn tag_part(reference: &str) -> &str {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.rsplit_once(':').map_or("latest", |(_, t)| t)
}

/// The repository part (`registry:5000/app:1.2` → `registry:5000/app`).
fn repo_part(reference: &str) -> &str {
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(i) => &reference[..slash + i],
        None => reference,
    }
}

/// Writes image `reference` (tag, ID or ID prefix) as an archive to `out`.
pub fn write(
    store: &Store,
    reference: &str,
    options: ExportOptions,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let id = store.resolve(reference).map_err(ExportError::Store)?;
    let tags = tags_for(store, reference, &id);
    let prepared = prepare(store, &id, options.gzip).map_err(ExportError::Store)?;
    let mut index = Vec::new();
    for tag in &tags {
        let mut d = prepared.manifest.clone();
        d.annotations.insert(IMAGE_NAME.to_string(), tag.clone());
        d.annotations
            .insert(REF_NAME.to_string(), tag_part(tag).to_string());
        index.push(d);
    }
    if tags.is_empty() {
        index.push(prepared.manifest.clone());
    }
    let mut tar = TarWriter::new(out);
    tar.dir("blobs")?;
    tar.dir("blobs/sha256")?;
    for (digest, (size, blob)) in &prepared.blobs {
        tar.stream(&format!("blobs/sha256/{}", digest.hex()), *size, &mut |w| {
            blob.write_to(w)
        })?;
    }
    tar.file("index.json", index_json(&index).as_bytes())?;
    if options.format == Format::Docker {
        tar.file(
            "manifest.json",
            docker_manifest(&prepared, &tags).as_bytes(),
        )?;
    }
    tar.file("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    if options.format == Format::Docker && !tags.is_empty() {
        tar.file("repositories", repositories(store, &id, &tags).as_bytes())?;
    }
    tar.finish()?;
    Ok(())
}

/// The archive as bytes (what the page offers as a download).
pub fn to_bytes(
    store: &Store,
    reference: &str,
    options: ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    write(store, reference, options, &mut out)?;
    Ok(out)
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// `manifest.json` as Docker writes it (Go's encoder: compact, a final newline).
fn docker_manifest(p: &Prepared, tags: &[String]) -> String {
    let repo_tags = if tags.is_empty() {
        "null".to_string()
    } else {
        let items: Vec<String> = tags.iter().map(|t| json_string(t)).collect();
        format!("[{}]", items.join(","))
    };
    let layers: Vec<String> = p
        .layers
        .iter()
        .map(|d| json_string(&format!("blobs/sha256/{}", d.hex())))
        .collect();
    format!(
        "[{{\"Config\":{},\"RepoTags\":{repo_tags},\"Layers\":[{}]}}]\n",
        json_string(&format!("blobs/sha256/{}", p.config.hex())),
        layers.join(",")
    )
}

/// `repositories`: repository → tag → hex of the top layer's diffID.
fn repositories(store: &Store, id: &Digest, tags: &[String]) -> String {
    let top = store
        .image(id)
        .and_then(|s| s.image.diff_ids.last().map(Digest::hex))
        .unwrap_or_default();
    let mut repos: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for tag in tags {
        repos
            .entry(repo_part(tag))
            .or_default()
            .insert(tag_part(tag), &top);
    }
    let mut out = serde_json::to_string(&repos).unwrap_or_default();
    out.push('\n');
    out
}
