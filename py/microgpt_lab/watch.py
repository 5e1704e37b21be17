"""Watching microgpt's code run, line by line, from outside, as a debugger does.

The scalar engine's gpt() and forward() are microgpt's own lines and nothing
else. The lab still reports each stage's time and Value nodes and the
attention weights: it finds each stage's lines in their source by the stage's
formula (model.STAGES), then watches those functions run. When a stage's line
has run, the time and the nodes since the previous stage ended are that
stage's (as a stopwatch lapped at the end of each stage would count them),
and named variables are read from the running frame right after the line that
assigns them.

Python 3.12+ (Pyodide) has sys.monitoring, whose LINE events can be limited to
the watched functions' code, so nothing else slows down. Python 3.11 has only
sys.settrace, which is called on every Python call of the step (each Value
operation): slower, and used there only for full instrumentation.
"""
import functools
import inspect
import sys

from .model import STAGES, layer_name

TOOL_IDS = (3, 4)  # the sys.monitoring tool ids CPython leaves to other tools


@functools.cache
def stage_lines(functions):
    """{line number: (Stage, code)} for every line of every stage's formula (model.STAGES), found in
    order in the functions' source (read once, from the package's own .py files)."""
    source = []
    for function in functions:
        lines, first = inspect.getsourcelines(function)
        source += [(first + k, line.split("#")[0].strip()) for k, line in enumerate(lines)]
    found, cursor = {}, 0
    for stage in STAGES:
        for wanted in stage.formula.splitlines():
            at = next((k for k in range(cursor, len(source)) if source[k][1] == wanted.strip()), None)
            if at is None:
                names = ", ".join(f.__name__ for f in functions)
                raise LookupError(f"stage {stage.name}: {wanted.strip()!r} is not a line of {names} (after line {cursor})")
            found[source[at][0]] = (stage, source[at][1])
            cursor = at + 1
    return found


class Watch:
    """Laps `stages` at the end of every stage while the functions run; `captures` maps a variable
    name to a callback(frame locals, value), called right after a stage line assigns it."""

    def __init__(self, functions, stages, captures=()):
        self.codes = {function.__code__ for function in functions}
        self.lines = stage_lines(functions)
        assigned = {line: assigned_name(code) for line, (_, code) in self.lines.items()}
        self.captures = {line: (name, captures[name]) for line, name in assigned.items() if name in captures}
        self.stages = stages
        self.previous = None  # the line that ran last in a watched function

    def on_line(self, line, frame):
        """`line` is about to run, so the previous one has ended."""
        stage, _ = self.lines.get(self.previous, (None, None))
        if stage is not None:
            names = frame.f_locals
            name = layer_name(names["li"], stage.name) if stage.per_layer else stage.name
            self.stages.lap(name, stage.kind)
            capture = self.captures.get(self.previous)
            if capture:
                capture[1](names, names[capture[0]])
        self.previous = line

    def __enter__(self):
        if hasattr(sys, "monitoring"):
            self.tool = next((t for t in TOOL_IDS if sys.monitoring.get_tool(t) is None), None)
            if self.tool is None:
                raise RuntimeError(f"sys.monitoring tool ids {TOOL_IDS} are both taken: the scalar engine cannot be watched")
            sys.monitoring.use_tool_id(self.tool, "microgpt_lab")
            sys.monitoring.register_callback(self.tool, sys.monitoring.events.LINE, self.monitor_line)
            for code in self.codes:
                sys.monitoring.set_local_events(self.tool, code, sys.monitoring.events.LINE)
        else:
            self.previous_trace = sys.gettrace()
            sys.settrace(self.trace_call)
        return self

    def __exit__(self, *error):
        if hasattr(sys, "monitoring"):
            for code in self.codes:
                sys.monitoring.set_local_events(self.tool, code, 0)
            sys.monitoring.register_callback(self.tool, sys.monitoring.events.LINE, None)
            sys.monitoring.free_tool_id(self.tool)
        else:
            sys.settrace(self.previous_trace)

    def monitor_line(self, code, line):
        self.on_line(line, sys._getframe(1))  # the watched function's frame

    def trace_call(self, frame, event, arg):
        return self.trace_line if frame.f_code in self.codes else None

    def trace_line(self, frame, event, arg):
        if event == "line":
            self.on_line(frame.f_lineno, frame)
        return self.trace_line


def assigned_name(code):
    """The variable a line of code assigns (`x = ...` -> "x"), or None."""
    target, equals, _ = code.partition(" = ")
    return target if equals and target.isidentifier() else None
