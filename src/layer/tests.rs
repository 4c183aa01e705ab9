use super::{ChangeKind, DiffStyle, EntryKind, Layer};
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

fn d() -> Meta {
    Meta::new(0o755)
}

fn f() -> Meta {
    Meta::new(0o644)
}

/// The oracle's busybox-like base, small.
fn base() -> Vfs {
    let mut fs = Vfs::new();
    for dir in [
        "/etc",
        "/tmp",
        "/tmp/x",
        "/tmp/x/y",
        "/dst",
        "/dst/inner",
        "/o",
        "/o/d2f",
    ] {
        fs.mkdir(dir, d()).unwrap();
    }
    fs.chmod("/tmp", 0o1777).unwrap();
    fs.write_file("/etc/somefile", Blob::from_bytes("some\n"), f())
        .unwrap();
    fs.write_file("/tmp/x/keep", Blob::from_bytes("keep\n"), f())
        .unwrap();
    fs.hard_link("/tmp/x/keep", "/tmp/x/hl").unwrap();
    fs.write_file("/dst/a.txt", Blob::from_bytes("a\n"), f())
        .unwrap();
    fs.write_file("/dst/inner/b", Blob::from_bytes("b\n"), f())
        .unwrap();
    fs.symlink("a.txt", "/dst/link", Meta::new(0o777)).unwrap();
    fs.write_file("/o/f2d", Blob::from_bytes("file\n"), f())
        .unwrap();
    fs.write_file("/o/d2f/child", Blob::from_bytes("c\n"), f())
        .unwrap();
    fs
}

