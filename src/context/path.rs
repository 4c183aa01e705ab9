//! Lexical path cleaning, as Go's `path.Clean` does it, for context paths and
//! patterns: no IO, no symlinks, just `.`/`..`/`//` folded away.

/// Cleans a slash-separated path: `a//b/./c/..` becomes `a/b`; a rooted path
/// stays rooted and `..` cannot climb above its root; an empty path is `.`.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}
