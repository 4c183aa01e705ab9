//! Export determinism, export → import → export, the store as a layout
//! directory, go-containerregistry's docker-save whiteout fixtures, and the
//! inspect report with dive's thresholds.

use layerlab::oci::export::{self, ExportOptions, Format};
use layerlab::oci::import::import;
use layerlab::oci::inspect::{evaluate, inspect_archive, report, Thresholds};
use layerlab::oci::{layout_dir, ImportLimits};
use layerlab::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

const ALL: [ExportOptions; 4] = [
    ExportOptions {
        format: Format::Oci,
        gzip: false,
    },
    ExportOptions {
        format: Format::Oci,
        gzip: true,
    },
    ExportOptions {
        format: Format::Docker,
        gzip: false,
    },
    ExportOptions {
        format: Format::Docker,
        gzip: true,
    },
];

#[test]
fn the_same_image_exports_to_the_same_bytes() {
    for options in ALL {
        let a = export::to_bytes(&crate::oci_support::built_store(), "built:1", options).unwrap();
        let b = export::to_bytes(&crate::oci_support::built_store(), "built:1", options).unwrap();
        assert!(a == b, "{options:?} is not deterministic");
        assert!(a.len() > 30_000, "{options:?}: {} bytes", a.len());
    }
}

#[test]
fn export_import_export_gives_the_same_bytes_ids_and_tree() {
    let store = crate::oci_support::built_store();
    let id = store.resolve("built:1").unwrap();
    let tree = store.union(&id).unwrap().fs().listing();
    for options in ALL {
        let first = export::to_bytes(&store, "built:1", options).unwrap();
        let mut again = Store::new();
        let imported = import(&mut again, &first, None, &ImportLimits::default()).unwrap();
        assert_eq!(imported.images[0].id, id, "{options:?}");
        assert_eq!(imported.images[0].tags, vec!["built:1".to_string()]);
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        assert_eq!(
            again.union(&id).unwrap().fs().listing(),
            tree,
            "{options:?}"
        );
        let second = export::to_bytes(&again, "built:1", options).unwrap();
        assert!(first == second, "{options:?}: re-export differs");
    }
}

#[test]
fn an_intermediate_image_exports_by_id_without_tags() {
    let mut store = crate::oci_support::built_store();
    let id = store.resolve("built:1").unwrap();
    let mut parent = store.image(&id).unwrap().image.clone();
    parent.diff_ids.pop();
    parent.history.pop();
    let parent_id = store.add_image(parent).unwrap();
    let bytes = export::to_bytes(&store, &parent_id.to_string(), ALL[2]).unwrap();
    let mut fresh = Store::new();
    let imported = import(&mut fresh, &bytes, None, &ImportLimits::default()).unwrap();
    assert_eq!(imported.images[0].id, parent_id);
    assert!(imported.images[0].tags.is_empty());
    assert_eq!(imported.images[0].layers.len(), 2);
}

#[test]
fn an_imported_image_is_found_by_name_and_a_given_name_is_added() {
    let bytes = export::to_bytes(&crate::oci_support::built_store(), "built:1", ALL[0]).unwrap();
    let mut store = Store::new();
    let imported = import(&mut store, &bytes, Some("mine"), &ImportLimits::default()).unwrap();
    let id = imported.images[0].id;
    assert_eq!(
        imported.images[0].tags,
        vec!["built:1".to_string(), "mine:latest".to_string()]
    );
    assert_eq!(store.resolve("mine").unwrap(), id);
    assert_eq!(store.resolve("built:1").unwrap(), id);
}

#[test]
fn a_store_saved_as_a_layout_directory_loads_back_the_same() {
    let mut store = crate::oci_support::built_store();
    let id = store.resolve("built:1").unwrap();
    store.tag("other", &id).unwrap();
    let mut parent = store.image(&id).unwrap().image.clone();
    parent.diff_ids.truncate(1);
    parent.history.truncate(1);
    let untagged = store.add_image(parent).unwrap();
    let files: BTreeMap<String, Vec<u8>> = layout_dir::save(&store)
        .unwrap()
        .into_iter()
        .map(|f| (f.path.clone(), f.bytes()))
        .collect();
    assert!(files.contains_key("oci-layout") && files.contains_key("index.json"));
    let loaded = layout_dir::load(&files, &ImportLimits::default()).unwrap();
    assert_eq!(loaded.image_ids(), store.image_ids());
    assert_eq!(loaded.tags(), store.tags());
    assert!(loaded.image(&untagged).is_some());
    let again: BTreeMap<String, Vec<u8>> = layout_dir::save(&loaded)
        .unwrap()
        .into_iter()
        .map(|f| (f.path.clone(), f.bytes()))
        .collect();
    assert!(again == files, "save(load(save(store))) differs");
    assert!(layout_dir::load(&BTreeMap::new(), &ImportLimits::default())
        .unwrap()
        .image_ids()
        .is_empty());
}

