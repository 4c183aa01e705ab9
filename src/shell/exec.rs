//! The interpreter: runs parsed commands with sh semantics on the `Vfs`.
//!
//! One `Shell` is one process tree of a run. Subshells, pipeline members and
//! command substitutions run in the same `Shell` with their `State` saved and
//! restored, so variables and `cd` do not leak out of them while filesystem changes
//! do, as with real processes. Output goes through a small descriptor table: the
//! run's stdout and stderr, `/dev/null`, a capture buffer (pipes, `$(...)`) or a file
//! opened by a redirection and written back when its scope ends.

use super::parse::{
    AndOr, Command, Compound, List, ParseError, Parser, Pipeline, Redir, RedirOp, Simple,
};
use super::{Notice, NoticeKind, RunOutcome, ShellContext};
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta, Vfs};
use std::rc::Rc;

/// Functions may nest this deep before the run stops (dash would overflow its stack).
const MAX_CALL_DEPTH: u32 = 200;

/// Why execution stops going forward: sh's non-local control flow and fatal errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    /// `exit N`, `set -e` or a fatal shell error: leave the (sub)shell with N.
    Exit(i32),
    /// `return N` from a function or sourced file.
    Return(i32),
    /// `break N`.
    Break(u32),
    /// `continue N`.
    Continue(u32),
    /// The run must stop (budget exceeded); the message is for the reader.
    Fatal(String),
}

/// The result of running anything: an exit status or a control-flow jump.
pub type Exec = Result<i32, Flow>;

/// Which shell's wording errors use (the image's `SHELL` may be bash).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// dash, busybox ash: `sh: 1: foo: not found`.
    Dash,
    /// bash: `bash: line 1: foo: command not found`.
    Bash,
    /// busybox ash (Alpine's `/bin/sh`): `/bin/sh: foo: not found`.
    Ash,
}

/// Shell options set with `set`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-e`: exit when a command fails.
    pub errexit: bool,
    /// `-x`: trace commands to stderr.
    pub xtrace: bool,
    /// `-u`: expanding an unset variable is an error.
    pub nounset: bool,
    /// `-o pipefail`: a pipeline fails if any member fails.
    pub pipefail: bool,
    /// `-f`: no pathname expansion.
    pub noglob: bool,
}

/// A shell variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
    /// Whether child processes see it.
    pub exported: bool,
    /// Whether `readonly` froze it.
    pub readonly: bool,
}

/// Everything a subshell copies and its parent gets back unchanged.
#[derive(Clone, Debug)]
pub struct State {
    /// Variables in creation order.
    pub vars: Vec<Var>,
    /// Function definitions.
    pub functions: Vec<(String, Rc<Command>)>,
    /// `$1`...
    pub positional: Vec<String>,
    /// `$0`, also the prefix of shell error messages.
    pub arg0: String,
    /// The working directory, absolute.
    pub cwd: String,
    /// The file-creation mask.
    pub umask: u32,
    /// `set` options.
    pub opts: Options,
    /// `$?`.
    pub status: i32,
    /// Message wording.
    pub dialect: Dialect,
    /// The line of the command running, for messages.
    pub line: u32,
    /// Saved values of `local` variables, one frame per function call.
    pub locals: Vec<Vec<(String, Option<Var>)>>,
    /// The `trap ... EXIT` action.
    pub exit_trap: Option<String>,
    /// Nesting of conditions where `set -e` does not apply.
    pub errexit_off: u32,
}

/// Where a descriptor writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fd {
    /// Closed (`>&-`): writes are dropped.
    Closed,
    /// The run's stdout.
    Stdout,
    /// The run's stderr.
    Stderr,
    /// `/dev/null`.
    Null,
    /// A capture buffer (pipe or command substitution), by index.
    Capture(usize),
    /// A file opened by a redirection, by index.
    File(usize),
}

struct OpenFile {
    path: String,
    append: bool,
    data: Vec<u8>,
}

/// The interpreter for one run (see the module docs).
pub struct Shell<'a> {
    /// The filesystem every command works on.
    pub fs: &'a mut Vfs,
    /// The caller's context (fixed time, user, budget).
    pub ctx: &'a ShellContext,
    /// Variables, options, working directory: what subshells copy.
    pub state: State,
    fds: [Fd; 10],
    stdin: Rc<Vec<u8>>,
    stdin_pos: usize,
    captures: Vec<Vec<u8>>,
    files: Vec<OpenFile>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// stdout and stderr together in the order written (a terminal's view).
    output: Vec<u8>,
    notices: Vec<Notice>,
    steps: u64,
    bytes: u64,
    depth: u32,
    subst_status: Option<i32>,
    serial: u64,
    expanded: u64,
    not_found: Vec<String>,
    /// The file of the program running now (to tell busybox applets from GNU tools).
    pub program_path: String,
}

