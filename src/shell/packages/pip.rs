//! `pip install` (and `python -m pip`, `python -m venv`) into the image's real
//! site-packages layout: `NAME-VERSION.dist-info/` with `METADATA`, `WHEEL`,
//! `INSTALLER`, `RECORD` (real sha256 hashes and sizes), the package directory, its
//! byte-compiled `__pycache__`, console scripts in the environment's `bin/`, and
//! pip's HTTP cache under `~/.cache/pip` unless `--no-cache-dir`.
//!
//! Where Python lives is read from the image: a venv (the `pip` run lives next to a
//! `pyvenv.cfg`), the official images' `/usr/local/lib/python3.X/site-packages`, or
//! a distribution's `/usr/lib/python3.X` (Debian and Ubuntu install to
//! `dist-packages`; Debian 12, Ubuntu 24.04 and Alpine refuse system-wide installs
//! under PEP 668, Ubuntu 22.04 does not). A distribution's venv needs its
//! `python3.X-venv` package (ensurepip) and gets that release's pip wheel. PyPI is
//! too big to curate: names outside the small index get a generated package, and a
//! notice.

use super::super::exec::{base_name, Exec, Shell};
use super::super::NoticeKind;
use super::{kilobytes, seed, write_text};
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// `name|version|installed KiB|dependencies|import name|console scripts|native`.
const PYPI: &str = "\
blinker|1.7.0|40||blinker||
boto3|1.34.34|1200|botocore,jmespath,s3transfer|boto3||
botocore|1.34.34|11900|jmespath,python-dateutil,urllib3|botocore||
celery|5.3.6|2100|click,kombu,python-dateutil|celery|celery|
certifi|2024.2.2|300||certifi||
charset-normalizer|3.3.2|360||charset_normalizer|normalizer|native
click|8.1.7|330||click||
django|5.0.2|10900|asgiref,sqlparse|django|django-admin|
asgiref|3.7.2|80||asgiref||
fastapi|0.109.2|420|pydantic,starlette,typing-extensions|fastapi||
flask|3.0.2|300|werkzeug,jinja2,itsdangerous,click,blinker|flask|flask|
gunicorn|21.2.0|430|packaging|gunicorn|gunicorn|
idna|3.6|260||idna||
itsdangerous|2.1.2|60||itsdangerous||
jinja2|3.1.3|700|markupsafe|jinja2||
jmespath|1.0.1|90||jmespath||
kombu|5.3.5|900|vine|kombu||
markupsafe|2.1.5|50||markupsafe||native
numpy|1.26.4|61000||numpy|f2py|native
packaging|23.2|200||packaging||
pandas|2.2.0|68000|numpy,python-dateutil,pytz,tzdata|pandas||native
pillow|10.2.0|14500||PIL||native
psycopg2-binary|2.9.9|9300||psycopg2||native
pydantic|2.6.1|1500|pydantic-core,typing-extensions,annotated-types|pydantic||
pydantic-core|2.16.2|5100|typing-extensions|pydantic_core||native
annotated-types|0.6.0|50||annotated_types||
pytest|8.0.1|1600|iniconfig,packaging,pluggy|pytest|pytest,py.test|
iniconfig|2.0.0|30||iniconfig||
pluggy|1.4.0|90||pluggy||
python-dateutil|2.8.2|750|six|dateutil||
pytz|2024.1|2800||pytz||
pyyaml|6.0.1|2300||yaml||native
redis|5.0.1|1100||redis||
requests|2.31.0|250|certifi,charset-normalizer,idna,urllib3|requests||
s3transfer|0.10.0|400|botocore|s3transfer||
scipy|1.12.0|112000|numpy|scipy||native
setuptools|69.1.0|4000||setuptools||
six|1.16.0|40||six||
sqlalchemy|2.0.27|9800|typing-extensions,greenlet|sqlalchemy||native
greenlet|3.0.3|1800||greenlet||native
sqlparse|0.4.4|200||sqlparse|sqlformat|
starlette|0.36.3|500|anyio|starlette||
anyio|4.2.0|500|idna,sniffio|anyio||
sniffio|1.3.0|30||sniffio||
typing-extensions|4.9.0|130||typing_extensions||
tzdata|2024.1|1900||tzdata||
urllib3|2.2.0|550||urllib3||
uvicorn|0.27.1|300|click,h11|uvicorn|uvicorn|
h11|0.14.0|220||h11||
vine|5.1.0|80||vine||
werkzeug|3.0.1|1000|markupsafe|werkzeug||
wheel|0.42.0|200||wheel|wheel|
pip|24.0|9000||pip|pip,pip3|
";

/// One PyPI project: curated or generated from its name.
#[derive(Clone, Debug)]
pub(super) struct Project {
    name: String,
    version: String,
    kib: u64,
    deps: Vec<String>,
    module: String,
    pub(super) scripts: Vec<String>,
    native: bool,
    generated: bool,
}

/// PEP 503 normalisation: lower case, runs of `-_.` become `-`.
fn normalize(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

pub(super) fn project(name: &str, version: Option<&str>) -> Project {
    let norm = normalize(name);
    for line in PYPI.lines() {
        let f: Vec<&str> = line.split('|').collect();
        if f.len() == 7 && f[0] == norm {
            let list = |s: &str| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            return Project {
                name: f[0].to_string(),
                version: version.unwrap_or(f[1]).to_string(),
                kib: f[2].parse().unwrap_or(100),
                deps: list(f[3]),
                module: f[4].to_string(),
                scripts: list(f[5]),
                native: f[6] == "native",
                generated: false,
            };
        }
    }
    let s = seed(&["pypi", &norm]);
    Project {
        name: norm.clone(),
        version: version
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}.{}.{}", 1 + s % 4, (s >> 8) % 20, (s >> 16) % 10)),
        kib: 20 + (s >> 24) % 2000,
        deps: Vec::new(),
        module: norm.replace('-', "_"),
        scripts: Vec::new(),
        native: false,
        generated: true,
    }
}

