"""What the tools share: the repository's paths, the build's error, running a
command, hashing and copying a file."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
CACHE = ROOT / ".cache"
VENV = ROOT / ".venv"
NODE_MODULES = ROOT / "node_modules"


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


def engine_env() -> dict:
    """The environment with py/ on PYTHONPATH, to run the engine from source."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "py"), env.get("PYTHONPATH")]))
    return env


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


def check_node() -> None:
    """npm and node must be on PATH: npm ci fetches the runtime and vendored libs."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        raise BuildError(
            f"{' and '.join(missing)} not found on PATH: install Node.js 20+ with npm "
            "(https://nodejs.org or your package manager), then run again"
        )
