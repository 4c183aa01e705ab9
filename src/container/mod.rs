//! Containers: one writable layer on top of an image's read-only layers, as the
//! overlay2 driver gives `docker run`.
//!
//! `Container::create` opens any image in the store (a final image or a build
//! step's intermediate image): the image's merged view becomes the read-only
//! lower filesystem, and a copy of it (O(1): the `Vfs` shares every node) is the
//! container's view. `exec` runs a script there with the RUN shell
//! (`shell::run`, the image's Env, WorkingDir, User and the build's budget).
//! The writable layer is never kept as separate state: it is always
//! `Layer::diff(lower, view, DiffStyle::Overlay)`, the same diff a RUN step
//! writes, so a modified lower file is copied up whole, a deleted lower entry is
//! a `.wh.` whiteout and a directory replaced wholesale gets an opaque marker,
//! exactly what an overlay upper directory holds. `diff` reads that layer as
//! `docker diff` does (`diff.rs`), `commit` stores it as a new image the way
//! `docker commit` does, and `process.rs` composes ENTRYPOINT and CMD.

mod diff;
pub mod process;
#[cfg(test)]
mod tests;

pub use diff::{docker_diff, DiffRow};
pub use process::{ProcessConfig, RunArgs, NO_COMMAND, NO_COMMAND_EXIT};

use crate::builder::{Limits, DEFAULT_EPOCH};
use crate::digest::Digest;
use crate::image::{History, Image, Timestamp};
use crate::layer::{DiffStyle, EntryKind, Layer};
use crate::shell::{self, Budget, Invocation, RunOutcome, ShellContext};
use crate::store::Store;
use crate::union::Union;
use crate::vfs::{Meta, Vfs};

/// How containers run: the shell's budget and the time stamped on what they write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContainerOptions {
    /// Steps and output one `exec` may use (the same as one RUN by default).
    pub budget: Budget,
    /// The mtime of every file written, and the `created` time of a commit: the
    /// core has no clock, so a fixed time keeps digests reproducible.
    pub mtime: i64,
}

impl Default for ContainerOptions {
    /// A RUN's budget, dated like a build (`builder::DEFAULT_EPOCH`).
    fn default() -> ContainerOptions {
        ContainerOptions {
            budget: Limits::default().shell,
            mtime: DEFAULT_EPOCH,
        }
    }
}

/// What one `exec` (or the one-shot process) printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecResult {
    /// Everything written to stdout (bytes that are not UTF-8 shown as U+FFFD).
    pub stdout: String,
    /// Everything written to stderr, with the runtime's own error when the
    /// process could not start or was stopped.
    pub stderr: String,
    /// The exit status (127 for a command that is not found, as sh reports it).
    pub exit_code: i32,
    /// The simulator's remarks (a program it does not model, a simulated download).
    pub warnings: Vec<String>,
}

/// One entry of the writable layer, as the container panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WritableEntry {
    /// Absolute path.
    pub path: String,
    /// What the entry is.
    pub kind: WritableKind,
    /// Bytes of a regular file (0 otherwise).
    pub size: u64,
}

/// Where a writable-layer entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritableKind {
    /// New in the container: nothing was at this path in the image.
    Added,
    /// The image had this path: overlayfs copied it up (a file whole, with its
    /// new contents; a directory because something inside it changed).
    CopiedUp {
        /// The image layer the lower version came from.
        from_layer: Option<usize>,
    },
    /// A `.wh.` whiteout hiding the image's entry.
    Whiteout {
        /// The image layer the hidden entry came from.
        from_layer: Option<usize>,
    },
    /// A `.wh..wh..opq` marker: the directory hides everything the image had in it.
    Opaque,
}

/// The image `docker run REFERENCE` starts: a tag or ID in the store, `scratch`,
/// or a simulated base image from the catalog (added to the store as FROM does).
pub fn resolve_image(store: &mut Store, reference: &str) -> Result<Digest, String> {
    if let Ok(id) = store.resolve(reference) {
        return Ok(id);
    }
    let mut cache = crate::cache::BuildCache::new();
    crate::builder::run::resolve_base(store, &mut cache, reference).map(|base| base.image_id)
}

/// A container: an image's read-only layers and one writable layer on top.
#[derive(Clone)]
pub struct Container {
    id: String,
    image_id: Digest,
    image: Image,
    lower: Vfs,
    lower_union: Union,
    fs: Vfs,
    config: ProcessConfig,
    shell: ShellContext,
    options: ContainerOptions,
}

