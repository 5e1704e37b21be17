// IndexedDB persistence through the vendored idb library.
//
// Object stores:
//   sessions     key id:                 {id, config, fingerprint, status, step,
//                                         num_steps, run_to, trace_header,
//                                         vocab, num_params, created, updated}
//   datasets     key fingerprint:         {fingerprint, text, name, num_docs}
//   checkpoints  key session:             {session, step, checkpoint} (the latest)
//   steps        key [session, step]:     {session, step, event}
//   samples      key auto, index session: {session, step, temperature, samples, created}
// Every multi-store change happens in one transaction, so a reload or a crash
// never leaves a step list that disagrees with its checkpoint.

import { openDB } from "../vendor/idb/index.js";
import { buildTrace } from "./protocol.js";

const DB_NAME = "microgpt-lab";
const DB_VERSION = 1;

const stepRange = (session, from = 0, to = Infinity) => IDBKeyRange.bound([session, from], [session, to]);

export async function openStore(name = DB_NAME) {
  const db = await openDB(name, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore("sessions", { keyPath: "id" });
      db.createObjectStore("datasets", { keyPath: "fingerprint" });
      db.createObjectStore("checkpoints", { keyPath: "session" });
      db.createObjectStore("steps", { keyPath: ["session", "step"] });
      const samples = db.createObjectStore("samples", { keyPath: "key", autoIncrement: true });
      samples.createIndex("session", "session");
    },
  });

  async function deleteSamples(tx, session) {
    let cursor = await tx.objectStore("samples").index("session").openCursor(IDBKeyRange.only(session));
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
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

    // A new session and its dataset, together.
    async createSession(record, dataset) {
      const tx = db.transaction(["sessions", "datasets"], "readwrite");
      const datasets = tx.objectStore("datasets");
      if (!(await datasets.getKey(dataset.fingerprint))) await datasets.put(dataset);
      await tx.objectStore("sessions").put(record);
      await tx.done;
    },

    // Merge `changes` into a session record, write steps and optionally the
    // latest checkpoint, all in one transaction.
    async commit(session, changes, steps = [], checkpoint = null) {
      const tx = db.transaction(["sessions", "steps", "checkpoints"], "readwrite");
      const sessions = tx.objectStore("sessions");
      const record = await sessions.get(session);
      if (!record) {
        tx.abort();
        await tx.done.catch(() => {});
        return;
      }
      const stepStore = tx.objectStore("steps");
      for (const event of steps) stepStore.put({ session, step: event.step, event });
      if (checkpoint) tx.objectStore("checkpoints").put({ session, step: checkpoint.step, checkpoint });
      sessions.put({ ...record, ...changes, updated: Date.now() });
      await tx.done;
    },

    // Drop the steps after `step` (they will be recomputed from a checkpoint).
    async truncate(session, step, changes = {}) {
      const tx = db.transaction(["sessions", "steps", "checkpoints"], "readwrite");
      await tx.objectStore("steps").delete(stepRange(session, step + 1));
      if (step === 0) await tx.objectStore("checkpoints").delete(session);
      const record = await tx.objectStore("sessions").get(session);
      if (record) await tx.objectStore("sessions").put({ ...record, ...changes, step, updated: Date.now() });
      await tx.done;
    },

    // Back to step 0: steps, samples and checkpoint go.
    async reset(session, changes = {}) {
      const tx = db.transaction(["sessions", "steps", "checkpoints", "samples"], "readwrite");
      await tx.objectStore("steps").delete(stepRange(session));
      await tx.objectStore("checkpoints").delete(session);
      await deleteSamples(tx, session);
      const record = await tx.objectStore("sessions").get(session);
      if (record) await tx.objectStore("sessions").put({ ...record, ...changes, step: 0, updated: Date.now() });
      await tx.done;
    },

    async addSamples(session, result) {
      await db.add("samples", { session, step: result.step, temperature: result.temperature,
                                samples: result.samples, created: Date.now() });
    },

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

    async deleteSession(session) {
      const tx = db.transaction(["sessions", "steps", "checkpoints", "samples"], "readwrite");
      await tx.objectStore("steps").delete(stepRange(session));
      await tx.objectStore("checkpoints").delete(session);
      await deleteSamples(tx, session);
      await tx.objectStore("sessions").delete(session);
      await tx.done;
    },

    close: () => db.close(),
  };
}
