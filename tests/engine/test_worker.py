"""The worker's JSON API: every request by its function's name, every failure as data."""
import json

from microgpt_lab import trace, worker
from microgpt_lab.session import Diverged

NAMES = "emma\nava\nmia\n"


def ask(request, **fields):
    return json.loads(worker.call(request, json.dumps(fields)))


def test_requests_are_the_functions_names():
    assert sorted(worker.requests) == sorted([
        "open", "restore", "step", "sample", "explain", "reset", "checkpoint", "close", "check_config", "check_trace",
        "check_size", "check_trace_size", "check_data",
        "matrix", "embedding_map", "next_token", "console", "describe", "bigram", "count_bigram", "check_exercise",
        "value_graph", "tokens", "surprise", "gradient_check", "attention_map", "name_probabilities", "bigram_samples"])
    assert all(name == function.__name__ for name, function in worker.requests.items())


def test_round_trip_and_errors_as_data():
    summary = ask("open", session="s1", config={"n_embd": 8, "n_head": 2, "num_steps": 5}, text=NAMES)
    assert summary["step"] == 0 and summary["vocab"] == list("aeimv") and summary["trace_header"]["format"] == trace.FORMAT
    first = ask("step", session="s1", level="full")
    assert first["step"] == 1 and "attention" in first
    saved = ask("checkpoint", session="s1")
    second = ask("step", session="s1", level="loss")
    assert ask("restore", session="s2", checkpoint=saved, text=NAMES)["step"] == 1
    assert ask("step", session="s2", level="loss")["loss"] == second["loss"]
    assert ask("reset", session="s1")["step"] == 0
    assert ask("step", session="s1")["loss"] == first["loss"]  # level defaults to "full"
    samples = ask("sample", session="s1", num_samples=3, temperature=0.8)
    assert samples["step"] == 1 and len(samples["samples"]) == 3
    assert "divisible" in ask("open", session="s3", config={"n_embd": 7}, text="emma")["error"]
    assert "no documents" in ask("open", session="s3", config={}, text="\n\n")["error"]
    assert "no session" in ask("step", session="nope", level="loss")["error"]
    assert "not a microgpt-lab-trace" in ask("check_trace", text="{}")["error"]
    assert "not JSON" in ask("check_trace", text="not json")["error"]
    assert "cut short" in ask("check_trace", text='{"format": "microgpt-lab-trace", "steps": [{"st')["error"]
    assert "has NaN" in ask("check_trace", text='{"loss": NaN}')["error"]
    assert ask("check_data", text="emma\nava\n") == {"num_docs": 2, "vocab": list("aemv"),
                                                     "longest": {"line": 1, "chars": 4}, "num_bytes": 9}
    assert "half of a character" in ask("check_data", text="e\ud83d")["error"]
    assert ask("check_size", size=1000) == {"size": 1000}
    assert "over the limit of 10 MB" in ask("check_size", size=11 * 1024 * 1024)["error"]
    assert ask("check_trace_size", size=11 * 1024 * 1024) == {"size": 11 * 1024 * 1024}
    assert ask("check_trace_size", size=101 * 1024 * 1024) == {"error": "the file is 101.0 MB, over the limit of 100 MB"}
    assert ask("check_config", config={"n_embd": 8, "n_head": 2})["config"]["n_embd"] == 8
    assert "n_embd (7) must be divisible" in ask("check_config", config={"n_embd": 7})["error"]
    assert "temperature must be a number greater than 0" in ask("check_config", config={"temperature": 0})["error"]
    assert ask("close", session="s1") is None and ask("close", session="s2") is None
    assert "no session" in ask("step", session="s1", level="loss")["error"]


def test_a_request_it_cannot_read_is_named():
    assert "unknown request 'inspect_matrix'; the engine answers open, restore" in ask("inspect_matrix", session="p")["error"]
    assert ask("step", level="loss")["error"] == "step: missing field(s) session (its fields: session, level)"
    assert ask("close", session="s", id=3)["error"] == "close: unknown field(s) id (its fields: session)"
    assert "missing field(s) session, name; unknown field(s) matrix" in ask("matrix", matrix="wte")["error"]
    assert "fields must be a JSON object, got list" in json.loads(worker.call("close", "[]"))["error"]
    assert "close: the fields are not JSON (Expecting property name" in json.loads(worker.call("close", "{"))["error"]
    ask("open", session="t", config={"n_embd": 8, "n_head": 2}, text=NAMES)
    assert ask("next_token", session="t", context=5)["error"].startswith("next_token: ")
    worker.call("close", '{"session": "t"}')


