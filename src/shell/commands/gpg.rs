//! `gpg`, `gpg2` and GnuPG 1's `gpg1`, and `gpgconf`: layerlab has no keyserver
//! and makes or checks no signature, but official images fetch release keys,
//! export them into apt keyrings, verify downloads and decrypt clearsigned
//! checksum listings on the way to their archives.
//!
//! - `--recv-keys` records each key by the identifier it was given in a
//!   simulated keyring in the home directory (GnuPG 1's `pubring.gpg`, GnuPG 2's
//!   `pubring.kbx`) and says so in a notice; `--export` writes the matching keys
//!   as a deterministic simulated key block (armoured with `--armor`) that names
//!   each key and holds no key material; `--fingerprint`/`--list-keys` print the
//!   recorded keys and fail for unknown ones. Identifiers are read as GnuPG's
//!   `classify_user_id` reads them: a hex key ID or fingerprint (optionally
//!   `0x`-prefixed) ends at a blank, so in `"FPR1 FPR2"` only FPR1 counts, and
//!   GnuPG 2 also takes a fingerprint written in spaced groups.
//! - `--verify SIG [DATA]` succeeds for simulated downloads and OpenPGP text, with a
//!   notice that signatures are not checked; it fails on data that is no OpenPGP.
//! - `--decrypt [--output FILE] MSG` outputs the signed text of a clearsigned message.
//! - `gpgconf --kill`/`--launch`/`--reload` succeed (no agents run in a build).
//!
//! Other operations are not modelled and succeed with a notice.

use super::super::exec::{Exec, Flow, Shell};
use super::super::NoticeKind;
use super::documents::clearsigned_text;
use super::net::is_placeholder;
use super::pem;
use crate::vfs::Meta;

/// The first line of a simulated keyring; key identifiers follow, one a line.
const KEYRING_HEADER: &str =
    "layerlab simulated OpenPGP keyring (identifiers only, no key material)\n";

/// Options that take a value.
const WITH_VALUE: &[&str] = &[
    "--keyserver",
    "--keyserver-options",
    "--homedir",
    "--output",
    "-o",
    "--keyring",
    "--trustdb-name",
    "--default-key",
    "--local-user",
    "-u",
    "--recipient",
    "-r",
    "--status-fd",
    "--logger-fd",
    "--passphrase",
    "--pinentry-mode",
    "--digest-algo",
    "--cipher-algo",
    "--trust-model",
];

/// A key identifier as GnuPG classifies it: upper-case hex, or `None` for a
/// user-ID search (which the simulated keyring, holding no user IDs, never matches).
fn key_id(spec: &str, gnupg2: bool) -> Option<String> {
    let s = spec.trim_start();
    if gnupg2 {
        // A fingerprint in spaced groups, as `--fingerprint` prints it.
        let hex: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if hex.len() == 40
            && hex.chars().all(|c| c.is_ascii_hexdigit())
            && s.trim_end().contains(' ')
        {
            return Some(hex.to_ascii_uppercase());
        }
    }
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let len = s.chars().take_while(|c| c.is_ascii_hexdigit()).count();
    let ended = s[len..].chars().next().is_none_or(|c| c.is_whitespace());
    (ended && matches!(len, 8 | 16 | 32 | 40)).then(|| s[..len].to_ascii_uppercase())
}

/// Whether stored identifier `have` is the key `want` names (a short or long key
/// ID is the end of a fingerprint).
fn same_key(have: &str, want: &str) -> bool {
    have.ends_with(want) || want.ends_with(have)
}

/// The parsed command line.
struct Invocation {
    homedir: Option<String>,
    keyserver: Option<String>,
    output: Option<String>,
    armor: bool,
    command: Option<String>,
    args: Vec<String>,
}

