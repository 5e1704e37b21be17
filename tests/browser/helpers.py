"""Small helpers for the browser tests (import with `from helpers import ...`)."""

import re

READY = re.compile(r"\bready\b", re.IGNORECASE)


def wait_ready(page, timeout=90_000):
    """Wait until an element with role="status" says "ready" (the worker has booted).

    Pyodide start-up takes ~2.5 s on a fast machine; the default 90 s leaves
    room for a slow CI runner. Returns the status text.
    """
    status = page.get_by_role("status").filter(has_text=READY).first
    status.wait_for(state="visible", timeout=timeout)
    return status.text_content()
