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

/// Reorder advice: which lines to move so an expensive install stays cached.
pub mod advice;
/// The JavaScript facade, the only module that knows about wasm-bindgen.
pub mod api;
/// The build: every instruction of every needed stage, one intermediate image per step.
pub mod builder;
/// The build cache, with the reason every step hit or missed.
pub mod cache;
/// The simulated base images (`FROM ubuntu`, `python:3.12-slim`...), expanded on demand.
pub mod catalog;
/// Containers: a writable layer over an image, `exec`, `docker diff`, `commit` and
/// the ENTRYPOINT/CMD composition of `docker run`.
pub mod container;
/// The build context in memory and `.dockerignore`, so the core never reads a disk.
pub mod context;
/// sha256 digests (`sha256:<hex>`), the identity of blobs, layers, configs and manifests.
pub mod digest;
/// The BuildKit-compatible Dockerfile front end: syntax tree, dump, typed instructions, expansion.
pub mod dockerfile;
/// Images: the OCI config as BuildKit writes it (canonical JSON), image ID, chain
/// IDs, history and manifests.
pub mod image;
/// Layers: the diff of two filesystems as a deterministic OCI layer tar, its diffID,
/// and applying a layer tar back with OCI whiteout semantics.
pub mod layer;
/// `docker history` and `docker images`: rows from the store, docker's tables.
pub mod listing;
/// Real image formats: an image as an OCI image layout that umoci and skopeo read.
pub mod oci;
/// The RUN shell: a small deterministic sh with simulated programs over a `Vfs`.
pub mod shell;
/// One stable sort shared by every element type (smaller wasm than one per type).
pub mod sort;
/// The content-addressed store: layers by diffID and chain ID, images, tags and
/// `docker system df -v` accounting of shared layers.
pub mod store;
/// The union (overlay) view of a layer stack: merged tree, origin of every path,
/// shadowed versions, deletions, per-layer `docker diff` and wasted space.
pub mod union;
/// The in-memory filesystem: a persistent copy-on-write tree whose clone is O(1).
pub mod vfs;

/// The engine's version, shown by the CLI and the web page so bug reports can name it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