/// Where packages go: site-packages, the scripts directory and the Python version.
#[derive(Clone, Debug)]
pub(super) struct PyEnv {
    pub(super) version: String,
    pub(super) site: String,
    pub(super) bin: String,
    venv: bool,
    externally_managed: bool,
    interpreter: String,
}

/// `3.12` for the highest `python3.N` directory under `dir`.
fn version_in(sh: &Shell<'_>, dir: &str) -> Option<String> {
    let mut best: Option<(u32, String)> = None;
    for (name, st) in sh.fs.read_dir(dir).ok()? {
        let Some(minor) = name
            .strip_prefix("python3.")
            .and_then(|m| m.parse::<u32>().ok())
        else {
            continue;
        };
        if st.is_dir() && best.as_ref().is_none_or(|(b, _)| minor > *b) {
            best = Some((minor, format!("3.{minor}")));
        }
    }
    best.map(|(_, v)| v)
}

pub(super) fn python_env(sh: &Shell<'_>, user: bool) -> PyEnv {
    let prog_dir = super::super::commands::files::parent_of(&sh.program_path);
    let venv_root = super::super::commands::files::parent_of(&prog_dir);
    if sh.fs.exists(&format!("{venv_root}/pyvenv.cfg")) {
        let version =
            version_in(sh, &format!("{venv_root}/lib")).unwrap_or_else(|| "3.12".to_string());
        return PyEnv {
            site: format!("{venv_root}/lib/python{version}/site-packages"),
            bin: format!("{venv_root}/bin"),
            interpreter: format!("{venv_root}/bin/python"),
            version,
            venv: true,
            externally_managed: false,
        };
    }
    let (version, site, bin, managed) = if let Some(v) = version_in(sh, "/usr/local/lib") {
        (
            v.clone(),
            format!("/usr/local/lib/python{v}/site-packages"),
            "/usr/local/bin".to_string(),
            false,
        )
    } else if let Some(v) = version_in(sh, "/usr/lib") {
        let managed = sh
            .fs
            .exists(&format!("/usr/lib/python{v}/EXTERNALLY-MANAGED"));
        if sh.fs.exists("/etc/alpine-release") {
            (
                v.clone(),
                format!("/usr/lib/python{v}/site-packages"),
                "/usr/bin".to_string(),
                managed,
            )
        } else {
            (
                v.clone(),
                format!("/usr/local/lib/python{v}/dist-packages"),
                "/usr/local/bin".to_string(),
                managed,
            )
        }
    } else {
        (
            "3.12".to_string(),
            "/usr/local/lib/python3.12/site-packages".to_string(),
            "/usr/local/bin".to_string(),
            false,
        )
    };
    let interpreter = if bin == "/usr/bin" || site.contains("dist-packages") {
        format!("/usr/bin/python{version}")
    } else {
        format!("{bin}/python{version}")
    };
    if user {
        let home = sh.home();
        return PyEnv {
            site: format!("{home}/.local/lib/python{version}/site-packages"),
            bin: format!("{home}/.local/bin"),
            version,
            venv: false,
            externally_managed: managed,
            interpreter,
        };
    }
    PyEnv {
        version,
        site,
        bin,
        venv: false,
        externally_managed: managed,
        interpreter,
    }
}

/// pip's RECORD hash: urlsafe base64 of the sha256, unpadded.
fn record_hash(blob: &Blob) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = blob.digest().0;
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for k in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    out
}

/// A requirement line: name, pinned version, a wheel file (`/wheels/x-1.0-py3-none-any.whl`:
/// the path as written, the project and its version), or a reason it is not
/// simulated.
enum Requirement {
    Named(String, Option<String>),
    Wheel(String, String, String),
    Unsupported(String),
}

/// The project and version a wheel's file name states (PEP 427:
/// `{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl`).
fn wheel_file(spec: &str) -> Option<Requirement> {
    let file = spec.rsplit('/').next()?.strip_suffix(".whl")?;
    let mut parts = file.split('-');
    let (name, version) = (parts.next()?, parts.next()?);
    (parts.count() >= 3 && !name.is_empty() && !version.is_empty())
        .then(|| Requirement::Wheel(spec.to_string(), name.to_string(), version.to_string()))
}

fn parse_requirement(spec: &str) -> Option<Requirement> {
    let spec = spec.split(" #").next().unwrap_or(spec).trim();
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    if spec.is_empty() || spec.starts_with('#') {
        return None;
    }
    if let Some(wheel) = wheel_file(spec) {
        return Some(wheel);
    }
    if spec.starts_with('.')
        || spec.starts_with('/')
        || spec.contains("://")
        || spec.starts_with("-e")
    {
        return Some(Requirement::Unsupported(spec.to_string()));
    }
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(spec.len());
    let name = &spec[..end];
    if name.is_empty() {
        return Some(Requirement::Unsupported(spec.to_string()));
    }
    let rest = spec[end..].trim();
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map_or("", |(_, after)| after).trim(),
        None => rest,
    };
    let pinned = rest
        .strip_prefix("==")
        .map(|v| v.split(',').next().unwrap_or(v).trim().to_string());
    Some(Requirement::Named(name.to_string(), pinned))
}

