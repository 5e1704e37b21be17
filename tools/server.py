"""The static server of dist/: explicit MIME types, no caching, an optional
sub-path. `build.py serve` runs it; the browser tests, the bench and the
README's pictures start their own with make_server."""

import functools
import http.server
import sys
import urllib.parse
from pathlib import Path

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/octet-stream",
    ".gz": "application/octet-stream",  # served as is: the worker decompresses it
    ".zip": "application/zip",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    "": "application/octet-stream",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with explicit MIME types, no caching, optional sub-path."""

    extensions_map = MIME_TYPES
    # Keep-alive, so that the page's 70 modules come over a few connections
    # rather than one each: the first panel drew 10% sooner (README,
    # Performance). Without Nagle, as each response's headers and body are
    # written apart and would wait for a delayed ACK.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    prefix = "/"  # set per server by make_server
    quiet = False

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def _in_prefix(self) -> bool:
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(self.prefix):
            return True
        if path + "/" == self.prefix:  # /lab -> /lab/
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        self.send_error(404, "outside the served prefix")
        return False

    def do_GET(self):
        if self._in_prefix():
            super().do_GET()

    def do_HEAD(self):
        if self._in_prefix():
            super().do_HEAD()

    def translate_path(self, path):
        split = urllib.parse.urlsplit(path)
        rest = split.path[len(self.prefix) - 1:]  # keep the leading "/"
        return super().translate_path(urllib.parse.urlunsplit(("", "", rest, split.query, "")))

    def guess_type(self, path):
        return MIME_TYPES.get(Path(str(path)).suffix.lower(), "application/octet-stream")

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that goes away mid-download (a closed tab, a reload) is not the site's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(root, host="127.0.0.1", port=0, prefix="", quiet=False):
    """A ThreadingHTTPServer serving `root` under URL path `prefix`.

    prefix "" or "/" serves at the site root; "/lab/" serves root at /lab/ and
    answers 404 elsewhere. port 0 picks a free port: read it back from
    `server.server_address[1]`. The caller runs `serve_forever()` (in a thread
    for tests) and `shutdown()` + `server_close()` to stop it.
    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("BoundSiteHandler", (SiteHandler,), {"prefix": prefix, "quiet": quiet})
    server = SiteServer((host, port), functools.partial(handler, directory=str(root)))
    server.url = f"http://{host}:{server.server_address[1]}{prefix}"
    return server


def serve(root, host: str, port: int, prefix: str) -> None:
    """Serve `root` until Ctrl+C."""
    server = make_server(root, host, port, prefix)
    print(f"serving {root.name}/ at {server.url}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
