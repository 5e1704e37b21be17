// Training a held session: one step, a run to a target step, pause, reset,
// sampling, and a run that goes on after its worker was lost or its tab
// closed. Each step event reaches the page (bus) and the other tabs, and is
// stored with the checkpoints that come with it (held.js).
//
// Every function takes the same context first: {engine, store, tabs, held, bus}.

import {
  BROADCAST, CHECKPOINT_EVERY, FULL_EVERY_MS, LEVEL, PAUSE_GRACE_MS, RUN_REASON, SESSION_STATUS,
} from "../engine/protocol.js";

export function createRuns(ctx) {
  return {
    step: (id) => step(ctx, id),
    run: (id, runTo) => run(ctx, id, runTo),
    pause: (id) => pause(ctx, id),
    reset: (id) => reset(ctx, id),
    sample: (id, numSamples, temperature) => sample(ctx, id, numSamples, temperature),
    resumeInterrupted: () => resumeInterrupted(ctx),
  };
}

function publish({ tabs, bus }, id, event) {
  bus.emit({ type: "event", session: id, event, remote: false });
  tabs.broadcast({ type: BROADCAST.EVENT, session: id, event });
}

const reached = (state) => new Error(`the session has reached num_steps (${state.num_steps})`);

function step(ctx, id) {
  const { engine, held, bus } = ctx;
  return bus.guard(id, async () => {
    const state = await held.load(id);
    if (state.run) throw new Error("the session is running; pause it first");
    if (state.step >= state.num_steps) throw reached(state);
    const event = await engine.call("step", { session: id, level: LEVEL.FULL });
    // Manual steps are human-paced: checkpoint each one so none is lost.
    const checkpoint = await engine.call("checkpoint", { session: id });
    state.step = event.step;
    state.unsaved.push(event);
    const status = state.step >= state.num_steps ? SESSION_STATUS.DONE : SESSION_STATUS.IDLE;
    await held.flush(state, { status }, checkpoint);
    publish(ctx, id, event);
    held.setStatus(state, status);
    return event;
  });
}

// Run to `runTo` (default: num_steps). Resolves when the run ends, with
// {session, step, status}.
function run(ctx, id, runTo = null) {
  const { held, bus } = ctx;
  return bus.guard(id, async () => {
    const state = await held.load(id);
    if (state.run) return state.run;
    const target = Math.min(runTo ?? state.num_steps, state.num_steps);
    if (target <= state.step) throw reached(state);
    state.status = SESSION_STATUS.RUNNING;
    await held.flush(state, { run_to: target });
    // A pause while that was written found no run to stop and said so in the
    // status (pauseLostRun): the run does not start.
    if (state.status !== SESSION_STATUS.RUNNING) return { session: id, step: state.step, status: state.status };
    held.setStatus(state, SESSION_STATUS.RUNNING);
    state.run = streamRun(ctx, state, target);
    return state.run;
  });
}

// The worker's run request, with its events stored and published as they
// come; the session's status follows how the run ended.
async function streamRun(ctx, state, target) {
  const { engine, held } = ctx;
  const onEvent = ({ event, checkpoint }) => {
    state.step = event.step;
    state.unsaved.push(event);
    if (checkpoint) held.flush(state, {}, checkpoint);
    else held.scheduleFlush(state);
    publish(ctx, state.id, event);
  };
  let lost = null;
  try {
    const result = await engine.call("run", { session: state.id, steps: target - state.step,
                                              checkpoint_every: CHECKPOINT_EVERY, full_every_ms: FULL_EVERY_MS },
                                      onEvent);
    state.step = result.step;
    const status = state.step >= state.num_steps ? SESSION_STATUS.DONE
      : result.reason === RUN_REASON.PAUSED ? SESSION_STATUS.PAUSED : SESSION_STATUS.IDLE;
    // Persist first, so whoever sees the new status finds it stored.
    await held.flush(state, { status, run_to: null }, result.checkpoint);
    state.status = status;
  } catch (error) {
    if (error.lost) lost = error; // the session stays "running" while it comes back
    else await endFailedRun(ctx, state, error);
  } finally {
    state.run = null;
    held.setStatus(state, state.status);
  }
  if (lost) return resumeLostRun(ctx, state, target, lost);
  return { session: state.id, step: state.step, status: state.status };
}

