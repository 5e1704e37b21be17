"""Failing storage loses nothing: IndexedDB full mid-run or unavailable, the
lab says so and trains on in memory with the engine's numbers; what IndexedDB
kept is whole. The only stubs in the browser tests are these, of IndexedDB,
injected with page.add_init_script before the page's own scripts run."""

from helpers import check_losses, new_session, open_lab, run_to_end, session_done, stored

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
