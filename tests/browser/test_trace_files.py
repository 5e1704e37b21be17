"""Trace files: Export trace writes the engine's trace format, an imported
trace (from the command line) is shown read-only with time travel and exports
back the same, and bad trace files are refused naming the problem, changing
nothing that was saved."""

import json
import math
from pathlib import Path

from helpers import (alert_says, clear_alert, native_trace, new_session, one_stored_step, open_lab, panel, stored,
                     travel_to, wait_steps)
from microgpt_lab import trace as engine_trace


def test_export_trace(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=40)
    for n in range(1, 4):
        page.get_by_role("button", name="Step").click()
        wait_steps(page, n)
    page.get_by_role("button", name="Sample").click()
    page.get_by_role("list", name="Samples").get_by_role("listitem").first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export trace").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    trace = json.loads(Path(download.path()).read_text())
    assert trace["format"] == "microgpt-lab-trace"
    assert trace["version"] == 1
    assert engine_trace.check(trace).num_steps == 40  # the engine's own validator
    assert trace["config"]["num_steps"] == 40
    assert trace["dataset"]["num_docs"] > 1000
    assert [s["step"] for s in trace["steps"]] == [1, 2, 3]
    assert all(math.isfinite(s["loss"]) for s in trace["steps"])
    assert len(trace["samples"]) == 1 and trace["samples"][0]["step"] == 3
    assert len(trace["samples"][0]["samples"]) == 10
    assert session in download.suggested_filename


def test_imported_trace_renders_read_only(lab_page, site_url, tmp_path):
    page = lab_page
    data = native_trace()
    path = tmp_path / "cli-run.json"
    path.write_text(json.dumps(data))
    open_lab(page, site_url)
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
    travel_to(page, 5)
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '4'")
    again = page.evaluate("(id) => window.lab.trace(id)", session)
    assert again["steps"] == data["steps"] and again["samples"] == data["samples"]
    assert again["config"] == data["config"] and again["dataset"] == data["dataset"]


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
        ("order.json", edit(lambda t: t["steps"].reverse()), "steps[1].step must be an integer from 13 to 50"),
        ("nan.json", good.replace('"loss": ', '"loss": NaN, "was": ', 1).encode(), "the file has NaN"),
        ("inf.json", edit(lambda t: t["steps"][3].update(loss=1e999)), "the file has Infinity"),
        ("tokens.json", edit(lambda t: t["steps"][0].update(tokens=[0, 999])), "steps[0].tokens[1] must be an integer from 0 to 8"),
    ]


def test_bad_traces_are_refused_and_nothing_changes(lab_page, site_url, tmp_path):
    page = lab_page
    kept, before = one_stored_step(page, site_url)
    big = tmp_path / "huge.json"
    with big.open("wb") as f:
        f.truncate(101 * 1024 * 1024)
    cases = [*bad_traces(), ("huge.json", None, "the file is 101.0 MB, over the limit of 100 MB")]
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


def import_trace(page, path):
    before = page.evaluate("() => window.lab.state.current")
    page.locator("#trace-file").set_input_files(str(path))
    page.wait_for_function("(before) => window.lab.state.current && window.lab.state.current !== before", arg=before)
    page.wait_for_function("() => !document.querySelector('#btn-copy-settings').hidden")


def test_reusing_an_imported_traces_settings_never_pastes_its_data(lab_page, site_url, tmp_path):
    """A trace of the bundled names, exported and imported again: Reuse these
    settings picks the bundled names (it pasted all 212,822 characters of
    them); a trace of data this browser does not hold leaves the choice."""
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=30, learning_rate=0.02)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export trace").click()
    exported = tmp_path / "names-run.json"
    info.value.save_as(exported)

    import_trace(page, exported)
    page.get_by_label("Pasted text").check()
    page.get_by_role("button", name="Reuse these settings").click()
    page.wait_for_function("() => document.querySelector('input[name=dataset][value=default]').checked")
    assert page.locator("#dataset-text").input_value() == ""
    assert page.locator("#cfg-learning_rate").input_value() == "0.02"

    other = tmp_path / "cli-run.json"
    other.write_text(json.dumps(native_trace()))  # its five names are in no session here
    import_trace(page, other)
    page.get_by_label("makemore names.txt").check()
    page.get_by_role("button", name="Reuse these settings").click()
    page.wait_for_function("() => document.querySelector('#cfg-n_embd').value === '8'")
    assert page.locator("input[name=dataset][value=makemore]").is_checked()
    assert page.locator("#dataset-text").input_value() == ""
