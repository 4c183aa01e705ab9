//! Reading a layer tar into a `Layer`, with the checks an unpacker makes.
//!
//! Names are normalised (`./a/b/` → `a/b`); a name with a `..` component is refused
//! (it would escape the root). Whiteouts follow moby's rules: `.wh..wh..opq` is an
//! opaque marker; `.wh.NAME` deletes NAME; `.wh.`, `.wh..`, `.wh...`, any other
//! name with the `.wh..wh.` meta prefix, and anything inside a directory whose name
//! starts with `.wh.` are invalid whiteout entries and refused.

use super::{EntryKind, Layer, LayerEntry, LayerError};
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta};
use std::io::Read;

const OPAQUE: &str = ".wh..wh..opq";
const WHITEOUT_PREFIX: &str = ".wh.";

impl Layer {
    /// Reads an uncompressed layer tar. Entries keep their tar order; the root
    /// (`./`) is skipped; PAX and GNU long names are understood. The bytes are
    /// kept, so `tar()` gives them back and `diff_id()` is their digest.
    pub fn from_tar(bytes: &[u8]) -> Result<Layer, LayerError> {
        let mut archive = tar::Archive::new(bytes);
        let entries = archive
            .entries()
            .map_err(|e| LayerError::new("", format!("not a tar archive: {e}")))?;
        let mut out = Vec::new();
        for entry in entries {
            let mut entry = entry.map_err(|e| LayerError::new("", format!("corrupt tar: {e}")))?;
            let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let pax = pax_numbers(&mut entry);
            let header = entry.header();
            let entry_type = header.entry_type();
            if matches!(entry_type, tar::EntryType::XGlobalHeader) {
                continue;
            }
            let bad = |what: &str| LayerError::new(&raw_name, what);
            // Empty numeric fields (all NUL) read as 0, as GNU tar reads them.
            let meta = Meta {
                mode: header.mode().unwrap_or(0) & 0o7777,
                uid: u32::try_from(header.uid().unwrap_or(0)).map_err(|_| bad("uid too large"))?,
                gid: u32::try_from(header.gid().unwrap_or(0)).map_err(|_| bad("gid too large"))?,
                mtime: i64::try_from(header.mtime().unwrap_or(0)).unwrap_or(i64::MAX),
            };
            let meta = Meta {
                uid: pax.uid.unwrap_or(meta.uid),
                gid: pax.gid.unwrap_or(meta.gid),
                mtime: pax.mtime.unwrap_or(meta.mtime),
                ..meta
            };
            let device = (
                header.device_major().ok().flatten().unwrap_or(0),
                header.device_minor().ok().flatten().unwrap_or(0),
            );
            let link = entry
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned());
            let path = normalise(&raw_name)?;
            if path.is_empty() {
                continue;
            }
            let (dir, base) = match path.rsplit_once('/') {
                Some((d, b)) => (d, b),
                None => ("", path.as_str()),
            };
            if dir.split('/').any(|c| c.starts_with(WHITEOUT_PREFIX)) {
                return Err(bad(
                    "invalid whiteout entry: inside a whiteout-named directory",
                ));
            }
            if base == OPAQUE {
                out.push(LayerEntry {
                    path: dir.to_string(),
                    change: EntryKind::Opaque,
                });
                continue;
            }
            if let Some(target) = base.strip_prefix(WHITEOUT_PREFIX) {
                if target.is_empty()
                    || target == "."
                    || target == ".."
                    || target.starts_with(WHITEOUT_PREFIX)
                {
                    return Err(bad("invalid whiteout entry"));
                }
                let deleted = if dir.is_empty() {
                    target.to_string()
                } else {
                    format!("{dir}/{target}")
                };
                out.push(LayerEntry {
                    path: deleted,
                    change: EntryKind::Whiteout,
                });
                continue;
            }
            let change = match entry_type {
                tar::EntryType::Directory => EntryKind::Node {
                    kind: Kind::Dir,
                    meta,
                },
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let mut bytes = Vec::new();
                    entry
                        .read_to_end(&mut bytes)
                        .map_err(|e| LayerError::new(&raw_name, format!("truncated: {e}")))?;
                    EntryKind::Node {
                        kind: Kind::File(Blob::from_bytes(bytes)),
                        meta,
                    }
                }
                tar::EntryType::Symlink => EntryKind::Node {
                    kind: Kind::Symlink(link.unwrap_or_default()),
                    meta,
                },
                tar::EntryType::Link => {
                    let target = normalise(&link.unwrap_or_default())?;
                    if target.is_empty() {
                        return Err(bad("hard link without a target"));
                    }
                    EntryKind::Hardlink { target, meta }
                }
                tar::EntryType::Char => EntryKind::Node {
                    kind: Kind::CharDevice {
                        major: device.0,
                        minor: device.1,
                    },
                    meta,
                },
                tar::EntryType::Block => EntryKind::Node {
                    kind: Kind::BlockDevice {
                        major: device.0,
                        minor: device.1,
                    },
                    meta,
                },
                tar::EntryType::Fifo => EntryKind::Node {
                    kind: Kind::Fifo,
                    meta,
                },
                other => {
                    return Err(bad(&format!(
                        "unsupported entry type {:?}",
                        other.as_byte() as char
                    )))
                }
            };
            out.push(LayerEntry { path, change });
        }
        let mut layer = Layer::from_entries(out);
        layer.original = Some(std::sync::Arc::from(bytes));
        Ok(layer)
    }
}

/// Numbers a PAX header overrides (the tar crate applies `path`, `linkpath` and
/// `size` itself).
#[derive(Default)]
struct PaxNumbers {
    uid: Option<u32>,
    gid: Option<u32>,
    mtime: Option<i64>,
}

fn pax_numbers<R: Read>(entry: &mut tar::Entry<'_, R>) -> PaxNumbers {
    let mut out = PaxNumbers::default();
    let Ok(Some(extensions)) = entry.pax_extensions() else {
        return out;
    };
    for ext in extensions.flatten() {
        let (Ok(key), Ok(value)) = (ext.key(), ext.value()) else {
            continue;
        };
        match key {
            "uid" => out.uid = value.parse().ok(),
            "gid" => out.gid = value.parse().ok(),
            // Fractions of a second are dropped, as mtimes are whole seconds here.
            "mtime" => out.mtime = value.split('.').next().and_then(|s| s.parse().ok()),
            _ => {}
        }
    }
    out
}

/// `./a//b/` → `a/b`; `..` anywhere is refused.
fn normalise(name: &str) -> Result<String, LayerError> {
    let mut parts = Vec::new();
    for comp in name.split('/') {
        match comp {
            "" | "." => {}
            ".." => return Err(LayerError::new(name, "path escapes the root")),
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}
