//! `httpd`: the Apache HTTP Server that the httpd images and layerlab's simulated
//! httpd source release install. The official image's build ends with `httpd -v`
//! as a smoke test, and tutorials run it to see the version: the version comes
//! from the `include/ap_release.h` the install put beside `bin/`, the build date
//! from the program's mtime. Serving requests is not modelled.

use super::super::exec::{Exec, Shell};
use super::php::{define, not_simulated};
use super::system::{civil, MONTHS};

/// `httpd -v`: the version banner; any other use is announced as not simulated.
pub fn httpd(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let version = installed_version(sh);
    match (argv.get(1).map(String::as_str), version) {
        (Some("-v"), Some(version)) if argv.len() == 2 => {
            let built = sh
                .fs
                .stat(&sh.program_path)
                .map(|s| s.meta.mtime)
                .unwrap_or_default();
            let (y, mo, d, h, mi, s) = civil(built);
            let month = MONTHS[(mo as usize).saturating_sub(1) % 12];
            sh.out(format!(
                "Server version: Apache/{version} (Unix)\nServer built:   {month} {d:>2} {y} {h:02}:{mi:02}:{s:02}\n"
            ))?;
            Ok(0)
        }
        (_, None) => not_simulated(
            sh,
            argv,
            "this httpd was not installed from layerlab's simulated httpd release",
        ),
        _ => not_simulated(
            sh,
            argv,
            "only `httpd -v` is modelled; Apache does not serve requests in layerlab",
        ),
    }
}

/// `MAJOR.MINOR.PATCH` from `PREFIX/include/ap_release.h` beside the program's
/// `PREFIX/bin/`; `None` when it is not there.
fn installed_version(sh: &Shell<'_>) -> Option<String> {
    let path = sh.fs.canonicalize(&sh.program_path).ok()?;
    let prefix = path.rsplit_once('/')?.0.rsplit_once('/')?.0;
    let header = sh
        .fs
        .read_file(&format!("{prefix}/include/ap_release.h"))
        .ok()?
        .bytes()
        .into_owned();
    let number = |part: &str| define(&header, &format!("AP_SERVER_{part}_NUMBER"));
    Some(format!(
        "{}.{}.{}",
        number("MAJORVERSION")?,
        number("MINORVERSION")?,
        number("PATCHLEVEL")?
    ))
}
