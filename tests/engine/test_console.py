"""The console: a Python prompt on read-only views of a live session that its code can never harm."""
import json
import math

import pytest

from microgpt_lab import worker
from microgpt_lab.config import Config
from microgpt_lab.console import OUTPUT_LIMIT, Console, ReadOnlyError, SessionView, run
from microgpt_lab.session import Session

NAMES = "emma\nolivia\nava\nisabella\nsophia\nmia\nzoe\n"
CONFIG = Config(n_embd=8, n_head=2, num_steps=20)


def ask(request, **fields):
    return json.loads(worker.call(request, json.dumps(fields)))


def console(session, code):
    return ask("console", session=session, code=code)


@pytest.fixture
def live():
    session = Session.from_text(CONFIG, NAMES)
    session.step("loss")
    return session


def test_the_views_read_the_live_session(live):
    view = SessionView(live)
    assert view.step_count == 1 and view.vocab == tuple(live.vocab) and view.config == live.config
    row = view.state_dict["wte"][0]
    assert row[:3] == live.state_dict["wte"][0][:3] and list(row) == live.state_dict["wte"][0]
    assert repr(view.state_dict["wpe"]) == repr(live.state_dict["wpe"])
    assert list(view.state_dict) == list(live.state_dict) and len(view.state_dict["wte"]) == len(live.vocab) + 1
    assert list(view.adam.m["wte"]) == live.optimizer.m["wte"]
    live.step("loss")  # a view follows training: Adam gives every matrix new rows
    assert view.step_count == 2 and list(row) == live.state_dict["wte"][0]
    assert view.encode("ava") == live.tokenizer.encode("ava") and view.decode(view.encode("ava")) == "ava"
    assert view.explain(0) == live.explain(0)
    with pytest.raises(IndexError):
        view.state_dict["wte"][99]
    with pytest.raises(KeyError, match="no such matrix; the names are wte, wpe, lm_head"):
        view.state_dict["wqe"]


def test_plain_gradient_descent_has_no_adam_to_read():
    live = Session.from_text(Config(n_embd=8, n_head=2, num_steps=20, optimizer="sgd"), NAMES)
    live.step("loss")
    assert SessionView(live).adam is None


@pytest.mark.parametrize("change", [
    lambda view: view.step(),
    lambda view: view.reset(),
    lambda view: setattr(view, "config", Config(n_embd=4)),
    lambda view: setattr(view, "step_count", 5),
    lambda view: view.state_dict["wte"][0].__setitem__(0, math.nan),
    lambda view: view.state_dict["wte"][0].append(1.0),
    lambda view: view.state_dict["wte"].__setitem__(0, [0.0] * 8),
    lambda view: view.state_dict.__setitem__("__metadata__", []),
    lambda view: view.state_dict.pop("wte"),
    lambda view: view.state_dict["wte"][0].sort(),
    lambda view: view.adam.m["wte"].__setitem__(0, 1.0),
    lambda view: setattr(view.adam, "beta1", 0.5),
])
def test_every_change_is_refused_saying_what_to_do(live, change):
    before = live.checkpoint()
    before = json.loads(json.dumps(before))
    with pytest.raises(ReadOnlyError, match="the console only reads the session") as refused:
        change(SessionView(live))
    assert json.loads(json.dumps(live.checkpoint())) == before
    assert any(word in str(refused.value) for word in ("Step", "Reset", "New session", "copy", "training"))


def test_copies_change_freely_and_leave_the_session_alone(live):
    view = SessionView(live)
    wte = view.state_dict["wte"].copy()
    wte[0][0] = math.nan
    view.config.__dict__["n_embd"] = 4  # a copy of the config
    view.checkpoint()["state_dict"]["wte"][0][0] = math.nan
    view.vocab + ("z",)
    assert math.isfinite(live.state_dict["wte"][0][0]) and live.config.n_embd == 8


def test_sampling_in_the_console_leaves_the_sessions_samples_the_originals(live):
    untouched = Session.from_text(CONFIG, NAMES)
    untouched.step("loss")
    view = SessionView(live)
    first = view.sample(5)
    assert first == untouched.sample(5)  # the console's generator starts as a copy of the session's
    assert view.sample(5) != first  # and goes on from there
    assert live.sample(5) == first  # the session's own generator was not drawn from


def test_a_last_expression_is_echoed_as_pythons_prompt_does():
    names = {}
    assert run("import math; math.log(27)", names)["output"] == f"{math.log(27)!r}\n"
    assert run("print(1)\n1+1", names)["output"] == "1\n2\n"
    assert run("x = 3", names)["output"] == ""
    assert run("x * 2", names)["output"] == "6\n" and names["_"] == 6
    assert run("None", names)["output"] == ""
    assert run("for i in range(2):\n    i", names)["output"] == ""  # only a last top-level expression
    assert run("'a'", names)["output"] == "'a'\n"  # its repr


