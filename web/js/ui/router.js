// The router: the only subscriber to the sessions' stream. It knows which
// session the page shows and at which step (time travel), filters the
// stream once, and calls each view through the hooks it has:
//
//   select(view)    a session is newly shown, live (progress, timeline, ...)
//   reset(view)     the panels redraw: on select, and at every time-travel step
//                   view = {session, record, steps, samples, travel, model}:
//                   model asks the shown session's live model (the console)
//   show(event)     a live step event of the shown session (not while travelling)
//   latest(event)   every live step event of the shown session, travelling or not
//   sample(batch)   a sample batch of the shown session (not while travelling)
//   status(info)    the shown session's {session, status, step, num_steps}
//   list(sessions, current)  the sessions list changed (throttled)
//   engine(message) the engine's boot, ready, fatal, restart and error messages
//   read(model)     live-model panels (reads.js decides when)
//   all(message)    every session's event and sample messages (compare)
//   follow(target)  a panel asked to follow {position, stage} ("Follow a token")
//   followed(answer) "Follow a token" explained a position (Session.explain)
//   compare(ids)    overlay these sessions in Compare runs (the model ladder, trained from one action)
//
// Live events that arrive while a newly shown session's stored steps are
// read are held, then shown after its reset.

import { stepStreamed } from "../draw/frame.js";
import { createReads } from "./reads.js";

const NO_MODEL = "No live model here yet: start, step or run a session.";
const LIST_DELAY_MS = 100;
const LIST_DELAY_RUNNING_MS = 500;

export function createRouter({ sessions, views, guard, onSelect = () => {} }) {
  const shown = { session: null, travel: null, loading: false, held: [], past: null };
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
    model: () => (shown.session && shown.session !== "recording"
      ? sessions.model(shown.session, shown.travel)
      : { missing: NO_MODEL }),
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
    stopConsole: () => sessions.model(id, null).then((model) => model.stopConsole?.()),
  });

  // ---- the sessions list, refreshed at most every `delay` ms
  let listTimer = 0;
  let lastList = 0;
  async function refreshList() {
    clearTimeout(listTimer);
    listTimer = 0;
    lastList = performance.now();
    const list = await sessions.list();
    call("list", list, shown.session);
    const info = list.find((s) => s.id === shown.session);
    if (info) call("status", { session: info.id, status: info.status, step: info.step, num_steps: info.num_steps });
    return list;
  }
  function scheduleList(delay = LIST_DELAY_MS) {
    if (!listTimer) listTimer = setTimeout(refreshList, Math.max(0, delay - (performance.now() - lastList)));
  }

  // ---- what is shown (the guard remembers a session whose drawing never ended: draw-guard.js)
  const select = (id) => guard.draw(id, () => show(id));
  async function show(id) {
    onSelect(id);
    Object.assign(shown, { session: id, travel: null, loading: true, held: [], past: null });
    travelling = null;
    sessions.leavePast();
    sessions.watch(id);
    const [record, steps, samples] = await Promise.all([sessions.record(id), sessions.steps(id), sessions.samples(id)]);
    if (shown.session !== id) return;
    shown.loading = false;
    if (!record) return;
    const view = { session: id, record, steps, samples, travel: null, model: liveModel(id) };
    call("select", view);
    call("reset", view);
    reads.reset();
    const last = steps.length ? steps[steps.length - 1].step : 0;
    for (const { event, remote } of shown.held.splice(0)) if (event.step > last) showEvent(event, remote);
    await refreshList();
  }

  // A full event (only those carry topk) makes the model worth reading again,
  // unless another tab trains it: its model lives in that tab's worker.
  function showEvent(event, remote) {
    call("latest", event);
    if (shown.travel !== null) return;
    call("show", event);
    if (event.topk && !remote) reads.request();
  }

  // ---- time travel: the views redraw from the stored steps up to `step`
  // (null: back to live). The steps are read once per trip (again only past
  // their end); a step the run recorded lightly is shown with the nearest
  // full one, then with its own full event once the worker recomputed it.
  let travelling = null;
  function travelTo(step) {
    if (!shown.session) return;
    if (step === null) {
      travelling = null;
      select(shown.session);
      return;
    }
    shown.travel = step;
    travelling ??= travelLoop(shown.session);
  }

  async function travelLoop(id) {
    while (shown.session === id && shown.travel !== null) {
      await new Promise(requestAnimationFrame); // one redraw per frame while dragging
      const at = shown.travel;
      const known = shown.past?.steps.length ? shown.past.steps[shown.past.steps.length - 1].step : 0;
      if (!shown.past || at > known) {
        const [record, steps, samples] = await Promise.all([sessions.record(id), sessions.steps(id), sessions.samples(id)]);
        shown.past = { record, steps, samples };
      }
      if (shown.session !== id || shown.travel === null) break;
      showPast(id, shown.past.steps.filter((event) => event.step <= at), at);
      if (shown.travel === at) break;
    }
    travelling = null;
  }

  function showPast(id, steps, at) {
    const { record, samples } = shown.past;
    call("reset", { session: id, record, steps, travel: at, samples: samples.filter((batch) => batch.step <= at),
                    model: liveModel(id) });
    reads.reset();
    const last = steps[steps.length - 1];
    if (!last || last.step !== at || last.attention || record.status === "imported") return;
    sessions.stepAt(id, at).then((event) => {
      if (event && shown.session === id && shown.travel === at) showPast(id, [...steps.slice(0, -1), event], at);
    });
  }

  // ---- the recording (ui/recording.js) plays through the panels' hooks only
  const replay = {
    reset(record) {
      Object.assign(shown, { session: "recording", travel: null, loading: false, held: [] });
      call("reset", { session: "recording", record, steps: [], samples: [], travel: null, model: { missing: NO_MODEL } });
      reads.reset();
    },
    show: (event) => shown.session === "recording" && call("show", event),
    sample: (batch) => shown.session === "recording" && call("sample", batch),
  };

  sessions.subscribe((message) => {
    const mine = message.session === shown.session;
    switch (message.type) {
      case "event":
        stepStreamed();
        if (mine && shown.loading) shown.held.push(message);
        else if (mine) showEvent(message.event, message.remote);
        scheduleList(LIST_DELAY_RUNNING_MS);
        break;
      case "sample":
        if (mine && shown.travel === null) call("sample", message.result);
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
        call("engine", message); // boot, ready, fatal, restart, error
    }
    if (message.type === "event" || message.type === "sample") call("all", message);
  });

  return {
    get current() {
      return shown.session === "recording" ? null : shown.session;
    },
    get travel() {
      return shown.travel;
    },
    select,
    travelTo,
    refreshList,
    replay,
    requestRead: (view) => reads.restart(view),
    follow: (target) => call("follow", target),
    followed: (answer) => call("followed", answer),
    compare: (ids) => call("compare", ids),
    resize: () => call("resize"),
  };
}
