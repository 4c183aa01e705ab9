//! The directory side of `--store DIR`: read an OCI layout directory into the
//! in-memory store and write the store back (`layerlab::oci::layout_dir` does
//! the format; this file does the IO). Blobs already on disk are not rewritten.

use layerlab::oci::layout_dir;
use layerlab::oci::ImportLimits;
use layerlab::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads every file of the layout at `dir` (a missing directory is an empty store).
pub fn load(dir: &Path) -> Result<Store, String> {
    let mut files = BTreeMap::new();
    if dir.exists() {
        read_tree(dir, dir, &mut files)?;
    }
    layout_dir::load(&files, &ImportLimits::default())
        .map_err(|e| format!("store {}: {e}", dir.display()))
}

/// Reads the files under `root` (relative paths with `/`), as an OCI layout holds them.
pub fn read_tree(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            read_tree(root, &path, out)?;
        } else if kind.is_file() {
            let rel = path
                .strip_prefix(root)
                .map_err(|e| e.to_string())?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.insert(rel, bytes);
        }
    }
    Ok(())
}

/// Writes the store as a layout at `dir`: new blobs, then `index.json` last
/// (written to a temporary name and renamed, so a reader never sees half of it).
pub fn save(store: &Store, dir: &Path) -> Result<(), String> {
    let files = layout_dir::save(store).map_err(|e| e.to_string())?;
    let mut index = None;
    for file in files {
        let target = dir.join(&file.path);
        if file.path == "index.json" {
            index = Some(file);
            continue;
        }
        if file.is_blob() && std::fs::metadata(&target).is_ok_and(|m| m.len() == file.size) {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(&target).map_err(|e| format!("{}: {e}", target.display()))?,
        );
        file.write_to(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| format!("{}: {e}", target.display()))?;
    }
    if let Some(index) = index {
        let tmp = dir.join("index.json.tmp");
        std::fs::write(&tmp, index.bytes()).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, dir.join("index.json"))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
}
