"""Progress that tells the time (#13, problem 7): the steps left and an
estimate of the time they need while running; the speed only while running;
no value cut off at the card's edge."""

import re

from playwright.sync_api import expect

from helpers import clipped, new_session, open_lab, take_steps, wait_status, wait_steps


def test_steps_left_and_time_left_while_running_only(lab_page, site_url):
    page = lab_page
    page.set_viewport_size({"width": 1440, "height": 900})
    open_lab(page, site_url)
    new_session(page, num_steps=2000)
    left = page.locator("#steps-left")
    speed = page.locator("#steps-per-second")
    expect(left).to_have_text("2,000 steps")
    expect(speed).to_have_text("-")

    page.get_by_role("button", name="Run").click()
    wait_steps(page, 30)
    expect(left).to_have_text(re.compile(r"^1,9\d\d steps · about \d+ (s|min)$"))
    expect(speed).to_have_text(re.compile(r"^\d+\.\d steps/s$"))
    assert clipped(page, ".stats dd") == []
    assert page.evaluate("() => [...document.querySelectorAll('.stats dd')]"
                         ".every((el) => el.getBoundingClientRect().right <= "
                         "el.closest('.card').getBoundingClientRect().right)")

    page.get_by_role("button", name="Pause").click()
    wait_status(page, "paused")
    expect(speed).to_have_text("-")
    expect(left).to_have_text(re.compile(r"^1,9\d\d steps$"))


def test_each_step_lands_past_the_fifty_events_the_page_keeps(lab_page, site_url):
    """take_steps (helpers.py) knows a step has landed past step 50, where the page's count of
    events stops growing: 55 Steps, one at a time, each counted once."""
    page = lab_page
    open_lab(page, site_url)
    new_session(page, num_steps=100)
    take_steps(page, 55)
    assert page.evaluate("() => window.lab.state.events.length") == 50
    assert page.evaluate("() => window.lab.state.events.at(-1).step") == 55
    expect(page.locator("#steps-left")).to_have_text("45 steps")
