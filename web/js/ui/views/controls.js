// The status line and the training buttons: what the engine and the shown
// session allow now, and in words why Step and Run are off when the session
// has taken all its steps (the note; a disabled button's shortcut says it
// too, actions.js). window.lab.state reads its phase and status.
import { SESSION_STATUS } from "../../engine/protocol.js";

export function createControls({ statusEl, buttons, noteEl }) {
  // phase: loading | ready | error
  const state = { phase: "loading", status: null, current: null, step: 0, num_steps: 0 };

  function render() {
    const { phase, status, current } = state;
    let shown = phase;
    if (phase === "ready" && status === SESSION_STATUS.RUNNING) shown = "running";
    else if (phase === "ready" && status === SESSION_STATUS.PAUSED) shown = "paused";
    statusEl.textContent = shown;
    statusEl.dataset.state = shown;
    // An imported trace is read-only: it has no model to train or sample.
    const trainable = Boolean(current) && phase === "ready" && status !== SESSION_STATUS.IMPORTED;
    const running = status === SESSION_STATUS.RUNNING;
    buttons.new.disabled = phase !== "ready";
    const finished = trainable && !running && state.num_steps > 0 && state.step >= state.num_steps;
    const why = finished
      ? `Finished: all ${state.num_steps} steps are taken. Press Reset to train it again from step 0, ` +
        "or start a new session with more steps."
      : "";
    noteEl.textContent = why;
    for (const name of ["step", "run"]) {
      buttons[name].disabled = !trainable || running || finished;
      buttons[name].dataset.why = why;
    }
    buttons.pause.disabled = !trainable || !running;
    buttons.reset.disabled = !trainable;
    buttons.sample.disabled = !trainable;
    buttons.export.disabled = !current;
    buttons.weights.disabled = !trainable;
    buttons.import.disabled = phase !== "ready";
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
      Object.assign(state, { current: record.id, status: record.status, step: record.step, num_steps: record.num_steps });
      render();
    },
    status({ status, step, num_steps }) {
      Object.assign(state, { status, step, num_steps });
      render();
    },
    // The page could not start at all.
    fail() {
      state.phase = "error";
      render();
    },
  };
}
