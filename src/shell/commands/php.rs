//! `php`: the interpreter that layerlab's simulated PHP source release installs
//! (`catalog::release`, and the catalog's php images, which hold the same install).
//! Official images ask it for its version (`php --version` as a smoke test),
//! tutorials for its modules (`php -m`, which `docker-php-ext-enable` reads too),
//! and both run PEAR's `pecl`/`pear` scripts through it (`pecl update-channels`,
//! `pecl install`). The version and thread safety come from the headers the
//! install wrote (`include/php/main/php_version.h`, `php_config.h`), the built-in
//! extensions from the configure options in `build-defs.h`, the loaded ones from
//! the ini files of the scan directory. Running PHP code is not modelled.

use super::super::exec::{base_name, Exec, Shell};
use super::super::NoticeKind;
use super::system::{civil, MONTHS};

/// What the install's headers say about this PHP.
struct Install {
    version: String,
    zts: bool,
    scan_dir: String,
    /// The install prefix (`/usr/local`): `include/php/ext/NAME` names the
    /// extensions the release ships.
    prefix: String,
    /// Where shared extensions live (`PHP_EXTENSION_DIR`).
    ext_dir: String,
    /// The configure options (`build-defs.h`'s `CONFIGURE_COMMAND`).
    configure: String,
    /// `php_version.h`'s `PHP_VERSION_ID` (`80324`).
    id: u32,
    /// Where php.ini is looked for (`PHP_CONFIG_FILE_PATH`).
    ini_path: String,
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
            "-m" | "--modules" => return modules(sh, &install),
            "--ini" => return ini_files(sh, &install),
            script if script.ends_with("/peclcmd.php") => {
                return pear(sh, &install, "pecl", &argv[i + 1..]);
            }
            script if script.ends_with("/pearcmd.php") => {
                return pear(sh, &install, "pear", &argv[i + 1..]);
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
    let configure = sh
        .fs
        .read_file(&format!("{main}/build-defs.h"))
        .ok()
        .and_then(|b| define(&b.bytes(), "CONFIGURE_COMMAND"))
        .unwrap_or_default();
    Some(Install {
        id: version_id(&version),
        version,
        zts: define(&config, "ZTS").is_some(),
        scan_dir,
        prefix: prefix.to_string(),
        ext_dir: define(&config, "PHP_EXTENSION_DIR").unwrap_or_default(),
        configure,
        ini_path: define(&config, "PHP_CONFIG_FILE_PATH").unwrap_or_default(),
    })
}

/// `PHP_VERSION_ID` of a version: 8.3.24 → 80324 (a suffix such as `alpha3` is dropped).
fn version_id(version: &str) -> u32 {
    let mut parts = version.split('.').map(|p| {
        p.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    });
    let mut n = 0;
    for _ in 0..3 {
        n = n * 100 + parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    }
    n
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
    let id = install.id;
    let mut out = format!(
        "PHP {v} (cli) (built: {month} {d:>2} {y} {h:02}:{mi:02}:{s:02}) ({})\nCopyright (c) The PHP Group\nZend Engine v{engine}, Copyright (c) Zend Technologies\n",
        if install.zts { "ZTS" } else { "NTS" }
    );
    // OPcache is built in from PHP 8.5; before, it loads when an ini enables it.
    if id >= 80500 || opcache_enabled(sh, install) {
        out.push_str(&format!(
            "    with Zend OPcache v{v}, Copyright (c), by Zend Technologies\n"
        ));
    }
    sh.out(out)?;
    Ok(0)
}

/// Whether an ini file of the scan directory loads OPcache.
fn opcache_enabled(sh: &Shell<'_>, install: &Install) -> bool {
    ini_extensions(sh, install)
        .iter()
        .any(|(directive, value)| {
            let name = base_name(value);
            directive == "zend_extension" && (name == "opcache" || name == "opcache.so")
        })
}

/// The extensions PHP 8 builds in unless configure is told otherwise (`random`
/// from 8.2 on), by the names `php -m` prints.
const BUILT_IN_BY_DEFAULT: &[&str] = &[
    "Core",
    "ctype",
    "date",
    "dom",
    "fileinfo",
    "filter",
    "hash",
    "iconv",
    "json",
    "libxml",
    "pcre",
    "PDO",
    "pdo_sqlite",
    "Phar",
    "posix",
    "Reflection",
    "session",
    "SimpleXML",
    "SPL",
    "sqlite3",
    "standard",
    "tokenizer",
    "xml",
    "xmlreader",
    "xmlwriter",
];

/// The name PHP reports for an extension whose directory (and `.so`) is `ext`;
/// whether it is a Zend extension (listed under `[Zend Modules]` too).
fn module_name(ext: &str) -> (String, bool) {
    let name = match ext {
        "opcache" => return ("Zend OPcache".to_string(), true),
        "xdebug" => return ("Xdebug".to_string(), true),
        "pdo" => "PDO",
        "phar" => "Phar",
        "reflection" => "Reflection",
        "simplexml" => "SimpleXML",
        "spl" => "SPL",
        other => other,
    };
    (name.to_string(), false)
}

/// `php -m`: the built-in extensions (PHP's defaults with the configure options'
/// `--enable-X`/`--with-X` for bundled extensions, less `=shared` and
/// `--disable-X`), then the ones the ini files load, sorted as PHP sorts them.
fn modules(sh: &mut Shell<'_>, install: &Install) -> Exec {
    let mut names: Vec<String> = BUILT_IN_BY_DEFAULT.iter().map(|n| n.to_string()).collect();
    if install.id >= 80200 {
        names.push("random".to_string());
    }
    for option in install.configure.split_whitespace() {
        let option = option.trim_matches('\'');
        let (flag, value) = option.split_once('=').unwrap_or((option, ""));
        let (on, ext) = if let Some(e) = flag
            .strip_prefix("--enable-")
            .or(flag.strip_prefix("--with-"))
        {
            (true, e.replace('-', "_"))
        } else if let Some(e) = flag
            .strip_prefix("--disable-")
            .or(flag.strip_prefix("--without-"))
        {
            (false, e.replace('-', "_"))
        } else {
            continue;
        };
        let bundled = sh
            .fs
            .stat(&format!("{}/include/php/ext/{ext}", install.prefix))
            .is_ok_and(|s| s.is_dir());
        let (name, _) = module_name(&ext);
        names.retain(|n| *n != name);
        if on && bundled && !value.starts_with("shared") {
            names.push(name);
        }
    }
    let mut zend = Vec::new();
    let mut warnings = String::new();
    for (directive, value) in ini_extensions(sh, install) {
        let file = base_name(&value).to_string();
        let ext = file.strip_suffix(".so").unwrap_or(&file).to_string();
        let path = if value.starts_with('/') {
            value.clone()
        } else if file.ends_with(".so") {
            format!("{}/{file}", install.ext_dir)
        } else {
            format!("{}/{file}.so", install.ext_dir)
        };
        if !sh.fs.exists(&path) {
            warnings.push_str(&format!(
                "PHP Warning:  PHP Startup: Unable to load dynamic library '{value}' ({path}: cannot open shared object file: No such file or directory) in Unknown on line 0\n"
            ));
            continue;
        }
        let (name, is_zend) = module_name(&ext);
        if names.contains(&name) {
            warnings.push_str(&format!(
                "PHP Warning:  Module \"{name}\" is already loaded in Unknown on line 0\n"
            ));
            continue;
        }
        if is_zend || directive == "zend_extension" {
            zend.push(name.clone());
        }
        names.push(name);
    }
    let by_name = |a: &String, b: &String| a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase());
    crate::sort::sort_by(&mut names, by_name);
    crate::sort::sort_by(&mut zend, by_name);
    sh.err(warnings)?;
    let mut out = String::from("[PHP Modules]\n");
    for name in &names {
        out.push_str(name);
        out.push('\n');
    }
    out.push_str("\n[Zend Modules]\n");
    for name in &zend {
        out.push_str(name);
        out.push('\n');
    }
    out.push('\n');
    sh.out(out)?;
    Ok(0)
}

