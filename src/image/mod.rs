//! Images: the OCI image config, its history, its ID, chain IDs and manifest.
//!
//! An image is a config (how to run it, which layers, how it was built) plus the
//! layers themselves; its ID is the sha256 of the config JSON, so the JSON must be
//! byte-for-byte what BuildKit writes. BuildKit's exporter patches the config as a
//! Go `map[string]json.RawMessage`, so the top-level keys come out **sorted**
//! (`architecture`, `author`, `config`, `created`, `history`, `os`, `rootfs`,
//! `variant`); inside `config` the order is the Go struct order of image-spec's
//! `ImageConfig` followed by Docker's extension (`Healthcheck`, `OnBuild`,
//! `Shell`); history entries are `created`, `created_by`, `author`, `comment`,
//! `empty_layer`, every empty field left out (`empty_layer` is absent when false).
//! Strings use Go's escaping (`json.rs`).

mod json;
#[cfg(test)]
mod tests;

use crate::digest::Digest;
use json::Object;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Media type of an OCI image config.
pub const MEDIA_TYPE_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// Media type of an OCI image manifest.
pub const MEDIA_TYPE_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// Media type of an OCI image index.
pub const MEDIA_TYPE_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Media type of an uncompressed layer tar.
pub const MEDIA_TYPE_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
/// Media type of a gzip-compressed layer tar.
pub const MEDIA_TYPE_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// An image config: platform, runtime config, layers (diffIDs) and history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Image {
    /// CPU architecture (`amd64`).
    pub architecture: String,
    /// Operating system (`linux`).
    pub os: String,
    /// Architecture variant (`v8`), usually empty.
    pub variant: String,
    /// When the image was made (BuildKit: the last history entry's time).
    pub created: Option<Timestamp>,
    /// The image author (MAINTAINER), usually empty.
    pub author: String,
    /// How a container of this image runs.
    pub config: Config,
    /// The layers, bottom first: sha256 of each uncompressed layer tar.
    pub diff_ids: Vec<Digest>,
    /// One entry per build step; entries without `empty_layer` pair with the
    /// layers in order.
    pub history: Vec<History>,
}

/// The `config` object: what `docker run` starts and with which settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// USER, as written (`1000:1000`, `nobody`).
    pub user: String,
    /// EXPOSE, as `80/tcp` keys.
    pub exposed_ports: BTreeSet<String>,
    /// ENV, as `KEY=value` in order of first definition.
    pub env: Vec<String>,
    /// ENTRYPOINT argv.
    pub entrypoint: Vec<String>,
    /// CMD argv.
    pub cmd: Vec<String>,
    /// VOLUME paths.
    pub volumes: BTreeSet<String>,
    /// WORKDIR, absolute.
    pub working_dir: String,
    /// LABEL pairs.
    pub labels: BTreeMap<String, String>,
    /// STOPSIGNAL.
    pub stop_signal: String,
    /// Set by BuildKit for shell-form CMD/ENTRYPOINT on Windows only; kept for imports.
    pub args_escaped: bool,
    /// HEALTHCHECK (Docker extension).
    pub healthcheck: Option<Healthcheck>,
    /// ONBUILD triggers (Docker extension).
    pub on_build: Vec<String>,
    /// SHELL (Docker extension).
    pub shell: Vec<String>,
}

/// HEALTHCHECK settings; durations in nanoseconds, as Go's `time.Duration` marshals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`.
    pub test: Vec<String>,
    /// `--interval`.
    pub interval: i64,
    /// `--timeout`.
    pub timeout: i64,
    /// `--start-period`.
    pub start_period: i64,
    /// `--start-interval`.
    pub start_interval: i64,
    /// `--retries`.
    pub retries: i64,
}

/// One history entry, a row of `docker history`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// When the step ran.
    pub created: Option<Timestamp>,
    /// The instruction (`RUN /bin/sh -c apt-get update # buildkit`).
    pub created_by: String,
    /// Author, usually empty.
    pub author: String,
    /// `buildkit.dockerfile.v0` for BuildKit steps.
    pub comment: String,
    /// Whether the step made no layer (metadata only).
    pub empty_layer: bool,
}

