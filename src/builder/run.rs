//! RUN in the simulated shell, and the base images FROM starts from.

use super::mounts::{self, Mount};
use crate::cache::BuildCache;
use crate::digest::Digest;
use crate::dockerfile::instruction::{CommandLine, Instruction};
use crate::image::{History, Image, Timestamp};
use crate::layer::{DiffStyle, Layer};
use crate::shell::{self, Budget, Invocation, Notice, ShellContext};
use crate::store::Store;
use crate::vfs::Vfs;

/// What a RUN step executes and with which settings.
pub(super) struct RunRequest {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub workdir: String,
    pub uid: u32,
    pub gid: u32,
    pub shell: Vec<String>,
    pub mounts: Vec<Mount>,
    /// Remarks about mounts that were skipped (an optional secret not given).
    pub notices: Vec<Notice>,
    pub mtime: i64,
    pub budget: Budget,
}

/// The final argv of a RUN: exec form as written; shell form through SHELL. A
/// heredoc that is the whole command is the script itself; heredocs inside a
/// command line are handed to the shell with their bodies, as BuildKit does.
pub(super) fn argv(shell: &[String], command: &CommandLine) -> Vec<String> {
    if !command.prepend_shell {
        return command.args.clone();
    }
    let text = command.args.join(" ");
    let script = match command.files.as_slice() {
        [] => text,
        [only] if is_bare_heredoc(&text, &only.name) => body(only),
        files => {
            let mut script = text;
            for file in files {
                script.push('\n');
                script.push_str(&file.data);
                script.push_str(&file.name);
            }
            script
        }
    };
    let mut argv = shell.to_vec();
    argv.push(script);
    argv
}

/// What BuildKit adds to the name of a RUN that is one heredoc: the script's
/// first line, with `...` when it has more (`RUN <<EOF (apt-get update...)`).
pub(super) fn heredoc_summary(command: &CommandLine) -> Option<String> {
    let first = command.files.first()?;
    if !command.prepend_shell || !is_bare_heredoc(&command.args.join(" "), &first.name) {
        return None;
    }
    let doc = first.data.replace("\r\n", "\n");
    let mut lines = doc.trim().split('\n');
    let mut summary = lines.next().unwrap_or_default().to_string();
    if lines.next().is_some() {
        summary.push_str("...");
    }
    Some(summary)
}

fn is_bare_heredoc(text: &str, name: &str) -> bool {
    let word = text
        .trim()
        .trim_start_matches("<<")
        .trim_start_matches('-')
        .trim();
    word.trim_matches(|c| c == '"' || c == '\'') == name && !text.trim().contains(' ')
}

fn body(file: &crate::dockerfile::instruction::InlineFile) -> String {
    if file.chomp {
        file.data
            .lines()
            .map(|l| l.trim_start_matches('\t'))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    } else {
        file.data.clone()
    }
}

/// The command text the classic builder records: the line after the keyword,
/// spaces kept.
pub(super) fn legacy_text(instruction: &Instruction) -> &str {
    let rest = &instruction.original[instruction.keyword.len().min(instruction.original.len())..];
    rest.strip_prefix([' ', '\t']).unwrap_or(rest)
}

