"""The graph pulse: the engine's stages in order with their times, each
stage's formula in microgpt's names (by the table, the keyboard and a click),
and the Value nodes the scalar engine builds. Assertions read the panel's
data (data-* attributes, the stage table and the stage details)."""

import json
import math

import pytest

from helpers import new_session, open_lab, stored, wait_steps
from microgpt_lab.model import STAGES

GRAPH = "[data-panel=graph]"


def formula(name):
    """A stage's formula (model.STAGES): the panel shows microgpt's own lines."""
    return next(stage.formula for stage in STAGES if stage.name == name)


def test_graph_panel_shows_the_engines_stages_and_formulas(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step === '1'")

    # The stage table lists the event's ops, in order, with their times.
    event = page.evaluate("() => window.lab.state.events.at(-1)")
    ops = event["graph"]["ops"]
    rows = page.locator(f"{GRAPH} tbody tr")
    assert rows.evaluate_all("(rows) => rows.map((r) => r.dataset.stage)") == [op["name"] for op in ops]
    cells = rows.evaluate_all("(rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))")
    for op, (kind, forward, backward, nodes) in zip(ops, cells):
        assert kind == op["kind"]
        assert math.isclose(float(forward), op["forward_ms"], rel_tol=0.06, abs_tol=0.006), (op, forward)
        assert math.isclose(float(backward), op["backward_ms"], rel_tol=0.06, abs_tol=0.006), (op, backward)
        assert nodes == "-"  # the vector engine builds no Value graph
    assert page.locator(f"{GRAPH} .graph-totals").text_content().startswith("step 1 ")

    # The table's buttons show a stage's formula in microgpt's names.
    page.locator(f"{GRAPH} summary").click()
    page.locator(f"{GRAPH} tbody").get_by_role("button", name="layer0.attn_wq").click()
    info = page.locator(f"{GRAPH} .stage-info")
    assert "layer0.attn_wq" in info.locator("h3").text_content()
    assert info.locator(".formula").text_content() == formula("attn_wq")
    assert "16 x 16 = 256 parameters" in info.text_content()

    # Keyboard: focus the diagram, End then Enter selects the optimizer.
    canvas = page.locator(f"{GRAPH} canvas")
    canvas.focus()
    canvas.press("End")
    canvas.press("Enter")
    assert page.locator(GRAPH).get_attribute("data-selected") == "optimizer"
    assert "Adam" in info.locator("h3").text_content()
    assert page.evaluate("() => window.lab.state.current") is not None  # Enter did not start a new session
    # Click: the first stage sits at the diagram's top left.
    canvas.click(position={"x": 30, "y": 36})
    assert page.locator(GRAPH).get_attribute("data-selected") == "embedding"
    assert info.locator(".formula").text_content() == formula("embedding")


def test_graph_panel_counts_value_nodes_with_the_scalar_engine(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=5, engine="scalar")
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step === '1'")
    graph = page.evaluate("() => window.lab.state.events.at(-1).graph")
    assert graph["nodes"] > 0
    nodes = page.locator(f"{GRAPH} tbody tr").evaluate_all(
        "(rows) => rows.map((r) => r.querySelectorAll('td')[3].textContent)")
    assert nodes == [str(op["nodes"]) for op in graph["ops"]]
    assert f"{graph['nodes']:,} Value nodes" in page.locator(f"{GRAPH} .graph-totals").text_content()


def test_graph_panel_shows_only_the_stages_a_rung_has(lab_page, site_url):
    """A learned bigram (n_layer 0): five stages, before its first step and in the pulse; no layer's box."""
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=20, n_layer=0, optimizer="sgd")
    bigram = ["embedding", "rmsnorm", "lm_head", "softmax", "loss"]
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.stages === '5'")  # before a step
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.step === '1'")
    rows = page.locator(f"{GRAPH} tbody tr").evaluate_all("(rows) => rows.map((r) => r.dataset.stage)")
    assert rows == bigram and list(json.loads(page.locator(GRAPH).get_attribute("data-shapes"))) == bigram
    canvas = page.locator(f"{GRAPH} canvas")
    canvas.focus()
    canvas.press("End")
    canvas.press("Enter")
    info = page.locator(f"{GRAPH} .stage-info")
    assert "SGD" in info.locator("h3").text_content()
    assert info.locator(".formula").text_content().endswith("p.data -= lr_t * p.grad")


@pytest.mark.parametrize("older", ["none", "version 1"])
def test_a_session_saved_before_models_were_described_gets_its_description(lab_page, site_url, older):
    """A record an older lab stored has no model in its trace header, or an older description (version 1:
    its stages did not say their inputs): the engine describes it once, the record keeps it, and the panels
    draw that model (here a rung without attention: ten stages)."""
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=20, attention=False)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    page.evaluate("""([id, older]) => new Promise((resolve, reject) => {
        const open = indexedDB.open('microgpt-lab');
        open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('sessions', 'readwrite');
            tx.objectStore('sessions').get(id).onsuccess = (e) => {
                const record = e.target.result;
                if (older === 'none') delete record.trace_header.model;
                else {
                    const model = record.trace_header.model;
                    delete model.version;
                    for (const stage of model.stages) delete stage.inputs;
                }
                tx.objectStore('sessions').put(record);
            };
            tx.oncomplete = () => { db.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
        };
    })""", [session, older])
    saved = next(r for r in stored(page)["sessions"] if r["id"] == session)["trace_header"]
    assert "version" not in saved.get("model", {})
    page.reload()
    open_lab(page, site_url)
    page.wait_for_function(f"() => document.querySelector('{GRAPH}').dataset.stages === '10'")
    model = next(r for r in stored(page)["sessions"] if r["id"] == session)["trace_header"]["model"]
    assert [s["name"] for s in model["stages"]][2:4] == ["layer0.mlp_norm", "layer0.mlp_fc1"]
    assert model["stages"][6]["inputs"] == ["layer0.mlp_fc2", "rmsnorm"]  # the residual's two paths
