//! `rustup-init`, `rustup target add`, `rustup component add` and the version of
//! the toolchain commands it installs (`rustc`, `cargo`).
//!
//! Images that need a Rust compiler for one build step (Ruby's YJIT) download
//! `rustup-init` and run it. The download is a placeholder, so the program is
//! simulated by name: it lays out the real rustup tree (`$CARGO_HOME/bin` with the
//! proxies hard-linked to `rustup`, `$RUSTUP_HOME/settings.toml`, a toolchain
//! directory with its components' manifests) whose binaries are simulated files of
//! plausible sizes, prints rustup's own progress lines and a "simulated" notice.
//! `rustc --version` and `cargo --version` then answer from the toolchain the
//! proxy resolves (honestly marked as simulated); anything else they are asked is
//! not modelled.

use super::super::exec::{base_name, Exec, Shell};
use super::super::packages::seed;
use super::super::NoticeKind;
use crate::vfs::blob::Blob;
use crate::vfs::{Meta, Vfs};

/// The names rustup installs in `$CARGO_HOME/bin`, each a hard link to `rustup`.
const PROXIES: &[&str] = &[
    "cargo",
    "cargo-clippy",
    "cargo-fmt",
    "cargo-miri",
    "clippy-driver",
    "rls",
    "rust-analyzer",
    "rust-gdb",
    "rust-gdbgui",
    "rust-lldb",
    "rustc",
    "rustdoc",
    "rustfmt",
];

/// Size of the `rustup` binary that `rustup-init` copies into `$CARGO_HOME/bin`.
const RUSTUP_SIZE: u64 = 9_400_000;

/// One file of a component: path in the toolchain (`{host}` and `{hash}` are filled
/// in), size, executable.
type Part = (&'static str, u64, bool);

/// The components rustup's profiles install, with the files that dominate them.
const COMPONENTS: &[(&str, &[Part])] = &[
    (
        "cargo",
        &[
            ("bin/cargo", 36_200_000, true),
            ("share/man/man1/cargo.1", 11_300, false),
            ("share/zsh/site-functions/_cargo", 15_200, false),
            ("etc/bash_completion.d/cargo", 800, false),
            ("share/doc/cargo/LICENSE-APACHE", 9_723, false),
            ("share/doc/cargo/LICENSE-MIT", 1_023, false),
        ],
    ),
    (
        "rust-std",
        &[
            (
                "lib/rustlib/{host}/lib/libstd-{hash}.rlib",
                17_900_000,
                false,
            ),
            ("lib/rustlib/{host}/lib/libstd-{hash}.so", 6_100_000, false),
            (
                "lib/rustlib/{host}/lib/libcore-{hash}.rlib",
                62_400_000,
                false,
            ),
            (
                "lib/rustlib/{host}/lib/liballoc-{hash}.rlib",
                8_300_000,
                false,
            ),
            (
                "lib/rustlib/{host}/lib/libproc_macro-{hash}.rlib",
                7_600_000,
                false,
            ),
            (
                "lib/rustlib/{host}/lib/libcompiler_builtins-{hash}.rlib",
                4_200_000,
                false,
            ),
            (
                "lib/rustlib/{host}/lib/liblibc-{hash}.rlib",
                3_900_000,
                false,
            ),
        ],
    ),
    (
        "rustc",
        &[
            ("bin/rustc", 610_000, true),
            ("bin/rustdoc", 19_800_000, true),
            ("bin/rust-gdb", 1_184, true),
            ("bin/rust-gdbgui", 2_262, true),
            ("bin/rust-lldb", 1_111, true),
            ("lib/librustc_driver-{hash}.so", 151_000_000, true),
            (
                "lib/libLLVM.so.{llvm}-rust-{version}-stable",
                142_000_000,
                true,
            ),
            ("lib/rustlib/{host}/bin/rust-lld", 3_300_000, true),
            ("lib/rustlib/{host}/bin/gcc-ld/ld.lld", 640_000, true),
            ("libexec/rust-analyzer-proc-macro-srv", 1_200_000, true),
            ("share/man/man1/rustc.1", 10_900, false),
            ("share/man/man1/rustdoc.1", 3_700, false),
            ("share/doc/rust/COPYRIGHT", 9_100, false),
            ("share/doc/rust/LICENSE-APACHE", 9_723, false),
            ("share/doc/rust/LICENSE-MIT", 1_023, false),
            ("share/doc/rust/README.md", 11_100, false),
        ],
    ),
    (
        "clippy",
        &[
            ("bin/cargo-clippy", 1_500_000, true),
            ("bin/clippy-driver", 10_800_000, true),
        ],
    ),
    (
        "rustfmt",
        &[
            ("bin/rustfmt", 6_600_000, true),
            ("bin/cargo-fmt", 1_300_000, true),
        ],
    ),
    (
        "rust-docs",
        &[("share/doc/rust/html/index.html", 640_000_000, false)],
    ),
];

/// The components of a rustup profile, in the order rustup installs them
/// (`complete` gets every component described here, not every one rustup has).
pub fn profile(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "minimal" => Some(&["cargo", "rust-std", "rustc"]),
        "default" => Some(&[
            "cargo",
            "clippy",
            "rust-docs",
            "rust-std",
            "rustc",
            "rustfmt",
        ]),
        "complete" => Some(&[
            "cargo",
            "clippy",
            "rust-docs",
            "rust-std",
            "rustc",
            "rustfmt",
        ]),
        _ => None,
    }
}

