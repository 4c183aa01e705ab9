//! `docker history` and `docker images`: their rows from the store, and their
//! tables printed the way the docker CLI prints them.
//!
//! Rows: moby's `ImageHistory` (daemon/images/image_history.go) lists the history
//! newest first, every row `<missing>` at first, then walks the image's parent
//! chain from the top and gives each row the ID of the image it reaches, stopping
//! at the first parent it does not have. layerlab's store records no parent, so
//! "the parent" of a row is a stored image whose history and layers are exactly
//! the prefix ending at that row: the intermediate image the classic builder
//! would have linked. Tables: docker/cli's `formatter` (text/tabwriter with
//! minimum width 10 and padding 3, `Ellipsis` to 45 columns, go-units'
//! `HumanDuration` and `HumanSizeWithPrecision(size, 3)`). The core has no clock:
//! the caller passes "now", and without it CREATED is the absolute time.

#[cfg(test)]
mod tests;

use crate::digest::Digest;
use crate::image::{Image, Timestamp};
use crate::store::{Store, StoreError};

/// One row of `docker history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// The image this row is the top of, `None` where docker shows `<missing>`.
    pub id: Option<Digest>,
    /// When the step ran.
    pub created: Option<Timestamp>,
    /// The history entry's `created_by`.
    pub created_by: String,
    /// Bytes of the row's layer (0 for an empty layer).
    pub size: u64,
    /// The history entry's comment.
    pub comment: String,
    /// True for metadata-only entries.
    pub empty_layer: bool,
}

/// One row of `docker images` (one per tag; `<none>` for an untagged image).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRow {
    /// Repository, `<none>` when untagged.
    pub repository: String,
    /// Tag, `<none>` when untagged.
    pub tag: String,
    /// Image ID.
    pub id: Digest,
    /// The config's `created`.
    pub created: Option<Timestamp>,
    /// Bytes of all its layers.
    pub size: u64,
}

/// `docker history` rows of `image_id`, newest first.
pub fn history(store: &Store, image_id: &Digest) -> Result<Vec<HistoryRow>, StoreError> {
    let image = &store
        .image(image_id)
        .ok_or_else(|| StoreError::UnknownImage(image_id.to_string()))?
        .image;
    let mut layers = image.diff_ids.iter();
    let mut rows: Vec<HistoryRow> = image
        .history
        .iter()
        .map(|h| HistoryRow {
            id: None,
            created: h.created,
            created_by: h.created_by.clone(),
            size: if h.empty_layer {
                0
            } else {
                layers
                    .next()
                    .and_then(|d| store.layer(d))
                    .map_or(0, |l| l.size())
            },
            comment: h.comment.clone(),
            empty_layer: h.empty_layer,
        })
        .collect();
    rows.reverse();
    let index = PrefixIndex::new(store);
    let keys = prefix_keys(image);
    let total = image.history.len();
    for (i, row) in rows.iter_mut().enumerate() {
        let id = if i == 0 {
            Some(*image_id)
        } else {
            index.by_key.get(&keys[total - i]).copied()
        };
        match id {
            Some(id) => row.id = Some(id),
            None => break,
        }
    }
    Ok(rows)
}

/// The identity of each prefix of an image (its first `n` history entries and
/// the layers they made): `keys[n]`, chained so a prefix's key does not depend on
/// what follows it. Two images with the same full key are the same step chain.
fn prefix_keys(image: &Image) -> Vec<Digest> {
    let mut keys = vec![crate::cache::key(&[b"history"])];
    let mut layers = image.diff_ids.iter();
    for h in &image.history {
        let layer = if h.empty_layer {
            String::new()
        } else {
            layers.next().map(|d| d.to_string()).unwrap_or_default()
        };
        let created = h.created.map(|t| t.to_string()).unwrap_or_default();
        let previous = keys[keys.len() - 1];
        keys.push(crate::cache::key(&[
            previous.0.as_slice(),
            h.created_by.as_bytes(),
            h.comment.as_bytes(),
            h.author.as_bytes(),
            created.as_bytes(),
            layer.as_bytes(),
        ]));
    }
    keys
}

