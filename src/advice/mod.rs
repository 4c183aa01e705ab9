//! Reorder advice: where moving a line would keep an expensive step cached.
//!
//! The classic mistake is `COPY . .` before `RUN pip install -r requirements.txt`
//! (or `npm ci`, `go mod download`...): the install needs only the dependency
//! manifests, but any edit to any copied file misses the COPY and so reruns the
//! install. `advise` finds, per stage, an install whose manifests a broader COPY
//! brings in first (or a COPY of other files that sits before the install), and
//! words a suggestion naming the lines to move. When the build just showed the
//! cost (that COPY missed and the install ran again), the advice says so.

#[cfg(test)]
mod tests;

use crate::builder::Step;
use crate::context::glob::Glob;
use crate::context::{BuildContext, ContextKind};
use crate::dockerfile::instruction::{Command, Dockerfile, Instruction};

/// One suggestion, with the Dockerfile lines it is about (1-based): the line
/// to move first, then the line it should go above or below.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advice {
    /// The suggestion in plain words.
    pub message: String,
    /// The lines involved.
    pub lines: Vec<usize>,
}

/// An install command and the files it reads.
struct Install {
    /// The command as users know it (`pip install`, `npm ci`).
    tool: String,
    /// Manifests it reads that exist in the context.
    manifests: Vec<String>,
}

/// Suggestions for the Dockerfile `dockerfile` built from `context`, using the
/// build's `steps` (possibly empty) to say when the order already cost a rerun.
pub fn advise(dockerfile: &Dockerfile, context: &BuildContext, steps: &[Step]) -> Vec<Advice> {
    let mut out = Vec::new();
    for (stage_index, stage) in dockerfile.stages.iter().enumerate() {
        let instructions = &stage.instructions;
        for (r, run) in instructions.iter().enumerate() {
            let Some(install) = install_of(run, context) else {
                continue;
            };
            let copies: Vec<(usize, &Instruction, Vec<String>)> = instructions[..r]
                .iter()
                .enumerate()
                .filter_map(|(i, ins)| context_sources(ins).map(|s| (i, ins, s)))
                .collect();
            // A COPY that brings only manifests (by name or by a glob such as
            // `package*.json`) is the cache-friendly first half; one that brings
            // other files too, or a whole directory (`.`, `src/`: whatever is
            // added there later), is what reruns the install on every edit.
            let manifests_only = |sources: &[String]| {
                install.manifests.iter().any(|m| covers(sources, m))
                    && sources.iter().all(|s| {
                        let s = tidy(s);
                        s != "."
                            && !install
                                .manifests
                                .iter()
                                .any(|m| m.starts_with(&format!("{s}/")))
                    })
                    && !context.entries().any(|(path, entry)| {
                        !matches!(entry.kind, ContextKind::Dir)
                            && covers(sources, path)
                            && !install.manifests.iter().any(|m| m == path)
                    })
            };
            let provided_before = |limit: usize| {
                install.manifests.iter().all(|m| {
                    copies
                        .iter()
                        .filter(|(i, _, _)| *i < limit)
                        .any(|(_, _, sources)| covers(sources, m) && manifests_only(sources))
                })
            };
            for (c, copy, sources) in &copies {
                let broad = install.manifests.iter().any(|m| covers(sources, m))
                    && !manifests_only(sources);
                let unrelated = !install.manifests.iter().any(|m| covers(sources, m));
                let cost = cost_note(steps, stage_index, copy, run);
                if broad && !provided_before(*c) {
                    let files = install.manifests.join(" ");
                    out.push(Advice {
                        message: format!(
                            "consider copying {files} and running `{}` before `{}`: add `COPY {files} ./` above line {} and move line {} (`{}`) right after it, so editing other files no longer reruns the install{cost}",
                            install.tool, copy.original, copy.start_line, run.start_line, run.original
                        ),
                        lines: vec![run.start_line, copy.start_line],
                    });
                    break;
                }
                if unrelated && provided_before(*c) {
                    out.push(Advice {
                        message: format!(
                            "consider moving line {} (`{}`) below line {} (`{}`): the install does not read those files, so editing them would no longer rerun it{cost}",
                            copy.start_line, copy.original, run.start_line, run.original
                        ),
                        lines: vec![copy.start_line, run.start_line],
                    });
                    break;
                }
            }
        }
    }
    out
}

/// `. In this build line N missed because ...` when the COPY missed (not on a
/// first build) and the install ran again.
fn cost_note(steps: &[Step], stage: usize, copy: &Instruction, run: &Instruction) -> String {
    let find = |ins: &Instruction| {
        steps
            .iter()
            .find(|s| s.stage == stage && s.line == ins.start_line && s.instruction == ins.original)
    };
    let missed = |s: Option<&Step>| s.and_then(|s| s.cache.as_ref()).is_some_and(|v| !v.hit);
    let (c, r) = (find(copy), find(run));
    if missed(c)
        && missed(r)
        && c.and_then(|s| s.cache.as_ref())
            .is_some_and(|v| v.reason != "miss: first build")
    {
        let why = c
            .and_then(|s| s.cache.as_ref())
            .map(|v| v.reason.trim_start_matches("miss: ").to_string())
            .unwrap_or_default();
        format!(
            ". In this build line {} missed because {why}, so the install on line {} ran again",
            copy.start_line, run.start_line
        )
    } else {
        String::new()
    }
}

