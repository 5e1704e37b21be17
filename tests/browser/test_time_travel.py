"""Time travel: the scrubber redraws the panels as they were at a step, the
live-model panels read the model rebuilt at that step (the native engine's
numbers), and the panels hold while a run goes on underneath until Live."""

from helpers import (TOL, native_losses, new_session, open_lab, panel, session_done, show_all_panels, take_steps,
                     travel_to, wait_data, wait_steps)

from microgpt_lab.config import Config
from microgpt_lab.session import Session


def test_time_travel_redraws_the_panels_at_a_step(lab_page, site_url, dist_dir):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    new_session(page, num_steps=20)
    take_steps(page, 5)
    steps = page.evaluate("() => window.lab.steps()")
    travel_to(page, 3)
    page.wait_for_function("() => document.querySelector('#timeline-view').dataset.travel === '3'")
    wait_data(page, "attention", "step", "3")
    assert panel(page, "attention").get_attribute("data-doc") == steps[2]["doc"]
    assert panel(page, "probs").get_attribute("data-step") == "3"
    assert panel(page, "loss").get_attribute("data-points") == "3"
    assert float(panel(page, "loss").get_attribute("data-latest-loss")) == steps[2]["loss"]
    assert "Step 3 of 5, as it was then" in page.locator("#time-travel-note").text_content()
    # The inspector shows the model rebuilt at step 3: the native engine's weights then.
    wait_data(page, "inspector", "step", "3")
    native = Session.from_text(Config(num_steps=20), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(3):
        native.step("loss")
    row, col = map(int, panel(page, "inspector").get_attribute("data-cell").split(","))
    assert abs(float(panel(page, "inspector").get_attribute("data-value")) - native.state_dict["wte"][row][col]) < TOL

    # Back to live: the newest step again, and a new step is shown at once.
    page.get_by_role("button", name="Live").click()
    wait_data(page, "attention", "step", "5")
    assert panel(page, "loss").get_attribute("data-points") == "5"
    wait_data(page, "inspector", "step", "5")
    travel_to(page, 2)
    wait_data(page, "loss", "points", "2")
    take_steps(page, 1)
    wait_data(page, "attention", "step", "6")
    assert page.locator("#timeline-view").get_attribute("data-travel") == "live"
    # Reset while travelling: back to step 0 and live, so new steps show again.
    travel_to(page, 2)
    wait_data(page, "loss", "points", "2")
    page.get_by_role("button", name="Reset").click()
    wait_data(page, "loss", "points", "0")
    take_steps(page, 1)
    wait_data(page, "loss", "points", "1")


def kept_checkpoints(page, session):
    """The steps of the session's checkpoints kept for time travel, straight from IndexedDB."""
    return page.evaluate("""(id) => new Promise((resolve) => {
        indexedDB.open('microgpt-lab').onsuccess = (event) => {
            const db = event.target.result;
            db.transaction('history').objectStore('history').getAllKeys().onsuccess = (e) => {
                db.close();
                resolve(e.target.result.filter(([session]) => session === id).map(([, step]) => step));
            };
        };
    })""", session)


def test_time_travel_holds_the_panels_while_a_run_goes_on(lab_page, site_url, dist_dir):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    session = new_session(page, num_steps=150)
    take_steps(page, 4)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 20)
    travel_to(page, 4)
    wait_data(page, "loss", "points", "4")
    session_done(page, session)
    # The model at step 4 (from the initial weights) and at step 120 (from the
    # checkpoint kept at step 100): the embedding map reads each, rebuilt.
    wait_data(page, "embeddings", "step", "4")
    assert kept_checkpoints(page, session) == [50, 100, 150]
    travel_to(page, 120)
    wait_data(page, "embeddings", "step", "120")
    # The run went on underneath; the panels stayed at step 120 until Live.
    assert panel(page, "loss").get_attribute("data-points") == "120"
    # A step the run recorded lightly: its attention is recomputed, exactly.
    stored = page.evaluate("() => window.lab.steps()")
    light = next(s["step"] for s in stored if s["step"] > 100 and "attention" not in s)
    travel_to(page, light)
    wait_data(page, "attention", "step", str(light))
    assert f"Step {light} of 150, as it was then" in page.locator("#time-travel-note").text_content()
    native = Session.from_text(Config(num_steps=150), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(light - 1):
        native.step("loss")
    weights = native.step("full")["attention"][0][0]
    assert abs(float(panel(page, "attention").get_attribute("data-max")) - max(map(max, weights))) < TOL
    page.get_by_role("button", name="Live").click()
    wait_data(page, "loss", "points", "150")
    session_done(page, session)  # a run's steps are stored in batches, the last as it ends
    losses = [s["loss"] for s in page.evaluate("() => window.lab.steps()")]
    assert max(abs(a - b) for a, b in zip(losses, native_losses(dist_dir, 150))) < TOL


def test_time_travel_on_a_rung_rebuilds_its_model(lab_page, site_url, dist_dir):
    """A rung with no attention and plain gradient descent: its checkpoints carry no Adam state, and the
    model rebuilt at a step past one (the checkpoint kept at step 50, then the steps after it) is the
    native engine's; Follow a token explains that step through the rung's stages only."""
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    rung = {"attention": False, "optimizer": "sgd", "learning_rate": 0.5}
    session = new_session(page, num_steps=70, **rung)
    page.get_by_role("button", name="Run").click()
    session_done(page, session)
    assert kept_checkpoints(page, session) == [50]
    travel_to(page, 60)
    wait_data(page, "inspector", "step", "60")
    wait_data(page, "follow", "step", "60")
    native = Session.from_text(Config(num_steps=70, **rung), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(60):
        native.step("loss")
    row, col = map(int, panel(page, "inspector").get_attribute("data-cell").split(","))
    assert abs(float(panel(page, "inspector").get_attribute("data-value")) - native.state_dict["wte"][row][col]) < TOL
    assert panel(page, "inspector").get_attribute("data-m") == ""  # SGD keeps no m or v
    moments = int(panel(page, "follow").get_attribute("data-moments"))
    assert moments == 2 * len(native.explain(0)["stages"]) + 2 == 2 * 10 + 2
