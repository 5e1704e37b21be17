"""The scalar engine's own source, for the page: the code a learner reads is the code that ran.

schema()["source"] lists microgpt's functions as scalar.py has them (with
their line numbers in the file) and, for each stage, the lines of its formula
(found as watch.stage_lines finds them for the watched run) and the functions
those lines call. It is read with inspect from the package's .py files, so it
is built natively (python -m microgpt_lab schema, dist/schema.json): the
browser's engine, booted from a memory snapshot, has no .py files to read.
"""
import inspect
import re

from . import scalar
from .watch import stage_lines

HELPERS = (scalar.linear, scalar.softmax, scalar.rmsnorm)  # the functions gpt() and forward() call
CALL = re.compile(r"(\.?)(\w+)\(")  # name( or .method(


def function(name, obj):
    lines, first = inspect.getsourcelines(obj)
    return {"name": name, "first_line": first, "lines": [line.rstrip("\n") for line in lines]}


def calls(code):
    """The described functions a line calls: a helper by name, or a method of Value (as "Value.relu")."""
    found = []
    for dot, name in CALL.findall(code):
        if dot and callable(getattr(scalar.Value, name, None)):
            found.append(f"Value.{name}")
        elif not dot and name in {helper.__name__ for helper in HELPERS}:
            found.append(name)
    return found


def source():
    stages = {}
    for line, (stage, code) in sorted(stage_lines(scalar.WATCHED).items()):
        entry = stages.setdefault(stage.name, {"lines": [], "calls": []})
        entry["lines"].append(line)
        entry["calls"] += [name for name in calls(code) if name not in entry["calls"]]
    methods = sorted({name for entry in stages.values() for name in entry["calls"] if name.startswith("Value.")})
    functions = [function("Value", scalar.Value)]
    functions += [function(name, getattr(scalar.Value, name.split(".")[1])) for name in methods]
    functions += [function(f.__name__, f) for f in HELPERS + scalar.WATCHED]
    return {"file": scalar.__name__.replace(".", "/") + ".py", "functions": functions, "stages": stages}
