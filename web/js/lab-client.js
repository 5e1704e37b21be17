// The page-side session API: what the original lab's server offered, now
// backed by the engine worker (protocol.js) and IndexedDB (store.js).
//
//   const client = createLabClient({ workerUrl, store });
//   await client.ready;                        // worker booted (the current one)
//   const id = await client.startSession(config, { text, name });
//   await client.step(id);                     // one step, full instrumentation
//   client.run(id);                            // to num_steps; streams events
//   await client.pause(id);                    // takes effect within one step
//   await client.reset(id);                    // back to step 0, same weights
//   await client.sample(id, 10, 0.5);
//   await client.listSessions();               // [{id, step, num_steps, status, watchers, ...}]
//   const off = client.subscribe((message) => ...);
//   await client.inspectMatrix(id, "wte");     // probes of the live session
//   await client.embeddingMap(id);             // (null when it is not in this
//   await client.probe(id, "em");              // tab's worker), answered
//   await client.runConsole(id, "vocab");      // between two steps of a run
//   const past = await client.modelAt(id, 120); // the model at step 120, for
//   await client.inspectMatrix(past, "wte");   // time travel (null: no data)
//   await client.stepAt(id, 120);              // step 120's full event, recomputed
//   await client.checkConfig(config);          // the engine's verdict, or throws
//   const id = await client.importTrace(text, name); // read-only session
//   client.terminateWorker();                  // fault injection: a new worker
//                                              // boots, runs resume
//
// Subscribers receive:
//   {type: "boot", stage, ms} | {type: "ready", timings, isolated, interrupt}
//   {type: "fatal", stage, error}              no engine (stage "worker": its
//                                              script failed, or workers were
//                                              lost too often to restart)
//   {type: "event", session, event, remote}    one training step
//   {type: "status", session, status, step, num_steps}
//   {type: "sample", session, result}
//   {type: "sessions"}                         the list changed (re-read it)
//   {type: "error", session, error}
//   {type: "restart", session?, message}       the worker crashed or was
//                                              terminated and a new one boots;
//                                              then each run it was doing
//                                              resumes (message says from
//                                              which checkpoint)
//
// Sessions live in this tab's worker while this tab holds the session's Web
// Lock; other tabs see its events and status through the BroadcastChannel.

import {
  BROADCAST, CHANNEL_NAME, CHECKPOINT_EVERY, CONTROL, CONTROL_BYTES,
  FULL_EVERY_MS, LEVEL, MESSAGE, PAUSE_GRACE_MS, REQUEST, RUN_REASON, SESSION_STATUS, SIGINT,
  lastLine, lockName, request,
} from "./protocol.js";

const FLUSH_MS = 250;
const MAX_RESTARTS = 3; // worker restarts allowed within RESTART_WINDOW_MS
const RESTART_WINDOW_MS = 60_000;