/// What `rustup-init` was asked to do.
struct Request {
    yes: bool,
    modify_path: bool,
    profile: String,
    toolchain: String,
    host: Option<String>,
    components: Vec<String>,
    quiet: bool,
}

fn parse(sh: &mut Shell<'_>, argv: &[String]) -> Result<Option<Request>, super::super::exec::Flow> {
    let mut req = Request {
        yes: false,
        modify_path: true,
        profile: "default".to_string(),
        toolchain: "stable".to_string(),
        host: None,
        components: Vec::new(),
        quiet: false,
    };
    let mut i = 1;
    while i < argv.len() {
        let arg = argv[i].as_str();
        i += 1;
        let (name, inline) = super::long_flag(arg);
        let value = |i: &mut usize| super::flag_value(&inline, argv, i);
        match name {
            "-y" => req.yes = true,
            "-q" | "--quiet" => req.quiet = true,
            "-v" | "--verbose" | "--no-update-default-toolchain" => {}
            "--no-modify-path" => req.modify_path = false,
            "--profile"
            | "--default-toolchain"
            | "--default-host"
            | "-c"
            | "--component"
            | "-t"
            | "--target" => {
                let Some(v) = value(&mut i) else {
                    sh.err(format!("error: a value is required for '{name} <{}>' but none was supplied\n\nFor more information, try '--help'.\n", name.trim_start_matches('-').to_uppercase()))?;
                    return Ok(None);
                };
                match name {
                    "--profile" => req.profile = v,
                    "--default-toolchain" => req.toolchain = v,
                    "--default-host" => req.host = Some(v),
                    "-c" | "--component" => req.components.extend(
                        v.split([',', ' '])
                            .filter(|c| !c.is_empty())
                            .map(str::to_string),
                    ),
                    _ => {}
                }
            }
            _ => {
                sh.err(format!("error: unexpected argument '{arg}' found\n\nUsage: rustup-init[EXE] [OPTIONS]\n\nFor more information, try '--help'.\n"))?;
                return Ok(None);
            }
        }
    }
    Ok(Some(req))
}

/// The host triple rustup detects: musl when the image's loader is musl's.
fn detected_host(sh: &Shell<'_>) -> String {
    if sh.fs.exists("/lib/ld-musl-x86_64.so.1") {
        "x86_64-unknown-linux-musl".to_string()
    } else {
        "x86_64-unknown-linux-gnu".to_string()
    }
}

