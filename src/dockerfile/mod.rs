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
//! Stages: `syntax` (text to nodes, directives, heredocs, the dump) then
//! `instruction` (typed instructions, stages, BuildKit's validation messages,
//! ARG scoping); `expand` runs at build time against a stage's variables.

pub mod diagnostic;
pub mod expand;
pub mod gotext;
pub mod instruction;
pub mod syntax;
