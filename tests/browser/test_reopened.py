"""A session reopens as it ended (issue 23, items 3, 6 and 8): a diverged run
at its last good step, in status error, with Step and Run off and a sentence
saying what to do; a finished run with every panel at its last step, and a
position explained against its own step's document; and a run that reaches
its last step draws one batch of samples at the session's temperature, the
names the original program prints after training. Real Chromium, real
Pyodide, numbers against the native engine."""

from playwright.sync_api import expect

from helpers import (alert_says, new_session, open_lab, panel, panel_data, run_to_end, session_info, show_all_panels,
                     stored, wait_data, wait_until)
from microgpt_lab import Config, Session

DIVERGES = {"learning_rate": 0.3, "num_steps": 300}  # the "learning rate too high" experiment: step 43 diverges


def reopen(page, session):
    """Reload, and wait until the engine is ready and the session drawn (the
    status line says its status, "paused" say, not "ready")."""
    page.reload()
    page.wait_for_function("(id) => window.lab?.state.phase === 'ready' && window.lab.state.shown === id", arg=session,
                           timeout=90_000)


def test_a_diverged_run_reopens_as_it_ended(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, **DIVERGES)
    page.get_by_role("button", name="Run").click()
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.status === 'error')",
               session)
    note = page.locator("#controls-note")
    for reloaded in (False, True):
        if reloaded:
            reopen(page, session)
        info = session_info(page, session)
        assert (info["status"], info["step"]) == ("error", 42), info
        expect(note).to_contain_text("Training diverged after step 42")
        expect(note).to_contain_text("Press Reset to train again from step 0")
        expect(page.locator("#diverged-note")).to_contain_text("Training stopped at step 43")
        expect(page.locator("#btn-step")).to_be_disabled()
        expect(page.locator("#btn-run")).to_be_disabled()
        expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "42")
        assert [s["step"] for s in page.evaluate("(id) => window.lab.steps(id)", session)] == list(range(1, 43))
        row = page.locator(f'#sessions tr[data-session="{session}"]')
        expect(row.locator("td").nth(1)).to_have_text("42 / 300")
        page.locator("body").press("s")
        alert_says(page, "Training diverged after step 42")
    # The weights kept are step 42's: those of the native run stopped there.
    checkpoint = next(c for c in stored(page)["checkpoints"] if c["session"] == session)
    assert checkpoint["step"] == 42
    with page.expect_download() as download:
        page.get_by_role("button", name="Export weights").click()
    assert download.value.suggested_filename.endswith("-step42.safetensors")
    # Reset trains again from step 0.
    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#btn-step")).to_be_enabled()
    expect(note).to_have_text("")
    assert session_info(page, session)["status"] == "idle"


def test_a_finished_run_reopens_at_its_last_step(lab_page, site_url, dist_dir):
    """Reloaded, every panel shows the last step (they showed the last one
    recorded in full, 995 of 1,000), and a position picked in the
    probabilities panel is walked through that step's own document."""
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    num_steps = 240
    session = new_session(page, num_steps=num_steps)
    run_to_end(page, session)
    for reloaded in (False, True):
        if reloaded:
            reopen(page, session)
            show_all_panels(page)
        for name in ("attention", "probs", "graph"):
            wait_data(page, name, "step", str(num_steps))
        last = int(panel_data(page, "probs")["positions"]) - 1
        wait_data(page, "probs", "position", str(last))
        panel(page, "probs").get_by_role("button", name="Walk this position through the model").click()
        wait_data(page, "follow", "position", str(last))
        wait_data(page, "follow", "step", str(num_steps))
        assert "position must be" not in panel(page, "follow").text_content()


def test_a_paused_run_reopens_at_the_step_it_paused_on(lab_page, site_url):
    """A run records attention and probabilities every 100 ms or so; the step
    it paused on, recorded lightly, is recomputed in full for the panels."""
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    session = new_session(page, num_steps=100_000)
    page.get_by_role("button", name="Run").click()
    wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id && s.step > 30)", session)
    page.get_by_role("button", name="Pause").click()
    info = wait_until(page, "async (id) => (await window.lab.listSessions()).find((s) => s.id === id "
                            "&& s.status === 'paused')", session)
    reopen(page, session)
    show_all_panels(page)
    for name in ("attention", "probs", "graph"):
        wait_data(page, name, "step", str(info["step"]))


def test_a_run_that_reaches_its_last_step_draws_the_originals_names(lab_page, site_url, dist_dir):
    """The original program prints 20 names at temperature 0.5 after its
    1,000 steps; the lab draws the same batch as the run ends (the engine's
    faithfulness to the original's names: tests/engine/test_anchors.py)."""
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=1000)
    run_to_end(page, session, timeout=240)
    batches = wait_until(page, "async (id) => { const b = await window.lab.samples(id); return b.length && b; }", session)
    assert len(batches) == 1
    native = Session.from_text(Config(), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(1000):
        native.step("loss")
    expected = native.sample(20, Config().temperature)
    assert batches[0]["step"] == 1000 and batches[0]["temperature"] == 0.5
    assert batches[0]["samples"] == expected
    # The samples card shows them, and says where they come from.
    heading = page.locator("#samples-view .sample-heading").first
    expect(heading).to_have_text("step 1000 (the end of the run, where microgpt prints its names) · temperature 0.5")
    assert page.locator("#samples-view .sample-group").first.locator(".sample-text").all_text_contents() == expected
