"""The path's exercises and questions (lessons.py): a correct solution passes, wrong ones are refused
with a message naming the input, nothing in the learner's code raises; the chapters' numbers are
the engine's."""
import json
import math
import random
import subprocess
import sys

import pytest

from microgpt_lab import Config, Session, lessons, scalar, worker
from microgpt_lab.model import softmax

SOLUTIONS = {
    "softmax": """
import math

def softmax(logits):
    largest = max(logits)
    exps = [math.exp(l - largest) for l in logits]
    total = sum(exps)
    return [e / total for e in exps]
""",
    "loss": """
import math

def loss(probs, target):
    return -math.log(probs[target])
""",
    "numerical_gradient": """
def numerical_gradient(f, x, h):
    gradient = []
    for i in range(len(x)):
        plus = list(x)
        minus = list(x)
        plus[i] += h
        minus[i] -= h
        gradient.append((f(plus) - f(minus)) / (2 * h))
    return gradient
""",
    "sample": """
import math

def sample(logits, temperature, r):
    scaled = [l / temperature for l in logits]
    largest = max(scaled)
    weights = [math.exp(s - largest) for s in scaled]
    total = sum(weights)
    running = 0.0
    for token_id, weight in enumerate(weights):
        running += weight
        if r * total < running:
            return token_id
    return len(weights) - 1
""",
}

# (exercise, what is wrong, the code changed from the solution, what the message must say)
WRONG = [
    ("softmax", "no max-subtraction: exp overflows", ("l - largest", "l"),
     "softmax([1000, 1001, 1002]) raised OverflowError"),
    ("softmax", "off by one", ("for l in logits]", "for l in logits[1:]]"), "softmax([1, 2, 3]): expected"),
    ("softmax", "wrong sign", ("math.exp(l - largest)", "math.exp(largest - l)"), "softmax([1, 2, 3]): expected"),
    ("softmax", "divides by the largest, not the total", ("e / total", "e / max(exps)"), "softmax([1, 2, 3]): expected"),
    ("loss", "log base 10", ("math.log(", "math.log10("), "loss([0.25, 0.25, 0.25, 0.25], 0): expected 1.38629, got 0.60206"),
    ("loss", "wrong sign", ("-math.log(", "math.log("), "loss([0.25, 0.25, 0.25, 0.25], 0): expected 1.38629, got -1.38629"),
    ("loss", "off by one", ("probs[target]", "probs[target - 1]"), "loss([0.1, 0.2, 0.7], 2): expected 0.356675, got 1.60944"),
    ("loss", "log of 1 - p", ("probs[target]", "1 - probs[target]"), "loss([0.25, 0.25, 0.25, 0.25], 0): expected"),
    ("numerical_gradient", "forward difference", ("(f(plus) - f(minus)) / (2 * h)", "(f(plus) - f(x)) / h"),
     "numerical_gradient(f, [3], 0.1) with f = lambda x: x[0] ** 2: expected [6], got [6.1]"),
    ("numerical_gradient", "divides by h, not 2h", ("/ (2 * h)", "/ h"), "numerical_gradient(f, [3], 0.1)"),
    ("numerical_gradient", "off by one", ("range(len(x))", "range(len(x) - 1)"),
     "numerical_gradient(f, [3], 0.1) with f = lambda x: x[0] ** 2: expected [6], got []"),
    ("numerical_gradient", "wrong sign", ("f(plus) - f(minus)", "f(minus) - f(plus)"), "expected [6], got [-6]"),
    ("numerical_gradient", "nudges x itself", ("plus = list(x)", "plus = x"), "changed the list it was given"),
    ("sample", "temperature after softmax", ("scaled = [l / temperature for l in logits]", "scaled = logits"),
     "sample([1, 2, 3], 0.5, 0.2): expected 2, got 1"),
    ("sample", "no max-subtraction: exp overflows", ("math.exp(s - largest)", "math.exp(s)"),
     "sample([800, 805, 790], 0.5, 0.3) raised OverflowError"),
    ("sample", "off by one", ("return token_id", "return token_id + 1"), "sample([0, 0], 1, 0.25): expected 0, got 1"),
    ("sample", "r not scaled by the total", ("r * total < running", "r < running"), "sample([0, 0], 1, 0.75): expected 1, got 0"),
]


