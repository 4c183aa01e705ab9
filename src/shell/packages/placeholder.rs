//! Placeholders for packages the simulated archive does not have.
//!
//! Real Dockerfiles name thousands of packages (`re2c`, `libatomic1`, virtual
//! `-dev` names); a real archive most likely has them, so failing the build would
//! be less faithful than installing. apt and apk install a small, deterministic
//! stand-in instead and say so: a notice (the build log's `layerlab:` line and the
//! UI's), a database entry marked as a placeholder and a one-line text file.

use super::index::IndexEntry;
use super::seed;

/// The marker both databases carry (dpkg field value, apk description prefix), so
/// the UI and readers of the image can tell a placeholder from an indexed package.
pub const MARKER: &str = "layerlab placeholder";

/// Whether `name` is a syntactically valid package name: Debian policy's
/// `[a-z0-9][a-z0-9+.-]+`; Alpine also allows `_`.
pub fn valid_name(name: &str, alpine: bool) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && name.len() >= 2
        && chars.all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || matches!(c, '+' | '.' | '-')
                || (alpine && c == '_')
        })
}

/// The placeholder entry for `name`: no dependencies, no indexed files, and an
/// installed size of 16 to 95 KiB derived from the name's hash.
pub fn entry(name: &str, alpine: bool) -> IndexEntry<'_> {
    IndexEntry {
        name,
        version: if alpine { "0-r0" } else { "0~layerlab" },
        installed_kib: 16 + seed(&[name, "placeholder"]) % 80,
        depends: Vec::new(),
        recommends: Vec::new(),
        files: Vec::new(),
        description: "layerlab placeholder: not in the simulated package archive",
        placeholder: true,
    }
}

/// The one-line text of the placeholder's file.
pub fn text(name: &str) -> String {
    format!("{name}: {MARKER}. This package is not in layerlab's simulated archive; nothing real was installed.\n")
}

/// The notice's words; the build log prefixes them with `layerlab: ` as every
/// notice, and the real tool prints nothing like it, so nothing goes to stderr.
pub fn warning(name: &str) -> String {
    format!("{name} is not in the simulated package archive; installed a placeholder (simulated)")
}
