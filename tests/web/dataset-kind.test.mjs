// What data a session trained on (sessions/dataset-kind.js): stored as {kind, name}, read from older records' display strings.
import assert from "node:assert/strict";
import { test } from "node:test";

import { DATASET_KINDS, datasetFile, datasetOf, datasetTitle, sameDataset } from "../../web/js/sessions/dataset-kind.js";

test("a record's kind is what it stored, not what its name looks like", () => {
  const own = { dataset: { kind: "file", name: "names.txt" } }; // a learner's own file that happens to be called names.txt
  assert.deepEqual(datasetOf(own), { kind: "file", name: "names.txt" });
  assert.equal(DATASET_KINDS[datasetOf(own).kind].label, "own data");
  assert.equal(datasetFile(datasetOf(own)), "names.txt");
  assert.ok(!sameDataset(datasetOf(own), { kind: "default", name: "names.txt" }));
});

test("records saved before kinds were stored are read from their display string", () => {
  assert.deepEqual(datasetOf({ dataset_name: "names.txt" }), { kind: "default", name: "names.txt" });
  assert.deepEqual(datasetOf({ dataset_name: "makemore names.txt" }), { kind: "makemore", name: "makemore names.txt" });
  assert.deepEqual(datasetOf({ dataset_name: "pasted text" }), { kind: "paste", name: "pasted text" });
  assert.deepEqual(datasetOf({ dataset_name: "cities.txt" }), { kind: "file", name: "cities.txt" });
  assert.deepEqual(datasetOf({ dataset_name: "imported from run.json" }), { kind: "imported", name: "run.json" });
  assert.deepEqual(datasetOf({ name: "names.txt", fingerprint: "f" }), { kind: "default", name: "names.txt" }); // a stored dataset
  assert.deepEqual(datasetOf({ kind: "paste", name: "pasted text", fingerprint: "f" }), { kind: "paste", name: "pasted text" });
});

test("each kind is shown, named and run from the command line in one way", () => {
  assert.equal(datasetTitle({ kind: "imported", name: "run.json" }), "imported from run.json");
  assert.equal(datasetTitle({ kind: "default", name: "names.txt" }), "names.txt");
  assert.equal(datasetFile({ kind: "default", name: "names.txt" }), "data/names.txt");
  assert.equal(datasetFile({ kind: "makemore", name: "makemore names.txt" }), "names.txt");
  assert.equal(datasetFile({ kind: "paste", name: "pasted text" }), "pasted.txt");
  assert.equal(datasetFile({ kind: "file", name: "cities.txt" }), "cities.txt");
});
