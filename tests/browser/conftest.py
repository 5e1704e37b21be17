"""Fixtures for the browser tests: the built site, a local server, a watched page.

The tests run dist/ (built by `python3 build.py test`) in headless Chromium
through pytest-playwright. Which Chromium: $CHROMIUM when set and non-empty
(build.py sets it to /usr/bin/chromium where that exists), else Playwright's
own (`python -m playwright install chromium`).

Fixtures:
    dist_dir                  Path of the built dist/ (session)
    site_url                  "http://127.0.0.1:PORT/" serving dist/ (session)
    serve_site(prefix)        factory: serve dist/ under a sub-path, returns its URL
    page_log                  what the watched page did: console, errors, requests
    lab_page                  a Playwright Page watched by page_log; the test fails
                              at teardown on console errors, page errors or any
                              request leaving 127.0.0.1

What the tests share besides fixtures (opening and driving the lab, waiting
for it, the native engine's numbers) is in helpers.py.
"""

import logging
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools.server import make_server
from tools.testing import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]

log = logging.getLogger("browser")

PAGE_TIMEOUT_MS = 60_000  # default for waits/navigation: Pyodide start-up is slow on CI
LOCAL_HOSTS = {"127.0.0.1"}
HARMLESS_SCHEMES = {"data", "blob", "about"}


def pytest_collection_modifyitems(items):
    """Every test in tests/browser/ carries the `browser` marker (-m "not browser" skips them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch args plus our flags and $CHROMIUM as executable_path.

    Keeps pytest-playwright's own options (--headed, --slowmo); headless otherwise.
    """
    args = dict(browser_type_launch_args)
    args.setdefault("headless", True)
    args["args"] = [*args.get("args", []), *CHROMIUM_ARGS]
    chromium = os.environ.get("CHROMIUM", "")
    if chromium:
        args["executable_path"] = chromium
    return args


@pytest.fixture(scope="session")
def dist_dir():
    """The built site, ROOT/dist. Fails (never skips) if it has not been built."""
    dist = ROOT / "dist"
    if not (dist / "manifest.json").is_file():
        pytest.fail("dist/manifest.json is missing: run `python3 build.py test` "
                    "(it builds dist/ before running pytest)", pytrace=False)
    return dist


@pytest.fixture(scope="session")
def serve_site(dist_dir):
    """Factory: serve_site(prefix="") starts a server for dist/ under `prefix`
    (e.g. "/lab/") on 127.0.0.1 with a free port and returns its base URL,
    ending in "/". All servers stop at the end of the session."""
    servers = []

    def start(prefix=""):
        server = make_server(dist_dir, "127.0.0.1", 0, prefix=prefix, quiet=True)
        thread = threading.Thread(target=server.serve_forever, name=f"site{prefix}", daemon=True)
        thread.start()
        servers.append((server, thread))
        return server.url

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(serve_site):
    """Base URL of dist/ served at the root of a local server: "http://127.0.0.1:PORT/"."""
    return serve_site("")


class PageLog:
    """What a watched page did. Tests may read it, or allow expected errors."""

    def __init__(self):
        self.console = []      # (type, text) of every console message
        self.errors = []       # console errors and uncaught page errors (text)
        self.requests = []     # every request URL, in order
        self._allowed = []     # regexes of console/page errors a test expects

    def allow_errors(self, pattern):
        """Do not fail the test for errors matching this regex (for tests of error paths)."""
        self._allowed.append(re.compile(pattern))

    def unexpected_errors(self):
        return [e for e in self.errors if not any(p.search(e) for p in self._allowed)]

    def foreign_requests(self):
        """Requests to anything but 127.0.0.1 (data:, blob:, about: are fine)."""
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in HARMLESS_SCHEMES:
                continue
            if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
                bad.append(url)
        return bad


@pytest.fixture
def page_log():
    """The PageLog of this test's lab_page (request both to read or tune it)."""
    return PageLog()


@pytest.fixture
def lab_page(page, page_log):
    """A Playwright Page (from pytest-playwright) that forwards the browser console
    and page errors to the "browser" logger, records every request URL, and at
    teardown fails the test on console errors, page errors or requests leaving
    127.0.0.1. Default timeout for waits and navigation: 60 s."""
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.set_default_navigation_timeout(PAGE_TIMEOUT_MS)

    def on_console(msg):
        text = msg.text
        page_log.console.append((msg.type, text))
        log.info("[browser console.%s] %s", msg.type, text)
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
            page_log.errors.append(f"console.error: {text}{where}")

    def on_page_error(error):
        log.error("[browser pageerror] %s", error)
        page_log.errors.append(f"pageerror: {error}")

    def on_request(request):
        page_log.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    # Context-wide, so requests from workers and the service worker count too.
    page.context.on("request", on_request)
    yield page
    problems = [*page_log.unexpected_errors(),
                *(f"request left 127.0.0.1: {u}" for u in page_log.foreign_requests())]
    if problems:
        pytest.fail("browser problems:\n  " + "\n  ".join(problems), pytrace=False)

