use super::*;
use crate::vfs::blob::Blob;
use crate::vfs::{Kind, Meta};

/// Programs a small Debian-like image ships in /bin and /usr/bin.
const DEBIAN_BIN: &[&str] = &[
    "cat", "echo", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "ln", "chmod", "chown", "chgrp",
    "touch", "sed", "grep", "tar", "gzip", "gunzip", "pwd", "true", "false", "sleep", "uname",
    "date", "hostname", "readlink", "mktemp", "df", "bash", "wget",
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
    "awk",
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
    "dpkg-architecture",
    "apt",
    "dpkg",
    "systemctl",
    "install",
];
const DEBIAN_SBIN: &[&str] = &[
    "useradd", "groupadd", "userdel", "usermod", "adduser", "addgroup",
];

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
        "tar", "wc", "head",
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
    let out = run(
        &mut fs,
        &Invocation::Script("x=1; while :; do x=$x$x; done".into()),
        &c,
    );
    assert_eq!(
        out.failure.as_deref(),
        Some("shell budget exceeded: the command's words expanded to more than 4194304 bytes; is there a runaway loop?")
    );
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
    assert!(!out.not_started);
    let out = run(&mut fs, &Invocation::Exec(vec!["nope".into()]), &ctx());
    assert_eq!(out.exit_code, 127);
    assert!(out.not_started);
    assert_eq!(
        out.failure.as_deref(),
        Some(
            "unable to start container process: exec: \"nope\": executable file not found in $PATH"
        )
    );
    let mut empty = Vfs::new();
    let out = sh(&mut empty, "true");
    assert!(out.not_started);
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

// ---- programs ----

/// Runs each script on a fresh Debian image and checks its stdout and status.
fn table(cases: &[(&str, &str, i32)]) {
    for (script, stdout, code) in cases {
        let mut fs = debian();
        let out = sh(&mut fs, script);
        assert_eq!(
            (String::from_utf8_lossy(&out.stdout).as_ref(), out.exit_code),
            (*stdout, *code),
            "script: {script}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn text_programs() {
    table(&[
        ("printf '%s-%d|%5s|%-3s|%03d|%x|%%|%b\\n' a 42 r l 7 255 'x\\ty'", "a-42|    r|l  |007|ff|%|x\ty\n", 0),
        ("printf '%s\\n' a b c", "a\nb\nc\n", 0),
        ("printf 'a\\nb\\nc\\n' > /f; cat -n /f", "     1\ta\n     2\tb\n     3\tc\n", 0),
        ("printf 'a b\\nc\\n' | wc -l; printf 'a b\\nc\\n' | wc -w; printf 'abc' | wc -c", "2\n3\n3\n", 0),
        ("seq 5 | head -n 2; seq 5 | tail -n 2; seq 5 | tail -n +4; seq 5 | head -3", "1\n2\n4\n5\n4\n5\n1\n2\n3\n", 0),
        ("printf 'b\\na\\nb\\n10\\n9\\n' | sort -u; printf '10\\n9\\n' | sort -n; printf 'a\\nb\\n' | sort -r", "10\n9\na\nb\n9\n10\nb\na\n", 0),
        ("printf 'a\\na\\nb\\n' | uniq -c", "      2 a\n      1 b\n", 0),
        ("echo 'root:x:0:0' | cut -d: -f1,3; echo hello | cut -c2-4", "root:0\nell\n", 0),
        ("echo hello | tr a-z A-Z; echo 'a  b' | tr -s ' '; echo abc | tr -d b", "HELLO\na b\nac\n", 0),
        ("printf 'one\\ntwo\\nthree\\n' > /f; grep -n t /f; grep -c o /f; grep -v o /f; grep -q zz /f; echo $?", "2:two\n3:three\n2\nthree\n1\n", 0),
        ("echo Hello | grep -i hello; echo 'ab12' | grep -E '[0-9]{2}'; echo 'a.b' | grep -F '.'; echo x | grep -o x", "Hello\nab12\na.b\nx\n", 0),
        ("seq 1 10 > /n; grep -A 1 -e 2 -e 3 /n; grep -B1 -n 7 /n; grep -C 1 -e 1 -e 5 /n", "2\n3\n4\n6-6\n7:7\n1\n2\n--\n4\n5\n6\n--\n9\n10\n", 0),
        ("seq 1 6 > /n; cp /n /m; grep -A1 -m 2 '[246]' /n /m; grep -A x 1 /n; echo $?", "/n:2\n/n-3\n/n:4\n/n-5\n--\n/m:2\n/m-3\n/m:4\n/m-5\n2\n", 0),
        ("grep x /nope; echo $?", "2\n", 0),
        ("echo 'hello world' | sed 's/o/0/g'; echo abc | sed -e 's/\\(b\\)/[\\1]/' -e 's/a/A/'; echo 'a-b' | sed -E 's/(a)-(b)/\\2\\1/'", "hell0 w0rld\nA[b]c\nba\n", 0),
        ("printf '1\\n2\\n3\\n' | sed -n '2p'; printf '1\\n2\\n3\\n' | sed '1d'; printf 'a\\nb\\n' | sed '$d'; printf 'x\\ny\\n' | sed '/x/a\\\nadded'", "2\n2\n3\na\nx\nadded\ny\n", 0),
        ("echo 'k=v' > /c; sed -i 's/v/w/' /c; cat /c; sed -i.bak 's/w/z/' /c; cat /c /c.bak", "k=w\nk=z\nk=w\n", 0),
        ("echo hi | tee /t1 /t2 >/dev/null; cat /t1 /t2; echo more | tee -a /t1 >/dev/null; cat /t1", "hi\nhi\nhi\nmore\n", 0),
        ("yes | head -n 3; yes no | head -n 1", "y\ny\ny\nno\n", 0),
        ("seq 3; seq 2 4; seq 10 -5 1", "1\n2\n3\n2\n3\n4\n10\n5\n", 0),
        ("echo amd64-x | awk -F- '{ print $NF }'; printf 'a b c\nd e f\n' | awk '{print $1, $(NF-1)}'; printf 'x\ny\n' | awk '/y/'; echo q | awk 'BEGIN{x=1}'", "x\na b\nd e\ny\n", 0),
        ("echo a | xargs -n", "a\n", 0),
        ("echo a b c | xargs -n 1 echo; printf '1\\n2\\n' | xargs -I{} echo item {}", "a\nb\nc\nitem 1\nitem 2\n", 0),
    ]);
}

#[test]
fn file_programs() {
    table(&[
        ("mkdir /a; mkdir /a; echo $?", "1\n", 0),
        ("mkdir -p /a/b/c && mkdir -p /a/b && [ -d /a/b/c ] && echo ok", "ok\n", 0),
        ("mkdir -m 700 /m && stat -c '%a %U' /m", "700 root\n", 0),
        ("touch /f && stat -c '%s %a %Y' /f && touch -d @5 /f && stat -c %Y /f", "0 644 1700000000\n5\n", 0),
        ("rm /nope; echo $?; rm -f /nope; echo $?; mkdir /d; rm /d; echo $?; rm -r /d; [ -e /d ] || echo gone", "1\n0\n1\ngone\n", 0),
        ("rm -rf /; echo $?", "1\n", 0),
        ("mkdir -p /v/a/b && touch /v/a/b/f /v/g /h && rm -v /h && rm -rv /v/ && rm -fv /nope", "removed '/h'\nremoved '/v/a/b/f'\nremoved directory '/v/a/b'\nremoved directory '/v/a'\nremoved '/v/g'\nremoved directory '/v'\n", 0),
        ("mkdir -p /w/d && cd /w && rm -rv d; rm -v d; echo $?", "removed directory 'd'\n1\n", 0),
        ("mkdir /d && touch /d/f && rmdir /d; echo $?; rm /d/f && rmdir /d && echo ok", "1\nok\n", 0),
        ("echo x > /s && cp /s /t && cat /t && mkdir /dd && cp /s /t /dd && ls /dd", "x\ns\nt\n", 0),
        ("mkdir -p /src/sub && echo y > /src/sub/f && cp /src /dst; echo $?; cp -r /src /dst && cat /dst/sub/f", "1\ny\n", 0),
        ("mkdir -p /w/d && cd /w && cp -a . sub; echo $?; cp -r /w/d /w/d/e; echo $?; ls /w", "1\n1\nd\n", 0),
        ("echo x > /s && chmod 600 /s && chown nobody /s && cp -a /s /a && cp /s /b && stat -c '%a %U' /a /b", "600 nobody\n600 root\n", 0),
        ("echo x > /s && mv /s /t && cat /t && mkdir /d && mv /t /d && ls /d && mv /nope /x; echo $?", "x\nt\n1\n", 0),
        ("ln -s /etc/passwd /p && readlink /p && ln -s /etc/group /p; echo $?; ln -sf /etc/group /p && readlink /p", "/etc/passwd\n1\n/etc/group\n", 0),
        ("mkdir /d && ln -s /etc /d/e && ln -sfn /tmp /d/e && readlink /d/e", "/tmp\n", 0),
        ("echo x > /h && ln /h /h2 && echo y > /h && cat /h2 && stat -c %h /h", "y\n2\n", 0),
        ("touch /f && chmod 755 /f && stat -c %a /f && chmod u-x,g=r,o= /f && stat -c %a /f && chmod +x /f && stat -c %a /f", "755\n640\n751\n", 0),
        ("mkdir -p /r/s && touch /r/s/f && chmod -R go-rwx /r && stat -c %a /r /r/s /r/s/f", "700\n700\n600\n", 0),
        ("touch /f && chown 1000:1000 /f && stat -c '%u:%g' /f && chown nobody:nogroup /f && stat -c '%U:%G' /f && chgrp root /f && stat -c %G /f", "1000:1000\nnobody:nogroup\nroot\n", 0),
        ("touch /f && chown ghost /f; echo $?", "1\n", 0),
        ("mkdir -p /d/s && touch /d/s/f && chown -R nobody /d && stat -c %U /d/s/f", "nobody\n", 0),
        ("mkdir /l && touch /l/b /l/a /l/.h && ls /l && ls -a /l && ls -A /l", "a\nb\n.\n..\n.h\na\nb\n.h\na\nb\n", 0),
        ("mkdir /l && echo hello > /l/f && ln -s f /l/g && ls -l /l", "total 4\n-rw-r--r-- 1 root root 6 Nov 14 22:13 f\nlrwxrwxrwx 1 root root 1 Nov 14 22:13 g -> f\n", 0),
        ("ls /nope; echo $?", "2\n", 0),
        ("ln -s /etc/passwd /p && readlink -f /p && realpath /etc/../etc/passwd && realpath /nope /no/pe; echo $?", "/etc/passwd\n/etc/passwd\n/nope\n1\n", 0),
        ("mkdir -p /d/s && printf '%5000s' x > /d/s/f && du -s /d && du -sh /d", "12\t/d\n12K\t/d\n", 0),
        ("mktemp; mktemp -d; mktemp /tmp/x.XXXX", "/tmp/tmp.a9eN8YHOaC\n/tmp/tmp.JGRkY8M5IG\n/tmp/x.jhNf\n", 0),
        ("echo x > /s && install -m 755 /s /usr/local/bin/s && stat -c %a /usr/local/bin/s && install -d -m 700 /q/r && stat -c %a /q/r", "755\n700\n", 0),
        ("basename /a/b.txt .txt; basename /a/b/; dirname /a/b; dirname a; dirname /", "b\nb\n/a\n.\n/\n", 0),
        ("mkdir -p /f/a/b && touch /f/a/x.py /f/a/b/y.py /f/a/b/z.txt && cd /f && find . -name '*.py' | sort", "./a/b/y.py\n./a/x.py\n", 0),
        ("mkdir -p /f/a && touch /f/a/x && find /f -type d; find /f -maxdepth 1 -type f; echo end", "/f\n/f/a\nend\n", 0),
        ("mkdir -p /f/c && touch /f/c/a.pyc /f/c/b.py && find /f -name '*.pyc' -delete && ls /f/c", "b.py\n", 0),
        ("mkdir -p /f && touch /f/a /f/b && find /f -type f -exec echo got {} \\; && find /f -type f -exec echo all {} +", "got /f/a\ngot /f/b\nall /f/a /f/b\n", 0),
        ("mkdir -p /f && touch /f/a.txt /f/b.md && find /f ! -name '*.txt' -type f; find /f \\( -name '*.txt' -o -name '*.md' \\) | wc -l", "/f/b.md\n2\n", 0),
    ]);
}

#[test]
fn system_programs() {
    table(&[
        (
            "id; id -u; id -un; whoami",
            "uid=0(root) gid=0(root) groups=0(root)\n0\nroot\nroot\n",
            0,
        ),
        (
            "env | grep PATH",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
            0,
        ),
        (
            "env -i A=1 env; env FOO=bar sh -c 'echo $FOO'",
            "A=1\nbar\n",
            0,
        ),
        (
            "which ls sh; which nope; echo $?; command -v cd; command -v ls",
            "/bin/ls\n/bin/sh\n1\ncd\n/bin/ls\n",
            0,
        ),
        (
            "type cd; type ls; type nope",
            "cd is a shell builtin\nls is /bin/ls\nnope: not found\n",
            127,
        ),
        (
            "nproc; uname; uname -m; uname -r; hostname",
            "2\nLinux\nx86_64\n6.1.0-layerlab\nbuildkitsandbox\n",
            0,
        ),
        (
            "date; date -u +%Y-%m-%dT%H:%M:%SZ; date +%s",
            "Tue Nov 14 22:13:20 UTC 2023\n2023-11-14T22:13:20Z\n1700000000\n",
            0,
        ),
        (
            "sleep 1 && sleep 2m && echo done; sleep x; echo $?",
            "done\n1\n",
            0,
        ),
        ("pwd; cd /tmp; pwd; /bin/pwd", "/\n/tmp\n/tmp\n", 0),
        ("dpkg --print-architecture; dpkg-architecture --query DEB_BUILD_GNU_TYPE; dpkg-architecture -qDEB_HOST_MULTIARCH", "amd64\nx86_64-linux-gnu\nx86_64-linux-gnu\n", 0),
    ]);
}

#[test]
fn sleep_is_noticed_not_waited() {
    let mut fs = debian();
    let out = sh(&mut fs, "sleep 5");
    assert_eq!(
        out.notices[0].message,
        "simulated: sleep 5s returned at once; the run's clock does not advance"
    );
}

#[test]
fn archives_and_checksums() {
    table(&[
        ("mkdir -p /d/s && echo hi > /d/s/f && cd /d && tar -cf /a.tar s && mkdir /x && tar -xf /a.tar -C /x && cat /x/s/f && tar -tf /a.tar", "hi\ns/\ns/f\n", 0),
        ("mkdir -p /d/s && echo hi > /d/s/f && tar -czf /a.tgz -C /d s && mkdir /x && tar xzf /a.tgz -C /x --strip-components=1 && cat /x/f", "hi\n", 0),
        ("tar -xf /nope.tar; echo $?", "2\n", 0),
        ("mkdir -p /d/s && echo hi > /d/s/f && tar --create --gzip --file /a.tgz --directory /d s && mkdir /x && tar --extract --file /a.tgz --directory /x --strip-components 1 && cat /x/f", "hi\n", 0),
        ("echo data > /g && gzip /g && [ ! -e /g ] && gunzip /g.gz && cat /g && echo z | gzip | gunzip", "data\nz\n", 0),
        ("printf abc > /s && sha256sum /s && md5sum /s", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  /s\n900150983cd24fb0d6963f7d28e17f72  /s\n", 0),
        ("printf abc > /s && echo 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  /s' | sha256sum -c -", "/s: OK\n", 0),
        ("printf abc > /s && echo '0000  /s' | sha256sum -c; echo $?", "/s: FAILED\n1\n", 0),
    ]);
}

#[test]
fn tar_keeps_metadata_and_links() {
    let mut fs = debian();
    let out = sh(&mut fs, "mkdir -p /d && echo x > /d/f && chmod 640 /d/f && chown nobody /d/f && ln -s f /d/l && tar -cf /t.tar -C / d && rm -rf /d && tar -xf /t.tar -C / && stat -c '%a %U' /d/f && readlink /d/l");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "640 nobody\nf\n");
}

#[test]
fn downloads_are_placeholders() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/curl");
    let out = sh(&mut fs, "curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && cat /tmp/x.tgz && wget -q https://example.com/dir/tool.zip -P /opt && ls /opt && curl -fsSL https://get.example.com | sh && echo piped && tar -xzf /tmp/x.tgz -C /opt && echo extracted && echo 'abcd  /tmp/x.tgz' | sha256sum -c");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "# layerlab: simulated download of https://example.com/x.tgz\n# layerlab has no network; this file stands for the real one.\ntool.zip\npiped\nextracted\n/tmp/x.tgz: OK\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.notices.iter().all(|n| n.kind == NoticeKind::Simulated));
    assert!(out.notices.iter().any(|n| n
        .message
        .contains("a script piped into a shell does nothing")));
}

#[test]
fn known_downloads_unpack_a_simulated_release() {
    let mut fs = debian();
    let script = "set -e; wget -q -O go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz; \
        tar -tzf go.tgz | head -3; tar -C /usr/local -xzf go.tgz; rm go.tgz; \
        head -1 /usr/local/go/VERSION; test -x /usr/local/go/bin/go; stat -c %Y /usr/local/go; \
        wget -q -O x.tgz https://example.com/x-1.0.tar.gz; mkdir /x; tar -xzf x.tgz -C /x --strip-components=1; ls -A /x | wc -l";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "go/\ngo/CONTRIBUTING.md\ngo/LICENSE\ngo1.26.7\n1701388800\n0\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.exit_code, 0);
    // The tree has its runtime's plausible size, not a few bytes.
    let go = fs.stat("/usr/local/go/bin/go").unwrap();
    assert!(go.size() > 10_000_000);
    assert!(out.notices.iter().any(|n| n.kind == NoticeKind::Simulated
        && n.message.contains("simulated tree of Go 1.26.7 (amd64)")));
    assert!(out.notices.iter().any(|n| n
        .message
        .contains("simulated download, so extracting it produced no files")));
}

#[test]
fn make_runs_makefile_recipes() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    let makefile = "# a comment\nprefix ?= /usr/local\nNAME := hello\nSRCS = a.c b.c\nOBJS = $(SRCS:.c=.o)\nifeq ($(NAME),hello)\nGREETING = hi\nelse\nGREETING = bye\nendif\n\nall: $(NAME)\n\n$(NAME): $(OBJS)\n\t@echo link $@ from $^\n\tcat $^ > $@\n\n%.o: %.c\n\tsed 's/c/o/' $< > $@\n\n.PHONY: install fail\ninstall: all\n\tmkdir -p $(DESTDIR)$(prefix)/bin\n\tcp $(NAME) $(DESTDIR)$(prefix)/bin/$(NAME)\n\t@echo $(GREETING) $(words $(SRCS)) $(patsubst %.c,%,$(SRCS)) $(shell echo sub)\nfail:\n\t-false\n\texit 3\n";
    fs.mkdir_all("/src", Meta::new(0o755)).unwrap();
    for (path, text) in [
        ("/src/Makefile", makefile),
        ("/src/a.c", "ac\n"),
        ("/src/b.c", "bc\n"),
    ] {
        fs.write_file(path, Blob::from_bytes(text), Meta::new(0o644))
            .unwrap();
    }
    let out = sh(&mut fs, "make -C /src -j4 && make -C /src --no-print-directory install DESTDIR=/dest prefix=/opt && cat /dest/opt/bin/hello && cd /src && make hello");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "make: Entering directory '/src'\nsed 's/c/o/' a.c > a.o\nsed 's/c/o/' b.c > b.o\nlink hello from a.o b.o\ncat a.o b.o > hello\nmake: Leaving directory '/src'\n\
         mkdir -p /dest/opt/bin\ncp hello /dest/opt/bin/hello\nhi 2 a b sub\nao\nbo\nmake: 'hello' is up to date.\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sh(
        &mut fs,
        "cd /src; make fail; echo $?; make nothing; echo $?; cd /; make; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "false\nexit 3\n2\n2\n2\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "make: [Makefile:27: fail] Error 1 (ignored)\nmake: *** [Makefile:28: fail] Error 3\n\
         make: *** No rule to make target 'nothing'.  Stop.\n\
         make: *** No targets specified and no makefile found.  Stop.\n"
    );
}

