"""Share by URL: a link fills the form and never starts training; Copy link
writes the form back into one; unknown, repeated, malformed or out-of-range
parameters are each named, and the rest of the link is used."""

from helpers import new_session_refused, open_lab, set_field, set_value, stored, wait_ready


def test_share_link_fills_the_form_and_never_starts(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url + "?n_embd=8&n_head=2&learning_rate=0.02&seed=7&num_steps=30&dataset=makemore")
    assert [page.input_value(f"#cfg-{name}") for name in ("n_embd", "n_head", "learning_rate", "seed")] == \
        ["8", "2", "0.02", "7"]
    assert page.get_by_label("makemore names.txt").is_checked()
    assert page.locator("#url-notice").is_hidden()
    page.get_by_label("Names (bundled").check()  # offline here: makemore's file cannot load
    # A request answered by the engine after the link was read: had the link
    # started a session, the worker would have opened it before answering
    # (n_embd not divisible by n_head is a rule only the engine knows).
    set_value(page, "n_embd", "7")
    new_session_refused(page, "n_embd (7) must be divisible by n_head (2)")
    set_value(page, "n_embd", "8")
    assert page.evaluate("() => window.lab.listSessions()") == []
    assert page.locator("#status").text_content() == "ready"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    set_field(page, "seed", 9)
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function("() => document.querySelector('#share-link').dataset.url")
    url = page.locator("#share-link").get_attribute("data-url")
    assert url == site_url + "?n_embd=8&n_head=2&learning_rate=0.02&num_steps=30&seed=9"
    assert page.evaluate("() => navigator.clipboard.readText()") == url


def test_malformed_share_links_are_named_and_never_start(lab_page, site_url):
    page = lab_page
    query = "n_embd=abc&n_embd=9&bogus=1&temperature=-1&dataset=evil&seed=&n_head=2"
    open_lab(page, f"{site_url}?{query}")
    notice = page.locator("#url-notice")
    page.wait_for_function("() => document.querySelector('#url-notice').textContent.includes('temperature')")
    text = notice.text_content()
    for problem in ['unknown parameter "bogus" ignored', "n_embd is given 2 times; the first is used",
                    'n_embd="abc": must be a number (plain decimal digits); kept 16',
                    'seed="": must be a number (plain decimal digits); kept 42',
                    'dataset="evil": must be one of default, makemore',
                    "temperature must be a number greater than 0.001 and at most 10, got -1"]:
        assert problem in text, text
    assert page.input_value("#cfg-n_head") == "2"  # the good parameter is used
    assert page.get_by_label("Names (bundled").is_checked()
    # A request answered by the engine after the link was read: New session
    # with n_embd not divisible by n_head (a rule only the engine knows).
    set_value(page, "temperature", "0.5")
    set_value(page, "n_embd", "15")
    new_session_refused(page, "n_embd (15) must be divisible by n_head (2)")
    assert page.evaluate("() => window.lab.listSessions()") == []
    assert stored(page)["sessions"] == []


def test_share_links_take_only_plain_decimal_numbers(lab_page, site_url):
    """Number() takes hexadecimal, binary and padded text, and rounds a
    fraction into a whole number: a link is read as plain digits only."""
    page = lab_page
    open_lab(page, f"{site_url}?n_embd=0x10&n_layer=0b10&block_size=%201e1&seed=4503599627370497.5&learning_rate=.02")
    text = page.locator("#url-notice").text_content()
    for problem in ['n_embd="0x10": must be a number (plain decimal digits); kept 16',
                    'n_layer="0b10": must be a number (plain decimal digits); kept 1',
                    'block_size=" 1e1": must be a number (plain decimal digits); kept 16',
                    'seed="4503599627370497.5": must be a whole number (plain digits, below 2^53); kept 42']:
        assert problem in text, text
    assert page.input_value("#cfg-learning_rate") == "0.02"


