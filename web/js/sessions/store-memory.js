// The store in memory (store-schema.js): the same methods over Maps. Records
// are copied in and out, as IndexedDB's structured clone does.

import { SESSION_STATUS } from "../engine/protocol.js";
import { batchOf, inHistory, traceOf } from "./store-schema.js";

const clone = (value) => (value === undefined ? undefined : structuredClone(value));
const byStep = (rows) => [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, value]) => value);

export class MemoryStore {
  #sessions = new Map(); // id -> record
  #datasets = new Map(); // fingerprint -> dataset
  #checkpoints = new Map(); // session -> {session, step, checkpoint}
  #history = new Map(); // session -> Map(step -> {session, step, checkpoint})
  #steps = new Map(); // session -> Map(step -> event)
  #samples = []; // {key, session, step, temperature, samples, created}
  #nextKey = 1;

  #keepsHistory;

  // `dumped`: what IndexedDB held (its dump()), to carry on from. history:
  // whether to keep the checkpoints time travel starts from (every
  // CHECKPOINT_EVERY steps, some 300 KB each); without them, time travel
  // rebuilds a model from step 0 (past.js).
  constructor(dumped = null, { history = true } = {}) {
    this.#keepsHistory = history;
    this.absorb(dumped);
  }

  // Rows as dump() gives them, over what is here (a session's samples, when
  // given, replace its own).
  absorb(rows) {
    for (const record of rows?.sessions || []) this.#sessions.set(record.id, clone(record));
    for (const dataset of rows?.datasets || []) this.#datasets.set(dataset.fingerprint, clone(dataset));
    for (const row of rows?.checkpoints || []) this.#checkpoints.set(row.session, clone(row));
    const history = this.#keepsHistory ? rows?.history || [] : [];
    for (const row of history) this.#rows(this.#history, row.session).set(row.step, clone(row));
    for (const row of rows?.steps || []) this.#rows(this.#steps, row.session).set(row.step, clone(row.event));
    const given = new Set((rows?.samples || []).map((row) => row.session));
    this.#samples = this.#samples.filter((row) => !given.has(row.session));
    for (const row of rows?.samples || []) this.#addSamples(row.session, row, row.created ?? Date.now());
  }

  // Everything, in dump()'s form.
  rows() {
    const flat = (map) => [...map.values()].flatMap((rows) => [...rows.values()]);
    return clone({
      sessions: [...this.#sessions.values()], datasets: [...this.#datasets.values()],
      checkpoints: [...this.#checkpoints.values()], history: flat(this.#history),
      steps: [...this.#steps].flatMap(([session, rows]) => [...rows].map(([step, event]) => ({ session, step, event }))),
      samples: this.#samples,
    });
  }

  #rows(map, session) {
    if (!map.has(session)) map.set(session, new Map());
    return map.get(session);
  }

  #samplesOf(session) {
    return this.#samples.filter((row) => row.session === session).map(batchOf);
  }

  #update(session, changes) {
    const record = this.#sessions.get(session);
    if (record) this.#sessions.set(session, { ...record, ...clone(changes), updated: Date.now() });
  }

  #addSamples(session, { step, temperature, samples }, created) {
    this.#samples.push({ key: this.#nextKey++, session, step, temperature, samples: samples.slice(), created });
  }

  // A session's steps, checkpoints and samples go (not its record).
  #clear(session) {
    this.#steps.delete(session);
    this.#history.delete(session);
    this.#checkpoints.delete(session);
    this.#samples = this.#samples.filter((row) => row.session !== session);
  }

  async listSessions() {
    return [...this.#sessions.values()].map(clone).sort((a, b) => a.created - b.created);
  }

  async getSession(id) {
    return clone(this.#sessions.get(id));
  }

  async getDataset(fingerprint) {
    return clone(this.#datasets.get(fingerprint));
  }

  async getCheckpoint(session) {
    return clone(this.#checkpoints.get(session));
  }

  async getCheckpointAt(session, step) {
    const kept = [...this.#rows(this.#history, session).keys()].filter((key) => key <= step);
    return kept.length ? clone(this.#rows(this.#history, session).get(Math.max(...kept))) : undefined;
  }

  async getHistorySteps(session) {
    return [...this.#rows(this.#history, session).keys()].sort((a, b) => a - b);
  }

  async createSession(record, dataset) {
    if (!this.#datasets.has(dataset.fingerprint)) this.#datasets.set(dataset.fingerprint, clone(dataset));
    this.#sessions.set(record.id, clone(record));
  }

  async importSession(record, steps, batches) {
    this.#sessions.set(record.id, clone(record));
    for (const event of steps) this.#rows(this.#steps, record.id).set(event.step, clone(event));
    for (const batch of batches) this.#addSamples(record.id, batch, record.created);
  }

  async commit(session, changes, steps = [], checkpoint = null) {
    // As IndexedDB's: a run's steps are never dropped without a word.
    if (!this.#sessions.has(session)) throw new DOMException(`session ${session} is not in the store`, "NotFoundError");
    for (const event of steps) this.#rows(this.#steps, session).set(event.step, clone(event));
    const kept = checkpoint && { session, step: checkpoint.step, checkpoint: clone(checkpoint) };
    if (kept) this.#checkpoints.set(session, kept);
    if (kept && this.#keepsHistory && inHistory(checkpoint)) this.#rows(this.#history, session).set(checkpoint.step, kept);
    this.#update(session, changes);
  }

  async truncate(session, step, changes = {}) {
    for (const map of [this.#rows(this.#steps, session), this.#rows(this.#history, session)]) {
      for (const key of [...map.keys()]) if (key > step) map.delete(key);
    }
    if (step === 0) this.#checkpoints.delete(session);
    this.#update(session, { ...changes, step });
  }

  async reset(session, changes = {}) {
    this.#clear(session);
    this.#update(session, { ...changes, step: 0 });
  }

  async addSamples(session, result) {
    this.#addSamples(session, result, Date.now());
  }

  async getSamples(session) {
    return clone(this.#samplesOf(session));
  }

  async getSteps(session) {
    return clone(byStep(this.#rows(this.#steps, session)));
  }

  async exportTrace(session) {
    const record = this.#sessions.get(session);
    if (!record) throw new Error(`unknown session ${session}`);
    return clone(traceOf(record, byStep(this.#rows(this.#steps, session)), this.#samplesOf(session)));
  }

  async deleteSession(session) {
    const record = this.#sessions.get(session);
    this.#clear(session);
    this.#sessions.delete(session);
    if (!record || record.status === SESSION_STATUS.IMPORTED) return;
    const used = [...this.#sessions.values()].some((other) => other.fingerprint === record.fingerprint);
    if (!used) this.#datasets.delete(record.fingerprint);
  }

  async rename(session, name) {
    this.#update(session, { name });
  }

  async dump() {
    return null;
  }

  close() {}
}
