// The engine worker: a thin adapter between the protocol (protocol.js) and
// the Python module microgpt_lab.worker. Boots in named stages, then hands
// each request to Python under its own name (the run loop excepted). Python
// answers JSON strings; they are parsed once.

import {
  BOOT_STAGES, CONTROL, ERROR_FIELDS, LEARNER_CODE, LEVEL, MESSAGE, PAUSE, REFUSED_WHILE_RUNNING, RUN, RUN_REASON,
  lastLine, pick, reply, replyError,
} from "./protocol.js";

const SITE = new URL("../../", import.meta.url);

// ---- boot -----------------------------------------------------------------

const PYODIDE_URL = new URL("pyodide/", SITE).href;

const SNAPSHOT_URL = new URL("pyodide/snapshot.bin.gz", SITE); // tools/engine_files.py SNAPSHOT

// Started as soon as the worker runs, side by side: Pyodide's module, the
// snapshot (downloaded and decompressed) and the manifest.
const pyodideModule = import(new URL("pyodide.mjs", PYODIDE_URL).href);
const snapshot = fetch(SNAPSHOT_URL).then(async (response) => {
  if (!response.ok) throw new Error(`${SNAPSHOT_URL.pathname}: HTTP ${response.status}`);
  return new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
});
snapshot.catch(() => {}); // reported when boot() awaits it

async function loadPyodide(options = {}) {
  const { loadPyodide: load } = await pyodideModule;
  return load({ indexURL: PYODIDE_URL, stdout: () => {}, stderr: (line) => console.warn(line), ...options });
}

// Python as the build left it, engine imported (tools/engine_files.py make_snapshot): a
// memory snapshot restores in about 1 s, where starting Python and loading
// the engine takes about 5. Given as a promise, Pyodide fetches and compiles
// its WebAssembly while the snapshot downloads.
function restoreSnapshot() {
  return loadPyodide({ _loadSnapshot: snapshot });
}

async function boot(post) {
  const timings = {};
  const t0 = performance.now();
  let stage = BOOT_STAGES[0];
  const timed = async (name, fn) => {
    const t = performance.now();
    try {
      const value = await fn();
      timings[name] = Math.round(performance.now() - t);
      post({ type: MESSAGE.BOOT, stage: name, ms: timings[name] });
      return value;
    } catch (error) {
      stage = name;
      throw error;
    }
  };
  try {
    // The manifest and the runtime side by side: the restore needs nothing
    // from the manifest, which a cold open gets only after 270-480 ms, queued
    // behind the page's own requests (ready came 25 ms sooner, README).
    const [manifest, restored] = await Promise.all([
      timed("manifest", async () => {
        const response = await fetch(new URL("manifest.json", SITE));
        if (!response.ok) throw new Error(`manifest.json: HTTP ${response.status}`);
        return response.json();
      }),
      timed("runtime", () => restoreSnapshot().catch((error) => {
        console.warn(`snapshot unusable (${error.message}): starting Python from scratch`);
        return null;
      })),
    ]);
    // Without the snapshot: start Python, then load the engine wheel by URL.
    const pyodide = restored ?? await timed("packages", async () => {
      const fresh = await loadPyodide();
      await fresh.loadPackage(new URL(manifest.engine_wheel, SITE).href, { messageCallback: () => {} });
      return fresh;
    });
    const worker = await timed("import", () => pyodide.pyimport("microgpt_lab.worker"));
    timings.total = Math.round(performance.now() - t0);
    return { pyodide, worker, timings, version: manifest.version };
  } catch (error) {
    post({ type: MESSAGE.FATAL, stage, error: lastLine(error && error.message ? error.message : error) });
    return null;
  }
}

// ---- yielding -------------------------------------------------------------

