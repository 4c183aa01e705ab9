//! Import + union view of a ~200 MB image tar with 30,000 files, side by side
//! with `umoci unpack` of the same tar (a real unpacker writing to disk).
//!
//! The image is generated deterministically (three layers of simulated files,
//! a rewrite and deletions on top) and exported with layerlab's own OCI export
//! to a temp dir. layerlab's figure is reading the tar from disk, importing it
//! (every digest checked) and building the union view; umoci's is `umoci
//! unpack` of the same layout (extracted from the tar beforehand, untimed).
//! Run: `cargo bench --bench import` (umoci must be installed).

use layerlab::image::{History, Image};
use layerlab::layer::{DiffStyle, Layer};
use layerlab::oci::export::{self, ExportOptions, Format};
use layerlab::oci::import::import;
use layerlab::oci::ImportLimits;
use layerlab::store::Store;
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: usize = 30_000;
const RUNS: usize = 3;

/// File `i`'s size: 1 KiB to ~13 KiB, ~6.7 KiB on average (~200 MB in all).
fn size_of(i: usize) -> u64 {
    1024 + ((i as u64).wrapping_mul(2_654_435_761) % 12_288)
}

fn build_store() -> Store {
    let meta = Meta::new(0o644).at(1_700_000_000);
    let dir = Meta::new(0o755).at(1_700_000_000);
    let mut snaps = vec![Vfs::new()];
    let mut fs = Vfs::new();
    let layers = [(0, 20_000), (20_000, 28_000), (28_000, FILES)];
    for (n, &(from, to)) in layers.iter().enumerate() {
        for i in from..to {
            let d = format!("/data/d{:03}", i % 500);
            if !fs.exists(&d) {
                fs.mkdir_all(&d, dir).unwrap();
            }
            fs.write_file(
                &format!("{d}/f{i:05}"),
                Blob::generated(size_of(i), i as u64),
                meta,
            )
            .unwrap();
        }
        if n == 2 {
            // Rewrite 500 files of the first layer and delete 500 more: waste.
            for i in 0..500 {
                let path = format!("/data/d{:03}/f{i:05}", i % 500);
                fs.write_file(
                    &path,
                    Blob::generated(size_of(i), 1_000_000 + i as u64),
                    meta,
                )
                .unwrap();
                let gone = format!("/data/d{:03}/f{:05}", (i + 500) % 500, i + 500);
                fs.remove_file(&gone).unwrap();
            }
        }
        snaps.push(fs.clone());
    }
    let mut store = Store::new();
    let mut image = Image::scratch();
    for (i, w) in snaps.windows(2).enumerate() {
        let layer = Layer::diff(&w[0], &w[1], DiffStyle::BuildKit).layer;
        image.diff_ids.push(store.add_layer(layer));
        image.history.push(History {
            created_by: format!("bench step {i}"),
            ..History::default()
        });
    }
    let id = store.add_image(image).unwrap();
    store.tag("bench:latest", &id).unwrap();
    store
}

/// CPU seconds (user + system) of this process and of its waited-for children,
/// from `/proc/self/stat` (clock ticks of 1/100 s): the machine is shared, so
/// CPU time says more than wall time under load.
fn cpu_times() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let f: Vec<f64> = after.split(' ').map(|x| x.parse().unwrap_or(0.0)).collect();
    // Fields 14-17 of stat (utime stime cutime cstime) are 11-14 after the name.
    let get = |i: usize| f.get(i).copied().unwrap_or(0.0) / 100.0;
    (get(11) + get(12), get(13) + get(14))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let work = std::env::temp_dir().join(format!("layerlab-bench-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let tar_path = work.join("image.tar");

    let t = Instant::now();
    let store = build_store();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tar_path).unwrap());
    let options = ExportOptions {
        format: Format::Oci,
        gzip: false,
    };
    export::write(&store, "bench:latest", options, &mut out).unwrap();
    out.flush().unwrap();
    drop(out);
    drop(store);
    let tar_bytes = std::fs::metadata(&tar_path).unwrap().len();
    println!(
        "generated {} ({:.1} MB, {FILES} files in 3 layers) in {:.2?}",
        tar_path.display(),
        tar_bytes as f64 / 1e6,
        t.elapsed()
    );

    let mut ours = Vec::new();
    let mut ours_cpu = Vec::new();
    let mut entries = 0;
    for _ in 0..RUNS {
        let cpu = cpu_times().0;
        let t = Instant::now();
        let bytes = std::fs::read(&tar_path).unwrap();
        let mut store = Store::new();
        let imported = import(&mut store, &bytes, None, &ImportLimits::default()).unwrap();
        let union = store.union(&imported.images[0].id).unwrap();
        entries = union.fs().walk("/").unwrap().len();
        ours.push(t.elapsed());
        ours_cpu.push(Duration::from_secs_f64(cpu_times().0 - cpu));
    }
    println!("layerlab read + import + union view: wall median {:.3?} of {RUNS} ({ours:.3?}); CPU {ours_cpu:.2?}; {entries} entries in the merged tree", median(ours.clone()));

    let layout = work.join("layout");
    std::fs::create_dir_all(&layout).unwrap();
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&tar_path)
        .arg("-C")
        .arg(&layout)
        .status()
        .expect("run tar");
    assert!(status.success(), "tar -xf failed");
    let mut theirs = Vec::new();
    let mut theirs_cpu = Vec::new();
    for run in 0..RUNS {
        let bundle = work.join(format!("bundle{run}"));
        let cpu = cpu_times().1;
        let t = Instant::now();
        let status = Command::new("umoci")
            .arg("unpack")
            .arg("--image")
            .arg(format!("{}:latest", layout.display()))
            .arg(&bundle)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("umoci is required: bash ../shared/oracle/install.sh");
        theirs.push(t.elapsed());
        theirs_cpu.push(Duration::from_secs_f64(cpu_times().1 - cpu));
        assert!(status.success(), "umoci unpack failed");
        let _ = std::fs::remove_dir_all(&bundle);
    }
    println!(
        "umoci unpack to disk: wall median {:.3?} of {RUNS} ({theirs:.3?}); CPU {theirs_cpu:.2?}",
        median(theirs.clone())
    );
    println!(
        "ratio (umoci / layerlab): wall {:.1}x, CPU {:.1}x",
        median(theirs).as_secs_f64() / median(ours).as_secs_f64(),
        median(theirs_cpu).as_secs_f64() / median(ours_cpu).as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(Path::new(&work));
}
