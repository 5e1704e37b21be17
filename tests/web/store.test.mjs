// The store's one contract (sessions/store-schema.js), run against both of its
// backends: IndexedDB (store-idb.js, on fake-indexeddb under Node) and memory
// (store-memory.js). The IndexedDB store imports the vendored idb library,
// so it is loaded from the built site (python3 build.py builds dist/ first).
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";

const DIST = new URL("../../dist/js/sessions/", import.meta.url);
if (!existsSync(DIST)) throw new Error("dist/ is missing: run python3 build.py (build.py test builds it first)");
const { openIndexedDB } = await import(new URL("store-idb.js", DIST));
const { MemoryStore } = await import(new URL("store-memory.js", DIST));
const { CHECKPOINT_EVERY } = await import(new URL("../engine/protocol.js", DIST));

let databases = 0;
const BACKENDS = {
  indexeddb: () => openIndexedDB(`contract-${(databases += 1)}`),
  memory: async () => new MemoryStore(),
};

const dataset = (fingerprint) => ({ fingerprint, text: "emma\nava", name: "names.txt", num_docs: 2 });
const record = (id, fingerprint = "f1", extra = {}) => ({
  id, config: { n_embd: 16 }, fingerprint, status: "idle", step: 0, num_steps: 100, run_to: null,
  trace_header: { format: "microgpt-lab-trace", steps: "not these" }, created: Date.now(), ...extra,
});
const event = (step) => ({ step, loss: 3 - step / 100, doc: "emma" });
const checkpoint = (step) => ({ step, state_dict: { wte: [[step]] } });

for (const [backend, open] of Object.entries(BACKENDS)) {
  describe(`the ${backend} store`, () => {
    test("a session and its dataset, created together, listed oldest first", async () => {
      const store = await open();
      await store.createSession(record("b", "f1", { created: 2 }), dataset("f1"));
      await store.createSession(record("a", "f1", { created: 1 }), dataset("f1"));
      assert.deepEqual((await store.listSessions()).map((r) => r.id), ["a", "b"]);
      assert.equal((await store.getDataset("f1")).text, "emma\nava");
      assert.equal(await store.getSession("missing"), undefined);
      store.close();
    });

    test("commit writes steps, the latest checkpoint and the record's changes in one go", async () => {
      const store = await open();
      await store.createSession(record("s"), dataset("f1"));
      await store.commit("s", { step: 2, status: "running" }, [event(1), event(2)], checkpoint(2));
      await store.commit("s", { step: CHECKPOINT_EVERY }, [event(3)], checkpoint(CHECKPOINT_EVERY));
      assert.deepEqual((await store.getSteps("s")).map((e) => e.step), [1, 2, 3]);
      const session = await store.getSession("s");
      assert.equal(session.step, CHECKPOINT_EVERY);
      assert.equal(session.status, "running");
      assert.ok(session.updated >= session.created);
      assert.equal((await store.getCheckpoint("s")).step, CHECKPOINT_EVERY);
      // only every CHECKPOINT_EVERY-th checkpoint is kept for time travel
      assert.deepEqual(await store.getHistorySteps("s"), [CHECKPOINT_EVERY]);
      assert.equal((await store.getCheckpointAt("s", CHECKPOINT_EVERY + 10)).step, CHECKPOINT_EVERY);
      assert.equal(await store.getCheckpointAt("s", CHECKPOINT_EVERY - 1), undefined);
      store.close();
    });

    test("commit to a session that is not there is refused, naming it, and writes nothing", async () => {
      const store = await open();
      await assert.rejects(store.commit("gone", { step: 1 }, [event(1)], checkpoint(1)),
        (error) => error.name === "NotFoundError" && error.message.includes("gone"));
      assert.deepEqual(await store.getSteps("gone"), []);
      assert.equal(await store.getCheckpoint("gone"), undefined);
      assert.deepEqual(await store.listSessions(), []);
      store.close();
    });

    test("truncate keeps the steps up to one; truncating to 0 drops the checkpoint", async () => {
      const store = await open();
      await store.createSession(record("s"), dataset("f1"));
      await store.commit("s", { step: 3 }, [event(1), event(2), event(3)], checkpoint(3));
      await store.truncate("s", 1, { status: "paused" });
      assert.deepEqual((await store.getSteps("s")).map((e) => e.step), [1]);
      assert.deepEqual([(await store.getSession("s")).step, (await store.getSession("s")).status], [1, "paused"]);
      assert.equal((await store.getCheckpoint("s")).step, 3); // the latest stays: a rebuild starts from it or earlier
      await store.truncate("s", 0);
      assert.equal(await store.getCheckpoint("s"), undefined);
      store.close();
    });

    test("reset drops a session's steps, samples and checkpoints and keeps its record", async () => {
      const store = await open();
      await store.createSession(record("s"), dataset("f1"));
      await store.commit("s", { step: 1 }, [event(1)], checkpoint(1));
      await store.addSamples("s", { step: 1, temperature: 0.5, samples: ["ava"] });
      await store.reset("s", { status: "idle" });
      assert.deepEqual(await store.getSteps("s"), []);
      assert.deepEqual(await store.getSamples("s"), []);
      assert.equal(await store.getCheckpoint("s"), undefined);
      assert.equal((await store.getSession("s")).step, 0);
      store.close();
    });

    test("samples come back in the order they were added, as batches", async () => {
      const store = await open();
      await store.createSession(record("s"), dataset("f1"));
      await store.addSamples("s", { step: 1, temperature: 0.5, samples: ["ava", "mia"] });
      await store.addSamples("s", { step: 2, temperature: 1, samples: ["zoe"] });
      assert.deepEqual(await store.getSamples("s"), [
        { step: 1, temperature: 0.5, samples: ["ava", "mia"] }, { step: 2, temperature: 1, samples: ["zoe"] }]);
      store.close();
    });

    test("an imported trace, its export: the engine's header with the stored steps and samples", async () => {
      const store = await open();
      await store.importSession(record("t", "f9", { status: "imported" }), [event(1), event(2)],
        [{ step: 2, temperature: 0.5, samples: ["ava"] }]);
      const trace = await store.exportTrace("t");
      assert.equal(trace.format, "microgpt-lab-trace");
      assert.deepEqual(trace.steps.map((e) => e.step), [1, 2]);
      assert.deepEqual(trace.samples, [{ step: 2, temperature: 0.5, samples: ["ava"] }]);
      await assert.rejects(store.exportTrace("missing"), /unknown session missing/);
      store.close();
    });

    test("delete takes a session's rows, and its dataset only when no other session uses it", async () => {
      const store = await open();
      await store.createSession(record("a", "f1"), dataset("f1"));
      await store.createSession(record("b", "f1"), dataset("f1"));
      await store.commit("a", { step: 1 }, [event(1)], checkpoint(1));
      await store.deleteSession("a");
      assert.equal(await store.getSession("a"), undefined);
      assert.deepEqual(await store.getSteps("a"), []);
      assert.equal(await store.getCheckpoint("a"), undefined);
      assert.ok(await store.getDataset("f1"));
      await store.deleteSession("b");
      assert.equal(await store.getDataset("f1"), undefined);
      store.close();
    });

    test("records are copies: changing what was written or read changes nothing stored", async () => {
      const store = await open();
      const written = record("s");
      await store.createSession(written, dataset("f1"));
      written.config.n_embd = 99;
      const read = await store.getSession("s");
      read.config.n_embd = 7;
      assert.equal((await store.getSession("s")).config.n_embd, 16);
      await store.rename("s", "my run");
      assert.equal((await store.getSession("s")).name, "my run");
      store.close();
    });
  });
}
