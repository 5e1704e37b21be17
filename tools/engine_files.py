"""Build steps that make dist/ files from the engine (py/microgpt_lab): its
wheel, the boot snapshot of Python with the engine imported, the recording the
page replays while Python loads, and the schema the page reads the engine's
config fields, glossary and source from."""

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tools.common import CACHE, ROOT, BuildError, copy_file, engine_env, log, run, sha256_file
from tools.site import PYODIDE_FILES

SNAPSHOT = "pyodide/snapshot.bin.gz"  # web/js/engine/worker.js SNAPSHOT_URL
SNAPSHOT_SCRIPT = ROOT / "tools" / "snapshot.mjs"
SCHEMA = "schema.json"
# Fixed timestamp for wheel builds (1980-01-01, the zip format's epoch), so the
# same sources give the same wheel bytes, unless the caller sets one.
DEFAULT_SOURCE_DATE_EPOCH = "315532800"

# The recording first-time visitors see while Python loads (see
# web/js/ui/recording.js): a short run of the engine on the bundled names.
RECORDING_STEPS = 60
RECORDING_FULL_EVERY = 5  # full instrumentation on every 5th step, as a streamed run has
RECORDING_MAX_BYTES = 300_000
# A step event's loss-level fields (docs/trace.md); the rest is full instrumentation.
LOSS_FIELDS = ("step", "num_steps", "loss", "lr", "doc", "tokens", "losses", "time")


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


def make_snapshot(out: Path, engine_wheel: str) -> str:
    """dist/pyodide/snapshot.bin.gz: restoring it boots Python with the engine
    already imported in about 1 s, where starting Python and loading the
    wheel takes about 5 (measured in Chromium on this machine). Made by
    tools/snapshot.mjs under Node with the same Pyodide; cached in .cache/ by
    the script's, the runtime's and the wheel's contents (making one takes ~5 s)."""
    wheel = out / engine_wheel
    runtime = out / "pyodide"
    key = hashlib.sha256()
    for path in [SNAPSHOT_SCRIPT, wheel, *(runtime / name for name in PYODIDE_FILES)]:
        key.update(sha256_file(path).encode())
    cached = CACHE / "snapshots" / f"{key.hexdigest()[:16]}.bin.gz"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.partial")  # other builds may make it meanwhile
        run(["node", str(SNAPSHOT_SCRIPT), f"{runtime}/", str(wheel), str(partial)], cwd=ROOT)
        partial.replace(cached)
    copy_file(cached, out / SNAPSHOT)
    log(f"  snapshot: {SNAPSHOT}, {cached.stat().st_size / 1e6:.1f} MB")
    return SNAPSHOT


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
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "trace.json"
            run([sys.executable, "-m", "microgpt_lab", *args, "--trace", str(raw)], cwd=ROOT, env=engine_env())
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


def write_schema(out: Path) -> None:
    """dist/schema.json: the engine's own description of itself
    (`python -m microgpt_lab schema`), which the page fetches at start-up."""
    run([sys.executable, "-m", "microgpt_lab", "schema", "--output", str(out / SCHEMA)], cwd=ROOT, env=engine_env())
    schema = json.loads((out / SCHEMA).read_text())
    log(f"  schema: {SCHEMA}, {len(schema['config'])} config fields, {len(schema['glossary'])} terms")
