//! A small image and a random-script generator for fuzzing the RUN shell. Shared by
//! the proptest in `shell.rs`, `examples/fuzz_shell.rs` and the `fuzz/` crate.

use layerlab::shell::{Budget, ShellContext};
use layerlab::vfs::blob::Blob;
use layerlab::vfs::{Meta, Vfs};

/// A Debian-like image: dash, coreutils, apt with a status file, pip, users.
pub fn image() -> Vfs {
    let mut fs = Vfs::new();
    for d in [
        "/bin",
        "/usr/bin",
        "/usr/sbin",
        "/usr/local/bin",
        "/etc",
        "/root",
        "/home",
        "/var/lib/dpkg/info",
        "/var/lib/apt/lists",
        "/var/cache/apt/archives",
        "/app",
        "/usr/local/lib/python3.12/site-packages",
        "/lib/apk/db",
    ] {
        fs.mkdir_all(d, Meta::new(0o755)).ok();
    }
    fs.mkdir_all("/tmp", Meta::new(0o1777)).ok();
    let exe = |fs: &mut Vfs, p: &str| {
        fs.write_file(
            p,
            Blob::from_bytes(format!("\x7fELF {p}")),
            Meta::new(0o755),
        )
        .ok();
    };
    exe(&mut fs, "/bin/dash");
    fs.symlink("dash", "/bin/sh", Meta::new(0o777)).ok();
    for b in PROGRAMS.iter().chain(DRIVEN) {
        exe(&mut fs, &format!("/usr/bin/{b}"));
    }
    fs.write_file("/etc/passwd", Blob::from_bytes("root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"), Meta::new(0o644)).ok();
    fs.write_file(
        "/etc/group",
        Blob::from_bytes("root:x:0:\nnogroup:x:65534:\n"),
        Meta::new(0o644),
    )
    .ok();
    fs.write_file(
        "/var/lib/dpkg/status",
        Blob::from_bytes(""),
        Meta::new(0o644),
    )
    .ok();
    fs.write_file(
        "/etc/os-release",
        Blob::from_bytes("ID=debian\nVERSION_CODENAME=bookworm\n"),
        Meta::new(0o644),
    )
    .ok();
    fs.write_file(
        "/app/requirements.txt",
        Blob::from_bytes("flask==3.0.0\nrequests\n"),
        Meta::new(0o644),
    )
    .ok();
    fs.write_file(
        "/app/package.json",
        Blob::from_bytes(r#"{"dependencies":{"express":"^4.18.2"}}"#),
        Meta::new(0o644),
    )
    .ok();
    fs.write_file(
        "/app/a.txt",
        Blob::from_bytes("alpha\nbeta\n"),
        Meta::new(0o644),
    )
    .ok();
    fs
}

/// Programs the image has, so generated scripts reach the simulations.
pub const PROGRAMS: &[&str] = &[
    "cat",
    "echo",
    "ls",
    "mkdir",
    "rm",
    "rmdir",
    "cp",
    "mv",
    "ln",
    "chmod",
    "chown",
    "touch",
    "sed",
    "grep",
    "tar",
    "gzip",
    "gunzip",
    "env",
    "tee",
    "wc",
    "head",
    "tail",
    "sort",
    "uniq",
    "cut",
    "tr",
    "basename",
    "dirname",
    "id",
    "whoami",
    "which",
    "find",
    "xargs",
    "sha256sum",
    "md5sum",
    "stat",
    "realpath",
    "readlink",
    "du",
    "nproc",
    "yes",
    "seq",
    "test",
    "[",
    "printf",
    "apt-get",
    "apt-mark",
    "dpkg",
    "apk",
    "pip",
    "npm",
    "python3",
    "useradd",
    "groupadd",
    "adduser",
    "curl",
    "wget",
    "mktemp",
    "date",
    "sleep",
    "uname",
    "install",
    "systemctl",
    "bash",
];

/// The context fuzz runs use: a small budget so every run ends quickly.
pub fn context() -> ShellContext {
    ShellContext {
        workdir: "/app".to_string(),
        mtime: 1_700_000_000,
        budget: Budget {
            max_steps: 5_000,
            max_output_bytes: 1 << 20,
        },
        ..ShellContext::default()
    }
}

/// A deterministic random source (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "a",
    "Makefile",
    "all: b.txt\n\tcat $< > $@",
    "install",
    "-C",
    "-f",
    "{ print $1; n++ } END { print n }",
    "/x+/",
    "--recv-keys",
    "--decrypt",
    "https://dl.google.com/go/go1.23.4.linux-amd64.tar.gz",
    "https://download.redis.io/releases/redis-7.4.1.tar.gz",
    "-o",
    "b.txt",
    "/tmp/x",
    "/tmp/d/",
    "/etc/passwd",
    "*",
    "*.txt",
    "?",
    "[ab]*",
    ".",
    "..",
    "/",
    "-r",
    "-rf",
    "-p",
    "-n",
    "-e",
    "-f",
    "-x",
    "-s",
    "-l",
    "-a",
    "-y",
    "-q",
    "-c",
    "--no-cache-dir",
    "--no-install-recommends",
    "-R",
    "755",
    "u+x",
    "go-w",
    "root",
    "nobody:nogroup",
    "1000",
    "0",
    "1",
    "-1",
    "99999999999999999999",
    "''",
    "\"\"",
    "'a b'",
    "\"$x\"",
    "$x",
    "${x:-d}",
    "${x#*/}",
    "${x%%.*}",
    "${#x}",
    "$?",
    "$#",
    "$@",
    "\"$@\"",
    "$0",
    "$1",
    "$(echo hi)",
    "`echo hi`",
    "$((1+2*3))",
    "$((x/0))",
    "~",
    "~root",
    "s/a/b/g",
    "s/\\(a\\)/[\\1]/",
    "/a/d",
    "1,2p",
    "^a",
    "a.*",
    "[[:alpha:]]+",
    "{}",
    "\\;",
    "+",
    "curl",
    "flask",
    "express",
    "requirements.txt",
    "http://example.com/x.tgz",
    "x=1",
    "IFS=:",
    "-name",
    "-type",
    "f",
    "-delete",
    "-exec",
    "%s\\n",
    "%d",
    "%5.2s",
    "\\t",
    "-czf",
    "-xzf",
    "-C",
    "-o",
    "-O",
    "--",
    "-",
    "&",
    "\\\n",
];
const PROGS: &[&str] = &[
    "echo",
    "printf",
    "cat",
    "ls",
    "mkdir",
    "rm",
    "cp",
    "mv",
    "ln",
    "chmod",
    "chown",
    "touch",
    "sed",
    "grep",
    "tar",
    "gzip",
    "env",
    "tee",
    "wc",
    "head",
    "tail",
    "sort",
    "uniq",
    "cut",
    "tr",
    "find",
    "xargs",
    "sha256sum",
    "stat",
    "du",
    "seq",
    "test",
    "[",
    "apt-get",
    "dpkg",
    "apk",
    "pip",
    "npm",
    "python3",
    "useradd",
    "curl",
    "wget",
    "mktemp",
    "date",
    "cd",
    "export",
    "unset",
    "set",
    "shift",
    "read",
    "eval",
    "exit",
    "return",
    "true",
    "false",
    ":",
    "local",
    "trap",
    "command",
    "type",
    "umask",
    "sh -c",
    "nosuchcmd",
    "systemctl",
    "yes",
    "sleep",
    "break",
    "continue",
    ".",
    "exec",
];

