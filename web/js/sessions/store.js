// IndexedDB persistence through the vendored idb library.
//
// Object stores:
//   sessions     key id:                 {id, config, fingerprint, status, step,
//                                         num_steps, run_to, trace_header,
//                                         vocab, num_params, num_docs,
//                                         dataset_name, created, updated}
//                                        (status "imported": a trace, no
//                                         dataset or checkpoint behind it)
//   datasets     key fingerprint:         {fingerprint, text, name, num_docs}
//   checkpoints  key session:             {session, step, checkpoint} (the latest)
//   history      key [session, step]:     {session, step, checkpoint} every
//                                         CHECKPOINT_EVERY steps (time travel
//                                         rebuilds the model from them)
//   steps        key [session, step]:     {session, step, event}
//   samples      key auto, index session: {session, step, temperature, samples, created}
// Every multi-store change happens in one transaction, so a reload or a crash
// never leaves a step list that disagrees with its checkpoint; a write that
// fails aborts its transaction, so nothing half-written stays behind.
//
// openStore() returns the store at once (its calls wait for IndexedDB to
// open) and never fails: when IndexedDB cannot be opened (some private
// modes) or refuses a write (QuotaExceededError), the lab goes on with an
// in-memory store holding the same data, and onProblem(message) tells the
// page (store.problem keeps the message).

import { openDB } from "../vendor/idb/index.js";
import { CHECKPOINT_EVERY, buildTrace } from "./protocol.js";

const DB_NAME = "microgpt-lab";
const DB_VERSION = 2; // 2: the history store

// Which checkpoints are kept for time travel, besides the latest.
const inHistory = (checkpoint) => checkpoint.step % CHECKPOINT_EVERY === 0;

const stepRange = (session, from = 0, to = Infinity) => IDBKeyRange.bound([session, from], [session, to]);

export function openStore(name = DB_NAME, { onProblem = () => {} } = {}) {
  return withFallback(openIndexedDB(name), onProblem);
}

const describe = (error) => (error && error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : String(error && error.message || error));

// Route calls to IndexedDB (each waits for it to open) until a write fails
// with a DOMException (quota, storage gone); then copy what IndexedDB holds
// into memory, replay the failed write there and carry on in memory. If
// IndexedDB cannot be opened at all, everything goes to memory.
const WRITES = ["createSession", "importSession", "commit", "truncate", "reset", "addSamples", "deleteSession"];
function withFallback(opening, onProblem) {
  let primary = null;
  let active = null;
  const facade = { problem: null, persistent: false };
  let switching = opening.then((db) => {
    primary = active = db;
    facade.persistent = true;
  }, (error) => {
    active = createMemoryStore();
    facade.problem = `Storage unavailable: IndexedDB could not be opened (${describe(error)}). ` +
      "Training goes on in memory; sessions are lost when this tab closes.";
    onProblem(facade.problem);
  });
  let failed = null;
  const toMemory = (error) => {
    failed ??= (async () => {
      const snapshot = await primary.dump().catch(() => null);
      active = createMemoryStore(snapshot);
      facade.persistent = false;
      facade.problem = error.name === "QuotaExceededError"
        ? `Storage full: the browser refused to save more (QuotaExceededError). Training goes on in memory; ` +
          "what was saved before is kept, later steps are lost when this tab closes."
        : `Storage failed (${describe(error)}). Training goes on in memory; later steps are lost when this tab closes.`;
      onProblem(facade.problem);
    })();
    switching = failed;
    return failed;
  };
  for (const method of Object.keys(createMemoryStore())) {
    facade[method] = async (...args) => {
      await switching;
      const store = active;
      try {
        return await store[method](...args);
      } catch (error) {
        if (store !== primary || !WRITES.includes(method) || !(error instanceof DOMException)) throw error;
        await toMemory(error);
        return active[method](...args);
      }
    };
  }
  return facade;
}