/// Reads a requirements file (and the files it includes with `-r`).
fn read_requirements(
    sh: &mut Shell<'_>,
    file: &str,
    depth: u32,
    out: &mut Vec<Requirement>,
) -> Result<(), String> {
    let path = sh.abs(file);
    let text = match sh.fs.read_file(&path) {
        Ok(b) => String::from_utf8_lossy(&b.bytes()).into_owned(),
        Err(_) => return Err(format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'\n")),
    };
    let joined = text.replace("\\\n", " ");
    for line in joined.lines() {
        let line = line.trim();
        if let Some(inc) = line
            .strip_prefix("-r ")
            .or_else(|| line.strip_prefix("--requirement "))
        {
            if depth < 10 {
                let base = super::super::commands::files::parent_of(&path);
                let inc = inc.trim();
                let inc_path = if inc.starts_with('/') {
                    inc.to_string()
                } else {
                    format!("{base}/{inc}")
                };
                read_requirements(sh, &inc_path, depth + 1, out)?;
            }
            continue;
        }
        if line.starts_with('-') && !line.starts_with("-e") {
            continue;
        }
        if let Some(r) = parse_requirement(line) {
            out.push(r);
        }
    }
    Ok(())
}

/// The numbers of a dotted version (`3.10` gives `[3, 10]`).
fn numbers(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// `pip list`'s table: a `Package`/`Version` header, dashes as wide as each
/// column, then one row per distribution, columns padded to the widest cell and
/// trailing spaces trimmed (pip's own `tabulate`).
fn list_table(installed: &[(String, String)]) -> String {
    let mut rows = vec![("Package".to_string(), "Version".to_string())];
    rows.extend(installed.iter().cloned());
    let width = |f: fn(&(String, String)) -> &String| {
        rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0)
    };
    let (name_width, version_width) = (width(|r| &r.0), width(|r| &r.1));
    rows.insert(1, ("-".repeat(name_width), "-".repeat(version_width)));
    rows.iter()
        .map(|(n, v)| format!("{}\n", format!("{n:<name_width$} {v}").trim_end()))
        .collect()
}

/// `pip` / `pip3`: install, uninstall, freeze, list, `--version`.
pub fn pip(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let args = &argv[1..];
    let command = args.iter().find(|a| !a.starts_with('-')).cloned();
    if command.is_none() && args.iter().any(|a| a == "--version" || a == "-V") {
        let env = python_env(sh, false);
        // The installed pip's own version (ensurepip's or an upgrade's dist-info).
        let installed = sh
            .fs
            .read_dir(&env.site)
            .unwrap_or_default()
            .into_iter()
            .find_map(|(name, _)| {
                let v = name.strip_prefix("pip-")?.strip_suffix(".dist-info")?;
                Some(v.to_string())
            });
        // A distribution's own pip (apt's python3-pip) lives in dist-packages.
        let (version, home) = match installed {
            Some(v) => (v, env.site.clone()),
            None => match dist_info_version(sh, DISTRO_PACKAGES, "pip") {
                Some(v) if !env.venv => (v, DISTRO_PACKAGES.to_string()),
                _ => (project("pip", None).version, env.site.clone()),
            },
        };
        sh.out(format!(
            "pip {version} from {home}/pip (python {})\n",
            env.version
        ))?;
        return Ok(0);
    }
    match command.as_deref() {
        Some("install") => install(sh, argv),
        Some("uninstall") => uninstall(sh, args),
        Some("wheel") => wheel(sh, argv),
        Some(listing @ ("freeze" | "list")) => {
            let env = python_env(sh, false);
            let mut installed: Vec<(String, String)> = sh
                .fs
                .read_dir(&env.site)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(name, _)| {
                    let (n, v) = name.strip_suffix(".dist-info")?.rsplit_once('-')?;
                    Some((n.to_string(), v.to_string()))
                })
                .collect();
            crate::sort::sort_by(&mut installed, |a, b| normalize(&a.0).cmp(&normalize(&b.0)));
            let out = if listing == "list" {
                list_table(&installed)
            } else {
                // freeze leaves out the installer's own tools unless `--all`: pip,
                // and before Python 3.12 setuptools, distribute and wheel too.
                let all = args.iter().any(|a| a == "--all");
                let old_python = numbers(&env.version) < vec![3, 12];
                installed
                    .iter()
                    .filter(|(n, _)| {
                        let n = normalize(n);
                        all || !(n == "pip"
                            || (old_python
                                && matches!(n.as_str(), "setuptools" | "distribute" | "wheel")))
                    })
                    .map(|(n, v)| format!("{n}=={v}\n"))
                    .collect()
            };
            sh.out(out)?;
            Ok(0)
        }
        Some(other) => {
            sh.notice(
                NoticeKind::NotSimulated,
                "pip",
                format!("not simulated: `pip {other}` is not modelled; treated as success"),
            );
            Ok(0)
        }
        None => {
            sh.err("\nUsage:   \n  pip <command> [options]\n")?;
            Ok(0)
        }
    }
}

