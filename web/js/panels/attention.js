// Attention: how much each position of the current document looks at the
// positions before it, for one layer and head. Rows are query positions, columns
// key positions (causal, so only the lower triangle exists); each row is a
// softmax and sums to 1.
//
// Draws the latest "full" step event (only those carry `attention`:
// [layer][head][query pos] -> weights over key positions 0..pos; [] for a
// model without attention, which the panel says).
// For tests and the curious, the panel element carries what was drawn:
// data-rows (matrix size), data-row-sums (JSON), data-step, data-doc,
// data-layer, data-head, data-max.
import { createCanvas, drawMessage } from "../draw/canvas.js";
import { theme, viridis } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { tokenLabels } from "../draw/tokens.js";

const HEIGHT = 300;
const MAX_CELL = 36;
const LABEL_FONT = 11;
const NO_ATTENTION = "This model has no attention (no layers, or attention switched off): "
  + "each position sees only its own token and position.";
const HINT = "Hover a cell (or focus the heatmap and use the arrow keys) to read its weight; "
  + "click a query's character on the left, or press Enter on a cell, to follow that position through the model.";

let nextId = 0;

const labelled = (text, control) => element("label", { className: "panel-field" },
                                             element("span", { textContent: text }), control);

function setOptions(select, count, prefix) {
  if (select.options.length === count) return;
  const keep = Math.min(Number(select.value) || 0, count - 1);
  select.replaceChildren(...Array.from({ length: count },
                                       (_, i) => element("option", { value: String(i), textContent: `${prefix} ${i}` })));
  select.value = String(Math.max(0, keep));
}

function createDom(el, uid) {
  const layer = element("select", { id: `${uid}-layer` });
  const head = element("select", { id: `${uid}-head` });
  setOptions(layer, 1, "layer");
  setOptions(head, 1, "head");
  const info = element("span", { className: "panel-info" });
  const controls = element("div", { className: "panel-controls" }, labelled("Layer", layer), labelled("Head", head), info);

  const wrap = element("div", { className: "panel-plot" });
  const plot = createCanvas(wrap, { label: "Attention weights: query position (rows) by key position (columns)", height: HEIGHT });
  plot.canvas.tabIndex = 0;
  plot.canvas.setAttribute("aria-describedby", `${uid}-readout`);
  const tooltip = element("div", { className: "panel-tooltip", hidden: true, "aria-hidden": "true" });
  wrap.append(tooltip);

  const legendBar = element("div", { className: "panel-legend-bar" });
  legendBar.style.background = `linear-gradient(to right, ${Array.from({ length: 9 }, (_, i) => viridis(i / 8)).join(", ")})`;
  const legendHigh = element("span");
  const legend = element("div", { className: "panel-legend", role: "img" },
                         element("span", { textContent: "0" }), legendBar, legendHigh);

  const readout = element("p", { className: "panel-readout", id: `${uid}-readout`, "aria-live": "polite",
                                 textContent: HINT });
  el.append(controls, wrap, legend, readout);
  return { layer, head, info, wrap, plot, tooltip, legend, legendHigh, readout };
}

// The weights shown: [query][key] of the chosen layer and head of the event, or null.
function matrixOf({ layer, head }, { event }) {
  const weights = event?.attention[Number(layer.value)] || event?.attention[0];
  return weights ? weights[Number(head.value)] || weights[0] : null;
}

const tokenAt = (state, pos) => state.label(state.event.tokens[pos]);

// Why a cell above the diagonal is blank (the causal mask).
const masked = (state, q, k) => `Query ${q} “${tokenAt(state, q)}” cannot attend to key ${k} “${tokenAt(state, k)}”: `
  + `a position must not see the character it is trying to predict (position ${q} predicts the one at ${q + 1}), `
  + "and when sampling, later characters do not exist yet; so the weights above the diagonal are 0.";

// The readout follows what is drawn: the cell under the pointer or the
// cursor in the shown document, never a cell of an earlier one.
function describe(dom, state, rows) {
  if (state.event && !rows) return NO_ATTENTION;
  const focus = state.hover || state.cursor;
  if (!rows || !focus || focus.q >= rows.length || focus.k >= rows.length) return HINT;
  const { q, k } = focus;
  if (k > q) return masked(state, q, k);
  return `Step ${state.event.step}, “${state.event.doc}”: query ${q} “${tokenAt(state, q)}” attends to ` +
    `key ${k} “${tokenAt(state, k)}” with weight ${rows[q][k].toFixed(4)}`;
}

