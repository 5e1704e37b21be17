// The path's words (lessons/text.js): nine chapters, each short, each with
// its So far, question, try it and lab panels; ?lesson=<n> parsed strictly.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CHAPTERS, WORD_LIMIT, chapterOf, words } from "../../web/js/lessons/text.js";

const PANELS = ["loss", "attention", "graph", "follow", "probs", "inspector", "embeddings", "probe", "console", "compare"];
const EXERCISES = ["softmax", "loss", "numerical_gradient", "sample"];

test("nine chapters, each at most WORD_LIMIT words, with everything a chapter has", () => {
  assert.equal(CHAPTERS.length, 9);
  for (const [i, chapter] of CHAPTERS.entries()) {
    const name = `chapter ${i + 1} (${chapter.title})`;
    assert.ok(words(chapter) <= WORD_LIMIT, `${name}: ${words(chapter)} words`);
    assert.ok(chapter.soFar.length >= 1 && chapter.text.length >= 1, name);
    assert.ok(chapter.question.prompt.endsWith("?"), name);
    assert.ok(chapter.question.choices.length >= 2, name);
    assert.equal(new Set(chapter.question.choices.map(([value]) => value)).size, chapter.question.choices.length, name);
    assert.ok(chapter.tryIt.length > 20, name);
    assert.ok(chapter.panels.length >= 1 && chapter.panels.every((panel) => PANELS.includes(panel)), name);
    assert.ok(chapter.exercise === null || EXERCISES.includes(chapter.exercise), name);
  }
});

test("every exercise is in some chapter, once", () => {
  assert.deepEqual(CHAPTERS.map((c) => c.exercise).filter(Boolean).sort(), [...EXERCISES].sort());
});

test("?lesson=<n> names a chapter only as a whole number from 1 to 9", () => {
  assert.equal(chapterOf("?lesson=1"), 1);
  assert.equal(chapterOf("?lesson=9&x=1"), 9);
  for (const search of ["", "?lesson=", "?lesson=0", "?lesson=10", "?lesson=2.5", "?lesson=-1", "?lesson=abc", "?lesson=1e0"]) {
    assert.equal(chapterOf(search), null, search);
  }
});
