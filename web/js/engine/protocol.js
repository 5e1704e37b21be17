// The one contract between the page, the engine worker and other tabs.
//
// Every message that crosses a boundary is documented here; both sides import
// the constants and helpers below instead of spelling strings by hand.
//
// ---------------------------------------------------------------------------
// 1. Page -> worker: requests
// ---------------------------------------------------------------------------
// Every request is {id, type, ...fields}; `id` is a page-chosen integer, unique
// per worker. The worker answers each request exactly once with a reply (see
// 2.) echoing `id`. Sessions are named by a page-chosen string `session`.
//
// A request's `type` is the name of the Python function that answers it, in
// microgpt_lab/worker.py, and its other fields are that function's keyword
// arguments: the worker passes them on as they are (py/microgpt_lab/worker.py
// documents each one and its result). They are:
//   open(session, config, text)          -> summary {id, config, vocab, num_docs, num_held_out,
//                                           fingerprint, num_params, step, trace_header}; the trace
//                                           header's `model` is the engine's description of the
//                                           session's model: {num_params, matrices, stages, optimizer}
//                                           (model.describe in py/microgpt_lab/model.py; draw/model.js)
//   restore(session, checkpoint, text)   -> summary at the checkpoint's step
//   step(session, level)                 -> one step event (level "loss" | "full")
//   sample(session, num_samples, temperature) -> {step, temperature, samples}
//   reset(session)                       -> summary at step 0
//   checkpoint(session)                  -> checkpoint object (stored as is)
//   close(session)                       -> null
//   check_config(config)                 -> {config}, or an error naming the field
//   check_trace(text)                    -> {config, model, num_steps, num_samples}: model is the
//                                           engine's description of the trace's config (never the file's)
//   describe(config, vocab)              -> the model's description, for a record saved without one
//   bigram(session)                      -> the counting bigram of the session's training documents:
//                                           {rows: [{total, next, counts, probs}] per token id, loss,
//                                           num_docs, positions, held_out: null | {loss (add-one),
//                                           unseen, num_docs, positions}} (Session.bigram; bigram.py)
//   count_bigram(config, text)           -> the same for a session not open in this worker, from its
//                                           config and data (sessions.bigram: any stored session)
//   check_size(size)                     -> {size}, or an error: a dataset file's size before it is read
//   check_trace_size(size)               -> {size}, or an error: a trace file's size before it is read
//   check_data(text)                     -> {num_docs, vocab, longest, num_bytes}, or an error naming
//                                           the problem (data.describe: the preview and the limits)
// and the probes of a live model, answered between two steps of a run:
//   matrix(session, name)                -> {name, shape, step, weights, grads, m, v, update}
//                                           (m and v: Adam's, null with SGD)
//   embedding_map(session)               -> {step, labels, points, explained}
//   next_token(session, context)         -> {step, context, probs}
//   console(session, code)               -> {output} | {output, error_in_code, stopped?, put_back?}
//   explain(session, position)           -> the last step at that position, stage by stage,
//                                           forward and backward, then the update of its wte and wpe
//                                           rows: update {optimizer, t, lr, and Adam's beta1, beta2,
//                                           eps, bias_correction1, bias_correction2}, and sampled
//                                           {temperature, probs}: what sampling draws from there at the
//                                           session's temperature (Session.explain; explain.py)
// and the path's (lessons.py; the page's ?lesson=<n>, web/js/lessons/):
//   tokens(session, text)                -> {text, tokens, labels, vocab, bos, vocab_size, pairs, uniform_loss}
//   surprise(probability)                -> {probability, loss}
//   gradient_check(session, name, row, col, h) -> {step, doc, tokens, labels, row, weight, loss, loss_plus,
//                                           loss_minus, numerical, analytic, ...}: one weight (row null:
//                                           one the first position reads), on the next document
//   attention_map(session, text)         -> {step, text, tokens, labels, attention, probs, losses}
//   name_probabilities(session, text, temperature) -> {step, text, temperature, chars: [{char, p}], end}
//   bigram_samples(session, num_samples, seed) -> {seed, samples}: names drawn from the counting bigram
// and the learner's own code, which the page sends to a worker of its own
// (it holds no session: its Stop and time limit interrupt it or end it):
//   check_exercise(exercise, code)       -> {ok, message, output, stopped?} (lessons.check)
//   value_graph(code)                    -> {ok: true, nodes, output} | {ok: false, message, stopped?}
//
// Two requests are the worker's own loop, not Python functions:
//   run(session, steps, checkpoint_every, full_every_ms)
//        Runs up to `steps` steps, yielding to the event loop between steps so
//        "pause" takes effect within one step. Streams one "event" message per
//        step (see 3.). An event carries the full instrumentation when
//        full_every_ms have passed since the last full one (0 = every step).
//        Every `checkpoint_every` steps the event also carries `checkpoint`.
//        Result, when the loop ends: {session, step, reason, checkpoint}
//        reason: "done" (ran all steps) | "paused"; checkpoint is the engine
//        checkpoint at `step` (so a pause always persists one).
//   pause(session)  Stops the session's run after the step in progress.
//        Result: {session, was_running: bool}.
//
// ---------------------------------------------------------------------------
// 2. Worker -> page: replies
// ---------------------------------------------------------------------------
//   {type: "reply", id, result}          success
//   {type: "reply", id, error, ...ERROR_FIELDS} failure, as data: error is a one-line
//                                        message (engine {"error": ...}, the
//                                        last line of a Python exception, or a
//                                        protocol problem such as a session
//                                        already running). dropped: the
//                                        session id when a run's step was
//                                        interrupted (error "interrupted") and
//                                        the worker closed the session; the
//                                        page restores it from a checkpoint.
//                                        diverged: {step, cause, learning_rate}
//                                        when a step's numbers blew up (the
//                                        engine's Diverged.data). no_step:
//                                        true when explain was asked of a
//                                        session that has taken no step in
//                                        this worker (the engine's NoStepHere).
//
// ---------------------------------------------------------------------------
// 3. Worker -> page: unsolicited messages
// ---------------------------------------------------------------------------
//   {type: "boot",  stage, ms}           a boot stage finished (BOOT_STAGES),
//                                        ms = its duration.
//   {type: "ready", timings, version, isolated, interrupt}
//        timings: {stage: ms, total: ms}; version: the site's build (its
//        manifest's version); isolated: self.crossOriginIsolated;
//        interrupt: whether the SharedArrayBuffer interrupt is installed.
//   {type: "fatal", stage, error}        boot failed at `stage`; the worker is
//                                        unusable.
//   {type: "event", id, session, event, checkpoint?}
//        One training step of the run request `id` (engine step event).
//
// ---------------------------------------------------------------------------
// 4. Page -> worker: the control buffer (only when crossOriginIsolated)
// ---------------------------------------------------------------------------
//   {type: "control", buffer}            a SharedArrayBuffer of CONTROL_BYTES.
//        Two Int32 slots, each given to pyodide.setInterruptBuffer only
//        while the Python calls it is meant for run: writing SIGINT (2)
//        there raises KeyboardInterrupt inside the call. CONTROL.PAUSE is
//        heard by a run's steps: the page writes it when a pause has not
//        taken effect within PAUSE_GRACE_MS (a step longer than that); the
//        interrupted run replies with `dropped` (see 2.); a SIGINT found
//        before a step (written while the worker answered something else)
//        pauses the run there instead. The worker clears the slot when a run
//        ends, the page when it hears the run's reply. CONTROL.STOP is heard
//        by a learner's code (LEARNER_CODE: a console command, an exercise,
//        a Value graph): its Stop button and time limit. So a Pause never
//        stops a learner's code nor a Stop a run, and no other request is
//        ever interrupted. Not a request: no reply.
//
// ---------------------------------------------------------------------------
// 5. Tab <-> tab: BroadcastChannel(CHANNEL_NAME)
// ---------------------------------------------------------------------------
// Each tab has a random `tab` id. A session lives in the worker of the tab
// that holds its Web Lock (lockName(session)), which it holds while it
// trains or shows the session; other tabs watch, and one that shows it waits
// for the lock (a dead tab's locks are freed) to take the session over.
//   {type: "hello",  tab}                a tab opened: everyone re-announces.
//   {type: "watch",  tab, session}       this tab now shows `session` (or null).
//   {type: "bye",    tab}                the tab is closing.
//   {type: "status", tab, session, status, step, num_steps, busy, queued}
//        the owner's view of a session changed (status: SESSION_STATUS;
//        busy, queued: its action in progress and those waiting, by name).
//   {type: "release", tab, session}      the tab let go of the session's lock.
//   {type: "pause",  tab, session}       a watcher's Pause: the tab that holds
//        the session pauses its run (only that tab writes its record).
//   {type: "event",  tab, session, event}
//        a step event of a session owned by `tab` (light: no checkpoint).
//   {type: "sample", tab, session, result}
//   {type: "list",   tab}                the stored list of sessions changed.
//
// ---------------------------------------------------------------------------
// 6. Page -> service worker (sw.js, a classic script: it cannot import this
//    module, so the one string is spelled there too)
// ---------------------------------------------------------------------------
//   {type: "activate-if-alone"}          posted by a page at start-up to a
//        waiting (newer) service worker. It answers
//   {type: "activate-if-alone", alone}   and, when alone (that page is the
//        origin's only window), calls skipWaiting(); the page waits for the
//        controllerchange and reloads into the new version before anything
//        runs (ui/update.js).