/// Runs the command on `fs` with its mounts attached (`mounts`); returns the
/// output and the notices. What the command left in each cache mount goes to
/// `caches` even when it fails, as BuildKit keeps a failed command's cache writes.
pub(super) fn execute(
    fs: &mut Vfs,
    request: &RunRequest,
    caches: &mut Vec<(String, Vfs)>,
) -> Result<(String, Vec<Notice>), String> {
    let attached = mounts::attach(fs, &request.mounts, request.mtime)?;
    let ctx = ShellContext {
        env: request.env.clone(),
        workdir: request.workdir.clone(),
        uid: request.uid,
        gid: request.gid,
        umask: 0o022,
        mtime: request.mtime,
        budget: request.budget,
        shell: request.shell.clone(),
        hostname: "buildkitsandbox".to_string(),
    };
    let outcome = shell::run(fs, &Invocation::Exec(request.argv.clone()), &ctx);
    let detached = mounts::detach(fs, &request.mounts, attached)?;
    caches.extend(detached.caches);
    let output = String::from_utf8_lossy(&outcome.output).into_owned();
    if outcome.not_started {
        // runc prints why it could not start the process and exits 1; BuildKit
        // reports that status (executor/runcexecutor's exitError) under its
        // "did not complete successfully" wrapper, with runc's line in the log.
        return Err(format!(
            "process \"{}\" did not complete successfully: exit code: 1\nrunc run failed: {}\nhint: {}",
            request.argv.join(" "),
            outcome.failure.unwrap_or_default(),
            missing_program_hint(request)
        ));
    }
    if let Some(failure) = outcome.failure {
        return Err(format!("{failure}\n{output}").trim_end().to_string());
    }
    if outcome.exit_code != 0 {
        let mut message = format!(
            "process \"{}\" did not complete successfully: exit code: {}",
            request.argv.join(" "),
            outcome.exit_code
        );
        if !output.is_empty() {
            message.push('\n');
            message.push_str(output.trim_end());
        }
        if let Some(hint) = hint(outcome.exit_code, &output) {
            message.push_str("\nhint: ");
            message.push_str(&hint);
        }
        return Err(message);
    }
    if let Some(refused) = detached.refused {
        return Err(refused);
    }
    let mut notices = request.notices.clone();
    notices.extend(outcome.notices);
    Ok((output, notices))
}

