// The sessions: what the page can do with training runs, backed by the
// engine workers (engine/pool.js), the store (store.js) and the other tabs
// (tabs.js). The contract: /docs/architecture.md, "sessions".
//
//   const sessions = createSessions({ workerUrl, store, modelVersion }); // modelVersion: a promise of schema.model.version
//   sessions.subscribe((message) => ...);     // the one stream (below)
//   const id = await sessions.start(config, { text, name });
//   const ids = await sessions.trainSeveral(configs, { text, name }, names); // one session per config (and name), all running
//   await sessions.step(id); sessions.run(id); await sessions.pause(id);
//   await sessions.reset(id); await sessions.sample(id, 10, 0.5);
//   sessions.watch(id);                       // this tab shows `id` (it holds it, or waits to)
//   await sessions.list();                    // [{id, name, step, num_steps, status, watchers, owner, worker, ...}]
//   await sessions.rename(id, name); await sessions.remove(id); await sessions.removeAll();
//   const model = await sessions.model(id, step); // {step, ask(type, fields)} | {missing}
//   const checkpoint = await sessions.weights(id);  // its latest weights (engine checkpoint; .saved: stored)
//   await sessions.history(id, "next_token", {context}); // [{step, ...}] at step 0 and each kept checkpoint
//   await sessions.bigram(id);                // its counting bigram (Session.bigram), null without its data
//   sessions.workers();                       // [{worker, sessions, running}]
//
// The stream: {type: "boot" | "ready" | "fatal" | "restart", ...} from the
// engine (engine/client.js); {type: "event", session, event, remote,
// streamed} (streamed: a run's, not a Step's),
// {type: "sample", session, result, remote}, {type: "status", session,
// status, step, num_steps, busy, queued, owner}, {type: "list"} (re-read the
// list), {type: "error", session, error, diverged?} (diverged: a step blew
// up, engine/protocol.js) and {type: "notice", session, message} (an action
// waits, and why).
//
// One owner per fact: a session this tab holds has its status and step in
// its Lifecycle (held.js, lifecycle.js); one another tab holds, in that tab
// (tabs.remote); any other, in its stored record. This tab holds the
// sessions it trains and the one it shows; it waits for the lock of a shown
// session another tab holds, and takes it over (resuming its run) when
// that tab lets go or dies.

import { WorkerPool } from "../engine/pool.js";
import { BROADCAST, SESSION_STATUS } from "../engine/protocol.js";
import { DATASET_KINDS, datasetOf } from "./dataset-kind.js";
import { HeldSessions } from "./held.js";
import { createHistory } from "./history.js";
import { wantsToRun } from "./lifecycle.js";
import { createPast } from "./past.js";
import { createRemoval } from "./remove.js";
import { createRuns } from "./runs.js";
import { Tabs } from "./tabs.js";

