// One scheduler for every view's drawing: callers mark a view dirty as often
// as they like; one animation frame draws every dirty view, once.
//
// While a run streams step events, frames come at most every RUN_FRAME_MS.
// On two cores each frame's browser work (commit, paint, raster and
// compositing a tall page) takes CPU from the engine worker: drawing at
// every refresh, the lab trained at 52 steps/s; at 20 frames a second, at
// 75-84 (README, Performance). A learner's own input between runs is drawn
// at the next refresh as before.
//
// A frame draws views until FRAME_BUDGET_MS have passed; the rest draw in
// the next frame, first, so no frame becomes one long task.

const RUN_FRAME_MS = 50;
const STREAM_QUIET_MS = 250; // no step event for this long: no run is streaming
const FRAME_SLACK_MS = 8; // the wait ends half a refresh early: the next refresh is the one due
const FRAME_BUDGET_MS = 25;

const dirty = new Set();
let handle = 0;
let waiting = 0;
let due = false;
let lastFrame = -Infinity;
let lastStep = -Infinity;

function flush(now) {
  handle = 0;
  const wait = !due && now - lastStep < STREAM_QUIET_MS ? RUN_FRAME_MS - FRAME_SLACK_MS - (now - lastFrame) : 0;
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
