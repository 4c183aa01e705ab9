//! `layerlab parse [--dump] FILE`: how the conformance scripts and a curious
//! reader see what the front end made of a Dockerfile.
//!
//! `--dump` prints BuildKit's `Dump` format, byte for byte what BuildKit's own
//! parser tests expect; without it, the typed instructions one per line.

use std::io::Write;
use std::process::ExitCode;

use layerlab::dockerfile::{self, diagnostic::Severity, syntax};

/// Runs the subcommand with the arguments after `parse`.
pub fn run(args: &[String]) -> ExitCode {
    let (dump, path) = match args {
        [flag, path] if flag == "--dump" => (true, path),
        [path] if !path.starts_with("--") => (false, path),
        _ => {
            eprintln!("usage: layerlab parse [--dump] FILE");
            return ExitCode::from(2);
        }
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("layerlab: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    if dump {
        return match syntax::parse_bytes(&bytes) {
            Ok(file) => {
                let mut out = std::io::stdout().lock();
                if out
                    .write_all(file.dump().as_bytes())
                    .and_then(|_| out.flush())
                    .is_err()
                {
                    return ExitCode::FAILURE;
                }
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::FAILURE
            }
        };
    }
    let text = String::from_utf8_lossy(&bytes);
    let (parsed, diagnostics) = dockerfile::parse(&text);
    if let Some(parsed) = parsed {
        for (stage, instruction) in parsed.instructions() {
            let stage = stage.map_or("meta".to_string(), |s| format!("stage {s}"));
            println!(
                "{}-{}\t{stage}\t{:?}",
                instruction.start_line, instruction.end_line, instruction.command
            );
        }
    }
    let mut failed = false;
    for diagnostic in &diagnostics {
        failed |= diagnostic.severity == Severity::Error;
        let kind = if diagnostic.severity == Severity::Warning {
            "warning: "
        } else {
            ""
        };
        eprintln!("line {}: {kind}{}", diagnostic.line, diagnostic.message);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
