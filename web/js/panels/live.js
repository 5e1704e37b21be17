// Live reads for the panels that show the session's model rather than its
// step events (inspector, embedding map, probe contexts). Such a panel never
// talks to the worker: the shell gives it options.source, whose functions
// (app.js) resolve to the engine's answer, or to null when the session shown
// has no live model in this tab (the recording; a stored session not yet
// loaded into this tab's worker, until it is started, stepped or run).
//
// createLiveFeed(el, read, {onResult, onError, onSession}) is what such a
// panel uses: feed.update(message) follows the shown session
// (onSession(message) when a new one is shown, to clear the panel) and
// refreshes on the changes that call for it (liveChange); read(session) is
// called at most every MIN_INTERVAL_MS with one read in flight, and only
// while the panel's element `el` is on screen (createRefresher), so a run
// (full events every 100 ms) refreshes twice a second. Each read is
// answered by the worker between two steps, so it slows the run: a hidden
// panel asks nothing until it is scrolled into view. feed.restart() drops a
// read in flight and reads again (the panel changed what it asks);
// feed.idle says why there is nothing to show when a read returns null.
const MIN_INTERVAL_MS = 500; // two reads a second per panel: each one costs the run a gap between steps

function createRefresher(fetch, { onResult, onError, el }) {
  let visible = true;
  let wanted = false;
  let inFlight = false;
  let last = -Infinity;
  let timer = 0;
  let generation = 0;

  // No IntersectionObserver (very old browsers): always visible.
  const observer = typeof IntersectionObserver === "function" ? new IntersectionObserver((entries) => {
    visible = entries[entries.length - 1].isIntersecting;
    pump();
  }) : null;
  observer?.observe(el);

  function pump() {
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
      observer?.disconnect();
    },
  };
}

export function createLiveFeed(el, read, { onResult, onError, onSession }) {
  let imported = false;
  const refresher = createRefresher(() => read(feed.session), { onResult, onError, el });
  const feed = {
    session: null,
    get idle() {
      return imported ? "An imported trace is read-only: it has no model to look into."
        : "No live model here yet: start, step or run a session.";
    },
    update(message) {
      const change = liveChange(message, feed.session);
      if (!change) return;
      if (change.fresh) {
        feed.session = change.session;
        imported = message.record?.status === "imported";
        refresher.reset();
        onSession(message);
      }
      refresher.request();
    },
    restart() {
      refresher.reset();
      refresher.request();
    },
    destroy: () => refresher.destroy(),
  };
  return feed;
}

// The panel object (registry.js) of a live-model panel: messages go to its
// feed, a resize redraws its frame.
export function liveView(el, feed, frame) {
  return {
    update: (message) => feed.update(message),
    resize: () => frame.request(),
    destroy() {
      feed.destroy();
      frame.cancel();
      el.replaceChildren();
    },
  };
}

// Which live session a panel message concerns, and whether it asks for a
// refresh: a newly shown session, a full step event of it (only full events
// carry `topk`; they come every 100 ms or so during a run), or a status
// change (a run that ends on a light event). Events from other tabs are
// skipped: their model lives in another worker.
function liveChange(message, session) {
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
