"""The path (#21): each chapter at ?lesson=<n>, its widget showing the engine's
numbers, exercises checked by the engine in the page, a learner's endless loop
stopped without harming a running session, a rung trained in place and found in
Compare runs, progress kept across a reload, and the whole path walked at 390 px
with the keyboard alone."""
import json
import math

import pytest

from helpers import (TOL, animation_frames, check_exercise, native_losses, new_session, open_lab, open_lesson, reveal,
                     rung_state, session_done, train_rung, wait_ready, wait_until)
from microgpt_lab import Config, Session, ladder, lessons
from test_accessibility import AXE, violations

CHAPTERS = 9
WIDTHS = [1440, 1024, 390]
# The rungs the chapters train are the engine's ladder's, named as the lab names them.
TITLE = {rung.id: f"Rung {k} · {rung.name}" for k, rung in enumerate(ladder.LADDER, 1)}
RUNG = {rung.id: rung for rung in ladder.LADDER}
LOSS = "import math\n\ndef loss(probs, target):\n    return -math.log(probs[target])\n"

# Everything in the chapter and its list stays inside them, and nothing that
# clips its content (overflow other than visible) hides any of it.
OVERFLOWS = """() => {
    const out = [];
    const name = (el) => el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
    for (const box of document.querySelectorAll('.chapter, .lesson-nav details')) {
        const edge = box.getBoundingClientRect();
        for (const el of box.querySelectorAll('*')) {
            const rect = el.getBoundingClientRect();
            if (!rect.width || !rect.height || el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
            if (rect.right > edge.right + 1) out.push([name(el), Math.round(rect.right - edge.right)]);
            const style = getComputedStyle(el);
            const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
            if (clips && !['CANVAS', 'TEXTAREA'].includes(el.tagName)
                && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
                out.push([name(el), Math.max(el.scrollWidth - el.clientWidth, el.scrollHeight - el.clientHeight)]);
            }
        }
    }
    return out;
}"""


@pytest.fixture(scope="module")
def names(dist_dir):
    """The engine natively, on the site's own names: a session at step 0."""
    return Session.from_text(Config(), (dist_dir / "data" / "names.txt").read_text())


