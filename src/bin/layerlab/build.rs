//! `layerlab build`: the same flags as `docker build`, for scripts, tests and the
//! comparisons with a real builder.
//!
//! `layerlab build [-f DOCKERFILE] [-t TAG] [--build-arg K=V]... [--target STAGE]
//! [--no-cache] [--no-cache-filter STAGE[,STAGE]]... [--builder buildkit|legacy]
//! [--secret id=ID[,src=FILE|,env=VAR]]... [--load ARCHIVE[=NAME]]... [--store DIR]
//! [--progress plain|json]
//! [--export OUT.tar [--format oci|docker] [--gzip]] CONTEXT_DIR`
//!
//! `--load` puts a real image (docker save, oci-archive, OCI layout directory)
//! into the store so FROM can name it; `--store DIR` keeps the store (an OCI
//! layout), the build cache index (`layerlab-cache.json` in it) and the cache
//! mounts (`cache_mounts.rs`) between runs.

use super::{cache_mounts, context_dir, flags, store_dir};
use layerlab::builder::{self, BuildInput, BuildOptions, BuildOutcome, Personality, StepKind};
use layerlab::cache::BuildCache;
use layerlab::oci::export::{ExportOptions, Format};
use layerlab::oci::ImportLimits;
use layerlab::store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: layerlab build [-f DOCKERFILE] [-t TAG] [--build-arg K=V]... [--target STAGE] [--no-cache] [--no-cache-filter STAGE[,STAGE]]... [--builder buildkit|legacy] [--secret id=ID[,src=FILE|,env=VAR]]... [--load ARCHIVE[=NAME]]... [--store DIR] [--progress plain|json] [--export OUT.tar [--format oci|docker] [--gzip]] CONTEXT_DIR";

/// The file inside an on-disk store that keeps the build cache's index.
const CACHE_INDEX: &str = "layerlab-cache.json";

