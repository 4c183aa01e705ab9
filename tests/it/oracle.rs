//! layerlab's layers checked by a real unpacker: each image is written as an OCI
//! layout, unpacked with umoci through `../shared/oracle/unpack.sh`, and the
//! merged root filesystem (`rootfs.txt`) and every layer listing (`layers/N.txt`)
//! are compared entry by entry with layerlab's union view and layer tars.

use layerlab::image::{History, Image};
use layerlab::layer::{DiffStyle, Layer};
use layerlab::oci::layout::{layout, Compression};
use layerlab::union::Union;
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::oracle_tools::{oracle, require_tools};

fn file(fs: &mut Vfs, path: &str, bytes: &str, mode: u32) {
    fs.write_file(
        path,
        Blob::from_bytes(bytes),
        Meta::new(mode).at(1_700_000_000),
    )
    .unwrap();
}

fn dir(fs: &mut Vfs, path: &str, mode: u32) {
    fs.mkdir(path, Meta::new(mode).at(1_700_000_000)).unwrap();
}

/// Four steps: a base; deletions, a recreated directory, file↔directory swaps,
/// a chmod through a hard link, a retargeted symlink; the swaps back and more;
/// and a step that changes nothing.
fn snapshots() -> Vec<Vfs> {
    let mut s0 = Vfs::new();
    for (d, mode) in [
        ("/bin", 0o755),
        ("/etc", 0o755),
        ("/tmp", 0o1777),
        ("/root", 0o700),
        ("/usr", 0o755),
        ("/usr/bin", 0o755),
        ("/dst", 0o755),
        ("/dst/inner", 0o750),
        ("/o", 0o755),
        ("/o/d2f", 0o755),
        ("/tmp/x", 0o755),
        ("/home", 0o755),
    ] {
        dir(&mut s0, d, mode);
    }
    s0.write_file("/bin/busybox", Blob::generated(50_000, 7), Meta::new(0o755))
        .unwrap();
    s0.symlink("busybox", "/bin/sh", Meta::new(0o777)).unwrap();
    file(
        &mut s0,
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\n",
        0o644,
    );
    file(&mut s0, "/etc/somefile", "some\n", 0o644);
    file(&mut s0, "/usr/bin/su", "su", 0o4755);
    file(&mut s0, "/dst/a.txt", "a\n", 0o644);
    file(&mut s0, "/dst/inner/b", "b\n", 0o640);
    s0.symlink("a.txt", "/dst/link", Meta::new(0o777)).unwrap();
    file(&mut s0, "/o/f2d", "file\n", 0o644);
    file(&mut s0, "/o/d2f/child", "c\n", 0o644);
    file(&mut s0, "/tmp/x/keep", "keep\n", 0o644);
    s0.hard_link("/tmp/x/keep", "/tmp/x/hl").unwrap();
    s0.mkdir("/home/user", Meta::new(0o755).owned(1000, 1000))
        .unwrap();
    s0.write_file(
        "/home/user/.profile",
        Blob::empty(),
        Meta::new(0o600).owned(1000, 1000),
    )
    .unwrap();
    let long_dir = format!("/usr/{}", "share-".repeat(12));
    dir(&mut s0, &long_dir, 0o755);
    file(
        &mut s0,
        &format!("{long_dir}/{}", "long-file-name-".repeat(8)),
        "long\n",
        0o644,
    );

    let mut s1 = s0.clone();
    s1.remove_file("/etc/somefile").unwrap();
    s1.remove_all("/dst").unwrap();
    dir(&mut s1, "/dst", 0o755);
    file(&mut s1, "/dst/n", "n\n", 0o644);
    s1.remove_file("/o/f2d").unwrap();
    dir(&mut s1, "/o/f2d", 0o755);
    file(&mut s1, "/o/f2d/n", "n\n", 0o644);
    s1.remove_all("/o/d2f").unwrap();
    file(&mut s1, "/o/d2f", "now a file\n", 0o644);
    s1.chmod("/tmp/x/keep", 0o600).unwrap();
    s1.hard_link("/tmp/x/keep", "/tmp/x/hl2").unwrap();
    s1.remove_file("/bin/sh").unwrap();
    s1.symlink("/bin/busybox", "/bin/sh", Meta::new(0o777))
        .unwrap();

    let mut s2 = s1.clone();
    s2.remove_all("/o/f2d").unwrap();
    file(&mut s2, "/o/f2d", "file again\n", 0o644);
    s2.remove_file("/o/d2f").unwrap();
    dir(&mut s2, "/o/d2f", 0o755);
    file(&mut s2, "/o/d2f/child", "c2\n", 0o644);
    s2.remove_file("/tmp/x/hl").unwrap();
    file(
        &mut s2,
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\n",
        0o644,
    );
    s2.mkdir_all("/a/b/c", Meta::new(0o2755)).unwrap();
    s2.remove_all("/home").unwrap();

    let s3 = s2.clone();
    vec![Vfs::new(), s0, s1, s2, s3]
}

