// The sessions a tab holds (sessions/held.js), with a pool, store and tabs
// that only record what they are asked: a session being read is never let
// go under its reader, and is offered back once read by nobody.
import assert from "node:assert/strict";
import { test } from "node:test";

import { HeldSessions } from "../../web/js/sessions/held.js";

const RECORD = { id: "s1", status: "done", step: 10, num_steps: 10, config: {}, fingerprint: "f", run_to: null };

function fakes() {
  const calls = [];
  const home = { index: 0 };
  const placed = new Map();
  const pool = {
    ready: Promise.resolve(),
    choose: () => home,
    workerOf: (id) => placed.get(id) ?? null,
    place: (id, worker) => placed.set(id, worker),
    unplace: (id) => placed.delete(id),
    async call(type, fields) {
      calls.push([type, fields.session]);
      return type === "restore" ? { step: RECORD.step } : {};
    },
  };
  const store = {
    getSession: async () => ({ ...RECORD }),
    getDataset: async () => ({ text: "emma\nolivia\n" }),
    getCheckpoint: async () => ({ checkpoint: { step: RECORD.step } }),
    commit: async () => {},
    truncate: async () => {},
  };
  const locks = [];
  const taken = new Set(); // as Web Locks with ifAvailable: a lock held (by this tab too) is not granted
  const tabs = {
    async acquire(id) {
      if (taken.has(id)) return null;
      taken.add(id);
      return () => {
        taken.delete(id);
        locks.push(["let go", id]);
      };
    },
    broadcast: () => {},
  };
  const idle = [];
  const held = new HeldSessions({ pool, store, tabs, bus: { emit: () => {} }, onIdle: (id) => idle.push(id) });
  return { held, calls, locks, idle };
}

test("a session being read is not let go until its reader is done", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] }); // the wait before it is offered back
  const { held, calls, locks } = fakes();
  let answer;
  const reading = held.use("s1", () => new Promise((resolve) => { answer = resolve; }));
  await new Promise((resolve) => setImmediate(resolve)); // the read has begun
  assert.equal(await held.release("s1"), false);
  assert.ok(!calls.some(([type]) => type === "close"), "closed under its reader");
  assert.deepEqual(locks, []);
  answer("the names");
  assert.equal(await reading, "the names");
  assert.equal(await held.release("s1"), true);
  assert.deepEqual(calls.map(([type]) => type), ["restore", "close"]);
  assert.deepEqual(locks, [["let go", "s1"]]);
});

test("a session let go before its reader's turn is loaded again for it", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { held, calls } = fakes();
  await held.load("s1");
  const releasing = held.release("s1");
  const read = await held.use("s1", (state) => state.loaded && "read");
  assert.equal(await releasing, true);
  assert.equal(read, "read");
  assert.deepEqual(calls.map(([type]) => type), ["restore", "close", "restore"]);
});

test("once read by nobody, the session is offered back after a while, not before", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { held, idle } = fakes();
  await held.use("s1", () => "first");
  t.mock.timers.tick(4_000);
  await held.use("s1", () => "second"); // a next question soon after: still loaded, the wait starts again
  t.mock.timers.tick(4_000);
  assert.deepEqual(idle, []);
  t.mock.timers.tick(1_000);
  assert.deepEqual(idle, ["s1"]);
});
