//! Syntax nodes to typed instructions and build stages, with BuildKit's checks.
//!
//! This is BuildKit's `instructions` package: each node's flags and arguments
//! are validated the way `instructions/parse.go` does it and worded the same
//! (`FROM requires either one or three arguments`, `Unknown flag: foo`), so the
//! page can show Docker's own message. Variables are not expanded here: the
//! builder expands each instruction against its stage's variables
//! (`expand`, with `ArgScope` for ARGs), as BuildKit does at dispatch time.

use super::diagnostic::{Diagnostic, LineIndex, Severity};
use super::expand::{Env, ExpandError, Lexer};
use super::gotext::{quote, to_lower, trim_space};
use super::syntax::{chomp_heredoc_content, parse_heredoc, File, Heredoc, Node};

/// A parsed Dockerfile: the ARGs before the first FROM and the stages.
#[derive(Clone, Debug, PartialEq)]
pub struct Dockerfile {
    /// ARG instructions before the first FROM (visible only in FROM lines
    /// unless a stage declares them again).
    pub meta_args: Vec<Instruction>,
    /// The build stages in order.
    pub stages: Vec<Stage>,
    /// The escape character in force (`\` or a backtick).
    pub escape: char,
}

/// A build stage: `FROM [--platform=p] base [AS name]` and what follows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// The stage name from `AS name`, lower-cased as BuildKit does.
    pub name: Option<String>,
    /// The base image or earlier stage, unexpanded.
    pub base: String,
    /// The `--platform` value, unexpanded.
    pub platform: Option<String>,
    /// The FROM instruction itself.
    pub from: Instruction,
    /// The instructions after FROM, in order.
    pub instructions: Vec<Instruction>,
}

/// One instruction with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Instruction {
    /// What the instruction does, typed.
    pub command: Command,
    /// The keyword as written (`run`, `RUN`).
    pub keyword: String,
    /// The logical line after joining continuations.
    pub original: String,
    /// First line (1-based).
    pub start_line: usize,
    /// Last line, including heredoc bodies.
    pub end_line: usize,
    /// Column of the keyword (1-based).
    pub column: usize,
}

/// The typed form of every Dockerfile instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `FROM [--platform=<platform>] <image> [AS <name>]`
    From(From),
    /// `RUN [--mount=...] [--network=...] [--security=...] <command>`
    Run(Run),
    /// `CMD <command>` (the default command).
    Cmd(CommandLine),
    /// `ENTRYPOINT <command>`
    Entrypoint(CommandLine),
    /// `SHELL ["executable", "parameters"]`
    Shell(Vec<String>),
    /// `LABEL <key>=<value> ...`
    Label(Vec<KeyValue>),
    /// `MAINTAINER <name>` (deprecated, still accepted).
    Maintainer(String),
    /// `EXPOSE <port>[/<protocol>] ...`, sorted as BuildKit sorts them.
    Expose(Vec<String>),
    /// `ENV <key>=<value> ...`
    Env(Vec<KeyValue>),
    /// `ARG <name>[=<default>] ...`
    Arg(Vec<ArgDefinition>),
    /// `ADD [--chown=...] [--chmod=...] [--link] [--keep-git-dir] [--checksum=...] <src>... <dest>`
    Add(Add),
    /// `COPY [--from=...] [--chown=...] [--chmod=...] [--link] [--parents] [--exclude=...] <src>... <dest>`
    Copy(Copy),
    /// `VOLUME <path> ...`
    Volume(Vec<String>),
    /// `USER <user>[:<group>]`
    User(String),
    /// `WORKDIR <path>`
    Workdir(String),
    /// `ONBUILD <instruction>`
    Onbuild(Onbuild),
    /// `STOPSIGNAL <signal>`
    StopSignal(String),
    /// `HEALTHCHECK NONE` or `HEALTHCHECK [options] CMD <command>`
    Healthcheck(Healthcheck),
}

/// `FROM [--platform=<platform>] <image> [AS <name>]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct From {
    /// The base image or stage, unexpanded.
    pub base: String,
    /// The lower-cased stage name.
    pub name: Option<String>,
    /// The `--platform` value.
    pub platform: Option<String>,
}

/// A command in shell or exec form, with the heredocs that feed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandLine {
    /// Exec form: the JSON array; shell form: one string.
    pub args: Vec<String>,
    /// True for shell form: the stage's SHELL runs `args[0]`.
    pub prepend_shell: bool,
    /// Heredoc bodies given to the command as files.
    pub files: Vec<InlineFile>,
}

/// A heredoc body handed to RUN (`RUN <<EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineFile {
    /// The heredoc name.
    pub name: String,
    /// The body as written (leading tabs still there).
    pub data: String,
    /// `<<-`: strip leading tabs before use.
    pub chomp: bool,
}

/// `RUN` with its flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// What to run.
    pub command: CommandLine,
    /// `--mount` values, parsed as written (a value with `$` is left out).
    pub mounts: Vec<Mount>,
    /// `--mount` values as written: the builder expands each field with the
    /// stage's ARG and ENV and parses them again, as BuildKit does.
    pub mount_specs: Vec<String>,
    /// `--network=default|none|host`.
    pub network: Option<String>,
    /// `--security=sandbox|insecure`.
    pub security: Option<String>,
}