fn parse(argv: &[String]) -> Invocation {
    let mut inv = Invocation {
        homedir: None,
        keyserver: None,
        output: None,
        armor: false,
        command: None,
        args: Vec::new(),
    };
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        if WITH_VALUE.contains(&name) {
            let value = inline.or_else(|| {
                i += 1;
                argv.get(i - 1).cloned()
            });
            match name {
                "--homedir" => inv.homedir = value,
                "--keyserver" => inv.keyserver = value,
                "--output" | "-o" => inv.output = value,
                _ => {}
            }
            continue;
        }
        match name {
            "--armor" | "--armour" | "-a" => inv.armor = true,
            "--recv-keys"
            | "--recv-key"
            | "--receive-keys"
            | "--export"
            | "--import"
            | "--verify"
            | "--decrypt"
            | "-d"
            | "--list-keys"
            | "-k"
            | "--fingerprint"
            | "--dearmor"
            | "--enarmor"
            | "--sign"
            | "--detach-sign"
            | "--encrypt"
            | "--full-generate-key"
            | "--gen-key"
            | "--quick-generate-key"
            | "--batch-import"
            | "--version" => {
                if inv.command.is_none() {
                    inv.command = Some(name.to_string());
                }
            }
            s if s.starts_with('-') && s.len() > 1 => {}
            _ => inv.args.push(a.to_string()),
        }
    }
    inv
}

/// The keys in a simulated keyring.
fn read_keyring(sh: &Shell<'_>, path: &str) -> Vec<String> {
    sh.fs
        .read_file(path)
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .ok()
        .and_then(|t| {
            t.strip_prefix(KEYRING_HEADER)
                .map(|rest| rest.lines().map(str::to_string).collect())
        })
        .unwrap_or_default()
}

/// `gpg`/`gpg1`/`gpg2`: keys, verification and clearsigned text simulated, the rest noticed.
pub fn gpg(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = super::super::exec::base_name(&argv[0]).to_string();
    let gnupg2 = called != "gpg1";
    let inv = parse(argv);
    match inv.command.as_deref() {
        Some("--recv-keys" | "--recv-key" | "--receive-keys") => {
            recv_keys(sh, &called, gnupg2, &inv)
        }
        Some("--export") => export(sh, &called, gnupg2, &inv),
        Some("--fingerprint") => list(sh, gnupg2, &inv, true),
        Some("--list-keys" | "-k") => list(sh, gnupg2, &inv, false),
        Some("--verify") => verify(sh, &called, &inv),
        Some("--decrypt" | "-d") => decrypt(sh, &called, &inv),
        Some("--version") => {
            let version = if gnupg2 { "2.2.40" } else { "1.4.23" };
            sh.out(format!(
                "gpg (GnuPG) {version}\nHome: {}\n(simulated by layerlab)\n",
                home(sh, &inv)
            ))?;
            Ok(0)
        }
        _ => {
            sh.notice(
                NoticeKind::NotSimulated,
                &called,
                format!("`{called}` exists in the image but layerlab does not model this operation; treated as success"),
            );
            Ok(0)
        }
    }
}

/// The home directory: `--homedir`, `$GNUPGHOME`, or `~/.gnupg`.
fn home(sh: &Shell<'_>, inv: &Invocation) -> String {
    let dir = inv
        .homedir
        .clone()
        .or_else(|| {
            sh.var("GNUPGHOME")
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        })
        .unwrap_or_else(|| format!("{}/.gnupg", sh.home().trim_end_matches('/')));
    sh.abs(&dir)
}

fn keyring_path(home: &str, gnupg2: bool) -> String {
    let file = if gnupg2 { "pubring.kbx" } else { "pubring.gpg" };
    format!("{home}/{file}")
}

