//! POSIX basic and extended regular expressions for `grep`, `sed`, `awk` and
//! `apt-mark`, matched by our own small engine instead of the `regex` crate, which
//! was about a tenth of the page's wasm (BENCHMARKS.md, "Web page").
//!
//! - `parse`: BRE/ERE text to a syntax tree (`Node`), with GNU's `\+`, `\?`, `\|`,
//!   `\w`, `\s`, `\b`, `\<`, `\>` and the `[[:class:]]` names.
//! - `vm`: the tree compiled to a Thompson NFA and run as a Pike VM: time linear in
//!   the input for every pattern (no input can hang a run) and leftmost-first
//!   matches with greedy or lazy repetition, the same matches and groups the
//!   `regex` crate gave for the same patterns.
//!
//! Matching is on bytes, ASCII only for classes and case folding; `.` does not
//! match a newline; `^` and `$` are the start and end of the whole text.
//! Backreferences inside a pattern (`\(a\)\1`) have no linear-time matcher and are
//! reported as unsupported; they are rare in Dockerfiles.

mod parse;
#[cfg(test)]
mod tests;
mod vm;

pub use parse::{parse, Node};
pub use vm::Regex;

/// Compiles a POSIX regex: `extended` for ERE (`grep -E`, `sed -E`), else BRE;
/// `icase` folds ASCII letters. Errors are the messages the commands print.
pub fn compile(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
    Regex::new(&parse(pattern, extended, icase)?)
}
