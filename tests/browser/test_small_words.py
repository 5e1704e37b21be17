"""Small things a newcomer tripped on (issue 23 item 11): the attention
moment's code shows every line it highlights (the scores, the softmax and the
heads' output, not only the bookkeeping) without scrolling; the loss moment's
shape is "1 number"; the probe's placeholder fits its field; the native command
shows only once there is a session to reproduce."""

from helpers import new_session, open_lab, panel, show_all_panels, take_steps, wait_data

FOLLOW = "[data-panel=follow]"

# The placeholder's width against the room in its field.
PLACEHOLDER_FITS = """(input) => {
    const style = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return ctx.measureText(input.placeholder).width <= room;
}"""

# Every highlighted line of the moment's code lies inside its box's visible part.
HIGHLIGHTS_IN_VIEW = """() => {
    const pre = [...document.querySelectorAll('[data-panel=follow] .source')].find((p) => p.querySelector('.hl'));
    const box = pre.getBoundingClientRect();
    const lines = [...pre.querySelectorAll('.hl')];
    return lines.length > 5 && lines.every((line) => {
        const r = line.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    });
}"""


def test_details_a_newcomer_tripped_on(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    show_all_panels(page)
    assert page.locator(".train-command").is_hidden()
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 5200})
        assert panel(page, "probe").locator("input[type=text]").evaluate(PLACEHOLDER_FITS), width

    new_session(page, num_steps=20)
    page.locator(".train-command").wait_for(state="visible")
    page.set_viewport_size({"width": 1440, "height": 5200})
    take_steps(page, 2)
    wait_data(page, "follow", "step", "2")
    follow = panel(page, "follow")
    follow.get_by_role("button", name="Next stage").focus()
    page.keyboard.press("Home")
    while follow.get_attribute("data-stage") != "layer0.attention":
        where = follow.locator(".panel-info").text_content()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(w) => document.querySelector('[data-panel=follow] .panel-info').textContent !== w", arg=where)
    page.wait_for_function(HIGHLIGHTS_IN_VIEW)
    while follow.get_attribute("data-stage") != "loss":
        where = follow.locator(".panel-info").text_content()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(w) => document.querySelector('[data-panel=follow] .panel-info').textContent !== w", arg=where)
    assert page.locator(f"{FOLLOW} .follow-shape").text_content() == "Shape: 1 number"