fn names(layer: &Layer) -> Vec<String> {
    layer
        .listing()
        .iter()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn deleting_a_file_writes_a_whiteout_under_its_parent() {
    let parent = base();
    let mut child = parent.clone();
    child.remove_file("/etc/somefile").unwrap();
    let diff = Layer::diff(&parent, &child, DiffStyle::BuildKit);
    assert_eq!(names(&diff.layer), ["etc d", "etc/.wh.somefile W"]);
    assert_eq!(diff.counts().deleted, 1);
}

#[test]
fn recreated_directory_buildkit_writes_one_whiteout_per_old_child() {
    let parent = base();
    let mut child = parent.clone();
    child.remove_all("/dst").unwrap();
    child.mkdir("/dst", d()).unwrap();
    child
        .write_file("/dst/n", Blob::from_bytes("n\n"), f())
        .unwrap();
    let buildkit = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
    assert_eq!(
        names(&buildkit),
        [
            "dst d",
            "dst/.wh.a.txt W",
            "dst/.wh.inner W",
            "dst/.wh.link W",
            "dst/n f"
        ]
    );
    let overlay = Layer::diff(&parent, &child, DiffStyle::Overlay).layer;
    assert_eq!(names(&overlay), ["dst d", "dst/.wh..wh..opq O", "dst/n f"]);
    // Tar order: the opaque marker right after its directory.
    let order: Vec<_> = overlay.entries().iter().map(|e| e.path.as_str()).collect();
    assert_eq!(order, ["dst", "dst", "dst/n"]);
}

#[test]
fn file_to_directory_and_back() {
    let parent = base();
    let mut child = parent.clone();
    child.remove_file("/o/f2d").unwrap();
    child.mkdir("/o/f2d", d()).unwrap();
    child
        .write_file("/o/f2d/n", Blob::from_bytes("n"), f())
        .unwrap();
    child.remove_all("/o/d2f").unwrap();
    child
        .write_file("/o/d2f", Blob::from_bytes("now a file"), f())
        .unwrap();
    let overlay = Layer::diff(&parent, &child, DiffStyle::Overlay);
    assert_eq!(
        names(&overlay.layer),
        [
            "o d",
            "o/d2f f",
            "o/f2d d",
            "o/f2d/.wh..wh..opq O",
            "o/f2d/n f"
        ]
    );
    let buildkit = Layer::diff(&parent, &child, DiffStyle::BuildKit);
    assert_eq!(
        names(&buildkit.layer),
        ["o d", "o/d2f f", "o/f2d d", "o/f2d/n f"]
    );
    assert_eq!(buildkit.counts().type_changed, 2);
    for layer in [overlay.layer, buildkit.layer] {
        let mut applied = parent.clone();
        layer.apply_to(&mut applied).unwrap();
        assert_eq!(applied.to_string(), child.to_string());
    }
}

#[test]
fn chmod_of_a_hard_link_rewrites_both_names() {
    let parent = base();
    let mut child = parent.clone();
    child.chmod("/tmp/x/keep", 0o600).unwrap();
    let diff = Layer::diff(&parent, &child, DiffStyle::BuildKit);
    assert_eq!(
        diff.layer.listing(),
        [
            "tmp d 1777 0:0 0 -",
            "tmp/x d 0755 0:0 0 -",
            "tmp/x/hl f 0600 0:0 5 f660a7996deacfbc7560e4240054a8ad82eb02fe25a95064257e07084bcacb85",
            "tmp/x/keep h 0600 0:0 0 ->tmp/x/hl",
        ]
    );
    let counts = diff.counts();
    assert_eq!((counts.modified, counts.metadata_only), (2, 2));
    let mut applied = parent.clone();
    diff.layer.apply_to(&mut applied).unwrap();
    assert_eq!(applied.to_string(), child.to_string());
}

#[test]
fn a_rewrite_with_equal_bytes_is_listed_untouched_files_are_not() {
    let parent = base();
    let mut child = parent.clone();
    child
        .write_file("/dst/a.txt", Blob::from_bytes("a\n"), f())
        .unwrap();
    let diff = Layer::diff(&parent, &child, DiffStyle::BuildKit);
    assert_eq!(names(&diff.layer), ["dst d", "dst/a.txt f"]);
    assert!(Layer::diff(&parent, &parent.clone(), DiffStyle::BuildKit)
        .layer
        .is_empty());
}

#[test]
fn the_empty_layer_is_1024_zero_bytes() {
    let layer = Layer::default();
    assert_eq!(layer.tar(), vec![0u8; 1024]);
    assert_eq!(
        layer.diff_id().to_string(),
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
    );
}

#[test]
fn tar_round_trips_and_is_byte_identical() {
    let parent = Vfs::new();
    let mut child = base();
    let long = format!("/{}", "n".repeat(120));
    child
        .write_file(
            &long,
            Blob::from_bytes("long name"),
            f().owned(3_000_000, 7).at(-5),
        )
        .unwrap();
    let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
    let tar = layer.tar();
    assert_eq!(
        tar,
        Layer::diff(&parent, &child, DiffStyle::BuildKit)
            .layer
            .tar()
    );
    let back = Layer::from_tar(&tar).unwrap();
    assert_eq!(back, layer);
    assert_eq!(crate::digest::Digest::of(&tar), layer.diff_id());
    // Files, plus the 5 bytes of the symlink target `a.txt`.
    assert_eq!(layer.size(), 5 + 5 + 2 + 2 + 5 + 2 + 9 + 5);
}

#[test]
fn invalid_whiteout_names_are_rejected() {
    for name in [
        ".wh.",
        ".wh..",
        ".wh...",
        ".wh..wh.plnk/0123456789",
        "a/.wh..wh.x",
    ] {
        let layer = Layer::from_entries(vec![super::LayerEntry {
            path: name.to_string(),
            change: EntryKind::Node {
                kind: crate::vfs::Kind::File(Blob::empty()),
                meta: f(),
            },
        }]);
        let err = Layer::from_tar(&layer.tar()).unwrap_err();
        assert!(err.message.contains("invalid whiteout"), "{name}: {err}");
    }
    let escape = Layer::from_entries(vec![super::LayerEntry {
        path: "../etc/passwd".to_string(),
        change: EntryKind::Node {
            kind: crate::vfs::Kind::File(Blob::empty()),
            meta: f(),
        },
    }]);
    assert_eq!(
        Layer::from_tar(&escape.tar()).unwrap_err().message,
        "path escapes the root"
    );
}

#[test]
fn changes_are_reported_like_docker_diff() {
    let parent = base();
    let mut child = parent.clone();
    child.remove_all("/dst/inner").unwrap();
    child
        .write_file("/etc/new", Blob::from_bytes("x"), f())
        .unwrap();
    let diff = Layer::diff(&parent, &child, DiffStyle::BuildKit);
    let kinds: Vec<_> = diff
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.kind == ChangeKind::Deleted))
        .collect();
    assert_eq!(kinds, [("dst/inner", true), ("etc/new", false)]);
}

#[test]
fn a_foreign_tar_keeps_its_bytes_and_digest() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(3);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    builder
        .append_data(&mut header, "dir/file", &b"abc"[..])
        .unwrap();
    let foreign = builder.into_inner().unwrap();
    let layer = Layer::from_tar(&foreign).unwrap();
    assert_eq!(layer.tar(), foreign);
    assert_eq!(layer.diff_id(), crate::digest::Digest::of(&foreign));
    assert_eq!(layer.original_tar(), Some(&foreign[..]));
    assert_eq!(names(&layer), ["dir/file f"]);
}
