// window.lab: a read-only handle on the page for tests and the curious (no
// mocks needed), and the view that keeps what it tells: the latest events of
// the shown session and the engine's start-up timings.
const KEEP_EVENTS = 50;

export function installDebugHandle({ sessions, router, controls }) {
  // shown: the session the views have drawn (current is chosen first, and
  // its stored steps are read before they draw it).
  const seen = { events: [], shown: null, timings: null, isolated: false };
  window.lab = Object.freeze({
    get state() {
      return { phase: controls.state.phase, current: router.current, shown: seen.shown, status: controls.state.status,
               timings: seen.timings, isolated: seen.isolated, events: seen.events.slice(), tab: sessions.tab };
    },
    listSessions: () => sessions.list(),
    steps: (id) => sessions.steps(id ?? router.current),
    samples: (id) => sessions.samples(id ?? router.current),
    trace: (id) => sessions.exportTrace(id ?? router.current),
    // Which engine worker holds which session: [{worker, sessions, running}].
    workers: () => sessions.workers(),
    workerLimit: sessions.workerLimit, // how many may train at once (engine/pool.js workerLimit)
    // What the page shows: {kind: "none" | "recording" | "live" | "travel", session, step} (ui/view-mode.js).
    get mode() {
      return { ...router.mode };
    },
    // Fault injection for the reliability tests: end the worker holding
    // session `id` (default: the shown one's).
    debug: Object.freeze({ terminateWorker: (id) => sessions.terminateWorker(id ?? router.current) }),
  });
  return {
    select({ session, steps }) {
      seen.shown = session;
      seen.events = steps.slice(-KEEP_EVENTS);
    },
    latest(event) {
      seen.events.push(event);
      if (seen.events.length > KEEP_EVENTS) seen.events.splice(0, seen.events.length - KEEP_EVENTS);
    },
    engine(message) {
      if (message.type !== "ready") return;
      seen.timings = message.timings;
      seen.isolated = message.isolated;
    },
  };
}
