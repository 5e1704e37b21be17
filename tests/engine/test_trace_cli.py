"""The command line and the trace it writes."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

import microgpt_lab
from microgpt_lab import Config, Session, trace

PACKAGE_ROOT = pathlib.Path(microgpt_lab.__file__).parents[1]


def run_cli(*args):
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    return subprocess.run([sys.executable, "-m", "microgpt_lab", *args], capture_output=True, text=True, timeout=300, env=env)


def test_train_prints_like_the_original_and_writes_a_valid_trace(tmp_path, names_path):
    out = tmp_path / "run.json"
    result = run_cli("train", "--data", str(names_path), "--steps", "12", "--n-embd", "8", "--trace", str(out), "--samples", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "step    1 /   12 | loss " in lines[3] and "step   12 /   12 | loss " in lines[14]
    assert lines[15] == "--- inference (new, hallucinated names) ---" and lines[16].startswith("sample  1: ")
    data = json.loads(out.read_text())
    config = trace.check(data)
    assert config.n_embd == 8 and config.num_steps == 12
    assert [s["step"] for s in data["steps"]] == list(range(1, 13))
    assert data["samples"][0]["step"] == 12 and len(data["samples"][0]["samples"]) == 3
    assert "attention" in data["steps"][0]  # a trace records full instrumentation by default


@pytest.mark.parametrize(
    "args, message",
    [
        (["--n-embd", "15"], "n_embd (15) must be divisible by n_head (4)"),
        (["--learning-rate", "nan"], "learning_rate must be a number greater than 0"),
        (["--steps", "0"], "num_steps must be an integer from 1"),
        (["--engine", "jax"], "invalid choice: 'jax'"),
    ],
)
def test_train_refuses_bad_input_with_a_clear_message(args, message, names_path):
    result = run_cli("train", "--data", str(names_path), *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_train_names_an_unreadable_or_empty_file(tmp_path):
    assert "cannot read --data" in run_cli("train", "--data", str(tmp_path / "missing.txt")).stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n")
    assert "no documents" in run_cli("train", "--data", str(empty)).stderr


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t.update(format="other"), "not a microgpt-lab-trace"),
        (lambda t: t.update(version=99), "version 99"),
        (lambda t: t["config"].update(n_embd=15), "config: n_embd"),
        (lambda t: t["steps"].reverse(), "steps\\[1\\]"),
        (lambda t: t["steps"][0].update(loss=float("nan")), "finite"),
        (lambda t: t.update(steps={}), "lists"),
        (lambda t: t["steps"][1].update(step=10**6), "at most num_steps"),
        (lambda t: t["steps"][0].update(tokens=[0, 99]), "tokens must be token ids from 0 to 4"),
        (lambda t: t["steps"][0].update(doc={"x": 1}), "doc must be a string"),
        (lambda t: t["steps"][0].update(attention=[[["x"]]]), "attention"),
        (lambda t: t["steps"][0].update(topk=[{"probs": [float("inf")]}]), "topk"),
        (lambda t: t["dataset"].update(vocab=["ab"]), "single characters"),
        (lambda t: t["samples"].append({"step": 1, "temperature": 0.5, "samples": [3]}), "samples\\[0\\]"),
    ],
)
def test_trace_check_names_the_problem(mutate, message):
    data = {**trace.header(lab_session()), "steps": [{"step": 1, "loss": 3.3}, {"step": 2, "loss": 3.1}], "samples": []}
    mutate(data)
    with pytest.raises(trace.TraceError, match=message):
        trace.check(data)


def lab_session():
    return Session(Config(n_embd=8, n_head=2), ["emma", "ava"])
