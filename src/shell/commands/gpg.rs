//! `gpg` and `gpgconf`, simulated: layerlab has no keyserver and makes or checks no
//! signature, but official images fetch release keys, verify downloads and decrypt
//! clearsigned checksum listings on the way to their archives.
//!
//! - `--recv-keys KEY...` (with `--keyserver`) records each key in the home
//!   directory's keyring (`$GNUPGHOME` or `~/.gnupg`, `pubring.kbx`, a text file
//!   marked simulated) with a notice; `--fingerprint`/`--list-keys` print the
//!   recorded keys and fail for unknown ones, as gpg does; `--export` writes an
//!   armored block marked simulated.
//! - `--verify SIG [DATA]` succeeds for simulated downloads and OpenPGP text, with a
//!   notice that signatures are not checked; it fails on data that is no OpenPGP.
//! - `--decrypt [--output FILE] MSG` outputs the signed text of a clearsigned message.
//! - `gpgconf --kill`/`--launch`/`--reload` succeed (there are no agents to stop).

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use super::documents::clearsigned_text;
use super::net::is_placeholder;

/// The keyring file's first line, saying what it is.
const KEYRING_HEADER: &str =
    "# layerlab simulated keybox: the fingerprints of the keys gpg received (no key material)";

/// gpg options that take a value (the value is the next word unless `--opt=value`).
const WITH_VALUE: &[&str] = &[
    "--keyserver",
    "--keyserver-options",
    "--homedir",
    "--output",
    "-o",
    "--local-user",
    "-u",
    "--recipient",
    "-r",
    "--default-key",
    "--trust-model",
    "--status-fd",
    "--logger-fd",
    "--passphrase",
    "--pinentry-mode",
    "--keyring",
    "--primary-keyring",
    "--digest-algo",
    "--cipher-algo",
];

/// The commands gpg accepts that layerlab simulates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    RecvKeys,
    Fingerprint,
    ListKeys,
    Export,
    Verify,
    Decrypt,
}

/// What the command line asked for.
struct Args {
    command: Option<Command>,
    output: Option<String>,
    homedir: Option<String>,
    keyserver: Option<String>,
    armor: bool,
    operands: Vec<String>,
    unknown: Option<String>,
}

fn parse(argv: &[String]) -> Args {
    let mut a = Args {
        command: None,
        output: None,
        homedir: None,
        keyserver: None,
        armor: false,
        operands: Vec::new(),
        unknown: None,
    };
    let mut i = 1;
    while i < argv.len() {
        let word = argv[i].as_str();
        i += 1;
        if word == "--" {
            a.operands.extend(argv[i..].iter().cloned());
            break;
        }
        let (name, inline) = match word.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (word, None),
        };
        if WITH_VALUE.contains(&name) {
            let value = inline.or_else(|| {
                i += 1;
                argv.get(i - 1).cloned()
            });
            match name {
                "--output" | "-o" => a.output = value,
                "--homedir" => a.homedir = value,
                "--keyserver" => a.keyserver = value,
                _ => {}
            }
            continue;
        }
        let command = match name {
            "--recv-keys" | "--recv-key" | "--receive-keys" => Some(Command::RecvKeys),
            "--fingerprint" | "--fingerprints" => Some(Command::Fingerprint),
            "--list-keys" | "--list-key" | "-k" | "--list-public-keys" => Some(Command::ListKeys),
            "--export" => Some(Command::Export),
            "--verify" => Some(Command::Verify),
            "--decrypt" | "-d" => Some(Command::Decrypt),
            "--armor" | "-a" => {
                a.armor = true;
                None
            }
            _ => None,
        };
        if let Some(c) = command {
            a.command = Some(c);
        } else if !word.starts_with('-') || word == "-" {
            a.operands.push(word.to_string());
        } else if is_command_word(name) && a.unknown.is_none() {
            a.unknown = Some(name.to_string());
        }
    }
    a
}

/// Whether an option of gpg's is a command (which layerlab does not simulate)
/// rather than a setting such as `--batch` or `--yes`.
fn is_command_word(name: &str) -> bool {
    matches!(
        name,
        "--import"
            | "--dearmor"
            | "--enarmor"
            | "--sign"
            | "-s"
            | "--clearsign"
            | "--clear-sign"
            | "--detach-sign"
            | "-b"
            | "--encrypt"
            | "-e"
            | "--symmetric"
            | "-c"
            | "--gen-key"
            | "--generate-key"
            | "--full-generate-key"
            | "--quick-generate-key"
            | "--delete-keys"
            | "--list-secret-keys"
            | "-K"
            | "--refresh-keys"
            | "--search-keys"
            | "--send-keys"
            | "--edit-key"
            | "--import-ownertrust"
            | "--export-ownertrust"
            | "--print-md"
    )
}

