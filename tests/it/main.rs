//! The single native integration test binary: one module per area.

mod oracle;
mod roundtrip;
mod support;
mod tidy;
mod union;
mod whiteouts;
