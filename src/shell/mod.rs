//! The small deterministic shell that runs `RUN` commands and container `exec`s on a
//! `Vfs`, with simulated coreutils and package managers.
//!
//! Why our own shell: the two embeddable candidates were evaluated and neither fits.
//! `epsh` (0.0.6) is a real POSIX shell over the host OS: it forks, opens real files
//! and uses `libc`, so it cannot run on an in-memory tree or in wasm. `rust-bash`
//! (0.3.0) has a virtual filesystem, but its `VirtualFs` trait has no owner or group
//! (so `chown`, `USER` and layer uid/gid could not be exact), stamps files with the
//! host's wall-clock time and reads the clock through `chrono` (a clock in the
//! core), speaks bash with bash's messages rather than dash's, and brings a large
//! dependency tree (brush-parser, jaq, chrono, regex). Layers must be byte-exact and identical
//! natively and in wasm, so we interpret a POSIX sh subset ourselves.
//!
//! - `parse`: script text to a syntax tree (dash's grammar and error messages).
//! - `expand`: word expansion (parameters, substitutions, arithmetic, splitting, globs).
//! - `exec`: the interpreter: control flow, redirections, pipes, builtins, lookup.
//! - `pattern`: sh glob patterns, shared by globs, `case`, `find -name` and `${x#p}`.
//! - `posix_regex`: POSIX BRE/ERE for `grep`, `sed`, `awk` and `apt-mark`, our own
//!   linear-time matcher.
//! - `commands`: the simulated programs, found only if the image has them on `PATH`.
//! - `packages`: the simulated package managers (apt, apk, pip, npm) and their index.
//! - `users`: `/etc/passwd` and `/etc/group` lookups.
//!
//! Everything is deterministic: pipes run one command after another with stdout
//! buffered into the next stdin, time is the caller's fixed `mtime`, and a budget of
//! steps and output bytes stops endless loops with a clear error.
//!
//! How the builder uses it: `run(&mut fs, &Invocation::Script(text), &ctx)` for
//! shell-form RUN (the script goes through `ctx.shell`), `Invocation::Exec(argv)` for
//! exec form. A non-zero `exit_code` is BuildKit's `process "..." did not complete
//! successfully: exit code: N`; `failure` (budget exceeded, no shell in the image) is
//! reported as is; `notices` go to the UI. `RUN --mount=type=cache,target=X` (and
//! `tmpfs`) is the builder's: keep the step's parent filesystem, graft the cache's
//! saved contents at X, run, save X's subtree back to the cache, then put back X as
//! the parent had it (or remove it), so the layer diff never sees X. The shell needs
//! nothing special for it: it only ever sees one filesystem.

pub mod commands;
pub mod exec;
pub mod expand;
pub mod packages;
pub mod parse;
pub mod pattern;
pub mod posix_regex;
#[cfg(test)]
mod tests;
pub mod users;

use crate::vfs::Vfs;

/// What to run: a `RUN` in shell form goes through the image's `SHELL`; exec form
/// is an argv run directly (no shell, no expansion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invocation {
    /// Shell form: the script is appended to `ShellContext::shell` (`/bin/sh -c`).
    Script(String),
    /// Exec form: `argv[0]` is looked up on `PATH` and run with the other arguments.
    Exec(Vec<String>),
}

/// Limits that end a runaway command with a clear error instead of a frozen page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Commands, loop iterations and expansions the run may perform.
    pub max_steps: u64,
    /// Bytes the run may write to any descriptor (files, pipes, `/dev/null`).
    pub max_output_bytes: u64,
}

impl Default for Budget {
    /// One million steps and 64 MiB of output: far above real Dockerfiles' needs.
    fn default() -> Budget {
        Budget {
            max_steps: 1_000_000,
            max_output_bytes: 64 << 20,
        }
    }
}

/// Everything a run needs from its caller (the builder for RUN, a container for exec).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellContext {
    /// Environment variables in order (the image's `Env` plus build args).
    pub env: Vec<(String, String)>,
    /// The working directory, absolute (the image's `WorkingDir`, `/` when empty).
    pub workdir: String,
    /// The user's numeric id (the builder resolves `USER` with `users::resolve_user`).
    pub uid: u32,
    /// The user's numeric group id.
    pub gid: u32,
    /// The file-creation mask (0o022 in a build container).
    pub umask: u32,
    /// The modification time stamped on every file written; the core has no clock.
    pub mtime: i64,
    /// Step and output limits.
    pub budget: Budget,
    /// The image's `SHELL` for shell form (`["/bin/sh", "-c"]` by default).
    pub shell: Vec<String>,
    /// The container's host name (BuildKit uses `buildkitsandbox` during a build).
    pub hostname: String,
}

impl Default for ShellContext {
    /// Root in `/` with Docker's default `PATH`, umask 022, dated the epoch.
    fn default() -> ShellContext {
        ShellContext {
            env: vec![(
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            )],
            workdir: "/".to_string(),
            uid: 0,
            gid: 0,
            umask: 0o022,
            mtime: 0,
            budget: Budget::default(),
            shell: vec!["/bin/sh".to_string(), "-c".to_string()],
            hostname: "buildkitsandbox".to_string(),
        }
    }
}

/// How faithful a notice says the run was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoticeKind {
    /// The command ran as a simulation (downloads, package installs).
    Simulated,
    /// The program exists in the image but layerlab does not model it.
    NotSimulated,
}

/// A structured remark for the UI next to the step's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Simulated or not simulated.
    pub kind: NoticeKind,
    /// The program the notice is about (`apt-get`, `systemctl`).
    pub program: String,
    /// A sentence for the reader.
    pub message: String,
}

/// What a run produced besides its filesystem changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// The exit status (0 success; 127 not found; 2 syntax errors, as dash).
    pub exit_code: i32,
    /// Everything written to the process's stdout.
    pub stdout: Vec<u8>,
    /// Everything written to the process's stderr.
    pub stderr: Vec<u8>,
    /// stdout and stderr interleaved in the order they were written, as one
    /// terminal (and BuildKit's log of a RUN) shows them: `set -x` traces
    /// before the output of the command they trace.
    pub output: Vec<u8>,
    /// Simulation remarks, each once, in the order first met.
    pub notices: Vec<Notice>,
    /// Command names sh reported as `not found`, each once, in order (so the builder
    /// can hint "install python3-pip, or start FROM python" for `pip`).
    pub not_found: Vec<String>,
    /// Set when the run could not start or was stopped (budget exceeded, no shell in
    /// the image): the builder reports this message instead of the exit code.
    pub failure: Option<String>,
    /// True when `failure` says the program could not be started at all (its file
    /// is missing), which a runtime reports before any process exists.
    pub not_started: bool,
}

/// Runs `what` on `fs` with `ctx`; the filesystem is changed in place.
pub fn run(fs: &mut Vfs, what: &Invocation, ctx: &ShellContext) -> RunOutcome {
    let argv = match what {
        Invocation::Script(script) => {
            let mut argv = ctx.shell.clone();
            argv.push(script.clone());
            argv
        }
        Invocation::Exec(argv) => argv.clone(),
    };
    exec::Shell::new(fs, ctx).run_argv(&argv)
}