/// `php --ini`: where php.ini is looked for and found, and the scan directory's
/// files, in the CLI's words.
fn ini_files(sh: &mut Shell<'_>, install: &Install) -> Exec {
    let php_ini = format!("{}/php.ini", install.ini_path);
    let loaded = if sh.fs.exists(&php_ini) {
        php_ini.as_str()
    } else {
        "(none)"
    };
    let scanned = scan_files(sh, install);
    let or_none = |s: &str| {
        if s.is_empty() {
            "(none)".to_string()
        } else {
            s.to_string()
        }
    };
    let out = format!(
        "Configuration File (php.ini) Path: {}\nLoaded Configuration File:         {loaded}\nScan for additional .ini files in: {}\nAdditional .ini files parsed:      {}\n\n",
        install.ini_path,
        or_none(&install.scan_dir),
        or_none(&scanned.join(",\n")),
    );
    sh.out(out)?;
    Ok(0)
}

/// The ini files of the scan directory, in the name order PHP reads them.
fn scan_files(sh: &Shell<'_>, install: &Install) -> Vec<String> {
    let Ok(entries) = sh.fs.read_dir(&install.scan_dir) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|(name, _)| name.ends_with(".ini"))
        .map(|(name, _)| format!("{}/{name}", install.scan_dir))
        .collect()
}

