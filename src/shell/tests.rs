use super::*;
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta};

/// Programs a small Debian-like image ships in /bin and /usr/bin.
const DEBIAN_BIN: &[&str] = &[
    "cat", "echo", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "ln", "chmod", "chown", "chgrp",
    "touch", "sed", "grep", "tar", "gzip", "gunzip", "pwd", "true", "false", "sleep", "uname",
    "date", "hostname", "readlink", "mktemp", "df", "bash",
];
const DEBIAN_USR_BIN: &[&str] = &[
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
    "du",
    "nproc",
    "yes",
    "seq",
    "test",
    "[",
    "printf",
    "apt-get",
    "apt",
    "dpkg",
    "systemctl",
    "install",
];
const DEBIAN_SBIN: &[&str] = &["useradd", "groupadd", "userdel", "adduser", "addgroup"];

fn exe(fs: &mut Vfs, path: &str) {
    fs.write_file(
        path,
        Blob::from_bytes(format!("\x7fELF {path}")),
        Meta::new(0o755),
    )
    .unwrap();
}

/// A small Debian-like image: dash as /bin/sh, coreutils, apt, users root and nobody.
pub(crate) fn debian() -> Vfs {
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
        "/var/lib/apt/lists/partial",
        "/var/cache/apt/archives/partial",
        "/usr/share/doc",
    ] {
        fs.mkdir_all(d, Meta::new(0o755)).unwrap();
    }
    fs.mkdir_all("/tmp", Meta::new(0o1777)).unwrap();
    fs.chmod("/root", 0o700).unwrap();
    exe(&mut fs, "/bin/dash");
    fs.symlink("dash", "/bin/sh", Meta::new(0o777)).unwrap();
    for b in DEBIAN_BIN {
        exe(&mut fs, &format!("/bin/{b}"));
    }
    for b in DEBIAN_USR_BIN {
        exe(&mut fs, &format!("/usr/bin/{b}"));
    }
    for b in DEBIAN_SBIN {
        exe(&mut fs, &format!("/usr/sbin/{b}"));
    }
    let passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    let group = "root:x:0:\nnogroup:x:65534:\n";
    fs.write_file("/etc/passwd", Blob::from_bytes(passwd), Meta::new(0o644))
        .unwrap();
    fs.write_file("/etc/group", Blob::from_bytes(group), Meta::new(0o644))
        .unwrap();
    fs.write_file(
        "/etc/shadow",
        Blob::from_bytes("root:*:19000:0:99999:7:::\n"),
        Meta::new(0o640),
    )
    .unwrap();
    fs.write_file(
        "/var/lib/dpkg/status",
        Blob::from_bytes(""),
        Meta::new(0o644),
    )
    .unwrap();
    fs
}

/// A small Alpine-like image: busybox applets as symlinks, apk.
pub(crate) fn alpine() -> Vfs {
    let mut fs = Vfs::new();
    for d in [
        "/bin",
        "/sbin",
        "/usr/bin",
        "/etc/apk",
        "/lib/apk/db",
        "/var/cache/apk",
        "/root",
        "/tmp",
    ] {
        fs.mkdir_all(d, Meta::new(0o755)).unwrap();
    }
    exe(&mut fs, "/bin/busybox");
    for applet in [
        "sh", "ls", "cat", "echo", "mkdir", "rm", "grep", "sed", "adduser", "addgroup", "wget",
        "tar",
    ] {
        fs.symlink("/bin/busybox", &format!("/bin/{applet}"), Meta::new(0o777))
            .unwrap();
    }
    exe(&mut fs, "/sbin/apk");
    fs.write_file(
        "/etc/passwd",
        Blob::from_bytes("root:x:0:0:root:/root:/bin/sh\n"),
        Meta::new(0o644),
    )
    .unwrap();
    fs.write_file(
        "/etc/group",
        Blob::from_bytes("root:x:0:root\n"),
        Meta::new(0o644),
    )
    .unwrap();
    fs.write_file(
        "/lib/apk/db/installed",
        Blob::from_bytes(""),
        Meta::new(0o644),
    )
    .unwrap();
    fs
}

fn ctx() -> ShellContext {
    ShellContext {
        mtime: 1_700_000_000,
        ..ShellContext::default()
    }
}

fn sh(fs: &mut Vfs, script: &str) -> RunOutcome {
    run(fs, &Invocation::Script(script.to_string()), &ctx())
}