/// `rustup-init [-y] [--no-modify-path] [--profile P] [--default-toolchain T]
/// [--default-host H] [-c COMPONENT]...`: installs rustup and one toolchain.
pub fn rustup_init(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    if argv.iter().skip(1).any(|a| a == "--version" || a == "-V") {
        sh.out("rustup-init 1.28.2 (simulated by layerlab)\n")?;
        return Ok(0);
    }
    let Some(req) = parse(sh, argv)? else {
        return Ok(2);
    };
    if !req.yes {
        // A build has no terminal, and rustup-init will not prompt without one.
        sh.err("error: Unable to run interactively. Run with -y to accept defaults, --help for additional options\n")?;
        return Ok(1);
    }
    let Some(components) = profile(&req.profile) else {
        sh.err(format!("error: invalid value '{}' for '--profile <PROFILE>'\n  [possible values: minimal, default, complete]\n\nFor more information, try '--help'.\n", req.profile))?;
        return Ok(2);
    };
    let home = sh.home();
    let rustup_home = sh
        .var("RUSTUP_HOME")
        .map_or_else(|| format!("{home}/.rustup"), str::to_string);
    let cargo_home = sh
        .var("CARGO_HOME")
        .map_or_else(|| format!("{home}/.cargo"), str::to_string);
    let host = req.host.clone().unwrap_or_else(|| detected_host(sh));
    let info = |sh: &mut Shell<'_>, line: String| -> Result<(), super::super::exec::Flow> {
        if req.quiet {
            Ok(())
        } else {
            sh.err(format!("info: {line}\n"))
        }
    };
    info(sh, format!("profile set to '{}'", req.profile))?;
    info(sh, format!("default host triple is {host}"))?;

    let bin = format!("{cargo_home}/bin");
    let dir_meta = sh.dir_meta();
    for dir in [
        &bin,
        &format!("{rustup_home}/downloads"),
        &format!("{rustup_home}/tmp"),
    ] {
        if let Err(e) = sh.fs.mkdir_all(&sh.abs(dir), dir_meta) {
            sh.err(format!(
                "error: could not create directory '{dir}': {}\n",
                e.kind
            ))?;
            return Ok(1);
        }
    }
    let wanted: Vec<&str> = if req.toolchain == "none" {
        Vec::new()
    } else {
        let mut wanted: Vec<&str> = components.to_vec();
        for extra in &req.components {
            if let Some((c, _)) = COMPONENTS.iter().find(|(c, _)| c == extra) {
                if !wanted.contains(c) {
                    wanted.push(c);
                }
            }
        }
        wanted
    };
    let name = (req.toolchain != "none").then(|| toolchain_name(&req.toolchain, &host));
    if let Some(name) = &name {
        info(sh, format!("syncing channel updates for '{name}'"))?;
        for c in &wanted {
            info(sh, format!("downloading component '{c}'"))?;
        }
        for c in &wanted {
            info(sh, format!("installing component '{c}'"))?;
        }
    }
    let (rustup_abs, cargo_abs) = (sh.abs(&rustup_home), sh.abs(&cargo_home));
    let spec = Install {
        rustup_home: &rustup_abs,
        cargo_home: &cargo_abs,
        host: &host,
        profile: &req.profile,
        toolchain: name.as_deref(),
        components: &wanted,
        file_meta: sh.file_meta(),
        exec_meta: Meta::new(0o755)
            .owned(sh.ctx.uid, sh.ctx.gid)
            .at(sh.ctx.mtime),
    };
    let files = install(sh.fs, &spec);
    sh.charge_entries(files)?;
    match &name {
        Some(name) => {
            info(sh, format!("default toolchain set to '{name}'"))?;
            if !req.quiet {
                let line = match version_line("rustc", name) {
                    Some(v) => format!("\n  {name} installed - {v}\n\n"),
                    None => format!("\n  {name} installed\n\n"),
                };
                sh.err(line)?;
            }
        }
        None => info(sh, "skipping toolchain installation".to_string())?,
    }

    if !req.quiet {
        let mut done = String::from("\nRust is installed now. Great!\n\n");
        if req.modify_path {
            done.push_str("To get started you may need to restart your current shell.\nThis would reload your PATH environment variable to include\nCargo's bin directory (");
        } else {
            done.push_str("To get started you need Cargo's bin directory (");
        }
        done.push_str(&format!("{bin})"));
        done.push_str(if req.modify_path {
            ".\n\n"
        } else {
            " in your PATH\nenvironment variable. This has not been done automatically.\n\n"
        });
        done.push_str(&format!("To configure your current shell, you need to source\nthe corresponding env file under {cargo_home}.\n\nThis is usually done by running one of the following (note the leading DOT):\n. \"{cargo_home}/env\"            # For sh/bash/zsh/ash/dash/pdksh\nsource \"{cargo_home}/env.fish\"  # For fish\nsource \"{cargo_home}/env.nu\"    # For nushell\n"));
        sh.out(done)?;
    }
    sh.notice(
        NoticeKind::Simulated,
        "rustup-init",
        format!("simulated: rustup-init downloaded nothing; it laid out rustup's tree in {cargo_home} and {rustup_home} with simulated binaries of plausible sizes"),
    );
    Ok(0)
}