fn recv_keys(sh: &mut Shell<'_>, called: &str, gnupg2: bool, inv: &Invocation) -> Exec {
    let home = home(sh, inv);
    let mut err = String::new();
    if !sh.fs.stat(&home).is_ok_and(|s| s.is_dir()) {
        if inv.homedir.is_none() && sh.var("GNUPGHOME").is_none_or(str::is_empty) {
            let m = Meta::new(0o700)
                .owned(sh.ctx.uid, sh.ctx.gid)
                .at(sh.ctx.mtime);
            let _ = sh.fs.mkdir_all(&home, m);
            err.push_str(&format!("gpg: directory '{home}' created\n"));
        } else {
            sh.err(format!(
                "gpg: keyblock resource '{}': No such file or directory\ngpg: keyserver receive failed: No keyserver available\n",
                keyring_path(&home, gnupg2)
            ))?;
            return Ok(2);
        }
    }
    let ring = keyring_path(&home, gnupg2);
    let mut keys = read_keyring(sh, &ring);
    let created = !sh.fs.exists(&ring);
    if created {
        if gnupg2 {
            err.push_str(&format!("gpg: keybox '{ring}' created\n"));
        } else {
            err.push_str(&format!(
                "gpg: keyring `{home}/secring.gpg' created\ngpg: keyring `{ring}' created\n"
            ));
        }
    }
    let server = inv.keyserver.as_deref().unwrap_or("keys.openpgp.org");
    let (mut imported, mut unchanged) = (0, 0);
    for spec in &inv.args {
        let Some(id) = key_id(spec, gnupg2) else {
            sh.err(format!("{err}gpg: \"{spec}\" not a key ID: skipping\n"))?;
            return Ok(2);
        };
        let short = &id[id.len().saturating_sub(if gnupg2 { 16 } else { 8 })..];
        if !gnupg2 {
            err.push_str(&format!(
                "gpg: requesting key {short} from hkp server {}\n",
                server
                    .trim_start_matches("hkp://")
                    .trim_start_matches("hkps://")
            ));
        }
        if keys.iter().any(|k| same_key(k, &id)) {
            err.push_str(&format!(
                "gpg: key {short}: \"layerlab simulated key {id}\" not changed\n"
            ));
            unchanged += 1;
        } else {
            if created && imported == 0 {
                err.push_str(&format!("gpg: {home}/trustdb.gpg: trustdb created\n"));
            }
            err.push_str(&format!(
                "gpg: key {short}: public key \"layerlab simulated key {id}\" imported\n"
            ));
            keys.push(id.clone());
            imported += 1;
        }
    }
    if imported > 0 && !gnupg2 {
        err.push_str("gpg: no ultimately trusted keys found\n");
    }
    err.push_str(&format!(
        "gpg: Total number processed: {}\n",
        imported + unchanged
    ));
    if imported > 0 {
        err.push_str(&format!("gpg:               imported: {imported}\n"));
    }
    if unchanged > 0 {
        err.push_str(&format!("gpg:              unchanged: {unchanged}\n"));
    }
    let mut text = KEYRING_HEADER.to_string();
    for k in &keys {
        text.push_str(k);
        text.push('\n');
    }
    write(sh, &ring, text.as_bytes(), 0o644)?;
    if created {
        write(
            sh,
            &format!("{home}/trustdb.gpg"),
            b"layerlab simulated trustdb\n",
            0o600,
        )?;
        if !gnupg2 {
            write(sh, &format!("{home}/secring.gpg"), b"", 0o600)?;
        }
    }
    sh.err(err)?;
    sh.notice(
        NoticeKind::Simulated,
        called,
        format!("simulated: {called} fetched nothing from {server}; the keyring records {} by identifier, without key material", inv.args.join(", ")),
    );
    Ok(0)
}

fn write(sh: &mut Shell<'_>, path: &str, data: &[u8], mode: u32) -> Result<(), Flow> {
    sh.step()?;
    let m = Meta::new(mode)
        .owned(sh.ctx.uid, sh.ctx.gid)
        .at(sh.ctx.mtime);
    let _ = sh
        .fs
        .write_file(path, crate::vfs::blob::Blob::from_bytes(data.to_vec()), m);
    Ok(())
}

