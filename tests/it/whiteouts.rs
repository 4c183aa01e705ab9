//! The whiteout conformance data in `../shared/conformance/whiteouts/`: moby's
//! apply-layer cases, overlay conversion names, and the OCI spec's examples.

use layerlab::layer::{ChangeKind, DiffStyle, EntryKind, Layer, LayerEntry};
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Kind, Meta, Vfs};
use serde_json::Value;
use std::path::Path;

fn data(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/whiteouts")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid json")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

/// A layer tar whose entries are these raw tar names (`x/` a directory 0700, else an
/// empty file 0600), as moby's test builds them; read back through `from_tar`.
fn raw_layer(names: &[String]) -> Layer {
    let entries = names
        .iter()
        .map(|n| {
            let (path, kind, mode) = match n.strip_suffix('/') {
                Some(dir) => (dir.to_string(), Kind::Dir, 0o700),
                None => (n.clone(), Kind::File(Blob::empty()), 0o600),
            };
            LayerEntry {
                path,
                change: EntryKind::Node {
                    kind,
                    meta: Meta::new(mode),
                },
            }
        })
        .collect();
    Layer::from_tar(&Layer::from_entries(entries).tar()).expect("valid layer")
}

/// The tree as moby's test walks it: sorted paths, directories with a trailing `/`.
fn tree(fs: &Vfs) -> Vec<String> {
    let mut out: Vec<String> = fs
        .walk("/")
        .unwrap()
        .into_iter()
        .map(|e| {
            if e.stat.is_dir() {
                format!("{}/", e.path)
            } else {
                e.path
            }
        })
        .collect();
    out.sort();
    out
}

#[test]
fn moby_apply_layer_whiteout_cases() {
    let cases = data("moby-go-archive/apply_layer_whiteouts.json");
    let mut fs = Vfs::new();
    for (i, case) in cases["cases"].as_array().unwrap().iter().enumerate() {
        raw_layer(&strings(&case["change"]))
            .apply_to(&mut fs)
            .unwrap();
        assert_eq!(tree(&fs), strings(&case["expected"]), "after layer {i}");
    }
}

#[test]
fn invalid_whiteout_names_are_rejected() {
    let conv = data("moby-go-archive/overlay_whiteout_conversion.json");
    let invalid =
        strings(&conv["untar_OverlayWhiteoutFormat_must_fail_with_invalid_whiteout_entry"]);
    assert_eq!(invalid.len(), 4);
    let cases: [&[&str]; 4] = [
        &[".wh."],
        &[".wh.."],
        &[".wh..."],
        &[".wh..wh.plnk/", ".wh..wh.plnk/0123456789"],
    ];
    for names in cases {
        let entries = names
            .iter()
            .map(|n| {
                let (path, kind) = match n.strip_suffix('/') {
                    Some(d) => (d.to_string(), Kind::Dir),
                    None => (n.to_string(), Kind::File(Blob::empty())),
                };
                LayerEntry {
                    path,
                    change: EntryKind::Node {
                        kind,
                        meta: Meta::new(0o600),
                    },
                }
            })
            .collect();
        let err = Layer::from_tar(&Layer::from_entries(entries).tar()).unwrap_err();
        assert!(
            err.message.starts_with("invalid whiteout entry"),
            "{names:?}: {err}"
        );
    }
}

#[test]
fn overlay_conversion_names() {
    let conv = data("moby-go-archive/overlay_whiteout_conversion.json");
    let expected = strings(&conv["tar_with_OverlayWhiteoutFormat_expected_entry_names"]);
    let mut lower = Vfs::new();
    for d in ["/d1", "/d2", "/d3"] {
        lower.mkdir(d, Meta::new(0o700)).unwrap();
        lower
            .write_file(
                &format!("{d}/old"),
                Blob::from_bytes("old"),
                Meta::new(0o600),
            )
            .unwrap();
    }
    lower
        .write_file("/d3/f1", Blob::empty(), Meta::new(0o600))
        .unwrap();
    lower.remove_file("/d3/old").unwrap();
    let mut upper = lower.clone();
    for (d, mode, fmode) in [("/d1", 0o700, 0o600), ("/d2", 0o750, 0o660)] {
        upper.remove_all(d).unwrap();
        upper.mkdir(d, Meta::new(mode)).unwrap();
        upper
            .write_file(&format!("{d}/f1"), Blob::empty(), Meta::new(fmode))
            .unwrap();
    }
    upper.remove_file("/d3/f1").unwrap();
    let layer = Layer::diff(&lower, &upper, DiffStyle::Overlay).layer;
    let mut names: Vec<String> = tar_names(&layer.tar());
    names.sort();
    assert_eq!(names, expected);
}

fn tar_names(tar: &[u8]) -> Vec<String> {
    let mut archive = tar::Archive::new(tar);
    archive
        .entries()
        .unwrap()
        .map(|e| String::from_utf8(e.unwrap().path_bytes().into_owned()).unwrap())
        .collect()
}

