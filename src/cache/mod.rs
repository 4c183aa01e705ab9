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
use crate::layer::ChangeCounts;
use crate::shell::{Notice, NoticeKind};
use crate::vfs::Vfs;
use std::collections::{BTreeMap, HashMap};

/// What a cached step produced, reused on a hit.
#[derive(Clone)]
pub struct CachedResult {
    /// The intermediate image right after the step; its layers rebuild the
    /// filesystem when the cache was loaded from disk.
    pub image_id: Digest,
    /// The filesystem after the step, when it is still in memory.
    pub fs: Option<Vfs>,
    /// The step's layer, `None` for metadata-only steps.
    pub layer: Option<Digest>,
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
    /// Base images' filesystems by image ID, so FROM does not reapply their
    /// layers on every build (memory only; rebuilt from the store when absent).
    bases: HashMap<Digest, Vfs>,
    previous: HashMap<String, Vec<StepRecord>>,
    builds: usize,
    /// `RUN --mount=type=cache` directories by id: they outlive every build, as
    /// BuildKit's do, and belong to no layer.
    mount_caches: HashMap<String, Vfs>,
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

    /// The filesystem of base image `id`, if a build of this session made it.
    pub fn base_fs(&self, id: &Digest) -> Option<&Vfs> {
        self.bases.get(id)
    }

    /// Remembers the filesystem of base image `id`.
    pub fn put_base_fs(&mut self, id: Digest, fs: Vfs) {
        self.bases.insert(id, fs);
    }

    /// The kept contents of cache mount `id` (its root is the cache directory).
    pub fn mount_cache(&self, id: &str) -> Option<&Vfs> {
        self.mount_caches.get(id)
    }

    /// Every kept cache mount, by id in byte order (the CLI saves them beside its
    /// on-disk store).
    pub fn mount_caches(&self) -> Vec<(&str, &Vfs)> {
        let mut all: Vec<(&str, &Vfs)> = self
            .mount_caches
            .iter()
            .map(|(id, fs)| (id.as_str(), fs))
            .collect();
        crate::sort::sort_by_key(&mut all, |(id, _)| *id);
        all
    }

