//! `scanelf` and `ldd`: what shared libraries a program needs, as official images
//! ask before they delete their build dependencies (`scanelf --needed` on Alpine,
//! `ldd` piped into `dpkg-query --search` on Debian).
//!
//! Both read the ELF file itself: the `DT_NEEDED` entries of its dynamic section,
//! found through the program headers (32/64-bit, either byte order). A program a
//! simulated release or package installed is a simulated file of the right size
//! whose ELF contents layerlab does not hold, so its needs are unknown: the scan
//! skips it and says so in a "simulated" notice, instead of guessing.

use super::super::exec::{Exec, Shell};
use super::super::NoticeKind;
use crate::vfs::Kind;

/// What the ELF header and dynamic section say about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfInfo {
    /// `ET_EXEC`, `ET_DYN`, `ET_REL`... as scanelf names the type.
    pub kind: &'static str,
    /// The `DT_NEEDED` library names in order (empty for a static program).
    pub needed: Vec<String>,
    /// Whether the file has a dynamic section (`ldd` calls the others static).
    pub dynamic: bool,
}

/// Reads `data` as an ELF file; `None` when it is not one (or is cut short).
pub fn parse(data: &[u8]) -> Option<ElfInfo> {
    if data.len() < 52 || &data[..4] != b"\x7fELF" {
        return None;
    }
    let wide = match data[4] {
        1 => false,
        2 => true,
        _ => return None,
    };
    let little = match data[5] {
        1 => true,
        2 => false,
        _ => return None,
    };
    let r = Reader { data, little };
    let kind = match r.u16(16)? {
        1 => "ET_REL",
        2 => "ET_EXEC",
        3 => "ET_DYN",
        4 => "ET_CORE",
        _ => "ET_NONE",
    };
    let (phoff, phentsize, phnum) = if wide {
        (r.u64(32)?, r.u16(54)?, r.u16(56)?)
    } else {
        (r.u32(28)? as u64, r.u16(42)?, r.u16(44)?)
    };
    // PT_LOAD segments (vaddr, offset, filesz) map addresses to file offsets.
    let mut loads = Vec::new();
    let mut dynamic = None;
    for i in 0..u64::from(phnum) {
        let at = usize::try_from(phoff.checked_add(i * u64::from(phentsize))?).ok()?;
        let p_type = r.u32(at)?;
        let (offset, vaddr, filesz) = if wide {
            (r.u64(at + 8)?, r.u64(at + 16)?, r.u64(at + 32)?)
        } else {
            (
                r.u32(at + 4)? as u64,
                r.u32(at + 8)? as u64,
                r.u32(at + 16)? as u64,
            )
        };
        match p_type {
            1 => loads.push((vaddr, offset, filesz)),
            2 => dynamic = Some((offset, filesz)),
            _ => {}
        }
    }
    let Some((dyn_off, dyn_size)) = dynamic else {
        return Some(ElfInfo {
            kind,
            needed: Vec::new(),
            dynamic: false,
        });
    };
    let entry = if wide { 16 } else { 8 };
    let mut needed_offsets = Vec::new();
    let mut strtab = None;
    for i in 0..dyn_size / entry {
        let at = usize::try_from(dyn_off.checked_add(i * entry)?).ok()?;
        let (tag, val) = if wide {
            (r.u64(at)?, r.u64(at + 8)?)
        } else {
            (r.u32(at)? as u64, r.u32(at + 4)? as u64)
        };
        match tag {
            0 => break,
            1 => needed_offsets.push(val),
            5 => strtab = Some(val),
            _ => {}
        }
    }
    let mut needed = Vec::new();
    if let Some(addr) = strtab {
        let base = loads
            .iter()
            .find(|(vaddr, _, size)| addr >= *vaddr && addr - vaddr < *size)
            .map_or(addr, |(vaddr, offset, _)| addr - vaddr + offset);
        for off in needed_offsets {
            let start = usize::try_from(base.checked_add(off)?).ok()?;
            let rest = data.get(start..)?;
            let end = rest.iter().position(|&b| b == 0)?;
            needed.push(String::from_utf8_lossy(&rest[..end]).into_owned());
        }
    }
    Some(ElfInfo {
        kind,
        needed,
        dynamic: true,
    })
}

