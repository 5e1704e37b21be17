// Embedding map: the token embeddings wte projected on their first two
// principal components (computed in the engine), one labelled point per
// token, vowels and consonants in different colours. As training runs the
// points glide from their previous place to the new one, so a learner sees
// the groups form.
//
// Reads the model (read(model): model.ask("embedding_map", {})). For tests
// and the curious, the panel element carries data-step, data-points (how
// many points), data-labels (the labels, space-separated),
// data-explained ("r1,r2") and data-selected (the label the keys chose).
//
// With the keyboard: focus the map, the arrow keys go from token to token
// (in vocabulary order); the readout says where the chosen one is and which
// tokens lie nearest it on the map.
import { createCanvas, drawMessage } from "../draw/canvas.js";
import { theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { createLegend } from "../draw/legend.js";
import { createReads } from "../draw/reads.js";
import { charLabel } from "../draw/tokens.js";

const VOWELS = new Set("aeiouAEIOU");
const GLIDE_MS = 300;
const PAD = 28;
const MAX_LABELS = 300; // tokens labelled on the map; past it, dots
const kinds = new WeakMap(); // an answer's labels' kinds, found once

const kind = (label) => (VOWELS.has(label) ? "vowel" : /^\p{L}$/u.test(label) ? "consonant" : "other");

function bounds(points) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1] ?? 0);
  const span = (lo, hi) => (hi - lo < 1e-9 ? [lo - 1, hi + 1] : [lo, hi]);
  return [...span(Math.min(...xs), Math.max(...xs)), ...span(Math.min(...ys), Math.max(...ys))];
}

// The positions and bounds at this moment of the glide from `from` to `to`.
function current({ from, to, start }) {
  const t = Math.min(1, (performance.now() - start) / GLIDE_MS);
  const e = t * (2 - t); // ease out
  const mix = (a, b) => a + (b - a) * e;
  return {
    points: to.points.map((p, i) => [mix(from.points[i][0], p[0]), mix(from.points[i][1], p[1])]),
    bounds: to.bounds.map((b, i) => mix(from.bounds[i], b)),
    done: t >= 1,
  };
}

// A new map: it glides from where the points are now.
function showMap(state, data) {
  if (data) {
    const target = { points: data.points.map((p) => [p[0], p[1] ?? 0]), bounds: bounds(data.points) };
    state.from = state.to && state.to.points.length === target.points.length ? current(state) : target;
    state.to = target;
    state.start = performance.now();
  }
  state.data = data;
}

// Axes through 0 when 0 is in view, else along the edges, with their titles.
function drawAxes({ ctx, size }, [x0, x1, y0, y1], px, py, explained, colours) {
  ctx.strokeStyle = colours.line;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const ax = x0 <= 0 && x1 >= 0 ? px(0) : PAD;
  const ay = y0 <= 0 && y1 >= 0 ? py(0) : size.height - PAD;
  ctx.moveTo(PAD, ay);
  ctx.lineTo(size.width - PAD, ay);
  ctx.moveTo(ax, PAD);
  ctx.lineTo(ax, size.height - PAD);
  ctx.stroke();
  ctx.fillStyle = colours.muted;
  ctx.font = `10px ${colours.mono}`;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ctx.fillText(`PC1 (${(100 * explained[0]).toFixed(1)}% of variance)`, size.width - PAD, size.height - 10);
  ctx.save();
  ctx.translate(10, PAD);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(`PC2 (${(100 * (explained[1] ?? 0)).toFixed(1)}%)`, 0, 0);
  ctx.restore();
}

