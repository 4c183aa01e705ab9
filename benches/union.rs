//! Union view of 100 layers over a 30,000-file base, and listing one directory of
//! it. Goals (issue 4): under 50 ms and under 1 ms natively.
//!
//! Run: `cargo bench --bench union`. Prints the median and the best of several runs.

use layerlab::union::Union;
use std::time::{Duration, Instant};

// `base()` and `stack()`, shared with the wasm benchmark in `tests/web_bench.rs`.
include!("../tests/data/union_stack.rs");

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
