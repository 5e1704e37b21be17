// Time travel in the router (ui/router.js): a trip reads the session's
// stored steps once and redraws the views at each step, once per animation
// frame however fast the scrubber moves; a step recorded lightly is redrawn
// with its own full event once rebuilt, unless the scrubber moved on; live
// events update the scrubber's end but not the panels; Live redraws at the
// newest step. The sessions are a stand-in holding stored steps; animation
// frames are run by the test.
import assert from "node:assert/strict";
import { test } from "node:test";

const frames = [];
globalThis.requestAnimationFrame = (callback) => frames.push(callback);
// draw/frame.js opens a MessageChannel, whose port would keep Node running.
globalThis.MessageChannel = class {
  port1 = { onmessage: null };
  port2 = { postMessage: () => {} };
};

const { createRouter } = await import("../../web/js/ui/router.js");
const { MODE } = await import("../../web/js/ui/view-mode.js");

// Everything pending settles (the stand-in's promises resolve at once).
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function nextFrame() {
  assert.ok(frames.length, "a frame was asked for");
  frames.splice(0).forEach((callback) => callback(0));
  await settle();
}

// A session of `count` stored steps, full (with attention) at `full` only.
function storedSession(count, full = []) {
  const steps = Array.from({ length: count }, (_, i) => ({ step: i + 1, loss: 3 - i / 10,
                                                           ...(full.includes(i + 1) ? { attention: [[1]] } : {}) }));
  return { record: { id: "s", status: "done", num_steps: count }, steps,
           samples: [{ step: 2, samples: ["ava"] }, { step: 4, samples: ["emma"] }] };
}

function setUp(session, { rebuild = (step) => Promise.resolve({ step, attention: [[step]] }) } = {}) {
  const reads = { steps: 0, rebuilt: [] };
  let listener = null;
  const sessions = {
    subscribe: (fn) => { listener = fn; },
    watch() {},
    leavePast() {},
    list: async () => [{ id: "s", status: session.record.status, step: session.steps.length }],
    record: async () => session.record,
    steps: async () => { reads.steps += 1; return [...session.steps]; },
    samples: async () => session.samples,
    model: async () => ({ missing: "no model here" }),
    stepAt(id, step) {
      reads.rebuilt.push(step);
      return rebuild(step);
    },
  };
  const drawn = { reset: [], show: [], latest: [] };
  const view = {
    reset: (view) => drawn.reset.push(view),
    show: (event) => drawn.show.push(event.step),
    latest: (event) => drawn.latest.push(event.step),
  };
  const router = createRouter({ sessions, views: [view], guard: { draw: (id, show) => show() } });
  const emit = (message) => listener(message);
  return { router, drawn, reads, emit };
}

const lastReset = (drawn) => drawn.reset[drawn.reset.length - 1];
const stepsOf = (view) => view.steps.map((event) => event.step);

test("a trip reads the stored steps once and redraws the views at each step", async () => {
  const { router, drawn, reads } = setUp(storedSession(6, [2, 3, 4, 5, 6]));
  await router.select("s");
  assert.equal(lastReset(drawn).travel, null);
  assert.deepEqual(stepsOf(lastReset(drawn)), [1, 2, 3, 4, 5, 6]);
  const readOnSelect = reads.steps;

  router.travelTo(4);
  assert.equal(router.mode.kind, MODE.TRAVEL);
  await nextFrame();
  let view = lastReset(drawn);
  assert.equal(view.travel, 4);
  assert.deepEqual(stepsOf(view), [1, 2, 3, 4]);
  assert.deepEqual(view.samples.map((batch) => batch.step), [2, 4]);

  router.travelTo(2);
  await nextFrame();
  view = lastReset(drawn);
  assert.equal(view.travel, 2);
  assert.deepEqual(stepsOf(view), [1, 2]);
  assert.deepEqual(view.samples.map((batch) => batch.step), [2]);
  assert.equal(reads.steps, readOnSelect + 1, "one read of the stored steps per trip");
  assert.deepEqual(reads.rebuilt, [], "steps recorded in full need no rebuild");
});

