// Live reads for the panels that show the session's model rather than its
// step events (inspector, embedding map, probe contexts). Such a panel never
// talks to the worker: the shell gives it options.source, whose functions
// (app.js) resolve to the engine's answer, or to null when the session shown
// has no live model in this tab (the recording; a stored session not yet
// loaded into this tab's worker, until it is started, stepped or run).
//
// createRefresher(fetch, {onResult, onError}) keeps at most one read in
// flight and starts at most one every MIN_INTERVAL_MS, so a run (full events
// every 100 ms) refreshes a few times per second. reset() drops the answer of
// a read started for an earlier selection.
const MIN_INTERVAL_MS = 250;

export function createRefresher(fetch, { onResult, onError }) {
  let wanted = false;
  let inFlight = false;
  let last = -Infinity;
  let timer = 0;
  let generation = 0;

  function pump() {
    if (inFlight || !wanted || timer) return;
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
    Promise.resolve()
      .then(fetch)
      .then((result) => {
        if (mine === generation) onResult(result);
      }, (error) => {
        if (mine === generation) onError(error);
      })
      .finally(() => {
        inFlight = false;
        pump();
      });
  }

  return {
    request() {
      wanted = true;
      pump();
    },
    reset() {
      generation += 1;
    },
    destroy() {
      generation += 1;
      wanted = false;
      clearTimeout(timer);
    },
  };
}

// Which live session a panel message concerns, and whether it asks for a
// refresh: a newly shown session, a full step event of it (only full events
// carry `topk`; they come every 100 ms or so during a run), or a status
// change (a run that ends on a light event). Events from other tabs are
// skipped: their model lives in another worker.
export function liveChange(message, session) {
  switch (message.type) {
    case "session":
      return { session: message.session, fresh: true };
    case "event":
      if (message.session === message.current && message.session === session && !message.remote && message.event.topk) {
        return { session, fresh: false };
      }
      return null;
    case "status":
      return message.session === session ? { session, fresh: false } : null;
    default:
      return null;
  }
}
