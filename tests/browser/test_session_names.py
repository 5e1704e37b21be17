"""Sessions a learner can tell apart (#13, problem 3): names made from what
sets each session apart, renaming, the shown session's settings, and deleting
one session or all of them, with their stored data and nothing else."""

from helpers import alert_says, new_session, open_lab, set_field, stored, take_steps, wait_ready, wait_until


def name_button(page, session):
    return page.locator(f'#sessions tr[data-session="{session}"] [data-role=name]')


def dataset_count(page):
    return page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open('microgpt-lab');
        open.onsuccess = () => {
            const db = open.result;
            const request = db.transaction('datasets').objectStore('datasets').count();
            request.onsuccess = () => { db.close(); resolve(request.result); };
        };
    })""")


def samples_of(page, session):
    return page.evaluate("(id) => window.lab.samples(id)", session)


def test_names_from_settings_rename_and_the_settings_shown(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    plain = new_session(page, num_steps=20)
    slow = new_session(page, num_steps=20, learning_rate=0.003)
    page.wait_for_function("() => document.querySelectorAll('#sessions tbody tr').length === 2")
    assert name_button(page, plain).text_content() == "names"  # the steps are in their own column
    assert name_button(page, slow).text_content() == "lr 0.003 · names"

    # The shown session's settings, the differing ones marked.
    learning_rate = page.locator('.session-config dd[data-field="learning_rate"]')
    assert learning_rate.text_content().startswith("0.003")
    assert "differs" in learning_rate.get_attribute("class")
    # Selecting the other session shows its settings, not the form's.
    name_button(page, plain).click()
    page.wait_for_function("() => document.querySelector('.session-config dd[data-field=learning_rate]')"
                           ".textContent === '0.01'")

    # The compare panel names its runs the same way.
    compare = page.locator("[data-panel=compare]")
    compare.get_by_role("columnheader", name="lr 0.003 · names").wait_for()
    compare.get_by_label("lr 0.003 · names").wait_for()

    # Rename with the keyboard: Enter keeps it, and it stays after a reload.
    page.get_by_role("button", name="Rename session lr 0.003 · names").click()
    box = page.get_by_label("New name for session lr 0.003 · names", exact=False)
    box.fill("slow learner")
    box.press("Enter")
    page.wait_for_function("(id) => document.querySelector(`#sessions tr[data-session=\"${id}\"] [data-role=name]`)"
                           "?.textContent === 'slow learner'", arg=slow)
    page.wait_for_function("() => document.activeElement.dataset.role === 'name'")
    compare.get_by_role("columnheader", name="slow learner").wait_for()
    page.reload()
    wait_ready(page)
    page.wait_for_function("(id) => document.querySelector(`#sessions tr[data-session=\"${id}\"] [data-role=name]`)"
                           "?.textContent === 'slow learner'", arg=slow)

    # Escape cancels; an empty name gives back the one made from the settings.
    page.get_by_role("button", name="Rename session slow learner").click()
    box = page.get_by_label("New name for session slow learner", exact=False)
    box.fill("never kept")
    box.press("Escape")
    assert name_button(page, slow).text_content() == "slow learner"
    page.get_by_role("button", name="Rename session slow learner").click()
    box = page.get_by_label("New name for session slow learner", exact=False)
    box.fill("")
    box.press("Enter")
    page.wait_for_function("(id) => document.querySelector(`#sessions tr[data-session=\"${id}\"] [data-role=name]`)"
                           "?.textContent === 'lr 0.003 · names'", arg=slow)

    # Reuse these settings: the form takes the shown session's config.
    name_button(page, slow).click()
    page.wait_for_function("(id) => window.lab.state.current === id", arg=slow)
    set_field(page, "learning_rate", 0.02)
    set_field(page, "num_steps", 1000)
    page.get_by_role("button", name="Reuse these settings").click()
    assert page.locator("#cfg-learning_rate").input_value() == "0.003"
    assert page.locator("#cfg-num_steps").input_value() == "20"


def test_delete_one_and_all_with_their_stored_data(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    kept = new_session(page, num_steps=20)
    take_steps(page, 1)
    page.locator('input[name=dataset][value=paste]').check()
    page.locator("#dataset-text").fill("anna\nbob\ncarl\n")
    own = new_session(page, num_steps=20)
    take_steps(page, 2)
    page.get_by_role("button", name="Sample").click()
    wait_until(page, "async (id) => (await window.lab.samples(id)).length === 1", own)
    assert dataset_count(page) == 2

    # Cancelling the confirmation deletes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete session own data").click()
    page.wait_for_function("() => document.querySelectorAll('#sessions tbody tr').length === 2")
    assert len(stored(page)["sessions"]) == 2

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Delete session own data").click()
    page.wait_for_function("() => document.querySelectorAll('#sessions tbody tr').length === 1")
    assert "cannot be undone" in messages[0]
    after = stored(page)
    assert [s["id"] for s in after["sessions"]] == [kept]
    assert {key[0] for key in after["steps"]} == {kept}
    assert [c["session"] for c in after["checkpoints"]] == [kept]
    assert samples_of(page, own) == []
    assert dataset_count(page) == 1  # the pasted text went, the bundled names stay
    # The shown session went: the one left is shown.
    page.wait_for_function("(id) => window.lab.state.current === id", arg=kept)

    new_session(page, num_steps=30)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete all sessions").click()
    page.wait_for_function("() => !document.querySelector('#sessions tbody tr')")
    wait_ready(page)
    after = stored(page)
    assert after["sessions"] == [] and after["steps"] == [] and after["checkpoints"] == []
    assert dataset_count(page) == 0


def test_a_session_training_in_another_tab_is_not_deleted_here(lab_page, site_url):
    first = lab_page
    open_lab(first, site_url)
    session = new_session(first, num_steps=20)
    take_steps(first, 1)
    second = first.context.new_page()
    open_lab(second, site_url)
    second.wait_for_function("(id) => window.lab.state.current === id", arg=session)
    second.once("dialog", lambda dialog: dialog.accept())
    second.get_by_role("button", name="Delete session names").click()
    second.wait_for_function("() => document.querySelector('#form-error').textContent.includes('another tab')")
    assert [s["id"] for s in stored(second)["sessions"]] == [session]
    second.close()


def rename(page, session, typed):
    name_button(page, session).wait_for()
    page.locator(f'#sessions tr[data-session="{session}"] [data-role=rename]').click()
    box = page.locator("#sessions input.rename")
    box.fill(typed)
    box.press("Enter")


def test_a_name_is_cut_between_characters_and_never_invisible(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    session = new_session(page, num_steps=20)
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one character to a reader, 8 UTF-16 units
    rename(page, session, "a" + family * 100)
    expected = "a" + family * 79
    page.wait_for_function("([id, name]) => document.querySelector(`#sessions tr[data-session=\"${id}\"] "
                           "[data-role=name]`)?.textContent === name", arg=[session, expected])
    listed = page.evaluate("async (id) => (await window.lab.listSessions()).find((s) => s.id === id).name", session)
    assert listed == expected

    rename(page, session, "\u200b\u200b\u200b")  # only zero-width spaces: it showed a blank name
    assert "needs at least one visible character" in alert_says(page, "visible character")
    page.wait_for_function("([id, name]) => document.querySelector(`#sessions tr[data-session=\"${id}\"] "
                           "[data-role=name]`)?.textContent === name", arg=[session, expected])
    assert page.evaluate("async (id) => (await window.lab.listSessions()).find((s) => s.id === id).name",
                         session) == expected