/// The kind of a `RUN --mount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountType {
    /// Files from the context or another stage, read-only by default.
    Bind,
    /// A persistent cache directory.
    Cache,
    /// An empty in-memory directory.
    Tmpfs,
    /// A build secret as a file.
    Secret,
    /// An SSH agent socket.
    Ssh,
}

/// One `RUN --mount=type=...,target=...` (values unexpanded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// The mount type (`bind` if not given).
    pub kind: MountType,
    /// `from=`: a stage or image to take files from.
    pub from: Option<String>,
    /// `source=`/`src=`.
    pub source: Option<String>,
    /// `target=`/`dst=`/`destination=`.
    pub target: Option<String>,
    /// Read-only (defaults: true except for cache and tmpfs).
    pub read_only: bool,
    /// `id=` of a cache or secret.
    pub id: Option<String>,
    /// `sharing=shared|private|locked` of a cache.
    pub sharing: Option<String>,
    /// `required` for secret and ssh.
    pub required: bool,
    /// `mode=` in octal.
    pub mode: Option<u32>,
    /// `uid=`.
    pub uid: Option<u32>,
    /// `gid=`.
    pub gid: Option<u32>,
    /// `env=NAME` of a secret: the value in that environment variable instead of
    /// (or besides, with a target) a file.
    pub env: Option<String>,
}

/// A `key=value` of ENV or LABEL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    /// The name, unexpanded.
    pub key: String,
    /// The value, unexpanded (quotes still there).
    pub value: String,
    /// Written in the legacy `ENV key value` form.
    pub legacy: bool,
}

/// One name of an ARG line, with its default if it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDefinition {
    /// The variable name.
    pub name: String,
    /// The default after `=`, unexpanded.
    pub default: Option<String>,
}

/// A heredoc used as a COPY/ADD source: the file's content is the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceContent {
    /// The heredoc name, used as the file name.
    pub path: String,
    /// The body, with leading tabs removed for `<<-`.
    pub data: String,
    /// Whether variables in the body are expanded (unquoted name).
    pub expand: bool,
}

/// `ADD` with its flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Add {
    /// Source paths or URLs, unexpanded.
    pub sources: Vec<String>,
    /// Heredoc sources.
    pub contents: Vec<SourceContent>,
    /// Destination, unexpanded.
    pub dest: String,
    /// `--chown=user:group`.
    pub chown: Option<String>,
    /// `--chmod=mode`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--keep-git-dir`.
    pub keep_git_dir: bool,
    /// `--checksum=sha256:...`.
    pub checksum: Option<String>,
    /// `--exclude=pattern` (repeatable).
    pub excludes: Vec<String>,
}

/// `COPY` with its flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    /// Source paths, unexpanded.
    pub sources: Vec<String>,
    /// Heredoc sources.
    pub contents: Vec<SourceContent>,
    /// Destination, unexpanded.
    pub dest: String,
    /// `--from=stage|image`.
    pub from: Option<String>,
    /// `--chown=user:group`.
    pub chown: Option<String>,
    /// `--chmod=mode`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--parents`.
    pub parents: bool,
    /// `--exclude=pattern` (repeatable).
    pub excludes: Vec<String>,
}

/// `ONBUILD <instruction>`: kept as text, run when the image is used as a base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Onbuild {
    /// The trigger's text (`RUN echo hi`), heredoc bodies appended.
    pub expression: String,
    /// The trigger's keyword, upper-cased.
    pub trigger: String,
}

/// `HEALTHCHECK`: `NONE` or a test command with timings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    /// `["NONE"]`, `["CMD", args...]` or `["CMD-SHELL", command]`, as in the image config.
    pub test: Vec<String>,
    /// `--interval` in nanoseconds (0 if not given).
    pub interval_ns: u64,
    /// `--timeout` in nanoseconds.
    pub timeout_ns: u64,
    /// `--start-period` in nanoseconds.
    pub start_period_ns: u64,
    /// `--start-interval` in nanoseconds.
    pub start_interval_ns: u64,
    /// `--retries` (0 if not given).
    pub retries: u32,
}

impl Command {
    /// Whether the builder expands `$VAR` in this instruction's arguments
    /// (BuildKit's `SupportsSingleWordExpansion`): FROM (against the meta
    /// ARGs), ENV, LABEL, ARG defaults, ADD, COPY (paths, `--chown`,
    /// `--chmod`, `--from`), EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, and the
    /// `--mount` values of RUN. Commands themselves (RUN, CMD, ENTRYPOINT,
    /// HEALTHCHECK, SHELL) are left to the shell, and MAINTAINER and ONBUILD
    /// are kept as written.
    pub fn expands_variables(&self) -> bool {
        !matches!(
            self,
            Command::Cmd(_)
                | Command::Entrypoint(_)
                | Command::Shell(_)
                | Command::Maintainer(_)
                | Command::Onbuild(_)
                | Command::Healthcheck(_)
        )
    }
}