def test_probes_and_console():
    ask("open", session="p", config={"n_embd": 8, "n_head": 2}, text="emma\nava\nmia\nzoe\n")
    ask("step", session="p", level="loss")
    session = worker.sessions["p"]
    assert ask("matrix", session="p", name="layer0.attn_wq")["weights"][:4] == session.state_dict["layer0.attn_wq"][0][:4]
    assert "no matrix 'wqe'" in ask("matrix", session="p", name="wqe")["error"]
    assert ask("embedding_map", session="p")["labels"][-1] == "BOS"
    assert len(ask("next_token", session="p", context="em")["probs"]) == 8
    assert "outside the vocabulary: 'x'" in ask("next_token", session="p", context="ex")["error"]

    printed = ask("console", session="p", code="state_dict['wte'][0][:2]")["output"]
    assert printed.strip() == repr(session.state_dict["wte"][0][:2])
    assert ask("console", session="p", code="x = len(vocab)\nprint(x * 2)")["output"] == "14\n"
    assert ask("console", session="p", code="x + 1")["output"] == "8\n"  # variables persist
    failed = ask("console", session="p", code="1 / 0")
    assert failed["error_in_code"].startswith("Traceback") and failed["error_in_code"].endswith("division by zero")
    # The page's Stop raises KeyboardInterrupt in the command: said as data, the session kept.
    stopped = ask("console", session="p", code="print('so far')\nraise KeyboardInterrupt")
    assert stopped == {"output": "so far\n", "error_in_code": "stopped (KeyboardInterrupt) at line 2: raise KeyboardInterrupt",
                       "stopped": True}
    assert ask("step", session="p", level="loss")["step"] == 2  # the session goes on
    ask("close", session="p")


def test_explain_answers_for_the_last_step():
    ask("open", session="e1", config={"n_embd": 8, "n_head": 2, "num_steps": 5}, text=NAMES)
    refused = ask("explain", session="e1", position=0)
    # As data (the page then asks time travel's rebuild of the step), and in words.
    assert refused["no_step"] is True and "explain needs a step taken in this worker" in refused["error"]
    event = ask("step", session="e1")
    explained = ask("explain", session="e1", position=1)
    assert explained["loss"] == event["losses"][1] and explained["stages"][0]["name"] == "embedding"
    n = len(event["losses"])
    assert f"from 0 to {n - 1}" in ask("explain", session="e1", position=n)["error"]
    assert "missing field(s) position" in ask("explain", session="e1")["error"]


def test_the_model_is_described_for_the_page():
    """open's trace header, check_trace and describe give the engine's description (model.describe)."""
    summary = ask("open", session="m1", config={"n_layer": 0, "optimizer": "sgd"}, text=NAMES)
    model = summary["trace_header"]["model"]
    assert [s["name"] for s in model["stages"]] == ["embedding", "rmsnorm", "lm_head", "softmax", "loss"]
    assert model["num_params"] == summary["num_params"] and model["optimizer"]["name"] == "sgd"
    trace_text = json.dumps({**summary["trace_header"], "model": "not trusted", "steps": [], "samples": []})
    assert ask("check_trace", text=trace_text)["model"] == model
    assert ask("describe", config={"n_layer": 0, "optimizer": "sgd"}, vocab=summary["vocab"]) == model
    assert "n_layer must be an integer from 0" in ask("describe", config={"n_layer": 13}, vocab=["a"])["error"]
    assert "vocab must be a list of characters" in ask("describe", config={}, vocab="abc")["error"]
    ask("close", session="m1")


def test_a_diverged_step_says_what_happened_as_data():
    ask("open", session="d1", config={"n_embd": 8, "n_head": 2, "learning_rate": 1.0, "num_steps": 1000}, text=NAMES)
    for _ in range(1000):
        answer = ask("step", session="d1", level="loss")
        if "error" in answer:
            break
    assert "diverged" in answer["error"]
    assert answer["diverged"]["step"] == ask("checkpoint", session="d1")["step"] + 1
    assert answer["diverged"]["learning_rate"] == 1.0 and answer["diverged"]["cause"] in Diverged.CAUSES
    ask("close", session="d1")