test("a scrubber dragged within one frame redraws once, at its last step", async () => {
  const { router, drawn } = setUp(storedSession(8, [1, 2, 3, 4, 5, 6, 7, 8]));
  await router.select("s");
  const before = drawn.reset.length;
  router.travelTo(7);
  router.travelTo(3);
  router.travelTo(5);
  await nextFrame();
  assert.equal(drawn.reset.length, before + 1);
  assert.equal(lastReset(drawn).travel, 5);
  assert.equal(frames.length, 0, "nothing more to draw");
});

test("a step recorded lightly is redrawn with its own rebuilt event, unless the scrubber moved on", async () => {
  const release = new Map(); // step -> finish its rebuild
  const rebuild = (step) => new Promise((resolve) => release.set(step, () => resolve({ step, attention: [[step]] })));
  const { router, drawn, reads } = setUp(storedSession(6, [2]), { rebuild });
  await router.select("s");
  reads.rebuilt.length = 0; // the last step's own refinement, on select

  router.travelTo(4);
  await nextFrame();
  assert.deepEqual(reads.rebuilt, [4]);
  assert.equal(lastReset(drawn).steps.at(-1).attention, undefined, "drawn first with what was stored");
  release.get(4)();
  await settle();
  let view = lastReset(drawn);
  assert.equal(view.travel, 4);
  assert.deepEqual(view.steps.at(-1).attention, [[4]], "then with step 4's own full event");

  router.travelTo(5);
  await nextFrame();
  const count = drawn.reset.length;
  router.travelTo(3);
  await nextFrame();
  release.get(5)(); // too late: the scrubber is at 3
  await settle();
  assert.ok(drawn.reset.slice(count).every((shown) => shown.travel === 3));
  release.get(3)();
  await settle();
  view = lastReset(drawn);
  assert.equal(view.travel, 3);
  assert.deepEqual(view.steps.at(-1).attention, [[3]]);
});

test("a live step moves the scrubber's end while travelling; Live redraws at the newest step", async () => {
  const session = storedSession(5, [1, 2, 3, 4, 5]);
  const { router, drawn, emit } = setUp(session);
  await router.select("s");
  router.travelTo(2);
  await nextFrame();

  const event = { step: 6, loss: 2, attention: [[1]], topk: [] };
  session.steps.push(event);
  emit({ type: "event", session: "s", event });
  assert.deepEqual(drawn.latest, [6]);
  assert.deepEqual(drawn.show, [], "the panels stay at step 2");
  assert.equal(lastReset(drawn).travel, 2);

  router.travelTo(null);
  await settle();
  assert.equal(router.mode.kind, MODE.LIVE);
  assert.equal(router.travel, null);
  assert.equal(lastReset(drawn).travel, null);
  assert.deepEqual(stepsOf(lastReset(drawn)), [1, 2, 3, 4, 5, 6]);
  emit({ type: "event", session: "s", event: { step: 7, loss: 2 } });
  assert.deepEqual(drawn.show, [7]);
});

test("a step past those read on this trip reads the stored steps again", async () => {
  const session = storedSession(4, [1, 2, 3, 4]);
  const { router, drawn, reads } = setUp(session);
  await router.select("s");
  router.travelTo(3);
  await nextFrame();
  const read = reads.steps;
  session.steps.push({ step: 5, attention: [[1]] }, { step: 6, attention: [[1]] });
  router.travelTo(5);
  await nextFrame();
  assert.equal(reads.steps, read + 1);
  assert.deepEqual(stepsOf(lastReset(drawn)), [1, 2, 3, 4, 5]);
});

test("with nothing shown, or already live, the scrubber's moves do nothing", async () => {
  const { router, drawn } = setUp(storedSession(3, [1, 2, 3]));
  router.travelTo(2);
  router.travelTo(null);
  assert.equal(router.mode.kind, MODE.NONE);
  assert.equal(frames.length, 0);
  await router.select("s");
  const count = drawn.reset.length;
  router.travelTo(null);
  await settle();
  assert.equal(drawn.reset.length, count);
  assert.equal(router.mode.kind, MODE.LIVE);
});
