"""The path's engine side (the page's ?lesson=<n>): the exercises a learner writes, checked
against the engine's own functions, and the questions the chapters ask of the engine.

    check("softmax", code) -> {"ok": False, "message": "softmax([1000, 1001, 1002]) raised
                               OverflowError: math range error (line 3 of your code)"}

check() runs the learner's code, calls its function on fixed inputs (simple ones first, then
those that catch the usual mistakes) and on random ones from a seeded generator, and compares
every answer with the engine's own function. The engine's answers are computed before the
learner's code runs, so nothing it does can change them. Whatever goes wrong in the learner's
code (a syntax error, an exception, a wrong type) comes back as a message naming the input and
the line; only KeyboardInterrupt (the page's Stop) goes through. value_graph() runs a few lines
of the learner's with microgpt's own Value and hands back the graph they built.
"""
import ast
import inspect
import math
import random
import sys
import traceback
from typing import Callable, NamedTuple

from . import model, scalar
from .config import check_number
from .instrument import Stages
from .session import Session

CODE_FILE = "<your code>"  # the learner's code, as tracebacks name it
RANDOM_CASES, CASES_SEED = 40, 2024  # random inputs per check, from a fixed seed: a check repeats exactly
MAX_VALUES = 60  # the most Values value_graph() hands back: a graph a page can draw and a learner can read
MAX_TEXT = 64  # the longest name the chapters' widgets take


class LessonError(ValueError):
    """A question the lesson cannot answer as asked; the message says why."""


# ---- the engine's answers: what the learner's functions must return ----------------------------

def loss(probs, target):
    """-log p of the target, natural log: microgpt's loss_t = -probs[target_id].log()."""
    return -math.log(probs[target])


def numerical_gradient(f, x, h):
    """Central differences, one per coordinate: (f(x + h e_i) - f(x - h e_i)) / 2h."""
    gradient = []
    for i in range(len(x)):
        plus, minus = list(x), list(x)
        plus[i] += h
        minus[i] -= h
        gradient.append((f(plus) - f(minus)) / (2 * h))
    return gradient


class FixedRandom(random.Random):
    """A generator whose random() always returns r: random.choices then picks what microgpt picks at r."""

    def __init__(self, r):
        super().__init__(0)
        self.r = r

    def random(self):
        return self.r


def sample(logits, temperature, r):
    """The token microgpt's sampler draws when random.random() returns r."""
    weights = model.softmax([l / temperature for l in logits])
    return FixedRandom(r).choices(range(len(logits)), weights=weights)[0]


# ---- the exercises' inputs ----------------------------------------------------------------------

class Function:
    """A function of a list of floats that says what it computes (numerical_gradient's inputs).
    `size`: how many coordinates it reads (None: any)."""

    def __init__(self, body, size):
        self.body, self.size = body, size
        self.call = eval(f"lambda x: {body}", {"math": math})  # the lab's own fixed text, never the learner's

    def __call__(self, x):
        return self.call(x)

    def __repr__(self):
        return f"f = lambda x: {self.body}"


FUNCTIONS = [
    Function("x[0] ** 2", 1),
    Function("x[0] * x[1] + 3 * x[1]", 2),
    Function("sum(xi * xi for xi in x)", None),
    Function("math.exp(x[0]) - math.sin(x[1]) * x[2]", 3),
    Function("-math.log(math.exp(x[0]) / sum(math.exp(xi) for xi in x))", None),  # the loss of softmax(x), target 0
]


def random_logits(rng, scale=3.0):
    return [rng.gauss(0, scale) for _ in range(rng.randint(2, 27))]


def softmax_cases(rng):
    fixed = [([1.0, 2.0, 3.0],), ([0.0, 0.0],), ([2.0],), ([-1.0, 0.5, 4.0, 0.5],),
             ([1000.0, 1001.0, 1002.0],),  # exp(1000) overflows: microgpt subtracts the largest first
             ([-1000.0, -1001.0],)]  # exp(-1000) is 0: without it, 0 / 0
    return fixed, [(random_logits(rng, rng.choice([1.0, 3.0, 30.0])),) for _ in range(RANDOM_CASES)]


