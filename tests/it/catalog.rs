//! Every image of the catalog expands, through the public API only.

use layerlab::catalog;
use std::collections::BTreeSet;

#[test]
fn every_catalog_image_expands_with_a_shell_and_a_history() {
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
        assert!(fs.stat("/bin/sh").is_ok(), "{} has no /bin/sh", entry.name);
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
