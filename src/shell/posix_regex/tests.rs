use super::*;

fn all(pattern: &str, ere: bool, hay: &str) -> Vec<String> {
    let re = compile(pattern, ere, false).unwrap();
    re.captures_iter(hay.as_bytes())
        .map(|c| {
            let (s, e) = c.get(0).unwrap();
            hay[s..e].to_string()
        })
        .collect()
}

fn groups(pattern: &str, ere: bool, hay: &str) -> Vec<Option<String>> {
    let re = compile(pattern, ere, false).unwrap();
    let caps = re.captures_iter(hay.as_bytes()).next().unwrap();
    (0..4)
        .map(|g| caps.get(g).map(|(s, e)| hay[s..e].to_string()))
        .collect()
}

fn matches(pattern: &str, ere: bool, icase: bool, hay: &str) -> bool {
    compile(pattern, ere, icase)
        .unwrap()
        .is_match(hay.as_bytes())
}

#[test]
fn alternation_is_leftmost_first_and_repetition_greedy_or_lazy() {
    assert_eq!(all("a|ab", true, "ab ab"), ["a", "a"]);
    assert_eq!(all("ab|a", true, "ab a"), ["ab", "a"]);
    assert_eq!(all("a+", true, "caaat aa"), ["aaa", "aa"]);
    assert_eq!(all("a+?", true, "aa"), ["a", "a"]);
    assert_eq!(all(r"a\+\?", false, "aa"), ["a", "a"]);
    assert_eq!(all("<.*>", true, "<a> <b>"), ["<a> <b>"]);
    assert_eq!(all("<.*?>", true, "<a> <b>"), ["<a>", "<b>"]);
    assert_eq!(all("colou?r", true, "color colour"), ["color", "colour"]);
}

#[test]
fn groups_number_in_opening_order_for_both_dialects() {
    let want = ["key=value", "key", "value"].map(|s| Some(s.to_string()));
    assert_eq!(groups(r"\([a-z]*\)=\(.*\)", false, "key=value")[..3], want);
    assert_eq!(groups("([a-z]*)=(.*)", true, "key=value")[..3], want);
    // Nested groups and a group that does not take part.
    assert_eq!(
        groups("((a)|b)+", true, "ab"),
        [Some("ab".into()), Some("b".into()), Some("a".into()), None]
    );
    // The last iteration's text is what a repeated group holds.
    assert_eq!(groups("(a|b)*", true, "abb")[1], Some("b".to_string()));
    // An empty iteration does not win over a real one.
    assert_eq!(groups("(a*)*", true, "b")[1], Some(String::new()));
    assert_eq!(groups("(a*)+", true, "aa")[1], Some("aa".to_string()));
}

#[test]
fn bre_and_ere_differ_in_which_characters_are_operators() {
    assert!(matches("a+b", false, false, "a+b"));
    assert!(!matches("a+b", false, false, "aab"));
    assert!(matches("a+b", true, false, "aab"));
    assert!(matches("(x)", false, false, "(x)"));
    assert!(matches(r"\(x\)", true, false, "(x)"));
    assert!(matches("a|b", false, false, "a|b"));
    assert!(matches(r"a\|b", false, false, "b"));
    assert!(matches("x{2}", false, false, "x{2}"));
    assert!(matches(r"x\{2\}", false, false, "xx"));
    assert!(!matches(r"x\{2\}", false, false, "x"));
    assert!(matches("x{2,}", true, false, "xxx"));
    assert_eq!(all("x{1,2}", true, "xxx"), ["xx", "x"]);
    // `{` that starts no interval is literal in an ERE.
    assert!(matches("a{,2}", true, false, "a{,2}"));
    assert!(matches("a{x", true, false, "a{x"));
    // `*` at the start of a pattern, group or branch, or after `^`, is literal.
    assert!(matches("*a", false, false, "*a"));
    assert!(matches("^*a", true, false, "*a"));
    assert!(matches(r"\(*\)", false, false, "*"));
    assert!(matches("x|*", true, false, "*"));
    // `^` and `$` anchor wherever they are.
    assert!(!matches("a^b", true, false, "a^b"));
    assert!(matches("a$", false, false, "ba"));
    assert!(!matches("a$", false, false, "ab"));
}

#[test]
fn bracket_expressions_classes_ranges_and_negation() {
    assert_eq!(all("[[:alpha:]]+", true, "ab1cd"), ["ab", "cd"]);
    assert_eq!(all("[[:digit:][:space:]]+", true, "a1 2b"), ["1 2"]);
    assert_eq!(all("[^0-9]+", true, "ab12c"), ["ab", "c"]);
    assert_eq!(all("[]a]+", true, "x]a]y"), ["]a]"]);
    assert_eq!(all("[^]a]+", true, "]ab]"), ["b"]);
    assert_eq!(all("[a-]+", true, "b-a-c"), ["-a-"]);
    assert_eq!(all("[-a]+", true, "b-a-c"), ["-a-"]);
    assert_eq!(all("[a-c-e]+", true, "xb-ey"), ["b-e"]);
    assert_eq!(all(r"[\.]+", true, r"a\.b"), [r"\."]);
    assert_eq!(all("[[:upper:]]", true, "aBc"), ["B"]);
    // `--` is a set difference; an unknown `[:name:]` is its own characters.
    assert_eq!(all("[a-z--aeiou]+", true, "bead"), ["b", "d"]);
    assert_eq!(all("[[:foo:]]+", true, "f:oxo"), ["f:o", "o"]);
    assert_eq!(all("[[:digit:]-z]+", true, "a1-zb"), ["1-z"]);
    // A negated class matches a newline and bytes outside ASCII; `.` no newline.
    assert!(matches("^[^a]$", true, false, "\n"));
    assert!(!matches("^.$", true, false, "\n"));
    assert!(matches("^..$", true, false, "é"));
    assert_eq!(all("é+", true, "xééy"), ["éé"]);
}