/// The sources of a COPY/ADD from the build context (not `--from`, no heredocs).
fn context_sources(ins: &Instruction) -> Option<Vec<String>> {
    match &ins.command {
        Command::Copy(c) if c.from.is_none() && c.contents.is_empty() => Some(c.sources.clone()),
        Command::Add(a) if a.contents.is_empty() => Some(a.sources.clone()),
        _ => None,
    }
}

/// A source path without `./` and trailing `/`; `.` for the whole context.
fn tidy(source: &str) -> String {
    let s = source.trim_start_matches("./").trim_end_matches('/');
    if s.is_empty() || s == "." {
        ".".to_string()
    } else {
        s.to_string()
    }
}

/// True if the sources bring `file` in: the whole context, the file, a
/// directory holding it, or a glob that matches it.
fn covers(sources: &[String], file: &str) -> bool {
    sources.iter().any(|s| {
        let s = tidy(s);
        s == "."
            || s == file
            || file.starts_with(&format!("{s}/"))
            || (Glob::has_wildcards(&s) && Glob::file_path(&s).is_ok_and(|g| g.matches(file)))
    })
}

/// The install a RUN performs and the manifests it reads, if it is one of the
/// well-known dependency installs and the manifests are in the context. A RUN
/// that picks its installer by lock file (`if [ -f yarn.lock ]; then yarn ...;
/// elif ...`, Next.js's Dockerfile) reads the manifests of every branch, and is
/// named after the branch whose lock file the context has.
fn install_of(ins: &Instruction, context: &BuildContext) -> Option<Install> {
    let Command::Run(run) = &ins.command else {
        return None;
    };
    let text = run.command.args.join(" ");
    let mut found: Vec<Install> = Vec::new();
    for part in text.split(['&', ';', '|', '\n']) {
        let mut words: Vec<&str> = part.split_whitespace().collect();
        while matches!(
            words.first(),
            Some(&("then" | "else" | "do" | "{" | "(" | "!"))
        ) {
            words.remove(0);
        }
        let at = |i: usize| words.get(i).copied().unwrap_or_default();
        let (tool, candidates): (String, Vec<String>) = match (at(0), at(1), at(2)) {
            ("pip" | "pip3", "install", _) | ("python" | "python3", "-m", "pip") => {
                let Some(i) = words
                    .iter()
                    .position(|w| *w == "-r" || *w == "--requirement")
                else {
                    continue;
                };
                let Some(file) = words.get(i + 1) else {
                    continue;
                };
                ("pip install".to_string(), vec![tidy(file)])
            }
            ("npm", "ci", _) => ("npm ci".to_string(), node("package-lock.json")),
            ("npm", "install" | "i", "") => ("npm install".to_string(), node("package-lock.json")),
            // `yarn`, `yarn install` and `yarn --frozen-lockfile` all install.
            ("yarn", second, _)
                if second.is_empty()
                    || second == "install"
                    || (second.starts_with('-') && !matches!(second, "--version" | "-v")) =>
            {
                ("yarn install".to_string(), node("yarn.lock"))
            }
            ("pnpm", "install" | "i", _) => ("pnpm install".to_string(), node("pnpm-lock.yaml")),
            ("go", "mod", "download") => ("go mod download".to_string(), pair("go.mod", "go.sum")),
            ("bundle", "install", _) => (
                "bundle install".to_string(),
                pair("Gemfile", "Gemfile.lock"),
            ),
            ("composer", "install", _) => (
                "composer install".to_string(),
                pair("composer.json", "composer.lock"),
            ),
            ("poetry", "install", _) => (
                "poetry install".to_string(),
                pair("pyproject.toml", "poetry.lock"),
            ),
            _ => continue,
        };
        let manifests: Vec<String> = candidates
            .into_iter()
            .filter(|m| context.get(m).is_some())
            .collect();
        if !manifests.is_empty() {
            found.push(Install { tool, manifests });
        }
    }
    // The branch whose own lock file is there (more than a shared package.json).
    let chosen = found
        .iter()
        .position(|i| i.manifests.len() > 1)
        .unwrap_or(0);
    let tool = found.get(chosen)?.tool.clone();
    let mut manifests: Vec<String> = Vec::new();
    for install in &found {
        for m in &install.manifests {
            if !manifests.contains(m) {
                manifests.push(m.clone());
            }
        }
    }
    Some(Install { tool, manifests })
}

fn node(lock: &str) -> Vec<String> {
    pair("package.json", lock)
}

fn pair(a: &str, b: &str) -> Vec<String> {
    vec![a.to_string(), b.to_string()]
}
