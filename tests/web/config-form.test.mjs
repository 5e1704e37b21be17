// The config form's parser (ui/config-form.js parse): what a typed value or a
// link's value becomes, for each field type of the engine's own schema
// (dist/schema.json, written by the engine at build time).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parse, repetition, shown } from "../../web/js/ui/config-form.js";

const schema = JSON.parse(readFileSync(new URL("../../dist/schema.json", import.meta.url), "utf-8"));
const field = (name) => schema.config.find((f) => f.name === name);
const ofType = (type) => schema.config.find((f) => f.type === type);

test("the schema has a field of each type the parser knows", () => {
  assert.deepEqual(new Set(schema.config.map((f) => f.type)), new Set(["int", "float", "choice", "bool"]));
});

test("a whole number: plain digits, a trailing .0 allowed, nothing a float64 cannot count exactly", () => {
  const int = ofType("int");
  assert.deepEqual(parse(int, "16"), { value: 16 });
  assert.deepEqual(parse(int, "+16.00"), { value: 16 });
  assert.deepEqual(parse(int, "-3"), { value: -3 }); // the range is the engine's to check
  assert.deepEqual(parse(int, "1e1"), { problem: "must be a whole number (plain digits, below 2^53)" });
  assert.deepEqual(parse(int, "16.5"), { problem: "must be a whole number (plain digits, below 2^53)" });
  assert.deepEqual(parse(int, "9007199254740993"), { problem: "must be a whole number (plain digits, below 2^53)" });
  assert.deepEqual(parse(int, "4503599627370497.5"), { problem: "must be a whole number (plain digits, below 2^53)" });
});

test("a number: only plain decimal digits, not what Number() would also take", () => {
  const float = field("learning_rate");
  assert.deepEqual(parse(float, "0.01"), { value: 0.01 });
  assert.deepEqual(parse(float, ".5"), { value: 0.5 });
  assert.deepEqual(parse(float, "1e-3"), { value: 0.001 });
  for (const text of ["", " 1", "0x10", "0b10", "1_000", "NaN", "Infinity", "1,5", "--1"]) {
    assert.deepEqual(parse(float, text), { problem: "must be a number (plain decimal digits)" }, text);
  }
});

test("a number a float64 cannot hold is said as what it is, not as the 0 or Infinity it would become", () => {
  const float = field("learning_rate");
  assert.match(parse(float, "1e309").problem, /over 1\.8e308, the largest/);
  assert.match(parse(float, "1e-400").problem, /below 5e-324, the smallest above 0, and would be 0/);
  assert.deepEqual(parse(float, "0e-400"), { value: 0 }); // a true 0 stays 0
});

test("a choice is one of the engine's choices, as written", () => {
  const engine = field("engine");
  for (const choice of engine.choices) assert.deepEqual(parse(engine, choice), { value: choice });
  assert.deepEqual(parse(engine, "Vector"), { problem: `must be one of ${engine.choices.join(", ")}` });
});

test("a switch is true or false, as a link writes it", () => {
  const bool = ofType("bool");
  assert.deepEqual(parse(bool, "true"), { value: true });
  assert.deepEqual(parse(bool, "false"), { value: false });
  assert.deepEqual(parse(bool, "1"), { problem: "must be true or false" });
  assert.deepEqual(parse(bool, "True"), { problem: "must be true or false" });
});

test("what a problem echoes of a link is quoted, escaped and cut short with its length said", () => {
  assert.equal(shown("a\nb"), '"a\\nb"');
  const long = "😀".repeat(200);
  assert.equal(shown(long), `${JSON.stringify("😀".repeat(60))}... (200 characters)`);
  assert.equal(repetition("n_embd", ["8"]), null);
  assert.equal(repetition("n_embd", ["8", "16", "32"]), "n_embd is given 3 times; the first is used");
});