async function openIndexedDB(name) {
  const db = await openDB(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("sessions", { keyPath: "id" });
        db.createObjectStore("datasets", { keyPath: "fingerprint" });
        db.createObjectStore("checkpoints", { keyPath: "session" });
        db.createObjectStore("steps", { keyPath: ["session", "step"] });
        const samples = db.createObjectStore("samples", { keyPath: "key", autoIncrement: true });
        samples.createIndex("session", "session");
      }
      if (oldVersion < 2) db.createObjectStore("history", { keyPath: ["session", "step"] });
    },
  });

  async function deleteSamples(tx, session) {
    let cursor = await tx.objectStore("samples").index("session").openCursor(IDBKeyRange.only(session));
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
  }

  // One readwrite transaction; on any failure it is aborted (so none of its
  // writes land) and the error is rethrown.
  async function write(names, fn) {
    const tx = db.transaction(names, "readwrite");
    try {
      await fn(tx);
      await tx.done;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await tx.done.catch(() => {});
      throw error;
    }
  }

  return {
    async listSessions() {
      const all = await db.getAll("sessions");
      return all.sort((a, b) => a.created - b.created);
    },
    getSession: (id) => db.get("sessions", id),
    getDataset: (fingerprint) => db.get("datasets", fingerprint),
    getCheckpoint: (session) => db.get("checkpoints", session),

    // The latest kept checkpoint at or before `step` (undefined: none).
    async getCheckpointAt(session, step) {
      const cursor = await db.transaction("history").store.openCursor(stepRange(session, 0, step), "prev");
      return cursor ? cursor.value : undefined;
    },

    // A new session and its dataset, together.
    createSession: (record, dataset) => write(["sessions", "datasets"], async (tx) => {
      const datasets = tx.objectStore("datasets");
      if (!(await datasets.getKey(dataset.fingerprint))) await datasets.put(dataset);
      await tx.objectStore("sessions").put(record);
    }),

    // An imported trace: its record, steps and samples, together.
    importSession: (record, steps, samples) => write(["sessions", "steps", "samples"], async (tx) => {
      const session = record.id;
      const requests = [tx.objectStore("sessions").put(record)];
      for (const event of steps) requests.push(tx.objectStore("steps").put({ session, step: event.step, event }));
      for (const { step, temperature, samples: texts } of samples) {
        requests.push(tx.objectStore("samples").add({ session, step, temperature, samples: texts, created: record.created }));
      }
      for (const request of requests) request.catch(() => {});
      await Promise.all(requests);
    }),

    // Merge `changes` into a session record, write steps and optionally the
    // latest checkpoint, all in one transaction.
    commit: (session, changes, steps = [], checkpoint = null) =>
      write(["sessions", "steps", "checkpoints", "history"], async (tx) => {
        const sessions = tx.objectStore("sessions");
        const record = await sessions.get(session);
        if (!record) return;
        const stepStore = tx.objectStore("steps");
        // Every request is handled, so one aborted by a failure is never an
        // unhandled rejection.
        const requests = [];
        const track = (request) => {
          request.catch(() => {});
          requests.push(request);
        };
        for (const event of steps) track(stepStore.put({ session, step: event.step, event }));
        if (checkpoint) track(tx.objectStore("checkpoints").put({ session, step: checkpoint.step, checkpoint }));
        if (checkpoint && inHistory(checkpoint)) track(tx.objectStore("history").put({ session, step: checkpoint.step, checkpoint }));
        track(sessions.put({ ...record, ...changes, updated: Date.now() }));
        await Promise.all(requests);
      }),

    // Drop the steps after `step` (they will be recomputed from a checkpoint).
    truncate: (session, step, changes = {}) => write(["sessions", "steps", "checkpoints", "history"], async (tx) => {
      await tx.objectStore("steps").delete(stepRange(session, step + 1));
      await tx.objectStore("history").delete(stepRange(session, step + 1));
      if (step === 0) await tx.objectStore("checkpoints").delete(session);
      const record = await tx.objectStore("sessions").get(session);
      if (record) await tx.objectStore("sessions").put({ ...record, ...changes, step, updated: Date.now() });
    }),

    // Back to step 0: steps, samples and checkpoint go.
    reset: (session, changes = {}) => write(["sessions", "steps", "checkpoints", "history", "samples"], async (tx) => {
      await tx.objectStore("steps").delete(stepRange(session));
      await tx.objectStore("history").delete(stepRange(session));
      await tx.objectStore("checkpoints").delete(session);
      await deleteSamples(tx, session);
      const record = await tx.objectStore("sessions").get(session);
      if (record) await tx.objectStore("sessions").put({ ...record, ...changes, step: 0, updated: Date.now() });
    }),

    addSamples: (session, result) => write(["samples"], async (tx) => {
      await tx.objectStore("samples").add({ session, step: result.step, temperature: result.temperature,
                                            samples: result.samples, created: Date.now() });
    }),

    async getSamples(session) {
      const rows = await db.getAllFromIndex("samples", "session", IDBKeyRange.only(session));
      return rows.map(({ step, temperature, samples }) => ({ step, temperature, samples }));
    },

    async getSteps(session) {
      const rows = await db.getAll("steps", stepRange(session));
      return rows.map((row) => row.event);
    },

    async exportTrace(session) {
      const tx = db.transaction(["sessions", "steps", "samples"], "readonly");
      const record = await tx.objectStore("sessions").get(session);
      if (!record) throw new Error(`unknown session ${session}`);
      const steps = (await tx.objectStore("steps").getAll(stepRange(session))).map((row) => row.event);
      const samples = (await tx.objectStore("samples").index("session").getAll(IDBKeyRange.only(session)))
        .map(({ step, temperature, samples }) => ({ step, temperature, samples }));
      await tx.done;
      return buildTrace(record.trace_header, steps, samples);
    },

    deleteSession: (session) => write(["sessions", "steps", "checkpoints", "history", "samples"], async (tx) => {
      await tx.objectStore("steps").delete(stepRange(session));
      await tx.objectStore("history").delete(stepRange(session));
      await tx.objectStore("checkpoints").delete(session);
      await deleteSamples(tx, session);
      await tx.objectStore("sessions").delete(session);
    }),

    // Everything, for the in-memory store to take over.
    async dump() {
      const tx = db.transaction(STORES, "readonly");
      const rows = await Promise.all(STORES.map((store) => tx.objectStore(store).getAll()));
      await tx.done;
      return Object.fromEntries(STORES.map((store, i) => [store, rows[i]]));
    },

    close: () => db.close(),
  };
}