def loss_cases(rng):
    fixed = [([0.25, 0.25, 0.25, 0.25], 0), ([0.1, 0.2, 0.7], 2), ([0.5, 0.5], 1), ([0.9, 0.05, 0.05], 0), ([1.0], 0)]
    randoms = []
    for _ in range(RANDOM_CASES):
        probs = model.softmax(random_logits(rng))
        randoms.append((probs, rng.randrange(len(probs))))
    return fixed, randoms


def numerical_gradient_cases(rng):
    fixed = [(FUNCTIONS[0], [3.0], 0.1), (FUNCTIONS[1], [2.0, -1.0], 0.01), (FUNCTIONS[2], [1.0, 2.0, 3.0], 1e-4),
             (FUNCTIONS[3], [0.5, 1.0, -2.0], 1e-3), (FUNCTIONS[4], [1.0, 2.0, 0.5], 1e-4)]
    randoms = []
    for _ in range(RANDOM_CASES // 4):  # each costs 2 calls of f per coordinate
        f = rng.choice(FUNCTIONS[1:])
        x = [round(rng.uniform(-2, 2), 3) for _ in range(f.size or rng.randint(1, 6))]
        randoms.append((f, x, rng.choice([1e-2, 1e-3, 1e-4])))
    return fixed, randoms


def sample_cases(rng):
    fixed = [([0.0, 0.0], 1.0, 0.25), ([0.0, 0.0], 1.0, 0.75), ([1.0, 2.0, 3.0], 1.0, 0.5),
             ([1.0, 2.0, 3.0], 0.5, 0.2), ([2.0, 1.0, 0.5, 3.0], 2.0, 0.9),
             ([800.0, 805.0, 790.0], 0.5, 0.3)]  # 1610 after the temperature: exp overflows without the max subtracted
    return fixed, [(random_logits(rng), round(rng.uniform(0.2, 2.0), 2), rng.random()) for _ in range(RANDOM_CASES)]


# ---- comparing answers ----------------------------------------------------------------------------

def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def same_list(expected, got):
    return (isinstance(got, (list, tuple)) and len(got) == len(expected)
            and all(is_number(g) and close(e, g) for e, g in zip(expected, got)))


def same_float(expected, got):
    return is_number(got) and close(expected, got)


def same_int(expected, got):
    return isinstance(got, int) and not isinstance(got, bool) and got == expected


def describe(value, digits=6):
    """A value as a message shows it: floats to `digits` significant digits, long lists cut."""
    if isinstance(value, float):
        return f"{value:.{digits}g}" if math.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)):
        items = [describe(v, digits) for v in value[:8]]
        more = f", ... ({len(value)} in all)" if len(value) > 8 else ""
        return f"[{', '.join(items)}{more}]"
    if isinstance(value, Function):
        return "f"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def differing(expected, got):
    """(expected, got) described with enough digits to tell them apart."""
    for digits in (6, 17):
        shown = describe(expected, digits), describe(got, digits)
        if shown[0] != shown[1]:
            break
    return shown


class Exercise(NamedTuple):
    name: str
    parameters: tuple  # the function's parameters, in order
    task: str  # what the function must do, for the page
    answer: Callable  # the engine's own function: what the learner's must return
    cases: Callable  # rng -> (fixed inputs, random inputs), each a list of argument tuples
    same: Callable  # (expected, got) -> bool
    reveal: Callable  # the function whose lines the page shows after a try (microgpt's own where it has one)
    highlight: tuple  # lines of it to highlight (their stripped text); () for none
    note: str  # one sentence on what is revealed

    @property
    def signature(self):
        return f"def {self.name}({', '.join(self.parameters)}):"


