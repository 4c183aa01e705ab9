//! Reads a build context directory from disk into the core's `BuildContext`:
//! the only place the CLI's builds touch the filesystem for inputs.

use layerlab::context::BuildContext;
use layerlab::vfs::blob::Blob;
use std::path::Path;

/// Every file, directory and symlink under `root`, with modes and mtimes.
pub fn read(root: &Path) -> Result<BuildContext, String> {
    let mut ctx = BuildContext::new();
    walk(root, root, &mut ctx)?;
    Ok(ctx)
}

fn walk(root: &Path, dir: &Path, ctx: &mut BuildContext) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .to_string();
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|e| format!("cannot stat {}: {e}", path.display()))?;
        let (mode, mtime) = mode_and_mtime(&meta);
        let file_type = meta.file_type();
        let result = if file_type.is_symlink() {
            let target = std::fs::read_link(&path)
                .map_err(|e| format!("cannot read link {}: {e}", path.display()))?;
            ctx.add_symlink(&rel, &target.to_string_lossy(), mtime)
        } else if file_type.is_dir() {
            ctx.add_dir(&rel, mode, mtime).map_err(|e| e.to_string())?;
            walk(root, &path, ctx)?;
            continue;
        } else if file_type.is_file() {
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            ctx.add_file(&rel, Blob::from_bytes(bytes), mode, mtime)
        } else {
            continue;
        };
        result.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Permission bits and mtime as COPY keeps them. Only Unix has both; the crate's
/// other targets (wasm, when `wasm-pack test` builds every target) read 0644 and 0.
#[cfg(unix)]
fn mode_and_mtime(meta: &std::fs::Metadata) -> (u32, i64) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    (meta.permissions().mode() & 0o7777, meta.mtime())
}

#[cfg(not(unix))]
fn mode_and_mtime(meta: &std::fs::Metadata) -> (u32, i64) {
    (if meta.is_dir() { 0o755 } else { 0o644 }, 0)
}
