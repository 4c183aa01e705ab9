//! Reading tars safely: the outer archive (an oci-archive or a `docker save`
//! tar) as a map of member names to byte slices, and a check of every layer tar
//! before it is read.
//!
//! Nothing is extracted anywhere: members stay slices of the input, so a hostile
//! name cannot reach a disk. What real tools would refuse is refused with the
//! member's name (`..`, absolute names, duplicates, links leaving the archive,
//! truncated data, more than `ImportLimits` allow); what they accept but is odd
//! in a layer (absolute names, duplicates, symlinks aiming above the root) is a
//! `Warning`.

use super::{ImportError, ImportLimits, Warning};
use std::collections::{BTreeMap, BTreeSet};

/// The members of an archive: normalised name → contents (a slice of the input).
pub type Files<'a> = BTreeMap<String, &'a [u8]>;

/// What the import has used so far of the limits that span the whole archive.
#[derive(Clone, Copy, Debug, Default)]
pub struct Budget {
    /// Entries seen (archive members and layer entries).
    pub entries: u64,
    /// Decompressed layer bytes.
    pub unpacked: u64,
}

impl Budget {
    /// Counts one more entry, failing past `limits.max_entries`.
    pub fn entry(&mut self, name: &str, limits: &ImportLimits) -> Result<(), ImportError> {
        self.entries += 1;
        if self.entries > limits.max_entries {
            return Err(ImportError::new(
                name,
                format!(
                    "more than {} entries in the archive and its layers (ImportLimits::max_entries)",
                    limits.max_entries
                ),
            ));
        }
        Ok(())
    }

    /// Counts `bytes` more decompressed layer bytes.
    pub fn unpacked(
        &mut self,
        name: &str,
        bytes: u64,
        limits: &ImportLimits,
    ) -> Result<(), ImportError> {
        self.unpacked = self.unpacked.saturating_add(bytes);
        if self.unpacked > limits.max_unpacked_bytes {
            return Err(ImportError::new(
                name,
                format!(
                    "layers unpack to more than {} bytes (ImportLimits::max_unpacked_bytes)",
                    limits.max_unpacked_bytes
                ),
            ));
        }
        Ok(())
    }

    /// Bytes still allowed to decompress.
    pub fn unpacked_left(&self, limits: &ImportLimits) -> u64 {
        limits.max_unpacked_bytes.saturating_sub(self.unpacked)
    }
}

/// One member before links are resolved.
enum Member<'a> {
    Data(&'a [u8]),
    Link(String),
}

/// Reads the outer archive (see the module docs). Symbolic and hard links
/// between members (old `docker save` links repeated layers) are resolved
/// inside the archive.
pub fn read<'a>(
    bytes: &'a [u8],
    limits: &ImportLimits,
    budget: &mut Budget,
) -> Result<Files<'a>, ImportError> {
    if bytes.len() as u64 > limits.max_archive_bytes {
        return Err(ImportError::new(
            "",
            format!(
                "the archive is {} bytes, more than the {} allowed (ImportLimits::max_archive_bytes)",
                bytes.len(),
                limits.max_archive_bytes
            ),
        ));
    }
    let mut members: BTreeMap<String, Member<'a>> = BTreeMap::new();
    let mut archive = tar::Archive::new(bytes);
    let entries = archive
        .entries()
        .map_err(|e| ImportError::new("", format!("not a tar archive ({e})")))?;
    for entry in entries {
        let entry = entry.map_err(|e| {
            ImportError::new(
                "",
                format!("corrupt or truncated tar archive ({e}); was the download complete?"),
            )
        })?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        budget.entry(&raw, limits)?;
        let name = member_name(&raw)?;
        let header = entry.header();
        let kind = header.entry_type();
        let size = entry.size();
        if size > limits.max_entry_bytes {
            return Err(ImportError::new(
                &raw,
                format!(
                    "entry of {size} bytes, more than the {} allowed (ImportLimits::max_entry_bytes)",
                    limits.max_entry_bytes
                ),
            ));
        }
        let member = match kind {
            tar::EntryType::Directory => continue,
            tar::EntryType::XGlobalHeader => continue,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let start = entry.raw_file_position();
                let data = usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(size).ok())
                    .and_then(|(s, n)| bytes.get(s..s.checked_add(n)?))
                    .ok_or_else(|| {
                        ImportError::new(
                            &raw,
                            format!(
                                "truncated archive: the entry needs {size} bytes but the archive ends first"
                            ),
                        )
                    })?;
                Member::Data(data)
            }
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .map(|l| String::from_utf8_lossy(&l).into_owned())
                    .unwrap_or_default();
                let base = if kind == tar::EntryType::Symlink {
                    name.rsplit_once('/').map_or("", |(d, _)| d)
                } else {
                    ""
                };
                let resolved = join_inside(base, &target).ok_or_else(|| {
                    ImportError::new(
                        &raw,
                        format!("link to '{target}' points outside the archive"),
                    )
                })?;
                Member::Link(resolved)
            }
            other => {
                return Err(ImportError::new(
                    &raw,
                    format!(
                        "unexpected entry type '{}' in an image archive",
                        char::from(other.as_byte())
                    ),
                ))
            }
        };
        if members.insert(name, member).is_some() {
            return Err(ImportError::new(
                &raw,
                "duplicate entry in the archive: which copy is meant is ambiguous",
            ));
        }
    }
    let mut files = Files::new();
    for (name, member) in &members {
        let mut current = member;
        let mut hops = 0;
        let data = loop {
            match current {
                Member::Data(d) => break *d,
                Member::Link(target) => {
                    hops += 1;
                    current = members.get(target).filter(|_| hops <= 8).ok_or_else(|| {
                        ImportError::new(
                            name,
                            format!("link to '{target}' names no file in the archive"),
                        )
                    })?;
                }
            }
        };
        files.insert(name.clone(), data);
    }
    Ok(files)
}

