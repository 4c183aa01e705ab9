//! Parser benchmark: a generated 10,000-instruction Dockerfile, parsed to the
//! syntax tree and all the way to typed stages. Prints milliseconds per
//! iteration; `BENCHMARKS.md` records the figures.
//!
//! Run with `cargo bench --bench parse`.

use std::hint::black_box;
use std::time::Instant;

use layerlab::dockerfile::{self, syntax};

/// A Dockerfile of `count` instructions in the mix real files have: ENV and
/// RUN chains with continuations, COPY with flags, ARGs, heredocs, stages.
fn generate(count: usize) -> String {
    let mut out = String::from(
        "# syntax=docker/dockerfile:1\nARG BASE=debian:bookworm\nFROM ${BASE} AS base\n",
    );
    let mut written = 2;
    while written < count {
        let i = written;
        let line = match i % 10 {
            0 => format!("FROM ${{BASE}} AS stage{i}\n"),
            1 => format!("ENV PATH=/opt/tool{i}/bin:$PATH LANG=C.UTF-8 VERSION_{i}=\"1.{i}.0\"\n"),
            2 => format!(
                "RUN set -eux; \\\n\tapt-get update; \\\n\t# a comment inside\n\tapt-get install -y --no-install-recommends pkg{i} ca-certificates; \\\n\trm -rf /var/lib/apt/lists/*\n"
            ),
            3 => format!("COPY --from=stage{} --chown=app:app --chmod=644 src/{i} /app/{i}/\n", i - i % 10),
            4 => format!("ARG OPT{i}=value{i}\n"),
            5 => format!("RUN --mount=type=cache,target=/root/.cache/{i} <<EOT\nset -e\necho building {i}\nmake -j2 target{i}\nEOT\n"),
            6 => format!("WORKDIR /app/{i}\n"),
            7 => format!("LABEL org.example.build{i}=\"yes\" description=\"step {i}\"\n"),
            8 => "EXPOSE 8080/tcp 9090/udp\n".to_string(),
            _ => "CMD [\"/app/run\", \"--port\", \"8080\"]\n".to_string(),
        };
        out.push_str(&line);
        written += 1;
    }
    out
}

/// CPU time this thread has used, in milliseconds, from `/proc` (Linux only;
/// 10 ms resolution, so it is read only around the whole loop).
fn thread_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

/// Runs `f` `iterations` times and prints the median and fastest wall time
/// and the CPU time per iteration: on a shared machine the CPU time is the
/// figure least disturbed by other processes.
fn measure(name: &str, iterations: usize, mut f: impl FnMut()) {
    f();
    let cpu_before = thread_cpu_ms();
    let mut times: Vec<f64> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let cpu = match (cpu_before, thread_cpu_ms()) {
        (Some(before), Some(after)) => {
            format!(", CPU {:.2} ms", (after - before) / iterations as f64)
        }
        _ => String::new(),
    };
    times.sort_by(f64::total_cmp);
    println!(
        "{name}: median {:.2} ms, fastest {:.2} ms{cpu} per iteration ({iterations} iterations)",
        times[iterations / 2],
        times[0]
    );
}

fn main() {
    let text = generate(10_000);
    let file = syntax::parse(&text).expect("the generated Dockerfile parses");
    assert_eq!(file.children.len(), 10_000);
    println!(
        "input: 10,000 instructions, {} lines, {} bytes",
        text.lines().count(),
        text.len()
    );
    measure("syntax::parse (nodes, heredocs)", 100, || {
        black_box(syntax::parse(black_box(&text)).is_ok());
    });
    measure("syntax::parse + dump", 100, || {
        black_box(syntax::parse(black_box(&text)).map(|f| f.dump().len()).ok());
    });
    measure("dockerfile::parse (typed stages, diagnostics)", 100, || {
        let (parsed, diagnostics) = dockerfile::parse(black_box(&text));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        black_box(parsed);
    });
}