/// The full toolchain name rustup gives `toolchain` (`1.91.1` →
/// `1.91.1-x86_64-unknown-linux-gnu`).
fn toolchain_name(toolchain: &str, host: &str) -> String {
    if toolchain.ends_with(host) {
        toolchain.to_string()
    } else {
        format!("{toolchain}-{host}")
    }
}

/// The LLVM a release links (`libLLVM.so.19.1-rust-1.83.0-stable`): 19 from Rust
/// 1.82 to 1.86 (the rust images' 1.83), 21 for the later ones the images here use.
fn llvm(version: &str) -> &'static str {
    let minor = version
        .split('.')
        .nth(1)
        .and_then(|m| m.parse::<u32>().ok());
    match minor {
        Some(82..=86) => "19.1",
        _ => "21.1",
    }
}

/// The release a toolchain name pins (`1.91.1` of `1.91.1-x86_64-...`), if it pins one.
fn pinned_version(name: &str) -> Option<&str> {
    let first = name.split('-').next()?;
    (first.split('.').count() >= 2 && first.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then_some(first)
}

/// What `PROGRAM --version` prints for the toolchain `name`, when the name pins a
/// release (a channel such as `stable` says nothing about which one it is).
fn version_line(program: &str, name: &str) -> Option<String> {
    pinned_version(name).map(|v| format!("{program} {v} (simulated by layerlab)"))
}

/// `$CARGO_HOME/env` (and its fish and nushell variants), which put the bin
/// directory on `PATH` once.
fn write_env_scripts(fs: &mut Vfs, cargo_home: &str, meta: Meta) {
    let env = format!("#!/bin/sh\n# rustup shell setup\n# affix colons on either side of $PATH to simplify matching\ncase \":${{PATH}}:\" in\n    *:\"{cargo_home}/bin\":*)\n        ;;\n    *)\n        # Prepending path in case a system-installed rustc needs to be overridden\n        export PATH=\"{cargo_home}/bin:$PATH\"\n        ;;\nesac\n");
    let fish = format!("# rustup shell setup\nif not contains \"{cargo_home}/bin\" $PATH\n    # Prepending path in case a system-installed rustc needs to be overridden\n    set -x PATH \"{cargo_home}/bin\" $PATH\nend\n");
    let nu = format!("use std/util \"path add\"\npath add \"{cargo_home}/bin\"\n");
    for (file, text) in [("env", env), ("env.fish", fish), ("env.nu", nu)] {
        let _ = fs.write_file(
            &format!("{cargo_home}/{file}"),
            Blob::from_bytes(text),
            meta,
        );
    }
}

/// What `rustup-init` writes, wherever it runs: the `rustup-init` program here and
/// the catalog's rust images (whose layer is that program's run) share it, so the
/// tree is the same in both.
pub struct Install<'a> {
    /// `$RUSTUP_HOME`, absolute.
    pub rustup_home: &'a str,
    /// `$CARGO_HOME`, absolute.
    pub cargo_home: &'a str,
    /// The default host triple.
    pub host: &'a str,
    /// The profile recorded in `settings.toml`.
    pub profile: &'a str,
    /// The full name of the toolchain to install (`1.83.0-x86_64-unknown-linux-gnu`),
    /// `None` for `--default-toolchain none`.
    pub toolchain: Option<&'a str>,
    /// The components to install.
    pub components: &'a [&'a str],
    /// Metadata of the text files (settings, env scripts): the user's owner and umask.
    pub file_meta: Meta,
    /// Metadata of the `rustup` binary and its proxies.
    pub exec_meta: Meta,
}