impl Dockerfile {
    /// Every instruction in file order with the index of its stage (`None`
    /// for meta ARGs); a stage's FROM belongs to that stage.
    pub fn instructions(&self) -> Vec<(Option<usize>, &Instruction)> {
        let mut out: Vec<(Option<usize>, &Instruction)> =
            self.meta_args.iter().map(|i| (None, i)).collect();
        for (index, stage) in self.stages.iter().enumerate() {
            out.push((Some(index), &stage.from));
            out.extend(stage.instructions.iter().map(|i| (Some(index), i)));
        }
        crate::sort::sort_by_key(&mut out, |(_, i)| i.start_line);
        out
    }
}

/// Turns a syntax tree into stages. Each invalid instruction becomes a
/// diagnostic and is left out (BuildKit stops at the first one; the editor
/// wants them all), so the result is usable even with errors.
pub fn from_file(file: File, text: &str) -> (Dockerfile, Vec<Diagnostic>) {
    let mut dockerfile = Dockerfile {
        meta_args: Vec::new(),
        stages: Vec::new(),
        escape: file.escape,
    };
    let mut diagnostics = Vec::new();
    let mut index: Option<LineIndex> = None;
    let mut error = |start: usize, end: usize, message: String| {
        let index = index.get_or_insert_with(|| LineIndex::new(text));
        index.diagnostic(start, end, Severity::Error, message)
    };
    for node in file.children {
        let (start_line, end_line) = (node.start_line, node.end_line);
        let instruction = match parse_instruction(node) {
            Ok(instruction) => instruction,
            Err(message) => {
                diagnostics.push(error(start_line, end_line, message));
                continue;
            }
        };
        if let Command::From(from) = &instruction.command {
            dockerfile.stages.push(Stage {
                name: from.name.clone(),
                base: from.base.clone(),
                platform: from.platform.clone(),
                from: instruction,
                instructions: Vec::new(),
            });
            continue;
        }
        match dockerfile.stages.last_mut() {
            Some(stage) => stage.instructions.push(instruction),
            None if matches!(instruction.command, Command::Arg(_)) => {
                dockerfile.meta_args.push(instruction)
            }
            None => diagnostics.push(error(
                start_line,
                end_line,
                "no build stage in current context".to_string(),
            )),
        }
    }
    (dockerfile, diagnostics)
}

/// Parses one instruction node (BuildKit's `ParseInstruction`).
pub fn parse_instruction(mut node: Node) -> Result<Instruction, String> {
    let args = node_args(std::mem::take(&mut node.next));
    let request = Request {
        args,
        flags: Flags::new(std::mem::take(&mut node.flags)),
        json: node.json,
        original: &node.original,
        heredocs: &node.heredocs,
    };
    let command = match node.keyword().unwrap_or("") {
        "env" => parse_env(request, "ENV").map(Command::Env),
        "maintainer" => parse_maintainer(request),
        "label" => parse_env(request, "LABEL").map(Command::Label),
        "add" => parse_add(request),
        "copy" => parse_copy(request),
        "from" => parse_from(request),
        "onbuild" => parse_onbuild(request),
        "workdir" => exactly_one(request, "WORKDIR").map(Command::Workdir),
        "run" => parse_run(request),
        "cmd" => parse_cmd(request).map(Command::Cmd),
        "healthcheck" => parse_healthcheck(request),
        "entrypoint" => parse_cmd(request).map(Command::Entrypoint),
        "expose" => parse_expose(request),
        "user" => exactly_one(request, "USER").map(Command::User),
        "volume" => parse_volume(request),
        "stopsignal" => parse_stop_signal(request),
        "arg" => parse_arg(request),
        "shell" => parse_shell(request),
        _ => Err(format!("unknown instruction: {}", node.value)),
    }?;
    Ok(Instruction {
        command,
        keyword: node.value,
        original: node.original,
        start_line: node.start_line,
        end_line: node.end_line,
        column: node.column,
    })
}

struct Request<'a> {
    args: Vec<String>,
    flags: Flags,
    json: bool,
    original: &'a str,
    heredocs: &'a [Heredoc],
}

