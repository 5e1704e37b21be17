// The store on IndexedDB (store-schema.js), through the vendored idb library.

import { openDB } from "../../vendor/idb/index.js";
import { SESSION_STATUS } from "../engine/protocol.js";
import { DB_VERSION, STORES, batchOf, inHistory, traceOf } from "./store-schema.js";

const stepRange = (session, from = 0, to = Infinity) => IDBKeyRange.bound([session, from], [session, to]);
const ALL = ["sessions", "steps", "checkpoints", "history", "samples"]; // a session's stores (datasets are shared)

// events: {blocked(), blocking(), terminated()} (idb's names): an older
// version open elsewhere holds up this one; another tab wants a newer
// version or deletes the database; the browser closed it (site data cleared).
export async function openIndexedDB(name, events = {}) {
  return new IdbStore(await openDB(name, DB_VERSION, { upgrade, ...events }));
}

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore("sessions", { keyPath: "id" });
    db.createObjectStore("datasets", { keyPath: "fingerprint" });
    db.createObjectStore("checkpoints", { keyPath: "session" });
    db.createObjectStore("steps", { keyPath: ["session", "step"] });
    const samples = db.createObjectStore("samples", { keyPath: "key", autoIncrement: true });
    samples.createIndex("session", "session");
  }
  if (oldVersion < 2) db.createObjectStore("history", { keyPath: ["session", "step"] });
}

