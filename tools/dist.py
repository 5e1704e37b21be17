"""The build's staging folder and its end: the manifest, the service worker's
stamp, and publishing the finished site as dist/ in one rename."""

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from tools.common import CACHE, DIST, BuildError, log, sha256_file

MANIFEST_PLACEHOLDER = '"__BUILD_MANIFEST__"'


def staging_dir() -> Path:
    """A fresh staging folder in .cache/; publish() swaps it in at the end,
    so a server or test reading dist/ never sees a half-built site."""
    out = CACHE / f"dist-build-{os.getpid()}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


def dist_files(out: Path) -> list:
    """Every file in dist/ as a relative POSIX path, sorted, except manifest.json."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and p.relative_to(out).as_posix() != "manifest.json")


def write_manifest(out: Path, engine_wheel: str, snapshot: str, pyodide_version: str) -> dict:
    """dist/manifest.json: version hash, the engine's paths and the file list."""
    files = dist_files(out)
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.encode() + b"\0" + sha256_file(out / rel).encode() + b"\n")
    manifest = {
        "version": h.hexdigest()[:12],
        "pyodide_version": pyodide_version,
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


def publish(out: Path) -> None:
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


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
