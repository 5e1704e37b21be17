// Probe contexts: pin a prefix (say "em") and watch the model's next-character
// distribution after BOS + that prefix change across training: one line per
// most likely character (the top few at the latest step) and one for the rest,
// against the step. The empty prefix asks how a name starts.
//
// Reads the live model through options.source.probe (see live.js) after full
// step events, at most a few times per second; each answer adds one point per
// line (an answer for a step already charted replaces it). Errors (characters
// outside the vocabulary, a prefix too long) are shown next to the input.
// For tests and the curious, the panel element carries data-context,
// data-points, data-steps and data-sums (comma-separated, one per point),
// data-top (the charted characters, space-separated) and data-error.
import { createCanvas, theme, tokenLabel } from "./canvas.js";
import { createFrame } from "../draw/frame.js";
import { createLiveFeed, liveView } from "./live.js";

const TOP_K = 5;
const LIMIT = 2000; // points kept; older ones are dropped
const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00"]; // Okabe-Ito
const LEFT = 36;
const BOTTOM = 18;

let nextId = 0;

export function create(el, options = {}) {
  const uid = `probe${nextId++}`;
  const source = options.source;
  const form = document.createElement("form");
  form.className = "panel-controls probe-form";
  const label = document.createElement("label");
  label.className = "panel-field";
  label.htmlFor = `${uid}-context`;
  label.textContent = "Context after BOS";
  const input = document.createElement("input");
  input.id = `${uid}-context`;
  input.type = "text";
  input.spellcheck = false;
  input.autocomplete = "off";
  input.placeholder = "e.g. em (empty: the first letter)";
  input.setAttribute("aria-describedby", `${uid}-error`);
  const pin = document.createElement("button");
  pin.type = "submit";
  pin.textContent = "Pin";
  const error = document.createElement("span");
  error.className = "probe-error";
  error.id = `${uid}-error`;
  error.setAttribute("aria-live", "polite");
  form.append(label, input, pin, error);
  const legend = document.createElement("ul");
  legend.className = "legend probe-legend";
  const plot = createCanvas(el, { label: "Probability of each next character across training", height: 200 });
  el.append(form, legend, plot.canvas);

  const state = { vocab: [], context: "", points: [], error: "", idle: "" };

  const feed = createLiveFeed(el, (session) => source.probe(session, state.context), {
    onSession(message) {
      state.vocab = message.record ? message.record.vocab : [];
      state.points = [];
      frame.request();
    },
    onResult(result) {
      state.error = "";
      state.idle = result ? "" : feed.idle;
      if (result) {
        const last = state.points[state.points.length - 1];
        const point = { step: result.step, probs: result.probs };
        if (last && last.step === point.step) state.points[state.points.length - 1] = point;
        else state.points.push(point);
        if (state.points.length > LIMIT) state.points.splice(0, state.points.length - LIMIT);
      }
      frame.request();
    },
    onError(failure) {
      state.error = failure.message;
      frame.request();
    },
  });

  // The charted series: the top characters at the latest point, then the rest.
  function series() {
    const last = state.points[state.points.length - 1];
    if (!last) return [];
    const top = last.probs.map((p, id) => [p, id]).sort((a, b) => b[0] - a[0]).slice(0, TOP_K).map(([, id]) => id);
    const lines = top.map((id, i) => ({
      name: `“${tokenLabel(id, state.vocab)}”`, colour: PALETTE[i], value: (probs) => probs[id],
    }));
    lines.push({ name: "rest", colour: null, value: (probs) => 1 - top.reduce((s, id) => s + probs[id], 0) });
    return lines;
  }

  function renderLegend(lines, colours) {
    const last = state.points[state.points.length - 1];
    legend.replaceChildren(...lines.map((line) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = line.colour || colours.muted;
      item.append(swatch, `${line.name} ${line.value(last.probs).toFixed(3)}`);
      return item;
    }));
  }

  function draw() {
    const { points } = state;
    const lines = series();
    const colours = theme();
    Object.assign(el.dataset, {
      context: state.context,
      points: String(points.length),
      steps: points.map((p) => p.step).join(","),
      sums: points.map((p) => p.probs.reduce((s, x) => s + x, 0)).join(","),
      top: lines.slice(0, -1).map((l) => l.name.slice(1, -1)).join(" "),
      error: state.error,
    });
    error.textContent = state.error;
    input.setAttribute("aria-invalid", state.error ? "true" : "false");
    if (lines.length) renderLegend(lines, colours);
    else legend.replaceChildren();

    if (!plot.fit()) return;
    const { ctx, size } = plot;
    const mono = colours.mono || "monospace";
    ctx.textBaseline = "middle";
    ctx.font = `10px ${mono}`;
    if (!points.length) {
      ctx.fillStyle = colours.muted;
      ctx.textAlign = "center";
      ctx.font = `12px ${mono}`;
      const after = state.context ? `“${state.context}”` : "BOS";
      ctx.fillText(state.idle || `The chart grows as the model trains (next character after ${after}).`,
                   size.width / 2, size.height / 2);
      return;
    }
    const s0 = points[0].step;
    const s1 = Math.max(s0 + 1, points[points.length - 1].step);
    const w = size.width - LEFT - 8;
    const h = size.height - BOTTOM - 8;
    const x = (step) => LEFT + ((step - s0) / (s1 - s0)) * w;
    const y = (p) => 8 + (1 - p) * h;
    ctx.strokeStyle = colours.line;
    ctx.fillStyle = colours.muted;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    for (const p of [0, 0.5, 1]) {
      ctx.beginPath();
      ctx.moveTo(LEFT, Math.round(y(p)) + 0.5);
      ctx.lineTo(LEFT + w, Math.round(y(p)) + 0.5);
      ctx.stroke();
      ctx.fillText(p.toFixed(1), LEFT - 4, y(p));
    }
    ctx.textAlign = "left";
    ctx.fillText(`step ${s0}`, LEFT, size.height - 6);
    ctx.textAlign = "right";
    ctx.fillText(`step ${points[points.length - 1].step}`, LEFT + w, size.height - 6);
    // Decimate to about one point per pixel column.
    const every = Math.max(1, Math.floor(points.length / w));
    for (const line of lines) {
      ctx.strokeStyle = line.colour || colours.muted;
      ctx.lineWidth = line.colour ? 2 : 1.5;
      ctx.setLineDash(line.colour ? [] : [4, 3]);
      ctx.beginPath();
      for (let i = 0; i < points.length; i += 1) {
        if (i % every && i !== points.length - 1) continue;
        const px = x(points[i].step);
        const py = y(line.value(points[i].probs));
        if (i) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
      }
      if (points.length === 1) ctx.arc(x(points[0].step), y(line.value(points[0].probs)), 2, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  const frame = createFrame(draw);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.context = input.value;
    state.points = [];
    state.error = "";
    feed.restart();
    frame.request();
  });

  return liveView(el, feed, frame);
}