/// A time as seconds and nanoseconds since the epoch, printed as Go's RFC 3339
/// with nanoseconds (`2024-05-01T12:00:00.5Z`, no fraction when it is zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub seconds: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanos: u32,
}

/// A descriptor: what a manifest or index says about a blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// The blob's media type.
    pub media_type: String,
    /// sha256 of the blob.
    pub digest: Digest,
    /// The blob's size in bytes.
    pub size: u64,
    /// Annotations (`org.opencontainers.image.ref.name` in an index).
    pub annotations: BTreeMap<String, String>,
}

/// An OCI image manifest: the config and the layer blobs of one image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The config blob.
    pub config: Descriptor,
    /// The layer blobs, bottom first.
    pub layers: Vec<Descriptor>,
    /// Manifest annotations.
    pub annotations: BTreeMap<String, String>,
}

/// A config JSON that cannot be read: what is wrong, in lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageError(pub String);

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid image config: {}", self.0)
    }
}

impl std::error::Error for ImageError {}

impl Image {
    /// An image with no layers for `linux/amd64` and the default `PATH`, as BuildKit
    /// starts `FROM scratch`.
    pub fn scratch() -> Image {
        Image {
            architecture: "amd64".into(),
            os: "linux".into(),
            config: Config {
                env: vec![
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                ],
                ..Config::default()
            },
            ..Image::default()
        }
    }

    /// The config JSON exactly as BuildKit writes it (see the module docs).
    pub fn to_json(&self) -> String {
        let mut top = Object::new();
        top.str("architecture", &self.architecture);
        top.str_nonempty("author", &self.author);
        top.raw("config", &self.config.to_json());
        if let Some(created) = &self.created {
            top.str("created", &created.to_string());
        }
        top.raw(
            "history",
            &json::array(self.history.iter().map(History::to_json)),
        );
        top.str("os", &self.os);
        let diff_ids = if self.diff_ids.is_empty() {
            "null".to_string()
        } else {
            json::strings(
                &self
                    .diff_ids
                    .iter()
                    .map(Digest::to_string)
                    .collect::<Vec<_>>(),
            )
        };
        top.raw(
            "rootfs",
            &Object::new()
                .str("type", "layers")
                .raw("diff_ids", &diff_ids)
                .finish(),
        );
        top.str_nonempty("variant", &self.variant);
        top.finish()
    }

    /// The image ID: sha256 of the config JSON.
    pub fn id(&self) -> Digest {
        Digest::of(self.to_json().as_bytes())
    }

    /// The chain ID of every layer prefix (OCI `config.md`): the first is the first
    /// diffID, then `sha256(previous chain ID + " " + diffID)`. Layer stores key
    /// layers by chain ID, so the same diff on two different bases is two layers.
    pub fn chain_ids(&self) -> Vec<Digest> {
        chain_ids(&self.diff_ids)
    }

    /// Reads a config JSON (from an imported image); unknown fields are ignored.
    /// The ID of an imported image is the digest of its original bytes, which the
    /// store keeps; `to_json` of the result may order keys differently.
    pub fn from_json(text: &str) -> Result<Image, ImageError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ImageError(e.to_string()))?;
        let obj = v
            .as_object()
            .ok_or_else(|| ImageError("not a json object".into()))?;
        let s = |v: Option<&serde_json::Value>| {
            v.and_then(|x| x.as_str()).unwrap_or_default().to_string()
        };
        let created = match obj.get("created").and_then(|c| c.as_str()) {
            Some(text) => Some(
                Timestamp::parse(text)
                    .ok_or_else(|| ImageError(format!("bad created time {text}")))?,
            ),
            None => None,
        };
        let mut diff_ids = Vec::new();
        if let Some(ids) = obj
            .get("rootfs")
            .and_then(|r| r.get("diff_ids"))
            .and_then(|d| d.as_array())
        {
            for id in ids {
                let text = id.as_str().unwrap_or_default();
                diff_ids.push(
                    Digest::parse(text).ok_or_else(|| ImageError(format!("bad diff_id {text}")))?,
                );
            }
        }
        let mut history = Vec::new();
        for h in obj
            .get("history")
            .and_then(|h| h.as_array())
            .into_iter()
            .flatten()
        {
            history.push(History {
                created: h
                    .get("created")
                    .and_then(|c| c.as_str())
                    .and_then(Timestamp::parse),
                created_by: s(h.get("created_by")),
                author: s(h.get("author")),
                comment: s(h.get("comment")),
                empty_layer: h
                    .get("empty_layer")
                    .and_then(|e| e.as_bool())
                    .unwrap_or(false),
            });
        }
        Ok(Image {
            architecture: s(obj.get("architecture")),
            os: s(obj.get("os")),
            variant: s(obj.get("variant")),
            created,
            author: s(obj.get("author")),
            config: obj
                .get("config")
                .map(Config::from_value)
                .unwrap_or_default(),
            diff_ids,
            history,
        })
    }
}

