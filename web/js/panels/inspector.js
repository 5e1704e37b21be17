// Parameter and gradient inspector: one matrix of state_dict as a heatmap of
// its weights, the last step's gradients (the real ones the engine computed)
// or Adam's last update, on a diverging scale centred on 0. Clicking a cell
// (or the arrow keys) shows that parameter's value, gradient, Adam m and v,
// and its history over the refreshes seen while the panel is open.
//
// Reads the live model through options.source.inspectMatrix (see live.js):
// on a new session, a new matrix, and after full step events (at most a few
// times per second). For tests and the curious, the panel element carries
// what is shown: data-matrix, data-view, data-step, data-shape ("rows,cols"),
// data-grads ("none" before the first step, else "present"), data-max-abs
// (of the shown view), data-cell ("row,col"), data-value, data-grad, data-m,
// data-v, data-update and data-history (how many steps are recorded).
import { createCanvas, theme, tokenLabel } from "./canvas.js";
import { createFrame } from "../draw/frame.js";
import { createLiveFeed, liveView } from "./live.js";

const VIEWS = [
  ["weights", "Weights"],
  ["grads", "Gradients (last step)"],
  ["update", "Adam update (last step)"],
];
const LABEL_WIDTH = 40;
const TOP = 16;
const MAX_CELL = 14;
const HISTORY_LIMIT = 500; // recorded steps per cell
const NEGATIVE = [49, 99, 177];
const ZERO = [247, 247, 247];
const POSITIVE = [196, 58, 49];

let nextId = 0;

