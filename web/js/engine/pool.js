// The engine workers: one per running session, up to a limit from the
// machine's cores. Each worker is an EngineClient (client.js) with its own
// watchdogs, interrupt buffer and restart budget, booted from the same
// snapshot; the first (home) starts with the page and stays, the others
// start when a run needs one and close once they have held no session for
// IDLE_CLOSE_MS.
//
// A session lives in one worker at a time (placed): its requests go there;
// requests for anything else (checks, time travel's and the histories'
// scratch models) go home. A run needs a worker with no other run
// (reserveRunner): the session's own when it is free, else another free
// one, else a new one under the limit, else none (the caller waits for
// freed()). Moving a session between workers (checkpoint, close, restore)
// is the caller's (sessions/held.js): only it has the session's data.
//
//   const pool = new WorkerPool(workerUrl, { onMessage, onLost });
//   pool.call(type, fields, onEvent)      // to the worker that holds fields.session (else home)
//   pool.place(session, worker); pool.unplace(session); pool.workerOf(session)
//   const worker = pool.reserveRunner(session)  // or null: every worker runs another session
//   pool.endRun(session); await pool.freed()
//   pool.describe()                       // [{worker, sessions, running}] (window.lab.workers)

import { EngineClient } from "./client.js";
import { CONSOLE, CONTROL } from "./protocol.js";

const IDLE_CLOSE_MS = 30_000;

// How many workers may train at once: a core is left for the page, but
// two cores still get two workers (the page mostly waits on them, and two
// runs side by side are what a comparison needs); never fewer than one.
export function workerLimit(cores) {
  const n = Number.isInteger(cores) && cores > 0 ? cores : 2;
  return Math.max(Math.min(2, n), n - 1);
}

export class WorkerPool {
  #workers = []; // {index, client, sessions: Set, running: Set, idleTimer}
  #placed = new Map(); // session -> worker
  #nextIndex = 0;
  #freed = null; // {promise, resolve}: settled when a run ends or a worker goes

  constructor(workerUrl, { onMessage, onLost, limit = workerLimit(globalThis.navigator?.hardwareConcurrency) }) {
    Object.assign(this, { workerUrl, onMessage, onLost, limit });
    this.home = this.#start();
  }

  get ready() {
    return this.home.client.ready;
  }

  get isolated() {
    return this.home.client.isolated;
  }

  #start() {
    const worker = { index: this.#nextIndex++, sessions: new Set(), running: new Set(), idleTimer: 0 };
    const isHome = worker.index === 0;
    worker.client = new EngineClient(this.workerUrl, {
      // Only the home worker's start-up is the page's; another worker's
      // failure to start is a failure of the run that asked for it.
      onMessage: (message) => {
        if (isHome || message.type === "restart") this.onMessage({ ...message, worker: worker.index });
        else if (message.type === "fatal") this.#gone(worker, message.error);
      },
      onLost: () => this.onLost([...worker.sessions], worker),
    });
    this.#workers.push(worker);
    return worker;
  }

  // A worker other than home that cannot start: its sessions go home.
  #gone(worker, error) {
    this.#workers = this.#workers.filter((w) => w !== worker);
    for (const session of worker.sessions) this.#placed.delete(session);
    this.onMessage({ type: "error", session: null, error: `a second engine worker could not start: ${error}` });
    this.onLost([...worker.sessions], worker);
    this.#wake();
  }

  workerOf(session) {
    return this.#placed.get(session) ?? null;
  }

  // The worker a request for `session` goes to.
  clientOf(session) {
    return (this.#placed.get(session) ?? this.home).client;
  }

  call(type, fields = {}, onEvent) {
    return this.clientOf(fields.session).call(type, fields, onEvent);
  }

  // The types of the requests about `session` its worker has not answered.
  pendingIn(session) {
    return this.clientOf(session).pendingFor(session);
  }

  interrupt(session, slot) {
    this.clientOf(session).interrupt(slot);
  }

  // Stop the console command about `session` wherever it runs (the
  // session may have left its worker meanwhile: deleted, moved).
  stopConsole(session) {
    for (const { client } of this.#workers) {
      if (client.pendingFor(session).includes(CONSOLE)) client.interrupt(CONTROL.STOP);
    }
  }

  // Where a session to load should live: a worker with no run (the one
  // holding fewest sessions), else home.
  choose() {
    const free = this.#workers.filter((w) => w.running.size === 0);
    free.sort((a, b) => a.sessions.size - b.sessions.size);
    return free[0] ?? this.home;
  }

  place(session, worker) {
    this.unplace(session);
    this.#placed.set(session, worker);
    worker.sessions.add(session);
    clearTimeout(worker.idleTimer);
  }

  unplace(session) {
    const worker = this.#placed.get(session);
    if (!worker) return;
    this.#placed.delete(session);
    worker.sessions.delete(session);
    this.#closeWhenIdle(worker);
  }

  // A worker on which `session` may run alone, reserved for it; null when
  // every worker runs another session and no more may start.
  reserveRunner(session) {
    const own = this.#placed.get(session);
    let worker = own && ![...own.running].some((other) => other !== session) ? own : null;
    worker ??= this.#workers.find((w) => w.running.size === 0) ?? null;
    if (!worker && this.#workers.length < this.limit) worker = this.#start();
    if (worker) {
      worker.running.add(session);
      clearTimeout(worker.idleTimer);
    }
    return worker;
  }

  endRun(session) {
    for (const worker of this.#workers) {
      if (!worker.running.delete(session)) continue;
      this.#closeWhenIdle(worker);
    }
    this.#wake();
  }

  // Settles when a run ends or a worker goes (a waiting run tries again),
  // or when wake() is called (a waiting run was paused).
  freed() {
    this.#freed ??= (() => {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      return { promise, resolve };
    })();
    return this.#freed.promise;
  }

  wake() {
    this.#wake();
  }

  #wake() {
    const freed = this.#freed;
    this.#freed = null;
    freed?.resolve();
  }

  #closeWhenIdle(worker) {
    if (worker === this.home || worker.sessions.size || worker.running.size) return;
    clearTimeout(worker.idleTimer);
    worker.idleTimer = setTimeout(() => {
      if (worker.sessions.size || worker.running.size || !this.#workers.includes(worker)) return;
      this.#workers = this.#workers.filter((w) => w !== worker);
      worker.client.close();
    }, IDLE_CLOSE_MS);
  }

  // End a worker as a crash would (fault injection for tests): the one
  // holding `session`, else home.
  lose(session, reason) {
    this.clientOf(session).lose(reason);
  }

  describe() {
    return this.#workers.map((w) => ({ worker: w.index, sessions: [...w.sessions], running: [...w.running] }));
  }
}
