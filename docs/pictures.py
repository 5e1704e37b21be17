"""The README's pictures, taken from the built lab in headless Chromium.

    python3 build.py                          # builds dist/
    .venv/bin/python docs/pictures.py                # writes docs/*.png
    .venv/bin/python docs/pictures.py lesson ladder  # only those: features, lesson, ladder

Trains two short runs on the bundled names (different learning rates), then
photographs each feature as a learner would see it, and the top of the
page at 1440, 1024 and 390 px wide (width-*.png); then trains the path's
first two rungs and photographs chapter 6 (lesson.png). Then, in a fresh
page, trains the whole model ladder (1,000 steps a rung, as a class would)
and photographs Compare runs overlaying it (ladder.png) and the counting
bigram's counts (bigram.png). Chromium: $CHROMIUM, else /usr/bin/chromium,
else Playwright's own.
"""
import json
import os
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "py")]
from microgpt_lab.ladder import LADDER  # noqa: E402
from tools.server import make_server  # noqa: E402  (the server the tests use too)

DOCS = ROOT / "docs"
STEPS = 300
WIDTHS = (1440, 1024, 390)  # the top of the page at a desktop, a tablet and a phone


def chromium():
    path = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def new_run(page, learning_rate):
    page.fill("#cfg-num_steps", str(STEPS))
    page.fill("#cfg-learning_rate", str(learning_rate))
    before = page.evaluate("() => window.lab.state.current")
    page.click("#btn-new")
    page.wait_for_function("(before) => window.lab.state.current && window.lab.state.current !== before", arg=before)
    return page.evaluate("() => window.lab.state.current")


def run_to_end(page):
    page.click("#btn-run")
    page.wait_for_function("() => window.lab.state.status === 'done'", timeout=300_000)


def shoot(locator, name):
    locator.scroll_into_view_if_needed()
    locator.page.wait_for_timeout(400)  # let the panels' next frames land
    locator.screenshot(path=str(DOCS / name), animations="disabled")
    print(f"docs/{name}")


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1360, "height": 1000}, device_scale_factor=1)
    page.goto(url)
    page.get_by_role("status").filter(has_text="ready").first.wait_for(timeout=120_000)
    return page, lambda name: page.locator(f"[data-panel={name}]")


def ladder(browser, url):
    """The whole ladder from its one action, 1,000 steps a rung; Compare runs once every rung is done."""
    page, panel = open_page(browser, url)
    page.get_by_text("Build it up").click()
    page.get_by_role("button", name="Train the whole ladder").click()
    page.wait_for_function("() => document.querySelector('[data-panel=compare]').dataset.compared.split(',').length === " + str(len(LADDER)))
    while not all(s["status"] == "done" for s in page.evaluate("() => window.lab.listSessions()")):
        page.wait_for_timeout(2000)
    page.wait_for_function("() => Object.values(JSON.parse(document.querySelector('[data-panel=compare]')"
                           ".dataset.points)).every((n) => n === 1000)")
    shoot(panel("compare"), "ladder.png")
    rows = panel("compare").locator("tbody tr").evaluate_all(
        "(rows) => rows.map((r) => [...r.children].map((c) => c.textContent))")
    print(json.dumps(rows, indent=1, ensure_ascii=False))  # the numbers the README quotes
    shoot(panel("bigram"), "bigram.png")
    page.close()


