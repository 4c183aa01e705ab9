//! The single native integration test binary: one module per area.
#![cfg(not(target_arch = "wasm32"))]

mod shell;
mod shell_gen;
mod tidy;
