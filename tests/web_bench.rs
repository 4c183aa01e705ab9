//! The union benchmark in WebAssembly (issue 4 goal: under 150 ms), run in headless
//! Chromium with the release profile:
//! `cargo test --release --target wasm32-unknown-unknown --test web_bench`
//! (with `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner`).
//! It prints its figures to the console and asserts nothing about speed.
#![cfg(target_arch = "wasm32")]

use layerlab::union::Union;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

include!("data/union_stack.rs");

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
fn union_of_100_layers_over_30000_files() {
    let layers = stack();
    let mut times = Vec::new();
    let mut unions = Vec::new();
    for _ in 0..7 {
        let start = now();
        unions.push(Union::new(&layers).expect("union"));
        times.push(now() - start);
    }
    times.sort_by(f64::total_cmp);
    console_log!(
        "wasm union view of {} layers: median {:.1} ms, best {:.1} ms",
        layers.len(),
        times[3],
        times[0]
    );
    let union = &unions[0];
    let start = now();
    let mut n = 0;
    for _ in 0..200 {
        n += union.list_dir("/usr/lib/pkg05/dir3").expect("list").len();
    }
    console_log!(
        "wasm list one directory ({} entries): {:.3} ms each",
        n / 200,
        (now() - start) / 200.0
    );
}
