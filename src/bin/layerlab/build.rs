//! `layerlab build`: the same flags as `docker build`, for scripts, tests and the
//! comparisons with a real builder.
//!
//! `layerlab build [-f DOCKERFILE] [-t TAG] [--build-arg K=V]... [--target STAGE]
//! [--no-cache] [--no-cache-filter STAGE]... [--builder buildkit|legacy]
//! [--progress plain|json] CONTEXT_DIR`

use super::context_dir;
use layerlab::builder::{self, BuildInput, BuildOptions, BuildOutcome, Personality, StepKind};
use layerlab::cache::BuildCache;
use layerlab::store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: layerlab build [-f DOCKERFILE] [-t TAG] [--build-arg K=V]... [--target STAGE] [--no-cache] [--no-cache-filter STAGE]... [--builder buildkit|legacy] [--progress plain|json] CONTEXT_DIR";

/// The parsed command line.
struct Args {
    dockerfile: Option<PathBuf>,
    context: PathBuf,
    options: BuildOptions,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut options = BuildOptions::default();
    let mut dockerfile = None;
    let mut context = None;
    let mut json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{name} needs a value"))
        };
        match flag {
            "-f" | "--file" => dockerfile = Some(PathBuf::from(value(flag)?)),
            "-t" | "--tag" => options.tag = Some(value(flag)?),
            "--build-arg" => {
                let kv = value(flag)?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or(format!("--build-arg {kv}: expected KEY=VALUE"))?;
                options.build_args.push((k.to_string(), v.to_string()));
            }
            "--target" => options.target = Some(value(flag)?),
            "--no-cache" => options.no_cache = true,
            "--no-cache-filter" => options.no_cache_filter.push(value(flag)?),
            "--builder" => {
                options.personality = match value(flag)?.as_str() {
                    "buildkit" => Personality::BuildKit,
                    "legacy" => Personality::Legacy,
                    other => return Err(format!("--builder {other}: expected buildkit or legacy")),
                }
            }
            "--progress" => {
                json = match value(flag)?.as_str() {
                    "plain" | "auto" | "tty" => false,
                    "json" => true,
                    other => return Err(format!("--progress {other}: expected plain or json")),
                }
            }
            other if other.starts_with('-') => return Err(format!("unknown flag {other}")),
            path => {
                if context.replace(PathBuf::from(path)).is_some() {
                    return Err("only one context directory can be given".to_string());
                }
            }
        }
    }
    let context = context.ok_or("the context directory is missing")?;
    Ok(Args {
        dockerfile,
        context,
        options,
        json,
    })
}

/// Runs the subcommand with the arguments after `build`.
pub fn run(args: &[String]) -> ExitCode {
    let args = match parse_args(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("layerlab build: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let dockerfile_path = args
        .dockerfile
        .clone()
        .unwrap_or_else(|| args.context.join("Dockerfile"));
    let text = match std::fs::read_to_string(&dockerfile_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!(
                "layerlab build: cannot read {}: {e}",
                dockerfile_path.display()
            );
            return ExitCode::from(2);
        }
    };
    let context = match context_dir::read(&args.context) {
        Ok(context) => context,
        Err(message) => {
            eprintln!("layerlab build: {message}");
            return ExitCode::from(2);
        }
    };
    let name = relative_name(&dockerfile_path, &args.context);
    let mut store = Store::new();
    let mut cache = BuildCache::new();
    let input = BuildInput {
        dockerfile: &text,
        dockerfile_path: &name,
        context: &context,
    };
    let outcome = builder::build(&mut store, &mut cache, &input, &args.options);
    if args.json {
        print_json(&outcome);
    } else {
        for line in &outcome.log {
            println!("{line}");
        }
    }
    match (&outcome.error, outcome.image_id) {
        (Some(error), _) => {
            let step = error
                .step
                .and_then(|i| outcome.steps.get(i.saturating_sub(1)));
            let at = step
                .map(|s| format!(" after step {} of stage {}", s.position, s.stage_label))
                .unwrap_or_default();
            eprintln!("error{at}: {error}");
            ExitCode::FAILURE
        }
        (None, Some(id)) => {
            if args.json {
                eprintln!("{id}");
            }
            ExitCode::SUCCESS
        }
        (None, None) => ExitCode::FAILURE,
    }
}

/// The Dockerfile's path inside the context (for `<name>.dockerignore`).
fn relative_name(dockerfile: &Path, context: &Path) -> String {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, ctx) = (canon(dockerfile), canon(context));
    file.strip_prefix(&ctx)
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_else(|_| {
            file.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        })
}

/// One JSON object per instruction, in build order.
fn print_json(outcome: &BuildOutcome) {
    for step in &outcome.steps {
        let object = serde_json::json!({
            "stage": step.stage,
            "stage_name": step.stage_label,
            "step": step.position,
            "instruction": step.instruction,
            "kind": match step.kind { StepKind::From => "from", StepKind::Layer => "layer", StepKind::Metadata => "metadata" },
            "cached": step.cache.as_ref().map(|v| v.hit),
            "reason": step.cache.as_ref().map(|v| v.reason.clone()),
            "created_by": step.created_by,
            "diff_id": step.diff_id.map(|d| d.to_string()),
            "size": step.size,
            "image_id": step.image_id.to_string(),
        });
        println!("{object}");
    }
    if let Some(error) = &outcome.error {
        println!(
            "{}",
            serde_json::json!({ "error": error.message, "line": error.line })
        );
    }
}
