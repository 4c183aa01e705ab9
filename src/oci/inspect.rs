//! The dive-like report of an image: per layer its digests, size, the command
//! that made it and how many paths it added, modified and deleted; for the
//! image its size, wasted bytes, efficiency and the files that waste space; and
//! dive's CI thresholds.
//!
//! Where this differs from dive (`wagoodman/dive`, `runtime/ci/rules.go` and
//! the analysis it evaluates):
//! - wasted bytes count the N-1 copies of a path that are not visible (the
//!   union's `Waste`); dive adds up every copy including the visible one
//!   (dive issue #684), so its figure is larger for the same image;
//! - efficiency is (all bytes written - wasted) / all bytes written, from the
//!   same N-1 count;
//! - the user-wasted ratio is wasted bytes / bytes of every layer but the
//!   first (dive's `userSizeBytes`), and 0 when those layers are empty (dive
//!   divides by zero).
//!
//! The thresholds mean what dive's do: fail when efficiency < lowest,
//! wasted bytes > highest, or user-wasted ratio > highest.

use super::import::{self, ImportedImage};
use super::{ImportError, ImportLimits, Warning};
use crate::digest::Digest;
use crate::store::{Store, UnionError};
use crate::union::ChangeLetter;
use serde::Serialize;

/// The whole report (what `layerlab inspect --json` prints).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Image ID.
    pub image: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// Layers, bottom first.
    pub layers: Vec<LayerReport>,
    /// Bytes of all layers (regular files, as `docker history` counts).
    pub size: u64,
    /// Bytes of every layer but the first (dive's user size).
    pub user_size: u64,
    /// Bytes of file versions hidden by later layers (N-1 copies).
    pub wasted_bytes: u64,
    /// Wasted bytes / user size (a ratio, as dive's "percent" is).
    pub wasted_user_percent: f64,
    /// Share of written bytes still visible, 0..=1.
    pub efficiency: f64,
    /// Paths that waste space, most wasted first.
    pub inefficient_files: Vec<InefficientFile>,
    /// What the import accepted with a warning.
    pub warnings: Vec<Warning>,
}

/// One layer's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerReport {
    /// Digest of the blob as the archive stores it (the diffID when uncompressed).
    pub digest: String,
    /// Digest of the uncompressed tar.
    pub diff_id: String,
    /// Bytes of regular files in the layer.
    pub size: u64,
    /// The history command that made it ("" when the history does not say).
    pub created_by: String,
    /// Paths added.
    pub added: usize,
    /// Paths modified (including parent directories of changes, as `docker diff`).
    pub modified: usize,
    /// Paths deleted (tops of deleted subtrees).
    pub deleted: usize,
}

/// A path whose earlier versions waste space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InefficientFile {
    /// Path in the image.
    pub path: String,
    /// Versions written, across layers.
    pub copies: usize,
    /// Bytes of all versions.
    pub total_bytes: u64,
    /// Bytes of the versions not visible.
    pub wasted_bytes: u64,
}

/// dive's CI thresholds; `None` disables a rule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Thresholds {
    /// Fail when efficiency is below this.
    pub lowest_efficiency: Option<f64>,
    /// Fail when more bytes than this are wasted.
    pub highest_wasted_bytes: Option<u64>,
    /// Fail when wasted / user size is above this.
    pub highest_user_wasted_percent: Option<f64>,
}

/// The report of stored image `id`; `digests` are the layer blob digests as an
/// archive held them (`None`: the diffIDs, as an uncompressed export has them).
pub fn report(
    store: &Store,
    id: &Digest,
    digests: Option<&[Digest]>,
) -> Result<Report, UnionError> {
    let stored = store
        .image(id)
        .ok_or_else(|| UnionError::Store(crate::store::StoreError::UnknownImage(id.to_string())))?;
    let union = store.union(id)?;
    let layers = store.layers_of(id).map_err(UnionError::Store)?;
    let mut commands = stored
        .image
        .history
        .iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.created_by.clone());
    let mut rows = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        let (mut added, mut modified, mut deleted) = (0, 0, 0);
        for change in union.changes(i) {
            match change.kind {
                ChangeLetter::Added => added += 1,
                ChangeLetter::Changed => modified += 1,
                ChangeLetter::Deleted => deleted += 1,
            }
        }
        let diff_id = layer.diff_id();
        rows.push(LayerReport {
            digest: digests
                .and_then(|d| d.get(i))
                .copied()
                .unwrap_or(diff_id)
                .to_string(),
            diff_id: diff_id.to_string(),
            size: layer.size(),
            created_by: commands.next().unwrap_or_default(),
            added,
            modified,
            deleted,
        });
    }
    let size: u64 = rows.iter().map(|r| r.size).sum();
    let user_size: u64 = rows.iter().skip(1).map(|r| r.size).sum();
    let waste = union.waste();
    let tags = store
        .tags()
        .iter()
        .filter(|(_, t)| *t == id)
        .map(|(k, _)| k.clone())
        .collect();
    Ok(Report {
        image: id.to_string(),
        tags,
        layers: rows,
        size,
        user_size,
        wasted_bytes: waste.wasted_bytes,
        wasted_user_percent: if user_size == 0 {
            0.0
        } else {
            waste.wasted_bytes as f64 / user_size as f64
        },
        efficiency: waste.efficiency,
        inefficient_files: waste
            .files
            .into_iter()
            .map(|f| InefficientFile {
                path: f.path,
                copies: f.copies,
                total_bytes: f.total_bytes,
                wasted_bytes: f.wasted_bytes,
            })
            .collect(),
        warnings: Vec::new(),
    })
}

/// Imports an archive into a scratch store and reports its first image.
pub fn inspect_archive(bytes: &[u8], limits: &ImportLimits) -> Result<Report, ImportError> {
    let mut store = Store::new();
    let imported = import::import(&mut store, bytes, None, limits)?;
    let Some(ImportedImage { id, layers, .. }) = imported.images.first() else {
        return Err(ImportError::new("", "the archive holds no image"));
    };
    let digests: Vec<Digest> = layers.iter().map(|l| l.digest).collect();
    let mut report =
        report(&store, id, Some(&digests)).map_err(|e| ImportError::new("", e.to_string()))?;
    report.warnings = imported.warnings;
    Ok(report)
}

/// The thresholds the report fails, as dive words them (empty: pass).
pub fn evaluate(report: &Report, t: &Thresholds) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(lowest) = t.lowest_efficiency {
        if report.efficiency < lowest {
            failures.push(format!(
                "image efficiency is too low (efficiency={} < threshold={lowest})",
                report.efficiency
            ));
        }
    }
    if let Some(highest) = t.highest_wasted_bytes {
        if report.wasted_bytes > highest {
            failures.push(format!(
                "too many bytes wasted (wasted-bytes={} > threshold={highest})",
                report.wasted_bytes
            ));
        }
    }
    if let Some(highest) = t.highest_user_wasted_percent {
        if report.wasted_user_percent > highest {
            failures.push(format!(
                "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={highest})",
                report.wasted_user_percent
            ));
        }
    }
    failures
}
