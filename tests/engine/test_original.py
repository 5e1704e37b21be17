"""The scalar engine is the original program, to the bit.

tools/bench_original_program.py is microgpt itself, run as a program: with
`--dump K` it prints the loss and every gradient of its first K steps. The
scalar engine's steps on the same data, in the same Python, must give the same
numbers, bit for bit (float.hex), natively and in the lab's Pyodide under Node.
"""
import json
import shutil
import subprocess
import sys

import pytest

STEPS = 3
# Runs the original program from a folder holding its input.txt, then the scalar engine's default
# session on the same text, in this one process; prints both.
HARNESS = f"""
import contextlib, io, json, os, runpy, sys, tempfile
from microgpt_lab import Config, Session

program, data = sys.argv[1], sys.argv[2]
text = open(data, encoding="utf-8").read()
folder = tempfile.mkdtemp()
with open(os.path.join(folder, "input.txt"), "w", encoding="utf-8") as file:
    file.write(text)
os.chdir(folder)
sys.argv = [program, "--dump", "{STEPS}"]
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    try:
        runpy.run_path(program, run_name="__main__")
    except SystemExit:  # the dump's end
        pass
original = [json.loads(line) for line in printed.getvalue().splitlines() if line.startswith("{{")]

session = Session.from_text(Config(engine="scalar"), text)
scalar = []
for _ in range({STEPS}):
    event = session.step("loss")
    grads = [g for name in session.state_dict for g in session.optimizer.last_grads[name]]
    scalar.append({{"step": event["step"], "loss": event["loss"], "grads": grads}})
print(json.dumps({{"python": sys.version_info[:2], "original": original, "scalar": scalar}}))
"""


def bits(steps):
    """Each step's loss and gradients as exact hex strings (so -0.0, 0.0 and every last bit count)."""
    return [{"step": s["step"], "loss": float(s["loss"]).hex(), "grads": [float(g).hex() for g in s["grads"]]}
            for s in steps]


def assert_same_bits(result):
    original, scalar = bits(result["original"]), bits(result["scalar"])
    assert [s["step"] for s in original] == list(range(1, STEPS + 1))
    for mine, theirs in zip(scalar, original, strict=True):
        assert mine["loss"] == theirs["loss"], mine["step"]
        assert len(mine["grads"]) == len(theirs["grads"]) == 4192
        differ = sum(a != b for a, b in zip(mine["grads"], theirs["grads"]))
        assert differ == 0, f"step {mine['step']}: {differ} of 4,192 gradients differ from the original's"


@pytest.fixture
def harness(tmp_path):
    script = tmp_path / "original_and_scalar.py"
    script.write_text(HARNESS)
    return script


def test_scalar_engine_is_the_original_to_the_bit(harness, root):
    output = subprocess.run(
        [sys.executable, str(harness), str(root / "tools" / "bench_original_program.py"), str(root / "data" / "names.txt")],
        capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(root / "py")})
    assert output.returncode == 0, output.stderr
    assert_same_bits(json.loads(output.stdout))


@pytest.mark.slow  # Pyodide under Node
def test_scalar_engine_is_the_original_to_the_bit_in_pyodide(harness, root):
    if not shutil.which("node"):
        pytest.fail("node is not on PATH: the engine's Pyodide tests need Node.js 20+")
    output = subprocess.run(
        ["node", str(root / "tests" / "engine" / "pyodide.mjs"), str(harness),
         str(root / "tools" / "bench_original_program.py"), str(root / "data" / "names.txt")],
        capture_output=True, text=True, timeout=300)
    assert output.returncode == 0, output.stderr
    result = json.loads(output.stdout)
    assert result["python"] >= [3, 12]  # sum() of floats rounds otherwise there: the bits must still agree
    assert_same_bits(result)
