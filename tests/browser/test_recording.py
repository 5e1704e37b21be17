"""The recording: before Python is ready the panels replay a short run made at
build time, labelled as such; a real session replaces it."""

import json

import pytest
from helpers import loss_panel, new_session, wait_points, wait_ready

GRAPH = "[data-panel=graph]"


def test_recording_plays_before_ready_and_stops_for_a_session(lab_page, site_url, dist_dir):
    page = lab_page
    page.goto(site_url)
    # The recording is on screen, labelled, with points in the timeline, while Python still loads.
    state = page.wait_for_function("""() => {
        const badge = document.querySelector('.recording-badge');
        const points = Number(document.querySelector('[data-panel=loss]')?.dataset.points || 0);
        return badge && !badge.hidden && badge.offsetParent && points > 0
            && document.getElementById('status').dataset.state;
    }""").json_value()
    assert state == "loading"
    badge = page.locator(".recording-badge")
    assert "Recording" in badge.text_content()
    assert badge.is_visible()

    # The graph panel shows a recorded step's stage times once a full event has played.
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step !== ''")
    step = int(page.locator(GRAPH).get_attribute("data-step"))
    recorded = next(e for e in json.loads((dist_dir / "data" / "recording.json").read_text())["steps"] if e["step"] == step)
    ops = recorded["graph"]["ops"]
    assert int(page.locator(GRAPH).get_attribute("data-stages")) == len(ops)
    forward = page.locator(f"{GRAPH} tbody tr[data-stage=embedding] td").nth(1).text_content()
    assert float(forward) == pytest.approx(ops[0]["forward_ms"], abs=0.01)  # the recorded step's own time, as shown

    # A real session replaces it: no badge, an empty timeline for the new session.
    wait_ready(page)
    new_session(page, num_steps=20)
    assert page.locator(".recording-badge").count() == 0
    wait_points(page, 0)
    points, last_step, latest = loss_panel(page)
    assert (points, last_step, latest) == (0, 0, None)