EXERCISES = {exercise.name: exercise for exercise in [
    Exercise("softmax", ("logits",),
             "Turn a list of logits into probabilities: exp of each, divided by their total. Subtract the "
             "largest logit first, as microgpt does, so exp never overflows on large logits.",
             model.softmax, softmax_cases, same_list, scalar.softmax, (),
             "microgpt's softmax works on Values (val.data is a Value's number); the lab's scalar engine runs it."),
    Exercise("loss", ("probs", "target"),
             "The loss at one position: minus the natural log of the probability given to the target "
             "(probs is a list of probabilities, target an index into it).",
             loss, loss_cases, same_float, scalar.forward, ("loss_t = -probs[target_id].log()",),
             "microgpt's forward(): each position's loss, then their mean."),
    Exercise("numerical_gradient", ("f", "x", "h"),
             "The slope of f at x along each coordinate, by nudging: for each i, f at x with x[i] + h, minus "
             "f at x with x[i] - h, divided by 2 * h. x is a list of floats; return one number per "
             "coordinate, and leave x as it was.",
             numerical_gradient, numerical_gradient_cases, same_list, numerical_gradient, (),
             "microgpt has no numerical gradient (its Value computes exact ones): this is the lab's own, which "
             "checks them."),
    Exercise("sample", ("logits", "temperature", "r"),
             "The token id microgpt draws: the probabilities softmax([l / temperature for l in logits]), then "
             "the first token whose running total of probabilities is greater than r times their total, as "
             "random.choices does when random.random() returns r.",
             sample, sample_cases, same_int, Session.sample,
             ("probs = softmax([l * inv_temperature for l in decoder(token_id)])",
              "token_id = rng.choices(range(vocab_size), weights=probs)[0]"),
             "The lab's sampler, microgpt's loop: it multiplies by temperature ** -1, which is how microgpt's "
             "Values divide."),
]}


def call_text(exercise, args):
    text = f"{exercise.name}({', '.join(describe(arg) for arg in args)})"
    functions = [arg for arg in args if isinstance(arg, Function)]
    return f"{text} with {functions[0]!r}" if functions else text


