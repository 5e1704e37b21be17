// The router: the only subscriber to the sessions' stream. It holds what
// the page shows as one mode (view-mode.js: the recording, a session live,
// or a session at a step in time travel), filters the stream once, and
// calls each view through the hooks it has:
//
//   select(view)    a session is newly shown, live (progress, timeline, ...)
//   reset(view)     the panels redraw: on select, and at every time-travel step
//                   view = {session, recording, record, steps, samples, travel, model}:
//                   model asks the shown session's live model (the console);
//                   the recording is no session (session null, recording true)
//   show(event)     a live step event of the shown session (not while travelling)
//   latest(event)   every live step event of the shown session, travelling or not
//   sample(batch)   a sample batch of the shown session (not while travelling)
//   status(info)    the shown session's {session, status, step, num_steps, busy, queued}
//   list(sessions, current)  the sessions list changed (throttled)
//   engine(message) the engine's boot, ready, fatal, restart, error and notice messages
//   read(model)     live-model panels (reads.js decides when)
//   all(message)    every session's event and sample messages (compare)
//   follow(target)  a panel asked to follow {position, stage, step} ("Follow a token")
//   followed(answer) "Follow a token" explained a position (Session.explain)
//   compare(ids)    overlay exactly these sessions in Compare runs (the model ladder's rungs, a sweep's)
//
// Live events that arrive while a newly shown session's stored steps are
// read are held, then shown after its reset. A session shown at rest whose
// last stored step was recorded lightly (a run records attention and
// probabilities every 100 ms or so) is redrawn with that step's own full
// event once the worker has recomputed it, as time travel does: the panels
// show the session's last step, not the last one recorded in full.

import { stepStreamed } from "../draw/frame.js";
import { SESSION_STATUS } from "../engine/protocol.js";
import { createReads } from "./reads.js";
import { MODE, NOTHING_SHOWN, move, shownSession } from "./view-mode.js";

const NO_MODEL = "No live model here yet: start, step or run a session.";
const LIST_DELAY_MS = 100;
const LIST_DELAY_RUNNING_MS = 500;