fn install(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut reqs = Vec::new();
    let mut no_cache = sh
        .var("PIP_NO_CACHE_DIR")
        .is_some_and(|v| !matches!(v, "" | "0" | "false" | "off"));
    let mut user = false;
    let mut upgrade = false;
    let mut quiet = false;
    let mut no_deps = false;
    let mut break_system = sh
        .var("PIP_BREAK_SYSTEM_PACKAGES")
        .is_some_and(|v| v == "1" || v == "true");
    let mut root_warning = sh.var("PIP_ROOT_USER_ACTION") != Some("ignore");
    let mut i = argv
        .iter()
        .position(|a| a == "install")
        .map_or(1, |p| p + 1);
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        match a {
            "-r" | "--requirement" => {
                let Some(file) = argv.get(i).cloned() else {
                    sh.err("ERROR: -r option requires 1 argument\n")?;
                    return Ok(2);
                };
                i += 1;
                if let Err(msg) = read_requirements(sh, &file, 0, &mut reqs) {
                    sh.err(msg)?;
                    return Ok(1);
                }
            }
            // optparse takes any unambiguous prefix: `--no-cache` is common.
            "--no-cache-dir" | "--no-cache" => no_cache = true,
            "--user" => user = true,
            "-U" | "--upgrade" => upgrade = true,
            "-q" | "-qq" | "--quiet" => quiet = true,
            "--no-deps" => no_deps = true,
            "--break-system-packages" => break_system = true,
            "-e" | "--editable" => {
                if let Some(p) = argv.get(i) {
                    reqs.push(Requirement::Unsupported(format!("-e {p}")));
                }
                i += 1;
            }
            "-i" | "--index-url" | "--extra-index-url" | "--trusted-host" | "-c"
            | "--constraint" | "-f" | "--find-links" | "-t" | "--target" | "--prefix"
            | "--root" | "--platform" | "--python-version" | "--only-binary" | "--no-binary"
            | "--progress-bar" | "--timeout" | "--retries" => i += 1,
            s if s.starts_with("--root-user-action") => {
                let v = s.split_once('=').map(|(_, v)| v.to_string()).or_else(|| {
                    i += 1;
                    argv.get(i - 1).cloned()
                });
                root_warning = v.as_deref() != Some("ignore");
            }
            s if s.starts_with('-') => {}
            s => {
                if let Some(r) = parse_requirement(s) {
                    reqs.push(r);
                }
            }
        }
    }
    if reqs.is_empty() {
        sh.err(
            "ERROR: You must give at least one requirement to install (see \"pip help install\")\n",
        )?;
        return Ok(1);
    }
    let env = python_env(sh, user);
    if env.externally_managed && !env.venv && !break_system {
        sh.err("error: externally-managed-environment\n\n\u{d7} This environment is externally managed\n\u{2570}\u{2500}> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install.\n\n    If you wish to install a non-Debian-packaged Python package,\n    create a virtual environment using python3 -m venv path/to/venv.\n    Then use path/to/venv/bin/python to run it.\n\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your system or damaging your system, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.\n")?;
        return Ok(1);
    }
    let mut out = String::new();
    let mut todo: Vec<(Project, bool)> = Vec::new();
    let mut generated = Vec::new();
    // Names asked for at an exact version (`setuptools==79.0.1`): another installed
    // version does not satisfy them, with or without --upgrade.
    let mut pinned: Vec<String> = Vec::new();
    // What upgrading replaces, printed between "Installing" and "Successfully".
    let mut uninstalls = String::new();
    // Wheel files given by path: pip processes them instead of downloading.
    let mut local: Vec<(String, String)> = Vec::new();
    for r in reqs {
        match r {
            Requirement::Unsupported(spec) => {
                sh.notice(NoticeKind::NotSimulated, "pip", format!("not simulated: `{spec}` (a local path, URL or editable install) was skipped"));
            }
            Requirement::Wheel(path, name, version) => {
                let abs = sh.abs(&path);
                if sh.fs.stat(&abs).is_err() {
                    sh.err(format!("WARNING: Requirement '{path}' looks like a filename, but the file does not exist\nERROR: Could not install packages due to an OSError: [Errno 2] No such file or directory: '{abs}'\n\n"))?;
                    return Ok(1);
                }
                let file = path.rsplit('/').next().unwrap_or(&path);
                if !wheel_supported(file, &env, musl(sh)) {
                    sh.err(format!(
                        "ERROR: {file} is not a supported wheel on this platform.\n"
                    ))?;
                    return Ok(1);
                }
                let p = project(&name, Some(&version));
                pinned.push(p.name.clone());
                local.push((p.name.clone(), abs));
                if !todo.iter().any(|(q, _)| q.name == p.name) {
                    todo.push((p, true));
                }
            }
            Requirement::Named(name, version) => {
                let p = project(&name, version.as_deref());
                if version.is_some() {
                    pinned.push(p.name.clone());
                }
                if !todo.iter().any(|(q, _)| q.name == p.name) {
                    todo.push((p, true));
                }
            }
        }
    }
    if !no_deps {
        add_dependencies(&mut todo);
    }
    let mut installed = Vec::new();
    for (p, requested) in &todo {
        sh.step()?;
        let dist = format!("{}-{}.dist-info", p.module, p.version);
        let existing = sh
            .fs
            .read_dir(&env.site)
            .unwrap_or_default()
            .into_iter()
            .find(|(n, _)| {
                n.ends_with(".dist-info")
                    && normalize(
                        n.trim_end_matches(".dist-info")
                            .rsplit_once('-')
                            .map_or("", |(a, _)| a),
                    ) == p.name
            });
        if let Some((n, _)) = &existing {
            let version = n
                .trim_end_matches(".dist-info")
                .rsplit_once('-')
                .map_or("", |(_, v)| v)
                .to_string();
            if *n == dist || (!upgrade && !pinned.contains(&p.name)) {
                out.push_str(&format!(
                    "Requirement already satisfied: {} in {} ({version})\n",
                    p.name, env.site
                ));
                continue;
            }
            uninstalls.push_str(&format!(
                "  Attempting uninstall: {0}\n    Found existing installation: {0} {version}\n    Uninstalling {0}-{version}:\n      Successfully uninstalled {0}-{version}\n",
                p.name
            ));
            let _ = sh.fs.remove_all(&format!("{}/{n}", env.site));
        }
        let wheel = wheel_name(p, &env, musl(sh));
        let wheel_size = p.kib * 1024 / 3;
        let from_file = local.iter().find(|(name, _)| *name == p.name);
        match from_file {
            Some((_, path)) => out.push_str(&format!("Processing {path}\n")),
            None => out.push_str(&format!(
                "Collecting {}\n  Downloading {wheel} ({})\n",
                p.name,
                kilobytes(wheel_size)
            )),
        }
        write_package(sh, &env, p, *requested);
        if !no_cache && from_file.is_none() {
            let h = crate::digest::Digest::of(format!("{}-{}", p.name, p.version).as_bytes()).hex();
            let dir = format!(
                "{}/.cache/pip/http-v2/{}/{}/{}/{}/{}",
                sh.home(),
                &h[0..1],
                &h[1..2],
                &h[2..3],
                &h[3..4],
                &h[4..5]
            );
            super::write_generated(
                sh,
                &format!("{dir}/{}.body", &h[5..]),
                wheel_size,
                &["pip-cache", &p.name, &p.version],
            );
            super::write_generated(
                sh,
                &format!("{dir}/{}", &h[5..]),
                1_200,
                &["pip-cache-meta", &p.name],
            );
        }
        if p.generated {
            generated.push(format!("{}=={}", p.name, p.version));
        }
        installed.push(format!("{}-{}", p.name, p.version));
    }
    if !installed.is_empty() {
        let names: Vec<&str> = todo
            .iter()
            .filter(|(p, _)| {
                installed
                    .iter()
                    .any(|i| i == &format!("{}-{}", p.name, p.version))
            })
            .map(|(p, _)| p.name.as_str())
            .collect();
        out.push_str(&format!(
            "Installing collected packages: {}\n{uninstalls}Successfully installed {}\n",
            names.join(", "),
            installed.join(" ")
        ));
    }
    if !quiet {
        sh.out(out)?;
    }
    if sh.ctx.uid == 0 && !env.venv && root_warning && !installed.is_empty() {
        sh.err("WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv\n")?;
    }
    sh.notice(NoticeKind::Simulated, "pip", format!("simulated: pip downloaded nothing; {} packages were installed into {} as placeholder files with realistic sizes", installed.len(), env.site));
    if !generated.is_empty() {
        sh.notice(NoticeKind::Simulated, "pip", format!("simulated: {} are not in layerlab's curated PyPI index (PyPI is huge), so their version, size and files were generated from the name", generated.join(", ")));
    }
    Ok(0)
}

