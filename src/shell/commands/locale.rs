//! glibc's locale programs as Debian ships them: `locale-gen` (package locales)
//! compiles the uncommented lines of `/etc/locale.gen` with `localedef`, which
//! adds each locale to `/usr/lib/locale/locale-archive`; `locale` (libc-bin)
//! lists what is installed (`-a`) and shows the current settings;
//! `dpkg-reconfigure locales` regenerates them and `update-locale` writes
//! `/etc/default/locale`.
//!
//! Nothing is compiled. The archive is a generated file of a realistic size
//! (measured with glibc 2.36: 3,048,928 bytes for en_US.UTF-8, about 358 KB more
//! per further locale) whose first bytes are a readable header naming the simulated
//! locales, so `locale -a` lists exactly what was generated. glibc's binary archive
//! format is not reproduced, and a locale source is accepted by its name's form
//! (`ll_CC[.charset][@modifier]`) rather than read from /usr/share/i18n/locales.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// Where localedef keeps compiled locales.
pub const ARCHIVE: &str = "/usr/lib/locale/locale-archive";
const LOCALE_DIR: &str = "/usr/lib/locale";
/// The first line of a simulated archive; the locale names follow, one a line,
/// ended by an empty line.
const HEADER: &str =
    "layerlab simulated glibc locale-archive (names below; compiled data not reproduced)\n";
/// Archive size for the first locale and for each further one (glibc 2.36).
const FIRST_BYTES: u64 = 3_048_928;
const EACH_BYTES: u64 = 358_176;

/// glibc's `_nl_normalize_codeset`: letters lower-cased, digits kept, the rest
/// dropped, and `iso` in front of an all-digit result (`UTF-8` → `utf8`).
pub fn normalize_codeset(codeset: &str) -> String {
    let s: String = codeset
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        format!("iso{s}")
    } else {
        s
    }
}

/// A locale name with its codeset normalized (`en_US.UTF-8@euro` →
/// `en_US.utf8@euro`); a name without a codeset is unchanged.
pub fn normalize_name(name: &str) -> String {
    let (main, modifier) = match name.split_once('@') {
        Some((m, r)) => (m, format!("@{r}")),
        None => (name, String::new()),
    };
    match main.split_once('.') {
        Some((lang, codeset)) => format!("{lang}.{}{modifier}", normalize_codeset(codeset)),
        None => name.to_string(),
    }
}