// One readwrite transaction; on any failure it is aborted (so none of its
// writes land) and the error is rethrown.
async function write(db, names, fn) {
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

// A read-only transaction whose end is handled: if the database closes
// under it (site data cleared), the aborted request reports the failure
// and the transaction's own rejection is expected, never an unhandled one.
function reading(db, names) {
  const tx = db.transaction(names, "readonly");
  tx.done.catch(() => {});
  return tx;
}

// A request of a transaction, handled as soon as it is made: when a later
// request fails and the transaction aborts, its rejection is expected, never
// an unhandled one (write() reports the failure that caused it).
function handled(request) {
  request.catch(() => {});
  return request;
}

// A session's steps, checkpoints and samples go (not its record).
async function clear(tx, session) {
  await tx.objectStore("steps").delete(stepRange(session));
  await tx.objectStore("history").delete(stepRange(session));
  await tx.objectStore("checkpoints").delete(session);
  let cursor = await tx.objectStore("samples").index("session").openCursor(IDBKeyRange.only(session));
  while (cursor) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
}

async function updateRecord(tx, session, changes) {
  const record = await tx.objectStore("sessions").get(session);
  if (record) await tx.objectStore("sessions").put({ ...record, ...changes, updated: Date.now() });
}

class IdbStore {
  constructor(db) {
    this.db = db;
  }

  async listSessions() {
    const all = await reading(this.db, "sessions").store.getAll();
    return all.sort((a, b) => a.created - b.created);
  }

  getSession(id) {
    return reading(this.db, "sessions").store.get(id);
  }

  getDataset(fingerprint) {
    return reading(this.db, "datasets").store.get(fingerprint);
  }

  getCheckpoint(session) {
    return reading(this.db, "checkpoints").store.get(session);
  }

  // The latest kept checkpoint at or before `step` (undefined: none).
  async getCheckpointAt(session, step) {
    const cursor = await reading(this.db, "history").store.openCursor(stepRange(session, 0, step), "prev");
    return cursor ? cursor.value : undefined;
  }

  // The steps of the checkpoints kept for time travel, oldest first: keys
  // only (each checkpoint is some 300 KB to read; getCheckpointAt reads one).
  async getHistorySteps(session) {
    return (await this.db.getAllKeys("history", stepRange(session))).map(([, step]) => step);
  }

  // A new session and its dataset, together.
  createSession(record, dataset) {
    return write(this.db, ["sessions", "datasets"], async (tx) => {
      const datasets = tx.objectStore("datasets");
      if (!(await datasets.getKey(dataset.fingerprint))) await datasets.put(dataset);
      await tx.objectStore("sessions").put(record);
    });
  }

  // An imported trace: its record, steps and samples, together.
  importSession(record, steps, samples) {
    return write(this.db, ["sessions", "steps", "samples"], (tx) => {
      const session = record.id;
      return Promise.all([
        handled(tx.objectStore("sessions").put(record)),
        ...steps.map((event) => handled(tx.objectStore("steps").put({ session, step: event.step, event }))),
        ...samples.map(({ step, temperature, samples: texts }) => handled(tx.objectStore("samples")
          .add({ session, step, temperature, samples: texts, created: record.created }))),
      ]);
    });
  }

  // Merge `changes` into a session record, write steps and optionally the
  // latest checkpoint, all in one transaction.
  commit(session, changes, steps = [], checkpoint = null) {
    return write(this.db, ["sessions", "steps", "checkpoints", "history"], async (tx) => {
      const record = await tx.objectStore("sessions").get(session);
      // Gone from under a session this tab still writes: the stores were
      // cleared or deleted elsewhere. Said, so the store carries on in memory.
      if (!record) throw new DOMException(`session ${session} is no longer in IndexedDB (cleared elsewhere)`, "NotFoundError");
      const kept = { session, step: checkpoint?.step, checkpoint };
      await Promise.all([
        ...steps.map((event) => handled(tx.objectStore("steps").put({ session, step: event.step, event }))),
        ...(checkpoint ? [handled(tx.objectStore("checkpoints").put(kept))] : []),
        ...(checkpoint && inHistory(checkpoint) ? [handled(tx.objectStore("history").put(kept))] : []),
        handled(tx.objectStore("sessions").put({ ...record, ...changes, updated: Date.now() })),
      ]);
    });
  }

  // Drop the steps after `step` (they will be recomputed from a checkpoint).
  truncate(session, step, changes = {}) {
    return write(this.db, ["sessions", "steps", "checkpoints", "history"], async (tx) => {
      await tx.objectStore("steps").delete(stepRange(session, step + 1));
      await tx.objectStore("history").delete(stepRange(session, step + 1));
      if (step === 0) await tx.objectStore("checkpoints").delete(session);
      await updateRecord(tx, session, { ...changes, step });
    });
  }

  // Back to step 0: steps, samples and checkpoints go.
  reset(session, changes = {}) {
    return write(this.db, ALL, async (tx) => {
      await clear(tx, session);
      await updateRecord(tx, session, { ...changes, step: 0 });
    });
  }

  addSamples(session, result) {
    return write(this.db, ["samples"], (tx) => tx.objectStore("samples").add({
      session, step: result.step, temperature: result.temperature, samples: result.samples, created: Date.now(),
    }));
  }

  async getSamples(session) {
    const rows = await reading(this.db, "samples").store.index("session").getAll(IDBKeyRange.only(session));
    return rows.map(batchOf);
  }

  async getSteps(session) {
    const rows = await reading(this.db, "steps").store.getAll(stepRange(session));
    return rows.map((row) => row.event);
  }

  async exportTrace(session) {
    const tx = reading(this.db, ["sessions", "steps", "samples"]);
    const record = await tx.objectStore("sessions").get(session);
    if (!record) throw new Error(`unknown session ${session}`);
    const steps = (await tx.objectStore("steps").getAll(stepRange(session))).map((row) => row.event);
    const samples = (await tx.objectStore("samples").index("session").getAll(IDBKeyRange.only(session)))
      .map(batchOf);
    await tx.done;
    return traceOf(record, steps, samples);
  }

  deleteSession(session) {
    return write(this.db, [...ALL, "datasets"], async (tx) => {
      const sessions = tx.objectStore("sessions");
      const record = await sessions.get(session);
      await clear(tx, session);
      await sessions.delete(session);
      if (!record || record.status === SESSION_STATUS.IMPORTED) return; // an imported trace has no dataset of its own
      const others = await sessions.getAll();
      if (!others.some((other) => other.fingerprint === record.fingerprint)) {
        await tx.objectStore("datasets").delete(record.fingerprint);
      }
    });
  }

  rename(session, name) {
    return write(this.db, ["sessions"], (tx) => updateRecord(tx, session, { name }));
  }

  // Rows as dump() gives them, written in one transaction (the in-memory
  // store's sessions written back); samples get keys of this database.
  absorb(rows) {
    return write(this.db, STORES, (tx) => Promise.all(STORES.flatMap((store) => (rows[store] || []).map((row) => {
      if (store !== "samples") return handled(tx.objectStore(store).put(row));
      const { key, ...sample } = row;
      return handled(tx.objectStore(store).add(sample));
    }))));
  }

  // Everything, for the in-memory store to take over.
  async dump() {
    const tx = reading(this.db, STORES);
    const rows = await Promise.all(STORES.map((store) => tx.objectStore(store).getAll()));
    await tx.done;
    return Object.fromEntries(STORES.map((store, i) => [store, rows[i]]));
  }

  close() {
    this.db.close();
  }
}