impl<'a> Shell<'a> {
    /// A shell for one run: the context's environment, all exported.
    pub fn new(fs: &'a mut Vfs, ctx: &'a ShellContext) -> Shell<'a> {
        let vars = ctx
            .env
            .iter()
            .map(|(name, value)| Var {
                name: name.clone(),
                value: value.clone(),
                exported: true,
                readonly: false,
            })
            .collect();
        let cwd = if ctx.workdir.starts_with('/') {
            ctx.workdir.clone()
        } else {
            format!("/{}", ctx.workdir)
        };
        Shell {
            fs,
            ctx,
            state: State {
                vars,
                functions: Vec::new(),
                positional: Vec::new(),
                arg0: "sh".to_string(),
                cwd,
                umask: ctx.umask,
                opts: Options::default(),
                status: 0,
                dialect: Dialect::Dash,
                line: 1,
                locals: Vec::new(),
                exit_trap: None,
                errexit_off: 0,
            },
            fds: [
                Fd::Closed,
                Fd::Stdout,
                Fd::Stderr,
                Fd::Closed,
                Fd::Closed,
                Fd::Closed,
                Fd::Closed,
                Fd::Closed,
                Fd::Closed,
                Fd::Closed,
            ],
            stdin: Rc::new(Vec::new()),
            stdin_pos: 0,
            captures: Vec::new(),
            files: Vec::new(),
            stdout: Vec::new(),
            stderr: Vec::new(),
            output: Vec::new(),
            notices: Vec::new(),
            steps: 0,
            bytes: 0,
            depth: 0,
            subst_status: None,
            serial: 0,
            expanded: 0,
            not_found: Vec::new(),
            program_path: String::new(),
        }
    }

    /// Runs `argv` as the container's process (no shell of ours in between).
    pub fn run_argv(mut self, argv: &[String]) -> RunOutcome {
        let mut failure = None;
        let mut not_started = false;
        let code = match argv.first() {
            None => {
                failure = Some("no command specified".to_string());
                127
            }
            Some(name) => match self.find_program(name) {
                Some(path) => match self.run_program(&path, argv) {
                    Ok(code) | Err(Flow::Exit(code) | Flow::Return(code)) => code,
                    Err(Flow::Break(_) | Flow::Continue(_)) => 0,
                    Err(Flow::Fatal(message)) => {
                        failure = Some(message);
                        1
                    }
                },
                None => {
                    not_started = true;
                    failure = Some(if name.contains('/') {
                        format!("unable to start container process: exec: \"{name}\": stat {name}: no such file or directory")
                    } else {
                        format!("unable to start container process: exec: \"{name}\": executable file not found in $PATH")
                    });
                    127
                }
            },
        };
        RunOutcome {
            exit_code: code & 0xff,
            stdout: self.stdout,
            stderr: self.stderr,
            output: self.output,
            notices: self.notices,
            not_found: self.not_found,
            failure,
            not_started,
        }
    }

    // ---- budget, output, notices ----

    /// Counts one step against the budget.
    pub fn step(&mut self) -> Result<(), Flow> {
        self.steps += 1;
        if self.steps > self.ctx.budget.max_steps {
            return Err(Flow::Fatal(format!(
                "shell budget exceeded: the command ran more than {} steps; is there an endless loop?",
                self.ctx.budget.max_steps
            )));
        }
        Ok(())
    }

    /// Counts work a program does on data (compressing, hashing, reading files):
    /// one step per call plus one per 4 KiB, so a loop over `gzip *` or
    /// `sha256sum` of big files ends with the same budget error as a loop of steps.
    pub fn charge(&mut self, bytes: usize) -> Result<(), Flow> {
        self.steps += (bytes / 4096) as u64;
        self.step()
    }

    /// Counts a walk over `entries` filesystem entries (`find`, `du`, `chmod -R`):
    /// one step per 64 entries.
    pub fn charge_entries(&mut self, entries: usize) -> Result<(), Flow> {
        self.steps += (entries / 64) as u64;
        self.step()
    }

    /// Counts text produced by word expansion: four times the output budget in all,
    /// so `x=$x$x` in a loop ends with a clear error instead of exhausting memory.
    pub fn count_expansion(&mut self, bytes: usize) -> Result<(), Flow> {
        self.expanded += bytes as u64;
        let limit = self.ctx.budget.max_output_bytes.saturating_mul(4);
        if self.expanded > limit {
            return Err(Flow::Fatal(format!(
                "shell budget exceeded: the command's words expanded to more than {limit} bytes; is there a runaway loop?"
            )));
        }
        Ok(())
    }

    /// Writes to descriptor `fd`, counting the bytes against the budget.
    pub fn write_fd(&mut self, fd: usize, data: &[u8]) -> Result<(), Flow> {
        self.bytes += data.len() as u64;
        if self.bytes > self.ctx.budget.max_output_bytes {
            return Err(Flow::Fatal(format!(
                "shell budget exceeded: the command wrote more than {} bytes of output; is there an endless loop?",
                self.ctx.budget.max_output_bytes
            )));
        }
        match self.fds.get(fd).copied().unwrap_or(Fd::Closed) {
            Fd::Closed | Fd::Null => {}
            Fd::Stdout => {
                self.stdout.extend_from_slice(data);
                self.output.extend_from_slice(data);
            }
            Fd::Stderr => {
                self.stderr.extend_from_slice(data);
                self.output.extend_from_slice(data);
            }
            Fd::Capture(i) => {
                if let Some(buf) = self.captures.get_mut(i) {
                    buf.extend_from_slice(data);
                }
            }
            Fd::File(i) => {
                if let Some(f) = self.files.get_mut(i) {
                    f.data.extend_from_slice(data);
                }
            }
        }
        Ok(())
    }

    /// Writes to stdout.
    pub fn out(&mut self, data: impl AsRef<[u8]>) -> Result<(), Flow> {
        self.write_fd(1, data.as_ref())
    }

    /// Writes to stderr.
    pub fn err(&mut self, data: impl AsRef<[u8]>) -> Result<(), Flow> {
        self.write_fd(2, data.as_ref())
    }

    /// Writes a shell error (`sh: 1: message`) to stderr in the dialect's format.
    pub fn shell_error(&mut self, message: &str) -> Result<(), Flow> {
        let text = match self.state.dialect {
            Dialect::Dash => format!("{}: {}: {message}\n", self.state.arg0, self.state.line),
            Dialect::Bash => format!("{}: line {}: {message}\n", self.state.arg0, self.state.line),
            Dialect::Ash => format!("{}: {message}\n", self.state.arg0),
        };
        self.err(text)
    }

    /// Records the status of a command substitution, which an assignment-only
    /// command returns.
    pub fn set_subst_status(&mut self, status: i32) {
        self.subst_status = Some(status);
    }

    /// Records a notice once.
    pub fn notice(&mut self, kind: NoticeKind, program: &str, message: impl Into<String>) {
        let n = Notice {
            kind,
            program: program.to_string(),
            message: message.into(),
        };
        if !self.notices.contains(&n) {
            self.notices.push(n);
        }
    }

    /// A number unique within the run, for deterministic temporary names.
    pub fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// Whether the running program is a busybox applet (Alpine) rather than GNU's.
    pub fn is_busybox(&self) -> bool {
        self.fs
            .canonicalize(&self.program_path)
            .is_ok_and(|p| base_name(&p) == "busybox")
    }

    /// Whether stdout is a pipe or command substitution (a reader that stops).
    pub fn stdout_is_pipe(&self) -> bool {
        matches!(self.fds[1], Fd::Capture(_))
    }

    /// The rest of stdin, consumed.
    pub fn read_stdin(&mut self) -> Vec<u8> {
        let rest = self
            .stdin
            .get(self.stdin_pos..)
            .unwrap_or_default()
            .to_vec();
        self.stdin_pos = self.stdin.len();
        rest
    }

    /// One line of stdin without its newline, or `None` at the end.
    pub fn read_stdin_line(&mut self) -> Option<Vec<u8>> {
        let rest = self.stdin.get(self.stdin_pos..).unwrap_or_default();
        if rest.is_empty() {
            return None;
        }
        let (line, used) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (rest[..i].to_vec(), i + 1),
            None => (rest.to_vec(), rest.len()),
        };
        self.stdin_pos += used;
        Some(line)
    }

    /// Runs `f` with `data` as stdin and stdout captured; returns its status and output.
    pub fn capture(
        &mut self,
        data: Option<Vec<u8>>,
        f: impl FnOnce(&mut Shell<'a>) -> Exec,
    ) -> Result<(i32, Vec<u8>), Flow> {
        let saved_fds = self.fds;
        let saved_in = (Rc::clone(&self.stdin), self.stdin_pos);
        if let Some(data) = data {
            self.stdin = Rc::new(data);
            self.stdin_pos = 0;
        }
        self.captures.push(Vec::new());
        self.fds[1] = Fd::Capture(self.captures.len() - 1);
        let r = f(self);
        let out = self.captures.pop().unwrap_or_default();
        self.fds = saved_fds;
        (self.stdin, self.stdin_pos) = saved_in;
        Ok((r?, out))
    }

    // ---- paths, variables, metadata ----

    /// `path` made absolute against the working directory.
    pub fn abs(&self, path: &str) -> String {
        if path.starts_with('/') {
            path.to_string()
        } else if self.state.cwd == "/" {
            format!("/{path}")
        } else {
            format!("{}/{path}", self.state.cwd)
        }
    }

    /// Metadata for a new file: `0666` less the umask, owned by the user, dated now.
    pub fn file_meta(&self) -> Meta {
        Meta::new(0o666 & !self.state.umask)
            .owned(self.ctx.uid, self.ctx.gid)
            .at(self.ctx.mtime)
    }

    /// Metadata for a new directory: `0777` less the umask.
    pub fn dir_meta(&self) -> Meta {
        Meta::new(0o777 & !self.state.umask)
            .owned(self.ctx.uid, self.ctx.gid)
            .at(self.ctx.mtime)
    }

    /// Writes a whole file (created with `file_meta` if missing).
    pub fn write_file(&mut self, path: &str, data: impl Into<Vec<u8>>) -> crate::vfs::Result<()> {
        let meta = self.file_meta();
        let data = data.into();
        // Hashing what is written is work too; the next step checks the budget.
        self.steps += 1 + (data.len() / 4096) as u64;
        self.fs
            .write_file(&self.abs(path), Blob::from_bytes(data), meta)
    }

    /// A variable's value.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.state
            .vars
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.value.as_str())
    }

    /// Sets a variable (keeping its export flag); fails for a read-only one.
    pub fn set_var(&mut self, name: &str, value: &str) -> Result<(), Flow> {
        match self.state.vars.iter_mut().find(|v| v.name == name) {
            Some(v) if v.readonly => {
                self.shell_error(&format!("{name}: is read only"))?;
                return Err(Flow::Exit(2));
            }
            Some(v) => v.value = value.to_string(),
            None => self.state.vars.push(Var {
                name: name.to_string(),
                value: value.to_string(),
                exported: false,
                readonly: false,
            }),
        }
        Ok(())
    }

    /// Marks a variable exported, creating it empty-less (unset) if needed.
    pub fn export_var(&mut self, name: &str, value: Option<&str>) -> Result<(), Flow> {
        if let Some(value) = value {
            self.set_var(name, value)?;
        }
        match self.state.vars.iter_mut().find(|v| v.name == name) {
            Some(v) => v.exported = true,
            None => self.state.vars.push(Var {
                name: name.to_string(),
                value: String::new(),
                exported: true,
                readonly: false,
            }),
        }
        Ok(())
    }

    /// Removes a variable.
    pub fn unset_var(&mut self, name: &str) {
        self.state.vars.retain(|v| v.name != name);
    }

    /// The exported variables, in order (what `env` prints and children see).
    pub fn environment(&self) -> Vec<(String, String)> {
        self.state
            .vars
            .iter()
            .filter(|v| v.exported)
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect()
    }

    /// `$HOME`, or `/root` when unset.
    pub fn home(&self) -> String {
        self.var("HOME").unwrap_or("/root").to_string()
    }

    // ---- scripts and lists ----

    /// Parses and runs `text` in this shell, one complete command at a time.
    pub fn run_script(&mut self, text: &str) -> Exec {
        let mut parser = Parser::new(text);
        let mut status = 0;
        loop {
            match parser.next_command() {
                Ok(Some(list)) => status = self.exec_list(&list)?,
                Ok(None) => return Ok(status),
                Err(e) => return Err(self.syntax_error(&e)),
            }
        }
    }

    fn syntax_error(&mut self, e: &ParseError) -> Flow {
        self.state.line = e.line;
        match self.shell_error(&e.message) {
            Ok(()) => Flow::Exit(2),
            Err(flow) => flow,
        }
    }

    /// Runs `text` as a new sh process: `arg0`, positional args, exported vars only.
    pub fn run_process_script(
        &mut self,
        arg0: &str,
        args: &[String],
        text: &str,
        opts: Options,
    ) -> Exec {
        self.subshell(|sh| {
            sh.state.vars.retain(|v| v.exported);
            sh.state.functions.clear();
            sh.state.locals.clear();
            sh.state.exit_trap = None;
            sh.state.errexit_off = 0;
            sh.state.arg0 = arg0.to_string();
            sh.state.positional = args.to_vec();
            sh.state.opts = opts;
            sh.state.status = 0;
            sh.state.dialect = sh.dialect_of(arg0);
            let r = sh.run_script(text);
            let code = match r {
                Ok(c) | Err(Flow::Exit(c) | Flow::Return(c)) => c,
                Err(Flow::Break(_) | Flow::Continue(_)) => sh.state.status,
                Err(fatal) => return Err(fatal),
            };
            sh.state.status = code;
            if let Some(trap) = sh.state.exit_trap.take() {
                match sh.run_script(&trap) {
                    Err(Flow::Fatal(m)) => return Err(Flow::Fatal(m)),
                    Err(Flow::Exit(c)) => return Ok(c),
                    _ => {}
                }
            }
            Ok(code)
        })
    }

    /// The dialect of the shell program `arg0`: bash by name, ash when it is a
    /// link to busybox (Alpine), dash otherwise.
    fn dialect_of(&self, arg0: &str) -> Dialect {
        if base_name(arg0) == "bash" {
            return Dialect::Bash;
        }
        let target = self
            .find_program(arg0)
            .and_then(|p| self.fs.canonicalize(&p).ok());
        match target.as_deref().map(base_name) {
            Some("busybox") => Dialect::Ash,
            Some("bash") => Dialect::Bash,
            _ => Dialect::Dash,
        }
    }

    /// Runs `f` as a subshell: state and descriptors restored after, `exit` caught.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Shell<'a>) -> Exec) -> Exec {
        let saved = self.state.clone();
        let saved_fds = self.fds;
        let r = f(self);
        self.state = saved;
        self.fds = saved_fds;
        match r {
            Ok(c) | Err(Flow::Exit(c)) => Ok(c),
            Err(Flow::Return(c)) => Ok(c),
            Err(Flow::Break(_) | Flow::Continue(_)) => Ok(0),
            Err(fatal @ Flow::Fatal(_)) => Err(fatal),
        }
    }

    /// Runs a list; its status is the last command's.
    /// One pass through a loop body, shared by `while`, `until` and `for`: true to
    /// go on, false after `break`; `break N`/`continue N` go up one loop level.
    fn loop_iteration(&mut self, body: &List, status: &mut i32) -> Result<bool, Flow> {
        match self.exec_list(body) {
            Ok(s) => {
                *status = s;
                Ok(true)
            }
            Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Ok(false),
            Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Ok(true),
            Err(e) => Err(e),
        }
    }

    pub fn exec_list(&mut self, list: &List) -> Exec {
        let mut status = self.state.status;
        for and_or in &list.0 {
            status = self.exec_and_or(and_or)?;
        }
        Ok(status)
    }

    fn exec_and_or(&mut self, and_or: &AndOr) -> Exec {
        let last = and_or.rest.len();
        let mut status = self.pipeline_checked(&and_or.first, last == 0)?;
        for (i, (and, pipeline)) in and_or.rest.iter().enumerate() {
            if (status == 0) == *and {
                status = self.pipeline_checked(pipeline, i + 1 == last)?;
            }
        }
        Ok(status)
    }

    /// Runs a pipeline; `set -e` applies only to the last of an and-or list.
    fn pipeline_checked(&mut self, p: &Pipeline, last: bool) -> Exec {
        if !last {
            self.state.errexit_off += 1;
        }
        let r = self.exec_pipeline(p);
        if !last {
            self.state.errexit_off -= 1;
        }
        let status = r?;
        self.state.status = status;
        if status != 0 && last && !p.bang && self.state.opts.errexit && self.state.errexit_off == 0
        {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    fn exec_pipeline(&mut self, p: &Pipeline) -> Exec {
        if p.bang {
            self.state.errexit_off += 1;
        }
        let r = self.exec_pipeline_inner(p);
        if p.bang {
            self.state.errexit_off -= 1;
        }
        let status = r?;
        Ok(if p.bang {
            i32::from(status == 0)
        } else {
            status
        })
    }

    fn exec_pipeline_inner(&mut self, p: &Pipeline) -> Exec {
        if p.cmds.len() == 1 {
            return self.exec_command(&p.cmds[0]);
        }
        let mut input: Option<Vec<u8>> = None;
        let mut failed = 0;
        let mut status = 0;
        for (i, cmd) in p.cmds.iter().enumerate() {
            let last = i + 1 == p.cmds.len();
            if last {
                let data = input.take();
                status = self.subshell(|sh| {
                    if let Some(data) = data {
                        sh.stdin = Rc::new(data);
                        sh.stdin_pos = 0;
                    }
                    sh.exec_command(cmd)
                })?;
            } else {
                let data = input.take();
                let (s, out) = self.capture(data, |sh| sh.subshell(|sh| sh.exec_command(cmd)))?;
                status = s;
                input = Some(out);
            }
            if status != 0 {
                failed = status;
            }
        }
        Ok(if self.state.opts.pipefail && status == 0 {
            failed
        } else {
            status
        })
    }

    /// Runs one command of a pipeline.
    pub fn exec_command(&mut self, cmd: &Command) -> Exec {
        match cmd {
            Command::Simple(s) => self.exec_simple(s),
            Command::Compound(c, redirs) => {
                self.with_redirs(redirs, false, |sh| sh.exec_compound(c))
            }
            Command::Function(name, body) => {
                self.state.functions.retain(|(n, _)| n != name);
                self.state.functions.push((name.clone(), Rc::clone(body)));
                Ok(0)
            }
        }
    }

    fn condition(&mut self, list: &List) -> Exec {
        self.state.errexit_off += 1;
        let r = self.exec_list(list);
        self.state.errexit_off -= 1;
        r
    }

    fn exec_compound(&mut self, c: &Compound) -> Exec {
        match c {
            Compound::Brace(list) => self.exec_list(list),
            Compound::Subshell(list) => self.subshell(|sh| sh.exec_list(list)),
            Compound::If(arms, otherwise) => {
                for (cond, body) in arms {
                    if self.condition(cond)? == 0 {
                        return self.exec_list(body);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_list(body),
                    None => Ok(0),
                }
            }
            Compound::While(until, cond, body) => {
                let mut status = 0;
                loop {
                    self.step()?;
                    if (self.condition(cond)? == 0) == *until {
                        break;
                    }
                    if !self.loop_iteration(body, &mut status)? {
                        break;
                    }
                }
                Ok(status)
            }
            Compound::For(name, words, body) => {
                let items = match words {
                    Some(words) => {
                        let mut items = Vec::new();
                        for w in words {
                            items.extend(self.expand_fields(w)?);
                        }
                        items
                    }
                    None => self.state.positional.clone(),
                };
                let mut status = 0;
                for item in items {
                    self.step()?;
                    self.set_var(name, &item)?;
                    if !self.loop_iteration(body, &mut status)? {
                        break;
                    }
                }
                Ok(status)
            }
            Compound::Case(subject, arms) => {
                let text = self.expand_string(subject)?;
                for (patterns, body) in arms {
                    for p in patterns {
                        let pattern = self.expand_pattern(p)?;
                        if pattern.matches(&text) {
                            return self.exec_list(body);
                        }
                    }
                }
                Ok(0)
            }
        }
    }

    fn exec_simple(&mut self, cmd: &Simple) -> Exec {
        self.state.line = cmd.line;
        self.step()?;
        self.subst_status = None;
        let mut argv = Vec::new();
        for w in &cmd.words {
            argv.extend(self.expand_fields(w)?);
        }
        let mut assigns = Vec::new();
        for (name, w) in &cmd.assigns {
            assigns.push((name.clone(), self.expand_string(w)?));
        }
        if self.state.opts.xtrace {
            let mut line = String::from("+");
            for (n, v) in &assigns {
                line.push_str(&format!(" {n}={v}"));
            }
            for a in &argv {
                line.push(' ');
                line.push_str(a);
            }
            line.push('\n');
            self.err(line)?;
        }
        if argv.is_empty() {
            for (n, v) in &assigns {
                self.set_var(n, v)?;
            }
            let status = self.subst_status.unwrap_or(0);
            return self.with_redirs(&cmd.redirs, false, |_| Ok(status));
        }
        let special = super::commands::builtins::is_special(&argv[0]);
        self.with_redirs(&cmd.redirs, special, |sh| sh.dispatch(&argv, &assigns))
    }

    /// Runs a command name with arguments: special builtins, functions, builtins, PATH.
    pub fn dispatch(&mut self, argv: &[String], assigns: &[(String, String)]) -> Exec {
        // A program does some work per argument: one step per 16 of them.
        self.steps += (argv.len() / 16) as u64;
        let name = argv[0].as_str();
        if super::commands::builtins::is_special(name) {
            for (n, v) in assigns {
                self.set_var(n, v)?;
            }
            return super::commands::builtins::run(self, argv);
        }
        if let Some(body) = self
            .state
            .functions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| Rc::clone(b))
        {
            return self.with_temp_vars(assigns, |sh| sh.call_function(&body, argv));
        }
        if super::commands::builtins::is_builtin(name) {
            return self.with_temp_vars(assigns, |sh| super::commands::builtins::run(sh, argv));
        }
        // The lookup sees the command's own assignments: `PATH=/opt/x/bin:$PATH
        // prog` finds /opt/x/bin/prog, in dash, ash and bash alike.
        self.with_temp_vars(assigns, |sh| match sh.find_program(name) {
            Some(path) => sh.run_program(&path, argv),
            None => sh.not_found(name),
        })
    }

    /// Prints sh's "not found" message and returns 127.
    pub fn not_found(&mut self, name: &str) -> Exec {
        if !self.not_found.iter().any(|n| n == name) {
            self.not_found.push(name.to_string());
        }
        let message = match (self.state.dialect, name.contains('/')) {
            (Dialect::Dash | Dialect::Ash, _) => format!("{name}: not found"),
            (Dialect::Bash, false) => format!("{name}: command not found"),
            (Dialect::Bash, true) => format!("{name}: No such file or directory"),
        };
        self.shell_error(&message)?;
        Ok(127)
    }

    fn with_temp_vars(
        &mut self,
        assigns: &[(String, String)],
        f: impl FnOnce(&mut Shell<'a>) -> Exec,
    ) -> Exec {
        if assigns.is_empty() {
            return f(self);
        }
        let saved = self.state.vars.clone();
        for (n, v) in assigns {
            self.export_var(n, Some(v))?;
        }
        let r = f(self);
        self.state.vars = saved;
        r
    }

    fn call_function(&mut self, body: &Rc<Command>, argv: &[String]) -> Exec {
        self.step()?;
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Flow::Fatal(format!(
                "shell budget exceeded: functions nested more than {MAX_CALL_DEPTH} deep; is there an endless recursion?"
            )));
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.state.positional, argv[1..].to_vec());
        self.state.locals.push(Vec::new());
        let r = self.exec_command(body);
        if let Some(frame) = self.state.locals.pop() {
            for (name, old) in frame.into_iter().rev() {
                self.state.vars.retain(|v| v.name != name);
                if let Some(old) = old {
                    self.state.vars.push(old);
                }
            }
        }
        self.state.positional = saved;
        self.depth -= 1;
        match r {
            Err(Flow::Return(c)) => Ok(c),
            other => other,
        }
    }

    /// The path of the program `name` names: as a path if it has a `/`, else the
    /// first `PATH` entry holding a non-directory of that name.
    pub fn find_program(&self, name: &str) -> Option<String> {
        if name.is_empty() {
            return None;
        }
        if name.contains('/') {
            let p = self.abs(name);
            return self.fs.stat(&p).ok().filter(|s| !s.is_dir()).map(|_| p);
        }
        let path = self
            .var("PATH")
            .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        path.split(':').find_map(|dir| {
            let dir = if dir.is_empty() { "." } else { dir };
            let p = self.abs(&format!("{}/{name}", dir.trim_end_matches('/')));
            self.fs.stat(&p).ok().filter(|s| !s.is_dir()).map(|_| p)
        })
    }

    /// Runs the program file at `path` (found by `find_program`) with `argv`: our
    /// simulation keyed by the name it was called as, a shell script by its `#!`
    /// line, or a "not simulated" success.
    pub fn run_program(&mut self, path: &str, argv: &[String]) -> Exec {
        self.step()?;
        if let Ok(stat) = self.fs.stat(path) {
            if stat.meta.mode & 0o111 == 0 {
                self.shell_error(&format!("{}: Permission denied", argv[0]))?;
                return Ok(126);
            }
        }
        let called = base_name(&argv[0]).to_string();
        if let Some(program) = super::commands::find(&called) {
            let saved = std::mem::replace(&mut self.program_path, path.to_string());
            let r = self.subshell(|sh| program(sh, argv));
            self.program_path = saved;
            return r;
        }
        if let Ok(Kind::File(blob)) = self.fs.stat(path).map(|s| s.kind) {
            if blob.len() < (1 << 20) && !blob.is_generated() {
                let text = String::from_utf8_lossy(&blob.bytes()).into_owned();
                if is_shell_script(&text) {
                    return self.run_process_script(
                        &argv[0],
                        &argv[1..],
                        &text,
                        Options::default(),
                    );
                }
            }
        }
        self.notice(
            NoticeKind::NotSimulated,
            &called,
            format!(
                "`{called}` exists in the image ({}) but layerlab does not model it; treated as success",
                crate::context::path::clean(path)
            ),
        );
        Ok(0)
    }

    // ---- redirections ----

    /// Applies `redirs`, runs `f`, writes files back and restores descriptors. A
    /// failed redirection is status 2 (an exit for special builtins).
    pub fn with_redirs(
        &mut self,
        redirs: &[Redir],
        special: bool,
        f: impl FnOnce(&mut Shell<'a>) -> Exec,
    ) -> Exec {
        if redirs.is_empty() {
            return f(self);
        }
        let saved_fds = self.fds;
        let saved_in = (Rc::clone(&self.stdin), self.stdin_pos);
        let first_file = self.files.len();
        let r = match self.apply_redirs(redirs) {
            Ok(true) => f(self),
            Ok(false) if special => Err(Flow::Exit(2)),
            Ok(false) => Ok(2),
            Err(e) => Err(e),
        };
        let flushed = self.flush_files(first_file);
        self.fds = saved_fds;
        (self.stdin, self.stdin_pos) = saved_in;
        let status = r?;
        flushed?;
        Ok(status)
    }

    fn flush_files(&mut self, from: usize) -> Result<(), Flow> {
        let files: Vec<OpenFile> = self.files.drain(from..).collect();
        for f in files {
            let mut data = Vec::new();
            if f.append {
                if let Ok(blob) = self.fs.read_file(&f.path) {
                    data.extend_from_slice(&blob.bytes());
                }
            }
            data.extend_from_slice(&f.data);
            // Appending rewrites (and rehashes) the whole file: charge its size.
            self.charge(data.len())?;
            let meta = self.file_meta();
            if let Err(e) = self.fs.write_file(&f.path, Blob::from_bytes(data), meta) {
                self.shell_error(&format!("cannot create {}: {}", f.path, e.kind))?;
            }
        }
        Ok(())
    }

    /// Applies redirections; `Ok(false)` when one failed (message already printed).
    fn apply_redirs(&mut self, redirs: &[Redir]) -> Result<bool, Flow> {
        for r in redirs {
            let target = match &r.body {
                Some(body) => {
                    let word = body.borrow().clone();
                    self.expand_string(&word)?
                }
                None => self.expand_string(&r.target)?,
            };
            let default_fd = match r.op {
                RedirOp::In | RedirOp::ReadWrite | RedirOp::DupIn | RedirOp::HereDoc => 0,
                _ => 1,
            };
            let fd = r.fd.unwrap_or(default_fd) as usize;
            if fd >= self.fds.len() {
                self.shell_error(&format!("{fd}: Bad file descriptor"))?;
                return Ok(false);
            }
            match r.op {
                RedirOp::HereDoc => {
                    if fd == 0 {
                        self.stdin = Rc::new(target.into_bytes());
                        self.stdin_pos = 0;
                    }
                }
                RedirOp::In | RedirOp::ReadWrite => {
                    let path = self.abs(&target);
                    if path == "/dev/null" {
                        self.stdin = Rc::new(Vec::new());
                        self.stdin_pos = 0;
                        continue;
                    }
                    match self.fs.read_file(&path) {
                        Ok(blob) => {
                            if fd == 0 {
                                self.stdin = Rc::new(blob.bytes().into_owned());
                                self.stdin_pos = 0;
                            }
                        }
                        Err(e)
                            if r.op == RedirOp::ReadWrite
                                && e.kind == crate::vfs::ErrorKind::NotFound =>
                        {
                            if let Err(e) = self.write_file(&path, Vec::new()) {
                                self.shell_error(&format!("cannot create {target}: {}", e.kind))?;
                                return Ok(false);
                            }
                        }
                        Err(e) => {
                            let why = match e.kind {
                                crate::vfs::ErrorKind::NotFound => "No such file".to_string(),
                                k => k.to_string(),
                            };
                            self.shell_error(&format!("cannot open {target}: {why}"))?;
                            return Ok(false);
                        }
                    }
                }
                RedirOp::DupIn => {
                    if target == "-" && fd == 0 {
                        self.stdin = Rc::new(Vec::new());
                        self.stdin_pos = 0;
                    }
                }
                RedirOp::DupOut => {
                    if target == "-" {
                        self.fds[fd] = Fd::Closed;
                    } else {
                        match target.parse::<usize>() {
                            Ok(n) if n < self.fds.len() => self.fds[fd] = self.fds[n],
                            _ => {
                                self.shell_error(&format!("{target}: Bad file descriptor"))?;
                                return Ok(false);
                            }
                        }
                    }
                }
                RedirOp::Out | RedirOp::Append | RedirOp::Both => {
                    let dest = match self.open_for_write(&target, r.op == RedirOp::Append)? {
                        Some(d) => d,
                        None => return Ok(false),
                    };
                    self.fds[fd] = dest;
                    if r.op == RedirOp::Both {
                        self.fds[2] = dest;
                    }
                }
            }
        }
        Ok(true)
    }

    /// Opens `target` for writing: special device names, or a file truncated now
    /// (unless appending) and written back when the redirection's scope ends.
    fn open_for_write(&mut self, target: &str, append: bool) -> Result<Option<Fd>, Flow> {
        let path = self.abs(target);
        match path.as_str() {
            "/dev/null" | "/dev/zero" | "/dev/full" => return Ok(Some(Fd::Null)),
            "/dev/stdout" | "/proc/self/fd/1" => return Ok(Some(self.fds[1])),
            "/dev/stderr" | "/proc/self/fd/2" => return Ok(Some(self.fds[2])),
            _ => {}
        }
        let existing = self.fs.stat(&path);
        let failure = match &existing {
            Ok(s) if s.is_dir() => Some(crate::vfs::ErrorKind::IsADirectory.to_string()),
            Ok(_) if !append => self
                .fs
                .write_file(&path, Blob::empty(), self.file_meta())
                .err()
                .map(|e| e.kind.to_string()),
            Ok(_) => None,
            Err(e) if e.kind == crate::vfs::ErrorKind::NotFound => self
                .fs
                .write_file(&path, Blob::empty(), self.file_meta())
                .err()
                .map(|e| match e.kind {
                    crate::vfs::ErrorKind::NotFound => "Directory nonexistent".to_string(),
                    k => k.to_string(),
                }),
            Err(e) => Some(e.kind.to_string()),
        };
        if let Some(why) = failure {
            self.shell_error(&format!("cannot create {target}: {why}"))?;
            return Ok(None);
        }
        self.files.push(OpenFile {
            path,
            append,
            data: Vec::new(),
        });
        Ok(Some(Fd::File(self.files.len() - 1)))
    }
}

/// The last component of a path (`/usr/bin/pip3` → `pip3`).
pub fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Whether a file's `#!` line names a shell we interpret.
fn is_shell_script(text: &str) -> bool {
    let Some(first) = text.lines().next().and_then(|l| l.strip_prefix("#!")) else {
        return false;
    };
    let mut words = first.split_whitespace();
    let mut prog = words.next().map(base_name).unwrap_or("");
    if prog == "env" {
        prog = words.next().unwrap_or("");
    }
    matches!(prog, "sh" | "bash" | "dash" | "ash")
}
