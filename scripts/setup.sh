# Idempotent set-up shared by serve.sh and test.sh: installs only what is missing,
# at pinned versions, so a second run takes seconds. Source it; do not run it.
# Usage: LAYERLAB_SETUP="build" or "test" (test also installs the browser and oracle).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_PACK_VERSION="0.15.1"
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or wasm-pack tries a download.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_cargo_tool() { # binary, crate, version
    local have
    have="$("$1" --version 2>/dev/null | awk '{print $2}' || true)"
    if [ "$have" != "$3" ]; then
        say "installing $2 $3 (was: ${have:-none}); this takes a few minutes once"
        cargo install "$2" --version "$3" --locked --force
    fi
}

ensure_apt() { # packages...
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]} from Debian"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

ensure_npm_deps() {
    local dir="$ROOT/tests/e2e"
    # Reinstall only when the lock file changed since the last install.
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.layerlab-lock"; then
        say "installing the browser-test packages (playwright-core, never a browser download)"
        (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
        cp "$dir/package-lock.json" "$dir/node_modules/.layerlab-lock"
    fi
}

ensure_build_tools() {
    ensure_wasm_target
    ensure_cargo_tool wasm-pack wasm-pack "$WASM_PACK_VERSION"
    ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
}

ensure_test_tools() {
    ensure_build_tools
    ensure_apt chromium chromium-driver python3
    # The real-tool oracle (buildah, umoci, skopeo) for the differential tests.
    bash "$ROOT/../shared/oracle/install.sh" >/dev/null
    ensure_npm_deps
}

build_pkg() {
    say "building pkg/ (wasm-pack, release)"
    (cd "$ROOT" && wasm-pack --quiet build --mode no-install --release --target web --no-pack 2>&1 | grep -v -e '^\[INFO\]' -e 'latest version' || true)
    test -f "$ROOT/pkg/layerlab_bg.wasm" || { echo "wasm-pack did not produce pkg/layerlab_bg.wasm" >&2; exit 1; }
}
