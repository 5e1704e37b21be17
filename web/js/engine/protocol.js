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
//   {id, type: "open",       session, config, text}
//        config: the start form's fields (see CONFIG_FIELDS); text: the dataset,
//        one document per line. Result: the engine's session summary
//        {id, config, vocab, num_docs, fingerprint, num_params, step: 0,
//         trace_header}.
//   {id, type: "restore",    session, checkpoint, text}
//        checkpoint: an object previously returned by "checkpoint" (stored as
//        is). Result: the summary, with step = the checkpoint's step.
//   {id, type: "step",       session, level}
//        level: "loss" | "full". Result: one step event (engine format).
//   {id, type: "run",        session, steps, checkpoint_every, full_every_ms}
//        Runs up to `steps` steps, yielding to the event loop between steps so
//        "pause" takes effect within one step. Streams one "event" message per
//        step (see 3.). An event carries the full instrumentation when
//        full_every_ms have passed since the last full one (0 = every step).
//        Every `checkpoint_every` steps the event also carries `checkpoint`.
//        Result, when the loop ends: {session, step, reason, checkpoint}
//        reason: "done" (ran all steps) | "paused" | "error"; checkpoint is the
//        engine checkpoint at `step` (so a pause always persists one).
//   {id, type: "pause",      session}
//        Stops the session's run after the step in progress. Result:
//        {session, was_running: bool}.
//   {id, type: "reset",      session}   Result: the summary at step 0.
//   {id, type: "sample",     session, num_samples, temperature}
//        Result: {step, temperature, samples: [string, ...]}.
//   {id, type: "checkpoint", session}   Result: the engine checkpoint object.
//   {id, type: "close",      session}   Result: null.
//
// Checks: no session involved; the engine owns the rules and their messages.
//   {id, type: "check_config", config}
//        Result: {config} with every field, or an error naming the field.
//   {id, type: "check_trace",  text}
//        text: a trace file's contents. Result: {config, num_steps,
//        num_samples}, or an error naming the first problem (not JSON,
//        format, version, a step out of order, a number that is not finite).
//
// Probes: read the live session (the console may also change it). Like every
// request they are handled between two steps of a run (the run yields to the
// event loop after each step), so they never see a half-done step.
//   {id, type: "inspect",    session, name}
//        name: a key of state_dict ("wte", "layer0.attn_wq", ...). Result:
//        {name, shape: [rows, cols], step, weights, grads, m, v, update}, each
//        flat row-major; grads and update are null before the first step.
//   {id, type: "embedding",  session}
//        Result: {step, labels: [char per token id, "BOS" last],
//                 points: [[x, y] per token], explained: [r1, r2]} (PCA of wte).
//   {id, type: "probe",      session, context}
//        Result: {step, context, probs: [p per token id]}: the next-token
//        distribution after BOS + context (errors name unknown characters or
//        a context of block_size or more).
//   {id, type: "console",    session, code}
//        Runs Python against the live session (names: session, state_dict,
//        config, vocab, math; variables persist per session). Result:
//        {output} or {output, error_in_code} (the learner's exception, as data).
//
// ---------------------------------------------------------------------------
// 2. Worker -> page: replies
// ---------------------------------------------------------------------------
//   {type: "reply", id, result}          success
//   {type: "reply", id, error, dropped?} failure, as data: error is a one-line
//                                        message (engine {"error": ...}, the
//                                        last line of a Python exception, or a
//                                        protocol problem such as an unknown
//                                        session or a session already running).
//                                        dropped: the session id when the call
//                                        was interrupted (error "interrupted")
//                                        and the worker closed the session; the
//                                        page restores it from a checkpoint.
//
// ---------------------------------------------------------------------------
// 3. Worker -> page: unsolicited messages
// ---------------------------------------------------------------------------
//   {type: "boot",  stage, ms}           a boot stage finished (BOOT_STAGES),
//                                        ms = its duration.
//   {type: "ready", timings, isolated, interrupt}
//        timings: {stage: ms, total: ms}; isolated: self.crossOriginIsolated;
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
//        Int32 slot CONTROL.INTERRUPT is given to pyodide.setInterruptBuffer:
//        writing SIGINT (2) there raises KeyboardInterrupt inside the running
//        Python call. The page does so when a pause has not taken effect
//        within PAUSE_GRACE_MS (a step longer than that); the interrupted call
//        replies with `dropped` (see 2.). The worker clears the slot whenever
//        no run is going. Not a request: no reply.
//
// ---------------------------------------------------------------------------
// 5. Tab <-> tab: BroadcastChannel(CHANNEL_NAME)
// ---------------------------------------------------------------------------
// Each tab has a random `tab` id. Sessions live in the worker of the tab that
// owns them (a Web Lock named lockName(session)); other tabs watch.
//   {type: "hello",  tab}                a tab opened: everyone re-announces.
//   {type: "watch",  tab, session}       this tab now shows `session` (or null).
//   {type: "bye",    tab}                the tab is closing.
//   {type: "status", tab, session, status, step, num_steps}
//        the owner's view of a session changed (status: SESSION_STATUS).
//   {type: "event",  tab, session, event}
//        a step event of a session owned by `tab` (light: no checkpoint).
//   {type: "sample", tab, session, result}
//   {type: "sessions", tab}              the stored list of sessions changed.