def check(exercise, code):
    result = lessons.check(exercise, code)
    assert set(result) == {"ok", "message"} and isinstance(result["message"], str)
    json.dumps(result)
    return result


@pytest.mark.parametrize("exercise", sorted(SOLUTIONS))
def test_a_correct_solution_passes(exercise):
    result = check(exercise, SOLUTIONS[exercise])
    assert result["ok"], result["message"]
    assert result["message"].startswith(f"{exercise} agrees with the engine's on all")


@pytest.mark.parametrize("exercise, wrong, change, says", WRONG, ids=[f"{c[0]}: {c[1]}" for c in WRONG])
def test_a_wrong_solution_is_refused_naming_the_input(exercise, wrong, change, says):
    old, new = change
    assert old in SOLUTIONS[exercise]
    result = check(exercise, SOLUTIONS[exercise].replace(old, new))
    assert not result["ok"]
    assert says in result["message"], result["message"]


def test_at_least_three_wrong_solutions_each():
    counts = {exercise: sum(case[0] == exercise for case in WRONG) for exercise in SOLUTIONS}
    assert min(counts.values()) >= 3, counts


def test_the_engines_answers_are_microgpts():
    rng = random.Random(7)
    for _ in range(200):
        logits = [rng.gauss(0, 3) for _ in range(rng.randint(2, 27))]
        values = [scalar.Value(l) for l in logits]
        assert [p.data for p in scalar.softmax(values)] == pytest.approx(softmax(logits), abs=1e-15)
        target = rng.randrange(len(logits))
        assert lessons.loss(softmax(logits), target) == pytest.approx(-scalar.softmax(values)[target].log().data, abs=1e-12)
        # sample(): what random.choices draws from a real generator, told its next random()
        temperature, seed = rng.uniform(0.2, 2.0), rng.randrange(10**6)
        r = random.Random(seed).random()
        drawn = random.Random(seed).choices(range(len(logits)), weights=softmax([l / temperature for l in logits]))[0]
        assert lessons.sample(logits, temperature, r) == drawn
    f = lessons.FUNCTIONS[3]  # exp(x0) - sin(x1) * x2
    x = [0.5, 1.0, -2.0]
    exact = [math.exp(0.5), -math.cos(1.0) * -2.0, -math.sin(1.0)]
    assert lessons.numerical_gradient(f, x, 1e-5) == pytest.approx(exact, rel=1e-8)


def test_what_goes_wrong_in_the_code_comes_back_as_a_message():
    solution = SOLUTIONS["loss"]
    cases = {
        "def loss(probs, target)\n    return 1": "line 1 of your code: SyntaxError: expected ':'",
        "x = 1 / 0": "running your code raised ZeroDivisionError: division by zero (line 1 of your code)",
        "import sys\nsys.exit(3)": "running your code raised SystemExit: 3 (line 2 of your code)",
        "def lose(probs, target):\n    return 0": "no function named loss: define it with def loss(probs, target):",
        "loss = 3": "no function named loss",
        "def loss(probs):\n    return 0": "loss must take 2 argument(s), as in def loss(probs, target):",
        "def loss(probs, target):\n    x = 1\n    return probs[target] / 0":
            "loss([0.25, 0.25, 0.25, 0.25], 0) raised ZeroDivisionError: float division by zero (line 3 of your code)",
        "def loss(probs, target):\n    return 'one'": "loss([0.25, 0.25, 0.25, 0.25], 0): expected 1.38629, got 'one'",
        "def loss(probs, target):\n    return float('nan')": "expected 1.38629, got nan",
        solution.replace("return", "raise SystemExit\n    return"): "raised SystemExit",
        "": "no function named loss",
    }
    for code, says in cases.items():
        result = check("loss", code)
        assert not result["ok"] and says in result["message"], (code, result["message"])
    with pytest.raises(lessons.LessonError, match="no exercise 'softmx'; the exercises are softmax, loss"):
        lessons.check("softmx", solution)


