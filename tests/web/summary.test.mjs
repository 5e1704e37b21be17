// A matrix too large to draw cell by cell, summarised in blocks (draw/summary.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { summarize } from "../../web/js/draw/summary.js";

test("numbers that fit are the cells themselves; a sparse row is read as 0 where it holds nothing", () => {
  const summary = summarize([[1, -2, 3], { length: 3, at: [2], values: [5] }]);
  assert.deepEqual(summary.shown, [[1, -2, 3], [0, 0, 5]]);
  assert.equal(summary.where, null);
  assert.equal(summary.count, 3);
});

test("a long row is cut in groups of neighbouring columns, each cell its largest in size and where it is", () => {
  const row = Array.from({ length: 1000 }, (_, i) => (i === 17 ? -50 : i / 1000));
  const { shown, where, rowGroups, colGroups } = summarize([row]);
  assert.equal(rowGroups, null);
  assert.equal(colGroups.length, 125); // at most 128 cells a row, groups of 8
  assert.deepEqual(colGroups[2], [16, 24]);
  assert.equal(shown[0][2], -50);
  assert.deepEqual(where[0][2], [0, 17]);
  assert.deepEqual(where[0][124], [0, 999]);
  assert.equal(colGroups.at(-1)[1], 1000);
});

test("a table of thousands of sparse rows is a few thousand cells, and costs what it holds", () => {
  const size = 5001;
  const rows = Array.from({ length: size }, (_, r) => ({ length: size, at: r % 2 ? [] : [r, (r * 7) % size], values: [1, r] }));
  const { shown, where, rowGroups, colGroups } = summarize(rows);
  assert.equal(rowGroups.length, 64); // at most 64 rows
  assert.ok(shown.length * shown[0].length <= 2048);
  const [rowSize, colSize] = [rowGroups[0][1], colGroups[0][1]];
  // Each block keeps its number of largest size (the first of equals), and says where it is.
  const largest = new Map();
  rows.forEach((row, r) => row.at.forEach((c, i) => {
    const block = `${Math.floor(r / rowSize)},${Math.floor(c / colSize)}`;
    if (!largest.has(block) || row.values[i] > largest.get(block).value) largest.set(block, { value: row.values[i], at: [r, c] });
  }));
  shown.forEach((line, g) => line.forEach((value, h) => {
    const expected = largest.get(`${g},${h}`);
    assert.equal(value, expected ? expected.value : 0);
    assert.deepEqual(where[g][h], expected ? expected.at : null); // a block with no number: 0, and nowhere
  }));
  assert.ok(where.flat().includes(null));
});