/// Runs `script` on a fresh Debian image and checks stdout, stderr and the status.
fn check(script: &str, stdout: &str, stderr: &str, code: i32) {
    let mut fs = debian();
    let out = sh(&mut fs, script);
    assert_eq!(
        (
            String::from_utf8_lossy(&out.stdout).as_ref(),
            String::from_utf8_lossy(&out.stderr).as_ref(),
            out.exit_code
        ),
        (stdout, stderr, code),
        "script: {script}"
    );
    assert_eq!(out.failure, None);
}

fn read(fs: &Vfs, path: &str) -> String {
    String::from_utf8_lossy(&fs.read_file(path).unwrap().bytes()).into_owned()
}

// ---- the shell language ----

#[test]
fn not_found_matches_dash() {
    check("foo", "", "/bin/sh: 1: foo: not found\n", 127);
    check(
        "echo a\nfoo bar",
        "a\n",
        "/bin/sh: 2: foo: not found\n",
        127,
    );
    check("sh -c foo", "", "sh: 1: foo: not found\n", 127);
}

#[test]
fn bash_as_shell_uses_bash_wording() {
    let mut fs = debian();
    let c = ShellContext {
        shell: vec!["/bin/bash".into(), "-c".into()],
        ..ctx()
    };
    let out = run(&mut fs, &Invocation::Script("foo".into()), &c);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/bin/bash: line 1: foo: command not found\n"
    );
    assert_eq!(out.exit_code, 127);
}

#[test]
fn alpine_sh_is_busybox_ash() {
    let mut fs = alpine();
    let out = sh(&mut fs, "pip install x");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/bin/sh: pip: not found\n"
    );
    assert_eq!(out.exit_code, 127);
    let out = sh(&mut fs, "echo -e 'a\\tb'");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a\tb\n");
}

#[test]
fn words_quotes_and_escapes() {
    check(
        r#"echo 'a  b' "c  d" e\ f \"g\" 'it'\''s'"#,
        "a  b c  d e f \"g\" it's\n",
        "",
        0,
    );
    check(
        r#"x='1  2'; printf '%s|' $x "$x" '$x' "\$x" "a\b""#,
        "1|2|1  2|$x|$x|a\\b|",
        "",
        0,
    );
    check("echo a\\\nb", "ab\n", "", 0);
    check("echo ''; echo \"\" x", "\n x\n", "", 0);
}

#[test]
fn dash_echo_interprets_escapes_and_has_no_dash_e() {
    check(
        r"echo -e 'a\nb'; echo -n x; echo 'c\tc'",
        "-e a\nb\nxc\tc\n",
        "",
        0,
    );
}

#[test]
fn parameters_and_special_variables() {
    check(
        "set -- a 'b c' d; echo $# $1 \"$2\"; for a in \"$@\"; do echo \"[$a]\"; done",
        "3 a b c\n[a]\n[b c]\n[d]\n",
        "",
        0,
    );
    check("false; echo $?; true; echo $?", "1\n0\n", "", 0);
    check(
        "echo ${u:-def} ${u-x} ${e:=set} $e ${e:+alt} ${#e}",
        "def x set set alt 3\n",
        "",
        0,
    );
    check(
        "p=/a/b/c.tar.gz; echo ${p##*/} ${p#*/} ${p%.*} ${p%%.*}",
        "c.tar.gz a/b/c.tar.gz /a/b/c.tar /a/b/c\n",
        "",
        0,
    );
    check(
        "echo ${nope:?custom message}; echo after",
        "",
        "/bin/sh: 1: nope: custom message\n",
        2,
    );
    check("echo $0", "/bin/sh\n", "", 0);
}

#[test]
fn bad_substitution_is_a_syntax_error() {
    check("echo ${x/a/b}", "", "/bin/sh: 1: Bad substitution\n", 2);
}

#[test]
fn export_reaches_children_and_env() {
    check("X=1; export Y=2; sh -c 'echo [$X][$Y]'", "[][2]\n", "", 0);
    check("Z=3 sh -c 'echo $Z'; echo [$Z]", "3\n[]\n", "", 0);
}

#[test]
fn and_or_not_and_lists() {
    check(
        "true && echo a || echo b; false && echo c || echo d; ! false && echo e",
        "a\nd\ne\n",
        "",
        0,
    );
    check("false; echo $?; ! true; echo $?", "1\n1\n", "", 0);
}

