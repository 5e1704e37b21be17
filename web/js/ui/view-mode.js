// What the page shows, as one value with named moves (the router holds it):
//
//   none ──record──▶ recording            the recorded run, before Python is ready
//   none | recording | live | travel ──show(id)──▶ live(id)   a session, at its newest step
//   live(id) | travel(id) ──travel(step)──▶ travel(id, step)  time travel: the panels at `step`
//   travel(id) ──live──▶ live(id)                             back to the newest step
//
// A move the table does not list (time travel in the recording, "live"
// with nothing shown) throws an IllegalMove naming it. Pure: tested under
// Node (tests/web/view-mode.test.mjs).
//
//   let mode = NOTHING_SHOWN;
//   mode = move(mode, "show", id);       // {kind: "live", session: id, step: null}
//   mode = move(mode, "travel", 40);     // {kind: "travel", session: id, step: 40}

export const MODE = Object.freeze({ NONE: "none", RECORDING: "recording", LIVE: "live", TRAVEL: "travel" });

export const NOTHING_SHOWN = Object.freeze({ kind: MODE.NONE, session: null, step: null });

const MOVES = Object.freeze({
  record: { from: [MODE.NONE], to: () => ({ kind: MODE.RECORDING, session: null, step: null }) },
  show: { from: Object.values(MODE), to: (mode, id) => ({ kind: MODE.LIVE, session: id, step: null }) },
  travel: { from: [MODE.LIVE, MODE.TRAVEL], to: (mode, step) => ({ kind: MODE.TRAVEL, session: mode.session, step }) },
  live: { from: [MODE.TRAVEL], to: (mode) => ({ kind: MODE.LIVE, session: mode.session, step: null }) },
});

export class IllegalMove extends Error {
  constructor(mode, name) {
    super(`cannot ${name} while the page shows ${mode.kind === MODE.NONE ? "nothing" : `the ${mode.kind} view`}`);
    this.name = "IllegalMove";
  }
}

export function move(mode, name, arg) {
  const rule = MOVES[name];
  if (!rule) throw new Error(`unknown move ${JSON.stringify(name)}`);
  if (!rule.from.includes(mode.kind)) throw new IllegalMove(mode, name);
  if (name === "show" && typeof arg !== "string") throw new Error(`show needs a session id, got ${arg}`);
  if (name === "travel" && !(Number.isInteger(arg) && arg >= 1)) throw new Error(`travel needs a step from 1, got ${arg}`);
  return Object.freeze(rule.to(mode, arg));
}

// The session whose panels are shown (live or travelling), or null.
export const shownSession = (mode) => (mode.kind === MODE.LIVE || mode.kind === MODE.TRAVEL ? mode.session : null);
