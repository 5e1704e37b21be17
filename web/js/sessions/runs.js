// Training a held session: one step, a run to a target step, pause, reset,
// sampling, and a run that goes on after its worker was lost or its tab
// closed. Each status change goes through the session's Lifecycle
// (lifecycle.js), which stores and announces it; each step event reaches
// the page (bus) and the other tabs, and is stored with the checkpoints
// that come with it (held.js). Step, a run's start and reset take turns
// (life.perform): one that comes while another is in flight waits for it.
//
// Every function takes the same context first: {pool, store, tabs, held, bus}.

import {
  BROADCAST, CHECKPOINT_EVERY, CONTROL, FULL_EVERY_MS, LEVEL, PAUSE_GRACE_MS, RUN_REASON, SESSION_STATUS as STATUS,
} from "../engine/protocol.js";
import { wantsToRun } from "./lifecycle.js";

// What a run that reaches its last step draws, as the original program does
// after training (20 names at the config's temperature).
export const END_OF_RUN_SAMPLES = 20;

export function createRuns(ctx) {
  return {
    step: (id) => step(ctx, id),
    run: (id, runTo) => run(ctx, id, runTo),
    pause: (id) => pause(ctx, id),
    reset: (id) => reset(ctx, id),
    sample: (id, numSamples, temperature) => sample(ctx, id, numSamples, temperature),
    resume: (state) => resume(ctx, state),
    resumeInterrupted: () => resumeInterrupted(ctx),
  };
}

// streamed: the event is one of a run's (the page paces its drawing while
// they come), not of a Step pressed (drawn at the next refresh).
function publish({ tabs, bus }, id, event, streamed = false) {
  bus.emit({ type: "event", session: id, event, remote: false, streamed });
  tabs.share({ type: BROADCAST.EVENT, session: id, event, streamed });
}

// Why the session cannot take a step or a run now, in words.
function refusal(state) {
  const { status, step } = state.life;
  if (wantsToRun(status)) return new Error("the session is running; pause it first");
  if (status === STATUS.ERROR) {
    return new Error(`training diverged after step ${step}: press Reset to train again from step 0`);
  }
  if (step >= state.num_steps) return new Error(`the session has reached num_steps (${state.num_steps})`);
  return new Error(`a ${status} session cannot train`);
}

function step(ctx, id) {
  const { pool, held, bus } = ctx;
  return bus.guard(id, async () => {
    const state = await held.load(id);
    return state.life.perform("step", async () => {
      const { life } = state;
      if (!life.can(STATUS.STEPPING) || life.step >= state.num_steps) throw refusal(state);
      await held.load(id); // a worker lost meanwhile
      await life.to(STATUS.STEPPING);
      let event;
      let checkpoint;
      try {
        event = await pool.call("step", { session: id, level: LEVEL.FULL });
        // Manual steps are human-paced: checkpoint each one so none is lost.
        checkpoint = await pool.call("checkpoint", { session: id });
      } catch (error) {
        await failed(ctx, state, error);
        throw error;
      }
      state.unsaved.push(event);
      const done = event.step >= state.num_steps;
      await life.to(done ? STATUS.DONE : STATUS.IDLE, { step: event.step }, checkpoint);
      publish(ctx, id, event);
      if (done) await endOfRun(ctx, state);
      return event;
    });
  });
}

// A step or a run that failed in the engine. A step whose worker was lost
// was not taken: the session comes back from its checkpoint. Anything else
// is the engine refusing to go on (training diverged: the weights were left
// as they were): the session stays at its last good step, with those
// weights stored, in status error; the record keeps the engine's words
// (error) and what it said of the step that blew up (diverged).
async function failed({ pool }, state, error) {
  const { life } = state;
  if (error.lost && life.status === STATUS.STEPPING) {
    await life.to(STATUS.IDLE);
    return;
  }
  const checkpoint = await pool.call("checkpoint", { session: state.id }).catch(() => null);
  await life.to(STATUS.ERROR, { run_to: null, error: error.message, diverged: error.diverged ?? null,
                                ...(checkpoint && { step: checkpoint.step }) }, checkpoint);
}

// Run to `runTo` (default: num_steps). Resolves when the run ends, with
// {session, step, status}. A run asked for while a step is in flight starts
// when the step has ended; one asked for while it runs is that run.
function run(ctx, id, runTo = null) {
  const { held, bus } = ctx;
  return bus.guard(id, async () => {
    const state = await held.load(id);
    if (state.run) return state.run;
    const started = await state.life.perform("run", () => start(ctx, state, runTo));
    return started ? started.running : { session: id, step: state.life.step, status: state.life.status };
  });
}

