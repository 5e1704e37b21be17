"""The command line: train like the original program, write a trace, refuse bad input plainly."""
import json

import pytest

from microgpt_lab import trace


def test_train_prints_like_the_original_and_writes_a_valid_trace(tmp_path, names_path, run_cli):
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
def test_train_refuses_bad_input_with_a_clear_message(args, message, names_path, run_cli):
    result = run_cli("train", "--data", str(names_path), *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_train_takes_the_rungs_switches(tmp_path, names_path, run_cli):
    out = tmp_path / "rung.json"
    result = run_cli("train", "--data", str(names_path), "--steps", "2", "--no-attention", "--optimizer", "sgd",
                     "--trace", str(out), "--samples", "0")
    assert result.returncode == 0, result.stderr
    config = trace.check(json.loads(out.read_text()))
    assert (config.attention, config.optimizer) == (False, "sgd")
    assert "num params: 3168" in result.stdout  # no attention matrices


def test_train_names_an_unreadable_or_empty_file(tmp_path, run_cli):
    assert "cannot read --data" in run_cli("train", "--data", str(tmp_path / "missing.txt")).stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n")
    assert "no documents" in run_cli("train", "--data", str(empty)).stderr
