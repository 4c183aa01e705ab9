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

/// The dive-like report of an image archive dropped on the page (`docker save`
/// tar or oci-archive, plain or gzipped): the same object `layerlab inspect
/// --json` prints (`layers` with `digest`, `diff_id`, `size`, `created_by`,
/// `added`, `modified`, `deleted`; `size`, `wasted_bytes`, `efficiency`,
/// `inefficient_files`, `warnings`...). Throws an `Error` naming the entry when
/// the archive cannot be read. Stateless: nothing is kept after the call.
#[wasm_bindgen(js_name = inspectArchive)]
pub fn inspect_archive(bytes: &[u8]) -> Result<JsValue, JsError> {
    let report = crate::oci::inspect::inspect_archive(bytes, &crate::oci::ImportLimits::default())
        .map_err(|e| JsError::new(&e.to_string()))?;
    serde_wasm_bindgen::to_value(&report).map_err(|e| JsError::new(&e.to_string()))
}