export const SW_ACTIVATE_IF_ALONE = "activate-if-alone";

// The worker's own loop; every other request type is a Python function name.
export const RUN = "run";
export const PAUSE = "pause";
export const CONSOLE = "console";
// Requests that change a session, refused while it runs (probes are not).
export const REFUSED_WHILE_RUNNING = Object.freeze([RUN, "open", "restore", "step", "reset", "close"]);

export const MESSAGE = Object.freeze({
  REPLY: "reply",
  BOOT: "boot",
  READY: "ready",
  FATAL: "fatal",
  EVENT: "event",
  CONTROL: "control",
});

export const BROADCAST = Object.freeze({
  HELLO: "hello",
  WATCH: "watch",
  BYE: "bye",
  STATUS: "status",
  EVENT: "event",
  SAMPLE: "sample",
  LIST: "list",
  RELEASE: "release",
  PAUSE: "pause",
});

export const BOOT_STAGES = Object.freeze(["manifest", "runtime", "packages", "import"]);

export const RUN_REASON = Object.freeze({ DONE: "done", PAUSED: "paused" });

// A session's status as the page shows it (its moves: sessions/lifecycle.js).
//   idle: loaded or stored, not running; stepping: a Step in flight (never
//   stored); waiting: a Run waiting for a free worker; running; paused; done
//   (reached num_steps); error (training diverged: it stays at its last good
//   step); interrupted: stored as running or waiting by a tab that is gone;
//   imported: a trace loaded from a file, read-only (no model behind it).
export const SESSION_STATUS = Object.freeze({
  IDLE: "idle",
  STEPPING: "stepping",
  WAITING: "waiting",
  RUNNING: "running",
  PAUSED: "paused",
  DONE: "done",
  ERROR: "error",
  INTERRUPTED: "interrupted",
  IMPORTED: "imported",
});

