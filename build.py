#!/usr/bin/env python3
"""microGPT Lab: the one entry point. Standard library only.

    python3 build.py                 build dist/ from scratch (same as `build`)
    python3 build.py serve [--port 8000] [--host 127.0.0.1] [--prefix /lab/]
                                     build, then serve dist/ over HTTP
    python3 build.py test [ARGS...]  set up .venv, pick a Chromium, build,
                                     run pytest with ARGS
    python3 build.py bench [--long] [ARGS...]
                                     benchmark the engines natively and the lab
                                     in headless Chromium; writes bench-results.json
                                     (--long: memory over a 10,000-step run)

dist/ is a self-contained static site: every URL in it is relative, so it
works from any static host, under a sub-path, and offline once cached.

    dist/index.html, js/, css/, sw.js ...  a copy of web/
    dist/pyodide/       the Pyodide runtime files loadPyodide needs at boot, and
                        snapshot.bin.gz: Python's memory with the engine
                        imported, which the worker restores (see make_snapshot)
    dist/wheels/        the engine wheel built from py/ (the worker's fallback)
    dist/vendor/idb/    idb's ES module build     (npm, ISC)
    dist/vendor/uplot/  uPlot's ES module build, CSS and licence (npm, MIT)
    dist/data/names.txt the default dataset (see data/README.md)
    dist/data/recording.json  a short trace the page replays while Python loads
    dist/manifest.json  {"version", "pyodide_version", "engine_wheel",
                         "snapshot", "files"}; "files" lists every file
                         of dist/ (relative, sorted) except manifest.json
                         itself; "version" is a short sha256 over those
                         files' paths and contents (sw.js before stamping),
                         so it changes exactly when the site changes.
    dist/sw.js          if it contains the placeholder "__BUILD_MANIFEST__"
                         (with the quotes), that token is replaced by the
                         manifest's JSON: a new build gives the service worker
                         new bytes, which is how browsers notice an update.

The server (`make_server`) lives here too so the browser tests reuse it.
"""

import argparse
import functools
import hashlib
import http.server
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
CACHE = ROOT / ".cache"
VENV = ROOT / ".venv"
NODE_MODULES = ROOT / "node_modules"

PYODIDE_VERSION = "314.0.7"  # keep in step with package.json
# What loadPyodide() fetches at boot (pyodide.js/.map, the .d.ts and the
# console demos are not needed by a module worker).
PYODIDE_FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]

SNAPSHOT = "pyodide/snapshot.bin.gz"  # web/js/worker.js SNAPSHOT_URL
# Made with Node and the same Pyodide: start Python, unpack the engine wheel
# into site-packages with zipfile (loadPackage would leave JavaScript
# references that a snapshot cannot hold), import the engine, save the
# memory. Arguments: pyodide dir, engine wheel, output file.
SNAPSHOT_SCRIPT = """
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
const [indexURL, wheel, output] = process.argv.slice(1);
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const py = await loadPyodide({ indexURL, _makeSnapshot: true });
py.FS.writeFile("/tmp/engine.whl", readFileSync(wheel));
py.runPython("import site, zipfile; zipfile.ZipFile('/tmp/engine.whl').extractall(site.getsitepackages()[0])");
py.runPython("import importlib, pkgutil, microgpt_lab; [importlib.import_module(m.name) for m in pkgutil.iter_modules(microgpt_lab.__path__, 'microgpt_lab.') if m.name != 'microgpt_lab.__main__']");
writeFileSync(output, gzipSync(py.makeMemorySnapshot(), { level: 6 }));
"""

# idb's ES build: index.js (plus any relative module it imports).
IDB_ENTRY = "build/index.js"
# uPlot's ES module build (one file, no imports), its stylesheet and licence.
UPLOT_FILES = ["dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"]
APP_ENTRY = "js/ui/main.js"  # the page's module (web/index.html)

MANIFEST_PLACEHOLDER = '"__BUILD_MANIFEST__"'
# Fixed timestamp for wheel builds (1980-01-01, the zip format's epoch), so the
# same sources give the same wheel bytes, unless the caller sets one.
DEFAULT_SOURCE_DATE_EPOCH = "315532800"

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


class BuildError(Exception):
    """A build step failed; the message says what to do."""


