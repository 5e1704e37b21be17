"""The site anywhere: under a sub-path, offline after the first visit (the
service worker's precache and its cross-origin isolation), and a new version
deployed during a run, which waits and takes over on a later load."""

import json
import shutil
import threading

from helpers import (TOL, latest_loss, native_losses, new_session, open_lab, run_to_end, wait_status, wait_steps,
                     wait_until)
from tools.server import make_server


def test_served_under_a_sub_path(lab_page, serve_site, dist_dir):
    page = lab_page
    url = serve_site("/some/lab/")
    open_lab(page, url)
    new_session(page, num_steps=20)
    page.get_by_role("button", name="Step").click()
    wait_steps(page, 1)
    assert abs(latest_loss(page) - native_losses(dist_dir, 1, num_steps=20)[0]) < TOL
    assert all(u.startswith(url) for u in lab_page_requests(page, url))


def lab_page_requests(page, url):
    """Same-origin requests made by the page: all of them under the sub-path."""
    origin = url.split("/some/")[0]
    return [u for u in page.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")
            if u.startswith(origin)]


def test_offline_after_first_visit(lab_page, site_url, dist_dir):
    page = lab_page
    open_lab(page, site_url)
    # The first install claims the page; then everything is precached.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.context.set_offline(True)
    try:
        seconds = open_lab(page, site_url)
        print(f"\noffline reload -> ready: {seconds:.2f} s")
        assert page.evaluate("() => self.crossOriginIsolated")
        assert page.evaluate("() => window.lab.state.isolated")
        session = new_session(page, num_steps=30)
        run_to_end(page, session)
        steps = page.evaluate("() => window.lab.steps()")
        assert [s["step"] for s in steps] == list(range(1, 31))
        expected = native_losses(dist_dir, 30)
        assert max(abs(s["loss"] - e) for s, e in zip(steps, expected)) < TOL
    finally:
        page.context.set_offline(False)


# The page after a load: "new" once the new version has taken over (its cache
# alone), "old" once it carries on with the old one (the app started, and the
# new version still waits): a page that takes over reloads before the app starts.
TAKEOVER = """async (name) => {
    if ((await caches.keys()).join() === name) return "new";
    const waiting = (await navigator.serviceWorker.getRegistration())?.waiting;
    return window.lab && waiting ? "old" : null;
}"""


def test_service_worker_update_never_interrupts_a_run(lab_page, dist_dir, tmp_path):
    """A new build installs while a run goes on and waits; the next load, once
    the page is alone, uses it."""
    site = tmp_path / "site"
    shutil.copytree(dist_dir, site)
    server = make_server(site, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = lab_page
        url = server.url
        open_lab(page, url)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        version = json.loads((site / "manifest.json").read_text())["version"]
        assert page.evaluate("() => caches.keys()") == [f"microgpt-lab-{version}"]
        new_session(page, num_steps=100_000)  # still running after the update check a minute later
        page.get_by_role("button", name="Run").click()
        wait_steps(page, 5)

        # A new build is deployed: new service-worker bytes, a new cache name.
        sw = site / "sw.js"
        stamped = f'"version":"{version}"'
        assert stamped in sw.read_text()
        sw.write_text(sw.read_text().replace(stamped, f'"version":"{version}-next"'))
        other = page.context.new_page()
        other.goto(url)  # it watches the running session: its status says "running"
        wait_until(other, "() => Boolean(window.lab) && window.lab.state.phase === 'ready'", timeout=90)
        # While a page it controls trains, Chromium puts off the update check
        # by about a minute (measured: sw.js fetched 52-59 s later; 3 s with no
        # run), hence the long wait.
        wait_until(other, "async () => Boolean((await navigator.serviceWorker.getRegistration()).waiting)",
                   timeout=180)
        other.close()

        # The run went on untouched, still served by the old version.
        done = int(page.get_by_role("progressbar").get_attribute("aria-valuenow"))
        wait_steps(page, done + 20)
        assert page.locator("#status").text_content() == "running"
        assert f"microgpt-lab-{version}" in page.evaluate("() => caches.keys()")
        page.get_by_role("button", name="Pause").click()
        wait_status(page, "paused")

        # The next load: alone, the page lets the new version take over. Right
        # after a reload the tab's previous document can still count as a
        # window; the page asks again for 1.5 s, and on a loaded runner that
        # may not be enough ("old"); the take-over has also been seen to stall
        # past 30 s. So one more load is allowed (noted on issue 6).
        new = f"microgpt-lab-{version}-next"
        page.reload()
        try:
            first = wait_until(page, TAKEOVER, new, timeout=30)
        except AssertionError:
            first = "stalled"
        if first != "new":
            page.reload()
            assert wait_until(page, TAKEOVER, new) == "new"
        wait_until(page, "() => Boolean(window.lab) && window.lab.state.phase === 'ready'", timeout=90)
        wait_status(page, "paused")  # the session, as it was left
    finally:
        server.shutdown()
        server.server_close()