/// GNU make's built-ins: `CC` is `cc` (`?=` keeps it, the environment's wins),
/// and a target with no recipe links its objects, each compiled by `%.o: %.c`.
#[test]
fn make_has_gnu_makes_built_in_variables_and_c_rules() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    // A stand-in compiler that writes the file after `-o` (`cc` itself is the
    // simulated gcc; `clang` runs this script).
    let cc =
        "#!/bin/sh\nwhile [ $# -gt 1 ]; do [ \"$1\" = -o ] && echo built > \"$2\"; shift; done\n";
    fs.mkdir_all("/src", Meta::new(0o755)).unwrap();
    for (path, text, mode) in [
        ("/usr/local/bin/cc", cc, 0o755),
        ("/usr/local/bin/clang", cc, 0o755),
        ("/src/Makefile", "CC ?= gcc\nCFLAGS = -O2\nhello: hello.o util.o\n\nclean:\n\t$(RM) hello *.o\n.PHONY: clean\n", 0o644),
        ("/src/hello.c", "int main(void) { return 0; }\n", 0o644),
        ("/src/util.c", "int util;\n", 0o644),
        ("/src/one.c", "int main(void) { return 0; }\n", 0o644),
    ] {
        fs.write_file(path, Blob::from_bytes(text), Meta::new(mode))
            .unwrap();
    }
    let out = sh(
        &mut fs,
        "cd /src && make && test -x hello && echo built && make clean && CC=clang make one && rm one && rm /usr/local/bin/cc && make; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "cc -O2   -c -o hello.o hello.c\ncc -O2   -c -o util.o util.c\ncc   hello.o util.o   -o hello\nbuilt\n\
         rm -f hello *.o\nclang -O2    one.c   -o one\ncc -O2   -c -o hello.o hello.c\n2\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/bin/sh: 1: cc: not found\nmake: *** [<builtin>: hello.o] Error 127\n"
    );
}

/// GNU envsubst: every `$NAME`/`${NAME}` of stdin (unset ones empty), or only
/// those its SHELL-FORMAT names; `-v` lists the names; `${NAME` is no reference.
#[test]
fn envsubst_replaces_environment_variables() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/envsubst");
    let out = sh(
        &mut fs,
        "export HOST=example.org PORT=80; H=local; printf '%s\\n' 'listen $PORT ${HOST} $H$uri ${PORT ${x}-$1 $' | envsubst; \
         printf '%s\\n' '$HOST:$PORT $uri' | envsubst '${HOST} $uri'; envsubst --variables '$A ${B} $A'; envsubst a b; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "listen 80 example.org  ${PORT -$1 $\nexample.org:$PORT \nA\nB\nA\n1\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "envsubst: too many arguments\n"
    );
}

/// `dpkg-reconfigure locales` runs locale-gen; `update-locale` refuses a locale
/// that is not generated; dpkg-reconfigure of a package not installed fails.
#[test]
fn dpkg_reconfigure_locales_and_update_locale() {
    let mut fs = debian();
    for p in ["/usr/sbin/dpkg-reconfigure", "/usr/sbin/update-locale"] {
        exe(&mut fs, p);
    }
    let out = sh(&mut fs, "update-locale LANG=de_DE.UTF-8; echo $?; dpkg-reconfigure -f noninteractive nosuch; echo $?");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n1\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "*** update-locale: Error: invalid locale settings:  LANG=de_DE.UTF-8\n/usr/sbin/dpkg-reconfigure: nosuch is not installed\n"
    );
}

#[test]
fn accounts() {
    let mut fs = debian();
    let out = sh(&mut fs, "groupadd -g 1500 app && useradd -m -u 1500 -g app -s /bin/bash app && id app && ls -ld /home/app | cut -d' ' -f1,3,4 && useradd app; echo $?; useradd -r svc && id svc");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "uid=1500(app) gid=1500(app) groups=1500(app)\ndrwxr-xr-x app app\n9\nuid=999(svc) gid=999(svc) groups=999(svc)\n"
    );
    assert!(read(&fs, "/etc/passwd")
        .ends_with("app:x:1500:1500::/home/app:/bin/bash\nsvc:x:999:999::/home/svc:/bin/sh\n"));
    assert!(read(&fs, "/etc/shadow").contains("app:!:19675:0:99999:7:::\n"));
    let out = sh(
        &mut fs,
        "adduser --disabled-password --gecos '' bob && id bob && usermod -aG app bob && id -Gn bob",
    );
    // adduser takes the lowest free id (useradd counts on from the highest) and
    // says what it does, in bookworm's adduser wording.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Adding user `bob' ...\n\
         Adding new group `bob' (1000) ...\n\
         Adding new user `bob' (1000) with group `bob (1000)' ...\n\
         Creating home directory `/home/bob' ...\n\
         Copying files from `/etc/skel' ...\n\
         uid=1000(bob) gid=1000(bob) groups=1000(bob)\nbob app\n"
    );
    let mut a = alpine();
    let out = sh(
        &mut a,
        "addgroup -S grp && adduser -S -D -H -G grp usr && grep usr /etc/passwd",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "usr:x:100:100:Linux User,,,:/home/usr:/bin/false\n"
    );
}

/// Debian's adduser in each wording the catalog's images have (3.118, 3.134,
/// 3.152): `/nonexistent` is never created from 3.130 on, a system account
/// without a group of its own joins nogroup, and `--quiet` silences it all.
#[test]
fn debian_adduser_reports_in_its_version_s_words() {
    let script = "adduser --system --no-create-home svc && adduser --home /nonexistent --disabled-password --gecos '' --uid 10001 app && addgroup --system grp && adduser -q --system quiet && grep -E '^(svc|app):' /etc/passwd && ls -d /nonexistent";
    let with_version = |version: &str| {
        let mut fs = debian();
        let mut status = String::from_utf8_lossy(
            &fs.read_file("/var/lib/dpkg/status")
                .map(|b| b.bytes().to_vec())
                .unwrap_or_default(),
        )
        .into_owned();
        if !status.is_empty() {
            status.push('\n');
        }
        status.push_str(&format!(
            "Package: adduser\nStatus: install ok installed\nVersion: {version}\n"
        ));
        fs.write_file(
            "/var/lib/dpkg/status",
            Blob::from_bytes(status.into_bytes()),
            Meta::new(0o644),
        )
        .unwrap();
        let out = sh(&mut fs, script);
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    assert_eq!(
        with_version("3.134"),
        "Adding system user `svc' (UID 100) ...\n\
         Adding new user `svc' (UID 100) with group `nogroup' ...\n\
         Not creating `/nonexistent'.\n\
         Adding user `app' ...\n\
         Adding new group `app' (10001) ...\n\
         Adding new user `app' (10001) with group `app (10001)' ...\n\
         Not creating `/nonexistent'.\n\
         Adding group `grp' (GID 100) ...\n\
         Done.\n\
         svc:x:100:65534::/nonexistent:/usr/sbin/nologin\n\
         app:x:10001:10001::/nonexistent:/bin/bash\n\
         ls: cannot access '/nonexistent': No such file or directory\n"
    );
    let old = with_version("3.118+deb11u1");
    assert!(
        old.contains("Not creating home directory `/nonexistent'.\nAdding user `app' ...")
            && old.contains("with group `app' ...\nCreating home directory `/nonexistent' ...")
            && old.ends_with("/nonexistent\n"),
        "{old}"
    );
    let leveled = with_version("3.152");
    assert!(
        leveled.starts_with("info: Adding system user `svc' (UID 100) ...\n")
            && leveled.contains("info: Done.\n"),
        "{leveled}"
    );
}

#[test]
fn busybox_applets_and_plain_busybox() {
    let mut fs = alpine();
    let out = sh(
        &mut fs,
        "ls /etc && busybox echo hi && cat /etc/passwd | grep root",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "apk\ngroup\npasswd\nhi\nroot:x:0:0:root:/root:/bin/sh\n"
    );
}

// ---- package managers ----

#[test]
fn apt_get_needs_update_then_installs_runnable_programs() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get install -y curl");
    assert_eq!(out.exit_code, 100);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "E: Unable to locate package curl\n"
    );
    let out = sh(&mut fs, "apt-get update && apt-get install -y --no-install-recommends curl && curl -s -o /page http://example.com && head -c 33 /page");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("# layerlab: simulated download of"));
    let status = read(&fs, "/var/lib/dpkg/status");
    assert!(status.contains("Package: curl\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 500\n"));
    assert!(status.contains("Package: libcurl4\n"));
    assert!(
        !status.contains("Package: ca-certificates\n"),
        "recommends skipped"
    );
    let list = read(&fs, "/var/lib/dpkg/info/curl.list");
    assert!(list.starts_with("/.\n/usr\n/usr/bin\n/usr/bin/curl\n"));
    assert!(fs.exists("/var/lib/dpkg/info/libcurl4:amd64.list"));
    let size: u64 = [
        "/usr/bin/curl",
        "/usr/share/doc/curl/copyright",
        "/usr/share/doc/curl/changelog.Debian.gz",
    ]
    .iter()
    .map(|p| fs.stat(p).unwrap().size())
    .sum();
    assert_eq!(size, 500 * 1024);
    assert!(fs.exists("/var/cache/apt/archives/curl_7.88.1-10+deb12u8_amd64.deb"));
    assert!(out.notices.iter().any(|n| n
        .message
        .starts_with("simulated: apt-get install downloaded nothing; 6 packages")));
    let out = sh(&mut fs, "apt-get clean && ls /var/cache/apt/archives && rm -rf /var/lib/apt/lists/* && ls /var/lib/apt/lists | wc -l");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "partial\n0\n");
}

