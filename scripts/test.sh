#!/usr/bin/env bash
# Every test: formatting, lints, native tests, wasm tests in headless Chromium, and
# the browser end-to-end tests against the served page. Installs what is missing.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_test_tools
cd "$ROOT"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy (native, all targets; wasm32 lib)"
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib -- -D warnings

step "native tests (cargo test)"
# The log goes where cargo puts its output (CARGO_TARGET_DIR when set), which exists by now.
cargo test --quiet -- --show-output 2>&1 | tee "${CARGO_TARGET_DIR:-$ROOT/target}/native-tests.log"

step "wasm tests in headless Chromium (wasm-pack test)"
WASM_BINDGEN_TEST_TIMEOUT=180 wasm-pack test --mode no-install --headless --chrome -- --test web

step "browser end-to-end tests (node --test, playwright-core, Debian's Chromium)"
build_pkg
(cd tests/e2e && node --test --test-reporter=spec --test-concurrency=1 ./*.test.mjs)
