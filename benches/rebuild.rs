//! Rebuild of the seed example (python:3.12-slim, `COPY requirements.txt`, `RUN pip
//! install`, `COPY . .`, CMD) after a one-file edit of main.py, in a session whose
//! store and cache hold the earlier builds: FROM and the first three steps come
//! from the cache, `COPY . .` runs again. Goal (issue 6): under 2 ms natively.
//!
//! Run: `cargo bench --bench rebuild`. Prints the median and the best wall time of
//! the runs.

use layerlab::builder::{build, BuildInput, BuildOptions};
use layerlab::cache::BuildCache;
use layerlab::context::BuildContext;
use layerlab::store::Store;
use layerlab::vfs::blob::Blob;
use std::time::{Duration, Instant};

const SEED: &str = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn put(ctx: &mut BuildContext, path: &str, text: &str) {
    ctx.add_file(
        path,
        Blob::from_bytes(text.as_bytes().to_vec()),
        0o644,
        1_704_067_200,
    )
    .expect("context file");
}

/// Builds `ctx` `runs` times, `edit` applied before each; returns (median, best).
fn measure(
    store: &mut Store,
    cache: &mut BuildCache,
    ctx: &mut BuildContext,
    runs: usize,
    edit: impl Fn(&mut BuildContext, usize),
    cached_layers: usize,
) -> (Duration, Duration) {
    let mut wall = Vec::new();
    for i in 0..runs {
        edit(ctx, i);
        let input = BuildInput {
            dockerfile: SEED,
            dockerfile_path: "Dockerfile",
            context: ctx,
        };
        let start = Instant::now();
        let out = build(store, cache, &input, &BuildOptions::default());
        wall.push(start.elapsed());
        assert!(out.error.is_none(), "{:?}", out.error);
        let hits = out
            .steps
            .iter()
            .filter(|s| s.cache.as_ref().is_some_and(|v| v.hit) && s.diff_id.is_some())
            .count();
        assert_eq!(hits, cached_layers, "unexpected cache verdicts");
    }
    wall.sort();
    (wall[wall.len() / 2], wall[0])
}

fn main() {
    let mut store = Store::new();
    let mut cache = BuildCache::new();
    let mut ctx = BuildContext::new();
    put(&mut ctx, "requirements.txt", "flask\n");
    put(&mut ctx, "main.py", "print('hello')\n");
    let first = Instant::now();
    let input = BuildInput {
        dockerfile: SEED,
        dockerfile_path: "Dockerfile",
        context: &ctx,
    };
    let out = build(&mut store, &mut cache, &input, &BuildOptions::default());
    assert!(out.error.is_none(), "{:?}", out.error);
    println!(
        "first build (catalog base, pip install): {:.2} ms",
        ms(first.elapsed())
    );

    let runs = 200;
    let (median, best) = measure(
        &mut store,
        &mut cache,
        &mut ctx,
        runs,
        |ctx, i| put(ctx, "main.py", &format!("print({i})\n")),
        3,
    );
    println!(
        "rebuild after editing main.py ({runs} runs): median {:.3} ms, best {:.3} ms (goal < 2 ms)",
        ms(median),
        ms(best)
    );
    let (median, best) = measure(&mut store, &mut cache, &mut ctx, runs, |_, _| {}, 4);
    println!(
        "rebuild with no change ({runs} runs): median {:.3} ms, best {:.3} ms",
        ms(median),
        ms(best)
    );
}