// A MessageChannel round trip lets queued messages (such as "pause") run
// without setTimeout's 4 ms clamp.
function createYielder() {
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () => new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

// ---- the adapter ----------------------------------------------------------

class Adapter {
  #runs = new Map(); // session -> {pause: bool}
  #control = null; // Int32Array over the page's SharedArrayBuffer
  #yieldNow = createYielder();

  constructor(booted, post) {
    Object.assign(this, { booted, post });
  }

  setControl(buffer) {
    this.#control = new Int32Array(buffer);
  }

  // fn() with Python hearing the interrupt slot `slot` (pyodide reads index
  // 0 of the array it is given), and no slot after: a SIGINT meant for one
  // kind of call never lands in another (protocol.js, section 4).
  #listening(slot, fn) {
    const { pyodide } = this.booted;
    if (this.#control) pyodide.setInterruptBuffer(new Int32Array(this.#control.buffer, slot * 4, 1));
    try {
      return fn();
    } finally {
      pyodide.setInterruptBuffer(undefined);
    }
  }

  async handle(message) {
    try {
      this.post(reply(message.id, await this.#answer(message)));
    } catch (error) {
      const failure = replyError(message.id, error && error.message ? error.message : error);
      for (const field of ERROR_FIELDS) if (error?.[field]) failure[field] = error[field];
      this.post(failure);
    }
  }

  // Every request but the worker's own loop goes to Python as it came.
  #answer(message) {
    const { id, type, ...fields } = message;
    if (REFUSED_WHILE_RUNNING.includes(type) && this.#runs.has(fields.session)) {
      throw new Error(`session ${fields.session} is running; pause it first`);
    }
    if (type === RUN) return this.#run(id, fields);
    if (type === PAUSE) return this.#pause(fields);
    if (LEARNER_CODE.includes(type)) return this.#learnerCode(type, fields);
    return this.#call(type, fields);
  }

  // A learner's code hears its own Stop (a SIGINT left from an earlier one
  // is forgotten), not a Pause meant for a run.
  #learnerCode(type, fields) {
    if (this.#control) Atomics.store(this.#control, CONTROL.STOP, 0);
    return this.#listening(CONTROL.STOP, () => this.#call(type, fields));
  }

  // One Python request: microgpt_lab.worker.call(type, fields as JSON)
  // answers JSON, or {"error": ...} naming the problem, thrown as an Error.
  #call(type, fields) {
    let text;
    try {
      text = this.booted.worker.call(type, JSON.stringify(fields));
    } catch (error) {
      throw Object.assign(new Error(lastLine(error.message)), { interrupted: error.type === "KeyboardInterrupt" });
    }
    const value = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value) && typeof value.error === "string") {
      const { error, ...fields } = value;
      throw Object.assign(new Error(error), pick(fields, ERROR_FIELDS));
    }
    return value;
  }

  // A Pause's SIGINT written after the runs it was meant for ended must not
  // pause the next one.
  #clearPause() {
    if (this.#control && this.#runs.size === 0) Atomics.store(this.#control, CONTROL.PAUSE, 0);
  }

  // An interrupt (the page wrote SIGINT to pause a long step) may land
  // mid-step and leave the session half-updated: the run drops the session
  // and says so (`dropped`), so the page restores it from its last checkpoint.
  #stepOfRun(session, level) {
    try {
      return this.#listening(CONTROL.PAUSE, () => this.#call("step", { session, level }));
    } catch (error) {
      if (!error.interrupted) throw error;
      this.#call("close", { session });
      throw Object.assign(new Error("interrupted"), { dropped: session });
    }
  }

  async #run(id, { session, steps, checkpoint_every, full_every_ms }) {
    const state = { pause: false };
    this.#runs.set(session, state);
    let lastFull = -Infinity;
    let step = null;
    try {
      for (let i = 0; i < steps && !state.pause; i++) {
        if (this.#pauseRequested()) break;
        const now = performance.now();
        // The run's last step is recorded in full: the panels of a finished
        // run show it, not the last one a timer happened to pick.
        const full = now - lastFull >= full_every_ms || i === steps - 1;
        if (full) lastFull = now;
        const event = this.#stepOfRun(session, full ? LEVEL.FULL : LEVEL.LOSS);
        step = event.step;
        const message = { type: MESSAGE.EVENT, id, session, event };
        if (checkpoint_every > 0 && step % checkpoint_every === 0 && i < steps - 1) {
          message.checkpoint = this.#call("checkpoint", { session });
        }
        this.post(message);
        if (step >= event.num_steps) break;
        await this.#yieldNow();
      }
    } finally {
      this.#runs.delete(session);
      this.#clearPause();
    }
    const checkpoint = this.#call("checkpoint", { session });
    const reason = state.pause ? RUN_REASON.PAUSED : RUN_REASON.DONE;
    return { session, step: checkpoint.step ?? step, reason, checkpoint };
  }

  // A SIGINT written while the worker did something else (loaded the
  // session, answered a panel) is a Pause that came before the step it was
  // meant to cut short: the run stops here, between steps.
  #pauseRequested() {
    if (!this.#control || Atomics.load(this.#control, CONTROL.PAUSE) === 0) return false;
    Atomics.store(this.#control, CONTROL.PAUSE, 0);
    for (const state of this.#runs.values()) state.pause = true;
    return true;
  }

  #pause({ session }) {
    const state = this.#runs.get(session);
    if (state) state.pause = true;
    return { session, was_running: Boolean(state) };
  }
}

// ---- wiring ---------------------------------------------------------------

function main() {
  const post = (message) => self.postMessage(message);
  const queue = [];
  let adapter = null;
  let controlBuffer = null;
  let failed = false;

  self.onmessage = ({ data }) => {
    if (data && data.type === MESSAGE.CONTROL) {
      controlBuffer = data.buffer;
      if (adapter && self.crossOriginIsolated) adapter.setControl(controlBuffer);
      return;
    }
    if (failed) post(replyError(data.id, "the engine failed to start"));
    else if (adapter) adapter.handle(data);
    else queue.push(data);
  };

  boot(post).then((booted) => {
    if (!booted) {
      failed = true;
      for (const message of queue.splice(0)) post(replyError(message.id, "the engine failed to start"));
      return;
    }
    adapter = new Adapter(booted, post);
    let interrupt = false;
    if (controlBuffer && self.crossOriginIsolated) {
      adapter.setControl(controlBuffer);
      interrupt = true;
    }
    post({ type: MESSAGE.READY, timings: booted.timings, version: booted.version,
           isolated: self.crossOriginIsolated, interrupt });
    for (const message of queue.splice(0)) adapter.handle(message);
  });
}

main();
