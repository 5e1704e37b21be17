"""The embedding map: a PCA of wte computed in the engine, one labelled point
per token (BOS last), read again after each step."""

from playwright.sync_api import expect

from helpers import new_session, open_lab, panel, show_all_panels, wait_data


def test_embedding_map_has_one_labelled_point_per_token(lab_page, site_url):
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    new_session(page, num_steps=20)
    vocab = page.evaluate("async () => (await window.lab.trace()).dataset.vocab")
    embeddings = panel(page, "embeddings")
    wait_data(page, "embeddings", "step", "0")
    labels = embeddings.get_attribute("data-labels").split(" ")
    assert int(embeddings.get_attribute("data-points")) == len(vocab) + 1 == len(labels)
    assert labels[-1] == "BOS" and labels[:-1] == list(vocab)
    explained = [float(x) for x in embeddings.get_attribute("data-explained").split(",")]
    assert 0 < explained[1] <= explained[0] <= 1
    page.get_by_role("button", name="Step").click()
    wait_data(page, "embeddings", "step", "1")


def test_embedding_map_with_the_keyboard(lab_page, site_url):
    """#13, problem 10: the map is reached with Tab and read with the arrow keys."""
    page = lab_page
    show_all_panels(page)
    open_lab(page, site_url)
    new_session(page, num_steps=20)
    wait_data(page, "embeddings", "step", "0")
    embeddings = panel(page, "embeddings")
    labels = embeddings.get_attribute("data-labels").split(" ")
    canvas = embeddings.locator("canvas")
    # Reached with Tab from the panel's legend onwards (it is in the tab order).
    assert canvas.get_attribute("tabindex") == "0"
    canvas.focus()
    page.keyboard.press("ArrowRight")
    wait_data(page, "embeddings", "selected", labels[0])
    readout = embeddings.locator("[aria-live]")
    expect(readout).to_contain_text(f"Token “{labels[0]}” (")
    expect(readout).to_contain_text("nearest on the map: ")
    page.keyboard.press("ArrowRight")
    wait_data(page, "embeddings", "selected", labels[1])
    page.keyboard.press("End")
    wait_data(page, "embeddings", "selected", "BOS")
    expect(readout).to_contain_text(f"{len(labels)} of {len(labels)}")
