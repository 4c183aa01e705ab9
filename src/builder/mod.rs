//! The build: every instruction of every needed stage, in BuildKit's order.
//!
//! `build` parses the Dockerfile, works out which stages the target needs, and
//! runs each stage's instructions on an in-memory filesystem: RUN in the simulated
//! shell, COPY/ADD from the context or another stage (`copy`), metadata into the
//! image config. Each step ends as an intermediate image in the store (its layer,
//! if it made one, diffed from the step before), with a cache verdict and the
//! `created_by` string of the chosen builder personality (`history`).
//!
//! Two personalities, because teaching the difference is part of the product:
//! `BuildKit` (Docker's default builder) and `Legacy` (the classic builder as
//! buildah 1.28 implements it, which the tests compare byte for byte with the real
//! one). Their differences are listed in `../shared/docs/SEMANTICS.md` §10.

pub mod copy;
pub mod differences;
mod excerpt;
pub mod history;
mod mounts;
pub(crate) mod run;
mod stage;
#[cfg(test)]
mod tests;

use crate::cache::{BuildCache, StepRecord, Verdict};
use crate::context::BuildContext;
use crate::digest::Digest;
use crate::dockerfile::diagnostic::Severity;
use crate::dockerfile::instruction::{platform_args, ArgScope, Command, Dockerfile, Platform};
use crate::layer::ChangeCounts;
use crate::shell::{Budget, Notice};
use crate::store::Store;
use crate::vfs::Vfs;
use stage::StageRunner;
use std::collections::BTreeSet;

/// Which real builder the build imitates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Personality {
    /// BuildKit, what `docker build` uses today.
    #[default]
    BuildKit,
    /// Docker's classic builder, as buildah 1.28 (`buildah bud --layers`) does it.
    Legacy,
}

impl Personality {
    /// The CLI spelling (`buildkit`, `legacy`).
    pub fn name(self) -> &'static str {
        match self {
            Personality::BuildKit => "buildkit",
            Personality::Legacy => "legacy",
        }
    }
}

/// Limits that stop a runaway build with a clear error instead of a frozen page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of regular files the image may hold.
    pub max_fs_bytes: u64,
    /// Files, directories and links the image may hold.
    pub max_files: usize,
    /// Instructions one build may run (ONBUILD triggers included).
    pub max_steps: usize,
    /// What one RUN may do.
    pub shell: Budget,
}

impl Default for Limits {
    /// Generous for teaching (a full node image fits), small enough for a tab.
    fn default() -> Limits {
        Limits {
            max_fs_bytes: 8 << 30,
            max_files: 500_000,
            max_steps: 1_000,
            shell: Budget::default(),
        }
    }
}

/// How to build: what `docker build` takes as flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOptions {
    /// `--build-arg K=V`, in order.
    pub build_args: Vec<(String, String)>,
    /// `--target STAGE`; the last stage when `None`.
    pub target: Option<String>,
    /// `--no-cache`: run every step.
    pub no_cache: bool,
    /// `--no-cache-filter STAGE`: run every step of these stages.
    pub no_cache_filter: Vec<String>,
    /// BuildKit or the classic builder.
    pub personality: Personality,
    /// Size and step limits.
    pub limits: Limits,
    /// The build's time (seconds), like `SOURCE_DATE_EPOCH`: history `created`,
    /// and the mtime of everything the build writes. Fixed so digests repeat.
    pub epoch: i64,
    /// `-t NAME`: tag for the final image.
    pub tag: Option<String>,
    /// `--secret id=ID,...`: what `RUN --mount=type=secret` shows, by id. Never
    /// part of a cache key or a layer.
    pub secrets: Vec<(String, Vec<u8>)>,
}

/// The default build time: 2024-01-01T00:00:00Z. Any fixed value would do; this one
/// reads as a plausible date in `docker history`.
pub const DEFAULT_EPOCH: i64 = 1_704_067_200;

impl Default for BuildOptions {
    fn default() -> BuildOptions {
        BuildOptions {
            build_args: Vec::new(),
            target: None,
            no_cache: false,
            no_cache_filter: Vec::new(),
            personality: Personality::BuildKit,
            limits: Limits::default(),
            epoch: DEFAULT_EPOCH,
            tag: None,
            secrets: Vec::new(),
        }
    }
}

/// What a build starts from.
#[derive(Clone, Copy, Debug)]
pub struct BuildInput<'a> {
    /// The Dockerfile text.
    pub dockerfile: &'a str,
    /// Its path in the context (`Dockerfile`), which picks `<path>.dockerignore`.
    pub dockerfile_path: &'a str,
    /// The build context.
    pub context: &'a BuildContext,
}