/// Lays out rustup and the toolchain of `spec` (its directories already exist or are
/// created); returns the number of files written.
pub fn install(fs: &mut Vfs, spec: &Install<'_>) -> usize {
    let bin = format!("{}/bin", spec.cargo_home);
    let rustup_bin = format!("{bin}/rustup");
    let blob = Blob::generated(RUSTUP_SIZE, seed(&["rustup", "1.28.2", spec.host]));
    let _ = fs.write_file(&rustup_bin, blob, spec.exec_meta);
    for proxy in PROXIES {
        let _ = fs.hard_link(&rustup_bin, &format!("{bin}/{proxy}"));
    }
    write_env_scripts(fs, spec.cargo_home, spec.file_meta);
    let mut settings = format!("default_host_triple = \"{}\"\n", spec.host);
    let mut written = 4 + PROXIES.len();
    if let Some(name) = spec.toolchain {
        settings.push_str(&format!("default_toolchain = \"{name}\"\n"));
        written += install_toolchain(
            fs,
            spec.rustup_home,
            name,
            spec.host,
            spec.components,
            spec.exec_meta.mtime,
        );
    }
    settings.push_str(&format!(
        "profile = \"{}\"\nversion = \"12\"\n\n[overrides]\n",
        spec.profile
    ));
    let _ = fs.write_file(
        &format!("{}/settings.toml", spec.rustup_home),
        Blob::from_bytes(settings),
        spec.file_meta,
    );
    written + 1
}

/// The layer of the rust images' `rustup-init -y --no-modify-path --profile minimal
/// --default-toolchain VERSION --default-host HOST` run as root: the catalog's
/// `+rustup` line. Returns the number of files written.
pub fn install_minimal(
    fs: &mut Vfs,
    rustup_home: &str,
    cargo_home: &str,
    version: &str,
    host: &str,
    mtime: i64,
) -> usize {
    let dir_meta = Meta::new(0o755).at(mtime);
    for dir in ["bin", "downloads", "tmp"] {
        let home = if dir == "bin" {
            cargo_home
        } else {
            rustup_home
        };
        let _ = fs.mkdir_all(&format!("{home}/{dir}"), dir_meta);
    }
    let name = toolchain_name(version, host);
    let components = profile("minimal").unwrap_or_default();
    install(
        fs,
        &Install {
            rustup_home,
            cargo_home,
            host,
            profile: "minimal",
            toolchain: Some(&name),
            components,
            file_meta: Meta::new(0o644).at(mtime),
            exec_meta: Meta::new(0o755).at(mtime),
        },
    )
}

/// Writes the toolchain `name` with `components` under `rustup_home`; returns the
/// number of files written.
fn install_toolchain(
    fs: &mut Vfs,
    rustup_home: &str,
    name: &str,
    host: &str,
    components: &[&str],
    mtime: i64,
) -> usize {
    let root = format!("{rustup_home}/toolchains/{name}");
    let hash = format!("{:016x}", seed(&["rustc", name]));
    let dir_meta = Meta::new(0o755).at(mtime);
    let mut written = 0;
    let mut installed = String::new();
    for component in components {
        if let Some(files) = write_component(fs, &root, name, component, host, mtime) {
            written += files;
            installed.push_str(&format!("{component}-{host}\n"));
        }
    }
    write_text(
        fs,
        &format!("{root}/lib/rustlib/components"),
        &installed,
        dir_meta,
    );
    write_text(
        fs,
        &format!("{root}/lib/rustlib/rust-installer-version"),
        "3\n",
        dir_meta,
    );
    write_text(
        fs,
        &format!("{root}/lib/rustlib/multirust-config.toml"),
        &format!(
            "config_version = \"1\"\n\n[[components]]\npkg = \"rustc\"\ntarget = \"{host}\"\n"
        ),
        dir_meta,
    );
    let hashes = format!("{rustup_home}/update-hashes/{name}");
    write_text(
        fs,
        &hashes,
        &format!("{hash}{hash}{hash}{hash}\n"),
        dir_meta,
    );
    written + 4
}