/// Every stored image by the key of its whole history (the lowest ID when
/// several images share one), and the keys of every proper prefix of another
/// image (the intermediate steps).
struct PrefixIndex {
    by_key: std::collections::BTreeMap<Digest, Digest>,
    inner: std::collections::BTreeSet<Digest>,
}

impl PrefixIndex {
    fn new(store: &Store) -> PrefixIndex {
        let mut by_key = std::collections::BTreeMap::new();
        let mut inner = std::collections::BTreeSet::new();
        for id in store.image_ids() {
            let Some(stored) = store.image(&id) else {
                continue;
            };
            let keys = prefix_keys(&stored.image);
            if let Some(full) = keys.last() {
                by_key.entry(*full).or_insert(id);
            }
            inner.extend(keys[..keys.len() - 1].iter().copied());
        }
        PrefixIndex { by_key, inner }
    }
}

/// `docker images`: tagged images one row per tag, and untagged images that are
/// not an intermediate step of another stored image (docker hides those without
/// `-a`); newest first, then by name and ID.
pub fn images(store: &Store) -> Vec<ImageRow> {
    let usage = store.disk_usage();
    let index = PrefixIndex::new(store);
    let mut rows = Vec::new();
    for image in usage.images {
        let Some(stored) = store.image(&image.id) else {
            continue;
        };
        let created = stored.image.created;
        if image.tags.is_empty() {
            let keys = prefix_keys(&stored.image);
            if keys.last().is_some_and(|k| index.inner.contains(k)) {
                continue;
            }
            rows.push(ImageRow {
                repository: "<none>".to_string(),
                tag: "<none>".to_string(),
                id: image.id,
                created,
                size: image.size,
            });
        }
        for tag in &image.tags {
            let (repository, tag) = split_tag(tag);
            // Docker stores `rust:1.83` as `docker.io/library/rust:1.83` and lists
            // it by its familiar name, once.
            let repository = familiar(&repository);
            if rows
                .iter()
                .any(|r: &ImageRow| r.id == image.id && r.repository == repository && r.tag == tag)
            {
                continue;
            }
            rows.push(ImageRow {
                repository,
                tag,
                id: image.id,
                created,
                size: image.size,
            });
        }
    }
    crate::sort::sort_by(&mut rows, |a, b| {
        b.created
            .cmp(&a.created)
            .then_with(|| a.repository.cmp(&b.repository))
            .then_with(|| a.tag.cmp(&b.tag))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// A repository as the docker CLI shows it: Docker Hub's `docker.io/library/`
/// and `docker.io/` prefixes dropped (`docker.io/library/rust` is `rust`).
fn familiar(repository: &str) -> String {
    repository
        .strip_prefix("docker.io/library/")
        .or_else(|| repository.strip_prefix("docker.io/"))
        .unwrap_or(repository)
        .to_string()
}

/// `name:tag` → (`name`, `tag`); a registry port is not a tag.
fn split_tag(reference: &str) -> (String, String) {
    let reference = reference.split('@').next().unwrap_or(reference);
    match reference.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name.to_string(), tag.to_string()),
        _ => (reference.to_string(), "<none>".to_string()),
    }
}

/// go-units `HumanDuration`: how long ago, in docker's words.
pub fn human_duration(seconds: i64) -> String {
    let hours_rounded = (seconds as f64 / 3600.0 + 0.5) as i64;
    match seconds {
        s if s < 1 => "Less than a second".to_string(),
        1 => "1 second".to_string(),
        s if s < 60 => format!("{s} seconds"),
        s if s / 60 == 1 => "About a minute".to_string(),
        s if s / 60 < 60 => format!("{} minutes", s / 60),
        _ if hours_rounded == 1 => "About an hour".to_string(),
        _ if hours_rounded < 48 => format!("{hours_rounded} hours"),
        _ if hours_rounded < 24 * 7 * 2 => format!("{} days", hours_rounded / 24),
        _ if hours_rounded < 24 * 30 * 2 => format!("{} weeks", hours_rounded / 24 / 7),
        _ if hours_rounded < 24 * 365 * 2 => format!("{} months", hours_rounded / 24 / 30),
        s => format!("{} years", s / 3600 / 24 / 365),
    }
}

/// go-units `HumanSizeWithPrecision(size, 3)`: decimal units, Go's `%.3g`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", go_g3(size), UNITS[unit])
}