def where(error):
    """' (line N of your code)': the learner's deepest line in the error's traceback."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == CODE_FILE]
    return f" (line {lines[-1]} of your code)" if lines else ""


def failure(message):
    return {"ok": False, "message": message}


def copy_args(args):
    return tuple(list(arg) if isinstance(arg, list) else arg for arg in args)


def run_code(code, namespace):
    """Compile (code: text or a parsed module) and run the learner's code in `namespace`: None, or the
    failure saying what went wrong."""
    try:
        compiled = compile(code, CODE_FILE, "exec")
    except SyntaxError as error:
        return failure(f"line {error.lineno} of your code: {type(error).__name__}: {error.msg}")
    try:
        exec(compiled, namespace)
    except (Exception, SystemExit) as error:
        return failure(f"running your code raised {type(error).__name__}: {error}{where(error)}")
    return None


def check(exercise, code):
    """Run the learner's `code` and compare its function `exercise` with the engine's on fixed and random
    inputs: {"ok": bool, "message": str}. Nothing in the code makes it raise but KeyboardInterrupt."""
    task = EXERCISES.get(exercise)
    if task is None:
        raise LessonError(f"no exercise {exercise!r}; the exercises are {', '.join(EXERCISES)}")
    if not isinstance(code, str):
        raise LessonError(f"code must be text, got {type(code).__name__}")
    fixed, randoms = task.cases(random.Random(CASES_SEED))
    cases = fixed + randoms
    expected = [task.answer(*copy_args(args)) for args in cases]  # before the learner's code can touch anything
    namespace = {"__name__": "exercise"}
    problem = run_code(code, namespace)
    if problem:
        return problem
    function = namespace.get(task.name)
    if not callable(function):
        return failure(f"no function named {task.name}: define it with {task.signature}")
    try:
        inspect.signature(function).bind(*task.parameters)
    except (TypeError, ValueError):
        return failure(f"{task.name} must take {len(task.parameters)} argument(s), as in {task.signature}")
    for args, answer in zip(cases, expected):
        given = copy_args(args)
        try:
            got = function(*given)
        except (Exception, SystemExit) as error:
            return failure(f"{call_text(task, args)} raised {type(error).__name__}: {error}{where(error)}")
        if not task.same(answer, got):
            shown_expected, shown_got = differing(answer, got)
            return failure(f"{call_text(task, args)}: expected {shown_expected}, got {shown_got}")
        changed = [a for a, b in zip(given, args) if isinstance(b, list) and not same_list(b, a)]
        if changed:
            return failure(f"{call_text(task, args)} changed the list it was given (to {describe(changed[0])}): "
                           "leave its inputs as they were")
    return {"ok": True, "message": f"{task.name} agrees with the engine's on all {len(cases)} inputs: "
                                   f"{len(fixed)} chosen to catch the usual mistakes and {len(randoms)} random ones."}


# ---- microgpt's Value on the learner's own expression -------------------------------------------

# The Value methods that make a node, and how the graph names what they did.
MAKERS = {"__add__": "+", "__mul__": "*", "__pow__": "**", "log": "log", "exp": "exp", "relu": "relu"}


def value_graph(code):
    """Run the learner's few lines with microgpt's own Value (and math), take the Value the last line
    names (`L = d * d`, `d * d` or `L.backward()`), backpropagate it with Value.backward() unless the
    code did, and return the graph: {"ok": True, "nodes": [...], "output": index} with each node
    {"names": the code's variables bound to it, "op": what made it ("+", "*", "**-1", "exp", ...;
    None for a number given), "data", "grad", "children": indices}, children before parents;
    or {"ok": False, "message"} naming the problem and its line."""
    try:
        tree = ast.parse(code, CODE_FILE)
    except SyntaxError as error:
        return failure(f"line {error.lineno} of your code: {type(error).__name__}: {error.msg}")
    last = tree.body[-1] if tree.body else None
    target = output_expression(last)
    if target is None:
        return failure("end with the Value to backpropagate, for example L = d * d (or L.backward())")
    if isinstance(last, ast.Expr) and target is last.value:  # a bare expression: computed once, as the output
        tree.body.pop()
    namespace = {"__name__": "value_graph", "Value": scalar.Value, "math": math}
    made = {}  # id(node) -> (op, node): the node is kept so its id is never reused

    def watch(frame, event, result):
        maker = MAKERS.get(frame.f_code.co_name) if event == "return" else None
        if maker and isinstance(result, scalar.Value) and frame.f_code is getattr(scalar.Value, frame.f_code.co_name).__code__:
            if id(result) not in made:  # the innermost maker: __sub__'s node is the + that __add__ made
                op = f"**{frame.f_locals['other']:g}" if maker == "**" else maker
                made[id(result)] = (op, result)

    sys.setprofile(watch)
    try:
        problem = run_code(tree, namespace)
        if problem is None:
            output = eval(compile(ast.fix_missing_locations(ast.Expression(target)), CODE_FILE, "eval"), namespace)
    except (Exception, SystemExit) as error:
        problem = failure(f"line {last.lineno} of your code raised {type(error).__name__}: {error}")
    finally:
        sys.setprofile(None)
    if problem:
        return problem
    if not isinstance(output, scalar.Value):
        return failure(f"the last line names {describe(output)}, not a Value: end with the Value to backpropagate")
    nodes = topological(output)
    if len(nodes) > MAX_VALUES:
        return failure(f"your code built a graph of {len(nodes)} Values; this widget draws at most {MAX_VALUES}")
    if output.grad == 0:
        output.backward()
    index = {id(node): k for k, node in enumerate(nodes)}
    names = {}
    for name, value in namespace.items():
        if isinstance(value, scalar.Value) and id(value) in index:
            names.setdefault(id(value), []).append(name)
    graph = [{"names": names.get(id(node), []), "op": made.get(id(node), (None,))[0], "data": node.data,
              "grad": node.grad, "children": [index[id(child)] for child in node._children]} for node in nodes]
    if not all(math.isfinite(node["data"]) and math.isfinite(node["grad"]) for node in graph):
        return failure("a Value or its gradient is not a finite number (inf or nan): use smaller numbers")
    return {"ok": True, "nodes": graph, "output": index[id(output)]}


def output_expression(statement):
    """The expression of the Value a statement ends with: x = ..., x.backward() or an expression."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return ast.Name(statement.targets[0].id, ast.Load())
    if isinstance(statement, ast.Expr):
        call = statement.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "backward":
            return call.func.value
        return call
    return None


