"""Guided experiments: each fills the whole form (its preset over the defaults)
and the dataset choice, shows its question, puts a shareable link in the
address bar, and starts nothing; the link alone sets up the same experiment.
After the run, each answers from the run's own numbers."""

import json
import math
from urllib.parse import parse_qs, urlparse

from helpers import new_session, open_lab, session_done
from microgpt_lab.config import Config


def form_values(page, schema):
    values = {}
    for field in schema["config"]:
        input = page.locator(f"#cfg-{field['name']}")
        if field["type"] == "bool":
            values[field["name"]] = input.is_checked()
            continue
        raw = input.input_value()
        values[field["name"]] = raw if field["type"] == "choice" else (int(raw) if field["type"] == "int" else float(raw))
    return values


def test_each_experiment_fills_the_form_and_starts_nothing(lab_page, site_url, dist_dir):
    page = lab_page
    schema = json.loads((dist_dir / "schema.json").read_text())
    defaults = {field["name"]: field["default"] for field in schema["config"]}
    open_lab(page, site_url)
    page.get_by_text("Guided experiments").click()
    cards = page.locator("#experiments .experiment")
    assert cards.count() >= 5
    ids = [cards.nth(i).get_attribute("data-experiment") for i in range(cards.count())]
    presets = page.evaluate("async () => (await import('./js/ui/experiments.js')).EXPERIMENTS")
    assert [p["id"] for p in presets] == ids
    links = {}
    for preset in presets:
        page.get_by_role("button", name=f"Set up: {preset['title']}").click()
        values = form_values(page, schema)
        assert values == {**defaults, **preset["config"]}, preset["id"]
        Config(**values).check_size(27)  # the engine accepts it
        chosen = page.locator("input[name=dataset]:checked").get_attribute("value")
        assert chosen == preset.get("dataset", "default")
        notice = page.locator("#experiment-notice")
        assert notice.get_attribute("data-experiment") == preset["id"]
        assert preset["question"] in notice.text_content()
        query = parse_qs(urlparse(page.url).query)
        assert query["experiment"] == [preset["id"]]
        links[preset["id"]] = page.url
    # Nothing started: no session, nothing stored.
    assert page.evaluate("() => window.lab.state.current") is None
    assert page.evaluate("() => window.lab.listSessions()") == []

    # The link alone sets the experiment up again, with no complaint about its parameters.
    page.goto(links["no-context"])
    open_lab(page, links["no-context"])
    assert form_values(page, schema)["block_size"] == 1
    assert page.locator("#experiment-notice").get_attribute("data-experiment") == "no-context"
    assert page.locator("#url-notice").is_hidden()
    assert page.evaluate("() => window.lab.listSessions()") == []


def test_no_context_answers_with_the_spread_of_first_letters(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    page.locator("summary", has_text="Guided experiments").click()
    page.get_by_role("button", name="Set up: No context: block_size 1").click()
    notice = page.locator("#experiment-notice")
    notice.get_by_role("button", name="What happened?").click()
    page.wait_for_function("() => document.querySelector('.experiment-answer').textContent.includes('not this experiment')")
    new_session(page, num_steps=40)
    session = page.evaluate("() => window.lab.state.current")
    page.get_by_role("button", name="Run").click()
    session_done(page, session)
    docs = page.evaluate("async () => (await window.lab.steps(window.lab.state.current)).map((s) => s.doc)")
    assert len(docs) == 40
    counts = {}
    for doc in docs:
        counts[doc[0]] = counts.get(doc[0], 0) + 1
    entropy = -sum(c / len(docs) * math.log(c / len(docs)) for c in counts.values())
    notice.get_by_role("button", name="What happened?").click()
    page.wait_for_function("() => document.querySelector('.experiment-answer').textContent.includes('first letters')")
    text = notice.locator(".experiment-answer").text_content()
    assert f"{entropy:.3f} nats" in text and "step 40" in text, text
