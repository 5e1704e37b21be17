"""Python typed by a learner, run against a live session that it can read and never change.

    shell = Console()                        # one per session: its variables persist
    answer = shell.run(session, code)        # {"output": ...} (+ "error_in_code", "stopped")
    answer = run(code, namespace, "<exercise-1>")  # any code a learner types, in a namespace of its own

A Python prompt: the value of a last expression is echoed, after statements
too (`import math; math.log(27)`); an error comes back as Python's traceback
of the learner's own lines; what is printed is kept up to OUTPUT_LIMIT
characters (the start and the end, what was cut said between them), so
`print('x' * 50_000_000)` costs the page nothing. The page's Stop and time
limit arrive as KeyboardInterrupt (web/js/engine/worker.js listens to the
console's own interrupt slot during a `console` request); `run` reports them
as data. Other code a learner types (a lesson's exercise) can use `run` with
a namespace of its own, under the same limits.

The names the console gives (session, state_dict, config, vocab) are views
that read the live session at each access, so they follow training, and
refuse every change with a ReadOnlyError saying what to do instead: the
weights change only by training, which the page records. Python has no
walls, though: code that imports the engine's modules can reach the session
itself. So the worker keeps the session as it was (Kept) and the engine's
code as it was (KeptCode: a method or function replaced would change every
session of the worker), and, if the code changed either anyway, puts it
back and says so (worker.unharmed).
"""
import ast
import contextlib
import dataclasses
import json
import linecache
import math
import random
import sys
import traceback
from collections import deque
from collections.abc import Mapping, Sequence

from .session import Session

OUTPUT_LIMIT = 20_000  # characters of output (and of an error) kept per command
OUTPUT_TAIL = 4_000  # of which the last ones written
SOURCES_KEPT = 500  # inputs whose lines a traceback can still quote (a function defined in one)


class ReadOnlyError(Exception):
    """Console code tried to change the session; the message says why not and what to do."""


def refused(what, instead):
    return ReadOnlyError(f"{what}: the console only reads the session. {instead}".rstrip())


WEIGHTS = ("the weights are read-only here",
           "They change only by training (Step or Run), so every number stays the one the session's recorded "
           "steps give. To try a change, work on a copy: wte = state_dict['wte'].copy()")
MUTATORS = {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",
            "update", "setdefault", "popitem"}


def copy_of(value):
    """A JSON-ready answer of the engine, copied whole (nothing in it is the live session's)."""
    return json.loads(json.dumps(value))


class _ReadOnly:
    """A view that reads through `_read()` and refuses assignment, deletion and changes in place."""
    __slots__ = ("_read",)

    def __init__(self, read):
        object.__setattr__(self, "_read", read)

    def __len__(self):
        return len(self._read())

    def __setitem__(self, key, value):
        raise refused(*WEIGHTS)

    def __delitem__(self, key):
        raise refused(*WEIGHTS)

    def __setattr__(self, name, value):
        raise refused(*WEIGHTS)

    def __getattr__(self, name):
        if name in MUTATORS:
            raise refused(*WEIGHTS)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __repr__(self):
        return repr(self._read())

    def __eq__(self, other):
        return self._read() == (other._read() if isinstance(other, _ReadOnly) else other)

    __hash__ = None

    def copy(self):
        """A plain copy (lists and dicts) to change freely."""
        return copy_of(self._read())


class Numbers(_ReadOnly, Sequence):
    """A list of numbers of the session (a row of a matrix, Adam's m or v), read-only; a slice is a copy."""
    __slots__ = ()

    def __getitem__(self, index):
        return self._read()[index]

    def __iter__(self):
        return iter(self._read())


class Matrix(_ReadOnly, Sequence):
    """A matrix of state_dict, read-only: its rows are views too; a slice of rows is a copy."""
    __slots__ = ()

    def __getitem__(self, index):
        rows = self._read()
        if isinstance(index, slice):
            return [list(row) for row in rows[index]]
        rows[index]  # an IndexError now, not at the row's first use
        return Numbers(lambda: self._read()[index])

    def __iter__(self):
        return (self[i] for i in range(len(self)))


