//! The process `docker run` starts: the image's ENTRYPOINT and CMD, overridden by
//! `docker run IMAGE ARGS...` and `--entrypoint`, composed as Docker does.
//!
//! The image config already holds both as argv: BuildKit stores a shell-form
//! `ENTRYPOINT echo hi` as `["/bin/sh", "-c", "echo hi"]` (or through `SHELL`). At
//! run time the daemon merges the user's settings into the image's (moby's
//! `merge`: the image's CMD is used only when the user gave neither arguments nor
//! an entrypoint) and starts `Entrypoint ++ Cmd`. That one rule gives every cell
//! of the table in Docker's "Understand how CMD and ENTRYPOINT interact": a
//! shell-form ENTRYPOINT receives the CMD as extra arguments that `sh -c` takes as
//! `$0`, `$1`... and ignores, which is why the table shows only
//! `/bin/sh -c exec_entry p1_entry` in that column.

use crate::image::Config;

/// What the Docker CLI prints when the composed command is empty: the daemon's
/// `no command specified` through the CLI's `reportError` (`docker: ` prefix, one
/// final period); `docker run` then exits with 125.
pub const NO_COMMAND: &str = "docker: Error response from daemon: no command specified.";

/// The exit status of `docker run` when the daemon refuses to create the container.
pub const NO_COMMAND_EXIT: i32 = 125;

/// What the user asked for on the `docker run` command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunArgs {
    /// `docker run IMAGE ARGS...`: replaces the image's CMD when not empty.
    pub command: Vec<String>,
    /// `--entrypoint X`: replaces the image's ENTRYPOINT and drops its CMD;
    /// `--entrypoint ""` clears the ENTRYPOINT.
    pub entrypoint: Option<String>,
}

/// The container's own ENTRYPOINT and CMD after the merge (what `docker inspect`
/// shows under `Config`, and what `docker commit` writes into the new image).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcessConfig {
    /// The entrypoint argv (empty when there is none).
    pub entrypoint: Vec<String>,
    /// The command argv (empty when there is none).
    pub cmd: Vec<String>,
}

impl ProcessConfig {
    /// Merges the user's `docker run` settings into the image's config.
    pub fn compose(image: &Config, args: &RunArgs) -> ProcessConfig {
        match &args.entrypoint {
            Some(entrypoint) => ProcessConfig {
                entrypoint: if entrypoint.is_empty() {
                    Vec::new()
                } else {
                    vec![entrypoint.clone()]
                },
                cmd: args.command.clone(),
            },
            None => ProcessConfig {
                entrypoint: image.entrypoint.clone(),
                cmd: if args.command.is_empty() {
                    image.cmd.clone()
                } else {
                    args.command.clone()
                },
            },
        }
    }

    /// The argv of the process the container starts, or Docker's
    /// [`NO_COMMAND`] error when both are empty.
    pub fn process(&self) -> Result<Vec<String>, String> {
        let argv: Vec<String> = self
            .entrypoint
            .iter()
            .chain(self.cmd.iter())
            .cloned()
            .collect();
        if argv.is_empty() {
            Err(NO_COMMAND.to_string())
        } else {
            Ok(argv)
        }
    }
}

/// The process as a reader would type it: words with spaces or quotes are
/// single-quoted (`/bin/sh -c 'echo hi'`).
pub fn display(argv: &[String]) -> String {
    argv.iter()
        .map(|word| {
            let plain = !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
            if plain {
                word.clone()
            } else {
                format!("'{}'", word.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
