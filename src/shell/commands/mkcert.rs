//! `mkcert` (Alpine's testing repository): makes a local CA in `$CAROOT` (once)
//! and a certificate signed by it for the names given, with mkcert 1.4.4's
//! messages and file names and modes (CA key 0400, certificate key 0600).
//!
//! No key is generated: every file is PEM of the real size of its kind (RSA-3072
//! CA, RSA-2048 leaf) whose text and decoded bytes say they are a layerlab
//! simulation, derived from the names so a build is deterministic.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::pem;
use crate::vfs::blob::Blob;
use crate::vfs::Meta;

/// DER sizes of what mkcert writes: CA certificate and RSA-3072 key, leaf
/// certificate and RSA-2048 key (PKCS #8).
const CA_CERT_BYTES: u64 = 1_190;
const CA_KEY_BYTES: u64 = 1_793;
const LEAF_CERT_BYTES: u64 = 1_080;
const LEAF_KEY_BYTES: u64 = 1_217;

/// A PEM block of `size` bytes that says what it stands for.
fn simulated_pem(label: &str, what: &str, size: u64, seed_parts: &[&str]) -> String {
    let marker = format!("layerlab simulated {what}; not real key material\n");
    let mut der = marker.clone().into_bytes();
    let filler = Blob::generated(
        size.saturating_sub(der.len() as u64).max(1),
        super::super::packages::seed(seed_parts),
    );
    der.extend_from_slice(&filler.bytes());
    format!("{marker}{}", pem::pem(label, &der))
}