fn export(sh: &mut Shell<'_>, called: &str, gnupg2: bool, inv: &Invocation) -> Exec {
    let home = home(sh, inv);
    let keys = read_keyring(sh, &keyring_path(&home, gnupg2));
    let wanted: Vec<Option<String>> = inv.args.iter().map(|a| key_id(a, gnupg2)).collect();
    let chosen: Vec<&String> = keys
        .iter()
        .filter(|k| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| w.as_ref().is_some_and(|w| same_key(k, w)))
        })
        .collect();
    if chosen.is_empty() {
        sh.err("gpg: WARNING: nothing exported\n")?;
        return Ok(0);
    }
    let mut block = Vec::new();
    for k in &chosen {
        block.extend_from_slice(
            format!("layerlab simulated OpenPGP public key {k} (no key material)\n").as_bytes(),
        );
    }
    let data = if inv.armor {
        let version = if gnupg2 { "" } else { "Version: GnuPG v1\n" };
        format!(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n{version}\n{}={}\n-----END PGP PUBLIC KEY BLOCK-----\n",
            pem::wrapped(&block, 64),
            pem::base64(&pem::crc24(&block).to_be_bytes()[1..])
        )
        .into_bytes()
    } else {
        block
    };
    match &inv.output {
        Some(path) if path != "-" => {
            if let Err(e) = sh.write_file(path, data) {
                sh.err(format!("gpg: can't create '{path}': {}\n", e.kind))?;
                return Ok(2);
            }
        }
        _ => sh.out(data)?,
    }
    sh.notice(
        NoticeKind::Simulated,
        called,
        format!("simulated: {called} --export wrote a simulated key block naming {} key(s), without key material", chosen.len()),
    );
    Ok(0)
}

fn grouped(fpr: &str) -> String {
    if fpr.len() != 40 {
        return fpr.to_string();
    }
    let groups: Vec<&str> = (0..10).map(|i| &fpr[i * 4..i * 4 + 4]).collect();
    format!("{}  {}", groups[..5].join(" "), groups[5..].join(" "))
}

/// `--fingerprint`/`--list-keys`: the recorded keys asked for (all with none).
fn list(sh: &mut Shell<'_>, gnupg2: bool, inv: &Invocation, fingerprint: bool) -> Exec {
    let home = home(sh, inv);
    let ring = keyring_path(&home, gnupg2);
    let keys = read_keyring(sh, &ring);
    let mut found: Vec<&String> = Vec::new();
    let mut missing = 0;
    if inv.args.is_empty() {
        found.extend(keys.iter());
    }
    for spec in &inv.args {
        match key_id(spec, gnupg2).and_then(|w| keys.iter().find(|k| same_key(k, &w))) {
            Some(k) => found.push(k),
            None => missing += 1,
        }
    }
    let mut out = String::new();
    if !found.is_empty() && inv.args.is_empty() {
        out.push_str(&format!("{ring}\n{}\n", "-".repeat(ring.len())));
    }
    for k in &found {
        let shown = if fingerprint {
            grouped(k)
        } else {
            k.to_string()
        };
        out.push_str(&format!(
            "pub   rsa4096 2023-12-01 [SC]\n      {shown}\nuid           [ unknown] layerlab simulated key {k}\n\n"
        ));
    }
    sh.out(out)?;
    for _ in 0..missing {
        sh.err("gpg: error reading key: No public key\n")?;
    }
    Ok(if missing == 0 { 0 } else { 2 })
}

/// Writes to `--output` (or stdout for none or `-`).
fn write_output(sh: &mut Shell<'_>, inv: &Invocation, data: Vec<u8>) -> Exec {
    match inv.output.as_deref() {
        None | Some("-") => {
            sh.out(data)?;
            Ok(0)
        }
        Some(f) => match sh.write_file(f, data) {
            Ok(()) => Ok(0),
            Err(e) => {
                sh.err(format!("gpg: can't create '{f}': {}\n", e.kind))?;
                Ok(2)
            }
        },
    }
}

/// Reads an operand (`-` or none is stdin); `Err` is the status after a message.
fn read(sh: &mut Shell<'_>, name: Option<&String>) -> Result<Vec<u8>, Exec> {
    match name.map(String::as_str) {
        None | Some("-") => Ok(sh.read_stdin()),
        Some(f) => match sh.fs.read_file(&sh.abs(f)) {
            Ok(b) => Ok(b.bytes().into_owned()),
            Err(e) => Err(sh
                .err(format!("gpg: can't open '{f}': {}\n", e.kind))
                .map(|()| 2)),
        },
    }
}