class Named(_ReadOnly, Mapping):
    """The session's matrices (state_dict) or lists (Adam's m and v) by name, read-only."""
    __slots__ = ("_view",)

    def __init__(self, read, view):
        super().__init__(read)
        object.__setattr__(self, "_view", view)

    def __getitem__(self, name):
        values = self._read()
        if name not in values:
            raise KeyError(f"{name!r}: no such matrix; the names are {', '.join(values)}")
        return self._view(lambda: self._read()[name])

    def __iter__(self):
        return iter(list(self._read()))

    def __contains__(self, name):
        return name in self._read()


class AdamView:
    """Adam's constants and its running averages m and v (flat per matrix), read-only."""
    __slots__ = ("_live",)

    def __init__(self, live):
        object.__setattr__(self, "_live", live)

    beta1 = property(lambda self: self._live.optimizer.beta1)
    beta2 = property(lambda self: self._live.optimizer.beta2)
    eps = property(lambda self: self._live.optimizer.eps)
    m = property(lambda self: Named(lambda: self._live.optimizer.m, Numbers))
    v = property(lambda self: Named(lambda: self._live.optimizer.v, Numbers))

    def __setattr__(self, name, value):
        raise refused(f"session.adam.{name} cannot be set", "Adam's state changes only by training.")

    def __repr__(self):
        return f"<Adam: beta1 {self.beta1}, beta2 {self.beta2}, eps {self.eps}; m and v by matrix, read-only>"


class SessionView:
    """The live session as console code sees it: everything to read, nothing that changes it."""
    __slots__ = ("_live", "_rng")
    READS = ("explain", "held_out_loss", "checkpoint", "bigram")  # the session's methods that only read
    REFUSED = ("step", "reset", "restore")

    def __init__(self, live):
        object.__setattr__(self, "_live", live)
        object.__setattr__(self, "_rng", None)

    config = property(lambda self: dataclasses.replace(self._live.config), doc="The run's settings (a copy).")
    step_count = property(lambda self: self._live.step_count, doc="Steps taken.")
    num_params = property(lambda self: self._live.num_params)
    fingerprint = property(lambda self: self._live.fingerprint, doc="sha256 of the documents.")
    vocab = property(lambda self: tuple(self._live.vocab), doc="The characters, in token id order (BOS is next).")
    docs = property(lambda self: tuple(self._live.docs), doc="The training documents, in microgpt's shuffled order.")
    held_out_docs = property(lambda self: tuple(self._live.held_out_docs))
    state_dict = property(lambda self: Named(lambda: self._live.state_dict, Matrix), doc="The weights, read-only.")
    adam = property(lambda self: AdamView(self._live) if self._live.config.optimizer == "adam" else None,
                    doc="Adam's constants, m and v, read-only (None with plain gradient descent, which keeps none).")

    def encode(self, doc):
        """A document's token ids, BOS at both ends."""
        return self._live.tokenizer.encode(doc)

    def decode(self, ids):
        """The characters of token ids (BOS left out)."""
        return self._live.tokenizer.decode(ids)

    def sample(self, num_samples=20, temperature=None):
        """New documents from the live weights, drawn with the console's own random generator (a copy of the
        session's when the console first samples), so the session's own samples stay the original program's."""
        if self._rng is None:
            rng = random.Random()
            rng.setstate(self._live.rng.getstate())
            object.__setattr__(self, "_rng", rng)
        return self._live.sample(num_samples, temperature, rng=self._rng)

    def step(self, *args, **kwargs):
        raise refused("session.step() is refused",
                      "A step taken here would be missing from its stored steps, its charts and its trace: "
                      "press Step (S) or Run (R) to train.")

    def reset(self, *args, **kwargs):
        raise refused("session.reset() is refused", "Press Reset in the Training card.")

    def restore(self, *args, **kwargs):
        raise refused("session.restore() is refused",
                      "Time travel (the scrubber under the progress bar) shows the model at any earlier step.")

    def __setattr__(self, name, value):
        raise refused(f"session.{name} cannot be set",
                      "To train with other settings, change them in the form and press New session.")

    def __delattr__(self, name):
        raise refused(f"session.{name} cannot be deleted", "")

    def __getattr__(self, name):
        live = self._live
        if name in self.READS and hasattr(live, name):
            read = getattr(live, name)
            return lambda *args, **kwargs: copy_of(read(*args, **kwargs))
        raise AttributeError(f"the console's session has no {name!r}; it offers {', '.join(dir(self))}")

    def __dir__(self):
        own = {name for name in dir(type(self)) if not name.startswith("_") and not name.isupper()}
        return sorted(own - set(self.REFUSED) | {name for name in self.READS if hasattr(self._live, name)})

    def __repr__(self):
        live = self._live
        return (f"<session at step {live.step_count} of {live.config.num_steps}, read-only in the console: "
                f"{', '.join(dir(self))}>")