def test_errors_are_tracebacks_of_the_learners_lines():
    names = {}
    assert run("def inverse(a):\n    return 1 / a\n", names, "<console-1>") == {"output": ""}
    failed = run("print('before')\ninverse(0)", names, "<console-2>")
    assert failed["output"] == "before\n"
    lines = failed["error_in_code"].splitlines()
    assert lines[:5] == [
        "Traceback (most recent call last):",
        '  File "<console-2>", line 2, in <module>',
        "    inverse(0)",
        '  File "<console-1>", line 2, in inverse',
        "    return 1 / a",
    ]
    assert lines[-1] == "ZeroDivisionError: division by zero" and len(lines) <= 7  # 3.11+ marks the operator
    syntax = run("1 +", names, "<console-3>")["error_in_code"]
    assert syntax.startswith('  File "<console-3>", line 1\n    1 +\n') and syntax.endswith("SyntaxError: invalid syntax")
    assert run("import sys; sys.exit(3)", names)["error_in_code"].endswith("SystemExit: 3")
    stopped = run("x = 1\nraise KeyboardInterrupt", names, "<console-4>")
    assert stopped == {"output": "", "error_in_code": "stopped (KeyboardInterrupt) at line 2: raise KeyboardInterrupt",
                       "stopped": True}


def test_the_engines_own_frames_are_left_out(live):
    shell = Console()
    failed = shell.run(live, "session.explain(99)")["error_in_code"]
    assert "session.py" not in failed and "console.py" not in failed
    assert "session.explain(99)" in failed and "position must be an integer from 0 to" in failed


def test_output_is_kept_within_its_limit_and_says_what_was_cut():
    printed = run("print('x' * 50_000_000)", {})["output"]
    assert len(printed) < OUTPUT_LIMIT + 200
    assert "characters cut here: the console keeps the first 16,000 and the last 4,000 of 50,000,001" in printed
    loop = run("for i in range(100_000): print(i)", {})["output"]
    assert loop.startswith("0\n1\n2\n") and loop.endswith("99998\n99999\n") and len(loop) < OUTPUT_LIMIT + 200
    assert len(run("raise ValueError('y' * 1_000_000)", {})["error_in_code"]) < OUTPUT_LIMIT + 200
    assert run("print('short')", {})["output"] == "short\n"


def test_code_that_reaches_past_the_views_is_undone():
    ask("open", session="c", config=CONFIG.to_dict(), text=NAMES)
    ask("step", session="c", level="loss")
    untouched = Session.from_text(CONFIG, NAMES)
    untouched.step("loss")
    for code in [
        "import microgpt_lab.worker as w\nw.sessions['c'].state_dict['wte'][0][0] = float('nan')",
        "import microgpt_lab.worker as w\nw.sessions['c'].step()",
        "import microgpt_lab.worker as w\nw.sessions['c'].reset()",
        "import microgpt_lab.worker as w, dataclasses\nlive = w.sessions['c']\n"
        "live.config = dataclasses.replace(live.config, n_embd=4)",
        "import microgpt_lab.worker as w\nw.sessions['c'].state_dict['__metadata__'] = [[1.0]]",
        "import microgpt_lab.worker as w\nw.sessions['c'].rng.random()",
        "import microgpt_lab.worker as w\nw.sessions['c'].optimizer.m['wte'][0] = 5.0",
        "import microgpt_lab.worker as w\ndel w.sessions['c']",
    ]:
        answer = console("c", code)
        assert answer["put_back"] and "put back as it was before the code ran" in answer["error_in_code"], code
        assert console("c", "session.step_count")["output"] == "1\n"
    assert ask("checkpoint", session="c") == json.loads(json.dumps(untouched.checkpoint()))
    assert ask("step", session="c", level="loss")["loss"] == untouched.step("loss")["loss"]
    assert ask("explain", session="c", position=0) == untouched.explain(0)
    assert ask("sample", session="c", num_samples=5, temperature=0.5)["samples"] == untouched.sample(5, 0.5)
    assert "put_back" not in console("c", "x = session.sample(2)")  # reading is not a change
    ask("close", session="c")


def test_code_that_replaces_the_engines_code_is_undone():
    """A method or function replaced changes every session of the worker: it is put back, and said."""
    ask("open", session="k", config=CONFIG.to_dict(), text=NAMES)
    untouched = Session.from_text(CONFIG, NAMES)
    for code, named in [
        ("import microgpt_lab.session as s\ns.Session.step = lambda self, *a, **k: None", "Session.step"),
        ("import math\nmath.exp = lambda x: 0.0", "math.exp"),
        ("import microgpt_lab.vector as v\nv.NEW_NAME = 1", "vector.NEW_NAME"),
        ("import microgpt_lab.session as s\ndel s.Session.sample", "Session.sample"),
    ]:
        answer = console("k", code)
        assert answer["put_back"] and named in answer["error_in_code"] and "every session" in answer["error_in_code"], code
    assert ask("step", session="k", level="loss")["loss"] == untouched.step("loss")["loss"]
    assert ask("sample", session="k", num_samples=3, temperature=0.5)["samples"] == untouched.sample(3, 0.5)
    assert "put_back" not in console("k", "import math\nx = math.exp(1)")  # using the code is not a change
    # An exercise's code, in the lessons' worker (whose sessions answer the chapters' widgets), is undone too.
    ask("check_exercise", exercise="softmax", code="import math\nmath.exp = lambda x: 1.0\ndef softmax(l): return l")
    assert math.exp(1) == math.e
    ask("close", session="k")


def test_a_number_json_cannot_carry_is_named_where_it_is():
    with pytest.raises(ValueError, match=r"step: its answer holds nan at answer\['params'\]\['wte'\]\['grad_norm'\], "
                                         "which is not a number"):
        worker.as_json("step", {"step": 1, "params": {"wte": {"grad_norm": math.nan}}})
    with pytest.raises(ValueError, match=r"holds inf at answer\['weights'\]\[2\]"):
        worker.as_json("matrix", {"weights": [0.0, 1.0, math.inf]})