/// What kind of step an instruction was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// `FROM`: the base image's layers.
    From,
    /// A step that made a layer (RUN, COPY, ADD; WORKDIR with BuildKit).
    Layer,
    /// A step that only changed the config (an empty-layer history entry).
    Metadata,
}

/// One instruction of the build and the intermediate image it produced.
#[derive(Clone)]
pub struct Step {
    /// Position in the whole build, 0-based.
    pub index: usize,
    /// Index of the stage in the Dockerfile.
    pub stage: usize,
    /// The stage's name (`AS name`) or `stage-N`.
    pub stage_label: String,
    /// 1-based position within the stage (FROM is 1).
    pub position: usize,
    /// Number of instructions in the stage, FROM included.
    pub stage_len: usize,
    /// The instruction as written, continuation lines joined.
    pub instruction: String,
    /// First line of the instruction in the Dockerfile (1-based).
    pub line: usize,
    /// FROM, layer or metadata.
    pub kind: StepKind,
    /// Cache verdict; `None` for FROM.
    pub cache: Option<Verdict>,
    /// The intermediate image's ID.
    pub image_id: Digest,
    /// The step's layer, if it made one.
    pub diff_id: Option<Digest>,
    /// Bytes the step's layer adds (what `docker history` shows).
    pub size: u64,
    /// The history entry's `created_by`, `None` where the builder writes none
    /// (FROM; ONBUILD with BuildKit).
    pub created_by: Option<String>,
    /// What the step printed (RUN output, download notes).
    pub output: String,
    /// Where the step was simulated or not modelled.
    pub notices: Vec<Notice>,
    /// Counts of the layer's changes.
    pub changes: ChangeCounts,
    /// The filesystem after the step (an O(1) snapshot).
    pub fs: Vfs,
}

/// Why a build stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    /// The step that failed (index into `BuildOutcome::steps` of the step that
    /// would have come next), `None` before any step ran.
    pub step: Option<usize>,
    /// Dockerfile line, when the error has one.
    pub line: Option<usize>,
    /// Dockerfile column, when the error has one.
    pub column: Option<usize>,
    /// BuildKit's words where BuildKit has some, plus a hint where we can give one.
    pub message: String,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// A finished (or failed) build.
#[derive(Clone)]
pub struct BuildOutcome {
    /// Every step that ran, in build order.
    pub steps: Vec<Step>,
    /// The final image, if the build succeeded.
    pub image_id: Option<Digest>,
    /// Why the build failed, if it did.
    pub error: Option<BuildError>,
    /// The build log in BuildKit's plain progress style.
    pub log: Vec<String>,
    /// Stages skipped because the target does not need them.
    pub skipped_stages: Vec<String>,
    /// Suggestions to reorder lines so the cache survives edits (`advice`).
    pub advice: Vec<crate::advice::Advice>,
}

impl BuildOutcome {
    fn failed(error: BuildError) -> BuildOutcome {
        BuildOutcome {
            steps: Vec::new(),
            image_id: None,
            log: vec![format!("ERROR: {error}")],
            error: Some(error),
            skipped_stages: Vec::new(),
            advice: Vec::new(),
        }
    }
}

/// The platform layerlab builds for and on.
pub fn default_platform() -> Platform {
    Platform {
        os: "linux".to_string(),
        architecture: "amd64".to_string(),
        variant: String::new(),
    }
}

