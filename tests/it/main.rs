//! The single native integration test binary: one module per area. Native only:
//! it reads `../shared/`, runs the oracle and uses proptest (see `tests/web.rs` for
//! the wasm tests).
#![cfg(not(target_arch = "wasm32"))]

mod build;
mod build_oracle;
mod cache;
mod cache_oracle;
mod catalog;
mod container;
mod corpus;
mod dockerfile;
mod fuzz;
mod history_cli;
mod hostile;
mod hub_examples;
mod java;
mod mounts;
mod oci_cli;
mod oci_fuzz;
mod oci_hostile;
mod oci_oracle;
mod oci_roundtrip;
mod oci_support;
mod oracle;
mod oracle_tools;
mod personalities;
mod php_images;
mod roundtrip;
mod shell;
mod shell_gen;
mod support;
mod tidy;
mod union;
mod whiteouts;
