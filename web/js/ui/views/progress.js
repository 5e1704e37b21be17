// Progress of the current session: a progressbar (steps done / run total),
// the latest loss and the training speed.
import { createFrame } from "../../draw/frame.js";

export function create(el) {
  const bar = document.createElement("div");
  bar.className = "progress";
  bar.id = "progress";
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-label", "Training progress");
  bar.setAttribute("aria-valuemin", "0");
  const fill = document.createElement("div");
  fill.className = "progress-fill";
  bar.append(fill);

  const stats = document.createElement("dl");
  stats.className = "stats";
  const field = (label, id) => {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.id = id;
    dd.textContent = "-";
    stats.append(dt, dd);
    return dd;
  };
  const stepEl = field("Step", "step-count");
  const lossEl = field("Loss", "latest-loss");
  const speedEl = field("Steps/s", "steps-per-second");
  el.append(bar, stats);

  const data = { step: 0, total: 0, loss: null, speed: null };
  let recent = []; // [time, step] of the last events, for steps/s

  const frame = createFrame(() => {
    bar.setAttribute("aria-valuenow", String(data.step));
    bar.setAttribute("aria-valuemax", String(data.total));
    bar.setAttribute("aria-valuetext", `${data.step} of ${data.total} steps`);
    fill.style.width = data.total ? `${(100 * data.step) / data.total}%` : "0%";
    stepEl.textContent = `${data.step} / ${data.total}`;
    lossEl.textContent = data.loss === null ? "-" : data.loss.toFixed(4);
    lossEl.dataset.value = data.loss === null ? "" : String(data.loss);
    speedEl.textContent = data.speed === null ? "-" : data.speed.toFixed(1);
  });

  function recordSpeed(step) {
    const now = performance.now();
    recent.push([now, step]);
    recent = recent.filter(([t]) => now - t < 2000);
    if (recent.length > 1) {
      const [t0, s0] = recent[0];
      data.speed = ((step - s0) * 1000) / Math.max(1, now - t0);
    }
  }

  return {
    select({ record, steps }) {
      const last = steps[steps.length - 1];
      Object.assign(data, { step: record.step, total: record.num_steps, loss: last ? last.loss : null, speed: null });
      recent = [];
      frame.request();
    },
    latest(event) {
      Object.assign(data, { step: event.step, total: event.num_steps, loss: event.loss });
      recordSpeed(event.step);
      frame.request();
    },
    status({ step, num_steps }) {
      Object.assign(data, { step, total: num_steps });
      frame.request();
    },
    destroy() {
      frame.cancel();
      el.replaceChildren();
    },
  };
}