async function endFailedRun({ held, bus }, state, error) {
  if (error.dropped === state.id) {
    // Interrupted mid-step: the worker dropped the session; bring it back
    // from its last checkpoint (later steps are recomputed).
    await held.flush(state, { status: SESSION_STATUS.PAUSED, run_to: null });
    state.status = SESSION_STATUS.PAUSED;
    state.loaded = false;
    await held.load(state.id).catch((failure) => bus.emit({ type: "error", session: state.id, error: failure.message }));
    return;
  }
  await held.flush(state, { status: SESSION_STATUS.ERROR, run_to: null });
  state.status = SESSION_STATUS.ERROR;
  bus.emit({ type: "error", session: state.id, error: error.message, diverged: error.diverged });
}

// The worker was lost mid-run: restore the session in the new worker from
// its last checkpoint (later steps are recomputed) and run to the same
// target, unless it was paused meanwhile. What was seen is stored first, so
// the restore finds the latest checkpoint.
async function resumeLostRun(ctx, state, target, lost) {
  const { held, bus } = ctx;
  const { id } = state;
  await held.flush(state);
  await bus.guard(id, () => loadAfterLoss(held, id));
  if (state.status !== SESSION_STATUS.RUNNING) {
    held.setStatus(state, state.status); // back at the checkpoint's step
    return { session: id, step: state.step, status: state.status };
  }
  bus.emit({ type: "restart", session: id,
             message: `${lost.message}; restarted it - session ${id} resumes from its checkpoint at step ${state.step}.` });
  return run(ctx, id, target);
}

// A restore cut short by another loss waits for the next worker (the
// engine client bounds how many there are).
async function loadAfterLoss(held, id) {
  try {
    return await held.load(id);
  } catch (error) {
    if (error.lost) return loadAfterLoss(held, id);
    throw error;
  }
}

async function pause(ctx, id) {
  const { engine, held } = ctx;
  const state = held.get(id);
  if (state && !state.run && state.status === SESSION_STATUS.RUNNING) return pauseLostRun(held, state);
  if (!state || !state.run) return { session: id, step: state ? state.step : null, was_running: false };
  const running = state.run;
  // The worker answers between steps, so do not wait for the reply: the run
  // stops after the step in progress; a step longer than the grace period
  // is interrupted (only possible when cross-origin isolated).
  // A worker lost before it took the pause (the watchdog replaced it) must
  // not have its run resumed: the pause holds as for a run already lost.
  const paused = engine.call("pause", { session: id }).catch((error) => {
    if (!error.lost) throw error;
    return pauseLostRun(held, state);
  });
  let grace;
  const late = new Promise((resolve) => {
    grace = setTimeout(resolve, PAUSE_GRACE_MS, "late");
  });
  if ((await Promise.race([running, late])) === "late") engine.interrupt();
  clearTimeout(grace);
  await Promise.all([paused, running]);
  return { session: id, step: state.step, was_running: true };
}

// A run whose worker was lost has no run to stop while it comes back: the
// status alone tells resumeLostRun not to go on.
async function pauseLostRun(held, state) {
  state.status = SESSION_STATUS.PAUSED;
  await held.flush(state, { run_to: null });
  held.setStatus(state, state.status);
  return { session: state.id, step: state.step, was_running: true };
}

function reset(ctx, id) {
  const { engine, store, held, bus } = ctx;
  return bus.guard(id, async () => {
    await pause(ctx, id);
    const state = await held.load(id);
    const summary = await engine.call("reset", { session: id });
    state.step = summary.step;
    state.status = SESSION_STATUS.IDLE;
    state.unsaved.length = 0;
    await held.persist(() => store.reset(id, { status: state.status, run_to: null }));
    held.setStatus(state, state.status);
    bus.emit({ type: "list" });
    return summary;
  });
}

function sample({ engine, store, tabs, held, bus }, id, numSamples, temperature) {
  return bus.guard(id, async () => {
    await held.load(id);
    const result = await engine.call("sample", { session: id, num_samples: numSamples, temperature });
    await held.persist(() => store.addSamples(id, result));
    bus.emit({ type: "sample", session: id, result, remote: false });
    tabs.broadcast({ type: BROADCAST.SAMPLE, session: id, result });
    return result;
  });
}

// Sessions that were running when their tab went away resume here, from
// their last checkpoint, towards the step their run was aiming at.
async function resumeInterrupted(ctx) {
  const { store, held, bus } = ctx;
  const resumed = [];
  for (const record of await store.listSessions()) {
    if (record.status !== SESSION_STATUS.RUNNING || held.get(record.id)?.run) continue;
    if (!(await held.own(held.stateOf(record)))) continue; // running in another tab
    resumed.push(record.id);
    run(ctx, record.id, record.run_to ?? record.num_steps).catch(() => {});
  }
  if (resumed.length) bus.emit({ type: "list" });
  return resumed;
}