// ---------------------------------------------------------------------------
// 6. Page -> service worker (sw.js, a classic script: it cannot import this
//    module, so the one string is spelled there too)
// ---------------------------------------------------------------------------
//   {type: "activate-if-alone"}          posted by a page at start-up to a
//        waiting (newer) service worker. It answers
//   {type: "activate-if-alone", alone}   and, when alone (that page is the
//        origin's only window), calls skipWaiting(); the page waits for the
//        controllerchange and reloads into the new version before anything
//        runs (app.js adoptWaitingVersion).

export const PROTOCOL_VERSION = 1;
export const SW_ACTIVATE_IF_ALONE = "activate-if-alone";

export const REQUEST = Object.freeze({
  OPEN: "open",
  RESTORE: "restore",
  STEP: "step",
  RUN: "run",
  PAUSE: "pause",
  RESET: "reset",
  SAMPLE: "sample",
  CHECKPOINT: "checkpoint",
  CLOSE: "close",
  CHECK_CONFIG: "check_config",
  CHECK_TRACE: "check_trace",
  INSPECT: "inspect",
  EMBEDDING: "embedding",
  PROBE: "probe",
  CONSOLE: "console",
});

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
  SESSIONS: "sessions",
});

export const BOOT_STAGES = Object.freeze(["manifest", "runtime", "packages", "import"]);

export const RUN_REASON = Object.freeze({ DONE: "done", PAUSED: "paused", ERROR: "error" });

// A session's status as the page shows it.
//   idle: loaded or stored, not running; running; paused; done (reached
//   num_steps); error; interrupted: stored as running by a tab that is gone;
//   imported: a trace loaded from a file, read-only (no model behind it).
export const SESSION_STATUS = Object.freeze({
  IDLE: "idle",
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

export const CONTROL = Object.freeze({ INTERRUPT: 0 });
export const CONTROL_BYTES = 4;
export const SIGINT = 2;
export const PAUSE_GRACE_MS = 1000;

export const CHECKPOINT_EVERY = 50;
export const FULL_EVERY_MS = 100;

export const TRACE_FORMAT = "microgpt-lab-trace";
export const TRACE_VERSION = 1;

// The engine's Config, in one declarative table read by the form and the URL.
// kind: "int" | "float" | "choice"; min is inclusive unless exclusive_min.
export const CONFIG_FIELDS = Object.freeze([
  { name: "n_embd", label: "Embedding size (n_embd)", kind: "int", default: 16, min: 1 },
  { name: "n_head", label: "Heads (n_head)", kind: "int", default: 4, min: 1 },
  { name: "n_layer", label: "Layers (n_layer)", kind: "int", default: 1, min: 1 },
  { name: "block_size", label: "Context (block_size)", kind: "int", default: 16, min: 1 },
  { name: "learning_rate", label: "Learning rate", kind: "float", default: 0.01, min: 0, exclusive_min: true, step: "any" },
  { name: "num_steps", label: "Steps (num_steps)", kind: "int", default: 1000, min: 1 },
  { name: "temperature", label: "Sampling temperature", kind: "float", default: 0.5, min: 0, exclusive_min: true, step: "any" },
  { name: "seed", label: "Seed", kind: "int", default: 42, min: 0 },
  { name: "engine", label: "Engine", kind: "choice", default: "vector", choices: ["vector", "scalar"] },
]);

export function defaultConfig() {
  return Object.fromEntries(CONFIG_FIELDS.map((f) => [f.name, f.default]));
}

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
export function lastLine(message) {
  const lines = String(message).split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : "unknown error";
}

// Build the exported trace from what the store holds.
export function buildTrace(traceHeader, steps, samples) {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    ...traceHeader,
    steps,
    samples,
  };
}