/// Appends the dependencies of `todo`'s projects, breadth first, each once.
fn add_dependencies(todo: &mut Vec<(Project, bool)>) {
    let mut k = 0;
    while k < todo.len() {
        let deps = todo[k].0.deps.clone();
        for d in deps {
            if !todo.iter().any(|(q, _)| q.name == d) {
                todo.push((project(&d, None), false));
            }
        }
        k += 1;
    }
}

/// Whether the image's libc is musl (Alpine), which takes musllinux wheels.
fn musl(sh: &Shell<'_>) -> bool {
    sh.fs.exists("/lib/ld-musl-x86_64.so.1")
}

/// The file name of `p`'s wheel for `env`'s Python: a manylinux one (musllinux on
/// musl) when native.
fn wheel_name(p: &Project, env: &PyEnv, musl: bool) -> String {
    let tag = match (p.native, musl) {
        (false, _) => "py3-none-any".to_string(),
        (true, false) => {
            let cp = env.version.replace('.', "");
            format!("cp{cp}-cp{cp}-manylinux_2_17_x86_64.manylinux2014_x86_64")
        }
        (true, true) => {
            let cp = env.version.replace('.', "");
            format!("cp{cp}-cp{cp}-musllinux_1_1_x86_64")
        }
    };
    format!("{}-{}-{tag}.whl", p.module, p.version)
}

/// Whether a wheel file's tags (`...-cp312-cp312-manylinux...whl`) suit this
/// interpreter and libc, as pip checks before installing it.
fn wheel_supported(file: &str, env: &PyEnv, musl: bool) -> bool {
    let tags: Vec<&str> = file.trim_end_matches(".whl").rsplitn(4, '-').collect();
    let [platform, _abi, python, ..] = tags[..] else {
        return false;
    };
    let cp = format!("cp{}", env.version.replace('.', ""));
    let python_ok = python
        .split('.')
        .any(|t| t == cp || t == "py3" || t == "py2.py3" || t.starts_with("py3"));
    let platform_ok = platform.split('.').all(|t| {
        t == "any"
            || (t.ends_with("x86_64")
                && if musl {
                    t.starts_with("musllinux")
                } else {
                    t.starts_with("manylinux") || t.starts_with("linux")
                })
    });
    python_ok && platform_ok
}