/// Writes the files of `component` into the toolchain `name` at `root`, and its
/// manifest; `None` for a component rustup does not have.
fn write_component(
    fs: &mut Vfs,
    root: &str,
    name: &str,
    component: &str,
    host: &str,
    mtime: i64,
) -> Option<usize> {
    let (_, parts) = COMPONENTS.iter().find(|(c, _)| *c == component)?;
    let version = pinned_version(name).unwrap_or(name);
    let hash = format!("{:016x}", seed(&["rustc", name]));
    let dir_meta = Meta::new(0o755).at(mtime);
    let mut manifest = String::new();
    for (path, size, exec) in parts.iter() {
        let rel = path
            .replace("{host}", host)
            .replace("{hash}", &hash)
            .replace("{version}", version)
            .replace("{llvm}", llvm(version));
        let full = format!("{root}/{rel}");
        if let Some((parent, _)) = full.rsplit_once('/') {
            let _ = fs.mkdir_all(parent, dir_meta);
        }
        let meta = Meta::new(if *exec { 0o755 } else { 0o644 }).at(mtime);
        let blob = Blob::generated(*size, seed(&[component, name, &rel]));
        let _ = fs.write_file(&full, blob, meta);
        manifest.push_str(&format!("file:{rel}\n"));
    }
    let manifest_path = format!("{root}/lib/rustlib/manifest-{component}-{host}");
    write_text(fs, &manifest_path, &manifest, dir_meta);
    Some(parts.len())
}

fn write_text(fs: &mut Vfs, path: &str, text: &str, dir_meta: Meta) {
    if let Some((parent, _)) = path.rsplit_once('/') {
        let _ = fs.mkdir_all(parent, dir_meta);
    }
    let meta = Meta::new(0o644).at(dir_meta.mtime);
    let _ = fs.write_file(path, Blob::from_bytes(text), meta);
}

/// The toolchain a rustup proxy or toolchain binary at `path` runs: the toolchain
/// directory it sits in, else `RUSTUP_TOOLCHAIN`, else the default of
/// `$RUSTUP_HOME/settings.toml`. `None` for a program rustup did not install.
fn resolve_toolchain(sh: &Shell<'_>, path: &str) -> Option<(String, String)> {
    let home = sh.home();
    let rustup_home = sh
        .var("RUSTUP_HOME")
        .map_or_else(|| format!("{home}/.rustup"), str::to_string);
    let rustup_home = sh.abs(&rustup_home);
    if let Some(rest) = path.split_once("/toolchains/").map(|(_, r)| r) {
        let name = rest.split('/').next()?;
        let root = path.split_once("/toolchains/")?.0;
        return Some((root.to_string(), name.to_string()));
    }
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    if !sh.fs.exists(&format!("{dir}/rustup")) {
        return None;
    }
    let text = sh
        .fs
        .read_file(&format!("{rustup_home}/settings.toml"))
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    let setting = |key: &str| {
        text.lines().find_map(|l| {
            let v = l.strip_prefix(key)?.trim_start();
            Some(v.strip_prefix('=')?.trim().trim_matches('"').to_string())
        })
    };
    let name = match sh.var("RUSTUP_TOOLCHAIN").filter(|t| !t.is_empty()) {
        Some(name) => name.to_string(),
        None => setting("default_toolchain")?,
    };
    // A bare release or channel means the toolchain of the default host.
    let host = setting("default_host_triple").unwrap_or_else(|| detected_host(sh));
    let name = if name.contains("-unknown-") {
        name
    } else {
        toolchain_name(&name, &host)
    };
    Some((rustup_home, name))
}

