// The sessions this tab holds: their live state (the one owner of a held
// session's status and step), their restore into the engine worker, and
// their writes to the store.
//
// A session is held once this tab has read it (state), owned once this tab
// holds its Web Lock (only the owner trains it), and loaded while it is in
// this tab's worker. Writes to the store are serialised so they land in
// order; a run's steps are batched (FLUSH_MS) and written with the
// checkpoints that come with them, in one transaction.

import { BROADCAST, SESSION_STATUS } from "../engine/protocol.js";

const FLUSH_MS = 250;

export class HeldSessions {
  #states = new Map(); // session id -> state
  #writes = Promise.resolve();

  constructor({ engine, store, tabs, bus }) {
    Object.assign(this, { engine, store, tabs, bus });
  }

  get(id) {
    return this.#states.get(id);
  }

  stateOf(record) {
    let state = this.#states.get(record.id);
    if (!state) {
      state = {
        id: record.id, config: record.config, num_steps: record.num_steps, step: record.step,
        status: record.status, fingerprint: record.fingerprint, loaded: false, owned: false,
        run: null, loading: null, unsaved: [], flushTimer: null,
      };
      this.#states.set(record.id, state);
    }
    return state;
  }

  async #stateFor(id) {
    const existing = this.#states.get(id);
    if (existing) return existing;
    const record = await this.store.getSession(id);
    if (!record) throw new Error(`unknown session ${id}`);
    return this.stateOf(record);
  }

  // Own a session (its Web Lock); false when another tab does.
  async own(state) {
    state.owned = state.owned || Boolean(await this.tabs.acquire(state.id));
    return state.owned;
  }

  #broadcastStatus({ id: session, status, step, num_steps }) {
    this.tabs.broadcast({ type: BROADCAST.STATUS, session, status, step, num_steps });
  }

  setStatus(state, status) {
    state.status = status;
    const { id: session, step, num_steps } = state;
    this.bus.emit({ type: "status", session, status, step, num_steps });
    this.#broadcastStatus(state);
  }

  // Serialise store writes so they land in order.
  persist(fn) {
    this.#writes = this.#writes.then(fn).catch((error) => {
      console.error("storage:", error);
      this.bus.emit({ type: "error", session: null, error: `storage: ${error.message}` });
    });
    return this.#writes;
  }

  flush(state, changes = {}, checkpoint = null) {
    clearTimeout(state.flushTimer);
    state.flushTimer = null;
    const steps = state.unsaved.splice(0);
    return this.persist(() => this.store.commit(state.id, { step: state.step, status: state.status, ...changes },
                                                steps, checkpoint));
  }

  scheduleFlush(state) {
    if (!state.flushTimer) state.flushTimer = setTimeout(() => this.flush(state), FLUSH_MS);
  }

  // Make sure the session is in this tab's worker, restoring it from its
  // latest checkpoint (steps after it are dropped, then recomputed).
  // Concurrent callers share one restore.
  async load(id) {
    const state = await this.#stateFor(id);
    if (state.loaded) return state;
    state.loading ??= this.#restore(state).finally(() => {
      state.loading = null;
    });
    return state.loading;
  }

  async #restore(state) {
    const { engine, store } = this;
    const { id } = state;
    if (state.status === SESSION_STATUS.IMPORTED) throw new Error(`session ${id} is an imported trace: read-only`);
    await engine.ready;
    if (!(await this.own(state))) throw new Error(`session ${id} is open in another tab`);
    const dataset = await store.getDataset(state.fingerprint);
    if (!dataset) throw new Error(`the dataset of session ${id} is missing`);
    const saved = await store.getCheckpoint(id);
    const summary = saved
      ? await engine.call("restore", { session: id, checkpoint: saved.checkpoint, text: dataset.text })
      : await engine.call("open", { session: id, config: state.config, text: dataset.text });
    state.step = summary.step;
    state.loaded = true;
    await this.persist(() => store.truncate(id, summary.step));
    return state;
  }

  // A deleted session: this tab holds it no more (its Web Lock stays taken
  // until the tab goes, which keeps its id from being used again).
  drop(id) {
    const state = this.#states.get(id);
    if (state) clearTimeout(state.flushTimer);
    this.#states.delete(id);
  }

  // Whoever opens a tab hears the status of every session this tab owns.
  announce() {
    for (const state of this.#states.values()) if (state.owned) this.#broadcastStatus(state);
  }

  // The worker was lost: nothing is in it any more.
  forget() {
    for (const state of this.#states.values()) state.loaded = false;
  }
}