/// `pip wheel [-w DIR] [--no-deps] (-r FILE | NAME...)`: downloads the wheels of
/// the requirements and their dependencies into DIR (default: the working
/// directory) as placeholders of a realistic size, for a later
/// `pip install DIR/*.whl` (the multi-stage "build wheels, install them" recipe).
fn wheel(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut reqs = Vec::new();
    let mut dir = ".".to_string();
    let mut no_deps = false;
    let mut quiet = false;
    let mut i = argv.iter().position(|a| a == "wheel").map_or(1, |p| p + 1);
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        let value = match a {
            "-w" | "--wheel-dir" | "-r" | "--requirement" => {
                let Some(v) = argv.get(i).cloned() else {
                    sh.err(format!("ERROR: {a} option requires 1 argument\n"))?;
                    return Ok(2);
                };
                i += 1;
                Some(v)
            }
            _ => a
                .strip_prefix("--wheel-dir=")
                .map(|v| v.to_string())
                .or_else(|| {
                    a.strip_prefix("-w")
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                }),
        };
        match a {
            "-r" | "--requirement" => {
                if let Err(msg) =
                    read_requirements(sh, value.as_deref().unwrap_or(""), 0, &mut reqs)
                {
                    sh.err(msg)?;
                    return Ok(1);
                }
            }
            "--no-deps" => no_deps = true,
            "-q" | "-qq" | "--quiet" => quiet = true,
            "-i" | "--index-url" | "--extra-index-url" | "--trusted-host" | "-c"
            | "--constraint" | "-f" | "--find-links" | "--progress-bar" | "--timeout"
            | "--retries" => i += 1,
            _ if value.is_some() => dir = value.unwrap_or_default(),
            s if s.starts_with('-') => {}
            s => reqs.extend(parse_requirement(s)),
        }
    }
    if reqs.is_empty() {
        sh.err(
            "ERROR: You must give at least one requirement to wheel (see \"pip help wheel\")\n",
        )?;
        return Ok(1);
    }
    let env = python_env(sh, false);
    let mut todo: Vec<(Project, bool)> = Vec::new();
    for r in reqs {
        match r {
            Requirement::Named(name, version) => {
                let p = project(&name, version.as_deref());
                if !todo.iter().any(|(q, _)| q.name == p.name) {
                    todo.push((p, true));
                }
            }
            Requirement::Wheel(spec, ..) | Requirement::Unsupported(spec) => {
                sh.notice(NoticeKind::NotSimulated, "pip", format!("not simulated: `{spec}` (a local path, URL or editable install) was skipped"));
            }
        }
    }
    if !no_deps {
        add_dependencies(&mut todo);
    }
    let abs_dir = sh.abs(&dir);
    let cwd = sh.state.cwd.clone();
    let mut out = String::new();
    let mut saved = String::new();
    for (p, _) in &todo {
        sh.step()?;
        let wheel = wheel_name(p, &env, musl(sh));
        let size = p.kib * 1024 / 3;
        out.push_str(&format!(
            "Collecting {}\n  Downloading {wheel} ({})\n",
            p.name,
            kilobytes(size)
        ));
        let path = format!("{}/{wheel}", abs_dir.trim_end_matches('/'));
        super::write_generated(sh, &path, size, &["pip-wheel", &p.name, &p.version]);
        // pip shows a path under the working directory relative to it.
        let shown = match path.strip_prefix(&format!("{}/", cwd.trim_end_matches('/'))) {
            Some(rel) => format!("./{rel}"),
            None => path.clone(),
        };
        saved.push_str(&format!("Saved {shown}\n"));
    }
    if !quiet {
        sh.out(format!("{out}{saved}"))?;
    }
    sh.notice(
        NoticeKind::Simulated,
        "pip",
        format!("simulated: pip downloaded nothing; {} wheels were written to {abs_dir} as placeholder files with realistic sizes", todo.len()),
    );
    Ok(0)
}

/// Writes one project's files, dist-info and console scripts.
pub(super) fn write_package(sh: &mut Shell<'_>, env: &PyEnv, p: &Project, requested: bool) {
    let site = env.site.clone();
    let tag = env.version.replace('.', "");
    let mut files: Vec<(String, Blob, u32)> = Vec::new();
    let init = Blob::from_bytes(format!(
        "\"\"\"{} {} (layerlab simulated package).\"\"\"\n__version__ = \"{}\"\n",
        p.name, p.version, p.version
    ));
    files.push((format!("{}/__init__.py", p.module), init, 0o644));
    let bulk = (p.kib * 1024).saturating_sub(4096).max(1);
    let bulk_name = if p.native {
        format!("{}/_core.cpython-{tag}-x86_64-linux-gnu.so", p.module)
    } else {
        format!("{}/_impl.py", p.module)
    };
    // The module's bulk: a shared object's bytes, or readable stand-in Python text.
    let bulk_blob = super::filler::blob(&p.name, &p.version, &bulk_name, bulk);
    files.push((bulk_name, bulk_blob, if p.native { 0o755 } else { 0o644 }));
    files.push((
        format!("{}/__pycache__/__init__.cpython-{tag}.pyc", p.module),
        Blob::generated(
            180 + p.name.len() as u64,
            seed(&["pyc", &p.name, &p.version]),
        ),
        0o644,
    ));
    let dist = format!("{}-{}.dist-info", p.module, p.version);
    let requires: String = p
        .deps
        .iter()
        .map(|d| format!("Requires-Dist: {d}\n"))
        .collect();
    files.push((format!("{dist}/METADATA"), Blob::from_bytes(format!("Metadata-Version: 2.1\nName: {}\nVersion: {}\nSummary: {} (simulated by layerlab)\n{requires}\n", p.name, p.version, p.name)), 0o644));
    files.push((
        format!("{dist}/WHEEL"),
        Blob::from_bytes(format!(
            "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.42.0)\nRoot-Is-Purelib: {}\nTag: {}\n",
            !p.native,
            if p.native {
                format!("cp{tag}-cp{tag}-manylinux_2_17_x86_64")
            } else {
                "py3-none-any".to_string()
            }
        )),
        0o644,
    ));
    files.push((
        format!("{dist}/INSTALLER"),
        Blob::from_bytes("pip\n"),
        0o644,
    ));
    files.push((
        format!("{dist}/top_level.txt"),
        Blob::from_bytes(format!("{}\n", p.module)),
        0o644,
    ));
    if requested {
        files.push((format!("{dist}/REQUESTED"), Blob::empty(), 0o644));
    }
    if !p.scripts.is_empty() {
        let entries: String = p
            .scripts
            .iter()
            .map(|s| format!("{s} = {}.__main__:main\n", p.module))
            .collect();
        files.push((
            format!("{dist}/entry_points.txt"),
            Blob::from_bytes(format!("[console_scripts]\n{entries}")),
            0o644,
        ));
    }
    let mut scripts = Vec::new();
    for s in &p.scripts {
        let text = format!("#!{}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {}.__main__ import main\nif __name__ == \"__main__\":\n    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n    sys.exit(main())\n", env.interpreter, p.module);
        scripts.push((s.clone(), Blob::from_bytes(text)));
    }
    let mut record = String::new();
    let meta = |mode: u32| {
        Meta::new(mode)
            .owned(sh.ctx.uid, sh.ctx.gid)
            .at(sh.ctx.mtime)
    };
    for (rel, blob, mode) in &files {
        record.push_str(&format!(
            "{rel},sha256={},{}\n",
            record_hash(blob),
            blob.len()
        ));
        let path = format!("{site}/{rel}");
        let dirm = meta(0o755);
        let _ = sh
            .fs
            .mkdir_all(&super::super::commands::files::parent_of(&path), dirm);
        let _ = sh.fs.write_file(&path, blob.clone(), meta(*mode));
    }
    for (name, blob) in &scripts {
        let path = format!("{}/{name}", env.bin);
        let rel_to_site = format!("{}/{name}", relative(&site, &env.bin));
        record.push_str(&format!(
            "{rel_to_site},sha256={},{}\n",
            record_hash(blob),
            blob.len()
        ));
        let dirm = meta(0o755);
        let _ = sh.fs.mkdir_all(&env.bin, dirm);
        let _ = sh.fs.remove_file(&path);
        let _ = sh.fs.write_file(&path, blob.clone(), meta(0o755));
    }
    record.push_str(&format!("{dist}/RECORD,,\n"));
    let _ = sh.fs.write_file(
        &format!("{site}/{dist}/RECORD"),
        Blob::from_bytes(record),
        meta(0o644),
    );
}

