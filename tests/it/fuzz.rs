//! No input makes the parser or the expander panic or hang: a seeded
//! proptest run over mutated corpus files, token soups and random bytes,
//! small enough for CI. The cargo-fuzz target in `fuzz/` runs the same
//! checks for millions of inputs.

use std::path::Path;
use std::sync::OnceLock;

use layerlab::dockerfile::{self, expand::Lexer, syntax};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The pieces of Dockerfile syntax most likely to hit an edge.
const TOKENS: &[&str] = &[
    "\\",
    "`",
    "<<",
    "<<-",
    "'",
    "\"",
    "$",
    "{",
    "}",
    "[",
    "]",
    "\n",
    "\r\n",
    " ",
    "\t",
    "#",
    "=",
    ":-",
    ":+",
    ":?",
    "#",
    "%%",
    "//",
    "/",
    ",",
    "--",
    "--mount=",
    "--from=",
    "EOF",
    "RUN ",
    "FROM ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "CMD ",
    "SHELL ",
    "# escape=`\n",
    "# syntax=x\n",
    "${",
    "$VAR",
    "*",
    "?",
    "\u{a0}",
    "\u{85}",
    "é",
    "\u{feff}",
    "\0",
    "1",
    "AS",
];

fn corpus() -> &'static Vec<Vec<u8>> {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/corpus");
        assert!(
            dir.exists(),
            "the shared conformance data is missing: {} not found",
            dir.display()
        );
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("read corpus")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read(p).expect("read"))
            .collect()
    })
}

/// Everything the front end does with untrusted text: parse, type, and
/// expand every line in every lexer mode.
fn exercise(bytes: &[u8]) {
    let _ = syntax::parse_bytes(bytes);
    let text = String::from_utf8_lossy(bytes);
    let _ = dockerfile::parse(&text);
    let env = vec![
        ("A".to_string(), "abc a*b".to_string()),
        ("E".to_string(), String::new()),
    ];
    for line in text.lines().take(50) {
        for escape in ['\\', '`'] {
            let plain = Lexer::new(escape);
            let _ = plain.process_word_with_matches(line, &env);
            let _ = plain.process_words(line, &env);
            let raw = Lexer {
                raw_quotes: true,
                raw_escapes: true,
                skip_unset_env: true,
                ..plain
            };
            let _ = raw.process_words(line, &env);
            let bare = Lexer {
                skip_process_quotes: true,
                ..plain
            };
            let _ = bare.process_word(line, &env);
        }
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Byte(usize, u8),
}

fn mutate(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = data.len().max(1);
        match *mutation {
            Mutation::Insert(at, token) => {
                let at = at % (data.len() + 1);
                let token = TOKENS[token % TOKENS.len()].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n % 64).min(data.len());
                if at < end {
                    data.drain(at..end);
                }
            }
            Mutation::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n % 256).min(data.len());
                if at < end {
                    let copy = data[at..end].to_vec();
                    data.splice(at..at, copy);
                }
            }
            Mutation::Byte(at, b) => {
                if !data.is_empty() {
                    let at = at % data.len();
                    data[at] = b;
                }
            }
        }
    }
    data
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Byte(a, b)),
    ]
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

#[test]
fn mutated_corpus_files_never_panic() {
    let files = corpus();
    let strategy = (0..files.len(), proptest::collection::vec(mutation(), 1..24));
    runner(300)
        .run(&strategy, |(index, mutations)| {
            exercise(&mutate(files[index].clone(), &mutations));
            Ok(())
        })
        .unwrap();
}

#[test]
fn token_soup_never_panics() {
    let strategy = proptest::collection::vec(0..TOKENS.len(), 0..120);
    runner(2000)
        .run(&strategy, |tokens| {
            let text: String = tokens.iter().map(|&t| TOKENS[t]).collect();
            exercise(text.as_bytes());
            Ok(())
        })
        .unwrap();
}

#[test]
fn random_bytes_never_panic() {
    runner(1000)
        .run(&proptest::collection::vec(any::<u8>(), 0..400), |bytes| {
            exercise(&bytes);
            Ok(())
        })
        .unwrap();
}

/// Inputs that once broke something, kept so they never do again.
#[test]
fn regressions() {
    for input in [
        "FROM a\nRUN --mount=\u{800}\u{a0}\u{80}x y\n",
        "HEALTHCHECK \u{800}\u{85} CMD x",
        "${A//*a*a*a*a*a*a*a*a*a*a*a*b/x}",
    ] {
        exercise(input.as_bytes());
    }
}
