// When the live-model panels (the views with a read hook: inspector,
// embedding map, probe) read the model. Each read is answered by
// the worker between two training steps, so it slows a run: a panel reads
// at most every MIN_INTERVAL_MS, one read at a time, and only while its
// element is on screen (a hidden panel asks nothing until it is scrolled
// into view). The router asks for reads (request) after a reset, a full
// step event or a status change; after a reset a new read need not wait for
// one still in flight (the panels drop an answer that came too late:
// draw/reads.js).
//
//   const reads = createReads({ views, model: () => sessions.model(...) });
//   reads.request();   // read again, when each panel may
//   reads.reset();     // what is shown changed: forget reads in flight
//   reads.restart(view) // that panel changed what it reads: read it again now

const MIN_INTERVAL_MS = 500; // two reads a second per panel

export function createReads({ views, model }) {
  const readers = new Map(views.filter((view) => view.read).map((view) => [view, createReader(view, model)]));
  return {
    request: () => readers.forEach((reader) => reader.request()),
    reset: () => readers.forEach((reader) => reader.restart()),
    restart: (view) => readers.get(view)?.restart(),
  };
}

function createReader(view, model) {
  let visible = true;
  let wanted = false;
  let inFlight = false;
  let last = -Infinity;
  let timer = 0;
  let generation = 0;

  // No IntersectionObserver (very old browsers): always visible.
  if (typeof IntersectionObserver === "function" && view.el) {
    new IntersectionObserver((entries) => {
      visible = entries[entries.length - 1].isIntersecting;
      pump();
    }).observe(view.el);
  }

  async function pump() {
    if (inFlight || !wanted || timer || !visible) return;
    const wait = last + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = 0;
        pump();
      }, wait);
      return;
    }
    wanted = false;
    inFlight = true;
    last = performance.now();
    const mine = generation;
    try {
      const handle = await model();
      if (mine === generation) await view.read(handle);
    } catch (error) {
      console.error("read:", error);
    } finally {
      if (mine === generation) {
        inFlight = false;
        pump();
      }
    }
  }

  return {
    request() {
      wanted = true;
      pump();
    },
    restart() {
      generation += 1;
      inFlight = false;
      wanted = true;
      pump();
    },
  };
}
