#!/usr/bin/env bash
# How small can the page's wasm get? Builds three variants of the engine from a
# throwaway copy of the sources and prints each one's gzip -9 size after
# wasm-bindgen (BENCHMARKS.md, "The wasm size floor"):
#   full         the engine as shipped;
#   no-programs  the shell keeps only `sh`: every simulated program and package
#                manager is gone, so RUN can do almost nothing;
#   bare         no-programs, and every catalog and package text file empty: no
#                base image has any file.
# The last one is the floor of the engine itself (parser, builder, image model,
# layers, OCI export and import, union view, cache, container, shell language).
# Usage: bash scripts/wasm-floor.sh   (CARGO_TARGET_DIR is honoured; builds take
# about a minute each after the first).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

cp -r Cargo.toml Cargo.lock src benches examples "$work/"

measure() {
    (cd "$work" && cargo build --quiet --release --lib --target wasm32-unknown-unknown)
    wasm-bindgen --target web --out-dir "$work/out" \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/layerlab.wasm"
    printf '%-12s raw %9d  gzip -9 %8d\n' "$1" \
        "$(stat -c %s "$work/out/layerlab_bg.wasm")" \
        "$(gzip -9c "$work/out/layerlab_bg.wasm" | wc -c)"
}

measure full

# Keep the program table's code out of the link: the shipped `find` becomes an
# unused function and a new one knows only `sh`.
python3 - "$work/src/shell/commands/mod.rs" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
old = "pub fn find(name: &str) -> Option<Program> {"
if old not in text:
    sys.exit("wasm-floor: src/shell/commands/mod.rs has no `" + old + "`; update this script")
text = text.replace(old, "#[allow(dead_code)]\nfn find_all(name: &str) -> Option<Program> {", 1)
text += '\npub fn find(name: &str) -> Option<Program> {\n    (name == "sh").then_some(builtins::sh_program as Program)\n}\n'
open(path, "w").write(text)
EOF
measure no-programs

grep -rlZE 'include_str!\("[^"]*\.txt"\)' "$work/src" |
    xargs -0 sed -i -E 's/include_str!\("[^"]*\.txt"\)/""/g'
measure bare
