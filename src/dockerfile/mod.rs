//! The Dockerfile front end: BuildKit's parser, shell lexer and instruction
//! checks, rewritten so the web page and the builder read a Dockerfile exactly
//! as `docker build` does.
//!
//! Why our own and not the `parse-dockerfile` crate: tried against the shared
//! conformance data (0.1.9), it parsed 26 of BuildKit's 33 test files (it
//! rejects files without FROM and HEALTHCHECK forms BuildKit accepts), rejected
//! 3 of the 4 negative cases, and has neither BuildKit's `Dump` format, nor its
//! shell lexer, nor its error wording; byte-exact dumps and BuildKit's quirks
//! are what this project is about, so layering on top would have meant
//! rewriting it anyway.
//!
//! Known differences from BuildKit, all on inputs no real Dockerfile has:
//! invalid UTF-8 is replaced by U+FFFD before parsing (BuildKit keeps the
//! bytes); which runes count as letters, digits and printable follows Rust's
//! Unicode tables, close to but not exactly Go's; a bad or repeated directive
//! is reported on its own line (BuildKit names the line before); JSON arrays
//! nested deeper than 128 levels or holding lone surrogates read as shell form;
//! `--mount` values are checked when parsed rather than when built.
//!
//! Stages: `syntax` (text to nodes, directives, heredocs, the dump) then
//! `instruction` (typed instructions, stages, BuildKit's validation messages,
//! ARG scoping); `expand` runs at build time against a stage's variables.

pub mod diagnostic;
pub mod expand;
/// Go's string rules (quoting, lower-casing, trimming) that dumps and history strings follow.
pub mod gotext;
pub mod instruction;
pub mod syntax;

use diagnostic::{Diagnostic, Severity};

/// Parses a Dockerfile all the way to typed stages, as the web page and the
/// builder use it. A syntax error (one BuildKit's parser itself reports) gives
/// no Dockerfile and that one diagnostic; otherwise every invalid instruction
/// and every warning is a diagnostic, in line order, and the valid
/// instructions are kept.
pub fn parse(text: &str) -> (Option<instruction::Dockerfile>, Vec<Diagnostic>) {
    let mut file = match syntax::parse(text) {
        Ok(file) => file,
        Err(error) => return (None, vec![error]),
    };
    let warnings = std::mem::take(&mut file.warnings);
    let (dockerfile, mut diagnostics) = instruction::from_file(file, text);
    diagnostics.extend(warnings);
    crate::sort::sort_by_key(&mut diagnostics, |d| {
        (d.line, d.severity == Severity::Warning)
    });
    (Some(dockerfile), diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_collects_every_problem_in_line_order() {
        let (dockerfile, diagnostics) = parse("FROM a\nRUN a \\\n\n b\nFOO\nCOPY x\n");
        let dockerfile = dockerfile.expect("syntax is fine");
        assert_eq!(dockerfile.stages[0].instructions.len(), 1);
        let found: Vec<(usize, Severity)> =
            diagnostics.iter().map(|d| (d.line, d.severity)).collect();
        assert_eq!(
            found,
            [
                (2, Severity::Warning),
                (5, Severity::Error),
                (6, Severity::Error)
            ]
        );
        assert_eq!(diagnostics[1].message, "unknown instruction: FOO");
        assert_eq!((diagnostics[1].column, diagnostics[1].end_column), (1, 4));
    }

    #[test]
    fn syntax_errors_stop_early() {
        let (dockerfile, diagnostics) = parse("FROM a\nCMD [\"a\", 1]\n");
        assert!(dockerfile.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, 2);
    }
}
