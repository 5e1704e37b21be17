"""The engines in the project's own Pyodide (Python 3.14, under Node), as the lab runs them.

Natively (3.11) the vector engine's dot products take the sum(map(mul)) branch
and the scalar engine is watched with sys.settrace; in Pyodide they take
math.sumprod and sys.monitoring. Both runtimes must give the same numbers
(1e-9: 3.12+'s sum() of floats rounds differently), the same graph and the
same explanation of a step (Session.explain, watched by sys.monitoring there).
"""
import inspect
import json
import shutil
import subprocess
import sys

import pytest

import test_vector
from conftest import RUNGS

pytestmark = pytest.mark.slow  # Pyodide under Node: seconds per test

STEPS = 4
# Runs both engines on a few configs and prints what the lab shows of each step, and the final weights.
RUN = f"""
import json, math, sys
from microgpt_lab import Config, Session

CONFIGS = [
    dict(n_embd=8, n_head=2, n_layer=2, block_size=8),
    dict(n_embd=8, n_head=4, block_size=4),
]
DOCS = ["r2-d2", "c3po!", "k.i.t.t.", "hal 9000", "wall-e", "ava", "bb-8", "jarvis"]
runs = []
for overrides in CONFIGS:
    for engine in ("scalar", "vector"):
        session = Session(Config(engine=engine, num_steps={STEPS}, **overrides), DOCS)
        events = [session.step("full") for _ in range({STEPS})]
        runs.append({{
            "engine": engine,
            "losses": [e["losses"] for e in events],
            "attention": [e["attention"] for e in events],
            "ops": [[(op["name"], op["nodes"]) for op in e["graph"]["ops"]] for e in events],
            "nodes": [e["graph"]["nodes"] for e in events],
            "state_dict": session.state_dict,
            "samples": session.sample(3, 0.7),
            "explain": [session.explain(p) for p in range(len(events[-1]["losses"]))],
        }})
print(json.dumps({{"python": sys.version_info[:2], "sumprod": hasattr(math, "sumprod"), "runs": runs}}))
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory, root):
    """(native, pyodide): the same script's output in both runtimes."""
    if not shutil.which("node"):
        pytest.fail("node is not on PATH: the engine's Pyodide tests need Node.js 20+")
    if not (root / "node_modules" / "pyodide" / "pyodide.mjs").exists():
        pytest.fail("node_modules/pyodide is missing: run npm ci (python3 build.py test does it)")
    script = tmp_path_factory.mktemp("pyodide") / "engines.py"
    script.write_text(RUN)
    native = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(root / "py")})
    assert native.returncode == 0, native.stderr
    pyodide = subprocess.run(["node", str(root / "tests" / "engine" / "pyodide.mjs"), str(script)],
                             capture_output=True, text=True, timeout=300)
    assert pyodide.returncode == 0, pyodide.stderr
    return json.loads(native.stdout), json.loads(pyodide.stdout)


def test_pyodide_takes_the_other_branches(runs):
    native, pyodide = runs
    assert pyodide["python"] >= [3, 12] and pyodide["sumprod"]
    if native["python"] < [3, 12]:
        assert not native["sumprod"]


def test_same_numbers_and_graph_as_natively(runs, numbers_close):
    native, pyodide = runs
    for here, there in zip(native["runs"], pyodide["runs"], strict=True):
        assert here["engine"] == there["engine"]
        for key in ("losses", "attention", "state_dict", "explain"):
            assert numbers_close(here[key], there[key]), (here["engine"], key)
        assert here["ops"] == there["ops"] and here["nodes"] == there["nodes"]  # names, and Values per stage
        assert here["samples"] == there["samples"]


def test_scalar_and_vector_agree_in_pyodide(runs, numbers_close):
    _, pyodide = runs
    for by_scalar, by_vector in zip(pyodide["runs"][::2], pyodide["runs"][1::2]):
        for key in ("losses", "attention", "state_dict", "explain"):
            assert numbers_close(by_scalar[key], by_vector[key]), key
        assert [[name for name, _ in ops] for ops in by_scalar["ops"]] == [[name for name, _ in ops] for ops in by_vector["ops"]]
        assert by_scalar["samples"] == by_vector["samples"]


