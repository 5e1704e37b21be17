// Saves the boot snapshot: Python's memory with the engine imported, which
// the worker restores instead of starting Python (tools/engine_files.py
// make_snapshot runs it under Node with the site's own Pyodide).
//
//   node tools/snapshot.mjs <pyodide dir/> <engine wheel> <output .bin.gz>
//
// The wheel is unpacked into site-packages with zipfile (loadPackage would
// leave JavaScript references that a snapshot cannot hold), then every module
// of the package is imported, so the snapshot holds whichever of them the
// worker uses.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [indexURL, wheel, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const py = await loadPyodide({ indexURL, _makeSnapshot: true });
py.FS.writeFile("/tmp/engine.whl", readFileSync(wheel));
py.runPython(`
import importlib, pkgutil, site, zipfile
zipfile.ZipFile("/tmp/engine.whl").extractall(site.getsitepackages()[0])
import microgpt_lab
for module in pkgutil.iter_modules(microgpt_lab.__path__):
    if module.name != "__main__":  # the command line: importing it would run it
        importlib.import_module(f"microgpt_lab.{module.name}")
`);
writeFileSync(output, gzipSync(py.makeMemorySnapshot(), { level: 6 }));