export function createRouter({ sessions, views, guard, onSelect = () => {} }) {
  let mode = NOTHING_SHOWN;
  // What was read for the mode: loading (a shown session's stored steps are
  // being read; its live events wait in held), past (time travel's steps,
  // read once per trip), the step of the last full event drawn (a follow
  // target's step).
  const shown = { loading: false, held: [], past: null, fullStep: null };
  const current = () => shownSession(mode);
  const travelStep = () => (mode.kind === MODE.TRAVEL ? mode.step : null);
  const call = (hook, ...args) => {
    for (const view of views) {
      if (!view[hook]) continue;
      try {
        view[hook](...args);
      } catch (error) {
        console.error(`view ${hook}:`, error);
      }
    }
  };
  const reads = createReads({
    views,
    model: () => (current() ? sessions.model(current(), travelStep()) : { missing: NO_MODEL }),
  });

  // The shown session's live model, found when it is asked (a stored
  // session comes into this tab's worker on its first question); at(step):
  // the model as it was at that step (time travel's rebuild).
  const liveModel = (id) => ({
    async ask(type, fields) {
      const model = await sessions.model(id, null);
      if (model.missing) throw new Error(model.missing);
      return model.ask(type, fields);
    },
    at: (step) => sessions.model(id, step),
    stopConsole: () => sessions.stopConsole(id),
  });

  // ---- the sessions list, refreshed at most every `delay` ms
  let listTimer = 0;
  let lastList = 0;
  async function refreshList() {
    clearTimeout(listTimer);
    listTimer = 0;
    lastList = performance.now();
    const list = await sessions.list();
    call("list", list, current());
    const info = list.find((s) => s.id === current());
    if (info) {
      call("status", { session: info.id, status: info.status, step: info.step, num_steps: info.num_steps,
                       owner: info.owner });
    }
    return list;
  }
  function scheduleList(delay = LIST_DELAY_MS) {
    if (!listTimer) listTimer = setTimeout(refreshList, Math.max(0, delay - (performance.now() - lastList)));
  }

  // ---- what is shown (the guard remembers a session whose drawing never ended: draw-guard.js)
  const select = (id) => guard.draw(id, () => show(id));
  async function show(id) {
    onSelect(id);
    mode = move(mode, "show", id);
    const shownMode = mode;
    Object.assign(shown, { loading: true, held: [], past: null, fullStep: null });
    travelling = null;
    sessions.leavePast();
    sessions.watch(id);
    const [record, steps, samples] = await Promise.all([sessions.record(id), sessions.steps(id), sessions.samples(id)]);
    if (mode !== shownMode) return;
    shown.loading = false;
    if (!record) return;
    const view = { session: id, recording: false, record, steps, samples, travel: null, model: liveModel(id) };
    call("select", view);
    call("reset", view);
    reads.reset();
    shown.fullStep = lastFull(steps);
    const last = steps.length ? steps[steps.length - 1].step : 0;
    const heldEvents = shown.held.splice(0);
    for (const { event, remote } of heldEvents) if (event.step > last) showEvent(event, remote);
    if (!heldEvents.length) refineLast(id, view, shownMode);
    await refreshList();
  }

  // The last stored step, when it was recorded lightly and the session is at
  // rest: its own full event, recomputed by time travel's rebuild, replaces
  // the nearest full one in the panels.
  function refineLast(id, view, shownMode) {
    const last = view.steps[view.steps.length - 1];
    if (!last || last.attention || [SESSION_STATUS.IMPORTED, SESSION_STATUS.RUNNING, SESSION_STATUS.WAITING]
      .includes(view.record.status)) return;
    sessions.stepAt(id, last.step).then((event) => {
      if (!event || mode !== shownMode || shown.fullStep >= event.step) return;
      const steps = [...view.steps.slice(0, -1), event];
      call("reset", { ...view, steps });
      reads.reset();
      shown.fullStep = event.step;
    });
  }

  // A full event (only those carry topk) makes the model worth reading again,
  // unless another tab trains it: its model lives in that tab's worker.
  function showEvent(event, remote) {
    call("latest", event);
    if (mode.kind !== MODE.LIVE) return;
    call("show", event);
    if (event.attention) shown.fullStep = event.step;
    if (event.topk && !remote) reads.request();
  }

  // ---- time travel: the views redraw from the stored steps up to `step`
  // (null: back to live). The steps are read once per trip (again only past
  // their end); a step the run recorded lightly is shown with the nearest
  // full one, then with its own full event once the worker recomputed it.
  let travelling = null;
  function travelTo(step) {
    if (!current()) return;
    if (step === null) {
      if (mode.kind !== MODE.TRAVEL) return;
      travelling = null;
      mode = move(mode, "live");
      select(mode.session); // the panels redraw at the newest step
      return;
    }
    mode = move(mode, "travel", step);
    travelling ??= travelLoop(mode.session);
  }

  async function travelLoop(id) {
    while (mode.kind === MODE.TRAVEL && mode.session === id) {
      await new Promise(requestAnimationFrame); // one redraw per frame while dragging
      if (mode.kind !== MODE.TRAVEL || mode.session !== id) break;
      const at = mode.step;
      const known = shown.past?.steps.length ? shown.past.steps[shown.past.steps.length - 1].step : 0;
      if (!shown.past || at > known) {
        const [record, steps, samples] = await Promise.all([sessions.record(id), sessions.steps(id), sessions.samples(id)]);
        shown.past = { record, steps, samples };
      }
      if (mode.kind !== MODE.TRAVEL || mode.session !== id) break;
      showPast(id, shown.past.steps.filter((event) => event.step <= at), at);
      if (mode.step === at) break;
    }
    travelling = null;
  }

  function showPast(id, steps, at) {
    const { record, samples } = shown.past;
    call("reset", { session: id, recording: false, record, steps, travel: at,
                    samples: samples.filter((batch) => batch.step <= at), model: liveModel(id) });
    reads.reset();
    shown.fullStep = lastFull(steps);
    const last = steps[steps.length - 1];
    if (!last || last.step !== at || last.attention || record.status === SESSION_STATUS.IMPORTED) return;
    sessions.stepAt(id, at).then((event) => {
      if (event && mode.kind === MODE.TRAVEL && mode.session === id && mode.step === at) {
        showPast(id, [...steps.slice(0, -1), event], at);
      }
    });
  }

  // ---- the recording (ui/recording.js) plays through the panels' hooks only
  const replay = {
    reset(record) {
      mode = move(mode, "record");
      Object.assign(shown, { loading: false, held: [], fullStep: null });
      call("reset", { session: null, recording: true, record, steps: [], samples: [], travel: null,
                      model: { missing: NO_MODEL } });
      reads.reset();
    },
    show: (event) => mode.kind === MODE.RECORDING && call("show", event),
    sample: (batch) => mode.kind === MODE.RECORDING && call("sample", batch),
  };

  sessions.subscribe((message) => {
    const mine = Boolean(message.session) && message.session === current();
    switch (message.type) {
      case "event":
        if (message.streamed) stepStreamed(); // a Step pressed is drawn at the next refresh
        if (mine && shown.loading) shown.held.push(message);
        else if (mine) showEvent(message.event, message.remote);
        scheduleList(LIST_DELAY_RUNNING_MS);
        break;
      case "sample":
        if (mine && mode.kind === MODE.LIVE) call("sample", message.result);
        break;
      case "status":
        if (mine) {
          call("status", message);
          reads.request();
        }
        scheduleList();
        break;
      case "list":
        scheduleList();
        break;
      default:
        call("engine", message); // boot, ready, fatal, restart, error, notice
    }
    if (message.type === "event" || message.type === "sample") call("all", message);
  });

  return {
    get current() {
      return current();
    },
    get travel() {
      return travelStep();
    },
    get mode() {
      return mode;
    },
    select,
    travelTo,
    refreshList,
    replay,
    requestRead: (view) => reads.restart(view),
    // A position to follow belongs to a step: the one the asking panel
    // shows (the last full event drawn) unless it says.
    follow: (target) => call("follow", { step: shown.fullStep, ...target }),
    followed: (answer) => call("followed", answer),
    compare: (ids) => call("compare", ids),
    resize: () => call("resize"),
  };
}

// The step of the last event recorded in full (attention and all), or null.
function lastFull(steps) {
  for (let i = steps.length - 1; i >= 0; i -= 1) if (steps[i].attention) return steps[i].step;
  return null;
}
