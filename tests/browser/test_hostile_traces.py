"""Hostile trace files: a sample of the fuzzed mutations the engine's check
accepts (tools/trace_fuzz.py) is imported and drawn by every panel without a
page error and without blocking the page for a second; a loss curve of
1e300 next to its one-ulp neighbour draws at once."""
import json
import random

from helpers import animation_frames, open_lab, panel, show_all_panels, wait_points
from microgpt_lab import trace
from tools.trace_fuzz import mutations, valid_trace

LONG_TASKS = """() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: false });
}"""


def accepted_sample(count):
    """`count` accepted mutations, one per (field, kind of change), spread over the fields."""
    kinds = {}
    for where, how, text in mutations(valid_trace(), random.Random(14), 4000):
        key = (".".join(part for part in where.split(".") if not part.isdigit()), how.split()[0])
        if key in kinds:
            continue
        try:
            trace.check(trace.parse(text))
        except trace.TraceError:
            continue
        kinds[key] = (where, how, text)
    chosen = list(kinds.values())
    return chosen[:: max(1, len(chosen) // count)][:count]


def import_and_draw(page, path, text):
    path.write_text(text)
    before = page.evaluate("() => window.lab.state.current")
    page.locator("#trace-file").set_input_files(str(path))
    page.wait_for_function("(before) => window.lab.state.current && window.lab.state.current !== before", arg=before)
    wait_points(page, len(json.loads(text)["steps"]))
    animation_frames(page, 3)


def test_accepted_mutations_draw_in_every_panel_without_a_hang(lab_page, site_url, tmp_path):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    page.evaluate(LONG_TASKS)
    for index, (where, how, text) in enumerate(accepted_sample(24)):
        import_and_draw(page, tmp_path / f"mutation-{index}.json", text)
        longest = page.evaluate("() => Math.max(0, ...window.longTasks)")
        assert longest < 1000, (where, how, longest)


def test_a_loss_of_1e300_beside_its_neighbour_draws_at_once(lab_page, site_url, tmp_path):
    page = lab_page
    open_lab(page, site_url)
    page.evaluate(LONG_TASKS)
    data = valid_trace()
    data["steps"] = [{"step": 1, "loss": 1e300}, {"step": 2, "loss": 1.0000000000000002e300}]
    import_and_draw(page, tmp_path / "huge-losses.json", json.dumps(data))
    assert page.evaluate("() => Math.max(0, ...window.longTasks)") < 1000
    assert panel(page, "loss").get_attribute("data-latest-loss") == "1.0000000000000002e+300"
