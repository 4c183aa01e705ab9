//! The real text of the small files some indexed packages ship, so what a
//! Dockerfile does with them next works: `sed -ri` on apache2's `envvars` and
//! sourcing it, appending to `/etc/locale.gen`, `a2enmod` reading a module's
//! `# Depends:` and `# Conflicts:` lines. Every other file a package installs is
//! generated (`install_files`). The texts live in `contents.txt`; Apache's module
//! `.load` files follow one pattern and are written from it.

const CONTENTS: &str = include_str!("contents.txt");

/// Apache modules whose Debian `.load` file names other modules:
/// (module, `# Depends:`, `# Conflicts:`).
const APACHE_LOAD_NOTES: &[(&str, &str, &str)] = &[
    ("deflate", "filter", ""),
    ("mpm_event", "", "mpm_worker mpm_prefork"),
    ("mpm_prefork", "", "mpm_event mpm_worker"),
    ("mpm_worker", "", "mpm_event mpm_prefork"),
    ("proxy_http", "proxy", ""),
    ("ssl", "setenvif mime socache_shmcb", ""),
];

/// The text `package` installs at `path`, when layerlab knows it.
pub fn text(package: &str, path: &str) -> Option<String> {
    if package == "apache2" {
        if let Some(module) = path
            .strip_prefix("/etc/apache2/mods-available/")
            .and_then(|f| f.strip_suffix(".load"))
        {
            return Some(apache_load(module));
        }
    }
    let header = format!("== {package} {path}");
    let mut lines = CONTENTS.lines().skip_while(|l| *l != header);
    lines.next()?;
    let mut text = String::new();
    for line in lines.take_while(|l| *l != ".") {
        text.push_str(line);
        text.push('\n');
    }
    Some(text)
}

/// A Debian apache2 `mods-available/NAME.load`: dependency notes, then LoadModule.
fn apache_load(module: &str) -> String {
    let mut text = String::new();
    if let Some((_, depends, conflicts)) = APACHE_LOAD_NOTES.iter().find(|(m, _, _)| *m == module) {
        if !depends.is_empty() {
            text.push_str(&format!("# Depends: {depends}\n"));
        }
        if !conflicts.is_empty() {
            text.push_str(&format!("# Conflicts: {conflicts}\n"));
        }
    }
    text.push_str(&format!(
        "LoadModule {module}_module /usr/lib/apache2/modules/mod_{module}.so\n"
    ));
    text
}