// A run's start: a worker of its own (waiting for one if none is free:
// status "waiting"), then the run request. {running: the run's promise},
// or null when a pause came first.
async function start(ctx, state, runTo, resuming = false) {
  const { pool, held } = ctx;
  const { life, id } = state;
  if (state.run) return { running: state.run };
  // Stored as running with no run here: taken over from a tab that is gone.
  if (wantsToRun(life.status)) resuming = true; // eslint-disable-line no-param-reassign
  const target = Math.min(runTo ?? state.run_to ?? state.num_steps, state.num_steps);
  if (!resuming && !life.can(STATUS.RUNNING)) throw refusal(state);
  if (target <= life.step) throw refusal(state);
  state.run_to = target;
  state.pauseAsked = false;
  let worker = pool.reserveRunner(id);
  while (!worker) {
    if (life.status !== STATUS.WAITING) await life.to(STATUS.WAITING, { run_to: target });
    await pool.freed();
    if (life.status !== STATUS.WAITING) return null; // paused while it waited
    worker = pool.reserveRunner(id);
  }
  try {
    await held.load(id);
    // Moving to another worker (a new one boots meanwhile): the run waits for it.
    if (pool.workerOf(id) !== worker && life.status !== STATUS.WAITING) await life.to(STATUS.WAITING, { run_to: target });
    await held.moveTo(state, worker);
    if (state.pauseAsked) {
      pool.endRun(id);
      if (wantsToRun(life.status)) await life.to(STATUS.PAUSED, { run_to: null });
      return null;
    }
    if (life.status !== STATUS.RUNNING) await life.to(STATUS.RUNNING, { run_to: target });
  } catch (error) {
    pool.endRun(id);
    if (life.status === STATUS.WAITING) await life.to(STATUS.PAUSED, { run_to: null });
    throw error;
  }
  state.run = streamRun(ctx, state, target);
  return { running: state.run };
}

// The worker's run request, with its events stored and published as they
// come; the session's status follows how the run ended.
async function streamRun(ctx, state, target) {
  const { pool, held } = ctx;
  const { life, id } = state;
  const onEvent = ({ event, checkpoint }) => {
    life.advance(event.step);
    state.unsaved.push(event);
    if (checkpoint) held.flush(state, {}, checkpoint);
    else held.scheduleFlush(state);
    publish(ctx, id, event, true);
  };
  let lost = null;
  try {
    const result = await pool.call("run", { session: id, steps: target - life.step, checkpoint_every: CHECKPOINT_EVERY,
                                            full_every_ms: FULL_EVERY_MS }, onEvent);
    life.advance(result.step);
    const status = result.step >= state.num_steps ? STATUS.DONE
      : result.reason === RUN_REASON.PAUSED ? STATUS.PAUSED : STATUS.IDLE;
    await life.to(status, { run_to: null }, result.checkpoint);
  } catch (error) {
    if (error.lost) lost = error; // the session stays "running" while it comes back
    else if (error.dropped === id) await droppedMidStep(ctx, state);
    else {
      await failed(ctx, state, error);
      ctx.bus.emit({ type: "error", session: id, error: error.message, diverged: error.diverged });
    }
  } finally {
    state.run = null;
    pool.endRun(id);
  }
  if (lost) return resumeLostRun(ctx, state, target, lost);
  if (life.status === STATUS.DONE) await endOfRun(ctx, state);
  ctx.afterRun(id);
  return { session: id, step: life.step, status: life.status };
}

// Interrupted mid-step (a pause of a long step): the worker dropped the
// session; it comes back from its last checkpoint, paused (later steps
// are recomputed).
async function droppedMidStep({ held, bus }, state) {
  await held.flush(state);
  await state.life.to(STATUS.PAUSED, { run_to: null });
  state.loaded = false;
  await held.load(state.id).catch((failure) => bus.emit({ type: "error", session: state.id, error: failure.message }));
}

// The last step reached: one batch of samples at the session's temperature,
// as the original program prints after training (the same names: the
// sampler's generator has been used by nothing else since the shuffle and
// the initial weights, unless the learner sampled during the run).
async function endOfRun(ctx, state) {
  await sample(ctx, state.id, END_OF_RUN_SAMPLES, state.config.temperature).catch(() => {});
}

