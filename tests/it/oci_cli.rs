//! The CLI's import, export and inspect end to end: a store directory that
//! skopeo reads, exports that import back, and inspect's exit codes (0 pass,
//! 1 a dive threshold failed, 2 unreadable archive).

use crate::support::work_dir;
use layerlab::oci::export::{self, ExportOptions, Format};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn layerlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .output()
        .expect("run layerlab")
}

fn write_export(dir: &Path, format: Format, gzip: bool) -> PathBuf {
    let bytes = export::to_bytes(
        &crate::oci_support::built_store(),
        "built:1",
        ExportOptions { format, gzip },
    )
    .unwrap();
    let path = dir.join(format!("{format:?}-{gzip}.tar"));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn import_then_export_through_a_store_directory() {
    let work = work_dir("cli-store");
    let archive = write_export(&work, Format::Docker, true);
    let store = work.join("store");
    let out = layerlab(&[
        "import",
        "--store",
        s(&store),
        s(&archive),
        "--name",
        "again:2",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("(3 layers) as built:1, again:2"), "{said}");
    assert!(store.join("oci-layout").is_file() && store.join("index.json").is_file());

    let oci = work.join("out-oci.tar");
    let out = layerlab(&["export", "--store", s(&store), "again:2", "-o", s(&oci)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The export is the same image (same ID, so same config bytes and diffIDs).
    let mut fresh = layerlab::store::Store::new();
    let bytes = std::fs::read(&oci).unwrap();
    let imported = layerlab::oci::import::import(
        &mut fresh,
        &bytes,
        None,
        &layerlab::oci::ImportLimits::default(),
    )
    .unwrap();
    let built = crate::oci_support::built_store();
    assert_eq!(imported.images[0].id, built.resolve("built:1").unwrap());
    assert_eq!(imported.images[0].tags, vec!["again:2".to_string()]);

    // A second import into the same store keeps what is there.
    let out = layerlab(&["import", "--store", s(&store), s(&oci), "--name", "third"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(store.join("index.json")).unwrap();
    for tag in ["built:1", "again:2", "third:latest"] {
        assert!(
            index.contains(&format!("\"org.opencontainers.image.ref.name\":\"{tag}\"")),
            "{index}"
        );
    }

    // skopeo reads the store directory by tag.
    let out = Command::new("skopeo")
        .arg("inspect")
        .arg(format!("oci:{}:again:2", store.display()))
        .output()
        .expect("skopeo is required: bash ../shared/oracle/install.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["Layers"].as_array().unwrap().len(), 3);

    // An import that fails names the problem and leaves the store as it was.
    let bad = work.join("bad.tar");
    std::fs::write(&bad, b"not a tar at all, just some bytes").unwrap();
    let out = layerlab(&["import", "--store", s(&store), s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(store.join("index.json")).unwrap(),
        index
    );
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn inspect_exit_codes_follow_dive() {
    let work = work_dir("cli-inspect");
    let archive = write_export(&work, Format::Oci, true);
    let out = layerlab(&["inspect", s(&archive), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["layers"].as_array().unwrap().len(), 3);
    let efficiency = report["efficiency"].as_f64().unwrap();
    assert!(efficiency > 0.0 && efficiency < 1.0);

    let pass = layerlab(&[
        "inspect",
        s(&archive),
        "--lowest-efficiency",
        "0.1",
        "--highest-wasted-bytes",
        "1000000",
        "--highest-user-wasted-percent",
        "0.9",
    ]);
    assert_eq!(
        pass.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pass.stderr)
    );
    let fail = layerlab(&["inspect", s(&archive), "--highest-wasted-bytes", "10"]);
    assert_eq!(fail.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&fail.stderr);
    assert!(
        stderr.contains("FAIL: too many bytes wasted (wasted-bytes="),
        "{stderr}"
    );
    let text = String::from_utf8_lossy(&fail.stdout);
    assert!(
        text.contains("efficiency: ") && text.contains("opt/big"),
        "{text}"
    );

    let junk = work.join("junk.tar");
    std::fs::write(&junk, [0x1f, 0x8b, 1, 2, 3]).unwrap();
    let unreadable = layerlab(&["inspect", s(&junk)]);
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unreadable.stderr).contains("corrupt or truncated gzip data"));
    let _ = std::fs::remove_dir_all(&work);
}
