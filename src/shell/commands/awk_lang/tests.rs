use super::*;

#[test]
fn parses_what_official_images_run_and_refuses_the_rest() {
    for ok in [
        r##"$1 == "#define" && $2 == "DEFAULT_PGSOCKET_DIR" && $3 == "\"/tmp\"" { $3 = "\"/var/run/postgresql\""; print; next } { print }"##,
        r#"system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }"#,
        r#"/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }"#,
        "BEGIN { for (i = 0; i < 3; i++) s = s i; print s }",
        "{ n[$1]++ } END { for (k in n) print k, n[k] }",
    ] {
        assert!(parse(ok).is_some(), "{ok}");
    }
    for unsupported in [
        "function f(x) { return x } { print f($1) }",
        "{ print > \"/tmp/out\" }",
        "{ getline line < \"/etc/passwd\" }",
        "/a/,/b/",
    ] {
        assert!(parse(unsupported).is_none(), "{unsupported}");
    }
}

#[test]
fn formats_numbers_and_printf_as_awk_does() {
    assert_eq!(fmt_num(3.0), "3");
    assert_eq!(fmt_num(0.1 + 0.2), "0.3");
    assert_eq!(fmt_num(1e20), "1e+20");
    assert_eq!(fmt_num(f64::INFINITY), "inf");
    assert_eq!(format_g(f64::NAN, 6), "nan");
    assert_eq!(
        sprintf(
            "%5s|%-4d|%05.1f|%x|%c|%%|%.2s",
            &[
                Value::Str("ab".into()),
                Value::Num(7.0),
                Value::Num(-2.25),
                Value::Num(255.0),
                Value::Num(65.0),
                Value::Str("xyz".into()),
            ]
        ),
        "   ab|7   |-02.2|ff|A|%|xy"
    );
}

#[test]
fn gsub_and_split_follow_posix() {
    assert_eq!(
        substitute("^/(usr/)?", "", "/usr/lib/x.so", true)
            .ok()
            .map(|r| r.0),
        Some("lib/x.so".to_string())
    );
    assert_eq!(
        substitute("o", "[&]", "foo", true).ok(),
        Some(("f[o][o]".to_string(), 2))
    );
    assert_eq!(
        substitute("x*", "-", "ab", true).ok().map(|r| r.0),
        Some("-a-b-".to_string())
    );
    assert_eq!(split("  a  b ", " "), vec!["a", "b"]);
    assert_eq!(split("a:b::c", ":"), vec!["a", "b", "", "c"]);
    assert_eq!(split("a1b22c", "[0-9]+"), vec!["a", "b", "c"]);
}

#[test]
fn overlong_programs_are_refused_instead_of_recursing_deeply() {
    let deep = format!("{{ print {}1{} }}", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&deep).is_none());
    let long = format!("{{ x = 1{} }}", " + 1".repeat(5000));
    assert!(parse(&long).is_none());
}
