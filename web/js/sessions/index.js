// The sessions: what the page can do with training runs, backed by the
// engine worker (engine/), the store (store.js) and the other tabs (tabs.js).
// The contract: /docs/architecture.md, "sessions".
//
//   const sessions = createSessions({ workerUrl, store });
//   sessions.subscribe((message) => ...);     // the one stream (below)
//   const id = await sessions.start(config, { text, name });
//   await sessions.step(id); sessions.run(id); await sessions.pause(id);
//   await sessions.reset(id); await sessions.sample(id, 10, 0.5);
//   await sessions.list();                    // [{id, name, step, num_steps, status, watchers, owner, ...}]
//   await sessions.rename(id, name); await sessions.remove(id); await sessions.removeAll();
//   const model = await sessions.model(id, step); // {step, ask(type, fields)} | {missing}
//   const checkpoint = await sessions.weights(id);  // its latest weights (engine checkpoint; .saved: stored)
//   await sessions.history(id, "next_token", {context}); // [{step, ...}] at step 0 and each kept checkpoint
//   await sessions.bigram(id);                // its counting bigram (Session.bigram), null without its data
//
// The stream: {type: "boot" | "ready" | "fatal" | "restart", ...} from the
// engine (engine/client.js); {type: "event", session, event, remote},
// {type: "sample", session, result, remote}, {type: "status", session,
// status, step, num_steps}, {type: "list"} (re-read the list) and
// {type: "error", session, error, diverged?} (diverged: a step blew up, engine/protocol.js).
//
// One owner per fact: a session this tab trains has its status and step in
// held.js; one another tab trains, in that tab (tabs.remote); any other, in
// its stored record.

import { EngineClient } from "../engine/client.js";
import { BROADCAST, CONTROL, SESSION_STATUS } from "../engine/protocol.js";
import { HeldSessions } from "./held.js";
import { createHistory } from "./history.js";
import { createPast } from "./past.js";
import { createRemoval } from "./remove.js";
import { createRuns } from "./runs.js";
import { Tabs } from "./tabs.js";

