// Attention: how much each position of the current document looks at the
// positions before it, for one layer and head. Rows are query positions, columns
// key positions (causal, so only the lower triangle exists); each row is a
// softmax and sums to 1.
//
// Draws the latest "full" step event (only those carry `attention`:
// [layer][head][query pos] -> weights over key positions 0..pos).
// For tests and the curious, the panel element carries what was drawn:
// data-rows (matrix size), data-row-sums (JSON), data-step, data-doc,
// data-layer, data-head, data-max.
import { createCanvas, latestWith, theme, tokenLabel, viridis } from "./canvas.js";
import { createFrame } from "../draw/frame.js";

const HEIGHT = 300;
const MAX_CELL = 36;
const LABEL_FONT = 11;

let nextId = 0;

function labelled(text, control) {
  const label = document.createElement("label");
  label.className = "panel-field";
  const caption = document.createElement("span");
  caption.textContent = text;
  label.append(caption, control);
  return label;
}

function setOptions(select, count, prefix) {
  if (select.options.length === count) return;
  const keep = Math.min(Number(select.value) || 0, count - 1);
  select.replaceChildren();
  for (let i = 0; i < count; i += 1) {
    const option = document.createElement("option");
    option.value = String(i);
    option.textContent = `${prefix} ${i}`;
    select.append(option);
  }
  select.value = String(Math.max(0, keep));
}

