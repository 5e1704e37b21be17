// The status line and the training buttons: what the engine and the shown
// session allow now. window.lab.state reads its phase and status.
import { SESSION_STATUS } from "../../engine/protocol.js";

export function createControls({ statusEl, buttons }) {
  const state = { phase: "loading", status: null, current: null }; // phase: loading | ready | error

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
    buttons.step.disabled = !trainable || running;
    buttons.run.disabled = !trainable || running;
    buttons.pause.disabled = !trainable || !running;
    buttons.reset.disabled = !trainable;
    buttons.sample.disabled = !trainable;
    buttons.export.disabled = !current;
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
      Object.assign(state, { current: record.id, status: record.status });
      render();
    },
    status({ status }) {
      state.status = status;
      render();
    },
    // The page could not start at all.
    fail() {
      state.phase = "error";
      render();
    },
  };
}
