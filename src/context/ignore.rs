//! `.dockerignore`: which context files the builder never sees.
//!
//! Docker reads the file with moby/patternmatcher's rules: one pattern a line,
//! surrounding blanks trimmed, `#` lines are comments, a leading `/` is dropped,
//! each pattern is path-cleaned, `!` re-includes. A path is excluded when the last
//! pattern that matches it, or one of its parent directories, is not an exception.

use super::glob::Glob;
use super::path::clean;

/// One line of a `.dockerignore`, compiled.
#[derive(Clone, Debug)]
struct Pattern {
    text: String,
    glob: Glob,
    exception: bool,
}

/// The compiled `.dockerignore` of a context.
#[derive(Clone, Debug, Default)]
pub struct IgnoreRules {
    patterns: Vec<Pattern>,
}

/// A `.dockerignore` line Docker would reject, with its 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreError {
    /// Line in `.dockerignore`.
    pub line: usize,
    /// What is wrong, in Docker's words where it has some.
    pub message: String,
}

impl std::fmt::Display for IgnoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, ".dockerignore line {}: {}", self.line, self.message)
    }
}

impl IgnoreRules {
    /// Parses the text of a `.dockerignore` file.
    pub fn parse(text: &str) -> Result<IgnoreRules, IgnoreError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for (index, raw) in text.split('\n').enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, rest) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            if exception && rest.is_empty() {
                return Err(IgnoreError {
                    line: index + 1,
                    message: "illegal exclusion pattern: \"!\"".to_string(),
                });
            }
            let mut cleaned = clean(rest);
            if cleaned.len() > 1 {
                if let Some(relative) = cleaned.strip_prefix('/') {
                    cleaned = relative.to_string();
                }
            }
            let glob = Glob::ignore(&cleaned).map_err(|bad| IgnoreError {
                line: index + 1,
                message: bad.to_string(),
            })?;
            patterns.push(Pattern {
                text: cleaned,
                glob,
                exception,
            });
        }
        Ok(IgnoreRules { patterns })
    }

    /// True if there are no patterns at all.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True if any pattern is an exception, so an excluded directory must still be
    /// walked in case something inside it is re-included.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exception)
    }

    /// The cleaned patterns, in order, `!` included; what the cache compares.
    pub fn patterns(&self) -> Vec<String> {
        self.patterns
            .iter()
            .map(|p| {
                if p.exception {
                    format!("!{}", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    /// True if the context path (relative, no leading `/`) is excluded.
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        if path == "." {
            return false;
        }
        let parents: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
        let mut excluded = false;
        for pattern in &self.patterns {
            if pattern.exception != excluded {
                continue;
            }
            let hit = pattern.glob.matches(&path)
                || parents.iter().any(|parent| pattern.glob.matches(parent));
            if hit {
                excluded = !pattern.exception;
            }
        }
        excluded
    }
}