impl Container {
    /// Creates container number `serial` of image `image_id` with the user's
    /// `docker run` settings. The ID is the sha256 of the image ID and the serial,
    /// so it is reproducible. Fails when the image or its layers are missing or
    /// the image's USER does not exist in it. A container whose composed command
    /// is empty is still created (see `process()`), so a user can exec in it.
    pub fn create(
        store: &Store,
        image_id: &Digest,
        args: &RunArgs,
        serial: u64,
        options: ContainerOptions,
    ) -> Result<Container, String> {
        let image = store
            .image(image_id)
            .ok_or_else(|| format!("no such image: {image_id}"))?
            .image
            .clone();
        let lower_union = store
            .union(image_id)
            .map_err(|e| format!("cannot open the layers of {image_id}: {e}"))?;
        let mut lower = lower_union.fs().clone();
        crate::builder::run::separate_lower_hard_links(&mut lower)?;
        let id = Digest::of(format!("{image_id}\0{serial}").as_bytes()).hex();
        let config = ProcessConfig::compose(&image.config, args);
        let (uid, gid) = if image.config.user.is_empty() {
            (0, 0)
        } else {
            shell::users::resolve_user(&lower, &image.config.user)
                .map_err(|e| format!("unable to find user {}: {e}", image.config.user))?
        };
        let mut env: Vec<(String, String)> = image
            .config
            .env
            .iter()
            .map(|entry| match entry.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (entry.clone(), String::new()),
            })
            .collect();
        if !env.iter().any(|(k, _)| k == "PATH") {
            env.insert(0, ShellContext::default().env[0].clone());
        }
        env.insert(0, ("HOSTNAME".to_string(), id[..12].to_string()));
        if !env.iter().any(|(k, _)| k == "HOME") {
            // As runc does: the user's home from /etc/passwd, else `/`.
            let home = shell::users::passwd(&lower)
                .into_iter()
                .find(|entry| entry.uid == uid)
                .map_or_else(|| "/".to_string(), |entry| entry.home);
            env.push(("HOME".to_string(), home));
        }
        let workdir = if image.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            image.config.working_dir.clone()
        };
        let shell_argv = if image.config.shell.is_empty() {
            ShellContext::default().shell
        } else {
            image.config.shell.clone()
        };
        let mut fs = lower.clone();
        if !fs.exists(&workdir) {
            // Docker creates a missing WorkingDir in the container's layer.
            fs.mkdir_all(&workdir, Meta::new(0o755).owned(uid, gid).at(options.mtime))
                .map_err(|e| format!("cannot create the working directory: {e}"))?;
        }
        let shell = ShellContext {
            env,
            workdir,
            uid,
            gid,
            umask: 0o022,
            mtime: options.mtime,
            budget: options.budget,
            shell: shell_argv,
            hostname: id[..12].to_string(),
        };
        Ok(Container {
            id,
            image_id: *image_id,
            image,
            lower,
            lower_union,
            fs,
            config,
            shell,
            options,
        })
    }

    /// The container ID (64 hex digits; `docker ps` shows the first 12).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The image the container was created from.
    pub fn image_id(&self) -> &Digest {
        &self.image_id
    }

    /// The container's ENTRYPOINT and CMD after the `docker run` overrides.
    pub fn config(&self) -> &ProcessConfig {
        &self.config
    }

    /// The argv of the process `docker run` would start, or Docker's
    /// "no command specified" error.
    pub fn process(&self) -> Result<Vec<String>, String> {
        self.config.process()
    }

    /// Starts the composed process once and waits for it (`docker run` without
    /// `-d`). The argv runs as the runtime would exec it: `/bin/sh -c SCRIPT`
    /// interprets the script, any other program is looked up on PATH and run, with
    /// the simulator's warning if it does not model it.
    pub fn start(&mut self) -> Result<ExecResult, String> {
        let argv = self.process()?;
        Ok(self.execute(&Invocation::Exec(argv)))
    }

    /// Runs `script` in the container through its shell (the image's SHELL, or
    /// `/bin/sh -c`), as `docker exec CONTAINER sh -c SCRIPT` does.
    pub fn exec(&mut self, script: &str) -> ExecResult {
        self.execute(&Invocation::Script(script.to_string()))
    }

    fn execute(&mut self, what: &Invocation) -> ExecResult {
        let outcome: RunOutcome = shell::run(&mut self.fs, what, &self.shell);
        let mut stderr = String::from_utf8_lossy(&outcome.stderr).into_owned();
        let mut exit_code = outcome.exit_code;
        if let Some(failure) = outcome.failure {
            if !stderr.is_empty() && !stderr.ends_with('\n') {
                stderr.push('\n');
            }
            stderr.push_str(&failure);
            stderr.push('\n');
            if exit_code == 0 {
                exit_code = 126;
            }
        }
        if outcome.not_started && !self.fs.exists("/bin/sh") {
            stderr.push_str(
                "hint: this image has no shell (no /bin/sh): a distroless image runs only the programs it ships, such as its ENTRYPOINT; its :debug tag has busybox's shell at /busybox/sh\n",
            );
        }
        ExecResult {
            stdout: String::from_utf8_lossy(&outcome.stdout).into_owned(),
            stderr,
            exit_code,
            warnings: outcome.notices.into_iter().map(|n| n.message).collect(),
        }
    }

    /// The container's merged view (the image's layers plus the writable layer).
    pub fn fs(&self) -> &Vfs {
        &self.fs
    }

    /// The writable layer as a real layer: what `docker commit` would store.
    pub fn layer(&self) -> Layer {
        Layer::diff(&self.lower, &self.fs, DiffStyle::Overlay).layer
    }

    /// How many read-only layers lie below the writable one (its index in a stack).
    pub fn lower_layers(&self) -> usize {
        self.lower_union.layer_count()
    }

    /// The writable layer's entries, each marked added, copied up from layer N,
    /// a whiteout of layer N's entry, or an opaque marker.
    pub fn entries(&self) -> Vec<WritableEntry> {
        self.layer()
            .entries()
            .iter()
            .map(|entry| {
                let path = format!("/{}", entry.path);
                let (kind, size) = match &entry.change {
                    EntryKind::Whiteout => (
                        WritableKind::Whiteout {
                            from_layer: self.lower_union.origin(&path),
                        },
                        0,
                    ),
                    EntryKind::Opaque => (WritableKind::Opaque, 0),
                    EntryKind::Node { kind, .. } => {
                        let size = match kind {
                            crate::vfs::Kind::File(blob) => blob.len(),
                            _ => 0,
                        };
                        (self.copied_or_added(&path), size)
                    }
                    EntryKind::Hardlink { .. } => (self.copied_or_added(&path), 0),
                };
                WritableEntry { path, kind, size }
            })
            .collect()
    }

    fn copied_or_added(&self, path: &str) -> WritableKind {
        if self.lower.lstat(path).is_ok() {
            WritableKind::CopiedUp {
                from_layer: self.lower_union.origin(path),
            }
        } else {
            WritableKind::Added
        }
    }

    /// `docker diff`: the writable layer's changes as A/C/D rows (see `diff.rs`).
    pub fn diff(&self) -> Vec<DiffRow> {
        docker_diff(&self.layer(), &self.lower)
    }

    /// The union view of the image's layers plus the writable layer, so listings
    /// show which layer each entry comes from and what it shadows.
    pub fn view(&self) -> Result<Union, String> {
        let mut union = self.lower_union.clone();
        union
            .push(&self.layer())
            .map_err(|e| format!("cannot apply the container's layer: {e}"))?;
        Ok(union)
    }

    /// `docker commit [-m MESSAGE] CONTAINER [TAG]`: a new image made of the
    /// image's layers plus the writable layer (none when nothing changed), the
    /// container's ENTRYPOINT and CMD, and a history entry as moby writes it
    /// (`created_by` is the container's CMD joined by spaces, `comment` the
    /// message). Returns the new image's ID.
    pub fn commit(
        &self,
        store: &mut Store,
        tag: Option<&str>,
        message: Option<&str>,
    ) -> Result<Digest, String> {
        let layer = self.layer();
        let created = Timestamp::from_seconds(self.options.mtime);
        let mut image = self.image.clone();
        image.config.entrypoint = self.config.entrypoint.clone();
        image.config.cmd = self.config.cmd.clone();
        image.created = Some(created);
        let empty_layer = layer.is_empty();
        if !empty_layer {
            image.diff_ids.push(store.add_layer(layer));
        }
        image.history.push(History {
            created: Some(created),
            created_by: self.config.cmd.join(" "),
            author: String::new(),
            comment: message.unwrap_or_default().to_string(),
            empty_layer,
        });
        let id = store.add_image(image).map_err(|e| e.to_string())?;
        if let Some(tag) = tag {
            store.tag(tag, &id).map_err(|e| e.to_string())?;
        }
        Ok(id)
    }
}