def test_only_the_pages_stop_goes_through():
    code = "def softmax(logits):\n    raise KeyboardInterrupt"
    with pytest.raises(KeyboardInterrupt):
        lessons.check("softmax", code)
    answer = json.loads(worker.call("check_exercise", json.dumps({"exercise": "softmax", "code": code})))
    assert answer == {"ok": False, "message": "stopped before it finished", "output": "", "stopped": True}


def test_the_worker_hands_back_what_the_code_printed():
    code = "print('trying')\n" + SOLUTIONS["softmax"]
    answer = json.loads(worker.call("check_exercise", json.dumps({"exercise": "softmax", "code": code})))
    assert answer["ok"] and answer["output"] == "trying\n"


def test_every_exercise_has_its_reveal():
    exercises = lessons.schema()["exercises"]
    assert [e["name"] for e in exercises] == ["softmax", "loss", "numerical_gradient", "sample"]
    by_name = {e["name"]: e for e in exercises}
    assert by_name["softmax"]["reveal"]["lines"][0] == "def softmax(logits):"
    loss_reveal = by_name["loss"]["reveal"]
    [line] = loss_reveal["highlight"]
    assert loss_reveal["lines"][line - loss_reveal["first_line"]].strip() == "loss_t = -probs[target_id].log()"
    assert len(by_name["sample"]["reveal"]["highlight"]) == 2
    json.dumps(exercises)


# ---- Value ----------------------------------------------------------------------------------------

def test_value_graph_is_microgpts_graph_with_its_gradients():
    code = "a = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\ne = a * b\nd = e + c\nL = d * d"
    graph = lessons.value_graph(code)
    assert graph["ok"]
    nodes = {node["names"][0]: node for node in graph["nodes"] if node["names"]}
    assert {name: (n["op"], n["data"], n["grad"]) for name, n in nodes.items()} == {
        "a": (None, 2.0, -24.0), "b": (None, -3.0, 16.0), "c": (None, 10.0, 8.0),
        "e": ("*", -6.0, 8.0), "d": ("+", 4.0, 8.0), "L": ("*", 16.0, 1.0)}
    assert graph["nodes"][graph["output"]]["names"] == ["L"]
    for k, node in enumerate(graph["nodes"]):
        assert all(child < k for child in node["children"])  # children first
    # The gradients against nudging: L as a function of a, b, c.
    f = lambda x: (x[0] * x[1] + x[2]) ** 2  # noqa: E731
    assert [nodes[n]["grad"] for n in "abc"] == pytest.approx(lessons.numerical_gradient(f, [2.0, -3.0, 10.0], 1e-6), rel=1e-6)


def test_value_graph_names_what_made_each_node():
    graph = lessons.value_graph("a = Value(3.0)\nb = (a - 1) / a\nc = -b\nd = c.exp() + a.log() + (a ** 2).relu()\nd")
    assert graph["ok"]
    ops = sorted(node["op"] or "number" for node in graph["nodes"])
    # a - 1 is a + (-1); x / a is x * a**-1; -b is b * -1: microgpt's own way
    assert ops == sorted(["number", "number", "+", "**-1", "*", "number", "*", "exp", "log", "**2", "relu", "+", "+"])
    assert graph["nodes"][graph["output"]]["data"] == pytest.approx(math.exp(-2 / 3) + math.log(3) + 9)
    backward_called = lessons.value_graph("a = Value(2.0)\nL = a * a\nL.backward()")
    assert backward_called["nodes"][0]["grad"] == 4.0  # the code's own backward, not a second one


