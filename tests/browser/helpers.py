"""What the browser tests share (import with `from helpers import ...`): opening
and driving the lab through its controls, waiting for what it shows, reading
its panels and storage, and the engine run natively for the numbers it must match.

Every wait is for a condition, never for a fixed time. Where a test checks that
something does NOT happen, it first waits for a positive signal that would
have come after it: the worker answered a later request (sample_now,
new_session_refused), or a number of animation frames passed (animation_frames).
"""

import re
import time

from playwright.sync_api import Error as PlaywrightError

from microgpt_lab import trace as engine_trace
from microgpt_lab.config import Config
from microgpt_lab.session import Session

# Losses match the native engine to this (Python's compensated float sum
# differs across platforms at ~1e-15).
TOL = 1e-9
READY = re.compile(r"\bready\b", re.IGNORECASE)


# ---- the engine, natively --------------------------------------------------------

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


# ---- opening the lab and driving it ----------------------------------------------

def wait_ready(page, timeout=90_000):
    """Wait until an element with role="status" says "ready" (the worker has booted).

    Pyodide start-up takes ~2.5 s on a fast machine; the default 90 s leaves
    room for a slow CI runner. Returns the status text.
    """
    status = page.get_by_role("status").filter(has_text=READY).first
    status.wait_for(state="visible", timeout=timeout)
    return status.text_content()


def open_lab(page, url):
    """Open the lab and wait for "ready"; returns seconds from navigation to ready."""
    start = time.perf_counter()
    page.goto(url)
    wait_ready(page)
    return time.perf_counter() - start


def show_all_panels(page):
    """A viewport tall enough for every panel: the live-model panels (inspector,
    embedding map, probe) read the model only while they are on screen."""
    page.set_viewport_size({"width": 1280, "height": 5200})


def set_field(page, name, value):
    """Choose or type a config field's value, as a learner would."""
    field = page.locator(f"#cfg-{name}")
    kind = field.evaluate("(el) => el.type")
    if kind == "select-one":
        field.select_option(str(value))
    elif kind == "checkbox":
        field.set_checked(value)
    else:
        field.fill(str(value))


def set_value(page, name, value):
    """Put raw text in a config field (also what a number input refuses to type)."""
    page.evaluate("([name, value]) => { document.querySelector(`#cfg-${name}`).value = value; }", [name, value])


def new_session(page, **fields):
    """Set config fields, click New session, return the new session's id once
    the views show it (state.events are then its own: take_steps counts them)."""
    for name, value in fields.items():
        set_field(page, name, value)
    before = page.evaluate("() => window.lab.state.current")
    page.get_by_role("button", name="New session").click()
    page.wait_for_function("""(before) => {
        const { current, shown } = window.lab.state;
        return current && current !== before && shown === current;
    }""", arg=before)
    return page.evaluate("() => window.lab.state.current")


def take_steps(page, count=1):
    """Click Step `count` times, each time until the page has the step's event: the events' count
    grows, or, once the page keeps only its latest 50, the last one's step number changes."""
    seen = "() => { const events = window.lab.state.events; return [events.length, events.at(-1)?.step]; }"
    for _ in range(count):
        before = page.evaluate(seen)
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(f"(before) => `${{({seen})()}}` !== `${{before}}`", arg=before)


def run_to_end(page, session, timeout=120):
    """Click Run and wait until the session is done."""
    page.get_by_role("button", name="Run").click()
    return session_done(page, session, timeout)


# ---- waiting for what the page shows --------------------------------------------

def wait_until(page, expression, arg=None, timeout=60):
    """Wait until the (async) page function `expression` returns a truthy value,
    and return that value. It polls in the page, every 50 ms (wait_for_function
    takes a returned Promise as truthy, so it cannot wait on async predicates);
    a navigation meanwhile starts it again in the new document."""
    poll = f"""async ([arg, ms]) => {{
        const predicate = {expression};
        const end = performance.now() + ms;
        for (;;) {{
            const value = await predicate(arg);
            if (value || performance.now() > end) return value;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }}
    }}"""
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            value = page.evaluate(poll, [arg, remaining * 1000])
        except PlaywrightError as error:  # the page navigated meanwhile
            if "context was destroyed" not in str(error):
                raise
            continue
        if value:
            return value
    raise AssertionError(f"timed out waiting for {expression}")