export const LEVEL = Object.freeze({ LOSS: "loss", FULL: "full" });

export const CHANNEL_NAME = "microgpt-lab";
export const lockName = (session) => `microgpt-lab-session:${session}`;

// What a failed reply may say besides its message (section 2); the page
// reads them on the Error it rejects with.
export const ERROR_FIELDS = Object.freeze(["dropped", "diverged", "no_step"]);

export const CONTROL = Object.freeze({ PAUSE: 0, STOP: 1 });
// The requests that run a learner's code: they hear CONTROL.STOP.
export const LEARNER_CODE = Object.freeze([CONSOLE, "check_exercise", "value_graph"]);
export const CONTROL_BYTES = 8;
export const SIGINT = 2;
export const PAUSE_GRACE_MS = 1000;
// A worker that sends nothing for this long after an interrupt is stuck
// (a loop SIGINT cannot reach, a closed worker): it is replaced.
export const WATCHDOG_MS = 5000;
// A run whose worker sends nothing (no step event, no reply) for this long
// has a worker that stopped (closed, or stuck where SIGINT cannot reach).
export const RUN_SILENCE_MS = 60_000;

export const CHECKPOINT_EVERY = 50;
export const FULL_EVERY_MS = 100;

// Requests and replies.
export function request(id, type, fields = {}) {
  return { ...fields, id, type };
}
export function reply(id, result) {
  return { type: MESSAGE.REPLY, id, result };
}
export function replyError(id, error) {
  return { type: MESSAGE.REPLY, id, error: String(error) };
}

// The last non-empty line of an error message (Python tracebacks end with
// "ExceptionType: message").
// The fields of `object` named in `names` that it has (and are not undefined).
export function pick(object, names) {
  return Object.fromEntries(names.filter((name) => object[name] !== undefined).map((name) => [name, object[name]]));
}

export function lastLine(message) {
  const lines = String(message).split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : "unknown error";
}
