// A session's lifecycle: its status, the one table of the moves between
// statuses, and the one object that makes them. Only the tab that holds a
// session's Web Lock has a Lifecycle for it (held.js); every other tab
// hears its status (tabs.js) or reads it from the store.
//
//   idle ──step──▶ stepping ──▶ idle | done | error
//   idle | paused ──run──▶ waiting (no free worker) ──▶ running
//   idle | paused ──run──▶ running ──▶ paused | done | idle (its run_to reached) | error
//   running ──▶ waiting (it lost its worker and every other one runs)
//   done | error | paused ──reset──▶ idle
//
// A Lifecycle alone sets the status: to(status) refuses a move the table
// does not list (an IllegalTransition names both ends), stores the new
// status (save: persist first, so whoever hears it finds it stored), then
// announces it (to this page and the other tabs). Actions that change the
// session (step, run's start, reset, delete) take turns (perform): a Run
// pressed while a Step is in flight starts when the step has ended, and a
// Reset never lands between a step and its checkpoint.
//
//   const life = new Lifecycle({ status, step, num_steps }, { save, announce });
//   await life.perform("step", async () => { await life.to(STATUS.STEPPING); ... });
//   life.can(STATUS.RUNNING)   // may it move there now?
//   life.advance(step)         // a step event: the step moves, the status does not
//
// Pure: no worker, store or page; tests/web/lifecycle.test.mjs drives it.

import { SESSION_STATUS as STATUS } from "../engine/protocol.js";

export { STATUS };

export const TRANSITIONS = Object.freeze({
  [STATUS.IDLE]: Object.freeze([STATUS.STEPPING, STATUS.WAITING, STATUS.RUNNING]),
  [STATUS.STEPPING]: Object.freeze([STATUS.IDLE, STATUS.DONE, STATUS.ERROR]),
  [STATUS.WAITING]: Object.freeze([STATUS.RUNNING, STATUS.PAUSED]),
  [STATUS.RUNNING]: Object.freeze([STATUS.PAUSED, STATUS.DONE, STATUS.IDLE, STATUS.ERROR, STATUS.WAITING]),
  [STATUS.PAUSED]: Object.freeze([STATUS.STEPPING, STATUS.WAITING, STATUS.RUNNING, STATUS.IDLE]),
  [STATUS.DONE]: Object.freeze([STATUS.IDLE]),
  [STATUS.ERROR]: Object.freeze([STATUS.IDLE]),
  [STATUS.IMPORTED]: Object.freeze([]),
});

// Statuses that last only while this tab acts: a reload finds the status
// before them (a step in flight is not stored; its checkpoint is).
const PASSING = new Set([STATUS.STEPPING]);

// A run was asked for and has not ended: a tab that takes the session over
// (reload, a watcher whose trainer died) runs it on to its run_to.
export const wantsToRun = (status) => status === STATUS.RUNNING || status === STATUS.WAITING;

export const canMove = (from, to) => Boolean(TRANSITIONS[from]?.includes(to));

// What the buttons may start from a status (the controls read it). An
// interrupted session (stored as running by a tab that is gone) resumes on
// Run.
export const allows = (status) => (status === STATUS.INTERRUPTED
  ? { step: false, run: true, pause: false, reset: true }
  : {
  step: canMove(status, STATUS.STEPPING),
  run: canMove(status, STATUS.RUNNING) && !wantsToRun(status),
  pause: wantsToRun(status),
  reset: status !== STATUS.IMPORTED && status !== STATUS.STEPPING,
  });

export class IllegalTransition extends Error {
  constructor(from, to, session) {
    super(`session ${session ?? ""}: a ${from} session cannot become ${to}`.replace("session : ", ""));
    this.name = "IllegalTransition";
    Object.assign(this, { from, to });
  }
}

export class Lifecycle {
  #status; // the latest move's: what the next move is checked against
  #settled; // the last one stored and said: what readers see (info)
  #step;
  #turns = Promise.resolve();
  #queue = []; // the actions waiting for their turn, oldest first: {name, dropped}
  #busy = null; // the name of the action taking its turn

  constructor({ id = null, status, step, num_steps }, { save = async () => {}, announce = () => {} } = {}) {
    if (!(status in TRANSITIONS)) throw new Error(`unknown session status ${JSON.stringify(status)}`);
    Object.assign(this, { id, num_steps, save, announce });
    this.#status = status;
    this.#settled = status;
    this.#step = step;
  }

  // The status this session is in or moving to (a move is stored before it
  // is said: info has the one said).
  get status() {
    return this.#status;
  }

  get step() {
    return this.#step;
  }

  // The action taking its turn (null: none).
  get busy() {
    return this.#busy;
  }

  // What the page and the other tabs hear: the status and step, the action
  // taking its turn and those waiting for theirs.
  get info() {
    return { session: this.id, status: this.#settled, step: this.#step, num_steps: this.num_steps,
             busy: this.#busy, queued: this.#queue.filter((entry) => !entry.dropped).map((entry) => entry.name) };
  }

  can(status) {
    return canMove(this.#status, status);
  }

  // Move to `status` (changes: fields stored with it, `step` among them;
  // checkpoint: stored in the same write). Throws IllegalTransition at
  // once, before anything is stored or said.
  async to(status, changes = {}, checkpoint = null) {
    if (!this.can(status)) throw new IllegalTransition(this.#status, status, this.id);
    this.#status = status;
    if (changes.step !== undefined) this.#step = changes.step;
    if (!PASSING.has(status)) await this.save({ ...changes, status, step: this.#step }, checkpoint);
    this.#settled = status;
    this.announce(this.info);
  }

  // A step taken by a run (its event says so): no new status.
  advance(step) {
    this.#step = step;
  }

  // The step changed with no new status (a reset of an idle session, a
  // restore at an older checkpoint): stored and said as a move would be.
  async moveStep(step, changes = {}) {
    this.#step = step;
    await this.save({ ...changes, status: this.#status, step }, null);
    this.announce(this.info);
  }

  // Run `fn` once every action asked before it has ended: actions never
  // overlap. Resolves or rejects as fn does; with null if it was dropped
  // before its turn.
  perform(name, fn) {
    const entry = { name, dropped: false };
    this.#queue.push(entry);
    if (this.#busy) this.announce(this.info); // "queued" changed
    const turn = this.#turns.then(async () => {
      this.#queue.splice(this.#queue.indexOf(entry), 1);
      if (entry.dropped) return null;
      this.#busy = name;
      try {
        return await fn();
      } finally {
        this.#busy = null;
      }
    });
    this.#turns = turn.catch(() => {});
    return turn;
  }

  // Drop the actions named `name` still waiting for their turn (a Pause
  // drops a Run queued behind a Step); true if there were any.
  drop(name) {
    const waiting = this.#queue.filter((entry) => entry.name === name && !entry.dropped);
    for (const entry of waiting) entry.dropped = true;
    if (waiting.length) this.announce(this.info);
    return waiting.length > 0;
  }
}
