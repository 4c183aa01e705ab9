//! The single native integration test binary: one module per area.
#![cfg(not(target_arch = "wasm32"))]

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
