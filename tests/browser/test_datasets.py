"""Datasets: your own text (a file or pasted) is previewed before training,
trains with the engine's numbers and is stored with the session; bad files are
refused naming the problem, changing nothing that was saved."""

from helpers import (TOL, alert_says, expect_progress, latest_loss, new_session, one_stored_step, open_lab, stored,
                     take_steps, wait_ready, wait_steps)

from microgpt_lab.config import Config
from microgpt_lab.session import Session


def test_own_data_preview_trains_and_survives_a_reload(lab_page, site_url, tmp_path):
    page = lab_page
    text = "3141\n2718\n1618\n\n0577\n9\n"
    path = tmp_path / "digits.txt"
    path.write_text(text)
    open_lab(page, site_url)
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill("\n  \n")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'error'")
    assert "only blank lines" in page.locator("#dataset-preview").text_content()
    page.get_by_label("My text file").check()
    page.get_by_label("Dataset file").set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    preview = page.locator("#dataset-preview").text_content()
    assert "5 documents" in preview and "longest line 4 characters (line 1)" in preview
    assert page.locator("#dataset-preview .vocab").text_content() == "0123456789"
    session = new_session(page, num_steps=10)
    take_steps(page, 1)
    native = Session.from_text(Config(num_steps=10), text)
    expected = [native.step("loss")["loss"] for _ in range(2)]
    assert abs(latest_loss(page) - expected[0]) < TOL
    assert "vocabulary 10 + BOS: 0123456789" in page.locator("#session-info").text_content()

    # The dataset is stored with the session: after a reload it trains on.
    page.reload()
    wait_ready(page)
    page.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    take_steps(page, 1)
    wait_steps(page, 2)
    assert abs(latest_loss(page) - expected[1]) < TOL


BAD_DATASETS = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"\n   \r\n\t\n\r\n", "only blank lines"),
    ("nul.bin", b"anna\x00\x01\x02bob\n" * 10, "binary file (it contains NUL characters)"),
    ("latin1.txt", "zoë\ncafé\n".encode("latin-1"), "not valid UTF-8"),
    ("control.txt", b"a\x01b\x02c\x03\n" * 20, "control characters"),
    ("big.txt", b"anna\n" * (4 * 1024 * 1024), "the file is 20.0 MB, over the limit of 10 MB"),
    ("many.txt", b"a\n" * 200_001, "200,001 documents"),
    ("long.txt", b"anna\r\nbob\n" + b"x" * 1001 + b"\n", "line 3 is 1,001 characters long"),
]


def test_bad_datasets_are_refused_and_nothing_changes(lab_page, site_url, tmp_path):
    page = lab_page
    kept, before = one_stored_step(page, site_url)
    assert len(before["sessions"]) == 1

    page.get_by_label("My text file").check()
    for name, content, problem in BAD_DATASETS:
        path = tmp_path / name
        path.write_bytes(content)
        page.get_by_label("Dataset file").set_input_files(str(path))
        page.get_by_role("button", name="New session").click()
        message = alert_says(page, f"Dataset {name}: ")
        assert problem in message, message
        assert page.evaluate("() => window.lab.state.current") == kept
        assert page.locator("#status").text_content() == "ready"
    after = stored(page)
    assert after == before  # nothing saved changed: same records, steps, checkpoints

    # Mixed line endings, non-ASCII and emoji train (the vocabulary is whatever appears).
    text = "anna\r\nbob\rzoë\n\n😀 ok\n  café  \n"
    path = tmp_path / "mixed.txt"
    path.write_bytes(text.encode("utf-8"))
    page.get_by_label("Dataset file").set_input_files(str(path))
    session = new_session(page, num_steps=20)
    assert page.locator("#form-error").text_content() == ""
    page.get_by_role("button", name="Step").click()
    expect_progress(page, 1, 20)
    native = Session.from_text(Config(num_steps=20), text).step(level="loss")["loss"]
    assert abs(latest_loss(page) - native) < TOL
    trace = page.evaluate("(id) => window.lab.trace(id)", session)
    assert trace["dataset"]["num_docs"] == 5
    assert "😀" in trace["dataset"]["vocab"] and "ë" in trace["dataset"]["vocab"]


def paste(page, text, times=1):
    """Put `text` (`times` over) in the pasted-text box as a paste would (fill() types 12 MB too slowly,
    and the text is repeated in the page: handing it 12 MB takes longer still)."""
    page.get_by_label("Pasted text").check()
    page.evaluate("""([text, times]) => {
        const box = document.querySelector('#dataset-text');
        box.value = text.repeat(times);
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }""", [text, times])


def preview_says(page, state):
    page.wait_for_function("(state) => document.querySelector('#dataset-preview').dataset.state === state", arg=state)
    return page.locator("#dataset-preview").text_content()


def test_one_size_limit_for_a_file_and_pasted_text(lab_page, site_url, tmp_path):
    """The engine's limit holds for pasted text too (12.1 MB was accepted),
    and a file one byte over it is not said to be 10.0 MB over 10.0 MB."""
    page = lab_page
    kept, before = one_stored_step(page, site_url)
    paste(page, "a" * 1023 + "\n", 12 * 1024)  # long lines: a textarea of millions of short ones takes seconds
    assert preview_says(page, "error") == "Dataset pasted text: the text is 12.0 MB, over the limit of 10 MB"
    page.get_by_role("button", name="New session").click()
    assert alert_says(page, "Dataset pasted text: ") == "Dataset pasted text: the text is 12.0 MB, over the limit of 10 MB"

    path = tmp_path / "just-over.txt"
    path.write_bytes((b"a" * 999 + b"\n") * 10485 + b"a" * 760 + b"\n")  # 10 MiB + 1 byte
    page.get_by_label("My text file").check()
    page.get_by_label("Dataset file").set_input_files(str(path))
    assert preview_says(page, "error") == ("Dataset just-over.txt: the file is 10,485,761 bytes, over the limit of "
                                           "10,485,760 bytes (10 MB)")
    path = tmp_path / "at-the-limit.txt"
    path.write_bytes((b"a" * 999 + b"\n") * 10485 + b"a" * 759 + b"\n")  # exactly the limit: fine
    page.get_by_label("Dataset file").set_input_files(str(path))
    assert preview_says(page, "ok").startswith("10,486 documents")
    assert page.evaluate("() => window.lab.state.current") == kept and stored(page) == before


def test_half_a_character_is_refused_before_the_preview_accepts_it(lab_page, site_url):
    page = lab_page
    kept, before = one_stored_step(page, site_url)
    paste(page, "emma\nav\ud800a\nmia\n")  # a lone surrogate: JavaScript strings can hold one
    problem = ("Dataset pasted text: line 2, character 3 is half of a character (the lone surrogate U+D800): "
               "the text was cut or copied badly there; remove it")
    assert preview_says(page, "error") == problem
    page.get_by_role("button", name="New session").click()
    assert alert_says(page, "Dataset pasted text: ") == problem
    assert page.evaluate("() => window.lab.state.current") == kept and stored(page) == before
    paste(page, "emma\nav\ud83d\ude00a\nmia\n")  # the whole character is fine
    assert "vocabulary 6 characters" in preview_says(page, "ok")