/// Chain IDs of a stack of diffIDs (see `Image::chain_ids`).
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diff_ids.len());
    for diff_id in diff_ids {
        let next = match out.last() {
            None => *diff_id,
            Some(parent) => Digest::of(format!("{parent} {diff_id}").as_bytes()),
        };
        out.push(next);
    }
    out
}

impl Config {
    fn to_json(&self) -> String {
        let mut o = Object::new();
        o.str_nonempty("User", &self.user);
        if !self.exposed_ports.is_empty() {
            o.raw("ExposedPorts", &empty_object_map(&self.exposed_ports));
        }
        o.strings_nonempty("Env", &self.env);
        o.strings_nonempty("Entrypoint", &self.entrypoint);
        o.strings_nonempty("Cmd", &self.cmd);
        if !self.volumes.is_empty() {
            o.raw("Volumes", &empty_object_map(&self.volumes));
        }
        o.str_nonempty("WorkingDir", &self.working_dir);
        if !self.labels.is_empty() {
            let mut labels = Object::new();
            for (k, v) in &self.labels {
                labels.str(k, v);
            }
            o.raw("Labels", &labels.finish());
        }
        o.str_nonempty("StopSignal", &self.stop_signal);
        if self.args_escaped {
            o.raw("ArgsEscaped", "true");
        }
        if let Some(h) = &self.healthcheck {
            let mut hc = Object::new();
            hc.strings_nonempty("Test", &h.test);
            for (key, value) in [
                ("Interval", h.interval),
                ("Timeout", h.timeout),
                ("StartPeriod", h.start_period),
                ("StartInterval", h.start_interval),
                ("Retries", h.retries),
            ] {
                if value != 0 {
                    hc.raw(key, &value.to_string());
                }
            }
            o.raw("Healthcheck", &hc.finish());
        }
        o.strings_nonempty("OnBuild", &self.on_build);
        o.strings_nonempty("Shell", &self.shell);
        o.finish()
    }