/// The names in the archive, in the order they were added.
fn archive_names(sh: &Shell<'_>) -> Vec<String> {
    let Ok(blob) = sh.fs.read_file(ARCHIVE) else {
        return Vec::new();
    };
    let mut head = Vec::new();
    blob.for_each_chunk(|c| {
        if head.len() < 64 * 1024 {
            head.extend_from_slice(c);
        }
    });
    let text = String::from_utf8_lossy(&head);
    match text.strip_prefix(HEADER) {
        Some(rest) => rest
            .lines()
            .take_while(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    }
}

/// Writes the archive holding `names` (none: the archive is removed).
fn write_archive(sh: &mut Shell<'_>, names: &[String]) -> Result<(), super::super::exec::Flow> {
    if names.is_empty() {
        let _ = sh.fs.remove_file(ARCHIVE);
        return Ok(());
    }
    let archive = archive_blob(names);
    sh.charge(archive.len() as usize)?;
    let _ = sh
        .fs
        .mkdir_all(LOCALE_DIR, Meta::new(0o755).at(sh.ctx.mtime));
    let m = Meta::new(0o644).at(sh.ctx.mtime);
    let _ = sh.fs.write_file(ARCHIVE, archive, m);
    Ok(())
}

/// A simulated archive holding `names` (at least one), of glibc's size for that
/// many locales: also what the catalog's `+locales` writes for an image whose
/// build ran `locale-gen` (eclipse-temurin's en_US.UTF-8).
pub fn archive_blob(names: &[String]) -> Blob {
    let mut bytes = HEADER.as_bytes().to_vec();
    for n in names {
        bytes.extend_from_slice(n.as_bytes());
        bytes.push(b'\n');
    }
    bytes.push(b'\n');
    let size = FIRST_BYTES + EACH_BYTES * (names.len().max(1) as u64 - 1);
    let seed = super::super::packages::seed(&[&names.join(","), "locale-archive"]);
    let filler = Blob::generated(size - bytes.len() as u64, seed);
    filler.for_each_chunk(|c| bytes.extend_from_slice(c));
    Blob::from_bytes(bytes)
}

/// Every installed locale as `locale -a` names it: C and POSIX, compiled
/// directories under /usr/lib/locale, then the archive's names, sorted bytewise.
fn installed(sh: &Shell<'_>) -> Vec<String> {
    let mut names = vec!["C".to_string(), "POSIX".to_string()];
    for (name, st) in sh.fs.read_dir(LOCALE_DIR).unwrap_or_default() {
        if st.is_dir() && sh.fs.exists(&format!("{LOCALE_DIR}/{name}/LC_CTYPE")) {
            names.push(name);
        }
    }
    names.extend(archive_names(sh));
    names.sort();
    names.dedup();
    names
}

/// Whether a locale source name has glibc's form (`en_US`, `sr_RS@latin`, `C`).
fn plausible_source(name: &str) -> bool {
    let base = name.split(['.', '@']).next().unwrap_or("");
    let mut parts = base.split('_');
    let lang = parts.next().unwrap_or("");
    let country = parts.next();
    matches!(base, "C" | "POSIX")
        || (lang.len() >= 2
            && lang.len() <= 3
            && lang.chars().all(|c| c.is_ascii_lowercase())
            && country.is_some_and(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
            && parts.next().is_none())
}

/// The names `localedef` adds for locale `name` compiled with `charset`: the name
/// with its codeset normalized (a name without one is added as given and with
/// the charset's), then every alias of `alias_file` that names the same locale.
fn names_for(sh: &Shell<'_>, name: &str, charset: &str, alias_file: Option<&str>) -> Vec<String> {
    let (main, modifier) = match name.split_once('@') {
        Some((m, r)) => (m, format!("@{r}")),
        None => (name, String::new()),
    };
    let full = if main.contains('.') {
        normalize_name(name)
    } else {
        format!("{main}.{}{modifier}", normalize_codeset(charset))
    };
    let mut names = Vec::new();
    if !main.contains('.') {
        names.push(name.to_string());
    }
    names.push(full.clone());
    if let Some(file) = alias_file {
        let text = sh
            .fs
            .read_file(&sh.abs(file))
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
            .unwrap_or_default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split_whitespace();
            if let (Some(alias), Some(target)) = (words.next(), words.next()) {
                let target = if target.contains('.') {
                    normalize_name(target)
                } else {
                    target.to_string()
                };
                if target == full && !names.iter().any(|n| n == alias) {
                    names.push(alias.to_string());
                }
            }
        }
    }
    names
}

/// Adds locale `name` to the archive; 4 and glibc's message when the source name
/// cannot be a locale.
fn define(
    sh: &mut Shell<'_>,
    input: &str,
    charset: &str,
    name: &str,
    alias_file: Option<&str>,
) -> Exec {
    let source_ok = if input.contains('/') {
        sh.fs.exists(&sh.abs(input))
    } else {
        plausible_source(input)
    };
    if !source_ok {
        sh.err(format!(
            "[error] cannot open locale definition file '{input}': No such file or directory\n"
        ))?;
        return Ok(4);
    }
    let mut names = archive_names(sh);
    for n in names_for(sh, name, charset, alias_file) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    write_archive(sh, &names)?;
    sh.notice(
        NoticeKind::Simulated,
        "localedef",
        format!("simulated: localedef compiled nothing for {name}; {ARCHIVE} is a generated file of a realistic size that names the locale"),
    );
    Ok(0)
}

/// `localedef [-c] [-v] -i INPUT -f CHARMAP [-A ALIASFILE] NAME`, and
/// `--list-archive` / `--delete-from-archive NAME...`.
pub fn localedef(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(
        argv,
        "ifA",
        &[
            ("inputfile", 'i'),
            ("charmap", 'f'),
            ("alias-file", 'A'),
            ("force", 'c'),
        ],
    );
    if f.has_long("list-archive") {
        let mut names = archive_names(sh);
        names.sort();
        let out: String = names.iter().map(|n| format!("{n}\n")).collect();
        sh.out(out)?;
        return Ok(0);
    }
    if f.has_long("delete-from-archive") {
        let drop: Vec<String> = f.operands.iter().map(|n| normalize_name(n)).collect();
        let names: Vec<String> = archive_names(sh)
            .into_iter()
            .filter(|n| !drop.contains(n) && !f.operands.contains(n))
            .collect();
        write_archive(sh, &names)?;
        return Ok(0);
    }
    let (Some(name), Some(input)) = (f.operands.first(), f.value('i')) else {
        sh.err("localedef: wrong number of arguments\nTry `localedef --help' or `localedef --usage' for more information.\n")?;
        return Ok(4);
    };
    let charset = f.value('f').unwrap_or("ANSI_X3.4-1968").to_string();
    let (input, alias) = (input.to_string(), f.value('A').map(str::to_string));
    define(sh, &input, &charset, &name.clone(), alias.as_deref())
}

/// Debian's `locale-gen [--keep-existing]`: compiles every uncommented
/// `LOCALE CHARSET` line of /etc/locale.gen into a fresh archive.
pub fn locale_gen(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let text = sh
        .fs
        .read_file("/etc/locale.gen")
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    if text.is_empty() {
        return Ok(0);
    }
    let keep = argv.get(1).is_some_and(|a| a == "--keep-existing");
    if !keep {
        let _ = sh.fs.remove_file(ARCHIVE);
    }
    sh.out("Generating locales (this might take a while)...\n")?;
    for line in text.lines() {
        let mut words = line.trim_start().splitn(2, char::is_whitespace);
        let locale = words.next().unwrap_or("");
        let charset = words.next().unwrap_or("").trim();
        if locale.is_empty() || locale.starts_with('#') {
            continue;
        }
        if charset.is_empty() {
            sh.out(format!("error: Bad entry '{locale} {charset}'\n"))?;
            continue;
        }
        let base = locale.split(['.', '@']).next().unwrap_or(locale);
        let at = locale
            .split_once('@')
            .map(|(_, m)| format!("@{m}"))
            .unwrap_or_default();
        if keep && archive_names(sh).contains(&normalize_name(locale)) {
            continue;
        }
        sh.out(format!("  {base}.{charset}{at}..."))?;
        let input = format!("{base}{at}");
        // locale-gen ignores localedef's failures (`|| :`).
        define(
            sh,
            &input,
            charset,
            locale,
            Some("/usr/share/locale/locale.alias"),
        )?;
        sh.out(" done\n")?;
    }
    sh.out("Generation complete.\n")?;
    Ok(0)
}

/// The categories `locale` prints, in glibc's order.
const CATEGORIES: &[&str] = &[
    "LC_CTYPE",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "LC_MONETARY",
    "LC_MESSAGES",
    "LC_PAPER",
    "LC_NAME",
    "LC_ADDRESS",
    "LC_TELEPHONE",
    "LC_MEASUREMENT",
    "LC_IDENTIFICATION",
];

/// Whether `name` names an installed locale (as setlocale would find it).
fn available(sh: &Shell<'_>, name: &str) -> bool {
    name.is_empty()
        || matches!(name, "C" | "POSIX")
        || installed(sh).contains(&normalize_name(name))
        || installed(sh).iter().any(|n| n == name)
}

/// `locale [-a | charmap]`: installed locales, the current charmap, or the
/// LANG/LC_* table (with glibc's warnings when a named locale is missing).
pub fn locale(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let get = |sh: &Shell<'_>, k: &str| sh.var(k).filter(|v| !v.is_empty()).map(str::to_string);
    let lc_all = get(sh, "LC_ALL");
    let lang = get(sh, "LANG");
    let effective = |sh: &Shell<'_>, cat: &str| -> String {
        lc_all
            .clone()
            .or_else(|| get(sh, cat))
            .or_else(|| lang.clone())
            .unwrap_or_else(|| "POSIX".to_string())
    };
    match argv.get(1).map(String::as_str) {
        Some("-a" | "--all-locales") => {
            let out: String = installed(sh).iter().map(|n| format!("{n}\n")).collect();
            sh.out(out)?;
            return Ok(0);
        }
        Some("charmap") => {
            let ctype = effective(sh, "LC_CTYPE");
            let charmap = match ctype.split_once('.') {
                Some((_, cs)) if available(sh, &ctype) => match normalize_codeset(cs).as_str() {
                    "utf8" => "UTF-8".to_string(),
                    other => other.to_uppercase(),
                },
                _ => "ANSI_X3.4-1968".to_string(),
            };
            sh.out(format!("{charmap}\n"))?;
            return Ok(0);
        }
        Some(other) if other != "-v" => {
            sh.notice(
                NoticeKind::NotSimulated,
                "locale",
                format!("not simulated: `locale {other}` is not modelled; treated as success"),
            );
            return Ok(0);
        }
        _ => {}
    }
    let mut err = String::new();
    let ctype = effective(sh, "LC_CTYPE");
    let messages = effective(sh, "LC_MESSAGES");
    if !available(sh, &ctype) {
        err.push_str("locale: Cannot set LC_CTYPE to default locale: No such file or directory\n");
    }
    if !available(sh, &messages) {
        err.push_str(
            "locale: Cannot set LC_MESSAGES to default locale: No such file or directory\n",
        );
    }
    if CATEGORIES.iter().any(|c| !available(sh, &effective(sh, c))) {
        err.push_str("locale: Cannot set LC_ALL to default locale: No such file or directory\n");
    }
    let mut out = format!(
        "LANG={}\nLANGUAGE={}\n",
        lang.clone().unwrap_or_default(),
        get(sh, "LANGUAGE").unwrap_or_default()
    );
    for cat in CATEGORIES {
        match (lc_all.is_none(), get(sh, cat)) {
            (true, Some(v)) => out.push_str(&format!("{cat}={v}\n")),
            _ => out.push_str(&format!("{cat}=\"{}\"\n", effective(sh, cat))),
        }
    }
    out.push_str(&format!("LC_ALL={}\n", lc_all.unwrap_or_default()));
    sh.err(err)?;
    sh.out(out)?;
    Ok(0)
}

