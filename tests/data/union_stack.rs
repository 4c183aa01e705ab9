// The union benchmark's stack, included by `benches/union.rs` (native) and
// `tests/web_bench.rs` (wasm) so both measure the same work.

use layerlab::layer::{DiffStyle, Layer};
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};

/// 30,000 files: 30 packages × 10 directories × 100 files, like /usr/lib of a distro.
fn base() -> Vfs {
    let mut fs = Vfs::new();
    let dir = Meta::new(0o755);
    let mut seed = 0;
    for p in 0..30 {
        for d in 0..10 {
            let path = format!("/usr/lib/pkg{p:02}/dir{d}");
            fs.mkdir_all(&path, dir).expect("mkdir");
            for f in 0..100 {
                seed += 1;
                let blob = Blob::generated(1000 + (seed % 7000), seed);
                fs.write_file(&format!("{path}/file{f:03}.so"), blob, Meta::new(0o644))
                    .expect("write");
            }
        }
    }
    fs
}

/// 100 steps, each rewriting 20 files, deleting 5, adding 10; every tenth step
/// removes and recreates a whole directory.
fn stack() -> Vec<Layer> {
    let mut snaps = vec![Vfs::new(), base()];
    for step in 0..100u64 {
        let mut next = snaps.last().cloned().unwrap_or_default();
        let p = step % 30;
        for i in 0..20 {
            let path = format!(
                "/usr/lib/pkg{p:02}/dir{}/file{:03}.so",
                i % 10,
                (step * 7 + i) % 100
            );
            let _ = next.write_file(
                &path,
                Blob::generated(2000, step * 1000 + i),
                Meta::new(0o644),
            );
        }
        for i in 0..5 {
            let _ = next.remove_file(&format!(
                "/usr/lib/pkg{:02}/dir{}/file{:03}.so",
                (p + 1) % 30,
                i,
                step % 100
            ));
        }
        let _ = next.mkdir_all(&format!("/app/step{step}"), Meta::new(0o755));
        for i in 0..10 {
            let _ = next.write_file(
                &format!("/app/step{step}/f{i}"),
                Blob::generated(500, step + i),
                Meta::new(0o644),
            );
        }
        if step % 10 == 9 {
            let d = format!("/usr/lib/pkg{:02}/dir9", (p + 2) % 30);
            let _ = next.remove_all(&d);
            let _ = next.mkdir(&d, Meta::new(0o755));
            let _ = next.write_file(
                &format!("{d}/new"),
                Blob::generated(100, step),
                Meta::new(0o644),
            );
        }
        snaps.push(next);
    }
    snaps
        .windows(2)
        .map(|w| Layer::diff(&w[0], &w[1], DiffStyle::BuildKit).layer)
        .collect()
}

