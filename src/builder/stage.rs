//! One stage at a time: FROM, then each instruction as a step.
//!
//! The runner owns the build's mutable state (store, cache, steps, log) and
//! keeps, per stage, the filesystem, the image config and the cache key chain.

use super::copy::{self, CopyRequest, CopySource};
use super::excerpt::excerpt;
use super::history::{self, CopyFlags, BUILDKIT_COMMENT, NOP_PREFIX};
use super::mounts::{self, Mount};
use super::run::{self, RunRequest};
use super::{
    find_stage, record, stage_label, BuildError, BuildOptions, BuildOutcome, Personality,
    StagePlan, Step, StepKind,
};
use crate::cache::{key, BuildCache, CachedResult, StepRecord, Verdict};
use crate::context::ignore::IgnoreRules;
use crate::context::path::clean;
use crate::context::BuildContext;
use crate::digest::Digest;
use crate::dockerfile::expand::{Env, Lexer};
use crate::dockerfile::instruction::{
    parse_mount_with, ArgScope, Command, CommandLine, Dockerfile, Instruction, KeyValue, MountType,
};
use crate::image::{History, Image, Timestamp};
use crate::layer::{ChangeCounts, DiffStyle, Layer};
use crate::shell::users::resolve_user;
use crate::shell::Notice;
use crate::store::Store;
use crate::vfs::{Meta, UsageMemo, Vfs};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a finished stage leaves for later stages (`FROM stage`, `COPY --from`).
#[derive(Clone)]
pub(super) struct StageResult {
    pub fs: Vfs,
    pub image: Image,
    pub image_id: Digest,
    pub key: Digest,
}

/// The state of the stage being built.
struct State {
    index: usize,
    label: String,
    stage_len: usize,
    fs: Vfs,
    image: Image,
    image_id: Digest,
    key: Digest,
    args: Vec<(String, Option<String>)>,
    shell: Vec<String>,
    cmd_set: bool,
    workdir_pending: bool,
    volumes_pending: Vec<String>,
    legacy_comment: String,
    earlier_miss: Option<usize>,
    /// The FROM resolved to another image than in the previous build.
    base_changed: bool,
    no_cache: bool,
    records: Vec<StepRecord>,
    position: usize,
    /// BuildKit's progress counter (`cmdIndex`): the steps that printed a vertex.
    progress: usize,
    /// BuildKit's `cmdTotal`: the FROM of an image, then every RUN, COPY, ADD and
    /// WORKDIR; metadata instructions, `FROM scratch` and `FROM stage` count not.
    progress_total: usize,
    /// An ONBUILD trigger of the base image is running (BuildKit says so).
    onbuild: bool,
}

/// Runs stages and collects the outcome.
pub(super) struct StageRunner<'a> {
    store: &'a mut Store,
    cache: &'a mut BuildCache,
    dockerfile: &'a Dockerfile,
    context: &'a BuildContext,
    rules: &'a IgnoreRules,
    scope: &'a ArgScope,
    options: &'a BuildOptions,
    lexer: Lexer,
    steps: Vec<Step>,
    log: Vec<String>,
    vertex: usize,
    results: BTreeMap<usize, StageResult>,
    records: Vec<(String, Vec<StepRecord>)>,
    /// Directory counts for the limits, shared by every step's check.
    usage_memo: UsageMemo,
    /// BuildKit's summary of the failed vertex (` > [2/3] RUN false:` and its
    /// last output lines), printed before the Dockerfile excerpt.
    failure: Vec<String>,
    /// The lines of the instruction the build failed at.
    failed_lines: Option<(usize, usize)>,
}

/// What one step did, before it becomes a `Step`.
struct Outcome {
    /// The cache key to remember the result under, if the step is a cached one.
    key: Option<Digest>,
    fs: Option<Vfs>,
    layer: Option<Arc<Layer>>,
    created_by: Option<String>,
    verdict: Verdict,
    output: String,
    notices: Vec<Notice>,
    changes: ChangeCounts,
}

