// The page's end of the engine worker: requests with ids and their replies,
// the interrupt buffer, and a new worker when one is lost.
//
//   const engine = createEngine(workerUrl, { onMessage, onLost });
//   await engine.ready;                          // the current worker booted
//   await engine.call("step", { session, level });  // protocol.js, section 1
//   engine.call("run", fields, (message) => ...);   // with its streamed events
//   engine.interrupt();                          // SIGINT into the Python call
//   engine.lose("it was terminated");            // fault injection (tests)
//
// onMessage receives the worker's boot, ready and fatal messages and
// {type: "restart", message} when a lost worker is replaced. A worker that
// crashes once booted (an uncaught error) or is terminated is replaced by a
// new one: its pending calls fail with an error whose `lost` is true,
// onLost() runs (whoever kept state in it forgets it), and callers restore
// what they need. A worker that cannot boot is not replaced: it would only
// fail again; neither is one lost more than MAX_RESTARTS times within
// RESTART_WINDOW_MS (a crash loop), which ends with a fatal message.

import { CONTROL, CONTROL_BYTES, MESSAGE, SIGINT, lastLine, request } from "./protocol.js";

const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export function createEngine(workerUrl, { onMessage, onLost }) {
  const pending = new Map(); // request id -> {resolve, reject, onEvent}
  const control = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(CONTROL_BYTES)) : null;
  const losses = []; // when workers were lost, within the last RESTART_WINDOW_MS
  let nextId = 1;
  let current = startWorker(); // {worker, ready, settle, booted}

  function startWorker() {
    const worker = new Worker(workerUrl, { type: "module" });
    const started = { worker, booted: false };
    started.ready = new Promise((resolve, reject) => {
      started.settle = { resolve, reject };
    });
    started.ready.catch(() => {});
    if (control) {
      // A SIGINT meant for a lost worker must not hit the new one.
      Atomics.store(control, CONTROL.INTERRUPT, 0);
      worker.postMessage({ type: MESSAGE.CONTROL, buffer: control.buffer });
    }
    worker.onmessage = ({ data }) => {
      if (current === started) receive(started, data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (current !== started) return;
      // A Python traceback ends with "ExceptionType: message".
      const message = event.message ? lastLine(event.message) : "the worker failed";
      if (started.booted) lose(`it crashed: ${message}`);
      else fail(started, new Error(message), { type: MESSAGE.FATAL, stage: "worker", error: message });
    };
    return started;
  }

  function receive(started, data) {
    switch (data.type) {
      case MESSAGE.REPLY: {
        const entry = pending.get(data.id);
        if (!entry) return;
        pending.delete(data.id);
        if ("error" in data) entry.reject(Object.assign(new Error(data.error), { dropped: data.dropped }));
        else entry.resolve(data.result);
        return;
      }
      case MESSAGE.EVENT:
        pending.get(data.id)?.onEvent?.(data);
        return;
      case MESSAGE.READY:
        started.booted = true;
        started.settle.resolve(data);
        onMessage(data);
        return;
      case MESSAGE.FATAL:
        started.settle.reject(new Error(`${data.stage}: ${data.error}`));
        onMessage(data);
        return;
      default:
        onMessage(data); // boot stages
    }
  }

  // The engine is unusable: fail its start-up and every call waiting on it.
  function fail(started, error, message) {
    started.settle.reject(error);
    rejectPending(error);
    onMessage(message);
  }

  function rejectPending(error) {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }

  // The worker is gone: fail what it was doing, let its users forget what it
  // held, and start a new one; whoever waits for the old one's start-up waits
  // for the new one's.
  function lose(reason) {
    const lost = current;
    if (!lost.worker) return;
    lost.worker.terminate();
    const error = Object.assign(new Error(`The engine worker stopped (${reason})`), { lost: true });
    rejectPending(error);
    onLost();
    const now = Date.now();
    losses.push(now);
    while (losses[0] <= now - RESTART_WINDOW_MS) losses.shift();
    if (losses.length > MAX_RESTARTS) {
      const fatal = `the engine worker stopped ${losses.length} times within a minute (last: ${reason}); `
        + "reload the page to try again";
      current = { worker: null, ready: Promise.reject(new Error(fatal)) };
      current.ready.catch(() => {});
      fail(lost, new Error(fatal), { type: MESSAGE.FATAL, stage: "worker", error: fatal });
      return;
    }
    current = startWorker();
    lost.settle.resolve(current.ready);
    onMessage({ type: "restart", message: `${error.message}; restarting it.` });
  }

  function call(type, fields, onEvent) {
    const { worker, ready } = current;
    if (!worker) return ready; // gave up: the fatal error
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onEvent });
      worker.postMessage(request(id, type, fields));
    });
  }

  return {
    get ready() {
      return current.ready;
    },
    isolated: Boolean(control),
    call,
    // Abort the Python call in progress (only when cross-origin isolated).
    interrupt() {
      if (control) Atomics.store(control, CONTROL.INTERRUPT, SIGINT);
    },
    lose,
    destroy() {
      current.worker?.terminate();
    },
  };
}