def wait_steps(page, at_least):
    """Wait until the progress bar shows at least `at_least` steps."""
    page.wait_for_function(
        "(n) => Number(document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= n",
        arg=at_least)


def expect_progress(page, done, total, timeout=10_000):
    """Wait until the progressbar says `done` of `total` steps (it repaints on
    the next animation frame)."""
    page.wait_for_function(
        """([done, total]) => {
            const bar = document.querySelector('[role=progressbar]');
            return bar.getAttribute('aria-valuenow') === String(done)
                && bar.getAttribute('aria-valuemax') === String(total);
        }""", arg=[done, total], timeout=timeout)


def wait_status(page, text):
    page.get_by_role("status").filter(has_text=text).wait_for()


def latest_loss(page):
    return float(page.locator("#latest-loss").get_attribute("data-value"))


def session_info(page, session_id):
    return page.evaluate("async (id) => (await window.lab.listSessions()).find((s) => s.id === id)", session_id)


def session_done(page, session_id, timeout=120):
    return wait_until(
        page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.status === 'done')",
        session_id, timeout)


def alert_says(page, text, timeout=30_000):
    """Wait until the form's alert contains `text`; returns the whole alert."""
    page.wait_for_function(
        "(text) => document.querySelector('#form-error').textContent.includes(text)", arg=text, timeout=timeout)
    return page.locator("#form-error").text_content()


def clear_alert(page):
    """Empty the form's alert, so the next message is known to be new."""
    page.evaluate("() => { document.querySelector('#form-error').textContent = ''; }")


# ---- positive signals -------------------------------------------------------------

def wait_samples(page, count):
    """Wait until the shown session has stored `count` sample batches; returns them, oldest first."""
    return wait_until(
        page, "async (n) => { const batches = await window.lab.samples(); return batches.length >= n && batches; }",
        count)


def sample_now(page):
    """Draw a sample batch (the Sample button); returns the step it was drawn at.

    The worker answers requests in order and a run yields to them between
    steps, so the batch is a positive signal: whatever the page asked of the
    worker before (a step, a run's next step) has happened by then."""
    count = len(page.evaluate("() => window.lab.samples()"))
    page.get_by_role("button", name="Sample").click()
    return wait_samples(page, count + 1)[-1]["step"]


def new_session_refused(page, problem):
    """Click New session and wait for the refusal naming `problem`; returns the
    alert. Ranges and n_embd % n_head are the engine's to check, so a refusal
    for them is also a positive signal: the worker has answered every request
    the page sent before."""
    clear_alert(page)
    page.get_by_role("button", name="New session").click()
    return alert_says(page, problem)


def animation_frames(page, count):
    """Wait for `count` animation frames of the page."""
    page.evaluate("""(count) => new Promise((resolve) => {
        const tick = (n) => (n >= count ? resolve() : requestAnimationFrame(() => tick(n + 1)));
        tick(0);
    })""", count)


def clipped(page, selector):
    """The text of every element matching `selector` that an ancestor which
    clips (overflow other than visible) cuts, even by a pixel."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].filter((el) => {
        const box = el.getBoundingClientRect();
        for (let up = el.parentElement; up; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
            const clip = up.getBoundingClientRect();
            if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5
                || box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5) return true;
        }
        return false;
    }).map((el) => el.textContent)""", selector)


# ---- panels -------------------------------------------------------------------------

def panel(page, name):
    return page.locator(f"[data-panel={name}]")


def panel_data(page, name):
    """Every data-* attribute of panel `name`, as a dict (camelCase keys)."""
    return panel(page, name).evaluate("(el) => ({...el.dataset})")


def wait_data(page, name, key, value):
    """Wait until panel `name` has data-`key` equal to `value`."""
    page.wait_for_function(
        "([name, key, value]) => document.querySelector(`[data-panel=${name}]`)?.dataset[key] === value",
        arg=[name, key, value])


def travel_to(page, step):
    """Move the time-travel scrubber to `step`, once it reaches that far: it is drawn a frame after the
    steps arrive, and a range input clamps a value past its end (a run just done may not be drawn yet)."""
    page.wait_for_function("(step) => Number(document.querySelector('#time-travel').max) >= step", arg=step)
    page.locator("#time-travel").fill(str(step))


def wait_points(page, count):
    """Wait until the loss timeline holds `count` points."""
    wait_data(page, "loss", "points", str(count))