impl<'a> StageRunner<'a> {
    pub fn new(
        store: &'a mut Store,
        cache: &'a mut BuildCache,
        dockerfile: &'a Dockerfile,
        context: &'a BuildContext,
        rules: &'a IgnoreRules,
        scope: &'a ArgScope,
        options: &'a BuildOptions,
    ) -> StageRunner<'a> {
        StageRunner {
            store,
            cache,
            dockerfile,
            context,
            rules,
            scope,
            options,
            lexer: Lexer::new(dockerfile.escape),
            steps: Vec::new(),
            log: Vec::new(),
            vertex: 0,
            results: BTreeMap::new(),
            records: Vec::new(),
            usage_memo: UsageMemo::default(),
            failure: Vec::new(),
            failed_lines: None,
        }
    }

    fn next_vertex(&mut self) -> usize {
        self.vertex += 1;
        self.vertex
    }

    /// The `[internal]` lines BuildKit prints before the first step.
    pub fn log_header(&mut self, dockerfile_path: &str, size: usize, plan: &StagePlan) {
        let v = self.next_vertex();
        self.log.push(format!(
            "#{v} [internal] load build definition from {dockerfile_path}"
        ));
        self.log
            .push(format!("#{v} transferring dockerfile: {size}B done"));
        self.log.push(format!("#{v} DONE"));
        let v = self.next_vertex();
        self.log.push(format!("#{v} [internal] load .dockerignore"));
        self.log.push(format!(
            "#{v} transferring context: {} patterns done",
            self.rules.patterns().len()
        ));
        self.log.push(format!("#{v} DONE"));
        for skipped in &plan.skipped {
            self.log.push(format!(
                "# stage {skipped} skipped: the target does not need it"
            ));
        }
    }

    /// Builds stage `index`.
    pub fn run_stage(&mut self, index: usize) -> Result<(), BuildError> {
        let stage = &self.dockerfile.stages[index];
        self.failed_lines = Some((stage.from.start_line, stage.from.end_line));
        let mut st = self.from(index)?;
        for instruction in &stage.instructions {
            self.failed_lines = Some((instruction.start_line, instruction.end_line));
            if self.steps.len() >= self.options.limits.max_steps {
                return Err(self.error_at(instruction, format!(
                    "the build has more than {} steps, layerlab's limit; split the Dockerfile or remove steps",
                    self.options.limits.max_steps
                )));
            }
            self.instruction(&mut st, instruction)?;
        }
        self.failed_lines = None;
        self.records
            .push((st.label.clone(), std::mem::take(&mut st.records)));
        self.results.insert(
            index,
            StageResult {
                fs: st.fs,
                image: st.image,
                image_id: st.image_id,
                key: st.key,
            },
        );
        Ok(())
    }

    /// Ends the build: records it in the cache, tags the image, writes the log's
    /// tail. `source` is the Dockerfile's path and text, for the excerpt BuildKit
    /// shows under a failure.
    pub fn finish(
        mut self,
        error: Option<BuildError>,
        plan: &StagePlan,
        (path, text): (&str, &str),
    ) -> BuildOutcome {
        self.cache.record_build(std::mem::take(&mut self.records));
        let mut image_id = None;
        match &error {
            Some(error) => {
                if self.options.personality == Personality::BuildKit {
                    self.log.append(&mut self.failure);
                    if let Some(lines) = self.failed_lines {
                        self.log.extend(excerpt(path, text, lines));
                    }
                }
                self.log
                    .push(format!("ERROR: failed to solve: {}", error.message));
            }
            None => {
                if let Some(result) = self.results.get(&plan.target).cloned() {
                    let v = self.next_vertex();
                    self.log.push(format!("#{v} exporting to image"));
                    self.log
                        .push(format!("#{v} writing image {} done", result.image_id));
                    if let Some(tag) = &self.options.tag {
                        if self.store.tag(tag, &result.image_id).is_ok() {
                            self.log
                                .push(format!("#{v} naming to {} done", full_name(tag)));
                        }
                    }
                    self.log.push(format!("#{v} DONE"));
                    image_id = Some(result.image_id);
                }
            }
        }
        BuildOutcome {
            steps: self.steps,
            image_id,
            error,
            log: self.log,
            skipped_stages: plan.skipped.clone(),
            advice: Vec::new(),
        }
    }

    /// A RUN or COPY whose operation failed. BuildKit prints the step's vertex
    /// with its output and `ERROR:`, and keeps the last ten output lines for the
    /// summary under the log (`------` / ` > [2/3] RUN make:` / ... / `------`).
    fn vertex_failed(&mut self, st: &State, ins: &Instruction, message: String) -> BuildError {
        if self.options.personality == Personality::BuildKit {
            let v = self.next_vertex();
            let label =
                self.buildkit_label(&st.label, st.progress + 1, st.progress_total, st.onbuild);
            let name = format!("{label} {}", self.vertex_name(st, ins));
            let mut lines = message.lines();
            let head = lines.next().unwrap_or_default();
            // Our own hints stay in the final error, where the page shows them.
            let output: Vec<&str> = lines.filter(|l| !l.starts_with("hint: ")).collect();
            self.log.push(format!("#{v} {name}"));
            self.log.extend(output.iter().map(|l| format!("#{v} {l}")));
            let head = head
                .strip_prefix("failed to compute cache key: ")
                .unwrap_or(head);
            self.log.push(format!("#{v} ERROR: {head}"));
            self.failure = vec!["------".to_string(), format!(" > {name}:")];
            let tail = output.len().saturating_sub(10);
            self.failure
                .extend(output[tail..].iter().map(|l| l.to_string()));
            self.failure.push("------".to_string());
        }
        self.error_at(ins, message)
    }

    /// The name BuildKit gives a step's vertex (`processCmdEnv` after
    /// `uppercaseCmd`): the line as written with the step's variables expanded and
    /// the keyword upper-cased. RUN keeps its quotes and unset variables, which
    /// are its shell's to expand, and a lone heredoc adds its first line.
    fn vertex_name(&self, st: &State, ins: &Instruction) -> String {
        let mut lexer = self.lexer;
        let mut text = ins.original.clone();
        match &ins.command {
            Command::Run(r) => {
                lexer.raw_quotes = true;
                lexer.skip_unset_env = true;
                if let Some(summary) = run::heredoc_summary(&r.command) {
                    text = format!("{text} ({summary})");
                }
            }
            Command::Copy(_) | Command::Add(_) | Command::Workdir(_) => {}
            _ => return text,
        }
        let text = lexer
            .process_word(&text, &Self::expand_env(st))
            .unwrap_or(text);
        match text.split_once(' ') {
            Some((keyword, rest)) => format!("{} {rest}", keyword.to_uppercase()),
            None => text.to_uppercase(),
        }
    }

    fn error_at(&self, instruction: &Instruction, message: String) -> BuildError {
        BuildError {
            step: Some(self.steps.len()),
            line: Some(instruction.start_line),
            column: Some(instruction.column),
            message,
        }
    }

    /// FROM: the base image (a catalog image, a stored one, an earlier stage or
    /// scratch) and any ONBUILD triggers it carries.
    fn from(&mut self, index: usize) -> Result<State, BuildError> {
        let stage = &self.dockerfile.stages[index];
        let label = stage_label(self.dockerfile, index);
        let stage_len = stage.instructions.len() + 1;
        let reference = self
            .lexer
            .process_word(&stage.base, self.scope.from_env())
            .map_err(|e| self.error_at(&stage.from, e.to_string()))?;
        let (fs, image, image_id, key, display) =
            match find_stage(self.dockerfile, &reference, index) {
                Some(parent) => {
                    let result = self.results.get(&parent).cloned().ok_or_else(|| {
                        self.error_at(
                            &stage.from,
                            format!("stage {reference} was not built before it was used"),
                        )
                    })?;
                    (
                        result.fs,
                        result.image,
                        result.image_id,
                        result.key,
                        reference.clone(),
                    )
                }
                None => {
                    let base = super::run::resolve_base(self.store, self.cache, &reference)
                        .map_err(|message| self.error_at(&stage.from, message))?;
                    let key = key(&[b"FROM", base.image_id.to_string().as_bytes()]);
                    (base.fs, base.image, base.image_id, key, base.display)
                }
            };
        let from_image = find_stage(self.dockerfile, &reference, index).is_none()
            && !reference.eq_ignore_ascii_case("scratch");
        let progress_total = usize::from(from_image)
            + stage
                .instructions
                .iter()
                .filter(|i| {
                    matches!(
                        i.command,
                        Command::Run(_) | Command::Copy(_) | Command::Add(_) | Command::Workdir(_)
                    )
                })
                .count();
        if self.options.personality == Personality::Legacy {
            let v = self.next_vertex();
            self.log.push(format!(
                "#{v} {} FROM {display}",
                self.progress_label(&label, 1, stage_len)
            ));
            self.log.push(format!("#{v} DONE"));
        } else if from_image {
            // BuildKit shows no vertex for scratch or for another stage.
            let v = self.next_vertex();
            self.log.push(format!(
                "#{v} {} FROM {display}",
                self.buildkit_label(&label, 1, progress_total, false)
            ));
            self.log.push(format!("#{v} DONE"));
        }
        let no_cache = self
            .options
            .no_cache_filter
            .iter()
            .any(|f| f.eq_ignore_ascii_case(&label));
        let shell = if image.config.shell.is_empty() {
            vec!["/bin/sh".to_string(), "-c".to_string()]
        } else {
            image.config.shell.clone()
        };
        let onbuild = image.config.on_build.clone();
        let mut st = State {
            index,
            label,
            stage_len,
            fs,
            image,
            image_id,
            key,
            args: Vec::new(),
            shell,
            cmd_set: false,
            workdir_pending: false,
            volumes_pending: Vec::new(),
            legacy_comment: format!("FROM {display}"),
            earlier_miss: None,
            base_changed: false,
            no_cache,
            records: Vec::new(),
            position: 1,
            progress: usize::from(from_image),
            progress_total,
            onbuild: false,
        };
        st.image.config.on_build.clear();
        let from_record = record(
            &stage.from.original,
            [("base".to_string(), image_id.to_string())],
        );
        st.base_changed = self
            .cache
            .previous(&st.label)
            .and_then(|steps| steps.first())
            .is_some_and(|before| before.inputs != from_record.inputs);
        st.records.push(from_record);
        self.steps.push(Step {
            index: self.steps.len(),
            stage: index,
            stage_label: st.label.clone(),
            position: 1,
            stage_len,
            instruction: stage.from.original.clone(),
            line: stage.from.start_line,
            kind: StepKind::From,
            cache: None,
            image_id,
            diff_id: None,
            size: 0,
            created_by: None,
            output: String::new(),
            notices: Vec::new(),
            changes: ChangeCounts::default(),
            fs: st.fs.clone(),
        });
        for trigger in onbuild {
            let text = format!("FROM scratch\n{trigger}\n");
            let (parsed, diagnostics) = crate::dockerfile::parse(&text);
            let instruction = parsed
                .and_then(|d| d.stages.into_iter().next())
                .and_then(|s| s.instructions.into_iter().next())
                .ok_or_else(|| {
                    let why = diagnostics
                        .first()
                        .map(|d| d.message.clone())
                        .unwrap_or_default();
                    self.error_at(
                        &stage.from,
                        format!("invalid ONBUILD trigger of the base image \"{trigger}\": {why}"),
                    )
                })?;
            let instruction = Instruction {
                start_line: stage.from.start_line,
                end_line: stage.from.end_line,
                ..instruction
            };
            st.onbuild = true;
            self.instruction(&mut st, &instruction)?;
            st.onbuild = false;
        }
        Ok(st)
    }

    fn progress_label(&self, label: &str, position: usize, len: usize) -> String {
        if self.dockerfile.stages.len() > 1 {
            format!("[{label} {position}/{len}]")
        } else {
            format!("[{position}/{len}]")
        }
    }

    /// BuildKit's `prefixCommand`: `[stage index/total]` with the index padded to
    /// the total's width (`[ 3/12]`), and `ONBUILD ` before a trigger's text.
    fn buildkit_label(&self, label: &str, index: usize, total: usize, onbuild: bool) -> String {
        let width = total.max(1).to_string().len();
        let stage = if self.dockerfile.stages.len() > 1 {
            format!("{label} ")
        } else {
            String::new()
        };
        let onbuild = if onbuild { " ONBUILD" } else { "" };
        format!("[{stage}{index:>width$}/{total}]{onbuild}")
    }

    /// The variables an instruction's words expand against: the stage's ARGs,
    /// then its ENV (ENV wins over an ARG of the same name).
    fn expand_env(st: &State) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = st
            .args
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
            .collect();
        env.extend(env_pairs(&st.image.config.env));
        env
    }

    fn expand(&self, st: &State, ins: &Instruction, word: &str) -> Result<String, BuildError> {
        self.lexer
            .process_word(word, &Self::expand_env(st))
            .map_err(|e| self.error_at(ins, e.to_string()))
    }

    fn expand_words(
        &self,
        st: &State,
        ins: &Instruction,
        word: &str,
    ) -> Result<Vec<String>, BuildError> {
        self.lexer
            .process_words(word, &Self::expand_env(st))
            .map_err(|e| self.error_at(ins, e.to_string()))
    }

    fn instruction(&mut self, st: &mut State, ins: &Instruction) -> Result<(), BuildError> {
        st.position += 1;
        let legacy = self.options.personality == Personality::Legacy;
        let outcome = match &ins.command {
            Command::Run(run) => self.run(st, ins, run)?,
            Command::Copy(c) => {
                let req = CopyRequest {
                    keyword: "COPY",
                    sources: c.sources.clone(),
                    contents: c.contents.clone(),
                    dest: c.dest.clone(),
                    from: c.from.clone(),
                    chown: c.chown.clone(),
                    chmod: c.chmod.clone(),
                    parents: c.parents,
                    excludes: c.excludes.clone(),
                };
                self.copy(st, ins, req)?
            }
            Command::Add(a) => {
                let req = CopyRequest {
                    keyword: "ADD",
                    sources: a.sources.clone(),
                    contents: a.contents.clone(),
                    dest: a.dest.clone(),
                    from: None,
                    chown: a.chown.clone(),
                    chmod: a.chmod.clone(),
                    parents: false,
                    excludes: a.excludes.clone(),
                };
                self.copy(st, ins, req)?
            }
            Command::Workdir(path) => {
                let expanded = self.expand(st, ins, path)?;
                let dir = join_workdir(&st.image.config.working_dir, &expanded);
                st.image.config.working_dir = dir.clone();
                if legacy {
                    st.workdir_pending = true;
                    self.metadata(st, ins, format!("{NOP_PREFIX}{}", ins.original))
                } else if dir == "/" {
                    self.metadata(st, ins, format!("WORKDIR {dir}"))
                } else {
                    self.workdir_buildkit(st, ins, &dir)?
                }
            }
            _ => {
                let created_by = self.apply_metadata(st, ins)?;
                let created_by = match (legacy, &ins.command) {
                    (true, Command::Arg(_)) => created_by,
                    (true, _) => Some(format!("{NOP_PREFIX}{}", ins.original)),
                    (false, _) => created_by,
                };
                match created_by {
                    Some(created_by) => self.metadata(st, ins, created_by),
                    None => self.metadata_without_history(st, ins),
                }
            }
        };
        self.commit(st, ins, outcome)
    }

    /// Applies a metadata instruction to the config; returns BuildKit's
    /// `created_by` (`None` for ONBUILD, which BuildKit does not record).
    fn apply_metadata(
        &mut self,
        st: &mut State,
        ins: &Instruction,
    ) -> Result<Option<String>, BuildError> {
        let legacy = self.options.personality == Personality::Legacy;
        let created_by = match &ins.command {
            Command::Env(pairs) => {
                let mut shown = Vec::new();
                for KeyValue { key, value, .. } in pairs {
                    let key = self.expand(st, ins, key)?;
                    let value = self.expand(st, ins, value)?;
                    set_env(&mut st.image.config.env, &key, &value);
                    shown.push(format!("{key}={value}"));
                }
                format!("ENV {}", shown.join(" "))
            }
            Command::Label(pairs) => {
                let mut shown = Vec::new();
                for KeyValue { key, value, .. } in pairs {
                    let key = self.expand(st, ins, key)?;
                    let value = self.expand(st, ins, value)?;
                    shown.push(format!("{key}={value}"));
                    st.image.config.labels.insert(key, value);
                }
                format!("LABEL {}", shown.join(" "))
            }
            Command::Arg(definitions) => {
                let mut shown = Vec::new();
                for definition in definitions {
                    let value = self
                        .scope
                        .stage_arg(definition, &Self::expand_env(st), self.dockerfile.escape)
                        .map_err(|e| self.error_at(ins, e.to_string()))?;
                    match st.args.iter_mut().find(|(k, _)| *k == definition.name) {
                        Some(slot) => slot.1 = value.clone(),
                        None => st.args.push((definition.name.clone(), value.clone())),
                    }
                    shown.push(match value {
                        Some(v) => format!("{}={v}", definition.name),
                        None => definition.name.clone(),
                    });
                }
                if legacy {
                    let mut names: Vec<&str> = st
                        .args
                        .iter()
                        .filter(|(_, v)| v.is_some())
                        .map(|(k, _)| k.as_str())
                        .collect();
                    crate::sort::sort(&mut names);
                    return Ok(Some(format!("{NOP_PREFIX}ARG {}", names.join(" "))));
                }
                format!("ARG {}", shown.join(" "))
            }
            Command::Cmd(line) => {
                let argv = self.command_argv(st, line);
                st.image.config.cmd = argv.clone();
                st.cmd_set = true;
                format!("CMD {}", history::go_quoted_list(&argv))
            }
            Command::Entrypoint(line) => {
                let argv = self.command_argv(st, line);
                st.image.config.entrypoint = argv.clone();
                if !st.cmd_set {
                    st.image.config.cmd.clear();
                }
                format!("ENTRYPOINT {}", history::go_quoted_list(&argv))
            }
            Command::Shell(argv) => {
                st.shell = argv.clone();
                st.image.config.shell = argv.clone();
                format!("SHELL {}", history::go_plain_list(argv))
            }
            Command::User(user) => {
                let user = self.expand(st, ins, user)?;
                st.image.config.user = user.clone();
                format!("USER {user}")
            }
            Command::Expose(ports) => {
                let mut shown = Vec::new();
                for port in ports {
                    for word in self.expand_words(st, ins, port)? {
                        let port = if word.contains('/') {
                            word.to_ascii_lowercase()
                        } else {
                            format!("{word}/tcp")
                        };
                        st.image.config.exposed_ports.insert(port.clone());
                        shown.push(port);
                    }
                }
                format!("EXPOSE {}", history::go_plain_list(&shown))
            }
            Command::Volume(paths) => {
                let mut shown = Vec::new();
                for path in paths {
                    let path = self.expand(st, ins, path)?;
                    if path.is_empty() {
                        return Err(self.error_at(
                            ins,
                            "VOLUME specified can not be an empty string".to_string(),
                        ));
                    }
                    st.image.config.volumes.insert(path.clone());
                    if legacy {
                        st.volumes_pending.push(path.clone());
                    }
                    shown.push(path);
                }
                format!("VOLUME {}", history::go_plain_list(&shown))
            }
            Command::StopSignal(signal) => {
                let signal = self.expand(st, ins, signal)?;
                st.image.config.stop_signal = signal.clone();
                format!("STOPSIGNAL {signal}")
            }
            Command::Maintainer(name) => {
                st.image.author = name.clone();
                format!("MAINTAINER {name}")
            }
            Command::Healthcheck(check) => {
                let health = crate::image::Healthcheck {
                    test: check.test.clone(),
                    interval: check.interval_ns as i64,
                    timeout: check.timeout_ns as i64,
                    start_period: check.start_period_ns as i64,
                    start_interval: check.start_interval_ns as i64,
                    retries: i64::from(check.retries),
                };
                let shown = format!(
                    "HEALTHCHECK &{{{} \"{}\" \"{}\" \"{}\" \"{}\" '\\x{:02x}'}}",
                    history::go_quoted_list(&health.test),
                    go_duration(health.interval),
                    go_duration(health.timeout),
                    go_duration(health.start_period),
                    go_duration(health.start_interval),
                    health.retries
                );
                st.image.config.healthcheck = Some(health);
                shown
            }
            Command::Onbuild(onbuild) => {
                st.image.config.on_build.push(onbuild.expression.clone());
                return Ok(None);
            }
            Command::From(_)
            | Command::Run(_)
            | Command::Copy(_)
            | Command::Add(_)
            | Command::Workdir(_) => {
                return Err(self.error_at(
                    ins,
                    format!("{} is not a metadata instruction", ins.keyword),
                ));
            }
        };
        Ok(Some(created_by))
    }

    /// CMD/ENTRYPOINT argv: exec form as written, shell form through SHELL
    /// (BuildKit) or `/bin/sh -c` (the classic builder).
    fn command_argv(&self, st: &State, line: &CommandLine) -> Vec<String> {
        if !line.prepend_shell {
            return line.args.clone();
        }
        let mut argv = match self.options.personality {
            Personality::BuildKit => st.shell.clone(),
            Personality::Legacy => vec!["/bin/sh".to_string(), "-c".to_string()],
        };
        argv.push(line.args.join(" "));
        argv
    }

    /// A metadata step's verdict: BuildKit caches no metadata (its effect enters the
    /// next operation's key); the classic builder caches every instruction.
    fn metadata(&mut self, st: &mut State, ins: &Instruction, created_by: String) -> Outcome {
        let (cache_key, verdict) = match self.options.personality {
            Personality::Legacy => {
                let (k, verdict) = self.lookup_legacy(st, ins, &created_by);
                st.key = k;
                (Some(k), verdict)
            }
            Personality::BuildKit => {
                let now = record(&ins.original, []);
                (None, self.metadata_verdict(st, &now))
            }
        };
        Outcome {
            key: cache_key,
            fs: None,
            layer: None,
            created_by: Some(created_by),
            verdict,
            output: String::new(),
            notices: Vec::new(),
            changes: ChangeCounts::default(),
        }
    }

    fn metadata_without_history(&mut self, st: &mut State, ins: &Instruction) -> Outcome {
        let now = record(&ins.original, []);
        let verdict = self.metadata_verdict(st, &now);
        Outcome {
            key: None,
            fs: None,
            layer: None,
            created_by: None,
            verdict,
            output: String::new(),
            notices: Vec::new(),
            changes: ChangeCounts::default(),
        }
    }

    fn metadata_verdict(&mut self, st: &mut State, now: &StepRecord) -> Verdict {
        let same = self
            .cache
            .previous(&st.label)
            .and_then(|steps| steps.get(st.position - 1))
            .is_some_and(|before| before == now);
        st.records.push(now.clone());
        if same && st.earlier_miss.is_none() && !self.no_cache(st) {
            Verdict::hit()
        } else {
            // BuildKit caches no metadata step: a change reaches later steps only
            // through what their keys include (env, user, workdir, shell), so a
            // changed LABEL or CMD invalidates nothing after it.
            self.explain(st, now)
        }
    }

    /// Why `now` missed: the base image when it changed and nothing missed
    /// before, else the comparison with the previous build.
    fn explain(&self, st: &State, now: &StepRecord) -> Verdict {
        if st.base_changed && st.earlier_miss.is_none() && self.cache.has_history() {
            return Verdict::miss("the base image changed");
        }
        self.cache
            .explain_miss(&st.label, st.position - 1, now, st.earlier_miss)
    }

    fn no_cache(&self, st: &State) -> bool {
        self.options.no_cache || st.no_cache
    }

    /// The classic builder's lookup: the parent image and the `created_by` string.
    fn lookup_legacy(
        &mut self,
        st: &mut State,
        ins: &Instruction,
        created_by: &str,
    ) -> (Digest, Verdict) {
        let k = key(&[st.image_id.to_string().as_bytes(), created_by.as_bytes()]);
        let now = record(
            &ins.original,
            [("created_by".to_string(), created_by.to_string())],
        );
        let verdict = self.verdict(st, &k, &now);
        (k, verdict)
    }

    /// Hit or miss for an operation keyed `k`, recording the step.
    fn verdict(&mut self, st: &mut State, k: &Digest, now: &StepRecord) -> Verdict {
        st.records.push(now.clone());
        if self.no_cache(st) {
            st.earlier_miss.get_or_insert(st.position);
            return Verdict::miss(if self.options.no_cache {
                "--no-cache"
            } else {
                "--no-cache-filter names this stage"
            });
        }
        // BuildKit's keys chain through the parent's key, so after a miss no later
        // key can match; the classic builder's key is the parent image, which a
        // deterministic rebuild reproduces, so it stops looking after a miss as
        // Docker's classic builder and buildah do.
        let chained = self.options.personality == Personality::BuildKit;
        if (chained || st.earlier_miss.is_none()) && self.cache.get(k).is_some() {
            return Verdict::hit();
        }
        let verdict = self.explain(st, now);
        st.earlier_miss.get_or_insert(st.position);
        verdict
    }

    /// BuildKit's WORKDIR: `mkdir -p` as the current USER, in a layer of its own.
    fn workdir_buildkit(
        &mut self,
        st: &mut State,
        ins: &Instruction,
        dir: &str,
    ) -> Result<Outcome, BuildError> {
        let (uid, gid) = self.user_ids(st, ins)?;
        let op = format!("mkdir -p {dir} {uid}:{gid} {}", self.options.epoch);
        let k = key(&[st.key.0.as_slice(), b"WORKDIR", op.as_bytes()]);
        let now = record(
            &ins.original,
            [("user".to_string(), format!("{uid}:{gid}"))],
        );
        let verdict = self.verdict(st, &k, &now);
        let created_by = format!("WORKDIR {dir}");
        self.operation(st, k, verdict, created_by, |fs| {
            let meta = Meta::new(0o755).owned(uid, gid).at(self.options.epoch);
            mkdir_all(fs, dir, meta).map(|_| (String::new(), Vec::new()))
        })
        .map_err(|message| self.error_at(ins, message))
    }

    /// Runs `op` on a copy of the stage's filesystem unless the cache has the
    /// result; diffs it into a layer.
    fn operation(
        &mut self,
        st: &mut State,
        k: Digest,
        verdict: Verdict,
        created_by: String,
        op: impl FnOnce(&mut Vfs) -> Result<(String, Vec<Notice>), String>,
    ) -> Result<Outcome, String> {
        st.key = k;
        if verdict.hit {
            if let Some(cached) = self.cache.get(&k).cloned() {
                let fs = cached.fs.clone().or_else(|| {
                    self.store
                        .union(&cached.image_id)
                        .ok()
                        .map(|u| u.fs().clone())
                });
                let layer = cached.layer.and_then(|d| self.store.layer(&d).cloned());
                if let (Some(fs), true) = (fs, cached.layer.is_none() || layer.is_some()) {
                    return Ok(Outcome {
                        key: Some(k),
                        fs: Some(fs),
                        layer,
                        created_by: Some(created_by),
                        verdict,
                        output: cached.output,
                        notices: cached.notices,
                        changes: cached.changes,
                    });
                }
            }
        }
        let verdict = if verdict.hit {
            Verdict::miss("the result was evicted from the cache")
        } else {
            verdict
        };
        let mut fs = st.fs.clone();
        let (output, notices) = op(&mut fs)?;
        let style = match self.options.personality {
            Personality::BuildKit => DiffStyle::BuildKit,
            Personality::Legacy => DiffStyle::Overlay,
        };
        let diff = Layer::diff(&st.fs, &fs, style);
        let changes = diff.counts();
        let diff_id = self.store.add_layer(diff.layer);
        let layer = self.store.layer(&diff_id).cloned();
        self.check_limits(&fs)?;
        Ok(Outcome {
            key: Some(k),
            fs: Some(fs),
            layer,
            created_by: Some(created_by),
            verdict,
            output,
            notices,
            changes,
        })
    }

    fn check_limits(&mut self, fs: &Vfs) -> Result<(), String> {
        let usage = fs.usage(&mut self.usage_memo);
        let limits = &self.options.limits;
        if usage.entries > limits.max_files {
            return Err(format!(
                "the image would hold {} files, more than layerlab's limit of {}; remove files or split the build",
                usage.entries,
                limits.max_files
            ));
        }
        if usage.bytes > limits.max_fs_bytes {
            return Err(format!(
                "the image would hold {} bytes, more than layerlab's limit of {}; remove files or split the build",
                usage.bytes,
                limits.max_fs_bytes
            ));
        }
        Ok(())
    }

    fn user_ids(&self, st: &State, ins: &Instruction) -> Result<(u32, u32), BuildError> {
        let user = &st.image.config.user;
        if user.is_empty() {
            return Ok((0, 0));
        }
        resolve_user(&st.fs, user).map_err(|message| self.error_at(ins, message))
    }

    fn run(
        &mut self,
        st: &mut State,
        ins: &Instruction,
        r: &crate::dockerfile::instruction::Run,
    ) -> Result<Outcome, BuildError> {
        let legacy = self.options.personality == Personality::Legacy;
        let (uid, gid) = self.user_ids(st, ins)?;
        let argv = run::argv(&st.shell, &r.command);
        let mut env = env_pairs(&st.image.config.env);
        for (name, value) in &st.args {
            if let Some(value) = value {
                if env.lookup(name).is_none() {
                    env.push((name.clone(), value.clone()));
                }
            }
        }
        env.extend(self.scope.run_proxy_env());
        let workdir = if st.image.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            st.image.config.working_dir.clone()
        };
        let created_by = if legacy {
            history::legacy_run(run::legacy_text(ins), &st.args)
        } else {
            history::buildkit_run(&argv, &st.args)
        };
        if legacy && !r.mount_specs.is_empty() {
            return Err(self.error_at(ins, mounts::NEEDS_BUILDKIT.to_string()));
        }
        let Mounted {
            mounts,
            notices,
            secret_env,
        } = self.mounts(st, ins, r, &workdir)?;
        // Secrets given as variables reach the command but not the cache key.
        let mut run_env = env.clone();
        run_env.extend(secret_env);
        if run_env.lookup("HOME").is_none() {
            // runc sets HOME from the user's /etc/passwd entry, else `/`.
            let home = crate::shell::users::passwd(&st.fs)
                .into_iter()
                .find(|entry| entry.uid == uid)
                .map_or_else(|| "/".to_string(), |entry| entry.home);
            run_env.push(("HOME".to_string(), home));
        }
        let request = RunRequest {
            argv: argv.clone(),
            env: run_env,
            workdir: workdir.clone(),
            uid,
            gid,
            shell: st.shell.clone(),
            mounts,
            notices,
            mtime: self.options.epoch,
            budget: self.options.limits.shell,
        };
        let (k, verdict) = if legacy {
            self.lookup_legacy(st, ins, &created_by)
        } else {
            let mounts: Vec<String> = request.mounts.iter().map(|m| m.key_part()).collect();
            let op = format!(
                "{argv:?}\0{env:?}\0{workdir}\0{uid}:{gid}\0{mounts:?}\0{:?}",
                r.network
            );
            let k = key(&[st.key.0.as_slice(), b"RUN", op.as_bytes()]);
            let mut inputs: Vec<(String, String)> = st
                .args
                .iter()
                .map(|(name, value)| (format!("arg:{name}"), value.clone().unwrap_or_default()))
                .collect();
            inputs.extend(
                env_pairs(&st.image.config.env)
                    .into_iter()
                    .map(|(k, v)| (format!("env:{k}"), v)),
            );
            inputs.push(("user".to_string(), format!("{uid}:{gid}")));
            inputs.push(("workdir".to_string(), workdir.clone()));
            inputs.push(("shell".to_string(), st.shell.join(" ")));
            inputs.extend(request.mounts.iter().flat_map(|m| m.inputs()));
            let now = record(&ins.original, inputs);
            (k, self.verdict(st, &k, &now))
        };
        run::separate_lower_hard_links(&mut st.fs).map_err(|m| self.error_at(ins, m))?;
        let mut caches = Vec::new();
        let result = self.pending_then(st, (k, verdict), created_by, true, (uid, gid), |fs| {
            run::execute(fs, &request, &mut caches)
        });
        for (id, contents) in caches {
            self.cache.put_mount_cache(id, contents);
        }
        result.map_err(|message| self.vertex_failed(st, ins, message))
    }

    /// Resolves a RUN's `--mount`s: each value expanded and parsed again (as
    /// BuildKit does at this point), relative targets in the WORKDIR, sources read.
    fn mounts(
        &mut self,
        st: &State,
        ins: &Instruction,
        r: &crate::dockerfile::instruction::Run,
        workdir: &str,
    ) -> Result<Mounted, BuildError> {
        let parsed = {
            let env = Self::expand_env(st);
            let lexer = &self.lexer;
            let expand = |word: &str| lexer.process_word(word, &env).map_err(|e| e.to_string());
            r.mount_specs
                .iter()
                .map(|spec| parse_mount_with(spec, Some(&expand)))
                .collect::<Result<Vec<_>, _>>()
        }
        .map_err(|m| self.error_at(ins, m))?;
        let epoch = self.options.epoch;
        let mut out = Vec::new();
        let mut notices = Vec::new();
        let mut secret_env = Vec::new();
        for mount in parsed {
            let target = mount.target.as_deref().map(|t| join_workdir(workdir, t));
            if target.as_deref() == Some("/") {
                return Err(self.error_at(ins, "invalid mount target \"/\"".to_string()));
            }
            let meta = |mode: u32| {
                Meta::new(mount.mode.unwrap_or(mode))
                    .owned(mount.uid.unwrap_or(0), mount.gid.unwrap_or(0))
                    .at(epoch)
            };
            let needs_target = |runner: &Self| {
                target
                    .clone()
                    .ok_or_else(|| runner.error_at(ins, "mount target is required".to_string()))
            };
            match mount.kind {
                MountType::Bind => {
                    let target = needs_target(self)?;
                    let source = self.mount_source(st, ins, mount.from.as_deref())?;
                    let keep_owners = matches!(source, CopySource::Fs(_));
                    let selection = mounts::select(&source, mount.source.as_deref())
                        .map_err(|m| self.error_at(ins, m))?;
                    out.push(Mount::Bind {
                        plan: mounts::plan(&target, epoch, keep_owners),
                        source: mounts::source_path(mount.source.as_deref()),
                        target,
                        selection,
                        read_only: mount.read_only,
                    });
                }
                MountType::Cache => {
                    let target = needs_target(self)?;
                    let id = mount.id.clone().unwrap_or_else(|| target.clone());
                    let contents = match self.cache.mount_cache(&id) {
                        Some(kept) => Some(kept.clone()),
                        None if mount.from.is_some() => {
                            let source = self.mount_source(st, ins, mount.from.as_deref())?;
                            let selection = mounts::select(&source, mount.source.as_deref())
                                .map_err(|m| self.error_at(ins, m))?;
                            let mut seed = Vfs::with_root(meta(0o755));
                            copy::apply(&mut seed, &selection, &mounts::plan("/", epoch, true))
                                .map_err(|m| self.error_at(ins, m))?;
                            Some(seed)
                        }
                        None => None,
                    };
                    out.push(Mount::Cache {
                        target,
                        id,
                        contents,
                        meta: meta(0o755),
                    });
                }
                MountType::Tmpfs => out.push(Mount::Tmpfs {
                    target: needs_target(self)?,
                }),
                MountType::Secret => {
                    let id = mount
                        .source
                        .clone()
                        .or_else(|| mount.id.clone())
                        .or_else(|| target.as_deref().map(|t| base_name(t).to_string()))
                        .unwrap_or_default();
                    // With env= and no target the secret is only a variable.
                    let file = match (&target, &mount.env) {
                        (Some(t), _) => Some(t.clone()),
                        (None, None) => Some(format!("/run/secrets/{}", base_name(&id))),
                        (None, Some(_)) => None,
                    };
                    match self.options.secrets.iter().find(|(name, _)| *name == id) {
                        Some((_, data)) => {
                            if let Some(var) = &mount.env {
                                secret_env.push((var.clone(), String::from_utf8_lossy(data).into_owned()));
                            }
                            if let Some(target) = file {
                                out.push(Mount::Secret {
                                    target,
                                    data: data.clone(),
                                    meta: meta(0o400),
                                });
                            }
                        }
                        None if mount.required => {
                            return Err(self.error_at(ins, format!("secret {id} not found: not found (give it with --secret id={id},src=FILE)")))
                        }
                        None => notices.push(mounts::skipped("secret", format!("secret {id} was not given to the build, so this step runs without it (an optional secret mount is skipped, as in BuildKit)"))),
                    }
                }
                MountType::Ssh => {
                    let id = mount.id.clone().unwrap_or_else(|| "default".to_string());
                    if mount.required {
                        return Err(self.error_at(
                            ins,
                            format!("no SSH key \"{id}\" forwarded from the client"),
                        ));
                    }
                    notices.push(mounts::skipped("ssh", format!("no SSH agent is forwarded to layerlab's builds, so this optional ssh mount ({id}) is skipped and SSH_AUTH_SOCK is unset, as in BuildKit without --ssh")));
                }
            }
        }
        Ok(Mounted {
            mounts: out,
            notices,
            secret_env,
        })
    }

    /// Where a bind mount's (or a cache seed's) files come from: the context, an
    /// earlier stage, or an image.
    fn mount_source(
        &mut self,
        st: &State,
        ins: &Instruction,
        from: Option<&str>,
    ) -> Result<CopySource<'a>, BuildError> {
        match from {
            None => Ok(CopySource::Context(self.context)),
            Some(reference) => self.other_fs(st, ins, reference).map(CopySource::Fs),
        }
    }

    /// The filesystem of an earlier stage or an image, for `--from` and `from=`.
    fn other_fs(
        &mut self,
        st: &State,
        ins: &Instruction,
        reference: &str,
    ) -> Result<Vfs, BuildError> {
        match find_stage(self.dockerfile, reference, st.index) {
            Some(stage) => match self.results.get(&stage) {
                Some(result) => Ok(result.fs.clone()),
                None => Err(self.error_at(ins, format!("stage {reference} was not built"))),
            },
            None => run::resolve_base(self.store, self.cache, reference)
                .map(|base| base.fs)
                .map_err(|m| self.error_at(ins, m)),
        }
    }

    fn copy(
        &mut self,
        st: &mut State,
        ins: &Instruction,
        req: CopyRequest,
    ) -> Result<Outcome, BuildError> {
        let legacy = self.options.personality == Personality::Legacy;
        let sources: Vec<String> = req
            .sources
            .iter()
            .map(|s| self.expand(st, ins, s))
            .collect::<Result<_, _>>()?;
        let dest = self.expand(st, ins, &req.dest)?;
        let chown = req
            .chown
            .as_ref()
            .map(|c| self.expand(st, ins, c))
            .transpose()?;
        let from = req
            .from
            .as_ref()
            .map(|f| self.expand(st, ins, f))
            .transpose()?;
        let source = match &from {
            None => CopySource::Context(self.context),
            Some(reference) => CopySource::Fs(self.other_fs(st, ins, reference)?),
        };
        let owner = match &chown {
            Some(spec) => {
                Some(copy::resolve_chown(&st.fs, spec).map_err(|m| self.error_at(ins, m))?)
            }
            None => None,
        };
        let buildkit = self.options.personality == Personality::BuildKit;
        let selection = copy::select(
            &source,
            &sources,
            &req.contents,
            &req.excludes,
            req.keyword,
            buildkit,
        )
        .map_err(|m| self.vertex_failed(st, ins, m))?;
        let workdir = if st.image.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            st.image.config.working_dir.clone()
        };
        let plan = copy::Plan {
            keyword: req.keyword,
            dest: dest.clone(),
            workdir,
            owner,
            chmod: req.chmod.clone(),
            parents: req.parents,
            epoch: self.options.epoch,
            keep_owners: matches!(source, CopySource::Fs(_)),
        };
        let fingerprint = selection.fingerprint(&plan);
        let created_by = if legacy {
            history::legacy_copy(
                req.keyword,
                selection.legacy_kind(),
                &fingerprint.hex(),
                &req.dest,
            )
        } else {
            let flags = CopyFlags {
                parents: req.parents,
                chown: req.chown.clone(),
                chmod: req.chmod.clone(),
            };
            history::buildkit_copy(req.keyword, &flags, &sources, &dest)
        };
        let (k, verdict) = if legacy {
            self.lookup_legacy(st, ins, &created_by)
        } else {
            // A relative destination lands in the WORKDIR, so it is part of the
            // file operation (BuildKit's copy action resolves it before keying).
            let k = key(&[
                st.key.0.as_slice(),
                req.keyword.as_bytes(),
                fingerprint.0.as_slice(),
                plan.workdir.as_bytes(),
            ]);
            let mut inputs = selection.inputs();
            inputs.push(("dest".to_string(), dest.clone()));
            let now = record(&ins.original, inputs);
            (k, self.verdict(st, &k, &now))
        };
        let (uid, gid) = self.user_ids(st, ins)?;
        // A relative destination lies in the WORKDIR: the copy creates it with
        // the copy's owner, not the USER's (SEMANTICS.md §2).
        let workdir_too = dest.starts_with('/');
        let result = self.pending_then(
            st,
            (k, verdict),
            created_by,
            workdir_too,
            (uid, gid),
            |fs| copy::apply(fs, &selection, &plan),
        );
        result.map_err(|m| self.vertex_failed(st, ins, m))
    }

    /// `operation`, after creating the classic builder's pending VOLUME and (if
    /// `workdir_too`) WORKDIR directories in the same layer; clears them after.
    fn pending_then(
        &mut self,
        st: &mut State,
        (k, verdict): (Digest, Verdict),
        created_by: String,
        workdir_too: bool,
        (uid, gid): (u32, u32),
        op: impl FnOnce(&mut Vfs) -> Result<(String, Vec<Notice>), String>,
    ) -> Result<Outcome, String> {
        let legacy = self.options.personality == Personality::Legacy;
        let view =
            (legacy && (st.workdir_pending || !st.volumes_pending.is_empty())).then(|| StateView {
                workdir_pending: st.workdir_pending && workdir_too,
                volumes: st.volumes_pending.clone(),
                working_dir: st.image.config.working_dir.clone(),
            });
        let epoch = self.options.epoch;
        let result = self.operation(st, k, verdict, created_by, |fs| {
            if let Some(view) = &view {
                legacy_pending_dirs_view(view, fs, uid, gid, epoch)?;
            }
            op(fs)
        });
        if legacy {
            st.workdir_pending = false;
            st.volumes_pending.clear();
        }
        result
    }

    /// Turns a step's outcome into an intermediate image and a `Step`.
    fn commit(
        &mut self,
        st: &mut State,
        ins: &Instruction,
        outcome: Outcome,
    ) -> Result<(), BuildError> {
        let legacy = self.options.personality == Personality::Legacy;
        let created = Timestamp {
            seconds: self.options.epoch,
            nanos: 0,
        };
        let mut size = 0;
        let mut diff_id = None;
        let kind = if outcome.fs.is_some() {
            StepKind::Layer
        } else {
            StepKind::Metadata
        };
        if let Some(fs) = outcome.fs {
            st.fs = fs;
        }
        if let Some(layer) = &outcome.layer {
            let id = layer.diff_id();
            st.image.diff_ids.push(id);
            size = layer.size();
            diff_id = Some(id);
        }
        if let Some(created_by) = &outcome.created_by {
            let comment = if legacy {
                st.legacy_comment.clone()
            } else {
                BUILDKIT_COMMENT.to_string()
            };
            st.image.history.push(History {
                created: Some(created),
                created_by: created_by.clone(),
                author: String::new(),
                comment,
                empty_layer: kind == StepKind::Metadata,
            });
            st.image.created = Some(created);
        }
        let image_id = self
            .store
            .add_image(st.image.clone())
            .map_err(|e| self.error_at(ins, e.to_string()))?;
        st.image_id = image_id;
        if let Some(k) = outcome.key {
            self.cache.put(
                k,
                CachedResult {
                    image_id,
                    fs: (kind == StepKind::Layer).then(|| st.fs.clone()),
                    layer: diff_id,
                    changes: outcome.changes,
                    output: outcome.output.clone(),
                    notices: outcome.notices.clone(),
                },
            );
        }
        if legacy {
            st.legacy_comment = format!("FROM {}", image_id.short());
        }
        if kind == StepKind::Layer || legacy {
            let v = self.next_vertex();
            let label = if legacy {
                self.progress_label(&st.label, st.position, st.stage_len)
            } else {
                st.progress += 1;
                self.buildkit_label(&st.label, st.progress, st.progress_total, st.onbuild)
            };
            let name = if legacy {
                ins.original.clone()
            } else {
                self.vertex_name(st, ins)
            };
            self.log.push(format!("#{v} {label} {name}"));
            for line in outcome.output.lines() {
                self.log.push(format!("#{v} {line}"));
            }
            for notice in &outcome.notices {
                self.log.push(format!("#{v} layerlab: {}", notice.message));
            }
            self.log.push(format!(
                "#{v} {}",
                if outcome.verdict.hit {
                    "CACHED"
                } else {
                    "DONE"
                }
            ));
        }
        self.steps.push(Step {
            index: self.steps.len(),
            stage: st.index,
            stage_label: st.label.clone(),
            position: st.position,
            stage_len: st.stage_len,
            instruction: ins.original.clone(),
            line: ins.start_line,
            kind,
            cache: Some(outcome.verdict),
            image_id,
            diff_id,
            size,
            created_by: outcome.created_by,
            output: outcome.output,
            notices: outcome.notices,
            changes: outcome.changes,
            fs: st.fs.clone(),
        });
        Ok(())
    }
}