/// `rustc` and `cargo` as rustup installs them: `--version` (`-V`) answers from the
/// toolchain the proxy resolves; everything else, and programs rustup did not
/// install, are not modelled.
pub fn toolchain_program(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = base_name(&argv[0]).to_string();
    let path = sh.program_path.clone();
    let asks_version = argv.len() == 2 && (argv[1] == "--version" || argv[1] == "-V");
    let resolved = resolve_toolchain(sh, &path);
    if let (true, Some((rustup_home, name))) = (asks_version, resolved) {
        if !sh.fs.exists(&format!("{rustup_home}/toolchains/{name}")) {
            sh.err(format!("error: toolchain '{name}' is not installed\n"))?;
            return Ok(1);
        }
        if let Some(line) = version_line(&called, &name) {
            sh.out(format!("{line}\n"))?;
            sh.notice(
            NoticeKind::Simulated,
            &called,
                format!("simulated: {called} is a simulated binary of the {name} toolchain; only its version is known"),
            );
            return Ok(0);
        }
    }
    sh.notice(
        NoticeKind::NotSimulated,
        &called,
        format!("`{called}` exists in the image ({path}) but layerlab does not model it; treated as success"),
    );
    Ok(0)
}

/// Whether the toolchain the running rustup proxy resolves has the standard
/// library for `target`; `None` when the program is not a rustup proxy (Alpine's
/// own cargo package) or its toolchain is missing.
pub fn has_target(sh: &Shell<'_>, target: &str) -> Option<bool> {
    let (rustup_home, name) = resolve_toolchain(sh, &sh.program_path)?;
    let root = format!("{rustup_home}/toolchains/{name}");
    if !sh.fs.exists(&root) {
        return None;
    }
    Some(sh.fs.exists(&format!("{root}/lib/rustlib/{target}")))
}

