// The page's end of the engine worker: requests with ids and their replies,
// the interrupt buffer, and a new worker when one is lost.
//
//   const engine = new EngineClient(workerUrl, { onMessage, onLost });
//   await engine.ready;                          // the current worker booted
//   await engine.call("step", { session, level });  // protocol.js, section 1
//   engine.call("run", fields, (message) => ...);   // with its streamed events
//   engine.interrupt(CONTROL.PAUSE);             // SIGINT into a run's step (CONTROL.STOP: a learner's code)
//   engine.lose("it was terminated");            // fault injection (tests)
//   engine.close();                              // for good (the pool's idle workers)
//
// onMessage receives the worker's boot, ready and fatal messages and
// {type: "restart", message} when a lost worker is replaced. A worker that
// crashes once booted (an uncaught error) or is terminated is replaced by a
// new one: its pending calls fail with an error whose `lost` is true,
// onLost() runs (whoever kept state in it forgets it), and callers restore
// what they need. A worker that cannot boot is not replaced: it would only
// fail again; neither is one lost more than MAX_RESTARTS times within
// RESTART_WINDOW_MS (a crash loop), which ends with a fatal message. A
// worker that sends nothing within WATCHDOG_MS of an interrupt is lost too
// (unless the interrupt was a Pause waiting for a learner's code, which
// has its own Stop and time limit), and so is one that sends nothing for
// RUN_SILENCE_MS while a run is going (a step never takes that long).

import {
  CONTROL, CONTROL_BYTES, ERROR_FIELDS, LEARNER_CODE, MESSAGE, RUN, RUN_SILENCE_MS, SIGINT, WATCHDOG_MS, lastLine, pick,
  request,
} from "./protocol.js";

