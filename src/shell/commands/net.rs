//! `curl` and `wget`: the core has no network, so a download makes a small,
//! deterministic placeholder file (its text names the URL) and a "simulated" notice.
//! Other programs recognise placeholders: `tar` extracts nothing (or a known
//! release's simulated tree), `sha256sum -c` accepts them, and a script piped into
//! `sh` is a comment that does nothing. A few known text documents (`documents`)
//! are written out in full instead, marked simulated.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;

/// How every placeholder starts, so other programs can recognise one.
pub const PLACEHOLDER_PREFIX: &[u8] = b"# layerlab: simulated download of ";

/// The placeholder that stands for the contents of `url`.
pub fn placeholder(url: &str) -> Vec<u8> {
    format!("# layerlab: simulated download of {url}\n# layerlab has no network; this file stands for the real one.\n").into_bytes()
}

/// The URL a placeholder stands for (its first line names it).
pub fn placeholder_url(data: &[u8]) -> Option<&str> {
    let rest = data.strip_prefix(PLACEHOLDER_PREFIX)?;
    let line = rest.split(|&b| b == b'\n').next()?;
    std::str::from_utf8(line).ok()
}

/// Whether `data` is a simulated download.
pub fn is_placeholder(data: &[u8]) -> bool {
    data.starts_with(PLACEHOLDER_PREFIX)
}

/// The file name a URL is saved under by `curl -O` and `wget`.
fn remote_name(url: &str) -> String {
    let no_query = url.split(['?', '#']).next().unwrap_or(url);
    let path = no_query
        .split_once("://")
        .map_or(no_query, |(_, rest)| rest);
    match path.split_once('/') {
        Some((_, p)) if !p.is_empty() && !p.ends_with('/') => {
            super::super::exec::base_name(p).to_string()
        }
        _ => "index.html".to_string(),
    }
}

fn save(sh: &mut Shell<'_>, prog: &str, url: &str, file: Option<&str>) -> Exec {
    if let Some(data) = super::documents::document(url) {
        return save_document(sh, prog, url, file, data);
    }
    let data = placeholder(url);
    match file {
        None | Some("-") => {
            if sh.stdout_is_pipe() {
                sh.notice(NoticeKind::Simulated, prog, format!("simulated: {prog} downloaded nothing from {url}; what it pipes on is a placeholder, so a script piped into a shell does nothing"));
            } else {
                sh.notice(NoticeKind::Simulated, prog, format!("simulated: {prog} downloaded nothing from {url}; its output is a placeholder"));
            }
            sh.out(data)?;
        }
        Some(f) => {
            if let Err(e) = sh.write_file(f, data) {
                sh.err(format!("{prog}: {f}: {}\n", e.kind))?;
                return Ok(if prog == "curl" { 23 } else { 1 });
            }
            sh.notice(
                NoticeKind::Simulated,
                prog,
                format!("simulated: {prog} downloaded nothing from {url}; {f} is a placeholder"),
            );
        }
    }
    Ok(0)
}

/// Saves a document layerlab writes out in full (`documents`), saying it is simulated.
fn save_document(
    sh: &mut Shell<'_>,
    prog: &str,
    url: &str,
    file: Option<&str>,
    data: Vec<u8>,
) -> Exec {
    let what = format!("simulated: {prog} downloaded nothing from {url}; layerlab wrote its simulated copy (listing the checksums of layerlab's placeholders, with a signature that is not real)");
    sh.notice(NoticeKind::Simulated, prog, what);
    match file {
        None | Some("-") => sh.out(data)?,
        Some(f) => {
            if let Err(e) = sh.write_file(f, data) {
                sh.err(format!("{prog}: {f}: {}\n", e.kind))?;
                return Ok(if prog == "curl" { 23 } else { 1 });
            }
        }
    }
    Ok(0)
}

/// curl options that take a value.
const CURL_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-H",
    "--header",
    "-X",
    "--request",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-m",
    "--max-time",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--connect-timeout",
    "--proto",
    "--proto-redir",
    "-w",
    "--write-out",
    "--cacert",
    "-x",
    "--proxy",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-F",
    "--form",
    "-T",
    "--upload-file",
    "--output-dir",
];

/// `curl [-fsSL] [-o FILE | -O] URL...`.
pub fn curl(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    if argv.iter().any(|a| a == "--version" || a == "-V") {
        sh.out("curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 (simulated by layerlab)\nProtocols: file ftp ftps http https\n")?;
        return Ok(0);
    }
    let mut out_file: Option<String> = None;
    let mut remote = false;
    let mut urls = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if CURL_VALUE.contains(&a.as_str()) {
            let v = argv.get(i).cloned();
            i += 1;
            if a == "-o" || a == "--output" {
                out_file = v;
            }
            continue;
        }
        if a == "-O" || a == "--remote-name" {
            remote = true;
            continue;
        }
        if let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.starts_with('-') && !f.is_empty())
        {
            // Bundled short flags such as -fsSLo FILE.
            if let Some(pos) = flags.find('o') {
                let rest = &flags[pos + 1..];
                out_file = if rest.is_empty() {
                    i += 1;
                    argv.get(i - 1).cloned()
                } else {
                    Some(rest.to_string())
                };
            }
            remote |= flags.contains('O');
            continue;
        }
        if a.starts_with("--") {
            continue;
        }
        urls.push(a.clone());
    }
    let Some(url) = urls.first() else {
        sh.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n")?;
        return Ok(2);
    };
    let url = url.clone();
    let file = if remote {
        Some(remote_name(&url))
    } else {
        out_file
    };
    save(sh, "curl", &url, file.as_deref())
}

/// `wget [-q] [-O FILE] [-P DIR] URL...`.
pub fn wget(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    if argv.iter().any(|a| a == "--version" || a == "-V") {
        sh.out("GNU Wget 1.21.3 built on linux-gnu (simulated by layerlab).\n")?;
        return Ok(0);
    }
    let mut out_file: Option<String> = None;
    let mut prefix: Option<String> = None;
    let mut urls = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        match a.as_str() {
            "-O" | "--output-document" => {
                out_file = argv.get(i).cloned();
                i += 1;
            }
            "-P" | "--directory-prefix" => {
                prefix = argv.get(i).cloned();
                i += 1;
            }
            "-T" | "-t" | "--tries" | "--timeout" | "-U" | "--user-agent" | "--header" => i += 1,
            s if s.starts_with("--output-document=") => {
                out_file = s.split_once('=').map(|(_, v)| v.to_string())
            }
            s if s.starts_with("-qO") => {
                out_file = Some(s[3..].to_string())
                    .filter(|v| !v.is_empty())
                    .or_else(|| {
                        i += 1;
                        argv.get(i - 1).cloned()
                    })
            }
            s if s.starts_with("-O") => out_file = Some(s[2..].to_string()),
            s if s.starts_with('-') => {}
            _ => urls.push(a.clone()),
        }
    }
    let Some(url) = urls.first().cloned() else {
        sh.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n")?;
        return Ok(1);
    };
    let file = match out_file {
        Some(f) => f,
        None => {
            let name = remote_name(&url);
            match prefix {
                Some(p) => {
                    // wget -P creates the directory prefix.
                    let dir = sh.abs(&p);
                    let meta = sh.dir_meta();
                    let _ = sh.fs.mkdir_all(&dir, meta);
                    format!("{}/{name}", p.trim_end_matches('/'))
                }
                None => name,
            }
        }
    };
    save(sh, "wget", &url, Some(&file))
}