#[test]
fn apt_installed_nginx_config_is_real_text_a_tutorial_can_edit() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq nginx >/dev/null \
         && echo \"daemon off;\" >> /etc/nginx/nginx.conf && tail -n 2 /etc/nginx/nginx.conf \
         && sed -i 's/listen 80 default_server/listen 8080 default_server/' /etc/nginx/sites-available/default \
         && grep -n 'default_server;' /etc/nginx/sites-enabled/default && nginx -t",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "#}\ndaemon off;\n19:\tlisten 8080 default_server;\n20:\tlisten [::]:80 default_server;\n\
         24:\t# listen 443 ssl default_server;\n25:\t# listen [::]:443 ssl default_server;\n"
    );
    let conf = read(&fs, "/etc/nginx/nginx.conf");
    assert!(conf.starts_with("user www-data;\nworker_processes auto;\n"));
    assert!(conf.contains("\tinclude /etc/nginx/sites-enabled/*;\n"));
    assert_eq!(
        fs.read_link("/etc/nginx/sites-enabled/default").unwrap(),
        "/etc/nginx/sites-available/default"
    );
}

#[test]
fn config_files_tutorials_edit_are_real_text() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq openssh-server supervisor redis-server >/dev/null \
         && sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config \
         && grep '^PermitRootLogin' /etc/ssh/sshd_config \
         && sed -i 's/^bind 127.0.0.1 -::1/bind 0.0.0.0/; s/^daemonize yes/daemonize no/' /etc/redis/redis.conf \
         && grep -E '^(bind|daemonize|port) ' /etc/redis/redis.conf \
         && tail -n 1 /etc/supervisor/supervisord.conf",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "PermitRootLogin yes\nbind 0.0.0.0\nport 6379\ndaemonize no\nfiles = /etc/supervisor/conf.d/*.conf\n"
    );
    let mut fs = alpine();
    let out = sh(
        &mut fs,
        "apk add --no-cache nginx >/dev/null && grep -n 'return 404;' /etc/nginx/http.d/default.conf \
         && grep -c '^user nginx;$' /etc/nginx/nginx.conf",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "10:\t\treturn 404;\n1\n"
    );
}

#[test]
fn filler_tells_text_files_from_binaries_by_path() {
    use crate::shell::packages::filler::is_text;
    for text in [
        "/etc/nginx/mime.types",
        "/etc/init.d/apache2",
        "/etc/ld.so.conf",
        "/usr/share/doc/curl/copyright",
        "/usr/lib/python3/dist-packages/pip/__init__.py",
        "/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt",
        "/var/www/html/index.nginx-debian.html",
    ] {
        assert!(is_text(text), "{text}");
    }
    for binary in [
        "/usr/bin/curl",
        "/etc/ld.so.cache",
        "/usr/share/doc/curl/changelog.Debian.gz",
        "/usr/lib/x86_64-linux-gnu/libssl.so.3",
        "/usr/lib/x86_64-linux-gnu/libssl.a",
        "/usr/share/zoneinfo/Europe/Paris",
    ] {
        assert!(!is_text(binary), "{binary}");
    }
}

#[test]
fn generated_package_files_are_text_where_the_real_ones_are() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq nginx curl >/dev/null \
         && head -n 1 /etc/nginx/mime.types && grep -c 'simulated text' /usr/share/doc/curl/copyright >/dev/null",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "# layerlab: simulated contents of /etc/nginx/mime.types (nginx-common 1.22.1-9+deb12u1)\n"
    );
    for path in [
        "/etc/nginx/mime.types",
        "/var/www/html/index.nginx-debian.html",
        "/usr/share/doc/curl/copyright",
    ] {
        let blob = fs.read_file(path).unwrap();
        let bytes = blob.bytes();
        assert_eq!(bytes.len() as u64, fs.stat(path).unwrap().size(), "{path}");
        assert!(bytes.len() > 1000, "{path} has a realistic size");
        let text = std::str::from_utf8(&bytes).expect(path);
        assert!(text.ends_with('\n') && !text.contains('\0'), "{path}");
    }
    for path in ["/usr/bin/curl", "/usr/share/doc/curl/changelog.Debian.gz"] {
        let blob = fs.read_file(path).unwrap();
        assert!(
            std::str::from_utf8(&blob.bytes()).is_err(),
            "{path} stays binary"
        );
    }
}

#[test]
fn apt_get_prompts_without_yes_and_rejects_unknown_names() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get update >/dev/null && apt-get install curl");
    assert_eq!(out.exit_code, 1);
    assert!(
        String::from_utf8_lossy(&out.stdout).ends_with("Do you want to continue? [Y/n] Abort.\n")
    );
    let out = sh(&mut fs, "apt-get install -y No_Such_Pkg curl");
    assert_eq!(
        (String::from_utf8_lossy(&out.stderr).as_ref(), out.exit_code),
        ("E: Unable to locate package No_Such_Pkg\n", 100)
    );
    let out = sh(&mut fs, "apt-get install -y python3-pip && pip --version && ls /usr/bin/pip3 && dpkg -s make | head -n 2");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .ends_with("/usr/bin/pip3\nPackage: make\nStatus: install ok installed\n"),
        "recommends pulled build-essential"
    );
}

#[test]
fn apt_get_remove_and_docker_clean() {
    let mut fs = debian();
    fs.mkdir_all("/etc/apt/apt.conf.d", Meta::new(0o755))
        .unwrap();
    fs.write_file(
        "/etc/apt/apt.conf.d/docker-clean",
        Blob::from_bytes("DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb\"; };\n"),
        Meta::new(0o644),
    )
    .unwrap();
    let out = sh(&mut fs, "apt-get update -qq && apt-get install -y -qq jq && jq --version; ls /var/cache/apt/archives; apt-get purge -y jq >/dev/null && [ ! -e /usr/bin/jq ] && dpkg -s jq");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "partial\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("package 'jq' is not installed"));
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::NotSimulated && n.program == "jq"));
}

#[test]
fn apk_add_with_and_without_cache() {
    let mut fs = alpine();
    let out = sh(&mut fs, "apk add --no-cache curl && ls /var/cache/apk | wc -l && curl --version >/dev/null && grep -c '^P:' /lib/apk/db/installed && cat /etc/apk/world");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).ends_with("OK: 2 MiB in 5 packages\n0\n5\ncurl\n"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let db = read(&fs, "/lib/apk/db/installed");
    assert!(db.contains("P:curl\nV:8.5.0-r0\nA:x86_64\n"));
    assert!(db.contains("\nF:usr/bin\nR:curl"));
    let out = sh(&mut fs, "apk add --virtual .build-deps make gcc >/dev/null && ls /var/cache/apk | wc -l && apk del .build-deps >/dev/null && [ ! -e /usr/bin/make ] && cat /etc/apk/world");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\ncurl\n");
    let out = sh(&mut fs, "apk add No/such");
    assert_eq!((String::from_utf8_lossy(&out.stderr).as_ref(), out.exit_code), ("ERROR: unable to select packages:\n  No/such (no such package):\n    required by: world[No/such]\n", 1));
}

#[test]
fn apt_get_installs_a_placeholder_for_a_name_the_archive_lacks() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get update -qq && apt-get install -y -qq re2c libc-dev && dpkg -s re2c && cat /usr/share/doc/re2c/copyright");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    // A notice says so (the build log prints it once, as `layerlab: ...`); apt
    // itself prints nothing of the kind.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Package: re2c\nStatus: install ok installed\n"));
    assert!(stdout.contains("\nVersion: 0~layerlab\nX-Layerlab: layerlab placeholder\n"));
    assert!(stdout.ends_with("re2c: layerlab placeholder. This package is not in layerlab's simulated archive; nothing real was installed.\n"));
    let kib: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Installed-Size: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!((16..96).contains(&kib), "{kib}");
    let changelog = fs
        .stat("/usr/share/doc/re2c/changelog.Debian.gz")
        .unwrap()
        .size();
    let copyright = fs.stat("/usr/share/doc/re2c/copyright").unwrap().size();
    assert_eq!(changelog + copyright, kib * 1024);
    assert!(out.notices.iter().any(|n| n.kind == NoticeKind::NotSimulated
        && n.program == "apt-get"
        && n.message == "re2c is not in the simulated package archive; installed a placeholder (simulated)"));
    // The same name again is already installed: a no-op that prints no warning.
    let again = sh(&mut fs, "apt-get install -y re2c");
    assert_eq!(again.exit_code, 0);
    assert_eq!(String::from_utf8_lossy(&again.stderr), "");
    assert!(String::from_utf8_lossy(&again.stdout).contains(
        "re2c is already the newest version (0~layerlab).\n0 upgraded, 0 newly installed"
    ));
    // The same run on a fresh image is byte-identical (deterministic sizes).
    let mut other = debian();
    sh(
        &mut other,
        "apt-get update -qq && apt-get install -y -qq re2c libc-dev",
    );
    assert_eq!(
        read(&fs, "/var/lib/dpkg/status"),
        read(&other, "/var/lib/dpkg/status")
    );
}

#[test]
fn apt_get_purge_removes_a_placeholder() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get update -qq && apt-get install -y -qq gettext 2>/dev/null && apt-get purge -y gettext >/dev/null && [ ! -e /usr/share/doc/gettext ] && dpkg -s gettext");
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "dpkg-query: package 'gettext' is not installed and no information is available\n"
    );
    assert!(!read(&fs, "/var/lib/dpkg/status").contains("gettext"));
}

#[test]
fn apk_add_installs_a_placeholder_and_del_removes_it() {
    let mut fs = alpine();
    let out = sh(&mut fs, "apk add --no-cache tk >/dev/null && cat /usr/share/tk/README.layerlab && cat /etc/apk/world");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "tk: layerlab placeholder. This package is not in layerlab's simulated archive; nothing real was installed.\ntk\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(out.notices.iter().any(|n| {
        n.kind == NoticeKind::NotSimulated
            && n.program == "apk"
            && n.message
                == "tk is not in the simulated package archive; installed a placeholder (simulated)"
    }));
    let db = read(&fs, "/lib/apk/db/installed");
    assert!(db.contains("P:tk\nV:0-r0\nA:x86_64\n"));
    assert!(db.contains("\nT:layerlab placeholder: not in the simulated package archive\n"));
    assert!(db.contains("\nF:usr/share/tk\nR:README.layerlab"));
    let out = sh(
        &mut fs,
        "apk del tk && [ ! -e /usr/share/tk ] && grep -c '^P:tk$' /lib/apk/db/installed",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "(1/1) Purging tk\nOK: 0 packages\n0\n"
    );
    // Indexed packages own directories too, and gettext provides envsubst.
    let out = sh(
        &mut fs,
        "apk add --no-cache nginx gettext >/dev/null && ls -d /var/log/nginx /usr/bin/envsubst",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/usr/bin/envsubst\n/var/log/nginx\n"
    );
    // A repository tag selects only when /etc/apk/repositories defines it.
    let out = sh(&mut fs, "apk add mkcert@testing");
    assert_eq!(out.exit_code, 1);
    let out = sh(&mut fs, "echo '@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing' >> /etc/apk/repositories && apk add mkcert@testing >/dev/null && grep -c '^P:mkcert$' /lib/apk/db/installed");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
}

/// A python:3.12-like image on the Debian base.
fn python_image() -> Vfs {
    let mut fs = debian();
    exe(&mut fs, "/usr/local/bin/python3.12");
    fs.symlink("python3.12", "/usr/local/bin/python3", Meta::new(0o777))
        .unwrap();
    fs.symlink("python3", "/usr/local/bin/python", Meta::new(0o777))
        .unwrap();
    for p in ["pip", "pip3", "pip3.12"] {
        fs.write_file(
            &format!("/usr/local/bin/{p}"),
            Blob::from_bytes("#!/usr/local/bin/python3.12\nimport pip\n"),
            Meta::new(0o755),
        )
        .unwrap();
    }
    fs.mkdir_all("/usr/local/lib/python3.12/site-packages", Meta::new(0o755))
        .unwrap();
    fs
}

#[test]
fn pip_missing_is_not_found() {
    let mut fs = debian();
    let out = sh(&mut fs, "pip install -r requirements.txt");
    assert_eq!(
        (String::from_utf8_lossy(&out.stderr).as_ref(), out.exit_code),
        ("/bin/sh: 1: pip: not found\n", 127)
    );
}

#[test]
fn pip_installs_dist_info_record_and_cache() {
    let mut fs = python_image();
    fs.mkdir_all("/app", Meta::new(0o755)).unwrap();
    fs.write_file(
        "/app/requirements.txt",
        Blob::from_bytes("# web\nflask==3.0.0\nrequests>=2 ; python_version > '3'\nleftpad-xyz\n"),
        Meta::new(0o644),
    )
    .unwrap();
    let c = ShellContext {
        workdir: "/app".into(),
        ..ctx()
    };
    let out = run(
        &mut fs,
        &Invocation::Script("pip install -r requirements.txt".into()),
        &c,
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let site = "/usr/local/lib/python3.12/site-packages";
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("Successfully installed flask-3.0.0 requests-2.31.0 leftpad-xyz-"));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("WARNING: Running pip as the 'root' user")
    );
    assert_eq!(
        read(&fs, &format!("{site}/flask-3.0.0.dist-info/INSTALLER")),
        "pip\n"
    );
    let record = read(&fs, &format!("{site}/flask-3.0.0.dist-info/RECORD"));
    assert!(record.starts_with("flask/__init__.py,sha256="));
    assert!(record.contains("../../../bin/flask,sha256="));
    assert!(record.ends_with("flask-3.0.0.dist-info/RECORD,,\n"));
    assert!(
        fs.exists(&format!("{site}/werkzeug/__init__.py")),
        "dependencies installed"
    );
    assert!(fs.exists("/usr/local/bin/flask"));
    assert!(fs.exists("/root/.cache/pip/http-v2"));
    assert!(out
        .notices
        .iter()
        .any(|n| n.message.contains("leftpad-xyz==")
            && n.message.contains("generated from the name")));
    let mut fs2 = python_image();
    let out = sh(&mut fs2, "pip install --no-cache-dir --root-user-action=ignore requests && pip install requests | head -n 1");
    assert_eq!(out.stderr, b"");
    assert!(!fs2.exists("/root/.cache"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().last(),
        Some(format!("Requirement already satisfied: requests in {site} (2.31.0)").as_str())
    );
}

#[test]
fn pip_on_debian_python_is_externally_managed_and_venv_works() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get update >/dev/null && apt-get install -y --no-install-recommends python3-pip python3-venv >/dev/null && pip install flask");
    assert_eq!(out.exit_code, 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("error: externally-managed-environment\n")
    );
    let out = sh(&mut fs, "python3 -m venv /opt/venv && /opt/venv/bin/pip install -q flask && ls /opt/venv/lib/python3.11/site-packages | grep -c dist-info && cat /opt/venv/pyvenv.cfg | head -n 1");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "8\nhome = /usr/bin\n");
    assert_eq!(out.stderr, b"", "no root warning inside a venv");
}

#[test]
fn npm_installs_from_package_json() {
    let mut fs = debian();
    exe(&mut fs, "/usr/local/bin/node");
    exe(&mut fs, "/usr/local/bin/npm");
    fs.mkdir_all("/app", Meta::new(0o755)).unwrap();
    fs.write_file("/app/package.json", Blob::from_bytes(r#"{"name":"web","version":"1.0.0","dependencies":{"express":"^4.18.2"},"devDependencies":{"typescript":"~5.3.3"}}"#), Meta::new(0o644)).unwrap();
    let c = ShellContext {
        workdir: "/app".into(),
        ..ctx()
    };
    let out = run(
        &mut fs,
        &Invocation::Script("npm ci; npm install && npm install -g nodemon".into()),
        &c,
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("The `npm ci` command can only install with an existing package-lock.json"));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("added 16 packages, and audited 17 packages in 1s"));
    assert!(read(&fs, "/app/node_modules/express/package.json").contains("\"version\": \"4.18.2\""));
    assert_eq!(
        fs.read_link("/app/node_modules/.bin/tsc").unwrap(),
        "../typescript/bin/tsc.js"
    );
    assert!(read(&fs, "/app/package-lock.json").contains("\"node_modules/express\""));
    assert_eq!(
        fs.read_link("/usr/local/bin/nodemon").unwrap(),
        "../lib/node_modules/nodemon/bin/nodemon.js"
    );
    let out = run(&mut fs, &Invocation::Script("rm -rf node_modules && NODE_ENV=production npm ci && ls node_modules | grep -c typescript".into()), &c);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().last(),
        Some("0")
    );
}

#[test]
fn work_on_data_counts_against_the_budget() {
    let mut fs = debian();
    let c = ShellContext {
        budget: Budget {
            max_steps: 2_000,
            max_output_bytes: 1 << 20,
        },
        ..ctx()
    };
    // Each pass hashes and compresses 230 KB: without charging the work, 2,000
    // steps would take seconds. The budget must stop it after a few dozen passes.
    let script = "cd /tmp; seq 1 40000 > f; while true; do md5sum f; gzip -c f | wc -c; done";
    let out = run(&mut fs, &Invocation::Script(script.into()), &c);
    assert_eq!(
        out.failure.as_deref(),
        Some("shell budget exceeded: the command ran more than 2000 steps; is there an endless loop?")
    );
    // Thousands of arguments cost steps too.
    let out = run(
        &mut fs,
        &Invocation::Script("x=$(seq 1 50000); tee $x < /dev/null".into()),
        &c,
    );
    assert!(out.failure.is_some(), "{:?}", out.exit_code);
}

#[test]
fn useradd_and_groupadd_read_long_options() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home \
         --home /nonexistent --comment 'nginx user' --shell /bin/false --uid 101 nginx && id nginx",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "uid=101(nginx) gid=101(nginx) groups=101(nginx)\n"
    );
    assert!(
        read(&fs, "/etc/passwd").contains("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n")
    );
    let out = sh(
        &mut fs,
        "groupadd --gid=1000 node && useradd --uid=1000 --gid=node --create-home node",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs.stat("/home/node").is_ok_and(|s| s.is_dir()));
}

#[test]
fn sh_reads_clustered_options_with_o() {
    check(
        "bash -exo pipefail -c 'false | true; echo no'",
        "",
        "+ false\n+ true\n",
        1,
    );
    check("sh -eu -c 'echo $0 $1' a b", "a b\n", "", 0);
    check("sh +e -c 'false; echo go'", "go\n", "", 0);
}

#[test]
fn du_totals_each_directory_once() {
    check(
        "mkdir -p /tmp/d/a/b && printf x > /tmp/d/a/b/f && printf y > /tmp/d/g && cd /tmp && du d",
        "8\td/a/b\n12\td/a\n20\td\n",
        "",
        0,
    );
}

#[test]
fn apt_get_install_update_refreshes_the_lists_first() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get install --update -y --no-install-recommends ca-certificates >/dev/null && dpkg -s ca-certificates | head -2");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Package: ca-certificates\nStatus: install ok installed\n"
    );
}

#[test]
fn install_reads_long_options() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "install --verbose --directory --owner nobody --group nogroup --mode 1777 /var/lib/pg && stat -c '%a %U %G' /var/lib/pg",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("1777 nobody nogroup\n"));
}

#[test]
fn sed_reads_clustered_short_options() {
    check(
        "printf '#a = 1\\nb\\n' > /tmp/c && sed -ri 's/^#(a) = .*$/\\1 = 2/' /tmp/c && sed -ne '/a/p' /tmp/c && sed -i.bak -e 's/b/B/' /tmp/c && cat /tmp/c /tmp/c.bak",
        "a = 2\na = 2\nB\na = 2\nb\n",
        "",
        0,
    );
}

// ---- locales, build flags ----

/// A Debian image with glibc's `locale` and `localedef` (package libc-bin).
fn debian_with_libc_bin() -> Vfs {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/locale");
    exe(&mut fs, "/usr/bin/localedef");
    fs.mkdir_all("/usr/lib/locale/C.utf8", Meta::new(0o755))
        .unwrap();
    fs.write_file(
        "/usr/lib/locale/C.utf8/LC_CTYPE",
        Blob::generated(353_616, 1),
        Meta::new(0o644),
    )
    .unwrap();
    fs
}

#[test]
fn locale_gen_compiles_the_uncommented_lines_of_locale_gen() {
    let mut fs = debian_with_libc_bin();
    let out = sh(&mut fs, "locale-gen");
    assert_eq!(out.exit_code, 127, "no locales package, no locale-gen");
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq locales >/dev/null && echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen && locale-gen && locale -a | grep 'en_US.utf8'",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Generating locales (this might take a while)...\n  en_US.UTF-8... done\nGeneration complete.\nen_US.utf8\n"
    );
    let archive = fs.stat("/usr/lib/locale/locale-archive").unwrap();
    assert_eq!(archive.size(), 3_048_928);
    let out = sh(&mut fs, "locale -a");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "C\nC.utf8\nPOSIX\nen_US.utf8\n"
    );
    // A commented line stays out; a second run starts a fresh archive.
    let out = sh(
        &mut fs,
        "sed -i 's/^# de_DE.UTF-8/de_DE.UTF-8/' /etc/locale.gen && locale-gen >/dev/null && locale -a | grep -c _",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n");
    assert_eq!(
        fs.stat("/usr/lib/locale/locale-archive").unwrap().size(),
        3_048_928 + 358_176
    );
}

#[test]
fn localedef_adds_names_and_aliases_as_glibc_does() {
    let mut fs = debian_with_libc_bin();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq locales >/dev/null && localedef -i fr_FR -c -f ISO-8859-1 -A /usr/share/locale/locale.alias fr_FR && localedef --list-archive",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fr_FR\nfr_FR.iso88591\nfrench\n"
    );
    let out = sh(&mut fs, "localedef -i not-a-locale -f UTF-8 x.UTF-8");
    assert_eq!(out.exit_code, 4);
}

#[test]
fn locale_prints_the_settings_and_warns_for_a_missing_locale() {
    let mut fs = debian_with_libc_bin();
    let out = sh(&mut fs, "LANG=C.UTF-8 LC_TIME=C locale | head -4");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "LANG=C.UTF-8\nLANGUAGE=\nLC_CTYPE=\"C.UTF-8\"\nLC_NUMERIC=\"C.UTF-8\"\n"
    );
    let out = sh(&mut fs, "LANG=C LC_TIME=C locale | grep TIME");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "LC_TIME=C\n");
    let out = sh(&mut fs, "LANG=en_US.utf8 locale >/dev/null");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "locale: Cannot set LC_CTYPE to default locale: No such file or directory\nlocale: Cannot set LC_MESSAGES to default locale: No such file or directory\nlocale: Cannot set LC_ALL to default locale: No such file or directory\n"
    );
    let out = sh(&mut fs, "LANG=C.UTF-8 locale charmap; locale charmap");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "UTF-8\nANSI_X3.4-1968\n"
    );
}

#[test]
fn dpkg_buildflags_gives_debian_12_defaults() {
    let mut fs = debian();
    let out = sh(&mut fs, "dpkg-buildflags --get CFLAGS");
    assert_eq!(out.exit_code, 127, "dpkg-dev is not installed yet");
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null && cd /tmp && dpkg-buildflags --get CFLAGS && dpkg-buildflags --get CPPFLAGS && dpkg-buildflags --get LDFLAGS && DEB_LDFLAGS_APPEND=-Wl,-z,now dpkg-buildflags --get LDFLAGS && dpkg-buildflags --export=sh | head -3 && dpkg-buildflags --get NOPE",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "-g -O2 -ffile-prefix-map=/tmp=. -fstack-protector-strong -Wformat -Werror=format-security\n\
         -Wdate-time -D_FORTIFY_SOURCE=2\n\
         -Wl,-z,relro\n\
         -Wl,-z,relro -Wl,-z,now\n\
         export ASFLAGS=\"\"\n\
         export CFLAGS=\"-g -O2 -ffile-prefix-map=/tmp=. -fstack-protector-strong -Wformat -Werror=format-security\"\n\
         export CPPFLAGS=\"-Wdate-time -D_FORTIFY_SOURCE=2\"\n"
    );
    assert_eq!(out.exit_code, 1, "an unknown flag is exit 1");
}

// ---- gpg, versioned apt installs, mkcert ----

#[test]
fn gpg1_receives_and_exports_keys_into_a_simulated_keyring() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq gnupg1 >/dev/null && export GNUPGHOME=\"$(mktemp -d)\" && gpg1 --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys 573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62 && found=yes; echo $found; gpg1 --export '573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62 8540A6F18833A80E9C1653A42FD21310B49F6B46' > /k.gpg && cat /k.gpg && gpg1 --export 8540A6F18833A80E9C1653A42FD21310B49F6B46",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    // Only the first fingerprint of one spaced argument counts, as in GnuPG.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "yes\nlayerlab simulated OpenPGP public key 573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62 (no key material)\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gpg: requesting key 7BD9BF62 from hkp server keyserver.ubuntu.com:80\n"));
    assert!(err.contains("gpg: key 7BD9BF62: public key \"layerlab simulated key 573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62\" imported\n"));
    assert!(err.ends_with("gpg: WARNING: nothing exported\n"));
    assert!(out
        .notices
        .iter()
        .any(|n| n.program == "gpg1" && n.message.starts_with("simulated: gpg1 fetched nothing")));
}

#[test]
fn gpg_reads_spaced_fingerprints_and_armors_exports() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/gpg");
    let out = sh(
        &mut fs,
        "gpg --batch --recv-keys 'EB4C 1BFD 4F04 2F6D DDCC  EC91 7721 F63B D38B 4796' 2>/dev/null && gpg --batch --export --armor EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796 | head -2 && ls -a /root/.gnupg",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n.\n..\npubring.kbx\ntrustdb.gpg\n"
    );
}

#[test]
fn apt_installs_a_requested_version_with_a_notice() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq nginx=1.27.4-1~bookworm >/dev/null && dpkg -s nginx | grep Version && ls /usr/sbin/nginx",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Version: 1.27.4-1~bookworm\n/usr/sbin/nginx\n"
    );
    assert!(out.notices.iter().any(|n| n.message.starts_with(
        "simulated: nginx=1.27.4-1~bookworm was requested; layerlab's package index does not have that version, so the files of nginx 1.22.1-9+deb12u1 stand in"
    )));
}

#[test]
fn mkcert_makes_a_ca_once_and_certificates_signed_by_it() {
    let mut fs = alpine();
    let out = sh(&mut fs, "mkcert localhost");
    assert_eq!(out.exit_code, 127);
    let out = sh(
        &mut fs,
        "echo '@testing https://dl-cdn.alpinelinux.org/alpine/edge/testing' >> /etc/apk/repositories && apk add mkcert@testing >/dev/null && mkdir -p /certs/daemon && cd /certs && CAROOT=$(pwd) mkcert -cert-file daemon/cert.pem -key-file daemon/key.pem localhost",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Created a new local CA 💥\nNote: the local CA is not installed in the system trust store.\nRun \"mkcert -install\" for certificates to be trusted automatically ⚠️\n\nCreated a new certificate valid for the following names 📜\n - \"localhost\"\n\nThe certificate is at \"daemon/cert.pem\" and the key at \"daemon/key.pem\" ✅\n\nIt will expire on 14 February 2026 🗓\n\n"
    );
    let cert = read(&fs, "/certs/daemon/cert.pem");
    assert!(cert.starts_with("layerlab simulated mkcert server certificate for localhost; not real key material\n-----BEGIN CERTIFICATE-----\n"));
    assert_eq!(
        fs.stat("/certs/rootCA-key.pem").unwrap().meta.mode & 0o777,
        0o400
    );
    assert_eq!(
        fs.stat("/certs/daemon/key.pem").unwrap().meta.mode & 0o777,
        0o600
    );
    let ca = read(&fs, "/certs/rootCA.pem");
    // A second certificate reuses the CA; the same input gives the same files.
    let out = sh(
        &mut fs,
        "cd /certs && CAROOT=/certs mkcert -client -cert-file c.pem -key-file k.pem client 2>&1 | head -1",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Note: the local CA is not installed in the system trust store.\n"
    );
    assert_eq!(read(&fs, "/certs/rootCA.pem"), ca);
    let out = sh(&mut fs, "mkcert 'bad name'");
    assert_eq!(out.exit_code, 1);
}

// ---- apache2 ----

/// Runs `script` after installing apache2 as php's apache images do.
fn with_apache2(script: &str) -> (Vfs, RunOutcome) {
    let mut fs = debian();
    fs.mkdir_all("/run/lock", Meta::new(0o1777)).unwrap();
    fs.symlink("../run", "/var/run", Meta::new(0o777)).unwrap();
    fs.symlink("../run/lock", "/var/lock", Meta::new(0o777))
        .unwrap();
    let passwd =
        "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n";
    fs.write_file("/etc/passwd", Blob::from_bytes(passwd), Meta::new(0o644))
        .unwrap();
    fs.write_file(
        "/etc/group",
        Blob::from_bytes("root:x:0:\nwww-data:x:33:\n"),
        Meta::new(0o644),
    )
    .unwrap();
    let install = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq --no-install-recommends apache2 >/dev/null",
    );
    assert_eq!(
        install.exit_code,
        0,
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let out = sh(&mut fs, script);
    (fs, out)
}

#[test]
fn apache2_envvars_can_be_rewritten_and_sourced() {
    let script = r#"set -e
export APACHE_CONFDIR=/etc/apache2 APACHE_ENVVARS=/etc/apache2/envvars
sed -ri 's/^export ([^=]+)=(.*)$/: ${\1:=\2}\nexport \1/' "$APACHE_ENVVARS"
. "$APACHE_ENVVARS"
for dir in "$APACHE_LOCK_DIR" "$APACHE_RUN_DIR" "$APACHE_LOG_DIR" "$APACHE_RUN_DIR/socks"; do
	rm -rvf "$dir"; mkdir -p "$dir"; chown "$APACHE_RUN_USER:$APACHE_RUN_GROUP" "$dir"; chmod 1777 "$dir"
done
rm -rvf /var/www/html/*
ln -sfT /dev/stderr "$APACHE_LOG_DIR/error.log"
echo "$APACHE_RUN_USER $APACHE_LOG_DIR $APACHE_LOCK_DIR"
grep APACHE_RUN_GROUP "$APACHE_ENVVARS"
[ ! -e /var/www/html/index.html ] && [ -L /var/log/apache2/error.log ]
stat -c '%a %U' /run/lock/apache2"#;
    let (_, out) = with_apache2(script);
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "removed directory '/var/log/apache2'\nremoved '/var/www/html/index.html'\n\
         www-data /var/log/apache2 /var/lock/apache2\n: ${APACHE_RUN_GROUP:=www-data}\nexport APACHE_RUN_GROUP\n1777 www-data\n"
    );
}

#[test]
fn a2enmod_and_friends_manage_the_enabled_symlinks() {
    let (fs, out) = with_apache2("a2dismod mpm_event && a2enmod mpm_prefork && a2enmod mpm_event; printf '<Directory /var/www/>\\n</Directory>\\n' > /etc/apache2/conf-available/docker-php.conf && a2enconf docker-php && a2enconf docker-php && a2enmod nope; a2enmod ssl >/dev/null && a2dismod socache_shmcb");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Module mpm_event disabled.\nTo activate the new configuration, you need to run:\n  service apache2 restart\n\
         Considering conflict mpm_event for mpm_prefork:\nConsidering conflict mpm_worker for mpm_prefork:\nEnabling module mpm_prefork.\nTo activate the new configuration, you need to run:\n  service apache2 restart\n\
         Considering conflict mpm_worker for mpm_event:\nConsidering conflict mpm_prefork for mpm_event:\n\
         Enabling conf docker-php.\nTo activate the new configuration, you need to run:\n  service apache2 reload\n\
         Conf docker-php already enabled\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ERROR: Module mpm_prefork is enabled - cannot proceed due to conflicts. It needs to be disabled first!\n\
         ERROR: Module nope does not exist!\n\
         ERROR: The following modules depend on socache_shmcb and need to be disabled first: ssl\n"
    );
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        fs.read_link("/etc/apache2/mods-enabled/mpm_prefork.conf")
            .unwrap(),
        "../mods-available/mpm_prefork.conf"
    );
    assert!(!fs.exists("/etc/apache2/mods-enabled/mpm_event.load"));
    assert!(
        fs.exists("/etc/apache2/mods-enabled/socache_shmcb.load"),
        "ssl's dependency"
    );
    assert_eq!(
        fs.read_link("/etc/apache2/conf-enabled/docker-php.conf")
            .unwrap(),
        "../conf-available/docker-php.conf"
    );
    assert!(fs.exists("/var/lib/apache2/module/disabled_by_admin/mpm_event"));
    assert!(fs.exists("/var/lib/apache2/conf/enabled_by_admin/docker-php"));
}

// ---- dpkg-divert, apt-get -s, PostgreSQL.org's packages ----

#[test]
fn dpkg_divert_renames_and_records_local_diversions() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/dpkg-divert");
    let out = sh(
        &mut fs,
        "mkdir -p /usr/share/pg/14 && echo x > /usr/share/pg/14/a.sample && dpkg-divert --add --rename --divert /usr/share/pg/a.sample.dpkg /usr/share/pg/14/a.sample && cat /usr/share/pg/a.sample.dpkg && [ ! -e /usr/share/pg/14/a.sample ] && dpkg-divert --truename /usr/share/pg/14/a.sample && dpkg-divert --list && cat /var/lib/dpkg/diversions && dpkg-divert --add --divert /usr/share/pg/a.sample.dpkg /usr/share/pg/14/a.sample",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Adding 'local diversion of /usr/share/pg/14/a.sample to /usr/share/pg/a.sample.dpkg'\n\
         x\n\
         /usr/share/pg/a.sample.dpkg\n\
         local diversion of /usr/share/pg/14/a.sample to /usr/share/pg/a.sample.dpkg\n\
         /usr/share/pg/14/a.sample\n/usr/share/pg/a.sample.dpkg\n:\n\
         Leaving 'local diversion of /usr/share/pg/14/a.sample to /usr/share/pg/a.sample.dpkg'\n"
    );
    let out = sh(
        &mut fs,
        "dpkg-divert --remove --rename /usr/share/pg/14/a.sample && cat /usr/share/pg/14/a.sample",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Removing 'local diversion of /usr/share/pg/14/a.sample to /usr/share/pg/a.sample.dpkg'\nx\n"
    );
}

#[test]
fn apt_get_simulate_installs_nothing() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -s jq | grep '^Inst' && ! dpkg -s jq 2>/dev/null",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Inst libonig5 (6.9.8-1 Debian:/stable [amd64])\nInst libjq1 (1.6-2.1 Debian:/stable [amd64])\nInst jq (1.6-2.1 Debian:/stable [amd64])\n"
    );
}

#[test]
fn postgresql_packages_ship_the_files_the_official_image_edits() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "apt-get update -qq && apt-get install -y -qq postgresql-common >/dev/null && sed -ri 's/#(create_main_cluster) .*$/\\1 = false/' /etc/postgresql-common/createcluster.conf && grep create_main /etc/postgresql-common/createcluster.conf && apt-get install -y -qq postgresql-14=14.22-1.pgdg12+1 >/dev/null && grep -c '^#listen_addresses' /usr/share/postgresql/14/postgresql.conf.sample && ls /usr/lib/postgresql/14/bin/postgres",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "create_main_cluster = false\n1\n/usr/lib/postgresql/14/bin/postgres\n"
    );
}

/// A minimal 64-bit little-endian ELF program needing `libs` (one PT_LOAD at
/// address 0x400000 over the whole file, one PT_DYNAMIC, a string table).
fn tiny_elf(libs: &[&str]) -> Vec<u8> {
    let mut strtab = vec![0u8];
    let mut offsets = Vec::new();
    for l in libs {
        offsets.push(strtab.len() as u64);
        strtab.extend_from_slice(l.as_bytes());
        strtab.push(0);
    }
    let (phoff, dyn_off) = (64u64, 64 + 2 * 56);
    let dyn_len = (offsets.len() as u64 + 2) * 16;
    let str_off = dyn_off + dyn_len;
    let total = str_off + strtab.len() as u64;
    let base = 0x40_0000u64;
    let mut e = Vec::new();
    e.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    e.extend_from_slice(&3u16.to_le_bytes()); // ET_DYN
    e.extend_from_slice(&62u16.to_le_bytes());
    e.extend_from_slice(&1u32.to_le_bytes());
    e.extend_from_slice(&0u64.to_le_bytes());
    e.extend_from_slice(&phoff.to_le_bytes());
    e.extend_from_slice(&0u64.to_le_bytes());
    e.extend_from_slice(&0u32.to_le_bytes());
    for v in [64u16, 56, 2, 64, 0, 0] {
        e.extend_from_slice(&v.to_le_bytes());
    }
    for (kind, off, addr, size) in [
        (1u32, 0u64, base, total),
        (2, dyn_off, base + dyn_off, dyn_len),
    ] {
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&6u32.to_le_bytes());
        for v in [off, addr, addr, size, size, 8] {
            e.extend_from_slice(&v.to_le_bytes());
        }
    }
    for o in &offsets {
        e.extend_from_slice(&1u64.to_le_bytes());
        e.extend_from_slice(&o.to_le_bytes());
    }
    e.extend_from_slice(&5u64.to_le_bytes());
    e.extend_from_slice(&(base + str_off).to_le_bytes());
    e.extend_from_slice(&[0u8; 16]);
    e.extend_from_slice(&strtab);
    e
}

#[test]
fn scanelf_ldd_and_dpkg_search_read_needed_libraries() {
    let mut fs = debian();
    for p in ["/usr/bin/scanelf", "/usr/bin/ldd", "/usr/bin/dpkg-query"] {
        exe(&mut fs, p);
    }
    fs.mkdir_all("/usr/local/bin", Meta::new(0o755)).unwrap();
    fs.mkdir_all("/usr/lib/x86_64-linux-gnu", Meta::new(0o755))
        .unwrap();
    fs.mkdir_all("/var/lib/dpkg/info", Meta::new(0o755))
        .unwrap();
    let put = |fs: &mut Vfs, p: &str, data: Vec<u8>| {
        fs.write_file(p, Blob::from_bytes(data), Meta::new(0o755))
            .unwrap();
    };
    put(
        &mut fs,
        "/usr/local/bin/app",
        tiny_elf(&["libssl.so.3", "libc.so.6"]),
    );
    put(
        &mut fs,
        "/usr/lib/x86_64-linux-gnu/libssl.so.3",
        tiny_elf(&["libcrypto.so.3"]),
    );
    put(
        &mut fs,
        "/usr/lib/x86_64-linux-gnu/libc.so.6",
        tiny_elf(&[]),
    );
    fs.write_file(
        "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
        Blob::generated(9000, 3),
        Meta::new(0o644),
    )
    .unwrap();
    put(
        &mut fs,
        "/var/lib/dpkg/info/libc6:amd64.list",
        b"/.\n/usr/lib/x86_64-linux-gnu/libc.so.6\n".to_vec(),
    );
    put(&mut fs, "/usr/local/bin/script", b"#!/bin/sh\n".to_vec());
    fs.write_file(
        "/usr/local/bin/sim",
        Blob::generated(4096, 7),
        Meta::new(0o755),
    )
    .unwrap();
    put(
        &mut fs,
        "/var/lib/dpkg/info/libssl3:amd64.list",
        b"/.\n/usr/lib/x86_64-linux-gnu/libcrypto.so.3\n/usr/lib/x86_64-linux-gnu/libssl.so.3\n"
            .to_vec(),
    );
    let out = sh(&mut fs, "scanelf --needed --nobanner --format '%n#p' --recursive /usr/local; scanelf -n /usr/local/bin/app; ldd /usr/local/bin/app | awk '/=>/ { so = $(NF-1); if (index(so, \"/usr/local/\") == 1) { next }; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }' | sort -u | xargs -r dpkg-query --search | cut -d: -f1; ldd /usr/local/bin/script; echo $?; dpkg-query -S nothing-here; echo $?");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "libssl.so.3,libc.so.6\n TYPE   NEEDED FILE \nET_DYN libssl.so.3,libc.so.6 /usr/local/bin/app \nlibc6\nlibssl3\nlibssl3\n1\n1\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "\tnot a dynamic executable\ndpkg-query: no path found matching pattern nothing-here\n"
    );
    // The simulated program is skipped, and the scan says why.
    assert!(out.notices.iter().any(|n| n.kind == NoticeKind::Simulated
        && n.message
            .contains("1 scanned file(s) are simulated programs")));
    let out = sh(&mut fs, "ldd /usr/local/bin/app");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "\tlinux-vdso.so.1 (0x00007f0000000000)\n\tlibssl.so.3 => /usr/lib/x86_64-linux-gnu/libssl.so.3 (0x00007f0000200000)\n\tlibc.so.6 => /usr/lib/x86_64-linux-gnu/libc.so.6 (0x00007f0000400000)\n\tlibcrypto.so.3 => /usr/lib/x86_64-linux-gnu/libcrypto.so.3 (0x00007f0000600000)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f0000800000)\n"
    );
}

/// Downloads `url` in a Debian-like image with make and install, and unpacks it
/// into `dir` as the official images do.
fn unpack_release(url: &str, dir: &str) -> Vfs {
    let mut fs = debian();
    for p in ["/usr/bin/make", "/usr/bin/install", "/usr/bin/stat"] {
        exe(&mut fs, p);
    }
    let out = sh(
        &mut fs,
        &format!("set -e; wget -q -O src.tar \"{url}\"; mkdir -p {dir}; tar -xf src.tar -C {dir} --strip-components=1; rm src.tar"),
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    fs
}

#[test]
fn redis_release_builds_and_installs_server_copies() {
    let mut fs = unpack_release(
        "http://download.redis.io/releases/redis-7.4.1.tar.gz",
        "/usr/src/redis",
    );
    let out = sh(&mut fs, "set -e; cd /usr/src/redis; \
        grep -E '^ *createBoolConfig[(]\"protected-mode\",.*, *1 *,.*[)],$' src/config.c >/dev/null; \
        sed -ri 's!^( *createBoolConfig[(]\"protected-mode\",.*, *)1( *,.*[)],)$!\\10\\2!' src/config.c; \
        grep -cE '^ *createBoolConfig[(]\"protected-mode\",.*, *0 *,.*[)],$' src/config.c; \
        sed -ri 's!cd jemalloc && ./configure !&--build=x86_64-linux-gnu !' deps/Makefile; \
        export BUILD_TLS=yes; make -C /usr/src/redis -j 2 all >/tmp/build.log; \
        grep -c 'build system type... x86_64-linux-gnu' /tmp/build.log; grep -c 'LINK redis-server (.*-lssl' /tmp/build.log; \
        make -C /usr/src/redis install >/dev/null; \
        a=\"$(md5sum /usr/local/bin/redis-server | cut -d' ' -f1)\"; b=\"$(md5sum /usr/local/bin/redis-check-aof | cut -d' ' -f1)\"; \
        test \"$a\" = \"$b\"; readlink /usr/local/bin/redis-sentinel; ls /usr/local/bin");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1\n1\n1\nredis-server\nredis-benchmark\nredis-check-aof\nredis-check-rdb\nredis-cli\nredis-sentinel\nredis-server\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs.stat("/usr/local/bin/redis-server").unwrap().size() > 10_000_000);
}

#[test]
fn httpd_release_configures_and_installs_the_real_layout() {
    let mut fs = unpack_release(
        "https://www.apache.org/dyn/closer.cgi?action=download&filename=httpd/httpd-2.4.68.tar.bz2",
        "/usr/local/apache2/src",
    );
    let out = sh(&mut fs, "set -e; cd /usr/local/apache2/src; \
        ./configure --build=x86_64-linux-gnu --prefix=/usr/local/apache2 --enable-mods-shared=reallyall --enable-mpms-shared=all | tail -6 | head -2; \
        make -j 2 >/dev/null; make install >/dev/null; cd ..; rm -r src man manual; \
        grep -E '^(ServerRoot|User|ErrorLog|CustomLog)' conf/httpd.conf; grep -c '^TransferLog \"/usr/local/apache2/logs' conf/extra/httpd-ssl.conf; \
        ls bin | grep -c httpd; ls modules | grep -c mod_ssl.so; cat htdocs/index.html; \
        bin/httpd -v | head -1");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "    Server Version: 2.4.68\n    Install prefix: /usr/local/apache2\nServerRoot \"/usr/local/apache2\"\nUser daemon\nErrorLog \"logs/error_log\"\n1\n1\n1\n<html><body><h1>It works!</h1></body></html>\nServer version: Apache/2.4.68 (Unix)\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn postgresql_release_configures_and_installs_with_its_socket_dir() {
    let mut fs = unpack_release(
        "https://ftp.postgresql.org/pub/source/v18.3/postgresql-18.3.tar.bz2",
        "/usr/src/postgresql",
    );
    let out = sh(&mut fs, "set -e; cd /usr/src/postgresql; \
        awk '$1 == \"#define\" && $2 == \"DEFAULT_PGSOCKET_DIR\" && $3 == \"\\\"/tmp\\\"\" { $3 = \"\\\"/var/run/postgresql\\\"\"; print; next } { print }' src/include/pg_config_manual.h > new.h; \
        grep /var/run/postgresql new.h; mv new.h src/include/pg_config_manual.h; \
        if ./configure --enable-option-checking=fatal --with-bogus 2>/dev/null; then echo accepted; fi; \
        LLVM_CONFIG=/usr/lib/llvm19/bin/llvm-config ./configure --enable-option-checking=fatal --prefix=/usr/local --with-llvm --with-openssl | grep -c llvm-config; \
        make -j 2 world-bin >/dev/null; make install-world-bin >/dev/null; make -C contrib install >/dev/null; \
        ls /usr/local/lib/libpq.so.5.18 /usr/local/lib/postgresql/pg_stat_statements.so; \
        grep -c /var/run/postgresql /usr/local/include/postgresql/server/pg_config_manual.h; \
        sed -ri \"s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!\" /usr/local/share/postgresql/postgresql.conf.sample; \
        grep -F \"listen_addresses = '*'\" /usr/local/share/postgresql/postgresql.conf.sample");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "#define DEFAULT_PGSOCKET_DIR \"/var/run/postgresql\"\n1\n/usr/local/lib/libpq.so.5.18\n/usr/local/lib/postgresql/pg_stat_statements.so\n1\nlisten_addresses = '*'\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn make_dot_targets_are_ordinary_but_never_the_default_goal() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    fs.mkdir_all("/m", Meta::new(0o755)).unwrap();
    let makefile = ".prep:\n\t@echo prep\n\t@touch $@\n\nall: .prep\n\t@echo all\n.SUFFIXES:\n";
    fs.write_file("/m/Makefile", Blob::from_bytes(makefile), Meta::new(0o644))
        .unwrap();
    let out = sh(&mut fs, "cd /m && make && make && ls -A");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "prep\nall\nall\n.prep\nMakefile\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn awk_runs_the_language_beyond_one_liners() {
    let mut fs = debian();
    fs.mkdir_all("/usr/local/lib", Meta::new(0o755)).unwrap();
    fs.write_file(
        "/usr/local/lib/libown.so.1",
        Blob::from_bytes(""),
        Meta::new(0o644),
    )
    .unwrap();
    let out = sh(
        &mut fs,
        "printf 'libc.so.6\\nlibown.so.1\\n' | awk 'system(\"[ -e /usr/local/lib/\" $1 \" ]\") == 0 { next } { print \"so:\" $1 }'; \
         printf 'a 1\\nb 2\\na 3\\n' | awk -v pre=x '{ n[$1] += $2 } END { for (k in n) printf \"%s%s=%d\\n\", pre, k, n[k]; print NR, (\"a\" in n), length(\"héllo\") }'; \
         echo '#define X  \"/tmp\"' | awk '$1 == \"#define\" && $3 == \"\\\"/tmp\\\"\" { $3 = \"\\\"/run\\\"\"; print; next } { print }'; \
         echo 'a-b-c' | awk -F- '{ i = 0; while (i < NF) { i++; if (i == 2) continue; s = s $i } print s, toupper(substr($0, 3)), index($0, \"c\") }'; \
         awk 'BEGIN { print 1/0 }'; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "so:libc.so.6\nxa=4\nxb=2\n3 1 5\n#define X \"/run\"\nac B-C 5\n2\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "awk: division by zero\n"
    );
}

#[test]
fn node_checksum_listing_is_clearsigned_and_checks_the_download() {
    let mut fs = debian();
    for p in ["/usr/bin/gpg", "/usr/bin/gpgconf", "/usr/bin/curl"] {
        exe(&mut fs, p);
    }
    let script = "set -e; export GNUPGHOME=\"$(mktemp -d)\"; \
        gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 5BE8A3F6C8A5C01D106C0AD820B1A390B168D356 2>/dev/null; \
        gpg --batch --fingerprint 5BE8A3F6C8A5C01D106C0AD820B1A390B168D356 | sed -n 2p; \
        if gpg --batch --fingerprint 0123456789ABCDEF 2>/dev/null; then echo found; else echo missing $?; fi; \
        curl -fsSLO https://nodejs.org/dist/v22.23.2/node-v22.23.2-linux-x64.tar.xz; \
        curl -fsSLO https://nodejs.org/dist/v22.23.2/SHASUMS256.txt.asc; \
        head -1 SHASUMS256.txt.asc; \
        gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc; gpgconf --kill all; \
        grep ' node-v22.23.2-linux-x64.tar.xz$' SHASUMS256.txt | sha256sum -c -; \
        echo x > node-v22.23.2-linux-x64.tar.xz; \
        grep ' node-v22.23.2-linux-x64.tar.xz$' SHASUMS256.txt | sha256sum -c - || echo changed";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "      5BE8 A3F6 C8A5 C01D 106C  0AD8 20B1 A390 B168 D356\nmissing 2\n-----BEGIN PGP SIGNED MESSAGE-----\n\
         node-v22.23.2-linux-x64.tar.xz: OK\nnode-v22.23.2-linux-x64.tar.xz: FAILED\nchanged\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.exit_code, 0);
    assert!(read(&fs, "/SHASUMS256.txt").lines().count() > 10);
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::Simulated
            && n.message.contains("without checking its signature")));
}

#[test]
fn gpg_verify_accepts_simulated_downloads_and_rejects_other_data() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/gpg");
    let out = sh(
        &mut fs,
        "wget -q https://example.com/a.tar.gz.asc; wget -q https://example.com/a.tar.gz; \
         gpg --batch --verify a.tar.gz.asc a.tar.gz && echo ok; \
         echo hello > plain; gpg --batch --verify plain a.tar.gz; echo $?; \
         gpg --batch --decrypt a.tar.gz.asc; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok\n2\n2\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("gpg: no valid OpenPGP data found."));
    assert!(out.notices.iter().any(|n| n
        .message
        .contains("did not check the signature a.tar.gz.asc")));
}

#[test]
fn find_newer_and_executable() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "mkdir -p /t/d && touch -t 202301010000 /t/old /t/d && touch -t 202301020000.30 /t/ref && touch /t/new && chmod +x /t/new && \
         find /t -newer /t/ref | sort && find /t -type f -executable && find /t -newer /nope; echo $?; stat -c %Y /t/ref",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/t\n/t/new\n/t/new\n1\n1672617630\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "find: '/nope': No such file or directory\n"
    );
}

#[test]
fn touch_h_dates_the_link_and_date_reads_long_options() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "touch -t 202001010000 /f && ln -s /f /l && touch -ht 202101010000 /l && stat -c %Y /f && date --date @0 --rfc-2822 && date -d @86400 '+%Y%m%d%H%M.%S'; touch -t 2020 /g; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1577836800\nThu, 01 Jan 1970 00:00:00 +0000\n197001020000.00\n1\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = fs.lstat("/l").unwrap();
    assert_eq!(link.meta.mtime, 1_609_459_200);
}

#[test]
fn git_fetches_and_checks_out_a_simulated_go_commit() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/git");
    let commit = "72aa6db7943024b48c4d41c1fbc32b57b9fa036e";
    let script = format!(
        "set -e; git init --quiet /usr/local/go; ls -A /usr/local/go/.git | head -3; \
         git -C /usr/local/go fetch --depth 1 https://github.com/golang/go.git '{commit}:'; \
         git -C /usr/local/go checkout --quiet FETCH_HEAD; \
         git -C /usr/local/go log -1 --format='format:%ct %h'; echo; \
         test -x /usr/local/go/src/make.bash; test ! -e /usr/local/go/bin/go; \
         cd /usr/local/go/src; GOROOT_BOOTSTRAP=/nope ./make.bash 2>&1 || echo no-bootstrap; \
         mkdir -p /boot/bin; cp /bin/cat /boot/bin/go; GOROOT_BOOTSTRAP=/boot ./make.bash | tail -1; \
         test -x /usr/local/go/bin/go; ls /usr/local/go/pkg/tool/linux_amd64 | head -2; test ! -e /usr/local/go/.layerlab; \
         git -C /tmp log; git clone https://example.com/x.git"
    );
    let out = sh(&mut fs, &script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "HEAD\nbranches\nconfig\n1701388800 72aa6db79430\nERROR: Cannot find /nope/bin/go.\nSet $GOROOT_BOOTSTRAP to a working Go tree >= Go 1.22.6.\nno-bootstrap\nInstalled commands in /usr/local/go/bin\naddr2line\nasm\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.exit_code, 0);
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::NotSimulated && n.message.contains("git clone")));
}

#[test]
fn autoremove_keeps_essential_packages_and_their_dependencies() {
    let mut fs = debian();
    let status = "Package: dash\nStatus: install ok installed\nEssential: yes\nPre-Depends: libc6 (>= 2.34), debianutils:any\nVersion: 0.5.12-2\n\n\
        Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\n\
        Package: debianutils\nStatus: install ok installed\nVersion: 5.7-0.5\n\n\
        Package: leftover\nStatus: install ok installed\nVersion: 1.0\n\n";
    fs.write_file(
        "/var/lib/dpkg/status",
        Blob::from_bytes(status),
        Meta::new(0o644),
    )
    .unwrap();
    for pkg in ["dash", "libc6", "debianutils", "leftover"] {
        fs.write_file(
            &format!("/var/lib/dpkg/info/{pkg}.list"),
            Blob::from_bytes(format!("/usr/share/{pkg}\n")),
            Meta::new(0o644),
        )
        .unwrap();
        fs.write_file(
            &format!("/usr/share/{pkg}"),
            Blob::from_bytes("x"),
            Meta::new(0o644),
        )
        .unwrap();
    }
    exe(&mut fs, "/usr/bin/apt-mark");
    let out = sh(
        &mut fs,
        "apt-mark auto '.*' > /dev/null && apt-get purge -y --auto-remove | grep -c Removing && ls /usr/share",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1\ndash\ndebianutils\ndoc\nlibc6\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn mv_t_and_v_name_the_destination_itself() {
    check(
        "mkdir -p /a /b/a && mv -vT /a /c && ls -d /c && mv -v /c /b",
        "renamed '/a' -> '/c'\n/c\nrenamed '/c' -> '/b/c'\n",
        "",
        0,
    );
}

#[test]
fn removing_a_package_keeps_a_usr_merged_directory_link() {
    let mut fs = debian();
    fs.mkdir_all("/usr/lib/x", Meta::new(0o755)).unwrap();
    fs.symlink("usr/lib/x", "/x", Meta::new(0o777)).unwrap();
    fs.write_file("/usr/lib/x/tool", Blob::from_bytes("t"), Meta::new(0o755))
        .unwrap();
    fs.write_file(
        "/var/lib/dpkg/status",
        Blob::from_bytes("Package: tool\nStatus: install ok installed\nVersion: 1\n\n"),
        Meta::new(0o644),
    )
    .unwrap();
    fs.write_file(
        "/var/lib/dpkg/info/tool.list",
        Blob::from_bytes("/.\n/x\n/x/tool\n"),
        Meta::new(0o644),
    )
    .unwrap();
    let out = sh(
        &mut fs,
        "apt-get purge -y tool > /dev/null && readlink /x && ls /usr/lib/x | wc -l",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "usr/lib/x\n0\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cpython_source_release_configures_builds_and_installs() {
    let mut fs = debian();
    for p in ["/usr/bin/make", "/usr/bin/gcc"] {
        exe(&mut fs, p);
    }
    let script = "set -e; wget -q -O python.tar.xz https://www.python.org/ftp/python/3.15.0/Python-3.15.0b3.tar.xz; \
        mkdir -p /usr/src/python; tar --extract --directory /usr/src/python --strip-components=1 --file python.tar.xz; \
        cd /usr/src/python; if ./configure --with-bogus --enable-option-checking=fatal 2>&1; then exit 9; fi; \
        ./configure --build=x86_64-linux-gnu --enable-shared --with-ensurepip >/dev/null; \
        make -s -j 2 >/dev/null; rm python; make -s python >/dev/null; make -s install >/dev/null; cd /; \
        python3 --version; pip3 --version; readlink /usr/local/bin/python3; \
        ls /usr/local/lib/python3.15/lib-dynload | grep _ssl; \
        test -s /usr/local/lib/python3.15/__pycache__/os.cpython-315.opt-2.pyc; \
        test ! -e /usr/local/bin/pip; ls /usr/local/bin/pip3.15";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "configure: error: unrecognized options: --with-bogus\n\
         Python 3.15.0b3\npip 25.3 from /usr/local/lib/python3.15/site-packages/pip (python 3.15)\n\
         python3.15\n_ssl.cpython-315-x86_64-linux-gnu.so\n/usr/local/bin/pip3.15\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.exit_code, 0);
    let lib = fs.stat("/usr/local/lib/libpython3.15.so.1.0").unwrap();
    assert!(lib.size() > 10_000_000);
    for program in ["ensurepip", "compileall"] {
        assert!(out
            .notices
            .iter()
            .any(|n| n.kind == NoticeKind::Simulated && n.program == program));
    }
}

#[test]
fn xargs_reads_bundled_flags_and_traces_with_t() {
    check(
        "printf '' | xargs -rt echo never; echo a b | xargs -rt echo",
        "a b\n",
        "echo a b\n",
        0,
    );
}

#[test]
fn dpkg_architecture_reports_musl_on_alpine() {
    let mut fs = alpine();
    fs.write_file(
        "/etc/alpine-release",
        Blob::from_bytes("3.23.0\n"),
        Meta::new(0o644),
    )
    .unwrap();
    exe(&mut fs, "/usr/bin/dpkg-architecture");
    let out = sh(
        &mut fs,
        "dpkg-architecture --query DEB_BUILD_GNU_TYPE; dpkg-architecture -qDEB_HOST_ARCH",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "x86_64-linux-musl\nmusl-linux-amd64\n"
    );
    check(
        "dpkg-architecture --query DEB_BUILD_GNU_TYPE",
        "x86_64-linux-gnu\n",
        "",
        0,
    );
}

#[test]
fn pip_replaces_an_installed_version_a_pin_does_not_match() {
    let mut fs = debian();
    exe(&mut fs, "/usr/local/bin/pip3");
    fs.mkdir_all("/usr/local/lib/python3.10/site-packages", Meta::new(0o755))
        .unwrap();
    let out = sh(&mut fs, "pip3 install -q --no-cache-dir setuptools==65.5.0 && pip3 install --root-user-action=ignore --no-cache-dir setuptools==79.0.1 six | tail -n 6 && ls /usr/local/lib/python3.10/site-packages | grep dist-info && pip3 install --root-user-action=ignore six | head -n 1");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Installing collected packages: setuptools, six\n  Attempting uninstall: setuptools\n    Found existing installation: setuptools 65.5.0\n    Uninstalling setuptools-65.5.0:\n      Successfully uninstalled setuptools-65.5.0\nSuccessfully installed setuptools-79.0.1 six-1.16.0\n\
         setuptools-79.0.1.dist-info\nsix-1.16.0.dist-info\n\
         Requirement already satisfied: six in /usr/local/lib/python3.10/site-packages (1.16.0)\n"
    );
}

#[test]
fn rustup_init_installs_a_toolchain_that_rustc_and_cargo_resolve() {
    let mut fs = debian();
    let script = "set -e; mkdir -p /tmp/rust; \
        wget -q -O /tmp/rust/rustup-init https://static.rust-lang.org/rustup/archive/1.28.2/x86_64-unknown-linux-gnu/rustup-init; \
        chmod +x /tmp/rust/rustup-init; \
        export RUSTUP_HOME=/tmp/rust/rustup CARGO_HOME=/tmp/rust/cargo; export PATH=\"$CARGO_HOME/bin:$PATH\"; \
        if /tmp/rust/rustup-init --profile minimal 2>/dev/null; then echo prompted; fi; \
        /tmp/rust/rustup-init -y --no-modify-path --profile minimal --default-toolchain 1.91.1 --default-host x86_64-unknown-linux-gnu >/dev/null 2>&1; \
        rustc --version; cargo --version; stat -c %h /tmp/rust/cargo/bin/rustc; \
        cat /tmp/rust/rustup/toolchains/1.91.1-x86_64-unknown-linux-gnu/lib/rustlib/components; \
        grep default_toolchain /tmp/rust/rustup/settings.toml; \
        RUSTUP_TOOLCHAIN=1.90.0 rustc --version || echo missing $?";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "rustc 1.91.1 (simulated by layerlab)\ncargo 1.91.1 (simulated by layerlab)\n14\n\
         cargo-x86_64-unknown-linux-gnu\nrust-std-x86_64-unknown-linux-gnu\nrustc-x86_64-unknown-linux-gnu\n\
         default_toolchain = \"1.91.1-x86_64-unknown-linux-gnu\"\nmissing 1\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("error: toolchain '1.90.0-x86_64-unknown-linux-gnu' is not installed"));
    let driver = fs
        .read_dir("/tmp/rust/rustup/toolchains/1.91.1-x86_64-unknown-linux-gnu/lib")
        .unwrap()
        .into_iter()
        .find(|(n, _)| n.starts_with("librustc_driver-"))
        .unwrap();
    assert!(driver.1.size() > 100_000_000);
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::Simulated && n.program == "rustup-init"));
}

#[test]
fn ruby_source_release_configures_builds_and_installs_its_layout() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    let fetch = "set -e; wget -q -O ruby.tar.xz https://cache.ruby-lang.org/pub/ruby/3.3/ruby-3.3.11.tar.xz; \
        mkdir -p /usr/src/ruby; tar -xJf ruby.tar.xz -C /usr/src/ruby --strip-components=1; rm ruby.tar.xz; cd /usr/src/ruby; ";
    // Without a C compiler configure stops as Ruby's does.
    let out = sh(&mut fs, &format!("{fetch} ./configure --enable-shared"));
    assert_eq!(out.exit_code, 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no acceptable C compiler"));
    exe(&mut fs, "/usr/bin/gcc");
    let out = sh(
        &mut fs,
        "cd /usr/src/ruby && ./configure --enable-yjit >/dev/null",
    );
    assert_eq!(out.exit_code, 1, "YJIT needs rustc");
    let out = sh(
        &mut fs,
        "set -e; cd /usr/src/ruby; ./configure --build=x86_64-linux-gnu --disable-install-doc --enable-shared --enable-zjit | tail -9; \
         make -j 2 >/dev/null; make install | head -2; cd /; rm -r /usr/src/ruby; \
         readlink /usr/local/lib/libruby.so.3.3; head -1 /usr/local/bin/gem; \
         grep -c x86_64-linux /usr/local/lib/ruby/3.3.0/x86_64-linux/rbconfig.rb; \
         ls /usr/local/include/ruby-3.3.0/x86_64-linux/ruby /usr/local/lib/ruby/gems/3.3.0",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "configure: WARNING: unrecognized options: --enable-zjit\n---\nConfiguration summary for ruby version 3.3.11\n\n   \
         * Installation prefix: /usr/local\n   * target architecture: x86_64-linux\n   * shared library:      yes\n   * YJIT support:        no\n---\n\
         installing binary commands:   /usr/local/bin\ninstalling base libraries:    /usr/local/lib\n\
         libruby.so.3.3.11\n#!/usr/local/bin/ruby\n2\n\
         /usr/local/include/ruby-3.3.0/x86_64-linux/ruby:\nconfig.h\n\n\
         /usr/local/lib/ruby/gems/3.3.0:\nbuild_info\ncache\ndoc\nextensions\ngems\nplugins\nspecifications\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.exit_code, 0);
    let installed = sh(&mut fs, "du -s /usr/local | cut -f1");
    let kib: u64 = String::from_utf8_lossy(&installed.stdout)
        .trim()
        .parse()
        .unwrap();
    assert!((35_000..70_000).contains(&kib), "{kib} KiB installed");
}

#[test]
fn purging_a_package_keeps_a_merged_usr_directory_symlink() {
    let mut fs = debian();
    // Merged /usr: /bin is a symlink to a directory, as on Debian 12.
    fs.rename("/bin", "/usr/merged-bin").unwrap();
    fs.symlink("usr/merged-bin", "/bin", Meta::new(0o777))
        .unwrap();
    let out = sh(
        &mut fs,
        "apt-get update >/dev/null && apt-get install -y bzip2 >/dev/null && apt-get purge -y bzip2 >/dev/null && test -L /bin && ls /bin/bzip2 2>/dev/null; echo $?",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "2\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs.stat("/bin/dash").is_ok());
}

#[test]
fn apk_add_autoconf_installs_the_program() {
    let mut fs = alpine();
    let out = sh(
        &mut fs,
        "apk add --no-cache --virtual .ruby-builddeps autoconf >/dev/null && command -v autoconf m4",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/usr/bin/autoconf\n/usr/bin/m4\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn find_selects_by_permission_bits() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "mkdir -p /p && cd /p && touch a b c && chmod 755 a && chmod 640 b && chmod 4711 c && \
         find . -type f -perm /0111 | sort && echo -- && find . -type f -perm -0750 | sort && \
         echo -- && find . -type f -perm 640 && find . -type f -executable | sort | head -1 && \
         find . -perm 9z",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "./a\n./c\n--\n./a\n--\n./b\n./a\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "find: invalid mode `9z'\n"
    );
    assert_eq!(out.exit_code, 1);
}

#[test]
fn php_source_release_configures_builds_and_installs() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    let script = "set -e; mkdir -p /usr/src/php; cd /usr/src; \
        wget -q -O php.tar.xz https://www.php.net/distributions/php-8.2.33.tar.xz; \
        tar -Jxf php.tar.xz -C /usr/src/php --strip-components=1; cd php; \
        ./configure --sysconfdir=/usr/local/etc --with-config-file-scan-dir=/usr/local/etc/php/conf.d \
          --enable-zts --enable-fpm --with-fpm-user=www-data --with-sodium=shared --with-pear >/dev/null; \
        make -j2 >/dev/null; make install >/dev/null; \
        ls /usr/local/lib/php/extensions; ls /usr/local/lib/php/extensions/*; \
        grep -E '^(user|listen) =' /usr/local/etc/php-fpm.d/www.conf.default; \
        php-config --extension-dir; php --version | head -1; \
        mkdir -p /usr/local/etc/php/conf.d; echo zend_extension=opcache > /usr/local/etc/php/conf.d/o.ini; \
        php -v | tail -1; pecl update-channels | tail -1; test -d /tmp/pear/cache; \
        cd ext/sodium; phpize | head -1; ./configure >/dev/null; make >/dev/null; make install | head -1";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "no-debug-zts-20220829\nopcache.so\nsodium.so\nuser = www-data\nlisten = 127.0.0.1:9000\n\
         /usr/local/lib/php/extensions/no-debug-zts-20220829\n\
         PHP 8.2.33 (cli) (built: Nov 14 2023 22:13:20) (ZTS)\n\
         \x20   with Zend OPcache v8.2.33, Copyright (c), by Zend Technologies\n\
         Channel \"pecl.php.net\" is up to date\nConfiguring for:\n\
         Installing shared extensions:     /usr/local/lib/php/extensions/no-debug-zts-20220829/\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.exit_code, 0);
    // Programs have the plausible size of a real build, not a few bytes.
    assert!(fs.stat("/usr/local/sbin/php-fpm").unwrap().size() > 10_000_000);
    let version_h = read(&fs, "/usr/local/include/php/main/php_version.h");
    assert!(version_h.contains("#define PHP_VERSION_ID 80233"));
    assert!(out.notices.iter().any(|n| n.kind == NoticeKind::Simulated
        && n.message.contains("pecl update-channels has no network")));
}

#[test]
fn php_lists_its_modules_from_configure_and_the_ini_files() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    let script = "set -e; mkdir -p /usr/src/php; cd /usr/src; \
        wget -q -O php.tar.xz https://www.php.net/distributions/php-8.2.33.tar.xz; \
        tar -Jxf php.tar.xz -C /usr/src/php --strip-components=1; cd php; \
        ./configure --with-config-file-scan-dir=/usr/local/etc/php/conf.d --enable-mbstring \
          --with-sodium=shared --disable-phar --with-pear >/dev/null; \
        make install >/dev/null; mkdir -p /usr/local/etc/php/conf.d; cd /usr/local/etc/php/conf.d; \
        echo zend_extension=opcache > opcache.ini; echo extension=sodium > sodium.ini; \
        echo extension=pdo > pdo.ini; echo extension=gone.so > gone.ini; \
        cd /usr/local/lib/php/extensions/no-debug-non-zts-20220829; cp sodium.so pdo.so; \
        php -m | tr '\\n' ' '; pecl install xdebug-3.3.2 | tail -3";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "[PHP Modules] Core ctype date dom fileinfo filter hash iconv json libxml mbstring pcre PDO \
         pdo_sqlite posix random Reflection session SimpleXML sodium SPL sqlite3 standard \
         tokenizer xml xmlreader xmlwriter Zend OPcache  [Zend Modules] Zend OPcache  \
         install ok: channel://pecl.php.net/xdebug-3.3.2\n\
         configuration option \"php_ini\" is not set to php.ini location\n\
         You should add \"zend_extension=/usr/local/lib/php/extensions/no-debug-non-zts-20220829/xdebug.so\" to php.ini\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "PHP Warning:  PHP Startup: Unable to load dynamic library 'gone.so' \
         (/usr/local/lib/php/extensions/no-debug-non-zts-20220829/gone.so: cannot open shared \
         object file: No such file or directory) in Unknown on line 0\n\
         PHP Warning:  Module \"PDO\" is already loaded in Unknown on line 0\n"
    );
    assert!(fs
        .stat("/usr/local/lib/php/extensions/no-debug-non-zts-20220829/xdebug.so")
        .is_ok_and(|s| s.size() > 100_000));
    assert!(out.notices.iter().any(|n| n.kind == NoticeKind::Simulated
        && n.message
            .contains("pecl install xdebug-3.3.2 has no network")));
}

#[test]
fn php_release_candidates_build_opcache_in() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/make");
    let script = "set -e; cd /tmp; wget -q -O php.tar.xz https://downloads.php.net/~rm/php-8.6.0alpha3.tar.xz; \
        tar -xf php.tar.xz; cd php-8.6.0alpha3; ./configure --with-sodium=shared >/dev/null; \
        make install >/dev/null; ls /usr/local/lib/php/extensions/*; php --version | sed -n '1p;3,4p'; \
        test ! -e /usr/local/bin/pecl";
    let out = sh(&mut fs, script);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "sodium.so\nPHP 8.6.0alpha3 (cli) (built: Nov 14 2023 22:13:20) (NTS)\n\
         Zend Engine v4.6.0alpha3, Copyright (c) Zend Technologies\n\
         \x20   with Zend OPcache v8.6.0alpha3, Copyright (c), by Zend Technologies\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dpkg_query_search_finds_owning_packages() {
    let mut fs = debian();
    exe(&mut fs, "/usr/bin/dpkg-query");
    for (name, list) in [
        (
            "zlib1g:amd64",
            "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu/libz.so.1\n",
        ),
        (
            "libc6:amd64",
            "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu/libc.so.6\n",
        ),
    ] {
        fs.mkdir_all("/var/lib/dpkg/info", Meta::new(0o755))
            .unwrap();
        fs.write_file(
            &format!("/var/lib/dpkg/info/{name}.list"),
            Blob::from_bytes(list),
            Meta::new(0o644),
        )
        .unwrap();
    }
    let out = sh(
        &mut fs,
        "dpkg-query --search '*lib/x86_64-linux-gnu/libz.so.1' /usr/lib libc.so; dpkg -S /nope",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "zlib1g:amd64: /usr/lib/x86_64-linux-gnu/libz.so.1\n\
         libc6:amd64, zlib1g:amd64: /usr/lib\n\
         libc6:amd64: /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "dpkg-query: no path found matching pattern /nope\n"
    );
    assert_eq!(out.exit_code, 1);
}

#[test]
fn awk_arithmetic_keeps_precedence_and_left_associativity() {
    check(
        "awk 'BEGIN { print 2 + 3 * 4, 10 - 4 - 3, 7 % 4 * 2, 8 / 2 / 2 }'",
        "14 3 6 2\n",
        "",
        0,
    );
}

#[test]
fn apk_add_resolves_so_names_to_the_package_of_the_library() {
    let mut fs = alpine();
    // sqlite-dev pulls in sqlite-libs, which records what it provides.
    let out = sh(&mut fs, "apk add --virtual .build-deps sqlite-dev >/dev/null && apk add --virtual .rundeps so:libsqlite3.so.0 so:libbz2.so.1 && apk del .build-deps >/dev/null && ls /usr/lib/libsqlite3.so.0 /usr/lib/libbz2.so.1 && cat /etc/apk/world");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // libbz2 is new; sqlite-libs was there already.
    assert!(
        stdout.contains("(1/2) Installing libbz2 (1.0.8-r6)\n(2/2) Installing .rundeps"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("/usr/lib/libbz2.so.1\n/usr/lib/libsqlite3.so.0\n.rundeps\n"),
        "{stdout}"
    );
    let db = read(&fs, "/lib/apk/db/installed");
    assert!(db.contains("P:sqlite-libs\nV:3.48.0-r0\n"), "{db}");
    assert!(db.contains("\np:so:libsqlite3.so.0=0.8.6"), "{db}");
    assert!(db.contains("P:.rundeps\n") && db.contains("D:so:libsqlite3.so.0 so:libbz2.so.1"));
    assert!(!db.contains("P:sqlite-dev\n"));
    // A library no package has is an error, as apk says it.
    let out = sh(&mut fs, "apk add so:libnothing.so.9");
    assert_eq!(out.exit_code, 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("so:libnothing.so.9 (no such package)"));
}

#[test]
fn apt_mark_manual_accepts_the_owner_names_dpkg_query_prints() {
    let mut fs = debian();
    for p in [
        "/usr/bin/apt-mark",
        "/usr/bin/dpkg-query",
        "/usr/bin/xargs",
        "/usr/bin/cut",
    ] {
        exe(&mut fs, p);
    }
    let out = sh(&mut fs, "apt-get update -qq && apt-get install -y -qq libsqlite3-dev >/dev/null && apt-mark auto '.*' >/dev/null && dpkg-query --search '*/libsqlite3.so.0' | cut -d: -f1-2 | xargs apt-mark manual && apt-mark showmanual && apt-get purge -y -qq --auto-remove >/dev/null");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "libsqlite3-0 set to manually installed.\nlibsqlite3-0\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The purge keeps the library marked manual and takes the -dev package.
    let status = read(&fs, "/var/lib/dpkg/status");
    assert!(status.contains("Package: libsqlite3-0\n"));
    assert!(!status.contains("Package: libsqlite3-dev\n"));
    assert!(fs.stat("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0").is_ok());
}

