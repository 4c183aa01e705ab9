#!/usr/bin/env bash
# The main job: set up what is missing, build pkg/, serve the app on 127.0.0.1:8080.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_build_tools
build_pkg
exec python3 "$ROOT/scripts/serve.py" --port "${PORT:-8080}"