/// Fixed-width reads in the file's byte order.
struct Reader<'a> {
    data: &'a [u8],
    little: bool,
}

impl Reader<'_> {
    fn bytes<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        let mut b: [u8; N] = self.data.get(at..at.checked_add(N)?)?.try_into().ok()?;
        if !self.little {
            b.reverse();
        }
        Some(b)
    }
    fn u16(&self, at: usize) -> Option<u16> {
        self.bytes::<2>(at).map(u16::from_le_bytes)
    }
    fn u32(&self, at: usize) -> Option<u32> {
        self.bytes::<4>(at).map(u32::from_le_bytes)
    }
    fn u64(&self, at: usize) -> Option<u64> {
        self.bytes::<8>(at).map(u64::from_le_bytes)
    }
}

/// What reading one path as ELF gave.
enum Scan {
    Elf(ElfInfo),
    /// A simulated file without a real head: its ELF contents are not held.
    Simulated,
    NotElf,
}

fn scan(sh: &mut Shell<'_>, path: &str) -> Result<Result<Scan, String>, super::super::exec::Flow> {
    match sh.fs.read_file(&sh.abs(path)) {
        Ok(blob) => match blob.head() {
            // A simulated program with a real ELF head names its libraries there.
            Some(head) => {
                sh.charge(head.len())?;
                Ok(Ok(parse(head).map_or(Scan::NotElf, Scan::Elf)))
            }
            None => Ok(Ok(Scan::Simulated)),
        },
        Err(e) => Ok(Err(e.kind.to_string())),
    }
}

/// The regular files (and links to them) at or below `path`, in walk order.
fn files_below(sh: &Shell<'_>, path: &str, recursive: bool) -> Vec<String> {
    let abs = sh.abs(path);
    match sh.fs.stat(&abs) {
        Ok(st) if matches!(st.kind, Kind::Dir) && recursive => {
            let base = abs.trim_end_matches('/');
            sh.fs
                .walk(&abs)
                .unwrap_or_default()
                .into_iter()
                .filter(|e| !matches!(e.stat.kind, Kind::Dir))
                .map(|e| {
                    let rel = e
                        .path
                        .strip_prefix(base.trim_start_matches('/'))
                        .unwrap_or(&e.path)
                        .trim_start_matches('/')
                        .to_string();
                    format!("{}/{rel}", path.trim_end_matches('/'))
                })
                .filter(|p| {
                    sh.fs
                        .stat(&sh.abs(p))
                        .is_ok_and(|s| matches!(s.kind, Kind::File(_)))
                })
                .collect()
        }
        Ok(st) if matches!(st.kind, Kind::Dir) => Vec::new(),
        _ => vec![path.to_string()],
    }
}

/// `scanelf [-n|--needed] [-B|--nobanner] [-F|--format FMT] [-R|--recursive]
/// [-q|--quiet] PATH...`: each ELF file's type, needed libraries and name.
pub fn scanelf(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let f = super::flags_with_long(
        argv,
        "F",
        &[
            ("needed", 'n'),
            ("nobanner", 'B'),
            ("format", 'F'),
            ("recursive", 'R'),
            ("quiet", 'q'),
        ],
    );
    let format = f.value('F').map(str::to_string);
    let recursive = f.has('R');
    if f.operands.is_empty() {
        sh.err("scanelf: Nothing to scan !?\n")?;
        return Ok(1);
    }
    let mut out = String::new();
    if format.is_none() && !f.has('B') {
        out.push_str(if f.has('n') {
            " TYPE   NEEDED FILE \n"
        } else {
            " TYPE   FILE \n"
        });
    }
    let mut simulated = 0usize;
    let mut status = 0;
    for operand in &f.operands {
        for path in files_below(sh, operand, recursive) {
            sh.step()?;
            let info = match scan(sh, &path)? {
                Ok(Scan::Elf(info)) => info,
                Ok(Scan::Simulated) => {
                    simulated += 1;
                    continue;
                }
                Ok(Scan::NotElf) => continue,
                Err(e) => {
                    sh.err(format!("scanelf: {path}: {e}\n"))?;
                    status = 1;
                    continue;
                }
            };
            let needed = info.needed.join(",");
            match &format {
                Some(fmt) => {
                    let line = render(fmt, &info, &needed, &path);
                    if !line.is_empty() {
                        out.push_str(&line);
                        out.push('\n');
                    }
                }
                None if f.has('n') => {
                    let shown = if needed.is_empty() { "  -  " } else { &needed };
                    out.push_str(&format!("{} {shown} {path} \n", info.kind));
                }
                None => out.push_str(&format!("{} {path} \n", info.kind)),
            }
        }
    }
    sh.out(out)?;
    if simulated > 0 {
        sh.notice(
            NoticeKind::Simulated,
            "scanelf",
            format!("simulated: {simulated} scanned file(s) are simulated programs whose ELF contents layerlab does not hold; their needed libraries are unknown and not listed"),
        );
    }
    Ok(status)
}

