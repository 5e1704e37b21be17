// A learner's progress (lessons/progress.js): kept across a reload, what
// cannot be read is dropped, and storage that fails loses nothing in memory.
import assert from "node:assert/strict";
import { test } from "node:test";

import { STORAGE_KEY, createProgress, parseProgress } from "../../web/js/lessons/progress.js";

function memoryStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key) => (items.has(key) ? items.get(key) : null), setItem: (key, value) => items.set(key, String(value)), items };
}

test("what a learner did survives a reload", () => {
  const storage = memoryStorage();
  let changes = 0;
  const progress = createProgress(storage, { onChange: () => { changes += 1; } });
  progress.read(3);
  progress.read(1);
  progress.read(3);
  progress.guess(2, "3.3");
  progress.pass("softmax");
  progress.setCode("softmax", "def softmax(logits):\n    return logits");
  progress.setRung("bigram", "s1234abcd");
  assert.equal(changes, 6); // reading chapter 3 again changes nothing
  const again = createProgress(storage);
  assert.ok(again.isRead(1) && again.isRead(3) && !again.isRead(2));
  assert.equal(again.guessOf(2), "3.3");
  assert.equal(again.guessOf(4), null);
  assert.ok(again.passed("softmax") && !again.passed("loss"));
  assert.equal(again.code("softmax"), "def softmax(logits):\n    return logits");
  assert.equal(again.rung("bigram"), "s1234abcd");
  again.forgetRung("bigram");
  assert.equal(createProgress(storage).rung("bigram"), null);
});

test("a stored value it cannot read loses only its unreadable parts", () => {
  assert.deepEqual(parseProgress("not json"), { read: [], guesses: {}, passed: [], code: {}, rungs: {} });
  assert.deepEqual(parseProgress("[1, 2]"), { read: [], guesses: {}, passed: [], code: {}, rungs: {} });
  const parsed = parseProgress(JSON.stringify({ read: [2, "3", 2, 1.5, 1], passed: ["loss", 4], code: { loss: "x", sample: 3 },
                                                guesses: "no", rungs: { adam: "s1" } }));
  assert.deepEqual(parsed, { read: [1, 2], guesses: {}, passed: ["loss"], code: { loss: "x" }, rungs: { adam: "s1" } });
});

test("storage that cannot be read or written leaves the progress in memory", () => {
  const broken = { getItem: () => { throw new Error("SecurityError"); }, setItem: () => { throw new Error("QuotaExceededError"); } };
  const progress = createProgress(broken);
  progress.read(4);
  progress.setCode("loss", "x" * 3);
  assert.ok(progress.isRead(4));
  const none = createProgress(null);
  none.pass("sample");
  assert.ok(none.passed("sample"));
  const huge = createProgress(memoryStorage());
  huge.setCode("loss", "y".repeat(50_000));
  assert.equal(huge.code("loss").length, 20_000);
  assert.equal(memoryStorage({ [STORAGE_KEY]: "{}" }).getItem(STORAGE_KEY), "{}");
});
