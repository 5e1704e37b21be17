// One scheduler for every view's drawing: callers mark a view dirty as often
// as they like; one animation frame draws every dirty view, once.
//
// While a run streams step events, frames are paced so that drawing takes
// at most DRAW_SHARE of the page's main thread, and come at most every
// RUN_FRAME_MS. Each frame's browser work (style, layout, paint, commit,
// and with it the raster and compositing threads' work) grows with the area
// it redraws, and on two cores it takes CPU from the engine worker: with
// every panel on screen (1280x3600, software compositing in headless
// Chromium 150) a frame cost the main thread 11-13 ms and the compositing
// threads as much again, so 20 frames a second took most of a core and the
// run slowed to 0.4-0.7 of the worker's own speed (README, Performance).
// A frame's main-thread time is measured from its start until a message
// posted as it draws is handled (that task runs once the frame's rendering
// is done). A learner's own input between runs is drawn at the next refresh.
//
// A frame draws views until FRAME_BUDGET_MS have passed; the rest draw in
// the next frame, first, so no frame becomes one long task.

const RUN_FRAME_MS = 50;
const DRAW_SHARE = 0.15;
const SLOWEST_RUN_FRAME_MS = 500; // however dear a frame, the panels follow a run twice a second
const STREAM_QUIET_MS = 250; // no step event for this long: no run is streaming
const FRAME_SLACK_MS = 8; // the wait ends half a refresh early: the next refresh is the one due
const FRAME_BUDGET_MS = 25;

const dirty = new Set();
let handle = 0;
let waiting = 0;
let due = false;
let lastFrame = -Infinity;
let lastStep = -Infinity;

// A streamed frame's main-thread time (ms), averaged over the last few.
let frameCost = 0;
const afterFrame = new MessageChannel();
let frameStart = 0;
afterFrame.port1.onmessage = () => {
  const cost = performance.now() - frameStart;
  frameCost = frameCost ? 0.75 * frameCost + 0.25 * cost : cost;
};

// The time from one streamed frame to the next.
const runInterval = () => Math.min(SLOWEST_RUN_FRAME_MS, Math.max(RUN_FRAME_MS, frameCost / DRAW_SHARE));

function flush(now) {
  handle = 0;
  const streaming = now - lastStep < STREAM_QUIET_MS;
  const wait = !due && streaming ? runInterval() - FRAME_SLACK_MS - (now - lastFrame) : 0;
  due = false;
  if (wait > 0) {
    waiting = setTimeout(() => {
      waiting = 0;
      due = true;
      schedule();
    }, wait);
    return;
  }
  lastFrame = now;
  const start = performance.now();
  if (streaming) {
    frameStart = start;
    afterFrame.port2.postMessage(0);
  }
  const views = [...dirty]; // a view that asks again while drawing is drawn next frame
  dirty.clear();
  let drawn = 0;
  for (; drawn < views.length && performance.now() - start < FRAME_BUDGET_MS; drawn += 1) {
    try {
      views[drawn]();
    } catch (error) {
      reportError(error); // as an uncaught error, and the other views still draw
    }
  }
  const later = [...views.slice(drawn), ...dirty];
  dirty.clear();
  for (const draw of later) dirty.add(draw);
  if (dirty.size) schedule();
}

function schedule() {
  if (!handle && !waiting) handle = requestAnimationFrame(flush);
}

// The router calls this for each live step event of a run.
export function stepStreamed() {
  lastStep = performance.now();
}

export function createFrame(draw) {
  return {
    request() {
      dirty.add(draw);
      schedule();
    },
    cancel() {
      dirty.delete(draw);
    },
  };
}

// A panel's resize() and destroy() when it draws through `frame`: a resize
// redraws; destroy stops the frame, destroys what the panel owns (its
// charts) and empties its element.
export function frameLifecycle(el, frame, ...owned) {
  return {
    resize: () => frame.request(),
    destroy() {
      frame.cancel();
      for (const part of owned) part.destroy();
      el.replaceChildren();
    },
  };
}