# ---- the session kept, in case code reaches past the views -------------------------


def copied(value):
    """Lists and dicts copied down to their numbers (the weights' rows and Adam's buffers: C-speed slices)."""
    if isinstance(value, dict):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value] if value and isinstance(value[0], (list, dict)) else list(value)
    return value


class Kept:
    """A session as it was before console code ran: everything a step, explain and the inspector read
    (its checkpoint, documents, tokenizer, last step), to see whether the code changed it and to put it back."""

    def __init__(self, live):
        self.live = live
        self.attributes = set(vars(live))
        self.checkpoint = copied(live.checkpoint())
        self.docs = (list(live.file_docs), list(live.docs), list(live.held_out_docs), copied(live.held_out_tokens))
        self.tokenizer = (list(live.tokenizer.uchars), dict(live.tokenizer.index), live.tokenizer.BOS, live.engine)
        last = live.last_step
        self.last_step = last and last._replace(tokens=list(last.tokens))
        self.last = (copied(live.optimizer.last_grads), copied(live.optimizer.last_weights))

    def intact(self, now):
        try:
            return (now is self.live and set(vars(now)) == self.attributes and now.checkpoint() == self.checkpoint
                    and (now.file_docs, now.docs, now.held_out_docs, now.held_out_tokens) == self.docs
                    and (now.tokenizer.uchars, now.tokenizer.index, now.tokenizer.BOS, now.engine) == self.tokenizer
                    and now.last_step == self.last_step
                    and (now.optimizer.last_grads, now.optimizer.last_weights) == self.last)
        except Exception:  # a part of it replaced by something else altogether
            return False

    def session(self):
        """The session as it was, rebuilt."""
        session = Session.restore(self.checkpoint, self.docs[0])
        session.last_step = self.last_step
        session.optimizer.last_grads, session.optimizer.last_weights = copied(self.last[0]), copied(self.last[1])
        return session


class KeptCode:
    """The engine's code as it was before console code ran: the namespace of every microgpt_lab module and
    of the standard modules it computes with, and of every class those modules define. put_back() undoes
    any name the code replaced, added or deleted there (`Session.step = ...`, `math.exp = ...`) and answers
    what it undid; `with KeptCode():` puts back whatever the block did, however it ends. The engine never
    rebinds these names itself (no `global`), so anything changed is the code's doing."""

    STANDARD = ("math", "random", "json")
    MISSING = object()

    def __init__(self):
        self.kept = [(owner, dict(vars(owner))) for owner in self.owners()]

    @classmethod
    def owners(cls):
        modules = [module for name, module in list(sys.modules.items()) if module is not None
                   and (name.split(".")[0] == "microgpt_lab" or name in cls.STANDARD)]
        classes = {value for module in modules for value in vars(module).values()
                   if isinstance(value, type) and value.__module__.split(".")[0] == "microgpt_lab"}
        return modules + sorted(classes, key=lambda c: (c.__module__, c.__qualname__))

    def put_back(self):
        undone = []
        for owner, before in self.kept:
            now = vars(owner)
            for name in [name for name in now if name not in before]:
                delattr(owner, name)
                undone.append(f"{owner.__name__}.{name}")
            for name, value in before.items():
                if now.get(name, self.MISSING) is not value:
                    setattr(owner, name, value)
                    undone.append(f"{owner.__name__}.{name}")
        return undone

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.put_back()


PUT_BACK = ("This code changed the session itself, reaching past the console's names (which only read it): "
            "the session was put back as it was before the code ran.")