/// Builds `input` into `store`, reusing and filling `cache`.
pub fn build(
    store: &mut Store,
    cache: &mut BuildCache,
    input: &BuildInput,
    options: &BuildOptions,
) -> BuildOutcome {
    let (parsed, diagnostics) = crate::dockerfile::parse(input.dockerfile);
    if let Some(error) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        let mut outcome = BuildOutcome::failed(BuildError {
            step: None,
            line: Some(error.line),
            column: Some(error.column),
            message: format!(
                "dockerfile parse error on line {}: {}",
                error.line, error.message
            ),
        });
        if options.personality == Personality::BuildKit {
            // BuildKit shows where, then says what, as for a failed step.
            let lines = (error.line, error.line);
            let mut log = excerpt::excerpt(input.dockerfile_path, input.dockerfile, lines);
            if let Some(e) = &outcome.error {
                log.push(format!("ERROR: failed to solve: {}", e.message));
            }
            outcome.log = log;
        }
        return outcome;
    }
    let Some(dockerfile) = parsed else {
        return BuildOutcome::failed(BuildError {
            step: None,
            line: None,
            column: None,
            message: "the Dockerfile could not be read".to_string(),
        });
    };
    let rules = match input.context.ignore_rules(input.dockerfile_path) {
        Ok(rules) => rules,
        Err(error) => {
            return BuildOutcome::failed(BuildError {
                step: None,
                line: None,
                column: None,
                message: error.to_string(),
            })
        }
    };
    let context = input.context.filtered(&rules);
    let platform = default_platform();
    let scope = match ArgScope::new(
        &dockerfile.meta_args,
        &options.build_args,
        platform_args(&platform, &platform),
        dockerfile.escape,
    ) {
        Ok(scope) => scope,
        Err(error) => {
            let line = dockerfile.meta_args.first().map(|i| i.start_line);
            return BuildOutcome::failed(BuildError {
                step: None,
                line,
                column: None,
                message: error.to_string(),
            });
        }
    };
    let plan = match plan_stages(&dockerfile, &scope, options.target.as_deref()) {
        Ok(plan) => plan,
        Err(error) => return BuildOutcome::failed(error),
    };
    let mut runner = StageRunner::new(store, cache, &dockerfile, &context, &rules, &scope, options);
    runner.log_header(input.dockerfile_path, input.dockerfile.len(), &plan);
    let mut error = None;
    for &stage in &plan.order {
        if let Err(e) = runner.run_stage(stage) {
            error = Some(e);
            break;
        }
    }
    let mut outcome = runner.finish(error, &plan, (input.dockerfile_path, input.dockerfile));
    outcome.advice = crate::advice::advise(&dockerfile, &context, &outcome.steps);
    outcome
}

/// Which stages to build, in order, and which the target does not need.
pub struct StagePlan {
    /// Stage indexes to build, in Dockerfile order.
    pub order: Vec<usize>,
    /// The target stage.
    pub target: usize,
    /// Labels of the stages left out.
    pub skipped: Vec<String>,
}

/// The label BuildKit's progress uses for a stage: its name or `stage-N`.
pub fn stage_label(dockerfile: &Dockerfile, index: usize) -> String {
    dockerfile.stages[index]
        .name
        .clone()
        .unwrap_or_else(|| format!("stage-{index}"))
}

/// Finds a stage by name (case-insensitive) or by index, among the stages
/// before `before`.
pub fn find_stage(dockerfile: &Dockerfile, reference: &str, before: usize) -> Option<usize> {
    let lower = reference.to_ascii_lowercase();
    if let Some(i) = dockerfile.stages[..before]
        .iter()
        .position(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        return Some(i);
    }
    reference.parse::<usize>().ok().filter(|i| *i < before)
}

/// Works out the stages the target needs, through FROM, `COPY --from` and
/// `RUN --mount=from=`, the way BuildKit skips the others.
fn plan_stages(
    dockerfile: &Dockerfile,
    scope: &ArgScope,
    target: Option<&str>,
) -> Result<StagePlan, BuildError> {
    if dockerfile.stages.is_empty() {
        return Err(BuildError {
            step: None,
            line: None,
            column: None,
            message: "the Dockerfile has no FROM instruction".to_string(),
        });
    }
    let target = match target {
        None => dockerfile.stages.len() - 1,
        Some(name) => {
            find_stage(dockerfile, name, dockerfile.stages.len()).ok_or_else(|| BuildError {
                step: None,
                line: None,
                column: None,
                message: format!("target stage \"{name}\" could not be found"),
            })?
        }
    };
    let lexer = crate::dockerfile::expand::Lexer::new(dockerfile.escape);
    let mut needed = BTreeSet::new();
    let mut todo = vec![target];
    while let Some(stage) = todo.pop() {
        if !needed.insert(stage) {
            continue;
        }
        let s = &dockerfile.stages[stage];
        let base = lexer
            .process_word(&s.base, scope.from_env())
            .unwrap_or_else(|_| s.base.clone());
        let mut refs = vec![base];
        for instruction in &s.instructions {
            match &instruction.command {
                Command::Copy(copy) => refs.extend(copy.from.clone()),
                Command::Run(run) => refs.extend(run.mounts.iter().filter_map(|m| m.from.clone())),
                _ => {}
            }
        }
        todo.extend(refs.iter().filter_map(|r| find_stage(dockerfile, r, stage)));
    }
    let order: Vec<usize> = needed.iter().copied().collect();
    let skipped = (0..dockerfile.stages.len())
        .filter(|i| !needed.contains(i))
        .map(|i| stage_label(dockerfile, i))
        .collect();
    Ok(StagePlan {
        order,
        target,
        skipped,
    })
}

/// The record the cache keeps of a step, to explain the next build's misses.
fn record(instruction: &str, inputs: impl IntoIterator<Item = (String, String)>) -> StepRecord {
    StepRecord {
        instruction: instruction.to_string(),
        inputs: inputs.into_iter().collect(),
    }
}
