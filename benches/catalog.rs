//! How long expanding a catalog image takes (`cargo bench --bench catalog`).
//!
//! A plain `Instant` loop: each image is resolved a few times and the best and the
//! mean wall time are printed, with the layer and file counts for scale.

use layerlab::catalog;
use std::time::{Duration, Instant};

fn main() {
    let images = [
        "alpine:3.21",
        "busybox:1.36",
        "ubuntu:24.04",
        "debian:bookworm",
        "debian:bookworm-slim",
        "python:3.12-slim",
        "node:22",
        "golang:1.23",
        "nginx:latest",
    ];
    // `cargo bench --bench catalog -- debian:bookworm` times only the images named.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    println!(
        "{:<22} {:>7} {:>7} {:>10} {:>10}",
        "image", "layers", "files", "best", "mean"
    );
    for name in images {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let runs = 20;
        let mut best = Duration::MAX;
        let mut total = Duration::ZERO;
        let mut shape = (0, 0);
        for _ in 0..runs {
            let start = Instant::now();
            let image = catalog::resolve(name).expect("catalog image");
            let took = start.elapsed();
            best = best.min(took);
            total += took;
            let files = image
                .layers
                .last()
                .map_or(0, |l| l.fs_after.walk("/").map_or(0, |w| w.len()));
            shape = (image.layers.len(), files);
        }
        println!(
            "{:<22} {:>7} {:>7} {:>8.2}ms {:>8.2}ms",
            name,
            shape.0,
            shape.1,
            best.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3 / f64::from(runs)
        );
    }
}
