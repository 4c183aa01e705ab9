//! `php`: the interpreter that layerlab's simulated PHP source release installs
//! (`catalog::release`). Official images ask it for its version (`php --version`
//! as a smoke test), and run PEAR's `pecl`/`pear` scripts through it (`pecl
//! update-channels`). The version and thread safety come from the headers the
//! install wrote (`include/php/main/php_version.h`, `php_config.h`), the loaded
//! Zend extensions from the ini files of the scan directory. Running PHP code is
//! not modelled.

use super::super::exec::{base_name, Exec, Shell};
use super::super::NoticeKind;
use super::system::{civil, MONTHS};

/// What the install's headers say about this PHP.
struct Install {
    version: String,
    zts: bool,
    scan_dir: String,
}

/// `php [-C] [-q] [-n] [-c PATH] [-d KEY=VALUE]... (-v | --version | SCRIPT ARGS...)`.
pub fn php(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let Some(install) = install(sh) else {
        return not_simulated(
            sh,
            argv,
            "this php was not installed from layerlab's simulated PHP release",
        );
    };
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        match arg.as_str() {
            "-C" | "-q" | "-n" | "-e" | "-H" => i += 1,
            "-d" | "-c" | "-z" => i += 2,
            a if a.starts_with("-d") || a.starts_with("-c") => i += 1,
            "-v" | "--version" => return version(sh, &install),
            script if script.ends_with("/peclcmd.php") => {
                return pear(sh, "pecl", &argv[i + 1..]);
            }
            script if script.ends_with("/pearcmd.php") => {
                return pear(sh, "pear", &argv[i + 1..]);
            }
            _ => break,
        }
    }
    not_simulated(sh, argv, "it runs PHP code, which layerlab does not model")
}

/// Announces `argv` as not simulated (for `why`) and succeeds, as unknown programs do.
pub(super) fn not_simulated(sh: &mut Shell<'_>, argv: &[String], why: &str) -> Exec {
    let called = base_name(&argv[0]).to_string();
    sh.notice(
        NoticeKind::NotSimulated,
        &called,
        format!(
            "not simulated: `{}`: {why}; treated as success",
            argv.join(" ")
        ),
    );
    Ok(0)
}

/// Reads the installed headers next to the program (`PREFIX/bin/php` →
/// `PREFIX/include/php/main/`); `None` when they are not there.
fn install(sh: &Shell<'_>) -> Option<Install> {
    let path = sh.fs.canonicalize(&sh.program_path).ok()?;
    let bin = path.rsplit_once('/')?.0;
    let prefix = bin.rsplit_once('/')?.0;
    let main = format!("{prefix}/include/php/main");
    let version_h = sh.fs.read_file(&format!("{main}/php_version.h")).ok()?;
    let version = define(&version_h.bytes(), "PHP_VERSION")?;
    let config = sh
        .fs
        .read_file(&format!("{main}/php_config.h"))
        .map(|b| b.bytes().into_owned())
        .unwrap_or_default();
    let scan_dir = match sh.var("PHP_INI_SCAN_DIR") {
        Some(dir) => dir.to_string(),
        None => define(&config, "PHP_CONFIG_FILE_SCAN_DIR").unwrap_or_default(),
    };
    Some(Install {
        version,
        zts: define(&config, "ZTS").is_some(),
        scan_dir,
    })
}

/// The value of `#define NAME VALUE` in a C header, without quotes.
pub(super) fn define(header: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(header).lines().find_map(|line| {
        let rest = line.trim().strip_prefix("#define ")?.trim_start();
        let value = rest.strip_prefix(name)?;
        value
            .starts_with([' ', '\t'])
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// `php --version`: the banner of the CLI, dated when the binary was built.
fn version(sh: &mut Shell<'_>, install: &Install) -> Exec {
    let built = sh
        .fs
        .stat(&sh.program_path)
        .map(|s| s.meta.mtime)
        .unwrap_or_default();
    let (y, mo, d, h, mi, s) = civil(built);
    let month = MONTHS[(mo as usize).saturating_sub(1) % 12];
    let v = &install.version;
    // PHP 8.x runs on Zend Engine 4.x: 8.2.33 → 4.2.33.
    let engine = match v.split_once('.') {
        Some(("8", rest)) => format!("4.{rest}"),
        _ => v.clone(),
    };
    let id: u32 = {
        let mut parts = v.split('.').map(|p| {
            p.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        });
        let mut n = 0;
        for _ in 0..3 {
            n = n * 100 + parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        }
        n
    };
    let mut out = format!(
        "PHP {v} (cli) (built: {month} {d:>2} {y} {h:02}:{mi:02}:{s:02}) ({})\nCopyright (c) The PHP Group\nZend Engine v{engine}, Copyright (c) Zend Technologies\n",
        if install.zts { "ZTS" } else { "NTS" }
    );
    // OPcache is built in from PHP 8.5; before, it loads when an ini enables it.
    if id >= 80500 || opcache_enabled(sh, &install.scan_dir) {
        out.push_str(&format!(
            "    with Zend OPcache v{v}, Copyright (c), by Zend Technologies\n"
        ));
    }
    sh.out(out)?;
    Ok(0)
}

/// Whether an ini file of the scan directory loads OPcache.
fn opcache_enabled(sh: &Shell<'_>, scan_dir: &str) -> bool {
    let Ok(entries) = sh.fs.read_dir(scan_dir) else {
        return false;
    };
    entries
        .iter()
        .filter(|(name, _)| name.ends_with(".ini"))
        .filter_map(|(name, _)| sh.fs.read_file(&format!("{scan_dir}/{name}")).ok())
        .any(|blob| {
            String::from_utf8_lossy(&blob.bytes()).lines().any(|line| {
                line.trim()
                    .strip_prefix("zend_extension")
                    .and_then(|r| r.trim_start().strip_prefix('='))
                    .is_some_and(|m| {
                        let m = m.trim().trim_matches('"');
                        let name = base_name(m);
                        name == "opcache" || name == "opcache.so"
                    })
            })
        })
}

/// The channels a fresh PEAR install knows.
const CHANNELS: [&str; 3] = ["doc.php.net", "pear.php.net", "pecl.php.net"];

/// `pecl`/`pear COMMAND`: `update-channels` refreshes the channel definitions,
/// which needs the network, so it reports them up to date as shipped.
fn pear(sh: &mut Shell<'_>, tool: &str, args: &[String]) -> Exec {
    match args.first().map(String::as_str) {
        Some("update-channels") => {
            let mut out = String::new();
            for channel in CHANNELS {
                out.push_str(&format!(
                    "Updating channel \"{channel}\"\nChannel \"{channel}\" is up to date\n"
                ));
            }
            sh.out(out)?;
            // PEAR keeps its download cache here when run as root.
            let meta = sh.dir_meta();
            let _ = sh.fs.mkdir_all("/tmp/pear/cache", meta);
            sh.notice(
                NoticeKind::Simulated,
                tool,
                format!("simulated: {tool} update-channels has no network; the channel definitions PEAR ships are kept and reported up to date"),
            );
            Ok(0)
        }
        _ => {
            let mut argv = vec![tool.to_string()];
            argv.extend(args.iter().cloned());
            not_simulated(
                sh,
                &argv,
                "PEAR and PECL commands other than update-channels are not modelled",
            )
        }
    }
}