/// `./a//b/` → `a/b`; absolute names and `..` are refused.
fn member_name(raw: &str) -> Result<String, ImportError> {
    if raw.starts_with('/') {
        return Err(ImportError::new(
            raw,
            "absolute path in the archive: image archives hold relative names only",
        ));
    }
    let mut parts = Vec::new();
    for comp in raw.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                return Err(ImportError::new(
                    raw,
                    "path with '..' would escape the archive root",
                ))
            }
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}

/// `base` + `target` resolved lexically; `None` if it climbs above the root.
fn join_inside(base: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|c| !c.is_empty()).collect()
    };
    for comp in target.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Checks a layer tar before it is read: entry count and sizes against the
/// limits, `..` names and hard links leaving the root refused; absolute names,
/// duplicates and symlinks aiming above the root accepted with a warning (a
/// runtime resolves them inside the container's root, and so does the vfs).
/// `label` names the layer in messages (`layer 2`).
pub fn check_layer(
    label: &str,
    bytes: &[u8],
    limits: &ImportLimits,
    budget: &mut Budget,
) -> Result<Vec<Warning>, ImportError> {
    let mut warnings = Vec::new();
    let mut seen = BTreeSet::new();
    let mut archive = tar::Archive::new(bytes);
    let entries = archive
        .entries()
        .map_err(|e| ImportError::new(label, format!("not a tar archive ({e})")))?;
    for entry in entries {
        let entry = entry.map_err(|e| {
            ImportError::new(label, format!("corrupt or truncated layer tar ({e})"))
        })?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let at = format!("{label}: {raw}");
        budget.entry(&at, limits)?;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader
        ) {
            continue;
        }
        let size = entry.size();
        if size > limits.max_entry_bytes {
            return Err(ImportError::new(
                &at,
                format!(
                    "file of {size} bytes, more than the {} allowed (ImportLimits::max_entry_bytes)",
                    limits.max_entry_bytes
                ),
            ));
        }
        let end = entry.raw_file_position().saturating_add(size);
        if end > bytes.len() as u64 {
            return Err(ImportError::new(
                &at,
                format!("truncated layer: the entry needs {size} bytes but the tar ends first"),
            ));
        }
        let name = raw.trim_start_matches('/');
        if raw.starts_with('/') {
            warnings.push(Warning {
                entry: at.clone(),
                message: "absolute path, read relative to the image root".into(),
            });
        }
        if name.split('/').any(|c| c == "..") {
            return Err(ImportError::new(
                &at,
                "path with '..' escapes the image root",
            ));
        }
        let path = join_inside("", name).unwrap_or_default();
        if !path.is_empty() && !seen.insert(path.clone()) {
            warnings.push(Warning {
                entry: at.clone(),
                message: "duplicate entry: the later one wins, as when unpacking".into(),
            });
        }
        let target = entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .unwrap_or_default();
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        match kind {
            tar::EntryType::Link if target.split('/').any(|c| c == "..") => {
                return Err(ImportError::new(
                    &at,
                    format!("hard link to '{target}' points outside the image root"),
                ));
            }
            tar::EntryType::Symlink
                if !target.starts_with('/') && join_inside(dir, &target).is_none() =>
            {
                warnings.push(Warning {
                    entry: at.clone(),
                    message: format!(
                        "symlink to '{target}' climbs above the image root; it resolves inside the root, as in a container"
                    ),
                });
            }
            _ => {}
        }
    }
    Ok(warnings)
}