/// BuildKit's `nodeArgs`: argument values; ONBUILD's sub-instruction is
/// flattened to its keyword followed by its arguments.
fn node_args(next: Vec<Node>) -> Vec<String> {
    let mut out = Vec::with_capacity(next.len());
    for mut arg in next {
        match arg.children.len() {
            0 => out.push(arg.value),
            1 => {
                let child = arg.children.swap_remove(0);
                out.push(child.value);
                out.extend(node_args(child.next));
            }
            _ => {}
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum FlagKind {
    Bool,
    String,
    Strings,
}

/// BuildKit's `BFlags`: the flags an instruction accepts, checked against
/// what was written.
struct Flags {
    written: Vec<String>,
    known: &'static [(&'static str, FlagKind)],
    values: Vec<(&'static str, String)>,
}

impl Flags {
    fn new(written: Vec<String>) -> Flags {
        Flags {
            written,
            known: &[],
            values: Vec::new(),
        }
    }

    fn accept(&mut self, known: &'static [(&'static str, FlagKind)]) {
        self.known = known;
    }

    fn parse(&mut self) -> Result<(), String> {
        for word in &self.written {
            let Some(body) = word.strip_prefix("--") else {
                return Err(format!("Arg should start with -- : {word}"));
            };
            let (name, value) = match body.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (body, None),
            };
            let Some(&(known, kind)) = self.known.iter().find(|(n, _)| *n == name) else {
                return Err(format!("Unknown flag: {name}"));
            };
            if kind != FlagKind::Strings && self.values.iter().any(|(n, _)| *n == known) {
                return Err(format!("Duplicate flag specified: {name}"));
            }
            let value = match (kind, value) {
                (FlagKind::Bool, Some("")) => {
                    return Err(format!("Missing a value on flag: {name}"))
                }
                (FlagKind::Bool, None) => "true".to_string(),
                (FlagKind::Bool, Some(v)) => match v.to_ascii_lowercase().as_str() {
                    "true" | "false" => v.to_ascii_lowercase(),
                    _ => return Err(format!("Expecting boolean value for flag {name}, not: {v}")),
                },
                (_, None) => return Err(format!("Missing a value on flag: {name}")),
                (_, Some(v)) => v.to_string(),
            };
            self.values.push((known, value));
        }
        Ok(())
    }

    fn string(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    fn strings(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn bool(&self, name: &str) -> bool {
        self.string(name).as_deref() == Some("true")
    }
}

fn at_least_one(command: &str) -> String {
    format!("{command} requires at least one argument")
}

fn exactly_one_message(command: &str) -> String {
    format!("{command} requires exactly one argument")
}

fn exactly_one(mut request: Request, command: &str) -> Result<String, String> {
    if request.args.len() != 1 {
        return Err(exactly_one_message(command));
    }
    request.flags.parse()?;
    Ok(request.args.remove(0))
}

fn parse_env(mut request: Request, command: &str) -> Result<Vec<KeyValue>, String> {
    request.flags.parse()?;
    if request.args.is_empty() {
        return Err(at_least_one(command));
    }
    if request.args.len() % 3 != 0 {
        return Err(format!("Bad input to {command}, too many arguments"));
    }
    let mut pairs = Vec::with_capacity(request.args.len() / 3);
    let mut args = request.args.into_iter();
    while let (Some(key), Some(value), Some(separator)) = (args.next(), args.next(), args.next()) {
        if key.is_empty() {
            return Err(format!("{command} names can not be blank"));
        }
        pairs.push(KeyValue {
            key,
            value,
            legacy: separator.is_empty(),
        });
    }
    Ok(pairs)
}

fn parse_maintainer(request: Request) -> Result<Command, String> {
    exactly_one(request, "MAINTAINER").map(Command::Maintainer)
}

/// Splits COPY/ADD arguments into path sources, heredoc sources and the destination.
fn sources_and_dest(
    request: &mut Request,
    command: &str,
) -> Result<(Vec<String>, Vec<SourceContent>, String), String> {
    let mut sources = std::mem::take(&mut request.args);
    let dest = sources.pop().ok_or_else(|| at_least_one(command))?;
    if parse_heredoc(&dest).ok().flatten().is_some() {
        return Err(format!(
            "{command} cannot accept a heredoc as a destination"
        ));
    }
    let mut paths = Vec::with_capacity(sources.len());
    let mut contents = Vec::new();
    for source in sources {
        match parse_heredoc(&source).ok().flatten() {
            Some(doc) => {
                let body = request
                    .heredocs
                    .iter()
                    .rev()
                    .find(|h| h.name == doc.name)
                    .map(|h| h.content.as_str())
                    .unwrap_or_default();
                let data = if doc.chomp {
                    chomp_heredoc_content(body)
                } else {
                    body.to_string()
                };
                contents.push(SourceContent {
                    path: doc.name,
                    data,
                    expand: doc.expand,
                });
            }
            None => paths.push(source),
        }
    }
    Ok((paths, contents, dest))
}

fn no_destination(command: &str) -> String {
    format!("{command} requires at least two arguments, but only one was provided. Destination could not be determined")
}

fn parse_add(mut request: Request) -> Result<Command, String> {
    if request.args.len() < 2 {
        return Err(no_destination("ADD"));
    }
    request.flags.accept(&[
        ("exclude", FlagKind::Strings),
        ("chown", FlagKind::String),
        ("chmod", FlagKind::String),
        ("link", FlagKind::Bool),
        ("keep-git-dir", FlagKind::Bool),
        ("checksum", FlagKind::String),
    ]);
    request.flags.parse()?;
    let (sources, contents, dest) = sources_and_dest(&mut request, "ADD")?;
    let flags = &request.flags;
    Ok(Command::Add(Add {
        sources,
        contents,
        dest,
        chown: flags.string("chown"),
        chmod: flags.string("chmod"),
        link: flags.bool("link"),
        keep_git_dir: flags.bool("keep-git-dir"),
        checksum: flags.string("checksum"),
        excludes: flags.strings("exclude"),
    }))
}

fn parse_copy(mut request: Request) -> Result<Command, String> {
    if request.args.len() < 2 {
        return Err(no_destination("COPY"));
    }
    request.flags.accept(&[
        ("exclude", FlagKind::Strings),
        ("parents", FlagKind::Bool),
        ("chown", FlagKind::String),
        ("from", FlagKind::String),
        ("chmod", FlagKind::String),
        ("link", FlagKind::Bool),
    ]);
    request.flags.parse()?;
    let (sources, contents, dest) = sources_and_dest(&mut request, "COPY")?;
    let flags = &request.flags;
    Ok(Command::Copy(Copy {
        sources,
        contents,
        dest,
        from: flags.string("from"),
        chown: flags.string("chown"),
        chmod: flags.string("chmod"),
        link: flags.bool("link"),
        parents: flags.bool("parents"),
        excludes: flags.strings("exclude"),
    }))
}

fn parse_from(mut request: Request) -> Result<Command, String> {
    let name = match request.args.as_slice() {
        [_, as_word, name] if as_word.eq_ignore_ascii_case("as") => {
            let lower = to_lower(name);
            let mut chars = lower.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                });
            if !valid {
                return Err(format!(
                    "invalid name for build stage: {}, name can't start with a number or contain symbols",
                    quote(name)
                ));
            }
            Some(lower)
        }
        [_] => None,
        _ => return Err("FROM requires either one or three arguments".to_string()),
    };
    request.flags.accept(&[("platform", FlagKind::String)]);
    request.flags.parse()?;
    Ok(Command::From(From {
        base: request.args.swap_remove(0),
        name,
        platform: request.flags.string("platform"),
    }))
}