// The worker was lost mid-run: restore the session in a new worker from
// its last checkpoint (later steps are recomputed) and run to the same
// target, unless it was paused meanwhile. What was seen is stored first, so
// the restore finds the latest checkpoint.
async function resumeLostRun(ctx, state, target, lost) {
  const { held, bus } = ctx;
  const { id, life } = state;
  await held.flush(state);
  await bus.guard(id, () => loadAfterLoss(held, id));
  if (life.status !== STATUS.RUNNING) {
    ctx.afterRun(id);
    return { session: id, step: life.step, status: life.status };
  }
  bus.emit({ type: "restart", session: id,
             message: `${lost.message}; restarted it - session ${id} resumes from its checkpoint at step ${life.step}.` });
  return resume(ctx, state, target);
}

// A run that was going when its worker, or its tab, went away: on from the
// session's checkpoint to `target`, in the status it had.
async function resume(ctx, state, target = state.run_to ?? state.num_steps) {
  const started = await state.life.perform("run", () => start(ctx, state, target, true));
  return started ? started.running : { session: state.id, step: state.life.step, status: state.life.status };
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

// Pause a session's run. Held here: a run waiting for a worker, or queued
// behind a step, never starts; one going stops after the step in progress
// (a step longer than the grace period is interrupted, when cross-origin
// isolated). Held by another tab: that tab is asked (only it writes the
// session's record), and its status comes back from it.
async function pause(ctx, id) {
  const { pool, held, tabs } = ctx;
  const state = held.get(id);
  if (!state) {
    if (tabs.remote(id)) tabs.askPause(id);
    return { session: id, step: tabs.remote(id)?.step ?? null, was_running: Boolean(tabs.remote(id)) };
  }
  const { life } = state;
  const queued = life.drop("run");
  if (life.busy === "run" && !state.run) state.pauseAsked = true; // a run starting: it stops before it runs
  if (life.status === STATUS.WAITING) {
    await life.to(STATUS.PAUSED, { run_to: null });
    pool.wake();
    return { session: id, step: life.step, was_running: true };
  }
  if (!state.run) {
    // A run whose worker was lost has none to stop while it comes back:
    // the status alone tells resumeLostRun not to go on.
    if (life.status === STATUS.RUNNING) await life.to(STATUS.PAUSED, { run_to: null });
    return { session: id, step: life.step, was_running: queued || life.status === STATUS.PAUSED };
  }
  const running = state.run;
  // The worker answers between steps, so do not wait for the reply: the run
  // stops after the step in progress; a step longer than the grace period
  // is interrupted (only possible when cross-origin isolated). A worker
  // lost before it took the pause (the watchdog replaced it) must not have
  // its run resumed: the pause holds as for a run already lost.
  const paused = pool.call("pause", { session: id }).catch(async (error) => {
    if (!error.lost) throw error;
    if (life.status === STATUS.RUNNING) await life.to(STATUS.PAUSED, { run_to: null });
  });
  let grace;
  const late = new Promise((resolve) => {
    grace = setTimeout(resolve, PAUSE_GRACE_MS, "late");
  });
  if ((await Promise.race([running, late])) === "late") pool.interrupt(id, CONTROL.PAUSE);
  clearTimeout(grace);
  await Promise.all([paused, running]);
  return { session: id, step: life.step, was_running: true };
}

// Back to step 0, after any step in flight and with any run paused first.
function reset(ctx, id) {
  const { pool, store, held, bus } = ctx;
  return bus.guard(id, async () => {
    const state = await held.load(id);
    await pause(ctx, id); // a run going stops; one queued behind a step never starts
    return state.life.perform("reset", async () => {
      await held.load(id); // its worker may have been lost meanwhile
      const summary = await pool.call("reset", { session: id });
      state.unsaved.length = 0;
      const cleared = { run_to: null, error: null, diverged: null };
      await held.persist(() => store.reset(id, { status: STATUS.IDLE, step: summary.step, ...cleared }));
      if (state.life.status === STATUS.IDLE) await state.life.moveStep(summary.step, cleared);
      else await state.life.to(STATUS.IDLE, { step: summary.step, ...cleared });
      bus.emit({ type: "list" });
      return summary;
    });
  });
}

function sample({ pool, store, tabs, held, bus }, id, numSamples, temperature) {
  return bus.guard(id, async () => {
    const result = await held.use(id, () => pool.call("sample", { session: id, num_samples: numSamples, temperature }));
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
    if (!wantsToRun(record.status) || held.get(record.id)?.run) continue;
    const state = await held.hold(record.id);
    if (!state) continue; // running in another tab
    resumed.push(record.id);
    resume(ctx, state).catch(() => {});
  }
  if (resumed.length) bus.emit({ type: "list" });
  return resumed;
}