def put_back(answer, code=()):
    """The answer of code whose change to the session (or to the engine's code: the names in `code`) was
    undone, saying so."""
    said = [PUT_BACK] if not code else [f"This code changed the engine's own code ({', '.join(code)}), which every "
                                         "session of this worker runs: it was put back as it was before the code ran."]
    return {**answer, "error_in_code": "\n\n".join(filter(None, [answer.get("error_in_code"), *said])),
            "put_back": True}


class Console:
    """One session's console: its variables (kept between commands) and its inputs, numbered."""

    def __init__(self):
        self.namespace, self.count, self.view = {}, 0, None

    def run(self, live, code):
        """Run `code` with the names session, state_dict, config, vocab and math: views of `live`."""
        if self.view is None or self.view._live is not live:
            self.view = SessionView(live)
        view = self.view
        self.namespace.update(session=view, state_dict=view.state_dict, config=view.config, vocab=view.vocab,
                              math=math)
        self.count += 1
        return run(code, self.namespace, f"<console-{self.count}>")


# ---- running code -------------------------------------------------------------------


class CappedText:
    """A text stream that keeps the first and the last characters written, and counts the rest."""

    def __init__(self, limit=OUTPUT_LIMIT, tail=OUTPUT_TAIL):
        self.head_room, self.tail_room = limit - tail, tail
        self.head, self.tail, self.total = [], "", 0

    def write(self, text):
        text = str(text)
        self.total += len(text)
        if self.head_room > 0:
            self.head.append(text[: self.head_room])
            rest = text[self.head_room :]
            self.head_room -= len(self.head[-1])
        else:
            rest = text
        if rest:
            self.tail = (self.tail + rest[-self.tail_room :])[-self.tail_room :]
        return len(text)

    def flush(self):
        pass

    def getvalue(self):
        head = "".join(self.head)
        cut = self.total - len(head) - len(self.tail)
        if cut <= 0:
            return head + self.tail
        return (f"{head}\n... {cut:,} characters cut here: the console keeps the first {len(head):,} and the last "
                f"{len(self.tail):,} of {self.total:,} ...\n{self.tail}")


def capped(text):
    stream = CappedText()
    stream.write(text)
    return stream.getvalue()


typed = deque()  # the file names of the inputs linecache holds, oldest first


def remember(code, filename):
    """Keep the input's lines for tracebacks (a function defined in it can fail in a later one)."""
    if filename not in linecache.cache:
        typed.append(filename)
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    while len(typed) > SOURCES_KEPT:
        linecache.cache.pop(typed.popleft(), None)


def run(code, namespace, filename="<console>"):
    """Run `code` in `namespace` as Python's prompt would: {"output"}, plus "error_in_code" (a traceback of
    the learner's lines) when it failed, and "stopped" when a KeyboardInterrupt (the page's Stop) ended it."""
    remember(code, filename)
    output = CappedText()
    answer = {}
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            body, last = compiled(code, filename)
            exec(body, namespace)
            if last is not None:
                value = eval(last, namespace)
                if value is not None:  # as sys.displayhook does
                    namespace["_"] = value
                    print(repr(value))
    except KeyboardInterrupt as error:  # the console's Stop or its time limit
        frames = learner_frames(error.__traceback__)
        at = f" at line {frames[-1].lineno}: {frames[-1].line}" if frames else ""
        answer = {"error_in_code": f"stopped (KeyboardInterrupt){at}", "stopped": True}
    except (Exception, SystemExit) as error:  # the learner's code: reported, the session kept
        answer = {"error_in_code": capped(format_error(error))}
    return {"output": output.getvalue(), **answer}


def compiled(code, filename):
    """The code's statements, and its last statement apart when it is an expression (to echo its value)."""
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def learner_frames(tb):
    """The frames of a traceback in code typed by the learner (this input or an earlier one)."""
    return [frame for frame in traceback.extract_tb(tb) if frame.filename in typed]


def format_error(error):
    """Python's own traceback, with only the learner's frames (the engine's own are noise here)."""
    report = traceback.TracebackException.from_exception(error)
    part, seen = report, set()
    while part is not None and id(part) not in seen:
        seen.add(id(part))
        part.stack = traceback.StackSummary.from_list(
            [frame for frame in part.stack if frame.filename in typed])
        part = part.__cause__ or (None if part.__suppress_context__ else part.__context__)
    return "".join(report.format()).rstrip("\n")