/// A key ID as gpg compares it: hex digits upper-cased, spaces and `0x` dropped.
fn normalize_key(key: &str) -> String {
    let k: String = key.chars().filter(|c| !c.is_whitespace()).collect();
    let k = k
        .strip_prefix("0x")
        .or_else(|| k.strip_prefix("0X"))
        .unwrap_or(&k);
    k.to_ascii_uppercase()
}

/// The home directory gpg uses.
fn home_dir(sh: &Shell<'_>, args: &Args) -> String {
    match (&args.homedir, sh.var("GNUPGHOME")) {
        (Some(h), _) => sh.abs(h),
        (None, Some(h)) if !h.is_empty() => sh.abs(h),
        _ => format!("{}/.gnupg", sh.home().trim_end_matches('/')),
    }
}

/// The fingerprints recorded in the keyring of `home`.
fn keyring(sh: &Shell<'_>, home: &str) -> Vec<String> {
    sh.fs
        .read_file(&format!("{home}/pubring.kbx"))
        .map(|b| {
            String::from_utf8_lossy(&b.bytes())
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The recorded keys that `wanted` names (all of them when it is empty); a short
/// key ID matches the end of a fingerprint.
fn matching(keys: &[String], wanted: &[String]) -> (Vec<String>, Vec<String>) {
    if wanted.is_empty() {
        return (keys.to_vec(), Vec::new());
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for w in wanted {
        let n = normalize_key(w);
        match keys
            .iter()
            .find(|k| k.ends_with(&n) || n.ends_with(k.as_str()))
        {
            Some(k) if !found.contains(k) => found.push(k.clone()),
            Some(_) => {}
            None => missing.push(w.clone()),
        }
    }
    (found, missing)
}

/// Runs `gpg` (also `gpg2`).
pub fn gpg(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    if argv.iter().any(|a| a == "--version") {
        sh.out("gpg (GnuPG) 2.2.40 (simulated by layerlab: no keys or signatures are real)\nlibgcrypt 1.10.1\n")?;
        return Ok(0);
    }
    let args = parse(argv);
    match args.command {
        Some(Command::RecvKeys) => recv_keys(sh, &args),
        Some(Command::Fingerprint) => list(sh, &args, true),
        Some(Command::ListKeys) => list(sh, &args, false),
        Some(Command::Export) => export(sh, &args),
        Some(Command::Verify) => verify(sh, &args),
        Some(Command::Decrypt) => decrypt(sh, &args),
        None => {
            match &args.unknown {
                Some(command) => {
                    sh.notice(
                    NoticeKind::NotSimulated,
                    "gpg",
                    format!("not simulated: gpg {command} is not modelled by layerlab; it did nothing"),
                );
                    Ok(0)
                }
                None => {
                    sh.err("gpg: Go ahead and type your message ...\n")?;
                    Ok(0)
                }
            }
        }
    }
}

fn recv_keys(sh: &mut Shell<'_>, args: &Args) -> Exec {
    if args.operands.is_empty() {
        sh.err("usage: gpg [options] --recv-keys [keyIDs]\n")?;
        return Ok(2);
    }
    let home = home_dir(sh, args);
    let mut meta = sh.dir_meta();
    meta.mode = 0o700;
    let _ = sh.fs.mkdir_all(&home, meta);
    let mut keys = keyring(sh, &home);
    let mut log = String::new();
    for key in &args.operands {
        let fpr = normalize_key(key);
        if fpr.is_empty() || !fpr.chars().all(|c| c.is_ascii_hexdigit()) {
            sh.err(format!("gpg: \"{key}\" not a key ID: skipping\n"))?;
            continue;
        }
        let short = &fpr[fpr.len().saturating_sub(16)..];
        log.push_str(&format!(
            "gpg: key {short}: public key \"simulated key {fpr}\" imported\n"
        ));
        if !keys.contains(&fpr) {
            keys.push(fpr);
        }
    }
    let n = args.operands.len();
    log.push_str(&format!(
        "gpg: Total number processed: {n}\ngpg:               imported: {n}\n"
    ));
    let mut text = format!("{KEYRING_HEADER}\n");
    for k in &keys {
        text.push_str(k);
        text.push('\n');
    }
    if let Err(e) = sh.write_file(&format!("{home}/pubring.kbx"), text) {
        sh.err(format!("gpg: keybox '{home}/pubring.kbx': {}\n", e.kind))?;
        return Ok(2);
    }
    sh.err(log)?;
    let server = args.keyserver.as_deref().unwrap_or("the default keyserver");
    sh.notice(
        NoticeKind::Simulated,
        "gpg",
        format!("simulated: gpg fetched nothing from {server} (layerlab has no network); it recorded the requested key IDs, with no key material"),
    );
    Ok(0)
}

/// Groups a 40-digit fingerprint as gpg prints it (`5BE8 A3F6 ...  ...`).
fn grouped(fpr: &str) -> String {
    if fpr.len() != 40 {
        return fpr.to_string();
    }
    let groups: Vec<&str> = (0..10).map(|i| &fpr[i * 4..i * 4 + 4]).collect();
    format!("{}  {}", groups[..5].join(" "), groups[5..].join(" "))
}

fn list(sh: &mut Shell<'_>, args: &Args, fingerprint: bool) -> Exec {
    let home = home_dir(sh, args);
    let keys = keyring(sh, &home);
    let (found, missing) = matching(&keys, &args.operands);
    let mut out = String::new();
    if !found.is_empty() && args.operands.is_empty() {
        out.push_str(&format!(
            "{home}/pubring.kbx\n{}\n",
            "-".repeat(home.len() + 12)
        ));
    }
    for k in &found {
        let shown = if fingerprint { grouped(k) } else { k.clone() };
        out.push_str(&format!(
            "pub   rsa4096 2023-12-01 [SC]\n      {shown}\nuid           [ unknown] simulated key {k}\n\n"
        ));
    }
    sh.out(out)?;
    for _ in &missing {
        sh.err("gpg: error reading key: No public key\n")?;
    }
    Ok(if missing.is_empty() { 0 } else { 2 })
}

fn export(sh: &mut Shell<'_>, args: &Args) -> Exec {
    let home = home_dir(sh, args);
    let keys = keyring(sh, &home);
    let (found, _) = matching(&keys, &args.operands);
    if found.is_empty() {
        sh.err("gpg: WARNING: nothing exported\n")?;
        return Ok(0);
    }
    let mut text = String::new();
    for k in &found {
        text.push_str(&format!(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: layerlab simulated key {k}; it holds no key material\n\nbGF5ZXJsYWIgc2ltdWxhdGVkIGtleQ==\n-----END PGP PUBLIC KEY BLOCK-----\n"
        ));
    }
    sh.notice(
        NoticeKind::Simulated,
        "gpg",
        "simulated: gpg --export wrote a block marked simulated for each key; it holds no key material",
    );
    write_output(sh, args, text.into_bytes())
}

/// Writes to `--output` (or stdout for none or `-`).
fn write_output(sh: &mut Shell<'_>, args: &Args, data: Vec<u8>) -> Exec {
    match args.output.as_deref() {
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

fn verify(sh: &mut Shell<'_>, args: &Args) -> Exec {
    let signature = match read(sh, args.operands.first()) {
        Ok(d) => d,
        Err(status) => return status,
    };
    if let Some(data) = args.operands.get(1) {
        if let Err(status) = read(sh, Some(data)) {
            return status;
        }
    }
    if !(is_placeholder(&signature) || is_armored(&signature)) {
        sh.err("gpg: no valid OpenPGP data found.\ngpg: the signature could not be verified.\nPlease remember that the signature file (.sig or .asc)\nshould be the first file given on the command line.\n")?;
        return Ok(2);
    }
    let what = args.operands.first().map_or("stdin", String::as_str);
    sh.notice(
        NoticeKind::Simulated,
        "gpg",
        format!("simulated: gpg did not check the signature {what}; layerlab makes and checks no signatures, so it is accepted"),
    );
    Ok(0)
}

fn decrypt(sh: &mut Shell<'_>, args: &Args) -> Exec {
    let data = match read(sh, args.operands.first()) {
        Ok(d) => d,
        Err(status) => return status,
    };
    let name = args.operands.first().map_or("stdin", String::as_str);
    if let Some((text, simulated)) = clearsigned_text(&data) {
        let why = if simulated {
            "its signature is layerlab's simulation"
        } else {
            "layerlab checks no signatures"
        };
        sh.notice(
            NoticeKind::Simulated,
            "gpg",
            format!("simulated: gpg output the signed text of {name} without checking its signature ({why})"),
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
