"""Accessibility as a test (#13, problem 10): axe-core (npm, pinned in
package.json's devDependencies; never shipped in dist/) finds no violation
on a fresh page, after a short run, with help open, in compare and in time
travel, with the model ladder trained and its counting bigram shown; the
embedding map is usable with the keyboard."""

from pathlib import Path

import pytest

from helpers import new_session, open_lab, run_to_end, show_all_panels, travel_to, wait_until

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def violations(page):
    """axe-core's violations on the page as it is: [(rule, impact, [targets])].
    DevTools' evaluate is not bound by the page's Content-Security-Policy, so
    axe is loaded through it, never through the site."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE.read_text())
    found = page.evaluate("""async () => (await axe.run(document)).violations
        .map((v) => [v.id, v.impact, v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary)])""")
    return [tuple(v[:2]) + (v[2],) for v in found]


@pytest.fixture
def lab(lab_page, site_url):
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci`", pytrace=False)
    show_all_panels(lab_page)
    open_lab(lab_page, site_url)
    return lab_page


def test_no_violations_fresh_and_after_a_run_with_help_open(lab):
    page = lab
    assert violations(page) == []
    session = new_session(page, num_steps=20)
    run_to_end(page, session)
    page.get_by_role("button", name="Sample").click()
    page.locator("#samples .sample").first.wait_for()
    assert violations(page) == []
    page.get_by_role("button", name="Help").click()
    page.get_by_role("dialog", name="Help").wait_for()
    assert violations(page) == []


def test_no_violations_in_compare_and_time_travel(lab):
    page = lab
    first = new_session(page, num_steps=10)
    run_to_end(page, first)
    page.locator("#cfg-learning_rate").fill("0.003")
    second = new_session(page, num_steps=10)
    run_to_end(page, second)
    page.locator("[data-panel=compare] .compare-table th").first.wait_for()
    assert violations(page) == []
    travel_to(page, 4)
    page.wait_for_function("() => document.querySelector('#timeline-view').dataset.travel === '4'")
    assert violations(page) == []


def test_no_violations_with_the_ladder_trained_and_its_bigram_counted(lab):
    page = lab
    page.get_by_text("Build it up").click()
    page.get_by_label("Steps per rung").fill("5")
    page.get_by_role("button", name="Train the whole ladder").click()
    wait_until(page, """async () => {
        const list = await window.lab.listSessions();
        return list.length === 5 && list.every((s) => s.status === 'done');
    }""")
    page.wait_for_function("() => document.querySelector('[data-panel=compare]').dataset.compared.split(',').length === 5"
                           " && document.querySelector('[data-panel=bigram]').dataset.counts")
    assert violations(page) == []