const newId = (prefix) => `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;

export function createSessions({ workerUrl, store, modelVersion }) {
  const bus = createBus();
  const pool = new WorkerPool(workerUrl, {
    onMessage: bus.emit,
    onLost: (ids, worker) => {
      held.forget(ids);
      if (worker === pool.home) past.forget();
    },
  });
  const tabs = new Tabs({ onMessage: bus.emit, announce: () => held.announce(), onPauseAsked: (id) => pauseAsked(id) });
  const held = new HeldSessions({ pool, store, tabs, bus, onIdle: (id) => letGoUnlessShown(id) });
  const past = createPast({ engine: pool, store, bus });
  const shown = { id: null, waiting: null }; // the session this tab shows; the wait for its lock
  const ctx = { pool, store, tabs, held, past, bus, modelVersion, afterRun: (id) => letGoUnlessShown(id) };
  const runs = createRuns(ctx);
  const history = createHistory({ engine: pool, store });

  function letGoUnlessShown(id) {
    if (id !== shown.id) held.release(id).then((released) => released && bus.emit({ type: "list" }));
  }

  // Another tab's Pause of a session this tab holds.
  function pauseAsked(id) {
    if (held.get(id)) runs.pause(id).catch(() => {});
    else if (id === shown.id) shown.pauseAsked = true; // it may come to this tab before it runs on
  }

  // Show `id`: hold it if no other tab does, else wait for its lock. A
  // session whose holder let go, or died, with a run going is taken over.
  function watch(id) {
    const previous = shown.id;
    shown.waiting?.abort();
    Object.assign(shown, { id, waiting: null, pauseAsked: false });
    tabs.watch(id);
    if (previous && previous !== id) letGoUnlessShown(previous);
    if (!id) return;
    const wasHeld = Boolean(held.get(id));
    held.hold(id).then((state) => {
      if (shown.id !== id) return;
      if (!state) waitToHold(id);
      else if (!wasHeld) adopted(state);
    }).catch((error) => console.error("hold:", error));
  }

  function waitToHold(id) {
    const waiting = new AbortController();
    shown.waiting = waiting;
    tabs.waitFor(id, waiting.signal).then(async (release) => {
      if (shown.waiting === waiting) shown.waiting = null;
      const state = await held.hold(id, release);
      if (!state) return;
      if (shown.id !== id) letGoUnlessShown(id);
      else adopted(state);
    }, () => {}); // no longer shown
  }

  // This tab now holds the shown session: a run its last holder left going
  // (a tab that closed or died) goes on here, unless this tab asked it to pause.
  async function adopted(state) {
    tabs.forget(state.id);
    if (wantsToRun(state.life.status) && !state.run && !state.life.busy) {
      if (shown.pauseAsked) await state.life.to(SESSION_STATUS.PAUSED, { run_to: null });
      else runs.resume(state).catch(() => {});
    }
    bus.emit({ type: "list" });
    bus.emit({ type: "status", ...state.life.info, owner: "this" });
  }

  return {
    tab: tabs.tab,
    get isolated() {
      return pool.isolated;
    },
    get ready() {
      return pool.ready;
    },
    subscribe: bus.subscribe,
    start: (config, dataset) => start(ctx, config, dataset),
    trainSeveral: (configs, dataset, names) => trainSeveral(ctx, runs, configs, dataset, names),
    importTrace: (text, name) => importTrace(ctx, text, name),
    list: () => list(ctx),
    model: (id, step = null) => model(ctx, id, step),
    ...runs,
    ...createRemoval({ ...ctx, runs }),
    stepAt: (id, step) => past.at(id, step).then((built) => built && built.event),
    leavePast: () => past.leave(),
    watch(id) {
      watch(id);
      bus.emit({ type: "list" });
    },
    checkConfig: (config) => pool.call("check_config", { config }),
    checkSize: (size) => pool.call("check_size", { size }),
    checkTraceSize: (size) => pool.call("check_trace_size", { size }),
    checkData: (text) => pool.call("check_data", { text }),
    record: (id) => described(ctx, id),
    dataset: (id) => store.getSession(id).then((record) => record && store.getDataset(record.fingerprint)),
    steps: (id) => store.getSteps(id),
    samples: (id) => store.getSamples(id),
    exportTrace: (id) => store.exportTrace(id),
    weights: (id) => weights(ctx, id),
    history: (id, type, fields, after) => history.ask(id, type, fields, after),
    bigram: (id) => bigram(ctx, id),
    // The console's Stop and time limit: the command about `id` ends, even
    // if the session was deleted or moved since it started.
    stopConsole: (id) => pool.stopConsole(id),
    workers: () => pool.describe(),
    workerLimit: pool.limit,
    // Fault injection for tests: end the worker holding `id` (else the
    // first) as a crash would (a terminated worker sends no error event, so
    // the client reports it).
    terminateWorker: (id = shown.id) => pool.lose(id, "it was terminated"),
  };
}

// The stream's listeners, and guard(id, fn): run fn, tell the page of a
// failure, rethrow it. The worker starts before the page has built what
// listens (it boots meanwhile): what it says before then is held for the
// first listener.
function createBus() {
  const listeners = new Set();
  let early = [];
  const bus = {
    emit(message) {
      if (early) early.push(message);
      for (const listener of listeners) {
        try {
          listener(message);
        } catch (error) {
          console.error(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      const held = early ?? [];
      early = null;
      for (const message of held) listener(message);
      return () => listeners.delete(listener);
    },
    async guard(id, fn) {
      try {
        return await fn();
      } catch (error) {
        bus.emit({ type: "error", session: id, error: error.message, diverged: error.diverged });
        throw error;
      }
    },
  };
  return bus;
}

function listChanged({ tabs, bus }) {
  bus.emit({ type: "list" });
  tabs.broadcast({ type: BROADCAST.LIST });
}

// dataset: {text, kind, name} (sessions/dataset-kind.js); name: the
// session's own (null: made from its settings, draw/names.js).
function start(ctx, config, dataset, name = null) {
  const { pool, store, held, bus } = ctx;
  return bus.guard(null, async () => {
    const trainable = Object.keys(DATASET_KINDS).filter((kind) => kind !== "imported");
    if (!trainable.includes(dataset.kind)) {
      throw new Error(`a session's data must be of a kind it can train on (${trainable.join(", ")}), not ${JSON.stringify(dataset.kind)}`);
    }
    await pool.ready;
    const id = newId("s");
    const worker = pool.choose();
    pool.place(id, worker);
    let summary;
    try {
      summary = await pool.call("open", { session: id, config, text: dataset.text });
    } catch (error) {
      pool.unplace(id);
      throw error;
    }
    const now = Date.now();
    const record = {
      id, config: summary.config, fingerprint: summary.fingerprint, status: SESSION_STATUS.IDLE,
      step: summary.step, num_steps: summary.config.num_steps, run_to: null,
      trace_header: summary.trace_header, vocab: summary.vocab, num_params: summary.num_params,
      num_docs: summary.num_docs, dataset: { kind: dataset.kind, name: dataset.name }, created: now, updated: now, name,
    };
    await held.persist(() => store.createSession(record, {
      fingerprint: summary.fingerprint, text: dataset.text, kind: dataset.kind, name: dataset.name, num_docs: summary.num_docs,
    }));
    const state = await held.adoptNew(record);
    state.loaded = true;
    listChanged(ctx);
    return id;
  });
}

