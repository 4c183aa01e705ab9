"""A static file server for the app: www/ at /, pkg/ at /pkg/, nothing else.

Serves with the right MIME types for ES modules and wasm and tells the browser not
to cache, so a rebuilt pkg/ shows up on reload. Binds to loopback only.
"""

import argparse
import functools
import http.server
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def translate_path(self, path):
        # Handlers live for one request, so choosing the directory here is safe;
        # super() strips "..", so nothing outside www/ and pkg/ is reachable.
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if bare == "/pkg" or bare.startswith("/pkg/"):
            self.directory = os.path.join(ROOT, "pkg")
            path = path[len("/pkg"):] or "/"
        else:
            self.directory = os.path.join(ROOT, "www")
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("LAYERLAB_QUIET") != "1":
            super().log_message(fmt, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    os.chdir(ROOT)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"layerlab is served at http://127.0.0.1:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
