//! Image references as Docker reads them: `[registry/][path/]name[:tag][@digest]`,
//! with Docker Hub's defaults (`docker.io`, `library/`, `latest`).

use super::CatalogError;

/// A parsed reference.
pub(crate) struct Reference {
    /// `docker.io` or another registry host.
    pub registry: String,
    /// The repository path on that registry (`library/ubuntu`).
    pub path: String,
    /// The catalog's key: the official image's short name (`ubuntu`), or the full
    /// `registry/path` for anything the catalog cannot have.
    pub repository: String,
    /// The tag, `latest` when none was given.
    pub tag: String,
    /// What the user should know about how the reference was read.
    pub notes: Vec<String>,
}

impl Reference {
    /// `docker.io/library/ubuntu:24.04`.
    pub fn canonical(&self) -> String {
        format!("{}/{}:{}", self.registry, self.path, self.tag)
    }
}

/// Reads `text` as an image reference.
pub(crate) fn parse(text: &str) -> Result<Reference, CatalogError> {
    let reference = text.trim();
    let invalid = |reason: &str| CatalogError::InvalidReference {
        reference: reference.to_string(),
        reason: reason.to_string(),
    };
    if reference.is_empty() {
        return Err(invalid("the reference is empty"));
    }
    let mut notes = Vec::new();
    let (name_tag, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    if let Some(d) = digest {
        let hex = d
            .strip_prefix("sha256:")
            .ok_or_else(|| invalid("a digest must look like sha256:<64 hex digits>"))?;
        if hex.len() != 64
            || !hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Err(invalid("a digest must look like sha256:<64 hex digits>"));
        }
        notes.push(format!(
            "digest {d} ignored: catalog images are simulated, so no real digest can match; the tag decides"
        ));
    }
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].find(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            name_tag[last_slash + i + 1..].to_string(),
        ),
        None => (name_tag, "latest".to_string()),
    };
    if !valid_tag(&tag) {
        return Err(invalid(
            "a tag is 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
        ));
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let has_registry = parts.len() > 1
        && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost");
    let registry = if has_registry {
        parts.remove(0).to_string()
    } else {
        "docker.io".to_string()
    };
    if parts
        .iter()
        .any(|p| p.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(invalid("repository name must be lowercase"));
    }
    if !parts.iter().all(|p| valid_component(p)) {
        return Err(invalid(
            "a repository name is lowercase letters and digits, separated by '.', '_', '__', '-' or '/'",
        ));
    }
    let hub = matches!(
        registry.as_str(),
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    );
    let mut path = parts.join("/");
    if hub && parts.len() == 1 {
        path = format!("library/{path}");
    }
    let repository = match path.strip_prefix("library/") {
        Some(short) if hub => short.to_string(),
        _ => format!("{registry}/{path}"),
    };
    Ok(Reference {
        registry: if hub {
            "docker.io".to_string()
        } else {
            registry
        },
        path,
        repository,
        tag,
        notes,
    })
}

/// The file name a `docker save` hint suggests for `reference` (`foo:1` → `foo`).
pub(crate) fn file_stem(reference: &str) -> String {
    let name = reference.split('@').next().unwrap_or(reference);
    let last = name.rsplit('/').next().unwrap_or(name);
    let stem = last.split(':').next().unwrap_or(last);
    if stem.is_empty() {
        "image".to_string()
    } else {
        stem.to_string()
    }
}

fn valid_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn valid_component(part: &str) -> bool {
    let b = part.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut separators = 0;
    for c in b {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            separators = 0;
        } else if matches!(c, b'.' | b'_' | b'-') {
            separators += 1;
            if separators > 2 {
                return false;
            }
        } else {
            return false;
        }
    }
    true
}