// Train several at once from one action (a sweep, a ladder of models): one
// session per config on the same data, all started; each gets a worker of
// its own while there are free ones, the rest wait for one. Resolves with
// their ids once every run has been asked for (not when they end);
// a config the engine refuses refuses them all, before any starts.
// names[i]: the name of configs[i]'s session (none: made from its settings).
async function trainSeveral(ctx, runs, configs, dataset, names = []) {
  const { pool, bus } = ctx;
  return bus.guard(null, async () => {
    await pool.ready;
    for (const config of configs) await pool.call("check_config", { config });
    const ids = [];
    for (const [i, config] of configs.entries()) {
      const id = await start(ctx, config, dataset, names[i] ?? null);
      runs.run(id).catch(() => {}); // the first trains while the next is made
      ids.push(id);
    }
    return ids;
  });
}

// A trace file becomes a read-only session: its steps and samples are
// stored as they are (the engine's check_trace judged them first), its
// header (everything but the two lists) is its trace_header, so it exports
// again as it came, but for its model: the engine's description of its
// config, never the file's own.
function importTrace(ctx, text, name) {
  const { pool, store, bus } = ctx;
  return bus.guard(null, async () => {
    await pool.ready;
    const { config, model } = await pool.call("check_trace", { text });
    const { steps, samples, ...header } = JSON.parse(text);
    const now = Date.now();
    const record = {
      id: newId("i"), config, fingerprint: header.dataset.fingerprint, status: SESSION_STATUS.IMPORTED,
      step: steps.length ? steps[steps.length - 1].step : 0, num_steps: config.num_steps, run_to: null,
      trace_header: { ...header, model }, vocab: header.dataset.vocab, num_params: model.num_params,
      num_docs: header.dataset.num_docs, dataset: { kind: "imported", name }, created: now, updated: now,
    };
    await store.importSession(record, steps, samples);
    listChanged(ctx);
    return record.id;
  });
}

// A session's record with the engine's description of its model in its
// trace header (model.describe: the panels draw its stages and matrices from
// it). A record saved with an older description than the engine gives
// (schema.model.version), or none, gets the engine's, once, and keeps it.
async function described({ pool, store, modelVersion }, id) {
  const record = await store.getSession(id);
  if (!record || record.trace_header?.model?.version === await modelVersion) return record;
  try {
    await pool.ready;
    const model = await pool.call("describe", { config: record.config, vocab: record.vocab });
    const trace_header = { ...record.trace_header, model };
    await store.commit(id, { trace_header });
    return { ...record, trace_header };
  } catch (error) { // shown without its model's stages and matrices, rather than not at all
    console.warn(`session ${id}: its model could not be described (${error.message})`);
    return record;
  }
}

