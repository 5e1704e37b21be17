"""The model ladder and the counting bigram in the lab: the engine's rungs as presets whose links carry
them, the whole ladder trained from one action and overlaid in Compare runs with the uniform and bigram
lines, the bigram where the learner looks (the loss chart's line, the probabilities, the counts), each
checked against the engine run natively."""

import json
import math
from urllib.parse import parse_qs, urlparse

from helpers import (forget_config_fields, new_session, open_lab, panel, panel_data, session_done, take_steps,
                     wait_until)
from microgpt_lab import Config, Session
from microgpt_lab.ladder import LADDER

LADDER_STEPS = 12


def form_values(page, schema):
    values = {}
    for field in schema["config"]:
        input = page.locator(f"#cfg-{field['name']}")
        if field["type"] == "bool":
            values[field["name"]] = input.is_checked()
        else:
            raw = input.input_value()
            values[field["name"]] = raw if field["type"] == "choice" else (int(raw) if field["type"] == "int" else float(raw))
    return values


def native_bigram(dist_dir, **config):
    return Session.from_text(Config(**config), (dist_dir / "data" / "names.txt").read_text()).bigram()


def rung_name(index):
    return f"Rung {index + 1} · {LADDER[index].name}"


def test_the_rungs_are_presets_and_their_links_carry_them(lab_page, site_url, dist_dir):
    page = lab_page
    schema = json.loads((dist_dir / "schema.json").read_text())
    defaults = {field["name"]: field["default"] for field in schema["config"]}
    open_lab(page, site_url)
    page.get_by_text("Build it up").click()
    assert page.locator("#ladder .experiment").count() == len(LADDER)
    links = {}
    for index, rung in enumerate(LADDER):
        card = page.locator(f"#ladder [data-experiment=rung-{rung.id}]")
        assert rung.adds in card.text_content()
        page.get_by_role("button", name=f"Set up: {rung_name(index)}").click()
        assert form_values(page, schema) == {**defaults, **rung.config}, rung.id
        query = parse_qs(urlparse(page.url).query)
        assert query.pop("experiment") == [f"rung-{rung.id}"]
        # The link carries exactly the rung's fields, the new ones too (attention, optimizer), as the form writes them.
        assert query == {name: [str(value).lower() if isinstance(value, bool) else str(value)]
                         for name, value in rung.config.items()}, rung.id
        notice = page.locator("#experiment-notice")
        assert notice.get_attribute("data-experiment") == f"rung-{rung.id}" and rung.adds in notice.text_content()
        links[rung.id] = page.url
    assert page.evaluate("() => window.lab.listSessions()") == []  # a preset starts nothing

    for rung in (LADDER[0], LADDER[1]):  # the link alone sets the rung up again, with no complaint
        open_lab(page, links[rung.id])
        assert form_values(page, schema) == {**defaults, **rung.config}
        assert page.locator("#experiment-notice").get_attribute("data-experiment") == f"rung-{rung.id}"
        assert page.locator("#url-notice").is_hidden()


