"""The held-out loss: off by default (every number the original program's);
switched on, a share of the documents is kept out of training, their loss is
drawn next to the training loss, the training losses are the engine's on the
remaining documents, and the trace records the choice."""

import json

from helpers import new_session, open_lab, panel_data, run_to_end, show_all_panels, wait_data
from microgpt_lab import Config, Session

STEPS = 101


def test_held_out_loss_is_drawn_and_training_skips_those_documents(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    session = new_session(page, num_steps=STEPS, held_out=0.1)
    run_to_end(page, session)
    wait_data(page, "loss", "points", str(STEPS))

    native = Session.from_text(Config(num_steps=STEPS, held_out=0.1), (dist_dir / "data" / "names.txt").read_text())
    held_out_docs = set(native.held_out_docs)
    expected = [native.step(level="loss") for _ in range(STEPS)]
    assert not held_out_docs & {event["doc"] for event in expected}
    steps = page.evaluate("(id) => window.lab.steps(id)", session)
    assert max(abs(s["loss"] - e["loss"]) for s, e in zip(steps, expected)) < 1e-9
    held = [(e["step"], e["held_out_loss"]) for e in expected if "held_out_loss" in e]
    assert [s["step"] for s in steps if "held_out_loss" in s] == [step for step, _ in held] == [1, 100, 101]

    data = panel_data(page, "loss")
    assert data["heldOutPoints"] == "3"
    assert abs(float(data["latestHeldOut"]) - held[-1][1]) < 1e-9
    assert page.locator("[data-panel=loss] .legend li", has_text="held-out loss").is_visible()
    trace = page.evaluate("(id) => window.lab.trace(id)", session)
    assert (json.loads(trace) if isinstance(trace, str) else trace)["config"]["held_out"] == 0.1


def test_held_out_is_off_by_default(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    assert float(page.locator("#cfg-held_out").input_value()) == 0
    session = new_session(page, num_steps=3)
    run_to_end(page, session)
    steps = page.evaluate("(id) => window.lab.steps(id)", session)
    assert not any("held_out_loss" in s for s in steps)
    assert panel_data(page, "loss")["heldOutPoints"] == "0"
    assert not page.locator("[data-panel=loss] .legend li", has_text="held-out loss").is_visible()