// Diverging colour of x / scale in [-1, 1]: blue below 0, near-white at 0, red above.
function diverging(t) {
  const x = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const end = x < 0 ? NEGATIVE : POSITIVE;
  const f = Math.abs(x);
  const c = ZERO.map((z, k) => Math.round(z + (end[k] - z) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

// state_dict's keys in microgpt's order, from the session's config.
function matrixNames(config) {
  const names = ["wte", "wpe", "lm_head"];
  for (let i = 0; i < (config?.n_layer ?? 0); i += 1) {
    for (const part of ["attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"]) names.push(`layer${i}.${part}`);
  }
  return names;
}

const format = (x) => (x === null || x === undefined ? "–" : Number(x).toPrecision(4));

export function create(el, options = {}) {
  const uid = `inspector${nextId++}`;
  const source = options.source;
  const controls = document.createElement("div");
  controls.className = "panel-controls";
  const matrixField = document.createElement("span");
  matrixField.className = "panel-field";
  const matrixLabel = document.createElement("label");
  matrixLabel.htmlFor = `${uid}-matrix`;
  matrixLabel.textContent = "Matrix";
  const select = document.createElement("select");
  select.id = `${uid}-matrix`;
  matrixField.append(matrixLabel, select);
  const group = document.createElement("div");
  group.className = "inspector-views";
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-label", "Show");
  const radios = VIEWS.map(([value, text], i) => {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `${uid}-view`;
    input.value = value;
    input.checked = i === 0;
    label.append(input, ` ${text}`);
    group.append(label);
    return input;
  });
  const info = document.createElement("span");
  info.className = "panel-info";
  controls.append(matrixField, group, info);

  const plot = createCanvas(el, { label: "Heatmap of the selected matrix", height: 200 });
  plot.canvas.tabIndex = 0;
  plot.canvas.setAttribute("aria-describedby", `${uid}-cell`);
  const legend = document.createElement("div");
  legend.className = "panel-legend";
  const legendLow = document.createElement("span");
  const legendBar = document.createElement("span");
  legendBar.className = "panel-legend-bar inspector-legend-bar";
  legendBar.style.background = `linear-gradient(to right, ${diverging(-1)}, ${diverging(0)}, ${diverging(1)})`;
  const legendHigh = document.createElement("span");
  legend.append(legendLow, legendBar, legendHigh);

  const detail = document.createElement("div");
  detail.className = "inspector-detail";
  const cellText = document.createElement("p");
  cellText.className = "panel-readout";
  cellText.id = `${uid}-cell`;
  cellText.setAttribute("aria-live", "polite");
  const history = createCanvas(detail, { label: "History of the selected parameter over the recorded steps", height: 80 });
  detail.prepend(cellText);
  el.append(controls, plot.canvas, legend, detail);

  const state = {
    vocab: [], data: null, error: "", matrix: "wte",
    cell: [0, 0], histories: new Map(), // "matrix:row,col" -> [{step, value, grad, m, v, update}]
  };
  const view = () => radios.find((r) => r.checked).value;
  const cellKey = () => `${state.matrix}:${state.cell[0]},${state.cell[1]}`;

  function cellValues(data, [row, col]) {
    const i = row * data.shape[1] + col;
    const at = (list) => (list ? list[i] : null);
    return { step: data.step, value: data.weights[i], grad: at(data.grads), m: data.m[i], v: data.v[i], update: at(data.update) };
  }

  function record() {
    const { data } = state;
    if (!data || data.name !== state.matrix) return;
    const key = cellKey();
    const list = state.histories.get(key) || [];
    const entry = cellValues(data, state.cell);
    if (list.length && list[list.length - 1].step === entry.step) list[list.length - 1] = entry;
    else list.push(entry);
    if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
    state.histories.set(key, list);
  }

  const feed = createLiveFeed(el, (session) => source.inspectMatrix(session, state.matrix), {
    onSession(message) {
      state.vocab = message.record ? message.record.vocab : [];
      state.data = null;
      state.histories.clear();
      setMatrices(message.record?.config);
      frame.request();
    },
    onResult(data) {
      state.data = data;
      state.error = data ? "" : feed.idle;
      if (data) {
        const [rows, cols] = data.shape;
        state.cell = [Math.min(state.cell[0], rows - 1), Math.min(state.cell[1], cols - 1)];
        record();
      }
      frame.request();
    },
    onError(error) {
      state.error = error.message;
      frame.request();
    },
  });

  function setMatrices(config) {
    const names = matrixNames(config);
    select.replaceChildren(...names.map((name) => {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      return option;
    }));
    if (!names.includes(state.matrix)) state.matrix = "wte";
    select.value = state.matrix;
  }

  const rowLabel = (row) => (state.matrix === "wte" || state.matrix === "lm_head" ? tokenLabel(row, state.vocab) : String(row));

  function geometry(rows, cols) {
    const cw = Math.max(2, Math.min(MAX_CELL, (plot.size.width - LABEL_WIDTH) / cols));
    const ch = Math.max(3, Math.min(MAX_CELL, cw));
    return { cw, ch, height: TOP + rows * ch + 4 };
  }

  function publish(data, shown, maxAbs) {
    const values = data ? cellValues(data, state.cell) : null;
    Object.assign(el.dataset, {
      matrix: state.matrix,
      view: view(),
      step: data ? String(data.step) : "",
      shape: data ? data.shape.join(",") : "",
      grads: data ? (data.grads ? "present" : "none") : "",
      maxAbs: shown ? String(maxAbs) : "",
      cell: data ? state.cell.join(",") : "",
      value: values ? String(values.value) : "",
      grad: values && values.grad !== null ? String(values.grad) : "",
      m: values ? String(values.m) : "",
      v: values ? String(values.v) : "",
      update: values && values.update !== null ? String(values.update) : "",
      history: String((state.histories.get(cellKey()) || []).length),
    });
    return values;
  }

  function drawHistory(colours) {
    if (!history.fit()) return;
    const { ctx, size } = history;
    const list = state.histories.get(cellKey()) || [];
    ctx.font = `10px ${colours.mono || "monospace"}`;
    ctx.fillStyle = colours.muted;
    ctx.textBaseline = "middle";
    if (list.length < 2) {
      ctx.textAlign = "center";
      ctx.fillText("The value's history grows as the model trains.", size.width / 2, size.height / 2);
      return;
    }
    const left = 56;
    const steps = list.map((e) => e.step);
    const values = list.map((e) => e.value);
    const [s0, s1] = [steps[0], steps[steps.length - 1]];
    let [lo, hi] = [Math.min(...values), Math.max(...values)];
    if (hi - lo < 1e-12) [lo, hi] = [lo - 1e-6, hi + 1e-6];
    const x = (s) => left + ((s - s0) / Math.max(1, s1 - s0)) * (size.width - left - 8);
    const y = (v) => 6 + (1 - (v - lo) / (hi - lo)) * (size.height - 20);
    ctx.textAlign = "right";
    ctx.fillText(hi.toPrecision(3), left - 4, y(hi));
    ctx.fillText(lo.toPrecision(3), left - 4, y(lo));
    ctx.textAlign = "left";
    ctx.fillText(`step ${s0}`, left, size.height - 6);
    ctx.textAlign = "right";
    ctx.fillText(`step ${s1}`, size.width - 8, size.height - 6);
    ctx.strokeStyle = colours.accent;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    list.forEach((e, i) => (i ? ctx.lineTo(x(e.step), y(e.value)) : ctx.moveTo(x(e.step), y(e.value))));
    ctx.stroke();
  }

  function draw() {
    const { data } = state;
    const key = view();
    const shown = data ? data[key] : null;
    let maxAbs = 0;
    if (shown) for (const x of shown) maxAbs = Math.max(maxAbs, Math.abs(x));
    const values = publish(data, shown, maxAbs);
    const colours = theme();
    const mono = colours.mono || "monospace";
    info.textContent = data ? `${data.shape[0]} × ${data.shape[1]} · step ${data.step}` : "";
    legendLow.textContent = shown ? (-maxAbs).toPrecision(2) : "";
    legendHigh.textContent = shown ? `+${maxAbs.toPrecision(2)}` : "";
    legend.hidden = !shown;
    if (values) {
      const [row, col] = state.cell;
      cellText.textContent = `${state.matrix}[${row}][${col}]${state.matrix === "wte" || state.matrix === "lm_head" ? ` (row “${rowLabel(row)}”)` : ""}: `
        + `value ${format(values.value)}, gradient ${format(values.grad)}, Adam m ${format(values.m)}, `
        + `Adam v ${format(values.v)}, update ${format(values.update)}.`;
    } else {
      cellText.textContent = "";
    }

    if (data) plot.canvas.style.height = `${geometry(...data.shape).height}px`;
    if (!plot.fit()) return;
    const { ctx, size } = plot;
    ctx.textBaseline = "middle";
    if (!data || !shown) {
      ctx.fillStyle = colours.muted;
      ctx.font = `12px ${mono}`;
      ctx.textAlign = "center";
      const message = state.error || (!data ? "Loading…" : "No gradient yet: take a step first.");
      ctx.fillText(message, size.width / 2, size.height / 2);
      drawHistory(colours);
      return;
    }
    const [rows, cols] = data.shape;
    const { cw, ch } = geometry(rows, cols);
    const scale = maxAbs || 1;
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < cols; c += 1) {
        ctx.fillStyle = diverging(shown[r * cols + c] / scale);
        ctx.fillRect(LABEL_WIDTH + c * cw, TOP + r * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
    ctx.font = `${Math.min(11, Math.max(8, ch - 2))}px ${mono}`;
    ctx.fillStyle = colours.muted;
    ctx.textAlign = "right";
    const rowEvery = Math.ceil(10 / ch);
    for (let r = 0; r < rows; r += rowEvery) ctx.fillText(rowLabel(r), LABEL_WIDTH - 4, TOP + (r + 0.5) * ch);
    ctx.textAlign = "center";
    const colEvery = Math.ceil(18 / cw);
    for (let c = 0; c < cols; c += colEvery) ctx.fillText(String(c), LABEL_WIDTH + (c + 0.5) * cw, TOP / 2);
    const [row, col] = state.cell;
    ctx.strokeStyle = colours.ink;
    ctx.lineWidth = 2;
    ctx.strokeRect(LABEL_WIDTH + col * cw, TOP + row * ch, cw, ch);
    drawHistory(colours);
  }

  const frame = createFrame(draw);

  function choose(row, col) {
    if (!state.data) return;
    const [rows, cols] = state.data.shape;
    state.cell = [Math.max(0, Math.min(rows - 1, row)), Math.max(0, Math.min(cols - 1, col))];
    record();
    frame.request();
  }

  select.addEventListener("change", () => {
    state.matrix = select.value;
    state.data = null;
    state.cell = [0, 0];
    feed.restart();
    frame.request();
  });
  for (const radio of radios) radio.addEventListener("change", () => frame.request());
  plot.canvas.addEventListener("click", (event) => {
    if (!state.data) return;
    const box = plot.canvas.getBoundingClientRect();
    const { cw, ch } = geometry(...state.data.shape);
    const col = Math.floor((event.clientX - box.left - LABEL_WIDTH) / cw);
    const row = Math.floor((event.clientY - box.top - TOP) / ch);
    if (row < 0 || col < 0 || row >= state.data.shape[0] || col >= state.data.shape[1]) return;
    choose(row, col);
  });
  const KEYS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  plot.canvas.addEventListener("keydown", (event) => {
    const move = KEYS[event.key];
    if (!move || !state.data) return;
    event.preventDefault();
    choose(state.cell[0] + move[0], state.cell[1] + move[1]);
  });

  return liveView(el, feed, frame);
}