/// What the lazy-directory helper needs from the stage, copied out so the
/// operation closure does not borrow the whole state.
struct StateView {
    workdir_pending: bool,
    volumes: Vec<String>,
    working_dir: String,
}

fn legacy_pending_dirs_view(
    view: &StateView,
    fs: &mut Vfs,
    uid: u32,
    gid: u32,
    epoch: i64,
) -> Result<(), String> {
    let meta = Meta::new(0o755).at(epoch);
    for volume in &view.volumes {
        mkdir_all(fs, volume, meta)?;
    }
    if view.workdir_pending && !view.working_dir.is_empty() {
        mkdir_all(fs, &view.working_dir, meta.owned(uid, gid))?;
    }
    Ok(())
}

/// `mkdir -p` that leaves existing directories untouched.
pub(super) fn mkdir_all(fs: &mut Vfs, dir: &str, meta: Meta) -> Result<(), String> {
    fs.mkdir_all(dir, meta).map_err(|e| e.to_string())
}

/// WORKDIR's path rule: relative paths join the previous working directory.
fn join_workdir(current: &str, path: &str) -> String {
    if path.starts_with('/') {
        clean(path)
    } else {
        let base = if current.is_empty() { "/" } else { current };
        clean(&format!("{base}/{path}"))
    }
}