def test_a_rung_travels_in_a_link(lab_page, site_url):
    """A switch (attention, a checkbox) and a choice (optimizer) go into the link and come back from it."""
    page = lab_page
    open_lab(page, f"{site_url}?n_layer=0&attention=false&optimizer=sgd&learning_rate=0.5")
    assert not page.locator("#cfg-attention").is_checked()
    assert (page.input_value("#cfg-optimizer"), page.input_value("#cfg-n_layer")) == ("sgd", "0")
    assert page.locator("#url-notice").is_hidden()
    set_field(page, "attention", True)
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function("() => document.querySelector('#share-link').dataset.url")
    assert page.locator("#share-link").get_attribute("data-url") == site_url + "?n_layer=0&learning_rate=0.5&optimizer=sgd"
    open_lab(page, f"{site_url}?attention=no")
    assert 'attention="no": must be true or false; kept true' in page.locator("#url-notice").text_content()
    assert page.locator("#cfg-attention").is_checked()


def test_a_link_means_what_it_says_whatever_the_tab_chose_before(lab_page, site_url):
    """A link without `dataset` is the bundled names: an experiment's link
    trained on the tab's pasted text while its Set up picked the names. A
    reload keeps the tab's own choice (its address bar holds its own settings)."""
    page = lab_page
    open_lab(page, site_url)
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill("anna\nbob\n")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    open_lab(page, site_url + "?experiment=lr-too-high&learning_rate=0.3&num_steps=300")
    assert page.get_by_label("Names (bundled").is_checked()
    assert page.locator("#experiment-notice").get_attribute("data-experiment") == "lr-too-high"
    open_lab(page, site_url + "?experiment=overfitting&held_out=0.2&num_steps=3000")
    assert page.get_by_label("Pasted text").is_checked()  # the experiment's own data: yours, pasted
    page.get_by_label("makemore names.txt").check()
    page.reload()
    wait_ready(page)
    assert page.get_by_label("makemore names.txt").is_checked()


def test_an_experiment_changed_by_its_link_says_so(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url + "?experiment=lr-too-high&learning_rate=0.001")
    notice = page.locator("#experiment-notice")
    assert notice.get_attribute("data-changed") == "learning_rate"
    text = notice.text_content()
    assert "This link changes its settings: learning_rate 0.001 (the experiment's: 0.3)" in text
    assert "so it may not hold here" in text
    # The experiment's own settings, then the link's values over them.
    assert page.input_value("#cfg-learning_rate") == "0.001" and page.input_value("#cfg-num_steps") == "300"
    open_lab(page, site_url + "?experiment=lr-too-high")  # the experiment alone: its settings, its question
    assert page.input_value("#cfg-learning_rate") == "0.3" and page.input_value("#cfg-num_steps") == "300"
    assert notice.get_attribute("data-changed") == "" and "may not hold" not in notice.text_content()
    assert page.locator("#url-notice").is_hidden()


def test_repeated_huge_and_tiny_parameters_are_named_and_cut_short(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    # Served by the service worker from then on: the local server refuses a 230,000-character URL.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    unknown = "&".join(f"p{i}=1" for i in range(5000))
    query = (f"experiment=lr-too-high&experiment=tiny&dataset=makemore&dataset=default&n_embd={'1' * 200_000}"
             f"&learning_rate=1e-400&{unknown}")
    open_lab(page, f"{site_url}?{query}")
    page.wait_for_function("() => document.querySelector('#url-notice').textContent.includes('learning_rate')")
    text = page.locator("#url-notice").text_content()
    for problem in ["experiment is given 2 times; the first is used", "dataset is given 2 times; the first is used",
                    f'n_embd="{"1" * 60}"... (200,000 characters): must be a number a computer can hold: it is over '
                    "1.8e308, the largest; kept 16",
                    'learning_rate="1e-400": must be a number a computer can hold: it is below 5e-324, the smallest '
                    "above 0, and would be 0; kept 0.3",
                    '5,000 unknown parameters ignored: "p0", "p1", "p2", "p3", "p4" and 4,995 more']:
        assert problem in text, text
    assert "got 0" not in text and len(text) < 1_000, len(text)
    assert page.get_by_label("makemore names.txt").is_checked()  # the first dataset
    assert page.locator("#experiment-notice").get_attribute("data-experiment") == "lr-too-high"