// Draws the map; returns true while the glide goes on.
function draw({ el, plot, note, state }) {
  const { data } = state;
  el.dataset.step = data ? String(data.step) : "";
  el.dataset.points = data ? String(data.points.length) : "";
  el.dataset.labels = data ? data.labels.join(" ") : "";
  el.dataset.explained = data ? data.explained.join(",") : "";
  note.textContent = data
    ? `Step ${data.step}: ${data.points.length} tokens. Tokens the model treats alike end up close together.`
      + (data.points.length > MAX_LABELS ? " So many tokens are drawn as dots: the arrow keys name each one." : "")
    : "";
  if (!plot.fit()) return false;
  const colours = theme();
  if (!data) {
    drawMessage(plot, state.error || "Loading…", colours);
    return false;
  }
  const { ctx, size } = plot;
  const now = current(state);
  const [x0, x1, y0, y1] = now.bounds;
  const px = (x) => PAD + ((x - x0) / (x1 - x0)) * (size.width - 2 * PAD);
  const py = (y) => PAD + (1 - (y - y0) / (y1 - y0)) * (size.height - 2 * PAD);
  drawAxes(plot, now.bounds, px, py, data.explained, colours);
  const fills = { vowel: colours.accent, consonant: colours.good, other: colours.muted };
  const chosen = state.selected !== null && now.points[state.selected];
  if (chosen) {
    ctx.strokeStyle = colours.ink;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px(chosen[0]), py(chosen[1]), 8, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.font = `bold 12px ${colours.mono}`;
  ctx.textAlign = "center";
  // A large vocabulary is a cloud of dots (a summary: labels only up to MAX_LABELS tokens, and the chosen one).
  const labelled = now.points.length <= MAX_LABELS;
  if (labelled) {
    now.points.forEach(([x, y], i) => {
      const label = data.labels[i];
      ctx.fillStyle = fills[kind(label)];
      ctx.beginPath();
      ctx.arc(px(x), py(y), 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillText(charLabel(label), px(x), py(y) - 9);
    });
  } else {
    kinds.has(data) || kinds.set(data, data.labels.map(kind));
    for (const [name, fill] of Object.entries(fills)) { // one path of squares per kind
      ctx.fillStyle = fill;
      ctx.beginPath();
      now.points.forEach(([x, y], i) => kinds.get(data)[i] === name && ctx.rect(px(x) - 1.5, py(y) - 1.5, 3, 3));
      ctx.fill();
    }
  }
  if (!labelled && chosen) {
    ctx.fillStyle = colours.ink;
    ctx.fillText(charLabel(data.labels[state.selected]), px(chosen[0]), py(chosen[1]) - 11);
  }
  return !now.done;
}

const NEAREST = 3;

// Where token `i` is on the map, and its nearest tokens there.
function describe(data, i) {
  const [x, y] = data.points[i];
  const distance = (p) => Math.hypot(p[0] - x, (p[1] ?? 0) - (y ?? 0));
  const nearest = data.points.map((p, j) => [j, distance(p)]).filter(([j]) => j !== i)
    .sort((a, b) => a[1] - b[1]).slice(0, NEAREST).map(([j]) => `“${charLabel(data.labels[j])}”`);
  const label = data.labels[i];
  return `Token “${charLabel(label)}” (${kind(label)}, ${i + 1} of ${data.points.length}) at PC1 ${x.toFixed(2)}, ` +
    `PC2 ${(y ?? 0).toFixed(2)}; nearest on the map: ${nearest.join(", ")}.`;
}

const KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

function listen(plot, readout, state, redraw) {
  const { canvas } = plot;
  canvas.tabIndex = 0;
  canvas.setAttribute("aria-describedby", readout.id);
  canvas.addEventListener("keydown", (event) => {
    const { data } = state;
    const n = data ? data.points.length : 0;
    if (!n || !(event.key in KEYS || event.key === "Home" || event.key === "End")) return;
    event.preventDefault();
    const from = state.selected ?? -1;
    if (event.key === "Home") state.selected = 0;
    else if (event.key === "End") state.selected = n - 1;
    else state.selected = (from + KEYS[event.key] + n) % n;
    redraw();
  });
  canvas.addEventListener("blur", () => {
    state.selected = null;
    redraw();
  });
}

let nextId = 0;

export function create(el) {
  const legend = createLegend([["vowel", "vowels"], ["consonant", "consonants"], ["other", "other (BOS, digits, signs)"]]);
  const plot = createCanvas(el, { label: "Token embeddings on their first two principal components", height: 280 });
  const note = element("p", { className: "panel-readout" });
  const readout = element("p", { className: "panel-readout", id: `emb${nextId++}-readout`, "aria-live": "polite" });
  el.append(legend, plot.canvas, note, readout);
  // from/to: {points, bounds}; the drawing interpolates between them.
  // selected: the index of the token chosen with the keys, or null.
  const state = { data: null, from: null, to: null, start: 0, error: "", selected: null };
  const reads = createReads();
  const frame = createFrame(() => {
    const { data, selected } = state;
    const valid = data && selected !== null && selected < data.points.length;
    el.dataset.selected = valid ? data.labels[selected] : "";
    const text = valid ? describe(data, selected) : "Focus the map and use the arrow keys to go from token to token.";
    if (readout.textContent !== text) readout.textContent = text;
    if (draw({ el, plot, note, state })) frame.request();
  });
  listen(plot, readout, state, () => frame.request());

  return {
    reset() {
      reads.forget();
      Object.assign(state, { data: null, to: null, error: "" });
      frame.request();
    },
    async read(model) {
      const outcome = await reads.ask(model, "embedding_map", {});
      if (!outcome) return;
      state.error = outcome.error || outcome.missing;
      if (!outcome.error) showMap(state, outcome.answer);
      frame.request();
    },
    ...frameLifecycle(el, frame),
  };
}