/// The programs official images drive (make, awk's language, gpg, git, locale,
/// rustup, php...): the image has them and scripts call them, after `PROGS`.
const DRIVEN: &[&str] = &[
    "make",
    "awk",
    "gpg",
    "gpg1",
    "gpgconf",
    "git",
    "locale",
    "locale-gen",
    "localedef",
    "dpkg-buildflags",
    "dpkg-divert",
    "dpkg-query",
    "a2enmod",
    "mkcert",
    "scanelf",
    "ldd",
    "rustup-init",
    "rustc",
    "php",
    "pecl",
    "ruby",
];
const SEPS: &[&str] = &["; ", " && ", " || ", " | ", "\n", " & ", ";\n"];
const REDIRS: &[&str] = &[
    " > /tmp/o",
    " >> /tmp/o",
    " 2>&1",
    " 2>/dev/null",
    " < /app/a.txt",
    " &> /tmp/b",
    " >&2",
    " > /",
    " < /nope",
    " 3>&-",
    " <<EOF\nbody $x\nEOF\n",
    " <<-'E'\n\tq\n\tE\n",
];

/// A random command.
fn simple(rng: &mut Rng) -> String {
    // One pick over `PROGS` then `DRIVEN`, as if they were one list.
    let i = rng.below(PROGS.len() + DRIVEN.len());
    let mut s = PROGS
        .get(i)
        .unwrap_or_else(|| &DRIVEN[i - PROGS.len()])
        .to_string();
    for _ in 0..rng.below(5) {
        s.push(' ');
        s.push_str(rng.pick(WORDS));
    }
    if rng.below(4) == 0 {
        s.push_str(rng.pick(REDIRS));
    }
    s
}