#[test]
fn set_e_stops_at_first_failure() {
    check("set -e; false; echo x", "", "", 1);
    check(
        "set -e; false || true; if false; then :; fi; false && true; ! true; echo still",
        "still\n",
        "",
        0,
    );
    check("set -e; (false); echo no", "", "", 1);
    check(
        "set -e\nfoo\necho no",
        "",
        "/bin/sh: 2: foo: not found\n",
        127,
    );
}

#[test]
fn set_x_traces_and_set_u_fails() {
    check("set -x; echo hi", "hi\n", "+ echo hi\n", 0);
    check(
        "set -u; echo $NOPE; echo after",
        "",
        "/bin/sh: 1: NOPE: parameter not set\n",
        2,
    );
}

#[test]
fn pipefail_changes_pipeline_status() {
    check("false | true; echo $?", "0\n", "", 0);
    check("set -o pipefail; false | true; echo $?", "1\n", "", 0);
}

#[test]
fn pipes_buffer_stdout_into_stdin() {
    check("printf 'b\\na\\nc\\n' | sort | head -n 2", "a\nb\n", "", 0);
    check("echo hello | tr a-z A-Z | cat", "HELLO\n", "", 0);
    check("x=1; echo 2 | x=3; echo $x", "1\n", "", 0);
}

#[test]
fn redirections() {
    let mut fs = debian();
    let out = sh(&mut fs, "echo a > /tmp/f; echo b >> /tmp/f; cat < /tmp/f; ls /nope 2>/dev/null; echo $?; cat /nope 2>&1 | wc -l; echo gone >/dev/null; echo both &> /tmp/g");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a\nb\n2\n1\n");
    assert_eq!(out.stderr, b"");
    assert_eq!(read(&fs, "/tmp/f"), "a\nb\n");
    assert_eq!(read(&fs, "/tmp/g"), "both\n");
    let st = fs.stat("/tmp/f").unwrap();
    assert_eq!((st.meta.mode, st.meta.mtime), (0o644, 1_700_000_000));
    check(
        "echo x > /",
        "",
        "/bin/sh: 1: cannot create /: Is a directory\n",
        2,
    );
    check(
        "cat < /nope; echo $?",
        "2\n",
        "/bin/sh: 1: cannot open /nope: No such file\n",
        0,
    );
    check(
        "echo x > /no/dir/f",
        "",
        "/bin/sh: 1: cannot create /no/dir/f: Directory nonexistent\n",
        2,
    );
    check(
        "{ echo out; echo err >&2; } 2>&1 >/dev/null",
        "err\n",
        "",
        0,
    );
}

#[test]
fn heredocs() {
    let mut fs = debian();
    let script = "NAME=world\ncat <<EOF > /etc/greeting\nhello $NAME\n  `echo sub`\nEOF\ncat <<'RAW'\n$NAME\nRAW\ncat <<-TABS\n\tindented\n\tTABS\necho done";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "$NAME\nindented\ndone\n"
    );
    assert_eq!(read(&fs, "/etc/greeting"), "hello world\n  sub\n");
}

#[test]
fn globs_over_the_filesystem() {
    let mut fs = debian();
    let out = sh(&mut fs, "mkdir /w && cd /w && touch b.txt a.txt c.md .h.txt && for f in *.txt; do echo $f; done; echo /w/*.md; echo nomatch*; echo '*.txt'; echo [ab].txt");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "a.txt\nb.txt\n/w/c.md\nnomatch*\n*.txt\na.txt b.txt\n"
    );
}

#[test]
fn cd_and_pwd() {
    check(
        "cd /tmp && pwd; cd ..; pwd; cd /nope; echo $?",
        "/tmp\n/\n2\n",
        "/bin/sh: 1: cd: can't cd to /nope\n",
        0,
    );
    check(
        "cd /tmp; sh -c pwd; (cd /; pwd); pwd",
        "/tmp\n/\n/tmp\n",
        "",
        0,
    );
}

#[test]
fn if_elif_else() {
    check(
        "if false; then echo 1; elif true; then echo 2; else echo 3; fi",
        "2\n",
        "",
        0,
    );
    check(
        "if [ -d /tmp ]; then echo dir; fi; if test -f /tmp; then echo f; else echo nf; fi",
        "dir\nnf\n",
        "",
        0,
    );
}

