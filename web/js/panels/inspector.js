// Parameter and gradient inspector: one matrix of state_dict as a heatmap of
// its weights, the last step's gradients (the real ones the engine computed)
// or the optimizer's last update, on a diverging scale centred on 0. Clicking
// a cell (or the arrow keys) shows that parameter's value, gradient, Adam m
// and v (with Adam), and its history over the whole run: the model at step 0
// and at each kept checkpoint (stored.history; values, m and v: a restored
// model has no last gradient), with every read seen while the session is
// shown, up to the step shown while time travelling. The matrices (only those
// the session's model has), their order, shapes and what their rows are come
// from the engine's description of the model (draw/model.js).
//
// Reads the model (read(model): model.ask("matrix", {name})); a new matrix
// asks for a read at once. For tests and the curious, the panel element
// carries what is shown: data-matrix, data-view, data-step, data-shape
// ("rows,cols"), data-grads ("none" before the first step, else "present"),
// data-max-abs (of the shown view), data-cell ("row,col"), data-value,
// data-grad, data-m, data-v, data-update and data-history (how many steps
// are recorded).
import { createCanvas, drawMessage } from "../draw/canvas.js";
import { createChart, paddedRange } from "../draw/chart.js";
import { diverging, divergingRgb, theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { createReads } from "../draw/reads.js";
import { modelOf } from "../draw/model.js";
import { tokenLabels } from "../draw/tokens.js";
import { createRunHistory } from "../draw/run-history.js";
import { cellValues, mergeHistory, record } from "./cell-history.js";

const VIEWS = [
  ["weights", "Weights"],
  ["grads", "Gradients (last step)"],
  ["update", "Update (last step)"],
];
const LABEL_WIDTH = 40;
const TOP = 16;
const MAX_CELL = 14;
const MAX_HEIGHT = 1200; // px of heatmap rows at most

let nextId = 0;

const format = (x) => (x === null || x === undefined ? "–" : Number(x).toPrecision(4));

function createControls(uid) {
  const select = element("select", { id: `${uid}-matrix` });
  const field = element("span", { className: "panel-field" }, element("label", { htmlFor: select.id, textContent: "Matrix" }), select);
  const radios = VIEWS.map(([value], i) => element("input", { type: "radio", name: `${uid}-view`, value, checked: i === 0 }));
  const group = element("div", { className: "inspector-views", role: "radiogroup", "aria-label": "Show" },
                        ...VIEWS.map(([, text], i) => element("label", {}, radios[i], ` ${text}`)));
  const info = element("span", { className: "panel-info" });
  const controls = element("div", { className: "panel-controls" }, field, group, info);
  return { controls, select, radios, info };
}

function createScale() {
  const low = element("span");
  const bar = element("span", { className: "panel-legend-bar" });
  bar.style.background = `linear-gradient(to right, ${diverging(-1)}, ${diverging(0)}, ${diverging(1)})`;
  const high = element("span");
  const legend = element("div", { className: "panel-legend" }, low, bar, high);
  return { legend, low, high };
}

function createDom(el, uid) {
  const { controls, select, radios, info } = createControls(uid);
  const about = element("p", { className: "hint inspector-about" });
  const plot = createCanvas(el, { label: "Heatmap of the selected matrix", height: 200 });
  plot.canvas.tabIndex = 0;
  plot.canvas.setAttribute("aria-describedby", `${uid}-cell`);
  const scale = createScale();
  const cellText = element("p", { className: "panel-readout", id: `${uid}-cell`, "aria-live": "polite" });
  const detail = element("div", { className: "inspector-detail" }, cellText);
  el.append(controls, about, plot.canvas, scale.legend, detail);
  const history = createChart(detail, {
    label: "History of the selected parameter over the run",
    height: 110,
    yTitle: "value",
    series: [{ stroke: () => theme().accent, width: 1.5 }],
    yRange: (min, max) => paddedRange(min, max, { minMargin: 1e-4 }),
  });
  return { select, radios, info, about, plot, scale, cellText, history };
}

// Heatmap geometry for a matrix in a canvas `width` px wide: cell size and canvas height.
// A matrix of many rows (wte of a large vocabulary) fits in MAX_HEIGHT px: its rows
// get thinner than a pixel, each pixel blending a few (the arrow keys read each one).
function geometry(width, rows, cols) {
  const cw = Math.max(2, Math.min(MAX_CELL, (width - LABEL_WIDTH) / cols));
  const ch = Math.min(Math.max(3, Math.min(MAX_CELL, cw)), MAX_HEIGHT / rows);
  return { cw, ch, height: TOP + rows * ch + 4 };
}


// The inspector's state and what it derives: one object the panel's functions share.
function createState(schema) {
  const state = {
    matrices: [], // the session's matrices (the engine's description): {name, layer, shape, rows_are, help, ...}
    label: tokenLabels([], schema.bos_label),
    data: null, error: "", matrix: "wte", // the first of state_dict
    cell: [0, 0], histories: new Map(), // "matrix:row,col" -> [{step, value, grad, m, v, update}] read live
    past: null, // the shown matrix at step 0 and each kept checkpoint (draw/run-history.js)
    upTo: Infinity, // the step shown (time travel)
    cellKey: () => `${state.matrix}:${state.cell[0]},${state.cell[1]}`,
    listed: () => state.matrices.find((m) => m.name === state.matrix),
    rowLabel: (row) => (state.listed()?.rows_are === "tokens" ? state.label(row) : String(row)),
    live: () => state.histories.get(state.cellKey()) || [],
    history: () => mergeHistory(state),
    // The engine's sentence about the shown matrix, for this session's sizes.
    about: () => state.listed()?.help ?? "",
  };
  return state;
}

function setMatrices(state, select, schema, summary) {
  state.matrices = modelOf(summary)?.matrices ?? [];
  state.label = tokenLabels(summary?.vocab ?? [], schema.bos_label);
  const names = state.matrices.map((m) => m.name);
  select.replaceChildren(...names.map((name) => element("option", { value: name, textContent: name })));
  if (!names.includes(state.matrix)) state.matrix = names[0] ?? "";
  select.value = state.matrix;
}

function publish(el, state, view, shown, maxAbs) {
  const { data } = state;
  const values = data ? cellValues(data, state.cell) : null;
  Object.assign(el.dataset, {
    matrix: state.matrix,
    view,
    step: data ? String(data.step) : "",
    shape: data ? data.shape.join(",") : "",
    grads: data ? (data.grads ? "present" : "none") : "",
    maxAbs: shown ? String(maxAbs) : "",
    cell: data ? state.cell.join(",") : "",
    value: values ? String(values.value) : "",
    grad: values && values.grad !== null ? String(values.grad) : "",
    m: values && values.m !== null ? String(values.m) : "",
    v: values && values.v !== null ? String(values.v) : "",
    update: values && values.update !== null ? String(values.update) : "",
    history: String(state.history().length),
  });
  return values;
}

function describeCell(state, values) {
  if (!values) return "";
  const [row, col] = state.cell;
  const which = state.listed()?.rows_are === "tokens" ? ` (row “${state.rowLabel(row)}”)` : "";
  const adam = values.m === null ? "" : `Adam m ${format(values.m)}, Adam v ${format(values.v)}, `; // SGD keeps neither
  return `${state.matrix}[${row}][${col}]${which}: value ${format(values.value)}, gradient ${format(values.grad)}, `
    + `${adam}update ${format(values.update)}.`;
}

// One pixel per weight in an image the size of the matrix, drawn scaled (a large
// matrix costs a pass over its numbers, not a fillRect each).
function heatImage(shown, rows, cols, maxAbs) {
  const image = new ImageData(cols, rows);
  const levels = Array.from({ length: 257 }, (_, k) => divergingRgb(k / 128 - 1));
  const pixels = image.data;
  for (let i = 0; i < rows * cols; i += 1) {
    const level = levels[Math.round((Math.max(-1, Math.min(1, (shown[i] / (maxAbs || 1)) || 0)) + 1) * 128)];
    pixels[4 * i] = level[0];
    pixels[4 * i + 1] = level[1];
    pixels[4 * i + 2] = level[2];
    pixels[4 * i + 3] = 255;
  }
  const canvas = element("canvas", { width: cols, height: rows });
  canvas.getContext("2d").putImageData(image, 0, 0);
  return canvas;
}

function drawHeatmap({ ctx, size }, state, shown, maxAbs, colours) {
  const [rows, cols] = state.data.shape;
  const { cw, ch } = geometry(size.width, rows, cols);
  ctx.imageSmoothingEnabled = ch < 1; // cells stay sharp; rows thinner than a pixel blend
  ctx.drawImage(heatImage(shown, rows, cols, maxAbs), LABEL_WIDTH, TOP, cols * cw, rows * ch);
  ctx.imageSmoothingEnabled = true;
  ctx.font = `${Math.min(11, Math.max(8, ch - 2))}px ${colours.mono}`;
  ctx.fillStyle = colours.muted;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (let r = 0; r < rows; r += Math.ceil(10 / ch)) ctx.fillText(state.rowLabel(r), LABEL_WIDTH - 4, TOP + (r + 0.5) * ch);
  ctx.textAlign = "center";
  for (let c = 0; c < cols; c += Math.ceil(18 / cw)) ctx.fillText(String(c), LABEL_WIDTH + (c + 0.5) * cw, TOP / 2);
  const [row, col] = state.cell;
  ctx.strokeStyle = colours.ink;
  ctx.lineWidth = 2;
  ctx.strokeRect(LABEL_WIDTH + col * cw, TOP + row * ch, cw, ch);
}

function draw(el, dom, state) {
  const { data } = state;
  const view = dom.radios.find((r) => r.checked).value;
  const shown = data ? data[view] : null;
  let maxAbs = 0;
  if (shown) for (const x of shown) maxAbs = Math.max(maxAbs, Math.abs(x));
  const values = publish(el, state, view, shown, maxAbs);
  dom.info.textContent = data ? `${data.shape[0]} × ${data.shape[1]} · step ${data.step}` : "";
  dom.about.textContent = state.about();
  dom.scale.low.textContent = shown ? (-maxAbs).toPrecision(2) : "";
  dom.scale.high.textContent = shown ? `+${maxAbs.toPrecision(2)}` : "";
  dom.scale.legend.hidden = !shown;
  dom.cellText.textContent = describeCell(state, values);
  const list = state.history();
  dom.history.set([list.map((e) => e.step), list.map((e) => e.value)]);
  dom.history.message(list.length < 2 ? "The value's history grows as the model trains." : "");
  const { plot } = dom;
  if (data) plot.canvas.style.height = `${geometry(plot.size.width, ...data.shape).height}px`;
  if (!plot.fit()) return;
  const colours = theme();
  if (data && shown) drawHeatmap(plot, state, shown, maxAbs, colours);
  else drawMessage(plot, state.error || (!data ? "Loading…" : "No gradient yet: take a step first."), colours);
}

const KEYS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

// Choosing a matrix, a view and a cell (click or arrow keys).
function listen(dom, state, { redraw, reread }) {
  const choose = (row, col) => {
    if (!state.data) return;
    const [rows, cols] = state.data.shape;
    state.cell = [Math.max(0, Math.min(rows - 1, row)), Math.max(0, Math.min(cols - 1, col))];
    record(state);
    redraw();
  };
  dom.select.addEventListener("change", () => {
    Object.assign(state, { matrix: dom.select.value, data: null, cell: [0, 0] });
    reread();
    redraw();
  });
  for (const radio of dom.radios) radio.addEventListener("change", redraw);
  const { canvas, size } = dom.plot;
  canvas.addEventListener("click", (event) => {
    if (!state.data) return;
    const box = canvas.getBoundingClientRect();
    const { cw, ch } = geometry(size.width, ...state.data.shape);
    const col = Math.floor((event.clientX - box.left - LABEL_WIDTH) / cw);
    const row = Math.floor((event.clientY - box.top - TOP) / ch);
    if (row >= 0 && col >= 0 && row < state.data.shape[0] && col < state.data.shape[1]) choose(row, col);
  });
  canvas.addEventListener("keydown", (event) => {
    const move = KEYS[event.key];
    if (!move || !state.data) return;
    event.preventDefault();
    choose(state.cell[0] + move[0], state.cell[1] + move[1]);
  });
}

export function create(el, { schema, stored, requestRead }) {
  const dom = createDom(el, `inspector${nextId++}`);
  const state = createState(schema);
  const reads = createReads();
  const frame = createFrame(() => draw(el, dom, state));
  let session = null;
  state.past = createRunHistory(stored, "matrix", () => frame.request());
  listen(dom, state, {
    redraw: () => frame.request(),
    reread() {
      reads.forget();
      state.past.load(session, { name: state.matrix });
      requestRead();
    },
  });

  return {
    // A session shown: its matrices; what was read and recorded goes.
    reset({ session: shown, record: summary, travel }) {
      reads.forget();
      setMatrices(state, dom.select, schema, summary);
      Object.assign(state, { data: null, error: "", upTo: travel ?? Infinity });
      if (travel == null || shown !== session) {
        // Shown afresh (a switch, back to live, a reset): the run is read again.
        state.histories.clear();
        state.past.forget();
      }
      session = shown;
      state.past.load(session, { name: state.matrix });
      frame.request();
    },
    async read(model) {
      const outcome = await reads.ask(model, "matrix", { name: state.matrix });
      if (!outcome) return;
      state.error = outcome.error || outcome.missing;
      if (!outcome.error) state.data = outcome.answer;
      if (state.data) {
        const [rows, cols] = state.data.shape;
        state.cell = [Math.min(state.cell[0], rows - 1), Math.min(state.cell[1], cols - 1)];
        record(state);
        if (state.upTo === Infinity) state.past.grow(state.data.step);
      }
      frame.request();
    },
    ...frameLifecycle(el, frame, dom.history),
  };
}
