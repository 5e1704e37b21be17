// The path's rungs (lessons/rungs.js) are the engine's model ladder
// (schema.ladder), named as the lab names them: a stored rung whose config
// is no longer its rung's (an older ladder's) or that was deleted is trained
// again; one the lab's ladder trained on the bundled names is taken. The sessions here are an in-memory stand-in for sessions/index.js,
// holding what it would store.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createProgress } from "../../web/js/lessons/progress.js";
import { createRungs } from "../../web/js/lessons/rungs.js";

const SCHEMA = {
  config: [
    { name: "n_head", default: 4 }, { name: "n_layer", default: 1 }, { name: "learning_rate", default: 0.01 },
    { name: "optimizer", default: "adam" }, { name: "num_steps", default: 1000 }, { name: "seed", default: 42 },
  ],
  ladder: [
    { id: "bigram", name: "learned bigram", adds: "Counts, learned.", config: { n_layer: 0, optimizer: "sgd", learning_rate: 0.3 } },
    { id: "one-head", name: "+ one attention head", adds: "Looks back.", config: { n_head: 1, optimizer: "sgd", learning_rate: 0.3 } },
    { id: "adam", name: "+ Adam (microgpt)", adds: "Adam.", config: {} },
  ],
};

function storedSessions() {
  const records = new Map();
  let made = 0;
  return {
    records,
    async start(config, { kind, name } = { kind: "default", name: "names.txt" }) {
      const id = `s${(made += 1)}`;
      records.set(id, { id, config, step: 0, num_steps: config.num_steps ?? 1000, status: "paused", name: null,
                        dataset: { kind, name } });
      return id;
    },
    async rename(id, name) {
      records.get(id).name = name;
    },
    async list() {
      return [...records.values()];
    },
    async run(id) {
      records.get(id).status = "running";
    },
  };
}

function memoryStorage() {
  const items = new Map();
  return { getItem: (key) => (items.has(key) ? items.get(key) : null), setItem: (key, value) => items.set(key, String(value)) };
}

const setUp = () => {
  const sessions = storedSessions();
  const progress = createProgress(memoryStorage());
  const rungs = createRungs({ sessions, progress, dataset: Promise.resolve({ text: "ab\n", kind: "default", name: "names.txt" }), schema: SCHEMA });
  return { sessions, progress, rungs };
};

test("a rung is the engine's: its title as the lab names its session, its config, how it learns", () => {
  const { rungs } = setUp();
  assert.equal(rungs.title("one-head"), "Rung 2 · + one attention head");
  assert.deepEqual(rungs.rung("bigram").config, { n_layer: 0, optimizer: "sgd", learning_rate: 0.3 });
  assert.equal(rungs.learns("bigram"), "sgd at learning rate 0.3");
  assert.equal(rungs.learns("adam"), "adam at learning rate 0.01");
  assert.throws(() => rungs.title("one_head"), /the engine's model ladder has no rung "one_head"/);
});

test("training a rung starts one session of its config, named by its rung, and runs it", async () => {
  const { sessions, progress, rungs } = setUp();
  const [id, again] = await Promise.all([rungs.train("bigram"), rungs.train("bigram")]);
  assert.equal(id, again); // asked twice at once: one session
  const record = sessions.records.get(id);
  assert.deepEqual(record.config, SCHEMA.ladder[0].config);
  assert.equal(record.name, "Rung 1 · learned bigram");
  assert.equal(record.status, "running");
  assert.equal(progress.rung("bigram"), id);
  assert.equal((await rungs.find("bigram")).id, id);
});

test("a stored rung of an older ladder, or one deleted, is not the rung: it is trained again", async () => {
  const { sessions, progress, rungs } = setUp();
  const old = await sessions.start({ n_layer: 0, optimizer: "sgd", learning_rate: 0.1 }); // the ladder before 0.3
  progress.setRung("bigram", old);
  assert.equal(await rungs.find("bigram"), null);
  assert.equal(progress.rung("bigram"), null);
  const id = await rungs.train("bigram");
  assert.notEqual(id, old);
  sessions.records.delete(id); // deleted in the lab
  assert.equal(await rungs.find("bigram"), null);
  assert.equal(progress.rung("bigram"), null);
});

test("a rung the lab's ladder trained on the bundled names, with the ladder's steps, is the chapter's", async () => {
  const { sessions, progress, rungs } = setUp();
  const head = { n_head: 1, n_layer: 1, learning_rate: 0.3, optimizer: "sgd", num_steps: 1000, seed: 42 }; // as the lab stores it
  await sessions.start({ ...head, num_steps: 50 }); // a shorter ladder: not the chapter's 1,000 steps
  await sessions.start(head, { kind: "file", name: "names.txt" }); // other data: a file of the learner's of that name
  assert.equal(await rungs.find("one-head"), null);
  const first = await sessions.start(head);
  const newest = await sessions.start(head);
  assert.equal((await rungs.find("one-head")).id, newest);
  assert.equal(progress.rung("one-head"), newest); // kept: the chapter trains this one on
  assert.equal(await rungs.train("one-head"), newest);
  assert.notEqual(first, newest);
});