/// A random list of commands and compound commands, `depth` levels deep at most.
fn list(rng: &mut Rng, depth: u32) -> String {
    let n = 1 + rng.below(3);
    let mut s = String::new();
    for i in 0..n {
        // After a heredoc the newline already separates commands.
        if i > 0 && !s.ends_with('\n') {
            s.push_str(rng.pick(SEPS));
        }
        let choice = if depth == 0 { 0 } else { rng.below(10) };
        let inner = |rng: &mut Rng| list(rng, depth - 1);
        match choice {
            1 => s.push_str(&format!(
                "if {}\nthen {}\nelse {}\nfi",
                inner(rng),
                inner(rng),
                inner(rng)
            )),
            2 => s.push_str(&format!(
                "for v in {} {}\ndo {}\ndone",
                rng.pick(WORDS),
                rng.pick(WORDS),
                inner(rng)
            )),
            3 => s.push_str(&format!("while {}\ndo {}\ndone", inner(rng), inner(rng))),
            4 => s.push_str(&format!(
                "case {} in {}) {}\n;; *) {}\n;; esac",
                rng.pick(WORDS),
                rng.pick(WORDS),
                inner(rng),
                inner(rng)
            )),
            5 => s.push_str(&format!("( {}\n)", inner(rng))),
            6 => s.push_str(&format!("{{ {}\n}}", inner(rng))),
            7 => s.push_str(&format!("f() {{ {}\n}}\nf {}", inner(rng), rng.pick(WORDS))),
            8 => s.push_str(&format!("x=$({}\n)", inner(rng))),
            _ => s.push_str(&simple(rng)),
        }
    }
    s
}

/// A random script: mostly grammatical, sometimes a token soup, sometimes with a
/// few bytes flipped, so both the interpreter and the parser's errors get exercised.
pub fn script(seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut s = match rng.below(8) {
        0 => {
            let mut soup = String::new();
            for _ in 0..rng.below(30) {
                let from = if rng.below(3) == 0 { SEPS } else { WORDS };
                soup.push_str(rng.pick(from));
                soup.push(' ');
            }
            soup
        }
        _ => list(&mut rng, 2),
    };
    if rng.below(5) == 0 && !s.is_empty() {
        let mut bytes = s.into_bytes();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(bytes.len());
            const SPECIAL: &[u8] = b"(){}'\"`$\\|&;<>\n#*";
            bytes[i] = SPECIAL[rng.below(SPECIAL.len())];
        }
        s = String::from_utf8_lossy(&bytes).into_owned();
    }
    s
}
