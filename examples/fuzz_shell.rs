//! A long fuzz run of the RUN shell: `cargo run --release --example fuzz_shell -- N [SEED]`
//! runs N random scripts (from the grammar in `tests/it/shell_gen.rs`) against a
//! small image, stops at the first panic with the seed and script to reproduce it,
//! and prints the count, the slowest run and the exit-code histogram. With
//! `FUZZ_SHOW=1` it prints every script and its stderr.

#[path = "../tests/it/shell_gen.rs"]
mod shell_gen;

use layerlab::shell::{run, Invocation};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let first: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let base = shell_gen::image();
    let ctx = shell_gen::context();
    let start = Instant::now();
    let mut slowest = (0.0f64, 0u64);
    let mut codes: BTreeMap<i32, u64> = BTreeMap::new();
    let mut failures = 0u64;
    for seed in first..first + count {
        let text = shell_gen::script(seed);
        let show = std::env::var_os("FUZZ_SHOW").is_some();
        if show {
            println!("--- seed {seed}\n{text}");
        }
        let mut fs = base.clone();
        let t = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(&mut fs, &Invocation::Script(text.clone()), &ctx)
        }));
        let secs = t.elapsed().as_secs_f64();
        if secs > 1.0 {
            eprintln!("slow: seed {seed} took {secs:.1}s");
        }
        if secs > slowest.0 {
            slowest = (secs, seed);
        }
        match result {
            Ok(out) => {
                if std::env::var_os("FUZZ_SHOW").is_some() {
                    println!(
                        "--- seed {seed} exit {}\n{text}\n--- stderr\n{}",
                        out.exit_code,
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                *codes.entry(out.exit_code).or_default() += 1;
                failures += u64::from(out.failure.is_some());
            }
            Err(_) => {
                eprintln!("panic at seed {seed}; script:\n{text}");
                std::process::exit(1);
            }
        }
        if (seed - first + 1) % 100_000 == 0 {
            eprintln!(
                "{} runs, {:.0}s",
                seed - first + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    println!("{count} executions from seed {first}: no panic, no hang, {:.1}s total, slowest {:.3}s (seed {}), {failures} stopped by the budget", start.elapsed().as_secs_f64(), slowest.0, slowest.1);
    println!("exit codes: {codes:?}");
}
