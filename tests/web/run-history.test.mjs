// A live-model panel's view of the run before it looked (draw/run-history.js):
// what it asks the store for time travel's checkpoints, when, and which
// answers it keeps. The store is a stand-in that records each question and
// answers when the test says.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createRunHistory } from "../../web/js/draw/run-history.js";
import { CHECKPOINT_EVERY } from "../../web/js/engine/protocol.js";

function storeStandIn() {
  const asked = [];
  return {
    asked,
    history(session, type, fields, after) {
      let answer;
      const found = new Promise((resolve) => { answer = resolve; });
      asked.push({ session, type, fields, after, answer });
      return found;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const at = (...steps) => steps.map((step) => ({ step, p: step / 1000 }));

test("a session shown asks once for its whole history, then only for checkpoints kept since", async () => {
  const stored = storeStandIn();
  let changes = 0;
  const past = createRunHistory(stored, "next_token", () => { changes += 1; });
  past.load("s1", { context: "em" });
  past.load("s1", { context: "em" }); // the same question again: not asked twice
  assert.deepEqual(stored.asked.map(({ session, type, fields, after }) => [session, type, fields, after]),
                   [["s1", "next_token", { context: "em" }, -1]]);
  past.grow(CHECKPOINT_EVERY * 3); // still asking: no second question
  assert.equal(stored.asked.length, 1);
  stored.asked[0].answer(at(0, CHECKPOINT_EVERY, CHECKPOINT_EVERY * 2));
  await settle();
  assert.equal(changes, 1);
  assert.deepEqual(past.upTo(CHECKPOINT_EVERY).map((a) => a.step), [0, CHECKPOINT_EVERY]);

  past.grow(CHECKPOINT_EVERY * 2 + 7); // no checkpoint kept since the last answer
  assert.equal(stored.asked.length, 1);
  past.grow(CHECKPOINT_EVERY * 3 + 1);
  assert.equal(stored.asked.at(-1).after, CHECKPOINT_EVERY * 2);
  stored.asked.at(-1).answer(at(CHECKPOINT_EVERY * 2, CHECKPOINT_EVERY * 3)); // one step again: kept once
  await settle();
  assert.deepEqual(past.upTo(Infinity).map((a) => a.step), [0, 1, 2, 3].map((k) => k * CHECKPOINT_EVERY));
});

test("an answer that comes after another session or question was shown is dropped", async () => {
  const stored = storeStandIn();
  const past = createRunHistory(stored, "matrix", () => {});
  past.load("s1", { name: "wte" });
  past.load("s2", { name: "wte" });
  stored.asked[0].answer(at(0, 50));
  await settle();
  assert.deepEqual(past.upTo(Infinity), []);
  stored.asked[1].answer(at(0));
  await settle();
  assert.deepEqual(past.upTo(Infinity).map((a) => a.step), [0]);
});

test("no session (the recording's views have none) asks nothing; a failed question keeps what was known", async () => {
  const stored = storeStandIn();
  const past = createRunHistory(stored, "next_token", () => {});
  past.load(null);
  past.grow(500);
  assert.equal(stored.asked.length, 0);

  const failing = { history: () => Promise.reject(new Error("the store is gone")) };
  const quiet = createRunHistory(failing, "next_token", () => assert.fail("no change on a failure"));
  quiet.load("s1");
  await settle();
  assert.deepEqual(quiet.upTo(Infinity), []);
});
