//! A mistake (or a warning) in the user's Dockerfile, with where it is.
//!
//! Diagnostics are data, not exceptions: the editor marks the range and shows
//! the message, the CLI prints `line N: message`.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// BuildKit would refuse the Dockerfile.
    Error,
    /// BuildKit would build it but warns (e.g. an empty continuation line).
    Warning,
}

/// A message about a range of the Dockerfile. Lines and columns are 1-based;
/// columns count characters, and `end_column` is exclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// First line of the range.
    pub line: usize,
    /// First column of the range.
    pub column: usize,
    /// Last line of the range.
    pub end_line: usize,
    /// Column just past the range on `end_line`.
    pub end_column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// BuildKit's wording where BuildKit has one.
    pub message: String,
}

impl Diagnostic {
    /// An error covering whole lines `line..=end_line` of `text`.
    pub fn error_on_lines(
        text: &str,
        line: usize,
        end_line: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        LineIndex::new(text).diagnostic(line, end_line, Severity::Error, message.into())
    }
}

/// Where each line of a text starts, so that many diagnostics cost one scan.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { text, starts }
    }

    fn line(&self, number: usize) -> &'a str {
        let Some(&start) = self.starts.get(number - 1) else {
            return "";
        };
        let end = self
            .starts
            .get(number)
            .map_or(self.text.len(), |next| next - 1);
        &self.text[start..end]
    }

    /// A diagnostic covering whole lines `line..=end_line`: from the first
    /// non-blank character of `line` to the end of `end_line`.
    pub fn diagnostic(
        &self,
        line: usize,
        end_line: usize,
        severity: Severity,
        message: String,
    ) -> Diagnostic {
        let line = line.max(1);
        let end_line = end_line.max(line);
        let indent = self
            .line(line)
            .chars()
            .take_while(|c| c.is_whitespace())
            .count();
        let last_len = self
            .line(end_line)
            .trim_end_matches(['\r', '\n'])
            .chars()
            .count();
        Diagnostic {
            line,
            column: indent + 1,
            end_line,
            end_column: last_len + 1,
            severity,
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for Diagnostic {}
