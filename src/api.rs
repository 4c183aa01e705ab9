//! The JavaScript facade: the only module that touches wasm-bindgen.
//!
//! Every exported function converts its arguments, calls the core, and hands back
//! plain data; errors cross as JS `Error` objects, never as panics.

use wasm_bindgen::prelude::*;

/// Installs the panic hook once the module is instantiated: a last resort so a bug
/// in the engine shows up in the console instead of as an opaque `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

/// The engine version, so the page can show which engine answered.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    crate::VERSION.to_string()
}