function publish(el, dom, { event }, rows, max) {
  Object.assign(el.dataset, {
    rows: String(rows ? rows.length : 0),
    rowSums: JSON.stringify(rows ? rows.map((row) => row.reduce((a, b) => a + b, 0)) : []),
    step: event ? String(event.step) : "",
    doc: event ? event.doc : "",
    layer: dom.layer.value,
    head: dom.head.value,
    max: String(max),
  });
  dom.legendHigh.textContent = max.toFixed(2);
  dom.legend.setAttribute("aria-label", `Colour scale: viridis from 0 (dark purple) to ${max.toFixed(2)} (yellow)`);
  dom.info.textContent = event ? `step ${event.step} · “${event.doc}”` : "";
}

// The lower triangle in colour (the future is masked: a faint outline), the
// tokens along both axes, the latest token's row and the focused cell.
function drawHeatmap({ ctx }, state, rows, max, colours) {
  const { x0, y0, cell, n } = state.geometry;
  for (let q = 0; q < n; q += 1) {
    for (let k = 0; k < n; k += 1) {
      const [x, y] = [x0 + k * cell, y0 + q * cell];
      if (k <= q) {
        ctx.fillStyle = viridis(rows[q][k] / max);
        ctx.fillRect(x, y, cell, cell);
      } else {
        ctx.strokeStyle = colours.line;
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      }
    }
  }
  ctx.textBaseline = "middle";
  const every = cell < LABEL_FONT + 2 ? 2 : 1;
  for (let p = 0; p < n; p += 1) {
    if (p % every && p !== n - 1) continue;
    const latest = p === n - 1;
    ctx.fillStyle = latest ? colours.accent : colours.ink;
    ctx.font = `${latest ? "bold " : ""}${LABEL_FONT}px ${colours.mono}`;
    ctx.textAlign = "right";
    ctx.fillText(tokenAt(state, p), x0 - 6, y0 + p * cell + cell / 2);
    ctx.textAlign = "center";
    ctx.fillText(tokenAt(state, p), x0 + p * cell + cell / 2, y0 - 10);
  }
  ctx.fillStyle = colours.muted;
  ctx.font = `${LABEL_FONT - 1}px ${colours.mono}`;
  ctx.textAlign = "left";
  ctx.fillText("q\\k", 2, 10);
  ctx.strokeStyle = colours.accent;
  ctx.lineWidth = 2;
  ctx.strokeRect(x0 - 1, y0 + (n - 1) * cell - 1, n * cell + 2, cell + 2);
  const focus = state.hover || state.cursor;
  if (focus && focus.q < n && focus.k < n) {
    ctx.strokeStyle = colours.ink;
    ctx.strokeRect(x0 + focus.k * cell + 1, y0 + focus.q * cell + 1, cell - 2, cell - 2);
  }
}

function draw(el, dom, state) {
  const rows = matrixOf(dom, state);
  const max = rows ? Math.max(1e-9, ...rows.flat()) : 1;
  publish(el, dom, state, rows, max);
  const text = describe(dom, state, rows);
  if (dom.readout.textContent !== text) dom.readout.textContent = text;
  const { plot } = dom;
  if (!plot.fit()) return;
  const colours = theme();
  if (!rows) {
    state.geometry = null;
    drawMessage(plot, state.event ? "No attention in this model." : "Attention appears after the first step.", colours);
    return;
  }
  const { size } = plot;
  const [x0, y0, n] = [40, 24, rows.length];
  const cell = Math.max(4, Math.min(MAX_CELL, Math.floor(Math.min((size.width - x0 - 4) / n, (size.height - y0 - 4) / n))));
  state.geometry = { x0, y0, cell, n, step: state.event.step }; // step: the one on screen
  drawHeatmap(plot, state, rows, max, colours);
}

// The cell under the pointer, or null. The event may have changed since the
// last draw: the current matrix decides.
function cellAt(dom, state, clientX, clientY) {
  const g = state.geometry;
  const rows = matrixOf(dom, state);
  if (!g || !rows) return null;
  const box = dom.plot.canvas.getBoundingClientRect();
  const k = Math.floor((clientX - box.left - g.x0) / g.cell);
  const q = Math.floor((clientY - box.top - g.y0) / g.cell);
  return q < 0 || k < 0 || q >= Math.min(g.n, rows.length) || k >= Math.min(g.n, rows.length) ? null : { q, k };
}

