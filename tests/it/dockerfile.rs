//! BuildKit conformance: the shared golden data, read in place from `../shared/`.
//!
//! Run with `cargo test --test it dockerfile -- --nocapture` to see the counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use layerlab::dockerfile::expand::Lexer;
use layerlab::dockerfile::syntax::{self, Heredoc};
use serde_json::Value;

fn shared(relative: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    assert!(
        path.exists(),
        "the shared conformance data is missing: {} not found",
        path.display()
    );
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    out.sort();
    out
}

#[test]
fn buildkit_testfiles_dump_byte_for_byte() {
    let dir = shared("conformance/buildkit/parser/testfiles");
    let mut failures = Vec::new();
    let all = cases(&dir);
    for case in &all {
        let text = std::fs::read(case.join("Dockerfile")).expect("Dockerfile");
        let expected = read(&case.join("result"));
        match syntax::parse_bytes(&text) {
            Ok(file) if file.dump() == expected => {}
            Ok(file) => failures.push(format!(
                "{}:\n{}\nexpected:\n{expected}",
                case.display(),
                file.dump()
            )),
            Err(e) => failures.push(format!("{}: {e}", case.display())),
        }
    }
    println!(
        "buildkit testfiles: {}/{} dumps equal",
        all.len() - failures.len(),
        all.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn buildkit_negative_testfiles_fail() {
    // The line BuildKit names (an empty file has none: BuildKit says 0, we say 1).
    let expected_lines = [
        ("empty_dockerfile", 1),
        ("env_no_value", 3),
        ("only_comments", 3),
        ("shykes-nested-json", 1),
    ];
    let dir = shared("conformance/buildkit/parser/testfiles-negative");
    let all = cases(&dir);
    let mut rejected = 0;
    for case in &all {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read(case.join("Dockerfile")).expect("Dockerfile");
        match syntax::parse_bytes(&text) {
            Err(e) => {
                let want = expected_lines
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, l)| *l);
                assert_eq!(Some(e.line), want, "{name}: {e}");
                rejected += 1;
            }
            Ok(_) => panic!("{} parsed but BuildKit rejects it", case.display()),
        }
    }
    println!(
        "buildkit negative testfiles: {rejected}/{} rejected, lines as BuildKit names them",
        all.len()
    );
    assert_eq!(rejected, all.len());
}

#[test]
fn buildkit_testfile_line_numbers() {
    let text = read(&shared(
        "conformance/buildkit/parser/testfile-line/Dockerfile",
    ));
    let file = syntax::parse(&text).expect("parses");
    let lines: Vec<(usize, usize)> = file
        .children
        .iter()
        .map(|c| (c.start_line, c.end_line))
        .collect();
    assert_eq!(file.children.first().map(|c| c.start_line), Some(5));
    assert_eq!(file.children.last().map(|c| c.end_line), Some(31));
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
    println!(
        "buildkit testfile-line: {} instructions, lines as expected",
        lines.len()
    );
}

