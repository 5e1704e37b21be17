// The lessons' own engine worker: the same worker script and boot snapshot
// as the sessions' (engine/worker.js), through a second EngineClient, so a
// learner's code never shares a worker with a training session. It holds
// sessions of its own, never stored: the bundled names at step 0, with the
// default config or a rung's, for the chapters' questions about the data
// and a freshly made model (tokens, counts, a gradient checked by nudging).
//
//   const engine = createLessonEngine({ workerUrl, dataset });
//   await engine.ready;
//   await engine.ask("surprise", { probability: 0.5 });      // a question
//   await engine.askData("tokens", { text: "emma" });         // about the names
//   await engine.askData("gradient_check", fields, { n_layer: 0 }); // a model of that config at step 0
//   await engine.runCode("check_exercise", { exercise, code }); // the learner's code
//   engine.stop();                                            // the code in progress
//
// The learner's code runs under a time limit and can be stopped: a SIGINT
// when the page is cross-origin isolated (Python raises KeyboardInterrupt
// and answers "stopped"; the client's watchdog ends a worker that does not
// answer), else the worker is ended at once and a new one boots. Either
// way only this worker is touched. A worker ended too often in a minute
// (the client's restart budget) is replaced by a new client on the next
// request.
import { EngineClient } from "../engine/client.js";

export const TIME_LIMIT_MS = 10_000;

export function createLessonEngine({ workerUrl, dataset, onMessage = () => {} }) {
  let client = null;
  let dead = false; // the client gave up (fatal): the next request starts another
  let opened = new Map(); // config (JSON) -> its data session's open request, in the current worker
  const running = new Set(); // the learner's code in progress: its jobs

  function start() {
    dead = false;
    opened = new Map();
    client = new EngineClient(workerUrl, {
      onMessage(message) {
        if (message.type === "fatal") dead = true;
        onMessage(message);
      },
      onLost: () => {
        opened = new Map();
      },
    });
    return client;
  }
  start();

  const current = () => (dead ? start() : client);

  async function ask(type, fields = {}) {
    const engine = current();
    await engine.ready;
    return engine.call(type, fields);
  }

  async function askData(type, fields = {}, config = {}) {
    const engine = current();
    await engine.ready;
    const key = JSON.stringify(config);
    const session = `lesson-names-${opened.size}`;
    if (!opened.has(key)) opened.set(key, dataset.then((data) => engine.call("open", { session, config, text: data.text }))
      .then((summary) => summary.id));
    const open = opened.get(key);
    try {
      return engine.call(type, { ...fields, session: await open });
    } catch (error) {
      if (opened.get(key) === open) opened.delete(key);
      throw error;
    }
  }

  // The learner's code: {ok, message, ..., stopped?}; a stop or the time
  // limit answers {ok: false, stopped: true} whichever way the worker went.
  async function runCode(type, fields) {
    const job = { timedOut: false };
    running.add(job);
    const limit = setTimeout(() => {
      job.timedOut = true;
      stop();
    }, TIME_LIMIT_MS);
    const stopped = () => ({ ok: false, stopped: true, message: job.timedOut
      ? `Stopped after ${TIME_LIMIT_MS / 1000} s, the time limit: is there a loop that never ends?`
      : "Stopped while your code was still running." });
    try {
      const result = await ask(type, fields);
      return result.stopped ? { ...result, ...stopped() } : result;
    } catch (error) {
      if (error.lost) return stopped();
      throw error;
    } finally {
      clearTimeout(limit);
      running.delete(job);
    }
  }

  function stop() {
    if (!running.size || dead) return;
    if (client.isolated) client.interrupt();
    else client.lose("the learner's code was stopped");
  }

  return {
    get ready() {
      return current().ready;
    },
    get running() {
      return running.size > 0;
    },
    ask,
    askData,
    runCode,
    stop,
  };
}
