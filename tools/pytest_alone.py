"""A pytest plugin (`python3 build.py test` loads it, tools/testing.py): tests
run two at a time under pytest-xdist, except those marked `alone` (pytest.ini
registers the marker), which run with no other test at the same time.

A few browser tests measure time (a pause lands within a few steps, no long
main-thread task, a long step interrupted within 5 s); with another Chromium
busy on the other core they fail for no fault of the page. Every test holds a
shared lock on a file while it runs; an `alone` test holds it exclusively. A
second lock, the turnstile, gives a waiting `alone` test priority over tests
that start after it asked, so it waits for at most the tests already running.
Without xdist the locks are never contended; without fcntl (Windows) there
are none.
"""

from contextlib import contextmanager

import pytest

try:
    import fcntl
except ImportError:
    fcntl = None


@contextmanager
def locked(path, mode):
    with open(path, "a") as file:
        fcntl.flock(file, mode)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if fcntl is None:
        yield
        return
    folder = item.config.rootpath / ".cache"
    folder.mkdir(exist_ok=True)
    run, turnstile = folder / "tests-running.lock", folder / "tests-turnstile.lock"
    if item.get_closest_marker("alone"):
        with locked(turnstile, fcntl.LOCK_EX), locked(run, fcntl.LOCK_EX):
            yield
    else:
        with locked(turnstile, fcntl.LOCK_EX):
            pass  # wait while an `alone` test waits or runs
        with locked(run, fcntl.LOCK_SH):
            yield