/// The root filesystem of a catalog image, to run scripts on the real base.
fn catalog_fs(reference: &str) -> Vfs {
    let image = crate::catalog::resolve(reference).expect("a catalog image");
    image.layers.last().expect("a base layer").fs_after.clone()
}

#[test]
fn apt_on_ubuntu_jammy_installs_ubuntu_python_and_pip_installs_as_root() {
    let mut fs = catalog_fs("ubuntu:22.04");
    let out = sh(
        &mut fs,
        "apt-get update >/dev/null && apt-get install -y python3 python3-pip nginx",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "Setting up python3.10 (3.10.12-1~22.04.4) ...",
        "Setting up python3-pip (22.0.2+dfsg-1ubuntu0.4) ...",
        "Setting up nginx-core (1.18.0-6ubuntu14.4) ...",
        "Setting up gcc-11 (11.4.0-1ubuntu1~22.04) ...",
        "Get:1 http://archive.ubuntu.com/ubuntu jammy",
    ] {
        assert!(stdout.contains(line), "{line} missing from:\n{stdout}");
    }
    assert!(
        !stdout.contains("deb12"),
        "a Debian version on jammy:\n{stdout}"
    );
    assert!(!fs.exists("/usr/lib/python3.10/EXTERNALLY-MANAGED"));
    assert!(read(&fs, "/var/lib/dpkg/status")
        .contains("Package: python3-pip\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 8196\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"));
    let out = sh(
        &mut fs,
        "python3 --version && pip3 --version && pip3 install flask==3.0.0 gunicorn | tail -n 1",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("Python 3.10.12\npip 22.0.2 from /usr/lib/python3/dist-packages/pip (python 3.10)\nSuccessfully installed "),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("WARNING: Running pip as the 'root' user")
    );
    assert!(fs.exists("/usr/local/lib/python3.10/dist-packages/flask/__init__.py"));
}