#[test]
fn loops_break_and_continue() {
    check(
        "for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done",
        "1\n3\n",
        "",
        0,
    );
    check(
        "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done",
        "1\n2\n3\n",
        "",
        0,
    );
    check(
        "i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i",
        "2\n",
        "",
        0,
    );
    check(
        "for i in a b; do for j in 1 2; do [ $j = 2 ] && break 2; echo $i$j; done; done",
        "a1\n",
        "",
        0,
    );
}

#[test]
fn case_patterns() {
    check("for x in foo.tar.gz bar.zip baz; do case $x in *.tar.gz|*.tgz) echo tar;; *.zip) echo zip;; *) echo other;; esac; done", "tar\nzip\nother\n", "", 0);
    check(
        "case amd64 in (arm*) echo arm ;; amd64) echo x86 ;; esac",
        "x86\n",
        "",
        0,
    );
}

#[test]
fn subshells_brace_groups_and_functions() {
    check(
        "x=1; (x=2; echo $x); echo $x; { x=3; echo $x; }; echo $x",
        "2\n1\n3\n3\n",
        "",
        0,
    );
    check(
        "greet() { echo \"hi $1\"; return 3; }; greet you; echo $?",
        "hi you\n3\n",
        "",
        0,
    );
    check(
        "f() { local v=in; echo $v; }; v=out; f; echo $v",
        "in\nout\n",
        "",
        0,
    );
    check("exit 3; echo no", "", "", 3);
    check("(exit 4); echo $?", "4\n", "", 0);
    check("exit 300", "", "", 44);
}

#[test]
fn command_substitution_and_arithmetic() {
    check(
        "echo \"$(echo a; echo b)\" `echo c` $(( (1+2)*3 % 5 )) $((1<<4)) $((7/2))",
        "a\nb c 4 16 3\n",
        "",
        0,
    );
    check(
        "x=5; echo $((x*2)) $((x > 3 ? 1 : 0)) $((y+1))",
        "10 1 1\n",
        "",
        0,
    );
    check("x=$(false); echo $?", "1\n", "", 0);
    check(
        "echo $((1/0))",
        "",
        "/bin/sh: 1: arithmetic expression: division by zero: \"1/0\"\n",
        2,
    );
}

#[test]
fn shift_read_and_colon() {
    check(
        "set -- a b c; shift; echo $*; shift 2; echo $#",
        "b c\n0\n",
        "",
        0,
    );
    check(
        "shift 5",
        "",
        "/bin/sh: 1: shift: can't shift that many\n",
        2,
    );
    check("echo 'x y z' | { read a b; echo $b; }", "y z\n", "", 0);
    check(
        "printf 'l1\\nl2\\n' | while read line; do echo [$line]; done",
        "[l1]\n[l2]\n",
        "",
        0,
    );
    check(": ignored args; echo $?", "0\n", "", 0);
}

#[test]
fn test_and_bracket() {
    check(
        "[ 1 -eq 1 ] && [ abc = abc ] && [ -n x ] && [ -z '' ] && [ ! -e /nope ] && echo ok",
        "ok\n",
        "",
        0,
    );
    check("[ 1 -eq a ]", "", "/bin/sh: 1: [: Illegal number: a\n", 2);
    check("[ 1 = 1", "", "/bin/sh: 1: [: missing ]\n", 2);
    check(
        "[ -e /tmp -a -d /tmp ] && [ x = y -o 1 = 1 ] && echo y",
        "y\n",
        "",
        0,
    );
}

#[test]
fn syntax_errors_match_dash() {
    check(
        "if true; then echo",
        "",
        "/bin/sh: 1: Syntax error: end of file unexpected (expecting \"fi\")\n",
        2,
    );
    check("fi", "", "/bin/sh: 1: Syntax error: \"fi\" unexpected\n", 2);
    check(
        "echo \"a",
        "",
        "/bin/sh: 1: Syntax error: Unterminated quoted string\n",
        2,
    );
    check(
        "echo a; echo (",
        "",
        "/bin/sh: 1: Syntax error: end of file unexpected (expecting \")\")\n",
        2,
    );
    check(
        "f ( x",
        "",
        "/bin/sh: 1: Syntax error: word unexpected (expecting \")\")\n",
        2,
    );
    check(
        "echo )",
        "",
        "/bin/sh: 1: Syntax error: \")\" unexpected\n",
        2,
    );
}

