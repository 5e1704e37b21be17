// The counting bigram as the page reads it (draw/bigram.js), the reference lines
// (draw/references.js) and the once-per-session question (ui/bigrams.js): the
// engine's answer is made here by hand, in its shape (Session.bigram).
import assert from "node:assert/strict";
import { test } from "node:test";

import { bigramPair, bigramRows, shownBigram } from "../../web/js/draw/bigram.js";
import { distinctLines, uniformLoss } from "../../web/js/draw/references.js";
import { createBigrams } from "../../web/js/ui/bigrams.js";

// Two characters and BOS (id 2): BOS->a 3 times, a->b twice, a->BOS once, b->BOS twice; nothing after b but BOS.
const BIGRAM = {
  rows: [
    { total: 3, next: [1, 2], counts: [2, 1], probs: [2 / 3, 1 / 3] },
    { total: 2, next: [2], counts: [2], probs: [1] },
    { total: 3, next: [0], counts: [3], probs: [1] },
  ],
  loss: 0.5, num_docs: 3, positions: 8, held_out: null,
};

test("a row per token lists the pairs seen; a pair never seen counts 0", () => {
  assert.deepEqual(bigramRows(BIGRAM, "counts"), [
    { length: 3, at: [1, 2], values: [2, 1] }, { length: 3, at: [2], values: [2] }, { length: 3, at: [0], values: [3] }]);
  assert.deepEqual(bigramRows(BIGRAM, "probs")[0], { length: 3, at: [1, 2], values: [2 / 3, 1 / 3] });
  assert.deepEqual(bigramPair(BIGRAM, 0, 1), { count: 2, total: 3, prob: 2 / 3 });
  assert.deepEqual(bigramPair(BIGRAM, 1, 0), { count: 0, total: 2, prob: 0 });
});

test("one reference line per value, naming the runs that share it", () => {
  assert.equal(uniformLoss(27), Math.log(27));
  assert.equal(uniformLoss(1), null);
  const runs = [{ name: "a", loss: 2.46 }, { name: "b", loss: 2.46 }, { name: "c", loss: 2.1 }, { name: "d", loss: null }];
  assert.deepEqual(distinctLines(runs, "loss"), [{ value: 2.46, runs: ["a", "b"] }, { value: 2.1, runs: ["c"] }]);
  assert.deepEqual(distinctLines([{ name: "e" }], "loss"), []);
});

test("each session's bigram is asked once; a failed question is asked again", async () => {
  const asked = [];
  let fail = true;
  const bigram = createBigrams(async (id) => {
    asked.push(id);
    if (id === "broken" && fail) throw new Error("the worker restarts");
    return { id };
  });
  assert.deepEqual(await Promise.all([bigram("s1"), bigram("s1")]), [{ id: "s1" }, { id: "s1" }]);
  await assert.rejects(bigram("broken"), /restarts/);
  fail = false;
  assert.deepEqual(await bigram("broken"), { id: "broken" });
  assert.deepEqual(asked, ["s1", "broken", "broken"]);
});

test("a panel follows the shown session's bigram, and drops the answer of one no longer shown", async () => {
  const answers = {};
  const stored = { bigram: (id) => new Promise((resolve, reject) => { answers[id] = { resolve, reject }; }) };
  const seen = [];
  const counted = shownBigram(stored, () => seen.push(counted.state));
  counted.show(null); // the recording: no session
  assert.equal(counted.state, "none");
  counted.show("s1");
  counted.show("s2"); // s1's answer comes too late
  answers.s1.resolve(BIGRAM);
  answers.s2.resolve(null); // no data here (an imported trace)
  await new Promise((resolve) => setTimeout(resolve));
  assert.equal(counted.bigram, null);
  assert.equal(counted.state, "missing");
  counted.show("s3");
  answers.s3.reject(new Error("gone"));
  await new Promise((resolve) => setTimeout(resolve));
  assert.equal(counted.state, "failed");
  assert.equal(counted.error, "gone");
  counted.show("s4");
  counted.show("s4"); // the same session: nothing asked again
  answers.s4.resolve(BIGRAM);
  await new Promise((resolve) => setTimeout(resolve));
  assert.equal(counted.bigram, BIGRAM);
  assert.deepEqual(seen, ["none", "asking", "asking", "missing", "asking", "failed", "asking", "counted"]);
  assert.equal(shownBigram(null, () => {}).state, "none");
});