def topological(output):
    """Every Value the output depends on, each after its children (microgpt's build_topo, as a loop)."""
    order, visited, done, stack = [], set(), set(), [output]
    while stack:
        node = stack.pop()
        if node in done:
            continue
        if node in visited:
            done.add(node)
            order.append(node)
        else:
            visited.add(node)
            stack.append(node)
            stack.extend(reversed(node._children))
    return order


# ---- what the chapters ask of a session -------------------------------------------------------------

def check_text(session, text):
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise LessonError(f"type a name of at most {MAX_TEXT} characters")
    unknown = sorted(set(text) - set(session.tokenizer.uchars))
    if unknown:
        raise LessonError(f"{''.join(unknown)!r} is not in the vocabulary: the documents have only "
                          f"{''.join(session.tokenizer.uchars)!r}, and each of those is a token")


def tokens(session, text):
    """A name as the engine reads it: its token ids (BOS at both ends), their labels, the positions a
    step scores (the context up to each and the token it must predict), and the uniform guess's loss."""
    check_text(session, text)
    tokenizer = session.tokenizer
    ids = tokenizer.encode(text)
    n = min(session.config.block_size, len(ids) - 1)
    return {
        "text": text,
        "tokens": ids,
        "labels": [tokenizer.label(i) for i in ids],
        "vocab": tokenizer.uchars,
        "bos": tokenizer.BOS,
        "vocab_size": tokenizer.vocab_size,
        "pairs": [{"context": ids[: p + 1], "target": ids[p + 1]} for p in range(n)],
        "uniform_loss": uniform_loss(tokenizer.vocab_size),
    }


def uniform_loss(vocab_size):
    """The loss of a guess that gives each token 1 / vocab_size: the same at every position."""
    return loss([1 / vocab_size] * vocab_size, 0)


def surprise(probability):
    """The loss when the target was given `probability`."""
    if not is_number(probability) or not 0 < probability <= 1:
        raise LessonError(f"probability must be a number above 0 and at most 1, got {probability!r}")
    return {"probability": probability, "loss": loss([probability], 0)}


def next_document(session):
    """The document the session's next step trains on, and its tokens."""
    doc = session.docs[session.step_count % len(session.docs)]
    return doc, session.tokenizer.encode(doc)


def gradient_check(session, name, row, col, h):
    """One weight's gradient on the next step's document two ways: the engine's backpropagation, and
    nudging the weight by h each way and measuring the loss again (central differences). row None:
    a row the document's first position uses (wte: its token's, wpe: position 0's, lm_head: its
    target's; any other matrix: row 0), so the gradient is not 0 for want of being read."""
    matrix = session.state_dict.get(name)
    if matrix is None:
        raise LessonError(f"no matrix {name!r}; state_dict has {', '.join(session.state_dict)}")
    doc, ids = next_document(session)
    if row is None:
        row = {"wte": ids[0], "lm_head": ids[1]}.get(name, 0)
    for label, value, size in (("row", row, len(matrix)), ("col", col, len(matrix[0]))):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
            raise LessonError(f"{label} must be an integer from 0 to {size - 1} ({name} is {len(matrix)} x {len(matrix[0])}), got {value!r}")
    if not is_number(h) or not 0 < h <= 1:
        raise LessonError(f"h must be a number above 0 and at most 1, got {h!r}")
    config, engine = session.config, session.engine
    result = engine.train_step(session.state_dict, ids, config, Stages(detail=False))
    weight = matrix[row][col]

    def loss_with(value):
        nudged = dict(session.state_dict)
        nudged[name] = [list(r) for r in matrix]
        nudged[name][row][col] = value
        losses = engine.evaluate(nudged, [ids], config)
        return sum(losses) / len(losses)

    plus, minus = loss_with(weight + h), loss_with(weight - h)
    return {
        "step": session.step_count, "doc": doc, "tokens": ids, "labels": [session.tokenizer.label(i) for i in ids],
        "name": name, "shape": [len(matrix), len(matrix[0])], "row": row, "col": col, "weight": weight, "h": h,
        "loss": sum(result.losses) / len(result.losses), "loss_plus": plus, "loss_minus": minus,
        "numerical": (plus - minus) / (2 * h),
        "analytic": result.grads[name][row * len(matrix[0]) + col],
    }