/// Whether mkcert accepts `name`: an IP address, an email, a URL or a host name
/// (a leading `*.` wildcard allowed).
fn valid_name(name: &str) -> bool {
    if name.parse::<std::net::IpAddr>().is_ok() || name.contains('@') || name.contains("://") {
        return true;
    }
    let host = name.strip_prefix("*.").unwrap_or(name);
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// `[CAROOT=DIR] mkcert [-client] [-ecdsa] [-cert-file F] [-key-file K] NAME...`
/// and `mkcert -CAROOT`.
pub fn mkcert(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let mut client = false;
    let (mut cert_file, mut key_file) = (None, None);
    let mut names: Vec<String> = Vec::new();
    let mut print_root = false;
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].trim_start_matches('-');
        let dashed = argv[i].starts_with('-');
        i += 1;
        match (dashed, a) {
            (true, "client") => client = true,
            (true, "ecdsa" | "pkcs12") => {}
            (true, "CAROOT") => print_root = true,
            (true, "cert-file" | "key-file") => {
                let v = argv.get(i).cloned();
                i += 1;
                if a == "cert-file" {
                    cert_file = v;
                } else {
                    key_file = v;
                }
            }
            (true, other) => {
                sh.err(format!(
                    "flag provided but not defined: -{other}\nUsage of mkcert:\n"
                ))?;
                return Ok(2);
            }
            (false, _) => names.push(argv[i - 1].clone()),
        }
    }
    let caroot = sh
        .var("CAROOT")
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/.local/share/mkcert", sh.home().trim_end_matches('/')));
    let caroot = sh.abs(&caroot);
    if print_root {
        sh.out(format!("{caroot}\n"))?;
        return Ok(0);
    }
    if names.is_empty() {
        sh.err("Usage of mkcert:\n\n\t$ mkcert -install\n\tInstall the local CA in the system trust store.\n\n\t$ mkcert example.org\n\tGenerate \"example.org.pem\" and \"example.org-key.pem\".\n\n")?;
        return Ok(0);
    }
    if let Some(bad) = names.iter().find(|n| !valid_name(n)) {
        sh.err(format!(
            "ERROR: {bad:?} is not a valid hostname, IP, URL or email\n"
        ))?;
        return Ok(1);
    }
    let mut log = String::new();
    let ca_cert = format!("{caroot}/rootCA.pem");
    let ca_key = format!("{caroot}/rootCA-key.pem");
    if !sh.fs.exists(&ca_cert) {
        let dir_meta = Meta::new(0o755)
            .owned(sh.ctx.uid, sh.ctx.gid)
            .at(sh.ctx.mtime);
        let _ = sh.fs.mkdir_all(&caroot, dir_meta);
        let cert = simulated_pem(
            "CERTIFICATE",
            "mkcert development CA certificate",
            CA_CERT_BYTES,
            &[&caroot, "ca"],
        );
        let key = simulated_pem(
            "PRIVATE KEY",
            "mkcert development CA key (RSA 3072)",
            CA_KEY_BYTES,
            &[&caroot, "ca-key"],
        );
        write(sh, &ca_key, key, 0o400)?;
        write(sh, &ca_cert, cert, 0o644)?;
        log.push_str("Created a new local CA 💥\n");
    } else if !sh.fs.exists(&ca_key) {
        sh.err(
            "ERROR: can't create new certificates because the CA key (rootCA-key.pem) is missing\n",
        )?;
        return Ok(1);
    }
    log.push_str("Note: the local CA is not installed in the system trust store.\nRun \"mkcert -install\" for certificates to be trusted automatically ⚠️\n");
    // mkcert's default names: the first name (`*` as `_wildcard`, `:` as `_`),
    // `+N` for N more names, `-client` for client certificates.
    let mut stem = names[0].replace(':', "_").replace('*', "_wildcard");
    if names.len() > 1 {
        stem.push_str(&format!("+{}", names.len() - 1));
    }
    if client {
        stem.push_str("-client");
    }
    let cert_file = cert_file.unwrap_or_else(|| format!("./{stem}.pem"));
    let key_file = key_file.unwrap_or_else(|| format!("./{stem}-key.pem"));
    let joined = names.join(",");
    let kind = if client { "client" } else { "server" };
    let cert = simulated_pem(
        "CERTIFICATE",
        &format!("mkcert {kind} certificate for {joined}"),
        LEAF_CERT_BYTES,
        &[&caroot, &joined, kind, "cert"],
    );
    let key = simulated_pem(
        "PRIVATE KEY",
        &format!("mkcert {kind} key for {joined} (RSA 2048)"),
        LEAF_KEY_BYTES,
        &[&caroot, &joined, kind, "key"],
    );
    write(sh, &key_file, key, 0o600)?;
    write(sh, &cert_file, cert, 0o644)?;
    log.push_str("\nCreated a new certificate valid for the following names 📜\n");
    for n in &names {
        log.push_str(&format!(" - {n:?}\n"));
    }
    log.push_str(&format!(
        "\nThe certificate is at \"{cert_file}\" and the key at \"{key_file}\" ✅\n\n"
    ));
    log.push_str(&format!("It will expire on {} 🗓\n\n", expiry(sh.ctx.mtime)));
    sh.err(log)?;
    sh.notice(
        NoticeKind::Simulated,
        "mkcert",
        format!("simulated: mkcert generated no keys; {cert_file}, {key_file} and the CA in {caroot} are deterministic PEM placeholders"),
    );
    Ok(0)
}

/// mkcert's expiry, 27 months after `now`, as Go's `2 January 2006` (Go's
/// AddDate carries an overflowing day into the next month).
fn expiry(now: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, d, ..) = super::system::civil(now);
    let months = y * 12 + i64::from(m) - 1 + 27;
    let (y, m) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    // Days since the epoch of (y, m, 1), then add d - 1: Hinnant's inverse.
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy.rem_euclid(400);
    let doy = (153 * mm + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468 + i64::from(d) - 1;
    let (y, m, d, ..) = super::system::civil(days * 86_400);
    format!("{d} {} {y}", MONTHS[(m - 1) as usize])
}

fn write(
    sh: &mut Shell<'_>,
    path: &str,
    text: String,
    mode: u32,
) -> Result<(), super::super::exec::Flow> {
    sh.step()?;
    let m = Meta::new(mode)
        .owned(sh.ctx.uid, sh.ctx.gid)
        .at(sh.ctx.mtime);
    let p = sh.abs(path);
    if let Err(e) = sh.fs.write_file(&p, Blob::from_bytes(text.into_bytes()), m) {
        sh.err(format!(
            "ERROR: failed to save certificate: open {path}: {}\n",
            e.kind
        ))?;
        return Err(super::super::exec::Flow::Exit(1));
    }
    Ok(())
}
