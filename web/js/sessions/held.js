// The sessions this tab holds: a session is held while this tab has its Web
// Lock (tabs.js), which it takes to train the session or to show it (its
// panels read its model) and lets go of once it does neither. A held
// session has its Lifecycle (lifecycle.js: the one owner of its status and
// step), its place in one of the engine workers (pool.js; loaded) and its
// batched writes to the store.
//
// Writes to the store are serialised so they land in order; a run's steps
// are batched (FLUSH_MS) and written with the checkpoints that come with
// them, in one transaction.
//
//   const state = await held.hold(id)    // null: another tab holds it
//   const state = await held.load(id)    // held, and in a worker (restored from its checkpoint)
//   await held.use(id, (state) => ...)   // loaded, and kept until fn has ended (a reader's request)
//   await held.moveTo(state, worker)     // to another worker (a run needs one of its own)
//   await held.release(id)               // out of its worker, its lock let go (when it is at rest)

import { BROADCAST, SESSION_STATUS } from "../engine/protocol.js";
import { Lifecycle } from "./lifecycle.js";
import { reopen } from "./reopen.js";

const FLUSH_MS = 250;
// A session read by nobody any more is offered back (onIdle) after this
// long: a reader asking again soon (a widget's next question) finds it loaded.
const LINGER_MS = 5_000;

export class HeldSessions {
  #states = new Map(); // session id -> state
  #holding = new Map(); // session id -> a pending hold (one at a time per session)
  #releasing = new Map(); // session id -> a release under way (its lock not yet let go)
  #writes = Promise.resolve();

  // onIdle(id): nobody has read the session for LINGER_MS (whoever keeps
  // it, keeps it; anyone else lets it go).
  constructor({ pool, store, tabs, bus, onIdle = () => {} }) {
    Object.assign(this, { pool, store, tabs, bus, onIdle });
  }

  get(id) {
    return this.#states.get(id);
  }

