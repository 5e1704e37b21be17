// The one drawing scheduler (draw/frame.js): a view asked for many times
// draws once a frame; a frame stops drawing at its budget and the rest come
// first in the next; a view that throws does not stop the others; while a
// run streams, frames are spaced at least RUN_FRAME_MS apart. The browser's
// animation frames, clock, timers and message channel are stand-ins the
// test advances.
import assert from "node:assert/strict";
import { test } from "node:test";

let clock = 1000;
performance.now = () => clock;
const frames = [];
globalThis.requestAnimationFrame = (callback) => frames.push(callback);
const timers = [];
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (callback, ms) => timers.push({ callback, at: clock + ms });
const reported = [];
globalThis.reportError = (error) => reported.push(error);
// A message posted as a frame draws is handled once the frame is done (its cost); Node's own
// MessageChannel would keep the test process alive.
globalThis.MessageChannel = class {
  port1 = { onmessage: null };
  port2 = { postMessage: () => queueMicrotask(() => this.port1.onmessage?.()) };
};

const { createFrame, stepStreamed } = await import("../../web/js/draw/frame.js");

// The next animation frame, at `clock`.
function nextFrame() {
  const callback = frames.shift();
  assert.ok(callback, "a frame was asked for");
  callback(clock);
}

const counter = (log, name, cost = 0) => () => {
  log.push(name);
  clock += cost;
};

test("a view asked for many times draws once, in one frame with the others", () => {
  const log = [];
  const a = createFrame(counter(log, "a"));
  const b = createFrame(counter(log, "b"));
  a.request();
  a.request();
  b.request();
  a.request();
  assert.equal(frames.length, 1);
  nextFrame();
  assert.deepEqual(log, ["a", "b"]);
  assert.equal(frames.length, 0); // nothing left to draw: no frame asked for
});

test("a frame draws until its budget is spent; the rest draw first in the next frame", () => {
  const log = [];
  const views = ["a", "b", "c", "d"].map((name) => createFrame(counter(log, name, 10)));
  for (const view of views) view.request();
  nextFrame();
  assert.deepEqual(log, ["a", "b", "c"]); // 30 ms drawn: past the 25 ms budget
  views[0].request();
  nextFrame();
  assert.deepEqual(log, ["a", "b", "c", "d", "a"]);
});

test("a view that throws is reported and the others still draw", () => {
  const log = [];
  const broken = createFrame(() => { throw new Error("broken view"); });
  const fine = createFrame(counter(log, "fine"));
  broken.request();
  fine.request();
  nextFrame();
  assert.deepEqual(log, ["fine"]);
  assert.equal(reported.at(-1).message, "broken view");
});

// A streamed frame's cost is measured when the message it posted is handled: let it be, before the clock moves on.
const measured = () => Promise.resolve();

test("while a run streams, frames come at least a run frame apart, whatever is asked between", async () => {
  const log = [];
  const view = createFrame(counter(log, "v"));
  clock += 1000;
  stepStreamed();
  view.request();
  nextFrame(); // the last frame was long ago: it draws now
  await measured();
  assert.deepEqual(log, ["v"]);
  clock += 10;
  stepStreamed();
  view.request();
  nextFrame(); // 10 ms after the last: it waits instead of drawing
  assert.deepEqual(log, ["v"]);
  assert.equal(timers.length, 1);
  assert.equal(timers[0].at, clock + 50 - 8 - 10); // RUN_FRAME_MS, less the slack, less the time since
  view.request(); // asked again while waiting: no second frame, no second timer
  assert.equal(frames.length, 0);
  clock = timers[0].at;
  timers.shift().callback();
  nextFrame();
  await measured();
  assert.deepEqual(log, ["v", "v"]);
  clock += 1000; // the run has stopped streaming: a request draws at the next frame
  view.request();
  nextFrame();
  assert.deepEqual(log, ["v", "v", "v"]);
  assert.equal(timers.length, 0);
});

test("a dear frame spaces the next ones out, so drawing takes at most 15% of the main thread", async () => {
  const log = [];
  const dear = createFrame(counter(log, "dear", 30)); // 30 ms of drawing a frame
  clock += 1000;
  stepStreamed();
  dear.request();
  nextFrame();
  await measured(); // 30 ms
  clock += 10;
  stepStreamed();
  dear.request();
  nextFrame();
  assert.deepEqual(log, ["dear"]);
  assert.equal(timers.at(-1).at, clock + 30 / 0.15 - 8 - 40); // 200 ms apart, less the slack and the 40 ms since
});

test.after(() => {
  globalThis.setTimeout = realSetTimeout;
});