#[test]
fn python_venv_on_ubuntu_needs_the_venv_package_and_uses_its_pip() {
    let mut fs = catalog_fs("ubuntu:22.04");
    let out = sh(
        &mut fs,
        "apt-get update >/dev/null && apt-get install -y --no-install-recommends python3 >/dev/null && python3 -m venv /opt/venv",
    );
    assert_eq!(out.exit_code, 1);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "The virtual environment was not created successfully because ensurepip is not\navailable.  On Debian/Ubuntu systems, you need to install the python3-venv\npackage using the following command.\n\n    apt install python3.10-venv\n\nYou may need to use sudo with that command.  After installing the python3-venv\npackage, recreate your virtual environment.\n\nFailing command: ['/opt/venv/bin/python3', '-Im', 'ensurepip', '--upgrade', '--default-pip']\n\n");
    let out = sh(
        &mut fs,
        "apt-get install -y python3-venv >/dev/null && python3 -m venv /opt/venv && /opt/venv/bin/pip --version",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "pip 22.0.2 from /opt/venv/lib/python3.10/site-packages/pip (python 3.10)\n"
    );
}

#[test]
fn pip_on_ubuntu_noble_is_externally_managed_and_t64_names_replace_old_ones() {
    let mut fs = catalog_fs("ubuntu:24.04");
    let out = sh(
        &mut fs,
        "apt-get update >/dev/null && apt-get install -y python3 python3-pip python3-venv nginx libssl3 >/dev/null && python3 --version && pip3 --version",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Python 3.12.3\npip 24.0 from /usr/lib/python3/dist-packages/pip (python 3.12)\n"
    );
    let status = read(&fs, "/var/lib/dpkg/status");
    assert!(status.contains("Package: libssl3t64\n"));
    assert!(!status.contains("Package: libssl3\n"));
    assert!(status.contains("Package: nginx\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: 1388\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\nArchitecture: amd64\nVersion: 1.24.0-2ubuntu7.1\n"));
    let out = sh(&mut fs, "pip3 install flask==3.0.0 gunicorn");
    assert_eq!(out.exit_code, 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("error: externally-managed-environment\n")
    );
    let out = sh(
        &mut fs,
        "pip3 install -q --break-system-packages flask && ls /usr/local/lib/python3.12/dist-packages | grep -c '^flask' && python3 -m venv /venv && /venv/bin/pip --version",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "2\npip 24.0 from /venv/lib/python3.12/site-packages/pip (python 3.12)\n"
    );
    let out = sh(&mut fs, "apt-get install -s libssl3");
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("Note, selecting 'libssl3t64' instead of 'libssl3'\n"));
}