/// The parsed command line.
struct Args {
    dockerfile: Option<PathBuf>,
    context: PathBuf,
    options: BuildOptions,
    json: bool,
    loads: Vec<(PathBuf, Option<String>)>,
    store: Option<PathBuf>,
    export: Option<PathBuf>,
    export_options: ExportOptions,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut options = BuildOptions::default();
    let mut dockerfile = None;
    let mut context = None;
    let mut json = false;
    let mut loads = Vec::new();
    let mut store = None;
    let mut export = None;
    let mut export_options = ExportOptions {
        format: Format::Oci,
        gzip: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = flags::split(arg);
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
            "--secret" => options.secrets.push(secret(&value(flag)?)?),
            "--no-cache" => options.no_cache = true,
            "--no-cache-filter" => options.no_cache_filter.extend(
                value(flag)?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            ),
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
            "--load" => {
                let spec = it.next().ok_or("--load needs an archive")?;
                loads.push(flags::load_spec(spec));
            }
            "--store" => store = Some(PathBuf::from(value(flag)?)),
            "--export" => export = Some(PathBuf::from(value(flag)?)),
            "--gzip" => export_options.gzip = true,
            "--format" => {
                export_options.format = match value(flag)?.as_str() {
                    "oci" => Format::Oci,
                    "docker" => Format::Docker,
                    other => return Err(format!("--format {other}: expected oci or docker")),
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
        loads,
        store,
        export,
        export_options,
    })
}

/// `--secret id=ID,src=FILE` (also `source=`), `id=ID,env=VAR`, or `id=ID` alone,
/// which reads the environment variable ID if set and else the file ID, as
/// `docker build --secret` does.
fn secret(spec: &str) -> Result<(String, Vec<u8>), String> {
    let mut id = None;
    let mut file = None;
    let mut env = None;
    for field in spec.split(',') {
        match field.split_once('=') {
            Some(("id", v)) => id = Some(v.to_string()),
            Some(("src" | "source", v)) => file = Some(v.to_string()),
            Some(("env", v)) => env = Some(v.to_string()),
            Some(("type", "file" | "env")) => {}
            _ => {
                return Err(format!(
                    "--secret {spec}: unexpected field {field:?} (expected id=, src= or env=)"
                ))
            }
        }
    }
    let id = id
        .or_else(|| file.clone())
        .ok_or(format!("--secret {spec}: id= is missing"))?;
    if let Some(var) = env {
        return std::env::var(&var)
            .map(|v| (id.clone(), v.into_bytes()))
            .map_err(|_| format!("--secret {spec}: environment variable {var} is not set"));
    }
    if file.is_none() {
        if let Ok(v) = std::env::var(&id) {
            return Ok((id, v.into_bytes()));
        }
    }
    let path = file.unwrap_or_else(|| id.clone());
    std::fs::read(&path)
        .map(|data| (id, data))
        .map_err(|e| format!("--secret {spec}: cannot read {path}: {e}"))
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
    let (mut store, mut cache) = match open_store(&args) {
        Ok(opened) => opened,
        Err(message) => {
            eprintln!("layerlab build: {message}");
            return ExitCode::from(2);
        }
    };
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
        for advice in &outcome.advice {
            println!("advice: {}", advice.message);
        }
    }
    if let Err(message) = save(&args, &store, &cache, outcome.image_id) {
        eprintln!("layerlab build: {message}");
        return ExitCode::FAILURE;
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

/// The store and cache to build with: loaded from `--store`, plus `--load`ed images.
fn open_store(args: &Args) -> Result<(Store, BuildCache), String> {
    let (mut store, cache) = match &args.store {
        Some(dir) => {
            let store = store_dir::load(dir)?;
            let index = dir.join(CACHE_INDEX);
            let mut cache = match std::fs::read_to_string(&index) {
                Ok(text) => {
                    BuildCache::from_json(&text).map_err(|e| format!("{}: {e}", index.display()))?
                }
                Err(_) => BuildCache::new(),
            };
            cache_mounts::load(dir, &mut cache)?;
            (store, cache)
        }
        None => (Store::new(), BuildCache::new()),
    };
    load_archives(&mut store, &args.loads)?;
    Ok((store, cache))
}

/// Puts each `--load ARCHIVE[=NAME]` image (a tar or a layout directory) into `store`.
pub fn load_archives(store: &mut Store, loads: &[(PathBuf, Option<String>)]) -> Result<(), String> {
    for (path, name) in loads {
        let limits = ImportLimits::default();
        let result = if path.is_dir() {
            let mut files = std::collections::BTreeMap::new();
            store_dir::read_tree(path, path, &mut files)?;
            let view = files
                .iter()
                .map(|(p, b)| (p.clone(), b.as_slice()))
                .collect();
            layerlab::oci::import::import_files(
                store,
                &view,
                name.as_deref(),
                &limits,
                &mut Default::default(),
            )
        } else {
            let bytes =
                std::fs::read(path).map_err(|e| format!("--load {}: {e}", path.display()))?;
            layerlab::oci::import::import(store, &bytes, name.as_deref(), &limits)
        };
        result.map_err(|e| format!("--load {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes `--store` and `--export` after the build.
fn save(
    args: &Args,
    store: &Store,
    cache: &BuildCache,
    image: Option<layerlab::digest::Digest>,
) -> Result<(), String> {
    if let Some(dir) = &args.store {
        store_dir::save(store, dir)?;
        std::fs::write(dir.join(CACHE_INDEX), cache.to_json())
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        cache_mounts::save(dir, cache)?;
    }
    if let (Some(out), Some(image)) = (&args.export, image) {
        let bytes = layerlab::oci::export::to_bytes(store, &image.to_string(), args.export_options)
            .map_err(|e| e.to_string())?;
        std::fs::write(out, bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(())
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
    for advice in &outcome.advice {
        println!(
            "{}",
            serde_json::json!({ "advice": advice.message, "lines": advice.lines })
        );
    }
    if let Some(error) = &outcome.error {
        println!(
            "{}",
            serde_json::json!({ "error": error.message, "line": error.line })
        );
    }
}
