"""Follow a token: one position of a step walked through every stage forward,
back through the gradients and into Adam's update, with the keyboard alone;
each moment shows the engine's own numbers (those of a native run), its
shape, its sentence and microgpt's code lines that computed it, highlighted.
The graph pulse shows each stage's shape and opens the walk at a stage; the
attention and probabilities panels pick the position; time travel and a
reload explain the step shown."""

import json

import pytest
from helpers import new_session, open_lab, panel, panel_data, show_all_panels, take_steps, travel_to, wait_data
from microgpt_lab import Config, Session
from microgpt_lab.ladder import LADDER
from microgpt_lab.model import STAGES

FOLLOW = "[data-panel=follow]"


def native_explain(dist_dir, steps, position, **config):
    session = Session.from_text(Config(**config), (dist_dir / "data" / "names.txt").read_text())
    for _ in range(steps):
        session.step()
    return {**session.explain(position), "label": session.tokenizer.label}


def shown_number(text):
    """The number a heat readout shows ("x[15] = 0.1234")."""
    return float(text.rsplit("= ", 1)[1])


def wait_moment(page, kind, stage):
    page.wait_for_function("([kind, stage]) => { const d = document.querySelector('[data-panel=follow]').dataset;"
                           " return d.moment === kind && d.stage === stage; }", arg=[kind, stage])


def read_last_cell(page):
    """Focus the moment's last heat strip, press End, read the number shown."""
    grid = page.locator(f"{FOLLOW} .heat-grid").last
    grid.focus()
    page.keyboard.press("End")
    text = page.wait_for_function("""() => {
        const text = [...document.querySelectorAll('[data-panel=follow] .heat-readout')].at(-1).textContent;
        return text.includes('= ') && text;
    }""").json_value()
    return shown_number(text)


def test_a_token_walks_every_stage_forward_backward_and_into_adam(lab_page, site_url, dist_dir):
    page = lab_page
    formulas = {stage.name: [line.strip() for line in stage.formula.splitlines()] for stage in STAGES}
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20)
    for step in (1, 2):
        page.wait_for_function("() => !document.querySelector('#btn-step').disabled")
        page.keyboard.press("s")
        page.wait_for_function("(n) => window.lab.state.events.length >= n", arg=step)
    wait_data(page, "follow", "step", "2")
    native = native_explain(dist_dir, 2, 0, num_steps=20)
    stages = native["stages"]
    assert panel_data(page, "follow")["moments"] == str(2 * len(stages) + 2)

    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    walk = [("forward", s) for s in stages] + [("backward", s) for s in reversed(stages)]
    for k, (kind, stage) in enumerate(walk):
        wait_moment(page, kind, stage["name"])
        values = stage[kind]
        assert page.locator(f"{FOLLOW} .follow-shape").text_content().startswith("Shape: ")
        assert str(len(values)) in page.locator(f"{FOLLOW} .follow-shape").text_content()
        text = page.locator(f"{FOLLOW} .follow-text").text_content()
        if kind == "forward":  # which token it reads and which it must predict, as the engine tokenized them
            assert f"Here: position 0, reading “{native['label'](native['token'])}” to predict “{native['label'](native['target'])}”" in text
        elif k > len(stages) and stage["stage"] not in ("attn_wq", "attn_wk", "attn_wv"):
            # its gradient comes back from the stage walked just before (q, k and v's from the attention)
            assert walk[k - 1][1]["name"] in text, (stage["name"], text)
        highlighted = page.locator(f"{FOLLOW} .source-line.hl").evaluate_all(
            "(lines) => lines.map((line) => line.lastChild.previousSibling.textContent.split('#')[0].trim())")
        assert highlighted == formulas[stage["name"].split(".")[-1]], stage["name"]
        if k % 6 == 0 or kind == "backward" and stage["name"] == "loss":
            assert abs(read_last_cell(page) - values[-1]) < 1e-4, (kind, stage["name"])
            page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
        page.keyboard.press("ArrowRight")
    # The backward walk starts at the loss: d loss / d loss_t = 1/n.
    assert stages[-1]["backward"] == [1 / native["n"]]

    # Adam's update of the token's wte row: gradient, m, v and the step taken, with lr_t.
    wait_moment(page, "update", "")
    wte = native["weights"]["wte"]
    assert f"lr_t = {native['update']['lr']:.4f}" in page.locator(f"{FOLLOW} .follow-text").text_content()
    assert "Adam" in page.locator(f"{FOLLOW} .source-note").text_content()
    assert abs(read_last_cell(page) - (wte["after"][-1] - wte["before"][-1])) < 1e-4
    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    page.keyboard.press("ArrowRight")  # the wpe row, the last moment
    page.wait_for_function("() => document.querySelector('[data-panel=follow] .follow-text').textContent.includes('wpe[')")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    wait_moment(page, "forward", "embedding")


