// The engine worker: a thin adapter between the protocol (protocol.js) and
// the Python module microgpt_lab.lab. Boots in named stages, then maps each
// request to one lab call. Python returns JSON strings; they are parsed once.

import {
  BOOT_STAGES, CONTROL, LEVEL, MESSAGE, REQUEST, RUN_REASON,
  lastLine, reply, replyError,
} from "./protocol.js";

const SITE = new URL("../", import.meta.url);

// ---- boot -----------------------------------------------------------------

const PYODIDE_URL = new URL("pyodide/", SITE).href;

const SNAPSHOT_URL = new URL("pyodide/snapshot.bin.gz", SITE); // build.py SNAPSHOT

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

// Python as the build left it, engine imported (build.py make_snapshot): a
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
    stage = name;
    const t = performance.now();
    const value = await fn();
    timings[name] = Math.round(performance.now() - t);
    post({ type: MESSAGE.BOOT, stage: name, ms: timings[name] });
    return value;
  };
  try {
    const manifest = await timed("manifest", async () => {
      const response = await fetch(new URL("manifest.json", SITE));
      if (!response.ok) throw new Error(`manifest.json: HTTP ${response.status}`);
      return response.json();
    });
    const restored = await timed("runtime", () => restoreSnapshot().catch((error) => {
      console.warn(`snapshot unusable (${error.message}): starting Python from scratch`);
      return null;
    }));
    // Without the snapshot: start Python, then load the engine wheel by URL.
    const pyodide = restored ?? await timed("packages", async () => {
      const fresh = await loadPyodide();
      await fresh.loadPackage(new URL(manifest.engine_wheel, SITE).href, { messageCallback: () => {} });
      return fresh;
    });
    const lab = await timed("import", () => pyodide.pyimport("microgpt_lab.lab"));
    timings.total = Math.round(performance.now() - t0);
    return { pyodide, lab, timings, version: manifest.version };
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

function createAdapter(engine, post) {
  const { lab } = engine;
  const yieldNow = createYielder();
  const runs = new Map(); // session -> {pause: bool}
  let control = null; // Int32Array over the page's SharedArrayBuffer

  // Call one lab function; JSON in, parsed JSON out; errors as thrown Error.
  // An interrupt (the page wrote SIGINT) may land mid-step and leave the
  // session half-updated: the session is dropped and the error says so
  // (`dropped`), so the page restores it from its last checkpoint.
  const call = (fn, ...args) => {
    let text;
    try {
      text = lab[fn](...args);
    } catch (error) {
      const failure = new Error(lastLine(error.message));
      if (error.type === "KeyboardInterrupt" && typeof args[0] === "string") {
        lab.close(args[0]);
        failure.message = "interrupted";
        failure.dropped = args[0];
      }
      throw failure;
    }
    const value = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value) && typeof value.error === "string") {
      throw new Error(value.error);
    }
    return value;
  };

  // A SIGINT written after the run it was meant for has ended must not hit
  // the next call.
  const clearInterrupt = () => {
    if (control && runs.size === 0) Atomics.store(control, CONTROL.INTERRUPT, 0);
  };

  const notRunning = (session) => {
    if (runs.has(session)) throw new Error(`session ${session} is running; pause it first`);
  };

  async function run(id, { session, steps, checkpoint_every, full_every_ms }) {
    notRunning(session);
    const state = { pause: false };
    runs.set(session, state);
    let lastFull = -Infinity;
    let step = null;
    let reason = RUN_REASON.DONE;
    try {
      for (let i = 0; i < steps; i++) {
        if (state.pause) {
          reason = RUN_REASON.PAUSED;
          break;
        }
        const now = performance.now();
        const full = now - lastFull >= full_every_ms;
        if (full) lastFull = now;
        const event = call("step", session, full ? LEVEL.FULL : LEVEL.LOSS);
        step = event.step;
        const message = { type: MESSAGE.EVENT, id, session, event };
        if (checkpoint_every > 0 && step % checkpoint_every === 0 && i < steps - 1) {
          message.checkpoint = call("checkpoint", session);
        }
        post(message);
        if (step >= event.num_steps) break;
        await yieldNow();
      }
      if (state.pause) reason = RUN_REASON.PAUSED;
    } finally {
      runs.delete(session);
      clearInterrupt();
    }
    const checkpoint = call("checkpoint", session);
    return { session, step: checkpoint.step ?? step, reason, checkpoint };
  }

  const handlers = {
    [REQUEST.OPEN]: ({ session, config, text }) => {
      notRunning(session);
      return call("open", session, JSON.stringify(config), text);
    },
    [REQUEST.RESTORE]: ({ session, checkpoint, text }) => {
      notRunning(session);
      return call("restore", session, JSON.stringify(checkpoint), text);
    },
    [REQUEST.STEP]: ({ session, level }) => {
      notRunning(session);
      return call("step", session, level || LEVEL.FULL);
    },
    [REQUEST.RUN]: (message) => run(message.id, message),
    [REQUEST.PAUSE]: ({ session }) => {
      const state = runs.get(session);
      if (state) state.pause = true;
      return { session, was_running: Boolean(state) };
    },
    [REQUEST.RESET]: ({ session }) => {
      notRunning(session);
      return call("reset", session);
    },
    [REQUEST.SAMPLE]: ({ session, num_samples, temperature }) =>
      call("sample", session, num_samples, temperature),
    [REQUEST.CHECKPOINT]: ({ session }) => call("checkpoint", session),
    [REQUEST.CLOSE]: ({ session }) => {
      notRunning(session);
      return call("close", session);
    },
    [REQUEST.CHECK_CONFIG]: ({ config }) => call("check_config", JSON.stringify(config)),
    [REQUEST.CHECK_TRACE]: ({ text }) => call("check_trace", text),
    // Probes: allowed during a run; they land between two steps.
    [REQUEST.INSPECT]: ({ session, name }) => call("inspect_matrix", session, name),
    [REQUEST.EMBEDDING]: ({ session }) => call("embedding_map", session),
    [REQUEST.PROBE]: ({ session, context }) => call("probe", session, context),
    [REQUEST.CONSOLE]: ({ session, code }) => call("console", session, code),
  };

  return {
    setControl(buffer) {
      control = new Int32Array(buffer);
      // pyodide reads index 0 of the array it is given: CONTROL.INTERRUPT.
      engine.pyodide.setInterruptBuffer(new Int32Array(buffer, CONTROL.INTERRUPT * 4, 1));
    },
    async handle(message) {
      const handler = handlers[message.type];
      if (!handler) {
        post(replyError(message.id, `unknown request type: ${message.type}`));
        return;
      }
      if (message.type !== REQUEST.RUN) clearInterrupt();
      try {
        post(reply(message.id, await handler(message)));
      } catch (error) {
        const answer = replyError(message.id, error && error.message ? error.message : error);
        if (error && error.dropped) answer.dropped = error.dropped;
        post(answer);
      }
    },
  };
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

  boot(post).then((engine) => {
    if (!engine) {
      failed = true;
      for (const message of queue.splice(0)) post(replyError(message.id, "the engine failed to start"));
      return;
    }
    adapter = createAdapter(engine, post);
    let interrupt = false;
    if (controlBuffer && self.crossOriginIsolated) {
      adapter.setControl(controlBuffer);
      interrupt = true;
    }
    post({ type: MESSAGE.READY, timings: engine.timings, version: engine.version,
           isolated: self.crossOriginIsolated, interrupt });
    for (const message of queue.splice(0)) adapter.handle(message);
  });
}

main();