fn parse_onbuild(mut request: Request) -> Result<Command, String> {
    let Some(first) = request.args.first() else {
        return Err(at_least_one("ONBUILD"));
    };
    let trigger = trim_space(first).to_uppercase();
    request.flags.parse()?;
    match trigger.as_str() {
        "ONBUILD" => return Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string()),
        "MAINTAINER" | "FROM" => {
            return Err(format!("{trigger} isn't allowed as an ONBUILD trigger"))
        }
        _ => {}
    }
    let mut expression = strip_onbuild_keyword(request.original).to_string();
    for heredoc in request.heredocs {
        expression.push('\n');
        expression.push_str(&heredoc.content);
        expression.push_str(&heredoc.name);
    }
    Ok(Command::Onbuild(Onbuild {
        expression,
        trigger,
    }))
}

/// Go regexp `(?i)^\s*ONBUILD\s*` removed from the original line.
fn strip_onbuild_keyword(original: &str) -> &str {
    let blank = |c: char| matches!(c, '\t' | '\n' | '\u{0C}' | '\r' | ' ');
    let rest = original.trim_start_matches(blank);
    match rest.get(..7) {
        Some(word) if word.eq_ignore_ascii_case("onbuild") => rest[7..].trim_start_matches(blank),
        _ => original,
    }
}

/// BuildKit's `handleJSONArgs`: exec form keeps the array, shell form is one
/// string (the words joined by single spaces).
fn command_line(request: &mut Request) -> CommandLine {
    let mut args = std::mem::take(&mut request.args);
    if !request.json && args.len() > 1 {
        args = vec![args.join(" ")];
    }
    CommandLine {
        args,
        prepend_shell: !request.json,
        files: request
            .heredocs
            .iter()
            .map(|h| InlineFile {
                name: h.name.clone(),
                data: h.content.clone(),
                chomp: h.chomp,
            })
            .collect(),
    }
}

fn parse_run(mut request: Request) -> Result<Command, String> {
    request.flags.accept(&[
        ("mount", FlagKind::Strings),
        ("network", FlagKind::String),
        ("security", FlagKind::String),
    ]);
    request.flags.parse()?;
    let command = command_line(&mut request);
    let mount_specs = request.flags.strings("mount");
    let mounts = mount_specs
        .iter()
        .map(|value| parse_mount(value))
        .collect::<Result<Vec<_>, _>>()?;
    let network = request.flags.string("network");
    if let Some(mode) = network.as_deref() {
        if !matches!(mode, "" | "default" | "none" | "host") && !mode.contains('$') {
            return Err(format!("unsupported network mode {}", quote(mode)));
        }
    }
    let security = request.flags.string("security");
    if let Some(mode) = security.as_deref() {
        if !matches!(mode, "sandbox" | "insecure") && !mode.contains('$') {
            return Err(format!("unsupported security mode {}", quote(mode)));
        }
    }
    Ok(Command::Run(Run {
        command,
        mounts,
        mount_specs,
        network: network.filter(|n| !n.is_empty()),
        security,
    }))
}

/// Parses a `--mount` value (CSV of `key=value` fields) as BuildKit's
/// `parseMount` does, with the values as written. BuildKit checks most
/// fields only once expanded, at build time; here they are checked at once
/// (same messages, earlier), except values that contain `$`, which the
/// builder must expand and check again.
pub fn parse_mount(value: &str) -> Result<Mount, String> {
    parse_mount_with(value, None)
}

