// Follow a token's backward sentences (panels/follow-words.js): which stages read each stage's
// output, read off the engine's own stage list (dist/schema.json, as the page gets it).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { stagesOf } from "../../web/js/draw/schema.js";
import { readersOf } from "../../web/js/panels/follow-words.js";

const schema = JSON.parse(readFileSync(new URL("../../dist/schema.json", import.meta.url), "utf8"));

function readers(nLayer) {
  const stages = stagesOf(schema, nLayer);
  const found = readersOf(stages);
  return Object.fromEntries(stages.map((stage, i) => [stage.name, found[i].map((j) => stages[j].name)]));
}

test("q, k and v are read side by side from one rmsnorm, and read by attention only", () => {
  const r = readers(1);
  assert.deepEqual(r["layer0.attn_norm"], ["layer0.attn_wq", "layer0.attn_wk", "layer0.attn_wv"]);
  for (const name of ["attn_wq", "attn_wk", "attn_wv"]) assert.deepEqual(r[`layer0.${name}`], ["layer0.attention"]);
});

test("a block's input is read by its rmsnorm and by its residual: the two paths", () => {
  const r = readers(2);
  assert.deepEqual(r.rmsnorm, ["layer0.attn_norm", "layer0.attn_residual"]);
  assert.deepEqual(r["layer0.attn_residual"], ["layer0.mlp_norm", "layer0.mlp_residual"]);
  assert.deepEqual(r["layer0.mlp_residual"], ["layer1.attn_norm", "layer1.attn_residual"]);
  assert.deepEqual(r["layer1.mlp_residual"], ["lm_head"]);
  assert.deepEqual(r["layer0.attn_wo"], ["layer0.attn_residual"]);
  assert.deepEqual(r.embedding, ["rmsnorm"]);
  assert.deepEqual(r.loss, []);
});
