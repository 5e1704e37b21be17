"""Small helpers for the browser tests (import with `from helpers import ...`)."""

import re

from microgpt_lab import trace as engine_trace
from microgpt_lab.config import Config
from microgpt_lab.session import Session

# Losses match the native engine to this (Python's compensated float sum
# differs across platforms at ~1e-15).
TOL = 1e-9
READY = re.compile(r"\bready\b", re.IGNORECASE)


def wait_ready(page, timeout=90_000):
    """Wait until an element with role="status" says "ready" (the worker has booted).

    Pyodide start-up takes ~2.5 s on a fast machine; the default 90 s leaves
    room for a slow CI runner. Returns the status text.
    """
    status = page.get_by_role("status").filter(has_text=READY).first
    status.wait_for(state="visible", timeout=timeout)
    return status.text_content()


def native_losses(dist_dir, count, num_steps=None):
    """The first `count` losses of an uninterrupted native run of the engine on
    the bundled names (num_steps matters: the learning rate decays over it)."""
    text = (dist_dir / "data" / "names.txt").read_text()
    session = Session.from_text(Config(num_steps=num_steps or count), text)
    return [session.step(level="loss")["loss"] for _ in range(count)]


def check_losses(page, session, dist_dir, num_steps):
    """The session stored every step 1..num_steps, each with the loss of an
    uninterrupted native run."""
    steps = page.evaluate("(id) => window.lab.steps(id)", session)
    assert [s["step"] for s in steps] == list(range(1, num_steps + 1))
    expected = native_losses(dist_dir, num_steps)
    worst = max(abs(s["loss"] - e) for s, e in zip(steps, expected))
    assert worst < TOL, worst


def native_trace(steps=12, samples=True):
    """A trace as the command line writes it, from the engine run natively."""
    session = Session.from_text(Config(num_steps=50, n_embd=8, n_head=2), "emma\nolivia\nava\nmia\nzoe\n")
    events = [session.step(level="full" if i % 3 == 0 else "loss") for i in range(steps)]
    batches = [{"step": steps, "temperature": 0.5, "samples": session.sample(5, 0.5)}] if samples else []
    return engine_trace.make(engine_trace.header(session), events, batches)


def show_all_panels(page):
    """A viewport tall enough for every panel: the live-model panels (inspector,
    embedding map, probe) read the model only while they are on screen."""
    page.set_viewport_size({"width": 1280, "height": 3600})
