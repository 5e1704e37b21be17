// The store on IndexedDB (store-schema.js), through the vendored idb library.

import { openDB } from "../../vendor/idb/index.js";
import { DB_VERSION, STORES, batchOf, inHistory, traceOf } from "./store-schema.js";

const stepRange = (session, from = 0, to = Infinity) => IDBKeyRange.bound([session, from], [session, to]);

export async function openIndexedDB(name) {
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
      return rows.map(batchOf);
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
        .map(batchOf);
      await tx.done;
      return traceOf(record, steps, samples);
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

