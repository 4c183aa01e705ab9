//! Real image archives into a store: an oci-archive (skopeo, buildah, podman),
//! a `docker save` tar (old layout or Docker 25+'s), or the files of an OCI
//! layout directory.
//!
//! Every digest is checked (blob contents against the manifest, config against
//! its descriptor or file name, each layer's uncompressed tar against the
//! config's diffIDs), layers are detected as gzip or plain by their magic bytes,
//! and each layer tar passes `archive::check_layer` before it is read. The
//! config's exact bytes go into the store, and each layer keeps its original tar,
//! so the image ID, the diffIDs and a later uncompressed export are unchanged.
//! The import is all or nothing: the store changes only when every image loaded.

use super::archive::{self, Budget, Files};
use super::gzip::{self, Detected};
use super::{ImportError, ImportLimits, Warning, IMAGE_NAME};
use crate::digest::Digest;
use crate::image::Image;
use crate::layer::Layer;
use crate::oci::layout::REF_NAME;
use crate::store::{normalise_tag, Store};
use serde_json::Value;

/// What an import loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The images, in the archive's order.
    pub images: Vec<ImportedImage>,
    /// Odd things accepted on the way, each naming its entry.
    pub warnings: Vec<Warning>,
}

/// One imported image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedImage {
    /// Image ID (sha256 of the original config bytes).
    pub id: Digest,
    /// Tags given to it in the store, as normalised there (`name:tag`).
    pub tags: Vec<String>,
    /// Its layers, bottom first.
    pub layers: Vec<ImportedLayer>,
}

/// One layer as the archive held it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedLayer {
    /// Digest of the blob as stored (compressed or not): the manifest's digest.
    pub digest: Digest,
    /// Digest of the uncompressed tar.
    pub diff_id: Digest,
    /// Bytes of the blob as stored.
    pub blob_size: u64,
}

/// Imports an archive's bytes into `store`. The archive may itself be gzipped
/// (`docker save | gzip`). `name` tags the image (the archive must hold one).
pub fn import(
    store: &mut Store,
    bytes: &[u8],
    name: Option<&str>,
    limits: &ImportLimits,
) -> Result<Imported, ImportError> {
    let mut budget = Budget::default();
    let unzipped;
    let bytes = match gzip::detect(bytes) {
        Detected::Gzip => {
            unzipped = gzip::decompress("", bytes, limits.max_archive_bytes)?;
            unzipped.as_slice()
        }
        Detected::Zstd => {
            return Err(ImportError::new(
                "",
                "the archive is zstd-compressed, which layerlab does not read: decompress it first (zstd -d)",
            ))
        }
        Detected::Plain => bytes,
    };
    let files = archive::read(bytes, limits, &mut budget)?;
    import_files(store, &files, name, limits, &mut budget)
}

/// Imports from members already read (an archive's, or an OCI layout
/// directory's files): `manifest.json` means `docker save`, else `index.json`.
pub fn import_files(
    store: &mut Store,
    files: &Files<'_>,
    name: Option<&str>,
    limits: &ImportLimits,
    budget: &mut Budget,
) -> Result<Imported, ImportError> {
    let mut staged = store.clone();
    let mut session = Session {
        store: &mut staged,
        files,
        limits,
        budget,
        out: Imported {
            images: Vec::new(),
            warnings: Vec::new(),
        },
    };
    if files.contains_key("manifest.json") {
        session.docker()?;
    } else if files.contains_key("index.json") {
        session.oci()?;
    } else {
        return Err(ImportError::new(
            "",
            "not an image archive: it has neither manifest.json (docker save) nor index.json (OCI layout)",
        ));
    }
    let mut imported = session.out;
    if let Some(name) = name {
        let [image] = imported.images.as_mut_slice() else {
            return Err(ImportError::new(
                "",
                format!(
                    "the archive holds {} images; a name can be given to exactly one",
                    imported.images.len()
                ),
            ));
        };
        tag(&mut staged, image, name)?;
    }
    *store = staged;
    Ok(imported)
}

fn tag(store: &mut Store, image: &mut ImportedImage, name: &str) -> Result<(), ImportError> {
    store
        .tag(name, &image.id)
        .map_err(|e| ImportError::new("", e.to_string()))?;
    let stored = normalise_tag(name);
    if !image.tags.contains(&stored) {
        image.tags.push(stored);
    }
    Ok(())
}

struct Session<'s, 'f> {
    store: &'s mut Store,
    files: &'s Files<'f>,
    limits: &'s ImportLimits,
    budget: &'s mut Budget,
    out: Imported,
}