/// `K=V` strings as pairs (a string without `=` is a name with an empty value).
fn env_pairs(env: &[String]) -> Vec<(String, String)> {
    env.iter()
        .map(|entry| match entry.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (entry.clone(), String::new()),
        })
        .collect()
}

/// Sets `key` in a `K=V` list, in place if present (so the order of first
/// definition is kept, as Docker does).
fn set_env(env: &mut Vec<String>, key: &str, value: &str) {
    let entry = format!("{key}={value}");
    match env
        .iter_mut()
        .find(|e| e.split_once('=').map_or(e.as_str(), |(k, _)| k) == key)
    {
        Some(slot) => *slot = entry,
        None => env.push(entry),
    }
}

/// A Go `time.Duration` string (`30s`, `1m30s`, `0s`).
fn go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let total_ms = nanos / 1_000_000;
    let (h, rem) = (total_ms / 3_600_000, total_ms % 3_600_000);
    let (m, rem) = (rem / 60_000, rem % 60_000);
    let (s, ms) = (rem / 1000, rem % 1000);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if ms > 0 {
        out.push_str(&format!(
            "{s}.{}s",
            format!("{ms:03}").trim_end_matches('0')
        ));
    } else {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// `docker.io/library/NAME:latest` for a short name, as BuildKit prints it.
pub(super) fn full_name(reference: &str) -> String {
    let (name, tag) = match reference.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name.to_string(), Some(tag.to_string())),
        _ => (reference.to_string(), None),
    };
    let first = name.split('/').next().unwrap_or_default();
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    match tag {
        Some(tag) => format!("{full}:{tag}"),
        None if reference.contains('@') => full,
        None => format!("{full}:latest"),
    }
}

/// The last component of a path (a secret's default file name).
fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// A RUN's mounts resolved: what to attach, what was skipped, and the secrets
/// that `env=` turns into variables of the command.
struct Mounted {
    mounts: Vec<Mount>,
    notices: Vec<Notice>,
    secret_env: Vec<(String, String)>,
}