/// `rustup target add TARGET...` (`target install` too): the `rust-std` component
/// of each target laid out in the default toolchain, as rustup installs it;
/// `rustup component add NAME...`: the toolchain's own components (clippy,
/// rustfmt). Other rustup commands are not modelled.
pub fn rustup(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let words: Vec<&str> = argv[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let path = sh.program_path.clone();
    let resolved = resolve_toolchain(sh, &path);
    match (words.as_slice(), resolved) {
        (["target", "add" | "install", targets @ ..], Some((rustup_home, name))) => {
            add_targets(sh, &rustup_home, &name, targets)
        }
        (["component", "add" | "install", components @ ..], Some((rustup_home, name))) => {
            add_components(sh, &rustup_home, &name, components)
        }
        _ => {
            let what = argv[1..].join(" ");
            sh.notice(
                NoticeKind::NotSimulated,
                "rustup",
                format!("`rustup {what}` ({path}) is not modelled by layerlab; treated as success"),
            );
            Ok(0)
        }
    }
}

/// The host triple at the end of a toolchain's full name
/// (`1.83.0-x86_64-unknown-linux-gnu`).
fn host_of(name: &str) -> &str {
    [
        "-x86_64-",
        "-aarch64-",
        "-i686-",
        "-armv7-",
        "-powerpc64le-",
        "-s390x-",
    ]
    .iter()
    .find_map(|arch| name.find(arch))
    .or_else(|| name.find('-'))
    .map_or(name, |at| &name[at + 1..])
}

/// `rustup component add`: each component's files and manifest in the toolchain,
/// with rustup's progress lines; rustup's error for a name the toolchain lacks.
fn add_components(sh: &mut Shell<'_>, rustup_home: &str, name: &str, components: &[&str]) -> Exec {
    let root = format!("{rustup_home}/toolchains/{name}");
    if !sh.fs.exists(&root) {
        sh.err(format!("error: toolchain '{name}' is not installed\n"))?;
        return Ok(1);
    }
    let host = host_of(name).to_string();
    let mtime = sh.ctx.mtime;
    let mut added = Vec::new();
    for component in components {
        // The old names rustup still takes.
        let component = &match *component {
            "rustfmt-preview" => "rustfmt",
            "clippy-preview" => "clippy",
            other => other,
        };
        // Names rustup has whose files layerlab does not model.
        const UNMODELLED: &[&str] = &[
            "rust-src",
            "rust-analyzer",
            "llvm-tools",
            "llvm-tools-preview",
            "rust-analysis",
            "rls",
            "miri",
        ];
        if UNMODELLED.contains(component) {
            sh.notice(
                NoticeKind::NotSimulated,
                "rustup",
                format!("the rustup component '{component}' is not modelled by layerlab; nothing was installed"),
            );
            continue;
        }
        if !COMPONENTS.iter().any(|(c, _)| c == component) {
            sh.err(format!("error: toolchain '{name}' does not contain component '{component}' for target '{host}'\n"))?;
            return Ok(1);
        }
        let manifest = format!("{root}/lib/rustlib/manifest-{component}-{host}");
        if sh.fs.exists(&manifest) {
            sh.err(format!(
                "info: component '{component}' for target '{host}' is up to date\n"
            ))?;
            continue;
        }
        sh.err(format!(
            "info: downloading component '{component}'\ninfo: installing component '{component}'\n"
        ))?;
        let files = write_component(sh.fs, &root, name, component, &host, mtime).unwrap_or(0);
        sh.charge_entries(files)?;
        list_component(sh.fs, &root, &format!("{component}-{host}"), mtime);
        added.push(*component);
    }
    if !added.is_empty() {
        sh.notice(
            NoticeKind::Simulated,
            "rustup",
            format!("simulated: rustup downloaded nothing; {} laid out in {root} as simulated files of plausible sizes", added.join(", ")),
        );
    }
    Ok(0)
}

/// Whether the toolchain the running rustup proxy resolves has `component`
/// installed, with the toolchain's name; `None` when the program is not a rustup
/// proxy or its toolchain is missing.
pub fn component_state(sh: &Shell<'_>, component: &str) -> Option<(bool, String)> {
    let (rustup_home, name) = resolve_toolchain(sh, &sh.program_path)?;
    let root = format!("{rustup_home}/toolchains/{name}");
    if !sh.fs.exists(&root) {
        return None;
    }
    let manifest = format!("{root}/lib/rustlib/manifest-{component}-{}", host_of(&name));
    Some((sh.fs.exists(&manifest), name))
}

/// `rustup target add`: the `rust-std` component of each target.
fn add_targets(sh: &mut Shell<'_>, rustup_home: &str, name: &str, targets: &[&str]) -> Exec {
    let root = format!("{rustup_home}/toolchains/{name}");
    if !sh.fs.exists(&root) {
        sh.err(format!("error: toolchain '{name}' is not installed\n"))?;
        return Ok(1);
    }
    let mtime = sh.ctx.mtime;
    for target in targets {
        let lib = format!("{root}/lib/rustlib/{target}");
        if sh.fs.exists(&lib) {
            sh.err(format!(
                "info: component 'rust-std' for target '{target}' is up to date\n"
            ))?;
            continue;
        }
        sh.err(format!(
            "info: downloading component 'rust-std' for '{target}'\ninfo: installing component 'rust-std' for '{target}'\n"
        ))?;
        let files = write_component(sh.fs, &root, name, "rust-std", target, mtime).unwrap_or(0);
        sh.charge_entries(files)?;
        list_component(sh.fs, &root, &format!("rust-std-{target}"), mtime);
    }
    sh.notice(
        NoticeKind::Simulated,
        "rustup",
        format!("simulated: rustup downloaded nothing; the standard library of {} was laid out in {root} with simulated files of plausible sizes", targets.join(", ")),
    );
    Ok(0)
}

/// Adds `entry` (`clippy-x86_64-unknown-linux-gnu`) to the toolchain's list of
/// installed components.
fn list_component(fs: &mut Vfs, root: &str, entry: &str, mtime: i64) {
    let list = format!("{root}/lib/rustlib/components");
    let mut text = fs
        .read_file(&list)
        .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
        .unwrap_or_default();
    text.push_str(&format!("{entry}\n"));
    write_text(fs, &list, &text, Meta::new(0o755).at(mtime));
}
