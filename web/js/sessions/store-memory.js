// The store in memory (store-schema.js): the same methods over Maps.

import { batchOf, inHistory, traceOf } from "./store-schema.js";

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
    .map(batchOf);

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
      return clone(traceOf(record, sortedSteps(session), samplesOf(session)));
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