def test_every_chapter_at_its_address_at_every_width_with_no_violation(lab_page, site_url):
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci`", pytrace=False)
    page = lab_page
    for n in range(1, CHAPTERS + 1):
        page.set_viewport_size({"width": 1440, "height": 900})
        open_lesson(page, site_url, n)
        chapter = page.locator("article.chapter")
        assert chapter.locator(".chapter-kicker").text_content() == f"Chapter {n} of {CHAPTERS}"
        assert page.locator(".lesson-list a[aria-current=page]").get_attribute("href") == f"?lesson={n}"
        assert chapter.locator(".question").count() == 1 and chapter.locator(".try-it").count() == 1
        assert chapter.locator(".in-the-lab a").count() >= 1
        assert violations(page) == [], n
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            animation_frames(page, 3)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (n, width)
            assert page.evaluate(OVERFLOWS) == [], (n, width)
    # An address that names no chapter opens the first and says so.
    page.goto(f"{site_url}?lesson=12")
    wait_ready(page)
    assert page.locator("article.chapter").get_attribute("data-chapter") == "1"
    assert "There is no chapter \"12\"" in page.locator(".lessons > .notice").text_content()


def test_the_widgets_show_the_engines_numbers(lab_page, site_url, names):
    page = lab_page
    open_lesson(page, site_url, 1)
    widget = page.locator(".tokens-widget")
    widget.get_by_label("Type a name").fill("zoe")
    page.wait_for_function("() => document.querySelector('.tokens-widget').dataset.text === 'zoe'")
    assert json.loads(widget.get_attribute("data-tokens")) == names.tokenizer.encode("zoe")
    widget.get_by_label("Type a name").fill("Zoe")
    widget.locator(".error").filter(has_text="'Z' is not in the vocabulary").wait_for()
    revealed, said = reveal(page, "6")
    assert revealed == "right" and f'The engine makes {len(names.tokenizer.encode("emma"))} tokens' in said

    open_lesson(page, site_url, 2)
    uniform = lessons.uniform_loss(names.tokenizer.vocab_size)
    revealed, said = reveal(page, "about 1")
    assert revealed == "wrong" and f"{uniform:.4f} nats" in said
    assert float(page.locator(".prediction-widget").get_attribute("data-loss")) == pytest.approx(-math.log(0.5), abs=1e-15)
    assert page.locator(".prediction-widget").get_attribute("data-rounds") == "5"  # emma: e, m, m, a, BOS

    open_lesson(page, site_url, 5)
    page.get_by_role("button", name="Run forward and backward").click()
    page.wait_for_function("() => document.querySelector('.value-widget').dataset.status === 'ok'")
    graph = json.loads(page.locator(".value-widget").get_attribute("data-graph"))
    native = lessons.value_graph("a = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a * b + c\nL = d * d\n")
    assert graph == native["nodes"]
    revealed, said = reveal(page, "8")
    assert revealed == "right"
    assert violations(page) == []  # with the graph drawn and the answer said


def test_an_exercise_is_refused_then_solved_and_the_progress_survives_a_reload(lab_page, site_url):
    page = lab_page
    open_lesson(page, site_url, 2)
    status, message = check_exercise(page, LOSS.replace("math.log(", "math.log10("))
    assert status == "error" and message == "loss([0.25, 0.25, 0.25, 0.25], 0): expected 1.38629, got 0.60206"
    status, message = check_exercise(page, "def loss(probs, target)\n    return 0\n")
    assert status == "error" and "line 1 of your code: SyntaxError" in message
    status, message = check_exercise(page, "print('trying')\n" + LOSS)
    assert status == "ok" and message.startswith("Passed: loss agrees with the engine's on all")
    assert page.locator(".exercise-output").text_content() == "trying\n"
    page.get_by_role("button", name="Show microgpt's lines").click()
    assert "loss_t = -probs[target_id].log()" in page.locator(".exercise-reveal .hl").text_content()
    reveal(page, "about 3.3")
    page.reload()
    wait_ready(page)
    # The chapter list, the exercise and the guess are as they were.
    items = page.locator(".lesson-list li")
    assert items.nth(1).locator(".chapter-marks").text_content().strip() == "read · exercise passed"
    assert page.locator(".exercise textarea").input_value() == "print('trying')\n" + LOSS
    assert page.locator(".exercise").get_attribute("data-status") == "ok"
    assert page.locator(".question").get_by_label("about 3.3").is_checked()
    page.wait_for_function("() => document.querySelector('.question').dataset.revealed === 'right'")


def test_an_endless_loop_is_stopped_and_the_running_rung_goes_on_exactly(lab_page, site_url, dist_dir):
    """The learner's code runs in the lessons' own worker: an endless loop,
    stopped (Stop, or the time limit on a first visit where no interrupt
    reaches Python), touches no session; a rung training meanwhile ends with
    the native engine's numbers."""
    page = lab_page
    open_lesson(page, site_url, 9)
    assert not page.evaluate("() => self.crossOriginIsolated")  # first visit: the worker is ended, not interrupted
    page.get_by_role("button", name=f"Train {TITLE['adam']}").click()
    wait_until(page, "async () => (JSON.parse(document.querySelector('.rung-chart').dataset.rungs || '{}').adam?.step ?? 0) >= 5")
    rung = rung_state(page, "adam")
    page.locator("a[data-chapter='2']").first.click()  # within the page: the run goes on
    page.locator("article.chapter[data-chapter='2']").wait_for()
    status, message = check_exercise(page, "def loss(probs, target):\n    while True:\n        pass\n")
    assert status == "stopped" and message.startswith("Stopped after 10 s, the time limit"), message
    status, _ = check_exercise(page, LOSS)  # the lessons' new worker answers
    assert status == "ok"
    done = session_done(page, rung["id"], timeout=240)
    assert done["step"] == 1000
    stored = page.evaluate("async (id) => (await window.lab.steps(id)).map((s) => [s.step, s.loss])", rung["id"])
    assert [step for step, _ in stored] == list(range(1, 1001))
    expected = native_losses(dist_dir, 1000)
    assert max(abs(loss - e) for (_, loss), e in zip(stored, expected)) < TOL


def test_offline_stop_interrupts_the_learners_code_where_python_can_be_interrupted(lab_page, site_url):
    page = lab_page
    open_lesson(page, site_url, 2)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.context.set_offline(True)
    try:
        open_lesson(page, site_url, 2)  # from the service worker's precache: offline, cross-origin isolated
        assert page.evaluate("() => self.crossOriginIsolated")  # SIGINT reaches Python
        exercise = page.locator(".exercise")
        exercise.locator("textarea").fill("def loss(probs, target):\n    while True:\n        pass\n")
        exercise.get_by_role("button", name="Check").click()
        page.wait_for_function("() => document.querySelector('.exercise').dataset.status === 'pending'")
        exercise.get_by_role("button", name="Stop").click()
        page.wait_for_function("() => document.querySelector('.exercise').dataset.status === 'stopped'", timeout=10_000)
        said = exercise.locator(".exercise-result").text_content()
        assert said == "Stopped while your code was still running.", said
        assert check_exercise(page, LOSS)[0] == "ok"  # the same worker, interrupted, answers
    finally:
        page.context.set_offline(False)


def test_a_rung_trains_in_place_and_is_a_session_of_the_lab(lab_page, site_url):
    page = lab_page
    open_lesson(page, site_url, 9)
    page.get_by_role("button", name=f"Train {TITLE['adam']}").click()
    wait_until(page, "async () => JSON.parse(document.querySelector('.rung-chart').dataset.rungs || '{}').adam?.status === 'done'",
               timeout=240)
    rung = rung_state(page, "adam")
    assert rung["step"] == 1000 and rung["mean"] < 2.6
    page.get_by_role("button", name="Write 8 names at each temperature").click()
    samples = json.loads(wait_until(page, "async () => document.querySelector('.sampling-widget').dataset.samples"))
    assert sorted(samples) == ["0.5", "1", "1.5"] and all(len(names) == 8 for names in samples.values())
    revealed, said = reveal(page, "more alike")
    assert revealed in ("right", "wrong") and "mean probability" in said
    assert violations(page) == []
    page.locator(".in-the-lab").get_by_role("link", name="Loss").click()  # a panel the chapter uses
    wait_ready(page)
    assert page.evaluate("() => location.hash") == "#panel-loss"
    assert page.locator("[data-panel=loss]").evaluate("(el) => el.getBoundingClientRect().top < innerHeight")
    compare = page.locator("[data-panel=compare]")
    compare.get_by_label(TITLE["adam"]).wait_for()
    page.wait_for_function("(id) => document.querySelector('[data-panel=compare]').dataset.compared.includes(id)",
                           arg=rung["id"])
    assert page.locator("#sessions-view").filter(has_text=TITLE["adam"]).count() == 1


def test_a_rung_the_lab_trained_is_the_chapters(lab_page, site_url):
    """The lab's rung (here set up from Build it up, on the bundled names with the ladder's steps) is the
    one the chapter shows and trains on; one of the same config with other steps is not."""
    page = lab_page
    open_lab(page, site_url)
    page.get_by_text("Build it up").click()
    page.get_by_role("button", name=f"Set up: {TITLE['bigram']}").click()
    shorter = new_session(page, num_steps=50)
    page.get_by_role("button", name=f"Set up: {TITLE['bigram']}").click()
    rung = new_session(page)
    open_lesson(page, site_url, 4)
    page.wait_for_function("(id) => JSON.parse(document.querySelector('.rung-chart').dataset.rungs || '{}').bigram?.id === id",
                           arg=rung)
    assert rung_state(page, "bigram")["num_steps"] == 1000 and shorter != rung
    assert page.get_by_role("button", name=f"Train {TITLE['bigram']}").is_enabled()  # at step 0: trained from here
    assert len(page.evaluate("() => window.lab.listSessions()")) == 2  # nothing new made


def test_the_whole_path_at_390_px_with_the_keyboard(lab_page, site_url):
    page = lab_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_lesson(page, site_url, 1)

    def tab_to(predicate, limit=250):
        for _ in range(limit):
            if page.evaluate("() => document.activeElement.tagName === 'TEXTAREA'"):
                page.keyboard.press("Escape")  # a code editor takes Tab to indent: Escape, then Tab, moves on
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    for n in range(1, CHAPTERS + 1):
        assert page.locator("article.chapter").get_attribute("data-chapter") == str(n)
        if n == 1:
            tab_to("el.id && el.closest('.tokens-widget') && el.tagName === 'INPUT'")
            page.keyboard.type("ada")
            page.wait_for_function("() => document.querySelector('.tokens-widget').dataset.text === 'ada'")
        tab_to("el.type === 'radio'")
        page.keyboard.press("ArrowRight")  # moves to the next choice and picks it
        tab_to("el.textContent === \"Reveal the engine's answer\"")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('.question').dataset.revealed !== ''")
        if n == CHAPTERS:
            break
        tab_to("el.rel === 'next'")
        page.keyboard.press("Enter")
        page.locator(f"article.chapter[data-chapter='{n + 1}']").wait_for()
        assert page.evaluate("() => document.activeElement.id") == "chapter-title"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.evaluate("() => new URLSearchParams(location.search).get('lesson')") == str(CHAPTERS)
    page.go_back()
    page.locator(f"article.chapter[data-chapter='{CHAPTERS - 1}']").wait_for()


# ---- the ladder's chapters (3, 4, 6, 7, 8) ------------------------------------------------------------

def test_counting_and_a_gradient_are_the_engines(lab_page, site_url, dist_dir):
    page = lab_page
    text = (dist_dir / "data" / "names.txt").read_text()
    open_lesson(page, site_url, 3)
    counted = Session.from_text(Config(), text).bigram()
    page.wait_for_function("() => document.querySelector('.bigram-widget').dataset.loss")
    assert float(page.locator(".bigram-widget").get_attribute("data-loss")) == pytest.approx(counted["loss"], abs=1e-12)
    page.get_by_role("button", name="Sample 10 names from the counts").click()
    samples = json.loads(wait_until(page, "async () => document.querySelector('.bigram-widget').dataset.samples"))
    assert len(samples) == 10 and all(set(name) <= set("abcdefghijklmnopqrstuvwxyz") for name in samples)
    revealed, said = reveal(page, "between 2.2 and 2.8")
    assert revealed == "right" and f"{counted['loss']:.4f} nats" in said
    assert violations(page) == []  # with the counts' grid drawn
    # Chapter 4's gradient, before its rung exists: a fresh model of the rung's config, at step 0.
    open_lesson(page, site_url, 4)
    check = json.loads(wait_until(page, "async () => document.querySelector('.descent-widget').dataset.check"))
    fresh = Session.from_text(ladder.config(RUNG["bigram"]), text)
    native = lessons.gradient_check(fresh, check["name"], check["row"], check["col"], check["h"])
    assert check["doc"] == native["doc"] and check["row"] == native["row"]
    assert check["analytic"] == pytest.approx(native["analytic"], abs=1e-12)
    assert check["numerical"] == pytest.approx(native["numerical"], abs=1e-9)
    assert check["analytic"] == pytest.approx(check["numerical"], rel=1e-5)
    matrix = fresh.state_dict[check["name"]]  # the fields' bounds are the matrix's shape, as the engine said it
    bounds = page.locator(".descent-widget .check-picker input[type=number]").evaluate_all("(inputs) => inputs.map((i) => i.max)")
    assert bounds == [str(len(matrix) - 1), str(len(matrix[0]) - 1)]


def test_the_bigram_and_one_head_rungs_train_in_place(lab_page, site_url, dist_dir):
    page = lab_page
    open_lesson(page, site_url, 4)
    train_rung(page, TITLE["bigram"])
    assert reveal(page, "on or below the counting line")[0] in ("right", "wrong")
    assert violations(page) == []
    page.locator("a[data-chapter='6']").first.click()
    page.locator("article.chapter[data-chapter='6']").wait_for()
    train_rung(page, TITLE["one-head"])
    revealed, said = reveal(page, "less than 0.1")
    assert revealed in ("right", "wrong") and "one head" in said
    rungs = page.evaluate("() => JSON.parse(document.querySelector('.rung-chart').dataset.rungs)")
    assert rungs["bigram"]["step"] == rungs["one-head"]["step"] == 1000
    # The attention of a typed name, through the trained rung, against the native engine's.
    page.get_by_label("Your name, through the one-head rung").fill("ava")
    page.get_by_role("button", name="Look at its attention").click()
    page.wait_for_function("() => JSON.parse(document.querySelector('.attention-widget').dataset.attention || '[]').length === 4")
    shown = json.loads(page.locator(".attention-widget").get_attribute("data-attention"))
    text = (dist_dir / "data" / "names.txt").read_text()
    native = Session.from_text(ladder.config(RUNG["one-head"]), text)
    for _ in range(1000):
        native.step("loss")
    expected = lessons.attention_map(native, "ava")["attention"][0][0]
    assert all(abs(a - b) < TOL for row, want in zip(shown, expected, strict=True) for a, b in zip(row, want, strict=True))
    assert violations(page) == []


def test_the_whole_block_and_adam_against_sgd(lab_page, site_url):
    page = lab_page
    open_lesson(page, site_url, 7)
    train_rung(page, TITLE["four-heads"])
    follow = page.locator(".block-widget [data-panel=follow]")
    page.wait_for_function("() => document.querySelector('.block-widget [data-panel=follow]').dataset.step === '1000'")
    follow.get_by_role("button", name="Next stage").click()
    page.wait_for_function("() => document.querySelector('.block-widget [data-panel=follow]').dataset.moment === 'forward'")
    revealed, said = reveal(page, "16")
    assert revealed == "right" and "x is 16 numbers" in said
    assert violations(page) == []
    page.locator("a[data-chapter='8']").first.click()
    page.locator("article.chapter[data-chapter='8']").wait_for()
    train_rung(page, TITLE["adam"])
    weights = page.locator(".adam-widget")
    weights.get_by_label("at step").fill("200")
    weights.get_by_role("button", name="Read this weight").click()
    page.wait_for_function("() => JSON.parse(document.querySelector('.adam-widget').dataset.weights || '{}').adam?.step === 200")
    read = json.loads(weights.get_attribute("data-weights"))
    assert read["four-heads"]["m"] is None and read["adam"]["m"] is not None  # SGD keeps no m or v
    sgd = read["four-heads"]
    assert sgd["update"] == pytest.approx(-sgd["lr"] * sgd["grad"], abs=1e-15)  # SGD's step: -lr times the gradient
    revealed, said = reveal(page, "Adam's")
    assert revealed in ("right", "wrong") and "Adam" in said
    assert violations(page) == []
