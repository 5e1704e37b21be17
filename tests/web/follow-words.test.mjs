// Follow a token's backward sentences (panels/follow-words.js): which stages read each stage's
// output, read off the engine's own description of a config's model (model.describe, as the page
// gets it in a session's trace header), asked of the engine here with the system Python.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

import { readersOf } from "../../web/js/panels/follow-words.js";

const DESCRIBE = "import json, sys\nfrom microgpt_lab import Config\nfrom microgpt_lab.model import describe\n"
  + "print(json.dumps(describe(Config(**json.loads(sys.argv[1])), 27)))";

function describe(config) {
  const env = { ...process.env, PYTHONPATH: fileURLToPath(new URL("../../py", import.meta.url)) };
  return JSON.parse(execFileSync("python3", ["-c", DESCRIBE, JSON.stringify(config)], { env, encoding: "utf8" }));
}

function readers(config) {
  const { stages } = describe(config);
  const found = readersOf(stages);
  return Object.fromEntries(stages.map((stage, i) => [stage.name, found[i].map((j) => stages[j].name)]));
}

test("q, k and v are read side by side from one rmsnorm, and read by attention only", () => {
  const r = readers({ n_layer: 1 });
  assert.deepEqual(r["layer0.attn_norm"], ["layer0.attn_wq", "layer0.attn_wk", "layer0.attn_wv"]);
  for (const name of ["attn_wq", "attn_wk", "attn_wv"]) assert.deepEqual(r[`layer0.${name}`], ["layer0.attention"]);
});

test("a block's input is read by its rmsnorm and by its residual: the two paths", () => {
  const r = readers({ n_layer: 2 });
  assert.deepEqual(r.rmsnorm, ["layer0.attn_norm", "layer0.attn_residual"]);
  assert.deepEqual(r["layer0.attn_residual"], ["layer0.mlp_norm", "layer0.mlp_residual"]);
  assert.deepEqual(r["layer0.mlp_residual"], ["layer1.attn_norm", "layer1.attn_residual"]);
  assert.deepEqual(r["layer1.mlp_residual"], ["lm_head"]);
  assert.deepEqual(r["layer0.attn_wo"], ["layer0.attn_residual"]);
  assert.deepEqual(r.embedding, ["rmsnorm"]);
  assert.deepEqual(r.loss, []);
});

test("the rungs: a block without attention is its MLP's two paths; no layer is a chain to lm_head", () => {
  const r = readers({ n_layer: 2, attention: false });
  assert.deepEqual(r.rmsnorm, ["layer0.mlp_norm", "layer0.mlp_residual"]);
  assert.deepEqual(r["layer0.mlp_residual"], ["layer1.mlp_norm", "layer1.mlp_residual"]);
  assert.deepEqual(r["layer1.mlp_residual"], ["lm_head"]);
  const bigram = readers({ n_layer: 0 });
  assert.deepEqual(Object.keys(bigram), ["embedding", "rmsnorm", "lm_head", "softmax", "loss"]);
  assert.deepEqual(bigram.rmsnorm, ["lm_head"]);
});