def log(msg: str) -> None:
    print(msg, flush=True)


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, raising BuildError with its output if it fails."""
    res = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if res.returncode != 0:
        raise BuildError(
            f"command failed ({res.returncode}): {' '.join(map(str, cmd))}\n"
            f"{res.stdout}{res.stderr}".rstrip()
        )
    return res


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def copy_file(src: Path, dst: Path) -> None:
    """Copy one file into the output; a second write to the same path is an error."""
    if not src.is_file():
        raise BuildError(f"missing {src.relative_to(ROOT)}")
    if dst.exists():
        raise BuildError(f"{dst.name} would be written twice (a web/ file clashes with a built one?)")
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


# ---------------------------------------------------------------- build steps

def check_node() -> None:
    """npm and node must be on PATH: npm ci fetches the runtime and vendored libs."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        raise BuildError(
            f"{' and '.join(missing)} not found on PATH: install Node.js 20+ with npm "
            "(https://nodejs.org or your package manager), then run again"
        )


def install_npm() -> None:
    """`npm ci`: exact versions from package-lock.json, no install scripts."""
    check_node()
    run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT)
    log("  npm ci: pyodide, idb, uplot installed from package-lock.json")


def clean_dist() -> Path:
    """A fresh staging folder in .cache/; publish_dist() swaps it in at the end,
    so a server or test reading dist/ never sees a half-built site."""
    out = CACHE / f"dist-build-{os.getpid()}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def publish_dist(out: Path) -> None:
    """Replace dist/ with the finished build by renames (retried if another
    build publishes at the same moment)."""
    old = CACHE / f"dist-old-{os.getpid()}"
    for attempt in range(5):
        try:
            if DIST.exists():
                DIST.rename(old)
            out.rename(DIST)
            break
        except OSError:
            if attempt == 4:
                raise BuildError("could not replace dist/ (another build kept writing it)")
            time.sleep(0.2)
        finally:
            shutil.rmtree(old, ignore_errors=True)