/// The `extension=` and `zend_extension=` values of the scan directory's ini
/// files, read in name order as PHP reads them: (directive, value).
fn ini_extensions(sh: &Shell<'_>, install: &Install) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for path in scan_files(sh, install) {
        let Ok(blob) = sh.fs.read_file(&path) else {
            continue;
        };
        for line in String::from_utf8_lossy(&blob.bytes()).lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            if key == "extension" || key == "zend_extension" {
                let value = value.trim().trim_matches('"').to_string();
                found.push((key.to_string(), value));
            }
        }
    }
    found
}

/// The channels a fresh PEAR install knows.
const CHANNELS: [&str; 3] = ["doc.php.net", "pear.php.net", "pecl.php.net"];

/// `pecl`/`pear COMMAND`: `update-channels` refreshes the channel definitions,
/// which needs the network, so it reports them up to date as shipped.
fn pear(sh: &mut Shell<'_>, install: &Install, tool: &str, args: &[String]) -> Exec {
    match args.first().map(String::as_str) {
        Some("install") if tool == "pecl" => pecl_install(sh, install, &args[1..]),
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
                "PEAR and PECL commands other than update-channels and pecl install are not modelled",
            )
        }
    }
}

/// `pecl install [OPTIONS] PACKAGE[-VERSION]...`: PECL's downloads and builds need
/// the network and a compiler, so each package's extension is a simulated `.so`
/// in the extension directory (enabled by nobody, as with the real pecl), with
/// pecl's closing messages and a notice saying so.
fn pecl_install(sh: &mut Shell<'_>, install: &Install, args: &[String]) -> Exec {
    let packages: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if packages.is_empty() {
        sh.err("Error: no package specified\n")?;
        return Ok(1);
    }
    let mut out = String::new();
    for package in packages {
        let spec = package.rsplit('/').next().unwrap_or(package);
        let (name, version) = match spec.split_once('-') {
            Some((n, v)) => (n.to_ascii_lowercase(), Some(v)),
            None => (spec.to_ascii_lowercase(), None),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            sh.err(format!(
                "No releases available for package \"pecl.php.net/{spec}\"\ninstall failed\n"
            ))?;
            return Ok(1);
        }
        let so = format!("{}/{name}.so", install.ext_dir);
        let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            seed = (seed ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let size = 200_000 + seed % 1_800_000;
        let meta = sh.file_meta();
        if let Err(e) = sh
            .fs
            .mkdir_all(&install.ext_dir, sh.dir_meta())
            .and_then(|_| {
                sh.fs
                    .write_file(&so, crate::vfs::blob::Blob::generated(size, seed), meta)
            })
        {
            sh.err(format!("ERROR: failed to write {so}: {}\n", e.kind))?;
            return Ok(1);
        }
        let line = match module_name(&name) {
            (_, true) => format!("zend_extension={so}"),
            _ => format!("extension={name}.so"),
        };
        let full = match version {
            Some(v) => format!("{name}-{v}"),
            None => name.clone(),
        };
        out.push_str(&format!(
            "Build process completed successfully\nInstalling '{so}'\ninstall ok: channel://pecl.php.net/{full}\nconfiguration option \"php_ini\" is not set to php.ini location\nYou should add \"{line}\" to php.ini\n"
        ));
        sh.notice(
            NoticeKind::Simulated,
            "pecl",
            format!("simulated: pecl install {spec} has no network and compiles nothing; {so} is a placeholder of a plausible size"),
        );
    }
    // pecl leaves its download and build directories behind.
    let meta = sh.dir_meta();
    let _ = sh.fs.mkdir_all("/tmp/pear/temp", meta);
    sh.out(out)?;
    Ok(0)
}