  all() {
    return [...this.#states.values()];
  }

  // Hold session `id` (its Web Lock), or null when another tab holds it.
  // `release`: a lock already granted (a watcher's wait ended).
  hold(id, release = null) {
    const releasing = this.#releasing.get(id);
    // This tab still has the lock of a session it lets go: hold it once let go.
    if (releasing) return releasing.then(() => this.hold(id, release));
    const state = this.#states.get(id);
    if (state) {
      release?.();
      return Promise.resolve(state);
    }
    if (this.#holding.has(id)) {
      // A lock granted while another hold is under way: used if that one failed.
      const pending = this.#holding.get(id);
      return release ? pending.then((held) => (held ? (release(), held) : this.hold(id, release))) : pending;
    }
    const holding = (async () => {
      const letGo = release ?? await this.tabs.acquire(id);
      if (!letGo) return null;
      const record = await this.store.getSession(id);
      if (!record || record.status === SESSION_STATUS.IMPORTED) {
        letGo();
        return null;
      }
      return this.#adopt(record, letGo);
    })().finally(() => this.#holding.delete(id));
    this.#holding.set(id, holding);
    return holding;
  }

  #adopt(record, letGo) {
    const state = {
      id: record.id, config: record.config, num_steps: record.num_steps, fingerprint: record.fingerprint,
      run_to: record.run_to ?? null, loaded: false, loading: null, unsaved: [], flushTimer: null, run: null,
      readers: 0, idleTimer: null, letGo, record,
    };
    state.life = new Lifecycle(record, {
      save: (changes, checkpoint) => this.flush(state, changes, checkpoint),
      announce: (info) => {
        this.bus.emit({ type: "status", ...info, owner: "this" });
        this.tabs.broadcast({ type: BROADCAST.STATUS, ...info });
      },
    });
    this.#states.set(record.id, state);
    return state;
  }

  // A session just made here: held from the start (its lock was free: its id is new).
  async adoptNew(record) {
    const state = await this.hold(record.id);
    if (!state) throw new Error(`session ${record.id} is held by another tab`);
    return state;
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
    const record = { step: state.life.step, ...changes };
    return this.persist(() => this.store.commit(state.id, record, steps, checkpoint));
  }

  scheduleFlush(state) {
    if (!state.flushTimer) state.flushTimer = setTimeout(() => this.flush(state), FLUSH_MS);
  }

  // Make sure the session is held and in one of the workers, restoring it
  // from its latest checkpoint (steps after it are dropped, then
  // recomputed). Concurrent callers share one restore.
  async load(id) {
    const state = await this.hold(id);
    if (!state) {
      const record = await this.store.getSession(id);
      if (!record) throw new Error(`unknown session ${id}`);
      if (record.status === SESSION_STATUS.IMPORTED) throw new Error(`session ${id} is an imported trace: read-only`);
      throw new Error(`session ${id} is open in another tab`);
    }
    if (state.loaded) return state;
    state.loading ??= this.#restore(state, this.pool.workerOf(id) ?? this.pool.choose()).finally(() => {
      state.loading = null;
    });
    return state.loading;
  }

  async #restore(state, worker) {
    const { pool, store } = this;
    const { id } = state;
    await pool.ready;
    const dataset = await store.getDataset(state.fingerprint);
    if (!dataset) throw new Error(`the dataset of session ${id} is missing`);
    const saved = await store.getCheckpoint(id);
    pool.place(id, worker);
    const summary = await reopen(pool, id, { checkpoint: saved?.checkpoint, config: state.config, text: dataset.text });
    state.loaded = true;
    if (summary.step !== state.life.step) {
      // Steps after the checkpoint are dropped (a run that was cut short
      // recomputes them), and said so.
      await this.persist(() => store.truncate(id, summary.step));
      await state.life.moveStep(summary.step);
    } else {
      await this.persist(() => store.truncate(id, summary.step));
    }
    return state;
  }

  // fn(state) with the session held and in its worker, kept there until
  // fn has ended: a release waits for its readers, so a request about the
  // session is never cut off by its close. A session let go between the
  // load and the read is loaded again.
  async use(id, fn) {
    let state = await this.load(id);
    while (this.#states.get(id) !== state) state = await this.load(id);
    state.readers += 1;
    clearTimeout(state.idleTimer);
    try {
      return await fn(state);
    } finally {
      state.readers -= 1;
      if (!state.readers) state.idleTimer = setTimeout(() => this.onIdle(id), LINGER_MS);
    }
  }

  // Move a loaded session to another worker, exactly as it is (its engine
  // checkpoint): a run needs a worker of its own.
  async moveTo(state, worker) {
    const { pool } = this;
    const { id } = state;
    if (!state.loaded) {
      pool.place(id, worker);
      await this.load(id);
      return;
    }
    if (pool.workerOf(id) === worker) return;
    const checkpoint = await pool.call("checkpoint", { session: id });
    const dataset = await this.store.getDataset(state.fingerprint);
    await pool.call("close", { session: id });
    pool.place(id, worker);
    await pool.call("restore", { session: id, checkpoint, text: dataset.text });
  }

  // Let go of a session at rest: out of its worker, its writes landed, its
  // lock freed (another tab may take it). Not while it runs, an action
  // takes its turn or someone reads it (onIdle offers it again once read).
  async release(id) {
    const state = this.#states.get(id);
    if (!state || state.run || state.life.busy || state.loading || state.readers) return false;
    clearTimeout(state.idleTimer);
    this.#states.delete(id);
    const releasing = (async () => {
      await this.flush(state);
      if (state.loaded) await this.pool.call("close", { session: id }).catch(() => {});
      this.pool.unplace(id);
      state.letGo();
      this.tabs.broadcast({ type: BROADCAST.RELEASE, session: id });
    })().finally(() => this.#releasing.delete(id));
    this.#releasing.set(id, releasing);
    await releasing;
    return true;
  }

  // A deleted session: this tab holds it no more. Its lock stays taken
  // until the tab goes, which keeps its id from being used again.
  drop(id) {
    const state = this.#states.get(id);
    if (state) {
      clearTimeout(state.flushTimer);
      clearTimeout(state.idleTimer);
    }
    this.#states.delete(id);
    this.pool.unplace(id);
  }

  // Whoever opens a tab hears the status of every session this tab holds.
  announce() {
    for (const state of this.#states.values()) this.tabs.broadcast({ type: BROADCAST.STATUS, ...state.life.info });
  }

  // A worker was lost: the sessions that were in it are in no worker now.
  forget(ids) {
    for (const id of ids) {
      const state = this.#states.get(id);
      if (state) state.loaded = false;
    }
  }
}
