// What the page shows (ui/view-mode.js): the recording, a session live, or a
// session at a step (time travel), and the named moves between them.
import assert from "node:assert/strict";
import { test } from "node:test";

import { IllegalMove, MODE, NOTHING_SHOWN, move, shownSession } from "../../web/js/ui/view-mode.js";

test("the recording, then a session live, then time travel and back", () => {
  let mode = move(NOTHING_SHOWN, "record");
  assert.equal(mode.kind, MODE.RECORDING);
  assert.equal(shownSession(mode), null);
  mode = move(mode, "show", "s1");
  assert.deepEqual({ ...mode }, { kind: MODE.LIVE, session: "s1", step: null });
  mode = move(mode, "travel", 40);
  assert.deepEqual({ ...mode }, { kind: MODE.TRAVEL, session: "s1", step: 40 });
  mode = move(mode, "travel", 12);
  assert.equal(mode.step, 12);
  assert.equal(shownSession(mode), "s1");
  mode = move(mode, "live");
  assert.deepEqual({ ...mode }, { kind: MODE.LIVE, session: "s1", step: null });
  assert.ok(Object.isFrozen(mode));
});

test("showing another session leaves time travel", () => {
  const travelling = move(move(NOTHING_SHOWN, "show", "s1"), "travel", 5);
  assert.deepEqual({ ...move(travelling, "show", "s2") }, { kind: MODE.LIVE, session: "s2", step: null });
});

test("moves the table does not list are refused, naming them", () => {
  const recording = move(NOTHING_SHOWN, "record");
  assert.throws(() => move(recording, "travel", 3), (error) => error instanceof IllegalMove
    && error.message === "cannot travel while the page shows the recording view");
  assert.throws(() => move(NOTHING_SHOWN, "live"), /cannot live while the page shows nothing/);
  const live = move(NOTHING_SHOWN, "show", "s1");
  assert.throws(() => move(live, "live"), IllegalMove);
  assert.throws(() => move(live, "record"), IllegalMove);
  assert.throws(() => move(live, "travel", 0), /travel needs a step from 1, got 0/);
  assert.throws(() => move(live, "travel", 2.5), /travel needs a step/);
  assert.throws(() => move(NOTHING_SHOWN, "show", null), /show needs a session id/);
  assert.throws(() => move(live, "jump"), /unknown move "jump"/);
});
