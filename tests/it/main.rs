//! The single native integration test binary: one module per area. Native only:
//! it reads `../shared/`, runs the oracle and uses proptest (see `tests/web.rs` for
//! the wasm tests).
#![cfg(not(target_arch = "wasm32"))]

mod hostile;
mod oci_cli;
mod oci_fuzz;
mod oci_hostile;
mod oci_oracle;
mod oci_roundtrip;
mod oci_support;
mod oracle;
mod roundtrip;
mod support;
mod tidy;
mod union;
mod whiteouts;