def test_value_graph_problems_are_messages():
    cases = {
        "a = Value(2.0)\nL = a.log(": "line 2 of your code: SyntaxError",
        "a = Value(-2.0)\nL = a.log()": "raised ValueError",
        "a = 3": "the last line names 3, not a Value",
        "import math": "end with the Value to backpropagate",
        "": "end with the Value to backpropagate",
        "a = Value(1.0)\nfor _ in range(40):\n    a = a * a + a\na": "this widget draws at most 60",
        "a = Value(700.0)\nL = a.exp() * a.exp()": "not a finite number",
        "a = Value(1.0)\nL = a * undefined_name": "NameError",
    }
    for code, says in cases.items():
        graph = lessons.value_graph(code)
        assert not graph["ok"] and says in graph["message"], (code, graph)


# ---- the chapters' questions -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def names_session(names_text):
    return Session.from_text(Config(num_steps=50), names_text)


def test_tokens_are_the_tokenizers(names_session):
    answer = lessons.tokens(names_session, "emma")
    tokenizer = names_session.tokenizer
    assert answer["tokens"] == tokenizer.encode("emma") == [26, 4, 12, 12, 0, 26]
    assert answer["labels"] == ["BOS", "e", "m", "m", "a", "BOS"]
    assert answer["pairs"][0] == {"context": [26], "target": 4} and len(answer["pairs"]) == 5
    assert answer["pairs"][-1] == {"context": [26, 4, 12, 12, 0], "target": 26}
    assert answer["uniform_loss"] == pytest.approx(math.log(27), abs=1e-15) and answer["vocab_size"] == 27
    assert lessons.tokens(names_session, "")["tokens"] == [26, 26]
    long = lessons.tokens(names_session, "a" * 20)
    assert len(long["pairs"]) == names_session.config.block_size  # a step scores block_size positions at most
    for text, says in (("Emma", "'E' is not in the vocabulary"), ("jo 3", "' 3' is not in the vocabulary"),
                       ("a" * 65, "at most 64 characters")):
        with pytest.raises(lessons.LessonError, match=says):
            lessons.tokens(names_session, text)
    assert lessons.surprise(0.5)["loss"] == pytest.approx(math.log(2))
    with pytest.raises(lessons.LessonError, match="probability must be a number above 0"):
        lessons.surprise(0)


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_gradient_check_agrees_and_changes_nothing(engine, docs):
    session = Session(Config(engine=engine, n_embd=8, n_head=2, num_steps=10), docs)
    session.step()
    weights, step = json.dumps(session.state_dict), session.step_count
    for name, row, col in (("wte", 4, 3), ("lm_head", 0, 0), ("layer0.attn_wq", 2, 5)):
        answer = lessons.gradient_check(session, name, row, col, 1e-5)
        assert answer["shape"] == [len(session.state_dict[name]), len(session.state_dict[name][0])]  # the page's bounds
        assert answer["analytic"] == pytest.approx(answer["numerical"], rel=1e-5, abs=1e-9), name
        assert answer["loss_minus"] < answer["loss"] < answer["loss_plus"] or answer["analytic"] <= 0
        assert answer["doc"] == session.docs[session.step_count % len(session.docs)]
    assert json.dumps(session.state_dict) == weights and session.step_count == step
    ids = session.tokenizer.encode(session.docs[session.step_count % len(session.docs)])
    for name, row in (("wte", ids[0]), ("wpe", 0), ("lm_head", ids[1])):  # a row the first position reads
        answer = lessons.gradient_check(session, name, None, 0, 1e-5)
        assert answer["row"] == row and answer["tokens"] == ids and answer["analytic"] != 0
    event = session.step("full")
    assert event["loss"] == pytest.approx(answer["loss"], abs=1e-12)  # the loss of the step it looked at
    for fields, says in (({"name": "wtf"}, "no matrix 'wtf'"), ({"row": 99}, "row must be an integer from 0 to"),
                         ({"col": -1}, "col must be an integer"), ({"h": 0}, "h must be a number above 0")):
        arguments = {"name": "wte", "row": 0, "col": 0, "h": 1e-5, **fields}
        with pytest.raises(lessons.LessonError, match=says):
            lessons.gradient_check(session, **arguments)


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_attention_map_is_the_steps_own(engine, docs):
    session = Session(Config(engine=engine, n_embd=8, n_head=2, n_layer=2, num_steps=10), docs)
    doc = session.docs[0]
    answer = lessons.attention_map(session, doc)
    event = session.step("full")
    assert answer["attention"] == event["attention"] and answer["losses"] == event["losses"]
    assert answer["labels"][0] == "BOS" and answer["tokens"] == event["tokens"]
    for layer in answer["attention"]:
        for head in layer:
            assert [len(row) for row in head] == list(range(1, len(event["losses"]) + 1))
            assert all(sum(row) == pytest.approx(1) for row in head)
    assert answer["probs"] == [top["target_prob"] for top in event["topk"]]


