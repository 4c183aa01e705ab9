//! The flag spellings `build` and `run` share, so `--store=DIR` and `--load A=NAME`
//! read the same way in every subcommand.

use std::path::PathBuf;

/// Splits `--flag=value` into the flag and its inline value; `--load` keeps its `=`
/// (it separates the archive from the name it is loaded under).
pub fn split(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") && flag != "--load" => {
            (flag, Some(value.to_string()))
        }
        _ => (arg, None),
    }
}

/// `ARCHIVE[=NAME]` as `--load` takes it.
pub fn load_spec(spec: &str) -> (PathBuf, Option<String>) {
    match spec.split_once('=') {
        Some((path, name)) => (PathBuf::from(path), Some(name.to_string())),
        None => (PathBuf::from(spec), None),
    }
}