/// Go's `%.3g` for a non-negative number.
fn go_g3(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{value:.2e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let trim = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if !(-4..3).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exponent.abs())
    } else {
        let decimals = (2 - exponent).max(0) as usize;
        trim(&format!("{value:.decimals$}"))
    }
}

/// docker/cli's `Ellipsis`: at most `width` characters, the last one `…`.
pub fn ellipsis(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A table as docker's tabwriter aligns it: every column but the last padded
/// to its widest cell plus 3, at least 10 (so a line whose last cell is empty
/// ends in spaces, as docker's does); widths counted in characters.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths = vec![10usize; columns];
    let all = std::iter::once(header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
        .chain(rows.iter().cloned())
        .collect::<Vec<_>>();
    for row in &all {
        for (i, cell) in row.iter().enumerate().take(columns.saturating_sub(1)) {
            widths[i] = widths[i].max(cell.chars().count() + 3);
        }
    }
    let mut out = String::new();
    for row in &all {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count();
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// CREATED as docker shows it: `N units ago` relative to `now` (seconds), the
/// absolute time without a clock, `N/A` without a time.
pub fn created_since(created: Option<Timestamp>, now: Option<i64>) -> String {
    match (created, now) {
        (Some(t), Some(now)) if t.seconds > 0 => {
            format!("{} ago", human_duration(now - t.seconds))
        }
        (Some(t), None) => whole_seconds(t),
        _ => "N/A".to_string(),
    }
}

/// RFC 3339 in UTC at whole seconds (the API gives docker Unix seconds).
fn whole_seconds(t: Timestamp) -> String {
    Timestamp {
        seconds: t.seconds,
        nanos: 0,
    }
    .to_string()
}

/// How to print a history table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryFormat {
    /// "Now" in seconds since the epoch, for `N days ago`.
    pub now: Option<i64>,
    /// `--no-trunc`: full IDs and `created_by`.
    pub no_trunc: bool,
}

/// The cells of one history row: IMAGE, CREATED, CREATED BY, SIZE, COMMENT.
pub fn history_cells(row: &HistoryRow, format: HistoryFormat) -> [String; 5] {
    let id = match (&row.id, format.no_trunc) {
        (None, _) => "<missing>".to_string(),
        (Some(id), true) => id.to_string(),
        (Some(id), false) => id.hex()[..12].to_string(),
    };
    let created_by = row.created_by.replace('\t', " ");
    let created_by = if format.no_trunc {
        created_by
    } else {
        ellipsis(&created_by, 45)
    };
    [
        id,
        created_since(row.created, format.now),
        created_by,
        human_size(row.size),
        row.comment.clone(),
    ]
}

/// `docker history IMAGE` as a table.
pub fn history_table(rows: &[HistoryRow], format: HistoryFormat) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| history_cells(r, format).to_vec())
        .collect();
    table(
        &["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"],
        &cells,
    )
}

/// `docker history --format json IMAGE`: one object per line, keys sorted as
/// Go's encoder writes them for the CLI's row context.
pub fn history_json(rows: &[HistoryRow], format: HistoryFormat) -> String {
    let mut out = String::new();
    for row in rows {
        let [id, since, created_by, size, comment] = history_cells(row, format);
        let created_at = row
            .created
            .map(whole_seconds)
            .unwrap_or_else(|| "N/A".to_string());
        let object = serde_json::json!({
            "Comment": comment,
            "CreatedAt": created_at,
            "CreatedBy": created_by,
            "CreatedSince": since,
            "ID": id,
            "Size": size,
        });
        out.push_str(&object.to_string());
        out.push('\n');
    }
    out
}

/// `docker images` as a table.
pub fn images_table(rows: &[ImageRow], now: Option<i64>) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.repository.clone(),
                r.tag.clone(),
                r.id.hex()[..12].to_string(),
                created_since(r.created, now),
                human_size(r.size),
            ]
        })
        .collect();
    table(
        &["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
        &cells,
    )
}