@pytest.mark.parametrize("engine", ["vector", "scalar"])
def test_name_probabilities_are_the_samplers(engine, docs):
    session = Session(Config(engine=engine, n_embd=8, n_head=2, block_size=5, num_steps=10), docs)
    session.step()
    names = session.sample(30, 0.7)
    for name in names:
        answer = lessons.name_probabilities(session, name, 0.7)
        assert [part["char"] for part in answer["chars"]] == list(name)
        assert all(0 < part["p"] <= 1 for part in answer["chars"])
        assert (answer["end"] is None) == (len(name) == 5)
    decoder = session.engine.Decoder(session.state_dict, session.config)
    first = softmax([l * 0.7**-1 for l in decoder(session.tokenizer.BOS)])
    name = names[0]
    assert lessons.name_probabilities(session, name, 0.7)["chars"][0]["p"] == first[session.tokenizer.index[name[0]]]
    with pytest.raises(lessons.LessonError, match="at most block_size"):
        lessons.name_probabilities(session, "emmaaa", 0.7)
    with pytest.raises(ValueError, match="temperature must be a number"):
        lessons.name_probabilities(session, "emma", 0)


def test_bigram_samples_follow_the_counts(names_session):
    rows = names_session.bigram()["rows"]
    answer = lessons.bigram_samples(names_session, 50, seed=7)
    assert answer == lessons.bigram_samples(names_session, 50, seed=7)  # its own generator, seeded
    assert answer["samples"] != lessons.bigram_samples(names_session, 50, seed=8)["samples"]
    BOS = names_session.tokenizer.BOS
    for name in answer["samples"]:
        ids = [BOS] + [names_session.tokenizer.index[ch] for ch in name]
        ended = len(name) < names_session.config.block_size
        for token, after in zip(ids, ids[1:] + ([BOS] if ended else [])):
            assert after in rows[token]["next"], (name, token, after)  # every pair was counted
    state = names_session.rng.getstate()
    lessons.bigram_samples(names_session, 5, seed=1)
    assert names_session.rng.getstate() == state  # the session's own generator is left alone
    for fields, says in (({"num_samples": 0}, "num_samples must be"), ({"seed": 1.5}, "seed must be an integer")):
        with pytest.raises(lessons.LessonError, match=says):
            lessons.bigram_samples(names_session, **{"num_samples": 3, "seed": 1, **fields})


@pytest.mark.parametrize("config", [dict(n_layer=0, optimizer="sgd"), dict(attention=False), dict(n_head=1, optimizer="sgd")],
                         ids=["learned bigram", "no attention", "one head"])
