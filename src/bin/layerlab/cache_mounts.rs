//! The `RUN --mount=type=cache` directories kept beside an on-disk store
//! (`DIR/layerlab-cache-mounts/`), so that they outlive one `layerlab build` as
//! they outlive one build in BuildKit. Each cache is a layer tar named after the
//! sha256 of its id (ids may hold any character), and `index.json` maps the ids
//! to the tars with each cache directory's own mode, owner and date, which a
//! layer tar has no entry for.

use layerlab::cache::BuildCache;
use layerlab::digest::Digest;
use layerlab::layer::{DiffStyle, Layer};
use layerlab::vfs::{Meta, Vfs};
use std::collections::BTreeSet;
use std::path::Path;

/// The directory inside the store.
const DIR_NAME: &str = "layerlab-cache-mounts";
/// The index inside that directory.
const INDEX: &str = "index.json";

/// Puts the cache mounts saved in store `dir` into `cache` (none saved: nothing).
pub fn load(dir: &Path, cache: &mut BuildCache) -> Result<(), String> {
    let base = dir.join(DIR_NAME);
    let index_path = base.join(INDEX);
    let text = match std::fs::read_to_string(&index_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", index_path.display())),
    };
    let bad = |what: String| {
        format!(
            "{}: the saved cache mounts are damaged ({what}); delete {} to start with empty ones",
            index_path.display(),
            base.display()
        )
    };
    let index: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    for entry in index.as_array().ok_or_else(|| bad("not a list".into()))? {
        let id = entry["id"]
            .as_str()
            .ok_or_else(|| bad("an entry without an id".into()))?;
        let number = |field: &str| {
            entry[field]
                .as_i64()
                .ok_or_else(|| bad(format!("cache {id:?} has no {field}")))
        };
        let root = Meta {
            mode: number("mode")? as u32,
            uid: number("uid")? as u32,
            gid: number("gid")? as u32,
            mtime: number("mtime")?,
        };
        let tar_path = base.join(file_name(id));
        let bytes =
            std::fs::read(&tar_path).map_err(|e| bad(format!("{}: {e}", tar_path.display())))?;
        let layer = Layer::from_tar(&bytes).map_err(|e| bad(format!("cache {id:?}: {e}")))?;
        let mut contents = Vfs::with_root(root);
        layer
            .apply_to(&mut contents)
            .map_err(|e| bad(format!("cache {id:?}: {e}")))?;
        cache.put_mount_cache(id.to_string(), contents);
    }
    Ok(())
}

/// Writes `cache`'s cache mounts into store `dir`, replacing what was saved. A
/// tar is written only when its bytes changed, each file through a rename (so
/// an interrupted save leaves the old file or the new one, never half of one),
/// the index last, and then the tars of caches that are gone are removed.
pub fn save(dir: &Path, cache: &BuildCache) -> Result<(), String> {
    let base = dir.join(DIR_NAME);
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    let caches = cache.mount_caches();
    if caches.is_empty() {
        if base.exists() {
            std::fs::remove_dir_all(&base).map_err(|e| io(&base, e))?;
        }
        return Ok(());
    }
    std::fs::create_dir_all(&base).map_err(|e| io(&base, e))?;
    let mut index = Vec::new();
    let mut kept = BTreeSet::new();
    for (id, contents) in caches {
        let root = contents
            .stat("/")
            .map_err(|e| format!("cache mount {id:?}: {e}"))?
            .meta;
        let tar = Layer::diff(&Vfs::with_root(root), contents, DiffStyle::BuildKit)
            .layer
            .tar();
        let name = file_name(id);
        let tar_path = base.join(&name);
        if std::fs::read(&tar_path).ok().as_deref() != Some(&tar[..]) {
            replace(&tar_path, &tar).map_err(|e| io(&tar_path, e))?;
        }
        kept.insert(name);
        index.push(serde_json::json!({
            "id": id,
            "mode": root.mode,
            "uid": root.uid,
            "gid": root.gid,
            "mtime": root.mtime,
        }));
    }
    let index_path = base.join(INDEX);
    replace(
        &index_path,
        serde_json::Value::Array(index).to_string().as_bytes(),
    )
    .map_err(|e| io(&index_path, e))?;
    for entry in std::fs::read_dir(&base).map_err(|e| io(&base, e))? {
        let path = entry.map_err(|e| io(&base, e))?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // Tars no cache names, and what an interrupted save left half written.
        let stale = name.ends_with(".tar") && !kept.contains(name);
        if stale || name.ends_with(".partial") {
            std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
        }
    }
    Ok(())
}

/// Writes `path` through a temporary file beside it and a rename.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// The tar of cache `id`.
fn file_name(id: &str) -> String {
    format!("{}.tar", Digest::of(id.as_bytes()).hex())
}