fn fs_from(names: &[String]) -> Vfs {
    let mut fs = Vfs::new();
    raw_layer(names).apply_to(&mut fs).unwrap();
    fs
}

#[test]
fn oci_changeset_example() {
    let spec = data("opencontainers-image-spec/layer_examples.json");
    let ex = &spec["changeset_example"];
    let lower = fs_from(&strings(&ex["lower"]));
    let mut upper = lower.clone();
    upper.remove_file("/etc/my-app-config").unwrap();
    upper.mkdir("/etc/my-app.d", Meta::new(0o700)).unwrap();
    upper
        .write_file(
            "/etc/my-app.d/default.cfg",
            Blob::from_bytes("cfg"),
            Meta::new(0o600),
        )
        .unwrap();
    upper
        .write_file(
            "/bin/my-app-tools",
            Blob::from_bytes("v2"),
            Meta::new(0o600),
        )
        .unwrap();
    let diff = Layer::diff(&lower, &upper, DiffStyle::BuildKit);
    let mut changes: Vec<(String, String)> = diff
        .changes
        .iter()
        .map(|c| {
            let kind = match c.kind {
                ChangeKind::Added => "Added",
                ChangeKind::Modified { .. } => "Modified",
                ChangeKind::Deleted => "Deleted",
            };
            let slash = if c.path.ends_with(".d") { "/" } else { "" };
            (kind.to_string(), format!("/{}{slash}", c.path))
        })
        .collect();
    let mut expected: Vec<(String, String)> = ex["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    changes.sort();
    expected.sort();
    assert_eq!(changes, expected);
    // The spec's entries, plus the parent directories every real writer adds.
    let mut names = tar_names(&diff.layer.tar());
    names.sort();
    let mut spec_names: Vec<String> = strings(&ex["layer_tar_entries"])
        .iter()
        .map(|n| n.trim_start_matches("./").to_string())
        .collect();
    spec_names.extend(["bin/".to_string(), "etc/".to_string()]);
    spec_names.sort();
    assert_eq!(names, spec_names);
}

#[test]
fn oci_opaque_marker_position_does_not_matter() {
    let spec = data("opencontainers-image-spec/layer_examples.json");
    let ex = &spec["opaque_order_example"];
    for variant in ex["next_layer_variants_equivalent"].as_array().unwrap() {
        let mut fs = fs_from(&strings(&ex["base_layer"]));
        raw_layer(&strings(variant)).apply_to(&mut fs).unwrap();
        assert_eq!(tree(&fs), strings(&ex["result"]));
    }
}

#[test]
fn oci_opaque_and_explicit_whiteouts_are_equivalent() {
    let spec = data("opencontainers-image-spec/layer_examples.json");
    let ex = &spec["opaque_vs_explicit_example"];
    let mut expected = strings(&ex["result"]);
    expected.sort();
    for key in ["opaque_layer", "equivalent_explicit_layer"] {
        let mut fs = fs_from(&strings(&ex["base_layer"]));
        raw_layer(&strings(&ex[key])).apply_to(&mut fs).unwrap();
        assert_eq!(tree(&fs), expected, "{key}");
    }
}

fn docker_save(name: &str) -> Vec<layerlab::oci::docker_save::SavedImage> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/whiteouts/go-containerregistry/pkg/v1/mutate/testdata")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    layerlab::oci::docker_save::read(&bytes).unwrap()
}

/// Flattens the only image of a go-containerregistry fixture through the store
/// (so the layers must keep the config's diffIDs) and lists it.
fn flatten(name: &str) -> (Vec<String>, layerlab::union::Union) {
    let images = docker_save(name);
    assert_eq!(images.len(), 1);
    let mut store = layerlab::store::Store::new();
    for layer in &images[0].layers {
        store.add_layer(layer.clone());
    }
    let id = store
        .add_image_json(&images[0].config_json)
        .expect("config diffIDs match the layers");
    let union = store.union(&id).unwrap();
    (tree(union.fs()), union)
}

#[test]
fn go_containerregistry_whiteout_image() {
    let (tree, _) = flatten("whiteout_image.tar");
    assert_eq!(tree, ["bar.txt"]);
}

#[test]
fn go_containerregistry_whiteout_dir() {
    let (tree, _) = flatten("whiteout_dir.tar");
    assert_eq!(tree, ["a/", "a/baz", "b/", "b/bar"]);
}

#[test]
fn go_containerregistry_overwritten_file() {
    let (tree, union) = flatten("overwritten_file.tar");
    assert_eq!(tree, ["bar.txt", "foo.txt"]);
    assert_eq!(union.fs().read_link("/foo.txt").unwrap(), "bar.txt");
    assert_eq!(&*union.read_file("/foo.txt").unwrap().bytes(), b"bar\n");
}
