//! Thin wasm smoke tests, run in headless Chromium: the engine computes the same
//! digests in WebAssembly as natively.
#![cfg(target_arch = "wasm32")]

use layerlab::layer::{DiffStyle, Layer};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The layer of `tests/data/known_pair.rs` has the diffID the native test
/// `union::layer_digests_are_pinned` asserts, so native == wasm.
#[wasm_bindgen_test]
fn layer_digest_is_the_same_as_natively() {
    let (parent, child) = include!("data/known_pair.rs");
    let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
    assert_eq!(
        layer.diff_id().to_string(),
        "sha256:d9a0a33e4a4c7d00487878311ecf006af2cea1483ffd235925eda6db2665f13d"
    );
}
