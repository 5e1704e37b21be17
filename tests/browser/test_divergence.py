"""A run that blows up is said where the learner is looking: the loss panel and
the Training card name the step (the engine's own), why (steps too large for
the slope) and what to try (a smaller learning rate), in the page's words; the
settings card's alert does not carry the engine's error text."""

from helpers import new_session, open_lab, panel, show_all_panels
from microgpt_lab import Config, Session, SessionError


def native_divergence(dist_dir):
    session = Session.from_text(Config(learning_rate=0.3, num_steps=300), (dist_dir / "data" / "names.txt").read_text())
    try:
        for _ in range(300):
            session.step("loss")
    except SessionError as error:
        return error.data["step"]
    raise AssertionError("the run did not diverge natively")


def test_the_learning_rate_experiment_says_where_and_why_it_diverged(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    page.locator("summary", has_text="Guided experiments").click()
    page.get_by_role("button", name="Set up: A learning rate too high").click()
    new_session(page)
    page.get_by_role("button", name="Run").click()
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.diverged", timeout=120_000)
    step = native_divergence(dist_dir)
    assert panel(page, "loss").get_attribute("data-diverged") == str(step)

    for where in (panel(page, "loss").locator(".diverged"), page.locator("#diverged-note")):
        text = where.text_content()
        assert where.is_visible()
        assert f"Training stopped at step {step}" in text, text
        assert "too large for the slope" in text and "learning rate of 0.3" in text, text
        assert "Try a smaller learning rate (0.01, the default)" in text, text
        assert "expected a positive input" not in text
    alert = page.locator("#form-error").text_content()
    assert "diverged" not in alert and "expected a positive input" not in alert, alert


def test_the_experiment_answers_from_its_own_run(lab_page, site_url, dist_dir):
    """What to look at names things on screen; after the run, "What happened?" answers with the run's numbers."""
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    page.locator("summary", has_text="Guided experiments").click()
    page.get_by_role("button", name="Set up: A learning rate too high").click()
    notice = page.locator("#experiment-notice")
    assert "update ratios" not in notice.text_content()
    assert "Adam update (last step)" in notice.text_content()
    assert page.get_by_text("Adam update (last step)").count() >= 1  # the inspector's own choice, on screen
    new_session(page)
    page.get_by_role("button", name="Run").click()
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.diverged", timeout=120_000)
    step = native_divergence(dist_dir)
    notice.get_by_role("button", name="What happened?").click()
    answer = notice.locator(".experiment-answer")
    page.wait_for_function("() => document.querySelector('.experiment-answer').textContent")
    steps = page.evaluate("async () => (await window.lab.steps(window.lab.state.current)).map((s) => s.loss)")
    text = answer.text_content()
    assert f"the run blew up at step {step}" in text, text
    assert f"{steps[0]:.3f} at step 1 up to {max(steps):.3f}" in text, text

