//! libFuzzer target: any bytes through the parser, the instruction checks and
//! every lexer mode must return, never panic or hang. See `fuzz/README.md`.

#![no_main]

use layerlab::dockerfile::{self, expand::Lexer, syntax};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = syntax::parse_bytes(data);
    let text = String::from_utf8_lossy(data);
    let _ = dockerfile::parse(&text);
    let env = vec![
        ("A".to_string(), "abc a*b".to_string()),
        ("E".to_string(), String::new()),
    ];
    // Lines alternate between the two escape characters to keep each run short.
    for (index, line) in text.lines().take(16).enumerate() {
        let escape = if index % 2 == 0 { '\\' } else { '`' };
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
});
