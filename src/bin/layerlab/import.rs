//! `layerlab import --store DIR ARCHIVE [--name NAME]`: loads a `docker save`
//! tar, an oci-archive or an OCI layout directory into a store directory.

use crate::store_dir;
use layerlab::oci::archive::Budget;
use layerlab::oci::import::{import, import_files};
use layerlab::oci::ImportLimits;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: layerlab import --store DIR ARCHIVE [--name NAME]";

/// Runs the subcommand.
pub fn run(args: &[String]) -> ExitCode {
    let (mut store_path, mut archive, mut name) = (None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--store" => store_path = it.next(),
            "--name" => name = it.next(),
            other if archive.is_none() && !other.starts_with("--") => archive = Some(arg),
            other => {
                eprintln!("layerlab import: unexpected argument '{other}'\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(store_path), Some(archive)) = (store_path, archive) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let store_dir = Path::new(store_path);
    let mut store = match store_dir::load(store_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("layerlab import: {e}");
            return ExitCode::FAILURE;
        }
    };
    let limits = ImportLimits::default();
    let source = Path::new(archive);
    let result = if source.is_dir() {
        let mut files = BTreeMap::new();
        match store_dir::read_tree(source, source, &mut files) {
            Ok(()) => {
                let view = files
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_slice()))
                    .collect();
                import_files(
                    &mut store,
                    &view,
                    name.map(String::as_str),
                    &limits,
                    &mut Budget::default(),
                )
            }
            Err(e) => {
                eprintln!("layerlab import: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        match std::fs::read(source) {
            Ok(bytes) => import(&mut store, &bytes, name.map(String::as_str), &limits),
            Err(e) => {
                eprintln!("layerlab import: {archive}: {e}");
                return ExitCode::FAILURE;
            }
        }
    };
    let imported = match result {
        Ok(i) => i,
        Err(e) => {
            eprintln!("layerlab import: {archive}: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    if let Err(e) = store_dir::save(&store, store_dir) {
        eprintln!("layerlab import: {e}");
        return ExitCode::FAILURE;
    }
    for image in &imported.images {
        println!(
            "imported {} ({} layers){}{}",
            image.id,
            image.layers.len(),
            if image.tags.is_empty() { "" } else { " as " },
            image.tags.join(", ")
        );
    }
    ExitCode::SUCCESS
}
