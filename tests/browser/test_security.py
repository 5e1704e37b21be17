"""Security: crafted text in a trace, a dataset, a file name or a link is shown
as text, never run as HTML; the Content-Security-Policy allows only the site's
own code, and a run breaks none of it while injected scripts are blocked."""

import json
import re
from urllib.parse import quote

from helpers import native_trace, new_session, open_lab, run_console, run_to_end, travel_to, wait_ready

CRAFTED = '<img src=x onerror="window.__pwned = 1">'


def test_crafted_strings_render_as_text(lab_page, site_url, tmp_path):
    """Whatever a trace, a dataset or a link says is shown as text, never run as HTML."""
    page = lab_page
    data = native_trace(steps=3)
    data["generator"] = CRAFTED
    data["steps"][0]["doc"] = CRAFTED
    data["samples"][0]["samples"] = [CRAFTED, "<script>window.__pwned = 2</script>"]
    path = tmp_path / "<b>x<b>.json"
    path.write_text(json.dumps(data))
    open_lab(page, f"{site_url}?{quote(CRAFTED, safe='')}=1&n_embd=%3Cb%3E")
    assert CRAFTED in page.locator("#url-notice").text_content()
    page.locator("#trace-file").set_input_files(str(path))
    page.wait_for_function("() => window.lab.state.current")
    page.get_by_role("list", name="Samples").get_by_text(CRAFTED).wait_for()
    travel_to(page, 1)
    page.wait_for_function("() => document.querySelector('[data-panel=attention]').dataset.step === '1'")
    assert page.locator("[data-panel=attention]").get_attribute("data-doc") == CRAFTED
    page.get_by_label("Pasted text").check()
    page.get_by_label("Dataset text").fill(CRAFTED + "\n<i>y</i>")
    page.wait_for_function("() => document.querySelector('#dataset-preview').dataset.state === 'ok'")
    assert page.locator("img, script:not([src]), b, i").count() == 0
    assert page.evaluate("() => window.__pwned") is None


VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
"""


def csp_of(dist_dir):
    html = (dist_dir / "index.html").read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_csp_allows_only_own_code(dist_dir):
    csp = csp_of(dist_dir)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["worker-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    # No inline handlers, javascript: URLs or inline scripts in what is served.
    for path in dist_dir.rglob("*"):
        if path.suffix not in (".html", ".js") or "pyodide" in path.parts or "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", text), path
        assert "javascript:" not in text, path
        if path.suffix == ".html":
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path


def test_no_csp_violations_during_a_run_and_injected_scripts_are_blocked(lab_page, page_log, site_url):
    page = lab_page
    page.add_init_script(VIOLATIONS)
    open_lab(page, site_url)
    session = new_session(page, num_steps=30)
    run_to_end(page, session)
    page.get_by_role("button", name="Sample").click()
    page.get_by_role("list", name="Samples").get_by_role("listitem").first.wait_for()
    assert page.evaluate("() => window.__violations") == []

    page_log.allow_errors(r"Content Security Policy")
    ran = page.evaluate("""async () => {
        window.__ran = [];
        const inline = document.createElement('script');
        inline.textContent = 'window.__ran.push("inline")';
        document.head.append(inline);
        const data = document.createElement('script');
        data.src = 'data:text/javascript,window.__ran.push("data")';
        const loaded = new Promise((resolve) => { data.onload = data.onerror = resolve; });
        document.head.append(data);
        await loaded;
        const button = document.createElement('button');
        button.setAttribute('onclick', 'window.__ran.push("handler")');
        document.body.append(button);
        button.click();
        button.remove();
        return window.__ran;
    }""")
    assert ran == []  # an allowed inline script or handler runs at once; the data: script was awaited
    # Violation reports are dispatched as events later: wait for both kinds.
    page.wait_for_function("""() => {
        const seen = new Set(window.__violations.map((v) => v.directive));
        return seen.has('script-src-elem') && seen.has('script-src-attr');
    }""")
    directives = {v["directive"] for v in page.evaluate("() => window.__violations")}
    assert {"script-src-elem", "script-src-attr"} <= directives, directives


def test_the_engine_worker_is_locked_down_once_the_service_worker_serves(lab_page, page_log, site_url):
    """Served through the service worker, the engine worker's own policy
    refuses eval, Function and connections outside the site to console
    code (Pyodide still runs: training works), and pages say
    frame-ancestors 'self'."""
    page = lab_page
    open_lab(page, site_url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    response = page.goto(site_url)
    assert response.headers.get("content-security-policy") == "frame-ancestors 'self'"
    wait_ready(page)
    session = new_session(page, num_steps=30)
    for code in ("import js\njs.eval('1 + 1')", "js.Function('return 1')"):
        status, _, error = run_console(page, code)
        assert status == "error" and "EvalError" in error, error
    run_console(page, "from pyodide.ffi import create_proxy\nrefused = []\n"
                      "js.addEventListener('securitypolicyviolation', create_proxy(lambda e: refused.append(e.violatedDirective)))")
    status, _, error = run_console(page, "request = js.XMLHttpRequest.new()\n"
                                         "request.open('GET', 'http://example.invalid/', False)\nrequest.send()")
    assert status == "error", error
    assert run_console(page, "refused") == ("ok", "['connect-src']", "")
    # Playwright reports the request the policy refused before it left: not a leak.
    page_log.requests = [url for url in page_log.requests if url != "http://example.invalid/"]
    run_to_end(page, session)