def attention_map(session, text):
    """The learner's name through the model: each layer's and head's attention weights (a row per
    position, over the positions up to it), and each position's probability of the next token."""
    check_text(session, text)
    ids = session.tokenizer.encode(text)
    engine = session.engine
    result = engine.train_step(session.state_dict, ids, session.config, Stages(detail=True))
    n = len(result.losses)
    return {
        "step": session.step_count, "text": text, "tokens": ids[: n + 1],
        "labels": [session.tokenizer.label(i) for i in ids[: n + 1]],
        "attention": result.attention,  # [layer][head][position] -> weights over positions 0..position
        "probs": [probs[target] for probs, target in zip(result.probs, ids[1 : n + 1])],
        "losses": result.losses,
    }


def bigram_samples(session, num_samples, seed):
    """Names drawn from the counting bigram (Session.bigram()): from BOS, each next token drawn in
    proportion to how often it followed the last one, until BOS (or block_size characters), with
    random.Random(seed): the session's own generator is left alone."""
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or not 1 <= num_samples <= 100:
        raise LessonError(f"num_samples must be an integer from 1 to 100, got {num_samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise LessonError(f"seed must be an integer, got {seed!r}")
    rows, tokenizer = session.bigram()["rows"], session.tokenizer
    rng = random.Random(seed)
    samples = []
    for _ in range(num_samples):
        token_id, name = tokenizer.BOS, []
        for _ in range(session.config.block_size):
            row = rows[token_id]
            if not row["next"]:  # a token never followed by anything at a scored position
                break
            token_id = rng.choices(row["next"], weights=row["counts"])[0]
            if token_id == tokenizer.BOS:
                break
            name.append(token_id)
        samples.append(tokenizer.decode(name))
    return {"seed": seed, "samples": samples}


def name_probabilities(session, text, temperature):
    """How likely the model made each character of a name, and its end, when sampling at `temperature`:
    Session.sample's probabilities (softmax of the logits times temperature ** -1) after BOS and each
    prefix. A name as long as the context has no end to score (sampling stops there)."""
    check_text(session, text)
    check_number("temperature", temperature)
    tokenizer, block_size = session.tokenizer, session.config.block_size
    if len(text) > block_size:
        raise LessonError(f"a sampled name has at most block_size ({block_size}) characters, got {len(text)}")
    inv_temperature = temperature**-1  # as Session.sample computes it
    decoder = session.engine.Decoder(session.state_dict, session.config)
    ids = tokenizer.encode(text)
    probabilities = []
    for token_id, next_id in zip(ids[:block_size], ids[1 : block_size + 1]):
        probs = model.softmax([l * inv_temperature for l in decoder(token_id)])
        probabilities.append(probs[next_id])
    chars = [{"char": ch, "p": p} for ch, p in zip(text, probabilities)]
    return {"step": session.step_count, "text": text, "temperature": temperature, "chars": chars,
            "end": probabilities[len(text)] if len(probabilities) > len(text) else None}


# ---- the exercises as the page shows them (schema.py; read natively: the browser has no .py files) --

def schema():
    return {"exercises": [{
        "name": task.name,
        "parameters": list(task.parameters),
        "signature": task.signature,
        "task": task.task,
        "reveal": reveal(task),
    } for task in EXERCISES.values()]}


def reveal(task):
    lines, first = inspect.getsourcelines(task.reveal)
    module = inspect.getmodule(task.reveal).__name__
    highlight = [first + k for k, line in enumerate(lines) if line.strip() in task.highlight]
    if len(highlight) != len(task.highlight):
        raise LookupError(f"{task.name}: the lines {task.highlight} are not all in {task.reveal.__qualname__}")
    return {"file": module.replace(".", "/") + ".py", "name": task.reveal.__qualname__, "first_line": first,
            "lines": [line.rstrip("\n") for line in lines], "highlight": highlight, "note": task.note}
