//! `node` (and `nodejs`): the Node.js binary of the node images and of the
//! nodejs.org release trees. `--version` answers from the tree the binary belongs
//! to: every release installs `PREFIX/include/node/node_version.h` beside
//! `PREFIX/bin/node`, so an image (or a patch-level tag of one) reports its own
//! release. Running JavaScript is not modelled: a notice, and success.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::files::parent_of;

/// `node --version` / `-v`; anything else runs JavaScript, which is not modelled.
pub fn node(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = super::super::exec::base_name(&argv[0]).to_string();
    let asks_version = argv.get(1).is_some_and(|a| a == "--version" || a == "-v");
    if asks_version {
        if let Some(version) = version(sh) {
            sh.out(format!("v{version}\n"))?;
            return Ok(0);
        }
        sh.notice(
            NoticeKind::NotSimulated,
            &called,
            format!(
                "not simulated: this `{called}` has no include/node/node_version.h beside it, so its version is unknown; treated as success"
            ),
        );
        return Ok(0);
    }
    sh.notice(
        NoticeKind::NotSimulated,
        &called,
        format!(
            "not simulated: `{}` runs JavaScript, which layerlab does not model; treated as success",
            argv.join(" ")
        ),
    );
    Ok(0)
}

/// `22.12.0`, from the `NODE_*_VERSION` macros of the header installed with the
/// binary being run (`PREFIX/include/node/node_version.h` for `PREFIX/bin/node`).
fn version(sh: &Shell<'_>) -> Option<String> {
    let binary = sh.fs.canonicalize(&sh.program_path).ok()?;
    let prefix = parent_of(&parent_of(&binary));
    let header = format!(
        "{}/include/node/node_version.h",
        prefix.trim_end_matches('/')
    );
    let text = sh.fs.read_file(&header).ok()?;
    let text = String::from_utf8_lossy(&text.bytes()).into_owned();
    let number = |name: &str| {
        text.lines().find_map(|line| {
            let rest = line.strip_prefix("#define ")?.trim_start();
            let value = rest.strip_prefix(name)?;
            let value = value.trim();
            value
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| value.to_string())
                .filter(|v| !v.is_empty())
        })
    };
    Some(format!(
        "{}.{}.{}",
        number("NODE_MAJOR_VERSION")?,
        number("NODE_MINOR_VERSION")?,
        number("NODE_PATCH_VERSION")?
    ))
}
