//! Known small text documents that a download yields as simulated real content
//! instead of a placeholder: a release's checksum listing (Node.js's
//! `SHASUMS256.txt`, and its clearsigned `SHASUMS256.txt.asc`).
//!
//! Official images download such a listing, check its signature, `grep` the line
//! of the archive they fetched and pipe it into `sha256sum -c`. A placeholder
//! holds no such line, so the listing is written out: one line per file of the
//! release, each with the sha256 of the placeholder that file's URL downloads, so
//! `sha256sum -c` really compares. A clearsigned listing carries a signature block
//! marked as layerlab's simulation (`SIMULATED_COMMENT`); `gpg` recognises it and
//! says signatures are not checked.

use super::net::placeholder;
use crate::digest::Digest;

/// The armor `Comment:` header of every simulated signature, so `gpg` knows one.
pub const SIMULATED_COMMENT: &str =
    "Comment: layerlab simulated signature; no real signature was made or can be checked";

/// How a clearsigned message starts.
pub const CLEARSIGN_BEGIN: &str = "-----BEGIN PGP SIGNED MESSAGE-----";
/// Where the signed text of a clearsigned message ends.
pub const SIGNATURE_BEGIN: &str = "-----BEGIN PGP SIGNATURE-----";
const SIGNATURE_END: &str = "-----END PGP SIGNATURE-----";

/// The files a Node.js release lists in `SHASUMS256.txt`, `{v}` for the version,
/// in the listing's (sorted) order.
const NODE_FILES: &[&str] = &[
    "node-v{v}-aix-ppc64.tar.gz",
    "node-v{v}-darwin-arm64.tar.gz",
    "node-v{v}-darwin-arm64.tar.xz",
    "node-v{v}-darwin-x64.tar.gz",
    "node-v{v}-darwin-x64.tar.xz",
    "node-v{v}-headers.tar.gz",
    "node-v{v}-headers.tar.xz",
    "node-v{v}-linux-arm64.tar.gz",
    "node-v{v}-linux-arm64.tar.xz",
    "node-v{v}-linux-armv7l.tar.gz",
    "node-v{v}-linux-armv7l.tar.xz",
    "node-v{v}-linux-ppc64le.tar.gz",
    "node-v{v}-linux-ppc64le.tar.xz",
    "node-v{v}-linux-s390x.tar.gz",
    "node-v{v}-linux-s390x.tar.xz",
    "node-v{v}-linux-x64.tar.gz",
    "node-v{v}-linux-x64.tar.xz",
    "node-v{v}-win-arm64.zip",
    "node-v{v}-win-x64.zip",
    "node-v{v}.pkg",
    "node-v{v}.tar.gz",
    "node-v{v}.tar.xz",
];

/// The simulated contents of `url` when it is a document layerlab writes out.
pub fn document(url: &str) -> Option<Vec<u8>> {
    let (dir, name) = url.rsplit_once('/')?;
    let version = dir.strip_prefix("https://nodejs.org/dist/v")?;
    if version.is_empty() || version.contains('/') {
        return None;
    }
    let listing = || {
        NODE_FILES
            .iter()
            .map(|f| {
                let file = f.replace("{v}", version);
                let sum = Digest::of(&placeholder(&format!("{dir}/{file}"))).hex();
                format!("{sum}  {file}\n")
            })
            .collect::<String>()
    };
    match name {
        "SHASUMS256.txt" => Some(listing().into_bytes()),
        "SHASUMS256.txt.asc" => Some(clearsign(&listing()).into_bytes()),
        _ => None,
    }
}

/// `text` as a clearsigned message whose signature block is marked simulated.
pub fn clearsign(text: &str) -> String {
    let mut out = format!("{CLEARSIGN_BEGIN}\nHash: SHA256\n\n");
    for line in text.lines() {
        // Dash-escaping, as OpenPGP requires for signed lines starting with '-'.
        if line.starts_with('-') {
            out.push_str("- ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!(
        "{SIGNATURE_BEGIN}\n{SIMULATED_COMMENT}\n\nbGF5ZXJsYWIgc2ltdWxhdGVkIHNpZ25hdHVyZQ==\n{SIGNATURE_END}\n"
    ));
    out
}

/// The signed text of a clearsigned message (dash-escaping undone), and whether
/// its signature is layerlab's simulation; `None` when `data` is not one.
pub fn clearsigned_text(data: &[u8]) -> Option<(String, bool)> {
    let text = std::str::from_utf8(data).ok()?;
    let mut lines = text.lines().skip_while(|l| l.trim_end() != CLEARSIGN_BEGIN);
    lines.next()?;
    // Armor headers (`Hash: SHA256`) up to the first empty line.
    for line in lines.by_ref() {
        if line.trim_end().is_empty() {
            break;
        }
    }
    let mut signed = String::new();
    let mut simulated = false;
    let mut in_signature = false;
    for line in lines {
        if in_signature {
            simulated |= line == SIMULATED_COMMENT;
            if line.trim_end() == SIGNATURE_END {
                return Some((signed, simulated));
            }
            continue;
        }
        if line.trim_end() == SIGNATURE_BEGIN {
            in_signature = true;
            continue;
        }
        signed.push_str(line.strip_prefix("- ").unwrap_or(line));
        signed.push('\n');
    }
    None
}
