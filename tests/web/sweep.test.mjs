// A sweep's plan (ui/sweep.js): one config per value of one setting, the rest as the form says.
import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_RUNS, suggestedValues, sweepConfigs } from "../../web/js/ui/sweep.js";

const LR = { name: "learning_rate", type: "float" };
const N_EMBD = { name: "n_embd", type: "int" };
const ENGINE = { name: "engine", type: "choice", choices: ["vector", "scalar"] };
const OPTIMIZER = { name: "optimizer", type: "choice", choices: ["adam", "sgd"] };
const ATTENTION = { name: "attention", type: "bool" };
const CONFIG = { learning_rate: 0.01, n_embd: 16, engine: "vector", num_steps: 1000, optimizer: "adam", attention: true };

test("one config per value, every other setting kept", () => {
  const plan = sweepConfigs(CONFIG, LR, "0.003, 0.01 ,0.03");
  assert.equal(plan.field, "learning_rate");
  assert.deepEqual(plan.configs.map((c) => c.learning_rate), [0.003, 0.01, 0.03]);
  for (const config of plan.configs) assert.deepEqual({ ...config, learning_rate: 0 }, { ...CONFIG, learning_rate: 0 });
  assert.deepEqual(sweepConfigs(CONFIG, ENGINE, "vector scalar").configs.map((c) => c.engine), ["vector", "scalar"]);
});

test("values are read as the form reads them, and problems are named", () => {
  assert.match(sweepConfigs(CONFIG, N_EMBD, "8, 16.5").error, /Sweep value "16.5": n_embd must be a whole number/);
  assert.match(sweepConfigs(CONFIG, LR, "0x10, 1").error, /Sweep value "0x10": learning_rate must be a number/);
  assert.match(sweepConfigs(CONFIG, ENGINE, "vector, gpu").error, /engine must be one of vector, scalar/);
  assert.match(sweepConfigs(CONFIG, LR, "0.01").error, /needs two values or more/);
  assert.match(sweepConfigs(CONFIG, LR, "0.01, 0.010").error, /given twice/);
  const many = Array.from({ length: MAX_RUNS + 1 }, (_, i) => String(i + 1)).join(",");
  assert.match(sweepConfigs(CONFIG, N_EMBD, many).error, new RegExp(`at most ${MAX_RUNS} sessions`));
  assert.match(sweepConfigs(CONFIG, undefined, "1, 2").error, /Pick the setting/);
});

test("an empty list sweeps what is suggested: every choice, a switch both ways, numbers worth comparing", () => {
  const swept = (field) => sweepConfigs(CONFIG, field, suggestedValues(field)).configs.map((c) => c[field.name]);
  assert.deepEqual(swept(OPTIMIZER), ["adam", "sgd"]);
  assert.deepEqual(swept(ATTENTION), [true, false]); // "1, 2, 3" was refused: must be true or false
  assert.deepEqual(swept(ENGINE), ["vector", "scalar"]);
  assert.deepEqual(swept(LR), [0.003, 0.01, 0.03]);
});