    /// Keeps what a RUN left in cache mount `id`.
    pub fn put_mount_cache(&mut self, id: String, contents: Vfs) {
        self.mount_caches.insert(id, contents);
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
        self.bases.clear();
        self.previous.clear();
        self.mount_caches.clear();
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
        if !self.has_history() {
            return Verdict::miss("first build");
        }
        if let Some(step) = earlier_miss {
            return Verdict::miss(format!("an earlier step missed (step {step})"));
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

impl BuildCache {
    /// The cache as JSON, kept beside an on-disk store (`layerlab build --store`):
    /// results by key (their images live in the store) and the last build's steps.
    pub fn to_json(&self) -> String {
        let mut results: Vec<(&Digest, &CachedResult)> = self.results.iter().collect();
        crate::sort::sort_by_key(&mut results, |(k, _)| **k);
        let results: serde_json::Map<String, serde_json::Value> = results
            .into_iter()
            .map(|(k, r)| {
                let c = r.changes;
                let value = serde_json::json!({
                    "image": r.image_id.to_string(),
                    "layer": r.layer.map(|d| d.to_string()),
                    "changes": [c.added, c.modified, c.deleted, c.type_changed, c.metadata_only],
                    "output": r.output,
                    "notices": r.notices.iter().map(|n| serde_json::json!({
                        "simulated": n.kind == NoticeKind::Simulated,
                        "program": n.program,
                        "message": n.message,
                    })).collect::<Vec<_>>(),
                });
                (k.to_string(), value)
            })
            .collect();
        let mut stages: Vec<(&String, &Vec<StepRecord>)> = self.previous.iter().collect();
        crate::sort::sort_by_key(&mut stages, |(stage, _)| stage.as_str());
        let previous: serde_json::Map<String, serde_json::Value> = stages
            .into_iter()
            .map(|(stage, steps)| {
                let steps: Vec<serde_json::Value> = steps
                    .iter()
                    .map(
                        |r| serde_json::json!({ "instruction": r.instruction, "inputs": r.inputs }),
                    )
                    .collect();
                (stage.clone(), serde_json::Value::Array(steps))
            })
            .collect();
        serde_json::json!({ "version": 1, "builds": self.builds, "results": results, "previous": previous }).to_string()
    }

    /// Reads what `to_json` wrote; a cache that cannot be read is an error the
    /// caller can report (and then start empty).
    pub fn from_json(text: &str) -> Result<BuildCache, String> {
        let bad = |what: &str| {
            format!(
                "the build cache index is damaged ({what}); delete it to start with an empty cache"
            )
        };
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
        let mut cache = BuildCache::new();
        cache.builds = v["builds"].as_u64().unwrap_or(0) as usize;
        for (k, r) in v["results"].as_object().ok_or_else(|| bad("results"))? {
            let key = Digest::parse(k).ok_or_else(|| bad("key"))?;
            let image_id = Digest::parse(r["image"].as_str().unwrap_or_default())
                .ok_or_else(|| bad("image"))?;
            let layer = r["layer"].as_str().and_then(Digest::parse);
            let n: Vec<usize> = r["changes"]
                .as_array()
                .map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0) as usize).collect())
                .unwrap_or_default();
            let at = |i: usize| n.get(i).copied().unwrap_or(0);
            let notices = r["notices"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|n| Notice {
                            kind: if n["simulated"].as_bool().unwrap_or(false) {
                                NoticeKind::Simulated
                            } else {
                                NoticeKind::NotSimulated
                            },
                            program: n["program"].as_str().unwrap_or_default().to_string(),
                            message: n["message"].as_str().unwrap_or_default().to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            cache.results.insert(
                key,
                CachedResult {
                    image_id,
                    fs: None,
                    layer,
                    changes: ChangeCounts {
                        added: at(0),
                        modified: at(1),
                        deleted: at(2),
                        type_changed: at(3),
                        metadata_only: at(4),
                    },
                    output: r["output"].as_str().unwrap_or_default().to_string(),
                    notices,
                },
            );
        }
        if let Some(stages) = v["previous"].as_object() {
            for (stage, steps) in stages {
                let steps = steps
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|r| StepRecord {
                                instruction: r["instruction"]
                                    .as_str()
                                    .unwrap_or_default()
                                    .to_string(),
                                inputs: r["inputs"]
                                    .as_object()
                                    .map(|m| {
                                        m.iter()
                                            .map(|(k, v)| {
                                                (
                                                    k.clone(),
                                                    v.as_str().unwrap_or_default().to_string(),
                                                )
                                            })
                                            .collect()
                                    })
                                    .unwrap_or_default(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                cache.previous.insert(stage.clone(), steps);
            }
        }
        Ok(cache)
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
    if let Some(path) = name.strip_prefix("mounted:") {
        return match (before, after) {
            (Some(b), Some(a)) => format!(
                "the bind-mounted {path} changed (sha256 {} -> {})",
                short(b),
                short(a)
            ),
            (None, _) => format!("{path} was added to a bind mount"),
            (_, None) => format!("{path} was removed from a bind mount"),
        };
    }
    if let Some(path) = name.strip_prefix("file:") {
        let mode = |v: &String| {
            v.split_once(" mode ")
                .map(|(d, m)| (d.to_string(), m.to_string()))
        };
        return match (before, after) {
            (Some(b), Some(a)) => match (mode(b), mode(a)) {
                (Some((db, mb)), Some((da, ma))) if db == da && mb != ma => {
                    format!("{path}'s mode changed ({mb} -> {ma})")
                }
                _ => format!("{path} changed (sha256 {} -> {})", short(b), short(a)),
            },
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
        other => format!("{other} changed"),
    }
}
