// A session's own name (draw/names.js ownName): cut between characters as a reader counts them, never blank;
// the name made from its settings (defaultName).
import assert from "node:assert/strict";
import { test } from "node:test";

import { NAME_LIMIT, configDifferences, defaultName, ownName, withDefaults } from "../../web/js/draw/names.js";

test("a long name is cut after 80 characters, never inside one", () => {
  const family = "👨‍👩‍👧"; // one character to a reader, 8 UTF-16 units
  assert.equal(ownName(family.repeat(100)), family.repeat(NAME_LIMIT));
  assert.equal(ownName(`${"a".repeat(79)}😀😀`), `${"a".repeat(79)}😀`); // was cut at 80 units: half an emoji
  const accented = "e\u0301"; // e and a combining accent: one character
  assert.equal(ownName(accented.repeat(90)), accented.repeat(NAME_LIMIT));
  assert.equal(ownName("  my run  "), "my run");
  assert.equal(ownName("x".repeat(80)), "x".repeat(80));
});

test("an empty name is none; one of only invisible characters is refused, saying so", () => {
  for (const empty of ["", "   ", "\n\t", null, undefined]) assert.equal(ownName(empty), null);
  for (const invisible of ["\u200b\u200b\u200b", "\u200d\u2060\ufeff", " \u200e\u200f ", "\u3164", "\u0301\u0301",
    "\u2800", "\u00ad"]) {
    assert.throws(() => ownName(invisible), /needs at least one visible character/, JSON.stringify(invisible));
  }
  assert.equal(ownName("\u200bab\u200b"), "\u200bab\u200b"); // visible characters kept as typed
});

// A config saved before the ladder's fields existed (no attention, no optimizer) ran as their defaults do.
const FIELDS = [
  { name: "n_layer", default: 1 }, { name: "attention", default: true }, { name: "learning_rate", default: 0.01 },
  { name: "optimizer", default: "adam" }, { name: "num_steps", default: 1000 },
];

test("a config without the newer fields has their defaults, so it differs from a new one in nothing else", () => {
  const old = { n_layer: 1, learning_rate: 0.01, num_steps: 1000 };
  const now = { n_layer: 1, attention: true, learning_rate: 0.01, optimizer: "adam", num_steps: 1000 };
  assert.deepEqual(withDefaults(old, FIELDS), now);
  assert.deepEqual(configDifferences([old, now], FIELDS), []);
  assert.deepEqual(configDifferences([now, old], FIELDS), []);
  assert.deepEqual(configDifferences([old, { ...now, optimizer: "sgd", learning_rate: 0.3 }], FIELDS), ["learning_rate", "optimizer"]);
  assert.equal(defaultName({ config: old, dataset_name: "names.txt" }, FIELDS), "names");
  assert.equal(defaultName({ config: { ...old, attention: false }, dataset_name: "names.txt" }, FIELDS), "no attention · names");
});

test("a name from the settings says what differs from the defaults, and a sweep's setting always", () => {
  const fields = [{ name: "n_embd", default: 16 }, { name: "learning_rate", default: 0.01 }, { name: "num_steps", default: 1000 }];
  const named = (config, always) => defaultName({ config, dataset_name: "names.txt" }, fields, always);
  assert.equal(named({ n_embd: 16, learning_rate: 0.03, num_steps: 500 }), "lr 0.03 · names");
  assert.equal(named({ n_embd: 16, learning_rate: 0.01, num_steps: 1000 }), "names"); // as the lab's default run
  assert.equal(named({ n_embd: 16, learning_rate: 0.01, num_steps: 1000 }, ["learning_rate"]), "lr 0.01 · names");
  assert.equal(named({ n_embd: 8, learning_rate: 0.01, num_steps: 250 }, ["num_steps"]), "n_embd 8 · num_steps 250 · names");
});
