//! layerlab: how Docker images really work, without Docker.
//!
//! A pure Rust engine that parses a Dockerfile the way BuildKit does, builds it on
//! an in-memory filesystem and produces real OCI layers, images and caches. It
//! does no IO, reads no clock and uses no randomness, so the same input gives the
//! same digests natively and in WebAssembly. `api` is the only module that knows
//! about JavaScript; the native CLI in `src/bin/layerlab/main.rs` drives the same core.
//!
//! `ARCHITECTURE.md` at the repository root is the map; modules are listed here in
//! reading order.

pub mod api;
/// The BuildKit-compatible Dockerfile front end: syntax tree, dump, typed instructions, expansion.
pub mod dockerfile;

/// The engine's version, shown by the CLI and the web page so bug reports can name it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
