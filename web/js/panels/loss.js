// Loss timeline: every step's loss, its smoothed curve, the range of the
// latest steps and the uniform-guess reference ln(vocab_size), the loss of a
// model that has learned nothing. The full series is kept (typed arrays that
// grow); drawing decimates it to one min/max bar per pixel column, so a
// 10,000-step run costs the same to draw as a 500-step one.
import { createCanvas, createLegend, theme } from "./canvas.js";
import { EMA_BETA, createSeries, drawAxes } from "./plot.js";
import { createFrame } from "../draw/frame.js";

const WINDOW = 100; // steps in the rolling min/max
const MIN_X_SPAN = 10; // the x axis shows at least steps 1..10
const MAX_PENDING = 5000; // events held while a session switch is under way
const PAD = { left: 46, right: 58, top: 12, bottom: 30 };

export function create(el) {
  const legend = createLegend([
    ["raw", "loss per step"],
    ["ema", `smoothed (EMA ${EMA_BETA})`],
    ["window", `min-max of the last ${WINDOW} steps`],
    ["ref", "uniform guess ln(vocab size)"],
  ]);

  const readout = document.createElement("dl");
  readout.className = "readout";
  const field = (label) => {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = "-";
    const pair = document.createElement("div");
    pair.append(dt, dd);
    readout.append(pair);
    return dd;
  };
  const latestEl = field("latest");
  const smoothEl = field("smoothed");
  const rangeEl = field(`last ${WINDOW} steps`);
  const refEl = field("uniform guess");

  const surface = createCanvas(el, { label: "Loss per training step", height: 240 });
  el.append(legend, readout);
  el.dataset.points = "0";

  const series = createSeries();
  const state = { session: null, vocabSize: 0, pending: [], pendingFor: null };
  let columns = { min: new Float64Array(0), max: new Float64Array(0), ema: new Float64Array(0) };

  // A step event of the shown session: append it; a repeated or earlier step
  // means the session was rewound (reset in another tab), so drop what follows.
  function add(event) {
    if (event.step <= series.lastStep()) series.rewind(event.step);
    series.push(event.step, event.loss);
  }

  // The loss of the last WINDOW points: {min, max, from} (from = first step).
  function windowStats() {
    const n = series.count;
    const loss = series.loss();
    let min = Infinity;
    let max = -Infinity;
    for (let i = Math.max(0, n - WINDOW); i < n; i += 1) {
      if (loss[i] < min) min = loss[i];
      if (loss[i] > max) max = loss[i];
    }
    return { min, max, from: series.steps()[Math.max(0, n - WINDOW)] };
  }

  function draw() {
    const n = series.count;
    const last = n ? series.loss()[n - 1] : null;
    el.dataset.points = String(n);
    el.dataset.lastStep = String(series.lastStep());
    el.dataset.latestLoss = last === null ? "" : String(last);
    const ref = state.vocabSize > 1 ? Math.log(state.vocabSize) : null;
    const stats = n ? windowStats() : null;
    latestEl.textContent = last === null ? "-" : `${last.toFixed(4)} (step ${series.lastStep()})`;
    smoothEl.textContent = n ? series.ema()[n - 1].toFixed(4) : "-";
    rangeEl.textContent = stats ? `${stats.min.toFixed(3)} - ${stats.max.toFixed(3)}` : "-";
    refEl.textContent = ref === null ? "-" : `ln(${state.vocabSize}) = ${ref.toFixed(3)}`;

    if (!surface.fit()) return;
    const { ctx, size } = surface;
    const colors = theme();
    const plot = { x: PAD.left, y: PAD.top, w: Math.max(10, size.width - PAD.left - PAD.right),
                   h: Math.max(10, size.height - PAD.top - PAD.bottom) };

    // Domains: steps from 1 to the last one; loss over the data and the reference.
    const x0 = 1;
    const x1 = Math.max(x0 + MIN_X_SPAN - 1, series.lastStep());
    let lo = Infinity;
    let hi = -Infinity;
    const loss = series.loss();
    for (let i = 0; i < n; i += 1) {
      if (loss[i] < lo) lo = loss[i];
      if (loss[i] > hi) hi = loss[i];
    }
    if (ref !== null) {
      lo = Math.min(lo, ref);
      hi = Math.max(hi, ref);
    }
    if (!Number.isFinite(lo)) [lo, hi] = [0, 4];
    const margin = Math.max(0.05, (hi - lo) * 0.06);
    lo = Math.max(0, lo - margin);
    hi += margin;
    const sx = (step) => plot.x + ((step - x0) / (x1 - x0)) * plot.w;
    const sy = (value) => plot.y + (1 - (value - lo) / (hi - lo)) * plot.h;

    drawAxes(ctx, plot, { x0, x1, lo, hi, sx, sy }, colors, "loss (nats)");

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();

    // Rolling window: a band over its steps, from its min to its max loss.
    if (stats) {
      ctx.fillStyle = colors.good;
      ctx.globalAlpha = 0.13;
      const left = sx(stats.from);
      ctx.fillRect(left, sy(stats.max), Math.max(2, sx(series.lastStep()) - left), sy(stats.min) - sy(stats.max));
      ctx.globalAlpha = 1;
    }

    // Uniform-guess reference line.
    if (ref !== null) {
      ctx.strokeStyle = colors.warn;
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(plot.x, sy(ref));
      ctx.lineTo(plot.x + plot.w, sy(ref));
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = colors.warn;
      ctx.textAlign = "left";
      ctx.textBaseline = "bottom";
      ctx.fillText(`uniform guess ln(${state.vocabSize}) = ${ref.toFixed(2)}`, plot.x + 6, sy(ref) - 2);
    }

    if (n) {
      const steps = series.steps();
      const ema = series.ema();
      const width = Math.ceil(plot.w);
      if (n <= width / 2) {
        // Few points: every loss as a thin line, the smoothed one on top.
        ctx.strokeStyle = colors.muted;
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (let i = 0; i < n; i += 1) ctx.lineTo(sx(steps[i]), sy(loss[i]));
        ctx.stroke();
        ctx.strokeStyle = colors.accent;
        ctx.lineWidth = 2;
        ctx.beginPath();
        for (let i = 0; i < n; i += 1) ctx.lineTo(sx(steps[i]), sy(ema[i]));
        ctx.stroke();
      } else {
        // Many points: per pixel column the min-max envelope and the last smoothed value.
        if (columns.min.length !== width) {
          columns = { min: new Float64Array(width), max: new Float64Array(width), ema: new Float64Array(width) };
        }
        columns.min.fill(Infinity);
        columns.max.fill(-Infinity);
        const scale = (width - 1) / (x1 - x0);
        for (let i = 0; i < n; i += 1) {
          const c = Math.round((steps[i] - x0) * scale);
          if (loss[i] < columns.min[c]) columns.min[c] = loss[i];
          if (loss[i] > columns.max[c]) columns.max[c] = loss[i];
          columns.ema[c] = ema[i];
        }
        ctx.fillStyle = colors.muted;
        ctx.globalAlpha = 0.55;
        for (let c = 0; c < width; c += 1) {
          if (columns.min[c] === Infinity) continue;
          const top = sy(columns.max[c]);
          ctx.fillRect(plot.x + c, top, 1, Math.max(1, sy(columns.min[c]) - top));
        }
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colors.accent;
        ctx.lineWidth = 2;
        ctx.beginPath();
        for (let c = 0; c < width; c += 1) {
          if (columns.min[c] !== Infinity) ctx.lineTo(plot.x + c + 0.5, sy(columns.ema[c]));
        }
        ctx.stroke();
      }
      // Latest point.
      ctx.fillStyle = colors.ink;
      ctx.beginPath();
      ctx.arc(sx(series.lastStep()), sy(last), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();

    // Right-hand labels: latest, window max and min, nudged apart so they never overlap.
    if (stats) {
      const labels = [
        { y: sy(stats.max), text: `max ${stats.max.toFixed(2)}`, color: colors.good },
        { y: sy(last), text: `${last.toFixed(3)}`, color: colors.ink },
        { y: sy(stats.min), text: `min ${stats.min.toFixed(2)}`, color: colors.good },
      ].sort((a, b) => a.y - b.y);
      for (let i = 1; i < labels.length; i += 1) labels[i].y = Math.max(labels[i].y, labels[i - 1].y + 12);
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      for (const label of labels) {
        ctx.fillStyle = label.color;
        ctx.fillText(label.text, plot.x + plot.w + 5, label.y);
      }
    }
  }

  const frame = createFrame(draw);
  frame.request();

  return {
    update(message) {
      if (message.type === "session") {
        state.session = message.session;
        state.vocabSize = message.record?.vocab ? message.record.vocab.length + 1 : 0;
        series.clear();
        for (const event of message.steps || []) add(event);
        // Events that arrived while the stored steps were being read.
        if (state.pendingFor === message.session) {
          for (const event of state.pending) if (event.step > series.lastStep()) series.push(event.step, event.loss);
        }
        state.pending = [];
        state.pendingFor = null;
        frame.request();
      } else if (message.type === "event" && message.session === message.current) {
        if (message.session === state.session) {
          add(message.event);
          frame.request();
        } else {
          // The page switched sessions and its session message is on its way.
          if (state.pendingFor !== message.session) state.pending = [];
          state.pendingFor = message.session;
          state.pending.push(message.event);
          if (state.pending.length > MAX_PENDING) state.pending.splice(0, state.pending.length - MAX_PENDING);
        }
      }
    },
    resize() {
      frame.request();
    },
    destroy() {
      frame.cancel();
      el.replaceChildren();
    },
  };
}
