//! `layerlab history [--store DIR] [--no-trunc] [--format json] IMAGE` and
//! `layerlab images [--store DIR]`: docker's tables over a `--store` directory.
//! The engine (`layerlab::listing`) has no clock, so "now" is read here.

use crate::store_dir;
use layerlab::listing::{self, HistoryFormat};
use layerlab::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

const HISTORY_USAGE: &str =
    "usage: layerlab history [--store DIR] [--no-trunc] [--format json] IMAGE";
const IMAGES_USAGE: &str = "usage: layerlab images [--store DIR]";

/// The store named by `--store`, else `$LAYERLAB_STORE`.
fn open(store: Option<PathBuf>, usage: &str) -> Result<Store, String> {
    let dir = store
        .or_else(|| std::env::var_os("LAYERLAB_STORE").map(PathBuf::from))
        .ok_or_else(|| {
            format!("no store given: pass --store DIR (the directory `layerlab build --store DIR` writes) or set LAYERLAB_STORE\n{usage}")
        })?;
    store_dir::load(&dir)
}

/// Seconds since the epoch, for `N days ago`: `$LAYERLAB_NOW` when set (for
/// reproducible output), else the system clock.
fn now() -> Option<i64> {
    if let Some(now) = std::env::var("LAYERLAB_NOW")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Some(now);
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

/// Runs `history` with the arguments after it.
pub fn run_history(args: &[String]) -> ExitCode {
    let (mut store, mut image, mut json) = (None, None, false);
    let mut format = HistoryFormat {
        now: now(),
        no_trunc: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--store" => store = it.next().map(PathBuf::from),
            "--no-trunc" => format.no_trunc = true,
            "--format" => match it.next().map(String::as_str) {
                Some("json") => json = true,
                Some("table") => json = false,
                other => {
                    eprintln!("layerlab history: unknown format {other:?} (table or json)\n{HISTORY_USAGE}");
                    return ExitCode::from(2);
                }
            },
            other if image.is_none() && !other.starts_with('-') => image = Some(other.to_string()),
            other => {
                eprintln!("layerlab history: unexpected argument '{other}'\n{HISTORY_USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(image) = image else {
        eprintln!("{HISTORY_USAGE}");
        return ExitCode::from(2);
    };
    let result = open(store, HISTORY_USAGE).and_then(|store| {
        let id = store.resolve(&image).map_err(|e| e.to_string())?;
        listing::history(&store, &id).map_err(|e| e.to_string())
    });
    match result {
        Ok(rows) if json => {
            print!("{}", listing::history_json(&rows, format));
            ExitCode::SUCCESS
        }
        Ok(rows) => {
            print!("{}", listing::history_table(&rows, format));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("layerlab history: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `images` with the arguments after it.
pub fn run_images(args: &[String]) -> ExitCode {
    let mut store = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--store" => store = it.next().map(PathBuf::from),
            other => {
                eprintln!("layerlab images: unexpected argument '{other}'\n{IMAGES_USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match open(store, IMAGES_USAGE) {
        Ok(store) => {
            print!("{}", listing::images_table(&listing::images(&store), now()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("layerlab images: {e}");
            ExitCode::FAILURE
        }
    }
}