/// A value expander: the builder's ARG/ENV substitution of one field value.
pub type Expand<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// `parse_mount` at build time: every field value goes through `expand` first,
/// so `target=$DIR` and `id=${TARGETPLATFORM}` work, as in BuildKit.
pub fn parse_mount_with(value: &str, expand: Option<Expand<'_>>) -> Result<Mount, String> {
    let fields = split_csv(value).map_err(|e| format!("failed to parse csv mounts: {e}"))?;
    let mut mount = Mount {
        kind: MountType::Bind,
        from: None,
        source: None,
        target: None,
        read_only: false,
        id: None,
        sharing: None,
        required: false,
        mode: None,
        uid: None,
        gid: None,
        env: None,
    };
    let mut read_only_auto = true;
    let secret_or_ssh = |m: &Mount| matches!(m.kind, MountType::Secret | MountType::Ssh);
    for field in &fields {
        let (key, value) = match field.split_once('=') {
            Some((key, value)) => (key.to_ascii_lowercase(), Some(value)),
            None => (field.to_ascii_lowercase(), None),
        };
        let Some(value) = value else {
            match key.as_str() {
                "readonly" | "ro" => mount.read_only = true,
                "readwrite" | "rw" => mount.read_only = false,
                "required" if secret_or_ssh(&mount) => mount.required = true,
                "required" => {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        mount_type_name(mount.kind)
                    ))
                }
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
            if key != "required" {
                read_only_auto = false;
            }
            continue;
        };
        let expanded;
        let value = match expand {
            Some(expand) => {
                expanded = expand(value)?;
                expanded.as_str()
            }
            None if key == "from" && has_variable(value) => {
                return Err(format!(
                    "'{key}' doesn't support variable expansion, define alias stage instead"
                ));
            }
            None if value.contains('$') => continue,
            None => value,
        };
        let parse_bool = |v: &str| match v {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
            _ => Err(format!("invalid value for {key}: {v}")),
        };
        match key.as_str() {
            "type" => {
                mount.kind = match value.to_ascii_lowercase().as_str() {
                    "bind" => MountType::Bind,
                    "cache" => MountType::Cache,
                    "tmpfs" => MountType::Tmpfs,
                    "secret" => MountType::Secret,
                    "ssh" => MountType::Ssh,
                    _ => return Err(format!("unsupported mount type {}", quote(value))),
                }
            }
            "from" => mount.from = Some(value.to_string()),
            "source" | "src" => mount.source = Some(value.to_string()),
            "target" | "dst" | "destination" => mount.target = Some(value.to_string()),
            "readonly" | "ro" => {
                mount.read_only = parse_bool(value)?;
                read_only_auto = false;
            }
            "readwrite" | "rw" => {
                mount.read_only = !parse_bool(value)?;
                read_only_auto = false;
            }
            "required" if secret_or_ssh(&mount) => mount.required = parse_bool(value)?,
            "required" => {
                return Err(format!(
                    "unexpected key '{key}' for mount type '{}'",
                    mount_type_name(mount.kind)
                ))
            }
            "id" => mount.id = Some(value.to_string()),
            "env" if mount.kind == MountType::Secret => mount.env = Some(value.to_string()),
            "env" => {
                return Err(format!(
                    "unexpected key '{key}' for mount type '{}'",
                    mount_type_name(mount.kind)
                ))
            }
            "sharing" => {
                let lower = value.to_ascii_lowercase();
                if !matches!(lower.as_str(), "shared" | "private" | "locked") {
                    return Err(format!("unsupported sharing value {}", quote(value)));
                }
                mount.sharing = Some(lower);
            }
            "mode" => {
                mount.mode = Some(
                    u32::from_str_radix(value, 8)
                        .map_err(|_| format!("invalid value {value} for mode"))?,
                )
            }
            "uid" => {
                mount.uid = Some(
                    value
                        .parse()
                        .map_err(|_| format!("invalid value {value} for uid"))?,
                )
            }
            "gid" => {
                mount.gid = Some(
                    value
                        .parse()
                        .map_err(|_| format!("invalid value {value} for gid"))?,
                )
            }
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    let file_info_allowed = matches!(
        mount.kind,
        MountType::Secret | MountType::Ssh | MountType::Cache
    );
    let type_name = quote(mount_type_name(mount.kind));
    for (set, what) in [
        (mount.mode.is_some(), "mode"),
        (mount.uid.is_some(), "uid"),
        (mount.gid.is_some(), "gid"),
    ] {
        if set && !file_info_allowed {
            return Err(format!("{what} not allowed for {type_name} type mounts"));
        }
    }
    if read_only_auto {
        mount.read_only = !matches!(mount.kind, MountType::Cache | MountType::Tmpfs);
    }
    if mount.sharing.is_some() && mount.kind != MountType::Cache {
        return Err(format!(
            "invalid cache sharing set for {} mount",
            mount_type_name(mount.kind)
        ));
    }
    if mount.kind == MountType::Secret {
        if mount.from.is_some() {
            return Err("secret mount should not have a from".to_string());
        }
        if mount.sharing.is_some() {
            return Err("secret mount should not define sharing".to_string());
        }
        if mount.source.is_none() && mount.target.is_none() && mount.id.is_none() {
            return Err("invalid secret mount. one of source, target required".to_string());
        }
        if mount.source.is_some() && mount.id.is_some() {
            return Err("both source and id can't be set".to_string());
        }
    }
    Ok(mount)
}

fn has_variable(value: &str) -> bool {
    value
        .find('$')
        .is_some_and(|at| value[at + 1..].chars().next().is_some_and(|c| c != '\n'))
}

/// The name BuildKit uses for a mount type in messages.
pub fn mount_type_name(kind: MountType) -> &'static str {
    match kind {
        MountType::Bind => "bind",
        MountType::Cache => "cache",
        MountType::Tmpfs => "tmpfs",
        MountType::Secret => "secret",
        MountType::Ssh => "ssh",
    }
}

