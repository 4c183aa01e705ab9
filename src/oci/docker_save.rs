//! A small reader of `docker save` archives: `manifest.json` naming each image's
//! config and layer tars (plain or gzip), as Docker and go-containerregistry write
//! them. Enough to explore and test real images; the export/import issue adds the
//! limits and checks a hostile archive needs (sizes, digests against the config).

use crate::layer::{Layer, LayerError};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

/// One image of the archive.
#[derive(Clone, Debug)]
pub struct SavedImage {
    /// The config JSON exactly as stored (its sha256 is the image ID).
    pub config_json: String,
    /// The names the archive gives the image (`RepoTags`).
    pub repo_tags: Vec<String>,
    /// The layers, bottom first, each keeping its uncompressed tar bytes.
    pub layers: Vec<Layer>,
}

/// Why an archive could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveError {
    /// The archive itself (not a tar, no `manifest.json`, a missing member...).
    Archive(String),
    /// A layer tar inside it.
    Layer(String, LayerError),
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::Archive(why) => write!(f, "docker archive: {why}"),
            ArchiveError::Layer(member, e) => write!(f, "docker archive, layer {member}: {e}"),
        }
    }
}

impl std::error::Error for ArchiveError {}

/// Reads every image of a `docker save` archive.
pub fn read(archive: &[u8]) -> Result<Vec<SavedImage>, ArchiveError> {
    let bad = |why: String| ArchiveError::Archive(why);
    let mut members: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut tar = tar::Archive::new(archive);
    for entry in tar
        .entries()
        .map_err(|e| bad(format!("not a tar archive: {e}")))?
    {
        let mut entry = entry.map_err(|e| bad(format!("corrupt tar: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes())
            .trim_start_matches("./")
            .to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| bad(format!("{name}: truncated: {e}")))?;
        members.insert(name, bytes);
    }
    let manifest = members
        .get("manifest.json")
        .ok_or_else(|| bad("no manifest.json".into()))?;
    let manifest: serde_json::Value =
        serde_json::from_slice(manifest).map_err(|e| bad(format!("manifest.json: {e}")))?;
    let mut images = Vec::new();
    for item in manifest
        .as_array()
        .ok_or_else(|| bad("manifest.json is not a list".into()))?
    {
        let member = |name: &str| {
            members
                .get(name)
                .ok_or_else(|| bad(format!("missing member {name}")))
        };
        let config_name = item["Config"]
            .as_str()
            .ok_or_else(|| bad("an image without Config".into()))?;
        let config_json = String::from_utf8(member(config_name)?.clone())
            .map_err(|_| bad(format!("{config_name} is not UTF-8")))?;
        let repo_tags = item["RepoTags"]
            .as_array()
            .map(|tags| {
                tags.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut layers = Vec::new();
        for name in item["Layers"].as_array().into_iter().flatten() {
            let name = name
                .as_str()
                .ok_or_else(|| bad("a layer name is not a string".into()))?;
            let bytes = member(name)?;
            let tar = if bytes.starts_with(&[0x1f, 0x8b]) {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .map_err(|e| bad(format!("{name}: bad gzip: {e}")))?;
                plain
            } else {
                bytes.clone()
            };
            layers
                .push(Layer::from_tar(&tar).map_err(|e| ArchiveError::Layer(name.to_string(), e))?);
        }
        images.push(SavedImage {
            config_json,
            repo_tags,
            layers,
        });
    }
    Ok(images)
}
