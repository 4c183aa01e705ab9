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
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "uid=1501(bob) gid=1501(bob) groups=1501(bob)\nbob app\n"
    );
    let mut a = alpine();
    let out = sh(
        &mut a,
        "addgroup -S grp && adduser -S -D -H -G grp usr && grep usr /etc/passwd",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "usr:x:999:999::/home/usr:/bin/sh\n"
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
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "layerlab: re2c is not in the simulated package archive; installed a placeholder (simulated)\n\
         layerlab: libc-dev is not in the simulated package archive; installed a placeholder (simulated)\n"
    );
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
        && n.message == "layerlab: re2c is not in the simulated package archive; installed a placeholder (simulated)"));
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
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "layerlab: tk is not in the simulated package archive; installed a placeholder (simulated)\n"
    );
    assert!(out
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::NotSimulated && n.program == "apk"));
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