def loss_panel(page):
    """The loss timeline's (points, last step, latest loss or None)."""
    data = panel_data(page, "loss")
    return int(data["points"]), int(data["lastStep"]), float(data["latestLoss"]) if data["latestLoss"] else None


def start_console(page, code):
    """Type `code` in the console and press Enter, without waiting for its answer; returns its log entry."""
    console = panel(page, "console")
    before = console.locator(".console-entry").count()
    box = console.get_by_label("Python")
    box.fill(code)
    box.press("Enter")
    return console.locator(".console-entry").nth(before)


def run_console(page, code):
    """Type `code` in the console, press Enter, return (status, output text, error text)."""
    entry = start_console(page, code)
    page.wait_for_function("(el) => el.dataset.status !== 'pending'", arg=entry.element_handle())
    output = entry.locator(".console-output")
    error = entry.locator(".console-error")
    return (entry.get_attribute("data-status"),
            output.text_content() if output.count() else "",
            error.text_content() if error.count() else "")


# ---- storage --------------------------------------------------------------------------

def stored(page):
    """Every stored session record, straight from IndexedDB (not through the page's store)."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open('microgpt-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['sessions', 'steps', 'checkpoints'], 'readonly');
            const out = {};
            tx.objectStore('sessions').getAll().onsuccess = (e) => { out.sessions = e.target.result; };
            tx.objectStore('steps').getAllKeys().onsuccess = (e) => { out.steps = e.target.result; };
            tx.objectStore('checkpoints').getAll().onsuccess = (e) => {
                out.checkpoints = e.target.result.map((c) => ({ session: c.session, step: c.step }));
            };
            tx.oncomplete = () => { db.close(); resolve(out); };
        };
    })""")


def one_stored_step(page, site_url):
    """The lab with one session of one stored step: (its id, what IndexedDB holds),
    to show that a refused input changes nothing that was saved."""
    open_lab(page, site_url)
    kept = new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    return kept, stored(page)


def forget_config_fields(page, session, names):
    """Take config fields out of a stored session record behind the page's back, as a lab older than those
    fields saved it. Reload the page afterwards (the page's store keeps what it read)."""
    page.evaluate("""([id, names]) => new Promise((resolve, reject) => {
        const open = indexedDB.open('microgpt-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('sessions', 'readwrite');
            tx.objectStore('sessions').get(id).onsuccess = (e) => {
                const record = e.target.result;
                for (const name of names) delete record.config[name];
                tx.objectStore('sessions').put(record);
            };
            tx.oncomplete = () => { db.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
        };
    })""", [session, names])


# ---- the path (?lesson=<n>) -------------------------------------------------------------

def open_lesson(page, url, n):
    """Open chapter n of the path at its own address and wait until the engine's
    workers are ready (the status says "ready") and the chapter is drawn."""
    page.goto(f"{url}?lesson={n}")
    wait_ready(page)
    page.locator(f"article.chapter[data-chapter='{n}']").wait_for()


def check_exercise(page, code):
    """Put `code` in the chapter's exercise, press Check and wait for the engine's
    verdict: (data-status, the message)."""
    exercise = page.locator(".exercise")
    exercise.locator("textarea").fill(code)
    exercise.get_by_role("button", name="Check").click()
    page.wait_for_function("() => !['', 'pending'].includes(document.querySelector('.exercise').dataset.status)",
                           timeout=90_000)
    return exercise.get_attribute("data-status"), exercise.locator(".exercise-result").text_content()


def reveal(page, choice):
    """Answer the chapter's question with the choice labelled `choice`, reveal the
    engine's answer, and return it once it is there (data-revealed: right, wrong or waiting)."""
    question = page.locator(".question")
    question.get_by_label(choice, exact=True).check()
    question.get_by_role("button", name="Reveal the engine's answer").click()
    page.wait_for_function("() => document.querySelector('.question').dataset.revealed !== ''")
    return question.get_attribute("data-revealed"), question.locator(".question-answer").text_content()


def rung_state(page, key):
    """A rung chart's view of one rung: {id, step, num_steps, status, loss} or None."""
    return page.evaluate("(key) => JSON.parse(document.querySelector('.rung-chart').dataset.rungs || '{}')[key] ?? null", key)


def train_rung(page, name):
    """Press the chapter's Train button for the rung `name` and wait until it has trained to its last step."""
    page.get_by_role("button", name=f"Train {name}").click()
    page.get_by_role("button", name=f"{name}: trained").wait_for(timeout=300_000)