const newId = (prefix) => `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;

export function createLabClient({ workerUrl, store }) {
  const tab = newId("t");
  const listeners = new Set();
  const pending = new Map(); // request id -> {resolve, reject, onEvent}
  const sessions = new Map(); // session id -> live state in this tab
  const remote = new Map(); // session id -> {status, step, num_steps} from other tabs
  const watching = new Map(); // tab -> session id (other tabs)
  let watched = null;
  let nextId = 1;
  let writes = Promise.resolve();

  const emit = (message) => {
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (error) {
        console.error(error);
      }
    }
  };

  // ---- the worker ---------------------------------------------------------
  // A worker that crashes once booted (an uncaught error) or is terminated is
  // replaced by a new one (lose): its pending calls fail, its sessions are
  // restored from their last checkpoints by load(), as after a reload, and a
  // run it was doing goes on. A worker that cannot boot is not replaced: it
  // would only fail again.

  const control = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(CONTROL_BYTES)) : null;
  const losses = []; // when workers were lost, within the last RESTART_WINDOW_MS
  let engine = startWorker(); // {worker, ready, settle, booted}

  function startWorker() {
    const worker = new Worker(workerUrl, { type: "module" });
    const current = { worker, booted: false };
    current.ready = new Promise((resolve, reject) => {
      current.settle = { resolve, reject };
    });
    current.ready.catch(() => {});
    if (control) {
      // A SIGINT meant for a lost worker must not hit the new one.
      Atomics.store(control, CONTROL.INTERRUPT, 0);
      worker.postMessage({ type: MESSAGE.CONTROL, buffer: control.buffer });
    }
    worker.onmessage = ({ data }) => {
      if (engine === current) receive(current, data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (engine !== current) return;
      // A Python traceback ends with "ExceptionType: message".
      const message = event.message ? lastLine(event.message) : "the worker failed";
      if (current.booted) lose(`it crashed: ${message}`);
      else fail(current, new Error(message), { type: MESSAGE.FATAL, stage: "worker", error: message });
    };
    return current;
  }

  function receive(current, data) {
    switch (data.type) {
      case MESSAGE.REPLY: {
        const entry = pending.get(data.id);
        if (!entry) return;
        pending.delete(data.id);
        if ("error" in data) entry.reject(Object.assign(new Error(data.error), { dropped: data.dropped }));
        else entry.resolve(data.result);
        return;
      }
      case MESSAGE.EVENT:
        pending.get(data.id)?.onEvent?.(data);
        return;
      case MESSAGE.BOOT:
        emit(data);
        return;
      case MESSAGE.READY:
        current.booted = true;
        current.settle.resolve(data);
        emit(data);
        return;
      case MESSAGE.FATAL:
        current.settle.reject(new Error(`${data.stage}: ${data.error}`));
        emit(data);
        return;
      default:
        console.warn("unknown worker message", data);
    }
  }

  // The engine is unusable: fail its start-up and every call waiting on it.
  function fail(current, error, message) {
    current.settle.reject(error);
    rejectPending(error);
    emit(message);
  }

  function rejectPending(error) {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }

  // The worker is gone: fail what it was doing, forget what it held and start
  // a new one; whoever waits for the old one's start-up waits for the new
  // one's. Restarting forever would hide a crash loop, so it gives up after
  // MAX_RESTARTS within RESTART_WINDOW_MS.
  function lose(reason) {
    const lost = engine;
    if (!lost.worker) return;
    lost.worker.terminate();
    const error = Object.assign(new Error(`The engine worker stopped (${reason})`), { lost: true });
    rejectPending(error);
    for (const state of sessions.values()) state.loaded = false;
    Object.assign(past, { id: null, key: null, event: null }); // time travel's model went with it
    const now = Date.now();
    losses.push(now);
    while (losses[0] <= now - RESTART_WINDOW_MS) losses.shift();
    if (losses.length > MAX_RESTARTS) {
      const fatal = `the engine worker stopped ${losses.length} times within a minute (last: ${reason}); `
        + "reload the page to try again";
      engine = { worker: null, ready: Promise.reject(new Error(fatal)) };
      engine.ready.catch(() => {});
      fail(lost, new Error(fatal), { type: MESSAGE.FATAL, stage: "worker", error: fatal });
      return;
    }
    engine = startWorker();
    lost.settle.resolve(engine.ready);
    emit({ type: "restart", message: `${error.message}; restarting it.` });
  }

  function call(type, fields, onEvent) {
    const { worker, ready } = engine;
    if (!worker) return ready; // gave up: the fatal error
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onEvent });
      worker.postMessage(request(id, type, fields));
    });
  }

  // ---- other tabs ---------------------------------------------------------

  const channel = new BroadcastChannel(CHANNEL_NAME);
  const broadcast = (message) => channel.postMessage({ ...message, tab });
  channel.onmessage = ({ data }) => {
    switch (data.type) {
      case BROADCAST.HELLO:
        broadcast({ type: BROADCAST.WATCH, session: watched });
        for (const state of sessions.values()) broadcastStatus(state);
        return;
      case BROADCAST.WATCH:
        watching.set(data.tab, data.session);
        emit({ type: "sessions" });
        return;
      case BROADCAST.BYE:
        watching.delete(data.tab);
        for (const [id, info] of remote) if (info.tab === data.tab) remote.delete(id);
        emit({ type: "sessions" });
        return;
      case BROADCAST.STATUS:
        remote.set(data.session, { tab: data.tab, status: data.status, step: data.step, num_steps: data.num_steps });
        emit({ type: "status", session: data.session, status: data.status, step: data.step, num_steps: data.num_steps });
        return;
      case BROADCAST.EVENT:
        emit({ type: "event", session: data.session, event: data.event, remote: true });
        return;
      case BROADCAST.SAMPLE:
        emit({ type: "sample", session: data.session, result: data.result, remote: true });
        return;
      case BROADCAST.SESSIONS:
        emit({ type: "sessions" });
        return;
      default:
    }
  };
  broadcast({ type: BROADCAST.HELLO });
  const onPageHide = () => broadcast({ type: BROADCAST.BYE });
  // Back from the back/forward cache: announce this tab again.
  const onPageShow = (event) => {
    if (!event.persisted) return;
    broadcast({ type: BROADCAST.HELLO });
    broadcast({ type: BROADCAST.WATCH, session: watched });
  };
  addEventListener("pagehide", onPageHide);
  addEventListener("pageshow", onPageShow);

  function broadcastStatus(state) {
    broadcast({ type: BROADCAST.STATUS, session: state.id, status: state.status, step: state.step,
                num_steps: state.num_steps });
  }

  // ---- session state ------------------------------------------------------

  // Own a session: hold its Web Lock until the session is closed or the tab
  // goes away. Returns false when another tab owns it.
  function acquire(id) {
    if (!navigator.locks) return Promise.resolve(true);
    return new Promise((resolve) => {
      navigator.locks.request(lockName(id), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise((release) => {
          const state = sessions.get(id);
          if (state) state.release = release;
          else release();
        });
      });
    });
  }

  function setStatus(state, status) {
    state.status = status;
    emit({ type: "status", session: state.id, status, step: state.step, num_steps: state.num_steps });
    broadcastStatus(state);
  }

  // Serialise IndexedDB writes so they land in order.
  function persist(fn) {
    writes = writes.then(fn).catch((error) => {
      console.error("storage:", error);
      emit({ type: "error", session: null, error: `storage: ${error.message}` });
    });
    return writes;
  }

  function flush(state, changes = {}, checkpoint = null) {
    clearTimeout(state.flushTimer);
    state.flushTimer = null;
    const steps = state.unsaved.splice(0);
    return persist(() => store.commit(state.id, { step: state.step, status: state.status, ...changes },
                                      steps, checkpoint));
  }

  function scheduleFlush(state) {
    if (!state.flushTimer) state.flushTimer = setTimeout(() => flush(state), FLUSH_MS);
  }

  function liveState(record) {
    let state = sessions.get(record.id);
    if (!state) {
      state = {
        id: record.id, config: record.config, num_steps: record.num_steps, step: record.step,
        status: record.status, fingerprint: record.fingerprint, loaded: false, owned: false,
        run: null, loading: null, unsaved: [], flushTimer: null, release: null,
      };
      sessions.set(record.id, state);
    }
    return state;
  }

  async function stateFor(id) {
    const existing = sessions.get(id);
    if (existing) return existing;
    const record = await store.getSession(id);
    if (!record) throw new Error(`unknown session ${id}`);
    return liveState(record);
  }

  // Make sure the session is in this tab's worker, restoring it from its
  // latest checkpoint (steps after it are dropped, then recomputed).
  async function load(id) {
    const state = await stateFor(id);
    if (state.loaded) return state;
    // Concurrent callers share one restore.
    state.loading ??= restoreSession(state).finally(() => {
      state.loading = null;
    });
    return state.loading;
  }

  async function restoreSession(state) {
    const { id } = state;
    if (state.status === SESSION_STATUS.IMPORTED) throw new Error(`session ${id} is an imported trace: read-only`);
    await engine.ready;
    if (!state.owned) {
      state.owned = await acquire(id);
      if (!state.owned) throw new Error(`session ${id} is open in another tab`);
    }
    const dataset = await store.getDataset(state.fingerprint);
    if (!dataset) throw new Error(`the dataset of session ${id} is missing`);
    const saved = await store.getCheckpoint(id);
    const summary = saved
      ? await call(REQUEST.RESTORE, { session: id, checkpoint: saved.checkpoint, text: dataset.text })
      : await call(REQUEST.OPEN, { session: id, config: state.config, text: dataset.text });
    state.step = summary.step;
    state.loaded = true;
    await persist(() => store.truncate(id, summary.step));
    return state;
  }

  async function guard(id, fn) {
    try {
      return await fn();
    } catch (error) {
      emit({ type: "error", session: id, error: error.message });
      throw error;
    }
  }

  // ---- the API ------------------------------------------------------------

  async function startSession(config, dataset) {
    return guard(null, async () => {
      await engine.ready;
      const id = newId("s");
      const summary = await call(REQUEST.OPEN, { session: id, config, text: dataset.text });
      const now = Date.now();
      const record = {
        id, config: summary.config, fingerprint: summary.fingerprint, status: SESSION_STATUS.IDLE,
        step: summary.step, num_steps: summary.config.num_steps, run_to: null,
        trace_header: summary.trace_header, vocab: summary.vocab, num_params: summary.num_params,
        num_docs: summary.num_docs, dataset_name: dataset.name || "", created: now, updated: now,
      };
      try {
        await persist(() => store.createSession(record, {
          fingerprint: summary.fingerprint, text: dataset.text, name: dataset.name || "", num_docs: summary.num_docs,
        }));
      } catch (error) {
        await call(REQUEST.CLOSE, { session: id }).catch(() => {});
        throw error;
      }
      const state = liveState(record);
      state.owned = await acquire(id);
      state.loaded = true;
      emit({ type: "sessions" });
      broadcast({ type: BROADCAST.SESSIONS });
      setStatus(state, SESSION_STATUS.IDLE);
      return id;
    });
  }

  // A trace file, checked whole by the engine, becomes a read-only session:
  // the store holds its steps and samples like a trained session's.
  async function importTrace(text, name) {
    return guard(null, async () => {
      await engine.ready;
      const { config } = await call(REQUEST.CHECK_TRACE, { text });
      const { format, version, generator, dataset, steps, samples } = JSON.parse(text);
      const now = Date.now();
      const record = {
        id: newId("i"), config, fingerprint: dataset.fingerprint, status: SESSION_STATUS.IMPORTED,
        step: steps.length ? steps[steps.length - 1].step : 0, num_steps: config.num_steps, run_to: null,
        trace_header: { format, version, generator, config, dataset }, vocab: dataset.vocab, num_params: null,
        num_docs: dataset.num_docs, dataset_name: `imported from ${name}`, created: now, updated: now,
      };
      await store.importSession(record, steps, samples);
      emit({ type: "sessions" });
      broadcast({ type: BROADCAST.SESSIONS });
      return record.id;
    });
  }

  async function step(id) {
    return guard(id, async () => {
      const state = await load(id);
      if (state.run) throw new Error("the session is running; pause it first");
      if (state.step >= state.num_steps) throw new Error(`the session has reached num_steps (${state.num_steps})`);
      const event = await call(REQUEST.STEP, { session: id, level: LEVEL.FULL });
      // Manual steps are human-paced: checkpoint each one so none is lost.
      const checkpoint = await call(REQUEST.CHECKPOINT, { session: id });
      state.step = event.step;
      state.unsaved.push(event);
      const status = state.step >= state.num_steps ? SESSION_STATUS.DONE : SESSION_STATUS.IDLE;
      await flush(state, { status }, checkpoint);
      emit({ type: "event", session: id, event, remote: false });
      broadcast({ type: BROADCAST.EVENT, session: id, event });
      setStatus(state, status);
      return event;
    });
  }

  // Run to `runTo` (default: num_steps). Resolves when the run ends.
  async function run(id, runTo = null) {
    return guard(id, async () => {
      const state = await load(id);
      if (state.run) return state.run;
      const target = Math.min(runTo ?? state.num_steps, state.num_steps);
      const steps = target - state.step;
      if (steps <= 0) throw new Error(`the session has reached num_steps (${state.num_steps})`);
      state.status = SESSION_STATUS.RUNNING;
      await flush(state, { run_to: target });
      setStatus(state, SESSION_STATUS.RUNNING);
      const onEvent = ({ event, checkpoint }) => {
        state.step = event.step;
        state.unsaved.push(event);
        if (checkpoint) flush(state, {}, checkpoint);
        else scheduleFlush(state);
        emit({ type: "event", session: id, event, remote: false });
        broadcast({ type: BROADCAST.EVENT, session: id, event });
      };
      state.run = (async () => {
        let reason = RUN_REASON.ERROR;
        let lost = null;
        try {
          const result = await call(REQUEST.RUN, { session: id, steps, checkpoint_every: CHECKPOINT_EVERY,
                                                   full_every_ms: FULL_EVERY_MS }, onEvent);
          reason = result.reason;
          state.step = result.step;
          const status = state.step >= state.num_steps ? SESSION_STATUS.DONE
            : reason === RUN_REASON.PAUSED ? SESSION_STATUS.PAUSED : SESSION_STATUS.IDLE;
          // Persist first, so whoever sees the new status finds it stored.
          await flush(state, { status, run_to: null }, result.checkpoint);
          state.status = status;
        } catch (error) {
          if (error.lost) {
            lost = error; // the session stays "running" while it comes back
          } else if (error.dropped === id) {
            // Interrupted mid-step: the worker dropped the session; bring it
            // back from its last checkpoint (later steps are recomputed).
            reason = RUN_REASON.PAUSED;
            await flush(state, { status: SESSION_STATUS.PAUSED, run_to: null });
            state.status = SESSION_STATUS.PAUSED;
            state.loaded = false;
            await load(id).catch((failure) => emit({ type: "error", session: id, error: failure.message }));
          } else {
            await flush(state, { status: SESSION_STATUS.ERROR, run_to: null });
            state.status = SESSION_STATUS.ERROR;
            emit({ type: "error", session: id, error: error.message });
          }
        } finally {
          state.run = null;
          setStatus(state, state.status);
        }
        if (lost) return resumeLostRun(id, target, lost);
        return { session: id, step: state.step, reason };
      })();
      return state.run;
    });
  }

  // The worker was lost mid-run: restore the session in the new worker from
  // its last checkpoint (later steps are recomputed) and run to the same
  // target, unless it was paused meanwhile. What was seen is stored first, so
  // the restore finds the latest checkpoint.
  async function resumeLostRun(id, target, lost) {
    const state = sessions.get(id);
    await flush(state);
    await guard(id, () => loadAfterLoss(id));
    if (state.status !== SESSION_STATUS.RUNNING) {
      setStatus(state, state.status); // back at the checkpoint's step
      return { session: id, step: state.step, reason: RUN_REASON.PAUSED };
    }
    emit({ type: "restart", session: id,
           message: `${lost.message}; restarted it - session ${id} resumes from its checkpoint at step ${state.step}.` });
    return run(id, target);
  }

  // A restore cut short by another loss waits for the next worker (lose()
  // bounds how many there are).
  async function loadAfterLoss(id) {
    try {
      return await load(id);
    } catch (error) {
      if (error.lost) return loadAfterLoss(id);
      throw error;
    }
  }

  async function pause(id) {
    const state = sessions.get(id);
    if (state && !state.run && state.status === SESSION_STATUS.RUNNING) return pauseLostRun(state);
    if (!state || !state.run) return { session: id, step: state ? state.step : null, was_running: false };
    const running = state.run;
    // The worker answers between steps, so do not wait for the reply: the run
    // stops after the step in progress; a step longer than the grace period
    // is interrupted (only possible when cross-origin isolated).
    const paused = call(REQUEST.PAUSE, { session: id });
    let grace;
    const late = new Promise((resolve) => {
      grace = setTimeout(resolve, PAUSE_GRACE_MS, "late");
    });
    if ((await Promise.race([running, late])) === "late") interrupt();
    clearTimeout(grace);
    await Promise.all([paused, running]);
    return { session: id, step: state.step, was_running: true };
  }

  // A run whose worker was lost has no run to stop while it comes back: the
  // status alone tells resumeLostRun not to go on.
  async function pauseLostRun(state) {
    state.status = SESSION_STATUS.PAUSED;
    await flush(state, { run_to: null });
    setStatus(state, state.status);
    return { session: state.id, step: state.step, was_running: true };
  }

  async function reset(id) {
    return guard(id, async () => {
      await pause(id);
      const state = await load(id);
      const summary = await call(REQUEST.RESET, { session: id });
      state.step = summary.step;
      state.status = SESSION_STATUS.IDLE;
      state.unsaved.length = 0;
      await persist(() => store.reset(id, { status: state.status, run_to: null }));
      setStatus(state, state.status);
      emit({ type: "sessions" });
      return summary;
    });
  }

  async function sample(id, numSamples, temperature) {
    return guard(id, async () => {
      await load(id);
      const result = await call(REQUEST.SAMPLE, { session: id, num_samples: numSamples, temperature });
      await persist(() => store.addSamples(id, result));
      emit({ type: "sample", session: id, result, remote: false });
      broadcast({ type: BROADCAST.SAMPLE, session: id, result });
      return result;
    });
  }

  async function listSessions() {
    const records = await store.listSessions();
    const held = navigator.locks ? new Set((await navigator.locks.query()).held.map((lock) => lock.name)) : new Set();
    return records.map((record) => {
      const state = sessions.get(record.id);
      const other = remote.get(record.id);
      let { status, step } = record;
      let owner = null;
      if (state && state.owned) {
        ({ status, step } = state);
        owner = "this";
      } else if (other) {
        ({ status, step } = other);
        owner = "other";
      } else if (held.has(lockName(record.id))) {
        owner = "other";
      } else if (status === SESSION_STATUS.RUNNING) {
        status = SESSION_STATUS.INTERRUPTED;
      }
      let watchers = watched === record.id ? 1 : 0;
      for (const session of watching.values()) if (session === record.id) watchers += 1;
      return { id: record.id, step, num_steps: record.num_steps, status, watchers, owner,
               config: record.config, created: record.created, dataset_name: record.dataset_name };
    });
  }

  // Sessions that were running when their tab went away resume here, from
  // their last checkpoint, towards the step their run was aiming at.
  async function resumeInterrupted() {
    const records = await store.listSessions();
    const resumed = [];
    for (const record of records) {
      if (record.status !== SESSION_STATUS.RUNNING || sessions.get(record.id)?.run) continue;
      const state = liveState(record);
      state.owned = state.owned || await acquire(record.id);
      if (!state.owned) continue; // running in another tab
      resumed.push(record.id);
      run(record.id, record.run_to ?? record.num_steps).catch(() => {});
    }
    if (resumed.length) emit({ type: "sessions" });
    return resumed;
  }

  function watch(id) {
    watched = id;
    broadcast({ type: BROADCAST.WATCH, session: id });
    emit({ type: "sessions" });
  }

  // Time travel's model: a session's weights as they were at `step`, rebuilt
  // in this tab's worker as a scratch session from the latest checkpoint
  // kept before it (store.js history; none: from the config's initial
  // weights) plus the steps in between, which the deterministic engine
  // recomputes exactly; the last of them is taken with full instrumentation,
  // so that step's event (attention, probabilities, graph) comes with it,
  // also for a step the run recorded lightly. One scratch model per tab;
  // builds run one at a time and one that is no longer wanted by the time
  // its turn comes is skipped (null). Null too for an imported trace (no
  // dataset, no checkpoints).
  const past = { id: null, key: null, event: null, wanted: null, chain: Promise.resolve(null) };

  function pastAt(id, step) {
    const key = `${id}:${step}`;
    past.wanted = key;
    past.chain = past.chain.then(async () => {
      if (past.key === key) return { id: past.id, event: past.event };
      if (past.wanted !== key) return null;
      await closePast();
      const record = await store.getSession(id);
      const dataset = record && await store.getDataset(record.fingerprint);
      if (!dataset) return null;
      const scratch = `${id}@${step}`;
      const kept = await store.getCheckpointAt(id, step - 1);
      const summary = kept
        ? await call(REQUEST.RESTORE, { session: scratch, checkpoint: kept.checkpoint, text: dataset.text })
        : await call(REQUEST.OPEN, { session: scratch, config: record.config, text: dataset.text });
      if (step - 1 > summary.step) {
        await call(REQUEST.RUN, { session: scratch, steps: step - 1 - summary.step, checkpoint_every: 0,
                                  full_every_ms: Infinity });
      }
      const event = await call(REQUEST.STEP, { session: scratch, level: LEVEL.FULL });
      Object.assign(past, { id: scratch, key, event });
      return { id: scratch, event };
    }).catch((error) => {
      emit({ type: "error", session: id, error: `time travel: ${error.message}` });
      return null;
    });
    return past.chain;
  }

  async function closePast() {
    const { id } = past;
    Object.assign(past, { id: null, key: null, event: null });
    if (id) await call(REQUEST.CLOSE, { session: id }).catch(() => {});
  }

  // Leave time travel: the scratch model goes (after any build under way).
  function leavePast() {
    past.wanted = null;
    past.chain = past.chain.then(closePast).then(() => null);
  }

  // Probes (protocol.js); during a run the worker answers them between two
  // steps. The panels' refreshes read a session only once it is in this tab's
  // worker (null otherwise: merely showing a session must not restore it, nor
  // take it from the tab or the resume that owns it); the console, a user's
  // explicit action, loads it.
  async function query(id, type, fields = {}) {
    if (id && id === past.id) return call(type, { ...fields, session: id });
    const state = sessions.get(id);
    if (state && state.loading) await state.loading;
    if (!state || !state.loaded) return null;
    return call(type, { ...fields, session: id });
  }

  async function runConsole(id, code) {
    await load(id);
    return call(REQUEST.CONSOLE, { session: id, code });
  }

  // Abort the Python call in progress (only when cross-origin isolated).
  function interrupt() {
    if (!control) return false;
    Atomics.store(control, CONTROL.INTERRUPT, SIGINT);
    return true;
  }

  function destroy() {
    removeEventListener("pagehide", onPageHide);
    removeEventListener("pageshow", onPageShow);
    broadcast({ type: BROADCAST.BYE });
    channel.close();
    engine.worker?.terminate();
    for (const state of sessions.values()) state.release?.();
    listeners.clear();
  }

  return {
    tab,
    get ready() {
      return engine.ready;
    },
    isolated: Boolean(control),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startSession, step, run, pause, reset, sample, listSessions, resumeInterrupted, watch,
    inspectMatrix: (id, name) => query(id, REQUEST.INSPECT, { name }),
    embeddingMap: (id) => query(id, REQUEST.EMBEDDING),
    probe: (id, context) => query(id, REQUEST.PROBE, { context }),
    runConsole,
    modelAt: (id, step) => pastAt(id, step).then((built) => built && built.id),
    stepAt: (id, step) => pastAt(id, step).then((built) => built && built.event),
    leavePast,
    checkConfig: (config) => call(REQUEST.CHECK_CONFIG, { config }),
    importTrace,
    exportTrace: (id) => store.exportTrace(id),
    getSteps: (id) => store.getSteps(id),
    getSamples: (id) => store.getSamples(id),
    getSession: (id) => store.getSession(id),
    interrupt,
    // Fault injection for tests: end the worker as a crash would (a
    // terminated worker sends no error event, so the client reports it).
    terminateWorker: () => lose("it was terminated"),
    destroy,
  };
}
