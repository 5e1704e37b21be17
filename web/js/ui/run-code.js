// Code a learner typed, run in the engine worker under the console's limits:
// a time limit, and a Stop that interrupts it (never a run's training). The
// worker runs it between two training steps, against read-only views of the
// session (py/microgpt_lab/console.py), and undoes any change it made to the
// session all the same (worker.unharmed); what it prints comes back cut to
// the engine's limit.
//
//   const command = runCode(model, "console", { code });  // model: view.model of a live-model view
//   command.stop();                                          // the Stop button
//   const answer = await command.answer;
//   // {output, error_in_code?, stopped?, put_back?, timed_out?}; a model that
//   // is missing, or a request the worker refused, rejects with its message
//
// The interrupt reaches Python only when the page is cross-origin isolated;
// otherwise a command still going after its limit ends when the engine
// client's watchdog replaces the worker (README, Reliability).
export const TIME_LIMIT_MS = 30_000;

export function runCode(model, type, fields) {
  let timedOut = false;
  const stop = () => model.stopConsole?.();
  const limit = setTimeout(() => {
    timedOut = true;
    stop();
  }, TIME_LIMIT_MS);
  const answer = (async () => {
    try {
      if (model.missing) throw new Error(model.missing);
      const result = await model.ask(type, fields);
      return timedOut && result.stopped ? { ...result, timed_out: true } : result;
    } finally {
      clearTimeout(limit);
    }
  })();
  return { answer, stop };
}