#[test]
fn word_boundaries_escapes_and_case_folding() {
    assert_eq!(all(r"\<[a-z]*\>", false, "ab cd"), ["ab", "cd"]);
    assert_eq!(all(r"\bis\b", true, "this is"), ["is"]);
    assert_eq!(all(r"\Bis", true, "this is"), ["is"]);
    assert_eq!(all(r"\w+", true, "a_1-b"), ["a_1", "b"]);
    assert_eq!(all(r"\s+", true, "a \t b"), [" \t "]);
    assert_eq!(all(r"\S+", true, "a \t b"), ["a", "b"]);
    assert_eq!(all(r"a\.b", false, "axb a.b"), ["a.b"]);
    assert!(matches(r"a\tb", false, false, "a\tb"));
    assert!(matches("HELLO", false, true, "say hello"));
    assert!(matches("[a-c]x", false, true, "BX"));
    assert!(matches("[^a]", false, true, "b"));
    assert!(!matches("^[^a]$", false, true, "A"));
    assert!(!matches("HELLO", false, false, "hello"));
    assert!(matches(r"a\", false, false, r"a\"));
}

#[test]
fn empty_matches_never_repeat_where_the_last_match_ended() {
    assert_eq!(all("x*", true, "abc"), ["", "", "", ""]);
    assert_eq!(all("b*", true, "abc"), ["", "b", ""]);
    let re = compile("", false, false).unwrap();
    assert_eq!(re.captures_iter(b"").count(), 1);
}

#[test]
fn grep_wrappers_and_fixed_strings() {
    let fixed = Node::literal(b"a.b", true);
    let re = Regex::new(&Node::Alt(vec![
        fixed.word(),
        parse("^z", false, false).unwrap(),
    ]))
    .unwrap();
    assert!(re.is_match(b"x A.B y"));
    assert!(!re.is_match(b"xa.b"));
    assert!(!re.is_match(b"axb"));
    assert!(re.is_match(b"zz"));
    let whole = Regex::new(&parse("python3.*", true, false).unwrap().whole()).unwrap();
    assert!(whole.is_match(b"python3-pip"));
    assert!(!whole.is_match(b"libpython3"));
}

#[test]
fn bad_patterns_are_errors_with_the_commands_messages() {
    let err = |p: &str, ere: bool| compile(p, ere, false).err().unwrap();
    assert_eq!(err("[abc", false), "Unmatched [");
    assert_eq!(err(r"\(a\)\1", false), "back references are not supported");
    for (p, ere) in [
        (r"\(a", false),
        (r"a\)", false),
        ("(a", true),
        ("a)", true),
        ("+a", true),
        ("a|?", true),
        ("a{3,1}", true),
        ("a{1,2,3}", true),
        (r"a\{x\}", false),
        (r"\{1\}", false),
        ("[z-a]", true),
        ("[a-[:alpha:]]", true),
        ("[é]", true),
        ("a{99999999999}", true),
    ] {
        assert_eq!(err(p, ere), "Invalid regular expression", "{p}");
    }
    assert_eq!(err("(a{1000}){1000}", true), "regular expression too big");
}

#[test]
fn deep_nesting_is_refused_before_it_can_overflow_the_stack() {
    let deep = format!("{}a{}", "(".repeat(500), ")".repeat(500));
    assert_eq!(
        compile(&deep, true, false).err().unwrap(),
        "Invalid regular expression"
    );
    let stars = format!("a{}", "*".repeat(500));
    assert_eq!(
        compile(&stars, true, false).err().unwrap(),
        "Invalid regular expression"
    );
    assert!(compile(
        &format!("{}a{}", "(".repeat(20), ")*".repeat(20)),
        true,
        false
    )
    .is_ok());
}

#[test]
fn pathological_patterns_take_linear_time() {
    let hay = "a".repeat(20_000);
    for p in ["(a*)*b", "(a|aa)*c", "(a?){30}a{30}b", "(.*)*x"] {
        let re = compile(p, true, false).unwrap();
        assert!(!re.is_match(hay.as_bytes()), "{p}");
    }
    let re = compile("(a|aa)*$", true, false).unwrap();
    assert_eq!(
        re.captures_iter(hay.as_bytes()).next().unwrap().get(0),
        Some((0, 20_000))
    );
}
