// A session's lifecycle (sessions/lifecycle.js): the table of moves, the one
// object that makes them (store first, then say), and actions taking turns.
import assert from "node:assert/strict";
import { test } from "node:test";

import { IllegalTransition, Lifecycle, STATUS, TRANSITIONS, allows, canMove, wantsToRun }
  from "../../web/js/sessions/lifecycle.js";

function recorded(status = STATUS.IDLE, step = 0) {
  const log = [];
  const life = new Lifecycle({ id: "s1", status, step, num_steps: 10 }, {
    save: async (changes, checkpoint) => log.push(["save", changes, checkpoint]),
    announce: (info) => log.push(["announce", info.status, info.step]),
  });
  return { life, log };
}

test("the table: a session trains from idle or paused, and only Reset leaves done and error", () => {
  assert.ok(canMove(STATUS.IDLE, STATUS.RUNNING));
  assert.ok(canMove(STATUS.PAUSED, STATUS.RUNNING));
  assert.ok(canMove(STATUS.RUNNING, STATUS.PAUSED));
  assert.ok(canMove(STATUS.WAITING, STATUS.RUNNING));
  assert.deepEqual([...TRANSITIONS[STATUS.DONE]], [STATUS.IDLE]);
  assert.deepEqual([...TRANSITIONS[STATUS.ERROR]], [STATUS.IDLE]);
  assert.deepEqual([...TRANSITIONS[STATUS.IMPORTED]], []);
  for (const from of [STATUS.STEPPING, STATUS.RUNNING, STATUS.WAITING, STATUS.DONE, STATUS.ERROR]) {
    assert.ok(!canMove(from, STATUS.STEPPING), `${from} -> stepping`);
  }
  // Every status named in the table is a status the table has a row for.
  for (const targets of Object.values(TRANSITIONS)) for (const to of targets) assert.ok(to in TRANSITIONS, to);
});

test("what the buttons may start follows the table", () => {
  assert.deepEqual(allows(STATUS.IDLE), { step: true, run: true, pause: false, reset: true });
  assert.deepEqual(allows(STATUS.RUNNING), { step: false, run: false, pause: true, reset: true });
  assert.deepEqual(allows(STATUS.WAITING), { step: false, run: false, pause: true, reset: true });
  assert.deepEqual(allows(STATUS.ERROR), { step: false, run: false, pause: false, reset: true });
  assert.deepEqual(allows(STATUS.DONE), { step: false, run: false, pause: false, reset: true });
  assert.deepEqual(allows(STATUS.IMPORTED), { step: false, run: false, pause: false, reset: false });
  assert.ok(wantsToRun(STATUS.WAITING) && wantsToRun(STATUS.RUNNING) && !wantsToRun(STATUS.PAUSED));
});

test("a move is stored first, then said; a step in flight is said but not stored", async () => {
  const { life, log } = recorded();
  await life.to(STATUS.STEPPING);
  await life.to(STATUS.IDLE, { step: 1 }, { step: 1 });
  assert.deepEqual(log, [
    ["announce", STATUS.STEPPING, 0],
    ["save", { status: STATUS.IDLE, step: 1 }, { step: 1 }],
    ["announce", STATUS.IDLE, 1],
  ]);
  assert.equal(life.status, STATUS.IDLE);
  assert.equal(life.step, 1);
});

test("an illegal move is refused at once, loudly, and nothing is stored or said", async () => {
  const { life, log } = recorded(STATUS.DONE, 10);
  await assert.rejects(life.to(STATUS.RUNNING), (error) => {
    assert.ok(error instanceof IllegalTransition);
    assert.equal(error.message, "session s1: a done session cannot become running");
    return true;
  });
  assert.equal(life.status, STATUS.DONE);
  assert.deepEqual(log, []);
  // A diverged session cannot step on: only Reset.
  const diverged = recorded(STATUS.ERROR, 42).life;
  await assert.rejects(diverged.to(STATUS.STEPPING), IllegalTransition);
  await diverged.to(STATUS.IDLE, { step: 0 });
  assert.equal(diverged.step, 0);
});

test("the status changes before the write lands, so a second move sees it", async () => {
  let release;
  const life = new Lifecycle({ status: STATUS.IDLE, step: 0, num_steps: 5 }, {
    save: () => new Promise((resolve) => { release = resolve; }),
  });
  const running = life.to(STATUS.RUNNING);
  assert.equal(life.status, STATUS.RUNNING);
  assert.ok(!life.can(STATUS.STEPPING));
  release();
  await running;
});

test("actions take turns: a Run asked during a Step starts when the Step has ended", async () => {
  const { life } = recorded();
  const order = [];
  let endStep;
  const step = life.perform("step", async () => {
    order.push("step starts");
    await new Promise((resolve) => { endStep = resolve; });
    order.push("step ends");
    return "stepped";
  });
  const run = life.perform("run", async () => {
    order.push(`run starts after ${life.busy === "run" ? "its turn came" : "?"}`);
    return "ran";
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(life.busy, "step");
  assert.deepEqual(life.info.queued, ["run"]);
  endStep();
  assert.deepEqual(await Promise.all([step, run]), ["stepped", "ran"]);
  assert.deepEqual(order, ["step starts", "step ends", "run starts after its turn came"]);
  assert.equal(life.busy, null);
});

test("a failed action does not block the next; a dropped one never runs", async () => {
  const { life } = recorded();
  const failed = life.perform("step", async () => { throw new Error("diverged"); });
  const dropped = life.perform("run", async () => "ran");
  assert.ok(life.drop("run"));
  const after = life.perform("reset", async () => "reset");
  await assert.rejects(failed, /diverged/);
  assert.equal(await dropped, null);
  assert.equal(await after, "reset");
  assert.ok(!life.drop("run"));
});

test("an unknown status is refused when the lifecycle is made", () => {
  assert.throws(() => new Lifecycle({ status: "sleeping", step: 0, num_steps: 1 }), /unknown session status "sleeping"/);
});

test("readers see a move once it is stored: info keeps the old status while the write is pending", async () => {
  let release;
  const said = [];
  const life = new Lifecycle({ status: STATUS.RUNNING, step: 299, num_steps: 300 }, {
    save: () => new Promise((resolve) => { release = resolve; }),
    announce: (info) => said.push(info.status),
  });
  life.advance(300);
  const done = life.to(STATUS.DONE);
  assert.equal(life.status, STATUS.DONE); // the next move is checked against it
  assert.equal(life.info.status, STATUS.RUNNING); // a reader does not see "done" before its steps are stored
  release();
  await done;
  assert.equal(life.info.status, STATUS.DONE);
  assert.deepEqual(said, [STATUS.DONE]);
});