def copy_runtime(out: Path) -> None:
    """dist/pyodide/: the core runtime files from the pyodide npm package."""
    src = NODE_MODULES / "pyodide"
    version = json.loads((src / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise BuildError(f"node_modules/pyodide is {version}, build.py expects {PYODIDE_VERSION}")
    for name in PYODIDE_FILES:
        copy_file(src / name, out / "pyodide" / name)
    log(f"  pyodide {version}: {len(PYODIDE_FILES)} runtime files")


def make_snapshot(out: Path, engine_wheel: str) -> str:
    """dist/pyodide/snapshot.bin.gz: restoring it boots Python with the engine
    already imported in about 1 s, where starting Python and loading the
    wheel takes about 5 (measured in Chromium on this machine). Cached in
    .cache/ by the runtime's and the wheel's contents (making one takes ~5 s)."""
    wheel = out / engine_wheel
    runtime = out / "pyodide"
    key = hashlib.sha256()
    for path in [wheel, *(runtime / name for name in PYODIDE_FILES)]:
        key.update(sha256_file(path).encode())
    cached = CACHE / "snapshots" / f"{key.hexdigest()[:16]}.bin.gz"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        run(["node", "--input-type=module", "-e", SNAPSHOT_SCRIPT,
             f"{runtime}/", str(wheel), str(partial)], cwd=ROOT)
        partial.rename(cached)
    copy_file(cached, out / SNAPSHOT)
    log(f"  snapshot: {SNAPSHOT}, {cached.stat().st_size / 1e6:.1f} MB")
    return SNAPSHOT


def build_wheel(out: Path) -> str:
    """Build the engine wheel from py/ (pure Python, reproducible timestamps)."""
    src = ROOT / "py"
    if not (src / "pyproject.toml").is_file():
        raise BuildError("py/pyproject.toml not found: the engine package is missing")
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    with tempfile.TemporaryDirectory() as tmp:
        # Build from a clean copy: setuptools' py/build/ would otherwise keep
        # stale modules between builds and leave clutter in the source tree.
        clean_src = Path(tmp) / "src"
        shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns(
            "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".pytest_cache"))
        wheel_dir = Path(tmp) / "wheels"
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
             "-q", "-w", str(wheel_dir), str(clean_src)], env=env, cwd=ROOT)
        wheels = sorted(wheel_dir.glob("microgpt_lab-*-py3-none-any.whl"))
        if len(wheels) != 1:
            found = ", ".join(p.name for p in wheel_dir.iterdir()) or "nothing"
            raise BuildError(f"expected one pure-Python microgpt_lab wheel, got: {found}")
        dst = out / "wheels" / wheels[0].name
        copy_file(wheels[0], dst)
    log(f"  engine: {dst.name}")
    return f"wheels/{dst.name}"


def module_imports(js: str) -> list:
    """Relative module specifiers imported or re-exported by an ES module."""
    pattern = r"""(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}/[^'"]+)['"]|import\s*['"](\.{1,2}/[^'"]+)['"]"""
    return [a or b for a, b in re.findall(pattern, js)]


def module_graph(entry: Path) -> set:
    """The ES module `entry` and every module it imports, directly or not."""
    todo, seen = [entry], set()
    while todo:
        path = todo.pop().resolve()
        if path not in seen:
            seen.add(path)
            todo += [path.parent / spec for spec in module_imports(path.read_text())]
    return seen


def copy_vendor(out: Path) -> None:
    """dist/vendor/idb/: idb's ESM build (with its relative imports); dist/vendor/uplot/."""
    idb = NODE_MODULES / "idb"
    modules = module_graph(idb / IDB_ENTRY)
    for path in modules:
        copy_file(path, out / "vendor" / "idb" / path.relative_to((idb / "build").resolve()))
    copy_file(idb / "LICENSE", out / "vendor" / "idb" / "LICENSE")
    version = json.loads((idb / "package.json").read_text())["version"]
    log(f"  vendor: idb {version} ({len(modules)} module file(s))")
    uplot = NODE_MODULES / "uplot"
    for name in UPLOT_FILES:
        copy_file(uplot / name, out / "vendor" / "uplot" / Path(name).name)
    version = json.loads((uplot / "package.json").read_text())["version"]
    log(f"  vendor: uplot {version} ({len(UPLOT_FILES)} files)")


def copy_web(out: Path) -> None:
    """dist/: everything in web/ (index.html, js/, css/, sw.js ...)."""
    web = ROOT / "web"
    if not web.is_dir():
        log("  web/: not found, the site has no page yet (skipped)")
        return
    count = 0
    for path in sorted(web.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            copy_file(path, out / path.relative_to(web))
            count += 1
    log(f"  web: {count} files")


def preload_modules(out: Path) -> None:
    """<link rel="modulepreload"> in dist/index.html for every module the page
    imports: the browser fetches all of them at once instead of one level of
    the import graph after another (the recording shows that much sooner)."""
    index, entry = out / "index.html", out / APP_ENTRY
    if not (index.exists() and entry.exists()):
        return
    modules = sorted(p.relative_to(out.resolve()).as_posix() for p in module_graph(entry) - {entry.resolve()})
    script = f'<script type="module" src="{APP_ENTRY}"></script>'
    html = index.read_text(encoding="utf-8")
    if script not in html:
        raise BuildError(f"web/index.html no longer loads {APP_ENTRY} with {script}: update build.py APP_ENTRY")
    links = "".join(f'<link rel="modulepreload" href="{rel}">\n  ' for rel in modules)
    index.write_text(html.replace(script, links + script), encoding="utf-8")
    log(f"  index.html: {len(modules)} module preloads")


def copy_data(out: Path) -> None:
    """dist/data/names.txt from data/names.txt."""
    copy_file(ROOT / "data" / "names.txt", out / "data" / "names.txt")
    log("  data: names.txt")


# The recording first-time visitors see while Python loads (see
# web/js/panels/recording.js): a short run of the engine on the bundled names.
RECORDING_STEPS = 60
RECORDING_FULL_EVERY = 5  # full instrumentation on every 5th step, as a streamed run has
RECORDING_MAX_BYTES = 300_000
# A step event's loss-level fields (docs/trace.md); the rest is full instrumentation.
LOSS_FIELDS = ("step", "num_steps", "loss", "lr", "doc", "tokens", "losses", "time")


def make_recording(out: Path) -> None:
    """dist/data/recording.json: a trace made by the engine's own CLI, so it always
    matches the engine. Cached in .cache/ by a hash of the engine's sources and
    the data: its wall-clock times would otherwise change the site on every build."""
    args = ["train", "--data", "data/names.txt", "--steps", str(RECORDING_STEPS), "--samples", "10"]
    h = hashlib.sha256(json.dumps([args, RECORDING_FULL_EVERY]).encode())
    for path in sorted((ROOT / "py" / "microgpt_lab").glob("*.py")) + [ROOT / "data" / "names.txt"]:
        h.update(path.name.encode() + b"\0" + sha256_file(path).encode())
    cached = CACHE / f"recording-{h.hexdigest()[:16]}.json"
    if not cached.exists():
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "py"), env.get("PYTHONPATH")]))
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "trace.json"
            run([sys.executable, "-m", "microgpt_lab", *args, "--trace", str(raw)], cwd=ROOT, env=env)
            trace = json.loads(raw.read_text())
        for event in trace["steps"]:
            if event["step"] % RECORDING_FULL_EVERY and event["step"] != RECORDING_STEPS:
                for key in set(event) - set(LOSS_FIELDS):
                    del event[key]
        text = json.dumps(trace, separators=(",", ":"), allow_nan=False)
        if len(text) > RECORDING_MAX_BYTES:
            raise BuildError(f"the recording is {len(text)} bytes, over {RECORDING_MAX_BYTES}: "
                             "record fewer steps or fewer full ones")
        CACHE.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")  # other builds may read it meanwhile
        partial.write_text(text)
        partial.replace(cached)
    copy_file(cached, out / "data" / "recording.json")
    log(f"  recording: {RECORDING_STEPS} steps, {cached.stat().st_size / 1e3:.0f} kB")


