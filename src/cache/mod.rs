//! The build cache, and the reason every step hit or missed it.
//!
//! A step's key is its parent's key plus the operation as the builder keys it
//! (`builder` computes both personalities' keys: BuildKit's from the operation's
//! definition and inputs, the classic builder's from the parent image and the
//! `created_by` string). The cache keeps each result (the filesystem after the
//! step, its layer and history entry), so a hit reuses it byte for byte, and it
//! keeps a record of the previous build's steps so a miss can say what changed.

#[cfg(test)]
mod tests;

use crate::digest::{Digest, Hasher};
use crate::layer::{ChangeCounts, Layer};
use crate::shell::Notice;
use crate::vfs::Vfs;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What a cached step produced, reused on a hit.
#[derive(Clone)]
pub struct CachedResult {
    /// The filesystem after the step.
    pub fs: Vfs,
    /// The step's layer, `None` for metadata-only steps.
    pub layer: Option<Arc<Layer>>,
    /// Counts of the layer's changes, shown again on a hit.
    pub changes: ChangeCounts,
    /// What the step printed when it ran.
    pub output: String,
    /// Simulation notices of the run.
    pub notices: Vec<Notice>,
}

/// The inputs of a step as remembered between builds, to explain a miss.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepRecord {
    /// The instruction as written.
    pub instruction: String,
    /// Named inputs and their fingerprints: `file:requirements.txt` → digest,
    /// `arg:VERSION` → value, `env:PATH` → value, `base` → image ID.
    pub inputs: BTreeMap<String, String>,
}

/// Hit or miss, with the reason in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// True if the result was reused.
    pub hit: bool,
    /// `hit`, or `miss: ...` saying why.
    pub reason: String,
}

impl Verdict {
    /// A hit.
    pub fn hit() -> Verdict {
        Verdict {
            hit: true,
            reason: "hit".to_string(),
        }
    }

    /// A miss for `reason` (without the `miss: ` prefix).
    pub fn miss(reason: impl Into<String>) -> Verdict {
        Verdict {
            hit: false,
            reason: format!("miss: {}", reason.into()),
        }
    }
}

/// The cache shared by every build of a session.
#[derive(Clone, Default)]
pub struct BuildCache {
    results: HashMap<Digest, CachedResult>,
    previous: HashMap<String, Vec<StepRecord>>,
    builds: usize,
}

/// Builds a cache key from its parts: each part is length-prefixed so no two
/// different part lists hash alike.
pub fn key(parts: &[&[u8]]) -> Digest {
    let mut hasher = Hasher::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finish()
}

impl BuildCache {
    /// An empty cache.
    pub fn new() -> BuildCache {
        BuildCache::default()
    }

    /// The result cached under `key`.
    pub fn get(&self, key: &Digest) -> Option<&CachedResult> {
        self.results.get(key)
    }

    /// Remembers a result.
    pub fn put(&mut self, key: Digest, result: CachedResult) {
        self.results.insert(key, result);
    }

    /// Number of cached results.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// True if nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }

    /// Forgets every result (`docker builder prune`).
    pub fn clear(&mut self) {
        self.results.clear();
        self.previous.clear();
        self.builds = 0;
    }

    /// The steps the previous build recorded for stage `stage` (its name, or
    /// `stage-N`).
    pub fn previous(&self, stage: &str) -> Option<&[StepRecord]> {
        self.previous.get(stage).map(Vec::as_slice)
    }

    /// True if an earlier build ran in this cache.
    pub fn has_history(&self) -> bool {
        self.builds > 0
    }

    /// Records a finished build's steps per stage, for the next build's reasons.
    pub fn record_build(&mut self, stages: Vec<(String, Vec<StepRecord>)>) {
        for (stage, steps) in stages {
            self.previous.insert(stage, steps);
        }
        self.builds += 1;
    }

    /// Explains why step `position` of `stage` missed, comparing with what the
    /// previous build recorded. `earlier_miss` is the 1-based step number of an
    /// earlier miss in the same stage, which invalidates everything after it.
    pub fn explain_miss(
        &self,
        stage: &str,
        position: usize,
        now: &StepRecord,
        earlier_miss: Option<usize>,
    ) -> Verdict {
        if let Some(step) = earlier_miss {
            return Verdict::miss(format!("an earlier step missed (step {step})"));
        }
        if !self.has_history() {
            return Verdict::miss("first build");
        }
        let Some(before) = self.previous(stage).and_then(|steps| steps.get(position)) else {
            return Verdict::miss("a new step");
        };
        if before.instruction != now.instruction {
            return Verdict::miss(format!(
                "the instruction changed (was `{}`)",
                before.instruction
            ));
        }
        for (name, value) in &now.inputs {
            match before.inputs.get(name) {
                Some(old) if old == value => {}
                Some(old) => return Verdict::miss(describe_change(name, Some(old), Some(value))),
                None => return Verdict::miss(describe_change(name, None, Some(value))),
            }
        }
        if let Some(name) = before
            .inputs
            .keys()
            .find(|name| !now.inputs.contains_key(*name))
        {
            return Verdict::miss(describe_change(name, before.inputs.get(name), None));
        }
        Verdict::miss("the result was evicted from the cache")
    }
}

/// Plain words for one changed input.
fn describe_change(name: &str, before: Option<&String>, after: Option<&String>) -> String {
    let short = |v: &String| {
        v.strip_prefix("sha256:")
            .unwrap_or(v)
            .chars()
            .take(4)
            .collect::<String>()
            + ".."
    };
    if let Some(path) = name.strip_prefix("file:") {
        return match (before, after) {
            (Some(b), Some(a)) => format!("{path} changed (sha256 {} -> {})", short(b), short(a)),
            (None, _) => format!("{path} was added to the copied files"),
            (_, None) => format!("{path} was removed from the copied files"),
        };
    }
    if let Some(arg) = name.strip_prefix("arg:") {
        return format!("build arg {arg} changed");
    }
    if let Some(var) = name.strip_prefix("env:") {
        return format!("environment variable {var} changed");
    }
    match name {
        "base" => "the base image changed".to_string(),
        "user" => "the USER changed".to_string(),
        "workdir" => "the WORKDIR changed".to_string(),
        "shell" => "the SHELL changed".to_string(),
        "ignore" => "the .dockerignore changed which files are copied".to_string(),
        other => format!("{other} changed"),
    }
}
