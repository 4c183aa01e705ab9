//! `gcc`, `cc`, `g++` and `c++` (and their versioned names): C tutorials compile
//! with them (`gcc -o app main.c`, make's built-in rules) and then run or copy
//! the program. Nothing is compiled: an object file or executable is written
//! where gcc would write it, as a placeholder of a plausible size whose ELF
//! dynamic section names what it links (the image's C library, libm for `-lm`,
//! libstdc++ for C++, the well-known `-l` libraries), so `ldd`, `scanelf` and a
//! later `COPY --from` see a real-looking program. Missing sources fail in gcc's
//! words; headers are not checked, as the package data lists only part of them.

use super::super::exec::{base_name, Exec, Shell};
use super::super::NoticeKind;
use crate::vfs::blob::Blob;

/// What each well-known `-lNAME` puts in DT_NEEDED on glibc (musl's libc holds
/// libm, libpthread, libdl and librt itself).
const LIBRARIES: &[(&str, &str)] = &[
    ("m", "libm.so.6"),
    ("ssl", "libssl.so.3"),
    ("crypto", "libcrypto.so.3"),
    ("z", "libz.so.1"),
    ("curl", "libcurl.so.4"),
    ("sqlite3", "libsqlite3.so.0"),
    ("pq", "libpq.so.5"),
    ("ncurses", "libncursesw.so.6"),
];

/// `gcc [OPTIONS] FILE...`.
pub fn gcc(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let called = base_name(&argv[0]).to_string();
    let cplusplus = called.contains("++");
    let mut output: Option<String> = None;
    let mut inputs: Vec<String> = Vec::new();
    let mut libs: Vec<String> = Vec::new();
    let (mut compile_only, mut other_mode, mut static_link) = (false, None, false);
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        match a {
            "-o" => {
                output = argv.get(i).cloned();
                i += 1;
            }
            "-c" => compile_only = true,
            "-E" | "-S" | "-M" | "-MM" | "--version" | "-v" | "-dumpversion" | "-dumpmachine"
            | "--help" => other_mode = Some(a.to_string()),
            "-static" => static_link = true,
            "-I" | "-L" | "-D" | "-U" | "-include" | "-x" | "-MF" | "-MT" | "-isystem" => i += 1,
            _ if a.starts_with("-l") => libs.push(a[2..].to_string()),
            _ if a.starts_with("-o") => output = Some(a[2..].to_string()),
            _ if a.starts_with('-') => {}
            _ => inputs.push(a.to_string()),
        }
    }
    if let Some(mode) = other_mode {
        sh.notice(
            NoticeKind::NotSimulated,
            &called,
            format!(
                "not simulated: `{called} {mode}` is not modelled by layerlab; treated as success"
            ),
        );
        return Ok(0);
    }
    if inputs.is_empty() {
        sh.err(format!(
            "{called}: fatal error: no input files\ncompilation terminated.\n"
        ))?;
        return Ok(1);
    }
    let mut source_bytes = 0;
    let mut missing = 0;
    for input in &inputs {
        match sh.fs.stat(&sh.abs(input)) {
            Ok(stat) => source_bytes += stat.size(),
            Err(_) => {
                sh.err(format!(
                    "{called}: error: {input}: No such file or directory\n"
                ))?;
                missing += 1;
            }
        }
    }
    if missing == inputs.len() {
        sh.err(format!(
            "{called}: fatal error: no input files\ncompilation terminated.\n"
        ))?;
    }
    if missing > 0 {
        return Ok(1);
    }
    let seed = super::super::packages::seed(&[&called, &inputs.join(" "), &libs.join(" ")]);
    let mut written = Vec::new();
    if compile_only {
        for input in inputs
            .iter()
            .filter(|f| !f.ends_with(".o") && !f.ends_with(".a"))
        {
            let stem = base_name(input)
                .rsplit_once('.')
                .map_or(base_name(input), |(s, _)| s);
            let target = match (&output, inputs.len()) {
                (Some(o), 1) => o.clone(),
                _ => format!("{stem}.o"),
            };
            let size = 1_500 + source_bytes.min(1 << 24) * 3 / inputs.len() as u64;
            let blob = Blob::generated_with_head(crate::catalog::elf_head(&[]), size, seed);
            match write(sh, &target, blob, false)? {
                Some(path) => written.push(path),
                None => return Ok(1),
            }
        }
    } else {
        let musl = sh.fs.exists("/lib/ld-musl-x86_64.so.1");
        let mut needed: Vec<&str> = Vec::new();
        if !static_link {
            for lib in &libs {
                if let Some((_, soname)) = LIBRARIES.iter().find(|(l, _)| l == lib) {
                    if !(musl && *lib == "m") {
                        needed.push(soname);
                    }
                }
            }
            if cplusplus {
                needed.push("libstdc++.so.6");
                needed.push("libgcc_s.so.1");
            }
            needed.push(if musl {
                "libc.musl-x86_64.so.1"
            } else {
                "libc.so.6"
            });
        }
        let base = if cplusplus { 17_000 } else { 15_900 };
        let size = base + source_bytes.min(1 << 24) * 2 + if static_link { 780_000 } else { 0 };
        let target = output.clone().unwrap_or_else(|| "a.out".to_string());
        let blob = Blob::generated_with_head(crate::catalog::elf_head(&needed), size, seed);
        match write(sh, &target, blob, true)? {
            Some(path) => written.push(path),
            None => return Ok(1),
        }
    }
    sh.notice(
        NoticeKind::Simulated,
        &called,
        format!(
            "simulated: {called} compiled nothing; {} {} placeholder{} of a plausible size",
            written.join(", "),
            if written.len() == 1 { "is a" } else { "are" },
            if written.len() == 1 { "" } else { "s" }
        ),
    );
    Ok(0)
}

/// Writes `target` (relative to the working directory): an executable with mode
/// 0777 less the umask as the linker leaves it, an object file 0666 less the
/// umask; `None` after ld's error when it cannot.
fn write(
    sh: &mut Shell<'_>,
    target: &str,
    blob: Blob,
    executable: bool,
) -> Result<Option<String>, super::super::exec::Flow> {
    let path = sh.abs(target);
    let meta = if executable {
        sh.dir_meta()
    } else {
        sh.file_meta()
    };
    if let Err(e) = sh.fs.write_file(&path, blob, meta) {
        sh.err(format!(
            "/usr/bin/ld: cannot open output file {target}: {}\ncollect2: error: ld returned 1 exit status\n",
            e.kind
        ))?;
        return Ok(None);
    }
    Ok(Some(path))
}