def dist_files(out: Path) -> list:
    """Every file in dist/ as a relative POSIX path, sorted, except manifest.json."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and p.relative_to(out).as_posix() != "manifest.json")


def write_manifest(out: Path, engine_wheel: str, snapshot: str) -> dict:
    """dist/manifest.json: version hash, the engine's paths and the file list."""
    files = dist_files(out)
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.encode() + b"\0" + sha256_file(out / rel).encode() + b"\n")
    manifest = {
        "version": h.hexdigest()[:12],
        "pyodide_version": PYODIDE_VERSION,
        "engine_wheel": engine_wheel,
        "snapshot": snapshot,
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    log(f"  manifest: version {manifest['version']}, {len(files)} files")
    return manifest


def stamp_service_worker(out: Path, manifest: dict) -> None:
    """Replace "__BUILD_MANIFEST__" in dist/sw.js with the manifest's JSON."""
    sw = out / "sw.js"
    if not sw.exists():
        log("  sw.js: none (skipped)")
        return
    text = sw.read_text(encoding="utf-8")
    if MANIFEST_PLACEHOLDER not in text:
        log(f"  sw.js: no {MANIFEST_PLACEHOLDER} placeholder (left as is)")
        return
    sw.write_text(text.replace(MANIFEST_PLACEHOLDER,
                               json.dumps(manifest, separators=(",", ":"))), encoding="utf-8")
    log(f"  sw.js: stamped with manifest {manifest['version']}")


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build() -> dict:
    """Build dist/ from scratch."""
    t0 = time.monotonic()
    log("build: dist/")
    install_npm()
    out = clean_dist()
    try:
        copy_runtime(out)
        engine_wheel = build_wheel(out)
        snapshot = make_snapshot(out, engine_wheel)
        copy_vendor(out)
        copy_web(out)
        preload_modules(out)
        copy_data(out)
        make_recording(out)
        manifest = write_manifest(out, engine_wheel, snapshot)
        stamp_service_worker(out, manifest)
        publish_dist(out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    log(f"build: done in {time.monotonic() - t0:.1f} s, dist/ is "
        f"{dir_size(DIST) / 1e6:.1f} MB")
    return manifest


# --------------------------------------------------------------------- server

class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with explicit MIME types, no caching, optional sub-path."""

    extensions_map = MIME_TYPES
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


def make_server(root, host="127.0.0.1", port=0, prefix="", quiet=False):
    """A ThreadingHTTPServer serving `root` under URL path `prefix`.

    prefix "" or "/" serves at the site root; "/lab/" serves root at /lab/ and
    answers 404 elsewhere. port 0 picks a free port: read it back from
    `server.server_address[1]`. The caller runs `serve_forever()` (in a thread
    for tests) and `shutdown()` + `server_close()` to stop it.
    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("BoundSiteHandler", (SiteHandler,), {"prefix": prefix, "quiet": quiet})
    server = http.server.ThreadingHTTPServer(
        (host, port), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    server.url = f"http://{host}:{server.server_address[1]}{prefix}"
    return server


def serve(host: str, port: int, prefix: str) -> None:
    build()
    server = make_server(DIST, host, port, prefix)
    log(f"serving dist/ at {server.url}  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# ---------------------------------------------------------------------- tests

def setup_venv() -> Path:
    """.venv with the pinned test requirements (reinstalled when they change)."""
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        log("test: creating .venv")
        run([sys.executable, "-m", "venv", str(VENV)])
    reqs = ROOT / "tests" / "requirements.txt"
    stamp = VENV / ".requirements.sha256"
    want = sha256_file(reqs)
    if not stamp.exists() or stamp.read_text().strip() != want:
        log("test: installing tests/requirements.txt into .venv")
        run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
             "-r", str(reqs)])
        stamp.write_text(want + "\n")
    return python


def choose_chromium(python: Path) -> str:
    """$CHROMIUM, else /usr/bin/chromium, else Playwright's own Chromium ("")."""
    if os.environ.get("CHROMIUM"):
        path = os.environ["CHROMIUM"]
        if not Path(path).exists():
            raise BuildError(f"CHROMIUM={path} does not exist")
        log(f"test: Chromium from $CHROMIUM: {path}")
        return path
    if Path("/usr/bin/chromium").exists():
        log("test: Chromium: /usr/bin/chromium")
        return "/usr/bin/chromium"
    cmd = [str(python), "-m", "playwright", "install", "chromium"]
    if os.environ.get("GITHUB_ACTIONS") == "true" and sys.platform.startswith("linux"):
        cmd.insert(-1, "--with-deps")  # the runner's apt libraries (uses sudo)
    log(f"test: no system Chromium, installing Playwright's: {' '.join(cmd[1:])}")
    subprocess.run(cmd, check=True)
    return ""


def run_tests(pytest_args: list) -> int:
    check_node()
    python = setup_venv()
    chromium = choose_chromium(python)
    build()
    env = dict(os.environ, CHROMIUM=chromium)
    log(f"test: pytest {' '.join(pytest_args)}".rstrip())
    code = subprocess.run([str(python), "-m", "pytest", *pytest_args], cwd=ROOT, env=env).returncode
    if code == 5:
        log("test: FAILED: pytest collected no tests (exit 5); check the paths and markers")
        return 1
    return code


# ---------------------------------------------------------------------- bench

def run_bench(args: list) -> int:
    """Native engine figures, then the lab in headless Chromium, in one run.

    Prints both tables and the headline ratio (in-browser vector steps/s over
    native scalar steps/s) and writes everything to bench-results.json.
    `--long` goes to the browser bench (memory over 10,000 steps, not 2,000);
    the other arguments go to the native one.
    """
    browser_args = [a for a in args if a == "--long"]
    args = [a for a in args if a != "--long"]
    python = setup_venv()
    chromium = choose_chromium(python)
    build()
    env = dict(os.environ, CHROMIUM=chromium)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "py"), env.get("PYTHONPATH")]))
    native_json = CACHE / "bench-native.json"
    log("bench: native engines (python -m microgpt_lab bench)")
    subprocess.run([sys.executable, "-m", "microgpt_lab", "bench", "--json", str(native_json), *args],
                   cwd=ROOT, env=env, check=True)
    native = json.loads(native_json.read_text())
    log("bench: the lab in headless Chromium (bench/browser.py)")
    browser = json.loads(run([str(python), str(ROOT / "bench" / "browser.py"), *browser_args], cwd=ROOT, env=env).stdout)
    rates = {(r["config"], r["engine"], r["level"]): r["steps_per_s"] for r in native["results"]}
    native_scalar = rates["default", "scalar", "loss"]
    browser["vector_in_browser_over_native_scalar"] = browser["browser_vector_steps_per_s"] / native_scalar
    print()
    for name, value in browser.items():
        print(f"{name:<40} {round(value, 3) if isinstance(value, float) else value}")
    results = {"date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores, {platform.platform()}",
               "native": native, "browser": browser}
    (ROOT / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
    log("bench: wrote bench-results.json")
    return 0


# ----------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help="build dist/ from scratch (default)")
    p_serve = sub.add_parser("serve", help="build, then serve dist/")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--prefix", default="", help="serve under a sub-path, e.g. /lab/")
    sub.add_parser("test", help="build and run pytest (extra args go to pytest)")
    sub.add_parser("bench", help="benchmark the engines natively and the lab in Chromium "
                                 "(--long: memory over 10,000 steps; other args go to the native bench)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("test", "bench"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command in (None, "build"):
            build()
            return 0
        if args.command == "serve":
            serve(args.host, args.port, args.prefix)
            return 0
        if args.command == "test":
            return run_tests(extra)
        if args.command == "bench":
            return run_bench(extra)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