// Every stored session, with its status and step from its owner, and the
// worker that holds it in this tab (null: none here).
async function list({ store, tabs, held, pool }) {
  const [records, locks] = await Promise.all([store.listSessions(), tabs.held()]);
  return records.map((record) => {
    const state = held.get(record.id);
    const other = tabs.remote(record.id);
    let { status, step } = record;
    let owner = null;
    if (state) {
      ({ status, step } = state.life.info); // as stored and said
      owner = "this";
    } else if (other) {
      ({ status, step } = other);
      owner = "other";
    } else if (tabs.isLocked(locks, record.id)) {
      owner = "other";
    } else if (wantsToRun(status)) {
      status = SESSION_STATUS.INTERRUPTED;
    }
    const worker = state ? pool.workerOf(record.id)?.index ?? null : null;
    return { id: record.id, step, num_steps: record.num_steps, status, watchers: tabs.watchers(record.id), owner, worker,
             error: record.error ?? null, config: record.config, created: record.created,
             dataset: datasetOf(record), name: record.name ?? null };
  });
}

// Explaining a position asks the model of the step that position belongs
// to (fields.step; none: the model's own last step). A model explains
// only its last step, and only one taken in its worker (Session.explain;
// a reply with no_step says it has none):
// for any other step, or a model restored from a checkpoint, time travel's
// rebuild of that step answers. So a position is always checked against
// its own step's document.
function explainable(model, rebuildAt, pool) {
  const askRebuilt = async (step, fields, error) => {
    const built = await rebuildAt(step);
    if (!built) throw error ?? new Error(`the model at step ${step} could not be rebuilt`);
    return pool.call("explain", { ...fields, session: built.id });
  };
  return {
    ...model,
    async ask(type, { step = null, ...fields } = {}) {
      if (type !== "explain") return model.ask(type, fields);
      if (step !== null && step !== model.step) return askRebuilt(step, fields);
      try {
        return await model.ask(type, fields);
      } catch (error) {
        if (!model.step || !error.no_step) throw error;
        return askRebuilt(model.step, fields, error);
      }
    },
  };
}

// The model of a session to read (probes, the console): the live one, or
// the one rebuilt at `step` for time travel. Reading a live model brings
// the session into one of this tab's workers when no other tab holds it.
async function model({ pool, store, held, past }, id, step) {
  const handle = (session, at, call = (type, fields) => pool.call(type, fields)) => ({
    step: at, ask: (type, fields = {}) => call(type, { ...fields, session }), stopConsole: () => pool.stopConsole(session),
  });
  const rebuildAt = (at) => past.at(id, at);
  const record = await store.getSession(id);
  if (!record) return { missing: "Nothing to look into: start a session." };
  if (record.status === SESSION_STATUS.IMPORTED) {
    return { missing: "An imported trace is read-only: it has no model to look into." };
  }
  if (step !== null) {
    const built = await past.at(id, step);
    return built ? explainable(handle(built.id, step), rebuildAt, pool)
      : { missing: `The model at step ${step} could not be rebuilt.` };
  }
  try {
    const state = await held.load(id);
    // Each question keeps the session in its worker until it is answered.
    const call = (type, fields) => held.use(id, () => pool.call(type, fields));
    return explainable(handle(id, state.life.step, call), rebuildAt, pool);
  } catch (error) {
    return { missing: error.lost ? "The engine worker restarts: the model comes back in a moment." : `${error.message}.` };
  }
}

// The counting bigram of a session's training documents (Session.bigram),
// counted by the engine from its stored config and data, without loading
// the session (nor holding it, so another tab may train it); null when its
// data is not here (an imported trace's, when this browser lacks it).
async function bigram({ pool, store }, id) {
  const record = await store.getSession(id);
  const dataset = record && await store.getDataset(record.fingerprint);
  if (!dataset) return null;
  await pool.ready;
  return pool.call("count_bigram", { config: record.config, text: dataset.text });
}

// The session's latest weights: from the worker that holds it (a running
// session's too, between two steps), else, when it cannot come here (another
// tab holds it), its latest stored checkpoint, marked `saved`. A failure of
// the worker's own is said, never covered by older weights. An imported
// trace has none.
async function weights({ pool, store, held }, id) {
  const record = await store.getSession(id);
  if (!record) throw new Error("Nothing to export: start a session.");
  if (record.status === SESSION_STATUS.IMPORTED) {
    throw new Error("An imported trace has no weights: it keeps only the steps and samples of its run.");
  }
  let loaded = false;
  try {
    return await held.use(id, () => {
      loaded = true;
      return pool.call("checkpoint", { session: id });
    });
  } catch (error) {
    if (loaded) throw error; // the worker's own failure
    const saved = await store.getCheckpoint(id);
    if (saved) return { ...saved.checkpoint, saved: true };
    throw error;
  }
}