# Every rung of the model ladder, as it trains (n_embd 16), on the names: 20 steps in each engine, then the
# last step explained, a checkpoint taken through JSON and two more steps from it.
RUNG_STEPS = 20
RUNG_RUN = f"""
import json, sys
from microgpt_lab import Config, Session, trace

rungs, data = json.loads(sys.argv[1]), sys.argv[2]
docs = open(data, encoding="utf-8").read().split()
runs = []
for name, overrides in rungs.items():
    for engine in ("scalar", "vector"):
        session = Session(Config(engine=engine, **overrides), docs)
        events = [session.step("full") for _ in range({RUNG_STEPS})]
        resumed = Session.restore(json.loads(json.dumps(session.checkpoint())), docs)
        trace.check(json.loads(json.dumps(trace.make(trace.header(session), events, []))))
        runs.append({{
            "rung": name, "engine": engine,
            "losses": [e["losses"] for e in events], "attention": [e["attention"] for e in events],
            "ops": [op["name"] for op in events[-1]["graph"]["ops"]],
            "state_dict": session.state_dict,
            "explain": session.explain(len(events[-1]["losses"]) - 1),
            "resumed": [resumed.step("loss")["loss"] for _ in range(2)],
            "continued": [session.step("loss")["loss"] for _ in range(2)],
        }})
print(json.dumps(runs))
"""


@pytest.fixture(scope="module")
def rung_runs(tmp_path_factory, root):
    """(native, pyodide): every rung in both engines, in both runtimes."""
    script = tmp_path_factory.mktemp("rungs") / "rungs.py"
    script.write_text(RUNG_RUN)
    args = [str(script), json.dumps(RUNGS), str(root / "data" / "names.txt")]
    native = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600,
                            env={"PYTHONPATH": str(root / "py")})
    assert native.returncode == 0, native.stderr
    pyodide = subprocess.run(["node", str(root / "tests" / "engine" / "pyodide.mjs"), *args],
                             capture_output=True, text=True, timeout=600)
    assert pyodide.returncode == 0, pyodide.stderr
    return json.loads(native.stdout), json.loads(pyodide.stdout)


def test_every_rung_agrees_in_both_engines_and_runtimes(rung_runs, numbers_close):
    native, pyodide = rung_runs
    for runs in (native, pyodide):
        for by_scalar, by_vector in zip(runs[::2], runs[1::2]):
            assert by_scalar["rung"] == by_vector["rung"]
            assert by_scalar["ops"] == by_vector["ops"]
            for key in ("losses", "attention", "state_dict", "explain", "resumed"):
                assert numbers_close(by_scalar[key], by_vector[key]), (by_scalar["rung"], key)
    for here, there in zip(native, pyodide, strict=True):
        for key in ("losses", "state_dict", "explain"):
            assert numbers_close(here[key], there[key]), (here["rung"], here["engine"], key)
    for run in native + pyodide:
        assert run["resumed"] == run["continued"], (run["rung"], run["engine"])  # a checkpoint continues exactly
    bigram = next(run for run in pyodide if run["rung"] == "bigram")
    assert bigram["ops"] == ["embedding", "rmsnorm", "lm_head", "softmax", "loss"] and bigram["attention"][0] == []


DEEP = """
import json
from microgpt_lab import worker
answers = [json.loads(worker.call("check_trace", json.dumps({"text": text})))
           for text in ("[" * 200_000, "{\\"a\\":" * 100_000 + "1" + "}" * 100_000)]
answers.append(json.loads(worker.call("check_config", json.dumps({"config": {}}))))  # still alive after
print(json.dumps(answers))
"""


def test_deep_nesting_is_a_clear_error_in_pyodide(tmp_path, root):
    """200,000 '[' overflowed the WebAssembly stack and broke the interpreter for good."""
    script = tmp_path / "deep.py"
    script.write_text(DEEP)
    result = subprocess.run(["node", str(root / "tests" / "engine" / "pyodide.mjs"), str(script)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    first, second, after = json.loads(result.stdout)
    assert "nest more than 12 deep" in first["error"] and "nest more than 12 deep" in second["error"]
    assert after["config"]["n_embd"] == 16


def test_sparse_dots_are_dots_to_the_bit_in_pyodide(tmp_path, root):
    """math.sumprod's branch too: leaving out relu's zero terms changes no bit of a dot product."""
    script = tmp_path / "sparse.py"
    script.write_text(inspect.getsource(test_vector.test_sparse_dots_are_dots_to_the_bit)
                      + "import math, random\nfrom microgpt_lab import vector\n"
                      + "assert hasattr(math, 'sumprod')\ntest_sparse_dots_are_dots_to_the_bit()\nprint('same')\n")
    result = subprocess.run(["node", str(root / "tests" / "engine" / "pyodide.mjs"), str(script)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "same"
