"""The test runner's parts: the test virtualenv, the choice of Chromium, pytest;
and what the browser tests and the bench both give Chromium."""

import os
import subprocess
import sys
from pathlib import Path

from tools.common import ROOT, VENV, BuildError, log, run, sha256_file

REQUIREMENTS = ROOT / "tests" / "requirements.txt"
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")

# Quiet, deterministic Chromium: no background traffic to Google, no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# An init script: collects the main thread's long tasks (> 50 ms) from the
# very start of the page into window.__longTasks as [startTime, duration].
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""


def setup_venv() -> Path:
    """.venv with the pinned test requirements (reinstalled when they change);
    returns its Python."""
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        log("test: creating .venv")
        run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".requirements.sha256"
    want = sha256_file(REQUIREMENTS)
    if not stamp.exists() or stamp.read_text().strip() != want:
        log("test: installing tests/requirements.txt into .venv")
        run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
             "-r", str(REQUIREMENTS)])
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
    if SYSTEM_CHROMIUM.exists():
        log(f"test: Chromium: {SYSTEM_CHROMIUM}")
        return str(SYSTEM_CHROMIUM)
    cmd = [str(python), "-m", "playwright", "install", "chromium"]
    if os.environ.get("GITHUB_ACTIONS") == "true" and sys.platform.startswith("linux"):
        cmd.insert(-1, "--with-deps")  # the runner's apt libraries (uses sudo)
    log(f"test: no system Chromium, installing Playwright's: {' '.join(cmd[1:])}")
    subprocess.run(cmd, check=True)
    return ""


# Two at a time: the browser tests spend much of their time waiting on
# Chromium and Pyodide, so two finish sooner on 2 cores; tests marked `alone`
# run with no other (tools/pytest_alone.py). `-n 0` in the arguments wins.
PARALLEL = ["-n", "2", "--dist", "worksteal", "-p", "tools.pytest_alone"]
WEB_TESTS = ROOT / "tests" / "web"


def run_node_tests() -> int:
    """The page's pure modules under `node --test` (tests/web/*.test.mjs), no browser."""
    files = sorted(str(path.relative_to(ROOT)) for path in WEB_TESTS.glob("*.test.mjs"))
    log(f"test: node --test ({len(files)} files in tests/web)")
    return subprocess.run(["node", "--test", *files], cwd=ROOT).returncode


def run_pytest(python: Path, chromium: str, pytest_args: list) -> int:
    """pytest in .venv with `pytest_args`; the browser tests use `chromium`."""
    env = dict(os.environ, CHROMIUM=chromium)
    log(f"test: pytest {' '.join(pytest_args)}".rstrip())
    command = [str(python), "-m", "pytest", *PARALLEL, *pytest_args]
    code = subprocess.run(command, cwd=ROOT, env=env).returncode
    if code == 5:
        log("test: FAILED: pytest collected no tests (exit 5); check the paths and markers")
        return 1
    return code