fn ggcr(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/whiteouts/go-containerregistry/pkg/v1/mutate/testdata")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared conformance data is required)",
            path.display()
        )
    });
    let mut store = Store::new();
    let imported = import(&mut store, &bytes, None, &ImportLimits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let union = store.union(&imported.images[0].id).unwrap();
    union
        .fs()
        .listing()
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            format!("{} {} {}", f[0], f[1], f[5])
        })
        .collect()
}

#[test]
fn go_containerregistry_whiteout_image_flattens_to_bar_only() {
    let tree = ggcr("whiteout_image.tar");
    assert_eq!(tree.len(), 1, "{tree:?}");
    assert!(tree[0].starts_with("bar.txt f "), "{tree:?}");
}

#[test]
fn go_containerregistry_whiteout_dir_flattens_to_a_baz_and_b_bar() {
    let tree: Vec<String> = ggcr("whiteout_dir.tar")
        .into_iter()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(tree, vec!["a d", "a/baz f", "b d", "b/bar f"]);
}

#[test]
fn go_containerregistry_overwritten_file_flattens_to_the_symlink() {
    let tree = ggcr("overwritten_file.tar");
    assert_eq!(tree.len(), 2, "{tree:?}");
    assert!(tree[0].starts_with("bar.txt f "), "{tree:?}");
    assert_eq!(tree[1], "foo.txt l ->bar.txt");
}

#[test]
fn inspect_reports_layers_waste_and_dive_thresholds() {
    let store = crate::oci_support::built_store();
    let bytes = export::to_bytes(&store, "built:1", ALL[1]).unwrap();
    let r = inspect_archive(&bytes, &ImportLimits::default()).unwrap();
    let id = store.resolve("built:1").unwrap();
    let direct = report(&store, &id, None).unwrap();
    assert_eq!(r.layers.len(), 3);
    assert_eq!(r.size, direct.size);
    for (a, b) in r.layers.iter().zip(&direct.layers) {
        assert_eq!(a.diff_id, b.diff_id);
        assert_ne!(a.digest, a.diff_id, "gzip blobs have their own digest");
        assert_eq!(
            (a.added, a.modified, a.deleted),
            (b.added, b.modified, b.deleted)
        );
    }
    assert_eq!(r.layers[2].created_by, "RUN step 2");
    // Layer 2 rewrote /opt/big (30 000 bytes) and removed the cache; layer 1
    // removed /etc/somefile.
    assert!(
        r.layers[2].deleted >= 1 && r.layers[1].deleted == 1,
        "{:?}",
        r.layers
    );
    let big = r
        .inefficient_files
        .iter()
        .find(|f| f.path == "opt/big")
        .expect("opt/big wastes space");
    assert_eq!((big.copies, big.wasted_bytes), (2, 30_000));
    assert!(r.wasted_bytes >= 30_000 && r.efficiency < 1.0);
    let user: u64 = r.layers[1..].iter().map(|l| l.size).sum();
    assert_eq!(r.user_size, user);
    assert!((r.wasted_user_percent - r.wasted_bytes as f64 / user as f64).abs() < 1e-12);

    let pass = Thresholds {
        lowest_efficiency: Some(r.efficiency),
        highest_wasted_bytes: Some(r.wasted_bytes),
        highest_user_wasted_percent: Some(r.wasted_user_percent),
    };
    assert!(evaluate(&r, &pass).is_empty());
    let fail = Thresholds {
        lowest_efficiency: Some(0.9999),
        highest_wasted_bytes: Some(r.wasted_bytes - 1),
        highest_user_wasted_percent: Some(0.0),
    };
    let failures = evaluate(&r, &fail);
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(failures[0].starts_with("image efficiency is too low (efficiency="));
    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "layers",
        "size",
        "wasted_bytes",
        "efficiency",
        "inefficient_files",
    ] {
        assert!(json.get(key).is_some(), "--json lacks {key}");
    }
    for key in [
        "digest",
        "diff_id",
        "size",
        "created_by",
        "added",
        "modified",
        "deleted",
    ] {
        assert!(
            json["layers"][0].get(key).is_some(),
            "layer rows lack {key}"
        );
    }
}
