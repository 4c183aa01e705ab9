//! Building one layer tar plus its sha256 for 100 MB of content, side by side with
//! `sha256sum` of the same bytes on this machine. Goal (issue 4): within 1.5x.
//!
//! Run: `cargo bench --bench layer_tar`. Writes the tar to the temp directory for
//! `sha256sum` and removes it afterwards.

use layerlab::digest::Digest;
use layerlab::layer::{DiffStyle, Layer};
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: usize = 100;
const FILE_SIZE: usize = 1 << 20;

fn child() -> Vfs {
    let mut fs = Vfs::new();
    fs.mkdir("/data", Meta::new(0o755)).expect("mkdir");
    let mut state = 0x1234_5678_9abc_def0u64;
    for i in 0..FILES {
        let mut bytes = Vec::with_capacity(FILE_SIZE);
        while bytes.len() < FILE_SIZE {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.extend_from_slice(&state.to_le_bytes());
        }
        fs.write_file(
            &format!("/data/blob{i:03}"),
            Blob::from_bytes(bytes),
            Meta::new(0o644),
        )
        .expect("write");
    }
    fs
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let parent = Vfs::new();
    let child = child();
    let tar = Layer::diff(&parent, &child, DiffStyle::BuildKit)
        .layer
        .tar();
    let mb = tar.len() as f64 / 1e6;
    println!("layer tar: {} bytes ({mb:.1} MB), {FILES} files", tar.len());

    let in_memory = best_of(5, || {
        let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
        let tar = layer.tar();
        std::hint::black_box(Digest::of(&tar));
    });
    let streamed = best_of(5, || {
        let layer = Layer::diff(&parent, &child, DiffStyle::BuildKit).layer;
        std::hint::black_box(layer.diff_id());
    });

    let path = std::env::temp_dir().join(format!("layerlab-bench-{}.tar", std::process::id()));
    std::fs::write(&path, &tar).expect("write tar");
    let mut printed = String::new();
    let sha256sum = best_of(5, || {
        let out = Command::new("sha256sum")
            .arg(&path)
            .output()
            .expect("run sha256sum");
        printed = String::from_utf8_lossy(&out.stdout).into_owned();
    });
    let _ = std::fs::remove_file(&path);
    let ours = Layer::diff(&parent, &child, DiffStyle::BuildKit)
        .layer
        .diff_id()
        .hex();
    assert!(
        printed.starts_with(&ours),
        "sha256sum disagrees: {printed} vs {ours}"
    );

    let report = |what: &str, d: Duration| {
        println!(
            "{what}: {:.0} ms ({:.0} MB/s), {:.2}x sha256sum",
            ms(d),
            mb / d.as_secs_f64(),
            d.as_secs_f64() / sha256sum.as_secs_f64()
        );
    };
    println!(
        "sha256sum of the same tar (file in page cache): {:.0} ms ({:.0} MB/s)",
        ms(sha256sum),
        mb / sha256sum.as_secs_f64()
    );
    report("diff + tar in memory + sha256", in_memory);
    report("diff + streamed diffID (no tar kept)", streamed);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