def test_the_rungs_questions(config, docs):
    session = Session(Config(n_embd=8, num_steps=10, **{"n_head": 2, **config}), docs)
    session.step()
    for name in ("wte", "wpe", "lm_head"):
        answer = lessons.gradient_check(session, name, None, 0, 1e-5)
        assert answer["analytic"] == pytest.approx(answer["numerical"], rel=1e-5, abs=1e-9), name
    attention = lessons.attention_map(session, "ava")["attention"]
    has_heads = config.get("n_layer", 1) > 0 and config.get("attention", True)
    assert (attention != [] and attention[0] != []) == has_heads


def test_the_workers_lesson_requests(names_text):
    def ask(request, **fields):
        return json.loads(worker.call(request, json.dumps(fields)))

    ask("open", session="lesson", config={"num_steps": 10}, text=names_text)
    assert ask("tokens", session="lesson", text="ava")["tokens"] == [26, 0, 21, 0, 26]
    assert "'!' is not in the vocabulary" in ask("tokens", session="lesson", text="ava!")["error"]
    assert ask("surprise", probability=1)["loss"] == 0
    assert ask("gradient_check", session="lesson", name="wte", row=0, col=0, h=1e-4)["step"] == 0
    assert len(ask("attention_map", session="lesson", text="ava")["attention"][0]) == 4
    assert ask("name_probabilities", session="lesson", text="ava", temperature=1)["end"] > 0
    assert len(ask("bigram_samples", session="lesson", num_samples=3, seed=1)["samples"]) == 3
    assert ask("value_graph", code="a = Value(1.0)\na * a")["ok"]
    assert ask("value_graph", code="a = Value(1.0)\nraise KeyboardInterrupt\na")["stopped"]
    ask("close", session="lesson")


# ---- in the lab's own Python (Pyodide 3.14 under Node) ---------------------------------------------

IN_PYODIDE = """
import json, sys
from microgpt_lab import lessons
SOLUTIONS, WRONG = json.loads(sys.argv[1])
checks = [lessons.check(name, code) for name, code in SOLUTIONS.items()]
checks += [lessons.check(name, SOLUTIONS[name].replace(old, new)) for name, _, (old, new), _ in WRONG]
graphs = [lessons.value_graph(code) for code in (
    "a = Value(2.0)\\nb = Value(-3.0)\\nc = Value(10.0)\\nd = a * b + c\\nL = d * d",
    "a = Value(3.0)\\nb = (a - 1) / a\\nc = -b\\nd = c.exp() + a.log() + (a ** 2).relu()\\nd",
    "a = Value(-2.0)\\nL = a.log()")]
print(json.dumps({"python": sys.version_info[:2], "checks": checks, "graphs": graphs}))
"""


@pytest.mark.slow
def test_checks_and_graphs_are_the_same_in_pyodide(root, tmp_path):
    """The page's worker runs Python 3.14 (sys.setprofile and tracebacks there, not 3.11's):
    the same verdicts, messages and graphs as natively."""
    script = tmp_path / "lessons_in_pyodide.py"
    script.write_text(IN_PYODIDE)
    argument = json.dumps([SOLUTIONS, WRONG])
    native = subprocess.run([sys.executable, str(script), argument], capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(root / "py")})
    assert native.returncode == 0, native.stderr
    pyodide = subprocess.run(["node", str(root / "tests" / "engine" / "pyodide.mjs"), str(script), argument],
                             capture_output=True, text=True, timeout=300)
    assert pyodide.returncode == 0, pyodide.stderr
    here, there = json.loads(native.stdout), json.loads(pyodide.stdout)
    assert there["python"] >= [3, 12]
    assert here["checks"] == there["checks"] and here["graphs"][:2] == there["graphs"][:2]
    assert sum(check["ok"] for check in there["checks"]) == len(SOLUTIONS)
    # math.log's own words differ ("math domain error" in 3.11): the rest of the message does not
    for graph in (here["graphs"][2], there["graphs"][2]):
        assert not graph["ok"] and graph["message"].startswith("running your code raised ValueError: ")
        assert graph["message"].endswith(" (line 2 of your code)")
