//! The single native integration test binary: one module per area.

mod dockerfile;
mod fuzz;
mod tidy;
