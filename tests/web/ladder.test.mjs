// The model ladder's rungs as guided experiments (ui/ladder.js): which runs are a rung's, and the
// answer from a run's numbers against the counting bigram and the rung below, over the same steps.
import assert from "node:assert/strict";
import { test } from "node:test";

import { rungExperiments } from "../../web/js/ui/ladder.js";

const FIELDS = [
  { name: "n_layer", default: 1 }, { name: "attention", default: true }, { name: "learning_rate", default: 0.01 },
  { name: "optimizer", default: "adam" }, { name: "num_steps", default: 1000 }, { name: "seed", default: 42 },
];
const LADDER = [
  { id: "bigram", name: "learned bigram", adds: "Counts, learned.", config: { n_layer: 0, optimizer: "sgd", learning_rate: 0.3 } },
  { id: "adam", name: "+ Adam", adds: "Adam.", config: {} },
];
const steps = (losses) => losses.map((loss, i) => ({ step: i + 1, loss }));
const run = (config, losses) => ({ record: { config, dataset_name: "names.txt" }, steps: steps(losses), samples: [] });

test("a rung's run has its config but for the steps, temperature and engine; an old config is the defaults'", () => {
  const [bigram, adam] = rungExperiments(LADDER, FIELDS);
  assert.equal(bigram.id, "rung-bigram");
  assert.equal(bigram.title, "Rung 1 · learned bigram");
  assert.ok(bigram.question.startsWith("Counts, learned."));
  assert.ok(bigram.matches({ n_layer: 0, optimizer: "sgd", learning_rate: 0.3, num_steps: 50 }));
  assert.ok(!bigram.matches({ n_layer: 0, optimizer: "sgd", learning_rate: 0.1 }));
  assert.ok(adam.matches({ n_layer: 1, learning_rate: 0.01 })); // saved before attention and optimizer existed
  assert.ok(!adam.matches({ n_layer: 0 }));
});

test("the answer reads the run against the bigram's line, and against the rung below over the same steps", () => {
  const [, adam] = rungExperiments(LADDER, FIELDS);
  const mine = { ...run({}, [3, 2.5, 2.2, 2.2]), bigram: { loss: 2.4 } };
  const below = { ...run({ n_layer: 0, optimizer: "sgd", learning_rate: 0.3 }, [3, 2.6, 2.5, 2.4, 2.3]), defaults: false };
  const text = adam.answer(mine, [below]);
  assert.match(text, /Over steps 1 to 4 its loss averaged 2\.475, 0\.075 above the counting bigram's line \(2\.400\)\./);
  assert.match(text, /Its smoothed loss has not gone below the line yet\./); // smoothed: 3, 2.744, 2.553, 2.458
  assert.match(adam.answer({ ...mine, bigram: { loss: 2.5 } }, [below]), /Its smoothed loss first went below it at step 4\./);
  assert.match(text, /Over steps 1 to 4, Rung 1 · learned bigram averaged 2\.625: this rung is 0\.150 lower/);
  const alone = adam.answer({ ...mine, bigram: null }, []);
  assert.match(alone, /averaged 2\.475\. Train Rung 1 · learned bigram too/);
});