/// The relative path from directory `from` to directory `to` (`../../../bin`),
/// both absolute.
pub(super) fn relative(from: &str, to: &str) -> String {
    let a: Vec<&str> = from.split('/').filter(|c| !c.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|c| !c.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    parts.join("/")
}

fn uninstall(sh: &mut Shell<'_>, args: &[String]) -> Exec {
    let env = python_env(sh, false);
    let names: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && *a != "uninstall")
        .map(|a| normalize(a))
        .collect();
    let mut out = String::new();
    for name in names {
        let found = sh
            .fs
            .read_dir(&env.site)
            .unwrap_or_default()
            .into_iter()
            .find(|(n, _)| {
                n.ends_with(".dist-info")
                    && normalize(
                        n.trim_end_matches(".dist-info")
                            .rsplit_once('-')
                            .map_or("", |(a, _)| a),
                    ) == name
            });
        let Some((dist, _)) = found else {
            sh.err(format!(
                "WARNING: Skipping {name} as it is not installed.\n"
            ))?;
            continue;
        };
        let record = sh
            .fs
            .read_file(&format!("{}/{dist}/RECORD", env.site))
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
            .unwrap_or_default();
        for line in record.lines() {
            let rel = line.split(',').next().unwrap_or("");
            let _ = sh
                .fs
                .remove_file(&super::super::commands::builtins::normalize(&format!(
                    "{}/{rel}",
                    env.site
                )));
        }
        let module = record
            .lines()
            .next()
            .and_then(|l| l.split('/').next())
            .unwrap_or("")
            .to_string();
        if !module.is_empty() && !module.ends_with(".dist-info") {
            let _ = sh.fs.remove_all(&format!("{}/{module}", env.site));
        }
        let _ = sh.fs.remove_all(&format!("{}/{dist}", env.site));
        let version = dist
            .trim_end_matches(".dist-info")
            .rsplit_once('-')
            .map_or("", |(_, v)| v)
            .to_string();
        out.push_str(&format!("Found existing installation: {name} {version}\nUninstalling {name}-{version}:\n  Successfully uninstalled {name}-{version}\n"));
    }
    sh.out(out)?;
    Ok(0)
}

/// Where Debian and Ubuntu's `python3-*` packages install (pip from apt included).
const DISTRO_PACKAGES: &str = "/usr/lib/python3/dist-packages";

/// The version of `project` from a `NAME-VERSION.dist-info` directory in `dir`.
fn dist_info_version(sh: &Shell<'_>, dir: &str, project: &str) -> Option<String> {
    sh.fs.read_dir(dir).ok()?.into_iter().find_map(|(name, _)| {
        let v = name
            .strip_prefix(project)?
            .strip_prefix('-')?
            .strip_suffix(".dist-info")?;
        Some(v.to_string())
    })
}

/// The upstream version of a distribution's Python `3.X` from dpkg's record of
/// `python3.X-minimal` (`3.10.12-1~22.04.4` gives `3.10.12`): its stanza in
/// `/var/lib/dpkg/status`, or in a distroless image (no dpkg) the control stanza
/// kept in `/var/lib/dpkg/status.d/python3.X-minimal`.
fn packaged_python_version(sh: &Shell<'_>, minor: &str) -> Option<String> {
    let header = format!("Package: python{minor}-minimal");
    let text = match sh.fs.read_file("/var/lib/dpkg/status") {
        Ok(status) => {
            let text = String::from_utf8_lossy(&status.bytes()).into_owned();
            let stanza = text
                .split("\n\n")
                .find(|s| s.lines().next() == Some(header.as_str()))?;
            if !stanza.contains("Status: install ok installed") {
                return None;
            }
            stanza.to_string()
        }
        Err(_) => {
            let path = format!("/var/lib/dpkg/status.d/python{minor}-minimal");
            let control = sh.fs.read_file(&path).ok()?;
            String::from_utf8_lossy(&control.bytes()).into_owned()
        }
    };
    let stanza = text.as_str();
    let version = stanza.lines().find_map(|l| l.strip_prefix("Version: "))?;
    let version = version.split_once(':').map_or(version, |(_, v)| v);
    Some(version.split('-').next().unwrap_or(version).to_string())
}

