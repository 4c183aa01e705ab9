//! Code invariants checked by grepping the source tree.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_facade_touches_javascript() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 2, "expected to find the crate's sources");
    let facade = src.join("api.rs");
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| **f != facade)
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("read source");
            ["wasm_bindgen", "js_sys", "web_sys"]
                .iter()
                .any(|name| text.contains(name))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "only src/api.rs may use wasm-bindgen, js-sys or web-sys: {offenders:?}"
    );
}

#[test]
fn the_core_reads_no_clock_and_no_randomness() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let bin = src.join("bin");
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| !f.starts_with(&bin))
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("read source");
            ["SystemTime", "Instant::now", "rand::", "getrandom"]
                .iter()
                .any(|name| text.contains(name))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "the core must be deterministic: {offenders:?}"
    );
}