#[test]
fn endless_loop_ends_with_the_budget_error() {
    let mut fs = debian();
    let c = ShellContext {
        budget: Budget {
            max_steps: 10_000,
            max_output_bytes: 1 << 20,
        },
        ..ctx()
    };
    let out = run(
        &mut fs,
        &Invocation::Script("while true; do :; done".into()),
        &c,
    );
    assert_eq!(
        out.failure.as_deref(),
        Some("shell budget exceeded: the command ran more than 10000 steps; is there an endless loop?")
    );
    let out = run(&mut fs, &Invocation::Script("yes > /dev/null".into()), &c);
    assert_eq!(
        out.failure.as_deref(),
        Some("shell budget exceeded: the command wrote more than 1048576 bytes of output; is there an endless loop?")
    );
    let out = run(&mut fs, &Invocation::Script("f() { f; }; f".into()), &c);
    assert!(out
        .failure
        .unwrap()
        .starts_with("shell budget exceeded: functions nested more than 200 deep"));
    let out = run(&mut fs, &Invocation::Script("yes | head -n 2".into()), &c);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "y\ny\n");
}

#[test]
fn exec_form_runs_without_a_shell() {
    let mut fs = debian();
    let out = run(
        &mut fs,
        &Invocation::Exec(vec!["echo".into(), "$HOME".into()]),
        &ctx(),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "$HOME\n");
    let out = run(&mut fs, &Invocation::Exec(vec!["nope".into()]), &ctx());
    assert_eq!(out.exit_code, 127);
    assert_eq!(
        out.failure.as_deref(),
        Some(
            "unable to start container process: exec: \"nope\": executable file not found in $PATH"
        )
    );
    let mut empty = Vfs::new();
    let out = sh(&mut empty, "true");
    assert_eq!(
        out.failure.as_deref(),
        Some("unable to start container process: exec: \"/bin/sh\": stat /bin/sh: no such file or directory")
    );
}

#[test]
fn programs_need_their_file_and_unmodelled_ones_are_noticed() {
    let mut fs = debian();
    let out = sh(&mut fs, "systemctl enable nginx");
    assert_eq!(out.exit_code, 0);
    assert_eq!(out.notices.len(), 1);
    assert_eq!(out.notices[0].kind, NoticeKind::NotSimulated);
    assert_eq!(out.notices[0].message, "`systemctl` exists in the image (/usr/bin/systemctl) but layerlab does not model it; treated as success");
    fs.remove_file("/bin/cat").unwrap();
    let out = sh(&mut fs, "cat /etc/passwd");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/bin/sh: 1: cat: not found\n"
    );
    let out = sh(&mut fs, "echo builtin");
    assert_eq!(out.stdout, b"builtin\n");
}

#[test]
fn scripts_with_a_shebang_run() {
    let mut fs = debian();
    fs.write_file(
        "/usr/local/bin/hello",
        Blob::from_bytes("#!/bin/sh\necho \"hello $1\"\nexit 5\n"),
        Meta::new(0o755),
    )
    .unwrap();
    let out = sh(&mut fs, "hello you; echo $?");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello you\n5\n");
    fs.write_file(
        "/x.sh",
        Blob::from_bytes("echo no exec bit"),
        Meta::new(0o644),
    )
    .unwrap();
    let out = sh(&mut fs, "/x.sh; sh /x.sh");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/bin/sh: 1: /x.sh: Permission denied\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "no exec bit\n");
}

#[test]
fn trap_exit_runs_at_the_end() {
    check("trap 'echo bye' EXIT; echo hi", "hi\nbye\n", "", 0);
}

#[test]
fn same_script_same_filesystem() {
    let script = "mkdir -p /app/a && cd /app && echo x > a/f && cp -r a b && ln -s b c && chmod 700 b && tar -czf /t.tgz a";
    let mut one = debian();
    let mut two = debian();
    sh(&mut one, script);
    sh(&mut two, script);
    assert_eq!(one.listing(), two.listing());
    assert!(one.listing().iter().any(|l| l.starts_with("t.tgz f")));
}

#[test]
fn symlink_kind_is_created_by_ln() {
    let mut fs = debian();
    sh(&mut fs, "ln -s /etc/passwd /p");
    assert_eq!(
        fs.lstat("/p").unwrap().kind,
        Kind::Symlink("/etc/passwd".into())
    );
}
