//! Thin wasm tests of the facade, run in headless Chromium by `wasm-pack test`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_facade_reports_the_crate_version() {
    assert_eq!(layerlab::api::engine_version(), env!("CARGO_PKG_VERSION"));
}