    fn from_value(v: &serde_json::Value) -> Config {
        let strings = |key: &str| -> Vec<String> {
            v.get(key)
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let keys = |key: &str| -> BTreeSet<String> {
            v.get(key)
                .and_then(|x| x.as_object())
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let s = |key: &str| {
            v.get(key)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let healthcheck = v.get("Healthcheck").filter(|h| h.is_object()).map(|h| {
            let n = |key: &str| h.get(key).and_then(|x| x.as_i64()).unwrap_or(0);
            Healthcheck {
                test: h
                    .get("Test")
                    .and_then(|t| t.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                interval: n("Interval"),
                timeout: n("Timeout"),
                start_period: n("StartPeriod"),
                start_interval: n("StartInterval"),
                retries: n("Retries"),
            }
        });
        Config {
            user: s("User"),
            exposed_ports: keys("ExposedPorts"),
            env: strings("Env"),
            entrypoint: strings("Entrypoint"),
            cmd: strings("Cmd"),
            volumes: keys("Volumes"),
            working_dir: s("WorkingDir"),
            labels: v
                .get("Labels")
                .and_then(|x| x.as_object())
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            stop_signal: s("StopSignal"),
            args_escaped: v
                .get("ArgsEscaped")
                .and_then(|x| x.as_bool())
                .unwrap_or(false),
            healthcheck,
            on_build: strings("OnBuild"),
            shell: strings("Shell"),
        }
    }
}

/// `{"80/tcp":{},...}`: Go's `map[string]struct{}`.
fn empty_object_map(keys: &BTreeSet<String>) -> String {
    let mut o = Object::new();
    for k in keys {
        o.raw(k, "{}");
    }
    o.finish()
}

impl History {
    fn to_json(&self) -> String {
        let mut o = Object::new();
        if let Some(created) = &self.created {
            o.str("created", &created.to_string());
        }
        o.str_nonempty("created_by", &self.created_by);
        o.str_nonempty("author", &self.author);
        o.str_nonempty("comment", &self.comment);
        if self.empty_layer {
            o.raw("empty_layer", "true");
        }
        o.finish()
    }
}

impl Descriptor {
    /// A descriptor of `bytes` with `media_type`.
    pub fn of(media_type: &str, bytes: &[u8]) -> Descriptor {
        Descriptor {
            media_type: media_type.to_string(),
            digest: Digest::of(bytes),
            size: bytes.len() as u64,
            annotations: BTreeMap::new(),
        }
    }

    /// The descriptor JSON in image-spec's struct order.
    pub fn to_json(&self) -> String {
        let mut o = Object::new();
        o.str("mediaType", &self.media_type);
        o.str("digest", &self.digest.to_string());
        o.raw("size", &self.size.to_string());
        if !self.annotations.is_empty() {
            o.raw("annotations", &string_map(&self.annotations));
        }
        o.finish()
    }
}

impl Manifest {
    /// The manifest JSON in image-spec's struct order (`schemaVersion`,
    /// `mediaType`, `config`, `layers`, `annotations`).
    pub fn to_json(&self) -> String {
        let mut o = Object::new();
        o.raw("schemaVersion", "2");
        o.str("mediaType", MEDIA_TYPE_MANIFEST);
        o.raw("config", &self.config.to_json());
        o.raw(
            "layers",
            &json::array(self.layers.iter().map(Descriptor::to_json)),
        );
        if !self.annotations.is_empty() {
            o.raw("annotations", &string_map(&self.annotations));
        }
        o.finish()
    }

    /// The manifest digest (what `docker images --digests` shows after a push).
    pub fn digest(&self) -> Digest {
        Digest::of(self.to_json().as_bytes())
    }
}

/// An index JSON listing `manifests` (an OCI layout's `index.json`).
pub fn index_json(manifests: &[Descriptor]) -> String {
    let mut o = Object::new();
    o.raw("schemaVersion", "2");
    o.str("mediaType", MEDIA_TYPE_INDEX);
    o.raw(
        "manifests",
        &json::array(manifests.iter().map(Descriptor::to_json)),
    );
    o.finish()
}

fn string_map(map: &BTreeMap<String, String>) -> String {
    let mut o = Object::new();
    for (k, v) in map {
        o.str(k, v);
    }
    o.finish()
}

impl Timestamp {
    /// A whole second since the epoch.
    pub const fn from_seconds(seconds: i64) -> Timestamp {
        Timestamp { seconds, nanos: 0 }
    }

    /// Parses RFC 3339 (`2024-05-01T12:00:00.123Z`, or with a `+02:00` offset).
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<i64>().ok());
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut rest = &text[19..];
        let mut nanos = 0u32;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let mut value: u32 = 0;
            for (i, c) in frac[..digits].bytes().enumerate() {
                if i < 9 {
                    value = value * 10 + u32::from(c - b'0');
                }
            }
            for _ in digits..9 {
                value *= 10;
            }
            nanos = value;
            rest = &frac[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
                let h: i64 = rest.get(1..3)?.parse().ok()?;
                let m: i64 = rest.get(4..6)?.parse().ok()?;
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
            _ => return None,
        };
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Timestamp {
            seconds: days * 86400 + hour * 3600 + minute * 60 + second - offset,
            nanos,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86400);
        let secs = self.seconds.rem_euclid(86400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date of a day count since 1970-01-01 (inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}