/// Whether `data` is OpenPGP armor (a signature, message or key block).
fn is_armored(data: &[u8]) -> bool {
    String::from_utf8_lossy(&data[..data.len().min(4096)])
        .lines()
        .any(|l| l.starts_with("-----BEGIN PGP "))
}

fn verify(sh: &mut Shell<'_>, called: &str, args: &Invocation) -> Exec {
    let signature = match read(sh, args.args.first()) {
        Ok(d) => d,
        Err(status) => return status,
    };
    if let Some(data) = args.args.get(1) {
        if let Err(status) = read(sh, Some(data)) {
            return status;
        }
    }
    if !(is_placeholder(&signature) || is_armored(&signature)) {
        sh.err("gpg: no valid OpenPGP data found.\ngpg: the signature could not be verified.\nPlease remember that the signature file (.sig or .asc)\nshould be the first file given on the command line.\n")?;
        return Ok(2);
    }
    let what = args.args.first().map_or("stdin", String::as_str);
    sh.notice(
        NoticeKind::Simulated,
        called,
        format!("simulated: {called} did not check the signature {what}; layerlab makes and checks no signatures, so it is accepted"),
    );
    Ok(0)
}

fn decrypt(sh: &mut Shell<'_>, called: &str, args: &Invocation) -> Exec {
    let data = match read(sh, args.args.first()) {
        Ok(d) => d,
        Err(status) => return status,
    };
    let name = args.args.first().map_or("stdin", String::as_str);
    if let Some((text, simulated)) = clearsigned_text(&data) {
        let why = if simulated {
            "its signature is layerlab's simulation"
        } else {
            "layerlab checks no signatures"
        };
        sh.notice(
            NoticeKind::Simulated,
            called,
            format!("simulated: {called} output the signed text of {name} without checking its signature ({why})"),
        );
        return write_output(sh, args, text.into_bytes());
    }
    if is_placeholder(&data) {
        sh.err(format!("gpg: {name} is a simulated download (layerlab has no network), so it holds no message to decrypt\ngpg: decrypt_message failed: No data\n"))?;
        return Ok(2);
    }
    if is_armored(&data) {
        sh.err("gpg: encrypted with an unknown key\ngpg: decryption failed: No secret key\n")?;
        return Ok(2);
    }
    sh.err(
        "gpg: no valid OpenPGP data found.\ngpg: decrypt_message failed: Unknown system error\n",
    )?;
    Ok(2)
}

/// Runs `gpgconf`: `--kill`, `--launch` and `--reload` succeed (no daemons run in a
/// simulated build), `--list-dirs` prints the directories.
pub fn gpgconf(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    match argv.get(1).map(String::as_str) {
        Some("--kill" | "--launch" | "--reload") => Ok(0),
        Some("--list-dirs") => {
            let home = match sh.var("GNUPGHOME") {
                Some(h) if !h.is_empty() => h.to_string(),
                _ => format!("{}/.gnupg", sh.home().trim_end_matches('/')),
            };
            let text = format!(
                "sysconfdir:/etc/gnupg\nbindir:/usr/bin\nlibexecdir:/usr/lib/gnupg\nlibdir:/usr/lib/x86_64-linux-gnu/gnupg\ndatadir:/usr/share/gnupg\nlocaledir:/usr/share/locale\nhomedir:{home}\n"
            );
            let wanted = argv.get(2);
            let out: String = text
                .lines()
                .filter_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    match wanted {
                        Some(w) if w != k => None,
                        Some(_) => Some(format!("{v}\n")),
                        None => Some(format!("{l}\n")),
                    }
                })
                .collect();
            sh.out(out)?;
            Ok(0)
        }
        Some("--version") => {
            sh.out("gpgconf (GnuPG) 2.2.40 (simulated by layerlab)\n")?;
            Ok(0)
        }
        _ => {
            sh.notice(
                NoticeKind::NotSimulated,
                "gpgconf",
                "not simulated: only gpgconf --kill, --launch, --reload and --list-dirs are modelled; it did nothing",
            );
            Ok(0)
        }
    }
}