/// One CSV record as Go's `encoding/csv` reads it: `"` quotes a field, `""`
/// is a quote inside one, a quote elsewhere is an error.
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    let mut column = 1;
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            column += 1;
            loop {
                match chars.next() {
                    None => return Err(format!("parse error on line 1, column {column}: extraneous or missing \" in quoted-field")),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        column += 2;
                        field.push('"');
                    }
                    Some('"') => {
                        column += 1;
                        match chars.peek() {
                            None | Some(',') => break,
                            Some(_) => return Err(format!("parse error on line 1, column {column}: extraneous or missing \" in quoted-field")),
                        }
                    }
                    Some(c) => {
                        column += 1;
                        field.push(c);
                    }
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if c == '"' {
                    return Err(format!(
                        "parse error on line 1, column {column}: bare \" in non-quoted-field"
                    ));
                }
                field.push(c);
                column += 1;
                chars.next();
            }
        }
        fields.push(field);
        match chars.next() {
            Some(',') => column += 1,
            _ => return Ok(fields),
        }
    }
}

fn parse_cmd(mut request: Request) -> Result<CommandLine, String> {
    request.flags.parse()?;
    Ok(command_line(&mut request))
}

fn parse_healthcheck(mut request: Request) -> Result<Command, String> {
    let Some(first) = request.args.first() else {
        return Err(at_least_one("HEALTHCHECK"));
    };
    let kind = first.to_uppercase();
    let rest = request.args[1..].to_vec();
    if kind == "NONE" {
        if !rest.is_empty() {
            return Err("HEALTHCHECK NONE takes no arguments".to_string());
        }
        return Ok(Command::Healthcheck(Healthcheck {
            test: vec![kind],
            interval_ns: 0,
            timeout_ns: 0,
            start_period_ns: 0,
            start_interval_ns: 0,
            retries: 0,
        }));
    }
    request.flags.accept(&[
        ("interval", FlagKind::String),
        ("timeout", FlagKind::String),
        ("start-period", FlagKind::String),
        ("start-interval", FlagKind::String),
        ("retries", FlagKind::String),
    ]);
    request.flags.parse()?;
    if kind != "CMD" {
        return Err(format!(
            "Unknown type {} in HEALTHCHECK (try CMD)",
            quote(&kind)
        ));
    }
    let command = if request.json || rest.is_empty() {
        rest
    } else {
        vec![rest.join(" ")]
    };
    if command.is_empty() {
        return Err("Missing command after HEALTHCHECK CMD".to_string());
    }
    let mut test = vec![if request.json {
        "CMD".to_string()
    } else {
        "CMD-SHELL".to_string()
    }];
    test.extend(command);
    let interval = |name: &str| -> Result<u64, String> {
        let Some(value) = request.flags.string(name).filter(|v| !v.is_empty()) else {
            return Ok(0);
        };
        let nanos = parse_duration(&value)?;
        if nanos != 0 && nanos < 1_000_000 {
            return Err(format!("Interval {} cannot be less than 1ms", quote(name)));
        }
        Ok(nanos)
    };
    let retries = match request.flags.string("retries").filter(|v| !v.is_empty()) {
        None => 0,
        Some(value) => {
            let parsed: i64 = value
                .parse()
                .ok()
                .filter(|n: &i64| i32::try_from(*n).is_ok())
                .ok_or_else(|| {
                    format!(
                        "strconv.ParseInt: parsing {}: invalid syntax",
                        quote(&value)
                    )
                })?;
            if parsed < 1 {
                return Err(format!("--retries must be at least 1 (not {parsed})"));
            }
            parsed as u32
        }
    };
    Ok(Command::Healthcheck(Healthcheck {
        test,
        interval_ns: interval("interval")?,
        timeout_ns: interval("timeout")?,
        start_period_ns: interval("start-period")?,
        start_interval_ns: interval("start-interval")?,
        retries,
    }))
}

/// Go's `time.ParseDuration` (`1h2m3.5s`, `300ms`), in nanoseconds; negative
/// durations are rejected since no Dockerfile option can use them.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let invalid = || format!("time: invalid duration {}", quote(text));
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() || rest.starts_with('-') {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale: f64 = match unit {
            "" => return Err(format!("time: missing unit in duration {}", quote(text))),
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(text)
                ))
            }
        };
        total += number.parse::<f64>().map_err(|_| invalid())? * scale;
    }
    if total > 9.2e18 {
        return Err(invalid());
    }
    Ok(total as u64)
}

fn parse_expose(mut request: Request) -> Result<Command, String> {
    if request.args.is_empty() {
        return Err(at_least_one("EXPOSE"));
    }
    request.flags.parse()?;
    let mut ports = request.args;
    crate::sort::sort(&mut ports);
    Ok(Command::Expose(ports))
}

fn parse_volume(mut request: Request) -> Result<Command, String> {
    if request.args.is_empty() {
        return Err(at_least_one("VOLUME"));
    }
    request.flags.parse()?;
    let mut volumes = Vec::new();
    for volume in &request.args {
        let volume = trim_space(volume);
        if volume.is_empty() {
            return Err("VOLUME specified can not be an empty string".to_string());
        }
        volumes.push(volume.to_string());
    }
    Ok(Command::Volume(volumes))
}

