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
// The requests go to the worker one at a time, in order, so a Stop reaches
// the learner's code and nothing else: a SIGINT when the page is
// cross-origin isolated (Python raises KeyboardInterrupt and answers
// "stopped"; the client's watchdog ends a worker that does not answer),
// else the worker is ended at once and a new one boots. The same happens at
// the time limit, counted from when the code starts. Either way only this
// worker is touched. A worker ended too often in a minute (the client's
// restart budget) is replaced by a new client on the next request.
import { EngineClient } from "../engine/client.js";
import { CONTROL } from "../engine/protocol.js";

export const TIME_LIMIT_MS = 10_000;

export function createLessonEngine({ workerUrl, dataset, onMessage = () => {} }) {
  let client = null;
  let dead = false; // the client gave up (fatal): the next request starts another
  let opened = new Map(); // config (JSON) -> its data session's open request, in the current worker
  let queue = Promise.resolve(); // the requests, one after another
  const jobs = new Set(); // the learner's code, waiting its turn or running: {stopped, timedOut}
  let running = null; // the one in the worker now

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

  // fn(engine) once every request before it was answered.
  function serial(fn) {
    const turn = queue.then(async () => {
      const engine = current();
      await engine.ready;
      return fn(engine);
    });
    queue = turn.catch(() => {});
    return turn;
  }

  const ask = (type, fields = {}) => serial((engine) => engine.call(type, fields));

  function askData(type, fields = {}, config = {}) {
    return serial(async (engine) => {
      const key = JSON.stringify(config);
      if (!opened.has(key)) {
        const session = `lesson-names-${opened.size}`;
        opened.set(key, dataset.then((data) => engine.call("open", { session, config, text: data.text })).then((summary) => summary.id));
      }
      const open = opened.get(key);
      let session;
      try {
        session = await open;
      } catch (error) {
        if (opened.get(key) === open) opened.delete(key);
        throw error;
      }
      return engine.call(type, { ...fields, session });
    });
  }

  // The learner's code: {ok, message, ..., stopped?}; a stop or the time
  // limit answers {ok: false, stopped: true} whichever way the worker went.
  function runCode(type, fields) {
    const job = { stopped: false, timedOut: false };
    const stopped = () => ({ ok: false, stopped: true, message: job.timedOut
      ? `Stopped after ${TIME_LIMIT_MS / 1000} s, the time limit: is there a loop that never ends?`
      : "Stopped while your code was still running." });
    jobs.add(job);
    return serial(async (engine) => {
      if (job.stopped) return stopped(); // stopped before its turn came
      running = job;
      const limit = setTimeout(() => {
        job.timedOut = true;
        stop();
      }, TIME_LIMIT_MS);
      try {
        const result = await engine.call(type, fields);
        return result.stopped ? { ...result, ...stopped() } : result;
      } catch (error) {
        if (error.lost) return stopped();
        throw error;
      } finally {
        clearTimeout(limit);
        running = null;
      }
    }).finally(() => jobs.delete(job));
  }

  function stop() {
    const interrupt = running && !running.stopped;
    for (const job of jobs) job.stopped = true;
    if (!interrupt) return;
    if (client.isolated) client.interrupt(CONTROL.STOP);
    else client.lose("the learner's code was stopped");
  }

  return {
    get ready() {
      return current().ready;
    },
    get running() {
      return jobs.size > 0;
    },
    ask,
    askData,
    runCode,
    stop,
  };
}
