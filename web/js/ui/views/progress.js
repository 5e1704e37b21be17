// Progress of the current session: a progressbar (steps done / run total),
// the latest loss, the steps left and, while it runs (only then), the
// training speed and an estimate of the time left from it.
import { element } from "../../draw/dom.js";
import { createFrame } from "../../draw/frame.js";
import { SESSION_STATUS } from "../../engine/protocol.js";

const SPEED_WINDOW_MS = 2000;

// "about 40 s", "about 3 min", "about 1 h 5 min".
export function aboutTime(seconds) {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function createStats() {
  const stats = element("dl", { className: "stats" });
  const field = (label, id, title) => {
    const dd = element("dd", { id, textContent: "-" });
    stats.append(element("div", {}, element("dt", { textContent: label, title }), dd));
    return dd;
  };
  return {
    stats,
    stepEl: field("Step", "step-count", "steps taken / steps in the run"),
    lossEl: field("Loss", "latest-loss", "the latest step's mean loss per position (nats)"),
    leftEl: field("Left", "steps-left", "steps still to take, and the time they need at the current speed"),
    speedEl: field("Speed", "steps-per-second", "training steps per second, while it runs"),
  };
}

export function create(el) {
  const fill = element("div", { className: "progress-fill" });
  const bar = element("div", { className: "progress", id: "progress", role: "progressbar", "aria-label": "Training progress",
                               "aria-valuemin": "0" }, fill);
  const { stats, stepEl, lossEl, leftEl, speedEl } = createStats();
  el.append(bar, stats);

  const data = { step: 0, total: 0, loss: null, speed: null, running: false };
  let recent = []; // [time, step] of the last events, for steps/s

  const frame = createFrame(() => {
    bar.setAttribute("aria-valuenow", String(data.step));
    bar.setAttribute("aria-valuemax", String(data.total));
    bar.setAttribute("aria-valuetext", `${data.step} of ${data.total} steps`);
    fill.style.width = data.total ? `${(100 * data.step) / data.total}%` : "0%";
    stepEl.textContent = `${data.step} / ${data.total}`;
    lossEl.textContent = data.loss === null ? "-" : data.loss.toFixed(4);
    lossEl.dataset.value = data.loss === null ? "" : String(data.loss);
    const left = Math.max(0, data.total - data.step);
    const speed = data.running ? data.speed : null;
    leftEl.textContent = `${left.toLocaleString("en")} step${left === 1 ? "" : "s"}` +
      (speed && left ? ` · ${aboutTime(left / speed)}` : "");
    speedEl.textContent = speed === null ? "-" : `${speed.toFixed(1)} steps/s`;
  });

  function recordSpeed(step) {
    const now = performance.now();
    recent.push([now, step]);
    recent = recent.filter(([t]) => now - t < SPEED_WINDOW_MS);
    if (recent.length > 1) {
      const [t0, s0] = recent[0];
      data.speed = ((step - s0) * 1000) / Math.max(1, now - t0);
    }
  }

  return {
    select({ record, steps }) {
      const last = steps[steps.length - 1];
      Object.assign(data, { step: record.step, total: record.num_steps, loss: last ? last.loss : null, speed: null,
                            running: record.status === SESSION_STATUS.RUNNING });
      recent = [];
      frame.request();
    },
    latest(event) {
      Object.assign(data, { step: event.step, total: event.num_steps, loss: event.loss });
      recordSpeed(event.step);
      frame.request();
    },
    status({ status, step, num_steps }) {
      const running = status === SESSION_STATUS.RUNNING;
      if (running !== data.running) {
        recent = [];
        data.speed = null;
      }
      Object.assign(data, { step, total: num_steps, running });
      frame.request();
    },
    destroy() {
      frame.cancel();
      el.replaceChildren();
    },
  };
}
