"""Failing storage loses nothing: IndexedDB full mid-run or unavailable, the
lab says so and trains on in memory with the engine's numbers; what IndexedDB
kept is whole. The only stubs in the browser tests are these, of IndexedDB,
injected with page.add_init_script before the page's own scripts run."""

from helpers import check_losses, new_session, open_lab, run_to_end, session_done, stored, wait_steps, wait_until

QUOTA_STUB = """
(() => {
  let writes = 0;
  for (const name of ['put', 'add']) {
    const original = IDBObjectStore.prototype[name];
    IDBObjectStore.prototype[name] = function (...args) {
      writes += 1;
      if (writes > %d) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
  }
})();
"""

NO_IDB_STUB = """
indexedDB.open = () => {
  throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.',
                         'InvalidStateError');
};
"""


def test_quota_exceeded_mid_run_goes_on_in_memory(lab_page, site_url, dist_dir):
    page = lab_page
    page.add_init_script(QUOTA_STUB % 40)
    num_steps = 200
    open_lab(page, site_url)
    session = new_session(page, num_steps=num_steps)
    page.get_by_role("button", name="Run").click()
    notice = page.get_by_role("alert").filter(has_text="QuotaExceededError")
    notice.wait_for()
    assert "Storage full" in notice.text_content() and "in memory" in notice.text_content()
    session_done(page, session)
    check_losses(page, session, dist_dir, num_steps)  # from the in-memory store
    # IndexedDB keeps the last write that fitted, whole: its steps run exactly
    # to the step its record names, and the checkpoint is not beyond it.
    saved = stored(page)
    (record,) = saved["sessions"]
    assert 0 < record["step"] < num_steps
    assert [key[1] for key in saved["steps"]] == list(range(1, record["step"] + 1))
    assert all(c["step"] <= record["step"] for c in saved["checkpoints"])


def test_indexeddb_unavailable_trains_in_memory(lab_page, site_url, dist_dir):
    page = lab_page
    page.add_init_script(NO_IDB_STUB)
    num_steps = 60
    open_lab(page, site_url)
    notice = page.get_by_role("alert").filter(has_text="IndexedDB could not be opened")
    notice.wait_for()
    assert "InvalidStateError" in notice.text_content() and "in memory" in notice.text_content()
    session = new_session(page, num_steps=num_steps)
    run_to_end(page, session)
    check_losses(page, session, dist_dir, num_steps)
    assert page.locator("#form-error").text_content() == ""


DELETE_DATABASE = """() => new Promise((resolve) => {
    const request = indexedDB.deleteDatabase('microgpt-lab');
    request.onsuccess = () => resolve('deleted');
    request.onerror = () => resolve('failed');
})"""


LOST_MID_RUN_STEPS = 300  # the run whose storage goes away at step 60


def run_until_step_60(page, site_url):
    """A 300-step run, running, at step 60 or later; returns its session id."""
    open_lab(page, site_url)
    session = new_session(page, num_steps=LOST_MID_RUN_STEPS)
    page.get_by_role("button", name="Run").click()
    wait_steps(page, 60)
    return session


def finishes_whole(page, session, dist_dir):
    """The run ends with every step, its losses the native engine's, and exports them all."""
    session_done(page, session)
    check_losses(page, session, dist_dir, LOST_MID_RUN_STEPS)
    trace = page.evaluate("(id) => window.lab.trace(id)", session)
    assert [event["step"] for event in trace["steps"]] == list(range(1, LOST_MID_RUN_STEPS + 1))


def test_database_deleted_mid_run_keeps_the_session_in_memory(lab_page, site_url, dist_dir):
    """Another tab (here: this page's own script) deletes the database: this
    tab closes its connection so the deletion goes through (it waited
    forever), says so, and the run goes on in memory with every step."""
    page = lab_page
    session = run_until_step_60(page, site_url)
    assert page.evaluate(DELETE_DATABASE) == "deleted"
    notice = page.get_by_role("alert").filter(has_text="closed its connection")
    notice.wait_for()
    assert "in memory" in notice.text_content() and "Reload" in notice.text_content()
    finishes_whole(page, session, dist_dir)


def test_site_data_cleared_mid_run_keeps_the_session_in_memory(lab_page, site_url, dist_dir):
    """Clear site data mid-run (as the browser's settings do): the session
    stays listed, its run ends with every step, and it still exports."""
    page = lab_page
    session = run_until_step_60(page, site_url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": site_url.rstrip("/"), "storageTypes": "indexeddb"})
    page.get_by_role("alert").filter(has_text="in memory").wait_for()
    finishes_whole(page, session, dist_dir)
    assert [s["id"] for s in page.evaluate("() => window.lab.listSessions()")] == [session]
    # Written back on request, whole, and there after a reload.
    page.get_by_role("button", name="Save these sessions to storage again").click()
    page.get_by_role("alert").filter(has_text="Saved to storage again").wait_for()
    saved = stored(page)
    assert [record["id"] for record in saved["sessions"]] == [session]
    assert [key[1] for key in saved["steps"]] == list(range(1, LOST_MID_RUN_STEPS + 1))
    open_lab(page, site_url)
    wait_until(page, "async (id) => (await window.lab.listSessions()).some((s) => s.id === id && s.status === 'done')",
               session)