function showTooltip({ tooltip, wrap }, text, clientX, clientY) {
  tooltip.hidden = !text;
  if (!text) return;
  tooltip.textContent = text;
  const box = wrap.getBoundingClientRect();
  const x = Math.min(clientX - box.left + 12, box.width - tooltip.offsetWidth - 2);
  tooltip.style.left = `${Math.max(0, x)}px`;
  tooltip.style.top = `${Math.max(0, clientY - box.top - 30)}px`;
}

const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

// The query row whose character label (left of the heatmap) is at the pointer, or null.
function rowLabelAt(dom, state, clientX, clientY) {
  const g = state.geometry;
  if (!g) return null;
  const box = dom.plot.canvas.getBoundingClientRect();
  const q = Math.floor((clientY - box.top - g.y0) / g.cell);
  return clientX - box.left < g.x0 && q >= 0 && q < g.n ? q : null;
}

// Reading a cell: hover (with a tooltip) or the arrow keys on the focused
// heatmap; following a position: its row label clicked, or Enter on a cell.
function listen(dom, state, redraw, follow) {
  const { canvas } = dom.plot;
  const onPointer = (event) => {
    const hit = cellAt(dom, state, event.clientX, event.clientY);
    state.hover = hit;
    const text = !hit ? "" : hit.k > hit.q ? `${tokenAt(state, hit.q)} → ${tokenAt(state, hit.k)}: masked (the future)`
      : `${tokenAt(state, hit.q)} → ${tokenAt(state, hit.k)}: ${matrixOf(dom, state)[hit.q][hit.k].toFixed(3)}`;
    showTooltip(dom, text, event.clientX, event.clientY);
    redraw();
  };
  canvas.addEventListener("pointermove", onPointer);
  canvas.addEventListener("pointerdown", onPointer);
  canvas.addEventListener("pointerleave", () => {
    state.hover = null;
    dom.tooltip.hidden = true;
    redraw();
  });
  canvas.addEventListener("click", (event) => {
    const q = rowLabelAt(dom, state, event.clientX, event.clientY);
    if (q !== null) follow({ position: q, step: state.geometry.step });
  });
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && state.cursor) {
      event.preventDefault();
      follow({ position: state.cursor.q, step: state.event.step }); // the cursor is kept within the current event
      return;
    }
    const move = MOVES[event.key];
    const g = state.geometry;
    if (!move || !g) return;
    event.preventDefault();
    state.hover = null; // the keys take over from the pointer
    const from = state.cursor || { q: g.n - 1, k: g.n - 1 };
    const q = Math.min(g.n - 1, Math.max(0, from.q + move[0]));
    state.cursor = { q, k: Math.min(g.n - 1, Math.max(0, from.k + move[1])) }; // blank cells too: their readout says why
    redraw();
  });
  canvas.addEventListener("blur", () => {
    state.cursor = null;
    redraw();
  });
  for (const select of [dom.layer, dom.head]) select.addEventListener("change", redraw);
}

export function create(el, { schema, follow = () => {} }) {
  const dom = createDom(el, `attn${nextId++}`);
  const state = {
    label: tokenLabels([], schema.bos_label), // a token id's label in the shown session
    event: null, // the latest full event of the current session
    hover: null, // {q, k} under the pointer
    cursor: null, // {q, k} moved with the arrow keys
    geometry: null, // {x0, y0, cell, n} of the last draw, for hit tests
  };
  const frame = createFrame(() => draw(el, dom, state));
  listen(dom, state, () => frame.request(), follow);

  function display(event) {
    state.event = event;
    const heads = event?.attention[0];
    dom.layer.disabled = dom.head.disabled = Boolean(event && !heads); // a model without attention has neither
    if (heads) {
      setOptions(dom.layer, event.attention.length, "layer");
      setOptions(dom.head, heads.length, "head");
    }
    if (!heads || (state.cursor && state.cursor.q >= heads[0].length)) state.cursor = null;
    frame.request();
  }

  return {
    // A session shown: its newest step with attention (the full ones).
    reset({ record, steps }) {
      state.label = tokenLabels(record?.vocab ?? [], schema.bos_label);
      display((steps || []).findLast((step) => step.attention) ?? null);
    },
    show(event) {
      if (event.attention) display(event);
    },
    ...frameLifecycle(el, frame),
  };
}
