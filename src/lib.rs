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

/// The JavaScript facade, the only module that knows about wasm-bindgen.
pub mod api;
/// The simulated base images (`FROM ubuntu`, `python:3.12-slim`...), expanded on demand.
pub mod catalog;
/// sha256 digests (`sha256:<hex>`), the identity of blobs, layers, configs and manifests.
pub mod digest;
/// The in-memory filesystem: a persistent copy-on-write tree whose clone is O(1).
pub mod vfs;

/// The engine's version, shown by the CLI and the web page so bug reports can name it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
