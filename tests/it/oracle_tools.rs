//! What the real-tool tests share: where `../shared/oracle/` is, and the check
//! that its tools are installed (these tests fail loudly, never skip).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A script or file of the shared oracle (`../shared/oracle/NAME`).
pub fn oracle(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/oracle");
    assert!(
        dir.is_dir(),
        "the shared oracle is missing at {}",
        dir.display()
    );
    dir.join(name)
}

/// Panics with the install command when buildah, umoci, skopeo or python3 is missing.
pub fn require_tools() {
    for tool in ["buildah", "umoci", "skopeo", "python3"] {
        let found = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(found, "`{tool}` is missing: run `bash ../shared/oracle/install.sh` (installs buildah, umoci and skopeo from Debian)");
    }
}