const STORES = ["sessions", "datasets", "checkpoints", "history", "steps", "samples"];

// The same API over Maps (records are copied in and out, as IndexedDB's
// structured clone does). `snapshot`: a dump() of the IndexedDB store.
export function createMemoryStore(snapshot = null) {
  const clone = (value) => (value === undefined ? undefined : structuredClone(value));
  const sessions = new Map((snapshot?.sessions || []).map((r) => [r.id, r]));
  const datasets = new Map((snapshot?.datasets || []).map((r) => [r.fingerprint, r]));
  const checkpoints = new Map((snapshot?.checkpoints || []).map((r) => [r.session, r]));
  const history = new Map(); // session -> Map(step -> {session, step, checkpoint})
  for (const row of snapshot?.history || []) historyOf(row.session).set(row.step, row);
  const steps = new Map(); // session -> Map(step -> event)
  for (const row of snapshot?.steps || []) stepsOf(row.session).set(row.step, row.event);
  let samples = (snapshot?.samples || []).slice();
  let nextKey = samples.reduce((key, row) => Math.max(key, row.key + 1), 1);

  function historyOf(session) {
    if (!history.has(session)) history.set(session, new Map());
    return history.get(session);
  }
  function stepsOf(session) {
    if (!steps.has(session)) steps.set(session, new Map());
    return steps.get(session);
  }
  const sortedSteps = (session) => [...stepsOf(session).entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
  const samplesOf = (session) => samples.filter((row) => row.session === session)
    .map(({ step, temperature, samples: texts }) => ({ step, temperature, samples: texts }));

  return {
    async listSessions() {
      return [...sessions.values()].map(clone).sort((a, b) => a.created - b.created);
    },
    getSession: async (id) => clone(sessions.get(id)),
    getDataset: async (fingerprint) => clone(datasets.get(fingerprint)),
    getCheckpoint: async (session) => clone(checkpoints.get(session)),
    async getCheckpointAt(session, step) {
      const kept = [...historyOf(session).keys()].filter((key) => key <= step);
      return kept.length ? clone(historyOf(session).get(Math.max(...kept))) : undefined;
    },
    async createSession(record, dataset) {
      if (!datasets.has(dataset.fingerprint)) datasets.set(dataset.fingerprint, clone(dataset));
      sessions.set(record.id, clone(record));
    },
    async importSession(record, newSteps, batches) {
      sessions.set(record.id, clone(record));
      for (const event of newSteps) stepsOf(record.id).set(event.step, clone(event));
      for (const { step, temperature, samples: texts } of batches) {
        samples.push({ key: nextKey++, session: record.id, step, temperature, samples: texts.slice(), created: record.created });
      }
    },
    async commit(session, changes, newSteps = [], checkpoint = null) {
      const record = sessions.get(session);
      if (!record) return;
      for (const event of newSteps) stepsOf(session).set(event.step, clone(event));
      if (checkpoint) checkpoints.set(session, { session, step: checkpoint.step, checkpoint: clone(checkpoint) });
      if (checkpoint && inHistory(checkpoint)) {
        historyOf(session).set(checkpoint.step, { session, step: checkpoint.step, checkpoint: clone(checkpoint) });
      }
      sessions.set(session, { ...record, ...clone(changes), updated: Date.now() });
    },
    async truncate(session, step, changes = {}) {
      for (const key of [...stepsOf(session).keys()]) if (key > step) stepsOf(session).delete(key);
      for (const key of [...historyOf(session).keys()]) if (key > step) historyOf(session).delete(key);
      if (step === 0) checkpoints.delete(session);
      const record = sessions.get(session);
      if (record) sessions.set(session, { ...record, ...clone(changes), step, updated: Date.now() });
    },
    async reset(session, changes = {}) {
      steps.delete(session);
      history.delete(session);
      checkpoints.delete(session);
      samples = samples.filter((row) => row.session !== session);
      const record = sessions.get(session);
      if (record) sessions.set(session, { ...record, ...clone(changes), step: 0, updated: Date.now() });
    },
    async addSamples(session, result) {
      samples.push({ key: nextKey++, session, step: result.step, temperature: result.temperature,
                     samples: result.samples.slice(), created: Date.now() });
    },
    getSamples: async (session) => clone(samplesOf(session)),
    getSteps: async (session) => clone(sortedSteps(session)),
    async exportTrace(session) {
      const record = sessions.get(session);
      if (!record) throw new Error(`unknown session ${session}`);
      return clone(buildTrace(record.trace_header, sortedSteps(session), samplesOf(session)));
    },
    async deleteSession(session) {
      steps.delete(session);
      history.delete(session);
      checkpoints.delete(session);
      samples = samples.filter((row) => row.session !== session);
      sessions.delete(session);
    },
    dump: async () => null,
    close() {},
  };
}