#[test]
fn apt_simulation_names_ubuntu_pockets() {
    let mut fs = catalog_fs("ubuntu:24.04");
    let out = sh(
        &mut fs,
        "apt-get update >/dev/null && apt-get install -s make curl perl",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Inst make (4.3-4.1build2 Ubuntu:24.04/noble [amd64])\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Inst curl (8.5.0-2ubuntu10.6 Ubuntu:24.04/noble-updates [amd64])\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Inst perl (5.38.2-3.2build2.1 Ubuntu:24.04/noble-updates [amd64])\n"),
        "{stdout}"
    );
}

#[test]
fn ubuntu_overlays_keep_covered_packages_in_ubuntu_data() {
    // Every package an overlay line pulls in (depends and recommends, all the way
    // down) has an overlay line too, so no Debian 12 version shows on Ubuntu.
    for (codename, text) in [
        ("jammy", include_str!("packages/index_jammy.txt")),
        ("noble", include_str!("packages/index_noble.txt")),
    ] {
        let index = super::packages::index::apt("ubuntu", codename);
        let own: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains('|'))
            .filter_map(|l| l.split('|').next())
            .collect();
        assert!(own.len() > 80, "{codename}: {} lines", own.len());
        for name in &own {
            let entry = index
                .iter()
                .find(|e| e.name == *name)
                .expect("in the index");
            for dep in entry.depends.iter().chain(&entry.recommends) {
                assert!(
                    own.contains(dep) || !index.iter().any(|e| e.name == *dep),
                    "{codename}: {name} pulls in Debian's {dep}"
                );
            }
        }
    }
    let debian = super::packages::index::apt("debian", "bookworm");
    let python = debian
        .iter()
        .find(|e| e.name == "python3")
        .expect("python3");
    assert_eq!(python.version, "3.11.2-1+b1");
}

