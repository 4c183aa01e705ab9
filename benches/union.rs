//! Union view of 100 layers over a 30,000-file base, and listing one directory of
//! it. Goals (issue 4): under 50 ms and under 1 ms natively.
//!
//! Run: `cargo bench --bench union`. Prints the median and the best of several runs.

use layerlab::layer::{DiffStyle, Layer};
use layerlab::union::Union;
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};
use std::time::{Duration, Instant};

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

/// Median and best wall time of `runs` runs, and the best CPU time of this thread
/// (from `/proc/thread-self/schedstat`, so a busy machine shows less in it).
fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (start, cpu_start) = (Instant::now(), thread_cpu());
        f();
        wall.push(start.elapsed());
        cpu.push(thread_cpu().saturating_sub(cpu_start));
    }
    wall.sort();
    cpu.sort();
    (wall[wall.len() / 2], wall[0], cpu[0])
}

/// CPU time this thread has run, or zero where the kernel does not say.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

fn main() {
    let layers = stack();
    let entries: usize = layers.iter().map(|l| l.entries().len()).sum();
    println!(
        "stack: {} layers, {} tar entries ({} in the base)",
        layers.len(),
        entries,
        layers[0].entries().len()
    );

    let mut unions = Vec::new();
    let (median, best, cpu) = measure(9, || {
        let union = Union::new(&layers).expect("union");
        // Dropped after the timing, so only building is measured.
        unions.push(union);
    });
    drop(unions);
    println!(
        "union view of {} layers: median {:.1} ms, best {:.1} ms, best CPU {:.1} ms (goal < 50 ms)",
        layers.len(),
        ms(median),
        ms(best),
        ms(cpu)
    );

    let union = Union::new(&layers).expect("union");
    let (median, best, cpu) = measure(201, || {
        let listing = union.list_dir("/usr/lib/pkg05/dir3").expect("list");
        std::hint::black_box(listing.len());
    });
    let n = union
        .list_dir("/usr/lib/pkg05/dir3")
        .map(|l| l.len())
        .unwrap_or(0);
    println!(
        "list one directory ({n} entries): median {:.3} ms, best {:.3} ms, best CPU {:.3} ms (goal < 1 ms)",
        ms(median),
        ms(best),
        ms(cpu)
    );

    let (median, _, _) = measure(5, || {
        std::hint::black_box(union.waste().wasted_bytes);
    });
    println!("wasted space of the stack: median {:.1} ms", ms(median));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
