//! `layerlab inspect ARCHIVE [--json] [--lowest-efficiency R]
//! [--highest-wasted-bytes B] [--highest-user-wasted-percent R]`: dive's report
//! and CI gate for an image archive. Exit code 0 pass, 1 a threshold failed,
//! 2 the archive (or the command line) could not be read.

use layerlab::oci::inspect::{evaluate, inspect_archive, Report, Thresholds};
use layerlab::oci::ImportLimits;
use std::process::ExitCode;

const USAGE: &str = "usage: layerlab inspect ARCHIVE [--json] [--lowest-efficiency R] [--highest-wasted-bytes B] [--highest-user-wasted-percent R]";

/// Runs the subcommand.
pub fn run(args: &[String]) -> ExitCode {
    let mut archive = None;
    let mut json = false;
    let mut t = Thresholds::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let parsed = match arg.as_str() {
            "--json" => {
                json = true;
                Ok(())
            }
            "--lowest-efficiency" => number(it.next()).map(|v| t.lowest_efficiency = Some(v)),
            "--highest-wasted-bytes" => number(it.next())
                .and_then(|v: f64| {
                    if v >= 0.0 {
                        Ok(v as u64)
                    } else {
                        Err("a byte count cannot be negative".into())
                    }
                })
                .map(|v| t.highest_wasted_bytes = Some(v)),
            "--highest-user-wasted-percent" => {
                number(it.next()).map(|v| t.highest_user_wasted_percent = Some(v))
            }
            other if archive.is_none() && !other.starts_with("--") => {
                archive = Some(arg);
                Ok(())
            }
            other => Err(format!("unexpected argument '{other}'")),
        };
        if let Err(e) = parsed {
            eprintln!("layerlab inspect: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let Some(archive) = archive else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let report = match std::fs::read(archive)
        .map_err(|e| e.to_string())
        .and_then(|b| inspect_archive(&b, &ImportLimits::default()).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("layerlab inspect: {archive}: {e}");
            return ExitCode::from(2);
        }
    };
    let failures = evaluate(&report, &t);
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("layerlab inspect: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print_text(&report);
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for f in &failures {
        eprintln!("FAIL: {f}");
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn number(value: Option<&String>) -> Result<f64, String> {
    let text = value.ok_or("missing value")?;
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("'{text}' is not a number"))
}

fn print_text(r: &Report) {
    println!(
        "image {}{}",
        r.image,
        if r.tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.tags.join(", "))
        }
    );
    println!(
        "{:>3}  {:>10}  {:>5} {:>5} {:>5}  {:<19}  command",
        "#", "size", "A", "M", "D", "digest"
    );
    for (i, l) in r.layers.iter().enumerate() {
        println!(
            "{i:>3}  {:>10}  {:>5} {:>5} {:>5}  {:<19}  {}",
            l.size,
            l.added,
            l.modified,
            l.deleted,
            &l.digest[..l.digest.len().min(19)],
            l.created_by
        );
    }
    println!("image size: {} bytes", r.size);
    println!(
        "wasted bytes: {} ({:.4} of user bytes)",
        r.wasted_bytes, r.wasted_user_percent
    );
    println!("efficiency: {:.4}", r.efficiency);
    if !r.inefficient_files.is_empty() {
        println!("inefficient files:");
        for f in &r.inefficient_files {
            println!(
                "  {:>3} copies  {:>10} wasted  {}",
                f.copies, f.wasted_bytes, f.path
            );
        }
    }
}