struct Built {
    layers: Vec<Layer>,
    config_json: String,
}

fn build(style: DiffStyle) -> Built {
    let snaps = snapshots();
    let layers: Vec<Layer> = snaps
        .windows(2)
        .map(|w| Layer::diff(&w[0], &w[1], style).layer)
        .collect();
    let mut image = Image::scratch();
    for (i, layer) in layers.iter().enumerate() {
        image.diff_ids.push(layer.diff_id());
        image.history.push(History {
            created_by: format!("step {i}"),
            ..History::default()
        });
    }
    Built {
        layers,
        config_json: image.to_json(),
    }
}

fn unpack(name: &str, built: &Built, compression: Compression) -> PathBuf {
    let work = std::env::temp_dir().join(format!("layerlab-oracle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let layout_dir = work.join("layout");
    let refs: Vec<&Layer> = built.layers.iter().collect();
    for (path, bytes) in layout(&built.config_json, &refs, "layerlab", compression) {
        let target = layout_dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, bytes).unwrap();
    }
    let out = work.join("out");
    let status = Command::new("bash")
        .arg(oracle("unpack.sh"))
        .arg(&layout_dir)
        .arg(&out)
        .env("ORACLE_WORK", work.join("oracle-work"))
        .status()
        .expect("run unpack.sh");
    assert!(status.success(), "unpack.sh failed for {name}");
    out
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

/// Compares entry by entry, so a failure names the first differing entries.
fn assert_same(what: &str, real: &[String], ours: &[String]) {
    let width = real.len().max(ours.len());
    for i in 0..width {
        let (r, o) = (real.get(i), ours.get(i));
        assert_eq!(
            r, o,
            "{what}: entry {i} differs (umoci vs layerlab)\nreal: {real:#?}\nours: {ours:#?}"
        );
    }
}

fn check(name: &str, style: DiffStyle, compression: Compression) {
    require_tools();
    let built = build(style);
    let out = unpack(name, &built, compression);
    let union = Union::new(&built.layers).unwrap();
    let rootfs = lines(&out.join("rootfs.txt"));
    assert!(
        rootfs.len() > 20,
        "{name}: umoci's rootfs listing is suspiciously short: {rootfs:?}"
    );
    assert_same(&format!("{name} rootfs"), &rootfs, &union.fs().listing());
    let mut layer_entries = 0;
    for (i, layer) in built.layers.iter().enumerate() {
        let real = lines(&out.join(format!("layers/{i}.txt")));
        layer_entries += real.len();
        assert_same(&format!("{name} layer {i}"), &real, &layer.listing());
    }
    eprintln!(
        "{name}: umoci agrees on {} rootfs entries and {layer_entries} layer entries",
        rootfs.len()
    );
    let history: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("history.json")).unwrap()).unwrap();
    let diff_ids: Vec<String> = built
        .layers
        .iter()
        .map(|l| l.diff_id().to_string())
        .collect();
    let real_ids: Vec<String> = history["rootfs"]["diff_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert_eq!(real_ids, diff_ids);
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

#[test]
fn umoci_unpacks_buildkit_style_layers_to_our_union_view() {
    check("buildkit", DiffStyle::BuildKit, Compression::None);
}

#[test]
fn umoci_unpacks_overlay_style_layers_with_opaque_markers_to_our_union_view() {
    let built = build(DiffStyle::Overlay);
    assert!(
        built.layers[1]
            .listing()
            .iter()
            .any(|l| l.starts_with("dst/.wh..wh..opq O")),
        "the stack must exercise opaque markers"
    );
    check("overlay", DiffStyle::Overlay, Compression::Gzip);
}