fn lexer_cases(path: &Path) -> Vec<String> {
    read(path)
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn buildkit_env_var_test() {
    let env: Vec<(String, String)> = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let lexer = Lexer::new('\\');
    let (mut run, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for line in lexer_cases(&shared("conformance/buildkit/shell/envVarTest")) {
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(fields.len(), 3, "bad line {line:?}");
        if fields[0] == "W" {
            continue;
        }
        run += 1;
        let got = lexer.process_word(fields[1], &env);
        let ok = match (fields[2], &got) {
            ("error", Err(_)) => true,
            (expected, Ok(out)) => out == expected,
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!("{line}: got {got:?}"));
        }
    }
    println!("shell envVarTest: {passed}/{run} (A and U lines) pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn buildkit_words_test() {
    let mut env: Vec<(String, String)> = Vec::new();
    let lexer = Lexer::new('\\');
    let (mut run, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for line in lexer_cases(&shared("conformance/buildkit/shell/wordsTest")) {
        if let Some(assignment) = line.strip_prefix("ENV ") {
            let assignment = assignment.trim_start();
            let (k, v) = assignment.split_once('=').expect("ENV k=v");
            env.push((k.to_string(), v.to_string()));
            continue;
        }
        let (input, expected) = line.split_once('|').expect("input | words");
        let input = input.trim();
        let expected = expected.trim_start();
        run += 1;
        let got = lexer.process_words(input, &env);
        let ok = match (expected, &got) {
            ("error", Err(_)) => true,
            (expected, Ok(words)) => *words == expected.split(',').collect::<Vec<_>>(),
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!("{line}: got {got:?}"));
        }
    }
    println!("shell wordsTest: {passed}/{run} pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn buildkit_process_with_matches() {
    let path = shared("conformance/buildkit/extracted/lex_process_with_matches.json");
    let table: Vec<Value> = serde_json::from_str(&read(&path)).expect("json");
    let lexer = Lexer::new('\\');
    let mut failures = Vec::new();
    for case in &table {
        let input = case["input"].as_str().expect("input");
        let env: BTreeMap<String, String> = case["env"]
            .as_object()
            .expect("env")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        let got = lexer.process_word_with_matches(input, &env);
        let ok = match &got {
            Err(_) => case["error"].as_bool() == Some(true),
            Ok(e) => {
                case["error"].as_bool() != Some(true)
                    && Some(e.result.as_str()) == case["expected"].as_str()
                    && e.matched.iter().cloned().collect::<Vec<_>>()
                        == sorted(strings(&case["matched"]))
                    && e.unmatched.iter().cloned().collect::<Vec<_>>()
                        == sorted(strings(&case["unmatched"]))
            }
        };
        if !ok {
            failures.push(format!("{case}: got {got:?}"));
        }
    }
    println!(
        "lex ProcessWithMatches: {}/{} pass",
        table.len() - failures.len(),
        table.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn heredocs_json(docs: &[Heredoc]) -> Value {
    if docs.is_empty() {
        return Value::Null;
    }
    docs.iter()
        .map(|d| {
            serde_json::json!({
                "Name": d.name, "FileDescriptor": d.file_descriptor, "Expand": d.expand,
                "Chomp": d.chomp, "Content": d.content,
            })
        })
        .collect()
}

#[test]
fn buildkit_heredoc_cases() {
    let path = shared("conformance/buildkit/extracted/parser_heredoc_cases.json");
    let data: Value = serde_json::from_str(&read(&path)).expect("json");
    let file = syntax::parse(data["dockerfile"].as_str().expect("dockerfile")).expect("parses");
    let expected = data["expected"].as_array().expect("expected");
    assert_eq!(file.children.len(), expected.len() + 1, "instruction count");
    let mut passed = 0;
    for (child, want) in file.children[1..].iter().zip(expected) {
        assert_eq!(
            &heredocs_json(&child.heredocs),
            want,
            "line {}: {}",
            child.start_line,
            child.original
        );
        passed += 1;
    }
    println!("parser heredoc cases: {passed}/{} pass", expected.len());
}

#[test]
fn corpus_dumps_lines_and_heredocs_match_buildkit() {
    let dir = shared("conformance/corpus");
    let expected_lines: BTreeMap<String, Value> = read(&dir.join("expected/parse.jsonl"))
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("jsonl");
            (v["file"].as_str().expect("file").to_string(), v)
        })
        .collect();
    let files: Vec<PathBuf> = cases(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    let (mut dumps, mut positions, mut typed) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".Dockerfile");
        let expected = read(&dir.join("expected").join(format!("{stem}.result")));
        let file = match syntax::parse_bytes(&std::fs::read(path).expect("read")) {
            Ok(file) => file,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if file.dump() == expected {
            dumps += 1;
        } else {
            failures.push(format!("{name}: dump differs"));
        }
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
        match layerlab::dockerfile::parse(&text) {
            (Some(_), diagnostics) if diagnostics.is_empty() => typed += 1,
            (_, diagnostics) => failures.push(format!("{name}: {diagnostics:?}")),
        }
        let want = &expected_lines[&name];
        let got: Vec<Value> = file
            .children
            .iter()
            .map(|c| serde_json::json!({"start": c.start_line, "end": c.end_line, "heredocs": heredocs_json(&c.heredocs)}))
            .collect();
        if want["children"].as_array() == Some(&got) && file.warnings.is_empty() {
            positions += 1;
        } else {
            failures.push(format!("{name}: lines or heredocs differ"));
        }
    }
    println!(
        "corpus: {dumps}/{} dumps equal, {positions}/{} line ranges and heredocs equal, \
         {typed}/{} typed without a diagnostic",
        files.len(),
        files.len(),
        files.len()
    );
    assert_eq!(files.len(), 131, "expected the 131 corpus Dockerfiles");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