impl<'f> Session<'_, 'f> {
    fn file(&self, path: &str, why: &str) -> Result<&'f [u8], ImportError> {
        self.files
            .get(path.trim_start_matches("./"))
            .copied()
            .ok_or_else(|| ImportError::new(path, format!("missing from the archive ({why})")))
    }

    fn json(&self, path: &str, why: &str) -> Result<Value, ImportError> {
        let bytes = self.file(path, why)?;
        if bytes.len() as u64 > self.limits.max_json_bytes {
            return Err(ImportError::new(
                path,
                format!(
                    "{} bytes of JSON, more than the {} allowed (ImportLimits::max_json_bytes)",
                    bytes.len(),
                    self.limits.max_json_bytes
                ),
            ));
        }
        serde_json::from_slice(bytes)
            .map_err(|e| ImportError::new(path, format!("invalid JSON ({e})")))
    }

    /// The blob a descriptor names, checked against its digest and size.
    fn blob(&self, descriptor: &Value, what: &str) -> Result<(Digest, &'f [u8]), ImportError> {
        let text = descriptor
            .get("digest")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(hex) = text.strip_prefix("sha256:") else {
            return Err(ImportError::new(
                what,
                format!("unsupported or missing digest '{text}' (only sha256 is read)"),
            ));
        };
        let digest = Digest::parse(hex)
            .ok_or_else(|| ImportError::new(what, format!("malformed digest '{text}'")))?;
        let path = format!("blobs/sha256/{hex}");
        let bytes = self.file(&path, what)?;
        let actual = Digest::of(bytes);
        if actual != digest {
            return Err(ImportError::new(
                &path,
                format!("content does not match its digest: the {what} names {digest}, the bytes hash to {actual}"),
            ));
        }
        if let Some(size) = descriptor.get("size").and_then(Value::as_u64) {
            if size != bytes.len() as u64 {
                return Err(ImportError::new(
                    &path,
                    format!("size {} does not match the {what}'s {size}", bytes.len()),
                ));
            }
        }
        Ok((digest, bytes))
    }

    fn oci(&mut self) -> Result<(), ImportError> {
        let index = self.json("index.json", "the OCI index")?;
        let mut manifests = Vec::new();
        self.collect(&index, "index.json", 0, &mut manifests)?;
        for (descriptor, at) in manifests {
            let annotations = descriptor.get("annotations");
            let name = annotations
                .and_then(|a| a.get(IMAGE_NAME))
                .or_else(|| annotations.and_then(|a| a.get(REF_NAME)))
                .and_then(Value::as_str)
                .map(str::to_string);
            let (_, bytes) = self.blob(&descriptor, &format!("manifest listed in {at}"))?;
            if bytes.len() as u64 > self.limits.max_json_bytes {
                return Err(ImportError::new(
                    &at,
                    "manifest larger than ImportLimits::max_json_bytes",
                ));
            }
            let manifest: Value = serde_json::from_slice(bytes)
                .map_err(|e| ImportError::new(&at, format!("manifest is invalid JSON ({e})")))?;
            let config = manifest.get("config").cloned().unwrap_or(Value::Null);
            let config_type = config
                .get("mediaType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !config_type.ends_with("config.v1+json") && !config_type.ends_with("image.v1+json") {
                self.out.warnings.push(Warning {
                    entry: at,
                    message: format!(
                        "skipped: not an image (config media type '{config_type}', e.g. an attestation)"
                    ),
                });
                continue;
            }
            let (_, config_bytes) = self.blob(&config, "manifest's config")?;
            let mut layers = Vec::new();
            for d in manifest
                .get("layers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (digest, bytes) = self.blob(d, "manifest's layer")?;
                layers.push((format!("blobs/sha256/{}", digest.hex()), digest, bytes));
            }
            self.image(config_bytes, "config", layers, name.into_iter().collect())?;
        }
        Ok(())
    }

    /// Image manifests of an index, following nested indexes (multi-platform).
    fn collect(
        &self,
        index: &Value,
        at: &str,
        depth: usize,
        out: &mut Vec<(Value, String)>,
    ) -> Result<(), ImportError> {
        if depth > 4 {
            return Err(ImportError::new(at, "indexes nested more than 4 deep"));
        }
        let list = index
            .get("manifests")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::new(at, "no 'manifests' list"))?;
        for d in list {
            let media = d
                .get("mediaType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if media.ends_with("image.index.v1+json") || media.ends_with("manifest.list.v2+json") {
                let (digest, bytes) = self.blob(d, &format!("index listed in {at}"))?;
                let nested: Value = serde_json::from_slice(bytes).map_err(|e| {
                    ImportError::new(at, format!("nested index is invalid JSON ({e})"))
                })?;
                self.collect(
                    &nested,
                    &format!("blobs/sha256/{}", digest.hex()),
                    depth + 1,
                    out,
                )?;
            } else {
                out.push((d.clone(), at.to_string()));
            }
        }
        Ok(())
    }

    fn docker(&mut self) -> Result<(), ImportError> {
        let manifest = self.json("manifest.json", "the docker save manifest")?;
        let items = manifest
            .as_array()
            .ok_or_else(|| ImportError::new("manifest.json", "not a JSON list of images"))?;
        for item in items {
            let config_path = item
                .get("Config")
                .and_then(Value::as_str)
                .ok_or_else(|| ImportError::new("manifest.json", "an image without 'Config'"))?;
            let config = self.file(config_path, "named by manifest.json's Config")?;
            let stem = config_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".json");
            if let Some(named) = Digest::parse(stem) {
                let actual = Digest::of(config);
                if named != actual {
                    return Err(ImportError::new(
                        config_path,
                        format!("content does not match its name: the bytes hash to {actual}"),
                    ));
                }
            }
            let mut layers = Vec::new();
            for path in item
                .get("Layers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let path = path.as_str().unwrap_or_default();
                let bytes = self.file(path, "named by manifest.json's Layers")?;
                layers.push((path.to_string(), Digest::of(bytes), bytes));
            }
            let tags = item
                .get("RepoTags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            self.image(config, config_path, layers, tags)?;
        }
        Ok(())
    }

    /// Loads one image: config checked against the layers, layers read and
    /// checked against the diffIDs, then stored and tagged.
    fn image(
        &mut self,
        config: &[u8],
        config_path: &str,
        layers: Vec<(String, Digest, &'f [u8])>,
        tags: Vec<String>,
    ) -> Result<(), ImportError> {
        let config_json = std::str::from_utf8(config)
            .map_err(|_| ImportError::new(config_path, "config is not UTF-8 JSON"))?;
        if config.len() as u64 > self.limits.max_json_bytes {
            return Err(ImportError::new(
                config_path,
                "config larger than ImportLimits::max_json_bytes",
            ));
        }
        let image = Image::from_json(config_json)
            .map_err(|e| ImportError::new(config_path, format!("invalid config ({e})")))?;
        if image.diff_ids.len() != layers.len() {
            return Err(ImportError::new(
                config_path,
                format!(
                    "the config lists {} diffIDs but the manifest {} layers",
                    image.diff_ids.len(),
                    layers.len()
                ),
            ));
        }
        let mut out_layers = Vec::new();
        for (i, ((path, digest, bytes), diff_id)) in
            layers.into_iter().zip(&image.diff_ids).enumerate()
        {
            if self.store.layer(diff_id).is_none() {
                let layer = self.layer(&format!("layer {i} ({path})"), bytes, &digest, diff_id)?;
                self.store.add_layer(layer);
            }
            out_layers.push(ImportedLayer {
                digest,
                diff_id: *diff_id,
                blob_size: bytes.len() as u64,
            });
        }
        let id = self
            .store
            .add_image_json(config_json)
            .map_err(|e| ImportError::new(config_path, e.to_string()))?;
        let mut imported = ImportedImage {
            id,
            tags: Vec::new(),
            layers: out_layers,
        };
        for t in tags {
            tag(self.store, &mut imported, &t)?;
        }
        match self.out.images.iter_mut().find(|i| i.id == id) {
            Some(existing) => {
                for t in imported.tags {
                    if !existing.tags.contains(&t) {
                        existing.tags.push(t);
                    }
                }
            }
            None => self.out.images.push(imported),
        }
        Ok(())
    }

    /// One layer blob (whose digest is `blob_digest`): decompressed if gzip,
    /// checked, read, its diffID verified (a plain blob's digest is its diffID,
    /// so it is not hashed twice).
    fn layer(
        &mut self,
        label: &str,
        blob: &[u8],
        blob_digest: &Digest,
        diff_id: &Digest,
    ) -> Result<Layer, ImportError> {
        let plain = gzip::detect(blob) == Detected::Plain;
        let unzipped;
        let tar: &[u8] = match gzip::detect(blob) {
            Detected::Gzip => {
                unzipped = gzip::decompress(label, blob, self.budget.unpacked_left(self.limits))?;
                &unzipped
            }
            Detected::Zstd => {
                return Err(ImportError::new(
                    label,
                    "zstd-compressed layer, which layerlab does not read",
                ))
            }
            Detected::Plain => blob,
        };
        self.budget.unpacked(label, tar.len() as u64, self.limits)?;
        let actual = if plain { *blob_digest } else { Digest::of(tar) };
        if actual != *diff_id {
            return Err(ImportError::new(
                label,
                format!(
                    "uncompressed content hashes to {actual}, but the config's diffID is {diff_id}"
                ),
            ));
        }
        let warnings = archive::check_layer(label, tar, self.limits, self.budget)?;
        self.out.warnings.extend(warnings);
        Layer::from_tar(tar)
            .map_err(|e| ImportError::new(format!("{label}: {}", e.entry), e.message))
    }
}
