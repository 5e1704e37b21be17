// Run a Python file in the project's own Pyodide (node_modules/pyodide, the
// runtime the lab ships), with the engine package copied into its file system:
//
//     node tests/engine/pyodide.mjs script.py [args...]
//
// The script's stdout and stderr are Node's; a Python exception exits with 1.
// The repository is mounted at its own path, so the script can read its files
// (tools/bench_steps.py reads data/names.txt).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const indexURL = `${root}node_modules/pyodide/`;
const [script, ...args] = process.argv.slice(2);

let loadPyodide;
try {
  ({ loadPyodide } = await import(pathToFileURL(`${indexURL}pyodide.mjs`).href));
} catch (error) {
  console.error(`no Pyodide at ${indexURL} (${error.code || error.message}): run npm ci (python3 build.py test does)`);
  process.exit(2);
}
const py = await loadPyodide({ indexURL });
py.FS.mkdirTree("/engine/microgpt_lab");
for (const name of readdirSync(`${root}py/microgpt_lab`).filter((n) => n.endsWith(".py"))) {
  py.FS.writeFile(`/engine/microgpt_lab/${name}`, readFileSync(`${root}py/microgpt_lab/${name}`));
}
py.FS.writeFile("/engine/script.py", readFileSync(script));
py.FS.mkdirTree(root);
py.FS.mount(py.FS.filesystems.NODEFS, { root }, root);
py.globals.set("argv", py.toPy(["/engine/script.py", ...args]));
try {
  py.runPython(`
import runpy, sys
sys.path.insert(0, "/engine")
sys.argv = list(argv)
runpy.run_path(sys.argv[0], run_name="__main__")
`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
