//! Every image of the catalog expands, through the public API only.

use layerlab::catalog;
use std::collections::BTreeSet;

#[test]
fn every_catalog_image_expands_with_a_history_and_a_shell_unless_distroless() {
    let mut seen = BTreeSet::new();
    for entry in catalog::names() {
        // Tags of one image share a description; expand each image once.
        if !seen.insert(entry.description.clone()) {
            continue;
        }
        let image = catalog::resolve(&entry.name).unwrap_or_else(|e| panic!("{}: {e}", entry.name));
        let made = image.history.iter().filter(|h| !h.empty_layer).count();
        assert_eq!(made, image.layers.len(), "{}", entry.name);
        if entry.name == "scratch" {
            assert!(image.layers.is_empty());
            continue;
        }
        let fs = &image.layers.last().expect("layers").fs_after;
        // Distroless images have no shell at all (their debug tags keep busybox's
        // in /busybox); every other image has /bin/sh.
        let distroless = entry.name.starts_with("gcr.io/distroless/");
        assert_eq!(
            fs.stat("/bin/sh").is_ok(),
            !distroless,
            "{}: /bin/sh",
            entry.name
        );
        assert!(
            fs.stat("/etc/passwd").is_ok(),
            "{} has no /etc/passwd",
            entry.name
        );
        assert!(
            image.config.env.iter().any(|e| e.starts_with("PATH=")),
            "{} has no PATH",
            entry.name
        );
    }
    assert!(seen.len() > 30, "{} distinct images", seen.len());
}

/// The catalog's table of base-layer diffIDs agrees with hashing the layers' tars, for
/// the seed example's base and a small image (the rest are checked by debug builds
/// whenever a test builds on them: `Layer::with_known_diff_id` re-hashes there).
#[test]
fn known_diff_ids_match_the_hashed_layer_tars() {
    use layerlab::layer::{DiffStyle, Layer};
    use layerlab::vfs::Vfs;
    for name in [
        "python:3.12-slim",
        "alpine:3.20",
        "gcr.io/distroless/cc-debian12:debug",
    ] {
        let image = catalog::resolve(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut below = Vfs::new();
        let mut hashed = Vec::new();
        for layer in &image.layers {
            hashed.push(
                Layer::diff(&below, &layer.fs_after, DiffStyle::BuildKit)
                    .layer
                    .diff_id(),
            );
            below = layer.fs_after.clone();
        }
        assert_eq!(
            catalog::known_diff_ids(&image.canonical_name),
            Some(hashed),
            "src/catalog/layer_ids.txt is stale for {name}: remake it with \
             `cargo run --release --example catalog_layer_ids > src/catalog/layer_ids.txt`"
        );
    }
}