def lesson_picture(browser, url):
    """docs/lesson.png: chapter 6 of the path, from its title to its widget: its two rungs trained in
    place, overlaid, and a name's attention."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    title = {rung.id: f"Rung {k} · {rung.name}" for k, rung in enumerate(LADDER, 1)}  # as the lab names them
    for chapter, rung in ((4, title["bigram"]), (6, title["one-head"])):
        page.goto(f"{url}?lesson={chapter}")
        page.get_by_role("status").filter(has_text="ready").first.wait_for(timeout=120_000)
        page.get_by_role("button", name=f"Train {rung}").click()
        page.get_by_role("button", name=f"{rung}: trained").wait_for(timeout=600_000)
    page.get_by_label("Your name, through the one-head rung").fill("emma")
    page.get_by_role("button", name="Look at its attention").click()
    page.wait_for_function("() => document.querySelector('.attention-widget').dataset.attention")
    page.wait_for_timeout(400)  # the chart's next frame
    clip = page.evaluate("""() => {  // in the page's coordinates, as a full-page picture takes them
        const top = document.querySelector('.chapter').getBoundingClientRect();
        const end = document.querySelector('.chapter .widget').getBoundingClientRect();
        return {x: top.left + scrollX, y: top.top + scrollY, width: top.width, height: end.bottom + 16 - top.top};
    }""")
    page.screenshot(path=str(DOCS / "lesson.png"), full_page=True, animations="disabled", clip=clip)
    print("docs/lesson.png")
    page.close()


def main():
    chosen = sys.argv[1:] or list(PICTURES)
    if unknown := [name for name in chosen if name not in PICTURES]:
        sys.exit(f"no such pictures: {', '.join(unknown)} (there are {', '.join(PICTURES)})")
    server = make_server(ROOT / "dist", "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        for name in chosen:
            PICTURES[name](browser, server.url)
        browser.close()
    server.shutdown()


def features(browser, url):
    """Two short runs, and each feature as a learner sees it."""
    page, panel = open_page(browser, url)
    new_run(page, 0.003)
    run_to_end(page)
    new_run(page, 0.01)
    probe = panel("probe")
    probe.get_by_label("Context after BOS").fill("em")
    probe.get_by_role("button", name="Pin").click()
    run_to_end(page)
    page.click("#btn-sample")
    page.locator("#samples .sample").first.wait_for()
    # The runs are named by what sets them apart: the default learning rate is 0.01.
    for name in ("lr 0.003 · names", "names"):
        panel("compare").get_by_label(name, exact=True).check()
    console = panel("console").get_by_label("Python")
    console.fill("[round(w, 3) for w in state_dict['wte'][vocab.index('e')][:6]]")
    console.press("Enter")
    inspector = panel("inspector")
    inspector.get_by_label("Gradients (last step)").check()
    inspector.locator("canvas").first.click(position={"x": 60, "y": 40})

    page.screenshot(path=str(DOCS / "screenshot.png"), full_page=True)
    print("docs/screenshot.png")
    for name in ("inspector", "embeddings", "probe", "console", "compare"):
        shoot(panel(name), f"{name}.png")
    follow = panel("follow")
    position = min(2, follow.locator(".tok").count() - 1)
    follow.locator(".tok").nth(position).click()
    page.wait_for_function("(p) => document.querySelector('[data-panel=follow]').dataset.position === String(p)", arg=position)
    follow.get_by_role("button", name="Next stage").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-panel=follow]').dataset.stage === 'layer0.attention'")
    shoot(follow, "follow.png")
    page.locator("#time-travel").fill("60")
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step")
    shoot(page.locator(".controls"), "time-travel.png")
    page.get_by_role("button", name="Live").click()
    page.wait_for_function("() => document.querySelector('#timeline-view').dataset.travel === 'live'")
    devtools = page.context.new_cdp_session(page)
    for width in WIDTHS:
        if width < 700:  # the phone is a touch screen: no hover, a coarse pointer, no keyboard hints
            devtools.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("() => scrollTo(0, 0)")
        page.wait_for_timeout(400)
        page.screenshot(path=str(DOCS / f"width-{width}.png"))
        print(f"docs/width-{width}.png")
    devtools.send("Emulation.setTouchEmulationEnabled", {"enabled": False})
    page.set_viewport_size({"width": 1360, "height": 1000})
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill("3.14159\n2.71828\n1.41421\n1.61803\n0.57721\n")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    page.click("#btn-share")
    shoot(page.locator(".setup"), "own-data.png")
    page.close()


PICTURES = {"features": features, "lesson": lesson_picture, "ladder": ladder}


if __name__ == "__main__":
    main()
