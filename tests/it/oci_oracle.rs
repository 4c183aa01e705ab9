//! Import and export checked against real tools (`../shared/oracle/`): an
//! image built by buildah imports with its diffIDs, image ID and merged tree
//! (as `umoci unpack` gives it); layerlab's exports are read by `skopeo
//! inspect` (oci-archive and docker-archive) and unpack with umoci to
//! layerlab's union view; export after import gives the same layer bytes.
//! These tests fail loudly when a tool is missing: they never skip.

use layerlab::digest::Digest;
use layerlab::oci::export::{self, ExportOptions, Format};
use layerlab::oci::import::import;
use layerlab::oci::ImportLimits;
use layerlab::store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::oracle_tools::{oracle, require_tools};

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlab-oci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

fn assert_same(what: &str, real: &[String], ours: &[String]) {
    for i in 0..real.len().max(ours.len()) {
        assert_eq!(
            real.get(i),
            ours.get(i),
            "{what}: entry {i} differs (real tool vs layerlab)"
        );
    }
}

/// Builds `tests/data/oci-import` with buildah; returns the output directory.
fn buildah_image(work: &Path) -> PathBuf {
    let ctx = work.join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oci-import");
    for name in ["Dockerfile", "payload.txt"] {
        std::fs::copy(data.join(name), ctx.join(name)).unwrap();
    }
    let out = work.join("build");
    let status = Command::new("bash")
        .arg(oracle("build.sh"))
        .arg(ctx.join("Dockerfile"))
        .arg(&ctx)
        .arg(&out)
        .status()
        .expect("run build.sh");
    assert!(status.success(), "build.sh failed");
    out
}

/// Unpacks an archive with umoci; returns the output directory.
fn umoci_unpack(archive: &Path, out: &Path) {
    let status = Command::new("bash")
        .arg(oracle("unpack.sh"))
        .arg(archive)
        .arg(out)
        .status()
        .expect("run unpack.sh");
    assert!(
        status.success(),
        "unpack.sh failed on {}",
        archive.display()
    );
}

fn skopeo_inspect(transport: &str, archive: &Path) -> Value {
    let out = Command::new("skopeo")
        .arg("inspect")
        .arg(format!("{transport}:{}", archive.display()))
        .output()
        .expect("run skopeo");
    assert!(
        out.status.success(),
        "skopeo inspect {transport} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Member `name` of a tar.
fn member(tar_bytes: &[u8], name: &str) -> Vec<u8> {
    let mut archive = tar::Archive::new(tar_bytes);
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some(name) {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut out).unwrap();
            return out;
        }
    }
    panic!("no member {name}");
}