/// Makes every hard-linked name a file of its own, as overlayfs shows lower-layer
/// hard links to a RUN: changing one name copies that name up and leaves the
/// others as they were (`../shared/docs/SEMANTICS.md` §6), in both builders.
pub(crate) fn separate_lower_hard_links(fs: &mut Vfs) -> Result<(), String> {
    let linked: Vec<String> = fs
        .walk("/")
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|e| e.stat.inode.is_some())
        .map(|e| format!("/{}", e.path))
        .collect();
    for path in linked {
        let stat = fs.lstat(&path).map_err(|e| e.to_string())?;
        if let crate::vfs::Kind::File(blob) = stat.kind {
            fs.remove_file(&path).map_err(|e| e.to_string())?;
            fs.write_file(&path, blob, stat.meta)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// What to do when the program a RUN starts is not in the image: most often the
/// shell of a shell-form RUN, which distroless and `scratch` images do not have.
fn missing_program_hint(request: &RunRequest) -> String {
    let program = request.argv.first().map_or("", String::as_str);
    if request.shell.first().map(String::as_str) != Some(program) {
        format!("this image has no `{program}`: COPY it into the image first, or run it in a stage whose image has it")
    } else if program != "/bin/sh" {
        format!("SHELL names `{program}`, which this image does not have: set SHELL to a shell it has (such as /bin/sh) for the RUN that installs it")
    } else {
        format!(
            "this image has no `{program}`, the shell a shell-form RUN starts (distroless and scratch images have no shell): run the command in a build stage and COPY --from=that stage, or use a distroless :debug tag with SHELL [\"/busybox/sh\", \"-c\"]"
        )
    }
}

/// A next step for the classic "command not found" failures.
fn hint(exit_code: i32, output: &str) -> Option<String> {
    if exit_code != 127 {
        return None;
    }
    let missing = output
        .lines()
        .find_map(|line| line.strip_suffix(": not found"))?
        .rsplit(": ")
        .next()?
        .to_string();
    Some(match missing.as_str() {
        "pip" | "pip3" | "python" | "python3" => format!(
            "this image has no `{missing}`: install it first (RUN apt-get update && apt-get install -y python3-pip) or start FROM a python image such as python:3.12-slim"
        ),
        "npm" | "node" | "npx" => format!("this image has no `{missing}`: start FROM a node image such as node:22-slim, or install nodejs and npm"),
        "go" => "this image has no `go`: start FROM a golang image such as golang:1.23".to_string(),
        _ => format!("this image has no `{missing}`: install the package that provides it, or start FROM an image that has it"),
    })
}

/// A resolved base image.
pub(crate) struct Base {
    pub fs: Vfs,
    pub image: Image,
    pub image_id: Digest,
    pub display: String,
}

/// Finds a base image: `scratch`, an image in the store (loaded or built earlier),
/// or one of the catalog's simulated images, which is added to the store under
/// its full name and the name as written, so the next build finds it there.
pub(crate) fn resolve_base(
    store: &mut Store,
    cache: &mut BuildCache,
    reference: &str,
) -> Result<Base, String> {
    if reference.eq_ignore_ascii_case("scratch") {
        let image = Image::scratch();
        let image_id = store.add_image(image.clone()).map_err(|e| e.to_string())?;
        return Ok(Base {
            fs: Vfs::new(),
            image,
            image_id,
            display: "scratch".to_string(),
        });
    }
    if let Ok(id) = store.resolve(reference) {
        let stored = store
            .image(&id)
            .ok_or_else(|| format!("image {id} vanished from the store"))?;
        let image = stored.image.clone();
        // Applying a base's layers is most of a cached rebuild's time, so the
        // session keeps the result (an O(1) clone of a shared tree).
        let fs = match cache.base_fs(&id) {
            Some(fs) => fs.clone(),
            None => {
                let union = store
                    .union(&id)
                    .map_err(|e| format!("cannot open the layers of {reference}: {e}"))?;
                cache.put_base_fs(id, union.fs().clone());
                union.fs().clone()
            }
        };
        return Ok(Base {
            fs,
            image,
            image_id: id,
            display: super::stage::full_name(reference),
        });
    }
    let base = crate::catalog::resolve(reference).map_err(|e| e.to_string())?;
    if let Ok(id) = store.resolve(&base.canonical_name) {
        store.tag(reference, &id).map_err(|e| e.to_string())?;
        return resolve_base(store, cache, reference);
    }
    let mut image = Image {
        architecture: base.architecture.clone(),
        os: base.os.clone(),
        created: Timestamp::parse(&base.created),
        author: base.author.clone(),
        ..Image::default()
    };
    let config = &base.config;
    image.config.env = config.env.clone();
    image.config.cmd = config.cmd.clone().unwrap_or_default();
    image.config.entrypoint = config.entrypoint.clone().unwrap_or_default();
    image.config.working_dir = config.working_dir.clone();
    image.config.user = config.user.clone();
    image.config.exposed_ports = config.exposed_ports.iter().cloned().collect();
    image.config.volumes = config.volumes.iter().cloned().collect();
    image.config.labels = config.labels.iter().cloned().collect();
    image.config.stop_signal = config.stop_signal.clone().unwrap_or_default();
    image.config.shell = config.shell.clone().unwrap_or_default();
    // Hashing the base layers' tars is most of a first build's time; the catalog
    // knows their diffIDs (checked in debug builds and by a test).
    let known = crate::catalog::known_diff_ids(&base.canonical_name)
        .filter(|ids| ids.len() == base.layers.len())
        .unwrap_or_default();
    let mut below = Vfs::new();
    for (index, layer) in base.layers.iter().enumerate() {
        let mut diff = Layer::diff(&below, &layer.fs_after, DiffStyle::BuildKit).layer;
        if let Some(diff_id) = known.get(index) {
            diff = diff.with_known_diff_id(*diff_id);
        }
        image.diff_ids.push(store.add_layer(diff));
        below = layer.fs_after.clone();
    }
    image.history = base
        .history
        .iter()
        .map(|h| History {
            created: Timestamp::parse(&h.created),
            created_by: h.created_by.clone(),
            author: h.author.clone(),
            comment: h.comment.clone(),
            empty_layer: h.empty_layer,
        })
        .collect();
    let image_id = store.add_image(image.clone()).map_err(|e| e.to_string())?;
    store
        .tag(&base.canonical_name, &image_id)
        .map_err(|e| e.to_string())?;
    store.tag(reference, &image_id).map_err(|e| e.to_string())?;
    Ok(Base {
        fs: below,
        image,
        image_id,
        display: base.canonical_name,
    })
}
