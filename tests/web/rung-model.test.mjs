// The model a chapter's widget reads for a rung (lessons/rung-model.js),
// with stand-ins for the rungs, the sessions and the lessons' engine: the
// rung's own session when it has one, a fresh model of its config while it
// has none, and never a fresh model in place of a rung that cannot be read.
import assert from "node:assert/strict";
import { test } from "node:test";

import { rungModel } from "../../web/js/lessons/rung-model.js";

const RUNG = { id: "one-head", name: "+ one attention head", config: { n_head: 1, optimizer: "sgd" } };

function context({ found = null, model = null } = {}) {
  const asked = [];
  return {
    asked,
    rungs: {
      find: async (key) => (key === RUNG.id ? found : null),
      title: () => "Rung 2 · + one attention head",
      rung: () => RUNG,
    },
    sessions: {
      model: async (id) => (id === found?.id ? model : { missing: "Nothing to look into: start a session." }),
    },
    engine: {
      askData: async (type, fields, config) => asked.push(["fresh", type, fields, config]) && "fresh answer",
    },
  };
}

test("a rung not trained yet is read from a fresh model of its config, at step 0", async () => {
  const ctx = context();
  const model = await rungModel(ctx, "one-head");
  assert.equal(model.where, "a fresh + one attention head at step 0 (not trained yet)");
  assert.equal(await model.ask("attention_map", { text: "ava" }), "fresh answer");
  assert.deepEqual(ctx.asked, [["fresh", "attention_map", { text: "ava" }, RUNG.config]]);
});

test("a trained rung is read from its own session, at its step", async () => {
  const asked = [];
  const ctx = context({ found: { id: "s7", step: 1000 },
                        model: { step: 1000, ask: async (type, fields) => asked.push([type, fields]) && "its answer" } });
  const model = await rungModel(ctx, "one-head");
  assert.equal(model.where, "Rung 2 · + one attention head at step 1000");
  assert.equal(await model.ask("attention_map", { text: "ava" }), "its answer");
  assert.deepEqual(asked, [["attention_map", { text: "ava" }]]);
  assert.deepEqual(ctx.asked, []);
});

test("a rung whose model cannot be read says why, and no fresh model stands in for it", async () => {
  const ctx = context({ found: { id: "s7", step: 1000 }, model: { missing: "session s7 is open in another tab." } });
  await assert.rejects(rungModel(ctx, "one-head"), { message: "Rung 2 · + one attention head: session s7 is open in another tab." });
  assert.deepEqual(ctx.asked, []);
});