fn parse_stop_signal(mut request: Request) -> Result<Command, String> {
    if request.args.len() != 1 {
        return Err(exactly_one_message("STOPSIGNAL"));
    }
    Ok(Command::StopSignal(request.args.remove(0)))
}

fn parse_arg(mut request: Request) -> Result<Command, String> {
    if request.args.is_empty() {
        return Err(at_least_one("ARG"));
    }
    request.flags.parse()?;
    request
        .args
        .iter()
        .map(|arg| match arg.split_once('=') {
            Some(("", _)) => Err("ARG names can not be blank".to_string()),
            Some((name, default)) => Ok(ArgDefinition {
                name: name.to_string(),
                default: Some(default.to_string()),
            }),
            None => Ok(ArgDefinition {
                name: arg.clone(),
                default: None,
            }),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Command::Arg)
}

fn parse_shell(mut request: Request) -> Result<Command, String> {
    request.flags.parse()?;
    let line = command_line(&mut request);
    if line.args.is_empty() {
        return Err(at_least_one("SHELL"));
    }
    if !request.json {
        return Err("SHELL requires the arguments to be in JSON form".to_string());
    }
    Ok(Command::Shell(line.args))
}

/// The platform a build runs on or targets, for the predefined ARGs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    /// `linux`.
    pub os: String,
    /// `amd64`, `arm64`, ...
    pub architecture: String,
    /// `v7` for `arm/v7`, empty if none.
    pub variant: String,
}

impl Platform {
    /// `os/arch[/variant]`, as in TARGETPLATFORM.
    pub fn spec(&self) -> String {
        if self.variant.is_empty() {
            format!("{}/{}", self.os, self.architecture)
        } else {
            format!("{}/{}/{}", self.os, self.architecture, self.variant)
        }
    }
}

/// The proxy variables BuildKit passes to RUN from `--build-arg` without an
/// ARG declaration (and leaves out of the image history).
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The automatic platform ARGs (TARGETPLATFORM, BUILDARCH, ...) BuildKit
/// defines in the global scope.
pub fn platform_args(target: &Platform, build: &Platform) -> Vec<(String, String)> {
    let pairs = [
        ("BUILDPLATFORM", build.spec()),
        ("BUILDOS", build.os.clone()),
        ("BUILDARCH", build.architecture.clone()),
        ("BUILDVARIANT", build.variant.clone()),
        ("TARGETPLATFORM", target.spec()),
        ("TARGETOS", target.os.clone()),
        ("TARGETARCH", target.architecture.clone()),
        ("TARGETVARIANT", target.variant.clone()),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// ARG scoping, BuildKit's rules: the global scope holds the platform ARGs
/// and the meta ARGs (defaults expanded in order, `--build-arg` overriding);
/// FROM lines expand against it; a stage sees a global only by declaring it
/// again with `ARG NAME`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgScope {
    globals: Vec<(String, String)>,
    build_args: Vec<(String, String)>,
}

impl ArgScope {
    /// Evaluates the meta ARGs (the `meta_args` of a `Dockerfile`) against
    /// `build_args` (`--build-arg` values) and the platform ARGs.
    pub fn new(
        meta_args: &[Instruction],
        build_args: &[(String, String)],
        platform_args: Vec<(String, String)>,
        escape: char,
    ) -> Result<ArgScope, ExpandError> {
        let lexer = Lexer::new(escape);
        let mut globals = platform_args;
        for instruction in meta_args {
            let Command::Arg(definitions) = &instruction.command else {
                continue;
            };
            for definition in definitions {
                let mut value = match &definition.default {
                    Some(default) => Some(lexer.process_word(default, &globals)?),
                    None => None,
                };
                if let Some(given) = build_args.lookup(&definition.name) {
                    value = Some(given.to_string());
                }
                if let Some(value) = value {
                    globals.retain(|(k, _)| *k != definition.name);
                    globals.push((definition.name.clone(), value));
                }
            }
        }
        Ok(ArgScope {
            globals,
            build_args: build_args.to_vec(),
        })
    }

    /// The variables a FROM line (its image and `--platform`) expands against.
    pub fn from_env(&self) -> &[(String, String)] {
        &self.globals
    }

    /// The value an `ARG` in a stage gives `definition`, given the stage's
    /// current variables: the `--build-arg` value if any, else the expanded
    /// default, else the global value of that name; `None` leaves it unset.
    pub fn stage_arg(
        &self,
        definition: &ArgDefinition,
        stage_env: &[(String, String)],
        escape: char,
    ) -> Result<Option<String>, ExpandError> {
        if let Some(given) = self.build_args.lookup(&definition.name) {
            return Ok(Some(given.to_string()));
        }
        match &definition.default {
            Some(default) => Lexer::new(escape)
                .process_word(default, stage_env)
                .map(Some),
            None => Ok(self.globals.lookup(&definition.name).map(str::to_string)),
        }
    }

    /// The proxy variables from `--build-arg` that RUN sees without a declaration.
    pub fn run_proxy_env(&self) -> Vec<(String, String)> {
        self.build_args
            .iter()
            .filter(|(k, _)| PROXY_ARGS.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests;
