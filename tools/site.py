"""Build steps that copy the site's parts into the staging folder `out`: the
Pyodide runtime, the vendored npm libraries, web/ (with module preloads in
index.html) and the default dataset."""

import json
import re
from pathlib import Path

from tools.common import NODE_MODULES, ROOT, BuildError, check_node, copy_file, log, run

PYODIDE_VERSION = "314.0.7"  # keep in step with package.json
# What loadPyodide() fetches at boot (pyodide.js/.map, the .d.ts and the
# console demos are not needed by a module worker).
PYODIDE_FILES = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
# dist/vendor/<package>/ for each vendored npm package: its ES module entries
# (copied with every relative module they import, paths kept from the entry's
# folder) and other files (copied by name).
VENDOR = {
    "idb": {"modules": ["build/index.js"], "files": ["LICENSE"]},
    "uplot": {"modules": ["dist/uPlot.esm.js"], "files": ["dist/uPlot.min.css", "LICENSE"]},
}
APP_ENTRY = "js/ui/main.js"  # the page's module (web/index.html)


def install_npm() -> None:
    """`npm ci`: exact versions from package-lock.json, no install scripts."""
    check_node()
    run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT)
    log(f"  npm ci: pyodide, {', '.join(VENDOR)} installed from package-lock.json")


def copy_runtime(out: Path) -> None:
    """dist/pyodide/: the core runtime files from the pyodide npm package."""
    src = NODE_MODULES / "pyodide"
    version = json.loads((src / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise BuildError(f"node_modules/pyodide is {version}, tools/site.py expects {PYODIDE_VERSION}")
    for name in PYODIDE_FILES:
        copy_file(src / name, out / "pyodide" / name)
    log(f"  pyodide {version}: {len(PYODIDE_FILES)} runtime files")


def module_imports(js: str) -> list:
    """Relative module specifiers imported or re-exported by an ES module."""
    pattern = r"""(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}/[^'"]+)['"]|import\s*['"](\.{1,2}/[^'"]+)['"]"""
    return [a or b for a, b in re.findall(pattern, js)]


def module_graph(entry: Path) -> set:
    """The ES module `entry` and every module it imports, directly or not."""
    todo, seen = [entry], set()
    while todo:
        path = todo.pop().resolve()
        if path not in seen:
            seen.add(path)
            todo += [path.parent / spec for spec in module_imports(path.read_text())]
    return seen


def copy_vendor(out: Path) -> None:
    """dist/vendor/: the packages of VENDOR, with their licences."""
    for name, parts in VENDOR.items():
        package, dst = NODE_MODULES / name, out / "vendor" / name
        count = 0
        for entry in parts["modules"]:
            base = (package / entry).parent.resolve()
            for path in module_graph(package / entry):
                copy_file(path, dst / path.relative_to(base))
                count += 1
        for file in parts["files"]:
            copy_file(package / file, dst / Path(file).name)
        version = json.loads((package / "package.json").read_text())["version"]
        log(f"  vendor: {name} {version} ({count} module file(s))")


def copy_web(out: Path) -> None:
    """dist/: everything in web/ (index.html, js/, css/, sw.js ...)."""
    web = ROOT / "web"
    if not web.is_dir():
        log("  web/: not found, the site has no page yet (skipped)")
        return
    count = 0
    for path in sorted(web.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            copy_file(path, out / path.relative_to(web))
            count += 1
    log(f"  web: {count} files")


def preload_modules(out: Path) -> None:
    """<link rel="modulepreload"> in dist/index.html for every module the page
    imports: the browser fetches all of them at once instead of one level of
    the import graph after another (the recording shows that much sooner)."""
    index, entry = out / "index.html", out / APP_ENTRY
    if not (index.exists() and entry.exists()):
        return
    modules = sorted(p.relative_to(out.resolve()).as_posix() for p in module_graph(entry) - {entry.resolve()})
    script = f'<script type="module" src="{APP_ENTRY}"></script>'
    html = index.read_text(encoding="utf-8")
    if script not in html:
        raise BuildError(f"web/index.html no longer loads {APP_ENTRY} with {script}: update tools/site.py APP_ENTRY")
    links = "".join(f'<link rel="modulepreload" href="{rel}">\n  ' for rel in modules)
    index.write_text(html.replace(script, links + script), encoding="utf-8")
    log(f"  index.html: {len(modules)} module preloads")


def copy_data(out: Path) -> None:
    """dist/data/names.txt from data/names.txt."""
    copy_file(ROOT / "data" / "names.txt", out / "data" / "names.txt")
    log("  data: names.txt")