/// `dpkg-reconfigure [-f FRONTEND] PACKAGE...` for the package tutorials
/// reconfigure most: `locales`, whose maintainer script regenerates what
/// `/etc/locale.gen` enables (the sed-then-reconfigure recipe). Other installed
/// packages are accepted with a notice; one not installed fails as dpkg does.
pub fn dpkg_reconfigure(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags(argv, "fp");
    if f.operands.is_empty() {
        sh.err("Usage: dpkg-reconfigure [options] packages\n")?;
        return Ok(1);
    }
    for package in &f.operands {
        if super::super::packages::installed_version(sh, package).is_none() {
            sh.err(format!(
                "/usr/sbin/dpkg-reconfigure: {package} is not installed\n"
            ))?;
            return Ok(1);
        }
        if package == "locales" {
            locale_gen(sh, &["locale-gen".to_string()])?;
        } else {
            sh.notice(
                NoticeKind::NotSimulated,
                "dpkg-reconfigure",
                format!(
                    "not simulated: reconfiguring {package} is not modelled; treated as success"
                ),
            );
        }
    }
    Ok(0)
}

/// `update-locale [--reset] KEY=VALUE...` (package locales): records the system
/// default in `/etc/default/locale`, refusing a locale that is not installed.
pub fn update_locale(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    const FILE: &str = "/etc/default/locale";
    let reset = argv.iter().any(|a| a == "--reset");
    let settings: Vec<(&str, &str)> = argv[1..]
        .iter()
        .filter_map(|a| a.split_once('='))
        .filter(|(k, _)| !k.starts_with('-'))
        .collect();
    let invalid: Vec<String> = settings
        .iter()
        .filter(|(k, v)| (*k == "LANG" || k.starts_with("LC_")) && !available(sh, v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !invalid.is_empty() {
        sh.err(format!(
            "*** update-locale: Error: invalid locale settings:  {}\n",
            invalid.join(" ")
        ))?;
        return Ok(1);
    }
    let old = if reset {
        String::new()
    } else {
        sh.fs
            .read_file(FILE)
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
            .unwrap_or_default()
    };
    let mut lines: Vec<String> = old
        .lines()
        .filter(|l| {
            !settings
                .iter()
                .any(|(k, _)| l.starts_with(&format!("{k}=")))
        })
        .map(str::to_string)
        .collect();
    lines.extend(settings.iter().map(|(k, v)| format!("{k}={v}")));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    super::super::packages::write_text(sh, FILE, &text);
    Ok(0)
}
