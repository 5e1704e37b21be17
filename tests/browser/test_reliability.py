"""Reliability (issue 6): bad config values, datasets, traces and links are
refused with a message naming the problem, failing storage loses nothing,
crafted text never becomes HTML, and the CSP holds.

Real Chromium, real Pyodide. The only stubs are of storage (IndexedDB),
injected with page.add_init_script before the page's own scripts run.
Losses are compared with the engine run natively, as in test_site.py.
"""

import json
import re
from urllib.parse import quote

from helpers import TOL, check_losses, native_trace
from test_site import expect_progress, latest_loss, new_session, open_lab, session_done, wait_steps

from microgpt_lab.config import Config
from microgpt_lab.session import Session


def alert_says(page, text, timeout=30_000):
    page.wait_for_function(
        "(text) => document.querySelector('#form-error').textContent.includes(text)", arg=text, timeout=timeout)
    return page.locator("#form-error").text_content()


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


def one_stored_step(page, site_url, wait_ready):
    """The lab with one session of one stored step: (its id, what IndexedDB holds),
    to show that a refused input changes nothing that was saved."""
    open_lab(page, site_url, wait_ready)
    kept = new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    return kept, stored(page)


def clear_alert(page):
    """Empty the form's alert, so the next message is known to be new."""
    page.evaluate("() => { document.querySelector('#form-error').textContent = ''; }")


# ---- 1. datasets and config values ------------------------------------------------------------------

BAD_DATASETS = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"\n   \r\n\t\n\r\n", "only blank lines"),
    ("nul.bin", b"anna\x00\x01\x02bob\n" * 10, "binary file (it contains NUL bytes)"),
    ("latin1.txt", "zoë\ncafé\n".encode("latin-1"), "not valid UTF-8"),
    ("control.txt", b"a\x01b\x02c\x03\n" * 20, "control characters"),
    ("big.txt", b"anna\n" * (2 * 1024 * 1024 + 10), "over the limit of 10.0 MB"),
    ("many.txt", b"a\n" * 200_001, "200,001 documents"),
    ("long.txt", b"anna\r\nbob\n" + b"x" * 1001 + b"\n", "line 3 is 1,001 characters long"),
]


def test_bad_datasets_are_refused_and_nothing_changes(lab_page, site_url, wait_ready, tmp_path):
    page = lab_page
    kept, before = one_stored_step(page, site_url, wait_ready)
    assert len(before["sessions"]) == 1

    page.get_by_label("My text file").check()
    for name, content, problem in BAD_DATASETS:
        path = tmp_path / name
        path.write_bytes(content)
        page.get_by_label("Dataset file").set_input_files(str(path))
        page.get_by_role("button", name="New session").click()
        message = alert_says(page, f"Dataset {name}: ")
        assert problem in message, message
        assert page.evaluate("() => window.lab.state.current") == kept
        assert page.locator("#status").text_content() == "ready"
    after = stored(page)
    assert after == before  # nothing saved changed: same records, steps, checkpoints

    # Mixed line endings, non-ASCII and emoji train (the vocabulary is whatever appears).
    text = "anna\r\nbob\rzoë\n\n😀 ok\n  café  \n"
    path = tmp_path / "mixed.txt"
    path.write_bytes(text.encode("utf-8"))
    page.get_by_label("Dataset file").set_input_files(str(path))
    session = new_session(page, num_steps=20)
    assert page.locator("#form-error").text_content() == ""
    page.get_by_role("button", name="Step").click()
    expect_progress(page, 1, 20)
    native = Session.from_text(Config(num_steps=20), text).step(level="loss")["loss"]
    assert abs(latest_loss(page) - native) < TOL
    trace = page.evaluate("(id) => window.lab.trace(id)", session)
    assert trace["dataset"]["num_docs"] == 5
    assert "😀" in trace["dataset"]["vocab"] and "ë" in trace["dataset"]["vocab"]


BAD_CONFIGS = [  # (field values, what the message says); the engine words the ranges
    ({"n_embd": ""}, "n_embd must be a number"),
    ({"block_size": "1e999"}, "block_size must be a number"),
    ({"n_layer": "2.5"}, "n_layer must be a whole number"),
    ({"n_embd": "-4"}, "n_embd must be an integer from 1 to 256, got -4"),
    ({"n_layer": "0"}, "n_layer must be an integer from 1 to 12, got 0"),
    ({"num_steps": "0"}, "num_steps must be an integer from 1 to 1000000, got 0"),
    ({"seed": "-1"}, "seed must be an integer from 0"),
    ({"n_embd": "15"}, "n_embd (15) must be divisible by n_head (4)"),
    ({"n_embd": "256", "n_layer": "12"}, "the limit is 500,000"),
    ({"learning_rate": "0"}, "learning_rate must be a number greater than 0 and at most 1"),
    ({"temperature": "-0.5"}, "temperature must be a number greater than 0 and at most 10"),
]