#[test]
fn node_and_npm_report_the_versions_their_tree_records() {
    for (reference, node, npm) in [
        ("node:22-alpine", "v22.12.0", "10.9.0"),
        ("node:18.0.0-alpine", "v18.0.0", "10.8.2"),
    ] {
        let mut fs = catalog_fs(reference);
        let out = sh(
            &mut fs,
            "node --version && node -v && nodejs --version && npm --version && npm -v",
        );
        assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{node}\n{node}\n{node}\n{npm}\n{npm}\n"),
            "{reference}"
        );
    }
    // Alpine's own npm has no package.json of its own here: apk's record says.
    let mut fs = alpine();
    let out = sh(
        &mut fs,
        "apk add --no-cache npm >/dev/null && npm --version",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "10.2.5\n");
    // Running JavaScript is not modelled: a notice, nothing printed, success.
    let mut fs = catalog_fs("node:20-alpine");
    let out = sh(&mut fs, "node server.js");
    assert_eq!(out.exit_code, 0);
    assert!(out.stdout.is_empty());
    assert!(out
        .notices
        .iter()
        .any(|n| n.message.contains("runs JavaScript")));
}

#[test]
fn pip_list_prints_its_table_and_freeze_leaves_out_the_installers_tools() {
    let mut fs = catalog_fs("python:3.11-slim");
    let out = sh(
        &mut fs,
        "pip list && echo -- && pip freeze && echo -- && pip freeze --all",
    );
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Package    Version\n---------- -------\npip        24.0\nsetuptools 65.5.1\nwheel      0.45.1\n--\n--\npip==24.0\nsetuptools==65.5.1\nwheel==0.45.1\n"
    );
    let mut fs = catalog_fs("python:3.12-slim");
    let out = sh(&mut fs, "pip list");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Package Version\n------- -------\npip     24.3.1\n"
    );
}

/// A command's own `PATH=` assignment is the PATH its lookup uses (dash's
/// `evalcommand` takes PATH from the command's variable list), and only for it.
#[test]
fn a_prefix_path_assignment_finds_the_program() {
    let mut fs = alpine();
    fs.mkdir_all("/x/bin", Meta::new(0o755)).unwrap();
    fs.write_file(
        "/x/bin/hello",
        Blob::from_bytes(b"#!/bin/sh\necho from-x\n".to_vec()),
        Meta::new(0o755),
    )
    .unwrap();
    let out = sh(&mut fs, "PATH=/x/bin:$PATH hello; hello; echo $?");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "from-x\n127\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/bin/sh: hello: not found\n"
    );
}