const newId = (prefix) => `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;

export function createSessions({ workerUrl, store }) {
  const bus = createBus();
  const engine = new EngineClient(workerUrl, {
    onMessage: bus.emit,
    onLost: () => {
      held.forget();
      past.forget();
    },
  });
  const tabs = new Tabs({ onMessage: bus.emit, announce: () => held.announce() });
  const held = new HeldSessions({ engine, store, tabs, bus });
  const past = createPast({ engine, store, bus });
  const ctx = { engine, store, tabs, held, past, bus };
  const runs = createRuns(ctx);
  const history = createHistory(ctx);
  return {
    tab: tabs.tab,
    isolated: engine.isolated,
    get ready() {
      return engine.ready;
    },
    subscribe: bus.subscribe,
    start: (config, dataset) => start(ctx, config, dataset),
    importTrace: (text, name) => importTrace(ctx, text, name),
    list: () => list(ctx),
    model: (id, step = null) => model(ctx, id, step),
    ...runs,
    ...createRemoval({ ...ctx, runs }),
    stepAt: (id, step) => past.at(id, step).then((built) => built && built.event),
    leavePast: () => past.leave(),
    watch(id) {
      tabs.watch(id);
      bus.emit({ type: "list" });
    },
    checkConfig: (config) => engine.call("check_config", { config }),
    checkSize: (size) => engine.call("check_size", { size }),
    checkTraceSize: (size) => engine.call("check_trace_size", { size }),
    checkData: (text) => engine.call("check_data", { text }),
    record: (id) => described(ctx, id),
    dataset: (id) => store.getSession(id).then((record) => record && store.getDataset(record.fingerprint)),
    steps: (id) => store.getSteps(id),
    samples: (id) => store.getSamples(id),
    exportTrace: (id) => store.exportTrace(id),
    weights: (id) => weights(ctx, id),
    history: (id, type, fields, after) => history.ask(id, type, fields, after),
    bigram: (id) => bigram(ctx, id),
    // Fault injection for tests: end the worker as a crash would (a
    // terminated worker sends no error event, so the client reports it).
    terminateWorker: () => engine.lose("it was terminated"),
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

function start(ctx, config, dataset) {
  const { engine, store, held, bus } = ctx;
  return bus.guard(null, async () => {
    await engine.ready;
    const id = newId("s");
    const summary = await engine.call("open", { session: id, config, text: dataset.text });
    const now = Date.now();
    const record = {
      id, config: summary.config, fingerprint: summary.fingerprint, status: SESSION_STATUS.IDLE,
      step: summary.step, num_steps: summary.config.num_steps, run_to: null,
      trace_header: summary.trace_header, vocab: summary.vocab, num_params: summary.num_params,
      num_docs: summary.num_docs, dataset_name: dataset.name, created: now, updated: now,
    };
    await held.persist(() => store.createSession(record, {
      fingerprint: summary.fingerprint, text: dataset.text, name: dataset.name, num_docs: summary.num_docs,
    }));
    const state = held.stateOf(record);
    state.loaded = true;
    await held.own(state);
    listChanged(ctx);
    return id;
  });
}

// A trace file becomes a read-only session: its steps and samples are
// stored as they are (the engine's check_trace judged them first), its
// header (everything but the two lists) is its trace_header, so it exports
// again as it came, but for its model: the engine's description of its
// config, never the file's own.
function importTrace(ctx, text, name) {
  const { engine, store, bus } = ctx;
  return bus.guard(null, async () => {
    await engine.ready;
    const { config, model } = await engine.call("check_trace", { text });
    const { steps, samples, ...header } = JSON.parse(text);
    const now = Date.now();
    const record = {
      id: newId("i"), config, fingerprint: header.dataset.fingerprint, status: SESSION_STATUS.IMPORTED,
      step: steps.length ? steps[steps.length - 1].step : 0, num_steps: config.num_steps, run_to: null,
      trace_header: { ...header, model }, vocab: header.dataset.vocab, num_params: model.num_params,
      num_docs: header.dataset.num_docs, dataset_name: `imported from ${name}`, created: now, updated: now,
    };
    await store.importSession(record, steps, samples);
    listChanged(ctx);
    return record.id;
  });
}

// A session's record with the engine's description of its model in its
// trace header (model.describe: the panels draw its stages and matrices from
// it). A record saved before the engine described models gets it once, from
// the engine, and keeps it.
async function described({ engine, store }, id) {
  const record = await store.getSession(id);
  if (!record || record.trace_header?.model) return record;
  try {
    await engine.ready;
    const model = await engine.call("describe", { config: record.config, vocab: record.vocab });
    const trace_header = { ...record.trace_header, model };
    await store.commit(id, { trace_header });
    return { ...record, trace_header };
  } catch (error) { // shown without its model's stages and matrices, rather than not at all
    console.warn(`session ${id}: its model could not be described (${error.message})`);
    return record;
  }
}

// Every stored session, with its status and step from its owner.
async function list({ store, tabs, held }) {
  const [records, locks] = await Promise.all([store.listSessions(), tabs.held()]);
  return records.map((record) => {
    const state = held.get(record.id);
    const other = tabs.remote(record.id);
    let { status, step } = record;
    let owner = null;
    if (state && state.owned) {
      ({ status, step } = state);
      owner = "this";
    } else if (other) {
      ({ status, step } = other);
      owner = "other";
    } else if (tabs.isLocked(locks, record.id)) {
      owner = "other";
    } else if (status === SESSION_STATUS.RUNNING) {
      status = SESSION_STATUS.INTERRUPTED;
    }
    return { id: record.id, step, num_steps: record.num_steps, status, watchers: tabs.watchers(record.id), owner,
             config: record.config, created: record.created, dataset_name: record.dataset_name, name: record.name ?? null };
  });
}

// A live model explains its last step only if it took it in this worker
// (Session.explain); one restored from a checkpoint asks the step's model
// rebuilt as time travel does.
const NO_STEP_HERE = "explain needs a step taken in this worker";
function explainable(live, rebuild, engine) {
  return {
    ...live,
    async ask(type, fields) {
      try {
        return await live.ask(type, fields);
      } catch (error) {
        if (type !== "explain" || !live.step || !error.message.startsWith(NO_STEP_HERE)) throw error;
        const built = await rebuild();
        if (!built) throw error;
        return engine.call(type, { ...fields, session: built.id });
      }
    },
  };
}

// The model of a session to read (probes, the console): the live one, or
// the one rebuilt at `step` for time travel. Reading a live model brings
// the session into this tab's worker when no other tab trains it.
async function model({ engine, store, held, past }, id, step) {
  const handle = (session, at) => ({ step: at, ask: (type, fields = {}) => engine.call(type, { ...fields, session }),
                                     stopConsole: () => engine.interrupt(CONTROL.CONSOLE) });
  const record = await store.getSession(id);
  if (!record) return { missing: "Nothing to look into: start a session." };
  if (record.status === SESSION_STATUS.IMPORTED) {
    return { missing: "An imported trace is read-only: it has no model to look into." };
  }
  if (step !== null) {
    const built = await past.at(id, step);
    return built ? handle(built.id, step) : { missing: `The model at step ${step} could not be rebuilt.` };
  }
  try {
    const state = await held.load(id);
    return explainable(handle(id, state.step), () => past.at(id, state.step), engine);
  } catch (error) {
    return { missing: error.lost ? "The engine worker restarts: the model comes back in a moment." : `${error.message}.` };
  }
}

// The counting bigram of a session's training documents (Session.bigram),
// counted by the engine from its stored config and data, without loading
// the session (nor holding it, so another tab may train it); null when its
// data is not here (an imported trace's, when this browser lacks it).
async function bigram({ engine, store }, id) {
  const record = await store.getSession(id);
  const dataset = record && await store.getDataset(record.fingerprint);
  if (!dataset) return null;
  await engine.ready;
  return engine.call("count_bigram", { config: record.config, text: dataset.text });
}

// The session's latest weights: from this tab's worker (a running session's
// too, between two steps), else, when it cannot come here (another tab
// trains it), its latest stored checkpoint, marked `saved`. A failure of the
// worker's own is said, never covered by older weights. An imported trace
// has none.
async function weights({ engine, store, held }, id) {
  const record = await store.getSession(id);
  if (!record) throw new Error("Nothing to export: start a session.");
  if (record.status === SESSION_STATUS.IMPORTED) {
    throw new Error("An imported trace has no weights: it keeps only the steps and samples of its run.");
  }
  try {
    await held.load(id);
  } catch (error) {
    const saved = await store.getCheckpoint(id);
    if (saved) return { ...saved.checkpoint, saved: true };
    throw error;
  }
  return engine.call("checkpoint", { session: id });
}
