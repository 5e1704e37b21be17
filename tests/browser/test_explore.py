"""Exploring runs (issue 7, features 3-7): run comparison, time travel, trace
import, share by URL and your own data, in real Chromium against the real
engine (no mocks). Panels publish what they show as data-* attributes.
"""

import json

from helpers import TOL, native_losses, native_trace, show_all_panels
from test_site import latest_loss, new_session, open_lab, session_done, set_field, wait_steps, wait_until

from microgpt_lab.config import Config
from microgpt_lab.session import Session


def panel(page, name):
    return page.locator(f"[data-panel={name}]")


def step_times(page, count):
    for n in range(count):
        before = page.evaluate("() => window.lab.state.events.length")
        page.get_by_role("button", name="Step").click()
        page.wait_for_function("(n) => window.lab.state.events.length > n", arg=before)


def ema(values, beta=0.95):
    raw = 0.0
    for value in values:
        raw = beta * raw + (1 - beta) * value
    return raw / (1 - beta ** len(values))


def test_time_travel_redraws_the_panels_at_a_step(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url, wait_ready)
    new_session(page, num_steps=20)
    step_times(page, 5)
    steps = page.evaluate("() => window.lab.steps()")
    page.locator("#time-travel").fill("3")
    page.wait_for_function("() => document.querySelector('#timeline-view').dataset.travel === '3'")
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '3'")
    assert panel(page, "attention").get_attribute("data-doc") == steps[2]["doc"]
    assert panel(page, "probs").get_attribute("data-step") == "3"
    assert panel(page, "loss").get_attribute("data-points") == "3"
    assert float(panel(page, "loss").get_attribute("data-latest-loss")) == steps[2]["loss"]
    assert "Step 3 of 5, as it was then" in page.locator("#time-travel-note").text_content()
    # The inspector shows the model rebuilt at step 3: the native engine's weights then.
    page.wait_for_function("() => document.querySelector('[data-panel=inspector]').dataset.step === '3'")
    native = Session.from_text(Config(num_steps=20), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(3):
        native.step("loss")
    row, col = map(int, panel(page, "inspector").get_attribute("data-cell").split(","))
    assert abs(float(panel(page, "inspector").get_attribute("data-value")) - native.state_dict["wte"][row][col]) < TOL

    # Back to live: the newest step again, and a new step is shown at once.
    page.get_by_role("button", name="Live").click()
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '5'")
    assert panel(page, "loss").get_attribute("data-points") == "5"
    page.wait_for_function("() => document.querySelector('[data-panel=inspector]').dataset.step === '5'")
    page.locator("#time-travel").fill("2")
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '2'")
    step_times(page, 1)
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '6'")
    assert page.locator("#timeline-view").get_attribute("data-travel") == "live"
    # Reset while travelling: back to step 0 and live, so new steps show again.
    page.locator("#time-travel").fill("2")
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '2'")
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '0'")
    step_times(page, 1)
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '1'")


def test_time_travel_holds_the_panels_while_a_run_goes_on(lab_page, site_url, wait_ready, dist_dir):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url, wait_ready)
    session = new_session(page, num_steps=150)
    step_times(page, 4)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 20)
    page.locator("#time-travel").fill("4")
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '4'")
    session_done(page, session)
    # The model at step 4 (from the initial weights) and at step 120 (from the
    # checkpoint kept at step 100): the embedding map reads each, rebuilt.
    page.wait_for_function("() => document.querySelector('[data-panel=embeddings]').dataset.step === '4'")
    kept = page.evaluate("""(id) => new Promise((resolve) => {
        indexedDB.open('microgpt-lab').onsuccess = (event) => {
            const db = event.target.result;
            db.transaction('history').objectStore('history').getAllKeys().onsuccess = (e) => {
                db.close();
                resolve(e.target.result.filter(([session]) => session === id).map(([, step]) => step));
            };
        };
    })""", session)
    assert kept == [50, 100, 150]
    page.locator("#time-travel").fill("120")
    page.wait_for_function("() => document.querySelector('[data-panel=embeddings]').dataset.step === '120'")
    # The run went on underneath; the panels stayed at step 120 until Live.
    assert panel(page, "loss").get_attribute("data-points") == "120"
    # A step the run recorded lightly: its attention is recomputed, exactly.
    stored = page.evaluate("() => window.lab.steps()")
    light = next(s["step"] for s in stored if s["step"] > 100 and "attention" not in s)
    page.locator("#time-travel").fill(str(light))
    page.wait_for_function("(step) => document.querySelector('[data-panel=attention]').dataset.step === String(step)",
                           arg=light)
    assert f"Step {light} of 150, as it was then" in page.locator("#time-travel-note").text_content()
    native = Session.from_text(Config(num_steps=150), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(light - 1):
        native.step("loss")
    weights = native.step("full")["attention"][0][0]
    assert abs(float(panel(page, "attention").get_attribute("data-max")) - max(map(max, weights))) < TOL
    page.get_by_role("button", name="Live").click()
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '150'")
    losses = [s["loss"] for s in page.evaluate("() => window.lab.steps()")]
    assert max(abs(a - b) for a, b in zip(losses, native_losses(dist_dir, 150))) < TOL


def test_imported_trace_renders_read_only(lab_page, site_url, wait_ready, tmp_path):
    page = lab_page
    data = native_trace()
    path = tmp_path / "cli-run.json"
    path.write_text(json.dumps(data))
    open_lab(page, site_url, wait_ready)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import trace").click()
    chooser.value.set_files(str(path))
    page.wait_for_function("() => window.lab.state.current")
    session = page.evaluate("() => window.lab.state.current")
    assert page.evaluate("(id) => window.lab.listSessions()")[0]["status"] == "imported"
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.points === '12'")
    # The last step recorded in full is step 10 (every third step was).
    assert panel(page, "attention").get_attribute("data-step") == "10"
    assert panel(page, "attention").get_attribute("data-doc") == data["steps"][9]["doc"]
    for name in ("Step", "Run", "Reset", "Sample"):
        assert page.get_by_role("button", name=name).is_disabled()
    assert "read-only" in page.locator("#session-info").text_content()
    assert page.get_by_role("list", name="Samples").get_by_role("listitem").count() == 5
    # Time travel works on it too, and it exports back to the same trace.
    page.locator("#time-travel").fill("5")
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '4'")
    again = page.evaluate("(id) => window.lab.trace(id)", session)
    assert again["steps"] == data["steps"] and again["samples"] == data["samples"]
    assert again["config"] == data["config"] and again["dataset"] == data["dataset"]


def test_share_link_fills_the_form_and_never_starts(lab_page, site_url, wait_ready):
    page = lab_page
    open_lab(page, site_url + "?n_embd=8&n_head=2&learning_rate=0.02&seed=7&num_steps=30&dataset=makemore", wait_ready)
    assert [page.input_value(f"#cfg-{name}") for name in ("n_embd", "n_head", "learning_rate", "seed")] == \
        ["8", "2", "0.02", "7"]
    assert page.get_by_label("makemore names.txt").is_checked()
    assert page.locator("#url-notice").is_hidden()
    page.wait_for_timeout(1500)
    assert page.evaluate("() => window.lab.listSessions()") == []
    assert page.locator("#status").text_content() == "ready"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_label("Names (bundled").check()
    set_field(page, "seed", 9)
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function("() => document.querySelector('#share-link').dataset.url")
    url = page.locator("#share-link").get_attribute("data-url")
    assert url == site_url + "?n_embd=8&n_head=2&learning_rate=0.02&num_steps=30&seed=9"
    assert page.evaluate("() => navigator.clipboard.readText()") == url


def test_own_data_preview_trains_and_survives_a_reload(lab_page, site_url, wait_ready, tmp_path):
    page = lab_page
    text = "3141\n2718\n1618\n\n0577\n9\n"
    path = tmp_path / "digits.txt"
    path.write_text(text)
    open_lab(page, site_url, wait_ready)
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill("\n  \n")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'error'")
    assert "only blank lines" in page.locator("#dataset-preview").text_content()
    page.get_by_label("My text file").check()
    page.get_by_label("Dataset file").set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    preview = page.locator("#dataset-preview").text_content()
    assert "5 documents" in preview and "longest line 4 characters (line 1)" in preview
    assert page.locator("#dataset-preview .vocab").text_content() == "0123456789"
    session = new_session(page, num_steps=10)
    step_times(page, 1)
    native = Session.from_text(Config(num_steps=10), text)
    expected = [native.step("loss")["loss"] for _ in range(2)]
    assert abs(latest_loss(page) - expected[0]) < TOL
    assert "vocabulary 10 + BOS: 0123456789" in page.locator("#session-info").text_content()

    # The dataset is stored with the session: after a reload it trains on.
    page.reload()
    wait_ready(page)
    page.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    step_times(page, 1)
    wait_steps(page, 2)
    assert abs(latest_loss(page) - expected[1]) < TOL


def test_compare_two_learning_rates(lab_page, site_url, wait_ready):
    page = lab_page
    open_lab(page, site_url, wait_ready)
    first = new_session(page, num_steps=25)
    page.get_by_role("button", name="Run").click()
    session_done(page, first)
    set_field(page, "learning_rate", 0.002)
    second = new_session(page, num_steps=25)
    page.get_by_role("button", name="Run").click()
    compare = panel(page, "compare")
    wait_until(page, "() => document.querySelector('[data-panel=compare] input[type=checkbox]')")
    for session in (first, second):
        compare.get_by_label(session).check()
    session_done(page, second)
    page.wait_for_function(
        "(want) => document.querySelector('[data-panel=compare]').dataset.points === want",
        arg=json.dumps({first: 25, second: 25}, separators=(",", ":")))
    assert compare.get_attribute("data-compared") == f"{first},{second}"
    assert compare.get_attribute("data-differ") == "learning_rate"
    rows = {row.locator("th").text_content(): [c.text_content() for c in row.locator("td").all()]
            for row in compare.locator("tbody tr").all()}
    assert rows["learning_rate"] == ["0.01", "0.002"]
    for i, session in enumerate((first, second)):
        losses = [s["loss"] for s in page.evaluate("(id) => window.lab.steps(id)", session)]
        assert rows["smoothed loss"][i] == f"{ema(losses):.4f}"
    assert rows["smoothed loss"][0] != rows["smoothed loss"][1]