export function create(el) {
  const uid = `attn${nextId++}`;
  const controls = document.createElement("div");
  controls.className = "panel-controls";
  const layerSelect = document.createElement("select");
  layerSelect.id = `${uid}-layer`;
  const headSelect = document.createElement("select");
  headSelect.id = `${uid}-head`;
  setOptions(layerSelect, 1, "layer");
  setOptions(headSelect, 1, "head");
  const info = document.createElement("span");
  info.className = "panel-info";
  controls.append(labelled("Layer", layerSelect), labelled("Head", headSelect), info);

  const wrap = document.createElement("div");
  wrap.className = "panel-plot";
  const plot = createCanvas(wrap, { label: "Attention weights: query position (rows) by key position (columns)", height: HEIGHT });
  plot.canvas.tabIndex = 0;
  plot.canvas.setAttribute("aria-describedby", `${uid}-readout`);
  const tooltip = document.createElement("div");
  tooltip.className = "panel-tooltip";
  tooltip.setAttribute("aria-hidden", "true");
  tooltip.hidden = true;
  wrap.append(tooltip);

  const legend = document.createElement("div");
  legend.className = "panel-legend";
  legend.setAttribute("role", "img");
  const legendLow = document.createElement("span");
  legendLow.textContent = "0";
  const legendBar = document.createElement("div");
  legendBar.className = "panel-legend-bar";
  const legendPlot = createCanvas(legendBar, { height: 10 });
  const legendHigh = document.createElement("span");
  legend.append(legendLow, legendBar, legendHigh);

  const readout = document.createElement("p");
  readout.className = "panel-readout";
  readout.id = `${uid}-readout`;
  readout.setAttribute("aria-live", "polite");
  readout.textContent = "Hover a cell (or focus the heatmap and use the arrow keys) to read its weight.";

  el.append(controls, wrap, legend, readout);

  const state = {
    vocab: [],
    event: null, // the latest full event of the current session
    hover: null, // {q, k} under the pointer
    cursor: null, // {q, k} moved with the arrow keys
    geometry: null, // {x0, y0, cell, n} of the last draw, for hit tests
  };

  const matrix = () => {
    const { event } = state;
    if (!event) return null;
    const layer = event.attention[Number(layerSelect.value)] || event.attention[0];
    return layer[Number(headSelect.value)] || layer[0];
  };
  const label = (pos) => tokenLabel(state.event.tokens[pos], state.vocab);

  function describe({ q, k }) {
    const weight = matrix()[q][k];
    return `Query ${q} “${label(q)}” attends to key ${k} “${label(k)}” with weight ${weight.toFixed(4)}`;
  }

  function publish(rows, max) {
    el.dataset.rows = String(rows ? rows.length : 0);
    el.dataset.rowSums = JSON.stringify(rows ? rows.map((row) => row.reduce((a, b) => a + b, 0)) : []);
    el.dataset.step = state.event ? String(state.event.step) : "";
    el.dataset.doc = state.event ? state.event.doc : "";
    el.dataset.layer = layerSelect.value;
    el.dataset.head = headSelect.value;
    el.dataset.max = String(max);
  }

  function drawLegend(max) {
    legendHigh.textContent = max.toFixed(2);
    legend.setAttribute("aria-label", `Colour scale: viridis from 0 (dark purple) to ${max.toFixed(2)} (yellow)`);
    if (!legendPlot.fit()) return;
    const { ctx, size } = legendPlot;
    const steps = 48;
    for (let i = 0; i < steps; i += 1) {
      ctx.fillStyle = viridis(i / (steps - 1));
      ctx.fillRect((i * size.width) / steps, 0, size.width / steps + 1, size.height);
    }
  }

  function draw() {
    const rows = matrix();
    const max = rows ? Math.max(1e-9, ...rows.flat()) : 1;
    publish(rows, max);
    drawLegend(rows ? max : 1);
    info.textContent = state.event ? `step ${state.event.step} · “${state.event.doc}”` : "";
    if (!plot.fit()) return;
    const { ctx, size } = plot;
    const colours = theme();
    ctx.font = `${LABEL_FONT}px ${colours.mono || "monospace"}`;
    if (!rows) {
      state.geometry = null;
      ctx.fillStyle = colours.muted;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("Attention appears after the first step.", size.width / 2, size.height / 2);
      return;
    }
    const n = rows.length;
    const x0 = 40;
    const y0 = 24;
    const cell = Math.max(4, Math.min(MAX_CELL, Math.floor(Math.min((size.width - x0 - 4) / n, (size.height - y0 - 4) / n))));
    state.geometry = { x0, y0, cell, n };
    const every = cell < LABEL_FONT + 2 ? 2 : 1;

    for (let q = 0; q < n; q += 1) {
      for (let k = 0; k < n; k += 1) {
        const x = x0 + k * cell;
        const y = y0 + q * cell;
        if (k <= q) {
          ctx.fillStyle = viridis(rows[q][k] / max);
          ctx.fillRect(x, y, cell, cell);
        } else {
          // The future is masked: a faint outline, no colour.
          ctx.strokeStyle = colours.line;
          ctx.lineWidth = 1;
          ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
        }
      }
    }

    // Axis labels: the token at each position (BOS first).
    ctx.textBaseline = "middle";
    for (let p = 0; p < n; p += 1) {
      if (p % every && p !== n - 1) continue;
      const latest = p === n - 1;
      ctx.fillStyle = latest ? colours.accent : colours.ink;
      ctx.font = `${latest ? "bold " : ""}${LABEL_FONT}px ${colours.mono || "monospace"}`;
      ctx.textAlign = "right";
      ctx.fillText(label(p), x0 - 6, y0 + p * cell + cell / 2);
      ctx.textAlign = "center";
      ctx.fillText(label(p), x0 + p * cell + cell / 2, y0 - 10);
    }
    ctx.fillStyle = colours.muted;
    ctx.font = `${LABEL_FONT - 1}px ${colours.mono || "monospace"}`;
    ctx.textAlign = "left";
    ctx.fillText("q\\k", 2, 10);

    // The latest token's row: what the newest position looks at.
    ctx.strokeStyle = colours.accent;
    ctx.lineWidth = 2;
    ctx.strokeRect(x0 - 1, y0 + (n - 1) * cell - 1, n * cell + 2, cell + 2);

    const focus = state.hover || state.cursor;
    if (focus && focus.q < n && focus.k <= focus.q) {
      ctx.strokeStyle = colours.ink;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + focus.k * cell + 1, y0 + focus.q * cell + 1, cell - 2, cell - 2);
    }
  }

  const frame = createFrame(draw);

  function cellAt(clientX, clientY) {
    const g = state.geometry;
    if (!g) return null;
    const box = plot.canvas.getBoundingClientRect();
    const k = Math.floor((clientX - box.left - g.x0) / g.cell);
    const q = Math.floor((clientY - box.top - g.y0) / g.cell);
    // The event may have changed since the last draw: check the current matrix.
    const rows = matrix();
    if (!rows || q < 0 || k < 0 || q >= Math.min(g.n, rows.length) || k > q) return null;
    return { q, k };
  }

  function showTooltip(hit, clientX, clientY) {
    if (!hit) {
      tooltip.hidden = true;
      return;
    }
    const text = `${label(hit.q)} → ${label(hit.k)}: ${matrix()[hit.q][hit.k].toFixed(3)}`;
    tooltip.textContent = text;
    tooltip.hidden = false;
    const box = wrap.getBoundingClientRect();
    const x = Math.min(clientX - box.left + 12, box.width - tooltip.offsetWidth - 2);
    tooltip.style.left = `${Math.max(0, x)}px`;
    tooltip.style.top = `${Math.max(0, clientY - box.top - 30)}px`;
  }

  function onPointer(event) {
    const hit = cellAt(event.clientX, event.clientY);
    const same = hit && state.hover && hit.q === state.hover.q && hit.k === state.hover.k;
    state.hover = hit;
    showTooltip(hit, event.clientX, event.clientY);
    if (hit && !same) readout.textContent = describe(hit);
    frame.request();
  }
  plot.canvas.addEventListener("pointermove", onPointer);
  plot.canvas.addEventListener("pointerdown", onPointer);
  plot.canvas.addEventListener("pointerleave", () => {
    state.hover = null;
    tooltip.hidden = true;
    frame.request();
  });

  const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  plot.canvas.addEventListener("keydown", (event) => {
    const move = MOVES[event.key];
    const g = state.geometry;
    if (!move || !g) return;
    event.preventDefault();
    const from = state.cursor || { q: g.n - 1, k: g.n - 1 };
    const q = Math.min(g.n - 1, Math.max(0, from.q + move[0]));
    const k = Math.min(q, Math.max(0, from.k + move[1]));
    state.cursor = { q, k };
    readout.textContent = describe(state.cursor);
    frame.request();
  });
  plot.canvas.addEventListener("blur", () => {
    state.cursor = null;
    frame.request();
  });

  for (const select of [layerSelect, headSelect]) select.addEventListener("change", () => frame.request());

  function show(event) {
    state.event = event;
    if (event) {
      setOptions(layerSelect, event.attention.length, "layer");
      setOptions(headSelect, event.attention[0].length, "head");
      if (state.cursor && state.cursor.q >= event.attention[0][0].length) state.cursor = null;
    } else {
      state.cursor = null;
    }
    frame.request();
  }

  return {
    update(message) {
      if (message.type === "session") state.vocab = message.record ? message.record.vocab : [];
      const event = latestWith(message, "attention");
      if (event !== undefined) show(event);
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
