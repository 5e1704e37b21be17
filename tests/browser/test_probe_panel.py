"""Probe a context: characters outside the vocabulary are named; a pinned
context is charted across a run, one point per read, each distribution
summing to 1."""

from helpers import new_session, open_lab, panel, run_to_end, show_all_panels, travel_to, wait_data


def test_probe_a_context_across_a_run(lab_page, site_url):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    session = new_session(page, num_steps=30)
    probe = panel(page, "probe")

    # Characters outside the vocabulary are named next to the input.
    probe.get_by_label("Context after BOS").fill("a7")
    probe.get_by_role("button", name="Pin").click()
    page.wait_for_function("() => document.querySelector('[data-panel=probe]').dataset.error.includes('7')")
    assert "7" in probe.locator(".probe-error").text_content()

    probe.get_by_label("Context after BOS").fill("a")
    probe.get_by_role("button", name="Pin").click()
    wait_data(page, "probe", "steps", "0")
    assert probe.get_attribute("data-error") == ""
    run_to_end(page, session)
    page.wait_for_function("() => document.querySelector('[data-panel=probe]').dataset.steps.endsWith(',30')")
    steps = [int(s) for s in probe.get_attribute("data-steps").split(",")]
    sums = [float(s) for s in probe.get_attribute("data-sums").split(",")]
    assert int(probe.get_attribute("data-points")) == len(steps) == len(sums)
    assert steps[0] == 0 and steps[-1] == 30 and len(steps) >= 3
    assert all(a < b for a, b in zip(steps, steps[1:])), steps
    assert all(abs(s - 1) < 1e-9 for s in sums), sums
    assert len(probe.get_attribute("data-top").split(" ")) == 5


def test_the_probe_charts_the_whole_run_whatever_was_on_screen(lab_page, site_url):
    """#13, problem 6: after a run with the probe off screen, pinning a
    context charts it from step 0 (at each kept checkpoint), not only from
    the moment it was pinned; time travel takes the run up to its step."""
    page = lab_page
    page.set_viewport_size({"width": 1280, "height": 700})  # the probe is far below
    open_lab(page, site_url)
    session = new_session(page, num_steps=120)
    run_to_end(page, session)
    probe = panel(page, "probe")
    probe.scroll_into_view_if_needed()
    probe.get_by_label("Context after BOS").fill("a")
    probe.get_by_role("button", name="Pin").click()
    wait_data(page, "probe", "steps", "0,50,100,120")
    sums = [float(s) for s in probe.get_attribute("data-sums").split(",")]
    assert all(abs(s - 1) < 1e-9 for s in sums), sums

    show_all_panels(page)  # the probe stays on screen while the scrubber is used
    travel_to(page, 60)
    wait_data(page, "probe", "steps", "0,50,60")