def set_value(page, name, value):
    """Put raw text in a config field (also what a number input refuses to type)."""
    page.evaluate("([name, value]) => { document.querySelector(`#cfg-${name}`).value = value; }", [name, value])


def test_bad_config_values_are_refused_and_nothing_changes(lab_page, site_url, wait_ready):
    page = lab_page
    kept, before = one_stored_step(page, site_url, wait_ready)
    defaults = {name: page.input_value(f"#cfg-{name}") for values, _ in BAD_CONFIGS for name in values}
    for values, problem in BAD_CONFIGS:
        clear_alert(page)
        for name, value in values.items():
            set_value(page, name, value)
        page.get_by_role("button", name="New session").click()
        assert problem in alert_says(page, problem)
        assert page.evaluate("() => window.lab.state.current") == kept
        for name in values:
            set_value(page, name, defaults[name])
    assert stored(page) == before
    assert page.locator("#status").text_content() == "ready"


# ---- 2. imported traces -------------------------------------------------------------

def bad_traces():
    good = json.dumps(native_trace())
    def edit(change):
        data = json.loads(good)
        change(data)
        return json.dumps(data).encode()
    return [
        ("empty.json", b"", "the file is empty"),
        ("notes.json", b"hello, not a trace", "not JSON"),
        ("latin1.json", '{"doc": "zoë"}'.encode("latin-1"), "not valid UTF-8"),
        ("other.json", edit(lambda t: t.update(format="something-else")), "not a microgpt-lab-trace"),
        ("v2.json", edit(lambda t: t.update(version=2)), "trace version 2 is not supported"),
        ("cut.json", good[: len(good) // 2].encode(), "cut short"),
        ("order.json", edit(lambda t: t["steps"].reverse()), "steps[1]: step must be an integer greater than 12"),
        ("nan.json", good.replace('"loss": ', '"loss": NaN, "was": ', 1).encode(), "the file has NaN"),
        ("inf.json", edit(lambda t: t["steps"][3].update(loss=1e999)), "the file has Infinity"),
        ("tokens.json", edit(lambda t: t["steps"][0].update(tokens=[0, 999])), "tokens must be token ids"),
    ]


def test_bad_traces_are_refused_and_nothing_changes(lab_page, site_url, wait_ready, tmp_path):
    page = lab_page
    kept, before = one_stored_step(page, site_url, wait_ready)
    big = tmp_path / "huge.json"
    with big.open("wb") as f:
        f.truncate(101 * 1024 * 1024)
    cases = [*bad_traces(), ("huge.json", None, "the file is 101.0 MB, over the limit of 100.0 MB")]
    for name, content, problem in cases:
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        clear_alert(page)
        page.locator("#trace-file").set_input_files(str(path))
        message = alert_says(page, f"Trace {name}: ")
        assert problem in message, message
        assert page.evaluate("() => window.lab.state.current") == kept
    assert stored(page) == before


CRAFTED = '<img src=x onerror="window.__pwned = 1">'


def test_crafted_strings_render_as_text(lab_page, site_url, wait_ready, tmp_path):
    """Whatever a trace, a dataset or a link says is shown as text, never run as HTML."""
    page = lab_page
    data = native_trace(steps=3)
    data["generator"] = CRAFTED
    data["steps"][0]["doc"] = CRAFTED
    data["samples"][0]["samples"] = [CRAFTED, "<script>window.__pwned = 2</script>"]
    path = tmp_path / "<b>x<b>.json"
    path.write_text(json.dumps(data))
    open_lab(page, f"{site_url}?{quote(CRAFTED, safe='')}=1&n_embd=%3Cb%3E", wait_ready)
    assert CRAFTED in page.locator("#url-notice").text_content()
    page.locator("#trace-file").set_input_files(str(path))
    page.wait_for_function("() => window.lab.state.current")
    page.get_by_role("list", name="Samples").get_by_text(CRAFTED).wait_for()
    page.locator("#time-travel").fill("1")
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '1'")
    assert page.locator("[data-panel=attention]").get_attribute("data-doc") == CRAFTED
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill(CRAFTED + "\n<i>y</i>")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    assert page.locator("img, script:not([src]), b, i").count() == 0
    assert page.evaluate("() => window.__pwned") is None


# ---- 3. shared links ---------------------------------------------------------------

def test_malformed_share_links_are_named_and_never_start(lab_page, site_url, wait_ready):
    page = lab_page
    query = "n_embd=abc&n_embd=9&bogus=1&temperature=-1&dataset=evil&seed=&n_head=2"
    open_lab(page, f"{site_url}?{query}", wait_ready)
    notice = page.locator("#url-notice")
    page.wait_for_function("() => document.querySelector('#url-notice').textContent.includes('temperature')")
    text = notice.text_content()
    for problem in ['unknown parameter "bogus" ignored', "n_embd is given 2 times; the first is used",
                    'n_embd="abc": must be a number; kept 16', 'seed="": must be a number; kept 42',
                    'dataset="evil": must be one of default, makemore',
                    "temperature must be a number greater than 0 and at most 10, got -1"]:
        assert problem in text, text
    assert page.input_value("#cfg-n_head") == "2"  # the good parameter is used
    assert page.get_by_label("Names (bundled").is_checked()
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.lab.listSessions()") == []
    assert stored(page)["sessions"] == []


# ---- 4. storage failures ------------------------------------------------------------

QUOTA_STUB = """
(() => {
  let writes = 0;
  for (const name of ['put', 'add']) {
    const original = IDBObjectStore.prototype[name];
    IDBObjectStore.prototype[name] = function (...args) {
      writes += 1;
      if (writes > %d) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
  }
})();
"""

NO_IDB_STUB = """
indexedDB.open = () => {
  throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.',
                         'InvalidStateError');
};
"""


def test_quota_exceeded_mid_run_goes_on_in_memory(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    page.add_init_script(QUOTA_STUB % 40)
    num_steps = 200
    open_lab(page, site_url, wait_ready)
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    notice = page.get_by_role("alert").filter(has_text="QuotaExceededError")
    notice.wait_for()
    assert "Storage full" in notice.text_content() and "in memory" in notice.text_content()
    session_done(page, session)
    check_losses(page, session, dist_dir, num_steps)  # from the in-memory store
    # IndexedDB keeps the last write that fitted, whole: its steps run exactly
    # to the step its record names, and the checkpoint is not beyond it.
    saved = stored(page)
    (record,) = saved["sessions"]
    assert 0 < record["step"] < num_steps
    assert [key[1] for key in saved["steps"]] == list(range(1, record["step"] + 1))
    assert all(c["step"] <= record["step"] for c in saved["checkpoints"])


def test_indexeddb_unavailable_trains_in_memory(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    page.add_init_script(NO_IDB_STUB)
    num_steps = 60
    open_lab(page, site_url, wait_ready)
    notice = page.get_by_role("alert").filter(has_text="IndexedDB could not be opened")
    notice.wait_for()
    assert "InvalidStateError" in notice.text_content() and "in memory" in notice.text_content()
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    session_done(page, session)
    check_losses(page, session, dist_dir, num_steps)
    assert page.locator("#form-error").text_content() == ""


# ---- 5. Content-Security-Policy ------------------------------------------------------

VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
"""


def csp_of(dist_dir):
    html = (dist_dir / "index.html").read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_csp_allows_only_own_code(dist_dir):
    csp = csp_of(dist_dir)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["worker-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    # No inline handlers, javascript: URLs or inline scripts in what is served.
    for path in dist_dir.rglob("*"):
        if path.suffix not in (".html", ".js") or "pyodide" in path.parts or "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", text), path
        assert "javascript:" not in text, path
        if path.suffix == ".html":
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path


def test_no_csp_violations_during_a_run_and_injected_scripts_are_blocked(lab_page, page_log, site_url, wait_ready):
    page = lab_page
    page.add_init_script(VIOLATIONS)
    open_lab(page, site_url, wait_ready)
    session = new_session(page, num_steps=30)
    page.get_by_role("button", name="Run").click()
    session_done(page, session)
    page.get_by_role("button", name="Sample").click()
    page.get_by_role("list", name="Samples").get_by_role("listitem").first.wait_for()
    assert page.evaluate("() => window.__violations") == []

    page_log.allow_errors(r"Content Security Policy")
    ran = page.evaluate("""async () => {
        window.__ran = [];
        const inline = document.createElement('script');
        inline.textContent = 'window.__ran.push("inline")';
        document.head.append(inline);
        const data = document.createElement('script');
        data.src = 'data:text/javascript,window.__ran.push("data")';
        const loaded = new Promise((resolve) => { data.onload = data.onerror = resolve; });
        document.head.append(data);
        await loaded;
        const button = document.createElement('button');
        button.setAttribute('onclick', 'window.__ran.push("handler")');
        document.body.append(button);
        button.click();
        button.remove();
        await new Promise((resolve) => setTimeout(resolve, 100));
        return window.__ran;
    }""")
    assert ran == []
    directives = {v["directive"] for v in page.evaluate("() => window.__violations")}
    assert {"script-src-elem", "script-src-attr"} <= directives, directives
