//! Property tests of the RUN shell: random scripts (from a grammar and as raw bytes)
//! against a small image never panic and always end, and a script run twice on
//! the same filesystem leaves identical filesystems.

use super::shell_gen::{context, image, script};
use layerlab::shell::{run, Invocation};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

#[test]
fn grammar_scripts_end_deterministically() {
    let base = image();
    runner(300)
        .run(&any::<u64>(), |seed| {
            let text = script(seed);
            let mut one = base.clone();
            let mut two = base.clone();
            let a = run(&mut one, &Invocation::Script(text.clone()), &context());
            let b = run(&mut two, &Invocation::Script(text), &context());
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(one.listing(), two.listing());
            Ok(())
        })
        .expect("random scripts run without panics and deterministically");
}

/// Seeds whose scripts once crashed or hung the shell (`examples/fuzz_shell`):
/// `xargs -n` as the last argument, and `cp -a . sub` copying into itself forever.
#[test]
fn fuzz_regressions_end() {
    let base = image();
    for seed in [2007, 7376, 11414] {
        let mut fs = base.clone();
        let out = run(&mut fs, &Invocation::Script(script(seed)), &context());
        assert!((0..=255).contains(&out.exit_code), "seed {seed}");
    }
}

#[test]
fn raw_bytes_never_panic() {
    let base = image();
    runner(300)
        .run(&proptest::collection::vec(any::<u8>(), 0..300), |bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut fs = base.clone();
            let out = run(&mut fs, &Invocation::Script(text), &context());
            prop_assert!(out.exit_code >= 0 && out.exit_code <= 255);
            Ok(())
        })
        .expect("raw bytes run without panics");
}

#[test]
fn exec_form_with_random_argv_never_panics() {
    let base = image();
    let word = prop::sample::select(vec![
        "ls",
        "cat",
        "-l",
        "/",
        "/etc/passwd",
        "apt-get",
        "install",
        "pip",
        "x",
        "",
        "sh",
        "-c",
        "echo $0",
    ]);
    runner(200)
        .run(&proptest::collection::vec(word, 0..5), |argv| {
            let mut fs = base.clone();
            let argv: Vec<String> = argv.into_iter().map(str::to_string).collect();
            let out = run(&mut fs, &Invocation::Exec(argv.clone()), &context());
            prop_assert!(
                argv.is_empty() == (out.failure.as_deref() == Some("no command specified"))
            );
            Ok(())
        })
        .expect("exec form runs without panics");
}
