// The status line and the training buttons: what the engine and the shown
// session allow now (the lifecycle's table: sessions/lifecycle.js), and in
// words why Step and Run are off when the session cannot train on (the
// note; a disabled button's shortcut says it too, actions.js).
// window.lab.state reads its phase and status.
import { SESSION_STATUS as STATUS } from "../../engine/protocol.js";
import { allows } from "../../sessions/lifecycle.js";

// What the status line says of a session's status, when it is not "ready".
const SAID = {
  [STATUS.STEPPING]: "stepping",
  [STATUS.WAITING]: "waiting for a free worker",
  [STATUS.RUNNING]: "running",
  [STATUS.PAUSED]: "paused",
};

// Why the shown session cannot take a step or a run, or "".
function whyNot({ status, step, num_steps: numSteps }) {
  if (status === STATUS.ERROR) {
    return `Training diverged after step ${step}: the next step's numbers overflowed or stopped being numbers, ` +
      `so the session stays at step ${step} with its weights from then. Press Reset to train again from step 0, ` +
      "or start a new session with a smaller learning_rate.";
  }
  if (status === STATUS.WAITING) {
    return "Waiting for a free worker: every engine worker trains another session, and this run starts when one " +
      "of them ends (Pause cancels it).";
  }
  if (numSteps > 0 && step >= numSteps && status !== STATUS.IMPORTED) {
    return `Finished: all ${numSteps} steps are taken. Press Reset to train it again from step 0, ` +
      "or start a new session with more steps.";
  }
  return "";
}

export function createControls({ statusEl, buttons, noteEl }) {
  // phase: loading | ready | error
  const state = { phase: "loading", status: null, current: null, step: 0, num_steps: 0, queued: [] };

  function render() {
    const { phase, status, current } = state;
    const shown = phase === "ready" ? SAID[status] ?? "ready" : phase;
    statusEl.textContent = shown;
    statusEl.dataset.state = shown;
    // An imported trace is read-only: it has no model to train or sample.
    const ready = Boolean(current) && phase === "ready";
    const may = allows(status);
    buttons.new.disabled = phase !== "ready";
    const why = current ? whyNot(state) : "";
    noteEl.textContent = why;
    // A Step or Run pressed during a step waits for its turn; a Run queued
    // behind a step can be paused.
    const stepping = status === STATUS.STEPPING;
    buttons.step.disabled = !ready || !(may.step || stepping) || state.step >= state.num_steps;
    buttons.run.disabled = !ready || !(may.run || stepping) || state.step >= state.num_steps;
    buttons.step.dataset.why = why;
    buttons.run.dataset.why = why;
    buttons.pause.disabled = !ready || !(may.pause || state.queued.includes("run"));
    buttons.reset.disabled = !ready || !may.reset;
    const trainable = ready && status !== STATUS.IMPORTED;
    buttons.sample.disabled = !trainable;
    buttons.export.disabled = !current;
    buttons.weights.disabled = !trainable;
    buttons.import.disabled = phase !== "ready";
    buttons.sweep.disabled = phase !== "ready";
  }

  render();
  return {
    state,
    engine(message) {
      if (message.type === "boot") statusEl.dataset.stage = message.stage; // the last boot stage done
      if (message.type === "ready") state.phase = "ready";
      if (message.type === "fatal") state.phase = "error";
      render();
    },
    select({ record }) {
      Object.assign(state, { current: record.id, status: record.status, step: record.step, num_steps: record.num_steps,
                             queued: [] });
      render();
    },
    status({ status, step, num_steps, queued = [] }) {
      Object.assign(state, { status, step, num_steps, queued });
      render();
    },
    // The page could not start at all.
    fail() {
      state.phase = "error";
      render();
    },
  };
}