const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export class EngineClient {
  #pending = new Map(); // request id -> {resolve, reject, onEvent}
  #losses = []; // when workers were lost, within the last RESTART_WINDOW_MS
  #nextId = 1;
  #runWatch = 0; // the interval of #watchRun
  #control = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(CONTROL_BYTES)) : null;
  #current; // {worker, ready, settle, booted, heard: messages received}

  constructor(workerUrl, { onMessage, onLost }) {
    Object.assign(this, { workerUrl, onMessage, onLost });
    this.#current = this.#start();
  }

  get ready() {
    return this.#current.ready;
  }

  get isolated() {
    return Boolean(this.#control);
  }

  call(type, fields, onEvent) {
    const { worker, ready } = this.#current;
    if (!worker) return ready; // gave up: the fatal error
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onEvent, type, session: fields?.session });
      worker.postMessage(request(id, type, fields));
      if (type === RUN) this.#watchRun();
    });
  }

  // The types of the requests about `session` not answered yet.
  pendingFor(session) {
    return [...this.#pending.values()].filter((entry) => entry.session === session).map((entry) => entry.type);
  }

  // Abort the Python call in progress listening to `slot` (a SIGINT needs
  // cross-origin isolation; the watchdog does not).
  interrupt(slot) {
    if (this.#control) Atomics.store(this.#control, slot, SIGINT);
    const learnerCode = [...this.#pending.values()].some((entry) => LEARNER_CODE.includes(entry.type));
    if (slot === CONTROL.PAUSE && learnerCode) return;
    const watched = this.#current;
    const heard = watched.heard;
    setTimeout(() => {
      if (this.#current === watched && watched.heard === heard && this.#pending.size) {
        this.lose(`it sent nothing for ${WATCHDOG_MS / 1000} s after an interrupt`);
      }
    }, WATCHDOG_MS);
  }

  // Close the worker for good (the pool closes one it no longer needs).
  close() {
    const { worker } = this.#current;
    if (!worker) return;
    worker.terminate();
    const closed = new Error("the engine worker was closed");
    this.#rejectPending(closed);
    this.#current = { worker: null, ready: Promise.reject(closed) };
    this.#current.ready.catch(() => {});
  }

  // The worker is gone: fail what it was doing, let its users forget what
  // it held, and start a new one; whoever waits for the old one's start-up
  // waits for the new one's.
  lose(reason) {
    const lost = this.#current;
    if (!lost.worker) return;
    lost.worker.terminate();
    const error = Object.assign(new Error(`The engine worker stopped (${reason})`), { lost: true });
    this.#rejectPending(error);
    this.onLost();
    const now = Date.now();
    this.#losses.push(now);
    while (this.#losses[0] <= now - RESTART_WINDOW_MS) this.#losses.shift();
    if (this.#losses.length > MAX_RESTARTS) {
      const fatal = `the engine worker stopped ${this.#losses.length} times within a minute (last: ${reason}); `
        + "reload the page to try again";
      this.#current = { worker: null, ready: Promise.reject(new Error(fatal)) };
      this.#current.ready.catch(() => {});
      this.#fail(lost, new Error(fatal), { type: MESSAGE.FATAL, stage: "worker", error: fatal });
      return;
    }
    this.#current = this.#start();
    lost.settle.resolve(this.#current.ready);
    this.onMessage({ type: "restart", message: `${error.message}; restarting it.` });
  }

  // While a run is pending, the worker must say something (a step event, a
  // reply) every RUN_SILENCE_MS.
  #watchRun() {
    if (this.#runWatch) return;
    let watched = this.#current;
    let heard = watched.heard;
    this.#runWatch = setInterval(() => {
      if (![...this.#pending.values()].some((entry) => entry.type === RUN)) {
        clearInterval(this.#runWatch);
        this.#runWatch = 0;
        return;
      }
      if (this.#current === watched && watched.heard === heard) {
        this.lose(`it sent nothing for ${RUN_SILENCE_MS / 1000} s during a run`);
      }
      watched = this.#current; // the new worker, after a loss
      ({ heard } = watched);
    }, RUN_SILENCE_MS);
  }

  #start() {
    const worker = new Worker(this.workerUrl, { type: "module" });
    const started = { worker, booted: false, heard: 0 };
    started.ready = new Promise((resolve, reject) => {
      started.settle = { resolve, reject };
    });
    started.ready.catch(() => {});
    if (this.#control) {
      // A SIGINT meant for a lost worker must not hit the new one.
      this.#control.fill(0);
      worker.postMessage({ type: MESSAGE.CONTROL, buffer: this.#control.buffer });
    }
    worker.onmessage = ({ data }) => {
      if (this.#current === started) this.#receive(started, data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.#current !== started) return;
      // A Python traceback ends with "ExceptionType: message".
      const message = event.message ? lastLine(event.message) : "the worker failed";
      if (started.booted) this.lose(`it crashed: ${message}`);
      else this.#fail(started, new Error(message), { type: MESSAGE.FATAL, stage: "worker", error: message });
    };
    return started;
  }

  #receive(started, data) {
    started.heard++;
    switch (data.type) {
      case MESSAGE.REPLY: {
        const entry = this.#pending.get(data.id);
        if (!entry) return;
        this.#pending.delete(data.id);
        if (entry.type === RUN) this.#runEnded();
        if ("error" in data) entry.reject(Object.assign(new Error(data.error), pick(data, ERROR_FIELDS)));
        else entry.resolve(data.result);
        return;
      }
      case MESSAGE.EVENT:
        this.#pending.get(data.id)?.onEvent?.(data);
        return;
      case MESSAGE.READY:
        started.booted = true;
        started.settle.resolve(data);
        this.onMessage(data);
        return;
      case MESSAGE.FATAL:
        started.settle.reject(new Error(`${data.stage}: ${data.error}`));
        this.onMessage(data);
        return;
      default:
        this.onMessage(data); // boot stages
    }
  }

  // A Pause's SIGINT written after the worker ended the run (before its
  // reply came) must not pause the next run.
  #runEnded() {
    const running = [...this.#pending.values()].some((entry) => entry.type === RUN);
    if (this.#control && !running) Atomics.store(this.#control, CONTROL.PAUSE, 0);
  }

  // The engine is unusable: fail its start-up and every call waiting on it.
  #fail(started, error, message) {
    started.settle.reject(error);
    this.#rejectPending(error);
    this.onMessage(message);
  }

  #rejectPending(error) {
    for (const entry of this.#pending.values()) entry.reject(error);
    this.#pending.clear();
  }
}