/// `python`/`python3`: `-m pip ...`, `-m venv DIR`, `--version`; anything else
/// (running Python code) is not simulated.
pub fn python(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let env = python_env(sh, false);
    let args = super::cpython::skip_options(argv);
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            let version = super::cpython::full_version(sh, &env.version)
                .or_else(|| packaged_python_version(sh, &env.version))
                .unwrap_or_else(|| {
                    format!(
                        "{}.{}",
                        env.version,
                        2 + seed(&["python", &env.version]) % 8
                    )
                });
            sh.out(format!("Python {version}\n"))?;
            Ok(0)
        }
        Some("-m") => match args.get(1).map(String::as_str) {
            Some("pip") => {
                let mut pip_args = vec!["pip".to_string()];
                pip_args.extend(args[2..].iter().cloned());
                pip(sh, &pip_args)
            }
            Some("venv") => venv(sh, &env, &args[2..]),
            Some("ensurepip") => super::cpython::ensurepip(sh, &args[2..]),
            Some("compileall") => super::cpython::compileall(sh, &args[2..], &env.version),
            _ => not_simulated(sh, argv),
        },
        Some(script) if script.ends_with("/compileall.py") => {
            super::cpython::compileall(sh, &args[1..], &env.version)
        }
        _ => not_simulated(sh, argv),
    }
}

fn not_simulated(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = base_name(&argv[0]).to_string();
    sh.notice(NoticeKind::NotSimulated, &called, format!("not simulated: `{}` runs Python code, which layerlab does not model; treated as success", argv.join(" ")));
    Ok(0)
}

/// `python -m venv [--without-pip] DIR`: the layout of a real venv, with pip in it.
fn venv(sh: &mut Shell<'_>, env: &PyEnv, args: &[String]) -> Exec {
    let without_pip = args.iter().any(|a| a == "--without-pip");
    let Some(dir) = args.iter().find(|a| !a.starts_with('-')) else {
        sh.err("usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear] [--upgrade] [--without-pip] ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR\n")?;
        return Ok(2);
    };
    let root = sh.abs(dir);
    let v = env.version.clone();
    let m = Meta::new(0o755)
        .owned(sh.ctx.uid, sh.ctx.gid)
        .at(sh.ctx.mtime);
    for d in [
        format!("{root}/bin"),
        format!("{root}/include"),
        format!("{root}/lib/python{v}/site-packages"),
    ] {
        let _ = sh.fs.mkdir_all(&d, m);
    }
    let _ = sh
        .fs
        .symlink("lib", &format!("{root}/lib64"), Meta { mode: 0o777, ..m });
    let base_python = env.interpreter.clone();
    for (name, target) in [
        ("python", base_python.as_str()),
        ("python3", "python"),
        (&format!("python{v}") as &str, "python"),
    ] {
        let _ = sh.fs.symlink(
            target,
            &format!("{root}/bin/{name}"),
            Meta { mode: 0o777, ..m },
        );
    }
    let home = super::super::commands::files::parent_of(&base_python);
    write_text(sh, &format!("{root}/pyvenv.cfg"), &format!("home = {home}\ninclude-system-site-packages = false\nversion = {v}.2\nexecutable = {base_python}\ncommand = {base_python} -m venv {root}\n"));
    let activate = format!("# This file must be used with \"source bin/activate\" *from bash*\nVIRTUAL_ENV=\"{root}\"\nexport VIRTUAL_ENV\n_OLD_VIRTUAL_PATH=\"$PATH\"\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\nexport PATH\n");
    write_text(sh, &format!("{root}/bin/activate"), &activate);
    for f in ["activate", "pyvenv.cfg"] {
        let p = if f == "activate" {
            format!("{root}/bin/{f}")
        } else {
            format!("{root}/{f}")
        };
        let _ = sh.fs.update_meta(&p, false, |mm| {
            mm.uid = m.uid;
            mm.gid = m.gid;
        });
    }
    // Debian and Ubuntu ship ensurepip in `python3.X-venv`: without it the venv
    // is left without pip and venv says which package to install.
    let distro =
        env.interpreter == format!("/usr/bin/python{v}") && !sh.fs.exists("/etc/alpine-release");
    if !without_pip && distro && !sh.fs.exists(&format!("/usr/lib/python{v}/ensurepip")) {
        let minor: u32 = v
            .strip_prefix("3.")
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        // Python 3.12's venv names just the interpreter it ran.
        let failing = if minor < 12 {
            format!("['{root}/bin/python3', '-Im', 'ensurepip', '--upgrade', '--default-pip']")
        } else {
            format!("{root}/bin/python3")
        };
        let package = v.trim_start_matches('3');
        sh.out(format!("The virtual environment was not created successfully because ensurepip is not\navailable.  On Debian/Ubuntu systems, you need to install the python3-venv\npackage using the following command.\n\n    apt install python3{package}-venv\n\nYou may need to use sudo with that command.  After installing the python3-venv\npackage, recreate your virtual environment.\n\nFailing command: {failing}\n\n"))?;
        return Ok(1);
    }
    if !without_pip {
        let venv_env = PyEnv {
            version: v.clone(),
            site: format!("{root}/lib/python{v}/site-packages"),
            bin: format!("{root}/bin"),
            venv: true,
            externally_managed: false,
            interpreter: format!("{root}/bin/python"),
        };
        // ensurepip installs the pip wheel the system has (Debian and Ubuntu's
        // python3-pip-whl, or CPython's bundled one).
        let wheel = [
            "/usr/share/python-wheels".to_string(),
            format!("/usr/lib/python{v}/ensurepip/_bundled"),
        ]
        .iter()
        .find_map(|dir| {
            sh.fs.read_dir(dir).ok()?.into_iter().find_map(|(name, _)| {
                let rest = name.strip_prefix("pip-")?.strip_suffix(".whl")?;
                Some(rest.split('-').next().unwrap_or(rest).to_string())
            })
        });
        let mut pip_project = project("pip", wheel.as_deref());
        pip_project.scripts = vec!["pip".to_string(), "pip3".to_string(), format!("pip{v}")];
        write_package(sh, &venv_env, &pip_project, true);
    }
    Ok(0)
}
