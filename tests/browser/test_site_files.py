"""The built site's files, their server and the runtime (smoke tests): no UI assumptions."""

import dataclasses
import json
import urllib.error
import urllib.request

import pytest

from microgpt_lab.config import Config


def fetch(url):
    """(status, headers, body) of a GET, also for HTTP errors."""
    try:
        with urllib.request.urlopen(url, timeout=10) as res:
            return res.status, res.headers, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.fixture(scope="module")
def manifest(dist_dir):
    return json.loads((dist_dir / "manifest.json").read_text())


def test_manifest_lists_exactly_the_dist_files(dist_dir, manifest):
    on_disk = sorted(p.relative_to(dist_dir).as_posix() for p in dist_dir.rglob("*")
                     if p.is_file() and p.name != "manifest.json")
    assert manifest["files"] == on_disk
    assert len(manifest["version"]) == 12
    for key in ("engine_wheel", "snapshot"):
        assert manifest[key] in manifest["files"]
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                 "python_stdlib.zip", "pyodide-lock.json"):
        assert f"pyodide/{name}" in manifest["files"]
    assert "data/names.txt" in manifest["files"]


def test_service_worker_is_stamped(dist_dir, manifest):
    sw = dist_dir / "sw.js"
    if not sw.exists():
        pytest.skip("web/ has no sw.js yet")
    text = sw.read_text()
    assert '"__BUILD_MANIFEST__"' not in text
    if manifest["version"] not in text:
        pytest.skip("web/sw.js has no \"__BUILD_MANIFEST__\" placeholder")


@pytest.mark.parametrize("path, content_type", [
    ("pyodide/pyodide.asm.wasm", "application/wasm"),
    ("pyodide/pyodide.mjs", "text/javascript"),
    ("pyodide/python_stdlib.zip", "application/zip"),
    ("pyodide/pyodide-lock.json", "application/json"),
    ("vendor/idb/index.js", "text/javascript"),
    ("vendor/uplot/uPlot.esm.js", "text/javascript"),
    ("vendor/uplot/uPlot.min.css", "text/css"),
    ("css/lab.css", "text/css"),
    ("manifest.json", "application/json"),
])
def test_served_with_mime_type(site_url, path, content_type):
    status, headers, _ = fetch(site_url + path)
    assert status == 200
    assert headers.get_content_type() == content_type
    assert headers["Cache-Control"] == "no-cache"


def test_engine_files_served_as_bytes(site_url, manifest, dist_dir):
    for key in ("engine_wheel", "snapshot"):
        status, headers, body = fetch(site_url + manifest[key])
        assert status == 200
        assert headers.get_content_type() == "application/octet-stream"
        assert body == (dist_dir / manifest[key]).read_bytes()


def test_sub_path_serving(serve_site):
    url = serve_site("/lab/")
    assert url.endswith("/lab/")
    root = url[: -len("lab/")]
    assert fetch(url + "manifest.json")[0] == 200
    assert fetch(root + "manifest.json")[0] == 404
    assert fetch(url + "../manifest.json")[0] in (200, 404)  # normalised by urllib
    assert fetch(url + "no-such-file.js")[0] == 404


def test_runtime_boots_and_installs_engine(lab_page, site_url, manifest):
    """pyodide/ holds everything loadPyodide needs, and the engine wheel loads
    offline (the worker's path when the snapshot cannot be used)."""
    # A same-origin page without an icon link: answer the browser's favicon probe.
    lab_page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    lab_page.goto(site_url + "data/names.txt")
    result = lab_page.evaluate(
        """async ([base, engineWheel]) => {
            const { loadPyodide } = await import(base + 'pyodide/pyodide.mjs');
            const py = await loadPyodide({ indexURL: base + 'pyodide/' });
            await py.loadPackage(base + engineWheel);
            return py.runPython(
                'import sys, microgpt_lab; f"{sys.version_info[0]}.{sys.version_info[1]} " + microgpt_lab.__name__');
        }""",
        [site_url, manifest["engine_wheel"]],
    )
    assert result.endswith(" microgpt_lab")


def test_index_page_loads(lab_page, site_url, dist_dir):
    """index.html loads with no console errors and no request leaving 127.0.0.1."""
    if not (dist_dir / "index.html").exists():
        pytest.skip("web/index.html does not exist yet")
    response = lab_page.goto(site_url)
    assert response.status == 200
    lab_page.wait_for_load_state("load")
    assert lab_page.title() != ""



def test_schema_is_built_and_parses(dist_dir, manifest):
    """dist/schema.json: the engine's description of itself, which the page
    reads; it names every field of the engine's Config, in order."""
    assert "schema.json" in manifest["files"]
    schema = json.loads((dist_dir / "schema.json").read_text())
    assert (schema["format"], schema["version"]) == ("microgpt-lab-schema", 1)
    assert [field["name"] for field in schema["config"]] == [f.name for f in dataclasses.fields(Config)]
    assert schema["glossary"] and schema["source"]["stages"]