def test_positions_from_the_panels_time_travel_and_reload(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20)
    take_steps(page, 4)
    wait_data(page, "follow", "step", "4")

    # The token strip picks a position; the numbers are that position's.
    panel(page, "follow").locator(".tok").nth(1).click()
    wait_data(page, "follow", "position", "1")
    native = native_explain(dist_dir, 4, 1, num_steps=20)
    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    assert abs(read_last_cell(page) - native["stages"][0]["forward"][-1]) < 1e-4

    # The probabilities panel follows its position; the graph opens the walk at a stage
    # and shows each stage's shape.
    last = int(panel_data(page, "probs")["positions"]) - 1
    wait_data(page, "probs", "position", str(last))
    panel(page, "probs").get_by_role("button", name="Previous position").click()
    probs_position = str(last - 1)
    wait_data(page, "probs", "position", probs_position)
    panel(page, "probs").get_by_role("button", name="Walk this position through the model").click()
    wait_data(page, "follow", "position", probs_position)
    page.wait_for_function("(shape) => JSON.parse(document.querySelector('[data-panel=graph]').dataset.shapes)"
                           "['layer0.attention'] === shape", arg=f"4 × {int(probs_position) + 1}")
    shapes = json.loads(panel_data(page, "graph")["shapes"])
    assert (shapes["embedding"], shapes["layer0.attention"], shapes["layer0.mlp_fc1"], shapes["lm_head"], shapes["loss"]) == (
        "16", f"4 × {int(probs_position) + 1}", "64", "27", "1")
    panel(page, "graph").locator("summary").click()
    panel(page, "graph").get_by_role("button", name="layer0.mlp_fc1").click()
    wait_data(page, "follow", "stage", "layer0.mlp_fc1")
    assert "64 numbers" in page.locator(f"{FOLLOW} .follow-shape").text_content()

    # Time travel to step 2: the walk is step 2's.
    travel_to(page, 2)
    wait_data(page, "follow", "step", "2")

    # After a reload the session's model comes back from its checkpoint and the last step is rebuilt.
    page.reload()
    open_lab(page, site_url)
    show_all_panels(page)
    wait_data(page, "follow", "step", "4")


def test_a_walk_keeps_its_step_while_a_run_goes_on(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    session = new_session(page, num_steps=200)
    take_steps(page, 1)
    wait_data(page, "follow", "step", "1")
    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_moment(page, "forward", "layer0.attn_wq")
    page.get_by_role("button", name="Run").click()
    page.wait_for_function("(id) => window.lab.state.status === 'done'", arg=session, timeout=120_000)
    assert panel_data(page, "follow")["step"] == "1"  # held while the learner walks
    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    wait_data(page, "follow", "step", "200")  # back at the start: the newest step


# Every rung of the model ladder (ladder.py), and a model without attention trained by Adam, which no rung is.
RUNGS = {**{rung.id: rung.config for rung in LADDER}, "no-attention-adam": {"attention": False}}


@pytest.mark.parametrize("rung", RUNGS.values(), ids=RUNGS.keys())
def test_a_token_walks_a_rung_through_only_its_stages(lab_page, site_url, dist_dir, rung):
    """Follow a token, the graph pulse and time travel on the rung: only the stages it has, the engine's numbers."""
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    new_session(page, num_steps=20, **rung)
    take_steps(page, 2)
    wait_data(page, "follow", "step", "2")
    native = native_explain(dist_dir, 2, 0, num_steps=20, **rung)
    stages = [stage["name"] for stage in native["stages"]]
    assert bool([name for name in stages if "attn" in name or "attention" in name]) == Config(**rung).has_heads
    assert panel_data(page, "follow")["moments"] == str(2 * len(stages) + 2)
    wait_data(page, "graph", "step", "2")  # the pulse: the rung's stages, in order, and no others
    assert page.locator("[data-panel=graph] tbody tr").evaluate_all("(rows) => rows.map((r) => r.dataset.stage)") == stages

    # Forward through the rung's stages, back through them, then its optimizer's two row updates.
    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    walk = [("forward", name) for name in stages] + [("backward", name) for name in reversed(stages)]
    for kind, name in walk:
        wait_moment(page, kind, name)
        page.keyboard.press("ArrowRight")
    wait_moment(page, "update", "")
    text = page.locator(f"{FOLLOW} .follow-text").text_content()
    heats = page.locator(f"{FOLLOW} .follow-heats > *").count()
    if rung.get("optimizer") == "sgd":
        assert text.startswith("Plain gradient descent") and heats == 2  # the gradient and the step: no m, no v
        assert "SGD" in page.locator(f"{FOLLOW} .source-note").text_content()
    else:
        assert text.startswith("Adam") and heats == 4
    wte = native["weights"]["wte"]
    assert abs(read_last_cell(page) - (wte["after"][-1] - wte["before"][-1])) < 1e-4

    # The other panels show the rung as it is: its matrices, its attention or none.
    matrices = panel(page, "inspector").locator("select").first.evaluate("(s) => [...s.options].map((o) => o.value)")
    session = Session.from_text(Config(num_steps=20, **rung), (dist_dir / "data" / "names.txt").read_text())
    assert matrices == list(session.state_dict)
    readout = panel(page, "attention").locator(".panel-readout").text_content()
    assert ("no attention" in readout) != Config(**rung).has_heads

    # Time travel to step 1: the walk and the pulse are step 1's, the numbers those of the engine's step 1.
    page.locator(FOLLOW).get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    travel_to(page, 1)
    wait_data(page, "follow", "step", "1")
    wait_data(page, "graph", "step", "1")
    past = native_explain(dist_dir, 1, 0, num_steps=20, **rung)
    wait_moment(page, "forward", "embedding")
    assert abs(read_last_cell(page) - past["stages"][0]["forward"][-1]) < 1e-4