def test_one_action_trains_the_ladder_and_compare_overlays_every_rung_with_both_lines(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    page.get_by_text("Build it up").click()
    page.get_by_label("Steps per rung").fill(str(LADDER_STEPS))
    page.get_by_role("button", name="Train the whole ladder").click()
    names = [rung_name(index) for index in range(len(LADDER))]
    sessions = wait_until(page, """async (names) => {
        const list = await window.lab.listSessions();
        return list.length === names.length && names.every((name) => list.some((s) => s.name === name)) && list;
    }""", names)
    ids = [next(s["id"] for s in sessions if s["name"] == name) for name in names]
    for session in ids:
        session_done(page, session)

    compare = panel(page, "compare")
    page.wait_for_function("(want) => document.querySelector('[data-panel=compare]').dataset.points === want",
                           arg=json.dumps({session: LADDER_STEPS for session in ids}, separators=(",", ":")))
    assert compare.get_attribute("data-compared") == ",".join(ids)  # every rung, in the ladder's order
    assert compare.locator("thead th").all_text_contents() == ["Run", *names]
    assert set(compare.get_attribute("data-differ").split(",")) == {"n_head", "n_layer", "attention", "learning_rate",
                                                                    "optimizer"}
    bigram = native_bigram(dist_dir)
    references = json.loads(compare.get_attribute("data-references"))
    assert [line["kind"] for line in references] == ["uniform", "bigram"]  # one of each: the rungs share their data
    assert abs(references[0]["value"] - math.log(27)) < 1e-12 and references[0]["runs"] == names
    assert abs(references[1]["value"] - bigram["loss"]) < 1e-12 and references[1]["runs"] == names
    assert "the same documents in the same order" in compare.text_content()

    # Each rung trained as the engine trains its config natively, its steps' losses the same.
    text = (dist_dir / "data" / "names.txt").read_text()
    for index, session in enumerate(ids):
        record = next(s for s in sessions if s["id"] == session)
        assert record["config"] == Config(**{**LADDER[index].config, "num_steps": LADDER_STEPS}).to_dict()
        native = Session.from_text(Config(**record["config"]), text)
        expected = [native.step(level="loss")["loss"] for _ in range(LADDER_STEPS)]
        losses = [s["loss"] for s in page.evaluate("(id) => window.lab.steps(id)", session)]
        assert max(abs(a - b) for a, b in zip(losses, expected, strict=True)) < 1e-9, names[index]
    rows = {row.locator("th").text_content(): [c.text_content() for c in row.locator("td").all()]
            for row in compare.locator("tbody tr").all()}
    assert rows["counting bigram"] == [f"{bigram['loss']:.4f}"] * len(LADDER)
    assert all(cell == "not yet" or cell.startswith("step ") for cell in rows["smoothed loss first below it"])


def test_the_loss_chart_probabilities_and_counts_show_the_engines_bigram(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=5)
    take_steps(page, 1)
    bigram = native_bigram(dist_dir, num_steps=5)
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.bigram !== ''")
    loss = panel_data(page, "loss")
    assert abs(float(loss["bigram"]) - bigram["loss"]) < 1e-12 and abs(float(loss["uniform"]) - math.log(27)) < 1e-12
    assert loss["heldOutBigram"] == ""
    assert panel(page, "loss").locator(".readout").get_by_text("counting bigram").is_visible()

    # The counts, token by token, as the engine counted them.
    page.wait_for_function("() => document.querySelector('[data-panel=bigram]').dataset.counts")
    shown = panel_data(page, "bigram")
    counts = json.loads(shown["counts"])
    labels = json.loads(shown["labels"])
    assert len(counts) == len(labels) == 27 and labels[-1] == "BOS"
    for token, row in enumerate(bigram["rows"]):
        assert counts[token] == {"next": row["next"], "counts": row["counts"]}, labels[token]

    def count_of(token, next_token):
        return dict(zip(counts[token]["next"], counts[token]["counts"])).get(next_token, 0)
    # Readable with the keyboard alone: the grid's cursor moves with the arrow keys, the readout says the pair.
    grid = panel(page, "bigram").locator(".heat-grid")
    grid.focus()
    grid.press("Home")  # the cursor may be where a hover left it: first to row 0, column 0
    for _ in range(len(labels)):
        grid.press("ArrowUp")
    grid.press("ArrowRight")
    grid.press("ArrowDown")
    a, b = labels[1], labels[1]  # row 1, column 1: b after b
    readout = panel(page, "bigram").locator(".heat-readout")
    total = bigram["rows"][1]["total"]
    assert readout.text_content() == f"{a} → {b}: {count_of(1, 1):,} of the {total:,} pairs after {a}, " \
                                     f"probability {count_of(1, 1) / total:.3f}"
    panel(page, "bigram").locator(".heat-grid .heat-row").nth(0).locator(".heat-cell").nth(13).hover()  # a → n
    assert readout.text_content().startswith(f"a → n: {count_of(0, 13):,} of the ")

    # The probabilities panel's thin bars: the counting bigram's guess for the target, after the same token.
    probs = panel_data(page, "probs")
    event = page.evaluate("() => window.lab.state.events.at(-1)")
    position = int(probs["position"])
    token, target = event["tokens"][position], event["tokens"][position + 1]
    row = bigram["rows"][token]
    expected = row["probs"][row["next"].index(target)] if target in row["next"] else 0
    assert abs(float(probs["bigramProb"]) - expected) < 1e-12


def test_held_out_documents_get_the_bigrams_held_out_line(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=5, held_out=0.2)
    page.wait_for_function("() => document.querySelector('[data-panel=loss]').dataset.heldOutBigram !== ''")
    held = native_bigram(dist_dir, num_steps=5, held_out=0.2)["held_out"]
    assert abs(float(panel_data(page, "loss")["heldOutBigram"]) - held["loss"]) < 1e-12


def test_a_session_saved_before_the_ladders_fields_is_the_default_model(lab_page, site_url, dist_dir):
    """A config without attention and optimizer (an older lab's) differs from a new default one in nothing,
    is named as one, and its bigram is counted all the same."""
    page = lab_page
    open_lab(page, site_url)
    new = new_session(page, num_steps=5)
    take_steps(page, 1)
    old = new_session(page, num_steps=5)
    take_steps(page, 1)
    forget_config_fields(page, old, ["attention", "optimizer"])
    open_lab(page, site_url)
    assert "attention" not in next(s for s in page.evaluate("() => window.lab.listSessions()") if s["id"] == old)["config"]
    compare = panel(page, "compare")
    page.wait_for_function("(id) => document.querySelector('[data-panel=compare]').dataset.compared === id", arg=old)
    compare.get_by_label("names (2)", exact=True).uncheck()  # the new one first: its fields are the ones compared
    compare.get_by_label("names", exact=True).check()
    compare.get_by_label("names (2)", exact=True).check()
    page.wait_for_function("(want) => document.querySelector('[data-panel=compare]').dataset.compared === want",
                           arg=f"{new},{old}")
    assert compare.get_attribute("data-differ") == ""
    assert compare.locator("thead th").all_text_contents() == ["Run", "names", "names (2)"]
    page.wait_for_function("() => JSON.parse(document.querySelector('[data-panel=compare]').dataset.references || '[]')"
                           ".some((line) => line.kind === 'bigram' && line.runs.length === 2)")
    page.locator(f'tr[data-session="{old}"] [data-role=name]').click()
    page.wait_for_function("""(id) => {
        const bigram = document.querySelector('[data-panel=bigram]').dataset;
        return window.lab.state.shown === id && bigram.session === id && bigram.loss !== '';
    }""", arg=old)
    assert abs(float(panel_data(page, "bigram")["loss"]) - native_bigram(dist_dir)["loss"]) < 1e-12
