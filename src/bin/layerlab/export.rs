//! `layerlab export --store DIR IMAGE -o OUT.tar [--format oci|docker] [--gzip]`:
//! writes a stored image as an oci-archive or a `docker save` tar.

use crate::store_dir;
use layerlab::oci::export::{self, ExportOptions, Format};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str =
    "usage: layerlab export --store DIR IMAGE -o OUT.tar [--format oci|docker] [--gzip]";

/// Runs the subcommand.
pub fn run(args: &[String]) -> ExitCode {
    let (mut store_path, mut image, mut out) = (None, None, None);
    let mut options = ExportOptions {
        format: Format::Oci,
        gzip: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--store" => store_path = it.next(),
            "-o" | "--output" => out = it.next(),
            "--gzip" => options.gzip = true,
            "--format" => match it.next().map(String::as_str) {
                Some("oci") => options.format = Format::Oci,
                Some("docker") => options.format = Format::Docker,
                other => {
                    eprintln!("layerlab export: unknown format {other:?} (oci or docker)\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other if image.is_none() && !other.starts_with('-') => image = Some(arg),
            other => {
                eprintln!("layerlab export: unexpected argument '{other}'\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(store_path), Some(image), Some(out)) = (store_path, image, out) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let store = match store_dir::load(Path::new(store_path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("layerlab export: {e}");
            return ExitCode::FAILURE;
        }
    };
    let file = match std::fs::File::create(out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("layerlab export: {out}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut writer = std::io::BufWriter::new(file);
    let result = export::write(&store, image, options, &mut writer)
        .map_err(|e| e.to_string())
        .and_then(|()| writer.flush().map_err(|e| e.to_string()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = std::fs::remove_file(out);
            eprintln!("layerlab export: {e}");
            ExitCode::FAILURE
        }
    }
}