/// One `--format` line: `%x` prints field x, `#x` requires it without printing;
/// fields `n` (needed), `p` (path), `f` (file name), `t` (type). A line whose
/// fields are all empty is not printed.
fn render(fmt: &str, info: &ElfInfo, needed: &str, path: &str) -> String {
    let mut line = String::new();
    let mut any = false;
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' && c != '#' {
            line.push(c);
            continue;
        }
        let Some(field) = chars.next() else {
            line.push(c);
            break;
        };
        let value = match field {
            'n' => needed,
            'p' => path,
            'f' => super::super::exec::base_name(path),
            't' => info.kind,
            other => {
                line.push(c);
                line.push(other);
                continue;
            }
        };
        if c == '%' {
            any |= !value.is_empty();
            line.push_str(value);
        }
    }
    if any {
        line
    } else {
        String::new()
    }
}

/// Where the dynamic linker looks for a library, in order.
const LIBRARY_DIRS: &[&str] = &[
    "/usr/local/lib",
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib",
    "/usr/lib",
];

/// `ldd FILE...`: the shared libraries each program needs and where the dynamic
/// linker finds them, transitively (libraries whose ELF contents are simulated add
/// nothing of their own), in glibc's format. Nothing is loaded, so the load
/// addresses are layerlab's own, fixed ones.
pub fn ldd(sh: &mut Shell<'_>, argv: &[String]) -> Exec {
    let files: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if files.is_empty() {
        sh.err("ldd: missing file arguments\nTry `ldd --help' for more information.\n")?;
        return Ok(1);
    }
    let mut status = 0;
    for file in &files {
        let info = match scan(sh, file)? {
            Ok(Scan::Elf(info)) if info.dynamic => info,
            Ok(Scan::Elf(_)) | Ok(Scan::NotElf) => {
                sh.err("\tnot a dynamic executable\n")?;
                status = 1;
                continue;
            }
            Ok(Scan::Simulated) => {
                sh.notice(
                    NoticeKind::Simulated,
                    "ldd",
                    format!("simulated: {file} is a simulated program whose ELF contents layerlab does not hold; its shared libraries are unknown and not listed"),
                );
                continue;
            }
            Err(e) => {
                sh.err(format!("ldd: {file}: {e}\n"))?;
                status = 1;
                continue;
            }
        };
        if files.len() > 1 {
            sh.out(format!("{file}:\n"))?;
        }
        let mut out = format!("\tlinux-vdso.so.1 ({})\n", address(0));
        let mut seen: Vec<String> = Vec::new();
        let mut queue = info.needed;
        while !queue.is_empty() {
            let name = queue.remove(0);
            if seen.contains(&name) {
                continue;
            }
            sh.step()?;
            seen.push(name.clone());
            let found = LIBRARY_DIRS
                .iter()
                .map(|d| format!("{d}/{name}"))
                .find(|p| sh.fs.stat(p).is_ok());
            match found {
                Some(p) => {
                    out.push_str(&format!("\t{name} => {p} ({})\n", address(seen.len())));
                    if let Ok(Scan::Elf(lib)) = scan(sh, &p)? {
                        queue.extend(lib.needed);
                    }
                }
                None => out.push_str(&format!("\t{name} => not found\n")),
            }
        }
        out.push_str(&format!(
            "\t/lib64/ld-linux-x86-64.so.2 ({})\n",
            address(seen.len() + 1)
        ));
        sh.out(out)?;
    }
    Ok(status)
}

/// The fixed load address ldd shows for the `n`th object.
fn address(n: usize) -> String {
    format!("0x{:016x}", 0x7f00_0000_0000u64 + (n as u64) * 0x20_0000)
}