#[test]
fn a_buildah_image_imports_with_its_ids_and_tree_and_exports_back_to_real_tools() {
    require_tools();
    let work = work_dir("buildah");
    let built = buildah_image(&work);
    let history: Value =
        serde_json::from_str(&std::fs::read_to_string(built.join("history.json")).unwrap())
            .unwrap();
    let archive = std::fs::read(built.join("image.tar")).unwrap();

    let mut store = Store::new();
    let imported = import(
        &mut store,
        &archive,
        Some("imported:1"),
        &ImportLimits::default(),
    )
    .expect("import the buildah image");
    assert_eq!(imported.images.len(), 1);
    let image = &imported.images[0];
    // The same config bytes: the image ID is buildah's config digest.
    assert_eq!(
        image.id.to_string(),
        history["config_digest"].as_str().unwrap()
    );
    let diff_ids: Vec<String> = image.layers.iter().map(|l| l.diff_id.to_string()).collect();
    assert_eq!(diff_ids, strings(&history["rootfs"]["diff_ids"]));
    let blob_digests: Vec<String> = image.layers.iter().map(|l| l.digest.to_string()).collect();
    let real_digests: Vec<String> = history["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(blob_digests, real_digests);

    // The merged tree is umoci's, entry by entry.
    let union = store.union(&image.id).unwrap();
    let rootfs = lines(&built.join("rootfs.txt"));
    assert!(rootfs.len() > 40, "suspiciously short rootfs: {rootfs:?}");
    assert!(
        rootfs.iter().any(|l| l.starts_with("opt/pipe p ")),
        "the fifo is shown"
    );
    assert_same("buildah image rootfs", &rootfs, &union.fs().listing());

    // Export after import: the same layer bytes (uncompressed) and digests.
    let oci = export::to_bytes(
        &store,
        "imported:1",
        ExportOptions {
            format: Format::Oci,
            gzip: false,
        },
    )
    .unwrap();
    for layer in &image.layers {
        let ours = member(&oci, &format!("blobs/sha256/{}", layer.diff_id.hex()));
        assert_eq!(Digest::of(&ours), layer.diff_id);
        let original = member(&archive, &format!("blobs/sha256/{}", layer.digest.hex()));
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(original.as_slice()),
            &mut unzipped,
        )
        .unwrap();
        assert!(
            ours == unzipped,
            "layer {} bytes differ after export",
            layer.diff_id
        );
    }
    let oci_path = work.join("export-oci.tar");
    std::fs::write(&oci_path, &oci).unwrap();
    let seen = skopeo_inspect("oci-archive", &oci_path);
    assert_eq!(strings(&seen["Layers"]), diff_ids);

    let docker = export::to_bytes(
        &store,
        "imported:1",
        ExportOptions {
            format: Format::Docker,
            gzip: true,
        },
    )
    .unwrap();
    let docker_path = work.join("export-docker.tar");
    std::fs::write(&docker_path, &docker).unwrap();
    let seen = skopeo_inspect("docker-archive", &docker_path);
    assert_eq!(seen["Env"], history["config"]["Env"]);

    // umoci unpacks our export to the same tree.
    let unpacked = work.join("unpacked");
    umoci_unpack(&oci_path, &unpacked);
    assert_same(
        "export of the buildah image",
        &lines(&unpacked.join("rootfs.txt")),
        &union.fs().listing(),
    );
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn the_busybase_archive_imports_with_umocis_tree() {
    require_tools();
    let out = Command::new("bash")
        .arg(oracle("make-base.sh"))
        .output()
        .expect("run make-base.sh");
    assert!(out.status.success(), "make-base.sh failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let archive = text
        .lines()
        .find_map(|l| l.strip_prefix("archive="))
        .expect("make-base.sh prints archive=");
    let bytes = std::fs::read(archive).unwrap();
    let mut store = Store::new();
    let imported = import(&mut store, &bytes, None, &ImportLimits::default()).unwrap();
    let image = &imported.images[0];
    assert_eq!(image.tags, vec!["busybase:latest".to_string()]);
    assert_eq!(store.resolve("busybase").unwrap(), image.id);
    let work = work_dir("busybase");
    umoci_unpack(Path::new(archive), &work.join("out"));
    let union = store.union(&image.id).unwrap();
    assert_same(
        "busybase",
        &lines(&work.join("out/rootfs.txt")),
        &union.fs().listing(),
    );
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn layerlab_exports_of_a_built_image_are_read_by_skopeo_and_unpack_to_the_union_view() {
    require_tools();
    let store = crate::oci_support::built_store();
    let id = store.resolve("built:1").unwrap();
    let union = store.union(&id).unwrap();
    let work = work_dir("built");
    for (format, gzip, transport) in [
        (Format::Oci, false, "oci-archive"),
        (Format::Oci, true, "oci-archive"),
        (Format::Docker, false, "docker-archive"),
        (Format::Docker, true, "docker-archive"),
    ] {
        let bytes = export::to_bytes(&store, "built:1", ExportOptions { format, gzip }).unwrap();
        let path = work.join(format!("{format:?}-{gzip}.tar"));
        std::fs::write(&path, &bytes).unwrap();
        let seen = skopeo_inspect(transport, &path);
        let diff_ids: Vec<String> = store
            .image(&id)
            .unwrap()
            .image
            .diff_ids
            .iter()
            .map(|d| d.to_string())
            .collect();
        if !gzip {
            assert_eq!(strings(&seen["Layers"]), diff_ids, "{transport}");
        }
        assert_eq!(
            strings(&seen["Layers"]).len(),
            diff_ids.len(),
            "{transport} gzip={gzip}"
        );
        if format == Format::Oci {
            let out = work.join(format!("unpacked-{gzip}"));
            umoci_unpack(&path, &out);
            assert_same(
                &format!("export gzip={gzip}"),
                &lines(&out.join("rootfs.txt")),
                &union.fs().listing(),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&work);
}
